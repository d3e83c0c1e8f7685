"""Point labels: recognise "12.", "12 a)", "(iii)", "3.1", "Article 4", "Пункт 4" and turn them into ids.

A label is recognised only at the start of a block of text; deciding whether a recognised label
really starts a point (and not a sentence that wrapped onto "2 brigades…") is the outline
builder's job, which knows what number it expects next.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class LabelKind(str, Enum):
    """The counting system a label uses."""

    NUMBER = "number"
    DOTTED = "dotted"
    LETTER = "letter"
    UPPER_LETTER = "upper-letter"
    CYRILLIC = "cyrillic"
    ROMAN = "roman"
    UPPER_ROMAN = "upper-roman"
    KEYWORD = "keyword"
    CONTROL = "control"
    """A catalogue's control: "AC-2", with enhancements "AC-2(1)"."""


@dataclass(frozen=True)
class Label:
    """One reading of a label at the start of a block."""

    text: str
    """The label exactly as written, e.g. "12 a)", "(iii)", "Article 4"."""
    kind: LabelKind
    """Counting system."""
    style: str
    """Kind plus delimiter form ("number.", "(letter)", "kw:article"): labels of one style are siblings."""
    parts: tuple[str, ...]
    """Normalised id components: ("12",), ("12", "a"), ("3", "1"), ("iii",)."""
    value: int
    """Ordinal of the last component, for checking that labels run in sequence."""
    strong: bool = True
    """False for forms that ordinary sentences also start with (a keyword label with no delimiter)."""
    inserted: bool = False
    """An article inserted by amendment ("4A", "Article 4a", "§ 312a"): it follows its number, not the next."""
    family: str = ""
    """A control's family ("AC" of "AC-2"): each family counts from 1 again."""
    alias: str = ""
    """What a sub-point's label calls this point ("A" for "Appendix A", whose sections are "A.1", "A.2")."""

    @property
    def prefix(self) -> tuple[str, ...]:
        """The components naming the parent, for dotted labels ("3.1" → ("3",)); else empty."""
        return self.parts[:-1]


_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
_ROMAN_RE = re.compile(r"^m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")

# Words that introduce a numbered provision in the languages plancmp's users draft in. "§" is
# handled with them because it behaves the same way ("§ 4", "§4.").
KEYWORDS = {
    "point": "point",
    "article": "article",
    "section": "section",
    "clause": "clause",
    "paragraph": "paragraph",
    "part": "part",
    "chapter": "chapter",
    "пункт": "point",
    "стаття": "article",
    "статья": "article",
    "розділ": "section",
    "раздел": "section",
    "параграф": "paragraph",
    "глава": "chapter",
    "частина": "part",
    "часть": "part",
    "annex": "annex",
    "appendix": "appendix",
    "schedule": "schedule",
    "додаток": "annex",
    "приложение": "annex",
    "§": "section-sign",
}
ANNEX_KEYWORDS = frozenset({"annex", "appendix", "schedule"})
"""Keywords whose points are numbered in Roman numerals or letters as often as in digits, and
are named by keyword and number together ("Annex I", "Appendix A"): an annex is not point I."""

