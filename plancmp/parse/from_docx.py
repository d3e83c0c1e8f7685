"""Word drafts (.docx): unpack safely, resolve list numbering, apply tracked changes, keep comments.

The reader works on the package's XML with lxml rather than through python-docx: python-docx would
unpack every part without the size caps below, and exposes neither generated list labels nor
tracked changes nor comment anchors, which are what a negotiated draft is made of.

Word list numbering, as implemented here (ECMA-376 §17.9, and Word's deviations from it that
MS-OI29500 documents):

* Counters belong to the abstract numbering definition (after w:numStyleLink indirection), so every
  w:num pointing at one w:abstractNum continues one sequence.
* The first paragraph of a w:num that carries w:lvlOverride/w:startOverride restarts the overridden
  levels; later paragraphs of any w:num on that abstractNum continue from there.
* A level that (re)starts takes the startOverride of the paragraph's w:num, else the level's
  w:start (0 when absent, as the standard says).
* Using a level restarts the deeper levels, unless w:lvlRestart says otherwise: 0 never restarts,
  N restarts only when level N or a higher one is used (Word reads "or higher"; the standard
  does not).
  Word ignores w:lvlRestart inside a w:lvlOverride, and so does this reader.
* w:lvlText placeholders %1…%9 use each level's current value and w:numFmt (decimal when the level
  has w:isLgl); a level never used yet shows its start value. A placeholder deeper than the
  paragraph's own level makes Word drop the whole label, and so does this reader.

Simplified: a paragraph whose mark was deleted merges with the next one only within the same
container (body, cell); text boxes, headers, footers and footnotes are not read; hidden (w:vanish)
text is read like any other; table-row revisions are read through their runs' own revision marks.
"""

from __future__ import annotations

import io
import itertools
import posixpath
import re
import zipfile
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from plancmp.errors import FormatError, InputError, PlancmpError
from plancmp.model import Comment, Document, Format
from plancmp.numbering import BULLET_RE, Label, LabelKind, match_labels
from plancmp.parse.decode import OLE_MAGIC
from plancmp.parse.numfmt import format_number
from plancmp.parse.outline import Block, BlockKind, build_document

if TYPE_CHECKING:
    from lxml.etree import _Element
else:
    _Element = Any

MAX_PART_BYTES = 200 * 1024 * 1024
"""No single part of a DOCX may unpack to more than this (a draft's XML is a few MB at most)."""
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
"""Nor may all its parts together, as declared, or the parts plancmp reads, as unpacked."""
MAX_XML_BYTES = 32 * 1024 * 1024
"""Nor may a part plancmp reads (all XML) unpack to more than this. A 500-page draft's
document.xml is 5-15 MB; 300 KB of zip holding 100 MB of "<w:p>…</w:p>" took a minute and 3 GB."""
MAX_PARAGRAPHS = 100_000
"""Most paragraphs (body, table cells and comments together) plancmp reads from one draft: a
1,000-page treaty has some 40,000; each costs up to a hundred microseconds and a few hundred
bytes, and a 300 KB zip can hold millions of them."""
MAX_ANCHOR = 2_000
"""Most characters of draft text kept as a comment's anchor. Comments mark a phrase or a
paragraph; a range left open to the end of a long draft would otherwise be copied whole, for
each comment. A cut anchor is a prefix of the text, so it still finds its point as a quote."""
_CHUNK = 1024 * 1024

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_MATH = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFF = ("0", "false", "off")
_RESAVE = "open it in Word and save it again as .docx"
_DAMAGED = "is damaged or truncated (not a complete DOCX)"
_REFETCH = "get a fresh copy of the file, or open it in Word (which repairs what it can) and save it again as .docx"
_MB = 1024 * 1024

# Strict Open XML is the same document model under other namespace names (ECMA-376 Part 1 §A and
# Part 4): reading a Strict part as Transitional is a matter of renaming them. Relationship types
# share the prefixes, so ".../relationships/officeDocument" is renamed with them.
_STRICT_NAMES = (
    ("http://purl.oclc.org/ooxml/wordprocessingml/main", "http://schemas.openxmlformats.org/wordprocessingml/2006/main"),
    ("http://purl.oclc.org/ooxml/officeDocument/relationships", "http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
    ("http://purl.oclc.org/ooxml/officeDocument/math", "http://schemas.openxmlformats.org/officeDocument/2006/math"),
    ("http://purl.oclc.org/ooxml/officeDocument/sharedTypes", "http://schemas.openxmlformats.org/officeDocument/2006/sharedTypes"),
    ("http://purl.oclc.org/ooxml/drawingml/main", "http://schemas.openxmlformats.org/drawingml/2006/main"),
    ("http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing", "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"),
)
_STRICT_MARK = "http://purl.oclc.org/ooxml/"


# -- the package: a zip that must not be trusted ---------------------------------------------


def _named(part: str) -> str:
    """A part name as a message shows it. Names come from the zip and its relationships, so from
    whoever made the file: control characters and bidi overrides in them are shown as escapes,
    not sent to the user's terminal, and a 64 KB name is cut short."""
    shown = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in part[:200])
    return shown + ("…" if len(part) > 200 else "")


def _bomb(what: str, limit: int, fits: str, advice: str) -> str:
    """One wording for every size limit: what unpacks to more than the limit, and what fits."""
    return (
        f"{what} more than {limit // _MB} MB, which looks like a zip bomb; plancmp reads {fits} "
        f"(if the draft is genuine, {advice})"
    )


_SMALLER = "remove large pictures or embedded files and save it again"


def _part_bomb(name: str) -> str:
    return _bomb(
        f"part {_named(name)} unpacks to", MAX_PART_BYTES, f"parts of up to {MAX_PART_BYTES // _MB} MB", _SMALLER
    )


def _total_bomb() -> str:
    return _bomb(
        "its parts together unpack to", MAX_TOTAL_BYTES, f"up to {MAX_TOTAL_BYTES // _MB} MB in all", _SMALLER
    )


def _xml_bomb(name: str) -> str:
    # A part plancmp reads is the draft's text: only splitting the draft makes it smaller.
    return _bomb(
        f"part {_named(name)} unpacks to",
        MAX_XML_BYTES,
        f"text parts of up to {MAX_XML_BYTES // _MB} MB, the XML of some 1,000 pages",
        "split it into several drafts",
    )


def _to_transitional(data: bytes) -> bytes:
    """A Strict part's bytes with its namespaces renamed to the Transitional ones."""
    for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
        if _STRICT_MARK.encode(encoding) in data:
            for strict, transitional in _STRICT_NAMES:
                data = data.replace(strict.encode(encoding), transitional.encode(encoding))
    return data


def _declares_entities(data: bytes) -> bool:
    """Whether XML bytes carry a DTD or entity declaration, in any encoding Word parts use."""
    for needle in ("<!DOCTYPE", "<!ENTITY"):
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            if needle.encode(encoding) in data:
                return True
    return False


