"""Lineages: compose the alignments of consecutive drafts into one row per point through a chain.

Every top-level point of every draft belongs to exactly one lineage: the connected component of
the links between consecutive drafts (so a split or merge keeps its parts in one row). The
direct alignment of the first draft with the last is then laid beside each row, and where the
two disagree — a point that drifted through small steps into a different one — the row says so.
A point dropped and brought back by a later draft is one row, flagged restored (8 → — → 8).
"""

from __future__ import annotations

from collections.abc import Sequence

from plancmp.model import Comparison, Document, Group, Lineage
from plancmp.unionfind import UnionFind

_Node = tuple[int, str]


def compose_lineages(drafts: Sequence[Document], steps: Sequence[Comparison]) -> list[Lineage]:
    """One lineage per connected set of points across consecutive drafts, in reading order."""
    union: UnionFind[_Node] = UnionFind()
    position: dict[_Node, int] = {}
    for k, doc in enumerate(drafts):
        for i, point in enumerate(doc.points):
            node = (k, point.id)
            union.find(node)
            position[node] = i
    for k, comparison in enumerate(steps):
        for group in comparison.groups:
            members = [(k, o) for o in group.old] + [(k + 1, n) for n in group.new]
            for other in members[1:]:
                union.union(members[0], other)
    components: dict[_Node, list[_Node]] = {}
    root_of: dict[_Node, _Node] = {}
    for node in position:
        root = union.find(node)
        root_of[node] = root
        components.setdefault(root, []).append(node)
    # Each group goes to the one component its points are in, found by lookup: scanning every
    # group for every component made long chains (10 drafts of 500 points) take seconds here.
    groups_of: dict[_Node, list[list[Group]]] = {root: [[] for _ in steps] for root in components}
    for k, comparison in enumerate(steps):
        for g in comparison.groups:
            members = [(k, o) for o in g.old] + [(k + 1, n) for n in g.new]
            owner = next((root_of[m] for m in members if m in root_of), None)
            if owner is not None:
                groups_of[owner][k].append(g)

    lineages: dict[_Node, Lineage] = {}
    for root, nodes in components.items():
        ids = tuple(
            tuple(pid for (k, pid) in sorted((n for n in nodes if n[0] == d), key=lambda n: position[n]))
            for d in range(len(drafts))
        )
        lineages[root] = Lineage(ids=ids, steps=tuple(tuple(groups) for groups in groups_of[root]))
    return _in_reading_order(drafts, lineages, union, position)


def _in_reading_order(
    drafts: Sequence[Document],
    lineages: dict[_Node, Lineage],
    union: UnionFind[_Node],
    position: dict[_Node, int],
) -> list[Lineage]:
    """Rows ordered by the first draft; a point that appears later follows its predecessor there."""
    keys: dict[_Node, tuple[tuple[int, int], ...]] = {}

    def key(root: _Node) -> tuple[tuple[int, int], ...]:
        if root not in keys:
            lineage = lineages[root]
            first = next(k for k, ids in enumerate(lineage.ids) if ids)
            index = min(position[(first, pid)] for pid in lineage.ids[first])
            if first == 0:
                keys[root] = ((0, index),)
            elif index == 0:
                keys[root] = ((-1, first),)
            else:
                before = union.find((first, drafts[first].points[index - 1].id))
                keys[root] = key(before) + ((first, index),)
        return keys[root]

    return [lineages[root] for root in sorted(lineages, key=key)]


def _touching(direct: Comparison, lineage: Lineage, by_old: dict[str, list[int]], by_new: dict[str, list[int]]) -> tuple[Group, ...]:
    """The direct groups holding the lineage's first-draft or last-draft points, in their order."""
    found = {i for pid in lineage.ids[0] for i in by_old.get(pid, ())}
    found.update(i for pid in lineage.ids[-1] for i in by_new.get(pid, ()))
    return tuple(direct.groups[i] for i in sorted(found))


def _present(lineage: Lineage) -> list[int]:
    return [k for k, ids in enumerate(lineage.ids) if ids]


