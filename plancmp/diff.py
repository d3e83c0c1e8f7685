"""What changed inside aligned points: word-level edits, and the substantive changes called out.

Word edits come from diff-match-patch run over words rather than characters (each distinct
token mapped to one code point, as its line mode does for lines), with semantic cleanup and no
time budget, so the result never depends on how busy the machine is.

Substantive changes are what negotiators read first: numbers and quantities, deadlines,
obligation strength and negation, the parties a point names, and cross-references — the last
split into references that merely follow a renumbered target and references that really changed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from plancmp.model import BRACKETED, Change, ChangeKind, Edit, EditOp
from plancmp.normalise import normalise_text, shorten

# -- word-level edits ---------------------------------------------------------------------------

_TOKEN = re.compile(
    r"\d+(?:[,.\u00a0\u202f ]\d{3})*(?:[.,]\d+)?"  # numbers whole: 600,000 · 800 000 · 2.5
    r"|\w+(?:['’]\w+)*"  # words, with inner apostrophes
    r"|\s+"  # runs of white space
    r"|[^\w\s]",  # any other single character (punctuation, emoji, combining marks)
)


def tokenize(text: str) -> list[str]:
    """Split text into words, numbers, white-space runs and single other characters; joins back exactly."""
    return _TOKEN.findall(text)


def _encode(tokens: Sequence[str], table: dict[str, str]) -> str:
    """One code point per distinct token, numbered in first-seen order (deterministic)."""
    for tok in dict.fromkeys(tokens):
        if tok not in table:
            code = len(table) + 0x100
            # Surrogate code points cannot stand alone in a str that diff-match-patch slices.
            if code >= 0xD800:
                code += 0x800
            table[tok] = chr(code)
    return "".join(map(table.__getitem__, tokens))


def _diff_symbols(a: str, b: str) -> list[tuple[int, str]]:
    """diff-match-patch on two symbol strings, semantic cleanup, no time budget: [(op, symbols)].

    The C++ build of the same library (fast_diff_match_patch) is used when it is installed: it
    runs the same algorithm with the same cleanup and gives the same edits, several times faster.
    """
    try:
        from fast_diff_match_patch import diff as fast_diff
    except ImportError:  # pragma: no cover - the pure-Python library is the fallback
        from diff_match_patch import diff_match_patch

        dmp = diff_match_patch()
        dmp.Diff_Timeout = 0
        diffs = dmp.diff_main(a, b, False)
        dmp.diff_cleanupSemantic(diffs)
        return [(op, text) for op, text in diffs]
    out = []
    i = j = 0
    for op, length in fast_diff(a, b, timelimit=0, checklines=False, cleanup="Semantic"):
        if op == "=":
            out.append((0, a[i:i + length]))
            i += length
            j += length
        elif op == "-":
            out.append((-1, a[i:i + length]))
            i += length
        else:
            out.append((1, b[j:j + length]))
            j += length
    return out


_WORD_LIMIT = 6000
"""Most tokens (both sides) diffed word by word in one go; diff-match-patch with no time budget is
quadratic in the worst case, so longer texts are diffed by sentence first."""
_SENTENCES = re.compile(r"[^.!?;\n]*[.!?;\n]*\s*")
_OPS = {0: EditOp.EQUAL, 1: EditOp.INSERT, -1: EditOp.DELETE}


def sentences(text: str) -> list[str]:
    """Text cut after each sentence end (and line break), keeping every character: they join back."""
    return [part for part in _SENTENCES.findall(text) if part]


def _symbol_edits(old_parts: Sequence[str], new_parts: Sequence[str]) -> list[tuple[EditOp, str]]:
    """diff-match-patch over sequences of pieces (words or sentences), as (op, text) runs."""
    table: dict[str, str] = {}
    a, b = _encode(old_parts, table), _encode(new_parts, table)
    decode = {ch: tok for tok, ch in table.items()}
    return [(_OPS[op], "".join(decode[ch] for ch in chars)) for op, chars in _diff_symbols(a, b) if chars]


def _merged(runs: Iterable[tuple[EditOp, str]]) -> tuple[Edit, ...]:
    edits: list[Edit] = []
    for op, text in runs:
        if not text:
            continue
        if edits and edits[-1].op is op:
            edits[-1] = Edit(op, edits[-1].text + text)
        else:
            edits.append(Edit(op, text))
    return tuple(edits)


def word_edits(old: str, new: str) -> tuple[Edit, ...]:
    """Word-level edits turning old into new (equal and delete runs rebuild old; equal and insert, new)."""
    if old == new:
        return (Edit(EditOp.EQUAL, old),) if old else ()
    old_tokens, new_tokens = tokenize(old), tokenize(new)
    if len(old_tokens) + len(new_tokens) <= _WORD_LIMIT:
        return _merged(_symbol_edits(old_tokens, new_tokens))
    # A very long point: sentences first, as diff-match-patch's own line mode does with lines,
    # then words inside each changed stretch. A stretch still too long to diff word by word is
    # shown replaced whole, so the time stays bounded whatever the input.
    old_sentences, new_sentences = sentences(old), sentences(new)
    if len(old_sentences) + len(new_sentences) > _WORD_LIMIT:
        return _merged([(EditOp.DELETE, old), (EditOp.INSERT, new)])
    runs: list[tuple[EditOp, str]] = []
    pending_old: list[str] = []
    pending_new: list[str] = []

    def flush() -> None:
        block_old, block_new = "".join(pending_old), "".join(pending_new)
        if block_old and block_new and len(tokenize(block_old)) + len(tokenize(block_new)) <= _WORD_LIMIT:
            runs.extend(_symbol_edits(tokenize(block_old), tokenize(block_new)))
        else:
            runs.extend([(EditOp.DELETE, block_old), (EditOp.INSERT, block_new)])
        pending_old.clear()
        pending_new.clear()

    for op, text in _symbol_edits(old_sentences, new_sentences):
        if op is EditOp.EQUAL:
            flush()
            runs.append((op, text))
        else:
            (pending_old if op is EditOp.DELETE else pending_new).append(text)
    flush()
    return _merged(runs)


def old_side(edits: Iterable[Edit]) -> str:
    """The old text the edits were made from."""
    return "".join(e.text for e in edits if e.op is not EditOp.INSERT)


def new_side(edits: Iterable[Edit]) -> str:
    """The new text the edits lead to."""
    return "".join(e.text for e in edits if e.op is not EditOp.DELETE)


@dataclass(frozen=True)
class Hunk:
    """A run of deletions and insertions between two stretches of shared text."""

    old: str
    """What the old text had here."""
    new: str
    """What the new text has here."""
    before: str
    """Shared text just before the hunk."""
    after: str
    """Shared text just after the hunk."""


def hunks(edits: Sequence[Edit]) -> list[Hunk]:
    """The edits grouped into hunks, each with the shared text around it."""
    out: list[Hunk] = []
    i = 0
    while i < len(edits):
        if edits[i].op is EditOp.EQUAL:
            i += 1
            continue
        before = edits[i - 1].text if i > 0 else ""
        old_parts: list[str] = []
        new_parts: list[str] = []
        while i < len(edits) and edits[i].op is not EditOp.EQUAL:
            (old_parts if edits[i].op is EditOp.DELETE else new_parts).append(edits[i].text)
            i += 1
        after = edits[i].text if i < len(edits) else ""
        out.append(Hunk("".join(old_parts), "".join(new_parts), before, after))
    return out


# -- cross-references ---------------------------------------------------------------------------

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


def _reference_changes(old: str, new: str, id_map: Mapping[str, Sequence[str]]) -> list[Change]:
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


# -- deadlines and quantities -------------------------------------------------------------------

_NUM = r"\d+(?:[,.\u00a0\u202f ]\d{3})*(?:[.,]\d+)?"
_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|sixty|ninety|hundred"
)
_PERIOD = (
    r"(?:hours?|days?|weeks?|months?|years?|"
    r"годин[иу]?|дн(?:ів|і|я)|день|тиж(?:нів|ні|день)|місяц(?:ів|ь|і)|рок(?:ів|и|у)|"
    r"час(?:ов|а)?|дн(?:ей|я)|недел(?:ь|я|и)|месяц(?:ев|а)?|лет|год(?:а)?)(?!\w)"
)
_DEADLINE = re.compile(
    # Every alternative starts with one of these letters; the lookahead skips other positions fast.
    r"(?=[wiabnudfoWIABNUDFOпвчндязксПВЧНДЯЗКС])"
    rf"(?i:\b(?:within|in|after|before|no later than|not later than|by|up to|during|for)\s+"
    rf"(?:the\s+)?(?:{_NUM}|{_NUMBER_WORDS}|a|an)\s*(?:-\s*)?{_PERIOD}(?:\s+(?:after|of|from|following)\s+(?:the\s+|this\s+|its\s+)?\w+)?"
    rf"|\b(?:протягом|впродовж|через|не пізніше ніж|не пізніше|до|в течение|через|не позднее|в срок)\s+"
    rf"(?:{_NUM})\s*{_PERIOD}"
    r"|\b(?:as soon as (?:possible|practicable)|immediately|without delay|forthwith|in due course|"
    r"upon signing|on signing|at signing|upon signature|on the (?:signing|signature) date|"
    r"якнайшвидше|невідкладно|негайно|якомога швидше|з моменту підписання|"
    r"как можно скорее|незамедлительно|немедленно|с момента подписания)\b"
    r"|\b(?:by|before|until|no later than)\s+(?:\d{1,2}\s+)?(?:January|February|March|April|May|June|July|"
    r"August|September|October|November|December)(?:\s+\d{1,2},?)?(?:\s+\d{4})?"
    r"|\b(?:by|before|until|in)\s+(?:19|20)\d{2}\b)"
)
_CURRENCY = r"(?:[$€£₴₽]|US\$|USD|EUR|UAH)"
_SCALE = r"(?:bn|billion|million|mn|m|k|thousand|trillion|млрд|млн|тис\.?)"
_QUANTITY = re.compile(
    # The lookahead lets the engine skip, cheaply, every position where no quantity can start.
    rf"(?<![^\W\d_])(?=[\d$€£₴₽]|US\$|USD|EUR|UAH)(?:{_CURRENCY}\s?)?{_NUM}(?:\s?(?:%|per\s?cent|percent|відсотк(?:ів|и)|процент(?:ов)?))?"
    rf"(?:\s?{_SCALE}\b)?(?:[:/]{_NUM})?"
    rf"(?:\s+(?:(?:troops|soldiers|personnel|people|kilometres|kilometers|km|miles|drones|brigades|"
    rf"prisoners|dollars|euros|військовослужбовців|осіб|кілометрів|км|доларів|євро)\b|"
    # A span of time that is no deadline ("the past 30 years") keeps its unit too.
    rf"{_PERIOD}))?"
)


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


def _spans(pattern: re.Pattern[str], text: str, skip: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    found = []
    for m in pattern.finditer(text):
        if any(a <= m.start() < b or a < m.end() <= b for a, b in skip):
            continue
        if m.group(0).strip():
            found.append((m.start(), m.end(), m.group(0).strip()))
    return found


def _key(phrase: str) -> str:
    # 50:50 and 50/50 are one ratio written two ways.
    return normalise_text(phrase).replace("\u00a0", " ").replace("/", ":")


def _pair_up(old: list[str], new: list[str]) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """Old-only and new-only phrases, paired in order; leftovers returned as removed/added."""
    co, cn = Counter(_key(x) for x in old), Counter(_key(x) for x in new)
    common = co & cn
    only_old, only_new = [], []
    seen_old, seen_new = Counter[str](), Counter[str]()
    for x in old:
        k = _key(x)
        seen_old[k] += 1
        if seen_old[k] > common[k]:
            only_old.append(x)
    for x in new:
        k = _key(x)
        seen_new[k] += 1
        if seen_new[k] > common[k]:
            only_new.append(x)
    pairs = list(zip(only_old, only_new))
    return pairs, only_old[len(pairs):], only_new[len(pairs):]


def _is_vague(deadline: str) -> bool:
    return not re.search(r"\d|" + _NUMBER_WORDS + r"|January|February|March|April|May|June|July|August|"
                         r"September|October|November|December", deadline, re.IGNORECASE)


def _deadline_changes(old_d: list[str], new_d: list[str]) -> list[Change]:
    pairs, removed, added = _pair_up(old_d, new_d)
    out = []
    for a, b in pairs:
        if not _is_vague(a) and _is_vague(b):
            out.append(Change(ChangeKind.DEADLINE, a, b, f"deadline removed: {a} → {b}"))
        elif _is_vague(a) and not _is_vague(b):
            out.append(Change(ChangeKind.DEADLINE, a, b, f"deadline set: {a} → {b}"))
        else:
            out.append(Change(ChangeKind.DEADLINE, a, b, f"deadline: {a} → {b}"))
    out.extend(Change(ChangeKind.DEADLINE, a, "", f"deadline removed: {a}") for a in removed)
    out.extend(Change(ChangeKind.DEADLINE, "", b, f"deadline added: {b}") for b in added)
    return out


def _quantity_changes(old: str, new: str, skip_old: list[tuple[int, int]], skip_new: list[tuple[int, int]]) -> list[Change]:
    if not _DIGIT.search(old) and not _DIGIT.search(new):
        return []
    old_q = [p for _, _, p in _spans(_QUANTITY, old, skip_old)]
    new_q = [p for _, _, p in _spans(_QUANTITY, new, skip_new)]
    pairs, removed, added = _pair_up(old_q, new_q)
    out = [Change(ChangeKind.NUMBER, a, b, f"{a} → {b}") for a, b in pairs]
    out.extend(Change(ChangeKind.NUMBER, a, "", f"{a} removed") for a in removed)
    out.extend(Change(ChangeKind.NUMBER, "", b, f"{b} added") for b in added)
    return out


# -- obligations, negation, parties --------------------------------------------------------------

STRONG_MODALS = frozenset(
    "shall must will undertakes undertake commits commit obliged required guarantees guarantee "
    "зобов'язується зобов'язуються зобов’язується зобов’язуються повинен повинна повинні мусить "
    "обязуется обязуются должен должна должны обязан обязана обязаны зобов'язані зобов’язані "
    "зобов'язаний зобов’язаний зобов'язана зобов’язана".split()
)
WEAK_MODALS = frozenset(
    "may should could might can consider considers endeavour endeavours endeavor endeavors seek seeks "
    "encouraged invited aim aims може можуть слід варто прагне прагнуть може розглянути "
    "может могут следует стремится стремятся рассмотрит вправі вправе".split()
)
NEGATIONS = frozenset("not no never neither nor without не ні ніколи без ни никогда".split())

PARTIES: dict[str, tuple[str, ...]] = {
    "Russia": ("russia", "russian federation", "moscow", "росія", "російська федерація", "россия", "российская федерация"),
    "Ukraine": ("ukraine", "kyiv", "україна", "україни", "україну", "києв", "украина", "украины", "украину"),
    "United States": ("united states", "us", "u.s.", "usa", "washington", "сша", "штати"),
    "Europe": ("europe", "european union", "eu", "european", "європа", "євросоюз", "єс", "европа", "евросоюз", "ес"),
    "NATO": ("nato", "north atlantic", "нато"),
    "United Kingdom": ("united kingdom", "uk", "britain", "велика британія", "великобритания"),
    "France": ("france", "франція", "франция"),
    "Germany": ("germany", "німеччина", "германия"),
    "Poland": ("poland", "польща", "польша"),
    "China": ("china", "китай"),
    "Turkey": ("turkey", "türkiye", "туреччина", "турция"),
    "United Nations": ("united nations", "un", "оон"),
    "IAEA": ("iaea", "магате"),
    "World Bank": ("world bank", "світовий банк", "всемирный банк"),
}
_ALIAS_WORDS = re.compile(r"\w+")
# Aliases as word sequences ("united states" → ("united", "states")), looked up by their first
# word: a text is split into words once and scanned with dictionary lookups, not regexes.
_ALIASES: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _name, _aliases in PARTIES.items():
    for _alias in _aliases:
        _words = tuple(w.casefold() for w in _ALIAS_WORDS.findall(_alias))
        _ALIASES.setdefault(_words[0], []).append((_words, _name))
for _entries in _ALIASES.values():
    _entries.sort(key=lambda e: -len(e[0]))
_SHORT_CAPS = {"us", "un", "eu", "uk"}


def parties_named(text: str) -> set[str]:
    """The parties a text names, by their canonical names."""
    raw = _ALIAS_WORDS.findall(text)
    folded = [w.casefold() for w in raw]
    found = set()
    for i, word in enumerate(folded):
        for words, name in _ALIASES.get(word, ()):
            if tuple(folded[i:i + len(words)]) != words:
                continue
            # "US" the country is upper case; "us" the pronoun is not.
            if len(words) == 1 and word in _SHORT_CAPS and not raw[i].isupper():
                continue
            found.add(name)
            break
    return found


def _hunk_words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"\w+(?:['’]\w+)*", text)]


def hunk_context(h: Hunk, side: str) -> str:
    """The hunk's words on one side with a few shared words around them, for a readable change."""
    mid = h.old if side == "old" else h.new
    before_words, after_words = h.before.split()[-3:], h.after.split()[:3]
    # Spaced as in the text: "created, and the", not "created , and the".
    before = " ".join(before_words) + (" " if h.before[-1:].isspace() else "") if before_words else ""
    after = (" " if h.after[:1].isspace() else "") + " ".join(after_words) if after_words else ""
    return " ".join((before + mid + after).split())


