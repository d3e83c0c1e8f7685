"""A dropped or added point whose words another point holds: "words kept in 8: 6 of 7 (folded into it?)"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from plancmp.cli import cli
from plancmp.diff.folded import folding_words

ROOT = Path(__file__).resolve().parent.parent

KEPT = (
    "1. Foreign troops withdraw from the border region within 30 days of signing, and their heavy weapons are "
    "stored in depots.\n"
    "2. Monitors from the OSCE verify the withdrawal on the ground.\n"
)


def shown(args: list[str]) -> str:
    """What plancmp prints for these arguments, run from the repository (exit 1: differences)."""
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 1, result.output
    return result.output


def diff_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str) -> str:
    """What `plancmp diff old.txt new.txt --no-color` prints."""
    monkeypatch.chdir(tmp_path)
    Path("old.txt").write_text(old, encoding="utf-8")
    Path("new.txt").write_text(new, encoding="utf-8")
    return shown(["diff", "old.txt", "new.txt", "--no-color"])


def test_a_sub_point_folded_into_a_new_point_says_where_its_words_are(monkeypatch: pytest.MonkeyPatch) -> None:
    # 12.f went into new 8's text ("It will include a dedicated World Bank financing package to
    # speed up reconstruction"), but 8 answers for 12 already: it stays dropped, and says where
    # six of its seven words are. 12.d and 12.e, reworded beyond that (1 of 3, 2 of 4 words in
    # any new point), say nothing more.
    monkeypatch.chdir(ROOT)
    out = shown(["diff", "drafts/28-point.txt", "drafts/20-point.txt", "--no-color"])
    start = out.index("  12.d → —")
    assert out[start:out.index("\n\n", start)].splitlines() == [
        "  12.d → —  dropped",
        "      closest: 9.a (0.23), 9 (0.11)",
        "      [-new and repaired infrastructure;-]",
        "  12.e → —  dropped",
        "      closest: 9.c (0.25), 9 (0.12)",
        "      [-the development of minerals and other natural resources;-]",
        "  12.f → —  dropped",
        "      closest: 8 (0.53)",
        "      words kept in 8: 6 of 7 (folded into it?)",
        "      [-a dedicated World Bank financing package to speed the work up.-]",
    ]
    assert out.count("words kept in") == 1 and "words found in" not in out


def test_the_words_counted_are_content_words_of_three_letters_or_more() -> None:
    assert folding_words("a dedicated World Bank financing package to speed the work up.") == {
        "dedicated", "world", "bank", "financing", "package", "speed", "work",
    }
    assert folding_words("the development of minerals and other natural resources;") == {
        "development", "minerals", "natural", "resources",
    }


def test_the_folded_point_is_in_the_json_and_null_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    data = json.loads(shown(["diff", "drafts/28-point.txt", "drafts/20-point.txt", "--format", "json"]))

    def walk(groups: list[dict]) -> list[dict]:
        return [x for g in groups for x in (g, *walk(g["children"]))]

    folded = {"+".join(g["old"]) + "→" + "+".join(g["new"]): g["folded"] for g in walk(data["alignment"])}
    assert {k: v for k, v in folded.items() if v is not None} == {"12.f→": {"id": "8", "words": 6, "of": 7}}
    assert folded["12.e→"] is None and folded["3→"] is None


def test_an_added_point_made_of_a_dropped_points_words_says_where_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Old 2 is long, new 4 one clause of it: too unlike to be linked. New 4's words (disputes,
    # unpaid, pensions, wages, arbitration) are in old 2 but "arbitration"; old 2's are mostly
    # not in new 4, so the dropped point says nothing of it.
    old = (
        "1. Foreign troops withdraw from the border region within 30 days of signing.\n"
        "2. A joint commission of both parties will review every claim for compensation, publish its findings "
        "each quarter, hear witnesses in public sessions, keep a register of destroyed homes, and settle disputes "
        "over property, pensions and unpaid wages in the border region.\n"
        "3. Monitors from the OSCE verify the withdrawal on the ground.\n"
        "4. Prisoners are exchanged on an all-for-all basis.\n"
    )
    new = (
        "1. Foreign troops withdraw from the border region within 30 days of signing.\n"
        "2. Monitors from the OSCE verify the withdrawal on the ground.\n"
        "3. Prisoners are exchanged on an all-for-all basis.\n"
        "4. Disputes over unpaid pensions and wages go to arbitration.\n"
    )
    out = diff_shown(tmp_path, monkeypatch, old, new)
    assert "2 → —  dropped\n    closest: 4 (0.15)\n    [-A joint commission" in out
    assert out.endswith(
        "— → 4  added\n"
        "    closest: 2 (0.15)\n"
        "    words found in 2: 4 of 5 (taken from it?)\n"
        "    {+Disputes over unpaid pensions and wages go to arbitration.+}\n"
    )


def test_a_point_of_three_content_words_is_too_short_to_say_where_they_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Old 1 holds all three words of the added point, and still nothing is said: three words
    # recur by chance. With a fourth word, three of the four (75%) are enough.
    out = diff_shown(tmp_path, monkeypatch, KEPT, KEPT + "3. Heavy weapons are stored.\n")
    assert out.endswith("— → 3  added\n    {+Heavy weapons are stored.+}\n")
    out = diff_shown(tmp_path, monkeypatch, KEPT, KEPT + "3. Heavy weapons are stored under seal.\n")
    assert out.endswith(
        "— → 3  added\n    words found in 1: 3 of 4 (taken from it?)\n    {+Heavy weapons are stored under seal.+}\n"
    )


def test_markdown_and_the_report_show_the_same_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from plancmp.compare import compare
    from plancmp.parse import load_document
    from plancmp.render.to_html import render_report_html

    monkeypatch.chdir(ROOT)
    markdown = shown(["diff", "drafts/28-point.txt", "drafts/20-point.txt", "--format", "markdown"])
    assert markdown.count("\n- words kept in 8: 6 of 7 (folded into it?)\n") == 1
    page = render_report_html(compare(load_document("drafts/28-point.txt"), load_document("drafts/20-point.txt")))
    assert page.count('<p class="note">words kept in 8: 6 of 7 (folded into it?)</p>') == 1
