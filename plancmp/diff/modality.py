"""How binding a point is: obligation strength (shall ↔ may) and negation, in the hunks that changed."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from plancmp.diff.edits import Hunk, hunk_clauses
from plancmp.diff.phrases import alternation, lowered
from plancmp.model import Change, ChangeKind

# Verbs of obligation only, never a word that is as often a noun or an adjective: "security
# guarantees", "the aim of", "the required majority" bind no one.
STRONG_MODALS = frozenset(
    "shall must will undertakes undertake commits commit obliged "
    "зобов'язується зобов'язуються зобов’язується зобов’язуються повинен повинна повинні мусить "
    "обязуется обязуются должен должна должны обязан обязана обязаны зобов'язані зобов’язані "
    "зобов'язаний зобов’язаний зобов'язана зобов’язана".split()
)
WEAK_MODALS = frozenset(
    "may should could might can consider considers endeavour endeavours endeavor endeavors seek seeks "
    "encouraged invited може можуть слід варто прагне прагнуть розглянути "
    "может могут следует стремится стремятся рассмотрит".split()
)
NEGATIONS = frozenset("not no never neither nor without не ні ніколи без ни никогда".split())
PERMISSIONS = frozenset("may can може можуть может могут".split())
"""Modal words that grant leave rather than weaken a duty: "may join" is about as much as "has the right to join"."""

_WORD = re.compile(r"\w+(?:['’]\w+)*")


def hunk_words(text: str) -> list[str]:
    """The words of text, lower case, apostrophes kept inside them."""
    return [w.lower() for w in _WORD.findall(text)]


_NOT_NEGATION = re.compile(
    r"(?i)\b(?:no|not)\s+(?:more|less|fewer|later|earlier|sooner)\s+than\b|"
    r"\bне\s+(?:більше|менше|пізніше|раніше|більш|более|менее|позднее|позже|раньше)\b|"
    r"\bnot\s+only\b|\bno\s+(?:one|doubt)\b"
)
"""Phrases with "no"/"not" that set a limit or emphasise, not negate."""
_LOCAL_HUNK = 8
"""Hunks of more words than this are rewrites: a shall→may or a "not" inside them says little."""


_NEITHER_NOR = re.compile(r"(?i)\bneither\b(.*?)\bnor\b|\bни\b(.*?)\bни\b")

# The same three, for lowered text (phrases.lowered), which has no Cyrillic letter: each
# alternative led by its first letter, the engine skips to the places an "n" stands, ten times
# faster than trying a \b at every place. A \b before a letter is a lookbehind after it:
# "n(?<!\w.)" is "\bn".
_NOT_NEGATION_LOWERED = re.compile(
    r"n(?<!\w.)(?:o|ot)\s+(?:more|less|fewer|later|earlier|sooner)\s+than\b|"
    r"n(?<!\w.)ot\s+only\b|n(?<!\w.)o\s+(?:one|doubt)\b"
)
_NEITHER_NOR_LOWERED = re.compile(r"n(?<!\w.)either\b(.*?)\bnor\b")
# A word of NEGATIONS standing as a word of its own (hunk_words): neither a letter nor a letter
# and an apostrophe before it, nor after it.
_NEGATION_WORD = re.compile(
    "(?:"
    + "|".join(
        rf"{w[0]}(?<!\w.)(?<!\w['’].){w[1:]}" for w in sorted((w for w in NEGATIONS if w.isascii()), key=lambda w: (-len(w), w))
    )
    + r")(?!\w)(?!['’]\w)"
)


def _negations(text: str) -> int:
    # "neither … nor" is one negation, however many parties it lists.
    low = lowered(text)
    if low is None:
        words = hunk_words(_NEITHER_NOR.sub(r" not \1 \2 ", _NOT_NEGATION.sub(" ", text)))
        return sum(1 for w in words if w in NEGATIONS)
    return len(_NEGATION_WORD.findall(_NEITHER_NOR_LOWERED.sub(r" not \1 ", _NOT_NEGATION_LOWERED.sub(" ", low))))


_MODAL_OR_NEGATION = re.compile(
    r"(?i)(?<!\w)" + alternation(STRONG_MODALS | WEAK_MODALS | NEGATIONS) + r"(?!\w)"
)


_AUXILIARIES = frozenset("be is are was were been have has had also then further still thereafter".split())
"""Words before a verb that say no action themselves: auxiliaries, and adverbs that do not end in -ly."""


def _bare_verb_shift(h: Hunk, ow: list[str], nw: list[str]) -> str | None:
    """A weak modal put before a verb that had none, or taken from one: "The Parties withdraw" →
    "The Parties may withdraw" (the plain present of a treaty binds; "may" leaves it open),
    "відводять" → "можуть відвести". The summary, or None where the hunk is no such change: the
    modal alone added or removed, or with the verb's other form, written in lower case ("in May
    2026" names a month), before a word, and no other modal beside it."""
    def modal(words: list[str], raw: str, other: list[str]) -> bool:
        first = _WORD.search(raw)
        return (words[0] in WEAK_MODALS and first is not None and first.group().islower()
                and not WEAK_MODALS.intersection(words[1:] + other))

    def verb(words: list[str]) -> str | None:
        """The hunk's verb, or the word after it; with the word after that where it is an auxiliary
        or an adverb ("are lifted" → "may be lifted", "jointly withdraw"), which says no action."""
        after = [m.group().lower() for m in itertools.islice(_WORD.finditer(h.after), 2)]
        said = (words + after)[:2]
        if not said or not said[0].isalpha():
            return None
        return " ".join(said) if len(said) > 1 and (said[0] in _AUXILIARIES or said[0].endswith("ly")) else said[0]

    if len(nw) == len(ow) + 1 and len(ow) <= 1 and modal(nw, h.new, ow):
        verb_old, verb_new = verb(ow), verb(nw[1:])
        if verb_old and verb_new:
            return f"obligation weakened: {verb_old} → {nw[0]} {verb_new}"
    if len(ow) == len(nw) + 1 and len(nw) <= 1 and modal(ow, h.old, nw):
        verb_old, verb_new = verb(ow[1:]), verb(nw)
        if verb_old and verb_new:
            return f"obligation strengthened: {ow[0]} {verb_old} → {verb_new}"
    return None


