"""One self-contained HTML page for a chain of drafts: lineages, per-point timelines, a version picker.

Built on the two-draft report's machinery (plancmp.render.to_html): the same rows for each pair of
drafts, the same position chips, the same escaping, data island and CSP. Every pair the picker
offers is rendered into the page, hidden but for the chosen one, so the page needs no requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from plancmp.model import Chain, Comparison, Document, Group, Lineage, PlacedPosition, Point, Status
from plancmp.render import link_title
from plancmp.render.to_html import (
    FLAG_SYMBOLS,
    STATUS_SYMBOLS,
    ChangeView,
    PositionView,
    RowView,
    Run,
    party_classes,
    party_css,
    position_view,
    render_page,
    row_data,
    row_topics,
    rows_of,
    split_runs,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

_ORDER = (Status.DROPPED, Status.ADDED, Status.SPLIT, Status.MERGED, Status.MODIFIED, Status.UNCHANGED)
"""Which status colours a step cell whose groups differ: the most consequential first."""


@dataclass(frozen=True)
class DraftView:
    """One draft of the chain, as the header lists it."""

    index: int
    """Position in the chain, 0 for the oldest."""
    label: str
    """Its label ("28-point European")."""
    source: str
    """The file it was read from."""
    date: str
    """ISO date, or ""."""
    side: str
    """Who wrote it, or ""."""
    points: int
    """Top-level points."""
    counts: str
    """ "28 points, 9 sub-points"."""


@dataclass(frozen=True)
class StepMark:
    """What one group of a step did to a lineage: status word and symbol, renumbering, moving."""

    title: str
    """ "6 → 4"."""
    status: str
    """The status word."""
    symbol: str
    """The status symbol."""
    renumbered: bool
    """The point carries another number now."""
    moved: bool
    """The point changed place."""


@dataclass(frozen=True)
class StepCell:
    """What happened to a lineage between two consecutive drafts."""

    status: str
    """The leading status, for the cell's colour ("" where the point is in neither draft)."""
    marks: tuple[StepMark, ...]
    """One mark per group of the step that belongs to the lineage."""
    changes: tuple[str, ...]
    """Substantive changes called out, as one-line summaries."""


@dataclass(frozen=True)
class IdCell:
    """A lineage's ids in one draft."""

    ids: str
    """ "6", "8+9", or "—" where the point is absent."""
    present: bool
    """The point is in this draft."""
    new: bool
    """The point first appears here, after the first draft."""
    restored: bool = False
    """The point comes back here, after a draft that dropped it."""


@dataclass(frozen=True)
class TimelinePoint:
    """One point (or sub-point) of a lineage in one draft, its text marked against the draft before."""

    id: str
    """The point id ("12.a")."""
    label: str
    """The label as the draft shows it."""
    depth: int
    """0 for the lineage's own points, 1 for their sub-points, and so on."""
    runs: tuple[Run, ...]
    """Its text: shared words, and the words deleted and inserted since the draft before."""


@dataclass(frozen=True)
class TimelineEntry:
    """A lineage in one draft: ids, text, what changed to get there, positions stated on it."""

    index: int
    """The draft's position in the chain."""
    label: str
    """The draft's label."""
    date: str
    """The draft's date, or ""."""
    ids: str
    """ "6", "8+9", or "—"."""
    state: str
    """"first" (where it starts), "present", "restored" (back after a gap), "dropped" (gone at this draft) or "absent"."""
    step: StepCell | None
    """What changed from the draft before (None for the first draft)."""
    points: tuple[TimelinePoint, ...]
    """Its text in this draft."""
    changes: tuple[ChangeView, ...]
    """Substantive changes of the step that led here, as chips."""
    positions: tuple[PositionView, ...]
    """Positions stated on this draft about these points."""


