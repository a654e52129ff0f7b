"""One-call functions for notebooks and scripts, over a :class:`~quoteprov.Tracer`.

Each accepts a :class:`Corpus`, a path (a directory of ``.txt`` files, a ``.jsonl``
file, a directory of ``.html`` pages or a ``.warc``/``.warc.gz`` crawl) or any iterable
of :class:`Document` objects or dicts.  Passing the same
:class:`Corpus` again reuses its index: only the first call analyses the documents.

That reuse is the one piece of state kept here: :data:`_TRACERS`, a weak mapping from
each corpus passed to the tracer(s) tracing it (one per ``semantic`` setting).  A weak
mapping, because a one-call function has nowhere else to keep a tracer, and the corpus
must not be kept alive by it: the entry goes when the corpus does.  (Keeping the index
in the corpus' storage instead would make the corpus layer hold the search index.)
Code that traces a corpus many times can hold a :class:`~quoteprov.Tracer` itself.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any

from ._models import Kind
from ._parallel import Backend
from ._settings import MATCH
from ._tracer import Tracer
from .corpus._corpus import Corpus
from .corpus._sources import CorpusLike, as_corpus
from .provenance._graph import Progress, ProvenanceGraph
from .provenance._trace import Trace
from .search._match import check_query

__all__ = ["build_graph", "trace_quote", "tracer_for"]

# corpus -> its tracers by ``semantic`` and ``translations`` settings (see the module
# documentation)
_TRACERS: weakref.WeakKeyDictionary[Corpus, dict[tuple[bool | None, bool], Tracer]]
_TRACERS = weakref.WeakKeyDictionary()


def tracer_for(corpus: Corpus, semantic: bool | None = None, translations: bool = False) -> Tracer:
    """The tracer the one-call functions use for ``corpus`` (made on first use).

    >>> corpus = Corpus()
    >>> tracer_for(corpus) is tracer_for(corpus), tracer_for(corpus).corpus is corpus
    (True, True)
    """
    tracers = _TRACERS.setdefault(corpus, {})
    tracer = tracers.get((semantic, translations))
    if tracer is None:
        tracer = Tracer(corpus, semantic=semantic, translations=translations)
        tracers[semantic, translations] = tracer
    return tracer


def trace_quote(
    query: str,
    corpus: CorpusLike,
    *,
    kinds: Sequence[Kind] | None = None,
    limit: int | None = None,
    min_coverage: float = MATCH.occurrence_coverage,
    semantic: bool | None = None,
    translations: bool = False,
) -> Trace:
    """Every place ``query`` occurs in ``corpus``, best first, and which one is the origin.

    Parameters
    ----------
    query : str
        A sentence, a fragment of one, or a passage of a few sentences.
    corpus : Corpus, path or iterable
        Where to look (see :func:`as_corpus`).
    kinds : sequence of {"verbatim", "near_verbatim", "partial", "paraphrase", \
"translation"}, optional
        Keep only these kinds of occurrence.
    limit : int, optional
        Return at most this many matches.
    min_coverage : float
        The share of the query's content (rarity-weighted, 0 to 1; ``Match.coverage``) a
        partial match must hold to be an occurrence (a paraphrase: this or 0.4, whichever
        is lower); weaker matches go to ``Trace.related``.  The default, 0.5, gave
        reported-document precision 1.000 and recall 1.000 on PolNeAR's cross-article
        quotation families (``benchmarks/quality.py --only families``, report side;
        1.000 and 0.961 on the tune side it was chosen on).

    semantic : bool, optional
        Use the semantic tier (sentence embeddings, ``quoteprov[semantic]``): None (the
        default) when it is installed and ``QUOTEPROV_SEMANTIC`` is not ``0``, False never,
        True always (``MissingDependencyError`` when it cannot be loaded).
    translations : bool
        Also find the statement the query translates, in the corpus' documents in other
        languages (``quoteprov[multilingual]``; kind ``translation``): when such a
        document is no later than the occurrences in the query's language, it is the
        origin (``OriginBasis.ORIGINAL_LANGUAGE``).  Each sentence of those documents is
        embedded once per tracer by a multilingual model (slow on a CPU: see README).

    Returns
    -------
    Trace
        ``matches`` (best first), ``origin``, ``origin_basis`` and ``origin_reason``, and
        the weaker ``related`` matches; an empty trace when the query occurs nowhere.

    Examples
    --------
    >>> docs = [
    ...     {"id": "wire", "text": '"We will rebuild every bridge," the minister said.',
    ...      "published": "2024-03-01"},
    ...     {"id": "blog", "text": "The minister: we will rebuild every bridge!",
    ...      "published": "2024-03-02"},
    ... ]
    >>> trace = trace_quote("We will rebuild every bridge", docs)
    >>> [(m.doc_id, m.kind, m.speaker) for m in trace.matches]
    [('blog', 'verbatim', None), ('wire', 'verbatim', 'the minister')]
    >>> trace.origin.doc_id, trace.origin_basis.value, trace.origin_reason
    ('wire', 'date', 'earliest publication date (2024-03-01; later: blog)')
    """
    check_query(query)
    return tracer_for(as_corpus(corpus), semantic, translations).trace(
        query, kinds=kinds, limit=limit, min_coverage=min_coverage
    )


def build_graph(
    corpus: CorpusLike,
    *,
    min_shared: int = 2,
    min_documents: int = 1,
    backend: Backend = "local",
    client: Any = None,
    workers: int | None = None,
    progress: bool | Progress | None = None,
) -> ProvenanceGraph:
    """The provenance graph of a whole corpus (see :func:`quoteprov.build_graph`).

    The result is a :class:`networkx.DiGraph` (a :class:`ProvenanceGraph`, which shows a
    summary in Jupyter).  ``backend="dask"`` (or ``client=`` a ``distributed.Client``)
    spreads the work over a Dask cluster and gives the same graph; ``workers`` sets local
    processes.  ``progress`` turns the progress bars on or off, or is a callable told
    ``progress(step, done, total)`` as each step starts.

    >>> graph = build_graph([{"id": "a", "text": '"Nothing is settled yet," Ana Ruiz said.'}])
    >>> sorted(graph.nodes)
    ['doc:a', 'quote:...', 'speaker:ana ruiz']
    """
    # the graph's queries are lexical: the tracer loads no encoder for it
    return tracer_for(as_corpus(corpus)).build_graph(
        min_shared=min_shared,
        min_documents=min_documents,
        backend=backend,
        client=client,
        workers=workers,
        progress=progress,
    )
