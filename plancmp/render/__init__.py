"""Renderers: turn the model into terminal text, JSON, Markdown or HTML. They never write files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from plancmp.model import Party, PlacedPosition


@dataclass(frozen=True)
class Presentation:
    """How terminal output looks; decided once at the edge (the CLI) and passed in."""

    color: bool = False
    """Use ANSI colours."""
    width: int = 100
    """Terminal width in columns, for previews and wrapping."""


def describe_position(pp: PlacedPosition, parties: tuple[Party, ...]) -> str:
    """One line a negotiator reads: who, what stance, where stated, what became of it, and the note."""
    from plancmp.model import Placement

    position = pp.position
    names = {p.code: p.name for p in parties}
    who = names.get(position.party, position.party)
    # The point on the draft the position was stated on, as found there.
    if pp.old_points:
        where: str | None = pp.old_points[0]
    elif pp.placement is Placement.PLACED and pp.new_points:
        where = pp.new_points[0]
    else:
        where = position.selector.point
    stated = f"stated on {position.draft}" + (f", point {where}" if where else "")
    if position.date:
        stated += f", {position.date}"
    detail = {
        Placement.CARRIED: "carried over, text unchanged",
        Placement.STALE: "text changed since: " + "; ".join(pp.changed) if pp.changed else "text changed since",
        Placement.RESOLVED: "resolved by removal",
        Placement.ELSEWHERE: "a draft not compared here",
    }.get(pp.placement)
    if pp.placement is Placement.UNPLACED:
        closest = ", ".join(f"{pid} ({score:.2f})" for pid, score in pp.candidates)
        detail = "could not be placed" + (f"; closest: {closest}" if closest else "")
    if pp.placement is Placement.CARRIED and not pp.old_points:
        detail = "found here by its quote"
    if pp.score < 1.0 and pp.placement not in (Placement.UNPLACED, Placement.ELSEWHERE):
        detail = (detail + "; " if detail else "") + f"quote re-anchored by fuzzy match, score {pp.score:.2f}"
    head = f"{who} {position.stance.value} ({stated}" + (f"; {detail}" if detail else "") + ")"
    return head + (f": {position.note}" if position.note else "")


def short_position(pp: PlacedPosition) -> str:
    """ "RU rejects", "EU proposes (stale)", "EU objects (resolved)": a position at a glance."""
    from plancmp.model import Placement

    marks = {Placement.STALE: " (stale)", Placement.RESOLVED: " (resolved)", Placement.UNPLACED: " (unplaced)"}
    return f"{pp.position.party} {pp.position.stance.value}{marks.get(pp.placement, '')}"
