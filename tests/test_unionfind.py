"""Disjoint sets: the exact groups unions make, named by their least item whatever the order of the
unions, and the same answers however much of the tree `find` has compressed."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from plancmp.unionfind import UnionFind


def test_unions_make_exactly_these_groups_in_the_order_items_joined() -> None:
    sets = UnionFind("abcdef")
    sets.union("a", "c")
    sets.union("e", "d")
    sets.union("c", "e")
    assert list(sets.sets().items()) == [("a", ["a", "c", "d", "e"]), ("b", ["b"]), ("f", ["f"])]
    assert [sets.find(x) for x in "abcdef"] == ["a", "b", "a", "a", "a", "f"]


def test_an_item_first_seen_by_find_or_union_joins_as_its_own_set() -> None:
    sets: UnionFind[str] = UnionFind()
    assert sets.find("z") == "z"
    sets.union("y", "x")
    assert list(sets.sets().items()) == [("z", ["z"]), ("x", ["y", "x"])]


def test_the_root_is_the_least_item_whatever_the_order_of_the_unions() -> None:
    # The aligner's items: (side, index) pairs, as align/assign.py joins them.
    unions = [(("new", 2), ("old", 5)), (("old", 5), ("old", 1)), (("new", 0), ("new", 2)), (("old", 9), ("old", 8))]
    answers = set()
    for order in itertools.permutations(unions):
        for flipped in (False, True):
            sets: UnionFind[tuple[str, int]] = UnionFind()
            for a, b in order:
                sets.union(*((b, a) if flipped else (a, b)))
            answers.add(tuple(sorted((root, tuple(sorted(items))) for root, items in sets.sets().items())))
    assert answers == {(
        (("new", 0), (("new", 0), ("new", 2), ("old", 1), ("old", 5))),
        (("old", 8), (("old", 8), ("old", 9))),
    )}


def test_path_compression_shortens_the_path_and_changes_no_answer() -> None:
    sets = UnionFind(range(10))
    # Each union puts the old root under a lesser one: 9 → 8 → … → 0, a path of nine steps.
    for k in range(9, 0, -1):
        sets.union(k, k - 1)
    assert [sets._parent[k] for k in range(10)] == [0, 0, 1, 2, 3, 4, 5, 6, 7, 8]
    assert sets.find(9) == 0
    # Halved: every other node on 9's way up now points to its grandparent.
    assert [sets._parent[k] for k in range(10)] == [0, 0, 1, 1, 3, 3, 5, 5, 7, 7]
    assert [sets.find(k) for k in range(10)] == [0] * 10
    assert sets.sets() == {0: list(range(10))}


@given(st.lists(st.tuples(st.sampled_from(["union", "find"]), st.integers(0, 12), st.integers(0, 12)), max_size=60))
def test_answers_match_plain_connected_components_after_any_unions_and_finds(
    operations: list[tuple[str, int, int]],
) -> None:
    sets: UnionFind[int] = UnionFind()
    groups: dict[int, set[int]] = {}
    seen: list[int] = []

    def meet(x: int) -> None:
        if x not in groups:
            groups[x] = {x}
            seen.append(x)

    for op, a, b in operations:
        if op == "find":
            meet(a)
            # A find between unions compresses paths: the later answers must not change for it.
            assert sets.find(a) == min(groups[a])
            continue
        meet(a)
        meet(b)
        sets.union(a, b)
        merged = groups[a] | groups[b]
        for x in merged:
            groups[x] = merged
    expected: dict[int, list[int]] = {}
    for x in seen:
        expected.setdefault(min(groups[x]), []).append(x)
    assert list(sets.sets().items()) == list(expected.items())
