"""Bringing an old draft's paragraphs into the new draft's Word package, numbering and styles included.

A deleted paragraph of a Word draft keeps its formatting in the redline, and rejecting every change
must give the old draft's labels back. A paragraph numbered by Word refers to its own package's
numbering definitions and styles, which the new package may lack or define differently; so its
list is mapped onto an identical list of the new package where there is one (the usual case: both
drafts from one template) and copied in under fresh ids where there is not, and the numbering a
paragraph has through its style is written on the paragraph itself.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from plancmp.render.ooxml import W, clean_copy

if TYPE_CHECKING:
    from lxml.etree import _Element
else:
    _Element = Any

_PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
    "sectPr", "pPrChange",
)
"""The order of w:pPr's children the schema requires (CT_PPr)."""


def set_property(ppr: _Element, element: _Element) -> None:
    """Put a child into w:pPr where the schema wants it, replacing one of the same name."""
    name = element.tag[len(W):]
    old = ppr.find(element.tag)
    if old is not None:
        ppr.replace(old, element)
        return
    rank = _PPR_ORDER.index(name)
    for k, child in enumerate(ppr):
        tag = child.tag[len(W):] if isinstance(child.tag, str) and child.tag.startswith(W) else ""
        if tag in _PPR_ORDER and _PPR_ORDER.index(tag) > rank:
            ppr.insert(k, element)
            return
    ppr.append(element)


def style_ids_by_name(styles: _Element | None) -> dict[tuple[str, str], str]:
    """(type, casefolded name) → style id, first definition winning."""
    out: dict[tuple[str, str], str] = {}
    for el in styles.findall(W + "style") if styles is not None else ():
        name = el.find(W + "name")
        sid = el.get(W + "styleId")
        if sid is None:
            continue
        key = (el.get(W + "type") or "paragraph", (name.get(W + "val") if name is not None else sid).casefold())
        out.setdefault(key, sid)
    return out


