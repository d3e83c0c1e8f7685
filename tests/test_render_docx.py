"""Word outputs: the redline (tracked changes, moves, comments) and the negotiation table.

The core check is the round trip through plancmp's own reader: the redline read with every change
accepted is the new draft, read with every change rejected (--original) the old one, point for
point, label for label, and the text outside the points too. Then Word's own rules for revisions
and comments, what a reader sees in the margin, LibreOffice opening every redline, and the CLI.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from plancmp.cli import cli
from plancmp.compare import CompareOptions, compare, compare_chain
from plancmp.model import Comparison
from plancmp.parse import load_document
from plancmp.parse.from_docx import read_docx
from plancmp.parse.from_toml import load_negotiation, load_positions, load_rules
from plancmp.render.to_docx import RedlineOptions, build_redline, draft_reading, reads_back

DRAFTS = Path(__file__).resolve().parent.parent / "drafts"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CHAIN = ("28-point", "28-point-european", "19-point-geneva", "20-point")
DATE = "2025-12-24T12:00:00Z"
REVISIONS = tuple(W + t for t in ("ins", "del", "moveFrom", "moveTo"))


def _pairs() -> list[tuple[str, str]]:
    pairs = []
    for ext in ("txt", "md"):
        pairs += [(f"{a}.{ext}", f"{b}.{ext}") for a, b in itertools.pairwise(CHAIN)]
        pairs.append((f"28-point.{ext}", f"20-point.{ext}"))
    pairs += [("28-point.docx", "20-point.docx"), ("28-point.txt", "20-point.docx"), ("28-point.docx", "20-point.txt")]
    return pairs


BUNDLED = _pairs()


def _package(path: Path) -> bytes | None:
    return path.read_bytes() if path.suffix == ".docx" else None


def _redline(old: str, new: str, positions: bool = True, **options: object) -> tuple[Comparison, bytes, tuple[str, ...]]:
    o, n = DRAFTS / old, DRAFTS / new
    compared = compare(
        load_document(o), load_document(n),
        CompareOptions(positions=load_positions(DRAFTS / "positions.toml") if positions else None, rules=load_rules()),
    )
    result = build_redline(
        compared,
        RedlineOptions(date=DATE, old_package=_package(o), new_package=_package(n), **options),  # type: ignore[arg-type]
    )
    return compared, result.data, result.warnings


@pytest.fixture(scope="module")
def redlines() -> dict[tuple[str, str], tuple[Comparison, bytes, tuple[str, ...]]]:
    return {pair: _redline(*pair) for pair in BUNDLED}


def _xml(data: bytes, part: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return etree.fromstring(zf.read(part))


def _body(data: bytes) -> etree._Element:
    return _xml(data, "word/document.xml").find(W + "body")


def _runs(p: etree._Element) -> list[tuple[str, str]]:
    """A paragraph's text as (container, text): "=" untouched, else ins / del / moveFrom / moveTo."""
    out = []
    for t in p.iter(W + "t", W + "delText"):
        kinds = [a.tag[len(W):] for a in t.iterancestors() if a.tag in REVISIONS]
        out.append((kinds[0] if kinds else "=", t.text or ""))
    return out


def _mark(p: etree._Element) -> list[str]:
    return [c.tag[len(W):] for c in p.findall(f"{W}pPr/{W}rPr/*") if c.tag in REVISIONS]


def _paragraph(body: etree._Element, contains: str) -> etree._Element:
    found = [p for p in body.iter(W + "p") if contains in "".join(t for _, t in _runs(p))]
    assert len(found) == 1, f"{len(found)} paragraphs contain {contains!r}"
    return found[0]


def _comments(data: bytes) -> list[tuple[str, str, str]]:
    root = _xml(data, "word/comments.xml")
    return [
        (c.get(W + "author") or "", c.get(W + "initials") or "",
         "\n".join("".join(t.text or "" for t in p.iter(W + "t")) for p in c.iter(W + "p")))
        for c in root.iter(W + "comment")
    ]


# -- the round trip ------------------------------------------------------------------------------------


@pytest.mark.parametrize("pair", BUNDLED, ids=[" to ".join(p) for p in BUNDLED])
def test_bundled_redline_reads_back_as_both_drafts(redlines, pair) -> None:  # type: ignore[no-untyped-def]
    compared, data, warnings = redlines[pair]
    assert warnings == ()
    accepted = read_docx(data, "changes.docx")
    rejected = read_docx(data, "changes.docx", original=True)
    assert draft_reading(accepted) == draft_reading(compared.new)
    assert draft_reading(rejected) == draft_reading(compared.old)
    if pair == ("28-point.docx", "20-point.docx"):
        # Word numbering kept on both sides: the labels are still generated, not typed.
        assert draft_reading(accepted, auto_labels=True) == draft_reading(compared.new, auto_labels=True)
        assert draft_reading(rejected, auto_labels=True) == draft_reading(compared.old, auto_labels=True)


