"""What changed inside aligned points: word-level edits, and the substantive changes called out.

Substantive changes are what negotiators read first: numbers and quantities, dates and
deadlines, obligation strength and negation, rights and conditions, the parties a point names,
square brackets, and cross-references — the last split into references that merely follow a
renumbered target and references that really changed. Each kind has its own module; this one
finds the hunks once and asks each kind only about the text near them, so the work grows with
what changed, not with the length of the points.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import partial

from plancmp.diff.brackets import bracket_changes
from plancmp.diff.conditions import condition_changes, right_changes
from plancmp.diff.cutoff import cut_ends, discount_cut_off
from plancmp.diff.dates import Date, date_changes, find_dates
from plancmp.diff.edits import (
    Hunk,
    _encode,
    hunk_context,
    hunks,
    new_side,
    old_side,
    sentences,
    tokenize,
    word_edits,
)
from plancmp.diff.modality import NEGATIONS, STRONG_MODALS, WEAK_MODALS, modal_changes
from plancmp.diff.parties import KNOWN_PARTIES, PARTIES, PartyNames, parties_named, party_names
from plancmp.diff.phrases import Spans, find_phrases, lowered
from plancmp.diff.quantities import DEADLINE, DEADLINE_LOWERED, deadline_changes, quantity_changes
from plancmp.diff.references import (
    _DIGIT,
    Reference,
    Renumbering,
    _named_spans,
    find_references,
    only_references_changed,
    reference_changes,
)
from plancmp.model import Change, Edit
from plancmp.normalise import normalise_text

_CONTEXT = 60
"""Characters of shared text kept around each hunk when looking for numbers, dates and deadlines."""


def _windows(changed: Sequence[Hunk]) -> tuple[str, str]:
    """The changed stretches of both sides, each with a little shared text around it.

    A number or deadline that lies wholly in shared text is on both sides and cannot have
    changed, so only these windows need scanning; both sides get the same shared context, cut
    at the same spaces, so what the context holds cancels out. Hunks closer together than two
    contexts share one window, so no stretch of text is scanned twice.
    """
    old_parts: list[str] = []
    new_parts: list[str] = []
    old_now: list[str] = []
    new_now: list[str] = []
    for k, h in enumerate(changed):
        if not old_now:
            before = h.before[-_CONTEXT:]
            if len(h.before) > _CONTEXT and " " in before:
                before = before[before.index(" ") + 1:]
            old_now.append(before)
            new_now.append(before)
        old_now.append(h.old)
        new_now.append(h.new)
        if k + 1 < len(changed) and len(h.after) <= 2 * _CONTEXT:
            old_now.append(h.after)
            new_now.append(h.after)
            continue
        after = h.after[:_CONTEXT]
        if len(h.after) > _CONTEXT and " " in after:
            after = after[: after.rindex(" ")]
        old_parts.append("".join(old_now) + after)
        new_parts.append("".join(new_now) + after)
        old_now, new_now = [], []
    return "\n\n".join(old_parts), "\n\n".join(new_parts)


def _time_changes(
    old_win: str, new_win: str, skip_old: Spans, skip_new: Spans, low: tuple[str | None, str | None] = (None, None)
) -> tuple[list[Change], Spans, Spans]:
    """Dates and time limits that changed; and the stretches they cover, which hold no quantity.
    low: the windows lowered (phrases.lowered), where that keeps their matches."""
    dates_old, dates_new = find_dates(old_win, skip_old), find_dates(new_win, skip_new)
    skip_old += [(a, b) for a, b, _ in dates_old]
    skip_new += [(a, b) for a, b, _ in dates_new]
    limits_old = find_phrases(DEADLINE, old_win, skip_old, fast=(DEADLINE_LOWERED, low[0]))
    limits_new = find_phrases(DEADLINE, new_win, skip_new, fast=(DEADLINE_LOWERED, low[1]))
    changes, left_old, left_new = date_changes([d for *_, d in dates_old], [d for *_, d in dates_new])

    # A deadline by date left unpaired is compared with the time limits that are no dates, in
    # the order they come: "by 1 March 2026" → "within 90 days".
    def in_order(dates: list[tuple[int, int, Date]], left: list[Date], limits: list[re.Match[str]]) -> list[str]:
        unpaired = {id(d) for d in left}
        found = [(a, d.phrase) for a, _, d in dates if id(d) in unpaired]
        found += [(m.start(), m.group(0).strip()) for m in limits]
        return [phrase for _, phrase in sorted(found)]

    changes += deadline_changes(in_order(dates_old, left_old, limits_old), in_order(dates_new, left_new, limits_new))
    skip_old += [m.span() for m in limits_old]
    skip_new += [m.span() for m in limits_new]
    return changes, skip_old, skip_new


def _changes(
    old: str,
    new: str,
    edits: Sequence[Edit],
    whole: tuple[str, str] | None,
    id_map: Mapping[str, Sequence[str]],
    parties: PartyNames,
    known: Sequence[Change] | None = None,
) -> tuple[Change, ...]:
    if normalise_text(old) == normalise_text(new):
        # The same words; only a reference that stayed put while its target moved can be wrong.
        return _counted(reference_changes(old, new, id_map)) if id_map and _DIGIT.search(old) else ()
    changes = list(known) if known is not None else _text_changes(old, new, edits, whole, parties)
    changes += reference_changes(old, new, id_map)
    return _counted(changes)


def text_changes(
    old: str, new: str, edits: Sequence[Edit], parties: PartyNames = KNOWN_PARTIES
) -> tuple[Change, ...] | None:
    """What substantive_changes finds in two points without sub-points, but for their references
    (which need the alignment: where their targets went), in its order; None for the same words.

    Given back to substantive_changes (known), with references added, it is the same as finding
    them all there: so they can be found before the points are aligned.
    """
    if normalise_text(old) == normalise_text(new):
        return None
    return tuple(_text_changes(old, new, edits, None, parties))


def _text_changes(
    old: str, new: str, edits: Sequence[Edit], whole: tuple[str, str] | None, parties: PartyNames
) -> list[Change]:
    changed = hunks(edits)
    old_win, new_win = _windows(changed)
    low = lowered(old_win), lowered(new_win)
    changes, skip_old, skip_new = _time_changes(
        old_win, new_win, Spans(_named_spans(old_win, low[0])), Spans(_named_spans(new_win, low[1])), low
    )
    changes[:0] = quantity_changes(old_win, new_win, skip_old, skip_new)
    changes += modal_changes(old, new, changed)
    changes += right_changes(old, new, changed)
    changes += condition_changes(old, new, changed)
    # A party named in a sub-point is still named by the point: compare the whole points (the
    # edits do not cover the sub-points then, so they cannot say the names stayed the same).
    if whole is not None or parties.near(changed):
        changes += parties.changes(*(whole or (old, new)))
    changes += bracket_changes(old, new)
    return changes


def substantive_changes(
    old: str,
    new: str,
    edits: Sequence[Edit],
    id_map: Mapping[str, Sequence[str]],
    whole: tuple[str, str] | None = None,
    *,
    parties: PartyNames = KNOWN_PARTIES,
    cut: tuple[list[tuple[int, str]], list[tuple[int, str]]] = ([], []),
    known: Sequence[Change] | None = None,
) -> tuple[Change, ...]:
    """The changes negotiators read first, in a fixed order: numbers, dates and deadlines, obligations,
    rights, conditions, parties, brackets, references.

    whole: the points' full texts, when old and new are only their own words. parties: the names to
    look for (the known parties and a positions file's). cut: where cut-off points end in old and
    new (offset, id), from cut_ends; changes found only in the words they lost become notes.
    id_map: old id → new ids; a Renumbering (which knows the new draft's ids too) reads references
    to ranges of points best. known: text_changes(old, new, edits, parties), found already (for
    points without sub-points, whole None, and nothing cut off).
    """
    find = partial(_changes, id_map=id_map, parties=parties)
    if cut[0] or cut[1]:
        return discount_cut_off(old, new, edits, whole, cut, find)
    return find(old, new, edits, whole, known=known if whole is None else None)


def _counted(changes: list[Change]) -> tuple[Change, ...]:
    """One entry per distinct change, with how often it occurs: "$100bn removed (×2)"."""
    counts = Counter(changes)
    out = []
    for change in dict.fromkeys(changes):
        n = counts[change]
        out.append(change if n == 1 else Change(change.kind, change.old, change.new, f"{change.summary} (×{n})",
                                                change.substantive))
    return tuple(out)


__all__ = [
    "NEGATIONS",
    "PARTIES",
    "STRONG_MODALS",
    "WEAK_MODALS",
    "Hunk",
    "PartyNames",
    "Reference",
    "Renumbering",
    "_encode",
    "cut_ends",
    "find_references",
    "hunk_context",
    "hunks",
    "new_side",
    "old_side",
    "only_references_changed",
    "parties_named",
    "party_names",
    "sentences",
    "substantive_changes",
    "text_changes",
    "tokenize",
    "word_edits",
]
