"""Renderers: turn the model into terminal text, JSON, Markdown or HTML. They never write files."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Presentation:
    """How terminal output looks; decided once at the edge (the CLI) and passed in."""

    color: bool = False
    """Use ANSI colours."""
    width: int = 100
    """Terminal width in columns, for previews and wrapping."""
