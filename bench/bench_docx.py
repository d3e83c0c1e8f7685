"""Word list labels as plancmp reads them, against LibreOffice: every numbering format, overrides,
restarts, numbered headings, legal numbering, lists and data in tables, contents lines, tracked
changes, Strict files. Also read times.

    python bench/bench_docx.py [--keep DIR]

Builds its documents itself (python-docx plus numbering XML, tests/docx_build.py), converts each
with `soffice --headless --convert-to txt:Text` (LibreOffice writes each list paragraph as its
label, a space and its text) and prints, per document and overall:

- numbered paragraphs: those LibreOffice shows with a number, or plancmp gives a generated label,
  and the share whose plancmp label equals the reference;
- non-list paragraphs plancmp labelled: a point started by a typed label where the document has
  no list numbering and no provision was typed (table cells, contents lines);
- read time of each document, and of a generated 12,000-paragraph one (median of 3).

The reference is LibreOffice's label, except where LibreOffice itself departs from Word's
documented rendering (it ignores w:isLgl; it does not import a dozen formats and shows decimals;
it writes some CJK formats by another system): there the reference is the documented rendering
(MS-DOCX §2.4 gives the first values of each format, MS-OI29500 §2.1.540 Word's departures from
ECMA-376), and a label with no documented value is counted as not checked, with the reason. The
departures are listed in the output.

Tracked changes: LibreOffice's text export keeps deleted text, so the reference for a tracked
draft is LibreOffice's reading of the same draft written clean — changes accepted (plancmp's
default reading) or rejected (--original).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plancmp.model import Document
from plancmp.parse.from_docx import read_docx
from tests.docx_build import Item, build_docx, strict_docx, visible_text

MARK = re.compile(r"Q\d{5}")
"""Every paragraph's text starts with its own marker (Q00017), which finds it in both readings."""
BULLETS = {"•", "◦", "▪", "", "–", "-", "o", "·"}


# -- where LibreOffice departs from Word's documented rendering --------------------------------------

_NOT_IMPORTED = (
    "hex decimalFullWidth decimalFullWidth2 decimalEnclosedFullstop decimalEnclosedParen "
    "hindiConsonants hindiNumbers hindiCounting thaiNumbers thaiCounting numberInDash "
    "japaneseDigitalTenThousand ideographZodiacTraditional taiwaneseDigital vietnameseCounting dollarText"
).split()
_ALPHABETS = {
    "russianLower": 29, "russianUpper": 29, "hebrew2": 22, "arabicAlpha": 28, "arabicAbjad": 28,
    "thaiLetters": 43, "hindiVowels": 33,
}


def lo_departs(fmt: str, value: int) -> str | None:
    """Why LibreOffice 7.4's label for this format and value is not Word's, or None if it is."""
    if fmt in _NOT_IMPORTED:
        return "LibreOffice does not import this format and shows decimals"
    if fmt == "ideographDigital" and value >= 10:
        return "LibreOffice counts (十); the format writes digit by digit (一〇, MS-DOCX §2.4)"
    if fmt == "chineseCounting" and value >= 100:
        return "LibreOffice counts on (一百); the format writes digits from 100 (一○○, MS-DOCX §2.4)"
    if fmt in ("chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand") and "0" in str(value)[1:]:
        return "LibreOffice writes 零 for zeros inside the number; Word does not write U+96F6 (MS-OI29500 §2.1.540 e); no documented label"
    if fmt == "ideographEnclosedCircle":
        return "LibreOffice writes circled digits; Word parenthesized ideographs (MS-OI29500 §2.1.540 a)"
    if fmt == "arabicAbjad" and value == 1:
        return "LibreOffice writes U+0627; Word's first abjad letter is U+0623 (MS-DOCX §2.4)"
    if fmt in _ALPHABETS and value > _ALPHABETS[fmt]:
        return "LibreOffice counts on in pairs past the alphabet (аа, аб); no documented value"
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and value > 20:
        return "LibreOffice goes on to ㊿; no documented value past ⑳"
    if fmt == "japaneseCounting" and value >= 100:
        return "LibreOffice writes Chinese counting (一百) for Japanese (百); no documented value"
    if fmt == "japaneseLegal" and value >= 10:
        return "LibreOffice writes digit by digit (壱零); no documented value"
    if fmt in ("lowerLetter", "upperLetter") and value > 780:
        return "Word starts the letters again after 780 (30 z's); LibreOffice goes on; no documented value"
    if fmt == "chicago" and value > 400:
        return "LibreOffice writes more than 100 symbols; plancmp writes decimals past 100; no documented value"
    if fmt in ("cardinalText", "ordinalText") and value > 1000 and value % 1000 < 100:
        return "LibreOffice writes British 'and' (One thousand and one); no documented value"
    if fmt == "hebrew1" and value >= 1000:
        return "LibreOffice writes words for thousands (אלף); no documented value"
    return None


def _chars(*codes: int) -> str:
    return "".join(map(chr, codes))