_NOT_NEGATION = re.compile(
    r"(?i)\b(?:no|not)\s+(?:more|less|fewer|later|earlier|sooner)\s+than\b|"
    r"\bне\s+(?:більше|менше|пізніше|раніше|більш|более|менее|позднее|позже|раньше)\b|"
    r"\bnot\s+only\b|\bno\s+(?:one|doubt)\b"
)
"""Phrases with "no"/"not" that set a limit or emphasise, not negate."""
_LOCAL_HUNK = 8
"""Hunks of more words than this are rewrites: a shall→may or a "not" inside them says little."""


_NEITHER_NOR = re.compile(r"(?i)\bneither\b(.*?)\bnor\b|\bни\b(.*?)\bни\b")


def _negations(text: str) -> int:
    # "neither … nor" is one negation, however many parties it lists.
    words = _hunk_words(_NEITHER_NOR.sub(r" not \1 \2 ", _NOT_NEGATION.sub(" ", text)))
    return sum(1 for w in words if w in NEGATIONS)


_MODAL_OR_NEGATION = re.compile(
    r"(?i)(?<!\w)(?:" + "|".join(sorted(map(re.escape, STRONG_MODALS | WEAK_MODALS | NEGATIONS), key=len, reverse=True)) + r")(?!\w)"
)


