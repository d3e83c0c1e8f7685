"""The command line as a new user meets it: Ctrl-C, standard input, colour, whole texts, encodings."""

from __future__ import annotations

import os
import shlex
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
        # `python -m plancmp`, with the SIGINT handling a terminal gives it: a runner that ignores
        # SIGINT (a background job, a test harness) passes that on, and Python leaves an ignored
        # SIGINT ignored. (Not preexec_fn, which is unsafe once Dask tests have started threads.)
        [sys.executable, "-c", "import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
         "sys.argv[0] = 'plancmp'; runpy.run_module('plancmp', run_name='__main__', alter_sys=True)",
         "points", str(fifo), "-o", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
    )
    try:
        writer = os.open(fifo, os.O_WRONLY)  # returns once plancmp has opened the FIFO to read it
        os.write(writer, b"1. A first point that never ends")
        proc.send_signal(signal.SIGINT)
        # Closing the FIFO ends a read that began just after the signal was handled (Python checks
        # for it between steps, so a read already under way would otherwise wait for ever).
        os.close(writer)
        stdout, stderr = proc.communicate(timeout=60)
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
        2, f"plancmp: {old}: is not valid utf-8 (byte 8); check --encoding\n"
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
        f"plancmp: {DRAFTS / '20-point.docx'} holds 2 tracked changes and 1 comment; read with all changes accepted "
        "(--original reads the text before them)\n"
    )
    stdin = run("points", "-", "--original", input="1. One.\n")
    assert stdin.stderr == "plancmp: warning: --original applies to Word drafts (.docx) only, not to <stdin>\n"


# -- item 11: names that are not there -------------------------------------------------------------


def _positions(tmp_path: Path, draft: str) -> Path:
    path = tmp_path / "positions.toml"
    path.write_text(
        '[[party]]\ncode = "RU"\nname = "Russia"\n\n'
        f'[[position]]\nparty = "RU"\nstance = "rejects"\ndraft = "{draft}"\npoint = "4"\n',
        encoding="utf-8",
    )
    return path


def test_a_position_on_a_misspelt_draft_is_refused_with_the_name_it_meant(tmp_path: Path) -> None:
    positions = _positions(tmp_path, "21-point")
    result = run("diff", str(DRAFTS / "28-point.txt"), str(DRAFTS / "20-point.txt"), "--positions", str(positions))
    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", (f"plancmp: {positions}:5: draft '21-point' is none of the drafts read here (28-point, 20-point); "
        "did you mean '20-point'?\n"),
    )
    tagged = run("tag", str(DRAFTS / "20-point.txt"), "--positions", str(positions))
    assert tagged.exit_code == 2
    assert tagged.stderr.endswith("draft '21-point' is none of the drafts read here (20-point); did you mean '20-point'?\n")


def test_a_position_on_an_unknown_draft_is_a_warning_and_one_on_a_draft_beside_them_is_quiet(tmp_path: Path) -> None:
    positions = _positions(tmp_path, "Moscow counter-draft")
    result = run("tag", str(DRAFTS / "20-point.txt"), "--positions", str(positions), "--no-color")
    assert result.exit_code == 0
    assert result.stderr == (
        f"plancmp: warning: {positions}:5: draft 'Moscow counter-draft' is none of the drafts read here (20-point) "
        "nor a file beside them; its position is listed as stated on a draft not read here\n"
    )
    assert result.stdout.splitlines()[-1] == (
        "  ▲ Russia rejects (stated on Moscow counter-draft, point 4; a draft not read here)"
    )
    # 28-point.txt lies beside 20-point.txt: a position on it, tagging 20-point, is expected.
    beside = run("tag", str(DRAFTS / "20-point.txt"), "--positions", str(_positions(tmp_path, "28-point")))
    assert (beside.exit_code, beside.stderr) == (0, "")


