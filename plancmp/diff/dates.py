"""Calendar dates, read whole and compared as dates: "deadline moved: 1 March 2026 → 1 June 2026 (+92 days)".

A small grammar over month-name tables reads day-month-year, month-day-year, ISO 8601 and dotted
dates, "March 2026", "end of 2026", "Q1 2026", years, and their Ukrainian and Russian forms (month
names in the genitive, "до 1 березня 2026 року", "к 1 марта 2026 года"). A date after "by",
"before", "until", "до", "к" … is a deadline; any other date is reported as a date.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from dataclasses import dataclass

from plancmp.diff.phrases import (
    CYRILLIC,
    NOWHERE,
    Spans,
    alternation,
    cased,
    find_phrases,
    starts,
    unmatched,
)
from plancmp.diff.quantities import PERCENT, UNITS, signed
from plancmp.model import Change, ChangeKind

_EN_MONTHS = (
    "January Jan", "February Feb", "March Mar", "April Apr", "May", "June Jun", "July Jul",
    "August Aug", "September Sept Sep", "October Oct", "November Nov", "December Dec",
)
# Nominative, genitive ("1 березня"), locative ("у березні") and dative.
_UK_MONTHS = (
    "січень січня січні", "лютий лютого лютому", "березень березня березні", "квітень квітня квітні",
    "травень травня травні", "червень червня червні", "липень липня липні", "серпень серпня серпні",
    "вересень вересня вересні", "жовтень жовтня жовтні", "листопад листопада листопаді",
    "грудень грудня грудні",
)
_RU_MONTHS = (
    "январь января январе", "февраль февраля феврале", "март марта марте", "апрель апреля апреле",
    "май мая мае", "июнь июня июне", "июль июля июле", "август августа августе",
    "сентябрь сентября сентябре", "октябрь октября октябре", "ноябрь ноября ноябре", "декабрь декабря декабре",
)
_MONTH_NUMBER = {
    name.casefold(): k
    for table in (_EN_MONTHS, _UK_MONTHS, _RU_MONTHS)
    for k, names in enumerate(table, 1)
    for name in names.split()
}


# English month names are capitalised: "may" the verb and "march" are no months.
_EN_MONTH_NAMES = [n for names in _EN_MONTHS for n in names.split()]
_EN_MONTH = (
    rf"(?:{alternation([names.split()[0] for names in _EN_MONTHS])}(?!\w)"
    rf"|{alternation([n for names in _EN_MONTHS for n in names.split()[1:]])}(?!\w)\.?)"
)
_CY_MONTHS = cased(n for t in (_UK_MONTHS, _RU_MONTHS) for names in t for n in names.split())
_DAY = r"(?<!\d)(?:[12]\d|3[01]|0?[1-9])(?!\d)"
_ORDINAL = r"(?:st|nd|rd|th)?"
_YEAR = r"(?<![\d.,])(?:19|20)\d{2}(?!\d)"
# "2026 року", "2026 р.", "2026 года", "2026 г." — kept with the date, as it is read.
_YEAR_WORD = rf"(?:[^\S\n]+{alternation(cased('року рік році р. года году год г.'.split()))}(?!\w))?"
_SP = r"[^\S\n]+"

# Parts of a year or a month, in the words that name them.
_PARTS = {
    "end": "end|close|кінця|кінець|кінці|кінцю|конца|конец|конце|концу",
    "start": "start|beginning|початку|початок|начала|начало|началу|начале",
    "middle": "middle|mid|середини|середину|середина|середины|середине",
    "h1": "first half|першої половини|перша половина|первой половины|первая половина",
    "h2": "second half|другої половини|друга половина|второй половины|вторая половина",
    "q1": "first quarter|першого кварталу|перший квартал|первого квартала|первый квартал",
    "q2": "second quarter|другого кварталу|другий квартал|второго квартала|второй квартал",
    "q3": "third quarter|третього кварталу|третій квартал|третьего квартала|третий квартал",
    "q4": "fourth quarter|last quarter|четвертого кварталу|четвертий квартал|четвертого квартала|четвертый квартал",
    "early": "early",
    "late": "late",
}
_PART_NAME = {form: part for part, forms in _PARTS.items() for form in forms.split("|")}
_PARTS_CASED = cased(_PART_NAME)

_DEADLINE_WORDS = {
    "by": "by|no later than|not later than|on or before|до|не пізніше ніж|не пізніше|не пізніш|к|не позднее|не позже",
    "before": "before|prior to|ранее|раніше",
    "until": "until|till|up to and including",
}
_DEADLINE_KIND = {form: kind for kind, forms in _DEADLINE_WORDS.items() for form in forms.split("|")}
# Words that put a date without making it a deadline: kept with it so that "on 1 March" → "by 1
# March" reads as what it is.
_PLAIN_WORDS = "on|in|from|since|as of|after|starting|у|в|з|із|від|після|с|со|после|начиная с"
_PREPS = cased([*_DEADLINE_KIND, *_PLAIN_WORDS.split("|")])
_THE = alternation(cased(["the"]))

_LATIN_PREPS = [w for w in _PREPS if not CYRILLIC.search(w)]
_LATIN_PARTS = [w for w in _PARTS_CASED if not CYRILLIC.search(w)]


@functools.cache
def _grammar(cyrillic: bool) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The date grammar and its anchors (below), compiled on first use: with the Ukrainian and
    Russian words, or without them for a text with no Cyrillic letter.

    A text without Cyrillic letters cannot match a Cyrillic word, so the grammar without them finds
    the same dates in it; it compiles in a sixth of the time (5 ms against 30), which a small diff
    of an English draft would otherwise spend on month tables it never reads.
    """
    cy_months = _CY_MONTHS if cyrillic else []
    preps, parts = (_PREPS, _PARTS_CASED) if cyrillic else (_LATIN_PREPS, _LATIN_PARTS)
    month = rf"(?:{_EN_MONTH}|{alternation(cy_months)}(?!\w))" if cyrillic else rf"(?:{_EN_MONTH})"
    year_word = _YEAR_WORD if cyrillic else ""
    prep, part = rf"{alternation(preps)}(?!\w)", alternation(parts)
    date = re.compile(
        # The lookahead names every character a date can start with, so that the engine skips the
        # rest fast; not inside a word: "nearby 2026" sets no deadline, "G2026" is no year.
        rf"{starts([*preps, *_THE, *'0123456789QH', *_EN_MONTH_NAMES, *cy_months, *parts])}(?<!\w)"
        rf"(?:(?P<prep>{prep}){_SP}(?:{_THE}{_SP})?)?(?P<date>"
        # 1 March 2026 · 1st of March 2026 · 1 березня 2026 року · 1 марта 2026 г.
        # (the year may be left out: "by 1 March")
        rf"(?P<d1>{_DAY}){_ORDINAL}(?:{_SP}of)?{_SP}(?P<m1>{month})(?:,?{_SP}(?P<y1>{_YEAR}){year_word})?"
        # March 1, 2026
        rf"|(?P<m2>{_EN_MONTH}){_SP}(?P<d2>{_DAY}){_ORDINAL}(?:,?{_SP}(?P<y2>{_YEAR}))?"
        # 2026-03-01
        r"|(?<![\d.])(?P<y3>(?:19|20)\d{2})-(?P<m3>0[1-9]|1[0-2])-(?P<d3>0[1-9]|[12]\d|3[01])(?![\d-])"
        # 01.03.2026 (day first, as written in Ukraine, Russia and most of Europe)
        rf"|(?<![\d.])(?P<d4>0?[1-9]|[12]\d|3[01])\.(?P<m4>0?[1-9]|1[0-2])\.(?P<y4>(?:19|20)\d{{2}})(?!\d){year_word}"
        # the end of 2026 · the first quarter of 2026 · mid-2026 · кінця березня 2026 року
        rf"|(?:{_THE}{_SP})?(?P<part>{part})(?:{_SP}of)?(?:{_SP}|-)(?:(?P<m6>{month}){_SP})?(?P<y6>{_YEAR}){year_word}"
        # Q1 2026 · H2 2026
        rf"|(?P<q7>Q[1-4]|H[12]){_SP}?(?P<y7>{_YEAR})"
        # March 2026 · березня 2026 року · у березні 2026
        rf"|(?P<m8>{month}),?{_SP}(?P<y8>{_YEAR}){year_word}"
        # A year on its own — unless it counts something ("2026 troops", "2026%").
        rf"|(?<![$€£₴₽])(?P<y9>{_YEAR})(?!\w|[.,]\d|%|{_SP}(?i:{UNITS}|{PERCENT}))(?:{year_word})"
        # A month alone, after a word that makes it a date ("by March", "до березня"; checked in _span).
        rf"|(?P<m10>{month})"
        r")"
    )
    # Every date holds a digit or a month's name, so the grammar need only be run near them.
    names = [*_EN_MONTH_NAMES, *cy_months]
    anchor = re.compile(starts([*"0123456789", *names]) + rf"(?:\d+|{alternation(names)}(?!\w))")
    return date, anchor