def _modal_changes(old: str, new: str, changed: Sequence[Hunk]) -> list[Change]:
    out = []
    negation_shift: int | None = None
    for h in changed:
        # Most hunks hold no modal verb and no negation: one search rules them out.
        if not _MODAL_OR_NEGATION.search(h.old) and not _MODAL_OR_NEGATION.search(h.new):
            continue
        if negation_shift is None:
            # Counted over the whole texts once, and only for a point that has such a hunk.
            negation_shift = _negations(new) - _negations(old)
        ow, nw = _hunk_words(h.old), _hunk_words(h.new)
        if len(ow) > _LOCAL_HUNK or len(nw) > _LOCAL_HUNK:
            continue
        strong_o = [w for w in ow if w in STRONG_MODALS]
        strong_n = [w for w in nw if w in STRONG_MODALS]
        weak_o = [w for w in ow if w in WEAK_MODALS]
        weak_n = [w for w in nw if w in WEAK_MODALS]
        if strong_o and weak_n and not strong_n:
            out.append(Change(ChangeKind.OBLIGATION, hunk_context(h, "old"), hunk_context(h, "new"),
                              f"obligation weakened: {strong_o[0]} → {weak_n[0]}"))
        elif weak_o and strong_n and not weak_n:
            out.append(Change(ChangeKind.OBLIGATION, hunk_context(h, "old"), hunk_context(h, "new"),
                              f"obligation strengthened: {weak_o[0]} → {strong_n[0]}"))
        # Only where the texts as a whole gained or lost a negation: rewording "neither … nor"
        # into "never" is not a change of meaning.
        if not negation_shift or not NEGATIONS.intersection(ow + nw):
            continue
        local_shift = _negations(h.new) - _negations(h.old)
        if negation_shift > 0 and local_shift > 0:
            out.append(Change(ChangeKind.NEGATION, hunk_context(h, "old"), hunk_context(h, "new"),
                              f"negation added: {hunk_context(h, 'new')}"))
            negation_shift -= local_shift
        elif negation_shift < 0 and local_shift < 0:
            out.append(Change(ChangeKind.NEGATION, hunk_context(h, "old"), hunk_context(h, "new"),
                              f"negation removed: {hunk_context(h, 'old')}"))
            negation_shift -= local_shift
    return out


