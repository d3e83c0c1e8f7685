"""Inside a point: word edits that rebuild both sides, and the substantive changes called out."""

from __future__ import annotations

import pytest

from plancmp.diff import (
    Renumbering,
    find_references,
    new_side,
    old_side,
    only_references_changed,
    parties_named,
    substantive_changes,
    tokenize,
    word_edits,
)
from plancmp.diff.edits import Hunk, clause_end, hunk_context, quote_clause
from plancmp.model import ChangeKind, Edit, EditOp


def summaries(old: str, new: str, id_map: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    return [c.summary for c in substantive_changes(old, new, word_edits(old, new), id_map or {})]


def test_word_edits_mark_whole_words_and_numbers() -> None:
    edits = word_edits(
        "Ukraine will keep its armed forces at no more than 600,000 personnel.",
        "Ukraine will keep its armed forces at 800,000 personnel in peacetime.",
    )
    assert edits == (
        Edit(EditOp.EQUAL, "Ukraine will keep its armed forces at "),
        Edit(EditOp.DELETE, "no more than 600,000 personnel"),
        Edit(EditOp.INSERT, "800,000 personnel in peacetime"),
        Edit(EditOp.EQUAL, "."),
    )
    # Semantic cleanup folds a lone shared word into the change around it, so the edit reads as
    # one phrase replaced; a small change stays small:
    assert word_edits("The cap is 600,000 troops today.", "The cap is 800,000 troops today.") == (
        Edit(EditOp.EQUAL, "The cap is "),
        Edit(EditOp.DELETE, "600,000"),
        Edit(EditOp.INSERT, "800,000"),
        Edit(EditOp.EQUAL, " troops today."),
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Армія України — 600 000 осіб.", "Армія України — 800 000 військовослужбовців."),
        ("café crème", "cafe\u0301 cre\u0300me brûlée"),
        ("Peace 🕊️ now 👩‍👩‍👧", "Peace 🕊 later 👩‍👩‍👧‍👦"),
        ("السلام عليكم 1", "السلام 2 عليكم"),
        ("", "all new"),
        ("all old", ""),
        ("a\n\nb", "a\nb"),
    ],
)
def test_edits_rebuild_both_sides_exactly(old: str, new: str) -> None:
    edits = word_edits(old, new)
    assert old_side(edits) == old
    assert new_side(edits) == new


def test_tokens_join_back_exactly() -> None:
    text = "Within 100 days, 2.5% of $100bn — «guarantees»\u00a0(see point 4)."
    assert "".join(tokenize(text)) == text
    assert "600,000" in tokenize("at 600,000 personnel")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("The army is capped at 600,000 personnel.", "The army is capped at 800,000 personnel.",
         ["600,000 personnel → 800,000 personnel"]),
        ("Elections will be held within 100 days of signing.", "Elections will be held as soon as possible.",
         ["deadline removed: within 100 days of signing → as soon as possible"]),
        ("Ratification within 60 days.", "Ratification within 90 days.",
         ["deadline extended: within 60 days → within 90 days (+30 days)"]),
        ("Ratification as soon as possible.", "Ratification within 90 days.",
         ["deadline set: as soon as possible → within 90 days"]),
        ("The plant's power is split 50:50.", "The plant's power is split 50/50.", []),
        ("The fund takes $100bn and 50% of the profits.", "The fund takes $100bn.", ["50% removed"]),
        ("The parties shall withdraw.", "The parties may withdraw.", ["obligation weakened: shall → may"]),
        ("Ukraine may join the EU.", "Ukraine will join the EU.", ["obligation strengthened: may → will"]),
        ("Russia will not invade Ukraine.", "Russia will invade Ukraine.",
         ["negation removed: Russia will not invade Ukraine"]),
        ("Neither Russia nor Ukraine will use force.", "Russia and Ukraine will never use force.", []),
        ("Forces of no more than 600,000.", "Forces of 600,000.", []),
        ("Russia, Ukraine and Europe sign a pact.", "Russia and Ukraine sign a pact.",
         ["party no longer named: Europe"]),
        ("A fund for Ukraine.", "A fund for Ukraine with the US and the World Bank.",
         ["party now named: United States", "party now named: World Bank"]),
        ("Армія до 600 000 осіб протягом 30 днів.", "Армія до 800 000 осіб якнайшвидше.",
         ["600 000 осіб → 800 000 осіб", "deadline removed: протягом 30 днів → якнайшвидше"]),
        ("The same words.", "the  same   words.", []),
        ("Guarantees modelled on Article 5 of the North Atlantic Treaty.",
         "Guarantees modelled on Article 5 of the North Atlantic Treaty, renewed.", []),
    ],
)
def test_substantive_changes(old: str, new: str, expected: list[str]) -> None:
    assert summaries(old, new) == expected


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("The parties shall not deploy forces.", 1),
        ("NOT now, and NEVER again.", 2),
        ("Neither Russia nor Ukraine, nor Europe.", 2),
        ("No more than 600,000, and not only troops; no one, no doubt.", 0),
        ("not less  than 30 days, not later than May", 0),
        # A word of its own only: not inside another word, nor joined to one by an apostrophe.
        ("don't, no'body, x'not, not'x, nothing, cannot, _no, no_", 0),
        ("x''not, 'no', (never), nor.", 4),
        # Letters outside ASCII: "ı" and "ſ" are "i" and "s" to a case-blind pattern, as Cyrillic
        # is; such text is read the slow way, so "not earlıer than" still sets a limit.
        ("not earlıer than 2027", 0),
        ("no ſooner than 2027, or not", 1),
        ("Не більше ніж 600 000; ні.", 1),
        ("Without delay — “not” in € terms", 2),
    ],
)
def test_negations_are_counted_by_word(text: str, count: int) -> None:
    from plancmp.diff.modality import _negations

    assert _negations(text) == count


