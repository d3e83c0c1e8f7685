"""Which old points became which new points: 1:1, merges, splits, moves, drops and additions.

The design, level by level (top-level points, then the sub-points inside each aligned pair):

1. Pins: links the analyst forced (`--pin 6=4`, `12=8+9`, `26=-`) are taken as given.
2. Anchors: points whose text is identical after normalisation are linked; copies of one text
   are paired by position, so identical boilerplate is never cross-linked.
3. Assignment: the rest are linked one to one by an optimal assignment (Hungarian) on TF-IDF
   similarity plus a weak position prior, keeping only links above a threshold.
4. Containment: a point left over whose words lie mostly inside a linked point on the other side
   joins that point's group — a merge (n:1) or a split (1:n).
5. Moves: links off the longest run that keeps both drafts' order.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

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
    """How many times better than the runner-up such a weak match must be."""
    gap_floor: float = 0.05
    """Least similarity for the lone leftovers of a gap between in-order links to be linked."""
    prior: float = 0.04
    """Weight of the position prior that breaks ties between near-identical candidates."""
    prior_width: float = 4.0
    """How many positions away from its expected place a candidate still gets some prior."""
    pins: tuple[Pin, ...] = ()
    """Links forced by the analyst."""


def parse_pin(text: str) -> Pin:
    """Parse "6=4", "12=8+9", "3+4=2", "26=-" or "-=10"; raise UsageError on anything else."""
    left, sep, right = text.partition("=")
    if not sep or not left.strip() or not right.strip():
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


@dataclass
class _Pending:
    """A group being built: indexes into the level's old and new lists."""

    old: list[int] = field(default_factory=list)
    new: list[int] = field(default_factory=list)
    pinned: bool = False

    def side(self, name: str) -> list[int]:
        """The member indexes on one side ("old" or "new")."""
        return self.old if name == "old" else self.new


@dataclass
class _Side:
    """One side of a level being aligned, so merges and splits share one piece of code."""

    name: str
    points: list[Point]
    rows: dict[str, int]
    group_of: dict[int, _Pending]
    excluded: set[int]
    norm: list[str]

    def row(self, k: int) -> int:
        """The text-space row of point k."""
        return self.rows[self.points[k].id]

    def free(self) -> list[int]:
        """Indexes of points not yet in any group nor pinned away."""
        return [k for k in range(len(self.points)) if k not in self.group_of and k not in self.excluded]


