"""Markdown drafts: walk markdown-it's token stream into blocks for the outline builder.

The reader only says what it found (a list item and its generated number, a heading, a paragraph
that starts with a typed label); which block starts which point is decided by `outline`, so a
Markdown draft reads the same as its plain-text twin. Markdown markup (bullet markers, `#`,
emphasis, link targets, tags) is not text content and is dropped; every word the rendered page
shows is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_core import block as core_block
from markdown_it.token import Token

from plancmp.errors import FormatError
from plancmp.model import Document, Format
from plancmp.numbering import Label, LabelKind, match_labels
from plancmp.parse.outline import SENTENCE_END, Block, BlockKind, build_document

# Tags a browser lays out as separate boxes: text on either side of them is separate words.
_BREAKING_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
        "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th",
        "thead", "tr", "ul",
    }
)
# Of those, the ones that hold paragraphs of their own (a line break <br> does not).
_PARAGRAPH_TAGS = _BREAKING_TAGS - {"br"}
_SPACES = re.compile(r"[ \t\r\n]+")

MAX_LIST_NESTING = 60
"""Most lists a Markdown draft may nest inside each other (or twice as many block quotes)."""
# markdown-it counts two levels for a list and its item, one for a block quote. Past its
# maxNesting (20: ten nested lists) it silently skips the rest of the document, so the limit is
# raised for the block phase, and a guard stops short of it with a message instead.
_BLOCK_LEVELS = 2 * MAX_LIST_NESTING


class _TooDeep(Exception):
    """Raised by the nesting guard; read_markdown turns it into a FormatError with the line."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def _nesting_guard(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    # Runs before every other block rule, at every block start: refuse rather than lose text.
    if state.level > _BLOCK_LEVELS:
        raise _TooDeep(start_line + 1)
    return False


def _deep_blocks(state: StateCore) -> None:
    # Only the block phase gets the deeper limit: inline nesting ([[[links]]], emphasis) keeps
    # markdown-it's own, which bounds its recursion and matches what other renderers show.
    options = state.md.options
    inline_limit = options.maxNesting
    options.maxNesting = _BLOCK_LEVELS + 8
    try:
        core_block(state)
    finally:
        options.maxNesting = inline_limit


def markdown_parser() -> MarkdownIt:
    """The CommonMark parser plancmp reads drafts with, GFM tables enabled."""
    md = MarkdownIt("commonmark").enable("table")
    md.block.ruler.before("table", "plancmp_nesting_guard", _nesting_guard)
    md.core.ruler.at("block", _deep_blocks)
    return md


_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


@dataclass
class _HTMLParagraph:
    """A paragraph of raw HTML being collected."""

    line: int
    """Line (from 1, within the HTML) where its first words are."""
    tag: str
    """The element that opened it ("p", "h2"), or "" after a closing tag."""
    parts: list[str] = field(default_factory=list)
    """Its text, as the parser found it."""
    started: bool = False
    """Whether it has words yet (kept, not recomputed: a <p> of 100,000 tags is one paragraph)."""


class _HTMLText(HTMLParser):
    """Collects what a browser shows of a piece of raw HTML: its text and its images' alt text,
    and the same text cut into the paragraphs that elements such as <p> and <li> hold."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.paragraphs: list[_HTMLParagraph] = [_HTMLParagraph(1, "")]

    def _part(self, text: str) -> None:
        self.parts.append(text)
        paragraph = self.paragraphs[-1]
        if not paragraph.started and text.strip():
            # The paragraph starts where its first words do.
            paragraph.line = self.getpos()[0]
            paragraph.started = True
        paragraph.parts.append(text)

    def _break(self, tag: str) -> None:
        self.parts.append(" ")
        if self.paragraphs[-1].started:
            self.paragraphs.append(_HTMLParagraph(self.getpos()[0], tag))
        else:
            self.paragraphs[-1].tag = tag

    def handle_data(self, data: str) -> None:
        self._part(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            # Markdown images keep their alt text, so raw <img> tags do too.
            alt = dict(attrs).get("alt")
            if alt:
                self._part(f" {alt} ")
        elif tag in _PARAGRAPH_TAGS:
            self._break(tag)
        elif tag in _BREAKING_TAGS:
            self._part(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _PARAGRAPH_TAGS:
            self._break("")
        elif tag in _BREAKING_TAGS:
            self._part(" ")


def _html_parser(html: str) -> _HTMLText:
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    return parser


def html_text(html: str) -> str:
    """The text a piece of raw HTML shows (tags and comments dropped, entities decoded)."""
    return "".join(_html_parser(html).parts)


def html_paragraphs(html: str) -> list[tuple[int, str, bool]]:
    """The paragraphs a piece of raw HTML shows, one per <p>, <li>, <div>, <h2>… (not per <br>):
    (line from 1 where it starts, text, whether it is a heading <h1>…<h6>); empty ones left out."""
    out = []
    for paragraph in _html_parser(html).paragraphs:
        text = _clean("".join(paragraph.parts))
        if text:
            out.append((paragraph.line, text, paragraph.tag in _HEADING_TAGS))
    return out


def _inline_text(tokens: Sequence[Token]) -> str:
    """Inline tokens as plain text: markup dropped, code and link text kept, breaks as spaces."""
    out: list[str] = []
    for tok in tokens:
        if tok.type in ("text", "text_special", "code_inline"):
            out.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif tok.type == "image":
            out.append(_inline_text(tok.children or ()))
        elif tok.type == "html_inline":
            out.append(html_text(tok.content))
        # Everything else (em/strong/link open and close) is markup with no text of its own.
    return "".join(out)


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _inline_lines(inline: Token) -> list[str]:
    """The inline's text split at its line breaks (soft or hard), one string per source line."""
    lines: list[list[Token]] = [[]]
    for tok in inline.children or ():
        if tok.type in ("softbreak", "hardbreak"):
            lines.append([])
        else:
            lines[-1].append(tok)
    return [_clean(_inline_text(line)) for line in lines]


