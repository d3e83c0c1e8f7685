"""The plain-text reader: exact points, outside text, warnings, encodings, faithfulness."""

from __future__ import annotations

import codecs
import random

import pytest

from plancmp.errors import PlancmpError
from plancmp.model import Document, OutsideKind
from plancmp.parse import Format, parse_bytes
from plancmp.parse.decode import decode_text
from plancmp.parse.from_text import read_text
from tests.conftest import assert_faithful


def points(doc: Document) -> list[tuple[str, str, str]]:
    return [(p.id, p.label, p.text) for p in doc.walk()]


def test_points_sub_points_headings_and_closing_text() -> None:
    text = (
        "DRAFT FRAMEWORK\n"
        "\n"
        "The parties agree as follows:\n"
        "\n"
        "1. Sovereignty is confirmed.\n"
        "2. A pact will be concluded within 100 days.\n"
        "2 brigades will withdraw.\n"
        "\n"
        "Security\n"
        "\n"
        "3. The armed forces are capped at 600,000.\n"
        "   Wrapped and indented.\n"
        "\n"
        "   A second paragraph of point 3.\n"
        "12. Reconstruction:\n"
        "   a) a development fund;\n"
        "   b) gas infrastructure;\n"
        "      (i) pipelines\n"
        "      (ii) storage\n"
        "   c) a World Bank package.\n"
        "   - with a bullet\n"
        "13. Last point.\n"
        "---\n"
        "Signed in Geneva.\n"
    )
    doc = read_text(text, "draft.txt")
    assert points(doc) == [
        ("1", "1.", "Sovereignty is confirmed."),
        ("2", "2.", "A pact will be concluded within 100 days. 2 brigades will withdraw."),
        ("3", "3.", "The armed forces are capped at 600,000. Wrapped and indented.\nA second paragraph of point 3."),
        ("12", "12.", "Reconstruction:"),
        ("12.a", "a)", "a development fund;"),
        ("12.b", "b)", "gas infrastructure;"),
        ("12.b.i", "(i)", "pipelines"),
        ("12.b.ii", "(ii)", "storage"),
        ("12.c", "c)", "a World Bank package.\n- with a bullet"),
        ("13", "13.", "Last point."),
    ]
    assert [(o.kind, o.text, o.after) for o in doc.outside] == [
        (OutsideKind.HEADING, "DRAFT FRAMEWORK", None),
        (OutsideKind.PARAGRAPH, "The parties agree as follows:", None),
        (OutsideKind.HEADING, "Security", "2"),
        (OutsideKind.RULE, "---", "13"),
        (OutsideKind.PARAGRAPH, "Signed in Geneva.", "13"),
    ]
    assert doc.title == "DRAFT FRAMEWORK"
    assert doc.warnings == ("draft.txt:15: labels 4 to 11 are missing (3 is followed by 12)",)
    assert [p.line for p in doc.points] == [5, 6, 11, 15, 22]
    assert_faithful(doc, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Point 1. One.\nPoint 2: Two.", [("1", "Point 1.", "One."), ("2", "Point 2:", "Two.")]),
        ("Article 1\nThe text of one.\n\nArticle 2\n\nThe text of two.",
         [("1", "Article 1", "The text of one."), ("2", "Article 2", "The text of two.")]),
        ("§ 1 First.\n§ 2 Second.", [("1", "§ 1", "First."), ("2", "§ 2", "Second.")]),
        ("Пункт 1. Суверенітет.\nПункт 2. Ненапад.", [("1", "Пункт 1.", "Суверенітет."), ("2", "Пункт 2.", "Ненапад.")]),
        ("Стаття 1 Перша.\nСтаття 2 Друга.", [("1", "Стаття 1", "Перша."), ("2", "Стаття 2", "Друга.")]),
        ("(1) One.\n(2) Two.", [("1", "(1)", "One."), ("2", "(2)", "Two.")]),
        ("1 - One.\n2 - Two.", [("1", "1 -", "One."), ("2", "2 -", "Two.")]),
        ("1) One.\n2) Two.", [("1", "1)", "One."), ("2", "2)", "Two.")]),
        ("1. Scope.\n1.1 First detail.\n1.1.2 Deeper.\n1.2. Second detail.\n2. Next.",
         [("1", "1.", "Scope."), ("1.1", "1.1", "First detail."), ("1.1.2", "1.1.2", "Deeper."),
          ("1.2", "1.2.", "Second detail."), ("2", "2.", "Next.")]),
        ("Article 4. Dialogue.\n1. Talks.\n2. Meetings.\nArticle 5. Guarantees.",
         [("4", "Article 4.", "Dialogue."), ("4.1", "1.", "Talks."), ("4.2", "2.", "Meetings."),
          ("5", "Article 5.", "Guarantees.")]),
        ("1. Items:\n(a) first;\n(b) second;\n(h) eighth;\n(i) ninth.",
         [("1", "1.", "Items:"), ("1.a", "(a)", "first;"), ("1.b", "(b)", "second;"),
          ("1.h", "(h)", "eighth;"), ("1.i", "(i)", "ninth.")]),
        ("1. Items:\n(i) first;\n(ii) second;\n(iii) third.",
         [("1", "1.", "Items:"), ("1.i", "(i)", "first;"), ("1.ii", "(ii)", "second;"),
          ("1.iii", "(iii)", "third.")]),
    ],
)
def test_label_styles(text: str, expected: list[tuple[str, str, str]]) -> None:
    doc = read_text(text, "x.txt")
    assert points(doc) == expected
    assert_faithful(doc, text)


