"""Chains benchmark: lineages through chains of synthetic drafts, and the time `plancmp history` takes.

Run from the repository root (the venv active):

    python bench/bench_chain.py              # 20 chains per set, then the 10 × 500 timing
    python bench/bench_chain.py --quick      # 6 chains per set, a 5 × 200 timing
    python bench/bench_chain.py --chains 40 --worst 5
    python bench/bench_chain.py --no-timing

Sets: chains of 5 drafts from bench/synth.generate_chain, 30–80 points in the first draft (seed k
draws its size), each draft a revision of the one before with the generator's edits.
    easy-en    English, light revisions (synth.EASY)
    hard-en    English, heavy revisions (synth.HARD)
Every draft is written to a file and read back with plancmp.parse.load_document.

Methods, each composing its step-by-step alignments into lineages the same way (connected
components of the links between consecutive drafts):
    plancmp      plancmp.compare.compare_chain (its own lineages)
    difflib      bench_align.run_difflib on each step, composed with synth.compose_lineages
    same-number  bench_align.run_same_number on each step, composed likewise

Metrics, over all chains of a set:
    exact      share of gold lineages reported exactly: one lineage with the same ids in every draft
    steps      share of the steps' gold groups reported exactly (the alignment benchmark's "exact")
    ms/chain   the method's mean time per chain, reading the files excluded

For plancmp, every gold lineage it misses is put down to a cause: the step whose alignment got a
group of it wrong (and the kind of gold group: 1:1, merge, split, dropped, added), or, when every
step was right, the composition of lineages itself (plancmp/lineage.py).

Then the time of `python -m plancmp.cli history` over a chain of 10 drafts of 500 points of about
120 words (whole process, median of runs), and where the time goes, measured in-process.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_align import run_difflib, run_same_number
from bench.synth import (
    ChainIds,
    GoldGroup,
    SynthChain,
    compose_lineages,
    generate_chain,
    write_chain,
)
from plancmp.model import Document
from plancmp.parse import load_document

TARGET_EXACT = 0.95
"""Lineage exact-match rate plancmp should reach."""
TARGET_SECONDS = 5.0
"""Wall time `plancmp history` should stay under for 10 drafts of 500 points."""

Groups = list[tuple[tuple[str, ...], tuple[str, ...]]]


@dataclass(frozen=True)
class SetSpec:
    """One benchmark set."""

    name: str
    language: str
    difficulty: str


SETS = (SetSpec("easy-en", "en", "easy"), SetSpec("hard-en", "en", "hard"))


def chain_size(seed: int) -> int:
    """The number of points in a seed's first draft: 30–80."""
    return random.Random(seed).randint(30, 80)


# -- methods ------------------------------------------------------------------------------------


def run_plancmp(docs: Sequence[Document]) -> tuple[list[ChainIds], list[Groups]]:
    """plancmp's lineages and its step-by-step groups."""
    from plancmp.compare import compare_chain

    chain = compare_chain(tuple(docs), tuple(f"d{k}" for k in range(len(docs))))
    steps = [[(g.old, g.new) for g in step.groups] for step in chain.steps]
    return [lineage.ids for lineage in chain.lineages], steps


Method = Callable[[Sequence[Document]], tuple[list[ChainIds], list[Groups]]]
"""Drafts in, (lineages, each step's groups) out."""


def _composed(step: Callable[[Document, Document], list[tuple[tuple[str, ...], tuple[str, ...], bool]]]) -> Method:
    """A pair method run on each step, its links composed into lineages like plancmp's."""

    def run(docs: Sequence[Document]) -> tuple[list[ChainIds], list[Groups]]:
        steps = [[(o, n) for o, n, _ in step(a, b)] for a, b in itertools.pairwise(docs)]
        return compose_lineages([len(d.points) for d in docs], steps), steps

    return run


METHODS: dict[str, Method] = {
    "plancmp": run_plancmp,
    "difflib": _composed(run_difflib),
    "same-number": _composed(run_same_number),
}


# -- scoring ------------------------------------------------------------------------------------


@dataclass
class Tally:
    """Counts behind a method's figures on one set."""

    lineages: int = 0
    exact: int = 0
    groups: int = 0
    groups_exact: int = 0
    seconds: float = 0.0
    chains: int = 0


@dataclass
class Miss:
    """A gold lineage plancmp did not report, and why."""

    seed: int
    gold: ChainIds
    got: list[ChainIds]
    cause: str
    detail: list[str] = field(default_factory=list)


def _path(ids: ChainIds) -> str:
    return " → ".join("+".join(cell) or "—" for cell in ids)


def _shape(group: GoldGroup) -> str:
    old, new = group
    if not old:
        return "added"
    if not new:
        return "dropped"
    if len(old) > 1:
        return "merge"
    if len(new) > 1:
        return "split"
    return "1:1"


