"""PDF drafts: the text layer's glyphs → lines in reading order → blocks for the outline builder.

The PDF reader only does what is particular to a printed page; which line starts which point is
decided by the same label grammar (numbering.match_labels) and outline builder (outline.py) that
read plain text, so a draft reads the same whether it arrives as .txt, .docx or .pdf.

Steps, page by page:

* glyphs are gathered with their boxes and font sizes; runs of glyphs drawn side by side form
  the units of layout;
* a column gutter is an x band that no run crosses, with runs on both sides on several lines;
  lines that cross it span the page (a title over two columns) and are read in place, the
  lines between them column by column;
* runs on one baseline make a line; a space is put where the gap between glyphs is wider than
  a tenth of an em (PDFs often draw no space glyph), and after a label at a line start ("10.The"
  where Word's tab left only half a point);
* running headers and footers (the same words, digits aside, at the same height on at least 40%
  of the pages, in the top or bottom eighth of the page) and lone page numbers ("7", "- 7 -",
  "Page 7 of 9") are page furniture: outside the points, kind "page";
* footnotes are the lines at the foot of a page (of a column) in a smaller size than the body,
  the first starting with a marker ("1", "*", "†"); they are kept outside the points, kind
  "footnote", marker first. A superscript in the body that repeats a marker of that page is the
  footnote's reference: it is taken out of the point's text (as the .docx reader leaves Word's
  footnote references out), the footnote standing for it;
* then, over the whole document in reading order, lines are joined into paragraphs: a label,
  a bullet, a wider gap than the line spacing, a change of size or weight, a line that does not
  start where the paragraph's lines start, or a previous line that ended with room for this
  line's first word all start a new block. A word hyphenated at a line end is joined back when
  the hyphen is a soft one (U+00AD) or the joined word occurs elsewhere in the document (and the
  hyphenated spelling does not), and keeps its hyphen otherwise ("non-aggression");
* indentation is the second signal for sub-point levels: a label that restarts at 1 further right
  than the earlier labels of its form (a "1." list inside point 2) opens a level of its own.

Faithfulness: every non-blank character of the text layer lands in exactly one place (a label,
a point's text, or outside text, page furniture and footnotes included), with two exceptions that
are counted and reported as consumed (`PdfReading.consumed`): the hyphen of a word joined back
across a line end, and a footnote reference mark, which the footnote carrying the same marker
stands for.

Why pdfplumber: measured by bench/bench_pdf.py on the same layouts, pdfplumber (through its
pdfminer.six engine) gives every glyph's box and font size, which the steps above need — column
gutters, the gap of a tab after "10.", superscript footnote references, footnote sizes — while
pypdf reports a text operator's start point and font size only, so line ends, gaps and glyph
sizes must be guessed. Both are MIT/BSD-licensed. pdfplumber's per-character dictionaries cost
twice the parsing itself, so the reader walks the pdfminer layout objects that pdfplumber's
`Page.layout` returns instead.
"""

from __future__ import annotations

import io
import re
import signal
import statistics
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from plancmp.errors import FormatError, InputError, PlancmpError
from plancmp.model import Document, Format, Outside, OutsideKind, Point
from plancmp.numbering import BULLET_RE, Label, match_labels
from plancmp.parse.outline import SENTENCE_END, Block, BlockKind, build_document

MAX_PAGES = 2_000
"""Most pages plancmp reads from one PDF: a long treaty with its annexes runs to a few hundred."""
PAGE_SECONDS = 10.0
"""Longest a single page may take to read; a page drawn with millions of operators is refused."""

_HYPHENS = "-\u2010\u00ad"
_SOFT_HYPHEN = "\u00ad"
_PAGE_NUMBER = re.compile(
    r"(?i)^(?:(?:page|p\.|pg\.|стор(?:інка)?\.?|страница|стр\.?|с\.)\s*)?[-–—]?\s*"
    r"(?:\d{1,4}|[ivxlc]{1,7})\s*[-–—]?(?:\s*(?:of|/|з|із|из)\s*\d{1,4})?$"
)
_MARKER = re.compile(r"^(\d{1,3}|[*†‡§¶]{1,3})(?=\s|[^\W\d_]|$)")
_WORD = re.compile(r"[^\W\d_]+(?:[-\u2010][^\W\d_]+)*")
_BOLD = re.compile(r"(?i)bold|heavy|black|semibold|demi")


