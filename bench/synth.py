"""Seeded synthetic version pairs of negotiated drafts, with the gold alignment between them.

`generate_pair(seed, n_points, language, difficulty)` writes an old draft of numbered provisions
(sections of points on peace-plan topics, near-duplicate boilerplate, a closing point that counts
the points) and makes a new version of it by the edits negotiators make: rewording (synonyms,
clause reordering, a sentence added or removed), changed numbers, drops, additions, moves, merges,
splits and cross-references rewritten to the new numbering. The gold says which old top-level
point became which new one.

The draft's structure depends on the seed only, not on the language: seed 7 in English and seed 7
in Ukrainian are translations of each other, edited the same way (only the synonym choices differ),
so a figure that differs between the two measures the language and nothing else.
"""

from __future__ import annotations

import bisect
import copy
import itertools
import random
import re
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from bench import synth_vocab as V
from plancmp.unionfind import UnionFind

Language = Literal["en", "uk"]
Difficulty = Literal["easy", "hard", "stress"]
Link = tuple[str, str]
GoldGroup = tuple[tuple[str, ...], tuple[str, ...]]


@dataclass(frozen=True)
class Rates:
    """How often each edit is made when the new version is written (per old point, unless said)."""

    drop: float
    """Share of old points dropped."""
    add: float
    """Fresh points added, as a share of the old point count."""
    reword: float
    """Share of surviving 1:1 points reworded (synonyms, and maybe reordering, a sentence more or less)."""
    synonyms: tuple[float, float]
    """Range of the share of a reworded point's words replaced by synonyms."""
    reorder: float
    """Chance that a reworded point also has clauses or sentences reordered."""
    sentence_added: float
    """Chance that a reworded point gains a sentence."""
    sentence_removed: float
    """Chance that a reworded point loses a sentence (when it has two or more)."""
    numbers: float
    """Share of surviving points with a number or date changed (600,000 → 800,000)."""
    merge: float
    """Chance that an old point starts a merge with the next one or two."""
    split: float
    """Chance that an old point of two or more sentences is split in two or three."""
    move: float
    """Moves, as a share of the old point count."""
    families: tuple[int, int]
    """Range of the number of near-duplicate boilerplate families in a draft."""
    family_size: tuple[int, int]
    """Range of the number of points in one family."""
    xref: float
    """Share of points that refer to another point by number."""
    subpoints: float
    """Share of points with lettered sub-points."""
    far_merge: float = 0.0
    """Chance that a merge takes its second part from 3–6 places further down, the points between
    kept: a merge that does not fit plancmp's assumption that parts sit together."""
    part_synonyms: tuple[float, float] = (0.0, 0.15)
    """Range of the share of a merged point's or a split part's words replaced by synonyms."""
    ambiguous_moves: bool = False
    """Keep a move even when another in-order reading of the alignment would call a different point
    moved (swapped neighbours, say); by default only moves every reading agrees on are made."""


EASY = Rates(
    drop=0.04, add=0.04, reword=0.35, synonyms=(0.10, 0.20), reorder=0.10, sentence_added=0.08,
    sentence_removed=0.08, numbers=0.10, merge=0.02, split=0.02, move=0.02, families=(1, 1),
    family_size=(3, 3), xref=0.08, subpoints=0.10,
)
"""A light revision: a few edits, mild rewording."""
HARD = Rates(
    drop=0.10, add=0.10, reword=0.75, synonyms=(0.10, 0.40), reorder=0.35, sentence_added=0.25,
    sentence_removed=0.25, numbers=0.30, merge=0.06, split=0.06, move=0.06, families=(2, 3),
    family_size=(3, 5), xref=0.12, subpoints=0.12,
)
"""A heavy revision: most points reworded, every kind of edit several times per draft."""
STRESS = replace(
    HARD, merge=0.08, split=0.08, far_merge=0.5, part_synonyms=(0.3, 0.5), move=0.08, ambiguous_moves=True
)
"""HARD, with more merges and splits whose parts are heavily reworded, half the merges taking a part
from further down, and ambiguous moves: what synth otherwise avoids because plancmp assumes it away."""
PRESETS: dict[str, Rates] = {"easy": EASY, "hard": HARD, "stress": STRESS}


@dataclass(frozen=True)
class DraftPoint:
    """One rendered top-level point: its text and its sub-points' texts."""

    text: str
    """The point's sentences, on one line."""
    items: tuple[str, ...] = ()
    """Sub-point texts, without labels, in order."""


@dataclass(frozen=True)
class Draft:
    """A rendered draft, ready to be written as text, Markdown or DOCX."""

    title: str
    """Title line."""
    preamble: str
    """The paragraph before the first point."""
    points: tuple[DraftPoint, ...]
    """Top-level points; point k carries the number k."""
    language: str
    """"en" or "uk" (decides the sub-point labels: a) b) or 1) 2))."""

    def sub_label(self, k: int) -> str:
        """The label of the k-th sub-point (1-based): "a)" in English, "1)" in Ukrainian.

        Ukrainian drafting numbers sub-points "1)", "2)"; its letter form ("а)", "б)") uses
        Cyrillic letters, which plancmp's label reader does not know.
        """
        return f"{k})" if self.language == "uk" else f"{chr(ord('a') + k - 1)})"


@dataclass(frozen=True)
class SynthPair:
    """An old and a new draft with the gold alignment of their top-level points."""

    seed: int
    """The seed it was made from."""
    language: str
    """"en" or "uk"."""
    difficulty: str
    """"easy" or "hard" (or "custom" when rates were given)."""
    old: Draft
    """The old draft."""
    new: Draft
    """The new draft."""
    old_text: str
    """The old draft as plain text."""
    new_text: str
    """The new draft as plain text."""
    gold: list[GoldGroup]
    """(old ids, new ids) for every top-level point of both drafts, each id exactly once."""
    moved: set[Link]
    """(old id, new id) links the generator moved on purpose."""
    identical: set[Link]
    """(old id, new id) links whose rendered text (with sub-points) is unchanged."""
    notes: list[str]
    """What was done to each gold group, parallel to gold ("reword 0.31 +sentence numbers moved")."""


# -- the structure a draft is made of -----------------------------------------------------------