def test_numbers_inside_sentences_are_not_labels() -> None:
    text = (
        "1. Elections will be held within\n"
        "100 days. The result is final.\n"
        "2. Forces will withdraw by\n"
        "2026. Monitors will verify it, and\n"
        "3 brigades stay.\n"
        "3. Article 5 of the treaty applies and\n"
        "Article 5 guarantees are extended.\n"
    )
    doc = read_text(text, "x.txt")
    assert [p.id for p in doc.points] == ["1", "2", "3"]
    assert doc.points[1].text == "Forces will withdraw by 2026. Monitors will verify it, and 3 brigades stay."
    assert doc.points[2].text == "Article 5 of the treaty applies and Article 5 guarantees are extended."
    assert doc.warnings == ()


def test_duplicate_labels_are_read_and_warned() -> None:
    doc = read_text("1. One.\n2. Two.\n2. Two again.\n3. Three.", "dup.txt")
    assert [p.id for p in doc.points] == ["1", "2", "2#2", "3"]
    assert doc.warnings == ("dup.txt:3: label 2. repeats an earlier one; read as point 2#2",)


def test_out_of_order_labels_are_read_and_warned() -> None:
    doc = read_text("1. One.\n\n5. Five.\n\n4. Four.", "order.txt")
    assert [p.id for p in doc.points] == ["1", "5", "4"]
    # 4 comes later: missing are 2 and 3, and 4 is out of order.
    assert doc.warnings == (
        "order.txt:3: labels 2 and 3 are missing (1 is followed by 5)",
        "order.txt:5: label 4. follows 5.; labels are out of order",
    )
    # Every label of the gap comes later: no gap, only the order.
    doc = read_text("1. One.\n2. Two.\n4. Four.\n3. Three.\n", "swap.txt")
    assert doc.warnings == ("swap.txt:4: label 3. follows 4.; labels are out of order",)
    doc = read_text("1. One.\n6. Six.\n3. Three.\n5. Five.\n", "holes.txt")
    assert doc.warnings[0] == "holes.txt:2: labels 2 and 4 are missing (1 is followed by 6)"
    doc = read_text("1. One.\n8. Eight.\n3. Three.\n", "many.txt")
    assert doc.warnings[0] == "many.txt:2: labels 2, 4, 5, 6 and 7 are missing (1 is followed by 8)"
    doc = read_text("1. One.\n7. Seven.\n2. Two.\n", "run.txt")
    assert doc.warnings[0] == "run.txt:2: labels 3 to 6 are missing (1 is followed by 7)"
    # An annex that numbers from 1 again is another list: its 2 and 3 are not the gap's.
    doc = read_text("1. A.\n4. D.\n5. E.\n\nAnnex\n\n1. x\n2. y\n3. z\n", "annex.txt")
    assert doc.warnings == (
        "annex.txt:2: labels 2 and 3 are missing (1 is followed by 4)",
        "annex.txt:7: label 1. repeats an earlier one; read as point 1#2",
    )


