"""One self-contained HTML page: summary, alignment map, old beside new, filters; opens offline.

Draft text, notes, party names and file names are data, never markup: the template is rendered
with autoescaping on, every dynamic string also passes `_finalize` (control characters and bidi
overrides shown as visible escapes, as on the terminal), and the data handed to the script is
JSON with `<`, `>` and `&` escaped so that no draft text can close its <script> element.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

from plancmp.model import (
    Comparison,
    Edit,
    EditOp,
    Group,
    Party,
    PlacedPosition,
    Placement,
    Point,
    Status,
)
from plancmp.render import link_title, previous_siblings
from plancmp.render.escape import escape_terminal

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
_FALLBACK_COLOUR = "#595959"
"""Used for a party whose colour is missing or not #rgb/#rrggbb: grey, dark enough for white text."""

STATUS_SYMBOLS = {
    Status.UNCHANGED: "=",
    Status.MODIFIED: "~",
    Status.MERGED: "⋈",
    Status.SPLIT: "⋔",
    Status.DROPPED: "×",
    Status.ADDED: "+",
}
"""A symbol beside every status word, so that colour is never the only signal."""

FLAG_SYMBOLS = {"changed": "Δ", "moved": "↕", "renumbered": "№"}
"""The symbols of the page's "only" filter: what a row is, beside its status."""

LONG_REPORT = 150
"""Above this many rows the browser is told to lay out only the rows near the screen."""

_PLACEMENT_WARNINGS = {
    Placement.STALE: ("stale", "⚠", "stated on an earlier wording; the text changed since"),
    Placement.RESOLVED: ("resolved", "✓", "the point it concerned was dropped"),
    Placement.CARRIED: ("carried", "↪", "stated on an earlier draft; the text is unchanged"),
    Placement.UNPLACED: ("unplaced", "?", "its point or quote could not be found"),
    Placement.ELSEWHERE: ("elsewhere", "…", "stated on a draft not read here"),
}


# -- the view model: plain data the template walks ------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A stretch of text in one column: shared ("eq"), deleted ("del") or inserted ("ins")."""

    op: str
    """"eq", "del" or "ins"."""
    text: str
    """The characters, as in the draft."""


@dataclass(frozen=True)
class PointView:
    """One point as shown in a column: its label and its text as runs."""

    id: str
    """The point id ("12.a")."""
    label: str
    """The label as the draft shows it ("a)")."""
    runs: tuple[Run, ...]
    """Its text; the old column also carries the insertions, hidden except in the inline view."""


@dataclass(frozen=True)
class ChangeView:
    """A substantive change, as a chip."""

    kind: str
    """A ChangeKind value: number, deadline, date, obligation, negation, right, condition, party, brackets or reference."""
    summary: str
    """The line a reader scans."""
    substantive: bool
    """False for a reference that only follows renumbering, or a change only in a cut-off point's lost words (shown muted)."""


@dataclass(frozen=True)
class PositionView:
    """A party position, as a chip in the party's colour with a text label."""

    code: str
    """Party code ("UA")."""
    name: str
    """Party name ("Ukraine")."""
    party_class: str
    """CSS class carrying the party's validated colour ("party-0")."""
    stance: str
    """objects, rejects, …"""
    contested: bool
    """The stance makes a point contested."""
    note: str
    """What the party says."""
    date: str
    """ISO date it was stated, or ""."""
    warning: tuple[str, str, str] | None
    """(word, symbol, explanation) for stale, resolved, carried, unplaced or elsewhere positions."""
    fuzzy: bool
    """Its quote was re-anchored by a fuzzy match."""
    description: str
    """The full sentence describe_position gives (who, stance, where stated, what became of it)."""


@dataclass(frozen=True)
class MoveView:
    """Where a moved point stood and stands, by its neighbours, for links between the two places."""

    old_after: str | None
    """The old point it followed in the old draft (None: it came first)."""
    new_after: str | None
    """The new point it follows in the new draft (None: it comes first)."""
    prefix: str = ""
    """What the page puts before "old-…"/"new-…" anchors (a chain page holds several comparisons)."""


