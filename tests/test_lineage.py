"""Lineages through a chain of drafts, and where the direct comparison disagrees with the steps."""

from __future__ import annotations

from pathlib import Path

from plancmp.compare import CompareOptions, compare_chain
from plancmp.model import Placement, Position, Selector, Stance
from plancmp.parse import load_document
from plancmp.parse.from_text import read_text
from plancmp.parse.from_toml import PositionsFile, load_negotiation, load_positions

ROOT = Path(__file__).resolve().parent.parent

A = "The armed forces are capped at 600,000 personnel."
B = "Elections will be held within 100 days after signing."
C = "A full amnesty is granted to all parties for acts committed during the war."
D = "Prisoners are exchanged all for all, and civilians and children return home."
E = "An accelerated free-trade agreement with the United States will be concluded."


def chain_of(*drafts: list[str]):  # type: ignore[no-untyped-def]
    docs = tuple(read_text("\n".join(f"{n}. {t}" for n, t in enumerate(d, 1)), f"d{k}.txt") for k, d in enumerate(drafts))
    return compare_chain(docs, tuple(f"d{k}" for k in range(len(drafts))))


def test_paths_through_renumbering_drops_and_additions() -> None:
    chain = chain_of([A, B, C, D], [A, B, D], [A, D, E], [A, D, E])
    assert [lineage.path for lineage in chain.lineages] == [
        "1 → 1 → 1 → 1",
        "2 → 2 → — → —",
        "3 → — → — → —",
        "4 → 3 → 2 → 2",
        "— → — → 3 → 3 (new)",
    ]
    assert all(not lineage.note for lineage in chain.lineages)
    assert [len(groups) for groups in chain.lineages[3].steps] == [1, 1, 1]


def test_text_dropped_and_restored_is_one_row_flagged_restored() -> None:
    chain = chain_of([A, B, C], [A, C], [A, B, C])
    rows = [(lineage.path, lineage.restored, lineage.note) for lineage in chain.lineages]
    assert rows == [
        ("1 → 1 → 1", False, ""),
        ("2 → — → 2 (restored)", True, ""),
        ("3 → 2 → 3", False, ""),
    ]
    restored = chain.lineages[1]
    assert [[g.status.value for g in step] for step in restored.steps] == [["dropped"], ["added"]]
    assert [(g.old, g.new) for g in restored.direct] == [(("2",), ("2",))]


def test_a_point_restored_after_two_drafts_without_it_is_one_row_too() -> None:
    chain = chain_of([A, B, C], [A, C], [C, A], [A, B, C])
    assert [lineage.path for lineage in chain.lineages if lineage.restored] == ["2 → — → — → 2 (restored)"]
    assert len(chain.lineages) == 3  # A, C, and B: no separate "new" row for B's return


def test_a_point_that_came_back_reworded_is_restored() -> None:
    # Linked on its words (similarity 0.22, above the 0.18 the aligner links leftovers on): restored.
    back = "Fresh elections are to take place once 100 days have passed since signature."
    chain = chain_of([A, B, C], [A, C], [A, back, C])
    assert [lineage.path for lineage in chain.lineages] == ["1 → 1 → 1", "2 → — → 2 (restored)", "3 → 2 → 3"]


def test_a_restored_point_says_what_changed_while_it_was_gone() -> None:
    from plancmp.render.history import restored_note

    # The steps hold no link between the point that went and the one that came back: the direct
    # comparison's changes are given.
    back = B.replace("will be held", "will not be held")
    chain = chain_of([A, B, C], [A, C], [A, back, C])
    assert restored_note(chain, chain.lineages[1]) == (
        "dropped at d1, restored at d2 · negation added: Elections will not be held within 100 days after signing"
    )
    # Several changes, each said; back reworded with none of substance; and no note where none was restored.
    back = "Elections will not be held within 120 days after signing."
    chain = chain_of([A, B, C], [A, C], [A, back, C])
    assert restored_note(chain, chain.lineages[1]) == (
        "dropped at d1, restored at d2 · deadline extended: within 100 days after signing → within 120 days after "
        "signing (+20 days); negation added: Elections will not be held within 120 days after signing"
    )
    chain = chain_of([A, B, C], [A, C], [A, "Elections are held within 100 days after signing.", C])
    assert [restored_note(chain, lineage) for lineage in chain.lineages] == ["", "dropped at d1, restored at d2, reworded", ""]


