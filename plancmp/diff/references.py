"""Cross-references between points: found, mapped through renumbering, and compared.

References that merely follow a renumbered target are told apart from references that really
changed, and a reference left pointing at a point that moved or went is flagged. A range ("points
2 to 9") is judged by the points it takes in, not by its ends one by one: it follows the
renumbering when it takes in the same surviving points as before (and any point added among them).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from plancmp.diff.phrases import case_sensitive, lowered
from plancmp.diff.ranges import IdSet, describe_ids, expand_range
from plancmp.model import Change, ChangeKind
from plancmp.normalise import normalise_text

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
_REFERENCE_HINT = re.compile(rf"(?:{_REF_WORDS})\s*\d")
"""What every reference holds, in lowered text (phrases.lowered): a reference word before a number."""
_RANGE_SEPARATORS = frozenset({"to", "through", "–", "-", "—", "до"})
"""What joins the two ends of a range ("2 to 9", "2-9", "2 до 9"); the rest join a list."""
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
    items: tuple[tuple[str, ...], ...] = ()
    """What it names, in order: a single id as (id,), a range as (first, last)."""
    ids_start: int = 0
    """Offset of its first id in the text (after "points")."""

    @property
    def has_range(self) -> bool:
        """Whether it names a range of points ("points 2 to 9")."""
        return any(len(item) == 2 for item in self.items)


def _ref_id(raw: str) -> str:
    m = re.fullmatch(r"(\d+(?:\.\d+)*)(?:\s?\(?([a-z])\)|\.([a-z]))?", raw.strip())
    if not m:
        return raw.strip()
    base = ".".join(str(int(x)) for x in m.group(1).split("."))
    letter = m.group(2) or m.group(3)
    return f"{base}.{letter}" if letter else base


def _may_refer(text: str, low: str | None = None) -> bool:
    """Whether text may hold a reference: False where its lowered form has no reference word
    before a number, found there several times faster than _REFERENCE, blind to case, looks."""
    low = lowered(text) if low is None else low
    return low is None or _REFERENCE_HINT.search(low) is not None


def _reference_matches(text: str) -> Iterable[re.Match[str]]:
    if not _may_refer(text):
        return
    for m in _REFERENCE.finditer(text):
        # A provision of another instrument ("Article 5 of the North Atlantic Treaty") is named,
        # not a point of this draft.
        if not _EXTERNAL.match(text, m.end()):
            yield m


def _items(ids: str) -> tuple[tuple[str, ...], ...]:
    """The ids of a reference's id list, single or joined into ranges by "to", "-", "до" …"""
    found = list(_REF_ONE.finditer(ids))
    out: list[tuple[str, ...]] = []
    k = 0
    while k < len(found):
        first = _ref_id(found[k].group(0))
        if k + 1 < len(found) and ids[found[k].end():found[k + 1].start()].strip().lower() in _RANGE_SEPARATORS:
            out.append((first, _ref_id(found[k + 1].group(0))))
            k += 2
        else:
            out.append((first,))
            k += 1
    return tuple(out)


def find_references(text: str) -> list[Reference]:
    """The references to other points in text; "Article 5 of the North Atlantic Treaty" is not one."""
    return list(_references(text))


@lru_cache(maxsize=4096)
def _references(text: str) -> tuple[Reference, ...]:
    """find_references, kept: a point's text is read for references when it is compared, and
    again to see whether only they changed; an unchanged point's text is both old and new."""
    return tuple(
        Reference(
            m.group(0), m.start(), m.end(), tuple(_ref_id(x.group(0)) for x in _REF_ONE.finditer(m.group("ids"))),
            _items(m.group("ids")), m.start("ids"),
        )
        for m in _reference_matches(text)
    )


def _named(items: Iterable[tuple[str, ...]]) -> set[str]:
    """The ids a reference's items name, its ranges taken in whole (a range that cannot be: its ends)."""
    out: set[str] = set()
    for item in items:
        out.update((expand_range(*item) or item) if len(item) == 2 else item)
    return out