_ALIAS_VOCABULARY = frozenset(w for entries in _ALIASES.values() for words, _ in entries for w in words)
"""Every word of every party alias, case-folded."""


def _near_a_party(changed: Sequence[Hunk]) -> bool:
    """Whether any change could name or unname a party: a word of an alias inside it, or just
    beside it (aliases are at most two words, so one that forms or breaks across a change has a
    word on one side of it)."""
    for h in changed:
        words = _ALIAS_WORDS.findall(h.old) + _ALIAS_WORDS.findall(h.new)
        words += _ALIAS_WORDS.findall(h.before[-80:])[-1:] + _ALIAS_WORDS.findall(h.after[:80])[:1]
        if any(w.casefold() in _ALIAS_VOCABULARY for w in words):
            return True
    return False


def _party_changes(old: str, new: str) -> list[Change]:
    before, after = parties_named(old), parties_named(new)
    out = [Change(ChangeKind.PARTY, p, "", f"party no longer named: {p}") for p in sorted(before - after)]
    out.extend(Change(ChangeKind.PARTY, "", p, f"party now named: {p}") for p in sorted(after - before))
    return out


def _bracket_changes(old: str, new: str) -> list[Change]:
    """Text newly put in brackets (not agreed), brackets lifted (agreed), bracketed options dropped."""
    old_b = [m.group(0) for m in BRACKETED.finditer(old)]
    new_b = [m.group(0) for m in BRACKETED.finditer(new)]
    pairs, removed, added = _pair_up(old_b, new_b)
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