@dataclass(frozen=True)
class LineageView:
    """One row of the lineage table, with its timeline."""

    key: str
    """1-based row number, for element ids."""
    path: str
    """ "6 → 6 → 4 → 4", "— → — → — → 10 (new)"."""
    cells: tuple[IdCell, ...]
    """One cell per draft."""
    steps: tuple[StepCell, ...]
    """One cell per step."""
    note: str
    """Where the direct first → last comparison disagrees, in words; else ""."""
    restored: str
    """For a point dropped and later restored: "dropped at …, restored at …"; else ""."""
    changed: bool
    """Anything happened to it along the chain (beyond being carried unchanged)."""
    positions: tuple[PositionView, ...]
    """Positions carried along the lineage."""
    timeline: tuple[TimelineEntry, ...]
    """One entry per draft."""
    status: str = "unchanged"
    """The most consequential status of its steps (dropped, added, split, merged, modified, unchanged),
    which the page's status filter goes by."""
    flags: tuple[str, ...] = ()
    """What the page's "only" filter and `history --only` find it by: moved, renumbered, contested."""
    parties: tuple[str, ...] = ()
    """Codes of the parties with a position on it."""
    topics: tuple[str, ...] = ()
    """Topics of its points in any draft."""


@dataclass(frozen=True)
class PairView:
    """One pair of drafts the version picker offers, with the report's rows for it."""

    key: str
    """ "0-1": the two drafts' positions in the chain."""
    old: int
    """Index of the old draft."""
    new: int
    """Index of the new draft."""
    title: str
    """ "28-point → 28-point European"."""
    kind: str
    """"step" for consecutive drafts, "direct" for first → last, "other" for any other pair."""
    summary: str
    """The comparison's summary line."""
    rows: tuple[RowView, ...]
    """The rows, as in the two-draft report."""


# -- building the view ----------------------------------------------------------------------------


def _mark(group: Group) -> StepMark:
    return StepMark(link_title(group), group.status.value, STATUS_SYMBOLS[group.status], group.renumbered, group.moved)


def _step_cell(groups: tuple[Group, ...]) -> StepCell:
    statuses = {g.status for g in groups}
    lead = next((s.value for s in _ORDER if s in statuses), "")
    changes = tuple(c.summary for g in groups for sub in g.walk() for c in sub.changes if c.substantive)
    return StepCell(lead, tuple(_mark(g) for g in groups), changes)


def _plain(point: Point) -> tuple[Run, ...]:
    return (Run("eq", point.text),) if point.text else ()


def _collect_runs(group: Group, new: Document, out: dict[str, tuple[tuple[Run, ...], bool]]) -> None:
    """Each new point of the group → (its text as runs against the old side, covers its sub-points)."""
    from plancmp.compare import diffed_texts

    if group.new and group.status is not Status.ADDED:
        points = [p for p in (new.find(i) for i in group.new) if p is not None]
        texts = diffed_texts(group, points)
        # Without sub-point groups of its own, a point's runs hold its sub-points' text too.
        for point, runs in zip(points, split_runs(group.edits, texts, "new", inline=True)):
            out[point.id] = (runs, not group.children)
    for child in group.children:
        _collect_runs(child, new, out)


def _timeline_points(doc: Document, ids: tuple[str, ...], groups: tuple[Group, ...]) -> tuple[TimelinePoint, ...]:
    runs: dict[str, tuple[tuple[Run, ...], bool]] = {}
    for group in groups:
        _collect_runs(group, doc, runs)
    out: list[TimelinePoint] = []

    def visit(point: Point, depth: int) -> None:
        found = runs.get(point.id)
        if found is not None:
            out.append(TimelinePoint(point.id, point.label, depth, found[0]))
            if found[1]:
                return  # the runs hold the sub-points' text too
        else:
            out.append(TimelinePoint(point.id, point.label, depth, _plain(point)))
        for child in point.children:
            visit(child, depth + 1)

    for pid in ids:
        point = doc.find(pid)
        if point is not None:
            visit(point, 0)
    return tuple(out)


def _stated_on(chain: Chain, pp: PlacedPosition) -> int:
    """The index of the draft a position was stated on (the last draft when it is not in the chain)."""
    from plancmp.annotate import draft_key

    stems = [draft_key(d.source) for d in chain.drafts]
    return stems.index(pp.position.draft) if pp.position.draft in stems else len(chain.drafts) - 1


