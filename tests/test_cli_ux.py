"""The command line as a new user meets it: Ctrl-C, standard input, colour, whole texts, encodings."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from plancmp.cli import cli

ROOT = Path(__file__).resolve().parent.parent
DRAFTS = ROOT / "drafts"
CORPUS = Path(__file__).resolve().parent / "corpus"


def run(*args: str, input: str | bytes | None = None, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), input=input, env=env, prog_name="plancmp")


# -- item 8: Ctrl-C ---------------------------------------------------------------------------------


def test_ctrl_c_exits_130_with_one_line(tmp_path: Path) -> None:
    # The draft is a FIFO: plancmp blocks opening it until this test opens its other end, so the
    # interrupt arrives while the command runs (not while Python is still importing).
    fifo = tmp_path / "draft.txt"
    os.mkfifo(fifo)
    out = tmp_path / "points.txt"
    proc = subprocess.Popen(
        [sys.executable, "-m", "plancmp", "points", str(fifo), "-o", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
    )
    try:
        writer = os.open(fifo, os.O_WRONLY)  # returns once plancmp has opened the FIFO to read it
        os.write(writer, b"1. A first point that never ends")
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=30)
        os.close(writer)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert (proc.returncode, stdout, stderr) == (130, b"", b"plancmp: interrupted\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.txt"]


def test_ctrl_c_during_a_command_is_130_not_differences(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import plancmp.compare

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(plancmp.compare, "compare", interrupted)
    out = tmp_path / "diff.json"
    result = run("diff", str(DRAFTS / "28-point.txt"), str(DRAFTS / "20-point.txt"), "--format", "json", "-o", str(out))
    assert (result.exit_code, result.stdout, result.stderr) == (130, "", "plancmp: interrupted\n")
    assert not out.exists()


# -- item 13: standard input and -o ------------------------------------------------------------------


def test_standard_input_is_named_stdin_in_messages_and_headings() -> None:
    assert run("points", "-", input="\n\n").stderr == "plancmp: <stdin>: is empty; give a draft with numbered points\n"
    result = run("points", "-", "--no-color", input="1. One.\n1. Again.\n")
    assert result.stdout.splitlines()[-1] == "<stdin>: 2 points"
    assert result.stderr == "plancmp: warning: <stdin>:2: label 1. repeats an earlier one; read as point 1#2\n"
    diff = run("diff", "-", str(DRAFTS / "20-point.txt"), "--no-color", input="1. One.\n")
    assert diff.stdout.splitlines()[0] == f"<stdin> → {DRAFTS / '20-point.txt'}"


@pytest.mark.parametrize(
    "args",
    [
        ["points", "drafts/28-point.txt"],
        ["diff", "drafts/28-point.txt", "drafts/20-point.txt"],
        ["tag", "drafts/20-point.txt"],
        ["history", "drafts/28-point.txt", "drafts/20-point.txt"],
        ["report", "drafts/28-point.txt", "drafts/20-point.txt"],
    ],
)
def test_every_command_says_where_it_wrote(args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "out"
    result = run(*args, "-o", str(out))
    size = len(out.read_bytes()) // 1024 + 1
    assert result.stderr == f"plancmp: wrote {out} ({size} KB)\n"
    assert result.stdout == ""


# -- item 15: python -m, FORCE_COLOR, --full, --encoding ------------------------------------------------


def test_python_dash_m_plancmp_runs_the_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "plancmp", "points", "drafts/20-point.txt", "--no-color"],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
    )
    assert done.returncode == 0
    assert done.stdout.splitlines()[-1] == (
        "drafts/20-point.txt: 20 points, 3 sub-points, 7 headings, 2 paragraphs and 1 rule kept outside points"
    )


@pytest.mark.parametrize(
    ("env", "option", "coloured"),
    [
        ({}, None, False),  # not a terminal: plain
        ({"FORCE_COLOR": "1"}, None, True),
        ({"FORCE_COLOR": ""}, None, False),  # set but empty means unset
        ({"NO_COLOR": "1"}, "--color=always", True),  # an option wins over the environment
        ({"FORCE_COLOR": "1"}, "--no-color", False),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, None, True),  # as force-color.org has it
    ],
)
def test_force_color_forces_colour_as_no_color_removes_it(
    env: dict[str, str], option: str | None, coloured: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    args = ["points", str(DRAFTS / "20-point.txt")] + ([option] if option else [])
    result = run(*args, env=env)
    assert result.stdout.startswith("\x1b[2m[heading]") is coloured
    assert ("\x1b[" in result.stdout) is coloured


def test_points_full_prints_whole_texts(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    long = "Ukraine will keep its armed forces at a strength of 800,000 personnel in peacetime, " * 3
    draft.write_text(f"1. {long.strip()}\n\n   A second paragraph.\n2. Short.\n", encoding="utf-8")
    short = run("points", str(draft), "--no-color")
    assert short.stdout.splitlines()[0].endswith("…")
    full = run("points", str(draft), "--no-color", "--full")
    assert full.stdout.splitlines()[:3] == [
        f"1  1. {long.strip()}",
        "      A second paragraph.",
        "2  2. Short.",
    ]


def test_tag_full_prints_whole_texts(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text(
        "1. NATO will adopt a provision under which Ukraine is not to be admitted at any later date.\n\n"
        "   Nor will it station troops there.\n2. Elections follow.\n",
        encoding="utf-8",
    )
    result = run("tag", str(draft), "--no-color", "--full", "--only", "NATO")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[2:] == [
        ("1  [military size, NATO] NATO will adopt a provision under which Ukraine is not to be admitted at any "
        "later date."),
        "   Nor will it station troops there.",
    ]


def test_encoding_reads_a_latin_1_draft_it_would_refuse() -> None:
    refused = run("points", str(CORPUS / "latin1.txt"))
    assert refused.exit_code == 2
    assert refused.stderr.endswith("re-save it as UTF-8, or name its encoding (--encoding cp1252, --encoding latin-1)\n")
    result = run("points", str(CORPUS / "latin1.txt"), "--encoding", "latin-1", "--no-color")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:2] == ["1  1. Sécurité des frontières.", "2  2. Élections à venir, für alle."]


def test_encoding_is_checked_and_applied_to_every_text_draft(tmp_path: Path) -> None:
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_bytes("1. Les réfugiés rentrent chez eux.\n".encode("cp1252"))
    new.write_bytes("1. Les réfugiés rentrent chez eux d’ici 2026.\n".encode("cp1252"))
    result = run("diff", str(old), str(new), "--encoding", "cp1252", "--no-color")
    assert result.exit_code == 1
    assert "Les réfugiés rentrent chez eux{+ d’ici 2026+}." in result.stdout
    bad = run("points", str(old), "--encoding", "klingon")
    assert (bad.exit_code, bad.stderr) == (
        2,
        ("plancmp points: Invalid value for '--encoding': 'klingon' is not a text encoding; try utf-8, latin-1, "
        "cp1252 (Windows Western), cp1251 (Windows Cyrillic), koi8-u, utf-16 (see plancmp points -h)\n"),
    )
    wrong = run("points", str(old), "--encoding", "utf-8")
    assert (wrong.exit_code, wrong.stderr) == (
        2, f"plancmp: {old}: is not valid utf-8 text (undecodable byte at offset 8); check --encoding\n"
    )


# -- item 17: options that do not apply --------------------------------------------------------------


def test_original_on_a_text_draft_and_encoding_on_a_word_draft_say_where_they_apply() -> None:
    result = run("diff", str(DRAFTS / "28-point.txt"), str(DRAFTS / "20-point.docx"), "--original", "--no-color")
    assert result.exit_code == 1
    assert result.stderr == (
        f"plancmp: warning: --original applies to Word drafts (.docx) only, not to {DRAFTS / '28-point.txt'}\n"
    )
    result = run("points", str(DRAFTS / "20-point.docx"), "--encoding", "latin-1", "--no-color")
    assert result.exit_code == 0
    assert result.stderr == (
        f"plancmp: warning: --encoding applies to text and Markdown drafts only, not to {DRAFTS / '20-point.docx'}\n"
    )
    stdin = run("points", "-", "--original", input="1. One.\n")
    assert stdin.stderr == "plancmp: warning: --original applies to Word drafts (.docx) only, not to <stdin>\n"
