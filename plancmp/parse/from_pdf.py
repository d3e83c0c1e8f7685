"""PDF drafts: the text layer's glyphs → lines in reading order → blocks for the outline builder.

The PDF reader only does what is particular to a printed page; which line starts which point is
decided by the same label grammar (numbering.match_labels) and outline builder (outline.py) that
read plain text, so a draft reads the same whether it arrives as .txt, .docx or .pdf.

Steps, page by page:

* glyphs are gathered with their boxes, font sizes and weights; runs of glyphs drawn side by
  side form the units of layout; a run drawn twice in one place (a letterhead printed twice for
  weight) is read once;
* a column gutter is an x band in the middle of the text that only runs spanning the page cross
  (a running header, a title over both columns), with text on both sides on five lines or
  more; the lines that cross it are read in place, the lines between them column by column;
* runs on one baseline make a line; a space is put where the gap between glyphs is wider than
  a tenth of an em (PDFs often draw no space glyph), and after a label at a line start followed
  by a narrower gap or by a change of weight ("10.The" where Word's tab left half a point,
  "1.5.Термины" run into a bold heading);
* running headers and footers (the same words, digits aside, at the same height on at least 40%
  of the pages, among the three outermost lines in the top or bottom fifth of the page) and lone
  page numbers ("7", "- 7 -", "Page 7 of 9") are page furniture: outside the points, kind "page";
* footnotes are the lines at the foot of a column in a smaller size than the body, the first
  starting with a marker ("1", "1/", "*", "†") or continuing a footnote of the column or page
  before; they are kept outside the points, kind "footnote", marker first, after the point that
  calls them. A superscript in the body that repeats a marker of its page or the next (a
  footnote that did not fit moves on) is the reference: it leaves the point's text (the .docx
  reader leaves Word's footnote references out too), the footnote standing for it;
* then, over the whole document in reading order, lines are joined into paragraphs: a label, a
  bullet, a wider gap than the line spacing, a change of size or weight, a line set further in
  after one ending with ":", a line that does not start where the paragraph's second line
  started, or a previous line that ended with room for this line's first word all start a new
  block (a centred title's short lines do not). A word hyphenated at a line end is joined back
  when the hyphen is a soft one (U+00AD) or the joined word occurs whole elsewhere in the draft
  — or with an English ending added or taken off ("sanc-tion", "sanctions"), or broken at
  another place elsewhere ("co-operation", "cooper-ation") — and the hyphenated spelling does
  not; otherwise it keeps its hyphen ("non-aggression");
* indentation is the second signal for sub-point levels: a label that restarts at 1 further
  right than the earlier labels of its form (a "1." list inside point 2) opens a level of its
  own. Where numbered paragraphs indent their first line (Russian and Ukrainian drafting),
  where a line starts says nothing about levels and every paragraph counts as unindented.

Refused, in one line each: a file that is not a PDF, an encrypted PDF that needs a password, a
damaged one, one of more than MAX_PAGES pages, a page that takes more than PAGE_SECONDS to read,
a PDF with no text layer or one whose fonts map most glyphs to no character.

Faithfulness: every non-blank character of the text layer lands in exactly one place (a label,
a point's text, or outside text, page furniture and footnotes included), with three exceptions
that are counted and reported as consumed (`PdfReading.consumed`): the hyphen of a word joined
back across a line end (the joined word stands for it), a footnote reference mark (the footnote
carrying the same marker stands for it), and text overprinted on itself (read once).

Why pdfminer.six: bench/bench_pdf.py feeds these same steps from pdfminer.six (through the lean
glyph device below), from pdfplumber's character dictionaries and from pypdf's text visitor.
pdfminer.six and pdfplumber (which is built on it) read identically; pdfplumber costs three
times the CPU. pypdf is about 15% faster and reads the LibreOffice-printed set as well, but it
reports a text operator's start point and font size, not each glyph's box, so widths, gaps and
glyph sizes must be guessed — and on real PDFs that shows: on the BBNJ Agreement it finds 345
top-level points where the glyph boxes give 105 (the 76 articles and 29 items of the annexes)
with 518 sub-points. All three
are MIT or BSD licensed; pdfminer.six is what is declared and imported (lazily, when a PDF is
read).
"""