def join_restored(lineages: Sequence[Lineage], direct: Comparison, min_similarity: float) -> list[Lineage]:
    """Lineages with each point dropped and later brought back made one row, flagged restored.

    Step by step, such a point is two rows: one dropped on the way ("8 → — → —"), one new after a
    gap ("— → — → 8"). When the direct first → last comparison links the first row's point to the
    second row's on their words (a similarity of min_similarity at least, the least the aligner
    links two points on by their words alone: a link by place, to a point of other words, is a
    rewrite, not a return), and no draft in between has either, they are one point: "8 → — → 8".
    """
    last_row = {pid: n for n, lineage in enumerate(lineages) for pid in lineage.ids[-1]}
    joined: dict[int, int] = {}  # the dropped row → the new row it is joined with
    taken: set[int] = set()
    for n, lineage in enumerate(lineages):
        first, last = lineage.ids[0], lineage.ids[-1]
        if not first or last:
            continue
        for g in direct.groups:
            if not (set(first) & set(g.old)) or not g.new or (g.similarity < min_similarity and not g.pinned):
                continue
            rows = {last_row[pid] for pid in g.new if pid in last_row}
            if len(rows) != 1:
                continue
            back = rows.pop()
            later = lineages[back]
            # A gap of at least one draft: a point dropped and added at the same step is a rewrite
            # the step's alignment missed, not a restoration; that disagreement keeps its note.
            if back not in taken and not later.ids[0] and min(_present(later)) > max(_present(lineage)) + 1:
                joined[n] = back
                taken.add(back)
                break
    out = []
    for n, lineage in enumerate(lineages):
        if n in taken:
            continue
        if n in joined:
            later = lineages[joined[n]]
            lineage = Lineage(
                ids=tuple(a or b for a, b in zip(lineage.ids, later.ids)),
                steps=tuple(a + b for a, b in zip(lineage.steps, later.steps)),
                restored=True,
            )
        out.append(lineage)
    return out


def compare_paths(lineages: Sequence[Lineage], direct: Comparison, labels: Sequence[str]) -> list[Lineage]:
    """Each lineage with the direct first → last groups beside it, and a note where the paths disagree."""
    by_old: dict[str, list[int]] = {}
    by_new: dict[str, list[int]] = {}
    for i, g in enumerate(direct.groups):
        for pid in g.old:
            by_old.setdefault(pid, []).append(i)
        for pid in g.new:
            by_new.setdefault(pid, []).append(i)
    out = []
    for lineage in lineages:
        groups = _touching(direct, lineage, by_old, by_new)
        first, last = lineage.ids[0], lineage.ids[-1]
        linked = [g for g in groups if g.old and g.new]
        note = ""
        if lineage.restored:
            pass  # the direct comparison is what joined its two halves: the paths agree
        elif first and last:
            if not any(set(first) & set(g.old) and set(last) & set(g.new) for g in linked):
                elsewhere = [g for g in linked if set(first) & set(g.old)]
                if elsewhere:
                    note = (
                        f"the direct comparison links {labels[0]} {'+'.join(first)} to {labels[-1]} "
                        f"{'+'.join(elsewhere[0].new)} instead"
                    )
                else:
                    note = (
                        f"drifted: step by step {'+'.join(first)} became {'+'.join(last)}, but compared "
                        f"directly the two texts are too different to link"
                    )
        elif first and not last:
            restored = [g for g in linked if set(first) & set(g.old)]
            if restored:
                gone = next(k for k, ids in enumerate(lineage.ids) if not ids)
                note = (
                    f"dropped at {labels[gone]}, but the direct comparison finds it again as "
                    f"{labels[-1]} {'+'.join(restored[0].new)}: text dropped and later restored?"
                )
        elif last and not first:
            restored = [g for g in linked if set(last) & set(g.new)]
            if restored:
                note = (
                    f"new at {labels[next(k for k, ids in enumerate(lineage.ids) if ids)]}, but the direct "
                    f"comparison links it to {labels[0]} {'+'.join(restored[0].old)}: restored text?"
                )
        out.append(Lineage(ids=lineage.ids, steps=lineage.steps, direct=groups, note=note, restored=lineage.restored))
    return out
