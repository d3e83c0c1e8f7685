"""Write the Word versions of the 28- and 20-point sample drafts from their plain-text twins.

    python drafts/make_docx.py [FOLDER]     (default: this folder)

The points become "List Number" paragraphs with Word's automatic numbering (the labels are not
typed), sub-points the list's second level; headings and the closing note stay unnumbered. Each
file gets one tracked change and a comment from a delegation, so that `plancmp points --original`
and Word comments as positions can be tried on them. Read with every revision accepted, each
.docx gives exactly the points and texts of its .txt twin (a test checks it). Every run writes
the same bytes: the zip entries carry a fixed date, not the time of the run, so rebuilding the
files changes nothing in git unless their content changed.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from plancmp.model import Document, OutsideKind  # noqa: E402
from plancmp.parse import load_document  # noqa: E402
from tests.docx_build import CommentSpec, build_docx  # noqa: E402

# (file stem, {point id: (words to wrap as-is, replacement markup)}, comments on quotes)
EDITS = {
    "28-point": {
        # A sentence added while drafting: the original reading lacks it.
        "2": ("With it, every unresolved ambiguity of the past 30 years is regarded as resolved.",
              "{+With it, every unresolved ambiguity of the past 30 years is regarded as resolved.+}"),
        "21": ("recognised as de facto Russian", "[[ua]]recognised as de facto Russian[[/ua]]"),
    },
    "20-point": {
        # The army cap, raised during the talks: the original reading says 600,000.
        "4": ("800,000", "{-600,000-}{+800,000+}"),
        "12": ("The plant will be run", "[[ua]]The plant will be run[[/ua]]"),
    },
}
COMMENTS = {
    "28-point": {"ua": CommentSpec("Ukrainian delegation", "Rejects: no legal recognition of occupied land.", "UA",
                                   "2025-11-22T12:00:00Z")},
    "20-point": {"ua": CommentSpec("Ukrainian delegation", "Reserves: who runs the plant is unresolved with the United States.",
                                   "UA", "2025-12-24T12:00:00Z")},
}


def items_for(doc: Document, edits: dict[str, tuple[str, str]]) -> list[tuple[object, ...]]:
    """The draft as build_docx items: numbered points, their sub-points, text kept outside."""
    items: list[tuple[object, ...]] = []
    by_after: dict[str | None, list[object]] = {}
    for item in doc.outside:
        by_after.setdefault(item.after, []).append(item)

    def outside(after: str | None) -> None:
        for item in by_after.get(after, []):
            if item.kind is OutsideKind.HEADING:
                items.append(("title" if after is None and not items else "heading", item.text))
            else:
                items.append(("para", item.text))

    def marked(point_id: str, text: str) -> str:
        if point_id in edits:
            plain, markup = edits[point_id]
            assert plain in text, (point_id, plain)
            return text.replace(plain, markup, 1)
        return text

    outside(None)
    for point in doc.points:
        items.append(("num", 0, marked(point.id, point.text)))
        for child in point.children:
            items.append(("num", 1, marked(child.id, child.text)))
        outside(point.id)
    return items


ZIP_DATE = (1980, 1, 1, 0, 0, 0)
"""The date every zip entry carries: the earliest a zip can hold, and the same on every run."""


def fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry dated ZIP_DATE and made on one system (python-docx stamps the time of the run)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=ZIP_DATE)
            info.compress_type = entry.compress_type
            info.external_attr = entry.external_attr
            info.create_system = 3
            target.writestr(info, source.read(entry))
    return out.getvalue()


def main(folder: Path = HERE) -> None:
    """Write 28-point.docx and 20-point.docx into folder (this folder by default)."""
    folder.mkdir(parents=True, exist_ok=True)
    for stem, edits in EDITS.items():
        doc = load_document(HERE / f"{stem}.txt")
        data = build_docx(items_for(doc, edits), comments=COMMENTS[stem])
        (folder / f"{stem}.docx").write_bytes(fixed_zip(data))
        print(f"wrote {folder / stem}.docx")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
