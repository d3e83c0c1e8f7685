"""Points that seem cut off mid-sentence: "point 12 seems cut off".

A point copied out of a PDF or an e-mail often loses its end. The reader says so, and the diff
stage (plancmp.diff.cutoff) does not count the words it lost as removed.
"""

from __future__ import annotations

import re

from plancmp.model import Document, Point

_ELLIPSIS = re.compile(r"(?:…|\.\.\.|[\[(]\s*(?:…|\.\.\.)\s*[\])])\s*$")
_FINAL = re.compile(r"[.!?;:…][\"'”’»)\]¹²³\u2070-\u2079*†‡]*\s*$")
"""A sentence's end, closing quotes and brackets, and footnote marks ("signed.¹"), allowed after it."""
_CLOSED = re.compile(r"[\])]\s*$")
"""A point that ends on a bracket ("[jointly by Ukraine and the United States]") ends as it meant to."""
_LIST_ITEM = re.compile(r"(?i)(?:,|;\s*(?:and|or|and/or|та|і|й|або|и|или))\s*$")
"""A list item ends on a comma, or a semicolon and "and"/"or": "a) the removal of measures; and".
(", and" is no list's end: "… within 60 days, and" lost what came next.)"""
_DANGLING = frozenset(
    """the a an of to and or in on at by for with from that which whose than as into onto upon between among
    including such its their his her our this these those is are was were be been will shall would should
    may must can not nor but if unless whether
    і й та або чи але що який яка які якщо до від на в у з із зі за по при для без про між через його її їх
    и или но что который которая которые если от во с со для между его ее её""".split()
)
"""Words no sentence ends on: a point ending "… described in" lost its last words."""
_WORDS = re.compile(r"\w+")
_MIN_WORDS = 4
"""Fewer words without a full stop make a heading ("Security guarantees"), not a broken sentence."""


def cut_off_points(doc: Document) -> tuple[Point, ...]:
    """The points (any depth) whose text seems cut off: it ends on an ellipsis or on a word no
    sentence ends on, or — in a draft whose points end with full stops — without one while
    another point follows."""
    points = list(doc.walk())
    # Only a point's last words and whether it has a few words at all matter: the patterns are
    # run on its end and its start, not over the whole of a long point.
    tails = [_tail_of(p.text) for p in points]
    long_enough = [_has_words(p.text) for p in points]
    sentences = [k for k, p in enumerate(points) if not p.children and long_enough[k]]
    # A term sheet that never ends its points with a full stop says nothing by leaving one out.
    punctuated = 2 * sum(1 for k in sentences if _FINAL.search(tails[k])) >= len(sentences)
    out = []
    for k, p in enumerate(points):
        text = tails[k]
        if not text:
            continue
        if _ELLIPSIS.search(text):
            out.append(p)
            continue
        if p.children or _FINAL.search(text) or _CLOSED.search(text) or _LIST_ITEM.search(text):
            continue
        words = _WORDS.findall(text)
        if words[-1:] and words[-1].casefold() in _DANGLING or (
            punctuated and k + 1 < len(points) and long_enough[k]
        ):
            out.append(p)
    return tuple(out)


_TAIL = 200
"""Characters at a point's end that decide whether it ends as a sentence does."""


def _tail_of(text: str) -> str:
    """The end of a point's text (right-stripped), long enough for every end pattern here."""
    return text[-_TAIL - 50:].rstrip()[-_TAIL:] if len(text) > _TAIL + 50 else text.rstrip()


def _has_words(text: str) -> bool:
    """Whether the text has at least _MIN_WORDS words (a heading has fewer)."""
    return any(found >= _MIN_WORDS for found, _ in enumerate(_WORDS.finditer(text), 1))


def cut_off_warnings(doc: Document) -> tuple[str, ...]:
    """One warning per point that seems cut off: "28-point.txt:40: point 12 seems cut off (it ends "…described in")"."""
    return tuple(
        f"{doc.source}:{p.line}: point {p.id} seems cut off (it ends “…{_tail(p.text)}”); "
        "what it lost is not counted as removed"
        for p in cut_off_points(doc)
    )


def _tail(text: str) -> str:
    words = text.split()
    return " ".join(words[-5:])
