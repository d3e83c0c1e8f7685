"""Phrases found in changed text, and old and new phrases paired up: shared by every kind of change."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")


def alternation(words: Iterable[str]) -> str:
    """A regex matching any of the words, as a trie ("Ma(?:rch|y)"): the engine tries each
    alternative in turn, so a flat list of a hundred month names costs a hundred tries at every
    position, a trie a few. Spaces inside a phrase match any run of horizontal white space."""
    trie: dict[str, dict] = {}
    for word in set(words):
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _pattern(trie)


def cased(words: Iterable[str]) -> list[str]:
    """Each word as written, with a capital, and in capitals: a pattern without (?i) runs several
    times faster, as the engine can then skip to the characters a match can start with."""
    return [form for w in words for form in (w, w[:1].upper() + w[1:], w.upper())]


def starts(words: Iterable[str]) -> str:
    """A lookahead for the characters the words start with: "(?=[Bbу])"."""
    first = sorted({w[0] for w in words if w})
    return "(?=[" + "".join(re.escape(c) for c in first) + "])"


def _pattern(node: dict[str, dict]) -> str:
    ends = "" in node
    branches = [(r"[^\S\n]+" if ch == " " else re.escape(ch)) + _pattern(child)
                for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return f"(?:{body})?"
    return body


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
CYRILLIC = re.compile("[\u0400-\u04ff]")
"""A Cyrillic letter: where a text has one, its Ukrainian and Russian patterns are asked too."""


def lowered(text: str) -> str | None:
    """text in lower case, where a pattern of lower-case words finds in it, at the same places,
    just what the same pattern with re.IGNORECASE finds in text; else None.

    So it is where every letter of text is ASCII and every other character has no case ("’",
    "€", "—"): lowering then changes A–Z alone, one for one. IGNORECASE reads more into other
    letters than lowering shows ("ı" and "ſ" match "i" and "s", "İ" lowers to two characters),
    so text in Cyrillic, say, is left to the case-blind pattern. That runs several times slower
    than a plain one, as it cannot skip to the characters a match starts with.
    """
    if not text.isascii():
        # The first character past ASCII decides a Cyrillic text at once; the others are read
        # once each (a text of 1,300 Cyrillic characters took 90 µs to be refused, every window
        # of every point, when all of them were gathered first).
        first = _NON_ASCII.search(text)
        if first is not None and _cased(first.group()):
            return None
        if any(not ch.isascii() and _cased(ch) for ch in set(text)):
            return None
    return text.lower()


def _cased(ch: str) -> bool:
    return ch.lower() != ch or ch.upper() != ch


def case_sensitive(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The case-blind pattern without IGNORECASE, for lowered text: the same matches, several times
    faster. Only for a pattern blind to case throughout, whose words are written in lower case
    (a test holds each such pattern to it)."""
    return re.compile(pattern.pattern.replace("(?i:", "(?:").replace("(?i)", ""), pattern.flags & ~re.IGNORECASE)


class Spans:
    """Stretches of a text already claimed by one kind of phrase (a date, a reference), for the next
    kind to step around; overlap is found by bisection, not by scanning every stretch."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [s for s, _ in merged]
        self._ends = [e for _, e in merged]

    def __add__(self, other: Iterable[tuple[int, int]]) -> Spans:
        return Spans([*zip(self._starts, self._ends), *other])

    def overlaps(self, start: int, end: int) -> bool:
        """Whether start:end shares a character with any stretch."""
        k = bisect.bisect_left(self._starts, end) - 1
        return k >= 0 and self._ends[k] > start


NOWHERE = Spans()
"""No stretch at all."""


def find_phrases(
    pattern: re.Pattern[str],
    text: str,
    skip: Spans = NOWHERE,
    start: int = 0,
    end: int | None = None,
    fast: tuple[re.Pattern[str], str | None] | None = None,
) -> list[re.Match[str]]:
    """The non-blank matches of pattern in text (or text[start:end]) that touch none of the skipped stretches.

    fast: pattern's case_sensitive twin and lowered(text). Where that is not None, the twin finds
    where the matches start, fast, and pattern reads each there from text as written: the same
    matches, which a test holds each twin to.
    """
    stop = len(text) if end is None else end
    twin, low = fast if fast is not None else (None, None)
    if twin is not None and low is not None:
        found: Iterable[re.Match[str] | None] = (pattern.match(text, m.start(), stop) for m in twin.finditer(low, start, stop))
    else:
        found = pattern.finditer(text, start, stop)
    return [m for m in found if m is not None and m.group(0).strip() and not skip.overlaps(m.start(), m.end())]


def unmatched(old: Sequence[T], new: Sequence[T], key: Callable[[T], Hashable]) -> tuple[list[T], list[T]]:
    """The items of each side that the other side lacks, by key and counted, in order."""
    old_keys, new_keys = [key(x) for x in old], [key(x) for x in new]
    common = Counter(old_keys) & Counter(new_keys)
    return _beyond(old, old_keys, common.copy()), _beyond(new, new_keys, common.copy())


def pair_up(
    old: Sequence[T], new: Sequence[T], key: Callable[[T], Hashable]
) -> tuple[list[tuple[T, T]], list[T], list[T]]:
    """Old-only and new-only items (by key, counted), paired in order; leftovers returned as removed, added."""
    only_old, only_new = unmatched(old, new, key)
    pairs = list(zip(only_old, only_new))
    return pairs, only_old[len(pairs):], only_new[len(pairs):]


def _beyond(items: Sequence[T], keys: Sequence[Hashable], common: Counter[Hashable]) -> list[T]:
    """The items left once as many of each key as the other side has are taken away."""
    out = []
    for item, k in zip(items, keys):
        if common[k] > 0:
            common[k] -= 1
        else:
            out.append(item)
    return out
