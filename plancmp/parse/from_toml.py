"""The human-edited TOML files: party positions and topic rules, validated with line numbers.

TOML rather than YAML: it has one obvious way to write a list of positions (`[[position]]`), no
indentation to get wrong, no implicit typing that turns a party code "NO" into false or a point
"1.10" into the number 1.1, and a date type; Python reads it without a third-party parser.
"""

from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from plancmp.errors import PositionsError
from plancmp.model import Party, Position, Selector, Stance
from plancmp.numbering import normalise_id

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

# Distinct, colour-blind-safe defaults (Okabe–Ito) for parties that name no colour.
DEFAULT_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#f0e442", "#000000")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?$")


@dataclass(frozen=True)
class PositionsFile:
    """What a positions file says: the parties and their positions."""

    source: str
    """The file's path as given."""
    parties: tuple[Party, ...]
    """Parties in file order."""
    positions: tuple[Position, ...]
    """Positions in file order."""
    comment_stance: Stance = Stance.RESERVES
    """Stance given to a Word comment that does not start with a stance word."""


@dataclass(frozen=True)
class TopicRule:
    """A topic and the keywords that tag a point with it."""

    topic: str
    """The topic's name ("territory")."""
    keywords: tuple[str, ...]
    """Words or phrases; a trailing * matches any ending ("територі*")."""