from __future__ import annotations

import io
import itertools
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
from plancmp.numbering import BULLET_RE, Label, LabelKind, match_labels
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
_MARKER = re.compile(r"^(\d{1,3}/?|[*†‡§¶]{1,3})(?=\s|[^\W\d_]|$)")
"""A footnote's marker at the start of its first line: "1", "12", "1/" (United Nations style), "*"."""
_WORD = re.compile(r"[^\W\d_]+(?:[-\u2010][^\W\d_]+)*")
_BOLD = re.compile(r"(?i)bold|heavy|black|semibold|demi")


# -- glyphs, runs, lines ------------------------------------------------------------------------


@dataclass(slots=True)
class _Glyph:
    """One glyph of the text layer, in points from the page's top left corner."""

    text: str
    """The character(s) it stands for ("ff" for a ligature)."""
    x0: float
    """Left edge."""
    x1: float
    """Right edge."""
    top: float
    """Top edge."""
    bottom: float
    """Bottom edge."""
    size: float
    """Font size as drawn."""
    bold: bool
    """Its font's name says bold (or heavy, black, semibold)."""


@dataclass(slots=True)
class _Run:
    """Glyphs drawn one after another on one baseline."""

    glyphs: list[_Glyph]
    """The glyphs, in drawing order."""
    x0: float
    """Left edge of the run."""
    x1: float
    """Right edge."""
    top: float
    """Top edge."""
    bottom: float
    """Bottom edge."""
    size: float
    """Font size of its first glyph."""


@dataclass
class _Line:
    """One line of text in reading order, with what layout says about it."""

    text: str
    """The line's text, spaces put where the gaps are."""
    x0: float
    """Left edge."""
    x1: float
    """Right edge."""
    top: float
    """Top edge of its body text (superscripts left out)."""
    bottom: float
    """Bottom edge of its body text."""
    size: float
    """The font size most of its characters have."""
    bold: bool
    """Nearly all of it is bold."""
    page: int
    """1-based page."""
    column: int
    """0 for a line spanning the page, 1 and 2 for the left and right column."""
    sup: list[tuple[int, int]] = field(default_factory=list)
    """(start, end) offsets in text of superscript glyphs (footnote references, ordinals)."""
    number: int = 0
    """Position in reading order over the whole document."""
    doubled: str = ""
    """Text drawn a second time over itself (a bold or shadow effect), read once."""
    col_left: float = 0.0
    """Left edge of its column, over the pages of the same parity."""
    col_right: float = 0.0
    """Right edge of its column."""


@dataclass
class _Page:
    """One page's lines, sorted out step by step."""

    number: int
    """1-based page number."""
    height: float
    """Page height in points."""
    body: list[_Line]
    """Lines in reading order, until furniture and footnotes are moved out of them."""
    furniture: list[_Line]
    """Running headers and footers, page numbers."""
    footnotes: list[_Line]
    """Footnote lines, in reading order."""
    chars: Counter[str]
    """Every non-blank character of the page's text layer, counted."""


