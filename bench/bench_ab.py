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

HERE = bench_speed.ROOT


def _cases(folder: Path) -> dict[str, list[str]]:
    """The drafts written into folder, and each case's plancmp arguments."""
    for name, (n, seed, rewrite) in {"revision": (2000, 2000, False), "rewrite": (2000, 2000, True),
                                     "long": (11000, 5, False)}.items():
        old, new = bench_speed.make_pair(n, seed, rewrite)
        (folder / f"{name}_old.txt").write_text(old, encoding="utf-8")
        (folder / f"{name}_new.txt").write_text(new, encoding="utf-8")
    chain = bench_speed._write_chain(folder, 10, 500)
    pair = lambda name: [str(folder / f"{name}_old.txt"), str(folder / f"{name}_new.txt")]
    return {
        "revision": ["diff", "--format", "json", *pair("revision"), "-o", str(folder / "out.json")],
        "rewrite": ["diff", "--format", "json", *pair("rewrite"), "-o", str(folder / "out.json")],
        "json": ["diff", "--format", "json", *pair("long"), "-o", str(folder / "out.json")],
        "report": ["report", *pair("long"), "-o", str(folder / "out.html")],
        "history": ["history", *chain, "--format", "json", "-o", str(folder / "history.json")],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("before", type=Path, help="a checkout of the version to compare with (a git worktree)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--only", default="revision,rewrite,json,report,history")
    args = parser.parse_args()
    if not (args.before / "plancmp" / "__init__.py").is_file():
        print(f"bench_ab.py: {args.before} holds no plancmp checkout; make one with git worktree add", file=sys.stderr)
        raise SystemExit(2)
    with tempfile.TemporaryDirectory() as tmp:
        cases = _cases(Path(tmp))
        wanted = args.only.split(",")
        print(f"{'case':9} {'before':>17} {'after':>17}")
        for _ in range(args.rounds):
            for name in wanted:
                figures = []
                for root in (args.before.resolve(), HERE):
                    bench_speed.ROOT = root  # plancmp runs from this checkout (python -m, cwd first)
                    figures.append(bench_speed._run(cases[name]))
                bench_speed.ROOT = HERE
                (t0, m0), (t1, m1) = figures
                print(f"{name:9} {t0:7.2f} s {m0:5d} MB {t1:7.2f} s {m1:5d} MB", flush=True)


if __name__ == "__main__":
    main()
