"""The pairs of points an alignment will likely make, guessed in a moment without it.

compare works out their diffs on a core the alignment leaves idle, before it is done; a guess it
does not make costs only that core's time.
"""

from __future__ import annotations

from collections import Counter

from plancmp.align.assign import longest_increasing
from plancmp.model import Document, Point


def likely_pairs(old: Document, new: Document) -> list[tuple[Point, Point]]:
    """Points the alignment will likely pair, guessed in a moment without it, as diff pairs lines.

    Points whose text each draft has once, in the same order, are anchors. Between two anchors,
    where both drafts have as many points, they are paired in order (a rewrite, whose points all
    changed, is one such stretch); where they have not, by number. Most of a revision's changed
    points are found so, and a guess the alignment does not make costs only time on a core that
    had nothing else to do (compare._meanwhile).
    """
    a, b = list(old.walk()), list(new.walk())
    once_a, once_b = Counter(p.text for p in a), Counter(q.text for q in b)
    at_b = {q.text: j for j, q in enumerate(b) if once_b[q.text] == 1}
    anchors = [(i, at_b[p.text]) for i, p in enumerate(a) if once_a[p.text] == 1 and p.text in at_b]
    kept = longest_increasing([j for _, j in anchors])
    out: list[tuple[Point, Point]] = []
    prev_i = prev_j = -1
    for i, j in [*(anchors[k] for k in sorted(kept)), (len(a), len(b))]:
        gap_a, gap_b = a[prev_i + 1 : i], b[prev_j + 1 : j]
        if len(gap_a) == len(gap_b):
            out += zip(gap_a, gap_b)
        else:
            by_id = {q.id: q for q in gap_b}
            out += [(p, by_id[p.id]) for p in gap_a if p.id in by_id]
        prev_i, prev_j = i, j
    return out