def test_a_gap_in_the_numbering_names_the_missing_label() -> None:
    doc = read_text("1. One.\n2. Two.\n4. Four.\n5. Five.\n7. Seven:\n   a) first;\n   c) third.\n", "gap.txt")
    assert [p.id for p in doc.walk()] == ["1", "2", "4", "5", "7", "7.a", "7.c"]
    assert doc.warnings == (
        "gap.txt:3: label 3 is missing (2 is followed by 4)",
        "gap.txt:5: label 6 is missing (5 is followed by 7)",
        "gap.txt:7: label 7.b is missing (7.a is followed by 7.c)",
    )


def test_dotted_numbering_that_starts_again_in_each_section_is_not_a_gap() -> None:
    doc = read_text("1.1 First.\n1.2 Second.\n2.1 Third.\n2.2 Fourth.\n3.1 Fifth.\n", "sections.txt")
    assert [p.id for p in doc.points] == ["1.1", "1.2", "2.1", "2.2", "3.1"]
    assert doc.warnings == ()


def test_more_than_ten_warnings_of_a_kind_are_one_line_with_the_count() -> None:
    # Every even number missing: 29 gaps; and one repeated label, which keeps its own line.
    text = "".join(f"{2 * k + 1}. Point {k}.\n" for k in range(30)) + "59. Again.\n"
    doc = read_text(text, "odd.txt")
    assert len(doc.points) == 31
    assert doc.warnings == (
        ("odd.txt:2: label 2 is missing (1 is followed by 3); and 28 more gaps in the numbering "
        "(plancmp points lists every point read)"),
        "odd.txt:31: label 59. repeats an earlier one; read as point 59#2",
    )
    ten = read_text("".join(f"{2 * k + 1}. Point {k}.\n" for k in range(11)), "ten.txt")
    assert len(ten.warnings) == 10 and ten.warnings[-1] == "ten.txt:11: label 20 is missing (19 is followed by 21)"


def test_no_points_gives_an_empty_document() -> None:
    doc = read_text("Just a letter.\n\nWith two paragraphs.", "letter.txt")
    assert doc.points == ()
    assert [o.text for o in doc.outside] == ["Just a letter.", "With two paragraphs."]


ENCODED = "1. Суверенітет України підтверджується.\r\n2. Армія — 800 000.\r\n"


@pytest.mark.parametrize(
    "data",
    [
        ENCODED.encode("utf-8"),
        codecs.BOM_UTF8 + ENCODED.encode("utf-8"),
        ENCODED.encode("utf-16"),  # with BOM
        ENCODED.encode("utf-16-le"),  # without BOM
        ENCODED.encode("cp1251"),
        ENCODED.replace("\r\n", "\r").encode("utf-8"),  # lone CR, old Mac files
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le-no-bom", "cp1251", "lone-cr"],
)
def test_encodings_and_line_ends(data: bytes) -> None:
    doc = parse_bytes(data, "ua.txt", Format.TEXT)
    assert points(doc) == [
        ("1", "1.", "Суверенітет України підтверджується."),
        ("2", "2.", "Армія — 800 000."),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x00\x01\x02\x03binary\x00\xff" * 10, "x.txt: is a binary file (it contains NUL bytes), not a text draft; give a .txt, .md, .docx or .pdf draft"),
        (b"%PDF-1.7\n%\xe2\xe3", "x.txt: is a PDF, not a text draft; give it the .pdf extension"),
        (b"PK\x03\x04rest", "x.txt: is a zip archive (a Word file?), not a text draft; if it is a Word document, give it the .docx extension"),
        (b"1. caf\xe9 \x80\x81\x82 na\xefve", ("x.txt: is not UTF-8 text (undecodable byte at offset 6) and not Windows-1251 Cyrillic; re-save it as UTF-8, "
         "or name its encoding (--encoding cp1252, --encoding latin-1)")),
    ],
)
def test_undecodable_input_is_refused_with_a_message(data: bytes, message: str) -> None:
    with pytest.raises(PlancmpError) as info:
        decode_text(data, "x.txt")
    assert str(info.value) == message


