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
        ("deadline: within 30 days → within 60 days", True),
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
