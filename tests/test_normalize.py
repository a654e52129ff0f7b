"""Folding keeps an exact map back to the original text."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from quoteprov.text._normalize import fold, normalize, tokenize


def test_quotes_dashes_case_and_diacritics_fold() -> None:
    assert fold("“Díaz–Canel’s”  SAID\u00a0«no»") == '"diaz-canel\'s" said "no"'


def test_invisible_characters_are_dropped() -> None:
    assert fold("co\u200boperate\u00ad\ufeff") == "cooperate"


def test_ligatures_map_to_their_whole_original_character() -> None:
    n = normalize("ﬁne")
    assert n.text == "fine"
    assert n.original_span(0, 1) == (0, 1)
    assert n.original_span(1, 2) == (0, 1)  # the second letter of "fi" is still the ligature


def test_dotted_acronyms_equal_plain_ones() -> None:
    assert [t.norm for t in tokenize("U.S.-aligned")] == [t.norm for t in tokenize("US-aligned")]


def test_numbers_keep_their_separators() -> None:
    assert [t.norm for t in tokenize("1,000 and 3.5 and 10:30")] == [
        "1,000",
        "and",
        "3.5",
        "and",
        "10:30",
    ]


@given(st.text())
def test_every_folded_character_points_into_the_original(text: str) -> None:
    n = normalize(text)
    assert len(n.offsets) == len(n.text)
    assert list(n.offsets) == sorted(n.offsets)
    for i, ch in enumerate(n.text):
        original = text[n.offsets[i]]
        assert ch == " " or ch in fold(original) or not original.strip()


@given(st.text(), st.data())
def test_folded_spans_map_to_original_spans(text: str, data: st.DataObject) -> None:
    n = normalize(text)
    start = data.draw(st.integers(0, len(n.text)))
    end = data.draw(st.integers(start, len(n.text)))
    a, b = n.original_span(start, end)
    assert 0 <= a <= b <= len(text)
    if start < end:
        # the original slice folds to a text holding the folded slice
        assert n.text[start:end].strip() in fold(text[a:b]) or not n.text[start:end].strip()


@given(st.text())
def test_tokens_slice_the_original(text: str) -> None:
    for token in tokenize(text):
        raw = text[token.start : token.end]
        assert raw and token.norm
        assert token.norm == fold(raw.replace(".", "") if raw.endswith(".") else raw)


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_tokens_fold_as_the_general_path_does(text: str) -> None:
    for token in tokenize(text):
        raw = text[token.start : token.end]
        assert token.norm == normalize(raw.replace(".", "") if raw.endswith(".") else raw).text


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    once = fold(text)
    assert fold(once) == once
    assert unicodedata.normalize("NFKC", once) == once


def test_dotted_acronyms_have_at_most_sixteen_letters() -> None:
    # regression (fuzzing, issue 4): "a.a.a.…b" backtracked over the whole run from each
    # letter, quadratic time; a bounded acronym keeps the scan linear
    assert [t.norm for t in tokenize("a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p. x")] == [
        "abcdefghijklmnop",
        "x",
    ]
    long_run = "a." * 17 + " x"
    assert [t.norm for t in tokenize(long_run)][:2] == ["a", "aaaaaaaaaaaaaaaa"]
    hostile = "a." * 100_000 + "b"
    tokens = tokenize(hostile)
    assert len(tokens) == 100_001
    assert all(hostile[t.start : t.end] in ("a", "b") for t in tokens)