def _runs(glyphs: Sequence[_Glyph]) -> list[_Run]:
    """Group glyphs, in drawing order, into runs that share a baseline and follow each other."""
    runs: list[_Run] = []
    cur: _Run | None = None
    last: _Glyph | None = None
    for g in glyphs:
        if cur is not None and last is not None:
            em = max(last.size, g.size, 1.0)
            gap = g.x0 - last.x1
            if (
                -0.2 * em < g.bottom - last.bottom < 0.2 * em
                and -0.15 * em < g.size - last.size < 0.15 * em
                and -0.3 * em < gap < em
            ):
                cur.glyphs.append(g)
                cur.x0, cur.x1 = min(cur.x0, g.x0), max(cur.x1, g.x1)
                cur.top, cur.bottom = min(cur.top, g.top), max(cur.bottom, g.bottom)
                last = g
                continue
        cur = _Run([g], g.x0, g.x1, g.top, g.bottom, g.size)
        runs.append(cur)
        last = g
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
    few = max(2, len(runs) // 10)
    band = _longest(covered, 0, bins, lambda c: c <= few)
    if band is None:
        return None
    sizes = [r.size for r in runs]
    em = statistics.median(sizes)
    if band[1] - band[0] < 0.8 * em:
        return None
    # Within the band, the gutter is where the fewest runs cross: runs that span both columns
    # (a running header) may stop anywhere inside it, a column's heading may start inside it.
    least = min(covered[band[0] : band[1]])
    core = _longest(covered, band[0], band[1], lambda c: c <= least)
    assert core is not None
    g0, g1 = lo + core[0], lo + core[1]
    # Text on both sides, on many lines: an indent margin has text on one side only.
    left_lines = {round(r.bottom) for r in runs if r.x1 <= g0 and r.x1 > lo + band[0] - 4 * em}
    right_lines = {round(r.bottom) for r in runs if r.x0 >= g1}
    left_wide = sum(1 for r in runs if r.x1 <= g0 and r.x1 - r.x0 > 0.25 * width)
    if len(left_lines) < 5 or len(right_lines) < 5 or left_wide < 3:
        return None
    return g0, g1


def _longest(values: Sequence[int], start: int, stop: int, good: Any) -> tuple[int, int] | None:
    """The longest stretch [a, b) of values[start:stop] where good(value) holds, if any."""
    best: tuple[int, int] | None = None
    begin = None
    for k in range(start, stop + 1):
        ok = k < stop and good(values[k])
        if ok and begin is None:
            begin = k
        elif not ok and begin is not None:
            if best is None or k - begin > best[1] - best[0]:
                best = (begin, k)
            begin = None
    return best


def _line_text(glyphs: list[_Glyph], size: float) -> tuple[str, list[tuple[int, int]], bool]:
    """The glyphs of one line, left to right, as text; spaces where the gaps are; superscripts."""
    out: list[str] = []
    sup: list[tuple[int, int]] = []
    length = 0
    baseline = statistics.median(g.bottom for g in glyphs if g.size >= 0.8 * size) if any(
        g.size >= 0.8 * size for g in glyphs) else glyphs[0].bottom
    prev: _Glyph | None = None
    last = max((k for k, g in enumerate(glyphs) if g.text.strip()), default=-1)
    for k, g in enumerate(glyphs):
        # The hyphen of a word broken at the line end: justified text sets it at the margin,
        # a little apart from its word.
        line_end_hyphen = k == last and g.text in _HYPHENS and prev is not None and prev.text[-1:].isalpha()
        if prev is not None and g.text != " " and (not out or not out[-1].endswith(" ")) and not line_end_hyphen:
            gap = g.x0 - prev.x1
            em = max(prev.size, g.size)
            wide = gap > 0.1 * em
            # A label at the line start followed by the tab Word left after it ("10.The"): the
            # tab may leave only half a point, less than a kerned pair moves letters apart; or
            # by a heading in bold with no space at all ("1.5.Термины").
            after_label = (gap > 0.03 * em or g.bold != prev.bold) and _label_prefix("".join(out))
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
        kept, doubled = _overprints(group)
        glyphs = [g for r in kept for g in r.glyphs]
        sizes: Counter[float] = Counter()
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
                doubled=doubled,
            )
        )
    lines.sort(key=lambda ln: ln.top)
    return lines


def _overprints(runs: list[_Run]) -> tuple[list[_Run], str]:
    """The runs of a line without those that repeat another one in the same place (letterheads
    printed twice for weight), and the text of the repeats."""
    kept: list[_Run] = []
    doubled: list[str] = []
    for r in runs:
        text = "".join(g.text for g in r.glyphs)
        em = 0.15 * r.size
        if any(
            abs(k.x0 - r.x0) < em and abs(k.x1 - r.x1) < em and "".join(g.text for g in k.glyphs) == text
            for k in kept
        ):
            doubled.append(text)
        else:
            kept.append(r)
    return kept, "".join(doubled)


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


# -- reading pages with pdfminer.six ------------------------------------------------------------------


class _PageTimeout(Exception):
    """A page's reading ran over PAGE_SECONDS."""


