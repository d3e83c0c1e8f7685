"""The real-document benchmark's metrics and baselines, on tiny hand-made documents.

bench/bench_real.py measures plancmp on fetched documents; these tests pin down what its figures
mean (partial gold, the fuzzy matcher's one-to-one rule, difflib's pairing) without any fetched data.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from bench.bench_real import (
    Tally,
    calibration,
    difflib_links,
    fancy_pairs,
    fuzzy_links,
    greedy_one_to_one,
    group_links,
    tally,
)
from bench.real.build import gold_links, kramdown_sections, law_sections, respec_sections
from plancmp.model import Document, Format, Group, Point, Status


def _doc(*points: Point) -> Document:
    return Document(source="t.txt", format=Format.TEXT, points=points)


def _p(pid: str, text: str, *children: Point) -> Point:
    return Point(id=pid, label=f"{pid}.", text=text, children=children)


def test_precision_counts_only_links_touching_gold() -> None:
    gold = {("1", "1"), ("2", "3")}
    # (4, 4) touches no gold-linked section: it is not counted; (5, 3) shares new 3 with gold: it is.
    pred = {("1", "1"), ("2", "2"), ("4", "4"), ("5", "3")}
    t = tally(pred, gold)
    assert t == Tally(correct=1, counted=3, gold=2)
    assert t.precision == pytest.approx(1 / 3)
    assert t.recall == pytest.approx(1 / 2)
    assert t.f1 == pytest.approx(0.4)


def test_figures_with_nothing_to_measure_are_none() -> None:
    t = tally({("9", "9")}, set())
    assert t == Tally(correct=0, counted=0, gold=0)
    assert (t.precision, t.recall, t.f1) == (None, None, None)
    assert (Tally(1, 2, 4) + Tally(1, 2, 0)) == Tally(2, 4, 4)


def test_groups_flatten_at_every_depth_as_k_by_m_links() -> None:
    child = Group(old=("1.a",), new=("2.a", "2.b"), status=Status.SPLIT)
    groups = (
        Group(old=("1",), new=("2",), status=Status.MODIFIED, children=(child,)),
        Group(old=("3", "4"), new=("3",), status=Status.MERGED),
        Group(old=("5",), new=(), status=Status.DROPPED),
        Group(old=(), new=("9",), status=Status.ADDED),
    )
    assert group_links(groups) == {("1", "2"), ("1.a", "2.a"), ("1.a", "2.b"), ("3", "3"), ("4", "3")}


def test_greedy_matcher_takes_best_pairs_first_one_to_one() -> None:
    scored = [(90.0, 0, 0), (95.0, 0, 1), (95.0, 1, 1), (80.0, 1, 0), (70.0, 2, 2)]
    # 95 ties: (0, 1) comes first in document order and takes new 1, so (1, 1) is skipped;
    # old 0 is taken, so (0, 0) at 90 is skipped; (1, 0) and (2, 2) remain.
    assert greedy_one_to_one(scored) == [(0, 1), (1, 0), (2, 2)]


def test_fuzzy_matcher_links_points_at_every_depth() -> None:
    pytest.importorskip("rapidfuzz", reason="rapidfuzz is in the bench extra: pip install -e '.[bench]'")
    old = _doc(
        _p("1", "The parties agree to a ceasefire along the line of contact",
           _p("1.1", "Monitoring by an international mission")),
        _p("2", "Sanctions are lifted in stages"),
    )
    new = _doc(
        _p("1", "Sanctions are lifted in stages after review"),
        _p("2", "The parties agree to a ceasefire along the line of contact"),
        _p("3", "Monitoring by an international mission"),
    )
    assert fuzzy_links(old, new, workers=1) == {("1", "2"), ("1.1", "3"), ("2", "1")}


def test_difflib_pairs_a_replace_block_by_similarity_not_position() -> None:
    a = ["the cat sat on the mat", "dogs bark at night"]
    b = ["dogs bark at night!", "the cat sat on the mat."]
    # Both crossing pairs are similar (0.98 and 0.97), but pairs keep document order: difflib
    # syncs on the most similar one and pairs nothing before or after it.
    assert fancy_pairs(a, b) == [(0, 1)]
    assert fancy_pairs(["abc def"], ["xyz uvw"]) == []
    # No pair reaches 0.75, but identical texts still sync.
    assert fancy_pairs(["p", "q"], ["q", "r"]) == [(1, 0)]


def test_difflib_links_equal_blocks_and_pairs_replaced_points() -> None:
    old = _doc(
        _p("1", "Preamble of the agreement"),
        _p("2", "Troops withdraw within 30 days"),
        _p("3", "Elections are held within a year"),
        _p("4", "Final provisions"),
    )
    new = _doc(
        _p("1", "Preamble of the agreement"),
        _p("2", "A new point on prisoners"),
        _p("3", "Troops withdraw within 60 days"),
        _p("4", "Final provisions"),
    )
    # 2 → 3 reworded (ratio 0.97) is paired; 3 (elections) has no similar partner: dropped.
    assert difflib_links(old, new) == {("1", "1"), ("2", "3"), ("4", "4")}


@dataclass(frozen=True)
class _ConfidentGroup:
    old: tuple[str, ...]
    new: tuple[str, ...]
    confidence: float

    def walk(self) -> Iterator[_ConfidentGroup]:
        yield self


def test_calibration_buckets_links_touching_gold_by_confidence() -> None:
    gold = {("1", "1"), ("2", "2")}
    groups = [
        _ConfidentGroup(("1",), ("1",), 0.95),
        _ConfidentGroup(("2",), ("3",), 0.92),
        _ConfidentGroup(("7",), ("7",), 0.15),  # touches no gold: not counted
        _ConfidentGroup(("8",), ("2",), 0.41),
    ]
    buckets = calibration(groups, gold)  # type: ignore[arg-type]
    assert buckets == [(0, 0)] * 4 + [(1, 0)] + [(0, 0)] * 4 + [(2, 1)]
    # A group's confidence defaults to 1 (identical and pinned links are certain).
    assert calibration([Group(old=("1",), new=("1",), status=Status.UNCHANGED)], gold) == [(0, 0)] * 9 + [(1, 1)]
    assert calibration([_ConfidentGroup(("1",), ("1",), None)], gold) is None  # type: ignore[arg-type]


def test_kramdown_sections_are_numbered_as_the_rendered_rfc() -> None:
    text = (
        "---\ntitle: x\n---\n--- abstract\nAbstract.\n--- middle\n"
        "# One {#one}\nFirst.\n~~~\n# not a heading\n~~~\n## One.one\n## One.two\n### Deep\n"
        "# Two\n## Plain\n{: numbered=\"false\"}\nTail.\n--- back\n# App\n## App.one\n"
        "# Thanks\n{: numbered=\"no\"}\nNames.\n"
    )
    sections = kramdown_sections(text)
    assert [(s.label, s.title) for s in sections] == [
        ("1.", "One"), ("1.1.", "One.one"), ("1.2.", "One.two"), ("1.2.1.", "Deep"),
        ("2.", "Two"), ("Appendix A.", "App"), ("A.1.", "App.one"),
    ]
    # The fenced "# not a heading" is body; an unnumbered sub-section's text stays in its parent.
    assert sections[0].body == "First. ~~~ # not a heading ~~~"
    assert sections[4].body == "Tail."


def test_law_sections_and_gold_from_unique_titles() -> None:
    old = law_sections(
        "---\nTitle: G\n---\n# Gesetz\n## Abschnitt 1 - A\n##### § 1 Zweck\n(1) Text eins.\n\n"
        "##### § 2 Begriffe\nZwei.\n##### § 3 (weggefallen)\n##### § 4 (weggefallen)\n"
    )
    new = law_sections("## Abschnitt 1 - A\n### § 1 Zweck\nEins.\n### § 1a Begriffe\nZwei.\n### § 2 Neu\nDrei.\n")
    assert [(s.label, s.title, s.body) for s in old] == [
        ("§ 1", "Zweck", "(1) Text eins."), ("§ 2", "Begriffe", "Zwei."),
        ("§ 3", "(weggefallen)", ""), ("§ 4", "(weggefallen)", ""),
    ]
    assert gold_links(old, new) == [(0, 0), (1, 1)]


def test_respec_sections_include_files_and_number_as_the_table_of_contents() -> None:
    page = (
        "<html><body><section id='abstract'><h2>Abstract</h2>x</section>"
        "<section class='informative introductory'><h2>Introduction</h2><section><h3>Bg</h3>y</section></section>"
        "<section class='principle'><h2> Perceivable </h2><p>Principle text.</p>"
        "<section class='guideline'><h3>Text Alternatives</h3><p>Provide.</p>"
        "<section data-include='sc/one.html' data-include-replace='true'></section>"
        "</section></section>"
        "<section><h1>Conformance</h1><dl><dt data-include='terms/a.html' data-include-replace='true'></dt></dl></section>"
        "<section class='appendix'><h2>Change Log</h2>z<section><h3>Funders</h3>w</section></section>"
        "</body></html>"
    )
    files = {
        "sc/one.html": "<section class='sc'><h4>Non-text Content</h4><p class='conformance-level'>A</p><p>All.</p></section>",
        "terms/a.html": "<dt><dfn>abbreviation</dfn></dt><dd><p>short form</p></dd>",
    }
    sections = respec_sections(page, files.__getitem__)
    assert [(s.label, s.title, s.body) for s in sections] == [
        ("1.", "Perceivable", "Principle text."),
        ("1.1", "Text Alternatives", "Provide."),
        ("1.1.1", "Non-text Content", "A All."),
        ("2.", "Conformance", "abbreviation short form"),
        ("A.", "Change Log", "z"),
        ("A.1", "Funders", "w"),
    ]
