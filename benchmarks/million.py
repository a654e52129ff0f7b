"""A million documents traced from disk: ``scale.py --million`` (issue 21).

Run from the repository root (about an hour on the 2-CPU development machine; the corpus
file takes about 18 GB, its index 9 GB)::

    python benchmarks/scale.py --million 1000000 --tmp /big/folder

Three steps, each in a process of its own:

1. **build**: issue 3's generator, streamed (:func:`generate.stream`: a window of 2,000
   documents in memory), in a child process; the parent adds its documents to one corpus
   file, 2,000 per transaction (``Corpus.extend`` on a corpus opened with ``lazy=True``,
   which holds ids, not texts), with a progress bar.  Killed, it loses only the batch
   being written: run the same command again and it goes on from the documents the file
   holds (the generator is deterministic, so it regenerates and skips them).
2. **index**: the first search of the file opened with ``lazy=True`` writes the candidate
   index beside it (``corpus.qp.index``, memory-mapped arrays), in bounded memory.
3. **trace**: a new process opens the file (``Corpus.open(path, lazy=True)`` and the
   mapped index: timed together) and traces 200 reused sentences; recall is of the
   documents the generator put them in verbatim or with one light edit, as in
   ``scale.py``.  It runs first with the system's file cache emptied (as root on Linux:
   a new session reading the file from disk), then again warm (``warm_`` figures).

Each step's peak resident memory is its process' (``ru_maxrss``), the build's the larger
of the parent and the generator.  The figures go to ``million.json`` in the folder.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import generate
import trace_latency

BATCH = 2_000  # documents per transaction
TRACK = 499  # the fresh sentences followed for the trace queries: one lineage in TRACK


def _peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _produce(n: int, seed: int, sentences: float, have: int, queue: Any, folder: str) -> None:
    """Generate the corpus into ``queue`` (batches of records, the first ``have``
    documents left out), and the trace queries' truth into ``queries.json``."""
    holders: dict[int, set[str]] = {}
    carriers: dict[int, set[str]] = {}
    original: dict[int, str] = {}
    batch: list[dict[str, Any]] = []
    for i, (record, slots, _) in enumerate(
        generate.stream(n, seed=seed, sentences=sentences, progress=False)
    ):
        for s in slots:
            if s.lineage % TRACK:
                continue
            carriers.setdefault(s.lineage, set()).add(record["id"])
            if s.op == "fresh":
                original[s.lineage] = s.text
            if not s.paraphrased and s.edits <= 1:
                holders.setdefault(s.lineage, set()).add(record["id"])
        if i >= have:
            batch.append(record)
            if len(batch) == BATCH:
                queue.put(batch)
                batch = []
    if batch:
        queue.put(batch)
    reused = sorted(k for k, v in holders.items() if len(v) >= 2 and k in original)
    rng = random.Random(1)
    queries = [
        {
            "text": original[k],
            "group": "reused",
            "holders": sorted(holders[k]),
            "carriers": sorted(carriers[k]),
        }
        for k in rng.sample(reused, min(200, len(reused)))
    ]
    Path(folder, "queries.json").write_text(json.dumps(queries), encoding="utf-8")
    queue.put(None)