class Renumbering(Mapping[str, Sequence[str]]):
    """Old id → the new ids its point became (none: dropped), with the new draft's ids besides.

    What references are read against. Built once per comparison, so that what a range takes in
    is looked up in indexes made once, not worked out again for every point that holds one.
    """

    def __init__(self, moved: Mapping[str, Sequence[str]], new_ids: Collection[str] | None = None) -> None:
        """moved: old id → new ids; new_ids: every id of the new draft (None: only those that came from old points are known)."""
        self.moved = moved
        self.new_ids = new_ids

    def __getitem__(self, old_id: str) -> Sequence[str]:
        return self.moved[old_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.moved)

    def __len__(self) -> int:
        return len(self.moved)

    @cached_property
    def old(self) -> IdSet:
        """The old draft's ids."""
        return IdSet(self.moved)

    @cached_property
    def merged_into(self) -> dict[str, tuple[str, ...]]:
        """New id → the old ids of the points merged into it (two or more)."""
        into: dict[str, list[str]] = {}
        for o, news in self.moved.items():
            for n in news:
                into.setdefault(n, []).append(o)
        return {n: tuple(olds) for n, olds in into.items() if len(olds) > 1}

    @cached_property
    def kept(self) -> set[str]:
        """The new ids that came from old points."""
        return {n for new in self.moved.values() for n in new}

    @cached_property
    def new(self) -> IdSet:
        """The new draft's ids, as far as they are known."""
        return IdSet(self.kept | set(self.new_ids or ()))

    def now(self, ref: Reference) -> set[str]:
        """The new ids of the points an old reference takes in."""
        return {n for o in self.old.covered(_named(ref.items)) for n in self.moved[o]}

    def takes_in(self, named: set[str]) -> tuple[set[str], set[str]]:
        """The points named ids of the new draft take in: those that came from old points, and the new ones."""
        inside = self.new.covered(named)
        return inside & self.kept, inside - self.kept

    def missing_ends(self, old: Reference, new: Reference) -> list[str]:
        """Ends of new's ranges the new draft has no point for (an end already missing from the old draft aside)."""
        if self.new_ids is None:
            return []
        ends = {e for item in new.items if len(item) == 2 for e in item}
        return sorted(e for e in ends if e not in self.new_ids and (e in self.moved or e not in _named(old.items)))

    def follows(self, old: Reference, new: Reference) -> bool:
        """Whether new takes in the same surviving points as old did (and only points added besides)."""
        now = self.now(old)
        return bool(now) and now == self.takes_in(_named(new.items))[0] and not self.missing_ends(old, new)

    def ends_moved(self, ref: Reference, word: str = "") -> list[str]:
        """What became of each id the reference names (a range by its ends) that moved or went: "9 is now 10"."""
        out = []
        for e in dict.fromkeys(e for item in ref.items for e in item):
            if e not in self.moved:
                continue
            now = self.moved[e]
            if not now:
                out.append(f"{word}{e} was dropped")
            elif e not in now:
                out.append(f"{word}{e} is now {'+'.join(now)}")
        return out

    def explained(self, ref: Reference) -> list[str]:
        """ "the points it named are now …", where what became of its ends does not say it."""
        now = self.now(ref)
        if not now:
            return ["none of the points it named is left"]
        ends = [e for item in ref.items for e in item]
        if all(self.moved.get(e) for e in ends):
            by_ends = _named(tuple(self.moved[e][0] for e in item) for item in ref.items)
            if self.takes_in(by_ends)[0] == now:
                return []
        return [f"the points it named are now {describe_ids(now)}"]

    def added(self, ref: Reference) -> list[str]:
        """The new points a new reference names (a new sub-point of a kept point is that point's business)."""
        if self.new_ids is None:
            return []
        new = self.takes_in(_named(ref.items))[1] & _named(ref.items)
        return [f"it also takes in the new point{'' if len(new) == 1 else 's'} {describe_ids(new)}"] if new else []


def _stale_reference(ref: Reference, renumbering: Renumbering) -> str:
    """For a reference left as it was: what is wrong with it now that its target moved or went.

    The drafting error an analyst most needs caught: "under point 6" kept while the point it
    named became point 5, or "points 2 to 9" kept while those points became 3 to 10.
    """
    if not renumbering:
        return ""
    if ref.has_range:
        # A range of points the old draft did not have says nothing about this renumbering.
        if not renumbering.old.covered(_named(ref.items)) or renumbering.follows(ref, ref):
            return ""
        problems = renumbering.ends_moved(ref, "point ") + renumbering.explained(ref)
        return f"reference not updated: {ref.text} ({'; '.join(problems)})"
    problems = renumbering.ends_moved(ref, "point ")
    return f"reference not updated: {ref.text} ({'; '.join(problems)})" if problems else ""


def _follows(old: Reference, new: Reference, renumbering: Renumbering) -> bool:
    """Whether new is old as renumbering would have it: the same points, under their new ids."""
    if old.has_range or new.has_range:
        return renumbering.follows(old, new)
    return _scope(old, new, renumbering) == "same"


def _scope(old: Reference, new: Reference, renumbering: Renumbering) -> str | None:
    """How a single reference (no range) updated for renumbering takes in what the old one did:
    "same" where each point it named is named by what it became (its new id, all its parts where
    it was split: "point 12" → "points 10 and 11", once where points were merged: "points 1 and 2"
    → "point 1"); "narrower" where some parts of a split point only ("point 12" → "point 11");
    "wider" where a point merged with others not named ("point 2" → "point 1" of 1+2); None
    where it names anything else."""
    if old.has_range or new.has_range:
        return None
    became = [set(renumbering.get(t) or (t,)) for t in old.targets]
    named = set(new.targets)
    if not all(ids & named for ids in became) or not named <= set().union(*became):
        return None
    if not all(ids <= named for ids in became):
        return "narrower"
    merged = {o for n in named for o in renumbering.merged_into.get(n, ())}
    return "wider" if merged - set(old.targets) else "same"