def _random_draft(rng: random.Random) -> str:
    words = ["the", "parties", "agree", "600,000", "within", "100", "days.", "Україна", "NATO",
             "(see", "point", "4)", "—", "«guarantees»", "2", "brigades", "e.g.", "§", "a)", "1.5"]
    lines: list[str] = []
    number = 0
    for _ in range(rng.randint(1, 30)):
        roll = rng.random()
        if roll < 0.4:
            number += 1
            lines.append(f"{number}. " + " ".join(rng.choices(words, k=rng.randint(1, 12))))
        elif roll < 0.55:
            lines.append("   " + rng.choice("abcdefgh") + ") " + " ".join(rng.choices(words, k=4)))
        elif roll < 0.65:
            lines.append("")
        elif roll < 0.7:
            lines.append("- " + " ".join(rng.choices(words, k=3)))
        elif roll < 0.75:
            lines.append("Heading " + rng.choice(words))
        elif roll < 0.78:
            lines.append("---")
        else:
            lines.append(" ".join(rng.choices(words, k=rng.randint(1, 10))))
    return "\n".join(lines)


def test_faithful_on_generated_drafts() -> None:
    rng = random.Random(20251120)
    for _ in range(300):
        text = _random_draft(rng)
        assert_faithful(read_text(text, "gen.txt"), text)


def test_an_article_title_on_its_own_line_is_the_article_s_text() -> None:
    doc = read_text("Article 1\n\nScope\n\nThe text applies.\n\nArticle 2\n\nFinal provisions\n\nIt enters into force.", "t.txt")
    assert points(doc) == [
        ("1", "Article 1", "Scope\nThe text applies."),
        ("2", "Article 2", "Final provisions\nIt enters into force."),
    ]
    assert doc.outside == ()


def test_cyrillic_letter_sub_points() -> None:
    text = "Пункт 1. Відбудова:\nа) фонд розвитку;\nб) газова мережа;\nв) житло;\nд) корисні копалини.\n12 г) окремо."
    doc = read_text(text, "ua.txt")
    assert points(doc) == [
        ("1", "Пункт 1.", "Відбудова:"),
        ("1.а", "а)", "фонд розвитку;"),
        ("1.б", "б)", "газова мережа;"),
        ("1.в", "в)", "житло;"),
        ("1.д", "д)", "корисні копалини."),
        ("12.г", "12 г)", "окремо."),
    ]
    assert doc.warnings == ("ua.txt:6: label 12 г) follows Пункт 1.; labels are out of order",)


def test_children_of_a_repeated_point_keep_its_id() -> None:
    doc = read_text("1. One:\na) first.\n1. One again:\na) second.", "dup.txt")
    assert [p.id for p in doc.walk()] == ["1", "1.a", "1#2", "1#2.a"]


def test_a_signature_block_after_the_last_point_stays_outside() -> None:
    text = (
        "1. Forces withdraw.\n2. This Agreement enters into force on signature.\n\n"
        "Signed for the Northern Authority: A. Person\nSigned for the Southern Front: B. Person\n\n"
        "Done at Geneva, 1 March 2026.\n"
    )
    doc = read_text(text, "c.txt")
    assert points(doc) == [("1", "1.", "Forces withdraw."), ("2", "2.", "This Agreement enters into force on signature.")]
    assert [(o.kind.value, o.text) for o in doc.outside] == [
        ("paragraph", "Signed for the Northern Authority: A. Person Signed for the Southern Front: B. Person"),
        ("paragraph", "Done at Geneva, 1 March 2026."),
    ]
    assert_faithful(doc, text)