_REACH = 64
"""Characters a date reaches on either side of a digit or month name in it ("no later than the end
of September 2026": 38 before the year); the stretches that far around them are all that is read."""


def _near_anchors(text: str, anchor: re.Pattern[str]) -> list[tuple[int, int]]:
    """The stretches of text within reach of a digit or a month's name, merged."""
    out: list[tuple[int, int]] = []
    for m in anchor.finditer(text):
        lo, hi = max(0, m.start() - _REACH), min(len(text), m.end() + _REACH)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


@dataclass(frozen=True)
class Date:
    """A date as written, with the days it covers."""

    text: str
    """The date as written, without the deadline word ("1 March 2026", "кінця 2026 року")."""
    phrase: str
    """The whole phrase, deadline word included ("by 1 March 2026")."""
    first: datetime.date | None
    """First day it covers; None for a day no calendar has ("31 February 2026"), compared as written."""
    last: datetime.date | None
    """Last day it covers; the same as first for a day, "the end of 2026" or "mid-March 2026"."""
    unit: str
    """What it is counted in: day, month, quarter, half, year, part (early, late, middle)."""
    deadline: str
    """The kind of deadline it sets — "by", "before", "until" — or "" for a date that sets none."""
    yearless: bool = False
    """Written without a year ("by 1 March"); its days are then counted in a leap year."""

    @property
    def key(self) -> tuple[object, ...]:
        """What makes two dates the same: the days they cover and the deadline they set."""
        if self.first is None:
            return (self.text.casefold(), self.deadline)
        return (self.first, self.last, self.deadline, self.yearless)