def _entities_error(part: str, source: str) -> FormatError:
    return FormatError(
        f"{_named(part)} declares XML entities; plancmp does not expand them (Word never writes them), "
        f"so {_RESAVE}",
        source,
    )


def _parse_xml(data: bytes, part: str, source: str) -> _Element:
    """A part's XML, parsed with entity expansion, DTD loading and network access all off."""
    from lxml import etree

    if _declares_entities(data):
        raise _entities_error(part, source)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        where = f" (line {exc.lineno})" if exc.lineno else ""
        raise FormatError(
            f"{_DAMAGED}: {_named(part)} is not well-formed XML{where}; {_REFETCH}", source
        ) from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise _entities_error(part, source)
    return root


def _zip_errors() -> tuple[type[Exception], ...]:
    import zlib

    errors: tuple[type[Exception], ...] = (
        zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError,
    )
    try:
        import lzma
    except ImportError:  # a Python built without lzma: zipfile then refuses such parts with NotImplementedError
        return errors
    return (*errors, lzma.LZMAError)


_ZIP_ERRORS = _zip_errors()
"""What zipfile raises on a damaged or foreign archive (bad headers, CRC, truncation, unknown or
corrupt compression, a name that is not UTF-8): each means the file is not a readable DOCX. Any
other exception is a bug in plancmp, and is not dressed up as a format error."""


class _Package:
    """The DOCX zip, with every size capped before and while unpacking."""

    def __init__(self, data: bytes, source: str) -> None:
        self.source = source
        self.unpacked = 0
        if data.startswith(OLE_MAGIC):
            raise FormatError(
                "is not a DOCX but an OLE file: a password-protected DOCX or a legacy .doc; "
                "remove the password, or save it from Word as .docx",
                source,
            )
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except _ZIP_ERRORS as exc:
            if data[:2] == b"PK":
                # A zip that starts right but whose directory (kept at the end) is missing or
                # unreadable: a download or copy that stopped early, not another kind of file.
                raise FormatError(
                    f"{_DAMAGED}: its zip directory is missing or broken; {_REFETCH}", source
                ) from exc
            raise FormatError(
                "is not a DOCX (not a zip archive); save the draft from Word as .docx, "
                "or give it the extension of what it is (.txt, .md)",
                source,
            ) from exc
        # OPC part names are case-insensitive.
        self.infos = {info.filename.lower(): info for info in infos}
        declared = 0
        for info in infos:
            if info.file_size > MAX_PART_BYTES:
                raise InputError(_part_bomb(info.filename), source)
            declared += info.file_size
        if declared > MAX_TOTAL_BYTES:
            raise InputError(_total_bomb(), source)

    def has(self, name: str) -> bool:
        """Whether the package holds a part of this name."""
        return name.lower() in self.infos

    def read(self, name: str) -> bytes | None:
        """A part's bytes (None if absent), unpacked in chunks: a lying size header cannot hurt."""
        info = self.infos.get(name.lower())
        if info is None:
            return None
        try:
            return self._read_capped(info)
        except PlancmpError:
            raise
        except RuntimeError as exc:
            if "encrypted" in str(exc) or "password" in str(exc):
                raise FormatError(
                    f"has an encrypted part ({_named(info.filename)}); remove the password in Word",
                    self.source,
                ) from exc
            raise self._damaged(info) from exc
        except _ZIP_ERRORS as exc:
            raise self._damaged(info) from exc

    def _damaged(self, info: zipfile.ZipInfo) -> FormatError:
        return FormatError(f"{_DAMAGED}: {_named(info.filename)} cannot be unpacked; {_REFETCH}", self.source)

    def _read_capped(self, info: zipfile.ZipInfo) -> bytes:
        chunks: list[bytes] = []
        size = 0
        cap = min(MAX_PART_BYTES, MAX_XML_BYTES)
        with self.zip.open(info) as handle:
            while chunk := handle.read(_CHUNK):
                size += len(chunk)
                self.unpacked += len(chunk)
                if size > cap:
                    bomb = _part_bomb if cap == MAX_PART_BYTES else _xml_bomb
                    raise InputError(bomb(info.filename), self.source)
                if self.unpacked > MAX_TOTAL_BYTES:
                    raise InputError(_total_bomb(), self.source)
                chunks.append(chunk)
        return b"".join(chunks)

    def xml(self, name: str) -> _Element | None:
        """A part parsed as XML, or None if the package does not have it."""
        data = self.read(name)
        return None if data is None else _parse_xml(_to_transitional(data), name, self.source)

    def relations(self, part: str) -> dict[str, str]:
        """A part's internal relationships, by the last segment of their type ("styles")."""
        folder, base = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        out: dict[str, str] = {}
        for rel in root.iter(_REL + "Relationship") if root is not None else ():
            target = rel.get("Target") or ""
            if rel.get("TargetMode") == "External" or not target:
                continue
            kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
            path = (
                target[1:]
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
            out.setdefault(kind, path)
        return out


def _main_part(pkg: _Package) -> str:
    """The main document part: where _rels/.rels says, else Word's usual name."""
    target = pkg.relations("").get("officeDocument")
    if target and pkg.has(target):
        return target
    if pkg.has("word/document.xml"):
        return "word/document.xml"
    raise FormatError(
        "is not a Word document: it has no word/document.xml; save the draft from Word as .docx",
        pkg.source,
    )


# -- small XML helpers -------------------------------------------------------------------------


def _val(el: _Element | None, child: str) -> str | None:
    """The w:val of el's child w:<child>, or None."""
    if el is None:
        return None
    found = el.find(_W + child)
    return None if found is None else found.get(_W + "val")


def _int(text: str | None) -> int | None:
    """An integer attribute, or None when absent or not a number (malformed files read anyway)."""
    if text is None:
        return None
    try:
        return int(text.strip())
    except ValueError:
        return None


def _flag(el: _Element | None, child: str) -> bool:
    """An on/off property: present and not switched off."""
    if el is None:
        return False
    found = el.find(_W + child)
    return found is not None and (found.get(_W + "val") or "1").lower() not in _OFF


# -- styles --------------------------------------------------------------------------------------

_HEADING_NAME = re.compile(r"(?i)^(heading\s*[1-9]|title|subtitle)$")
_HEADING_ID = re.compile(r"(?i)^(heading[1-9]|title|subtitle)$")
_BULLET_NAME = re.compile(r"(?i)^list\s*bullet(\s*[1-9])?$")
# Word's "toc 1"…"toc 9", "TOC Heading" and "table of figures"; LibreOffice's "Contents 1"….
_TOC_NAME = re.compile(r"(?i)^(toc\s*[1-9]|toc\s*heading|table\s*of\s*figures|contents\s*([1-9]|heading))$")


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str | None
    num_id: int | None
    ilvl: int | None
    lang: str | None


class _Styles:
    """Paragraph styles: names for headings and bullets, numbering carried by a style."""

    def __init__(self, root: _Element | None) -> None:
        self.by_id: dict[str, _Style] = {}
        self.default: str | None = None
        self._numbering: dict[str | None, tuple[int | None, int | None]] = {}
        default_lang = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}lang") if root is not None else None
        # The document's language (w:docDefaults), for the number formats that are words.
        self.default_lang = (default_lang.get(_W + "val") or "") if default_lang is not None else ""
        for el in root.iter(_W + "style") if root is not None else ():
            style_id = el.get(_W + "styleId")
            if style_id is None or style_id in self.by_id:
                continue
            ppr = el.find(_W + "pPr")
            numpr = ppr.find(_W + "numPr") if ppr is not None else None
            lang = el.find(f"{_W}rPr/{_W}lang")
            self.by_id[style_id] = _Style(
                name=_val(el, "name") or style_id,
                based_on=_val(el, "basedOn"),
                num_id=_int(_val(numpr, "numId")),
                ilvl=_int(_val(numpr, "ilvl")),
                lang=lang.get(_W + "val") if lang is not None else None,
            )
            is_default = (el.get(_W + "default") or "").lower() in ("1", "true", "on")
            if el.get(_W + "type") == "paragraph" and is_default and self.default is None:
                self.default = style_id

    def of(self, ppr: _Element | None) -> str | None:
        """The style id a paragraph uses (Word falls back to the default style for unknown ids)."""
        style_id = _val(ppr, "pStyle")
        return style_id if style_id in self.by_id else self.default

    def chain(self, style_id: str | None) -> Iterator[tuple[str, _Style]]:
        """The style and the styles it is based on, nearest first; loops in basedOn are cut."""
        seen: set[str] = set()
        while style_id is not None and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            yield style_id, style
            style_id = style.based_on

    def numbering(self, style_id: str | None) -> tuple[int | None, int | None]:
        """(numId, ilvl) a style carries, each from the nearest style in the chain that sets it."""
        if style_id not in self._numbering:
            num_id = next((s.num_id for _, s in self.chain(style_id) if s.num_id is not None), None)
            ilvl = next((s.ilvl for _, s in self.chain(style_id) if s.ilvl is not None), None)
            self._numbering[style_id] = (num_id, ilvl)
        return self._numbering[style_id]

    def is_heading(self, style_id: str | None) -> bool:
        """A Heading 1–9, Title or Subtitle style, directly or through basedOn."""
        return any(
            _HEADING_NAME.match(s.name) or _HEADING_ID.match(sid) for sid, s in self.chain(style_id)
        )

    def bullet_level(self, style_id: str | None) -> int | None:
        """0 for "List Bullet", 1 for "List Bullet 2"…; None for other styles."""
        for _, style in self.chain(style_id):
            found = _BULLET_NAME.match(style.name)
            if found:
                return int(found.group(1) or 1) - 1
        return None

    def is_contents(self, style_id: str | None) -> bool:
        """A table-of-contents style ("toc 1", "TOC Heading", "Contents 2"), directly or by basedOn."""
        return any(_TOC_NAME.match(s.name) or _TOC_NAME.match(sid) for sid, s in self.chain(style_id))

    def lang(self, style_id: str | None) -> str:
        """The language a style's text is in, from the nearest style that says, else the document's."""
        return next((s.lang for _, s in self.chain(style_id) if s.lang), self.default_lang)


