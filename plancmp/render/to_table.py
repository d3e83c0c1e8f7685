"""`plancmp history --format docx|csv`: the negotiation table, one row per point, one column per draft.

The "four-column document" of EU trilogues, the "departures table" of contract teams: each row
follows one point (its lineage) through the drafts; each draft's column holds that draft's text of
the point, and in the Word form the changes from the previous column are tracked changes, authored
by the draft that made them (so Word colours each round's changes its own way). Then a status
column (what happened at each step, where the direct first → last comparison disagrees) and a
positions column. The Word table is landscape, its header row repeats on every page, and its small
print stays readable on paper. The CSV holds the same cells as plain text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from plancmp.model import Chain, Document, EditOp, Lineage
from plancmp.render import describe_position
from plancmp.render.history import positions_of, shown_lineages, summary_line

if TYPE_CHECKING:
    from lxml.etree import _Element
else:
    _Element = Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Cell beginnings a spreadsheet would run as a formula (CSV injection): such cells get a leading '."""


def lineage_text(doc: Document, ids: Sequence[str]) -> str:
    """A draft's text of a lineage: each point's label and text, its sub-points on lines of their own."""
    parts = []
    for pid in ids:
        point = doc.find(pid)
        if point is not None:
            parts.append(f"{point.label} {point.full_text}".strip())
    return "\n".join(parts)


def lineage_status(chain: Chain, lineage: Lineage) -> list[str]:
    """What happened to a lineage, step by step, and where the direct comparison disagrees."""
    from plancmp.render.history import _step_text

    lines = [
        f"{chain.labels[k + 1]}: {_step_text(group)}"
        for k, groups in enumerate(lineage.steps)
        for group in groups
        if group.changed
    ]
    if not lines:
        lines.append("unchanged")
    if lineage.note:
        lines.append(f"⚠ {lineage.note}")
    return lines


def _rows(chain: Chain, only: Sequence[str] | bool) -> list[tuple[str, list[str], list[str], list[str]]]:
    """(path, text per draft, status lines, positions) for each lineage shown."""
    rows = []
    for lineage in shown_lineages(chain, only):
        texts = [lineage_text(doc, ids) for doc, ids in zip(chain.drafts, lineage.ids)]
        positions = [describe_position(pp, chain.parties) for pp in positions_of(chain, lineage)]
        rows.append((lineage.path, texts, lineage_status(chain, lineage), positions))
    return rows


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def render_history_csv(chain: Chain, only: Sequence[str] | bool = ()) -> str:
    """The negotiation table as CSV: point, one column per draft, status, positions."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["point", *chain.labels, "status", "positions"])
    for path, texts, status, positions in _rows(chain, only):
        writer.writerow([_cell(c) for c in (path, *texts, "\n".join(status), "\n".join(positions))])
    return out.getvalue()


# -- the Word table ---------------------------------------------------------------------------------

_PAGE = {"w": "16838", "h": "11906", "orient": "landscape"}
"""A4 landscape, in twentieths of a point."""
_MARGIN = 720
_FONT_HALF_POINTS = "17"
"""8.5 pt: five columns of treaty text on one landscape page, still readable on paper."""


def render_history_docx(
    chain: Chain,
    title: str = "",
    dates: Sequence[str] = (),
    only: Sequence[str] | bool = (),
) -> bytes:
    """The negotiation table as a Word document: landscape, header row repeated, changes tracked."""
    from plancmp.diff import word_edits
    from plancmp.render.ooxml import DELETE, INSERT, Marks, W, make_run, mark_paragraph, wrap
    from plancmp.render.to_docx import _Target, word_date

    target = _Target(None)
    target.clear_body()
    body = target.body
    section = body.find(W + "sectPr")
    _landscape(section)
    elements: list[_Element] = []

    def paragraph(text: str, style: str | None = None, bold: bool = False) -> _Element:
        p = body.makeelement(W + "p", {})
        if style is not None:
            ppr = p.makeelement(W + "pPr", {})
            ppr.append(ppr.makeelement(W + "pStyle", {W + "val": style}))
            p.append(ppr)
        run = make_run(p, text)
        if bold:
            rpr = run.makeelement(W + "rPr", {})
            rpr.append(rpr.makeelement(W + "b", {}))
            run.insert(0, rpr)
        p.append(run)
        return p

    elements.append(paragraph(title or " → ".join(chain.labels), target.style("title")))
    elements.append(paragraph(summary_line(chain)))
    columns = ["Point", *chain.labels, "Status", "Positions"]
    widths = _widths(len(chain.labels))
    table = _table(body, widths)
    header = _row(table, header=True)
    for name, k in zip(columns, range(len(columns))):
        label = name
        if 0 < k <= len(chain.labels) and k - 1 < len(dates) and dates[k - 1]:
            label = f"{name} ({dates[k - 1]})"
        _text_cell(header, widths[k], [label], bold=True)
    revision_dates = [_revision_date(dates[k] if k < len(dates) else "", word_date) for k in range(len(chain.labels))]
    next_id = 1
    for path, texts, status, positions in _rows(chain, only):
        tr = _row(table)
        _text_cell(tr, widths[0], [path], bold=True)
        for k, text in enumerate(texts):
            tc = _cell_element(tr, widths[k + 1])
            previous = texts[k - 1] if k > 0 else None
            marks = Marks(chain.labels[k], revision_dates[k], next_id)
            lines = _tracked_lines(previous, text, word_edits)
            for n, line in enumerate(lines):
                p = _tight(tc)
                if n + 1 < len(lines) and line[-1][0] is not EditOp.EQUAL:
                    # The line break itself was added or removed: the paragraph mark is tracked.
                    mark_paragraph(p, INSERT if line[-1][0] is EditOp.INSERT else DELETE, marks)
                for op, piece in line:
                    if not piece:
                        continue
                    run = make_run(p, piece, _small(p), deleted=op is EditOp.DELETE)
                    p.append(run)
                    if op is EditOp.INSERT:
                        wrap(run, INSERT, marks)
                    elif op is EditOp.DELETE:
                        wrap(run, DELETE, marks)
                tc.append(p)
            next_id = marks.next_id
        _text_cell(tr, widths[-2], status)
        _text_cell(tr, widths[-1], positions or [""])
    elements.append(table)
    for element in elements:
        section.addprevious(element)
    return target.save()


def _revision_date(value: str, word_date: Any) -> str:
    """A draft's date as the date of its changes, when it is a date; else none (the attribute is optional)."""
    try:
        return str(word_date(value)) if value else ""
    except ValueError:
        return ""


