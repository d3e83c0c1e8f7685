"""plancmp's Word list labels agree with LibreOffice's (or, where LibreOffice departs from Word's
documented rendering, with that), on a few small documents of bench/bench_docx.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import bench_docx

pytestmark = pytest.mark.skipif(
    bench_docx.soffice() is None, reason="LibreOffice (soffice) is not installed; it is the reference"
)


def test_labels_agree_with_libreoffice(tmp_path: Path) -> None:
    marks = bench_docx._Markers()
    cases = [
        bench_docx.outline_case(marks),
        bench_docx.headings_case(marks),
        bench_docx.tables_case(marks),
        bench_docx.contents_case(marks),
        *bench_docx.tracked_cases(marks),
        bench_docx.strict_case(marks),
    ]
    results = bench_docx.run(cases, tmp_path)
    assert [(r.name, r.misses) for r in results] == [(case.name, []) for case in cases]
    # Every document has numbered paragraphs checked, none unchecked, and no non-list paragraph
    # (data cell, contents line) was given a label.
    assert [(r.numbered, r.unchecked, r.labelled) for r in results] == [
        (42, 0, 0),
        (9, 0, 0),
        (5, 0, 0),
        (3, 0, 0),
        (6, 0, 0),
        (6, 0, 0),
        (42, 0, 0),
    ]
    assert all(r.agree == r.numbered for r in results)