def _lineage_view(
    chain: Chain, lineage: Lineage, key: str, dates: Sequence[str], positions: Sequence[PlacedPosition]
) -> LineageView:
    from plancmp.render.history import lineage_matches, lineage_topics, restored_note

    first = next((k for k, ids in enumerate(lineage.ids) if ids), 0)
    back = [bool(ids) and k > first and not lineage.ids[k - 1] for k, ids in enumerate(lineage.ids)]
    cells = tuple(
        IdCell("+".join(ids) if ids else "—", bool(ids), bool(ids) and k == first and k > 0, back[k])
        for k, ids in enumerate(lineage.ids)
    )
    steps = tuple(_step_cell(groups) for groups in lineage.steps)
    views = [position_view(pp, chain.parties) for pp in positions]
    by_draft: dict[int, list[PositionView]] = {}
    for pp, view in zip(positions, views):
        by_draft.setdefault(_stated_on(chain, pp), []).append(view)
    entries = []
    for k, ids in enumerate(lineage.ids):
        step_groups = lineage.steps[k - 1] if k > 0 else ()
        if ids:
            state = "first" if k == first else "restored" if back[k] else "present"
        else:
            state = "dropped" if k > 0 and lineage.ids[k - 1] else "absent"
        entries.append(
            TimelineEntry(
                index=k,
                label=chain.labels[k],
                date=dates[k] if k < len(dates) else "",
                ids=cells[k].ids,
                state=state,
                step=steps[k - 1] if k > 0 and step_groups else None,
                points=_timeline_points(chain.drafts[k], ids, step_groups if state == "present" else ()),
                changes=tuple(
                    ChangeView(c.kind.value, c.summary, c.substantive)
                    for g in step_groups
                    for sub in g.walk()
                    for c in sub.changes
                ),
                positions=tuple(by_draft.get(k, ())),
            )
        )
    return LineageView(
        key=key,
        path=lineage.path,
        cells=cells,
        steps=steps,
        note=lineage.note,
        restored=restored_note(chain, lineage),
        changed=any(g.changed for groups in lineage.steps for g in groups) or bool(lineage.note),
        positions=tuple(views),
        timeline=tuple(entries),
        status=_step_cell(tuple(g for groups in lineage.steps for g in groups)).status or "unchanged",
        flags=tuple(f for f in ("moved", "renumbered", "contested") if lineage_matches(chain, lineage, f)),
        parties=tuple(sorted({pp.position.party for pp in positions})),
        topics=lineage_topics(chain, lineage),
    )


def offered_pairs(chain: Chain) -> tuple[tuple[int, int], ...]:
    """The pairs of drafts the version picker offers: each consecutive pair, then first → last."""
    n = len(chain.drafts)
    pairs = [(k, k + 1) for k in range(n - 1)]
    if n > 2:
        pairs.append((0, n - 1))
    return tuple(pairs)


PICKER_POINTS = 3000
"""Most points (old and new, over every pair beyond the steps and first → last) whose comparisons
a chain page holds so that its picker can compare any two drafts. The bundled four drafts need
95; ten drafts of 500 points would need 36,000 (and a page of tens of MB), so long chains offer
the steps, first → last, and the first and the last draft against each of the others."""


def picker_pairs(chain: Chain) -> tuple[tuple[int, int], ...]:
    """The pairs of drafts the page's picker offers: every pair when that stays small, else fewer.

    Steps first, then first → last, then the others in order: the page lists them so.
    """
    n = len(chain.drafts)
    base = offered_pairs(chain)
    others = [(a, b) for a in range(n) for b in range(a + 2, n) if (a, b) not in base]
    sizes = [len(d.points) for d in chain.drafts]
    if sum(sizes[a] + sizes[b] for a, b in others) > PICKER_POINTS:
        others = [(a, b) for a, b in others if a == 0 or b == n - 1]
    return base + tuple(others)


def _pair_view(chain: Chain, old: int, new: int, comparison: Comparison, classes: dict[str, str]) -> PairView:
    from plancmp.render.to_terminal import describe_summary

    key = f"{old}-{new}"
    last = len(chain.drafts) - 1
    return PairView(
        key=key,
        old=old,
        new=new,
        title=f"{chain.labels[old]} → {chain.labels[new]}",
        kind="step" if new == old + 1 else "direct" if (old, new) == (0, last) else "other",
        summary=describe_summary(comparison.summary),
        rows=rows_of(comparison, classes, prefix=f"p{key}-"),
    )


