"""A :class:`Tracer`: one corpus, and everything its searches derive and reuse.

A tracer owns, as attributes, what tracing a corpus builds once and reuses: the candidate
index (rebuilt when the corpus changes), the symbol table its queries share, the semantic
tier's encoder and the corpus' sentence vectors, and the document derivations that origin
choices found.  The one-call :func:`quoteprov.trace_quote` and :func:`quoteprov.build_graph`
run through one.

>>> import quoteprov as qp
>>> corpus = qp.Corpus([qp.Document(id="a", text='"Peace is near," he said.')])
>>> tracer = qp.Tracer(corpus, semantic=False)
>>> [m.kind for m in tracer.trace("peace is near").matches]
['verbatim']
>>> tracer.index is tracer.index  # built once while the corpus is unchanged
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._errors import InputError, MissingDependencyError, notice
from ._models import Kind
from ._parallel import Backend
from ._settings import SETTINGS, Settings
from .corpus._corpus import Corpus
from .corpus._store import SQLiteStorage
from .provenance import _graph, _trace
from .provenance._graph import Progress, ProvenanceGraph
from .provenance._reuse import Derivations
from .provenance._trace import Trace
from .search import _semantic as tier
from .search._index import CorpusIndex
from .search._match import check_query
from .search._symbols import Symbols
from .search._translate import Translations, get_translations

__all__ = ["Tracer"]


class Tracer:
    """Traces quotations through one corpus, keeping what it builds between traces.

    Parameters
    ----------
    corpus : Corpus
        The corpus traced; documents added to it later are searched too (the index is
        rebuilt when ``corpus.version`` changes).
    settings : Settings
        Every threshold of matching and of the graph (:class:`~quoteprov.Settings`; the
        defaults were measured on the benchmarks their notes name).
    semantic : bool, optional
        Use the semantic tier (sentence embeddings, ``quoteprov[semantic]``): None (the
        default) when it is installed and ``QUOTEPROV_SEMANTIC`` is not ``0``, unless the
        corpus is a file opened with ``lazy=True`` (its sentence vectors would not fit in
        memory), False never (no encoder is loaded), True always
        (``MissingDependencyError`` when it cannot be).
    encoder : Encoder, optional
        The encoder to embed sentences with (anything with ``encode(texts)`` returning
        unit-length rows); by default the process' shared one.

    Attributes
    ----------
    corpus : Corpus
    settings : Settings
    semantic : bool or None

    Examples
    --------
    >>> import quoteprov as qp
    >>> text = "Polls say we will win the vote in May. Rain fell."
    >>> corpus = qp.Corpus([qp.Document(id="a", text=text)])
    >>> query = "we will win the vote in May and then the seat in June"
    >>> [(m.kind, m.held_words) for m in qp.Tracer(corpus, semantic=False).trace(query).matches]
    [('partial', 7)]
    >>> strict = qp.Settings(match=qp.MatchSettings(occurrence_words=8))
    >>> trace = qp.Tracer(corpus, settings=strict, semantic=False).trace(query)
    >>> len(trace.matches), len(trace.related)  # seven words held: related text only
    (0, 1)
    """

    def __init__(
        self,
        corpus: Corpus,
        *,
        settings: Settings = SETTINGS,
        semantic: bool | None = None,
        encoder: Any = None,
        translations: bool = False,
    ) -> None:
        if not isinstance(corpus, Corpus):
            raise InputError(
                f"a Tracer traces a Corpus, not a {type(corpus).__name__} (see qp.as_corpus)"
            )
        if not isinstance(settings, Settings):
            raise InputError(
                f"settings must be a qp.Settings, not a {type(settings).__name__} "
                "(e.g. qp.Settings(match=qp.MatchSettings(occurrence_coverage=0.6)))"
            )
        self.corpus = corpus
        self.settings = settings
        self.semantic = semantic
        self._encoder: tier.Encoder | None = encoder
        self._encoder_asked = encoder is not None
        self._index: CorpusIndex | None = None
        self._version = -1  # the corpus version the index and what follows reflect
        self._vectors: np.ndarray | None = None
        self._nearest: tier.NearestSentences | None = None
        self._derivations: Derivations = {}
        self.translations = translations
        self._translator: Translations | None = None

    def __repr__(self) -> str:
        more = ", translations=True" if self.translations else ""
        return f"Tracer({self.corpus!r}, semantic={self.semantic!r}{more})"

    # -- what it owns ----------------------------------------------------------------

    def _current(self, progress: bool | None = None) -> CorpusIndex:
        if self._index is None or self._version != self.corpus.version:
            self._version = self.corpus.version
            # everything derived from the previous index goes with it
            self._index = None
            self._vectors = None
            self._nearest = None
            self._derivations = {}
            self._translator = None
            self._index = CorpusIndex.from_storage(self.corpus.storage, progress=progress)
        return self._index

    @property
    def index(self) -> CorpusIndex:
        """The corpus' candidate index, built once per corpus version."""
        return self._current()

    @property
    def symbols(self) -> Symbols:
        """The symbol table every query on :attr:`index` shares (the index's own: it
        numbers the index's words, so it goes with it)."""
        return self._current().symbols

    @property
    def encoder(self) -> tier.Encoder | None:
        """The semantic tier's encoder, loaded when first needed; None when ``semantic``
        is False, or None and the tier is not available."""
        if self.semantic is False:
            return None
        if self.semantic is None and self._encoder is None and self._lazy():
            return None
        if not self._encoder_asked:
            self._encoder_asked = True
            self._encoder = tier.get_encoder()
        if self._encoder is None and self.semantic:
            raise MissingDependencyError(
                'semantic=True needs the semantic extra (pip install "quoteprov[semantic]") '
                "and QUOTEPROV_SEMANTIC not set to 0; semantic=None matches lexically without it"
            )
        return self._encoder

    def _lazy(self) -> bool:
        """Whether the corpus is a file opened with ``lazy=True``: larger than memory, so
        the semantic tier, whose sentence vectors are held in memory, is left off unless
        asked for (``semantic=True``); said once per tracer."""
        storage = self.corpus.storage
        if not (isinstance(storage, SQLiteStorage) and storage.lazy):
            return False
        if not self._encoder_asked:
            self._encoder_asked = True
            notice(
                "matching lexically: the semantic tier holds a vector of every sentence in "
                "memory, which a corpus opened with lazy=True is too big for; pass "
                "semantic=True to use it anyway"
            )
        return True

    @property
    def vectors(self) -> np.ndarray | None:
        """The encoder's embeddings of the index's sentences (read from, and given to, the
        corpus' storage); None without an encoder."""
        encoder = self.encoder
        if encoder is None:
            return None
        index = self._current()
        if self._vectors is None:
            self._vectors = tier.sentence_vectors(index, encoder, self.corpus.storage)
        return self._vectors

    @property
    def translator(self) -> Translations | None:
        """What cross-lingual tracing keeps (the documents' languages, the multilingual
        vectors of the sentences embedded so far); None when ``translations`` is off.

        Raises
        ------
        MissingDependencyError
            ``translations=True`` without the multilingual extra.
        """
        if not self.translations:
            return None
        self._current()
        if self._translator is None:
            self._translator = get_translations(required=True)
        return self._translator

    @property
    def nearest(self) -> tier.NearestSentences | None:
        """:attr:`vectors` made ready for nearest-sentence searches (grouped once in a big
        corpus); None without an encoder."""
        vectors = self.vectors
        if vectors is None:
            return None
        if self._nearest is None:
            self._nearest = tier.NearestSentences(vectors)
        return self._nearest

    # -- tracing ----------------------------------------------------------------------

    def trace(
        self,
        query: str,
        *,
        kinds: Sequence[Kind] | None = None,
        limit: int | None = None,
        min_coverage: float | None = None,
    ) -> Trace:
        """Every place ``query`` occurs in the corpus, best first, and which one is the
        origin (the parameters and result of :func:`quoteprov.trace_quote`).

        >>> import quoteprov as qp
        >>> corpus = qp.Corpus([qp.Document(id="a", text="We will win. Yes.")])
        >>> qp.Tracer(corpus, semantic=False).trace("we will win").origin.doc_id
        'a'
        """
        check_query(query)
        index = self._current()
        return _trace.trace(
            query,
            self.corpus,
            kinds=kinds,
            limit=limit,
            min_coverage=(
                self.settings.match.occurrence_coverage if min_coverage is None else min_coverage
            ),
            semantic=self.encoder is not None,
            index=index,
            symbols=self.symbols,
            encoder=self.encoder,
            vectors=self.vectors,
            nearest=self.nearest,
            derivations=self._derivations,
            translations=self.translator,
            settings=self.settings,
        )

    def build_graph(
        self,
        *,
        min_shared: int = 2,
        min_documents: int = 1,
        backend: Backend = "local",
        client: Any = None,
        workers: int | None = None,
        progress: bool | Progress | None = None,
    ) -> ProvenanceGraph:
        """The provenance graph of the whole corpus (the parameters and result of
        :func:`quoteprov.build_graph`), on this tracer's index."""
        index = self._current(progress if not callable(progress) else False)
        return _graph.build_graph(
            self.corpus,
            min_shared=min_shared,
            min_documents=min_documents,
            backend=backend,
            client=client,
            workers=workers,
            progress=progress,
            index=index,
            symbols=self.symbols,
            settings=self.settings,
        )
