"""`plancmp history`: a chain of drafts as lineages, in terminal text, JSON or Markdown."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from plancmp.model import Chain, Group, Lineage, PlacedPosition, Status
from plancmp.render import MovePlaces, Presentation, describe_position, link_title
from plancmp.render.escape import escape_markdown, escape_terminal
from plancmp.render.to_json import SCHEMA_VERSION, dumps, group_data, placed_data
from plancmp.render.to_terminal import group_flags, paint


def chain_counts(chain: Chain) -> dict[str, int]:
    """How the lineages end: through to the last draft, dropped, new, gone again, disagreeing."""
    counts = {
        "lineages": len(chain.lineages), "through": 0, "restored": 0, "dropped": 0, "new": 0, "transient": 0,
        "disagreements": 0,
    }
    for lineage in chain.lineages:
        first, last = bool(lineage.ids[0]), bool(lineage.ids[-1])
        if lineage.restored:
            key = "restored"
        else:
            key = "through" if first and last else "dropped" if first else "new" if last else "transient"
        counts[key] += 1
        counts["disagreements"] += bool(lineage.note)
    return counts


def summary_line(chain: Chain) -> str:
    """ "28 → 28 → 19 → 20 points; 28 lineages: 18 through to the last draft, …"."""
    c = chain_counts(chain)
    sizes = " → ".join(str(len(d.points)) for d in chain.drafts)
    parts = [f"{c['through']} through to the last draft"]
    if c["restored"]:
        parts.append(f"{c['restored']} dropped and later restored")
    parts += [f"{c['dropped']} dropped on the way", f"{c['new']} new"]
    if c["transient"]:
        parts.append(f"{c['transient']} added and dropped again")
    if c["disagreements"]:
        parts.append(f"{c['disagreements']} where the direct comparison disagrees")
    return f"{sizes} points; {c['lineages']} lineages: " + ", ".join(parts)


class _StepPlaces:
    """Where the points of each step's two drafts stand, built for a step when a moved group asks."""

    def __init__(self, chain: Chain) -> None:
        self.chain = chain
        self.built: dict[int, MovePlaces] = {}

    def __call__(self, k: int) -> MovePlaces:
        if k not in self.built:
            self.built[k] = MovePlaces.of(self.chain.steps[k])
        return self.built[k]


def _step_text(group: Group, places: MovePlaces | None = None) -> str:
    changes = [c.summary for c in group.changes if c.substantive]
    if group.moved and places is not None:
        changes.insert(0, places.describe(group))
    # An uncertain link says so, as diff does: "probably 9 → 9 (reworded; 0.69)".
    ids = link_title(group)
    # " · " and not two spaces: a Markdown table cell, rendered, folds spaces into one.
    return f"{ids} {group_flags(group)}" + (f" · {'; '.join(changes)}" if changes else "")


def restored_note(chain: Chain, lineage: Lineage) -> str:
    """ "dropped at 28-point European, restored at 20-point", for a restored lineage; else "". With
    what the direct comparison found changed between the point that went and the one that came
    back ("… · negation added: …"), or that it came back word for word: the steps hold no link
    between the two."""
    if not lineage.restored:
        return ""
    present = [bool(ids) for ids in lineage.ids]
    gone = next(k for k in range(1, len(present)) if present[k - 1] and not present[k])
    back = next(k for k in range(gone, len(present)) if present[k])
    note = f"dropped at {chain.labels[gone]}, restored at {chain.labels[back]}"
    links = [g for g in lineage.direct if g.old and g.new]
    changes = [c.summary for g in links for c in g.changes if c.substantive]
    if changes:
        return f"{note} · {'; '.join(changes)}"
    return note + (", word for word" if all(g.status is Status.UNCHANGED for g in links) else ", reworded")


