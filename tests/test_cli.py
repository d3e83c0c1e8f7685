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
        {"id": "2.a", "label": "a)", "text": "its sub-point.", "children": [], "line": 5, "auto_label": False, "tags": []}
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
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", f"plancmp: wrote {out} (1 KB)\n")
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
         ("no numbered points found; plancmp looks for labels such as '1.', '2)', '(a)', 'Article 3' "
          "at the start of a line (is it a scanned PDF, or unnumbered prose?)")),
        ("bin.txt", b"\x00\x01\x02\xff\xfe\x00\x13" * 50,
         "is a binary file (it contains NUL bytes), not a text draft; give a .txt, .md, .docx or .pdf draft"),
        ("scan.txt", b"%PDF-1.4\n...", "is a PDF, not a text draft; give it the .pdf extension"),
        ("draft.pdf", b"%PDF-1.4\n...", "is a damaged PDF (No /Root object! - Is this really a PDF?); re-save or print it to a new PDF and compare that"),
        ("draft.doc", b"\xd0\xcf\x11\xe0", "is a legacy Word .doc; open it in Word and save it as .docx"),
        # Word saves RTF and web pages under .doc too; and a .doc may be plain text renamed.
        ("rtf.doc", b"{\\rtf1\\ansi 1. One.}", "is an RTF document named .doc; open it in Word and save it as .docx"),
        ("page.doc", b"\n<HTML><body><p>1. One.</p></body></HTML>", "is a web page (HTML) named .doc; open it in Word and save it as .docx"),
        ("plain.doc", b"1. One.\n2. Two.\n", "is a text file named .doc; give it the .txt extension"),
        ("saved.doc", b"PK\x03\x04rest", ("is a zip archive (a Word file?), not a Word .doc; if it is a Word document, "
                                          "give it the .docx extension")),
        ("missing.doc", None, "no such file; check the path"),
        ("draft.xyz", b"1. One.", "has an unknown format (.xyz); plancmp reads .txt, .md, .docx and .pdf drafts (rename the file if it is one of these)"),
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
    assert result.output == f"plancmp: {tmp_path}: is a directory; give a draft file (.txt, .md, .docx or .pdf)\n"


def test_control_characters_from_a_draft_are_shown_escaped(tmp_path: Path) -> None:
    draft = tmp_path / "evil.txt"
    draft.write_text("1. Red \x1b[31mALERT\x1b[0m and \u202etxet desrever.\n", encoding="utf-8")
    result = run("points", str(draft), "--color", "always")
    assert "\x1b[31mALERT" not in result.output
    assert "\\x1b[31mALERT\\x1b[0m" in result.output
    assert "\u202e" not in result.output and "\\u202e" in result.output


ROOT = Path(__file__).resolve().parent.parent


def test_diff_without_arguments_prints_help_and_exits_2() -> None:
    result = run("diff")
    assert result.exit_code == 2
    assert result.output.startswith("Usage: cli diff [OPTIONS] [OLD] [NEW]\n")
    assert "Compare two drafts" in result.output


def test_standard_input_is_read_once() -> None:
    result = run("diff", "-", "-", input="1. One.\n")
    assert result.exit_code == 2
    assert result.output == "plancmp: standard input can be read only once; give at most one draft as -\n"


@pytest.mark.parametrize("option", ["--positions", "--rules"])
def test_output_never_overwrites_a_positions_or_rules_file(tmp_path: Path, option: str) -> None:
    a = tmp_path / "a.txt"
    a.write_text("1. One.\n", encoding="utf-8")
    settings = tmp_path / "settings.toml"
    content = '[[party]]\ncode = "UA"\n' if option == "--positions" else '[[topic]]\nname = "x"\nkeywords = ["one"]\n'
    settings.write_text(content, encoding="utf-8")
    result = run("diff", str(a), str(a), option, str(settings), "-o", str(settings))
    assert result.exit_code == 2
    assert result.output == f"plancmp: {settings}: is one of the inputs; refusing to write over it\n"
    assert settings.read_text(encoding="utf-8") == content


