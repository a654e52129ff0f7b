"""Fit the combined scorer's weights on the fit half of MSRP train; write them as JSON.

Usage (from the repository root)::

    .venv/bin/python benchmarks/fit_scorer.py [--lexical] \
        [--out quoteprov/search/scorer_params.json]

Reads ``../shared/data/msrp`` (or ``$QUOTEPROV_DATA/msrp``); the data stays there, only the
fitted numbers are written.  Training pairs come from the ``fit`` side of
:func:`quality.msrp_split` only (the ``report`` side is what ``benchmarks/quality.py``
measures):

- every fit paraphrase pair (label 1) and non-paraphrase pair (label 0, hard negatives:
  same story, different claim);
- for each fit paraphrase query, the five sentences the index ranks highest other than
  its paraphrase (label 0: what retrieval must rank below the paraphrase), leaving out
  any sentence that another fit pair labels a paraphrase of the query (a sentence of
  MSRP may be in several pairs: 29 such retrieved sentences were negatives before).

Features are :func:`quoteprov.search._scorer.features` with the MSRP pool's rarity weights, the
cosine from the semantic tier when installed (``--lexical`` skips it).  The model is an
L2-regularised logistic regression solved by Newton's method (numpy only).

Thresholds, for each model: ``threshold`` links a paraphrase from the lowest probability
at which at most ``--false-link`` (0.2) of the fit side's hard negatives pass; ``floor``
keeps ``--floor-recall`` (0.97) of the fit side's paraphrase pairs, as the
rarity-weighted overlap it replaces did (0.968, passing 0.841 of the hard negatives and
0.0002 of random pairs; the lexical model's floor passes 0.805 and 0.0002 on the fit
side).  A passage below the floor is never reported, so the floor bounds recall of any
kind.  Between the two, a passage is reported as ``partial`` (it carries part of what the
query says), or as a paraphrase when it is an attributed quotation: words alone
cannot tell a heavily reworded rendering of a statement (the seeds' rewrite shares under
half of the statement's rare words) from a same-story sentence with another claim.
Precision, recall and the hard-negative pass rate at each threshold are stored beside
the weights.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from quality import (  # noqa: E402
    DATA,
    load_vectors,
    msrp_pool,
    msrp_split,
    read_msrp,
    save_vectors,
)

from quoteprov.search._index import CorpusIndex  # noqa: E402
from quoteprov.search._scorer import FEATURES, features  # noqa: E402
from quoteprov.text._normalize import tokenize  # noqa: E402


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-2, steps: int = 50) -> np.ndarray:
    """Weights (bias last) of an L2-regularised logistic regression, by Newton's method."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    reg = l2 * np.eye(xb.shape[1])
    reg[-1, -1] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(xb @ w)))
        grad = xb.T @ (p - y) + reg @ w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + reg
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lexical", action="store_true", help="fit the lexical model only")
    ap.add_argument(
        "--out", type=Path, default=ROOT / "quoteprov" / "search" / "scorer_params.json"
    )
    ap.add_argument("--false-link", type=float, default=0.2)
    ap.add_argument("--floor-recall", type=float, default=0.97)
    args = ap.parse_args(argv)
    path = DATA / "msrp" / "msr_paraphrase_train.txt"
    if not path.exists():
        print(f"{path} absent; nothing fitted")
        return 0
    rows = [r for r in read_msrp(path) if msrp_split(r) == "fit" and r[3] != r[4]]
    pool = msrp_pool(read_msrp(path))
    index = CorpusIndex.for_corpus(pool.corpus)
    text_of = dict(zip(pool.ids, pool.texts, strict=True))
    # the fit side's paraphrase pairs by sentence: a sentence labelled a paraphrase of the
    # query by another pair is no retrieval negative
    paraphrases: dict[str, set[str]] = {}
    for r in rows:
        if r[0] == "1":
            a, b = pool.canon[r[1]], pool.canon[r[2]]
            paraphrases.setdefault(a, set()).add(b)
            paraphrases.setdefault(b, set()).add(a)
    pairs: list[tuple[str, str, int, str]] = []  # query, passage, label, group
    for r in rows:
        pairs.append((r[3], r[4], int(r[0]), "pair"))
        if r[0] != "1":
            continue
        skip = {pool.canon[r[1]], pool.canon[r[2]]} | paraphrases[pool.canon[r[1]]]
        shown = 0
        for d, _, _ in index.candidates(tokenize(r[3]), limit=8):
            doc_id = index.docs[d].doc.id
            if doc_id in skip or shown >= 5:
                continue
            shown += 1
            pairs.append((r[3], text_of[doc_id], 0, "retrieved"))
    encoder = None
    if not args.lexical:
        try:
            from quoteprov.search import _semantic as semantic

            encoder = semantic.get_encoder()
        except ImportError:
            encoder = None
    models = {}
    for name in ("lexical", "semantic"):
        if name == "semantic" and encoder is None:
            print("semantic tier not installed: semantic model kept as it was")
            continue
        cos = None
        if name == "semantic":
            assert encoder is not None
            load_vectors(encoder)
            qa = encoder.encode([p[0] for p in pairs])
            pa = encoder.encode([p[1] for p in pairs])
            save_vectors(encoder)
            cos = (qa * pa).sum(axis=1)
        names = [f for f in FEATURES if f != "cosine" or name == "semantic"]
        x = np.array(
            [
                [
                    features(
                        tokenize(q), tokenize(p), index.weight, None if cos is None else cos[k]
                    )[f]
                    for f in names
                ]
                for k, (q, p, _, _) in enumerate(pairs)
            ]
        )
        y = np.array([p[2] for p in pairs], dtype=np.float64)
        w = fit_logistic(x, y)
        prob = 1.0 / (1.0 + np.exp(-(np.hstack([x, np.ones((len(x), 1))]) @ w)))
        group = np.array([p[3] for p in pairs])
        hard = prob[(group == "pair") & (y == 0)]
        pos = prob[(group == "pair") & (y == 1)]
        threshold = float(np.quantile(hard, 1 - args.false_link))
        floor = float(np.quantile(pos, 1 - args.floor_recall))
        recall = float(np.mean(pos >= threshold))
        passed = (prob >= threshold) & (group == "pair")
        precision = float(np.mean(y[passed])) if passed.any() else 0.0
        curve = []
        for t in (0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
            curve.append(
                {
                    "threshold": t,
                    "paraphrase_recall": round(float(np.mean(pos >= t)), 4),
                    "hard_negative_pass": round(float(np.mean(hard >= t)), 4),
                }
            )
        models[name] = {
            "weights": {f: round(float(v), 6) for f, v in zip(names, w[:-1], strict=True)},
            "bias": round(float(w[-1]), 6),
            "threshold": round(threshold, 4),
            "floor": round(floor, 4),
            "fit": {
                "data": "MSRP train, fit side of benchmarks/quality.py:msrp_split",
                "pairs": len(pairs),
                "paraphrase_recall_at_threshold": round(recall, 4),
                "hard_negative_pass_at_threshold": round(float(np.mean(hard >= threshold)), 4),
                "pair_precision_at_threshold": round(precision, 4),
                "paraphrase_recall_at_floor": round(float(np.mean(pos >= floor)), 4),
                "hard_negative_pass_at_floor": round(float(np.mean(hard >= floor)), 4),
                "curve": curve,
            },
        }
        print(name, json.dumps(models[name], indent=1))
    old = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    old.update(models)
    old["_about"] = (
        "Combined scorer weights (logistic regression), fitted by benchmarks/fit_scorer.py "
        f"on {dt.date.today().isoformat()}; plain numbers, no pickle."
    )
    args.out.write_text(json.dumps(old, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"written: {os.path.relpath(args.out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
