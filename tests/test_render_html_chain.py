"""The chain report, read as HTML (no browser): lineage table, timelines, version picker, CSP, hostile chains."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest

from plancmp.compare import CompareOptions, compare_chain
from plancmp.model import Chain
from plancmp.parse import load_document
from plancmp.parse.from_text import read_text
from plancmp.parse.from_toml import load_negotiation, load_positions, load_rules
from plancmp.render.escape import escape_terminal
from plancmp.render.to_html_chain import chain_context, offered_pairs, render_chain_html
from tests.test_render_html import (
    ALLOWED_TAGS,
    NOTE,
    PARTY_NAME,
    RLO,
    Node,
    parse,
    run,
    write_hostile,
)

ROOT = Path(__file__).resolve().parent.parent
DRAFTS = ROOT / "drafts"
Negotiated = tuple[Chain, str, tuple[str, ...], tuple[str, ...]]
"""A chain with its title, dates and sides."""


@pytest.fixture(scope="module")
def negotiation_chain() -> Negotiated:
    negotiation = load_negotiation(str(DRAFTS / "negotiation.toml"))
    docs = tuple(load_document(d.path) for d in negotiation.drafts)
    options = CompareOptions(positions=load_positions(negotiation.positions or ""), rules=load_rules())
    chain = compare_chain(docs, tuple(d.label for d in negotiation.drafts), options)
    dates = tuple(d.date for d in negotiation.drafts)
    sides = tuple(d.side for d in negotiation.drafts)
    return chain, negotiation.title, dates, sides


@pytest.fixture(scope="module")
def chain_html(negotiation_chain: Negotiated) -> str:
    return render_chain_html(*negotiation_chain)


def lineage_bodies(doc: Node) -> list[Node]:
    """One <tbody> per lineage: its row, then its timeline row."""
    return doc.by_id("lineages").find_all("tbody", "lineage")


def head_row(body: Node) -> Node:
    return body.element_children()[0]


def id_cells(body: Node) -> str:
    return " | ".join(td.text() for td in head_row(body).find_all("td", "id"))


def step_cells(body: Node) -> list[str]:
    """What each step cell says, marks only: "~ modified", "7 → 7 ~ modified 8 → 8 = unchanged"."""
    return [
        " ".join(" ".join(m.text().split()) for m in td.find_all("span", "mark"))
        for td in head_row(body).find_all("td", "step")
    ]


def step_changes(body: Node) -> list[list[str]]:
    return [[li.text() for li in td.find_all("li")] for td in head_row(body).find_all("td", "step")]


def by_path(doc: Node, path: str) -> Node:
    (body,) = [b for b in lineage_bodies(doc) if b.attrs["data-path"] == path]
    return body


# What the 28 rows of the bundled negotiation say: ids per draft, then what each step did.
EXPECTED_ROWS = [
    ("1 | 1 | 1 | 1", ["= unchanged", "= unchanged", "~ modified"]),
    ("2 | 2 | 2 | 2", ["~ modified", "~ modified", "~ modified"]),
    ("3 | 3 | — | —", ["= unchanged", "× dropped", ""]),
    ("4 | 4 | — | —", ["= unchanged", "× dropped", ""]),
    ("5 | 5 | 3 | 3", ["= unchanged", "= unchanged № renumbered", "~ modified"]),
    ("6 | 6 | 4 | 4", ["~ modified", "= unchanged № renumbered", "~ modified"]),
    ("7+8 | 7+8 | 5 | —", ["7 → 7 ~ modified 8 → 8 = unchanged", "⋈ merged № renumbered", "× dropped"]),
    ("9 | 9 | — | —", ["~ modified", "× dropped", ""]),
    ("10 | 10 | 6 | 5", ["= unchanged", "~ modified № renumbered", "~ modified № renumbered"]),
    ("11 | 11 | 7 | 7", ["= unchanged", "= unchanged № renumbered", "~ modified"]),
    ("12 | 12 | 8 | 8+9", ["= unchanged", "= unchanged № renumbered", "⋔ split"]),
    ("— | — | — | 10 (new)", ["", "", "+ added"]),
    ("13 | 13 | — | —", ["~ modified", "× dropped", ""]),
    ("14 | 14 | — | —", ["~ modified", "× dropped", ""]),
    ("15 | 15 | — | —", ["= unchanged", "× dropped", ""]),
    ("16 | 16 | 9 | 6", ["= unchanged", "= unchanged № renumbered", "~ modified № renumbered ↕ moved"]),
    ("17 | 17 | — | —", ["= unchanged", "× dropped", ""]),
    ("18 | 18 | 10 | 11", ["= unchanged", "= unchanged № renumbered", "~ modified № renumbered"]),
    ("19 | 19 | 11 | 12", ["= unchanged", "= unchanged № renumbered", "~ modified № renumbered"]),
    ("20 | 20 | 12 | 13", ["= unchanged", "= unchanged № renumbered", "~ modified № renumbered"]),
    ("21 | 21 | 13 | 14", ["~ modified", "~ modified № renumbered", "~ modified № renumbered"]),
    ("22 | 22 | 14 | 15", ["= unchanged", "= unchanged № renumbered", "~ modified № renumbered"]),
    ("23 | 23 | 15 | 16", ["= unchanged", "= unchanged № renumbered", "~ modified № renumbered"]),
    ("24 | 24 | 16 | 17", ["~ modified", "= unchanged № renumbered", "~ modified № renumbered"]),
    ("25 | 25 | 17 | 18", ["= unchanged", "~ modified № renumbered", "~ modified № renumbered"]),
    ("26 | 26 | — | —", ["~ modified", "× dropped", ""]),
    ("27 | 27 | 18 | 19", ["= unchanged", "= unchanged № renumbered", "~ modified № renumbered"]),
    ("28 | 28 | 19 | 20", ["= unchanged", "= unchanged № renumbered", "~ modified № renumbered"]),
]


def test_the_lineage_table_has_one_exact_row_per_lineage(negotiation_chain: Negotiated, chain_html: str) -> None:
    chain = negotiation_chain[0]
    doc = parse(chain_html).root
    bodies = lineage_bodies(doc)
    assert len(bodies) == len(chain.lineages) == 28
    assert [b.attrs["data-path"] for b in bodies] == [lineage.path for lineage in chain.lineages]
    assert [(id_cells(b), step_cells(b)) for b in bodies] == EXPECTED_ROWS
    # The table's columns: the drafts by label, a step column between each two, then notes.
    headers = [" ".join(th.text().split()) for th in doc.by_id("lineages").find_all("thead")[0].find_all("th")]
    assert headers[1::2][:4] == list(chain.labels)
    assert headers[2] == "→what changed from 28-point to 28-point European"
    # No row disagrees with the direct comparison on the bundled drafts.
    assert not [b for b in bodies if "disagrees" in head_row(b).classes]


def test_the_6_row_shows_the_army_cap_change_at_the_european_draft(chain_html: str) -> None:
    row = by_path(parse(chain_html).root, "6 → 6 → 4 → 4")
    assert step_changes(row) == [["600,000 personnel → 800,000 personnel", "condition added: in peacetime"], [], []]
    chips = [" ".join(c.text().split()) for c in head_row(row).find_all("span", "party")]
    assert chips == ["EU proposes ⚠ stale", "RU rejects"]
    added = by_path(parse(chain_html).root, "— → — → — → 10 (new)")
    assert [n.text() for n in head_row(added).find_all(cls="new-mark")] == ["(new)"]
    resolved = by_path(parse(chain_html).root, "7+8 → 7+8 → 5 → —")
    assert [" ".join(c.text().split()) for c in head_row(resolved).find_all("span", "party")] == ["EU objects ✓ resolved"]


def test_a_timeline_gives_each_drafts_text_change_and_positions(negotiation_chain: Negotiated, chain_html: str) -> None:
    chain = negotiation_chain[0]
    body = by_path(parse(chain_html).root, "6 → 6 → 4 → 4")
    timeline = body.by_id("tl-6")
    assert head_row(body).find_all("button")[0].attrs["aria-controls"] == "tl-6"
    entries = timeline.find_all("li", "tl-e")
    assert [e.find_all(cls="tl-label")[0].text() for e in entries] == list(chain.labels)
    assert [e.find_all("time")[0].text() for e in entries] == ["2025-11-20", "2025-11-23", "2025-11-24", "2025-12-24"]
    first, european, geneva, last = entries
    # Each draft's text, with what was deleted since the draft before struck and the new words marked.
    assert first.find_all(cls="txt")[0].text() == chain.drafts[0].find("6").text  # type: ignore[union-attr]
    assert [d.text() for d in european.find_all("del")] == ["Ukraine agrees to keep its armed forces at no more than 600,000 personnel"]
    assert "800,000 personnel in peacetime" in european.find_all("ins")[0].text()
    txt = european.find_all(cls="txt")[0]
    kept = "".join(c if isinstance(c, str) else (c.text() if c.tag != "del" else "") for c in txt.children)
    assert kept == chain.drafts[1].find("6").text  # type: ignore[union-attr]
    assert [c.text() for c in european.find_all("li", "change")] == [
        "number 600,000 personnel → 800,000 personnel", "condition condition added: in peacetime"
    ]
    assert "№ renumbered" in geneva.find_all("h4")[0].text() and not geneva.find_all("del")
    # Positions sit on the draft they were stated on.
    assert [p.find_all(cls="party")[0].text() for p in first.find_all("li", "pos")] == ["EU proposes"]
    assert [p.find_all(cls="party")[0].text() for p in last.find_all("li", "pos")] == ["RU rejects"]
    assert not european.find_all("li", "pos") and not geneva.find_all("li", "pos")


def test_timelines_of_drops_additions_and_splits(chain_html: str) -> None:
    doc = parse(chain_html).root
    dropped = by_path(doc, "26 → 26 → — → —").find_all("li", "tl-e")
    assert [e.classes[1] for e in dropped] == ["tl-first", "tl-present", "tl-dropped", "tl-absent"]
    assert "× dropped" in dropped[2].find_all("h4")[0].text() and not dropped[2].find_all(cls="pt")
    added = by_path(doc, "— → — → — → 10 (new)").find_all("li", "tl-e")
    assert [e.classes[1] for e in added] == ["tl-absent", "tl-absent", "tl-absent", "tl-first"]
    assert "+ new here" in added[3].find_all("h4")[0].text()
    assert not added[3].find_all("ins")  # its first wording is just its text
    split = by_path(doc, "12 → 12 → 8 → 8+9").find_all("li", "tl-e")
    assert [lbl.text() for lbl in split[3].find_all(cls="lbl")][:2] == ["8.", "9."]
    assert "⋔ split" in split[3].find_all("h4")[0].text()


def test_timeline_text_rebuilds_every_drafts_points(negotiation_chain: Negotiated) -> None:
    chain = negotiation_chain[0]
    context = chain_context(chain)
    for lineage, view in zip(chain.lineages, context["lineages"]):
        for k, entry in enumerate(view.timeline):
            doc = chain.drafts[k]
            shown = {p.id: "".join(r.text for r in p.runs if r.op != "del") for p in entry.points}
            assert {i for i in shown if "." not in i} == set(lineage.ids[k])
            for pid, text in shown.items():
                point = doc.find(pid)
                assert point is not None and text in (point.text, point.full_text), (lineage.path, k, pid)


def test_the_picker_offers_each_step_and_first_to_last(negotiation_chain: Negotiated, chain_html: str) -> None:
    chain = negotiation_chain[0]
    doc = parse(chain_html).root
    assert [o.text() for o in doc.by_id("pick-old").find_all("option")] == list(chain.labels[:-1])
    assert [o.text() for o in doc.by_id("pick-new").find_all("option")] == list(chain.labels[1:])
    sections = doc.find_all("section", "pair")
    assert [s.attrs["data-pair"] for s in sections] == ["0-1", "1-2", "2-3", "0-3"]
    data = json.loads(doc.by_id("plancmp-data").text())
    assert [p["key"] for p in data["pairs"]] == ["0-1", "1-2", "2-3", "0-3"] and data["default"] == "0-3"
    assert offered_pairs(chain) == ((0, 1), (1, 2), (2, 3), (0, 3))
    # Each pair holds the two-draft report's rows for its comparison, with its own anchors.
    comparisons = [*chain.steps, chain.direct]
    for section, comparison in zip(sections, comparisons):
        rows = section.find_all("ol", "rows")[0].element_children()
        assert len(rows) == len(comparison.groups)
    direct = sections[3]
    assert direct.find_all(cls="pair-title")[0].text() == "28-point → 20-point"
    assert direct.find_all("p", "pair-summary")[0].text().startswith("28 → 20 points: 17 kept")
    row = next(r for r in direct.find_all("li", "row") if r.find_all(cls="gt")[0].text() == "6 → 4")
    assert [a.attrs["id"] for a in row.element_children() if "anchor" in a.classes] == ["p0-3-old-6", "p0-3-new-4"]
    ids = [n.attrs["id"] for n in doc.iter() if "id" in n.attrs]
    assert len(ids) == len(set(ids))
    # A moved point's note links within its own pair.
    moved = next(r for r in direct.find_all("li", "row") if r.find_all(cls="gt")[0].text() == "probably 16 → 6 (reworded; 0.60)")
    assert [a.attrs["href"] for a in moved.find_all(cls="move")[0].find_all("a")] == ["#p0-3-old-15", "#p0-3-new-5"]
    # Each pair places the positions stated on its own two drafts: 28-point → 20-point marks the
    # army cap (EU on 28-point 6, RU on 20-point 4) contested, like the two-draft report does.
    assert "contested" in row.classes or row.find_all(cls="contested")


def test_the_picker_can_offer_any_two_drafts(negotiation_chain: Negotiated) -> None:
    from plancmp.compare import compare_pairs
    from plancmp.render.to_html_chain import picker_pairs
    from plancmp.render.to_terminal import describe_summary

    chain = negotiation_chain[0]
    pairs = picker_pairs(chain)
    assert pairs == ((0, 1), (1, 2), (2, 3), (0, 3), (0, 2), (1, 3))
    comparisons = compare_pairs(chain, pairs)
    assert comparisons[(0, 1)] is chain.steps[0] and comparisons[(0, 3)] is chain.direct
    doc = parse(render_chain_html(chain, comparisons=comparisons)).root
    sections = doc.find_all("section", "pair")
    assert [s.attrs["data-pair"] for s in sections] == ["0-1", "1-2", "2-3", "0-3", "0-2", "1-3"]
    skip = sections[5]
    assert skip.find_all(cls="pair-title")[0].text() == "28-point European → 20-point"
    assert skip.find_all("p", "pair-summary")[0].text() == describe_summary(comparisons[(1, 3)].summary)
    assert skip.find_all("p", "pair-summary")[0].text().startswith("28 → 20 points: ")
    assert "Any two drafts, compared directly" in doc.find_all("section", "versions")[0].find_all("p", "help")[0].text()
    data = json.loads(doc.by_id("plancmp-data").text())
    assert data["default"] == "0-3"
    assert [len(p["rows"]) for p in data["pairs"]] == [len(comparisons[(p["old"], p["new"])].groups) for p in data["pairs"]]


def test_a_long_chain_offers_fewer_pairs(tmp_path: Path) -> None:
    from plancmp.render import to_html_chain

    texts = [[f"Point {k} of draft {d}, about {'tariffs' if k % 2 else 'troops'} and nothing else." for k in range(40)]
             for d in range(10)]
    docs = tuple(read_text("\n".join(f"{n}. {t}" for n, t in enumerate(d, 1)), f"d{k}.txt") for k, d in enumerate(texts))
    chain = compare_chain(docs, tuple(f"d{k}" for k in range(10)))
    # Every pair would be 36 pairs beyond the steps and first → last, 2,880 points: within the
    # budget. Half the budget, and only the first and the last are set beside the others.
    assert len(to_html_chain.picker_pairs(chain)) == 45
    budget = to_html_chain.PICKER_POINTS
    try:
        to_html_chain.PICKER_POINTS = 1500
        pairs = to_html_chain.picker_pairs(chain)
    finally:
        to_html_chain.PICKER_POINTS = budget
    assert len(pairs) == 9 + 1 + 7 + 7  # steps, first → last, first → 2…8, 1…7 → last
    assert all(b == a + 1 or a == 0 or b == 9 for a, b in pairs)


def test_two_drafts_make_one_pair(tmp_path: Path) -> None:
    a = read_text("1. Alpha.\n2. Beta.\n", "a.txt")
    b = read_text("1. Beta.\n2. Alpha now.\n", "b.txt")
    doc = parse(render_chain_html(compare_chain((a, b), ("a", "b")))).root
    assert [s.attrs["data-pair"] for s in doc.find_all("section", "pair")] == ["0-1"]
    assert len(lineage_bodies(doc)) == 2


def test_a_point_dropped_and_restored_is_one_row_flagged_restored() -> None:
    a = "Elections will be held within 100 days after signing."
    b = "A full amnesty is granted to all parties for acts committed during the war."
    c = "Prisoners are exchanged all for all, and civilians and children return home."
    docs = tuple(
        read_text("\n".join(f"{n}. {t}" for n, t in enumerate(d, 1)), f"d{k}.txt")
        for k, d in enumerate([[a, b, c], [a, c], [a, b, c]])
    )
    doc = parse(render_chain_html(compare_chain(docs, ("d0", "d1", "d2")))).root
    assert [b_.attrs["data-path"] for b_ in lineage_bodies(doc)] == ["1 → 1 → 1", "2 → — → 2 (restored)", "3 → 2 → 3"]
    restored = lineage_bodies(doc)[1]
    assert "disagrees" not in head_row(restored).classes
    assert [td.text() for td in head_row(restored).find_all("td", "id")] == ["2", "—", "2 (restored)"]
    assert head_row(restored).find_all("p", "restored")[0].text() == "↺ restored dropped at d1, restored at d2, word for word"
    entries = restored.find_all("li", "tl-e")
    assert [e.classes[-1] for e in entries] == ["tl-first", "tl-dropped", "tl-restored"]
    assert "↺ restored here" in entries[2].text()


def test_rows_where_the_direct_comparison_disagrees_are_flagged() -> None:
    # 2 drifts, step by step, into a wholly different text: compared directly, the two do not link.
    steps = [
        "Elections will be held within 100 days after signing.",
        "Elections will be held within 100 days after signing, with observers from the OSCE.",
        "Observers from the OSCE will watch the line of contact, within 100 days after signing.",
        "Observers from the OSCE will watch the line of contact and report every breach to the parties.",
    ]
    other = "Prisoners are exchanged all for all, and civilians and children return home."
    docs = tuple(read_text(f"1. {s}\n2. {other}\n", f"d{k}.txt") for k, s in enumerate(steps))
    chain = compare_chain(docs, ("d0", "d1", "d2", "d3"))
    doc = parse(render_chain_html(chain)).root
    flagged = [b_ for b_ in lineage_bodies(doc) if "disagrees" in head_row(b_).classes]
    assert [b_.attrs["data-path"] for b_ in flagged] == [lineage.path for lineage in chain.lineages if lineage.note]
    assert flagged, "the drifting point is flagged"
    note = head_row(flagged[0]).find_all("p", "disagree")[0].text()
    assert note.startswith("⚠ direct comparison disagrees")


def test_the_chain_page_allows_only_its_own_script_and_style_and_loads_nothing(chain_html: str) -> None:
    built = parse(chain_html)
    (meta,) = [a for t, a in built.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    policy = dict(part.strip().split(" ", 1) for part in meta["content"].split(";"))
    assert policy["default-src"] == "'none'" and policy["form-action"] == "'none'"
    scripts = built.root.find_all("script")
    assert [s.attrs.get("type") for s in scripts] == ["application/json", None]
    for source, key in ((scripts[1].text(), "script-src"), (built.root.find_all("style")[0].text(), "style-src")):
        digest = base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode()
        assert policy[key] == f"'sha256-{digest}'"
    assert not [t for t, a in built.tags if "style" in a]
    assert "http://" not in chain_html and "https://" not in chain_html
    for tag, attrs in built.tags:
        for name in ("src", "href", "action"):
            value = attrs.get(name)
            assert value is None or value.startswith("#") or value == "data:,", f"<{tag} {name}={value!r}>"
    # Well under a megabyte for the four bundled drafts, every pair and timeline included.
    assert len(chain_html.encode("utf-8")) < 500_000


def test_report_with_a_negotiation_file_writes_the_chain_page(tmp_path: Path) -> None:
    out = tmp_path / "negotiation.html"
    result = run("report", "--negotiation", str(DRAFTS / "negotiation.toml"), "-o", str(out))
    assert result.exit_code == 0, result.output
    doc = parse(out.read_text(encoding="utf-8")).root
    assert doc.find_all("h1")[0].text() == "Peace plan drafts, November–December 2025 (illustrative)"
    assert len(lineage_bodies(doc)) == 28
    drafts = [" ".join(li.text().split()) for li in doc.by_id("drafts").find_all("li")]
    assert drafts[1].startswith("2 28-point European 2025-11-23 Europe (UK, France, Germany)")
    assert doc.by_id("summary").text() == (
        "28 → 28 → 19 → 20 points; 28 lineages: 18 through to the last draft, 9 dropped on the way, 1 new"
    )
    both = run("report", str(DRAFTS / "28-point.txt"), "--negotiation", str(DRAFTS / "negotiation.toml"), "-o", str(out))
    assert both.exit_code == 2 and "not both" in both.stderr


# -- a hostile chain ------------------------------------------------------------------------------


HOSTILE_THIRD = (
    "Third </script><script>alert(3)</script>\n\n"
    "1. The parties agree <script>alert(1)</script> to keep the peace at once and for ever.\n"
    "2. Monitoring uses <img src=x onerror=\"window.__pwned=1\"> satellites, \"quoted\" and 'single'.\n"
    f"3. A closing {RLO}point</script> with onerror=alert(1) in it.\n"
)
HOSTILE_TITLE = f"<script>alert('title')</script> \"Talks\" {RLO}evil </title>"
HOSTILE_LABEL = "<img src=x onerror=alert(1)> \"third\""


@pytest.fixture
def hostile_chain(tmp_path: Path) -> tuple[str, Chain]:
    old, new, positions = write_hostile(tmp_path)
    third = tmp_path / "<i>third.txt"
    third.write_text(HOSTILE_THIRD, encoding="utf-8")
    docs = tuple(load_document(str(p)) for p in (old, new, third))
    chain = compare_chain(
        docs, ("<b>old", f"new {RLO}</script>", HOSTILE_LABEL),
        CompareOptions(positions=load_positions(str(positions)), rules=load_rules()),
    )
    html = render_chain_html(chain, HOSTILE_TITLE, ("2025-01-01", "<b>2025", ""), ("<script>x</script>", "", "'side'"))
    return html, chain


def test_a_hostile_chain_shows_as_text_never_as_markup(hostile_chain: tuple[str, Chain]) -> None:
    html, chain = hostile_chain
    built = parse(html)
    tags = [t for t, _ in built.tags]
    assert set(tags) <= ALLOWED_TAGS | {"table", "thead", "tbody", "tr", "th", "td", "button", "strong"}, set(tags)
    assert tags.count("script") == 2 and tags.count("style") == 1
    assert html.count("</script>") == 2 and html.count("</style>") == 1
    for needle in ("<script>alert", "<img", "<b>", "<i>", "<svg onload"):
        assert needle not in html
    for tag, attrs in built.tags:
        assert not [name for name in attrs if name.startswith("on")], f"<{tag}> has an event handler"
    assert RLO not in html and "\\u202e" in html
    root = built.root
    assert root.find_all("title")[0].text() == escape_terminal(HOSTILE_TITLE) + " · plancmp report"
    assert root.find_all("h1")[0].text() == escape_terminal(HOSTILE_TITLE)
    assert [o.text() for o in root.by_id("pick-new").find_all("option")] == [escape_terminal(x) for x in chain.labels[1:]]
    # The drafts' words, quotes included, read back exactly from the timeline.
    body = next(b for b in lineage_bodies(root) if b.attrs["data-path"] == "2 → 2 → 2")
    entries = body.find_all("li", "tl-e")
    assert entries[0].find_all(cls="txt")[0].text() == chain.drafts[0].find("2").text  # type: ignore[union-attr]
    (position,) = [p for e in entries for p in e.find_all("li", "pos")]
    assert position.find_all("abbr")[0].attrs["title"] == PARTY_NAME
    assert escape_terminal(NOTE) in position.text()
    assert "onerror=alert(1) in it." in root.text()
    data = root.by_id("plancmp-data").text()
    last = json.loads(data)["pairs"][-1]
    assert "<" not in data and (last["key"], last["old"], last["new"]) == ("0-2", 0, 2)
