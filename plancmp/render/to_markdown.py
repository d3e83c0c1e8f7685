"""Markdown for pasting a comparison into a memo or an issue; draft text escaped, never markup."""

from __future__ import annotations

from plancmp.model import Comparison, Document, EditOp, Group, Party, PlacedPosition, Point, Status
from plancmp.render import MovePlaces, link_title
from plancmp.render.escape import escape_markdown
from plancmp.render.to_terminal import describe_counts, describe_summary, group_flags


def _inline_diff(group: Group) -> str:
    parts = []
    for edit in group.edits:
        text = escape_markdown(edit.text)
        if not text.strip():
            parts.append(text)
            continue
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()):]
        core = text.strip()
        if edit.op is EditOp.EQUAL:
            parts.append(text)
        elif edit.op is EditOp.DELETE:
            parts.append(f"{lead}~~{core}~~{trail}")
        else:
            parts.append(f"{lead}**{core}**{trail}")
    # Paragraph breaks inside a point become Markdown line breaks within the quote.
    return "".join(parts).replace("\n", "  \n> ")


def _group_md(
    group: Group,
    comparison: Comparison,
    level: int,
    context: bool,
    positions: tuple[str, ...] = (),
    places: MovePlaces | None = None,
) -> list[str]:
    from plancmp.render import group_notes

    lines = [f"{'#' * level} {escape_markdown(link_title(group))} · {group_flags(group)}", ""]
    for position in positions:
        lines.append(f"- ▲ {escape_markdown(position)}")
    if positions:
        lines.append("")
    notes = [*group_notes(group, comparison, places), *(change.summary for change in group.changes)]
    for note in notes:
        lines.append(f"- {escape_markdown(note)}")
    if notes:
        lines.append("")
    if group.edits and (group.status is not Status.UNCHANGED or context):
        lines.append("> " + _inline_diff(group))
        lines.append("")
    for child in group.children:
        if context or child.changed:
            lines.extend(_group_md(child, comparison, min(level + 1, 6), context, places=places))
    return lines


def render_diff_markdown(
    comparison: Comparison, groups: tuple[Group, ...], context: bool = False, only: tuple[str, ...] = ()
) -> str:
    """`plancmp diff --format markdown`: summary, then a section per group with its changes and diff."""
    from plancmp.render import diff_outline

    outline = diff_outline(comparison, groups, context, only)
    old, new = comparison.old, comparison.new
    lines = [
        f"## {escape_markdown(old.source)} → {escape_markdown(new.source)}",
        "",
        f"**{escape_markdown(describe_summary(comparison.summary))}**",
        "",
    ]
    if outline.shares:
        lines += [f"Text still in \\[brackets\\]: {outline.shares[0]:.1%} → {outline.shares[1]:.1%}", ""]
    lines += ["Deleted words are ~~struck through~~, inserted words are **bold**.", ""]
    if outline.identical:
        lines.append("No differences.")
        return "\n".join(lines) + "\n"
    if outline.contested:
        lines += ["### Contested", ""]
        for g, who in outline.contested:
            lines.append(f"- **{escape_markdown(link_title(g))}** · {group_flags(g)} · ▲ {escape_markdown(who)}")
        lines.append("")
    for group, described in outline.blocks:
        lines.extend(_group_md(group, comparison, 3, context, described, outline.places))
    if outline.outside is not None:
        lines += ["### Outside the points · modified", ""]
        if outline.outside_changes:
            lines.extend(f"- {escape_markdown(c)}" for c in outline.outside_changes)
            lines.append("")
        lines += ["> " + _inline_diff(outline.outside), ""]
    if outline.loose:
        lines += ["### Positions not on these points", ""]
        lines.extend(f"- ▲ {escape_markdown(p)}" for p in outline.loose)
    if not outline.blocks and not outline.contested and outline.outside is None:
        lines.append("No groups match the filter.")
    return "\n".join(lines).rstrip() + "\n"


def _point_item(point: Point, lead: str) -> str:
    """A list item: the point's id as code, then its label and whole text (paragraphs as line breaks)."""
    pad = "  " * point.depth
    text = escape_markdown(f"{point.label} {point.text}".strip()).replace("\n", f"  \n{pad}  ")
    # A code span shows the id as it is: ids are letters, digits, dots and "#", never a backtick.
    return f"{pad}- `{point.id}`{lead} {text}"


def render_points_markdown(doc: Document) -> str:
    """`plancmp points --format markdown`: the points as a nested list, whole texts, outside text in place."""
    lines = [f"## {escape_markdown(doc.source)}", "", escape_markdown(describe_counts(doc)), ""]
    by_after: dict[str | None, list[str]] = {}
    for item in doc.outside:
        by_after.setdefault(item.after, []).append(f"*{item.kind.value}:* {escape_markdown(item.text)}".replace("\n", "  \n"))
    for text in by_after.get(None, []):
        lines += [text, ""]
    for point in doc.points:
        lines.extend(_point_item(p, "") for p in point.walk())
        after = by_after.get(point.id, [])
        if after:
            lines.append("")
            for text in after:
                lines += [text, ""]
    return "\n".join(lines).rstrip() + "\n"


def render_tags_markdown(
    doc: Document,
    placed: tuple[PlacedPosition, ...],
    parties: tuple[Party, ...],
    selected: tuple[str, ...] | None = None,
) -> str:
    """`plancmp tag --format markdown`: each point with its tags and the positions on it, as a list."""
    from plancmp.render import describe_position

    chosen = None if selected is None else set(selected)
    share = f"; text still in \\[brackets\\]: {doc.bracketed_share:.1%}" if doc.bracketed_share else ""
    lines = [f"## {escape_markdown(doc.source)}", "", escape_markdown(describe_counts(doc)) + share, ""]
    shown = 0
    for point in doc.walk():
        if chosen is not None and point.id not in chosen:
            continue
        shown += 1
        tags = ", ".join(t.removeprefix("topic:") for t in point.tags) or "—"
        lines.append(_point_item(point, f" · {escape_markdown(tags)} ·"))
        pad = "  " * (point.depth + 1)
        lines.extend(f"{pad}- ▲ {escape_markdown(describe_position(pp, parties))}" for pp in placed if point.id in pp.new_points)
    if not shown:
        lines.append("No points match the filter.")
    loose = [pp for pp in placed if not pp.new_points]
    if loose:
        lines += ["", "### Positions not on this draft's points", ""]
        lines.extend(f"- ▲ {escape_markdown(describe_position(pp, parties))}" for pp in loose)
    return "\n".join(lines).rstrip() + "\n"