# The first values MS-DOCX §2.4 gives for each format (code points as printed there), and the
# values MS-OI29500 §2.1.540 states Word shows; written here by hand, independently of plancmp.
DOCUMENTED: dict[tuple[str, int], str] = {}
for _fmt, _values, _labels in (
    ("aiueo", (1, 2, 3), (_chars(0xFF71), _chars(0xFF72), _chars(0xFF73))),
    ("aiueoFullWidth", (1, 2, 3), (_chars(0x30A2), _chars(0x30A4), _chars(0x30A6))),
    ("arabicAbjad", (1, 2, 3), (_chars(0x0623), _chars(0x0628), _chars(0x062C))),
    ("arabicAlpha", (1, 2, 3), (_chars(0x0623), _chars(0x0628), _chars(0x062A))),
    ("cardinalText", (1, 2, 3), ("One", "Two", "Three")),
    ("chicago", (1, 2, 3), ("*", "†", "‡")),
    ("chineseCounting", (1, 10, 100), (_chars(0x4E00), _chars(0x5341), _chars(0x4E00, 0x25CB, 0x25CB))),
    ("chineseCountingThousand", (1, 10, 100), (_chars(0x4E00), _chars(0x5341), _chars(0x4E00, 0x767E))),
    ("chineseLegalSimplified", (1, 2, 3), (_chars(0x58F9), _chars(0x8D30), _chars(0x53C1))),
    ("chosung", (1, 2, 3), (_chars(0x3131), _chars(0x3134), _chars(0x3137))),
    ("decimalEnclosedCircle", (1, 2, 3), (_chars(0x2460), _chars(0x2461), _chars(0x2462))),
    ("decimalEnclosedFullstop", (1, 2, 3), (_chars(0x2488), _chars(0x2489), _chars(0x248A))),
    ("decimalEnclosedParen", (1, 2, 3), (_chars(0x2474), _chars(0x2475), _chars(0x2476))),
    ("decimalFullWidth", (1, 2, 3), (_chars(0xFF11), _chars(0xFF12), _chars(0xFF13))),
    ("decimalZero", (1, 2, 3), ("01", "02", "03")),
    ("ganada", (1, 2, 3), (_chars(0xAC00), _chars(0xB098), _chars(0xB2E4))),
    ("hebrew1", (1, 10, 100), (_chars(0x05D0), _chars(0x05D9), _chars(0x05E7))),
    ("hebrew2", (1, 2, 3), (_chars(0x05D0), _chars(0x05D1), _chars(0x05D2))),
    ("hex", (1, 10, 11), ("1", "A", "B")),
    ("hindiConsonants", (1, 2, 3), (_chars(0x0905), _chars(0x0906), _chars(0x0907))),
    ("hindiCounting", (1, 2, 3), (_chars(0x090F, 0x0915), _chars(0x0926, 0x094B), _chars(0x0924, 0x0940, 0x0928))),
    ("hindiNumbers", (1, 2, 3), (_chars(0x0967), _chars(0x0968), _chars(0x0969))),
    ("hindiVowels", (1, 2, 3), (_chars(0x0915), _chars(0x0916), _chars(0x0917))),
    ("ideographDigital", (1, 10, 100), (_chars(0x4E00), _chars(0x4E00, 0x3007), _chars(0x4E00, 0x3007, 0x3007))),
    ("ideographEnclosedCircle", (1, 2, 3), (_chars(0x3220), _chars(0x3221), _chars(0x3222))),
    ("ideographLegalTraditional", (1, 2, 3), (_chars(0x58F9), _chars(0x8CB3), _chars(0x53C3))),
    ("ideographTraditional", (1, 2, 3), (_chars(0x7532), _chars(0x4E59), _chars(0x4E19))),
    ("ideographZodiac", (1, 2, 3), (_chars(0x5B50), _chars(0x4E11), _chars(0x5BC5))),
    # MS-OI29500 §2.1.540 c: after its 46 kana, aiueo starts again.
    ("aiueo", (47,), (_chars(0xFF71),)),
    ("aiueoFullWidth", (47,), (_chars(0x30A2),)),
    # ECMA-376 §17.16.4.3 (CardText "one hundred twenty-three"), capitalised as lists show it.
    ("cardinalText", (123,), ("One hundred twenty-three",)),
):
    DOCUMENTED.update(zip(((_fmt, v) for v in _values), _labels))

def _shifted(value: int, zero: int) -> str:
    return "".join(chr(zero + int(d)) for d in str(value))


def defined(fmt: str, value: int) -> str | None:
    """Labels that follow from a format's definition by substituting digits or counting through a
    fixed set, where MS-DOCX §2.4's first values show the set (written here apart from plancmp):
    None where the definition leaves the label open."""
    if fmt == "hex":
        return f"{value:X}"
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return _shifted(value, 0xFF10)
    if fmt == "hindiNumbers":
        return _shifted(value, 0x0966)
    if fmt == "thaiNumbers":
        return _shifted(value, 0x0E50)
    if fmt == "numberInDash":
        return f"- {value} -"
    if fmt == "ideographDigital":
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(value))
    if fmt == "decimalEnclosedFullstop" and value <= 20:
        return chr(0x2487 + value)
    if fmt == "decimalEnclosedParen" and value <= 20:
        return chr(0x2473 + value)
    if fmt == "ideographEnclosedCircle" and value <= 10:
        return chr(0x321F + value)
    if fmt == "ideographZodiacTraditional" and value <= 60:
        return "甲乙丙丁戊己庚辛壬癸"[(value - 1) % 10] + "子丑寅卯辰巳午未申酉戌亥"[(value - 1) % 12]
    return None