@dataclass(frozen=True)
class _Piece:
    """A run of a paragraph's lines that a typed label at its start sets apart from the rest."""

    text: str
    """The run's text, lines joined by spaces."""
    line: int
    """1-based source line where the run starts."""
    soft: bool
    """The previous line did not end a sentence, so the label may be wrapped prose."""


def _paragraph_pieces(inline: Token) -> list[_Piece]:
    """A paragraph cut before every line that starts with a typed label.

    CommonMark joins "a) …\\nb) …" typed on consecutive lines into one paragraph, but the drafter
    meant two sub-points; the plain-text reader sees two lines, and so must this one.
    """
    first = inline.map[0] + 1 if inline.map else 0
    pieces: list[tuple[list[str], int, bool]] = []
    prev = ""
    for offset, text in enumerate(_inline_lines(inline)):
        if not pieces or (text and match_labels(text)):
            soft = bool(pieces) and not prev.endswith(SENTENCE_END)
            pieces.append(([text], first + offset, soft))
        else:
            pieces[-1][0].append(text)
        if text:
            prev = text
    return [_Piece(" ".join(t for t in texts if t), line, soft) for texts, line, soft in pieces]


def _auto_label(value: int, delim: str) -> Label:
    """The label a Markdown ordered list shows for an item, built directly because CommonMark
    allows nine-digit numbers that match_labels would not read."""
    return Label(
        text=f"{value}{delim}",
        kind=LabelKind.NUMBER,
        style=f"number{delim}",
        parts=(str(value),),
        value=value,
    )


@dataclass
class _List:
    """A list the walker is inside (mutable walker state, like the builder's nodes)."""

    ordered: bool
    """Numbered (<ol>) rather than bulleted."""
    depth: int
    """1 for a top-level list, 2 for a list inside one of its items, and so on."""
    next_value: int = 1
    """The number the next item will show."""
    delim: str = "."
    """"." or ")", as typed after the first item's number."""


@dataclass
class _Item:
    """A list item the walker is inside."""

    owner: _List
    """The list the item belongs to."""
    value: int
    """The number the rendered page shows for it (ordered lists)."""
    line: int
    """1-based line of its marker."""
    pending: bool = True
    """No block has carried the item's label yet."""