# -- glyphs, runs, lines ------------------------------------------------------------------------


@dataclass
class _Glyph:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass
class _Run:
    """Glyphs drawn one after another on one baseline."""

    glyphs: list[_Glyph]
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    def add(self, g: _Glyph) -> None:
        self.glyphs.append(g)
        self.x0 = min(self.x0, g.x0)
        self.x1 = max(self.x1, g.x1)
        self.top = min(self.top, g.top)
        self.bottom = max(self.bottom, g.bottom)


@dataclass
class _Line:
    """One line of text in reading order, with what layout says about it."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    page: int
    column: int
    """0 for a line spanning the page, 1 and 2 for the left and right column."""
    sup: list[tuple[int, int]] = field(default_factory=list)
    """(start, end) offsets in text of superscript glyphs (footnote references, ordinals)."""
    number: int = 0
    """Position in reading order over the whole document."""
    col_left: float = 0.0
    col_right: float = 0.0


@dataclass
class _Page:
    number: int
    height: float
    body: list[_Line]
    furniture: list[_Line]
    footnotes: list[_Line]
    chars: Counter[str]


def _runs(glyphs: Sequence[_Glyph]) -> list[_Run]:
    """Group glyphs, in drawing order, into runs that share a baseline and follow each other."""
    runs: list[_Run] = []
    cur: _Run | None = None
    for g in glyphs:
        if cur is not None:
            last = cur.glyphs[-1]
            em = max(last.size, g.size, 1.0)
            if (
                abs(g.bottom - last.bottom) < 0.2 * em
                and abs(g.size - last.size) < 0.15 * em
                and -0.3 * em < g.x0 - last.x1 < 1.0 * em
            ):
                cur.add(g)
                continue
        cur = _Run([g], g.x0, g.x1, g.top, g.bottom, g.size)
        runs.append(cur)
    return runs


def _gutter(runs: Sequence[_Run], left: float, right: float) -> tuple[float, float] | None:
    """An x band in the middle of the text that few runs cross (a running header, a title over
    both columns), with text on both sides of it on at least five lines: the space between two
    columns."""
    width = right - left
    if width <= 0 or len(runs) < 10:
        return None
    lo, hi = left + 0.25 * width, left + 0.75 * width
    bins = int(hi - lo) + 1
    covered = [0] * bins
    for r in runs:
        a, b = max(int(r.x0 - lo), 0), min(int(r.x1 - lo) + 1, bins)
        for k in range(a, b):
            covered[k] += 1
    best: tuple[int, int] | None = None
    start = None
    # The gutter is where the fewest runs cross, and only runs that span both columns do.
    least = min(covered)
    if least > max(2, len(runs) // 10):
        return None
    for k in range(bins + 1):
        empty = k < bins and covered[k] <= least
        if empty and start is None:
            start = k
        elif not empty and start is not None:
            if best is None or k - start > best[1] - best[0]:
                best = (start, k)
            start = None
    if best is None:
        return None
    g0, g1 = lo + best[0], lo + best[1]
    sizes = [r.size for r in runs]
    em = statistics.median(sizes)
    if g1 - g0 < 0.8 * em:
        return None
    # Text on both sides, on many lines: an indent margin has text on one side only.
    left_lines = {round(r.bottom) for r in runs if r.x1 <= g0 and r.x1 > g0 - 4 * em}
    right_lines = {round(r.bottom) for r in runs if r.x0 >= g1}
    left_wide = sum(1 for r in runs if r.x1 <= g0 and r.x1 - r.x0 > 0.25 * width)
    if len(left_lines) < 5 or len(right_lines) < 5 or left_wide < 3:
        return None
    return g0, g1


def _line_text(glyphs: list[_Glyph], size: float) -> tuple[str, list[tuple[int, int]], bool]:
    """The glyphs of one line, left to right, as text; spaces where the gaps are; superscripts."""
    out: list[str] = []
    sup: list[tuple[int, int]] = []
    length = 0
    baseline = statistics.median(g.bottom for g in glyphs if g.size >= 0.8 * size) if any(
        g.size >= 0.8 * size for g in glyphs) else glyphs[0].bottom
    prev: _Glyph | None = None
    for g in glyphs:
        if prev is not None and g.text != " " and (not out or not out[-1].endswith(" ")):
            gap = g.x0 - prev.x1
            em = max(prev.size, g.size)
            wide = gap > 0.1 * em
            # A label at the line start followed by the tab Word left after it ("10.The"): the
            # tab may leave only half a point, less than a kerned pair moves letters apart.
            after_label = gap > 0.03 * em and _label_prefix("".join(out))
            if wide or after_label:
                out.append(" ")
                length += 1
        raised = g.size < 0.8 * size and g.bottom < baseline - 0.15 * size
        if raised and g.text.strip():
            if sup and sup[-1][1] == length:
                sup[-1] = (sup[-1][0], length + len(g.text))
            else:
                sup.append((length, length + len(g.text)))
        out.append(g.text)
        length += len(g.text)
        prev = g
    text = "".join(out)
    bold = sum(1 for g in glyphs if g.bold and g.text.strip()) > 0.8 * max(1, sum(1 for g in glyphs if g.text.strip()))
    return text, sup, bold


def _label_prefix(text: str) -> bool:
    """Whether text (a line so far) is exactly a label, as in "10." or "(iv)"."""
    labels = match_labels(text + " x")
    return bool(labels) and labels[0].text == text.strip() and text == text.lstrip()


def _lines(runs: list[_Run], page: int, column: int) -> list[_Line]:
    """Runs of one column (or of the spanning part) grouped into lines, top to bottom."""
    # Full-size runs first, so that a line's height comes from its body text, not a superscript.
    ordered = sorted(runs, key=lambda r: (r.top, r.x0))
    groups: list[list[_Run]] = []
    extents: list[tuple[float, float]] = []
    for r in ordered:
        placed = False
        h = r.bottom - r.top
        for k in range(len(groups) - 1, max(-1, len(groups) - 4), -1):
            top, bottom = extents[k]
            overlap = min(bottom, r.bottom) - max(top, r.top)
            if overlap > 0.5 * min(h, bottom - top):
                groups[k].append(r)
                extents[k] = (min(top, r.top), max(bottom, r.bottom)) if r.size >= 0.8 * groups[k][0].size else (top, bottom)
                placed = True
                break
        if not placed:
            groups.append([r])
            extents.append((r.top, r.bottom))
    lines: list[_Line] = []
    for group in groups:
        group.sort(key=lambda r: r.x0)
        glyphs = [g for r in group for g in r.glyphs]
        sizes = Counter()
        for g in glyphs:
            if g.text.strip():
                sizes[round(g.size, 1)] += len(g.text)
        size = sizes.most_common(1)[0][0] if sizes else glyphs[0].size
        text, sup, bold = _line_text(glyphs, size)
        if not text.strip():
            continue
        body = [r for r in group if r.size >= 0.8 * size] or group
        lines.append(
            _Line(
                text=text.strip(),
                x0=min(r.x0 for r in group),
                x1=max(r.x1 for r in group),
                top=min(r.top for r in body),
                bottom=max(r.bottom for r in body),
                size=size,
                bold=bold,
                page=page,
                column=column,
                sup=_shift(sup, len(text) - len(text.lstrip())),
            )
        )
    lines.sort(key=lambda ln: ln.top)
    return lines


def _shift(spans: list[tuple[int, int]], by: int) -> list[tuple[int, int]]:
    return [(a - by, b - by) for a, b in spans]


def _page_lines(runs: list[_Run], page: int) -> list[_Line]:
    """The runs of a page as lines in reading order: spanning lines in place, columns in turn."""
    if not runs:
        return []
    left = min(r.x0 for r in runs)
    right = max(r.x1 for r in runs)
    gutter = _gutter(runs, left, right)
    if gutter is None:
        return _lines(runs, page, 0)
    g0, g1 = gutter
    spanning = [r for r in runs if r.x0 < g1 and r.x1 > g0]
    lefts = [r for r in runs if r.x1 <= g0]
    rights = [r for r in runs if r.x0 >= g1]
    span_lines = _lines(spanning, page, 0)
    col_lines = _lines(lefts, page, 1) + _lines(rights, page, 2)
    # Reading order: the column lines above a spanning line (a title over two columns, a
    # footnote across the page) come before it, left column first, then the line itself.
    out: list[_Line] = []
    pending = sorted(col_lines, key=lambda c: c.top)
    for ln in sorted(span_lines, key=lambda c: c.top):
        above = [c for c in pending if c.top < ln.top]
        pending = [c for c in pending if c.top >= ln.top]
        out.extend(sorted(above, key=lambda c: (c.column, c.top)))
        out.append(ln)
    out.extend(sorted(pending, key=lambda c: (c.column, c.top)))
    return out


# -- reading pages with pdfplumber ---------------------------------------------------------------


class _PageTimeout(Exception):
    pass


def _glyphs_of(layout: Any, height: float, chars: Counter[str]) -> tuple[list[_Glyph], list[str]]:
    """Upright glyphs in drawing order, and the text of rotated ones; count every character."""
    from pdfminer.layout import LTChar, LTContainer

    glyphs: list[_Glyph] = []
    rotated: list[str] = []
    stack = [iter(layout)]
    while stack:
        for obj in stack[-1]:
            if isinstance(obj, LTChar):
                text = obj.get_text()
                for ch in text:
                    if not ch.isspace():
                        chars[ch] += 1
                if not obj.upright:
                    rotated.append(text)
                    continue
                glyphs.append(
                    _Glyph(
                        text,
                        obj.x0,
                        obj.x1,
                        height - obj.y1,
                        height - obj.y0,
                        obj.size,
                        bool(_BOLD.search(obj.fontname or "")),
                    )
                )
            elif isinstance(obj, LTContainer):
                stack.append(iter(obj))
                break
        else:
            stack.pop()
    return glyphs, rotated


def _with_budget(page_number: int, source: str, work: Any) -> Any:
    """Run work() within PAGE_SECONDS, or report the page as one that takes too long."""
    message = (
        f"page {page_number} takes more than {PAGE_SECONDS:g} s to read (is the PDF damaged or "
        "drawn unusually?); print it to a new PDF and compare that"
    )
    timed = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if not timed:
        start = time.perf_counter()
        result = work()
        if time.perf_counter() - start > PAGE_SECONDS:
            raise FormatError(message, source)
        return result

    def expire(signum: int, frame: Any) -> None:
        raise _PageTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, PAGE_SECONDS)
    try:
        return work()
    except _PageTimeout:
        raise FormatError(message, source) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _open(data: bytes, source: str) -> Any:
    """The pdfplumber PDF, or the one-line error saying why it cannot be opened."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise InputError(
                "is an encrypted PDF that needs a password to open; open it with the password "
                "and save an unprotected copy, then compare that",
                source,
            ) from None
        raise _damaged(source, cause) from None
    except Exception as exc:  # pdfminer raises many kinds of error on a broken file
        raise _damaged(source, exc) from None
    return pdf


