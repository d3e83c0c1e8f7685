"""The HTML report, read as HTML (no browser): its rows, map, CSP, offline-ness, and hostile drafts."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from plancmp.cli import cli
from plancmp.compare import CompareOptions, compare, is_contested
from plancmp.model import Comparison, Document, Format, Point, Status
from plancmp.parse import load_document
from plancmp.parse.from_toml import load_positions, load_rules
from plancmp.render.escape import escape_terminal
from plancmp.render.to_html import ink_for, render_report_html, safe_colour, script_json

ROOT = Path(__file__).resolve().parent.parent
DRAFTS = ROOT / "drafts"


# -- a small DOM over html.parser -----------------------------------------------------------------

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    """One element of the parsed page."""

    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self) -> list[Node]:
        out = [self]
        for child in self.children:
            if isinstance(child, Node):
                out.extend(child.iter())
        return out

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        return [n for n in self.iter()[1:] if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)]

    def by_id(self, element_id: str) -> Node:
        found = [n for n in self.iter() if n.attrs.get("id") == element_id]
        assert len(found) == 1, f"{len(found)} elements with id {element_id!r}"
        return found[0]

    def element_children(self) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node)]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.tags.append((tag, node.attrs))
        self.current.children.append(node)
        if tag not in _VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.tags.append((tag, node.attrs))
        self.current.children.append(node)

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None and node.parent is not None, f"stray </{tag}>"
        self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(html: str) -> _TreeBuilder:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder


def rows(doc: Node) -> list[Node]:
    """The top-level rows: the <li> children of <ol id="rows">."""
    return doc.by_id("rows").element_children()


def own_anchors(row: Node) -> list[str]:
    """The anchor ids a row carries itself (not those of its sub-point rows)."""
    return [c.attrs["id"] for c in row.element_children() if "anchor" in c.classes]


def title(row: Node) -> str:
    return row.find_all(cls="gt")[0].text()


def side_text(row: Node, side: str, index: int = 0) -> str:
    """The text of one point of a row's old or new column, as a reader sees it side by side."""
    column = next(c for c in row.find_all("div", "side") if side in c.classes)
    txt = column.find_all(cls="txt")[index]
    if side == "old":
        # The old column also holds the insertions, hidden except in the inline view.
        return "".join(c if isinstance(c, str) else (c.text() if c.tag != "ins" else "") for c in txt.children)
    return txt.text()


# -- the bundled pair -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> Comparison:
    options = CompareOptions(positions=load_positions(str(DRAFTS / "positions.toml")), rules=load_rules())
    return compare(load_document(str(DRAFTS / "28-point.txt")), load_document(str(DRAFTS / "20-point.txt")), options)


@pytest.fixture(scope="module")
def bundled_html(bundled: Comparison) -> str:
    return render_report_html(bundled)


def test_one_row_per_top_level_group_with_an_anchor_per_point(bundled: Comparison, bundled_html: str) -> None:
    doc = parse(bundled_html).root
    found = rows(doc)
    assert len(found) == len(bundled.groups) == 29
    for row, group in zip(found, bundled.groups):
        assert own_anchors(row) == [f"old-{i}" for i in group.old] + [f"new-{i}" for i in group.new]
        assert "row" in row.classes and f"st-{group.status.value}" in row.classes
    split = found[[g.old for g in bundled.groups].index(("12",))]
    assert title(split) == "12 → 8+9"
    assert own_anchors(split) == ["old-12", "new-8", "new-9"]
    # Sub-point groups sit inside their parent's row, each with its own anchors.
    subrows = split.find_all("li", "subrow")
    assert [own_anchors(s) for s in subrows] == [
        ["old-12.a", "new-9.c"], ["old-12.b", "new-9.a"], ["old-12.c", "new-9.b"],
        ["old-12.d"], ["old-12.e"], ["old-12.f"],
    ]
    # Every id on the page is unique, so every deep link lands on one place.
    ids = [n.attrs["id"] for n in doc.iter() if "id" in n.attrs]
    assert len(ids) == len(set(ids))


