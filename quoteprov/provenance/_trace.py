"""Tracing one quotation."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import ConfigDict, PrivateAttr

from .._models import KIND_RANK, Document, Match, OriginBasis, _Frozen
from .._settings import MATCH, SETTINGS, Settings
from ..corpus._corpus import Corpus
from ..search._index import CorpusIndex
from ..search._kinds import is_occurrence
from ..search._match import check_count, check_kinds, check_share, find_matches
from ..search._symbols import Symbols
from ..search._translate import Translations, find_translations
from ..text._speakers import names_someone, speaker_aliases
from ._graph import ProvenanceGraph, _add_occurrence, _add_quote, _add_speaker, _document_node
from ._origin import _COMPLETENESS, _Candidate, choose_origin
from ._reuse import Derivations, _known_derivations

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from ..search._semantic import Encoder, NearestSentences

__all__ = ["Trace", "trace"]


class Trace(_Frozen):
    """Every occurrence of one query in a corpus, and the one judged to be the origin.

    ``matches`` holds the documents that carry the quotation or a substantial part of it,
    best first; ``related`` holds weaker matches (a few of its words in common), never
    mixed into the answer.  ``origin`` is chosen among the occurrences;
    ``origin_basis`` names the evidence that decided (:class:`OriginBasis`) and
    ``origin_reason`` says it in words, naming the documents.

    In Jupyter a trace shows itself as a table, origin first, each match highlighted in
    its sentence with the changes from the query marked; ``print(trace)`` gives the same
    as plain text.

    >>> from quoteprov._models import Document
    >>> corpus = Corpus([Document(id="a", text='"Peace is near," Tom Lee said.')])
    >>> result = trace("peace is near", corpus)
    >>> result
    <Trace 'peace is near': 1 match in 1 document, origin 'a'>
    >>> result.origin.speaker, result.origin_reason
    ('Tom Lee', 'only occurrence')
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    query: str
    matches: tuple[Match, ...]
    origin: Match | None
    origin_basis: OriginBasis | None = None
    origin_reason: str | None
    related: tuple[Match, ...] = ()
    _documents: dict[str, Document] = PrivateAttr(default_factory=dict)

    def __len__(self) -> int:
        return len(self.matches)

    def __repr__(self) -> str:
        query = " ".join(self.query.split())
        short = query if len(query) <= 60 else query[:59] + "…"
        docs = len({m.doc_id for m in self.matches})
        found = f"{len(self.matches)} match{'es' * (len(self.matches) != 1)}"
        found += f" in {docs} document{'s' * (docs != 1)}"
        origin = f", origin {self.origin.doc_id!r}" if self.origin is not None else ""
        return f"<Trace {short!r}: {found}{origin}>"

    def __str__(self) -> str:
        from ..view._display import trace_text  # later stages are imported only when used

        return trace_text(self)

    def _repr_html_(self) -> str:
        from ..view._display import trace_html

        return trace_html(self)

    @property
    def documents(self) -> Mapping[str, Document]:
        """The documents the matches point into, by id (read-only).

        >>> from quoteprov._models import Document
        >>> corpus = Corpus([Document(id="a", text="Peace is near.", title="Hope")])
        >>> trace("peace is near", corpus).documents["a"].title
        'Hope'
        """
        return MappingProxyType(self._documents)

    def to_frame(self, related: bool = False) -> pd.DataFrame:
        """One row per match, origin flagged (``related``: the weaker matches too, after
        them): see :func:`quoteprov.view._frames.trace_frame`.

        >>> from quoteprov._models import Document
        >>> corpus = Corpus([Document(id="a", text="Peace is near.")])
        >>> trace("peace is near", corpus).to_frame()[["doc_id", "kind", "is_origin"]]
          doc_id      kind  is_origin
        0      a  verbatim       True
        """
        from ..view._frames import trace_frame

        return trace_frame(self, related)

    def plot_timeline(self, ax: Axes | None = None) -> Axes:
        """Occurrences over publication time by outlet: see :func:`quoteprov.plot_timeline`.

        >>> from quoteprov._models import Document
        >>> corpus = Corpus([Document(id="a", text="Peace is near.", source="Wire")])
        >>> ax = trace("peace is near", corpus).plot_timeline()
        >>> [label.get_text() for label in ax.get_yticklabels()]
        ['Wire']
        >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
        """
        from ..view._plot import plot_timeline

        return plot_timeline(self, ax=ax)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the query, the matches (with their documents' metadata).

        >>> from quoteprov._models import Document
        >>> corpus = Corpus([Document(id="a", text="Peace is near.", published="2024-03-01")])
        >>> data = trace("peace is near", corpus).to_dict()
        >>> data["origin"]["doc_id"], data["documents"]["a"]["published"]
        ('a', '2024-03-01')
        """
        data = self.model_dump(mode="json", exclude_none=True)
        data["documents"] = {
            doc_id: doc.model_dump(mode="json", exclude_none=True, exclude={"text"})
            for doc_id, doc in sorted(self._documents.items())
        }
        return data

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as a JSON string (keyword arguments go to ``json.dumps``).

        >>> from quoteprov._models import Document
        >>> corpus = Corpus([Document(id="a", text="Peace is near.")])
        >>> trace("peace is near", corpus).to_json(indent=None)[:26]
        '{"query": "peace is near",'
        """
        kwargs.setdefault("ensure_ascii", False)
        kwargs.setdefault("indent", 2)
        return json.dumps(self.to_dict(), **kwargs)

    def to_graph(self) -> ProvenanceGraph:
        """The trace as a provenance graph: one quote node, its documents and speakers.

        >>> from quoteprov._models import Document
        >>> corpus = Corpus([Document(id="a", text='"Peace is near," Tom Lee said.')])
        >>> sorted(trace("peace is near", corpus).to_graph())
        ['doc:a', 'quote:query', 'speaker:tom lee']
        """
        graph = ProvenanceGraph()
        node = "quote:query"
        shown = list(self.matches)
        if self.origin is not None and all(m is not self.origin for m in shown):
            shown.append(self.origin)  # left out by a kinds or limit filter
        # the graph names a description's named source ('the statement' → the ministry)
        aliases = speaker_aliases(
            who for m in shown if (who := m.named_speaker or m.speaker) is not None
        )
        origin_doc = "doc:" + self.origin.doc_id if self.origin is not None else None
        _add_quote(
            graph,
            node,
            self.query,
            speaker=(
                aliases[self.origin.named_speaker or self.origin.speaker]
                if self.origin is not None and self.origin.speaker is not None
                else None
            ),
            origin=origin_doc,
            origin_reason=self.origin_reason,
            occurrences=len(self.matches),
            documents=len({m.doc_id for m in self.matches}),
        )
        for m in shown:
            target = "doc:" + m.doc_id
            if target not in graph:
                graph.add_node(target, **_document_node(self._documents[m.doc_id]))
            new = _add_occurrence(
                graph,
                node,
                target,
                kind=m.kind,
                score=m.score,
                start=m.start,
                end=m.end,
                text=m.text,
                speaker=m.speaker,
                quoted=m.quoted,
                is_origin=m is self.origin,
            )
            who = m.named_speaker or m.speaker
            if new and who is not None and names_someone(who):
                _add_speaker(graph, aliases[who], node, who)
        return graph


def trace(
    query: str,
    corpus: Corpus,
    *,
    kinds: Sequence[str] | None = None,
    limit: int | None = None,
    min_shared: int = 2,
    min_coverage: float = MATCH.occurrence_coverage,
    semantic: bool | None = None,
    index: CorpusIndex | None = None,
    symbols: Symbols | None = None,
    encoder: Encoder | None = None,
    vectors: np.ndarray | None = None,
    nearest: NearestSentences | None = None,
    derivations: Derivations | None = None,
    translations: Translations | None = None,
    settings: Settings = SETTINGS,
) -> Trace:
    """Trace ``query`` through ``corpus``: every occurrence, best first, and its origin.

    Occurrences carry the quotation or a substantial part of it (:func:`is_occurrence`
    with ``min_coverage``); weaker matches, a few words in common, are kept apart as
    ``related``.  The origin is chosen among all occurrences; ``kinds`` and ``limit``
    only trim the matches returned, so the origin may be one of those left out.

    What a :class:`~quoteprov.Tracer` keeps between traces is passed in: the corpus'
    ``index`` and its ``symbols``, the semantic ``encoder`` and the corpus' sentence
    ``vectors`` (see :func:`~quoteprov.search._match.find_matches`), and the
    ``derivations`` found so far on that index; each is built for this trace when absent.
    With ``translations`` (:mod:`quoteprov.search._translate`), the statement the query
    translates is found in the corpus' other languages too.
    ``settings`` are the graph's: the copies that decide an origin are found as the graph
    finds them.
    """
    check_kinds(kinds)
    check_count("limit", limit)
    check_count("min_shared", min_shared)
    check_share("min_coverage", min_coverage)
    if index is None:
        index = CorpusIndex.for_corpus(corpus)
    if symbols is None:
        symbols = index.symbols
    found = find_matches(
        query,
        index,
        semantic=semantic,
        symbols=symbols,
        encoder=encoder,
        vectors=vectors,
        nearest=nearest,
        settings=settings.match,
    )
    if translations is not None:
        found = [*found, *find_translations(query, index, translations)]
        found.sort(key=lambda m: (-m.score, KIND_RANK[m.kind], m.doc_id, m.start))
    held = [is_occurrence(m, min_coverage, settings=settings.match) for m in found]
    occurrences = [m for m, ok in zip(found, held, strict=True) if ok]
    related = tuple(m for m, ok in zip(found, held, strict=True) if not ok)
    origin: Match | None = None
    basis: OriginBasis | None = None
    reason: str | None = None
    if occurrences:
        # one candidate per document: its most complete occurrence, then its best
        best: dict[str, Match] = {}
        for m in sorted(occurrences, key=lambda m: _COMPLETENESS[m.kind]):
            best.setdefault(m.doc_id, m)
        pool = list(best.values())
        candidates = [
            _Candidate(corpus[m.doc_id], m.kind, m.speaker, index.by_id[m.doc_id], m.language)
            for m in pool
        ]
        n, basis, reason = choose_origin(
            candidates,
            lambda left: _known_derivations(
                index,
                sorted(c.position for c in left),
                min_shared,
                symbols,
                derivations,
                settings=settings,
            ),
        )
        origin = pool[n]
    matches = [m for m in occurrences if kinds is None or m.kind in kinds][:limit]
    result = Trace(
        query=query,
        matches=tuple(matches),
        origin=origin,
        origin_basis=basis,
        origin_reason=reason,
        related=related,
    )
    shown = [*matches, *related] if origin is None else [*matches, *related, origin]
    result._documents.update({m.doc_id: corpus[m.doc_id] for m in shown})
    return result
