"""compare: the stages chained, as a reader of `plancmp diff` sees the result."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from plancmp.cli import cli
from tests.ceasefire import CEASEFIRE_13, IN_FRONT

OLD = (
    "1. Foreign troops withdraw as set out in point 2.\n"
    "   a) The withdrawal is completed within 30 days.\n"
    "   b) Heavy weapons are stored under seal.\n"
    "2. Monitors from the OSCE verify the withdrawal on the ground.\n"
)
SANCTIONS = "1. Sanctions are lifted in stages as the agreement is carried out.\n"


def diff_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str) -> str:
    """What `plancmp diff old.txt new.txt --no-color` prints."""
    monkeypatch.chdir(tmp_path)
    Path("old.txt").write_text(old, encoding="utf-8")
    Path("new.txt").write_text(new, encoding="utf-8")
    result = CliRunner().invoke(cli, ["diff", "old.txt", "new.txt", "--no-color"], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    return result.output


def test_a_point_whose_reference_follows_renumbering_is_still_modified_when_a_sub_point_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Point 1's own words differ only by "point 2" → "point 3", which follows the renumbering;
    # but its sub-point a) moved the deadline, so the point as a whole was modified.
    new = SANCTIONS + OLD.replace("2.", "3.").replace("1. Foreign", "2. Foreign").replace("30", "60")
    assert diff_shown(tmp_path, monkeypatch, OLD, new) == (
        "old.txt → new.txt\n"
        "2 → 3 points: 2 kept (1 reworded), 1 added, 2 renumbered\n"
        "\n"
        "— → 1  added\n"
        "    {+Sanctions are lifted in stages as the agreement is carried out.+}\n"
        "\n"
        "1 → 2  modified, renumbered\n"
        "    note: reference follows renumbering: point 2 → point 3 (2 is now 3)\n"
        "    Foreign troops withdraw as set out in point [-2-]{+3+}.\n"
        "  1.a → 2.a  modified  deadline extended: within 30 days → within 60 days (+30 days)\n"
        "      The withdrawal is completed within [-30-]{+60+} days.\n"
        "\n"
        "2 → 3  unchanged, renumbered\n"
    )


@pytest.mark.parametrize(
    ("old_ref", "new_ref", "expected"),
    [
        # Point 12 was split into 10 and 11: a reference to both follows it; to one of them, it
        # takes in less than it did, a change of substance.
        ("point 12", "points 10 and 11", ("reference follows renumbering: point 12 → points 10 and 11 (12 is now 10+11)", False)),
        ("point 12", "point 11", ("reference narrowed to a part: point 12 → point 11 (12 is now 10+11)", True)),
        ("point 12", "point 9", ("reference changed: point 12 → point 9", True)),
        # A point named no more, though another is followed, is a change.
        ("points 12 and 13", "point 10", ("reference changed: points 12 and 13 → point 10", True)),
        # Points 1 and 2 were merged into 1: a reference to both follows them; to one, it takes in more.
        ("points 1 and 2", "point 1", ("reference follows renumbering: points 1 and 2 → point 1 (2 is now 1)", False)),
        ("point 2", "point 1", ("reference widened to a merged point: point 2 → point 1 (2 is now 1)", True)),
        # Several points, each followed.
        ("points 12 and 13", "points 10, 11 and 12",
         ("reference follows renumbering: points 12 and 13 → points 10, 11 and 12 (12 is now 10+11, 13 is now 12)", False)),
    ],
)
def test_a_reference_to_a_split_or_merged_point_says_what_it_takes_in_now(
    old_ref: str, new_ref: str, expected: tuple[str, bool]
) -> None:
    from plancmp.diff.references import Renumbering, reference_changes

    ids = Renumbering({"12": ("10", "11"), "13": ("12",), "9": ("9",), "1": ("1",), "2": ("1",)})
    assert [(c.summary, c.substantive) for c in reference_changes(f"As in {old_ref}.", f"As in {new_ref}.", ids)] == [expected]


def test_a_point_with_the_same_words_is_modified_when_a_sub_point_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert diff_shown(tmp_path, monkeypatch, OLD, OLD.replace("30", "60")) == (
        "old.txt → new.txt\n"
        "2 → 2 points: 2 kept (1 reworded)\n"
        "\n"
        "1 → 1  modified\n"
        "    Foreign troops withdraw as set out in point 2.\n"
        "  1.a → 1.a  modified  deadline extended: within 30 days → within 60 days (+30 days)\n"
        "      The withdrawal is completed within [-30-]{+60+} days.\n"
    )


def test_a_point_whose_reference_only_follows_renumbering_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = SANCTIONS + OLD.replace("2.", "3.").replace("1. Foreign", "2. Foreign")
    shown = diff_shown(tmp_path, monkeypatch, OLD, new)
    assert "1 → 2  unchanged, renumbered\n    note: reference follows renumbering: point 2 → point 3 (2 is now 3)\n" in shown
    assert "2 kept, 1 added, 2 renumbered" in shown


CEASEFIRE = [*CEASEFIRE_13[:10], "Sanctions are reviewed after six months, as set out in {}.", *CEASEFIRE_13[11:]]
"""A 13-point draft whose point 11 refers to other points ({} is the reference)."""


def numbered(points: list[str]) -> str:
    return "".join(f"{k}. {text}\n" for k, text in enumerate(points, 1))


def revised(old_ref: str, new_ref: str, drop_9: bool) -> tuple[str, str]:
    """The draft with old_ref, and its revision with a new point 1 (and old point 9 dropped) and new_ref."""
    new = [IN_FRONT] + [p.format(new_ref) for p in CEASEFIRE]
    if drop_9:
        del new[9]
    return numbered([p.format(old_ref) for p in CEASEFIRE]), numbered(new)


def point_11_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str) -> list[str]:
    """The lines `plancmp diff --context` shows for old point 11."""
    monkeypatch.chdir(tmp_path)
    Path("v1.txt").write_text(old, encoding="utf-8")
    Path("v3.txt").write_text(new, encoding="utf-8")
    result = CliRunner().invoke(cli, ["diff", "v1.txt", "v3.txt", "--context", "--no-color"], catch_exceptions=False)
    blocks = result.output.split("\n\n")
    return next(b for b in blocks if b.startswith("11 → ")).splitlines()[:2]


@pytest.mark.parametrize(
    ("reference", "drop_9", "shown"),
    [
        # Every old point moved down by one, point 11 with them.
        ("points 2 to 9", False,
         "11 → 12  unchanged, renumbered  reference not updated: points 2 to 9 (point 2 is now 3; point 9 is now 10)"),
        ("points 1 to 3", False,
         "11 → 12  unchanged, renumbered  reference not updated: points 1 to 3 (point 1 is now 2; point 3 is now 4)"),
        ("points 2-6", False,
         "11 → 12  unchanged, renumbered  reference not updated: points 2-6 (point 2 is now 3; point 6 is now 7)"),
        ("points 10 to 13", False,
         "11 → 12  unchanged, renumbered  reference not updated: points 10 to 13 (point 10 is now 11; point 13 is now 14)"),
        # Old point 9 dropped as well, so point 11 kept its number.
        ("points 2 to 9", True,
         ("11 → 11  unchanged  reference not updated: points 2 to 9 (point 2 is now 3; point 9 was dropped; "
         "the points it named are now 3 to 9)")),
        ("points 2 to 6", True,
         "11 → 11  unchanged  reference not updated: points 2 to 6 (point 2 is now 3; point 6 is now 7)"),
        # Points 10 to 13 kept their numbers: the range still names them.
        ("points 10 to 13", True, "11 → 11  unchanged"),
        # As a single reference and a list always were.
        ("point 2", True, "11 → 11  unchanged  reference not updated: point 2 (point 2 is now 3)"),
        ("points 2 and 9", True,
         "11 → 11  unchanged  reference not updated: points 2 and 9 (point 2 is now 3; point 9 was dropped)"),
    ],
)
def test_a_range_reference_left_as_it_was_when_its_points_were_renumbered_is_flagged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: str, drop_9: bool, shown: str
) -> None:
    lines = point_11_shown(tmp_path, monkeypatch, *revised(reference, reference, drop_9))
    assert lines[0] == shown


@pytest.mark.parametrize(
    ("old_ref", "new_ref", "drop_9", "shown"),
    [
        ("points 2 to 9", "points 3 to 10", False,
         ["11 → 12  unchanged, renumbered",
          "    note: reference follows renumbering: points 2 to 9 → points 3 to 10 (2 is now 3, 9 is now 10)"]),
        ("points 2 to 9", "points 3 to 9", True,
         ["11 → 11  unchanged",
          ("    note: reference follows renumbering: points 2 to 9 → points 3 to 9 (2 is now 3, 9 was dropped; "
          "the points it named are now 3 to 9)")]),
        # The new point 1 joins a range that took in every point: no change of substance.
        ("points 1 to 13", "points 1 to 14", False,
         ["11 → 12  unchanged, renumbered",
          ("    note: reference follows renumbering: points 1 to 13 → points 1 to 14 (1 is now 2, 13 is now 14; "
          "it also takes in the new point 1)")]),
        # Updated, but not to the points it named: a change.
        ("points 2 to 9", "points 3 to 11", False,
         ["11 → 12  modified, renumbered  reference changed: points 2 to 9 → points 3 to 11",
          "    Sanctions are reviewed after six months, as set out in points [-2-]{+3+} to [-9-]{+11+}."]),
    ],
)
def test_a_range_reference_updated_with_the_renumbering_follows_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old_ref: str, new_ref: str, drop_9: bool, shown: list[str]
) -> None:
    assert point_11_shown(tmp_path, monkeypatch, *revised(old_ref, new_ref, drop_9)) == shown


# -- work shared among processes -----------------------------------------------------------------

DRAFTS = Path(__file__).resolve().parent.parent / "drafts"


def _sharing_recorded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """(tasks, workers) of every call that shares work out, from now on; the bundled drafts are
    short, so the threshold is lowered for them to be shared out at all."""
    import plancmp.compare as compare_module

    monkeypatch.setattr(compare_module, "PARALLEL_POINTS", 10)
    real, shared = compare_module.map_forked, []

    def spy(task, n, workers):  # type: ignore[no-untyped-def]
        shared.append((n, workers))
        return real(task, n, workers)

    monkeypatch.setattr(compare_module, "map_forked", spy)
    return shared


def test_a_long_comparison_diffed_in_several_processes_is_the_one_diffed_in_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from plancmp.compare import CompareOptions, compare
    from plancmp.parse import load_document
    from plancmp.render.to_json import render_diff_json

    old, new = load_document(str(DRAFTS / "28-point.txt")), load_document(str(DRAFTS / "20-point.txt"))
    one = render_diff_json(compare(old, new, CompareOptions(workers=1)))
    shared = _sharing_recorded(monkeypatch)
    assert render_diff_json(compare(old, new, CompareOptions(workers=2))) == one
    # Shared out in runs of groups, more runs than processes (16 a process, or one a group).
    assert len(shared) == 1 and shared[0][1] == 2 and shared[0][0] > 2


def test_likely_pairs_are_those_between_unique_texts_in_order_or_by_number() -> None:
    from plancmp.align import likely_pairs
    from plancmp.parse.from_text import read_text

    def draft(*texts: str) -> Any:
        return read_text("Draft\n\n" + "".join(f"{k}. {t}\n\n" for k, t in enumerate(texts, 1)), "d.txt")

    # A and F are anchors: each is once in both drafts, in the same order. D is once in both
    # too, but moved: no anchor. Between A and F, two points a side, paired in order whatever
    # their numbers. After F, five old points and two new: paired by number where both have it
    # (6 with 6, 7 with 7). "X." is twice in the old draft: no anchor.
    old = draft("A.", "B.", "C.", "F.", "G.", "H.", "D.", "X.", "X.")
    new = draft("D.", "A.", "B2.", "C2.", "F.", "G2.", "Y.")
    assert [(p.id, q.id) for p, q in likely_pairs(old, new)] == [("2", "3"), ("3", "4"), ("6", "6"), ("7", "7")]


def test_the_likely_pairs_are_diffed_in_another_process_during_the_alignment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import plancmp.compare as compare_module
    import plancmp.diff
    from plancmp.align import likely_pairs
    from plancmp.compare import CompareOptions, _meanwhile, compare
    from plancmp.diff import KNOWN_PARTIES, substantive_changes, text_changes, word_edits
    from plancmp.model import packed_edits
    from plancmp.parse import load_document
    from plancmp.render.to_json import render_diff_json

    old, new = load_document(str(DRAFTS / "28-point.txt")), load_document(str(DRAFTS / "20-point.txt"))
    from plancmp.parse.cutoff import cut_off_points

    cut = {p.id for doc in (old, new) for p in cut_off_points(doc)}
    # The likely pairs, and whether they are points without sub-points, not cut off.
    kept = {
        (p.text, q.text): not p.children and not q.children and p.id not in cut and q.id not in cut
        for p, q in likely_pairs(old, new) if q.text != p.text
    }
    assert len(kept) >= 15 and 0 < sum(kept.values()) < len(kept)
    monkeypatch.setattr(compare_module, "_WAIT_FOR_ALL", True)  # these drafts align in a moment
    cut_ids = frozenset(p.id for p in cut_off_points(old)), frozenset(p.id for p in cut_off_points(new))
    with _meanwhile(old, new, (), KNOWN_PARTIES, cut_ids, workers=2) as found:
        pass
    expected = {}
    for (a, b), leaves in kept.items():
        edits = word_edits(a, b)
        expected[(a, b)] = (packed_edits(edits), text_changes(a, b, edits) if leaves else None)
    assert len(found.diffs) == len(expected) and found.topics == {}
    assert {pair: found.diffs.get(pair) for pair in expected} == expected
    assert sum(1 for _, changes in expected.values() if changes) >= 10
    # With references added, they are the changes substantive_changes finds.
    ids = {"5": ("3",)}
    for (a, b), (_, changes) in expected.items():
        edits = word_edits(a, b)
        assert substantive_changes(a, b, edits, ids, known=changes) == substantive_changes(a, b, edits, ids)
    with _meanwhile(old, new, (), KNOWN_PARTIES, cut_ids, workers=1) as alone:
        pass
    assert len(alone.diffs) == 0

    # A comparison uses them: with the groups diffed here, none of those pairs is diffed again,
    # and the comparison is the one made without them.
    one = render_diff_json(compare(old, new, CompareOptions(workers=1)))
    monkeypatch.setattr(compare_module, "PARALLEL_POINTS", 10)
    monkeypatch.setattr(compare_module, "map_forked", lambda task, n, workers: None)
    real, diffed_here = compare_module.word_edits, []
    monkeypatch.setattr(compare_module, "word_edits", lambda a, b: diffed_here.append((a, b)) or real(a, b))
    real_changes, looked_here = plancmp.diff._text_changes, []
    monkeypatch.setattr(
        plancmp.diff, "_text_changes", lambda a, b, *rest: looked_here.append((a, b)) or real_changes(a, b, *rest)
    )
    assert render_diff_json(compare(old, new, CompareOptions(workers=2))) == one
    assert diffed_here and not set(kept).intersection(diffed_here)
    assert looked_here and not {pair for pair, leaves in kept.items() if leaves}.intersection(looked_here)


def test_the_groups_whose_diff_is_known_are_the_last_runs_which_this_process_takes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pickle

    import plancmp.compare as compare_module
    from plancmp.compare import _diff_groups, _DiffContext, _KnownDiffs, id_map
    from plancmp.diff import KNOWN_PARTIES, Renumbering, text_changes, word_edits
    from plancmp.model import packed_edits
    from plancmp.parse import load_document

    old, new = load_document(str(DRAFTS / "28-point.txt")), load_document(str(DRAFTS / "20-point.txt"))
    groups = compare_module.align_documents(old, new)
    ids = Renumbering(id_map(groups), frozenset(p.id for p in new.walk()))
    # Every other 1:1 group without sub-points that changed: its diff known.
    pairs = [
        (p.text, q.text) for g in groups
        if len(g.old) == len(g.new) == 1 and not g.children
        and (p := old.find(g.old[0])) is not None and (q := new.find(g.new[0])) is not None and p.text != q.text
    ][::2]
    known = _KnownDiffs()
    known.add(pairs, pickle.dumps([(packed_edits(e), text_changes(a, b, e)) for a, b in pairs for e in [word_edits(a, b)]]))
    ctx = _DiffContext(ids, KNOWN_PARTIES, frozenset(), frozenset(), known)
    alone = _diff_groups(groups, old, new, ctx, 1)
    # The runs done in order, here, as the workers would take them from the first.
    monkeypatch.setattr(compare_module, "map_forked", lambda task, n, workers: [task(k) for k in range(n)])
    real, seen = compare_module._diffed, []
    monkeypatch.setattr(compare_module, "_diffed", lambda g, *rest: seen.append(g) or real(g, *rest))
    assert _diff_groups(groups, old, new, ctx, 2) == alone
    is_known = [compare_module._known(g, old, new, ctx) for g in seen]
    assert len(pairs) >= 8 and sum(is_known) == len(pairs)
    assert is_known == sorted(is_known)  # none known before one not


def _topics_looked_for_here(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts whose topics this process looks for, from now on (a forked one's are not seen)."""
    from plancmp.annotate import Tagger

    real, texts = Tagger.topics, []

    def spy(self, text):  # type: ignore[no-untyped-def]
        texts.append(text)
        return real(self, text)

    monkeypatch.setattr(Tagger, "topics", spy)
    return texts


