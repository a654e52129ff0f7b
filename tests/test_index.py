"""The candidate index agrees with a brute-force reference."""

from __future__ import annotations

import math
from collections import Counter

from conftest import MakeCorpus
from hypothesis import given, settings
from hypothesis import strategies as st

import quoteprov as qp
from quoteprov.search._index import CorpusIndex
from quoteprov.text._analysis import content_terms, stem
from quoteprov.text._normalize import tokenize

WORDS = [
    "cuba",
    "korea",
    "protest",
    "protests",
    "embargo",
    "the",
    "of",
    "said",
    "smash",
    "foreign",
    "forces",
    "not",
    "2021",
    "blockade",
    "peace",
    "we",
    "are",
]


def brute_force_cosines(index: CorpusIndex, query: str) -> dict[tuple[int, int], float]:
    """TF-IDF cosine of the query with every sentence, written out the slow, obvious way."""

    def vector(terms: list[str]) -> dict[str, float]:
        counts = Counter(t for t in terms if t in index.vocab)
        return {t: (1 + math.log(n)) * index.weight(t) for t, n in counts.items()}

    q = vector(content_terms(tokenize(query)))
    qn = math.sqrt(sum(v * v for v in q.values())) or 1.0
    out = {}
    for d, adoc in enumerate(index.docs):
        for s, (i, j) in enumerate(adoc.sentence_tokens):
            v = vector(content_terms(adoc.tokens[i:j]))
            vn = math.sqrt(sum(x * x for x in v.values())) or 1.0
            out[(d, s)] = sum(q.get(t, 0.0) * x for t, x in v.items()) / (qn * vn)
    return out


sentences = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(
    lambda ws: " ".join(ws).capitalize() + "."
)
documents = st.lists(
    st.lists(sentences, min_size=1, max_size=4).map(" ".join), min_size=1, max_size=6
)


@settings(max_examples=60, deadline=None)
@given(documents, sentences)
def test_candidates_match_brute_force(texts: list[str], query: str) -> None:
    corpus = qp.Corpus(qp.Document(id=f"d{n}", text=t) for n, t in enumerate(texts))
    index = CorpusIndex.for_corpus(corpus)
    expected = {k: v for k, v in brute_force_cosines(index, query).items() if v >= 0.05}
    got = {(d, s): sim for d, s, sim in index.candidates(tokenize(query), limit=10_000)}
    assert got.keys() == expected.keys()
    for key, sim in got.items():
        assert math.isclose(sim, expected[key], abs_tol=1e-9)


@settings(max_examples=40, deadline=None)
@given(documents)
def test_sentence_pairs_match_brute_force(texts: list[str]) -> None:
    corpus = qp.Corpus(qp.Document(id=f"d{n}", text=t) for n, t in enumerate(texts))
    index = CorpusIndex.for_corpus(corpus)
    rows = [(d, s) for d, a in enumerate(index.docs) for s in range(len(a.sentences))]
    cosines = {}
    for u, (du, su) in enumerate(rows):
        reference = brute_force_cosines(index, index.docs[du].sentences[su].text)
        for v, (dv, sv) in enumerate(rows):
            if u < v and du != dv:
                cosines[(u, v)] = reference[(dv, sv)]
    got = {(u, v) for u, v, _ in index.similar_sentence_pairs(min_similarity=0.3)}
    surely = {pair for pair, cos in cosines.items() if cos >= 0.3 + 1e-9}
    maybe = {pair for pair, cos in cosines.items() if cos >= 0.3 - 1e-9}  # float ties
    assert surely <= got <= maybe


def test_stem_keeps_short_words() -> None:
    assert stem("is") == "is" and stem("news") == "news"


def test_empty_corpus_has_no_candidates(make_corpus: MakeCorpus) -> None:
    index = CorpusIndex.for_corpus(make_corpus([]))
    assert index.candidates(tokenize("anything at all")) == []
    assert list(index.similar_sentence_pairs()) == []


def test_a_corpus_without_bigrams_has_an_empty_bigram_index(make_corpus: MakeCorpus) -> None:
    # found by tests/test_fuzz.py: a quotation and no two content terms side by side
    corpus = make_corpus([qp.Document(id="a", text='" he said, , she said.')])
    keys, starts, rows = CorpusIndex.for_corpus(corpus).bigrams
    assert keys.size == 0 and rows.size == 0 and starts.tolist() == [0]
    graph = qp.build_graph(corpus, progress=False)
    assert graph.number_of_nodes() >= 1