@dataclass(frozen=True)
class RowView:
    """One group: a top-level row, or a sub-point row nested inside its parent's."""

    key: str
    """Unique key of the row in the page ("3", "3.1")."""
    title: str
    """ "6 → 4"."""
    status: str
    """The status word."""
    symbol: str
    """The status symbol."""
    renumbered: bool
    """The points carry other numbers now."""
    moved: bool
    """The point changed place."""
    pinned: bool
    """The link was forced with --pin."""
    uncertain: bool
    """The aligner is unsure of the link: a person should confirm it."""
    notes: tuple[str, ...]
    """Where the point moved between levels, or the closest points of a dropped or added one."""
    changed: bool
    """Anything but an untouched point (what `n`/`p` stop at)."""
    contested: bool
    """Still contested (a party objects, rejects or reserves)."""
    bracketed: bool
    """Some of its text is in [square brackets]."""
    anchors: tuple[str, ...]
    """Element ids for deep links: "old-6", "new-4"."""
    old: tuple[PointView, ...]
    """The old column."""
    new: tuple[PointView, ...]
    """The new column."""
    changes: tuple[ChangeView, ...]
    """Substantive changes (and muted renumbering notes)."""
    positions: tuple[PositionView, ...]
    """Party positions on the group (top-level rows only)."""
    topics: tuple[str, ...]
    """Topic tags of the group's own points."""
    move: MoveView | None
    """Neighbours before and after a move, when it moved."""
    children: tuple[RowView, ...] = ()
    """Sub-point rows."""


@dataclass(frozen=True)
class MapMark:
    """One number in a column of the alignment map."""

    id: str
    """Point id."""
    y: float
    """Vertical position."""
    key: str
    """Key of the row it belongs to."""
    anchor: str
    """Element id it links to."""
    label: bool
    """Whether its number is printed (dense maps label only some)."""
    lone: bool
    """Dropped (old column) or added (new column): marked × or +."""
    title: str
    """Tooltip and accessible name."""


@dataclass(frozen=True)
class MapLink:
    """One line of the alignment map: an old point to a new point."""

    key: str
    """Key of the row it belongs to."""
    style: str
    """kept, modified, merged, split or moved (moved wins: it is what the eye must catch)."""
    y1: float
    """Old side."""
    y2: float
    """New side."""
    anchor: str
    """Element id it links to."""
    title: str
    """ "6 → 4: modified, renumbered"."""


@dataclass(frozen=True)
class MapView:
    """The alignment map's geometry."""

    width: int
    """viewBox width."""
    height: int
    """viewBox height."""
    x_old: int
    """x of the old column's numbers (right-aligned)."""
    x_new: int
    """x of the new column's numbers (left-aligned)."""
    old: tuple[MapMark, ...]
    """Old numbers."""
    new: tuple[MapMark, ...]
    """New numbers."""
    links: tuple[MapLink, ...]
    """Lines."""
    font: float
    """Font size of the numbers."""
    dense: bool
    """Too many points to label each: only some numbers, no wide hover targets (they would overlap)."""
    counts: dict[str, int] = field(default_factory=dict)
    """Lines (and marks) per legend style."""


# -- helpers --------------------------------------------------------------------------------------


def safe_colour(colour: str) -> str:
    """The colour when it is #rgb or #rrggbb (it ends up in CSS), else a neutral grey."""
    return colour if _COLOUR.match(colour or "") else _FALLBACK_COLOUR


