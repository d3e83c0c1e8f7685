"""WordprocessingML for the Word outputs: tracked changes, paragraphs, and a body's revisions resolved.

python-docx opens and saves packages but has no API for revisions (ECMA-376 Part 1 §17.13.5), so
they are built here as lxml elements in the python-docx tree. Conventions Word holds to, and so
does this module: every w:ins, w:del, w:moveFrom, w:moveTo, w:pPrChange and move range carries
an id unique in the document, an author and an xsd:dateTime; revision containers never nest;
deleted text is w:delText (moved-away text stays w:t, as Word writes it); a paragraph inserted or
deleted whole has its mark tracked too (w:pPr/w:rPr/w:ins or w:del), so that accepting or
rejecting leaves no empty paragraph behind.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from plancmp.parse.from_docx import _symbol as symbol

if TYPE_CHECKING:
    from lxml.etree import _Element
else:
    _Element = Any

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{" + W_NS + "}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"

INSERT, DELETE, MOVE_FROM, MOVE_TO = "ins", "del", "moveFrom", "moveTo"
"""The inline revision containers, by their element names."""
REVISIONS = frozenset(W + t for t in (INSERT, DELETE, MOVE_FROM, MOVE_TO))
TRANSPARENT = frozenset(W + t for t in ("hyperlink", "smartTag", "customXml", "fldSimple", "dir", "bdo"))
"""Inline containers whose runs read as the paragraph's own (as plancmp's DOCX reader walks them)."""
CONTAINERS = frozenset(W + t for t in ("tbl", "tr", "tc", "customXml", "sdtContent"))
"""Block containers the reader walks into for paragraphs."""
_RANGE_MARKS = frozenset(
    W + t
    for t in (
        "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd",
        "customXmlInsRangeStart", "customXmlInsRangeEnd", "customXmlDelRangeStart", "customXmlDelRangeEnd",
        "customXmlMoveFromRangeStart", "customXmlMoveFromRangeEnd", "customXmlMoveToRangeStart",
        "customXmlMoveToRangeEnd",
    )
)
_PROPERTY_CHANGES = frozenset(
    W + t for t in ("rPrChange", "tblPrChange", "tblPrExChange", "trPrChange", "tcPrChange", "tblGridChange",
                    "sectPrChange", "numberingChange")
)
_CHAR_TEXT = {W + "tab": " ", W + "ptab": " ", W + "br": " ", W + "cr": " ", W + "noBreakHyphen": "-"}
"""Run content the reader shows as one character."""
INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text that XML 1.0 can hold: control characters Word cannot store become U+FFFD."""
    return INVALID_XML.sub("\ufffd", text)


# -- revision marks --------------------------------------------------------------------------------


@dataclass
class Marks:
    """Who and when every revision is by, and the next free annotation id."""

    author: str
    """The w:author of every revision."""
    date: str
    """The w:date of every revision (xsd:dateTime), or "" for none."""
    next_id: int = 1
    """The next w:id to hand out; ids are unique across revisions, move ranges and comments."""

    def new_id(self) -> str:
        """A fresh annotation id."""
        value = self.next_id
        self.next_id += 1
        return str(value)

    def element(self, factory: _Element, kind: str, **extra: str) -> _Element:
        """A revision element (w:ins, w:del, w:pPrChange, a move range start…) with id, author, date."""
        attrs = {W + "id": self.new_id(), W + "author": self.author}
        if self.date:
            # Optional in the schema: left out where there is no date to give (not "now").
            attrs[W + "date"] = self.date
        attrs.update({W + k: v for k, v in extra.items()})
        return factory.makeelement(W + kind, attrs)


def max_id(roots: Iterable[_Element | None]) -> int:
    """The largest numeric w:id in these trees (bookmarks, comments, revisions), or 0."""
    from lxml import etree

    ids = etree.XPath("//@w:id", namespaces={"w": W_NS})
    best = 0
    for root in roots:
        if root is None:
            continue
        for value in ids(root):
            if value.isdigit():
                best = max(best, int(value))
    return best


# -- reading paragraphs as plancmp's reader does ---------------------------------------------------


def walk_paragraphs(parent: _Element, container: list[int] | None = None) -> Iterator[tuple[_Element, int]]:
    """Every w:p of a body in the reader's order, with the number of the container it sits in."""
    counter = container if container is not None else [0]
    counter[0] += 1
    mine = counter[0]
    for child in parent:
        tag = child.tag
        if tag == W + "p":
            yield child, mine
        elif tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                yield from walk_paragraphs(content, counter)
        elif tag in CONTAINERS:
            yield from walk_paragraphs(child, counter)


