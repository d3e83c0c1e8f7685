"""Dates read whole and compared as dates: slips reported with the days they move, rewritings not at all."""

from __future__ import annotations

import pytest

from plancmp.diff import substantive_changes, word_edits
from plancmp.model import ChangeKind
from tests.test_diff import summaries


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # The issue's own cases: the year is kept, a year-only change is reported, ISO is a date.
        ("Elections by 1 March 2026.", "Elections by 1 June 2026.",
         ["deadline moved: 1 March 2026 → 1 June 2026 (+92 days)"]),
        ("Elections by 1 March 2026.", "Elections by 1 March 2027.",
         ["deadline moved: 1 March 2026 → 1 March 2027 (+1 year)"]),
        ("Withdrawal before 31 December 2025.", "Withdrawal before 31 March 2026.",
         ["deadline moved: 31 December 2025 → 31 March 2026 (+90 days)"]),
        ("Withdrawal by 2026-03-01.", "Withdrawal by 2026-06-01.",
         ["deadline moved: 2026-03-01 → 2026-06-01 (+92 days)"]),
        ("Withdrawal by 1 June 2026.", "Withdrawal by 1 March 2026.",
         ["deadline moved: 1 June 2026 → 1 March 2026 (−92 days)"]),
        # Month-day-year, parts of a year, quarters, months, years.
        ("Talks end by March 1, 2026.", "Talks end by March 15, 2026.",
         ["deadline moved: March 1, 2026 → March 15, 2026 (+14 days)"]),
        ("Withdrawal by the end of 2026.", "Withdrawal by the end of 2027.",
         ["deadline moved: end of 2026 → end of 2027 (+1 year)"]),
        ("Withdrawal by Q1 2026.", "Withdrawal by Q3 2026.", ["deadline moved: Q1 2026 → Q3 2026 (+2 quarters)"]),
        ("Withdrawal by March 2026.", "Withdrawal by June 2026.", ["deadline moved: March 2026 → June 2026 (+3 months)"]),
        ("Withdrawal by 1 March 2026.", "Withdrawal by the end of 2026.",
         ["deadline moved: 1 March 2026 → end of 2026 (+305 days)"]),
        ("Withdrawal by 1 March 2026.", "Withdrawal by 2027.", ["deadline moved: 1 March 2026 → 2027 (later)"]),
        ("Withdrawal by March 2026.", "Withdrawal by 15 March 2026.",
         ["deadline moved: March 2026 → 15 March 2026 (narrowed)"]),
        # A date that sets no deadline is a date.
        ("Elections in 2026.", "Elections in 2027.", ["date moved: 2026 → 2027 (+1 year)"]),
        ("Signed on 1 March 2026.", "Signed on 5 March 2026.", ["date moved: 1 March 2026 → 5 March 2026 (+4 days)"]),
        ("Signed on 1 March 2026.", "Signed by 1 March 2026.", ["deadline: on 1 March 2026 → by 1 March 2026"]),
        ("Signed on 1 March 2026 in Geneva.", "Signed in Geneva.", ["date removed: 1 March 2026"]),
        ("Withdrawal by 1 March 2026.", "Withdrawal within 90 days.", ["deadline: by 1 March 2026 → within 90 days"]),
        ("Withdrawal by 1 March 2026.", "Withdrawal by 1 March 2026 or within 90 days.",
         ["deadline added: within 90 days"]),
        # Ukrainian and Russian: month names in the genitive, the year word kept.
        ("Вибори до 1 березня 2026 року.", "Вибори до 1 червня 2026 року.",
         ["deadline moved: 1 березня 2026 року → 1 червня 2026 року (+92 days)"]),
        ("Выборы к 1 марта 2026 года.", "Выборы к 1 июня 2026 года.",
         ["deadline moved: 1 марта 2026 года → 1 июня 2026 года (+92 days)"]),
        ("Вибори до кінця 2026 року.", "Вибори до кінця 2027 року.",
         ["deadline moved: кінця 2026 року → кінця 2027 року (+1 year)"]),
        ("Вибори у березні 2026 року.", "Вибори у травні 2026 року.",
         ["date moved: березні 2026 року → травні 2026 року (+2 months)"]),
        ("Выборы до 01.03.2026.", "Выборы до 01.06.2026.", ["deadline moved: 01.03.2026 → 01.06.2026 (+92 days)"]),
    ],
)
def test_dates_are_compared_as_dates(old: str, new: str, expected: list[str]) -> None:
    assert summaries(old, new) == expected


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Withdrawal by 1 March 2026.", "Withdrawal by March 1, 2026."),
        ("Withdrawal by 1 March 2026.", "Withdrawal by 2026-03-01."),
        ("Withdrawal by 1st March 2026.", "Withdrawal no later than 01.03.2026."),
        ("Withdrawal by 31 December 2026.", "Withdrawal by the end of 2026."),
        ("Выборы к 1 марта 2026 года.", "Выборы не позднее 1 марта 2026 г."),
        ("Withdrawal by 1 March 2026.", "Withdrawal by 1 March 2026, as agreed."),
    ],
)
def test_one_date_written_another_way_is_no_change(old: str, new: str) -> None:
    assert summaries(old, new) == []