@dataclass
class _Mod:
    idx: int
    values: dict[str, int]
    ref: int | None = None
    """Uid of the point referred to; idx then indexes REF_MODIFIERS."""
    extra_refs: tuple[int, ...] = ()
    """Further uids referred to with it: in a chain, a reference to a point that was split since."""


@dataclass
class _Clause:
    kind: str
    """duty | fact | lead | family | closing."""
    topic: str
    idx: int
    values: dict[str, int]
    subj: int = -1
    modal: int = 0
    mods: list[_Mod] = field(default_factory=list)
    front: bool = False


@dataclass
class _Point:
    uid: int
    topic: str
    sentences: list[list[_Clause]]
    items: list[int] = field(default_factory=list)
    family: int | None = None
    closing: bool = False
    syn_seed: int = 0
    syn_share: float = 0.0
    syn_by_matches: bool = False
    connect: int = -1
    sources: tuple[int, ...] = ()
    notes: list[str] = field(default_factory=list)
    moved: bool = False
    movable: bool = True


_TOPIC_NAMES = sorted(V.TOPICS)
_TABLES: dict[str, list[dict[str, str]]] = {
    "place": V.PLACES, "venue": V.VENUES, "body": V.BODIES, "party": V.PARTIES, "port": V.PORTS,
    "date": V.DATES,
}
_CASES = {"nom", "gen", "dat", "acc", "ins", "loc"}
_COMPUTED = {"poss", "subj", "verb", "ref", "last"}
_FORMATTER = string.Formatter()
_WORD_RE = re.compile(r"\w+(?:[.,'’]\w+)*")


def _lang_index(lang: str) -> int:
    return 0 if lang == "en" else 1


def _split_field(name: str) -> tuple[str, str]:
    base, _, case = name.rpartition("_")
    if base and case in _CASES:
        return base, case
    return name, ""


def slot_bases(template: str) -> list[str]:
    """The slots a template fills from drawn values, in order, without case suffixes."""
    out: list[str] = []
    for _, name, _, _ in _FORMATTER.parse(template):
        if name:
            base, _ = _split_field(name)
            if base not in _COMPUTED and base not in out:
                out.append(base)
    return out


def _number_text(value: int, lang: str) -> str:
    # English groups thousands with commas; Ukrainian with spaces ("600 000").
    return f"{value:,}" if lang == "en" else f"{value:,}".replace(",", " ")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _word_count(text: str) -> int:
    return len(_WORD_RE.findall(text))


# -- synonyms -----------------------------------------------------------------------------------

_SYN_PATTERNS: dict[str, re.Pattern[str]] = {}


def _syn_pattern(lang: str) -> re.Pattern[str]:
    pattern = _SYN_PATTERNS.get(lang)
    if pattern is None:
        # Longest phrases first, so "give priority to" wins over "give" at the same place.
        keys = sorted(V.SYNONYMS[lang], key=lambda k: (-len(k), k))
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(k) for k in keys) + r")(?!\w)", re.IGNORECASE)
        _SYN_PATTERNS[lang] = pattern
    return pattern


def substitute(texts: Sequence[str], lang: str, rng: random.Random, share: float, by_matches: bool = False) -> list[str]:
    """Texts with synonyms replacing phrases covering about share of their words (or of their
    replaceable phrases, when by_matches), chosen by rng."""
    table = {k.casefold(): v for k, v in V.SYNONYMS[lang].items()}
    pattern = _syn_pattern(lang)
    found = [(t, m) for t, text in enumerate(texts) for m in pattern.finditer(text)]
    order = list(range(len(found)))
    rng.shuffle(order)
    chosen: set[int] = set()
    if by_matches:
        chosen = set(order[: round(share * len(found))])
    else:
        goal = share * sum(_word_count(t) for t in texts)
        replaced = 0
        for k in order:
            if replaced >= goal:
                break
            chosen.add(k)
            replaced += _word_count(found[k][1].group(0))
    out = list(texts)
    # Replace right to left so earlier offsets stay valid; draw alternatives left to right.
    picks = {k: rng.choice(table[found[k][1].group(0).casefold()]) for k in sorted(chosen)}
    for k in sorted(chosen, reverse=True):
        t, m = found[k]
        rep = picks[k]
        if m.group(0)[:1].isupper():
            rep = _cap(rep)
        out[t] = out[t][: m.start()] + rep + out[t][m.end():]
    return out


# -- rendering ----------------------------------------------------------------------------------


