"""Alignment on real documents: plancmp against a greedy fuzzy matcher and difflib (issue 11).

Run from the repository root (the venv with the bench extra active: pip install -e '.[bench]'),
after building the data (fetch the mirrors named in bench/real/SOURCES.md, then
`python bench/real/build.py`):

    python bench/bench_real.py                    # every pair
    python bench/bench_real.py --pairs bgb,tls13  # some pairs
    python bench/bench_real.py --worst 5          # also list plancmp's 5 worst errors per pair
    python bench/bench_real.py --fresh            # recompute the baselines instead of reusing them
    python bench/bench_real.py --ablation         # plancmp with each step of the aligner left out in turn

Pairs: bench/real/data/<pair>/{old,new}.txt, real documents in two versions, one block per
section (label, then body; titles removed), read with plancmp.parse.load_document. Gold links
join sections whose title is unique on both sides and identical (bench/real/build.py); sections
are named by the id of the point plancmp read from their block (Point.line = the block's line),
so gold and every method speak the same ids. A block whose label the reader does not read is no
point: its gold links are left out and counted ("lost").

Methods, on the same Documents; every point at every depth takes part:
    plancmp  plancmp.align.align_documents; every group at every depth gives its k old × m new
             ids as links (dropped and added points none)
    fuzzy    rapidfuzz fuzz.token_set_ratio of the point's own text (not its sub-points'), every
             old point against every new point; pairs scoring ≥ 60 are taken best first (ties: old
             then new document order), each point at most once
    difflib  difflib.SequenceMatcher (autojunk off) over the sequences of point texts in document
             order; an equal block links point to point; inside a replace block points are paired
             as difflib.Differ._fancy_replace pairs lines: the most similar pair (ratio > 0.74,
             first in difflib's scan order) is a sync point, then the parts before and after it
             are paired the same way; a block with no pair that similar pairs nothing (unless it
             holds identical texts, whose first pair is the sync point)

Figures, per pair and micro-averaged over pairs:
    P        correct links / predicted links that touch a gold-linked section (share an old or a
             new id with a gold link): the gold is partial, so a link between two sections that
             have no gold says nothing
    R        correct links / gold links
    F1       2PR/(P+R); "n/a" where there is nothing to measure
    s        wall time of the method on the pair, reading excluded. The baselines' links and times
             are kept in data/<pair>/baselines.json (keyed by the points read: ids and texts) so
             that a run that only changes the aligner is quick (~6 s instead of 2–4 minutes,
             most of it the fuzzy matcher on the BGB); a time marked * was measured when cached.
             rapidfuzz uses every core (workers=-1); plancmp and difflib one.

Calibration: predicted plancmp links that touch gold, bucketed by their group's `confidence`
(0–0.1, …, 0.9–1.0), with the share correct; "n/a" when groups carry no confidence.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from plancmp.model import Document, Group, Point

DATA = ROOT / "bench" / "real" / "data"
FUZZY_CUTOFF = 60
"""rapidfuzz token_set_ratio a pair must reach to be linked by the fuzzy matcher (issue 11)."""
DIFFLIB_CUTOFF = 0.75
"""difflib.Differ's own cutoff: _fancy_replace pairs lines only above 0.74."""
BASELINES_VERSION = 1
"""Bump when the fuzzy or difflib method changes, so that cached links are recomputed."""
METHODS = ("plancmp", "fuzzy", "difflib")

Link = tuple[str, str]


@dataclass(frozen=True)
class Tally:
    """Counts behind precision and recall for one pair or a sum of pairs."""

    correct: int = 0
    """Predicted links that are gold links."""
    counted: int = 0
    """Predicted links that touch a gold-linked section (the precision denominator)."""
    gold: int = 0
    """Gold links (the recall denominator)."""

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.correct + other.correct, self.counted + other.counted, self.gold + other.gold)

    @property
    def precision(self) -> float | None:
        """Correct / counted, or None with nothing counted."""
        return self.correct / self.counted if self.counted else None

    @property
    def recall(self) -> float | None:
        """Correct / gold, or None without gold."""
        return self.correct / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        """Harmonic mean of precision and recall, or None when either is missing."""
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0


