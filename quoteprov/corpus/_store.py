"""A corpus in one SQLite file: documents, their analysis and the candidate index's arrays.

:class:`SQLiteStorage` is the file backend of :class:`~quoteprov.corpus._storage.Storage`.

:meth:`Corpus.save <quoteprov.Corpus.save>` writes it, :meth:`Corpus.open
<quoteprov.Corpus.open>` reads it back without segmenting or indexing anything
again, and documents added to an opened (or saved) corpus are analysed alone and written
in one transaction: a crash or Ctrl-C during an add loses only that add, and the file stays
readable (SQLite's journal rolls the unfinished transaction back).

Every value in the file is text, a number or an array of fixed-width little-endian
integers or half-precision floats (``numpy.frombuffer``); nothing is pickled, so
opening a file never runs code from it.  Text holding lone surrogates (bad decoding) is
stored as its UTF-8 bytes with them kept, and reads back unchanged.

Guarantees (issue 4, tested in ``tests/test_store.py``, 50+ kills in
``benchmarks/kill_store.py``):

- A process killed (SIGKILL) while adding leaves every committed document intact and the
  file consistent (``PRAGMA integrity_check``).
- A corpus is a snapshot of the file when it was opened: it reads only the documents
  (``pos < count``) and terms it held then, so processes reading one file while another
  adds to it always see complete, consistent corpora.  An add from such an outdated
  corpus is refused (open the file again), never mixed in.
- A file of a newer schema, or of an older one than :data:`READABLE_SCHEMAS`, is refused
  with what to do; one of a readable older schema, or analysed by other rules, is opened,
  its documents analysed again in memory, with a warning; one of schema 2 (the same
  analysis, no vectors yet) opens as it is.  A file that is not SQLite, holds other
  tables, or any trigger or view, is refused before anything in it is used (``PRAGMA
  trusted_schema = OFF`` besides); a damaged file raises
  :class:`~quoteprov.CorpusError` when the damage is read, never another error.

Tables:

``meta``
    ``schema`` (:data:`BASE_SCHEMA`, or :data:`SCHEMA_VERSION` once it keeps vectors),
    ``analysis`` (:data:`ANALYSIS_VERSION`: the segmentation, quotation and token rules
    the stored analysis came from) and ``quoteprov`` (the version that last changed the
    file's schema).
``documents``
    one row per document in corpus order (``pos``): id, text and metadata.
``words`` / ``terms``
    the folded words of the tokens, and the index's content terms, numbered.
``analysis``
    per document: tokens (offsets and word numbers), sentences (character and token
    spans), each sentence's word hash and term counts, and the quotations (JSON), with
    their bounds and their parts' bounds as arrays (schema 2): what a search reads of
    most documents' quotations, without parsing the JSON.
``vectors`` (schema 3)
    per model and document: the semantic tier's sentence vectors in half precision
    (about 800 bytes a sentence), written by the first search that computes them
    (:func:`~quoteprov.search._semantic.sentence_vectors`) and read by the later ones.  A file is
    saved as schema 2, which the previous quoteprov reads too, unless the corpus saved
    carries vectors a search computed; a semantic search of it then writes to it, adding
    this table, which makes it schema 3 (which that quoteprov refuses).

Opening reads the documents and the per-sentence arrays (the TF-IDF weights are derived
from the stored counts in one vectorised pass); a document's tokens, sentences and
quotations are read when a search first needs them, and kept in a bounded cache.  Opened
with ``lazy=True``, it reads only the documents' ids (:class:`FileDocuments` reads each
document when asked), and searches use the index kept on disk beside the file
(:mod:`quoteprov.search._mapped`), built from :meth:`SQLiteStorage.blocks`: a file of a
million documents opens in seconds.

>>> import pathlib, tempfile
>>> from quoteprov._models import Document
>>> from quoteprov.corpus._corpus import Corpus
>>> with tempfile.TemporaryDirectory() as folder:
...     path = pathlib.Path(folder, "c.qp")
...     Corpus([Document(id="a", text='"We will win," Ana Ruiz said.')]).save(path)
...     corpus = Corpus.open(path)
...     [q.speaker for q in corpus.storage.analysis()[0].quotes]
['Ana Ruiz']
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import os
import secrets
import sqlite3
import sys
import warnings
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from .._errors import CorpusError
from .._models import Document, Quote, Sentence, Span
from .._parallel import progress_bar, show_progress
from ..text._analysis import (
    AnalyzedDocument,
    DocumentMemo,
    LazySpans,
    SpanPairs,
    analyze,
    words_hash,
)
from ..text._normalize import NumberedWords, Tokens
from ._storage import HeldDocuments, MemoryStorage, SentenceArrays, Storage, _documents

__all__ = [
    "ANALYSIS_VERSION",
    "SCHEMA_VERSION",
    "FileDocuments",
    "SQLiteStorage",
    "SentenceBlock",
    "StoredDocuments",
]

SCHEMA_VERSION = 3  # the newest schema this version reads and writes
# 2: the quotations' bounds and parts stored as arrays beside their JSON
# 3: schema 2 and the semantic tier's sentence vectors (table ``vectors``)
BASE_SCHEMA = 2  # what a file is saved as; keeping vectors in it makes it schema 3
READABLE_SCHEMAS = (1,)  # older schemas whose documents are read and analysed again
ANALYSIS_VERSION = 3  # raise when segmentation, quotations, tokens or terms change
# 2: sentence boundaries at picture credits, elisions and intended line ends (issue 5)
BUSY_SECONDS = 30.0  # how long a writer waits for another process' transaction
VECTORS_BUSY_SECONDS = 2.0  # how long a search waits to keep its vectors, then leaves it
VECTORS_BATCH = 1_000  # documents whose vectors are written per transaction
CACHE_DOCUMENTS = 20_000  # analysed documents kept in memory when read lazily
WRITE_BATCH = 2_000  # documents analysed and written per step of a save
FETCH_BATCH = 500  # documents read per query of the file by StoredDocuments.fetch

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (
    pos INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, text TEXT NOT NULL,
    title TEXT, source TEXT, url TEXT, published TEXT, metadata TEXT NOT NULL);
CREATE TABLE words (id INTEGER PRIMARY KEY, word TEXT NOT NULL UNIQUE);
CREATE TABLE terms (id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE);
CREATE TABLE analysis (
    pos INTEGER PRIMARY KEY REFERENCES documents (pos),
    token_starts BLOB NOT NULL, token_ends BLOB NOT NULL, token_words BLOB NOT NULL,
    sentences BLOB NOT NULL, hashes BLOB NOT NULL,
    term_rows BLOB NOT NULL, term_ids BLOB NOT NULL, term_counts BLOB NOT NULL,
    quotes TEXT NOT NULL, quote_bounds BLOB NOT NULL, quote_parts BLOB NOT NULL);
"""
_VECTORS = """
CREATE TABLE vectors (
    model TEXT NOT NULL, pos INTEGER NOT NULL REFERENCES documents (pos), data BLOB NOT NULL,
    PRIMARY KEY (model, pos));
"""
_I4, _I8, _F2 = np.dtype("<i4"), np.dtype("<i8"), np.dtype("<f2")