def _month(raw: str) -> int:
    return _MONTH_NUMBER[raw.rstrip(".").casefold()]


def _last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


_NO_YEAR = 2000
"""The year a date written without one is counted in: a leap year, so that 29 February is a day."""


def _span(m: re.Match[str]) -> tuple[datetime.date | None, datetime.date | None, str]:
    """The first and last days a matched date covers, and its unit; no days for an impossible date."""
    g = m.group
    try:
        for d, mo, y in (("d1", "m1", "y1"), ("d2", "m2", "y2")):
            if g(d):
                day = datetime.date(int(g(y) or _NO_YEAR), _month(g(mo)), int(g(d)))
                return day, day, "day"
        for d, mo, y in (("d3", "m3", "y3"), ("d4", "m4", "y4")):
            if g(d):
                day = datetime.date(int(g(y)), int(g(mo)), int(g(d)))
                return day, day, "day"
    except ValueError:  # 31 February: a typing slip, still a date to the reader
        return None, None, "day"
    if g("part"):
        return _part_span(_PART_NAME[" ".join(g("part").casefold().split())], int(g("y6")),
                          _month(g("m6")) if g("m6") else None)
    if g("q7"):
        year, n = int(g("y7")), int(g("q7")[1])
        return _part_span(f"q{n}" if g("q7")[0] == "Q" else f"h{n}", year, None)
    if g("m8"):
        year, month = int(g("y8")), _month(g("m8"))
        return datetime.date(year, month, 1), _last_day(year, month), "month"
    if g("m10"):
        month = _month(g("m10"))
        return datetime.date(_NO_YEAR, month, 1), _last_day(_NO_YEAR, month), "month"
    year = int(g("y9"))
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31), "year"


def _part_span(part: str, year: int, month: int | None) -> tuple[datetime.date, datetime.date, str]:
    if month is not None:
        first, last = datetime.date(year, month, 1), _last_day(year, month)
        if part == "end":
            return last, last, "month"
        if part == "start":
            return first, first, "month"
        if part == "middle":
            return first.replace(day=15), first.replace(day=15), "month"
        return first, last, "month"
    if part == "end":
        return datetime.date(year, 12, 31), datetime.date(year, 12, 31), "year"
    if part == "start":
        return datetime.date(year, 1, 1), datetime.date(year, 1, 1), "year"
    if part == "middle":
        return datetime.date(year, 7, 1), datetime.date(year, 7, 1), "year"
    if part.startswith("q"):
        q = int(part[1])
        return datetime.date(year, 3 * q - 2, 1), _last_day(year, 3 * q), "quarter"
    if part.startswith("h"):
        h = int(part[1])
        return datetime.date(year, 6 * h - 5, 1), _last_day(year, 6 * h), "half"
    if part == "early":
        return datetime.date(year, 1, 1), datetime.date(year, 4, 30), "part"
    return datetime.date(year, 9, 1), datetime.date(year, 12, 31), "part"  # late


