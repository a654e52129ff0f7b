"""Why ``build_graph`` misses the document pairs it misses, on one generated corpus.

Run from the repository root::

    python benchmarks/pair_misses.py 2000

Generates the corpus ``scale.py`` measures at that size (``generate.py``, seed 0), builds
its graph and sorts the truth's strict pairs (two narrative lineages at most one edit or
paraphrase apart) that have no ``derived_from`` edge: those that need one of MSRP's human
paraphrases, and, among the light-edit pairs, those the reuse keys never proposed, those
with a shared sentence the quotation extractor reads as quoted, those with a shared
sentence under seven words, and the rest.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/generate.py)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("size", type=int, nargs="?", default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--examples", type=int, default=0, help="print this many missed pairs")
    args = parser.parse_args()
    if not (generate.DATA / "polnear").exists():
        print(f"skipped: {generate.DATA} is absent")
        return 0
    import quoteprov as qp
    from quoteprov.provenance._reuse import document_reuse
    from quoteprov.search._index import CorpusIndex

    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs")
    print("command: python benchmarks/pair_misses.py " + " ".join(sys.argv[1:]))
    g = generate.generate(args.size, seed=args.seed, progress=False)
    print(generate.summary(g))
    strict = {tuple(sorted(p)) for p in generate.reuse_pairs(g, strict=True)}
    light = {tuple(sorted(p)) for p in generate.reuse_pairs(g, light=True)}
    corpus = qp.Corpus.from_records(g.documents)
    graph = qp.build_graph(corpus, workers=2, progress=False)
    edges = {
        tuple(sorted((u[4:], v[4:])))
        for u, v, data in graph.edges(data=True)
        if data["type"] == "derived_from"
    }
    index = CorpusIndex.for_corpus(corpus)
    proposed = {(int(a), int(b)) for a, b in index.candidate_document_pairs().tolist()}
    reuse = document_reuse(index, min_shared=2)
    position = {doc["id"]: k for k, doc in enumerate(g.documents)}

    why: Counter[str] = Counter()
    for a, b in sorted(strict - edges):
        i, j = sorted((position[a], position[b]))
        if (a, b) not in light:
            why["needs a human paraphrase"] += 1
            continue
        mine = {s.lineage: s for s in g.slots[i] if not s.quoted}
        theirs = {s.lineage: s for s in g.slots[j] if not s.quoted}
        shared = [
            (mine[k], theirs[k])
            for k in mine
            if k in theirs and generate.steps(mine[k], theirs[k]) <= 1
        ]
        found = reuse.get((i, j))
        narrative = 0 if found is None else len(found.narrative)
        links = narrative + (0 if found is None else len(found.quoted))
        if (i, j) not in proposed:
            why["light: never proposed by the reuse keys"] += 1
        elif narrative >= 2:
            why["light: reuse found, no derived_from edge"] += 1
        elif links >= 2:
            why["light: a shared sentence read as quoted"] += 1
        elif any(len(s.text.split()) < 7 for pair in shared for s in pair):
            why["light: a shared sentence under seven words"] += 1
        else:
            why["light: other"] += 1
        if args.examples > 0:
            args.examples -= 1
            print(f"\n{a} {b}: narrative links {narrative}, quoted {links - narrative}")
            for x, y in shared:
                print(f"  {x.op:>10} {x.text[:100]!r}\n  {y.op:>10} {y.text[:100]!r}")
    missed = len(strict - edges)
    print(f"\nstrict pairs {len(strict)}, missed {missed} (recall {1 - missed / len(strict):.4f})")
    print(f"light pairs {len(light)}, missed {len(light - edges)}")
    for reason, count in why.most_common():
        print(f"  {count:5d}  {reason}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
