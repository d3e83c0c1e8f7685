"""Two versions of plancmp timed in interleaved runs on the same long drafts: before and after a change.

    git worktree add /tmp/before <commit>
    python bench/bench_ab.py /tmp/before [--rounds 2] [--only revision,rewrite,json,report,history]

This machine's speed changes from one minute to the next (bench/PROFILE.md), so a figure is only
worth comparing with one taken in the same minute: each case runs the other checkout, then this
one, round after round. Prints wall seconds and peak memory (all processes, as bench_speed.py
measures it) for the cases of issue 16's targets: a 2,000-point revision and rewrite, the 14 MB
pair's json and report, a history of 10 drafts of 500 points.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import bench_speed

THIS_CHECKOUT = bench_speed.ROOT
CASES = ("revision", "rewrite", "json", "report", "history")
_PAIRS = {"revision": (2000, 2000, False), "rewrite": (2000, 2000, True), "json": (11000, 5, False),
          "report": (11000, 5, False)}
"""make_pair's arguments for each case that compares two drafts (json and report share theirs)."""


def _arguments(case: str, folder: Path) -> list[str]:
    """The case's plancmp arguments, its drafts written into folder (once for json and report)."""
    if case == "history":
        chain = bench_speed._write_chain(folder, 10, 500)
        return ["history", *chain, "--format", "json", "-o", str(folder / "history.json")]
    n, seed, rewrite = _PAIRS[case]
    old, new = folder / f"{n}_{seed}_{rewrite}_old.txt", folder / f"{n}_{seed}_{rewrite}_new.txt"
    if not old.exists():
        old_text, new_text = bench_speed.make_pair(n, seed, rewrite)
        old.write_text(old_text, encoding="utf-8")
        new.write_text(new_text, encoding="utf-8")
    if case == "report":
        return ["report", str(old), str(new), "-o", str(folder / "out.html")]
    return ["diff", "--format", "json", str(old), str(new), "-o", str(folder / "out.json")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("before", type=Path, help="a checkout of the version to compare with (a git worktree)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--only", default=",".join(CASES), help=f"some of {', '.join(CASES)}")
    args = parser.parse_args()
    if not (args.before / "plancmp" / "__init__.py").is_file():
        print(f"bench_ab.py: {args.before} holds no plancmp checkout; make one with git worktree add", file=sys.stderr)
        raise SystemExit(2)
    wanted = args.only.split(",")
    unknown = [c for c in wanted if c not in CASES]
    if unknown:
        print(f"bench_ab.py: --only {','.join(unknown)}: the cases are {', '.join(CASES)}", file=sys.stderr)
        raise SystemExit(2)
    with tempfile.TemporaryDirectory() as tmp:
        cases = {case: _arguments(case, Path(tmp)) for case in wanted}
        print(f"{'case':9} {'before':>17} {'after':>17}")
        for _ in range(args.rounds):
            for case in wanted:
                (t0, m0), (t1, m1) = (bench_speed._run(cases[case], root=root)
                                      for root in (args.before.resolve(), THIS_CHECKOUT))
                print(f"{case:9} {t0:7.2f} s {m0:5d} MB {t1:7.2f} s {m1:5d} MB", flush=True)


if __name__ == "__main__":
    main()