class _Lines:
    """Finds the line of the n-th [[table]] header, and of a key inside it, in the raw TOML text."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def table(self, name: str, index: int) -> int | None:
        pattern = re.compile(rf"^\s*\[\[\s*{re.escape(name)}\s*\]\]")
        seen = -1
        for number, line in enumerate(self.lines, 1):
            if pattern.match(line):
                seen += 1
                if seen == index:
                    return number
        return None

    def key(self, name: str, index: int, key: str) -> int | None:
        start = self.table(name, index)
        if start is None:
            return None
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for number in range(start + 1, len(self.lines) + 1):
            line = self.lines[number - 1]
            if re.match(r"^\s*\[", line):
                break
            if pattern.match(line):
                return number
        return start


def _nearest(word: str, choices: list[str]) -> str:
    best = _closest(word, choices)
    return f" (did you mean '{best}'?)" if best else ""


def _closest(word: str, choices: list[str]) -> str | None:
    """The choice most like word, or None when none is near."""
    # Below 0.6 a "match" shares a few letters, not a spelling: 'hates' is not 'accepts'.
    close = difflib.get_close_matches(word, choices, n=3, cutoff=0.6)
    if not close:
        return None
    # Equally close choices: the one that starts as the word does ('RUS' is RU, not US).
    return max(close, key=lambda c: (difflib.SequenceMatcher(None, word, c).ratio(), _common_start(word, c)))


def _common_start(a: str, b: str) -> int:
    """How many characters two words share at their start, case aside."""
    n = 0
    for x, y in zip(a.casefold(), b.casefold()):
        if x != y:
            break
        n += 1
    return n


def _read_toml(path: str) -> tuple[dict[str, Any], _Lines]:
    p = Path(path)
    if not p.exists():
        raise PositionsError("no such file; check the path", path)
    if p.is_dir():
        raise PositionsError("is a directory; give a .toml file", path)
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PositionsError("is not UTF-8 text; save it as UTF-8", path) from None
    except OSError as exc:
        raise PositionsError(f"cannot be read ({exc.strerror or exc})", path) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise PositionsError(
            f"is not valid TOML: {message}; see https://toml.io for the syntax",
            path,
            int(m.group(1)) if m else None,
        ) from None
    return data, _Lines(text)


def _string(value: Any, what: str, path: str, line: int | None) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise PositionsError(f"{what} must be text, not {type(value).__name__}", path, line)
    return value.strip()


_PARTY_KEYS = ["code", "name", "colour", "color", "authors"]
_ALIASES = {"color"}
"""Keys accepted as another spelling of a listed one, and not listed themselves in messages."""
_TOPIC_KEYS = ["name", "keywords"]
_POSITION_KEYS = ["party", "stance", "draft", "point", "quote", "prefix", "suffix", "note", "source", "date"]
_TOP_KEYS = ["party", "position", "settings"]


def load_positions(path: str) -> PositionsFile:
    """Read and validate a positions file; PositionsError names the file, line and the fix."""
    data, lines = _read_toml(path)
    _check_top_keys(data, _TOP_KEYS, "a positions file has [[party]], [[position]] and [settings]", path, lines)
    settings = data.get("settings", {})
    comment_stance = Stance.RESERVES
    if "comment_stance" in settings:
        comment_stance = _stance(settings["comment_stance"], path, _first_line(lines, "comment_stance"))
    parties = _parties(data.get("party", []), path, lines)
    codes = [p.code for p in parties]
    positions = []
    raw_positions = data.get("position", [])
    if not isinstance(raw_positions, list):
        raise PositionsError("'position' must be a list of [[position]] tables", path, _first_line(lines, "position"))
    for index, raw in enumerate(raw_positions):
        line = lines.table("position", index)
        where = f"{path}:{line}" if line else path
        _check_keys(raw, _POSITION_KEYS, "position", index, path, lines)
        for required in ("party", "stance", "draft"):
            if required not in raw:
                raise PositionsError(f"this position has no '{required}'", path, line)
        party = _string(raw["party"], "party", path, lines.key("position", index, "party"))
        if party not in codes:
            raise PositionsError(
                f"unknown party '{party}'; the parties are {', '.join(codes) or 'none (add [[party]] tables)'}"
                f"{_nearest(party, codes)}",
                path,
                lines.key("position", index, "party"),
            )
        stance = _stance(raw["stance"], path, lines.key("position", index, "stance"))
        if "point" not in raw and "quote" not in raw:
            raise PositionsError("this position names no 'point' and no 'quote'; give one of them", path, line)
        point = raw.get("point")
        if isinstance(point, float):
            # TOML reads 1.10 as the number 1.1: the very trap a point id must not fall into.
            line_no = lines.key("position", index, "point")
            written = lines.lines[line_no - 1].split("=", 1)[1].split("#")[0].strip() if line_no else str(point)
            raise PositionsError(
                f"point {written} is read as the number {point}; write it in quotes: point = \"{written}\"",
                path,
                line_no,
            )
        selector = Selector(
            point=normalise_id(_string(point, "point", path, lines.key("position", index, "point"))) if point is not None else None,
            exact=_string(raw["quote"], "quote", path, lines.key("position", index, "quote")) if "quote" in raw else None,
            prefix=_string(raw["prefix"], "prefix", path, lines.key("position", index, "prefix")) if "prefix" in raw else None,
            suffix=_string(raw["suffix"], "suffix", path, lines.key("position", index, "suffix")) if "suffix" in raw else None,
        )
        if selector.exact is not None and not selector.exact:
            raise PositionsError("'quote' is empty; quote the words the position concerns", path, lines.key("position", index, "quote"))
        date_value = _string(raw.get("date", ""), "date", path, lines.key("position", index, "date"))
        if date_value and not re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", date_value[:10]):
            raise PositionsError(f"date '{date_value}' is not YYYY-MM-DD", path, lines.key("position", index, "date"))
        positions.append(
            Position(
                party=party,
                stance=stance,
                draft=Path(_string(raw["draft"], "draft", path, lines.key("position", index, "draft"))).stem,
                selector=selector,
                note=_string(raw.get("note", ""), "note", path, lines.key("position", index, "note")),
                source=_string(raw.get("source", ""), "source", path, lines.key("position", index, "source")),
                date=date_value,
                origin=where,
            )
        )
    return PositionsFile(source=path, parties=tuple(parties), positions=tuple(positions), comment_stance=comment_stance)


def _first_line(lines: _Lines, key: str) -> int | None:
    pattern = re.compile(rf"^\s*(?:\[+\s*{re.escape(key)}\s*\]+|{re.escape(key)}\s*=)")
    for number, line in enumerate(lines.lines, 1):
        if pattern.match(line):
            return number
    return None


def _check_keys(raw: dict[str, Any], allowed: list[str], table: str, index: int, path: str, lines: _Lines) -> None:
    """An unknown key in the index-th [[table]] is an error naming its line, the keys and the nearest one."""
    for key in raw:
        if key not in allowed:
            raise PositionsError(
                f"unknown key '{key}' in a {table}; keys are {', '.join(k for k in allowed if k not in _ALIASES)}"
                f"{_nearest(key, allowed)}",
                path,
                lines.key(table, index, key),
            )


def _check_top_keys(data: dict[str, Any], allowed: list[str], holds: str, path: str, lines: _Lines) -> None:
    """An unknown top-level key or table is an error naming its line, what the file holds and the nearest name."""
    for key, value in data.items():
        if key not in allowed:
            tables = isinstance(value, dict) or (isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value))
            raise PositionsError(
                f"unknown {'table' if tables else 'key'} '{key}'; {holds}{_nearest(key, allowed)}", path, _first_line(lines, key)
            )


def _stance(value: Any, path: str, line: int | None) -> Stance:
    text = _string(value, "stance", path, line).lower()
    choices = [s.value for s in Stance]
    if text not in choices:
        raise PositionsError(
            f"unknown stance '{text}'; stances are {', '.join(choices)}{_nearest(text, choices)}", path, line
        )
    return Stance(text)


def _parties(raw_parties: Any, path: str, lines: _Lines) -> list[Party]:
    if not isinstance(raw_parties, list):
        raise PositionsError("'party' must be a list of [[party]] tables", path, _first_line(lines, "party"))
    parties: list[Party] = []
    for index, raw in enumerate(raw_parties):
        line = lines.table("party", index)
        _check_keys(raw, _PARTY_KEYS, "party", index, path, lines)
        if "code" not in raw:
            raise PositionsError("this party has no 'code' (a short name such as UA)", path, line)
        code = _string(raw["code"], "code", path, lines.key("party", index, "code"))
        if not re.fullmatch(r"[\w.-]{1,16}", code):
            raise PositionsError(f"party code '{code}' must be one short word (letters, digits, - . _)", path, lines.key("party", index, "code"))
        if any(p.code == code for p in parties):
            raise PositionsError(f"party '{code}' is defined twice", path, line)
        colour = _string(raw.get("colour", raw.get("color", DEFAULT_COLOURS[index % len(DEFAULT_COLOURS)])), "colour", path,
                         lines.key("party", index, "colour"))
        if not _COLOUR.match(colour):
            raise PositionsError(f"colour '{colour}' is not a #rgb or #rrggbb colour", path, lines.key("party", index, "colour"))
        authors = raw.get("authors", [])
        if isinstance(authors, str):
            authors = [authors]
        if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
            raise PositionsError("'authors' must be a list of names or initials", path, lines.key("party", index, "authors"))
        parties.append(
            Party(
                code=code,
                name=_string(raw.get("name", code), "name", path, lines.key("party", index, "name")),
                colour=colour,
                authors=tuple(a.strip() for a in authors if a.strip()),
            )
        )
    return parties


def load_rules(path: str | None = None) -> tuple[TopicRule, ...]:
    """Topic rules: the defaults shipped with plancmp, plus (or instead of) a user's file."""
    default_text = resources.files("plancmp").joinpath("data/topics.toml").read_text(encoding="utf-8")
    defaults = _rules(tomllib.loads(default_text), "plancmp/data/topics.toml", _Lines(default_text))
    if path is None:
        return defaults
    data, lines = _read_toml(path)
    mode = data.get("mode", "add")
    if mode not in ("add", "replace"):
        raise PositionsError(f"mode '{mode}' must be \"add\" or \"replace\"", path, _first_line(lines, "mode"))
    user = _rules(data, path, lines)
    if mode == "replace":
        return user
    names = {r.topic for r in user}
    return tuple(r for r in defaults if r.topic not in names) + user


