"""Conditions put on a commitment ("if", "unless", "in peacetime", "за умови", "если"), and rights
turned into obligations or back ("has the right to EU membership" → "shall become a member")."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from plancmp.diff.edits import Hunk, clause_end, hunk_clauses, quoted_clause
from plancmp.diff.modality import PERMISSIONS, STRONG_MODALS, hunk_words
from plancmp.diff.phrases import alternation, cased, starts
from plancmp.diff.quantities import PERIOD_UNIT
from plancmp.model import Change, ChangeKind

# Each condition by the ways it is written; a form of one is counted as that condition.
_CONDITIONS = {
    "if": "if|even if|якщо|если",
    "only if": "only if|only when|лише якщо|тільки якщо|лише у разі|только если|лишь если|только в случае",
    "unless": "unless|except if|якщо не|если не",
    "provided that": "provided that|provided, however, that|providing that|on condition that|on the condition that|"
                     "за умови, що|за умови|при условии, что|при условии",
    "subject to": "subject to|conditional on|conditional upon|contingent on|contingent upon|з урахуванням умов",
    "in the event of": "in the event that|in the event of|in case of|у разі|в разі|в случае",
    "as long as": "as long as|so long as|доки|поки|пока",
    "after": "after|once|після|после",
    "in peacetime": "in peacetime|in time of peace|in times of peace|у мирний час|в мирний час|в мирное время",
    "in wartime": "in wartime|in time of war|in times of war|у воєнний час|в воєнний час|під час війни|"
                  "в военное время|во время войны",
}
_CONDITION_OF = {form: key for key, forms in _CONDITIONS.items() for form in forms.split("|")}
_CONDITION = re.compile(
    rf"{starts(cased(_CONDITION_OF))}(?<!\w){alternation(cased(_CONDITION_OF))}(?!\w)"
)
# "100 days after signing" and "as soon as possible after it" set a time limit, and "at once"
# and "once and for all" mean now and for good: no condition. The time limits are reported as
# deadlines.
_NOT_A_CONDITION = re.compile(
    r"(?i)(?:\b(?:" + alternation(PERIOD_UNIT) + r"|possible|practicable|soon|shortly|immediately|directly|promptly|at|all|якнайшвидше|скорее)\s*)$"
)
_FOR_GOOD = re.compile(r"(?i)\s+and\s+for\s+all\b")
_AND_OR = r"(?:and|or|і|та|або|и|или)"
"""The words that join two conditions, or a condition to its restatement."""
_RESTATED = re.compile(rf"(?i)\s*[(,—–]?\s*{_AND_OR}\s+")
"""Between two condition words, what makes the second restate the first: "if and only if",
"if (and only if)", "if, and only if,", "if — and only if —" — one condition, "only if"."""
_ASIDE_OPENS = re.compile(r"\s*[,—–]\s*")
"""Between two condition words, what makes the second open an aside inside the first: "unless,
after consultations, the Council decides" is one condition, "unless"."""
_ASIDE = re.compile(r"\s*([,—–])\s*[^,.;:\n—–()]{1,80}?\s*\1\s*")
"""An aside between commas or dashes after a condition's words ("if, and only if, ", "unless,
after consultations, "): the quote runs on past it."""
_JOINED_BEFORE = re.compile(rf"(?i)(?:[\s,;]*\b{_AND_OR})?[\s,;]*$")
"""What joins a condition to the one before it ("… holds or if …"): left out of the one before's quote."""
_LONGEST = max(map(len, _CONDITION_OF)) + 16
"""Characters past its start a condition word can reach (spacing allowed): how far to look for one."""


def _key(m: re.Match[str]) -> str:
    """The condition a matched condition word is a form of ("If" → "if", "за умови, що" → "provided that")."""
    return _CONDITION_OF[" ".join(m.group(0).casefold().split())]


def _clause(text: str, start: int) -> str:
    """The words from start to the end of their clause (quoted_clause), as a condition is quoted."""
    # Read on past the condition's own words ("provided, however, that") and an aside after them;
    # up to the next condition, which is quoted by itself ("if the line holds" of "if the line
    # holds or if talks resume"), unless it restates this one ("if and only if").
    word = _CONDITION.match(text, start)
    at = word.end() if word else start
    aside = _ASIDE.match(text, at)
    at = aside.end() if aside else at
    key = _key(word) if word else None
    for offset, other in _markers(text, at, clause_end(text, at)[0]):
        if (key, other) == ("if", "only if") and word is not None and _RESTATED.fullmatch(text, word.end(), offset):
            continue
        joined = _JOINED_BEFORE.search(text, at, offset)
        limit = joined.start() if joined is not None else offset
        if limit > at:
            return quoted_clause(text, start, at, limit)
        break
    return quoted_clause(text, start, at)