FORMATS = (
    "decimal upperRoman lowerRoman upperLetter lowerLetter ordinal cardinalText ordinalText hex "
    "chicago ideographDigital japaneseCounting aiueo iroha decimalFullWidth decimalHalfWidth "
    "japaneseLegal japaneseDigitalTenThousand decimalEnclosedCircle decimalFullWidth2 aiueoFullWidth "
    "irohaFullWidth decimalZero ganada chosung decimalEnclosedFullstop decimalEnclosedParen "
    "decimalEnclosedCircleChinese ideographEnclosedCircle ideographTraditional ideographZodiac "
    "ideographZodiacTraditional taiwaneseCounting ideographLegalTraditional taiwaneseCountingThousand "
    "taiwaneseDigital chineseCounting chineseLegalSimplified chineseCountingThousand koreanDigital "
    "koreanCounting koreanLegal koreanDigital2 vietnameseCounting russianLower russianUpper "
    "numberInDash hebrew1 hebrew2 arabicAlpha arabicAbjad hindiVowels hindiConsonants hindiNumbers "
    "hindiCounting thaiLetters thaiNumbers thaiCounting bahtText dollarText"
).split()
"""Every ST_NumberFormat value that shows a number (ECMA-376 Part 1 §17.18.59)."""
VALUES = (1, 2, 3, 4, 5, 9, 10, 11, 12, 15, 16, 19, 20, 21, 22, 26, 27, 28, 29, 30, 40, 46, 47, 48, 50,
          60, 99, 100, 101, 110, 111, 123, 1000, 1001)


# -- the documents --------------------------------------------------------------------------------


@dataclass
class Case:
    """One benchmark document: how to build it, and what its reference is."""

    name: str
    items: list[Item]
    lists: dict[str, Any] = field(default_factory=dict)
    nums: dict[str, Any] = field(default_factory=dict)
    styles: dict[str, Any] = field(default_factory=dict)
    raw: bytes | None = None
    """A document built by hand instead (Strict, numbered headings)."""
    typed: set[str] = field(default_factory=set)
    """Markers of paragraphs whose typed label is meant as a point (a provision typed by hand)."""
    scaffold: set[str] = field(default_factory=set)
    """Markers of headings that only separate the lists of a case: not counted at all."""
    expected: Callable[[str], tuple[str | None, str]] | None = None
    """marker → (reference label or None, why not LibreOffice's); None: LibreOffice's is the reference."""
    original: bool = False
    """Read with --original (tracked changes rejected)."""
    clean: list[Item] | None = None
    """The same document without revisions, for LibreOffice to read as the reference."""


