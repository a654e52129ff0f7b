"""Candidate index designs compared on one generated corpus: recall of the reuse, and speed.

Run from the repository root (needs ``pip install scikit-learn sparse_dot_topn datasketch``;
a design whose library is missing is skipped)::

    python benchmarks/index_compare.py 2000 10000

Two jobs, each measured on the same generated corpus (``benchmarks/generate.py``):

**trace** — one query sentence in, 50 candidate sentences out.  Recall: the share of the
documents holding the query verbatim or lightly edited (the generator's truth) that have a
candidate sentence.  Designs: quoteprov's SciPy TF-IDF posting lists (what ``trace_quote``
uses, before alignment), SQLite FTS5 ranked by BM25, scikit-learn TF-IDF with sparse-dot-topn,
datasketch MinHash LSH (Jaccard 0.4) over content terms.

**join** — every document pair that reuses sentences, without comparing all pairs.  Recall:
the share of the truth's document pairs (two sentences shared, at most one edit apart) with
at least two candidate sentence pairs.  Designs: the exhaustive SciPy product (cosine 0.3:
the reference, quadratic), sparse-dot-topn (cosine 0.3, 50 per sentence, 2 threads),
datasketch MinHash LSH (Jaccard 0.4), and quoteprov's reuse keys (the same words, three
of the six rarest terms, or two of them shared by at most ten sentences; then cosine 0.3).
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

import quoteprov as qp  # noqa: E402
from quoteprov.search._candidates import candidate_rows  # noqa: E402
from quoteprov.search._index import CorpusIndex, content_terms  # noqa: E402
from quoteprov.search._query import Query  # noqa: E402
from quoteprov.text._normalize import tokenize  # noqa: E402

TOP = 50


def _timed(function: Callable[[], object]) -> tuple[object, float]:
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def _trace_recall(index: CorpusIndex, found: list[set[int]], queries: list) -> float:
    hit = total = 0
    for rows, (_, holders) in zip(found, queries, strict=True):
        docs = {index.docs_ids[int(index.unit_doc[r])] for r in rows}
        hit += len(holders & docs)
        total += len(holders)
    return hit / max(1, total)


def trace_designs(index: CorpusIndex, texts: list[str], queries: list) -> None:
    print(f"\ntrace: {len(queries)} queries, {TOP} candidates each")
    print(f"{'design':34} {'build s':>8} {'p50 ms':>7} {'p95 ms':>7} {'recall':>7}")

    def report(name: str, build: float, run: Callable[[str], set[int]]) -> None:
        found, times = [], []
        for text, _ in queries:
            rows, took = _timed(lambda text=text: run(text))
            found.append(rows)  # type: ignore[arg-type]
            times.append(took)
        recall = _trace_recall(index, found, queries)
        p50, p95 = statistics.median(times) * 1e3, float(np.percentile(times, 95)) * 1e3
        print(f"{name:34} {build:8.1f} {p50:7.2f} {p95:7.2f} {recall:7.3f}")

    def ours(text: str) -> set[int]:
        (rows,) = candidate_rows([Query.parse(text)], index, limit=TOP, always=0.5)
        return set(rows.tolist())

    report("quoteprov TF-IDF postings (SciPy)", 0.0, ours)

    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE s USING fts5(text, tokenize='porter unicode61')")
    _, build = _timed(
        lambda: db.executemany("INSERT INTO s (rowid, text) VALUES (?, ?)", enumerate(texts))
    )

    def fts(text: str) -> set[int]:
        words = {t.norm.replace('"', "") for t in tokenize(text)} - {""}
        match = " OR ".join(f'"{w}"' for w in sorted(words))
        sql = "SELECT rowid FROM s WHERE s MATCH ? ORDER BY bm25(s) LIMIT ?"
        return {row[0] for row in db.execute(sql, (match, TOP))}

    report("SQLite FTS5 BM25", build, fts)

    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sparse_dot_topn import sp_matmul_topn
    except ImportError:
        print("scikit-learn + sparse-dot-topn: skipped (not installed)")
    else:

        def analyzer(text: str) -> list[str]:
            return content_terms(tokenize(text))

        vectorizer = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True)
        matrix, build = _timed(lambda: vectorizer.fit_transform(texts).T.tocsr())

        def sk(text: str) -> set[int]:
            product = sp_matmul_topn(vectorizer.transform([text]), matrix, top_n=TOP)
            return set(product.indices.tolist())

        report("scikit-learn TF-IDF + sparse-dot-topn", build, sk)

    lsh = _minhash_lsh(index)
    if lsh is not None:
        forest, hashes, build = lsh

        def mh(text: str) -> set[int]:
            return set(forest.query(hashes([content_terms(tokenize(text))])[0])[:TOP])

        report("datasketch MinHash LSH", build, mh)


def _minhash_lsh(index: CorpusIndex, threshold: float = 0.4) -> tuple | None:
    try:
        from datasketch import MinHash, MinHashLSH
    except ImportError:
        print("datasketch MinHash LSH: skipped (not installed)")
        return None

    def hashes(term_sets: list[list[str]]) -> list:
        sets = [[t.encode("utf-8") for t in set(ts)] or [b""] for ts in term_sets]
        return MinHash.bulk(sets, num_perm=64)

    def build() -> MinHashLSH:
        lsh = MinHashLSH(threshold=threshold, num_perm=64)
        rows = [_row_terms(index, u) for u in range(index.matrix.shape[0])]
        with lsh.insertion_session() as session:
            for u, m in enumerate(hashes(rows)):
                session.insert(u, m, check_duplication=False)
        return lsh

    lsh, took = _timed(build)
    return lsh, hashes, took


def _row_terms(index: CorpusIndex, u: int) -> list[str]:
    lo, hi = index.matrix.indptr[u], index.matrix.indptr[u + 1]
    return [index.terms_list[k] for k in index.matrix.indices[lo:hi]]


def join_designs(index: CorpusIndex, truth: set[tuple[str, str]], exhaustive: bool) -> None:
    print(f"\njoin: {len(truth)} document pairs to find (two sentences, one edit apart)")
    print(f"{'design':34} {'time s':>8} {'doc pairs':>10} {'recall':>7}")
    ids = index.docs_ids

    def report(name: str, took: float, us: np.ndarray, vs: np.ndarray) -> None:
        du, dv = index.unit_doc[us], index.unit_doc[vs]
        other = du != dv
        keys = np.minimum(du, dv)[other] * len(ids) + np.maximum(du, dv)[other]
        pairs, count = np.unique(keys, return_counts=True)
        pairs = pairs[count >= 2]
        found = {tuple(sorted((ids[k // len(ids)], ids[k % len(ids)]))) for k in pairs.tolist()}
        recall = len(found & truth) / max(1, len(truth))
        print(f"{name:34} {took:8.1f} {len(found):>10} {recall:7.3f}")

    long_enough = index.unit_len >= 5
    if exhaustive:

        def product() -> tuple[np.ndarray, np.ndarray]:
            us, vs = [], []
            for a, b, _ in index.similar_pair_blocks(min_similarity=0.3):
                keep = long_enough[a] & long_enough[b]
                us.append(a[keep])
                vs.append(b[keep])
            return np.concatenate(us), np.concatenate(vs)

        (us, vs), took = _timed(product)
        report("SciPy product, all pairs (exact)", took, us, vs)
    try:
        from sparse_dot_topn import sp_matmul_topn
    except ImportError:
        print("sparse-dot-topn: skipped (not installed)")
    else:

        def topn() -> tuple[np.ndarray, np.ndarray]:
            m = index.matrix
            product = sp_matmul_topn(m, m.T.tocsr(), top_n=TOP, threshold=0.3, n_threads=2)
            coo = product.tocoo()
            keep = (coo.row < coo.col) & long_enough[coo.row] & long_enough[coo.col]
            return coo.row[keep].astype(np.int64), coo.col[keep].astype(np.int64)

        (us, vs), took = _timed(topn)
        report("sparse-dot-topn (cos 0.3, top 50)", took, us, vs)
    lsh = _minhash_lsh(index)
    if lsh is not None:
        forest, hashes, build = lsh

        def pairs() -> tuple[np.ndarray, np.ndarray]:
            us, vs = [], []
            rows = np.flatnonzero(long_enough)
            for u, m in zip(rows, hashes([_row_terms(index, int(u)) for u in rows]), strict=True):
                for v in forest.query(m):
                    if v > u and long_enough[v]:
                        us.append(int(u))
                        vs.append(int(v))
            return np.asarray(us, dtype=np.int64), np.asarray(vs, dtype=np.int64)

        (us, vs), took = _timed(pairs)
        report("datasketch MinHash LSH (J 0.4)", build + took, us, vs)

    def keys() -> tuple[np.ndarray, np.ndarray]:
        pairs = index.candidate_document_pairs(min_similarity=0.3, min_words=5, min_pairs=2)
        us, vs = [], []
        for a, b, _ in index.document_pair_blocks(pairs, min_similarity=0.3, min_words=5):
            us.append(a)
            vs.append(b)
        return np.concatenate(us), np.concatenate(vs)

    (us, vs), took = _timed(keys)
    report("quoteprov reuse keys (NumPy)", took, us, vs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", type=int, nargs="+")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--exhaustive-max", type=int, default=3000)
    args = parser.parse_args()
    if not (generate.DATA / "polnear").exists():
        print(f"skipped: {generate.DATA} is absent")
        return 0
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f} at start"
    )
    print("command: python benchmarks/index_compare.py " + " ".join(sys.argv[1:]))
    for n in args.sizes:
        g = generate.generate(n, progress=False)
        print(f"\n== {generate.summary(g)}")
        truth = generate.reuse_pairs(g, strict=True)
        queries = [(text, holders) for text, holders in generate.trace_queries(g, args.queries)]
        corpus = qp.Corpus.from_records(g.documents)
        del g
        index = CorpusIndex.for_corpus(corpus)
        index.docs_ids = [a.doc.id for a in index.docs]  # type: ignore[attr-defined]
        terms = [""] * len(index.vocab)
        for term, k in index.vocab.items():
            terms[k] = term
        index.terms_list = terms  # type: ignore[attr-defined]
        texts = [s.text for a in index.docs for s in a.sentences]
        trace_designs(index, texts, queries)
        join_designs(index, truth, exhaustive=n <= args.exhaustive_max)
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
