"""Families, origins and reuse edges, on the seeds and on small constructed corpora."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

import networkx as nx
import numpy as np
import pytest
from conftest import ARTICLE, HAVANA, MINJU, OUTLET, REWRITE, STATEMENT, MakeCorpus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import quoteprov as qp
from quoteprov._models import OriginBasis
from quoteprov.provenance import _families, _reuse
from quoteprov.provenance._origin import _Candidate, _date_order, _earliest, choose_origin
from quoteprov.provenance._reuse import document_reuse
from quoteprov.search._index import CorpusIndex
from quoteprov.search._kinds import new_symbols


@pytest.fixture
def graph(corpus: qp.Corpus) -> nx.DiGraph:
    """The seeds' graph, built on each storage backend (a tenth of a second each)."""
    return qp.build_graph(corpus)


@pytest.mark.parametrize("sentence", STATEMENT)
def test_each_statement_sentence_is_traced_to_three_outlets(
    corpus: qp.Corpus, sentence: str
) -> None:
    trace = qp.trace_quote(sentence, corpus)
    best = {}
    for m in trace.matches:
        best.setdefault(m.doc_id, m)
        assert corpus[m.doc_id].text[m.start : m.end] == m.text
    assert best[ARTICLE].kind == "verbatim"
    assert best[OUTLET].kind == "verbatim"
    assert best[REWRITE].kind in ("near_verbatim", "paraphrase")
    assert HAVANA not in best and MINJU not in best
    assert trace.origin is not None and trace.origin.doc_id in (ARTICLE, OUTLET)
    assert trace.origin_reason


def test_rewrite_changes_are_listed(corpus: qp.Corpus) -> None:
    trace = qp.trace_quote(STATEMENT[3], corpus)
    rewrite = next(m for m in trace.matches if m.doc_id == REWRITE)
    assert rewrite.kind == "paraphrase" and rewrite.speaker == "the statement"
    substituted = {(c.query, c.found) for c in rewrite.changes if c.op == "substitute"}
    assert ("confident", "convinced") in substituted
    for c in rewrite.changes:
        assert corpus[REWRITE].text[c.start : c.end] == c.found


def test_sentence_in_no_document_finds_nothing(corpus: qp.Corpus) -> None:
    trace = qp.trace_quote("Penguins have been spotted skiing in the Sahara desert.", corpus)
    assert trace.matches == () and trace.origin is None and trace.origin_reason is None


def test_interrupted_diaz_canel_quotation_is_one_quotation(corpus: qp.Corpus) -> None:
    query = (
        "If President Joseph Biden had sincere humanitarian concern for the Cuban people, "
        "he could eliminate the 243 measures applied by President Donald Trump"
    )
    trace = qp.trace_quote(query, corpus)
    by_doc = {m.doc_id: m for m in reversed(trace.matches)}
    article = by_doc[ARTICLE]
    assert article.kind == "verbatim" and "tweeted Friday" in article.text  # the interruption
    assert article.speaker == "Díaz-Canel"
    outlet = by_doc[OUTLET]  # "applied" became "implemented" in the other outlet
    assert outlet.kind == "near_verbatim" and outlet.speaker == "Diaz-Canel"
    assert [(c.query, c.found) for c in outlet.changes] == [("applied", "implemented")]


def test_two_zakharova_statements_are_not_linked(corpus: qp.Corpus, graph: nx.DiGraph) -> None:
    outlet_statement = (
        "The logic is simple here. It has been tested on numerous occasions by "
        "Washington in various situations"
    )
    assert {m.doc_id for m in qp.trace_quote(outlet_statement, corpus).matches} == {OUTLET}
    families = [
        n
        for n, d in graph.nodes(data=True)
        if d["type"] == "quote" and "Zakharova" in d.get("speaker", "")
    ]
    assert len(families) >= 2
    for family in families:
        assert graph.nodes[family]["documents"] == 1


def test_rewrite_is_derived_from_the_article_and_nothing_else_is(graph: nx.DiGraph) -> None:
    derived = {(u, v) for u, v, d in graph.edges(data=True) if d["type"] == "derived_from"}
    assert derived == {("doc:" + REWRITE, "doc:" + ARTICLE)}
    edge = graph.edges["doc:" + REWRITE, "doc:" + ARTICLE]
    assert edge["count"] >= 5 and edge["evidence"].startswith("containment")


def test_statement_families_span_three_documents_with_an_origin_that_is_not_the_rewrite(
    graph: nx.DiGraph,
) -> None:
    statement = [
        n
        for n, d in graph.nodes(data=True)
        if d["type"] == "quote"
        and d["documents"] == 3
        and {v for _, v in graph.out_edges(n)}
        == {"doc:" + ARTICLE, "doc:" + OUTLET, "doc:" + REWRITE}
    ]
    assert len(statement) == 4
    for family in statement:
        assert graph.nodes[family]["origin"] in ("doc:" + ARTICLE, "doc:" + OUTLET)
        assert graph.edges[family, "doc:" + REWRITE]["kind"] in ("near_verbatim", "paraphrase")
        origins = [v for _, v, d in graph.out_edges(family, data=True) if d["is_origin"]]
        assert origins == [graph.nodes[family]["origin"]]