def test_negations_counted_in_lowered_text_are_those_counted_case_blind(monkeypatch: pytest.MonkeyPatch) -> None:
    import random

    from plancmp.diff import modality

    pieces = [
        "not", "No", "NOT", "never", "Neither", "nor", "NOR", "without", "more than", "Less  Than", "only", "one",
        "doubt", "later than", "x", "a'", "'", "’", "no'", "'not", "_", " ", "  ", "\n", "—", "9", "not'", "n", "o",
        "t", "nor.", "not-", "Ukraine", ",",
    ]
    rng = random.Random(8)
    texts = ["".join(rng.choices(pieces, k=rng.randint(1, 14))) for _ in range(20000)]
    fast = [modality._negations(t) for t in texts]
    monkeypatch.setattr(modality, "lowered", lambda text: None)  # every text read case-blind
    assert [modality._negations(t) for t in texts] == fast
    assert sum(fast) > 5000 and fast.count(0) > 1000


def test_text_is_lowered_only_where_lowering_it_keeps_every_case_blind_match() -> None:
    from plancmp.diff.phrases import lowered

    assert lowered("Within 100 DAYS — “as soon as possible”, €5") == "within 100 days — “as soon as possible”, €5"
    refused = ("earlıer", "ſooner", "\u212aILO", "İstanbul", "Україна", "Σ", "— «Україна»", "€ 5 — ıt")
    assert [lowered(t) for t in refused] == [None] * len(refused)


def test_case_sensitive_twins_find_in_lowered_text_just_what_their_patterns_find() -> None:
    import random
    from pathlib import Path

    from plancmp.diff.phrases import find_phrases, lowered
    from plancmp.diff.quantities import DEADLINE, DEADLINE_LOWERED
    from plancmp.diff.references import _NAMED_NUMBER, _NAMED_NUMBER_LOWERED, _REFERENCE, _may_refer

    drafts = Path(__file__).resolve().parent.parent / "drafts"
    words = " ".join(p.read_text(encoding="utf-8") for p in sorted(drafts.glob("*.txt"))).split()
    words += "Within WITHIN within 100 DAYS days, Article ARTICLE 5 § 3 No Later Than as soon as POSSIBLE".split()
    rng = random.Random(5)

    def any_case(phrase: str) -> str:
        return "".join(ch.upper() if rng.random() < 0.3 else ch for ch in phrase)

    # Every word the patterns start with, in any case: a twin that lost one fails.
    limits = [
        f"{word} {number} {unit}"
        for word in ("within", "in", "after", "before", "no later than", "not later than", "by", "up to", "during", "for")
        for number in ("30", "the 2", "thirty", "twenty-one", "a", "an")
        for unit in ("day", "days", "week", "weeks", "month", "months", "year", "years", "hour", "hours")
    ]
    limits += [f"within 90 days {word} the elections" for word in ("after", "of", "from", "following")]
    limits += [
        "as soon as possible", "as soon as practicable", "immediately", "without delay", "forthwith",
        "in due course", "upon signing", "on signing", "at signing", "upon signature", "on the signing date",
        "on the signature date",
    ]
    named = [
        f"{word}{space}{number}"
        for word in (
            "article", "articles", "section", "sections", "point", "points", "paragraph", "paragraphs", "chapter",
            "chapters", "part", "parts", "clause", "clauses", "resolution", "resolutions", "protocol", "protocols",
            "annex", "annexes", "§",
        )
        for space in ("", " ", "  ", "\n")
        for number in ("5", "4.2", "1 to 26", "2 and 3")
    ]
    words += [any_case(phrase) for phrase in limits + named for _ in range(3)]
    checked = found = references = skipped = 0
    for _ in range(3000):
        text = rng.choice([" ", "  ", "\n", "-"]).join(rng.choices(words, k=rng.randint(1, 30)))
        low = lowered(text)
        if low is None:
            continue
        checked += 1
        for pattern, twin in ((DEADLINE, DEADLINE_LOWERED), (_NAMED_NUMBER, _NAMED_NUMBER_LOWERED)):
            assert [m.span() for m in twin.finditer(low)] == [m.span() for m in pattern.finditer(text)], text
        fast = find_phrases(DEADLINE, text, fast=(DEADLINE_LOWERED, low))
        assert [m.group(0) for m in fast] == [m.group(0) for m in find_phrases(DEADLINE, text)]
        found += len(fast)
        # A text the hint passes over holds no reference.
        referring = any(_REFERENCE.finditer(text))
        assert _may_refer(text) or not referring, text
        references += referring
        skipped += not _may_refer(text)
    assert checked > 2000 and found > 1000 and references > 300 and skipped > 300
    # The phrase is read from the text as written, not from its lowered copy.
    text = "Elections WITHIN 100 Days of signing."
    (limit,) = find_phrases(DEADLINE, text, fast=(DEADLINE_LOWERED, lowered(text)))
    assert limit.group(0) == "WITHIN 100 Days of signing"


def test_each_change_carries_old_and_new_wording() -> None:
    (change,) = substantive_changes("Army of 600,000.", "Army of 800,000.", word_edits("Army of 600,000.", "Army of 800,000."), {})
    assert (change.kind, change.old, change.new, change.substantive) == (ChangeKind.NUMBER, "600,000", "800,000", True)


def test_us_the_pronoun_is_not_the_united_states() -> None:
    assert parties_named("Let us agree; the US and NATO agree.") == {"United States", "NATO"}
    assert parties_named("let us go") == set()


def test_references_are_found_and_other_treaties_are_not() -> None:
    refs = find_references("as set out in point 4, paragraphs 2 and 3, points 1 to 26 and Article 5 of the North Atlantic Treaty")
    assert [(r.text, r.targets) for r in refs] == [
        ("point 4", ("4",)),
        ("paragraphs 2 and 3", ("2", "3")),
        ("points 1 to 26", ("1", "26")),
    ]
    assert [r.targets for r in find_references("згідно з пунктом 12 та пунктами 3 і 4")] == [("12",), ("3", "4")]