def find_dates(text: str, skip: Spans = NOWHERE) -> list[tuple[int, int, Date]]:
    """The dates in text, where each lies, outside the skipped stretches (references like "point 2026")."""
    out: list[tuple[int, int, Date]] = []
    date, anchor = _grammar(bool(CYRILLIC.search(text)))
    matches = [m for lo, hi in _near_anchors(text, anchor) for m in find_phrases(date, text, skip, lo, hi)]
    for m in matches:
        if m.group("m10") and not m.group("prep"):
            continue  # "March" alone is no date; "by March" is
        first, last, unit = _span(m)
        prep = " ".join(m.group("prep").casefold().split()) if m.group("prep") else ""
        out.append((m.start(), m.end(), Date(
            text=" ".join(m.group("date").split()),
            phrase=" ".join(m.group(0).split()),
            first=first,
            last=last,
            unit=unit,
            deadline=_DEADLINE_KIND.get(prep, ""),
            yearless=not any(m.group(y) for y in ("y1", "y2", "y3", "y4", "y6", "y7", "y8", "y9")),
        )))
    return out


def shift(a: Date, b: Date) -> str:
    """How far b lies from a, in the unit both are written in: "+92 days", "+1 year", "later"."""
    if a.first is None or a.last is None or b.first is None or b.last is None or a.yearless != b.yearless:
        return ""
    exact = a.first == a.last and b.first == b.last
    if exact and (a.unit == b.unit == "day" or a.unit != b.unit):
        if (a.first.month, a.first.day) == (b.first.month, b.first.day) and a.first.year != b.first.year:
            return signed(b.first.year - a.first.year, "year")  # the same day of another year
        days = (b.first - a.first).days
        return signed(days, "day") if days else ""
    if a.unit == b.unit and a.unit != "part":
        months = (b.first.year - a.first.year) * 12 + b.first.month - a.first.month
        if not months:
            return ""
        if a.unit == "year" and months % 12 == 0:
            return signed(months // 12, "year")
        if a.unit == "quarter" and months % 3 == 0:
            return signed(months // 3, "quarter")
        return signed(months, "month")
    if b.first > a.last:
        return "later"
    if b.last < a.first:
        return "earlier"
    if a.first <= b.first and b.last <= a.last:
        return "narrowed"
    if b.first <= a.first and a.last <= b.last:
        return "widened"
    return ""


def _same_day_of_year(a: Date, b: Date) -> bool:
    """"1 March" and "1 March 2026": the same days, one with its year left out."""
    if a.yearless == b.yearless or a.first is None or a.last is None or b.first is None or b.last is None:
        return False
    return (a.first.month, a.first.day, a.last.month, a.last.day) == (b.first.month, b.first.day, b.last.month, b.last.day)


def date_changes(old: list[Date], new: list[Date]) -> tuple[list[Change], list[Date], list[Date]]:
    """Dates moved, added or removed; and the deadlines by date left unpaired, to be compared with
    the time limits that are no dates ("by 1 March 2026" → "within 90 days")."""
    removed, added = unmatched(old, new, lambda d: d.key)
    out: list[Change] = []
    # The same days with another deadline word ("by" → "before", "on" → "by") are paired first;
    # then deadlines with deadlines and dates with dates, in order.
    waiting: dict[tuple[datetime.date | None, datetime.date | None], list[Date]] = {}
    for b in added:
        if b.first is not None:
            waiting.setdefault((b.first, b.last), []).append(b)
    paired: set[int] = set()
    for a in removed:
        same = waiting.get((a.first, a.last)) if a.first is not None else None
        if same:
            b = same.pop(0)
            paired.update((id(a), id(b)))
            kind = ChangeKind.DEADLINE if a.deadline or b.deadline else ChangeKind.DATE
            out.append(Change(kind, a.phrase, b.phrase, f"{kind.value}: {a.phrase} → {b.phrase}"))
    removed = [d for d in removed if id(d) not in paired]
    added = [d for d in added if id(d) not in paired]
    left_old: list[Date] = []
    left_new: list[Date] = []
    for is_deadline in (True, False):
        olds = [d for d in removed if bool(d.deadline) is is_deadline]
        news = [d for d in added if bool(d.deadline) is is_deadline]
        kind = ChangeKind.DEADLINE if is_deadline else ChangeKind.DATE
        for a, b in zip(olds, news):
            same_word = a.deadline == b.deadline
            was, now = (a.text, b.text) if same_word else (a.phrase, b.phrase)
            if _same_day_of_year(a, b):
                note = "year given" if a.yearless else "year left out"
                out.append(Change(kind, a.phrase, b.phrase, f"{kind.value}: {was} → {now} ({note})"))
                continue
            moved = shift(a, b)
            out.append(Change(kind, a.phrase, b.phrase,
                              f"{kind.value} moved: {was} → {now}" + (f" ({moved})" if moved else "")))
        if is_deadline:
            left_old, left_new = olds[len(news):], news[len(olds):]
        else:
            out.extend(Change(kind, a.phrase, "", f"date removed: {a.text}") for a in olds[len(news):])
            out.extend(Change(kind, "", b.phrase, f"date added: {b.text}") for b in news[len(olds):])
    return out, left_old, left_new
