"""Alignment: the exact groups a reader of the two drafts would draw."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from plancmp.align import AlignOptions, align_documents, assign, longest_increasing, parse_pin
from plancmp.errors import UsageError
from plancmp.model import Group, Status
from plancmp.parse import load_document
from plancmp.parse.from_text import read_text
from tests.ceasefire import CEASEFIRE_13, IN_FRONT

ROOT = Path(__file__).resolve().parent.parent

PROVISIONS = [
    "Ukraine's sovereignty will be confirmed by all signatories.",
    "Russia and Ukraine will conclude a comprehensive agreement of non-aggression.",
    "The armed forces of Ukraine will be limited to 600,000 personnel.",
    "A development fund for the fastest-growing sectors will be created. The gas network, its pipelines and storage will be rebuilt with American participation.",
    "Elections will be held in Ukraine within 100 days after signing.",
    "All parties to the conflict receive a full amnesty for acts committed during the war.",
    "The Zaporizhzhia nuclear plant will restart under the supervision of the IAEA.",
    "Prisoners will be exchanged on an all-for-all basis and civilians returned home.",
]


def draft(texts: list[str]) -> str:
    return "\n".join(f"{n}. {t}" for n, t in enumerate(texts, 1))


def shape(groups: tuple[Group, ...]) -> list[tuple[tuple[str, ...], tuple[str, ...], str]]:
    return [(g.old, g.new, g.status.value) for g in groups]


def align(old: list[str], new: list[str], **options: object) -> tuple[Group, ...]:
    return align_documents(read_text(draft(old), "old.txt"), read_text(draft(new), "new.txt"), AlignOptions(**options))  # type: ignore[arg-type]


def test_identical_drafts_are_all_unchanged() -> None:
    groups = align(PROVISIONS, PROVISIONS)
    assert shape(groups) == [((str(n),), (str(n),), "unchanged") for n in range(1, 9)]
    assert all(g.similarity == 1.0 and not g.renumbered and not g.moved for g in groups)


def test_renumbering_alone_is_renumbered_not_modified() -> None:
    new = PROVISIONS[:2] + PROVISIONS[3:]  # point 3 dropped: 4..8 become 3..7
    groups = align(PROVISIONS, new)
    assert shape(groups) == [
        (("1",), ("1",), "unchanged"),
        (("2",), ("2",), "unchanged"),
        (("3",), (), "dropped"),
        (("4",), ("3",), "unchanged"),
        (("5",), ("4",), "unchanged"),
        (("6",), ("5",), "unchanged"),
        (("7",), ("6",), "unchanged"),
        (("8",), ("7",), "unchanged"),
    ]
    assert [g.renumbered for g in groups] == [False, False, False, True, True, True, True, True]
    assert not any(g.moved for g in groups)


def test_moves_are_the_links_off_the_in_order_run() -> None:
    new = [PROVISIONS[i] for i in (0, 1, 6, 2, 3, 4, 5, 7)]  # point 7 moved up to third place
    groups = align(PROVISIONS, new)
    moved = [(g.old, g.new) for g in groups if g.moved]
    assert moved == [(("7",), ("3",))]
    assert all(g.status is Status.UNCHANGED for g in groups)


def test_reworded_point_with_a_new_number_is_modified_and_renumbered() -> None:
    new = list(PROVISIONS)
    new[2] = "The armed forces of Ukraine will stay at 800,000 personnel in peacetime."
    new = new[:1] + new[2:]
    groups = align(PROVISIONS, new)
    group = next(g for g in groups if g.old == ("3",))
    assert (group.new, group.status, group.renumbered) == (("2",), Status.MODIFIED, True)
    assert 0.3 < group.similarity < 1.0
    assert next(g for g in groups if g.old == ("2",)).status is Status.DROPPED


def test_split_and_merge() -> None:
    fund, gas = PROVISIONS[3].split(". ", 1)
    split_new = PROVISIONS[:3] + [fund + ".", gas] + PROVISIONS[4:]
    groups = align(PROVISIONS, split_new)
    assert (("4",), ("4", "5"), "split") in shape(groups)
    merged_old = PROVISIONS[:3] + [fund + ".", gas] + PROVISIONS[4:]
    groups = align(merged_old, PROVISIONS)
    assert (("4", "5"), ("4",), "merged") in shape(groups)


def test_added_point_is_listed_after_its_predecessor() -> None:
    new = PROVISIONS[:4] + ["An accelerated free-trade agreement with the United States will be concluded."] + PROVISIONS[4:]
    groups = align(PROVISIONS, new)
    assert shape(groups)[3:6] == [
        (("4",), ("4",), "unchanged"),
        ((), ("5",), "added"),
        (("5",), ("6",), "unchanged"),
    ]


def test_identical_boilerplate_is_paired_by_position() -> None:
    notice = "Each party shall notify the Commission of the measures taken."
    old = [PROVISIONS[0], notice, PROVISIONS[1], notice, PROVISIONS[2], notice]
    new = [PROVISIONS[0], notice, PROVISIONS[1], PROVISIONS[2], notice]
    groups = align(old, new)
    assert shape(groups) == [
        (("1",), ("1",), "unchanged"),
        (("2",), ("2",), "unchanged"),
        (("3",), ("3",), "unchanged"),
        (("4",), (), "dropped"),
        (("5",), ("4",), "unchanged"),
        (("6",), ("5",), "unchanged"),
    ]


def test_sub_points_are_aligned_inside_their_parents() -> None:
    old = read_text("1. Reconstruction:\n   a) a development fund;\n   b) the gas network;\n   c) a World Bank package.\n2. Other.", "o.txt")
    new = read_text("1. Reconstruction:\n   a) the gas network;\n   b) a World Bank financing package.\n2. Other.", "n.txt")
    first, second = align_documents(old, new)
    # The parent's own words are the same, but its sub-points changed: the point as a whole did.
    assert (first.old, first.new, first.status) == (("1",), ("1",), Status.MODIFIED)
    assert (second.old, second.new, second.status) == (("2",), ("2",), Status.UNCHANGED)
    assert [(c.old, c.new, c.status.value, c.renumbered) for c in first.children] == [
        (("1.a",), (), "dropped", False),
        (("1.b",), ("1.a",), "unchanged", True),
        (("1.c",), ("1.b",), "modified", True),
    ]


def test_pins_force_links_and_the_rest_aligns_around_them() -> None:
    pins = (parse_pin("1=2"), parse_pin("2=1"), parse_pin("8=-"))
    groups = align(PROVISIONS, PROVISIONS, pins=pins)
    assert shape(groups)[:2] == [(("1",), ("2",), "modified"), (("2",), ("1",), "modified")]
    assert [g.pinned for g in groups[:2]] == [True, True]
    assert (("8",), (), "dropped") in shape(groups)
    assert ((), ("8",), "added") in shape(groups)
    assert shape(groups)[2:7] == [((str(n),), (str(n),), "unchanged") for n in range(3, 8)]


@pytest.mark.parametrize(
    ("pin", "message"),
    [
        ("6", "--pin 6: write OLD=NEW, e.g. 6=4, 12=8+9 (split), 3+4=2 (merge), 26=- (dropped), -=10 (added)"),
        ("-=-", "--pin -=-: at least one side must name a point, e.g. 26=- (dropped) or -=10 (added)"),
        ("1+2=3+4", ("--pin 1+2=3+4: a pin links one point to several, or several to one, not many to many; "
                     "pin them in smaller groups, e.g. 1=3 and 2=4")),
        ("6=4=3", "--pin 6=4=3: write OLD=NEW, e.g. 6=4, 12=8+9 (split), 3+4=2 (merge), 26=- (dropped), -=10 (added)"),
        ("12=8+", "--pin 12=8+: an empty id in '8+'; name a point on each side of every +, e.g. 12=8+9"),
        ("12=8,9", "--pin 12=8,9: join the points of a split or merge with +, e.g. 12=8+9 or 3+4=2"),
        ("6=-+4", "--pin 6=-+4: '-' stands alone, for no point (26=- dropped, -=10 added); did you mean --pin 6=4?"),
        ("-+-=6", "--pin -+-=6: '-' stands alone, for no point (26=- dropped, -=10 added)"),
    ],
)
def test_malformed_pins(pin: str, message: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_pin(pin)
    assert str(info.value) == message


def test_pin_naming_a_missing_point_or_pinning_twice() -> None:
    with pytest.raises(UsageError) as info:
        align(PROVISIONS, PROVISIONS, pins=(parse_pin("6=44"),))
    assert str(info.value) == "--pin 6=44: the new draft (new.txt) has no point 44; list its points with plancmp points new.txt"
    with pytest.raises(UsageError) as info:
        align(PROVISIONS, PROVISIONS, pins=(parse_pin("6=4"), parse_pin("6=5")))
    assert str(info.value) == "--pin 6=5: old point 6 is already pinned by --pin 6=4; keep one of the two, or pin both as one: --pin 6=4+5"
    with pytest.raises(UsageError) as info:
        align(PROVISIONS, PROVISIONS, pins=(parse_pin("6=4"), parse_pin("6=-")))
    assert str(info.value) == "--pin 6=-: old point 6 is already pinned by --pin 6=4; keep one of the two"


def test_alignment_is_deterministic() -> None:
    a = load_document(ROOT / "drafts" / "28-point.txt")
    b = load_document(ROOT / "drafts" / "20-point.txt")
    assert align_documents(a, b) == align_documents(a, b)


@pytest.mark.parametrize(
    ("old", "new", "gold"),
    [
        ("28-point", "20-point", "28-to-20"),
        ("28-point", "28-point-european", "28-to-28-european"),
        ("28-point-european", "19-point-geneva", "28-european-to-19"),
        ("19-point-geneva", "20-point", "19-to-20"),
    ],
)
@pytest.mark.parametrize("ext", ["txt", "md"])
def test_bundled_drafts_match_the_hand_made_gold(old: str, new: str, gold: str, ext: str) -> None:
    groups = align_documents(
        load_document(ROOT / "drafts" / f"{old}.{ext}"), load_document(ROOT / "drafts" / f"{new}.{ext}")
    )
    expected = json.loads((ROOT / "bench" / "gold" / f"{gold}.json").read_text(encoding="utf-8"))
    want = sorted((tuple(g["old"]), tuple(g["new"])) for g in expected["groups"])
    assert sorted((g.old, g.new) for g in groups) == want


def test_the_28_to_20_story() -> None:
    groups = align_documents(load_document(ROOT / "drafts/28-point.txt"), load_document(ROOT / "drafts/20-point.txt"))
    by_old = {g.old: g for g in groups if g.old}
    six = by_old[("6",)]
    assert (six.new, six.status, six.renumbered) == (("4",), Status.MODIFIED, True)
    assert by_old[("12",)].new == ("8", "9") and by_old[("12",)].status is Status.SPLIT
    assert by_old[("26",)].status is Status.DROPPED
    assert [g.new for g in groups if g.status is Status.ADDED] == [("10",)]
    assert [(g.old, g.new) for g in groups if g.moved] == [(("16",), ("6",))]


def test_assignment_small_solver_agrees_with_scipy() -> None:
    import random

    from scipy.optimize import linear_sum_assignment

    rng = random.Random(7)
    # Up to the bound of the solver here (106 × 106), and past it (107 × 107: scipy's, both sides).
    sizes = [(rng.randint(1, 12), rng.randint(1, 12)) for _ in range(40)] + [(100, 80), (70, 100), (106, 106), (107, 107)]
    for n, m in sizes:
        cost = [[round(rng.random(), 3) for _ in range(m)] for _ in range(n)]
        if n * m > 5000:
            # As candidate links are: a few per point, the rest nothing (0).
            cost = [[-v if rng.random() < 0.1 else 0.0 for v in row] for row in cost]
        ours = assign(cost)
        rows, cols = linear_sum_assignment(cost)
        assert len(ours) == min(n, m)
        assert len({r for r, _ in ours}) == len(ours) and len({c for _, c in ours}) == len(ours)
        assert sum(cost[r][c] for r, c in ours) == pytest.approx(sum(cost[r][c] for r, c in zip(rows, cols)))


def test_a_component_of_106_points_is_assigned_without_importing_scipy_optimize() -> None:
    import subprocess
    import sys

    # 0.15-0.3 s and 27 MB to import, for components the solver here finishes in milliseconds;
    # one point more on each side (past 106² × 106) and scipy solves it.
    script = (
        "import random, sys\nfrom plancmp.align import assign\nrng = random.Random(3)\n"
        "for n in (106, 107):\n"
        "    cost = [[-rng.random() if rng.random() < 0.1 else 0.0 for _ in range(n)] for _ in range(n)]\n"
        "    pairs = assign(cost)\n"
        "    print(len(pairs), len({c for _, c in pairs}), 'scipy.optimize' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["106", "106", "False", "107", "107", "True"]


def test_longest_increasing() -> None:
    assert sorted(longest_increasing([0, 1, 5, 2, 3, 4])) == [0, 1, 3, 4, 5]
    assert longest_increasing([]) == set()


def test_a_pinned_pair_shows_the_similarity_the_machine_would_have_found() -> None:
    old = ["The parties agree to a ceasefire along the line of contact.", "Elections are held within 100 days."]
    new = ["Elections are held as soon as possible.", "The parties agree to a ceasefire along the current line of contact."]
    found = {(g.old, g.new): g.similarity for g in align(old, new)}
    pinned = {(g.old, g.new): g.similarity for g in align(old, new, pins=(parse_pin("1=2"), parse_pin("2=1")))}
    assert set(found) == set(pinned) == {(("1",), ("2",)), (("2",), ("1",))}
    assert pinned == found
    assert 0.3 < pinned[("1",), ("2",)] < 1.0


def test_a_level_matrix_reads_zero_outside_the_points_measured_and_refuses_a_block_of_them() -> None:
    import numpy as np

    from plancmp.align.candidates import Block as _Block

    block = _Block(np.array([[0.9, 0.1], [0.2, 0.8]]), rows=[1, 3], cols=[0, 2], n_rows=4, n_cols=3)
    assert [[block.get(r, c) for c in range(3)] for r in range(4)] == [
        [0.0, 0.0, 0.0], [0.9, 0.0, 0.1], [0.0, 0.0, 0.0], [0.2, 0.0, 0.8],
    ]
    partners, values = block.row(3)
    assert (partners, values.tolist()) == ([0, 2], [0.2, 0.8])
    partners, values = block.column(2)
    assert (partners, values.tolist()) == ([1, 3], [0.1, 0.8])
    assert block.row(0)[0] == [] and block.column(1)[1].tolist() == []
    assert block.block([3], [2, 0]).tolist() == [[0.8, 0.2]]
    with pytest.raises(ValueError, match="not measured"):
        block.block([0], [0])
    (row_best, row_first), (col_best, col_first) = block.best()
    assert (row_best.tolist(), row_first.tolist(), col_best.tolist(), col_first.tolist()) == (
        [0, 1], [0.9, 0.8], [0, 1], [0.9, 0.8],
    )
    empty = _Block.empty(2, 2)
    assert empty.get(1, 1) == 0.0 and empty.row(0)[0] == [] and empty.column(1)[0] == []


def test_a_split_that_keeps_one_of_its_numbers_is_not_renumbered_and_a_sibling_moving_away_moves_no_one() -> None:
    old = read_text(
        "1. Ceasefire:\n   a) along the current line of contact, monitored from the air;\n"
        "   b) heavy weapons withdrawn thirty kilometres behind it.\n"
        "2. Prisoners of war are exchanged all for all.\n",
        "old.txt",
    )
    new = read_text(
        "1. Ceasefire:\n   a) along the current line of contact, monitored from the air and by drones.\n"
        "2. Prisoners of war are exchanged all for all:\n   a) heavy weapons withdrawn thirty kilometres behind it.\n",
        "new.txt",
    )
    first = align_documents(old, new)[0]
    assert [(c.old, c.new, c.moved, c.parent_changed) for c in first.children] == [
        (("1.a",), ("1.a",), False, False),
        (("1.b",), ("2.a",), True, True),
    ]
    merged = PROVISIONS[:3] + [PROVISIONS[3].split(". ", 1)[0] + ".", PROVISIONS[3].split(". ", 1)[1]] + PROVISIONS[4:]
    split = next(g for g in align(PROVISIONS, merged) if g.status is Status.SPLIT)
    assert (split.old, split.new, split.renumbered) == (("4",), ("4", "5"), False)


def test_a_pin_with_a_comma_says_how_splits_are_written() -> None:
    with pytest.raises(UsageError) as info:
        parse_pin("12=8,9")
    assert str(info.value) == "--pin 12=8,9: join the points of a split or merge with +, e.g. 12=8+9 or 3+4=2"


def _diff_shown(tmp_path: Path, old: str, new: str, *options: str) -> str:
    """What `plancmp diff old new --no-color` prints."""
    from click.testing import CliRunner

    from plancmp.cli import cli

    (tmp_path / "old.txt").write_text(old, encoding="utf-8")
    (tmp_path / "new.txt").write_text(new, encoding="utf-8")
    result = CliRunner().invoke(cli, ["diff", "old.txt", "new.txt", "--no-color", *options], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    return result.output


CEASEFIRE = (
    "1. The parties agree to a complete ceasefire along the line of contact.\n"
    "   a) Monitors from the OSCE observe the line.\n"
    "   b) Heavy weapons are withdrawn fifty kilometres.\n"
    "2. Elections are held within one hundred days of signing.\n"
)


def test_sub_points_of_a_renumbered_point_keep_their_own_number(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 1.a → 2.a: the sub-point is still "a)"; only its parent was renumbered, and saying it was
    # would flag every sub-point of every point below an insertion.
    monkeypatch.chdir(tmp_path)
    new = "1. Sanctions are lifted in stages as the agreement is carried out.\n" + CEASEFIRE.replace("2.", "3.").replace(
        "1. The", "2. The"
    )
    assert _diff_shown(tmp_path, CEASEFIRE, new, "--context") == (
        "old.txt → new.txt\n"
        "2 → 3 points: 2 kept, 1 added, 2 renumbered\n"
        "\n"
        "— → 1  added\n"
        "    {+Sanctions are lifted in stages as the agreement is carried out.+}\n"
        "\n"
        "1 → 2  unchanged, renumbered\n"
        "    The parties agree to a complete ceasefire along the line of contact.\n"
        "  1.a → 2.a  unchanged\n"
        "      Monitors from the OSCE observe the line.\n"
        "  1.b → 2.b  unchanged\n"
        "      Heavy weapons are withdrawn fifty kilometres.\n"
        "\n"
        "2 → 3  unchanged, renumbered\n"
        "    Elections are held within one hundred days of signing.\n"
    )


def test_a_sub_point_lettered_anew_is_renumbered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    new = CEASEFIRE.replace("   a) Monitors from the OSCE observe the line.\n", "").replace("   b) Heavy", "   a) Heavy")
    shown = _diff_shown(tmp_path, CEASEFIRE, new)
    assert "  1.a → —  dropped\n" in shown and "  1.b → 1.a  unchanged, renumbered\n" in shown


def test_a_far_point_repeating_the_words_of_a_merge_is_dropped_not_a_third_part() -> None:
    # Points 4 and 5 were merged into 4. Old point 9, a closing summary far below them, repeats
    # words of both; the new draft left it out. The parts of a merge sit together in their draft
    # (AlignOptions.part_window): point 9 is dropped, not merged in.
    summary = "The gas network will be rebuilt and elections will be held in Ukraine."
    old = PROVISIONS + [summary]
    new = PROVISIONS[:3] + [PROVISIONS[3] + " " + PROVISIONS[4]] + PROVISIONS[5:]
    assert shape(align(old, new)) == [
        (("1",), ("1",), "unchanged"),
        (("2",), ("2",), "unchanged"),
        (("3",), ("3",), "unchanged"),
        (("4", "5"), ("4",), "merged"),
        (("6",), ("5",), "unchanged"),
        (("7",), ("6",), "unchanged"),
        (("8",), ("7",), "unchanged"),
        (("9",), (), "dropped"),
    ]
    # The same summary right after the points it repeats is a part of the merge.
    near = PROVISIONS[:5] + [summary] + PROVISIONS[5:]
    assert (("4", "5", "6"), ("4",), "merged") in shape(align(near, new))


THIRTEEN = list(CEASEFIRE_13)

REWRITTEN = {
    # Each shares one word with the point it replaces, a word no other point uses ("ICRC",
    # "commission"), and little else: similarities of 0.03 and 0.11.
    9: "Every detainee held by either side is released and returned home without delay or condition; "
       "ICRC delegates may visit places of detention beforehand.",
    10: "Each Monday, liaison officers of the parties sit together as the commission.",
}


@pytest.mark.parametrize("rewritten", [(9,), (9, 10)])
def test_a_point_rewritten_in_its_slot_is_linked_whether_or_not_a_point_was_put_in_front(
    rewritten: tuple[int, ...],
) -> None:
    revision = [REWRITTEN[k] if k in rewritten else text for k, text in enumerate(THIRTEEN, 1)]
    changed = [((str(k),), (str(k),), "modified") for k in rewritten]
    assert [s for s in shape(align(THIRTEEN, revision)) if s[2] != "unchanged"] == changed
    # Every point one place down: the links on both sides of the rewritten points agree that
    # everything between them moved by one, so old 9 stands where new 10 stands.
    shifted = align(THIRTEEN, [IN_FRONT, *revision])
    assert shape(shifted) == [((), ("1",), "added")] + [
        ((str(k),), (str(k + 1),), "modified" if k in rewritten else "unchanged") for k in range(1, 14)
    ]
    assert all(g.renumbered for g in shifted[1:])


def test_a_drop_and_an_addition_in_the_same_slot_sharing_nothing_stay_apart() -> None:
    # The slot alone links nothing: as in a draft that keeps its numbering, the pair must share
    # a rare word or number, or be alike.
    revision = [*THIRTEEN[:8], "Every detainee held by either side is released and returned.", *THIRTEEN[9:]]
    old = [*THIRTEEN[:8], "Prisoner exchange: all for all.", *THIRTEEN[9:]]
    for new, at in ((revision, 9), ([IN_FRONT, *revision], 10)):
        groups = align(old, new)
        assert [s for s in shape(groups) if s[2] in ("dropped", "added") and s != ((), ("1",), "added")] == [
            ((), (str(at),), "added"), (("9",), (), "dropped")
        ]
        assert all(g.candidates == () for g in groups if g.status in (Status.ADDED, Status.DROPPED))


def test_copies_of_one_text_stay_in_order_when_the_new_draft_is_longer() -> None:
    # Four copies of "The." against four copies followed by two new points: paired by their place
    # on an absolute-distance cost, copies 3 and 4 could cross (3 → 4, 4 → 3) at the same cost,
    # and identical texts were shown renumbered and moved.
    old = read_text("Draft\n\n" + "".join(f"{k}. The.\n\n" for k in range(1, 5)), "a.txt")
    new = read_text("Draft\n\n" + "".join(f"{k}. The.\n\n" for k in range(1, 5)) + "5. The. The.\n\n6. Ukraine.\n", "b.txt")
    for forward, (a, b) in ((True, (old, new)), (False, (new, old))):
        links = [(g.old, g.new, g.status, g.renumbered, g.moved) for g in align_documents(a, b) if g.old and g.new]
        assert links == [((str(k),), (str(k),), Status.UNCHANGED, False, False) for k in range(1, 5)], forward


def test_the_similarities_of_long_drafts_computed_on_threads_are_those_computed_on_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import random

    import numpy as np

    from plancmp import similarity

    rng = random.Random(7)
    vocabulary = [f"w{k}ord{k % 13}" for k in range(3000)]
    texts = [" ".join(rng.choices(vocabulary, k=40)) for _ in range(400)]
    rows, cols = list(range(200)), list(range(200, 400))
    one = similarity.TextSpace(texts, split=200)
    assert not isinstance(one._char_n, np.ndarray)  # sparse: the path long drafts take
    expected = (one.similarity(rows, cols), one.containment(rows, cols))
    # These drafts are short of the threshold: it is lowered, and the bands of rows counted.
    monkeypatch.setattr(similarity, "_BANDED_CELLS", 1)
    for threads in (1, 3):
        banded = similarity.TextSpace(texts, split=200, threads=threads)
        got = (banded.similarity(rows, cols), banded.containment(rows, cols))
        assert all(np.array_equal(a, b) for a, b in zip(got, expected, strict=True))
    cuts: list[list[int]] = []
    real_edges = similarity._band_edges
    monkeypatch.setattr(similarity, "_band_edges", lambda rows, threads: cuts.append(real_edges(rows, threads)) or cuts[-1])
    # (The character product of these texts is taken in dense slices: see the next test.)
    monkeypatch.setattr(similarity, "_slice_rows", lambda a, b: 0)
    similarity.TextSpace(texts, split=200, threads=3).similarity(rows, cols)
    # The word and the character products, each cut in _BANDS_PER_THREAD bands a thread, from
    # the first row to the last, as even as whole rows allow.
    assert len(cuts) == 2
    for edges in cuts:
        sizes = [b - a for a, b in itertools.pairwise(edges)]
        assert edges[0] == 0 and edges[-1] == 200 and len(sizes) == 3 * similarity._BANDS_PER_THREAD
        assert max(sizes) - min(sizes) <= 1


def test_a_product_taken_in_dense_slices_is_the_sparse_product_to_the_last_bit() -> None:
    # Texts over a small vocabulary share most of their character 4-grams: their product is
    # taken against dense slices of the other side, and must be the sparse product exactly (the
    # alignment's outputs are compared byte for byte).
    import random

    import numpy as np

    from plancmp import similarity

    rng = random.Random(11)
    vocabulary = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(3, 9))) for _ in range(60)]
    texts = [" ".join(rng.choices(vocabulary, k=rng.randint(5, 150))) for _ in range(600)]
    space = similarity.TextSpace(texts, split=300)
    a, b = space._char_n[:300], space._char_n[300:]
    assert not isinstance(a, np.ndarray)
    step = similarity._slice_rows(a, b)
    assert step >= similarity._SLICE_MIN
    expected = (a @ b.T).toarray()
    for threads in (1, 3):
        for rows in (1, 7, step, 300):
            assert np.array_equal(similarity._by_slices(a, b, rows, threads), expected), (threads, rows)
    assert np.array_equal(similarity._products(a, b, threads=2), expected)
    # Short texts share few of their features, though a dense slice would fit: the sparse product,
    # which skips the rest, is kept.
    words = ["".join(rng.choices("abcdef", k=5)) for _ in range(2000)]
    space = similarity.TextSpace([" ".join(rng.choices(words, k=3)) for _ in range(600)], split=300)
    assert not isinstance(space._char_n, np.ndarray)
    assert 8 * space._char_n.shape[1] * similarity._SLICE_MIN <= similarity._SLICE_BYTES
    assert similarity._slice_rows(space._char_n[:300], space._char_n[300:]) == 0
    assert similarity._slice_rows(space._word_n[:300], space._word_n[300:]) == 0


def test_an_alignment_leaves_its_matrices_to_no_cycle_collector() -> None:
    # The measures of long drafts run to hundreds of MB: they must be freed as soon as the groups
    # are built, not when Python's cycle collector next runs (after the diffs have forked, say).
    import gc

    from plancmp.align.steps import Aligner
    from plancmp.similarity import TextSpace

    drafts = Path(__file__).resolve().parent.parent / "drafts"
    old, new = load_document(str(drafts / "28-point.txt")), load_document(str(drafts / "20-point.txt"))
    gc.collect()
    gc.disable()  # no automatic collection may tidy up in the test's place
    try:
        groups = align_documents(old, new)
        left = [o for o in gc.get_objects() if isinstance(o, Aligner | TextSpace)]
    finally:
        gc.enable()
    assert len(groups) == 29 and left == []


def test_measures_kept_by_the_aligner_are_those_of_the_points_asked_for() -> None:
    # A scope's medians and runners-up, and a block's sorted values, are kept by the points they
    # were taken over: two scopes over other points must not share them.
    import numpy as np

    from plancmp.align.candidates import sorted_at
    from plancmp.align.steps import Aligner, Scope, medians

    drafts = Path(__file__).resolve().parent.parent / "drafts"
    old, new = load_document(str(drafts / "28-point.txt")), load_document(str(drafts / "20-point.txt"))
    aligner = Aligner(old, new, AlignOptions())
    aligner.measure()
    rows, cols = aligner.sim.rows, aligner.sim.cols
    for olds, news in ((rows, cols), (rows, cols[: len(cols) // 2]), (rows[:7], cols)):
        block = aligner.sim.block(olds, news)
        for axis in (0, 1):
            kept = aligner.sorted_at(olds, news, axis)
            assert kept.keys() == sorted_at(block, axis, aligner.options.candidates).keys()
            assert all(np.array_equal(kept[k], v) for k, v in sorted_at(block, axis, aligner.options.candidates).items())
        scope = Scope(aligner, olds, news, whole=False)
        scope.measure()
        assert list(scope.background_old.values()) == medians(block, 1).tolist()
        assert list(scope.background_new.values()) == medians(block, 0).tolist()
    aligner.release()


def test_the_partners_worth_a_look_for_a_literal_home_are_found_for_all_points_as_for_each() -> None:
    import random

    import numpy as np

    from plancmp.align.steps import Aligner, Scope

    # Each point's five words, alone on one side and among 200 others on the other: the two are
    # less alike than the threshold, but one holds all the other's words.
    rng = random.Random(4)
    vocabulary = [f"word{k}x" for k in range(3000)]
    olds, news = [], []
    for k in range(30):
        core, more = rng.sample(vocabulary, 5), rng.sample(vocabulary, 200)
        olds.append(core if k % 2 else core + more)
        news.append(core + more if k % 2 else core)
    old = read_text("".join(f"{k}. {' '.join(words)}.\n\n" for k, words in enumerate(olds, 1)), "old.txt")
    new = read_text("".join(f"{k}. {' '.join(words)}.\n\n" for k, words in enumerate(news, 1)), "new.txt")
    aligner = Aligner(old, new, AlignOptions())
    aligner.measure()
    opts = aligner.options
    scope = Scope(aligner, list(range(len(aligner.old.forest))), list(range(len(aligner.new.forest))))
    for side, contain in ((aligner.old, aligner.contain_old), (aligner.new, aligner.contain_new)):
        points = list(range(len(side.forest)))
        # Every other point's floor is its own best similarity, as regrouping's are one of its
        # own: a partner right at the floor is worth a look. The others' is nothing, so partners
        # that only share its words (below the threshold) come through too.
        rows = [aligner.sim.row(k)[1] if side.name == "old" else aligner.sim.column(k)[1] for k in points]
        floors = [float(row.max()) if k % 2 and len(row) else 0.0 for k, row in zip(points, rows, strict=True)]
        found = scope._literal_hopefuls(side, points, floors)
        looked = by_words = 0
        for k, floor, hopeful in zip(points, floors, found, strict=True):
            _, sims = aligner.sim.row(k) if side.name == "old" else aligner.sim.column(k)
            _, contains = contain.row(k)
            one = ((sims >= floor) & ((contains >= opts.containment) | (sims >= opts.threshold))).nonzero()[0]
            assert np.array_equal(hopeful, one), (side.name, k)
            looked += len(one)
            by_words += int(((sims[one] < opts.threshold) & (contains[one] >= opts.containment)).sum())
        assert looked > 10 and by_words > 5, side.name
    aligner.release()


def test_a_point_that_joins_a_group_during_regrouping_is_regrouped_by_its_own_similarities() -> None:
    # Old 5 and 7 merge into new 6 while old 6 goes into new 5: during regrouping, a point joins a
    # group further down the list and leads it from then on. That group is looked at with the
    # joined point's floor and partners, as point by point: the groups are those.
    words = {
        5: "W214 w188 w69 w40 w127 w275 w225 w198 w305 w104 w165",
        6: "W278 w94 w108 w183 w40 w42 w296 w202 w329 w162 w285 w237 w123 w171 w165 w14 w66",
        7: "W155 w146 w203",
    }
    same = {
        1: "W242 w82 w154 w295 w274 w97 w70 w21 w340", 2: "W139 w11 w191 w287 w129 w170 w333 w363 w24",
        3: "W278 w31 w152 w145 w60 w285 w262 w398 w114 w83 w173 w217 w1 w51",
        4: "W201 w126 w251 w362 w226 w143 w337 w35", 8: "W289 w265 w237 w118 w297 w264 w388",
        9: "W335 w147 w373 w271 w381 w31 w92 w42 w363 w259",
    }
    old = read_text("".join(f"{k}. {same.get(k) or words[k]}.\n\n" for k in range(1, 10)), "old.txt")
    new_words = {
        5: f"{words[5]} {words[6]}",
        6: "W214 w188 w69 w40 w127 w275 w225 w198 w305 w165 w155 w146 w203",
        7: "W214 w188 w69 w142 w174 w275 w225 w193 w305 w104 w315 w307",
    }
    new = read_text("".join(f"{k}. {same.get(k) or new_words[k]}.\n\n" for k in range(1, 10)), "new.txt")
    groups = [(g.old, g.new, g.status.value) for g in align_documents(old, new) if g.status.value != "unchanged"]
    assert groups == [(("5", "7"), ("6",), "merged"), ((), ("7",), "added"), (("6",), ("5",), "modified")]


def test_the_background_medians_are_numpy_s_to_the_last_bit() -> None:
    import numpy as np

    from plancmp.align.candidates import sorted_at
    from plancmp.align.steps import medians

    rng = np.random.default_rng(3)
    for shape in [(1, 1), (1, 2), (2, 1), (3, 4), (4, 3), (8, 7), (100, 101)]:
        values = rng.random(shape)
        values[values < 0.3] = 0.0  # ties, as similarities have: most pairs share nothing
        for axis in (0, 1):
            got, expected = medians(values, axis), np.median(values, axis=axis)
            assert got.shape == expected.shape and np.array_equal(got, expected), (shape, axis)
            # Read from the pass that finds the best pairs' bar too.
            assert np.array_equal(medians(values, axis, sorted_at(values, axis, 3)), expected), (shape, axis)


def test_best_pairs_are_above_the_threshold_and_among_either_point_s_few_best() -> None:
    import numpy as np

    from plancmp.align.candidates import best_pairs, sorted_at

    rng = np.random.default_rng(5)
    for shape in [(1, 1), (3, 9), (9, 3), (12, 30), (40, 40)]:
        m = rng.random(shape)
        m[m < 0.3] = 0.0
        keep = 4
        rows, cols = best_pairs(m, 0.5, keep, sorted_at(m, 1, keep), sorted_at(m, 0, keep))
        by_row, by_col = np.sort(m, axis=1), np.sort(m, axis=0)
        # Among the keep best of its row (or the row has no more), or of its column.
        row_bar = by_row[:, shape[1] - keep] if shape[1] > keep else np.zeros(shape[0])
        col_bar = by_col[shape[0] - keep, :] if shape[0] > keep else np.zeros(shape[1])
        expected = {
            (i, j) for i in range(shape[0]) for j in range(shape[1])
            if m[i, j] >= 0.5 and (m[i, j] >= row_bar[i] or m[i, j] >= col_bar[j])
        }
        assert set(zip(rows.tolist(), cols.tolist(), strict=True)) == expected, shape


def test_feature_ranks_are_numpy_s_inverse_however_many_codes() -> None:
    import numpy as np

    from plancmp import similarity

    rng = np.random.default_rng(5)
    for size, distinct in ((0, 1), (1, 1), (7, 300), (5000, 300), (300_000, 2**60)):
        codes = rng.integers(0, distinct, size, dtype=np.uint64)
        expected = np.unique(codes, return_inverse=True)[1].reshape(-1).astype(np.int64)
        got = similarity._ranks(codes)
        assert got.dtype == np.int64 and np.array_equal(got, expected), size


def _sorted_char_features(texts: list[str]) -> tuple[object, object]:
    """similarity._char_features with its ranks found by sorting every code (_ranks), as before lookups."""
    from plancmp import similarity

    lookup = similarity._gram_ranks
    similarity._gram_ranks = lambda *_: None  # type: ignore[assignment]
    try:
        return similarity._char_features(texts)
    finally:
        similarity._gram_ranks = lookup


@pytest.mark.parametrize(
    "texts",
    [
        ["ceasefire within 100 days", "", "a", "ceasefire as soon as possible", "ab cd"],
        ["припинення вогню протягом 100 днів", "Waffenstillstand binnen 100 Tagen", "ceasefire 停火 ceasefire"],
        # U+10061 and "a" give the same 64-bit code before "bcd" (the code wraps): one feature, as before.
        ["abcd abcd", "\U00010061bcd", "xabcd"],
    ],
)
def test_character_gram_ranks_looked_up_are_the_sorted_ones(texts: list[str]) -> None:
    import numpy as np

    from plancmp import similarity

    rows, ranks = similarity._char_features(texts)
    expected_rows, expected = _sorted_char_features(texts)
    assert np.array_equal(rows, expected_rows)
    assert ranks.dtype == np.int64 and np.array_equal(ranks, expected)


def test_wrapped_codes_share_a_feature_and_thousands_of_signs_are_sorted() -> None:
    import numpy as np

    from plancmp import similarity

    _, ranks = similarity._char_features(["abcd", "\U00010061bcd"])
    # " abc", "abcd", "bcd " | " \U00010061bc", "\U00010061bcd", "bcd ": 4 distinct codes, not 5.
    assert ranks.max() + 1 == 4 and ranks[1] == ranks[4]
    # 2,100 distinct signs: a table of their pairs would be too large, so the codes are sorted.
    signs = "".join(chr(0x4E00 + k) for k in range(2100))
    points = np.frombuffer(f" {signs} ".encode("utf-32-le"), dtype=np.uint32)
    assert similarity._gram_ranks(points, np.ones(points.size - 3, dtype=bool)) is None


def test_counted_keys_are_numpy_s_unique_counts() -> None:
    import numpy as np

    from plancmp import similarity

    rng = np.random.default_rng(8)
    for size, top in ((0, 1), (1, 1), (10, 3), (100_000, 5000), (100_000, 2**40)):
        keys = rng.integers(0, top, size, dtype=np.int64)
        expected = np.unique(keys, return_counts=True)
        got = similarity._counted(keys.copy())
        assert all(g.dtype == np.int64 and np.array_equal(g, e) for g, e in zip(got, expected, strict=True)), size


def test_the_space_lets_go_of_its_whole_draft_products_once_the_blocks_are_cut() -> None:
    import numpy as np

    from plancmp.align.steps import Aligner

    old, new = load_document(ROOT / "drafts/28-point.txt"), load_document(ROOT / "drafts/20-point.txt")
    aligner = Aligner(old, new, AlignOptions(skip=("descendants",)))
    aligner.measure()
    # The old × new products (64 MB at 2,000 points a side) are not held through the steps.
    space = aligner.texts.space
    assert "_cache" not in vars(space)
    # Asked for again, they are computed again, to the same values the blocks were cut from.
    rows = [aligner.texts.whole("old", i) for i in aligner.contain_old.rows]
    cols = [aligner.texts.whole("new", j) for j in aligner.contain_old.cols]
    assert len(rows) == len(list(old.walk())) == 37
    assert np.array_equal(space.containment(rows, cols), aligner.contain_old.values)


def test_a_whole_side_asked_for_is_the_same_block_as_one_gathered_row_by_row() -> None:
    import numpy as np

    from plancmp.similarity import TextSpace

    old, new = load_document(ROOT / "drafts/28-point.txt"), load_document(ROOT / "drafts/20-point.txt")
    texts = [p.text for p in old.walk()] + [p.text for p in new.walk()]
    split = len(list(old.walk()))
    space = TextSpace(texts, split=split)
    rows, cols = list(range(split)), list(range(split, len(texts)))
    for measure in (space.similarity, space.containment):
        whole = measure(rows, cols)
        # Asked for in reverse, the rows and columns are gathered one by one.
        gathered = measure(rows[::-1], cols[::-1])[::-1, ::-1]
        assert whole.shape == (37, len(cols)) and np.array_equal(whole, gathered)
        assert np.array_equal(measure(cols, rows), measure(cols[::-1], rows[::-1])[::-1, ::-1])
        whole[0, 0] = -1.0  # the caller's own copy: the space's is untouched
        assert measure(rows, cols)[0, 0] != -1.0


def test_a_block_asked_for_whole_is_itself_read_only_and_a_part_is_a_copy() -> None:
    import numpy as np

    from plancmp.align.candidates import Block

    values = np.arange(12, dtype=float).reshape(3, 4)
    block = Block(values, [4, 6, 8], [1, 3, 5, 7], 10, 10)
    whole = block.block([4, 6, 8], [1, 3, 5, 7])
    assert np.shares_memory(whole, values) and not whole.flags.writeable
    with pytest.raises(ValueError):
        whole[0, 0] = -1.0
    part = block.block([8, 4], [3, 7])
    assert part.tolist() == [[9.0, 11.0], [1.0, 3.0]] and not np.shares_memory(part, values)
    part[0, 0] = -1.0
    assert values[2, 1] == 9.0
