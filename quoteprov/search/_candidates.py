"""Which sentences of the corpus are worth aligning against a query.

The candidate rows of a query (or of many, for the graph's families), probed rarest
terms first within a budget, so a query's work is bounded however big the corpus.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz.distance import LCSseq
from scipy import sparse

from .._settings import MATCH, MatchSettings
from ..text._analysis import content_terms, words_hash
from ._index import CorpusIndex, distinct

if TYPE_CHECKING:
    pass
from ._query import Query
from ._scorer import (
    PARAPHRASE_MIN,
)

__all__ = ["candidate_rows"]


def candidate_rows(
    queries: Sequence[Query],
    index: CorpusIndex,
    *,
    limit: int,
    min_similarity: float = 0.05,
    always: float = 2.0,
    min_containment: float = 0.0,
    probe_budget: int | None = None,
    bigram_probe: bool = False,
    exclude: Sequence[AbstractSet[int]] | None = None,
    max_entries: int = 2_000_000,
    likely: float | None = None,
    settings: MatchSettings = MATCH,
) -> list[np.ndarray]:
    """For each query, the sentence rows worth aligning, most similar first (ties by row).

    A row is a candidate when its TF-IDF cosine with the query reaches ``min_similarity``
    and it could hold an occurrence of some kind — a cheap necessary test: a faithful
    fragment (``partial``) needs two shared content words, a verbatim or near-verbatim
    occurrence all of the query's but those its edges and edits can miss (one at least),
    a paraphrase ``paraphrase_score >= PARAPHRASE_MIN``, which the rarity-weighted overlap
    bounds from above (with the next sentence's where the query may cover both).  Of
    those, the ``limit`` most similar are kept, and every one whose cosine reaches
    ``always`` (so that a popular quotation's copies are never cut off).
    ``min_containment`` also asks a row to hold that share of the query's rarity-weighted
    content (an upper bound, counted with the next sentence's where the query may cover
    both); then the query's most common terms that together weigh less than that share are
    not looked up at all (a row holding only them cannot qualify).  ``probe_budget``
    looks up each query's terms rarest first while their posting lists hold at most that
    many sentences in all (two terms at least): in a small corpus every term, in a big one
    the rare ones only, so the rows found share a rare term with the query — an
    approximation that bounds the work per query however big the corpus.
    ``bigram_probe`` makes that bound hold when no term is rare: a query whose two rarest
    terms do not fit in the budget looks up no term beyond it, but its rarest content-word
    bigrams instead (:attr:`CorpusIndex.bigrams`, within the budget, the three rarest at
    least when each fits in it) and the sentences that are its very words
    (:meth:`CorpusIndex.rows_with_hash`): a verbatim or lightly edited copy shares a
    bigram with the query however common its words.

    ``likely`` (with ``probe_budget`` or ``min_containment``) keeps every row that holds
    at least that share of the query's rarity-weighted content besides the ``limit``
    most similar: a likely copy, aligned however many there are.

    ``exclude`` gives, for each query, documents whose sentences are no candidates (those
    that hold a traced quotation already): left out before any row is tested or ranked,
    so the ``limit`` counts rows of other documents only.

    Queries go through the index in batches of about ``max_entries`` posting entries.
    """
    out: list[np.ndarray] = [np.zeros(0, dtype=np.int64) for _ in queries]
    if not index.vocab or index.matrix.shape[0] == 0 or not queries:
        return out
    terms = [content_terms(q.tokens) for q in queries]
    df = index.df
    known = [sorted(int(df[index.vocab[t]]) for t in set(ts) if t in index.vocab) for ts in terms]
    least = 0 if bigram_probe else 2
    extra = probe_budget if bigram_probe and probe_budget is not None else 0
    sizes = [sum(_budgeted(d, probe_budget, least)) + extra for d in known]
    lo = 0
    while lo < len(queries):
        hi, entries = lo + 1, sizes[lo]
        while hi < len(queries) and entries + sizes[hi] <= max_entries:
            entries += sizes[hi]
            hi += 1
        batch = _CandidateBatch(
            queries[lo:hi],
            terms[lo:hi],
            index,
            min_containment,
            probe_budget,
            bigram_probe,
            exclude[lo:hi] if exclude is not None else None,
            likely,
            settings,
        )
        for k, rows in enumerate(batch.select(limit, min_similarity, always)):
            out[lo + k] = rows
        lo = hi
    return out


def _budgeted(df: list[int], budget: int | None, least: int = 2) -> list[int]:
    """The posting sizes (sorted, rarest first) that a probe within ``budget`` looks up,
    the ``least`` rarest whatever their sizes."""
    if budget is None:
        return df
    total, kept = 0, []
    for n, size in enumerate(df):
        total += size
        if total > budget and n >= least:
            break
        kept.append(size)
    return kept


class _CandidateBatch:
    """Candidate rows of a batch of queries, with the statistics that rank and test them."""

    def __init__(
        self,
        queries: Sequence[Query],
        terms: Sequence[list[str]],
        index: CorpusIndex,
        min_containment: float,
        probe_budget: int | None = None,
        bigram_probe: bool = False,
        exclude: Sequence[AbstractSet[int]] | None = None,
        likely: float | None = None,
        settings: MatchSettings = MATCH,
    ) -> None:
        self.queries, self.index, self.min_containment = queries, index, min_containment
        self.likely, self.settings = likely, settings
        counts = index.count_matrix(terms)
        self.vectors = index.weigh(counts)  # same entries as counts, in the same order
        self.counts = counts.data  # how often each query holds each of its terms
        self.weights = counts.data * index.idf[counts.indices]  # count * rarity weight
        n_terms = index.matrix.shape[1]
        rows_of = np.repeat(np.arange(len(queries)), np.diff(counts.indptr))
        self.keys = rows_of * n_terms + counts.indices  # sorted: rows, then terms
        self.totals = np.asarray(
            [sum(n * index.weight(t) for t, n in q.terms.items()) for q in queries]
        )
        self.n_terms = np.asarray([len(q.terms) for q in queries])
        self.lengths = np.asarray([len(q.tokens) for q in queries])
        # an occurrence holds near_similarity of the query's words (a near-verbatim copy)
        # or occurrence_words of them (a partial or paraphrase): its shared content words
        # and every stopword of the query at most
        self.stopwords = self.lengths - np.asarray([len(ts) for ts in terms])
        self.words_needed = np.minimum(
            np.ceil(settings.near_similarity * self.lengths - 1e-9), settings.occurrence_words
        )
        probe = self.vectors
        if min_containment > 0:
            probe = self._prefix(counts, rows_of)
        short = np.zeros(len(queries), dtype=bool)
        if probe_budget is not None:
            probe, short = self._rarest(probe, probe_budget, 0 if bigram_probe else 2)
        exact = min_containment <= 0 and probe_budget is None
        self.cos: np.ndarray | None = None
        if exact:  # the product's cosines rank the pairs
            product = (probe @ index.postings).tocoo()
            self.query, self.row = product.row.astype(np.int64), product.col.astype(np.int64)
            self.cos = product.data
        else:  # only which pairs: the sentences on the probed terms' posting lists
            self.query, self.row = self._posted(probe)
        if bigram_probe and probe_budget is not None and short.any():
            n_rows = index.matrix.shape[0]
            mine = short[self.query]  # their pairs so far: those of a rare term, if any
            found = [self.query[mine] * n_rows + self.row[mine]]
            for k in np.flatnonzero(short).tolist():
                found.append(k * n_rows + self._bigram_rows(queries[k], terms[k], probe_budget))
            keys = distinct(np.concatenate(found))
            self.query = np.r_[self.query[~mine], keys // n_rows]
            self.row = np.r_[self.row[~mine], keys % n_rows]
        if exclude is not None and any(exclude):
            n_docs = len(index.docs)
            left_out = np.asarray(
                sorted(k * n_docs + d for k, docs in enumerate(exclude) for d in docs),
                dtype=np.int64,
            )
            kept = ~np.isin(self.query * n_docs + index.unit_doc[self.row], left_out)
            self.query, self.row = self.query[kept], self.row[kept]
            if self.cos is not None:
                self.cos = self.cos[kept]

    def _posted(self, probe: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
        """The distinct ``(query, row)`` pairs of the sentences holding a term of each
        query's ``probe`` (the pairs ``probe @ postings`` has, without the product),
        sorted by query then row."""
        postings = self.index.postings
        term = probe.indices.astype(np.int64)
        query = np.repeat(np.arange(probe.shape[0], dtype=np.int64), np.diff(probe.indptr))
        lo = postings.indptr[term].astype(np.int64)
        size = postings.indptr[term + 1] - lo
        entry = np.arange(int(size.sum()), dtype=np.int64)
        entry += np.repeat(lo - (np.cumsum(size) - size), size)
        n_rows = self.index.matrix.shape[0]
        keys = distinct(np.repeat(query, size) * n_rows + postings.indices[entry])
        return keys // n_rows, keys % n_rows

    def _prefix(self, counts: sparse.csr_matrix, rows_of: np.ndarray) -> sparse.csr_matrix:
        """The query vectors without their most common terms weighing < the containment."""
        if counts.nnz == 0:
            return self.vectors
        idf = self.index.idf[counts.indices]
        order = np.lexsort((-counts.indices, idf, rows_of))  # per query, most common first
        weight = self.weights[order]
        # a query without known terms starts at nnz: clipped, it is repeated zero times
        first = np.minimum(counts.indptr[:-1], counts.nnz - 1)
        running = np.cumsum(weight)
        before = np.repeat(running[first] - weight[first], np.diff(counts.indptr))
        within = running - before  # weight of this term and every more common one
        limit = self.min_containment * self.totals[rows_of[order]]
        suffix = np.zeros(counts.nnz, dtype=bool)
        suffix[order] = within < limit
        probe = self.vectors.copy()
        probe.data = np.where(suffix, 0.0, probe.data)
        probe.eliminate_zeros()
        return probe

    def _rarest(
        self, probe: sparse.csr_matrix, budget: int, least: int
    ) -> tuple[sparse.csr_matrix, np.ndarray]:
        """``probe`` keeping each query's rarest terms within ``budget`` (see _budgeted),
        and which queries kept fewer than two of their terms (one if they have one)."""
        if probe.nnz == 0:
            return probe, np.zeros(probe.shape[0], dtype=bool)
        probe = probe.copy()
        lengths = np.diff(probe.indptr)
        rows_of = np.repeat(np.arange(probe.shape[0]), lengths)
        df = self.index.df[probe.indices]
        order = np.lexsort((probe.indices, df, rows_of))  # per query, rarest first
        ordered = df[order]
        running = np.cumsum(ordered)
        first = np.minimum(probe.indptr[:-1], probe.nnz - 1)  # as in _prefix
        within = running - np.repeat(running[first] - ordered[first], lengths)
        rank = np.arange(probe.nnz) - np.repeat(first, lengths)
        keep = np.empty(probe.nnz, dtype=bool)
        keep[order] = (within <= budget) | (rank < least)
        kept = np.bincount(rows_of[keep], minlength=probe.shape[0])
        short = kept < np.minimum(2, lengths)
        probe.data = np.where(keep, probe.data, 0.0)
        probe.eliminate_zeros()
        return probe, short

    def _bigram_rows(self, query: Query, terms: Sequence[str], budget: int) -> np.ndarray:
        """The rows sharing the query's rarest bigrams within ``budget`` (the
        ``settings.bigrams_least`` rarest whenever each fits in it), and those that are the query's
        words exactly."""
        keys, starts, rows = self.index.bigrams
        wanted = self.index.bigram_keys(terms)
        at = np.minimum(np.searchsorted(keys, wanted), max(0, keys.size - 1))
        at = at[keys[at] == wanted] if keys.size else at[:0]
        df = starts[at + 1] - starts[at]
        order = np.argsort(df, kind="stable")
        at, df = at[order], df[order]
        chosen = np.cumsum(df) <= budget
        # one word edited, dropped or added breaks at most two bigrams: of three, one holds
        chosen[: self.settings.bigrams_least] |= df[: self.settings.bigrams_least] <= budget
        found = [rows[starts[a] : starts[a + 1]] for a in at[chosen].tolist()]
        found.append(self.index.rows_with_hash(words_hash(query.tokens)))
        return distinct(np.concatenate(found))

    def _stats(self, query: np.ndarray, row: np.ndarray) -> tuple[np.ndarray, ...]:
        """Cosine, shared terms, shared weight and the query's content words of the
        shared terms (each as often as the query has it) of each (query, row) pair."""
        if len(self.queries) == 1:
            return self._stats_one(row)
        matrix = self.index.matrix
        starts = matrix.indptr[row]
        lengths = matrix.indptr[row + 1] - starts
        pair = np.repeat(np.arange(row.size), lengths)
        offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        entry = np.repeat(starts, lengths) + offsets
        # each entry's term, as a column of the batch's (query, term) table: the terms no
        # query of the batch holds (most) are dropped before anything is looked up
        column_of, columns, at_cell = self._cells
        column = column_of[matrix.indices[entry]]
        held = column >= 0
        pair, entry = pair[held], entry[held]
        at = at_cell[query[pair] * columns + column[held]]
        hit = at >= 0
        pair, at, entry = pair[hit], at[hit], entry[hit]
        cos = np.bincount(pair, self.vectors.data[at] * matrix.data[entry], minlength=row.size)
        shared = np.bincount(pair, minlength=row.size)
        weight = np.bincount(pair, self.weights[at], minlength=row.size)
        words = np.bincount(pair, self.counts[at], minlength=row.size)
        return cos, shared, weight, words

    @functools.cached_property
    def _cells(self) -> tuple[np.ndarray, int, np.ndarray]:
        """The batch's (query, term) entries as a dense table: each term's column (-1 for
        a term no query holds), the number of columns, and for each cell ``query *
        columns + column`` the entry of :attr:`keys` it is (-1 when the query does not
        hold the term): two gathers where a binary search of every entry took 13 % of
        tracing a corpus' quotations."""
        n_terms = self.index.matrix.shape[1]
        terms = self.keys % n_terms
        held = distinct(terms)
        column_of = np.full(n_terms, -1, dtype=np.int64)
        column_of[held] = np.arange(held.size)
        at_cell = np.full(len(self.queries) * held.size, -1, dtype=np.int64)
        at_cell[(self.keys // n_terms) * held.size + column_of[terms]] = np.arange(self.keys.size)
        return column_of, int(held.size), at_cell

    def _stats_one(self, row: np.ndarray) -> tuple[np.ndarray, ...]:
        """:meth:`_stats` of a batch of one query: four sparse products of the rows with
        dense term vectors (the same sums, term by term in each row's order, as the
        general case adds up)."""
        sub = self.index.matrix[row]
        binary = sparse.csr_matrix((np.ones(sub.nnz), sub.indices, sub.indptr), shape=sub.shape)
        terms = self.keys  # one query: its term ids
        dense = np.zeros(sub.shape[1])
        dense[terms] = self.vectors.data
        cos = np.asarray(sub @ dense, dtype=np.float64)
        dense[terms] = self.weights
        weight = np.asarray(binary @ dense, dtype=np.float64)
        dense[terms] = self.counts
        words = np.asarray(binary @ dense, dtype=np.float64)
        dense[terms] = 1.0
        shared = np.asarray(binary @ dense, dtype=np.float64).astype(np.int64)
        return cos, shared, weight, words

    def _plausible(
        self, query: np.ndarray, row: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Cosine of each pair, whether the row could hold an occurrence, the share of the
        query's rarity-weighted content it holds (with the next sentence's where the
        query may cover both), and whether it could hold enough of the query to be an
        occurrence: two of its content terms (or its only one), and as many of its words
        as an occurrence holds (:func:`~quoteprov.search._kinds.is_occurrence`)."""
        index = self.index
        cos, shared, weight, words = self._stats(query, row)
        nxt = row + 1
        pairs = (nxt < index.matrix.shape[0]) & (self.lengths[query] > 1.5 * index.unit_len[row])
        pairs[pairs] &= index.unit_doc[nxt[pairs]] == index.unit_doc[row[pairs]]
        if pairs.any():  # a long query may paraphrase a short sentence with the next one
            where = np.flatnonzero(pairs)
            weight, words = weight.copy(), words.copy()
            _, _, more, more_words = self._stats(query[where], nxt[where])
            weight[where] += more
            words[where] += more_words
        total = self.totals[query]
        # a near-verbatim copy may miss the query's edges and substitute some words: in a
        # query of few content terms among many common words, that can be all but one
        missing = self.n_terms[query] - shared
        edits = (2.0 - self.settings.near_coverage - self.settings.near_similarity) * self.lengths[
            query
        ]
        two = shared >= np.minimum(2, self.n_terms[query])
        enough = two & (words + self.stopwords[query] >= self.words_needed[query])
        ok = two | (200.0 * weight / (total + weight) >= PARAPHRASE_MIN)
        ok |= (shared >= 1) & (missing <= edits)
        if self.min_containment > 0:
            ok &= weight >= self.min_containment * total
        return cos, ok, weight / np.maximum(total, 1e-12), enough

    def _could_occur(self, k: int, rows: np.ndarray) -> np.ndarray:
        """Whether the region of each sentence row (:meth:`CorpusIndex.region_codes`) holds
        enough of query ``k``'s words, in its order, for an occurrence of a lexical kind
        (:func:`~quoteprov.search._kinds.is_occurrence`): ``near_similarity`` of them (a
        near-verbatim copy), or ``likely`` of them and ``occurrence_words`` at least (a
        partial).  The longest common subsequence of words bounds what an alignment
        matches, and the words in common what a match holds.

        A likely copy beyond the most similar rows is aligned only then: its terms weigh
        enough, but in a big corpus thousands of sentences hold a popular name and a
        common phrase of the query, and reading each one's document dominated the trace.
        """
        settings = self.settings
        q = self.queries[k]
        words = list(dict.fromkeys(q.norms))
        number = {w: n + 1 for n, w in enumerate(words)}
        wanted = [number[w] for w in q.norms]
        n = len(wanted)
        near = math.ceil(settings.near_similarity * n - 1e-9)
        least = math.ceil(min(self.likely or 0.0, settings.near_similarity) * n - 1e-9)
        which, codes = self.index.region_codes(rows, words)
        # the query's words each region holds, each as often as both have it
        width = len(words) + 1
        cells, counts = np.unique(which * width + codes, return_counts=True)
        held_of = np.minimum(counts, np.bincount(wanted, minlength=width)[cells % width])
        held = np.bincount(cells // width, held_of, minlength=rows.size)
        maybe = (held >= least) & ((held >= near) | (held >= settings.occurrence_words))
        bounds = np.searchsorted(which, np.arange(rows.size + 1))
        out = np.zeros(rows.size, dtype=bool)
        for r in np.flatnonzero(maybe).tolist():
            common = LCSseq.similarity(wanted, codes[bounds[r] : bounds[r + 1]].tolist())
            out[r] = common >= near or (common >= least and held[r] >= settings.occurrence_words)
        return out

    def select(self, limit: int, min_similarity: float, always: float) -> list[np.ndarray]:
        query, row = self.query, self.row
        if self.cos is None:  # prefix probe: few pairs, test them all
            cos, ok, held, enough = self._plausible(query, row)
            if self.likely is None:
                keep = ok & (cos >= min_similarity)
                return self._top(query[keep], row[keep], cos[keep], limit, always)
            # a likely copy (one that holds as much of the query as an occurrence must) is
            # kept however many there are: a cosine cut would lose a viral quotation's
            # copies.  It holds two of the query's terms: in a short query one rare term
            # can weigh as much, and 152,595 sentences of a million documents held the
            # rarer of "I will be charged with the past" (1,117 held both).  And it can
            # hold as many of the query's words as an occurrence does: 16,351 sentences
            # of a million documents held half the weight of "This year dropped out,
            # income inequality." ("income", "inequality"); only 679 could hold five of
            # its words (and _could_occur then reads the words themselves, in order)
            likely = (held >= self.likely) & enough
            keep = ok & ((cos >= min_similarity) | likely)
            return self._top(query[keep], row[keep], cos[keep], limit, always, likely[keep])
        cos = self.cos
        keep = cos >= min_similarity
        query, row, cos = query[keep], row[keep], cos[keep]
        order = np.lexsort((row, -cos, query))
        query, row, cos = query[order], row[order], cos[order]
        # test the most similar first, a round at a time, until each query has its limit
        picked = np.zeros(row.size, dtype=bool)
        tested = np.zeros(row.size, dtype=bool)
        found = np.zeros(len(self.queries), dtype=np.int64)
        rank = np.arange(row.size) - np.searchsorted(query, query)
        window = max(4 * limit, 64)
        start = 0
        while True:
            todo = ~tested & (rank < start + window) & (rank >= start)
            todo &= (found[query] < limit) | (cos >= always)
            if not todo.any():
                break
            where = np.flatnonzero(todo)
            ok = self._plausible(query[where], row[where])[1]
            tested[where] = True
            picked[where[ok]] = True
            found = np.bincount(query[picked], minlength=len(self.queries))
            start += window
        return self._top(query[picked], row[picked], cos[picked], limit, always)

    def _top(
        self,
        query: np.ndarray,
        row: np.ndarray,
        cos: np.ndarray,
        limit: int,
        always: float,
        likely: np.ndarray | None = None,
    ) -> list[np.ndarray]:
        order = np.lexsort((row, -cos, query))
        query, row, cos = query[order], row[order], cos[order]
        rank = np.arange(row.size) - np.searchsorted(query, query)
        keep = (rank < limit) | (cos >= always)
        if likely is not None:
            extra = likely[order] & ~keep
            for k in np.unique(query[extra]).tolist():
                at = np.flatnonzero(extra & (query == k))
                keep[at[self._could_occur(k, row[at])]] = True
        query, row = query[keep], row[keep]
        bounds = np.searchsorted(query, np.arange(len(self.queries) + 1))
        return [row[bounds[k] : bounds[k + 1]] for k in range(len(self.queries))]
