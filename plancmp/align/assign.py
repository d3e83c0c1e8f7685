"""Optimal one-to-one assignment, connected components of candidate links, longest in-order runs."""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence

from plancmp.unionfind import UnionFind

_SMALL_ASSIGNMENT = 1_200_000
"""Most work (fewer side² × larger side) given to the solver here; past it, scipy's. Importing
scipy.optimize costs 0.15-0.3 s and 27 MB, while this solves the 60-100-point components of a
2,000-point rewrite or of real statutes in 1-3 ms each, and its worst cases at this bound (about
106 × 106: every row alike, or costs i × j) in 0.07 s. Where several assignments are equally
good (tied scores) it may pick another of them than scipy would; on every component measured it
picked scipy's (bench/PROFILE.md)."""


def _hungarian(cost: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Minimum-cost assignment of every row to a distinct column (rows ≤ columns).

    The shortest-augmenting-path form of the Hungarian method, O(rows² × columns) at worst and far
    less on the sparse costs of candidate links; used for components within _SMALL_ASSIGNMENT,
    where importing scipy would cost more than solving.
    """
    n, m = len(cost), len(cost[0])
    inf = math.inf
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    p = [0] * (m + 1)
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = p[j0]
            delta = inf
            j1 = 0
            row = cost[i0 - 1]
            for j in range(1, m + 1):
                if not used[j]:
                    cur = row[j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j] = cur
                        way[j] = j0
                    if minv[j] < delta:
                        delta = minv[j]
                        j1 = j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    return sorted((p[j] - 1, j - 1) for j in range(1, m + 1) if p[j] != 0)


def assign(cost: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Minimum-cost one-to-one assignment of a rectangular cost matrix, as (row, column) pairs."""
    n = len(cost)
    m = len(cost[0]) if n else 0
    if not n or not m:
        return []
    if min(n, m) ** 2 * max(n, m) > _SMALL_ASSIGNMENT:
        from scipy.optimize import linear_sum_assignment

        rows, cols = linear_sum_assignment(cost)
        return sorted(zip((int(r) for r in rows), (int(c) for c in cols)))
    if n <= m:
        return _hungarian(cost)
    transposed = [[cost[i][j] for i in range(n)] for j in range(m)]
    return sorted((i, j) for j, i in _hungarian(transposed))


def cost_matrix(
    rows: Sequence[int], cols: Sequence[int], score: dict[tuple[int, int], float]
) -> list[list[float]]:
    """Negated scores of one component's candidate links, 0 where two points are no candidates."""
    col_of = {c: k for k, c in enumerate(cols)}
    row_of = {r: k for k, r in enumerate(rows)}
    cost = [[0.0] * len(cols) for _ in rows]
    for (a, b), value in score.items():
        if a in row_of and b in col_of:
            cost[row_of[a]][col_of[b]] = -value
    return cost


def components(edges: Sequence[tuple[int, int]]) -> list[tuple[list[int], list[int]]]:
    """Connected components of a bipartite graph, as (rows, columns), in a stable order."""
    sets: UnionFind[tuple[str, int]] = UnionFind()
    for i, j in edges:
        sets.union(("r", i), ("c", j))
    comps: dict[tuple[str, int], tuple[set[int], set[int]]] = {}
    for i, j in edges:
        rows, cols = comps.setdefault(sets.find(("r", i)), (set(), set()))
        rows.add(i)
        cols.add(j)
    return [(sorted(r), sorted(c)) for r, c in sorted(comps.values(), key=lambda rc: (min(rc[0]), min(rc[1])))]


def longest_increasing(values: Sequence[float]) -> set[int]:
    """Indexes of one longest strictly increasing subsequence (the earliest-ending one)."""
    tails: list[int] = []
    prev = [-1] * len(values)
    tail_values: list[float] = []
    for i, v in enumerate(values):
        k = bisect.bisect_left(tail_values, v)
        if k == len(tail_values):
            tail_values.append(v)
            tails.append(i)
        else:
            tail_values[k] = v
            tails[k] = i
        prev[i] = tails[k - 1] if k > 0 else -1
    keep: set[int] = set()
    i = tails[-1] if tails else -1
    while i >= 0:
        keep.add(i)
        i = prev[i]
    return keep
