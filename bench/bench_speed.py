"""Speed and memory of plancmp, as a user meets them: whole processes, cold starts, long drafts.

    python bench/bench_speed.py [--quick]

Prints, with the targets beside them (issue 16's):
- reading a generated 2,000-point, ~2 MB plain-text draft (target < 0.5 s);
- `plancmp --version`, `points` and `diff` on the bundled drafts, whole process from a cold start
  (diff: target ≤ 0.25 s, median of 10 runs);
- `plancmp diff --format json` end to end at 250 / 500 / 1,000 / 2,000 points of ~200 words, wall
  time and peak memory, beside git's `--word-diff` on the same files, for a *revision* (most
  points kept, some reworded, moved, dropped, added — what long bills and treaties go through;
  target at 2,000: ≤ 1.5 s) and a *rewrite* (every point reworded; ≤ 3 s), both ≤ 400 MB;
- a 14 MB pair (11,000 points): `diff --format json` (≤ 10 s, ≤ 600 MB) and `report` (≤ 15 s,
  ≤ 800 MB);
- `plancmp history` over a chain of 10 drafts of 500 points, in one process and shared among
  processes (≤ 2 s).

Memory is the peak of all of a run's processes together (see _run). This machine is a virtual
one whose host is shared: the same run can take twice as long from one minute to the next, so
compare two versions in interleaved runs, not one run against an old figure.

Drafts are generated here from a seeded vocabulary (no gold needed); bench/bench_align.py
measures accuracy on the gold-annotated synthetic set.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COMMON = (
    "the parties agree that shall will within after before signing under this agreement and of to in "
    "for by with on as each any all other such may must not no be is are their its from at or which"
).split()
_SYLLABLES = "ka lo mi re su ta vi no de pa ri tu mo se la ne ko ba di fu ga he jo ly ze".split()


def _vocabulary(size: int, seed: int = 3) -> list[str]:
    """Pseudo-words made of syllables: as many distinct content words as a long treaty has."""
    rng = random.Random(seed)
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choices(_SYLLABLES, k=rng.randint(2, 4))))
    return sorted(words)


VOCABULARY = _vocabulary(6000)
TOPICS = [VOCABULARY[k::40] for k in range(40)]
"""Forty topics of 150 content words each: points on one topic share words, others few."""


def _sentence(rng: random.Random, n: int, topic: list[str]) -> str:
    # Zipf-like: the first words of a topic are the ones its points use most.
    weights = [1.0 / (rank + 1) for rank in range(len(topic))]
    words = [rng.choice(COMMON) if rng.random() < 0.5 else rng.choices(topic, weights)[0] for _ in range(n)]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), f"{rng.randint(1, 900) * 1000:,}")
    return " ".join(words).capitalize() + "."


def make_point(rng: random.Random, words: int) -> str:
    """One provision of about `words` words, on one topic."""
    topic = rng.choice(TOPICS)
    out, left = [], words
    while left > 0:
        n = min(left, rng.randint(12, 30))
        out.append(_sentence(rng, n, topic))
        left -= n
    return " ".join(out)


def reword(rng: random.Random, text: str, share: float) -> str:
    """The text with a share of its words replaced by other words.

    A replaced word keeps the punctuation after it: a reworded sentence still ends with its full
    stop. (Until 2026-12-05 it did not, so a quarter of the rewrite's points lost their last full
    stop and were read as cut off, as from a PDF — a different workload, with ~1,300 warnings.)
    """
    words = text.split()
    for _ in range(max(1, int(len(words) * share))):
        k = rng.randrange(len(words))
        stop = words[k][len(words[k].rstrip(".,;:")):]
        words[k] = (rng.choice(VOCABULARY) if rng.random() < 0.5 else rng.choice(COMMON)) + stop
    return " ".join(words)


def make_pair(n: int, seed: int, rewrite: bool, words: int = 200) -> tuple[str, str]:
    """An old and a new draft of n points: a revision, or (rewrite) every point reworded."""
    rng = random.Random(seed)
    old = [make_point(rng, words) for _ in range(n)]
    new: list[str] = []
    for text in old:
        roll = rng.random()
        if rewrite:
            new.append(reword(rng, text, 0.25))
        elif roll < 0.03:
            continue  # dropped
        elif roll < 0.18:
            new.append(reword(rng, text, 0.1))
        else:
            new.append(text)
        if not rewrite and rng.random() < 0.03:
            new.append(make_point(rng, words))  # added
    if not rewrite:
        for _ in range(max(1, n // 100)):  # a few moves
            i, j = rng.randrange(len(new)), rng.randrange(len(new))
            new.insert(j, new.pop(i))
    as_text = lambda points: "Draft\n\n" + "\n\n".join(f"{k}. {t}" for k, t in enumerate(points, 1)) + "\n"
    return as_text(old), as_text(new)


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment plancmp runs in: compiled bytecode kept and read, as in an installed copy (pip
    compiles every module when it installs); a session that sets PYTHONDONTWRITEBYTECODE would
    otherwise time Python compiling plancmp's sources, ~0.07 s of every cold start."""
    env = {**os.environ, **(extra or {})}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _pss_kb(pid: int) -> int:
    """Proportional set size of one process (kB): its own pages, and its share of those it shares."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            return next((int(line.split()[1]) for line in f if line.startswith("Pss:")), 0)
    except (OSError, ValueError):
        return 0  # gone meanwhile, or no /proc


def _tree(pid: int) -> list[int]:
    """pid and every process below it."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            parents.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(parents.get(p, ()))
    return out