def _damaged(source: str, exc: BaseException, page: int | None = None) -> FormatError:
    where = f"page {page} of it cannot be read" if page else "cannot be read"
    detail = " ".join(str(exc).split())[:80] or type(exc).__name__
    return FormatError(
        f"is a damaged PDF ({where}: {detail}); re-save or print it to a new PDF and compare that",
        source,
    )


def _page_count(pdf: Any, source: str) -> int:
    try:
        from pdfminer.pdftypes import resolve1

        count = resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count"))
        declared = int(count) if isinstance(count, int) else None
    except Exception:
        declared = None
    if declared is not None and declared > MAX_PAGES:
        raise InputError(
            f"has {declared:,} pages, more than plancmp reads from a PDF ({MAX_PAGES:,}); split it", source
        )
    try:
        count = len(pdf.pages)
    except Exception as exc:
        raise _damaged(source, exc) from None
    if count > MAX_PAGES:
        raise InputError(
            f"has {count:,} pages, more than plancmp reads from a PDF ({MAX_PAGES:,}); split it", source
        )
    return count


def _read_pages(data: bytes, source: str) -> tuple[list[_Page], list[tuple[int, str]]]:
    """Every page's lines (before furniture is told apart) and rotated text, by page."""
    pdf = _open(data, source)
    pages: list[_Page] = []
    rotated: list[tuple[int, str]] = []
    try:
        count = _page_count(pdf, source)
        for index in range(count):
            number = index + 1

            def work(index: int = index, number: int = number) -> tuple[_Page, list[str]]:
                page = pdf.pages[index]
                chars: Counter[str] = Counter()
                try:
                    layout = page.layout
                    height = layout.y1
                    glyphs, turned = _glyphs_of(layout, height, chars)
                finally:
                    page.close()
                lines = _page_lines(_runs(glyphs), number)
                return _Page(number, height - layout.y0, lines, [], [], chars), turned

            try:
                page, turned = _with_budget(number, source, work)
            except PlancmpError:
                raise
            except Exception as exc:
                cause = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
                raise _damaged(source, cause, number) from None
            pages.append(page)
            if "".join(turned).strip():
                rotated.append((number, "".join(turned).strip()))
    finally:
        pdf.close()
    return pages, rotated