def test_only_the_point_that_came_back_is_restored() -> None:
    # B is dropped for good, E dropped and brought back: the direct comparison's link of E to its
    # return is E's alone, not B's.
    chain = chain_of([A, B, C, E], [A, C], [A, C, E])
    assert [(lineage.path, lineage.restored) for lineage in chain.lineages] == [
        ("1 → 1 → 1", False), ("2 → — → —", False), ("3 → 2 → 2", False), ("4 → — → 3 (restored)", True),
    ]


def test_a_point_of_other_words_in_a_dropped_point_s_place_is_no_restoration() -> None:
    # The direct comparison links B to the elections point in its place (by place, similarity
    # 0.11): a rewrite at most. The rows stay two, and each says what the direct comparison found.
    other = "Elections are monitored by the OSCE and its observers."
    chain = chain_of([A, B, C], [A, C], [A, other, C])
    assert [(lineage.path, lineage.restored, lineage.note) for lineage in chain.lineages] == [
        ("1 → 1 → 1", False, ""),
        ("— → — → 2 (new)", False, "new at d2, but the direct comparison links it to d0 2: restored text?"),
        ("2 → — → —", False, "dropped at d1, but the direct comparison finds it again as d2 2: text dropped and later restored?"),
        ("3 → 2 → 3", False, ""),
    ]


def test_bundled_negotiation_lineages() -> None:
    negotiation = load_negotiation(str(ROOT / "drafts" / "negotiation.toml"))
    docs = tuple(load_document(d.path) for d in negotiation.drafts)
    chain = compare_chain(docs, tuple(d.label for d in negotiation.drafts),
                          CompareOptions(positions=load_positions(negotiation.positions or "")))
    paths = [lineage.path for lineage in chain.lineages]
    assert "6 → 6 → 4 → 4" in paths
    assert "26 → 26 → — → —" in paths
    assert "— → — → — → 10 (new)" in paths
    assert "12 → 12 → 8 → 8+9" in paths
    assert "7+8 → 7+8 → 5 → —" in paths
    assert len(paths) == 28
    eu_cap = next(pp for pp in chain.positions if pp.position.party == "EU" and pp.position.selector.point == "6")
    assert (eu_cap.placement, eu_cap.old_points, eu_cap.new_points) == (Placement.STALE, ("6",), ("4",))
    assert eu_cap.changed[0] == "28-point European: 600,000 personnel → 800,000 personnel; condition added: in peacetime"


def test_positions_are_carried_step_by_step_or_resolved() -> None:
    docs = tuple(
        read_text("\n".join(f"{n}. {t}" for n, t in enumerate(d, 1)), f"d{k}.txt")
        for k, d in enumerate([[A, B, C], [B, A.replace("600,000", "800,000"), C], [B, A.replace("600,000", "800,000")]])
    )
    stated = (
        Position("UA", Stance.REJECTS, "d0", Selector(point="1"), origin="p:1"),
        Position("UA", Stance.OBJECTS, "d0", Selector(point="3"), origin="p:2"),
        Position("UA", Stance.SUPPORTS, "d1", Selector(point="1"), origin="p:3"),
    )
    chain = compare_chain(docs, ("d0", "d1", "d2"), CompareOptions(positions=PositionsFile("p", (), stated)))
    assert [(pp.placement, pp.old_points, pp.new_points, pp.changed) for pp in chain.positions] == [
        (Placement.STALE, ("1",), ("2",), ("d1: 600,000 personnel → 800,000 personnel",)),
        (Placement.RESOLVED, ("3",), (), ("dropped at d2",)),
        (Placement.CARRIED, ("1",), ("1",), ()),
    ]


def test_each_lineage_holds_exactly_the_step_and_direct_groups_of_its_points() -> None:
    negotiation = load_negotiation(str(ROOT / "drafts" / "negotiation.toml"))
    docs = tuple(load_document(d.path) for d in negotiation.drafts)
    chain = compare_chain(docs, tuple(d.label for d in negotiation.drafts))
    seen = [0] * len(chain.steps)
    for lineage in chain.lineages:
        for k, step in enumerate(chain.steps):
            old, new = set(lineage.ids[k]), set(lineage.ids[k + 1])
            assert lineage.steps[k] == tuple(g for g in step.groups if old & set(g.old) or new & set(g.new))
            seen[k] += len(lineage.steps[k])
        first, last = set(lineage.ids[0]), set(lineage.ids[-1])
        assert lineage.direct == tuple(g for g in chain.direct.groups if first & set(g.old) or last & set(g.new))
    # Every group of every step is in exactly one lineage.
    assert seen == [len(step.groups) for step in chain.steps]
