"""The provenance graph."""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx

from .._models import KIND_RANK, Document, OriginBasis
from .._parallel import Backend, run_tasks
from .._settings import SETTINGS, Settings
from ..corpus._corpus import Corpus
from ..search._index import CorpusIndex
from ..search._match import check_count
from ..search._scorer import paraphrase_floor
from ..search._symbols import Symbols
from ..text._normalize import fold
from ..text._speakers import names_someone, speaker_aliases
from ._families import _annotate, _corroborated, _families, _family_id, _Occurrence
from ._origin import _Candidate, choose_origin
from ._reuse import _derivations, _explained, document_reuse

if TYPE_CHECKING:
    _DiGraph = nx.DiGraph[str]
else:
    _DiGraph = nx.DiGraph

__all__ = ["Progress", "ProvenanceGraph", "build_graph", "speaker_id"]


Progress = Callable[[str, int, int], None]


"""``progress(step, done, total)``: called before each step of :func:`build_graph`, and with
``done == total`` when it has finished."""


class ProvenanceGraph(_DiGraph):
    """A :class:`networkx.DiGraph` that shows itself as a summary in Jupyter.

    Everything else is networkx's: the class only adds ``_repr_html_`` (quotation families,
    origins and derived-from edges, see :func:`quoteprov.view._display.graph_html`) and a short
    ``repr``.

    >>> graph = ProvenanceGraph()
    >>> graph.add_node("doc:a", type="document")
    >>> graph
    <ProvenanceGraph: 1 document, 0 quotation families, 0 speakers, 0 edges>
    """

    def __repr__(self) -> str:
        types = Counter(data.get("type") for _, data in self.nodes(data=True))
        families = types["quote"]
        return (
            f"<ProvenanceGraph: {types['document']} document{'s' * (types['document'] != 1)}, "
            f"{families} quotation famil{'y' if families == 1 else 'ies'}, "
            f"{types['speaker']} speaker{'s' * (types['speaker'] != 1)}, "
            f"{self.number_of_edges()} edge{'s' * (self.number_of_edges() != 1)}>"
        )

    def _repr_html_(self) -> str:
        from ..view._display import graph_html  # a later stage, imported only when shown

        return graph_html(self)


def speaker_id(name: str) -> str:
    """The graph node id of a speaker: ``speaker:`` and the folded name.

    >>> speaker_id("Miguel Díaz-Canel")
    'speaker:miguel diaz-canel'
    """
    return "speaker:" + fold(name)


