"""Which old points became which new points: 1:1, merges, splits, moves, drops and additions.

The design, level by level (top-level points, then the sub-points inside each aligned pair):

1. Pins: links the analyst forced (`--pin 6=4`, `12=8+9`, `26=-`) are taken as given.
2. Anchors: points whose text is identical after normalisation are linked; copies of one text
   are paired by position, so identical boilerplate is never cross-linked.
3. Assignment: the rest are linked one to one by an optimal assignment (Hungarian) on TF-IDF
   similarity plus a weak position prior, keeping links above a threshold that stand out from
   their runners-up; a point the assignment paired elsewhere but which plainly lies inside
   another linked point is moved into that point's group (a merge or split part).
4. Leftovers: a point whose words lie mostly inside a nearby linked point on the other side, or
   which makes that group read better, joins it — a merge (n:1) or a split (1:n).
5. Weak links: leftovers that are each other's clear best match, and the lone leftovers of a gap
   between in-order links (a provision rewritten in its slot), provided each pair is several
   times more alike than either point is to the other draft at large.
6. Groups: statuses, renumbering, and moves — the links off the longest run that keeps both
   drafts' order, judged on each group's most alike pair.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from plancmp.errors import UsageError
from plancmp.model import Document, Group, Point, Status
from plancmp.normalise import normalise_text
from plancmp.numbering import normalise_id


@dataclass(frozen=True)
class Pin:
    """A link the analyst forces: old ids ↔ new ids (either side may be empty: dropped, added)."""

    old: tuple[str, ...]
    """Old ids, normalised."""
    new: tuple[str, ...]
    """New ids, normalised."""
    text: str
    """The pin as typed, for messages."""


@dataclass(frozen=True)
class AlignOptions:
    """Knobs of the aligner; the defaults are the benchmarked ones."""

    threshold: float = 0.25
    """Least similarity for a one-to-one link found by assignment."""
    containment: float = 0.7
    """Least share of a leftover point's words found in a partner to make a merge or split."""
    containment_floor: float = 0.1
    """Least similarity a merge or split partner must also have."""
    merge_gain: float = 0.04
    """Least rise in a group's similarity for a reworded part to join it as a merge or split."""
    weak_threshold: float = 0.18
    """Least similarity for leftovers that are each other's clear best match to be linked."""
    weak_margin: float = 1.6
    """How many times better than the runner-up a weak match (or a modest assigned link) must be."""
    confident: float = 0.4
    """Assigned links at least this similar need not stand out from their runners-up."""
    gap_floor: float = 0.05
    """Least similarity for the lone leftovers of a gap between in-order links to be linked."""
    lift: float = 2.5
    """How many times more alike a weak pair must be than each point is to the other draft at large."""
    regroup_margin: float = 0.15
    """How much more alike a point must be to a merge or split partner than to its assigned one to move."""
    part_window: int = 3
    """How many places from the other members of its group a merge or split part may stand."""
    sibling_limit: float = 0.5
    """Similarity to a group member above which a candidate part is a boilerplate sibling, not a part."""
    candidates: int = 10
    """How many best partners of each point the assignment considers."""
    prior: float = 0.04
    """Weight of the position prior that breaks ties between near-identical candidates."""
    prior_width: float = 4.0
    """How many positions away from its expected place a candidate still gets some prior."""
    pins: tuple[Pin, ...] = ()
    """Links forced by the analyst."""


def parse_pin(text: str) -> Pin:
    """Parse "6=4", "12=8+9", "3+4=2", "26=-" or "-=10"; raise UsageError on anything else."""
    left, sep, right = text.partition("=")
    if not sep or not left.strip() or not right.strip() or "=" in right:
        raise UsageError(
            f"--pin {text}: write OLD=NEW, e.g. 6=4, 12=8+9 (split), 3+4=2 (merge), 26=- (dropped), -=10 (added)"
        )

    def ids(side: str) -> tuple[str, ...]:
        side = side.strip()
        if side == "-":
            return ()
        parts = [p.strip() for p in side.split("+")]
        if any(not p for p in parts):
            raise UsageError(f"--pin {text}: an empty id in '{side}'")
        return tuple(normalise_id(p) for p in parts)

    old, new = ids(left), ids(right)
    if not old and not new:
        raise UsageError(f"--pin {text}: at least one side must name a point")
    if len(old) > 1 and len(new) > 1:
        raise UsageError(f"--pin {text}: a pin links one point to several, or several to one, not many to many")
    return Pin(old=old, new=new, text=text)