class _Renderer:
    """Turns the structure into text in one language, for one draft's numbering."""

    def __init__(self, lang: str, labels: dict[int, list[str]]) -> None:
        self.lang = lang
        self.li = _lang_index(lang)
        self.labels = labels

    def slot(self, name: str, values: dict[str, int], number: str) -> str:
        base, case = _split_field(name)
        if base == "poss":
            return "their" if number == "pl" else "its"
        if base in V.NUMBERS:
            return _number_text(V.NUMBERS[base][values[base]], self.lang)
        entry = _TABLES[base][values[base]]
        if base == "date":
            return entry[self.lang]
        return entry["en"] if self.lang == "en" else entry[case or "nom"]

    def fill(self, template: str, values: dict[str, int], number: str = "sg", **extra: str) -> str:
        parts: list[str] = []
        for literal, name, _, _ in _FORMATTER.parse(template):
            parts.append(literal)
            if name:
                parts.append(extra[name] if name in extra else self.slot(name, values, number))
        return "".join(parts)

    def ref_text(self, mod: _Mod) -> str:
        assert mod.ref is not None
        labels = self.labels.get(mod.ref)
        if mod.extra_refs:
            found = [label for uid in (mod.ref, *mod.extra_refs) for label in self.labels.get(uid, [])]
            labels = list(dict.fromkeys(found))  # parts of a split merged again are named once
        if not labels:
            return ""  # the point referred to is gone: the reference goes with it
        en_t, en_sg, en_pl, uk_t, uk_sg, uk_pl = V.REF_MODIFIERS[mod.idx]
        template, sg, pl = (en_t, en_sg, en_pl) if self.lang == "en" else (uk_t, uk_sg, uk_pl)
        if len(labels) == 1:
            ref = f"{sg} {labels[0]}"
        else:
            conj = " and " if self.lang == "en" else " і "
            ref = f"{pl} {', '.join(labels[:-1])}{conj}{labels[-1]}"
        return template.replace("{ref}", ref)

    def mods(self, clause: _Clause, number: str) -> list[str]:
        out = []
        for m in clause.mods:
            text = self.ref_text(m) if m.ref is not None else self.fill(V.MODIFIERS[m.idx][self.li], m.values, number)
            if text:
                out.append(text)
        return out

    def clause(self, c: _Clause, start: bool) -> str:
        li = self.li
        if c.kind == "duty":
            subj = V.SUBJECTS[c.subj]
            number = subj[f"{self.lang}_num"]
            modal = V.MODALS[self.lang][number][c.modal]
            action = self.fill(str(_topic(c.topic, "actions")[c.idx][li]), c.values, number)
            mods = self.mods(c, number)
            if c.front and mods and start:
                sep = ", " if self.lang == "en" else " "
                return _cap(mods[0]) + sep + " ".join([subj[f"{self.lang}_mid"], modal, action, *mods[1:]])
            first = subj[self.lang] if start else subj[f"{self.lang}_mid"]
            return " ".join([first, modal, action, *mods])
        if c.kind == "fact":
            text = self.fill(str(_topic(c.topic, "facts")[c.idx][li]), c.values).rstrip(".")
            return _cap(" ".join([text, *self.mods(c, "sg")]))
        if c.kind == "lead":
            lead = _topic(c.topic, "lead")
            assert isinstance(lead, tuple)
            return str(lead[li])
        if c.kind == "family":
            fam = V.FAMILIES[c.idx]
            text_pair = fam["text"]
            verb_pair = fam["verb"]
            assert isinstance(text_pair, tuple) and isinstance(verb_pair, tuple)
            extra: dict[str, str] = {}
            number = "sg"
            if c.subj >= 0:
                subj = V.SUBJECTS[c.subj]
                number = subj[f"{self.lang}_num"]
                extra["subj"] = subj[self.lang]
                extra["verb"] = verb_pair[0] if number == "sg" else verb_pair[1]
            return self.fill(str(text_pair[li]), c.values, number, **extra)
        if c.kind == "closing":
            return self.fill(V.CLOSING[c.idx][li], c.values, last=self.labels.get(-1, ["0"])[0])
        raise ValueError(c.kind)

    def sentence(self, clauses: list[_Clause], connective: bool) -> str:
        first = clauses[0]
        if connective and first.kind == "duty" and not first.front:
            text = V.CONNECTIVES[self.li] + " " + self.clause(first, start=False)
        else:
            text = self.clause(first, start=True)
        for c in clauses[1:]:
            text += (", and " if self.lang == "en" else ", а ") + self.clause(c, start=False)
        text = _cap(text)
        return text if text.endswith((".", ":")) else text + "."

    def point(self, p: _Point) -> DraftPoint:
        text = " ".join(self.sentence(s, k == p.connect) for k, s in enumerate(p.sentences))
        pool = _topic(p.topic, "items") if p.items else []
        items = [str(pool[i][self.li]) for i in p.items]
        items = [t + (";" if k < len(items) - 1 else ".") for k, t in enumerate(items)]
        if p.syn_share > 0:
            out = substitute([text, *items], self.lang, random.Random(p.syn_seed), p.syn_share, p.syn_by_matches)
            text, items = out[0], out[1:]
        return DraftPoint(text=text, items=tuple(items))


def _topic(topic: str, key: str) -> list[tuple[str, str]] | tuple[str, str]:
    value = V.TOPICS[topic][key]
    assert isinstance(value, (list, tuple))
    return value


# -- making the old draft and its revision ------------------------------------------------------


