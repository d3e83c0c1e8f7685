"""Bad input, file by file: exactly what a user sees from `plancmp points FILE`.

Each draft in tests/corpus/ (written by tests/corpus/make_corpus.py) is either refused with one
line on stderr and exit status 2, nothing on stdout, or read, and then the exact points are
checked. Large inputs are made here in a temporary folder: a 5 MB line, a 50 MB draft, 20,000
points, deep nesting, zip bombs. Then the output side: an interrupted write leaves nothing
behind, and plancmp will not write its output over one of its inputs.
"""

from __future__ import annotations

import errno
import io
import json
import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from plancmp import atomic as atomic_module
from plancmp.cli import cli
from plancmp.parse import MAX_TEXT_BYTES
from plancmp.parse.from_docx import MAX_ANCHOR, read_docx
from plancmp.parse.outline import MAX_DEPTH
from tests.corpus import make_corpus
from tests.docx_build import raw_docx

CORPUS = Path(__file__).resolve().parent / "corpus"


def points(path: str, *args: str, input: bytes | None = None) -> Result:
    """`plancmp points PATH`, colour off, as a user runs it."""
    return CliRunner().invoke(cli, ["points", path, "--no-color", *args], input=input)


def refused(result: Result, source: str, message: str) -> None:
    """The user sees `plancmp: SOURCE: MESSAGE` on stderr, nothing on stdout, exit status 2."""
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"plancmp: {source}: {message}\n")


