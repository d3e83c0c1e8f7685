"""Draft text is data: make it safe to print on a terminal or paste into Markdown."""

from __future__ import annotations

import re

from plancmp.normalise import shorten

# C0 and C1 controls (but tab and newline, which callers handle), DEL, and the Unicode bidi
# overrides and isolates that can reorder what a reader sees ("Trojan Source").
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_terminal(text: str) -> str:
    """Text with every control character and bidi override shown as a visible escape."""
    return _UNSAFE.sub(_escape_char, text)


def one_line(text: str, width: int) -> str:
    """Text folded onto one line and cut to width characters with an ellipsis."""
    return shorten(escape_terminal(text.replace("\t", " ")), width)


# Characters that start markup anywhere in a line (emphasis, code, links, HTML, tables, strike).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def escape_markdown(text: str) -> str:
    """Text that Markdown renders as written: no emphasis, links, HTML or code from the draft."""
    out = _MD_SPECIAL.sub(r"\\\1", escape_terminal(text))
    # A line starting "1.", "-", "+", "#" or "=" would become a list, a heading or a rule.
    out = re.sub(r"(?m)^(\s*)([-+#=])", r"\1\\\2", out)
    return re.sub(r"(?m)^(\s*)(\d+)([.)])", r"\1\2\\\3", out)