# -- page furniture and footnotes -----------------------------------------------------------------


def _furniture_key(line: _Line) -> tuple[str, int]:
    return re.sub(r"\d+", "#", " ".join(line.text.split()).lower()), round(line.top / 3)


def _split_furniture(pages: list[_Page]) -> None:
    """Move running headers and footers and page numbers from each page's body to its furniture."""
    zone = 0.125
    candidates: list[tuple[_Page, _Line]] = []
    for page in pages:
        by_top = sorted(page.body, key=lambda ln: ln.top)
        # Two lines at most at either end: a header, a footer and its page number.
        ends = by_top[:2] + [ln for ln in by_top[-2:] if ln not in by_top[:2]]
        for ln in ends:
            if ln.bottom < zone * page.height or ln.top > (1 - zone) * page.height:
                candidates.append((page, ln))
    seen: Counter[tuple[str, int]] = Counter(_furniture_key(ln) for _, ln in candidates)
    need = max(2, int(0.4 * len(pages) + 0.999))
    for page, ln in candidates:
        repeated = len(pages) >= 2 and seen[_furniture_key(ln)] >= need
        if repeated or _PAGE_NUMBER.match(" ".join(ln.text.split())):
            page.body.remove(ln)
            page.furniture.append(ln)


def _split_footnotes(pages: list[_Page], body_size: float) -> None:
    """Move each page's (each column's) footnotes from its body to its footnotes."""
    for page in pages:
        for column in (0, 1, 2):
            col = [ln for ln in page.body if ln.column == column]
            if not col:
                continue
            col_sorted = sorted(col, key=lambda ln: ln.top)
            tail: list[_Line] = []
            for ln in reversed(col_sorted):
                if ln.size < 0.92 * body_size:
                    tail.append(ln)
                else:
                    break
            tail.reverse()
            # The block must start with a marker, and may not be the whole column.
            while tail and not _MARKER.match(tail[0].text):
                tail.pop(0)
            if not tail or len(tail) == len(col_sorted):
                continue
            for ln in tail:
                page.body.remove(ln)
            page.footnotes.extend(tail)