def test_a_reference_that_follows_its_renumbered_target_is_not_substantive() -> None:
    id_map = {"5": ("3",), "21": ("14",)}
    old = "The US will back the guarantees in point 5."
    new = "The US will back the guarantees in point 3."
    (change,) = substantive_changes(old, new, word_edits(old, new), id_map)
    assert change.kind is ChangeKind.REFERENCE and not change.substantive
    assert change.summary == "reference follows renumbering: point 5 → point 3 (5 is now 3)"
    assert only_references_changed(old, new, id_map)
    assert not only_references_changed(old, "The US will back the guarantees in point 4.", id_map)
    assert summaries(old, "The US will back the guarantees in point 4.", id_map) == [
        "reference changed: point 5 → point 4"
    ]


def test_brackets_put_lifted_and_dropped() -> None:
    assert summaries("The plant is run jointly.", "The plant is run [jointly] or [by a venture].") == [
        "put in brackets: [jointly]",
        "put in brackets: [by a venture]",
    ]
    assert summaries("Talks start [from the line of contact].", "Talks start from the line of contact.") == [
        "agreed (brackets removed): from the line of contact"
    ]
    assert summaries("Run [jointly] or [by a venture].", "Run jointly.") == [
        "agreed (brackets removed): jointly",
        "bracketed text removed: [by a venture]",
    ]


def test_the_c_build_and_the_python_library_give_the_same_edits() -> None:
    fast = pytest.importorskip("fast_diff_match_patch")
    import random

    from diff_match_patch import diff_match_patch

    from plancmp.diff import _encode

    rng = random.Random(11)
    vocabulary = [f"w{i}" for i in range(120)] + ["600,000", "800 000", "Україна", "—", "(a)"]
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    for _ in range(200):
        a = rng.choices(vocabulary, k=rng.randint(0, 120))
        b = list(a)
        for _ in range(rng.randint(0, 30)):
            if b and rng.random() < 0.5:
                del b[rng.randrange(len(b))]
            else:
                b.insert(rng.randrange(len(b) + 1), rng.choice(vocabulary))
        table: dict[str, str] = {}
        ea, eb = _encode(tokenize(" ".join(a)), table), _encode(tokenize(" ".join(b)), table)
        slow = dmp.diff_main(ea, eb, False)
        dmp.diff_cleanupSemantic(slow)
        quick = fast.diff(ea, eb, timelimit=0, checklines=False, cleanup="Semantic")
        assert [({0: "=", 1: "+", -1: "-"}[op], len(text)) for op, text in slow] == list(quick)


def test_word_edits_are_the_same_from_the_python_library(monkeypatch: pytest.MonkeyPatch) -> None:
    import random
    import sys

    from plancmp.diff import word_edits
    from plancmp.diff.edits import new_side, old_side

    rng = random.Random(12)
    vocabulary = [f"w{i}" for i in range(60)] + ["600,000", "Україна", "—", "(a)", ".", "\n"]
    pairs = []
    for _ in range(150):
        a = rng.choices(vocabulary, k=rng.randint(0, 80))
        b = [w for w in a if rng.random() > 0.2] + rng.choices(vocabulary, k=rng.randint(0, 10))
        pairs.append((" ".join(a), " ".join(rng.sample(b, len(b)) if rng.random() < 0.3 else b)))
    quick = [word_edits(a, b) for a, b in pairs]
    monkeypatch.setitem(sys.modules, "fast_diff_match_patch", None)  # as if the C build were not installed
    slow = [word_edits(a, b) for a, b in pairs]
    assert slow == quick
    assert all(old_side(e) == a and new_side(e) == b for e, (a, b) in zip(slow, pairs, strict=True))
    assert sum(len(e) for e in slow) > 1000


def test_the_same_change_twice_is_listed_once_with_a_count() -> None:
    assert summaries("Russia puts $100bn in and Europe adds $100bn.", "Russia and Europe invest.") == [
        "$100bn removed (×2)",
    ]


def test_a_reference_left_behind_by_renumbering_is_flagged() -> None:
    id_map = {"1": ("1",), "2": ("2",), "3": ("3",), "4": ("4",), "5": (), "6": ("5",), "7": ("6",)}
    text = "The Commission reports under point 6, and as set out in points 1 to 4."
    assert summaries(text, text + " ", id_map) == ["reference not updated: point 6 (point 6 is now 5)"]
    assert summaries("See point 5.", "See point 5 again.", id_map) == ["reference not updated: point 5 (point 5 was dropped)"]


def changes_of(old: str, new: str, id_map: dict[str, tuple[str, ...]], new_ids: set[str]) -> list[tuple[str, bool]]:
    renumbering = Renumbering(id_map, new_ids)
    return [(c.summary, c.substantive) for c in substantive_changes(old, new, word_edits(old, new), renumbering)]


SHIFTED = {str(k): (str(k + 1),) for k in range(1, 14)}
"""A new point 1 put in front of 13 points."""
SHIFTED_NEW = {str(k) for k in range(1, 15)}
RENUMBERED = Renumbering(SHIFTED, SHIFTED_NEW)


def test_references_are_read_as_single_ids_and_ranges() -> None:
    (ref,) = find_references("as set out in points 2 to 6 and 9")
    assert (ref.targets, ref.items, ref.has_range) == (("2", "6", "9"), (("2", "6"), ("9",)), True)
    assert [r.items for r in find_references("points 2-6, 12 a) to 12 c) and paragraphs 3 and 4")] == [
        (("2", "6"), ("12.a", "12.c")),
        (("3",), ("4",)),
    ]
    assert [r.items for r in find_references("згідно з пунктами 3 до 5")] == [(("3", "5"),)]


