"""Scale benchmark: index, trace and graph on generated corpora of growing size.

Run from the repository root (each size runs in a fresh process, so peak memory is its own)::

    python benchmarks/scale.py 1000 2000 10000

For every size it generates a corpus with known reuse (``benchmarks/generate.py``) and
prints, in one run: the time to load and to index the corpus and the peak memory; the
latency of ``trace_quote`` (p50 / p95 over reused sentences) and its recall of the
documents holding them verbatim or lightly edited; the time of ``build_graph`` and the
recall / precision of its ``derived_from`` document pairs against the generator's truth;
a brute-force rapidfuzz ``process.cdist`` (``fuzz.ratio``) over the same sentences as the
baseline (measured on up to ``--baseline`` sentences, extrapolated quadratically beyond);
and the growth exponent of the build time between sizes.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/generate.py)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one(n: int, args: argparse.Namespace) -> dict[str, Any]:
    """Measure one corpus size (in this process)."""
    import numpy as np
    from rapidfuzz import fuzz, process

    import quoteprov as qp
    from quoteprov.index import CorpusIndex

    out: dict[str, Any] = {"documents": n}
    g = generate.generate(n, seed=args.seed, sentences=args.sentences, progress=False)
    truth_pairs = generate.reuse_pairs(g)
    strict_pairs = generate.reuse_pairs(g, strict=True)
    queries = list(generate.trace_queries(g, args.queries))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        generate.write(g, Path(tmp))
        direct = [(g.documents[c]["id"], g.documents[s]["id"]) for c, s, _ in g.derivations]
        del g
        base_mb = _peak_mb()
        start = time.perf_counter()
        corpus = qp.Corpus.from_jsonl(path)
        out["load_s"] = time.perf_counter() - start
    start = time.perf_counter()
    index = CorpusIndex.for_corpus(corpus)
    out["index_s"] = time.perf_counter() - start
    out["sentences"] = int(index.matrix.shape[0])
    out["index_peak_mb"] = _peak_mb()
    out["base_mb"] = base_mb

    latencies, found, expected = [], 0, 0
    for text, holders in queries:
        start = time.perf_counter()
        trace = qp.trace_quote(text, corpus)
        latencies.append(time.perf_counter() - start)
        hit = {m.doc_id for m in trace.matches if m.kind in ("verbatim", "near_verbatim")}
        found += len(holders & hit)
        expected += len(holders)
    out["trace_p50_ms"] = statistics.median(latencies) * 1e3
    out["trace_p95_ms"] = float(np.percentile(latencies, 95)) * 1e3
    out["trace_recall"] = found / max(1, expected)

    start = time.perf_counter()
    graph = qp.build_graph(corpus)
    out["graph_s"] = time.perf_counter() - start
    out["peak_mb"] = _peak_mb()
    edges = {(u[4:], v[4:]) for u, v, d in graph.edges(data=True) if d["type"] == "derived_from"}
    pairs = {tuple(sorted(e)) for e in edges}
    out["pairs_true"] = len(truth_pairs)
    out["pairs_found"] = len(pairs)
    out["pairs_strict"] = len(strict_pairs)
    out["pair_recall"] = len(pairs & strict_pairs) / max(1, len(strict_pairs))
    out["pair_recall_all"] = len(pairs & truth_pairs) / max(1, len(truth_pairs))
    out["pair_precision"] = len(pairs & truth_pairs) / max(1, len(pairs))
    direct_found = [e for e in direct if tuple(sorted(e)) in pairs]
    out["direction_correct"] = sum(e in edges for e in direct_found) / max(1, len(direct_found))

    sentences = [s.text for a in index.docs for s in a.sentences]
    k = min(len(sentences), args.baseline)
    start = time.perf_counter()
    process.cdist(
        sentences[:k], sentences[:k], scorer=fuzz.ratio, score_cutoff=80, workers=-1, dtype=np.uint8
    )
    measured = time.perf_counter() - start
    out["baseline_measured_on"] = k
    out["baseline_s"] = measured * (len(sentences) / k) ** 2
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", type=int, nargs="+")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sentences", type=float, default=30.0, help="mean per document")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--baseline", type=int, default=20_000, help="cdist sentences at most")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not (generate.DATA / "polnear").exists():
        print(f"skipped: {generate.DATA} is absent")
        return 0
    if args.one:
        print(json.dumps(one(args.sizes[0], args)))
        return 0
    load = os.getloadavg()
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, load average {load[0]:.1f} at start"
    )
    print("command: python benchmarks/scale.py " + " ".join(sys.argv[1:] if argv is None else argv))
    rows = []
    for n in args.sizes:
        cmd = [
            sys.executable,
            __file__,
            str(n),
            "--one",
            "--seed",
            str(args.seed),
            "--sentences",
            str(args.sentences),
            "--queries",
            str(args.queries),
            "--baseline",
            str(args.baseline),
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(done.stderr)
            return 1
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), flush=True)
    print()
    header = (
        f"{'docs':>7} {'sents':>8} {'index s':>8} {'peak MB':>8} {'trace p50':>9} "
        f"{'p95 ms':>7} {'recall':>6} {'graph s':>8} {'pair R':>6} {'pair P':>6} "
        f"{'cdist s':>9} {'ratio':>7}"
    )
    print(header)
    for r in rows:
        print(
            f"{r['documents']:>7} {r['sentences']:>8} {r['index_s']:8.1f} {r['peak_mb']:8.0f} "
            f"{r['trace_p50_ms']:9.1f} {r['trace_p95_ms']:7.1f} {r['trace_recall']:6.3f} "
            f"{r['graph_s']:8.1f} {r['pair_recall']:6.3f} {r['pair_precision']:6.3f} "
            f"{r['baseline_s']:9.1f} {r['baseline_s'] / r['graph_s']:7.1f}"
        )
    for a, b in itertools.pairwise(rows):
        growth = math.log(b["graph_s"] / a["graph_s"]) / math.log(b["documents"] / a["documents"])
        index_growth = math.log(b["index_s"] / a["index_s"]) / math.log(
            b["documents"] / a["documents"]
        )
        print(
            f"growth {a['documents']} -> {b['documents']}: build_graph exponent {growth:.2f}, "
            f"index exponent {index_growth:.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
