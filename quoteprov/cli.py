"""The ``quoteprov`` command: each subcommand calls one library function.

Errors quoteprov raises on purpose become one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .api import build_graph, trace_quote
from .corpus import read_text
from .errors import QuoteprovError
from .export import graph_to_dict, write_graphml, write_json
from .models import Change, Match
from .provenance import Trace
from .quotes import extract_quotes

__all__ = ["main"]

_KINDS = ("verbatim", "near_verbatim", "partial", "paraphrase")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quoteprov",
        description="Trace quotations to their source and export their provenance graph.",
    )
    parser.add_argument("--version", action="version", version=f"quoteprov {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("trace", help="find every occurrence of a sentence in a corpus")
    p.add_argument("sentence", help="the sentence or passage to trace")
    p.add_argument("--corpus", required=True, help="a directory of .txt files or a .jsonl file")
    p.add_argument("--kind", action="append", choices=_KINDS, help="keep only this kind")
    p.add_argument("--limit", type=int, help="show at most this many occurrences")
    p.add_argument("--json", action="store_true", help="print the trace as JSON")

    p = sub.add_parser("graph", help="build a corpus' provenance graph")
    p.add_argument("corpus", help="a directory of .txt files or a .jsonl file")
    p.add_argument(
        "-o",
        "--output",
        default="provenance.graphml",
        help="where to write the graph: .graphml (default provenance.graphml) or .json",
    )
    p.add_argument(
        "--min-shared",
        type=int,
        default=2,
        help="reused sentences needed for a derived_from edge (default 2)",
    )
    p.add_argument("--json", action="store_true", help="print the summary as JSON")

    p = sub.add_parser("quotes", help="list the quotations of one text file, with speakers")
    p.add_argument("file", help="a UTF-8 text file")
    p.add_argument("--json", action="store_true", help="print the quotations as JSON")
    return parser


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _change(c: Change) -> str:
    flag = " (number!)" if c.number else (" (negation!)" if c.negation else "")
    if c.op == "substitute":
        return f"{c.query} → {c.found}{flag}"
    if c.op == "insert":
        return f"+{c.found}{flag}"
    return f"−{c.query}{flag}"


def _print_trace(trace: Trace) -> None:
    print(f"“{_short(trace.query, 100)}”")
    if not trace.matches:
        print("No occurrence found.")
        return
    docs = len({m.doc_id for m in trace.matches})
    print(f"{len(trace.matches)} occurrence(s) in {docs} document(s)")
    if trace.origin is not None:
        print(f"origin: {trace.origin.doc_id} — {trace.origin_reason}")
    ordered: list[Match] = sorted(trace.matches, key=lambda m: m is not trace.origin)
    rows = [
        (
            "origin" if m is trace.origin else "",
            m.doc_id,
            m.kind,
            f"{m.score:.1f}",
            m.speaker if m.speaker is not None else "—",
            _short(m.text, 90),
        )
        for m in ordered
    ]
    header = ("", "document", "kind", "score", "speaker", "matched text")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
    print()
    for n, row in enumerate([header, *rows]):
        print(
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[5]
        )
        if n > 0 and ordered[n - 1].changes:
            changes = "; ".join(_change(c) for c in ordered[n - 1].changes[:8])
            more = len(ordered[n - 1].changes) - 8
            print(
                " " * (sum(widths) + 10)
                + "changes: "
                + changes
                + (f"; … {more} more" if more > 0 else "")
            )


def _trace(args: argparse.Namespace) -> None:
    trace = trace_quote(args.sentence, args.corpus, kinds=args.kind, limit=args.limit)
    if args.json:
        print(trace.to_json())
    else:
        _print_trace(trace)


def _graph(args: argparse.Namespace) -> None:
    graph = build_graph(args.corpus, min_shared=args.min_shared)
    output = Path(args.output)
    if output.suffix == ".json":
        write_json(graph_to_dict(graph), output)
    else:
        write_graphml(graph, output)
    types: dict[str, int] = {}
    for _, data in graph.nodes(data=True):
        types[data["type"]] = types.get(data["type"], 0) + 1
    derived = [(u, v) for u, v, d in graph.edges(data=True) if d["type"] == "derived_from"]
    shared = sum(
        1 for n, d in graph.nodes(data=True) if d["type"] == "quote" and d["documents"] > 1
    )
    summary: dict[str, Any] = {
        "output": str(output),
        "documents": types.get("document", 0),
        "quotation_families": types.get("quote", 0),
        "families_in_several_documents": shared,
        "speakers": types.get("speaker", 0),
        "derived_from": [[u.removeprefix("doc:"), v.removeprefix("doc:")] for u, v in derived],
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    print(
        f"Wrote {output}: {summary['documents']} documents, "
        f"{summary['quotation_families']} quotation families "
        f"({shared} found in several documents), {summary['speakers']} speakers, "
        f"{len(derived)} derived_from edge(s)."
    )
    for copy, source in summary["derived_from"]:
        print(f"  {copy} derived from {source}")


def _quotes(args: argparse.Namespace) -> None:
    text = read_text(args.file)
    quotes = extract_quotes(text)
    if args.json:
        print(json.dumps([q.model_dump(mode="json") for q in quotes], ensure_ascii=False, indent=2))
        return
    for q in quotes:
        who = q.speaker if q.speaker is not None else "—"
        cue = f" ({q.cue})" if q.cue is not None else ""
        print(f"{q.start:>7}-{q.end:<7} {who}{cue}: “{_short(q.content, 100)}”")
    print(f"{len(quotes)} quotation(s)")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    command = {"trace": _trace, "graph": _graph, "quotes": _quotes}[args.command]
    try:
        command(args)
    except QuoteprovError as exc:
        print(f"quoteprov: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("quoteprov: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `quoteprov ... | head`
        sys.stderr.close()
        return 0
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
