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


def test_topics_found_ahead_are_each_text_s_in_order_and_tag_the_points_the_same() -> None:
    from plancmp.annotate import annotate, find_topics

    texts = ["Вибори відбудуться якнайшвидше.", "Nothing in particular.", "The army is capped at 600,000."]
    assert find_topics(texts, load_rules()) == [("elections",), (), ("military size",)]
    old = read_text("1. The army is capped at 600,000.\n2. Nothing in particular.\n", "old.txt")
    new = read_text("1. The army is capped at 800,000.\n2. Вибори відбудуться якнайшвидше.\n", "new.txt")
    comparison = compare(old, new)
    # Topics handed in are used as they are (here, deliberately not the rules' own), not looked for again.
    ahead = {"The army is capped at 800,000.": ("elections",)}
    tagged, _ = annotate(comparison, None, load_rules(), ahead)
    assert [p.tags for p in tagged.new.points] == [("topic:elections",), ("topic:elections",)]
    assert [p.tags for p in tagged.old.points] == [("topic:military size",), ()]


def test_keyword_stems_match_inflections_only_as_whole_words() -> None:
    tagger = Tagger.from_rules([TopicRule("water", ("canal*", "Dnipro river"))])
    assert tagger.topics("The canals and the Dnipro  river.") == ("water",)
    assert tagger.topics("Acanal of the Dnipro riverside") == ()


def test_stems_of_any_length_match_every_word_they_begin_and_only_those() -> None:
    # Stems are looked up by their first letters: a stem shorter than that, one longer, and two
    # that share their first letters are each found alone.
    tagger = Tagger.from_rules([
        TopicRule("short", ("EU*",)), TopicRule("long", ("sanction*",)), TopicRule("same start", ("sanctuar*",)),
    ])
    assert tagger.topics("European sanctions stay.") == ("short", "long")
    assert tagger.topics("A sanctuary; the EU.") == ("short", "same start")
    assert tagger.topics("Neutral sanctity, a sanct.") == ()


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


def test_a_draft_name_near_a_compared_one_is_a_typo_and_a_far_one_a_warning() -> None:
    from plancmp.annotate import check_position_drafts

    stated = (position("old", "1"), position("elsewhere", "2"), position("dra", "1"))
    with pytest.raises(PositionsError) as info:
        check_position_drafts(PositionsFile("p.toml", PARTIES, stated), ["old", "draft"])
    # "dra" is three quarters of "draft" (difflib's ratio 0.75): near enough to be meant for it.
    assert str(info.value) == "p.toml:1: draft 'dra' is none of the drafts read here (old, draft); did you mean 'draft'?"
    assert check_position_drafts(PositionsFile("p.toml", PARTIES, stated[:2]), ["old", "new"]) == (
        "p.toml:1: draft 'elsewhere' is none of the drafts read here (old, new) nor a file beside them; "
        "its position is listed as stated on a draft not read here",
    )
    # A short name one letter from a compared one is a slip too, at a ratio of 0.67; two letters are not.
    for typed in ("olf", "od", "olds"):
        with pytest.raises(PositionsError) as info:
            check_position_drafts(PositionsFile("p.toml", PARTIES, (position(typed, "1"),)), ["old", "new"])
        assert str(info.value) == f"p.toml:1: draft '{typed}' is none of the drafts read here (old, new); did you mean 'old'?"
    assert len(check_position_drafts(PositionsFile("p.toml", PARTIES, (position("ofd", "1"), position("xld", "1"))),
                                     ["olden", "new"])) == 2


MIDDLE = read_text(
    "1. Sovereignty is confirmed.\n"
    "2. The army is capped at 700,000 personnel.\n"
    "3. A full amnesty is granted to all parties.\n"
    "4. Reconstruction: a development fund will be created. The gas network will be rebuilt.\n"
    "5. Elections are held within 100 days of signing.\n",
    "drafts/middle.txt",
)


def _carried(stated: list[Position]) -> list[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]]:
    from plancmp.compare import compare_chain

    chain = compare_chain(
        (OLD, MIDDLE, NEW), ("first", "second", "third"), CompareOptions(positions=PositionsFile("p.toml", PARTIES, tuple(stated)))
    )
    return [(pp.placement.value, pp.old_points, pp.new_points, pp.changed) for pp in chain.positions]


def test_positions_are_carried_through_a_chain_from_the_draft_they_name_by_file_or_label() -> None:
    assert _carried([
        # A draft no chain step has: placed on the last draft by quote, if it can be.
        position("elsewhere", quote="800,000 personnel"),
        position("second", "2"),
        position("middle", "2"),
        position("old", "3"),
        # Stated on the last draft: no old point.
        position("third", "4"),
        position("new", quote="the gas network"),
    ]) == [
        ("carried", (), ("2",), ()),
        ("stale", ("2",), ("2",), ("third: 700,000 personnel → 800,000 personnel",)),
        ("stale", ("2",), ("2",), ("third: 700,000 personnel → 800,000 personnel",)),
        ("resolved", ("3",), (), ("dropped at third",)),
        ("placed", (), ("4",), ()),
        ("placed", (), ("4",), ()),
    ]


