"""How alike the free points of two drafts are: text similarity, containment, and the background.

Every point at any depth is measured against every point at any depth on the other side. A point
with sub-points is compared in two ways — by its own words and by its words with its sub-points'
— and a pair takes the reading that fits it: two parents compare as wholes (a chapter against a
chapter), a parent and a single point by whichever of the parent's readings is closer (a
sub-section promoted to a chapter of its own keeps its opening words, not its new children).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from plancmp.align.forest import Forest


class Block:
    """A matrix (old × new, or new × old) that is zero outside the points measured.

    Only the rows and columns of points free when it was measured are held, so a long revision
    whose points are mostly identical costs a small matrix, not one of every pair.
    """

    def __init__(self, values: Any, rows: Sequence[int], cols: Sequence[int], n_rows: int, n_cols: int) -> None:
        """values[a, b] belongs to point rows[a] and point cols[b]."""
        self.values = values
        self.rows, self.cols = list(rows), list(cols)
        self.row_at, self.col_at = [-1] * n_rows, [-1] * n_cols
        for a, r in enumerate(self.rows):
            self.row_at[r] = a
        for b, c in enumerate(self.cols):
            self.col_at[c] = b

    @classmethod
    def empty(cls, n_rows: int, n_cols: int) -> Block:
        """A matrix of zeros."""
        import numpy as np

        return cls(np.zeros((0, 0)), [], [], n_rows, n_cols)

    def get(self, r: int, c: int) -> float:
        """The value at point r, point c."""
        a, b = self.row_at[r], self.col_at[c]
        return float(self.values[a, b]) if a >= 0 and b >= 0 else 0.0

    def block(self, rows: Sequence[int], cols: Sequence[int]) -> Any:
        """The values at these rows and columns, which must all have been measured: read-only,
        for every row and column measured, in order, is a view of the block itself, not a copy
        (in a rewrite the steps ask for the whole of it, 32 MB at 2,000 points a side)."""
        import numpy as np

        if list(rows) == self.rows and list(cols) == self.cols:
            whole = self.values.view()
            whole.flags.writeable = False
            return whole
        at_rows, at_cols = [self.row_at[r] for r in rows], [self.col_at[c] for c in cols]
        # -1 would quietly read the last row or column: a caller asking for a point that was
        # not free when the block was measured is a bug, not a zero.
        if min(at_rows, default=0) < 0 or min(at_cols, default=0) < 0:
            raise ValueError("Block.block: a row or column that was not measured")
        return self.values[np.ix_(at_rows, at_cols)]

    def best(self) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
        """For the rows, then the columns: where each has its largest value (the first, in block
        indexes), and that value."""
        return _best(self.values), _best(self.values.T)

    def row(self, r: int) -> tuple[list[int], Any]:
        """The measured columns and row r's values there (none if r was not measured)."""
        a = self.row_at[r]
        return (self.cols, self.values[a]) if a >= 0 else ([], self.values.reshape(-1)[:0])

    def column(self, c: int) -> tuple[list[int], Any]:
        """The measured rows and column c's values there (none if c was not measured)."""
        b = self.col_at[c]
        return (self.rows, self.values[:, b]) if b >= 0 else ([], self.values.reshape(-1)[:0])


def _best(matrix: Any) -> tuple[Any, Any]:
    """For each row: the column of its largest value (the first, if several), and that value."""
    import numpy as np

    m = np.asarray(matrix)
    if m.shape[1] == 0:
        return np.zeros(m.shape[0], dtype=int), np.zeros(m.shape[0])
    best = m.argmax(axis=1)
    return best, m[np.arange(m.shape[0]), best]


def sorted_places(n: int, keep: int) -> list[int]:
    """Where, in a row or column of n values sorted from the least, the steps look: the middle one
    or two (its median) and the keep-th largest (best_pairs)."""
    half = n // 2
    return sorted({half - 1 if n % 2 == 0 else half, half, *([n - keep] if n > keep else [])})


def sorted_at(sub: Any, axis: int, keep: int) -> dict[int, Any]:
    """Each row's (axis 1) or column's (axis 0) values at sorted_places, as np.partition puts them
    there: one pass over the block for the medians and the best pairs both."""
    import numpy as np

    places = sorted_places(sub.shape[axis], keep)
    if not sub.size:
        return {}
    ordered = np.partition(sub, places, axis=axis)
    return {k: ordered.take(k, axis=axis) for k in places}


def best_pairs(sub: Any, threshold: float, keep: int, at_rows: dict[int, Any], at_cols: dict[int, Any]) -> Any:
    """Pairs above the threshold that are among each point's `keep` best on the other side.

    In a draft full of boilerplate nearly every pair clears the threshold; keeping each point's
    few best keeps the assignment near-linear in the number of points without changing its
    answer (the assignment never picks a partner ten places down both lists). at_rows and
    at_cols: sorted_at(sub, 1, keep) and sorted_at(sub, 0, keep).
    """
    import numpy as np

    m = np.asarray(sub)
    mask = m >= threshold
    row_best = m >= at_rows[m.shape[1] - keep][:, None] if m.shape[1] > keep else np.ones_like(mask)
    col_best = m >= at_cols[m.shape[0] - keep][None, :] if m.shape[0] > keep else np.ones_like(mask)
    return (mask & (row_best | col_best)).nonzero()


