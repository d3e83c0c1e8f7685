"""Label recognition: what counts as a label at the start of a line, and which id it gets."""

from __future__ import annotations

import pytest

from plancmp.numbering import (
    LabelKind,
    match_labels,
    normalise_id,
    roman_value,
    to_letters,
    to_roman,
)


@pytest.mark.parametrize(
    ("line", "label", "parts", "kind", "style"),
    [
        ("1. Sovereignty", "1.", ("1",), LabelKind.NUMBER, "number."),
        ("12) Reconstruction", "12)", ("12",), LabelKind.NUMBER, "number)"),
        ("(3) Guarantees", "(3)", ("3",), LabelKind.NUMBER, "number()"),
        ("4 - Army", "4 -", ("4",), LabelKind.NUMBER, "number-"),
        ("3.1 Detail", "3.1", ("3", "1"), LabelKind.DOTTED, "dotted"),
        ("3.1.2. Deeper", "3.1.2.", ("3", "1", "2"), LabelKind.DOTTED, "dotted"),
        ("12 a) Fund", "12 a)", ("12", "a"), LabelKind.LETTER, "letter)"),
        ("Point 7. NATO", "Point 7.", ("7",), LabelKind.KEYWORD, "kw:point"),
        ("Article 4: Dialogue", "Article 4:", ("4",), LabelKind.KEYWORD, "kw:article"),
        ("SECTION 2 — Scope", "SECTION 2 —", ("2",), LabelKind.KEYWORD, "kw:section"),
        ("§ 5 Grain", "§ 5", ("5",), LabelKind.KEYWORD, "kw:section-sign"),
        ("Пункт 6. Армія", "Пункт 6.", ("6",), LabelKind.KEYWORD, "kw:point"),
        ("Стаття 21 Територія", "Стаття 21", ("21",), LabelKind.KEYWORD, "kw:article"),
    ],
)
def test_single_reading(line: str, label: str, parts: tuple[str, ...], kind: LabelKind, style: str) -> None:
    (reading,) = match_labels(line)
    assert (reading.text, reading.parts, reading.kind, reading.style) == (label, parts, kind, style)


def test_ambiguous_letters_get_both_readings_letter_first() -> None:
    readings = match_labels("(i) first")
    assert [(r.kind, r.value) for r in readings] == [(LabelKind.LETTER, 9), (LabelKind.ROMAN, 1)]
    assert [(r.kind, r.value) for r in match_labels("iv. fourth")] == [(LabelKind.ROMAN, 4)]
    assert [(r.kind, r.value) for r in match_labels("C) third")] == [
        (LabelKind.UPPER_LETTER, 3),
        (LabelKind.UPPER_ROMAN, 100),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "600,000 troops",
        "100 days after signing",
        "2 brigades will withdraw",
        "e.g. the fund",
        "Mr. Witkoff said",
        "1.5 million people",
        "-5 degrees",
    ],
)
def test_not_labels(line: str) -> None:
    readings = match_labels(line)
    if line.startswith("1.5"):
        # A decimal at a line start reads as a dotted label; the outline builder rejects it
        # unless point 1 is open and this is its fifth sub-point.
        assert readings[0].parts == ("1", "5")
    else:
        assert readings == ()


def test_keyword_without_delimiter_is_weak() -> None:
    (reading,) = match_labels("Article 5 guarantees apply")
    assert not reading.strong
    (alone,) = match_labels("Article 5")
    assert alone.strong


def test_roman_and_letters() -> None:
    assert [roman_value(s) for s in ("i", "iv", "IX", "xl", "mcmxcix", "iiii", "vx", "")] == [
        1, 4, 9, 40, 1999, None, None, None,
    ]
    assert [to_roman(n) for n in (1, 4, 9, 14, 40, 1999)] == ["i", "iv", "ix", "xiv", "xl", "mcmxcix"]
    assert [to_letters(n) for n in (1, 26, 27, 28, 53)] == ["a", "z", "aa", "bb", "aaa"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("6", "6"), ("12a", "12.a"), ("12 a)", "12.a"), ("12.a", "12.a"), ("3.1.", "3.1"),
     ("Article 4", "4"), ("(iii)", "iii"), ("07", "7")],
)
def test_normalise_id(raw: str, expected: str) -> None:
    assert normalise_id(raw) == expected