class _Maker:
    """Draws drafts and revisions from one random stream."""

    def __init__(self, rng: random.Random, rates: Rates, words: tuple[int, int]) -> None:
        self.rng = rng
        self.rates = rates
        self.words = words
        self.decks: dict[tuple[str, str], list[int]] = {}
        self.measure = _Renderer("en", {})

    # single pieces

    def draw(self, topic: str, kind: str) -> tuple[str, int]:
        """(topic, template index) of a kind not yet used in this pair: topic's own if it has one left.

        Real drafts do not repeat a provision's wording in another point (boilerplate aside, which
        the families model on purpose), so a template is used once per pair until all are used.
        """
        def deck(t: str) -> list[int]:
            cards = self.decks.get((t, kind))
            if cards is None:
                cards = list(range(len(_topic(t, kind))))
                self.rng.shuffle(cards)
                self.decks[(t, kind)] = cards
            return cards

        if not deck(topic):
            others = [t for t in _TOPIC_NAMES if deck(t)]
            if others:
                topic = self.rng.choice(others)
            else:
                for t in _TOPIC_NAMES:
                    del self.decks[(t, kind)]
        return topic, deck(topic).pop()

    def values(self, template: str, exclude_party: int = -1) -> dict[str, int]:
        out: dict[str, int] = {}
        for base in slot_bases(template):
            if base in V.NUMBERS:
                out[base] = self.rng.randrange(len(V.NUMBERS[base]))
            elif base == "party":
                choices = [k for k in range(len(V.PARTIES)) if k != exclude_party]
                out[base] = self.rng.choice(choices)
            else:
                out[base] = self.rng.randrange(len(_TABLES[base]))
        return out

    def duty(self, topic: str, avoid_subj: int = -1) -> _Clause:
        topic, idx = self.draw(topic, "actions")
        allowed = V.TOPICS[topic].get("subjects") or list(range(len(V.SUBJECTS)))
        assert isinstance(allowed, list)
        subjects = [s for s in allowed if s != avoid_subj] or allowed
        subj = self.rng.choice(subjects)
        party = int(V.SUBJECTS[subj]["party"])
        template = str(_topic(topic, "actions")[idx][0])
        return _Clause("duty", topic, idx, self.values(template, party), subj=subj, modal=self.rng.randrange(4))

    def sentence(self, topic: str) -> list[_Clause]:
        r = self.rng.random()
        if r < 0.25:
            topic, idx = self.draw(topic, "facts")
            return [_Clause("fact", topic, idx, self.values(str(_topic(topic, "facts")[idx][0])))]
        first = self.duty(topic)
        if r < 0.37:
            return [first, self.duty(topic, avoid_subj=first.subj)]
        return [first]

    def add_mod(self, clause: _Clause) -> bool:
        used = set(clause.values) | {b for m in clause.mods for b in m.values}
        taken = {m.idx for m in clause.mods if m.ref is None}
        allowed = range(len(V.MODIFIERS)) if clause.kind == "duty" else V.FACT_MODIFIERS
        choices = [
            k for k in allowed
            if k not in taken and not (set(slot_bases(V.MODIFIERS[k][0])) & used)
        ]
        if not choices:
            return False
        k = self.rng.choice(choices)
        party = int(V.SUBJECTS[clause.subj]["party"]) if clause.subj >= 0 else -1
        clause.mods.append(_Mod(k, self.values(V.MODIFIERS[k][0], party)))
        return True

    def target_words(self) -> int:
        lo, hi = self.words
        # Most provisions are short and a few run long: a skewed draw between lo and hi.
        return int(lo * (hi / lo) ** (self.rng.random() ** 1.6))

    def point(self, topic: str) -> _Point:
        target = self.target_words()
        # About 20 words a sentence before modifiers; modifiers make up the rest of the target.
        n = max(1, min(4, round(target / 22)))
        with_items = target >= 40 and self.rng.random() < self.rates.subpoints
        sentences: list[list[_Clause]] = []
        for _ in range(n - (1 if with_items else 0)):
            # Provisions mostly keep to their section's subject, with an occasional aside.
            t = topic if self.rng.random() < 0.9 else self.rng.choice(_TOPIC_NAMES)
            sentences.append(self.sentence(t))
        p = _Point(-1, topic, sentences)
        if with_items:
            p.sentences.append([_Clause("lead", topic, 0, {})])
            n_items = len(_topic(topic, "items"))
            p.items = sorted(self.rng.sample(range(n_items), self.rng.randint(2, min(5, n_items))))
        for _ in range(12):
            if _word_count(self.measure.point(p).text) + 4 * len(p.items) >= target:
                break
            open_clauses = [c for s in p.sentences for c in s if c.kind in ("duty", "fact") and len(c.mods) < 2]
            if not open_clauses or not self.add_mod(self.rng.choice(open_clauses)):
                break
        return p

    def families(self) -> list[tuple[list[_Point], bool]]:
        """Near-duplicate boilerplate families: (members, placed as one block)."""
        out = []
        count = self.rng.randint(*self.rates.families)
        for fam_no, fam_idx in enumerate(self.rng.sample(range(len(V.FAMILIES)), count)):
            fam = V.FAMILIES[fam_idx]
            vary = str(fam["vary"])
            template = fam["text"][0]  # type: ignore[index]
            size = self.rng.randint(*self.rates.family_size)
            shared = self.values(str(template))
            if vary == "subj":
                size = min(size, len(V.FAMILY_SUBJECTS))
                variants = self.rng.sample(V.FAMILY_SUBJECTS, size)
            elif vary == "port":
                variants = self.rng.sample(range(len(V.PORTS)), size)
            else:
                variants = sorted(self.rng.sample(range(len(V.NUMBERS["days"])), size))
            members = []
            for v in variants:
                values = dict(shared)
                subj = -1
                if vary == "subj":
                    subj = v
                else:
                    values[vary] = v
                clause = _Clause("family", "", fam_idx, values, subj=subj)
                members.append(_Point(-1, "implementation", [[clause]], family=fam_no))
            # "Under this section" boilerplate closes sections; the others may also stand together.
            block = vary != "days" and self.rng.random() < 0.5
            out.append((members, block))
        return out

    def old_draft(self, n_points: int) -> list[_Point]:
        families = self.families()
        n_family = sum(len(m) for m, _ in families)
        n_regular = max(1, n_points - 1 - n_family)
        topics: list[str] = []
        sections: list[list[_Point]] = []
        left = n_regular
        while left > 0:
            if not topics:
                topics = list(_TOPIC_NAMES)
                self.rng.shuffle(topics)
            topic = topics.pop()
            size = min(left, self.rng.randint(2, 7))
            sections.append([self.point(topic) for _ in range(size)])
            left -= size
        for members, block in families:
            if block:
                sections.insert(self.rng.randrange(len(sections) + 1), members)
            else:
                for m in members:
                    self.rng.choice(sections).append(m)
        points = [p for s in sections for p in s]
        closing = _Point(-1, "implementation", [[_Clause("closing", "", 0, {})], [_Clause("closing", "", 1, {})]], closing=True)
        points.append(closing)
        points = points[:n_points] if len(points) > n_points else points
        if not points[-1].closing:
            points[-1] = closing
        for uid, p in enumerate(points):
            p.uid = uid
        self.cross_references(points, points)
        return points

    def cross_references(self, points: Sequence[_Point], targets: Sequence[_Point]) -> None:
        pool = [t.uid for t in targets if t.family is None and not t.closing]
        for p in points:
            if p.family is not None or p.closing or self.rng.random() >= self.rates.xref:
                continue
            clauses = [c for s in p.sentences for c in s if c.kind in ("duty", "fact")]
            choices = [u for u in pool if u != p.uid and u not in p.sources]
            if clauses and choices:
                self.rng.choice(clauses).mods.append(_Mod(self.rng.randrange(len(V.REF_MODIFIERS)), {}, ref=self.rng.choice(choices)))

    # edits

    def reorder(self, p: _Point) -> bool:
        options: list[tuple[str, object]] = []
        body = [k for k, s in enumerate(p.sentences) if s[0].kind != "lead"]
        for s in p.sentences:
            if len(s) == 2:
                options.append(("swap-clauses", s))
            if s[0].kind == "duty" and s[0].mods:
                options.append(("front", s[0]))
        if len(body) >= 2:
            options.append(("swap-sentences", body))
        if not options:
            return False
        kind, target = self.rng.choice(options)
        if kind == "swap-clauses":
            assert isinstance(target, list)
            target.reverse()
        elif kind == "front":
            assert isinstance(target, _Clause)
            target.front = not target.front
        else:
            assert isinstance(target, list)
            k = self.rng.randrange(len(target) - 1)
            a, b = target[k], target[k + 1]
            p.sentences[a], p.sentences[b] = p.sentences[b], p.sentences[a]
        return True

    def body_count(self, p: _Point) -> int:
        return sum(1 for s in p.sentences if s[0].kind != "lead")

    def remove_sentence(self, p: _Point) -> bool:
        body = [k for k, s in enumerate(p.sentences) if s[0].kind != "lead"]
        if len(body) < 2:
            return False
        del p.sentences[self.rng.choice(body)]
        return True

    def add_sentence(self, p: _Point) -> None:
        body = self.body_count(p)
        p.sentences.insert(self.rng.randint(0, body), self.sentence(p.topic))

    def change_number(self, p: _Point, only: str | None = None) -> bool:
        holders: list[tuple[dict[str, int], str]] = []
        for s in p.sentences:
            for c in s:
                for holder in [c.values, *(m.values for m in c.mods)]:
                    for base in holder:
                        if (base in V.NUMBERS or base == "date") and (only is None or base == only):
                            holders.append((holder, base))
        if not holders:
            return False
        holder, base = self.rng.choice(holders)
        size = len(V.NUMBERS[base]) if base in V.NUMBERS else len(V.DATES)
        holder[base] = self.rng.choice([k for k in range(size) if k != holder[base]])
        return True

    def revise_kept(self, q: _Point) -> None:
        r = self.rates
        if self.rng.random() < r.reword:
            q.syn_seed = self.rng.getrandbits(32)
            q.syn_share = self.rng.uniform(*r.synonyms)
            q.notes.append(f"reword {q.syn_share:.2f}")
            if self.rng.random() < r.reorder and self.reorder(q):
                q.notes.append("reorder")
            removed = False
            if self.rng.random() < r.sentence_removed and self.remove_sentence(q):
                q.notes.append("-sentence")
                removed = True
            # Losing one sentence and gaining another rewrites a short point beyond recognition.
            if self.rng.random() < r.sentence_added and (not removed or self.body_count(q) >= 2):
                self.add_sentence(q)
                q.notes.append("+sentence")
            if q.items and self.rng.random() < 0.3:
                n_items = len(_topic(q.topic, "items"))
                unused = [i for i in range(n_items) if i not in q.items]
                if len(q.items) > 2 and (not unused or self.rng.random() < 0.5):
                    q.items.pop(self.rng.randrange(len(q.items)))
                elif unused:
                    q.items = sorted([*q.items, self.rng.choice(unused)])
                q.notes.append("sub-points")
        if self.rng.random() < r.numbers and self.change_number(q):
            q.notes.append("numbers")

    def revise_family(self, q: _Point, fam_reword: dict[int, tuple[int, float]], used: dict[int, set[int]]) -> None:
        assert q.family is not None
        clause = q.sentences[0][0]
        vary = str(V.FAMILIES[clause.idx]["vary"])
        if q.family in fam_reword:
            # A drafter rewording boilerplate rewords every copy alike.
            q.syn_seed, q.syn_share = fam_reword[q.family]
            q.syn_by_matches = True
            q.notes.append(f"family reword {q.syn_share:.2f}")
        if self.rng.random() < self.rates.numbers:
            if vary == "days":
                free = [k for k in range(len(V.NUMBERS["days"])) if k not in used[q.family]]
                if free:
                    clause.values["days"] = self.rng.choice(free)
                    used[q.family].add(clause.values["days"])
                    # Its distinguishing number changed: only its place tells it apart now.
                    q.movable = False
                    q.notes.append("family number")
            elif self.change_number(q):
                q.notes.append("numbers")

    def revise(self, old: list[_Point]) -> list[_Point]:
        rng, r = self.rng, self.rates
        n = len(old)
        next_uid = n
        dropped = {p.uid for p in old if not p.closing and rng.random() < r.drop}
        regular = [p for p in old if p.family is None and not p.closing and p.uid not in dropped]
        merge_of: dict[int, list[_Point]] = {}
        in_merge: set[int] = set()
        far_merges: set[int] = set()
        for k, p in enumerate(regular):
            if p.uid in in_merge or rng.random() >= r.merge:
                continue
            size = 3 if rng.random() < 0.2 else 2
            members = [p]
            skip = rng.random() < 0.25
            # (Drawn only when asked for, so that the presets without far merges draw as before.)
            far = r.far_merge > 0 and rng.random() < r.far_merge
            if far:
                # A part from 3–6 places down; the points between stay points of their own.
                q = next((q for q in regular[k + 1:] if 3 <= q.uid - p.uid and q.uid not in in_merge), None)
                if q is not None and q.uid - p.uid <= 6:
                    members.append(q)
                    far_merges.add(p.uid)
            for q in regular[k + 1:] if not far else ():
                if len(members) == size or q.uid - members[-1].uid > (2 if skip else 1):
                    break
                if q.uid not in in_merge:
                    members.append(q)
            # Sub-points end a point, so only the last member may have them.
            if len(members) >= 2 and not any(m.items for m in members[:-1]):
                merge_of[p.uid] = members
                in_merge.update(m.uid for m in members)
        split_into: dict[int, int] = {}
        for p in regular:
            if p.uid in in_merge or len(p.sentences) < 2 or rng.random() >= r.split:
                continue
            split_into[p.uid] = 3 if len(p.sentences) >= 3 and rng.random() < 0.3 else 2

        fam_reword: dict[int, tuple[int, float]] = {}
        used: dict[int, set[int]] = {}
        for p in old:
            if p.family is not None and p.family not in used:
                used[p.family] = set()
                if rng.random() < r.reword:
                    fam_reword[p.family] = (rng.getrandbits(32), rng.uniform(*r.synonyms))
            if p.family is not None:
                used[p.family].add(p.sentences[0][0].values.get("days", -1))

        new: list[_Point] = []
        for p in old:
            if p.uid in dropped or (p.uid in in_merge and p.uid not in merge_of):
                continue
            if p.uid in merge_of:
                members = merge_of[p.uid]
                m = _Point(next_uid, p.topic, [copy.deepcopy(s) for q in members for s in q.sentences])
                next_uid += 1
                m.items = list(members[-1].items)
                m.topic = members[-1].topic if m.items else p.topic
                m.sources = tuple(q.uid for q in members)
                if rng.random() < 0.5:
                    m.connect = len(members[0].sentences)
                m.syn_seed, m.syn_share = rng.getrandbits(32), rng.uniform(*r.part_synonyms)
                m.notes.append(f"merge of {len(members)}")
                if p.uid in far_merges:
                    m.notes.append("far merge")
                if r.part_synonyms[0] >= 0.3:
                    m.notes.append("reworded parts")
                m.movable = False
                new.append(m)
            elif p.uid in split_into:
                k = split_into[p.uid]
                cuts = sorted(rng.sample(range(1, len(p.sentences)), k - 1))
                bounds = [0, *cuts, len(p.sentences)]
                for a, b in itertools.pairwise(bounds):
                    part = _Point(next_uid, p.topic, copy.deepcopy(p.sentences[a:b]))
                    next_uid += 1
                    if b == len(p.sentences):
                        part.items = list(p.items)
                    part.sources = (p.uid,)
                    part.syn_seed, part.syn_share = rng.getrandbits(32), rng.uniform(*r.part_synonyms)
                    part.notes.append(f"split into {k}")
                    if r.part_synonyms[0] >= 0.3:
                        part.notes.append("reworded parts")
                    part.movable = False
                    new.append(part)
            else:
                q = copy.deepcopy(p)
                q.sources = (p.uid,)
                if q.family is not None:
                    self.revise_family(q, fam_reword, used)
                else:
                    self.revise_kept(q)
                if q.closing:
                    q.movable = False
                new.append(q)

        added: list[_Point] = []
        doc_topics = sorted({p.topic for p in old if p.family is None and not p.closing})
        for _ in range(sum(rng.random() < r.add for _ in range(n))):
            topic = rng.choice(doc_topics) if rng.random() < 0.7 else rng.choice(_TOPIC_NAMES)
            fresh = self.point(topic)
            fresh.uid = next_uid
            next_uid += 1
            fresh.notes.append("added")
            fresh.movable = False
            new.insert(rng.randrange(len(new)), fresh)  # never after the closing point
            added.append(fresh)
        self.cross_references(added, [p for p in old if p.uid not in dropped])

        for _ in range(sum(rng.random() < r.move for _ in range(n))):
            self.move_one(new)
        return new

    def move_one(self, new: list[_Point]) -> None:
        for _ in range(10):
            eligible = [k for k, q in enumerate(new) if q.movable and not q.moved and len(q.sources) == 1]
            if not eligible or len(new) < 6:
                return
            src = self.rng.choice(eligible)
            q = new.pop(src)
            # With ambiguous moves, half the moves go one or two places: a point swapped with its
            # neighbour is as much "the neighbour moved" as "it moved".
            short = self.rates.ambiguous_moves and self.rng.random() < 0.5
            if short:
                dst = min(max(src + self.rng.choice((-2, -1, 1, 2)), 0), len(new))
            else:
                dst = self.rng.randrange(len(new))
            if abs(dst - src) >= 3 or (short and dst != src):
                new.insert(dst, q)
                q.moved = True
                if moves_unambiguous(new):
                    q.notes.append("moved")
                    return
                if self.rates.ambiguous_moves:
                    q.notes.extend(("moved", "ambiguous move"))
                    return
                new.pop(dst)
                q.moved = False
            new.insert(src, q)


