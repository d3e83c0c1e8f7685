"""The steps that link old points to new points.

Phase one follows the drafts' structure, level by level from the top: points among points, then
the sub-points of each linked pair among each other. Structure is the strongest evidence there
is — a draft that keeps a chapter keeps most of its sections in it — so it goes first:

1. Pins: links the analyst forced (`--pin 6=4`, `12=8+9`, `6.4=7`, `26=-`) are taken as given.
2. Anchors: points whose text (with their sub-points) is identical after normalisation are linked
   with all their sub-points; copies of one text are paired by position, so identical boilerplate
   is never cross-linked.
3. Assignment: the rest are linked one to one by an optimal assignment on text similarity, plus
   what their sub-points say (a chapter whose sections are each other's best matches elsewhere in
   the drafts is the same chapter, whatever its own words), plus a weak position prior; a modest
   link must stand out from its runners-up.
4. Merges and splits: a point the assignment paired elsewhere but which plainly lies inside
   another linked point joins that point's group; leftovers whose words lie mostly inside a
   nearby linked point on the other side, or which make that group read better, join it.
5. Weak links: leftovers that are each other's clear best match, and the leftovers of a gap
   between in-order links: alone in it, or in the same slot — keeping their number in a draft
   that keeps its numbering, or at the same place in a gap as long on both sides (a numbering
   shifted by a constant) — and sharing a number or a rare word (a provision rewritten in its slot).

Phase two is not bound by the structure: every point still unlinked, at any depth, is a candidate
for every unlinked point on the other side (a sub-section promoted to a chapter, a section moved
to another chapter), scored on text plus whatever structure supports the pair; a point that phase
one paired inside its parent takes a far better partner found elsewhere instead.
"""

from __future__ import annotations

import itertools
import math
import re
import shlex
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from plancmp.align.assign import assign, components, cost_matrix, longest_increasing
from plancmp.align.candidates import Block, Texts, best_pairs, prefer_descendants, sorted_at
from plancmp.align.forest import ROOT, Forest
from plancmp.align.options import AlignOptions, Pin
from plancmp.errors import UsageError
from plancmp.model import STDIN_NAME, Document
from plancmp.normalise import content_words

_BACKGROUND_MIN = 5
"""Fewest points on each side for "how alike is a point to the other draft in general" to mean much."""
_PARENT = 0.1
"""Phase two: score for a pair whose parents are linked to each other (or which are both top-level)."""
_SLOT = 0.1
"""Phase two: score for a pair whose neighbours are linked to each other (half for one side)."""
_CHILDREN = 0.4
"""Score for two points whose sub-points are each other's best matches (times the Dice share of them)."""
_VOTES = 0.5
"""Dice share of sub-points that makes two points a link whatever their own words (empty headings)."""
_KEEPS_NUMBERING = 0.5
"""Share of links keeping their number above which the same number is evidence in a gap."""
_NUMBER_RE = re.compile(r"\d")
_RIVALS = 8
"""How many best partners of each point are kept for finding its runner-up."""


def _joined(a: Pin, b: Pin) -> str | None:
    """Two pins that share a point, as the one pin of a split or merge ("1=2" and "1=3": "1=2+3"); None
    where that is no pin (many to many, or a side with no point)."""
    olds, news = tuple(dict.fromkeys((*a.old, *b.old))), tuple(dict.fromkeys((*a.new, *b.new)))
    if not olds or not news or (len(olds) > 1 and len(news) > 1) or (olds, news) in ((a.old, a.new), (b.old, b.new)):
        return None
    return "+".join(olds) + "=" + "+".join(news)


def _points_command(doc: Document) -> str:
    """The command that lists a draft's points as they were read, for a message (a draft read from
    standard input is piped to it)."""
    read = doc.read
    options = [
        *(["--bullets"] if read.bullets else []), *(["--original"] if read.original else []),
        *(["--encoding", read.encoding] if read.encoding else []),
    ]
    command = shlex.join(["plancmp", "points", "-" if doc.source == STDIN_NAME else doc.source, *options])
    return f"{command} (piping the draft to it)" if doc.source == STDIN_NAME else command


def medians(values: Any, axis: int, at: dict[int, Any] | None = None) -> Any:
    """np.median(values, axis) of a float matrix with at least one value along axis and no NaN (as
    similarities are), to the last bit: the middle value, or the mean of the two middle ones
    (summed, then halved, as np.mean does). np.median itself imports numpy.ma to look for NaN,
    7 ms of the 0.25 s a small diff takes. at: sorted_at(values, axis, …), if found already."""
    n = values.shape[axis]
    half = n // 2
    if at is None:
        at = sorted_at(values, axis, n)
    return at[half] if n % 2 else (at[half - 1] + at[half]) / 2


def _worth_a_look(sims: Any, contains: Any, lowest: Any, opts: AlignOptions) -> Any:
    """Where best_home's partners could pass its tests: alike at least `lowest`, and holding the
    point's words or alike by the threshold. For a row or a whole block (lowest a column then);
    in place, so a 2,000 × 2,000 block holds two boolean blocks (4 MB each), not five."""
    import numpy as np

    worth = contains >= opts.containment
    np.logical_or(worth, sims >= opts.threshold, out=worth)
    np.logical_and(worth, sims >= lowest, out=worth)
    return worth