def _glyph_device(rsrcmgr: Any) -> Any:
    """A pdfminer device that keeps each glyph's box, size and font weight, and nothing else.

    pdfminer's own layout objects (LTChar) cost as much again as interpreting the page, and
    pdfplumber's character dictionaries twice that; a draft's text needs only these five numbers.
    The box is computed as LTChar computes it."""
    from pdfminer.converter import PDFLayoutAnalyzer
    from pdfminer.pdffont import PDFUnicodeNotDefined
    from pdfminer.utils import apply_matrix_rect

    class GlyphDevice(PDFLayoutAnalyzer):
        def __init__(self) -> None:
            super().__init__(rsrcmgr, pageno=1, laparams=None)
            self.glyphs: list[_Glyph] = []
            self.rotated: list[str] = []
            self.texts: list[str] = []
            self.height = 0.0
            self.bold: dict[str, bool] = {}
            self.undefined = 0

        def handle_undefined_char(self, font: Any, cid: int) -> str:
            # A glyph whose font maps it to no character: pdfminer writes "(cid:N)".
            self.undefined += 1
            return str(super().handle_undefined_char(font, cid))

        def begin_page(self, page: Any, ctm: Any) -> None:
            super().begin_page(page, ctm)
            _, y0, _, y1 = apply_matrix_rect(ctm, page.mediabox)
            self.height = abs(y1 - y0)

        def end_page(self, page: Any) -> None:
            pass  # the glyphs are kept as they come; there is no layout to hand on

        def paint_path(self, *args: Any, **kwargs: Any) -> None:
            pass  # lines and shapes carry no text

        def render_image(self, *args: Any, **kwargs: Any) -> None:
            pass

        def render_char(
            self, matrix: Any, font: Any, fontsize: float, scaling: float, rise: float, cid: int,
            ncs: Any, graphicstate: Any,
        ) -> float:
            try:
                text = font.to_unichr(cid)
            except PDFUnicodeNotDefined:
                text = self.handle_undefined_char(font, cid)
            adv = font.char_width(cid) * fontsize * scaling
            a, b, c, d, e, f = matrix
            self.texts.append(text)
            if b == 0 and c == 0 and a * scaling > 0 and d > 0 and not font.is_vertical():
                # Upright horizontal text, nearly every glyph of a draft: the box without matrices.
                descent = font.get_descent() * fontsize + rise
                y0, y1 = f + d * descent, f + d * (descent + fontsize)
                name = font.fontname or ""
                bold = self.bold.get(name)
                if bold is None:
                    bold = self.bold[name] = bool(_BOLD.search(str(name)))
                h = self.height
                self.glyphs.append(_Glyph(text, e, e + a * adv, h - y1, h - y0, y1 - y0, bold))
                return adv
            vertical = font.is_vertical()
            if vertical:
                vx, vy = font.char_disp(cid)
                vx = fontsize * 0.5 if vx is None else vx * fontsize * 0.001
                vy = (1000 - vy) * fontsize * 0.001
                bbox = (-vx, vy + rise + adv, -vx + fontsize, vy + rise)
            else:
                descent = font.get_descent() * fontsize
                bbox = (0, descent + rise, adv, descent + rise + fontsize)
            x0, y0, x1, y1 = apply_matrix_rect(matrix, bbox)
            x0, x1 = min(x0, x1), max(x0, x1)
            y0, y1 = min(y0, y1), max(y0, y1)
            if not (a * d * scaling > 0 and b * c <= 0) or vertical:
                self.rotated.append(text)
                return adv
            name = font.fontname or ""
            bold = self.bold.get(name)
            if bold is None:
                bold = self.bold[name] = bool(_BOLD.search(str(name)))
            h = self.height
            self.glyphs.append(_Glyph(text, x0, x1, h - y1, h - y0, y1 - y0, bold))
            return adv

    return GlyphDevice()


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
    try:
        # Armed inside the try: a short budget may run out before the next line starts.
        signal.setitimer(signal.ITIMER_REAL, PAGE_SECONDS)
        return work()
    except _PageTimeout:
        raise FormatError(message, source) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _damaged(source: str, exc: BaseException, page: int | None = None) -> FormatError:
    detail = " ".join(str(exc).split())[:80] or type(exc).__name__
    where = f"page {page}: {detail}" if page else detail
    return FormatError(
        f"is a damaged PDF ({where}); re-save or print it to a new PDF and compare that", source
    )