def test_graph_schema(graph: nx.DiGraph) -> None:
    prefixes = {"document": "doc:", "quote": "quote:", "speaker": "speaker:"}
    for node, data in graph.nodes(data=True):
        assert node.startswith(prefixes[data["type"]])
        for value in data.values():
            assert isinstance(value, (str, int, float, bool))
    for u, v, data in graph.edges(data=True):
        kinds = {
            "occurs_in": ("quote", "document"),
            "derived_from": ("document", "document"),
            "said": ("speaker", "quote"),
        }
        assert (graph.nodes[u]["type"], graph.nodes[v]["type"]) == kinds[data["type"]]
        for value in data.values():
            assert isinstance(value, (str, int, float, bool))
        if data["type"] == "occurs_in":
            doc = graph.nodes[v]
            assert {"kind", "score", "start", "end", "is_origin"} <= data.keys()
            assert doc["type"] == "document"


def test_occurrence_offsets_point_into_documents(corpus: qp.Corpus, graph: nx.DiGraph) -> None:
    for _, v, d in graph.edges(data=True):
        if d["type"] == "occurs_in":
            assert corpus[v.removeprefix("doc:")].text[d["start"] : d["end"]] == d["text"]


def test_graphml_round_trip_keeps_the_graph(graph: nx.DiGraph, tmp_path: object) -> None:
    path = qp.write_graphml(graph, tmp_path / "seeds.graphml")  # type: ignore[operator]
    back = qp.read_graphml(path)
    assert set(back.nodes) == set(graph.nodes) and set(back.edges) == set(graph.edges)
    for node, data in graph.nodes(data=True):
        assert back.nodes[node] == data
    for u, v, data in graph.edges(data=True):
        assert back.edges[u, v] == data


def _article_paragraphs(seeds: qp.Corpus) -> list[str]:
    text = seeds[ARTICLE].text
    return [p for p in text.split("\n") if len(p.split()) > 25][:8]


def test_two_identical_documents(seeds: qp.Corpus, make_corpus: MakeCorpus) -> None:
    text = "\n\n".join(_article_paragraphs(seeds))
    corpus = make_corpus([qp.Document(id="a", text=text), qp.Document(id="b", text=text)])
    graph = qp.build_graph(corpus)
    derived = [(u, v) for u, v, d in graph.edges(data=True) if d["type"] == "derived_from"]
    assert len(derived) == 1  # one direction, not a cycle
    assert "undetermined" in graph.edges[derived[0]]["evidence"]
    trace = qp.trace_quote(STATEMENT[0], corpus)
    assert [(m.doc_id, m.kind) for m in trace.matches] == [("a", "verbatim"), ("b", "verbatim")]
    assert trace.origin_reason == "no evidence separates a and b: the first in corpus order"
    assert trace.origin_basis is qp.OriginBasis.CORPUS_ORDER


def test_reordered_copy_is_still_found_and_linked(
    seeds: qp.Corpus, make_corpus: MakeCorpus
) -> None:
    paragraphs = _article_paragraphs(seeds)
    shuffled = paragraphs[:]
    random.Random(7).shuffle(shuffled)
    assert shuffled != paragraphs
    corpus = make_corpus(
        [
            qp.Document(id="original", text="\n".join(paragraphs), published="2021-07-16"),
            qp.Document(id="reordered", text="\n".join(shuffled), published="2021-07-18"),
        ]
    )
    graph = qp.build_graph(corpus)
    edge = graph.edges["doc:reordered", "doc:original"]
    assert edge["type"] == "derived_from" and edge["evidence"].startswith("publication dates")
    assert not graph.has_edge("doc:original", "doc:reordered")
    # a query made of two sentences that the copy has in the other order
    first, second = paragraphs[1].split(". ")[0], paragraphs[4].split(". ")[0]
    trace = qp.trace_quote(f"{first}. {second}.", corpus)
    assert {m.doc_id for m in trace.matches} == {"original", "reordered"}
    assert trace.origin is not None and trace.origin.doc_id == "original"
    assert trace.origin_basis is qp.OriginBasis.DATE
    assert trace.origin_reason == "earliest publication date (2021-07-16; later: reordered)"


def test_identical_quotations_are_one_family_whatever_the_index_returns(
    monkeypatch: pytest.MonkeyPatch, make_corpus: MakeCorpus
) -> None:
    # in a big corpus a short popular quotation's candidates are cut off; simulate the
    # worst case, an index that returns nothing, and the same words are still one family
    monkeypatch.setattr(
        _families, "candidate_rows", lambda queries, *_, **__: [np.zeros(0, int)] * len(queries)
    )
    towns = ["Leeds", "Hull", "York", "Bath", "Ely"]
    corpus = make_corpus(
        qp.Document(id=t, text=f'In {t} the mayor said: "It was a bitter blow." Rain fell.')
        for t in towns
    )
    graph = qp.build_graph(corpus)
    [family] = [n for n, d in graph.nodes(data=True) if d["type"] == "quote"]
    assert {v for _, v in graph.out_edges(family)} == {f"doc:{t}" for t in towns}
    assert graph.nodes[family]["origin"] == "doc:Leeds"