_KW = "|".join(sorted((re.escape(k) for k in KEYWORDS if k != "§"), key=len, reverse=True))
_KEYWORD_RE = re.compile(
    rf"(?P<kw>(?i:{_KW})|§)\s*(?P<num>\d{{1,5}}(?:\.\d{{1,5}})*)"
    r"(?:(?P<ins>[A-Za-z]{1,2})(?=[\s.:]|$)|\s?(?P<sub>[a-z])(?=[.)]))?"
    r"(?P<delim>\s*(?:[.:)]|\s[-–—]))?(?=\s|$)"
)
_ANNEX_RE = re.compile(
    r"(?P<kw>(?i:annex|appendix|schedule|додаток|приложение))\s+"
    r"(?P<num>\d{1,4}|[IVXLC]{1,7}|[A-Z]{1,2}|[А-ЯІЇЄҐ])(?P<delim>\s*(?:[.:)]|\s[-–—]))?(?=\s|$)"
)
_CONTROL_RE = re.compile(
    r"(?P<fam>[A-Z]{2,3})-(?P<num>\d{1,3})(?:\s?\((?P<enh>\d{1,3})\))?(?P<delim>[.:])?(?=\s|$)"
)
_LETTER_DOTTED_RE = re.compile(r"(?P<head>[A-Z])(?P<num>(?:\.\d{1,5})+)(?P<delim>[.)]?)(?=\s|$)")
_INSERTED_RE = re.compile(r"(?P<num>\d{1,5})(?P<ins>[A-Z]{1,2}|[a-z])(?P<delim>[.)])?(?=\s|$)")
# Up to five digits: a consolidated code or a long bill runs past point 9999; a six-digit number
# at a line start is a figure, not a label.
_COMBINED_RE = re.compile(r"(?P<num>\d{1,5})\s?(?P<sub>[a-zа-яіїєґё])\)(?=\s|$)")
_DOTTED_RE = re.compile(r"(?P<num>\d{1,5}(?:\.\d{1,5})+)(?P<delim>[.)]?)(?=\s|$)")
_NUMBER_RE = re.compile(
    r"(?:\((?P<pnum>\d{1,5})\)|(?P<num>\d{1,5})(?P<delim>[.)]|\s[-–—](?=\s)))(?=\s|$)"
)
_ALPHA_RE = re.compile(
    r"(?:\((?P<pal>[A-Za-z]{1,7})\)|(?P<al>[A-Za-z]{1,7})(?P<delim>[.)]))(?=\s|$)"
)
CYRILLIC_LETTERS = "абвгґдеєёжзиіїйклмнопрстуфхцчшщъыьэюя"
"""Ukrainian and Russian letters in one order, so both alphabets' enumerations count up."""
_CYRILLIC_RE = re.compile(
    rf"(?:\((?P<pcy>[{CYRILLIC_LETTERS}])\)|(?P<cy>[{CYRILLIC_LETTERS}])\))(?=\s|$)", re.IGNORECASE
)
BULLET_RE = re.compile(r"[-*•–—·▪◦‣]\s+")
"""A bullet marker at the start of a line, followed by its text."""


def roman_value(numeral: str) -> int | None:
    """The value of a lower- or upper-case Roman numeral, or None if it is not a valid one."""
    low = numeral.lower()
    if not low or not _ROMAN_RE.match(low):
        return None
    total = 0
    for i, ch in enumerate(low):
        v = _ROMAN_VALUES[ch]
        if i + 1 < len(low) and _ROMAN_VALUES[low[i + 1]] > v:
            total -= v
        else:
            total += v
    return total


def to_roman(value: int) -> str:
    """Lower-case Roman numeral for 1 ≤ value < 4000."""
    pairs = [
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ]
    out = []
    for v, s in pairs:
        while value >= v:
            out.append(s)
            value -= v
    return "".join(out)


