"""`plancmp redline`: the new draft as a Word document, with every change from the old as a tracked change.

What Word shows: words changed inside a point as insertions and deletions; a dropped point as a
deleted paragraph where it stood, an added one inserted; a moved point as a move (w:moveFrom /
w:moveTo, one name per move); a renumbered point as its typed label struck out and the new one
inserted — or, where Word's automatic numbering makes the labels, as the numbering itself (Word
counts the original view and the final view each on its own) with "renumbered: 6 → 4" in the
point's comment, since there is no label text to strike out. Merges and splits are the deletions
and insertions they are, with a comment saying so. Each party's position is a comment by that
party on the point(s) it lands on; the substantive changes of a point are one comment by plancmp.

When the new draft is a .docx, the redline is written on a copy of its package, so its styles,
numbering, headers and page set-up are the user's own; its own earlier revisions are accepted (or,
reading --original, rejected) first, as plancmp read it. Deleted paragraphs of a Word old draft
keep their formatting and numbering (lists are mapped onto the new package's or copied into it).
From .txt and .md the redline is a clean document in Word's built-in styles, with typed labels.

Read back by plancmp's own reader, the redline gives exactly the new draft (every change
accepted) and the old one (every change rejected); the renderer checks this, and when a Word
draft's formatting cannot be kept exactly it writes that side from the text instead and says so.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from plancmp.model import Comparison, Document, Group, Outside, OutsideKind, Placement, Point
from plancmp.render.ooxml import (
    DELETE,
    INSERT,
    MOVE_FROM,
    MOVE_TO,
    Complex,
    Marks,
    Segment,
    W,
    after_ppr,
    apply_segments,
    atoms,
    comparable_ppr,
    has_revisions,
    make_run,
    mark_paragraph,
    max_id,
    merge_wrappers,
    paragraph_text,
    record_ppr_change,
    resolve_revisions,
    walk_paragraphs,
    wrap,
    wrap_all,
    xml_safe,
)
from plancmp.render.redline_plan import (
    Item,
    Para,
    Plan,
    Role,
    group_note,
    plan_redline,
    position_note,
)

if TYPE_CHECKING:
    from lxml.etree import _Element
else:
    _Element = Any

_MOVE_NAME = "move{}"
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class RedlineOptions:
    """How the redline is written, and the Word packages of the drafts that are .docx files."""

    author: str = "plancmp"
    """The author of every tracked change."""
    date: str = ""
    """The date of every tracked change and comment (ISO 8601; the CLI gives now); empty: none is written."""
    summary: bool = False
    """Put a first page with the comparison's summary line and a table of the groups."""
    original: bool = False
    """The drafts were read with their own tracked changes rejected (--original)."""
    old_package: bytes | None = None
    """The old draft's .docx bytes, when it is one."""
    new_package: bytes | None = None
    """The new draft's .docx bytes, when it is one."""


@dataclass(frozen=True)
class Redline:
    """A written redline and what the user should know about it."""

    data: bytes
    """The .docx file's bytes."""
    warnings: tuple[str, ...] = ()
    """Things to tell the user (a draft's formatting that could not be kept)."""


def word_date(value: str | None = None) -> str:
    """An xsd:dateTime Word accepts ("2025-12-24T12:00:00Z") from an ISO 8601 date or date-time; now if None."""
    if not value:
        moment = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    else:
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        moment = dt.datetime.fromisoformat(text)
        if moment.tzinfo is not None:
            moment = moment.astimezone(dt.timezone.utc)
    return moment.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def draft_reading(doc: Document, auto_labels: bool = False) -> tuple[Any, ...]:
    """What a redline must give back of a draft: points (ids, labels, texts, nesting) and the text outside."""

    def point(p: Point) -> tuple[Any, ...]:
        row: tuple[Any, ...] = (p.id, p.label, p.text, tuple(point(c) for c in p.children))
        return (*row, p.auto_label) if auto_labels else row

    return tuple(point(p) for p in doc.points), tuple((o.text, o.kind, o.after) for o in doc.outside)


# -- the package written on ------------------------------------------------------------------------


