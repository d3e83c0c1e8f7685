"""Reading drafts: pick a reader by extension, check the content fits, return a Document."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from plancmp.errors import FormatError, InputError, NoPointsError
from plancmp.model import STDIN_NAME, Document, Format, ReadOptions

TEXT_EXTENSIONS = {".txt", ".text", ""}
MARKDOWN_EXTENSIONS = {".md", ".markdown", ".mdown", ".mkd"}
DOCX_EXTENSIONS = {".docx", ".docm"}
PDF_EXTENSIONS = {".pdf"}
# Formats people try, with what to do instead.
_ADVICE = {
    ".doc": "a legacy Word .doc; open it in Word and save it as .docx",
    ".odt": "an OpenDocument file; save it as .docx",
    ".rtf": "an RTF file; save it as .docx or plain text",
    ".html": "an HTML page; save its text as .txt or convert it to Markdown",
    ".htm": "an HTML page; save its text as .txt or convert it to Markdown",
}
MAX_FILE_BYTES = 200 * 1024 * 1024
"""No draft file may be larger than this (a DOCX or PDF with pictures can be large; its text is not)."""
MAX_TEXT_BYTES = 16 * 1024 * 1024
"""Nor a plain-text or Markdown draft larger than this. Negotiated texts run to a few hundred KB
(a trade agreement of 1,200 pages is about 5 MB); 16 MB reads in seconds and a few hundred MB of
memory, while a 50 MB file of short lines would take more than half a minute and most of a GB."""
_MB = 1024 * 1024
_PACKAGED = (Format.DOCX, Format.PDF)
"""Formats whose files hold pictures and fonts beside the text, and may be large."""


def format_for(path: str) -> Format:
    """The reader a file's extension asks for, or FormatError naming the file."""
    if path == "-":
        return Format.TEXT
    ext = Path(path).suffix.lower()
    if ext in TEXT_EXTENSIONS:
        return Format.TEXT
    if ext in MARKDOWN_EXTENSIONS:
        return Format.MARKDOWN
    if ext in DOCX_EXTENSIONS:
        return Format.DOCX
    if ext in PDF_EXTENSIONS:
        return Format.PDF
    if ext in _ADVICE:
        raise FormatError(f"is {_ADVICE[ext]}", path)
    raise FormatError(
        f"has an unknown format ({ext}); plancmp reads .txt, .md, .docx and .pdf drafts "
        "(rename the file if it is one of these)",
        path,
    )


def draft_names_beside(paths: Iterable[str]) -> frozenset[str]:
    """The names (file stems) of the draft files in the folders of these files: drafts a positions
    file may name although they are not compared."""
    names: set[str] = set()
    for folder in {Path(p).parent for p in paths if p not in ("-", STDIN_NAME)}:
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for entry in entries:
            try:
                format_for(entry.name)
            except FormatError:
                continue
            if entry.suffix:
                names.add(entry.stem)
    return frozenset(names)


def _too_large(path: str, fmt: Format, size: int | None) -> InputError:
    limit = MAX_FILE_BYTES if fmt in _PACKAGED else MAX_TEXT_BYTES
    what = "a draft" if fmt in _PACKAGED else "a text draft"
    # Rounded up, so that a file just over the limit does not read "is 16 MB, more than 16 MB".
    amount = f"is {-(-size // _MB)} MB, more than" if size is not None else "is larger than"
    return InputError(
        f"{amount} plancmp reads as {what} ({limit // _MB} MB); split the draft", path
    )


def _read_bytes(path: str, fmt: Format) -> bytes:
    limit = MAX_FILE_BYTES if fmt in _PACKAGED else MAX_TEXT_BYTES
    if path == "-":
        # Read one byte past the limit, never the whole of an endless pipe.
        data = sys.stdin.buffer.read(limit + 1)
        if len(data) > limit:
            raise _too_large(STDIN_NAME, fmt, None)
        return data
    p = Path(path)
    if not p.exists():
        raise InputError("no such file; check the path", path)
    if p.is_dir():
        raise InputError("is a directory; give a draft file (.txt, .md, .docx or .pdf)", path)
    try:
        size = p.stat().st_size
        if size > limit:
            raise _too_large(path, fmt, size)
        # A pipe or a device (/dev/zero, <(…)) reports size 0: read it to the limit, not forever.
        with p.open("rb") as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise _too_large(path, fmt, None)
        return data
    except PermissionError:
        raise InputError("cannot be read (permission denied); check its permissions", path) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc}); check the file", path) from None


def load_document(path: str | os.PathLike[str], options: ReadOptions = ReadOptions()) -> Document:
    """Read the draft at path ("-" for standard input) into a Document with at least one point."""
    source = os.fspath(path)
    return document_from_bytes(read_draft_bytes(source), source, options)


PARALLEL_BYTES = 2_000_000
"""Fewest bytes of drafts, together, that load_documents reads in several processes: below it a
process costs more than it saves (a 2,000-point draft of 2.5 MB reads in 0.08 s)."""


