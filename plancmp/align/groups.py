"""From links to the groups a reader sees: statuses, renumbering, moves, and where each group is shown.

Links are found over every depth at once; a reader still reads a draft as points with their
sub-points. Each group is shown where its old point stood — under the group of its old parent —
except that a group touching a top-level point on either side is a top-level group (a sub-point
promoted to a point of its own, or a point demoted), and an added point is shown under the group
of its new parent. Inside each list, groups follow the old draft's order, an added point right
after the group of the point before it.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field

from plancmp.align.assign import longest_increasing
from plancmp.align.confidence import UNCERTAIN, closest, link_confidence
from plancmp.align.steps import Aligner, Pending
from plancmp.model import Group, Status


@dataclass(eq=False)
class _Shown:
    """A group on its way to the reader: its members, where it is shown, and what is shown under it."""

    old: list[int]
    new: list[int]
    pending: Pending | None
    key: tuple[float, int] = (0.0, 0)
    inside: list[_Shown] = field(default_factory=list)
    confidence: float = 1.0


def build_groups(a: Aligner) -> tuple[Group, ...]:
    """The top-level groups, each with the groups shown under it, in reading order."""
    old, new = a.old.forest, a.new.forest
    shown_of_old: dict[int, _Shown] = {}
    shown_of_new: dict[int, _Shown] = {}
    everything: list[_Shown] = []
    for g in a.pending:
        if g.old and g.new:
            s = _Shown(list(g.old), list(g.new), g)
            everything.append(s)
            shown_of_old.update((i, s) for i in g.old)
            shown_of_new.update((j, s) for j in g.new)
    for i in range(len(old)):
        if i not in shown_of_old:
            s = _Shown([i], [], None)
            everything.append(s)
            shown_of_old[i] = s
    for j in range(len(new)):
        if j not in shown_of_new:
            s = _Shown([], [j], None)
            everything.append(s)
            shown_of_new[j] = s

    # How sure each link is, against every point measured: the same measure for every group.
    scope = a.whole_scope()
    for s in everything:
        if s.pending is not None:
            s.confidence = link_confidence(a, scope, s.pending)
    roots: list[_Shown] = []
    for s in everything:
        if any(old.depth[i] == 0 for i in s.old) or any(new.depth[j] == 0 for j in s.new):
            roots.append(s)
        elif s.old:
            shown_of_old[old.parent[s.old[0]]].inside.append(s)
        else:
            shown_of_new[new.parent[s.new[0]]].inside.append(s)
    return tuple(_finish(a, roots))


def _finish(a: Aligner, shown: list[_Shown]) -> list[Group]:
    """One list of groups shown together: ordered, moves told, each built with what it holds."""
    linked_new: list[tuple[int, float]] = []
    for s in shown:
        if s.old:
            s.key = (float(min(s.old)), 0)
            linked_new.extend((j, s.key[0]) for j in s.new)
    linked_new.sort()
    # An added point is shown right after the group holding the new point before it.
    for s in shown:
        if not s.old:
            k = bisect.bisect_left(linked_new, (s.new[0], -math.inf))
            s.key = ((linked_new[k - 1][1] if k else -1.0) + 0.5, s.new[0] + 1)
    shown.sort(key=lambda s: s.key)
    # A point that went to another parent moved whatever the order; it says nothing of the order
    # of the siblings it left (7.b going to 2.a does not move 7.a).
    both = [s for s in shown if s.old and s.new and not _parent_changed(a, s)]
    places = {id(s): _representative(a, s) for s in both}
    by_place = sorted(both, key=lambda s: places[id(s)])
    in_order = longest_increasing([places[id(s)][1] for s in by_place])
    moved = {id(s) for k, s in enumerate(by_place) if k not in in_order}
    return [_group(a, s, id(s) in moved) for s in shown]


def _parent_changed(a: Aligner, s: _Shown) -> bool:
    """Whether the group's points stand under parents that are not linked to each other (or one is top-level)."""
    return not a.parents_linked(s.old[0], s.new[0])


def _representative(a: Aligner, s: _Shown) -> tuple[int, int]:
    """The group's most alike old and new point: where it stands, for telling moves."""
    return max(((i, j) for i in s.old for j in s.new), key=lambda p: (a.s(*p), -p[0], -p[1]))


def _group(a: Aligner, s: _Shown, moved: bool) -> Group:
    """A finished group with its status, similarity, renumbering and what is shown under it."""
    old, new = a.old.forest, a.new.forest
    children = tuple(_finish(a, s.inside)) if s.inside else ()
    g = s.pending
    if not s.new:
        i = s.old[0]
        return Group(old=(old.id(i),), new=(), status=Status.DROPPED, pinned=i in a.old.excluded, children=children,
                     candidates=closest(a, "old", i))
    if not s.old:
        j = s.new[0]
        return Group(old=(), new=(new.id(j),), status=Status.ADDED, pinned=j in a.new.excluded, children=children,
                     candidates=closest(a, "new", j))
    assert g is not None
    if len(s.old) > 1:
        status = Status.MERGED
    elif len(s.new) > 1:
        status = Status.SPLIT
    elif old.full[s.old[0]] == new.full[s.new[0]]:
        status = Status.UNCHANGED
    else:
        status = Status.MODIFIED
    rows_old = [a.texts.whole("old", i) for i in s.old]
    rows_new = [a.texts.whole("new", j) for j in s.new]
    if status is Status.UNCHANGED:
        similarity = 1.0
    elif len(s.old) == 1 and len(s.new) == 1 and not g.pinned:
        similarity = round(a.s(s.old[0], s.new[0]), 4)
    elif min(rows_old + rows_new) >= 0:
        # A pinned pair was never measured (nothing else may link to it), but its points
        # are in the text space: its similarity is still worth showing.
        similarity = round(a.texts.group_similarity(rows_old, rows_new), 4)
    else:
        similarity = 0.0
    parent_changed = _parent_changed(a, s)
    level_changed = {old.depth[i] for i in s.old} != {new.depth[j] for j in s.new}
    own = [old.own_label(i) for i in s.old]
    own_new = [new.own_label(j) for j in s.new]
    # A sub-point is renumbered by its own number ("2.a → 3.a" under a renumbered parent is not);
    # one that changed parents carries a new id even when its own number stayed. A split or merge
    # that keeps one of its numbers (8 → 8+9) is not renumbered.
    if len(own) == 1 and len(own_new) == 1:
        renumbered = own != own_new
    else:
        renumbered = not set(own) & set(own_new)
    renumbered = renumbered or (parent_changed and [old.id(i) for i in s.old] != [new.id(j) for j in s.new])
    # A point now under another parent at the same depth changed place, whatever its new
    # siblings' order; a promotion or demotion says so by itself.
    moved = moved or (parent_changed and not level_changed)
    return Group(
        old=tuple(old.id(i) for i in s.old),
        new=tuple(new.id(j) for j in s.new),
        status=status,
        renumbered=renumbered,
        moved=moved,
        similarity=similarity,
        pinned=g.pinned,
        children=children,
        level_changed=level_changed,
        parent_changed=parent_changed,
        confidence=s.confidence,
        uncertain=s.confidence < UNCERTAIN,
    )