def _run(args: list[str], env: dict[str, str] | None = None, root: Path = ROOT) -> tuple[float, int]:
    """Wall seconds and peak memory (MB) of plancmp run with these arguments (the checkout at root:
    bench_ab.py runs another): each from a run of its own.

    The memory is the most its processes held together: plancmp shares long drafts' work among
    forked workers, whose pages are mostly the parent's, so the largest process's RSS would count
    those twice over and miss the rest. The sum of their proportional set sizes, sampled every
    50 ms, counts each page once; where /proc has no smaps_rollup, the largest RSS is given.

    The time is taken from a run with nobody watching it. Each sample reads the page tables of a
    long comparison's processes (5 ms of CPU, holding their memory lock): sampled, the rewrite's
    2,000 points took 4.31 s (median of six) against 3.89 s unwatched, both cores being busy.
    """
    wall, _ = _timed(args, env, root, sample=False)
    _, peak = _timed(args, env, root, sample=True)
    return wall, peak


def _timed(args: list[str], env: dict[str, str] | None, root: Path, sample: bool) -> tuple[float, int]:
    """Wall seconds of one run, and its peak memory (MB): the sampled PSS (sample) or the largest
    process's RSS from /usr/bin/time."""
    import threading

    cmd = ["/usr/bin/time", "-f", "%e %M", sys.executable, "-m", "plancmp", *args]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=root, env=_env({**(env or {}), "PYTHONPATH": str(root)}))
        peak_pss = [0]
        ended = threading.Event()

        def watch() -> None:
            while not ended.wait(0.05):
                peak_pss[0] = max(peak_pss[0], sum(_pss_kb(p) for p in _tree(proc.pid)[1:]))  # not /usr/bin/time

        # The sampling runs beside the wait, so the wall time is the run's own (a wait in 50 ms
        # steps added up to 50 ms to it: a cold start of 0.26 s read as 0.33).
        sampler = threading.Thread(target=watch, daemon=True)
        if sample:
            sampler.start()
        proc.wait()
        wall = time.perf_counter() - start
        ended.set()
        if sample:
            sampler.join()
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").strip().splitlines()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"plancmp {' '.join(args)} failed: {lines[-1] if lines else proc.returncode}")
    peak_rss = int(lines[-1].split()[1])
    return wall, (peak_pss[0] or peak_rss) // 1024


def _median_run(args: list[str], runs: int, env: dict[str, str] | None = None) -> tuple[float, int]:
    _timed(args, env, ROOT, sample=False)  # not counted: writes the bytecode of a source checkout, as pip does at install
    walls = [_timed(args, env, ROOT, sample=False)[0] for _ in range(runs)]
    return statistics.median(walls), _timed(args, env, ROOT, sample=True)[1]


def _git_word_diff(a: Path, b: Path) -> float | None:
    """Seconds git takes for a word diff of the same two files (a reference users know), or None without git."""
    if not shutil.which("git"):
        return None
    start = time.perf_counter()
    subprocess.run(["git", "diff", "--no-index", "--word-diff=plain", str(a), str(b)], capture_output=True, check=False)
    return time.perf_counter() - start


def _mark(value: float, target: float) -> str:
    return "ok" if value <= target else "MISSED"


