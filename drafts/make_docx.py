"""Write the Word versions of the 28- and 20-point sample drafts from their plain-text twins.

    python drafts/make_docx.py

The points become "List Number" paragraphs with Word's automatic numbering (the labels are not
typed), sub-points the list's second level; headings and the closing note stay unnumbered. Each
file gets one tracked change and a comment from a delegation, so that `plancmp points --original`
and Word comments as positions can be tried on them. Read with every revision accepted, each
.docx gives exactly the points and texts of its .txt twin (a test checks it).
"""

from __future__ import annotations

import sys
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


def main() -> None:
    """Write drafts/28-point.docx and drafts/20-point.docx."""
    for stem, edits in EDITS.items():
        doc = load_document(HERE / f"{stem}.txt")
        build_docx(items_for(doc, edits), HERE / f"{stem}.docx", comments=COMMENTS[stem])
        print(f"wrote {HERE / stem}.docx")


if __name__ == "__main__":
    main()
