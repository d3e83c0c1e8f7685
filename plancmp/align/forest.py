"""One draft's points at every depth as one list, with the family ties the aligner reasons over.

The aligner treats every point, whatever its depth, as a candidate for every point on the other
side; the hierarchy is evidence, not a wall. A `Forest` is that flat view: points in document
order (depth first), each with its parent, its siblings and its place among them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from plancmp.model import Document, Point
from plancmp.normalise import normalise_text

ROOT = -1
"""The parent index of a top-level point."""


@dataclass
class Forest:
    """The points of one draft in document order, with parents, children and normalised texts."""

    name: str
    """ "old" or "new"."""
    points: list[Point] = field(default_factory=list)
    """Every point and sub-point, depth first in document order."""
    parent: list[int] = field(default_factory=list)
    """Index of each point's parent, ROOT for a top-level point."""
    children: list[list[int]] = field(default_factory=list)
    """Indexes of each point's sub-points, in order."""
    roots: list[int] = field(default_factory=list)
    """Indexes of the top-level points, in order."""
    depth: list[int] = field(default_factory=list)
    """0 for a top-level point, 1 for its sub-points, and so on."""
    slot: list[int] = field(default_factory=list)
    """Each point's place among its siblings (0-based)."""
    end: list[int] = field(default_factory=list)
    """One past the index of the point's last descendant: its subtree is range(k, end[k])."""
    own: list[str] = field(default_factory=list)
    """Each point's own words, normalised (sub-points left out)."""
    full: list[str] = field(default_factory=list)
    """Each point's words with its sub-points', normalised."""
    index: dict[str, int] = field(default_factory=dict)
    """Point id → index."""

    @classmethod
    def of(cls, doc: Document, name: str) -> Forest:
        """The flat view of a document's points."""
        forest = cls(name)

        def visit(point: Point, parent: int, depth: int, slot: int) -> None:
            k = len(forest.points)
            forest.points.append(point)
            forest.parent.append(parent)
            forest.children.append([])
            forest.depth.append(depth)
            forest.slot.append(slot)
            forest.end.append(k + 1)
            forest.own.append(normalise_text(point.text))
            forest.full.append(normalise_text(point.full_text) if point.children else forest.own[-1])
            forest.index[point.id] = k
            if parent == ROOT:
                forest.roots.append(k)
            else:
                forest.children[parent].append(k)
            for n, child in enumerate(point.children):
                visit(child, k, depth + 1, n)
            forest.end[k] = len(forest.points)

        for n, point in enumerate(doc.points):
            visit(point, ROOT, 0, n)
        return forest

    def __len__(self) -> int:
        return len(self.points)

    def siblings(self, k: int) -> list[int]:
        """The point's siblings, itself included, in order."""
        p = self.parent[k]
        return self.roots if p == ROOT else self.children[p]

    def own_label(self, k: int) -> str:
        """The last part of the point's id: its number among its siblings ("4" of "6.4")."""
        return self.points[k].id.split("#")[0].rsplit(".", 1)[-1]

    def id(self, k: int) -> str:
        """The point's id."""
        return self.points[k].id
