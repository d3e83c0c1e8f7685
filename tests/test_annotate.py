"""Positions placed, carried, stale, resolved or unplaced — never lost; and point tags."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from plancmp.annotate import Tagger, place_on_document, positions_from_comments, tag_document
from plancmp.compare import CompareOptions, compare
from plancmp.errors import PositionsError, UsageError
from plancmp.model import Comment, Party, Placement, Position, Selector, Stance
from plancmp.parse.from_text import read_text
from plancmp.parse.from_toml import PositionsFile, TopicRule, load_rules

OLD = read_text(
    "1. Sovereignty is confirmed.\n"
    "2. The army is capped at 600,000 personnel.\n"
    "3. A full amnesty is granted to all parties.\n"
    "4. Reconstruction: a development fund will be created. The gas network will be rebuilt.\n"
    "5. Elections are held within 100 days of signing.\n",
    "drafts/old.txt",
)
NEW = read_text(
    "1. Sovereignty is confirmed.\n"
    "2. The army is capped at 800,000 personnel.\n"
    "3. Reconstruction: a development fund will be created.\n"
    "4. The gas network will be rebuilt.\n"
    "5. Elections are held within 100 days of signing.\n",
    "drafts/new.txt",
)
PARTIES = (Party("UA", "Ukraine", "#0057b7", ("Kyiv team",)), Party("RU", "Russia", "#c8102e", ()))


def position(draft: str, point: str | None = None, quote: str | None = None, stance: Stance = Stance.OBJECTS, **sel: str) -> Position:
    return Position("UA", stance, draft, Selector(point=point, exact=quote, **sel), note="n", origin="p.toml:1")


def placements(positions: list[Position]) -> list[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]]:
    comparison = compare(OLD, NEW, CompareOptions(positions=PositionsFile("p.toml", PARTIES, tuple(positions))))
    return [(pp.placement.value, pp.old_points, pp.new_points, pp.changed) for pp in comparison.positions]


def test_carried_stale_resolved_split_and_placed() -> None:
    result = placements([
        position("old", "1"),
        position("old", "2"),
        position("old", "3"),
        position("old", "4"),
        position("new", "5"),
        position("old", quote="within 100 days of signing"),
    ])
    assert result == [
        ("carried", ("1",), ("1",), ()),
        ("stale", ("2",), ("2",), ("600,000 personnel → 800,000 personnel",)),
        ("resolved", ("3",), (), ()),
        ("stale", ("4",), ("3", "4"), ("split into 3 and 4",)),
        ("placed", (), ("5",), ()),
        ("carried", ("5",), ("5",), ()),
    ]


def test_a_stale_note_quotes_the_changed_words_in_context_on_one_line() -> None:
    old = read_text("1. Sovereignty.\n2. Reconstruction: a development fund will be created, and the gas network will be rebuilt.\n", "drafts/old.txt")
    new = read_text("1. Sovereignty.\n2. Reconstruction: a development fund will be created.\n3. The gas network will be rebuilt.\n", "drafts/new.txt")
    comparison = compare(old, new, CompareOptions(positions=PositionsFile("p.toml", PARTIES, (position("old", "2"),))))
    assert [(pp.placement.value, pp.changed) for pp in comparison.positions] == [
        ("stale", ("split into 2 and 3", "will be created, and the gas network will → will be created. The gas network will")),
    ]


def test_every_position_appears_once_whatever_became_of_it() -> None:
    stated = [position("old", "1"), position("other", "9"), position("old", quote="a sentence no draft has ever had")]
    comparison = compare(OLD, NEW, CompareOptions(positions=PositionsFile("p.toml", PARTIES, tuple(stated))))
    assert [pp.position for pp in comparison.positions] == stated
    assert [pp.placement for pp in comparison.positions] == [Placement.CARRIED, Placement.ELSEWHERE, Placement.UNPLACED]
    unplaced = comparison.positions[2]
    assert [pid for pid, _ in unplaced.candidates] and all(0 <= s < 0.75 for _, s in unplaced.candidates)


def test_quotes_exact_disambiguated_fuzzy_and_ambiguous() -> None:
    doc = read_text("1. The parties shall notify the Commission.\n2. The parties shall notify the Council.\n3. A fund is set up for the reconstruction of Ukraine.", "d.txt")
    placed = place_on_document(doc, [
        position("d", quote="The parties shall notify", suffix="the Council"),
        position("d", quote="a fund is set up for the reconstruction of ukraine"),
        position("d", quote="A fund is set up for reconstruction in Ukraine"),
    ])
    assert [(pp.placement, pp.new_points) for pp in placed] == [
        (Placement.PLACED, ("2",)), (Placement.PLACED, ("3",)), (Placement.PLACED, ("3",)),
    ]
    assert placed[2].score == pytest.approx(0.907, abs=0.005)
    with pytest.raises(PositionsError) as info:
        place_on_document(doc, [position("d", quote="The parties shall notify")])
    assert str(info.value) == (
        'p.toml:1: the quote "The parties shall notify" occurs 2 times in d (points 1, 2); '
        "add a prefix or suffix, or name the point"
    )


def test_an_id_missing_from_the_named_draft() -> None:
    with pytest.raises(PositionsError) as info:
        place_on_document(OLD, [position("old", "12")])
    assert str(info.value) == "p.toml:1: point 12 is not in old (its points run 1–5); nearest: 2, 1"


def test_ids_do_not_travel_between_drafts_but_exact_quotes_do() -> None:
    placed = place_on_document(NEW, [position("old", "2"), position("old", quote="development fund")])
    assert [(pp.placement, pp.new_points) for pp in placed] == [(Placement.ELSEWHERE, ()), (Placement.CARRIED, ("3",))]


def test_tags_contested_bracketed_and_topics_in_three_languages() -> None:
    doc = read_text(
        "1. The army of Ukraine is capped at [600,000] personnel.\n"
        "2. Вибори відбудуться якнайшвидше.\n"
        "3. Пленные обмениваются по принципу всех на всех.\n"
        "4. Nothing in particular.\n",
        "t.txt",
    )
    placed = place_on_document(doc, [position("t", "1", stance=Stance.REJECTS), position("t", "4", stance=Stance.SUPPORTS)])
    tagged = tag_document(doc, Tagger.from_rules(load_rules()), placed)
    assert [(p.id, p.tags) for p in tagged.points] == [
        ("1", ("contested", "bracketed", "topic:military size")),
        ("2", ("topic:elections",)),
        ("3", ("topic:prisoners and humanitarian",)),
        ("4", ()),
    ]
    assert doc.bracketed_share == pytest.approx(9 / sum(1 for p in doc.points for ch in p.text if not ch.isspace()))


def test_keyword_stems_match_inflections_only_as_whole_words() -> None:
    tagger = Tagger.from_rules([TopicRule("water", ("canal*", "Dnipro river"))])
    assert tagger.topics("The canals and the Dnipro  river.") == ("water",)
    assert tagger.topics("Acanal of the Dnipro riverside") == ()


def test_hyphenated_and_dotted_keywords_match_as_phrases_not_across_sentences() -> None:
    tagger = Tagger.from_rules([
        TopicRule("prisoners", ("all-for-all",)), TopicRule("cooperation", ("co-operation",)), TopicRule("UN", ("U.N.",)),
    ])
    assert tagger.topics("An all-for-all exchange, with co-operation from the U.N. mission.") == ("prisoners", "cooperation", "UN")
    assert tagger.topics("An all for all exchange; co operation.") == ("prisoners", "cooperation")
    assert tagger.topics("Not at all. For all that, co. Operation u. n.") == ()
    assert Tagger.from_rules(load_rules()).topics("An all-for-all exchange.") == ("prisoners and humanitarian",)


def test_word_comments_become_positions() -> None:
    doc = replace(
        NEW,
        comments=(
            Comment("0", "Kyiv team", "KT", "2025-12-24T10:00:00Z", "Rejects: the cap is too high.", "800,000 personnel", "2"),
            Comment("1", "Somebody", "S", None, "A note.", "gas network", "4"),
        ),
    )
    pf = PositionsFile("p.toml", PARTIES, ())
    positions, warnings = positions_from_comments(doc, pf)
    assert positions == [
        Position("UA", Stance.REJECTS, "new", Selector(exact="800,000 personnel"), "The cap is too high.",
                 "Word comment by Kyiv team", "2025-12-24", "drafts/new.txt comment 0"),
    ]
    assert warnings == ["drafts/new.txt: comment 1 by 'Somebody' speaks for no party; add the author to a party's authors in p.toml"]


def test_two_drafts_with_one_name_cannot_carry_positions(tmp_path: Path) -> None:
    old = read_text("1. One.\n", str(tmp_path / "v1" / "plan.txt"))
    new = read_text("1. One, amended.\n", str(tmp_path / "v2" / "plan.txt"))
    with pytest.raises(UsageError) as info:
        compare(old, new, CompareOptions(positions=PositionsFile("p.toml", PARTIES, (position("plan", "1"),))))
    assert str(info.value) == (
        f"{tmp_path}/v1/plan.txt and {tmp_path}/v2/plan.txt are both called 'plan', which is how a "
        "positions file names drafts; rename one of them to use positions"
    )


def test_positions_on_points_come_once_each_in_the_order_the_file_gives_them() -> None:
    stated = [position("new", "2"), position("old", "4"), position("old", "2"), position("old", "1")]
    comparison = compare(OLD, NEW, CompareOptions(positions=PositionsFile("p.toml", PARTIES, tuple(stated))))
    # Old 4 became new 3 and 4 (a split); old 2 is new 2.
    assert [pp.position for pp in comparison.positions_on(["2", "4"], ["2", "3"])] == stated[:3]
    assert [pp.position for pp in comparison.positions_on([], ["4"])] == [stated[1]]
    assert comparison.positions_on(["5"], ["5"]) == ()
