"""The batch index page: every pair of a batch with its summary, sortable, linking to its own report.

The page is written in three parts so that a batch of 100,000 pairs never holds its page in
memory: the shell (`render_index_shell`, through `render_page`, with the CSS, script and CSP every
plancmp page gets) split where the rows go, and the rows themselves (`render_index_rows`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from plancmp.render.escape import escape_terminal

_ROWS_MARK = "<!-- plancmp: rows -->"

COLUMNS = (
    ("old_points", "Old points"),
    ("new_points", "New points"),
    ("kept", "Kept"),
    ("reworded", "Reworded"),
    ("merged", "Merged"),
    ("split", "Split"),
    ("dropped", "Dropped"),
    ("added", "Added"),
    ("moved", "Moved"),
    ("renumbered", "Renumbered"),
    ("changes", "Substantive changes"),
    ("contested", "Contested"),
    ("seconds", "Seconds"),
)
"""The numeric columns of the index, after the pair and its drafts: (row key, heading)."""


def render_index_shell(pairs: int, failed: int, identical: int) -> tuple[str, str]:
    """The page before its rows and after them: head, summary, table heading; then the end."""
    from plancmp import __version__
    from plancmp.render.to_html import render_page

    context = {
        "version": __version__,
        "pairs": pairs,
        "failed": failed,
        "identical": identical,
        "columns": COLUMNS,
        "rows_mark": Markup(_ROWS_MARK),
    }
    page = render_page("batch.html.j2", context, ("batch.css",), "batch.js", "", None)
    head, tail = page.split(_ROWS_MARK)
    return head, tail


def _text(value: Any) -> str:
    # Draft paths and error messages are data: escaped for HTML, and control or bidi characters
    # shown as visible escapes, as every plancmp page shows them.
    return str(escape(escape_terminal(str(value))))


def render_index_rows(rows: Iterable[dict[str, Any]], html_reports: bool) -> Iterator[str]:
    """One <tr> per summary row, in the order given; the pair links to its HTML report or its JSON."""
    for row in rows:
        link = f"pairs/{quote(row['id'])}.{'html' if html_reports and not row['error'] else 'json'}"
        changes = None if row["error"] else sum(v for k, v in row.items() if k.startswith("changes_"))
        values = row | {"changes": changes}
        cells = [
            f'<th scope="row"><a href="{_text(link)}">{_text(row["id"])}</a></th>' if not row["error"]
            else f'<th scope="row">{_text(row["id"])}</th>',
            f"<td>{_text(row['old'])}</td>",
            f"<td>{_text(row['new'])}</td>",
        ]
        for key, _ in COLUMNS:
            value = values[key]
            cells.append(f'<td class="n">{"" if value is None else _text(value)}</td>')
        note = row["error"] or row["warnings"] or ""
        cells.append(f"<td>{_text(note)}</td>")
        opening = '<tr class="failed">' if row["error"] else "<tr>"
        yield f"{opening}{''.join(cells)}</tr>\n"
