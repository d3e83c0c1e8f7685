"""`plancmp batch` at scale: pairs per second on 1 process and on all cores, the overhead per pair
against calling the library in a loop, the engine chosen, and the driver's memory across sizes.

    python bench/bench_batch.py [--pairs 2000] [--repeat 3] [--skip-engines] [--skip-memory]

Needs `pip install -e '.[batch]'`. Prints, with the targets beside them:
- the same N generated pairs (bench/synth.py, 30–200 points, hard revisions) compared
  (a) by a loop calling the library (read both drafts, compare, render the JSON, write it: what a
      user's own script would do), (b) by `plancmp batch --workers 1`, (c) by `plancmp batch` on all
      cores; whole processes, fresh output folders, wall time; medians of --repeat runs.
  Targets: speed-up of (c) over (b) ≥ 1.8× on 2 cores; (b) at most 10% slower per pair than (a).
- the engines: the same small pairs through a Dask LocalCluster of processes (the default) and
  through dask's multiprocessing scheduler (in chunks, since it returns results only at the end of
  a graph), against the plain loop, one worker each: start-up and cost per pair.
- the driver's own peak memory (RSS of the `plancmp batch` process, not its workers) for 250 to
  4,000 small pairs: it should not grow with the number of pairs.

The machine may be shared: the load average is printed beside every figure. The generated corpus
is kept in bench/out/batch/ (git-ignored) and reused.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = ROOT / "bench" / "out" / "batch"

_DRIVER = """
import atexit, resource, sys
from plancmp.cli import main
atexit.register(lambda: sys.stderr.write(f"PEAK_KB {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n"))
sys.argv = ["plancmp", *sys.argv[1:]]
main()
"""
"""`plancmp` itself, reporting its own peak RSS (RUSAGE_SELF: the driver, not the worker processes)."""


def load() -> str:
    """The 1-minute load average, to print beside a figure."""
    return f"load {os.getloadavg()[0]:.2f}"


def make_corpus(n: int, seed: int = 17) -> Path:
    """n generated pairs of 30–200 points under bench/out/batch/corpus-<n>, with pairs.csv; reused when there."""
    from bench.synth import generate_pair, write_pair

    folder = WORK / f"corpus-{n}-{seed}"
    manifest = folder / "pairs.csv"
    if manifest.exists():
        return manifest
    rng = random.Random(seed)
    sizes = [rng.randint(30, 200) for _ in range(n)]
    rows = ["old,new,id"]
    start = time.perf_counter()
    for k, size in enumerate(sizes):
        write_pair(generate_pair(seed * 100_000 + k, size), folder / f"p{k:05d}")
        rows.append(f"p{k:05d}/old.txt,p{k:05d}/new.txt,p{k:05d}")
        if k % 200 == 199:
            print(f"  generated {k + 1} of {n} pairs ({time.perf_counter() - start:.0f} s)", flush=True)
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return manifest


def small_corpus(n: int) -> Path:
    """n pairs that are all the same small (30-point) pair: the driver's cost per pair, little else."""
    from bench.synth import generate_pair, write_pair

    folder = WORK / "small"
    if not (folder / "old.txt").exists():
        write_pair(generate_pair(3, 30), folder)
    manifest = folder / f"pairs-{n}.csv"
    if not manifest.exists():
        manifest.write_text("old,new,id\n" + "".join(f"old.txt,new.txt,s{k:05d}\n" for k in range(n)), encoding="utf-8")
    return manifest


def loop(manifest: Path, out: Path) -> None:
    """The baseline: the library called pair by pair, each JSON written (run in its own process)."""
    from plancmp.compare import CompareOptions, compare
    from plancmp.parse import load_document
    from plancmp.parse.from_manifest import load_manifest
    from plancmp.parse.from_toml import load_rules
    from plancmp.render.to_json import render_diff_json

    options = CompareOptions(rules=load_rules(None))
    out.mkdir(parents=True, exist_ok=True)
    for spec in load_manifest(str(manifest)).pairs:
        comparison = compare(load_document(spec.old), load_document(spec.new), options)
        (out / f"{spec.id}.json").write_text(render_diff_json(comparison), encoding="utf-8")


