"""HTML report benchmark: how big the page is, how long it takes to write, how fast a browser opens it.

Run from the repository root (the venv active):

    python bench/bench_report.py                  # the bundled pair, then a 2,000-point pair
    python bench/bench_report.py --points 500     # a smaller synthetic pair
    python bench/bench_report.py --no-browser     # skip the Chromium load time

Figures, against their targets:
    bundled size    the 28 → 20 report with drafts/positions.toml                    < 300 KB
    write time      render_report_html + the atomic write the CLI does (best of 3)   < 3 s
    report size     of the synthetic pair's report                                  < 10 MB
    load time       headless Chromium, from navigation to the load event and the
                    page's window.plancmpReady flag (median of 3 fresh contexts)     < 2 s

The synthetic pair comes from bench/synth.py's generate_pair (hard revision, English). Making a
2,000-point pair takes minutes (its move bookkeeping is quadratic per move), so the drafts are
kept in a cache folder and reused; reading and aligning them is timed apart, since it is not the
report's cost. The machine's load average is printed too: on a shared machine it moves every time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from plancmp.cli import write_output
from plancmp.compare import CompareOptions, compare
from plancmp.parse import load_document
from plancmp.parse.from_toml import load_positions, load_rules
from plancmp.render.to_html import render_report_html

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
TARGETS = {"bundled_kb": 300.0, "write_s": 3.0, "size_mb": 10.0, "load_s": 2.0}


def verdict(value: float, target: float) -> str:
    """ "ok", or how far over the target the figure is."""
    return "ok" if value < target else f"MISSED by {value - target:.2f} ({value / target - 1:.0%} over)"


def synthetic_pair(points: int, seed: int, cache: Path) -> tuple[Path, Path, float | None]:
    """The old and new drafts of a synthetic pair, from the cache or generated; and the generation time."""
    folder = cache / f"synth-hard-en-{points}-seed{seed}"
    old, new = folder / "old.txt", folder / "new.txt"
    if old.exists() and new.exists():
        return old, new, None
    from bench.synth import generate_pair, write_pair

    start = time.perf_counter()
    pair = generate_pair(seed, points, "en", "hard")
    took = time.perf_counter() - start
    folder.mkdir(parents=True, exist_ok=True)
    written = write_pair(pair, folder, "txt")
    return written[0], written[1], took


def load_times(path: Path, runs: int) -> list[float] | None:
    """Seconds from navigation to load event + window.plancmpReady, in fresh contexts; None without Chromium."""
    if not os.path.exists(CHROMIUM):
        print(f"  load time: skipped (no Chromium at {CHROMIUM}; apt-get install chromium)")
        return None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("  load time: skipped (playwright is not installed)")
        return None
    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            start = time.perf_counter()
            page.goto(path.as_uri(), wait_until="load", timeout=120_000)
            # Polled from outside: wait_for_function evals inside the page, which its CSP forbids.
            while not page.evaluate("window.plancmpReady === true"):
                time.sleep(0.005)
            times.append(time.perf_counter() - start)
            context.close()
        browser.close()
    return times


def main(argv: Sequence[str] | None = None) -> int:
    """Print the figures; exit 0 (a benchmark reports, it does not fail)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--points", type=int, default=2000, help="size of the synthetic pair (default 2000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic pair (default 1)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per figure (default 3)")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium load time")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "plancmp-bench",
                        help="folder for generated drafts (default: the system's temporary folder)")
    args = parser.parse_args(argv)

    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    drafts = ROOT / "drafts"
    options = CompareOptions(positions=load_positions(str(drafts / "positions.toml")), rules=load_rules())
    bundled = compare(load_document(str(drafts / "28-point.txt")), load_document(str(drafts / "20-point.txt")), options)
    kb = len(render_report_html(bundled).encode("utf-8")) / 1024
    print(f"bundled 28 → 20 report with positions: {kb:.1f} KB "
          f"(target < {TARGETS['bundled_kb']:.0f} KB) {verdict(kb, TARGETS['bundled_kb'])}")

    old, new, generated = synthetic_pair(args.points, args.seed, args.cache)
    print(f"synthetic pair: {args.points} points, seed {args.seed}, hard, English ({old.parent})")
    if generated is not None:
        print(f"  generating the pair: {generated:.1f} s (cached for next time)")
    start = time.perf_counter()
    old_doc, new_doc = load_document(str(old)), load_document(str(new))
    comparison = compare(old_doc, new_doc, CompareOptions(rules=load_rules()))
    print(f"  reading + comparing (not the report's cost): {time.perf_counter() - start:.1f} s; "
          f"{len(old_doc.points)} → {len(new_doc.points)} points, {len(comparison.groups)} groups")

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.html"
        writes = []
        for _ in range(max(1, args.runs)):
            start = time.perf_counter()
            write_output(render_report_html(comparison), str(out))
            writes.append(time.perf_counter() - start)
        best = min(writes)
        print(f"  rendering + writing the report: {best:.2f} s best, {statistics.median(writes):.2f} s median "
              f"(target < {TARGETS['write_s']:.0f} s) {verdict(best, TARGETS['write_s'])}")
        mb = out.stat().st_size / 1024 / 1024
        print(f"  report size: {mb:.2f} MB (target < {TARGETS['size_mb']:.0f} MB) {verdict(mb, TARGETS['size_mb'])}")
        if not args.no_browser:
            times = load_times(out, max(1, args.runs))
            if times:
                median = statistics.median(times)
                shown = ", ".join(f"{t:.2f}" for t in times)
                print(f"  browser load to load event + plancmpReady: {median:.2f} s median ({shown}) "
                      f"(target < {TARGETS['load_s']:.0f} s) {verdict(median, TARGETS['load_s'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