def _follow_note(old: Reference, new: Reference, renumbering: Renumbering) -> str:
    if not (old.has_range or new.has_range):
        now = {a: tuple(renumbering.get(a) or (a,)) for a in old.targets}
        moved_to = ", ".join(f"{a} is now {'+'.join(ids)}" for a, ids in now.items() if ids != (a,))
        return f"reference follows renumbering: {old.text} → {new.text} ({moved_to})"
    ends = ", ".join(renumbering.ends_moved(old))
    parts = ([ends] if ends else []) + renumbering.explained(old) + renumbering.added(new)
    return f"reference follows renumbering: {old.text} → {new.text}" + (f" ({'; '.join(parts)})" if parts else "")


def _renumbering(id_map: Mapping[str, Sequence[str]]) -> Renumbering:
    return id_map if isinstance(id_map, Renumbering) else Renumbering(id_map)


def reference_changes(old: str, new: str, id_map: Mapping[str, Sequence[str]]) -> list[Change]:
    """References that changed, follow renumbering, or were left behind by it, in old text order.

    id_map: old id → new ids; as a Renumbering, which knows the new draft's ids too, a range left
    ending on a point the new draft no longer has is caught, and the points a range gained are named.
    """
    renumbering = _renumbering(id_map)
    old_refs = _references(old)
    new_refs = _references(new)
    changes: list[Change] = []
    unmatched_new = list(new_refs)
    for ref in old_refs:
        same = next((r for r in unmatched_new if r.targets == ref.targets and r.items == ref.items), None)
        if same is not None:
            unmatched_new.remove(same)
            stale = _stale_reference(ref, renumbering)
            if stale:
                changes.append(Change(ChangeKind.REFERENCE, ref.text, same.text, stale))
            continue
        follow = next((r for r in unmatched_new if _follows(ref, r, renumbering)), None)
        if follow is not None:
            unmatched_new.remove(follow)
            changes.append(
                Change(
                    ChangeKind.REFERENCE, ref.text, follow.text, _follow_note(ref, follow, renumbering),
                    substantive=False,
                )
            )
            continue
        # Updated, but to some of a split point's parts, or to a merged point's whole: what it
        # takes in changed with it.
        scoped = next(((r, s) for r in unmatched_new if (s := _scope(ref, r, renumbering)) in ("narrower", "wider")), None)
        if scoped is not None:
            part, scope = scoped
            unmatched_new.remove(part)
            how = "narrowed to a part" if scope == "narrower" else "widened to a merged point"
            note = _follow_note(ref, part, renumbering).removeprefix("reference follows renumbering: ")
            changes.append(Change(ChangeKind.REFERENCE, ref.text, part.text, f"reference {how}: {note}"))
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


def only_references_changed(old: str, new: str, id_map: Mapping[str, Sequence[str]]) -> bool:
    """True when the texts differ only in references that follow their renumbered targets."""
    renumbering = _renumbering(id_map)
    old_refs, new_refs = _references(old), _references(new)
    if len(old_refs) != len(new_refs):
        return False
    out: list[str] = []
    pos = 0
    for o, n in zip(old_refs, new_refs):
        # One left as it was is right only where renumbering left its points where they were.
        if not _follows(o, n, renumbering):
            return False
        out += [old[pos:o.ids_start], new[n.ids_start:n.end]]
        pos = o.end
    out.append(old[pos:])
    return normalise_text("".join(out)) == normalise_text(new)


_NAMED_NUMBER = re.compile(
    r"(?=(?i:[apscrпср§]))"
    r"(?i:\b(?:articles?|sections?|points?|paragraphs?|chapters?|parts?|clauses?|resolutions?|protocols?|"
    r"annex(?:es)?|пункт\w*|стат\w*|розділ\w*|раздел\w*)|§)\s*\d+(?:\.\d+)*"
)
"""Numbers that name a provision ("Article 5", "point 21") rather than count anything."""
_NAMED_NUMBER_LOWERED = case_sensitive(_NAMED_NUMBER)
"""_NAMED_NUMBER for lowered text (phrases.lowered)."""


_DIGIT = re.compile(r"\d")


def _named_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of numbers that name provisions, including whole references like "points 1 to 26".
    low: lowered(text), where that is not None: read there, fast."""
    if not _DIGIT.search(text):
        return []
    named = _NAMED_NUMBER.finditer(text) if low is None else _NAMED_NUMBER_LOWERED.finditer(low)
    spans = [(m.start(), m.end()) for m in named]
    if low is None or _may_refer(text, low):
        spans += [(m.start(), m.end()) for m in _REFERENCE.finditer(text)]
    return spans