def test_tag_only_is_case_blind_in_its_hint_and_contested_asks_for_positions() -> None:
    result = run("tag", str(DRAFTS / "20-point.txt"), "--only", "nato")
    assert result.exit_code == 2
    assert result.stderr.endswith("(did you mean 'NATO'?)\n")
    contested = run("tag", str(DRAFTS / "20-point.txt"), "--only", "contested", "--no-color")
    assert contested.exit_code == 0
    assert contested.stderr == (
        "plancmp: warning: --only contested shows points a party objects to, rejects or reserves: add --positions FILE\n"
    )
    assert contested.stdout.splitlines()[-1] == "no points match the filter"


# -- item 14: the same options on every command ----------------------------------------------------------


CHAIN = [str(DRAFTS / name) for name in ("28-point.txt", "19-point-geneva.txt", "20-point.txt")]


def test_history_only_takes_the_diff_vocabulary_and_changed_is_its_alias() -> None:
    split = run("history", *CHAIN, "--only", "split", "--no-color")
    assert split.exit_code == 0
    assert split.stdout.splitlines()[2:] == [
        "",
        "12 → 8 → 8+9",
        "    19-point-geneva: 12 → 8 unchanged, renumbered",
        "    20-point: 8 → 8+9 split · $800bn added",
    ]
    assert run("history", *CHAIN, "--changed").stdout == run("history", *CHAIN, "--only", "changed").stdout
    both = run("history", *CHAIN, "--only", "split,added", "--format", "json")
    assert [lineage["path"] for lineage in __import__("json").loads(both.stdout)["lineages"]] == [
        "12 → 8 → 8+9", "— → — → 10 (new)"
    ]
    bad = run("history", *CHAIN, "--only", "chnged")
    assert (bad.exit_code, bad.stderr) == (
        2,
        ("plancmp history: Invalid value for --only: 'chnged' is not one of changed, modified, merged, split, "
        "dropped, added, moved, renumbered, unchanged, contested (see plancmp history -h)\n"),
    )
    none = run("history", *CHAIN, "--only", "merged", "--no-color")
    assert none.stdout.splitlines()[-1] == "no points match the filter"


def test_history_pins_a_pair_and_in_a_chain_names_the_step() -> None:
    two = run("history", CHAIN[0], CHAIN[-1], "--pin", "16=5", "--only", "moved", "--no-color")
    assert two.exit_code == 0
    assert "16 → 5" in two.stdout.splitlines()
    assert ("    20-point: 16 → 5 modified, renumbered, moved, pinned · moved: was after 15, now after 4; deadline added: "
            "at once; condition added: if Ukraine invades Russia or; condition added: If Russia invades Ukraine; "
            "party now named: NATO; party now "
            "named: United States; reference added: point 3") in two.stdout.splitlines()
    chain = run("history", *CHAIN, "--pin", "20-point:9=5", "--only", "moved", "--no-color")
    assert "16 → 9 → 5" in chain.stdout.splitlines()
    unnamed = run("history", *CHAIN, "--pin", "9=5")
    assert (unnamed.exit_code, unnamed.stderr) == (
        2, ("plancmp: --pin 9=5: with more than two drafts, name the draft the step leads to: "
        "--pin '20-point:9=5' links 19-point-geneva 9 to 20-point 5\n"),
    )
    first = run("history", *CHAIN, "--pin", "28-point:9=5")
    assert first.stderr == (
        "plancmp: --pin 28-point:9=5: 28-point is the first draft; name the draft the step leads to "
        "(--pin '19-point-geneva:9=5' links 28-point to 19-point-geneva)\n"
    )
    typo = run("history", *CHAIN, "--pin", "20-pont:9=5")
    assert typo.stderr == (
        "plancmp: --pin 20-pont:9=5: no draft is called '20-pont'; the drafts are 28-point, 19-point-geneva, "
        "20-point (did you mean '20-point'?)\n"
    )
    missing = run("history", *CHAIN, "--pin", "20-point:99=5")
    assert missing.stderr == (
        f"plancmp: --pin 20-point:99=5: the old draft ({CHAIN[1]}) has no point 99; "
        f"list its points with plancmp points {shlex.quote(CHAIN[1])}\n"
    )
    report = run("report", *CHAIN, "--pin", "20-point:9=5", "-o", "-")
    assert report.exit_code == 0 and "16 → 9 → 5" in report.stdout