def ink_for(colour: str) -> str:
    """Black or white, whichever reads better on the colour (WCAG relative luminance)."""
    hexa = colour.lstrip("#")
    if len(hexa) == 3:
        hexa = "".join(ch * 2 for ch in hexa)
    channels = []
    for i in (0, 2, 4):
        c = int(hexa[i:i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    lum = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#ffffff"


def _finalize(value: Any) -> Any:
    # Runs on every {{ … }} before autoescaping: an invisible control character or a bidi
    # override in a draft must not reorder what the reader sees ("Trojan Source"), so it is
    # shown as a visible escape (\u202e), exactly as the terminal renderer shows it.
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return escape_terminal(value)
    return value


def script_json(data: Any) -> str:
    """JSON safe inside a <script> element: `<`, `>` and `&` as \\u escapes, all non-ASCII escaped."""
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"), sort_keys=True)
    # A draft saying "</script><script>…" would otherwise end the element; "<!--" would change
    # how the HTML parser reads the rest of it. \u003c is the same string to JSON.parse.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def csp_hash(source: str) -> str:
    """The CSP source expression that allows exactly this inline script or style."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _merge(runs: list[Run]) -> tuple[Run, ...]:
    out: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if out and out[-1].op == run.op:
            out[-1] = Run(run.op, out[-1].text + run.text)
        else:
            out.append(run)
    return tuple(out)


_OPS = {EditOp.EQUAL: "eq", EditOp.DELETE: "del", EditOp.INSERT: "ins"}


def _lines_of(text: str) -> list[str]:
    """Text cut at its line breaks, each break kept at the end of its line (for a <br> after it)."""
    return [line for line in text.splitlines(keepends=True) if line]


def split_runs(edits: Iterable[Edit], texts: list[str], side: str, inline: bool = False) -> list[tuple[Run, ...]]:
    """The group's edits cut into one run list per point of one side.

    The edits were computed over the side's texts joined by newlines; each joining newline is a
    boundary between two points' blocks and is dropped. The old side keeps its insertions (they
    take no room in the old text) so that the inline view can show them in place; with inline,
    the new side likewise keeps its deletions (a chain's timeline shows each draft's text that way).
    """
    advancing = {EditOp.EQUAL, EditOp.DELETE} if side == "old" else {EditOp.EQUAL, EditOp.INSERT}
    edits = [e for e in edits if side == "old" or inline or e.op is not EditOp.DELETE]
    if len(texts) == 1:
        # One point on this side (most groups): nothing to cut.
        return [_merge([Run(_OPS[e.op], e.text) for e in edits])]
    rebuilt = "".join(e.text for e in edits if e.op in advancing)
    if rebuilt != "\n".join(texts):
        # Should not happen (edits rebuild their texts exactly); show the diff whole, not wrong.
        return [tuple(Run(_OPS[e.op], e.text) for e in edits)] + [()] * (len(texts) - 1)
    starts = []
    offset = 0
    for text in texts:
        starts.append(offset)
        offset += len(text) + 1
    blocks: list[list[Run]] = [[] for _ in texts]
    k, pos = 0, 0
    for edit in edits:
        op = _OPS[edit.op]
        if edit.op not in advancing:
            blocks[k].append(Run(op, edit.text))
            continue
        text, i = edit.text, 0
        while i < len(text):
            sep = starts[k + 1] - 1 if k + 1 < len(texts) else None
            if sep is not None and pos + len(text) - i > sep:
                cut = sep - pos
                blocks[k].append(Run(op, text[i:i + cut]))
                i += cut + 1
                pos = sep + 1
                k += 1
            else:
                blocks[k].append(Run(op, text[i:]))
                pos += len(text) - i
                i = len(text)
    return [_merge(b) for b in blocks]


@dataclass(frozen=True)
class _Index:
    """Lookups the rows need, built once: Document.find walks the whole draft on every call."""

    old: dict[str, Point]
    """Old id → point."""
    new: dict[str, Point]
    """New id → point."""
    contested: frozenset[str]
    """Ids (old and new) of points tagged contested."""
    classes: dict[str, str]
    """Party code → CSS class."""
    old_before: dict[str, str | None]
    """Old id → the old sibling before it."""
    new_before: dict[str, str | None]
    """New id → the new sibling before it."""

    @classmethod
    def of(cls, comparison: Comparison, classes: dict[str, str]) -> _Index:
        """The index of a comparison."""
        old = {p.id: p for p in comparison.old.walk()}
        new = {p.id: p for p in comparison.new.walk()}
        tagged = {p.id for p in old.values() if "contested" in p.tags} | {
            p.id for p in new.values() if "contested" in p.tags
        }
        return cls(
            old, new, frozenset(tagged), classes,
            previous_siblings(comparison.old), previous_siblings(comparison.new),
        )


def _topics(points: Iterable[Point]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for point in points:
        for tag in point.tags:
            if tag.startswith("topic:"):
                seen.setdefault(tag.removeprefix("topic:"), None)
    return tuple(seen)


def _position_view(pp: PlacedPosition, parties: tuple[Party, ...], classes: dict[str, str]) -> PositionView:
    from plancmp.render import describe_position

    position = pp.position
    names = {p.code: p.name for p in parties}
    return PositionView(
        code=position.party,
        name=names.get(position.party, position.party),
        party_class=classes.get(position.party, "party-x"),
        stance=position.stance.value,
        contested=position.stance.contested,
        note=position.note,
        date=position.date,
        warning=_PLACEMENT_WARNINGS.get(pp.placement),
        fuzzy=pp.score < 1.0 and pp.placement not in (Placement.UNPLACED, Placement.ELSEWHERE),
        description=describe_position(pp, parties),
    )


def _contested(group: Group, comparison: Comparison, index: _Index) -> bool:
    from plancmp.compare import is_contested

    # is_contested decides; the index only spares it the groups that touch no contested point.
    ids = {i for g in group.walk() for i in (*g.old, *g.new)}
    return bool(ids & index.contested) and is_contested(group, comparison)


def _row(group: Group, key: str, comparison: Comparison, index: _Index, top: bool, prefix: str = "") -> RowView:
    from plancmp.compare import diffed_texts, positions_for
    from plancmp.render import group_notes

    old_pts = [index.old[i] for i in group.old if i in index.old]
    new_pts = [index.new[i] for i in group.new if i in index.new]
    old_texts, new_texts = diffed_texts(group, old_pts), diffed_texts(group, new_pts)
    old_runs = split_runs(group.edits, old_texts, "old") if old_pts else []
    new_runs = split_runs(group.edits, new_texts, "new") if new_pts else []
    # A point with no edits at all (both sides empty) still shows its label.
    old_view = tuple(PointView(p.id, p.label, old_runs[i] if i < len(old_runs) else ()) for i, p in enumerate(old_pts))
    new_view = tuple(PointView(p.id, p.label, new_runs[i] if i < len(new_runs) else ()) for i, p in enumerate(new_pts))
    tag_points = new_pts if group.status is not Status.DROPPED else old_pts
    move = None
    if group.moved:
        move = MoveView(
            old_after=index.old_before.get(group.old[0]) if group.old else None,
            new_after=index.new_before.get(group.new[0]) if group.new else None,
            prefix=prefix,
        )
    return RowView(
        key=key,
        title=link_title(group),
        status=group.status.value,
        symbol=STATUS_SYMBOLS[group.status],
        renumbered=group.renumbered,
        moved=group.moved,
        pinned=group.pinned,
        uncertain=group.uncertain,
        notes=group_notes(group, comparison),
        changed=group.changed,
        contested=_contested(group, comparison, index),
        bracketed=any("bracketed" in p.tags for p in tag_points),
        anchors=tuple(f"{prefix}old-{i}" for i in group.old) + tuple(f"{prefix}new-{i}" for i in group.new),
        old=old_view,
        new=new_view,
        changes=tuple(ChangeView(c.kind.value, c.summary, c.substantive) for c in group.changes),
        positions=tuple(
            _position_view(pp, comparison.parties, index.classes) for pp in positions_for(group, comparison)
        ) if top and comparison.positions else (),
        topics=_topics([*old_pts, *new_pts]),
        move=move,
        children=tuple(
            _row(child, f"{key}.{n}", comparison, index, top=False, prefix=prefix)
            for n, child in enumerate(group.children, 1)
        ),
    )


def _map_view(comparison: Comparison, keys: dict[int, str]) -> MapView:
    from plancmp.render.to_terminal import group_flags, group_ids

    old_ids = [p.id for p in comparison.old.points]
    new_ids = [p.id for p in comparison.new.points]
    n = max(len(old_ids), len(new_ids), 1)
    # 18 units a point keeps every number legible; long drafts shrink towards a minimap.
    step = max(2.0, min(18.0, 1200.0 / n))
    every = 1 if step >= 11 else next(k for k in (2, 5, 10, 20, 50, 100, 200, 500, 1000, 10**9) if k * step >= 14)
    font = min(12.0, max(8.0, step * 0.72)) if every == 1 else 10.0
    top = 14.0
    y_old = {pid: round(top + i * step, 1) for i, pid in enumerate(old_ids)}
    y_new = {pid: round(top + i * step, 1) for i, pid in enumerate(new_ids)}
    # Dense maps print every k-th number (1-based), and a tick for the others.
    old_index = {pid: i + 1 for i, pid in enumerate(old_ids)}
    new_index = {pid: i + 1 for i, pid in enumerate(new_ids)}
    width, x_old, x_new = 360, 70, 290
    old_marks: dict[str, MapMark] = {}
    new_marks: dict[str, MapMark] = {}
    links: list[MapLink] = []
    counts: dict[str, int] = {}
    for index, group in enumerate(comparison.groups):
        key = keys[index]
        flags = group_flags(group)
        title = f"{link_title(group)}: {flags}"
        for pid in group.old:
            if pid in y_old:
                old_marks[pid] = MapMark(pid, y_old[pid], key, f"old-{pid}", old_index[pid] % every == 0,
                                         not group.new, f"old {pid} → new {group_ids(group.new)}: {flags}")
        for pid in group.new:
            if pid in y_new:
                new_marks[pid] = MapMark(pid, y_new[pid], key, f"new-{pid}", new_index[pid] % every == 0,
                                         not group.old, f"new {pid} ← old {group_ids(group.old)}: {flags}")
        if not group.old:
            counts["added"] = counts.get("added", 0) + 1
        if not group.new:
            counts["dropped"] = counts.get("dropped", 0) + 1
        style = "moved" if group.moved else {
            Status.UNCHANGED: "kept", Status.MODIFIED: "modified", Status.MERGED: "merged", Status.SPLIT: "split",
        }.get(group.status, "kept")
        for o in group.old:
            for nid in group.new:
                if o in y_old and nid in y_new:
                    links.append(MapLink(key, style, y_old[o], y_new[nid], f"old-{o}", f"{o} → {nid} ({title})"))
                    counts[style] = counts.get(style, 0) + 1
    height = int(top * 2 + (n - 1) * step)
    return MapView(
        width=width, height=height, x_old=x_old, x_new=x_new,
        old=tuple(old_marks[i] for i in old_ids if i in old_marks),
        new=tuple(new_marks[i] for i in new_ids if i in new_marks),
        links=tuple(links), font=round(font, 1), dense=every > 1, counts=counts,
    )


def _party_css(parties: tuple[Party, ...], classes: dict[str, str]) -> str:
    # Party colours go into the <style> block as classes keyed by index, not into style=""
    # attributes: the CSP then allows exactly one hashed style block and no inline styles, and
    # a party code never becomes a CSS selector. Colours are validated first all the same.
    rules = [".party-x{--pc:#595959;--pi:#ffffff}"]
    for party in parties:
        colour = safe_colour(party.colour)
        rules.append(f".{classes[party.code]}{{--pc:{colour};--pi:{ink_for(colour)}}}")
    return "\n".join(rules) + "\n"


def _asset(name: str) -> str:
    return resources.files("plancmp").joinpath(f"templates/{name}").read_text(encoding="utf-8")


def report_context(comparison: Comparison) -> dict[str, Any]:
    """Everything the report template shows, as plain data (also what the script receives)."""
    from plancmp import __version__
    from plancmp.compare import loose_positions
    from plancmp.render.to_terminal import describe_counts, describe_summary

    classes = party_classes(comparison.parties)
    keys = {i: str(i + 1) for i in range(len(comparison.groups))}
    rows = rows_of(comparison, classes)
    old, new = comparison.old, comparison.new
    shares = old.bracketed_share, new.bracketed_share
    status_counts = {s.value: 0 for s in Status}
    for g in comparison.groups:
        status_counts[g.status.value] += 1
    topics = sorted(row_topics(rows), key=str.casefold)
    stated = {pp.position.party for pp in comparison.positions}
    parties = [p for p in comparison.parties if p.code in stated]
    flag_counts = {
        "changed": sum(1 for g in comparison.groups if g.changed),
        "moved": sum(1 for g in comparison.groups if any(sub.moved for sub in g.walk())),
        "renumbered": sum(1 for g in comparison.groups if any(sub.renumbered for sub in g.walk())),
    }
    script_data = {"version": 1, "rows": [row_data(row) for row in rows]}
    return {
        "version": __version__,
        "old": {"source": old.source, "title": old.title, "counts": describe_counts(old), "points": len(old.points)},
        "new": {"source": new.source, "title": new.title, "counts": describe_counts(new), "points": len(new.points)},
        "summary": describe_summary(comparison.summary),
        "identical": comparison.identical,
        "shares": shares if any(shares) else None,
        "rows": rows,
        "contested": [r for r in rows if r.contested],
        "loose": [
            _position_view(pp, comparison.parties, classes) for pp in loose_positions(comparison)
        ],
        # The title, preamble, headings and closing text, when their wording changed.
        "outside": [
            tuple(Run(_OPS[e.op], line) for line in _lines_of(e.text)) for e in comparison.outside_edits
        ] if comparison.outside_changed else None,
        "outside_changes": [c.summary for c in comparison.outside_changes if c.substantive],
        "map": _map_view(comparison, keys),
        "statuses": [(s.value, STATUS_SYMBOLS[s], status_counts[s.value]) for s in Status],
        "flags": [(f, FLAG_SYMBOLS[f], flag_counts[f]) for f in ("changed", "moved", "renumbered")],
        "parties": [(p.code, p.name, classes[p.code]) for p in parties],
        "topics": topics,
        "warnings": (*old.warnings, *new.warnings, *comparison.warnings),
        "party_css": _party_css(comparison.parties, classes),
        "script_data": script_data,
    }


def row_data(row: RowView) -> dict[str, Any]:
    """What the page's filters know of a row (a sub-point's move or new number counts for its row, as in --only)."""
    return {
        "key": row.key,
        "status": row.status,
        "changed": row.changed,
        "moved": any(r.moved for r in _walk(row)),
        "renumbered": any(r.renumbered for r in _walk(row)),
        "contested": row.contested,
        "parties": sorted({p.code for p in row.positions}),
        "topics": sorted({t for r in _walk(row) for t in r.topics}),
    }


def row_topics(rows: Iterable[RowView]) -> set[str]:
    """The topics of these rows and their sub-point rows."""
    return {t for row in rows for r in _walk(row) for t in r.topics}


def _walk(row: RowView) -> Iterable[RowView]:
    yield row
    for child in row.children:
        yield from _walk(child)


def render_report_html(comparison: Comparison) -> str:
    """The whole report: one HTML page with its CSS, script and data inlined, no network access."""
    return "".join(iter_report_html(comparison))


def iter_report_html(comparison: Comparison) -> Iterator[str]:
    """The report in pieces as the template renders them, so a long one is never held whole as text."""
    context = report_context(comparison)
    return iter_page(
        "report.html.j2", context, ("report.css",), ("filters.js", "report.js"), context["party_css"],
        context["script_data"],
    )


def rows_of(comparison: Comparison, classes: dict[str, str], prefix: str = "") -> tuple[RowView, ...]:
    """The report's rows for a comparison; prefix keeps anchors unique on a page holding several."""
    index = _Index.of(comparison, classes)
    return tuple(
        _row(g, f"{prefix}{i + 1}", comparison, index, top=True, prefix=prefix) for i, g in enumerate(comparison.groups)
    )