def test_diff_with_one_argument_is_a_usage_error(tmp_path: Path) -> None:
    result = run("diff", "a.txt")
    assert result.exit_code == 2
    assert "diff needs two drafts: plancmp diff OLD NEW" in result.output


def test_diff_exit_status_follows_diff(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("1. One.\n2. Two.\n", encoding="utf-8")
    b.write_text("1. One.\n2. Two, amended.\n", encoding="utf-8")
    same = run("diff", str(a), str(a), "--no-color")
    assert same.exit_code == 0
    assert same.output == (
        f"{a} → {a}\n2 → 2 points: 2 kept\nno differences\n"
        f"plancmp: warning: {a} and {a} are the same file: there can be no differences\n"
    )
    different = run("diff", str(a), str(b), "--no-color")
    assert different.exit_code == 1
    assert different.output == (
        f"{a} → {b}\n2 → 2 points: 2 kept (1 reworded)\n\n2 → 2  modified\n    Two{{+, amended+}}.\n"
    )


@pytest.mark.parametrize(
    ("pin", "message"),
    [
        ("6=44", "plancmp: --pin 6=44: the old draft ({a}) has no point 6; list its points with plancmp points {a}\n"),
        ("1=44", "plancmp: --pin 1=44: the new draft ({b}) has no point 44; list its points with plancmp points {b}\n"),
        ("1", "plancmp: --pin 1: write OLD=NEW, e.g. 6=4, 12=8+9 (split), 3+4=2 (merge), 26=- (dropped), -=10 (added)\n"),
    ],
)
def test_diff_bad_pins(tmp_path: Path, pin: str, message: str) -> None:
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("1. One.\n2. Two.\n", encoding="utf-8")
    b.write_text("1. One.\n2. Two.\n", encoding="utf-8")
    result = run("diff", str(a), str(b), "--pin", pin)
    assert result.exit_code == 2
    assert result.output == message.format(a=a, b=b)


def test_a_pin_on_a_missing_point_names_the_command_that_lists_them_quoted_for_the_shell(tmp_path: Path) -> None:
    a = tmp_path / "old draft.txt"
    b = tmp_path / "b.txt"
    a.write_text("1. One.\n2. Two.\n", encoding="utf-8")
    b.write_text("1. One.\n2. Two.\n", encoding="utf-8")
    result = run("diff", str(a), str(b), "--pin", "9=1")
    assert result.exit_code == 2
    assert result.output == f"plancmp: --pin 9=1: the old draft ({a}) has no point 9; list its points with plancmp points '{a}'\n"
    piped = run("diff", "-", str(b), "--pin", "9=1", input=a.read_text(encoding="utf-8"))
    assert piped.exit_code == 2
    assert piped.output == (
        "plancmp: --pin 9=1: the old draft (<stdin>) has no point 9; list its points with plancmp points - "
        "(piping the draft to it)\n"
    )


def test_a_pin_hint_lists_the_points_as_the_drafts_were_read(tmp_path: Path) -> None:
    # Read with --bullets, a draft's points are its bullets numbered by position: the command
    # that lists them must read it so too, or it shows other ids.
    a = tmp_path / "a.txt"
    a.write_text("Plan\n- First thing.\n- Second thing.\n", encoding="utf-8")
    result = run("diff", str(a), str(a), "--bullets", "--encoding", "cp1252", "--pin", "9=1")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        f"plancmp: --pin 9=1: the old draft ({a}) has no point 9; "
        f"list its points with plancmp points {a} --bullets --encoding cp1252"
    )
    # --original changes only what a Word draft reads: said for one, not for a text draft.
    from tests.docx_build import build_docx

    word = tmp_path / "w.docx"
    build_docx([("num", 0, "Army of {-600,000-}{+800,000+}.")], word)
    result = run("diff", str(word), str(a), "--original", "--pin", "9=1")
    assert result.output.splitlines()[-1] == (
        f"plancmp: --pin 9=1: the old draft ({word}) has no point 9; list its points with plancmp points {word} --original"
    )
    result = run("diff", str(a), str(word), "--original", "--pin", "9=1")
    assert result.output.splitlines()[-1].endswith(f"list its points with plancmp points {a}")