# -- assignment ---------------------------------------------------------------------------------

_BACKGROUND_MIN = 5
"""Fewest points on each side for "how alike is a point to the other draft in general" to mean much."""
_SMALL_ASSIGNMENT = 60
"""Above this many rows or columns, scipy's solver; below, the one here (scipy costs ~0.7 s to import)."""


def _hungarian(cost: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Minimum-cost assignment of every row to a distinct column (rows ≤ columns).

    The shortest-augmenting-path form of the Hungarian method, O(rows² × columns); used only for
    small components, where importing scipy would cost more than solving.
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
    if max(n, m) > _SMALL_ASSIGNMENT:
        from scipy.optimize import linear_sum_assignment

        rows, cols = linear_sum_assignment(cost)
        return sorted(zip((int(r) for r in rows), (int(c) for c in cols)))
    if n <= m:
        return _hungarian(cost)
    transposed = [[cost[i][j] for i in range(n)] for j in range(m)]
    return sorted((i, j) for j, i in _hungarian(transposed))


def _cost_matrix(
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


def _components(edges: Sequence[tuple[int, int]]) -> list[tuple[list[int], list[int]]]:
    """Connected components of a bipartite graph, as (rows, columns), in a stable order."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x: tuple[str, int]) -> tuple[str, int]:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in edges:
        a, b = find(("r", i)), find(("c", j))
        if a != b:
            parent[max(a, b)] = min(a, b)
    comps: dict[tuple[str, int], tuple[set[int], set[int]]] = {}
    for i, j in edges:
        rows, cols = comps.setdefault(find(("r", i)), (set(), set()))
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


# -- alignment ----------------------------------------------------------------------------------


@dataclass(eq=False)
class _Pending:
    """A group being built: indexes into the level's old and new lists (compared by identity)."""

    old: list[int] = field(default_factory=list)
    """Indexes of its old points."""
    new: list[int] = field(default_factory=list)
    """Indexes of its new points."""
    pinned: bool = False
    """Forced by --pin: nothing joins or leaves it."""
    anchored: bool = False
    """Identical text on both sides."""

    def side(self, name: str) -> list[int]:
        """The member indexes on one side ("old" or "new")."""
        return self.old if name == "old" else self.new


@dataclass
class _Side:
    """One side of a level being aligned, so merges and splits share one piece of code."""

    name: str
    """ "old" or "new"."""
    points: list[Point]
    """The level's points on this side."""
    rows: list[int]
    """Each point's row in the text space (-1 for text settled before the space was built)."""
    norm: list[str]
    """Each point's normalised full text."""
    group_of: dict[int, _Pending] = field(default_factory=dict)
    """The group each linked point belongs to."""
    excluded: set[int] = field(default_factory=set)
    """Points pinned away (dropped or added by --pin)."""

    def free(self) -> list[int]:
        """Indexes of points not yet in any group nor pinned away."""
        return [k for k in range(len(self.points)) if k not in self.group_of and k not in self.excluded]


class _Aligner:
    def __init__(self, old: Document, new: Document, options: AlignOptions) -> None:
        """Index the pins and build the text space over every point not settled by identical text."""
        from plancmp.similarity import TextSpace

        self.options = options
        self.old_doc, self.new_doc = old, new
        self.pins_old: dict[str, Pin] = {}
        self.pins_new: dict[str, Pin] = {}
        self._index_pins()
        self.applied: set[Pin] = set()
        self.norm_old = {p.id: normalise_text(p.full_text) for p in old.walk()}
        self.norm_new = {p.id: normalise_text(p.full_text) for p in new.walk()}
        # A top-level text found as often in one draft as in the other (pins aside) is anchored
        # whatever else happens, with all its sub-points: no similarity is ever asked of it, so
        # the text space is built without it — most of a long revision, usually.
        counts_old = Counter(self.norm_old[p.id] for p in old.points if p.id not in self.pins_old)
        counts_new = Counter(self.norm_new[p.id] for p in new.points if p.id not in self.pins_new)
        settled = {t for t, n in counts_old.items() if counts_new.get(t) == n}
        old_all = [p for top in old.points if top.id in self.pins_old or self.norm_old[top.id] not in settled
                   for p in top.walk()]
        new_all = [p for top in new.points if top.id in self.pins_new or self.norm_new[top.id] not in settled
                   for p in top.walk()]
        self.row_old = {p.id: i for i, p in enumerate(old_all)}
        self.row_new = {p.id: len(old_all) + i for i, p in enumerate(new_all)}
        self.space = TextSpace([p.full_text for p in old_all] + [p.full_text for p in new_all], split=len(old_all))

    def _index_pins(self) -> None:
        """Check every pin names existing points, once, at one level; index them by id."""
        for pin in self.options.pins:
            for side, ids, doc, table in (
                ("old", pin.old, self.old_doc, self.pins_old),
                ("new", pin.new, self.new_doc, self.pins_new),
            ):
                for pid in ids:
                    if doc.find(pid) is None:
                        raise UsageError(
                            f"--pin {pin.text}: the {side} draft ({doc.source}) has no point {pid}"
                        )
                    if pid in table:
                        raise UsageError(
                            f"--pin {pin.text}: {side} point {pid} is already pinned by --pin {table[pid].text}"
                        )
                    table[pid] = pin
            depths = {pid.count(".") for pid in pin.old + pin.new}
            if len(depths) > 1:
                raise UsageError(f"--pin {pin.text}: pin points of one level (all top-level, or all sub-points)")

    def align(self) -> tuple[Group, ...]:
        """The top-level groups (with their sub-point groups), or UsageError for a pin left unused."""
        groups = _Level(self, list(self.old_doc.points), list(self.new_doc.points)).run()
        unused = [p for p in self.options.pins if p not in self.applied]
        if unused:
            raise UsageError(
                f"--pin {unused[0].text}: these sub-points lie in points that are not aligned "
                "with each other; pin their parent points too"
            )
        return groups


class _Level:
    """One level of sibling points (the top level, or the sub-points of an aligned pair), aligned."""

    def __init__(self, aligner: _Aligner, olds: list[Point], news: list[Point]) -> None:
        """A level of old and new sibling points, nothing linked yet."""
        self.aligner = aligner
        self.space = aligner.space
        self.opts = aligner.options
        self.old = _Side("old", olds, [aligner.row_old.get(p.id, -1) for p in olds], [aligner.norm_old[p.id] for p in olds])
        self.new = _Side("new", news, [aligner.row_new.get(p.id, -1) for p in news], [aligner.norm_new[p.id] for p in news])
        self.pending: list[_Pending] = []
        self._top: tuple[tuple[Any, Any, Any], tuple[Any, Any, Any]] | None = None

    def measure(self) -> None:
        """Every similarity this level can need, computed at once for the points still free.

        Lookups are then cheap, and the background (how alike a point is to the other draft in
        general) needs whole rows and columns. Points already pinned or identical to a point on the
        other side are left out, reading as 0: nothing else is ever linked to them. In a long
        revision most points are identical, so the matrices hold only the few that are not.
        """
        import numpy as np

        n_old, n_new = len(self.old.points), len(self.new.points)
        free_old, free_new = self.old.free(), self.new.free()
        self.background_old, self.background_new = [0.0] * n_old, [0.0] * n_new
        if not free_old or not free_new:
            self.sim, self.contain_old = _Block.empty(n_old, n_new), _Block.empty(n_old, n_new)
            self.contain_new = _Block.empty(n_new, n_old)
            return
        rows_old = [self.old.rows[i] for i in free_old]
        rows_new = [self.new.rows[j] for j in free_new]
        sub = self.space.similarity(rows_old, rows_new)
        self.sim = _Block(sub, free_old, free_new, n_old, n_new)
        self.contain_old = _Block(self.space.containment(rows_old, rows_new), free_old, free_new, n_old, n_new)
        self.contain_new = _Block(self.space.containment(rows_new, rows_old), free_new, free_old, n_new, n_old)
        for i, value in zip(free_old, np.median(sub, axis=1)):
            self.background_old[i] = float(value)
        for j, value in zip(free_new, np.median(sub, axis=0)):
            self.background_new[j] = float(value)

    # -- helpers -------------------------------------------------------------------------------

    def s(self, i: int, j: int) -> float:
        """Similarity of old point i and new point j."""
        return self.sim.get(i, j)

    def pair_sim(self, side: _Side, k: int, partner: int) -> float:
        """Similarity of point k on side and point partner on the other side."""
        return self.s(k, partner) if side.name == "old" else self.s(partner, k)

    def contained(self, side: _Side, k: int, partner: int) -> float:
        """Share of point k's words found in partner (on the other side)."""
        return (self.contain_old if side.name == "old" else self.contain_new).get(k, partner)

    def lift(self, i: int, j: int) -> float:
        """How many times more alike i and j are than each is to the other draft in general."""
        if min(len(self.old.points), len(self.new.points)) < _BACKGROUND_MIN:
            # With a handful of points there is no background to speak of: place decides.
            return math.inf
        background = max(self.background_old[i], self.background_new[j], 0.005)
        return self.s(i, j) / background

    def link(self, olds: list[int], news: list[int], pinned: bool = False, anchored: bool = False) -> _Pending:
        """A new group of these points."""
        g = _Pending(list(olds), list(news), pinned, anchored)
        self.pending.append(g)
        for i in olds:
            self.old.group_of[i] = g
        for j in news:
            self.new.group_of[j] = g
        return g

    def unlink(self, g: _Pending) -> None:
        """Dissolve a group, freeing its points."""
        self.pending.remove(g)
        for i in g.old:
            del self.old.group_of[i]
        for j in g.new:
            del self.new.group_of[j]

    def same_side_sim(self, side: _Side, a: int, b: int) -> float:
        """Similarity of two points of the same draft."""
        # One pair of rows: the summed-vector cosine avoids a sparse matrix product per call.
        return self.space.group_similarity([side.rows[a]], [side.rows[b]])

    # -- the steps -----------------------------------------------------------------------------

    def run(self) -> tuple[Group, ...]:
        """All the steps, in order; the level's groups in reading order."""
        self.pin()
        self.anchor()
        self.measure()
        self.assign_links()
        self.regroup()
        self.attach(self.old, self.new)
        self.attach(self.new, self.old)
        self.weak_pairs()
        self.fill_gaps()
        return self.finish()

    def pin(self) -> None:
        """1. Links the analyst forced."""
        old_index = {p.id: i for i, p in enumerate(self.old.points)}
        new_index = {p.id: j for j, p in enumerate(self.new.points)}
        a = self.aligner
        for pin in dict.fromkeys([*a.pins_old.values(), *a.pins_new.values()]):
            if not all(pid in old_index for pid in pin.old) or not all(pid in new_index for pid in pin.new):
                continue
            a.applied.add(pin)
            olds, news = [old_index[p] for p in pin.old], [new_index[p] for p in pin.new]
            if olds and news:
                self.link(olds, news, pinned=True)
            self.old.excluded.update(olds)
            self.new.excluded.update(news)

    def anchor(self) -> None:
        """2. Identical text after normalisation; copies of one text paired by position."""
        by_text: dict[str, tuple[list[int], list[int]]] = {}
        for i in self.old.free():
            by_text.setdefault(self.old.norm[i], ([], []))[0].append(i)
        for j in self.new.free():
            if self.new.norm[j] in by_text:
                by_text[self.new.norm[j]][1].append(j)
        n_old, n_new = max(len(self.old.points) - 1, 1), max(len(self.new.points) - 1, 1)
        anchors: list[tuple[int, int]] = []
        for ois, njs in by_text.values():
            if ois and njs:
                cost = [[abs(i / n_old - j / n_new) for j in njs] for i in ois]
                anchors.extend((ois[a], njs[b]) for a, b in assign(cost))
        for i, j in sorted(anchors):
            self.link([i], [j], anchored=True)

    def assign_links(self) -> None:
        """3. One-to-one links by optimal assignment on similarity, with a weak position prior."""
        opts = self.opts
        free_old, free_new = self.old.free(), self.new.free()
        if not free_old or not free_new:
            return
        expected = self.expected_positions()
        sub = self.sim.block(free_old, free_new)
        score: dict[tuple[int, int], float] = {}
        rows_idx, cols_idx = _candidates(sub, opts.threshold, opts.candidates)
        for a, b in zip(rows_idx.tolist(), cols_idx.tolist()):
            i, j = free_old[a], free_new[b]
            closeness = max(0.0, 1.0 - abs(expected[i] - j) / opts.prior_width)
            score[(a, b)] = float(sub[a, b]) + opts.prior * closeness
        components = _components(list(score))
        component_of = {a: k for k, (rows, _) in enumerate(components) for a in rows}
        scores: list[dict[tuple[int, int], float]] = [{} for _ in components]
        for (a, b), value in score.items():
            scores[component_of[a]][(a, b)] = value
        for (comp_rows, comp_cols), comp_score in zip(components, scores):
            for r, c in assign(_cost_matrix(comp_rows, comp_cols, comp_score)):
                a, b = comp_rows[r], comp_cols[c]
                if (a, b) not in comp_score:
                    continue
                i, j = free_old[a], free_new[b]
                # A modest link must stand out from its neighbours: a drop and an addition on a
                # shared topic are alike too, but not more alike than everything around them.
                if self.s(i, j) < opts.confident and self.s(i, j) < opts.weak_margin * self.runner_up(i, j):
                    continue
                self.link([i], [j])

    def runner_up(self, i: int, j: int) -> float:
        """The best similarity either point has to anything else on the other side."""
        if self._top is None:
            self._top = self.sim.top_two()
        (row_best, row_first, row_second), (col_best, col_first, col_second) = self._top
        a, b = self.sim.row_at[i], self.sim.col_at[j]
        if a < 0 or b < 0:
            return 0.0
        # Indexes in the block: row_best holds block columns, col_best block rows.
        row = row_second[a] if row_best[a] == b else row_first[a]
        col = col_second[b] if col_best[b] == a else col_first[b]
        return max(0.0, float(row), float(col))

    def regroup(self) -> None:
        """3b. A point the assignment paired with an added (or dropped) point, but which plainly lies
        inside another linked point, joins that point's group: the part of a merge or split."""
        opts = self.opts
        for g in [g for g in self.pending if len(g.old) == 1 and len(g.new) == 1 and not g.pinned and not g.anchored]:
            if g not in self.pending:
                continue
            i, j = g.old[0], g.new[0]
            for side, other, k, partner_now in ((self.old, self.new, i, j), (self.new, self.old, j, i)):
                best = self.best_home(side, other, k, exclude=g, floor=self.pair_sim(side, k, partner_now) + opts.regroup_margin,
                                      literal_only=True)
                if best is not None:
                    self.unlink(g)
                    self.join(side, other, k, best)
                    break

    def best_home(
        self, side: _Side, other: _Side, k: int, exclude: _Pending | None, floor: float, literal_only: bool
    ) -> int | None:
        """The partner on the other side whose group point k (on side) should join, if any."""
        opts = self.opts
        best: tuple[tuple[float, float, float], int] | None = None
        partners, sims = self.sim.row(k) if side.name == "old" else self.sim.column(k)
        # The containment blocks were measured over the same free points as sim, in the same order.
        _, contains = (self.contain_old if side.name == "old" else self.contain_new).row(k)
        # Only partners that could pass either test below are looked at one by one.
        lowest = min(floor, opts.threshold) if not literal_only else floor
        possible = ((sims >= lowest) & ((contains >= opts.containment) | (sims >= opts.threshold))).nonzero()[0]
        for partner in [partners[x] for x in possible.tolist()]:
            if partner in other.excluded:
                continue
            g = other.group_of.get(partner)
            if g is exclude:
                continue
            mine = g.side(side.name) if g is not None else []
            # Only a group with a single point on the partner's side can grow on this side; a
            # split that also merged would be many-to-many, which no reader can follow.
            if g is not None and (len(g.side(other.name)) != 1 or g.pinned):
                continue
            s = self.pair_sim(side, k, partner)
            if s < floor:
                continue
            if mine:
                distance = min(abs(k - x) for x in mine)
                # The parts of a merge or split sit together in their draft; a far point that
                # shares words is a different provision.
                if distance > opts.part_window:
                    continue
                # A near-copy of a member is a sibling from a boilerplate family, not a part.
                if any(side.norm[x] == side.norm[k] or self.same_side_sim(side, x, k) >= opts.sibling_limit for x in mine):
                    continue
            else:
                distance = 0
            c = self.contained(side, k, partner)
            literal = c >= opts.containment and s >= opts.containment_floor
            reworded = (
                not literal_only and g is not None and s >= opts.threshold and self.gain(g, side, other, k) >= opts.merge_gain
            )
            if not (literal or reworded):
                continue
            if g is None and not (self.lift(*((k, partner) if side.name == "old" else (partner, k))) >= opts.lift):
                continue
            key = (c if literal else 0.0, s, -float(distance))
            if best is None or key > best[0]:
                best = (key, partner)
        return best[1] if best is not None else None

    def join(self, side: _Side, other: _Side, k: int, partner: int) -> None:
        """Point k (on side) joins the group of partner (on the other side), which is made if needed."""
        g = other.group_of.get(partner)
        if g is None:
            g = self.link([], [])
            g.side(other.name).append(partner)
            other.group_of[partner] = g
        members = g.side(side.name)
        members.append(k)
        members.sort()
        side.group_of[k] = g

    def gain(self, g: _Pending, side: _Side, other: _Side, k: int) -> float:
        """How much the group's similarity rises if point k of side joins it."""
        mine = [side.rows[x] for x in g.side(side.name)]
        theirs = [other.rows[x] for x in g.side(other.name)]
        before = self.space.group_similarity(mine, theirs)
        return self.space.group_similarity(mine + [side.rows[k]], theirs) - before

    def attach(self, side: _Side, other: _Side) -> None:
        """4. Leftover points join a group on the other side as merges or splits."""
        for k in side.free():
            partner = self.best_home(side, other, k, exclude=None, floor=self.opts.containment_floor, literal_only=False)
            if partner is not None:
                self.join(side, other, k, partner)

    def weak_pairs(self) -> None:
        """5. Leftovers that are each other's clear best match, though below the threshold."""
        opts = self.opts
        free_old, free_new = self.old.free(), self.new.free()
        if not free_old or not free_new:
            return
        sub = self.sim.block(free_old, free_new)
        for a, i in enumerate(free_old):
            b = int(sub[a].argmax())
            j = free_new[b]
            s = float(sub[a, b])
            if s < opts.weak_threshold or int(sub[:, b].argmax()) != a or j in self.new.group_of:
                continue
            # Heavily reworded provisions are still each other's best match by a wide margin and
            # far more alike than either is to the rest; a drop and an addition that merely share
            # vocabulary are neither.
            if s < opts.weak_margin * self.runner_up(i, j) or self.lift(i, j) < opts.lift:
                continue
            self.link([i], [j])

    def fill_gaps(self) -> None:
        """6. A lone leftover on each side of one gap between in-order links: the same point rewritten.

        When a draft rewrites a provision from scratch in the same slot (the European
        counter-proposal's territory clause), the words share little, but the place says it all;
        the pair must still be clearly more alike than either point is to the other draft.
        """
        linked = sorted((g for g in self.pending if g.old and g.new), key=lambda g: (g.old[0], g.new[0]))
        in_order = longest_increasing([g.new[0] for g in linked])
        bounds = [(-1, -1)] + [(max(g.old), max(g.new)) for k, g in enumerate(linked) if k in in_order]
        starts = [(min(g.old), min(g.new)) for k, g in enumerate(linked) if k in in_order]
        starts.append((len(self.old.points), len(self.new.points)))
        free_old, free_new = set(self.old.free()), set(self.new.free())
        for (lo_old, lo_new), (hi_old, hi_new) in zip(bounds, starts):
            gap_old = [i for i in range(lo_old + 1, hi_old) if i not in self.old.excluded]
            gap_new = [j for j in range(lo_new + 1, hi_new) if j not in self.new.excluded]
            if len(gap_old) != 1 or len(gap_new) != 1:
                continue
            i, j = gap_old[0], gap_new[0]
            if i in free_old and j in free_new and self.s(i, j) >= self.opts.gap_floor and self.lift(i, j) >= self.opts.lift:
                self.link([i], [j])

    def expected_positions(self) -> list[float]:
        """Where each old point would sit in the new draft, interpolated between in-order links."""
        n_old, n_new = len(self.old.points), len(self.new.points)
        pairs = sorted((i, g.new[0]) for i, g in self.old.group_of.items() if g.new)
        keep = longest_increasing([j for _, j in pairs])
        known = [pairs[k] for k in sorted(keep)]
        if not known:
            scale = (n_new - 1) / (n_old - 1) if n_old > 1 else 0.0
            return [i * scale for i in range(n_old)]
        points = [(-1, -1.0)] + [(i, float(j)) for i, j in known] + [(n_old, float(n_new))]
        out: list[float] = []
        k = 0
        for i in range(n_old):
            while points[k + 1][0] < i:
                k += 1
            (i0, j0), (i1, j1) = points[k], points[k + 1]
            out.append(j0 + (j1 - j0) * (i - i0) / (i1 - i0) if i1 != i0 else j0)
        return out

    # -- groups ---------------------------------------------------------------------------------

    def representative(self, g: _Pending) -> tuple[int, int]:
        """The group's most alike old and new point: where it stands, for telling moves."""
        return max(((i, j) for i in g.old for j in g.new), key=lambda p: (self.s(*p), -p[0], -p[1]))

    def finish(self) -> tuple[Group, ...]:
        """The groups in reading order: old order, dropped in place, added after their predecessor."""
        olds, news = self.old.points, self.new.points
        both = [g for g in self.pending if g.old and g.new]
        places = {id(g): self.representative(g) for g in both}
        both.sort(key=lambda g: places[id(g)])
        in_order = longest_increasing([places[id(g)][1] for g in both])
        moved = {id(g) for k, g in enumerate(both) if k not in in_order}
        built: list[tuple[float, int, Group]] = []
        key_of_new: dict[int, float] = {}
        for g in sorted(both, key=lambda g: (g.old[0], g.new[0])):
            for j in g.new:
                key_of_new[j] = float(g.old[0])
            built.append((float(g.old[0]), 0, self.group(g, id(g) in moved)))
        linked_old = {i for g in both for i in g.old}
        linked_new = {j for g in both for j in g.new}
        for i in range(len(olds)):
            if i not in linked_old:
                pinned = olds[i].id in self.aligner.pins_old
                built.append((float(i), 0, Group(old=(olds[i].id,), new=(), status=Status.DROPPED, pinned=pinned)))
        # An added point is shown right after the group holding the new point before it.
        last_key = -1.0
        for j in range(len(news)):
            if j in key_of_new:
                last_key = key_of_new[j]
            elif j not in linked_new:
                pinned = news[j].id in self.aligner.pins_new
                built.append((last_key + 0.5, j + 1, Group(old=(), new=(news[j].id,), status=Status.ADDED, pinned=pinned)))
        built.sort(key=lambda t: (t[0], t[1]))
        return tuple(group for _, _, group in built)

    def group(self, g: _Pending, moved: bool) -> Group:
        """A finished group with its status, similarity, renumbering and aligned sub-points."""
        old_pts = [self.old.points[i] for i in g.old]
        new_pts = [self.new.points[j] for j in g.new]
        if len(old_pts) > 1:
            status = Status.MERGED
        elif len(new_pts) > 1:
            status = Status.SPLIT
        elif self.old.norm[g.old[0]] == self.new.norm[g.new[0]]:
            status = Status.UNCHANGED
        else:
            status = Status.MODIFIED
        rows_old, rows_new = [self.old.rows[i] for i in g.old], [self.new.rows[j] for j in g.new]
        if status is Status.UNCHANGED:
            similarity = 1.0
        elif len(old_pts) == 1 and len(new_pts) == 1 and not g.pinned:
            similarity = round(self.s(g.old[0], g.new[0]), 4)
        elif min(rows_old + rows_new) >= 0:
            # A pinned pair was never measured (nothing else may link to it), but its points
            # are in the text space: its similarity is still worth showing.
            similarity = round(self.space.group_similarity(rows_old, rows_new), 4)
        else:
            similarity = 0.0
        own = [p.id.split(".")[-1] for p in old_pts]
        own_new = [p.id.split(".")[-1] for p in new_pts]
        renumbered = own[0] != own_new[0] if len(own) == 1 and len(own_new) == 1 else own != own_new
        old_children = [c for p in old_pts for c in p.children]
        new_children = [c for p in new_pts for c in p.children]
        children: tuple[Group, ...] = ()
        if g.anchored:
            # Identical text, identical sub-points: pair them in order.
            children = tuple(_identical(a, b) for a, b in zip(old_children, new_children))
        elif old_children and new_children:
            children = _Level(self.aligner, old_children, new_children).run()
        return Group(
            old=tuple(p.id for p in old_pts),
            new=tuple(p.id for p in new_pts),
            status=status,
            renumbered=renumbered,
            moved=moved,
            similarity=similarity,
            pinned=g.pinned,
            children=children,
        )


def _identical(old: Point, new: Point) -> Group:
    """The group of two identical points (and of their sub-points, pairwise)."""
    return Group(
        old=(old.id,),
        new=(new.id,),
        status=Status.UNCHANGED,
        renumbered=old.id.split(".")[-1] != new.id.split(".")[-1],
        similarity=1.0,
        children=tuple(_identical(a, b) for a, b in zip(old.children, new.children)),
    )


class _Block:
    """A level's matrix (old × new, or new × old) that is zero outside the points measured.

    Only the rows and columns of points free when the level was measured are held, so a long
    revision whose points are mostly identical costs a small matrix, not one of every pair.
    """

    def __init__(self, values: Any, rows: Sequence[int], cols: Sequence[int], n_rows: int, n_cols: int) -> None:
        """values[a, b] belongs to level row rows[a] and column cols[b]."""
        self.values = values
        self.rows, self.cols = list(rows), list(cols)
        self.row_at, self.col_at = [-1] * n_rows, [-1] * n_cols
        for a, r in enumerate(self.rows):
            self.row_at[r] = a
        for b, c in enumerate(self.cols):
            self.col_at[c] = b

    @classmethod
    def empty(cls, n_rows: int, n_cols: int) -> _Block:
        """A matrix of zeros."""
        import numpy as np

        return cls(np.zeros((0, 0)), [], [], n_rows, n_cols)

    def get(self, r: int, c: int) -> float:
        """The value at level row r, column c."""
        a, b = self.row_at[r], self.col_at[c]
        return float(self.values[a, b]) if a >= 0 and b >= 0 else 0.0

    def block(self, rows: Sequence[int], cols: Sequence[int]) -> Any:
        """The values at these rows and columns, which must all have been measured."""
        import numpy as np

        at_rows, at_cols = [self.row_at[r] for r in rows], [self.col_at[c] for c in cols]
        # -1 would quietly read the last row or column: a caller asking for a point that was
        # not free when the level was measured is a bug, not a zero.
        if min(at_rows, default=0) < 0 or min(at_cols, default=0) < 0:
            raise ValueError("_Block.block: a row or column that was not measured")
        return self.values[np.ix_(at_rows, at_cols)]

    def top_two(self) -> tuple[tuple[Any, Any, Any], tuple[Any, Any, Any]]:
        """_top_two of the rows and of the columns, in block indexes."""
        return _top_two(self.values), _top_two(self.values.T)

    def row(self, r: int) -> tuple[list[int], Any]:
        """The measured columns and row r's values there (none if r was not measured)."""
        a = self.row_at[r]
        return (self.cols, self.values[a]) if a >= 0 else ([], self.values.reshape(-1)[:0])

    def column(self, c: int) -> tuple[list[int], Any]:
        """The measured rows and column c's values there (none if c was not measured)."""
        b = self.col_at[c]
        return (self.rows, self.values[:, b]) if b >= 0 else ([], self.values.reshape(-1)[:0])


def _candidates(sub: Any, threshold: float, keep: int) -> Any:
    """Pairs above the threshold that are among each point's `keep` best on the other side.

    In a draft full of boilerplate nearly every pair clears the threshold; keeping each point's
    few best keeps the assignment near-linear in the number of points without changing its
    answer (the assignment never picks a partner ten places down both lists).
    """
    import numpy as np

    m = np.asarray(sub)
    mask = m >= threshold
    if m.shape[1] > keep:
        kth = np.partition(m, m.shape[1] - keep, axis=1)[:, m.shape[1] - keep][:, None]
        row_best = m >= kth
    else:
        row_best = np.ones_like(mask)
    if m.shape[0] > keep:
        kth = np.partition(m, m.shape[0] - keep, axis=0)[m.shape[0] - keep, :][None, :]
        col_best = m >= kth
    else:
        col_best = np.ones_like(mask)
    return (mask & (row_best | col_best)).nonzero()


def _top_two(matrix: Any) -> tuple[Any, Any, Any]:
    """For each row: the column of its largest value, that value, and the second largest (0 if none)."""
    import numpy as np

    m = np.asarray(matrix)
    if m.shape[1] == 0:
        zeros = np.zeros(m.shape[0])
        return zeros.astype(int), zeros, zeros
    best = m.argmax(axis=1)
    first = m[np.arange(m.shape[0]), best]
    if m.shape[1] < 2:
        return best, first, np.zeros(m.shape[0])
    second = np.partition(m, m.shape[1] - 2, axis=1)[:, m.shape[1] - 2]
    return best, first, second


def align_documents(old: Document, new: Document, options: AlignOptions = AlignOptions()) -> tuple[Group, ...]:
    """Align two drafts' points: one Group per set of old points and the new points they became."""
    return _Aligner(old, new, options).align()