def _quoteprov_version() -> str:
    try:
        return version("quoteprov")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


def _span(data: dict[str, Any]) -> Span:
    return Span.model_construct(start=data["start"], end=data["end"], text=data["text"])


def _quote_from(data: dict[str, Any]) -> Quote:
    speaker_span = data.get("speaker_span")
    named = data.get("named_speaker")
    return Quote.model_construct(
        start=data["start"],
        end=data["end"],
        text=data["text"],
        parts=tuple(_span(p) for p in data["parts"]),
        content=data["content"],
        speaker=data.get("speaker"),
        cue=data.get("cue"),
        speaker_span=_span(speaker_span) if speaker_span is not None else None,
        direct=data.get("direct", True),
        named_speaker=_span(named) if named is not None else None,
    )


class _Vocabulary:
    """A numbered table of strings (words or terms), extended as new ones appear."""

    def __init__(self, table: str, items: list[str]) -> None:
        self.table, self.items = table, items
        self.ids = {item: n for n, item in enumerate(items)}
        self.new: list[str] = []

    def id(self, item: str) -> int:
        n = self.ids.get(item)
        if n is None:
            n = self.ids[item] = len(self.items)
            self.items.append(item)
            self.new.append(item)
        return n

    def flush(self, db: sqlite3.Connection) -> None:
        start = len(self.items) - len(self.new)
        db.executemany(
            f"INSERT INTO {self.table} (id, {self.table[:-1]}) VALUES (?, ?)",
            [(start + k, item) for k, item in enumerate(self.new)],
        )
        self.new = []

    def rollback(self) -> None:
        for item in self.new:
            del self.ids[item]
        del self.items[len(self.items) - len(self.new) :]
        self.new = []