def _rules(data: dict[str, Any], path: str, lines: _Lines) -> tuple[TopicRule, ...]:
    out = []
    _check_top_keys(data, ["mode", "topic"], "a rules file has mode and [[topic]] tables", path, lines)
    for index, raw in enumerate(data.get("topic", [])):
        line = lines.table("topic", index)
        _check_keys(raw, _TOPIC_KEYS, "topic", index, path, lines)
        if "name" not in raw or "keywords" not in raw:
            raise PositionsError("a [[topic]] needs a name and a list of keywords", path, line)
        keywords = raw["keywords"]
        if not isinstance(keywords, list) or not all(isinstance(k, str) and re.search(r"\w", k) for k in keywords):
            raise PositionsError("keywords must be a list of words or phrases", path, lines.key("topic", index, "keywords"))
        out.append(TopicRule(topic=_string(raw["name"], "name", path, line), keywords=tuple(k.strip() for k in keywords)))
    return tuple(out)


@dataclass(frozen=True)
class NegotiationDraft:
    """One draft of a negotiation, as the negotiation file names it."""

    path: str
    """The draft's file, resolved against the negotiation file's folder."""
    label: str
    """Short name shown in tables ("28-point (US)")."""
    date: str
    """ISO date of the draft."""
    side: str
    """Who wrote it ("United States", "Europe")."""