class _Aligner:
    def __init__(self, old: Document, new: Document, options: AlignOptions) -> None:
        from plancmp.similarity import TextSpace

        self.options = options
        self.old_doc, self.new_doc = old, new
        old_all = list(old.walk())
        new_all = list(new.walk())
        self.row_old = {p.id: i for i, p in enumerate(old_all)}
        self.row_new = {p.id: len(old_all) + i for i, p in enumerate(new_all)}
        self.space = TextSpace([p.full_text for p in old_all] + [p.full_text for p in new_all], split=len(old_all))
        self.pins_old: dict[str, Pin] = {}
        self.pins_new: dict[str, Pin] = {}
        self._index_pins()
        self.applied: set[Pin] = set()

    def _index_pins(self) -> None:
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
        groups = self._level(list(self.old_doc.points), list(self.new_doc.points))
        unused = [p for p in self.options.pins if p not in self.applied]
        if unused:
            raise UsageError(
                f"--pin {unused[0].text}: these sub-points lie in points that are not aligned "
                "with each other; pin their parent points too"
            )
        return groups

    # one level of siblings ------------------------------------------------------------------

    def _level(self, olds: list[Point], news: list[Point]) -> tuple[Group, ...]:
        opts = self.options
        old_index = {p.id: i for i, p in enumerate(olds)}
        new_index = {p.id: j for j, p in enumerate(news)}
        pending: list[_Pending] = []
        group_of_old: dict[int, _Pending] = {}
        group_of_new: dict[int, _Pending] = {}
        excluded_old: set[int] = set()
        excluded_new: set[int] = set()

        # 1. pins
        for pin in dict.fromkeys([*self.pins_old.values(), *self.pins_new.values()]):
            if not all(pid in old_index for pid in pin.old) or not all(pid in new_index for pid in pin.new):
                continue
            self.applied.add(pin)
            g = _Pending([old_index[p] for p in pin.old], [new_index[p] for p in pin.new], pinned=True)
            if g.old and g.new:
                pending.append(g)
                for i in g.old:
                    group_of_old[i] = g
                for j in g.new:
                    group_of_new[j] = g
            excluded_old.update(g.old)
            excluded_new.update(g.new)

        # 2. anchors: identical text after normalisation, copies paired by position
        norm_old = [normalise_text(p.full_text) for p in olds]
        norm_new = [normalise_text(p.full_text) for p in news]
        by_text: dict[str, tuple[list[int], list[int]]] = {}
        for i, t in enumerate(norm_old):
            if i not in excluded_old:
                by_text.setdefault(t, ([], []))[0].append(i)
        for j, t in enumerate(norm_new):
            if j not in excluded_new and t in by_text:
                by_text[t][1].append(j)
        anchors: list[tuple[int, int]] = []
        n_old, n_new = max(len(olds) - 1, 1), max(len(news) - 1, 1)
        for ois, njs in by_text.values():
            if not ois or not njs:
                continue
            cost = [[abs(i / n_old - j / n_new) for j in njs] for i in ois]
            anchors.extend((ois[a], njs[b]) for a, b in assign(cost))
        for i, j in sorted(anchors):
            g = _Pending([i], [j])
            pending.append(g)
            group_of_old[i] = g
            group_of_new[j] = g

        # 3. assignment on similarity with a position prior
        free_old = [i for i in range(len(olds)) if i not in group_of_old and i not in excluded_old]
        free_new = [j for j in range(len(news)) if j not in group_of_new and j not in excluded_new]
        rows_old = [self.row_old[olds[i].id] for i in free_old]
        rows_new = [self.row_new[news[j].id] for j in free_new]
        sim = self.space.similarity(rows_old, rows_new)
        expected = self._expected_positions(len(olds), len(news), sorted(group_of_old.items()))
        edges: list[tuple[int, int]] = []
        score: dict[tuple[int, int], float] = {}
        rows_idx, cols_idx = (sim >= opts.threshold).nonzero()
        for a, b in zip(rows_idx.tolist(), cols_idx.tolist()):
            i, j = free_old[a], free_new[b]
            closeness = max(0.0, 1.0 - abs(expected[i] - j) / opts.prior_width)
            score[(a, b)] = float(sim[a, b]) + opts.prior * closeness
            edges.append((a, b))
        components = _components(edges)
        component_of = {a: k for k, (rows, _) in enumerate(components) for a in rows}
        scores: list[dict[tuple[int, int], float]] = [{} for _ in components]
        for (a, b), value in score.items():
            scores[component_of[a]][(a, b)] = value
        for (comp_rows, comp_cols), comp_score in zip(components, scores):
            cost = _cost_matrix(comp_rows, comp_cols, comp_score)
            for r, c in assign(cost):
                a, b = comp_rows[r], comp_cols[c]
                if (a, b) in score:
                    g = _Pending([free_old[a]], [free_new[b]])
                    pending.append(g)
                    group_of_old[free_old[a]] = g
                    group_of_new[free_new[b]] = g

        # 4. containment: leftovers join a partner as merges or splits
        self._attach_leftovers(
            olds, news, pending, group_of_old, group_of_new, excluded_old, excluded_new, norm_old, norm_new
        )

        # 5. groups, in reading order, with moves, renumbering and sub-points
        return self._finish(olds, news, pending, norm_old, norm_new)

    def _expected_positions(
        self, n_old: int, n_new: int, links: list[tuple[int, _Pending]]
    ) -> list[float]:
        """Where each old point would sit in the new draft, interpolated between in-order links."""
        pairs = sorted((i, g.new[0]) for i, g in links if g.new)
        keep = longest_increasing([j for _, j in pairs])
        known = [pairs[k] for k in sorted(keep)]
        scale = (n_new - 1) / (n_old - 1) if n_old > 1 else 0.0
        points = [(-1, -1.0)] + [(i, float(j)) for i, j in known] + [(n_old, float(n_new))]
        if not known:
            return [i * scale for i in range(n_old)]
        out: list[float] = []
        k = 0
        for i in range(n_old):
            while points[k + 1][0] < i:
                k += 1
            (i0, j0), (i1, j1) = points[k], points[k + 1]
            out.append(j0 + (j1 - j0) * (i - i0) / (i1 - i0) if i1 != i0 else j0)
        return out

    def _attach_leftovers(
        self,
        olds: list[Point],
        news: list[Point],
        pending: list[_Pending],
        group_of_old: dict[int, _Pending],
        group_of_new: dict[int, _Pending],
        excluded_old: set[int],
        excluded_new: set[int],
        norm_old: list[str],
        norm_new: list[str],
    ) -> None:
        old_side = _Side("old", olds, self.row_old, group_of_old, excluded_old, norm_old)
        new_side = _Side("new", news, self.row_new, group_of_new, excluded_new, norm_new)
        self._attach(old_side, new_side, pending)
        self._attach(new_side, old_side, pending)
        self._weak_pairs(old_side, new_side, pending)
        self._fill_gaps(old_side, new_side, pending)

    def _attach(self, left: _Side, other: _Side, pending: list[_Pending]) -> None:
        """Leftover points of one side join a group on the other side as merges or splits."""
        opts = self.options
        leftovers = left.free()
        candidates = [k for k in range(len(other.points)) if k not in other.excluded]
        if not leftovers or not candidates:
            return
        rows_a = [left.row(k) for k in leftovers]
        rows_b = [other.row(k) for k in candidates]
        contain = self.space.containment(rows_a, rows_b)
        sim = self.space.similarity(rows_a, rows_b)
        for a, k in enumerate(leftovers):
            best: tuple[tuple[float, float, int], int] | None = None
            for b, partner in enumerate(candidates):
                g = other.group_of.get(partner)
                # Only a group with a single point on the partner's side can grow on this side; a
                # split that also merged would be many-to-many, which no reader can follow.
                if g is not None and (len(g.side(other.name)) != 1 or g.pinned):
                    continue
                # A spare copy of text the group already holds is a dropped (or added) copy, not a merge.
                if g is not None and any(left.norm[x] == left.norm[k] for x in g.side(left.name)):
                    continue
                c, s = float(contain[a, b]), float(sim[a, b])
                literal = c >= opts.containment and s >= opts.containment_floor
                # A reworded part of a split or merge: as similar as a one-to-one link would need to
                # be, and the group reads better with it than without it.
                reworded = s >= opts.threshold and g is not None and self._gain(g, left, other, k) >= opts.merge_gain
                if literal or reworded:
                    key = (c if literal else 0.0, s, -abs(k - partner))
                    if best is None or key > best[0]:
                        best = (key, partner)
            if best is None:
                continue
            partner = best[1]
            g = other.group_of.get(partner)
            if g is None:
                g = _Pending()
                g.side(other.name).append(partner)
                pending.append(g)
                other.group_of[partner] = g
            members = g.side(left.name)
            members.append(k)
            members.sort()
            left.group_of[k] = g

    def _gain(self, g: _Pending, left: _Side, other: _Side, k: int) -> float:
        """How much the group's similarity rises if point k of the left side joins it."""
        mine = [left.row(x) for x in g.side(left.name)]
        theirs = [other.row(x) for x in g.side(other.name)]
        before = self.space.group_similarity(mine, theirs)
        return self.space.group_similarity(mine + [left.row(k)], theirs) - before

    def _weak_pairs(self, olds: _Side, news: _Side, pending: list[_Pending]) -> None:
        """Leftovers that are each other's clear best match, though below the threshold."""
        opts = self.options
        free_old, free_new = olds.free(), news.free()
        if not free_old or not free_new:
            return
        sim = self.space.similarity([olds.row(i) for i in free_old], [news.row(j) for j in free_new])
        for a, i in enumerate(free_old):
            b = int(sim[a].argmax())
            s = float(sim[a, b])
            if s < opts.weak_threshold or int(sim[:, b].argmax()) != a:
                continue
            # Heavily reworded provisions are still each other's best match by a wide margin;
            # a drop and an addition that merely share vocabulary are not.
            row_rest = sorted(sim[a], reverse=True)[1:2]
            col_rest = sorted(sim[:, b], reverse=True)[1:2]
            runner_up = max([0.0, *row_rest, *col_rest])
            if s < opts.weak_margin * runner_up:
                continue
            g = _Pending([i], [free_new[b]])
            pending.append(g)
            olds.group_of[i] = g
            news.group_of[free_new[b]] = g

    def _fill_gaps(self, olds: _Side, news: _Side, pending: list[_Pending]) -> None:
        """A lone leftover on each side of one gap between in-order links: the same point rewritten.

        When a draft rewrites a provision from scratch in the same slot (the European
        counter-proposal's territory clause), the words share little, but the place says it all.
        """
        linked = sorted((g for g in pending if g.old and g.new), key=lambda g: (g.old[0], g.new[0]))
        in_order = longest_increasing([g.new[0] for g in linked])
        bounds = [(-1, -1)] + [(max(g.old), max(g.new)) for k, g in enumerate(linked) if k in in_order]
        starts = [(min(g.old), min(g.new)) for k, g in enumerate(linked) if k in in_order]
        starts.append((len(olds.points), len(news.points)))
        free_old, free_new = set(olds.free()), set(news.free())
        for (lo_old, lo_new), (hi_old, hi_new) in zip(bounds, starts):
            gap_old = [i for i in range(lo_old + 1, hi_old) if i in free_old or i in olds.group_of]
            gap_new = [j for j in range(lo_new + 1, hi_new) if j in free_new or j in news.group_of]
            if len(gap_old) != 1 or len(gap_new) != 1:
                continue
            i, j = gap_old[0], gap_new[0]
            if i not in free_old or j not in free_new:
                continue
            s = float(self.space.similarity([olds.row(i)], [news.row(j)])[0, 0])
            if s >= self.options.gap_floor:
                g = _Pending([i], [j])
                pending.append(g)
                olds.group_of[i] = g
                news.group_of[j] = g

    def _finish(
        self,
        olds: list[Point],
        news: list[Point],
        pending: list[_Pending],
        norm_old: list[str],
        norm_new: list[str],
    ) -> tuple[Group, ...]:
        linked_old = {i for g in pending for i in g.old}
        linked_new = {j for g in pending for j in g.new}
        both = sorted((g for g in pending if g.old and g.new), key=lambda g: (g.old[0], g.new[0]))
        in_order = longest_increasing([g.new[0] for g in both])
        moved = {id(g) for k, g in enumerate(both) if k not in in_order}

        built: list[tuple[float, int, Group]] = []
        key_of_new: dict[int, float] = {}
        for g in both:
            group = self._group(olds, news, g, norm_old, norm_new, id(g) in moved)
            for j in g.new:
                key_of_new[j] = float(g.old[0])
            built.append((float(g.old[0]), 0, group))
        for i in range(len(olds)):
            if i not in linked_old:
                pinned = olds[i].id in self.pins_old
                built.append((float(i), 0, Group(old=(olds[i].id,), new=(), status=Status.DROPPED, pinned=pinned)))
        # An added point is shown right after the group holding the new point before it.
        last_key = -1.0
        for j in range(len(news)):
            if j in key_of_new:
                last_key = key_of_new[j]
            elif j not in linked_new:
                pinned = news[j].id in self.pins_new
                built.append((last_key + 0.5, j + 1, Group(old=(), new=(news[j].id,), status=Status.ADDED, pinned=pinned)))
        built.sort(key=lambda t: (t[0], t[1]))
        return tuple(group for _, _, group in built)

    def _group(
        self,
        olds: list[Point],
        news: list[Point],
        g: _Pending,
        norm_old: list[str],
        norm_new: list[str],
        moved: bool,
    ) -> Group:
        old_pts = [olds[i] for i in g.old]
        new_pts = [news[j] for j in g.new]
        if len(old_pts) > 1:
            status = Status.MERGED
        elif len(new_pts) > 1:
            status = Status.SPLIT
        elif norm_old[g.old[0]] == norm_new[g.new[0]]:
            status = Status.UNCHANGED
        else:
            status = Status.MODIFIED
        if status is Status.UNCHANGED:
            similarity = 1.0
        else:
            similarity = round(
                self.space.group_similarity(
                    [self.row_old[p.id] for p in old_pts], [self.row_new[p.id] for p in new_pts]
                ),
                4,
            )
        own = [p.id.split(".")[-1] for p in old_pts]
        own_new = [p.id.split(".")[-1] for p in new_pts]
        renumbered = own[0] != own_new[0] if len(own) == 1 and len(own_new) == 1 else own != own_new
        old_children = [c for p in old_pts for c in p.children]
        new_children = [c for p in new_pts for c in p.children]
        children: tuple[Group, ...] = ()
        if old_children and new_children:
            children = self._level(old_children, new_children)
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


def align_documents(old: Document, new: Document, options: AlignOptions = AlignOptions()) -> tuple[Group, ...]:
    """Align two drafts' points: one Group per set of old points and the new points they became."""
    return _Aligner(old, new, options).align()