def test_the_6_to_4_row_shows_the_changed_number_struck_and_inserted(bundled: Comparison, bundled_html: str) -> None:
    doc = parse(bundled_html).root
    row = next(r for r in rows(doc) if title(r) == "6 → 4")
    assert [b.text() for b in row.find_all(cls="badge")][:3] == ["~ modified", "№ renumbered", "⚑ contested"]
    assert any("600,000" in d.text() for d in row.find_all("del"))
    new_column = next(c for c in row.find_all("div", "side") if "new" in c.classes)
    assert any("800,000" in i.text() for i in new_column.find_all("ins"))
    assert side_text(row, "old") == bundled.old.find("6").text  # type: ignore[union-attr]
    assert side_text(row, "new") == bundled.new.find("4").text  # type: ignore[union-attr]
    chips = [c.text() for c in row.find_all(cls="change")]
    assert chips == ["number 600,000 personnel → 800,000 personnel", "condition condition added: in peacetime"]
    positions = row.find_all("li", "pos")
    assert [p.find_all(cls="party")[0].text() for p in positions] == ["EU proposes", "RU rejects"]
    assert "⚠ stale" in positions[0].text()
    assert "Cap the army at 800,000" in positions[0].text()
    # The full record is describe_position's sentence.
    assert "stated on 28-point, point 6, 2025-11-23" in positions[0].find_all("details")[0].text()


def test_merged_and_split_parts_are_grouped_and_moves_link_both_places(bundled_html: str) -> None:
    doc = parse(bundled_html).root
    split = next(r for r in rows(doc) if title(r) == "12 → 8+9")
    new_column = next(c for c in split.element_children() if "sides" in c.classes).element_children()[1]
    assert [p.find_all(cls="lbl")[0].text() for p in new_column.find_all(cls="pt")] == ["8.", "9."]
    moved = next(r for r in rows(doc) if title(r) == "probably 16 → 6 (reworded; 0.60)")
    assert "↕ moved" in [b.text() for b in moved.find_all(cls="badge")]
    links = [a.attrs["href"] for a in moved.find_all(cls="move")[0].find_all("a")]
    assert links == ["#old-15", "#new-5"]


def test_the_map_has_a_line_per_link_and_marks_drops_and_additions(bundled: Comparison, bundled_html: str) -> None:
    doc = parse(bundled_html).root
    svg = doc.by_id("map")
    lines = svg.find_all("path", "link")
    expected = [(o, n) for g in bundled.groups for o in g.old for n in g.new]
    assert len(lines) == len(expected) == 19
    anchors = [line.parent.attrs["href"] for line in lines]  # type: ignore[union-attr]
    assert anchors == [f"#old-{o}" for o, _ in expected]
    # Colour is not the only signal: each line has a title in words and a style class.
    for line in lines:
        assert line.parent is not None and line.parent.find_all("title")[0].text()
    styles = [c for line in lines for c in line.classes if c != "link"]
    assert styles.count("split") == 2 and styles.count("moved") == 1 and styles.count("modified") == 16
    assert len(svg.find_all("text", "dropped")) == 10
    assert [m.text() for m in svg.find_all("text", "added")] == ["+"]
    numbers = [t.text() for t in svg.find_all("text") if "mk" not in t.classes]
    assert len(numbers) == 28 + 20


def test_summary_counts_and_bracketed_share_are_the_terminals(bundled_html: str) -> None:
    doc = parse(bundled_html).root
    assert doc.by_id("summary").text() == (
        "28 → 20 points: 17 kept (17 reworded), 1 split, 10 dropped, 1 added, 16 renumbered, 1 moved"
    )
    assert "Text still in [brackets]: 0.0% → 5.5%" in doc.find_all("p", "shares")[0].text()
    assert "28 points, 9 sub-points" in doc.text() and "20 points, 3 sub-points" in doc.text()
    assert doc.find_all("html")[0].attrs["lang"] == "en"


