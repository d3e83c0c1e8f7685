"""The one place the stages are chained: align, then diff, then (later) annotate."""

from __future__ import annotations

from dataclasses import dataclass, replace

from plancmp.align import AlignOptions, align_documents
from plancmp.diff import only_references_changed, substantive_changes, word_edits
from plancmp.model import Comparison, Document, Edit, EditOp, Group, Point, Status


@dataclass(frozen=True)
class CompareOptions:
    """Everything that shapes a comparison (not its presentation)."""

    align: AlignOptions = AlignOptions()
    """How points are aligned, pins included."""


def id_map(groups: tuple[Group, ...]) -> dict[str, tuple[str, ...]]:
    """Old id → the new ids its point became, at every depth (empty for dropped points)."""
    out: dict[str, tuple[str, ...]] = {}
    for top in groups:
        for g in top.walk():
            for old_id in g.old:
                out[old_id] = g.new
    return out


def _text(points: list[Point], own_only: bool) -> str:
    # With sub-points aligned separately, a parent's diff covers its own words only; otherwise
    # the sub-points' text is part of what the parent became.
    return "\n".join(p.text if own_only else p.full_text for p in points)


def _diffed(group: Group, old: Document, new: Document, ids: dict[str, tuple[str, ...]]) -> Group:
    old_pts = [p for p in (old.find(i) for i in group.old) if p is not None]
    new_pts = [p for p in (new.find(i) for i in group.new) if p is not None]
    own_only = bool(group.children)
    old_text, new_text = _text(old_pts, own_only), _text(new_pts, own_only)
    children = tuple(_diffed(c, old, new, ids) for c in group.children)
    if group.status is Status.DROPPED:
        return replace(group, edits=(Edit(EditOp.DELETE, old_text),) if old_text else (), children=children)
    if group.status is Status.ADDED:
        return replace(group, edits=(Edit(EditOp.INSERT, new_text),) if new_text else (), children=children)
    edits = word_edits(old_text, new_text)
    changes = substantive_changes(old_text, new_text, edits, ids)
    status = group.status
    if status is Status.MODIFIED and only_references_changed(old_text, new_text, ids) and all(
        c.status is Status.UNCHANGED for c in children
    ):
        status = Status.UNCHANGED
    return replace(group, status=status, edits=edits, changes=changes, children=children)


def compare(old: Document, new: Document, options: CompareOptions = CompareOptions()) -> Comparison:
    """Align two drafts and work out what changed inside every group."""
    groups = align_documents(old, new, options.align)
    ids = id_map(groups)
    return Comparison(old=old, new=new, groups=tuple(_diffed(g, old, new, ids) for g in groups))


FILTERS = ("changed", "modified", "merged", "split", "dropped", "added", "moved", "renumbered", "unchanged")
"""What `--only` accepts."""


def _matches(group: Group, wanted: str) -> bool:
    if wanted == "changed":
        return group.status is not Status.UNCHANGED or any(
            g.status is not Status.UNCHANGED for g in group.walk()
        )
    if wanted == "moved":
        return group.moved
    if wanted == "renumbered":
        return group.renumbered
    return group.status.value == wanted


def filter_groups(groups: tuple[Group, ...], only: tuple[str, ...]) -> tuple[Group, ...]:
    """The top-level groups matching any of the filters (all groups when there are none)."""
    if not only:
        return groups
    return tuple(g for g in groups if any(_matches(g, w) for w in only))
