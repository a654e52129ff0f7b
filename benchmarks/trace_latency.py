"""``trace_quote`` latency, recall and precision on a saved corpus, as ``scale.py`` measures them.

``scale.py`` generates and saves a corpus for every run; this reuses one saved corpus
(``corpus.qp`` and ``measure.json`` in a folder written by ``scale.py --keep FOLDER``, or
by ``scale.py --prepare`` and saved once), so that two versions of the code can be
compared on the same file in turns::

    python benchmarks/trace_latency.py /tmp/scale-100k --dump /tmp/traces.json

It opens the file in this process, loads the index and traces the same queries
``scale.py`` does (one pass, a cold document cache, as there): the generator's reused
sentences and, in a corpus prepared with viral quotations, the statements planted in 10,
100 or 1,000 documents.  For each group of queries and over all it prints p50 / p95
latency, the same percentiles of the process' CPU time per trace (steadier than wall
time on a shared machine), the recall of the documents that must be found among
``trace.matches`` (``R``; ``R vn`` counts verbatim and near-verbatim matches only, as
issue 3 did), and the precision of the documents reported in ``trace.matches``: ``P``
counts a document right when the generator put a version of the query in it (verbatim,
edited however often, or a human paraphrase), ``P strict`` only when it is one of the
documents that must be found (verbatim or one light edit); both pool the documents
of a group's queries, ``P mean`` averages each query's ``P`` (a viral quotation's
1,000 documents count once).  The documents reported wrongly are counted by their best
match's kind.  ``--dump`` writes every trace's
matches (kind, document, offsets, text, score, coverage, speaker, changes), whether each
is right, and the origin as JSON, to check that two versions trace identically and to
read the wrong ones; ``--profile`` writes a cProfile of the tracing loop.
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
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

_RANK = {"verbatim": 0, "near_verbatim": 1, "partial": 2, "paraphrase": 3}


def load_queries(folder: Path) -> list[dict[str, Any]]:
    """The queries of a prepared folder: text, group, the documents that must be found
    (``holders``) and those the generator put a version of it in (``carriers``).  A folder
    prepared before the viral quotations (queries as ``[text, holders]``) reads as the
    reused group, its holders as carriers."""
    raw = json.loads((folder / "measure.json").read_text(encoding="utf-8"))["queries"]
    out = []
    for q in raw:
        if isinstance(q, list):
            q = {"text": q[0], "group": "reused", "holders": q[1], "carriers": q[1]}
        out.append(q)
    return out


def _pct(values: list[float], p: float) -> float:
    return round(float(np.percentile(values, p)) * 1e3, 1) if values else float("nan")


def measure(
    queries: list[dict[str, Any]],
    corpus: Any,
    profile: cProfile.Profile | None = None,
    dump: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Trace every query once; latency, recall and precision by group and over all."""
    import quoteprov as qp

    rows: list[dict[str, Any]] = []
    for q in queries:
        if profile is not None:
            profile.enable()
        start, start_cpu = time.perf_counter(), time.process_time()
        trace = qp.trace_quote(q["text"], corpus)
        wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        if profile is not None:
            profile.disable()
        holders, carriers = set(q["holders"]), set(q["carriers"])
        best: dict[str, Any] = {}
        for m in trace.matches:
            if m.doc_id not in best or _RANK[m.kind] < _RANK[best[m.doc_id].kind]:
                best[m.doc_id] = m
        reported = set(best)
        vn = {d for d, m in best.items() if m.kind in ("verbatim", "near_verbatim")}
        related = {m.doc_id for m in trace.related} - reported
        rows.append(
            {
                "group": q["group"],
                "wall": wall,
                "cpu": cpu,
                "expected": len(holders),
                "found": len(holders & reported),
                "found_vn": len(holders & vn),
                "missed_related": len((holders - reported) & related),
                "reported": len(reported),
                "right": len(reported & carriers),
                "right_strict": len(reported & holders),
                "wrong_kinds": Counter(best[d].kind for d in reported - carriers),
            }
        )
        if dump is not None:
            origin = trace.origin
            dump.append(
                {
                    "query": q["text"],
                    "group": q["group"],
                    "expected": len(holders),
                    "ms": round(wall * 1e3, 1),
                    "cpu_ms": round(cpu * 1e3, 1),
                    "origin": None if origin is None else [origin.doc_id, origin.start],
                    "missed": sorted(holders - reported),
                    "matches": [
                        {**m.model_dump(mode="json"), "right": m.doc_id in carriers}
                        for m in trace.matches
                    ],
                }
            )
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[r["group"]].append(r)
    out = {g: _summary(rs) for g, rs in sorted(groups.items(), key=lambda kv: _group_key(kv[0]))}
    out["all"] = _summary(rows)
    return out


def _group_key(group: str) -> tuple[int, str]:
    return (int(group[5:]) if group.startswith("viral") else -1, group)


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    wall = [r["wall"] for r in rows]
    cpu = [r["cpu"] for r in rows]
    total = lambda key: sum(r[key] for r in rows)  # noqa: E731
    kinds: Counter[str] = Counter()
    for r in rows:
        kinds.update(r["wrong_kinds"])
    return {
        "queries": len(rows),
        "p50_ms": _pct(wall, 50),
        "p95_ms": _pct(wall, 95),
        "max_ms": _pct(wall, 100),
        "cpu_p50_ms": _pct(cpu, 50),
        "cpu_p95_ms": _pct(cpu, 95),
        "expected": total("expected"),
        "recall": round(total("found") / max(1, total("expected")), 4),
        "recall_vn": round(total("found_vn") / max(1, total("expected")), 4),
        "missed_in_related": total("missed_related"),
        "reported": total("reported"),
        "precision": round(total("right") / max(1, total("reported")), 4),
        "precision_strict": round(total("right_strict") / max(1, total("reported")), 4),
        # each query's precision, averaged (a viral quotation's 1,000 documents count once)
        "precision_mean": round(
            statistics.mean([r["right"] / r["reported"] for r in rows if r["reported"]] or [0]),
            4,
        ),
        "wrong_by_kind": dict(sorted(kinds.items())),
    }


