"""The shortcuts that keep big corpora fast lose nothing they claim to keep.

Candidate pruning (``candidate_rows``) drops only sentences that cannot hold a match; the
reuse keys (``reuse_pair_blocks``) return a subset of the exhaustive sentence join and find
copies; the verbatim shortcut agrees with alignment.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest
from conftest import MakeCorpus
from hypothesis import given, settings
from hypothesis import strategies as st

import quoteprov as qp
from quoteprov._settings import GRAPH
from quoteprov.provenance import _reuse
from quoteprov.search._candidates import _CandidateBatch, candidate_rows
from quoteprov.search._index import CorpusIndex
from quoteprov.search._kinds import new_symbols
from quoteprov.search._match import match_passage
from quoteprov.search._query import Query
from quoteprov.text._analysis import content_terms


@pytest.fixture(scope="module")
def seed_sentences(seeds: qp.Corpus) -> list[str]:
    return [s.text for d in seeds for s in qp.split_sentences(d.text) if len(s.text.split()) > 3]


def _corpus(sentences: list[str], rng: random.Random, n_docs: int) -> qp.Corpus:
    docs = []
    for n in range(n_docs):
        picked = rng.sample(sentences, min(len(sentences), rng.randint(2, 8)))
        docs.append(qp.Document(id=f"d{n}", text=" ".join(picked)))
    return qp.Corpus(docs)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 3))
def test_dropped_candidates_hold_no_match_of_their_own(
    seed_sentences: list[str], seed: int, cut: int
) -> None:
    rng = random.Random(seed)
    corpus = _corpus(seed_sentences, rng, 6)
    index = CorpusIndex.for_corpus(corpus)
    words = rng.choice(seed_sentences).split()
    query = Query.parse(" ".join(words[cut:]) if len(words) > cut + 2 else " ".join(words))
    (kept,) = candidate_rows([query], index, limit=10**9)
    rows, _ = index.nearest(query.tokens)
    assert set(kept.tolist()) <= set(rows.tolist())
    for u in np.setdiff1d(rows, kept).tolist():
        d, s = int(index.unit_doc[u]), int(index.unit_sent[u])
        sentence = index.docs[d].sentences[s]
        for m in match_passage(query, index.docs[d], [s], index):
            inside = sentence.start <= m.start and m.end <= sentence.end
            assert not inside, (m.kind, m.text)  # only a match across a sentence boundary


def test_candidates_are_ranked_limited_and_keep_every_likely_copy(corpus: qp.Corpus) -> None:
    index = CorpusIndex.for_corpus(corpus)
    query = Query.parse("the anti-government protests that occurred in Cuba")
    (everything,) = candidate_rows([query], index, limit=10**9)
    vector = index.vectorize(query.tokens)
    cosines = (index.matrix[everything] @ vector.T).toarray().ravel()
    assert np.all(np.diff(cosines) <= 1e-12)  # most similar first
    (two,) = candidate_rows([query], index, limit=2)
    assert two.tolist() == everything[:2].tolist()
    (copies,) = candidate_rows([query], index, limit=1, always=0.3)
    assert copies.tolist() == everything[: max(1, int((cosines >= 0.3).sum()))].tolist()
    batch = candidate_rows([query, Query.parse("Penguins skiing in the Sahara")], index, limit=5)
    assert batch[0].tolist() == everything[:5].tolist() and batch[1].size == 0


def test_a_likely_copy_holds_two_of_a_short_querys_terms() -> None:
    # the query's rarer term weighs most of it, and 30 sentences hold it alone: beyond
    # the most similar ones, only those holding both terms are kept however many there are
    docs = [
        qp.Document(id=f"x{n}", text=f"Officials charged {n} dockers on Monday in the city.")
        for n in range(30)
    ]
    docs += [
        qp.Document(id=f"y{n}", text=f"He said I will be charged with the past {n} times.")
        for n in range(12)
    ]
    # "past" is common, so "charged" weighs most of the query
    docs += [qp.Document(id=f"z{n}", text=f"In the past {n} years it rained.") for n in range(200)]
    index = CorpusIndex.for_corpus(qp.Corpus(docs))
    query = Query.parse("I will be charged with the past.")
    (rows,) = candidate_rows([query], index, limit=5, likely=0.6, probe_budget=10_000)
    both = {f"y{n}" for n in range(12)}
    found = [index.docs[int(index.unit_doc[u])].doc.id for u in rows]
    assert both <= set(found)  # every sentence holding both terms, beyond the limit
    assert len(set(found) - both) <= 5  # and no more than the limit of the others


def test_a_likely_copy_holds_enough_of_the_querys_words_in_order() -> None:
    # both terms, most of the weight, but three of the query's seven words: no occurrence
    # could be found there, so beyond the limit such sentences are not aligned
    few = [
        qp.Document(id=f"w{n}", text=f"Rebels charged the past regime {n} times in court.")
        for n in range(12)
    ]
    # the same words out of order: no alignment holds five of them
    mixed = [
        qp.Document(id=f"m{n}", text=f"The past {n} charged with I will be rebels.")
        for n in range(12)
    ]
    copies = [
        qp.Document(id=f"c{n}", text=f"Rebels: I will be charged with the past, {n} said.")
        for n in range(12)
    ]
    filler = [qp.Document(id=f"z{n}", text=f"In the past {n} years it rained.") for n in range(200)]
    index = CorpusIndex.for_corpus(qp.Corpus(few + mixed + copies + filler))
    query = Query.parse("I will be charged with the past.")
    (rows,) = candidate_rows([query], index, limit=3, likely=0.5, probe_budget=10_000)
    found = {index.docs[int(index.unit_doc[u])].doc.id for u in rows}
    assert {d.id for d in copies} <= found
    assert len(found - {d.id for d in copies}) <= 3  # only within the limit


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000))
def test_reuse_pairs_are_exhaustive_pairs_and_find_copies(
    seed_sentences: list[str], seed: int
) -> None:
    rng = random.Random(seed)
    corpus = _corpus(seed_sentences, rng, 5)
    first = corpus[corpus.ids[0]]
    corpus.add(qp.Document(id="copy", text=first.text))
    index = CorpusIndex.for_corpus(corpus)
    exhaustive = {
        (int(u), int(v))
        for us, vs, _ in index.similar_pair_blocks(min_similarity=0.3)
        for u, v in zip(us, vs, strict=True)
        if min(index.unit_len[u], index.unit_len[v]) >= 5
    }
    keyed = [
        (int(u), int(v))
        for us, vs, _ in index.reuse_pair_blocks(min_similarity=0.3, min_words=5, min_pairs=1)
        for u, v in zip(us, vs, strict=True)
    ]
    assert set(keyed) <= exhaustive and len(keyed) == len(set(keyed))
    assert keyed == sorted(keyed)
    copy = index.by_id["copy"]
    copied = {(u, v) for u, v in exhaustive if index.unit_doc[u] == 0 and index.unit_doc[v] == copy}
    assert copied <= set(keyed)


def test_verbatim_shortcut_agrees_with_alignment(seeds: qp.Corpus, make_corpus: MakeCorpus) -> None:
    text = seeds[seeds.ids[0]].text
    corpus = make_corpus([qp.Document(id="a", text=text), qp.Document(id="b", text=text)])
    index = CorpusIndex.for_corpus(corpus)
    symbols = new_symbols(index)
    checked = 0
    for us, vs, _ in index.reuse_pair_blocks(min_similarity=0.3):
        for u, v in zip(us.tolist(), vs.tolist(), strict=True):
            if index.unit_hash[u] != index.unit_hash[v]:
                continue
            fast = _reuse._sentence_reuse(index, u, v, True, symbols, settings=qp.Settings())
            slow = _reuse._sentence_reuse(index, u, v, False, symbols, settings=qp.Settings())
            assert fast == slow
            checked += fast == ("verbatim", 100.0)
    assert checked > 10


_COMMON = (
    "council fund bridge school spring river minister plan budget road money town "
    "water power rail park health police court market"
).split()
_QUOTE = "The council will fund the bridge, the school and the river park by spring"


def _common_words_corpus(
    seed: int, make: Callable[[list[qp.Document]], qp.Corpus] = qp.Corpus
) -> qp.Corpus:
    """A quotation, a verbatim and a lightly edited copy of it, and filler sentences that
    make every one of its words common (in hundreds of sentences)."""
    rng = random.Random(seed)
    docs = [
        qp.Document(id="orig", text=f'"{_QUOTE}," the mayor said. Rain fell.'),
        qp.Document(id="copy", text=f'Yesterday: "{_QUOTE}," she said.'),
        qp.Document(id="edit", text=f'"{_QUOTE.replace("school", "library")}," he said.'),
        qp.Document(id="bare", text=f"{_QUOTE}. Nothing more."),
    ]
    for n in range(40):
        sentences = [
            " ".join(rng.choice(_COMMON) for _ in range(rng.randint(6, 12))).capitalize() + "."
            for _ in range(10)
        ]
        docs.append(qp.Document(id=f"filler{n}", text=" ".join(sentences)))
    return make(docs)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bigram_probe_finds_copies_of_a_quotation_of_common_words(
    seed: int, make_corpus: MakeCorpus
) -> None:
    corpus = _common_words_corpus(seed, make_corpus)
    index = CorpusIndex.for_corpus(corpus)
    query = Query.parse(_QUOTE)
    df = np.diff(index.postings.indptr)
    budget = 40
    assert all(df[index.vocab[t]] > budget for t in query.terms)  # no term is rare
    # the reference: every sentence aligned with the query, no index
    copies = set()
    for u in range(index.matrix.shape[0]):
        d, s = int(index.unit_doc[u]), int(index.unit_sent[u])
        sentence = index.docs[d].sentences[s]
        for m in match_passage(query, index.docs[d], [s], index):
            inside = sentence.start <= m.start and m.end <= sentence.end
            if inside and m.kind in ("verbatim", "near_verbatim"):
                copies.add(u)
    assert {index.docs[int(index.unit_doc[u])].doc.id for u in copies} == {
        "orig",
        "copy",
        "edit",
        "bare",
    }
    kept = {"limit": 10**9, "min_similarity": 0.0, "probe_budget": budget, "bigram_probe": True}
    (rows,) = candidate_rows([query], index, **kept)  # type: ignore[arg-type]
    assert copies <= set(rows.tolist())
    # and the work stays within the budget: the three rarest bigrams at most thrice it
    assert rows.size <= 3 * budget + len(copies)
    (old,) = candidate_rows([query], index, limit=10**9, min_similarity=0.0, probe_budget=budget)
    assert old.size > rows.size  # the two rarest terms whatever their size: most rows


def test_families_with_a_tiny_probe_budget_keep_copies_of_common_words() -> None:
    corpus = _common_words_corpus(0)

    def quote_family(budget: int) -> set[str]:
        settings = qp.Settings(graph=replace(GRAPH, family_probe_budget=budget))
        graph = qp.Tracer(corpus, settings=settings).build_graph(workers=1)
        [family] = [
            n for n, d in graph.nodes(data=True) if d["type"] == "quote" and "council" in d["text"]
        ]
        return {v.removeprefix("doc:") for _, v in graph.out_edges(family)}

    reference = quote_family(10**9)  # every term looked up
    # the copies, and nothing the reference does not link (it also links a filler
    # sentence or two as paraphrases: random words that happen to say much the same)
    assert {"orig", "copy", "edit", "bare"} <= quote_family(40) <= reference


def _reference_document_pairs(
    index: CorpusIndex,
    docs: list[int] | None,
    *,
    min_similarity: float,
    min_pairs: int,
    max_group: int,
    max_pair_group: int,
    max_clique: int,
    anchors: int,
    counts: Callable[[np.ndarray], np.ndarray] | None = None,
    min_words: int = 5,
    rarest: int = 6,
) -> set[tuple[int, int]]:
    """``candidate_document_pairs`` the plain way: keys as tuples, every pair of a group
    (of a big group, every row with its anchors)."""
    df = np.diff(index.postings.indptr)
    groups: dict[tuple[object, ...], set[int]] = {}
    for u in range(index.matrix.shape[0]):
        if index.unit_len[u] < min_words or (docs is not None and index.unit_doc[u] not in docs):
            continue
        held = index.matrix.indices[index.matrix.indptr[u] : index.matrix.indptr[u + 1]]
        terms = sorted(held.tolist(), key=lambda t: (df[t], t))[:rarest]
        keys: list[tuple[object, ...]] = [("words", int(index.unit_hash[u]))]
        keys += [("pair", *sorted(p)) for p in itertools.combinations(terms, 2)]
        keys += [("triple", *sorted(t)) for t in itertools.combinations(terms, 3)]
        for key in keys:
            groups.setdefault(key, set()).add(u)
    kept = {
        key: rows
        for key, rows in groups.items()
        if 2 <= len(rows) <= (max_pair_group if key[0] == "pair" else max_group)
    }
    big = max(max_clique, anchors)

    def counted(rows: set[int]) -> set[int]:
        return {u for u in rows if counts is None or counts(np.array([u]))[0]}

    held = Counter(
        int(index.unit_doc[u]) for rows in kept.values() if len(rows) > big for u in counted(rows)
    )
    similar: Counter[tuple[int, int]] = Counter()
    for rows in kept.values():
        if len(rows) <= big:
            pairs = list(itertools.combinations(sorted(rows), 2))
        else:
            rows = counted(rows)
            ranked = sorted(rows, key=lambda u: (-held[int(index.unit_doc[u])], u))
            pairs = [(min(u, v), max(u, v)) for u in ranked[:anchors] for v in rows]
        for u, v in pairs:
            a, b = int(index.unit_doc[u]), int(index.unit_doc[v])
            if a != b and (u, v) not in similar:
                cosine = float(index.matrix[u].multiply(index.matrix[v]).sum())
                if cosine >= min_similarity:
                    similar[(u, v)] = 1
    per_document: Counter[tuple[int, int]] = Counter()
    for u, v in similar:
        per_document[(int(index.unit_doc[u]), int(index.unit_doc[v]))] += 1
    return {pair for pair, count in per_document.items() if count >= min_pairs}


@settings(max_examples=30, deadline=None)
@given(
    st.integers(0, 10_000),
    st.integers(1, 3),
    st.integers(2, 12),
    st.integers(2, 6),
    st.integers(2, 8),
    st.integers(1, 3),
    st.booleans(),
    st.booleans(),
)
def test_candidate_document_pairs_match_the_plain_reference(
    seed: int,
    min_pairs: int,
    max_group: int,
    max_pair_group: int,
    max_clique: int,
    anchors: int,
    some_docs: bool,
    some_rows: bool,
) -> None:
    # few words, so that keys collide, groups overflow their caps and chance pairs abound
    rng = random.Random(seed)
    words = [f"w{k}" for k in range(18)]
    sentences = [
        " ".join(rng.choice(words) for _ in range(rng.randint(3, 9))).capitalize() + "."
        for _ in range(30)
    ]
    docs = []
    for n in range(12):
        picked = rng.sample(sentences, rng.randint(2, 6))
        if n and rng.random() < 0.5:  # a copy of an earlier document, lightly edited
            picked = docs[rng.randrange(n)].text.split(". ")[: rng.randint(2, 4)] + picked[:1]
            picked = [p.rstrip(".").replace("w1 ", "w2 ", 1) + "." for p in picked]
        docs.append(qp.Document(id=f"d{n}", text=" ".join(picked)))
    index = CorpusIndex.for_corpus(qp.Corpus(docs))
    subset = sorted(rng.sample(range(len(docs)), 8)) if some_docs else None
    options = {
        "min_similarity": 0.3,
        "min_pairs": min_pairs,
        "max_group": max_group,
        "max_pair_group": max_pair_group,
        "max_clique": max_clique,
        "anchors": anchors,
        # in a big group, only the rows that count (narrative ones, in the graph) pair up
        "counts": (lambda rows: rows % 3 != 0) if some_rows else None,
    }
    found = index.candidate_document_pairs(docs=subset, **options)  # type: ignore[arg-type]
    assert found.tolist() == sorted(found.tolist())
    expected = _reference_document_pairs(index, subset, **options)  # type: ignore[arg-type]
    assert {(int(a), int(b)) for a, b in found} == expected


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000))
def test_one_query_shortcuts_agree_with_the_batch_arithmetic(
    seed_sentences: list[str], seed: int
) -> None:
    # a trace's batch of one query takes shortcuts: its pairs from the posting lists
    # (no product) and its statistics from dense term vectors; same numbers, to the bit
    rng = random.Random(seed)
    index = CorpusIndex.for_corpus(_corpus(seed_sentences, rng, 8))
    words = rng.choice(seed_sentences).split()
    query = Query.parse(" ".join(words[: rng.randint(3, len(words))]))
    other = Query.parse(rng.choice(seed_sentences))
    terms = [content_terms(q.tokens) for q in (query, other)]
    one = _CandidateBatch([query], terms[:1], index, 0.0, probe_budget=10**9)
    both = _CandidateBatch([query, other], terms, index, 0.0)
    rows = np.arange(index.matrix.shape[0], dtype=np.int64)
    general = both._stats(np.zeros(rows.size, dtype=np.int64), rows)
    shortcut = one._stats(np.zeros(rows.size, dtype=np.int64), rows)
    for a, b in zip(general, shortcut, strict=True):
        assert a.tolist() == b.tolist()
    product = (one.vectors @ index.postings).tocoo()
    expected = sorted(zip(product.row.tolist(), product.col.tolist(), strict=True))
    posted = one._posted(one.vectors)
    assert list(zip(*(p.tolist() for p in posted), strict=True)) == expected


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 4), st.booleans())
def test_excluded_documents_free_their_places_for_others(
    seed_sentences: list[str], seed: int, limit: int, family: bool
) -> None:
    rng = random.Random(seed)
    corpus = _corpus(seed_sentences, rng, 8)
    index = CorpusIndex.for_corpus(corpus)
    query = Query.parse(rng.choice(seed_sentences))
    options: dict[str, object] = {"min_similarity": 0.0}
    if family:  # as the provenance stage traces quotations
        options.update(min_containment=0.15, probe_budget=20, bigram_probe=True)
    own = set(rng.sample(range(len(corpus)), 3))
    (everything,) = candidate_rows([query], index, limit=10**9, **options)  # type: ignore[arg-type]
    others = [u for u in everything.tolist() if int(index.unit_doc[u]) not in own]
    (kept,) = candidate_rows([query], index, limit=limit, exclude=[own], **options)  # type: ignore[arg-type]
    assert kept.tolist() == others[:limit]
