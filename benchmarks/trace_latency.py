"""``trace_quote`` latency on a saved corpus, as ``scale.py`` measures it, alone.

``scale.py`` generates and saves a corpus for every run; this reuses one saved corpus
(``corpus.qp`` and ``measure.json`` in a folder written by ``scale.py --prepare`` and
saved once), so that two versions of the code can be compared on the same file in turns::

    python benchmarks/trace_latency.py /tmp/scale-100k --dump /tmp/traces.json

It opens the file in this process, loads the index, traces the same reused sentences
``scale.py`` does (one pass, a cold document cache, as there) and prints p50 / p95
latency, the recall of the documents holding them verbatim or with one edit, the same
percentiles of the process' CPU time per trace (steadier than wall time on a shared
machine) and the load average.  ``--dump`` writes every trace's matches (kind, document,
offsets, text, score, speaker, changes) and origin as JSON, to check that two versions
trace identically; ``--profile`` writes a cProfile of the tracing loop.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, help="holds corpus.qp and measure.json")
    parser.add_argument("--dump", type=Path, help="write the traced matches as JSON")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the traces")
    args = parser.parse_args(argv)

    import quoteprov as qp
    from quoteprov.index import CorpusIndex

    queries = json.loads((args.folder / "measure.json").read_text(encoding="utf-8"))["queries"]
    load = os.getloadavg()[0]
    start = time.perf_counter()
    corpus = qp.Corpus.open(args.folder / "corpus.qp", progress=False)
    CorpusIndex.for_corpus(corpus, progress=False)
    opened = time.perf_counter() - start
    profile = cProfile.Profile() if args.profile is not None else None
    latencies, cpu, found, expected, dumped = [], [], 0, 0, []
    for text, holders in queries:
        if profile is not None:
            profile.enable()
        start, start_cpu = time.perf_counter(), time.process_time()
        trace = qp.trace_quote(text, corpus)
        latencies.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        if profile is not None:
            profile.disable()
        hit = {m.doc_id for m in trace.matches if m.kind in ("verbatim", "near_verbatim")}
        found += len(set(holders) & hit)
        expected += len(holders)
        if args.dump is not None:
            origin = trace.origin
            dumped.append(
                {
                    "query": text,
                    "origin": None if origin is None else [origin.doc_id, origin.start],
                    "matches": [m.model_dump(mode="json") for m in trace.matches],
                }
            )
    if args.dump is not None:
        args.dump.write_text(json.dumps(dumped, ensure_ascii=False, indent=1), encoding="utf-8")
    if profile is not None:
        profile.dump_stats(args.profile)
    result = {
        "code": str(Path(qp.__file__).parent),
        "queries": len(latencies),
        "open_s": round(opened, 1),
        "p50_ms": round(statistics.median(latencies) * 1e3, 1),
        "p95_ms": round(float(np.percentile(latencies, 95)) * 1e3, 1),
        "recall": round(found / max(1, expected), 3),
        "cpu_p50_ms": round(statistics.median(cpu) * 1e3, 1),
        "cpu_p95_ms": round(float(np.percentile(cpu, 95)) * 1e3, 1),
        "load": [round(load, 2), round(os.getloadavg()[0], 2)],
        "machine": f"{platform.platform()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}",
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
