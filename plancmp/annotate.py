"""Party positions and tags: anchor positions on points, carry them across versions, tag points.

A position names a point by id or by a quote (W3C TextQuoteSelector: exact words, optional
prefix and suffix), on the draft it was stated on. On that draft it is *placed*; through an
alignment it is *carried* to the later draft's point(s), marked *stale* when the text changed
since (with the changes), or *resolved* when the point was dropped. A quote that no longer
matches exactly is re-anchored by fuzzy match with its score; one that cannot be placed is
*unplaced* with the closest candidates. No position is ever dropped from the output.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from types import MappingProxyType

from plancmp.diff import hunk_context, hunks
from plancmp.errors import PositionsError, UsageError
from plancmp.model import (
    BRACKETED,
    Comment,
    Comparison,
    Document,
    Group,
    PlacedPosition,
    Placement,
    Point,
    Position,
    Selector,
    Stance,
    Status,
)
from plancmp.normalise import normalise_text, shorten
from plancmp.parse.from_toml import PositionsFile, TopicRule

FUZZY_THRESHOLD = 0.75
"""Least fuzzy-match score at which a changed quote is still re-anchored."""


def draft_key(source: str) -> str:
    """The name a positions file uses for a draft: its file stem ("drafts/28-point.txt" → "28-point")."""
    return Path(source).stem


def check_draft_names(docs: Sequence[Document]) -> None:
    """Positions name drafts by file name: two different drafts with one name cannot be told apart."""
    seen: dict[str, str] = {}
    for doc in docs:
        key = draft_key(doc.source)
        if key in seen and seen[key] != doc.source:
            raise UsageError(
                f"{seen[key]} and {doc.source} are both called '{key}', which is how a positions file "
                "names drafts; rename one of them to use positions"
            )
        seen[key] = doc.source


def check_position_drafts(
    positions: PositionsFile, compared: Sequence[str], known: Iterable[str] = ()
) -> tuple[str, ...]:
    """Positions naming a draft that is neither compared nor known (a file beside the drafts).

    A name close to a compared draft's is a typo ("21-point" for "20-point"): PositionsError, with
    the name it most likely meant. Any other unknown name is a warning; its positions are still
    listed, as stated on a draft not read here.
    """
    names = set(compared) | set(known)
    # Newest compared draft first: on a tie ("21-point" is as near "28-point" as "20-point"), the
    # draft being worked on now is the likelier meaning.
    candidates = [*reversed(compared), *sorted(set(known) - set(compared))]
    warnings: list[str] = []
    for position in positions.positions:
        if position.draft in names:
            continue
        scored = [(difflib.SequenceMatcher(None, position.draft, c).ratio(), -k, c) for k, c in enumerate(candidates)]
        best = max(scored, default=None)
        # A short name is one slip from another at a low ratio: 'olf' for 'old' is 0.67.
        if best is not None and (best[0] >= 0.75 or (len(position.draft) >= 3 and _one_edit(position.draft, best[2]))):
            raise PositionsError(
                f"draft '{position.draft}' is none of the drafts read here ({', '.join(compared)}); "
                f"did you mean '{best[2]}'?",
                position.origin,
            )
        warnings.append(
            f"{position.origin}: draft '{position.draft}' is none of the drafts read here ({', '.join(compared)}) "
            "nor a file beside them; its position is listed as stated on a draft not read here"
        )
    return tuple(warnings)


def _one_edit(a: str, b: str) -> bool:
    """Whether b is a with one character changed, put in or left out."""
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = sorted((a, b), key=len)
    return len(long) - len(short) == 1 and any(long[:k] + long[k + 1:] == short for k in range(len(long)))


# -- anchoring ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Anchor:
    point: str | None
    score: float
    candidates: tuple[tuple[str, float], ...] = ()


def _occurrences(doc: Document, selector: Selector) -> list[str]:
    """Ids of the deepest points whose own text holds the quote (with its prefix and suffix)."""
    assert selector.exact is not None
    quote = normalise_text(selector.exact)
    prefix = normalise_text(selector.prefix or "")
    suffix = normalise_text(selector.suffix or "")
    found = []
    for point in doc.walk():
        text = normalise_text(f"{point.label} {point.text}")
        start = text.find(quote)
        while start >= 0:
            before, after = text[:start].rstrip(), text[start + len(quote):].lstrip()
            if before.endswith(prefix) and after.startswith(suffix):
                found.append(point.id)
            start = text.find(quote, start + 1)
    return found


def _fuzzy(doc: Document, quote: str) -> list[tuple[str, float]]:
    """Points ranked by how well some stretch of their text matches the quote."""
    q = normalise_text(quote).split()
    if not q:
        return []
    scored = []
    qs = " ".join(q)
    for point in doc.walk():
        words = normalise_text(point.text).split()
        best = 0.0
        width = len(q)
        for size in {max(1, width - 2), width, width + 2}:
            for start in range(max(1, len(words) - size + 1)):
                window = " ".join(words[start:start + size])
                matcher = difflib.SequenceMatcher(None, qs, window, autojunk=False)
                if matcher.real_quick_ratio() <= best or matcher.quick_ratio() <= best:
                    continue
                best = max(best, matcher.ratio())
        scored.append((point.id, round(best, 3)))
    # Ties in document order ("2" before "10", "1.a" right after "1"): sorted is stable.
    scored.sort(key=lambda x: -x[1])
    return scored


def anchor(doc: Document, selector: Selector, origin: str, strict: bool) -> _Anchor:
    """Where a selector lands on doc.

    strict: the position was stated on this very draft, so its id must exist here, and a quote
    that no longer matches exactly is re-anchored by fuzzy match. Otherwise ids mean nothing here
    (numbers shift between drafts) and only an exact quote places it.
    """
    if strict and selector.point is not None:
        point = doc.find(selector.point)
        if point is None:
            ids = [p.id for p in doc.walk()]
            near = difflib.get_close_matches(selector.point, ids, n=3, cutoff=0.3)
            hint = f"; nearest: {', '.join(near)}" if near else ""
            raise PositionsError(
                f"point {selector.point} is not in {draft_key(doc.source)} "
                f"(its points run {ids[0]}–{doc.points[-1].id}){hint}",
                origin,
            )
        return _Anchor(point.id, 1.0)
    if selector.exact is None:
        return _Anchor(None, 0.0)
    hits = _occurrences(doc, selector)
    if len(hits) > 1:
        if not strict:
            return _Anchor(None, 0.0)
        raise PositionsError(
            f"the quote \"{selector.exact}\" occurs {len(hits)} times in {draft_key(doc.source)} "
            f"(points {', '.join(hits)}); add a prefix or suffix, or name the point",
            origin,
        )
    if hits:
        return _Anchor(hits[0], 1.0)
    if not strict:
        return _Anchor(None, 0.0)
    ranked = _fuzzy(doc, selector.exact)
    if ranked and ranked[0][1] >= FUZZY_THRESHOLD and (len(ranked) == 1 or ranked[1][1] < ranked[0][1]):
        return _Anchor(ranked[0][0], ranked[0][1])
    return _Anchor(None, ranked[0][1] if ranked else 0.0, tuple(ranked[:3]))


# -- Word comments ------------------------------------------------------------------------------

_STANCE_WORD = re.compile(r"^\s*(objects?|rejects?|reserves?|proposes?|accepts?|supports?)\b[\s:.,-]*", re.IGNORECASE)


def positions_from_comments(doc: Document, positions: PositionsFile) -> tuple[list[Position], list[str]]:
    """Word comments whose author speaks for a party, as positions; and warnings for the others."""
    by_author: dict[str, str] = {}
    for party in positions.parties:
        for name in (*party.authors, party.code, party.name):
            by_author.setdefault(name.casefold(), party.code)
    out: list[Position] = []
    warnings: list[str] = []
    for comment in doc.comments:
        code = by_author.get(comment.author.casefold()) or by_author.get(comment.initials.casefold())
        if code is None:
            warnings.append(
                f"{doc.source}: comment {comment.id} by '{comment.author}' speaks for no party; "
                f"add the author to a party's authors in {positions.source}"
            )
            continue
        out.append(_comment_position(doc, comment, code, positions.comment_stance))
    return out, warnings


def _comment_position(doc: Document, comment: Comment, code: str, default: Stance) -> Position:
    m = _STANCE_WORD.match(comment.text)
    stance = default
    note = comment.text.strip()
    if m:
        word = m.group(1).lower()
        stance = Stance(word if word.endswith("s") else word + "s")
        rest = comment.text[m.end():].strip()
        note = rest[:1].upper() + rest[1:] if rest else note
    quote = comment.anchor.strip() or None
    return Position(
        party=code,
        stance=stance,
        draft=draft_key(doc.source),
        selector=Selector(point=comment.point_id if quote is None else None, exact=quote),
        note=note,
        source=f"Word comment by {comment.author}",
        date=(comment.date or "")[:10],
        origin=f"{doc.source} comment {comment.id}",
    )


# -- placing on one draft, carrying across two --------------------------------------------------


def place_on_document(doc: Document, positions: Sequence[Position]) -> tuple[PlacedPosition, ...]:
    """Every position on one draft: placed if stated there, found by exact quote if not, or elsewhere."""
    key = draft_key(doc.source)
    out = []
    for position in positions:
        here = position.draft == key
        found = anchor(doc, position.selector, position.origin, strict=here)
        if found.point is not None:
            placement = Placement.PLACED if here else Placement.CARRIED
            out.append(PlacedPosition(position, placement, new_points=(found.point,), score=found.score))
        elif here:
            out.append(PlacedPosition(position, Placement.UNPLACED, score=found.score, candidates=found.candidates))
        else:
            out.append(PlacedPosition(position, Placement.ELSEWHERE, score=0.0))
    return tuple(out)


def _by_old_id(groups: Iterable[Group]) -> dict[str, Group]:
    """Each old id of a comparison → the deepest group holding it (built once per comparison)."""
    return {old: g for top in groups for g in top.walk() for old in g.old}


def _group_for(index: Mapping[str, Group], point_id: str) -> Group | None:
    """The deepest group holding the old point, or failing that its nearest ancestor's group."""
    parts = point_id.split(".")
    for k in range(len(parts), 0, -1):
        group = index.get(".".join(parts[:k]))
        if group is not None:
            return group
    return None