def _open(data: bytes, source: str) -> Any:
    """The pdfminer document, or the one-line error saying why it cannot be opened."""
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser

    try:
        # An empty password opens the many official PDFs that are "protected" against
        # copying or printing only; a PDF that needs a password to be opened at all is refused.
        return PDFDocument(PDFParser(io.BytesIO(data)), password="")
    except PDFPasswordIncorrect:
        raise InputError(
            "is an encrypted PDF that needs a password to open; open it with the password "
            "and save an unprotected copy, then compare that",
            source,
        ) from None
    except PDFEncryptionError as exc:
        raise InputError(
            f"is encrypted in a way plancmp cannot read ({' '.join(str(exc).split())[:60]}); "
            "save an unprotected copy and compare that",
            source,
        ) from None
    except Exception as exc:  # noqa: BLE001 — pdfminer raises many kinds of error on a broken file
        raise _damaged(source, exc) from None


def _too_many(count: int, source: str) -> InputError:
    return InputError(
        f"has {count:,} pages, more than plancmp reads from a PDF ({MAX_PAGES:,}); split it", source
    )


def _declared_pages(doc: Any) -> int | None:
    """The page count the document's page tree declares, if it declares one."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(doc.catalog.get("Pages")).get("Count"))
    except Exception:  # noqa: BLE001 — a broken page tree is reported when pages are read
        return None
    return count if isinstance(count, int) else None


def _read_pages(data: bytes, source: str) -> tuple[list[_Page], list[tuple[int, str]]]:
    """Every page's lines (before furniture is told apart) and rotated text, by page."""
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    doc = _open(data, source)
    declared = _declared_pages(doc)
    if declared is not None and declared > MAX_PAGES:
        raise _too_many(declared, source)
    rsrcmgr = PDFResourceManager(caching=True)
    device = _glyph_device(rsrcmgr)
    interpreter = PDFPageInterpreter(rsrcmgr, device)
    pages: list[_Page] = []
    rotated: list[tuple[int, str]] = []
    try:
        found = iter(PDFPage.create_pages(doc))
    except Exception as exc:  # noqa: BLE001 — any failure here is a damaged file
        raise _damaged(source, exc) from None
    undefined, glyph_count = [0], [0]
    number = 0
    while True:
        number += 1

        def work(number: int = number) -> _Page | None:
            page = next(found, None)
            if page is None:
                return None
            if number > MAX_PAGES:
                raise _too_many(declared or number, source)
            device.glyphs, device.rotated, device.texts = [], [], []
            interpreter.process_page(page)
            undefined[0] += device.undefined
            glyph_count[0] += len(device.texts)
            device.undefined = 0
            chars = Counter("".join(device.texts))
            for blank in [ch for ch in chars if ch.isspace()]:
                del chars[blank]
            lines = _page_lines(_runs(device.glyphs), number)
            return _Page(number, device.height, lines, [], [], chars)

        try:
            page = _with_budget(number, source, work)
        except PlancmpError:
            raise
        except Exception as exc:  # noqa: BLE001 — any failure inside a page is a damaged page
            raise _damaged(source, exc, number) from None
        if page is None:
            break
        pages.append(page)
        if "".join(device.rotated).strip():
            rotated.append((number, "".join(device.rotated).strip()))
    if not pages:
        raise FormatError("is a PDF with no pages; check the file", source)
    if undefined[0] > 0.5 * glyph_count[0]:
        raise InputError(
            f"has no usable text layer ({undefined[0] * 100 // glyph_count[0]}% of its characters map to "
            "no letter) — is it scanned? run OCR first",
            source,
        )
    return pages, rotated


# -- page furniture and footnotes -----------------------------------------------------------------


def _furniture_key(line: _Line) -> tuple[str, int]:
    return re.sub(r"\d+", "#", " ".join(line.text.split()).lower()), round(line.top / 3)


