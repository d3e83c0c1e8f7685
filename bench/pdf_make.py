"""Write PDF drafts for the PDF benchmark and the tests: Word files laid out, then printed by LibreOffice.

A source is a .docx (the bundled drafts, the synthetic benchmark's drafts) or a draft plancmp has
read (a .txt or .md, written as a .docx with typed labels and hanging indents). Each layout changes
the Word file with python-docx before LibreOffice turns it into a PDF:

    plain        A4, left-aligned, one column
    letter       US Letter, otherwise plain
    two-column   A4, two columns
    justified    A4, justified, automatic hyphenation (needs a hyphenation dictionary, e.g.
                 Debian's hyphen-en-us; without one LibreOffice justifies but does not hyphenate)
    header       A4, a running header and a "Page N of M" footer
    footnotes    A4, a footnote on every third top-level point
    combined     Letter, two columns, justified and hyphenated, header, footer and footnotes

Tracked changes are accepted and comments removed first, so that the PDF shows the text the .docx
reader reads by default.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from plancmp.model import Document, OutsideKind

LAYOUTS = ("plain", "letter", "two-column", "justified", "header", "footnotes", "combined")
"""Every layout, in the order the benchmark prints them."""

HEADER_TEXT = "Working draft — not agreed — for discussion only"
FOOTNOTES = (
    "On “{words}”: subject to the reservation stated by one delegation in the record of the session.",
    "The wording of “{words}” follows the proposal tabled by the mediators; the figures remain under review.",
    "See the annex on implementation for the timetable of “{words}” agreed by the working group.",
    "Both delegations asked for “{words}” to be read together with the preamble.",
    "Text agreed ad referendum (“{words}”); the delegations will confirm it after consulting their capitals.",
)
"""Footnote texts, used in turn, each quoting its point: real footnotes differ from each other."""

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def soffice() -> str | None:
    """The LibreOffice program, or None where it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


# -- sources --------------------------------------------------------------------------------------


def typed_docx(doc: Document) -> bytes:
    """A draft plancmp has read, as a .docx with typed labels (label, tab, text) and hanging indents."""
    import docx
    from docx.shared import Cm

    out = docx.Document()
    by_after: dict[str | None, list[Any]] = {}
    for item in doc.outside:
        by_after.setdefault(item.after, []).append(item)

    def outside(after: str | None) -> None:
        for item in by_after.get(after, []):
            if item.kind is OutsideKind.HEADING:
                style = "Title" if after is None and not out.paragraphs[0:1] else "Heading 1"
                out.add_paragraph(item.text, style=style)
            else:
                for para in item.text.split("\n"):
                    out.add_paragraph(para)

    def point(p: Any, depth: int) -> None:
        paras = p.text.split("\n") if p.text else [""]
        first = out.add_paragraph(f"{p.label}\t{paras[0]}")
        fmt = first.paragraph_format
        fmt.left_indent = Cm(1.0 + 0.9 * depth)
        fmt.first_line_indent = Cm(-1.0)
        for para in paras[1:]:
            more = out.add_paragraph(para)
            more.paragraph_format.left_indent = Cm(1.0 + 0.9 * depth)
        for child in p.children:
            point(child, depth + 1)

    outside(None)
    for p in doc.points:
        point(p, 0)
        outside(p.id)
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


# -- layouts --------------------------------------------------------------------------------------


def _accept_revisions(body: Any) -> None:
    """Drop deleted text and moved-from text, keep inserted text, drop comment marks."""
    for tag in ("del", "moveFrom"):
        for el in list(body.iter(_W + tag)):
            el.getparent().remove(el)
    for tag in ("ins", "moveTo"):
        for el in list(body.iter(_W + tag)):
            parent = el.getparent()
            if parent.tag == _W + "rPr":
                parent.remove(el)
                continue
            index = parent.index(el)
            for child in list(el):
                parent.insert(index, child)
                index += 1
            parent.remove(el)
    for tag in ("commentRangeStart", "commentRangeEnd", "commentReference", "pPrChange", "rPrChange"):
        for el in list(body.iter(_W + tag)):
            el.getparent().remove(el)


def _footnotes_part(doc: Any, texts: Sequence[str]) -> None:
    """Give the document a footnotes part holding texts as footnotes 1, 2, …"""
    from xml.sax.saxutils import escape

    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    notes = [
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>',
    ]
    for k, text in enumerate(texts, 1):
        notes.append(
            f'<w:footnote w:id="{k}"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
            '<w:r><w:rPr><w:vertAlign w:val="superscript"/><w:sz w:val="18"/></w:rPr><w:footnoteRef/></w:r>'
            f'<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve"> {escape(text)}</w:t></w:r>'
            "</w:p></w:footnote>"
        )
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{_W_NS}">{"".join(notes)}</w:footnotes>'
    part = Part(PackURI("/word/footnotes.xml"), _FOOTNOTES_CT, xml.encode("utf-8"), doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES)


