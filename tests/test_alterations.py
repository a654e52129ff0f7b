"""Altered quotations: changed numbers, negations and names are flagged with a reason."""

from __future__ import annotations

import functools
from collections.abc import Callable

import pytest
from conftest import MakeCorpus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import quoteprov as qp
from quoteprov.search._index import CorpusIndex
from quoteprov.search._match import find_matches
from quoteprov.text._lexicon import STOPWORDS

QUOTE = "Senator Warren said the bank will not repay the 40 million dollars it owes to savers"


def best_match(
    query: str, text: str, make: Callable[[list[qp.Document]], qp.Corpus] = qp.Corpus
) -> qp.Match:
    """The query's best match in a corpus of the one text (made by ``make``)."""
    corpus = make([qp.Document(id="d", text=text)])
    found = find_matches(query, CorpusIndex.for_corpus(corpus))
    assert found, f"{query!r} not found"
    m = found[0]
    assert text[m.start : m.end] == m.text
    for c in m.changes:
        assert text[c.start : c.end] == c.found
    return m


Best = Callable[[str, str], qp.Match]


@pytest.fixture
def best(make_corpus: MakeCorpus) -> Best:
    """:func:`best_match` on each storage backend in turn."""
    return functools.partial(best_match, make=make_corpus)


def test_untouched_quotation_has_no_changes_and_no_flag(best: Best) -> None:
    m = best(QUOTE, f'"{QUOTE}," a reporter wrote.')
    assert (m.kind, m.changes, m.altered, m.alterations) == ("verbatim", (), False, ())


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        (QUOTE.replace("40", "45"), "number: '45' → '40'"),
        (QUOTE.replace("will not repay", "will repay"), "negation added: 'not'"),
        (QUOTE.replace("Warren", "Sanders"), "name: 'Sanders' → 'Warren'"),
    ],
)
def test_alteration_is_flagged_with_its_reason_even_when_the_words_are_close(
    query: str, reason: str, best: Best
) -> None:
    m = best(query, QUOTE + ".")
    assert m.kind == "near_verbatim" and m.score >= 50  # calibrated: the claim differs
    assert m.altered and m.alterations == (reason,)


@pytest.mark.parametrize(("said", "written"), [("40", "forty"), ("ten", "10"), ("5,000", "5000")])
def test_a_number_written_another_way_is_no_alteration(said: str, written: str, best: Best) -> None:
    text = f"The mayor said {said} new buses will run on the coast road by June."
    m = best(text.replace(said, written, 1), text)
    assert [c.op for c in m.changes] == ["substitute"] and not m.altered
    changed = best(text.replace(said, "41", 1), text)
    assert changed.altered and changed.alterations[0].startswith("number:")


def test_a_headline_capital_is_no_name_unless_the_text_never_writes_it_lower(
    best: Best, make_corpus: MakeCorpus
) -> None:
    text = (
        "Mayor Says City Can Rebuild Old Harbour Bridge By Spring\n\n"
        "The mayor said the city can rebuild the old harbour bridge by spring."
    )
    m = best("the city will rebuild the old harbour bridge by spring", text.split("\n")[0])
    assert m.altered  # alone, the headline gives no evidence: 'Can' may be a name
    found = [
        m
        for m in find_matches(
            "the city will rebuild the old harbour bridge by spring",
            CorpusIndex.for_corpus(make_corpus([qp.Document(id="d", text=text)])),
        )
        if m.start == 0
    ]
    assert found and not any("'Can'" in a for a in found[0].alterations)
    m = best("Senator Warren said the bank will pay", "Senator Sanders Said The Bank Will Pay")
    assert m.alterations == ("name: 'Warren' → 'Sanders'",)  # never written in lower case


@pytest.mark.parametrize(
    ("said", "written"),
    [
        (
            "We do not believe the council cannot fix the harbour",
            "We don't believe the council can't fix the harbour",
        ),
        ("the council will not reopen the harbour", "the council won't reopen the harbour"),
        (
            "a 40% cut to the harbour budget this year",
            "a 40 percent cut to the harbour budget this year",
        ),
    ],
)
def test_another_spelling_of_the_same_claim_is_no_alteration(
    said: str, written: str, best: Best
) -> None:
    for query, text in ((said, written), (written, said)):
        m = best(query, text + ".")
        assert m.changes and not m.altered, m.alterations


def test_a_negation_that_moves_with_its_clause_is_no_alteration(best: Best) -> None:
    text = "We will not sign the deal, and until the cut is withdrawn we won't meet them."
    query = "Until the cut is withdrawn we won't meet them, and we will not sign the deal."
    m = best(query, text)
    assert not any(c.negation for c in m.changes), m.alterations
    replaced = best(query.replace("will not", "will never"), text)
    assert any(r.startswith("negation") for r in replaced.alterations)


