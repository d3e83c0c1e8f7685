"""Rebuild the real-document benchmark (bench/real/data/) from fetched git mirrors.

Run from the repository root (the venv active), after fetching the mirrors listed in SOURCES.md:

    python bench/real/build.py                 # every pair
    python bench/real/build.py --pairs bgb,tls13
    python bench/real/build.py --mirrors /work/.mirror

Each pair is two versions of one real document, read out of a git mirror at a recorded commit.
The documents are cut into numbered sections (label, title, body). For each side the script writes:

    data/<pair>/old.txt, new.txt     one block per section: the label as the document writes it,
                                     then the body on the same line; no titles; blank line between
    data/<pair>/old.json, new.json   per block: the line it starts on, its label and its title
    data/<pair>/gold.json            gold links as (old block, new block) indexes: sections whose
                                     title is unique on both sides and identical (whitespace folded)

and then reads each text file back with plancmp's reader, printing how many blocks became points
and which label forms it did not read (so a reader gap is seen, not silently scored).

Documents fetched from elsewhere are never committed: data/ is git-ignored; this script and the
commits recorded below rebuild it.
"""

from __future__ import annotations

import argparse
import json
import posixpath
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DATA = HERE / "data"
MIRRORS = Path("/work/.mirror")


@dataclass(frozen=True)
class Section:
    """One numbered section of a document."""

    label: str
    """The label as the document writes it: "§ 312a", "4.8.", "Appendix A.", "A.3."."""
    title: str
    """The section's heading without its label; "" when it has none."""
    body: str
    """The section's own text (not its sub-sections'), whitespace folded into one paragraph."""


@dataclass(frozen=True)
class Version:
    """One side of a pair: a file at a commit."""

    commit: str
    """Full commit id in the source repository."""
    path: str
    """Path of the file inside the repository at that commit."""
    name: str
    """What the version is called by its publisher ("draft-ietf-tls-tls13-00", "Stand 2.7.2012")."""


@dataclass(frozen=True)
class Pair:
    """Two versions of one document, and how to cut them into sections."""

    name: str
    """Short name used on the command line and as the data folder."""
    repo: str
    """owner/name of the public GitHub repository."""
    kind: str
    """The reader for the source format: "gesetze" (bundestag/gesetze Markdown), "kramdown" (kramdown-rfc), "respec" (W3C)."""
    old: Version
    new: Version


GESETZE = "bundestag/gesetze"
# bundestag/gesetze: the initial import (laws as of 2 July 2012) and the 2022 refreshes.
G2012 = "8e9e7a106e7b0540c99101bbc6d168db6f7b81d3"
G2022_01 = "5710c0a68afaf4ee45f127210247e9e6940126ae"
G2022_02 = "79bdc90dff8489c35bbd9fdab1f1e101d0579592"
G2022_03 = "faba4c771899f5f0cf30f76904cf80e720f7b01f"


def _law(name: str, path: str, new_commit: str, new_name: str) -> Pair:
    return Pair(name, GESETZE, "gesetze", Version(G2012, path, "Stand 2.7.2012"), Version(new_commit, path, new_name))