@dataclass
class Atom:
    """One piece of a run's visible text: a w:t, or a tab or break the reader reads as a space."""

    run: _Element
    """The w:r it belongs to."""
    child: _Element
    """The w:t (or w:tab, w:br…) element."""
    text: str
    """What the reader sees of it."""


class Complex(Exception):
    """A paragraph whose text cannot be cut into runs safely (fields, content controls, math)."""


def atoms(p: _Element) -> list[Atom]:
    """The paragraph's visible text as atoms, in order; Complex when it holds fields, math or controls."""
    out: list[Atom] = []

    def inline(parent: _Element) -> None:
        for child in parent:
            tag = child.tag
            if tag == W + "r":
                run(child)
            elif tag in TRANSPARENT:
                inline(child)
            elif tag in REVISIONS or tag == W + "sdt" or (isinstance(tag, str) and tag.startswith(M)):
                raise Complex
            # Markers (bookmarks, comment ranges, proofing marks) have no text.

    def run(r: _Element) -> None:
        for child in r:
            tag = child.tag
            if tag in (W + "t", W + "delText"):
                if child.text:
                    out.append(Atom(r, child, child.text))
            elif tag in _CHAR_TEXT:
                out.append(Atom(r, child, _CHAR_TEXT[tag]))
            elif tag == W + "sym":
                text = symbol(child)
                if text:
                    out.append(Atom(r, child, text))
            elif tag in (W + "fldChar", W + "instrText", W + "delInstrText"):
                raise Complex

    inline(p)
    return out


def paragraph_text(p: _Element) -> str:
    """What plancmp's reader sees of a paragraph (revisions already resolved): fields show their result."""
    out: list[str] = []
    fields: list[bool] = []

    def emit(text: str) -> None:
        if text and all(fields):
            out.append(text)

    def inline(parent: _Element) -> None:
        for child in parent:
            tag = child.tag
            if tag == W + "r":
                for c in child:
                    ct = c.tag
                    if ct in (W + "t", W + "delText"):
                        emit(c.text or "")
                    elif ct in _CHAR_TEXT:
                        emit(_CHAR_TEXT[ct])
                    elif ct == W + "sym":
                        emit(symbol(c))
                    elif ct == W + "fldChar":
                        kind = c.get(W + "fldCharType")
                        if kind == "begin":
                            fields.append(False)
                        elif kind == "separate" and fields:
                            fields[-1] = True
                        elif kind == "end" and fields:
                            fields.pop()
            elif tag in TRANSPARENT or tag in REVISIONS:
                inline(child)
            elif tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    inline(content)
            elif isinstance(tag, str) and tag.startswith(M):
                emit("".join(t.text or "" for t in child.iter(M + "t")))

    inline(p)
    return "".join(out)


# -- building runs and paragraphs -----------------------------------------------------------------


def text_element(factory: _Element, text: str, deleted: bool = False) -> _Element:
    """A w:t (or w:delText) keeping its spaces."""
    el = factory.makeelement(W + ("delText" if deleted else "t"), {})
    el.text = xml_safe(text)
    el.set(XML_SPACE, "preserve")
    return el


def make_run(factory: _Element, text: str, rpr: _Element | None = None, deleted: bool = False) -> _Element:
    """A w:r holding text, with a copy of rpr (run properties) if given."""
    r = factory.makeelement(W + "r", {})
    if rpr is not None:
        r.append(copy.deepcopy(rpr))
    r.append(text_element(factory, text, deleted))
    return r


def wrap(element: _Element, kind: str | None, marks: Marks) -> _Element:
    """element inside a new revision container of this kind (or element itself when kind is None)."""
    if kind is None:
        return element
    wrapper = marks.element(element, kind)
    parent = element.getparent()
    if parent is not None:
        parent.replace(element, wrapper)
    wrapper.append(element)
    if kind == DELETE:
        as_deleted(wrapper)
    return wrapper


def as_deleted(root: _Element) -> None:
    """Text inside a deletion is w:delText, field codes w:delInstrText (§17.13.5.14)."""
    for el in root.iter(W + "t", W + "instrText"):
        el.tag = W + ("delText" if el.tag == W + "t" else "delInstrText")