def _split_furniture(pages: list[_Page]) -> None:
    """Move running headers and footers and page numbers from each page's body to its furniture."""
    # Generous: a line in the outer fifth of the page is furniture only if it repeats on most
    # pages or is a page number, which body text near the margin never is.
    zone = 0.2
    candidates: list[tuple[_Page, _Line]] = []
    for page in pages:
        by_top = sorted(page.body, key=lambda ln: ln.top)
        # Three lines at most at either end: "A/CONF.164/37", "English", "Page 3".
        ends = by_top[:3] + [ln for ln in by_top[-3:] if ln not in by_top[:3]]
        for ln in ends:
            if ln.bottom < zone * page.height or ln.top > (1 - zone) * page.height:
                candidates.append((page, ln))
    seen: Counter[tuple[str, int]] = Counter(_furniture_key(ln) for _, ln in candidates)
    need = max(2, int(0.4 * len(pages) + 0.999))
    # Superscripts in the text of each page: a line at the foot that starts with one of them is
    # a footnote ("3 Ibid."), however alike the footnotes of several pages are.
    called: dict[int, set[str]] = {
        page.number: {ln.text[a:b].strip() for ln in page.body for a, b in ln.sup} for page in pages
    }
    for page, ln in candidates:
        m = _MARKER.match(ln.text)
        if m and m.group(1) in called[page.number] | called.get(page.number - 1, set()):
            continue
        repeated = len(pages) >= 2 and seen[_furniture_key(ln)] >= need
        if repeated or _PAGE_NUMBER.match(" ".join(ln.text.split())):
            page.body.remove(ln)
            page.furniture.append(ln)


def _split_footnotes(pages: list[_Page], body_size: float) -> None:
    """Move each page's (each column's) footnotes from its body to its footnotes."""
    seen_one = False
    for page in pages:
        # Left column, right column, then what spans the page: the order footnotes run in.
        for column in (1, 2, 0):
            col = sorted((ln for ln in page.body if ln.column == column), key=lambda ln: ln.top)
            if not col:
                continue
            tail: list[_Line] = []
            for ln in reversed(col):
                if ln.size < 0.92 * body_size:
                    tail.append(ln)
                else:
                    break
            tail.reverse()
            # The block starts with a marker, or continues a footnote of an earlier column or
            # page; and it is not the whole column.
            if not seen_one:
                while tail and not _MARKER.match(tail[0].text):
                    tail.pop(0)
            if not tail or len(tail) == len(col):
                continue
            seen_one = True
            for ln in tail:
                page.body.remove(ln)
            page.footnotes.extend(tail)


# -- paragraphs ---------------------------------------------------------------------------------


@dataclass
class _Para:
    """Lines that make one paragraph (one block for the outline builder)."""

    lines: list[_Line]
    """Its lines, in reading order."""
    kind: BlockKind
    """Paragraph, bullet or heading."""


def _words(text: str) -> Iterator[str]:
    return (m.group(0).lower() for m in _WORD.finditer(text))


_ENDINGS = ("s", "es", "ed", "d", "ing", "al", "ly")
"""English endings tried when a joined word does not occur whole: "sanc-tion" is a word when
"sanctions" occurs."""
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
        for a, b in itertools.pairwise(lines):
            halves = _halves(a.text, b.text)
            if halves:
                self.breaks.setdefault((halves[0] + halves[1]).lower(), set()).add(len(halves[0]))
        self.consumed: Counter[str] = Counter()

    def _known(self, word: str) -> bool:
        """Whether the word, or the same word with an ending added or taken off ("sanction",
        "sanctions"), occurs whole in the document."""
        if self.vocabulary[word]:
            return True
        for ending in _ENDINGS:
            if self.vocabulary[word + ending]:
                return True
            if word.endswith(ending) and len(word) > len(ending) + 3 and self.vocabulary[word[: -len(ending)]]:
                return True
        return False

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
            elsewhere = self._known(joined) or len(self.breaks.get(joined, ())) > 1
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


def _fits_after(prev: _Line, ln: _Line) -> bool:
    """Whether the first word of ln would have fitted at the end of prev (half an em a letter):
    then prev ended its paragraph, for a typesetter fills a line before starting the next."""
    first = ln.text.split(" ", 1)[0]
    room = prev.col_right - prev.x1
    return room > (len(first) + 1) * 0.55 * prev.size + 0.5 * max(ln.size, prev.size)


