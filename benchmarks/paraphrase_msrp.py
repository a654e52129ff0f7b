"""Where the lexical paraphrase threshold sits: MSRP pairs against random sentence pairs.

Run from the repository root:  python benchmarks/paraphrase_msrp.py
Reads ../shared/data/msrp (or $QUOTEPROV_DATA/msrp); research-only data, never copied here.
For each threshold of ``paraphrase_score`` it prints the share of MSRP paraphrase pairs that
reach it (recall), of MSRP non-paraphrase pairs that reach it (hard negatives: same story,
different claim), and of random sentence pairs that reach it (unrelated text).
"""

from __future__ import annotations

import csv
import os
import platform
import random
import sys
from collections import Counter
from pathlib import Path

import quoteprov as qp
from quoteprov.search._index import CorpusIndex
from quoteprov.search._kinds import paraphrase_score
from quoteprov.search._scorer import PARAPHRASE_MIN
from quoteprov.text._analysis import content_terms
from quoteprov.text._normalize import tokenize

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("QUOTEPROV_DATA", ROOT.parent / "shared" / "data"))


def main() -> None:
    path = DATA / "msrp" / "msr_paraphrase_train.txt"
    if not path.exists():
        print(f"skipped: {path} is absent")
        return
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print("command: python benchmarks/paraphrase_msrp.py\n")
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
    sentences = {r[1]: r[3] for r in rows} | {r[2]: r[4] for r in rows}
    corpus = qp.Corpus(qp.Document(id=k, text=v) for k, v in sentences.items())
    index = CorpusIndex.for_corpus(corpus)  # for the rarity weights

    def score(a: str, b: str) -> float:
        bag_a = Counter(content_terms(tokenize(a)))
        bag_b = Counter(content_terms(tokenize(b)))
        return paraphrase_score(bag_a, bag_b, index)

    positives = [score(r[3], r[4]) for r in rows if r[0] == "1"]
    negatives = [score(r[3], r[4]) for r in rows if r[0] == "0"]
    texts = list(sentences.values())
    rng = random.Random(0)
    randoms = [score(*rng.sample(texts, 2)) for _ in range(5000)]
    print(
        f"{len(positives)} paraphrase pairs, {len(negatives)} non-paraphrase pairs, "
        f"{len(randoms)} random pairs"
    )
    print(f"{'threshold':>9} {'recall':>7} {'hard neg.':>9} {'random':>7}")
    for threshold in (30, 35, 40, 45, 50, 55, 60):
        mark = "  <- PARAPHRASE_MIN" if threshold == PARAPHRASE_MIN else ""
        print(
            f"{threshold:>9} {share(positives, threshold):7.3f} {share(negatives, threshold):9.3f}"
            f" {share(randoms, threshold):7.4f}{mark}"
        )
    print(f"random pairs: max {max(randoms):.1f}")


def share(values: list[float], threshold: float) -> float:
    return sum(v >= threshold for v in values) / len(values)


if __name__ == "__main__":
    sys.exit(main())