@pytest.mark.parametrize("seed", range(3))
def test_a_statement_in_many_versions_forms_the_families_tracing_every_version_forms(
    monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    # the leaders' shortcut (trace one version, join those it reaches) against the plain
    # way, every distinct version traced
    rng = random.Random(seed)
    # the first two share five words in a row: one group, whose leader misses the other
    other = "Nobody expected the old stone bridge to survive another winter of heavy floods."
    statements = [_STORY[0], other, _STORY[3]]
    records = []
    for n in range(36):
        said = rng.choice(statements)
        if rng.random() < 0.5:
            said = _edited(said, n % len(_ADVERBS))
        filler = " ".join(rng.sample(_LOCAL, 2))
        records.append({"id": f"d{n}", "text": f'{filler} "{said}" Ana Ruiz said.'})
    index = CorpusIndex.for_corpus(qp.Corpus.from_records(records))
    symbols = index.symbols

    def families() -> set[frozenset[tuple[int, int]]]:
        found = _families._families(index, set(), symbols=symbols, settings=qp.Settings())
        return {frozenset((o.doc, o.start) for o in f) for f in found}

    shortcut = families()
    monkeypatch.setattr(_families, "_leaders", lambda quotations, numbers, holders: list(numbers))
    assert shortcut == families()


def _candidate(
    doc_id: str,
    kind: str = "verbatim",
    speaker: str | None = None,
    published: str | None = None,
    position: int = 0,
) -> _Candidate:
    doc = qp.Document(id=doc_id, text="x", published=published)
    return _Candidate(doc, kind, speaker, position)


def test_origin_by_date_when_every_occurrence_is_dated() -> None:
    n, basis, reason = choose_origin(
        [
            _candidate("late", published="2021-07-17"),
            _candidate("early", kind="near_verbatim", published="2021-07-16T23:00:00+00:00"),
        ],
        set(),
    )
    assert (n, basis) == (1, OriginBasis.DATE)
    assert reason == "earliest publication date (2021-07-16 23:00:00+00:00; later: late)"


def test_a_fragment_or_a_rewording_never_wins_by_being_earlier() -> None:
    pool = [
        _candidate("fragment", kind="partial", published="2021-07-01"),
        _candidate("rewrite", kind="paraphrase", published="2021-07-02"),
        _candidate("copy", kind="verbatim", published="2021-07-20"),
    ]
    n, basis, reason = choose_origin(pool, set())
    assert (n, basis) == (2, OriginBasis.COMPLETENESS)
    assert reason == (
        "the occurrences holding the whole quotation "
        "(set aside: fragment (partial), rewrite (paraphrase))"
    )
    # without a whole occurrence, a rewording still comes before a fragment
    n, basis, _ = choose_origin(pool[:2], set())
    assert (n, basis) == (1, OriginBasis.COMPLETENESS)


def test_a_date_without_a_time_ties_with_a_time_on_the_same_day() -> None:
    day = _candidate("wire", kind="near_verbatim", published="2024-03-04", position=0)
    morning = _candidate("blog", published="2024-03-04T08:00:00", position=1)
    n, basis, reason = choose_origin([day, morning], set())
    assert (n, basis) == (1, OriginBasis.COMPLETENESS)
    assert (
        reason == "the occurrence in the query's exact words (others edited: wire (near_verbatim))"
    )
    # a day earlier, or a time on an earlier day, still decides by the date
    before = _candidate("eve", kind="near_verbatim", published="2024-03-03T23:00:00", position=2)
    assert choose_origin([day, morning, before], set()) == (
        2,
        OriginBasis.DATE,
        "earliest publication date (2024-03-03 23:00:00; later: blog, wire)",
    )
    assert choose_origin([day, _candidate("next", published="2024-03-05T01:00:00")], set()) == (
        0,
        OriginBasis.DATE,
        "earliest publication date (2024-03-04; later: next)",
    )
    # two times on the same day as a bare date: the earlier time is not the earliest
    later = _candidate("blog2", published="2024-03-04T09:00:00", position=0)
    n, basis, reason = choose_origin([day, later, morning], set())
    assert (n, basis) == (2, OriginBasis.COMPLETENESS)
    assert reason == (
        "later publications set aside (blog2: after 2024-03-04); "
        "the occurrence in the query's exact words (others edited: wire (near_verbatim))"
    )


def test_an_undated_occurrence_may_be_earlier_than_the_dated_ones() -> None:
    pool = [
        _candidate("late", published="2021-07-20", position=0),
        _candidate("early", published="2021-07-16", position=1),
        _candidate("undated", speaker="Zhao", position=2),
    ]
    n, basis, reason = choose_origin(pool, set())
    assert (n, basis) == (2, OriginBasis.ATTRIBUTION)
    assert reason == (
        "later publications set aside (late: after 2021-07-16); undated ones kept, since "
        "they may be earlier (undated); an attributed occurrence (unattributed: early)"
    )
    # the copies are looked for among the candidates left after the dates only
    asked: list[set[str]] = []

    def derived(left: Sequence[_Candidate]) -> set[tuple[str, str]]:
        asked.append({c.doc.id for c in left})
        return {("undated", "early")}

    assert choose_origin(pool, derived)[:2] == (1, OriginBasis.CONTAINMENT)
    assert asked == [{"early", "undated"}]


def test_origin_evidence_without_complete_dates() -> None:
    # the only dated occurrence is in a copy: dates cannot decide
    pool = [
        _candidate("rewrite", "near_verbatim", "x", "2021-07-16", 1),
        _candidate("article", "verbatim", "x", None, 0),
    ]
    n, basis, reason = choose_origin(pool, {("rewrite", "article")})
    assert (n, basis) == (1, OriginBasis.CONTAINMENT)
    assert reason == "copies set aside (rewrite: derived from another occurrence's document)"
    n, basis, reason = choose_origin(pool, set())
    assert (n, basis) == (1, OriginBasis.COMPLETENESS)
    pool = [_candidate("a", position=0), _candidate("b", speaker="Zhao", position=1)]
    assert choose_origin(pool, set()) == (
        1,
        OriginBasis.ATTRIBUTION,
        "an attributed occurrence (unattributed: a)",
    )
    tie = [_candidate("a", position=1), _candidate("b", position=0)]
    assert choose_origin(tie, set())[:2] == (1, OriginBasis.CORPUS_ORDER)
    assert choose_origin(tie[:1], set()) == (0, OriginBasis.ONLY, "only occurrence")


fragments = st.sampled_from(
    [
        '"',
        "“",
        "”",
        "‘",
        "’",
        "«",
        "»",
        ",",
        ".",
        " ",
        "\n",
        "he said",
        "said Smith",
        "not",
        "We will win the vote",
        "We will win the vote",
        "Cuba",
        "3",
        "Dr.",
        "U.S.",
        "\x00",
        "é",
    ]
)
texts = st.lists(st.one_of(fragments, st.text(max_size=20)), max_size=30).map(" ".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=1, max_size=4))
def test_any_text_gives_a_consistent_graph(docs: list[str]) -> None:
    corpus = qp.Corpus(qp.Document(id=f"d{n}", text=t) for n, t in enumerate(docs))
    graph = qp.build_graph(corpus)
    for _, v, d in graph.edges(data=True):
        if d["type"] == "occurs_in":
            assert corpus[v.removeprefix("doc:")].text[d["start"] : d["end"]] == d["text"]
    for node, d in graph.nodes(data=True):
        if d["type"] == "quote":
            origins = [v for _, v, e in graph.out_edges(node, data=True) if e["is_origin"]]
            assert origins == [d["origin"]]