def _wrapped_reference(cur: _Para, ln: _Line, label: Label) -> bool:
    """Whether a line that starts "point 1." or "article 5" is a cross-reference that wrapped
    ("… the conditions laid down in / point 1."): the line before it is full and ends no
    sentence, and this one starts where the paragraph's lines do."""
    prev = cur.lines[-1]
    if label.kind is not LabelKind.KEYWORD or prev.page != ln.page or prev.column != ln.column:
        return False
    if prev.text.endswith(SENTENCE_END) or _fits_after(prev, ln):
        return False
    start = cur.lines[1].x0 if len(cur.lines) >= 2 else prev.x0
    return abs(ln.x0 - start) < 0.5 * ln.size


def _centred(line: _Line) -> bool:
    """Whether a line is set in the middle of its column, clear of its left edge."""
    middle = (line.col_left + line.col_right) / 2
    return abs((line.x0 + line.x1) / 2 - middle) < line.size and line.x0 > line.col_left + 2 * line.size


def _paragraphs(lines: Sequence[_Line], body_size: float, pitch: float) -> list[_Para]:
    """Body lines in reading order grouped into paragraphs."""
    paras: list[_Para] = []
    cur: _Para | None = None
    for ln in lines:
        labels = match_labels(ln.text)
        if labels and cur is not None and _wrapped_reference(cur, ln, labels[0]):
            labels = ()
        bullet = bool(BULLET_RE.match(ln.text))
        starts = cur is None or labels or bullet
        if not starts and cur is not None:
            prev = cur.lines[-1]
            em = max(ln.size, prev.size)
            same_flow = prev.page == ln.page and prev.column == ln.column
            gap = ln.top - prev.top
            wide_gap = same_flow and gap > 1.3 * max(pitch, ln.size) and gap > pitch + 0.25 * em
            if wide_gap or abs(ln.size - prev.size) > 0.1 * em or ln.bold != prev.bold:
                starts = True
            elif same_flow and prev.text.endswith((":", ";")) and ln.x0 > prev.x0 + 0.6 * em:
                starts = True  # "… the following tasks:" and, set further in, the items of a list
            elif same_flow and _centred(prev) and _centred(ln):
                pass  # a centred title running over two lines: its short lines end no paragraph
            else:
                # The line would have fitted at the end of the previous one: a paragraph ended.
                broken = _halves(prev.text, ln.text) is not None
                if _fits_after(prev, ln) and not broken:
                    starts = True
                elif same_flow and len(cur.lines) >= 2:
                    # Lines of a paragraph after its first start where its second started; across
                    # a column or page break the columns' edges are too uncertain to compare.
                    second = cur.lines[1]
                    if second.page == ln.page and second.column == ln.column and abs(ln.x0 - second.x0) > 0.6 * em:
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
        head = para.lines[0]
        if para.kind is BlockKind.PARAGRAPH and not match_labels(head.text):
            text = " ".join(ln.text for ln in para.lines)
            bigger = head.size >= 1.15 * body_size
            # A title in large type wraps onto more lines than a bold heading in body type.
            short = len(para.lines) <= (6 if bigger else 3) and not text.rstrip().endswith((".", ";", ":", ","))
            if (bigger or head.bold) and short:
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