def test_points_json_of_the_redline_is_the_new_draft_and_original_the_old(tmp_path: Path) -> None:
    out = tmp_path / "changes.docx"
    result = CliRunner().invoke(cli, [
        "redline", str(DRAFTS / "28-point.docx"), str(DRAFTS / "20-point.docx"),
        "--positions", str(DRAFTS / "positions.toml"), "--date", "2025-12-24", "-o", str(out),
    ])
    assert result.exit_code == 0, result.output

    def points(*args: str) -> dict[str, object]:
        shown = CliRunner().invoke(cli, ["points", *args, "--format", "json"])
        assert shown.exit_code == 0
        data = json.loads(shown.stdout)

        def strip(p: dict[str, object]) -> dict[str, object]:
            return {"id": p["id"], "label": p["label"], "text": p["text"], "auto_label": p["auto_label"],
                    "children": [strip(c) for c in p["children"]]}  # type: ignore[attr-defined]

        return {"points": [strip(p) for p in data["points"]],
                "outside": [(o["text"], o["kind"], o["after"]) for o in data["outside"]]}

    assert points(str(out)) == points(str(DRAFTS / "20-point.docx"))
    assert points("--original", str(out)) == points(str(DRAFTS / "28-point.docx"))


@pytest.mark.parametrize("fmt", ["txt", "md", "docx"])
def test_synthetic_pairs_read_back_exactly(tmp_path: Path, fmt: str) -> None:
    from bench.synth import generate_pair, write_pair

    for seed in (3, 11):
        pair = generate_pair(seed, 40, "uk" if seed == 11 else "en", "hard")
        old_path, new_path = write_pair(pair, tmp_path / f"{fmt}{seed}", fmt)
        compared = compare(load_document(old_path), load_document(new_path))
        result = build_redline(compared, RedlineOptions(date=DATE, old_package=_package(old_path), new_package=_package(new_path)))
        assert result.warnings == ()
        assert reads_back(result.data, compared) == (True, True), (fmt, seed)


# -- Word's rules ----------------------------------------------------------------------------------------


def word_problems(data: bytes) -> list[str]:
    """Breaches of the rules Word holds revisions and comments to (empty when there are none)."""
    body = _xml(data, "word/document.xml")
    comments = _xml(data, "word/comments.xml") if "word/comments.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist() else None
    problems: list[str] = []
    tracked = [el for el in body.iter() if isinstance(el.tag, str) and el.tag[len(W):] in (
        "ins", "del", "moveFrom", "moveTo", "pPrChange", "rPrChange", "moveFromRangeStart", "moveToRangeStart")]
    ids = [el.get(W + "id") for el in tracked]
    comment_ids = [c.get(W + "id") for c in comments.iter(W + "comment")] if comments is not None else []
    for name, count in Counter(ids + comment_ids).items():
        if count > 1:
            problems.append(f"id {name} used {count} times")
    date = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
    for el in tracked + (list(comments.iter(W + "comment")) if comments is not None else []):
        if el.get(W + "date") is not None and not date.match(el.get(W + "date")):
            problems.append(f"bad date {el.get(W + 'date')!r}")
        if el.tag != W + "comment" and not el.get(W + "author"):
            problems.append(f"{el.tag[len(W):]} {el.get(W + 'id')} has no author")
    for el in body.iter(*REVISIONS):
        if el.getparent().tag == W + "rPr":
            continue
        if any(a.tag in REVISIONS for a in el.iterancestors()):
            problems.append(f"{el.tag[len(W):]} {el.get(W + 'id')} inside another revision")
        if el.tag in (W + "ins", W + "moveTo", W + "moveFrom") and el.find(f".//{W}delText") is not None:
            problems.append(f"delText in {el.tag[len(W):]} {el.get(W + 'id')}")
        if el.tag == W + "del" and el.find(f".//{W}t") is not None:
            problems.append(f"w:t in deletion {el.get(W + 'id')}")
    order = {el: k for k, el in enumerate(body.iter())}
    for kind in ("moveFrom", "moveTo"):
        for start in body.iter(W + kind + "RangeStart"):
            ends = [e for e in body.iter(W + kind + "RangeEnd") if e.get(W + "id") == start.get(W + "id")]
            if len(ends) != 1 or order[ends[0]] < order[start]:
                problems.append(f"{kind} range {start.get(W + 'id')} not closed once after it opens")
    names = Counter((s.tag, s.get(W + "name")) for s in body.iter(W + "moveFromRangeStart", W + "moveToRangeStart"))
    for (tag, name), count in names.items():
        other = W + ("moveToRangeStart" if tag.endswith("moveFromRangeStart") else "moveFromRangeStart")
        if count != 1 or names.get((other, name)) != 1:
            problems.append(f"move {name} is not one source and one destination")
    for cid in comment_ids:
        where = {
            tag: [order[e] for e in body.iter(W + tag) if e.get(W + "id") == cid]
            for tag in ("commentRangeStart", "commentRangeEnd", "commentReference")
        }
        if any(len(v) != 1 for v in where.values()):
            problems.append(f"comment {cid} is not anchored once: {where}")
        elif not where["commentRangeStart"][0] < where["commentRangeEnd"][0] < where["commentReference"][0]:
            problems.append(f"comment {cid}: start, end and reference out of order")
    return problems


