"""The aligner's knobs and the links an analyst forces (--pin)."""

from __future__ import annotations

from dataclasses import dataclass

from plancmp.errors import UsageError
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


STEPS = {
    "prior": "the position prior that breaks near-ties",
    "votes": "sub-points voting for their parents",
    "regroup": "moving an assigned point into the merge or split it plainly belongs to",
    "attach": "leftovers joining a nearby group as merge or split parts",
    "weak": "leftovers that are each other's clear best match",
    "gaps": "the leftovers of a gap between in-order links",
    "numbering": "in a draft that keeps its numbering, the same number in a gap",
    "slots": "in a gap as long on both sides, the same place in it (a numbering shifted by a constant)",
    "descendants": "a parent read by its own words against a point inside one of its sub-points",
    "repair": "phase two: unlinked points at any depth against unlinked points at any depth",
}
"""The aligner's steps that can be left out to measure them, with what each does."""


@dataclass(frozen=True)
class AlignOptions:
    """Knobs of the aligner; the defaults are the benchmarked ones."""

    threshold: float = 0.25
    """Least score (similarity plus structural evidence) for a one-to-one link found by assignment."""
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
    skip: tuple[str, ...] = ()
    """Steps left out, only to measure what each adds (`bench/bench_align.py --ablation`); see STEPS."""
    pins: tuple[Pin, ...] = ()
    """Links forced by the analyst."""
    threads: int = 1
    """How the aligner runs, not what it finds: threads the similarity products of long drafts
    may share (compare sets it from CompareOptions.workers); the links are the same whatever it is."""


def parse_pin(text: str) -> Pin:
    """Parse "6=4", "12=8+9", "3+4=2", "26=-" or "-=10"; raise UsageError on anything else."""
    left, sep, right = text.partition("=")
    if not sep or not left.strip() or not right.strip() or "=" in right:
        raise UsageError(
            f"--pin {text}: write OLD=NEW, e.g. 6=4, 12=8+9 (split), 3+4=2 (merge), 26=- (dropped), -=10 (added)"
        )

    def ids(side: str, other: str, is_new: bool) -> tuple[str, ...]:
        side = side.strip()
        if side == "-":
            return ()
        if "," in side:
            raise UsageError(f"--pin {text}: join the points of a split or merge with +, e.g. 12=8+9 or 3+4=2")
        parts = [p.strip() for p in side.split("+")]
        if len(parts) > 1 and "-" in parts:
            kept = "+".join(p for p in parts if p != "-")
            fix = f"{other}={kept}" if is_new else f"{kept}={other}"
            raise UsageError(
                f"--pin {text}: '-' stands alone, for no point (26=- dropped, -=10 added)"
                + (f"; did you mean --pin {fix}?" if kept else "")
            )
        if any(not p for p in parts):
            raise UsageError(f"--pin {text}: an empty id in '{side}'; name a point on each side of every +, e.g. 12=8+9")
        return tuple(normalise_id(p) for p in parts)

    old, new = ids(left, right.strip(), False), ids(right, left.strip(), True)
    if not old and not new:
        raise UsageError(f"--pin {text}: at least one side must name a point, e.g. 26=- (dropped) or -=10 (added)")
    if len(old) > 1 and len(new) > 1:
        raise UsageError(
            f"--pin {text}: a pin links one point to several, or several to one, not many to many; "
            "pin them in smaller groups, e.g. 1=3 and 2=4"
        )
    return Pin(old=old, new=new, text=text)