# -- numbering definitions -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str
    text: str | None
    restart: int | None
    legal: bool
    pstyle: str | None
    custom: str | None = None
    lang: str | None = None


@dataclass(frozen=True)
class _Num:
    abstract: int | None
    starts: dict[int, int]
    levels: dict[int, _Level]


def _number_format(lvl: _Element) -> tuple[str, str | None]:
    """A level's w:numFmt and, for a custom one, its w:format ("001, 002, 003, ...")."""
    found = lvl.find(_W + "numFmt")
    if found is None:
        # Word 2010+ writes custom formats in mc:AlternateContent: the w14 choice holds the
        # custom one, the fallback a format older readers know. The choice is what Word shows.
        choice = lvl.find(f"{_MC}AlternateContent/{_MC}Choice/{_W}numFmt")
        fallback = lvl.find(f"{_MC}AlternateContent/{_MC}Fallback/{_W}numFmt")
        if choice is not None and choice.get(_W + "val") == "custom":
            # Even a custom format plancmp does not know is what Word shows: it is named in the
            # warning, and shown as decimals, rather than silently read as the fallback.
            return "custom", choice.get(_W + "format")
        found = fallback if fallback is not None else choice
    if found is None:
        return "decimal", None
    return found.get(_W + "val") or "decimal", found.get(_W + "format")


def _parse_level(lvl: _Element) -> _Level:
    text_el = lvl.find(_W + "lvlText")
    if text_el is None or (text_el.get(_W + "null") or "").lower() in ("1", "true", "on"):
        text = None
    else:
        text = text_el.get(_W + "val")
    fmt, custom = _number_format(lvl)
    lang = lvl.find(f"{_W}rPr/{_W}lang")
    return _Level(
        start=_int(_val(lvl, "start")) or 0,
        fmt=fmt,
        text=text,
        restart=_int(_val(lvl, "lvlRestart")),
        legal=_flag(lvl, "isLgl"),
        pstyle=_val(lvl, "pStyle"),
        custom=custom,
        lang=lang.get(_W + "val") if lang is not None else None,
    )


def _parse_levels(parent: _Element) -> dict[int, _Level]:
    levels: dict[int, _Level] = {}
    for lvl in parent.findall(_W + "lvl"):
        ilvl = _int(lvl.get(_W + "ilvl"))
        if ilvl is not None and 0 <= ilvl <= 8 and ilvl not in levels:
            levels[ilvl] = _parse_level(lvl)
    return levels


def _parse_num(el: _Element) -> _Num:
    starts: dict[int, int] = {}
    levels: dict[int, _Level] = {}
    for override in el.findall(_W + "lvlOverride"):
        ilvl = _int(override.get(_W + "ilvl"))
        if ilvl is None or not 0 <= ilvl <= 8:
            continue
        start = _int(_val(override, "startOverride"))
        if start is not None:
            starts[ilvl] = start
        lvl = override.find(_W + "lvl")
        if lvl is not None:
            levels[ilvl] = _parse_level(lvl)
    return _Num(_int(_val(el, "abstractNumId")), starts, levels)