def _ending_lengths(values: Sequence[int]) -> list[int]:
    """For each element, the length of the longest strictly increasing subsequence ending there."""
    # Patience sorting: tails[k] is the smallest value that ends an increasing run of length k + 1,
    # so the run ending at v is one longer than the runs whose tails are below v.
    tails: list[int] = []
    out = []
    for v in values:
        k = bisect.bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
        else:
            tails[k] = v
        out.append(k + 1)
    return out


def _through_lengths(values: Sequence[int]) -> list[int]:
    """For each element, the length of the longest strictly increasing subsequence through it."""
    # O(n log n): it runs once per attempted move, and a 500-point draft tries dozens of moves.
    end = _ending_lengths(values)
    # A run starting at i and rising to the right is, read backwards, a run of -values ending at i.
    start = _ending_lengths([-v for v in reversed(values)])[::-1]
    return [e + s - 1 for e, s in zip(end, start)]


def moves_unambiguous(new: Sequence[_Point]) -> bool:
    """True when the points not moved form the one longest in-order run of links.

    Links are ordered the way plancmp orders them (first old point, then first new point), and a
    move counts only if every in-order reading of the alignment must leave the moved point out.
    """
    firsts: dict[tuple[int, ...], tuple[int, bool]] = {}
    for j, q in enumerate(new):
        if q.sources:
            key = q.sources
            if key not in firsts:
                firsts[key] = (j, q.moved)
    links = sorted((min(key), j, moved) for key, (j, moved) in firsts.items())
    values = [j for _, j, _ in links]
    fixed = [j for _, j, moved in links if not moved]
    if any(b <= a for a, b in itertools.pairwise(fixed)):
        return False
    through = _through_lengths(values)
    best = max(through, default=0)
    return best == len(fixed) and all(t < best for t, (_, _, moved) in zip(through, links) if moved)


