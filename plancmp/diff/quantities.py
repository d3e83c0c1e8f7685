"""Numbers, quantities and spans of time: read as values, so that a change of how they are written is none.

"5,000 troops" and "5000 troops", "10 percent" and "10%", "15 km" and "15 kilometres", "$100bn"
and "$100 billion", "within thirty days" and "within 30 days" are each the same thing written two
ways. A quantity keeps its unit in what the reader sees ("15 километров → 30 километров").
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from plancmp.diff.phrases import (
    CYRILLIC,
    Spans,
    alternation,
    case_sensitive,
    cased,
    find_phrases,
    pair_up,
    starts,
)
from plancmp.model import Change, ChangeKind
from plancmp.normalise import normalise_text

NUM = r"\d+(?:[,.\u00a0\u202f ]\d{3})*(?:[.,]\d+)?"
"""A number written with digits, whole: 600,000 · 800 000 · 2.5 · 2,5."""

_SMALL_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}
# Ukrainian and Russian numbers as a time limit or a count takes them: nominative, genitive
# ("протягом двох років", "в течение трёх лет", "пятнадцать километров").
_CY_NUMBER_FORMS = {
    1: "один одна одне одного однієї одно одной", 2: "два дві двох две двух", 3: "три трьох трёх трех",
    4: "чотири чотирьох четыре четырёх четырех", 5: "п'ять п'яти пять пяти", 6: "шість шести шесть",
    7: "сім семи семь", 8: "вісім восьми восемь", 9: "дев'ять дев'яти девять девяти", 10: "десять десяти",
    11: "одинадцять одинадцяти одиннадцать одиннадцати", 12: "дванадцять дванадцяти двенадцать двенадцати",
    13: "тринадцять тринадцяти тринадцать тринадцати", 14: "чотирнадцять чотирнадцяти четырнадцать четырнадцати",
    15: "п'ятнадцять п'ятнадцяти пятнадцать пятнадцати", 16: "шістнадцять шістнадцяти шестнадцать шестнадцати",
    17: "сімнадцять сімнадцяти семнадцать семнадцати", 18: "вісімнадцять вісімнадцяти восемнадцать восемнадцати",
    19: "дев'ятнадцять дев'ятнадцяти девятнадцать девятнадцати", 20: "двадцять двадцяти двадцать двадцати",
    30: "тридцять тридцяти тридцать тридцати", 40: "сорок сорока", 50: "п'ятдесят п'ятдесяти пятьдесят пятидесяти",
    60: "шістдесят шістдесяти шестьдесят шестидесяти", 70: "сімдесят сімдесяти семьдесят семидесяти",
    80: "вісімдесят вісімдесяти восемьдесят восьмидесяти", 90: "дев'яносто дев'яноста девяносто девяноста",
    100: "сто ста",
}
_CY_ONE_AND_A_HALF = "півтора полтора полутора"
"""One and a half, before a span: "півтора року", "полтора года"."""
_APOSTROPHES = "'’ʼ"
_CY_NUMBERS: dict[str, int | Decimal] = {form: n for n, forms in _CY_NUMBER_FORMS.items() for form in forms.split()}
_CY_NUMBERS.update(dict.fromkeys(_CY_ONE_AND_A_HALF.split(), Decimal("1.5")))


_MULTIPLIERS = {"thousand": 1000, "million": 10**6, "billion": 10**9}
"""Words that multiply the number before them: "six hundred thousand"."""


def _number_run(words: list[str], joins: str) -> str:
    """A number spelled out, read whole as _word_value reads it: a run of number words ("twenty-five",
    "one hundred and twenty", "six hundred thousand", "сто п'ятдесят"), not "twenty" of "one
    hundred and twenty" nor "п'ять" of "двадцять п'ять". One pattern of the words, not a grammar
    that names each a few times over (three times as long to compile); an apostrophe is any of
    _APOSTROPHES."""
    word = alternation(words).replace("'", f"[{_APOSTROPHES}]")
    return rf"(?:{word})(?:{joins}(?:{word})){{0,5}}(?!\w)"


_ENGLISH_NUMBERS = [*_SMALL_NUMBERS, *_MULTIPLIERS]
_ENGLISH_JOINS = r"(?:[-\s]+|\s+and\s+)"
NUMBER_WORDS = _number_run(_ENGLISH_NUMBERS, _ENGLISH_JOINS)
"""A number spelled out in English, for (?i) patterns."""
CY_NUMBER_WORDS = _number_run(list(_CY_NUMBERS), r"\s+")
"""A number spelled out in Ukrainian or Russian, up to 199, for (?i) patterns."""
_NUMBER_WORDS_CASED = _number_run(cased(_ENGLISH_NUMBERS), _ENGLISH_JOINS)

# Every spelling of a span of time, with the unit it names.
_PERIOD_FORMS = {
    "hour": "hour hours година години годину годин час часа часов",
    "day": "day days день дні днів дня дней доба доби діб добу сутки суток",
    "week": "week weeks тиждень тижні тижнів тижня неделя недели недель неделю",
    "month": "month months місяць місяці місяців місяця месяц месяца месяцев",
    "year": "year years рік роки років року год года лет",
    "fortnight": "fortnight fortnights",
    "half a year": "півроку полгода полугода",
}
PERIOD_UNIT = {form: unit for unit, forms in _PERIOD_FORMS.items() for form in forms.split()}
"""Word for a span of time → the unit it names ("днів" → "day")."""
PERIOD = alternation(PERIOD_UNIT) + r"(?!\w)"

# Units a count is kept with; spellings of one unit share its canonical name.
_UNIT_FORMS = {
    "km": "km kilometres kilometers kilometre kilometer км кілометрів кілометри кілометра кілометр "
          "километров километра километры километр",
    "mile": "miles mile миль милі миля",
    "metre": "metres meters metre meter метрів метри метр метров метра",
    "USD": "dollars dollar доларів долара долари долар долларов доллара доллары доллар",
    "EUR": "euros euro євро евро",
    "GBP": "pounds",
    "UAH": "гривень гривні гривня гривен гривны гривна hryvnias hryvnia",
    "RUB": "рублів рублі рубль рублей рубля roubles rubles",
}
UNIT_CANONICAL = {form: unit for unit, forms in _UNIT_FORMS.items() for form in forms.split()}
"""Spelling of a unit → its one name ("kilometres" → "km"); other unit words stand for themselves."""
_COUNTED = (
    "troops soldiers personnel servicemen people persons drones brigades prisoners tanks aircraft "
    "ships vessels warheads missiles observers monitors hectares tonnes tons barrels members seats "
    "військовослужбовців солдатів осіб людей дронів безпілотників бригад полонених танків літаків "
    "кораблів спостерігачів гектарів тонн "
    "военнослужащих солдат человек людей дронов беспилотников бригад пленных танков самолетов "
    "самолётов кораблей наблюдателей гектаров тонн"
).split()
UNITS = alternation({*UNIT_CANONICAL, *_COUNTED}) + r"(?!\w)"
"""Words a count is kept with: "15 km", "600 000 осіб", "30 километров"."""

_CURRENCY_SIGNS = {"$": "USD", "US$": "USD", "USD": "USD", "€": "EUR", "EUR": "EUR", "£": "GBP", "GBP": "GBP",
                   "₴": "UAH", "UAH": "UAH", "₽": "RUB", "RUB": "RUB"}
_CURRENCY = alternation(_CURRENCY_SIGNS)
_SCALES = (
    (r"bn|billions?|млрд|мільярд\w*|миллиард\w*", 10**9),
    (r"million|millions|mn|m|млн|мільйон\w*|миллион\w*", 10**6),
    (r"k|thousand|тис\.?|тисяч\w*|тысяч\w*", 10**3),
    (r"trillion|tn|трлн", 10**12),
)
_SCALE = "(?:" + "|".join(pattern for pattern, _ in _SCALES) + ")"
_SCALE_OF = [(re.compile(pattern, re.IGNORECASE), factor) for pattern, factor in _SCALES]
PERCENT = r"(?:%|per\s?cent|percent|відсот\w*|процент\w*)"

def _quantity(cyrillic: bool) -> re.Pattern[str]:
    """QUANTITY, and its twin for text with Cyrillic letters, which reads Ukrainian and Russian
    numbers spelled out too: their first letters in the lookahead make it skip less fast."""
    spelled = [*cased(_SMALL_NUMBERS), *(cased(_CY_NUMBERS) if cyrillic else ())]
    words = rf"{_NUMBER_WORDS_CASED}|(?i:{CY_NUMBER_WORDS})" if cyrillic else _NUMBER_WORDS_CASED
    return re.compile(
        # The lookahead lets the engine skip, cheaply, every position where no quantity can start;
        # the lookbehind keeps "G7" and "covid19" whole words.
        rf"{starts([*'0123456789', *_CURRENCY_SIGNS, *spelled])}(?<![^\W\d_])"
        rf"(?:(?:(?P<cur>{_CURRENCY})\s?)?(?P<num>{NUM})(?:\s?(?P<pct>(?i:{PERCENT})))?"
        rf"(?:\s?(?P<scale>(?i:{_SCALE}))(?!\w))?(?:[:/](?P<ratio>{NUM}))?"
        rf"(?:\s+(?P<unit>(?i:{UNITS}|{PERIOD})))?"
        # Spelled out, a number counts only with its unit: "thirty days", "five brigades".
        rf"|(?P<word>{words})\s+(?P<wunit>(?i:{UNITS}|{PERIOD})))"
    )


QUANTITY = _quantity(cyrillic=False)
"""A quantity: "$100bn", "600,000 personnel", "50%", "50:50", "15 километров", "thirty days"."""
_quantity_cyrillic = functools.cache(lambda: _quantity(cyrillic=True))
"""QUANTITY for text with Cyrillic letters: "пятнадцать километров" too (compiled on first use)."""

_WHICHEVER = r"whichever\s+(?:is|comes|occurs|falls)\s+(?:the\s+)?(?:later|earlier|sooner|first|last)"
"""What says which of two events a time limit counts from: "whichever is later"."""
_EVENT = r"(?:the\s+|this\s+|its\s+)?[^\W\d_]+"
"""The event a time limit is counted from, its first word: "signing", "the elections"."""
_NOUN_END = "(?:" + "|".join(f"(?<={end})" for end in "ion ions ment ments ure ures ance ence al als ing ings ity".split()) + ")"
"""Where the word before ends as a noun of an event does ("ratification", "approval", "signing"),
not as a verb ("withdraw", "leave")."""
_WITHIN = ("протягом", "впродовж", "в течение")
"""Words that, before a span with no number ("протягом року"), make it one of that span."""
_ONE_SPAN = "року года місяця месяца тижня недели дня доби суток години часа півроку полгода полугода".split()
"""The spans "within" takes as one: the genitive singular ("протягом років" is no count)."""
_WITHIN_ONE = rf"(?:{'|'.join(_WITHIN)})\s+{alternation(_ONE_SPAN)}(?!\w)"
"""A span with no number, one of it: "протягом року", "в течение месяца"."""

_SPAN_COUNT = rf"(?:{NUM}|{NUMBER_WORDS}|an?\s+(?:hundred|thousand)|an?)(?:\s+and\s+a\s+half)?|half\s+an?"
"""How many of a span, in English: "30", "thirty", "a", "two and a half", "half a"."""
_DEADLINE_LATIN = (
    rf"\b(?:within|in|after|before|no later than|not later than|by|up to|during|for)\s+"
    rf"(?:the\s+)?(?:{_SPAN_COUNT})\s*(?:-\s*)?{PERIOD}(?:\s+and\s+a\s+half)?"
    # "of signing", "after the elections"; a date after it is a date of its own. Events joined by
    # "or" or "and" are read on where the limit says which counts ("of signature or entry into
    # force, whichever is later"), or where they are nouns that end the clause ("of signing and
    # ratification."): "of signing and withdraw" or "of signing or the deal lapses" stop at "signing".
    rf"(?:\s+(?:after|of|from|following)\s+{_EVENT}"
    rf"(?:(?:\s+(?:or|and)\s+{_EVENT}(?:\s+[^\W\d_]+){{0,3}}?)+?\s*[,(]?\s*{_WHICHEVER}\)?"
    rf"|(?:\s+(?:or|and)\s+{_EVENT}{_NOUN_END})+(?=\s*(?:[,.;:)]|$)))?)?"
    r"|\b(?:as soon as (?:possible|practicable)|immediately|at once|without delay|forthwith|in due course|"
    r"upon signing|on signing|at signing|upon signature|on the (?:signing|signature) date)\b"
)
_DEADLINE_CYRILLIC = (
    rf"\b(?:протягом|впродовж|через|не пізніше ніж|не пізніше|до|в течение|не позднее|в срок)\s+"
    rf"(?:{NUM}|{CY_NUMBER_WORDS})\s*{PERIOD}"
    # "з дня підписання", "с момента подписания": the event it is counted from.
    r"(?:\s+(?:з|із|від|с|со|після|после)\s+(?:дня|дати|даты|моменту|момента)\s+[^\W\d_]+)?"
    # "протягом року", "в течение месяца": within a year, a month — the span is one.
    rf"|\b{_WITHIN_ONE}"
    r"|\b(?:якнайшвидше|невідкладно|негайно|якомога швидше|з моменту підписання|"
    r"как можно скорее|незамедлительно|немедленно|с момента подписания)\b"
)
DEADLINE = re.compile(
    # Every alternative starts with one of these letters; the lookahead skips other positions fast.
    rf"(?=[wiabnudfoWIABNUDFOпвчндязксПВЧНДЯЗКС])(?i:{_DEADLINE_LATIN}|{_DEADLINE_CYRILLIC})"
)
"""A time limit that is no calendar date: "within 100 days of signing", "as soon as possible"."""
# Lowered text (phrases.lowered) holds no Cyrillic letter: its twin needs the Latin half alone,
# half the pattern to compile at every start.
DEADLINE_LOWERED = case_sensitive(re.compile(rf"(?=[wiabnudfo])(?i:{_DEADLINE_LATIN})"))
"""DEADLINE for lowered text (phrases.lowered)."""


@lru_cache(maxsize=16384)
def number_value(digits: str) -> Decimal:
    """The value of a number written with digits: "600,000" and "600 000" → 600000, "2,5" → 2.5."""
    if digits.isascii() and digits.isdigit():
        return Decimal(digits)
    s = "".join(digits.split())
    if "," in s and "." in s:
        decimal_mark = "," if s.rindex(",") > s.rindex(".") else "."
        s = s.replace("." if decimal_mark == "," else ",", "").replace(decimal_mark, ".")
    else:
        parts = re.split(r"[,.]", s)
        # One separator followed by other than three digits is a decimal mark ("2.5", "2,75");
        # otherwise the separators group thousands ("600,000", "1.000.000").
        if len(parts) == 2 and len(parts[1]) != 3:
            s = parts[0] + "." + parts[1]
        else:
            s = "".join(parts)
    try:
        return Decimal(s)
    except InvalidOperation:  # pragma: no cover - NUM only matches digits and separators
        return Decimal(0)


def _unit(word: str | None) -> str:
    if not word:
        return ""
    folded = word.casefold()
    return PERIOD_UNIT.get(folded) or UNIT_CANONICAL.get(folded) or folded


def quantity_key(m: re.Match[str]) -> tuple[object, ...]:
    """What a quantity amounts to, however it is written: (currency, value, percent, ratio, unit)."""
    if m.group("word"):
        value, unit, currency = Decimal(_word_value(m.group("word"))), _unit(m.group("wunit")), ""
    else:
        value = number_value(m.group("num"))
        if m.group("scale"):
            value *= next(f for pattern, f in _SCALE_OF if pattern.fullmatch(m.group("scale")))
        unit = _unit(m.group("unit"))
        currency = _CURRENCY_SIGNS.get(m.group("cur") or "", "")
    if unit in _UNIT_FORMS and unit.isupper():
        currency, unit = unit, ""  # "100 dollars" is "$100"
    ratio = number_value(m.group("ratio")) if m.group("ratio") else None
    return (currency, value.normalize(), bool(m.group("pct")), ratio, unit)


def _word_value(word: str) -> int | Decimal:
    """The value of a number spelled out: "one hundred and twenty" 120, "six hundred thousand"
    600,000, "двадцять п'ять" 25, "півтора" 1.5."""
    total: int | Decimal = 0
    current: int | Decimal = 0
    for part in re.split(r"[-\s]+", word.casefold().replace("’", "'").replace("ʼ", "'")):
        if part == "and":
            continue
        if part in ("a", "an"):
            current += 1
        elif part == "hundred":
            current = (current or 1) * 100
        elif part in _MULTIPLIERS:
            total, current = total + (current or 1) * _MULTIPLIERS[part], 0
        else:
            current += _SMALL_NUMBERS.get(part) or _CY_NUMBERS[part]
    return total + current


@functools.cache
def _span_of_time() -> re.Pattern[str]:
    """A span of time in a time limit ("30 days", "thirty days", "двох років", "a year", "протягом
    року"); compiled on first use: it is asked only where time limits changed, and its number
    words are long to compile."""
    after_within = "|".join(rf"(?<=\b{w} )" for w in _WITHIN)
    return re.compile(
        rf"(?i)(?:\b(?P<n>{_SPAN_COUNT}|{CY_NUMBER_WORDS})\s*(?:-\s*)?(?P<p>{PERIOD})(?P<half>\s+and\s+a\s+half)?"
        rf"|(?:{after_within})(?P<one>{alternation(_ONE_SPAN)})(?!\w))"
    )


def _span_value(m: re.Match[str]) -> tuple[Decimal, str]:
    """A span of time's count and unit as written: "thirty days" and "30 days" → (30, "day"), "a year"
    → (1, "year"), "2.50 years" → (2.5, "year")."""
    n = " ".join((m.group("n") or "a").casefold().split())  # no number: "протягом року", a year
    half = Decimal("0.5") if m.group("half") or n.endswith(" and a half") else Decimal(0)
    n = n.removesuffix(" and a half")
    if n.startswith("half "):  # "half a year"
        value = Decimal("0.5")
    else:
        value = Decimal(1) if n in ("a", "an") else Decimal(_word_value(n)) if n[0].isalpha() else number_value(n)
    return (value + half).normalize(), PERIOD_UNIT[(m.group("p") or m.group("one")).casefold()]


_EXACTLY = {"week": (7, "day"), "fortnight": (14, "day"), "year": (12, "month"), "half a year": (6, "month")}
"""Units that are a whole number of another: "2 weeks" is "14 days", "1 year" "12 months" (a month
is no number of days)."""


def _span_in_common(m: re.Match[str]) -> tuple[Decimal, str]:
    """A span of time in the unit spans are compared in: weeks as days, years as months."""
    value, unit = _span_value(m)
    factor, common = _EXACTLY.get(unit, (1, unit))
    return (value * factor).normalize(), common


_AT_ONCE = {"at once": "immediately", "forthwith": "immediately", "якомога швидше": "якнайшвидше"}
"""Time limits that set no span, that mean the same in one language: "at once" is "immediately"
("as soon as practicable" is not "as soon as possible", nor "without delay" "immediately")."""


def deadline_key(phrase: str) -> str:
    """A time limit as compared: "within thirty days", "within 30 days" and "within a month" … are
    each one limit, and so are "within 2 weeks" and "within 14 days", "within a year" and
    "within 12 months"."""

    def span(m: re.Match[str]) -> str:
        value, unit = _span_in_common(m)
        return f"{value} {unit}"

    normal = normalise_text(phrase)
    return _AT_ONCE.get(normal) or _span_of_time().sub(span, normal)


def signed(n: int | Decimal, unit: str) -> str:
    """A shift as it is shown: "+30 days", "−1 year", "+0.5 years"."""
    size = abs(n)
    shown = f"{size:f}" if isinstance(size, Decimal) else str(size)  # 10, not 1E+1
    return f"{'+' if n > 0 else '−'}{shown} {unit}{'' if size == 1 else 's'}"


def span_shift(a: str, b: str) -> tuple[Decimal, str] | None:
    """How much longer b's span of time is than a's, and its unit ((30, "day"); negative when shorter),
    where the two time limits differ in that span alone: one span each, the same words around
    it, in the same unit or in units one is a whole number of ("6 months" → "1 year": +6 months).
    None otherwise: "within 30 days of signing" → "within 60 days of ratification" is not the
    same limit lengthened, nor "3 months" → "90 days"."""
    norm_a, norm_b = normalise_text(a), normalise_text(b)
    spans_a, spans_b = list(_span_of_time().finditer(norm_a)), list(_span_of_time().finditer(norm_b))
    if len(spans_a) != 1 or len(spans_b) != 1:
        return None
    (ma,), (mb,) = spans_a, spans_b
    if norm_a[: ma.start()] + norm_a[ma.end():] != norm_b[: mb.start()] + norm_b[mb.end():]:
        return None
    (count_a, unit_a), (count_b, unit_b) = _span_value(ma), _span_value(mb)
    if unit_a != unit_b:
        (count_a, unit_a), (count_b, unit_b) = _span_in_common(ma), _span_in_common(mb)
    if unit_a != unit_b or count_a == count_b:
        return None
    return (count_b - count_a).normalize(), unit_a


_LIMITED = re.compile(
    r"(?i)(?:within|by|before|up to|no later than|not later than|протягом|впродовж|не пізніше|до|"
    r"в течение|не позднее|в срок)\b"
)
"""What sets a time by which a thing must be done: a span after another word ("for 5 years",
"after 30 days", "через 100 днів") is a term or a wait, which "extended" would misread."""


@functools.cache
def _definite() -> re.Pattern[str]:
    """What makes a time limit definite: a figure, a number word, or "a" before a span ("within a
    year", "протягом року"); compiled on first use, as _span_of_time."""
    return re.compile(rf"(?i)\d|\b{NUMBER_WORDS}\b|\b{CY_NUMBER_WORDS}|\ban?\s+{PERIOD}|\b{_WITHIN_ONE}")


def is_vague(deadline: str) -> bool:
    """A time limit that sets no span or date: "as soon as possible", "in due course" (not "within a year")."""
    return not _definite().search(deadline)


def deadline_changes(old: list[str], new: list[str]) -> list[Change]:
    """Time limits that changed, were set, removed or added, paired in order of appearance."""
    pairs, removed, added = pair_up(old, new, deadline_key)
    out = []
    for a, b in pairs:
        if not is_vague(a) and is_vague(b):
            out.append(Change(ChangeKind.DEADLINE, a, b, f"deadline removed: {a} → {b}"))
        elif is_vague(a) and not is_vague(b):
            out.append(Change(ChangeKind.DEADLINE, a, b, f"deadline set: {a} → {b}"))
        elif shift := span_shift(a, b):
            by, unit = shift
            how = (" extended" if by > 0 else " shortened") if _LIMITED.match(a) else ""
            out.append(Change(ChangeKind.DEADLINE, a, b, f"deadline{how}: {a} → {b} ({signed(by, unit)})"))
        else:
            out.append(Change(ChangeKind.DEADLINE, a, b, f"deadline: {a} → {b}"))
    out.extend(Change(ChangeKind.DEADLINE, a, "", f"deadline removed: {a}") for a in removed)
    out.extend(Change(ChangeKind.DEADLINE, "", b, f"deadline added: {b}") for b in added)
    return out


_LIST_LABEL = re.compile(r"(?m)^[^\S\n]*\(?\d{1,3}(?:\.\d{1,3})*[.)](?=[^\S\n])")
"""A list item's number at the start of a line inside a point ("1.1. the line holds", "2) …"): no quantity."""


def quantity_changes(old: str, new: str, skip_old: Spans, skip_new: Spans) -> list[Change]:
    """Quantities that changed, appeared or went, each with its unit, compared by value."""
    if "\n" in old:
        skip_old += [m.span() for m in _LIST_LABEL.finditer(old)]
    if "\n" in new:
        skip_new += [m.span() for m in _LIST_LABEL.finditer(new)]
    old_q = find_phrases(_quantity_cyrillic() if CYRILLIC.search(old) else QUANTITY, old, skip_old)
    new_q = find_phrases(_quantity_cyrillic() if CYRILLIC.search(new) else QUANTITY, new, skip_new)
    pairs, removed, added = pair_up(old_q, new_q, quantity_key)
    shown = _shown
    out = [Change(ChangeKind.NUMBER, shown(a), shown(b), f"{shown(a)} → {shown(b)}") for a, b in pairs]
    out.extend(Change(ChangeKind.NUMBER, shown(a), "", f"{shown(a)} removed") for a in removed)
    out.extend(Change(ChangeKind.NUMBER, "", shown(b), f"{shown(b)} added") for b in added)
    return out


def _shown(m: re.Match[str]) -> str:
    return m.group(0).strip()