def test_a_quotation_repeated_many_times_in_one_document(make_corpus: MakeCorpus) -> None:
    # regression (big-document benchmark, issue 4): the 41st family of one text looped
    # for ever looking for an unused prefix of its digest; the same words are now one
    # family, its occurrences counted on the one edge
    text = " ".join(['"We will win this fight," she said. Later on.'] * 45)
    graph = qp.build_graph(make_corpus([{"id": "a", "text": text}]), workers=1)
    [quote] = [n for n, d in graph.nodes(data=True) if d["type"] == "quote"]
    assert graph.nodes[quote]["text"] == "We will win this fight,"
    assert graph.nodes[quote]["occurrences"] == 45
    assert graph.edges[quote, "doc:a"]["count"] == 45


def test_quotations_and_sentences_longer_than_a_query_are_traced(make_corpus: MakeCorpus) -> None:
    # regression (fuzzing, issue 4): a quotation or sentence of more than 2,000 words made
    # build_graph raise "the query has 2500 words"; the graph traces its first 2,000
    words = " ".join(f"w{k}" for k in range(2500))
    run_on = " ".join(f"v{k}" for k in range(2500))
    docs = [
        {"id": "a", "text": f'She said: "{words}." {run_on} end.', "published": "2020-01-01"},
        {"id": "b", "text": f'He said: "{words}." {run_on} stop.', "published": "2020-01-02"},
    ]
    corpus = make_corpus(docs)
    graph = qp.build_graph(corpus, workers=1)
    [family] = [n for n, d in graph.nodes(data=True) if d["type"] == "quote"]
    assert graph.nodes[family]["documents"] == 2
    assert graph.nodes[family]["origin"] == "doc:a"
    index = CorpusIndex.for_corpus(corpus)
    reuse = document_reuse(index, min_shared=1)
    assert reuse[(0, 1)].narrative == {(0, 0)}  # one 5,002-word sentence each, aligned