class _Definitions:
    """word/numbering.xml: abstract definitions, their instances (w:num), style links."""

    def __init__(self, root: _Element | None, styles: _Styles) -> None:
        self.styles = styles
        self.abstracts: dict[int, dict[int, _Level]] = {}
        self.links: dict[int, str] = {}
        self.nums: dict[int, _Num] = {}
        if root is None:
            return
        for el in root.findall(_W + "abstractNum"):
            aid = _int(el.get(_W + "abstractNumId"))
            if aid is None or aid in self.abstracts:
                continue
            self.abstracts[aid] = _parse_levels(el)
            link = _val(el, "numStyleLink")
            if link:
                self.links[aid] = link
        for el in root.findall(_W + "num"):
            num_id = _int(el.get(_W + "numId"))
            if num_id is not None and num_id not in self.nums:
                self.nums[num_id] = _parse_num(el)

    def abstract_of(self, num: _Num) -> int | None:
        """The abstractNum holding the levels: numStyleLink → style → its num → abstractNum."""
        aid = num.abstract
        for _ in range(8):
            if aid is None or aid not in self.abstracts:
                return None
            link = self.links.get(aid)
            if link is None:
                return aid
            linked_num, _ = self.styles.numbering(link)
            target = self.nums.get(linked_num) if linked_num is not None else None
            if target is None or target.abstract == aid:
                return aid if self.abstracts[aid] else None
            aid = target.abstract
        return None

    def level_for_style(self, aid: int, style_id: str | None) -> int | None:
        """The level whose w:pStyle names this style: how "Heading 2" finds its level in a list."""
        for ilvl, level in sorted(self.abstracts.get(aid, {}).items()):
            if style_id is not None and level.pstyle == style_id:
                return ilvl
        return None


# -- list counters -------------------------------------------------------------------------------

_FORMAT_KINDS = {
    "lowerLetter": (LabelKind.LETTER,),
    "upperLetter": (LabelKind.UPPER_LETTER,),
    "lowerRoman": (LabelKind.ROMAN,),
    "upperRoman": (LabelKind.UPPER_ROMAN,),
    "russianLower": (LabelKind.LETTER,),
    "russianUpper": (LabelKind.UPPER_LETTER,),
}
_NUMERIC_KINDS = (LabelKind.NUMBER, LabelKind.DOTTED, LabelKind.KEYWORD)
# Formats whose shown counter makes a readable point id ("iv", "b", "в"); every other format
# (First, 一, ①, *) names its point by the counter's value, so "First" and "1." align.
_ID_FORMATS = frozenset(_FORMAT_KINDS)
_PLACEHOLDER = re.compile(r"%([1-9])")
# Formats written in the paragraph's language; only for these is the language looked up.
_WORD_FORMATS = frozenset({"cardinalText", "ordinalText", "ordinal"})
# Formats isLgl leaves as they are: no number at all, and Word keeps decimalZero's padding.
_LEGAL_KEEPS = frozenset({"none", "bullet", "decimalZero"})


@dataclass(frozen=True)
class _Generated:
    """What Word displays in front of a numbered paragraph."""

    text: str
    """The whole label, lvlText filled in ("3.2.", "(iv)")."""
    fmt: str
    """The level's w:numFmt ("decimal", "lowerRoman", "bullet"…), decimal for a legal-style level."""
    component: str
    """This level's own counter as shown ("iv")."""
    value: int
    """This level's counter as a number (4)."""
    abstract: int
    """The w:abstractNum the counters belong to."""
    ilvl: int
    """The paragraph's list level (0 for the top)."""


@dataclass
class _Counters:
    """Word's running list counters, one set per abstract numbering definition."""

    defs: _Definitions
    values: dict[int, dict[int, int]] = field(default_factory=dict)
    seen: set[int] = field(default_factory=set)
    unknown: dict[str, None] = field(default_factory=dict)
    """Number formats met that plancmp does not render (shown as decimals), in order."""

    def count(
        self, num_id: int, ilvl: int | None, style_id: str | None, lang: Callable[[], str]
    ) -> _Generated | None:
        """Count one numbered paragraph; None when its numbering does not resolve (so: text).

        `lang` gives the paragraph's language, asked only for formats that are words.
        """
        num = self.defs.nums.get(num_id)
        aid = self.defs.abstract_of(num) if num is not None else None
        if num is None or aid is None:
            return None
        if ilvl is None:
            ilvl = self.defs.level_for_style(aid, style_id) or 0
        ilvl = min(max(ilvl, 0), 8)
        level = self._level(num, aid, ilvl)
        if level is None:
            return None
        values = self.values.setdefault(aid, {})
        if num_id not in self.seen:
            # A w:num with startOverride is a restarted list: its first paragraph starts afresh.
            self.seen.add(num_id)
            for overridden in num.starts:
                values.pop(overridden, None)
        value = values[ilvl] + 1 if ilvl in values else self._start(num, aid, ilvl)
        values[ilvl] = value
        for skipped in range(ilvl):
            # A level passed over ("1." straight to "1.1.1.") is shown at its start value and,
            # as in Word, counts as used: the next paragraph at that level is "1.2.", not "1.1.".
            values.setdefault(skipped, self._start(num, aid, skipped))
        for deeper in [d for d in values if d > ilvl and self._restarts(aid, d, ilvl)]:
            del values[deeper]
        fmt = self._format(level, level)
        return _Generated(
            text=self._render(num, aid, ilvl, level, lang),
            fmt=fmt,
            component=self._show(value, fmt, level.custom, level, lang),
            value=value,
            abstract=aid,
            ilvl=ilvl,
        )

    @staticmethod
    def _format(shown: _Level, owner: _Level) -> str:
        """The format a level's counter is shown in within `owner`'s label: decimal where the
        owner has w:isLgl (Word keeps decimalZero's padding, and none and bullet show nothing)."""
        if owner.legal and shown.fmt not in _LEGAL_KEEPS:
            return "decimal"
        return shown.fmt

    def _show(self, value: int, fmt: str, custom: str | None, level: _Level, lang: Callable[[], str]) -> str:
        """A counter in a format, in the language of `level`'s label (its own w:lang, else the
        paragraph's); an unknown format is shown as decimal, and remembered."""
        language = (level.lang or lang()) if fmt in _WORD_FORMATS or fmt == "custom" else ""
        shown = format_number(value, fmt, language, custom if fmt == "custom" else None)
        if shown is None:
            self.unknown.setdefault(f"{fmt} ({custom})" if fmt == "custom" and custom else fmt, None)
            return str(value)
        return shown

    def _level(self, num: _Num, aid: int, ilvl: int) -> _Level | None:
        return num.levels.get(ilvl) or self.defs.abstracts[aid].get(ilvl)

    def _start(self, num: _Num, aid: int, ilvl: int) -> int:
        if ilvl in num.starts:
            return num.starts[ilvl]
        level = self._level(num, aid, ilvl)
        return level.start if level is not None else 1

    def _restarts(self, aid: int, deeper: int, used: int) -> bool:
        """Whether using level `used` restarts level `deeper` (w:lvlRestart, as Word reads it)."""
        level = self.defs.abstracts[aid].get(deeper)
        restart = level.restart if level is not None else None
        if restart is None or restart < 0 or restart > deeper:
            return True
        if restart == 0:
            return False
        return used < restart

    def _render(self, num: _Num, aid: int, ilvl: int, level: _Level, lang: Callable[[], str]) -> str:
        template = level.text or ""
        refs = [int(n) - 1 for n in _PLACEHOLDER.findall(template)]
        if any(ref > ilvl for ref in refs):
            return ""  # Word drops a lvlText that names a deeper level, rather than guess.
        values = self.values[aid]

        def substitute(match: re.Match[str]) -> str:
            ref = int(match.group(1)) - 1
            ref_level = self._level(num, aid, ref)
            fmt = self._format(ref_level, level) if ref_level is not None else "decimal"
            value = values.get(ref, self._start(num, aid, ref))
            custom = ref_level.custom if ref_level is not None else None
            return self._show(value, fmt, custom, level, lang)

        return _PLACEHOLDER.sub(substitute, template).strip()


