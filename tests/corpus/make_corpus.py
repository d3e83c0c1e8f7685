"""Write the bad-input corpus: small files a user might hand plancmp, each one a known trouble.

Run `python tests/corpus/make_corpus.py` to rewrite them; the output does not depend on the date
(zip entries carry a fixed timestamp). Large inputs (a 5 MB line, a 50 MB draft, 20,000 points,
zip bombs) are made by tests/test_corpus.py in a temporary folder instead of being committed.
"""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
_DOC_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/numbering" Target="numbering.xml"/></Relationships>'
)
UKRAINIAN = "1. Суверенітет України підтверджується.\n2. Армія — 800 000 військовослужбовців.\n"


def zipped(parts: dict[str, str | bytes]) -> bytes:
    """A zip of parts, byte for byte the same on every run."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 11, 21, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buffer.getvalue()


def paragraph(text: str, num_id: int | None = None) -> str:
    """A w:p, on list numId num_id (level 0) if given."""
    numbering = (
        f'<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr>'
        if num_id is not None
        else ""
    )
    return f"<w:p>{numbering}<w:r><w:t>{text}</w:t></w:r></w:p>"


def document(body: str) -> str:
    """word/document.xml around body."""
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W}><w:body>{body}</w:body></w:document>'


def billion_laughs() -> str:
    """word/document.xml whose one word expands to 10^9 "lol"s if entities are expanded."""
    entities = "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    return (
        f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">{entities}]>'
        f"<w:document {_W}><w:body>{paragraph('1. &lol9;')}</w:body></w:document>"
    )


def broken_numbering() -> dict[str, str]:
    """Three paragraphs on list 1 and one on numId 99, which numbering.xml does not define."""
    numbering = (
        f"<w:numbering {_W}>"
        '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num></w:numbering>'
    )
    body = (
        paragraph("Ceasefire along the line of contact.", 1)
        + paragraph("Exchange of all prisoners.", 1)
        + paragraph("Elections within 100 days.", 99)
        + paragraph("Sanctions are lifted in stages.", 1)
    )
    return {
        "_rels/.rels": _RELS,
        "word/_rels/document.xml.rels": _DOC_RELS,
        "word/document.xml": document(body),
        "word/numbering.xml": numbering,
    }


def nested_text(depth: int) -> str:
    """Points nested depth deep by dotted labels: 1. / 1.1 / 1.1.1 …"""
    return "".join(
        ".".join(["1"] * d) + ("." if d == 1 else "") + f" Level {d} of the draft.\n"
        for d in range(1, depth + 1)
    )


def nested_markdown(depth: int) -> str:
    """Ordered lists nested depth deep, each item indented under the one above."""
    return "".join("   " * d + f"1. Level {d + 1} of the draft.\n" for d in range(depth))


CORPUS: dict[str, bytes] = {
    "empty.txt": b"",
    "whitespace.txt": b"  \n\t\r\n \x0b\x0c\n   \n",
    "binary.txt": bytes((i * 37 + 11) % 256 for i in range(1024)),
    "nul-byte.txt": b"1. First\x00 point.\n2. Second point.\n",
    "invalid-utf8.txt": b"1. First \xff\xfe point \xc3\x28 here.\n2. Second point.\n",
    "latin1.txt": "1. Sécurité des frontières.\n2. Élections à venir, für alle.\n".encode("cp1252"),
    "utf16-bom.txt": codecs.BOM_UTF16_LE + UKRAINIAN.encode("utf-16-le"),
    "utf16le-no-bom.txt": UKRAINIAN.encode("utf-16-le"),
    "utf16be-no-bom.txt": UKRAINIAN.encode("utf-16-be"),
    "windows-1251.txt": UKRAINIAN.encode("cp1251"),
    "crlf.txt": b"Peace plan\r\n\r\n1. Ceasefire along\r\n   the line of contact.\r\n2. Exchange of prisoners.\r\n",
    "lone-cr.txt": b"Peace plan\r\r1. Ceasefire along\r   the line of contact.\r2. Exchange of prisoners.\r",
    "pdf-renamed.txt": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n%%EOF\n",
    "all-html.md": (
        b"<h1>Peace plan</h1>\n<p>1. Ceasefire along the line of contact.</p>\n"
        b"<p>2. Exchange of <b>all</b> prisoners.<br>Within 100 days.</p>\n"
        b"<div><p>3. Elections &amp; sanctions.</p></div>\n"
    ),
    "nested-50.txt": nested_text(50).encode(),
    "nested-50.md": nested_markdown(50).encode(),
    "nested-61.md": nested_markdown(61).encode(),
    "not-a-zip.docx": b"1. This is plain text that was given a .docx name.\n",
    "no-document.docx": zipped({"notes.txt": "1. Not a Word document."}),
    "billion-laughs.docx": zipped({"_rels/.rels": _RELS, "word/document.xml": billion_laughs()}),
    "broken-numbering.docx": zipped(broken_numbering()),
}
"""Each file's name says what is wrong with it; tests/test_corpus.py says what the user sees."""


def main() -> None:
    """Write every corpus file next to this script."""
    for name, data in CORPUS.items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
