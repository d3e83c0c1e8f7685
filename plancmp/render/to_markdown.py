"""Markdown for pasting a comparison into a memo or an issue; draft text escaped, never markup."""

from __future__ import annotations

from plancmp.model import Comparison, EditOp, Group, Status
from plancmp.render.escape import escape_markdown
from plancmp.render.to_terminal import describe_summary, group_flags, group_title


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


def _group_md(group: Group, comparison: Comparison, level: int, context: bool, positions: tuple[str, ...] = ()) -> list[str]:
    from plancmp.render import group_notes

    lines = [f"{'#' * level} {escape_markdown(group_title(group))} · {group_flags(group)}", ""]
    notes = group_notes(group, comparison)
    lines.extend(f"- {escape_markdown(n)}" for n in notes)
    if notes:
        lines.append("")
    for position in positions:
        lines.append(f"- ▲ {escape_markdown(position)}")
    if positions:
        lines.append("")
    for change in group.changes:
        lines.append(f"- {escape_markdown(change.summary)}")
    if group.changes:
        lines.append("")
    if group.edits and (group.status is not Status.UNCHANGED or context):
        lines.append("> " + _inline_diff(group))
        lines.append("")
    for child in group.children:
        if context or child.changed:
            lines.extend(_group_md(child, comparison, min(level + 1, 6), context))
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
            lines.append(f"- **{escape_markdown(group_title(g))}** · {group_flags(g)} · ▲ {escape_markdown(who)}")
        lines.append("")
    for group, described in outline.blocks:
        lines.extend(_group_md(group, comparison, 3, context, described))
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