def _best_few(sub: Any, rows: list[int], cols: list[int]) -> dict[int, list[tuple[float, int]]]:
    """Each row's best few columns, best first, as (value, column point)."""
    import numpy as np

    n = min(_RIVALS, sub.shape[1])
    if n == 0:
        return {}
    idx = np.argpartition(-sub, n - 1, axis=1)[:, :n]
    vals = np.take_along_axis(sub, idx, axis=1)
    order = np.argsort(-vals, axis=1, kind="stable")
    idx, vals = np.take_along_axis(idx, order, axis=1), np.take_along_axis(vals, order, axis=1)
    return {r: [(float(v), cols[c]) for v, c in zip(vr, cr)] for r, vr, cr in zip(rows, vals.tolist(), idx.tolist())}


@dataclass(eq=False)
class Pending:
    """A group being built: indexes of old and new points (compared by identity)."""

    old: list[int] = field(default_factory=list)
    """Indexes of its old points."""
    new: list[int] = field(default_factory=list)
    """Indexes of its new points."""
    how: str = "assign"
    """Which step made it: pin, anchor, assign, part, weak, gap, voted."""

    @property
    def pinned(self) -> bool:
        """Forced by --pin: nothing joins or leaves it."""
        return self.how == "pin"

    @property
    def anchored(self) -> bool:
        """Identical text on both sides."""
        return self.how == "anchor"

    def side(self, name: str) -> list[int]:
        """The member indexes on one side ("old" or "new")."""
        return self.old if name == "old" else self.new


@dataclass
class Side:
    """One draft being aligned, so that merges and splits share one piece of code."""

    forest: Forest
    """The draft's points."""
    group_of: dict[int, Pending] = field(default_factory=dict)
    """The group each linked point belongs to."""
    excluded: set[int] = field(default_factory=set)
    """Points pinned away (dropped or added by --pin)."""

    @property
    def name(self) -> str:
        """ "old" or "new"."""
        return self.forest.name

    def free(self) -> list[int]:
        """Indexes of points not yet in any group nor pinned away."""
        return [k for k in range(len(self.forest)) if k not in self.group_of and k not in self.excluded]


