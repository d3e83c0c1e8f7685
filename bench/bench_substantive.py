"""CPU time of the substantive-change stage alone: python bench/bench_substantive.py [--points N]

Compares two generated drafts (bench_speed's revision and rewrite, ~200 words a point), then times
diff.substantive_changes over every kept group again, as CPU seconds (best of 7): on a shared,
busy machine wall time varies several-fold from run to run, CPU time by a few per cent. The
stage finds numbers, dates, deadlines, obligations, rights, conditions, parties, brackets and
references near each hunk, so its time should grow with what changed, not with the points' length.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_speed import make_pair
from plancmp.compare import compare
from plancmp.diff import new_side, old_side, substantive_changes
from plancmp.parse.from_text import read_text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=500, help="points a draft (default 500)")
    n = parser.parse_args().points
    for rewrite in (False, True):
        old, new = make_pair(n, 7, rewrite)
        comparison = compare(read_text(old, "old.txt"), read_text(new, "new.txt"))
        jobs = [(old_side(g.edits), new_side(g.edits), g.edits) for g in comparison.groups if g.old and g.new]
        best = float("inf")
        for _ in range(7):
            start = time.process_time()
            for a, b, edits in jobs:
                substantive_changes(a, b, edits, {})
            best = min(best, time.process_time() - start)
        kind = "rewrite " if rewrite else "revision"
        print(f"{kind} {n} points: substantive_changes over {len(jobs)} groups, {best:.3f} CPU s (best of 7)")


if __name__ == "__main__":
    main()
