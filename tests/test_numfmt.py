"""Word's number formats (ECMA-376 §17.18.59): each format's labels as the standard, MS-DOCX §2.4 and
MS-OI29500 §2.1.540 give them, and as Word shows the ones they leave open."""

from __future__ import annotations

import pytest

from plancmp.parse.numfmt import (
    KNOWN_FORMATS,
    MAX_VALUE,
    custom_format,
    format_number,
    is_known,
)


def labels(fmt: str, values: tuple[int, ...], lang: str = "") -> list[str | None]:
    return [format_number(v, fmt, lang) for v in values]


# The first values MS-DOCX §2.4 prints for each format, as code points there.
MS_DOCX = [
    ("aiueo", (1, 2, 3), ["ｱ", "ｲ", "ｳ"]),
    ("aiueoFullWidth", (1, 2, 3), ["ア", "イ", "ウ"]),
    ("arabicAbjad", (1, 2, 3), ["\u0623", "\u0628", "\u062c"]),
    ("arabicAlpha", (1, 2, 3), ["\u0623", "\u0628", "\u062a"]),
    ("cardinalText", (1, 2, 3), ["One", "Two", "Three"]),
    ("chicago", (1, 2, 3), ["*", "†", "‡"]),
    ("chineseCounting", (1, 10, 100), ["一", "十", "一○○"]),
    ("chineseCountingThousand", (1, 10, 100), ["一", "十", "一百"]),
    ("chineseLegalSimplified", (1, 2, 3), ["壹", "贰", "叁"]),
    ("chosung", (1, 2, 3), ["ㄱ", "ㄴ", "ㄷ"]),
    ("decimal", (1,), ["1"]),
    ("decimalEnclosedCircle", (1, 2, 3), ["①", "②", "③"]),
    ("decimalEnclosedFullstop", (1, 2, 3), ["⒈", "⒉", "⒊"]),
    ("decimalEnclosedParen", (1, 2, 3), ["⑴", "⑵", "⑶"]),
    ("decimalFullWidth", (1, 2, 3), ["１", "２", "３"]),
    ("decimalZero", (1, 2, 3), ["01", "02", "03"]),
    ("ganada", (1, 2, 3), ["가", "나", "다"]),
    ("hebrew1", (1, 10, 100), ["א", "י", "ק"]),
    ("hebrew2", (1, 2, 3), ["א", "ב", "ג"]),
    ("hex", (1, 10, 11), ["1", "A", "B"]),
    ("hindiConsonants", (1, 2, 3), ["अ", "आ", "इ"]),
    ("hindiCounting", (1, 2, 3), ["एक", "दो", "तीन"]),
    ("hindiNumbers", (1, 2, 3), ["१", "२", "३"]),
    ("hindiVowels", (1, 2, 3), ["क", "ख", "ग"]),
    ("ideographDigital", (1, 10, 100), ["一", "一〇", "一〇〇"]),
    ("ideographEnclosedCircle", (1, 2, 3), ["㈠", "㈡", "㈢"]),
    ("ideographLegalTraditional", (1, 2, 3), ["壹", "貳", "參"]),
    ("ideographTraditional", (1, 2, 3), ["甲", "乙", "丙"]),
    ("ideographZodiac", (1, 2, 3), ["子", "丑", "寅"]),
]


@pytest.mark.parametrize(("fmt", "values", "expected"), MS_DOCX, ids=[case[0] for case in MS_DOCX])
def test_first_values_are_those_ms_docx_gives(fmt: str, values: tuple[int, ...], expected: list[str]) -> None:
    assert labels(fmt, values) == expected


def test_word_departures_from_the_standard() -> None:
    # MS-OI29500 §2.1.540: aiueo starts again after 46 kana (c); bahtText is decimal (d); after
    # chineseCountingThousand writes no U+96F6 (e) but 〇 within a myriad; the hindi sets are
    # swapped (b).
    assert labels("aiueo", (46, 47, 93)) == ["ﾝ", "ｱ", "ｱ"]
    assert labels("aiueoFullWidth", (46, 47)) == ["ン", "ア"]
    assert labels("bahtText", (1, 21)) == ["1", "21"]
    assert labels("chineseCountingThousand", (101, 110, 1010, 10001)) == ["一百〇一", "一百一十", "一千〇一十", "一万一"]
    assert format_number(1, "hindiVowels") == "क" and format_number(1, "hindiConsonants") == "अ"


