"""The changes that are only the words a cut-off point lost (plancmp.parse.cutoff finds such points).

Its missing words are no removal of a party or a number: the changes found only in them are
kept, but as notes that say so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from plancmp.diff.edits import hunks
from plancmp.model import Change, Edit, EditOp, Point


def cut_ends(text: str, points: Sequence[Point], cut: frozenset[str]) -> list[tuple[int, str]]:
    """Where, in a side text built from these points, each cut-off point's own words end: (offset, id)."""
    out = []
    at = 0
    for top in points:
        for p in top.walk():
            if not p.text:
                continue
            found = text.find(p.text, at)
            if found < 0:
                continue
            at = found + len(p.text)
            if p.id in cut:
                out.append((found + len(p.text.rstrip()), p.id))
    return out


ChangeFinder = Callable[[str, str, Sequence[Edit], "tuple[str, str] | None"], "tuple[Change, ...]"]
"""substantive_changes with all but its texts, edits and whole texts given."""


def discount_cut_off(
    old: str,
    new: str,
    edits: Sequence[Edit],
    whole: tuple[str, str] | None,
    ends: tuple[list[tuple[int, str]], list[tuple[int, str]]],
    find: ChangeFinder,
) -> tuple[Change, ...]:
    """The changes find reports, with those found only in the words a cut-off point lost turned into
    notes that say so: "$100bn removed (in words lost where new point 12 seems cut off)"."""
    changes = find(old, new, edits, whole)
    old_ends, new_ends = ends
    lost: list[tuple[int, int, int, int, str]] = []
    for h in hunks(edits):
        o1, o2 = h.old_start, h.old_start + len(h.old)
        n1, n2 = h.new_start, h.new_start + len(h.new)
        for end, pid in old_ends:
            if o1 <= end <= o2:
                lost.append((o1, o2, n1, n2, f"old point {pid}"))
        for end, pid in new_ends:
            if n1 <= end <= n2:
                lost.append((o1, o2, n1, n2, f"new point {pid}"))
    if not lost or not changes:
        return changes
    # The same comparison with the lost stretches left out: what it still finds is no artefact.
    kept_edits = _without(edits, [(o1, o2, n1, n2) for o1, o2, n1, n2, _ in lost])
    kept_old = "".join(e.text for e in kept_edits if e.op is not EditOp.INSERT)
    kept_new = "".join(e.text for e in kept_edits if e.op is not EditOp.DELETE)
    kept_whole = None
    if whole is not None:
        kept_whole = (whole[0].replace(old, kept_old, 1), whole[1].replace(new, kept_new, 1))
    still = Counter(find(kept_old, kept_new, kept_edits, kept_whole))
    places = list(dict.fromkeys(w for *_, w in lost))
    where = " and ".join(places) + (" seem" if len(places) > 1 else " seems")
    out = []
    for c in changes:
        if still[c] > 0:
            still[c] -= 1
            out.append(c)
        else:
            out.append(Change(c.kind, c.old, c.new, f"{c.summary} (in words lost where {where} cut off)",
                              substantive=False))
    return tuple(out)


def _without(edits: Sequence[Edit], stretches: list[tuple[int, int, int, int]]) -> list[Edit]:
    """The edits with the deletions and insertions inside the given stretches left out."""
    out: list[Edit] = []
    o = n = 0
    for e in edits:
        length = len(e.text)
        if e.op is EditOp.DELETE:
            if not any(o1 <= o and o + length <= o2 for o1, o2, _, _ in stretches):
                out.append(e)
            o += length
        elif e.op is EditOp.INSERT:
            if not any(n1 <= n and n + length <= n2 for _, _, n1, n2 in stretches):
                out.append(e)
            n += length
        else:
            if out and out[-1].op is EditOp.EQUAL:
                out[-1] = Edit(EditOp.EQUAL, out[-1].text + e.text)
            else:
                out.append(e)
            o += length
            n += length
    return out
