"""Scoring, classifying and diffing occurrences of a query."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import MakeCorpus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

import quoteprov as qp
from quoteprov._settings import MATCH
from quoteprov.search._index import CorpusIndex
from quoteprov.search._match import find_matches
from quoteprov.text._normalize import tokenize

BASE = (
    "The minister said the government will not raise taxes on 3 million families "
    "before the election in May."
)


Matches = Callable[..., list[qp.Match]]


@pytest.fixture
def matches(make_corpus: MakeCorpus) -> Matches:
    """``matches(query, *texts)``: the query's matches in a corpus of the texts, on each
    storage backend in turn; every match's offsets slice its document's text."""

    def find(query: str, *texts: str) -> list[qp.Match]:
        corpus = make_corpus(qp.Document(id=f"d{n}", text=t) for n, t in enumerate(texts))
        found = find_matches(query, CorpusIndex.for_corpus(corpus))
        for m in found:
            assert corpus[m.doc_id].text[m.start : m.end] == m.text
        return found

    return find


def test_verbatim_ignores_case_punctuation_and_quote_style(matches: Matches) -> None:
    [m] = matches("the Government will NOT raise taxes", f"“{BASE}”")
    assert (m.kind, m.score, m.changes) == ("verbatim", 100.0, ())
    assert m.text == "the government will not raise taxes"


def test_light_edit_is_near_verbatim_with_the_substitution_listed(matches: Matches) -> None:
    query = "the government will not raise taxes on 3 million families before the election"
    [m] = matches(query, BASE.replace("families", "households"))
    assert m.kind == "near_verbatim" and 80 <= m.score < 100
    [change] = m.changes
    assert (change.op, change.query, change.found) == ("substitute", "families", "households")


def test_changed_number_is_flagged(matches: Matches) -> None:
    query = "the government will not raise taxes on 3 million families before the election"
    [m] = matches(query, BASE.replace("3 million", "5 million"))
    assert m.altered and [c.number for c in m.changes] == [True]


def test_dropped_negation_is_flagged(matches: Matches) -> None:
    query = "the government will not raise taxes on 3 million families before the election"
    [m] = matches(query, BASE.replace("will not raise", "will raise"))
    assert m.kind == "near_verbatim" and m.altered
    [change] = m.changes
    assert change.op == "delete" and change.negation and change.query == "not"


def test_trimmed_quotation_is_partial(matches: Matches) -> None:
    query = BASE + " Nobody in the cabinet disagrees with that plan, she added later."
    [m] = matches(
        query,
        "Reports say the government will not raise taxes on 3 million "
        "families before the election, officials confirmed.",
    )
    assert m.kind == "partial"
    assert m.text.startswith("the government will not raise taxes")


def test_query_spanning_two_sentences(matches: Matches) -> None:
    text = "Nothing changed. The talks failed again. Both sides left early on Monday."
    [m] = matches("talks failed again. Both sides left early", text)
    assert m.kind == "verbatim" and m.text == "talks failed again. Both sides left early"


def test_paraphrase_is_found_and_unrelated_text_is_not(matches: Matches) -> None:
    source = "North Korea has declared its support for Cuba, joining Russia, China and Iran."
    rewrite = "Joining Russia, China and Iran, North Korea declared support for Cuba."
    other = "The weather in Lisbon was sunny and warm for the whole festival week."
    found = matches(source, rewrite, other)
    assert [(m.doc_id, m.kind) for m in found] == [("d0", "near_verbatim")] or [
        (m.doc_id, m.kind) for m in found
    ] == [("d0", "paraphrase")]


def test_nothing_found_is_an_empty_list(matches: Matches) -> None:
    assert matches("penguins migrate to the sahara", BASE) == []


def test_empty_query_is_an_input_error(matches: Matches) -> None:
    with pytest.raises(qp.InputError, match="no words"):
        matches("  ... !!", BASE)


def test_interruption_of_a_quotation_is_not_a_change(matches: Matches) -> None:
    text = '"We will rebuild," the mayor said, "every single bridge in this city."'
    [m] = matches("We will rebuild every single bridge in this city", text)
    assert (m.kind, m.score, m.changes, m.speaker) == ("verbatim", 100.0, (), "the mayor")


def test_quotation_repeated_in_one_document_is_found_twice(matches: Matches) -> None:
    quote = "we shall never surrender our fields to the flood"
    found = matches(quote, f"He said {quote}. Later, the crowd chanted: {quote}!")
    assert [m.kind for m in found] == ["verbatim", "verbatim"]
    assert found[0].start != found[1].start


words = st.sampled_from(
    [
        "peace",
        "war",
        "not",
        "cuba",
        "the",
        "said",
        "3",
        "talks",
        "“",
        "”",
        '"',
        ",",
        ".",
        "é",
        "Dr.",
        "U.S.",
        "\n",
    ]
)
texts = st.lists(words, max_size=40).map(" ".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(texts, st.text()), min_size=1, max_size=4), st.one_of(texts, st.text()))
def test_offsets_always_slice_the_original(docs: list[str], query: str) -> None:
    corpus = qp.Corpus(qp.Document(id=f"d{n}", text=t) for n, t in enumerate(docs))
    try:
        found = find_matches(query, CorpusIndex.for_corpus(corpus))
    except qp.InputError:
        return  # a query without words
    for m in found:
        text = corpus[m.doc_id].text
        assert text[m.start : m.end] == m.text and m.text
        assert 0 <= m.score <= 100
        for c in m.changes:
            assert text[c.start : c.end] == c.found


def test_long_query_in_a_long_run_on_sentence_is_found_exactly(make_corpus: MakeCorpus) -> None:
    # bounded windows (issue 4): a 1,800-word query inside a 60,000-word sentence is
    # aligned window by window, and located without partial_ratio (cubic in its length)
    import random

    rng = random.Random(4)
    words = [f"w{rng.randrange(5000)}" for _ in range(60_000)]
    query = " ".join(words[30_000:31_800])
    text = " ".join(words)
    assert len(tokenize(query)) > MATCH.long_query_words and len(words) > 10 * MATCH.region_words
    corpus = make_corpus([qp.Document(id="a", text=text)])
    found = find_matches(query, CorpusIndex.for_corpus(corpus))
    assert [(m.kind, m.text) for m in found[:1]] == [("verbatim", query)]
    for m in found:
        assert text[m.start : m.end] == m.text


@pytest.mark.parametrize("containment", [0.0, 0.5])
@pytest.mark.parametrize("budget", [None, 1])
def test_queries_without_known_terms_get_no_candidates(
    containment: float, budget: int | None, make_corpus: MakeCorpus
) -> None:
    # found by the fuzz tests: a batch whose last (or only) query has no term the corpus
    # knows used to index past the end of the batch's term arrays
    from quoteprov.search._candidates import candidate_rows
    from quoteprov.search._query import Query

    corpus = make_corpus([qp.Document(id="a", text="The harbour bridge reopened on Monday.")])
    index = CorpusIndex.for_corpus(corpus)
    known, unknown = Query.parse("harbour bridge reopened"), Query.parse("zebra quartz")
    for queries in ([unknown], [known, unknown], [unknown, known, unknown]):
        rows = candidate_rows(
            queries, index, limit=5, min_containment=containment, probe_budget=budget
        )
        assert [r.size > 0 for r in rows] == [q is known for q in queries]


@settings(max_examples=300, deadline=None)
@given(st.text("abcdef", max_size=30), st.text("abcdefg", max_size=80))
def test_alignment_chains_read_the_edit_scripts_equal_runs(query: str, text: str) -> None:
    # _best_chain reads the equal runs of Levenshtein.opcodes as its matching blocks
    ops = Levenshtein.opcodes(query, text)
    equal = [(o.src_start, o.dest_start, o.src_end - o.src_start) for o in ops if o.tag == "equal"]
    assert [(m.a, m.b, m.size) for m in ops.as_matching_blocks() if m.size] == equal