# -- assembling a pair --------------------------------------------------------------------------


def _labels(points: Sequence[_Point], old: bool) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for j, p in enumerate(points):
        for uid in ([p.uid] if old else p.sources):
            out.setdefault(uid, []).append(str(j + 1))
    out[-1] = [str(len(points) - 1)]  # the closing point counts the points before it
    return out


def _render(points: Sequence[_Point], lang: str, labels: dict[int, list[str]], title: str) -> Draft:
    renderer = _Renderer(lang, labels)
    return Draft(
        title=title,
        preamble=V.PREAMBLE[_lang_index(lang)],
        points=tuple(renderer.point(p) for p in points),
        language=lang,
    )


def draft_text(draft: Draft) -> str:
    """The draft as plain text: title, blank line, preamble, then one paragraph per point."""
    lines = [draft.title, "", draft.preamble, ""]
    for k, p in enumerate(draft.points, 1):
        lines.append(f"{k}. {p.text}")
        lines.extend(f"   {draft.sub_label(i)} {t}" for i, t in enumerate(p.items, 1))
        lines.append("")
    return "\n".join(lines)


def draft_markdown(draft: Draft) -> str:
    """The draft as Markdown: a heading, the preamble, an ordered list with nested sub-point bullets."""
    lines = [f"# {draft.title}", "", draft.preamble, ""]
    for k, p in enumerate(draft.points, 1):
        marker = f"{k}. "
        lines.append(marker + p.text)
        # A nested list belongs to the item only when indented to the item's text ("100. " is 5 wide).
        lines.extend(" " * len(marker) + f"- {draft.sub_label(i)} {t}" for i, t in enumerate(p.items, 1))
        lines.append("")
    return "\n".join(lines)