def _auto_label(gen: _Generated) -> Label:
    """The generated label as the outline builder's Label: the reading whose kind fits w:numFmt."""
    kinds = _FORMAT_KINDS.get(gen.fmt, _NUMERIC_KINDS)
    for reading in match_labels(gen.text + " x"):
        if reading.kind in kinds:
            return replace(reading, text=gen.text, strong=True)
    # Labels match_labels cannot read ("Annex 1-a", "§ а)", "First.", "一、") still name the
    # point by their counter.
    part = gen.component.lower() if gen.fmt in _ID_FORMATS and gen.component else str(gen.value)
    return Label(
        text=gen.text,
        kind=kinds[0],
        style=f"w:{gen.fmt}",
        parts=(part,),
        value=gen.value,
    )


# -- the body: paragraphs and their visible text ---------------------------------------------------


@dataclass
class _Para:
    line: int
    text: str
    ppr: _Element | None
    mark_removed: bool
    container: int
    element: _Element | None = None
    """The w:p (the last one, for paragraphs joined by a deleted mark): where its language is."""
    contents: bool = False
    """Shows text of a table of contents: a TOC field's result, a Table of Contents control."""
    tabbed: str = ""
    """The text with its tabs kept, when it has any: a contents line is label⇥title⇥page."""
    cell: tuple[int, int, int] | None = None
    """(table, row, column) of the innermost table cell holding the paragraph, or None."""


_TRANSPARENT_INLINE = {
    _W + t for t in ("hyperlink", "smartTag", "customXml", "fldSimple", "dir", "bdo")
}
_CONTAINERS = {_W + t for t in ("customXml", "sdtContent")}
_MARK = {True: (_W + "ins", _W + "moveTo"), False: (_W + "del", _W + "moveFrom")}
_FIELD_NAME = re.compile(r"\s*(\S+)")
_REVISIONS = tuple(
    _W + t
    for t in (
        "ins", "del", "moveFrom", "moveTo", "pPrChange", "rPrChange", "numberingChange", "cellIns",
        "cellDel", "cellMerge", "tblPrChange", "trPrChange", "tcPrChange", "tblGridChange", "sectPrChange",
    )
)
"""The revision marks Word lists as tracked changes: inserted, deleted, moved, reformatted."""


@dataclass
class _Budget:
    """Paragraphs still to be read from one draft, body and comments together."""

    source: str
    """The draft, for the message."""
    left: int = MAX_PARAGRAPHS
    """How many more paragraphs may be read."""

    def spend(self) -> None:
        """Count one paragraph; refuse the draft when there are too many."""
        self.left -= 1
        if self.left < 0:
            raise InputError(
                f"has more than {MAX_PARAGRAPHS:,} paragraphs, more than plancmp reads from a "
                "draft (is it a zip bomb?); split the draft",
                self.source,
            )


@dataclass
class _Field:
    """A complex field being read: its instruction until w:fldChar separate, then its result."""

    shown: bool = False
    """Past the separator: the result, which a reader sees."""
    instruction: list[str] = field(default_factory=list)
    """The instruction text (" TOC \\o "1-3" \\h "), read before the separator."""
    contents: bool = False
    """A TOC field: its result is a table of contents."""


def _field_name(instruction: str) -> str:
    """The field type an instruction starts with ("TOC", "PAGEREF"), upper-cased."""
    found = _FIELD_NAME.match(instruction)
    return found.group(1).upper() if found else ""