# -- paragraphs ---------------------------------------------------------------------------------


@dataclass
class _Para:
    lines: list[_Line]
    kind: BlockKind


def _words(text: str) -> Iterator[str]:
    return (m.group(0).lower() for m in _WORD.finditer(text))


_HEAD = re.compile(r"[^\W\d_]+$")
_TAIL = re.compile(r"[^\W\d_]+")


def _halves(left: str, right: str) -> tuple[str, str] | None:
    """The two halves of a word hyphenated at the end of left, if left ends that way."""
    if len(left) >= 2 and left[-1] in _HYPHENS and left[-2].isalpha() and right[:1].isalpha():
        head = _HEAD.search(left[:-1])
        tail = _TAIL.match(right)
        if head and tail:
            return head.group(0), tail.group(0)
    return None


class _Joiner:
    """Joins lines, putting hyphenated words back together where the document says they are one."""

    def __init__(self, lines: Sequence[_Line]) -> None:
        self.vocabulary: Counter[str] = Counter()
        for ln in lines:
            self.vocabulary.update(_words(ln.text))
        # A word broken at two different places ("co-operation", "cooper-ation") was broken by the
        # typesetter both times: a compound keeps its hyphen in one place.
        self.breaks: dict[str, set[int]] = {}
        for a, b in zip(lines, lines[1:]):
            halves = _halves(a.text, b.text)
            if halves:
                self.breaks.setdefault((halves[0] + halves[1]).lower(), set()).add(len(halves[0]))
        self.consumed: Counter[str] = Counter()

    def join(self, texts: Sequence[str]) -> str:
        """Lines of one paragraph as one text."""
        out = texts[0] if texts else ""
        for nxt in texts[1:]:
            out = self._join_two(out, nxt)
        return out

    def _join_two(self, left: str, right: str) -> str:
        if not left:
            return right
        halves = _halves(left, right)
        if halves:
            joined = (halves[0] + halves[1]).lower()
            hyphenated = f"{halves[0]}-{halves[1]}".lower()
            soft = left[-1] == _SOFT_HYPHEN
            elsewhere = self.vocabulary[joined] > 0 or len(self.breaks.get(joined, ())) > 1
            if soft or (elsewhere and self.vocabulary[hyphenated] == 0):
                self.consumed[left[-1]] += 1
                return left[:-1] + right
            return left + right
        if left[-1] == _SOFT_HYPHEN:
            # A soft hyphen left at a line end that joins no word is a character all the same.
            return left + right
        return f"{left} {right}"