def test_a_control_catalogue_excerpt_reads_as_controls_and_enhancements() -> None:
    doc = read_text(
        "Access control\n\nAC-1 The organization develops an access control policy.\n"
        "AC-2 The organization manages system accounts.\nAC-2(1) Automated mechanisms support account management.\n"
        "AC-2(3) Inactive accounts are disabled.\nAT-1 The organization develops a training policy.\n",
        "catalogue.txt",
    )
    assert [(p.id, p.label, p.depth) for p in doc.walk()] == [
        ("AC-1", "AC-1", 0), ("AC-2", "AC-2", 0), ("AC-2.1", "AC-2(1)", 1), ("AC-2.3", "AC-2(3)", 1), ("AT-1", "AT-1", 0),
    ]
    assert doc.warnings == ()


def test_inserted_articles_annexes_and_appendix_sections() -> None:
    doc = read_text(
        "Article 4. Scope.\nArticle 4a. Reporting, inserted by the amendment.\nArticle 5. Entry into force.\n"
        "\nAnnex I\nList of goods.\nAnnex II\nList of services.\n"
        "Appendix A. Definitions.\nA.1 Goods means goods.\nA.2 Services means services.\n",
        "act.txt",
    )
    assert [(p.id, [c.id for c in p.children]) for p in doc.points] == [
        ("4", []), ("4a", []), ("5", []), ("Annex I", []), ("Annex II", []), ("Appendix A", ["A.1", "A.2"]),
    ]
    assert doc.find("annex ii") is doc.points[4] and doc.find("4A") is doc.points[1]
    assert doc.warnings == ()


def test_lettered_sections_inserted_between_numbered_ones_are_points_of_their_own() -> None:
    doc = read_text("1. First.\n2. Second.\n2A. Inserted after 2.\n2B. Also inserted.\n3. Third.\n", "act.txt")
    assert [p.id for p in doc.points] == ["1", "2", "2A", "2B", "3"]
    assert doc.warnings == ()


# -- bullet-only drafts ----------------------------------------------------------------------------

BULLETS = (
    "Read-out of the talks\n"
    "\n"
    "The delegations discussed:\n"
    "\n"
    "- a ceasefire along the line of contact;\n"
    "- the exchange of prisoners,\n"
    "  all for all;\n"
    "    • civilians first\n"
    "    • then the military\n"
    "- elections within 100 days.\n"
)


def test_a_draft_of_bullets_reads_them_as_points_numbered_by_position() -> None:
    doc = read_text(BULLETS, "draft.txt")
    assert points(doc) == [
        ("1", "-", "a ceasefire along the line of contact;"),
        ("2", "-", "the exchange of prisoners, all for all;"),
        ("2.a", "•", "civilians first"),
        ("2.b", "•", "then the military"),
        ("3", "-", "elections within 100 days."),
    ]
    assert not any(p.auto_label for p in doc.walk())
    assert [(o.kind, o.text) for o in doc.outside] == [
        (OutsideKind.HEADING, "Read-out of the talks"),
        (OutsideKind.PARAGRAPH, "The delegations discussed:"),
    ]
    assert doc.warnings == (
        ("draft.txt: no numbered points: read its 3 bulleted items (and 2 nested ones) as points "
        "numbered by position"),
    )
    assert_faithful(doc, BULLETS)


def test_bullets_forced_over_typed_numbers() -> None:
    text = "1. Talks resumed on Monday.\n\n- Ceasefire.\n- Prisoners.\n2. Next round in Geneva.\n"
    assert [p.id for p in read_text(text, "draft.txt").walk()] == ["1", "2"]
    doc = read_text(text, "draft.txt", bullets=True)
    assert points(doc) == [("1", "-", "Ceasefire."), ("2", "-", "Prisoners.\n2. Next round in Geneva.")]
    assert [o.text for o in doc.outside] == ["1. Talks resumed on Monday."]
    assert doc.warnings == ("draft.txt: --bullets: read its 2 bulleted items as points numbered by position",)
    assert_faithful(doc, text)


def test_bullets_are_not_points_where_the_draft_has_numbered_ones() -> None:
    text = "1. Ceasefire:\n   - along the line;\n   - monitored.\n2. Elections.\n"
    doc = read_text(text, "draft.txt")
    assert points(doc) == [("1", "1.", "Ceasefire:\n- along the line;\n- monitored."), ("2", "2.", "Elections.")]
    assert doc.warnings == ()
