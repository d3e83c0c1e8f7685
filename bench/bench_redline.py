"""The Word redline: how long it takes to write, and whether it reads back exactly.

    python bench/bench_redline.py [--quick] [--pairs N]

Prints, with the targets beside them:
- writing the redline of the bundled 28 → 20 drafts (text and Word versions), the comparison
  excluded (target ≤ 1 s; median of several runs), and `plancmp redline` as a whole process;
- writing the redline of a generated 2,000-point revision (bench/bench_speed.py's drafts: some
  points reworded, moved, dropped, added), the comparison excluded (target ≤ 3 s), and the
  comparison's own time beside it; then a 2,000-point pair in Word (bench/synth.py, automatic
  numbering), where the redline keeps the drafts' own paragraphs and checks itself by reading
  its output back;
- the round-trip exactness share: the redline read back by plancmp's reader with every change
  accepted gives exactly the new draft (points, labels, texts, nesting, text outside the points)
  and with every change rejected exactly the old one — over every bundled pair (txt, md, docx
  and mixed) and over the synthetic pairs of bench/synth.py written as txt, md and docx
  (target 100%). A failure names the pair and the first point that differs.

Timings are wall clock on a shared machine: medians, and noisy.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plancmp.compare import CompareOptions, compare
from plancmp.model import Comparison, Document
from plancmp.parse import load_document
from plancmp.parse.from_docx import read_docx
from plancmp.parse.from_toml import load_positions
from plancmp.render.to_docx import RedlineOptions, build_redline, draft_reading

DRAFTS = ROOT / "drafts"
CHAIN = ("28-point", "28-point-european", "19-point-geneva", "20-point")


def _options(old: Path, new: Path) -> RedlineOptions:
    def package(path: Path) -> bytes | None:
        return path.read_bytes() if path.suffix == ".docx" else None

    return RedlineOptions(date="2025-12-24", old_package=package(old), new_package=package(new))


def _median(runs: int, job) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _first_difference(got: Document, want: Document) -> str:
    a, b = draft_reading(got), draft_reading(want)
    for pa, pb in itertools.zip_longest(a[0], b[0]):
        if pa != pb:
            return f"point {(pb or pa)[0]}: read {pa and pa[:3]!r}, want {pb and pb[:3]!r}"
    return "text outside the points differs"


def _round_trip(compared: Comparison, data: bytes) -> str | None:
    """None when both readings are exact; else what differs first."""
    accepted = read_docx(data, compared.new.source)
    rejected = read_docx(data, compared.old.source, original=True)
    if draft_reading(accepted) != draft_reading(compared.new):
        return "new: " + _first_difference(accepted, compared.new)
    if draft_reading(rejected) != draft_reading(compared.old):
        return "old: " + _first_difference(rejected, compared.old)
    return None


def _bundled_pairs() -> list[tuple[Path, Path]]:
    pairs = []
    for ext in ("txt", "md"):
        pairs += [(DRAFTS / f"{a}.{ext}", DRAFTS / f"{b}.{ext}") for a, b in itertools.pairwise(CHAIN)]
        pairs.append((DRAFTS / f"28-point.{ext}", DRAFTS / f"20-point.{ext}"))
    pairs += [(DRAFTS / "28-point.docx", DRAFTS / "20-point.docx"), (DRAFTS / "28-point.txt", DRAFTS / "20-point.docx"),
              (DRAFTS / "28-point.docx", DRAFTS / "20-point.txt")]
    return pairs


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and synthetic pairs")
    parser.add_argument("--pairs", type=int, default=None, help="synthetic pairs per format (default 40, quick 8)")
    args = parser.parse_args()
    runs = 3 if args.quick else 7
    n_synth = args.pairs if args.pairs is not None else (8 if args.quick else 40)
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; load {os.getloadavg()[0]:.2f}")

    positions = load_positions(DRAFTS / "positions.toml")
    print("\nthe bundled 28 → 20 redline, with the positions as comments (comparison excluded):")
    for ext in ("txt", "docx"):
        old, new = DRAFTS / f"28-point.{ext}", DRAFTS / f"20-point.{ext}"
        compared = compare(load_document(old), load_document(new), CompareOptions(positions=positions))
        options = _options(old, new)
        seconds = _median(runs, lambda compared=compared, options=options: build_redline(compared, options))
        print(f"  {ext:>4}: {seconds:.2f} s (target ≤ 1 s)")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "changes.docx"
        command = [sys.executable, "-m", "plancmp.cli", "redline", str(DRAFTS / "28-point.docx"),
                   str(DRAFTS / "20-point.docx"), "--positions", str(DRAFTS / "positions.toml"), "-o", str(out)]
        whole = _median(runs, lambda: subprocess.run(command, capture_output=True, check=True, cwd=ROOT))
        print(f"  plancmp redline 28-point.docx 20-point.docx, whole process from a cold start: {whole:.2f} s")

    from bench.bench_speed import make_pair
    from plancmp.parse.from_text import read_text

    old_text, new_text = make_pair(2000, 1, rewrite=False)
    big_old, big_new = read_text(old_text, "old.txt"), read_text(new_text, "new.txt")
    start = time.perf_counter()
    big = compare(big_old, big_new)
    compare_seconds = time.perf_counter() - start
    big_options = RedlineOptions(date="2025-12-24")
    seconds = _median(max(1, runs // 2), lambda: build_redline(big, big_options))
    data = build_redline(big, big_options).data
    print(f"\na 2,000-point revision ({len(old_text.encode()) / 1e6:.1f} MB of text): redline written in {seconds:.2f} s "
          f"(target ≤ 3 s), {len(data) / 1e6:.1f} MB; the comparison itself took {compare_seconds:.2f} s")
    problem = _round_trip(big, data)
    print(f"  reads back exactly: {'yes' if problem is None else 'NO — ' + problem}")

    from bench.synth import generate_pair, write_pair

    with tempfile.TemporaryDirectory() as tmp:
        # The same size in Word with automatic numbering: the drafts' own paragraphs are kept,
        # and the redline is read back twice to check it (the text path skips that).
        old, new = write_pair(generate_pair(5, 2000, "en", "easy"), tmp, "docx")
        word = compare(load_document(old), load_document(new))
        word_options = _options(old, new)
        seconds = _median(max(1, runs // 2), lambda: build_redline(word, word_options))
        result = build_redline(word, word_options)
        problem = _round_trip(word, result.data) or ("; ".join(result.warnings) or None)
        print(f"a 2,000-point Word revision (synthetic, easy): redline written in {seconds:.2f} s, of which the "
              f"read-back check is about half; reads back exactly: {'yes' if problem is None else 'NO — ' + problem}")

    print("\nround trip (accepted = new draft, rejected = old draft, exactly):")
    failures: list[str] = []
    bundled = _bundled_pairs()
    for old, new in bundled:
        compared = compare(load_document(old), load_document(new), CompareOptions(positions=positions))
        result = build_redline(compared, _options(old, new))
        problem = _round_trip(compared, result.data) or ("; ".join(result.warnings) or None)
        if problem:
            failures.append(f"{old.name} → {new.name}: {problem}")
    ok = len(bundled) - len(failures)
    print(f"  bundled pairs: {ok} of {len(bundled)} exact ({100 * ok / len(bundled):.0f}%)")

    for fmt in ("txt", "md", "docx"):
        bad = 0
        with tempfile.TemporaryDirectory() as tmp:
            for seed in range(n_synth):
                pair = generate_pair(seed, 30 + (seed * 37) % 91, "uk" if seed % 3 == 2 else "en", "hard")
                old, new = write_pair(pair, Path(tmp) / str(seed), fmt)
                compared = compare(load_document(old), load_document(new))
                result = build_redline(compared, _options(old, new))
                problem = _round_trip(compared, result.data) or ("; ".join(result.warnings) or None)
                if problem:
                    bad += 1
                    failures.append(f"synthetic {fmt} seed {seed}: {problem}")
        print(f"  synthetic {fmt:>4} pairs (30–120 points, en and uk): {n_synth - bad} of {n_synth} exact "
              f"({100 * (n_synth - bad) / max(n_synth, 1):.0f}%)")
    print("  target: 100%")
    for failure in failures:
        print(f"  ✗ {failure}")


if __name__ == "__main__":
    main()
