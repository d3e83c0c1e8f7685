"""The redline as a plan: which paragraph of the old draft faces which of the new, in what order.

Both drafts are seen as paragraphs (a point's labelled paragraph, its further paragraphs, each
piece of text outside the points). The comparison's groups pair them: a point that stayed (1:1,
unchanged or modified) pairs its paragraphs with its successor's; merged, split, dropped and added
points pair nothing and show as the deletions and insertions they are. Pairs off the longest
in-order run (and every pair of a group the aligner calls moved) become moves. The plan then
interleaves the two drafts: between two pairs that stayed in place, the old draft's paragraphs
(deleted, or moved away) come first, then the new draft's (inserted, or moved here).

Whatever the interleaving, each draft's own paragraphs keep their order, so reading the redline
with every change accepted gives the new draft and with every change rejected the old one.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from plancmp.align import longest_increasing
from plancmp.model import Comparison, Edit, EditOp, Group, PlacedPosition, Placement, Status
from plancmp.normalise import normalise_text

Owner = tuple[str, str]
"""What a paragraph belongs to: ("point", id), ("outside", index in Document.outside), or ("rule", …)
for a horizontal line that ends the points without text of its own."""


class Role(str, Enum):
    """What a paragraph of the redline is."""

    KEEP = "keep"
    """In both drafts, in place; its words may have changed."""
    DELETE = "delete"
    """Only in the old draft."""
    INSERT = "insert"
    """Only in the new draft."""
    MOVE_FROM = "move-from"
    """The old draft's paragraph, moved away from here."""
    MOVE_TO = "move-to"
    """The new draft's paragraph, moved here."""
    NEUTRAL = "neutral"
    """An empty paragraph of the new draft that the reader skips; left as it is."""


@dataclass
class Para:
    """One paragraph of a draft as the redline sees it."""

    text: str
    """The text plancmp's reader sees in it, typed label included."""
    owner: Owner | None
    """The point or outside text it belongs to (None: an empty paragraph the reader skips)."""
    first: bool = True
    """The first paragraph of its owner (a point's labelled paragraph)."""
    label: str = ""
    """The typed label it starts with (empty when none, or when Word numbering makes the label)."""
    depth: int = 0
    """The point's depth (0 top level), for indenting generated paragraphs."""
    style: str = "body"
    """For generated paragraphs: "title", "heading", "point" or "body"."""
    element: Any = None
    """The draft's own w:p, when it comes from a DOCX package; None when generated from the model."""
    cuttable: bool = True
    """Its runs can be cut where the words changed (no fields, content controls or math)."""


@dataclass(frozen=True)
class Item:
    """One paragraph of the redline, in reading order."""

    role: Role
    """What it is."""
    old: int | None
    """Index of the old draft's paragraph (None for inserted and neutral ones)."""
    new: int | None
    """Index of the new draft's paragraph (None for deleted ones)."""
    move: int = 0
    """For MOVE_FROM and MOVE_TO: the move's number (1, 2…), shared by both ends."""
    edits: tuple[Edit, ...] = ()
    """For KEEP and moves: old text → new text, label first and whole, then word by word."""


@dataclass(frozen=True)
class Note:
    """A Word comment to anchor on a stretch of the redline."""

    author: str
    """Who it is by: "plancmp", or a party's name."""
    initials: str
    """The author's initials (a party's code)."""
    text: str
    """What it says; lines become paragraphs."""
    first: int
    """Index (in the plan's items) of the first paragraph it covers."""
    last: int
    """Index of the last paragraph it covers."""


@dataclass(frozen=True)
class Plan:
    """The redline's paragraphs in order, and its comments."""

    items: tuple[Item, ...]
    """Every paragraph, in reading order."""
    notes: tuple[Note, ...] = field(default=())
    """The comments."""


# -- pairing ---------------------------------------------------------------------------------------


def _index(side: Sequence[Para]) -> dict[Owner, list[int]]:
    out: dict[Owner, list[int]] = {}
    for k, para in enumerate(side):
        if para.owner is not None:
            out.setdefault(para.owner, []).append(k)
    return out


