"""JSON views of the model: versioned, plain data, no presentation logic."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from typing import Any

from plancmp.model import (
    Change,
    Comment,
    Comparison,
    Document,
    Edit,
    EditOp,
    Group,
    Outside,
    Party,
    PlacedPosition,
    Point,
)
from plancmp.render import MovePlaces

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
        "tags": list(point.tags),
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
        **({"pages": doc.pages} if doc.pages else {}),
    }


_INDENT_LIMIT = 2_000_000
"""Largest output (characters, roughly) still indented for reading; longer output is compact."""


# JSON escapes C0 controls itself; C1 controls and bidi overrides it leaves raw, and a terminal
# showing the output would obey them. Escaped as \uXXXX, the JSON means exactly the same.
_UNSAFE_IN_JSON = re.compile(r"[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _escape_unsafe(text: str) -> str:
    if text.isascii() and "\x7f" not in text:
        return text  # of the characters escaped, only DEL is ASCII: an ASCII text needs no scan
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def dumps(data: Any) -> str:
    """Deterministic JSON text ending in a newline: indented for reading, compact when long.

    Python's C encoder writes only compact JSON; indenting a 2,000-point comparison in pure Python
    costs seconds. The data is the same either way; `jq .` indents a compact file.
    """
    compact = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    if len(compact) > _INDENT_LIMIT:
        return _escape_unsafe(compact) + "\n"
    return _escape_unsafe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


def render_points_json(doc: Document) -> str:
    """`plancmp points --format json`."""
    return dumps(document_data(doc))


# -- plancmp diff ---------------------------------------------------------------------------------


def _short_points(doc: Document) -> list[dict[str, Any]]:
    return [{"id": p.id, "label": p.label, "text": p.text, "line": p.line, "tags": list(p.tags)} for p in doc.walk()]


def placed_data(pp: PlacedPosition) -> dict[str, Any]:
    """A position and where it landed, as plain data."""
    pos = pp.position
    return {
        "party": pos.party,
        "stance": pos.stance.value,
        "draft": pos.draft,
        "point": pos.selector.point,
        "quote": pos.selector.exact,
        # Absent, like an absent point or quote: null, not "".
        "note": pos.note or None,
        "source": pos.source or None,
        "date": pos.date or None,
        "origin": pos.origin,
        "placement": pp.placement.value,
        "old_points": list(pp.old_points),
        "new_points": list(pp.new_points),
        "score": pp.score,
        "changed": list(pp.changed),
        "candidates": [{"point": pid, "score": score} for pid, score in pp.candidates],
    }


_OP_NAME = {op: op.value for op in EditOp}
"""Each edit's kind as written: a dict asked, not the enum's value property (a rewrite's 200,000
edits' dicts took 65 ms through it, 42 ms so)."""


def _edits_data(edits: Sequence[Edit]) -> list[dict[str, str]]:
    return [{"op": _OP_NAME[e.op], "text": e.text} for e in edits]


def _changes_data(changes: Sequence[Change]) -> list[dict[str, Any]]:
    return [
        {"kind": c.kind.value, "old": c.old, "new": c.new, "summary": c.summary, "substantive": c.substantive}
        for c in changes
    ]


def group_data(
    group: Group, comparison: Comparison | None = None, places: MovePlaces | None = None
) -> dict[str, Any]:
    """One alignment group as the stable JSON contract.

    comparison: add the positions on the group; places: say where a moved group went ("move").
    """
    extra: dict[str, Any] = {}
    if comparison is not None:
        from plancmp.compare import positions_for

        extra["positions"] = [placed_data(pp) for pp in positions_for(group, comparison)]
    if places is not None:
        old_after, new_after = places.where(group)
        # Added in schema 1, as an addition: null unless the group moved.
        extra["move"] = {"old_after": old_after, "new_after": new_after} if group.moved else None
    return {
        "old": list(group.old),
        "new": list(group.new),
        "status": group.status.value,
        "renumbered": group.renumbered,
        "moved": group.moved,
        "similarity": group.similarity,
        "pinned": group.pinned,
        "confidence": group.confidence if group.old and group.new else None,
        "uncertain": group.uncertain,
        "level_changed": group.level_changed,
        "parent_changed": group.parent_changed,
        "candidates": [{"id": pid, "score": score} for pid, score in group.candidates],
        # Added in schema 1, as an addition: null unless another point holds a dropped or added point's words.
        "folded": {"id": group.folded[0], "words": group.folded[1], "of": group.folded[2]} if group.folded else None,
        "edits": _edits_data(group.edits),
        "changes": _changes_data(group.changes),
        "children": [group_data(c, places=places) for c in group.children],
    } | extra


def comparison_data(comparison: Comparison, groups: tuple[Group, ...] | None = None) -> dict[str, Any]:
    """A Comparison as the `plancmp diff --format json` contract."""
    places = MovePlaces.of(comparison)
    return {
        "schema_version": SCHEMA_VERSION,
        "old": {"source": comparison.old.source, "format": comparison.old.format.value,
                "bracketed_share": round(comparison.old.bracketed_share, 4), "points": _short_points(comparison.old)},
        "new": {"source": comparison.new.source, "format": comparison.new.format.value,
                "bracketed_share": round(comparison.new.bracketed_share, 4), "points": _short_points(comparison.new)},
        "alignment": [
            group_data(g, comparison, places) for g in (comparison.groups if groups is None else groups)
        ],
        "outside": {
            "changed": comparison.outside_changed,
            "edits": _edits_data(comparison.outside_edits),
            "changes": _changes_data(comparison.outside_changes),
        },
        "summary": asdict(comparison.summary) | {"identical": comparison.identical},
        "parties": [asdict(p) | {"authors": list(p.authors)} for p in comparison.parties],
        "positions": [placed_data(pp) for pp in comparison.positions],
    }


def render_diff_json(comparison: Comparison, groups: tuple[Group, ...] | None = None) -> str:
    """`plancmp diff --format json`, as one string."""
    return "".join(iter_diff_json(comparison, groups))


def iter_diff_json(comparison: Comparison, groups: tuple[Group, ...] | None = None) -> Iterator[str]:
    """`plancmp diff --format json` in pieces, a group at a time, so a long comparison is never held
    whole as text; the pieces join into exactly what dumps(comparison_data(…)) would write.

    Whether it is indented is decided before the first piece, from the drafts' length (the text
    of both drafts, and again in the edits, is most of the output).
    """
    places = MovePlaces.of(comparison)
    chosen = comparison.groups if groups is None else groups
    data = comparison_data(comparison, ())
    estimate = 2 * sum(len(p.text) for doc in (comparison.old, comparison.new) for p in doc.walk())
    alignment = (group_data(g, comparison, places) for g in chosen)
    yield from _stream_object([(k, alignment if k == "alignment" else v) for k, v in data.items()],
                              indent=estimate <= _INDENT_LIMIT)


def _stream_object(items: list[tuple[str, Any]], indent: bool) -> Iterator[str]:
    """A JSON object whose values are written one by one; a value that is an iterator is written as
    a list an item at a time. Ends in a newline, as dumps does."""

    def one(value: Any, pad: str) -> str:
        if indent:
            return _escape_unsafe(json.dumps(value, ensure_ascii=False, indent=2)).replace("\n", "\n" + pad)
        return _escape_unsafe(json.dumps(value, ensure_ascii=False, separators=(",", ":")))

    key_pad, item_pad = ("  ", "    ") if indent else ("", "")
    newline, colon = ("\n", ": ") if indent else ("", ":")
    yield "{" + newline
    for k, (key, value) in enumerate(items):
        head = key_pad + json.dumps(key, ensure_ascii=False) + colon
        comma = "," + newline if k + 1 < len(items) else newline
        if not isinstance(value, Iterator):
            yield head + one(value, key_pad) + comma
            continue
        first = True
        for item in value:
            yield (head + "[" + newline if first else "," + newline) + item_pad + one(item, item_pad)
            first = False
        yield (head + "[]" if first else newline + key_pad + "]") + comma
    yield "}\n"


# -- plancmp tag: W3C Web Annotation -------------------------------------------------------------

_MOTIVATION = {
    "objects": "assessing",
    "rejects": "assessing",
    "reserves": "assessing",
    "accepts": "assessing",
    "supports": "assessing",
    "proposes": "editing",
}


def annotation_data(pp: PlacedPosition, doc: Document, parties: tuple[Party, ...], number: int) -> dict[str, Any]:
    """A position as a W3C Web Annotation (JSON-LD), targeting the text it concerns in doc."""
    pos = pp.position
    party = next((p for p in parties if p.code == pos.party), None)
    selectors: list[dict[str, Any]] = []
    if pos.selector.exact:
        quote: dict[str, Any] = {"type": "TextQuoteSelector", "exact": pos.selector.exact}
        if pos.selector.prefix:
            quote["prefix"] = pos.selector.prefix
        if pos.selector.suffix:
            quote["suffix"] = pos.selector.suffix
        selectors.append(quote)
    elif pp.new_points:
        point = doc.find(pp.new_points[0])
        if point is not None:
            selectors.append({"type": "TextQuoteSelector", "exact": point.text})
    body: list[dict[str, Any]] = [{"type": "TextualBody", "purpose": "tagging", "value": pos.stance.value}]
    if pos.note:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": pos.note, "format": "text/plain"})
    annotation: dict[str, Any] = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": f"urn:plancmp:{pos.draft}:position:{number}",
        "type": "Annotation",
        "motivation": _MOTIVATION[pos.stance.value],
        "creator": {"type": "Organization", "name": party.name if party else pos.party, "nickname": pos.party},
        "body": body,
        "target": {"source": doc.source, "selector": selectors} if selectors else {"source": doc.source},
    }
    if pos.date:
        annotation["created"] = pos.date if "T" in pos.date else f"{pos.date}T00:00:00Z"
    annotation["plancmp"] = {
        "placement": pp.placement.value,
        "points": list(pp.new_points),
        "score": pp.score,
        "source": pos.source or None,
    }
    return annotation


def render_tags_json(
    doc: Document,
    placed: tuple[PlacedPosition, ...],
    parties: tuple[Party, ...],
    selected: tuple[str, ...] | None = None,
) -> str:
    """`plancmp tag --format json`: points with tags, and each position as a Web Annotation.

    selected: the ids to include (all when None); positions on other points are left out, and the
    ones placed on no point are always kept.
    """
    if selected is not None:
        chosen = set(selected)
        data = document_data(doc) | {"points": [point_data(p) for p in doc.walk() if p.id in chosen]}
        placed = tuple(pp for pp in placed if not pp.new_points or chosen.intersection(pp.new_points))
        return dumps(
            data
            | {
                "bracketed_share": round(doc.bracketed_share, 4),
                "annotations": [annotation_data(pp, doc, parties, n) for n, pp in enumerate(placed, 1)],
            }
        )

    return dumps(
        document_data(doc)
        | {
            "bracketed_share": round(doc.bracketed_share, 4),
            "annotations": [annotation_data(pp, doc, parties, n) for n, pp in enumerate(placed, 1)],
        }
    )