def _gold(old: Sequence[_Point], new: Sequence[_Point]) -> tuple[list[GoldGroup], list[str], set[Link]]:
    by_source: dict[tuple[int, ...], list[int]] = {}
    for j, q in enumerate(new):
        if q.sources:
            by_source.setdefault(q.sources, []).append(j)
    seen: set[int] = set()
    for key in by_source:
        assert not seen & set(key), "an old point feeds two groups"
        seen.update(key)
    entries: list[tuple[tuple[float, int], GoldGroup, str]] = []
    group_key_of_new: dict[int, float] = {}
    for key, js in by_source.items():
        notes = sorted({n for j in js for n in new[j].notes})
        if any(old[u].family is not None for u in key):
            notes.append("boilerplate")
        for j in js:
            group_key_of_new[j] = float(min(key))
        group = (tuple(str(u + 1) for u in key), tuple(str(j + 1) for j in js))
        entries.append(((float(min(key)), 0), group, " ".join(notes) or "unchanged"))
    for p in old:
        if p.uid not in seen:
            note = "dropped" + (" boilerplate" if p.family is not None else "")
            entries.append(((float(p.uid), 0), ((str(p.uid + 1),), ()), note))
    last = -1.0
    for j, q in enumerate(new):
        if j in group_key_of_new:
            last = group_key_of_new[j]
        elif not q.sources:
            entries.append(((last + 0.5, j), ((), (str(j + 1),)), "added"))
    entries.sort(key=lambda e: e[0])
    moved = {(str(q.sources[0] + 1), str(j + 1)) for j, q in enumerate(new) if q.moved}
    return [g for _, g, _ in entries], [n for _, _, n in entries], moved


def generate_pair(
    seed: int,
    n_points: int,
    language: Language = "en",
    difficulty: Difficulty = "hard",
    *,
    rates: Rates | None = None,
    words: tuple[int, int] = (20, 200),
) -> SynthPair:
    """An old and a new draft of about n_points points with their gold alignment, the same for a seed."""
    if language not in ("en", "uk"):
        raise ValueError(f"language must be 'en' or 'uk', not {language!r}")
    chosen = rates or PRESETS[difficulty]
    for attempt in range(50):
        # One stream per (seed, attempt); nothing global, so pairs do not depend on call order.
        rng = random.Random(seed * 1009 + attempt)
        maker = _Maker(rng, chosen, words)
        old = maker.old_draft(max(3, n_points))
        new = maker.revise(old)
        title_old, title_new = V.TITLES[rng.randrange(len(V.TITLES))]
        li = _lang_index(language)
        old_draft = _render(old, language, _labels(old, True), title_old[li])
        new_draft = _render(new, language, _labels(new, False), title_new[li])
        # Two copies of one text in a draft would make the gold a matter of opinion.
        if len(set(old_draft.points)) < len(old_draft.points) or len(set(new_draft.points)) < len(new_draft.points):
            continue
        gold, notes, moved = _gold(old, new)
        identical = {
            (o[0], n[0])
            for o, n in gold
            if len(o) == 1 and len(n) == 1 and old_draft.points[int(o[0]) - 1] == new_draft.points[int(n[0]) - 1]
        }
        return SynthPair(
            seed=seed,
            language=language,
            difficulty=difficulty if rates is None else "custom",
            old=old_draft,
            new=new_draft,
            old_text=draft_text(old_draft),
            new_text=draft_text(new_draft),
            gold=gold,
            moved=moved,
            identical=identical,
            notes=notes,
        )
    raise RuntimeError(f"seed {seed}: no pair without duplicate points in 50 attempts")


# -- chains of drafts ---------------------------------------------------------------------------

ChainIds = tuple[tuple[str, ...], ...]
"""A lineage: for each draft in order, the top-level ids the point carries there (empty: absent)."""


@dataclass(frozen=True)
class SynthChain:
    """Drafts revised one after another, with the gold of each step and the gold lineages."""

    seed: int
    """The seed it was made from."""
    language: str
    """"en" or "uk"."""
    difficulty: str
    """"easy" or "hard" (or "custom" when rates were given)."""
    drafts: tuple[Draft, ...]
    """The drafts, oldest first."""
    texts: tuple[str, ...]
    """The drafts as plain text."""
    steps: tuple[list[GoldGroup], ...]
    """For each step (draft k → k + 1), its gold alignment as generate_pair gives it."""
    lineages: list[ChainIds]
    """Every top-level point of every draft in exactly one lineage: the connected components of
    the steps' gold links, ordered by the draft and place where each starts."""


def _successors(points: Sequence[_Point]) -> dict[int, list[int]]:
    """Uid of the draft before → the positions of the points it became in this one."""
    out: dict[int, list[int]] = {}
    for j, p in enumerate(points):
        for uid in p.sources:
            out.setdefault(uid, []).append(j)
    return out


def _as_old(points: list[_Point]) -> None:
    """Make a revision the draft the next revision starts from: uids are places again, refs follow."""
    after = _successors(points)
    for p in points:
        for sentence in p.sentences:
            for clause in sentence:
                kept = []
                for mod in clause.mods:
                    if mod.ref is not None:
                        targets = [j for uid in (mod.ref, *mod.extra_refs) for j in after.get(uid, [])]
                        targets = list(dict.fromkeys(targets))
                        if not targets:
                            continue  # its target was dropped: the text already lost the reference
                        mod.ref, mod.extra_refs = targets[0], tuple(targets[1:])
                    kept.append(mod)
                clause.mods = kept
    for j, p in enumerate(points):
        # revise() expects an old draft's uids to be its places (merges join neighbours by uid).
        p.uid = j
        p.sources = ()
        p.moved = False
        p.movable = True
        p.notes = []