@pytest.mark.parametrize("seed", range(6))
def test_origin_evidence_names_the_copies_the_exhaustive_comparison_finds(
    seeds: qp.Corpus, seed: int, make_corpus: MakeCorpus
) -> None:
    # _known_derivations aligns a dated pair only until it proves reuse and skips pairs
    # that would only name a known copy again: the same documents are copies as when
    # every pair of the candidate documents is aligned whole (document_reuse)
    rng = random.Random(seed)
    sentences = [s.text for d in seeds for s in qp.split_sentences(d.text)]
    sentences = [s for s in sentences if len(s.split()) >= 6]
    texts: list[list[str]] = []
    for _ in range(14):
        if texts and rng.random() < 0.6:  # a copy of an earlier document, edited a little
            copied = list(rng.choice(texts))
            rng.shuffle(copied)
            copied = copied[: rng.randint(1, len(copied))]
            copied = [s.replace(" the ", " a ", 1) if rng.random() < 0.3 else s for s in copied]
            texts.append(copied + rng.sample(sentences, rng.randint(0, 3)))
        else:
            texts.append(rng.sample(sentences, rng.randint(2, 6)))
    dates = [None, "2021-07-16", "2021-07-16", "2021-07-17T08:00:00", "2021-07-18", "2021-07-19"]
    corpus = make_corpus(
        qp.Document(id=f"d{n}", text=" ".join(t), published=rng.choice(dates))
        for n, t in enumerate(texts)
    )
    index = CorpusIndex.for_corpus(corpus)
    for min_shared in (0, 1, 2):
        for _ in range(3):
            docs = sorted(rng.sample(range(len(texts)), rng.randint(2, len(texts))))
            exhaustive = {
                (index.docs[d.copy].doc.id, index.docs[d.source].doc.id)
                for d in _reuse._derivations(
                    index, document_reuse(index, docs, min_shared), min_shared
                )
                if d.determined
            }
            symbols = new_symbols(index)
            known = _reuse._known_derivations(
                index, docs, min_shared, symbols, settings=qp.Settings()
            )
            assert known <= exhaustive
            assert {c for c, _ in known} == {c for c, _ in exhaustive}


def test_documents_without_a_similar_sentence_pair_have_none_to_align(
    make_corpus: MakeCorpus,
) -> None:
    # long sentences that share no word: the documents' sentence blocks are empty, which
    # an origin decided between them (a trace's candidates) once failed on
    corpus = make_corpus(
        [
            qp.Document(id="a", text="Storms flooded seven coastal villages overnight again."),
            qp.Document(id="b", text="Parliament approved budget reforms after lengthy debate."),
        ]
    )
    index = CorpusIndex.for_corpus(corpus)
    pairs = np.array([[0, 1]])
    assert _reuse._sentence_pairs(index, pairs, settings=qp.Settings()) == {(0, 1): ([], [], [])}


def _families_by_document(graph: nx.DiGraph) -> dict[str, set[str]]:
    """For each document, the quote nodes with an occurrence in it."""
    out: dict[str, set[str]] = {}
    for u, v, d in graph.edges(data=True):
        if d["type"] == "occurs_in":
            out.setdefault(v, set()).add(u)
    return out


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            '"The harbour bridge will reopen to lorries before the end of March," '
            "Mayor Ines Okafor said.",
            '"The harbour bridge will stay shut to every lorry until the inspectors finish," '
            "Councillor Petra Lund said.",
        ),
        (
            '"Our schools are losing teachers faster than we can train them," Ada Moss said.',
            '"Our schools are losing their libraries to the budget cuts this spring," '
            "Rui Tavares said.",
        ),
    ],
)
def test_two_statements_sharing_their_first_words_stay_two_families(
    first: str, second: str, make_corpus: MakeCorpus
) -> None:
    corpus = make_corpus(
        [
            {"id": "a", "text": first, "published": "2024-05-01"},
            {"id": "b", "text": second, "published": "2024-05-02"},
        ]
    )
    graph = qp.build_graph(corpus)
    by_doc = _families_by_document(graph)
    assert len(by_doc["doc:a"]) == len(by_doc["doc:b"]) == 1
    assert by_doc["doc:a"] != by_doc["doc:b"]
    speakers = sorted(n for n, d in graph.nodes(data=True) if d["type"] == "speaker")
    assert len(speakers) == 2
    for quote in by_doc["doc:a"] | by_doc["doc:b"]:
        assert graph.nodes[quote]["occurrences"] == graph.nodes[quote]["documents"] == 1


def test_a_whole_quotation_of_another_speaker_is_no_fragment_of_a_longer_one(
    make_corpus: MakeCorpus,
) -> None:
    corpus = make_corpus(
        [
            {
                "id": "a",
                "text": '"We will cut taxes for every working family in the state next year," '
                "Governor Ana Ruiz said.",
                "published": "2024-05-01",
            },
            {
                "id": "b",
                "text": 'Senator Bo Lind said: "We will cut taxes for every working family." '
                "He gave no date.",
                "published": "2024-05-02",
            },
            {
                "id": "c",
                "text": 'Ruiz promised to "cut taxes for every working family" in a speech.',
                "published": "2024-05-03",
            },
        ]
    )
    graph = qp.build_graph(corpus)
    by_doc = _families_by_document(graph)
    assert by_doc["doc:a"].isdisjoint(by_doc["doc:b"])
    # a fragment with no speaker of its own, or the same one, still joins the family
    assert by_doc["doc:c"] <= by_doc["doc:a"]
    said = {(u, v) for u, v, d in graph.edges(data=True) if d["type"] == "said"}
    assert ("speaker:bo lind", next(iter(by_doc["doc:b"]))) in said