def test_a_date_is_never_a_number_change() -> None:
    changes = substantive_changes(
        "Troops leave by 2026-03-01 and the 2014 accords lapse.",
        "Troops leave by 2026-06-01 and the 2015 accords lapse.",
        word_edits("Troops leave by 2026-03-01 and the 2014 accords lapse.",
                   "Troops leave by 2026-06-01 and the 2015 accords lapse."),
        {},
    )
    assert [(c.kind, c.summary) for c in changes] == [
        (ChangeKind.DEADLINE, "deadline moved: 2026-03-01 → 2026-06-01 (+92 days)"),
        (ChangeKind.DATE, "date moved: 2014 → 2015 (+1 year)"),
    ]
    # A number that counts something stays a number, even one that looks like a year.
    assert summaries("Each side sends 2026 observers.", "Each side sends 2027 observers.") == [
        "2026 observers → 2027 observers"
    ]
    # "may" the verb and "march" are no months.
    assert summaries("Ukraine may 15 times appeal.", "Ukraine may 16 times appeal.") == ["15 → 16"]


def test_a_day_no_calendar_has_is_still_a_date_compared_as_written() -> None:
    assert summaries("Withdrawal by 31 February 2026.", "Withdrawal by 31 March 2026.") == [
        "deadline moved: 31 February 2026 → 31 March 2026"
    ]
    assert summaries("Withdrawal by 31 February 2026.", "Withdrawal by 31 February 2026, as agreed.") == []


def test_a_date_written_without_its_year() -> None:
    assert summaries("Withdrawal by 1 March.", "Withdrawal by 1 June.") == ["deadline moved: 1 March → 1 June (+92 days)"]
    assert summaries("Withdrawal by March.", "Withdrawal by June.") == ["deadline moved: March → June (+3 months)"]
    assert summaries("Вибори до березня.", "Вибори до червня.") == ["deadline moved: березня → червня (+3 months)"]
    assert summaries("Withdrawal by 1 March.", "Withdrawal by 1 March 2026.") == [
        "deadline: 1 March → 1 March 2026 (year given)"
    ]
    # A month's name alone, after no word that makes it a date, is no date.
    assert summaries("The March talks go on.", "The June talks go on.") == []


@pytest.mark.parametrize(
    ("text", "first", "last", "unit"),
    [
        ("by the end of 2026", "2026-12-31", "2026-12-31", "year"),
        ("at the start of 2026", "2026-01-01", "2026-01-01", "year"),
        ("by mid-2026", "2026-07-01", "2026-07-01", "year"),
        ("by the end of March 2026", "2026-03-31", "2026-03-31", "month"),
        ("by the start of March 2026", "2026-03-01", "2026-03-01", "month"),
        ("by mid-March 2026", "2026-03-15", "2026-03-15", "month"),
        ("in early March 2026", "2026-03-01", "2026-03-31", "month"),
        ("by the end of February 2028", "2028-02-29", "2028-02-29", "month"),
        ("до кінця березня 2026 року", "2026-03-31", "2026-03-31", "month"),
        ("in the second quarter of 2026", "2026-04-01", "2026-06-30", "quarter"),
        ("by the third quarter of 2026", "2026-07-01", "2026-09-30", "quarter"),
        ("by Q4 2026", "2026-10-01", "2026-12-31", "quarter"),
        ("by H1 2026", "2026-01-01", "2026-06-30", "half"),
        ("by H2 2026", "2026-07-01", "2026-12-31", "half"),
        ("by the first half of 2026", "2026-01-01", "2026-06-30", "half"),
        ("in early 2026", "2026-01-01", "2026-04-30", "part"),
        ("in late 2026", "2026-09-01", "2026-12-31", "part"),
        ("by March 2026", "2026-03-01", "2026-03-31", "month"),
        # Without a year, counted in a leap year.
        ("by March", "2000-03-01", "2000-03-31", "month"),
        ("in 2026", "2026-01-01", "2026-12-31", "year"),
        ("by Sept. 1, 2026", "2026-09-01", "2026-09-01", "day"),
        # No calendar has it: a date with no days, compared as written.
        ("by 31 February 2026", "None", "None", "day"),
    ],
)
def test_the_days_a_date_covers(text: str, first: str, last: str, unit: str) -> None:
    from plancmp.diff.dates import find_dates

    ((_, _, date),) = find_dates(text)
    assert (str(date.first), str(date.last), date.unit) == (first, last, unit)


