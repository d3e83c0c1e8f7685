"""Plain-text drafts: one line at a time into blocks for the outline builder."""

from __future__ import annotations

import re
from collections.abc import Iterator

from plancmp.model import Document, Format
from plancmp.numbering import BULLET_RE, match_labels
from plancmp.parse.outline import RULE_RE, SENTENCE_END, Block, BlockKind, build_document

_HEADING_MAX = 80


def _indent(raw: str) -> int:
    width = 0
    for ch in raw:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += 4
        else:
            break
    return width


def _is_heading(line: str, next_line: str | None) -> bool:
    """A short line standing alone, with no sentence punctuation at its end: a title or heading."""
    if next_line is not None and next_line.strip() and not match_labels(next_line):
        return False
    if not re.search(r"[^\W\d_]", line):
        return False
    if line.isupper() and len(line) <= 2 * _HEADING_MAX:
        return True
    if len(line) > _HEADING_MAX or len(line.split()) > 12:
        return False
    return not line.endswith((".", ",", ";", ":", "!", "?", "…"))


_LINE_END = re.compile(r"\r\n|\r|\n")


def _lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) pairs. Form feeds, vertical tabs, U+2028 and the like break lines as
    str.splitlines() has them do, but do not count as lines: editors, and the line numbers in
    warnings, count only CR and LF (a pdftotext page break "\\f" would shift every later line)."""
    out: list[tuple[int, str]] = []
    for number, physical in enumerate(_LINE_END.split(text), start=1):
        out.extend((number, piece) for piece in physical.splitlines() or [""])
    return out


def text_blocks(text: str) -> Iterator[Block]:
    """The blocks of a plain-text draft: labelled lines, wrapped lines, paragraphs, headings."""
    numbered = _lines(text)
    lines = [line for _, line in numbered]
    prev_blank = True
    prev_line = ""
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            prev_blank = True
            continue
        number = numbered[index][0]
        indent = _indent(raw)
        next_line = lines[index + 1] if index + 1 < len(lines) else None
        labels = match_labels(line)
        if RULE_RE.match(line):
            yield Block(line, number, BlockKind.RULE, indent=indent)
            prev_blank, prev_line = True, ""
            continue
        elif labels:
            soft = not prev_blank and not prev_line.endswith(SENTENCE_END)
            yield Block(line, number, BlockKind.PARAGRAPH, labels=labels, soft=soft, indent=indent)
        elif BULLET_RE.match(line):
            yield Block(line, number, BlockKind.BULLET, indent=indent)
        elif not prev_blank:
            yield Block(line, number, BlockKind.CONTINUATION, indent=indent)
        elif _is_heading(line, next_line):
            yield Block(line, number, BlockKind.HEADING, indent=indent)
        else:
            yield Block(line, number, BlockKind.PARAGRAPH, indent=indent)
        prev_blank = False
        prev_line = line


def read_text(text: str, source: str, bullets: bool = False) -> Document:
    """Read a decoded plain-text draft into a Document (bullets: its bulleted lines are the points)."""
    return build_document(text_blocks(text), source, Format.TEXT, bullets=bullets)