def test_no_uncorroborated_occurrence_says_less_than_the_scorer_floor(
    make_corpus: MakeCorpus,
) -> None:
    from quoteprov.search._scorer import paraphrase_floor

    texts = [
        '"We visited a 47-year-old farmer and his three daughters near the river," Tom Vale said.',
        "Police said a 31-year-old man was arrested near the station on Tuesday.",
        "A 62-year-old farmer from the valley won the prize for his three daughters' cheese.",
        '"Inflation is coming down faster than anyone predicted last year," Yellen said.',
        '"Inflation is coming back with a vengeance this winter, I fear," Rick Scott said.',
    ]
    corpus = make_corpus(
        [{"id": f"d{k}", "text": t, "published": f"2024-05-0{k + 1}"} for k, t in enumerate(texts)]
    )
    graph = qp.build_graph(corpus)
    occurrences = [d for _, _, d in graph.edges(data=True) if d["type"] == "occurs_in"]
    assert occurrences
    assert all(d["score"] >= paraphrase_floor() for d in occurrences)
    assert all(len(d["text"].split()) >= 3 for d in occurrences if d["kind"] == "partial")
    for n, d in graph.nodes(data=True):
        if d["type"] == "quote":
            edges = [graph.edges[n, v] for v in graph.successors(n)]
            assert d["occurrences"] == sum(e["count"] for e in edges if e["type"] == "occurs_in")


def test_a_bare_date_and_a_time_of_the_same_day_leave_the_direction_to_containment(
    make_corpus: MakeCorpus,
) -> None:
    story = [
        "The harbour authority approved a new ferry terminal on the east quay on Monday.",
        "Construction will begin in April and should take about eighteen months to finish.",
        "The project will cost the city roughly forty million euros over three years.",
    ]
    extra = (
        "Local shop owners said the building work would keep customers away all summer. "
        "The ferry company expects twice as many passengers once the terminal opens."
    )
    records = [
        {"id": "wire", "text": " ".join(story), "published": "2024-03-04"},
        {"id": "blog", "text": " ".join([*story[:2], extra]), "published": "2024-03-04T08:00"},
    ]
    graph = qp.build_graph(make_corpus(records))
    derived = [
        (u, v, d["evidence"]) for u, v, d in graph.edges(data=True) if d["type"] == "derived_from"
    ]
    assert len(derived) == 1 and derived[0][2].startswith("containment"), derived
    records[1]["published"] = "2024-03-05T08:00"  # a day later: the dates decide
    graph = qp.build_graph(make_corpus(records))
    derived = [
        (u, v, d["evidence"]) for u, v, d in graph.edges(data=True) if d["type"] == "derived_from"
    ]
    assert derived == [
        ("doc:blog", "doc:wire", "publication dates: 2024-03-05 08:00:00 after 2024-03-04")
    ]


# -- occurrences, related text, elisions and viral copies (issue 15) ----------------------


def test_fragments_of_common_words_are_related_not_occurrences(make_corpus: MakeCorpus) -> None:
    quote = "The harbour authority will never sell the northern piers to a private developer"
    corpus = make_corpus(
        [
            qp.Document(id="wire", text=f'"{quote}," Ana Ruiz said.', published="2024-03-02"),
            qp.Document(id="copy", text=f"Ruiz said: “{quote}.”", published="2024-03-05"),
            # earlier, but only a few of the query's words: never the origin
            qp.Document(
                id="early",
                text='Critics said "the northern piers to a private developer" was a mistake.',
                published="2024-03-01",
            ),
        ]
    )
    trace = qp.trace_quote(quote, corpus)
    assert {m.doc_id for m in trace.matches} == {"wire", "copy"}
    assert [m.doc_id for m in trace.related] == ["early"]
    assert all(m.coverage < 0.5 for m in trace.related)
    assert trace.origin is not None and trace.origin.doc_id == "wire"
    assert trace.origin_basis is OriginBasis.DATE
    assert "copy" in (trace.origin_reason or "")  # the reason names the other documents
    # a lower bar lets the fragment in as an occurrence; it is still no origin
    loose = qp.trace_quote(quote, corpus, min_coverage=0.05)
    assert {m.doc_id for m in loose.matches} == {"wire", "copy", "early"}
    assert loose.origin is not None and loose.origin.doc_id == "wire"


@pytest.mark.parametrize("bad", [-0.1, 1.5, "half", True])
def test_min_coverage_must_be_a_share(bad: object) -> None:
    with pytest.raises(qp.InputError, match="min_coverage"):
        qp.trace_quote("peace is near", [{"id": "a", "text": "Peace is near."}], min_coverage=bad)  # type: ignore[arg-type]