def _write_chain(folder: Path, n_drafts: int, n_points: int) -> list[str]:
    """A chain of drafts, each a light revision of the one before."""
    rng = random.Random(5)
    points = [make_point(rng, 120) for _ in range(n_points)]
    paths = []
    for k in range(n_drafts):
        if k:
            for i in rng.sample(range(len(points)), len(points) // 10):
                points[i] = reword(rng, points[i], 0.1)
            del points[rng.randrange(len(points))]
            points.insert(rng.randrange(len(points)), make_point(rng, 120))
        path = folder / f"chain{k}.txt"
        path.write_text("\n\n".join(f"{i}. {t}" for i, t in enumerate(points, 1)) + "\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def main() -> None:
    """Print the figures, each beside its target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer runs, no 15 MB pair")
    quick = parser.parse_args().quick
    runs = 3 if quick else 10
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; load {os.getloadavg()[0]:.2f} "
          "(timings on a loaded machine run long: compare with the load)")

    from plancmp.parse.from_text import read_text

    old_text, _ = make_pair(2000, 1, rewrite=False, words=150)
    start = time.perf_counter()
    doc = read_text(old_text, "big.txt")
    read_time = time.perf_counter() - start
    print(f"\nread a {len(doc.points)}-point, {len(old_text.encode()) / 1e6:.1f} MB text draft: "
          f"{read_time:.2f} s (target < 0.5 s)")

    version_time, _ = _median_run(["--version"], runs)
    points_time, _ = _median_run(["points", "drafts/28-point.txt"], runs)
    diff_time, diff_mb = _median_run(["diff", "drafts/28-point.txt", "drafts/20-point.txt"], runs)
    print(f"cold processes, median of {runs}: plancmp --version {version_time:.2f} s; points on a bundled draft "
          f"{points_time:.2f} s; diff 28 → 20 {diff_time:.3f} s, {diff_mb} MB "
          f"(target ≤ 0.25 s: {_mark(diff_time, 0.25)})")

    sizes = (250, 500, 1000) if quick else (250, 500, 1000, 2000)
    targets = {"revision": 1.5, "rewrite": 3.0}
    with tempfile.TemporaryDirectory() as tmp:
        for kind, rewrite in (("revision", False), ("rewrite", True)):
            print(f"\nplancmp diff --format json, {kind} (~200 words a point), beside git diff --word-diff:")
            print(f"  {'points':>6}  {'wall s':>7}  {'peak MB':>7}  {'git s':>6}  {'× git':>6}")
            for n in sizes:
                old, new = make_pair(n, n, rewrite)
                a, b = Path(tmp) / f"{kind}{n}_old.txt", Path(tmp) / f"{kind}{n}_new.txt"
                a.write_text(old, encoding="utf-8")
                b.write_text(new, encoding="utf-8")
                wall, peak = _run(["diff", str(a), str(b), "--format", "json", "-o", str(Path(tmp) / "out.json")])
                git = _git_word_diff(a, b)
                ratio = f"{wall / git:>6.1f}" if git else f"{'n/a':>6}"
                git_s = f"{git:>6.2f}" if git is not None else f"{'n/a':>6}"
                print(f"  {n:>6}  {wall:>7.2f}  {peak:>7}  {git_s}  {ratio}")
            print(f"  target at 2,000 points: ≤ {targets[kind]} s and ≤ 400 MB"
                  + (f" — {_mark(wall, targets[kind])} on time, {_mark(peak, 400)} on memory" if not quick else ""))

        if not quick:
            old, new = make_pair(11000, 5, rewrite=False, words=200)
            a, b = Path(tmp) / "big_old.txt", Path(tmp) / "big_new.txt"
            a.write_text(old, encoding="utf-8")
            b.write_text(new, encoding="utf-8")
            size = (a.stat().st_size + b.stat().st_size) / 2e6
            wall, peak = _run(["diff", str(a), str(b), "--format", "json", "-o", str(Path(tmp) / "big.json")])
            print(f"\na {size:.0f} MB pair (11,000 points of ~200 words, a revision):")
            print(f"  diff --format json: {wall:.1f} s, {peak} MB (target ≤ 10 s and ≤ 600 MB: "
                  f"{_mark(wall, 10)}, {_mark(peak, 600)})")
            wall, peak = _run(["report", str(a), str(b), "-o", str(Path(tmp) / "big.html")])
            print(f"  report: {wall:.1f} s, {peak} MB (target ≤ 15 s and ≤ 800 MB: {_mark(wall, 15)}, {_mark(peak, 800)})")
            git = _git_word_diff(a, b)
            if git is not None:
                print(f"  git diff --word-diff on the same files: {git:.1f} s")

        n_drafts, n_points = (5, 200) if quick else (10, 500)
        paths = _write_chain(Path(tmp), n_drafts, n_points)
        out = str(Path(tmp) / "history.json")
        serial, serial_mb = _run(["history", *paths, "--format", "json", "-o", out], {"PLANCMP_WORKERS": "1"})
        parallel, parallel_mb = _run(["history", *paths, "--format", "json", "-o", out])
        print(f"\nplancmp history, {n_drafts} drafts of {n_points} points: {parallel:.2f} s, {parallel_mb} MB in "
              f"parallel processes; {serial:.2f} s, {serial_mb} MB in one (target ≤ 2 s for 10 × 500: "
              f"{_mark(parallel, 2.0)})")


if __name__ == "__main__":
    main()
