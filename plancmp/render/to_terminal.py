"""Terminal text: plain when colour is off, so golden tests can compare it byte for byte."""

from __future__ import annotations

from collections.abc import Iterable

from plancmp.model import (
    Comparison,
    Document,
    EditOp,
    Group,
    OutsideKind,
    Party,
    PlacedPosition,
    Point,
    Status,
    Summary,
)
from plancmp.render import MovePlaces, Presentation, link_title
from plancmp.render.escape import escape_terminal, one_line

_CODES = {"bold": "1", "dim": "2", "underline": "4", "strike": "9", "red": "31", "green": "32", "yellow": "33",
          "blue": "34", "magenta": "35", "cyan": "36"}


def paint(text: str, style: str, pres: Presentation) -> str:
    """Text wrapped in the ANSI codes for style ("bold red"), or unchanged with colour off."""
    if not pres.color or not text:
        return text
    codes = ";".join(_CODES[s] for s in style.split())
    return f"\x1b[{codes}m{text}\x1b[0m"


def plural(n: int, word: str, many: str | None = None) -> str:
    """ "1 point", "2 points"."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def describe_counts(doc: Document) -> str:
    """ "28 points, 9 sub-points, 1 heading kept outside points"."""
    top, subs, _ = doc.counts()
    parts = [plural(top, "point")]
    if subs:
        parts.append(plural(subs, "sub-point"))
    kinds: dict[OutsideKind, int] = {}
    for item in doc.outside:
        kinds[item.kind] = kinds.get(item.kind, 0) + 1
    # Page furniture is counted with the pages, below: it is not part of the draft's wording.
    furniture = kinds.pop(OutsideKind.PAGE, 0)
    outside = [plural(n, kind.value) for kind, n in sorted(kinds.items(), key=lambda kv: kv[0].value)]
    if outside:
        parts.append(" and ".join([", ".join(outside[:-1]), outside[-1]] if len(outside) > 1 else outside)
                     + " kept outside points")
    if doc.comments:
        parts.append(plural(len(doc.comments), "comment"))
    if doc.pages:
        parts.append(f"{plural(doc.pages, 'page')} read, {plural(furniture, 'line')} of page furniture removed")
    return ", ".join(parts)


def whole_text(text: str, column: int) -> str:
    """All of a text, escaped, its later lines indented to start under its first (for --full)."""
    return escape_terminal(text.replace("\t", " ")).replace("\n", "\n" + " " * column)


def _point_lines(points: Iterable[Point], id_width: int, pres: Presentation, full: bool) -> Iterable[str]:
    for point in points:
        indent = "  " * point.depth
        label = escape_terminal(point.label)
        lead = f"{point.id.ljust(id_width)}  {indent}{label} "
        text = whole_text(point.text, len(lead)) if full else one_line(point.text, max(20, pres.width - len(lead)))
        yield paint(point.id.ljust(id_width), "bold", pres) + f"  {indent}{label} " + text
        yield from _point_lines(point.children, id_width, pres, full)


def render_points_terminal(doc: Document, pres: Presentation, full: bool = False) -> str:
    """`plancmp points`: one line per point with its id and a preview (full: its whole text), outside text in place, counts."""
    id_width = max((len(p.id) for p in doc.walk()), default=1)
    lines: list[str] = []
    by_after: dict[str | None, list[str]] = {}
    for item in doc.outside:
        if item.kind is OutsideKind.PAGE:
            continue  # running headers, footers, page numbers: counted below, not listed
        mark = f"[{item.kind.value}] "
        text = whole_text(item.text, len(mark)) if full else one_line(item.text, max(20, pres.width - 14))
        by_after.setdefault(item.after, []).append(paint(f"{mark}{text}", "dim", pres))
    lines.extend(by_after.get(None, []))
    for point in doc.points:
        lines.extend(_point_lines([point], id_width, pres, full))
        lines.extend(by_after.get(point.id, []))
    lines.append("")
    lines.append(f"{escape_terminal(doc.source)}: {describe_counts(doc)}")
    return "\n".join(lines) + "\n"


# -- plancmp diff ---------------------------------------------------------------------------------


def describe_summary(summary: Summary) -> str:
    """ "28 → 20 points: 17 kept (17 reworded), 1 split, 10 dropped, 1 added, 16 renumbered, 1 moved"."""
    parts = [f"{summary.kept} kept" + (f" ({summary.reworded} reworded)" if summary.reworded else "")]
    for n, word in (
        (summary.merged, "merged"),
        (summary.split, "split"),
        (summary.dropped, "dropped"),
        (summary.added, "added"),
        (summary.renumbered, "renumbered"),
        (summary.moved, "moved"),
        (summary.promoted, "promoted"),
        (summary.demoted, "demoted"),
        (summary.regrouped, "moved to another parent"),
    ):
        if n:
            parts.append(f"{n} {word}")
    return f"{summary.old_points} → {summary.new_points} points: " + ", ".join(parts)


def group_ids(ids: tuple[str, ...]) -> str:
    """ "8+9" for several ids, "—" for none."""
    return "+".join(ids) if ids else "—"


def group_flags(group: Group) -> str:
    """ "modified, renumbered, moved"; "unchanged" alone when nothing else applies."""
    flags = [group.status.value]
    if group.renumbered:
        flags.append("renumbered")
    if group.moved:
        flags.append("moved")
    if group.pinned:
        flags.append("pinned")
    return ", ".join(flags)


_STATUS_STYLE = {
    Status.UNCHANGED: "dim",
    Status.MODIFIED: "yellow",
    Status.MERGED: "magenta",
    Status.SPLIT: "magenta",
    Status.DROPPED: "red",
    Status.ADDED: "green",
}


def _diff_text(group: Group, pres: Presentation) -> str:
    out = []
    for edit in group.edits:
        text = escape_terminal(edit.text)
        if edit.op is EditOp.EQUAL:
            out.append(text)
        elif edit.op is EditOp.DELETE:
            # Struck through and underlined as well as red and green: colour is never the only signal.
            out.append(paint(text, "red strike", pres) if pres.color else f"[-{text}-]")
        else:
            out.append(paint(text, "green underline", pres) if pres.color else f"{{+{text}+}}")
    return "".join(out)


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line else line for line in text.split("\n"))


def _group_lines(
    group: Group,
    comparison: Comparison,
    pres: Presentation,
    depth: int,
    context: bool,
    positions: tuple[str, ...] = (),
    places: MovePlaces | None = None,
) -> list[str]:
    from plancmp.render import group_notes

    pad = "  " * depth
    title = paint(link_title(group), "bold", pres)
    flags = paint(group_flags(group), _STATUS_STYLE[group.status], pres)
    head = f"{pad}{title}  {flags}"
    highlights = [escape_terminal(c.summary) for c in group.changes if c.substantive]
    if highlights:
        head += "  " + "; ".join(highlights)
    lines = [head]
    lines.extend(f"{pad}    {escape_terminal(n)}" for n in group_notes(group, comparison, places))
    lines.extend(paint(f"{pad}    ▲ {escape_terminal(p)}", "cyan", pres) for p in positions)
    notes = [escape_terminal(c.summary) for c in group.changes if not c.substantive]
    lines.extend(paint(f"{pad}    note: {n}", "dim", pres) for n in notes)
    quiet = group.status is Status.UNCHANGED
    if group.edits and (not quiet or context):
        body = _diff_text(group, pres) if not quiet else escape_terminal("".join(e.text for e in group.edits if e.op is not EditOp.DELETE))
        lines.append(_indent(body, pad + "    "))
    for child in group.children:
        if context or child.changed:
            lines.extend(_group_lines(child, comparison, pres, depth + 1, context, places=places))
    return lines


def render_diff_terminal(
    comparison: Comparison,
    groups: tuple[Group, ...],
    pres: Presentation,
    context: bool = False,
    only: tuple[str, ...] = (),
) -> str:
    """`plancmp diff`: the summary line, contested points, then one block per group with its word diff.

    Untouched points are left out unless context (their text too) or only (the groups were
    chosen with these --only filters, so every one of them is wanted).
    """
    from plancmp.render import diff_outline

    outline = diff_outline(comparison, groups, context, only)
    head = [
        f"{escape_terminal(comparison.old.source)} → {escape_terminal(comparison.new.source)}",
        paint(describe_summary(comparison.summary), "bold", pres),
    ]
    if outline.shares:
        head.append(f"text still in [brackets]: {outline.shares[0]:.1%} → {outline.shares[1]:.1%}")
    if outline.identical:
        return "\n".join(head) + "\nno differences\n"
    sections: list[str] = []
    if outline.contested:
        # At a glance here; each position in full below, in its group's block.
        lines = [paint("Contested", "bold", pres)]
        for g, who in outline.contested:
            lines.append(f"  {paint(link_title(g), 'bold', pres)}  {group_flags(g)}  ▲ {escape_terminal(who)}")
        sections.append("\n".join(lines))
    sections.extend(
        "\n".join(_group_lines(g, comparison, pres, 0, context, described, outline.places)) for g, described in outline.blocks
    )
    if outline.outside is not None:
        head_line = f"{paint('outside the points', 'bold', pres)}  {paint('modified', 'yellow', pres)}"
        if outline.outside_changes:
            head_line += "  " + "; ".join(escape_terminal(c) for c in outline.outside_changes)
        sections.append(head_line + "\n" + _indent(_diff_text(outline.outside, pres), "    "))
    if outline.loose:
        sections.append(
            "\n".join([paint("Positions not on these points", "bold", pres)]
                      + [f"  ▲ {escape_terminal(p)}" for p in outline.loose])
        )
    if not outline.blocks and not outline.contested and outline.outside is None:
        sections.append("no groups match the filter")
    return "\n".join(head) + "\n\n" + "\n\n".join(sections) + "\n"


# -- plancmp tag ----------------------------------------------------------------------------------


def render_tags_terminal(
    doc: Document,
    placed: tuple[PlacedPosition, ...],
    parties: tuple[Party, ...],
    pres: Presentation,
    selected: tuple[str, ...] | None = None,
    full: bool = False,
) -> str:
    """`plancmp tag`: each point with its tags, its positions beneath, then the unplaced ones.

    selected: the ids to show (all when None); full: each point's whole text, not one line of it.
    """
    from plancmp.render import describe_position

    chosen = None if selected is None else set(selected)

    def wanted(point: Point) -> bool:
        return chosen is None or point.id in chosen

    id_width = max((len(p.id) for p in doc.walk()), default=1)
    share = f"; text still in [brackets]: {doc.bracketed_share:.1%}" if doc.bracketed_share else ""
    lines = [f"{escape_terminal(doc.source)}: {describe_counts(doc)}{share}", ""]
    shown = 0
    for point in doc.walk():
        if not wanted(point):
            continue
        shown += 1
        tags = ", ".join(t.removeprefix("topic:") for t in point.tags) or "—"
        style = "bold red" if "contested" in point.tags else "bold"
        lead = f"{point.id.ljust(id_width)}  "
        if full:
            # The tags take the first line's start; the text's later lines start under the id's end.
            text = whole_text(point.text, len(lead))
        else:
            text = one_line(point.text, max(20, pres.width - len(lead) - len(tags) - 3))
        lines.append(paint(point.id.ljust(id_width), style, pres) + "  " + paint(f"[{escape_terminal(tags)}]", "cyan", pres)
                     + " " + text)
        for pp in placed:
            if point.id in pp.new_points:
                lines.append(f"{' ' * (id_width + 2)}▲ {escape_terminal(describe_position(pp, parties))}")
    if not shown:
        lines.append("no points match the filter")
    loose = [pp for pp in placed if not pp.new_points]
    if loose:
        lines.append("")
        lines.append(paint("Positions not on this draft's points", "bold", pres))
        lines.extend(f"  ▲ {escape_terminal(describe_position(pp, parties))}" for pp in loose)
    return "\n".join(lines) + "\n"