def baseline_scan(
    queries: list[dict[str, Any]], texts: dict[str, str], cutoff: float = 90
) -> dict[str, Any]:
    """The plain baseline: every document's ``rapidfuzz.fuzz.partial_ratio`` with the
    query, the documents scoring ``cutoff`` or more reported; by group and over all."""
    from rapidfuzz import fuzz

    ids, docs = list(texts), list(texts.values())
    rows = []
    for q in queries:
        start = time.perf_counter()
        reported = {
            i
            for i, t in zip(ids, docs, strict=True)
            if fuzz.partial_ratio(q["text"], t, score_cutoff=cutoff)
        }
        wall = time.perf_counter() - start
        holders, carriers = set(q["holders"]), set(q["carriers"])
        rows.append((q["group"], wall, len(holders), len(holders & reported), reported, carriers))
    out: dict[str, Any] = {}
    groups = sorted({r[0] for r in rows}, key=_group_key)
    for g in [*groups, "all"]:
        rs = [r for r in rows if g in ("all", r[0])]
        reported = sum(len(r[4]) for r in rs)
        out[g] = {
            "queries": len(rs),
            "ms_per_query": round(statistics.mean(r[1] for r in rs) * 1e3),
            "recall": round(sum(r[3] for r in rs) / max(1, sum(r[2] for r in rs)), 4),
            "reported": reported,
            "precision": round(sum(len(r[4] & r[5]) for r in rs) / max(1, reported), 4),
        }
    return out


def sample(queries: list[dict[str, Any]], per_group: int) -> list[dict[str, Any]]:
    """The first ``per_group`` queries of every group (the queries are in random order)."""
    taken: Counter[str] = Counter()
    out = []
    for q in queries:
        if taken[q["group"]] < per_group:
            taken[q["group"]] += 1
            out.append(q)
    return out


def table(result: dict[str, Any], scan: dict[str, Any] | None = None) -> str:
    """The by-group figures as a plain-text table."""
    head = (
        f"{'queries':>10} {'n':>4} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'cpu p50':>7} "
        f"{'cpu p95':>7} {'expected':>8} {'R':>6} {'R vn':>6} {'reported':>8} {'P':>6} "
        f"{'P strict':>8} {'P mean':>6}  wrong by kind"
    )
    lines = [head]
    for g, r in result.items():
        lines.append(
            f"{g:>10} {r['queries']:>4} {r['p50_ms']:7.1f} {r['p95_ms']:7.1f} {r['max_ms']:7.1f} "
            f"{r['cpu_p50_ms']:7.1f} {r['cpu_p95_ms']:7.1f} {r['expected']:>8} "
            f"{r['recall']:6.3f} {r['recall_vn']:6.3f} {r['reported']:>8} {r['precision']:6.3f} "
            f"{r['precision_strict']:8.3f} {r['precision_mean']:6.3f}  {r['wrong_by_kind'] or ''}"
        )
    if scan:
        lines.append("")
        lines.append("baseline: every document's rapidfuzz partial_ratio >= 90, on a sample")
        lines.append(f"{'queries':>10} {'n':>4} {'ms/query':>9} {'R':>6} {'reported':>8} {'P':>6}")
        for g, r in scan.items():
            lines.append(
                f"{g:>10} {r['queries']:>4} {r['ms_per_query']:>9} {r['recall']:6.3f} "
                f"{r['reported']:>8} {r['precision']:6.3f}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, help="holds corpus.qp and measure.json")
    parser.add_argument("--dump", type=Path, help="write the traced matches as JSON")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the traces")
    parser.add_argument("--group", help="trace this group of queries only (reused, viral100…)")
    parser.add_argument(
        "--warm",
        action="store_true",
        help="trace one other sentence first and print its time apart (with the semantic "
        "tier: the first trace embeds the corpus, or reads its vectors, and groups them)",
    )
    args = parser.parse_args(argv)

    import quoteprov as qp
    from quoteprov.search._index import CorpusIndex

    queries = load_queries(args.folder)
    if args.group:
        queries = [q for q in queries if q["group"] == args.group]
    load = os.getloadavg()[0]
    start = time.perf_counter()
    corpus = qp.Corpus.open(args.folder / "corpus.qp", progress=False)
    CorpusIndex.for_corpus(corpus, progress=False)
    opened = time.perf_counter() - start
    if args.warm:
        start = time.perf_counter()
        qp.trace_quote("A sentence to warm the tracer up before the queries are timed.", corpus)
        print(f"first trace: {time.perf_counter() - start:.1f} s (not counted below)")
    profile = cProfile.Profile() if args.profile is not None else None
    dumped: list[dict[str, Any]] | None = [] if args.dump is not None else None
    result = measure(queries, corpus, profile, dumped)
    if args.dump is not None:
        args.dump.write_text(json.dumps(dumped, ensure_ascii=False, indent=1), encoding="utf-8")
    if profile is not None:
        profile.dump_stats(args.profile)
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; code {Path(qp.__file__).parent}; open {opened:.1f} s; "
        f"load average {load:.2f} -> {os.getloadavg()[0]:.2f}"
    )
    print(table(result))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
