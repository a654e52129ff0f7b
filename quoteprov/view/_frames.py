"""pandas tables of traces, quotations and graphs (optional: ``pip install 'quoteprov[notebook]'``).

pandas is imported only when one of these functions runs; without it they raise
:class:`~quoteprov.MissingDependencyError` naming the extra to install.
Publication dates become pandas timestamps (naive UTC; missing ones are ``NaT``).

>>> import quoteprov as qp
>>> corpus = qp.Corpus([qp.Document(id="a", text='"Peace is near," he said.')])
>>> qp.trace_quote("peace is near", corpus).to_frame()[["doc_id", "kind", "is_origin"]]
  doc_id      kind  is_origin
0      a  verbatim       True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import networkx as nx

from .._errors import MissingDependencyError
from .._models import Change, Document, parse_published, published_key
from ..corpus._sources import CorpusLike, as_corpus
from ..provenance._trace import Trace
from ..text._quotes import extract_quotes

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["edges_frame", "nodes_frame", "quotes_frame", "trace_frame"]


def _pandas(feature: str) -> Any:
    try:
        import pandas
    except ImportError as exc:
        raise MissingDependencyError.of("pandas", feature) from exc
    return pandas


def _when(value: dt.date | None) -> dt.datetime | None:
    return published_key(value) if value is not None else None


def _frame(
    feature: str, rows: Iterable[Mapping[str, Any]], columns: Sequence[str], *, sparse: bool = False
) -> pd.DataFrame:
    pandas = _pandas(feature)
    frame: pd.DataFrame = pandas.DataFrame(list(rows), columns=list(columns))
    if sparse:  # attributes only some rows have: keep counts integers, not NaN-holding floats
        frame = frame.convert_dtypes()
    if "published" in frame:
        # one parse per value: a graph holds ISO strings with and without an offset or a
        # time, which pandas refuses to mix; every value becomes naive UTC
        frame["published"] = pandas.to_datetime([_naive_utc(value) for value in frame["published"]])
    return frame


def _naive_utc(value: object) -> dt.datetime | None:
    """A date, datetime or ISO string as a naive UTC datetime; anything else as None.

    >>> _naive_utc("2024-03-01T10:00:00+05:00"), _naive_utc("2024-03-03")
    (datetime.datetime(2024, 3, 1, 5, 0), datetime.datetime(2024, 3, 3, 0, 0))
    """
    if isinstance(value, str):
        try:
            value = parse_published(value)
        except ValueError:
            return None
    return _when(value) if isinstance(value, dt.date) else None


def _change_text(change: Change) -> str:
    flag = "⚠" if change.number or change.negation else ""
    if change.op == "substitute":
        return f"{flag}{change.query}→{change.found}"
    if change.op == "insert":
        return f"{flag}…{change.found}" if change.elision else f"{flag}+{change.found}"
    return f"{flag}−{change.query}"


def _doc_columns(doc: Document | None) -> dict[str, Any]:
    if doc is None:
        return {"title": None, "source": None, "published": None}
    return {"title": doc.title, "source": doc.source, "published": _when(doc.published)}


_TRACE_COLUMNS = (
    "doc_id", "title", "source", "published", "kind", "confidence", "score", "coverage",
    "is_origin", "speaker", "cue", "quoted", "start", "end", "text", "changes", "altered",
    "alterations", "elided", "related",)  # fmt: skip


def trace_frame(trace: Trace, related: bool = False) -> pd.DataFrame:
    """One row per match of a trace, best first, with its document's metadata.

    Parameters
    ----------
    trace : Trace
        A result of :func:`quoteprov.trace_quote` (also ``trace.to_frame()``).
    related : bool
        Also list the weaker matches kept apart in ``trace.related``, after the
        occurrences, with ``related`` True.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id``, ``title``, ``source``, ``published``, ``kind``,
        ``confidence`` (``certain``, ``likely`` or ``possible``: see
        :attr:`quoteprov.Match.confidence`), ``score``, ``coverage`` (the share of
        the query the match holds), ``is_origin``, ``speaker``, ``cue``, ``quoted``,
        ``start``, ``end``, ``text``, ``changes`` (``query→found``, ``+inserted``,
        ``−deleted``, ``…left out`` at the query's ellipsis, ``⚠`` for a number or
        negation, joined by ``"; "``), ``altered``, ``alterations`` (joined by ``"; "``),
        ``elided`` and ``related``.

    Raises
    ------
    MissingDependencyError
        When pandas is not installed.

    Examples
    --------
    >>> import quoteprov as qp
    >>> docs = [{"id": "a", "text": "We will never win.", "published": "2024-03-01"}]
    >>> frame = trace_frame(qp.trace_quote("we will win", docs))
    >>> frame.loc[0, "changes"], bool(frame.loc[0, "altered"]), str(frame.loc[0, "published"])
    ('⚠+never', True, '2024-03-01 00:00:00')
    """
    docs = trace.documents
    rows = [
        {
            "doc_id": m.doc_id,
            **_doc_columns(docs.get(m.doc_id)),
            "kind": m.kind,
            "confidence": m.confidence,
            "score": m.score,
            "coverage": m.coverage,
            "is_origin": m is trace.origin,
            "speaker": m.speaker,
            "cue": m.cue,
            "quoted": m.quoted,
            "start": m.start,
            "end": m.end,
            "text": m.text,
            "changes": "; ".join(_change_text(c) for c in m.changes),
            "altered": m.altered,
            "alterations": "; ".join(m.alterations),
            "elided": m.elided,
            "related": weak,
        }
        for weak, matches in ((False, trace.matches), (True, trace.related if related else ()))
        for m in matches
    ]
    return _frame("Trace.to_frame", rows, _TRACE_COLUMNS)


_QUOTE_COLUMNS = (
    "doc_id", "title", "source", "published", "start", "end", "speaker", "cue", "content",
    "text", "parts", "direct",)  # fmt: skip


def quotes_frame(corpus: CorpusLike) -> pd.DataFrame:
    """Every quotation in a corpus, one row each, in corpus and text order.

    ``direct`` tells direct speech from a fragment quoted in the writer's own sentence
    (scare quotes, titles; see :class:`quoteprov.Quote`): keep
    ``frame[frame["direct"]]`` for what people said.

    Parameters
    ----------
    corpus : Corpus, path or iterable
        The documents (see :func:`quoteprov.as_corpus`).

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id``, ``title``, ``source``, ``published``, ``start``, ``end``
        (offsets into the document's original text), ``speaker``, ``cue``, ``content``
        (what was said), ``text`` (the original stretch, attribution included when it
        interrupts the quotation), ``parts`` (how many quoted pieces) and ``direct``.

    Raises
    ------
    MissingDependencyError
        When pandas is not installed.

    Examples
    --------
    >>> text = '"We will win," Ana Ruiz said, "and soon." She added: "Never again."'
    >>> quotes_frame([{"id": "a", "text": text}])[["doc_id", "speaker", "content", "parts"]]
      doc_id   speaker                 content  parts
    0      a  Ana Ruiz  We will win, and soon.      2
    1      a  Ana Ruiz            Never again.      1
    >>> quotes_frame([{"id": "b", "text": 'The so-called "reform" failed.'}])[["content", "direct"]]
      content  direct
    0  reform   False
    """
    rows = [
        {
            "doc_id": doc.id,
            **_doc_columns(doc),
            "start": q.start,
            "end": q.end,
            "speaker": q.speaker,
            "cue": q.cue,
            "content": q.content,
            "text": q.text,
            "parts": len(q.parts),
            "direct": q.direct,
        }
        for doc in as_corpus(corpus)
        for q in extract_quotes(doc.text)
    ]
    return _frame("quotes_frame", rows, _QUOTE_COLUMNS)


def edges_frame(graph: nx.DiGraph[str]) -> pd.DataFrame:
    """The edges of a provenance graph, one row each, with every attribute as a column.

    Parameters
    ----------
    graph : networkx.DiGraph
        A graph from :func:`quoteprov.build_graph`, :meth:`Trace.to_graph` or GraphML.

    Returns
    -------
    pandas.DataFrame
        ``source``, ``target``, ``type``, then the other attributes in name order, sorted
        by type, source and target; columns have pandas' nullable dtypes (``Int64``,
        ``boolean``, ...) since most attributes belong to one edge type only.

    Raises
    ------
    MissingDependencyError
        When pandas is not installed.

    Examples
    --------
    >>> import quoteprov as qp
    >>> graph = qp.build_graph([{"id": "a", "text": '"Nothing is settled yet," Ana Ruiz said.'}])
    >>> edges_frame(graph)[["source", "target", "type"]]
                 source            target       type
    0  quote:...             doc:a  occurs_in
    1  speaker:ana ruiz  quote:...       said
    """
    rows = [{"source": u, "target": v, **data} for u, v, data in graph.edges(data=True)]
    rows.sort(key=lambda r: (str(r.get("type", "")), r["source"], r["target"]))
    extra = sorted({k for r in rows for k in r} - {"source", "target", "type"})
    return _frame("edges_frame", rows, ["source", "target", "type", *extra], sparse=True)


def nodes_frame(graph: nx.DiGraph[str]) -> pd.DataFrame:
    """The nodes of a provenance graph, one row each, with every attribute as a column.

    Parameters
    ----------
    graph : networkx.DiGraph
        A graph from :func:`quoteprov.build_graph`, :meth:`Trace.to_graph` or GraphML.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``type``, ``label``, then the other attributes in name order, sorted by
        type and id, with pandas' nullable dtypes (see :func:`edges_frame`).

    Raises
    ------
    MissingDependencyError
        When pandas is not installed.

    Examples
    --------
    >>> import quoteprov as qp
    >>> graph = qp.build_graph([{"id": "a", "text": '"Nothing is settled yet," Ana Ruiz said.'}])
    >>> nodes_frame(graph)[["id", "type"]]
                     id      type
    0             doc:a  document
    1  quote:...     quote
    2  speaker:ana ruiz   speaker
    """
    rows = [{"id": n, **data} for n, data in graph.nodes(data=True)]
    rows.sort(key=lambda r: (str(r.get("type", "")), r["id"]))
    extra = sorted({k for r in rows for k in r} - {"id", "type", "label"})
    return _frame("nodes_frame", rows, ["id", "type", "label", *extra], sparse=True)