class Aligner:
    """Two drafts being aligned: the sides, the groups found so far, and the measures behind them."""

    def __init__(self, old: Document, new: Document, options: AlignOptions) -> None:
        """Flatten both drafts and check the pins."""
        self.options = options
        self.old_doc, self.new_doc = old, new
        self.old = Side(Forest.of(old, "old"))
        self.new = Side(Forest.of(new, "new"))
        # Groups in the order they were made; a dict (of no values) so that whether one is still
        # there, asked for each group in turn, is not a search of all of them.
        self.pending: dict[Pending, None] = {}
        self.pins: list[tuple[Pin, list[int], list[int]]] = self._check_pins()
        self.votes: dict[tuple[int, int], float] = {}
        self._whole: Scope | None = None
        self._released = False
        # Set by measure(), the first step that needs them; empty until then.
        n_old, n_new = len(self.old.forest), len(self.new.forest)
        self.sim, self.contain_old, self.contain_new = Block.empty(n_old, n_new), Block.empty(n_old, n_new), Block.empty(n_new, n_old)
        self._rare: tuple[list[frozenset[str]], list[frozenset[str]]] | None = None
        # A scope's background and runners-up by the points it measured them over (Scope.measure).
        self._measured: dict[tuple[tuple[int, ...], tuple[int, ...]], tuple[Any, ...]] = {}
        self._sorted_at: dict[tuple[tuple[int, ...], tuple[int, ...], int], dict[int, Any]] = {}

    # -- bookkeeping -----------------------------------------------------------------------------

    def _check_pins(self) -> list[tuple[Pin, list[int], list[int]]]:
        """Every pin names existing points, each point pinned once; as indexes."""
        seen: dict[tuple[str, str], Pin] = {}
        out = []
        for pin in self.options.pins:
            found: dict[str, list[int]] = {"old": [], "new": []}
            for side, ids, doc in (("old", pin.old, self.old_doc), ("new", pin.new, self.new_doc)):
                forest = self.old.forest if side == "old" else self.new.forest
                for typed in ids:
                    point = doc.find(typed)
                    if point is None:
                        raise UsageError(
                            f"--pin {pin.text}: the {side} draft ({doc.source}) has no point {typed}; "
                            f"list its points with {_points_command(doc)}"
                        )
                    pid = point.id
                    if (side, pid) in seen:
                        first = seen[side, pid]
                        joined = _joined(first, pin)
                        raise UsageError(
                            f"--pin {pin.text}: {side} point {pid} is already pinned by --pin {first.text}; keep one "
                            "of the two" + (f", or pin both as one: --pin {joined}" if joined else "")
                        )
                    seen[side, pid] = pin
                    found[side].append(forest.index[pid])
            out.append((pin, sorted(found["old"]), sorted(found["new"])))
        return out

    def link(self, olds: list[int], news: list[int], how: str = "assign") -> Pending:
        """A new group of these points."""
        g = Pending(sorted(olds), sorted(news), how)
        self.pending[g] = None
        for i in olds:
            self.old.group_of[i] = g
        for j in news:
            self.new.group_of[j] = g
        return g

    def unlink(self, g: Pending) -> None:
        """Dissolve a group, freeing its points."""
        del self.pending[g]
        for i in g.old:
            del self.old.group_of[i]
        for j in g.new:
            del self.new.group_of[j]

    def linked(self, i: int, j: int) -> bool:
        """Whether old point i and new point j are in one group."""
        g = self.old.group_of.get(i)
        return g is not None and g is self.new.group_of.get(j)

    def parents_linked(self, i: int, j: int) -> bool:
        """Whether the two points stand under linked parents, or are both top-level points."""
        pi, pj = self.old.forest.parent[i], self.new.forest.parent[j]
        if pi == ROOT or pj == ROOT:
            return pi == pj
        return self.linked(pi, pj)

    # -- the steps -------------------------------------------------------------------------------

    def run(self) -> Aligner:
        """Both phases, in order."""
        self.pin()
        self.measure()
        self.votes = {} if "votes" in self.options.skip else self.sub_point_votes()
        levels = [Level(self, list(self.old.forest.roots), list(self.new.forest.roots))]
        while levels:
            level = levels.pop(0)
            levels.extend(level.run())
        if "repair" not in self.options.skip:
            self.repair()
        return self

    def pin(self) -> None:
        """1. Links the analyst forced."""
        for _pin, olds, news in self.pins:
            if olds and news:
                self.link(olds, news, how="pin")
            self.old.excluded.update(olds)
            self.new.excluded.update(news)

    def anchor_subtree(self, i: int, j: int) -> None:
        """Link two identical points, and their sub-points in order."""
        old, new = self.old.forest, self.new.forest
        self.link([i], [j], how="anchor")
        for a, b in zip(old.children[i], new.children[j]):
            if a not in self.old.group_of and b not in self.new.group_of and a not in self.old.excluded \
                    and b not in self.new.excluded:
                self.anchor_subtree(a, b)

    def measure(self) -> None:
        """Every similarity the steps can need, computed at once for the points not pinned.

        A top-level text found as often in one draft as in the other is anchored whatever else
        happens, with all its sub-points: no similarity is ever asked of it, so the matrices are
        built without it — most of a long revision, usually.
        """
        old, new = self.old.forest, self.new.forest
        counts_old = Counter(old.full[i] for i in old.roots if i not in self.old.excluded)
        counts_new = Counter(new.full[j] for j in new.roots if j not in self.new.excluded)
        settled = {t for t, n in counts_old.items() if counts_new.get(t) == n}
        keep_old = [k for r in old.roots if r in self.old.excluded or old.full[r] not in settled for k in range(r, old.end[r])]
        keep_new = [k for r in new.roots if r in self.new.excluded or new.full[r] not in settled for k in range(r, new.end[r])]
        self.texts = Texts(old, new, keep_old, keep_new, threads=self.options.threads)
        n_old, n_new = len(old), len(new)
        free_old = [i for i in keep_old if i not in self.old.group_of and i not in self.old.excluded]
        free_new = [j for j in keep_new if j not in self.new.group_of and j not in self.new.excluded]
        self._rare = None
        if not free_old or not free_new:
            self.sim, self.contain_old = Block.empty(n_old, n_new), Block.empty(n_old, n_new)
            self.contain_new = Block.empty(n_new, n_old)
            return
        self.sim = Block(self.texts.similarity(old, new, free_old, free_new), free_old, free_new, n_old, n_new)
        rows_old = [self.texts.whole("old", i) for i in free_old]
        rows_new = [self.texts.whole("new", j) for j in free_new]
        self.contain_old = Block(self.texts.containment(rows_old, rows_new), free_old, free_new, n_old, n_new)
        self.contain_new = Block(self.texts.containment(rows_new, rows_old), free_new, free_old, n_new, n_old)
        if "descendants" not in self.options.skip:
            prefer_descendants(
                self.texts, self.sim.values, self.contain_old.values, self.contain_new.values, old, new,
                free_old, free_new, self.options.containment, self.options.candidates,
            )
        # Every similarity and containment of one draft to the other is now in the blocks: the
        # space's whole-draft products they were cut from (64 MB at 2,000 points a side) are
        # let go, before the steps' own work on the blocks. group_similarity does not use them.
        self.texts.space.forget_products()

    def sub_point_votes(self) -> dict[tuple[int, int], float]:
        """For pairs of points with sub-points: the Dice share of their sub-points that are each
        other's best match in the whole of the other draft (and alike enough to be sure of it).

        Sections vote for their chapters: two chapters whose sections went into each other are
        the same chapter, whatever their own words, and two whose sections went elsewhere are not.
        """
        old, new = self.old.forest, self.new.forest
        votes: Counter[tuple[int, int]] = Counter()
        if self.sim.values.size:
            (row_best, row_first), (col_best, _) = self.sim.best()
            for a, i in enumerate(self.sim.rows):
                b = int(row_best[a])
                if int(col_best[b]) != a or row_first[a] < self.options.confident:
                    continue
                j = self.sim.cols[b]
                pi, pj = old.parent[i], new.parent[j]
                if pi != ROOT and pj != ROOT:
                    votes[(pi, pj)] += 1
        return {
            (pi, pj): 2.0 * n / (len(old.children[pi]) + len(new.children[pj])) for (pi, pj), n in votes.items()
        }

    def _rare_words(self) -> tuple[list[frozenset[str]], list[frozenset[str]]]:
        """Each point's words (and numbers) that no other point of its draft uses."""
        out = []
        for side in (self.old, self.new):
            texts = [point.text for point in side.forest.points]
            # Counted first, then read again for the rare ones: every point's whole set of words,
            # held at once, cost ~100 MB at the peak on a 15 MB pair.
            counts = Counter(itertools.chain.from_iterable(set(content_words(text)) for text in texts))
            once = {w for w, n in counts.items() if n == 1 and (len(w) > 3 or _NUMBER_RE.search(w))}
            out.append([frozenset(once.intersection(content_words(text))) for text in texts])
        return out[0], out[1]

    def sorted_at(self, rows: list[int], cols: list[int], axis: int) -> dict[int, Any]:
        """candidates.sorted_at of the similarities of these points, kept: a level's medians and
        best pairs are read from one pass over its block (0.05 s a pass over a rewrite's 2,000 ×
        2,000), not two."""
        key = (tuple(rows), tuple(cols), axis)
        if key not in self._sorted_at:
            self._sorted_at[key] = sorted_at(self.sim.block(rows, cols), axis, self.options.candidates)
        return self._sorted_at[key]

    def shares_rare_word(self, i: int, j: int) -> bool:
        """Whether the two points share a word or number that neither draft uses anywhere else."""
        if self._rare is None:
            # Counted on first use: only leftovers in the same slot of a gap ever ask.
            self._rare = self._rare_words()
        return bool(self._rare[0][i] & self._rare[1][j])

    def children_evidence(self, i: int, j: int) -> float:
        """The sub-points' vote for the pair (0 when either has none)."""
        return self.votes.get((i, j), 0.0)

    # -- measures --------------------------------------------------------------------------------

    def s(self, i: int, j: int) -> float:
        """Similarity of old point i and new point j."""
        return self.sim.get(i, j)

    def pair_sim(self, side: Side, k: int, partner: int) -> float:
        """Similarity of point k on side and point partner on the other side."""
        return self.s(k, partner) if side.name == "old" else self.s(partner, k)

    def contained(self, side: Side, k: int, partner: int) -> float:
        """Share of point k's words found in partner (on the other side)."""
        return (self.contain_old if side.name == "old" else self.contain_new).get(k, partner)

    def same_side_sim(self, side: Side, a: int, b: int) -> float:
        """Similarity of two points of the same draft."""
        ra, rb = self.texts.whole(side.name, a), self.texts.whole(side.name, b)
        if ra < 0 or rb < 0:
            return 1.0 if side.forest.full[a] == side.forest.full[b] else 0.0
        return self.texts.group_similarity([ra], [rb])


    def gain(self, g: Pending, side: Side, other: Side, k: int) -> float:
        """How much the group's similarity rises if point k of side joins it."""
        mine = [self.texts.whole(side.name, x) for x in g.side(side.name)]
        theirs = [self.texts.whole(other.name, x) for x in g.side(other.name)]
        row = self.texts.whole(side.name, k)
        if min(mine + theirs + [row]) < 0:
            return 0.0
        before = self.texts.group_similarity(mine, theirs)
        return self.texts.group_similarity(mine + [row], theirs) - before

    def join(self, side: Side, other: Side, k: int, partner: int) -> None:
        """Point k (on side) joins the group of partner (on the other side), which is made if needed."""
        g = other.group_of.get(partner)
        if g is None:
            g = self.link([], [], how="part")
            g.side(other.name).append(partner)
            other.group_of[partner] = g
        members = g.side(side.name)
        members.append(k)
        members.sort()
        side.group_of[k] = g
        if g.how == "assign":
            g.how = "part"

    # -- structure -------------------------------------------------------------------------------

    def same_label(self, i: int, j: int) -> bool:
        """Whether the two points carry the same number among their siblings."""
        return self.old.forest.own_label(i) == self.new.forest.own_label(j)

    def keeping_rate(self) -> float:
        """Share of the links so far (identical or alike) whose points kept their number under linked parents."""
        kept = total = 0
        for g in self.pending:
            if len(g.old) != 1 or len(g.new) != 1 or g.pinned:
                continue
            i, j = g.old[0], g.new[0]
            if not g.anchored and self.s(i, j) < self.options.confident:
                continue
            total += 1
            kept += self.parents_linked(i, j) and self.same_label(i, j)
        return kept / total if total else 0.0

    def slot_evidence(self, i: int, j: int) -> float:
        """1 when both neighbours of i are linked to the matching neighbours of j (or both are missing), ½ for one."""
        old, new = self.old.forest, self.new.forest
        sib_i, sib_j = old.siblings(i), new.siblings(j)
        si, sj = old.slot[i], new.slot[j]
        score = 0.0
        for step in (-1, 1):
            a, b = si + step, sj + step
            in_i, in_j = 0 <= a < len(sib_i), 0 <= b < len(sib_j)
            if (not in_i and not in_j) or (in_i and in_j and self.linked(sib_i[a], sib_j[b])):
                score += 0.5
        return score

    def containers(self) -> list[tuple[list[int], list[int]]]:
        """Sibling lists that face each other: the top levels, and the sub-points of each linked group."""
        old, new = self.old.forest, self.new.forest
        out = [(list(old.roots), list(new.roots))]
        for g in self.pending:
            olds = [c for i in g.old for c in old.children[i]]
            news = [c for j in g.new for c in new.children[j]]
            if olds and news:
                out.append((olds, news))
        return out

    # -- phase two -------------------------------------------------------------------------------

    def whole_scope(self) -> Scope:
        """Every point, measured against every point measured at all (built once: phase two and the
        links' confidence ask the same questions of it, and its measures do not change with links)."""
        if self._whole is None:
            if self._released:
                raise RuntimeError("Aligner.whole_scope: asked for after release()")
            self._whole = Scope(self, list(range(len(self.old.forest))), list(range(len(self.new.forest))), whole=True)
            self._whole.measure()
        return self._whole

    def release(self) -> None:
        """Let go of the whole scope once the groups are built. It refers back to this aligner, so
        without this its matrices (a few hundred MB for long drafts) would wait for Python's cycle
        collector, and be copied into every process forked meanwhile."""
        self._whole = None
        self._measured.clear()
        self._sorted_at.clear()
        self._released = True

    def repair(self) -> None:
        """Phase two: unlinked points at any depth against unlinked points at any depth."""
        self.link_voted_parents()
        scope = self.whole_scope()
        scope.take_better_partners()
        scope.assign_links(structure=True)
        scope.merges_and_weak_pairs()
        # A link made in one gap can leave a lone pair in it: go on until nothing changes.
        while True:
            before = len(self.pending)
            for olds, news in self.containers():
                scope.fill_gap(olds, news)
            if len(self.pending) == before:
                break


    def link_voted_parents(self) -> None:
        """Two points whose sub-points are each other's best matches are one point, at any depth.

        Phase one cannot link a section promoted to a chapter of its own with its sub-sections
        (7.2 with 7.2.1 and 7.2.2 → 6 with 6.1 and 6.2): at the top level 6 is read as part of
        chapter 7, whose whole text holds 7.2's words. The sub-points say otherwise. The pair is
        linked when it is at least as alike as every link it breaks, and its sub-points are
        aligned as a level of their own.
        """
        for (i, j), vote in sorted(self.votes.items(), key=lambda kv: (-kv[1], kv[0])):
            if vote < _VOTES or self.linked(i, j) or i in self.old.excluded or j in self.new.excluded:
                continue
            s = self.s(i, j)
            g_old, g_new = self.old.group_of.get(i), self.new.group_of.get(j)
            if any(g is not None and (g.pinned or g.anchored) for g in (g_old, g_new)):
                continue
            if g_old is not None and any(self.s(i, y) > s for y in g_old.new):
                continue
            if g_new is not None and any(self.s(x, j) > s for x in g_new.old):
                continue
            for side, k, g in ((self.old, i, g_old), (self.new, j, g_new)):
                if g is None:
                    continue
                members = g.side(side.name)
                if len(members) > 1:
                    members.remove(k)
                    del side.group_of[k]
                else:
                    self.unlink(g)
            self.link([i], [j], how="voted")
            levels = [Level(self, list(self.old.forest.children[i]), list(self.new.forest.children[j]))]
            while levels:
                levels.extend(levels.pop(0).run())