def test_a_range_left_as_it_was_is_flagged_by_the_points_it_takes_in() -> None:
    text = "Sanctions are reviewed as set out in points 2 to 9."
    assert changes_of(text, text, SHIFTED, SHIFTED_NEW) == [
        ("reference not updated: points 2 to 9 (point 2 is now 3; point 9 is now 10)", True)
    ]
    # Old point 9 dropped too: the range ends on a point that went.
    dropped = {**SHIFTED, "9": (), **{str(k): (str(k),) for k in range(10, 14)}}
    assert changes_of(text, text, dropped, SHIFTED_NEW - {"14"}) == [
        (("reference not updated: points 2 to 9 (point 2 is now 3; point 9 was dropped; "
         "the points it named are now 3 to 9)"), True)
    ]
    # Every point it named was dropped.
    gone = {"1": ("1",), "2": (), "3": (), "4": ("2",)}
    assert changes_of("See points 2 to 3.", "See points 2 to 3.", gone, {"1", "2"}) == [
        (("reference not updated: points 2 to 3 (point 2 was dropped; point 3 was dropped; "
         "none of the points it named is left)"), True)
    ]


def test_a_range_ending_on_a_point_the_new_draft_no_longer_has_is_flagged() -> None:
    # Point 5 of 13 dropped: "points 1 to 13" takes in the same points, but the draft has no 13.
    id_map = {**{str(k): (str(k),) for k in range(1, 5)}, "5": (), **{str(k): (str(k - 1),) for k in range(6, 14)}}
    text = "This agreement covers points 1 to 13."
    assert changes_of(text, text, id_map, {str(k) for k in range(1, 13)}) == [
        ("reference not updated: points 1 to 13 (point 13 is now 12)", True)
    ]
    # A range that named no point of the old draft either says nothing about the renumbering.
    assert changes_of("See points 20 to 30.", "See points 20 to 30.", id_map, {str(k) for k in range(1, 13)}) == []


def test_a_range_that_follows_the_renumbering_is_no_change_of_substance() -> None:
    old, new = "As set out in points 2 to 9.", "As set out in points 3 to 10."
    assert changes_of(old, new, SHIFTED, SHIFTED_NEW) == [
        ("reference follows renumbering: points 2 to 9 → points 3 to 10 (2 is now 3, 9 is now 10)", False)
    ]
    assert only_references_changed(old, new, RENUMBERED)
    assert not only_references_changed(old, "As set out in points 3 to 11.", RENUMBERED)
    assert changes_of(old, "As set out in points 3 to 11.", SHIFTED, SHIFTED_NEW) == [
        ("reference changed: points 2 to 9 → points 3 to 11", True)
    ]
    # Left as it was, the range is wrong; the rest of the text the same is no reason to call it unchanged.
    assert not only_references_changed(old, "As set out in points 2 to 9!", RENUMBERED)


def test_a_range_takes_in_the_sub_points_of_the_points_it_names() -> None:
    # Sub-point 3.2 promoted to point 4 (old 4 and 5 now 5 and 6): "points 1 to 5" → "points 1 to 6" follows.
    id_map = {"1": ("1",), "2": ("2",), "3": ("3",), "3.1": ("3.1",), "3.2": ("4",), "4": ("5",), "5": ("6",)}
    new_ids = {"1", "2", "3", "3.1", "4", "5", "6"}
    assert changes_of("See points 1 to 5.", "See points 1 to 6.", id_map, new_ids) == [
        ("reference follows renumbering: points 1 to 5 → points 1 to 6 (5 is now 6)", False)
    ]
    assert changes_of("See points 1 to 3.", "See points 1 to 3.", id_map, new_ids) == [
        ("reference not updated: points 1 to 3 (the points it named are now 1 to 4)", True)
    ]


def test_a_reference_left_behind_twice_in_an_unchanged_point_is_listed_once_with_the_new_wording() -> None:
    id_map = {"5": (), "6": ("5",)}
    old = "Under Point 6 the Commission reports; as Point 6 provides, it meets monthly."
    new = "Under point 6 the Commission reports; as point 6 provides, it meets monthly."
    changes = substantive_changes(old, new, word_edits(old, new), id_map)
    assert [(c.old, c.new, c.summary) for c in changes] == [
        ("Point 6", "point 6", "reference not updated: Point 6 (point 6 is now 5) (×2)"),
    ]


def test_a_party_named_or_unnamed_by_a_change_beside_its_name_is_still_reported() -> None:
    # No word of "United States" changes, but removing "Arab" between them names the party.
    assert summaries("The United Arab States will monitor.", "The United States will monitor.") == [
        "party now named: United States",
    ]
    assert summaries("The North Atlantic council meets.", "The North Sea Atlantic council meets.") == [
        "party no longer named: NATO",
    ]
    # A change away from any name leaves the parties named as they were.
    assert summaries("Russia and Ukraine will monitor the line.", "Russia and Ukraine will monitor the whole line.") == []


def test_a_span_of_time_that_is_no_deadline_keeps_its_unit() -> None:
    assert summaries("Every ambiguity of the past 30 years is resolved.", "Every ambiguity is resolved.") == ["30 years removed"]
    # "Через" sets a wait, not a time by which: longer, but not "extended".
    assert summaries("Вибори через 100 днів.", "Вибори через 200 днів.") == [
        "deadline: через 100 днів → через 200 днів (+100 days)"
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("Withdrawal within 60 days of signing.", "Withdrawal within 45 days of signing.",
         "deadline shortened: within 60 days of signing → within 45 days of signing (−15 days)"),
        ("Review within a year.", "Review within two years.", "deadline extended: within a year → within two years (+1 year)"),
        ("Talks within a month.", "Talks as soon as possible.", "deadline removed: within a month → as soon as possible"),
        # Not the same limit lengthened: another event it counts from, another unit.
        ("Release within 30 days of signing.", "Release within 60 days of ratification.",
         "deadline: within 30 days of signing → within 60 days of ratification"),
        ("Talks within 3 months.", "Talks within 90 days.", "deadline: within 3 months → within 90 days"),
        ("Review within 2.5 years.", "Review within 3 years.", "deadline extended: within 2.5 years → within 3 years (+0.5 years)"),
        # Units one is a whole number of: weeks in days, years in months.
        ("Pay within 6 months.", "Pay within 1 year.", "deadline extended: within 6 months → within 1 year (+6 months)"),
        ("Pay within 2 weeks.", "Pay within 10 days.", "deadline shortened: within 2 weeks → within 10 days (−4 days)"),
        # A term or a wait, not a time by which: longer or shorter, but not "extended".
        ("The ceasefire lasts for 30 days.", "The ceasefire lasts for 60 days.", "deadline: for 30 days → for 60 days (+30 days)"),
        ("Claims are filed after 30 days.", "Claims are filed after 60 days.", "deadline: after 30 days → after 60 days (+30 days)"),
        ("Виведення протягом 30 днів.", "Виведення протягом 10 днів.",
         "deadline shortened: протягом 30 днів → протягом 10 днів (−20 days)"),
    ],
)
def test_a_time_limit_lengthened_or_shortened_says_by_how_much(old: str, new: str, expected: str) -> None:
    assert summaries(old, new) == [expected]


