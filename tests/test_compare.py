"""compare: the stages chained, as a reader of `plancmp diff` sees the result."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from plancmp.cli import cli

OLD = (
    "1. Foreign troops withdraw as set out in point 2.\n"
    "   a) The withdrawal is completed within 30 days.\n"
    "   b) Heavy weapons are stored under seal.\n"
    "2. Monitors from the OSCE verify the withdrawal on the ground.\n"
)
SANCTIONS = "1. Sanctions are lifted in stages as the agreement is carried out.\n"


def diff_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str) -> str:
    """What `plancmp diff old.txt new.txt --no-color` prints."""
    monkeypatch.chdir(tmp_path)
    Path("old.txt").write_text(old, encoding="utf-8")
    Path("new.txt").write_text(new, encoding="utf-8")
    result = CliRunner().invoke(cli, ["diff", "old.txt", "new.txt", "--no-color"], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    return result.output


def test_a_point_whose_reference_follows_renumbering_is_still_modified_when_a_sub_point_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Point 1's own words differ only by "point 2" → "point 3", which follows the renumbering;
    # but its sub-point a) moved the deadline, so the point as a whole was modified.
    new = SANCTIONS + OLD.replace("2.", "3.").replace("1. Foreign", "2. Foreign").replace("30", "60")
    assert diff_shown(tmp_path, monkeypatch, OLD, new) == (
        "old.txt → new.txt\n"
        "2 → 3 points: 2 kept (1 reworded), 1 added, 2 renumbered\n"
        "\n"
        "— → 1  added\n"
        "    {+Sanctions are lifted in stages as the agreement is carried out.+}\n"
        "\n"
        "1 → 2  modified, renumbered\n"
        "    note: reference follows renumbering: point 2 → point 3 (2 is now 3)\n"
        "    Foreign troops withdraw as set out in point [-2-]{+3+}.\n"
        "  1.a → 2.a  modified  deadline: within 30 days → within 60 days\n"
        "      The withdrawal is completed within [-30-]{+60+} days.\n"
        "\n"
        "2 → 3  unchanged, renumbered\n"
    )


def test_a_point_with_the_same_words_is_modified_when_a_sub_point_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert diff_shown(tmp_path, monkeypatch, OLD, OLD.replace("30", "60")) == (
        "old.txt → new.txt\n"
        "2 → 2 points: 2 kept (1 reworded)\n"
        "\n"
        "1 → 1  modified\n"
        "    Foreign troops withdraw as set out in point 2.\n"
        "  1.a → 1.a  modified  deadline: within 30 days → within 60 days\n"
        "      The withdrawal is completed within [-30-]{+60+} days.\n"
    )


def test_a_point_whose_reference_only_follows_renumbering_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = SANCTIONS + OLD.replace("2.", "3.").replace("1. Foreign", "2. Foreign")
    shown = diff_shown(tmp_path, monkeypatch, OLD, new)
    assert "1 → 2  unchanged, renumbered\n    note: reference follows renumbering: point 2 → point 3 (2 is now 3)\n" in shown
    assert "2 kept, 1 added, 2 renumbered" in shown