def _column_edges(pages: Sequence[_Page]) -> None:
    """Each body line's column left and right edges, over all pages of the same parity."""
    edges: dict[tuple[int, int], tuple[float, float]] = {}
    for page in pages:
        for ln in page.body:
            key = (ln.column, page.number % 2)
            lo, hi = edges.get(key, (ln.x0, ln.x1))
            edges[key] = (min(lo, ln.x0), max(hi, ln.x1))
    for page in pages:
        for ln in page.body:
            ln.col_left, ln.col_right = edges[(ln.column, page.number % 2)]


def _paragraphs(lines: Sequence[_Line], body_size: float, pitch: float) -> list[_Para]:
    """Body lines in reading order grouped into paragraphs."""
    paras: list[_Para] = []
    cur: _Para | None = None
    for ln in lines:
        labels = match_labels(ln.text)
        bullet = bool(BULLET_RE.match(ln.text))
        starts = cur is None or labels or bullet
        if not starts and cur is not None:
            prev = cur.lines[-1]
            em = max(ln.size, prev.size)
            same_flow = prev.page == ln.page and prev.column == ln.column
            gap = ln.top - prev.top
            if same_flow and gap > 1.3 * max(pitch, ln.size) and gap > pitch + 0.25 * em:
                starts = True
            elif abs(ln.size - prev.size) > 0.1 * em or ln.bold != prev.bold:
                starts = True
            else:
                # The line would have fitted at the end of the previous one: a paragraph ended.
                first = ln.text.split(" ", 1)[0]
                room = prev.col_right - prev.x1
                if room > (len(first) + 1) * 0.55 * prev.size + 0.5 * em and not prev.text.endswith(tuple(_HYPHENS)):
                    starts = True
                elif len(cur.lines) >= 2:
                    expect = cur.lines[1].x0 - cur.lines[1].col_left
                    if abs((ln.x0 - ln.col_left) - expect) > 0.6 * em:
                        starts = True
                elif (ln.x0 - ln.col_left) - (prev.x0 - prev.col_left) > 0.6 * em and not cur.lines[0] is prev:
                    starts = True
        if starts:
            kind = BlockKind.PARAGRAPH
            if bullet and not labels:
                kind = BlockKind.BULLET
            cur = _Para([ln], kind)
            paras.append(cur)
        else:
            assert cur is not None
            cur.lines.append(ln)
    for para in paras:
        first = para.lines[0]
        if para.kind is BlockKind.PARAGRAPH and not match_labels(first.text):
            text = " ".join(ln.text for ln in para.lines)
            bigger = first.size >= 1.15 * body_size
            short = len(para.lines) <= 3 and not text.rstrip().endswith((".", ";", ":", ","))
            if (bigger or first.bold) and short:
                para.kind = BlockKind.HEADING
    return paras


@dataclass(frozen=True)
class PdfReading:
    """A PDF draft as read, with what the reader did to get there."""

    document: Document
    """The draft's points and outside text."""
    pages: int
    """Pages read."""
    furniture: int
    """Lines of page furniture (running headers and footers, page numbers) kept outside the points."""
    chars: Counter[str]
    """Every non-blank character of the text layer, counted."""
    consumed: Counter[str]
    """Characters the reading stands for without showing: hyphens of words joined back across a
    line end, footnote reference marks (the footnote with that marker stands for them)."""


def _strip_references(
    line: _Line, markers: set[str], consumed: Counter[str], called: dict[str, _Line]
) -> None:
    """Take the superscripts that repeat a footnote marker of the page out of a body line,
    noting which line called which footnote."""
    if not line.sup:
        return
    text = line.text
    for a, b in reversed(line.sup):
        mark = text[a:b].strip()
        if mark in markers:
            consumed.update(ch for ch in mark if not ch.isspace())
            text = text[:a] + text[b:]
            called.setdefault(mark, line)
    line.text = " ".join(text.split())
    line.sup = []


