"""Kill rate per module of the last mutation run: python bench/mutation_report.py [--survivors]

Run `mutmut run` first (configured under [tool.mutmut] in pyproject.toml; README, Development).
Reads `mutmut results --all true` and prints, per module, the mutants killed (a test failed or
timed out), survived (every test passed), and those no fast test reaches; the kill rate is killed
over all three. align/steps.py is printed in two parts: the merge and split steps (regroup,
best_home, attach and the step that runs them) and the rest. --survivors lists the survivors;
`mutmut show NAME` shows one.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence

_NAME = re.compile(r"^(?P<module>.+?)\.x(?:ǁ(?P<cls>[^ǁ]+)ǁ|_)(?P<func>.+)__mutmut_\d+$")
MERGE_SPLIT = {"regroup", "best_home", "attach", "merges_and_weak_pairs"}
"""The functions of align/steps.py that find merge and split parts."""
KILLED = {"killed", "timeout", "caught by type check", "segfault"}
COUNTED = KILLED | {"survived", "no tests", "suspicious"}


def where(name: str) -> str:
    """The module a mutant is in; steps.py split into its merge/split part and the rest."""
    m = _NAME.match(name)
    if m is None:
        return "?"
    module = m.group("module")
    if module == "plancmp.align.steps":
        return module + (" (merge/split)" if m.group("func") in MERGE_SPLIT else " (other)")
    return module


def results() -> list[tuple[str, str]]:
    """(mutant, status) for every mutant of the last run."""
    done = subprocess.run(["mutmut", "results", "--all", "true"], capture_output=True, text=True, check=True)
    out = []
    for line in done.stdout.splitlines():
        name, sep, status = line.strip().partition(": ")
        if sep:
            out.append((name, status.strip()))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Print the kill rate per module (and the survivors, if asked)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--survivors", action="store_true", help="list the surviving mutants")
    args = parser.parse_args(argv)
    found = results()
    if not found:
        print("no mutants: run `mutmut run` first", file=sys.stderr)
        return 2
    by_module: dict[str, Counter[str]] = {}
    for name, status in found:
        by_module.setdefault(where(name), Counter())[status] += 1
    unchecked = sum(c["not checked"] for c in by_module.values())
    print(f"{'module':<40}{'mutants':>8}{'killed':>8}{'survived':>9}{'no test':>8}{'kill rate':>10}")
    total: Counter[str] = Counter()
    for module in sorted(by_module):
        c = by_module[module]
        total.update(c)
        counted = sum(c[s] for s in COUNTED)
        killed = sum(c[s] for s in KILLED)
        rate = f"{killed / counted:.1%}" if counted else "n/a"
        print(f"{module:<40}{counted:>8}{killed:>8}{c['survived']:>9}{c['no tests']:>8}{rate:>10}")
    counted = sum(total[s] for s in COUNTED)
    killed = sum(total[s] for s in KILLED)
    print(f"{'all':<40}{counted:>8}{killed:>8}{total['survived']:>9}{total['no tests']:>8}{killed / counted:>10.1%}")
    if unchecked:
        print(f"({unchecked} mutants not checked yet: the run is unfinished)")
    if args.survivors:
        print()
        for name, status in found:
            if status in ("survived", "no tests", "suspicious"):
                print(f"{status:<10} {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
