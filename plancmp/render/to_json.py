"""JSON views of the model: versioned, plain data, no presentation logic."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from plancmp.model import Comment, Comparison, Document, Group, Outside, Point

SCHEMA_VERSION = 1


def point_data(point: Point) -> dict[str, Any]:
    """One point and its sub-points as plain data."""
    return {
        "id": point.id,
        "label": point.label,
        "text": point.text,
        "children": [point_data(c) for c in point.children],
        "line": point.line,
        "auto_label": point.auto_label,
    }


def _outside_data(item: Outside) -> dict[str, Any]:
    return {"text": item.text, "kind": item.kind.value, "line": item.line, "after": item.after}


def _comment_data(c: Comment) -> dict[str, Any]:
    return {
        "id": c.id,
        "author": c.author,
        "initials": c.initials,
        "date": c.date,
        "text": c.text,
        "anchor": c.anchor,
        "point": c.point_id,
    }


def document_data(doc: Document) -> dict[str, Any]:
    """A Document as the `plancmp points --format json` contract."""
    return {
        "schema_version": SCHEMA_VERSION,
        "source": doc.source,
        "format": doc.format.value,
        "title": doc.title,
        "points": [point_data(p) for p in doc.points],
        "outside": [_outside_data(o) for o in doc.outside],
        "comments": [_comment_data(c) for c in doc.comments],
        "warnings": list(doc.warnings),
    }


def dumps(data: Any) -> str:
    """Deterministic, readable JSON text ending in a newline."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_points_json(doc: Document) -> str:
    """`plancmp points --format json`."""
    return dumps(document_data(doc))


# -- plancmp diff ---------------------------------------------------------------------------------


def _short_points(doc: Document) -> list[dict[str, Any]]:
    return [{"id": p.id, "label": p.label, "text": p.text, "line": p.line} for p in doc.walk()]


def group_data(group: Group) -> dict[str, Any]:
    """One alignment group as the stable JSON contract."""
    return {
        "old": list(group.old),
        "new": list(group.new),
        "status": group.status.value,
        "renumbered": group.renumbered,
        "moved": group.moved,
        "similarity": group.similarity,
        "pinned": group.pinned,
        "edits": [{"op": e.op.value, "text": e.text} for e in group.edits],
        "changes": [
            {"kind": c.kind.value, "old": c.old, "new": c.new, "summary": c.summary, "substantive": c.substantive}
            for c in group.changes
        ],
        "children": [group_data(c) for c in group.children],
    }


def comparison_data(comparison: Comparison, groups: tuple[Group, ...] | None = None) -> dict[str, Any]:
    """A Comparison as the `plancmp diff --format json` contract."""
    return {
        "schema_version": SCHEMA_VERSION,
        "old": {"source": comparison.old.source, "format": comparison.old.format.value,
                "points": _short_points(comparison.old)},
        "new": {"source": comparison.new.source, "format": comparison.new.format.value,
                "points": _short_points(comparison.new)},
        "alignment": [group_data(g) for g in (comparison.groups if groups is None else groups)],
        "summary": asdict(comparison.summary) | {"identical": comparison.identical},
    }


def render_diff_json(comparison: Comparison, groups: tuple[Group, ...] | None = None) -> str:
    """`plancmp diff --format json`."""
    return dumps(comparison_data(comparison, groups))
