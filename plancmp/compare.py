"""The one place the stages are chained: align, then diff, then annotate; for two drafts or a chain."""

from __future__ import annotations

import itertools
import pickle
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from plancmp.align import AlignOptions, Pin, align_documents, likely_pairs
from plancmp.diff import (
    PartyNames,
    Renumbering,
    cut_ends,
    only_references_changed,
    party_names,
    substantive_changes,
    text_changes,
    word_edits,
)
from plancmp.diff.folded import folded_marks, mark_folded, with_folded
from plancmp.errors import UsageError
from plancmp.model import (
    Chain,
    Change,
    Comparison,
    Document,
    Edit,
    EditOp,
    Group,
    PlacedPosition,
    Point,
    Position,
    Status,
    outside_text,
    packed_edits,
    unpacked_edits,
)
from plancmp.parallel import map_forked, run_aside
from plancmp.parse.cutoff import cut_off_points
from plancmp.parse.from_toml import PositionsFile, TopicRule


@dataclass(frozen=True)
class CompareOptions:
    """Everything that shapes a comparison (not its presentation)."""

    align: AlignOptions = field(default_factory=AlignOptions)
    """How points are aligned, pins included."""
    positions: PositionsFile | None = None
    """Party positions to place and carry, if any."""
    rules: tuple[TopicRule, ...] = ()
    """Topic rules for tagging points (none: no topic tags)."""
    workers: int = 1
    """How many cores the work of long drafts may use (1: this process alone): processes for a
    chain's comparisons and for the groups' diffs, threads for the alignment's products."""


def id_map(groups: tuple[Group, ...]) -> dict[str, tuple[str, ...]]:
    """Old id → the new ids its point became, at every depth (empty for dropped points)."""
    out: dict[str, tuple[str, ...]] = {}
    for top in groups:
        for g in top.walk():
            for old_id in g.old:
                out[old_id] = g.new
    return out


def diffed_texts(group: Group, points: Sequence[Point]) -> list[str]:
    """The texts, one per point of one side of the group, that the group's word edits are over.

    Every sub-point is aligned in a group of its own (under its parent's group, or wherever it
    moved), so a group's edits cover its points' own words only. Renderers that split the edits
    back into points ask here, so they split what was diffed.
    """
    del group
    return [p.text for p in points]


@dataclass(frozen=True)
class _DiffContext:
    """What every group's diff needs from the comparison as a whole."""

    ids: Renumbering
    """Old id → the new ids its point became, and the new draft's ids."""
    parties: PartyNames
    """The party names to look for."""
    cut_old: frozenset[str]
    """Ids of the old draft's points that seem cut off."""
    cut_new: frozenset[str]
    """Ids of the new draft's points that seem cut off."""
    known: _KnownDiffs | None = None
    """Diffs worked out already (during the alignment: _meanwhile), by (old text, new text)."""


def _with_sub_points(group: Group, old: Document, new: Document, old_text: str, new_text: str) -> tuple[str, str] | None:
    """The group's texts with those of the sub-points shown under it, or None when it has none.

    A party named in a sub-point is still named by the point; a sub-point that moved in from
    another point (or out to one) is that point's, and says nothing of this one.
    """
    if not group.children:
        return None
    below = [g for child in group.children for g in child.walk()]
    old_more = [p.text for p in (old.find(i) for g in below for i in g.old) if p is not None]
    new_more = [p.text for p in (new.find(i) for g in below for i in g.new) if p is not None]
    return "\n".join([old_text, *old_more]), "\n".join([new_text, *new_more])


def _diffed(group: Group, old: Document, new: Document, ctx: _DiffContext) -> Group:
    old_pts = [p for p in (old.find(i) for i in group.old) if p is not None]
    new_pts = [p for p in (new.find(i) for i in group.new) if p is not None]
    old_text, new_text = "\n".join(diffed_texts(group, old_pts)), "\n".join(diffed_texts(group, new_pts))
    children = tuple(_diffed(c, old, new, ctx) for c in group.children)
    if group.status is Status.DROPPED:
        return replace(group, edits=(Edit(EditOp.DELETE, old_text),) if old_text else (), children=children)
    if group.status is Status.ADDED:
        return replace(group, edits=(Edit(EditOp.INSERT, new_text),) if new_text else (), children=children)
    known = ctx.known.get((old_text, new_text)) if ctx.known is not None else None
    edits = word_edits(old_text, new_text) if known is None else unpacked_edits(*known[0])
    whole = _with_sub_points(group, old, new, old_text, new_text)
    cut = (
        cut_ends(old_text, old_pts, ctx.cut_old) if ctx.cut_old else [],
        cut_ends(new_text, new_pts, ctx.cut_new) if ctx.cut_new else [],
    )
    changes = substantive_changes(
        old_text, new_text, edits, ctx.ids, whole, parties=ctx.parties, cut=cut,
        known=known[1] if known is not None else None,
    )
    status = group.status
    if status is Status.MODIFIED and only_references_changed(old_text, new_text, ctx.ids) and all(
        c.status is Status.UNCHANGED for c in children
    ):
        status = Status.UNCHANGED
    return replace(group, status=status, edits=edits, changes=changes, children=children)


