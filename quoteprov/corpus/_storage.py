"""Where a corpus' documents, their analysis and what searches derive are kept.

One protocol, :class:`Storage`, and its backends (the pattern of datasketch's
``storage.py``): :class:`MemoryStorage` (the default: everything in this process) and
:class:`~quoteprov.corpus._store.SQLiteStorage` (one SQLite file, see
:mod:`quoteprov.corpus._store`).  A :class:`~quoteprov.Corpus` holds one and reaches
nothing else: saving is handing the documents to a new SQLite storage, opening is
building a corpus on one.

What the search stage needs of a storage is plain data: the analysed documents
(:meth:`Storage.analysis`, a :class:`AnalyzedDocuments` sequence) and their sentences as
arrays (:meth:`Storage.arrays`, :class:`SentenceArrays`); the storage knows nothing of
the search index built from them.

>>> from quoteprov._models import Document
>>> storage = MemoryStorage()
>>> storage.add([Document(id="a", text="The cat sat. Dogs bark.")])
>>> len(storage), storage.get("a").text
(1, 'The cat sat. Dogs bark.')
>>> arrays = storage.arrays()
>>> arrays.ids, arrays.unit_sent.tolist(), sorted(arrays.vocab)
(('a',), [0, 1], ['bark', 'cat', 'dogs', 'sat'])
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np
from scipy import sparse

from .._models import Document
from .._parallel import progress_bar, show_progress
from ..text._analysis import AnalyzedDocument, analyze, words_hash

if TYPE_CHECKING:
    from ._store import SQLiteStorage

__all__ = [
    "AnalyzedDocuments",
    "AnalyzedList",
    "HeldDocuments",
    "MemoryStorage",
    "SentenceArrays",
    "Storage",
    "sentence_arrays",
]

PROGRESS_DOCUMENTS = 100  # documents per progress step when deciding to show a bar


@dataclass(frozen=True)
class SentenceArrays:
    """Every sentence of a corpus as one row: what the candidate index is built from.

    Attributes
    ----------
    ids : tuple of str
        The document ids, by document number.
    unit_doc, unit_sent, unit_len, unit_hash : numpy.ndarray
        For each sentence row (rows grouped by document, in corpus order): its document
        number, its number in the document, its words and its words' hash
        (:func:`~quoteprov.text._analysis.words_hash`), all int64.
    counts : scipy.sparse.csr_matrix
        Each row's content-term counts (float64), entries sorted by term within a row.
    vocab : dict of str to int
        The content terms, numbered as the columns of ``counts``.
    """

    ids: tuple[str, ...]
    unit_doc: np.ndarray
    unit_sent: np.ndarray
    unit_len: np.ndarray
    unit_hash: np.ndarray
    counts: sparse.csr_matrix
    vocab: dict[str, int]


def sentence_arrays(docs: Sequence[AnalyzedDocument]) -> SentenceArrays:
    """The :class:`SentenceArrays` of analysed documents; terms are numbered as they first
    appear.

    >>> from quoteprov._models import Document
    >>> arrays = sentence_arrays([analyze(Document(id="a", text="Cats sat. Cats ran."))])
    >>> arrays.vocab, arrays.counts.toarray().tolist()
    ({'cats': 0, 'sat': 1, 'ran': 2}, [[1.0, 1.0, 0.0], [1.0, 0.0, 1.0]])
    """
    rows: list[list[str]] = []
    for analysed in docs:
        for i, j in analysed.sentence_tokens:
            rows.append(analysed.terms(i, j))
    vocab: dict[str, int] = {}
    for terms in rows:
        for term in terms:
            vocab.setdefault(term, len(vocab))
    units = [
        (d, s, j - i) for d, a in enumerate(docs) for s, (i, j) in enumerate(a.sentence_tokens)
    ]
    hashes = [words_hash(a.tokens[i:j]) for a in docs for i, j in a.sentence_tokens]
    return SentenceArrays(
        tuple(a.doc.id for a in docs),
        np.asarray([u[0] for u in units], dtype=np.int64),
        np.asarray([u[1] for u in units], dtype=np.int64),
        np.asarray([u[2] for u in units], dtype=np.int64),
        np.asarray(hashes, dtype=np.int64),
        count_matrix(rows, vocab),
        vocab,
    )


def count_matrix(rows: Sequence[Sequence[str]], vocab: dict[str, int]) -> sparse.csr_matrix:
    """Term counts of term lists, one row each, in ``vocab`` (unknown terms left out).

    >>> count_matrix([["b", "a", "b", "z"]], {"a": 0, "b": 1}).toarray().tolist()
    [[1.0, 2.0]]
    """
    indptr = [0]
    indices: list[int] = []
    for terms in rows:
        known = [vocab[t] for t in terms if t in vocab]
        indices.extend(known)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    shape = (len(rows), len(vocab))
    counts = sparse.csr_matrix((data, np.asarray(indices, dtype=np.int64), indptr), shape)
    counts.sum_duplicates()
    return counts


@runtime_checkable
class AnalyzedDocuments(Protocol):
    """The analysed documents of a corpus, by number, as a storage hands them out: a
    sequence that may read them lazily (a corpus file's
    :class:`~quoteprov.corpus._store.StoredDocuments`), told ahead what a job will read."""

    def __len__(self) -> int: ...

    def __getitem__(self, n: int) -> AnalyzedDocument: ...

    def __iter__(self) -> Iterator[AnalyzedDocument]: ...

    def fetch(self, numbers: Iterable[int]) -> None:
        """Read these documents at once (a trace's candidates)."""

    def preload(self, progress: bool | None = None) -> None:
        """Read every document (a whole-corpus job)."""

    def word_table(self) -> np.ndarray | None:
        """The numbered words the documents' words index, when they are numbered."""


class AnalyzedList(list[AnalyzedDocument]):
    """Analysed documents held in memory: nothing to read ahead, words not numbered.

    >>> docs = AnalyzedList([]); docs.fetch([1, 2]); docs.preload(); docs.word_table()
    """

    def fetch(self, numbers: Iterable[int]) -> None:
        """Nothing to read: every document is in memory."""

    def preload(self, progress: bool | None = None) -> None:
        """Nothing to read: every document is in memory."""

    def word_table(self) -> np.ndarray | None:
        """None: words in memory are kept as strings."""
        return None


@runtime_checkable
class Storage(Protocol):
    """Where a :class:`~quoteprov.Corpus` keeps its documents, their analysis and the
    sentence vectors a semantic search computed.

    A storage holds documents in insertion order, each with a unique id (the corpus
    checks that before :meth:`add`).  :meth:`analysis` and :meth:`arrays` describe the
    documents held when they are called.
    """

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[Document]: ...

    def __contains__(self, doc_id: object) -> bool: ...

    def get(self, doc_id: str) -> Document | None:
        """The document with this id, or None."""

    @property
    def ids(self) -> tuple[str, ...]:
        """The document ids in insertion order."""

    def add(self, documents: Sequence[Document]) -> None:
        """Keep new documents (all or none: a refused add keeps nothing)."""

    def analysis(self, progress: bool | None = None) -> AnalyzedDocuments:
        """The analysed documents, by number."""

    def arrays(self, progress: bool | None = None) -> SentenceArrays:
        """The sentences of the analysed documents as arrays."""

    def read_vectors(self, model: str, width: int) -> dict[int, np.ndarray]:
        """The sentence vectors kept for ``model``, by document number."""

    def write_vectors(self, model: str, blocks: dict[int, np.ndarray], ids: Sequence[str]) -> bool:
        """Keep sentence vectors by document number, computed for the documents ``ids``;
        False when they cannot be kept now, or the storage holds other documents."""

    def save(self, path: Path) -> SQLiteStorage:
        """These documents, their analysis and vectors in a new SQLite file at ``path``
        (or this storage, when it is that file already)."""


class HeldDocuments:
    """The documents a storage holds in this process, by id in corpus order: what both
    backends answer from memory (the SQLite one reads them when the file is opened)."""

    _documents: Mapping[str, Document]

    def __len__(self) -> int:
        return len(self._documents)

    def __iter__(self) -> Iterator[Document]:
        return iter(self._documents.values())

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and doc_id in self._documents

    def get(self, doc_id: str) -> Document | None:
        """The document with this id, or None."""
        return self._documents.get(doc_id)

    @property
    def ids(self) -> tuple[str, ...]:
        """The document ids in corpus order."""
        return tuple(self._documents)


class MemoryStorage(HeldDocuments):
    """A corpus held in this process: documents, their analysis once asked, and the
    sentence vectors a semantic search gave it.

    The analysis is computed when first asked and kept as documents are added (a
    document's analysis depends on it alone); the arrays are rebuilt after a change.
    Saving writes what was computed, so nothing is analysed twice.
    """

    def __init__(self, documents: Iterable[Document] = ()) -> None:
        self._documents: dict[str, Document] = {}
        self._analysed = AnalyzedList()
        self._arrays: SentenceArrays | None = None
        self._vectors: dict[str, dict[int, np.ndarray]] = {}  # model -> doc number -> rows
        self.add(list(documents))

    def __repr__(self) -> str:
        return f"MemoryStorage({_documents(len(self))})"

    def add(self, documents: Sequence[Document]) -> None:
        """Keep new documents (their ids are the corpus' to check)."""
        if documents:
            self._documents.update((d.id, d) for d in documents)
            self._arrays = None

    def analysis(self, progress: bool | None = None) -> AnalyzedList:
        """The analysed documents: those added since the last call are analysed now."""
        done = len(self._analysed)
        if done < len(self._documents):
            todo = list(self._documents.values())[done:]
            show = show_progress(progress, len(todo) // PROGRESS_DOCUMENTS)
            documents = progress_bar(iter(todo), total=len(todo), desc="analysing", show=show)
            # a new list: an index built on the previous one keeps the documents it knew
            self._analysed = AnalyzedList([*self._analysed, *(analyze(d) for d in documents)])
        return self._analysed

    def analysed(self) -> AnalyzedList | None:
        """The analysis, if it is computed already for every document (for a save)."""
        return self._analysed if len(self._analysed) == len(self._documents) else None

    def arrays(self, progress: bool | None = None) -> SentenceArrays:
        """The sentences of the analysed documents as arrays (computed once per change)."""
        if self._arrays is None:
            self._arrays = sentence_arrays(self.analysis(progress))
        return self._arrays

    def read_vectors(self, model: str, width: int) -> dict[int, np.ndarray]:
        """The sentence vectors kept for ``model``, by document number."""
        return {d: b for d, b in self._vectors.get(model, {}).items() if b.shape[1:] == (width,)}

    def write_vectors(self, model: str, blocks: dict[int, np.ndarray], ids: Sequence[str]) -> bool:
        """Keep vectors (as they are, not copied), in place of any other model's."""
        held = list(self._documents)
        if any(d >= len(held) or held[d] != ids[d] for d in blocks):
            return False
        for other in [m for m in self._vectors if m != model]:
            for d in blocks:
                self._vectors[other].pop(d, None)
        self._vectors.setdefault(model, {}).update(blocks)
        return True

    def vectors(self) -> dict[str, dict[int, np.ndarray]]:
        """Every kept vector block, by model and document number (for a save)."""
        return self._vectors

    def save(self, path: Path) -> SQLiteStorage:
        """A new SQLite file at ``path`` with the documents, the analysis computed so far
        (the rest is computed now) and the vectors kept."""
        from ._store import SQLiteStorage  # the file backend, a sibling loaded when used

        return SQLiteStorage.create(
            Path(os.fspath(path)), list(self), self.analysed(), self._vectors
        )


def _documents(n: int) -> str:
    return f"{n} document{'' if n == 1 else 's'}"
