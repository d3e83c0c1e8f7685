"""Word-level edits: diff-match-patch run over words rather than characters, grouped into hunks.

Each distinct token is mapped to one code point, as diff-match-patch's line mode does for lines,
with semantic cleanup and no time budget, so the result never depends on how busy the machine is.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from plancmp.model import Edit, EditOp

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


def _diff_symbols(a: str, b: str) -> list[tuple[int, int, int]]:
    """diff-match-patch on two symbol strings, semantic cleanup, no time budget: [(op, start, length)],
    each run of symbols found where it starts in a (kept and deleted symbols) or in b (inserted).

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
        runs = [(op, len(text)) for op, text in diffs]
    else:
        runs = [(_FAST_OPS[op], length) for op, length in fast_diff(a, b, timelimit=0, checklines=False, cleanup="Semantic")]
    out = []
    i = j = 0
    for op, length in runs:
        if op == 0:
            out.append((0, i, length))
            i += length
            j += length
        elif op == -1:
            out.append((-1, i, length))
            i += length
        else:
            out.append((1, j, length))
            j += length
    return out


_FAST_OPS = {"=": 0, "-": -1, "+": 1}
"""fast_diff_match_patch's operations as diff-match-patch's numbers."""


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
    # A symbol stands for the piece at its place: a run of symbols is a run of pieces.
    return [
        (_OPS[op], "".join((new_parts if op == 1 else old_parts)[start:start + length]))
        for op, start, length in _diff_symbols(a, b)
        if length
    ]


def _merged(runs: Iterable[tuple[EditOp, str]]) -> tuple[Edit, ...]:
    # Each edit made once, at the end: a rewrite's points hold a hundred runs each.
    ops: list[EditOp] = []
    texts: list[str] = []
    for op, text in runs:
        if not text:
            continue
        if ops and ops[-1] is op:
            texts[-1] += text
        else:
            ops.append(op)
            texts.append(text)
    return tuple(map(Edit, ops, texts))


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
    old_start: int = 0
    """Offset in the old text where the hunk starts."""
    new_start: int = 0
    """Offset in the new text where the hunk starts."""


def hunks(edits: Sequence[Edit]) -> list[Hunk]:
    """The edits grouped into hunks, each with the shared text around it and where it starts."""
    out: list[Hunk] = []
    equal, delete = EditOp.EQUAL, EditOp.DELETE
    n = len(edits)
    i = old_at = new_at = 0
    while i < n:
        edit = edits[i]
        if edit.op is equal:
            old_at += len(edit.text)
            new_at += len(edit.text)
            i += 1
            continue
        before = edits[i - 1].text if i > 0 else ""
        old_parts: list[str] = []
        new_parts: list[str] = []
        while i < n and (edit := edits[i]).op is not equal:
            (old_parts if edit.op is delete else new_parts).append(edit.text)
            i += 1
        hunk = Hunk("".join(old_parts), "".join(new_parts), before, edit.text if i < n else "", old_at, new_at)
        out.append(hunk)
        old_at += len(hunk.old)
        new_at += len(hunk.new)
    return out


_CLAUSE_MARKS = ",;:.!?)]—–"

_INITIALS = re.compile(r"(?:[^\W\d_]\.){2,}")
_ABBREVIATIONS = frozenset(
    "No. Nos. Art. art. Arts. arts. Para. para. Paras. paras. Sec. sec. Ch. ch. Vol. vol. St. Mr. Mrs. Ms. Dr. cf. vs. "
    "approx. ст. п. пп. ч. стст. ст.ст.".split()
)
"""Words that end in a dot and end no sentence, as written: "Resolution No. 5", "St. Petersburg",
"ст. 5" (but "no." ends one: "the answer is no.")."""


def _initials(w: str) -> int:
    """How long the initials or the abbreviation word w starts with are ("U.S." in "U.S.,": 4, "No."
    in "No.": 3), 0 where it starts with none."""
    m = _INITIALS.match(w)
    if m:
        return m.end()
    dot = w.find(".")
    return dot + 1 if dot > 0 and w[: dot + 1] in _ABBREVIATIONS else 0


def _clause_stop(w: str, at: int = 0) -> int:
    """Where in word w (from at) punctuation that ends it begins, or a dash inside it ("Ukraine—except"):
    the clause ends there; -1 where none does (a dot inside a number, "2.5", ends nothing, nor do
    the dots of initials, "U.S.").
    String methods, not a pattern: it is asked of every word of every quote."""
    dash = -1
    if "—" in w or "–" in w:
        dash = min((d for d in (w.find("—", at), w.find("–", at)) if d >= 0), default=-1)
    if w[-1:] in _CLAUSE_MARKS and len(w) > at:
        trail = max(at, len(w.rstrip(_CLAUSE_MARKS)))
        if w[trail] == ".":
            trail = max(trail, _initials(w))
            if trail == len(w):
                return dash
        return trail if dash < 0 else min(trail, dash)
    return dash