class _Target:
    """The Word package being written: the new draft's copy, or python-docx's blank document."""

    def __init__(self, document: Any | None) -> None:
        import docx

        self.document = document if document is not None else docx.Document()
        self.body: _Element = self.document.element.body
        self.styles: _Element = self.document.styles.element
        self._numbering: _Element | None = None
        self._style_ids: dict[str, str] = {}

    def numbering(self) -> _Element:
        """The package's w:numbering root, made (with its part) if it has none."""
        if self._numbering is None:
            part = self.document.part
            try:
                self._numbering = part.numbering_part.element
            except NotImplementedError:
                from docx.opc.constants import CONTENT_TYPE as CT
                from docx.opc.constants import RELATIONSHIP_TYPE as RT
                from docx.opc.packuri import PackURI
                from docx.oxml.parser import parse_xml
                from docx.parts.numbering import NumberingPart

                element = parse_xml(f'<w:numbering xmlns:w="{W[1:-1]}"/>')
                new_part = NumberingPart(PackURI("/word/numbering.xml"), CT.WML_NUMBERING, element, part.package)
                part.relate_to(new_part, RT.NUMBERING)
                self._numbering = element
        return self._numbering

    def style(self, kind: str) -> str | None:
        """The style id for a generated paragraph of this kind ("title", "heading"), added if missing."""
        from plancmp.render.docx_import import style_ids_by_name

        name = {"title": "title", "heading": "heading 1"}.get(kind)
        if name is None:
            return None
        if name not in self._style_ids:
            found = style_ids_by_name(self.styles).get(("paragraph", name))
            if found is None:
                found = "Title" if kind == "title" else "Heading1"
                size = 56 if kind == "title" else 32
                self.styles.append(_xml(
                    f'<w:style w:type="paragraph" w:styleId="{found}"><w:name w:val="{name}"/>'
                    f'<w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/></w:pPr>'
                    f'<w:rPr><w:b/><w:sz w:val="{size}"/></w:rPr></w:style>'
                ))
            self._style_ids[name] = found
        return self._style_ids[name]

    def clear_body(self) -> None:
        """Remove every block of the body but its final section properties."""
        for child in list(self.body):
            if child.tag != W + "sectPr":
                self.body.remove(child)

    def clear_comments(self) -> None:
        """Remove the package's comments (their anchors went with the body)."""
        comments = self.document.comments._comments_elm
        for child in list(comments):
            comments.remove(child)

    def save(self) -> bytes:
        """The package's bytes; zip entries dated 1980 so the same inputs give the same file."""
        from docx.opc.pkgwriter import PackageWriter

        package = self.document.part.package
        parts = package.parts
        for part in parts:
            part.before_marshal()
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            writer = _DatedZip(zf)
            # python-docx's own writer, but with fixed entry dates (its zip stamps each entry "now").
            PackageWriter._write_content_types_stream(writer, parts)
            PackageWriter._write_pkg_rels(writer, package.rels)
            PackageWriter._write_parts(writer, parts)  # type: ignore[arg-type]
        return out.getvalue()


class _DatedZip:
    """The one method of python-docx's PhysPkgWriter, writing entries with a fixed date."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf

    def write(self, pack_uri: Any, blob: bytes) -> None:
        """Add one part."""
        info = zipfile.ZipInfo(pack_uri.membername, _FIXED_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        self.zf.writestr(info, blob)


def _xml(fragment: str) -> _Element:
    from docx.oxml.parser import parse_xml

    return parse_xml(fragment.replace("<w:style ", f'<w:style xmlns:w="{W[1:-1]}" ', 1))


def _resolved(document: Any, data: bytes, doc: Document, original: bool) -> Document | None:
    """Resolve a draft package's own revisions; the draft as plancmp reads the result."""
    if not has_revisions(document.element.body):
        # Nothing to resolve: the paragraphs are the ones doc was read from.
        return doc
    resolve_revisions(document.element.body, original)
    return _reread(document, data, doc.source)