LATIN = [
    ("decimal", (1, 9, 10, 999), ["1", "9", "10", "999"]),
    ("decimalZero", (1, 9, 10, 100), ["01", "09", "10", "100"]),
    ("decimalHalfWidth", (7, 10), ["7", "10"]),
    ("upperRoman", (1, 4, 9, 14, 40, 90, 400, 1994, 3999, 4000), ["I", "IV", "IX", "XIV", "XL", "XC", "CD", "MCMXCIV", "MMMCMXCIX", "MMMM"]),
    ("lowerRoman", (3, 8, 49), ["iii", "viii", "xlix"]),
    ("lowerLetter", (1, 26, 27, 28, 52, 53, 780, 781), ["a", "z", "aa", "bb", "zz", "aaa", "z" * 30, "a"]),
    ("upperLetter", (3, 29), ["C", "CC"]),
    ("ordinal", (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111, 112), ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th", "112th"]),
    ("hex", (9, 15, 16, 255, 4096), ["9", "F", "10", "FF", "1000"]),
    ("chicago", (4, 5, 8, 9, 12), ["§", "**", "§§", "***", "§§§"]),
    ("numberInDash", (1, 12), ["- 1 -", "- 12 -"]),
    ("decimalEnclosedCircle", (20, 21), ["⑳", "21"]),
    ("decimalEnclosedParen", (20, 21), ["⒇", "21"]),
    ("decimalFullWidth2", (10,), ["１０"]),
]


@pytest.mark.parametrize(("fmt", "values", "expected"), LATIN, ids=[case[0] for case in LATIN])
def test_decimal_roman_letters_and_symbols(fmt: str, values: tuple[int, ...], expected: list[str]) -> None:
    assert labels(fmt, values) == expected


def test_english_number_words_up_to_9999() -> None:
    values = (1, 11, 15, 20, 21, 40, 99, 100, 101, 110, 123, 1000, 1001, 1234, 2000, 9999)
    assert labels("cardinalText", values) == [
        "One", "Eleven", "Fifteen", "Twenty", "Twenty-one", "Forty", "Ninety-nine", "One hundred",
        "One hundred one", "One hundred ten", "One hundred twenty-three", "One thousand",
        "One thousand one", "One thousand two hundred thirty-four", "Two thousand",
        "Nine thousand nine hundred ninety-nine",
    ]
    assert labels("ordinalText", values) == [
        "First", "Eleventh", "Fifteenth", "Twentieth", "Twenty-first", "Fortieth", "Ninety-ninth",
        "One hundredth", "One hundred first", "One hundred tenth", "One hundred twenty-third",
        "One thousandth", "One thousand first", "One thousand two hundred thirty-fourth",
        "Two thousandth", "Nine thousand nine hundred ninety-ninth",
    ]
    assert labels("ordinalText", (2, 3, 5, 8, 9, 12, 90)) == [
        "Second", "Third", "Fifth", "Eighth", "Ninth", "Twelfth", "Ninetieth",
    ]
    assert format_number(21, "dollarText") == "Twenty-one and 00/100"


def test_russian_and_ukrainian_number_words_where_w_lang_says_so() -> None:
    values = (1, 2, 4, 11, 21, 40, 99, 100, 101, 200, 1000, 1001, 2000, 2001, 5000, 21000)
    assert labels("cardinalText", values, "ru-RU") == [
        "Один", "Два", "Четыре", "Одиннадцать", "Двадцать один", "Сорок", "Девяносто девять", "Сто",
        "Сто один", "Двести", "Одна тысяча", "Одна тысяча один", "Две тысячи", "Две тысячи один",
        "Пять тысяч", "Двадцать одна тысяча",
    ]
    assert labels("ordinalText", values, "ru-RU") == [
        "Первый", "Второй", "Четвёртый", "Одиннадцатый", "Двадцать первый", "Сороковой",
        "Девяносто девятый", "Сотый", "Сто первый", "Двухсотый", "Тысячный", "Одна тысяча первый",
        "Двухтысячный", "Две тысячи первый", "Пятитысячный", "Двадцатиоднотысячный",
    ]
    assert labels("cardinalText", (5, 9, 50, 200, 1000, 2000), "uk-UA") == [
        "Пʼять", "Девʼять", "Пʼятдесят", "Двісті", "Одна тисяча", "Дві тисячі",
    ]
    assert labels("ordinalText", (1, 2, 3, 7, 40, 100, 300, 1000, 2000, 5000), "uk") == [
        "Перший", "Другий", "Третій", "Сьомий", "Сороковий", "Сотий", "Трьохсотий", "Тисячний",
        "Двохтисячний", "Пʼятитисячний",
    ]
    assert labels("ordinal", (1, 22), "ru-RU") == ["1-й", "22-й"]
    # Other languages read as English: the words are Word's English ones.
    assert labels("cardinalText", (3,), "de-DE") == ["Three"]


CJK = [
    ("japaneseCounting", (10, 11, 20, 100, 110, 1000, 10000), ["十", "十一", "二十", "百", "百十", "千", "一万"]),
    ("japaneseLegal", (1, 2, 3, 10, 11, 100), ["壱", "弐", "参", "壱拾", "壱拾壱", "壱百"]),
    ("japaneseDigitalTenThousand", (10, 10000, 10001), ["一〇", "一万", "一万〇〇〇一"]),
    ("chineseCounting", (11, 20, 99, 101), ["十一", "二十", "九十九", "一○一"]),
    ("chineseLegalSimplified", (10, 11, 101, 10000), ["壹拾", "壹拾壹", "壹佰零壹", "壹万"]),
    ("ideographLegalTraditional", (10, 110, 10001), ["壹拾", "壹佰壹拾", "壹萬零壹"]),
    ("taiwaneseCounting", (10, 21, 100), ["十", "二十一", "一百"]),
    ("taiwaneseCountingThousand", (1000, 10000), ["一千", "一萬"]),
    ("taiwaneseDigital", (10, 205), ["一〇", "二〇五"]),
    ("ideographTraditional", (10, 11), ["癸", "11"]),
    ("ideographZodiac", (12, 13), ["亥", "13"]),
    ("ideographZodiacTraditional", (1, 2, 11, 60, 61), ["甲子", "乙丑", "甲戌", "癸亥", "61"]),
    ("ideographEnclosedCircle", (10, 11), ["㈩", "11"]),
    ("decimalEnclosedCircleChinese", (5,), ["⑤"]),
    ("iroha", (1, 2, 3, 48, 49), ["ｲ", "ﾛ", "ﾊ", "ﾝ", "ｲ"]),
    ("irohaFullWidth", (1, 25, 43, 48), ["イ", "ヰ", "ヱ", "ン"]),
    ("ganada", (14, 15), ["하", "가"]),
    ("chosung", (14, 15), ["ㅎ", "ㄱ"]),
    ("koreanDigital", (10, 205), ["일영", "이영오"]),
    ("koreanCounting", (10, 11, 20, 110, 10000, 12345), ["십", "십일", "이십", "백십", "만", "만이천삼백사십오"]),
    ("koreanLegal", (1, 10, 11, 20, 99, 100), ["하나", "열", "열하나", "스물", "아흔아홉", "백"]),
    ("koreanDigital2", (10,), ["一零"]),
]


@pytest.mark.parametrize(("fmt", "values", "expected"), CJK, ids=[case[0] for case in CJK])
def test_chinese_japanese_korean_formats(fmt: str, values: tuple[int, ...], expected: list[str]) -> None:
    assert labels(fmt, values) == expected


OTHER_SCRIPTS = [
    ("hebrew1", (11, 15, 16, 99, 499, 999, 1000), ["יא", "טו", "טז", "צט", "תצט", "תתקצט", "1000"]),
    ("hebrew2", (22, 23), ["ת", "אא"]),
    ("arabicAlpha", (28, 29), ["\u0649", "\u0623\u0623"]),
    ("arabicAbjad", (4, 5, 10), ["\u062f", "\u0647", "\u064a"]),
    ("hindiVowels", (33, 34), ["ह", "कक"]),
    ("hindiNumbers", (1024,), ["१०२४"]),
    ("hindiCounting", (11, 50, 99, 100, 101, 1234), ["ग्यारह", "पचास", "निन्यानबे", "एक सौ", "एक सौ एक", "एक हज़ार दो सौ चौंतीस"]),
    ("thaiLetters", (1, 2, 3, 43, 44), ["ก", "ข", "ค", "ฮ", "กก"]),
    ("thaiNumbers", (109,), ["๑๐๙"]),
    ("thaiCounting", (1, 11, 20, 21, 101, 1000), ["หนึ่ง", "สิบเอ็ด", "ยี่สิบ", "ยี่สิบเอ็ด", "หนึ่งร้อยเอ็ด", "หนึ่งพัน"]),
    ("vietnameseCounting", (1, 10, 15, 21, 24, 105, 1001), ["một", "mười", "mười lăm", "hai mươi mốt", "hai mươi tư", "một trăm lẻ năm", "một nghìn không trăm lẻ một"]),
    ("russianLower", (1, 9, 10, 26, 29, 30), ["а", "и", "к", "ы", "я", "аа"]),
    ("russianUpper", (3, 31), ["В", "ББ"]),
]


@pytest.mark.parametrize(("fmt", "values", "expected"), OTHER_SCRIPTS, ids=[case[0] for case in OTHER_SCRIPTS])
def test_hebrew_arabic_indic_thai_vietnamese_russian(fmt: str, values: tuple[int, ...], expected: list[str]) -> None:
    assert labels(fmt, values) == expected


def test_custom_formats_name_their_sequence() -> None:
    # MS-DOCX §2.4: Word stores a custom format as a sample of its sequence.
    assert custom_format("001, 002, 003, ...") == "zero:3"
    assert custom_format("0001, 0002, 0003, ...") == "zero:4"
    assert custom_format("①, ②, ③, ...") == "decimalEnclosedCircle"
    assert custom_format("One, Two, Three, ...") == "cardinalText"
    assert custom_format("一, 十, 一○○(简), ...") == "chineseCounting"
    assert custom_format("1, A, B, ...") == "hex"
    assert format_number(7, "custom", custom="001, 002, 003, ...") == "007"
    assert format_number(12345, "custom", custom="0001, 0002, 0003, ...") == "12345"
    assert format_number(2, "custom", custom="①, ②, ③, ...") == "②"
    assert custom_format("α, β, γ, ...") is None
    assert format_number(2, "custom", custom="α, β, γ, ...") is None


def test_unknown_formats_and_values_out_of_range() -> None:
    assert format_number(3, "klingon") is None
    assert not is_known("klingon") and is_known("ordinalText") and is_known("custom", "001, 002, 003, ...")
    assert labels("none", (1,)) == [""] and labels("bullet", (5,)) == [""]
    # Values below 1 or beyond MAX_VALUE are decimals, whatever the format; so is a repeating
    # format's symbol written more than 100 times.
    assert labels("lowerRoman", (0, -3)) == ["0", "-3"]
    assert format_number(MAX_VALUE + 1, "cardinalText") == str(MAX_VALUE + 1)
    assert format_number(10**20, "lowerLetter") == str(10**20)
    assert format_number(400, "chicago") == "§" * 100 and format_number(401, "chicago") == "401"
    assert format_number(0, "decimalZero") == "00"


def test_every_format_writes_something_for_every_value_in_range() -> None:
    for fmt in sorted(KNOWN_FORMATS - {"none", "bullet"}):
        for value in (1, 2, 9, 10, 11, 99, 100, 101, 999, 1000, 1001, 9999, 10000, 12345, MAX_VALUE):
            shown = format_number(value, fmt)
            assert shown, (fmt, value)
            assert shown.strip() == shown and "\n" not in shown, (fmt, value)


def test_french_number_words_in_the_traditional_spelling() -> None:
    values = (1, 17, 21, 71, 80, 81, 91, 100, 101, 200, 201, 280, 1000, 2000, 80000)
    assert labels("cardinalText", values, "fr-FR") == [
        "Un", "Dix-sept", "Vingt et un", "Soixante et onze", "Quatre-vingts", "Quatre-vingt-un",
        "Quatre-vingt-onze", "Cent", "Cent un", "Deux cents", "Deux cent un", "Deux cent quatre-vingts",
        "Mille", "Deux mille", "Quatre-vingt mille",
    ]
    assert labels("ordinalText", (1, 2, 5, 9, 21, 80, 200, 1000), "fr-CA") == [
        "Premier", "Deuxième", "Cinquième", "Neuvième", "Vingt et unième", "Quatre-vingtième",
        "Deux centième", "Millième",
    ]
    assert labels("ordinal", (1, 2, 21), "fr-FR") == ["1er", "2e", "21e"]