@pytest.mark.parametrize("pair", BUNDLED, ids=["→".join(p) for p in BUNDLED])
def test_word_rules_hold(redlines, pair) -> None:  # type: ignore[no-untyped-def]
    assert word_problems(redlines[pair][1]) == []


def test_word_rules_checker_finds_a_nested_revision_and_an_unpaired_move() -> None:
    _, data, _ = _redline("28-point.txt", "20-point.txt", positions=False)
    body = _xml(data, "word/document.xml")
    ins = next(body.iter(W + "ins"))
    ins.append(etree.SubElement(ins, W + "del", {W + "id": "99999", W + "author": "x"}))
    destination = body.find(f".//{W}moveToRangeStart")
    name = destination.get(W + "name")
    destination.set(W + "name", "elsewhere")
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(buffer, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, etree.tostring(body) if info.filename == "word/document.xml" else zin.read(info))
    problems = word_problems(buffer.getvalue())
    assert "del 99999 inside another revision" in problems
    assert f"move {name} is not one source and one destination" in problems
    assert "move elsewhere is not one source and one destination" in problems


# -- what the reader of the redline sees ------------------------------------------------------------------


def test_a_reworded_renumbered_point_shows_its_label_and_words_changed(redlines) -> None:  # type: ignore[no-untyped-def]
    body = _xml(redlines[("28-point.txt", "20-point.txt")][1], "word/document.xml")
    p = _paragraph(body, "keep its armed forces")
    assert _runs(p) == [
        ("del", "6."), ("ins", "4."), ("=", " "), ("=", "Ukraine "), ("del", "agrees to"), ("ins", "will"),
        ("=", " keep its armed forces at "), ("del", "no more than 600,000 personnel"),
        ("ins", "a strength of 800,000 personnel in peacetime"), ("=", "."),
    ]
    assert _mark(p) == []


def test_a_dropped_point_is_a_deleted_paragraph_and_an_added_one_inserted(redlines) -> None:  # type: ignore[no-untyped-def]
    body = _xml(redlines[("28-point.txt", "20-point.txt")][1], "word/document.xml")
    dropped = _paragraph(body, "Russia will refrain from invading")
    assert _runs(dropped) == [("del", "3. Russia will refrain from invading any neighbouring state, and NATO will admit no further members.")]
    assert _mark(dropped) == ["del"]
    added = _paragraph(body, "Several funds will be set up")
    assert {kind for kind, _ in _runs(added)} == {"ins"} and _mark(added) == ["ins"]


def test_a_moved_sub_point_is_one_named_move(redlines) -> None:  # type: ignore[no-untyped-def]
    body = _xml(redlines[("28-point.txt", "20-point.txt")][1], "word/document.xml")
    source = _paragraph(body, "of the economy;")
    destination = _paragraph(body, "and in minerals.")
    assert _runs(source) == [("del", "a)"), ("moveFrom", " "), ("moveFrom", "a development fund investing in the fastest-growing branches "), ("del", "of the economy;")]
    assert _runs(destination) == [("ins", "c)"), ("moveTo", " "), ("moveTo", "a development fund investing in the fastest-growing branches "), ("ins", "and in minerals.")]
    assert (_mark(source), _mark(destination)) == (["moveFrom"], ["moveTo"])
    start_from = source.find(W + "moveFromRangeStart")
    start_to = destination.find(W + "moveToRangeStart")
    assert start_from.get(W + "name") == start_to.get(W + "name")