def _runs_to_wrap(parent: _Element) -> Iterator[_Element]:
    """The run-level children to put inside a revision container, descending where Word requires."""
    for child in list(parent):
        tag = child.tag
        if tag == W + "r":
            yield child
        elif tag in TRANSPARENT:
            # A w:ins may not hold a hyperlink; the hyperlink holds the w:ins.
            yield from _runs_to_wrap(child)
        elif tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                yield from _runs_to_wrap(content)


def wrap_all(p: _Element, kind: str, marks: Marks) -> None:
    """Every run of the paragraph inside one revision container per stretch of sibling runs."""
    for r in list(_runs_to_wrap(p)):
        wrap(r, kind, marks)
    merge_wrappers(p)


def merge_wrappers(parent: _Element) -> None:
    """Adjacent revision containers of one kind become one (fewer ids, the same meaning)."""
    prev = None
    for child in list(parent):
        if child.tag in REVISIONS and prev is not None and prev.tag == child.tag:
            for grandchild in list(child):
                prev.append(grandchild)
            parent.remove(child)
            continue
        if child.tag in TRANSPARENT:
            merge_wrappers(child)
        prev = child


def mark_paragraph(p: _Element, kind: str, marks: Marks) -> None:
    """Track the paragraph mark itself (w:pPr/w:rPr/w:ins, w:del, w:moveFrom or w:moveTo)."""
    ppr = get_ppr(p)
    rpr = ppr.find(W + "rPr")
    if rpr is None:
        rpr = ppr.makeelement(W + "rPr", {})
        # rPr comes after every other paragraph property but sectPr and pPrChange.
        anchor = ppr.find(W + "sectPr")
        if anchor is None:
            anchor = ppr.find(W + "pPrChange")
        if anchor is not None:
            anchor.addprevious(rpr)
        else:
            ppr.append(rpr)
    rpr.insert(0, marks.element(rpr, kind))


def get_ppr(p: _Element) -> _Element:
    """The paragraph's w:pPr, made if it has none."""
    ppr = p.find(W + "pPr")
    if ppr is None:
        ppr = p.makeelement(W + "pPr", {})
        p.insert(0, ppr)
    return ppr


def after_ppr(p: _Element) -> int:
    """The index of a paragraph's first child after its properties."""
    return 1 if len(p) and p[0].tag == W + "pPr" else 0


def comparable_ppr(ppr: _Element | None) -> bytes:
    """Paragraph properties without the mark's run properties and section: what a w:pPrChange records."""
    from lxml import etree

    if ppr is None:
        return b""
    clone = copy.deepcopy(ppr)
    for tag in ("rPr", "sectPr", "pPrChange"):
        for el in clone.findall(W + tag):
            clone.remove(el)
    if not len(clone):
        return b""
    return etree.tostring(clone, method="c14n")


def record_ppr_change(p: _Element, old_ppr: _Element | None, marks: Marks) -> None:
    """A w:pPrChange saying what the paragraph's properties were before (§17.13.5.29)."""
    ppr = get_ppr(p)
    change = marks.element(ppr, "pPrChange")
    old = ppr.makeelement(W + "pPr", {})
    if old_ppr is not None:
        for child in old_ppr:
            if child.tag not in (W + "rPr", W + "sectPr", W + "pPrChange"):
                old.append(copy.deepcopy(child))
    change.append(old)
    ppr.append(change)


# -- cutting a paragraph's runs by segments --------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A stretch of a paragraph in the redline: its own text, or text put in from the other side."""

    kind: str | None
    """The revision container it goes in (None: untouched)."""
    text: str
    """The characters."""
    own: bool = True
    """True when the text is the paragraph's own (cut from its runs); False to add new runs."""


