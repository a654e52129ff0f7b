"""Every copy of a viral quotation: one statement copied into N documents of a corpus.

Run from the repository root::

    .venv/bin/python benchmarks/viral.py [--docs 3000] [--copies 10,100,1000]

A corpus of ``--docs`` news-like documents (``generate.py``: bigram-model sentences with
their own reuse and quotations) gets one fresh statement planted in N of them, in a
paragraph of its own: "Name said: “…”" or "“…,” Name said." (70 %), or lightly edited
(``generate._edit``: one or two words substituted, dropped or added: 30 %).  For each N it
traces the statement and prints: how many of the N documents are returned
(``trace.matches``), the precision of the documents returned, how many documents the
trace puts in ``related``, the latency of the first trace (the index already built) and
the median of five more; beside them a plain baseline in the same run: every document's
``rapidfuzz.fuzz.partial_ratio`` with the statement, at 90 or more, and its time.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402
from rapidfuzz import fuzz  # noqa: E402

import quoteprov as qp  # noqa: E402
from quoteprov.search._index import CorpusIndex  # noqa: E402


def plant(
    documents: list[dict[str, object]], statement: str, copies: int, rng: random.Random
) -> set[str]:
    """Add ``statement`` to ``copies`` random documents (in place); their ids."""
    vocab = statement.split()
    chosen = rng.sample(range(len(documents)), copies)
    for k in chosen:
        text = statement
        if rng.random() < 0.3:
            text = generate._edit(statement, rng, [*vocab, "officials", "year"]) or statement
        body = text.rstrip(".")
        quoted = f"Ana Ruiz said: “{body}.”" if rng.random() < 0.5 else f"“{body},” Ana Ruiz said."
        documents[k] = {**documents[k], "text": f"{documents[k]['text']}\n\n{quoted}"}
    return {str(documents[k]["id"]) for k in chosen}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--copies", default="10,100,1000")
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args(argv)
    print("command: " + " ".join([os.path.relpath(sys.executable), *sys.argv]))
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    base = generate.generate(args.docs, seed=args.seed, progress=False)
    rng = random.Random(args.seed)
    statement = (
        "We will not let the harbour authority sell the northern piers to a private "
        "developer while 4,000 families still wait for the ferry they were promised."
    )
    head = (
        f"{'N':>6} {'found':>9} {'precision':>9} {'related':>8} {'first ms':>9} "
        f"{'median ms':>9} | {'p_ratio found':>13} {'precision':>9} {'ms':>7}"
    )
    print(head)
    print("-" * len(head))
    for copies in [int(c) for c in args.copies.split(",")]:
        documents = [dict(d) for d in base.documents]
        planted = plant(documents, statement, copies, rng)
        corpus = qp.Corpus.from_records(documents)
        CorpusIndex.for_corpus(corpus, progress=False)
        start = time.perf_counter()
        trace = qp.trace_quote(statement, corpus)
        first = time.perf_counter() - start
        times = []
        for _ in range(5):
            start = time.perf_counter()
            qp.trace_quote(statement, corpus)
            times.append(time.perf_counter() - start)
        found = {m.doc_id for m in trace.matches}
        related = {m.doc_id for m in trace.related} - found
        start = time.perf_counter()
        scan = {d.id for d in corpus if fuzz.partial_ratio(statement, d.text) >= 90}
        scan_s = time.perf_counter() - start
        print(
            f"{copies:>6} {len(found & planted):>5}/{copies:<3} "
            f"{len(found & planted) / max(1, len(found)):>9.3f} {len(related):>8} "
            f"{first * 1e3:>9.0f} {statistics.median(times) * 1e3:>9.0f} | "
            f"{len(scan & planted):>9}/{copies:<3} {len(scan & planted) / max(1, len(scan)):>9.3f} "
            f"{scan_s * 1e3:>7.0f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