def group_links(groups: Iterable[Group]) -> set[Link]:
    """Every (old id, new id) link of every group at every depth: k old × m new ids each."""
    out: set[Link] = set()
    for top in groups:
        for g in top.walk():
            out.update((o, n) for o in g.old for n in g.new)
    return out


def touching(pred: Iterable[Link], gold: set[Link]) -> set[Link]:
    """The predicted links that share an old or a new id with a gold link."""
    gold_old = {o for o, _ in gold}
    gold_new = {n for _, n in gold}
    return {(o, n) for o, n in pred if o in gold_old or n in gold_new}


def tally(pred: Iterable[Link], gold: set[Link]) -> Tally:
    """Score predicted links against partial gold: precision only over links that touch gold."""
    counted = touching(pred, gold)
    return Tally(len(counted & gold), len(counted), len(gold))


def flat_points(doc: Document) -> list[Point]:
    """Every point and sub-point of doc, depth first in document order."""
    return list(doc.walk())


def greedy_one_to_one(scored: Iterable[tuple[float, int, int]]) -> list[tuple[int, int]]:
    """(i, j) pairs taken best score first, each i and each j at most once; ties in (i, j) order."""
    used_i: set[int] = set()
    used_j: set[int] = set()
    out: list[tuple[int, int]] = []
    for _, i, j in sorted(scored, key=lambda t: (-t[0], t[1], t[2])):
        if i not in used_i and j not in used_j:
            used_i.add(i)
            used_j.add(j)
            out.append((i, j))
    return out


def fuzzy_links(old: Document, new: Document, cutoff: float = FUZZY_CUTOFF, workers: int = -1) -> set[Link]:
    """The greedy fuzzy matcher: token_set_ratio ≥ cutoff, best pairs first, one to one."""
    import numpy as np
    from rapidfuzz import fuzz, process

    olds, news = flat_points(old), flat_points(new)
    if not olds or not news:
        return set()
    scores = process.cdist(
        [p.text for p in olds], [p.text for p in news],
        scorer=fuzz.token_set_ratio, score_cutoff=cutoff, workers=workers, dtype=np.float32,
    )
    rows, cols = np.nonzero(scores >= cutoff)
    scored = [(float(scores[i, j]), int(i), int(j)) for i, j in zip(rows, cols)]
    return {(olds[i].id, news[j].id) for i, j in greedy_one_to_one(scored)}