def load_documents(
    paths: Sequence[str | os.PathLike[str]], options: ReadOptions = ReadOptions(), workers: int = 1
) -> tuple[Document, ...]:
    """load_document for each path, in order; in up to `workers` processes when the drafts are long
    (a 14 MB draft takes 0.4 s to read and 0.04 s to send back), all of them files. Where a draft
    cannot be read, all are read again here, so that the error is raised as reading them here
    raises it (from another process it would come by pickle, which not every library's error
    survives)."""
    sources = [os.fspath(p) for p in paths]
    sizes = _file_sizes(sources)
    if workers >= 2 and len(sources) >= 2 and sizes is not None and sum(sizes) >= PARALLEL_BYTES:
        from plancmp.parallel import map_forked

        try:
            done = map_forked(lambda k: load_document(sources[k], options), len(sources), workers)
        except Exception:  # noqa: BLE001 - read again below, for the error as this process gives it
            done = None
        if done is not None:
            return tuple(done)
    return tuple(load_document(source, options) for source in sources)


def _file_sizes(paths: Iterable[str]) -> list[int] | None:
    """Each draft's size, or None unless every one is a regular file: standard input, a pipe
    (/dev/stdin, <(…)) or a missing path is read here, once, in order."""
    sizes = []
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        sizes.append(info.st_size)
    return sizes


def read_draft_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of the draft at path, refused (InputError, FormatError) as load_document refuses them."""
    source = os.fspath(path)
    try:
        fmt = format_for(source)
    except FormatError:
        if source != "-" and not Path(source).exists():
            raise InputError("no such file; check the path", source) from None
        if Path(source).suffix.lower() == ".doc" and Path(source).is_file():
            raise FormatError(_what_a_doc_is(source), source) from None
        raise
    return _read_bytes(source, fmt)


def _what_a_doc_is(path: str) -> str:
    """What a .doc file holds, from its first bytes: Word saves web pages and RTF under .doc too."""
    from plancmp.parse.decode import OLE_MAGIC, sniff_container

    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return f"is {_ADVICE['.doc']}"
    if not head or head.startswith(OLE_MAGIC):
        return f"is {_ADVICE['.doc']}"
    sniff_container(head, path, "a Word .doc")  # a PDF or a zip (a .docx) says so
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"{\\rtf"):
        return "is an RTF document named .doc; open it in Word and save it as .docx"
    if start.startswith((b"<html", b"<!doctype", b"<?xml", b"<head")):
        return "is a web page (HTML) named .doc; open it in Word and save it as .docx"
    if b"\x00" not in head:
        return "is a text file named .doc; give it the .txt extension"
    return f"is {_ADVICE['.doc']}"


def document_from_bytes(data: bytes, source: str, options: ReadOptions = ReadOptions()) -> Document:
    """A draft already read (a batch ships its bytes to a worker), checked as load_document checks a file."""
    fmt = format_for(source)
    if source == "-" and data.startswith(b"%PDF-"):
        fmt = Format.PDF  # standard input has no extension to say so
    # Messages and headings name standard input as Python does, not "-", which reads as a dash.
    source = STDIN_NAME if source == "-" else source
    if not data.strip(b" \t\r\n\x0b\x0c"):
        raise InputError("is empty; give a draft with numbered points", source)
    doc = parse_bytes(data, source, fmt, options)
    if not doc.points and options.bullets:
        raise NoPointsError(
            "no bulleted items found; --bullets reads the items marked with a bullet ('•', '-', '*', …) as the points "
            "(leave it off to read numbered points)",
            source,
        )
    if not doc.points:
        raise NoPointsError(
            "no numbered points found; plancmp looks for labels such as '1.', '2)', '(a)', "
            "'Article 3' at the start of a line (is it a scanned PDF, or unnumbered prose?)",
            source,
        )
    from plancmp.parse.cutoff import cut_off_warnings

    # A point that lost its end (a PDF page break, a pasted excerpt) is read as it is, and said so.
    cut = cut_off_warnings(doc)
    # What of the options applied to this draft: --original to Word drafts, --encoding to text.
    read = ReadOptions(
        original=options.original and fmt is Format.DOCX,
        bullets=options.bullets,
        encoding=options.encoding if fmt in (Format.TEXT, Format.MARKDOWN) else None,
    )
    return replace(doc, warnings=doc.warnings + cut, read=read) if cut or read != ReadOptions() else doc


def parse_bytes(
    data: bytes, source: str, fmt: Format, options: ReadOptions = ReadOptions()
) -> Document:
    """Read a draft's bytes with the reader for fmt; the Document may have no points."""
    if fmt is Format.DOCX:
        from plancmp.parse.from_docx import read_docx

        return read_docx(data, source, original=options.original, bullets=options.bullets)
    if fmt is Format.PDF:
        from plancmp.parse.from_pdf import read_pdf

        return read_pdf(data, source, options.bullets)
    from plancmp.parse.decode import decode_text

    if fmt is Format.MARKDOWN:
        from plancmp.parse.from_markdown import read_markdown

        return read_markdown(decode_text(data, source, "a Markdown draft", options.encoding), source, options.bullets)
    from plancmp.parse.from_text import read_text

    return read_text(decode_text(data, source, encoding=options.encoding), source, options.bullets)


__all__ = [
    "STDIN_NAME",
    "ReadOptions",
    "document_from_bytes",
    "draft_names_beside",
    "format_for",
    "load_document",
    "load_documents",
    "parse_bytes",
    "read_draft_bytes",
]