def test_a_time_limit_counted_from_more_events_is_a_changed_limit() -> None:
    assert summaries(
        "Russia shall pay within 100 days of signature.",
        "Russia shall pay within 100 days of signature or ratification, whichever is later.",
    ) == ["deadline: within 100 days of signature → within 100 days of signature or ratification, whichever is later"]
    assert summaries("Pay within 30 days of signing and ratification.", "Pay within 30 days of signing.") == [
        "deadline: within 30 days of signing and ratification → within 30 days of signing"
    ]
    # "or" that starts another clause joins no event, nor does a verb: the limit stays "of signing".
    assert summaries("Pay within 30 days of signing or the deal lapses.", "Pay within 40 days of signing or the deal lapses.") == [
        "deadline extended: within 30 days of signing → within 40 days of signing (+10 days)"
    ]
    assert summaries("Russia shall pay within 30 days of signing and withdraw.", "Russia shall pay within 30 days of signing and leave.") == []
    # Events of several words, where the limit says which counts, however it is punctuated.
    for new in ("signature or entry into force, whichever is later", "signature or ratification whichever is later",
                "signature or ratification (whichever is later)", "signature or its ratification by parliament, whichever is later"):
        assert summaries("Pay within 30 days of signature.", f"Pay within 30 days of {new}.") == [
            f"deadline: within 30 days of signature → within 30 days of {new}"
        ]
    # In Ukrainian and Russian, the day or moment it is counted from.
    assert summaries("Вивести протягом 100 днів з дня підписання.", "Вивести протягом 120 днів з дня ратифікації.") == [
        "deadline: протягом 100 днів з дня підписання → протягом 120 днів з дня ратифікації"
    ]
    assert summaries("Вывести в течение 30 дней с момента подписания.", "Вывести в течение 60 дней с момента подписания.") == [
        "deadline extended: в течение 30 дней с момента подписания → в течение 60 дней с момента подписания (+30 days)"
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # Numbers spelled out in Ukrainian and Russian, as English ones are.
        ("Вивести протягом двох років.", "Вивести протягом трьох років.",
         ["deadline extended: протягом двох років → протягом трьох років (+1 year)"]),
        ("Вывести в течение двух лет.", "Вывести в течение трёх лет.",
         ["deadline extended: в течение двух лет → в течение трёх лет (+1 year)"]),
        ("Отвести на пятнадцать километров.", "Отвести на тридцать километров.",
         ["пятнадцать километров → тридцать километров"]),
        ("Відвести на п’ятнадцять кілометрів.", "Відвести на двадцять п'ять кілометрів.",
         ["п’ятнадцять кілометрів → двадцять п'ять кілометрів"]),
        # Read whole, capitalised or not: not "п'ять" of "двадцять п'ять", nor "п'ятдесят" of "сто п'ятдесят".
        ("Двадцять п'ять кілометрів від лінії.", "25 кілометрів від лінії.", []),
        ("Двадцать пять километров.", "25 километров.", []),
        ("Сто п'ятдесят кілометрів.", "150 кілометрів.", []),
        ("Протягом дев'яноста днів.", "Протягом 90 днів.", []),
        # The apostrophe as typed on a Ukrainian keyboard (ʼ) or a typewriter (') is one.
        ("Відвести на пʼятнадцять кілометрів.", "Відвести на 15 кілометрів.", []),
        # Written in figures, the same limit; a number word without a unit counts nothing.
        ("Оплата протягом тридцяти днів.", "Оплата протягом 30 днів.", []),
        ("Сім сімей повертаються.", "Вісім сімей повертаються.", []),
    ],
)
def test_a_number_spelled_out_in_ukrainian_or_russian_is_read(old: str, new: str, expected: list[str]) -> None:
    assert summaries(old, new) == expected


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # Within a span with no number: one of it.
        ("Оплата протягом 30 днів.", "Оплата протягом року.", "deadline: протягом 30 днів → протягом року"),
        ("Вывести в течение года.", "Вывести в течение 6 месяцев.",
         "deadline shortened: в течение года → в течение 6 месяцев (−6 months)"),
        ("Вивести впродовж тижня.", "Вивести впродовж 10 днів.", "deadline extended: впродовж тижня → впродовж 10 днів (+3 days)"),
        ("Вивести протягом місяця.", "Вивести якнайшвидше.", "deadline removed: протягом місяця → якнайшвидше"),
        ("Оплата протягом доби.", "Оплата протягом тижня.", "deadline extended: протягом доби → протягом тижня (+6 days)"),
        ("Вывести в течение суток.", "Вывести в течение 3 дней.", "deadline extended: в течение суток → в течение 3 дней (+2 days)"),
    ],
)
def test_a_cyrillic_time_limit_without_a_number_is_one_span(old: str, new: str, expected: str) -> None:
    assert summaries(old, new) == [expected]


def test_a_cyrillic_span_in_the_plural_without_a_number_is_no_time_limit() -> None:
    assert summaries("Оплата протягом років.", "Оплата протягом місяців.") == []


