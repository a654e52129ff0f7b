"""Could another ranking of the matcher's results find MSRP's paraphrases first? Fit side only.

Usage (from the repository root)::

    .venv/bin/python benchmarks/msrp_rankers.py [--lexical] [--depth 20]

Every paraphrase pair of the *fit* side of MSRP train (``quality.msrp_split``; the reported
side is never read) is traced as ``quality.py`` traces it.  The documents returned, up to
``--depth`` of them, are ranked again by rankers learned on the scorer's signals
(:func:`quoteprov.search._scorer.features` of the query and the whole sentence, with the
embedding cosine when the semantic tier is on), each scored by two-fold cross-validation
inside the fit side (folds by a hash of sentence 1's id): learned on one fold, measured
on the other.  A verbatim match stays first in every ranking.  Rankers:

``shipped``
    the matcher's own order (score, then kind): recall@1 as ``quality.py --msrp-side fit``.
``linear``
    a pairwise logistic ranker (the paraphrase against each other returned document) on
    the signals.
``monotone``
    the same with each weight bounded to the side on which a passage closer to the query
    scores higher (higher similarities, no number or negation disagreement), plus
    monotone products of the signals: it can never put a passage below one that is
    closer to the query on every signal.
``shaped``
    the linear ranker plus squares and products, signs free: it may learn that a
    passage *too* close to the query is less likely MSRP's paraphrase.

For each ranker: recall@1; among the queries it gets right that the shipped order did
not, how many it won by putting the paraphrase above a returned sentence that is at
least as close to the query on every signal (``over closer``); and on how many queries
it would rank the query itself with its last word dropped, a near-verbatim copy, below
the paraphrase (``copy below``).  Both are gains that only reward the way MSRP's pairs
were drawn (its annotated pairs are rewordings, not near-copies, while its pool holds
near-copies of many queries) and that a quotation tracer must not make: it would rank a
lightly edited copy below a rewording.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from quality import (  # noqa: E402
    DATA,
    load_vectors,
    msrp_paraphrases,
    msrp_pool,
    msrp_split,
    read_msrp,
    save_vectors,
)

from quoteprov.search._index import CorpusIndex  # noqa: E402
from quoteprov.search._match import find_matches  # noqa: E402
from quoteprov.search._scorer import features, probability  # noqa: E402
from quoteprov.text._normalize import tokenize  # noqa: E402

CLOSER_LOWER = ("numbers", "negation")  # a passage closer to the query has less of these


@dataclass
class Query:
    """One traced fit-side paraphrase query: the returned documents, best first."""

    fold: int
    target: str
    order: list[str]
    verbatim: set[str]
    signals: dict[str, dict[str, float]]
    copy: dict[str, float]  # the signals of the query with its last word dropped
    returned: bool  # sentence 2 is among the documents returned, at any rank
    labelled: set[str]  # every sentence a fit pair labels a paraphrase of the query


def trace_fit_side(semantic: bool, depth: int) -> tuple[list[Query], list[str]]:
    """Trace every fit-side paraphrase query; the signals of its first ``depth`` documents."""
    path = DATA / "msrp" / "msr_paraphrase_train.txt"
    rows = read_msrp(path)
    pool = msrp_pool(rows)
    index = CorpusIndex.for_corpus(pool.corpus)
    text_of = dict(zip(pool.ids, pool.texts, strict=True))
    vector_of: dict[str, np.ndarray] = {}
    encoder = None
    if semantic:
        from quoteprov.search import _semantic as tier

        encoder = tier.get_encoder()
        if encoder is None:
            raise SystemExit("the semantic tier is not installed: use --lexical")
        load_vectors(encoder)
        vector_of = dict(zip(pool.ids, encoder.encode(pool.texts), strict=True))
    out: list[Query] = []
    names: list[str] = []
    pos = [r for r in rows if msrp_split(r) == "fit" and r[3] != r[4] and r[0] == "1"]
    labelled = msrp_paraphrases([r for r in rows if msrp_split(r) == "fit"], pool)
    # each query with its last word dropped: a near-verbatim copy of it
    cuts = [r[3][: tokenize(r[3])[-1].start].rstrip() for r in pos]
    cosines = [None] * len(pos)
    if encoder is not None:  # one batch: the copies are not in the vector cache
        both = encoder.encode([r[3] for r in pos]), encoder.encode(cuts)
        cosines = [float(c) for c in (both[0] * both[1]).sum(axis=1)]
    for r, cut, cosine in zip(pos, cuts, cosines, strict=True):
        me, target = pool.canon[r[1]], pool.canon[r[2]]
        order: list[str] = []
        verbatim: set[str] = set()
        for m in find_matches(r[3], index, semantic=semantic):
            if m.doc_id == me or m.doc_id in order:
                continue
            order.append(m.doc_id)
            if m.kind == "verbatim":
                verbatim.add(m.doc_id)
        returned = target in order
        order = order[:depth]
        qv = encoder.encode([r[3]])[0] if encoder is not None else None
        q_tokens = tokenize(r[3])
        signals = {
            d: features(
                q_tokens,
                tokenize(text_of[d]),
                index.weight,
                None if qv is None else float(vector_of[d] @ qv),
            )
            for d in order
        }
        names = names or list(next(iter(signals.values()), {}))
        fold = zlib.crc32(r[1].encode()) % 2
        copy = features(q_tokens, tokenize(cut), index.weight, cosine)
        gold = labelled.get(me, set())
        out.append(Query(fold, target, order, verbatim, signals, copy, returned, gold))
    if encoder is not None:
        save_vectors(encoder)
    return out, names


def _closer_everywhere(a: dict[str, float], b: dict[str, float]) -> bool:
    """Whether ``a`` is at least as close to the query as ``b`` on every signal, closer on one."""
    diffs = [(b[k] - a[k]) if k in CLOSER_LOWER else (a[k] - b[k]) for k in b]
    return min(diffs) >= -1e-9 and max(diffs) > 1e-9


Design = Callable[[dict[str, float]], np.ndarray]


def designs(names: list[str]) -> dict[str, tuple[Design, list[tuple[float | None, float | None]]]]:
    """Each learned ranker's feature map and the bounds on its weights."""
    free: list[tuple[float | None, float | None]] = [(None, None)]

    def linear(s: dict[str, float]) -> np.ndarray:
        return np.array([s[k] for k in names])

    closer = [k for k in names if k not in CLOSER_LOWER]

    def monotone(s: dict[str, float]) -> np.ndarray:
        extra = [s["q_cover"] * s["p_cover"], min(s["q_cover"], s["p_cover"])]
        extra += [max(s[k], 0.0) ** 4 for k in closer]  # never falls, a negative cosine too
        return np.r_[linear(s), extra]

    def shaped(s: dict[str, float]) -> np.ndarray:
        extra = [s["q_cover"] * s["p_cover"], min(s["q_cover"], s["p_cover"])]
        extra += [s[k] ** 2 for k in closer]
        return np.r_[linear(s), extra]

    n_mono = len(monotone(dict.fromkeys(names, 0.5)))
    bounds: list[tuple[float | None, float | None]] = [
        (None, 0.0) if k in CLOSER_LOWER else (0.0, None) for k in names
    ]
    bounds += [(0.0, None)] * (n_mono - len(names))
    return {
        "linear": (linear, free * len(names)),
        "monotone": (monotone, bounds),
        "shaped": (shaped, free * len(shaped(dict.fromkeys(names, 0.5)))),
    }