def cpu_seconds(who: int) -> float:
    """User + system CPU seconds of this process (RUSAGE_SELF) or of its finished descendants (RUSAGE_CHILDREN)."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def timed(args: list[str], out: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (the process and every process it started) and the driver's peak RSS (MB)."""
    shutil.rmtree(out, ignore_errors=True)
    cpu = cpu_seconds(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, check=False)
    wall = time.perf_counter() - start
    cpu = cpu_seconds(resource.RUSAGE_CHILDREN) - cpu
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed: {proc.stderr.strip()[-500:]}")
    peak = [int(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("PEAK_KB ")]
    return wall, cpu, (peak[-1] // 1024 if peak else 0)


def batch_args(manifest: Path, out: Path, workers: int) -> list[str]:
    """`plancmp batch` through the driver wrapper."""
    return [sys.executable, "-c", _DRIVER, "batch", str(manifest), "-o", str(out), "--workers", str(workers)]


def speed(pairs: int, repeat: int) -> None:
    """Pairs per second: loop, 1 process, all cores."""
    manifest = make_corpus(pairs)
    cores = os.cpu_count() or 1
    out = WORK / "run"
    loop_args = [sys.executable, str(Path(__file__).resolve()), "--loop", str(manifest), str(out)]
    runs: dict[str, list[tuple[float, float]]] = {"loop": [], "batch 1": [], f"batch {cores}": []}
    for k in range(repeat):
        # Interleaved, so that a change of load touches every variant alike.
        for name, args in (("loop", loop_args), ("batch 1", batch_args(manifest, out, 1)),
                           (f"batch {cores}", batch_args(manifest, out, cores))):
            before = load()
            wall, cpu, _ = timed(args, out)
            runs[name].append((wall, cpu))
            print(f"  run {k + 1}: {name:<8} {wall:8.1f} s  {pairs / wall:6.2f} pairs/s  CPU {cpu:7.1f} s  "
                  f"({before} before, {load()} after)", flush=True)
    wall = {name: statistics.median(w for w, _ in v) for name, v in runs.items()}
    cpu = {name: statistics.median(c for _, c in v) for name, v in runs.items()}
    print(f"\n{pairs} pairs of 30–200 points, medians of {repeat}:")
    for name in runs:
        print(f"  {name:<10} {wall[name]:8.1f} s  {pairs / wall[name]:6.2f} pairs/s  {1000 * wall[name] / pairs:7.1f} ms a pair"
              f"  CPU {1000 * cpu[name] / pairs:7.1f} ms a pair")
    print(f"  overhead of batch (1 process) over the loop, wall: {wall['batch 1'] / wall['loop'] - 1:+.1%} a pair "
          f"({1000 * (wall['batch 1'] - wall['loop']) / pairs:+.1f} ms; target ≤ 10%)")
    print(f"  overhead of batch (1 process) over the loop, CPU of every process: {cpu['batch 1'] / cpu['loop'] - 1:+.1%} "
          f"({1000 * (cpu['batch 1'] - cpu['loop']) / pairs:+.1f} ms; not disturbed by other load)")
    print(f"  speed-up on {cores} cores over 1 process: {wall['batch 1'] / wall[f'batch {cores}']:.2f}× "
          f"(target ≥ 1.8× on 2 cores; meaningful only when the load is under 1 before and after)")


def engines(n: int, repeat: int) -> None:
    """LocalCluster against dask's multiprocessing scheduler and the loop, one worker each."""
    from plancmp.batch import BatchOptions, OutputFolder, local_engine, run_batch
    from plancmp.compare import CompareOptions
    from plancmp.parse.from_manifest import load_manifest
    from plancmp.parse.from_toml import load_rules

    pairs = load_manifest(str(small_corpus(n))).pairs
    options = BatchOptions(CompareOptions(rules=load_rules(None)))
    out = WORK / "engines"
    results: dict[str, list[tuple[float, float, float]]] = {"loop": [], "LocalCluster": [], "multiprocessing": []}

    def cpu_now() -> float:
        return cpu_seconds(resource.RUSAGE_SELF) + cpu_seconds(resource.RUSAGE_CHILDREN)

    for _ in range(repeat):
        shutil.rmtree(out, ignore_errors=True)
        cpu, start = cpu_now(), time.perf_counter()
        _loop_in_process(pairs, options, OutputFolder(str(out)))
        results["loop"].append((0.0, time.perf_counter() - start, cpu_now() - cpu))

        shutil.rmtree(out, ignore_errors=True)
        cpu, start = cpu_now(), time.perf_counter()
        engine = local_engine(1)
        engine.client  # noqa: B018 - start the cluster here, to time the start apart
        started = time.perf_counter()
        for _ in run_batch(pairs, options, engine, OutputFolder(str(out))):
            pass
        done = time.perf_counter()
        engine.close()
        results["LocalCluster"].append((started - start, done - started, cpu_now() - cpu))

        shutil.rmtree(out, ignore_errors=True)
        cpu = cpu_now()
        start_up, work = _multiprocessing(pairs, options, OutputFolder(str(out)), 1)
        results["multiprocessing"].append((start_up, work, cpu_now() - cpu))
    print(f"\nengines, {n} small pairs (30 points), one worker, medians of {repeat} ({load()}):")
    base = statistics.median(r[1] for r in results["loop"]) / n
    base_cpu = statistics.median(r[2] for r in results["loop"]) / n
    for name, rows in results.items():
        start_up = statistics.median(r[0] for r in rows)
        per_pair = statistics.median(r[1] for r in rows) / n
        cpu_pair = statistics.median(r[2] for r in rows) / n
        print(f"  {name:<16} start {start_up:5.2f} s  wall {1000 * per_pair:6.1f} ms a pair "
              f"({1000 * (per_pair - base):+5.1f} over the loop)  CPU of every process {1000 * cpu_pair:6.1f} ms a pair "
              f"({1000 * (cpu_pair - base_cpu):+5.1f}, start-up included)")


def _loop_in_process(pairs: tuple, options: object, folder: object) -> None:  # type: ignore[type-arg]
    from plancmp.batch import compare_job, job_for, options_digest

    salt = options_digest(options)  # type: ignore[arg-type]
    for spec in pairs:
        folder.write(compare_job(job_for(spec, options, salt), options))  # type: ignore[arg-type, attr-defined]


def _multiprocessing(pairs: tuple, options: object, folder: object, workers: int) -> tuple[float, float]:  # type: ignore[type-arg]
    """The alternative engine: dask.multiprocessing.get over chunks of jobs (its results come at a graph's end)."""
    from concurrent.futures import ProcessPoolExecutor

    import dask.multiprocessing

    from plancmp.batch import compare_job, job_for, options_digest

    salt = options_digest(options)  # type: ignore[arg-type]
    start = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(int, range(workers)))  # the pool up and running
        started = time.perf_counter()
        jobs = (job_for(spec, options, salt) for spec in pairs)  # type: ignore[arg-type]
        while chunk := list(itertools.islice(jobs, 8 * workers)):
            graph = {("pair", k): (compare_job, job, options) for k, job in enumerate(chunk)}
            for result in dask.multiprocessing.get(graph, list(graph), pool=pool):
                folder.write(result)  # type: ignore[attr-defined]
        done = time.perf_counter()
    return started - start, done - started


def memory(sizes: tuple[int, ...]) -> None:
    """The driver's peak RSS as the number of pairs grows."""
    cores = os.cpu_count() or 1
    print(f"\ndriver memory (the plancmp batch process alone), small pairs, {cores} workers:")
    for n in sizes:
        before = load()
        wall, _, peak = timed(batch_args(small_corpus(n), WORK / "memory", cores), WORK / "memory")
        print(f"  {n:>5} pairs  peak {peak:4d} MB  {wall:6.1f} s  ({before})", flush=True)
    print("  target: flat (no growth with the number of pairs)")


def main() -> None:
    """Print the figures."""
    if len(sys.argv) == 4 and sys.argv[1] == "--loop":
        loop(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=2000, help="generated pairs for the speed figures (default 2000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each variant (default 3)")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-engines", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; {load()}", flush=True)
    WORK.mkdir(parents=True, exist_ok=True)
    if not args.skip_engines:
        engines(400, args.repeat)
    if not args.skip_memory:
        memory((250, 500, 1000, 2000, 4000))
    if not args.skip_speed:
        speed(args.pairs, args.repeat)


if __name__ == "__main__":
    main()
