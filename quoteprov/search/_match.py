"""Scoring and classifying candidate occurrences of a query, with word-level changes.

Alignment works on words: each word becomes one symbol, so rapidfuzz's C implementations
locate the query inside a candidate passage (``partial_ratio_alignment``) and list the
edits (``Levenshtein.opcodes``) at word level.  Punctuation, case, diacritics and quote
styles never count as changes.

``score`` (0-100) is 100 × the combined scorer's calibrated probability that the matched
text says what the query says (:mod:`quoteprov.search._scorer`: rapidfuzz scores, content-word
overlap weighted by rarity, number and negation agreement, the embedding cosine when the
semantic tier is on), so every kind ranks on one scale.  Kinds:

``verbatim``
    the same words in the same order (score 100).
``near_verbatim``
    the aligned passage covers at least ``MATCH.near_coverage`` of the query's words and its
    word-level similarity to the query is at least ``MATCH.near_similarity``: light edits.
``partial``
    a faithful (``MATCH.near_similarity``) fragment of 3+ words sharing 2+ content words
    with the query: at least ``MATCH.partial_coverage`` of the query, or at least
    ``MATCH.quoted_fragment`` of a quotation in the document (the document quotes a
    fragment); its score is that of its sentence.  When tracing a query, also a sentence
    that carries part of what the query says: a score between the scorer's floor and its
    paraphrase threshold.
``paraphrase``
    no faithful alignment of most of the query, but the scorer calls the sentence (or its
    quotation) a paraphrase: score from :func:`paraphrase_min <quoteprov.search._scorer.
    paraphrase_min>` on (the floor for an attributed quotation, another rendering of a
    statement).  The thresholds and the precision and recall they give on MSRP are in
    ``quoteprov/search/scorer_params.json``; ``benchmarks/quality.py`` measures them on data no
    threshold was chosen on.

>>> from quoteprov.corpus._corpus import Corpus
>>> from quoteprov._models import Document
>>> corpus = Corpus([Document(id="a", text='"We will win," Ana Ruiz said. Nothing else.')])
>>> found = find_matches("we will WIN", CorpusIndex.for_corpus(corpus))
>>> [(m.kind, m.text, m.speaker) for m in found]
[('verbatim', 'We will win', 'Ana Ruiz')]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from .._errors import InputError, MissingDependencyError
from .._models import KIND_RANK, Kind, Match
from .._settings import MATCH, MatchSettings
from ..text._analysis import AnalyzedDocument
from ._index import CorpusIndex
from ._symbols import Symbols, is_full

if TYPE_CHECKING:
    from ._semantic import Encoder, NearestSentences
from ._candidates import candidate_rows
from ._kinds import _lexical, _paraphrase
from ._query import Query

__all__ = [
    "check_count",
    "check_kinds",
    "check_query",
    "check_share",
    "find_matches",
    "match_passage",
]


def match_passage(
    q: Query,
    adoc: AnalyzedDocument,
    sentences: Sequence[int],
    index: CorpusIndex,
    symbols: Symbols | None = None,
    loose: bool = False,
    *,
    settings: MatchSettings = MATCH,
) -> list[Match]:
    """Every occurrence of ``q`` around the given sentences of one document.

    ``loose`` also returns sentences that carry part of what the query says (between the
    scorer's floor and its paraphrase threshold) as ``partial``; tracing a query does,
    the provenance stage's linking does not.
    """
    symbols = symbols if symbols is not None else index.symbols
    matches: list[Match] = []
    covered: set[int] = set()
    for lo, hi in _regions(sentences, len(adoc.sentences)):
        r0 = adoc.sentence_tokens[lo][0]
        r1 = adoc.sentence_tokens[hi - 1][1]
        found = [
            m
            for w0, w1 in _windows(r0, r1, len(q.tokens), settings=settings)
            for m in _lexical(q, adoc, w0, w1, symbols, index, settings=settings)
        ]
        for m in found:
            first, last = adoc.sentence_range(m.start, m.end)
            touched = list(range(max(lo, first), min(hi, last)))
            if m.kind == "partial":
                # a faithful fragment inside a sentence that the combined scorer calls a
                # paraphrase of the query is a paraphrase, not a trimmed quotation
                rewrites = [
                    _paraphrase(q, adoc, s, index, symbols, settings=settings) for s in touched
                ]
                better = [
                    p
                    for p in rewrites
                    if p is not None
                    and p.kind == "paraphrase"
                    and _spans_overlap(p, m)
                    and _covered(q, adoc, p) > _covered(q, adoc, m)
                ]
                if better:
                    m = max(better, key=lambda p: p.score)
            if not any(_spans_overlap(m, other) for other in matches):
                matches.append(m)
            covered.update(touched)
    for s in sentences:
        if s in covered:
            continue
        rewrite = _paraphrase(q, adoc, s, index, symbols, loose, settings=settings)
        if rewrite is not None and not any(_spans_overlap(rewrite, m) for m in matches):
            matches.append(rewrite)
    return matches


def _windows(r0: int, r1: int, n: int, *, settings: MatchSettings) -> list[tuple[int, int]]:
    """Token ranges covering ``[r0, r1)`` for a query of ``n`` words: the range itself
    when it is short, else overlapping windows of bounded size, overlapping by the
    query's length plus slack, so that an occurrence lies whole in one of them.

    >>> _windows(0, 800, 10, settings=MATCH), _windows(0, 2500, 10, settings=MATCH)
    ([(0, 800)], [(0, 1000), (987, 1987), (1974, 2500)])
    """
    size = max(settings.region_words, 3 * n)
    if r1 - r0 <= size:
        return [(r0, r1)]
    step = size - n - max(2, n // 3)
    out = []
    a = r0
    while True:
        b = min(r1, a + size)
        out.append((a, b))
        if b >= r1:
            return out
        a += step


def _regions(sentences: Sequence[int], count: int) -> list[tuple[int, int]]:
    """Candidate sentences with one neighbour each side, merged where they touch."""
    regions: list[list[int]] = []
    for s in sorted(set(sentences)):
        lo, hi = max(0, s - 1), min(count, s + 2)
        if regions and lo <= regions[-1][1]:
            regions[-1][1] = max(regions[-1][1], hi)
        else:
            regions.append([lo, hi])
    return [(lo, hi) for lo, hi in regions]


def _covered(q: Query, adoc: AnalyzedDocument, m: Match) -> int:
    """How many of the query's content terms the match's text holds."""
    i, j = adoc.token_range(m.start, m.end)
    return len(q.terms.keys() & set(adoc.terms(i, j)))


def check_query(query: object) -> None:
    """Refuse a query that is not a string (checked before a corpus is loaded or indexed).

    >>> check_query(["peace"])
    Traceback (most recent call last):
    ...
    quoteprov.InputError: the query must be a string, not list
    """
    if not isinstance(query, str):
        raise InputError(f"the query must be a string, not {type(query).__name__}")


def check_count(name: str, value: int | None, least: int = 1) -> None:
    """Refuse a count that is not a whole number of at least ``least`` (None passes).

    >>> check_count("limit", 0)
    Traceback (most recent call last):
    ...
    quoteprov.InputError: limit must be a whole number of at least 1, not 0
    """
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise InputError(f"{name} must be a whole number of at least {least}, not {value!r}")


def check_share(name: str, value: float) -> None:
    """Refuse a share that is not a number from 0 to 1.

    >>> check_share("min_coverage", 2)
    Traceback (most recent call last):
    ...
    quoteprov.InputError: min_coverage must be a share from 0 to 1, not 2
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise InputError(f"{name} must be a share from 0 to 1, not {value!r}")


def check_kinds(kinds: Sequence[str] | None) -> None:
    """Refuse a ``kinds`` filter naming no known kind of match (None passes).

    >>> check_kinds("verbatim")
    Traceback (most recent call last):
    ...
    quoteprov.InputError: kinds must be a list of kinds, such as ["verbatim"], not a string
    """
    if kinds is None:
        return
    if isinstance(kinds, str):
        raise InputError('kinds must be a list of kinds, such as ["verbatim"], not a string')
    unknown = sorted({str(k) for k in kinds} - set(KIND_RANK))
    if unknown:
        raise InputError(
            f"unknown kind {', '.join(map(repr, unknown))}: use {', '.join(map(repr, KIND_RANK))}"
        )


def _spans_overlap(a: Match, b: Match) -> bool:
    return a.doc_id == b.doc_id and a.start < b.end and b.start < a.end


def find_matches(
    query: str,
    index: CorpusIndex,
    *,
    kinds: Sequence[Kind] | None = None,
    limit: int | None = None,
    candidates: int = 50,
    semantic: bool | None = None,
    symbols: Symbols | None = None,
    encoder: Encoder | None = None,
    vectors: np.ndarray | None = None,
    nearest: NearestSentences | None = None,
    settings: MatchSettings = MATCH,
) -> list[Match]:
    """Every occurrence of ``query`` in the indexed corpus, best first.

    Parameters
    ----------
    query : str
        The sentence or passage to trace.
    index : CorpusIndex
        The corpus' index (``CorpusIndex.for_corpus(corpus)``).
    kinds : sequence of str, optional
        Keep only these kinds of match.
    limit : int, optional
        Return at most this many matches.
    candidates : int
        How many index candidates to align besides the likely copies (a sentence that
        holds ``settings.occurrence_coverage`` of the query's content and, with its
        neighbours, enough of its words in its order to be an occurrence, or whose cosine
        reaches ``settings.copy_similarity``, is always aligned, however many there are);
        more finds looser
        paraphrases and stray fragments in big corpora, and takes longer.
    semantic : bool, optional
        Use the semantic tier (:mod:`quoteprov.search._semantic`): None (default) when it is
        installed, False never, True always (an error when it cannot be loaded).
    symbols : Symbols, optional
        The symbol table the queries on ``index`` share; :attr:`CorpusIndex.symbols` by
        default.
    encoder : Encoder, optional
        The semantic tier's encoder; by default the process' shared one
        (:func:`~quoteprov.search._semantic.get_encoder`), when ``semantic`` allows it.
    vectors : numpy.ndarray, optional
        ``encoder``'s embeddings of the index's sentences
        (:func:`~quoteprov.search._semantic.sentence_vectors`), computed now when absent.
    nearest : NearestSentences, optional
        ``vectors`` made ready for nearest-sentence searches (kept by a
        :class:`~quoteprov.Tracer`: in a big corpus it groups them once).

    Raises
    ------
    MissingDependencyError
        ``semantic=True`` without the semantic extra, or with ``QUOTEPROV_SEMANTIC=0``.
    """
    check_kinds(kinds)
    check_count("limit", limit)
    q = Query.parse(query, settings=settings)
    # in a big corpus only the query's rarer terms are looked up (every copy holds them):
    # the work per query stops growing with the corpus
    (rows,) = candidate_rows(
        [q],
        index,
        limit=candidates,
        always=settings.copy_similarity,
        probe_budget=settings.trace_probe_budget,
        likely=settings.occurrence_coverage,
        settings=settings,
    )
    by_doc: dict[int, list[int]] = {}
    for u in rows:
        by_doc.setdefault(int(index.unit_doc[u]), []).append(int(index.unit_sent[u]))
    if semantic is not False:
        from . import _semantic as tier  # imports no torch until an encoder is loaded

        if encoder is None:
            encoder = tier.get_encoder()
        if encoder is None and semantic:
            raise MissingDependencyError(
                'semantic=True needs the semantic extra (pip install "quoteprov[semantic]") '
                "and QUOTEPROV_SEMANTIC not set to 0; semantic=None matches lexically without it"
            )
        if encoder is not None:
            if vectors is None:
                vectors = tier.sentence_vectors(index, encoder)
            vector, probe, near, candidate_vectors = tier.query_vectors(
                encoder, query, index, vectors, nearest
            )
            for d, s, _ in near:
                if s not in by_doc.setdefault(d, []):
                    by_doc[d].append(s)
            index.docs.fetch(by_doc)
            tier.choose_precise(candidate_vectors, probe, vectors, index, by_doc)
            q = replace(q, vector=vector, vectors=candidate_vectors)
    if symbols is None or is_full(symbols):
        symbols = index.symbols
    index.docs.fetch(by_doc)  # a corpus file reads the candidate documents at once
    matches: list[Match] = []
    for d in sorted(by_doc):
        matches.extend(
            match_passage(
                q, index.docs[d], by_doc[d], index, symbols, loose=True, settings=settings
            )
        )
    if kinds is not None:
        matches = [m for m in matches if m.kind in kinds]
    matches.sort(key=lambda m: (-m.score, KIND_RANK[m.kind], m.doc_id, m.start))
    return matches[:limit] if limit is not None else matches