@dataclass
class _Walker:
    """Turns the token stream into blocks, keeping track of the lists and items it is inside."""

    lists: list[_List] = field(default_factory=list)
    items: list[_Item] = field(default_factory=list)

    @property
    def depth(self) -> int:
        """How many lists the walker is inside: the indent of blocks found here."""
        return len(self.lists)

    def _pending_item(self) -> _Item | None:
        """The innermost list item if its first block is still to come."""
        if self.items and self.items[-1].pending and self.items[-1].owner is self.lists[-1]:
            return self.items[-1]
        return None

    def _label_block(self, item: _Item, text: str, line: int) -> Block:
        """The block that carries an item's label: generated for ordered lists, typed for bullets."""
        item.pending = False
        depth = item.owner.depth
        if item.owner.ordered:
            return Block(
                text,
                line,
                BlockKind.PARAGRAPH,
                indent=depth,
                auto_label=_auto_label(item.value, item.owner.delim),
                level_style=f"md-ol:{depth}",
            )
        # A bullet's marker is markup; a label typed after it ("- a) …") still makes a sub-point.
        labels = match_labels(text)
        return Block(text, line, BlockKind.BULLET, labels=labels, indent=depth)

    def flush(self) -> Iterator[Block]:
        """Give a pending ordered item its (empty) point before a block that cannot carry it."""
        item = self._pending_item()
        if item is None:
            return
        if item.owner.ordered:
            yield self._label_block(item, "", item.line)
        else:
            item.pending = False

    def paragraph(self, inline: Token) -> Iterator[Block]:
        """A paragraph's blocks: one per run of lines set apart by a typed label."""
        pieces = _paragraph_pieces(inline)
        item = self._pending_item()
        for index, piece in enumerate(pieces):
            if index == 0 and item is not None:
                yield self._label_block(item, piece.text, piece.line)
                continue
            yield Block(
                piece.text,
                piece.line,
                BlockKind.PARAGRAPH,
                labels=match_labels(piece.text),
                soft=piece.soft,
                indent=self.depth,
            )

    def heading(self, inline: Token, line: int) -> Iterator[Block]:
        """A heading's block, labelled if it starts with a label ("## 1. Title", "### Point 4")."""
        text = _clean(_inline_text(inline.children or ()))
        item = self._pending_item()
        if item is not None:
            yield self._label_block(item, text, line)
            return
        yield Block(text, line, BlockKind.HEADING, labels=match_labels(text), indent=self.depth)

    def walk(self, tokens: Sequence[Token]) -> Iterator[Block]:
        """The blocks of a whole token stream, in document order."""
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            line = tok.map[0] + 1 if tok.map else 0
            kind = tok.type
            if kind in ("bullet_list_open", "ordered_list_open"):
                yield from self.flush()
                ordered = kind == "ordered_list_open"
                start = tok.attrs.get("start", 1) if ordered else 1
                self.lists.append(_List(ordered, self.depth + 1, int(start), tok.markup or "."))
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
            elif kind == "list_item_open":
                owner = self.lists[-1]
                # The rendered page numbers items from the list's start on, whatever was typed
                # ("1. 1. 1." shows 1, 2, 3), and the rendered numbering is what readers cite.
                self.items.append(_Item(owner, owner.next_value, line))
                owner.next_value += 1
            elif kind == "list_item_close":
                yield from self.flush()
                self.items.pop()
            elif kind == "paragraph_open":
                yield from self.paragraph(tokens[i + 1])
                i += 2  # the inline and the paragraph_close
            elif kind == "heading_open":
                yield from self.heading(tokens[i + 1], line)
                i += 2
            elif kind == "inline":
                # Only table cells reach here: paragraphs and headings consume their inline.
                text = _clean(_inline_text(tok.children or ()))
                yield Block(text, line, BlockKind.PARAGRAPH, indent=self.depth)
            elif kind in ("fence", "code_block"):
                yield from self.flush()
                code = "\n".join(ln.rstrip() for ln in tok.content.splitlines()).strip("\n")
                yield Block(code, line, BlockKind.PARAGRAPH, indent=self.depth)
            elif kind == "html_block":
                yield from self.flush()
                # A draft pasted in as HTML (<p>1. …</p><p>2. …</p>) shows one paragraph per
                # element, each of which may start with a typed label, as in its plain-text twin.
                for offset, text, heading in html_paragraphs(tok.content):
                    yield Block(
                        text,
                        line + offset - 1,
                        BlockKind.HEADING if heading else BlockKind.PARAGRAPH,
                        labels=match_labels(text),
                        indent=self.depth,
                    )
            elif kind == "hr":
                yield from self.flush()
                # "---" is markup; the builder drops the empty item but still closes the points.
                yield Block("", line, BlockKind.RULE, indent=self.depth)
            elif kind in ("blockquote_open", "table_open"):
                yield from self.flush()
            i += 1


def markdown_blocks(text: str) -> Iterator[Block]:
    """The blocks of a Markdown draft: list items, headings, paragraphs, table cells, code, HTML."""
    yield from _Walker().walk(markdown_parser().parse(text))


def read_markdown(text: str, source: str, bullets: bool = False) -> Document:
    """Read a decoded Markdown draft into a Document (bullets: its bullet list items are the points)."""
    try:
        return build_document(markdown_blocks(text), source, Format.MARKDOWN, bullets=bullets)
    except _TooDeep as exc:
        raise FormatError(
            f"lists or block quotes are nested more than {MAX_LIST_NESTING} levels deep; "
            "flatten the nesting",
            source,
            exc.line,
        ) from None