def _reread(document: Any, data: bytes, source: str) -> Document | None:
    """The draft as plancmp reads the package once its revisions are resolved; None if unreadable."""
    from lxml import etree

    from plancmp.errors import PlancmpError
    from plancmp.parse.from_docx import read_docx

    main = str(document.part.partname).lstrip("/")
    xml = etree.tostring(document.element, xml_declaration=True, encoding="UTF-8", standalone=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            if info.filename == main:
                zout.writestr(info.filename, xml)
            elif info.filename.lower().endswith((".xml", ".rels")):
                zout.writestr(info.filename, zin.read(info))
    try:
        return read_docx(buffer.getvalue(), source)
    except PlancmpError:
        return None


# -- the drafts as paragraphs -----------------------------------------------------------------------


def _generated_side(doc: Document) -> list[Para]:
    """A draft as paragraphs written from its points: typed labels, one paragraph per paragraph of text."""
    from plancmp.numbering import match_labels

    out: list[Para] = []
    after: dict[str | None, list[tuple[int, Outside]]] = {}
    for k, item in enumerate(doc.outside):
        after.setdefault(item.after, []).append((k, item))

    def outside(key: str | None) -> None:
        for k, item in after.get(key, ()):
            style = "body"
            if item.kind is OutsideKind.HEADING:
                style = "title" if key is None and not out else "heading"
            if _needs_separator(item, out[-1] if out else None):
                out.append(Para("", ("rule", str(k)), style="rule"))
            for n, piece in enumerate(item.text.split("\n")):
                out.append(Para(piece, ("outside", str(k)), n == 0, style=style))

    def point(p: Point) -> None:
        pieces = p.text.split("\n") if p.text else [""]
        first = f"{p.label} {pieces[0]}".rstrip() if pieces[0] else p.label
        # A label that reads differently with its text after it (a keyword label with no
        # delimiter, "Article 4 The parties…", is a weak one) stands on its own paragraph.
        readings = match_labels(first)
        alone = bool(pieces[0]) and not any(r.text == p.label and r.strong for r in readings)
        owner = ("point", p.id)
        if alone:
            out.append(Para(p.label, owner, True, p.label, p.depth, "point"))
            out.append(Para(pieces[0], owner, False, "", p.depth, "point"))
        else:
            out.append(Para(first, owner, True, p.label, p.depth, "point"))
        out.extend(Para(piece, owner, False, "", p.depth, "point") for piece in pieces[1:])
        for child in p.children:
            point(child)

    outside(None)
    for top in doc.points:
        point(top)
        outside(top.id)
    return out


def _needs_separator(item: Outside, last: Para | None) -> bool:
    """Whether outside text written right after this paragraph would be read as part of a point.

    A Markdown thematic break ends the points without leaving text of its own; the redline
    writes it as Word's horizontal line (an empty paragraph with a bottom border), which the
    reader takes the same way.
    """
    from plancmp.parse.outline import CLOSING_RE

    if last is None or last.owner is None or last.owner[0] != "point":
        return False
    if item.kind is OutsideKind.PARAGRAPH:
        return not CLOSING_RE.match(item.text)
    # "Article 1" alone, then a heading: the reader takes the heading as the article's title.
    return item.kind is OutsideKind.HEADING and last.first and last.text.strip() == last.label


def _bottom_border(element: _Element) -> bool:
    bottom = element.find(f"{W}pPr/{W}pBdr/{W}bottom")
    return bottom is not None and (bottom.get(W + "val") or "none") not in ("none", "nil")


def _xml_side(body: _Element, doc: Document) -> list[Para]:
    """A Word draft's own paragraphs, each with the point or outside text plancmp read in it."""
    starts: dict[int, tuple[tuple[str, str], Point | None]] = {}
    for p in doc.walk():
        starts[p.line] = (("point", p.id), p)
    for k, item in enumerate(doc.outside):
        starts.setdefault(item.line, (("outside", str(k)), None))
    out: list[Para] = []
    current: tuple[str, str] | None = None
    depth = 0
    for line, (element, _) in enumerate(walk_paragraphs(body), start=1):
        text = paragraph_text(element)
        label = ""
        first = line in starts
        if first:
            current, point = starts[line]
            depth = point.depth if point is not None else 0
            if point is not None and not point.auto_label and text.lstrip().startswith(point.label):
                label = point.label
            owner: tuple[str, str] | None = current
        elif text.strip():
            owner = current
        else:
            # A horizontal line ends the points: it must stay on both sides.
            owner = ("rule", str(line)) if _bottom_border(element) else None
        try:
            atoms(element)
            cuttable = True
        except Complex:
            cuttable = False
        out.append(Para(text, owner, first, label, depth, "body", element, cuttable))
    return out


# -- writing paragraphs ---------------------------------------------------------------------------------


def _generated_ppr(target: _Target, para: Para) -> _Element:
    ppr = target.body.makeelement(W + "pPr", {})
    style = target.style(para.style)
    if style is not None:
        ppr.append(ppr.makeelement(W + "pStyle", {W + "val": style}))
    if para.style == "rule":
        borders = ppr.makeelement(W + "pBdr", {})
        borders.append(borders.makeelement(W + "bottom", {W + "val": "single", W + "sz": "6", W + "space": "1", W + "color": "auto"}))
        ppr.append(borders)
    if para.style == "point" and para.depth:
        ppr.append(ppr.makeelement(W + "ind", {W + "left": str(567 * para.depth)}))
    return ppr


def _generated_paragraph(target: _Target, para: Para, segments: Sequence[Segment] | None = None, marks: Marks | None = None) -> _Element:
    """A paragraph written from text: one run, or one run per segment inside its revision container."""
    p = target.body.makeelement(W + "p", {})
    ppr = _generated_ppr(target, para)
    if len(ppr):
        p.append(ppr)
    if segments is None:
        if para.text:
            p.append(make_run(p, para.text))
        return p
    assert marks is not None
    for seg in segments:
        if seg.text:
            run = make_run(p, seg.text, deleted=seg.kind == DELETE)
            p.append(run)
            if seg.kind is not None:
                wrap(run, seg.kind, marks)
    merge_wrappers(p)
    return p


def _segments(edits: Sequence[Any], equal: str | None, insert: str | None, delete: str | None, own_side: str) -> list[Segment]:
    """The edits as segments of one paragraph: own_side "new" keeps equal+insert text, "old" equal+delete."""
    from plancmp.model import EditOp

    out: list[Segment] = []
    for edit in edits:
        if edit.op is EditOp.EQUAL:
            out.append(Segment(equal, edit.text))
        elif edit.op is EditOp.INSERT:
            if own_side == "new":
                out.append(Segment(insert, edit.text))
        elif own_side == "old":
            out.append(Segment(delete, edit.text))
        elif delete is not None:
            out.append(Segment(delete, edit.text, own=False))
    return out


class _Writer:
    """Turns a plan into paragraphs of the target package."""

    def __init__(self, target: _Target, old_side: Sequence[Para], new_side: Sequence[Para], importer: Any, marks: Marks) -> None:
        self.target = target
        self.old_side = old_side
        self.new_side = new_side
        self.importer = importer
        self.marks = marks

    def old_element(self, index: int, segments: Sequence[Segment] | None = None) -> _Element:
        """The old draft's paragraph for the redline; with segments, cut into them."""
        para = self.old_side[index]
        if para.element is not None:
            p = self.importer.paragraph(para.element)
            if segments is not None:
                apply_segments(p, segments, self.marks)
            return p
        return _generated_paragraph(self.target, para, segments, self.marks)

    def old_ppr(self, index: int) -> _Element | None:
        para = self.old_side[index]
        if para.element is not None:
            return self.importer.properties(para.element.find(W + "pPr"))
        return _generated_ppr(self.target, para)

    def new_element(self, index: int, segments: Sequence[Segment] | None = None) -> _Element:
        """The new draft's paragraph for the redline; with segments, cut into them."""
        para = self.new_side[index]
        if para.element is None:
            return _generated_paragraph(self.target, para, segments, self.marks)
        if segments is not None:
            apply_segments(para.element, segments, self.marks)
        return para.element

    def item(self, item: Item) -> _Element:
        """The paragraph for one item of the plan, revisions marked."""
        marks = self.marks
        if item.role is Role.NEUTRAL:
            assert item.new is not None
            return self.new_element(item.new)
        if item.role in (Role.INSERT, Role.DELETE):
            inserted = item.role is Role.INSERT
            index = item.new if inserted else item.old
            assert index is not None
            p = self.new_element(index) if inserted else self.old_element(index)
            kind = INSERT if inserted else DELETE
            wrap_all(p, kind, marks)
            mark_paragraph(p, kind, marks)
            return p
        assert item.old is not None and item.new is not None
        changed = any(e.op.value != "equal" for e in item.edits)
        if item.role is Role.KEEP:
            p = self.new_element(item.new, _segments(item.edits, None, INSERT, DELETE, "new") if changed else None)
            old_ppr = self.old_ppr(item.old)
            if comparable_ppr(old_ppr) != comparable_ppr(p.find(W + "pPr")):
                record_ppr_change(p, old_ppr, marks)
            return p
        if item.role is Role.MOVE_TO:
            p = self.new_element(item.new, _segments(item.edits, MOVE_TO, INSERT, None, "new") if changed else None)
            if not changed:
                wrap_all(p, MOVE_TO, marks)
            mark_paragraph(p, MOVE_TO, marks)
            return p
        p = self.old_element(item.old, _segments(item.edits, MOVE_FROM, None, DELETE, "old") if changed else None)
        if not changed:
            wrap_all(p, MOVE_FROM, marks)
        mark_paragraph(p, MOVE_FROM, marks)
        return p


def _place(target: _Target, plan: Plan, elements: list[_Element], in_place: bool) -> None:
    """Put the redline's paragraphs in the body: around the new draft's own, or all anew."""
    body = target.body
    if not in_place:
        end = body.find(W + "sectPr")
        for element in elements:
            if end is not None:
                end.addprevious(element)
            else:
                body.append(element)
        return
    pending: list[_Element] = []
    last: _Element | None = None
    for item, element in zip(plan.items, elements):
        if element.getparent() is None:
            pending.append(element)
            continue
        for p in pending:
            element.addprevious(p)
        pending = []
        last = element
    for p in reversed(pending):
        if last is not None:
            last.addnext(p)
        else:
            end = body.find(W + "sectPr")
            (end.addprevious if end is not None else body.append)(p)


def _move_ranges(plan: Plan, elements: list[_Element], marks: Marks) -> None:
    """w:moveFromRangeStart/End and w:moveToRangeStart/End around each move, paired by name."""
    spans: dict[tuple[str, int], list[int]] = {}
    for k, item in enumerate(plan.items):
        if item.role in (Role.MOVE_FROM, Role.MOVE_TO):
            spans.setdefault((item.role.value, item.move), []).append(k)
    for (role, number), ks in sorted(spans.items(), key=lambda kv: kv[1][0]):
        kind = "moveFrom" if role == Role.MOVE_FROM.value else "moveTo"
        first, last = elements[ks[0]], elements[ks[-1]]
        start = marks.element(first, kind + "RangeStart", name=_MOVE_NAME.format(number))
        first.insert(after_ppr(first), start)
        end = first.makeelement(W + kind + "RangeEnd", {W + "id": start.get(W + "id")})
        # After the last paragraph, not inside it, so that its mark is within the move too (as
        # Word writes it).
        last.addnext(end)


def _comments(target: _Target, plan: Plan, elements: list[_Element], marks: Marks) -> None:
    """Each note as a Word comment: range start, range end and a reference run (§17.13.4)."""
    if not plan.notes:
        return
    # The comments part's root, made by python-docx if the package has none. Comments are added
    # here directly: python-docx's add_comment looks up every existing id per comment, which
    # makes a long redline's thousand comments take seconds.
    root = target.document.comments._comments_elm
    for note in plan.notes:
        cid = marks.new_id()
        root.append(_comment(root, cid, note, marks.date))
        first, last = elements[note.first], elements[note.last]
        first.insert(after_ppr(first), first.makeelement(W + "commentRangeStart", {W + "id": cid}))
        last.append(last.makeelement(W + "commentRangeEnd", {W + "id": cid}))
        ref = last.makeelement(W + "r", {})
        ref.append(ref.makeelement(W + "commentReference", {W + "id": cid}))
        last.append(ref)
        # A comment on a deleted (or inserted) paragraph goes when the deletion is accepted (or
        # the insertion rejected), as Word does with comments on tracked text.
        role = plan.items[note.last].role
        if role in (Role.DELETE, Role.INSERT):
            wrap(ref, DELETE if role is Role.DELETE else INSERT, marks)


def _comment(factory: _Element, cid: str, note: Any, date: str) -> _Element:
    """A w:comment: one paragraph per line of the note, the first with Word's annotation mark."""
    attrs = {W + "id": cid, W + "author": xml_safe(note.author), W + "initials": xml_safe(note.initials)}
    if date:
        attrs[W + "date"] = date
    comment = factory.makeelement(W + "comment", attrs)
    for n, line in enumerate(note.text.split("\n")):
        p = comment.makeelement(W + "p", {})
        ppr = p.makeelement(W + "pPr", {})
        ppr.append(ppr.makeelement(W + "pStyle", {W + "val": "CommentText"}))
        p.append(ppr)
        if n == 0:
            mark = p.makeelement(W + "r", {})
            rpr = mark.makeelement(W + "rPr", {})
            rpr.append(rpr.makeelement(W + "rStyle", {W + "val": "CommentReference"}))
            mark.append(rpr)
            mark.append(mark.makeelement(W + "annotationRef", {}))
            p.append(mark)
        if line:
            p.append(make_run(p, line))
        comment.append(p)
    return comment


def _fill_ends(body: _Element) -> None:
    """A paragraph whose mark is tracked must have a next paragraph in its container to join: add an empty one."""
    paras = list(walk_paragraphs(body))
    tracked = {W + t for t in (INSERT, DELETE, MOVE_FROM, MOVE_TO)}
    for k, (p, container) in enumerate(paras):
        rpr = p.find(f"{W}pPr/{W}rPr")
        if rpr is None or not any(child.tag in tracked for child in rpr):
            continue
        if k + 1 < len(paras) and paras[k + 1][1] == container:
            continue
        p.addnext(p.makeelement(W + "p", {}))


def _summary_page(target: _Target, comparison: Comparison) -> list[_Element]:
    """A first page: what was compared, the summary line, and a table of the groups."""
    from plancmp.render.to_terminal import describe_summary, group_flags, group_ids

    body = target.body
    out: list[_Element] = []

    def paragraph(text: str, style: str = "body") -> _Element:
        p = _generated_paragraph(target, Para(text, None, style=style))
        out.append(p)
        return p

    paragraph(f"{comparison.old.source} → {comparison.new.source}", "title")
    paragraph(describe_summary(comparison.summary))
    rows = [("Old", "New", "What happened", "Substantive changes", "Tags")]
    for group in comparison.groups:
        if group.changed:
            changes = "; ".join(c.summary for c in group.changes if c.substantive)
            # Contested, bracketed and topic tags (--positions, --rules) of the group's points.
            points = [comparison.new.find(i) for i in group.new] or [comparison.old.find(i) for i in group.old]
            tags = ", ".join(dict.fromkeys(t.removeprefix("topic:") for p in points if p is not None for t in p.tags))
            rows.append((group_ids(group.old), group_ids(group.new), group_flags(group), changes, tags))
    table = body.makeelement(W + "tbl", {})
    widths = _column_widths(_text_width(target), rows)
    table.append(_xml_tbl_pr(sum(widths)))
    grid = table.makeelement(W + "tblGrid", {})
    for width in widths:
        grid.append(grid.makeelement(W + "gridCol", {W + "w": str(width)}))
    table.append(grid)
    for n, row in enumerate(rows):
        tr = table.makeelement(W + "tr", {})
        if n == 0:
            tr_pr = tr.makeelement(W + "trPr", {})
            tr_pr.append(tr_pr.makeelement(W + "tblHeader", {}))
            tr.append(tr_pr)
        for text, width in zip(row, widths, strict=True):
            tc = tr.makeelement(W + "tc", {})
            tc_pr = tc.makeelement(W + "tcPr", {})
            tc_pr.append(tc_pr.makeelement(W + "tcW", {W + "w": str(width), W + "type": "dxa"}))
            tc.append(tc_pr)
            cell = tc.makeelement(W + "p", {})
            if text:
                run = make_run(cell, text)
                if n == 0:
                    rpr = run.makeelement(W + "rPr", {})
                    rpr.append(rpr.makeelement(W + "b", {}))
                    run.insert(0, rpr)
                cell.append(run)
            tc.append(cell)
            tr.append(tc)
        table.append(tr)
    out.append(table)
    brk = body.makeelement(W + "p", {})
    run = brk.makeelement(W + "r", {})
    run.append(run.makeelement(W + "br", {W + "type": "page"}))
    brk.append(run)
    out.append(brk)
    return out


_TEXT_WIDTH = 8640
"""The text's width (twips) where the section does not say: a Letter page's with 1.25-inch margins."""
_CHAR, _CELL_MARGINS = 160, 230
"""Twips a character takes at most in the body font, 11 points (bold, wide letters; in the font a
reader without Calibri sees instead, DejaVu Sans), and a cell's two margins."""
_SHARES = (0.0, 0.0, 0.27, 0.5, 0.23)
"""How the width left once every column holds its longest word is shared: the ids take none, then
what happened, the changes, the tags."""


def _text_width(target: _Target) -> int:
    """The width (twips) between the margins of the document's first section, where the summary
    page stands (a landscape annex at the end has its own)."""
    section = target.document.sections[0]
    if section.page_width is None or section.left_margin is None or section.right_margin is None:
        return _TEXT_WIDTH
    # A gutter (binding room) takes its width from the text too.
    width = (section.page_width - section.left_margin - section.right_margin - (section.gutter or 0)) // 635  # EMU in a twip
    return width if width > 0 else _TEXT_WIDTH


def _column_widths(width: int, rows: Sequence[tuple[str, ...]]) -> list[int]:
    """The summary table's columns across the text's width: each at least as wide as its longest
    word ("reconstruction", "8+9", "New"), so that no word is broken across lines (a third of the
    width at most), and what is left shared out (_SHARES); where the longest words alone need more
    than the width, in proportion to them."""
    def longest(k: int) -> float:  # the header's words are bold: a quarter wider
        return max((len(w) * (1.25 if n == 0 else 1) for n, r in enumerate(rows) for w in r[k].split()), default=1)

    need = [min(width // 3, _CELL_MARGINS + int(_CHAR * longest(k))) for k in range(len(rows[0]))]
    left = width - sum(need)
    if left < 0:
        widths = [n * width // sum(need) for n in need]
    else:
        widths = [n + int(left * share) for n, share in zip(need, _SHARES, strict=True)]
    widths[-1] += width - sum(widths)
    return widths


def _xml_tbl_pr(width: int) -> _Element:
    from docx.oxml.parser import parse_xml

    return parse_xml(
        f'<w:tblPr xmlns:w="{W[1:-1]}"><w:tblW w:w="{width}" w:type="dxa"/>'
        '<w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="999999"/>'
        '<w:bottom w:val="single" w:sz="4" w:space="0" w:color="999999"/>'
        '<w:insideH w:val="single" w:sz="4" w:space="0" w:color="999999"/></w:tblBorders>'
        # Fixed: the widths below hold, rather than Word's and LibreOffice's own fitting.
        '<w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
        "</w:tblPr>"
    )


# -- the notes ------------------------------------------------------------------------------------------


def _notes(comparison: Comparison, auto_new: set[str], skip_origin: str | None) -> list[tuple[str, str, str, tuple[str, ...], tuple[str, ...]]]:
    """plancmp's comment for each point that has something to say, then the parties' positions."""
    notes: list[tuple[str, str, str, tuple[str, ...], tuple[str, ...]]] = []

    def visit(group: Group) -> None:
        text = group_note(group, any(pid in auto_new for pid in group.new))
        if text:
            notes.append(("plancmp", "pc", text, group.new, group.old))
        for child in group.children:
            visit(child)

    for group in comparison.groups:
        visit(group)
    names = {p.code: p.name for p in comparison.parties}
    for pp in comparison.positions:
        if skip_origin is not None and pp.position.origin.startswith(skip_origin):
            continue  # a comment of the new draft itself: it is in the margin already
        party = pp.position.party
        new_ids = pp.new_points if pp.placement is not Placement.RESOLVED else ()
        notes.append((names.get(party, party), party, position_note(pp), new_ids, pp.old_points))
    return notes


# -- the whole ------------------------------------------------------------------------------------------


def _open_package(data: bytes) -> Any | None:
    """A draft's package opened with python-docx, or None when it cannot be written on (a .docm,
    Strict Open XML, or anything python-docx refuses): that draft is then written from its text."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - python-docx raises KeyError, ValueError, PackageNotFoundError… on odd packages
        return None
    if document.element.tag != W + "document" or document.element.body is None:
        return None
    return document


def _side_from_package(data: bytes, doc: Document, original: bool) -> tuple[Any, list[Para] | None]:
    """Open a draft's package, resolve its revisions, and read its paragraphs if they give doc exactly."""
    document = _open_package(data)
    if document is None:
        return None, None
    reread = _resolved(document, data, doc, original)
    if reread is None or draft_reading(reread, True) != draft_reading(doc, True):
        return document, None
    return document, _xml_side(document.element.body, reread)


def _numbering_root(document: Any) -> _Element | None:
    try:
        return document.part.numbering_part.element
    except NotImplementedError:
        return None


def _write(comparison: Comparison, options: RedlineOptions, keep_old: bool, keep_new: bool) -> tuple[bytes, bool, bool]:
    """One attempt at the redline; says which drafts' own paragraphs it kept."""
    from plancmp.render.docx_import import Importer

    opened = _open_package(options.new_package) if options.new_package is not None else None
    target = _Target(opened)
    new_side: list[Para] | None = None
    if opened is not None and options.new_package is not None and keep_new:
        reread = _resolved(target.document, options.new_package, comparison.new, options.original)
        if reread is not None and draft_reading(reread, True) == draft_reading(comparison.new, True):
            new_side = _xml_side(target.body, reread)
    in_place = new_side is not None
    if new_side is None:
        target.clear_body()
        if opened is not None:
            target.clear_comments()
        new_side = _generated_side(comparison.new)
    old_side: list[Para] | None = None
    importer = None
    if options.old_package is not None and keep_old:
        old_document, old_side = _side_from_package(options.old_package, comparison.old, options.original)
        if old_side is not None:
            importer = Importer(
                old_document.styles.element, _numbering_root(old_document), target.styles, target.numbering
            )
    kept_old = old_side is not None
    if old_side is None:
        old_side = _generated_side(comparison.old)
    # Ids already used anywhere in the package (headers, footnotes and comments hold revisions
    # and anchors too): the redline's own start above them all.
    roots = [getattr(part, "_element", None) for part in target.document.part.package.parts]
    marks = Marks(options.author, options.date, max_id(roots) + 1)
    auto_new = {p.id for p in comparison.new.walk() if p.auto_label} if in_place else set()
    skip = f"{comparison.new.source} comment " if in_place else None
    plan = plan_redline(comparison, old_side, new_side, _notes(comparison, auto_new, skip))
    writer = _Writer(target, old_side, new_side, importer, marks)
    elements = [writer.item(item) for item in plan.items]
    _place(target, plan, elements, in_place)
    _move_ranges(plan, elements, marks)
    _comments(target, plan, elements, marks)
    _fill_ends(target.body)
    _properties(target, comparison, options, fresh=opened is None)
    if options.summary:
        first = target.body[0] if len(target.body) else None
        for element in _summary_page(target, comparison):
            if first is not None:
                first.addprevious(element)
            else:
                target.body.append(element)
    return target.save(), kept_old, in_place


def _properties(target: _Target, comparison: Comparison, options: RedlineOptions, fresh: bool) -> None:
    """The document properties: a fresh document's say what it is; the new draft's own are kept,
    but for who saved it last and when."""
    core = target.document.core_properties
    # Without a date the properties keep the template's: the same drafts give the same bytes.
    moment = dt.datetime.fromisoformat(options.date[:-1]).replace(tzinfo=dt.timezone.utc) if options.date else None
    core.last_modified_by = xml_safe(options.author)
    if moment is not None:
        core.modified = moment
    if fresh:
        core.author = xml_safe(options.author)
        core.title = xml_safe(comparison.new.title or "")
        core.comments = ""
        if moment is not None:
            core.created = moment
        core.revision = 1


def _unstorable(comparison: Comparison) -> bool:
    """Whether either draft holds characters XML (so Word) cannot store, such as control characters."""
    from plancmp.model import point_texts
    from plancmp.render.ooxml import INVALID_XML

    return any(INVALID_XML.search(t) for doc in (comparison.old, comparison.new) for t in point_texts(doc))


def reads_back(data: bytes, comparison: Comparison) -> tuple[bool, bool]:
    """Whether the redline read with every change rejected gives the old draft, and accepted the new."""
    from plancmp.errors import PlancmpError
    from plancmp.parse.from_docx import read_docx

    try:
        old = read_docx(data, comparison.old.source, original=True)
        new = read_docx(data, comparison.new.source)
    except PlancmpError:
        return False, False
    return draft_reading(old) == draft_reading(comparison.old), draft_reading(new) == draft_reading(comparison.new)


def build_redline(comparison: Comparison, options: RedlineOptions = RedlineOptions()) -> Redline:
    """The redline of a comparison as .docx bytes, with warnings where a draft's formatting was not kept."""
    options = replace(options, date=word_date(options.date) if options.date else "", author=xml_safe(options.author))
    keep_old, keep_new = options.old_package is not None, options.new_package is not None
    warnings: list[str] = []
    if _unstorable(comparison):
        warnings.append("the drafts hold control characters Word cannot store; the redline shows each as \ufffd")
    data, kept_old, kept_new = _write(comparison, options, keep_old, keep_new)
    old_ok = new_ok = True
    # Written from the drafts' text alone, the round trip is the benchmark's to measure
    # (bench/bench_redline.py: every bundled and synthetic pair), not worth reading a long redline
    # twice every time; and a summary page is text the reader reads too.
    if (kept_old or kept_new) and not options.summary:
        old_ok, new_ok = reads_back(data, comparison)
        if (kept_old and not old_ok) or (kept_new and not (old_ok and new_ok)):
            # A draft's own paragraphs did not survive exactly (a construct the writer mishandles):
            # write the side(s) concerned from the text instead.
            data, kept_old, kept_new = _write(comparison, options, kept_old and old_ok, kept_new and new_ok)
            old_ok, new_ok = reads_back(data, comparison)
    if keep_new and not kept_new:
        warnings.append(f"{comparison.new.source}: its formatting could not be kept exactly; the redline is written in Word's built-in styles")
    if keep_old and not kept_old:
        warnings.append(f"{comparison.old.source}: the formatting of its deleted paragraphs could not be kept; they are written as plain text")
    if not (old_ok and new_ok):
        which = " and ".join(s for s, ok in (("old", old_ok), ("new", new_ok)) if not ok)
        warnings.append(f"the redline read back by plancmp differs from the {which} draft; check it before sending")
    return Redline(data, tuple(warnings))


def render_redline_docx(comparison: Comparison, options: RedlineOptions = RedlineOptions()) -> bytes:
    """The redline as .docx bytes (see build_redline for the warnings)."""
    return build_redline(comparison, options).data


__all__ = ["Redline", "RedlineOptions", "build_redline", "draft_reading", "reads_back", "render_redline_docx", "word_date"]



