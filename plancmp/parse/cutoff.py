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
    sentences = [p for p in points if not p.children and len(_WORDS.findall(p.text)) >= _MIN_WORDS]
    # A term sheet that never ends its points with a full stop says nothing by leaving one out.
    punctuated = 2 * sum(1 for p in sentences if _FINAL.search(p.text)) >= len(sentences)
    out = []
    for k, p in enumerate(points):
        text = p.text.rstrip()
        if not text:
            continue
        if _ELLIPSIS.search(text):
            out.append(p)
            continue
        if p.children or _FINAL.search(text) or _CLOSED.search(text) or _LIST_ITEM.search(text):
            continue
        words = _WORDS.findall(text)
        if words[-1:] and words[-1].casefold() in _DANGLING or (
            punctuated and k + 1 < len(points) and len(words) >= _MIN_WORDS
        ):
            out.append(p)
    return tuple(out)


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
