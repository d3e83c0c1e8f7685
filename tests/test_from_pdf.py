"""PDF drafts: the points read from each layout, page furniture and footnotes kept outside, every
character accounted for, and one line on stderr for every PDF that cannot be read.

The PDFs under tests/pdf/ are written by `python bench/bench_pdf.py --write-tests tests/pdf`: one
small draft (two pages, four points, two sub-points) printed by LibreOffice in five layouts,
plus a scanned, an encrypted and a broken one.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from plancmp import parse
from plancmp.cli import cli
from plancmp.model import Format, OutsideKind, point_texts
from plancmp.numbering import match_labels
from plancmp.parse import from_pdf, load_document
from plancmp.parse.outline import Block, build_document

PDFS = Path(__file__).parent / "pdf"

POINTS = {
    "1": "The ceasefire takes effect at midnight on the day of signature, and the demilitarisation of the "
         "zone along the line of contact begins at once under international supervision.",
    "1.a": "heavy weapons are withdrawn 15 kilometres from the line of contact;",
    "1.b": "observers of the monitoring mission are given unimpeded access to the whole demilitarisation zone.",
    "2": "Prisoners are exchanged on an all-for-all basis within 30 days. The parties undertake to return "
         "every detained civilian, to account for every missing person and to facilitate the reunification "
         "of families, with the humanitarian organisations present in the area as guarantors.",
    "3": "A joint commission oversees the implementation of this protocol, meets every week and reports "
         "every month to the guarantors on the progress of demilitarisation and reconstruction.",
    "4": "This protocol enters into force on signature.",
}
"""The draft's points, as its .docx reads."""


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args))


def points_of(name: str) -> dict[str, str]:
    doc = load_document(PDFS / name)
    return {p.id: p.text for p in doc.walk()}


@pytest.mark.parametrize("name", ["plain.pdf", "two-column.pdf", "header.pdf", "footnotes.pdf"])
def test_each_layout_reads_to_the_points_of_the_draft(name: str) -> None:
    assert points_of(name) == POINTS


def test_a_pdf_on_standard_input_is_read_as_a_pdf() -> None:
    result = CliRunner().invoke(cli, ["points", "-", "--no-color"], input=(PDFS / "header.pdf").read_bytes())
    assert result.exit_code == 0
    assert result.output.endswith(
        "<stdin>: 4 points, 2 sub-points, 1 heading and 1 paragraph kept outside points, 2 pages read, "
        "4 lines of page furniture removed\n"
    )


def test_two_columns_are_read_column_by_column() -> None:
    result = run("points", str(PDFS / "two-column.pdf"), "--no-color")
    assert result.exit_code == 0
    assert result.output == (
        "[heading] Protocol on the ceasefire (test)\n"
        "[paragraph] The parties agree as follows.\n"
        "1    1. The ceasefire takes effect at midnight on the day of signature, and the demilitarisation of…\n"
        "1.a    a) heavy weapons are withdrawn 15 kilometres from the line of contact;\n"
        "1.b    b) observers of the monitoring mission are given unimpeded access to the whole demilitarisat…\n"
        "2    2. Prisoners are exchanged on an all-for-all basis within 30 days. The parties undertake to re…\n"
        "3    3. A joint commission oversees the implementation of this protocol, meets every week and repor…\n"
        "4    4. This protocol enters into force on signature.\n"
        "\n"
        f"{PDFS / 'two-column.pdf'}: 4 points, 2 sub-points, 1 heading and 1 paragraph kept outside points, "
        "2 pages read, 0 lines of page furniture removed\n"
    )


def test_a_word_hyphenated_at_a_line_end_is_joined_only_when_it_occurs_elsewhere_whole() -> None:
    # LibreOffice broke "de-militarisation", "con-tact" and "humanitar-ian"; the first two occur
    # whole elsewhere in the draft, "humanitarian" does not, so its hyphen stays.
    reading = from_pdf.read_pdf_reading((PDFS / "justified.pdf").read_bytes(), "justified.pdf")
    assert {p.id: p.text for p in reading.document.walk()} == {
        **POINTS,
        "2": POINTS["2"].replace("humanitarian", "humanitar-ian"),
    }
    assert reading.consumed == Counter({"-": 2})