def test_comments_say_what_changed_and_who_objects(redlines) -> None:  # type: ignore[no-untyped-def]
    comments = _comments(redlines[("28-point.txt", "20-point.txt")][1])
    assert ("plancmp", "pc", "600,000 personnel → 800,000 personnel\ncondition added: in peacetime") in comments
    assert ("plancmp", "pc", "split: 12 became 8 and 9\n$800bn added") in comments
    russia = [c for c in comments if c[0] == "Russia"]
    assert russia == [("Russia", "RU", (
        'Rejects: Will "reassess" its position; will not accept the size of Ukraine\'s post-war army.\n'
        "Russian statements of 28 December 2025, as reported (illustrative); 2025-12-28; stated on 20-point"
    ))]
    europe = [c[2] for c in comments if c[0] == "Europe (UK, France, Germany)"]
    assert any(text.endswith("stale: text changed since: 600,000 personnel → 800,000 personnel; condition added: in peacetime")
               for text in europe)
    assert any(text.endswith("resolved by removal") for text in europe)


def test_a_comment_lands_on_the_point_of_its_position(redlines) -> None:  # type: ignore[no-untyped-def]
    data = redlines[("28-point.txt", "20-point.txt")][1]
    body = _xml(data, "word/document.xml")
    cid = next(c.get(W + "id") for c in _xml(data, "word/comments.xml").iter(W + "comment") if c.get(W + "author") == "Russia")
    start = next(e for e in body.iter(W + "commentRangeStart") if e.get(W + "id") == cid)
    assert "keep its armed forces" in "".join(t for _, t in _runs(start.getparent()))


def test_word_numbering_is_kept_and_renumbering_said_in_the_margin(redlines) -> None:  # type: ignore[no-untyped-def]
    data = redlines[("28-point.docx", "20-point.docx")][1]
    body = _xml(data, "word/document.xml")
    p = _paragraph(body, "keep its armed forces")
    assert p.find(f"{W}pPr/{W}pStyle").get(W + "val") == "ListNumber"
    assert p.find(f"{W}pPr/{W}numPr") is not None
    assert _runs(p)[0] == ("=", "Ukraine ")  # no typed label struck out: Word numbers the point
    assert ("plancmp", "pc", "renumbered: 6 → 4\n600,000 personnel → 800,000 personnel\ncondition added: in peacetime") in _comments(
        data
    )
    # The new draft's own comment stays, once: it is not written again as a position.
    assert [c for c in _comments(data) if c[0] == "Ukrainian delegation"] == [
        ("Ukrainian delegation", "UA", "Reserves: who runs the plant is unresolved with the United States.")
    ]


def test_the_new_drafts_own_revisions_are_accepted_first() -> None:
    data = _redline("28-point.docx", "20-point.docx", positions=False)[1]
    body = _xml(data, "word/document.xml")
    # 20-point.docx carries its own tracked change 600,000 → 800,000: the redline starts from 800,000.
    assert not any(e.get(W + "author") == "Drafter" for e in body.iter(*REVISIONS))


def test_the_same_inputs_give_the_same_bytes() -> None:
    assert _redline("28-point.txt", "20-point.txt")[1] == _redline("28-point.txt", "20-point.txt")[1]


def test_summary_page_comes_first() -> None:
    _, data, _ = _redline("28-point.txt", "20-point.txt", summary=True)
    body = _body(data)
    first = body[0]
    assert "".join(t for _, t in _runs(first)) == f"{DRAFTS / '28-point.txt'} → {DRAFTS / '20-point.txt'}"
    table = body.find(W + "tbl")
    header = [("".join(t.text for t in tc.iter(W + "t"))) for tc in table.find(W + "tr").iter(W + "tc")]
    assert header == ["Old", "New", "What happened", "Substantive changes", "Tags"]
    six = next(tr for tr in table.findall(W + "tr") if "".join(t.text for t in tr.find(W + "tc").iter(W + "t")) == "6")
    assert ["".join(t.text for t in tc.iter(W + "t")) for tc in six.findall(W + "tc")] == [
        "6", "4", "modified, renumbered", "600,000 personnel → 800,000 personnel; condition added: in peacetime",
        "contested, military size",
    ]
    assert table.find(f"{W}tr/{W}trPr/{W}tblHeader") is not None
    # The columns fill the text's width (python-docx's page: 8.5 inches less two margins of 1.25)
    # at fixed widths, each as wide as its longest word at least: "New" (bold), "reconstruction".
    grid = [int(col.get(W + "w")) for col in table.iter(W + "gridCol")]
    assert grid == [830, 830, 2014, 2475, 2491]
    assert sum(grid) == 8640 and table.find(f"{W}tblPr/{W}tblLayout").get(W + "type") == "fixed"
    assert all(
        [int(tc.find(f"{W}tcPr/{W}tcW").get(W + "w")) for tc in tr.findall(W + "tc")] == grid for tr in table.findall(W + "tr")
    )


