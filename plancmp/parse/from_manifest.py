"""Batch manifests: which pairs of drafts to compare, from a CSV, a TOML file or a folder of versions.

A CSV names one pair a row (`old,new[,id]`); a TOML file holds `[[pair]]` tables and `[[chain]]`
tables (drafts oldest first; each draft is compared with the next); a folder is split into chains
by a regular expression whose first group names the document. Paths in a manifest are relative to
the manifest's folder. Every problem is a ManifestError naming the file, the line and the fix,
raised before any comparison starts.
"""

from __future__ import annotations

import csv
import itertools
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plancmp.errors import ManifestError, PlancmpError, PositionsError
from plancmp.parse import format_for
from plancmp.parse.from_toml import (
    _check_keys,
    _check_top_keys,
    _closest,
    _first_line,
    _Lines,
    _read_toml,
    _string,
)


@dataclass(frozen=True)
class PairSpec:
    """One comparison a batch makes: two drafts and the id that names its outputs."""

    id: str
    """Names the outputs (`pairs/<id>.json`): unique, and safe as a file name."""
    old: str
    """The older draft's path as plancmp opens it: the manifest's entry joined to the manifest's folder
    (relative to the working folder only when both are relative)."""
    new: str
    """The newer draft's path, likewise."""
    chain: str = ""
    """The chain (document) this pair is a step of; "" for a pair given on its own."""
    step: int = 0
    """Its place in the chain, from 1 (draft 1 → draft 2); 0 for a pair given on its own."""


@dataclass(frozen=True)
class Manifest:
    """The pairs a manifest names, in its order, and what was left out on the way."""

    source: str
    """The manifest's path as given."""
    pairs: tuple[PairSpec, ...]
    """Every pair, in manifest order (chains step by step)."""
    warnings: tuple[str, ...] = ()
    """Of a folder (--chains-by): files the pattern left out, documents of a single draft, ids made distinct."""


_ID = re.compile(r"^\w[\w.+-]*$")
_MAX_ID_BYTES = 200
"""File names may hold 255 bytes; the temporary `.<id>.html.<8 random characters>.tmp` must still fit."""
_STEP_ROOM = 12
"""Bytes a chain's name leaves for `-<n>` (made distinct) and `.<step>`: its pair ids stay within _MAX_ID_BYTES."""
_CSV_COLUMNS = ("old", "new", "id")
_PAIR_KEYS = ["old", "new", "id"]
_CHAIN_KEYS = ["id", "drafts"]
_TOP_KEYS = ["pair", "chain"]


def id_problem(value: str) -> str | None:
    """Why value cannot be a pair id (it names files), or None when it can."""
    if not _ID.match(value):
        return "cannot name a file; use letters, digits, '_', '.', '+' and '-', starting with a letter or digit"
    if len(value.encode("utf-8")) > _MAX_ID_BYTES:
        return f"is longer than {_MAX_ID_BYTES} bytes; shorten it"
    return None


def safe_id(text: str, room: int = 0) -> str:
    """text made into a pair id: characters a file name cannot safely hold become '_'; room bytes left for a suffix."""
    cleaned = re.sub(r"[^\w.+-]+", "_", text).lstrip(".+-") or "pair"
    while len(cleaned.encode("utf-8")) > _MAX_ID_BYTES - room:
        cleaned = cleaned[:-1]
    return cleaned


def default_id(old: str, new: str) -> str:
    """The id of a pair given without one: `<old's name>--<new's name>`, made safe."""
    return safe_id(f"{Path(old).stem}--{Path(new).stem}")


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts v2 before v10: runs of digits compare as numbers."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text) if part)


_GIVEN = "ids name the output files and must differ"
_PAIR_FIX = "give each pair an id"
_CHAIN_FIX = "give each chain an id"


