"""Cross-references between points: found, mapped through renumbering, and compared.

References that merely follow a renumbered target are told apart from references that really
changed, and a reference left pointing at a point that moved or went is flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from plancmp.model import Change, ChangeKind

_REF_WORDS = (
    r"points?|paragraphs?|articles?|sections?|clauses?|§§?|"
    r"пункт(?:и|ів|ах|ам|ами|у|і|ом)?|стат(?:тя|ті|тею|ей|ья|ьи|ье|ью|ьях)|"
    r"пункт(?:ы|ов|е|ом)"
)
_REF_ID = r"\d+(?:\.\d+)*(?:\s?\(?[a-z]\)|\.[a-z]\b)?"
_REFERENCE = re.compile(
    # Every reference word starts with one of these letters (in any case (?i) allows); the
    # lookahead skips other positions fast.
    r"(?=(?i:[pasc§пс]))"
    rf"(?i:\b(?P<word>{_REF_WORDS}))\s*(?P<ids>{_REF_ID}(?:\s*(?:,|and|or|to|through|–|-|—|і|та|до|и|или)\s*{_REF_ID})*)"
)
_REF_ONE = re.compile(_REF_ID)
_EXTERNAL = re.compile(
    r"\s+of\s+the\s+(?!(?:present|this)\b)[A-Z]|\s+of\s+(?:the\s+)?(?:NATO|UN|EU)\b|"
    r"\s+(?:of|to)\s+(?:the\s+)?(?:North Atlantic|Washington|Charter|Treaty|Convention|Constitution)"
)


@dataclass(frozen=True)
class Reference:
    """A cross-reference to points of the same draft: "as set out in point 4", "paragraphs 2 and 3"."""

    text: str
    """The reference as written."""
    start: int
    """Offset of its first character in the text."""
    end: int
    """Offset just past its last character."""
    targets: tuple[str, ...]
    """The ids it names, normalised ("12 a)" → "12.a"); ranges are listed as written, not expanded."""


def _ref_id(raw: str) -> str:
    m = re.fullmatch(r"(\d+(?:\.\d+)*)(?:\s?\(?([a-z])\)|\.([a-z]))?", raw.strip())
    if not m:
        return raw.strip()
    base = ".".join(str(int(x)) for x in m.group(1).split("."))
    letter = m.group(2) or m.group(3)
    return f"{base}.{letter}" if letter else base


def _reference_matches(text: str) -> Iterable[re.Match[str]]:
    for m in _REFERENCE.finditer(text):
        # A provision of another instrument ("Article 5 of the North Atlantic Treaty") is named,
        # not a point of this draft.
        if not _EXTERNAL.match(text, m.end()):
            yield m


def find_references(text: str) -> list[Reference]:
    """The references to other points in text; "Article 5 of the North Atlantic Treaty" is not one."""
    return [
        Reference(
            m.group(0), m.start(), m.end(), tuple(_ref_id(x.group(0)) for x in _REF_ONE.finditer(m.group("ids")))
        )
        for m in _reference_matches(text)
    ]


def retarget(text: str, id_map: Mapping[str, Sequence[str]]) -> str:
    """Text with each referenced id replaced by the id its point carries in the other draft."""
    out: list[str] = []
    pos = 0
    for m in _reference_matches(text):
        out.append(text[pos:m.start("ids")])
        out.append(_REF_ONE.sub(lambda x: _mapped(x.group(0), id_map), m.group("ids")))
        pos = m.end("ids")
    out.append(text[pos:])
    return "".join(out)


def _mapped(raw: str, id_map: Mapping[str, Sequence[str]]) -> str:
    targets = id_map.get(_ref_id(raw))
    if not targets:
        return raw
    return targets[0]


_RANGE = re.compile(r"\d\s*(?:to|through|–|-|—|до)\s*\d")


def _stale_reference(ref: Reference, id_map: Mapping[str, Sequence[str]]) -> str:
    """For a reference left as it was: what is wrong with it now that its target moved or went.

    The drafting error an analyst most needs caught: "under point 6" kept while the point it
    named became point 5. Ranges ("points 1 to 26") are left alone: their ends shift with
    every drop and addition and say little.
    """
    if not id_map or _RANGE.search(ref.text):
        return ""
    problems = []
    for target in ref.targets:
        if target not in id_map:
            continue
        now = id_map[target]
        if not now:
            problems.append(f"point {target} was dropped")
        elif target not in now:
            problems.append(f"point {target} is now {'+'.join(now)}")
    return f"reference not updated: {ref.text} ({'; '.join(problems)})" if problems else ""


def reference_changes(old: str, new: str, id_map: Mapping[str, Sequence[str]]) -> list[Change]:
    """References that changed, follow renumbering, or were left behind by it, in old text order."""
    old_refs = find_references(old)
    new_refs = find_references(new)
    changes: list[Change] = []
    unmatched_new = list(new_refs)
    for ref in old_refs:
        same = next((r for r in unmatched_new if r.targets == ref.targets), None)
        if same is not None:
            unmatched_new.remove(same)
            stale = _stale_reference(ref, id_map)
            if stale:
                changes.append(Change(ChangeKind.REFERENCE, ref.text, same.text, stale))
            continue
        mapped = tuple(t for x in ref.targets for t in (id_map.get(x) or [x])[:1])
        follow = next((r for r in unmatched_new if r.targets == mapped), None)
        if follow is not None:
            unmatched_new.remove(follow)
            moved_to = ", ".join(f"{a} is now {b}" for a, b in zip(ref.targets, mapped) if a != b)
            changes.append(
                Change(
                    ChangeKind.REFERENCE,
                    ref.text,
                    follow.text,
                    f"reference follows renumbering: {ref.text} → {follow.text} ({moved_to})",
                    substantive=False,
                )
            )
            continue
        changes.append(Change(ChangeKind.REFERENCE, ref.text, "", f"reference: {ref.text} → ?"))
    # Pair what is left on both sides in order: a reference that now points elsewhere.
    pending_old = [c for c in changes if c.summary.endswith("→ ?")]
    for c in pending_old:
        changes.remove(c)
    for c, r in zip(pending_old, unmatched_new):
        changes.append(Change(ChangeKind.REFERENCE, c.old, r.text, f"reference changed: {c.old} → {r.text}"))
    for c in pending_old[len(unmatched_new):]:
        changes.append(Change(ChangeKind.REFERENCE, c.old, "", f"reference removed: {c.old}"))
    for r in unmatched_new[len(pending_old):]:
        changes.append(Change(ChangeKind.REFERENCE, "", r.text, f"reference added: {r.text}"))
    return changes


_NAMED_NUMBER = re.compile(
    r"(?=(?i:[apscrпср§]))"
    r"(?i:\b(?:articles?|sections?|points?|paragraphs?|chapters?|parts?|clauses?|resolutions?|protocols?|"
    r"annex(?:es)?|пункт\w*|стат\w*|розділ\w*|раздел\w*)|§)\s*\d+(?:\.\d+)*"
)
"""Numbers that name a provision ("Article 5", "point 21") rather than count anything."""


_DIGIT = re.compile(r"\d")


def _named_spans(text: str) -> list[tuple[int, int]]:
    """Spans of numbers that name provisions, including whole references like "points 1 to 26"."""
    if not _DIGIT.search(text):
        return []
    spans = [(m.start(), m.end()) for m in _NAMED_NUMBER.finditer(text)]
    spans += [(m.start(), m.end()) for m in _REFERENCE.finditer(text)]
    return spans
