"""The ``quoteprov`` command: each subcommand calls one library function.

Errors quoteprov raises on purpose become one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import logging
import os
import re
import shutil
import sys
import textwrap
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, NoReturn

from . import __version__
from ._api import build_graph, trace_quote
from ._errors import SKIP_HINT, ExportError, QuoteprovError
from ._models import KINDS
from ._settings import MATCH
from .corpus._corpus import Corpus, read_text, reads
from .corpus._sources import as_corpus
from .io._export import check_graph_path, graph_summary, write_graph
from .provenance._graph import Progress
from .provenance._trace import Trace
from .text._quotes import extract_quotes
from .view._display import KIND_COLORS, marked_parts, printable, related_note, shorten, trace_text

__all__ = ["main"]


_SKIP_HELP = (
    "load past files or lines that cannot be read (each named on stderr with the reason) "
    "instead of stopping at the first"
)


_CORPUS_HELP = (
    "a directory of .txt files, a .jsonl file, a directory of .html pages, a .warc/"
    ".warc.gz crawl (or a directory of them; pages and crawls need quoteprov[web]), or a "
    "corpus file saved by quoteprov"
)
_LAZY_HELP = (
    "read a corpus file's documents when needed and its index from disk (written beside "
    "it, as FILE.index, the first time): for a corpus larger than memory"
)


def _say(kind: str, message: object) -> None:
    """One line on stderr, ``quoteprov: KIND: message``, whatever the message holds."""
    print(f"quoteprov: {kind}: {printable(' '.join(str(message).split()))}", file=sys.stderr)


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    """Print a warning as one line on stderr, without the source line Python adds."""
    _say("warning", message)


class _NoteHandler(logging.Handler):
    """The library's notices (:func:`quoteprov._errors.notice`) on stderr, the line as it
    is, as Python shows it when logging is not set up."""

    def emit(self, record: logging.LogRecord) -> None:
        print(printable(record.getMessage()), file=sys.stderr)


@contextlib.contextmanager
def _notices() -> Iterator[None]:
    """Print the library's notices while a command runs, and only here (not twice through
    handlers someone else gave the root logger)."""
    log = logging.getLogger("quoteprov")
    handler, propagate = _NoteHandler(logging.INFO), log.propagate
    log.addHandler(handler)
    log.propagate = False
    try:
        yield
    finally:
        log.removeHandler(handler)
        log.propagate = propagate


def _error_text(exc: QuoteprovError) -> str:
    """An error's message, the way past a bad input said as the command line's option."""
    text = str(exc)
    if exc.skippable:
        text = text.replace(SKIP_HINT, "--skip-bad loads past it")
    return text


def _load(args: argparse.Namespace) -> Corpus:
    """The corpus named on the command line; its warnings (an empty document, a manifest
    entry with no file) are printed as they come, and with --skip-bad what was skipped and
    why, one line each on stderr.  Without one (``trace`` with no ``--corpus``), the seed
    corpus that ships with quoteprov, and a note on stderr saying so."""
    if args.corpus is None:
        corpus = Corpus.seeds()
        _say(
            "note",
            f"no --corpus given: tracing through the {len(corpus)} seed documents that ship "
            "with quoteprov (quoteprov.Corpus.seeds())",
        )
        return corpus
    with warnings.catch_warnings():
        # the summary of what --skip-bad skipped: each input is named below instead
        warnings.filterwarnings("ignore", message=r"skipped \d+ of \d+ inputs")
        corpus = as_corpus(args.corpus, errors="skip" if args.skip_bad else "raise", lazy=args.lazy)
    if corpus.counts:  # a crawl: what was read, kept and passed over
        from .corpus._web import counts_text

        print(printable(f"quoteprov: {counts_text(corpus.counts)}"), file=sys.stderr)
    for where, reason in corpus.skipped:
        # a line's reason names the line already ("docs.jsonl:2: not valid JSON ...")
        said = reason if reason.startswith(where) else f"{where}: {reason}"
        print(printable(f"quoteprov: skipped {said}"), file=sys.stderr)
    return corpus


class _UsageError(Exception):
    """A command line argparse refuses; main() prints it as one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{message} (see {self.prog} --help)")


