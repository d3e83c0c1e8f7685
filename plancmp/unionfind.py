"""Disjoint sets (union-find), the one implementation the package uses: connected components of
the aligner's candidate links, and lineages through a chain of drafts."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


class UnionFind(Generic[T]):
    """Items joined into sets; each set is named by its root, the least of its items as sorted,
    so that the result does not depend on the order of the unions."""

    def __init__(self, items: Iterable[T] = ()) -> None:
        self._parent: dict[T, T] = {}
        for item in items:
            self._parent.setdefault(item, item)

    def find(self, x: T) -> T:
        """The root of x's set (x joins as a set of its own if it is new)."""
        parent = self._parent
        parent.setdefault(x, x)
        while parent[x] != x:
            # Path halving: every other node on the way up points to its grandparent.
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: T, b: T) -> None:
        """Join the sets of a and b."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            low, high = sorted((ra, rb))  # type: ignore[type-var]
            self._parent[high] = low

    def sets(self) -> dict[T, list[T]]:
        """Each set's root → its items, in the order they first joined."""
        out: dict[T, list[T]] = {}
        for item in self._parent:
            out.setdefault(self.find(item), []).append(item)
        return out