def chain_context(
    chain: Chain,
    title: str = "",
    dates: Sequence[str] = (),
    sides: Sequence[str] = (),
    comparisons: Mapping[tuple[int, int], Comparison] | None = None,
) -> dict[str, Any]:
    """Everything the chain page shows, as plain data (also what the script receives).

    comparisons: the pairs of drafts the picker offers (compare.compare_pairs over picker_pairs);
    by default each draft beside the next, and the first beside the last.
    """
    from plancmp import __version__
    from plancmp.render.history import positions_of, summary_line
    from plancmp.render.to_terminal import describe_counts

    classes = party_classes(chain.parties)
    drafts = tuple(
        DraftView(
            index=k,
            label=label,
            source=doc.source,
            date=dates[k] if k < len(dates) else "",
            side=sides[k] if k < len(sides) else "",
            points=len(doc.points),
            counts=describe_counts(doc),
        )
        for k, (doc, label) in enumerate(zip(chain.drafts, chain.labels))
    )
    lineages = tuple(
        _lineage_view(chain, lineage, str(n), dates, positions_of(chain, lineage))
        for n, lineage in enumerate(chain.lineages, 1)
    )
    if comparisons is None:
        comparisons = {(k, k + 1): step for k, step in enumerate(chain.steps)}
        comparisons[(0, len(chain.drafts) - 1)] = chain.direct if len(chain.drafts) > 2 else chain.steps[0]
    order = {pair: k for k, pair in enumerate(picker_pairs(chain))}
    pairs = tuple(
        _pair_view(chain, a, b, comparisons[(a, b)], classes)
        for a, b in sorted(comparisons, key=lambda pair: (order.get(pair, len(order)), pair))
    )
    default = next(p for p in pairs if (p.old, p.new) == (0, len(chain.drafts) - 1))
    loose = [pp for pp in chain.positions if not pp.old_points and not pp.new_points]
    stated = {pp.position.party for pp in chain.positions}
    statuses = [s.value for s in Status]
    status_counts = {s: sum(1 for lineage in lineages if lineage.status == s) for s in statuses}
    flag_counts = {
        "changed": sum(1 for lineage in lineages if lineage.changed),
        "moved": sum(1 for lineage in lineages if "moved" in lineage.flags),
        "renumbered": sum(1 for lineage in lineages if "renumbered" in lineage.flags),
    }
    topics = sorted({t for lineage in lineages for t in lineage.topics} | {t for p in pairs for t in row_topics(p.rows)},
                    key=str.casefold)
    return {
        "version": __version__,
        "title": title,
        "labels": chain.labels,
        "drafts": drafts,
        "summary": summary_line(chain),
        "lineages": lineages,
        "disagreements": sum(1 for lineage in lineages if lineage.note),
        "pairs": pairs,
        "default_pair": default,
        "all_pairs": len(pairs) == len(chain.drafts) * (len(chain.drafts) - 1) // 2,
        "statuses": [(s, STATUS_SYMBOLS[Status(s)], status_counts[s]) for s in statuses],
        "flags": [(f, FLAG_SYMBOLS[f], flag_counts[f]) for f in ("changed", "moved", "renumbered")],
        "topics": topics,
        "parties": [(p.code, p.name, classes[p.code]) for p in chain.parties if p.code in stated],
        "loose": [position_view(pp, chain.parties) for pp in loose],
        "warnings": (*(w for d in chain.drafts for w in d.warnings), *chain.warnings),
        "party_css": party_css(chain.parties),
        "long": max((len(p.rows) for p in pairs), default=0),
        "script_data": {
            "version": 1,
            "drafts": len(chain.drafts),
            "pairs": [{"key": p.key, "old": p.old, "new": p.new, "rows": [row_data(r) for r in p.rows]} for p in pairs],
            "default": default.key,
            "lineages": [
                {
                    "key": lineage.key,
                    "status": lineage.status,
                    "changed": lineage.changed,
                    "moved": "moved" in lineage.flags,
                    "renumbered": "renumbered" in lineage.flags,
                    "contested": "contested" in lineage.flags,
                    "parties": list(lineage.parties),
                    "topics": list(lineage.topics),
                }
                for lineage in lineages
            ],
        },
    }


def render_chain_html(
    chain: Chain,
    title: str = "",
    dates: Sequence[str] = (),
    sides: Sequence[str] = (),
    comparisons: Mapping[tuple[int, int], Comparison] | None = None,
) -> str:
    """The chain report: one HTML page with the lineage table, timelines and a version picker.

    comparisons: the pairs of drafts the picker offers (see chain_context).
    """
    context = chain_context(chain, title, dates, sides, comparisons)
    return render_page(
        "chain.html.j2", context, ("report.css", "chain.css"), ("filters.js", "chain.js"), context["party_css"],
        context["script_data"],
    )