@pytest.mark.parametrize(
    ("old", "new", "shown"),
    [
        # A day at either end of a month lies inside it.
        ("by March 2026", "by 31 March 2026", "deadline moved: March 2026 → 31 March 2026 (narrowed)"),
        ("by March 2026", "by 1 March 2026", "deadline moved: March 2026 → 1 March 2026 (narrowed)"),
        ("by 1 March 2026", "by March 2026", "deadline moved: 1 March 2026 → March 2026 (widened)"),
        ("by 31 March 2026", "by March 2026", "deadline moved: 31 March 2026 → March 2026 (widened)"),
        ("by March 2026", "by Q1 2026", "deadline moved: March 2026 → Q1 2026 (widened)"),
        # Overlapping, neither inside the other: no direction to tell.
        ("by early 2026", "by Q2 2026", "deadline moved: early 2026 → Q2 2026"),
        ("by 1 March 2027", "by 2026", "deadline moved: 1 March 2027 → 2026 (earlier)"),
        ("in early 2026", "in late 2026", "date moved: early 2026 → late 2026 (later)"),
        # The same days, another deadline word.
        ("by March 2026", "before March 2026", "deadline: by March 2026 → before March 2026"),
        ("by 1 March 2026", "before 1 March 2026", "deadline: by 1 March 2026 → before 1 March 2026"),
        # One with a year and one without: no count of days between them.
        ("by 1 March", "by 1 June 2026", "deadline moved: 1 March → 1 June 2026"),
    ],
)
def test_how_far_a_date_moved_in_the_units_it_is_written_in(old: str, new: str, shown: str) -> None:
    assert summaries(f"Withdrawal {old}.", f"Withdrawal {new}.") == [shown]


def _english_texts() -> list[str]:
    """Every case's text above without a Cyrillic letter, the bundled English drafts, and dates
    written the ways the grammar reads, in English."""
    from pathlib import Path

    cases = [t for mark in test_dates_are_compared_as_dates.pytestmark if mark.name == "parametrize"
             for values in mark.args[1] for t in values[:2]]
    drafts = Path(__file__).resolve().parent.parent / "drafts"
    texts = [*cases, *(p.read_text(encoding="utf-8") for p in sorted(drafts.glob("*.txt")))]
    texts += [
        "by 1 March 2026, before March 1, 2026, until 2026-03-01, on 01.03.2026, no later than the end of 2026",
        "in the first quarter of 2026, mid-2026, Q1 2026, H2 2027, March 2026, by March, 2026 troops, 2026%",
        "1st of May 2026; May 5th 2026; not later than Sept. 30, 2026; up to and including 31 Dec 2026",
        # Letters outside the Cyrillic block that look like Cyrillic ones, or fold like Latin ones.
        "\u1c80 2026 \u1c81 1 March 2026; 2026 \u212am; \u017fince 2026; early 2026; late March 2026",
    ]
    return [t for t in texts if not any("\u0400" <= ch <= "\u04ff" for ch in t)]


def test_a_text_without_cyrillic_letters_finds_the_same_dates_with_the_latin_grammar(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import re

    from plancmp.diff import dates
    from plancmp.diff.dates import find_dates

    texts = _english_texts()
    assert len(texts) > 20
    latin = [find_dates(t) for t in texts]
    monkeypatch.setattr(dates, "CYRILLIC", re.compile(""))  # every text read with the whole grammar
    assert [find_dates(t) for t in texts] == latin
    assert sum(len(found) for found in latin) > 40  # dates were found: the comparison says something
    # Both grammars were built: the texts were read once without the Cyrillic words, once with them.
    assert dates._grammar.cache_info().currsize == 2
