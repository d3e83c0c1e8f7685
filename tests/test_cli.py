"""The command line: what a user sees, and the exit status, for good and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from plancmp import __version__
from plancmp.cli import cli

SMALL = "Title\n\n1. First point.\n2. Second point:\n   a) its sub-point.\n\nClosing words\n"


def run(*args: str, input: str | bytes | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), input=input)


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.output == f"plancmp, version {__version__}\n"


def test_every_command_has_help_with_an_example() -> None:
    for name, command in cli.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert "Example" in result.output, f"{name} --help shows no example"
        assert command.help and command.help.strip(), name


def test_points_lists_each_point_then_counts(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text(SMALL, encoding="utf-8")
    result = run("points", str(draft), "--no-color")
    assert result.exit_code == 0
    assert result.output == (
        "[heading] Title\n"
        "1    1. First point.\n"
        "2    2. Second point:\n"
        "2.a    a) its sub-point.\n"
        "[heading] Closing words\n"
        "\n"
        f"{draft}: 2 points, 1 sub-point, 2 headings kept outside points\n"
    )


def test_points_json(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text(SMALL, encoding="utf-8")
    result = run("points", str(draft), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["schema_version"] == 1
    assert data["format"] == "text"
    assert data["title"] == "Title"
    assert [(p["id"], p["label"], p["text"], p["line"]) for p in data["points"]] == [
        ("1", "1.", "First point.", 3),
        ("2", "2.", "Second point:", 4),
    ]
    assert data["points"][1]["children"] == [
        {"id": "2.a", "label": "a)", "text": "its sub-point.", "children": [], "line": 5, "auto_label": False}
    ]
    assert data["outside"] == [
        {"text": "Title", "kind": "heading", "line": 1, "after": None},
        {"text": "Closing words", "kind": "heading", "line": 7, "after": "2"},
    ]


def test_points_reads_standard_input() -> None:
    result = run("points", "-", "--no-color", input="1. One.\n2. Two.\n")
    assert result.exit_code == 0
    assert result.output.splitlines()[:2] == ["1  1. One.", "2  2. Two."]


def test_output_file_is_written_whole(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text(SMALL, encoding="utf-8")
    out = tmp_path / "points.json"
    result = run("points", str(draft), "--format", "json", "-o", str(out))
    assert result.exit_code == 0 and result.output == ""
    assert json.loads(out.read_text(encoding="utf-8"))["source"] == str(draft)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.txt", "points.json"]


def test_refuses_to_write_over_its_input(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text(SMALL, encoding="utf-8")
    result = run("points", str(draft), "-o", str(draft))
    assert result.exit_code == 2
    assert result.output == f"plancmp: {draft}: is one of the inputs; refusing to write over it\n"
    assert draft.read_text(encoding="utf-8") == SMALL


def test_warnings_go_to_stderr(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text("1. One.\n1. One again.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["points", str(draft), "--no-color"])
    assert result.exit_code == 0
    assert result.stderr == f"plancmp: warning: {draft}:2: label 1. repeats an earlier one; read as point 1#2\n"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "no such file; check the path"),
        ("empty.txt", b"", "is empty; give a draft with numbered points"),
        ("blank.txt", b"  \n\n\t\n", "is empty; give a draft with numbered points"),
        ("prose.txt", b"Dear colleagues,\n\nplease find the draft attached.\n",
         "no numbered points found; plancmp looks for labels such as '1.', '2)', '(a)', 'Article 3' "
         "at the start of a line (is it a scanned PDF, or unnumbered prose?)"),
        ("bin.txt", b"\x00\x01\x02\xff\xfe\x00\x13" * 50,
         "is a binary file (it contains NUL bytes), not a text draft; give a .txt, .md or .docx draft"),
        ("scan.txt", b"%PDF-1.4\n...", "is a PDF, not a text draft; export its text (or save it as .docx) and compare that"),
        ("draft.pdf", b"%PDF-1.4\n...", "is a PDF; export its text (or save it as .docx) and compare that"),
        ("draft.doc", b"\xd0\xcf\x11\xe0", "is a legacy Word .doc; open it in Word and save it as .docx"),
        ("draft.xyz", b"1. One.", "has an unknown format (.xyz); plancmp reads .txt, .md and .docx drafts (rename the file if it is one of these)"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, name: str, content: bytes | None, message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = run("points", str(path))
    assert result.exit_code == 2
    assert result.output == f"plancmp: {path}: {message}\n"


def test_directory_is_refused(tmp_path: Path) -> None:
    result = run("points", str(tmp_path))
    assert result.exit_code == 2
    assert result.output == f"plancmp: {tmp_path}: is a directory; give a draft file (.txt, .md or .docx)\n"


def test_control_characters_from_a_draft_are_shown_escaped(tmp_path: Path) -> None:
    draft = tmp_path / "evil.txt"
    draft.write_text("1. Red \x1b[31mALERT\x1b[0m and \u202etxet desrever.\n", encoding="utf-8")
    result = run("points", str(draft), "--color", "always")
    assert "\x1b[31mALERT" not in result.output
    assert "\\x1b[31mALERT\\x1b[0m" in result.output
    assert "\u202e" not in result.output and "\\u202e" in result.output