@pytest.mark.parametrize("lost", [False, True], ids=["found", "process lost"])
def test_a_long_comparison_s_topics_are_looked_for_in_another_process_with_the_same_tags(
    monkeypatch: pytest.MonkeyPatch, lost: bool
) -> None:
    import plancmp.annotate
    import plancmp.compare as compare_module
    from plancmp.compare import CompareOptions, compare
    from plancmp.parse import load_document
    from plancmp.parse.from_toml import load_rules

    old, new = load_document(str(DRAFTS / "28-point.txt")), load_document(str(DRAFTS / "20-point.txt"))
    options = CompareOptions(rules=load_rules(None))
    one = compare(old, new, replace(options, workers=1))
    tagged = [p for p in one.new.walk() if any(t.startswith("topic:") for t in p.tags)]
    assert len(tagged) >= 10  # the bundled draft's points have topics: the test compares something
    monkeypatch.setattr(compare_module, "PARALLEL_POINTS", 10)  # the bundled drafts count as long
    if lost:
        # The other process dies (as when the system kills it for memory): this one looks for
        # the topics itself.
        monkeypatch.setattr(plancmp.annotate, "find_topics", lambda texts, rules: os._exit(1))
    here = _topics_looked_for_here(monkeypatch)
    two = compare(old, new, replace(options, workers=2))
    assert two.old == one.old and two.new == one.new
    texts = {p.text for doc in (old, new) for p in doc.walk()}
    assert set(here) == (texts if lost else set())