def test_a_quote_found_nowhere_in_a_chain_is_unplaced_with_its_closest_points() -> None:
    from plancmp.compare import compare_chain

    stated = (position("second", quote="Ceasefire lines are frozen"), position("second", "1"))
    chain = compare_chain((OLD, MIDDLE, NEW), ("first", "second", "third"),
                          CompareOptions(positions=PositionsFile("p.toml", PARTIES, stated)))
    unplaced, carried = chain.positions
    assert unplaced.position == stated[0]
    assert (unplaced.placement, unplaced.new_points, unplaced.score) == (Placement.UNPLACED, (), 0.431)
    assert unplaced.candidates == (("5", 0.431), ("3", 0.407), ("4", 0.36))
    assert (carried.placement, carried.old_points, carried.new_points) == (Placement.CARRIED, ("1",), ("1",))
    with pytest.raises(PositionsError, match="^p.toml:1: point 9 is not in middle"):
        compare_chain((OLD, MIDDLE, NEW), ("first", "second", "third"),
                      CompareOptions(positions=PositionsFile("p.toml", PARTIES, (position("second", "9"),))))


FUZZY = read_text(
    "1. The parties agree that the contact line is frozen where it runs on the day of signing, and that neither "
    "side advances beyond it.\n"
    "2. Russia will withdraw its forces from the Kharkiv region within thirty days of signing this agreement.\n"
    "3. Elections are held in Ukraine within one hundred days of signing, under international observation.\n"
    "4. Reconstruction of the energy grid proceeds in stages and a long tail of words about funding the grid and "
    "the ports and the railways, and at the very end: sanctions are lifted in stages as Russia complies.\n"
    "5. Fund.\n6. A fund.\n",
    "d.txt",
)


@pytest.mark.parametrize(
    ("quote", "closest"),
    [
        # Reworded: the best window is as long as the quote.
        ("Russia withdraws its forces from Kharkiv within thirty days", [("2", 0.841), ("1", 0.422), ("3", 0.417)]),
        # Two words more than the text has: a window two words shorter.
        ("the contact line is frozen where it runs on the very day of the signing",
         [("1", 0.925), ("4", 0.462), ("2", 0.456)]),
        # At the end of a long point: every window along it is tried.
        ("sanctions are lifted step by step as Russia complies", [("4", 0.822), ("3", 0.393), ("1", 0.364)]),
        # Two words, one of them in three points: a tie, in document order.
        ("fund for", [("3", 0.615), ("5", 0.615), ("6", 0.615)]),
        # Longer than the point: the whole point is the one window.
        ("The parties agree that the contact line is frozen where it runs on the day of signing, and that neither "
         "side advances beyond it, and that monitors observe it and report to the parties.",
         [("1", 0.821), ("3", 0.475), ("2", 0.344)]),
    ],
)
def test_a_quote_that_no_longer_matches_ranks_the_closest_points(quote: str, closest: list[tuple[str, float]]) -> None:
    from plancmp.annotate import _fuzzy

    # What an unplaced position shows as its closest points, and a fuzzy re-anchoring its score.
    assert _fuzzy(FUZZY, quote)[:3] == closest


def test_points_as_close_as_each_other_are_listed_in_document_order() -> None:
    from plancmp.annotate import _fuzzy

    doc = read_text("".join(f"{k}. Point {k} is about the grid.\n" for k in range(1, 12)), "d.txt")
    assert [pid for pid, _ in _fuzzy(doc, "the energy grid")][:4] == ["1", "2", "3", "4"]


def test_a_long_quote_reworded_in_two_places_is_re_anchored_by_every_character() -> None:
    from plancmp.annotate import _fuzzy

    # difflib's autojunk would drop the characters that fill 1 % of a 200-character window
    # (spaces, e, a …) and score this 0.92; plancmp compares every character.
    text = FUZZY.find("4")
    assert text is not None
    quote = text.text.replace("railways", "roads").replace("energy grid", "power grid")
    assert len(quote) >= 200
    assert _fuzzy(FUZZY, quote)[0] == ("4", 0.965)


def test_the_bracketed_share_counts_every_character_that_is_not_white_space() -> None:
    import random

    from plancmp.model import _non_blank

    rng = random.Random(2)
    # ASCII blanks (including the separators \x1c-\x1f), NEL, no-break and ideographic spaces.
    alphabet = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0ab[]é\u2003\u3000x"
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        assert _non_blank(text) == len("".join(text.split())), repr(text)
    doc = read_text("1. Agreed [not agreed] here.\n2. Всё [согласовано]\u00a0.\n", "draft.txt")
    # "[not agreed]" 11 and "[согласовано]" 13 characters not blank, of 22 and 17.
    assert doc.bracketed_share == (11 + 13) / (22 + 17)