def _within(parent: _Element, tag: str) -> Iterator[_Element]:
    """parent's children with this tag, also those wrapped in content controls or custom XML."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                yield from _within(content, tag)
        elif child.tag == _W + "customXml":
            yield from _within(child, tag)


def _is_contents_control(sdt: _Element) -> bool:
    """A content control holding a table of contents (Word wraps the TOC field in one)."""
    gallery = sdt.find(f"{_W}sdtPr/{_W}docPartObj/{_W}docPartGallery")
    return gallery is not None and "contents" in (gallery.get(_W + "val") or "").lower()


class _Walker:
    """Reads paragraphs in document order, with the text a reader of the chosen revision sees."""

    def __init__(self, original: bool, budget: _Budget) -> None:
        self.original = original
        self.budget = budget
        # Revisions that are not part of the text being read: insertions when reading the original.
        self.hidden = set(_MARK[original])
        self.paras: list[_Para] = []
        self.line = 0
        self.in_para = False
        self.containers = 0
        self.buffer: list[str] = []
        self.fields: list[_Field] = []
        # Tables of contents open around the text being read: content controls, simple fields.
        self.contents_controls = 0
        self.touched_contents = False
        self.tables = 0
        self.cells: list[tuple[int, int, int]] = []
        # Text read so far, paragraph ends as "\n"; a comment's anchor is the stretches of it
        # between its range's start and end. Copying each piece into every open range instead
        # made 4,000 unclosed ranges over 40,000 runs (a 15 KB file) take 20 s.
        self.pieces: list[str] = []
        self.ends: list[int] = []
        self.spans: dict[str, list[list[int]]] = {}
        self.open: set[str] = set()
        self.starts: dict[str, int] = {}
        self.references: dict[str, int] = {}

    def blocks(self, parent: _Element) -> None:
        """Walk block-level content: paragraphs, tables (cells, nested tables), content controls."""
        self.containers += 1
        container = self.containers
        for child in parent:
            tag = child.tag
            if tag == _W + "p":
                self._paragraph(child, container)
            elif tag == _W + "tbl":
                self._table(child)
            elif tag == _W + "sdt":
                content = child.find(_W + "sdtContent")
                if content is not None:
                    toc = _is_contents_control(child)
                    self.contents_controls += toc
                    self.blocks(content)
                    self.contents_controls -= toc
            elif tag in _CONTAINERS:
                self.blocks(child)
            else:
                self._marker(child)

    def _table(self, tbl: _Element) -> None:
        """A table's cells in reading order, each paragraph told which cell it is in."""
        self.tables += 1
        table = self.tables
        for row, tr in enumerate(_within(tbl, _W + "tr")):
            for column, tc in enumerate(_within(tr, _W + "tc")):
                self.cells.append((table, row, column))
                self.blocks(tc)
                self.cells.pop()

    def _paragraph(self, p: _Element, container: int) -> None:
        self.budget.spend()
        self.line += 1
        self.in_para = True
        self.buffer = []
        self.touched_contents = False
        ppr = p.find(_W + "pPr")
        self.inline(p)
        self._piece("\n")
        self.in_para = False
        raw = "".join(self.buffer)
        self.paras.append(
            _Para(
                self.line,
                raw.replace("\t", " "),
                self._properties(ppr),
                self._mark_removed(ppr),
                container,
                p,
                self.touched_contents,
                raw if raw.count("\t") >= 1 else "",
                self.cells[-1] if self.cells else None,
            )
        )


    def _properties(self, ppr: _Element | None) -> _Element | None:
        """The paragraph properties in force; reading the original, those before a w:pPrChange."""
        if ppr is not None and self.original:
            old = ppr.find(f"{_W}pPrChange/{_W}pPr")
            if old is not None:
                return old
        return ppr

    def _mark_removed(self, ppr: _Element | None) -> bool:
        """Whether the paragraph mark is gone in this reading (the paragraph joins the next)."""
        rpr = ppr.find(_W + "rPr") if ppr is not None else None
        return rpr is not None and any(rpr.find(tag) is not None for tag in self.hidden)

    def inline(self, parent: _Element) -> None:
        """Walk paragraph content: runs, revisions, links, fields, content controls, markers."""
        for child in parent:
            tag = child.tag
            if tag == _W + "r":
                self._run(child)
            elif tag in self.hidden:
                self._skip(child)
            elif tag == _W + "fldSimple":
                toc = _field_name(child.get(_W + "instr") or "") == "TOC"
                self.contents_controls += toc
                self.inline(child)
                self.contents_controls -= toc
            elif tag in _TRANSPARENT_INLINE or tag in _MARK[True] or tag in _MARK[False]:
                self.inline(child)
            elif tag == _W + "sdt":
                content = child.find(_W + "sdtContent")
                if content is not None:
                    self.inline(content)
            elif isinstance(tag, str) and tag.startswith(_MATH):
                self._emit("".join(t.text or "" for t in child.iter(_MATH + "t")))
            else:
                self._marker(child)

    def _skip(self, el: _Element) -> None:
        """Text outside this reading; comment ranges inside it still open and close."""
        for marker in el.iter(
            _W + "commentRangeStart", _W + "commentRangeEnd", _W + "commentReference"
        ):
            self._marker(marker)

    def _marker(self, el: _Element) -> None:
        name = el.get(_W + "id")
        if name is None:
            return
        # A range opened between paragraphs starts in the next one.
        line = self.line if self.in_para else self.line + 1
        if el.tag == _W + "commentRangeStart":
            self.starts.setdefault(name, line)
            if name not in self.open:
                self.spans.setdefault(name, []).append([len(self.pieces), -1])
            self.open.add(name)
        elif el.tag == _W + "commentRangeEnd":
            if name in self.open:
                self.spans[name][-1][1] = len(self.pieces)
            self.open.discard(name)
        elif el.tag == _W + "commentReference":
            self.references.setdefault(name, line)

    def _run(self, r: _Element) -> None:
        for child in r:
            tag = child.tag
            if tag in (_W + "t", _W + "delText"):
                self._emit(child.text or "")
            elif tag in (_W + "tab", _W + "ptab"):
                # Kept as a tab until the paragraph ends: a contents line is label⇥title⇥page.
                self._emit("\t")
            elif tag in (_W + "br", _W + "cr"):
                self._emit(" ")
            elif tag == _W + "noBreakHyphen":
                self._emit("-")
            elif tag == _W + "sym":
                self._emit(_symbol(child))
            elif tag == _W + "fldChar":
                self._field(child.get(_W + "fldCharType"))
            elif tag == _W + "instrText":
                if self.fields and not self.fields[-1].shown:
                    self.fields[-1].instruction.append(child.text or "")
            elif tag == _W + "commentReference":
                self._marker(child)
            # Footnote and endnote references, drawings: not part of the visible text.

    def _field(self, kind: str | None) -> None:
        """Complex fields: keep the displayed result, drop the instructions (nesting allowed)."""
        if kind == "begin":
            self.fields.append(_Field())
        elif kind == "separate" and self.fields:
            current = self.fields[-1]
            current.shown = True
            current.contents = _field_name("".join(current.instruction)) == "TOC"
        elif kind == "end" and self.fields:
            self.fields.pop()

    def _emit(self, text: str) -> None:
        if not text or not all(f.shown for f in self.fields):
            return
        if self.contents_controls or any(f.contents for f in self.fields):
            # A paragraph is a contents line when it shows text of a table of contents, not
            # merely because the TOC field ends at its start.
            self.touched_contents = True
        self.buffer.append(text)
        self._piece(text)

    def _piece(self, text: str) -> None:
        self.pieces.append(text)
        self.ends.append((self.ends[-1] if self.ends else 0) + len(text))

    def anchor(self, name: str) -> list[str]:
        """The pieces of text in comment `name`'s range (a range never closed runs to the end),
        stopping once they pass MAX_ANCHOR characters."""
        out: list[str] = []
        room = MAX_ANCHOR
        for start, end in self.spans.get(name, ()):
            end = end if end >= 0 else len(self.pieces)
            if start >= end:
                continue
            before = self.ends[start - 1] if start > 0 else 0
            # Up to and including the piece that fills the room, found by bisection: a comment
            # costs the length of its anchor, however long the draft.
            stop = min(end, bisect_right(self.ends, before + room, start, end) + 1)
            out.extend(self.pieces[start:stop])
            room -= self.ends[stop - 1] - before
            if room < 0:
                break
        return out


def _symbol(el: _Element) -> str:
    """A w:sym character; symbol fonts live in the private-use block F000–F0FF, shifted down."""
    try:
        code = int(el.get(_W + "char") or "", 16)
    except ValueError:
        return ""
    if 0xF000 <= code <= 0xF0FF:
        code -= 0xF000
    try:
        return chr(code) if code >= 0x20 else ""
    except (ValueError, OverflowError):
        return ""


def _merge(paras: list[_Para]) -> tuple[list[_Para], dict[int, int]]:
    """Join paragraphs whose mark is gone with the next one in their container, as Word does.

    The joined paragraph keeps the properties of the mark that survives (the last one) and the
    index of its first paragraph with text. Also returns where each paragraph index ended up.
    """
    merged: list[_Para] = []
    moved: dict[int, int] = {}
    chain: list[_Para] = []
    for i, para in enumerate(paras):
        chain.append(para)
        nxt = paras[i + 1] if i + 1 < len(paras) else None
        if para.mark_removed and nxt is not None and nxt.container == para.container:
            continue
        texts = [c.text.strip() for c in chain if c.text.strip()]
        line = next((c.line for c in chain if c.text.strip()), chain[-1].line)
        last = chain[-1]
        merged.append(
            replace(
                last,
                line=line,
                text=" ".join(texts),
                mark_removed=False,
                contents=any(c.contents for c in chain),
                tabbed=last.tabbed if len(chain) == 1 else "",
            )
        )
        moved.update({c.line: line for c in chain})
        chain = []
    return merged, moved


