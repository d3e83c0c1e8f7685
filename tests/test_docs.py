"""The documentation's examples run as written: the README's and --help's commands against the
bundled drafts exit as documented, and the output the README and the renderers' docstrings quote
is what plancmp prints now."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from plancmp.cli import cli
from tests.conftest import needs_batch_extra

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _readme_commands() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", README, re.DOTALL)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip().startswith("plancmp ")]


def _help_commands() -> list[str]:
    out = []
    for command in cli.commands.values():
        examples = (command.help or "").partition("Examples:")[2]
        out.extend(line.strip() for line in examples.splitlines() if line.strip().startswith("plancmp "))
    return out


def _runnable(line: str) -> bool:
    """Whether every file or folder the command reads is a bundled one (old.docx, pairs.csv, bills/ are placeholders)."""
    words = shlex.split(line)
    return all((ROOT / w).exists() for w in words if re.search(r"\.(txt|md|docx|toml|csv|pdf)$|/$", w) and "-o" not in words[
        max(words.index(w) - 1, 0):words.index(w)
    ])


COMMANDS = sorted({line for line in _readme_commands() + _help_commands() if _runnable(line)})


def test_the_documented_commands_are_found() -> None:
    # Every command has examples on the bundled drafts, and the README shows some.
    assert {shlex.split(line)[1] for line in COMMANDS} == set(cli.commands)
    assert any(line in COMMANDS for line in _readme_commands())


@pytest.mark.parametrize(
    "line",
    # `plancmp batch` needs its extra (Dask, pyarrow, tqdm); without it, its examples skip, saying so.
    [pytest.param(line, marks=needs_batch_extra()) if shlex.split(line)[1] == "batch" else line for line in COMMANDS],
)
def test_a_documented_command_runs_as_documented(line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ROOT / "drafts", tmp_path / "drafts")
    monkeypatch.chdir(tmp_path)
    words = shlex.split(line)
    result = CliRunner().invoke(cli, words[1:] + (["--no-color"] if words[1] in ("diff", "points", "tag", "history")
                                                   and "--no-color" not in words and "-o" not in words else []))
    # diff exits 1 when the drafts differ, as diff(1) does; every other command exits 0.
    assert result.exit_code == (1 if words[1] == "diff" else 0), result.output
    assert "internal error" not in result.stderr and "Traceback" not in result.output
    if "-o" in words:
        assert (tmp_path / words[words.index("-o") + 1]).stat().st_size > 0


def _bundled_diff() -> str:
    result = CliRunner().invoke(cli, ["diff", str(ROOT / "drafts/28-point.txt"), str(ROOT / "drafts/20-point.txt"), "--no-color"])
    return result.output.replace(str(ROOT) + "/", "")


def test_the_readme_shows_what_plancmp_diff_prints() -> None:
    # "What it shows": every line of the excerpt, in order ("…" stands for lines left out).
    shown = README.partition("## What it shows\n\n```\n")[2].partition("```")[0]
    printed = _bundled_diff().splitlines()
    at = 0
    for line in shown.splitlines():
        if line.strip() in ("", "…"):
            continue
        assert line in printed[at:], f"the README shows a line plancmp diff no longer prints: {line!r}"
        at = printed.index(line, at) + 1


def test_the_renderers_docstring_examples_are_current_output() -> None:
    from plancmp.compare import compare_chain
    from plancmp.parse import load_document
    from plancmp.render import history, to_terminal

    summary = to_terminal.describe_summary.__doc__
    assert summary is not None
    assert summary.strip(' ".') in _bundled_diff().splitlines()

    names = ["28-point", "28-point-european", "19-point-geneva", "20-point"]
    chain = compare_chain(tuple(load_document(ROOT / "drafts" / f"{n}.txt") for n in names), tuple(names))
    quoted = (history.summary_line.__doc__ or "").strip(' ".').rstrip("…").rstrip(", ")
    assert history.summary_line(chain).startswith(quoted)


def test_the_readme_names_every_key_of_the_drafts_and_groups_in_the_json_and_quotes_the_folded_notes() -> None:
    import json

    from plancmp.compare import compare
    from plancmp.parse import load_document
    from plancmp.render.to_json import render_diff_json

    contract = README.partition("`--format json` is the stable contract")[2].partition("\n\n")[0]
    old, new = load_document(ROOT / "drafts" / "28-point.txt"), load_document(ROOT / "drafts" / "20-point.txt")
    data = json.loads(render_diff_json(compare(old, new)))
    keys = {*data, *data["old"], *data["alignment"][0]} - {"points"}
    assert sorted(k for k in keys if f"`{k}`" not in contract) == []
    # The notes under a dropped point and under the same point added, the drafts the other way round.
    assert "`words kept in 8: 6 of 7 (folded into it?)`" in README
    assert "      words kept in 8: 6 of 7 (folded into it?)" in _bundled_diff().splitlines()
    back = CliRunner().invoke(cli, ["diff", str(ROOT / "drafts/20-point.txt"), str(ROOT / "drafts/28-point.txt"), "--no-color"]).output
    assert "`words found in 8: 6 of 7 (taken from it?)`" in README
    assert "      words found in 8: 6 of 7 (taken from it?)" in back.splitlines()