class _Markers:
    """Hands out Q00001, Q00002 … so every paragraph can be found in both readings."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, text: str = "") -> str:
        self.count += 1
        return f"Q{self.count:05d}" + (f" {text}" if text else "")


def formats_case(marks: _Markers) -> Case:
    """Every format at values from 1 to 1001, each value its own list starting there."""
    lists: dict[str, Any] = {}
    items: list[Item] = []
    what: dict[str, tuple[str, int]] = {}
    scaffold: set[str] = set()
    for fmt in FORMATS:
        for value in VALUES:
            name = f"{fmt}-{value}"
            lists[name] = [{"fmt": fmt, "text": "%1.", "start": value}]
            marker = marks("The parties agree.")
            what[marker.split()[0]] = (fmt, value)
            # A heading between lists: the outline builder reads a new list met inside a point
            # as a sub-list, and two thousand of them would nest past its 100 levels.
            heading = marks(f"{fmt} from {value}")
            scaffold.add(heading.split()[0])
            items += [("heading", heading), ("num", 0, marker, name)]

    def expected(marker: str) -> tuple[str | None, str]:
        if marker not in what:
            return "LO", ""  # the headings between the lists
        fmt, value = what[marker]
        reason = lo_departs(fmt, value)
        if reason is None:
            return "LO", ""
        documented = DOCUMENTED.get((fmt, value), defined(fmt, value))
        return (documented + "." if documented is not None else None), f"{fmt}: {reason}"

    return Case("formats", items, lists=lists, expected=expected, scaffold=scaffold)


def languages_case(marks: _Markers) -> Case:
    """cardinalText, ordinalText and ordinal in Russian and Ukrainian paragraphs (w:lang)."""
    lists: dict[str, Any] = {}
    items: list[Item] = []
    scaffold: set[str] = set()
    for lang in ("ru-RU", "uk-UA"):
        for fmt in ("cardinalText", "ordinalText", "ordinal"):
            for value in (1, 2, 3, 4, 5, 7, 8, 11, 20, 21, 22, 40, 50, 90, 99, 100, 101, 200, 300, 1000, 1100, 2000, 2001):
                name = f"{lang}-{fmt}-{value}"
                lists[name] = [{"fmt": fmt, "text": "%1.", "start": value}]
                heading = marks(f"{lang} {fmt} from {value}")
                scaffold.add(heading.split()[0])
                items.append(("heading", heading))
                items.append(("num", 0, marks("Сторони погоджуються."), name, {"lang": lang}))
    return Case("languages", items, lists=lists, scaffold=scaffold)


def outline_case(marks: _Markers) -> Case:
    """Multilevel lists: templates over levels, restarts, overrides, shared counters, suffixes,
    custom formats, typed provisions between them."""
    lists = {
        "main": [
            {"fmt": "decimal", "text": "%1."},
            {"fmt": "lowerLetter", "text": "%2)", "suff": "space"},
            {"fmt": "lowerRoman", "text": "(%3)", "suff": "nothing"},
        ],
        "outline": [
            {"fmt": "decimal", "text": "Article %1"},
            {"fmt": "decimal", "text": "%1.%2."},
            {"fmt": "decimal", "text": "%1.%2.%3.", "restart": 1},
        ],
        "keep": [
            {"fmt": "upperRoman", "text": "%1."},
            {"fmt": "upperLetter", "text": "%1.%2", "restart": 0},
        ],
        "zeros": [
            {"fmt": "decimal", "text": "%1", "custom": "001, 002, 003, ...", "start": 7},
            {"fmt": "decimal", "text": "%1-%2", "custom": "0001, 0002, 0003, ..."},
        ],
    }
    nums = {"again": ("main", {0: 1}), "later": ("outline", {0: 5}), "more": ("main", {1: 3})}
    items: list[Item] = [("title", marks("Framework"))]
    for _ in range(3):
        items += [
            ("num", 0, marks("Sovereignty is confirmed.")),
            ("num", 1, marks("Borders are respected.")),
            ("num", 2, marks("Monitoring from space.")),
            ("num", 2, marks("Monthly reports.")),
            ("num", 1, marks("Non-aggression.")),
            ("para", marks("A note between points.")),
        ]
    items += [("num", 0, marks("Restarted list."), "again"), ("num", 1, marks("Sub."), "again")]
    items += [("num", 1, marks("Sub from three."), "more"), ("num", 0, marks("Back on main."))]
    for level in (0, 1, 2, 1, 2, 2, 0, 2, 1, 0):
        items.append(("num", level, marks("Outline text."), "outline"))
    items += [("num", 0, marks("Override to five."), "later"), ("num", 1, marks("Its part."), "later")]
    for level in (0, 1, 1, 0, 1, 0):
        items.append(("num", level, marks("Never restarted."), "keep"))
    for level in (0, 1, 1, 0, 1):
        items.append(("num", level, marks("Zero padded."), "zeros"))
    typed = [marks("Typed provision one."), marks("Typed provision two.")]
    items += [("para", f"12. {typed[0]}"), ("para", f"13. {typed[1]}")]
    shown = simulate(items, lists, nums)
    restarting = {name for name, levels in lists.items() if any("restart" in level for level in levels)}
    owner = {item[2].split()[0]: nums.get(item[3], (item[3],))[0] if len(item) > 3 else "main" for item in items if item[0] == "num"}

    def expected(marker: str) -> tuple[str | None, str]:
        if owner.get(marker) in restarting:
            return shown[marker], _LVL_RESTART
        return "LO", ""

    return Case("outline", items, lists=lists, nums=nums, typed={t.split()[0] for t in typed}, expected=expected)


_LVL_RESTART = (
    "lvlRestart: LibreOffice ignores it; a level restarts only when the level it names, or a higher "
    "one, is used, and 0 never (ECMA-376 §17.9.10)"
)
_ROMAN = ("", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x")
_SIMPLE: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "lowerLetter": lambda v: chr(96 + v),
    "upperLetter": lambda v: chr(64 + v),
    "lowerRoman": lambda v: _ROMAN[v],
    "upperRoman": lambda v: _ROMAN[v].upper(),
}


def simulate(items: Sequence[Item], lists: Mapping[str, Any], nums: Mapping[str, Any]) -> dict[str, str]:
    """Word's counters for a few simple lists, written here from ECMA-376 §17.9 apart from
    plancmp: counters per abstract list, a w:num's startOverride on its first paragraph, a level
    passed over shown at its start and counted as used, deeper levels restarting as lvlRestart
    says (one-based level; 0 never; absent: any higher level)."""
    counters: dict[str, dict[int, int]] = {}
    used: set[str] = set()
    labels: dict[str, str] = {}
    for item in items:
        if item[0] != "num":
            continue
        level, text = item[1], item[2]
        num = item[3] if len(item) > 3 and isinstance(item[3], str) else "main"
        name, overrides = nums.get(num, (num, {}))
        spec = [dict(s) if isinstance(s, Mapping) else {"fmt": s[0], "text": s[1]} for s in lists[name]]
        values = counters.setdefault(name, {})
        if num not in used:
            used.add(num)
            for overridden in overrides:
                values.pop(overridden, None)
        starts = {lvl: overrides.get(lvl, spec[lvl].get("start", 1)) for lvl in range(len(spec))}
        values[level] = values[level] + 1 if level in values else starts[level]
        for skipped in range(level):
            values.setdefault(skipped, starts[skipped])
        for deeper in [d for d in values if d > level]:
            restart = spec[deeper].get("restart")
            if restart is None or (restart != 0 and level < restart):
                del values[deeper]

        def show(
            match: re.Match[str],
            spec: list[dict[str, Any]] = spec,
            values: dict[int, int] = values,
            starts: dict[int, int] = starts,
        ) -> str:
            ref = int(match.group(1)) - 1
            value = values.get(ref, starts[ref])
            if spec[ref].get("custom"):
                return str(value).rjust(len(spec[ref]["custom"].split(",")[0]), "0")
            return _SIMPLE[spec[ref]["fmt"]](value)

        labels[text.split()[0]] = re.sub(r"%([1-9])", show, spec[level]["text"])
    return labels


def legal_case(marks: _Markers) -> Case:
    """w:isLgl: every level in decimals, decimalZero's padding kept. LibreOffice ignores isLgl."""
    lists = {
        "legal": [
            {"fmt": "upperRoman", "text": "%1."},
            {"fmt": "lowerLetter", "text": "%1.%2.", "legal": True},
            {"fmt": "decimalZero", "text": "%1.%2.%3", "legal": True},
            {"fmt": "upperLetter", "text": "Part %1, %4", "legal": True},
        ]
    }
    items: list[Item] = []
    shown: dict[str, str] = {}
    counters = [0, 0, 0, 0]
    for level in (0, 1, 2, 2, 1, 2, 0, 1, 2, 3, 3, 1, 0, 1):
        counters[level] += 1
        counters[level + 1 :] = [0] * (3 - level)
        marker = marks("Provision.")
        values = [max(c, 1) for c in counters]
        # Word's documented "legal style numbering": all levels in Arabic numerals; decimalZero keeps
        # its zero (the "1.01"). Built here from the counters, not by plancmp's renderer.
        roman = ("I", "II", "III", "IV")[values[0] - 1]
        label = {
            0: f"{roman}.",
            1: f"{values[0]}.{values[1]}.",
            2: f"{values[0]}.{values[1]}.{values[2]:02d}",
            3: f"Part {values[0]}, {values[3]}",
        }[level]
        shown[marker.split()[0]] = label
        items.append(("num", level, marker, "legal"))

    def expected(marker: str) -> tuple[str | None, str]:
        label = shown[marker]  # every paragraph of this case is numbered
        reason = "isLgl: LibreOffice ignores it; Word shows legal levels in decimals"
        return label, ("" if not re.search(r"\d\.\d", label) and not label.startswith("Part") else reason)

    return Case("legal", items, lists=lists, expected=expected)