PAIRS: tuple[Pair, ...] = (
    _law("bgb", "b/bgb/index.md", G2022_03, "Stand 2022-03"),
    _law("zpo", "z/zpo/index.md", G2022_02, "Stand 2022-02"),
    _law("hgb", "h/hgb/index.md", G2022_01, "Stand 2022-01"),
    _law("stgb", "s/stgb/index.md", G2022_01, "Stand 2022-01"),
    _law("inso", "i/inso/index.md", G2022_02, "Stand 2022-02"),
    Pair(
        "tls13", "tlswg/tls13-spec", "kramdown",
        Version("66db80dd5f30583ac5a87b3eb0ed39b99dae8d17", "draft-ietf-tls-tls13.md", "draft-ietf-tls-tls13-00"),
        Version("66ed15f435a29ed1d293ab5f88cfb5c9546407c4", "rfc8446.md", "RFC 8446 (as published)"),
    ),
    Pair(
        "tls13bis", "tlswg/tls13-spec", "kramdown",
        Version("66ed15f435a29ed1d293ab5f88cfb5c9546407c4", "rfc8446.md", "RFC 8446 (as published)"),
        Version("46b909e14516d81f0c841336d1aa68cbfdb5f2e6", "draft-ietf-tls-rfc8446bis.md", "draft-ietf-tls-rfc8446bis-14"),
    ),
    Pair(
        "cbor", "cbor-wg/CBORbis", "kramdown",
        Version("bc21a5f6e63e982074c90b8ec2d68331db64654b", "draft-ietf-cbor-7049bis.md", "draft-ietf-cbor-7049bis-00 (RFC 7049 text)"),
        Version("22d203099e37d8a7c7458abc975f258775d4de47", "draft-ietf-cbor-7049bis.md", "RFC 8949 (version from the RFC editor)"),
    ),
    Pair(
        "jsonpath", "ietf-wg-jsonpath/draft-ietf-jsonpath-base", "kramdown",
        Version("b80260bc3685845970910e123b97d41b70aee6b1", "draft-ietf-jsonpath-base.md", "draft-ietf-jsonpath-base-07"),
        Version("d6c8d7be0d7146e9db9b3db0d382ba53ede48a93", "draft-ietf-jsonpath-base.md", "RFC 9535 (final source)"),
    ),
    Pair(
        "wcag", "w3c/wcag", "respec",
        Version("2c1fa209abbf49b2ebcae2fd31e9254adb93b396", "guidelines/index.html", "WCAG 2.1 (tag WCAG21-20230921)"),
        Version("732353ba0ce6193afc262d432d5dfba50c0eff59", "guidelines/index.html", "WCAG 2.2 (tag WCAG22-20231005)"),
    ),
    Pair(
        "oauth", "oauth-wg/oauth-v2-1", "kramdown",
        Version("b036ca8ed98fd3ef974d251d3e9eee841098b1c2", "oauth-v2-0.md", "RFC 6749 (OAuth 2.0) as Markdown"),
        Version("b036ca8ed98fd3ef974d251d3e9eee841098b1c2", "draft-ietf-oauth-v2-1.md", "draft-ietf-oauth-v2-1-15"),
    ),
)


def fold(text: str) -> str:
    """Whitespace folded to single spaces, ends trimmed."""
    return " ".join(text.split())


# --- bundestag/gesetze Markdown -------------------------------------------------------------

# "##### § 31a Haftung …", "###### (XXXX) §§ 3 bis 6 (weggefallen)", "#### § 2360 (weggefallen)".
# Only §-headings are sections; Buch/Abschnitt/Titel headings group them and carry no text.
_LAW_SECTION = re.compile(r"^#{1,6}\s+(?:\(XXXX\)\s+)?(?P<label>§§?\s*\d+[a-z]*(?:\s+(?:bis|und)\s+\d+[a-z]*)?)\s*(?P<title>.*)$")
_LAW_HEADING = re.compile(r"^#{1,6}\s")


def law_sections(text: str) -> list[Section]:
    """The §-sections of a bundestag/gesetze Markdown law, in order; preamble and annexes left out."""
    out: list[Section] = []
    label: str | None = None
    title = ""
    body: list[str] = []

    def close() -> None:
        if label is not None:
            out.append(Section(label, fold(title), fold(" ".join(body))))

    in_front = text.startswith("---")
    for n, line in enumerate(text.splitlines()):
        if in_front:
            # YAML front matter: "---" … "---".
            if n > 0 and line.strip() == "---":
                in_front = False
            continue
        m = _LAW_SECTION.match(line)
        if m:
            close()
            label = fold(m.group("label"))
            title, body = m.group("title"), []
        elif _LAW_HEADING.match(line):
            # A grouping heading (Buch, Abschnitt, Titel, Anlage …) ends the section before it.
            close()
            label, title, body = None, "", []
        elif label is not None:
            body.append(line)
    close()
    return out


# --- kramdown-rfc Markdown (IETF drafts) ---------------------------------------------------

