"""Dropped and added points whose words live on elsewhere: a provision folded into another point.

The aligner gives each point one group, so an old sub-point whose sentence was merged into a new
point that already answers for another old point is shown as dropped. "Dropped" says the
provision vanished, the worst error an analyst can be told; so for every dropped (or added) point
this looks for the point on the other side whose own text holds most of its content words, and
when it holds nearly all of them the group says so. The alignment itself is left as it is.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace

from plancmp.model import Document, Group, Status
from plancmp.normalise import content_words

FOLDED_SHARE = 0.75
"""Share of a point's content words another point must hold for the point to be called folded into it."""
FOLDED_MIN_WORDS = 4
"""Fewest distinct content words a point needs: three words or fewer recur by chance ("new and
repaired infrastructure" is in many a reconstruction clause)."""


def folding_words(text: str) -> frozenset[str]:
    """The distinct content words of text that count here: function words left out, 3+ letters each."""
    # Two-letter words and bare numbers ("up", "50", "2026") say little of what a provision is.
    # Most words are letters only: isalpha spares them counting (the index reads every word of a draft).
    return frozenset(
        w for w in set(content_words(text)) if len(w) >= 3 and (w.isalpha() or sum(c.isalpha() for c in w) >= 3)
    )


class _WordIndex:
    """One draft's points by their own text's words (only the words looked for): word → the points holding it."""

    def __init__(self, doc: Document, wanted: frozenset[str]) -> None:
        points = list(doc.walk())
        self.ids = tuple(p.id for p in points)
        # Only the words some dropped or added point has: every word of a long draft, kept per
        # point, would cost tens of MB on a 15 MB pair for the few points that ask.
        # (The words looked for are folding words already, so the text's content words that are
        # among them are its folding words that are.)
        self.words = tuple(frozenset(wanted.intersection(content_words(p.text))) for p in points)
        postings: dict[str, list[int]] = {}
        for k, words in enumerate(self.words):
            for w in words:
                postings.setdefault(w, []).append(k)
        self.postings = postings

    def holder(self, words: frozenset[str]) -> tuple[str, int] | None:
        """(id, words held) of the point holding the most of words, when it holds FOLDED_SHARE of them.

        Ties go to the point that comes first in the draft.
        """
        need = math.ceil(len(words) * FOLDED_SHARE)
        # A point holding `need` of the words holds at least one of any len - need + 1 of them,
        # so only the postings of that many rarest words are read: a common word ("Ukraine",
        # "agreement") would list half of a 2,000-point draft.
        rarest = sorted(words, key=lambda w: (len(self.postings.get(w, ())), w))[: len(words) - need + 1]
        best: tuple[int, int] | None = None  # (words held, -index)
        for k in sorted({k for w in rarest for k in self.postings.get(w, ())}):
            held = len(words & self.words[k])
            if held >= need and (best is None or held > best[0]):
                best = (held, k)
        return (self.ids[best[1]], best[0]) if best else None


def _texts(doc: Document, ids: Iterable[str]) -> str:
    return "\n".join(p.text for p in (doc.find(i) for i in ids) if p is not None)


Folded = tuple[str, int, int]
"""Where a dropped or added point's words live on: (that point's id, words it holds, the point's words)."""


def mark_folded(groups: tuple[Group, ...], old: Document, new: Document) -> tuple[Group, ...]:
    """The groups with `folded` set on every dropped or added point (at any depth) whose content words
    another point on the other side holds: (that point's id, words it holds, the point's words)."""
    return with_folded(groups, folded_marks(groups, old, new))


def folded_marks(groups: tuple[Group, ...], old: Document, new: Document) -> dict[int, Folded]:
    """mark_folded's findings, by the place of each group found in the groups' walk (every top
    group's walk in turn). They depend on the alignment alone, so they can be looked for while
    the groups are diffed, and set on the diffed groups (with_folded), which walk alike."""
    # The words each dropped or added point would look for, and on which side.
    asked: dict[int, tuple[frozenset[str], str]] = {}
    for place, group in enumerate(g for top in groups for g in top.walk()):
        if group.status is Status.DROPPED and group.old:
            words, other = folding_words(_texts(old, group.old)), "new"
        elif group.status is Status.ADDED and group.new:
            words, other = folding_words(_texts(new, group.new)), "old"
        else:
            continue
        if len(words) >= FOLDED_MIN_WORDS:
            asked[place] = (words, other)
    if not asked:
        return {}  # most comparisons drop and add nothing: no index is built
    wanted = {side: frozenset().union(*(w for w, s in asked.values() if s == side)) for side in ("old", "new")}
    indexes: dict[str, _WordIndex] = {}
    marks: dict[int, Folded] = {}
    for place, (words, other) in asked.items():
        if other not in indexes:
            indexes[other] = _WordIndex(new if other == "new" else old, wanted[other])
        found = indexes[other].holder(words)
        if found:
            marks[place] = (found[0], found[1], len(words))
    return marks


def with_folded(groups: tuple[Group, ...], marks: Mapping[int, Folded]) -> tuple[Group, ...]:
    """The groups with folded set where marks (from folded_marks) say, the others as they are."""
    if not marks:
        return groups
    places = itertools.count()
    return tuple(_marked(g, marks, places) for g in groups)


def _marked(group: Group, marks: Mapping[int, Folded], places: Iterator[int]) -> Group:
    folded = marks.get(next(places))  # the group's place in the walk: itself before its children
    children = tuple(_marked(c, marks, places) for c in group.children)
    if folded is None and all(a is b for a, b in zip(children, group.children, strict=True)):
        return group
    return replace(group, children=children, folded=folded)