def _layout(pages: list[_Page], rotated: list[tuple[int, str]], source: str, bullets: bool = False) -> PdfReading:
    """Turn pages of lines into the Document the outline builder makes of them."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for ln in page.body:
            sizes[ln.size] += len(ln.text)
    body_size = sizes.most_common(1)[0][0] if sizes else 10.0
    _split_furniture(pages)
    _split_footnotes(pages, body_size)
    _column_edges(pages)
    consumed: Counter[str] = Counter(
        ch for page in pages for ln in page.body for ch in ln.doubled if not ch.isspace()
    )
    footnote_lines: list[_Line] = []
    calls: dict[int, dict[str, _Line]] = {}
    markers_of = [
        {m.group(1) for ln in page.footnotes if (m := _MARKER.match(ln.text))} for page in pages
    ]
    for k, page in enumerate(pages):
        # A footnote that did not fit is printed on the next page.
        markers = markers_of[k] | (markers_of[k + 1] if k + 1 < len(pages) else set())
        called = calls.setdefault(page.number, {})
        for ln in page.body:
            _strip_references(ln, markers, consumed, called)
        footnote_lines.extend(page.footnotes)
    body = [ln for page in pages for ln in page.body if ln.text]
    pitches = [
        b.top - a.top
        for a, b in itertools.pairwise(body)
        if a.page == b.page and a.column == b.column and abs(a.size - b.size) < 0.5 and b.top > a.top
    ]
    pitch = statistics.median(pitches) if pitches else 1.2 * body_size
    joiner = _Joiner(body + footnote_lines)
    number = 0
    for page in pages:
        # Reading order: the header, the body, its footnotes, the footer.
        top = [ln for ln in page.furniture if ln.top < page.height / 2]
        bottom = [ln for ln in page.furniture if ln.top >= page.height / 2]
        for ln in top + page.body + page.footnotes + bottom:
            number += 1
            ln.number = number
    paras = _paragraphs(body, body_size, pitch)
    blocks = list(_blocks(paras, joiner, body_size))
    doc = build_document(blocks, source, Format.PDF, bullets=bullets)
    extra: list[tuple[int, OutsideKind, str]] = []
    for page in pages:
        for ln in page.furniture:
            extra.append((ln.number, OutsideKind.PAGE, ln.text))
    notes: list[tuple[int, list[_Line]]] = []
    for page in pages:
        for ln in page.footnotes:
            if _MARKER.match(ln.text) or not notes:
                notes.append((page.number, [ln]))
            else:
                notes[-1][1].append(ln)  # a footnote running on into the next column or page
    for page_number, note in notes:
        m = _MARKER.match(note[0].text)
        mark = m.group(1) if m else None
        caller = calls.get(page_number, {}).get(mark or "") or calls.get(page_number - 1, {}).get(mark or "")
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
    flat = _first_line_indented(paras)
    prev: _Para | None = None
    for para in paras:
        first = para.lines[0]
        text = joiner.join([ln.text for ln in para.lines])
        # A paragraph's indent is where its lines start, not a first-line indent: the outline
        # builder attaches an unlabelled paragraph to the deepest point indented no further.
        left = min(ln.x0 - ln.col_left for ln in para.lines)
        indent = 0 if flat else max(0, round(left / (0.5 * body_size)))
        label_indent = max(0, round((first.x0 - first.col_left) / (0.5 * body_size)))
        labels = match_labels(text) if para.kind is not BlockKind.HEADING else ()
        soft = False
        if labels and prev is not None:
            last = prev.lines[-1]
            same_flow = last.page == first.page and last.column == first.column
            outdented = (first.x0 - first.col_left) < (last.x0 - last.col_left) - 0.5 * first.size
            soft = not last.text.endswith(SENTENCE_END) and not outdented and (
                not same_flow or first.top - last.top < 1.6 * first.size
            )
            labels = tuple(_by_indent(label, label_indent, styles) for label in labels)
        elif labels:
            labels = tuple(_by_indent(label, label_indent, styles) for label in labels)
        yield Block(text, first.number, para.kind, labels=labels, soft=soft, indent=indent)
        prev = para


def _first_line_indented(paras: Sequence[_Para]) -> bool:
    """Whether the draft indents the first line of its numbered paragraphs (as Russian and
    Ukrainian drafting does): then where a line starts says nothing about levels."""
    first_line = hanging = 0
    for para in paras:
        # Numbered paragraphs decide: bullets hang whatever the drafting style.
        if len(para.lines) < 2 or not match_labels(para.lines[0].text):
            continue
        first, rest = para.lines[0].x0, min(ln.x0 for ln in para.lines[1:])
        if first > rest + 0.5 * para.lines[0].size:
            first_line += 1
        elif first < rest - 0.5 * para.lines[0].size:
            hanging += 1
    return first_line > 2 * hanging and first_line >= 3


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


def read_pdf_reading(data: bytes, source: str, bullets: bool = False) -> PdfReading:
    """Read a PDF's bytes into a PdfReading, or raise the one-line error for a file it cannot read."""
    _sniff(data, source)
    pages, rotated = _read_pages(data, source)
    reading = _layout(pages, rotated, source, bullets)
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


def read_pdf(data: bytes, source: str, bullets: bool = False) -> Document:
    """Read a PDF draft's bytes into a Document (bullets: read its bulleted items as the points)."""
    return read_pdf_reading(data, source, bullets).document


__all__ = ["MAX_PAGES", "PAGE_SECONDS", "PdfReading", "read_pdf", "read_pdf_reading"]