def _similar(a: str, b: str) -> bool:
    """Two paragraphs alike enough to show as one edited paragraph rather than a swap."""
    return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio() >= 0.5


def _pair_runs(old: Sequence[int], new: Sequence[int], old_side: Sequence[Para], new_side: Sequence[Para]) -> list[tuple[int, int]]:
    """Pair two runs of paragraphs: equal ones, and alike ones facing each other in a changed stretch."""
    a = [normalise_text(old_side[i].text) for i in old]
    b = [normalise_text(new_side[j].text) for j in new]
    pairs: list[tuple[int, int]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pairs.extend((old[i1 + k], new[j1 + k]) for k in range(i2 - i1))
        elif tag == "replace":
            pairs.extend(
                (old[i1 + k], new[j1 + k]) for k in range(min(i2 - i1, j2 - j1)) if _similar(a[i1 + k], b[j1 + k])
            )
    return pairs


def _point_pairs(
    groups: Sequence[Group], old_by: dict[Owner, list[int]], new_by: dict[Owner, list[int]],
    old_side: Sequence[Para], new_side: Sequence[Para], known: dict[tuple[int, int], tuple[Edit, ...]],
) -> list[tuple[int, int, bool]]:
    """(old paragraph, new paragraph, forced move) for every point that stayed one to one.

    known receives, for each labelled paragraph pair, the word edits of the group's text.
    """
    out: list[tuple[int, int, bool]] = []

    def visit(group: Group, moved: bool) -> None:
        moved = moved or group.moved
        one_to_one = len(group.old) == 1 and len(group.new) == 1
        if one_to_one and group.status in (Status.UNCHANGED, Status.MODIFIED):
            olds = old_by.get(("point", group.old[0]), [])
            news = new_by.get(("point", group.new[0]), [])
            if olds and news:
                out.append((olds[0], news[0], moved))
                known[(olds[0], news[0])] = group.edits
                out.extend((i, j, moved) for i, j in _pair_runs(olds[1:], news[1:], old_side, new_side))
        for child in group.children:
            visit(child, moved)

    for group in groups:
        visit(group, False)
    return out


def _outside_pairs(old_side: Sequence[Para], new_side: Sequence[Para]) -> list[tuple[int, int, bool]]:
    old = [k for k, p in enumerate(old_side) if p.owner is not None and p.owner[0] != "point"]
    new = [k for k, p in enumerate(new_side) if p.owner is not None and p.owner[0] != "point"]
    return [(i, j, False) for i, j in _pair_runs(old, new, old_side, new_side)]


# -- the words of a pair ---------------------------------------------------------------------------


def _split_label(para: Para) -> tuple[str, str]:
    """(leading spaces and typed label, the rest) of a paragraph's text."""
    if para.label:
        stripped = para.text.lstrip()
        if stripped.startswith(para.label):
            cut = len(para.text) - len(stripped) + len(para.label)
            return para.text[:cut], para.text[cut:]
    return "", para.text


def pair_edits(old: Para, new: Para, known: Sequence[Edit] = ()) -> tuple[Edit, ...]:
    """Old paragraph → new: a changed label replaced whole ("6." → "4."), then the words.

    known: the word edits the comparison already made of the point's text, used when they
    spell exactly this paragraph's text after its label (one diff, not two, per point).
    """
    from plancmp.diff import new_side, old_side, word_edits

    old_label, old_rest = _split_label(old)
    new_label, new_rest = _split_label(new)
    edits: list[Edit] = []
    if old_label == new_label:
        if old_label:
            edits.append(Edit(EditOp.EQUAL, old_label))
    else:
        if old_label:
            edits.append(Edit(EditOp.DELETE, old_label))
        if new_label:
            edits.append(Edit(EditOp.INSERT, new_label))
    old_text, new_text = old_rest.lstrip(), new_rest.lstrip()
    lead = old_rest[: len(old_rest) - len(old_text)]
    if known and lead == new_rest[: len(new_rest) - len(new_text)] and old_side(known) == old_text and new_side(known) == new_text:
        if lead:
            edits.append(Edit(EditOp.EQUAL, lead))
        edits.extend(known)
    else:
        edits.extend(word_edits(old_rest, new_rest))
    return tuple(edits)


# -- the plan --------------------------------------------------------------------------------------


def plan_redline(
    comparison: Comparison,
    old_side: Sequence[Para],
    new_side: Sequence[Para],
    notes: Sequence[tuple[str, str, str, tuple[str, ...], tuple[str, ...]]] = (),
) -> Plan:
    """Order both drafts' paragraphs into one redline and anchor the notes on them.

    A note is (author, initials, text, new ids, old ids): it covers the new points' paragraphs,
    or, when it names none, the old points'; with neither it goes on the first paragraph.
    """
    old_by, new_by = _index(old_side), _index(new_side)
    known: dict[tuple[int, int], tuple[Edit, ...]] = {}
    candidates = _point_pairs(comparison.groups, old_by, new_by, old_side, new_side, known)
    candidates += _outside_pairs(old_side, new_side)
    seen_old: set[int] = set()
    seen_new: set[int] = set()
    pairs: list[tuple[int, int, bool]] = []
    for i, j, forced in sorted(candidates):
        if i in seen_old or j in seen_new:
            continue
        same = old_side[i].text == new_side[j].text
        if not same and not new_side[j].cuttable:
            continue
        seen_old.add(i)
        seen_new.add(j)
        pairs.append((i, j, forced))
    free = [(i, j) for i, j, forced in pairs if not forced]
    in_place = {free[k] for k in longest_increasing([j for _, j in free])}
    moves = [(i, j) for i, j, _ in pairs if (i, j) not in in_place]
    # A moved paragraph whose words changed must be cut on both ends; if the old one cannot be,
    # it shows as deleted there and inserted here.
    moves = [(i, j) for i, j in moves if old_side[i].text == new_side[j].text or old_side[i].cuttable]
    anchors = sorted(in_place)
    paired_old = {i for i, _ in anchors} | {i for i, _ in moves}
    paired_new = {j for _, j in anchors} | {j for _, j in moves}
    move_of = _number_moves(moves, paired_old, paired_new)

    old_only: list[list[Item]] = [[] for _ in range(len(anchors) + 1)]
    new_only: list[list[Item]] = [[] for _ in range(len(anchors) + 1)]
    anchor_old = [i for i, _ in anchors]
    anchor_new = [j for _, j in anchors]
    moved_to = {i: j for i, j in moves}
    moved_from = {j: i for i, j in moves}
    kept_old, kept_new = set(anchor_old), set(anchor_new)
    for i, para in enumerate(old_side):
        if para.owner is None or i in kept_old:
            continue
        gap = bisect.bisect_left(anchor_old, i)
        if i in moved_to:
            j = moved_to[i]
            old_only[gap].append(Item(Role.MOVE_FROM, i, j, move_of[(i, j)], pair_edits(para, new_side[j], known.get((i, j), ()))))
        else:
            old_only[gap].append(Item(Role.DELETE, i, None))
    for j, para in enumerate(new_side):
        if j in kept_new:
            continue
        gap = bisect.bisect_left(anchor_new, j)
        if j in moved_from:
            i = moved_from[j]
            new_only[gap].append(Item(Role.MOVE_TO, i, j, move_of[(i, j)], pair_edits(old_side[i], para, known.get((i, j), ()))))
        elif para.owner is None:
            new_only[gap].append(Item(Role.NEUTRAL, None, j))
        else:
            new_only[gap].append(Item(Role.INSERT, None, j))
    items: list[Item] = []
    for gap in range(len(anchors) + 1):
        items.extend(old_only[gap])
        items.extend(new_only[gap])
        if gap < len(anchors):
            i, j = anchors[gap]
            items.append(Item(Role.KEEP, i, j, 0, pair_edits(old_side[i], new_side[j], known.get((i, j), ()))))
    return Plan(tuple(items), tuple(_anchor_notes(items, old_side, new_side, notes)))


def _number_moves(moves: Sequence[tuple[int, int]], paired_old: set[int], paired_new: set[int]) -> dict[tuple[int, int], int]:
    """One move per stretch of moved paragraphs that are neighbours in both drafts.

    Neighbours: nothing but unpaired (deleted or inserted) paragraphs stand between them, on
    either side, so the move's ranges hold only its own paragraphs and those changes.
    """
    out: dict[tuple[int, int], int] = {}
    number = 0
    prev: tuple[int, int] | None = None
    for i, j in sorted(moves):
        joined = (
            prev is not None
            and j > prev[1]
            and not any(k in paired_old for k in range(prev[0] + 1, i))
            and not any(k in paired_new for k in range(prev[1] + 1, j))
        )
        if not joined:
            number += 1
        out[(i, j)] = number
        prev = (i, j)
    return out


def _anchor_notes(
    items: Sequence[Item],
    old_side: Sequence[Para],
    new_side: Sequence[Para],
    notes: Sequence[tuple[str, str, str, tuple[str, ...], tuple[str, ...]]],
) -> list[Note]:
    on_new: dict[str, list[int]] = {}
    on_old: dict[str, list[int]] = {}
    for k, item in enumerate(items):
        if item.new is not None and item.role is not Role.MOVE_FROM:
            owner = new_side[item.new].owner
            if owner is not None and owner[0] == "point":
                on_new.setdefault(owner[1], []).append(k)
        if item.old is not None and item.role is not Role.MOVE_TO:
            owner = old_side[item.old].owner
            if owner is not None and owner[0] == "point":
                on_old.setdefault(owner[1], []).append(k)
    out: list[Note] = []
    for author, initials, text, new_ids, old_ids in notes:
        covered = [k for pid in new_ids for k in on_new.get(pid, ())]
        if not covered:
            covered = [k for pid in old_ids for k in on_old.get(pid, ())]
        if not covered:
            covered = [next((k for k, it in enumerate(items) if it.role is not Role.NEUTRAL), 0)]
        if items:
            out.append(Note(author, initials, text, min(covered), max(covered)))
    return out


# -- what the comments say ---------------------------------------------------------------------------


def _ids(ids: Sequence[str]) -> str:
    return " and ".join([", ".join(ids[:-1]), ids[-1]]) if len(ids) > 1 else (ids[0] if ids else "")


def group_note(group: Group, auto_labels: bool) -> str:
    """What plancmp says of one point in the margin: merges, splits, Word renumbering, substantive changes."""
    lines: list[str] = []
    if group.status is Status.MERGED:
        lines.append(f"merged from {_ids(group.old)}")
    elif group.status is Status.SPLIT:
        lines.append(f"split: {group.old[0]} became {_ids(group.new)}")
    if group.renumbered and auto_labels and len(group.old) == 1 and len(group.new) == 1:
        # Word numbering: the label is no text to strike out, so the margin says it.
        lines.append(f"renumbered: {group.old[0]} → {group.new[0]}")
    lines.extend(c.summary for c in group.changes if c.substantive)
    lines.extend(f"note: {c.summary}" for c in group.changes if not c.substantive)
    return "\n".join(lines)


def position_note(pp: PlacedPosition) -> str:
    """A party's position as a comment: stance and note, source and date, and what became of it."""
    position = pp.position
    lines = [f"{position.stance.value.capitalize()}" + (f": {position.note}" if position.note else "")]
    where = f"stated on {position.draft}"
    if pp.old_points and pp.placement is not Placement.PLACED:
        where += f", point {pp.old_points[0]}"
    details = [d for d in (position.source, position.date) if d]
    lines.append("; ".join([*details, where]))
    if pp.placement is Placement.STALE:
        lines.append("stale: text changed since" + (": " + "; ".join(pp.changed) if pp.changed else ""))
    elif pp.placement is Placement.RESOLVED:
        lines.append("resolved by removal")
    elif pp.placement is Placement.UNPLACED:
        closest = ", ".join(f"{pid} ({score:.2f})" for pid, score in pp.candidates)
        lines.append("could not be placed" + (f"; closest: {closest}" if closest else ""))
    elif pp.placement is Placement.ELSEWHERE:
        lines.append("on a draft not read here")
    if pp.score < 1.0 and pp.placement not in (Placement.UNPLACED, Placement.ELSEWHERE):
        lines.append(f"quote re-anchored by fuzzy match, score {pp.score:.2f}")
    return "\n".join(lines)