def lineage_matches(chain: Chain, lineage: Lineage, wanted: str) -> bool:
    """Whether a lineage is one of the kind `--only` names, in diff's vocabulary (compare.FILTERS).

    changed: anything happened to it on the way, or the direct comparison disagrees; unchanged:
    every step left it as it was (renumbering aside); moved, renumbered, modified, merged, split,
    dropped, added: some step did that to it or to a sub-point; contested: a party objects to it,
    rejects it or reserves its position, on any draft.
    """
    groups = [g for step in lineage.steps for top in step for g in top.walk()]
    if wanted == "changed":
        return bool(lineage.note) or any(g.changed for step in lineage.steps for g in step)
    if wanted == "unchanged":
        return not lineage.note and all(g.status is Status.UNCHANGED for g in groups)
    if wanted == "contested":
        return any(pp.position.stance.contested for pp in positions_of(chain, lineage))
    if wanted == "moved":
        return any(g.moved for g in groups)
    if wanted == "renumbered":
        return any(g.renumbered for g in groups)
    return any(g.status.value == wanted for g in groups)


def shown_lineages(chain: Chain, only: Sequence[str] | bool = ()) -> list[Lineage]:
    """The lineages matching any of the `--only` kinds (all when none)."""
    if isinstance(only, bool):
        # The older form, changed_only=True, is --only changed.
        only = ("changed",) if only else ()
    if not only:
        return list(chain.lineages)
    return [lineage for lineage in chain.lineages if any(lineage_matches(chain, lineage, w) for w in only)]


def lineage_topics(chain: Chain, lineage: Lineage) -> tuple[str, ...]:
    """The topics of the lineage's points in any draft (none unless the chain was compared with rules)."""
    seen: dict[str, None] = {}
    for k, ids in enumerate(lineage.ids):
        for pid in ids:
            point = chain.drafts[k].find(pid)
            for p in point.walk() if point is not None else ():
                for tag in p.tags:
                    if tag.startswith("topic:"):
                        seen.setdefault(tag.removeprefix("topic:"), None)
    return tuple(seen)


def positions_of(chain: Chain, lineage: Lineage) -> list[PlacedPosition]:
    """The positions stated on, or carried onto, any point of the lineage."""
    nodes = {(k, pid) for k, ids in enumerate(lineage.ids) for pid in ids}
    keys = [d.source for d in chain.drafts]
    from plancmp.annotate import draft_key

    stems = [draft_key(k) for k in keys]
    out = []
    for pp in chain.positions:
        if pp.position.draft in stems:
            k = stems.index(pp.position.draft)
            stated = pp.old_points or pp.new_points
            if any((k, pid.split(".")[0]) in nodes for pid in stated):
                out.append(pp)
                continue
        if any((len(chain.drafts) - 1, pid.split(".")[0]) in nodes for pid in pp.new_points):
            out.append(pp)
    return out


def render_history_terminal(
    chain: Chain, pres: Presentation, title: str = "", only: Sequence[str] | bool = ()
) -> str:
    """One block per lineage: its path through the drafts, what changed at each step, topics, positions."""
    lines = []
    if title:
        lines.append(paint(escape_terminal(title), "bold", pres))
    lines.append(" → ".join(escape_terminal(label) for label in chain.labels))
    lines.append(paint(summary_line(chain), "bold", pres))
    shown = shown_lineages(chain, only)
    places = _StepPlaces(chain)
    for lineage in shown:
        steps = [(k, g) for k, groups in enumerate(lineage.steps) for g in groups if g.changed]
        positions = positions_of(chain, lineage)
        lines.append("")
        lines.append(paint(lineage.path, "bold", pres))
        for k, group in steps:
            text = _step_text(group, places(k) if group.moved else None)
            lines.append(f"    {escape_terminal(chain.labels[k + 1])}: {escape_terminal(text)}")
        if lineage.restored:
            lines.append(paint(f"    ↺ {escape_terminal(restored_note(chain, lineage))}", "yellow", pres))
        topics = lineage_topics(chain, lineage)
        if topics:
            lines.append(paint(f"    topics: {escape_terminal(', '.join(topics))}", "dim", pres))
        if lineage.note:
            lines.append(paint(f"    ! {escape_terminal(lineage.note)}", "yellow", pres))
        lines.extend(paint(f"    ▲ {escape_terminal(describe_position(pp, chain.parties))}", "cyan", pres) for pp in positions)
    if not shown:
        lines += ["", "no points match the filter"]
    loose = [pp for pp in chain.positions if not pp.old_points and not pp.new_points]
    if loose:
        lines += ["", paint("Positions not on these drafts' points", "bold", pres)]
        lines.extend(f"  ▲ {escape_terminal(describe_position(pp, chain.parties))}" for pp in loose)
    return "\n".join(lines) + "\n"


