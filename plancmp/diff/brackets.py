"""Square brackets, the negotiators' mark of text not yet agreed: put in, lifted, dropped."""

from __future__ import annotations

from plancmp.diff.phrases import pair_up
from plancmp.model import BRACKETED, Change, ChangeKind
from plancmp.normalise import normalise_text, shorten


def bracket_changes(old: str, new: str) -> list[Change]:
    """Text newly put in brackets (not agreed), brackets lifted (agreed), bracketed options dropped."""
    old_b = [m.group(0) for m in BRACKETED.finditer(old)]
    new_b = [m.group(0) for m in BRACKETED.finditer(new)]
    pairs, removed, added = pair_up(old_b, new_b, normalise_text)
    # Paired leftovers are bracketed passages that changed wording: report each side on its own.
    removed = [a for a, _ in pairs] + removed
    added = [b for _, b in pairs] + added
    new_plain = normalise_text(BRACKETED.sub(" ", new))
    out = []
    for a in removed:
        inner = a[1:-1].strip()
        if inner and normalise_text(inner) in new_plain:
            out.append(Change(ChangeKind.BRACKETS, a, inner, f"agreed (brackets removed): {shorten(inner)}"))
        else:
            out.append(Change(ChangeKind.BRACKETS, a, "", f"bracketed text removed: {shorten(a)}"))
    out.extend(Change(ChangeKind.BRACKETS, "", b, f"put in brackets: {shorten(b)}") for b in added)
    return out