class Texts:
    """The TF-IDF space over the points still to align, with each point's rows in it.

    Each such point has a row for its whole text (its own words, then its sub-points'); a point
    with sub-points and words of its own also has a row for those alone.
    """

    def __init__(
        self, old: Forest, new: Forest, old_keep: Sequence[int], new_keep: Sequence[int], threads: int = 1
    ) -> None:
        """Fit the space on the kept points of both drafts (threads: for its products; see TextSpace)."""
        from plancmp.similarity import TextSpace

        texts: list[str] = []
        self.whole_old, self.own_old = self._rows(old, old_keep, texts)
        split = len(texts)
        self.whole_new, self.own_new = self._rows(new, new_keep, texts)
        self.space = TextSpace(texts, split=split, threads=threads)

    @staticmethod
    def _rows(forest: Forest, keep: Sequence[int], texts: list[str]) -> tuple[dict[int, int], dict[int, int]]:
        whole: dict[int, int] = {}
        own: dict[int, int] = {}
        for k in keep:
            point = forest.points[k]
            whole[k] = len(texts)
            texts.append(point.full_text if point.children else point.text)
        for k in keep:
            point = forest.points[k]
            if point.children and forest.own[k]:
                own[k] = len(texts)
                texts.append(point.text)
        return whole, own

    def whole(self, side: str, k: int) -> int:
        """The row of point k's whole text, -1 if it is not in the space."""
        return (self.whole_old if side == "old" else self.whole_new).get(k, -1)

    def similarity(self, old: Forest, new: Forest, free_old: Sequence[int], free_new: Sequence[int]) -> Any:
        """Similarity of every free old point to every free new point, each pair in its best reading."""
        import numpy as np

        rows = [self.whole_old[i] for i in free_old]
        cols = [self.whole_new[j] for j in free_new]
        sim = np.asarray(self.space.similarity(rows, cols), dtype=float)  # the space's answer is ours to change
        leaf_cols = np.array([not new.children[j] for j in free_new], dtype=bool)
        leaf_rows = np.array([not old.children[i] for i in free_old], dtype=bool)
        # A parent against a single point: the parent's own words may be the closer reading.
        own_rows = [(a, self.own_old[i]) for a, i in enumerate(free_old) if i in self.own_old]
        if own_rows and leaf_cols.any():
            extra = self.space.similarity([r for _, r in own_rows], cols)
            for (a, _), values in zip(own_rows, extra):
                sim[a, leaf_cols] = np.maximum(sim[a, leaf_cols], values[leaf_cols])
        own_cols = [(b, self.own_new[j]) for b, j in enumerate(free_new) if j in self.own_new]
        if own_cols and leaf_rows.any():
            extra = self.space.similarity(rows, [c for _, c in own_cols])
            for k, (b, _) in enumerate(own_cols):
                sim[leaf_rows, b] = np.maximum(sim[leaf_rows, b], extra[leaf_rows, k])
        return sim

    def containment(self, rows_a: Sequence[int], rows_b: Sequence[int]) -> Any:
        """Share of each a-row's words found in each b-row (whole texts)."""
        return self.space.containment(rows_a, rows_b)

    def group_similarity(self, rows_a: Sequence[int], rows_b: Sequence[int]) -> float:
        """Similarity of the a-rows taken together against the b-rows together."""
        return self.space.group_similarity(rows_a, rows_b)

    def own_reading(self, side: str, k: int, rows_other: Sequence[int]) -> Any:
        """Similarity of parent k's own words (k on side) to the whole texts at rows_other (0 without own words)."""
        import numpy as np

        own = (self.own_old if side == "old" else self.own_new).get(k)
        if own is None:
            return np.zeros(len(rows_other))
        if side == "old":
            return self.space.similarity([own], list(rows_other))[0]
        return self.space.similarity(list(rows_other), [own])[:, 0]


def prefer_descendants(
    texts: Texts, sim: Any, contain_old: Any, contain_new: Any, old: Forest, new: Forest,
    free_old: Sequence[int], free_new: Sequence[int], containment: float, keep: int,
) -> None:
    """A single point that lies plainly inside a parent's sub-point is that sub-point's match, not the parent's.

    A parent's whole text holds its sub-points' words, so a point taken from one of them (a
    sub-section promoted to a section of its own, a section demoted under another) reads as
    alike the parent as a whole. Where the point lies plainly inside one of the parent's
    sub-points and is at least as alike it, the parent is read by its own words alone. Only
    each point's `keep` best partners are looked at: they are the only ones the steps consider.
    """
    import numpy as np

    for forest, other, block, contain, free_mine, free_theirs, side in (
        (old, new, sim, contain_old, free_old, free_new, "new"),
        (new, old, sim.T, contain_new, free_new, free_old, "old"),
    ):
        # block[a, b]: my point a against their point b; contain[a, b]: share of a's words in b.
        if not any(other.children[b] for b in free_theirs):
            continue
        theirs = np.asarray(free_theirs)
        n_best = min(keep, len(free_theirs))
        best = np.argpartition(-block, n_best - 1, axis=1)[:, :n_best]
        for a, k in enumerate(free_mine):
            if forest.children[k]:
                continue
            for b in best[a].tolist():
                j = free_theirs[b]
                if not other.children[j]:
                    continue
                lo = int(np.searchsorted(theirs, j, side="right"))
                hi = int(np.searchsorted(theirs, other.end[j], side="left"))
                if lo >= hi:
                    continue
                if bool(((contain[a, lo:hi] >= containment) & (block[a, lo:hi] >= block[a, b])).any()):
                    row = texts.whole("old" if side == "new" else "new", k)
                    block[a, b] = float(texts.own_reading(side, j, [row])[0])
                    own = (texts.own_old if side == "old" else texts.own_new).get(j)
                    contain[a, b] = float(texts.containment([row], [own])[0, 0]) if own is not None else 0.0