def test_the_summary_table_fits_the_first_section_where_it_stands() -> None:
    # A portrait draft ending in a landscape annex: the summary page is in the first section.
    import docx
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Inches

    from plancmp.parse.from_text import read_text
    from plancmp.render.to_docx import RedlineOptions, build_redline

    draft = docx.Document()
    for line in ("1. Troops withdraw within 30 days.", "2. Elections are held."):
        draft.add_paragraph(line)
    annex = draft.add_section(WD_SECTION.NEW_PAGE)
    annex.orientation, annex.page_width, annex.page_height = WD_ORIENT.LANDSCAPE, Inches(11), Inches(8.5)
    annex.left_margin = annex.right_margin = Inches(0.5)
    draft.add_paragraph("Annex: maps.")
    buffer = io.BytesIO()
    draft.save(buffer)
    new = read_docx(buffer.getvalue(), "new.docx")
    old = read_text("1. Troops withdraw within 60 days.\n2. Elections are held.\n", "old.txt")
    data = build_redline(compare(old, new), RedlineOptions(date=DATE, new_package=buffer.getvalue(), summary=True)).data
    grid = [int(col.get(W + "w")) for col in _body(data).find(W + "tbl").iter(W + "gridCol")]
    assert sum(grid) == 8640  # 8.5 inches less two margins of 1.25, not the annex's 10 inches
    # A gutter takes its width from the text too.
    draft.sections[0].gutter = Inches(0.5)
    buffer = io.BytesIO()
    draft.save(buffer)
    data = build_redline(compare(old, new), RedlineOptions(date=DATE, new_package=buffer.getvalue(), summary=True)).data
    assert sum(int(col.get(W + "w")) for col in _body(data).find(W + "tbl").iter(W + "gridCol")) == 8640 - 720


def test_the_summary_table_s_columns_fit_their_longest_words() -> None:
    from plancmp.render.to_docx import _column_widths

    rows = [("Old", "New", "", "", ""), ("12.a+12.b", "9", "", "", "")]
    # 9 characters at 160 twips and the cell's margins (230); "New" in bold, a quarter wider; a
    # column of no words one character's; the rest shared 27 : 50 : 23.
    assert _column_widths(9000, rows) == [1670, 830, 390 + 1439, 390 + 2665, 390 + 1226]
    # A column's longest word takes a third of the width at most.
    assert _column_widths(4000, [rows[0], ("12.a+12.b+12.c", "9", "", "", "")])[0] == 1333
    # Where the longest words need more than the width (each capped at a third), they share it in proportion.
    assert _column_widths(2500, rows) == [735, 732, 344, 344, 345]


def test_a_horizontal_line_in_a_word_draft_ends_the_points() -> None:
    from tests.docx_build import raw_docx

    line = '<w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr></w:pPr></w:p>'
    body = "<w:p><w:r><w:t>1. First.</w:t></w:r></w:p>" + line + "<w:p><w:r><w:t>Illustrative only.</w:t></w:r></w:p>"
    doc = read_docx(raw_docx(body), "line.docx")
    assert [(p.id, p.text) for p in doc.points] == [("1", "First.")]
    assert [(o.text, o.kind.value, o.after) for o in doc.outside] == [("Illustrative only.", "paragraph", "1")]


# -- the command line ------------------------------------------------------------------------------------


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize(
    ("output", "message"),
    [
        (None, "plancmp: a redline is a file: add -o NAME.docx to write it\n"),
        ("changes.pdf", "plancmp: changes.pdf: a redline is written as .docx; give -o a name ending in .docx\n"),
    ],
)
def test_redline_needs_a_docx_output(tmp_path: Path, output: str | None, message: str) -> None:
    args = ["redline", str(DRAFTS / "28-point.txt"), str(DRAFTS / "20-point.txt")]
    if output:
        args += ["-o", str(tmp_path / output)]
        message = message.replace("changes.pdf", str(tmp_path / output))
    result = _run(*args)
    assert result.exit_code == 2
    assert result.output == message
    assert list(tmp_path.iterdir()) == []