def to_letters(value: int) -> str:
    """Lower-case letter label as Word counts them: a … z, aa … zz, aaa …"""
    if value < 1:
        return str(value)
    letter = chr(ord("a") + (value - 1) % 26)
    return letter * ((value - 1) // 26 + 1)


def _letters_value(letters: str) -> int | None:
    """Value of "a"…"z", and of Word's doubled "aa", "bb"…; None otherwise."""
    low = letters.lower()
    if len(set(low)) != 1 or not ("a" <= low[0] <= "z"):
        return None
    return (len(low) - 1) * 26 + ord(low[0]) - ord("a") + 1


def _form(delim: str | None, paren: bool) -> str:
    if paren:
        return "()"
    d = (delim or "").strip()
    return d if d else "-" if delim else ""


def _annex_label(m: re.Match[str], s: str) -> Label:
    """ "Annex I", "Appendix A", "Schedule 2", "Додаток 1": a point named by keyword and number."""
    kw_raw, num = m.group("kw"), m.group("num")
    if num.isdigit():
        value, shown = int(num), str(int(num))
    elif roman_value(num) is not None and (len(num) > 1 or num in "IVX"):
        value, shown = roman_value(num) or 0, num.upper()
    else:
        letter = num.upper()
        value = _letters_value(letter.lower()) or (CYRILLIC_LETTERS.index(letter.lower()) + 1 if letter.lower() in CYRILLIC_LETTERS else 0)
        shown = letter
    keyword = kw_raw[:1].upper() + kw_raw[1:].lower()
    family = KEYWORDS.get(kw_raw.lower(), "annex")
    rest = s[m.end():].strip()
    return Label(
        text=m.group(0).rstrip(),
        kind=LabelKind.KEYWORD,
        style=f"kw:{family}",
        parts=(f"{keyword} {shown}",),
        value=value,
        strong=bool(m.group("delim")) or not rest or rest[:1].isupper(),
        family=family,
        alias=shown,
    )


def match_labels(text: str) -> tuple[Label, ...]:
    """Every reading of a label at the very start of text (after leading spaces); () if none.

    Ambiguous labels ("(i)", "v.", "C)") get two readings, letter first, roman second; the outline
    builder picks one from what came before.
    """
    s = text.lstrip()
    if not s:
        return ()
    m = _ANNEX_RE.match(s)
    if m and not m.group("num").isdigit():
        return (_annex_label(m, s),)
    m = _KEYWORD_RE.match(s)
    if m:
        kw_raw = m.group("kw")
        kw = KEYWORDS.get(kw_raw.lower(), "section-sign")
        if kw in ANNEX_KEYWORDS or kw_raw.lower() in ("додаток", "приложение"):
            annex = _ANNEX_RE.match(s)
            if annex:
                return (_annex_label(annex, s),)
        nums = m.group("num").split(".")
        parts = tuple(str(int(n)) for n in nums)
        sub, ins = m.group("sub"), m.group("ins")
        if ins:
            # "Article 4a", "§ 312a": an article inserted after 4 by an amendment, a point of its own.
            parts = parts[:-1] + (parts[-1] + ins,)
        elif sub:
            parts += (sub,)
        value = _letters_value(sub) if sub else int(nums[-1])
        delim = m.group("delim")
        # "Article 5 guarantees…" opens many sentences; only a delimiter, the end of the line or a
        # section sign makes the label certain.
        rest = s[m.end():].strip()
        strong = bool(delim) or not rest or kw == "section-sign"
        return (
            Label(
                text=m.group(0).rstrip(),
                kind=LabelKind.KEYWORD,
                style=f"kw:{kw}",
                parts=parts,
                value=value or 0,
                strong=strong,
                inserted=bool(ins),
            ),
        )
    m = _CONTROL_RE.match(s)
    if m:
        base = f"{m.group('fam')}-{int(m.group('num'))}"
        enhancement = m.group("enh")
        # A catalogue's control ("AC-2") and its enhancements ("AC-2(1)"), which are its sub-points.
        return (
            Label(
                text=m.group(0),
                kind=LabelKind.CONTROL,
                style="control(enh)" if enhancement else "control",
                parts=(base, str(int(enhancement))) if enhancement else (base,),
                value=int(enhancement) if enhancement else int(m.group("num")),
                # "EU-27 member states…" also starts sentences: a control is believed where it
                # is next in its family's line; an enhancement's "(1)" is unmistakable.
                strong=bool(enhancement),
                family=base if enhancement else m.group("fam"),
            ),
        )
    m = _COMBINED_RE.match(s)
    if m:
        sub = m.group("sub")
        return (
            Label(
                text=m.group(0),
                kind=LabelKind.LETTER,
                style="letter)",
                parts=(str(int(m.group("num"))), sub),
                value=_letters_value(sub) or (CYRILLIC_LETTERS.index(sub) + 1 if sub in CYRILLIC_LETTERS else 0),
            ),
        )
    m = _DOTTED_RE.match(s)
    if m:
        nums = m.group("num").split(".")
        return (
            Label(
                text=m.group(0),
                kind=LabelKind.DOTTED,
                style="dotted",
                parts=tuple(str(int(n)) for n in nums),
                value=int(nums[-1]),
            ),
        )
    m = _LETTER_DOTTED_RE.match(s)
    if m:
        # "A.3": section 3 of Appendix A.
        nums = m.group("num").lstrip(".").split(".")
        return (
            Label(
                text=m.group(0),
                kind=LabelKind.DOTTED,
                style="dotted",
                parts=(m.group("head"), *(str(int(n)) for n in nums)),
                value=int(nums[-1]),
            ),
        )
    m = _INSERTED_RE.match(s)
    if m:
        # "4A." — an article inserted after 4 by an amendment. Without a delimiter ("4A Title") it
        # could be a figure or a grade ("4G networks"), so it is believed only where it is next in line.
        delim = m.group("delim")
        return (
            Label(
                text=m.group(0),
                kind=LabelKind.NUMBER,
                style=f"number{_form(delim, False)}" if delim else "number.",
                parts=(str(int(m.group("num"))) + m.group("ins"),),
                value=int(m.group("num")),
                strong=bool(delim),
                inserted=True,
            ),
        )
    m = _NUMBER_RE.match(s)
    if m:
        paren = m.group("pnum") is not None
        num = m.group("pnum") or m.group("num")
        form = _form(m.group("delim"), paren)
        return (
            Label(
                text=m.group(0),
                kind=LabelKind.NUMBER,
                style=f"number{form}",
                parts=(str(int(num)),),
                value=int(num),
            ),
        )
    m = _CYRILLIC_RE.match(s)
    if m:
        paren = m.group("pcy") is not None
        letter = (m.group("pcy") or m.group("cy")).lower()
        return (
            Label(
                text=m.group(0),
                kind=LabelKind.CYRILLIC,
                style=f"cyrillic{_form(')', paren)}",
                parts=(letter,),
                value=CYRILLIC_LETTERS.index(letter) + 1,
            ),
        )
    m = _ALPHA_RE.match(s)
    if m:
        paren = m.group("pal") is not None
        word = m.group("pal") or m.group("al")
        form = _form(m.group("delim"), paren)
        upper = word.isupper()
        if not (word.islower() or upper):
            return ()
        readings: list[Label] = []
        letter_value = _letters_value(word)
        if letter_value is not None and len(word) <= 3:
            kind = LabelKind.UPPER_LETTER if upper else LabelKind.LETTER
            readings.append(
                Label(
                    text=m.group(0),
                    kind=kind,
                    style=f"{kind.value}{form}",
                    parts=(word.lower(),),
                    value=letter_value,
                )
            )
        rv = roman_value(word)
        if rv is not None:
            kind = LabelKind.UPPER_ROMAN if upper else LabelKind.ROMAN
            readings.append(
                Label(
                    text=m.group(0),
                    kind=kind,
                    style=f"{kind.value}{form}",
                    parts=(word.lower(),),
                    value=rv,
                )
            )
        return tuple(readings)
    return ()


_ID_SPLIT = re.compile(r"[.\s]+")


def normalise_id(raw: str) -> str:
    """A user-typed point reference ("6", "12a", "12 a)", "(iii)", "3.1.", "Article 4") as an id."""
    s = raw.strip()
    labels = match_labels(s + " x")
    # "12a" typed by a user means sub-point 12.a, as it always has; a draft's own "Article 4a"
    # is found from it all the same (Document.find matches ids regardless of dots and case).
    bare_inserted = labels and labels[0].inserted and labels[0].kind is LabelKind.NUMBER and s[-1:].islower()
    if labels and not bare_inserted and s.endswith(labels[0].text.strip()) and len(labels[0].text.strip()) == len(s):
        return ".".join(labels[0].parts)
    s = s.strip("()").rstrip(".)").lower()
    m = re.fullmatch(r"(\d+)\s*([a-z]+)", s)
    if m:
        return f"{int(m.group(1))}.{m.group(2)}"
    parts = [p for p in _ID_SPLIT.split(s) if p]
    return ".".join(str(int(p)) if p.isdigit() else p for p in parts)