@pytest.mark.parametrize("mark", [" [...] ", " … ", "... "])
def test_words_left_out_at_a_marked_elision_are_said_and_a_negation_alters(
    mark: str, best: Best
) -> None:
    text = "We will not accept any agreement that cuts no jobs and we will not meet them."
    query = f"We will not accept any agreement{mark}and we will not meet them."
    m = best(query, text)
    assert m.kind == "verbatim" and m.elided
    [change] = m.changes
    assert change.op == "insert" and change.elision and change.found == "that cuts no jobs"
    # the words are left out openly, but a negation left out changes the claim
    assert m.alterations == ("negation elided: 'that cuts no jobs'",)
    quoting = best(text, query)  # the document elides: no word of its own is changed
    assert not quoting.altered, quoting.alterations
    unmarked = best(query.replace(mark, " "), text)  # without the mark: no elision
    assert unmarked.altered and not unmarked.elided


@pytest.mark.parametrize("mark", [" [...] ", " […] ", " … ", "... ", " . . . "])
def test_an_elided_quotation_of_plain_words_is_verbatim_and_unaltered(
    mark: str, best: Best
) -> None:
    text = 'The minister said: "We will rebuild the old bridge over the river before the winter."'
    m = best(f"We will rebuild the old bridge{mark}before the winter", text)
    assert (m.kind, m.score, m.elided, m.altered) == ("verbatim", 100.0, True, False)
    assert [c.found for c in m.changes] == ["over the river"]
    assert text[m.start : m.end] == m.text


def test_an_elision_that_drops_a_number_is_flagged(best: Best) -> None:
    text = "The council will cut 300 jobs in the harbour and close two depots by May."
    m = best("The council will cut … jobs in the harbour and close two depots by May", text)
    assert m.elided and m.alterations == ("number elided: '300'",)


def test_a_changed_last_word_is_a_substitution_not_a_deletion(best: Best) -> None:
    text = "She said she will put the old harbour up for sale."
    m = best("she will put the old harbour up for rent", text)
    [change] = m.changes
    assert (change.op, change.query, change.found) == ("substitute", "rent", "sale")
    assert m.text.endswith("sale") and not m.altered


def test_a_name_that_only_grows_is_no_alteration(best: Best) -> None:
    m = best(QUOTE.replace("Senator Warren", "Senator Elizabeth Warren"), QUOTE + ".")
    assert [c.op for c in m.changes] == ["delete"] and not m.altered


def test_a_swapped_common_word_is_listed_but_not_flagged(best: Best) -> None:
    m = best(QUOTE.replace("savers", "clients"), QUOTE + ".")
    [change] = m.changes
    assert (change.op, change.query, change.found) == ("substitute", "clients", "savers")
    assert not m.altered and change.reason is None


def test_match_derives_alterations_and_rejects_inconsistent_ones() -> None:
    swap = qp.Change(op="substitute", query="3", found="5", start=0, end=1, number=True)
    m = qp.Match(
        doc_id="a", start=0, end=1, text="5", score=90, kind="near_verbatim", changes=(swap,)
    )
    assert m.altered and m.alterations == ("number: '3' → '5'",)
    assert qp.Match.model_validate(m.model_dump()) == m
    with pytest.raises(ValueError, match="altered"):
        qp.Match(doc_id="a", start=0, end=1, text="5", score=90, kind="near_verbatim", altered=True)


words = st.sampled_from(
    "council voted close schools parks across district after heavy rain the and".split()
)
# at least three different content words: a query of one word repeated ("after after …
# 2 after") gives the index no term to find it by, and is no quotation
content = st.lists(words, min_size=4, max_size=12).filter(lambda ws: len(set(ws) - STOPWORDS) >= 3)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    content,
    content,
    st.integers(1, 998),
    st.integers(1, 9),
)
def test_a_changed_number_is_always_flagged(
    before: list[str], after: list[str], number: int, delta: int
) -> None:
    original = " ".join([*before, str(number), *after])
    query = " ".join([*before, str(number + delta), *after])
    m = best_match(query, original + ".")
    assert m.altered
    assert any(c.number and str(number) in c.found for c in m.changes)
    assert all(reason.startswith("number") for reason in m.alterations)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(words, min_size=3, max_size=20), st.lists(words, min_size=3, max_size=20))
def test_altered_is_exactly_a_flagged_change(query: list[str], text: list[str]) -> None:
    corpus = qp.Corpus([qp.Document(id="d", text=" ".join(text) + ".")])
    for m in find_matches(" ".join(query), CorpusIndex.for_corpus(corpus)):
        flagged = [c for c in m.changes if c.number or c.negation or c.entity]
        assert m.altered == bool(flagged)
        assert m.alterations == tuple(c.reason for c in flagged)
