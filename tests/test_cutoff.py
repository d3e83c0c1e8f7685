"""Points cut off mid-sentence: a warning that names them, and their lost words not counted as removals."""

from __future__ import annotations

from pathlib import Path

import pytest

from plancmp.compare import compare
from plancmp.parse import load_document
from plancmp.parse.cutoff import cut_off_points
from plancmp.parse.from_text import read_text

OLD = (
    "1. Sovereignty is confirmed.\n"
    "2. Russia will withdraw within 30 days, and Europe will put $100bn into the fund.\n"
    "3. Elections are held by 1 March 2026.\n"
)
NEW = (
    "1. Sovereignty is confirmed.\n"
    "2. Russia will withdraw within 60 days, and\n"
    "3. Elections are held by 1 June 2026.\n"
)


def test_a_point_that_ends_mid_sentence_is_named_in_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "new.txt"
    path.write_text(NEW, encoding="utf-8")
    assert load_document(str(path)).warnings == (
        f"{path}:2: point 2 seems cut off (it ends “…withdraw within 60 days, and”); what it lost is not counted as removed",
    )
    (tmp_path / "old.txt").write_text(OLD, encoding="utf-8")
    assert load_document(str(tmp_path / "old.txt")).warnings == ()


def test_the_changes_only_in_the_lost_words_are_notes_that_say_so() -> None:
    comparison = compare(read_text(OLD, "old.txt"), read_text(NEW, "new.txt"))
    two = comparison.groups[1]
    assert [(c.summary, c.substantive) for c in two.changes] == [
        ("$100bn removed (in words lost where new point 2 seems cut off)", False),
        ("deadline extended: within 30 days → within 60 days (+30 days)", True),
        ("party no longer named: Europe (in words lost where new point 2 seems cut off)", False),
    ]
    assert [c.summary for c in comparison.groups[2].changes] == ["deadline moved: 1 March 2026 → 1 June 2026 (+92 days)"]


def test_an_old_point_cut_off_does_not_make_its_missing_words_additions() -> None:
    old = "1. The United States and Europe will\n2. Elections follow.\n"
    new = "1. The United States and Europe will put $50bn into the fund.\n2. Elections follow.\n"
    (one, _) = compare(read_text(old, "old.txt"), read_text(new, "new.txt")).groups
    assert [(c.summary, c.substantive) for c in one.changes] == [
        ("$50bn added (in words lost where old point 1 seems cut off)", False),
    ]


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        # Ends on an ellipsis, or on a word no sentence ends on.
        ("1. The parties will meet [...]\n2. Done.\n", ["1"]),
        ("1. The parties will meet …\n2. Done.\n", ["1"]),
        ("1. Done.\n2. The parties will meet in\n", ["2"]),
        # No full stop in a draft whose points end with one, and another point follows.
        ("1. The parties will meet in Geneva\n2. The parties sign the text.\n3. The treaty enters into force.\n", ["1"]),
        # A list item, a heading-like line, a bracketed option, an introduction to sub-points: whole.
        ("1. The parties agree:\n  a) to meet,\n  b) to talk; and\n  c) to sign.\n2. Done.\n", []),
        ("1. Security guarantees\n2. The parties sign the text.\n3. The treaty enters into force.\n", []),
        ("1. The plant is run [jointly by both sides]\n2. Done.\n", []),
        ("1. The treaty is signed by both parties.¹\n2. The parties sign the text.\n3. The treaty enters into force.\n", []),
        # A term sheet that never ends its points with a full stop says nothing by leaving one out.
        ("1. Ceasefire along the current line\n2. Prisoner exchange all for all\n3. Elections within 100 days\n", []),
    ],
)
def test_which_points_seem_cut_off(text: str, cut: list[str]) -> None:
    assert [p.id for p in cut_off_points(read_text(text, "d.txt"))] == cut


def test_the_bundled_drafts_have_no_point_cut_off() -> None:
    for name in ("28-point", "28-point-european", "19-point-geneva", "20-point"):
        for ext in ("txt", "md", "docx"):
            path = Path("drafts") / f"{name}.{ext}"
            if path.exists():
                assert not [w for w in load_document(str(path)).warnings if "cut off" in w], path


def _changes(old: str, new: str) -> list[tuple[tuple[str, ...], tuple[str, ...], list[tuple[str, bool]]]]:
    comparison = compare(read_text(old, "old.txt"), read_text(new, "new.txt"))
    return [(g.old, g.new, [(c.summary, c.substantive) for c in g.changes]) for top in comparison.groups for g in top.walk()]