_WORD_AT = re.compile(r"\S+")
_CLAUSE_WORDS = 10
"""Words a quoted clause runs to at most after what it quotes."""
_CLAUSE_BEFORE = 3
"""Words of its clause a quote takes before what it quotes."""
_LIST_MARKS = frozenset("-–—•")
_CLOSE = re.compile(r"[)\]]")
_GLANCE_BACK, _REACH_BACK = 80, 300
"""Characters read back for the words before a quote: first a few, then more where those hold
too few words (the first word read may be cut, so one more is read than is taken)."""


def clause_end(text: str, start: int) -> tuple[int, bool]:
    """Where the clause running on at start ends, its punctuation left out: at a line break, a dash,
    or a word that punctuation ends; or after ten words, and True then (the quote is cut: "…").
    An aside in brackets that closes within those words is part of the clause ("shall not
    (subject to Article 4) withdraw"); one that does not ends it."""
    end, inside = start, False
    words = list(itertools.islice(_WORD_AT.finditer(text, start), _CLAUSE_WORDS + 1))
    line_end = text.find("\n", start)
    for k, word in enumerate(words):
        w = word.group()
        if 0 <= line_end < word.start() or (w in _LIST_MARKS and not inside):
            return end, False  # the next item of a list, a dash between spaces
        if k == _CLAUSE_WORDS:
            return end, True
        if w[0] in "([" and not inside:
            if not any(_CLOSE.search(v.group()) for v in words[k:_CLAUSE_WORDS]):
                return end, False  # an aside that runs on past the quote
            inside = True
        if inside:
            closed = _CLOSE.search(w)
            if closed is not None:
                inside = False
                stop = _clause_stop(w, closed.end())
                if stop >= 0:  # "4)," ends the aside and the clause
                    return word.start() + stop, False
            end = word.end()
            continue
        stop = _clause_stop(w)
        if stop >= 0:
            return word.start() + stop, False
        end = word.end()
    return end, False


def quote_clause(text: str, start: int, end: int) -> str:
    """text[start:end] quoted in its clause: up to three words before it (not past punctuation, a
    line break or a list's dash), and the rest of the clause after it (clause_end); "…" where the
    clause goes on. "Foreign troops shall not be stationed on the territory of Ukraine", not
    "remain. Troops shall not be stationed on"."""
    begin, cut_before = start, False
    # The few words before it, read from a short stretch (it is asked for every change of
    # obligation in a point), or a longer one where its words are long.
    before = list(_WORD_AT.finditer(text, max(0, start - _GLANCE_BACK), start))
    if start > _GLANCE_BACK and len(before) < _CLAUSE_BEFORE + 2:
        before = list(_WORD_AT.finditer(text, max(0, start - _REACH_BACK), start))
    line_start = text.rfind("\n", 0, start)
    for k, word in enumerate(reversed(before)):
        w = word.group()
        if word.end() <= line_start or (w[-1] in ",;:.!?" and _initials(w) != len(w)) or w in _LIST_MARKS:
            break
        if k == _CLAUSE_BEFORE:
            cut_before = True
            break
        begin = word.start()
    return ("… " if cut_before else "") + quoted_clause(text, begin, end)


_OPENS_LIST = re.compile(
    r"(?i):[^\S\n]*(?:\n\s*(?:[-–—•*]|\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-zа-яі]|[ivx]{1,4})[.)])|\(?(?:[a-zа-яі]|[ivx]{1,4})\))[^\S\n]+"
)
"""A colon, and the mark of the list item after it: on the next line ("-", "a)", "(ii)", "1.1."),
or on the same ("if: (a) …")."""


def quoted_clause(text: str, begin: int, at: int, limit: int | None = None) -> str:
    """text from begin to the end of the clause running on at `at` (clause_end), or to limit where
    that comes first, on one line, "…" where it goes on. A clause that opens a list ("if:" above
    its items) runs on into the first item: "if: Russia withdraws …", not "if"; one whose items
    are points of their own, "if: …"."""
    stop, cut = clause_end(text, at)
    if limit is not None and limit < stop:
        stop, cut = limit, False
    words = " ".join(text[begin:stop].split())
    if text.startswith(":", stop) and not text[stop + 1:].strip():
        return f"{words}: …"
    item = _OPENS_LIST.match(text, stop)
    if item is None:
        return words + (" …" if cut else "")
    item_end, _ = clause_end(text, item.end())
    first = " ".join(text[item.end():item_end].split())
    return f"{words}: {first} …" if first else f"{words}: …"


def hunk_clauses(old: str, new: str, h: Hunk) -> tuple[str, str]:
    """The hunk's two sides quoted in their clauses (quote_clause): old and new are the texts its
    offsets are in."""
    return (quote_clause(old, h.old_start, h.old_start + len(h.old)),
            quote_clause(new, h.new_start, h.new_start + len(h.new)))


def hunk_context(h: Hunk, side: str) -> str:
    """The hunk's words on one side with a few shared words around them, for a readable change."""
    mid = h.old if side == "old" else h.new
    before_words, after_words = h.before.split()[-3:], h.after.split()[:3]
    # Spaced as in the text: "created, and the", not "created , and the".
    before = " ".join(before_words) + (" " if h.before[-1:].isspace() else "") if before_words else ""
    after = (" " if h.after[:1].isspace() else "") + " ".join(after_words) if after_words else ""
    return " ".join((before + mid + after).split())