def apply_segments(p: _Element, segments: Sequence[Segment], marks: Marks) -> None:
    """Cut the paragraph's runs where segments change kind, wrap each piece, and add the foreign text.

    Raises Complex (leaving p untouched) when the runs cannot be cut safely.
    """
    pieces = atoms(p)
    own_text = "".join(a.text for a in pieces)
    if own_text != "".join(s.text for s in segments if s.own):
        raise ValueError("segments do not spell the paragraph's text")
    # Where each own segment starts and ends, and where foreign text goes.
    bounds: list[tuple[int, int, str | None]] = []
    foreign: list[tuple[int, Segment]] = []
    pos = 0
    for seg in segments:
        if seg.own:
            bounds.append((pos, pos + len(seg.text), seg.kind))
            pos += len(seg.text)
        else:
            foreign.append((pos, seg))
    # Pieces of runs: (start, end, kind, new run element).
    made: list[tuple[int, int, _Element]] = []
    offset = 0
    by_run: dict[int, list[Atom]] = {}
    order: list[_Element] = []
    for atom in pieces:
        key = id(atom.run)
        if key not in by_run:
            by_run[key] = []
            order.append(atom.run)
        by_run[key].append(atom)
    for r in order:
        run_atoms = by_run[id(r)]
        start = offset
        end = start + sum(len(a.text) for a in run_atoms)
        offset = end
        cuts = sorted({b for s, e, _ in bounds for b in (s, e) if start < b < end})
        edges = [start, *cuts, end]
        new_runs = _cut_run(r, run_atoms, start, edges)
        parent = r.getparent()
        for (s, e), new_run in zip(itertools.pairwise(edges), new_runs):
            r.addprevious(new_run)
            kind = next(k for bs, be, k in bounds if bs <= s < be)
            element = wrap(new_run, kind, marks)
            made.append((s, e, element))
        parent.remove(r)
    for at, seg in foreign:
        before = [m for m in made if m[1] == at]
        after = [m for m in made if m[0] == at]
        source_run = _run_of(before[-1][2]) if before else _run_of(after[0][2]) if after else None
        rpr = source_run.find(W + "rPr") if source_run is not None else None
        new_run = make_run(p, seg.text, _plain_rpr(rpr), deleted=seg.kind in (DELETE,))
        if before:
            before[-1][2].addnext(new_run)
            element = wrap(new_run, seg.kind, marks)
            made.append((at, at, element))
        elif after:
            after[0][2].addprevious(new_run)
            wrap(new_run, seg.kind, marks)
        else:
            p.insert(len(p), new_run)
            element = wrap(new_run, seg.kind, marks)
            made.append((at, at, element))
    merge_wrappers(p)


def _run_of(element: _Element) -> _Element | None:
    return element if element.tag == W + "r" else element.find(W + "r")


def _plain_rpr(rpr: _Element | None) -> _Element | None:
    """Run properties to copy onto new text: without revision marks of their own."""
    if rpr is None:
        return None
    clone = copy.deepcopy(rpr)
    for el in list(clone):
        if el.tag in (W + "ins", W + "del", W + "rPrChange", W + "moveFrom", W + "moveTo"):
            clone.remove(el)
    return clone


def _cut_run(r: _Element, run_atoms: list[Atom], start: int, edges: list[int]) -> list[_Element]:
    """Copies of run r, one per stretch between edges, each with the run's properties."""
    rpr = r.find(W + "rPr")
    by_child = {id(a.child): a for a in run_atoms}
    runs: list[_Element] = []
    for _ in range(len(edges) - 1):
        new = r.makeelement(W + "r", dict(r.attrib))
        if rpr is not None:
            new.append(copy.deepcopy(rpr))
        runs.append(new)
    pos = start
    current = 0
    for child in r:
        if child.tag == W + "rPr":
            continue
        atom = by_child.get(id(child))
        if atom is None:
            # No text (a drawing, a page-break marker): it stays with the text before it.
            runs[current].append(copy.deepcopy(child))
            continue
        text = atom.text
        a_start, a_end = pos, pos + len(text)
        pos = a_end
        for k in range(len(edges) - 1):
            s, e = max(edges[k], a_start), min(edges[k + 1], a_end)
            if s >= e:
                continue
            current = k
            if s == a_start and e == a_end:
                runs[k].append(copy.deepcopy(child))
            else:
                piece = copy.deepcopy(child)
                piece.text = text[s - a_start : e - a_start]
                piece.set(XML_SPACE, "preserve")
                runs[k].append(piece)
    return runs


# -- resolving a draft's own revisions -------------------------------------------------------------


def has_revisions(body: _Element) -> bool:
    """Whether a body holds any tracked change at all."""
    tags = (*REVISIONS, *_RANGE_MARKS, *_PROPERTY_CHANGES, W + "pPrChange", W + "cellIns", W + "cellDel", W + "cellMerge")
    return next(body.iter(*tags), None) is not None


