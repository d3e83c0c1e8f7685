"""Alignment benchmark: plancmp against the two methods a user would otherwise reach for.

Run from the repository root (the venv active):

    python bench/bench_align.py              # 40 pairs per set
    python bench/bench_align.py --quick      # 8 pairs per set
    python bench/bench_align.py --worst 3    # also list the errors of the 3 worst pairs per hard set
    python bench/bench_align.py --sets hard-en,hard-uk --pairs 10
    python bench/bench_align.py --sets hard-en --option threshold=0.3   # try an AlignOptions value
    python bench/bench_align.py --ablation   # each step of the aligner left out in turn (hard-en, bundled gold)

Sets: synthetic version pairs from bench/synth.py, 30–120 old points each (seed k draws its size).
    easy-en    English, light revision (synth.EASY), plain text
    hard-en    English, heavy revision (synth.HARD), plain text
    hard-uk    the hard-en pairs in Ukrainian: same seeds, same edits, only the words differ
    hard-md    the hard-en pairs written as Markdown ordered lists
    hard-docx  the hard-en pairs written as .docx with Word automatic numbering (tests/docx_build.py)
    stress-en  English, synth.STRESS: HARD with what the other sets avoid because plancmp assumes it
               away (merge parts 3–6 places apart, heavily reworded merge and split parts, moves
               another in-order reading would tell otherwise); figures on those printed apart
Because the hard sets share their seeds, a figure that differs between them measures the language
or the reader, nothing else. Every draft is written to a file and read back with
plancmp.parse.load_document, as a user's draft would be.

Methods, run side by side on the same documents:
    plancmp      plancmp.align.align_documents with the default AlignOptions (or --option's)
    difflib      difflib.SequenceMatcher over the sequences of normalised point texts (autojunk
                 off): equal blocks link point to point; a replace block pairs its points by
                 similarity as difflib.Differ pairs lines (_fancy_replace: the most similar pair with
                 ratio ≥ 0.75 first, then the parts before and after it), the rest dropped or added;
                 delete and insert blocks drop and add
    same-number  old point k ↔ new point k whenever both exist; the rest dropped or added

Metrics, micro-averaged over all pairs of a set (top-level points only):
    P, R, F1   link precision, recall and F1 over (old id, new id) links; a group with k old and
               m new ids contributes all k×m links (dropped and added points contribute none)
    exact      share of gold groups, dropped and added ones included, that the method reports
               exactly: one group with the same old ids and the same new ids
    mergeR     share of gold merges (two or three old points → one new) reported exactly
    splitR     share of gold splits (one old point → two or three new) reported exactly
    moveP/R    precision and recall of moved links: for plancmp the links of groups with
               moved=True; for the baselines the links off the longest increasing run (both keep
               the drafts' order, so they never report one); gold: the links synth moved on purpose
    ident✗     gold links whose text is unchanged that the method did not report as exactly that
               one-to-one group (an identical point mislinked, merged or dropped)
    ms/pair    the method's mean time per pair, reading the files excluded

Then the hand-made gold alignments of the bundled drafts (bench/gold/*.json, format
{"old": path, "new": path, "groups": [{"old": [...], "new": [...]}, ...]}) and, for plancmp on the
hard sets, a breakdown of its errors with the similarity values behind them.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import io
import itertools
import json
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.synth import SynthPair, docx_available, generate_pair, write_pair
from plancmp.align import AlignOptions, align_documents
from plancmp.model import Document, Group
from plancmp.normalise import normalise_text
from plancmp.parse import load_document

Ids = tuple[str, ...]
Pred = tuple[Ids, Ids, bool]
"""A reported group: old ids, new ids, moved."""
GoldGroup = tuple[Ids, Ids]

TARGETS = {"F1": 0.98, "exact": 0.95, "mergeR": 0.90, "splitR": 0.90, "moveP": 0.95, "moveR": 0.95}
"""What plancmp should reach on the hard sets; identical points never mislinked; bundled gold exact."""


@dataclass(frozen=True)
class SetSpec:
    """One benchmark set."""

    name: str
    language: str
    difficulty: str
    fmt: str


SETS = (
    SetSpec("easy-en", "en", "easy", "txt"),
    SetSpec("hard-en", "en", "hard", "txt"),
    SetSpec("hard-uk", "uk", "hard", "txt"),
    SetSpec("hard-md", "en", "hard", "md"),
    SetSpec("hard-docx", "en", "hard", "docx"),
    SetSpec("stress-en", "en", "stress", "txt"),
)

HARD_CASES = {
    "far merge": "merges with a part 3–6 places from the other",
    "reworded parts": "merges and splits whose parts are heavily reworded",
    "moved": "moves every in-order reading agrees on (recall)",
    "ambiguous move": "moves another in-order reading would tell otherwise (recall)",
}
"""Kinds of gold group synth tags in its notes, each scored apart (exact groups; moved links found
and flagged for moves). Only the stress set makes the first, second and fourth."""


# -- methods ------------------------------------------------------------------------------------


def _mark_moves(groups: list[tuple[Ids, Ids]], old: Document, new: Document) -> list[Pred]:
    """Groups with moved set for links off the longest increasing run (plancmp's own definition)."""
    from plancmp.align import longest_increasing

    oi = {p.id: k for k, p in enumerate(old.points)}
    ni = {p.id: k for k, p in enumerate(new.points)}
    both = sorted((g for g in groups if g[0] and g[1]), key=lambda g: (oi[g[0][0]], ni[g[1][0]]))
    keep = longest_increasing([ni[g[1][0]] for g in both])
    off = {both[k] for k in range(len(both)) if k not in keep}
    return [(o, n, (o, n) in off) for o, n in groups]


OPTIONS = AlignOptions()
"""The options plancmp runs with; --option replaces fields, to try a setting without editing code."""

CRASHES: list[str] = []
"""Exceptions plancmp raised, one line each, in the order met."""


def run_plancmp(old: Document, new: Document) -> list[Pred]:
    """plancmp's alignment with default options (re-run with dense matrices if it raises)."""
    try:
        groups = align_documents(old, new, OPTIONS)
    except Exception as exc:  # noqa: BLE001 -- a crash is a finding to report, not a reason to stop measuring
        CRASHES.append(f"{type(exc).__name__}: {exc}")
        groups = _align_dense(old, new)
    return [(g.old, g.new, g.moved) for g in groups]


def _align_dense(old: Document, new: Document) -> tuple[Group, ...]:
    """align_documents with TextSpace kept dense: the same numbers, without the sparse code path.

    plancmp.similarity switches to scipy.sparse above _DENSE_LIMIT cells, and
    TextSpace.group_similarity fails there (a 1×n np.matrix survives _dense() and .ravel()).
    Raising the limit for one call measures the aligner as it is meant to work.
    """
    from plancmp import similarity

    saved = similarity._DENSE_LIMIT
    similarity._DENSE_LIMIT = 10**12
    try:
        return align_documents(old, new, OPTIONS)
    finally:
        similarity._DENSE_LIMIT = saved


def run_difflib(old: Document, new: Document) -> list[Pred]:
    """difflib.SequenceMatcher over point texts; a replace block's points paired by similarity, as
    difflib.Differ pairs the lines of one (its _fancy_replace), the rest dropped or added."""
    from bench.bench_real import fancy_pairs

    a = [normalise_text(p.full_text) for p in old.points]
    b = [normalise_text(p.full_text) for p in new.points]
    groups: list[tuple[Ids, Ids]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        olds = [p.id for p in old.points[i1:i2]]
        news = [p.id for p in new.points[j1:j2]]
        if tag == "equal":
            pairs = [(k, k) for k in range(len(olds))]
        elif tag == "replace":
            pairs = fancy_pairs(a[i1:i2], b[j1:j2])
        else:
            pairs = []
        groups.extend(((olds[x],), (news[y],)) for x, y in pairs)
        groups.extend(((o,), ()) for x, o in enumerate(olds) if x not in {p[0] for p in pairs})
        groups.extend(((), (n,)) for y, n in enumerate(news) if y not in {p[1] for p in pairs})
    return _mark_moves(groups, old, new)


def run_same_number(old: Document, new: Document) -> list[Pred]:
    """Old point k is new point k whenever both exist."""
    new_ids = {p.id for p in new.points}
    old_ids = {p.id for p in old.points}
    groups: list[tuple[Ids, Ids]] = [((p.id,), (p.id,) if p.id in new_ids else ()) for p in old.points]
    groups.extend(((), (p.id,)) for p in new.points if p.id not in old_ids)
    return _mark_moves(groups, old, new)


METHODS: dict[str, Callable[[Document, Document], list[Pred]]] = {
    "plancmp": run_plancmp,
    "difflib": run_difflib,
    "same-number": run_same_number,
}


# -- scoring ------------------------------------------------------------------------------------


@dataclass
class Tally:
    """Counts behind the metrics, summed over pairs."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    groups: int = 0
    exact: int = 0
    merges: int = 0
    merges_ok: int = 0
    splits: int = 0
    splits_ok: int = 0
    move_tp: int = 0
    move_fp: int = 0
    move_fn: int = 0
    ident: int = 0
    ident_wrong: int = 0
    seconds: float = 0.0
    pairs: int = 0

    def add(self, other: Tally) -> None:
        """Add another tally's counts to this one."""
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def metrics(self) -> dict[str, float | None]:
        """The figures, as shares in [0, 1]; None where nothing was there to measure (printed n/a)."""

        def share(a: int, b: int) -> float | None:
            return a / b if b else None

        p, r = share(self.tp, self.tp + self.fp), share(self.tp, self.tp + self.fn)
        return {
            "P": p,
            "R": r,
            "F1": (2 * p * r / (p + r) if p + r else 0.0) if p is not None and r is not None else None,
            "exact": share(self.exact, self.groups),
            "mergeR": share(self.merges_ok, self.merges),
            "splitR": share(self.splits_ok, self.splits),
            "moveP": share(self.move_tp, self.move_tp + self.move_fp),
            "moveR": share(self.move_tp, self.move_tp + self.move_fn),
        }


def _links(groups: Sequence[tuple[Ids, Ids]]) -> set[tuple[str, str]]:
    return {(o, n) for og, ng in groups for o in og for n in ng}


def score(gold: Sequence[GoldGroup], moved: set[tuple[str, str]], identical: set[tuple[str, str]], pred: Sequence[Pred]) -> tuple[Tally, list[int]]:
    """The tally of one pair, and the indexes of the gold groups the method got wrong."""
    t = Tally(pairs=1)
    gold_links = _links(gold)
    pred_links = _links([(o, n) for o, n, _ in pred])
    t.tp = len(gold_links & pred_links)
    t.fp = len(pred_links - gold_links)
    t.fn = len(gold_links - pred_links)
    reported = {(o, n) for o, n, _ in pred}
    wrong = []
    for k, g in enumerate(gold):
        ok = g in reported
        t.groups += 1
        t.exact += ok
        if len(g[0]) > 1:
            t.merges += 1
            t.merges_ok += ok
        if len(g[1]) > 1:
            t.splits += 1
            t.splits_ok += ok
        if not ok:
            wrong.append(k)
    pred_moved = _links([(o, n) for o, n, m in pred if m])
    t.move_tp = len(pred_moved & moved)
    t.move_fp = len(pred_moved - moved)
    t.move_fn = len(moved - pred_moved)
    t.ident = len(identical)
    t.ident_wrong = sum(((o,), (n,)) not in reported for o, n in identical)
    return t, wrong


# -- diagnosis ----------------------------------------------------------------------------------


class Probe:
    """plancmp's own text space over a pair, to say how similar the points it had to link were."""

    def __init__(self, old: Document, new: Document) -> None:
        from plancmp.similarity import TextSpace

        # The same rows the aligner builds: every point and sub-point of both drafts.
        old_all, new_all = list(old.walk()), list(new.walk())
        self.row = {("old", p.id): k for k, p in enumerate(old_all)}
        self.row.update({("new", p.id): len(old_all) + k for k, p in enumerate(new_all)})
        self.space = TextSpace([p.full_text for p in old_all] + [p.full_text for p in new_all])
        self.old_ids = [p.id for p in old.points]
        self.new_ids = [p.id for p in new.points]

    def sim(self, o: str, n: str) -> float:
        """Similarity of old point o and new point n."""
        return float(self.space.similarity([self.row[("old", o)]], [self.row[("new", n)]])[0, 0])

    def mutual(self, side: str, a: str, b: str) -> float:
        """Similarity of two points of the same draft."""
        return float(self.space.similarity([self.row[(side, a)]], [self.row[(side, b)]])[0, 0])

    def contain(self, side: str, a: str, b: str) -> float:
        """Share of point a's words (on side) found in point b (on the other side)."""
        other = "new" if side == "old" else "old"
        return float(self.space.containment([self.row[(side, a)]], [self.row[(other, b)]])[0, 0])

    def best(self, side: str, pid: str, exclude: str | None = None) -> tuple[str, float]:
        """The most similar point on the other side, and its similarity."""
        others = self.new_ids if side == "old" else self.old_ids
        scored = [
            (self.sim(pid, x) if side == "old" else self.sim(x, pid), x) for x in others if x != exclude
        ]
        s, x = max(scored, default=(0.0, "-"))
        return x, s


def _fmt_group(o: Ids, n: Ids) -> str:
    return f"{'+'.join(o) or '-'} → {'+'.join(n) or '-'}"


def _pair_step(s: float, opts: AlignOptions) -> str:
    """Which step of align.py can have made a one-to-one link of similarity s."""
    if s >= opts.threshold:
        return "assignment (step 3)"
    if s >= opts.weak_threshold:
        return "weak pair (_weak_pairs)"
    return "gap fill (_fill_gaps)"


def _absorb_rule(side: str, extra: str, group: tuple[Ids, Ids], probe: Probe, opts: AlignOptions) -> tuple[str, str]:
    """Why a point joined a group as an extra member: the rule in _attach, and the numbers."""
    partners = group[1] if side == "old" else group[0]
    own = [x for x in (group[0] if side == "old" else group[1]) if x != extra]
    best = max(partners, key=lambda x: probe.contain(side, extra, x))
    c = probe.contain(side, extra, best)
    sim = probe.sim(extra, best) if side == "old" else probe.sim(best, extra)
    rule = "literal containment" if c >= opts.containment and sim >= opts.containment_floor else "reworded-part rule"
    ids = probe.old_ids if side == "old" else probe.new_ids
    distance = min((abs(ids.index(extra) - ids.index(x)) for x in own), default=0)
    where = "adjacent" if distance <= 2 else "far"
    other = "new" if side == "old" else "old"
    return f"{rule}, {where}", (
        f"{side} {extra} in {other} {best}: contained {c:.2f}, sim {sim:.2f}, {distance} places from the group"
    )


def explain(
    gold: GoldGroup, note: str, pred: Sequence[Pred], probe: Probe, opts: AlignOptions, gold_of: dict[tuple[str, str], GoldGroup]
) -> tuple[str, str]:
    """(category, one line of detail) for a gold group plancmp reported otherwise.

    gold_of maps ("old", id) and ("new", id) to the gold group holding it, to tell what a wrong
    partner really was (an added point, a dropped one, another point's partner).
    """
    of_old = {o: (g[0], g[1]) for g in pred for o in g[0]}
    of_new = {n: (g[0], g[1]) for g in pred for n in g[1]}
    og, ng = gold
    got = sorted({_fmt_group(*of_old[o]) for o in og if o in of_old} | {_fmt_group(*of_new[n]) for n in ng if n in of_new})
    tags = [t for t in ("boilerplate", "moved") if t in note]
    suffix = f" [{', '.join(tags)}]" if tags else ""
    head = f"gold {_fmt_group(og, ng)} ({note}); got {'; '.join(got)}"

    def what(side: str, pid: str) -> str:
        g = gold_of.get((side, pid))
        if g is None:
            # The gold is top-level only; a sub-point promoted into a top-level group has none.
            return "a sub-point"
        return "added" if side == "new" and not g[0] else "dropped" if side == "old" and not g[1] else "linked"

    if not ng or not og:
        side, pid = ("old", og[0]) if og else ("new", ng[0])
        group = of_old[pid] if side == "old" else of_new[pid]
        if len(group[0]) == 1 and len(group[1]) == 1:
            other = group[1][0] if side == "old" else group[0][0]
            s = probe.sim(pid, other) if side == "old" else probe.sim(other, pid)
            kind = "a drop and an addition paired" if what("new" if side == "old" else "old", other) != "linked" else "took another point's partner"
            return f"{'dropped' if side == 'old' else 'added'} point linked 1:1: {kind}, by {_pair_step(s, opts)}" + suffix, f"{head}: sim {s:.2f}"
        cat, detail = _absorb_rule(side, pid, group, probe, opts)
        return f"{'dropped' if side == 'old' else 'added'} point absorbed into a group ({cat})" + suffix, f"{head}: {detail}"
    if len(og) == 1 and len(ng) == 1:
        o, n = og[0], ng[0]
        s = probe.sim(o, n)
        po, pn = of_old[o], of_new[n]
        if po == ((o,), ()) and pn == ((), (n,)):
            bx, bs = probe.best("old", o, exclude=n)
            band = "< weak_threshold" if s < opts.weak_threshold else "< threshold" if s < opts.threshold else "≥ threshold"
            return f"1:1 missed (sim {band})" + suffix, f"{head}: sim {s:.2f}; best other for {o}: {bx} ({bs:.2f})"
        if n in po[1] and o in pn[0]:
            extras = [("old", x) for x in po[0] if x != o] + [("new", x) for x in po[1] if x != n]
            side, x = extras[0]
            cat, detail = _absorb_rule(side, x, po, probe, opts)
            return f"1:1 over-grouped with {'an' if what(side, x) == 'added' else 'a'} {what(side, x)} point ({cat})" + suffix, f"{head}: sim {s:.2f}; {detail}"
        bits = [f"sim({o},{n})={s:.2f}"]
        bits += [f"sim({o},{x})={probe.sim(o, x):.2f}" for x in po[1]]
        bits += [f"sim({x},{n})={probe.sim(x, n):.2f}" for x in pn[0] if x != o]
        return "1:1 mislinked" + suffix, f"{head}: {'; '.join(bits)}"
    merge = len(og) > 1
    many, one = (og, ng[0]) if merge else (ng, og[0])
    side = "old" if merge else "new"
    members = (of_new[one][0] if merge else of_old[one][1])
    missing = [x for x in many if x not in members]
    extra = [x for x in members if x not in many]
    kind = "merge" if merge else "split"
    bits = []
    for x in many:
        c = probe.contain(side, x, one)
        s = probe.sim(x, one) if merge else probe.sim(one, x)
        bits.append(f"{x}: sim {s:.2f}, contained {c:.2f}")
    if missing:
        kinds: set[str] = set()
        fates = []
        for x in missing:
            g = of_old[x] if merge else of_new[x]
            partner = g[1] if merge else g[0]
            if not partner:
                kinds.add("left unlinked")
                fates.append(f"{x} left unlinked")
                continue
            p = partner[0]
            s = probe.sim(x, p) if merge else probe.sim(p, x)
            who = what("new" if merge else "old", p)
            kinds.add(f"linked to {'an' if who == 'added' else 'a'} {who} point by {_pair_step(s, opts)}")
            fates.append(f"{x} linked to {who} point {p} (sim {s:.2f})")
        cat = f"{kind} missed a part: " + "; ".join(sorted(kinds))
        return cat, f"{head}: " + "; ".join(bits) + "; missing: " + "; ".join(fates)
    return f"{kind} over-grouped", f"{head}: " + "; ".join(bits) + f"; extra {'+'.join(extra)}"


def gold_index(gold: Sequence[GoldGroup]) -> dict[tuple[str, str], GoldGroup]:
    """("old", id) and ("new", id) → the gold group holding that point."""
    out: dict[tuple[str, str], GoldGroup] = {}
    for g in gold:
        for o in g[0]:
            out[("old", o)] = g
        for n in g[1]:
            out[("new", n)] = g
    return out


def move_errors(gold: Sequence[GoldGroup], moved: set[tuple[str, str]], pred: Sequence[Pred]) -> Counter[str]:
    """Why moved links were wrong: the link itself wrong, or a right link flagged (or not) as moved."""
    gold_links = _links(gold)
    pred_links = _links([(o, n) for o, n, _ in pred])
    pred_moved = _links([(o, n) for o, n, m in pred if m])
    out: Counter[str] = Counter()
    for link in pred_moved - moved:
        out["false move: the link itself is wrong" if link not in gold_links else "false move: right link, flagged moved"] += 1
    for link in moved - pred_moved:
        out["missed move: link not found" if link not in pred_links else "missed move: right link, not flagged"] += 1
    return out


# -- running ------------------------------------------------------------------------------------


@dataclass
class PairRun:
    """One pair's outcome for plancmp, kept for the error breakdown."""

    pair: SynthPair
    n_old: int
    exact: float
    lines: list[tuple[str, str]] = field(default_factory=list)
    moves: Counter[str] = field(default_factory=Counter)
    identical: list[str] = field(default_factory=list)
    bands: Counter[tuple[str, bool]] = field(default_factory=Counter)
    """Reported 1:1 links of changed text by the step their similarity points to: (step, right)."""
    mutual_gold: list[float] = field(default_factory=list)
    """Similarity between the parts of each gold merge (old side) or split (new side)."""
    mutual_false: list[float] = field(default_factory=list)
    """Similarity between a wrongly absorbed point and the member already on its side."""


@dataclass
class SetRun:
    """One set's tallies per method and plancmp's diagnosed errors."""

    spec: SetSpec
    tallies: dict[str, Tally]
    cases: dict[str, Counter[str]]
    """Per method, for each kind of HARD_CASES: "<kind>" counted, "<kind> ok" right."""
    gold_counts: Counter[str]
    reader_mismatches: int
    crashes: list[int]
    pairs: list[PairRun]
    gold_sims: list[float]
    gold_sims_right: list[bool]


def pair_size(seed: int) -> int:
    """The number of old points of a seed's pair: 30–120."""
    return random.Random(seed).randint(30, 120)


def run_set(spec: SetSpec, n_pairs: int, diagnose: bool) -> SetRun:
    """Generate, write, read and align every pair of a set with every method."""
    tallies = {name: Tally() for name in METHODS}
    cases: dict[str, Counter[str]] = {name: Counter() for name in METHODS}
    counts: Counter[str] = Counter()
    mismatches = 0
    crashed: list[int] = []
    runs: list[PairRun] = []
    gold_sims: list[float] = []
    gold_right: list[bool] = []
    opts = OPTIONS
    for seed in range(1, n_pairs + 1):
        pair = generate_pair(seed, pair_size(seed), spec.language, spec.difficulty)  # type: ignore[arg-type]
        with tempfile.TemporaryDirectory() as tmp:
            old_path, new_path = write_pair(pair, tmp, spec.fmt)
            old, new = load_document(old_path), load_document(new_path)
        if [p.id for p in old.points] != [str(k) for k in range(1, len(pair.old.points) + 1)] or [
            p.id for p in new.points
        ] != [str(k) for k in range(1, len(pair.new.points) + 1)]:
            mismatches += 1
        counts["old points"] += len(pair.old.points)
        counts["links"] += len(_links(pair.gold))
        counts["merges"] += sum(len(o) > 1 for o, _ in pair.gold)
        counts["splits"] += sum(len(n) > 1 for _, n in pair.gold)
        counts["dropped"] += sum(not n for _, n in pair.gold)
        counts["added"] += sum(not o for o, _ in pair.gold)
        counts["moved"] += len(pair.moved)
        counts["identical"] += len(pair.identical)
        crashes_before = len(CRASHES)
        for name, method in METHODS.items():
            start = time.perf_counter()
            pred = method(old, new)
            elapsed = time.perf_counter() - start
            tally, wrong = score(pair.gold, pair.moved, pair.identical, pred)
            tally.seconds = elapsed
            tallies[name].add(tally)
            cases[name].update(score_cases(pair, pred))
            if name != "plancmp" or not diagnose:
                continue
            probe = Probe(old, new)
            reported = {(o, n) for o, n, _ in pred}
            for g in pair.gold:
                if len(g[0]) == 1 and len(g[1]) == 1:
                    gold_sims.append(probe.sim(g[0][0], g[1][0]))
                    gold_right.append(g in reported)
            run = PairRun(pair, len(pair.old.points), 1 - len(wrong) / len(pair.gold))
            gold_of = gold_index(pair.gold)
            run.lines = [explain(pair.gold[k], pair.notes[k], pred, probe, opts, gold_of) for k in wrong]
            run.moves = move_errors(pair.gold, pair.moved, pred)
            gold_set = set(pair.gold)
            for og, ng, _ in pred:
                if len(og) == 1 and len(ng) == 1 and ((og[0], ng[0]) not in pair.identical or (og, ng) not in gold_set):
                    s = probe.sim(og[0], ng[0])
                    if s < 0.999:
                        run.bands[(_pair_step(s, opts), (og, ng) in gold_set)] += 1
                if len(og) > 1 or len(ng) > 1:
                    side, members = ("old", og) if len(og) > 1 else ("new", ng)
                    target = run.mutual_gold if (og, ng) in gold_set else run.mutual_false
                    if (og, ng) not in gold_set:
                        # only near-duplicate siblings: parts of one gold group are not "false"
                        owners = {gold_of[(side, x)] for x in members}
                        if len(owners) == 1:
                            continue
                    for a_, b_ in itertools.pairwise(members):
                        target.append(probe.mutual(side, a_, b_))
            for og, ng in pair.gold:
                if len(og) > 1 or len(ng) > 1:
                    side, members = ("old", og) if len(og) > 1 else ("new", ng)
                    if (og, ng) not in {(o, n) for o, n, _ in pred}:
                        run.mutual_gold.extend(probe.mutual(side, a_, b_) for a_, b_ in itertools.pairwise(members))
            for o, n in sorted(pair.identical, key=lambda link: int(link[0])):
                if ((o,), (n,)) not in reported:
                    k = pair.gold.index(((o,), (n,)))
                    run.identical.append(explain(pair.gold[k], pair.notes[k], pred, probe, opts, gold_of)[1])
            runs.append(run)
        if len(CRASHES) > crashes_before:
            crashed.append(seed)
    return SetRun(spec, tallies, cases, counts, mismatches, crashed, runs, gold_sims, gold_right)


def score_cases(pair: SynthPair, pred: Sequence[Pred]) -> Counter[str]:
    """The gold groups of each kind of HARD_CASES in a pair, and how many the method got right:
    the group reported exactly, or for a move its link reported and flagged moved."""
    out: Counter[str] = Counter()
    reported = {(o, n) for o, n, _ in pred}
    flagged = _links([(o, n) for o, n, m in pred if m])
    for group, note in zip(pair.gold, pair.notes):
        tags = note.split()
        for kind in HARD_CASES:
            words = kind.split()
            if not any(tags[k:k + len(words)] == words for k in range(len(tags))):
                continue
            if kind == "moved" and "ambiguous" in tags:
                continue
            if kind in ("moved", "ambiguous move"):
                links = _links([group]) & pair.moved
                out[kind] += len(links)
                out[kind + " ok"] += len(links & flagged)
            else:
                out[kind] += 1
                out[kind + " ok"] += group in reported
    return out


# -- printing -----------------------------------------------------------------------------------

_COLUMNS = ("P", "R", "F1", "exact", "mergeR", "splitR", "moveP", "moveR")


def _figure(value: float | None) -> str:
    """A share for the table, or n/a where nothing was measured (no moves predicted, no splits in the gold)."""
    return f"{'n/a':>8}" if value is None else f"{value:>8.3f}"


def print_table(runs: Sequence[SetRun]) -> None:
    """The figures: one block per set, one row per method."""
    head = f"{'set':<10} {'method':<12}" + "".join(f"{c:>8}" for c in _COLUMNS) + f"{'ident✗':>8}{'ms/pair':>9}"
    print(head)
    print("-" * len(head))
    for run in runs:
        c = run.gold_counts
        first = next(iter(run.tallies.values()))
        print(
            f"{run.spec.name:<10} {first.pairs} pairs, {c['old points']} old points; gold: {c['links']} links, "
            f"{c['merges']} merges, {c['splits']} splits, {c['dropped']} dropped, {c['added']} added, "
            f"{c['moved']} moved, {c['identical']} identical"
            + (f"; READER: {run.reader_mismatches} pairs read with other ids" if run.reader_mismatches else "")
        )
        if run.crashes:
            print(f"{'':<10} plancmp RAISED on {len(run.crashes)} of {first.pairs} pairs (seeds {', '.join(map(str, run.crashes))}); re-run dense, see below")
        for name, t in run.tallies.items():
            m = t.metrics()
            row = f"{'':<10} {name:<12}" + "".join(_figure(m[col]) for col in _COLUMNS)
            row += f"{t.ident_wrong:>8}{1000 * t.seconds / max(t.pairs, 1):>9.1f}"
            print(row)
    print()
    print(
        "targets (plancmp, hard sets): "
        + " · ".join(f"{k} ≥ {v:.2f}" for k, v in TARGETS.items())
        + " · ident✗ = 0 · bundled gold exactly right"
    )
    for run in runs:
        if not run.spec.name.startswith("hard"):
            continue
        t = run.tallies["plancmp"]
        m = t.metrics()
        marks = [f"{k} {'n/a' if m[k] is None else 'ok' if m[k] >= v else 'MISS'}" for k, v in TARGETS.items()]
        marks.append(f"ident✗ {'ok' if t.ident_wrong == 0 else 'MISS'}")
        print(f"  {run.spec.name:<10} " + "  ".join(marks))


def print_cases(runs: Sequence[SetRun]) -> None:
    """The hard cases synth makes on purpose (HARD_CASES), scored apart, for the sets that have them."""
    for run in runs:
        gold = run.cases["plancmp"]
        kinds = [k for k in HARD_CASES if gold[k]]
        if not any(gold[k] for k in ("far merge", "reworded parts", "ambiguous move")):
            continue
        print()
        print(f"{run.spec.name}: the cases the other sets avoid, apart (right / gold)")
        print(f"  {'':<16}" + "".join(f"{name:>16}" for name in run.cases))
        for kind in kinds:
            cells = []
            for c in run.cases.values():
                right, total = c[kind + " ok"], c[kind]
                cells.append(f"{right / total:.3f} ({right}/{total})".rjust(16))
            print(f"  {kind:<16}{''.join(cells)}    {HARD_CASES[kind]}")


def print_gold_files(opts: AlignOptions) -> bool:
    """Align the bundled drafts against bench/gold/*.json; True when every file is exactly right."""
    files = sorted((ROOT / "bench" / "gold").glob("*.json"))
    print()
    print("bundled drafts against hand-made gold (bench/gold/)")
    if not files:
        print("  (no gold files)")
        return True
    all_right = True
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        old, new = load_document(ROOT / data["old"]), load_document(ROOT / data["new"])
        gold = [(tuple(g["old"]), tuple(g["new"])) for g in data["groups"]]
        rates = []
        wrong_plancmp: list[int] = []
        pred_plancmp: list[Pred] = []
        for name, method in METHODS.items():
            pred = method(old, new)
            _, wrong = score(gold, set(), set(), pred)
            rates.append(f"{name} {1 - len(wrong) / len(gold):.3f}")
            if name == "plancmp":
                wrong_plancmp, pred_plancmp = wrong, pred
        all_right &= not wrong_plancmp
        print(f"  {path.name:<28} {data['old']} → {data['new']}: exact groups " + ", ".join(rates))
        probe = Probe(old, new)
        gold_of = gold_index(gold)
        for k in wrong_plancmp:
            _, line = explain(gold[k], "hand gold", pred_plancmp, probe, opts, gold_of)
            print(f"      {line}")
    return all_right


def _cause(category: str) -> str:
    """The step of align.py an error category comes from."""
    if "literal containment" in category:
        return "_attach, literal containment: a near-duplicate or distant point absorbed into a group"
    if "reworded-part rule" in category:
        return "_attach, reworded-part rule (sim ≥ threshold, gain ≥ merge_gain): a point absorbed into a group"
    if category.startswith(("merge missed", "split missed")):
        return "step 3 assignment or _attach: a merge/split part linked elsewhere or left out"
    if "by assignment" in category:
        return "step 3 assignment: a dropped and an added point (or another's partner) linked 1:1"
    if "weak pair" in category:
        return "_weak_pairs: a dropped and an added point linked below threshold"
    if "gap fill" in category:
        return "_fill_gaps: a dropped and an added point in one gap linked"
    return "other: " + category.split(" [")[0]


def print_diagnosis(runs: Sequence[SetRun], worst: int, opts: AlignOptions) -> None:
    """plancmp's errors on the hard sets: categories, similarity bands, the worst pairs."""
    print()
    print("plancmp errors by kind of gold group (hard sets; one error can show in two gold groups)")
    seen: dict[tuple[tuple[str, int], ...], str] = {}
    for run in runs:
        if not run.spec.name.startswith("hard") or not run.pairs:
            continue
        cats: Counter[str] = Counter(cat for p in run.pairs for cat, _ in p.lines)
        total = sum(cats.values())
        key = tuple(sorted(cats.items()))
        if key in seen:
            print(f"  {run.spec.name}: {total} gold groups wrong, the same ones as {seen[key]} (the reader changes nothing)")
            continue
        seen[key] = run.spec.name
        print(f"  {run.spec.name}: {total} gold groups wrong; by the step of align.py behind them:")
        causes: Counter[str] = Counter()
        for cat, k in cats.items():
            causes[_cause(cat)] += k
        for cause, k in causes.most_common():
            print(f"    {k:>5}  {cause}")
        print("    in detail:")
        shown = cats.most_common(14)
        for cat, k in shown:
            print(f"    {k:>5}  {cat}")
        rest = total - sum(k for _, k in shown)
        if rest:
            print(f"    {rest:>5}  in {len(cats) - len(shown)} rarer kinds")
        sims, right = run.gold_sims, run.gold_sims_right
        if sims:
            limits = [(0.0, opts.weak_threshold), (opts.weak_threshold, opts.threshold), (opts.threshold, 0.4), (0.4, 1.01)]
            text = []
            for lo, hi in limits:
                inside = [r for s, r in zip(sims, right) if lo <= s < hi]
                if inside:
                    text.append(f"[{lo:.2f},{min(hi, 1):.2f}): {len(inside)} links, {sum(inside) / len(inside):.0%} right")
            print("    gold 1:1 links by plancmp similarity: " + "; ".join(text)
                  + f"; median {statistics.median(sims):.2f}")
        bands: Counter[tuple[str, bool]] = Counter()
        for p in run.pairs:
            bands.update(p.bands)
        steps = sorted({step for step, _ in bands})
        print("    reported 1:1 links of changed text, by the step their similarity points to: " + "; ".join(
            f"{step}: {bands[(step, True)]} right, {bands[(step, False)]} wrong" for step in steps))
        gold_mutual = [x for p in run.pairs for x in p.mutual_gold]
        false_mutual = [x for p in run.pairs for x in p.mutual_false]
        if gold_mutual or false_mutual:
            def spread(xs: list[float]) -> str:
                if not xs:
                    return "none"
                return f"min {min(xs):.2f}, median {statistics.median(xs):.2f}, max {max(xs):.2f} ({len(xs)})"
            print(f"    similarity between the parts of gold merges/splits (same draft): {spread(gold_mutual)}; "
                  f"between the members of groups plancmp built wrongly from two gold groups: {spread(false_mutual)}")
        small = [p.exact for p in run.pairs if p.n_old <= 90]
        large = [p.exact for p in run.pairs if p.n_old > 90]
        if small and large:
            print(f"    mean exact rate per pair: ≤ 90 old points {statistics.mean(small):.3f} ({len(small)} pairs), "
                  f"> 90 old points {statistics.mean(large):.3f} ({len(large)} pairs; synth reuses templates there)")
        moves: Counter[str] = Counter()
        for p in run.pairs:
            moves.update(p.moves)
        for why, k in sorted(moves.items()):
            print(f"    {k:>5}  {why}")
        ident = [(p.pair.seed, line) for p in run.pairs for line in p.identical]
        for seed, line in ident[:5]:
            print(f"    identical point mislinked, seed {seed}: {line}")
        if len(ident) > 5:
            print(f"    … {len(ident) - 5} more identical points mislinked")
    if worst <= 0:
        return
    listed: set[tuple[tuple[str, int], ...]] = set()
    for run in runs:
        if not run.spec.name.startswith("hard") or not run.pairs:
            continue
        key = tuple(sorted(Counter(cat for p in run.pairs for cat, _ in p.lines).items()))
        if key in listed:
            continue  # the same errors as a set already listed
        listed.add(key)
        print()
        print(f"worst {worst} pairs of {run.spec.name} for plancmp")
        for p in sorted(run.pairs, key=lambda r: (r.exact, r.pair.seed))[:worst]:
            print(f"  seed {p.pair.seed} ({p.n_old} old points): exact {p.exact:.3f}")
            for _, line in p.lines[:14]:
                print(f"    {line}")
            if len(p.lines) > 14:
                print(f"    … {len(p.lines) - 14} more")


def print_ablation(n_pairs: int) -> int:
    """Each step of the aligner left out in turn: what it costs on hard-en, hard-uk and the bundled gold."""
    from plancmp.align.options import STEPS

    global OPTIONS
    specs = [s for s in SETS if s.name in ("hard-en", "hard-uk")]
    print(f"ablation: each step of the aligner left out in turn ({n_pairs} pairs per set)")
    head = f"{'left out':<12}" + "".join(f"{s.name + ' ' + c:>16}" for s in specs for c in ("F1", "exact")) + f"{'bundled gold':>14}"
    print(head)
    print("-" * len(head))
    for skip in ("", *STEPS):
        OPTIONS = AlignOptions(skip=(skip,) if skip else ())
        runs = [run_set(spec, n_pairs, diagnose=False) for spec in specs]
        cells = []
        for run in runs:
            m = run.tallies["plancmp"].metrics()
            cells += [_figure(m["F1"]).rjust(16), _figure(m["exact"]).rjust(16)]
        with contextlib.redirect_stdout(io.StringIO()):
            bundled = print_gold_files(OPTIONS)
        print(f"{skip or '(nothing)':<12}" + "".join(cells) + f"{'exact' if bundled else 'MISS':>14}")
    print()
    for name, what in STEPS.items():
        print(f"  {name:<12} {what}")
    OPTIONS = AlignOptions()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="8 pairs per set instead of 40")
    parser.add_argument("--pairs", type=int, help="pairs per set (overrides --quick)")
    parser.add_argument("--sets", help="comma-separated set names (default: all)")
    parser.add_argument("--worst", type=int, default=3, help="list the errors of this many worst pairs per hard set")
    parser.add_argument("--option", action="append", default=[], metavar="NAME=VALUE",
                        help="run plancmp with this AlignOptions field changed (repeatable)")
    parser.add_argument("--ablation", action="store_true",
                        help="leave out each step of the aligner in turn and print what it costs")
    args = parser.parse_args(argv)
    if args.ablation:
        return print_ablation(args.pairs or (8 if args.quick else 40))
    global OPTIONS
    changes = {}
    for item in args.option:
        name, _, value = item.partition("=")
        changes[name] = type(getattr(AlignOptions(), name))(value)
    OPTIONS = replace(AlignOptions(), **changes)
    n_pairs = args.pairs or (8 if args.quick else 40)
    wanted = set(args.sets.split(",")) if args.sets else {s.name for s in SETS}
    specs = [s for s in SETS if s.name in wanted]
    opts = OPTIONS
    print(f"plancmp alignment benchmark: {n_pairs} pairs per set, sizes 30–120 old points")
    print("AlignOptions: " + ", ".join(f"{f.name}={getattr(opts, f.name)}" for f in fields(opts) if f.name != "pins"))
    if any(s.fmt == "docx" for s in specs) and not docx_available():
        print("hard-docx skipped: tests/docx_build.py is not there")
        specs = [s for s in specs if s.fmt != "docx"]
    print()
    started = time.perf_counter()
    runs = [run_set(spec, n_pairs, diagnose=spec.name.startswith("hard")) for spec in specs]
    print_table(runs)
    print_cases(runs)
    if CRASHES:
        print()
        print(f"plancmp raised {len(CRASHES)} times; each pair was re-run with similarity._DENSE_LIMIT raised")
        # One line per kind of failure: the matrix sizes in the messages differ from pair to pair.
        for line, k in Counter(re.sub(r"\d+", "N", c) for c in CRASHES).most_common():
            print(f"  {k} × {line[:200]}")
    bundled_ok = print_gold_files(opts)
    print(f"  bundled gold exactly right: {'ok' if bundled_ok else 'MISS'}")
    print_diagnosis(runs, args.worst, opts)
    print()
    print(f"({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