def _carried(index: Mapping[str, Group], current: Sequence[str]) -> tuple[tuple[str, ...], list[Group]] | None:
    """One step of a position's journey: the ids its points became and the groups whose text
    changed on the way; None when every point was dropped."""
    groups = [g for g in (_group_for(index, pid) for pid in current) if g is not None]
    if not groups or all(g.status is Status.DROPPED for g in groups):
        return None
    ids: list[str] = []
    for g in groups:
        ids.extend(n for n in g.new if n not in ids)
    return tuple(ids), [g for g in groups if g.status is not Status.UNCHANGED]


_REWRITTEN = 0.35
"""Below this similarity a stale position's point counts as rewritten rather than edited."""


def _changed_words(group: Group) -> tuple[str, ...]:
    """What changed in a group, as a reader would quote it: the substantive changes, else the words."""
    substantive = tuple(c.summary for c in group.changes if c.substantive)
    if group.similarity < _REWRITTEN:
        return (f"rewritten (similarity {group.similarity:.2f})", *substantive)
    if substantive:
        return substantive
    shape: tuple[str, ...] = ()
    if group.status is Status.SPLIT:
        shape = (f"split into {' and '.join(group.new)}",)
    elif group.status is Status.MERGED:
        shape = (f"{' and '.join(group.old)} merged into {group.new[0]}",)
    # Hunks of punctuation or layout alone ("," → ".\n") say nothing a reader could quote.
    worded = [h for h in hunks(group.edits) if _WORDS.search(h.old + h.new)]
    if not worded:
        return shape or ("layout changed, wording the same",)
    # One or two short replacements read well quoted, each with a few words around it
    # ("shall withdraw → may withdraw"); anything more is just "reworded".
    quoted = [(" ".join(hunk_context(h, "old").split()), " ".join(hunk_context(h, "new").split())) for h in worded]
    if len(quoted) <= 2 and all(len(a) <= 60 and len(b) <= 60 for a, b in quoted):
        return (*shape, *(f"{a or '—'} → {b or '—'}" for a, b in quoted))
    return (*shape, f"reworded (similarity {group.similarity:.2f})")


