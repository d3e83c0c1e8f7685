"""Build real .docx drafts with python-docx, plus the XML python-docx cannot write.

Used by the tests, the benchmarks and the script that writes the sample drafts. A draft is a list
of items; the text of an item may carry markup:

    {+inserted+}        a tracked insertion        {-deleted-}     a tracked deletion
    [[c1]] … [[/c1]]    the range of comment "c1"  {fld:PAGE|3}    a field that displays "3"

Items (any paragraph item may end with a dict of options):

    ("title", text)                  Title style
    ("heading", text[, level])       Heading 1 (or Heading <level>)
    ("para", text)                   a plain paragraph; typed labels are just text ("1. Borders")
    ("num", level, text[, num])      a "List Number" paragraph on list instance num (default "main")
    ("numid", num_id, level, text)   a paragraph on a raw numId, even one numbering.xml lacks
    ("styled", style, text)          a paragraph in a named style ("Point", "List Bullet")
    ("bullet", text)                 a "List Bullet" paragraph
    ("table", rows)                  rows of cells; a cell is a str or a list of items (tables nest)
    ("xml", "<w:p>…</w:p>")          a raw paragraph, for what the markup cannot say

Markup does not nest: write "[[c1]]{-deleted-}[[/c1]]", not "{-[[c1]]deleted[[/c1]]-}".

Options: {"mark": "ins" | "del"} tracks the paragraph mark itself (a whole paragraph inserted or
deleted); {"was": None | (num, level)} records a tracked numbering change (w:pPrChange) and what the
numbering was before it; {"style": name} sets the paragraph style; {"lang": "ru-RU"} the language
of the paragraph mark and its runs.

Lists: `lists` maps a name to its levels, each (numFmt, lvlText) or a dict with fmt, text, start,
restart, legal, pstyle, suff ("tab", "space", "nothing"), lang, and custom (a w:format string such
as "001, 002, 003, ...", written as Word 2010 does: in mc:AlternateContent, with fmt as the
fallback). Every list gets an abstractNum and a w:num of the same name; `nums` adds more w:num
instances over a list, with startOverride values: {"again": ("main", {0: 1})}.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

AUTHOR = "Drafter"
DATE = "2025-11-21T09:00:00Z"

MAIN_LIST: tuple[tuple[str, str], ...] = (
    ("decimal", "%1."),
    ("lowerLetter", "%2)"),
    ("lowerRoman", "(%3)"),
)
"""The list most drafts use: 1. / a) / (i)."""
BULLET_LIST = (("bullet", "•"), ("bullet", "◦"))

Item = tuple[Any, ...]
LevelSpec = tuple[str, str] | Mapping[str, Any]

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
_TOKEN = re.compile(
    r"\{\+(?P<ins>.*?)\+\}|\{-(?P<del>.*?)-\}|\[\[(?P<end>/?)(?P<comment>\w+)\]\]"
    r"|\{fld:(?P<instr>[^|}]*)\|(?P<result>[^}]*)\}",
    re.DOTALL,
)


@dataclass(frozen=True)
class CommentSpec:
    """A comment on the range [[name]] … [[/name]]; a newline in text starts a paragraph."""

    author: str
    text: str
    initials: str = ""
    date: str = DATE


def _level_xml(ilvl: int, spec: LevelSpec) -> str:
    s = dict(spec) if isinstance(spec, Mapping) else {"fmt": spec[0], "text": spec[1]}
    parts = [f'<w:lvl w:ilvl="{ilvl}">', f'<w:start w:val="{s.get("start", 1)}"/>']
    if s.get("custom"):
        parts.append(
            '<mc:AlternateContent><mc:Choice Requires="w14">'
            f'<w:numFmt w:val="custom" w:format={quoteattr(s["custom"])}/></mc:Choice>'
            f'<mc:Fallback><w:numFmt w:val="{s["fmt"]}"/></mc:Fallback></mc:AlternateContent>'
        )
    else:
        parts.append(f'<w:numFmt w:val="{s["fmt"]}"/>')
    if s.get("restart") is not None:
        parts.append(f'<w:lvlRestart w:val="{s["restart"]}"/>')
    if s.get("pstyle"):
        parts.append(f'<w:pStyle w:val="{s["pstyle"]}"/>')
    if s.get("legal"):
        parts.append("<w:isLgl/>")
    if s.get("suff"):
        parts.append(f'<w:suff w:val="{s["suff"]}"/>')
    parts.append(f"<w:lvlText w:val={quoteattr(s['text'])}/>")
    parts.append('<w:lvlJc w:val="left"/>')
    parts.append(f'<w:pPr><w:ind w:left="{720 * (ilvl + 1)}" w:hanging="360"/></w:pPr>')
    if s.get("lang"):
        parts.append(f'<w:rPr><w:lang w:val="{s["lang"]}"/></w:rPr>')
    parts.append("</w:lvl>")
    return "".join(parts)


def numbering_xml(
    lists: Mapping[str, Sequence[LevelSpec]], nums: Mapping[str, tuple[str, Mapping[int, int]]]
) -> tuple[str, dict[str, int]]:
    """word/numbering.xml for these lists and extra instances, and the numId of each name."""
    abstracts: list[str] = []
    instances: list[str] = []
    num_ids: dict[str, int] = {}
    abstract_ids: dict[str, int] = {}
    for aid, (name, levels) in enumerate(lists.items(), start=1):
        abstract_ids[name] = aid
        body = "".join(_level_xml(i, spec) for i, spec in enumerate(levels))
        abstracts.append(
            f'<w:abstractNum w:abstractNumId="{aid}"><w:multiLevelType w:val="multilevel"/>{body}</w:abstractNum>'
        )
    every: dict[str, tuple[str, Mapping[int, int]]] = {name: (name, {}) for name in lists}
    every.update(nums)
    for num_id, (name, (list_name, starts)) in enumerate(every.items(), start=1):
        num_ids[name] = num_id
        overrides = "".join(
            f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{value}"/></w:lvlOverride>'
            for ilvl, value in starts.items()
        )
        instances.append(
            f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_ids[list_name]}"/>{overrides}</w:num>'
        )
    xml = (
        f'<w:numbering xmlns:w="{_W_NS}" xmlns:mc="{_MC_NS}" xmlns:w14="{_W14_NS}" mc:Ignorable="w14">'
        f'{"".join(abstracts)}{"".join(instances)}</w:numbering>'
    )
    return xml, num_ids


class _Builder:
    """One document being built: python-docx for the package, lxml for the rest."""

    def __init__(
        self,
        lists: Mapping[str, Sequence[LevelSpec]],
        nums: Mapping[str, tuple[str, Mapping[int, int]]],
        styles: Mapping[str, Mapping[str, Any]],
    ) -> None:
        import docx

        self.doc = docx.Document()
        self.revision = 0
        self.first_run: dict[str, Any] = {}
        self.last_run: dict[str, Any] = {}
        self.waiting: set[str] = set()
        self.latest_run: Any = None
        self._numbering({"bullet": BULLET_LIST, **lists}, nums)
        self._styles(styles)

    def _numbering(self, lists: Mapping[str, Sequence[LevelSpec]], nums: Mapping[str, Any]) -> None:
        from docx.oxml.parser import parse_xml

        xml, self.num_ids = numbering_xml(lists, nums)
        self.doc.part.numbering_part._element = parse_xml(xml)
        for style, num in (("List Number", "main"), ("List Bullet", "bullet")):
            if num in self.num_ids:
                self._style_numbering(self.doc.styles[style].element, self.num_ids[num], None)

    def _style_numbering(self, element: Any, num_id: int | None, ilvl: int | None) -> None:
        numpr = element.get_or_add_pPr().get_or_add_numPr()
        if ilvl is not None:
            numpr.get_or_add_ilvl().val = ilvl
        if num_id is not None:
            numpr.get_or_add_numId().val = num_id

    def _styles(self, styles: Mapping[str, Mapping[str, Any]]) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        for name, spec in styles.items():
            style = self.doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = self.doc.styles[spec.get("based_on") or "Normal"]
            num, ilvl = spec.get("num"), spec.get("ilvl")
            if num is not None or ilvl is not None:
                num_id = None if num is None else 0 if num == 0 else self.num_ids[num]
                self._style_numbering(style.element, num_id, ilvl)

    # -- revisions ---------------------------------------------------------------------------

    def _revision(self, kind: str) -> Any:
        from docx.oxml.ns import qn
        from docx.oxml.parser import OxmlElement

        self.revision += 1
        attrs = {qn("w:id"): str(1000 + self.revision), qn("w:author"): AUTHOR, qn("w:date"): DATE}
        return OxmlElement(f"w:{kind}", attrs=attrs)

    def _run(self, paragraph: Any, text: str, kind: str | None = None) -> None:
        from docx.oxml.ns import qn

        run = paragraph.add_run(text)
        if kind is not None:
            wrapper = self._revision(kind)
            run._r.addprevious(wrapper)
            wrapper.append(run._r)
            if kind == "del":
                for t in run._r.findall(qn("w:t")):
                    t.tag = qn("w:delText")
        for name in self.waiting:
            self.first_run[name] = run
        self.waiting.clear()
        self.latest_run = run

    def _field(self, paragraph: Any, instr: str, result: str) -> None:
        from docx.oxml.ns import qn
        from docx.oxml.parser import OxmlElement

        for kind, text in (
            ("begin", None),
            (None, f" {instr} "),
            ("separate", None),
            (None, result),
            ("end", None),
        ):
            r = OxmlElement("w:r")
            if kind is not None:
                r.append(OxmlElement("w:fldChar", attrs={qn("w:fldCharType"): kind}))
            else:
                child = OxmlElement("w:instrText" if text != result else "w:t")
                child.text = text
                child.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                r.append(child)
            paragraph._p.append(r)

    def _fill(self, paragraph: Any, text: str) -> None:
        pos = 0
        for m in _TOKEN.finditer(text):
            if m.start() > pos:
                self._run(paragraph, text[pos : m.start()])
            if m.group("ins") is not None:
                self._run(paragraph, m.group("ins"), "ins")
            elif m.group("del") is not None:
                self._run(paragraph, m.group("del"), "del")
            elif m.group("comment") is not None:
                self._comment_marker(m.group("comment"), bool(m.group("end")))
            else:
                self._field(paragraph, m.group("instr"), m.group("result"))
            pos = m.end()
        if pos < len(text):
            self._run(paragraph, text[pos:])

    def _comment_marker(self, name: str, end: bool) -> None:
        if not end:
            self.waiting.add(name)
        elif name not in self.first_run:
            raise ValueError(f"comment {name} closes before any run was anchored")
        else:
            self.last_run[name] = self.latest_run

    # -- paragraphs and items ----------------------------------------------------------------

    def _paragraph(
        self, container: Any, text: str, style: str | None, opts: Mapping[str, Any]
    ) -> Any:
        paragraph = container.add_paragraph(style=opts.get("style", style))
        self._fill(paragraph, text)
        if "lang" in opts:
            self._language(paragraph, opts["lang"])
        if "mark" in opts:
            from docx.oxml.parser import OxmlElement

            rpr = OxmlElement("w:rPr")
            rpr.append(self._revision(opts["mark"]))
            paragraph._p.get_or_add_pPr().append(rpr)
        if "was" in opts:
            self._was(paragraph, opts["was"])
        return paragraph

    def _language(self, paragraph: Any, lang: str) -> None:
        from docx.oxml.ns import qn
        from docx.oxml.parser import OxmlElement

        for run in [paragraph._p.get_or_add_pPr(), *paragraph._p.iter(qn("w:r"))]:
            rpr = run.find(qn("w:rPr"))
            if rpr is None:
                rpr = OxmlElement("w:rPr")
                run.append(rpr) if run.tag == qn("w:pPr") else run.insert(0, rpr)
            rpr.append(OxmlElement("w:lang", attrs={qn("w:val"): lang}))

    def _numbered(self, paragraph: Any, num_id: int, level: int) -> None:
        numpr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        numpr.get_or_add_ilvl().val = level
        numpr.get_or_add_numId().val = num_id

    def _was(self, paragraph: Any, was: tuple[str, int] | None) -> None:
        from docx.oxml.parser import parse_xml

        inner = ""
        if was is not None:
            inner = (
                f'<w:pStyle w:val="ListNumber"/><w:numPr><w:ilvl w:val="{was[1]}"/>'
                f'<w:numId w:val="{self.num_ids[was[0]]}"/></w:numPr>'
            )
        change = self._revision("pPrChange")
        change.append(parse_xml(f'<w:pPr xmlns:w="{_W_NS}">{inner}</w:pPr>'))
        paragraph._p.get_or_add_pPr().append(change)

    def item(self, container: Any, item: Item) -> None:
        """Add one item to the body or a table cell."""
        kind, args = item[0], list(item[1:])
        opts: Mapping[str, Any] = args.pop() if args and isinstance(args[-1], Mapping) else {}
        if kind == "title":
            self._paragraph(container, args[0], "Title", opts)
        elif kind == "heading":
            self._paragraph(container, args[0], f"Heading {args[1] if len(args) > 1 else 1}", opts)
        elif kind == "para":
            self._paragraph(container, args[0], None, opts)
        elif kind == "num":
            paragraph = self._paragraph(container, args[1], "List Number", opts)
            self._numbered(paragraph, self.num_ids[args[2] if len(args) > 2 else "main"], args[0])
        elif kind == "numid":
            paragraph = self._paragraph(container, args[2], None, opts)
            self._numbered(paragraph, args[0], args[1])
        elif kind == "styled":
            self._paragraph(container, args[1], args[0], opts)
        elif kind == "bullet":
            self._paragraph(container, args[0], "List Bullet", opts)
        elif kind == "table":
            self._table(container, args[0])
        elif kind == "xml":
            self._xml(container, args[0])
        else:
            raise ValueError(f"unknown item kind {kind!r}")

    def _table(self, container: Any, rows: Sequence[Sequence[Any]]) -> None:
        table = container.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for i, row in enumerate(rows):
            for j, cell_items in enumerate(row):
                cell = table.cell(i, j)
                placeholder = cell.paragraphs[0]._p
                items = [("para", cell_items)] if isinstance(cell_items, str) else cell_items
                for item in items:
                    self.item(cell, item)
                if items:
                    placeholder.getparent().remove(placeholder)

    def _xml(self, container: Any, xml: str) -> None:
        from docx.oxml.parser import parse_xml

        holder = container.add_paragraph()._p
        for element in list(parse_xml(f'<w:body xmlns:w="{_W_NS}">{xml}</w:body>')):
            holder.addprevious(element)
        holder.getparent().remove(holder)

    def comments(self, comments: Mapping[str, CommentSpec]) -> None:
        """Attach the comments to their ranges, range markers outside revision wrappers."""
        from docx.oxml.ns import qn

        for name, spec in comments.items():
            first, last = self.first_run[name], self.last_run[name]
            lines = spec.text.split("\n")
            comment = self.doc.add_comment(
                [first, last], text=lines[0], author=spec.author, initials=spec.initials
            )
            for line in lines[1:]:
                comment.add_paragraph(line)
            comment._comment_elm.set(qn("w:date"), spec.date)
            start = first._r.getprevious()
            end = last._r.getnext()
            reference = end.getnext()
            self._lift(start, before=True)
            self._lift(reference, before=False)
            self._lift(end, before=False)

    def _lift(self, marker: Any, before: bool) -> None:
        """Move a comment marker out of a w:ins/w:del wrapper, where Word would not put it."""
        from docx.oxml.ns import qn

        parent = marker.getparent()
        if parent.tag in (qn("w:ins"), qn("w:del")):
            (parent.addprevious if before else parent.addnext)(marker)

    def save(self) -> bytes:
        """The .docx bytes."""
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def build_docx(
    items: Sequence[Item],
    path: str | Path | None = None,
    *,
    lists: Mapping[str, Sequence[LevelSpec]] | None = None,
    nums: Mapping[str, tuple[str, Mapping[int, int]]] | None = None,
    styles: Mapping[str, Mapping[str, Any]] | None = None,
    comments: Mapping[str, CommentSpec] | None = None,
) -> bytes:
    """Build a .docx from items (see the module docstring); write it to path too if given."""
    builder = _Builder({"main": MAIN_LIST} if lists is None else lists, nums or {}, styles or {})
    for item in items:
        builder.item(builder.doc, item)
    builder.comments(comments or {})
    data = builder.save()
    if path is not None:
        Path(path).write_bytes(data)
    return data


def visible_text(text: str, original: bool = False) -> str:
    """What a reader sees of marked-up text: revisions accepted (or, if original, rejected)."""

    def keep(m: re.Match[str]) -> str:
        if m.group("ins") is not None:
            return "" if original else m.group("ins")
        if m.group("del") is not None:
            return m.group("del") if original else ""
        if m.group("result") is not None:
            return m.group("result")
        return ""

    return _TOKEN.sub(keep, text)


def items_text(items: Sequence[Item], original: bool = False) -> str:
    """The visible text of items, one paragraph a line (generated list labels are not text)."""
    lines: list[str] = []
    for item in items:
        kind, args = item[0], [a for a in item[1:] if not isinstance(a, Mapping)]
        opts = item[-1] if isinstance(item[-1], Mapping) else {}
        if kind == "table":
            for row in args[0]:
                for cell in row:
                    lines.append(
                        items_text([("para", cell)] if isinstance(cell, str) else cell, original)
                    )
            continue
        if kind == "xml":
            raise ValueError("items_text cannot see into raw XML items")
        text = args[2] if kind == "numid" else args[1] if kind in ("num", "styled") else args[0]
        removed = opts.get("mark") == ("ins" if original else "del")
        lines.append(visible_text(text, original) + ("" if removed else "\n"))
    return "".join(lines)


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def _rels(targets: Mapping[str, str]) -> str:
    rows = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL_TYPE}{kind}" Target="{target}"/>'
        for i, (kind, target) in enumerate(targets.items(), start=1)
    )
    return f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rows}</Relationships>'


def raw_docx(
    body: str,
    *,
    numbering: str | None = None,
    styles: str | None = None,
    comments: str | None = None,
    extra: Mapping[str, bytes] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A minimal .docx by hand: body, numbering, styles and comments as inner XML (w: prefix)."""
    ns = f'xmlns:w="{_W_NS}"'
    parts = {"word/document.xml": f"<w:document {ns}><w:body>{body}</w:body></w:document>"}
    related = {}
    for kind, inner, root in (
        ("numbering", numbering, "numbering"),
        ("styles", styles, "styles"),
        ("comments", comments, "comments"),
    ):
        if inner is not None:
            parts[f"word/{kind}.xml"] = f"<w:{root} {ns}>{inner}</w:{root}>"
            related[kind] = f"{kind}.xml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _rels({"officeDocument": "word/document.xml"}))
        zf.writestr("word/_rels/document.xml.rels", _rels(related))
        for name, xml in parts.items():
            zf.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + xml)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buffer.getvalue()


_STRICT = (
    (_W_NS, "http://purl.oclc.org/ooxml/wordprocessingml/main"),
    ("http://schemas.openxmlformats.org/officeDocument/2006/relationships", "http://purl.oclc.org/ooxml/officeDocument/relationships"),
    ("http://schemas.openxmlformats.org/officeDocument/2006/math", "http://purl.oclc.org/ooxml/officeDocument/math"),
    ("http://schemas.openxmlformats.org/drawingml/2006/main", "http://purl.oclc.org/ooxml/drawingml/main"),
)


def strict_docx(data: bytes) -> bytes:
    """A .docx rewritten as Word saves "Strict Open XML": the same parts under the purl.oclc.org
    namespaces (relationship types included), and w:conformance="strict" on the document."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            part = zin.read(info)
            for transitional, strict in _STRICT:
                part = part.replace(transitional.encode(), strict.encode())
            if info.filename == "word/document.xml":
                part = part.replace(b"<w:document ", b'<w:document w:conformance="strict" ', 1)
            zout.writestr(info, part)
    return out.getvalue()