def _tracked_lines(previous: str | None, text: str, word_edits: Any) -> list[list[tuple[EditOp, str]]]:
    """A cell's text as lines of (op, text): the changes from the previous column's text.

    A line ends with the piece that held its line break, so its op says whether the break was
    kept, added or removed.
    """
    if previous is None:
        runs = [(EditOp.EQUAL, text or "—")]
    elif not previous and not text:
        runs = [(EditOp.EQUAL, "—")]
    else:
        runs = [(e.op, e.text) for e in word_edits(previous, text)]
    lines: list[list[tuple[EditOp, str]]] = [[]]
    for op, piece in runs:
        chunks = piece.split("\n")
        for n, chunk in enumerate(chunks):
            if n:
                lines[-1].append((op, ""))
                lines.append([])
            lines[-1].append((op, chunk))
    return lines


def _widths(drafts: int) -> list[int]:
    """Column widths (twentieths of a point) filling a landscape A4 page between margins."""
    total = int(_PAGE["w"]) - 2 * _MARGIN
    point, status, positions = 900, 2200, 2400
    each = max(1200, (total - point - status - positions) // max(drafts, 1))
    return [point, *([each] * drafts), status, positions]


def _landscape(section: _Element) -> None:
    from plancmp.render.ooxml import W

    size = section.find(W + "pgSz")
    if size is None:
        size = section.makeelement(W + "pgSz", {})
        section.insert(0, size)
    for key, value in _PAGE.items():
        size.set(W + key, value)
    margins = section.find(W + "pgMar")
    if margins is not None:
        for side in ("top", "right", "bottom", "left"):
            margins.set(W + side, str(_MARGIN))


def _table(factory: _Element, widths: Sequence[int]) -> _Element:
    from docx.oxml.parser import parse_xml

    from plancmp.render.ooxml import W

    table = factory.makeelement(W + "tbl", {})
    grey = 'w:val="single" w:sz="4" w:space="0" w:color="999999"'
    table.append(parse_xml(
        f'<w:tblPr xmlns:w="{W[1:-1]}"><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f"<w:tblBorders><w:top {grey}/><w:left {grey}/><w:bottom {grey}/><w:right {grey}/>"
        f"<w:insideH {grey}/><w:insideV {grey}/></w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
        '<w:tblCellMar><w:left w:w="60" w:type="dxa"/><w:right w:w="60" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr>"
    ))
    grid = table.makeelement(W + "tblGrid", {})
    for width in widths:
        grid.append(grid.makeelement(W + "gridCol", {W + "w": str(width)}))
    table.append(grid)
    return table


def _row(table: _Element, header: bool = False) -> _Element:
    from plancmp.render.ooxml import W

    tr = table.makeelement(W + "tr", {})
    pr = tr.makeelement(W + "trPr", {})
    if header:
        # Repeated at the top of every page the table runs onto.
        pr.append(pr.makeelement(W + "tblHeader", {}))
    tr.append(pr)
    table.append(tr)
    return tr


def _cell_element(tr: _Element, width: int) -> _Element:
    from plancmp.render.ooxml import W

    tc = tr.makeelement(W + "tc", {})
    pr = tc.makeelement(W + "tcPr", {})
    pr.append(pr.makeelement(W + "tcW", {W + "w": str(width), W + "type": "dxa"}))
    tc.append(pr)
    tr.append(tc)
    return tc


def _tight(factory: _Element) -> _Element:
    """A cell paragraph with a little space after it, not the body text's."""
    from plancmp.render.ooxml import W

    p = factory.makeelement(W + "p", {})
    ppr = p.makeelement(W + "pPr", {})
    ppr.append(ppr.makeelement(W + "spacing", {W + "before": "0", W + "after": "40"}))
    p.append(ppr)
    return p


def _small(factory: _Element, bold: bool = False) -> _Element:
    from plancmp.render.ooxml import W

    rpr = factory.makeelement(W + "rPr", {})
    if bold:
        rpr.append(rpr.makeelement(W + "b", {}))
    rpr.append(rpr.makeelement(W + "sz", {W + "val": _FONT_HALF_POINTS}))
    return rpr


def _text_cell(tr: _Element, width: int, lines: Sequence[str], bold: bool = False) -> None:
    from plancmp.render.ooxml import make_run

    tc = _cell_element(tr, width)
    for line in lines or [""]:
        p = _tight(tc)
        if line:
            p.append(make_run(p, line, _small(p, bold)))
        tc.append(p)
