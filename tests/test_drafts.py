"""The bundled drafts: what a reader of each sees, identical in every format, nothing lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from plancmp.compare import tag_draft
from plancmp.parse import ReadOptions, load_document
from plancmp.parse.from_toml import load_positions
from tests.conftest import assert_faithful
from tests.test_from_markdown import assert_faithful as assert_markdown_faithful

DRAFTS = Path(__file__).resolve().parent.parent / "drafts"
TITLES = {
    "28-point": "Draft framework for ending the war — 28 points (illustrative)",
    "28-point-european": "European counter-proposal to the draft framework — 28 points (illustrative)",
    "19-point-geneva": "Geneva refined framework — 19 points (illustrative reconstruction)",
    "20-point": "Framework for ending the war — 20 points (illustrative)",
}
COUNTS = {
    "28-point": (28, ["12.a", "12.b", "12.c", "12.d", "12.e", "12.f", "20.a", "20.b", "20.c"]),
    "28-point-european": (28, ["12.a", "12.b", "12.c", "12.d", "12.e", "12.f", "20.a", "20.b", "20.c"]),
    "19-point-geneva": (19, ["8.a", "8.b", "8.c", "8.d", "8.e", "8.f", "12.a", "12.b", "12.c"]),
    "20-point": (20, ["9.a", "9.b", "9.c"]),
}


@pytest.mark.parametrize("stem", sorted(COUNTS))
def test_each_draft_reads_its_points_without_warnings(stem: str) -> None:
    top, subs = COUNTS[stem]
    doc = load_document(DRAFTS / f"{stem}.txt")
    assert [p.id for p in doc.points] == [str(n) for n in range(1, top + 1)]
    assert [p.id for p in doc.walk() if p.depth] == subs
    assert doc.warnings == ()
    assert doc.title == TITLES[stem]
    assert_faithful(doc, (DRAFTS / f"{stem}.txt").read_text(encoding="utf-8"))
    assert_markdown_faithful((DRAFTS / f"{stem}.md").read_text(encoding="utf-8"))


@pytest.mark.parametrize("stem", sorted(COUNTS))
def test_markdown_twin_reads_the_same_points(stem: str) -> None:
    txt = load_document(DRAFTS / f"{stem}.txt")
    md = load_document(DRAFTS / f"{stem}.md")
    assert [(p.id, p.text) for p in md.walk()] == [(p.id, p.text) for p in txt.walk()]
    assert md.warnings == ()


@pytest.mark.parametrize("stem", ["28-point", "20-point"])
def test_word_twin_reads_the_same_points_with_automatic_numbering(stem: str) -> None:
    txt = load_document(DRAFTS / f"{stem}.txt")
    docx = load_document(DRAFTS / f"{stem}.docx")
    assert [(p.id, p.label, p.text) for p in docx.walk()] == [(p.id, p.label, p.text) for p in txt.walk()]
    assert all(p.auto_label for p in docx.walk())
    assert [(o.kind, o.text) for o in docx.outside] == [(o.kind, o.text) for o in txt.outside]


def test_word_drafts_carry_a_tracked_change_and_a_comment() -> None:
    accepted = load_document(DRAFTS / "20-point.docx")
    original = load_document(DRAFTS / "20-point.docx", ReadOptions(original=True))
    assert "800,000" in (accepted.find("4").text if accepted.find("4") else "")
    assert original.find("4") is not None and "600,000" in original.find("4").text  # type: ignore[union-attr]
    (comment,) = accepted.comments
    assert (comment.author, comment.anchor, comment.point_id) == ("Ukrainian delegation", "The plant will be run", "12")
    _, placed, warnings = tag_draft(accepted, load_positions(str(DRAFTS / "positions.toml")), ())
    from_comment = [pp for pp in placed if pp.position.origin.endswith("comment 0")]
    assert [(pp.position.party, pp.position.stance.value, pp.new_points) for pp in from_comment] == [("UA", "reserves", ("12",))]
    assert warnings == ()