@dataclass(frozen=True)
class SentenceBlock:
    """The stored sentence arrays of consecutive documents (see :meth:`SQLiteStorage.blocks`).

    Attributes
    ----------
    sentences : numpy.ndarray
        How many sentences each document has (int64).
    lengths, hashes : numpy.ndarray
        Each sentence's words and its words' hash (int64).
    term_rows, term_ids, term_counts : numpy.ndarray
        Each sentence's number of distinct content terms, then their numbers (sorted
        within a sentence) and counts, sentence after sentence (int32).
    firsts : numpy.ndarray
        Each sentence's first word, numbered within its document (int64).
    words, tokens : numpy.ndarray
        The documents' words as numbers of the file's word table, document after
        document (int32), and how many each document has (int64); empty unless asked for.
    """

    sentences: np.ndarray
    lengths: np.ndarray
    hashes: np.ndarray
    term_rows: np.ndarray
    term_ids: np.ndarray
    term_counts: np.ndarray
    firsts: np.ndarray
    words: np.ndarray
    tokens: np.ndarray

    @classmethod
    def of(cls, rows: Sequence[tuple[Any, ...]]) -> SentenceBlock:
        """The block of ``(pos, sentences, hashes, term_rows, term_ids, term_counts)`` rows
        of the ``analysis`` table, each with its ``token_words`` after them when the
        words are wanted."""
        spans = [np.frombuffer(r[1], dtype=_I4).reshape(-1, 4) for r in rows]

        def joined(column: int, dtype: np.dtype[Any]) -> np.ndarray:
            return np.concatenate(
                [np.zeros(0, dtype), *(np.frombuffer(r[column], dtype) for r in rows)]
            )

        table = np.concatenate([np.zeros((0, 4), dtype=_I4), *spans])
        with_words = bool(rows) and len(rows[0]) > 6
        return cls(
            np.asarray([len(t) for t in spans], dtype=np.int64),
            (table[:, 3] - table[:, 2]).astype(np.int64),
            joined(2, _I8).astype(np.int64),
            joined(3, _I4),
            joined(4, _I4),
            joined(5, _I4),
            table[:, 2].astype(np.int64),
            joined(6, _I4) if with_words else np.zeros(0, _I4),
            np.asarray([len(r[6]) // _I4.itemsize for r in rows] if with_words else [], np.int64),
        )


class FileDocuments(Mapping[str, Document]):
    """The documents of a corpus file by id, in corpus order, each read when asked: what a
    corpus opened with ``lazy=True`` holds instead of every text (a million documents do
    not fit in memory; their ids do).  The most recently read are kept.

    >>> import pathlib, tempfile
    >>> from quoteprov.corpus._corpus import Corpus
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "c.qp")
    ...     Corpus([Document(id="a", text="Hi."), Document(id="b", text="Bye.")]).save(path)
    ...     corpus = Corpus.open(path, lazy=True)
    ...     corpus["b"].text, [d.id for d in corpus], "a" in corpus
    ('Bye.', ['a', 'b'], True)
    """

    def __init__(self, path: Path, ids: list[str], cache: int = CACHE_DOCUMENTS) -> None:
        self.path, self.size = path, cache
        self._ids = ids
        self._pos = {doc_id: n for n, doc_id in enumerate(ids)}
        self._cache: OrderedDict[int, Document] = OrderedDict()
        self._db: sqlite3.Connection | None = None
        self._pid = -1

    def _connection(self) -> sqlite3.Connection:
        if self._db is None or self._pid != os.getpid():
            self._db = _connect(self.path)
            self._pid = os.getpid()
        return self._db

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._pos

    def __getitem__(self, doc_id: str) -> Document:
        n = self._pos[doc_id]
        cached = self._cache.get(n)
        if cached is not None:
            self._cache.move_to_end(n)
            return cached
        with _reading(self.path):
            row = self._connection().execute(_READ_DOCUMENT + " WHERE pos = ?", (n,)).fetchone()
            if row is None:
                raise CorpusError(f"{self.path} is damaged (document {n} is missing); {_RESTORE}")
            document = _document(row)
        self._keep(n, document)
        return document

    def _keep(self, n: int, document: Document) -> None:
        self._cache[n] = document
        while len(self._cache) > self.size:
            self._cache.popitem(last=False)

    def documents(self) -> Iterator[Document]:
        """Every document in corpus order, read from the file as the iteration goes."""
        with _reading(self.path):
            rows = self._connection().execute(
                _READ_DOCUMENT + " WHERE pos < ? ORDER BY pos", (len(self._ids),)
            )
        for row in _read_rows(self.path, rows):
            with _reading(self.path):
                yield _document(row)

    def extend(self, documents: Sequence[Document]) -> None:
        """Take the ids of documents just written to the file."""
        for document in documents:
            self._pos[document.id] = len(self._ids)
            self._ids.append(document.id)


class SQLiteStorage(HeldDocuments):
    """The SQLite file of one corpus (see the module documentation): the file backend of
    :class:`~quoteprov.corpus._storage.Storage`.

    Its documents are held in memory too (read when the file is opened); their analysis
    and arrays are read from the file when asked, never computed again.
    """

    def __init__(
        self, path: Path, db: sqlite3.Connection, documents: Sequence[Document] = ()
    ) -> None:
        self.path, self.db = path, db
        self.pid = os.getpid()
        self._documents: dict[str, Document] | FileDocuments = {d.id: d for d in documents}
        self._stored: StoredDocuments | None = None
        # the count first: words and terms read after it hold at least those its documents
        # use, whatever another process adds in between (rows are only ever appended)
        self.count = int(db.execute("SELECT count(*) FROM documents").fetchone()[0])
        self.words = _Vocabulary("words", self._column("SELECT word FROM words ORDER BY id"))
        self.terms = _Vocabulary("terms", self._column("SELECT term FROM terms ORDER BY id"))

    def _column(self, sql: str) -> list[str]:
        return [row[0] for row in self.db.execute(sql)]

    def __repr__(self) -> str:
        return f"SQLiteStorage({str(self.path)!r}, {_documents(len(self))})"

    @property
    def lazy(self) -> bool:
        """Whether the documents are read from the file when asked, not held (see
        :meth:`open`)."""
        return isinstance(self._documents, FileDocuments)

    def __iter__(self) -> Iterator[Document]:
        if isinstance(self._documents, FileDocuments):
            return self._documents.documents()
        return iter(self._documents.values())

    def add(self, documents: Sequence[Document]) -> None:
        """Analyse ``documents`` alone and write them in one transaction (all or none)."""
        self.append(documents)
        if isinstance(self._documents, FileDocuments):
            self._documents.extend(documents)
        else:
            self._documents.update((d.id, d) for d in documents)

    def save(self, path: str | os.PathLike[str]) -> SQLiteStorage:
        """This storage when ``path`` is its file (every add is written already), else a
        new file with the documents, analysed again, and the vectors kept in this one."""
        path = Path(path)
        if path.exists() and os.path.samefile(self.path, path):
            return self
        with _reading(self.path):
            vectors = self._all_vectors()
        return SQLiteStorage.create(path, list(self), None, vectors)

    def _all_vectors(self) -> dict[str, dict[int, np.ndarray]]:
        db = self._connection()
        if not _has_vectors(db):
            return {}
        out: dict[str, dict[int, np.ndarray]] = {}
        rows = db.execute("SELECT model, pos, data FROM vectors WHERE pos < ?", (self.count,))
        for model, pos, data in rows:
            out.setdefault(str(model), {})[int(pos)] = np.frombuffer(data, dtype=_F2)
        return out

    def _connection(self) -> sqlite3.Connection:
        self._reconnect()
        return self.db

    # -- writing ---------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        documents: Sequence[Document],
        analysed: Sequence[AnalyzedDocument] | None = None,
        vectors: dict[str, dict[int, np.ndarray]] | None = None,
    ) -> SQLiteStorage:
        """Write ``documents`` to a new file at ``path`` (whole, or not at all), with their
        analysis when at hand (``analysed``, else computed now) and the sentence
        ``vectors`` a search kept (by model and document number; the file is then of
        schema 3)."""
        path = Path(path)
        if path.exists():
            raise CorpusError(
                f"{path} exists already; open it with Corpus.open and add documents to it, "
                "or save to another path"
            )
        folder = path.parent if str(path.parent) else Path(".")
        # not mkstemp, whose 0600 would ignore the umask: a corpus is often a shared file
        temporary = str(folder / f".{path.name}.{secrets.token_hex(6)}")
        try:
            os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except OSError as exc:
            raise CorpusError(f"cannot write {path}: {exc.strerror or exc}") from exc
        try:
            db = _connect(Path(temporary))
            db.executescript(_SCHEMA)
            db.execute("BEGIN")
            db.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [
                    ("schema", str(BASE_SCHEMA)),
                    ("analysis", str(ANALYSIS_VERSION)),
                    ("quoteprov", _quoteprov_version()),
                ],
            )
            store = cls(path, db)
            show = show_progress(None, len(documents) // 100)
            steps = range(0, len(documents), WRITE_BATCH)
            for lo in progress_bar(steps, total=len(steps), desc="saving", show=show):
                batch = documents[lo : lo + WRITE_BATCH]
                ready = analysed[lo : lo + WRITE_BATCH] if analysed is not None else None
                store._write(batch, ready)
            if vectors and any(vectors.values()):
                db.execute(_VECTORS)
                db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION),))
                db.executemany(
                    "INSERT INTO vectors VALUES (?, ?, ?)",
                    [
                        (model, pos, np.asarray(b).astype(_F2).tobytes())
                        for model, blocks in sorted(vectors.items())
                        for pos, b in sorted(blocks.items())
                        if pos < len(documents) and np.isfinite(b).all()
                    ],
                )
            db.execute("COMMIT")
            db.close()
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        return cls(path, _connect(path), documents)

    def append(self, documents: Sequence[Document]) -> None:
        """Analyse ``documents`` alone and write them in one transaction (all or none)."""
        self._reconnect()
        before = self.count
        try:
            try:
                self.db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise CorpusError(
                    f"cannot add to {self.path}: another process is writing to it ({exc}); "
                    "try again when it is done"
                ) from exc
            in_file = int(self.db.execute("SELECT count(*) FROM documents").fetchone()[0])
            if in_file != self.count:
                raise CorpusError(
                    f"{self.path} has {in_file - self.count} more document(s) than when this "
                    "corpus was opened (another Corpus, here or in another process, added "
                    "them); nothing was added: open it again (Corpus.open) and add the "
                    "documents there"
                )
            self._write(documents, None)
            self.db.execute("COMMIT")
        except BaseException as exc:  # Ctrl-C included: the file keeps what was committed
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
            self.words.rollback()
            self.terms.rollback()
            self.count = before
            if isinstance(exc, sqlite3.DatabaseError):
                raise CorpusError(f"cannot add to {self.path}: {exc}; {_RESTORE}") from exc
            raise

    def _write(
        self, documents: Sequence[Document], analysed: Sequence[AnalyzedDocument] | None
    ) -> None:
        doc_rows, analysis_rows = [], []
        for n, doc in enumerate(documents):
            a = analysed[n] if analysed is not None else analyze(doc)
            pos = self.count + n
            doc_rows.append(
                (
                    pos,
                    _sql_text(doc.id),
                    _sql_text(doc.text),
                    _sql_text(doc.title),
                    _sql_text(doc.source),
                    _sql_text(doc.url),
                    doc.published.isoformat() if doc.published is not None else None,
                    _sql_text(json.dumps(doc.metadata, ensure_ascii=False, sort_keys=True)),
                )
            )
            analysis_rows.append(self._analysis_row(pos, a))
        self.db.executemany("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)", doc_rows)
        self.db.executemany(
            "INSERT INTO analysis VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", analysis_rows
        )
        self.words.flush(self.db)
        self.terms.flush(self.db)
        self.count += len(documents)

    def _analysis_row(self, pos: int, a: AnalyzedDocument) -> tuple[Any, ...]:
        tokens = a.tokens
        words = np.asarray([self.words.id(w) for w in tokens.words()], dtype=_I4)
        sentences = np.asarray(
            [
                (s.start, s.end, i, j)
                for s, (i, j) in zip(a.sentences, a.sentence_tokens, strict=True)
            ],
            dtype=_I4,
        ).reshape(-1, 4)
        hashes = np.asarray([words_hash(tokens[i:j]) for i, j in a.sentence_tokens], dtype=_I8)
        rows, ids, counts = [], [], []
        for i, j in a.sentence_tokens:
            bag: dict[int, int] = {}
            for term in a.terms(i, j):
                k = self.terms.id(term)
                bag[k] = bag.get(k, 0) + 1
            rows.append(len(bag))
            for k in sorted(bag):
                ids.append(k)
                counts.append(bag[k])
        quotes = [q.model_dump(mode="json") for q in a.quotes]
        bounds = np.asarray([(q.start, q.end) for q in a.quotes], dtype=_I4).reshape(-1, 2)
        parts = np.asarray(
            [(k, p.start, p.end) for k, q in enumerate(a.quotes) for p in q.parts], dtype=_I4
        ).reshape(-1, 3)
        return (
            pos,
            np.asarray(tokens.starts, dtype=_I4).tobytes(),
            np.asarray(tokens.ends, dtype=_I4).tobytes(),
            words.tobytes(),
            sentences.tobytes(),
            hashes.tobytes(),
            np.asarray(rows, dtype=_I4).tobytes(),
            np.asarray(ids, dtype=_I4).tobytes(),
            np.asarray(counts, dtype=_I4).tobytes(),
            _sql_text(json.dumps(quotes, ensure_ascii=False)),
            bounds.tobytes(),
            parts.tobytes(),
        )

    # -- reading ---------------------------------------------------------------------------

    @classmethod
    def open(
        cls, path: str | os.PathLike[str], progress: bool | None = None, lazy: bool = False
    ) -> Storage:
        """The storage of the corpus saved at ``path``: this file's, or, for a file this
        version reads but would not have written, its documents in memory.

        ``lazy`` reads only the documents' ids now, and each document when it is asked
        for (:class:`FileDocuments`): a corpus of a million documents opens in seconds
        and holds a few hundred megabytes.
        """
        path = Path(path)
        if not path.is_file():
            raise CorpusError(f"no corpus file at {path}; save one with Corpus.save(path)")
        with path.open("rb") as handle:
            header = handle.read(16)
        if header != b"SQLite format 3\x00":
            raise CorpusError(
                f"{path} is not a quoteprov corpus file (not an SQLite database); open a file "
                "written by Corpus.save"
            )
        db = _connect(path)
        try:
            meta = _checked_meta(path, db)
        except BaseException:
            db.close()
            raise
        # a file this version reads but would not have written: analysed again in memory
        stale: str | None = None
        if int(meta["schema"]) in READABLE_SCHEMAS:
            stale = (
                f"was written by quoteprov {meta.get('quoteprov')} in corpus schema "
                f"{meta['schema']} (this version writes schema {SCHEMA_VERSION}, which also "
                "stores what a search reads of each quotation)"
            )
        elif meta["analysis"] != str(ANALYSIS_VERSION):
            stale = (
                f"was analysed by other rules (analysis {meta.get('analysis')}, "
                f"quoteprov {meta.get('quoteprov')}; this version uses analysis "
                f"{ANALYSIS_VERSION})"
            )
        if lazy and stale is None:
            with _reading(path, db):
                store = cls(path, db)
                store._documents = FileDocuments(path, store.ids_in_file())
            return store
        with _reading(path, db):
            store = cls(path, db)
            show = show_progress(progress, store.count // 1000)
            rows = db.execute(
                "SELECT id, text, title, source, url, published, metadata FROM documents "
                "WHERE pos < ? ORDER BY pos",
                (store.count,),
            )
            documents = [
                _document(row)
                for row in progress_bar(rows, total=store.count, desc="opening", show=show)
            ]
        if stale is not None:
            db.close()
            warnings.warn(
                f"{path} {stale}: its {len(documents)} documents were read and will be "
                "analysed again in memory, and the corpus is not attached to the file; save "
                "it to a new file (corpus.save(new_path)) to keep the new analysis and open "
                "it without analysing it again",
                stacklevel=3,
            )
            return MemoryStorage(documents)  # analysed again in memory, when first searched
        store._documents = {d.id: d for d in documents}
        if len(store._documents) != len(documents):
            raise CorpusError(f"{path} is damaged (a document id appears twice); {_RESTORE}")
        return store

    def analysis(self, progress: bool | None = None) -> StoredDocuments:
        """The analysed documents, read from the file when first needed and cached (one
        reader per state of the file: a new one after an add).

        Only the documents this corpus holds are read (``pos < count``): another process
        may have added more since it was opened, and this corpus does not hold them.  A
        document read for a search takes its text and metadata from those held here
        instead of reading and validating them again.
        """
        if self._stored is None or self._stored.total != self.count:
            held = list(self) if not self.lazy and len(self._documents) == self.count else None
            self._stored = StoredDocuments(self.path, self.count, documents=held)
        return self._stored

    def arrays(self, progress: bool | None = None) -> SentenceArrays:
        """The sentences' arrays as stored (the TF-IDF weights are the index's to derive)."""
        with _reading(self.path):
            return self._arrays(progress)

    def read_vectors(self, model: str, width: int) -> dict[int, np.ndarray]:
        """The sentence vectors kept for ``model`` (see :meth:`StoredDocuments.read_vectors`)."""
        return self.analysis().read_vectors(model, width)

    def write_vectors(self, model: str, blocks: dict[int, np.ndarray], ids: Sequence[str]) -> bool:
        """Keep sentence vectors (see :meth:`StoredDocuments.write_vectors`)."""
        return self.analysis().write_vectors(model, blocks, ids)

    def ids_in_file(self) -> list[str]:
        """The ids of this corpus' documents, read from the file in corpus order."""
        self._reconnect()
        ids: list[str] = [""] * self.count
        with _reading(self.path):
            # the ids' own index holds each row's pos: read alone, not the table with the
            # texts (0.1 s against 2.6 s for 100,000 documents)
            rows = self.db.execute(
                "SELECT pos, id FROM documents INDEXED BY sqlite_autoindex_documents_1 "
                "WHERE pos < ?",
                (self.count,),
            )
            for pos, doc_id in rows:
                ids[pos] = _from_sql(doc_id)
        return ids

    def blocks(
        self, batch: int = WRITE_BATCH, progress: bool | None = None, words: bool = False
    ) -> Iterator[SentenceBlock]:
        """The stored sentence arrays of this corpus' documents, ``batch`` documents at a
        time in corpus order: what an index is built from, read in bounded memory
        (``words``: the documents' words too)."""
        self._reconnect()
        cursor = self.db.execute(
            "SELECT pos, sentences, hashes, term_rows, term_ids, term_counts"
            + (", token_words" if words else "")
            + " FROM analysis WHERE pos < ? ORDER BY pos",
            (self.count,),
        )
        show = show_progress(progress, self.count // 1000)
        rows = progress_bar(
            _read_rows(self.path, cursor), total=self.count, desc="index", show=show
        )
        while True:
            chunk = list(itertools.islice(rows, batch))
            if not chunk:
                return
            with _reading(self.path):
                yield SentenceBlock.of(chunk)

    def _arrays(self, progress: bool | None) -> SentenceArrays:
        self._reconnect()
        blocks = list(self.blocks(progress=progress))
        per_doc = [n for b in blocks for n in b.sentences.tolist()]
        term_rows = [b.term_rows for b in blocks]
        term_ids = [b.term_ids for b in blocks]
        term_counts = [b.term_counts for b in blocks]
        counts_per_doc = np.asarray(per_doc, dtype=np.int64)
        lengths = np.concatenate([np.zeros(0, dtype=np.int64), *(b.lengths for b in blocks)])
        unit_doc = np.repeat(np.arange(len(per_doc), dtype=np.int64), counts_per_doc)
        unit_sent = np.arange(len(unit_doc), dtype=np.int64) - np.repeat(
            np.cumsum(counts_per_doc) - counts_per_doc, counts_per_doc
        )
        indptr = np.concatenate([[0], np.cumsum(np.concatenate([[], *term_rows]))]).astype(np.int64)
        indices = np.concatenate([np.zeros(0, dtype=_I4), *term_ids]).astype(np.int64)
        # terms are numbered as documents first use them: those of this corpus' documents
        # are the first ones, whatever another process added since
        used = int(indices.max()) + 1 if indices.size else 0
        if len(per_doc) != self.count or used > len(self.terms.items) or indptr[-1] != indices.size:
            raise CorpusError(f"{self.path} is damaged (its index is incomplete); {_RESTORE}")
        counts = sparse.csr_matrix(
            (np.concatenate([[], *term_counts]).astype(np.float64), indices, indptr),
            shape=(len(unit_doc), used),
        )
        vocab = {term: n for n, term in enumerate(self.terms.items[:used])}
        ids = tuple(self.ids_in_file())
        return SentenceArrays(
            ids,
            unit_doc,
            unit_sent,
            lengths,
            np.concatenate([np.zeros(0, dtype=_I8), *(b.hashes for b in blocks)]).astype(np.int64),
            counts,
            vocab,
        )

    def _reconnect(self) -> None:
        """A process forked from the one that opened the file opens its own connection."""
        if self.pid != os.getpid():
            self.db = _connect(self.path)
            self.pid = os.getpid()

    def __getstate__(self) -> dict[str, Any]:
        raise TypeError("a SQLiteStorage holds an open file; pickle its path instead")

    def close(self) -> None:
        """Close the file (the corpus stays usable in memory, detached from it)."""
        self.db.close()


class StoredDocuments(Sequence[AnalyzedDocument]):
    """The analysed documents of a corpus file, read when first needed and cached.

    A document read for a search builds its tokens at once, its sentences and quotations
    one by one as they are read (:class:`~quoteprov.search._index.LazySpans`): a query reads
    the few around its candidates.  Pickled as the file's path: a Dask worker or a
    forked process reads the file itself.

    Parameters
    ----------
    path : Path
        The corpus file.
    total : int
        How many documents this corpus holds (those at ``pos < total``).
    cache : int
        Analysed documents kept in memory.
    documents : sequence of Document, optional
        The corpus' documents in file order, when this process holds them: their text and
        metadata are then not read again.
    """

    def __init__(
        self,
        path: Path,
        total: int,
        cache: int = CACHE_DOCUMENTS,
        documents: Sequence[Document] | None = None,
    ) -> None:
        self.path, self.total, self.size = path, total, cache
        self.documents = documents
        self._cache: OrderedDict[int, AnalyzedDocument] = OrderedDict()
        self._db: sqlite3.Connection | None = None
        self._pid = -1
        self._words: np.ndarray | None = None  # the word table, as Python objects

    def __reduce__(self) -> tuple[Any, ...]:
        return (StoredDocuments, (self.path, self.total, self.size))

    def __len__(self) -> int:
        return self.total

    def _connection(self) -> sqlite3.Connection:
        if self._db is None or self._pid != os.getpid():
            self._db = _connect(self.path)
            self._pid = os.getpid()
            words = self._db.execute("SELECT word FROM words ORDER BY id")
            self._words = np.array([sys.intern(w) for (w,) in words] or [""], dtype=object)
        return self._db

    def word_table(self) -> np.ndarray:
        """The file's words, numbered as the documents' words are: a document read from
        the file keeps its words as :class:`~quoteprov.text._normalize.NumberedWords` of this
        table, so the matcher encodes it from their numbers."""
        self._connection()
        assert self._words is not None
        return self._words

    def _select(self, where: str) -> str:
        """The query reading analysed documents: with their document rows unless held."""
        return (_READ_ANALYSIS if self.documents is not None else _READ) + " WHERE " + where

    def __getitem__(self, n: int) -> AnalyzedDocument:  # type: ignore[override]
        if not isinstance(n, int):
            raise TypeError("stored documents are read one at a time")
        if n < 0:
            n += self.total
        cached = self._cache.get(n)
        if cached is not None:
            self._cache.move_to_end(n)
            return cached
        if not 0 <= n < self.total:
            raise IndexError("document number out of range")
        with _reading(self.path):
            row = self._connection().execute(self._select("a.pos = ?"), (n,)).fetchone()
            if row is None:
                raise CorpusError(f"{self.path} is damaged (document {n} is missing); {_RESTORE}")
            analysed = self._build(row)
        self._keep(n, analysed)
        return analysed

    def fetch(self, numbers: Iterable[int]) -> None:
        """Read the documents ``numbers`` that are not in memory, in one query of the file
        (a trace reads its few dozen candidate documents at once, not one by one); no
        more than the cache holds, the rest are read when first used."""
        wanted = sorted({int(n) for n in numbers if n not in self._cache})[: self.size]
        if any(not 0 <= n < self.total for n in wanted):
            raise IndexError("document number out of range")
        for lo in range(0, len(wanted), FETCH_BATCH):
            batch = wanted[lo : lo + FETCH_BATCH]
            where = f"a.pos IN ({', '.join('?' * len(batch))})"
            with _reading(self.path):
                rows = self._connection().execute(self._select(where), batch).fetchall()
                if len(rows) != len(batch):
                    missing = sorted(set(batch) - {row[0] for row in rows})
                    raise CorpusError(
                        f"{self.path} is damaged (document {missing[0]} is missing); {_RESTORE}"
                    )
                for row in rows:
                    self._keep(row[0], self._build(row))

    def read_vectors(self, model: str, width: int) -> dict[int, np.ndarray]:
        """The sentence vectors of ``model`` kept for this corpus' documents, by document
        number: one row of ``width`` per sentence (float32 from half precision).  A row
        that does not hold whole, finite rows is left out: its document is encoded again
        and the row overwritten."""
        out: dict[int, np.ndarray] = {}
        with _reading(self.path):
            db = self._connection()
            if not _has_vectors(db):
                return out  # a file that has not kept any yet (schema 2)
            rows = db.execute(
                "SELECT pos, data FROM vectors WHERE model = ? AND pos < ?", (model, self.total)
            )
            for pos, data in rows:
                if not isinstance(data, bytes) or len(data) % (_F2.itemsize * width):
                    continue
                block = np.frombuffer(data, dtype=_F2)
                if np.isfinite(block).all():
                    out[int(pos)] = block.reshape(-1, width).astype(np.float32)
        return out

    def write_vectors(self, model: str, blocks: dict[int, np.ndarray], ids: Sequence[str]) -> bool:
        """Keep the sentence vectors ``blocks`` (by document number) in the file, in half
        precision, :data:`VECTORS_BATCH` documents per transaction, in place of any other
        model's; a block holding a number that is not finite is not kept.

        A cache, kept by a search: the answer is False, and what is not written yet is
        left out, when the file cannot take them within :data:`VECTORS_BUSY_SECONDS`
        (read-only, another process writing, or reading as a transaction commits), or
        when it is no longer the corpus they were computed for: ``ids`` are the ids of
        that corpus' documents by number, checked against the file's in each
        transaction (a file replaced since, or saved again, is left alone).  Its own
        connection, closed at the end, rolls back whatever is unfinished (an interrupt
        included), so no lock outlives the call.  The first vectors kept in a schema 2
        file add the table, which makes it schema 3.
        """
        items = [(pos, b) for pos, b in sorted(blocks.items()) if np.isfinite(b).all()]
        try:
            db = _connect(self.path, VECTORS_BUSY_SECONDS, create=False)
        except CorpusError:
            return False
        try:
            for lo in range(0, len(items), VECTORS_BATCH):
                batch = items[lo : lo + VECTORS_BATCH]
                db.execute("BEGIN IMMEDIATE")
                others = _other_models(db, model)  # their rows are replaced by these
                where = f"pos IN ({', '.join('?' * len(batch))})"
                found = dict(
                    db.execute(
                        f"SELECT pos, id FROM documents WHERE {where}", [p for p, _ in batch]
                    )
                )
                if any(
                    pos >= len(ids) or _from_sql(found.get(pos)) != ids[pos] for pos, _ in batch
                ):
                    db.execute("ROLLBACK")
                    return False  # not the corpus these vectors belong to
                if not _has_vectors(db):
                    db.execute(_VECTORS)
                    db.executemany(
                        "UPDATE meta SET value = ? WHERE key = ?",
                        [(str(SCHEMA_VERSION), "schema"), (_quoteprov_version(), "quoteprov")],
                    )
                db.executemany(
                    "DELETE FROM vectors WHERE model = ? AND pos = ?",
                    [(other, pos) for other in others for pos, _ in batch],
                )
                db.executemany(
                    "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                    [(model, pos, b.astype(_F2).tobytes()) for pos, b in batch],
                )
                db.execute("COMMIT")
        except sqlite3.OperationalError:
            return False
        except sqlite3.DatabaseError as exc:
            raise CorpusError(f"cannot keep vectors in {self.path} ({exc}); {_RESTORE}") from exc
        finally:
            db.close()
        return True

    def __iter__(self) -> Iterator[AnalyzedDocument]:
        with _reading(self.path):  # a damaged page may be read by the query itself
            rows = self._connection().execute(
                self._select("a.pos < ? ORDER BY a.pos"), (self.total,)
            )
        for row in _read_rows(self.path, rows):
            n = row[0]
            cached = self._cache.get(n)
            if cached is not None:
                yield cached
                continue
            with _reading(self.path):
                analysed = self._build(row)
            yield analysed

    def preload(self, progress: bool | None = None) -> None:
        """Read every document into memory (for a whole-corpus job such as build_graph)."""
        if len(self._cache) >= self.total:
            return
        self.size = max(self.size, self.total)
        show = show_progress(progress, self.total // 1000)
        with _reading(self.path):  # a damaged page may be read by the query itself
            rows = self._connection().execute(
                self._select("a.pos < ? ORDER BY a.pos"), (self.total,)
            )
        for row in progress_bar(
            _read_rows(self.path, rows), total=self.total, desc="loading", show=show
        ):
            if row[0] not in self._cache:
                with _reading(self.path):
                    self._cache[row[0]] = self._build(row)

    def _keep(self, n: int, analysed: AnalyzedDocument) -> None:
        self._cache[n] = analysed
        while len(self._cache) > self.size:
            self._cache.popitem(last=False)

    def _build(self, row: tuple[Any, ...]) -> AnalyzedDocument:
        """A document from its row (see ``_READ``); errors of a damaged file are the
        caller's to translate.

        Its arrays become tuples and ``array`` objects, not lists: a trace reads dozens of
        documents and keeps them cached, and the garbage collector then stops tracking
        the tuples (a full collection traverses every tracked object of the process).
        The quotations' bounds and parts are read from their arrays; their JSON is parsed
        only when a quotation is built (a trace builds those of its matches).
        """
        pos, starts, ends, words, spans, quotes, quote_bounds, quote_parts = row[:8]
        self._connection()
        assert self._words is not None
        doc = self.documents[pos] if self.documents is not None else _document(row[8:])
        ids = np.frombuffer(words, _I4)
        tokens = Tokens(_ints(starts), _ints(ends), NumberedWords(self._words, ids))
        table = np.frombuffer(spans, dtype=_I4).reshape(-1, 4)
        sentence_starts, sentence_ends = tuple(table[:, 0].tolist()), tuple(table[:, 1].tolist())
        bounds = np.frombuffer(quote_bounds, dtype=_I4).reshape(-1, 2)
        parts = np.frombuffer(quote_parts, dtype=_I4).reshape(-1, 3)  # quotation, start, end
        first = np.searchsorted(parts[:, 0], np.arange(len(bounds) + 1))
        _check_tokens(len(doc.text), len(ids), starts, ends)
        _check_spans(len(doc.text), len(ids), table, bounds, parts, first)
        return AnalyzedDocument(
            doc=doc,
            tokens=tokens,
            sentences=LazySpans(
                sentence_starts,
                sentence_ends,
                functools.partial(_sentence, doc.text, sentence_starts, sentence_ends),
            ),
            quotes=LazySpans(
                tuple(bounds[:, 0].tolist()),
                tuple(bounds[:, 1].tolist()),
                _StoredQuotes(self.path, quotes),
            ),
            token_starts=tokens.starts,
            sentence_tokens=SpanPairs(tuple(table[:, 2].tolist()), tuple(table[:, 3].tolist())),
            memo=DocumentMemo(
                quote_parts=(
                    tuple(first.tolist()),
                    tuple(parts[:, 1].tolist()),
                    tuple(parts[:, 2].tolist()),
                ),
            ),
        )


def _check_tokens(length: int, words: int, starts: bytes, ends: bytes) -> None:
    """Raise ValueError unless a stored document's tokens fit its text of ``length``
    characters: one start and one end for each of its ``words`` words, in order.

    >>> one = np.array([0], dtype=_I4).tobytes()
    >>> _check_tokens(5, 1, one, np.array([3], dtype=_I4).tobytes())
    >>> _check_tokens(5, 1, one, np.array([-9], dtype=_I4).tobytes())
    Traceback (most recent call last):
    ValueError: a token span outside its document
    """
    a, b = np.frombuffer(starts, dtype=_I4), np.frombuffer(ends, dtype=_I4)
    if len(a) != words or len(b) != words:
        raise ValueError("token offsets and words differ in number")
    if words and (a.min() < 0 or b.max() > length or np.any(a > b)):
        raise ValueError("a token span outside its document")


def _check_spans(
    length: int,
    words: int,
    sentences: np.ndarray,
    bounds: np.ndarray,
    parts: np.ndarray,
    first: np.ndarray,
) -> None:
    """Raise ValueError unless a stored document's spans fit its text of ``length``
    characters and ``words`` tokens: sentences ``(start, end, first token, end token)``,
    quotations ``(start, end)`` and their parts ``(quotation, start, end)``, sorted by
    quotation, each quotation with one part at least (``first``: where each one's begin).

    A damaged file must be refused when it is read, never yield spans that slice the
    wrong text or a quotation without parts.

    >>> table = np.array([[0, 5, 0, 1]]); no = np.zeros((0, 2), dtype=np.int64)
    >>> _check_spans(5, 1, table, no, np.zeros((0, 3)), np.array([0]))
    >>> _check_spans(5, 1, table, np.array([[0, 5]]), np.zeros((0, 3)), np.array([0, 0]))
    Traceback (most recent call last):
    ValueError: a quotation without parts
    """
    for name, spans, limit in (
        ("sentence", sentences[:, :2], length),
        ("sentence's words", sentences[:, 2:], words),
        ("quotation", bounds, length),
        ("quotation part", parts[:, 1:], length),
    ):
        if spans.size and (
            spans.min() < 0 or spans.max() > limit or np.any(spans[:, 0] > spans[:, 1])
        ):
            raise ValueError(f"a {name} span outside its document")
    quotations = parts[:, 0]
    if parts.size and (quotations[0] < 0 or np.any(np.diff(quotations) < 0)):
        raise ValueError("quotation parts out of order")
    if np.any(np.diff(first) < 1) or first[-1] != len(parts):
        raise ValueError("a quotation without parts")


class _StoredQuotes:
    """Builds a stored document's quotations from their JSON, parsed when first needed."""

    __slots__ = ("data", "path", "text")

    def __init__(self, path: Path, text: str | bytes) -> None:
        self.path, self.text = path, text
        self.data: list[dict[str, Any]] | None = None

    def __call__(self, k: int) -> Quote:
        with _reading(self.path):  # read after the row: a damaged one raises here
            if self.data is None:
                self.data = json.loads(_from_sql(self.text))
            return _quote_from(self.data[k])


def _sentence(text: str, starts: Sequence[int], ends: Sequence[int], k: int) -> Sentence:
    """Sentence ``k`` of a stored document's ``text``, from its sentences' bounds."""
    a, b = starts[k], ends[k]
    return Sentence.model_construct(start=a, end=b, text=text[a:b], index=k)


_READ_DOCUMENT = "SELECT id, text, title, source, url, published, metadata FROM documents"
# the analysis of documents, then (_READ only) the document row
_READ_ANALYSIS = (
    "SELECT a.pos, a.token_starts, a.token_ends, a.token_words, a.sentences, a.quotes, "
    "a.quote_bounds, a.quote_parts FROM analysis a"
)
_READ = (
    "SELECT a.pos, a.token_starts, a.token_ends, a.token_words, a.sentences, a.quotes, "
    "a.quote_bounds, a.quote_parts, "
    "d.id, d.text, d.title, d.source, d.url, d.published, d.metadata "
    "FROM analysis a JOIN documents d ON d.pos = a.pos"
)


def _other_models(db: sqlite3.Connection, model: str) -> list[str]:
    """The models other than ``model`` a file keeps vectors of, found through the primary
    key: a test of ``model != ?`` per document scanned the whole table, which made
    keeping the vectors of 100,000 documents quadratic."""
    if not _has_vectors(db):
        return []
    rows = db.execute(
        "SELECT DISTINCT model FROM vectors WHERE model < ?1 "
        "UNION SELECT DISTINCT model FROM vectors WHERE model > ?1",
        (model,),
    )
    return [m for (m,) in rows]


def _has_vectors(db: sqlite3.Connection) -> bool:
    found = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'vectors'")
    return found.fetchone() is not None


def _ints(blob: bytes) -> array[int]:
    """The stored little-endian 4-byte integers of ``blob``, copied once."""
    values = array("i")
    if values.itemsize != 4:  # not on any platform CPython supports today
        values = array("q", np.frombuffer(blob, dtype=_I4).tolist())
        return values
    values.frombytes(blob)
    if sys.byteorder == "big":
        values.byteswap()
    return values


def _connect(path: Path, busy: float = BUSY_SECONDS, create: bool = True) -> sqlite3.Connection:
    try:
        # transactions are explicit; a writer waits up to ``busy`` s for another one
        target, uri = (
            (path, False) if create else (Path(path).resolve().as_uri() + "?mode=rw", True)
        )
        db = sqlite3.connect(target, isolation_level=None, timeout=busy, uri=uri)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA trusted_schema = OFF")  # nothing in the file runs as code
    except sqlite3.Error as exc:
        raise CorpusError(f"cannot open {path}: {exc}") from exc
    return db


_RESTORE = "restore it from a backup, or save the corpus again from its documents"
# every object a corpus file holds (tables and the indexes of their UNIQUE columns)
_OBJECTS = frozenset(
    {
        ("table", "meta"),
        ("table", "documents"),
        ("table", "words"),
        ("table", "terms"),
        ("table", "analysis"),
        ("index", "sqlite_autoindex_meta_1"),
        ("index", "sqlite_autoindex_documents_1"),
        ("index", "sqlite_autoindex_words_1"),
        ("index", "sqlite_autoindex_terms_1"),
        ("table", "vectors"),
        ("index", "sqlite_autoindex_vectors_1"),
    }
)
_OBJECTS_2 = _OBJECTS - {("table", "vectors"), ("index", "sqlite_autoindex_vectors_1")}


def _checked_meta(path: Path, db: sqlite3.Connection) -> dict[str, str]:
    """The file's ``meta`` table, once the file is known to be a corpus this version reads.

    Refuses, with what to do: a file that is not SQLite or is damaged, an SQLite file of
    another kind (other tables, or any trigger or view: nothing in a file is run), and a
    corpus of a schema newer than ``SCHEMA_VERSION`` or older than ``BASE_SCHEMA`` and
    not in ``READABLE_SCHEMAS``.  A corpus of a readable older schema or analysed by
    other rules is read and analysed again (see ``open``); one of ``BASE_SCHEMA`` (as
    saved) or ``SCHEMA_VERSION`` (vectors kept since) is opened as it is.
    """
    foreign = (
        f"{path} is not a quoteprov corpus file; open a file written by Corpus.save, or "
        "build the corpus from its documents (Corpus.from_directory, from_jsonl)"
    )
    try:
        objects = set(db.execute("SELECT type, name FROM sqlite_master").fetchall())
        # a newer schema may add tables: its meta is read (no trigger or view: nothing
        # runs), so that it is refused as newer, not as foreign
        if not objects >= _OBJECTS_2 or {t for t, _ in objects} - {"table", "index"}:
            raise CorpusError(foreign)
        meta = {str(k): str(v) for k, v in db.execute("SELECT key, value FROM meta")}
    except sqlite3.DatabaseError as exc:
        raise CorpusError(f"{path} is damaged or not a corpus file ({exc}); {_RESTORE}") from exc
    written_by = meta.get("quoteprov", "an unknown version")
    schema = meta.get("schema", "")
    if not (schema.isascii() and schema.isdigit()) or "analysis" not in meta:
        raise CorpusError(foreign)
    if int(schema) > SCHEMA_VERSION:
        raise CorpusError(
            f"{path} was written by quoteprov {written_by} (corpus schema {schema}); this "
            f"quoteprov ({_quoteprov_version()}) reads schema {SCHEMA_VERSION}: upgrade "
            "quoteprov to open it"
        )
    if int(schema) < BASE_SCHEMA and int(schema) not in READABLE_SCHEMAS:
        raise CorpusError(
            f"{path} was written by quoteprov {written_by} (corpus schema {schema}); this "
            f"quoteprov reads schema {SCHEMA_VERSION}: open it with that version and save "
            "its documents, or build the corpus again from them"
        )
    if objects != (_OBJECTS if int(schema) == SCHEMA_VERSION else _OBJECTS_2):
        raise CorpusError(foreign)  # other tables, or vectors in a file of another schema
    return meta


@contextlib.contextmanager
def _reading(path: Path, db: sqlite3.Connection | None = None) -> Iterator[None]:
    """Translate what a damaged file raises while it is read into one CorpusError."""
    try:
        yield
    except CorpusError:
        raise
    except (sqlite3.DatabaseError, ValueError, TypeError, IndexError, KeyError) as exc:
        if db is not None:
            db.close()
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            raise CorpusError(
                f"{path} is locked by another process ({exc}); try again when it is done"
            ) from exc
        raise CorpusError(f"{path} is damaged ({type(exc).__name__}: {exc}); {_RESTORE}") from exc


def _read_rows(path: Path, rows: Iterable[Any]) -> Iterator[Any]:
    """The rows of a cursor, with errors of a damaged file translated as in _reading."""
    with _reading(path):
        yield from rows


def _sql_text(value: str | None) -> str | bytes | None:
    """``value`` for a TEXT column; text holding lone surrogates (from a decoding with
    ``errors="surrogateescape"``, or a JSON escape) goes in as its UTF-8 bytes with them
    kept (``surrogatepass``), since SQLite text must be valid UTF-8."""
    if value is None:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass")
    return value


def _from_sql(value: Any) -> Any:
    return value.decode("utf-8", "surrogatepass") if isinstance(value, bytes) else value


def _document(row: Sequence[Any]) -> Document:
    """A document from its row: id, text, title, source, url, published, metadata."""
    doc_id, text, title, source, url, published, metadata = map(_from_sql, row)
    return Document(
        id=doc_id,
        text=text,
        title=title,
        source=source,
        url=url,
        published=published,
        metadata=json.loads(metadata),
    )
