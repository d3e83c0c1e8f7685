"""The points a range of ids takes in ("points 2 to 9", "3.1 to 3.4", "12.a to 12.c"), and how to say a set of ids short.

A range reference names its ends, but it means every point between them and what stands under
them; whether it still names the same points after a renumbering is a question about those sets,
not about its ends one by one.
"""

from __future__ import annotations

from collections.abc import Iterable

RANGE_LIMIT = 1000
"""Most ids a range is read as taking in; a longer one ("points 1 to 99999") is taken by its ends only."""


def expand_range(first: str, last: str) -> tuple[str, ...] | None:
    """The ids from first to last among siblings ("2", "5" → 2, 3, 4, 5), or None if they are no such pair."""
    a, b = first.split("."), last.split(".")
    if len(a) != len(b) or a[:-1] != b[:-1]:
        return None
    x, y = a[-1], b[-1]
    if x.isdigit() and y.isdigit():
        run = [str(k) for k in range(int(x), int(y) + 1)]
    elif len(x) == 1 and len(y) == 1 and x.isalpha() and y.isalpha():
        run = [chr(k) for k in range(ord(x), ord(y) + 1)]
    else:
        return None
    if not run or len(run) > RANGE_LIMIT:
        return None
    return tuple(".".join([*a[:-1], k]) for k in run)


def _ancestors(point_id: str) -> Iterable[str]:
    parts = point_id.split(".")
    return (".".join(parts[:k]) for k in range(1, len(parts)))


class IdSet:
    """A draft's ids, with the ids under each, for asking what a reference takes in."""

    def __init__(self, ids: Iterable[str]) -> None:
        """Index the ids by every id above them."""
        self.ids = set(ids)
        self.under: dict[str, list[str]] = {}
        for i in self.ids:
            for parent in _ancestors(i):
                self.under.setdefault(parent, []).append(i)

    def covered(self, named: set[str]) -> set[str]:
        """The ids that are named or stand under a named id: "points 2 to 4" takes in 3.1 and 3.a."""
        out = named & self.ids
        for x in named:
            out.update(self.under.get(x, ()))
        return out


def _key(point_id: str) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in point_id.split("."))


def _next(a: str, b: str) -> bool:
    """Whether b is the sibling right after a (3 → 4, 3.1 → 3.2, 12.a → 12.b)."""
    pa, pb = a.split("."), b.split(".")
    if len(pa) != len(pb) or pa[:-1] != pb[:-1]:
        return False
    x, y = pa[-1], pb[-1]
    if x.isdigit() and y.isdigit():
        return int(y) == int(x) + 1
    return len(x) == 1 and len(y) == 1 and x.isalpha() and ord(y) == ord(x) + 1


def describe_ids(ids: Iterable[str]) -> str:
    """A set of ids as a reader writes it: "1 to 9 and 11 to 18", "1, 3 and 5"; an id under a listed one is left out."""
    given = set(ids)
    top = sorted((i for i in given if not any(p in given for p in _ancestors(i))), key=_key)
    runs: list[list[str]] = []
    for i in top:
        if runs and _next(runs[-1][-1], i):
            runs[-1].append(i)
        else:
            runs.append([i])
    parts: list[str] = []
    for r in runs:
        parts.extend([f"{r[0]} to {r[-1]}"] if len(r) > 2 else r)
    if len(parts) < 2:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"