def test_a_cut_off_point_merged_into_another_loses_only_its_own_words() -> None:
    # Old point 2 was cut off; the new draft merged it with 3. What old 2 lost is no addition; a
    # party dropped from a sub-point of 3 is, in the merged point and in the sub-point.
    assert _changes(
        "1. Sovereignty is confirmed.\n"
        "2. Russia will withdraw its forces within 30 days, and\n"
        "3. Europe will fund the reconstruction of the energy grid:\n"
        "   a) in stages over ten years;\n"
        "   b) under an independent audit by Poland.\n"
        "4. Elections follow.\n",
        "1. Sovereignty is confirmed.\n"
        "2. Russia will withdraw its forces within 60 days, and the United States will put $100bn into the fund. "
        "The reconstruction of the energy grid is funded:\n"
        "   a) in stages over ten years by Europe;\n"
        "   b) under an independent audit.\n"
        "3. Elections follow.\n",
    ) == [
        (("1",), ("1",), []),
        (("2", "3"), ("2",), [
            ("$100bn added (in words lost where old point 2 seems cut off)", False),
            ("deadline extended: within 30 days → within 60 days (+30 days)", True),
            ("party no longer named: Poland", True),
            ("party now named: United States (in words lost where old point 2 seems cut off)", False),
        ]),
        (("3.a",), ("2.a",), [("party now named: Europe", True)]),
        (("3.b",), ("2.b",), [("party no longer named: Poland", True)]),
        (("4",), ("3",), []),
    ]


def test_a_cut_off_point_is_found_where_it_stands_though_its_words_come_earlier() -> None:
    # Old 3, cut off, repeats the start of old 2: its lost words are at the end of the merge.
    assert _changes(
        "1. Monitors report monthly.\n"
        "2. Europe and the United States will meet monthly in Geneva:\n"
        "   a) at ministerial level;\n"
        "   b) with Ukraine present.\n"
        "3. Europe and the United States will\n"
        "4. Elections follow.\n",
        "1. Monitors report monthly.\n"
        "2. Europe and the United States will meet monthly in Geneva, and Europe and the United States will put "
        "$50bn into the fund:\n"
        "   a) at ministerial level;\n"
        "   b) with Ukraine present.\n"
        "3. Elections follow.\n",
    )[1] == (("2", "3"), ("2",), [("$50bn added (in words lost where old point 3 seems cut off)", False)])


def _all_changes(old: str, new: str) -> list[tuple[str, str, str, str, bool]]:
    comparison = compare(read_text(old, "old.txt"), read_text(new, "new.txt"))
    return [(c.kind.value, c.old, c.new, c.summary, c.substantive) for g in comparison.groups for c in g.changes]


CUT = "1. Russia will withdraw its forces within 30 days, and\n2. Elections follow.\n"


def test_a_change_outside_the_lost_words_stays_substantive() -> None:
    # The negation was added where both drafts have words; the rest is what old point 1 lost.
    assert _all_changes(CUT, CUT.replace("will withdraw", "will not withdraw").replace(
        "30 days, and", "30 days, and Europe will put $100bn into the fund.")) == [
        ("number", "", "$100bn", "$100bn added (in words lost where old point 1 seems cut off)", False),
        ("negation", "Russia will withdraw its forces within 30 days", "Russia will not withdraw its forces within 30 days",
         "negation added: Russia will not withdraw its forces within 30 days", True),
        ("party", "", "Europe", "party now named: Europe (in words lost where old point 1 seems cut off)", False),
    ]


def test_words_lost_where_both_drafts_seem_cut_off_name_both_points() -> None:
    new = CUT.replace("30 days, and", "30 days, and Europe will put $100bn into the fund, and")
    assert [summary for _, _, _, summary, _ in _all_changes(CUT, new)] == [
        "$100bn added (in words lost where old point 1 and new point 1 seem cut off)",
        "party now named: Europe (in words lost where old point 1 and new point 1 seem cut off)",
    ]


def test_a_cut_off_point_merged_with_the_next_before_any_other_change() -> None:
    assert _all_changes(
        "1. Sovereignty is confirmed.\n2. Russia will withdraw its forces within 30 days, and\n"
        "3. Elections are held by the end of 2026.\n4. Other matters.\n",
        "1. Sovereignty is confirmed.\n2. Russia will withdraw its forces within 30 days, and Europe will put $100bn "
        "into the fund. Elections are held by the end of 2026.\n3. Other matters.\n",
    ) == [
        ("number", "", "$100bn", "$100bn added (in words lost where old point 2 seems cut off)", False),
        ("party", "", "Europe", "party now named: Europe (in words lost where old point 2 seems cut off)", False),
    ]


def test_a_negation_removed_outside_the_lost_words_stays_substantive() -> None:
    old = CUT.replace("will withdraw", "will not withdraw")
    new = CUT.replace("30 days, and", "30 days, and Europe will put $100bn into the fund.")
    assert [(summary, substantive) for _, _, _, summary, substantive in _all_changes(old, new)] == [
        ("$100bn added (in words lost where old point 1 seems cut off)", False),
        ("negation removed: Russia will not withdraw its forces within 30 days", True),
        ("party now named: Europe (in words lost where old point 1 seems cut off)", False),
    ]