def _diff_groups(
    groups: tuple[Group, ...], old: Document, new: Document, ctx: _DiffContext, workers: int
) -> tuple[Group, ...]:
    """Every group diffed (_diffed), and folded set on the dropped and added points (mark_folded):
    in up to `workers` forked processes, a run of groups each (workers is 1 for short drafts: see
    _shared); the result is the same either way."""
    if workers >= 2 and len(groups) >= 2 * workers:
        # The groups whose diff is known already come last, where this process takes its runs:
        # the workers take the long diffs, and send back fewer groups (a rewrite's 1,000 took this
        # process 0.1-0.2 s to read back, beside its own share).
        order = sorted(range(len(groups)), key=lambda k: _known(groups[k], old, new, ctx))
        # Many runs a process, taken one at a time, so that the processes finish together: one
        # process still busy with a long run while the others wait is time lost.
        step = -(-len(groups) // (16 * workers))
        runs = [order[a : a + step] for a in range(0, len(order), step)]

        # The folded points are found from the alignment alone: a task of their own, the last,
        # which this process (taking from the end) does first while the workers diff.
        def task(k: int) -> Any:
            return folded_marks(groups, old, new) if k == len(runs) else [_diffed(groups[g], old, new, ctx) for g in runs[k]]

        done = map_forked(task, len(runs) + 1, workers)
        if done is not None:
            diffed = dict(zip(order, (g for run in done[:-1] for g in run), strict=True))
            return with_folded(tuple(diffed[k] for k in range(len(groups))), done[-1])
    return mark_folded(tuple(_diffed(g, old, new, ctx) for g in groups), old, new)


def _known(group: Group, old: Document, new: Document, ctx: _DiffContext) -> bool:
    """Whether the diff of a group of one point a side, without sub-groups, was worked out already."""
    if ctx.known is None or len(group.old) != 1 or len(group.new) != 1 or group.children:
        return False
    p, q = old.find(group.old[0]), new.find(group.new[0])
    return p is not None and q is not None and (p.text, q.text) in ctx.known


_Diff = tuple[tuple[str, tuple[str, ...]], tuple[Change, ...] | None]
"""A pair's word edits, packed, and its changes but for references (text_changes; None where they
were not looked for)."""


class _KnownDiffs:
    """The diffs _meanwhile worked out, by (old text, new text), each step's kept as it came, in its
    pickle, until a pair of it is asked for: held as objects, a rewrite's 2,000 took 30 MB at the
    alignment's peak, as pickles 5. A process reads a step once, and only the steps it needs."""

    def __init__(self) -> None:
        self._at: dict[tuple[str, str], tuple[int, int]] = {}
        self._pickled: list[bytes] = []
        self._read: dict[int, list[_Diff]] = {}

    def add(self, pairs: Sequence[tuple[str, str]], pickled: bytes) -> None:
        """One step's diffs, of these pairs, in order."""
        self._at.update((pair, (len(self._pickled), i)) for i, pair in enumerate(pairs))
        self._pickled.append(pickled)

    def __len__(self) -> int:
        return len(self._at)

    def __contains__(self, pair: tuple[str, str]) -> bool:
        return pair in self._at

    def get(self, pair: tuple[str, str]) -> _Diff | None:
        """The pair's diff, or None if it was not worked out."""
        at = self._at.get(pair)
        if at is None:
            return None
        k, i = at
        if k not in self._read:
            self._read[k] = pickle.loads(self._pickled[k])
        return self._read[k][i]


@dataclass
class _Meanwhile:
    """What _meanwhile worked out aside: empty until its block ends, filled in then."""

    topics: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Each text's topics."""
    diffs: _KnownDiffs = field(default_factory=_KnownDiffs)
    """The likely pairs' diffs."""


_PAIRS_A_STEP = 50
"""Pairs of points diffed in one step of _meanwhile's: the work lost when it is stopped mid-step."""
_WAIT_FOR_ALL = False
"""Whether the end of _meanwhile's block waits for all its work, not only the topics (tests set it)."""


@contextmanager
def _meanwhile(
    old: Document, new: Document, rules: tuple[TopicRule, ...], parties: PartyNames, cut: tuple[frozenset[str], frozenset[str]],
    workers: int,
) -> Iterator[_Meanwhile]:
    """Work that needs no alignment, done in a process of its own during the block (when workers ≥ 2:
    long drafts): the alignment keeps one core busy most of the time, and the other would wait.

    First the drafts' topics (those of a 15 MB pair take a second), then the diffs of the likely
    pairs of points that changed (likely_pairs), fifty at a time: a group that pairs them finds
    its diff done (a 2,000-point rewrite's diffs take 3.5 s of a core). Their word edits, and for
    points without sub-points and not cut off, every change but the references, which need the
    alignment. As the block ends, the topics are waited for and what is done of the rest is taken:
    the work is the same whichever process does it, and a pair the alignment does not make costs
    only time on a core that had nothing else to do.
    """
    from plancmp.annotate import find_topics

    found = _Meanwhile()
    if workers < 2:
        yield found
        return
    texts = list(dict.fromkeys(p.text for doc in (old, new) for p in doc.walk())) if rules else []
    cut_old, cut_new = cut
    pairs: dict[tuple[str, str], bool] = {}  # whether to look for the changes too
    for p, q in likely_pairs(old, new):
        if q.text != p.text:
            leaves = not p.children and not q.children and p.id not in cut_old and q.id not in cut_new
            pairs[(p.text, q.text)] = pairs.get((p.text, q.text), True) and leaves
    if not texts and not pairs:
        yield found
        return
    listed = list(pairs.items())
    steps = [listed[k : k + _PAIRS_A_STEP] for k in range(0, len(listed), _PAIRS_A_STEP)]

    def diffed(a: str, b: str, changes: bool) -> _Diff:
        edits = word_edits(a, b)
        return packed_edits(edits), text_changes(a, b, edits, parties) if changes else None

    def step(k: int) -> Any:
        if k == 0:
            return find_topics(texts, rules) if texts else None
        return pickle.dumps([diffed(a, b, changes) for (a, b), changes in steps[k - 1]], pickle.HIGHEST_PROTOCOL)

    with run_aside(step, 1 + len(steps)) as so_far:
        yield found
        if so_far is not None:
            # The topics are waited for: looked for here, after the diffs, they would all take
            # their whole time again; a pair left to the diffs takes its own, on two cores.
            done = so_far(1 + len(steps) if _WAIT_FOR_ALL else 1)
            if done.get(0) is not None:
                found.topics.update(zip(texts, done[0], strict=True))
            for k, run in enumerate(steps, 1):
                if k in done:
                    found.diffs.add([pair for pair, _ in run], done[k])


def compare(old: Document, new: Document, options: CompareOptions = CompareOptions()) -> Comparison:
    """Align two drafts, work out what changed inside every group, then place positions and tag points."""
    from plancmp.annotate import annotate

    # The cores long drafts' work may use; short drafts are compared in this process alone.
    workers = options.workers if _shared(options.workers, old, new) else 1
    # The parties of the positions file are looked for too, not only those plancmp knows.
    parties = party_names(options.positions.parties if options.positions is not None else ())
    # The ids of the points that seem cut off: the diffs and the work beside the alignment ask.
    cut = frozenset(p.id for p in cut_off_points(old)), frozenset(p.id for p in cut_off_points(new))
    with _meanwhile(old, new, options.rules, parties, cut, workers) as meanwhile:
        groups = align_documents(old, new, replace(options.align, threads=options.workers))
    ids = Renumbering(id_map(groups), frozenset(p.id for p in new.walk()))
    ctx = _DiffContext(ids, parties, *cut, meanwhile.diffs)
    # The title, preamble, headings and closing text are compared too: recitals and party lists
    # live there, and a change to them is a change to the agreement.
    old_outside, new_outside = outside_text(old), outside_text(new)
    outside_edits = word_edits(old_outside, new_outside)
    diffed = Comparison(
        old=old,
        new=new,
        groups=_diff_groups(groups, old, new, ctx, workers),
        outside_edits=outside_edits,
        outside_changes=substantive_changes(old_outside, new_outside, outside_edits, ids, parties=parties),
    )
    annotated, warnings = annotate(diffed, options.positions, options.rules, meanwhile.topics)
    return replace(annotated, warnings=warnings)


FILTERS = (
    "changed", "modified", "merged", "split", "dropped", "added", "moved", "renumbered", "unchanged", "contested",
)
"""What `--only` accepts."""


def _matches(group: Group, wanted: str, comparison: Comparison) -> bool:
    if wanted == "contested":
        return is_contested(group, comparison)
    if wanted == "changed":
        return group.changed
    if wanted == "unchanged":
        return group.status is Status.UNCHANGED
    # A point whose sub-point was dropped, added, moved… is shown, with that sub-point inside it.
    if wanted == "moved":
        return any(g.moved for g in group.walk())
    if wanted == "renumbered":
        return any(g.renumbered for g in group.walk())
    return any(g.status.value == wanted for g in group.walk())


def outside_selected(only: tuple[str, ...]) -> bool:
    """Whether the text outside the points (title, preamble, closing) is shown under these --only filters."""
    return not only or any(w in ("changed", "modified") for w in only)


def is_contested(group: Group, comparison: Comparison) -> bool:
    """Whether any point of the group, old or new, is contested (an objection resolved by removal too)."""
    for g in group.walk():
        for doc, ids in ((comparison.old, g.old), (comparison.new, g.new)):
            for pid in ids:
                point = doc.find(pid)
                if point is not None and "contested" in point.tags:
                    return True
    return False


def filter_groups(comparison: Comparison, only: tuple[str, ...]) -> tuple[Group, ...]:
    """The top-level groups matching any of the filters, by themselves or by a sub-point (all when none)."""
    if not only:
        return comparison.groups
    return tuple(g for g in comparison.groups if any(_matches(g, w, comparison) for w in only))


def positions_for(group: Group, comparison: Comparison) -> tuple[PlacedPosition, ...]:
    """The positions that concern any point of the group (or its sub-points), old or new."""
    return comparison.positions_on((i for g in group.walk() for i in g.old), (i for g in group.walk() for i in g.new))


def loose_positions(comparison: Comparison) -> tuple[PlacedPosition, ...]:
    """Positions that concern no group: unplaced, or stated elsewhere by id only."""
    return tuple(pp for pp in comparison.positions if not pp.old_points and not pp.new_points)


def tag_draft(
    doc: Document, positions: PositionsFile | None, rules: tuple[TopicRule, ...]
) -> tuple[Document, tuple[PlacedPosition, ...], tuple[str, ...]]:
    """One draft, annotated: tagged points, placed positions, warnings."""
    from plancmp.annotate import annotate_document

    return annotate_document(doc, positions, rules)


PARALLEL_POINTS = 1500
"""Points (every draft concerned, every depth) from which work is shared among parallel processes:
a chain's comparisons, or one comparison's diffs. Below it, starting the processes and sending the
results back costs about what it saves: a revision of 150 points a side took 0.093 s in one process
and 0.105 s shared, of 750 a side 0.350 and 0.323 s (bench/PROFILE.md; history's own figures,
both ways, are printed by bench/bench_speed.py)."""


def _points(*docs: Document) -> int:
    return sum(sum(1 for _ in doc.walk()) for doc in docs)


def _shared(workers: int, *docs: Document) -> bool:
    """Whether the work on these drafts is worth sharing among `workers` processes."""
    return workers >= 2 and _points(*docs) >= PARALLEL_POINTS


def compare_all(jobs: Sequence[tuple[Document, Document, CompareOptions]], workers: int = 1) -> list[Comparison]:
    """compare(old, new, options) for each job, in order; in up to `workers` parallel processes when
    there are several long ones. The results are the same either way."""
    if len(jobs) >= 3 and _shared(workers, *(doc for old, new, _ in jobs for doc in (old, new))):
        from plancmp.similarity import load_sparse

        load_sparse()
        # Each job has a process of its own: its diffs stay in it.
        single = [(old, new, replace(options, workers=1)) for old, new, options in jobs]
        done = map_forked(lambda k: compare(*single[k]), len(single), workers)
        if done is not None:
            return done
    return [compare(*job) for job in jobs]


def compare_chain(
    drafts: tuple[Document, ...],
    labels: tuple[str, ...],
    options: CompareOptions = CompareOptions(),
    step_pins: Sequence[tuple[Pin, ...]] = (),
) -> Chain:
    """Compare each draft with the next and the first with the last, and follow every point through.

    step_pins: for each step (draft k → k+1), the pins that correct its alignment; options.align's
    own pins are ignored, since in a chain it cannot be told which pair of drafts they name.
    """
    from plancmp.annotate import carry_along, check_draft_names, positions_from_comments
    from plancmp.lineage import compare_paths, compose_lineages, join_restored

    if len(drafts) < 2:
        raise UsageError("a chain needs at least two drafts")
    # Each step also places the positions stated on its two drafts, so a pair shown on its own
    # (the chain report's picker) marks its contested points; the chain's own positions are
    # carried across every step below.
    step_options = replace(options, align=replace(options.align, pins=()))

    def pinned(k: int) -> CompareOptions:
        pins = step_pins[k] if k < len(step_pins) else ()
        return replace(step_options, align=replace(options.align, pins=pins)) if pins else step_options

    jobs = [(a, b, pinned(k)) for k, (a, b) in enumerate(itertools.pairwise(drafts))]
    if len(drafts) > 2:
        jobs.append((drafts[0], drafts[-1], step_options))
    done = compare_all(jobs, options.workers)
    steps = tuple(done[: len(drafts) - 1])
    # Two drafts: the direct comparison is the one step, pins and all.
    direct = steps[0] if len(drafts) == 2 else done[-1]
    lineages = compare_paths(join_restored(compose_lineages(drafts, steps), direct, options.align.weak_threshold), direct, labels)
    stated: list[Position] = []
    warnings: list[str] = []
    if options.positions is not None:
        check_draft_names(drafts)
        stated.extend(options.positions.positions)
        for doc in drafts:
            from_comments, notes = positions_from_comments(doc, options.positions)
            stated.extend(from_comments)
            warnings.extend(notes)
    return Chain(
        drafts=tuple(s.old for s in steps) + (steps[-1].new,),
        labels=labels,
        steps=steps,
        direct=direct,
        lineages=tuple(lineages),
        positions=carry_along(drafts, labels, steps, stated),
        parties=options.positions.parties if options.positions is not None else (),
        warnings=tuple(warnings),
    )


def compare_pairs(
    chain: Chain, pairs: Sequence[tuple[int, int]], options: CompareOptions = CompareOptions()
) -> dict[tuple[int, int], Comparison]:
    """The comparisons of these pairs of a chain's drafts (old index, new index).

    A step and the first → last pair are the chain's own; any other pair is compared here, as the
    chain's steps were (positions placed, topics tagged with options.rules, no pins).
    """
    last = len(chain.drafts) - 1
    plain = replace(options, align=replace(options.align, pins=()))
    out: dict[tuple[int, int], Comparison] = {}
    for old, new in pairs:
        if new == old + 1:
            out[(old, new)] = chain.steps[old]
        elif (old, new) == (0, last):
            out[(old, new)] = chain.direct
        else:
            out[(old, new)] = compare(chain.drafts[old], chain.drafts[new], plain)
    return out


POINT_TAGS = ("contested", "bracketed")
"""Tags every point may carry; topics come from the rules."""


def select_points(doc: Document, only: tuple[str, ...], rules: tuple[TopicRule, ...]) -> tuple[str, ...]:
    """Ids of the points carrying any of the tags asked for ("contested", "bracketed", a topic name).

    Tags may be repeated or comma-separated; an unknown one is a UsageError naming the choices.
    """
    import difflib

    wanted: list[str] = [t.strip() for value in only for t in value.split(",") if t.strip()]
    choices = [*POINT_TAGS, *(r.topic for r in rules)]
    for tag in wanted:
        if tag not in choices and tag.removeprefix("topic:") not in choices:
            # Case first: "nato" is "NATO", which get_close_matches, comparing characters, misses.
            folded = {c.casefold(): c for c in choices}
            near = [folded[tag.removeprefix("topic:").casefold()]] if tag.removeprefix("topic:").casefold() in folded else []
            near = near or [folded[m] for m in difflib.get_close_matches(tag.casefold(), list(folded), n=1)]
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            raise UsageError(f"--only {tag}: not a tag; tags are {', '.join(choices)}{hint}")
    keys = {t if t in POINT_TAGS else f"topic:{t.removeprefix('topic:')}" for t in wanted}
    return tuple(p.id for p in doc.walk() if not keys or keys.intersection(p.tags))
