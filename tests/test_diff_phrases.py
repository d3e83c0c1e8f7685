"""The phrase patterns every kind of change is found with: word lists as tries, in three casings."""

from __future__ import annotations

import re

from plancmp.diff.phrases import alternation, cased, starts


def test_a_word_list_becomes_a_trie() -> None:
    # The docstring's example, as the pattern reads.
    assert alternation(["March", "May"]) == "Ma(?:rch|y)"
    assert alternation(["by"]) == "by"
    assert alternation(["no later than", "not later than"]) == r"no(?:[^\S\n]+later[^\S\n]+than|t[^\S\n]+later[^\S\n]+than)"


def test_a_space_in_a_phrase_matches_any_run_of_spaces_on_one_line() -> None:
    pattern = re.compile(alternation(["no later than", "by"]))
    assert pattern.fullmatch("no  later\tthan") and pattern.fullmatch("by")
    assert not pattern.fullmatch("no\nlater than")
    assert not pattern.fullmatch("nolater than")


def test_each_word_is_looked_for_as_written_with_a_capital_and_in_capitals() -> None:
    assert cased(["до", "by"]) == ["до", "До", "ДО", "by", "By", "BY"]
    assert cased(["мая"]) == ["мая", "Мая", "МАЯ"]


def test_a_lookahead_for_the_first_letters() -> None:
    assert starts(["by", "before", "до", ""]) == "(?=[bд])"
    assert starts(["(see"]) == r"(?=[\(])"