class Scope:
    """The points one step looks at: a level's siblings (phase one), or every point (phase two)."""

    def __init__(self, aligner: Aligner, olds: list[int], news: list[int], whole: bool = False) -> None:
        """Points of each draft in scope; `whole` measures the background against every point."""
        self.a = aligner
        self.opts = aligner.options
        self.olds, self.news = olds, news
        self.in_old, self.in_new = set(olds), set(news)
        self.whole = whole

    def free(self, side: Side) -> list[int]:
        """The points of side in scope that are neither linked nor pinned away."""
        members = self.olds if side.name == "old" else self.news
        return [k for k in members if k not in side.group_of and k not in side.excluded]

    def measure(self) -> None:
        """The background (how alike a point is to the other draft in general) and the runners-up.

        Phase one measures them against the level's free points, phase two against every point
        measured at all: a leftover is not more special for its rivals having found partners.
        """
        a = self.a
        if self.whole:
            rows, cols = a.sim.rows, a.sim.cols
        else:
            rows, cols = self.free(a.old), self.free(a.new)
        self.background_old: dict[int, float] = {}
        self.background_new: dict[int, float] = {}
        self.top_old: dict[int, list[tuple[float, int]]] = {}
        self.top_new: dict[int, list[tuple[float, int]]] = {}
        self.measured = min(len(rows), len(cols))
        if not rows or not cols:
            return
        # The same points measured twice give the same measures (the similarities never change):
        # in a rewrite, whose points all stay free through phase one, the top level and the whole
        # scope are the same 2,000 × 2,000, and its medians and runners-up took 0.2 s each time.
        key = (tuple(rows), tuple(cols))
        if key in a._measured:
            self.background_old, self.background_new, self.top_old, self.top_new = a._measured[key]
            return
        sub = a.sim.block(rows, cols)
        for i, value in zip(rows, medians(sub, 1, a.sorted_at(rows, cols, 1))):
            self.background_old[i] = float(value)
        for j, value in zip(cols, medians(sub, 0, a.sorted_at(rows, cols, 0))):
            self.background_new[j] = float(value)
        self.top_old = _best_few(sub, rows, cols)
        self.top_new = _best_few(sub.T, cols, rows)
        a._measured[key] = (self.background_old, self.background_new, self.top_old, self.top_new)

    def lift(self, i: int, j: int) -> float:
        """How many times more alike i and j are than each is to the other draft in general."""
        if min(len(self.olds), len(self.news), self.measured) < _BACKGROUND_MIN:
            # With a handful of points (or of points left to align) there is no background to
            # speak of: place decides.
            return math.inf
        background = max(self.background_old.get(i, 0.0), self.background_new.get(j, 0.0), 0.005)
        return self.a.s(i, j) / background

    def runner_up(self, i: int, j: int) -> float:
        """The best similarity either point has to anything else on the other side.

        A point's parent and its sub-points are no rivals of it: a parent's whole text holds its
        sub-points' words, so it is always nearly as alike a sub-point's partner as the sub-point.
        """
        old, new = self.a.old.forest, self.a.new.forest

        def best_other(top: list[tuple[float, int]], partner: int, forest: Forest) -> float:
            for value, k in top:
                if k != partner and not (k < partner < forest.end[k]) and not (partner < k < forest.end[partner]):
                    return value
            return top[-1][0] if len(top) >= _RIVALS else 0.0

        row = best_other(self.top_old.get(i, []), j, new)
        col = best_other(self.top_new.get(j, []), i, old)
        return max(0.0, row, col)

    # -- the steps -------------------------------------------------------------------------------

    def anchor(self) -> None:
        """2. Identical text after normalisation; copies of one text paired by position."""
        old, new = self.a.old.forest, self.a.new.forest
        by_text: dict[str, tuple[list[int], list[int]]] = {}
        for i in self.free(self.a.old):
            by_text.setdefault(old.full[i], ([], []))[0].append(i)
        for j in self.free(self.a.new):
            if new.full[j] in by_text:
                by_text[new.full[j]][1].append(j)
        place_old = {i: k for k, i in enumerate(self.olds)}
        place_new = {j: k for k, j in enumerate(self.news)}
        n_old, n_new = max(len(self.olds) - 1, 1), max(len(self.news) - 1, 1)
        anchors: list[tuple[int, int]] = []
        for ois, njs in by_text.values():
            if ois and njs:
                # Squared, not absolute: with |d| a crossing pairing can cost exactly as much as
                # the one in order (two copies on the same side of two others), and the
                # assignment may pick it, showing identical texts as moved; a convex cost
                # keeps the copies in order.
                cost = [[(place_old[i] / n_old - place_new[j] / n_new) ** 2 for j in njs] for i in ois]
                anchors.extend((ois[x], njs[y]) for x, y in assign(cost))
        for i, j in sorted(anchors):
            self.a.anchor_subtree(i, j)

    def expected_places(self) -> dict[int, float]:
        """Where each old point in scope would sit among the new ones, interpolated between in-order links."""
        place_new = {j: k for k, j in enumerate(self.news)}
        pairs = sorted(
            (x, place_new[j])
            for x, i in enumerate(self.olds)
            if (g := self.a.old.group_of.get(i)) is not None and g.new and (j := g.new[0]) in place_new
        )
        keep = longest_increasing([b for _, b in pairs])
        known = [pairs[k] for k in sorted(keep)]
        n_old, n_new = len(self.olds), len(self.news)
        if not known:
            scale = (n_new - 1) / (n_old - 1) if n_old > 1 else 0.0
            return {i: x * scale for x, i in enumerate(self.olds)}
        marks = [(-1, -1.0)] + [(x, float(b)) for x, b in known] + [(n_old, float(n_new))]
        out: dict[int, float] = {}
        k = 0
        for x, i in enumerate(self.olds):
            while marks[k + 1][0] < x:
                k += 1
            (x0, b0), (x1, b1) = marks[k], marks[k + 1]
            out[i] = b0 + (b1 - b0) * (x - x0) / (x1 - x0) if x1 != x0 else b0
        return out

    def assign_links(self, structure: bool = False) -> None:
        """3. One-to-one links by optimal assignment on similarity and sub-point votes, with a weak
        position prior (phase one) or what the structure around the pair supports (phase two)."""
        a, opts = self.a, self.opts
        free_old, free_new = self.free(a.old), self.free(a.new)
        if not free_old or not free_new:
            return
        sub = a.sim.block(free_old, free_new)
        rows_idx, cols_idx = best_pairs(
            sub, opts.threshold, opts.candidates, a.sorted_at(free_old, free_new, 1), a.sorted_at(free_old, free_new, 0)
        )
        pairs = {(free_old[x], free_new[y]) for x, y in zip(rows_idx.tolist(), cols_idx.tolist())}
        if a.votes:
            in_old, in_new = set(free_old), set(free_new)
            pairs.update(p for p, v in a.votes.items() if v >= _VOTES and p[0] in in_old and p[1] in in_new)
        expected = {} if structure else self.expected_places()
        place_new = {j: k for k, j in enumerate(self.news)}
        score: dict[tuple[int, int], float] = {}
        for i, j in pairs:
            value = a.s(i, j)
            if i in expected and "prior" not in opts.skip:
                value += opts.prior * max(0.0, 1.0 - abs(expected[i] - place_new[j]) / opts.prior_width)
            value += _CHILDREN * a.children_evidence(i, j)
            if structure and a.parents_linked(i, j):
                value += _PARENT + _SLOT * a.slot_evidence(i, j)
            score[(i, j)] = value
        edges = list(score)
        comps = components(edges)
        component_of = {r: k for k, (rows, _) in enumerate(comps) for r in rows}
        scores: list[dict[tuple[int, int], float]] = [{} for _ in comps]
        for (i, j), value in score.items():
            scores[component_of[i]][(i, j)] = value
        for (comp_rows, comp_cols), comp_score in zip(comps, scores):
            for r, c in assign(cost_matrix(comp_rows, comp_cols, comp_score)):
                i, j = comp_rows[r], comp_cols[c]
                if (i, j) not in comp_score:
                    continue
                s = a.s(i, j)
                voted = a.children_evidence(i, j) >= _VOTES
                # A modest link must stand out from its neighbours: a drop and an addition on a
                # shared topic are alike too, but not more alike than everything around them.
                if not voted and s < opts.confident and s < opts.weak_margin * self.runner_up(i, j):
                    continue
                a.link([i], [j])

    def merges_and_weak_pairs(self) -> None:
        """4 and 5a: merge and split parts, then weak links (each can be left out to measure it)."""
        a, skip = self.a, self.opts.skip
        if "regroup" not in skip:
            self.regroup()
        if "attach" not in skip:
            self.attach(a.old, a.new)
            self.attach(a.new, a.old)
        if "weak" not in skip:
            self.weak_pairs()

    def take_better_partners(self) -> None:
        """Phase two: a point linked inside its parent gives way to a far better unlinked partner elsewhere.

        A section moved to another chapter is often paired with a weaker partner inside the
        chapter its parent was matched to; the pair it should have is left unlinked.
        """
        import numpy as np

        a, opts = self.a, self.opts
        for side, other in ((a.old, a.new), (a.new, a.old)):
            free_other = self.free(other)
            if not free_other:
                continue
            # Over the measured partners, in the block's order: which are still free.
            measured = a.sim.cols if side.name == "old" else a.sim.rows
            free_mask = np.zeros(len(measured), dtype=bool)
            at = a.sim.col_at if side.name == "old" else a.sim.row_at
            for partner in free_other:
                if at[partner] >= 0:
                    free_mask[at[partner]] = True
            if not free_mask.any():
                continue
            for g in [g for g in a.pending if g.how in ("assign", "weak", "gap") and len(g.old) == 1 and len(g.new) == 1]:
                if g not in a.pending:
                    continue
                k = g.side(side.name)[0]
                now = a.pair_sim(side, k, g.side(other.name)[0])
                partners, sims = a.sim.row(k) if side.name == "old" else a.sim.column(k)
                if not len(partners):
                    continue
                floor = max(opts.confident, now + opts.regroup_margin)
                candidates = np.where(free_mask & (sims >= floor), sims, -1.0)
                # The last of the most alike free partners (ties go to the later point).
                x = len(candidates) - 1 - int(candidates[::-1].argmax())
                if candidates[x] < floor:
                    continue
                best = partners[x]
                a.unlink(g)
                pair = ([k], [best]) if side.name == "old" else ([best], [k])
                a.link(*pair)
                free_mask[x] = False

    def regroup(self) -> None:
        """4a. A point the assignment paired with an added (or dropped) point, but which plainly lies
        inside another linked point, joins that point's group: the part of a merge or split."""
        a, opts = self.a, self.opts
        groups = [g for g in a.pending if len(g.old) == 1 and len(g.new) == 1 and g.how == "assign"]
        floors = [a.s(g.old[0], g.new[0]) + opts.regroup_margin for g in groups]
        # Each point's partners that could pass best_home's first tests, found for every group at
        # once: they read the similarities alone, which do not change as the groups do (a row at a
        # time, the 4,000 of a rewrite took 0.1 s).
        starts = [(g.old[0], g.new[0]) for g in groups]
        hopeful_old = self._literal_hopefuls(a.old, [i for i, _ in starts], floors)
        hopeful_new = self._literal_hopefuls(a.new, [j for _, j in starts], floors)
        for g, start, floor, from_old, from_new in zip(groups, starts, floors, hopeful_old, hopeful_new, strict=True):
            if g not in a.pending or g.old[0] not in self.in_old or g.new[0] not in self.in_new:
                continue
            i, j = g.old[0], g.new[0]
            if (i, j) != start:
                # A point that joined the group earlier in this loop now leads it: its own floor
                # and partners, found as they were before.
                floor, from_old, from_new = a.s(i, j) + opts.regroup_margin, None, None
            for side, other, k, hopeful in ((a.old, a.new, i, from_old), (a.new, a.old, j, from_new)):
                best = self.best_home(side, other, k, exclude=g, floor=floor, literal_only=True, hopeful=hopeful)
                if best is not None:
                    a.unlink(g)
                    a.join(side, other, k, best)
                    break

    def _literal_hopefuls(self, side: Side, points: list[int], floors: list[float]) -> list[Any]:
        """For each point of side, best_home's partners worth a look for a literal home above its
        floor (literal_only), as positions in the measured partners: the whole block compared at
        once, no row of it copied out."""
        import numpy as np

        a, opts = self.a, self.opts
        old_side = side.name == "old"
        sims = a.sim.values if old_side else a.sim.values.T
        at = a.sim.row_at if old_side else a.sim.col_at
        # The containment blocks were measured over the same points as sim, in the same order.
        contains = (a.contain_old if old_side else a.contain_new).values
        floor = np.full(sims.shape[0], np.inf)  # no row asked about: none worth a look
        for k, value in zip(points, floors, strict=True):
            if at[k] >= 0:
                floor[at[k]] = value
        worth = _worth_a_look(sims, contains, floor[:, None], opts)
        empty = np.zeros(0, dtype=np.intp)
        return [worth[at[k]].nonzero()[0] if at[k] >= 0 else empty for k in points]

    def best_home(
        self, side: Side, other: Side, k: int, exclude: Pending | None, floor: float, literal_only: bool,
        hopeful: Any = None,
    ) -> int | None:
        """The partner on the other side whose group point k (on side) should join, if any.
        hopeful: the partners worth a look, found already (_literal_hopefuls)."""
        a, opts = self.a, self.opts
        best: tuple[tuple[float, float, float], int] | None = None
        partners, sims = a.sim.row(k) if side.name == "old" else a.sim.column(k)
        if hopeful is None:
            # The containment blocks were measured over the same points as sim, in the same order.
            _, contains = (a.contain_old if side.name == "old" else a.contain_new).row(k)
            # Only partners that could pass either test below are looked at one by one.
            lowest = min(floor, opts.threshold) if not literal_only else floor
            hopeful = _worth_a_look(sims, contains, lowest, opts).nonzero()[0]
        in_scope = self.in_new if other.name == "new" else self.in_old
        forest = side.forest
        for partner in [partners[x] for x in hopeful.tolist()]:
            if partner in other.excluded or partner not in in_scope:
                continue
            g = other.group_of.get(partner)
            if g is exclude:
                continue
            mine = g.side(side.name) if g is not None else []
            # Only a group with a single point on the partner's side can grow on this side; a
            # split that also merged would be many-to-many, which no reader can follow.
            if g is not None and (len(g.side(other.name)) != 1 or g.pinned):
                continue
            s = a.pair_sim(side, k, partner)
            if s < floor:
                continue
            if mine:
                # The parts of a merge or split are siblings that sit together in their draft; a
                # far point that shares words is a different provision.
                if any(forest.parent[x] != forest.parent[k] for x in mine):
                    continue
                distance = min(abs(forest.slot[k] - forest.slot[x]) for x in mine)
                if distance > opts.part_window:
                    continue
                # A near-copy of a member is a sibling from a boilerplate family, not a part.
                if any(forest.full[x] == forest.full[k] or a.same_side_sim(side, x, k) >= opts.sibling_limit for x in mine):
                    continue
            else:
                distance = 0
            c = a.contained(side, k, partner)
            literal = c >= opts.containment and s >= opts.containment_floor
            reworded = (
                not literal_only and g is not None and s >= opts.threshold and a.gain(g, side, other, k) >= opts.merge_gain
            )
            if not (literal or reworded):
                continue
            if g is None and not (self.lift(*((k, partner) if side.name == "old" else (partner, k))) >= opts.lift):
                continue
            key = (c if literal else 0.0, s, -float(distance))
            if best is None or key > best[0]:
                best = (key, partner)
        return best[1] if best is not None else None

    def attach(self, side: Side, other: Side) -> None:
        """4b. Leftover points join a group on the other side as merges or splits."""
        for k in self.free(side):
            partner = self.best_home(side, other, k, exclude=None, floor=self.opts.containment_floor, literal_only=False)
            if partner is not None:
                self.a.join(side, other, k, partner)

    def weak_pairs(self) -> None:
        """5a. Leftovers that are each other's clear best match, though below the threshold."""
        a, opts = self.a, self.opts
        free_old, free_new = self.free(a.old), self.free(a.new)
        if not free_old or not free_new:
            return
        sub = a.sim.block(free_old, free_new)
        for x, i in enumerate(free_old):
            y = int(sub[x].argmax())
            j = free_new[y]
            s = float(sub[x, y])
            if s < opts.weak_threshold or int(sub[:, y].argmax()) != x or j in a.new.group_of:
                continue
            # Heavily reworded provisions are still each other's best match by a wide margin and
            # far more alike than either is to the rest; a drop and an addition that merely share
            # vocabulary are neither.
            if s < opts.weak_margin * self.runner_up(i, j) or self.lift(i, j) < opts.lift:
                continue
            a.link([i], [j], how="weak")

    def fill_gap(self, olds: list[int], news: list[int]) -> None:
        """5b. The leftovers of the gaps between in-order links of two facing sibling lists.

        When a draft rewrites a provision from scratch in the same slot (the European
        counter-proposal's territory clause), the words share little, but the place says it all.
        A lone leftover on each side of a gap is linked when the pair is clearly more alike than
        either point is to the other draft. Leftovers in the same slot are linked when they share
        a number or a rare word (or are weakly alike): in a draft that keeps its numbering, those
        that keep their number; in any draft, those at the same place in a gap whose points are
        all leftovers and as many on each side — the links around it agree on how far every point
        between them moved, so a point put in front of the rewritten one changes nothing.
        """
        a, opts = self.a, self.opts
        if "gaps" in opts.skip:
            return
        keeps_numbering = "numbering" not in opts.skip and a.keeping_rate() >= _KEEPS_NUMBERING

        def same_slot(i: int, j: int) -> bool:
            return a.shares_rare_word(i, j) or a.s(i, j) >= opts.weak_threshold
        place_new = {j: y for y, j in enumerate(news)}
        linked = sorted(
            {(x, place_new[j]) for x, i in enumerate(olds) if (g := a.old.group_of.get(i)) is not None
             for j in g.new if j in place_new}
        )
        in_order = longest_increasing([y for _, y in linked])
        kept = [linked[k] for k in sorted(in_order)]
        for (lo_x, lo_y), (hi_x, hi_y) in zip([(-1, -1)] + kept, kept + [(len(olds), len(news))]):
            gap_old = [olds[x] for x in range(lo_x + 1, hi_x) if olds[x] not in a.old.excluded]
            gap_new = [news[y] for y in range(lo_y + 1, hi_y) if news[y] not in a.new.excluded]
            free_old = [i for i in gap_old if i not in a.old.group_of]
            free_new = [j for j in gap_new if j not in a.new.group_of]
            if not free_old or not free_new:
                continue
            if len(gap_old) == 1 and len(gap_new) == 1:
                i, j = gap_old[0], gap_new[0]
                if a.s(i, j) >= opts.gap_floor and self.lift(i, j) >= opts.lift:
                    a.link([i], [j], how="gap")
                    continue
            if keeps_numbering:
                by_label = {a.new.forest.own_label(j): j for j in free_new}
                for i in free_old:
                    partner = by_label.get(a.old.forest.own_label(i))
                    if partner is not None and partner not in a.new.group_of and same_slot(i, partner):
                        a.link([i], [partner], how="gap")
            width = hi_x - lo_x - 1
            if "slots" not in opts.skip and width == hi_y - lo_y - 1 == len(free_old) == len(free_new):
                for i, j in zip(free_old, free_new):
                    if i not in a.old.group_of and j not in a.new.group_of and same_slot(i, j):
                        a.link([i], [j], how="gap")


class Level(Scope):
    """Phase one: the sibling points of one level — the top level, or the sub-points of a linked group."""

    def run(self) -> list[Level]:
        """The level's steps, in order; then the levels of the sub-points of its linked groups."""
        a = self.a
        self.anchor()
        self.measure()
        self.assign_links()
        self.merges_and_weak_pairs()
        while True:
            before = len(a.pending)
            self.fill_gap(self.olds, self.news)
            if len(a.pending) == before:
                break
        below = []
        seen: set[int] = set()
        for i in self.olds:
            g = a.old.group_of.get(i)
            if g is None or not g.new or id(g) in seen or g.anchored:
                continue
            seen.add(id(g))
            olds = [c for x in g.old for c in a.old.forest.children[x]]
            news = [c for y in g.new for c in a.new.forest.children[y]]
            if olds and news:
                below.append(Level(a, olds, news))
        return below