def test_numbers_spelled_with_hundreds_and_thousands_are_read_whole() -> None:
    # Not "twenty days" of "one hundred and twenty days": read whole, compared by value.
    assert summaries("Pay within ninety days.", "Pay within one hundred and twenty days.") == [
        "deadline extended: within ninety days → within one hundred and twenty days (+30 days)"
    ]
    assert summaries("Pay within ninety days.", "Pay within a hundred days.") == [
        "deadline extended: within ninety days → within a hundred days (+10 days)"
    ]
    assert summaries("An army of six hundred thousand troops.", "An army of eight hundred thousand troops.") == [
        "six hundred thousand troops → eight hundred thousand troops"
    ]
    assert summaries("A fund of two billion dollars.", "A fund of three billion dollars.") == [
        "two billion dollars → three billion dollars"
    ]
    # The same amount in figures or in words is no change.
    assert summaries("An army of 600,000 troops.", "An army of six hundred thousand troops.") == []
    assert summaries("A fund of $2bn.", "A fund of two billion dollars.") == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # Halves, a fortnight: spans as the others are.
        ("Pay within six months.", "Pay within half a year.", []),
        ("Pay within one year.", "Pay within half a year.", ["deadline shortened: within one year → within half a year (−0.5 years)"]),
        ("Pay within a year and a half.", "Pay within two years.",
         ["deadline extended: within a year and a half → within two years (+0.5 years)"]),
        ("Pay within one year.", "Pay within one and a half years.",
         ["deadline extended: within one year → within one and a half years (+0.5 years)"]),
        ("Pay within 2 weeks.", "Pay within a fortnight.", []),
        ("Pay within a fortnight.", "Pay within 30 days.", ["deadline extended: within a fortnight → within 30 days (+16 days)"]),
        ("Оплата протягом шести місяців.", "Оплата протягом півроку.", []),
        ("Оплата в течение полугода.", "Оплата в течение года.", ["deadline extended: в течение полугода → в течение года (+6 months)"]),
        ("Оплата впродовж року.", "Оплата впродовж півтора року.",
         ["deadline extended: впродовж року → впродовж півтора року (+0.5 years)"]),
        # The same limit without a span, in other words; "practicable" is not "possible".
        ("Pay immediately.", "Pay at once.", []),
        ("Pay as soon as practicable.", "Pay as soon as possible.", ["deadline: as soon as practicable → as soon as possible"]),
    ],
)
def test_halves_and_fortnights_are_spans_too(old: str, new: str, expected: list[str]) -> None:
    assert summaries(old, new) == expected


def test_a_time_limit_written_another_way_is_the_same() -> None:
    assert summaries("Review within 2.5 years.", "Review within 2.50 years.") == []
    assert summaries("Review within thirty days.", "Review within 30 days.") == []
    assert summaries("Pay within 14 days.", "Pay within 2 weeks.") == []
    assert summaries("Pay within 1.5 years.", "Pay within 18 months.") == []


def test_more_obligation_words_and_names_with_digits() -> None:
    assert summaries("Сторони зобов'язані відвести війська.", "Сторони можуть відвести війська.") == [
        "obligation weakened: зобов'язані → можуть"
    ]
    assert summaries("Стороны обязаны отвести войска.", "Стороны могут отвести войска.") == [
        "obligation weakened: обязаны → могут"
    ]
    assert summaries("Russia rejoins the G8 next year.", "Russia rejoins the G7 next year.") == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # The plain present of a treaty binds: "may" put before its verb leaves it open.
        ("The Parties withdraw their forces.", "The Parties may withdraw their forces.",
         ["obligation weakened: withdraw → may withdraw"]),
        ("The Parties may withdraw their forces.", "The Parties withdraw their forces.",
         ["obligation strengthened: may withdraw → withdraw"]),
        ("Сторони відводять війська.", "Сторони можуть відвести війська.", ["obligation weakened: відводять → можуть відвести"]),
        # The verb named, past an auxiliary or an adverb.
        ("Sanctions are lifted.", "Sanctions may be lifted.", ["obligation weakened: are lifted → may be lifted"]),
        ("The Parties may jointly withdraw.", "The Parties jointly withdraw.",
         ["obligation strengthened: may jointly withdraw → jointly withdraw"]),
        ("The Parties may also withdraw.", "The Parties also withdraw.", ["obligation strengthened: may also withdraw → also withdraw"]),
        ("Talks begin.", "Talks may begin.", ["obligation weakened: begin → may begin"]),
        # No verb to name, after the modal: none of it either.
        ("Talks may.", "Talks.", []),
        # "May" the month, and a modal in a clause of its own, are none of it.
        ("Elections in 2026.", "Elections in May 2026.", ["date moved: 2026 → May 2026 (narrowed)"]),
        ("The commission meets weekly.", "The commission, which may convene, meets weekly.", []),
    ],
)
def test_a_weak_modal_put_before_a_plain_verb_weakens_it(old: str, new: str, expected: list[str]) -> None:
    assert summaries(old, new) == expected


def test_a_hedged_modal_is_no_stronger_obligation() -> None:
    # "may" → "will seek to": the new text has "will", but what it binds Ukraine to is seeking,
    # which is weaker than joining. Only a change to a strong modal with no weak one beside it
    # is reported as strengthened.
    assert summaries(
        "Ukraine may join the alliance once the war ends.", "Ukraine will seek to join the alliance once the war ends."
    ) == []
    assert summaries("Ukraine may join the alliance.", "Ukraine will join the alliance.") == [
        "obligation strengthened: may → will"
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # A noun is no obligation: these lost a word, not a duty.
        ("Security guarantees cover the whole territory.", "Security arrangements may cover the whole territory.", []),
        ("The aim is a lasting peace.", "The parties shall keep a lasting peace.", []),
        ("The required majority is two thirds.", "A majority may be two thirds.", []),
        # The verbs of obligation still count.
        ("Russia undertakes to withdraw its forces.", "Russia may withdraw its forces.",
         ["obligation weakened: undertakes → may"]),
    ],
)
def test_obligation_words_are_verbs_of_obligation_only(old: str, new: str, expected: list[str]) -> None:
    assert summaries(old, new) == expected


