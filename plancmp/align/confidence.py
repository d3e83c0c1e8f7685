"""How sure each link is, and the closest candidates of the points left dropped or added.

A link's confidence is a logistic model of what the aligner saw when it made the link: how alike
the two texts are, how far ahead of its runner-up the pair stands, and what the structure says
(linked parents, linked neighbours, the same number, sub-points that went into each other, a
change of depth). Its weights were fitted by `bench/fit_confidence.py` on the real documents of
bench/real and on synthetic pairs, each real pair held out in turn to check the calibration.
Identical and pinned links are certain.
"""

from __future__ import annotations

import math

from plancmp.align.steps import Aligner, Pending, Scope

UNCERTAIN = 0.7
"""Links less sure than this are shown as "probably 6 → 6" for a person to confirm."""
CANDIDATES = 3
"""How many closest points a dropped or added point lists."""
CLOSEST_FLOOR = 0.1
"""Least similarity for a point to be listed among the closest."""

FEATURES = ("bias", "similarity", "margin", "parents", "slot", "label", "children", "made_weak", "part", "moved_level")
"""What the model weighs, in the order of `WEIGHTS`."""
WEIGHTS = (0.37, 2.24, 3.42, 0.61, 2.5, -0.08, -0.44, -1.42, 0.63, -0.74)
"""Fitted by bench/fit_confidence.py (see the module docstring)."""


def features(a: Aligner, scope: Scope, g: Pending) -> tuple[float, ...]:
    """The model's inputs for one group, measured on its most alike pair."""
    i, j = max(((x, y) for x in g.old for y in g.new), key=lambda p: (a.s(*p), -p[0], -p[1]))
    s = a.s(i, j)
    old, new = a.old.forest, a.new.forest
    parents = a.parents_linked(i, j)
    return (
        1.0,
        s,
        s - scope.runner_up(i, j),
        1.0 if parents else 0.0,
        a.slot_evidence(i, j) if parents else 0.0,
        1.0 if parents and a.same_label(i, j) else 0.0,
        a.children_evidence(i, j),
        1.0 if g.how in ("weak", "gap") else 0.0,
        1.0 if len(g.old) + len(g.new) > 2 else 0.0,
        1.0 if old.depth[i] != new.depth[j] else 0.0,
    )


def probability(values: tuple[float, ...], weights: tuple[float, ...] = WEIGHTS) -> float:
    """The logistic model's probability for these inputs."""
    z = sum(w * x for w, x in zip(weights, values))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def link_confidence(a: Aligner, scope: Scope, g: Pending) -> float:
    """How sure the link is, 0–1 (1 for identical text and for pins)."""
    if g.pinned or g.anchored:
        return 1.0
    return round(probability(features(a, scope, g)), 2)


def closest(a: Aligner, side: str, k: int) -> tuple[tuple[str, float], ...]:
    """Up to three points on the other side most alike point k (similarity ≥ CLOSEST_FLOOR), with their similarity."""
    partners, sims = a.sim.row(k) if side == "old" else a.sim.column(k)
    if not len(partners):
        return ()
    other = a.new.forest if side == "old" else a.old.forest
    # Below a tenth the "closest" point shares a stray word or two: no lead for a person.
    ranked = sorted(((-float(v), n) for n, v in zip(partners, sims.tolist()) if v >= CLOSEST_FLOOR), key=lambda t: (t[0], t[1]))
    return tuple((other.id(n), round(-v, 2)) for v, n in ranked[:CANDIDATES])