def _present(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """The attributes that have a value: GraphML has no null."""
    return {key: value for key, value in attrs.items() if value is not None}


def _document_node(doc: Document) -> dict[str, Any]:
    return _present(
        {
            "type": "document",
            "doc_id": doc.id,
            "title": doc.title,
            "source": doc.source,
            "url": doc.url,
            "published": doc.published.isoformat() if doc.published is not None else None,
            "label": doc.title if doc.title is not None else doc.id,
        }
    )


def _add_speaker(graph: nx.DiGraph[str], name: str, quote_node: str, alias: str) -> None:
    """Link speaker ``name`` (canonical) to a quote node; ``alias`` is how it was written."""
    node = speaker_id(name)
    if node not in graph:
        graph.add_node(node, type="speaker", name=name, label=name, aliases="[]")
    if alias != graph.nodes[node]["name"]:
        aliases = set(json.loads(graph.nodes[node]["aliases"]))
        aliases.add(alias)
        graph.nodes[node]["aliases"] = json.dumps(sorted(aliases), ensure_ascii=False)
    graph.add_edge(node, quote_node, type="said")


def _add_quote(graph: nx.DiGraph[str], node: str, text: str, **attrs: Any) -> None:
    """A ``quote`` node: its text, a short label and the attributes that have a value."""
    graph.add_node(node, **_present({"type": "quote", "text": text, "label": text[:80], **attrs}))


def _add_occurrence(graph: nx.DiGraph[str], quote: str, doc: str, **attrs: Any) -> bool:
    """An ``occurs_in`` edge from ``quote`` to ``doc``, or one more on its ``count`` (a
    document may hold a quotation more than once); whether the edge is new."""
    if graph.has_edge(quote, doc):
        graph.edges[quote, doc]["count"] += 1
        return False
    graph.add_edge(quote, doc, **_present({"type": "occurs_in", **attrs, "count": 1}))
    return True


def build_graph(
    corpus: Corpus,
    *,
    min_shared: int = 2,
    min_documents: int = 1,
    backend: Backend = "local",
    client: Any = None,
    workers: int | None = None,
    progress: bool | Progress | None = None,
    index: CorpusIndex | None = None,
    symbols: Symbols | None = None,
    settings: Settings = SETTINGS,
) -> ProvenanceGraph:
    """The provenance graph of a whole corpus.

    Nodes are ``doc:<id>`` documents, ``quote:<family id>`` quotation families and
    ``speaker:<folded name>`` speakers; edges are ``occurs_in`` (quote → document),
    ``derived_from`` (copy → source document) and ``said`` (speaker → quote).  Every
    attribute value is a GraphML-safe scalar.

    Parameters
    ----------
    corpus : Corpus
        The documents.
    min_shared : int
        Reused sentences outside quotation marks needed for a ``derived_from`` edge.
    min_documents : int
        Keep quotation families found in at least this many documents.
    backend : {"local", "dask"}
        Where the heavy work runs (tracing the quotations, comparing candidate document
        pairs): here, or on a Dask cluster.  The graph is the same either way.
    client : distributed.Client, optional
        The Dask cluster to use (implies ``backend="dask"``); without one, ``"dask"``
        starts a temporary local cluster.
    workers : int, optional
        Local processes to use (forked; Linux only, one elsewhere).  Default: one per CPU
        when the corpus is big enough to split, one otherwise.
    progress : bool or callable, optional
        Show progress bars (by default, for long jobs in a terminal or notebook); or a
        callable told ``progress(step, done, total)`` before each of the four steps
        (analysing documents, comparing sentences, tracing quotations, building the graph)
        and once with ``done == total`` at the end, which the command line draws its
        progress bar from (the bars are then off).
    index : CorpusIndex, optional
        The corpus' index, when one is at hand (a :class:`~quoteprov.Tracer`'s); built
        from the corpus' storage otherwise.
    symbols : Symbols, optional
        The index's symbol table; :attr:`CorpusIndex.symbols` by default.
    settings : GraphSettings
        The thresholds of document reuse and of quotation families.

    Examples
    --------
    >>> from quoteprov._models import Document
    >>> text = 'The minister said: "We will rebuild every bridge by spring."'
    >>> corpus = Corpus([Document(id="a", text=text), Document(id="b", text=text + " Yes.")])
    >>> graph = build_graph(corpus)
    >>> sorted(n for n in graph if n.startswith("doc:"))
    ['doc:a', 'doc:b']
    >>> [graph.nodes[n]["text"] for n in graph if n.startswith("quote:")]
    ['We will rebuild every bridge by spring.']
    """
    check_count("min_shared", min_shared)
    check_count("min_documents", min_documents)
    check_count("workers", workers)
    if callable(progress):
        step: Progress = progress
        bars: bool | None = False
    else:
        step, bars = (lambda _step, _done, _total: None), progress
    step("analysing documents", 0, 4)
    if index is None:
        index = CorpusIndex.for_corpus(corpus, progress=bars)
    index.docs.preload(bars)  # the whole corpus will be read: a corpus file reads it once
    if symbols is None:
        symbols = index.symbols
    if workers is None:
        workers = (os.cpu_count() or 1) if sys.platform.startswith("linux") else 1
    run = {"backend": backend, "client": client, "workers": workers, "progress": bars}
    graph = ProvenanceGraph()
    for adoc in index.docs:
        node = "doc:" + adoc.doc.id
        graph.add_node(node, **_document_node(adoc.doc))
        graph.nodes[node].update(sentences=len(adoc.sentences), quotes=len(adoc.quotes))
    step("comparing sentences", 1, 4)
    reuse = document_reuse(index, min_shared=min_shared, symbols=symbols, settings=settings, **run)
    found = _derivations(index, reuse, min_shared)
    derivations = _explained(index, reuse, found, settings=settings)
    derived = {
        (index.docs[d.copy].doc.id, index.docs[d.source].doc.id)
        for d in derivations
        if d.determined
    }
    for d in derivations:
        graph.add_edge(
            "doc:" + index.docs[d.copy].doc.id,
            "doc:" + index.docs[d.source].doc.id,
            type="derived_from",
            count=d.count,
            quoted_sentences=d.quoted,
            evidence=d.evidence,
            kinds=json.dumps(d.kinds, sort_keys=True),
            score=d.score,
        )
    taken: dict[str, str] = {}
    step("tracing quotations", 2, 4)
    # two reprints of one story do reuse each other's words, though neither is the other's
    # source: every pair found corroborates a weak match between them
    links = {(d.copy, d.source) for d in found}
    families = list(_families(index, links, symbols=symbols, settings=settings, **run))
    aliases = speaker_aliases(
        who for f in families for o in f if (who := _source_name(o)) is not None
    )
    step("building the graph", 3, 4)
    shared = _Deciding(
        index, symbols, settings, frozenset(derived), frozenset(links), min_documents
    )
    # each family's kinds, scores and origin are decided apart (in parallel); the graph is
    # built from the decisions in the families' order.  A family's weak members are taken
    # apart into families decided in the next round, after every family of this one:
    # the order in which one loop that appends them would meet them
    pending = families
    while pending:
        size = settings.graph.family_chunk
        decided = run_tasks(
            _decide_task,
            shared,
            [pending[lo : lo + size] for lo in range(0, len(pending), size)],
            desc="families",
            **run,
        )
        later: list[list[_Occurrence]] = []
        for family, decision in zip(pending, (d for part in decided for d in part), strict=True):
            if decision is None:
                continue
            for o, (kind, score) in zip(family, decision.relations, strict=True):
                o.kind, o.score = kind, score
            origin, basis, reason = family[decision.origin], decision.basis, decision.reason
            if decision.weak:
                weak = set(decision.weak)
                later.extend(_apart([o for k, o in enumerate(family) if k in weak]))
                family = [o for k, o in enumerate(family) if k not in weak]
                if len({o.doc for o in family}) < min_documents:
                    continue
            _add_family(graph, index, family, origin, basis, reason, aliases, taken)
        pending = later
    step("done", 4, 4)
    return graph


@dataclass(frozen=True)
class _Deciding:
    """What deciding a family reads (see :func:`_decide_task`)."""

    index: CorpusIndex
    symbols: Symbols
    settings: Settings
    derived: frozenset[tuple[str, str]]  # (copy id, source id) of determined derivations
    links: frozenset[tuple[int, int]]  # (copy, source) of every reuse found
    min_documents: int


@dataclass(frozen=True)
class _Decision:
    """A family's members related to its origin: ``(kind, score)`` of each, the origin's
    position, the evidence that chose it, and the positions of the weak members."""

    relations: list[tuple[str, float]]
    origin: int
    basis: OriginBasis
    reason: str
    weak: list[int]


def _decide_task(
    shared: _Deciding, families: Sequence[list[_Occurrence]]
) -> list[_Decision | None]:
    """Decide each family: its members related to the fullest one, its origin chosen, its
    members related to the origin, and those too weak to stay (None: too few documents)."""
    index, symbols, settings = shared.index, shared.symbols, shared.settings
    floor = paraphrase_floor()
    out: list[_Decision | None] = []
    for family in families:
        if len({o.doc for o in family}) < shared.min_documents:
            out.append(None)
            continue
        reference = max(family, key=lambda o: (o.quote is not None, o.words, -o.doc))
        _annotate(index, reference, family, symbols, settings)
        candidates = [_Candidate(index.docs[o.doc].doc, o.kind, o.speaker, o.doc) for o in family]
        n, basis, reason = choose_origin(candidates, shared.derived)
        origin = family[n]
        if origin is not reference:
            _annotate(index, origin, family, symbols, settings)
        weak = [
            k
            for k, o in enumerate(family)
            if o.score <= 0.0  # nothing of the origin's quotation found in it
            or (
                o.score < floor
                and not _corroborated(o.doc, o.speaker, origin.doc, origin.speaker, shared.links)
            )
        ]
        out.append(_Decision([(o.kind, o.score) for o in family], n, basis, reason, weak))
    return out


def _add_family(
    graph: ProvenanceGraph,
    index: CorpusIndex,
    family: list[_Occurrence],
    origin: _Occurrence,
    basis: OriginBasis,
    reason: str,
    aliases: Mapping[str, str],
    taken: dict[str, str],
) -> None:
    """One quotation family into the graph: its node, its occurrences, its speaker."""
    # the graph names a description's named source ('the statement' → the ministry)
    speakers = Counter(who for o in family if (who := _source_name(o)) is not None)
    speaker = (
        _source_name(origin)
        if origin.speaker is not None
        else (speakers.most_common(1)[0][0] if speakers else None)
    )
    node = "quote:" + _family_id(origin.content, taken)
    _add_quote(
        graph,
        node,
        origin.content,
        speaker=aliases[speaker] if speaker is not None else None,
        origin="doc:" + index.docs[origin.doc].doc.id,
        origin_basis=basis.value,
        origin_reason=reason,
        occurrences=len(family),
        documents=len({o.doc for o in family}),
    )
    for o in sorted(family, key=lambda o: (o is not origin, KIND_RANK[o.kind], -o.score)):
        _add_occurrence(
            graph,
            node,
            "doc:" + index.docs[o.doc].doc.id,
            kind=o.kind,
            score=o.score,
            start=o.start,
            end=o.end,
            text=index.docs[o.doc].doc.text[o.start : o.end],
            speaker=o.speaker,
            quoted=o.quote is not None,
            is_origin=o is origin,
        )
    if speaker is not None and names_someone(speaker):  # "the official" merges strangers
        _add_speaker(graph, aliases[speaker], node, speaker)


def _source_name(o: _Occurrence) -> str | None:
    """The speaker a graph names for an occurrence: the named source its quotation's
    description stands for (:attr:`~quoteprov.Quote.named_speaker`), else its
    speaker."""
    quote = o.quote
    if quote is not None and quote.named_speaker is not None and o.speaker == quote.speaker:
        return quote.named_speaker.text
    return o.speaker


def _apart(left_out: Sequence[_Occurrence]) -> list[list[_Occurrence]]:
    """The family, if any, of the occurrences of a family that say too little of its
    origin's quotation to be its occurrences (joined through another member, such as a
    quotation that ran on past its end): the whole quotations among them, a family of
    their own that :func:`build_graph` splits again in the same way (it always keeps
    its origin, so this ends); passages found on the way, no quotations, are left out."""
    quotations = [o for o in left_out if o.quote is not None]
    return [quotations] if quotations else []
