"""Every threshold of the matcher and of the graph, defined once, with what it was measured to give.

Two frozen dataclasses, one per stage that decides: :class:`MatchSettings` (what a match
is and how sure it is) and :class:`GraphSettings` (which documents reuse each other and
which quotations form a family), held together by :class:`Settings`, which a
:class:`~quoteprov.Tracer` takes.  :data:`MATCH`, :data:`GRAPH` and :data:`SETTINGS` hold
the defaults; figures quoted below come from ``benchmarks/quality.py`` (PolNeAR and MSRP
splits the thresholds were tuned on) unless another benchmark is named.

>>> MATCH.occurrence_coverage, GRAPH.min_sentence_words
(0.5, 5)
>>> Settings(match=MatchSettings(occurrence_coverage=0.6)).match.occurrence_coverage
0.6
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["GRAPH", "MATCH", "SETTINGS", "GraphSettings", "MatchSettings", "Settings"]


@dataclass(frozen=True)
class MatchSettings:
    """What counts as a match of a query, of which kind, and how sure it is."""

    near_coverage: float = 0.85
    """Share of the query a near-verbatim match aligns at least (with ``near_similarity``)."""
    near_similarity: float = 0.75
    """Word-level similarity of a near-verbatim match to the query at least."""
    partial_coverage: float = 0.3
    """Share of the query's words a partial alignment holds at least to be kept at all."""
    copy_similarity: float = 0.5
    """Cosine with the query from which a candidate is aligned whatever their number."""
    quoted_fragment: float = 0.8
    """Share of a quotation's words a query must hold to be called that quotation's fragment."""
    min_shared_share: float = 0.25
    """Share of the query's content words (and two) a paraphrase or a loose partial shares."""
    occurrence_coverage: float = 0.5
    """Rarity-weighted share of the query a partial holds to be an occurrence
    (``Trace.matches``), else related text.  PolNeAR tune families: every partial in an
    article holding the quotation covered 0.57 or more, every one elsewhere 0.44 or less.
    The same share makes a candidate sentence a likely copy, aligned however many."""
    occurrence_words: int = 5
    """Query words an occurrence holds at least: in a short query two rare words are half
    its content, and a fragment of them turns up in hundreds of unrelated documents of a
    big corpus (``benchmarks/trace_latency.py``, 100,000 documents: precision 0.37 with
    the share alone)."""
    paraphrase_coverage: float = 0.4
    """Rarity-weighted share a paraphrase occurrence holds at least: 0.997 of MSRP's true
    pairs (fit side) hold 0.4 or more, paraphrases of other statements in the PolNeAR tune
    families 0.37 or less."""
    max_gap: int = 3
    """Unmatched words in a row that break an alignment in two."""
    certain_coverage: float = 0.8
    """Weighted content an unaltered near-verbatim match holds to be ``certain``: every one
    at 0.8 or more in the PolNeAR tune families was right."""
    likely_coverage: float = 0.6
    """Weighted content a partial or paraphrase holds to be ``likely``: right from 0.6 on
    in the PolNeAR tune families (0.53 was the one wrong occurrence)."""
    likely_score: float = 50.0
    """Score of a ``likely`` paraphrase: on MSRP's fit half a paraphrase scored 50 or more
    was a true paraphrase 0.89 of the time, one below 50 about half the time."""
    max_query_words: int = 2000
    """Longest query accepted (a longer one is a document, not a quotation)."""
    trace_probe_budget: int = 10_000
    """Posting entries a traced query looks up, rarest terms first (bounded work)."""
    bigrams_least: int = 3
    """Bigrams a bigram probe looks up at least (each within the budget)."""
    region_words: int = 1000
    """Words of a candidate region aligned at once; a longer one (or three times the
    query) is aligned in overlapping windows, so an alignment's work is bounded."""
    long_query_words: int = 500
    """Query length from which a word-level edit script locates it instead of rapidfuzz's
    ``partial_ratio`` (cubic in its length)."""


@dataclass(frozen=True)
class GraphSettings:
    """Which documents reuse each other and which quotations form a family."""

    min_sentence_words: int = 5
    """Sentences shorter than this take no part in document reuse."""
    sentence_similarity: float = 0.3
    """Cosine floor for sentence pairs worth aligning in document reuse."""
    rarest_terms: int = 6
    """Content terms per sentence that make its reuse keys (triples, pairs)."""
    max_key_group: int = 1000
    """Sentences sharing one reuse key at most, beyond which it is a stock phrase."""
    max_pair_group: int = 10
    """Sentences sharing one pair of rare terms at most: beyond, a chance pair in a big
    corpus of common words."""
    max_clique_group: int = 16
    """Sentences sharing one reuse key up to which every two of them are compared; a
    bigger group (a story reprinted by many outlets) is compared through its
    ``group_anchors`` best documents, so its cost grows with its size, not its square."""
    group_anchors: int = 8
    """Documents of a big key group every other member is compared with: those holding
    the most sentences of all big groups (the story its reprints share)."""
    min_quote_words: int = 3
    """Words of a quotation at least to be traced into a family."""
    link_paraphrase_min: float = 50.0
    """Looser paraphrases (the paraphrase threshold up to this) are traced, but prove
    copying or join a family only with corroboration: the same speaker, or documents
    known to reuse each other."""
    family_candidates: int = 15
    """Sentences aligned per traced quotation, most similar first."""
    family_first: int = 3
    """Documents of the most similar candidates aligned first: when they hold nothing of
    the quotation, the others are not aligned (0: always all)."""
    family_similarity: float = 0.05
    """Their cosine floor."""
    family_containment: float = 0.15
    """Share of the quotation's weighted content a family candidate holds at least: every
    family link measured on the seeds and a generated 1,000-document corpus holds 0.16 or
    more."""
    family_probe_budget: int = 2000
    """Candidates share one of the quotation's rarest terms: those whose posting lists hold
    at most this many sentences together (every term in a small corpus)."""
    fragment_ratio: float = 0.5
    """A match this much shorter than its container only attaches to it."""
    star_coverage: float = 0.75
    """Reuse drawn as a star: a pair's shared sentences are explained by a third document
    each of the two derives from when it holds this share of them on both sides
    (``benchmarks/wire.py``: derived_from precision 0.971, recall 0.999)."""
    star_tolerance: float = 2.0
    """... each at least as faithfully as the other document of the pair, within this
    many score points."""
    star_sources: int = 8
    """Best sources of each document asked (most sentences held, then earliest), so the
    star check costs a constant per edge."""
    star_close: float = 90.0
    """A copy's sentence held this closely by a middle document is its version."""
    family_chunk: int = 256
    """Quotations per parallel task."""
    reuse_chunk: int = 512
    """Document pairs per parallel task."""


MATCH = MatchSettings()
"""The matcher's defaults."""
GRAPH = GraphSettings()
"""The graph's defaults."""


@dataclass(frozen=True)
class Settings:
    """Every threshold a :class:`~quoteprov.Tracer` uses: the matcher's and the graph's.

    The confidence words of a match (``Match.confidence``: ``certain_coverage``,
    ``likely_coverage``, ``likely_score``) always read the defaults, so that "certain"
    means the same in every notebook.
    """

    match: MatchSettings = MATCH
    graph: GraphSettings = GRAPH


SETTINGS = Settings()
"""The defaults."""
