"""Trace the seed statement's sentences and time the seeds' provenance graph.

Run from the repository root:  python benchmarks/seeds.py
Prints the query → documents table (kinds, scores, speakers, origin) and the time to build
the graph from scratch (analysis + index + families + reuse), best of several runs.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from pathlib import Path

import quoteprov as qp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from conftest import STATEMENT  # noqa: E402  (the four quoted sentences, shared with tests)

QUERIES = [*STATEMENT, "Penguins have been spotted skiing in the Sahara desert."]


def main() -> None:
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print("command: python benchmarks/seeds.py\n")
    corpus = qp.Corpus.seeds()
    print(f"{'query':44} {'document':22} {'kind':13} {'score':>5}  {'origin':6} speaker")
    for query in QUERIES:
        trace = qp.trace_quote(query, corpus)
        label = (query[:41] + "…") if len(query) > 42 else query
        if not trace.matches:
            print(f"{label:44} (no match)")
        for m in trace.matches:
            origin = "yes" if m is trace.origin else ""
            print(f"{label:44} {m.doc_id:22} {m.kind:13} {m.score:5.1f}  {origin:6} {m.speaker}")
            label = ""
    latencies = []
    for query in STATEMENT * 5:
        start = time.perf_counter()
        qp.trace_quote(query, corpus)
        latencies.append(time.perf_counter() - start)
    median_ms = statistics.median(latencies) * 1e3
    print(f"\ntrace_quote on the seeds (index warm): median {median_ms:.1f} ms")
    times = []
    for _ in range(5):
        fresh = qp.Corpus.seeds()  # nothing cached
        start = time.perf_counter()
        graph = qp.build_graph(fresh)
        times.append(time.perf_counter() - start)
    print(
        f"build_graph on the seeds from scratch: best {min(times):.3f} s, "
        f"median {statistics.median(times):.3f} s ({graph.number_of_nodes()} nodes, "
        f"{graph.number_of_edges()} edges)"
    )


if __name__ == "__main__":
    main()