def _layout(pages: list[_Page], rotated: list[tuple[int, str]], source: str) -> PdfReading:
    """Turn pages of lines into the Document the outline builder makes of them."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for ln in page.body:
            sizes[ln.size] += len(ln.text)
    body_size = sizes.most_common(1)[0][0] if sizes else 10.0
    _split_furniture(pages)
    _split_footnotes(pages, body_size)
    _column_edges(pages)
    consumed: Counter[str] = Counter()
    footnote_lines: list[_Line] = []
    calls: dict[int, dict[str, _Line]] = {}
    for page in pages:
        markers = set()
        for ln in page.footnotes:
            m = _MARKER.match(ln.text)
            if m:
                markers.add(m.group(1))
        called = calls.setdefault(page.number, {})
        for ln in page.body:
            _strip_references(ln, markers, consumed, called)
        footnote_lines.extend(page.footnotes)
    body = [ln for page in pages for ln in page.body if ln.text]
    pitches = [
        b.top - a.top
        for a, b in zip(body, body[1:])
        if a.page == b.page and a.column == b.column and abs(a.size - b.size) < 0.5 and b.top > a.top
    ]
    pitch = statistics.median(pitches) if pitches else 1.2 * body_size
    joiner = _Joiner(body + footnote_lines)
    number = 0
    for page in pages:
        for ln in page.furniture + page.body + page.footnotes:
            number += 1
            ln.number = number
    paras = _paragraphs(body, body_size, pitch)
    blocks = list(_blocks(paras, joiner, body_size))
    doc = build_document(blocks, source, Format.PDF)
    extra: list[tuple[int, OutsideKind, str]] = []
    for page in pages:
        for ln in page.furniture:
            extra.append((ln.number, OutsideKind.PAGE, ln.text))
        notes: list[list[_Line]] = []
        for ln in page.footnotes:
            if _MARKER.match(ln.text) or not notes:
                notes.append([ln])
            else:
                notes[-1].append(ln)
        for note in notes:
            m = _MARKER.match(note[0].text)
            caller = calls[page.number].get(m.group(1)) if m else None
            # A footnote stands after the point that calls it, not after the last point of its page.
            where = caller.number if caller is not None else note[0].number
            extra.append((where, OutsideKind.FOOTNOTE, joiner.join([ln.text for ln in note])))
    for number_, text in rotated:
        extra.append((_last_number(pages, number_), OutsideKind.PAGE, text))
    consumed.update(joiner.consumed)
    page_of = {ln.number: ln.page for page in pages for ln in page.furniture + page.body + page.footnotes}
    document = _finish(doc, extra, page_of, source, len(pages))
    chars: Counter[str] = Counter()
    for page in pages:
        chars.update(page.chars)
    return PdfReading(
        document=document,
        pages=len(pages),
        furniture=sum(len(p.furniture) for p in pages) + len(rotated),
        chars=chars,
        consumed=consumed,
    )


def _last_number(pages: list[_Page], page_number: int) -> int:
    numbers = [ln.number for p in pages if p.number <= page_number for ln in p.furniture + p.body + p.footnotes]
    return max(numbers, default=0)


def _blocks(paras: list[_Para], joiner: _Joiner, body_size: float) -> Iterator[Block]:
    """Paragraphs as the outline builder's blocks, labels read and indentation measured."""
    # Per label style, the indents (in half-ems from the column's left edge) it was seen at, with
    # the style the reader gave it there.
    styles: dict[str, list[tuple[int, str]]] = {}
    prev: _Para | None = None
    for para in paras:
        first = para.lines[0]
        text = joiner.join([ln.text for ln in para.lines])
        indent = max(0, round((first.x0 - first.col_left) / (0.5 * body_size)))
        labels = match_labels(text) if para.kind is not BlockKind.HEADING else ()
        soft = False
        if labels and prev is not None:
            last = prev.lines[-1]
            same_flow = last.page == first.page and last.column == first.column
            outdented = (first.x0 - first.col_left) < (last.x0 - last.col_left) - 0.5 * first.size
            soft = not last.text.endswith(SENTENCE_END) and not outdented and (
                not same_flow or first.top - last.top < 1.6 * first.size
            )
            labels = tuple(_by_indent(label, indent, styles) for label in labels)
        elif labels:
            labels = tuple(_by_indent(label, indent, styles) for label in labels)
        yield Block(text, first.number, para.kind, labels=labels, soft=soft, indent=indent)
        prev = para


