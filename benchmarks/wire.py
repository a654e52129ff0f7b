"""``derived_from`` edges against the generators' true derivations: wire copy and lineages.

Run from the repository root::

    python benchmarks/wire.py                        # 5 stories x 500 reprints, lineage 300
    python benchmarks/wire.py --reprints 2000        # the issue's 2,000 reprints
    python benchmarks/wire.py --graph                # also check build_graph's edges

Two generated corpora (``benchmarks/generate.py``):

- **wire copy** (:func:`generate.wire_copy`): a few agency stories and many reprints of
  each, every reprint a random subset of its story's sentences, lightly edited, some
  documents undated, corpus order shuffled.  A reprint's true source is its story; an
  edge between two reprints is wrong.
- **lineage** (:func:`generate.generate`): copies of one or two earlier documents, copies
  of copies (wire -> outlet -> aggregator).  Its truth is the direct derivations; an edge
  to an ancestor further up the chain (the copy of a copy to the first document) is
  counted apart as ``ancestor``, right in direction but not the direct source.

For each, the edges as they were before the star (every determined or undetermined pair
of documents reusing ``min_shared`` sentences: ``_derivations``) and after
(``_explained``) are computed from the same comparison of the same index, and scored:
precision (edges that are a true derivation), recall (true derivations found, in the right
direction), edges pointing from a source to its copy (``reversed``), edges between two
documents neither of which derives from the other (``between copies``).  ``--graph`` also
builds the graph and checks that its ``derived_from`` edges are the "after" ones.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate

import quoteprov as qp
from quoteprov.provenance import _reuse
from quoteprov.search._index import CorpusIndex


def ancestors(truth: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Every (copy, document up its chain of sources) pair of the true derivations."""
    up: dict[int, set[int]] = defaultdict(set)
    for copy, source in truth:
        up[copy].add(source)
    out: set[tuple[int, int]] = set()
    for copy in list(up):
        stack, seen = list(up[copy]), set()
        while stack:
            s = stack.pop()
            if s not in seen:
                seen.add(s)
                stack.extend(up.get(s, ()))
        out.update((copy, s) for s in seen)
    return out


def scores(edges: set[tuple[int, int]], truth: set[tuple[int, int]]) -> dict[str, float | int]:
    """Precision, recall and the kinds of wrong edges of ``edges`` (copy, source)."""
    up = ancestors(truth)
    right = edges & truth
    return {
        "edges": len(edges),
        "precision": round(len(right) / max(1, len(edges)), 4),
        "recall": round(len(right) / max(1, len(truth)), 4),
        "ancestor": len((edges & up) - truth),
        "reversed": len({(c, s) for c, s in edges if (s, c) in up}),
        "between_copies": len({(c, s) for c, s in edges if (c, s) not in up and (s, c) not in up}),
    }


def measure(g: generate.Generated, min_shared: int, workers: int | None, graph: bool) -> dict:
    """Before and after figures for one generated corpus."""
    truth = {(c, s) for c, s, _ in g.derivations}
    with tempfile.TemporaryDirectory() as folder:
        generate.write(g, Path(folder))
        corpus = qp.Corpus.from_jsonl(Path(folder) / "corpus.jsonl")
    index = CorpusIndex.for_corpus(corpus)
    position = {adoc.doc.id: n for n, adoc in enumerate(index.docs)}
    ids = [doc["id"] for doc in g.documents]
    # the generator's document numbers and the index's are the same order (corpus order)
    assert all(position[i] == n for n, i in enumerate(ids))
    started = time.perf_counter()
    reuse = _reuse.document_reuse(index, min_shared=min_shared, workers=workers)
    compared = time.perf_counter() - started
    found = _reuse._derivations(index, reuse, min_shared)
    started = time.perf_counter()
    kept = _reuse._explained(index, reuse, found, settings=qp.Settings())
    star = time.perf_counter() - started
    out = {
        "documents": len(ids),
        "true_derivations": len(truth),
        "compare_seconds": round(compared, 1),
        "star_seconds": round(star, 2),
        "before": scores({(d.copy, d.source) for d in found}, truth),
        "after": scores({(d.copy, d.source) for d in kept}, truth),
    }
    if graph:
        started = time.perf_counter()
        built = qp.build_graph(corpus, min_shared=min_shared, workers=workers)
        edges = {
            (position[u.removeprefix("doc:")], position[v.removeprefix("doc:")])
            for u, v, d in built.edges(data=True)
            if d["type"] == "derived_from"
        }
        out["graph_seconds"] = round(time.perf_counter() - started, 1)
        out["graph_edges_are_after"] = edges == {(d.copy, d.source) for d in kept}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sources", type=int, default=5)
    ap.add_argument("--reprints", type=int, default=500)
    ap.add_argument("--lineage", type=int, default=300, help="documents (0: skip)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--min-shared", type=int, default=2)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--graph", action="store_true", help="also build the graph and compare")
    args = ap.parse_args(argv)
    if not generate.DATA.exists():
        print(f"skipped: {generate.DATA} is absent")
        return 0
    print(f"# wire.py {' '.join(sys.argv[1:])}")
    print(f"# machine: {platform.platform()}, Python {platform.python_version()}")
    wire = generate.wire_copy(args.sources, args.reprints, seed=args.seed, progress=False)
    result = {"wire": measure(wire, args.min_shared, args.workers, args.graph)}
    if args.lineage:
        lineage = generate.generate(args.lineage, seed=args.seed, progress=False)
        result["lineage"] = measure(lineage, args.min_shared, args.workers, args.graph)
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