def carry_positions(comparison: Comparison, positions: Sequence[Position]) -> tuple[PlacedPosition, ...]:
    """Every position, placed on the new draft or carried there from the old one through the alignment."""
    old_key, new_key = draft_key(comparison.old.source), draft_key(comparison.new.source)
    index = _by_old_id(comparison.groups)
    out: list[PlacedPosition] = []
    for position in positions:
        if position.draft == new_key:
            out.extend(place_on_document(comparison.new, [position]))
            continue
        if position.draft != old_key:
            # Stated on a draft not read here: its quote may still be found on the new one.
            out.extend(place_on_document(comparison.new, [position]))
            continue
        found = anchor(comparison.old, position.selector, position.origin, strict=True)
        if found.point is None:
            out.append(PlacedPosition(position, Placement.UNPLACED, score=found.score, candidates=found.candidates))
            continue
        old_points = (found.point,)
        step = _carried(index, old_points)
        if step is None:
            out.append(PlacedPosition(position, Placement.RESOLVED, old_points=old_points, score=found.score))
            continue
        now, changed = step
        if not changed:
            out.append(PlacedPosition(position, Placement.CARRIED, old_points, now, score=found.score))
        else:
            words = tuple(w for g in changed for w in _changed_words(g))
            out.append(PlacedPosition(position, Placement.STALE, old_points, now, found.score, words))
    return tuple(out)