def test_the_seeds_statement_elided_is_the_verbatim_quotation(corpus: qp.Corpus) -> None:
    words = STATEMENT[3].rstrip(".").split()
    for mark in (" … ", " ... ", " [...] "):
        query = " ".join(words[:7]) + mark + " ".join(words[12:])
        trace = qp.trace_quote(query, corpus)
        best = {m.doc_id: m for m in reversed(trace.matches)}
        for doc in (ARTICLE, OUTLET):
            m = best[doc]
            assert (m.kind, m.elided, m.altered) == ("verbatim", True, False)
            assert [c.found for c in m.changes] == [" ".join(words[7:12]).rstrip(",")]
            assert corpus[doc].text[m.start : m.end] == m.text
        assert trace.origin is not None and trace.origin.doc_id in (ARTICLE, OUTLET)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_elision_of_a_quotation_is_found_verbatim_and_elided(data: st.DataObject) -> None:
    vocab = "council harbour bridge winter ferry budget river station market vote".split()
    words = data.draw(st.lists(st.sampled_from(vocab), min_size=8, max_size=20))
    a = data.draw(st.integers(2, len(words) - 4))
    b = data.draw(st.integers(a + 1, len(words) - 2))
    mark = data.draw(st.sampled_from([" … ", " ... ", " [...] ", " […] "]))
    text = "Before that. " + "“" + " ".join(words) + ",” the mayor said. After that."
    query = " ".join(words[:a]) + mark + " ".join(words[b:])
    corpus = qp.Corpus([qp.Document(id="d", text=text)])
    trace = qp.trace_quote(query, corpus)
    assert trace.matches, query
    m = trace.matches[0]
    assert text[m.start : m.end] == m.text
    assert m.kind == "verbatim" and m.elided
    for c in m.changes:
        assert c.elision and text[c.start : c.end] == c.found


@pytest.mark.parametrize("copies", [10, 100])
def test_every_copy_of_a_widely_copied_quotation_is_returned(
    copies: int, make_corpus: MakeCorpus
) -> None:
    rng = random.Random(copies)
    quote = "We will not let the harbour authority sell the northern piers this winter"
    filler = "The council met on {} to discuss the {} budget and the {} plans for the city."
    words = "bridge ferry market river station school library".split()
    docs = []
    for k in range(copies + 50):
        text = filler.format(k, rng.choice(words), rng.choice(words))
        if k < copies:
            said = quote if k % 3 else quote.replace("northern", "old northern")
            text += f' "{said}," the mayor said.'
        docs.append(qp.Document(id=f"d{k:04}", text=text))
    trace = qp.trace_quote(quote, make_corpus(docs))
    assert {m.doc_id for m in trace.matches} == {f"d{k:04}" for k in range(copies)}


# An invented agency story: each reprint below takes some of its sentences.
_STORY = [
    "The river authority closed the old stone bridge to all traffic early on Tuesday.",
    "Engineers found deep cracks in two of the arches during a routine inspection last week.",
    "Buses between the north bank and the market square will take a longer route for now.",
    "The authority said repairs could start in the spring if the council releases the money.",
    "Shopkeepers near the bridge fear that the detour will keep customers away for months.",
    "A temporary footbridge for pedestrians and cyclists is planned to open within a month.",
    "The bridge was built in the nineteenth century and last restored about forty years ago.",
    "Residents can follow the work on a public website that the authority updates weekly.",
    "Traffic on the ring road rose sharply on Tuesday morning as drivers looked for a way round.",
    "The council will vote on the repair budget at its next meeting at the end of the month.",
]
_LOCAL = [
    "Our reporter counted long queues of cars at the roundabout by the old brewery yard.",
    "The regional rail operator has added two evening trains to help commuters get home.",
    "A local bakery said its morning deliveries already arrive almost an hour late.",
    "Parents at the primary school worry about children crossing the busier side streets.",
    "Taxi drivers at the station rank said fares would rise with the longer journeys.",
    "The weekend farmers' market will move to the car park behind the town library.",
]


_ADVERBS = (
    "really quite fairly rather newly duly swiftly gladly openly calmly boldly firmly "
    "kindly loudly neatly oddly partly plainly rarely safely simply slowly softly surely "
    "truly warmly widely wisely barely mostly"
).split()


def _edited(sentence: str, n: int) -> str:
    """A light edit, each reprint's own: one word changed, as a copy desk might."""
    words = sentence.split()
    words[2 + n % (len(words) - 3)] = _ADVERBS[n]
    return " ".join(words)


