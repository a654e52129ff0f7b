"""Candidate generation: which sentences are worth aligning against a query.

Every document is analysed once (word tokens, sentences, quotations) and each sentence
becomes a row of a sparse TF-IDF matrix over content-word stems (SciPy CSR).  A query is
one sparse row; its cosine with every sentence is one sparse product, so a query or a whole
corpus is never compared all-pairs with the expensive aligner: only the top candidates are.

>>> from quoteprov.corpus._corpus import Corpus
>>> from quoteprov._models import Document
>>> from quoteprov.text._normalize import tokenize
>>> corpus = Corpus([Document(id="a", text="The cat sat on the mat. Dogs bark loudly.")])
>>> index = CorpusIndex.from_storage(corpus.storage)
>>> [(index.docs[d].doc.id, s) for d, s, _ in index.candidates(tokenize("cats sat"))]
[('a', 0)]
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from .._errors import CorpusError
from .._settings import GRAPH
from ..corpus._corpus import Corpus
from ..corpus._storage import (
    AnalyzedDocuments,
    AnalyzedList,
    SentenceArrays,
    Storage,
    count_matrix,
    sentence_arrays,
)
from ..corpus._store import SQLiteStorage
from ..text._analysis import AnalyzedDocument, content_terms, stem
from ..text._lexicon import STOPWORDS
from ..text._normalize import Token
from ._mapped import MappedIndex, idf_of, open_mapped, read_mapped, weigh_entries, write_mapped
from ._symbols import Symbols, is_full

__all__ = [
    "CorpusIndex",
    "distinct",
]


def _mix(columns: np.ndarray) -> np.ndarray:
    """A 64-bit hash (as int64) of each column of an integer array, its rows mixed in order.

    >>> keys = _mix(np.array([[1, 1, 2], [2, 2, 1]]))
    >>> bool(keys[0] == keys[1]), bool(keys[0] == keys[2])
    (True, False)
    """
    mixed = np.zeros(columns.shape[1], dtype=np.uint64)
    for values in columns:
        mixed = (mixed ^ values.astype(np.uint64)) * np.uint64(0x9E3779B97F4A7C15)
        mixed ^= mixed >> np.uint64(29)
    return mixed.astype(np.int64)


def distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of an array (flattened): ``np.unique`` without its overhead (a
    sort and a comparison; NumPy 2's ``unique`` takes ten times longer on the few
    thousand values of a query's candidates).

    >>> distinct(np.asarray([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    ordered = np.sort(values, axis=None)
    if ordered.size == 0:
        return ordered
    keep = np.empty(ordered.size, dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


# reuse key spaces: a sentence's words' hash from 2**62, a pair of terms from 2**61, a triple
# of terms below
_HASH_KEY = 1 << 62
_PAIR_KEY = 1 << 61


class CorpusIndex:
    """Analysed documents plus a TF-IDF sentence matrix for candidate generation."""

    mapped: Path | None  # the folder of the arrays when they are mapped from disk

    def __init__(self, documents: Sequence[AnalyzedDocument]) -> None:
        docs = documents if isinstance(documents, AnalyzedDocuments) else AnalyzedList(documents)
        self._setup(docs, sentence_arrays(docs))

    @classmethod
    def from_arrays(cls, docs: AnalyzedDocuments, arrays: SentenceArrays) -> CorpusIndex:
        """An index from a storage's parts (see :mod:`quoteprov.corpus._storage`): nothing
        is re-analysed.

        ``docs`` may be lazy (documents analysed or loaded when first read); the arrays'
        ``counts`` hold each sentence's term counts, entries sorted by term within a row.
        """
        index = cls.__new__(cls)
        index._setup(docs, arrays)
        return index

    @classmethod
    def from_storage(cls, storage: Storage, *, progress: bool | None = None) -> CorpusIndex:
        """The index of what ``storage`` holds: its analysed documents and their arrays
        (analysed now for a corpus in memory, when not done before; read for a file).

        ``progress`` shows a bar while the documents are analysed (by default when there
        are many and someone watches: see :func:`quoteprov._parallel.show_progress`).
        """
        if isinstance(storage, SQLiteStorage) and storage.lazy:
            return cls.from_mapped(storage, progress=progress)
        docs = storage.analysis(progress)
        return cls.from_arrays(docs, storage.arrays(progress))

    @classmethod
    def from_mapped(cls, storage: SQLiteStorage, *, progress: bool | None = None) -> CorpusIndex:
        """The index of a corpus file kept on disk beside it and memory-mapped
        (:mod:`quoteprov.search._mapped`), built first when it is missing or indexes
        another state of the file: the same numbers as :meth:`from_storage` reads into
        memory, with the pages a search touches read when it touches them.
        """
        ids = list(storage.ids)
        mapped = open_mapped(storage, ids)
        if mapped is None:
            write_mapped(storage, ids, progress)
            mapped = open_mapped(storage, ids)
            if mapped is None:
                raise CorpusError(
                    f"the index written beside {storage.path} cannot be read back; open "
                    "the corpus without lazy=True"
                )
        index = cls.__new__(cls)
        index.docs = storage.analysis(progress)
        index.by_id = {doc_id: n for n, doc_id in enumerate(ids)}
        terms = mapped.matrix.shape[1]
        index.vocab = {term: n for n, term in enumerate(storage.terms.items[:terms])}
        index._map(mapped)
        return index

    def _map(self, mapped: MappedIndex) -> None:
        """Take the arrays of a mapped index (see :meth:`from_mapped`)."""
        self.mapped = mapped.folder
        self.unit_doc, self.unit_sent = mapped.unit_doc, mapped.unit_sent
        self.unit_len, self.unit_hash = mapped.unit_len, mapped.unit_hash
        self.unit_words: np.ndarray | None = mapped.unit_words
        self.words: np.ndarray | None = mapped.words
        self.df = mapped.df
        self.idf = idf_of(mapped.df, mapped.matrix.shape[0])
        self.matrix = mapped.matrix
        self._reset(mapped.postings, np.asarray(mapped.doc_starts, dtype=np.int64))

    @classmethod
    def for_corpus(cls, corpus: Corpus, *, progress: bool | None = None) -> CorpusIndex:
        """A new index of ``corpus`` (:meth:`from_storage` of its storage, which keeps the
        analysis); a :class:`~quoteprov.Tracer` keeps one while the corpus is unchanged."""
        return cls.from_storage(corpus.storage, progress=progress)

    def _setup(self, docs: AnalyzedDocuments, arrays: SentenceArrays) -> None:
        self.docs = docs
        self.by_id = {doc_id: n for n, doc_id in enumerate(arrays.ids)}
        self.unit_doc, self.unit_sent = arrays.unit_doc, arrays.unit_sent
        self.unit_len, self.unit_hash = arrays.unit_len, arrays.unit_hash
        self.vocab = arrays.vocab
        counts = arrays.counts
        # how many sentences hold each term (the posting lists' lengths)
        self.df = np.bincount(counts.indices, minlength=len(self.vocab))
        self.idf = idf_of(self.df, counts.shape[0])
        self.matrix = self.weigh(counts)
        self.mapped = None
        self.unit_words, self.words = None, None
        self._reset()

    def _reset(
        self, postings: sparse.csr_matrix | None = None, doc_starts: np.ndarray | None = None
    ) -> None:
        """Forget what is derived from the arrays and built on first use."""
        self._postings: sparse.csr_matrix | None = postings
        self._bigrams: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._by_hash: tuple[np.ndarray, np.ndarray] | None = None
        self._doc_starts: np.ndarray | None = doc_starts
        self._symbols: Symbols | None = None

    def count_matrix(self, rows: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        """Term counts of term lists, one row each, in this index's vocabulary."""
        return count_matrix(rows, self.vocab)

    def weigh(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        """TF-IDF rows of unit length from term counts (same entries, same order)."""
        weighted = counts.copy()
        row_of = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        weighted.data = weigh_entries(
            counts.data, counts.indices, row_of, counts.shape[0], self.idf
        )
        return weighted

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without what is derived or memoised (rebuilt on demand)."""
        state = dict(self.__dict__)
        state["_postings"] = None
        state["_bigrams"] = None
        state["_by_hash"] = None
        state["_doc_starts"] = None
        state["_symbols"] = None
        if self.mapped is not None:  # the arrays stay on disk: a worker maps them itself
            names = ("unit_doc", "unit_sent", "unit_len", "unit_hash", "unit_words", "words")
            for name in (*names, "df", "idf"):
                state[name] = None
            state["matrix"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        if self.mapped is not None:
            self._map(read_mapped(self.mapped))

    @property
    def symbols(self) -> Symbols:
        """The symbol table every query on this index shares, made on first use (from the
        corpus file's numbered words when the documents come from one) and replaced when
        full.  It numbers this index's documents' words, so it lives and dies with the
        index; a document's encoding is kept with the document for this table."""
        if self._symbols is None or is_full(self._symbols):
            self._symbols = Symbols(self.docs.word_table())
        return self._symbols

    @property
    def postings(self) -> sparse.csr_matrix:
        """The matrix transposed: one row per term, listing the sentences that hold it."""
        if self._postings is None:
            self._postings = self.matrix.T.tocsr()
        return self._postings

    @property
    def doc_starts(self) -> np.ndarray:
        """The first sentence row of each document, and the number of rows last: document
        ``d``'s rows are ``doc_starts[d]:doc_starts[d + 1]`` (computed once)."""
        if self._doc_starts is None:
            self._doc_starts = np.searchsorted(self.unit_doc, np.arange(len(self.docs) + 1))
        return self._doc_starts

    @property
    def bigrams(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Posting lists of content-word bigrams: ``(keys, starts, rows)``.

        A bigram is two content terms next to each other in a sentence once its stopwords
        are dropped, keyed ``first * len(vocab) + second`` (:meth:`bigram_keys`); ``keys``
        are sorted and distinct, and the sentence rows holding ``keys[k]`` are
        ``rows[starts[k]:starts[k + 1]]``, sorted.  Built on first use (every document is
        read once), in time and memory linear in the corpus.
        """
        if self._bigrams is None:
            self._bigrams = self._build_bigrams()
        return self._bigrams

    def _build_bigrams(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n_terms = len(self.vocab)
        ids_of: dict[str, int] = {}  # word -> its stem's term id, -1 for a stopword
        firsts = self.doc_starts
        keys: list[np.ndarray] = []
        rows: list[np.ndarray] = []
        for d, adoc in enumerate(self.docs):
            if not adoc.sentence_tokens:
                continue
            words = adoc.tokens.words()
            for w in set(words).difference(ids_of):
                ids_of[w] = -1 if w in STOPWORDS else self.vocab.get(stem(w), -1)
            ids = np.fromiter(map(ids_of.__getitem__, words), dtype=np.int64, count=len(words))
            bounds = np.asarray(adoc.sentence_tokens, dtype=np.int64)
            lengths = bounds[:, 1] - bounds[:, 0]
            offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
            at = np.repeat(bounds[:, 0], lengths) + offsets  # the sentences' tokens, in order
            sentence = np.repeat(np.arange(len(bounds)), lengths)
            content = ids[at] >= 0
            term, sentence = ids[at][content], sentence[content]
            same = sentence[1:] == sentence[:-1]
            keys.append(term[:-1][same] * n_terms + term[1:][same])
            rows.append(sentence[:-1][same] + int(firsts[d]))
        key = np.concatenate([np.zeros(0, dtype=np.int64), *keys])
        row = np.concatenate([np.zeros(0, dtype=np.int64), *rows])
        order = np.lexsort((row, key))
        key, row = key[order], row[order]
        # key[:1] == key[:1] is [True], or [] when no sentence holds two content terms
        distinct = np.r_[key[:1] == key[:1], (key[1:] != key[:-1]) | (row[1:] != row[:-1])]
        key, row = key[distinct], row[distinct]
        first = np.flatnonzero(np.r_[key[:1] == key[:1], key[1:] != key[:-1]])
        return key[first], np.r_[first, key.size].astype(np.int64), row

    def region_codes(self, rows: np.ndarray, words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Where the regions of sentence ``rows`` hold one of ``words``, in text order.

        A row's region is its sentence with one sentence each side in its document, as
        a search aligns it.  For each word of a region that is one of ``words``: the
        region's number in ``rows`` and ``1 +`` the word's number in ``words``, regions
        in order.  A mapped index reads the regions' words from its arrays; otherwise
        each row's document is read.

        >>> from quoteprov.text._analysis import analyze
        >>> from quoteprov._models import Document
        >>> index = CorpusIndex([analyze(Document(id="a", text="We win. They lose. We rest."))])
        >>> which, codes = index.region_codes(np.array([0, 2]), ["we", "lose"])
        >>> which.tolist(), codes.tolist()
        ([0, 0, 1, 1], [1, 2, 2, 1])
        """
        rows = np.asarray(rows, dtype=np.int64)
        doc = np.asarray(self.unit_doc[rows], dtype=np.int64)
        first = np.maximum(rows - 1, self.doc_starts[doc])
        last = np.minimum(rows + 1, self.doc_starts[doc + 1] - 1)
        symbols = self.symbols if self.words is not None else None
        mapped_words = self.words
        if (
            symbols is not None
            and symbols.numbered is not None
            and mapped_words is not None
            and self.unit_words is not None
        ):
            # the symbol table numbers the file's words (word k is symbol 0x10000 + k);
            # words it numbered later are in no document of the file
            table, numbered = symbols.table, len(symbols.numbered)
            known = sorted(
                (n, k + 1)
                for k, w in enumerate(words)
                if w in table and (n := ord(table[w]) - 0x10000) < numbered
            )
            ids = np.asarray([i for i, _ in known], dtype=np.int64)
            code_of = np.asarray([c for _, c in known], dtype=np.int64)
            lo = np.asarray(self.unit_words[first], dtype=np.int64)
            size = np.asarray(self.unit_words[last] + self.unit_len[last], dtype=np.int64) - lo
            entry = np.arange(int(size.sum()), dtype=np.int64)
            entry += np.repeat(lo - (np.cumsum(size) - size), size)
            found = np.asarray(mapped_words[entry], dtype=np.int64)
            at = np.minimum(np.searchsorted(ids, found), max(ids.size - 1, 0))
            hit = ids[at] == found if ids.size else np.zeros(found.size, dtype=bool)
            which = np.repeat(np.arange(rows.size, dtype=np.int64), size)[hit]
            return which, code_of[at[hit]]
        code = {w: k + 1 for k, w in enumerate(words)}
        regions: list[int] = []
        codes: list[int] = []
        firsts, lasts = self.unit_sent[first].tolist(), self.unit_sent[last].tolist()
        for n, (d, a, b) in enumerate(zip(doc.tolist(), firsts, lasts, strict=True)):
            adoc = self.docs[d]
            t0, t1 = adoc.sentence_tokens[a][0], adoc.sentence_tokens[b][1]
            for w in adoc.tokens.norms[t0:t1]:
                c = code.get(w)
                if c is not None:
                    regions.append(n)
                    codes.append(c)
        return np.asarray(regions, dtype=np.int64), np.asarray(codes, dtype=np.int64)

    def bigram_keys(self, terms: Sequence[str]) -> np.ndarray:
        """The distinct bigram keys of a sequence of content terms (see :attr:`bigrams`);
        a term the index does not know ends a run."""
        ids = np.asarray([self.vocab.get(t, -1) for t in terms], dtype=np.int64)
        if ids.size < 2:
            return np.zeros(0, dtype=np.int64)
        ok = (ids[:-1] >= 0) & (ids[1:] >= 0)
        return distinct(ids[:-1][ok] * len(self.vocab) + ids[1:][ok])

    def rows_with_hash(self, value: int) -> np.ndarray:
        """The sentence rows whose words hash to ``value`` (see :func:`words_hash`)."""
        if self._by_hash is None:
            order = np.argsort(self.unit_hash, kind="stable")
            self._by_hash = order, self.unit_hash[order]
        order, hashes = self._by_hash
        lo = int(np.searchsorted(hashes, value, side="left"))
        hi = int(np.searchsorted(hashes, value, side="right"))
        return order[lo:hi]

    def weight(self, term: str) -> float:
        """The IDF weight of a content term (unknown terms weigh as the rarest)."""
        n = self.vocab.get(term)
        return float(self.idf[n]) if n is not None else math.log(1 + len(self.unit_doc)) + 1.0

    def vectorize(self, tokens: Sequence[Token]) -> sparse.csr_matrix:
        """The TF-IDF row of a token sequence, in this index's vocabulary."""
        return self.weigh(self.count_matrix([content_terms(tokens)]))

    def candidates(
        self, tokens: Sequence[Token], *, limit: int = 200, min_similarity: float = 0.05
    ) -> list[tuple[int, int, float]]:
        """``(doc number, sentence number, cosine)`` of the sentences nearest ``tokens``."""
        rows, sims = self.nearest(tokens, min_similarity=min_similarity, limit=limit)
        return [
            (int(self.unit_doc[u]), int(self.unit_sent[u]), float(sim))
            for u, sim in zip(rows, sims, strict=True)
        ]

    def nearest(
        self, tokens: Sequence[Token], *, min_similarity: float = 0.05, limit: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Sentence rows with cosine ``>= min_similarity`` to ``tokens`` and their cosines,
        most similar first (ties by row), at most ``limit`` of them.

        One sparse product with the posting lists of the query's terms: the work grows with
        how many sentences share a term with the query, not with the corpus.
        """
        empty = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        if not self.vocab or self.matrix.shape[0] == 0:
            return empty
        query = self.vectorize(tokens)
        if query.nnz == 0:
            return empty
        product = (query @ self.postings).tocsr()
        rows, sims = product.indices.astype(np.int64), product.data
        order = np.argsort(rows, kind="stable")
        rows, sims = rows[order], sims[order]
        keep = sims >= min_similarity
        rows, sims = rows[keep], sims[keep]
        if limit is not None and rows.size > limit:
            top = np.argpartition(-sims, limit)[:limit]
            rows, sims = rows[top], sims[top]
        order = np.lexsort((rows, -sims))
        return rows[order], sims[order]

    def overlap(self, rows: np.ndarray, terms: Mapping[str, int]) -> tuple[np.ndarray, np.ndarray]:
        """For each sentence row: how many of ``terms`` it holds, and an upper bound of the
        rarity-weighted overlap (``sum(count * weight)`` over the terms it holds)."""
        ids = np.asarray(sorted(self.vocab[t] for t in terms if t in self.vocab), dtype=np.int64)
        rows = np.asarray(rows, dtype=np.int64)
        if ids.size == 0 or rows.size == 0:
            return np.zeros(rows.size, dtype=np.int64), np.zeros(rows.size, dtype=np.float64)
        weights = np.asarray([0.0] * len(ids))
        by_id = {self.vocab[t]: n for t, n in terms.items() if t in self.vocab}
        for k, i in enumerate(ids):
            weights[k] = by_id[int(i)] * self.idf[i]
        starts = self.matrix.indptr[rows]
        lengths = self.matrix.indptr[rows + 1] - starts
        group = np.repeat(np.arange(rows.size), lengths)
        positions = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        held = self.matrix.indices[positions + np.repeat(starts, lengths)]
        slot = np.minimum(np.searchsorted(ids, held), ids.size - 1)
        hit = ids[slot] == held
        shared = np.bincount(group[hit], minlength=rows.size)
        weight = np.bincount(group[hit], weights=weights[slot[hit]], minlength=rows.size)
        return shared, weight

    def similar_sentence_pairs(
        self,
        *,
        min_similarity: float = GRAPH.sentence_similarity,
        docs: Sequence[int] | None = None,
        batch: int = 2048,
    ) -> Iterator[tuple[int, int, float]]:
        """Pairs of sentence rows ``(u, v)``, ``u < v``, in different documents, by cosine.

        ``docs`` restricts both sides to those documents.  One sparse product per batch of
        rows keeps memory bounded on large corpora.
        """
        for us, vs, sims in self.similar_pair_blocks(
            min_similarity=min_similarity, docs=docs, batch=batch
        ):
            for u, v, sim in zip(us, vs, sims, strict=True):
                yield int(u), int(v), float(sim)

    def similar_pair_blocks(
        self,
        *,
        min_similarity: float = GRAPH.sentence_similarity,
        docs: Sequence[int] | None = None,
        batch: int = 2048,
    ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """:meth:`similar_sentence_pairs` as arrays ``(u, v, cosine)``, one block of ``u`` at
        a time (blocks in row order, pairs sorted by ``u`` then ``v``)."""
        rows = np.arange(self.matrix.shape[0]) if docs is None else self.rows_of(docs)
        matrix = self.matrix[rows]
        transposed = matrix.T.tocsr()
        for lo in range(0, matrix.shape[0], batch):
            block = (matrix[lo : lo + batch] @ transposed).tocoo()
            us, vs = rows[block.row + lo], rows[block.col]
            keep = (block.data >= min_similarity) & (us < vs)
            keep &= self.unit_doc[us] != self.unit_doc[vs]
            us, vs, sims = us[keep], vs[keep], block.data[keep]
            order = np.lexsort((vs, us))
            yield us[order], vs[order], sims[order]

    def reuse_pair_blocks(
        self,
        *,
        min_similarity: float = GRAPH.sentence_similarity,
        min_words: int = GRAPH.min_sentence_words,
        min_pairs: int = 2,
        docs: Sequence[int] | None = None,
        rarest: int = GRAPH.rarest_terms,
        max_group: int = GRAPH.max_key_group,
        max_pair_group: int = GRAPH.max_pair_group,
        batch: int = 2048,
    ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Sentence pairs worth aligning for document reuse, without comparing all pairs.

        Two documents are compared only when ``min_pairs`` of their sentence pairs are
        similar (cosine ``>= min_similarity``) and share a *key*: the same words (a verbatim
        repeat), or three of each sentence's ``rarest`` rarest content terms (a light edit
        rarely touches most of them), or two of them where at most ``max_pair_group``
        sentences share that pair (a paraphrase may keep only two).  Keys shared by more
        than ``max_group`` sentences are stock phrases and ignored.  Within those
        document pairs every sentence pair (of ``min_words``+ words each) whose cosine
        reaches ``min_similarity`` is returned, as :meth:`similar_pair_blocks` would: arrays
        ``(u, v, cosine)`` with ``u < v``, sorted by ``u`` then ``v``.
        """
        pairs = self.candidate_document_pairs(
            min_similarity=min_similarity,
            min_words=min_words,
            min_pairs=min_pairs,
            docs=docs,
            rarest=rarest,
            max_group=max_group,
            max_pair_group=max_pair_group,
        )
        yield from self.document_pair_blocks(
            pairs, min_similarity=min_similarity, min_words=min_words, batch=batch
        )

    def document_pair_blocks(
        self,
        pairs: np.ndarray,
        *,
        min_similarity: float = GRAPH.sentence_similarity,
        min_words: int = GRAPH.min_sentence_words,
        batch: int = 2048,
    ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Sentence pairs of the document ``pairs`` (sorted ``(a, b)`` rows, ``a < b``) with
        cosine ``>= min_similarity`` and ``min_words``+ words each, as arrays
        ``(u, v, cosine)`` sorted by ``u`` then ``v``, in blocks."""
        if pairs.size == 0:
            return
        starts = self.doc_starts
        lefts, first = np.unique(pairs[:, 0], return_index=True)
        bounds = [*first.tolist(), len(pairs)]
        done = 0
        out_u: list[np.ndarray] = []
        out_v: list[np.ndarray] = []
        out_s: list[np.ndarray] = []
        for n, a in enumerate(lefts.tolist()):
            partners = pairs[bounds[n] : bounds[n + 1], 1]
            left = np.arange(starts[a], starts[a + 1])
            right = np.concatenate([np.arange(starts[b], starts[b + 1]) for b in partners])
            left = left[self.unit_len[left] >= min_words]
            right = right[self.unit_len[right] >= min_words]
            if left.size and right.size:
                block = (self.matrix[left] @ self.matrix[right].T).tocoo()
                keep = block.data >= min_similarity
                out_u.append(left[block.row[keep]])
                out_v.append(right[block.col[keep]])
                out_s.append(block.data[keep])
                done += int(keep.sum())
            if out_u and (done >= batch * 16 or n == len(lefts) - 1):
                us, vs, sims = np.concatenate(out_u), np.concatenate(out_v), np.concatenate(out_s)
                order = np.lexsort((vs, us))
                yield us[order], vs[order], sims[order]
                out_u, out_v, out_s, done = [], [], [], 0

    def candidate_document_pairs(
        self,
        *,
        min_similarity: float = GRAPH.sentence_similarity,
        min_words: int = GRAPH.min_sentence_words,
        min_pairs: int = 2,
        docs: Sequence[int] | None = None,
        rarest: int = GRAPH.rarest_terms,
        max_group: int = GRAPH.max_key_group,
        max_pair_group: int = GRAPH.max_pair_group,
        max_clique: int = GRAPH.max_clique_group,
        anchors: int = GRAPH.group_anchors,
        counts: Callable[[np.ndarray], np.ndarray] | None = None,
    ) -> np.ndarray:
        """Document pairs ``(a, b)``, ``a < b``, with ``min_pairs`` sentence pairs that share
        a key (see :meth:`reuse_pair_blocks`) and whose cosine reaches ``min_similarity``,
        sorted; an array of shape ``(n, 2)``.

        Only document pairs that ``min_pairs`` keyed sentence pairs already propose have
        their cosines computed: a chance match of one sentence, however many there are in
        a big corpus of common words, costs one entry and no sparse product.

        Within a key group of up to ``max_clique`` sentences every two of them pair up.  A
        bigger group (an agency story reprinted by hundreds of outlets) pairs each of its
        sentences with its ``anchors`` only: the sentences of the documents that hold the
        most of all such groups' sentences, the story itself first.  Only the rows for
        which ``counts(rows)`` is true take part there: a quotation every outlet prints
        tells nothing of which story a document reprints (nor does a document pair's
        reuse count it, see :func:`~quoteprov.provenance._reuse._derivations`).  The
        pairs then grow with the group and not with its square, and what two reprints
        share is known through the story they both hold (the star of :func:`_explained
        <quoteprov.provenance._reuse._explained>`) without aligning them.
        """
        empty = np.zeros((0, 2), dtype=np.int64)
        n_rows = self.matrix.shape[0]
        if docs is None:
            selected = np.flatnonzero(self.unit_len >= min_words)
        else:
            selected = self.rows_of(docs)
            selected = selected[self.unit_len[selected] >= min_words]
        key, key_row = self._reuse_keys(selected, rarest)
        # keys held by two to ``max_group`` sentences (a pair of terms: ``max_pair_group``),
        # each key's rows in row order
        order = np.lexsort((key_row, key))
        key, key_row = key[order], key_row[order]
        del order
        if key.size == 0:
            return empty
        first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        size = np.diff(np.r_[first, key.size])
        is_pair = (key[first] & ~(_PAIR_KEY - 1)) == _PAIR_KEY  # see _reuse_keys
        kept = (size >= 2) & (size <= np.where(is_pair, max_pair_group, max_group))
        hub = kept & (size > max(max_clique, anchors))
        hub_u, hub_v = self._anchored_pairs(
            key_row[np.repeat(hub, size)], size[hub], anchors, counts
        )
        small = kept & ~hub
        del kept, hub, is_pair
        kept = np.repeat(small, size)
        key, key_row = key[kept], key_row[kept]
        size = size[small]  # the kept groups, still in key order
        first = np.cumsum(size) - size
        del small, kept
        if key.size == 0 and hub_u.size == 0:
            return empty
        # only sentences of different documents pair up: within a group (rows sorted, so
        # documents too) each row pairs with the rows after its own document's run, which
        # costs the pairs made and not the square of a big document's share of the group
        group = np.repeat(np.arange(first.size), size)
        doc = self.unit_doc[key_row]
        new_run = np.r_[True, (key[1:] != key[:-1]) | (doc[1:] != doc[:-1])]
        run_end = np.r_[np.flatnonzero(new_run)[1:], key.size][np.cumsum(new_run) - 1]
        count = (first + size)[group] - run_end
        del key, doc, new_run, group
        left = np.repeat(np.arange(key_row.size), count)
        offsets = np.arange(left.size) - np.repeat(np.cumsum(count) - count, count)
        u = np.concatenate([key_row[left], hub_u])
        v = np.concatenate([key_row[np.repeat(run_end, count) + offsets], hub_v])
        del left, offsets, run_end, count, hub_u, hub_v
        if u.size == 0:
            return empty
        sentence_pairs = distinct(np.minimum(u, v) * n_rows + np.maximum(u, v))
        del u, v
        lo, hi = sentence_pairs // n_rows, sentence_pairs % n_rows
        del sentence_pairs
        n_docs = len(self.docs)
        # a document pair needs min_pairs keyed sentence pairs before any cosine is known
        doc_pair = self.unit_doc[lo] * n_docs + self.unit_doc[hi]
        _, inverse, count = np.unique(doc_pair, return_inverse=True, return_counts=True)
        keep = count[inverse.ravel()] >= min_pairs
        del inverse, count
        lo, hi, doc_pair = lo[keep], hi[keep], doc_pair[keep]
        similar = np.concatenate(
            [np.zeros(0, dtype=bool)]
            + [
                self.cosines(lo[k : k + 1_000_000], hi[k : k + 1_000_000]) >= min_similarity
                for k in range(0, lo.size, 1_000_000)
            ]
        )
        doc_pairs, count = np.unique(doc_pair[similar], return_counts=True)
        doc_pairs = doc_pairs[count >= min_pairs]
        return np.stack([doc_pairs // n_docs, doc_pairs % n_docs], axis=1)

    def _anchored_pairs(
        self,
        rows: np.ndarray,
        size: np.ndarray,
        anchors: int,
        counts: Callable[[np.ndarray], np.ndarray] | None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """The sentence pairs of big key groups: each row with its group's ``anchors``
        best rows, of other documents.  ``rows`` are the groups' rows one group after
        another, ``size`` their lengths; only the rows ``counts`` keeps take part.

        A document's rank is how many rows it has in all these groups: the story holds
        every sentence its reprints share, each reprint only its part.
        """
        group = np.repeat(np.arange(size.size), size)
        if counts is not None and rows.size:
            held_rows, at = np.unique(rows, return_inverse=True)
            keep = np.asarray(counts(held_rows), dtype=bool)[at.ravel()]
            rows, group = rows[keep], group[keep]
            size = np.bincount(group, minlength=size.size)
        if rows.size == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        doc = self.unit_doc[rows]
        held = np.bincount(doc, minlength=len(self.docs))
        order = np.lexsort((rows, -held[doc], group))  # per group, best documents first
        rows, doc = rows[order], doc[order]
        first = np.cumsum(size) - size
        us, vs = [], []
        for k in range(anchors):
            at = np.minimum(first + k, rows.size - 1)[group]
            keep = (k < size[group]) & (doc != doc[at])
            us.append(rows[at][keep])
            vs.append(rows[keep])
        return np.concatenate(us), np.concatenate(vs)

    def _reuse_keys(self, rows: np.ndarray, rarest: int) -> tuple[np.ndarray, np.ndarray]:
        """The reuse keys of sentence ``rows`` and the row holding each: ``(keys, rows)``.

        A sentence's keys are its words' hash (a verbatim repeat), one key for every three
        of its ``rarest`` rarest content terms and one for every two (none of a sentence
        with one content term: its cosine with any other holding that term is 1).  Pairs
        alone do not scale: in a big corpus of common words two terms co-occur by chance
        in sentences that share nothing else, so their key groups grow with the corpus
        and the sentence pairs within them with its square; the caller keeps a pair's
        group only while it is small, and triples carry the rest.  Each kind of key has
        its own range (``_HASH_KEY``, ``_PAIR_KEY``, below).
        """
        sub = self.matrix[rows]
        lengths = np.diff(sub.indptr)
        owner = np.repeat(np.arange(rows.size), lengths)
        order = np.lexsort((sub.indices, self.df[sub.indices], owner))  # per row, rarest first
        terms = sub.indices[order].astype(np.int64)
        rank = np.arange(sub.nnz) - np.repeat(sub.indptr[:-1], lengths)
        del sub, order
        chosen = np.full((rarest, rows.size), -1, dtype=np.int64)
        at = rank < rarest
        chosen[rank[at], owner[at]] = terms[at]
        del terms, rank, owner, at
        keys = [self.unit_hash[rows] | _HASH_KEY]  # verbatim repeats (disjoint key space)
        key_rows = [rows]
        held = np.minimum(lengths, rarest)
        for size, space in ((2, _PAIR_KEY), (3, 0)):
            for combo in itertools.combinations(range(rarest), size):
                ok = held > combo[-1]
                picked = chosen[list(combo)][:, ok]
                keys.append(_mix(np.sort(picked, axis=0)) & (_PAIR_KEY - 1) | space)
                key_rows.append(rows[ok])
        return np.concatenate(keys), np.concatenate(key_rows)

    def cosines(self, us: np.ndarray, vs: np.ndarray) -> np.ndarray:
        """The cosine of each sentence row pair ``(us[k], vs[k])``."""
        if us.size == 0:
            return np.zeros(0, dtype=np.float64)
        return np.asarray(self.matrix[us].multiply(self.matrix[vs]).sum(axis=1)).ravel()

    def rows_of(self, docs: Sequence[int]) -> np.ndarray:
        """The sentence rows of documents ``docs``, in row order.

        Rows are grouped by document in corpus order, so each document's rows are found
        by bisection: the cost grows with the documents asked, not with the corpus (a
        trace asks it of a few documents of a big corpus).

        >>> from quoteprov.corpus._corpus import Corpus
        >>> from quoteprov._models import Document
        >>> docs = [Document(id=str(k), text="One. Two. Three."[: 4 + 5 * k]) for k in range(3)]
        >>> CorpusIndex.for_corpus(Corpus(docs)).rows_of([2, 0]).tolist()
        [0, 3, 4, 5]
        """
        wanted = distinct(np.asarray(list(docs), dtype=np.int64))
        lo = np.searchsorted(self.unit_doc, wanted, side="left")
        lengths = np.searchsorted(self.unit_doc, wanted, side="right") - lo
        before = np.cumsum(lengths) - lengths
        rows: np.ndarray = np.arange(int(lengths.sum()), dtype=np.int64)
        rows += np.repeat(lo - before, lengths)
        return rows

    def unit(self, doc: int, sentence: int) -> int:
        """The row number of a document's sentence."""
        first = int(np.searchsorted(self.unit_doc, doc))
        return first + sentence
