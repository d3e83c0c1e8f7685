"""Word list numbers: a counter value in a w:numFmt, as Word shows it.

Each format follows its definition in ECMA-376 Part 1, §17.18.59 (ST_NumberFormat), and where Word
departs from the standard, Word (MS-OI29500 §2.1.540): hindiVowels and hindiConsonants are swapped,
aiueo starts again after its 46 kana instead of doubling them, ideographEnclosedCircle is written
with parenthesized ideographs (U+3220…), bahtText is decimal, and chineseCountingThousand writes no
U+96F6. MS-DOCX §2.4 gives the first values Word writes for each format, and the strings it stores in
w:numFmt/@w:format for custom formats ("001, 002, 003, ...").

Alphabetic formats repeat their letter past the end of the alphabet (z, aa, bb …), as the standard
says of each ("one or more occurrences of a single character"); Word's Latin letters start again
after 780 (zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz). Text formats (cardinalText, ordinalText, ordinal) follow
the language of the paragraph: English, and Russian, Ukrainian or French when w:lang says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from plancmp.numbering import to_roman

MAX_VALUE = 999_999
"""Counters above this are written in decimals whatever the format: a hostile w:start of 10**20
would otherwise make a label gigabytes long (letters repeat, chicago symbols repeat)."""


def _cycle(symbols: str, value: int) -> str:
    """Symbols that start again from the first once the set runs out (aiueo, ganada…)."""
    return symbols[(value - 1) % len(symbols)]


MAX_REPEAT = 100
"""Most times a repeating format writes its symbol; past it the counter is written in decimals.
Chicago's fourth symbol at 400 is already a hundred §; a hostile w:start would make it millions."""


def _repeat(symbols: Sequence[str], value: int) -> str | None:
    """Symbols that repeat once the set runs out: a…z, aa…zz, aaa… (letters, chicago…)."""
    index, rounds = (value - 1) % len(symbols), (value - 1) // len(symbols)
    return symbols[index] * (rounds + 1) if rounds < MAX_REPEAT else None


def _latin(value: int) -> str:
    # Word starts its letters again after 30 rounds: 780 is z written 30 times, 781 is a.
    return _repeat(_LATIN, (value - 1) % 780 + 1) or ""


def _table(symbols: str, value: int) -> str | None:
    """A fixed set (ten heavenly stems, twenty circled numbers); past its end, decimal."""
    return symbols[value - 1] if value <= len(symbols) else None


def _digits(value: int, digits: str) -> str:
    """The decimal digits of value written with another set of ten digits."""
    return "".join(digits[int(d)] for d in str(value))


# -- Latin ------------------------------------------------------------------------------------------

_LATIN = "abcdefghijklmnopqrstuvwxyz"


def _roman(value: int) -> str:
    # Past 3999 Word keeps writing M for each thousand.
    thousands, rest = divmod(value, 1000)
    return "m" * thousands + to_roman(rest)


# -- number words -----------------------------------------------------------------------------------

_EN_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_EN_TENS = "_ ten twenty thirty forty fifty sixty seventy eighty ninety".split()
_EN_ORDINAL = {
    "one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
    "nine": "ninth", "twelve": "twelfth",
}


def _en_below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    words = [f"{_EN_ONES[hundreds]} hundred"] if hundreds else []
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        words.append(_EN_TENS[tens] + (f"-{_EN_ONES[ones]}" if ones else ""))
    elif rest:
        words.append(_EN_ONES[rest])
    return " ".join(words)


def english_cardinal(n: int) -> str:
    """"one hundred twenty-three", as Word's cardinalText writes it (no "and")."""
    thousands, rest = divmod(n, 1000)
    words = [f"{_en_below_thousand(thousands)} thousand"] if thousands else []
    if rest:
        words.append(_en_below_thousand(rest))
    return " ".join(words)


def english_ordinal(n: int) -> str:
    """"one hundred twenty-third": the cardinal with its last word made ordinal."""
    words = english_cardinal(n)
    cut = max(words.rfind(" "), words.rfind("-")) + 1
    head, last = words[:cut], words[cut:]
    if last in _EN_ORDINAL:
        return head + _EN_ORDINAL[last]
    if last.endswith("y"):
        return head + last[:-1] + "ieth"
    return head + last + "th"