def _numbering_of(
    ppr: _Element | None, style_id: str | None, styles: _Styles
) -> tuple[int, int | None] | None:
    """(numId, ilvl) of a paragraph: its own w:numPr first, then its style's; numId 0 means none."""
    numpr = ppr.find(_W + "numPr") if ppr is not None else None
    num_id = _int(_val(numpr, "numId"))
    ilvl = _int(_val(numpr, "ilvl"))
    style_num, style_ilvl = styles.numbering(style_id)
    if num_id is None:
        num_id = style_num
    if ilvl is None:
        ilvl = style_ilvl
    if num_id is None or num_id == 0:
        return None
    return num_id, ilvl


def _bottom_border(ppr: _Element | None) -> bool:
    """Whether paragraph properties draw a line under the paragraph (w:pBdr/w:bottom, not none)."""
    bottom = ppr.find(f"{_W}pBdr/{_W}bottom") if ppr is not None else None
    return bottom is not None and (bottom.get(_W + "val") or "none") not in ("none", "nil")


@dataclass(frozen=True)
class _Language:
    """The language of a paragraph's label, looked up only when a format needs it: its mark's
    w:lang, its first run's, its style's, the document's ("" when none says)."""

    para: _Para
    style_id: str | None
    styles: _Styles

    def __call__(self) -> str:
        el = self.para.element
        if el is not None:
            for path in (f"{_W}pPr/{_W}rPr/{_W}lang", f".//{_W}r/{_W}rPr/{_W}lang"):
                found = el.find(path)
                if found is not None and found.get(_W + "val"):
                    return found.get(_W + "val") or ""
        return self.styles.lang(self.style_id)


# A contents line typed with tabs: label⇥title⇥page, or a labelled title⇥page ("1.0⇥Introduction⇥3",
# "SECTION 1⇥Introduction⇥2"), or with a typed dot leader ("1. Introduction ........ 3").
_PAGE = r"\s*(?:\d{1,4}|[ivxlcdmIVXLCDM]{1,7})\s*$"
_TABBED_LINE = re.compile(r"[^\t]*\S[^\t]*\t+[^\t]*\S[^\t]*\t+" + _PAGE)
_TITLE_PAGE = re.compile(r"[^\t]*\S[^\t]*\t+" + _PAGE)
_DOT_LEADER = re.compile(r".*\S\s*(?:\.\s?){4,}|.*\S\s*…{2,}")


def _is_contents_line(para: _Para) -> bool:
    """A paragraph shaped like a line of a table of contents (its page number at the end)."""
    if para.tabbed:
        if _TABBED_LINE.match(para.tabbed):
            return True
        return bool(_TITLE_PAGE.match(para.tabbed)) and bool(match_labels(para.tabbed.replace("\t", " ")))
    text = para.text.strip()
    if not text[-1:].isalnum():
        return False
    leader = _DOT_LEADER.match(text)
    return leader is not None and re.fullmatch(_PAGE, text[leader.end():]) is not None and bool(match_labels(text))


def _block(
    para: _Para, style_id: str | None, gen: _Generated | None, styles: _Styles, typed: bool
) -> Block | None:
    """The outline block for one paragraph, or None for an empty unnumbered one.

    `typed` is False where a label typed at the start is data, not a point (a table's cells).
    """
    text = para.text.strip()
    if para.contents or styles.is_contents(style_id) or (gen is None and _is_contents_line(para)):
        return Block(text, para.line, BlockKind.CONTENTS) if text else None
    if gen is not None and gen.fmt != "bullet" and gen.text:
        label = _auto_label(gen)
        return Block(text, para.line, auto_label=label, level_style=f"w:{gen.abstract}:{gen.ilvl}")
    if not text:
        # Word's horizontal line (typing --- and Enter makes an empty paragraph with a bottom
        # border) separates like a typed "---": what follows stands outside the points.
        return Block("", para.line, BlockKind.RULE) if _bottom_border(para.ppr) else None
    if gen is not None and gen.fmt == "bullet":
        return Block(text, para.line, BlockKind.BULLET, indent=gen.ilvl)
    labels = match_labels(text) if typed else ()
    if labels:
        return Block(text, para.line, BlockKind.PARAGRAPH, labels=labels)
    if styles.is_heading(style_id):
        return Block(text, para.line, BlockKind.HEADING)
    level = styles.bullet_level(style_id)
    if level is not None:
        return Block(text, para.line, BlockKind.BULLET, indent=level)
    if BULLET_RE.match(text):
        return Block(text, para.line, BlockKind.BULLET)
    return Block(text, para.line, BlockKind.PARAGRAPH)


# -- tables: which hold points --------------------------------------------------------------------

_LETTER = re.compile(r"[^\W\d_]")
_PROSE_WORDS = 3


def _whole_label(text: str) -> Label | None:
    """The label a cell holds when the cell is nothing but a label ("12.", "(b)", "Article 4")."""
    text = text.strip()
    return next((label for label in match_labels(text) if label.text.strip() == text), None)


def _in_sequence(labels: list[Label]) -> bool:
    """Whether typed labels count up as a list's do (1, 2, 3), most of the way."""
    if len(labels) < 2:
        return False
    steps = sum(1 for a, b in itertools.pairwise(labels) if b.value == a.value + 1)
    return steps * 5 >= (len(labels) - 1) * 3


def _table_roles(
    paras: list[_Para], numbered: list[bool]
) -> tuple[list[bool], dict[int, int]]:
    """Which paragraphs may start a point with a typed label, and which label cells join the text
    cell beside them (label index → text index).

    A table of two or more columns holds points only when it looks like a list: Word numbering
    in its cells (always read), a column of bare labels with the text in the next cell, or a
    column of paragraphs that start with labels counting up, each followed by prose. Any other
    number at the start of a cell ("31.4", "(812) 560-95-33", a TOC page) is the cell's text.
    A one-column table is a frame around text, and reads like the text outside it.
    """
    typed = [True] * len(paras)
    pairs: dict[int, int] = {}
    tables: dict[int, dict[int, dict[int, list[int]]]] = {}
    for index, para in enumerate(paras):
        if para.cell is not None:
            table, row, column = para.cell
            tables.setdefault(table, {}).setdefault(row, {}).setdefault(column, []).append(index)
    for rows in tables.values():
        if max(len(columns) for columns in rows.values()) < 2:
            continue
        members = [i for columns in rows.values() for cell in columns.values() for i in cell]
        for index in members:
            typed[index] = False
        label_rows: list[tuple[int, int]] = []
        filled = 0
        for columns in rows.values():
            cells = [
                [i for i in columns[c] if paras[i].text.strip()] for c in sorted(columns)
            ]
            cells = [cell for cell in cells if cell]
            if not cells:
                continue
            filled += 1
            first, rest = cells[0], cells[1:]
            if (
                len(first) == 1
                and rest
                and not numbered[first[0]]
                and _whole_label(paras[first[0]].text) is not None
                and any(_LETTER.search(paras[i].text) for cell in rest for i in cell)
            ):
                label_rows.append((first[0], rest[0][0]))
        if len(label_rows) >= 2 and 2 * len(label_rows) >= filled:
            pairs.update(label_rows)
            continue
        for index in _provision_column(paras, rows):
            typed[index] = True
    return typed, pairs