def test_redline_refuses_to_write_over_an_input(tmp_path: Path) -> None:
    new = tmp_path / "new.docx"
    shutil.copy(DRAFTS / "20-point.docx", new)
    before = new.read_bytes()
    result = _run("redline", str(DRAFTS / "28-point.docx"), str(new), "-o", str(new))
    assert result.exit_code == 2
    assert result.output == f"plancmp: {new}: is one of the inputs; refusing to write over it\n"
    assert new.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.docx"]


def test_redline_rejects_a_date_that_is_not_iso(tmp_path: Path) -> None:
    result = _run("redline", str(DRAFTS / "28-point.txt"), str(DRAFTS / "20-point.txt"), "--date", "24/12/2025", "-o", str(tmp_path / "r.docx"))
    assert result.exit_code == 2
    assert result.output == "plancmp: --date: '24/12/2025' is not an ISO 8601 date; give 2025-12-24 or 2025-12-24T12:00:00Z\n"


def test_redline_author_and_date_are_on_every_change(tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    result = _run("redline", str(DRAFTS / "28-point.txt"), str(DRAFTS / "20-point.txt"), "--author", "Legal team",
                  "--date", "2025-12-24T13:00:00+01:00", "-o", str(out))
    assert result.exit_code == 0
    assert result.output == f"plancmp: wrote {out} ({len(out.read_bytes()) // 1024 + 1} KB)\n"
    body = _xml(out.read_bytes(), "word/document.xml")
    assert {(e.get(W + "author"), e.get(W + "date")) for e in body.iter(*REVISIONS)} == {("Legal team", "2025-12-24T12:00:00Z")}


# -- the negotiation table ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chain():  # type: ignore[no-untyped-def]
    negotiation = load_negotiation(DRAFTS / "negotiation.toml")
    docs = tuple(load_document(d.path) for d in negotiation.drafts)
    labels = tuple(d.label for d in negotiation.drafts)
    return compare_chain(docs, labels, CompareOptions(positions=load_positions(negotiation.positions))), negotiation


def test_history_csv_has_a_row_per_lineage_and_a_column_per_draft(tmp_path: Path, chain) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "table.csv"
    result = _run("history", "--negotiation", str(DRAFTS / "negotiation.toml"), "--format", "csv", "-o", str(out))
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0] == ["point", "28-point", "28-point European", "19-point Geneva", "20-point", "status", "positions"]
    assert len(rows) == 1 + len(chain[0].lineages)
    six = next(r for r in rows if r[0] == "6 → 6 → 4 → 4")
    assert six[1] == "6. Ukraine agrees to keep its armed forces at no more than 600,000 personnel."
    assert six[4] == "4. Ukraine will keep its armed forces at a strength of 800,000 personnel in peacetime."
    assert six[5].splitlines()[0] == (
        "28-point European: 6 → 6 modified · 600,000 personnel → 800,000 personnel; condition added: in peacetime"
    )
    assert "Russia rejects (stated on 20-point, point 4, 2025-12-28)" in six[6]
    dropped = next(r for r in rows if r[0] == "3 → 3 → — → —")
    assert dropped[3:5] == ["", ""]


def test_history_csv_cells_never_start_a_formula() -> None:
    from plancmp.render.to_table import _cell

    assert [_cell(t) for t in ("=SUM(A1)", "+1", "-2", "@x", "6. Text")] == ["'=SUM(A1)", "'+1", "'-2", "'@x", "6. Text"]


def test_history_docx_is_a_landscape_table_with_changes_tracked(tmp_path: Path, chain) -> None:  # type: ignore[no-untyped-def]
    from plancmp.render.to_table import lineage_text

    out = tmp_path / "table.docx"
    result = _run("history", "--negotiation", str(DRAFTS / "negotiation.toml"), "--format", "docx", "-o", str(out))
    assert result.exit_code == 0
    data = out.read_bytes()
    body = _body(data)
    size = body.find(f"{W}sectPr/{W}pgSz")
    assert size.get(W + "orient") == "landscape" and int(size.get(W + "w")) > int(size.get(W + "h"))
    rows = body.find(W + "tbl").findall(W + "tr")
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert len(rows) == 1 + len(chain[0].lineages)
    compared = chain[0]
    for row, lineage in zip(rows[1:], compared.lineages):
        cells = row.findall(W + "tc")[1:-2]
        for k, (cell, doc, ids) in enumerate(zip(cells, compared.drafts, lineage.ids)):
            # A paragraph whose mark is deleted runs on into the next once the change is accepted.
            accepted = "".join(
                "".join(t.text or "" for t in p.iter(W + "t")) + ("" if _mark(p) == ["del"] else "\n")
                for p in cell.findall(W + "p")
            )[:-1]
            want = lineage_text(doc, ids)
            assert accepted == (want or ("—" if k == 0 or not lineage_text(compared.drafts[k - 1], lineage.ids[k - 1]) else ""))
    # Changes are authored by the draft that made them.
    authors = {e.get(W + "author") for e in body.iter(W + "ins", W + "del")}
    assert authors == set(compared.labels[1:])
    assert word_problems(data) == []