def build(n: int, folder: Path, seed: int, sentences: float) -> dict[str, Any]:
    """Step 1: the corpus file, streamed (see the module documentation)."""
    import quoteprov as qp

    path = folder / "corpus.qp"
    if not path.exists():
        qp.Corpus().save(path)
    corpus = qp.Corpus.open(path, lazy=True)
    have = len(corpus)
    start = time.perf_counter()
    if have >= n and (folder / "queries.json").exists():
        # complete: generating a million documents again only to skip them takes an hour
        return {"documents": have, "resumed_from": have, "build_s": 0.0}
    context = multiprocessing.get_context("fork")
    queue = context.Queue(maxsize=4)
    child = context.Process(
        target=_produce, args=(n, seed, sentences, have, queue, str(folder)), daemon=True
    )
    child.start()

    def batches() -> Iterator[list[dict[str, Any]]]:
        while (batch := queue.get()) is not None:
            yield batch

    total = -(-(n - have) // BATCH)
    from tqdm import tqdm

    for batch in tqdm(batches(), total=total, desc=f"adding {n - have} documents", unit="batch"):
        corpus.extend(qp.Document(**record) for record in batch)
    child.join()
    return {
        "documents": len(corpus),
        "resumed_from": have,
        "build_s": round(time.perf_counter() - start, 1),
        "build_peak_mb": round(max(_peak_mb(), _peak_mb(resource.RUSAGE_CHILDREN))),
        "file_mb": round(path.stat().st_size / 2**20),
    }


def index(folder: Path) -> dict[str, Any]:
    """Step 2: the mapped index, written by the first search's tracer."""
    import quoteprov as qp

    start = time.perf_counter()
    corpus = qp.Corpus.open(folder / "corpus.qp", lazy=True)
    tracer = qp.Tracer(corpus, semantic=False)
    rows = int(tracer.index.matrix.shape[0])
    size = sum(p.stat().st_size for p in (folder / "corpus.qp.index").iterdir())
    return {
        "sentences": rows,
        "index_s": round(time.perf_counter() - start, 1),
        "index_peak_mb": round(_peak_mb()),
        "index_mb": round(size / 2**20),
    }


def trace(folder: Path) -> dict[str, Any]:
    """Step 3: open the file and its index, then trace the queries."""
    import quoteprov as qp

    start = time.perf_counter()
    corpus = qp.Corpus.open(folder / "corpus.qp", lazy=True)
    opened = qp.Tracer(corpus, semantic=False).index  # what a first trace_quote opens
    out: dict[str, Any] = {"open_s": round(time.perf_counter() - start, 2)}
    out["open_sentences"] = int(opened.matrix.shape[0])
    queries = json.loads((folder / "queries.json").read_text(encoding="utf-8"))
    groups = trace_latency.measure(queries, corpus)
    reused = groups["reused"]
    out.update(
        {
            "queries": len(queries),
            "trace_p50_ms": reused["p50_ms"],
            "trace_p95_ms": reused["p95_ms"],
            "trace_recall": reused["recall_vn"],
            "groups": groups,
            "trace_peak_mb": round(_peak_mb()),
        }
    )
    return out


def _drop_caches() -> bool:
    """Empty the system's file cache (root on Linux), so that the next step reads the
    file from disk as a new session would; False where it cannot be done."""
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        return False
    return True


def run(n: int, folder: Path, seed: int, sentences: float) -> dict[str, Any]:
    """The steps, each in a new process; their figures, also in ``million.json``.

    The trace step runs twice: first with the file cache emptied where this user can
    (a session opening the file cold), then again with what the first one read cached.
    """
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Any] = {"documents": n, "load_start": round(os.getloadavg()[0], 2)}
    for step in ("build", "index", "trace", "trace"):
        started = time.perf_counter()
        prefix = ""
        if step == "trace" and "open_s" not in out:
            out["cold"] = _drop_caches()
        elif step == "trace":
            prefix = "warm_"
        cmd = [sys.executable, __file__, step, str(n), str(folder), str(seed), str(sentences)]
        done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"the {step} step failed (exit {done.returncode})")
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        out.update({prefix + k: v for k, v in figures.items()})
        print(f"{prefix}{step}: {time.perf_counter() - started:.0f} s", flush=True)
        (folder / "million.json").write_text(json.dumps(out, indent=1), encoding="utf-8")
    out["load_end"] = round(os.getloadavg()[0], 2)
    (folder / "million.json").write_text(json.dumps(out, indent=1), encoding="utf-8")
    return out


def main(argv: list[str]) -> int:
    step, n, folder, seed, sentences = argv
    args = (int(n), Path(folder), int(seed), float(sentences))
    if step == "build":
        print(json.dumps(build(*args)))
    elif step == "index":
        print(json.dumps(index(args[1])))
    else:
        print(json.dumps(trace(args[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