def fancy_pairs(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Pair the lines of one difflib replace block as difflib.Differ._fancy_replace does."""
    # Every ratio above the cutoff is computed once; difflib recomputes them at every step of its
    # recursion, which is the same choice at a cost that grows with the cube of the block.
    cruncher = difflib.SequenceMatcher(None)
    best_floor = DIFFLIB_CUTOFF - 0.01
    similar: list[tuple[int, int, float]] = []  # (j, i, ratio) in difflib's scan order
    identical: list[tuple[int, int]] = []
    for j, bj in enumerate(b):
        cruncher.set_seq2(bj)
        for i, ai in enumerate(a):
            if ai == bj:
                identical.append((j, i))
                continue
            cruncher.set_seq1(ai)
            if (
                cruncher.real_quick_ratio() > best_floor
                and cruncher.quick_ratio() > best_floor
                and cruncher.ratio() > best_floor
            ):
                similar.append((j, i, cruncher.ratio()))
    out: list[tuple[int, int]] = []

    def helper(alo: int, ahi: int, blo: int, bhi: int) -> None:
        if alo >= ahi or blo >= bhi:
            return
        best: tuple[int, int] | None = None
        best_ratio = best_floor
        for j, i, r in similar:
            # difflib keeps the first pair in its scan order (new line outer, old line inner)
            # that beats the best so far, strictly.
            if blo <= j < bhi and alo <= i < ahi and r > best_ratio:
                best, best_ratio = (i, j), r
        if best_ratio < DIFFLIB_CUTOFF:
            # difflib scans for ratios above 0.74 but syncs only on one of at least 0.75.
            best = None
        if best is None:
            same = next(((i, j) for j, i in identical if blo <= j < bhi and alo <= i < ahi), None)
            if same is None:
                return
            best = same
        i, j = best
        helper(alo, i, blo, j)
        out.append((i, j))
        helper(i + 1, ahi, j + 1, bhi)

    helper(0, len(a), 0, len(b))
    return out


def difflib_links(old: Document, new: Document) -> set[Link]:
    """difflib over the point texts: equal blocks linked in order, replace blocks paired by similarity."""
    olds, news = flat_points(old), flat_points(new)
    a = [p.text for p in olds]
    b = [p.text for p in news]
    out: set[Link] = set()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.update((olds[i1 + k].id, news[j1 + k].id) for k in range(i2 - i1))
        elif op == "replace":
            out.update((olds[i1 + i].id, news[j1 + j].id) for i, j in fancy_pairs(a[i1:i2], b[j1:j2]))
    return out


def calibration(groups: Iterable[Group], gold: set[Link]) -> list[tuple[int, int]] | None:
    """(links, correct links) per confidence tenth, over links touching gold; None without confidence."""
    buckets = [(0, 0)] * 10
    seen_confidence = False
    gold_old = {o for o, _ in gold}
    gold_new = {n for _, n in gold}
    for top in groups:
        for g in top.walk():
            confidence = getattr(g, "confidence", None)
            if confidence is None:
                continue
            seen_confidence = True
            k = min(9, max(0, int(float(confidence) * 10)))
            for o in g.old:
                for n in g.new:
                    if o in gold_old or n in gold_new:
                        count, right = buckets[k]
                        buckets[k] = (count + 1, right + ((o, n) in gold))
    return buckets if seen_confidence else None


# --- the pairs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RealPair:
    """One built pair, read with plancmp's reader, with its gold in point ids."""

    name: str
    """The pair's folder name under bench/real/data/."""
    old: Document
    new: Document
    gold: frozenset[Link]
    """Gold links between points that plancmp read."""
    sections: tuple[int, int]
    """Sections written per side."""
    lost: int
    """Gold links left out because one of their blocks was not read as a point."""
    key: str
    """Hash of the points read on both sides (ids and texts), for the baseline cache."""


def line_ids(doc: Document) -> dict[int, str]:
    """Point id by the line its label stands on."""
    return {p.line: p.id for p in doc.walk()}


def load_pair(name: str) -> RealPair:
    """Read data/<name>/ into Documents and gold links in point ids."""
    from plancmp.parse import load_document

    folder = DATA / name
    docs, metas = [], []
    # The baselines depend on what the reader makes of the files, not on the files alone: a reader
    # that learns a new label form changes the points, and the cached links must go.
    digest = hashlib.sha256()
    for side in ("old", "new"):
        doc = load_document(folder / f"{side}.txt")
        digest.update(json.dumps([(p.id, p.text) for p in doc.walk()]).encode())
        docs.append(doc)
        metas.append(json.loads((folder / f"{side}.json").read_text(encoding="utf-8")))
    links = json.loads((folder / "gold.json").read_text(encoding="utf-8"))["links"]
    ids = [line_ids(d) for d in docs]
    gold: set[Link] = set()
    lost = 0
    for i, j in links:
        o = ids[0].get(metas[0][i]["line"])
        n = ids[1].get(metas[1][j]["line"])
        if o is None or n is None:
            lost += 1
        else:
            gold.add((o, n))
    return RealPair(name, docs[0], docs[1], frozenset(gold), (len(metas[0]), len(metas[1])), lost, digest.hexdigest())


def baseline_links(pair: RealPair, fresh: bool) -> dict[str, tuple[set[Link], float, bool]]:
    """Links and seconds of fuzzy and difflib on pair, from the cache when the files are unchanged."""
    from rapidfuzz import __version__ as rapidfuzz_version

    key = f"{pair.key}:{rapidfuzz_version}:{BASELINES_VERSION}"
    cache = DATA / pair.name / "baselines.json"
    if not fresh and cache.exists():
        stored = json.loads(cache.read_text(encoding="utf-8"))
        if stored.get("key") == key:
            return {
                m: ({(o, n) for o, n in stored[m]["links"]}, stored[m]["seconds"], True) for m in ("fuzzy", "difflib")
            }
    out: dict[str, tuple[set[Link], float, bool]] = {}
    for method, run in (("fuzzy", fuzzy_links), ("difflib", difflib_links)):
        start = time.perf_counter()
        links = run(pair.old, pair.new)
        out[method] = (links, time.perf_counter() - start, False)
    stored = {"key": key, **{m: {"links": sorted(v[0]), "seconds": v[1]} for m, v in out.items()}}
    tmp = cache.with_suffix(".tmp")
    tmp.write_text(json.dumps(stored) + "\n", encoding="utf-8")
    tmp.replace(cache)
    return out


# --- printing ------------------------------------------------------------------------------


def fmt(x: float | None, width: int = 5) -> str:
    """A figure to three places, or n/a."""
    return f"{x:{width}.3f}" if x is not None else f"{'n/a':>{width}}"


def worst_errors(pair: RealPair, groups: Sequence[Group], n: int) -> list[str]:
    """plancmp's n worst misses: gold links it did not report, most similar texts first."""
    from rapidfuzz import fuzz

    predicted: dict[str, list[str]] = defaultdict(list)
    confidence: dict[tuple[str, str], float] = {}
    for top in groups:
        for g in top.walk():
            for o in g.old:
                for m in g.new:
                    predicted[o].append(m)
                    c = getattr(g, "confidence", None)
                    if c is not None:
                        confidence[(o, m)] = float(c)
    misses = []
    for o, m in pair.gold:
        if m in predicted.get(o, ()):
            continue
        old_text = pair.old.find(o).text  # type: ignore[union-attr]
        gold_text = pair.new.find(m).text  # type: ignore[union-attr]
        misses.append((fuzz.ratio(old_text, gold_text), o, m, old_text))
    misses.sort(key=lambda t: (-t[0], t[1]))
    lines = []
    for sim, o, m, text in misses[:n]:
        got = predicted.get(o)
        shown = ",".join(
            f"{p}" + (f" ({confidence[(o, p)]:.2f})" if (o, p) in confidence else "") for p in got
        ) if got else "dropped"
        start = " ".join(text.split())[:50]
        lines.append(f"    old {o:<10} → {shown:<16} gold {m:<10} sim {sim:5.1f}  {start!r}")
    return lines


def print_ablation(names: list[str]) -> int:
    """plancmp's link F1 per pair and micro-averaged, with each step of the aligner left out in turn."""
    from plancmp.align import AlignOptions, align_documents
    from plancmp.align.options import STEPS

    pairs = [load_pair(n) for n in names]
    head = f"{'left out':<12}" + "".join(f"{n[:8]:>9}" for n in names) + f"{'micro':>9}"
    print("plancmp link F1 on the real pairs, each step of the aligner left out in turn")
    print(head)
    print("─" * len(head))
    for skip in ("", *STEPS):
        options = AlignOptions(skip=(skip,) if skip else ())
        total = Tally()
        cells = []
        for pair in pairs:
            t = tally(group_links(align_documents(pair.old, pair.new, options)), set(pair.gold))
            total += t
            cells.append(fmt(t.f1, 9))
        print(f"{skip or '(nothing)':<12}" + "".join(cells) + fmt(total.f1, 9), flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the three methods on the chosen pairs and print the table."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", help="comma-separated pair names (default: every built pair)")
    ap.add_argument("--worst", type=int, default=0, metavar="N", help="list plancmp's N worst misses per pair")
    ap.add_argument("--fresh", action="store_true", help="recompute the baselines instead of using the cache")
    ap.add_argument("--ablation", action="store_true", help="plancmp's F1 with each step of the aligner left out in turn")
    args = ap.parse_args(argv)

    from plancmp.align import align_documents

    built = sorted(p.name for p in DATA.glob("*") if (p / "gold.json").exists()) if DATA.exists() else []
    if not built:
        print(f"{DATA}: no pairs built; fetch the mirrors and run bench/real/build.py (see bench/real/SOURCES.md)")
        return 2
    names = args.pairs.split(",") if args.pairs else built
    unknown = [n for n in names if n not in built]
    if unknown:
        print(f"not built: {', '.join(unknown)}; built: {', '.join(built)}")
        return 2
    # Keep build.py's order (laws, then standards) when it is known.
    from bench.real.build import PAIRS

    order = {p.name: k for k, p in enumerate(PAIRS)}
    names.sort(key=lambda n: (order.get(n, len(order)), n))

    if args.ablation:
        return print_ablation(names)
    header = (
        f"{'pair':10} {'sections':>11} {'points':>11} {'gold':>5} {'lost':>4} │"
        + "│".join(f" {m:<7}    P     R    F1       s " for m in METHODS)
    )
    print(header)
    print("─" * len(header))
    totals = {m: Tally() for m in METHODS}
    seconds = {m: 0.0 for m in METHODS}
    any_cached = False
    buckets = [(0, 0)] * 10
    seen_confidence = False
    worst: list[str] = []
    for name in names:
        pair = load_pair(name)
        start = time.perf_counter()
        groups = align_documents(pair.old, pair.new)
        results = {"plancmp": (group_links(groups), time.perf_counter() - start, False)}
        results.update(baseline_links(pair, args.fresh))
        cells = []
        for m in METHODS:
            links, secs, cached = results[m]
            t = tally(links, set(pair.gold))
            totals[m] += t
            seconds[m] += secs
            any_cached |= cached
            cells.append(f" {fmt(t.precision, 11)} {fmt(t.recall)} {fmt(t.f1)} {secs:7.2f}{'*' if cached else ' '}")
        points = (sum(1 for _ in pair.old.walk()), sum(1 for _ in pair.new.walk()))
        print(
            f"{name:10} {pair.sections[0]:5}/{pair.sections[1]:<5} {points[0]:5}/{points[1]:<5} "
            f"{len(pair.gold):5} {pair.lost:4} │" + "│".join(cells),
            flush=True,
        )
        calib = calibration(groups, set(pair.gold))
        if calib is not None:
            seen_confidence = True
            buckets = [(a + c, b + d) for (a, b), (c, d) in zip(buckets, calib)]
        if args.worst:
            worst.append(f"  {name}:")
            worst.extend(worst_errors(pair, groups, args.worst) or ["    (no misses)"])
    print("─" * len(header))
    gold_total = totals["plancmp"].gold
    cells = [
        f" {fmt(totals[m].precision, 11)} {fmt(totals[m].recall)} {fmt(totals[m].f1)} {seconds[m]:7.2f} "
        for m in METHODS
    ]
    print(f"{'micro':10} {'':11} {'':11} {gold_total:5} {'':4} │" + "│".join(cells))
    print()
    print("P: correct / predicted links touching a gold-linked section; R: correct / gold links;")
    print("lost: gold links whose block plancmp's reader did not read as a point (left out of gold).")
    if any_cached:
        print("* baseline links and time from data/<pair>/baselines.json (measured then; --fresh recomputes).")
    print()
    print("Calibration (plancmp links touching gold, by group confidence):")
    print(f"  {'confidence':<12} {'links':>6} {'correct':>8}")
    for k, (count, right) in enumerate(buckets):
        label = f"{k / 10:.1f}–{(k + 1) / 10:.1f}"
        if not seen_confidence or not count:
            print(f"  {label:<12} {'n/a' if not seen_confidence else count:>6} {'n/a':>8}")
        else:
            print(f"  {label:<12} {count:6} {right / count:8.3f}")
    if worst:
        print()
        print(f"plancmp's worst misses (gold links not reported, most similar texts first; up to {args.worst} a pair):")
        print("\n".join(worst))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
