"""The scripts that make the repository's pictures and sample files: they run, and give the same bytes."""

from __future__ import annotations

import importlib.util
import os
import struct
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import CHROMIUM, browser_unavailable

ROOT = Path(__file__).resolve().parent.parent


def _module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_make_docx_writes_the_same_bytes_on_every_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_docx = _module(ROOT / "drafts" / "make_docx.py")
    make_docx.main(tmp_path / "first")
    # A run a day later: python-docx stamps each zip entry with the time of the run.
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 86_400)
    make_docx.main(tmp_path / "second")
    for name in ("28-point.docx", "20-point.docx"):
        first, second = (tmp_path / "first" / name).read_bytes(), (tmp_path / "second" / name).read_bytes()
        assert first == second, name
        # And the files in the repository are what the script writes now.
        assert (ROOT / "drafts" / name).read_bytes() == first, f"drafts/{name} is stale: python drafts/make_docx.py"


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_make_report_png_draws_the_report_from_the_current_code(tmp_path: Path) -> None:
    if not os.path.exists(CHROMIUM):
        browser_unavailable(f"Chromium not found at {CHROMIUM} ($PLANCMP_CHROMIUM); apt-get install chromium")
    if importlib.util.find_spec("playwright") is None:
        browser_unavailable("playwright is not installed; pip install '.[test]'")
    out = tmp_path / "report.png"
    done = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "make_report_png.py"), str(out)],
        capture_output=True, text=True, timeout=120, check=False, env={**os.environ, "PLANCMP_CHROMIUM": CHROMIUM},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"wrote {out}\n"
    assert _png_size(out) == (1280, 900)
    assert out.stat().st_size > 50_000  # a page of text and a map, not a blank window
    assert _png_size(ROOT / "docs" / "report.png") == (1280, 900)
