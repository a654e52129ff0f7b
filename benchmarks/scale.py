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
and the growth exponent of the build time between sizes.  While ``build_graph`` runs, the
memory of the whole process tree (the parent and its forked workers) is sampled twice a
second: *PSS MB* is its peak proportional set size, which counts a page the workers share
with the parent once (their RSS counts it in each).

``--dask`` builds the graph a second time on a Dask ``LocalCluster`` (two single-threaded
worker processes) and says whether its GraphML is byte for byte the local graph's.

``--wire`` measures wire copy instead (``generate.wire_copy``): one agency story per 400
documents (five at least), each reprinted, whole or in part and lightly edited, by the
others; a reprint's one true source is its story, and the pair figures count the
``derived_from`` edges against those derivations alone.

Viral quotations (issue 15): ``--viral`` fresh statements (written by the generator's
news bigram model, one speaker each) are planted for every count in ``--viral-copies``,
each in that many random documents (at most half the corpus), in a paragraph of their
own: "Name said: “…”" or "“…,” Name said.", lightly edited in 30 % of the copies
(``generate._edit``: one or two words substituted, dropped or added).  They are traced
besides the reused sentences, and for every group of queries the run prints the latency,
the recall of the documents that must be found among ``trace.matches``, and the
precision of the documents reported there (``trace_latency.py`` says how each is
counted); beside them, on ``--scan`` queries of each group, the plain baseline of
scanning every document with ``rapidfuzz.fuzz.partial_ratio`` (90 or more reported).
``--keep FOLDER`` keeps the prepared corpus for ``trace_latency.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import math
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/generate.py)
import million  # noqa: E402  (benchmarks/million.py)
import trace_latency  # noqa: E402  (benchmarks/trace_latency.py)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _worker_peak_mb() -> float:
    """The peak resident memory of the largest worker process (forked by ``build_graph``;
    it shares the parent's pages until it writes to them, so the two do not add up)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _wire_sources(n: int) -> int:
    """Agency stories of a wire corpus of ``n`` documents: one per 400, five at least
    (the issue's 2,000 documents: five stories, each reprinted ~400 times)."""
    return max(5, round(n / 400))


class TreeMemory:
    """The peak memory of this process and its children (forked workers), sampled twice a
    second while it runs: RSS counts a page the parent and its workers share once in each,
    PSS splits it between them, so the PSS sum is what the machine really holds."""

    def __init__(self, every: float = 0.5) -> None:
        self.every = every
        self.rss_mb = self.pss_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @staticmethod
    def _pids(pid: int) -> list[int]:
        out, stack = [], [pid]
        while stack:
            p = stack.pop()
            out.append(p)
            for task in Path(f"/proc/{p}/task").glob("*/children"):
                with contextlib.suppress(OSError):  # the worker has just ended
                    stack.extend(int(c) for c in task.read_text().split())
        return out

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = pss = 0
            for pid in self._pids(os.getpid()):
                try:
                    text = Path(f"/proc/{pid}/smaps_rollup").read_text()
                except OSError:
                    continue
                for line in text.splitlines():
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
            self.rss_mb = max(self.rss_mb, rss / 1024)
            self.pss_mb = max(self.pss_mb, pss / 1024)
            self._stop.wait(self.every)


def prepare(n: int, args: argparse.Namespace, folder: Path) -> None:
    """Generate the corpus and its truth into ``folder`` (in a process of its own)."""
    if args.wire:
        sources = _wire_sources(n)
        g = generate.wire_copy(sources, n - sources, seed=args.seed, progress=False)
    else:
        g = generate.generate(n, seed=args.seed, sentences=args.sentences, progress=False)
    # every document the generator put a version of a sentence in (verbatim, edited
    # however often, paraphrased or quoted): a reported document there is right
    carriers: dict[int, set[str]] = {}
    lineage_of: dict[str, int] = {}
    for doc, doc_slots in zip(g.documents, g.slots, strict=True):
        for s in doc_slots:
            carriers.setdefault(s.lineage, set()).add(doc["id"])
            if s.op == "fresh":
                lineage_of[s.text] = s.lineage
    queries = [
        {
            "text": text,
            "group": "reused",
            "holders": sorted(ids),
            "carriers": sorted(carriers[lineage_of[text]]),
        }
        for text, ids in generate.trace_queries(g, args.queries)
    ]
    viral = plant_viral(g, args, set(lineage_of))
    generate.write(g, folder)
    direct = [(g.documents[c]["id"], g.documents[s]["id"]) for c, s, _ in g.derivations]
    if args.wire:  # a reprint's one source is its story: any other edge is wrong
        pairs = strict = light = sorted({tuple(sorted(e)) for e in direct})
    else:
        pairs = sorted(generate.reuse_pairs(g))
        strict = sorted(generate.reuse_pairs(g, strict=True))
        light = sorted(generate.reuse_pairs(g, light=True))
    truth = {
        "pairs": pairs,
        "strict": strict,
        "light": light,
        "direct": direct,
        "queries": queries + viral,
        "summary": generate.summary(g),
    }
    (folder / "measure.json").write_text(json.dumps(truth), encoding="utf-8")


def plant_viral(g: generate.Generated, args: argparse.Namespace, taken: set[str]) -> list[dict]:
    """Plant ``args.viral`` fresh statements for every count of ``args.viral_copies``, each
    in that many random documents (in place, a paragraph of its own at a random paragraph
    boundary; 30 % lightly edited); the queries, with the documents holding them."""
    counts = [int(c) for c in args.viral_copies.split(",") if c] if args.viral else []
    if not counts:
        return []
    rng = random.Random(args.seed + 15)
    model = generate.Bigrams(generate._news_sentences())
    n = len(g.documents)
    queries = []
    for copies in counts:
        copies = min(copies, n // 2)
        for _ in range(args.viral):
            statement = model.sentence(rng, 15, 40)
            while statement in taken or len(statement.split()) < 12:
                statement = model.sentence(rng, 15, 40)
            taken.add(statement)
            speaker = f"{rng.choice(generate._FIRST)} {rng.choice(generate._LAST)}"
            chosen = rng.sample(range(n), copies)
            for k in chosen:
                text = statement
                if rng.random() < 0.3:
                    text = generate._edit(statement, rng, model.vocab) or statement
                body = text.rstrip(".!?")
                quoted = (
                    f"{speaker} said: “{body}.”"
                    if rng.random() < 0.5
                    else f"“{body},” {speaker} said."
                )
                paragraphs = g.documents[k]["text"].split("\n\n")
                paragraphs.insert(rng.randint(0, len(paragraphs)), quoted)
                g.documents[k]["text"] = "\n\n".join(paragraphs)
            ids = sorted(str(g.documents[k]["id"]) for k in chosen)
            queries.append(
                {"text": statement, "group": f"viral{copies}", "holders": ids, "carriers": ids}
            )
    rng.shuffle(queries)
    return queries


def one(n: int, args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    """Measure one corpus size (in this process, from the files ``prepare`` wrote)."""
    import quoteprov as qp
    from quoteprov.search._index import CorpusIndex

    truth = json.loads((folder / "measure.json").read_text(encoding="utf-8"))
    truth_pairs = {tuple(p) for p in truth["pairs"]}
    strict_pairs = {tuple(p) for p in truth["strict"]}
    light_pairs = {tuple(p) for p in truth["light"]}
    out: dict[str, Any] = {"documents": n, "corpus": truth.pop("summary")}
    base_mb = _peak_mb()
    start = time.perf_counter()
    corpus = qp.Corpus.from_jsonl(folder / "corpus.jsonl")
    out["load_s"] = time.perf_counter() - start
    # index build = analysis + writing the corpus file (documents, analysis, index)
    path = folder / "corpus.qp"
    start = time.perf_counter()
    corpus.save(path)
    out["index_s"] = time.perf_counter() - start
    out["file_mb"] = path.stat().st_size / 2**20
    del corpus
    start = time.perf_counter()
    opened = qp.Corpus.open(path, progress=False)
    index = CorpusIndex.for_corpus(opened, progress=False)
    out["open_s"] = time.perf_counter() - start
    out["sentences"] = int(index.matrix.shape[0])
    out["index_peak_mb"] = _peak_mb() - base_mb

    queries = trace_latency.load_queries(folder)
    out["load_before_traces"] = round(os.getloadavg()[0], 2)
    groups = trace_latency.measure(queries, opened)
    out["load_after_traces"] = round(os.getloadavg()[0], 2)
    out["groups"] = groups
    # the columns issue 3 reported: the reused sentences, verbatim and near-verbatim found
    reused = groups.get("reused", groups["all"])
    out["trace_p50_ms"] = reused["p50_ms"]
    out["trace_p95_ms"] = reused["p95_ms"]
    out["trace_recall"] = reused["recall_vn"]

    out["peak_mb"] = _peak_mb() - base_mb
    if args.scan:
        texts = {}
        with (folder / "corpus.jsonl").open(encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                texts[record["id"]] = record["text"]
        out["scan"] = trace_latency.baseline_scan(trace_latency.sample(queries, args.scan), texts)
        del texts
    if n > args.graph_max:
        return _baseline(out, index, args)
    steps: list[tuple[str, float]] = []
    start = time.perf_counter()
    with TreeMemory() as memory:
        graph = qp.build_graph(
            opened,
            workers=args.workers,
            progress=lambda step, _done, _total: steps.append((step, time.perf_counter())),
        )
    out["graph_s"] = time.perf_counter() - start
    out["graph_tree_rss_mb"] = memory.rss_mb
    out["graph_tree_pss_mb"] = memory.pss_mb
    out["worker_peak_mb"] = _worker_peak_mb()
    out["graph_steps_s"] = {a: round(tb - ta, 2) for (a, ta), (_, tb) in itertools.pairwise(steps)}
    out["peak_mb"] = _peak_mb() - base_mb
    if args.dask:
        out.update(_on_dask(opened, graph, folder))
    edges = {(u[4:], v[4:]) for u, v, d in graph.edges(data=True) if d["type"] == "derived_from"}
    pairs = {tuple(sorted(e)) for e in edges}
    out["pairs_true"] = len(truth_pairs)
    out["pairs_found"] = len(pairs)
    out["pairs_strict"] = len(strict_pairs)
    out["pair_recall"] = len(pairs & strict_pairs) / max(1, len(strict_pairs))
    out["pair_recall_light"] = len(pairs & light_pairs) / max(1, len(light_pairs))
    out["pair_recall_all"] = len(pairs & truth_pairs) / max(1, len(truth_pairs))
    out["pair_precision"] = len(pairs & truth_pairs) / max(1, len(pairs))
    direct = [tuple(e) for e in truth["direct"]]
    direct_found = [e for e in direct if tuple(sorted(e)) in pairs]
    out["direction_correct"] = sum(e in edges for e in direct_found) / max(1, len(direct_found))
    # since the star (issue 16) an edge runs to a copy's direct source: scored against the
    # generator's derivations, an edge to a source further up the chain counted apart
    right = edges & set(direct)
    up: dict[str, list[str]] = {}
    for c, source in direct:
        up.setdefault(c, []).append(source)
    ancestor = {e for e in edges - right if e[1] in _ancestors(up, e[0])}
    out["direct_recall"] = len(right) / max(1, len(direct))
    out["direct_precision"] = len(right) / max(1, len(edges))
    out["ancestor_edges"] = len(ancestor)
    out["precision_with_ancestors"] = (len(right) + len(ancestor)) / max(1, len(edges))
    return _baseline(out, index, args)


def _ancestors(up: dict[str, list[str]], copy: str) -> set[str]:
    """The documents up ``copy``'s chain of true sources (``up``: each copy's)."""
    out: set[str] = set()
    stack = list(up.get(copy, ()))
    while stack:
        source = stack.pop()
        if source not in out:
            out.add(source)
            stack.extend(up.get(source, ()))
    return out


def _on_dask(corpus: Any, graph: Any, folder: Path) -> dict[str, Any]:
    """The graph again on a Dask ``LocalCluster`` of two single-threaded worker processes:
    its time, and whether its GraphML is byte for byte the local graph's."""
    import distributed

    import quoteprov as qp

    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        start = time.perf_counter()
        on_dask = qp.build_graph(corpus, client=client, progress=False)
        seconds = time.perf_counter() - start
    qp.write_graphml(graph, folder / "local.graphml")
    qp.write_graphml(on_dask, folder / "dask.graphml")
    same = (folder / "local.graphml").read_bytes() == (folder / "dask.graphml").read_bytes()
    return {"dask_graph_s": seconds, "dask_same_graph": same}


def _baseline(out: dict[str, Any], index: Any, args: argparse.Namespace) -> dict[str, Any]:
    """Brute-force ``process.cdist`` on the corpus' first sentences, extrapolated."""
    import numpy as np
    from rapidfuzz import fuzz, process

    sentences: list[str] = []
    for adoc in index.docs:
        sentences.extend(s.text for s in adoc.sentences)
        if len(sentences) >= args.baseline:
            break
    k = min(len(sentences), args.baseline)
    start = time.perf_counter()
    process.cdist(
        sentences[:k], sentences[:k], scorer=fuzz.ratio, score_cutoff=80, workers=-1, dtype=np.uint8
    )
    measured = time.perf_counter() - start
    out["baseline_measured_on"] = k
    out["baseline_s"] = measured * (out["sentences"] / k) ** 2
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", type=int, nargs="*")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sentences", type=float, default=30.0, help="mean per document")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--baseline", type=int, default=20_000, help="cdist sentences at most")
    parser.add_argument("--workers", type=int, default=2, help="build_graph processes")
    parser.add_argument("--tmp", default=None, help="folder for the corpus files")
    parser.add_argument("--viral", type=int, default=20, help="statements per copy count")
    parser.add_argument("--viral-copies", default="10,100,1000", help="copy counts, by commas")
    parser.add_argument("--scan", type=int, default=3, help="baseline scan queries per group")
    parser.add_argument("--keep", type=Path, help="prepare the corpus here and keep it")
    parser.add_argument(
        "--dask",
        action="store_true",
        help="build the graph again on a Dask LocalCluster (2 workers) and compare it",
    )
    parser.add_argument(
        "--wire",
        action="store_true",
        help="wire copy (generate.wire_copy): one agency story per 400 documents, reprinted",
    )
    parser.add_argument(
        "--graph-max", type=int, default=100_000, help="skip build_graph above this many documents"
    )
    parser.add_argument(
        "--million",
        type=int,
        metavar="DOCUMENTS",
        help="stream this many documents to one file, index it on disk, trace from it "
        "(million.py; the corpus is kept in --tmp, and a run killed goes on from it)",
    )
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not (generate.DATA / "polnear").exists():
        print(f"skipped: {generate.DATA} is absent")
        return 0
    if args.million:
        folder = Path(args.tmp or tempfile.gettempdir(), f"quoteprov-million-{args.million}")
        print(
            f"machine: {platform.platform()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
        )
        out = million.run(args.million, folder, args.seed, args.sentences)
        out.pop("groups")
        out.pop("warm_groups", None)
        print(json.dumps(out, indent=1))
        return 0
    if not args.sizes:
        parser.error("give the corpus sizes, or --million")
    if args.prepare:
        prepare(args.sizes[0], args, args.folder)
        return 0
    if args.one:
        print(json.dumps(one(args.sizes[0], args, args.folder)))
        return 0
    load = os.getloadavg()
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, load average {load[0]:.1f} at start"
    )
    print("command: python benchmarks/scale.py " + " ".join(sys.argv[1:] if argv is None else argv))
    rows = []
    options = "seed sentences queries baseline workers graph_max viral viral_copies scan wire dask"
    options = options.split()
    for n in args.sizes:
        with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
            folder = tmp
            if args.keep is not None:
                folder = str(args.keep if len(args.sizes) == 1 else args.keep / str(n))
                Path(folder).mkdir(parents=True, exist_ok=True)
            for step in ("--prepare", "--one"):
                started = time.perf_counter()
                cmd = [sys.executable, __file__, str(n), step, "--folder", folder]
                for option in options:
                    value = getattr(args, option)
                    if isinstance(value, bool):
                        cmd += [f"--{option}"] if value else []
                    else:
                        cmd += [f"--{option.replace('_', '-')}", str(value)]
                done = subprocess.run(cmd, capture_output=True, text=True, check=False)
                if done.returncode != 0:
                    print(done.stdout, done.stderr)
                    return 1
                print(f"{n} {step[2:]}: {time.perf_counter() - started:.0f} s", flush=True)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), flush=True)
        print(trace_latency.table(rows[-1]["groups"], rows[-1].get("scan")), flush=True)
    print()
    print(
        f"{'docs':>7} {'sents':>9} {'index s':>8} {'idx MB':>7} {'open s':>6} {'p50 ms':>6} "
        f"{'p95 ms':>6} {'tr R':>5} {'graph s':>8} {'peak MB':>7} {'wkr MB':>6} {'PSS MB':>6} "
        f"{'pair R':>6} "
        f"{'R lite':>6} {'R all':>5} "
        f"{'pair P':>6} {'dir R':>6} {'dir P':>6} {'P+anc':>6} {'cdist s':>9} {'ratio':>6}"
    )

    def cell(r: dict[str, Any], key: str, fmt: str) -> str:
        return format(r[key], fmt) if key in r else format("—", ">" + fmt.split(".")[0])

    for r in rows:
        ratio = r["baseline_s"] / r["graph_s"] if "graph_s" in r else None
        print(
            f"{r['documents']:>7} {r['sentences']:>9} {r['index_s']:8.1f} "
            f"{r['index_peak_mb']:7.0f} {r['open_s']:6.1f} {r['trace_p50_ms']:6.1f} "
            f"{r['trace_p95_ms']:6.1f} {r['trace_recall']:5.3f} {cell(r, 'graph_s', '8.1f')} "
            f"{r['peak_mb']:7.0f} {cell(r, 'worker_peak_mb', '6.0f')} "
            f"{cell(r, 'graph_tree_pss_mb', '6.0f')} "
            f"{cell(r, 'pair_recall', '6.3f')} {cell(r, 'pair_recall_light', '6.3f')} "
            f"{cell(r, 'pair_recall_all', '5.3f')} {cell(r, 'pair_precision', '6.3f')} "
            f"{cell(r, 'direct_recall', '6.3f')} {cell(r, 'direct_precision', '6.3f')} "
            f"{cell(r, 'precision_with_ancestors', '6.3f')} "
            f"{r['baseline_s']:9.0f} {'—' if ratio is None else format(ratio, '.1f'):>6}"
        )
    for r in rows:
        if "dask_same_graph" in r:
            print(
                f"{r['documents']} documents on Dask (LocalCluster, 2 workers): "
                f"{r['dask_graph_s']:.1f} s, same graph as local: {r['dask_same_graph']}"
            )
    for a, b in itertools.combinations(rows, 2):
        scale = math.log(b["documents"] / a["documents"])
        growth = f"growth {a['documents']} -> {b['documents']}: index exponent "
        growth += f"{math.log(b['index_s'] / a['index_s']) / scale:.2f}"
        if "graph_s" in a and "graph_s" in b:
            growth += f", build_graph exponent {math.log(b['graph_s'] / a['graph_s']) / scale:.2f}"
        print(growth)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