def compose_lineages(sizes: Sequence[int], steps: Sequence[Sequence[GoldGroup]]) -> list[ChainIds]:
    """The lineages of a chain from its steps' gold: connected components across the drafts."""
    sets: UnionFind[tuple[int, str]] = UnionFind((k, str(j)) for k, size in enumerate(sizes) for j in range(1, size + 1))
    for k, gold in enumerate(steps):
        for old_ids, new_ids in gold:
            members = [(k, o) for o in old_ids] + [(k + 1, n) for n in new_ids]
            for other in members[1:]:
                sets.union(members[0], other)
    lineages = []
    for nodes in sets.sets().values():
        start = min(nodes, key=lambda n: (n[0], int(n[1])))
        ids = tuple(
            tuple(sorted((pid for k, pid in nodes if k == d), key=int)) for d in range(len(sizes))
        )
        lineages.append(((start[0], int(start[1])), ids))
    return [ids for _, ids in sorted(lineages)]


def generate_chain(
    seed: int,
    n_points: int,
    n_drafts: int,
    language: Language = "en",
    difficulty: Difficulty = "hard",
    *,
    rates: Rates | None = None,
    words: tuple[int, int] = (20, 200),
) -> SynthChain:
    """n_drafts drafts, each a revision of the one before, with the gold lineages; the same for a seed."""
    if language not in ("en", "uk"):
        raise ValueError(f"language must be 'en' or 'uk', not {language!r}")
    if n_drafts < 2:
        raise ValueError("a chain needs at least two drafts")
    chosen = rates or PRESETS[difficulty]
    li = _lang_index(language)
    for attempt in range(50):
        # Its own stream, apart from generate_pair's: chain seed 7 is not pair seed 7 extended.
        rng = random.Random(f"chain {seed} {attempt}")
        maker = _Maker(rng, chosen, words)
        current = maker.old_draft(max(3, n_points))
        titles = [V.TITLES[rng.randrange(len(V.TITLES))][0][li]]
        drafts = [_render(current, language, _labels(current, True), titles[0])]
        steps: list[list[GoldGroup]] = []
        for _ in range(n_drafts - 1):
            new = maker.revise(current)
            title = V.TITLES[rng.randrange(len(V.TITLES))][1][li]
            drafts.append(_render(new, language, _labels(new, False), title))
            steps.append(_gold(current, new)[0])
            _as_old(new)
            current = new
        # Two copies of one text in a draft would make the gold a matter of opinion.
        if any(len(set(d.points)) < len(d.points) for d in drafts):
            continue
        return SynthChain(
            seed=seed,
            language=language,
            difficulty=difficulty if rates is None else "custom",
            drafts=tuple(drafts),
            texts=tuple(draft_text(d) for d in drafts),
            steps=tuple(steps),
            lineages=compose_lineages([len(d.points) for d in drafts], steps),
        )
    raise RuntimeError(f"seed {seed}: no chain without duplicate points in 50 attempts")


def write_chain(chain: SynthChain, folder: str | Path) -> list[Path]:
    """Write the chain's drafts as draft1.txt, draft2.txt, … in folder; return their paths."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"draft{k}.txt" for k in range(1, len(chain.texts) + 1)]
    for path, text in zip(paths, chain.texts):
        path.write_text(text, encoding="utf-8")
    return paths


# -- writing files ------------------------------------------------------------------------------


def _docx_builder() -> object | None:
    """tests/docx_build.py, when it is there (it builds DOCX files with Word list numbering)."""
    import importlib

    # bench/ and tests/ sit side by side at the repository root, which is on sys.path whenever
    # `bench` itself could be imported.
    if not (Path(__file__).resolve().parent.parent / "tests" / "docx_build.py").exists():
        return None
    return importlib.import_module("tests.docx_build")


def docx_available() -> bool:
    """True when DOCX drafts can be written (tests/docx_build.py exists)."""
    return _docx_builder() is not None


def write_pair(pair: SynthPair, folder: str | Path, fmt: str = "txt") -> tuple[Path, Path]:
    """Write the pair as old.<fmt> and new.<fmt> ("txt", "md" or "docx") in folder; return both paths."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = (out / f"old.{fmt}", out / f"new.{fmt}")
    for draft, path in zip((pair.old, pair.new), paths):
        if fmt == "txt":
            path.write_text(draft_text(draft), encoding="utf-8")
        elif fmt == "md":
            path.write_text(draft_markdown(draft), encoding="utf-8")
        elif fmt == "docx":
            _write_docx(draft, path)
        else:
            raise ValueError(f"unknown format {fmt!r}; use txt, md or docx")
    return paths


def _write_docx(draft: Draft, path: Path) -> None:
    builder = _docx_builder()
    if builder is None:
        raise RuntimeError("tests/docx_build.py is missing; DOCX drafts cannot be written")
    # Word's automatic numbering carries the labels: points on level 0 ("1."), sub-points on
    # level 1 ("a)" in English, "1)" in Ukrainian); no label is typed into the text.
    sub = ("decimal", "%2)") if draft.language == "uk" else ("lowerLetter", "%2)")
    lists = {"main": (("decimal", "%1."), sub, ("lowerRoman", "(%3)"))}
    items: list[tuple[object, ...]] = [("title", draft.title), ("para", draft.preamble)]
    for p in draft.points:
        items.append(("num", 0, p.text))
        items.extend(("num", 1, t) for t in p.items)
    builder.build_docx(items, path, lists=lists)  # type: ignore[attr-defined]


def iter_ids(gold: Iterable[GoldGroup]) -> tuple[list[str], list[str]]:
    """Every old id and every new id the gold names, in gold order."""
    olds = [o for g in gold for o in g[0]]
    news = [n for g in gold for n in g[1]]
    return olds, news
