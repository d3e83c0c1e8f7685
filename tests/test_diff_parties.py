"""Parties named by name, adjective or possessive, in three languages, and the positions file's parties too."""

from __future__ import annotations

import pytest

from plancmp.compare import CompareOptions, compare
from plancmp.diff import parties_named, party_names
from plancmp.model import Party
from plancmp.parse.from_text import read_text
from plancmp.parse.from_toml import PositionsFile
from tests.test_diff import summaries


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("The Ukrainian Armed Forces will be capped.", "Ukraine's military will be capped."),
        ("Russian forces withdraw.", "Russia's forces withdraw."),
        ("The European signatories agree.", "Europe's signatories agree."),
        ("American guarantees apply.", "The United States' guarantees apply."),
        ("Українські війська відходять.", "Війська України відходять."),
        ("Российские войска отходят.", "Войска России отходят."),
    ],
)
def test_an_adjective_or_a_possessive_names_the_same_party(old: str, new: str) -> None:
    assert summaries(old, new) == []


def test_adjectives_name_their_party() -> None:
    assert parties_named("The Ukrainian Armed Forces and the Russian side") == {"Ukraine", "Russia"}
    assert parties_named("Українські та російські війська, американські гарантії") == {
        "Ukraine", "Russia", "United States"
    }
    assert summaries("Ukrainian forces hold the line.", "Forces hold the line.") == ["party no longer named: Ukraine"]


HUNGARY = Party("HU", "Hungary", "#477050", ())
EUROPE = Party("EU", "Europe (UK, France, Germany)", "#b8860b", ())


def test_the_positions_files_parties_are_recognised_too() -> None:
    names = party_names((HUNGARY, EUROPE))
    assert names.named("Hungary will host the talks.") == {"Hungary"}
    # Its code names it in capitals only; a known party's name in the file adds nothing new.
    assert names.named("HU observers and the EU") == {"Hungary", "Europe"}
    assert names.named("hu observers") == set()
    assert parties_named("Hungary will host the talks.") == set()
    old = read_text("1. Hungary will host the talks.\n2. Other matters.\n", "old.txt")
    new = read_text("1. Austria will host the talks.\n2. Other matters.\n", "new.txt")
    plain = compare(old, new)
    assert [c.summary for c in plain.groups[0].changes] == []
    with_file = compare(old, new, CompareOptions(positions=PositionsFile("p.toml", (HUNGARY, EUROPE), ())))
    assert [c.summary for c in with_file.groups[0].changes] == ["party no longer named: Hungary"]


def test_a_longer_name_is_read_before_the_name_it_starts_with() -> None:
    # "European Commission" is a party of its own in this positions file; "European" alone is Europe.
    names = party_names((Party("EC", "European Commission", "#003399", ()),))
    assert names.named("The European Commission proposes a fund.") == {"European Commission"}
    assert names.named("The European side proposes a fund.") == {"Europe"}


def test_a_file_party_called_by_a_known_name_is_the_known_party() -> None:
    # "The United States" of a positions file is the United States plancmp knows, not a second party.
    names = party_names((Party("USA", "The United States", "#3c3b6e", ()),))
    assert names.named("Ukraine and the United States sign.") == {"Ukraine", "United States"}
    assert names.changes("Ukraine and the United States sign.", "Ukraine signs.") == [
        names.changes("Ukraine and the USA sign.", "Ukraine signs.")[0]
    ]


def test_a_table_of_names_is_read_longest_name_first_with_codes_in_capitals_only() -> None:
    # The table the known parties and a positions file's parties are built into (built here, not
    # at import, so that a broken table shows).
    from plancmp.diff.parties import PartyNames

    names = PartyNames(
        {"United States": ["United States", "US", "Washington"], "United Kingdom": ["United Kingdom", "UK"],
         "Ukraine": ["Ukraine", "Kyiv", ""]},
        capitals_only=["us"],
    )
    assert names.named("The United Kingdom and Kyiv agree.") == {"United Kingdom", "Ukraine"}
    assert names.named("The US guarantees it.") == {"United States"}
    assert names.named("Let us agree.") == set()
    assert names.named("the united states of washington") == {"United States"}
    assert names.by_words[("united", "states")] == "United States"
    assert names.by_words[("us",)] == "United States"
    assert names.vocabulary == frozenset({"united", "states", "us", "washington", "kingdom", "uk", "ukraine", "kyiv"})


def test_one_stem_names_a_party_in_every_case_and_gender() -> None:
    from plancmp.diff.parties import _adjectives

    forms = _adjectives("українськ", "украинск")
    assert forms[:3] == ("український", "українська", "українське") and forms[-2:] == ("украинскую", "украинском")
    assert len(forms) == len(set(forms)) == 27  # 14 Ukrainian endings, 13 Russian
    assert parties_named("Українська армія скорочується.") == {"Ukraine"}
    assert parties_named("Украинскую армию сокращают.") == {"Ukraine"}


def test_the_last_word_read_from_the_end_is_the_last_word_found() -> None:
    import random

    from plancmp.diff.parties import _WORDS, _last_word

    rng = random.Random(1)
    # Letters, digits, underscore, apostrophes, combining marks, other scripts, emoji, spaces.
    alphabet = "ab Z_9 .,'’-\n\tßé\u0301\u00a0١٢日本\U0001F600"
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert _last_word(text) == (_WORDS.findall(text)[-1:] or [""])[0], text