def test_history_rules_add_each_rows_topics() -> None:
    plain = run("history", *CHAIN, "--only", "split", "--format", "markdown")
    assert plain.stdout.splitlines()[-1] == (
        "| 12 | 8 | 8+9 | 19-point-geneva: 12 → 8 unchanged, renumbered<br>20-point: 8 → 8+9 split"
        " · $800bn added |"
    )
    rules = run("history", *CHAIN, "--only", "split", "--format", "markdown", "--rules",
                str(ROOT / "plancmp/data/topics.toml"))
    assert rules.stdout.splitlines()[-1] == (
        "| 12 | 8 | 8+9 | 19-point-geneva: 12 → 8 unchanged, renumbered<br>20-point: 8 → 8+9 split"
        " · $800bn added<br>topics: reconstruction |"
    )


@pytest.mark.parametrize(
    ("args", "instead"),
    [
        (["points", "drafts/20-point.txt"], "plancmp report OLD NEW -o report.html compares two drafts"),
        (["diff", "drafts/28-point.txt", "drafts/20-point.txt"],
         "plancmp report OLD NEW -o report.html (it takes the same --pin, --positions and --rules)"),
        (["tag", "drafts/20-point.txt"], "plancmp report OLD NEW -o report.html compares two drafts, with their tags"),
        (["history", "drafts/28-point.txt", "drafts/20-point.txt"],
         "plancmp report D1 D2 D3 … -o history.html (or --negotiation FILE)"),
    ],
)
def test_format_names_are_the_same_everywhere(args: list[str], instead: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    html = run(*args, "--format", "html")
    assert (html.exit_code, html.stdout, html.stderr) == (
        2, "", f"plancmp: --format html: HTML pages are written by plancmp report: {instead}\n"
    )
    assert run(*args, "--format", "text").stdout == run(*args, "--format", "terminal", "--no-color").stdout
    markdown = run(*args, "--format", "markdown")
    assert markdown.exit_code in (0, 1)
    assert markdown.stdout.startswith("## ")


def test_points_and_tag_in_markdown() -> None:
    points = run("points", str(DRAFTS / "20-point.txt"), "--format", "markdown").stdout.splitlines()
    assert points[:4] == [f"## {DRAFTS / '20-point.txt'}", "",
                          "20 points, 3 sub-points, 7 headings, 2 paragraphs and 1 rule kept outside points", ""]
    assert "- `4` 4\\. Ukraine will keep its armed forces at a strength of 800,000 personnel in peacetime." in points
    assert "  - `9.a` a) a fund to renew infrastructure and the gas network, its pipelines and storage;" in points
    tags = run("tag", str(DRAFTS / "20-point.txt"), "--format", "markdown", "--only", "contested",
               "--positions", str(DRAFTS / "positions.toml")).stdout.splitlines()
    assert tags[4:6] == [
        ("- `4` · contested, military size · 4\\. Ukraine will keep its armed forces at a strength of 800,000 "
        "personnel in peacetime."),
        ("  - ▲ Russia rejects (stated on 20-point, point 4, 2025-12-28): Will \"reassess\" its position; will not "
        "accept the size of Ukraine's post-war army."),
    ]


# -- item 12: a negotiation file's dates ------------------------------------------------------------------


def _negotiation(tmp_path: Path, dates: tuple[str, str, str]) -> Path:
    path = tmp_path / "negotiation.toml"
    tables = "".join(
        f'[[draft]]\nfile = "{DRAFTS / name}"\nlabel = "{name.removesuffix(".txt")}"\n{date}\n\n'
        for name, date in zip(("28-point.txt", "19-point-geneva.txt", "20-point.txt"), dates)
    )
    path.write_text(tables, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("date", "shown"),
    [('date = "24 December 2025"', "'24 December 2025'"), ("date = 2025", "2025"), ('date = "2025-02-30"', "'2025-02-30'")],
)
def test_a_negotiation_files_dates_must_be_dates(tmp_path: Path, date: str, shown: str) -> None:
    path = _negotiation(tmp_path, ("date = 2025-11-20", date, ""))
    result = run("history", "--negotiation", str(path))
    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", (f"plancmp: {path}:9: date {shown} is not a date; write it as a TOML date (date = 2025-12-24) or an "
        'ISO date (date = "2025-12-24", "2025-12" or "2025")\n'),
    )


