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
import posixpath
import re
import zipfile
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from plancmp.errors import FormatError, InputError, PlancmpError
from plancmp.model import Comment, Document, Format
from plancmp.numbering import Label, LabelKind, match_labels, to_letters, to_roman
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
_STRICT_W = "{http://purl.oclc.org/ooxml/wordprocessingml/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_MATH = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFF = ("0", "false", "off")
_RESAVE = "open it in Word and save it again as .docx"


# -- the package: a zip that must not be trusted ---------------------------------------------


def _named(part: str) -> str:
    """A part name as a message shows it. Names come from the zip and its relationships, so from
    whoever made the file: control characters and bidi overrides in them are shown as escapes,
    not sent to the user's terminal, and a 64 KB name is cut short."""
    shown = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in part[:200])
    return shown + ("…" if len(part) > 200 else "")


def _bomb(what: str, limit: int | None = None) -> str:
    limit = MAX_PART_BYTES if limit is None else limit
    # "declares more than 200 MB when unpacked", but "unpacks to more than 32 MB".
    when = " when unpacked" if "declare" in what else ""
    return (
        f"{what} more than {limit // (1024 * 1024)} MB{when}, which looks like a "
        "zip bomb; plancmp refuses it (if the draft is genuine, remove large embedded files and "
        "save it again)"
    )


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
            f"is a damaged DOCX: {_named(part)} is not well-formed XML{where}; {_RESAVE}", source
        ) from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise _entities_error(part, source)
    return root


class _Package:
    """The DOCX zip, with every size capped before and while unpacking."""

    def __init__(self, data: bytes, source: str) -> None:
        self.source = source
        self.unpacked = 0
        if data[:4] == b"\xd0\xcf\x11\xe0":
            raise FormatError(
                "is not a DOCX but an OLE file: a password-protected DOCX or a legacy .doc; "
                "remove the password, or save it from Word as .docx",
                source,
            )
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except Exception as exc:  # zipfile raises half a dozen types on garbage; all mean the same
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
                raise InputError(_bomb(f"part {_named(info.filename)} declares"), source)
            declared += info.file_size
        if declared > MAX_TOTAL_BYTES:
            raise InputError(_bomb("its parts declare"), source)

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
        except Exception as exc:  # zlib, CRC, truncation, unknown compression: all a damaged file
            raise self._damaged(info) from exc

    def _damaged(self, info: zipfile.ZipInfo) -> FormatError:
        return FormatError(
            f"is a damaged DOCX: {_named(info.filename)} cannot be unpacked; {_RESAVE}", self.source
        )

    def _read_capped(self, info: zipfile.ZipInfo) -> bytes:
        chunks: list[bytes] = []
        size = 0
        cap = min(MAX_PART_BYTES, MAX_XML_BYTES)
        with self.zip.open(info) as handle:
            while chunk := handle.read(_CHUNK):
                size += len(chunk)
                self.unpacked += len(chunk)
                if size > cap:
                    raise InputError(_bomb(f"part {_named(info.filename)} unpacks to", cap), self.source)
                if self.unpacked > MAX_TOTAL_BYTES:
                    raise InputError(_bomb("its parts unpack to"), self.source)
                chunks.append(chunk)
        return b"".join(chunks)

    def xml(self, name: str) -> _Element | None:
        """A part parsed as XML, or None if the package does not have it."""
        data = self.read(name)
        return None if data is None else _parse_xml(data, name, self.source)

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


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str | None
    num_id: int | None
    ilvl: int | None