_MD_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<title>.*?)\s*$")
_FENCE = re.compile(r"^(~~~+|```+)")
_IAL = re.compile(r"^\{:.*\}\s*$|^\{::[^}]*\}\s*$")
_ANCHOR = re.compile(r"\s*\{[:#][^}]*\}\s*$")
_UNNUMBERED = re.compile(r"numbered\s*=\s*[\"'](?:false|no)[\"']|\{:\s*unnumbered\s*\}")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _letters(n: int) -> str:
    """Appendix letters as xml2rfc counts them: A … Z, AA …"""
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(ord("A") + r) + s
    return s


def kramdown_sections(text: str) -> list[Section]:
    """The numbered sections of a kramdown-rfc draft, labelled as the rendered RFC text labels them.

    kramdown-rfc leaves section numbers to xml2rfc, which numbers "--- middle" sections 1, 1.1, …
    and "--- back" sections A, A.1, …; the labels written here are the ones the rendered text
    shows ("4.8.", "Appendix A.", "A.3."). An unnumbered section ({: numbered="false"}) carries
    no number: below the top level its text stays in the numbered section it sits in (as a reader
    of the RFC sees it with titles removed); at the top level (Acknowledgements, Contributors) it
    is left out.
    """
    text = _COMMENT.sub("", text)
    lines = text.splitlines()
    part = "front"
    fence: str | None = None
    counters: list[int] = []
    out: list[Section] = []
    current: dict[str, Any] | None = None  # the open numbered section: label, title, body lines
    skipping = False  # inside a top-level unnumbered section
    unnumbered_depth: int | None = None

    def close() -> None:
        if current is not None:
            out.append(Section(current["label"], fold(current["title"]), fold(" ".join(current["body"]))))

    for index, line in enumerate(lines):
        if fence is not None:
            if line.startswith(fence[:3]):
                fence = None
            if current is not None and not skipping:
                current["body"].append(line)
            continue
        if line.startswith("--- "):
            word = line[4:].strip()
            if word in ("middle", "back", "abstract") or word.startswith("note"):
                close()
                current, skipping, unnumbered_depth = None, False, None
                part = word if word in ("middle", "back") else "front"
                counters = []
                continue
        if part == "front":
            continue
        fm = _FENCE.match(line)
        if fm:
            fence = fm.group(1)
            if current is not None and not skipping:
                current["body"].append(line)
            continue
        hm = _MD_HEADING.match(line)
        if hm:
            depth = len(hm.group("hashes"))
            raw_title = hm.group("title")
            following = lines[index + 1] if index + 1 < len(lines) else ""
            unnumbered = bool(_UNNUMBERED.search(raw_title)) or bool(
                _IAL.match(following) and _UNNUMBERED.search(following)
            )
            if unnumbered_depth is not None and depth > unnumbered_depth:
                unnumbered = True  # sub-sections of an unnumbered section carry no number either
            else:
                unnumbered_depth = None
            if unnumbered:
                if unnumbered_depth is None:
                    unnumbered_depth = depth
                if depth == 1:
                    close()
                    current, skipping = None, True
                # below the top level: the text goes on in the open numbered section
                continue
            close()
            skipping = False
            counters = (counters + [0] * depth)[:depth]
            counters[-1] += 1
            if part == "back":
                head = _letters(counters[0])
                label = f"Appendix {head}." if depth == 1 else ".".join([head, *map(str, counters[1:])]) + "."
            else:
                label = ".".join(map(str, counters)) + "."
            current = {"label": label, "title": _ANCHOR.sub("", raw_title), "body": []}
            continue
        if _IAL.match(line):
            continue
        if current is not None and not skipping:
            current["body"].append(line)
    close()
    return out


# --- W3C ReSpec HTML (WCAG) -----------------------------------------------------------------

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS = (
    "p", "div", "dl", "dt", "dd", "ul", "ol", "li", "table", "tr", "td", "th", "pre", "blockquote",
    "aside", "figure", "figcaption", "section", *_HEADINGS,
)