def _at_least_one(value: str) -> int:
    """An argparse type: an integer of 1 or more."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


def _share(value: str) -> float:
    """An argparse type: a number from 0 to 1."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError(f"must be from 0 to 1, not {value}")
    return number


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="quoteprov",
        description="Trace quotations to their source and export their provenance graph.",
        epilog=(
            "Matching is lexical unless the semantic extra is installed "
            "(pip install 'quoteprov[semantic]'); QUOTEPROV_SEMANTIC=0 turns it off."
        ),
    )
    parser.add_argument("--version", action="version", version=f"quoteprov {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("trace", help="find every occurrence of a sentence in a corpus")
    p.add_argument("sentence", help="the sentence or passage to trace")
    p.add_argument(
        "--corpus",
        help=_CORPUS_HELP + "; without it, the five seed documents that ship with quoteprov",
    )
    p.add_argument("--skip-bad", action="store_true", help=_SKIP_HELP)
    p.add_argument("--lazy", action="store_true", help=_LAZY_HELP)
    p.add_argument("--kind", action="append", choices=KINDS, help="keep only this kind")
    p.add_argument(
        "--limit", type=_at_least_one, help="show at most this many occurrences (1 or more)"
    )
    p.add_argument(
        "--min-coverage",
        type=_share,
        default=MATCH.occurrence_coverage,
        help="the share of the query's content a partial match must hold to be listed "
        f"(0 to 1, default {MATCH.occurrence_coverage}); weaker ones are counted as related",
    )
    p.add_argument(
        "--translations",
        action="store_true",
        help="also find the statement the sentence translates, in the corpus' other "
        "languages (needs pip install 'quoteprov[multilingual]')",
    )
    p.add_argument("--json", action="store_true", help="print the trace as JSON")
    p.add_argument(
        "--plain", action="store_true", help="a plain aligned table, even when rich is installed"
    )

    p = sub.add_parser("graph", help="build a corpus' provenance graph")
    p.add_argument("corpus", help=_CORPUS_HELP)
    p.add_argument("--skip-bad", action="store_true", help=_SKIP_HELP)
    p.add_argument("--lazy", action="store_true", help=_LAZY_HELP)
    p.add_argument(
        "-o",
        "--output",
        default="provenance.graphml",
        help=(
            "the file to write the graph to, by its suffix: .graphml (default "
            "provenance.graphml) or .json; a symlink is written through; '-' (standard "
            "output), a device or FIFO, the corpus file and a .json file in the corpus "
            "folder (read as its metadata) are refused"
        ),
    )
    p.add_argument(
        "--min-shared",
        type=_at_least_one,
        default=2,
        help="reused sentences needed for a derived_from edge (1 or more, default 2)",
    )
    p.add_argument("--json", action="store_true", help="print the summary as JSON")

    p = sub.add_parser("quotes", help="list the quotations of one text file, with speakers")
    p.add_argument("file", help="a UTF-8 text file")
    p.add_argument("--json", action="store_true", help="print the quotations as JSON")
    return parser


_ROLE_STYLES = MappingProxyType(
    {
        "same": "",
        "insert": "bold green",
        "delete": "red strike",
        "query": "yellow strike",
        "found": "bold yellow",
    }
)


_CONFIDENCE_STYLES = MappingProxyType({"certain": "bold", "likely": "", "possible": "dim italic"})

_RELATED = 'the "related" list of --json'


def _rich_trace(trace: Trace) -> None:
    """The trace as a rich table: origin first, changes marked in colour and in brackets."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    if not console.is_terminal:
        console.width = 140  # a file or a pipe: wide enough to keep the table readable
    console.print(Text(f"“{printable(shorten(trace.query, 300))}”", style="bold"))
    note = related_note(trace, _RELATED)
    if not trace.matches:
        console.print("No occurrence found.")
        if note:
            console.print(note, markup=False)
        return
    docs = len({m.doc_id for m in trace.matches})
    console.print(
        f"{len(trace.matches)} occurrence{'s' * (len(trace.matches) != 1)} in {docs} "
        f"document{'s' * (docs != 1)}",
        markup=False,
    )
    if note:
        console.print(note, markup=False, style="dim")
    if trace.origin is not None:
        line = Text("origin: ", style="bold yellow")
        line.append(printable(f"{trace.origin.doc_id} — {trace.origin_reason}"))
        console.print(line)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("", no_wrap=True)
    table.add_column("document", overflow="fold", max_width=26)
    table.add_column("kind", no_wrap=True)
    table.add_column("confidence", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("speaker", max_width=16)
    table.add_column("matched text, changes from the query marked", ratio=1, min_width=30)
    for m in sorted(trace.matches, key=lambda m: m is not trace.origin):
        doc = trace.documents.get(m.doc_id)
        where = Text(printable(m.doc_id))
        if doc is not None and (doc.source or doc.published):
            about = [doc.source or "", doc.published.isoformat()[:10] if doc.published else ""]
            where.append("\n" + printable(" · ".join(a for a in about if a)), style="dim")
        text = Text()
        for part, role, warning in marked_parts(m):
            style = _ROLE_STYLES[role] + (" reverse bold red" if warning else "")
            text.append(printable(part), style=style)
        table.add_row(
            Text("★ origin", style="bold yellow") if m is trace.origin else "",
            where,
            Text(m.kind, style="bold " + KIND_COLORS.get(m.kind, "")),
            Text(m.confidence, style=_CONFIDENCE_STYLES[m.confidence]),
            f"{m.score:.1f}",
            Text(printable(m.speaker) if m.speaker is not None else "—"),
            text,
        )
    console.print(table)
    if any(m.changes for m in trace.matches):
        legend = Text("changes: ")
        legend.append("[query→found]", style="bold yellow")
        legend.append(" substituted, ")
        legend.append("[+x]", style="bold green")
        legend.append(" inserted, ")
        legend.append("[−x]", style="red")
        legend.append(" deleted, ")
        if any(m.elided for m in trace.matches):
            legend.append("[…x]", style="bold green")
            legend.append(" left out at the query's …, ")
        legend.append("⚠", style="reverse bold red")
        legend.append(" a number or a negation changed")
        console.print(legend)


def _has_rich() -> bool:
    return importlib.util.find_spec("rich") is not None


def _trace(args: argparse.Namespace) -> None:
    trace = trace_quote(
        args.sentence,
        _load(args),
        kinds=args.kind,
        limit=args.limit,
        min_coverage=args.min_coverage,
        translations=args.translations,
    )
    if args.json:
        print(_json_text(trace.to_json()))
    elif _has_rich() and not args.plain:
        _rich_trace(trace)
    else:
        print(trace_text(trace, related_in=_RELATED))


@contextlib.contextmanager
def _progress_bar(enabled: bool) -> Iterator[Progress]:
    """A progress callback for :func:`build_graph`, drawn on stderr when it is a terminal."""
    if not enabled or not sys.stderr.isatty():
        yield lambda step, done, total: None
        return
    if not _has_rich():

        def plain(step: str, done: int, total: int) -> None:
            end = "\n" if done == total else ""
            print(f"\r\x1b[K[{done}/{total}] {step}…", end=end, file=sys.stderr, flush=True)

        yield plain
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("loading", total=4)

        def update(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total, refresh=True)

        yield update


def _output(args: argparse.Namespace) -> Path:
    """The graph's output file, refused before any work when it cannot be what is asked.

    Raises
    ------
    ExportError
        For ``-``, a suffix that is not a format the command writes, or a file the corpus
        is read from (:func:`quoteprov.corpus._corpus.reads`).
    """
    if args.output == "-":
        raise ExportError(
            "the graph cannot be written to standard output ('-'), which the summary uses; "
            "give a file name ending in .graphml or .json"
        )
    output = check_graph_path(args.output)
    if reads(args.corpus, output):
        target = os.path.realpath(output)
        shown = f"{output} (a link to {target})" if output.is_symlink() else str(output)
        folder = os.path.isdir(args.corpus)
        where = f"a file in the corpus folder {args.corpus}" if folder else "the corpus file"
        raise ExportError(
            f"refusing to write the graph to {shown}: it is {where}, which the graph is "
            "read from; write it outside the corpus"
        )
    return output


def _graph(args: argparse.Namespace) -> None:
    output = _output(args)
    corpus = _load(args)
    with _progress_bar(not args.json) as progress:
        graph = build_graph(corpus, min_shared=args.min_shared, progress=progress)
    write_graph(graph, output)
    summary, text = graph_summary(graph)
    summary = {"output": str(output), **summary}
    text += f" Wrote {output}."
    if args.json:
        print(_json_text(json.dumps(summary, ensure_ascii=False, indent=2)))
    else:
        width = min(100, shutil.get_terminal_size((100, 24)).columns)
        print(textwrap.fill(printable(text), width=width, break_on_hyphens=False))


def _quotes(args: argparse.Namespace) -> None:
    text = read_text(args.file)
    quotes = extract_quotes(text)
    if args.json:
        data = [q.model_dump(mode="json") for q in quotes]
        print(_json_text(json.dumps(data, ensure_ascii=False, indent=2)))
        return
    for q in quotes:
        who = q.speaker if q.speaker is not None else "—"
        cue = f" ({q.cue})" if q.cue is not None else ""
        print(printable(f"{q.start:>7}-{q.end:<7} {who}{cue}: “{shorten(q.content, 100)}”"))
    print(f"{len(quotes)} quotation(s)")


_C1 = re.compile(r"[\x7f-\x9f]")


def _json_text(text: str) -> str:
    """JSON text with DEL and the C1 controls written as ``\\u`` escapes: the same data
    for a JSON reader, harmless on a terminal (``json.dumps`` escapes only C0)."""
    return _C1.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    >>> main(["quotes", "no/such/file.txt"])  # errors: one line on stderr, status 2
    2
    """
    try:
        args = _parser().parse_args(argv)
    except _UsageError as exc:
        _say("error", exc)
        return 2
    command = {"trace": _trace, "graph": _graph, "quotes": _quotes}[args.command]
    for stream in (sys.stdout, sys.stderr):
        # text the terminal's encoding cannot carry (lone surrogates from a JSON "\ud800"
        # escape) is written as a backslash escape, which JSON output reads back as is
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    try:
        with warnings.catch_warnings(), _notices():
            warnings.showwarning = _show_warning  # restored when the block ends
            command(args)
    except QuoteprovError as exc:
        _say("error", _error_text(exc))
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