def resolve_revisions(body: _Element, original: bool) -> None:
    """Accept every tracked change in a body (or, if original, reject them), as plancmp's reader reads it.

    The draft compared is the draft as read; its own earlier revisions are not this comparison's,
    so the redline starts from the text they leave. Paragraphs whose mark goes join the next one
    in their container, with a space between, as the reader joins them.
    """
    hidden = (W + INSERT, W + MOVE_TO) if original else (W + DELETE, W + MOVE_FROM)
    shown = (W + DELETE, W + MOVE_FROM) if original else (W + INSERT, W + MOVE_TO)
    for el in list(body.iter(*_RANGE_MARKS)):
        el.getparent().remove(el)
    for el in list(body.iter(*hidden)):
        parent = el.getparent()
        if parent is None or parent.tag == W + "rPr" or parent.tag == W + "trPr":
            continue
        # Comment and bookmark markers inside removed text keep their anchors where the text was.
        for marker in el.iter(W + "commentRangeStart", W + "commentRangeEnd", W + "bookmarkStart", W + "bookmarkEnd"):
            el.addprevious(copy.deepcopy(marker))
        for ref in el.iter(W + "commentReference"):
            holder = el.makeelement(W + "r", {})
            holder.append(copy.deepcopy(ref))
            el.addprevious(holder)
        parent.remove(el)
    for el in list(body.iter(*shown)):
        parent = el.getparent()
        if parent is None or parent.tag in (W + "rPr", W + "trPr"):
            continue
        if original:
            for t in el.iter(W + "delText", W + "delInstrText"):
                t.tag = W + ("t" if t.tag == W + "delText" else "instrText")
        index = parent.index(el)
        for offset, child in enumerate(list(el)):
            parent.insert(index + offset, child)
        parent.remove(el)
    for ppr in body.iter(W + "pPr"):
        change = ppr.find(W + "pPrChange")
        if change is None:
            continue
        ppr.remove(change)
        before = change.find(W + "pPr")
        if original and before is not None:
            for child in list(ppr):
                if child.tag not in (W + "rPr", W + "sectPr"):
                    ppr.remove(child)
            for k, child in enumerate(before):
                ppr.insert(k, child)
    for el in list(body.iter(*_PROPERTY_CHANGES)):
        parent = el.getparent()
        if original and el.tag == W + "rPrChange" and el.find(W + "rPr") is not None and parent is not None:
            for child in list(parent):
                if child is not el:
                    parent.remove(child)
            for child in el.find(W + "rPr"):
                parent.append(child)
        if el.getparent() is not None:
            el.getparent().remove(el)
    for el in list(body.iter(W + "cellIns", W + "cellDel", W + "cellMerge")):
        el.getparent().remove(el)
    _join_removed_marks(body, hidden)


def _join_removed_marks(body: _Element, hidden: tuple[str, ...]) -> None:
    """Paragraphs whose mark is gone in this reading join the next paragraph of their container."""
    paras = list(walk_paragraphs(body))
    for k, (p, container) in enumerate(paras):
        ppr = p.find(W + "pPr")
        rpr = ppr.find(W + "rPr") if ppr is not None else None
        if rpr is None:
            continue
        removed = False
        for el in list(rpr):
            if el.tag in REVISIONS:
                removed = removed or el.tag in hidden
                rpr.remove(el)
        if not removed or k + 1 >= len(paras) or paras[k + 1][1] != container:
            continue
        nxt = paras[k + 1][0]
        content = [c for c in p if c.tag != W + "pPr"]
        if paragraph_text(p).strip() and paragraph_text(nxt).strip():
            content.append(make_run(p, " "))
        at = after_ppr(nxt)
        for offset, child in enumerate(content):
            nxt.insert(at + offset, child)
        p.getparent().remove(p)


def clean_copy(p: _Element) -> _Element:
    """A copy of a paragraph from another package, with nothing that points into that package.

    Left out: ids that must be unique (Word 2010 paragraph ids, bookmarks, comment anchors,
    content-control ids), relationships (hyperlink targets, pictures, embedded objects), footnote
    references and section properties. The text the reader sees is unchanged.
    """
    clone = copy.deepcopy(p)
    for attr in (W14 + "paraId", W14 + "textId"):
        for el in clone.iter():
            if attr in el.attrib:
                del el.attrib[attr]
    drop = (
        "bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd", "commentReference",
        "footnoteReference", "endnoteReference", "drawing", "pict", "object", "permStart", "permEnd",
        "sectPr", "annotationRef",
    )
    for el in list(clone.iter(*(W + t for t in drop))):
        el.getparent().remove(el)
    for el in list(clone.iter(W + "id")):
        if el.getparent() is not None and el.getparent().tag == W + "sdtPr":
            el.getparent().remove(el)
    for link in list(clone.iter(W + "hyperlink")):
        parent = link.getparent()
        index = parent.index(link)
        for offset, child in enumerate(list(link)):
            parent.insert(index + offset, child)
        parent.remove(link)
    return clone