def diagnose(seed: int, gold: ChainIds, chain: SynthChain, pred: list[ChainIds], steps: list[Groups]) -> Miss:
    """Why plancmp missed a gold lineage: the first step whose groups for it are wrong, or composition."""
    got = [p for p in pred if any(set(p[k]) & set(gold[k]) for k in range(len(gold)))]
    detail = []
    causes = []
    for k, gold_step in enumerate(chain.steps):
        # A gold group lies inside one lineage, so touching it is belonging to it.
        wanted = [g for g in gold_step if set(g[0]) & set(gold[k]) or set(g[1]) & set(gold[k + 1])]
        reported = {(o, n) for o, n in steps[k]}
        wrong = [g for g in wanted if g not in reported]
        if wrong:
            for g in wrong:
                touching = sorted({(o, n) for o, n in steps[k] if set(o) & set(g[0]) or set(n) & set(g[1])})
                detail.append(
                    f"step {k + 1}: gold {'+'.join(g[0]) or '—'} → {'+'.join(g[1]) or '—'} ({_shape(g)}); got "
                    + "; ".join(f"{'+'.join(o) or '—'} → {'+'.join(n) or '—'}" for o, n in touching)
                )
            causes.append(f"alignment: a {_shape(wrong[0])} group")
    cause = causes[0] if causes else "composition (plancmp/lineage.py): every step right, lineage wrong"
    return Miss(seed, gold, got, cause, detail)


@dataclass
class SetRun:
    """One set's tallies per method and plancmp's misses."""

    spec: SetSpec
    tallies: dict[str, Tally]
    misses: list[Miss]
    counts: Counter[str]


def run_set(spec: SetSpec, n_chains: int, n_drafts: int) -> SetRun:
    """Generate, write, read and follow every chain of a set with every method."""
    tallies = {name: Tally() for name in METHODS}
    misses: list[Miss] = []
    counts: Counter[str] = Counter()
    for seed in range(1, n_chains + 1):
        chain = generate_chain(seed, chain_size(seed), n_drafts, spec.language, spec.difficulty)  # type: ignore[arg-type]
        with tempfile.TemporaryDirectory() as tmp:
            docs = [load_document(p) for p in write_chain(chain, tmp)]
        gold = set(chain.lineages)
        counts["points"] += sum(len(d.points) for d in docs)
        counts["lineages"] += len(gold)
        counts["spanning"] += sum(all(cell for cell in lineage) for lineage in gold)
        counts["branching"] += sum(any(len(cell) > 1 for cell in lineage) for lineage in gold)
        for name, method in METHODS.items():
            start = time.perf_counter()
            pred, steps = method(docs)
            elapsed = time.perf_counter() - start
            t = tallies[name]
            t.chains += 1
            t.seconds += elapsed
            t.lineages += len(gold)
            t.exact += len(gold & set(pred))
            for k, gold_step in enumerate(chain.steps):
                reported = set(steps[k])
                t.groups += len(gold_step)
                t.groups_exact += sum(g in reported for g in gold_step)
            if name == "plancmp":
                misses.extend(
                    diagnose(seed, g, chain, pred, steps) for g in chain.lineages if g not in set(pred)
                )
    return SetRun(spec, tallies, misses, counts)


def _rate(a: int, b: int) -> float:
    return a / b if b else 1.0


def print_sets(runs: Sequence[SetRun], worst: int) -> None:
    """One block per set: a row per method, then plancmp's misses by cause."""
    head = f"{'set':<9} {'method':<12}{'exact':>8}{'steps':>8}{'ms/chain':>10}"
    print(head)
    print("-" * len(head))
    for run in runs:
        c = run.counts
        first = run.tallies["plancmp"]
        print(
            f"{run.spec.name:<9} {first.chains} chains of 5 drafts, {c['points']} points; gold: {c['lineages']} lineages, "
            f"{c['spanning']} in every draft, {c['branching']} through a merge or split"
        )
        for name, t in run.tallies.items():
            print(
                f"{'':<9} {name:<12}{_rate(t.exact, t.lineages):>8.3f}{_rate(t.groups_exact, t.groups):>8.3f}"
                f"{1000 * t.seconds / max(t.chains, 1):>10.1f}"
            )
    print()
    for run in runs:
        t = run.tallies["plancmp"]
        rate = _rate(t.exact, t.lineages)
        print(f"  {run.spec.name}: plancmp lineage exact {rate:.3f} (target ≥ {TARGET_EXACT:.2f}: "
              f"{'ok' if rate >= TARGET_EXACT else 'MISS'})")
    for run in runs:
        if not run.misses:
            continue
        print()
        print(f"plancmp's missed lineages on {run.spec.name}: {len(run.misses)}, by cause")
        for cause, k in Counter(m.cause for m in run.misses).most_common():
            print(f"  {k:>5}  {cause}")
        shapes: Counter[str] = Counter(
            line.split("(")[1].split(")")[0] for m in run.misses for line in m.detail
        )
        print("  wrong step groups behind them, by gold shape: "
              + ", ".join(f"{shape} {k}" for shape, k in shapes.most_common()))
        for m in run.misses[:worst]:
            print(f"  seed {m.seed}: gold {_path(m.gold)}; got " + " | ".join(_path(g) for g in m.got))
            for line in m.detail[:4]:
                print(f"      {line}")