def modal_changes(old: str, new: str, changed: Sequence[Hunk]) -> list[Change]:
    out = []
    negation_shift: int | None = None
    for h in changed:
        # Most hunks hold no modal verb and no negation: one search rules them out.
        if not _MODAL_OR_NEGATION.search(h.old) and not _MODAL_OR_NEGATION.search(h.new):
            continue
        ow, nw = hunk_words(h.old), hunk_words(h.new)
        if len(ow) > _LOCAL_HUNK or len(nw) > _LOCAL_HUNK:
            continue
        strong_o = [w for w in ow if w in STRONG_MODALS]
        strong_n = [w for w in nw if w in STRONG_MODALS]
        weak_o = [w for w in ow if w in WEAK_MODALS]
        weak_n = [w for w in nw if w in WEAK_MODALS]
        if strong_o and weak_n and not strong_n:
            out.append(Change(ChangeKind.OBLIGATION, *hunk_clauses(old, new, h),
                              f"obligation weakened: {strong_o[0]} → {weak_n[0]}"))
        elif weak_o and strong_n and not weak_n:
            out.append(Change(ChangeKind.OBLIGATION, *hunk_clauses(old, new, h),
                              f"obligation strengthened: {weak_o[0]} → {strong_n[0]}"))
        elif not strong_o and not strong_n and (shift := _bare_verb_shift(h, ow, nw)):
            out.append(Change(ChangeKind.OBLIGATION, *hunk_clauses(old, new, h), shift))
        # Only where the texts as a whole gained or lost a negation: rewording "neither … nor"
        # into "never" is not a change of meaning.
        if not NEGATIONS.intersection(ow + nw):
            continue
        if negation_shift is None:
            # Counted over the whole texts once, and only for a point with a short hunk that
            # holds a negation.
            negation_shift = _negations(new) - _negations(old)
        if not negation_shift:
            continue
        local_shift = _negations(h.new) - _negations(h.old)
        if negation_shift * local_shift > 0:
            # Each side quoted in its own clause, as the reader finds it there (the words around
            # the hunk may have changed too).
            was, now = hunk_clauses(old, new, h)
            summary = f"negation added: {now}" if local_shift > 0 else f"negation removed: {was}"
            out.append(Change(ChangeKind.NEGATION, was, now, summary))
            negation_shift -= local_shift
    return out
