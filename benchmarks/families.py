"""Quotation families of the graph against the generator's truth.

Run from the repository root::

    python benchmarks/families.py 300 --seed 7

Generates a corpus with known reuse (``benchmarks/generate.py``: every sentence of every
document carries the lineage it was copied, edited or quoted from), builds the graph and
scores its quotation families against those lineages:

- **family pair precision**: of the pairs of occurrences one family puts together, the
  share that hold the same lineage (a family that absorbs another statement loses it);
- **quoted lineage pair recall**: of the pairs of documents quoting one lineage, the share
  that the graph puts in one family;
- the occurrences below the scorer's floor (``scorer.paraphrase_floor``), ``partial`` ones
  under 3 words and those scored 0, which a family should not hold; and the speaker nodes
  whose name is a description ("the official"), which would merge strangers.
"""

from __future__ import annotations

import argparse
import itertools
import json
import platform
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate

import quoteprov as qp
from quoteprov.search._scorer import paraphrase_floor

try:  # absent before 8168b1f: the figure is left out when measuring older code
    from quoteprov.text._speakers import names_someone
except ImportError:  # pragma: no cover
    names_someone = None  # type: ignore[assignment]

Placed = list[tuple[int, int, int, bool]]  # start, end, lineage, quoted


def placed(g: generate.Generated) -> dict[str, Placed]:
    """Where every generated sentence sits in its document's text."""
    out: dict[str, Placed] = {}
    for doc, slots in zip(g.documents, g.slots, strict=True):
        text, cursor, spans = doc["text"], 0, []
        for s in slots:
            body = s.text.rstrip(".!?") if s.quoted else s.text
            at = text.find(body, cursor)
            if at < 0:
                raise SystemExit(f"{doc['id']}: sentence not found in the text: {body[:60]!r}")
            spans.append((at, at + len(body), s.lineage, s.quoted))
            cursor = at + len(body)
        out[doc["id"]] = spans
    return out


def lineage(spans: Placed, start: int, end: int) -> int | None:
    """The lineage of the sentence a span overlaps most."""
    best, found = 0, None
    for s, e, lin, _ in spans:
        if min(end, e) - max(start, s) > best:
            best, found = min(end, e) - max(start, s), lin
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("documents", type=int)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args(argv)
    if not generate.DATA.exists():
        print(f"skipped: {generate.DATA} is absent")
        return 0
    g = generate.generate(args.documents, seed=args.seed, progress=False)
    spans = placed(g)
    with tempfile.TemporaryDirectory() as folder:
        generate.write(g, Path(folder))
        corpus = qp.Corpus.from_jsonl(Path(folder) / "corpus.jsonl")
        started = time.perf_counter()
        graph = qp.build_graph(corpus, workers=args.workers)
        seconds = time.perf_counter() - started

    floor = paraphrase_floor()
    members: dict[str, list[int | None]] = defaultdict(list)
    families_of: dict[tuple[int | None, str], set[str]] = defaultdict(set)
    below = short = zero = occurs = 0
    for family, doc_node, d in graph.edges(data=True):
        if d["type"] != "occurs_in":
            continue
        occurs += 1
        doc = doc_node.removeprefix("doc:")
        lin = lineage(spans[doc], d["start"], d["end"])
        members[family].append(lin)
        families_of[(lin, doc)].add(family)
        below += not d["is_origin"] and d["score"] < floor
        short += d["kind"] == "partial" and len(d["text"].split()) < 3
        zero += d["score"] == 0.0
    pairs = same = 0
    for lins in members.values():
        for a, b in itertools.combinations(lins, 2):
            pairs += 1
            same += a is not None and a == b
    quoting: dict[int, set[str]] = defaultdict(set)
    for doc, placed_spans in spans.items():
        for _, _, lin, quoted in placed_spans:
            if quoted:
                quoting[lin].add(doc)
    together = total = 0
    for lin, docs in quoting.items():
        for a, b in itertools.combinations(sorted(docs), 2):
            total += 1
            together += bool(families_of[(lin, a)] & families_of[(lin, b)])
    types = Counter(d["type"] for _, d in graph.nodes(data=True))
    descriptions = (
        sum(
            d["type"] == "speaker" and not names_someone(d["name"])
            for _, d in graph.nodes(data=True)
        )
        if names_someone is not None
        else None
    )
    print(f"# families.py {' '.join(sys.argv[1:])}")
    print(f"# machine: {platform.platform()}, Python {platform.python_version()}")
    print(
        json.dumps(
            {
                "documents": args.documents,
                "seed": args.seed,
                "graph_seconds": round(seconds, 1),
                "quote_nodes": types["quote"],
                "speaker_nodes": types["speaker"],
                "occurs_in": occurs,
                "family_pair_precision": round(same / max(1, pairs), 4),
                "family_pairs": pairs,
                "quoted_lineage_pair_recall": round(together / max(1, total), 4),
                "quoted_lineage_pairs": total,
                "occurs_in_below_floor": below,
                "partial_under_3_words": short,
                "scored_zero": zero,
                "description_speaker_nodes": descriptions,
            },
            indent=1,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
