"""TF-IDF text similarity between points: word 1–2-grams and character 4-grams.

Word n-grams reward the same provisions in the same words; character 4-grams survive inflection
("guarantee" / "guarantees", Ukrainian and Russian case endings) and small rewordings. numpy is
imported here and nowhere on the reading path; scipy.sparse only for collections too large to
hold densely, because importing it costs more than a small comparison takes.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

from plancmp.normalise import content_words

_DENSE_LIMIT = 1_000_000
"""Largest rows × features held as a dense array; beyond it, scipy.sparse."""
_CROSS_LIMIT = 16_000_000
"""Largest old × new block computed once and kept (128 MB of float64); beyond it, per request."""
WORD_WEIGHT = 0.5
"""Share of the word n-gram cosine in the similarity; the rest is character 4-grams."""


def _tfidf(rows: np.ndarray, cols: np.ndarray, n_rows: int, presence: bool = True) -> tuple[Any, np.ndarray, Any]:
    """Sublinear-tf, smoothed-idf matrix from (row, feature) occurrences, with idf and (when asked
    for, else None) binary presence weighted by idf."""
    if cols.size == 0:
        empty = np.zeros((n_rows, 1))
        return empty, np.ones(1), empty if presence else None
    n_cols = int(cols.max()) + 1
    uniq, counts = _counted(rows.astype(np.int64) * n_cols + cols)
    r = (uniq // n_cols).astype(np.int64)
    c = (uniq % n_cols).astype(np.int64)
    df = np.bincount(c, minlength=n_cols)
    idf = np.log((1.0 + n_rows) / (1.0 + df)) + 1.0
    values = (1.0 + np.log(counts)) * idf[c]
    weights = idf[c] if presence else None
    if n_rows * n_cols <= _DENSE_LIMIT:
        mat = np.zeros((n_rows, n_cols))
        mat[r, c] = values
        pres = None
        if weights is not None:
            pres = np.zeros((n_rows, n_cols))
            pres[r, c] = weights
        return mat, idf, pres
    from scipy.sparse import csr_matrix

    # The (row, feature) pairs come sorted by row, then feature, and once each: they are the
    # arrays of a CSR matrix as they stand (and its rows can be read straight out of them).
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(r, minlength=n_rows), out=indptr[1:])
    mat = csr_matrix((values, c, indptr), shape=(n_rows, n_cols))
    mat.has_sorted_indices = True
    pres = None
    if weights is not None:
        pres = csr_matrix((weights, c.copy(), indptr.copy()), shape=(n_rows, n_cols))
        pres.has_sorted_indices = True
    return mat, idf, pres


def _counted(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(keys, return_counts=True) for int64 keys ≥ 0, twice as fast: keys is sorted in
    place, as int32 where the keys fit (a third faster to sort), and the runs counted."""
    if not keys.size:
        return keys.astype(np.int64), np.zeros(0, dtype=np.int64)
    if int(keys.max()) < 2**31:
        keys = keys.astype(np.int32)
    keys.sort()
    edges = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1], [True])))
    return keys[edges[:-1]].astype(np.int64), np.diff(edges)


def _ranks(codes: np.ndarray) -> np.ndarray:
    """Each code's rank among the distinct codes, as int64: np.unique's inverse, found by searching
    the sorted distinct codes. Feature columns stay in the order of their codes, so every sum over
    them is added up in the same order, to the same last bit. The distinct codes are found by
    sorting, not by np.unique: four times faster on the 3.5 million 4-grams of a 2,000-point pair
    (its hashing pays only for few distinct values among many), and without np.unique's check for
    a masked array, which imports numpy.ma (7 ms of a small diff's 0.25 s)."""
    ordered = np.sort(codes)
    distinct = ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))] if ordered.size else ordered
    return np.searchsorted(distinct, codes).astype(np.int64, copy=False)