def party_classes(parties: tuple[Party, ...]) -> dict[str, str]:
    """Party code → the CSS class carrying its colour ("party-0")."""
    return {p.code: f"party-{i}" for i, p in enumerate(parties)}


def party_css(parties: tuple[Party, ...]) -> str:
    """The style rules giving each party's class its validated colour and readable ink."""
    return _party_css(parties, party_classes(parties))


def position_view(pp: PlacedPosition, parties: tuple[Party, ...]) -> PositionView:
    """A position as a chip in its party's colour, with its stale/resolved/carried mark."""
    return _position_view(pp, parties, party_classes(parties))


def render_page(
    template_name: str,
    context: dict[str, Any],
    styles: tuple[str, ...],
    script: str | tuple[str, ...],
    extra_css: str,
    script_data: Any,
) -> str:
    """A page of plancmp's as one string (see iter_page)."""
    return "".join(iter_page(template_name, context, styles, script, extra_css, script_data))


_PIECE = 1 << 16
"""Characters gathered before a piece of a page is handed on: the template yields many tiny ones."""


def iter_page(
    template_name: str,
    context: dict[str, Any],
    styles: tuple[str, ...],
    script: str | tuple[str, ...],
    extra_css: str,
    script_data: Any,
) -> Iterator[str]:
    """A page of plancmp's: the template rendered safely, its CSS and script inlined and hashed in its CSP.

    Every plancmp page goes through here, so that each gets the same escaping (autoescape plus
    `_finalize`), the same JSON data island and the same Content-Security-Policy.
    """
    from jinja2 import Environment, PackageLoader, select_autoescape
    from markupsafe import Markup

    env = Environment(
        loader=PackageLoader("plancmp", "templates"),
        autoescape=select_autoescape(default=True),
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    css = "".join(_asset(name) for name in styles) + extra_css
    # Several script files become the page's one script (the CSP allows exactly one, by hash).
    js = "".join(_asset(name) for name in ((script,) if isinstance(script, str) else script))
    # The CSS and script are plancmp's own files, inlined verbatim; a stray "</" in them would
    # end their element early, so refuse rather than ship a broken page.
    if "</style" in css.lower() or "</script" in js.lower():  # pragma: no cover - a packaging bug
        raise RuntimeError(f"{', '.join(styles)} or {script} contains a closing tag")
    # CSP by hash, not 'unsafe-inline': the one style block and the one script the page ships are
    # allowed by their SHA-256, so even markup that slipped past escaping could neither run a
    # script (no inline handlers, no other <script>) nor add styles. The JSON data block is not
    # executed, so it needs no hash. default-src 'none' forbids every fetch, font and frame;
    # form-action and base-uri are not covered by default-src and are closed separately.
    csp = "; ".join([
        "default-src 'none'",
        f"style-src {csp_hash(css)}",
        f"script-src {csp_hash(js)}",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ])
    template = env.get_template(template_name)
    pieces = template.generate(
        **context,
        csp=csp,
        css=Markup(css),
        js=Markup(js),
        data_json=Markup(script_json(script_data)),
        long_report=LONG_REPORT,
    )
    gathered: list[str] = []
    length = 0
    for piece in pieces:
        gathered.append(piece)
        length += len(piece)
        if length >= _PIECE:
            yield "".join(gathered)
            gathered, length = [], 0
    if gathered:
        yield "".join(gathered)