def _provision_column(paras: list[_Para], rows: dict[int, dict[int, list[int]]]) -> list[int]:
    """The paragraphs of the first column that reads as numbered provisions (labels counting
    up, each followed by prose); [] if none does."""
    by_column: dict[int, list[int]] = {}
    for columns in rows.values():
        for column, cell in columns.items():
            by_column.setdefault(column, []).extend(cell)
    for column in sorted(by_column):
        labels: list[Label] = []
        for index in by_column[column]:
            text = paras[index].text.strip()
            found = match_labels(text)
            if not found or not found[0].strong:
                continue
            rest = text[len(found[0].text):]
            if sum(1 for word in rest.split() if _LETTER.search(word)) >= _PROSE_WORDS:
                labels.append(found[0])
        same_style = [label for label in labels if label.style == labels[0].style] if labels else []
        if _in_sequence(same_style):
            return by_column[column]
    return []


def _blocks(paras: list[_Para], styles: _Styles, counters: _Counters) -> list[Block]:
    """The outline blocks of a draft's paragraphs, numbering counted in document order."""
    numbering: list[tuple[str | None, _Generated | None]] = []
    for para in paras:
        style_id = styles.of(para.ppr)
        ref = _numbering_of(para.ppr, style_id, styles)
        gen = None
        if ref is not None:
            gen = counters.count(ref[0], ref[1], style_id, _Language(para, style_id, styles))
        numbering.append((style_id, gen))
    numbered = [gen is not None and gen.fmt != "bullet" and bool(gen.text) for _, gen in numbering]
    typed, pairs = _table_roles(paras, numbered)
    blocks: list[Block] = []
    joined: set[int] = set()
    for index, para in enumerate(paras):
        if index in joined:
            continue
        if index in pairs:
            # A label cell and the text cell beside it read as one labelled paragraph.
            partner = pairs[index]
            joined.add(partner)
            text = f"{para.text.strip()} {paras[partner].text.strip()}"
            blocks.append(Block(text, para.line, BlockKind.PARAGRAPH, labels=match_labels(text)))
            continue
        style_id, gen = numbering[index]
        block = _block(para, style_id, gen, styles, typed[index])
        if block is not None:
            blocks.append(block)
    return blocks


# -- comments ------------------------------------------------------------------------------------


def _anchor_text(pieces: list[str]) -> str:
    # Cut before the spaces are tidied: tidying only shortens, and costs the length it is given.
    lines = "".join(pieces)[:MAX_ANCHOR].split("\n")
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


class _Locator:
    """Which point holds a paragraph: the last point or outside item starting at or before it."""

    def __init__(self, doc: Document) -> None:
        starts: list[tuple[int, str | None]] = [(p.line, p.id) for p in doc.walk()]
        starts += [(o.line, None) for o in doc.outside]
        starts.sort(key=lambda start: start[0])
        self.lines = [line for line, _ in starts]
        self.ids = [point_id for _, point_id in starts]

    def point_at(self, line: int | None) -> str | None:
        """The id of the point paragraph `line` lies in, or None outside points."""
        if line is None:
            return None
        index = bisect_right(self.lines, line) - 1
        return self.ids[index] if index >= 0 else None


def _comments(
    root: _Element | None, body: _Walker, doc: Document, moved: dict[int, int]
) -> tuple[Comment, ...]:
    """Word comments with their anchored text and the point the anchor starts in."""
    found: list[tuple[int, int, Comment]] = []
    locator = _Locator(doc)
    for order, el in enumerate(root.findall(_W + "comment") if root is not None else ()):
        name = el.get(_W + "id") or ""
        body.budget.spend()
        reader = _Walker(body.original, body.budget)
        reader.blocks(el)
        text = "\n".join(p.text.strip() for p in reader.paras if p.text.strip())
        line = body.starts.get(name, body.references.get(name))
        line = moved.get(line, line) if line is not None else None
        comment = Comment(
            id=name,
            author=el.get(_W + "author") or "",
            initials=el.get(_W + "initials") or "",
            date=el.get(_W + "date"),
            text=text,
            anchor=_anchor_text(body.anchor(name)),
            point_id=locator.point_at(line),
        )
        found.append((line if line is not None else 1 << 30, order, comment))
    return tuple(c for _, _, c in sorted(found, key=lambda f: (f[0], f[1])))


# -- the reader ----------------------------------------------------------------------------------


def _read(data: bytes, source: str, original: bool, bullets: bool) -> Document:
    pkg = _Package(data, source)
    main = _main_part(pkg)
    root = pkg.xml(main)
    if root is None or root.tag != _W + "document":
        # An .xlsx or .pptx renamed .docx is a fine zip whose main part is something else.
        raise FormatError(
            f"is not a Word document (its main part is {_named(main)}); save the draft from Word as .docx",
            source,
        )
    body = root.find(_W + "body")
    rels = pkg.relations(main)

    def part(kind: str) -> _Element | None:
        target = rels.get(kind)
        return pkg.xml(target if target and pkg.has(target) else f"word/{kind}.xml")

    styles = _Styles(part("styles"))
    counters = _Counters(_Definitions(part("numbering"), styles))
    walker = _Walker(original, _Budget(source))
    if body is not None:
        walker.blocks(body)
    paras, moved = _merge(walker.paras)
    doc = build_document(_blocks(paras, styles, counters), source, Format.DOCX, bullets=bullets)
    unknown = tuple(
        f"{source}: numbering format {_named(fmt)} is not one plancmp knows; its numbers are shown "
        "as decimals (1, 2, 3)"
        for fmt in counters.unknown
    )
    return replace(
        doc,
        comments=_comments(part("comments"), walker, doc, moved),
        warnings=unknown + doc.warnings,
        revisions=sum(1 for _ in body.iter(*_REVISIONS)) if body is not None else 0,
    )


def read_docx(data: bytes, source: str, original: bool = False, bullets: bool = False) -> Document:
    """Read a Word draft's bytes into a Document: revisions accepted, or rejected if original;
    with bullets, its bulleted items are the points (see outline.build_document)."""
    try:
        return _read(data, source, original, bullets)
    except PlancmpError:
        raise
    except RecursionError:
        raise FormatError(
            "is nested too deeply to read (tables within tables?); simplify it in Word", source
        ) from None
    except MemoryError:
        raise InputError("is too large to read in memory; split the draft", source) from None
