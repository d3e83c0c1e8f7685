"""Terminal text: plain when colour is off, so golden tests can compare it byte for byte."""

from __future__ import annotations

from collections.abc import Iterable

from plancmp.model import Document, OutsideKind, Point
from plancmp.render import Presentation
from plancmp.render.escape import escape_terminal, one_line

_CODES = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "blue": "34",
          "magenta": "35", "cyan": "36"}


def paint(text: str, style: str, pres: Presentation) -> str:
    """Text wrapped in the ANSI codes for style ("bold red"), or unchanged with colour off."""
    if not pres.color or not text:
        return text
    codes = ";".join(_CODES[s] for s in style.split())
    return f"\x1b[{codes}m{text}\x1b[0m"


def plural(n: int, word: str, many: str | None = None) -> str:
    """ "1 point", "2 points"."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def describe_counts(doc: Document) -> str:
    """ "28 points, 9 sub-points, 1 heading kept outside points"."""
    top, subs, _ = doc.counts()
    parts = [plural(top, "point")]
    if subs:
        parts.append(plural(subs, "sub-point"))
    kinds: dict[OutsideKind, int] = {}
    for item in doc.outside:
        kinds[item.kind] = kinds.get(item.kind, 0) + 1
    outside = [plural(n, kind.value) for kind, n in sorted(kinds.items(), key=lambda kv: kv[0].value)]
    if outside:
        parts.append(" and ".join([", ".join(outside[:-1]), outside[-1]] if len(outside) > 1 else outside)
                     + " kept outside points")
    if doc.comments:
        parts.append(plural(len(doc.comments), "comment"))
    return ", ".join(parts)


def _point_lines(points: Iterable[Point], id_width: int, pres: Presentation) -> Iterable[str]:
    for point in points:
        indent = "  " * point.depth
        label = escape_terminal(point.label)
        lead = f"{point.id.ljust(id_width)}  {indent}{label} "
        preview = one_line(point.text, max(20, pres.width - len(lead)))
        yield paint(point.id.ljust(id_width), "bold", pres) + f"  {indent}{label} " + preview
        yield from _point_lines(point.children, id_width, pres)


def render_points_terminal(doc: Document, pres: Presentation) -> str:
    """`plancmp points`: one line per point with its id and a preview, outside text in place, counts."""
    id_width = max((len(p.id) for p in doc.walk()), default=1)
    lines: list[str] = []
    by_after: dict[str | None, list[str]] = {}
    for item in doc.outside:
        text = one_line(item.text, max(20, pres.width - 14))
        by_after.setdefault(item.after, []).append(paint(f"[{item.kind.value}] {text}", "dim", pres))
    lines.extend(by_after.get(None, []))
    for point in doc.points:
        lines.extend(_point_lines([point], id_width, pres))
        lines.extend(by_after.get(point.id, []))
    lines.append("")
    lines.append(f"{escape_terminal(doc.source)}: {describe_counts(doc)}")
    return "\n".join(lines) + "\n"
