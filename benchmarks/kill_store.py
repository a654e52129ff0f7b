"""Kill a process with SIGKILL while it adds documents to a corpus file, many times.

Run from the repository root::

    python benchmarks/kill_store.py              # 60 kills
    python benchmarks/kill_store.py --kills 200 --seed 3

A child process opens one corpus file and adds generated documents to it, one, two or
five at a time, printing each id after its add returned (committed).  The parent kills
it with SIGKILL after a random delay (anywhere in analysing, writing or committing),
then checks the file: ``PRAGMA integrity_check`` is ``ok``; every id the child reported
committed is there with exactly its text and metadata; every other document present
belongs to the one add that was in flight (committed just before the kill); the stored
analysis of every document equals a fresh analysis; a trace runs on the reopened corpus.
It prints one line per kill and the totals, with the command and machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

_CHILD = textwrap.dedent(
    """
    import random, sys
    import quoteprov as qp
    from kill_store import document

    path, start, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    corpus = qp.Corpus.open(path)
    print("ready", flush=True)
    k = start
    while True:
        batch = [document(k + j) for j in range(rng.choice((1, 2, 5)))]
        print("adding", " ".join(d.id for d in batch), flush=True)
        corpus.extend(batch)
        print("committed", " ".join(d.id for d in batch), flush=True)
        k += len(batch)
    """
)


def document(k: int) -> object:
    """The k-th generated document (its content follows from k alone)."""
    import quoteprov as qp

    rng = random.Random(k)
    words = [f"w{rng.randrange(3000)}" for _ in range(rng.randrange(50, 4000))]
    quote = " ".join(words[:12])
    text = f'"{quote}," speaker {k % 7} said. ' + " ".join(words) + "."
    return qp.Document(
        id=f"doc{k:06d}", text=text, published=f"2021-{k % 12 + 1:02d}-01", metadata={"k": k}
    )


def check(
    path: Path, committed: set[str], in_flight: set[str], verified: set[str]
) -> tuple[int, str]:
    """Check the file after a kill; returns (documents, problem or '').

    Every document's stored analysis is compared with a fresh one the first time it is
    seen, and 20 of the older ones again each time."""
    import quoteprov as qp
    from quoteprov.search._index import CorpusIndex
    from quoteprov.text._analysis import analyze

    with sqlite3.connect(path) as db:
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    if integrity != "ok":
        return 0, f"integrity_check: {integrity}"
    corpus = qp.Corpus.open(path)
    ids = set(corpus.ids)
    if not committed <= ids:
        return len(ids), f"lost committed documents: {sorted(committed - ids)[:5]}"
    extra = {i for i in ids if i.startswith("doc")} - committed
    if not extra <= in_flight:
        return len(ids), f"documents nobody added: {sorted(extra - in_flight)[:5]}"
    if extra and extra != in_flight:
        return len(ids), f"half an add: {sorted(extra)} of {sorted(in_flight)}"
    index = CorpusIndex.for_corpus(corpus)
    again = set(random.Random(len(ids)).sample(sorted(verified), min(20, len(verified))))
    for n, doc_id in enumerate(corpus.ids):
        if not doc_id.startswith("doc") or (doc_id in verified and doc_id not in again):
            continue
        expected = document(int(doc_id[3:]))
        stored = index.docs[n]
        fresh = analyze(expected)  # type: ignore[arg-type]
        if stored.doc != expected or list(stored.tokens) != list(fresh.tokens):
            return len(ids), f"{doc_id} differs from what was added"
        if stored.sentences != fresh.sentences or stored.quotes != fresh.quotes:
            return len(ids), f"{doc_id}'s stored analysis differs"
        quotes = range(len(fresh.quotes))
        if [stored.quote_parts(q) for q in quotes] != [fresh.quote_parts(q) for q in quotes]:
            return len(ids), f"{doc_id}'s stored quotation bounds differ"
        verified.add(doc_id)
    qp.trace_quote("the minister said we will win", corpus)
    return len(ids), ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    os.environ.setdefault("QUOTEPROV_SEMANTIC", "0")
    import quoteprov as qp

    print("# kill_store.py: SIGKILL during adds to a corpus file")
    print(f"# command: python benchmarks/{Path(__file__).name} {' '.join(sys.argv[1:])}")
    print(
        f"# machine: {platform.system()} {platform.release()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )
    rng = random.Random(args.seed)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "killed.qp")
        seeds = qp.Corpus.seeds()
        qp.Corpus(list(seeds)).save(path)
        script = Path(tmp, "child.py")
        script.write_text(_CHILD)
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent)}
        committed: set[str] = set()
        verified: set[str] = set()
        next_id = 0
        started = time.perf_counter()
        for kill in range(1, args.kills + 1):
            child = subprocess.Popen(
                [sys.executable, str(script), str(path), str(next_id), str(rng.randrange(1 << 30))],
                stdout=subprocess.PIPE,
                text=True,
                env=env,
            )
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0.01, 0.6))
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
            in_flight: set[str] = set()
            for line in child.stdout.read().splitlines():
                word, *ids = line.split()
                if word == "committed":
                    committed.update(ids)
                    in_flight = set()
                elif word == "adding":
                    in_flight = set(ids)
            count, problem = check(path, committed, in_flight, verified)
            landed = {i for i in in_flight if i in set(qp.Corpus.open(path).ids)}
            committed |= landed  # an add that committed just before the kill
            next_id = max([int(i[3:]) for i in committed] + [-1]) + 1
            failures += bool(problem)
            state = "ok" if not problem else f"FAILED: {problem}"
            print(
                f"kill {kill:3d}: {count:5d} documents, in flight {len(in_flight)} "
                f"({'landed' if landed else 'rolled back' if in_flight else 'none'}): {state}",
                flush=True,
            )
        elapsed = time.perf_counter() - started
        summary = {
            "kills": args.kills,
            "failures": failures,
            "documents": len(qp.Corpus.open(path)),
            "file_mb": round(path.stat().st_size / 1e6, 1),
            "seconds": round(elapsed, 1),
        }
    print(f"# {json.dumps(summary)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