def _word_features(token_lists: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
    # Words numbered in the order they are first met, each looked up in C (map), not in a
    # Python loop over the 450,000 words of a 2,000-point pair.
    words = list(itertools.chain.from_iterable(token_lists))
    vocab = {w: k for k, w in enumerate(dict.fromkeys(words))}
    ids = np.fromiter(map(vocab.__getitem__, words), dtype=np.int64, count=len(words))
    rws = np.repeat(np.arange(len(token_lists), dtype=np.int64), [len(toks) for toks in token_lists])
    v = max(len(vocab), 1)
    same_doc = rws[1:] == rws[:-1] if rws.size else np.zeros(0, dtype=bool)
    bigram_codes = (ids[:-1] * v + ids[1:])[same_doc] if rws.size else ids[:0]
    bigram_rows = rws[1:][same_doc] if rws.size else rws[:0]
    bigram_ids = _ranks(bigram_codes)
    rows = np.concatenate([rws, bigram_rows])
    cols = np.concatenate([ids, bigram_ids + len(vocab)])
    return rows, cols


def _char_features(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    # One pass over all texts at once: 4-grams read off the joined code points, grams that
    # straddle two texts masked out.
    padded = [f" {t} " for t in texts]
    joined = "\x00".join(padded)
    points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    if points.size < 4:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    sep = points == 0
    bad = sep[:-3] | sep[1:-2] | sep[2:-1] | sep[3:]
    lengths = np.fromiter((len(p) + 1 for p in padded), dtype=np.int64, count=len(padded))
    row_of = np.repeat(np.arange(len(padded), dtype=np.int64), lengths)[: points.size - 3]
    keep = ~bad
    ranks = _gram_ranks(points, keep)
    return row_of[keep], _ranks(_gram_codes(points)[keep]) if ranks is None else ranks


def _gram_codes(points: np.ndarray, at: np.ndarray | None = None) -> np.ndarray:
    """The 64-bit codes of the 4-grams of points starting at `at` (at every place, when None): the
    four code points as digits base 0x110000, wrapping at 64 bits."""
    k = np.uint64(1_114_112)
    if at is None:
        wide = points.astype(np.uint64)
        a, b, c, d = wide[:-3], wide[1:-2], wide[2:-1], wide[3:]
    else:
        a, b, c, d = (points[at + i].astype(np.uint64) for i in range(4))
    return ((a * k + b) * k + c) * k + d


_GRAM_TABLE = 1 << 22
"""Most cells of the tables _gram_ranks looks things up in (4 million: about 72 MB at most, held
together for a moment); past it, _ranks' sort."""


def _gram_ranks(points: np.ndarray, keep: np.ndarray) -> np.ndarray | None:
    """_ranks(_gram_codes(points)[keep]), found by looking up rather than by sorting; None where
    the texts hold too many distinct pairs of characters for the lookup tables (a script of
    thousands of signs).

    A text uses a few dozen characters, and a few hundred pairs of them: numbered by those pairs,
    a 4-gram (the pair at i and the pair at i + 2) is an index into a table of pairs × pairs, so
    the distinct grams are found in one pass, and only they are given their code and sorted by
    it. The ranks are the same as _ranks': two grams whose codes coincide (the code wraps at 64
    bits) still share one. Seven times faster than sorting the 3.5 million grams of a 2,000-point
    pair, and the codes of every place are never computed."""
    chars = np.bincount(points) > 0
    n_chars = int(np.count_nonzero(chars))
    if n_chars * n_chars > _GRAM_TABLE:
        return None
    # Every number below is under _GRAM_TABLE: int32 holds them, in half the memory.
    char_id = (np.cumsum(chars, dtype=np.int32) - 1)[points]
    pairs = char_id[:-1] * np.int32(n_chars) + char_id[1:]
    del char_id
    present = np.zeros(n_chars * n_chars, dtype=bool)
    present[pairs] = True
    n_pairs = int(np.count_nonzero(present))
    if n_pairs * n_pairs > _GRAM_TABLE:
        return None
    pair_id = (np.cumsum(present, dtype=np.int32) - 1)[pairs]
    del pairs
    grams = (pair_id[:-2] * np.int32(n_pairs) + pair_id[2:])[keep]
    del pair_id
    seen = np.zeros(n_pairs * n_pairs, dtype=bool)
    seen[grams] = True
    distinct = np.flatnonzero(seen)
    # Where each gram occurs (every occurrence has its code: any write will do), for its code.
    place = np.zeros(n_pairs * n_pairs, dtype=np.intp)
    place[grams] = np.flatnonzero(keep)
    rank_of = np.zeros(n_pairs * n_pairs, dtype=np.int64)
    rank_of[distinct] = _ranks(_gram_codes(points, place[distinct]))
    del place
    return rank_of[grams]


def load_sparse() -> None:
    """Import scipy.sparse now, as long drafts' spaces will: processes forked afterwards then have
    it, rather than each importing it (0.1–0.2 s, numpy's f2py and testing modules included)."""
    import scipy.sparse  # noqa: F401


def _normalised_rows(mat: Any) -> Any:
    if isinstance(mat, np.ndarray):
        norms = np.sqrt((mat * mat).sum(axis=1))
        norms[norms == 0] = 1.0
        return mat / norms[:, None]
    from scipy.sparse import diags

    norms = np.sqrt(np.asarray(mat.multiply(mat).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return diags(1.0 / norms) @ mat


def _dense(x: Any) -> np.ndarray:
    return x if isinstance(x, np.ndarray) else np.asarray(x.todense())


_BANDED_CELLS = 1_000_000
"""Smallest sparse product (rows × rows) computed in bands of rows: below it, one product is cheaper."""
_BANDS_PER_THREAD = 4
"""Bands each thread computes in turn: the more bands, the less of the product is held as sparse at once."""


def _band_edges(rows: int, threads: int) -> list[int]:
    """Where the bands of rows start, and where the last ends: _BANDS_PER_THREAD a thread, as even as can be."""
    bands = max(1, min(rows, _BANDS_PER_THREAD * max(1, threads)))
    return [rows * k // bands for k in range(bands + 1)]


_SLICE_BYTES = 3 << 20
"""Most memory one slice of b held densely may take (_by_slices): a few MB, which stay in the
processor's cache while a's rows are run over them (16 MB slices took twice as long)."""
_SLICE_MIN = 16
"""Fewest b rows a dense slice must hold to be worth its making: with more features than that
allows, the product stays sparse."""
_SPARSE_STEP_COST = 6
"""How many dense multiply-adds cost as much as one step of scipy's sparse product (measured:
1.8 ns a step, counting the pass that sizes its result, against 0.3 ns)."""


def _run_all(task: Any, count: int, threads: int) -> None:
    """task(0), task(1), … task(count - 1), on up to `threads` threads."""
    if threads < 2 or count < 2:
        for k in range(count):
            task(k)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(threads, count)) as pool:
        list(pool.map(task, range(count)))


def _slice_rows(a: Any, b: Any) -> int:
    """How many of b's rows a dense slice holds for a @ b.T, or 0 where the sparse product is cheaper.

    The sparse product costs a step for every pair of a row of a and a row of b sharing a
    feature; a dense slice of b costs every stored value of a times every row of b, whatever
    is zero. Texts over a few thousand character 4-grams that most of them use share nearly
    every feature: a 2,000-point rewrite's character product is 480 million steps sparse (0.9 s
    on one thread, 0.54 s on two), and takes 0.48 s in slices (0.27 s on two).
    """
    rows = min(b.shape[0], _SLICE_BYTES // (8 * max(1, b.shape[1])))
    if rows < _SLICE_MIN:
        return 0
    df_a = np.bincount(a.indices, minlength=a.shape[1])
    df_b = np.bincount(b.indices, minlength=b.shape[1])
    steps = int(df_a.astype(np.int64) @ df_b.astype(np.int64))
    return rows if a.nnz * b.shape[0] < _SPARSE_STEP_COST * steps else 0


def _products(a: Any, b: Any, threads: int = 1) -> np.ndarray:
    """a @ b.T as a dense array; a long sparse one in bands of a's rows, or against dense slices
    of b (_slice_rows), on up to `threads` threads."""
    if isinstance(a, np.ndarray):
        # einsum, not BLAS: on matrices this small, waking BLAS's thread pool costs ten times
        # more than the arithmetic.
        return np.einsum("ij,kj->ik", a, b)
    if a.shape[0] * b.shape[0] < _BANDED_CELLS:
        return _dense(a @ b.T)
    step = _slice_rows(a, b)
    if step:
        return _by_slices(a, b, step, threads)
    # Each band is written into its rows of the result as it is done, so only the bands in hand
    # are held in sparse form, not the whole product (which costs half as much again as the
    # dense array). scipy's product lets go of the GIL, so threads share the bands; and each row
    # of the result is its row of a times b, summed in the same order whichever band it is in:
    # the same array, to the last bit, however it is cut.
    b_t = b.T.tocsr()
    out = np.empty((a.shape[0], b.shape[0]))
    edges = _band_edges(a.shape[0], threads)
    bands = len(edges) - 1

    def band(k: int) -> None:
        lo, hi = edges[k], edges[k + 1]
        (a[lo:hi] @ b_t).toarray(out=out[lo:hi])

    _run_all(band, bands, threads)
    return out


def _by_slices(a: Any, b: Any, step: int, threads: int) -> np.ndarray:
    """a @ b.T, `step` rows of b at a time made dense, on up to `threads` threads.

    The same array as the sparse product, to the last bit: both add up each value of the result
    over a's stored values in their order, starting from zero, and a value of b that is zero
    adds nothing (x + 0.0 is x). A test holds the two to it.
    """
    out = np.empty((a.shape[0], b.shape[0]))

    def part(k: int) -> None:
        lo, hi = k * step, min(b.shape[0], (k + 1) * step)
        out[:, lo:hi] = a @ np.ascontiguousarray(b[lo:hi].toarray().T)

    _run_all(part, -(-b.shape[0] // step), threads)
    return out


def _in_order(rows: np.ndarray, n: int) -> bool:
    """Whether rows is 0, 1, … n - 1: every row of a side, in order."""
    return rows.size == n and bool((rows == np.arange(n)).all())


class TextSpace:
    """A TF-IDF space fitted on a fixed collection of texts; compares them by row index."""

    def __init__(self, texts: Sequence[str], split: int | None = None, threads: int = 1) -> None:
        """Fit on texts; with split, rows [0, split) are one draft's and [split, end) the other's.

        threads: how many threads the products of long drafts may share.
        """
        self.size = len(texts)
        self.split = split
        self.threads = threads
        token_lists = [content_words(t) for t in texts]
        w_rows, w_cols = _word_features(token_lists)
        self._word, self._word_idf, self._word_presence = _tfidf(w_rows, w_cols, self.size)
        # Character grams over the content words only, for the same reason as the word features.
        c_rows, c_cols = _char_features([" ".join(toks) for toks in token_lists])
        self._char, _, _ = _tfidf(c_rows, c_cols, self.size, presence=False)
        self._word_n = _normalised_rows(self._word)
        self._char_n = _normalised_rows(self._char)
        self._presence_total = np.asarray(self._word_presence.sum(axis=1)).ravel()

    def _cross(self, name: str, rows_a: Sequence[int], rows_b: Sequence[int]) -> np.ndarray | None:
        """A block of a matrix computed once for all (old, new) pairs, when both sides allow it.

        The alignment measures every pair it may need at once — whole texts, and parents' own
        words against single points — and every sparse product has a fixed cost; one product
        over all rows, looked up afterwards, is much cheaper than many small ones. It lets go of
        them when its blocks are cut (forget_products); asked for again, they are computed again.
        """
        split = self.split
        if split is None or split * (self.size - split) > _CROSS_LIMIT:
            return None
        a_old = all(r < split for r in rows_a)
        b_new = all(r >= split for r in rows_b)
        a_new = all(r >= split for r in rows_a)
        b_old = all(r < split for r in rows_b)
        if not ((a_old and b_new) or (a_new and b_old)):
            return None
        cache = self.__dict__.setdefault("_cache", {})
        old_rows, new_rows = list(range(split)), list(range(split, self.size))
        ia = np.asarray(rows_a) - (0 if a_old else split)
        ib = np.asarray(rows_b) - (split if b_new else 0)
        whole = _in_order(ia, split if a_old else self.size - split) and _in_order(ib, self.size - split if b_new else split)
        if name == "similarity":
            if name not in cache:
                cache[name] = self._similarity(old_rows, new_rows)
            full = cache[name] if a_old else cache[name].T
            # Every row and column, in order: a copy of the whole, faster than gathering it.
            return full.copy() if whole else full[np.ix_(ia, ib)]
        # The idf weight two texts share is the same whichever way round: one product serves
        # both directions, divided by each side's own total.
        if "shared" not in cache:
            cache["shared"] = self._shared(old_rows, new_rows)
        shared = cache["shared"] if a_old else cache["shared"].T
        totals = self._presence_total[np.asarray(rows_a)].copy()
        totals[totals == 0] = 1.0
        return (shared if whole else shared[np.ix_(ia, ib)]) / totals[:, None]

    def forget_products(self) -> None:
        """Let go of the old × new products kept by _cross; asked for again, they are computed again."""
        self.__dict__.pop("_cache", None)

    def similarity(self, rows_a: Sequence[int], rows_b: Sequence[int]) -> np.ndarray:
        """Matrix of similarities in [0, 1] between the texts at rows_a and those at rows_b."""
        if not rows_a or not rows_b:
            return np.zeros((len(rows_a), len(rows_b)))
        cached = self._cross("similarity", rows_a, rows_b)
        return cached if cached is not None else self._similarity(rows_a, rows_b)

    def _similarity(self, rows_a: Sequence[int], rows_b: Sequence[int]) -> np.ndarray:
        a, b = list(rows_a), list(rows_b)
        word = _products(self._word_n[a], self._word_n[b], self.threads)
        char = _products(self._char_n[a], self._char_n[b], self.threads)
        # Weighed, summed and clipped in place: both products are this call's own arrays, and a
        # 2,000 × 2,000 temporary is 32 MB to allocate and fill.
        word *= WORD_WEIGHT
        char *= 1 - WORD_WEIGHT
        word += char
        return np.clip(word, 0.0, 1.0, out=word)

    def containment(self, rows_a: Sequence[int], rows_b: Sequence[int]) -> np.ndarray:
        """Share of each a-text's word n-grams (idf-weighted) that also occur in each b-text."""
        if not rows_a or not rows_b:
            return np.zeros((len(rows_a), len(rows_b)))
        cached = self._cross("containment", rows_a, rows_b)
        return cached if cached is not None else self._containment(rows_a, rows_b)

    def _shared(self, rows_a: Sequence[int], rows_b: Sequence[int]) -> np.ndarray:
        """Sum of the idf of the word n-grams each a-text shares with each b-text."""
        pres_b = self._word_presence[list(rows_b)]
        return _products(self._word_presence[list(rows_a)], (pres_b > 0).astype(float), self.threads)

    def _containment(self, rows_a: Sequence[int], rows_b: Sequence[int]) -> np.ndarray:
        totals = self._presence_total[list(rows_a)].copy()
        totals[totals == 0] = 1.0
        return self._shared(rows_a, rows_b) / totals[:, None]

    def group_similarity(self, rows_a: Sequence[int], rows_b: Sequence[int]) -> float:
        """Similarity of the texts at rows_a taken together against those at rows_b together."""
        if not rows_a or not rows_b:
            return 0.0
        value = WORD_WEIGHT * _cosine(self._word, rows_a, rows_b) + (1 - WORD_WEIGHT) * _cosine(
            self._char, rows_a, rows_b
        )
        return min(1.0, max(0.0, value))


def _summed(mat: Any, rows: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """The sum of some rows as (feature indexes, values), without densifying a sparse matrix."""
    if isinstance(mat, np.ndarray):
        total = mat[list(rows)].sum(axis=0)
        idx = np.nonzero(total)[0]
        return idx, total[idx]
    # Slicing rows out of a CSR matrix costs more than reading its arrays directly.
    parts_i = [mat.indices[mat.indptr[r]:mat.indptr[r + 1]] for r in rows]
    parts_v = [mat.data[mat.indptr[r]:mat.indptr[r + 1]] for r in rows]
    if len(rows) == 1:
        return parts_i[0], parts_v[0]
    idx, inverse = np.unique(np.concatenate(parts_i), return_inverse=True)
    return idx, np.bincount(inverse.reshape(-1), weights=np.concatenate(parts_v), minlength=idx.size)


def _cosine(mat: Any, rows_a: Sequence[int], rows_b: Sequence[int]) -> float:
    ia, va = _summed(mat, rows_a)
    ib, vb = _summed(mat, rows_b)
    na, nb = float(np.sqrt(va @ va)), float(np.sqrt(vb @ vb))
    if not na or not nb:
        return 0.0
    _, pa, pb = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
    return float(va[pa] @ vb[pb]) / (na * nb)