@pytest.mark.parametrize(
    ("line", "label", "parts", "kind", "style", "value"),
    [
        ("AC-2 Account management", "AC-2", ("AC-2",), LabelKind.CONTROL, "control", 2),
        ("AC-2(1) Automated account management", "AC-2(1)", ("AC-2", "1"), LabelKind.CONTROL, "control(enh)", 1),
        ("SA-19 Component authenticity", "SA-19", ("SA-19",), LabelKind.CONTROL, "control", 19),
        ("4A. Inserted section", "4A.", ("4A",), LabelKind.NUMBER, "number.", 4),
        ("Article 4a. Reporting", "Article 4a.", ("4a",), LabelKind.KEYWORD, "kw:article", 4),
        ("§ 312a Widerrufsrecht", "§ 312a", ("312a",), LabelKind.KEYWORD, "kw:section-sign", 312),
        ("Annex II. Lists", "Annex II.", ("Annex II",), LabelKind.KEYWORD, "kw:annex", 2),
        ("Appendix A. Definitions", "Appendix A.", ("Appendix A",), LabelKind.KEYWORD, "kw:appendix", 1),
        ("Schedule 2 Timetable", "Schedule 2", ("Schedule 2",), LabelKind.KEYWORD, "kw:schedule", 2),
        ("A.3 Third definition", "A.3", ("A", "3"), LabelKind.DOTTED, "dotted", 3),
        ("Article 4 a) sub-point", "Article 4 a)", ("4", "a"), LabelKind.KEYWORD, "kw:article", 1),
    ],
)
def test_catalogue_amendment_and_annex_labels(
    line: str, label: str, parts: tuple[str, ...], kind: LabelKind, style: str, value: int
) -> None:
    (reading,) = match_labels(line)
    assert (reading.text, reading.parts, reading.kind, reading.style, reading.value) == (label, parts, kind, style, value)


def test_inserted_and_control_labels_are_believed_only_where_they_could_be_labels() -> None:
    (inserted,) = match_labels("4G networks will be built")
    assert (inserted.parts, inserted.strong, inserted.inserted) == (("4G",), False, True)
    (control,) = match_labels("EU-27 member states agree")
    assert not control.strong
    (enhancement,) = match_labels("AC-2(1) Automated")
    assert enhancement.strong
    assert [normalise_id(t) for t in ("4A", "AC-2(1)", "Annex IV", "A.3", "12a")] == ["4A", "AC-2.1", "Annex IV", "A.3", "12.a"]


def test_roman_labels_are_written_as_word_writes_them_from_1_to_3999() -> None:
    # Word's lowerRoman format: every value reads back as itself, in lower case.
    for n in range(1, 4000):
        numeral = to_roman(n)
        assert numeral == numeral.lower() and roman_value(numeral) == n, (n, numeral)
    assert [to_roman(n) for n in (500, 400, 100, 50, 3888)] == ["d", "cd", "c", "l", "mmmdccclxxxviii"]


def test_a_letter_label_below_one_is_written_as_its_number() -> None:
    # A Word list whose lowerLetter level starts at 0 shows "0", not a letter.
    assert [to_letters(n) for n in (0, -2)] == ["0", "-2"]


@pytest.mark.parametrize(
    ("line", "text", "parts", "value", "strong"),
    [
        # A single letter is a letter, even one that is also a Roman numeral (D = 500).
        ("Annex D. Maps", "Annex D.", ("Annex D",), 4, True),
        ("Annex IV - Lists", "Annex IV -", ("Annex IV",), 4, True),
        # Ukrainian annexes are lettered in Cyrillic: А, Б, В …
        ("Додаток А. Карти", "Додаток А.", ("Додаток А",), 1, True),
        ("Додаток Б. Карти", "Додаток Б.", ("Додаток Б",), 2, True),
        ("ДОДАТОК В", "ДОДАТОК В", ("Додаток В",), 3, True),
        # Two different letters count nothing.
        ("Appendix AB. Tables", "Appendix AB.", ("Appendix AB",), 0, True),
        # No delimiter: a label only before a capital or the end of the line.
        ("Annex B Maps", "Annex B", ("Annex B",), 2, True),
        ("Annex B provisions apply", "Annex B", ("Annex B",), 2, False),
        ("Annex B. provisions apply", "Annex B.", ("Annex B",), 2, True),
    ],
)
def test_annexes_are_named_by_keyword_and_number(line: str, text: str, parts: tuple[str, ...], value: int, strong: bool) -> None:
    (reading,) = match_labels(line)
    assert (reading.text, reading.parts, reading.value, reading.strong) == (text, parts, value, strong)
    assert reading.alias == parts[0].split()[-1]