def tables_case(marks: _Markers) -> Case:
    """Lists inside tables, data tables, a column of labels, a bilingual table of provisions, a frame."""
    m = marks
    typed: set[str] = set()

    def t(text: str) -> str:
        marker = m(text)
        typed.add(marker.split()[0])
        return marker

    items: list[Item] = [
        ("num", 0, m("Before the tables.")),
        ("table", [
            [m("Name"), m("Phone"), m("Amount")],
            [m("Head office"), f"(812) 560-95-33 {m()}", f"226 – 23 835 512,64руб. {m()}"],
            [m("Branch"), f"31.4 {m()}", f"12. {m('per cent of the total')}"],
            [m("Branch"), f"1) {m('see annex')}", f"2025 {m()}"],
            *[[f"{n}. {m('Region')}", f"(0{n}) 44-12-0{n} {m()}", f"{n}.{n} {m('million hryvnias')}"] for n in range(1, 9)],
            [f"I. {m('Total')}", f"II. {m('of which paid')}", f"1.1 {m()}"],
        ]),
        ("para", f"1 January 2026 {m('is the date of entry into force.')}"),
        ("para", f"2025 {m('budget figures are attached.')}"),
        ("num", 0, m("Between tables.")),
        ("table", [
            [[("num", 1, m("A numbered cell."))], m("Its note.")],
            [[("num", 1, m("Another numbered cell."))], f"3. {m('Typed in a data cell.')}"],
        ]),
        ("table", [["1.", t("The first provision in a label column.")],
                   ["2.", t("The second provision.")],
                   ["3.", t("The third provision.")]]),
        ("table", [[f"1. {t('The parties agree on a ceasefire along the line.')}", m("Сторони погоджуються.")],
                   [f"2. {t('Prisoners are exchanged all for all.')}", m("Полонені обмінюються.")],
                   [f"3. {t('Elections are held within one hundred days.')}", m("Вибори протягом ста днів.")]]),
        ("table", [[[("para", f"4. {t('A provision typed inside a frame.')}"),
                     ("para", f"5. {t('Another inside the same frame.')}")]]]),
        ("num", 0, m("After the tables.")),
    ]
    return Case("tables", items, typed=typed)


def contents_case(marks: _Markers) -> Case:
    """A table of contents (field, styles, content control, typed lines) before numbered headings."""
    m = marks
    toc_field = (
        '<w:p><w:pPr><w:pStyle w:val="TOC1"/></w:pPr><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1.0</w:t></w:r>'
        f'<w:r><w:tab/><w:t>{m("Introduction")}</w:t></w:r><w:r><w:tab/><w:t>3</w:t></w:r></w:p>'
        f'<w:p><w:r><w:t>2.0</w:t></w:r><w:r><w:tab/><w:t>{m("Scope")}</w:t></w:r><w:r><w:tab/><w:t>4</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    sdt = (
        '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/>'
        '</w:docPartObj></w:sdtPr><w:sdtContent>'
        f'<w:p><w:r><w:t xml:space="preserve">Article 1. {m("Definitions")}</w:t></w:r><w:r><w:tab/><w:t>5</w:t></w:r></w:p>'
        '</w:sdtContent></w:sdt>'
    )
    typed_lines = (
        f'<w:p><w:r><w:t xml:space="preserve">SECTION 1</w:t></w:r><w:r><w:tab/><w:t>{m("Introduction")}</w:t></w:r>'
        '<w:r><w:tab/><w:t>2</w:t></w:r></w:p>'
        f'<w:p><w:r><w:t xml:space="preserve">2. {m("Scope")} ........ 7</w:t></w:r></w:p>'
    )
    lists = {"headings": [{"fmt": "decimal", "text": "%1.0"}, {"fmt": "decimal", "text": "%1.%2"}]}
    more = [("styled", "toc 2", f"3.{n}\t{m('Styled contents line')}\t{n + 4}") for n in range(1, 9)]
    more += [("para", f"{n}. {m('Annex')} {'.' * 12} {20 + n}") for n in range(1, 5)]
    items: list[Item] = [
        ("title", m("Agreement")),
        ("xml", toc_field),
        ("xml", sdt),
        ("xml", typed_lines),
        ("styled", "toc 2", f"2.1\t{m('Styled contents line')}\t4"),
        *more,
        ("num", 0, m("Introduction"), "headings"),
        ("para", m("Text of the introduction.")),
        ("num", 0, m("Scope"), "headings"),
        ("num", 1, m("Geographic scope."), "headings"),
    ]
    return Case("contents", items, lists=lists, styles={"toc 2": {}})