def _by_indent(label: Label, indent: int, styles: dict[str, list[tuple[int, str]]]) -> Label:
    """The label, its style marked with its indent when it restarts a list further right than the
    labels of its form seen so far (indentation as the second signal for levels)."""
    if label.prefix:
        return label
    seen = styles.setdefault(label.style, [])
    # Forget levels deeper than this label: a shallower label closes them.
    while seen and seen[-1][0] > indent + 1:
        seen.pop()
    if seen and abs(seen[-1][0] - indent) <= 1:
        return replace(label, style=seen[-1][1])
    if seen and indent > seen[-1][0] + 1 and label.value == 1:
        style = f"{label.style}@{indent}"
        seen.append((indent, style))
        return replace(label, style=style)
    if not seen:
        seen.append((indent, label.style))
    return label


def _finish(
    doc: Document,
    extra: list[tuple[int, OutsideKind, str]],
    page_of: dict[int, int],
    source: str,
    pages: int,
) -> Document:
    """Merge furniture and footnotes into the outside text in reading order, and turn reading-order
    line numbers into page numbers (what a reader of a PDF can find)."""
    starts = [(p.line, p.id) for p in doc.points]

    def after(number: int) -> str | None:
        found = None
        for line, pid in starts:
            if line <= number:
                found = pid
        return found

    items = [(o.line, 0, o) for o in doc.outside]
    items += [
        (number, 1, Outside(text=text, kind=kind, line=number, after=after(number)))
        for number, kind, text in extra
        if text.strip()
    ]
    items.sort(key=lambda t: (t[0], t[1]))
    outside = tuple(replace(o, line=page_of.get(o.line, o.line)) for _, _, o in items)

    def paged(point: Point) -> Point:
        return replace(
            point, line=page_of.get(point.line, point.line), children=tuple(paged(c) for c in point.children)
        )

    def warning(text: str) -> str:
        m = re.match(rf"{re.escape(source)}:(\d+): ", text)
        if not m:
            return text
        return f"{source}: page {page_of.get(int(m.group(1)), m.group(1))}: {text[m.end():]}"

    return replace(
        doc,
        points=tuple(paged(p) for p in doc.points),
        outside=outside,
        warnings=tuple(warning(w) for w in doc.warnings),
        pages=pages,
    )


def _sniff(data: bytes, source: str) -> None:
    """Refuse a file named .pdf that is not one, saying what it looks like."""
    if b"%PDF-" in data[:1024]:
        return
    if data.startswith(b"PK\x03\x04"):
        raise FormatError(
            "is a zip archive (a Word file?), not a PDF; if it is a Word document, give it the .docx extension",
            source,
        )
    head = data[:4096]
    try:
        head.decode("utf-8")
        text = b"\x00" not in head
    except UnicodeDecodeError as exc:
        text = exc.start > len(head) - 4 and b"\x00" not in head
    if text:
        raise FormatError("is a text file, not a PDF; give it the .txt extension", source)
    raise FormatError("is not a PDF (it has no %PDF header); check the file", source)


def read_pdf_reading(data: bytes, source: str) -> PdfReading:
    """Read a PDF's bytes into a PdfReading, or raise the one-line error for a file it cannot read."""
    _sniff(data, source)
    pages, rotated = _read_pages(data, source)
    reading = _layout(pages, rotated, source)
    if not reading.chars:
        raise InputError("has no text layer — is it scanned? run OCR first (e.g. ocrmypdf) and compare that", source)
    empty = [p.number for p in pages if not p.chars]
    if empty:
        shown = ", ".join(map(str, empty[:10])) + (" …" if len(empty) > 10 else "")
        note = (
            f"{source}: {len(empty)} of {len(pages)} pages have no text layer (page{'s' if len(empty) > 1 else ''} "
            f"{shown}); scanned pages are not read — run OCR on them"
        )
        reading = replace(reading, document=replace(reading.document, warnings=reading.document.warnings + (note,)))
    return reading


def read_pdf(data: bytes, source: str) -> Document:
    """Read a PDF draft's bytes into a Document."""
    return read_pdf_reading(data, source).document


__all__ = ["MAX_PAGES", "PAGE_SECONDS", "PdfReading", "read_pdf", "read_pdf_reading"]