def test_history_docx_needs_a_docx_output() -> None:
    result = _run("history", "--negotiation", str(DRAFTS / "negotiation.toml"), "--format", "docx")
    assert result.exit_code == 2
    assert result.output == "plancmp: the negotiation table is a file: add -o NAME.docx to write it\n"


# -- LibreOffice ---------------------------------------------------------------------------------------


SOFFICE = shutil.which("soffice")


def _convert(folder: Path, files: list[Path], to: str, profile: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SOFFICE or "soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", to, "--outdir", str(folder), *map(str, files)],
        capture_output=True, text=True, timeout=300, check=False,
    )


def _accepted_view(data: bytes) -> bytes:
    """The redline set to open with its changes hidden (w:revisionView), which shows the accepted text."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            blob = zin.read(info)
            if info.filename == "word/settings.xml":
                blob = re.sub(rb"(<w:settings[^>]*>)", rb'\1<w:revisionView w:markup="0" w:insDel="0" w:formatting="0"/>', blob, count=1)
            zout.writestr(info, blob)
    return buffer.getvalue()


def _words(text: str, drop_labels: bool) -> str:
    """Words to compare: hyphens out (pdftotext joins words broken at a line end), and list labels out
    where Word numbering makes them (LibreOffice numbers a list with hidden deletions its own way)."""
    lines = text.replace("-", "").splitlines()
    if drop_labels:
        lines = [re.sub(r"^(\s*\(?[0-9a-z]{1,4}[.)]\s*)+", "", line) for line in lines]
    return " ".join(" ".join(lines).split())


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; apt-get install libreoffice-writer")
def test_libreoffice_opens_every_redline_and_shows_the_new_draft(redlines, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from plancmp.render.to_docx import _generated_side

    files = []
    for (old, new), (_, data, _) in redlines.items():
        path = tmp_path / f"{Path(old).stem}-{Path(new).stem}-{Path(old).suffix[1:]}-{Path(new).suffix[1:]}.docx"
        path.write_bytes(data)
        files.append(path)
    profile = tmp_path / "profile"
    for to in ("pdf", "txt:Text"):
        done = _convert(tmp_path / "out", files, to, profile)
        assert done.returncode == 0, done.stderr
    for path in files:
        for ext in ("pdf", "txt"):
            made = tmp_path / "out" / f"{path.stem}.{ext}"
            assert made.exists() and made.stat().st_size > 0, made
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; the accepted view's text was not checked")
    views = tmp_path / "accepted"
    views.mkdir()
    for path in files:
        (views / path.name).write_bytes(_accepted_view(path.read_bytes()))
    done = _convert(views, sorted(views.glob("*.docx")), "pdf", profile)
    assert done.returncode == 0, done.stderr
    for (old, new), (compared, _, _) in redlines.items():
        name = f"{Path(old).stem}-{Path(new).stem}-{Path(old).suffix[1:]}-{Path(new).suffix[1:]}"
        shown = subprocess.run(["pdftotext", str(views / f"{name}.pdf"), "-"], capture_output=True, text=True, check=True).stdout
        auto = new.endswith(".docx") or old.endswith(".docx")
        want = "\n".join(p.text for p in _generated_side(compared.new))
        assert _words(shown, auto) == _words(want, auto), name


def test_redline_of_drafts_read_original_reads_back_original() -> None:
    old, new = DRAFTS / "28-point.docx", DRAFTS / "20-point.docx"
    from plancmp.parse import ReadOptions

    read = ReadOptions(original=True)
    compared = compare(load_document(old, read), load_document(new, read))
    result = build_redline(compared, RedlineOptions(date=DATE, original=True, old_package=old.read_bytes(), new_package=new.read_bytes()))
    assert result.warnings == ()
    assert reads_back(result.data, compared) == (True, True)
    # 20-point.docx read original says 600,000; the redline starts from there.
    assert "600,000" in compared.new.find("4").text  # type: ignore[union-attr]


def test_a_package_python_docx_cannot_open_is_written_from_its_text(tmp_path: Path) -> None:
    from tests.docx_build import raw_docx

    body = "<w:p><w:r><w:t>1. First point.</w:t></w:r></w:p><w:p><w:r><w:t>2. Second point.</w:t></w:r></w:p>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw_docx(body))) as zin, zipfile.ZipFile(buffer, "w") as zout:
        for info in zin.infolist():
            # A macro-enabled main part: plancmp reads it, python-docx refuses to open it.
            zout.writestr(info, zin.read(info).replace(
                b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                b"application/vnd.ms-word.document.macroEnabled.main+xml",
            ))
    data = buffer.getvalue()
    new = tmp_path / "new.docm"
    new.write_bytes(data)
    old = tmp_path / "old.txt"
    old.write_text("1. First point.\n2. Second point, longer.\n", encoding="utf-8")
    compared = compare(load_document(old), load_document(new))
    result = build_redline(compared, RedlineOptions(date=DATE, new_package=data))
    assert result.warnings == (f"{new}: its formatting could not be kept exactly; the redline is written in Word's built-in styles",)
    assert reads_back(result.data, compared) == (True, True)


def test_control_characters_are_replaced_and_said(tmp_path: Path) -> None:
    old, new = tmp_path / "a.txt", tmp_path / "b.txt"
    old.write_text("1. One \x07 bell.\n2. Two.\n", encoding="utf-8")
    new.write_text("1. One \x07 bells.\n2. Two.\n", encoding="utf-8")
    result = build_redline(compare(load_document(old), load_document(new)), RedlineOptions(date=DATE))
    assert result.warnings == ("the drafts hold control characters Word cannot store; the redline shows each as \ufffd",)
    assert "One \ufffd bell" in read_docx(result.data, "r.docx", original=True).find("1").text  # type: ignore[union-attr]


CONSTRUCTS = {
    "a field in a changed point": (
        [("title", "Agreement"), ("para", "1. The parties meet on page {fld:PAGE|3} of the annex."), ("para", "2. Stays.")],
        [("title", "Agreement"), ("para", "1. The parties meet on page {fld:PAGE|3} of the new annex."), ("para", "2. Stays.")],
    ),
    "points in table cells": (
        [("para", "Intro."), ("table", [[[("para", "1. First in a cell.")], [("para", "2. Second in a cell.")]]]), ("para", "3. After.")],
        [("para", "Intro."), ("table", [[[("para", "1. First in a cell, edited.")], [("para", "2. Second in a cell.")]]]),
         ("para", "3. After."), ("para", "4. Added.")],
    ),
    "revisions of their own, marks included": (
        [("num", 0, "Alpha {+with insert+}."), ("num", 0, "Beta."), ("num", 0, "Gamma {-old-}point.", {"mark": "del"}), ("num", 0, "Delta.")],
        [("num", 0, "Alpha."), ("num", 0, "Gamma point {+new+} here."), ("num", 0, "Beta changed."),
         ("num", 0, "Delta.", {"mark": "ins"}), ("para", "Closing words here.")],
    ),
    "moved sub-points in Word numbering": (
        [("num", 0, "Top one."), ("num", 1, "Sub a."), ("num", 1, "Sub b."), ("num", 0, "Top two."), ("num", 1, "Sub c.")],
        [("num", 0, "Top two."), ("num", 1, "Sub c."), ("num", 0, "Top one."), ("num", 1, "Sub b."), ("num", 1, "Sub a, edited.")],
    ),
}


@pytest.mark.parametrize("original", [False, True], ids=["accepted", "original"])
@pytest.mark.parametrize("case", list(CONSTRUCTS))
def test_word_constructs_keep_their_paragraphs_and_read_back(case: str, original: bool) -> None:
    from tests.docx_build import build_docx

    old_items, new_items = CONSTRUCTS[case]
    old_data, new_data = build_docx(old_items), build_docx(new_items)
    compared = compare(read_docx(old_data, "old.docx", original), read_docx(new_data, "new.docx", original))
    result = build_redline(compared, RedlineOptions(date=DATE, original=original, old_package=old_data, new_package=new_data))
    assert result.warnings == ()  # both drafts' own paragraphs kept
    assert reads_back(result.data, compared) == (True, True)
    assert word_problems(result.data) == []