def reading(result: Result) -> list[tuple[str, str]]:
    """(id, text) of every point `plancmp points --format json` printed, after a clean exit."""
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)

    def walk(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
        return [pair for p in items for pair in [(p["id"], p["text"]), *walk(p["children"])]]

    return walk(data["points"])


@pytest.fixture
def in_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from tests/corpus, so that messages name the files as a user there would type them."""
    monkeypatch.chdir(CORPUS)


def test_the_corpus_on_disk_is_what_make_corpus_writes() -> None:
    on_disk = {p.name for p in CORPUS.iterdir() if p.suffix in (".txt", ".md", ".docx")}
    assert on_disk == set(make_corpus.CORPUS)
    for name, data in make_corpus.CORPUS.items():
        assert (CORPUS / name).read_bytes() == data, f"{name} is stale; run tests/corpus/make_corpus.py"


_RESAVE = "open it in Word and save it again as .docx"
_BINARY = "is a binary file (it contains NUL bytes), not a text draft; give a .txt, .md, .docx or .pdf draft"
REFUSED = {
    "empty.txt": "is empty; give a draft with numbered points",
    "whitespace.txt": "is empty; give a draft with numbered points",
    "binary.txt": _BINARY,
    # One stray NUL used to make the whole file UTF-16 mojibake ("ㄮ⁆楲獴…"), then "no numbered
    # points found; is it a scanned PDF?". It is a damaged text file, and is called binary.
    "nul-byte.txt": _BINARY,
    # Invalid UTF-8 used to be read as Windows-1251: "First яю point Г( here."
    "invalid-utf8.txt": "is not UTF-8 text (undecodable byte at offset 9) and not Windows-1251 "
    "Cyrillic; re-save it as UTF-8, or name its encoding (--encoding cp1252, --encoding latin-1)",
    # A French draft saved as Windows-1252 used to be read as Cyrillic: "Sйcuritй des frontiиres".
    "latin1.txt": "is not UTF-8 text (undecodable byte at offset 4) and not Windows-1251 Cyrillic; "
    "re-save it as UTF-8, or name its encoding (--encoding cp1252, --encoding latin-1)",
    "pdf-renamed.txt": "is a PDF, not a text draft; give it the .pdf extension",
    # markdown-it skipped everything past ten nested lists, silently; past sixty, plancmp says so.
    "nested-61.md:61": "lists or block quotes are nested more than 60 levels deep; flatten the nesting",
    "not-a-zip.docx": "is not a DOCX (not a zip archive); save the draft from Word as .docx, "
    "or give it the extension of what it is (.txt, .md)",
    "no-document.docx": "is not a Word document: it has no word/document.xml; save the draft from Word as .docx",
    "billion-laughs.docx": "word/document.xml declares XML entities; plancmp does not expand them "
    f"(Word never writes them), so {_RESAVE}",
}


@pytest.mark.parametrize(("where", "message"), REFUSED.items(), ids=list(REFUSED))
def test_refused_with_one_line(in_corpus: None, where: str, message: str) -> None:
    name = where.split(":")[0]
    refused(points(name), where, message)


UKRAINIAN = [("1", "Суверенітет України підтверджується."), ("2", "Армія — 800 000 військовослужбовців.")]
WRAPPED = [("1", "Ceasefire along the line of contact."), ("2", "Exchange of prisoners.")]
READ = {
    "utf16-bom.txt": UKRAINIAN,
    "utf16le-no-bom.txt": UKRAINIAN,
    "utf16be-no-bom.txt": UKRAINIAN,
    "windows-1251.txt": UKRAINIAN,
    "crlf.txt": WRAPPED,
    "lone-cr.txt": WRAPPED,
    # A Markdown file that is all HTML reads as a browser shows it: a paragraph per <p>, typed
    # labels at their start (it used to be one paragraph, and "no numbered points found").
    "all-html.md": [
        ("1", "Ceasefire along the line of contact."),
        ("2", "Exchange of all prisoners. Within 100 days."),
        ("3", "Elections & sanctions."),
    ],
    # Word shows no number on a paragraph whose numId does not exist: it is text of the point
    # above, and the list carries on.
    "broken-numbering.docx": [
        ("1", "Ceasefire along the line of contact."),
        ("2", "Exchange of all prisoners.\nElections within 100 days."),
        ("3", "Sanctions are lifted in stages."),
    ],
    "nested-50.txt": [(".".join(["1"] * d), f"Level {d} of the draft.") for d in range(1, 51)],
    "nested-50.md": [(".".join(["1"] * d), f"Level {d} of the draft.") for d in range(1, 51)],
}


@pytest.mark.parametrize(("name", "expected"), READ.items(), ids=list(READ))
def test_read_exactly(in_corpus: None, name: str, expected: list[tuple[str, str]]) -> None:
    result = points(name, "--format", "json")
    assert reading(result) == expected
    assert result.stderr == ""


def test_titles_of_the_wrapped_drafts_stay_outside_points(in_corpus: None) -> None:
    for name in ("crlf.txt", "lone-cr.txt"):
        result = points(name)
        assert result.stdout == (
            "[heading] Peace plan\n"
            "1  1. Ceasefire along the line of contact.\n"
            "2  2. Exchange of prisoners.\n"
            "\n"
            f"{name}: 2 points, 1 heading kept outside points\n"
        )


def test_all_html_keeps_its_title_as_a_heading(in_corpus: None) -> None:
    assert points("all-html.md").stdout == (
        "[heading] Peace plan\n"
        "1  1. Ceasefire along the line of contact.\n"
        "2  2. Exchange of all prisoners. Within 100 days.\n"
        "3  3. Elections & sanctions.\n"
        "\n"
        "all-html.md: 3 points, 1 heading kept outside points\n"
    )


# -- what else the readers now do, each with the input that showed it ------------------------------


def test_line_numbers_count_only_line_ends(tmp_path: Path) -> None:
    # pdftotext puts a form feed at each page break; str.splitlines() counted it as a line, so
    # every warning after the first page named the wrong line.
    draft = tmp_path / "pages.txt"
    draft.write_bytes(b"1. First.\n\x0c2. Second.\n\x0c\x0b2. Again.\n")
    result = points(str(draft))
    assert result.exit_code == 0
    assert result.stderr == f"plancmp: warning: {draft}:3: label 2. repeats an earlier one; read as point 2#2\n"


def test_a_label_with_a_control_inside_is_named_plainly_in_warnings(tmp_path: Path) -> None:
    draft = tmp_path / "controls.txt"
    draft.write_bytes(b"Article\x1f1. First.\nArticle\x1f1. Again.\n")
    result = points(str(draft))
    assert result.stderr == f"plancmp: warning: {draft}:2: label Article 1. repeats an earlier one; read as point 1#2\n"
    assert "Article\\x1f1." in result.stdout


def test_cyrillic_with_english_words_is_still_windows_1251(tmp_path: Path) -> None:
    draft = tmp_path / "mixed.txt"
    draft.write_bytes("1. Україна та NATO: гарантії безпеки (Article 5).\n2. ЄС і США.\n".encode("cp1251"))
    assert reading(points(str(draft), "--format", "json")) == [
        ("1", "Україна та NATO: гарантії безпеки (Article 5)."),
        ("2", "ЄС і США."),
    ]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_is_read_to_the_limit_only() -> None:
    # Its size is 0 to stat(), so the size check let it through and read_bytes() never returned.
    refused(points("/dev/zero"), "/dev/zero", "is larger than plancmp reads as a text draft (16 MB); split the draft")


def test_block_quotes_nested_deeper_than_markdown_it_allows_are_read(tmp_path: Path) -> None:
    # markdown-it stops at 20 levels and drops the rest; 100 quotes deep, the point is kept.
    draft = tmp_path / "quotes.md"
    draft.write_text(">" * 100 + " 1. Deeply quoted point.\n", encoding="utf-8")
    assert reading(points(str(draft), "--format", "json")) == [("1", "Deeply quoted point.")]


# -- large inputs, made on the spot ---------------------------------------------------------------


def test_a_5_mb_line_is_one_point(tmp_path: Path) -> None:
    words = ("ceasefire " * 600_000)[: 5 * 1024 * 1024].rstrip()
    draft = tmp_path / "long-line.txt"
    draft.write_text(f"1. {words}\n2. Second point.\n", encoding="utf-8")
    assert reading(points(str(draft), "--format", "json")) == [("1", words), ("2", "Second point.")]


def test_a_50_mb_draft_is_refused_before_it_is_read(tmp_path: Path) -> None:
    # Reading 50 MB of short lines took 35 s and 740 MB; realistic ones 12 s. A negotiated draft
    # is at most a few MB, so plain-text and Markdown drafts stop at 16 MB.
    draft = tmp_path / "huge.txt"
    line = b"1. The parties agree to the provisions of this point.\n"
    with draft.open("wb") as handle:
        for _ in range(50 * 1024 * 1024 // (len(line) * 1000)):
            handle.write(line * 1000)
        handle.write(b"x" * (50 * 1024 * 1024 - handle.tell()))
    assert draft.stat().st_size == 50 * 1024 * 1024
    refused(points(str(draft)), str(draft), "is 50 MB, more than plancmp reads as a text draft (16 MB); split the draft")


def test_standard_input_is_read_to_the_limit_only() -> None:
    refused(
        points("-", input=b"1. x\n" * (MAX_TEXT_BYTES // 5 + 1)),
        "<stdin>",
        "is larger than plancmp reads as a text draft (16 MB); split the draft",
    )


def test_20000_points_are_20000_points(tmp_path: Path) -> None:
    draft = tmp_path / "many.txt"
    draft.write_text("".join(f"{k}. Provision number {k}.\n" for k in range(1, 20_001)), encoding="utf-8")
    read = reading(points(str(draft), "--format", "json"))
    assert [pid for pid, _ in read] == [str(k) for k in range(1, 20_001)]


def test_9999_points_are_read(tmp_path: Path) -> None:
    draft = tmp_path / "many.txt"
    draft.write_text("".join(f"{k}. Provision number {k}.\n" for k in range(1, 10_000)), encoding="utf-8")
    read = reading(points(str(draft), "--format", "json"))
    assert read == [(str(k), f"Provision number {k}.") for k in range(1, 10_000)]


def test_points_nested_past_the_limit_are_refused_not_a_traceback(tmp_path: Path) -> None:
    # A chain of 1,000 "1.1.1…" labels ended in a RecursionError traceback.
    draft = tmp_path / "deep.txt"
    draft.write_text(make_corpus.nested_text(1000), encoding="utf-8")
    label = ".".join(["1"] * (MAX_DEPTH + 1))
    refused(
        points(str(draft)),
        f"{draft}:{MAX_DEPTH + 1}",
        f"point {label} is nested {MAX_DEPTH + 1} levels deep; plancmp reads up to {MAX_DEPTH} "
        "levels of sub-points (is the numbering right?)",
    )


def test_points_nested_to_the_limit_are_read(tmp_path: Path) -> None:
    draft = tmp_path / "deep.txt"
    draft.write_text(make_corpus.nested_text(MAX_DEPTH), encoding="utf-8")
    read = reading(points(str(draft), "--format", "json"))
    assert [pid for pid, _ in read] == [".".join(["1"] * d) for d in range(1, MAX_DEPTH + 1)]


_BOMB = (
    "which looks like a zip bomb; plancmp reads parts of up to 200 MB (if the draft is genuine, "
    "remove large pictures or embedded files and save it again)"
)


def _streamed_docx(path: Path, head: bytes, chunk: bytes, repeat: int, tail: bytes) -> None:
    """A .docx whose document.xml is head + chunk * repeat + tail, written without holding it."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("_rels/.rels", make_corpus._RELS)
        with zf.open("word/document.xml", "w", force_zip64=True) as handle:
            handle.write(head)
            for _ in range(repeat):
                handle.write(chunk)
            handle.write(tail)


def test_a_zip_bomb_is_refused_by_its_declared_size(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    _streamed_docx(bomb, b"", bytes(1 << 20), 300, b"")
    assert bomb.stat().st_size < 400_000
    refused(points(str(bomb)), str(bomb), f"part word/document.xml unpacks to more than 200 MB, {_BOMB}")


_HEAD = f"<w:document {make_corpus._W}><w:body>".encode()
_TAIL = b"</w:body></w:document>"
_PARAGRAPHS = b"<w:p><w:r><w:t>Point text here.</w:t></w:r></w:p>" * 10_000


def test_a_small_zip_of_40_mb_of_xml_is_refused_while_unpacking(tmp_path: Path) -> None:
    # 300 KB holding 100 MB of "<w:p>…</w:p>" took 62 s and 3 GB; XML parts now stop at 32 MB.
    bomb = tmp_path / "paragraphs.docx"
    _streamed_docx(bomb, _HEAD, _PARAGRAPHS, 40 * 1024 * 1024 // len(_PARAGRAPHS), _TAIL)
    refused(
        points(str(bomb)),
        str(bomb),
        "part word/document.xml unpacks to more than 32 MB, which looks like a zip bomb; plancmp reads "
        "text parts of up to 32 MB, the XML of some 1,000 pages (if the draft is genuine, split it "
        "into several drafts)",
    )


def test_a_draft_of_a_million_paragraphs_is_refused(tmp_path: Path) -> None:
    # 20 MB of XML is under the part limit, but 400,000 paragraphs took 16 s and 630 MB.
    bomb = tmp_path / "paragraphs.docx"
    _streamed_docx(bomb, _HEAD, _PARAGRAPHS, 40, _TAIL)
    refused(
        points(str(bomb)),
        str(bomb),
        "has more than 100,000 paragraphs, more than plancmp reads from a draft (is it a zip bomb?); split the draft",
    )


def test_unclosed_comment_ranges_cost_the_length_of_their_anchors() -> None:
    # Each piece of text was copied into every open comment range: 4,000 ranges never closed,
    # over 40,000 runs (a 26 KB file), took 22 s. The anchors are now cut from one text.
    starts = "".join(f'<w:commentRangeStart w:id="{i}"/>' for i in range(4000))
    comments = "".join(
        f'<w:comment w:id="{i}" w:author="A"><w:p><w:r><w:t>Objects.</w:t></w:r></w:p></w:comment>'
        for i in range(4000)
    )
    body = "<w:p>" + starts + "<w:r><w:t>1. Ceasefire </w:t></w:r>" * 40_000 + "</w:p>"
    data = raw_docx(body, comments=comments)
    start = time.perf_counter()
    doc = read_docx(data, "x.docx")
    elapsed = time.perf_counter() - start
    # Hang guard only (2 s + 1 ms per KB of XML), not a speed test.
    assert elapsed < 2 + len(body) / 1024 * 0.001, f"took {elapsed:.0f} s"
    assert len(doc.comments) == 4000
    assert {c.anchor for c in doc.comments} == {("1. Ceasefire " * 200)[:MAX_ANCHOR].strip()}
    assert {c.point_id for c in doc.comments} == {"1"}


def test_part_names_in_messages_are_shown_escaped(tmp_path: Path) -> None:
    # Zip entry names come from whoever made the file: an escape sequence in one must not reach
    # the terminal through the error message.
    bomb = tmp_path / "bomb.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", "<w:document/>")
        with zf.open("media/\x1b[2J\u202eevil.bin", "w", force_zip64=True) as handle:
            for _ in range(201):
                handle.write(bytes(1 << 20))
    bomb.write_bytes(buffer.getvalue())
    refused(
        points(str(bomb)),
        str(bomb),
        f"part media/\\x1b[2J\\u202eevil.bin unpacks to more than 200 MB, {_BOMB}",
    )


@pytest.mark.parametrize(("name", "shown"), [("draft\u202etxt.exe.txt", "draft\\u202etxt.exe.txt"),
                                            ("draft\x07.txt", "draft\\x07.txt")])
def test_a_file_name_with_control_characters_is_shown_escaped(tmp_path: Path, name: str, shown: str) -> None:
    draft = tmp_path / name
    draft.write_text("1. First.\n1. Again.\n", encoding="utf-8")
    # color=True: as on a terminal, where click.echo leaves the text as it is.
    warned = CliRunner().invoke(cli, ["points", str(draft), "--no-color"], color=True)
    missing = CliRunner().invoke(cli, ["points", str(tmp_path / ("no-" + name))], color=True)
    assert warned.stderr == (
        f"plancmp: warning: {tmp_path}/{shown}:2: label 1. repeats an earlier one; read as point 1#2\n"
    )
    assert warned.stdout.endswith(f"{tmp_path}/{shown}: 2 points\n")
    refused(missing, f"{tmp_path}/no-{shown}", "no such file; check the path")


# -- writing output -----------------------------------------------------------------------------------


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Two drafts that differ, and a report from an earlier run that must survive a failed one."""
    old, new, out = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "report.json"
    old.write_text("1. Ceasefire within 100 days.\n2. Elections.\n", encoding="utf-8")
    new.write_text("1. Ceasefire within 60 days.\n2. Elections.\n", encoding="utf-8")
    out.write_text("the previous report\n", encoding="utf-8")
    return old, new, out


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in ("a.txt", "b.txt", "report.json"))


def test_a_renderer_that_fails_leaves_the_old_output_alone(
    pair: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new, out = pair

    def broken(*args: object) -> Iterator[str]:
        # The JSON is written as it is produced: a renderer that fails after its first pieces
        # must still leave the previous output as it was.
        yield '{"schema_version": 1,'
        raise RuntimeError("renderer failed half-way")

    monkeypatch.setattr("plancmp.render.to_json.iter_diff_json", broken)
    result = CliRunner().invoke(cli, ["diff", str(old), str(new), "--format", "json", "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr.startswith("plancmp: internal error (RuntimeError: renderer failed half-way); this is a bug")
    assert out.read_text(encoding="utf-8") == "the previous report\n"
    assert _leftovers(out.parent) == []


class _FailingFile(io.BufferedWriter):
    """A new file (as atomic._create makes it) whose writes fail: after storing half of what they
    were given (a Ctrl-C, a disk filling up), or at once."""

    def __init__(self, name: str, failure: BaseException, half: bool) -> None:
        super().__init__(io.FileIO(name, "xb"))
        self.failure, self.half = failure, half

    def write(self, data: Any) -> int:
        if self.half:
            super().write(bytes(data)[: len(data) // 2])
            self.flush()
        raise self.failure


def _half_writing(failure: BaseException) -> Any:
    """atomic._create, whose file stores half of what is written, then fails (a full disk, a Ctrl-C)."""
    return lambda name: _FailingFile(name, failure, half=True)


@pytest.mark.parametrize("failure", [OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), KeyboardInterrupt()])
def test_a_write_interrupted_half_way_leaves_no_partial_output(
    pair: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    old, new, out = pair
    monkeypatch.setattr(atomic_module, "_create", _half_writing(failure))
    result = CliRunner().invoke(cli, ["diff", str(old), str(new), "--format", "json", "-o", str(out)])
    if isinstance(failure, KeyboardInterrupt):
        # Ctrl-C: one line and the shell's status for SIGINT, never 1 ("differences found").
        assert (result.exit_code, result.stdout, result.stderr) == (130, "", "plancmp: interrupted\n")
    else:
        refused(result, str(out), "cannot be written (No space left on device)")
    assert out.read_text(encoding="utf-8") == "the previous report\n"
    assert _leftovers(out.parent) == [], "a temporary file was left behind"


def test_output_is_never_written_over_an_input(pair: tuple[Path, Path, Path]) -> None:
    old, new, _ = pair
    before = old.read_bytes()
    link = old.parent / "same-as-a.txt"
    os.link(old, link)
    for target in (old, link):
        result = CliRunner().invoke(cli, ["diff", str(old), str(new), "-o", str(target)])
        refused(result, str(target), "is one of the inputs; refusing to write over it")
        assert old.read_bytes() == before
    assert _leftovers(old.parent) == ["same-as-a.txt"]


def test_a_successful_write_replaces_the_output_whole(pair: tuple[Path, Path, Path]) -> None:
    old, new, out = pair
    result = CliRunner().invoke(cli, ["diff", str(old), str(new), "--format", "json", "-o", str(out)])
    size = len(out.read_bytes()) // 1024 + 1
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"plancmp: wrote {out} ({size} KB)\n")
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["reworded"] == 1
    assert _leftovers(out.parent) == []


def test_the_corpus_reads_the_same_from_a_fresh_interpreter(in_corpus: None) -> None:
    # The CLI as installed, not only through CliRunner: the messages and exit status match.
    done = subprocess.run(
        [sys.executable, "-m", "plancmp.cli", "points", "nul-byte.txt"], capture_output=True, timeout=60, check=False
    )
    assert (done.returncode, done.stdout, done.stderr.decode()) == (2, b"", f"plancmp: nul-byte.txt: {_BINARY}\n")


def test_an_interrupt_while_the_temporary_file_is_being_created_leaves_nothing(
    pair: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ctrl-C lands after the file exists and before the writer holds it (batch's Ctrl-C test once
    # found such a file left in rows/): the name is known before the file is made.
    real = atomic_module._create

    def create_then_interrupt(name: str) -> Any:
        real(name).close()
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic_module, "_create", create_then_interrupt)
    old, new, out = pair
    result = CliRunner().invoke(cli, ["diff", str(old), str(new), "--format", "json", "-o", str(out)])
    assert (result.exit_code, result.stderr) == (130, "plancmp: interrupted\n")
    assert out.read_text(encoding="utf-8") == "the previous report\n"
    assert _leftovers(out.parent) == []
