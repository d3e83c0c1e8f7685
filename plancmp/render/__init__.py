"""Renderers: turn the model into terminal text, JSON, Markdown or HTML. They never write files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from plancmp.model import Comparison, Document, Group, Party, PlacedPosition, Point


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
        Placement.ELSEWHERE: "a draft not read here",
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


_SURE = {"modified": "reworded", "unchanged": "same text", "merged": "merged", "split": "split"}


def link_title(group: Group) -> str:
    """ "6 → 4", "12 → 8+9", "26 → —"; an uncertain link "probably 6 → 6 (reworded; 0.62)"."""
    title = f"{'+'.join(group.old) or '—'} → {'+'.join(group.new) or '—'}"
    if group.uncertain:
        return f"probably {title} ({_SURE.get(group.status.value, group.status.value)}; {group.confidence:.2f})"
    return title


def structure_note(group: Group, comparison: Comparison) -> str | None:
    """ "moved from under 6 to the top level", "moved from under 4 to under 12", or None."""
    # A sub-point whose parent moved with it stands where it stood, under the same point: only
    # the top of a promoted or moved subtree says where it went.
    if not (group.old and group.new) or not group.parent_changed:
        return None

    def where(parent: str | None) -> str:
        return f"under {parent}" if parent else "the top level"

    before = where(comparison.old.parent_of(group.old[0]))
    after = where(comparison.new.parent_of(group.new[0]))
    if before == after:
        return None
    return f"moved from {before} to {after}"


def closest_note(group: Group) -> str | None:
    """ "closest: 5 (0.31), 7 (0.12)" for a dropped or added point, so one --pin can correct it."""
    if not group.candidates:
        return None
    return "closest: " + ", ".join(f"{pid} ({score:.2f})" for pid, score in group.candidates)


def folded_note(group: Group) -> str | None:
    """ "words kept in 8: 6 of 7 (folded into it?)" for a dropped point whose words another point holds;
    "words found in 12.f: 6 of 7 (taken from it?)" for an added one."""
    if group.folded is None:
        return None
    pid, held, words = group.folded
    if group.old:
        return f"words kept in {pid}: {held} of {words} (folded into it?)"
    return f"words found in {pid}: {held} of {words} (taken from it?)"


def group_notes(group: Group, comparison: Comparison, places: MovePlaces | None = None) -> tuple[str, ...]:
    """What a reader should know of a group's link besides its status: where it moved, what is closest,
    what holds its words.

    With places, a moved group says where among its siblings too: "moved: was after 7, now after
    1", or "moved from the top level to under 2 (was after 4, now first)".
    """
    where = structure_note(group, comparison)
    if group.moved and places is not None:
        among = places.describe(group)
        where = f"{where} ({among.removeprefix('moved: ')})" if where else among
    return tuple(n for n in (where, closest_note(group), folded_note(group)) if n)


def short_position(pp: PlacedPosition) -> str:
    """ "RU rejects", "EU proposes (stale)", "EU objects (resolved)": a position at a glance."""
    from plancmp.model import Placement

    marks = {Placement.STALE: " (stale)", Placement.RESOLVED: " (resolved)", Placement.UNPLACED: " (unplaced)"}
    return f"{pp.position.party} {pp.position.stance.value}{marks.get(pp.placement, '')}"


def previous_siblings(doc: Document) -> dict[str, str | None]:
    """Each point's id → the id of the point just before it among its siblings (None: it is first)."""
    out: dict[str, str | None] = {}

    def visit(siblings: tuple[Point, ...]) -> None:
        previous = None
        for point in siblings:
            out[point.id] = previous
            previous = point.id
            visit(point.children)

    visit(doc.points)
    return out


@dataclass(frozen=True)
class MovePlaces:
    """Where every point of a comparison stands among its siblings, to say where a moved point went."""

    old_before: dict[str, str | None]
    """Old id → the old sibling before it."""
    new_before: dict[str, str | None]
    """New id → the new sibling before it."""

    @classmethod
    def of(cls, comparison: Comparison) -> MovePlaces:
        """The places of a comparison's two drafts (built once; each lookup is then a dict's)."""
        return cls(previous_siblings(comparison.old), previous_siblings(comparison.new))

    def where(self, group: Group) -> tuple[str | None, str | None]:
        """(the old point it followed, the new point it follows); None where it came or comes first."""
        return (
            self.old_before.get(group.old[0]) if group.old else None,
            self.new_before.get(group.new[0]) if group.new else None,
        )

    def describe(self, group: Group) -> str:
        """ "moved: was after 7, now after 1" ("was first", "now first" at the head of the list)."""
        old_after, new_after = self.where(group)
        was = f"was after {old_after}" if old_after else "was first"
        now = f"now after {new_after}" if new_after else "now first"
        return f"moved: {was}, {now}"


@dataclass(frozen=True)
class DiffOutline:
    """What a textual rendering of a comparison shows, in order; terminal and Markdown format it."""

    shares: tuple[float, float] | None
    """The old and new drafts' bracketed shares, when either has brackets."""
    identical: bool
    """Nothing to show but "no differences"."""
    contested: tuple[tuple[Group, str], ...]
    """Contested groups with their positions at a glance ("RU rejects · EU proposes (stale)")."""
    blocks: tuple[tuple[Group, tuple[str, ...]], ...]
    """The groups to show, each with its positions described in full."""
    outside: Group | None
    """The text outside the points as a group of its own, when its wording changed."""
    outside_changes: tuple[str, ...]
    """Substantive changes in the text outside the points."""
    loose: tuple[str, ...]
    """Positions that concern no group, described in full."""
    places: MovePlaces | None = None
    """Where the points stand, to say where a moved one went."""


def diff_outline(
    comparison: Comparison, groups: tuple[Group, ...], context: bool, only: tuple[str, ...] = ()
) -> DiffOutline:
    """The outline of `plancmp diff`: untouched points left out unless context or chosen with --only."""
    from plancmp.compare import is_contested, loose_positions, outside_selected, positions_for
    from plancmp.model import Group as GroupModel
    from plancmp.model import Status

    old, new = comparison.old, comparison.new
    shares = (old.bracketed_share, new.bracketed_share)

    on = {id(g): positions_for(g, comparison) for g in groups}
    outside = None
    if comparison.outside_changed and outside_selected(only):
        outside = GroupModel(old=(), new=(), status=Status.MODIFIED, edits=comparison.outside_edits)
    return DiffOutline(
        shares=shares if any(shares) else None,
        identical=comparison.identical and not comparison.positions,
        contested=tuple(
            (g, " · ".join(short_position(pp) for pp in on[id(g)]))
            for g in groups
            if is_contested(g, comparison)
        ),
        blocks=tuple(
            (g, tuple(describe_position(pp, comparison.parties) for pp in on[id(g)]))
            for g in groups
            if context or only or g.changed or on[id(g)]
        ),
        outside=outside,
        outside_changes=tuple(c.summary for c in comparison.outside_changes if c.substantive),
        loose=tuple(describe_position(pp, comparison.parties) for pp in loose_positions(comparison)),
        places=MovePlaces.of(comparison) if any(g.moved for top in groups for g in top.walk()) else None,
    )