def _markers(text: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, str]]:
    """(offset, condition) for each condition starting between lo and hi."""
    out: list[tuple[int, str]] = []
    last_end = -1
    # Only as far as a condition starting before hi can reach: a hunk costs its own length, not
    # the rest of the point's.
    for m in _CONDITION.finditer(text, lo, len(text) if hi is None else min(len(text), hi + _LONGEST)):
        if hi is not None and m.start() >= hi:
            break
        key = _key(m)
        if key == "after" and (
            _NOT_A_CONDITION.search(text, max(0, m.start() - 30), m.start()) or _FOR_GOOD.match(text, m.end())
        ):
            continue
        if out and (out[-1][1], key) == ("if", "only if") and _RESTATED.fullmatch(text, last_end, m.start()):
            # "if (and only if)": one condition, the one the aside makes it, where "if" stands.
            out[-1] = (out[-1][0], key)
        elif not (out and _ASIDE_OPENS.fullmatch(text, last_end, m.start())):
            out.append((m.start(), key))
        last_end = m.end()
    return out


def _hunk_markers(h: Hunk, side: str, text: str) -> list[tuple[int, str]]:
    """The conditions that start inside the hunk's side of text, by offset in text."""
    start = h.old_start if side == "old" else h.new_start
    return _markers(text, start, start + len(h.old if side == "old" else h.new))


def condition_changes(old: str, new: str, changed: Sequence[Hunk]) -> list[Change]:
    """Conditions added, removed or replaced, where the point as a whole has more or fewer of them."""
    # Most hunks hold no condition word: one search each rules them out.
    flagged = [(h, bool(_CONDITION.search(h.old)), bool(_CONDITION.search(h.new))) for h in changed]
    if not any(in_old or in_new for _, in_old, in_new in flagged):
        return []
    delta = Counter(k for _, k in _markers(new))
    delta.subtract(k for _, k in _markers(old))
    if not any(delta.values()):
        return []
    out = []
    for h, in_old, in_new in flagged:
        removed = _take(_hunk_markers(h, "old", old), delta, -1) if in_old else []
        added = _take(_hunk_markers(h, "new", new), delta, +1) if in_new else []
        for (a, _), (b, _) in zip(removed, added):
            was, now = _clause(old, a), _clause(new, b)
            out.append(Change(ChangeKind.CONDITION, was, now, f"condition changed: {was} → {now}"))
        for a, _ in removed[len(added):]:
            was = _clause(old, a)
            out.append(Change(ChangeKind.CONDITION, was, "", f"condition removed: {was}"))
        for b, _ in added[len(removed):]:
            now = _clause(new, b)
            out.append(Change(ChangeKind.CONDITION, "", now, f"condition added: {now}"))
    return out


def _take(marks: list[tuple[int, str]], delta: Counter[str], sign: int) -> list[tuple[int, str]]:
    """The marks whose condition the point gained (sign +1) or lost (-1), as many as it did."""
    out = []
    for at, key in marks:
        if delta[key] * sign > 0:
            delta[key] -= sign
            out.append((at, key))
    return out


_RIGHT = re.compile(
    r"(?i)(?<!\w)(?:"
    r"(?:(?:has|have|had|retains?|keeps?|enjoys?|shall\s+have|will\s+have)\s+(?:the|a|an)\s+(?:\w+\s+)?)?"
    r"rights?\s+to|(?:is|are|be|remains?)\s+(?:entitled|free)\s+to|"
    r"ма(?:є|ють)\s+право|вправі|право\s+на|име(?:ет|ют)\s+право|вправе"
    r")(?!\w)"
)
"""A right, as written: "has the right to", "is entitled to", "має право", "имеет право", "вправе"."""


def right_changes(old: str, new: str, changed: Sequence[Hunk]) -> list[Change]:
    """Rights turned into obligations and back, and rights granted or taken away."""
    if not any(_RIGHT.search(h.old) or _RIGHT.search(h.new) for h in changed):
        return []
    shift = len(_RIGHT.findall(new)) - len(_RIGHT.findall(old))
    out = []
    for h in changed:
        if not shift:
            break
        side = "old" if shift < 0 else "new"
        text, other_text = (h.old, h.new) if side == "old" else (h.new, h.old)
        found = _RIGHT.search(text)
        if not found:
            continue
        shift += 1 if shift < 0 else -1
        duty = [w for w in hunk_words(other_text) if w in STRONG_MODALS]
        if duty:
            right, must = found.group(0), duty[0]
            was, now = (right, must) if side == "old" else (must, right)
            what = "right became an obligation" if side == "old" else "obligation became a right"
            out.append(Change(ChangeKind.RIGHT, *hunk_clauses(old, new, h), f"{what}: {was} → {now}"))
        elif not PERMISSIONS.intersection(hunk_words(other_text)):
            clause = _clause(old if side == "old" else new, (h.old_start if side == "old" else h.new_start) + found.start())
            if side == "old":
                out.append(Change(ChangeKind.RIGHT, clause, "", f"right removed: {clause}"))
            else:
                out.append(Change(ChangeKind.RIGHT, "", clause, f"right added: {clause}"))
    return out