def test_ranges_of_ids_are_expanded_among_siblings_and_said_short() -> None:
    from plancmp.diff.ranges import IdSet, describe_ids, expand_range

    assert expand_range("2", "5") == ("2", "3", "4", "5")
    assert expand_range("3.1", "3.3") == ("3.1", "3.2", "3.3")
    assert expand_range("12.a", "12.c") == ("12.a", "12.b", "12.c")
    # Ends that are no siblings, a range written backwards, or one too long: taken by their ends.
    assert [expand_range("3.1", "4.2"), expand_range("9", "2"), expand_range("1", "99999")] == [None, None, None]
    assert IdSet(["1", "2", "3", "3.1", "3.a.i", "4", "23"]).covered({"2", "3"}) == {"2", "3", "3.1", "3.a.i"}
    assert describe_ids(["1", "2", "3", "4", "5", "6", "7", "8", "9", "11", "12", "13", "14"]) == "1 to 9 and 11 to 14"
    assert [describe_ids(["5", "1", "3"]), describe_ids(["1", "2"]), describe_ids(["9", "9.c", "8"])] == [
        "1, 3 and 5", "1 and 2", "8 and 9",
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("Foreign troops shall be stationed on the territory of Ukraine, as agreed.",
         "Foreign troops shall not be stationed on the territory of Ukraine, as agreed.",
         "negation added: Foreign troops shall not be stationed on the territory of Ukraine"),
        # A dot inside a number ends nothing; an aside in brackets is part of the clause.
        ("Troops will be kept at 2.5 km (see the annex) from the line.",
         "Troops will not be kept at 2.5 km (see the annex) from the line.",
         "negation added: Troops will not be kept at 2.5 km (see the annex) from the …"),
        # A line break ends it: the next item of a list is not the clause; so does a dash.
        ("Troops shall be stationed in Ukraine\nb) observers may stay.",
         "Troops shall not be stationed in Ukraine\nb) observers may stay.",
         "negation added: Troops shall not be stationed in Ukraine"),
        ("Troops shall be stationed in Ukraine—except observers.", "Troops shall not be stationed in Ukraine—except observers.",
         "negation added: Troops shall not be stationed in Ukraine"),
        # The clause as it reads on that side, later changes in it too.
        ("Russia shall be consulted on the plan.", "Russia shall not be consulted on the new plan.",
         "negation added: Russia shall not be consulted on the new plan"),
        ("Україна має право вступити до НАТО.", "Україна не має права вступити до НАТО.",
         "negation added: Україна не має права вступити до НАТО"),
        ("Russia shall (subject to Article 4) withdraw.", "Russia shall not (subject to Article 4) withdraw.",
         "negation added: Russia shall not (subject to Article 4) withdraw"),
        # Initials end no clause, before the change or after it; a clause that opens a list runs
        # on into its first item.
        ("The U.S. shall monitor the line.", "The U.S. shall not monitor the line.",
         "negation added: The U.S. shall not monitor the line"),
        ("Troops shall enter the U.S. zone.", "Troops shall not enter the U.S. zone.",
         "negation added: Troops shall not enter the U.S. zone"),
        # Nor do abbreviations: the words before are taken up to three, the cut marked.
        ("Resolution No. 5 shall apply if the Parties agree.", "Resolution No. 5 shall not apply if the Parties agree.",
         "negation added: … No. 5 shall not apply if the Parties agree"),
        ("Відповідно до ст. 5 Договору Сторони розміщують війська.", "Відповідно до ст. 5 Договору Сторони не розміщують війська.",
         "negation added: … 5 Договору Сторони не розміщують війська"),
        ("Згідно з п. 5 Сторони розміщують війська.", "Згідно з п. 5 Сторони не розміщують війська.",
         "negation added: … п. 5 Сторони не розміщують війська"),
        # "no." in lower case ends a sentence.
        ("The answer is no. Troops shall withdraw.", "The answer is no. Troops shall not withdraw.",
         "negation added: Troops shall not withdraw"),
        ("Russia shall:\n- deploy troops;\n- hold elections.", "Russia shall not:\n- deploy troops;\n- hold elections.",
         "negation added: Russia shall not: deploy troops …"),
        # Long words before it are read back far enough to be quoted whole; a line break above
        # the clause's own line ends it, not the first line break of the point.
        ("Die Verfassungsgerichtsbarkeitszuständigkeitsbestimmungen Bundesverfassungsgerichtsentscheidungsverfahren "
         "Rechtsstaatlichkeitsgrundsätze shall apply.",
         "Die Verfassungsgerichtsbarkeitszuständigkeitsbestimmungen Bundesverfassungsgerichtsentscheidungsverfahren "
         "Rechtsstaatlichkeitsgrundsätze shall not apply.",
         "negation added: … Bundesverfassungsgerichtsentscheidungsverfahren Rechtsstaatlichkeitsgrundsätze shall not apply"),
        ("Intro line one\nsecond line here\nThe parties shall withdraw.", "Intro line one\nsecond line here\nThe parties shall not withdraw.",
         "negation added: The parties shall not withdraw"),
        ("The parties will not withdraw heavy weapons from the contact line to the distances set out in the annex.",
         "The parties will withdraw heavy weapons from the contact line to the distances set out in the annex.",
         "negation removed: The parties will not withdraw heavy weapons from the contact line to the distances …"),
    ],
)
def test_a_negation_is_quoted_with_the_rest_of_its_clause(old: str, new: str, expected: str) -> None:
    assert summaries(old, new) == [expected]