# -- tags ---------------------------------------------------------------------------------------


_WORDS = re.compile(r"\w+")
_HEAD = 3
"""Letters of a stem looked up among the words' first letters before the words are searched."""


@dataclass(frozen=True)
class _Keyword:
    """One keyword of a topic rule: its first word (or stem) for a quick look-up, and a pattern."""

    words: tuple[tuple[str, bool], ...]
    """Each word, normalised, without a trailing *, and whether it had one (matches any ending)."""
    pattern: re.Pattern[str] | None
    """For phrases of several words: the whole phrase; None for a single word."""


_KEYWORD_WORD = re.compile(r"\w+\*?")
_KEYWORD_GAP = r"(?:\s+|[-‐‑–—]|\.(?!\s))"
"""Between the words of a phrase: spaces, a hyphen or dash, or a dot inside an abbreviation
("all-for-all", "co-operation", "U.N."); not a full stop, which ends a sentence."""


def _keyword(keyword: str) -> _Keyword:
    # Split as the text is split (into \w+ words), so "all-for-all" is a phrase of three words,
    # not one word no text ever contains.
    words = _KEYWORD_WORD.findall(normalise_text(keyword))
    pattern = None
    if len(words) > 1:
        parts = [re.escape(w.rstrip("*")) + (r"\w*" if w.endswith("*") else "") for w in words]
        pattern = re.compile(r"(?<!\w)" + _KEYWORD_GAP.join(parts) + r"(?!\w)")
    return _Keyword(tuple((w.rstrip("*"), w.endswith("*")) for w in words), pattern)