def _reprints(subsets: Sequence[Sequence[int]], edits: Sequence[int] = ()) -> list[dict[str, str]]:
    records = [{"id": "story", "text": " ".join(_STORY), "published": "2024-05-07T06:00"}]
    for n, subset in enumerate(subsets):
        taken = [_edited(_STORY[k], n) if k in edits else _STORY[k] for k in sorted(subset)]
        if n < len(_LOCAL):  # a local angle of its own (one shared would be a copy)
            taken.insert(len(taken) // 2, _LOCAL[n])
        record = {"id": f"reprint{n}", "text": " ".join(taken)}
        if n % 3 != 2:  # every third reprint is undated
            record["published"] = f"2024-05-{7 + (8 + n) // 24:02d}T{(8 + n) % 24:02d}:00"
        records.append(record)
    return records


def test_wire_reprints_are_drawn_as_a_star_around_their_story(make_corpus: MakeCorpus) -> None:
    subsets = [range(0, 6), range(2, 9), [0, 1, 3, 5, 7, 9], range(4, 10), [0, 2, 4, 6, 8]]
    graph = qp.build_graph(make_corpus(_reprints(subsets, edits=(3,))))
    derived = {(u, v) for u, v, d in graph.edges(data=True) if d["type"] == "derived_from"}
    assert derived == {(f"doc:reprint{n}", "doc:story") for n in range(len(subsets))}


def test_a_copy_of_a_copy_that_carries_its_edit_points_to_the_copy(make_corpus: MakeCorpus) -> None:
    records = _reprints([range(0, 8)], edits=(1, 2))
    middle = records[1]["text"]
    records.append({"id": "aggregator", "text": middle, "published": "2024-05-08T09:00"})
    graph = qp.build_graph(make_corpus(records))
    derived = {(u, v) for u, v, d in graph.edges(data=True) if d["type"] == "derived_from"}
    assert ("doc:aggregator", "doc:reprint0") in derived
    assert ("doc:aggregator", "doc:story") not in derived
    assert ("doc:story", "doc:aggregator") not in derived


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sets(st.integers(0, len(_STORY) - 1), min_size=3, max_size=len(_STORY) - 2),
        min_size=2,
        max_size=6,
    ),
    st.sets(st.integers(0, len(_STORY) - 1), max_size=3),
)
def test_every_reuse_edge_of_wire_reprints_runs_to_the_story(
    subsets: list[set[int]], edits: set[int]
) -> None:
    records = _reprints([sorted(s) for s in subsets], edits=sorted(edits))
    index = CorpusIndex.for_corpus(qp.Corpus.from_records(records))
    reuse = document_reuse(index)
    kept = _reuse._explained(
        index, reuse, _reuse._derivations(index, reuse, 2), settings=qp.Settings()
    )
    edges = {(index.docs[d.copy].doc.id, index.docs[d.source].doc.id) for d in kept}
    assert all(source == "story" for _, source in edges), edges


@pytest.mark.parametrize("seed", range(3))
def test_many_reprints_are_compared_through_their_story_not_with_each_other(seed: int) -> None:
    # more reprints than a key group may hold as a clique: each reprint is aligned with
    # the group's anchors (the story first), and the graph is the star all the same
    rng = random.Random(seed)
    subsets = [sorted(rng.sample(range(len(_STORY)), rng.randint(4, 8))) for _ in range(30)]
    corpus = qp.Corpus.from_records(_reprints(subsets, edits=(3, 6)))
    index = CorpusIndex.for_corpus(corpus)
    cliques, anchored = (
        qp.Settings(graph=qp.GraphSettings(max_clique_group=size, group_anchors=2))
        for size in (1000, 4)
    )
    pairs = [
        len(index.candidate_document_pairs(max_clique=s.graph.max_clique_group, anchors=2))
        for s in (cliques, anchored)
    ]
    assert pairs[1] < pairs[0] / 4, pairs
    for s in (cliques, anchored):
        graph = qp.Tracer(corpus, settings=s, semantic=False).build_graph(workers=1)
        derived = {(u, v) for u, v, d in graph.edges(data=True) if d["type"] == "derived_from"}
        assert derived == {(f"doc:reprint{n}", "doc:story") for n in range(len(subsets))}


dates = st.one_of(
    st.dates(dt.date(2024, 3, 1), dt.date(2024, 3, 3)),
    st.datetimes(dt.datetime(2024, 3, 1), dt.datetime(2024, 3, 3, 23)),
    st.datetimes(
        dt.datetime(2024, 3, 1), dt.datetime(2024, 3, 3, 23), timezones=st.just(dt.timezone.utc)
    ),
)


@given(st.lists(dates, min_size=1, max_size=8))
def test_earliest_dates_in_one_pass_agree_with_the_pairwise_rule(
    published: list[dt.date | dt.datetime],
) -> None:
    ids = list(range(len(published)))
    pairwise_rule = {
        n for n in ids if not any(_date_order(published[m], published[n]) < 0 for m in ids)
    }
    assert _earliest(published, ids) == pairwise_rule


def test_a_description_speaker_node_takes_the_named_source(make_corpus: MakeCorpus) -> None:
    """'the statement' of a ministry the text names: the speaker node is the ministry's,
    one node for both outlets, while the quotation keeps the text's words."""
    said = "“The quota will be cut by a third for every trawler in the northern fleet,”"
    docs = [
        qp.Document(
            id=f"d{n}",
            text=f"{lead} Norway's Fisheries Ministry issued a statement on Monday. {said} the"
            " statement said.",
            published=f"2024-03-0{n + 1}",
        )
        for n, lead in enumerate(["Fishing news.", "Boats stayed in port."])
    ]
    corpus = make_corpus(docs)
    graph = qp.build_graph(corpus, workers=1)
    speakers = [n for n, d in graph.nodes(data=True) if d["type"] == "speaker"]
    assert speakers == ["speaker:norway's fisheries ministry"]
    (quote,) = [n for n, d in graph.nodes(data=True) if d["type"] == "quote"]
    assert graph.has_edge(speakers[0], quote)
    index = CorpusIndex.for_corpus(corpus)
    (q,) = index.docs[0].quotes
    assert q.speaker == "the statement" and q.named_speaker is not None
    found = qp.trace_quote("The quota will be cut by a third", corpus)
    assert "speaker:norway's fisheries ministry" in found.to_graph()
    assert {m.named_speaker for m in found.matches} == {"Norway's Fisheries Ministry"}