@pytest.mark.parametrize(
    ("text", "start", "expected"),
    [
        ("on the territory of Ukraine, as agreed", 0, (27, False)),  # the comma left out
        ("Ukraine\nb) observers may stay", 0, (7, False)),  # the next item of a list
        ("at 2.5 km - except observers", 0, (9, False)),  # a dash between spaces; the dot in 2.5 ends nothing
        # An aside that closes is part of the clause; its closing bracket does not end it, what follows may.
        (" (subject to Article 4) withdraw.", 0, (32, False)),
        ("NATO (Article 5), as agreed", 0, (16, False)),
        (" (subject to Article 4)", 0, (23, False)),
        # One that runs on past ten words ends the quote before it.
        ("x (see the annex that goes on and on and on and on) y", 1, (1, False)),
        ("x the line holds", 1, (16, False)),  # from start, to the end of the text
        ("one two three four five six seven eight nine ten eleven", 0, (48, True)),  # ten words, then cut
    ],
)
def test_where_a_quoted_clause_ends(text: str, start: int, expected: tuple[int, bool]) -> None:
    assert clause_end(text, start) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Foreign troops shall not be stationed on the territory of Ukraine, as agreed.",
         "Foreign troops shall not be stationed on the territory of Ukraine"),
        # Not past the sentence, the clause or the list's dash before it.
        ("Sanctions remain. Troops shall not withdraw.", "Troops shall not withdraw"),
        ("In peacetime, Ukraine shall not join.", "Ukraine shall not join"),
        ("Conditions:\n- Russia will not take part.", "Russia will not take part"),
        ("Conditions\nRussia will not take part", "Russia will not take part"),
        # Three words before it, then "…" where the clause goes on before them.
        ("The parties to this long agreement shall not withdraw.", "… long agreement shall not withdraw"),
        ("Not all troops withdraw.", "Not all troops withdraw"),
    ],
)
def test_a_quote_is_the_clause_around_what_it_quotes(text: str, expected: str) -> None:
    at = text.index("not") if "not" in text else 0
    assert quote_clause(text, at, at + 3) == expected


def test_a_hunk_is_quoted_spaced_as_in_the_text_at_either_end_of_a_point() -> None:
    # Punctuation right after the hunk stays against it; nothing before or after adds nothing.
    right_after = Hunk(old="made", new="created", before="It was ", after=", and the rest follows")
    assert hunk_context(right_after, "new") == "It was created, and the"
    at_start = Hunk(old="", new="Not ", before="", after="all troops withdraw.")
    assert hunk_context(at_start, "new") == "Not all troops withdraw."
    at_end = Hunk(old="now", new="later", before="Troops withdraw ", after="")
    assert hunk_context(at_end, "new") == "Troops withdraw later"


def test_each_kind_of_time_limit_change_carries_its_old_and_new_wording() -> None:
    def changes(old: str, new: str) -> list[tuple[ChangeKind, str, str, str]]:
        return [(c.kind, c.old, c.new, c.summary) for c in substantive_changes(old, new, word_edits(old, new), {})]

    d = ChangeKind.DEADLINE
    assert changes("Talks as soon as possible.", "Talks within 90 days.") == [
        (d, "as soon as possible", "within 90 days", "deadline set: as soon as possible → within 90 days")]
    assert changes("Talks within an hour.", "Talks within two hours.") == [
        (d, "within an hour", "within two hours", "deadline extended: within an hour → within two hours (+1 hour)")]
    assert changes("Talks within 3 months.", "Talks within 90 days.") == [
        (d, "within 3 months", "within 90 days", "deadline: within 3 months → within 90 days")]
    assert changes("Talks within 3 months.", "Talks begin.") == [
        (d, "within 3 months", "", "deadline removed: within 3 months")]
    assert changes("Talks begin.", "Talks within 3 months.") == [(d, "", "within 3 months", "deadline added: within 3 months")]


def test_every_change_of_obligation_and_negation_in_a_point_is_found_past_the_hunks_that_hold_none() -> None:
    # In turn: shall → may; a hunk with no modal verb; a long rewording (no local change); not →
    # never (a negation either way); "not" added; not → never once the point's count is made up;
    # must → should.
    old = ("The parties shall withdraw. The fund grows. Every month the parties shall meet in Geneva to review the "
           "plan. Tanks are not allowed. Russia will invade. Drones are not used. Observers must report.")
    new = ("The parties may withdraw. The fund shrinks. Each quarter the parties will convene in Vienna together to "
           "review all plans. Tanks are never allowed. Russia will not invade. Drones are never used. Observers should report.")
    assert [(c.kind, c.old, c.new, c.summary) for c in substantive_changes(old, new, word_edits(old, new), {})] == [
        (ChangeKind.OBLIGATION, "The parties shall withdraw", "The parties may withdraw", "obligation weakened: shall → may"),
        (ChangeKind.NEGATION, "Russia will invade", "Russia will not invade", "negation added: Russia will not invade"),
        (ChangeKind.OBLIGATION, "Observers must report", "Observers should report", "obligation weakened: must → should"),
    ]


def test_where_a_word_ends_its_clause_is_where_punctuation_at_its_end_or_a_dash_inside_it_begins() -> None:
    import random
    import re

    from plancmp.diff.edits import _clause_stop

    # The rule as a pattern: a run of punctuation to the word's end, or a dash, whichever comes
    # first; the dots of the initials a word starts with ("a.b.") are none of it.
    rule = re.compile(r"[,;:.!?)\]—–]+$|[—–]")
    initials = re.compile(r"(?:[^\W\d_]\.){2,}")
    rng = random.Random(7)
    for _ in range(20_000):
        word = "".join(rng.choice("ab2.,;:!?)]—–(x") for _ in range(rng.randint(1, 7)))
        at = rng.randint(0, len(word))
        lead = initials.match(word)
        found = rule.search(word, max(at, lead.end() if lead else 0))
        assert _clause_stop(word, at) == (found.start() if found else -1), (word, at)
    assert [_clause_stop(w) for w in ("2.5", "Ukraine,", "4),", "Ukraine—except", "x", "U.S.", "U.S.,", "B.", "No.", "No.,")] == [
        -1, 7, 1, 7, -1, -1, 4, 1, -1, 3,
    ]