def learn(
    queries: list[Query], design: Design, bounds: list[tuple[float | None, float | None]]
) -> np.ndarray:
    """Pairwise logistic ranker: the paraphrase against each other returned document."""
    rows = [
        design(q.signals[q.target]) - design(q.signals[d])
        for q in queries
        if q.target in q.signals
        for d in q.order
        if d != q.target
    ]
    x = np.array(rows)
    l2 = 1e-2

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ w
        value = float(np.logaddexp(0.0, -z).sum() + 0.5 * l2 * w @ w)
        return value, -x.T @ (1.0 / (1.0 + np.exp(z))) + l2 * w

    start = np.zeros(x.shape[1])
    found = minimize(loss, start, jac=True, bounds=bounds, method="L-BFGS-B")
    return np.asarray(found.x)


def first(q: Query, key: Callable[[str], float]) -> str | None:
    """The document a ranking puts first (a verbatim match always)."""
    if not q.order:
        return None
    return max(q.order, key=lambda d: (d in q.verbatim, key(d)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lexical", action="store_true", help="without the semantic tier")
    ap.add_argument("--depth", type=int, default=20, help="returned documents re-ranked")
    args = ap.parse_args(argv)
    if args.lexical:
        os.environ["QUOTEPROV_SEMANTIC"] = "0"
    print("command: " + " ".join([os.path.relpath(sys.executable), *sys.argv]))
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    if not (DATA / "msrp" / "msr_paraphrase_train.txt").exists():
        print("MSRP absent; nothing measured")
        return 0
    started = time.perf_counter()
    queries, names = trace_fit_side(not args.lexical, args.depth)
    n = len(queries)
    shipped = [first(q, lambda d, q=q: -q.order.index(d)) == q.target for q in queries]
    print(f"fit-side paraphrase queries: {n}; signals: {', '.join(names)}")
    misses = [q for k, q in enumerate(queries) if not shipped[k]]
    absent = [q for q in misses if not q.returned]
    closer = sum(
        any(
            _closer_everywhere(q.signals[d], q.signals[q.target])
            for d in q.order[: q.order.index(q.target)]
        )
        for q in misses
        if q.target in q.signals
    )
    print(
        f"misses of the shipped order: {len(misses)}\n"
        f"  sentence 2 not returned: {len(absent)} (nothing returned: "
        f"{sum(not q.order for q in absent)})\n"
        f"  first result another sentence a fit pair labels a paraphrase of the query: "
        f"{sum(bool(q.order) and q.order[0] in q.labelled for q in misses)}\n"
        f"  a sentence returned above sentence 2 is closer to the query on every signal: "
        f"{closer}\n"
    )
    print(
        f"{'ranker':<10} {'recall@1':>9} {'gained':>7} {'lost':>5} {'over closer':>12} "
        f"{'copy below':>11}"
    )
    below = sum(
        probability(q.copy) < probability(q.signals[q.target])
        for q in queries
        if q.target in q.signals
    )
    print(f"{'shipped':<10} {np.mean(shipped):>9.3f} {'':>7} {'':>5} {'':>12} {below:>11}")
    for name, (design, bounds) in designs(names).items():
        right = list(shipped)
        below = 0
        for fold in (0, 1):
            w = learn([q for q in queries if q.fold != fold], design, bounds)
            for k, q in enumerate(queries):
                if q.fold == fold:
                    scores = {d: float(design(s) @ w) for d, s in q.signals.items()}
                    right[k] = first(q, scores.__getitem__) == q.target
                    if q.target in scores:
                        below += float(design(q.copy) @ w) < scores[q.target]
        gained = [k for k in range(n) if right[k] and not shipped[k]]
        lost = sum(shipped[k] and not right[k] for k in range(n))
        closer = sum(
            any(
                _closer_everywhere(q.signals[d], q.signals[q.target])
                for d in q.order[: q.order.index(q.target)]
            )
            for q in (queries[k] for k in gained)
        )
        print(
            f"{name:<10} {np.mean(right):>9.3f} {len(gained):>7} {lost:>5} {closer:>12} {below:>11}"
        )
    print(f"\n{time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