def _include(root: Any, load: Callable[[str], str]) -> None:
    """Put the files ReSpec's data-include names in place, as ReSpec does when it renders."""
    from lxml import html

    while True:
        pending = root.xpath("//*[@data-include]")
        if not pending:
            return
        for el in pending:
            src = el.get("data-include")
            del el.attrib["data-include"]
            parts = html.fragments_fromstring(load(src))
            if el.get("data-include-replace") is not None:
                parent = el.getparent()
                at = parent.index(el)
                tail = el.tail
                parent.remove(el)
                text_first = parts and isinstance(parts[0], str)
                if text_first:
                    leading = parts.pop(0)
                    if at:
                        prev = parent[at - 1]
                        prev.tail = (prev.tail or "") + leading
                    else:
                        parent.text = (parent.text or "") + leading
                for k, part in enumerate(parts):
                    parent.insert(at + k, part)
                if parts:
                    parts[-1].tail = (parts[-1].tail or "") + (tail or "")
            else:
                for part in parts:
                    if isinstance(part, str):
                        el.text = (el.text or "") + part
                    else:
                        el.append(part)


def _own_text(section: Any, heading: Any) -> str:
    """The text of a section outside its heading and its sub-sections."""
    parts = [section.text or ""]
    for child in section:
        if child is not heading and child.tag != "section":
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return fold(" ".join(parts))


def respec_sections(text: str, load: Callable[[str], str]) -> list[Section]:
    """The numbered sections of a ReSpec document, labelled as its table of contents labels them.

    ReSpec numbers every <section> but the abstract, the status and "introductory" ones: top-level
    sections "1.", "2." …, appendices "A.", "B." …, sub-sections "1.1", "1.1.1", "A.1" (its table of
    contents writes them so; WCAG's headings add "Guideline" and "Success Criterion" before them).
    """
    from lxml import etree, html

    root = html.document_fromstring(text)
    etree.strip_elements(root, etree.Comment, with_tail=False)
    _include(root, load)
    for el in root.iter(*_BLOCKS):
        # Blocks read apart ("term" then "definition"), inline elements run on ("<a>page</a>s").
        el.tail = " " + (el.tail or "")
    out: list[Section] = []

    def visit(parent: Any, prefix: list[str]) -> None:
        number = letter = 0
        for el in parent.iterchildren("section"):
            classes = (el.get("class") or "").split()
            if el.get("id") in ("abstract", "sotd") or "introductory" in classes:
                continue
            if not prefix and "appendix" in classes:
                letter += 1
                path = [_letters(letter)]
            else:
                number += 1
                path = [*prefix, str(number)]
            label = f"{path[0]}." if len(path) == 1 else ".".join(path)
            heading = next((c for c in el if c.tag in _HEADINGS), None)
            title = fold(heading.text_content()) if heading is not None else ""
            out.append(Section(label, title, _own_text(el, heading)))
            visit(el, path)

    visit(root.body, [])
    return out


# --- writing -------------------------------------------------------------------------------

READERS: dict[str, Callable[[str, Callable[[str], str]], list[Section]]] = {
    "gesetze": lambda text, load: law_sections(text),
    "kramdown": lambda text, load: kramdown_sections(text),
    "respec": respec_sections,
}