@dataclass(frozen=True)
class Tagger:
    """Compiled topic rules, indexed by each keyword's first word so a text is scanned once."""

    names: tuple[str, ...]
    """Topic names in rule order."""
    exact: Mapping[str, tuple[tuple[int, _Keyword], ...]]
    """First word → (topic index, keyword) for keywords whose first word is a whole word (read-only)."""
    stems: Mapping[str, tuple[tuple[str, int, _Keyword], ...]]
    """The stem's first _HEAD letters (all of a shorter stem) → (stem, topic index, keyword), for
    keywords whose first word ends in * (read-only)."""

    @cached_property
    def head_lengths(self) -> tuple[int, ...]:
        """The lengths of the stems' beginnings: _HEAD, and any shorter stem's own."""
        return tuple(sorted({len(h) for h in self.stems}))

    @classmethod
    def from_rules(cls, rules: Sequence[TopicRule]) -> Tagger:
        """Compile a rule set."""
        exact: dict[str, list[tuple[int, _Keyword]]] = {}
        stems: dict[str, list[tuple[str, int, _Keyword]]] = {}
        for index, rule in enumerate(rules):
            for keyword in rule.keywords:
                kw = _keyword(keyword)
                if not kw.words:
                    continue  # punctuation alone: the rules file reader refuses it; nothing to find
                first, stem = kw.words[0]
                if stem:
                    stems.setdefault(first[:_HEAD], []).append((first, index, kw))
                else:
                    exact.setdefault(first, []).append((index, kw))
        frozen = MappingProxyType({w: tuple(v) for w, v in exact.items()})
        return cls(tuple(r.topic for r in rules), frozen, MappingProxyType({h: tuple(v) for h, v in stems.items()}))

    def topics(self, text: str) -> tuple[str, ...]:
        """The topics whose keywords occur in text, in rule order."""
        if not self.names:
            return ()  # no rules (history, or a rules file that replaces them with none): nothing to scan
        norm = normalise_text(text)
        present = set(_WORDS.findall(norm))
        ordered: list[str] = []

        def has(word: str, stem: bool) -> bool:
            if not stem:
                return word in present
            if not ordered:
                ordered.extend(sorted(present))
            # Sorted words: the first one not before the stem is the only one that can start with it.
            k = bisect.bisect_left(ordered, word)
            return k < len(ordered) and ordered[k].startswith(word)

        def matches(kw: _Keyword) -> bool:
            # Every word must be there before the phrase is worth a pattern search.
            return all(has(w, stem) for w, stem in kw.words[1:]) and (kw.pattern is None or bool(kw.pattern.search(norm)))

        found: set[int] = set()
        for word in present.intersection(self.exact):
            for index, kw in self.exact[word]:
                if index not in found and matches(kw):
                    found.add(index)
        # Only the stems that start as some word does: a text's words have a few hundred
        # beginnings, the rules many more stems.
        heads = {w[:k] for w in present for k in self.head_lengths}
        for head in heads.intersection(self.stems):
            for stem, index, kw in self.stems[head]:
                if index not in found and has(stem, True) and matches(kw):
                    found.add(index)
        return tuple(self.names[k] for k in sorted(found))


def is_bracketed(text: str) -> bool:
    """True when the text holds [square-bracketed] words, the negotiators' mark of "not agreed"."""
    return bool(BRACKETED.search(text))


def tag_document(
    doc: Document,
    tagger: Tagger,
    placed: Sequence[PlacedPosition] = (),
    side: str = "new",
    seen: dict[str, tuple[str, ...]] | None = None,
) -> Document:
    """The document with each point's tags: contested, bracketed, and topic:<name>.

    seen caches topics by text, so the points two drafts share are looked at once.
    """
    cache: dict[str, tuple[str, ...]] = {} if seen is None else seen
    contested: set[str] = set()
    for pp in placed:
        if not pp.position.stance.contested:
            continue
        if side == "old":
            contested.update(pp.old_points)
        elif pp.placement in (Placement.PLACED, Placement.CARRIED, Placement.STALE):
            # A stale objection still stands until a party says otherwise; it is marked stale.
            contested.update(pp.new_points)

    def tag(point: Point) -> Point:
        tags = []
        if point.id in contested:
            tags.append("contested")
        if is_bracketed(point.text):
            tags.append("bracketed")
        if point.text not in cache:
            cache[point.text] = tagger.topics(point.text)
        tags.extend(f"topic:{t}" for t in cache[point.text])
        return replace(point, tags=tuple(tags), children=tuple(tag(c) for c in point.children))

    return replace(doc, points=tuple(tag(p) for p in doc.points))


def find_topics(texts: Sequence[str], rules: Sequence[TopicRule]) -> list[tuple[str, ...]]:
    """Each text's topics under these rules, in order (what tag_document would find for it)."""
    tagger = Tagger.from_rules(rules)
    return [tagger.topics(text) for text in texts]