_HEADING_STYLES = (
    '<w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="en-US"/></w:rPr></w:rPrDefault></w:docDefaults>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    + "".join(
        f'<w:style w:type="paragraph" w:styleId="Heading{n}"><w:name w:val="heading {n}"/><w:basedOn w:val="Normal"/>'
        f'<w:pPr><w:numPr><w:ilvl w:val="{n - 1}"/><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
        for n in (1, 2, 3)
    )
    + '<w:style w:type="numbering" w:styleId="PlanList"><w:name w:val="Plan List"/>'
    '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
)
_HEADING_NUMBERING = (
    '<w:abstractNum w:abstractNumId="1"><w:styleLink w:val="PlanList"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading1"/><w:lvlText w:val="Article %1"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading2"/><w:lvlText w:val="%1.%2"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:pStyle w:val="Heading3"/><w:lvlText w:val="(%3)"/></w:lvl>'
    "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="2"><w:numStyleLink w:val="PlanList"/></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>'
)


def headings_case(marks: _Markers) -> Case:
    """Numbered headings: numbering carried by Heading styles, and a list linked by numStyleLink."""
    body = []
    for style, num in (("Heading1", None), ("Heading2", None), (None, None), ("Heading3", None),
                       ("Heading3", None), ("Heading2", None), ("Heading1", None), (None, (2, 1)),
                       (None, (2, 0)), ("Heading2", None)):
        ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
        if num is not None:
            ppr += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
        body.append(f'<w:p><w:pPr>{ppr}</w:pPr><w:r><w:t xml:space="preserve">{marks("Heading text.")}</w:t></w:r></w:p>')
    from tests.docx_build import raw_docx

    return Case("headings", [], raw=raw_docx("".join(body), numbering=_HEADING_NUMBERING, styles=_HEADING_STYLES))


_TRACKED = [
    ("num", 0, "{m} The armed forces are capped at {{-600,000-}}{{+800,000+}} personnel."),
    ("num", 0, "{{+{m} A free-trade agreement is accelerated.+}}", {"mark": "ins"}),
    ("num", 0, "{{-{m} A full amnesty is granted.-}}", {"mark": "del"}),
    ("num", 1, "{m} Elections are held {{-within 100 days-}}{{+as soon as possible+}}."),
    ("num", 0, "{m} The Dnipro is open to commerce.", {"was": None}),
    ("para", "{m} Sanctions snap back.", {"was": ("main", 0)}),
    ("num", 1, "{m} Monitoring continues."),
    ("num", 0, "{m} Final provision."),
]


def tracked_cases(marks: _Markers) -> list[Case]:
    """Tracked changes that insert, delete and renumber points, read both ways."""
    items: list[Item] = [tuple(part.format(m=marks()) if isinstance(part, str) else part for part in item) for item in _TRACKED]
    return [
        Case("tracked", items, clean=_clean(items, original=False)),
        Case("tracked --original", items, clean=_clean(items, original=True), original=True),
    ]


def _clean(items: Sequence[Item], original: bool) -> list[Item]:
    """The items as a reader of one reading sees them: revisions applied, marks and numbering too."""
    out: list[Item] = []
    carry = ""
    for item in items:
        kind, *args = item
        opts: Mapping[str, Any] = args.pop() if args and isinstance(args[-1], Mapping) else {}
        text = visible_text(args[-1], original)
        if opts.get("mark") == ("ins" if original else "del"):
            carry += text  # the mark is gone: its text joins the next paragraph
            continue
        text, carry = carry + (" " if carry and text else "") + text, ""
        if "was" in opts and original:
            was = opts["was"]
            out.append(("para", text) if was is None else ("num", was[1], text, was[0]))
        else:
            out.append((kind, *args[:-1], text))
    return out


def strict_case(marks: _Markers) -> Case:
    """A Strict Open XML draft: the outline case's lists under the purl.oclc.org namespaces."""
    case = outline_case(marks)
    data = build_docx(case.items, lists=case.lists, nums=case.nums)
    return Case("strict", case.items, raw=strict_docx(data), typed=case.typed, expected=case.expected)


def all_cases() -> list[Case]:
    """Every benchmark document, markers numbered across them."""
    marks = _Markers()
    return [
        formats_case(marks),
        languages_case(marks),
        outline_case(marks),
        legal_case(marks),
        headings_case(marks),
        tables_case(marks),
        contents_case(marks),
        *tracked_cases(marks),
        strict_case(marks),
    ]


# -- the readings ----------------------------------------------------------------------------------


def write(case: Case, folder: Path) -> tuple[Path, Path]:
    """The case's .docx, and the .docx LibreOffice reads for the reference (the same one, or the
    clean twin of a tracked draft)."""
    slug = case.name.replace(" --", "-")
    path = folder / f"{slug}.docx"
    if case.raw is not None:
        path.write_bytes(case.raw)
    else:
        build_docx(case.items, path, lists=case.lists or None, nums=case.nums, styles=case.styles)
    if case.clean is None:
        return path, path
    reference = folder / f"{slug}-clean.docx"
    build_docx(case.clean, reference, lists=case.lists or None, nums=case.nums, styles=case.styles)
    return path, reference