def test_running_header_and_page_number_footer_are_page_furniture_outside_the_points() -> None:
    doc = load_document(PDFS / "header.pdf")
    assert [(o.kind, o.text, o.line, o.after) for o in doc.outside] == [
        (OutsideKind.PAGE, "Working draft — not agreed — for discussion only", 1, None),
        (OutsideKind.HEADING, "Protocol on the ceasefire (test)", 1, None),
        (OutsideKind.PARAGRAPH, "The parties agree as follows.", 1, None),
        (OutsideKind.PAGE, "Page 1 of 2", 1, "2"),
        (OutsideKind.PAGE, "Working draft — not agreed — for discussion only", 2, "2"),
        (OutsideKind.PAGE, "Page 2 of 2", 2, "4"),
    ]
    assert doc.format is Format.PDF
    assert doc.pages == 2


def test_points_reports_pages_read_and_page_furniture_removed_and_lists_no_furniture() -> None:
    result = run("points", str(PDFS / "header.pdf"), "--no-color")
    assert result.exit_code == 0
    assert "[page]" not in result.output
    assert result.output.endswith(
        f"{PDFS / 'header.pdf'}: 4 points, 2 sub-points, 1 heading and 1 paragraph kept outside points, "
        "2 pages read, 4 lines of page furniture removed\n"
    )


def test_footnotes_are_kept_outside_with_their_marker_after_the_point_that_calls_them() -> None:
    reading = from_pdf.read_pdf_reading((PDFS / "footnotes.pdf").read_bytes(), "footnotes.pdf")
    notes = [(o.text, o.line, o.after) for o in reading.document.outside if o.kind is OutsideKind.FOOTNOTE]
    assert notes == [
        ("1 On “under international supervision”: subject to the reservation stated by one delegation "
         "in the record of the session.", 1, "1"),
        ("2 The wording of “force on signature” follows the proposal tabled by the mediators; the "
         "figures remain under review.", 2, "4"),
    ]
    # The superscript references are out of the points' text: the footnotes stand for them.
    assert reading.consumed == Counter({"1": 1, "2": 1})


@pytest.mark.parametrize(
    "name", ["plain.pdf", "two-column.pdf", "justified.pdf", "header.pdf", "footnotes.pdf"]
)
def test_every_character_of_the_text_layer_lands_in_exactly_one_place(name: str) -> None:
    reading = from_pdf.read_pdf_reading((PDFS / name).read_bytes(), name)
    held: Counter[str] = Counter()
    for text in point_texts(reading.document):
        held.update(ch for ch in text if not ch.isspace())
    assert held + reading.consumed == reading.chars
    assert sum(reading.chars.values()) > 600


def test_a_pdf_with_running_headers_is_no_different_from_the_same_draft_without() -> None:
    result = run("diff", str(PDFS / "plain.pdf"), str(PDFS / "header.pdf"), "--no-color")
    assert result.exit_code == 0, result.output


def test_footnotes_count_as_text_outside_the_points_in_a_diff() -> None:
    result = run("diff", str(PDFS / "plain.pdf"), str(PDFS / "footnotes.pdf"), "--no-color", "--format", "json")
    assert result.exit_code == 1
    assert '"outside"' in result.output and "subject to the reservation" in result.output


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("scanned.pdf", "has no text layer — is it scanned? run OCR first (e.g. ocrmypdf) and compare that"),
        ("encrypted.pdf", "is an encrypted PDF that needs a password to open; open it with the password and "
                          "save an unprotected copy, then compare that"),
        ("broken.pdf", "is a damaged PDF (Unexpected EOF); re-save or print it to a new PDF and compare that"),
    ],
)
def test_a_pdf_that_cannot_be_read_is_one_line_and_exit_2(name: str, message: str) -> None:
    result = run("points", str(PDFS / name))
    assert result.exit_code == 2
    assert result.output == f"plancmp: {PDFS / name}: {message}\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"1. A plain-text draft.\n", "is a text file, not a PDF; give it the .txt extension"),
        (b"PK\x03\x04rest", "is a zip archive (a Word file?), not a PDF; if it is a Word document, give it the "
                            ".docx extension"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\xff", "is not a PDF (it has no %PDF header); check the file"),
    ],
)
def test_a_file_named_pdf_that_is_not_one_is_named_for_what_it_is(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "draft.pdf"
    path.write_bytes(content)
    result = run("points", str(path))
    assert result.exit_code == 2
    assert result.output == f"plancmp: {path}: {message}\n"


def test_a_pdf_over_the_page_limit_is_refused_saying_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(from_pdf, "MAX_PAGES", 1)
    result = run("points", str(PDFS / "plain.pdf"))
    assert result.exit_code == 2
    assert result.output == f"plancmp: {PDFS / 'plain.pdf'}: has 2 pages, more than plancmp reads from a PDF (1); split it\n"


def test_the_page_limit_is_two_thousand() -> None:
    assert from_pdf.MAX_PAGES == 2_000


def test_a_pdf_over_the_size_limit_is_refused_saying_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parse, "MAX_FILE_BYTES", 2 * 1024 * 1024)
    big = tmp_path / "big.pdf"
    # A PDF with 3 MB of comment after it: too large before a byte of it is parsed.
    big.write_bytes((PDFS / "plain.pdf").read_bytes() + b"%" + b"x" * 3 * 1024 * 1024)
    result = run("points", str(big))
    assert result.exit_code == 2
    assert result.output == f"plancmp: {big}: is 4 MB, more than plancmp reads as a draft (2 MB); split the draft\n"


