"""Fit the weights of plancmp's link confidence (plancmp/align/confidence.py) and check its calibration.

Run from the repository root (the venv active), after building bench/real/data (see bench/real/SOURCES.md):

    python bench/fit_confidence.py            # fit on every real pair and 40 synthetic pairs; print the weights
    python bench/fit_confidence.py --check    # only the calibration of the weights in confidence.py

Samples: every link plancmp makes that is not identical text nor pinned — on the real pairs
(bench/real) only links that touch a gold-linked section, each labelled right or wrong by the
gold; on synthetic hard-en pairs (bench/synth.py) every top-level link. A link of a group with
k old and m new points is k × m samples with the group's inputs.

The model is a logistic regression with a small ridge penalty, fitted by Newton's method. Its
calibration is checked pair by pair: each real pair is scored with the weights fitted without it
(leave one pair out), so the table says how the model does on documents it has not seen.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_real import DATA, load_pair
from bench.synth import generate_pair, write_pair
from plancmp.align.confidence import FEATURES, WEIGHTS, features, probability
from plancmp.align.options import AlignOptions
from plancmp.align.steps import Aligner
from plancmp.model import Document
from plancmp.parse import load_document

Sample = tuple[tuple[float, ...], bool]
PENALTY = 1.0
"""Ridge penalty on every weight but the bias: keeps the weights finite where a feature separates."""


def samples(old: Document, new: Document, gold: set[tuple[str, str]], partial: bool, top_only: bool) -> list[Sample]:
    """The inputs and the right-or-wrong label of every non-trivial link plancmp makes."""
    a = Aligner(old, new, AlignOptions()).run()
    scope = a.whole_scope()
    gold_old = {o for o, _ in gold}
    gold_new = {n for _, n in gold}
    out: list[Sample] = []
    for g in a.pending:
        if not g.old or not g.new or g.pinned or g.anchored:
            continue
        x = features(a, scope, g)
        for i in g.old:
            for j in g.new:
                o, n = a.old.forest.id(i), a.new.forest.id(j)
                if top_only and (a.old.forest.depth[i] or a.new.forest.depth[j]):
                    continue
                if partial and o not in gold_old and n not in gold_new:
                    continue
                out.append((x, (o, n) in gold))
    return out


def real_samples() -> dict[str, list[Sample]]:
    """Samples of every built real pair, by pair."""
    out = {}
    for folder in sorted(p for p in DATA.iterdir() if (p / "gold.json").exists()):
        pair = load_pair(folder.name)
        out[folder.name] = samples(pair.old, pair.new, set(pair.gold), partial=True, top_only=False)
    return out


def synthetic_samples(n_pairs: int) -> list[Sample]:
    """Samples of the synthetic hard-en pairs (top-level links; their gold is complete)."""
    import random

    out: list[Sample] = []
    for seed in range(1, n_pairs + 1):
        pair = generate_pair(seed, random.Random(seed).randint(30, 120), "en", "hard")
        with tempfile.TemporaryDirectory() as tmp:
            old_path, new_path = write_pair(pair, tmp, "txt")
            old, new = load_document(old_path), load_document(new_path)
        gold = {(o, n) for og, ng in pair.gold for o in og for n in ng}
        out.extend(samples(old, new, gold, partial=False, top_only=True))
    return out


def fit(data: list[Sample], iterations: int = 50) -> tuple[float, ...]:
    """Ridge logistic regression by Newton's method."""
    import numpy as np

    x = np.array([s[0] for s in data], dtype=float)
    y = np.array([1.0 if s[1] else 0.0 for s in data])
    w = np.zeros(x.shape[1])
    ridge = np.full(x.shape[1], PENALTY)
    ridge[0] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) + ridge * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(ridge + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return tuple(round(float(v), 2) for v in w)


def table(scored: list[tuple[float, bool]]) -> None:
    """Links and share right per tenth of confidence."""
    print(f"  {'confidence':>10} {'links':>7} {'right':>7}")
    for k in range(10):
        bucket = [ok for p, ok in scored if min(9, int(p * 10)) == k]
        share = f"{sum(bucket) / len(bucket):.3f}" if bucket else "n/a"
        print(f"  {k / 10:.1f}–{(k + 1) / 10:.1f}   {len(bucket):>7} {share:>7}")
    if scored:
        brier = sum((p - ok) ** 2 for p, ok in scored) / len(scored)
        print(f"  Brier score {brier:.4f} over {len(scored)} links")


def main() -> int:
    """Fit or check, and print."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only the calibration of the weights in confidence.py")
    parser.add_argument("--synthetic", type=int, default=40, help="synthetic pairs to add to the fit (default 40)")
    args = parser.parse_args()
    real = real_samples()
    if not real:
        print("no real pairs built: see bench/real/SOURCES.md")
        return 1
    print("features:", ", ".join(FEATURES))
    if args.check:
        print("calibration of the weights in plancmp/align/confidence.py on the real pairs:")
        table([(probability(x, WEIGHTS), ok) for data in real.values() for x, ok in data])
        return 0
    synthetic = synthetic_samples(args.synthetic)
    # Folds: each real pair, and the synthetic links in four parts; each is scored by the weights
    # fitted on all the others.
    folds = dict(real) | {f"synthetic {k + 1}/4": synthetic[k::4] for k in range(4)}
    held_out: dict[str, list[tuple[float, bool]]] = {}
    for name, data in folds.items():
        rest = [s for other, d in folds.items() if other != name for s in d]
        weights = fit(rest)
        held_out[name] = [(probability(x, weights), ok) for x, ok in data]
    print("calibration on the real pairs, each scored by weights fitted without it:")
    table([t for name in real for t in held_out[name]])
    print("calibration on the synthetic links, each quarter scored by weights fitted without it:")
    table([t for name in folds if name not in real for t in held_out[name]])
    weights = fit([s for data in real.values() for s in data] + synthetic)
    print("weights fitted on every real pair and the synthetic ones:")
    print("WEIGHTS = (" + ", ".join(str(w) for w in weights) + ")")
    print("calibration of those weights on the real pairs (in sample):")
    table([(probability(x, weights), ok) for data in real.values() for x, ok in data])
    return 0


if __name__ == "__main__":
    sys.exit(main())