# -- timing ---------------------------------------------------------------------------------------


def _history_seconds(paths: Sequence[str], out: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "plancmp.cli", "history", *paths, "-o", str(out)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"plancmp history failed: {proc.stderr.strip()}")
    return wall


def breakdown(paths: Sequence[str]) -> list[tuple[str, float]]:
    """Where `plancmp history`'s time goes, measured in-process: the same stages compare_chain runs."""
    from plancmp.compare import CompareOptions, compare
    from plancmp.lineage import compare_paths
    from plancmp.lineage import compose_lineages as plancmp_lineages
    from plancmp.render import Presentation
    from plancmp.render.history import render_history_terminal

    out: list[tuple[str, float]] = []
    start = time.perf_counter()
    docs = tuple(load_document(p) for p in paths)
    out.append(("reading", time.perf_counter() - start))
    options = CompareOptions()
    options = replace(options, align=replace(options.align, pins=()))
    steps = []
    for k, (a, b) in enumerate(itertools.pairwise(docs), 1):
        start = time.perf_counter()
        steps.append(compare(a, b, options))
        out.append((f"step {k}", time.perf_counter() - start))
    start = time.perf_counter()
    direct = compare(docs[0], docs[-1], options)
    out.append(("direct first → last", time.perf_counter() - start))
    start = time.perf_counter()
    labels = tuple(Path(p).stem for p in paths)
    compare_paths(plancmp_lineages(docs, steps), direct, labels)
    out.append(("lineages", time.perf_counter() - start))
    from plancmp.compare import compare_chain

    chain = compare_chain(docs, labels, options)
    start = time.perf_counter()
    render_history_terminal(chain, Presentation())
    out.append(("rendering", time.perf_counter() - start))
    return out


def print_timing(n_drafts: int, n_points: int, runs: int) -> None:
    """Whole-process wall time of plancmp history on long chains, easy and hard, with a breakdown."""
    print()
    print(f"plancmp history, {n_drafts} drafts of {n_points} points (whole process, median of {runs} runs)")
    for difficulty in ("easy", "hard"):
        # The generator's points top out near 120 words (four sentences, two modifiers a clause),
        # so a high target range gives a mean near 110-120.
        chain = generate_chain(1, n_points, n_drafts, "en", difficulty, words=(130, 160))
        words = [len(" ".join([p.text, *p.items]).split()) for d in chain.drafts for p in d.points]
        with tempfile.TemporaryDirectory() as tmp:
            paths = [str(p) for p in write_chain(chain, tmp)]
            walls = [_history_seconds(paths, Path(tmp) / "history.txt") for _ in range(runs)]
            wall = statistics.median(walls)
            size = sum(Path(p).stat().st_size for p in paths) / 1e6
            print(
                f"  {difficulty:<5} revisions: {wall:.2f} s (target < {TARGET_SECONDS:.0f} s: "
                f"{'ok' if wall < TARGET_SECONDS else 'MISS'}); drafts of "
                f"{' / '.join(str(len(d.points)) for d in chain.drafts)} points, "
                f"{statistics.mean(words):.0f} words a point, {size:.1f} MB in all"
            )
            parts = breakdown(paths)
            inside = sum(s for _, s in parts)
            print("        in-process: " + ", ".join(f"{name} {s:.2f}" for name, s in parts)
                  + f"; total {inside:.2f} s, so start-up and writing ≈ {max(wall - inside, 0):.2f} s")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="6 chains per set and a 5 × 200 timing")
    parser.add_argument("--chains", type=int, help="chains per set (overrides --quick)")
    parser.add_argument("--worst", type=int, default=8, help="list this many missed lineages per set")
    parser.add_argument("--no-timing", action="store_true", help="skip the plancmp history timing")
    args = parser.parse_args(argv)
    n_chains = args.chains or (6 if args.quick else 20)
    started = time.perf_counter()
    print(f"plancmp chains benchmark: {n_chains} chains of 5 drafts per set, first drafts of 30–80 points")
    print()
    runs = [run_set(spec, n_chains, 5) for spec in SETS]
    print_sets(runs, args.worst)
    if not args.no_timing:
        n_drafts, n_points, repeats = (5, 200, 1) if args.quick else (10, 500, 3)
        print_timing(n_drafts, n_points, repeats)
    print()
    print(f"({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