class _Ids:
    """Hands out ids and refuses a second use of one (case-insensitively: macOS and Windows file names)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.seen: dict[str, int | None] = {}

    def take(self, value: str, line: int | None, fix: str) -> str:
        """value, if it can name files and is not yet used; fix says what to do when it is."""
        problem = id_problem(value)
        if problem:
            raise ManifestError(f"id '{value}' {problem}", self.source, line)
        key = value.casefold()
        if key in self.seen:
            where = f" (line {self.seen[key]})" if self.seen[key] is not None else ""
            raise ManifestError(f"id '{value}' is already used{where}; {fix}", self.source, line)
        self.seen[key] = line
        return value


def _draft(folder: Path, value: str, manifest: str, line: int | None) -> str:
    """A draft named in a manifest: resolved against its folder, present, and in a format plancmp reads."""
    if not value:
        raise ManifestError("a draft path is empty; name a file", manifest, line)
    resolved = folder / value
    if not resolved.is_file():
        what = "is a folder" if resolved.is_dir() else "does not exist"
        raise ManifestError(
            f"draft '{value}' {what} (looked for {resolved}); paths are relative to the manifest's folder", manifest, line
        )
    try:
        format_for(str(resolved))
    except PlancmpError as exc:
        raise ManifestError(str(exc), manifest, line) from None
    return str(resolved)


def load_manifest(path: str, chains_by: str | None = None) -> Manifest:
    """The pairs named by a CSV or TOML manifest, or by a folder split into chains with chains_by."""
    p = Path(path)
    if not p.exists():
        if chains_by:
            raise ManifestError("no such folder; check the path (--chains-by splits a folder of drafts into chains)", path)
        raise ManifestError("no such file or folder; give a .csv or .toml manifest, or a folder of drafts", path)
    if p.is_dir():
        if not chains_by:
            raise ManifestError(
                "is a folder: add --chains-by PATTERN, a regular expression whose first group names the "
                r"document (e.g. --chains-by '(.+)-v\d+\.txt')",
                path,
            )
        return _from_folder(path, chains_by)
    if chains_by:
        raise ManifestError("--chains-by splits a folder into chains; give a folder of drafts, or drop --chains-by", path)
    suffix = p.suffix.lower()
    if suffix == ".csv":
        manifest = _from_csv(path)
    elif suffix == ".toml":
        manifest = _from_toml(path)
    else:
        raise ManifestError(f"is not a manifest ({suffix or 'no extension'}); give a .csv or .toml file, or a folder", path)
    if not manifest.pairs:
        raise ManifestError("names no pairs; add a row old,new (CSV) or a [[pair]] or [[chain]] table (TOML)", path)
    return manifest


def _from_csv(path: str) -> Manifest:
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ManifestError("is not UTF-8 text; save it as UTF-8 CSV", path) from None
    except OSError as exc:
        raise ManifestError(f"cannot be read ({exc.strerror or exc})", path) from None
    folder = Path(path).parent
    reader = csv.reader(text.splitlines())
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ManifestError("is empty; its first line must name the columns old,new[,id]", path) from None
    except csv.Error as exc:
        raise ManifestError(f"is not valid CSV ({exc})", path, 1) from None
    for column in ("old", "new"):
        if column not in header:
            found = ", ".join(h for h in header if h) or "nothing"
            typo = _closest(column, [h for h in header if h not in _CSV_COLUMNS])
            raise ManifestError(
                f"has no '{column}' column; the first line must name the columns old,new[,id] "
                f"(found: {found}){f'; rename column {typo!r} to {column!r}' if typo else ''}",
                path,
                1,
            )
    index = {name: header.index(name) for name in _CSV_COLUMNS if name in header}
    ids = _Ids(path)
    pairs = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            cells = {name: (row[k].strip() if k < len(row) else "") for name, k in index.items()}
            for column in ("old", "new"):
                if not cells[column]:
                    raise ManifestError(f"the '{column}' cell is empty; name a draft", path, line)
            old = _draft(folder, cells["old"], path, line)
            new = _draft(folder, cells["new"], path, line)
            value, fix = (cells["id"], _GIVEN) if cells.get("id") else (default_id(old, new), _PAIR_FIX)
            pairs.append(PairSpec(ids.take(value, line, fix), old, new))
    except csv.Error as exc:
        raise ManifestError(f"is not valid CSV ({exc})", path, reader.line_num) from None
    return Manifest(path, tuple(pairs))


def _list(value: Any, what: str, path: str, line: int | None) -> list[Any]:
    if not isinstance(value, list):
        raise ManifestError(f"{what} must be a list of file names, [\"v1.txt\", \"v2.txt\"]", path, line)
    return value


def _from_toml(path: str) -> Manifest:
    try:
        data, lines = _read_toml(path)
        _check_top_keys(data, _TOP_KEYS, "a batch manifest has [[pair]] and [[chain]] tables", path, lines)
        folder = Path(path).parent
        ids = _Ids(path)
        # In the order the tables are written, pairs and chains interleaved as the reader sees them.
        tables = sorted(
            [(lines.table(kind, index) or 0, kind, index, raw)
             for kind in _TOP_KEYS
             for index, raw in enumerate(_list(data.get(kind, []), kind, path, _first_line(lines, kind)))],
            key=lambda t: t[0],
        )
        pairs: list[PairSpec] = []
        for _, kind, index, raw in tables:
            if kind == "pair":
                pairs.append(_toml_pair(raw, index, folder, path, lines, ids))
            else:
                pairs.extend(_toml_chain(raw, index, folder, path, lines, ids))
    except PositionsError as exc:
        # The TOML helpers are shared with positions files; here they describe a manifest.
        raise ManifestError(exc.message, exc.source, exc.line) from None
    return Manifest(path, tuple(pairs))


def _toml_pair(raw: Any, index: int, folder: Path, path: str, lines: _Lines, ids: _Ids) -> PairSpec:
    line = lines.table("pair", index)
    if not isinstance(raw, dict):
        raise ManifestError("a pair must be a [[pair]] table with old and new", path, line)
    _check_keys(raw, _PAIR_KEYS, "pair", index, path, lines)
    found = {}
    for key in ("old", "new"):
        if key not in raw:
            raise ManifestError(f"this pair has no '{key}'; name the {key}er draft", path, line)
        found[key] = _draft(folder, _string(raw[key], key, path, lines.key("pair", index, key)), path,
                            lines.key("pair", index, key))
    if "id" in raw:
        value = ids.take(_string(raw["id"], "id", path, lines.key("pair", index, "id")), lines.key("pair", index, "id"), _GIVEN)
    else:
        value = ids.take(default_id(found["old"], found["new"]), line, _PAIR_FIX)
    return PairSpec(value, found["old"], found["new"])


def _toml_chain(raw: Any, index: int, folder: Path, path: str, lines: _Lines, ids: _Ids) -> list[PairSpec]:
    line = lines.table("chain", index)
    if not isinstance(raw, dict):
        raise ManifestError("a chain must be a [[chain]] table with drafts", path, line)
    _check_keys(raw, _CHAIN_KEYS, "chain", index, path, lines)
    if "drafts" not in raw:
        raise ManifestError("this chain has no 'drafts'; list its drafts oldest first", path, line)
    drafts_line = lines.key("chain", index, "drafts")
    drafts = [
        _draft(folder, _string(d, "a draft", path, drafts_line), path, drafts_line)
        for d in _list(raw["drafts"], "drafts", path, drafts_line)
    ]
    if "id" in raw:
        name = _string(raw["id"], "id", path, lines.key("chain", index, "id"))
        problem = id_problem(name)
        if problem:
            raise ManifestError(f"chain id '{name}' {problem}", path, lines.key("chain", index, "id"))
        fix = _GIVEN
    else:
        name = safe_id(Path(drafts[0]).stem, _STEP_ROOM) if drafts else f"chain-{index + 1}"
        fix = _CHAIN_FIX
    if len(drafts) < 2:
        count = "no drafts" if not drafts else "one draft"
        raise ManifestError(f"chain '{name}' has {count}; a chain needs two or more", path, drafts_line or line)
    return list(_steps(name, drafts, ids, line, fix))


def _steps(name: str, drafts: list[str], ids: _Ids, line: int | None, fix: str) -> Iterator[PairSpec]:
    """Each draft of a chain with the next: ids `<chain>.1`, `<chain>.2`, …"""
    for step, (old, new) in enumerate(itertools.pairwise(drafts), 1):
        yield PairSpec(ids.take(f"{name}.{step}", line, fix), old, new, chain=name, step=step)


def _from_folder(path: str, pattern_text: str) -> Manifest:
    try:
        pattern = re.compile(pattern_text)
    except re.error as exc:
        raise ManifestError(f"--chains-by '{pattern_text}' is not a regular expression ({exc})", path) from None
    if pattern.groups < 1:
        raise ManifestError(
            f"--chains-by '{pattern_text}' has no group; put the part that names the document in (…), "
            r"e.g. '(.+)-v\d+\.txt'",
            path,
        )
    chains: dict[str, list[str]] = {}
    left_out: list[str] = []
    for relative in _files(Path(path)):
        match = pattern.fullmatch(relative)
        if match is None or not match.group(1):
            left_out.append(relative)
            continue
        chains.setdefault(match.group(1), []).append(relative)
    if not chains:
        raise ManifestError(
            f"no file matches --chains-by '{pattern_text}' (it must match a whole path relative to the folder, "
            f"such as '{left_out[0] if left_out else 'bill-1-v1.txt'}')",
            path,
        )
    warnings = []
    if left_out:
        shown = ", ".join(left_out[:3]) + (", …" if len(left_out) > 3 else "")
        warnings.append(f"{path}: {len(left_out)} files match no --chains-by pattern and are left out ({shown})")
    documents = {}
    for name in sorted(chains, key=natural_key):
        members = sorted(chains[name], key=natural_key)
        if len(members) < 2:
            warnings.append(f"{path}: '{name}' has one draft ({members[0]}); nothing to compare")
            continue
        documents[name] = [_draft(Path(path), m, path, None) for m in members]
    if not documents:
        raise ManifestError("holds no document with two or more drafts; check --chains-by", path)
    names, renamed = _chain_names(list(documents))
    warnings.extend(f"{path}: {note}" for note in renamed)
    ids = _Ids(path)
    pairs = [p for name, drafts in documents.items() for p in _steps(names[name], drafts, ids, None, _GIVEN)]
    return Manifest(path, tuple(pairs), tuple(warnings))


def _chain_names(documents: list[str]) -> tuple[dict[str, str], list[str]]:
    """Each document's chain name, safe as an id and distinct (case aside): a second document that
    makes the same name gets '-2', a third '-3'; and a note for each so renamed."""
    names: dict[str, str] = {}
    holder: dict[str, str] = {}
    notes = []
    # A name that is safe already keeps it, whatever else the folder holds; then the rest in order.
    for document in sorted(documents, key=lambda d: safe_id(d, _STEP_ROOM) != d):
        base = safe_id(document, _STEP_ROOM)
        name, n = base, 1
        while name.casefold() in holder:
            n += 1
            name = f"{base}-{n}"
        if n > 1:
            notes.append(f"'{document}' is named '{name}' in the outputs ('{base}' names the files of '{holder[base.casefold()]}')")
        names[document] = name
        holder[name.casefold()] = document
    return names, notes


def _files(folder: Path) -> Iterable[str]:
    """Every file under folder, as a path relative to it with '/' separators; hidden ones left out."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        base = Path(root).relative_to(folder)
        for name in sorted(files):
            if not name.startswith("."):
                yield (base / name).as_posix()
