"""A draft's file as bytes, for the writers that build on the draft's own package (the Word redline)."""

from __future__ import annotations

from plancmp.model import Format


def docx_bytes(path: str) -> bytes | None:
    """The bytes of a .docx draft, read with the readers' size limits; None for other formats."""
    from plancmp.parse import _read_bytes, format_for

    if path == "-" or format_for(path) is not Format.DOCX:
        return None
    return _read_bytes(path, Format.DOCX)
