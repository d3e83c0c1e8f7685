"""Bytes to text for plain-text and Markdown drafts: UTF-8, UTF-16, Windows-1251 Cyrillic, or a named encoding."""

from __future__ import annotations

import codecs
import re

from plancmp.errors import FormatError, InputError, UsageError

# Control characters that never occur in a text document; a few of them mean "binary".
_BINARY_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]+")
# A Cyrillic word as written: capitalised, all capitals, or lower case; no case flips inside
# ("юГ" is what random bytes give) and no Latin letters.
_CYRILLIC_WORD = re.compile(
    r"[\u0400-\u042f]?[\u0430-\u045f\u0490-\u04ff]*|[\u0400-\u042f\u0490-\u04ff]+"
)


OLE_MAGIC = b"\xd0\xcf\x11\xe0"
"""How a legacy Office binary file (.doc, .xls) begins."""


def sniff_container(data: bytes, source: str, expected: str) -> None:
    """Refuse bytes that are plainly another kind of file than the extension says."""
    if data.startswith(b"%PDF"):
        raise FormatError(
            f"is a PDF, not {expected}; give it the .pdf extension",
            source,
        )
    if data.startswith(b"PK\x03\x04"):
        raise FormatError(
            f"is a zip archive (a Word file?), not {expected}; if it is a Word document, "
            "give it the .docx extension",
            source,
        )
    if data.startswith(OLE_MAGIC):
        raise FormatError(
            "is a legacy Word/Office binary file; open it in Word and save it as .docx", source
        )


def _looks_like_utf16(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' for BOM-less UTF-16: NULs all on one byte parity, clean decoding."""
    sample = data[:65536]
    if len(sample) < 4:
        return None
    odd_nuls = sample[1::2].count(0)
    even_nuls = sample[0::2].count(0)
    # ASCII characters in UTF-16 put their NUL on one side only; binary scatters NULs on both.
    # And a draft has many of them (spaces, digits, the "1." of labels, line ends): at least one
    # unit in ten. One stray NUL in UTF-8 text must not turn it into UTF-16 mojibake.
    units = len(sample) // 2
    if odd_nuls >= 9 * even_nuls and odd_nuls * 10 >= units:
        encoding = "utf-16-le"
    elif even_nuls >= 9 * odd_nuls and even_nuls * 10 >= units:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = sample[: len(sample) // 2 * 2].decode(encoding)
    except UnicodeDecodeError:
        return None
    controls = len(_BINARY_CONTROLS.findall(text))
    return encoding if controls <= len(text) // 200 else None


def check_encoding(name: str) -> str:
    """The codec's canonical name for --encoding NAME, or UsageError naming the choices people need."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        info = None
    # base64, rot13, zlib… are codecs too, but from bytes to bytes: no text comes out of them.
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise UsageError(
            f"--encoding: '{name}' is not a text encoding; try utf-8, latin-1, cp1252 (Windows Western), "
            "cp1251 (Windows Cyrillic), koi8-u, utf-16"
        )
    return info.name


def _decode_strict(data: bytes, source: str, codec: str, shown: str, advice: str) -> str:
    """The bytes decoded with codec, or InputError naming the first byte that does not fit it."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(f"is not valid {shown} (byte {exc.start}); {advice}", source) from None


def decode_text(data: bytes, source: str, expected: str = "a text draft", encoding: str | None = None) -> str:
    """Decode a draft's bytes (in the encoding named, if one is), or raise InputError naming the file and what to do."""
    sniff_container(data, source, expected)
    if encoding is not None:
        text = _decode_strict(data, source, check_encoding(encoding), encoding, "check --encoding")
        return _checked(text.lstrip("\ufeff"), source)
    if data.startswith(codecs.BOM_UTF8):
        data, encoding = data[len(codecs.BOM_UTF8):], "utf-8"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif b"\x00" in data:
        encoding = _looks_like_utf16(data)
        if encoding is None:
            raise InputError(
                "is a binary file (it contains NUL bytes), not a text draft; "
                "give a .txt, .md, .docx or .pdf draft",
                source,
            )
    if encoding is not None:
        text = _decode_strict(data, source, encoding, encoding.upper(), "re-save it as UTF-8")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            fallback = _try_cp1251(data)
            if fallback is None:
                raise InputError(
                    f"is not UTF-8 text (undecodable byte at offset {exc.start}) and not "
                    "Windows-1251 Cyrillic; re-save it as UTF-8, or name its encoding "
                    "(--encoding cp1252, --encoding latin-1)",
                    source,
                ) from None
            text = fallback
    return _checked(text.lstrip("\ufeff"), source)


def _checked(text: str, source: str) -> str:
    """The text, unless it is full of control characters (a binary file, whatever its encoding)."""
    if _BINARY_CONTROLS.search(text[:65536]) and len(_BINARY_CONTROLS.findall(text[:65536])) > 8:
        raise InputError(
            "looks like a binary file (many control characters), not a text draft; "
            "give a .txt, .md, .docx or .pdf draft",
            source,
        )
    return text


def _try_cp1251(data: bytes) -> str | None:
    """The text as Windows-1251, if that reading is mostly Cyrillic letters; else None."""
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        return None
    high = [ch for ch in text if ord(ch) > 127]
    if not high:
        return None
    letters = [ch for ch in high if _LETTER.match(ch)]
    cyrillic = [ch for ch in letters if _CYRILLIC.match(ch)]
    # Windows-1251 maps almost every byte to something, so the decoding "succeeds" on any
    # binary; believe it only when the non-ASCII characters are overwhelmingly Cyrillic letters.
    if len(cyrillic) < 0.85 * len(high):
        return None
    # Bytes C0-FF are Cyrillic letters in Windows-1251 but accented Latin ones in Windows-1252
    # and Latin-1, so a French or German draft decodes to "Sйcuritй", "fьr": Cyrillic letters
    # inside Latin words. Real Cyrillic text has whole Cyrillic words, and a fair share of them.
    words = [w for w in _WORD.findall(text) if _CYRILLIC.search(w)]
    mixed = sum(1 for w in words if not _CYRILLIC_WORD.fullmatch(w))
    all_letters = sum(len(w) for w in _WORD.findall(text))
    if mixed > 0.1 * len(words) or len(cyrillic) < 0.25 * all_letters:
        return None
    return text