class _Styles:
    """Paragraph styles: names for headings and bullets, numbering carried by a style."""

    def __init__(self, root: _Element | None) -> None:
        self.by_id: dict[str, _Style] = {}
        self.default: str | None = None
        self._numbering: dict[str | None, tuple[int | None, int | None]] = {}
        for el in root.iter(_W + "style") if root is not None else ():
            style_id = el.get(_W + "styleId")
            if style_id is None or style_id in self.by_id:
                continue
            ppr = el.find(_W + "pPr")
            numpr = ppr.find(_W + "numPr") if ppr is not None else None
            self.by_id[style_id] = _Style(
                name=_val(el, "name") or style_id,
                based_on=_val(el, "basedOn"),
                num_id=_int(_val(numpr, "numId")),
                ilvl=_int(_val(numpr, "ilvl")),
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

    def is_bullet(self, style_id: str | None) -> bool:
        """A "List Bullet" style, directly or through basedOn."""
        return any(_BULLET_NAME.match(s.name) for _, s in self.chain(style_id))


# -- numbering definitions -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str
    text: str | None
    restart: int | None
    legal: bool
    pstyle: str | None


@dataclass(frozen=True)
class _Num:
    abstract: int | None
    starts: dict[int, int]
    levels: dict[int, _Level]


def _number_format(lvl: _Element) -> str:
    found = lvl.find(_W + "numFmt")
    if found is None:
        # Word 2010+ wraps custom formats in mc:AlternateContent; the fallback is the plain one.
        found = lvl.find(f"{_MC}AlternateContent/{_MC}Fallback/{_W}numFmt")
    return (found.get(_W + "val") if found is not None else None) or "decimal"


def _parse_level(lvl: _Element) -> _Level:
    text_el = lvl.find(_W + "lvlText")
    if text_el is None or (text_el.get(_W + "null") or "").lower() in ("1", "true", "on"):
        text = None
    else:
        text = text_el.get(_W + "val")
    return _Level(
        start=_int(_val(lvl, "start")) or 0,
        fmt=_number_format(lvl),
        text=text,
        restart=_int(_val(lvl, "lvlRestart")),
        legal=_flag(lvl, "isLgl"),
        pstyle=_val(lvl, "pStyle"),
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

_RUSSIAN = "абвгдежзиклмнопрстуфхцчшщэюя"
_FORMAT_KINDS = {
    "lowerLetter": (LabelKind.LETTER,),
    "upperLetter": (LabelKind.UPPER_LETTER,),
    "lowerRoman": (LabelKind.ROMAN,),
    "upperRoman": (LabelKind.UPPER_ROMAN,),
    "russianLower": (LabelKind.LETTER,),
    "russianUpper": (LabelKind.UPPER_LETTER,),
}
_NUMERIC_KINDS = (LabelKind.NUMBER, LabelKind.DOTTED, LabelKind.KEYWORD)
_PLACEHOLDER = re.compile(r"%([1-9])")
_MAX_LETTER_VALUE = 26 * 20


def _ordinal(value: int) -> str:
    suffix = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
    return f"{value}{suffix}"


def format_number(value: int, fmt: str) -> str:
    """A counter value in a w:numFmt ("lowerRoman", 4 → "iv"); unknown formats give decimals."""
    if fmt in ("none", "bullet"):
        return ""
    if fmt in ("lowerRoman", "upperRoman") and 0 < value < 4000:
        roman = to_roman(value)
        return roman.upper() if fmt == "upperRoman" else roman
    # Letters repeat (aa, bbb…): past a few rounds a decimal beats the label a hostile
    # w:start of 10**20 would make gigabytes long.
    if fmt in ("lowerLetter", "upperLetter") and 0 < value <= _MAX_LETTER_VALUE:
        letters = to_letters(value)
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("russianLower", "russianUpper") and 0 < value <= _MAX_LETTER_VALUE:
        # Word counts а…я without ё, й, ъ, ы, ь, then doubles the letter as it does for Latin.
        letter = _RUSSIAN[(value - 1) % len(_RUSSIAN)] * ((value - 1) // len(_RUSSIAN) + 1)
        return letter.upper() if fmt == "russianUpper" else letter
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "ordinal":
        return _ordinal(value)
    if fmt == "decimalEnclosedParen":
        return f"({value})"
    if fmt == "decimalEnclosedFullstop":
        return f"{value}."
    return str(value)


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

    def count(self, num_id: int, ilvl: int | None, style_id: str | None) -> _Generated | None:
        """Count one numbered paragraph; None when its numbering does not resolve (so: text)."""
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
        for deeper in [d for d in values if d > ilvl and self._restarts(aid, d, ilvl)]:
            del values[deeper]
        fmt = "decimal" if level.legal and level.fmt not in ("bullet", "none") else level.fmt
        return _Generated(
            text=self._render(num, aid, ilvl, level),
            fmt=fmt,
            component=format_number(value, fmt),
            value=value,
            abstract=aid,
            ilvl=ilvl,
        )

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

    def _render(self, num: _Num, aid: int, ilvl: int, level: _Level) -> str:
        template = level.text or ""
        refs = [int(n) - 1 for n in _PLACEHOLDER.findall(template)]
        if any(ref > ilvl for ref in refs):
            return ""  # Word drops a lvlText that names a deeper level, rather than guess.
        values = self.values[aid]

        def substitute(match: re.Match[str]) -> str:
            ref = int(match.group(1)) - 1
            ref_level = self._level(num, aid, ref)
            fmt = ref_level.fmt if ref_level is not None else "decimal"
            if level.legal and fmt not in ("none", "bullet"):
                fmt = "decimal"
            value = values.get(ref, self._start(num, aid, ref))
            return format_number(value, fmt)

        return _PLACEHOLDER.sub(substitute, template).strip()


def _auto_label(gen: _Generated) -> Label:
    """The generated label as the outline builder's Label: the reading whose kind fits w:numFmt."""
    kinds = _FORMAT_KINDS.get(gen.fmt, _NUMERIC_KINDS)
    for reading in match_labels(gen.text + " x"):
        if reading.kind in kinds:
            return replace(reading, text=gen.text, strong=True)
    # Labels match_labels cannot read ("Annex 1-a", "§ а)") still name the point by its number.
    return Label(
        text=gen.text,
        kind=kinds[0],
        style=f"w:{gen.fmt}",
        parts=(gen.component.lower() or str(gen.value),),
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


_TRANSPARENT_INLINE = {
    _W + t for t in ("hyperlink", "smartTag", "customXml", "fldSimple", "dir", "bdo")
}
_CONTAINERS = {_W + t for t in ("tbl", "tr", "tc", "customXml", "sdtContent")}
_MARK = {True: (_W + "ins", _W + "moveTo"), False: (_W + "del", _W + "moveFrom")}


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
        self.fields: list[bool] = []
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
            elif tag == _W + "sdt":
                content = child.find(_W + "sdtContent")
                if content is not None:
                    self.blocks(content)
            elif tag in _CONTAINERS:
                self.blocks(child)
            else:
                self._marker(child)

    def _paragraph(self, p: _Element, container: int) -> None:
        self.budget.spend()
        self.line += 1
        self.in_para = True
        self.buffer = []
        ppr = p.find(_W + "pPr")
        self.inline(p)
        self._piece("\n")
        self.in_para = False
        self.paras.append(
            _Para(
                self.line,
                "".join(self.buffer),
                self._properties(ppr),
                self._mark_removed(ppr),
                container,
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
            elif tag in (_W + "tab", _W + "ptab", _W + "br", _W + "cr"):
                self._emit(" ")
            elif tag == _W + "noBreakHyphen":
                self._emit("-")
            elif tag == _W + "sym":
                self._emit(_symbol(child))
            elif tag == _W + "fldChar":
                self._field(child.get(_W + "fldCharType"))
            elif tag == _W + "commentReference":
                self._marker(child)
            # instrText, footnote and endnote references, drawings: not part of the visible text.

    def _field(self, kind: str | None) -> None:
        """Complex fields: keep the displayed result, drop the instructions (nesting allowed)."""
        if kind == "begin":
            self.fields.append(False)
        elif kind == "separate" and self.fields:
            self.fields[-1] = True
        elif kind == "end" and self.fields:
            self.fields.pop()

    def _emit(self, text: str) -> None:
        if not text or not all(self.fields):
            return
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
        merged.append(_Para(line, " ".join(texts), chain[-1].ppr, False, para.container))
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


def _block(para: _Para, styles: _Styles, counters: _Counters) -> Block | None:
    """The outline block for one paragraph, or None for an empty unnumbered one."""
    style_id = styles.of(para.ppr)
    ref = _numbering_of(para.ppr, style_id, styles)
    gen = counters.count(ref[0], ref[1], style_id) if ref is not None else None
    text = para.text.strip()
    if gen is not None and gen.fmt != "bullet" and gen.text:
        label = _auto_label(gen)
        return Block(text, para.line, auto_label=label, level_style=f"w:{gen.abstract}:{gen.ilvl}")
    if not text:
        # Word's horizontal line (typing --- and Enter makes an empty paragraph with a bottom
        # border) separates like a typed "---": what follows stands outside the points.
        return Block("", para.line, BlockKind.RULE) if _bottom_border(para.ppr) else None
    if gen is not None and gen.fmt == "bullet":
        return Block(text, para.line, BlockKind.BULLET)
    labels = match_labels(text)
    if labels:
        return Block(text, para.line, BlockKind.PARAGRAPH, labels=labels)
    if styles.is_heading(style_id):
        return Block(text, para.line, BlockKind.HEADING)
    if styles.is_bullet(style_id):
        return Block(text, para.line, BlockKind.BULLET)
    return Block(text, para.line, BlockKind.PARAGRAPH)


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


def _read(data: bytes, source: str, original: bool) -> Document:
    pkg = _Package(data, source)
    main = _main_part(pkg)
    root = pkg.xml(main)
    if root is not None and root.tag == _STRICT_W + "document":
        raise FormatError(
            "is saved as Strict Open XML, which plancmp does not read; in Word, save it as "
            '"Word Document (.docx)"',
            source,
        )
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
    blocks = [b for b in (_block(p, styles, counters) for p in paras) if b is not None]
    doc = build_document(blocks, source, Format.DOCX)
    return replace(doc, comments=_comments(part("comments"), walker, doc, moved))


def read_docx(data: bytes, source: str, original: bool = False) -> Document:
    """Read a Word draft's bytes into a Document: revisions accepted, or rejected if original."""
    try:
        return _read(data, source, original)
    except PlancmpError:
        raise
    except RecursionError:
        raise FormatError(
            "is nested too deeply to read (tables within tables?); simplify it in Word", source
        ) from None
    except MemoryError:
        raise InputError("is too large to read in memory; split the draft", source) from None
    except Exception as exc:
        # Whatever the bytes, the user gets one line naming the file, never a traceback.
        raise FormatError(
            f"could not be read as a DOCX ({type(exc).__name__}); {_RESAVE}, and report the file "
            "if that does not help",
            source,
        ) from exc