def _english_suffix(n: int) -> str:
    if n % 100 in (11, 12, 13):
        return f"{n}th"
    return f"{n}" + {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


@dataclass(frozen=True)
class _Words:
    """A Slavic language's number words, masculine (the gender of "пункт", "розділ")."""

    ones: list[str]
    """1–19, index = value."""
    tens: list[str]
    """20, 30 … 90 at index 2 … 9."""
    hundreds: list[str]
    """100 … 900 at index 1 … 9."""
    thousand: tuple[str, str, str]
    """The word for thousand after 1, after 2–4, after 5 and more."""
    feminine: dict[int, str]
    """The forms of 1 and 2 that go with the feminine "thousand"."""
    ordinal_ones: list[str]
    """First … nineteenth."""
    ordinal_tens: list[str]
    """Twentieth … ninetieth."""
    ordinal_hundreds: list[str]
    """Hundredth … nine hundredth."""
    ordinal_thousand: str
    """Thousandth."""
    stems: list[str]
    """1–19 in the genitive forms that join a round thousand ("двух" in "двухтысячный")."""
    tens_stems: list[str]
    """20 … 90 in those forms ("двадцати")."""
    hundreds_stems: list[str]
    """100 … 900 in those forms ("двухсот")."""


# In the forms of CLDR's spell-out rules (as LibreOffice shows them): "одна тысяча первый",
# "двухсотый", "четвёртый", and the Ukrainian apostrophe as U+02BC ("пʼятий").
_RU = _Words(
    ones="_ один два три четыре пять шесть семь восемь девять десять одиннадцать двенадцать "
    "тринадцать четырнадцать пятнадцать шестнадцать семнадцать восемнадцать девятнадцать".split(),
    tens="_ _ двадцать тридцать сорок пятьдесят шестьдесят семьдесят восемьдесят девяносто".split(),
    hundreds="_ сто двести триста четыреста пятьсот шестьсот семьсот восемьсот девятьсот".split(),
    thousand=("тысяча", "тысячи", "тысяч"),
    feminine={1: "одна", 2: "две"},
    ordinal_ones="_ первый второй третий четвёртый пятый шестой седьмой восьмой девятый десятый "
    "одиннадцатый двенадцатый тринадцатый четырнадцатый пятнадцатый шестнадцатый семнадцатый "
    "восемнадцатый девятнадцатый".split(),
    ordinal_tens="_ _ двадцатый тридцатый сороковой пятидесятый шестидесятый семидесятый "
    "восьмидесятый девяностый".split(),
    ordinal_hundreds="_ сотый двухсотый трёхсотый четырёхсотый пятисотый шестисотый семисотый "
    "восьмисотый девятисотый".split(),
    ordinal_thousand="тысячный",
    # Genitive stems that join a round thousand: "двухтысячный", "двадцатиоднотысячный".
    stems="_ одно двух трёх четырёх пяти шести семи восьми девяти десяти одиннадцати двенадцати "
    "тринадцати четырнадцати пятнадцати шестнадцати семнадцати восемнадцати девятнадцати".split(),
    tens_stems="_ _ двадцати тридцати сорока пятидесяти шестидесяти семидесяти восьмидесяти девяноста".split(),
    hundreds_stems="_ сто двухсот трёхсот четырёхсот пятисот шестисот семисот восьмисот девятисот".split(),
)
_UK = _Words(
    ones="_ один два три чотири пʼять шість сім вісім девʼять десять одинадцять дванадцять "
    "тринадцять чотирнадцять пʼятнадцять шістнадцять сімнадцять вісімнадцять девʼятнадцять".split(),
    tens="_ _ двадцять тридцять сорок пʼятдесят шістдесят сімдесят вісімдесят девʼяносто".split(),
    hundreds="_ сто двісті триста чотириста пʼятсот шістсот сімсот вісімсот девʼятсот".split(),
    thousand=("тисяча", "тисячі", "тисяч"),
    feminine={1: "одна", 2: "дві"},
    ordinal_ones="_ перший другий третій четвертий пʼятий шостий сьомий восьмий девʼятий десятий "
    "одинадцятий дванадцятий тринадцятий чотирнадцятий пʼятнадцятий шістнадцятий сімнадцятий "
    "вісімнадцятий девʼятнадцятий".split(),
    ordinal_tens="_ _ двадцятий тридцятий сороковий пʼятдесятий шістдесятий сімдесятий "
    "вісімдесятий девʼяностий".split(),
    ordinal_hundreds="_ сотий двохсотий трьохсотий чотирьохсотий пʼятисотий шестисотий "
    "семисотий восьмисотий девʼятисотий".split(),
    ordinal_thousand="тисячний",
    stems="_ одно двох трьох чотирьох пʼяти шести семи восьми девʼяти десяти одинадцяти дванадцяти "
    "тринадцяти чотирнадцяти пʼятнадцяти шістнадцяти сімнадцяти вісімнадцяти девʼятнадцяти".split(),
    tens_stems="_ _ двадцяти тридцяти сорока пʼятдесяти шістдесяти сімдесяти вісімдесяти девʼяноста".split(),
    hundreds_stems="_ сто двохсот трьохсот чотирьохсот пʼятисот шестисот семисот восьмисот девʼятисот".split(),
)
_SLAVIC = {"ru": _RU, "uk": _UK}


def _slavic_below_thousand(n: int, words: _Words, feminine: bool = False) -> list[str]:
    hundreds, rest = divmod(n, 100)
    out = [words.hundreds[hundreds]] if hundreds else []
    tens, ones = divmod(rest, 10)
    if rest >= 20:
        out.append(words.tens[tens])
        rest = ones
    if rest:
        out.append(words.feminine.get(rest, words.ones[rest]) if feminine else words.ones[rest])
    return out


def _thousands_word(count: int, words: _Words) -> str:
    one, few, many = words.thousand
    if count % 100 in range(11, 20):
        return many
    return {1: one, 2: few, 3: few, 4: few}.get(count % 10, many)


def slavic_cardinal(n: int, lang: str) -> str:
    """A number in Russian ("ru") or Ukrainian ("uk") words, masculine: "двадцать один"."""
    words = _SLAVIC[lang]
    thousands, rest = divmod(n, 1000)
    out: list[str] = []
    if thousands:
        out += _slavic_below_thousand(thousands, words, feminine=True)
        out.append(_thousands_word(thousands, words))
    out += _slavic_below_thousand(rest, words)
    return " ".join(out)


def slavic_ordinal(n: int, lang: str) -> str:
    """An ordinal in Russian or Ukrainian words, masculine: "двадцать первый"."""
    words = _SLAVIC[lang]
    thousands, rest = divmod(n, 1000)
    if rest == 0:
        # A round thousand is one word: "тысячный", "двухтысячный".
        stem = "" if thousands == 1 else _thousand_stem(thousands, words)
        return stem + words.ordinal_thousand
    head = slavic_cardinal(thousands * 1000, lang) + " " if thousands else ""
    hundreds, below = divmod(rest, 100)
    if below == 0:
        return head + words.ordinal_hundreds[hundreds]
    if hundreds:
        head += words.hundreds[hundreds] + " "
    tens, ones = divmod(below, 10)
    if below < 20:
        return head + words.ordinal_ones[below]
    if ones == 0:
        return head + words.ordinal_tens[tens]
    return head + words.tens[tens] + " " + words.ordinal_ones[ones]


def _thousand_stem(count: int, words: _Words) -> str:
    """A count of thousands as the first half of one word: 2 → "двух", 21 → "двадцатиодно"."""
    hundreds, rest = divmod(count, 100)
    stem = words.hundreds_stems[hundreds] if hundreds else ""
    if rest >= 20:
        stem += words.tens_stems[rest // 10]
        rest %= 10
    return stem + (words.stems[rest] if rest else "")


_FR_ONES = (
    "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize "
    "dix-sept dix-huit dix-neuf"
).split()
_FR_TENS = "_ dix vingt trente quarante cinquante soixante".split()


def _french_below_hundred(n: int) -> str:
    if n < 20:
        return _FR_ONES[n]
    tens, ones = divmod(n, 10)
    if tens in (7, 9):
        # 70–79 and 90–99 count on from sixty and eighty: soixante-douze, quatre-vingt-treize.
        head = "soixante" if tens == 7 else "quatre-vingt"
        rest = ones + 10
        return f"{head} et onze" if rest == 11 and tens == 7 else f"{head}-{_FR_ONES[rest]}"
    head = "quatre-vingt" if tens == 8 else _FR_TENS[tens]
    if ones == 0:
        return "quatre-vingts" if tens == 8 else head
    if ones == 1 and tens != 8:
        return f"{head} et un"
    return f"{head}-{_FR_ONES[ones]}"


def _french_below_thousand(n: int, before_thousand: bool = False) -> str:
    hundreds, rest = divmod(n, 100)
    words = []
    if hundreds:
        # "deux cents", but "deux cent un" and "deux cent mille": the s only ends a number.
        plural = hundreds > 1 and not rest and not before_thousand
        words.append(("cent" if hundreds == 1 else f"{_FR_ONES[hundreds]} cent") + ("s" if plural else ""))
    if rest:
        text = _french_below_hundred(rest)
        words.append(text[:-1] if before_thousand and text.endswith("quatre-vingts") else text)
    return " ".join(words)


def french_cardinal(n: int) -> str:
    """A number in French words, in the traditional spelling Word uses: "vingt et un",
    "quatre-vingts", "deux cent un", "mille"."""
    thousands, rest = divmod(n, 1000)
    words = []
    if thousands:
        words.append("mille" if thousands == 1 else f"{_french_below_thousand(thousands, True)} mille")
    if rest:
        words.append(_french_below_thousand(rest))
    return " ".join(words)


def french_ordinal(n: int) -> str:
    """An ordinal in French words: "premier", "vingt et unième", "quatre-vingtième"."""
    if n == 1:
        return "premier"
    words = french_cardinal(n)
    cut = max(words.rfind(" "), words.rfind("-")) + 1
    head, last = words[:cut], words[cut:]
    last = {"cinq": "cinqu", "neuf": "neuv"}.get(last, last.rstrip("s"))
    return head + (last.removesuffix("e")) + "ième"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _language(lang: str) -> str:
    """"ru", "uk" or "fr" for the languages with their own number words, else "" (English)."""
    code = lang.split("-")[0].lower()
    return code if code in _SLAVIC or code == "fr" else ""


def _cardinal_text(value: int, lang: str) -> str:
    code = _language(lang)
    if code == "fr":
        return _capitalised(french_cardinal(value))
    return _capitalised(slavic_cardinal(value, code) if code else english_cardinal(value))


def _ordinal_text(value: int, lang: str) -> str:
    code = _language(lang)
    if code == "fr":
        return _capitalised(french_ordinal(value))
    return _capitalised(slavic_ordinal(value, code) if code else english_ordinal(value))


def _ordinal(value: int, lang: str) -> str:
    code = _language(lang)
    if code == "fr":
        return f"{value}er" if value == 1 else f"{value}e"
    return f"{value}-й" if code else _english_suffix(value)


# -- East Asian counting ----------------------------------------------------------------------------

_IDEOGRAPH_DIGITS = "〇一二三四五六七八九"
_CIRCLE_DIGITS = "○一二三四五六七八九"  # chineseCounting writes its zero as U+25CB (MS-DOCX §2.4)


def _counting(
    value: int,
    digits: str,
    units: str,
    *,
    zero: str = "",
    drop_one: str = "",
    drop_leading_ten: bool = False,
    myriad: str = "",
    myriad_zero: str | None = None,
    inner: bool = False,
) -> str:
    """Counting with place words: units for ten, hundred, thousand (十百千) and, past 9,999, a
    myriad word (万, 萬, 만).

    `drop_one` names the place words written without their "one" (Japanese 百, Korean 백);
    `drop_leading_ten` drops it before a leading ten only (Chinese 十一, but 一百一十); `zero` is
    written once for each run of zeros inside the number (一百零一), `myriad_zero` in place of it
    right after the myriad word.
    """
    if myriad and value >= 10_000:
        high, low = divmod(value, 10_000)
        options = {"zero": zero, "drop_one": drop_one, "drop_leading_ten": drop_leading_ten, "myriad": myriad}
        text = _counting(high, digits, units, **options) + myriad  # type: ignore[arg-type]
        if low:
            gap = (zero if myriad_zero is None else myriad_zero) if low < 1000 else ""
            text += gap + _counting(low, digits, units, inner=True, **options)  # type: ignore[arg-type]
        return text
    out: list[str] = []
    pending_zero = False
    places = str(value)
    for position, char in enumerate(places):
        digit = int(char)
        place = len(places) - 1 - position
        if digit == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append(zero)
            pending_zero = False
        unit = units[place - 1] if place else ""
        leading_ten = drop_leading_ten and place == 1 and not out and not inner
        if digit == 1 and unit and (unit in drop_one or leading_ten):
            out.append(unit)
        else:
            out.append(digits[digit] + unit)
    return "".join(out)


def _chinese_counting(value: int) -> str:
    # Counting to 99, then digit by digit: 一, 十, 一○○ (MS-DOCX §2.4).
    if value < 100:
        return _counting(value, _IDEOGRAPH_DIGITS, "十", drop_leading_ten=True)
    return _digits(value, _CIRCLE_DIGITS)


def _counting_thousand(value: int, myriad: str) -> str:
    # The standard writes U+96F6 for a run of zeros; Word does not (MS-OI29500 §2.1.540 e): it
    # writes 〇 within a myriad (一百〇一, as Microsoft's Open XML PowerTools tests found against
    # Word) and nothing after the myriad word (一万一).
    return _counting(
        value, _IDEOGRAPH_DIGITS, "十百千", zero="〇", drop_leading_ten=True, myriad=myriad, myriad_zero=""
    )


def _japanese_counting(value: int) -> str:
    # Japanese drops the "one" before 十, 百 and 千 but keeps it before 万: 十, 百十, 千, 一万.
    return _counting(value, _IDEOGRAPH_DIGITS, "十百千", drop_one="十百千", myriad="万")


def _japanese_legal(value: int) -> str:
    return _counting(value, "〇壱弐参四伍六七八九", "拾百阡", myriad="萬")


def _japanese_digital_ten_thousand(value: int) -> str:
    high, low = divmod(value, 10_000)
    if not high:
        return _digits(value, _IDEOGRAPH_DIGITS)
    rest = _digits(low, _IDEOGRAPH_DIGITS).rjust(4, "〇") if low else ""
    return _digits(high, _IDEOGRAPH_DIGITS) + "万" + rest


def _legal_traditional(value: int) -> str:
    return _counting(value, "零壹貳參肆伍陸柒捌玖", "拾佰仟", zero="零", myriad="萬")


def _legal_simplified(value: int) -> str:
    return _counting(value, "零壹贰叁肆伍陆柒捌玖", "拾佰仟", zero="零", myriad="万")

_HANGUL_DIGITS = "영일이삼사오육칠팔구"


def _korean_counting(value: int) -> str:
    # Korean drops the "one" before every place word, 만 included: 십, 백십, 만, 만일.
    text = _counting(value, _HANGUL_DIGITS, "십백천", drop_one="십백천", myriad="만")
    return text[1:] if text.startswith("일만") else text

_KOREAN_NATIVE_ONES = "_ 하나 둘 셋 넷 다섯 여섯 일곱 여덟 아홉".split()
_KOREAN_NATIVE_TENS = "_ 열 스물 서른 마흔 쉰 예순 일흔 여든 아흔".split()


def _korean_legal(value: int) -> str:
    # Native Korean numbers run to 99; past them the Sino-Korean counting takes over.
    if value >= 100:
        return _korean_counting(value)
    tens, ones = divmod(value, 10)
    return (_KOREAN_NATIVE_TENS[tens] if tens else "") + (_KOREAN_NATIVE_ONES[ones] if ones else "")


def _sexagenary(value: int) -> str | None:
    if value > 60:
        return None
    return _STEMS[(value - 1) % 10] + _BRANCHES[(value - 1) % 12]


_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_AIUEO_HALF = "".join(chr(c) for c in range(0xFF71, 0xFF9D)) + "ｦﾝ"
_AIUEO_FULL = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
_IROHA_FULL = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセスン"
# Half-width katakana has no ヰ and ヱ; Word writes ｲ and ｴ in their places.
_IROHA_HALF = "ｲﾛﾊﾆﾎﾍﾄﾁﾘﾇﾙｦﾜｶﾖﾀﾚｿﾂﾈﾅﾗﾑｳｲﾉｵｸﾔﾏｹﾌｺｴﾃｱｻｷﾕﾒﾐｼｴﾋﾓｾｽﾝ"
_GANADA = "가나다라마바사아자차카타파하"
_CHOSUNG = "ㄱㄴㄷㄹㅁㅂㅅㅇㅈㅊㅋㅌㅍㅎ"


# -- Hebrew, Arabic, Indic, Thai, Vietnamese --------------------------------------------------------

_HEBREW_ONES = "_אבגדהוזחט"
_HEBREW_TENS = "_יכלמנסעפצ"
_HEBREW_HUNDREDS = ("", "ק", "ר", "ש", "ת", "תק", "תר", "תש", "תת", "תתק")


def _hebrew_numeral(value: int) -> str | None:
    """Hebrew numerals (gematria) to 999; 15 and 16 are טו and טז, never letters of the divine name."""
    if value >= 1000:
        return None
    hundreds, rest = divmod(value, 100)
    text = _HEBREW_HUNDREDS[hundreds]
    if rest in (15, 16):
        return text + "ט" + _HEBREW_ONES[rest - 9]
    tens, ones = divmod(rest, 10)
    return text + (_HEBREW_TENS[tens] if tens else "") + (_HEBREW_ONES[ones] if ones else "")


_HEBREW_ALPHABET = "אבגדהוזחטיכלמנסעפצקרשת"
_ARABIC_ALPHA = "".join(map(chr, [0x0623, 0x0628, *range(0x062A, 0x063B), *range(0x0641, 0x064A)]))
# Word's first abjad letter is U+0623 (MS-DOCX §2.4); the order is the abjadī one.
_ARABIC_ABJAD = "".join(map(chr, (
    0x0623, 0x0628, 0x062C, 0x062F, 0x0647, 0x0648, 0x0632, 0x062D, 0x0637, 0x064A, 0x0643, 0x0644,
    0x0645, 0x0646, 0x0633, 0x0639, 0x0641, 0x0635, 0x0642, 0x0631, 0x0634, 0x062A, 0x062B, 0x062E,
    0x0630, 0x0636, 0x0638, 0x063A,
)))
# Word's hindiVowels are consonants and its hindiConsonants vowels (MS-OI29500 §2.1.540 b).
_HINDI_CONSONANTS = "".join(map(chr, [*range(0x0915, 0x0929), *range(0x092A, 0x0931), 0x0932, *range(0x0935, 0x093A)]))
_HINDI_VOWELS = ("अ", "आ", "इ", "ई", "उ", "ऊ", "ऋ", "ए", "ऐ", "ओ", "औ", "अं", "अः")
_DEVANAGARI_DIGITS = "०१२३४५६७८९"
_HINDI_WORDS = (
    "_ एक दो तीन चार पाँच छह सात आठ नौ दस ग्यारह बारह तेरह चौदह पंद्रह सोलह सत्रह अठारह उन्नीस "
    "बीस इक्कीस बाईस तेईस चौबीस पच्चीस छब्बीस सत्ताईस अट्ठाईस उनतीस तीस इकतीस बत्तीस तैंतीस "
    "चौंतीस पैंतीस छत्तीस सैंतीस अड़तीस उनतालीस चालीस इकतालीस बयालीस तैंतालीस चवालीस पैंतालीस "
    "छियालीस सैंतालीस अड़तालीस उनचास पचास इक्यावन बावन तिरेपन चौवन पचपन छप्पन सत्तावन अट्ठावन "
    "उनसठ साठ इकसठ बासठ तिरेसठ चौंसठ पैंसठ छियासठ सड़सठ अड़सठ उनहत्तर सत्तर इकहत्तर बहत्तर "
    "तिहत्तर चौहत्तर पचहत्तर छिहत्तर सतहत्तर अठहत्तर उन्यासी अस्सी इक्यासी बयासी तिरासी चौरासी "
    "पचासी छियासी सत्तासी अट्ठासी नवासी नब्बे इक्यानबे बानबे तिरानबे चौरानबे पंचानबे छियानबे "
    "सत्तानबे अट्ठानबे निन्यानबे"
).split()


def _hindi_counting(value: int) -> str:
    thousands, rest = divmod(value, 1000)
    hundreds, below = divmod(rest, 100)
    words = []
    if thousands:
        words.append(_hindi_counting(thousands) + " हज़ार")
    if hundreds:
        words.append(_HINDI_WORDS[hundreds] + " सौ")
    if below:
        words.append(_HINDI_WORDS[below])
    return " ".join(words)


# Thai consonants without the obsolete ฃ and ฅ, and ฆ.
_THAI_LETTERS = "".join(map(chr, [0x0E01, 0x0E02, 0x0E04, *range(0x0E07, 0x0E2F)]))
_THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_THAI_ONES = "_ หนึ่ง สอง สาม สี่ ห้า หก เจ็ด แปด เก้า".split()
_THAI_PLACES = ("", "สิบ", "ร้อย", "พัน", "หมื่น", "แสน")


def _thai_counting(value: int) -> str:
    if value >= 1_000_000:
        high, low = divmod(value, 1_000_000)
        return _thai_counting(high) + "ล้าน" + (_thai_counting(low) if low else "")
    out = []
    places = str(value)
    for position, char in enumerate(places):
        digit, place = int(char), len(places) - 1 - position
        if not digit:
            continue
        if place == 1 and digit == 1:
            out.append("สิบ")
        elif place == 1 and digit == 2:
            out.append("ยี่สิบ")
        elif place == 0 and digit == 1 and len(places) > 1:
            out.append("เอ็ด")
        else:
            out.append(_THAI_ONES[digit] + _THAI_PLACES[place])
    return "".join(out)


_VIET_ONES = "_ một hai ba bốn năm sáu bảy tám chín".split()


def _vietnamese_below_thousand(n: int, inner: bool) -> str:
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    words = []
    if hundreds or (inner and rest):
        words.append(f"{_VIET_ONES[hundreds] if hundreds else 'không'} trăm")
    if tens == 0 and ones and words:
        words.append("lẻ")
    if tens == 1:
        words.append("mười")
    elif tens:
        words.append(f"{_VIET_ONES[tens]} mươi")
    if ones:
        if ones == 5 and tens:
            words.append("lăm")
        elif ones == 1 and tens > 1:
            words.append("mốt")
        elif ones == 4 and tens > 1:
            words.append("tư")
        else:
            words.append(_VIET_ONES[ones])
    return " ".join(words)


def _vietnamese_counting(value: int) -> str:
    thousands, rest = divmod(value, 1000)
    words = [f"{_vietnamese_below_thousand(thousands, False)} nghìn"] if thousands else []
    if rest:
        words.append(_vietnamese_below_thousand(rest, bool(thousands)))
    return " ".join(words)


# -- the formats --------------------------------------------------------------------------------------

_Renderer = Callable[[int, str], "str | None"]

_FORMATS: dict[str, _Renderer] = {
    "decimal": lambda v, _: str(v),
    "decimalHalfWidth": lambda v, _: str(v),
    # Word reads bahtText as decimal (MS-OI29500 §2.1.540 d).
    "bahtText": lambda v, _: str(v),
    "decimalZero": lambda v, _: f"{v:02d}",
    "decimalFullWidth": lambda v, _: _digits(v, "０１２３４５６７８９"),
    "decimalFullWidth2": lambda v, _: _digits(v, "０１２３４５６７８９"),
    "upperRoman": lambda v, _: _roman(v).upper(),
    "lowerRoman": lambda v, _: _roman(v),
    "upperLetter": lambda v, _: _latin(v).upper(),
    "lowerLetter": lambda v, _: _latin(v),
    "ordinal": lambda v, lang: _ordinal(v, lang),
    "cardinalText": lambda v, lang: _cardinal_text(v, lang),
    "ordinalText": lambda v, lang: _ordinal_text(v, lang),
    "dollarText": lambda v, _: _capitalised(english_cardinal(v)) + " and 00/100",
    "hex": lambda v, _: f"{v:X}",
    "chicago": lambda v, _: _repeat("*†‡§", v),
    "numberInDash": lambda v, _: f"- {v} -",
    "decimalEnclosedCircle": lambda v, _: _table("".join(map(chr, range(0x2460, 0x2474))), v),
    "decimalEnclosedCircleChinese": lambda v, _: _table("".join(map(chr, range(0x2460, 0x2474))), v),
    "decimalEnclosedFullstop": lambda v, _: _table("".join(map(chr, range(0x2488, 0x249C))), v),
    "decimalEnclosedParen": lambda v, _: _table("".join(map(chr, range(0x2474, 0x2488))), v),
    # Word writes parenthesized ideographs (U+3220…), not circled ones (MS-OI29500 §2.1.540 a).
    "ideographEnclosedCircle": lambda v, _: _table("".join(map(chr, range(0x3220, 0x322A))), v),
    "ideographDigital": lambda v, _: _digits(v, _IDEOGRAPH_DIGITS),
    "taiwaneseDigital": lambda v, _: _digits(v, _IDEOGRAPH_DIGITS),
    "japaneseDigitalTenThousand": lambda v, _: _japanese_digital_ten_thousand(v),
    "japaneseCounting": lambda v, _: _japanese_counting(v),
    "japaneseLegal": lambda v, _: _japanese_legal(v),
    "chineseCounting": lambda v, _: _chinese_counting(v),
    "chineseCountingThousand": lambda v, _: _counting_thousand(v, "万"),
    "taiwaneseCounting": lambda v, _: _counting_thousand(v, "萬"),
    "taiwaneseCountingThousand": lambda v, _: _counting_thousand(v, "萬"),
    "ideographLegalTraditional": lambda v, _: _legal_traditional(v),
    "chineseLegalSimplified": lambda v, _: _legal_simplified(v),
    "ideographTraditional": lambda v, _: _table(_STEMS, v),
    "ideographZodiac": lambda v, _: _table(_BRANCHES, v),
    "ideographZodiacTraditional": lambda v, _: _sexagenary(v),
    "aiueo": lambda v, _: _cycle(_AIUEO_HALF, v),
    "aiueoFullWidth": lambda v, _: _cycle(_AIUEO_FULL, v),
    "iroha": lambda v, _: _cycle(_IROHA_HALF, v),
    "irohaFullWidth": lambda v, _: _cycle(_IROHA_FULL, v),
    "ganada": lambda v, _: _cycle(_GANADA, v),
    "chosung": lambda v, _: _cycle(_CHOSUNG, v),
    "koreanDigital": lambda v, _: _digits(v, _HANGUL_DIGITS),
    "koreanCounting": lambda v, _: _korean_counting(v),
    "koreanLegal": lambda v, _: _korean_legal(v),
    "koreanDigital2": lambda v, _: _digits(v, "零一二三四五六七八九"),
    "vietnameseCounting": lambda v, _: _vietnamese_counting(v),
    "russianLower": lambda v, _: _repeat(_RUSSIAN, v),
    "russianUpper": lambda v, _: _repeat(_RUSSIAN.upper(), v),
    "hebrew1": lambda v, _: _hebrew_numeral(v),
    "hebrew2": lambda v, _: _repeat(_HEBREW_ALPHABET, v),
    "arabicAlpha": lambda v, _: _repeat(_ARABIC_ALPHA, v),
    "arabicAbjad": lambda v, _: _repeat(_ARABIC_ABJAD, v),
    "hindiVowels": lambda v, _: _repeat(_HINDI_CONSONANTS, v),
    "hindiConsonants": lambda v, _: _repeat(_HINDI_VOWELS, v),
    "hindiNumbers": lambda v, _: _digits(v, _DEVANAGARI_DIGITS),
    "hindiCounting": lambda v, _: _hindi_counting(v),
    "thaiLetters": lambda v, _: _repeat(_THAI_LETTERS, v),
    "thaiNumbers": lambda v, _: _digits(v, _THAI_DIGITS),
    "thaiCounting": lambda v, _: _thai_counting(v),
}
# The Russian alphabet without ё, й, ъ, ь (§17.18.59: U+0430–U+0438, U+043A–U+0449, U+044B, U+044D–U+044F).
_RUSSIAN = "абвгдежзиклмнопрстуфхцчшщыэюя"

NO_LABEL = frozenset({"none", "bullet"})
"""Formats that show no number: "none" (the level text alone) and "bullet" (a symbol)."""
KNOWN_FORMATS = frozenset(_FORMATS) | NO_LABEL
"""Every w:numFmt value this module renders."""

_ZERO_PADDED = re.compile(r"(0*1), 0*2, 0*3, \.\.\.")


def custom_format(pattern: str) -> str | None:
    """The format a w:numFmt w:val="custom" w:format= string names, or None if it names none.

    Word writes its own sample of the sequence ("001, 002, 003, ...", "①, ②, ③, ..."); the
    zero-padded ones have no ST_NumberFormat value and come back as "zero:<width>".
    """
    text = pattern.strip()
    padded = _ZERO_PADDED.fullmatch(text)
    if padded:
        return f"zero:{len(padded.group(1))}"
    return _samples().get(re.sub(r"\s+", "", re.sub(r"\(.*?\)", "", text)))


_SAMPLE_CACHE: dict[str, str] = {}


def _samples() -> dict[str, str]:
    """Each format's first values as Word writes them in w:format (MS-DOCX §2.4), spaces removed:
    1, 2, 3 for most, but 1, 10, 100 for the counting formats and 1, 10, 11 for hex."""
    if not _SAMPLE_CACHE:
        for name in sorted(_FORMATS):
            for values in ((1, 2, 3), (1, 10, 100), (1, 10, 11)):
                shown = [format_number(v, name) for v in values]
                key = ",".join(s or "" for s in shown) + ",..."
                _SAMPLE_CACHE.setdefault(key, name)
    return _SAMPLE_CACHE


def format_number(value: int, fmt: str, lang: str = "", custom: str | None = None) -> str | None:
    """A list counter as Word shows it in format fmt ("lowerRoman", 4 → "iv").

    `lang` is the paragraph's w:lang ("ru-RU") for the formats that are words; `custom` the
    w:format string of a custom format. Returns None for a format this module does not know
    (the caller falls back to decimal and says so). Values below 1 or above MAX_VALUE are written
    in decimals, as are values past the end of a fixed set (the 20 circled numbers).
    """
    if fmt in NO_LABEL:
        return ""
    if fmt == "custom":
        named = custom_format(custom or "")
        if named is None:
            return None
        if named.startswith("zero:"):
            return str(value).rjust(int(named[5:]), "0")
        fmt = named
    render = _FORMATS.get(fmt)
    if render is None:
        return None
    if fmt == "decimalZero":
        return render(value, lang)
    if value < 1 or value > MAX_VALUE:
        return str(value)
    shown = render(value, lang)
    return str(value) if shown is None else shown


def is_known(fmt: str, custom: str | None = None) -> bool:
    """Whether format_number renders fmt (for custom formats: the w:format string too)."""
    if fmt == "custom":
        return custom_format(custom or "") is not None
    return fmt in KNOWN_FORMATS


__all__ = [
    "KNOWN_FORMATS",
    "MAX_REPEAT",
    "MAX_VALUE",
    "NO_LABEL",
    "custom_format",
    "english_cardinal",
    "english_ordinal",
    "format_number",
    "french_cardinal",
    "french_ordinal",
    "is_known",
    "slavic_cardinal",
    "slavic_ordinal",
]