def test_diff_pin_twice(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text("1. One.\n2. Two.\n", encoding="utf-8")
    result = run("diff", str(a), str(a), "--pin", "1=2", "--pin", "1=1")
    assert result.exit_code == 2
    assert result.output == (
        "plancmp: --pin 1=1: old point 1 is already pinned by --pin 1=2; keep one of the two, or pin both as one: "
        "--pin 1=2+1\n"
    )


def test_diff_reader_errors_name_the_file(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text("1. One.\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("no numbers here\n", encoding="utf-8")
    result = run("diff", str(a), str(empty))
    assert result.exit_code == 2
    assert result.output.startswith(f"plancmp: {empty}: no numbered points found;")


def test_diff_only_filters_groups() -> None:
    result = run("diff", str(ROOT / "drafts/28-point.txt"), str(ROOT / "drafts/20-point.txt"), "--only", "split,added", "--no-color")
    assert result.exit_code == 1
    heads = [line for line in result.output.splitlines() if "→" in line and line[:1].isdigit() or line.startswith("—")]
    assert heads[1:] == ["12 → 8+9  split, renumbered  $800bn added", "— → 10  added"]
    bad = run("diff", "a", "b", "--only", "shuffled")
    assert bad.exit_code == 2
    assert "'shuffled' is not one of changed, modified, merged, split, dropped, added, moved, renumbered, unchanged" in bad.output


def test_only_finds_sub_points_inside_their_parents_and_leaves_out_the_unselected_preamble() -> None:
    args = ["diff", str(ROOT / "drafts/28-point.txt"), str(ROOT / "drafts/20-point.txt"), "--no-color"]
    dropped = run(*args, "--only", "dropped").output.splitlines()
    heads = [line.strip() for line in dropped if "→" in line and line.strip()[:1].isdigit() and "points" not in line]
    # Point 12 was split, not dropped, but three of its sub-points were: it is shown, with them.
    assert [h for h in heads if h.startswith("12")] == [
        "12 → 8+9  split, renumbered  $800bn added",
        "12.a → 9.c  modified, renumbered, moved",
        "12.b → 9.a  modified, renumbered",
        "12.c → 9.b  modified, renumbered",
        "12.d → —  dropped",
        "12.e → —  dropped",
        "12.f → —  dropped",
    ]
    assert not any(line.startswith("outside the points") for line in dropped)
    merged = run(*args, "--only", "merged").output
    assert merged.endswith("\n\nno groups match the filter\n") and "outside the points" not in merged
    changed = run(*args, "--only", "changed").output
    assert "\noutside the points  modified" in changed


def test_diff_json_keeps_the_contract() -> None:
    result = run("diff", str(ROOT / "drafts/28-point.txt"), str(ROOT / "drafts/20-point.txt"), "--format", "json")
    data = json.loads(result.output)
    assert set(data) >= {"schema_version", "old", "new", "alignment", "summary"}
    six = next(g for g in data["alignment"] if g["old"] == ["6"])
    assert {k: six[k] for k in ("old", "new", "status", "renumbered", "moved")} == {
        "old": ["6"], "new": ["4"], "status": "modified", "renumbered": True, "moved": False,
    }
    assert six["changes"][0] == {
        "kind": "number", "old": "600,000 personnel", "new": "800,000 personnel",
        "summary": "600,000 personnel → 800,000 personnel", "substantive": True,
    }
    assert "".join(e["text"] for e in six["edits"] if e["op"] != "insert") == next(
        p["text"] for p in data["old"]["points"] if p["id"] == "6"
    )
    assert data["summary"]["dropped"] == 10 and data["summary"]["split"] == 1


def test_tag_only_contested_and_bad_positions_file(tmp_path: Path) -> None:
    result = run("tag", str(ROOT / "drafts/20-point.txt"), "--positions", str(ROOT / "drafts/positions.toml"),
                 "--only", "contested", "--no-color")
    assert result.exit_code == 0
    ids = [line.split()[0] for line in result.output.splitlines()[2:] if line[:1].isdigit()]
    assert ids == ["4", "14"]
    bad = tmp_path / "p.toml"
    bad.write_text('[[party]]\ncode = "UA"\n\n[[position]]\nparty = "UK"\nstance = "rejects"\ndraft = "20-point"\npoint = "4"\n', encoding="utf-8")
    result = run("tag", str(ROOT / "drafts/20-point.txt"), "--positions", str(bad))
    assert result.exit_code == 2
    # "UK" is not a spelling of "UA" (it is another country): no suggestion.
    assert result.output == f"plancmp: {bad}:5: unknown party 'UK'; the parties are UA\n"
    missing = tmp_path / "q.toml"
    missing.write_text('[[party]]\ncode = "UA"\n\n[[position]]\nparty = "UA"\nstance = "rejects"\ndraft = "20-point"\npoint = "44"\n', encoding="utf-8")
    result = run("diff", str(ROOT / "drafts/28-point.txt"), str(ROOT / "drafts/20-point.txt"), "--positions", str(missing))
    assert result.exit_code == 2
    assert result.output == f"plancmp: {missing}:4: point 44 is not in 20-point (its points run 1–20); nearest: 4, 14\n"


def test_history_bad_input(tmp_path: Path) -> None:
    one = run("history", str(ROOT / "drafts/28-point.txt"))
    assert one.exit_code == 2
    assert one.output == "plancmp: history needs at least two drafts, oldest first (or --negotiation FILE)\n"
    twice = run("history", str(ROOT / "drafts/28-point.txt"), str(ROOT / "drafts/28-point.txt"), str(ROOT / "drafts/20-point.txt"))
    assert twice.exit_code == 2
    assert twice.output == f"plancmp: {ROOT / 'drafts/28-point.txt'} is given twice in a row; each step compares two different drafts\n"
    negotiation = tmp_path / "negotiation.toml"
    negotiation.write_text('[[draft]]\nfile = "a.txt"\n\n[[draft]]\nfile = "missing.txt"\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text("1. One.\n", encoding="utf-8")
    result = run("history", "--negotiation", str(negotiation))
    assert result.exit_code == 2
    assert result.output == (
        f"plancmp: {negotiation}:5: draft 'missing.txt' does not exist (looked for {tmp_path / 'missing.txt'}); "
        "fix the path or add the file\n"
    )


def test_history_json_lists_lineages() -> None:
    result = run("history", "--negotiation", str(ROOT / "drafts/negotiation.toml"), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert [d["label"] for d in data["drafts"]] == ["28-point", "28-point European", "19-point Geneva", "20-point"]
    six = next(lin for lin in data["lineages"] if lin["ids"][0] == ["6"])
    assert six["ids"] == [["6"], ["6"], ["4"], ["4"]]
    assert six["steps"][0]["groups"][0]["changes"][0]["summary"] == "600,000 personnel → 800,000 personnel"
    assert data["summary"] == {
        "lineages": 28, "through": 18, "restored": 0, "dropped": 9, "new": 1, "transient": 0, "disagreements": 0
    }


def test_output_file_gets_ordinary_permissions(tmp_path: Path) -> None:
    import os
    import stat

    draft = tmp_path / "d.txt"
    draft.write_text(SMALL, encoding="utf-8")
    out = tmp_path / "points.json"
    umask = os.umask(0o022)
    try:
        assert run("points", str(draft), "--format", "json", "-o", str(out)).exit_code == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o644
        out.chmod(0o640)
        assert run("points", str(draft), "--format", "json", "-o", str(out)).exit_code == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o640
    finally:
        os.umask(umask)


def test_only_shows_every_group_it_selects(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("1. Alpha point text here.\n2. Bravo point text here.\n3. Charlie point text here.\n", encoding="utf-8")
    b.write_text("1. Alpha point text here.\n2. Charlie point text here.\n3. Bravo point text here.\n", encoding="utf-8")
    unchanged = run("diff", str(a), str(b), "--only", "unchanged", "--no-color")
    heads = [line for line in unchanged.output.splitlines() if line[:1].isdigit() and "→" in line and "points" not in line]
    assert heads == ["1 → 1  unchanged", "2 → 3  unchanged, renumbered, moved", "3 → 2  unchanged, renumbered"]
    changed = run("diff", str(a), str(b), "--only", "changed", "--no-color")
    heads = [line for line in changed.output.splitlines() if line[:1].isdigit() and "→" in line and "points" not in line]
    assert heads == ["2 → 3  unchanged, renumbered, moved", "3 → 2  unchanged, renumbered"]


def test_tag_only_is_checked_split_and_applied_to_json() -> None:
    args = ["tag", str(ROOT / "drafts/20-point.txt"), "--positions", str(ROOT / "drafts/positions.toml")]
    data = json.loads(run(*args, "--only", "contested,nuclear plant", "--format", "json").output)
    assert [p["id"] for p in data["points"]] == ["4", "12", "14"]
    assert {a["plancmp"]["points"][0] for a in data["annotations"] if a["plancmp"]["points"]} == {"4", "12", "14"}
    bad = run(*args, "--only", "contestd")
    assert bad.exit_code == 2
    assert bad.output.startswith("plancmp: --only contestd: not a tag; tags are contested, bracketed, military size,")
    assert bad.output.endswith("(did you mean 'contested'?)\n")


def test_history_changed_applies_to_json_too(tmp_path: Path) -> None:
    texts = ["1. Alpha point text here.\n2. Bravo point text here.\n3. Charlie point text here.\n",
             "1. Alpha point text here.\n2. Bravo point text here, amended.\n3. Charlie point text here.\n",
             "1. Alpha point text here.\n2. Bravo point text here, amended.\n3. Charlie point text here.\n4. Delta.\n"]
    paths = []
    for k, text in enumerate(texts):
        path = tmp_path / f"d{k}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    every = json.loads(run("history", *paths, "--format", "json").output)
    changed = json.loads(run("history", *paths, "--format", "json", "--changed").output)
    assert [lin["path"] for lin in every["lineages"]] == ["1 → 1 → 1", "2 → 2 → 2", "3 → 3 → 3", "— → — → 4 (new)"]
    assert [lin["path"] for lin in changed["lineages"]] == ["2 → 2 → 2", "— → — → 4 (new)"]


def test_json_output_escapes_bidi_and_c1_characters(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text("1. Text with \u202e reversed and \x9b CSI.\n", encoding="utf-8")
    result = run("points", str(draft), "--format", "json")
    assert not any(ch in result.output for ch in "\u202e\x9b")
    assert "\\u202e" in result.output and "\\u009b" in result.output
    assert json.loads(result.output)["points"][0]["text"] == "Text with \u202e reversed and \x9b CSI."
    # DEL is the one such character in ASCII: an ASCII draft is looked at too.
    draft.write_text("1. Text with \x7f DEL.\n", encoding="utf-8")
    result = run("points", str(draft), "--format", "json")
    assert "\x7f" not in result.output and json.loads(result.output)["points"][0]["text"] == "Text with \x7f DEL."


def test_the_same_file_twice_is_no_differences_with_a_warning_and_report_reads_stdin_once(tmp_path: Path) -> None:
    draft = tmp_path / "a.txt"
    draft.write_text("1. Alpha.\n2. Bravo.\n", encoding="utf-8")
    same = run("diff", str(draft), str(tmp_path / "." / "a.txt"), "--no-color")
    assert same.exit_code == 0
    assert same.output.splitlines()[-1] == (
        f"plancmp: warning: {draft} and {tmp_path / '.' / 'a.txt'} are the same file: there can be no differences"
    )
    twice = run("report", "-", "-", "-o", str(tmp_path / "r.html"), input="1. Alpha.\n")
    assert (twice.exit_code, twice.output) == (2, "plancmp: standard input can be read only once; give at most one draft as -\n")
    assert not (tmp_path / "r.html").exists()


def test_usage_errors_are_one_line_naming_the_command_and_its_help() -> None:
    cases = [
        (["diff", "old.txt"], "cli diff: diff needs two drafts: plancmp diff OLD NEW (see cli diff -h)\n"),
        (["diff", "a", "b", "--format", "xml"],
         "cli diff: Invalid value for '--format': 'xml' is not one of 'terminal', 'text', 'json', 'markdown', 'html'. (see cli diff -h)\n"),
        (["diff", "a", "b", "--xyzzy"], "cli diff: No such option '--xyzzy'. (see cli diff -h)\n"),
        (["nope"], "cli: No such command 'nope'. (see cli -h)\n"),
    ]
    for args, message in cases:
        result = run(*args)
        assert (result.exit_code, result.output) == (2, message)


def test_history_changed_keeps_a_point_whose_only_change_is_a_reference_left_behind(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("1. Under point 3, the Commission reports monthly.\n2. Alpha provisions on fisheries.\n"
                 "3. Bravo provisions on trade.\n", encoding="utf-8")
    b.write_text("1. Under point 3, the Commission reports monthly.\n2. Bravo provisions on trade.\n", encoding="utf-8")
    result = run("history", str(a), str(b), "--changed", "--no-color")
    assert result.exit_code == 0
    assert result.output.split("\n\n", 1)[1] == (
        "1 → 1\n    b: 1 → 1 unchanged · reference not updated: point 3 (point 3 is now 2)\n\n"
        "2 → —\n    b: 2 → — dropped\n\n"
        "3 → 2\n    b: 3 → 2 unchanged, renumbered\n"
    )


def test_points_on_a_word_draft_says_what_revisions_and_comments_it_holds(tmp_path: Path) -> None:
    from tests.docx_build import CommentSpec, build_docx

    draft = tmp_path / "d.docx"
    build_docx(
        [("num", 0, "Army of {-600,000-}{+800,000+}."), ("num", 0, "[[c1]]Elections.[[/c1]]")],
        draft,
        comments={"c1": CommentSpec("Ukraine", "Too soon.")},
    )
    accepted = CliRunner().invoke(cli, ["points", str(draft), "--no-color"])
    assert accepted.exit_code == 0
    assert accepted.stderr == (
        f"plancmp: {draft} holds 2 tracked changes and 1 comment; read with all changes accepted "
        "(--original reads the text before them)\n"
    )
    assert accepted.stdout.startswith("1  1. Army of 800,000.\n")
    original = CliRunner().invoke(cli, ["points", str(draft), "--original", "--no-color"])
    assert original.stderr == (
        f"plancmp: {draft} holds 2 tracked changes and 1 comment; read as it was before the changes "
        "(without --original, all are accepted)\n"
    )
    assert original.stdout.startswith("1  1. Army of 600,000.\n")
    clean = tmp_path / "clean.docx"
    build_docx([("num", 0, "Elections.")], clean)
    assert CliRunner().invoke(cli, ["points", str(clean)]).stderr == ""


def test_bullets_option_reads_bullets_as_points_in_every_command(tmp_path: Path) -> None:
    old = tmp_path / "old.txt"
    new = tmp_path / "new.txt"
    old.write_text("1. Talks resumed.\n\n- Ceasefire.\n- Prisoners.\n", encoding="utf-8")
    new.write_text("1. Talks resumed.\n\n- Ceasefire.\n- Prisoners, all for all.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["points", str(old), "--bullets", "--no-color"])
    assert result.exit_code == 0
    assert result.stdout == (
        "[paragraph] 1. Talks resumed.\n"
        "1  - Ceasefire.\n"
        "2  - Prisoners.\n"
        "\n"
        f"{old}: 2 points, 1 paragraph kept outside points\n"
    )
    assert result.stderr == f"plancmp: warning: {old}: --bullets: read its 2 bulleted items as points numbered by position\n"
    for command in (["diff"], ["history"], ["report", "-o", str(tmp_path / "r.html")]):
        result = CliRunner().invoke(cli, [*command, str(old), str(new), "--bullets"])
        assert result.exit_code in (0, 1), (command, result.output)
    tagged = CliRunner().invoke(cli, ["tag", str(old), "--bullets"])
    assert tagged.exit_code == 0 and "Prisoners." in tagged.stdout


def test_bullets_on_a_numbered_draft_says_there_are_no_bullets(tmp_path: Path) -> None:
    draft = tmp_path / "numbered.txt"
    draft.write_text("1. Ceasefire.\n2. Prisoners.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["points", str(draft), "--bullets"])
    assert (result.exit_code, result.stderr) == (2, (
        f"plancmp: {draft}: no bulleted items found; --bullets reads the items marked with a bullet "
        "('•', '-', '*', …) as the points (leave it off to read numbered points)\n"))


def _a_bug(*args: object, **kwargs: object) -> None:
    raise TypeError("unsupported operand type(s) for +: 'int' and 'str'\nsecond line")


def test_a_bug_is_one_line_saying_so_and_where_to_report_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import plancmp.compare

    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(SMALL, encoding="utf-8")
    b.write_text(SMALL.replace("First", "Only"), encoding="utf-8")
    out = tmp_path / "out.json"
    monkeypatch.setattr(plancmp.compare, "compare", _a_bug)
    monkeypatch.delenv("PLANCMP_DEBUG", raising=False)
    result = run("diff", str(a), str(b), "--format", "json", "-o", str(out))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "plancmp: internal error (TypeError: unsupported operand type(s) for +: 'int' and 'str'); "
        "this is a bug in plancmp: please report it to the plancmp maintainers with this line and the "
        "command you ran (PLANCMP_DEBUG=1 shows the traceback)\n"
    )
    assert not out.exists()


def test_plancmp_debug_shows_the_traceback_of_a_bug(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import plancmp.parse

    (tmp_path / "a.txt").write_text(SMALL, encoding="utf-8")
    monkeypatch.setattr(plancmp.parse, "load_document", _a_bug)
    monkeypatch.setenv("PLANCMP_DEBUG", "1")
    result = run("points", str(tmp_path / "a.txt"))
    assert isinstance(result.exception, TypeError)


@pytest.mark.parametrize(
    ("args", "unwanted"),
    [
        (["--version"], ["numpy", "scipy", "jinja2"]),
        (["points", "drafts/28-point.txt"], ["numpy", "scipy", "jinja2"]),
        # numpy is how points are compared; its masked arrays, scipy and Jinja2 are not needed.
        (["diff", "drafts/28-point.txt", "drafts/20-point.txt"], ["numpy.ma", "scipy", "jinja2"]),
    ],
    ids=["version", "points", "diff"],
)
def test_small_commands_start_without_the_heavy_imports(args: list[str], unwanted: list[str]) -> None:
    import subprocess
    import sys

    script = (
        "import sys\nfrom plancmp.cli import cli\n"
        f"try:\n    cli({args!r}, prog_name='plancmp')\nexcept SystemExit as stop:\n    status = stop.code\n"
        f"print(status, [m for m in {unwanted!r} if m in sys.modules], file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False)
    # The command did its work (0, or 1 for drafts that differ), without those modules.
    assert done.stderr.splitlines()[-1] == ("1 []" if args[0] == "diff" else "0 []"), done.stderr
    assert done.stdout.strip()


@pytest.mark.parametrize("command", [["diff"], ["report"], ["redline"]])
def test_an_output_in_a_folder_that_does_not_exist_says_to_create_it(command: list[str], tmp_path: Path) -> None:
    folder = tmp_path / "no such dir"
    out = folder / ("out.docx" if command == ["redline"] else "out.html" if command == ["report"] else "out.txt")
    result = CliRunner().invoke(cli, [*command, str(ROOT / "drafts/28-point.txt"), str(ROOT / "drafts/20-point.txt"), "-o", str(out)])
    assert (result.exit_code, result.output) == (
        2, f"plancmp: {out}: cannot be written: folder {folder} does not exist; create it first (mkdir -p '{folder}')\n"
    )
    assert not folder.exists()


def test_an_output_under_a_file_says_the_file_is_no_folder(tmp_path: Path) -> None:
    (tmp_path / "report.html").write_text("kept", encoding="utf-8")
    out = tmp_path / "report.html" / "out.txt"
    result = CliRunner().invoke(cli, ["diff", str(ROOT / "drafts/28-point.txt"), str(ROOT / "drafts/20-point.txt"), "-o", str(out)])
    assert (result.exit_code, result.output) == (
        2, f"plancmp: {out}: cannot be written: {tmp_path / 'report.html'} is a file, not a folder\n"
    )
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == "kept"


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["diff", "--format", "json", "drafts/28-point.txt", "drafts/20-point.txt"], 1),
        (["diff", "drafts/28-point.txt", "drafts/28-point.txt"], 0),
        (["points", "drafts/no such draft.txt"], 2),
    ],
    ids=["differ", "same", "bad input"],
)
def test_the_command_ends_with_its_status_and_every_line_it_wrote(args: list[str], status: int) -> None:
    import subprocess
    import sys

    # The console script leaves without Python's teardown (cli._leave_now): everything it wrote
    # must still come out, whole, and the process end with the command's status.
    done = subprocess.run([sys.executable, "-m", "plancmp", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    expected = CliRunner().invoke(cli, [str(ROOT / a) if a.startswith("drafts/") else a for a in args])
    assert done.returncode == expected.exit_code == status
    assert done.stdout == expected.stdout.replace(str(ROOT) + "/", "")
    assert done.stderr == expected.stderr.replace(str(ROOT) + "/", "")
    if status == 1:
        assert len(done.stdout) > 60_000  # many times the 8 KB buffered at a time


def test_what_runs_at_exit_still_runs_and_a_closed_stream_changes_no_status(tmp_path: Path) -> None:
    import subprocess
    import sys

    old, same = str(ROOT / "drafts/28-point.txt"), str(ROOT / "drafts/28-point.txt")
    driver = (
        "import atexit, sys\nfrom plancmp.cli import main\n"
        "atexit.register(lambda: print('driver done', file=sys.stderr))\n"
        "sys.argv = ['plancmp', *sys.argv[1:]]\nmain()\n"
    )
    done = subprocess.run([sys.executable, "-c", driver, "points", old], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (0, "driver done\n")
    # stderr closed (2>&-): Python has no sys.stderr then; identical drafts still say 0, not 1.
    quiet = f"{sys.executable} -m plancmp diff {old} {same} -o {tmp_path / 'out.txt'} 2>&-"
    assert subprocess.run(["bash", "-c", quiet], cwd=ROOT, check=False).returncode == 0
    # A profiler attached gets to write its profile.
    profile = tmp_path / "prof.out"
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "plancmp", "points", old],
                   cwd=ROOT, capture_output=True, check=False)
    assert profile.stat().st_size > 0


def test_drafts_that_differ_exit_1_when_the_reader_leaves_early(tmp_path: Path) -> None:
    import subprocess
    import sys

    # A JSON diff of several hundred KB: the reader (head) leaves long before the end.
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text("".join(f"{k}. The parties shall keep provision {k} of {'this plan ' * 40}.\n" for k in range(1, 301)))
    new.write_text("".join(f"{k}. The parties may keep provision {k} of {'this plan ' * 40}.\n" for k in range(1, 301)))
    line = f"{sys.executable} -m plancmp diff --format json {old} {new} | head -c 100 >/dev/null; echo ${{PIPESTATUS[0]}}"
    done = subprocess.run(["bash", "-c", line], cwd=ROOT, capture_output=True, text=True, check=False)
    assert (done.stdout, done.stderr) == ("1\n", "")