def soffice() -> str | None:
    """The LibreOffice program, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(paths: Iterable[Path], folder: Path) -> dict[Path, str]:
    """Each .docx as LibreOffice's text export, in one run with a profile of its own."""
    program = soffice()
    if program is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    profile = folder / "lo-profile"
    paths = sorted(set(paths))
    subprocess.run(
        [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "txt:Text",
         "--outdir", str(folder / "lo"), *map(str, paths)],
        check=True, capture_output=True, timeout=600,
    )
    return {p: (folder / "lo" / (p.stem + ".txt")).read_text(encoding="utf-8-sig") for p in paths}


def lo_labels(text: str) -> dict[str, str]:
    """marker → the list label LibreOffice writes before the paragraph ("" for none).

    LibreOffice indents a list paragraph (four spaces a level) and writes its label; a number
    typed at the start of a paragraph stands at the margin, and is text."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        found = MARK.search(line)
        if found:
            listed = line[:1].isspace()
            out[found.group(0)] = line[: found.start()].strip() if listed else ""
    return out


def plancmp_labels(doc: Document) -> tuple[dict[str, str], dict[str, bool]]:
    """marker → the label plancmp gives the point starting there, and whether it was generated."""
    labels: dict[str, str] = {}
    generated: dict[str, bool] = {}
    for point in doc.walk():
        found = MARK.search(point.text.split("\n")[0])
        if found:
            labels[found.group(0)] = point.label
            generated[found.group(0)] = point.auto_label
    return labels, generated


@dataclass
class Result:
    """The figures of one document."""

    name: str
    numbered: int = 0
    agree: int = 0
    unchecked: int = 0
    non_list: int = 0
    labelled: int = 0
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)
    departures: dict[str, int] = field(default_factory=dict)


def score(case: Case, doc: Document, reference: dict[str, str], seconds: float) -> Result:
    """Compare plancmp's labels with the reference, paragraph by paragraph."""
    mine, generated = plancmp_labels(doc)
    result = Result(case.name, seconds=seconds)
    for marker, lo in reference.items():
        if marker in case.scaffold:
            continue
        ours = mine.get(marker, "")
        expected, why = (lo, "") if case.expected is None else case.expected(marker)
        if expected == "LO":
            expected = lo
        listed = bool(lo) and lo not in BULLETS or generated.get(marker, False)
        if why:
            result.departures[why] = result.departures.get(why, 0) + 1
        if listed or (expected and why):
            result.numbered += 1
            if expected is None:
                result.unchecked += 1
            elif ours == expected:
                result.agree += 1
            else:
                result.misses.append(f"{marker}: plancmp {ours!r}, reference {expected!r}{' (' + why + ')' if why else ''}")
        else:
            result.non_list += 1
            if ours and not generated.get(marker, False) and marker not in case.typed:
                result.labelled += 1
                result.misses.append(f"{marker}: non-list paragraph labelled {ours!r}")
    return result


def read_time(data: bytes, name: str, original: bool = False, runs: int = 3) -> tuple[Document, float]:
    """plancmp's reading of a draft, and the median time it took."""
    times = []
    doc = None
    for _ in range(runs):
        start = time.perf_counter()
        doc = read_docx(data, name, original=original)
        times.append(time.perf_counter() - start)
    assert doc is not None
    return doc, statistics.median(times)


def run(cases: Sequence[Case], folder: Path) -> list[Result]:
    """Build, convert and score each case."""
    written = {case.name: write(case, folder) for case in cases}
    texts = convert([p for pair in written.values() for p in pair], folder)
    results = []
    for case in cases:
        path, reference = written[case.name]
        doc, seconds = read_time(path.read_bytes(), path.name, case.original)
        results.append(score(case, doc, lo_labels(texts[reference]), seconds))
    return results


def _words(text: str) -> str:
    return " ".join(text.split())


@dataclass
class RealResult:
    """Figures over documents made elsewhere, matched to LibreOffice's text by their words."""

    documents: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    numbered: int = 0
    agree: int = 0
    unmatched: int = 0
    lo_only: int = 0
    misses: list[str] = field(default_factory=list)


def real_world(paths: Sequence[Path], folder: Path) -> RealResult:
    """plancmp's labels against LibreOffice's on documents nobody here built.

    With no markers to go by, a point is found in LibreOffice's text by its first paragraph's
    words, in document order; the rest of that line is LibreOffice's label. Drafts with tracked
    changes are left out (LibreOffice's text keeps deleted words), as are files plancmp refuses.
    LibreOffice lines indented as list paragraphs, with a number, that no plancmp point matched
    are counted as numbered paragraphs plancmp did not label.
    """
    from plancmp.errors import PlancmpError

    result = RealResult()
    readable: dict[Path, Document] = {}
    for path in paths:
        try:
            doc = read_docx(path.read_bytes(), path.name)
        except PlancmpError as exc:
            reason = str(exc).split(": ", 1)[1].split(";")[0][:60]
            result.skipped[reason] = result.skipped.get(reason, 0) + 1
            continue
        if doc.revisions:
            result.skipped["holds tracked changes"] = result.skipped.get("holds tracked changes", 0) + 1
            continue
        readable[path] = doc
    texts = convert(readable, folder)
    for path, doc in readable.items():
        result.documents += 1
        lines = [(line[:1].isspace(), _words(line)) for line in texts[path].splitlines() if line.strip()]
        used: set[int] = set()
        start = 0
        for point in doc.walk():
            first = _words(point.text.split("\n")[0])
            if not point.auto_label or not first or point.label in BULLETS:
                continue  # a bullet of a bullet-only draft is not a numbered paragraph
            result.numbered += 1
            found = next(
                (i for i in range(start, len(lines)) if lines[i][1].endswith(first) and i not in used), None
            )
            if found is None:
                result.unmatched += 1
                continue
            used.add(found)
            start = found + 1
            lo = lines[found][1][: len(lines[found][1]) - len(first)].strip()
            if lo == point.label:
                result.agree += 1
            else:
                result.misses.append(f"{path.name}: {first[:40]!r}: plancmp {point.label!r}, LibreOffice {lo!r}")
        for i, (indented, words) in enumerate(lines):
            head = words.split(" ", 1)[0]
            numbered_line = re.match(r"^(\(?[0-9A-Za-z]{1,6}[.)]|[0-9]+(\.[0-9]+)+\.?)$", head)
            if indented and i not in used and " " in words and numbered_line:
                result.lo_only += 1
                result.misses.append(f"{path.name}: LibreOffice labels {words[:50]!r}; plancmp does not")
    return result