def _lineage_data(chain: Chain, lineage: Lineage, places: _StepPlaces) -> dict[str, Any]:
    return {
        "ids": [list(ids) for ids in lineage.ids],
        "path": lineage.path,
        "steps": [
            {
                "from": chain.labels[k],
                "to": chain.labels[k + 1],
                "groups": [group_data(g, places=places(k)) for g in groups],
            }
            for k, groups in enumerate(lineage.steps)
        ],
        "direct": [{"old": list(g.old), "new": list(g.new), "status": g.status.value} for g in lineage.direct],
        "note": lineage.note,
        "restored": lineage.restored,
        "topics": list(lineage_topics(chain, lineage)),
    }


def render_history_json(
    chain: Chain,
    title: str = "",
    dates: tuple[str, ...] = (),
    sides: tuple[str, ...] = (),
    only: Sequence[str] | bool = (),
) -> str:
    """`plancmp history --format json`: drafts, lineages with per-step groups, positions."""
    places = _StepPlaces(chain)
    return dumps(
        {
            "schema_version": SCHEMA_VERSION,
            "title": title,
            "drafts": [
                {
                    "source": d.source,
                    "label": label,
                    "date": dates[k] if k < len(dates) else "",
                    "side": sides[k] if k < len(sides) else "",
                    "points": len(d.points),
                }
                for k, (d, label) in enumerate(zip(chain.drafts, chain.labels))
            ],
            "summary": chain_counts(chain),
            "lineages": [_lineage_data(chain, lineage, places) for lineage in shown_lineages(chain, only)],
            "positions": [placed_data(pp) for pp in chain.positions],
            "parties": [{"code": p.code, "name": p.name, "colour": p.colour} for p in chain.parties],
        }
    )


def render_history_markdown(chain: Chain, title: str = "", only: Sequence[str] | bool = ()) -> str:
    """`plancmp history --format markdown`: one table row per lineage, one column per draft."""
    lines = [f"## {escape_markdown(title)}" if title else "## Drafts", "", f"**{escape_markdown(summary_line(chain))}**", ""]
    header = [escape_markdown(label) for label in chain.labels] + ["what changed"]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    places = _StepPlaces(chain)
    for lineage in shown_lineages(chain, only):
        notes = [
            f"{escape_markdown(chain.labels[k + 1])}: {escape_markdown(_step_text(g, places(k) if g.moved else None))}"
            for k, groups in enumerate(lineage.steps)
            for g in groups
            if g.changed
        ]
        if lineage.restored:
            notes.append(f"↺ {escape_markdown(restored_note(chain, lineage))}")
        topics = lineage_topics(chain, lineage)
        if topics:
            notes.append(f"topics: {escape_markdown(', '.join(topics))}")
        if lineage.note:
            notes.append(f"⚠ {escape_markdown(lineage.note)}")
        notes.extend(f"▲ {escape_markdown(describe_position(pp, chain.parties))}" for pp in positions_of(chain, lineage))
        cells = ["+".join(ids) if ids else "—" for ids in lineage.ids]
        lines.append("| " + " | ".join(cells + ["<br>".join(notes)]) + " |")
    return "\n".join(lines) + "\n"