def test_drafts_out_of_date_order_are_read_with_a_warning(tmp_path: Path) -> None:
    path = _negotiation(tmp_path, ("date = 2025-11-20", 'date = "2025-11"', "date = 2025-10-01T12:00:00"))
    result = run("history", "--negotiation", str(path), "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == (
        f"plancmp: warning: {path}:14: draft '20-point' is dated 2025-10-01, before '19-point-geneva' (2025-11) "
        "listed above it; drafts are compared in the order listed, oldest first\n"
    )
    drafts = __import__("json").loads(result.stdout)["drafts"]
    assert [d["date"] for d in drafts] == ["2025-11-20", "2025-11", "2025-10-01"]


# -- item 16: where a point moved, in every format ---------------------------------------------------------


def test_moves_say_where_in_terminal_markdown_and_json() -> None:
    pair = [str(DRAFTS / "28-point.txt"), str(DRAFTS / "20-point.txt")]
    terminal = run("diff", *pair, "--only", "moved", "--no-color").stdout.splitlines()
    at = terminal.index("probably 16 → 6 (reworded; 0.60)  modified, renumbered, moved")
    assert terminal[at + 1] == "    moved: was after 15, now after 5"
    assert terminal[terminal.index("  12.a → 9.c  modified, renumbered, moved") + 1] == "      moved: was first, now after 9.b"
    markdown = run("diff", *pair, "--only", "moved", "--format", "markdown").stdout.splitlines()
    assert markdown[markdown.index("### probably 16 → 6 (reworded; 0.60) · modified, renumbered, moved") + 2] == (
        "- moved: was after 15, now after 5"
    )
    data = __import__("json").loads(run("diff", *pair, "--format", "json").stdout)
    moved = {(tuple(g["old"]), tuple(g["new"])): g["move"] for g in data["alignment"]}
    assert moved[("16",), ("6",)] == {"old_after": "15", "new_after": "5"}
    assert moved[("6",), ("4",)] is None
    split = next(g for g in data["alignment"] if g["old"] == ["12"])
    assert [c["move"] for c in split["children"] if c["moved"]] == [{"old_after": None, "new_after": "9.b"}]
    history = run("history", *CHAIN, "--only", "moved", "--no-color").stdout.splitlines()
    assert "    20-point: probably 9 → 6 (reworded; 0.58) modified, renumbered, moved · moved: was after 8, now after 5" in history


# -- item 21: dropped, then restored ------------------------------------------------------------------------


def test_history_shows_a_point_dropped_and_restored_as_one_row(tmp_path: Path) -> None:
    army = "Ukraine will keep its armed forces at 600,000 personnel."
    elections = "Elections will be held within 100 days of signing."
    assets = "Frozen Russian assets will fund reconstruction."
    texts = [[army, elections, assets], [army, assets], [army, assets], [army, elections, assets]]
    paths = []
    for name, points in zip("abcd", texts):
        path = tmp_path / f"{name}.txt"
        path.write_text("".join(f"{n}. {t}\n" for n, t in enumerate(points, 1)), encoding="utf-8")
        paths.append(str(path))
    result = run("history", *paths, "--only", "dropped", "--no-color")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "a → b → c → d",
        ("3 → 2 → 2 → 3 points; 3 lineages: 2 through to the last draft, 1 dropped and later restored, "
        "0 dropped on the way, 0 new"),
        "",
        "2 → — → — → 2 (restored)",
        "    b: 2 → — dropped",
        "    d: — → 2 added",
        "    ↺ dropped at b, restored at d, word for word",
    ]
    data = __import__("json").loads(run("history", *paths, "--format", "json").stdout)
    assert [(lineage["path"], lineage["restored"]) for lineage in data["lineages"]] == [
        ("1 → 1 → 1 → 1", False), ("2 → — → — → 2 (restored)", True), ("3 → 2 → 2 → 3", False)
    ]
    assert data["summary"]["restored"] == 1