def test_a_page_that_takes_too_long_is_reported_with_its_number(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(from_pdf, "PAGE_SECONDS", 1e-6)
    result = run("points", str(PDFS / "plain.pdf"))
    assert result.exit_code == 2
    assert result.output == (
        f"plancmp: {PDFS / 'plain.pdf'}: page 1 takes more than 1e-06 s to read (is the PDF damaged or drawn "
        "unusually?); print it to a new PDF and compare that\n"
    )


def _line(text: str) -> from_pdf._Line:
    return from_pdf._Line(text, 0, 100, 0, 10, 10, False, 1, 0)


@pytest.mark.parametrize(
    ("lines", "joined", "consumed"),
    [
        # "personnel" occurs whole elsewhere: the hyphen was the typesetter's.
        (["keep 600,000 person-", "nel in peacetime", "no more personnel"], "keep 600,000 personnel in peacetime", 1),
        # "nonaggression" occurs nowhere: a compound keeps its hyphen.
        (["a pact of non-", "aggression today", "no more"], "a pact of non-aggression today", 0),
        # The hyphenated spelling occurs whole: it is the draft's spelling even if the joined one does too.
        (["a long-", "term plan", "a long-term view and a longterm one"], "a long-term plan", 0),
        # Broken at two different places: the word was broken by the typesetter both times.
        (["co-", "operation", "cooper-", "ation"], "cooperation", 1),
        # A soft hyphen is always the typesetter's.
        (["a neigh\u00ad", "bouring state", "x"], "a neighbouring state", 1),
    ],
)
def test_hyphenation_rules(lines: list[str], joined: str, consumed: int) -> None:
    joiner = from_pdf._Joiner([_line(t) for t in lines])
    assert joiner.join(lines[:2]) == joined
    assert sum(joiner.consumed.values()) == consumed


def test_a_list_restarting_at_1_further_right_is_a_level_of_its_own() -> None:
    # "1. 2. [indented] 1. 2. 3." — labels alone would read the indented list as repeats of 1 and 2.
    styles: dict[str, list[tuple[int, str]]] = {}
    rows = [("1. First.", 0), ("2. Second:", 0), ("1. its first part;", 4), ("2. its second part.", 4), ("3. Third.", 0)]
    blocks = [
        Block(text, k, labels=tuple(from_pdf._by_indent(label, indent, styles) for label in match_labels(text)), indent=indent)
        for k, (text, indent) in enumerate(rows, 1)
    ]
    doc = build_document(blocks, "x.pdf", Format.PDF)
    assert [p.id for p in doc.walk()] == ["1", "2", "2.1", "2.2", "3"]
    assert doc.warnings == ()


def test_a_cross_reference_wrapped_to_a_line_start_is_no_new_point() -> None:
    # "… the conditions laid down in / point 1." in a column 200 points wide: the first line is
    # full and ends no sentence, the second starts where the paragraph's lines start.
    def line(text: str, x0: float, x1: float, top: float) -> from_pdf._Line:
        return from_pdf._Line(text, x0, x1, top, top + 11, 11, False, 1, 0, col_left=100, col_right=300)

    lines = [
        line("12. The ceasefire holds from 1 March subject to", 100, 296, 0),
        line("the conditions laid down in", 118, 270, 15),
        line("point 1.", 118, 160, 30),
        line("13. Prisoners are exchanged.", 100, 250, 45),
    ]
    paras = from_pdf._paragraphs(lines, 11, 15)
    assert [[ln.text for ln in p.lines] for p in paras] == [
        ["12. The ceasefire holds from 1 March subject to", "the conditions laid down in", "point 1."],
        ["13. Prisoners are exchanged."],
    ]