def _add_footnotes(doc: Any) -> None:
    """A footnote reference at the end of every third numbered top-level paragraph."""
    from docx.oxml.parser import parse_xml

    texts: list[str] = []
    top = 0
    for para in doc.paragraphs:
        ppr = para._p.pPr
        level = None
        if ppr is not None and ppr.numPr is not None and ppr.numPr.ilvl is not None:
            level = ppr.numPr.ilvl.val
        elif para.text[:1].isdigit() and "\t" in para.text[:8]:
            level = 0
        if level != 0:
            continue
        top += 1
        if top % 3 != 1 or not para.text.strip():
            continue
        words = " ".join(para.text.rstrip(".;:").split()[-3:])
        texts.append(FOOTNOTES[len(texts) % len(FOOTNOTES)].format(words=words))
        para._p.append(parse_xml(
            f'<w:r xmlns:w="{_W_NS}"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            f'<w:footnoteReference w:id="{len(texts)}"/></w:r>'
        ))
    _footnotes_part(doc, texts)


def _header_footer(doc: Any) -> None:
    from docx.oxml.parser import parse_xml

    section = doc.sections[0]
    section.header.paragraphs[0].text = HEADER_TEXT
    footer = section.footer.paragraphs[0]
    footer.text = ""
    ns = f'xmlns:w="{_W_NS}"'
    for xml in (
        f'<w:r {ns}><w:t xml:space="preserve">Page </w:t></w:r>',
        f'<w:fldSimple {ns} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>',
        f'<w:r {ns}><w:t xml:space="preserve"> of </w:t></w:r>',
        f'<w:fldSimple {ns} w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple>',
    ):
        footer._p.append(parse_xml(xml))


def _page(doc: Any, letter: bool) -> None:
    from docx.shared import Inches, Mm

    for section in doc.sections:
        if letter:
            section.page_width, section.page_height = Inches(8.5), Inches(11)
        else:
            section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)
        section.top_margin = section.bottom_margin = Mm(25)


def _columns(doc: Any) -> None:
    from docx.oxml.parser import OxmlElement

    for section in doc.sections:
        sect = section._sectPr
        cols = sect.find(_W + "cols")
        if cols is None:
            cols = OxmlElement("w:cols")
            sect.append(cols)
        cols.set(_W + "num", "2")
        cols.set(_W + "space", "567")


def _justify(doc: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.parser import OxmlElement

    for para in doc.paragraphs:
        para.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    settings = doc.settings.element
    if settings.find(_W + "autoHyphenation") is None:
        hyph = OxmlElement("w:autoHyphenation")
        settings.insert(0, hyph)
    # LibreOffice hyphenates by the text's language: say it is English.
    for style_name in ("Normal",):
        rpr = doc.styles[style_name].element.get_or_add_rPr()
        lang = rpr.find(_W + "lang")
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(_W + "val", "en-US")


def laid_out(source: bytes, layout: str) -> bytes:
    """The .docx source with one of LAYOUTS applied, revisions accepted and comments removed."""
    import docx

    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; use one of {', '.join(LAYOUTS)}")
    doc = docx.Document(io.BytesIO(source))
    _accept_revisions(doc.element.body)
    _page(doc, letter=layout in ("letter", "combined"))
    if layout in ("two-column", "combined"):
        _columns(doc)
    if layout in ("justified", "combined"):
        _justify(doc)
    if layout in ("header", "combined"):
        _header_footer(doc)
    if layout in ("footnotes", "combined"):
        _add_footnotes(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def to_pdf(docx_files: Sequence[Path], out_dir: Path) -> list[Path]:
    """Print .docx files to PDF with LibreOffice (one run, its own profile); return the PDFs' paths."""
    program = soffice()
    if program is None:
        raise RuntimeError("LibreOffice (soffice) is not installed; apt-get install libreoffice-writer-nogui")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="plancmp-soffice-") as profile:
        # A profile of its own: a user's running LibreOffice (or another run) would take the job.
        cmd = [program, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
               "--outdir", str(out_dir), *map(str, docx_files)]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=60 + 10 * len(docx_files), env={**os.environ, "HOME": profile})
    pdfs = [out_dir / (Path(f).stem + ".pdf") for f in docx_files]
    missing = [p for p in pdfs if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice wrote no {missing[0].name}")
    return pdfs


__all__ = ["LAYOUTS", "laid_out", "soffice", "to_pdf", "typed_docx"]