@dataclass(frozen=True)
class Negotiation:
    """A negotiation file: the drafts in order, and the positions file that goes with them."""

    source: str
    """The file's path as given."""
    title: str
    """What the negotiation is."""
    drafts: tuple[NegotiationDraft, ...]
    """Drafts, oldest first."""
    positions: str | None
    """Path of the positions file, resolved against the negotiation file's folder."""
    warnings: tuple[str, ...] = ()
    """Things noticed and read anyway (drafts listed out of date order)."""


_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _draft_date(value: Any, path: str, line: int | None) -> str:
    """A draft's date: a TOML date, or an ISO 8601 string (2025-12-24, or 2025-12, or 2025)."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = value.strip() if isinstance(value, str) else None
    m = _ISO_DATE.match(text) if text is not None else None
    if text is not None and m is not None:
        try:
            date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
        except ValueError:
            m = None
    if text is None or m is None:
        shown = f"'{value}'" if isinstance(value, str) else str(value)
        raise PositionsError(
            f"date {shown} is not a date; write it as a TOML date (date = 2025-12-24) or an ISO date "
            '(date = "2025-12-24", "2025-12" or "2025")',
            path,
            line,
        )
    return text


def _date_order(drafts: list[NegotiationDraft], path: str, lines: _Lines) -> list[str]:
    """A warning for each draft dated before the one listed above it: drafts are compared in file order."""
    warnings = []
    previous: NegotiationDraft | None = None
    for index, draft in enumerate(drafts):
        if not draft.date:
            continue
        # ISO dates sort as text; a partial one ("2025-12") is compared on the part it has.
        if previous is not None and draft.date < previous.date[: len(draft.date)]:
            line = lines.key("draft", index, "date")
            warnings.append(
                f"{path}:{line}: draft '{draft.label}' is dated {draft.date}, before '{previous.label}' "
                f"({previous.date}) listed above it; drafts are compared in the order listed, oldest first"
            )
        previous = draft
    return warnings


_NEGOTIATION_KEYS = ["title", "positions", "draft"]
_DRAFT_KEYS = ["file", "label", "date", "side"]


def load_negotiation(path: str) -> Negotiation:
    """Read a negotiation file; every named draft must exist."""
    data, lines = _read_toml(path)
    folder = Path(path).parent
    _check_top_keys(data, _NEGOTIATION_KEYS, "a negotiation file has title, positions and [[draft]] tables", path, lines)
    raw_drafts = data.get("draft", [])
    if not isinstance(raw_drafts, list) or len(raw_drafts) < 2:
        raise PositionsError("names fewer than two drafts; add a [[draft]] table for each, oldest first", path)
    drafts = []
    for index, raw in enumerate(raw_drafts):
        line = lines.table("draft", index)
        _check_keys(raw, _DRAFT_KEYS, "draft", index, path, lines)
        if "file" not in raw:
            raise PositionsError("this draft has no 'file'", path, line)
        file = _string(raw["file"], "file", path, lines.key("draft", index, "file"))
        resolved = folder / file
        if not resolved.is_file():
            raise PositionsError(
                f"draft '{file}' does not exist (looked for {resolved}); fix the path or add the file",
                path,
                lines.key("draft", index, "file"),
            )
        drafts.append(
            NegotiationDraft(
                path=str(resolved),
                label=_string(raw.get("label", Path(file).stem), "label", path, lines.key("draft", index, "label")),
                date=_draft_date(raw["date"], path, lines.key("draft", index, "date")) if "date" in raw else "",
                side=_string(raw.get("side", ""), "side", path, lines.key("draft", index, "side")),
            )
        )
    positions = None
    if "positions" in data:
        positions_file = folder / _string(data["positions"], "positions", path, _first_line(lines, "positions"))
        if not positions_file.is_file():
            raise PositionsError(
                f"positions file '{data['positions']}' does not exist (looked for {positions_file})",
                path,
                _first_line(lines, "positions"),
            )
        positions = str(positions_file)
    return Negotiation(
        source=path,
        title=_string(data.get("title", ""), "title", path, _first_line(lines, "title")),
        drafts=tuple(drafts),
        positions=positions,
        warnings=tuple(_date_order(drafts, path, lines)),
    )