def annotate(
    comparison: Comparison,
    positions: PositionsFile | None,
    rules: Sequence[TopicRule],
    topics: Mapping[str, tuple[str, ...]] | None = None,
) -> tuple[Comparison, tuple[str, ...]]:
    """The comparison with positions carried and points tagged; plus warnings (unmapped comments).

    topics: the topics of texts already looked for under these rules (find_topics), by text.
    """
    stated: list[Position] = []
    warnings: list[str] = []
    if positions is not None:
        check_draft_names((comparison.old, comparison.new))
        stated.extend(positions.positions)
        for doc in (comparison.old, comparison.new):
            from_comments, notes = positions_from_comments(doc, positions)
            stated.extend(from_comments)
            warnings.extend(notes)
    placed = carry_positions(comparison, stated)
    tagger = Tagger.from_rules(rules)
    seen: dict[str, tuple[str, ...]] = dict(topics or {})
    return (
        replace(
            comparison,
            old=tag_document(comparison.old, tagger, placed, side="old", seen=seen),
            new=tag_document(comparison.new, tagger, placed, seen=seen),
            positions=placed,
            parties=positions.parties if positions is not None else (),
        ),
        tuple(warnings),
    )


def annotate_document(
    doc: Document, positions: PositionsFile | None, rules: Sequence[TopicRule]
) -> tuple[Document, tuple[PlacedPosition, ...], tuple[str, ...]]:
    """One draft with its positions placed (Word comments included) and its points tagged."""
    stated: list[Position] = []
    warnings: tuple[str, ...] = ()
    if positions is not None:
        from_comments, notes = positions_from_comments(doc, positions)
        stated = [*positions.positions, *from_comments]
        warnings = tuple(notes)
    placed = place_on_document(doc, stated)
    return tag_document(doc, Tagger.from_rules(rules), placed), placed, warnings


def carry_along(
    drafts: Sequence[Document],
    labels: Sequence[str],
    steps: Sequence[Comparison],
    positions: Sequence[Position],
) -> tuple[PlacedPosition, ...]:
    """Positions stated on any draft of a chain, carried step by step to the last draft.

    old_points are the ids on the draft the position was stated on; new_points the ids on the
    last draft; changed lists, step by step, what changed in the point since it was stated.
    """
    keys = [draft_key(d.source) for d in drafts]
    indexes = [_by_old_id(step.groups) for step in steps]
    out: list[PlacedPosition] = []
    for position in positions:
        # A draft is named by its file name, or by its label in the negotiation file.
        if position.draft in keys:
            start = keys.index(position.draft)
        elif position.draft in labels:
            start = list(labels).index(position.draft)
        else:
            out.extend(place_on_document(drafts[-1], [position]))
            continue
        found = anchor(drafts[start], position.selector, position.origin, strict=True)
        if found.point is None:
            out.append(PlacedPosition(position, Placement.UNPLACED, score=found.score, candidates=found.candidates))
            continue
        current: tuple[str, ...] = (found.point,)
        changed: list[str] = []
        resolved = False
        for k in range(start, len(steps)):
            step = _carried(indexes[k], current)
            if step is None:
                changed.append(f"dropped at {labels[k + 1]}")
                resolved = True
                break
            current, groups = step
            for g in groups:
                words = _changed_words(g)
                # A step with many changes is summed up: the note must stay a line, not a page.
                shown = "; ".join(shorten(w, 60) for w in words[:2]) + (f"; and {len(words) - 2} more" if len(words) > 2 else "")
                changed.append(f"{labels[k + 1]}: {shown}")
        if resolved:
            placement = Placement.RESOLVED
            current = ()
        elif changed:
            placement = Placement.STALE
        else:
            placement = Placement.PLACED if start == len(drafts) - 1 else Placement.CARRIED
        old_points = (found.point,) if start < len(drafts) - 1 else ()
        out.append(PlacedPosition(position, placement, old_points, current, found.score, tuple(changed)))
    return tuple(out)