_CONTEXT = 60
"""Characters of shared text kept around each hunk when looking for numbers and deadlines."""


def _windows(changed: Sequence[Hunk]) -> tuple[str, str]:
    """The changed stretches of both sides, each with a little shared text around it.

    A number or deadline that lies wholly in shared text is on both sides and cannot have
    changed, so only these windows need scanning; both sides get the same shared context, cut
    at the same spaces, so what the context holds cancels out.
    """
    old_parts, new_parts = [], []
    for h in changed:
        before = h.before[-_CONTEXT:]
        if len(h.before) > _CONTEXT and " " in before:
            before = before[before.index(" ") + 1:]
        after = h.after[:_CONTEXT]
        if len(h.after) > _CONTEXT and " " in after:
            after = after[: after.rindex(" ")]
        old_parts.append(before + h.old + after)
        new_parts.append(before + h.new + after)
    return "\n\n".join(old_parts), "\n\n".join(new_parts)


def substantive_changes(
    old: str,
    new: str,
    edits: Sequence[Edit],
    id_map: Mapping[str, Sequence[str]],
    whole: tuple[str, str] | None = None,
) -> tuple[Change, ...]:
    """The changes negotiators read first, in a fixed order: numbers, deadlines, obligations, parties,
    brackets, references. whole: the points' full texts, when old and new are only their own words."""
    if normalise_text(old) == normalise_text(new):
        # The same words; only a reference that stayed put while its target moved can be wrong.
        return _counted(_reference_changes(old, new, id_map)) if id_map and _DIGIT.search(old) else ()
    changed = hunks(edits)
    old_win, new_win = _windows(changed)
    refs_old = _named_spans(old_win)
    refs_new = _named_spans(new_win)
    deadlines_old = _spans(_DEADLINE, old_win, refs_old)
    deadlines_new = _spans(_DEADLINE, new_win, refs_new)
    changes: list[Change] = []
    changes += _quantity_changes(
        old_win, new_win, refs_old + [(a, b) for a, b, _ in deadlines_old], refs_new + [(a, b) for a, b, _ in deadlines_new]
    )
    changes += _deadline_changes([p for _, _, p in deadlines_old], [p for _, _, p in deadlines_new])
    changes += _modal_changes(old, new, changed)
    # A party named in a sub-point is still named by the point: compare the whole points (the
    # edits do not cover the sub-points then, so they cannot say the names stayed the same).
    if whole is not None or _near_a_party(changed):
        changes += _party_changes(*(whole or (old, new)))
    changes += _bracket_changes(old, new)
    changes += _reference_changes(old, new, id_map)
    return _counted(changes)


def _counted(changes: list[Change]) -> tuple[Change, ...]:
    """One entry per distinct change, with how often it occurs: "$100bn removed (×2)"."""
    counts = Counter(changes)
    out = []
    for change in dict.fromkeys(changes):
        n = counts[change]
        out.append(change if n == 1 else Change(change.kind, change.old, change.new, f"{change.summary} (×{n})",
                                                change.substantive))
    return tuple(out)


def only_references_changed(old: str, new: str, id_map: Mapping[str, Sequence[str]]) -> bool:
    """True when the texts differ only in references that follow their renumbered targets."""
    return normalise_text(retarget(old, id_map)) == normalise_text(new)
