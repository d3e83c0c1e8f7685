"""Whole-pipeline cases: each folder under tests/golden is one command and its exact output.

A case folder holds `case.json` — {"args": [...], "exit": N} with paths relative to the
repository root, where "{case}" stands for the case folder — plus its own drafts if it needs
them, and `expected.out`. A new case needs no code; `pytest --update-golden` rewrites the
expectations after a deliberate change (read the git diff before committing it).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from plancmp.cli import cli

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "case.json").is_file())


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = GOLDEN / case
    spec = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    args = [a.replace("{case}", os.path.relpath(folder, ROOT)) for a in spec["args"]]
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, args)
    expected_file = folder / "expected.out"
    if request.config.getoption("--update-golden"):
        expected_file.write_text(result.stdout, encoding="utf-8")
        spec["exit"] = result.exit_code
        (folder / "case.json").write_text(json.dumps(spec, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return
    assert result.stdout == expected_file.read_text(encoding="utf-8")
    assert result.exit_code == spec["exit"], result.stderr