def git_show(mirrors: Path, repo: str, commit: str, path: str) -> str:
    """The file at path in commit, from the bare mirror of repo."""
    git_dir = mirrors / repo.replace("/", "+") / "repo"
    if not git_dir.exists():
        sys.exit(f"{git_dir}: no mirror; fetch github:{repo} first (see bench/real/SOURCES.md)")
    done = subprocess.run(
        ["git", f"--git-dir={git_dir}", "show", f"{commit}:{path}"], capture_output=True, check=False
    )
    if done.returncode:
        sys.exit(f"{repo} {commit[:10]}:{path}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout.decode("utf-8")


def write_side(sections: list[Section], folder: Path, side: str) -> None:
    """Write one side's blocks (label + body) and its sidecar of lines, labels and titles."""
    lines: list[str] = []
    meta = []
    for s in sections:
        meta.append({"line": len(lines) + 1, "label": s.label, "title": s.title})
        lines.append(f"{s.label} {s.body}".rstrip())
        lines.append("")
    _write(folder / f"{side}.txt", "\n".join(lines))
    _write(folder / f"{side}.json", json.dumps(meta, ensure_ascii=False, indent=0) + "\n")


def gold_links(old: list[Section], new: list[Section]) -> list[tuple[int, int]]:
    """(old index, new index) for every title that is non-empty, unique on both sides and identical."""
    old_count = Counter(s.title for s in old)
    new_count = Counter(s.title for s in new)
    new_at = {s.title: j for j, s in enumerate(new) if s.title and new_count[s.title] == 1}
    return [
        (i, new_at[s.title])
        for i, s in enumerate(old)
        if s.title and old_count[s.title] == 1 and s.title in new_at
    ]


def _write(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _label_form(label: str) -> str:
    """A label's shape, numbers as N and lettered numbers as Na: "§ 312a" → "§ Na", "A.3." → "A.N."."""
    return re.sub(r"\d+[a-z]*", lambda m: "Na" if m.group(0)[-1].isalpha() else "N", label)


def check_side(folder: Path, side: str) -> tuple[int, int, Counter[str]]:
    """(blocks written, blocks plancmp read as points, label forms of the blocks it did not read)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from plancmp.parse import load_document

    meta = json.loads((folder / f"{side}.json").read_text(encoding="utf-8"))
    doc = load_document(folder / f"{side}.txt")
    lines = {p.line for p in doc.walk()}
    missed = Counter(_label_form(m["label"]) for m in meta if m["line"] not in lines)
    return len(meta), sum(1 for m in meta if m["line"] in lines), missed


def build(pair: Pair, mirrors: Path) -> dict:
    """Extract both sides of pair into data/<name>/ and return its counts."""
    read = READERS[pair.kind]

    def side(version: Version) -> list[Section]:
        def load(rel: str) -> str:
            # An included file, from the same commit, relative to the document's folder.
            return git_show(mirrors, pair.repo, version.commit, posixpath.normpath(
                posixpath.join(posixpath.dirname(version.path), rel)))

        return read(git_show(mirrors, pair.repo, version.commit, version.path), load)

    old, new = side(pair.old), side(pair.new)
    folder = DATA / pair.name
    folder.mkdir(parents=True, exist_ok=True)
    write_side(old, folder, "old")
    write_side(new, folder, "new")
    links = gold_links(old, new)
    _write(folder / "gold.json", json.dumps({"links": links}) + "\n")
    moved = sum(1 for i, j in links if old[i].label != new[j].label)
    return {"old": len(old), "new": len(new), "gold": len(links), "relabelled": moved}


def main(argv: list[str] | None = None) -> int:
    """Build the chosen pairs and print what plancmp's reader made of them."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", help="comma-separated pair names (default: all)")
    ap.add_argument("--mirrors", type=Path, default=MIRRORS, help="folder of fetched mirrors (owner+name/repo)")
    ap.add_argument("--no-check", action="store_true", help="do not read the files back with plancmp")
    args = ap.parse_args(argv)
    chosen = PAIRS
    if args.pairs:
        names = args.pairs.split(",")
        unknown = set(names) - {p.name for p in PAIRS}
        if unknown:
            ap.error(f"unknown pairs: {', '.join(sorted(unknown))}; known: {', '.join(p.name for p in PAIRS)}")
        chosen = tuple(p for p in PAIRS if p.name in names)
    DATA.mkdir(parents=True, exist_ok=True)
    print(f"{'pair':10} {'old':>5} {'new':>5} {'gold':>5} {'relab':>5}   read old/new    label forms not read")
    for pair in chosen:
        counts = build(pair, args.mirrors)
        line = f"{pair.name:10} {counts['old']:5} {counts['new']:5} {counts['gold']:5} {counts['relabelled']:5}"
        if not args.no_check:
            folder = DATA / pair.name
            _, read_old, miss_old = check_side(folder, "old")
            _, read_new, miss_new = check_side(folder, "new")
            missed = miss_old + miss_new
            forms = ", ".join(f"{form!r}×{n}" for form, n in missed.most_common(6))
            line += f"   {read_old:5}/{read_new:<5}    {forms}"
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