class Importer:
    """Copies paragraphs of one Word package (styles, numbering) into another."""

    def __init__(
        self,
        source_styles: _Element | None,
        source_numbering: _Element | None,
        target_styles: _Element,
        target_numbering: Any,
    ) -> None:
        """target_numbering: a callable giving the target's w:numbering root, made on first call."""
        from plancmp.parse.from_docx import _Definitions, _Styles

        self.src_styles_root = source_styles
        self.src_styles = _Styles(source_styles)
        self.src_defs = _Definitions(source_numbering, self.src_styles)
        self.src_numbering = source_numbering
        self.tgt_styles_root = target_styles
        self.tgt_styles = _Styles(target_styles)
        self._tgt_numbering = target_numbering
        self._tgt_defs: Any = None
        self.style_map: dict[str, str] = {}
        self.num_map: dict[int, int] = {}
        self.abstract_map: dict[int, int] = {}
        self.claimed: set[int] = set()
        self.by_name = style_ids_by_name(target_styles)
        self.target_ids = {el.get(W + "styleId") for el in target_styles.findall(W + "style")}

    # -- styles ------------------------------------------------------------------------------------

    def _source_style(self, sid: str) -> _Element | None:
        if self.src_styles_root is None:
            return None
        for el in self.src_styles_root.findall(W + "style"):
            if el.get(W + "styleId") == sid:
                return el
        return None

    def style(self, sid: str | None) -> str | None:
        """The target's id for a source style: the same style, one of the same name, or a copy."""
        if sid is None:
            return None
        if sid in self.style_map:
            return self.style_map[sid]
        source = self._source_style(sid)
        if source is None:
            return None
        name_el = source.find(W + "name")
        name = (name_el.get(W + "val") if name_el is not None else sid) or sid
        key = (source.get(W + "type") or "paragraph", name.casefold())
        if key in self.by_name:
            self.style_map[sid] = self.by_name[key]
            return self.style_map[sid]
        new_id = sid
        while new_id in self.target_ids:
            new_id += "Old"
        self.style_map[sid] = new_id
        self.target_ids.add(new_id)
        clone = copy.deepcopy(source)
        clone.set(W + "styleId", new_id)
        for tag in ("link", "next", "aliases", "rsid"):
            for el in clone.findall(W + tag):
                clone.remove(el)
        if W + "default" in clone.attrib:
            del clone.attrib[W + "default"]
        based = clone.find(W + "basedOn")
        if based is not None:
            mapped = self.style(based.get(W + "val"))
            if mapped is None:
                clone.remove(based)
            else:
                based.set(W + "val", mapped)
        for num_id in clone.iter(W + "numId"):
            value = _int(num_id.get(W + "val"))
            if value:
                num_id.set(W + "val", str(self.num(value) or 0))
        self.tgt_styles_root.append(clone)
        self.by_name[key] = new_id
        return new_id

    # -- numbering ---------------------------------------------------------------------------------

    def _target_defs(self) -> Any:
        from plancmp.parse.from_docx import _Definitions

        if self._tgt_defs is None:
            self._tgt_defs = _Definitions(self._tgt_numbering(), self.tgt_styles)
        return self._tgt_defs

    def num(self, num_id: int) -> int | None:
        """The target numId continuing the same list as the source's num_id (mapped or copied)."""
        if num_id in self.num_map:
            return self.num_map[num_id]
        source = self.src_defs.nums.get(num_id)
        aid = self.src_defs.abstract_of(source) if source is not None else None
        if source is None or aid is None:
            return None
        target_aid = self._abstract(aid)
        defs = self._target_defs()
        root = self._tgt_numbering()
        plain = not source.starts and not source.levels
        if plain:
            for tid, tnum in sorted(defs.nums.items()):
                if tnum.abstract == target_aid and not tnum.starts and not tnum.levels and tid not in self.num_map.values():
                    self.num_map[num_id] = tid
                    return tid
        new_id = max([0, *defs.nums, *self.num_map.values(), *(_int(n.get(W + "numId")) or 0 for n in root.findall(W + "num"))]) + 1
        element = self._source_num(num_id)
        clone = copy.deepcopy(element) if element is not None else root.makeelement(W + "num", {})
        clone.set(W + "numId", str(new_id))
        for el in clone.findall(W + "abstractNumId"):
            clone.remove(el)
        ref = clone.makeelement(W + "abstractNumId", {W + "val": str(target_aid)})
        clone.insert(0, ref)
        for lvl in clone.iter(W + "lvl"):
            for el in lvl.findall(W + "pStyle"):
                lvl.remove(el)
        _append_after(root, clone, W + "num")
        self.num_map[num_id] = new_id
        return new_id

    def _source_num(self, num_id: int) -> _Element | None:
        for el in self.src_numbering.findall(W + "num") if self.src_numbering is not None else ():
            if _int(el.get(W + "numId")) == num_id:
                return el
        return None

    def _abstract(self, aid: int) -> int:
        """The target abstractNum for a source one: an identical unclaimed one, or a copy."""
        if aid in self.abstract_map:
            return self.abstract_map[aid]
        defs = self._target_defs()
        levels = self.src_defs.abstracts[aid]
        for tid, tlevels in sorted(defs.abstracts.items()):
            # Two source lists may not share one target list: their counters would run together.
            if tid not in self.claimed and tlevels == levels and tid not in defs.links:
                self.claimed.add(tid)
                self.abstract_map[aid] = tid
                return tid
        root = self._tgt_numbering()
        taken = [_int(a.get(W + "abstractNumId")) or 0 for a in root.findall(W + "abstractNum")]
        new_id = max([0, *taken, *self.abstract_map.values()]) + 1
        source = None
        for el in self.src_numbering.findall(W + "abstractNum") if self.src_numbering is not None else ():
            if _int(el.get(W + "abstractNumId")) == aid:
                source = el
                break
        clone = copy.deepcopy(source) if source is not None else root.makeelement(W + "abstractNum", {})
        clone.set(W + "abstractNumId", str(new_id))
        for tag in ("nsid", "tmpl", "numStyleLink", "styleLink", "name"):
            for el in clone.findall(W + tag):
                clone.remove(el)
        for lvl in clone.findall(W + "lvl"):
            # The level's paragraph style belongs to the other package; the paragraphs say their level.
            for el in lvl.findall(W + "pStyle"):
                lvl.remove(el)
        _append_after(root, clone, W + "abstractNum", before=W + "num")
        self.claimed.add(new_id)
        self.abstract_map[aid] = new_id
        return new_id

    # -- paragraphs --------------------------------------------------------------------------------

    def properties(self, ppr: _Element | None) -> _Element:
        """The paragraph properties in the target package: style mapped, numbering written out."""
        from plancmp.parse.from_docx import _numbering_of

        factory = self.tgt_styles_root
        new = copy.deepcopy(ppr) if ppr is not None else factory.makeelement(W + "pPr", {})
        for tag in ("rPr", "sectPr", "pPrChange", "numPr", "pStyle"):
            for el in new.findall(W + tag):
                new.remove(el)
        style_id = self.src_styles.of(ppr)
        mapped = self.style(style_id) if style_id is not None else None
        if mapped is not None and (ppr is not None and ppr.find(W + "pStyle") is not None or mapped != self.tgt_default()):
            set_property(new, new.makeelement(W + "pStyle", {W + "val": mapped}))
        ref = _numbering_of(ppr, style_id, self.src_styles)
        numbered = None
        if ref is not None:
            num_id, ilvl = ref
            source = self.src_defs.nums.get(num_id)
            aid = self.src_defs.abstract_of(source) if source is not None else None
            if aid is not None:
                if ilvl is None:
                    ilvl = self.src_defs.level_for_style(aid, style_id) or 0
                target = self.num(num_id)
                if target is not None:
                    numbered = (target, min(max(ilvl, 0), 8))
        if numbered is not None:
            set_property(new, _num_pr(new, numbered[0], numbered[1]))
        elif mapped is not None and self._target_style_numbered(mapped):
            # The target's style of that name numbers its paragraphs; this one was not numbered.
            set_property(new, _num_pr(new, 0, None))
        return new

    def tgt_default(self) -> str | None:
        """The target package's default paragraph style."""
        return self.tgt_styles.default

    def _target_style_numbered(self, sid: str) -> bool:
        from plancmp.parse.from_docx import _Styles

        num_id, _ = _Styles(self.tgt_styles_root).numbering(sid)
        return bool(num_id)

    def paragraph(self, p: _Element) -> _Element:
        """A copy of a source paragraph for the target package (see clean_copy), styles mapped."""
        clone = clean_copy(p)
        ppr = clone.find(W + "pPr")
        new_ppr = self.properties(p.find(W + "pPr"))
        if ppr is not None:
            clone.replace(ppr, new_ppr)
        else:
            clone.insert(0, new_ppr)
        for rstyle in clone.iter(W + "rStyle"):
            mapped = self.style(rstyle.get(W + "val"))
            if mapped is None:
                rstyle.getparent().remove(rstyle)
            else:
                rstyle.set(W + "val", mapped)
        return clone


def _num_pr(factory: _Element, num_id: int, ilvl: int | None) -> _Element:
    numpr = factory.makeelement(W + "numPr", {})
    if ilvl is not None:
        numpr.append(factory.makeelement(W + "ilvl", {W + "val": str(ilvl)}))
    numpr.append(factory.makeelement(W + "numId", {W + "val": str(num_id)}))
    return numpr


def _append_after(root: _Element, element: _Element, same: str, before: str | None = None) -> None:
    """Put element after the last child named `same`, else before the first named `before`, else last."""
    last = None
    for child in root.findall(same):
        last = child
    if last is not None:
        last.addnext(element)
        return
    first = root.find(before) if before is not None else None
    if first is not None:
        first.addprevious(element)
    else:
        root.append(element)


def _int(text: str | None) -> int | None:
    try:
        return int((text or "").strip())
    except ValueError:
        return None