def test_the_page_forbids_network_access_and_allows_only_its_own_script(bundled_html: str) -> None:
    built = parse(bundled_html)
    metas = [a for t, a in built.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert len(metas) == 1
    policy = dict(part.strip().split(" ", 1) for part in metas[0]["content"].split(";"))
    assert policy["default-src"] == "'none'"
    assert policy["img-src"] == "data:"
    assert policy["form-action"] == "'none'" and policy["base-uri"] == "'none'"
    scripts = built.root.find_all("script")
    assert [s.attrs.get("type") for s in scripts] == ["application/json", None]
    code = scripts[1].text()
    digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode()
    assert policy["script-src"] == f"'sha256-{digest}'"
    (style,) = built.root.find_all("style")
    digest = base64.b64encode(hashlib.sha256(style.text().encode("utf-8")).digest()).decode()
    assert policy["style-src"] == f"'sha256-{digest}'"
    # No inline style attributes (the hashed style block carries the party colours).
    assert not [t for t, a in built.tags if "style" in a]


def test_nothing_on_the_page_points_at_the_network(bundled_html: str) -> None:
    assert "http://" not in bundled_html and "https://" not in bundled_html
    built = parse(bundled_html)
    for tag, attrs in built.tags:
        for name in ("src", "href", "action", "xlink:href"):
            value = attrs.get(name)
            if value is not None:
                assert value.startswith("#") or value == "data:,", f"<{tag} {name}={value!r}>"
    assert "url(" not in built.root.find_all("style")[0].text()


def test_party_colours_are_validated_and_given_readable_ink() -> None:
    assert safe_colour("#0057b7") == "#0057b7" and safe_colour("#abc") == "#abc"
    for bad in ("red", "#12345", "#0057b7;background:url(x)", "", "expression(alert(1))"):
        assert safe_colour(bad) == "#595959"
    assert ink_for("#b8860b") == "#000000"  # dark goldenrod takes black text
    assert ink_for("#0057b7") == "#ffffff"


def test_script_json_cannot_close_its_script_element() -> None:
    text = script_json({"note": "</script><script>alert(1)</script><!-- & \u2028 \u202e"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert all(ord(ch) < 128 for ch in text)
    assert json.loads(text) == {"note": "</script><script>alert(1)</script><!-- & \u2028 \u202e"}


# -- hostile drafts -------------------------------------------------------------------------------

RLO = "\u202e"
HOSTILE_OLD = (
    "Hostile <b>title</b></title><script>alert(1)</script>\n\n"
    "1. The parties agree <script>alert(1)</script> to keep the peace.\n"
    "2. Monitoring uses <img src=x onerror=alert(1)> cameras, \"quoted\" and 'single'.\n"
    "3. Closing </style> and </script> tags and a javascript:alert(1) link.\n"
    "4. A plain point that stays.\n"
)
HOSTILE_NEW = (
    "Hostile <b>title</b></title><script>alert(1)</script>\n\n"
    "1. The parties agree <script>alert(1)</script> to keep the peace at once.\n"
    "2. Monitoring uses <img src=x onerror=\"window.__pwned=1\"> drones, \"quoted\" and 'single'.\n"
    "3. Closing </style> and </script> tags and a javascript:alert(2) link.\n"
    "4. A plain point that stays.\n"
    f"5. A new point with a bidi {RLO}override</script><svg onload=alert(1)> in it.\n"
)


PARTY_NAME = "<script>alert(1)</script> \"Party\" 'X' </style>"
NOTE = "</script><img src=x onerror=alert(1)> javascript:alert(1) " + RLO + "evil"


def _toml(value: str) -> str:
    # JSON strings are TOML basic strings (same escapes), so quotes and \u202e survive.
    return json.dumps(value, ensure_ascii=True)


def write_hostile(folder: Path) -> tuple[Path, Path, Path]:
    """Two small drafts and a positions file full of markup, quotes and a bidi override."""
    old, new = folder / "<b>old.txt", folder / "<b>new.txt"
    old.write_text(HOSTILE_OLD, encoding="utf-8")
    new.write_text(HOSTILE_NEW, encoding="utf-8")
    positions = folder / "positions.toml"
    lines = [
        "[[party]]",
        'code = "X"',
        "name = " + _toml(PARTY_NAME),
        'colour = "#0057b7"',
        "",
        "[[position]]",
        'party = "X"',
        'stance = "objects"',
        "draft = " + _toml("<b>new"),
        'point = "2"',
        "note = " + _toml(NOTE),
        "source = " + _toml("<a href=javascript:alert(1)>press</a>"),
        "date = 2025-01-02",
    ]
    positions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return old, new, positions


@pytest.fixture
def hostile_html(tmp_path: Path) -> tuple[str, Comparison]:
    old, new, positions = write_hostile(tmp_path)
    comparison = compare(
        load_document(str(old)), load_document(str(new)),
        CompareOptions(positions=load_positions(str(positions)), rules=load_rules()),
    )
    return render_report_html(comparison), comparison


ALLOWED_TAGS = {
    "html", "head", "meta", "link", "title", "style", "body", "a", "header", "p", "h1", "h2", "h3", "h4", "span",
    "dl", "div", "dt", "dd", "cite", "br", "nav", "form", "fieldset", "legend", "label", "input", "select", "option",
    "button", "kbd", "main", "section", "figure", "svg", "g", "path", "text", "figcaption", "ul", "li", "ol",
    "del", "ins", "abbr", "time", "q", "details", "summary", "footer", "script",
}


def test_hostile_drafts_appear_as_text_never_as_markup(hostile_html: tuple[str, Comparison]) -> None:
    html, comparison = hostile_html
    built = parse(html)
    tags = [t for t, _ in built.tags]
    # Only plancmp's own elements: no <img>, <b>, extra <script> or <style> from the drafts.
    assert set(tags) <= ALLOWED_TAGS, set(tags) - ALLOWED_TAGS
    assert tags.count("script") == 2 and tags.count("style") == 1
    assert html.count("</script>") == 2 and html.count("</style>") == 1
    for needle in ("<script>alert", "<img", "<svg onload", "<b>", "<a href=javascript"):
        assert needle not in html
    for tag, attrs in built.tags:
        assert not [name for name in attrs if name.startswith("on")], f"<{tag}> has an event handler"
        for name in ("href", "src", "action"):
            assert not attrs.get(name, "#").lower().startswith("javascript"), f"<{tag} {name}>"
    # The bidi override never reaches the page as a live character; it shows as an escape.
    assert RLO not in html
    assert "\\u202e" in html
    # The drafts' words are there, escaped, exactly as written.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    rows_ = rows(built.root)
    by_title = {title(r): r for r in rows_}
    assert side_text(by_title["2 → 2"], "new") == comparison.new.find("2").text  # type: ignore[union-attr]
    assert side_text(by_title["3 → 3"], "old") == comparison.old.find("3").text  # type: ignore[union-attr]
    assert side_text(by_title["— → 5"], "new") == escape_terminal(comparison.new.find("5").text)  # type: ignore[union-attr]
    # The party's name and the note, quotes included, round-trip through attributes and text.
    (position,) = by_title["2 → 2"].find_all("li", "pos")
    assert position.find_all("abbr")[0].attrs["title"] == PARTY_NAME
    assert escape_terminal(NOTE) in position.text()
    # The data block is JSON the script can read, with no markup in it.
    data_block = built.root.by_id("plancmp-data").text()
    assert "<" not in data_block
    assert [r["key"] for r in json.loads(data_block)["rows"]] == [r.attrs["data-k"] for r in rows_]


def test_hostile_file_names_are_escaped_in_the_title_and_heading(hostile_html: tuple[str, Comparison]) -> None:
    html, comparison = hostile_html
    built = parse(html)
    old, new = comparison.old.source, comparison.new.source
    assert "<b>" in old and "<b>" in new
    assert built.root.find_all("title")[0].text() == f"{old} → {new} · plancmp report"
    assert [s.text() for s in built.root.find_all("h1")[0].find_all(cls="src")] == [old, new]
    assert "&lt;b&gt;old.txt" in html and "&lt;b&gt;new.txt" in html
    assert "b" not in [t for t, _ in built.tags]


def test_hostile_labels_are_escaped() -> None:
    label = '<i onmouseover="alert(1)">1.</i>'
    old = Document("a.txt", Format.TEXT, (Point("1", label, "keep the peace"),))
    new = Document("b.txt", Format.TEXT, (Point("1", "1.", "keep the peace now"),))
    html = render_report_html(compare(old, new))
    built = parse(html)
    assert "i" not in [t for t, _ in built.tags]
    row = rows(built.root)[0]
    assert row.find_all(cls="lbl")[0].text() == label


def test_identical_drafts_say_so(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text("1. One.\n2. Two.\n", encoding="utf-8")
    doc = load_document(str(draft))
    built = parse(render_report_html(compare(doc, doc)))
    assert "No differences" in built.root.find_all("p", "identical")[0].text()
    assert all("changed" not in r.classes for r in rows(built.root))
    assert all(g.status is Status.UNCHANGED for g in compare(doc, doc).groups)


def test_contested_rows_are_marked_for_the_filter(bundled: Comparison, bundled_html: str) -> None:
    built = parse(bundled_html)
    data = json.loads(built.root.by_id("plancmp-data").text())
    marked = [r["key"] for r in data["rows"] if r["contested"]]
    expected = [str(i + 1) for i, g in enumerate(bundled.groups) if is_contested(g, bundled)]
    assert marked == expected and len(marked) == 4  # 6 → 4, 7 → —, 14 → —, 21 → 14
    assert {tuple(r["parties"]) for r in data["rows"] if r["parties"]} >= {("EU", "RU"), ("EU", "UA")}


# -- plancmp report -------------------------------------------------------------------------------


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_report_writes_the_page(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run("report", str(DRAFTS / "28-point.txt"), str(DRAFTS / "20-point.txt"),
                 "--positions", str(DRAFTS / "positions.toml"), "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "6 → 4" in html
    assert result.stdout == ""


def test_report_without_output_file_says_to_add_one() -> None:
    result = run("report", str(DRAFTS / "28-point.txt"), str(DRAFTS / "20-point.txt"))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "add -o report.html" in result.stderr


def test_report_to_standard_output_with_dash() -> None:
    result = run("report", str(DRAFTS / "28-point.txt"), str(DRAFTS / "20-point.txt"), "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("<!DOCTYPE html>")


def test_report_over_three_drafts_writes_the_chain_page(tmp_path: Path) -> None:
    drafts = [str(DRAFTS / n) for n in ("28-point.txt", "28-point-european.txt", "20-point.txt")]
    out = tmp_path / "chain.html"
    result = run("report", *drafts, "-o", str(out))
    assert result.exit_code == 0, result.output
    doc = parse(out.read_text(encoding="utf-8")).root
    assert doc.by_id("lineages").tag == "table"
    assert [s.attrs["data-pair"] for s in doc.find_all("section", "pair")] == ["0-1", "1-2", "0-2"]
    # Pins name points of one pair of drafts: with a chain they are refused, on one line.
    result = run("report", *drafts, "--pin", "6=4", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "--pin" in result.stderr and not (tmp_path / "x.html").exists()


def test_report_with_a_pin(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = run("report", str(DRAFTS / "28-point.txt"), str(DRAFTS / "20-point.txt"), "--pin", "26=-",
                 "-o", str(out))
    assert result.exit_code == 0, result.output
    row = next(r for r in rows(parse(out.read_text(encoding="utf-8")).root) if title(r) == "26 → —")
    assert "⚲ pinned" in [b.text() for b in row.find_all(cls="badge")]


@pytest.mark.parametrize("name", ["old.txt", "report.pdf"])
def test_report_is_written_only_under_an_html_name(tmp_path: Path, name: str) -> None:
    # report.pdf would be an HTML page under a name that promises a PDF; old.txt is an input.
    old = tmp_path / "old.txt"
    old.write_text("1. One.\n", encoding="utf-8")
    result = run("report", str(old), str(DRAFTS / "20-point.txt"), "-o", str(tmp_path / name))
    assert (result.exit_code, result.stderr) == (
        2, (f"plancmp: {tmp_path / name}: a report is an HTML page; give -o a name ending in .html "
            "(print it to PDF from the browser)\n"))
    assert old.read_text(encoding="utf-8") == "1. One.\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.txt"]


@pytest.mark.parametrize("bad", ["nothing.txt"])
def test_report_names_a_missing_draft(bad: str, tmp_path: Path) -> None:
    result = run("report", str(tmp_path / bad), str(DRAFTS / "20-point.txt"), "-o", str(tmp_path / "r.html"))
    assert result.exit_code == 2
    assert bad in result.stderr and not (tmp_path / "r.html").exists()


def test_large_reports_shrink_the_map_but_keep_a_line_per_link() -> None:
    points = tuple(Point(str(i), f"{i}.", f"Point number {i} says something {i * 7}.") for i in range(1, 301))
    old = Document("a.txt", Format.TEXT, points)
    new = Document("b.txt", Format.TEXT, points[:150] + points[151:])
    html = render_report_html(compare(old, new))
    svg = parse(html).root.by_id("map")
    assert len(svg.find_all("path", "link")) == 299
    assert len(svg.find_all("text", "dropped")) == 1
    assert int(svg.attrs["height"]) < 300 * 18
    assert re.search(r'viewBox="0 0 360 \d+"', html)


def test_positions_on_no_group_are_listed_at_the_end(tmp_path: Path) -> None:
    positions = tmp_path / "positions.toml"
    positions.write_text(
        '[[party]]\ncode = "UA"\nname = "Ukraine"\ncolour = "#0057b7"\n\n'
        '[[position]]\nparty = "UA"\nstance = "reserves"\ndraft = "19-point-geneva"\npoint = "3"\n'
        'note = "Stated on a draft not compared here."\n',
        encoding="utf-8",
    )
    comparison = compare(
        load_document(str(DRAFTS / "28-point.txt")), load_document(str(DRAFTS / "20-point.txt")),
        CompareOptions(positions=load_positions(str(positions))),
    )
    doc = parse(render_report_html(comparison)).root
    section = doc.by_id("loose-h").parent
    assert section is not None and section.tag == "section"
    (position,) = section.find_all("li", "pos")
    assert position.find_all(cls="party")[0].text() == "UA reserves"
    assert "… elsewhere" in position.text()
    assert "Stated on a draft not compared here." in position.text()
    assert not any(r.find_all("li", "pos") for r in rows(doc))


def test_a_merge_shows_each_old_point_with_its_own_words(tmp_path: Path) -> None:
    from plancmp.align import AlignOptions, parse_pin

    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text("1. Alpha stays.\n2. Beta says one thing.\n3. Gamma says another.\n", encoding="utf-8")
    new.write_text("1. Alpha stays.\n2. Beta says one thing and gamma says another.\n", encoding="utf-8")
    old_doc, new_doc = load_document(str(old)), load_document(str(new))
    comparison = compare(old_doc, new_doc, CompareOptions(align=AlignOptions(pins=(parse_pin("2+3=2"),))))
    row = next(r for r in rows(parse(render_report_html(comparison)).root) if title(r) == "2+3 → 2")
    assert own_anchors(row) == ["old-2", "old-3", "new-2"]
    assert [lbl.text() for lbl in row.find_all(cls="lbl")][:2] == ["2.", "3."]
    assert side_text(row, "old", 0) == "Beta says one thing."
    assert side_text(row, "old", 1) == "Gamma says another."
    assert side_text(row, "new") == "Beta says one thing and gamma says another."


def test_a_changed_preamble_has_its_own_section_escaped() -> None:
    from plancmp.parse.from_text import read_text

    old = read_text("Agreement\n\nThe parties agree as follows.\n\n1. Forces withdraw.\n", "a.txt")
    new = read_text("Agreement\n\nThe parties, <b>recognising</b> the Front, agree as follows.\n\n1. Forces withdraw.\n", "b.txt")
    page = render_report_html(compare(old, new))
    section = page[page.index('<section class="outside"'):]
    section = section[: section.index("</section>")]
    assert "<h2 id=\"outside-h\">Text outside the points: modified</h2>" in section
    assert "<ins>, &lt;b&gt;recognising&lt;/b&gt; the Front,</ins>" in section
    unchanged = render_report_html(compare(old, old))
    assert 'class="outside"' not in unchanged