def test_a_long_chain_compared_in_several_processes_is_the_one_compared_in_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from plancmp.compare import CompareOptions, compare_chain
    from plancmp.parse import load_document
    from plancmp.render.history import render_history_json

    docs = tuple(load_document(str(DRAFTS / f)) for f in ("28-point.txt", "19-point-geneva.txt", "20-point.txt"))
    labels = ("28", "19", "20")
    one = render_history_json(compare_chain(docs, labels, CompareOptions(workers=1)))
    shared = _sharing_recorded(monkeypatch)
    assert render_history_json(compare_chain(docs, labels, CompareOptions(workers=2))) == one
    # Three comparisons (two steps and the first → last) shared out; each diffs in its own process.
    assert shared == [(3, 2)]


def test_a_comparison_s_groups_come_back_whole_through_pickle() -> None:
    import copy
    import pickle

    from plancmp.compare import compare
    from plancmp.model import EditOp
    from plancmp.parse import load_document

    old, new = load_document(str(DRAFTS / "28-point.txt")), load_document(str(DRAFTS / "20-point.txt"))
    groups = compare(old, new).groups
    # The worker processes send groups by pickle; a group's edits travel as kinds and texts.
    back = pickle.loads(pickle.dumps(groups, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == groups and copy.deepcopy(groups) == groups
    edits = [e for g in back for sub in g.walk() for e in sub.edits]
    assert {e.op for e in edits} == set(EditOp) and all(type(e.op) is EditOp for e in edits)
    assert any(g.folded for top in back for g in top.walk()) and any(g.changes for g in back)