def big_document(paragraphs: int = 12_000) -> bytes:
    """A long draft: numbered points three levels deep, headings, prose, a table now and then."""
    items: list[Item] = []
    for i in range(paragraphs // 8):
        items += [
            ("heading", f"Chapter {i + 1}"),
            ("num", 0, f"The parties agree on provision {i} within 30 days of signing this agreement."),
            ("num", 1, "Monitoring is carried out by the mission, which reports each month."),
            ("num", 2, "Reports are published."),
            ("para", "Further text that explains the provision in some detail for the reader."),
            ("bullet", "a bulleted remark"),
        ]
        if i % 25 == 0:
            items.append(("table", [["Item", "Amount"], ["31.4", "226 – 23 835 512,64"]]))
        else:
            items += [("para", "1 January 2026 is the date of entry into force."), ("para", "Closing words.")]
    return build_docx(items)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", metavar="DIR", help="Write the documents and LibreOffice's text here and keep them.")
    parser.add_argument("--misses", type=int, default=5, help="Disagreements to print per document (default 5).")
    parser.add_argument("--real", metavar="DIR", help="Also compare on the .docx files found under DIR (documents made elsewhere).")
    args = parser.parse_args(argv)
    if soffice() is None:
        print("LibreOffice (soffice) is not installed: install libreoffice-writer-nogui to run this benchmark")
        return 1
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-docx-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        version = subprocess.run(
            [soffice() or "", "--version"], capture_output=True, text=True, timeout=60, check=False
        ).stdout.strip()
        print(f"reference: {version or 'LibreOffice'} text export; timings on a shared machine, medians of 3\n")
        results = run(all_cases(), folder)
        real = real_world(sorted(Path(args.real).rglob("*.docx")), folder / "real") if args.real else None
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"{'document':<20} {'numbered':>8} {'agree':>7} {'share':>7} {'unchecked':>9} {'non-list':>8} {'labelled':>8} {'read s':>7}")
    for r in results:
        checked = r.numbered - r.unchecked
        share = f"{100 * r.agree / checked:.1f}%" if checked else "-"
        print(f"{r.name:<20} {r.numbered:>8} {r.agree:>7} {share:>7} {r.unchecked:>9} {r.non_list:>8} {r.labelled:>8} {r.seconds:>7.3f}")
    numbered = sum(r.numbered - r.unchecked for r in results)
    agree = sum(r.agree for r in results)
    non_list = sum(r.non_list for r in results)
    labelled = sum(r.labelled for r in results)
    print(
        f"{'overall':<20} {sum(r.numbered for r in results):>8} {agree:>7} {100 * agree / max(numbered, 1):>6.1f}% "
        f"{sum(r.unchecked for r in results):>9} {non_list:>8} {labelled:>8} "
        f"({100 * labelled / max(non_list, 1):.2f}% of non-list paragraphs labelled)"
    )
    departures: dict[str, int] = {}
    for r in results:
        for why, count in r.departures.items():
            departures[why] = departures.get(why, 0) + count
    if departures:
        print("\nWhere LibreOffice departs from Word's documented rendering (reference: the documented label; "
              "'not checked' where none is documented):")
        for why, count in sorted(departures.items()):
            print(f"  {count:>4} × {why}")
    for r in results:
        if r.misses:
            print(f"\n{r.name}: {len(r.misses)} disagreement(s)")
            for miss in r.misses[: args.misses]:
                print(f"  {miss}")
    if real is not None:
        print(
            f"\ndocuments under {args.real}: {real.documents} read, "
            f"{sum(real.skipped.values())} left out ({', '.join(f'{n} {why}' for why, n in sorted(real.skipped.items()))})"
        )
        matched = real.numbered - real.unmatched
        print(
            f"  numbered paragraphs: {real.numbered}, found in LibreOffice's text: {matched}, same label: "
            f"{real.agree} ({100 * real.agree / max(matched, 1):.1f}%); numbered by LibreOffice only: {real.lo_only}"
        )
        for miss in real.misses[: args.misses * 4]:
            print(f"  {miss}")
    data = big_document()
    doc, seconds = read_time(data, "long.docx")
    print(f"\n12,000-paragraph draft ({len(data) // 1024} KB, {sum(1 for _ in doc.walk())} points): read in {seconds:.2f} s (target 3 s)")
    slowest = max(results, key=lambda r: r.seconds)
    print(f"slowest benchmark document: {slowest.name}, {slowest.seconds:.2f} s (target 2 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
