"""quoteprov: trace quotations to their source and export their provenance graph.

>>> import quoteprov as qp
>>> corpus = qp.Corpus([qp.Document(id="a", text='"Peace is near," he said.')])
>>> [m.kind for m in qp.trace_quote("peace is near", corpus).matches]
['verbatim']
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from ._api import build_graph, trace_quote
from ._errors import (
    CorpusError,
    DocumentFormatError,
    DuplicateDocumentError,
    EncodingError,
    ExportError,
    InputError,
    MissingDependencyError,
    QuoteprovError,
)
from ._models import Change, Document, Match, OriginBasis, Quote, Sentence, Span
from ._settings import GraphSettings, MatchSettings, Settings
from ._tracer import Tracer
from .corpus._corpus import Corpus, read_text
from .corpus._sources import as_corpus
from .corpus._storage import MemoryStorage, Storage
from .corpus._store import SQLiteStorage
from .io._export import graph_to_dict, read_graphml, write_graphml, write_json
from .provenance._graph import ProvenanceGraph
from .provenance._trace import Trace
from .text._quotes import extract_quotes
from .text._segment import split_sentences
from .view._frames import edges_frame, nodes_frame, quotes_frame
from .view._plot import plot_graph, plot_timeline, to_html

try:
    __version__ = version("quoteprov")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "Change",
    "Corpus",
    "CorpusError",
    "Document",
    "DocumentFormatError",
    "DuplicateDocumentError",
    "EncodingError",
    "ExportError",
    "GraphSettings",
    "InputError",
    "Match",
    "MatchSettings",
    "MemoryStorage",
    "MissingDependencyError",
    "OriginBasis",
    "ProvenanceGraph",
    "Quote",
    "QuoteprovError",
    "SQLiteStorage",
    "Sentence",
    "Settings",
    "Span",
    "Storage",
    "Trace",
    "Tracer",
    "__version__",
    "as_corpus",
    "build_graph",
    "edges_frame",
    "extract_quotes",
    "graph_to_dict",
    "nodes_frame",
    "plot_graph",
    "plot_timeline",
    "quotes_frame",
    "read_graphml",
    "read_text",
    "split_sentences",
    "to_html",
    "trace_quote",
    "write_graphml",
    "write_json",
]
