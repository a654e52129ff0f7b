"""The combined scorer: its signals, its shipped parameters and its calibration."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import quoteprov
from quoteprov.search._scorer import FEATURES, features, model, probability, similarity
from quoteprov.text._normalize import tokenize

PARAMS = Path(quoteprov.__file__).parent / "search" / "scorer_params.json"


def test_parameters_are_plain_numbers_in_json() -> None:
    data = json.loads(PARAMS.read_text(encoding="utf-8"))
    for name in ("lexical", "semantic"):
        params = data[name]
        assert set(params["weights"]) <= set(FEATURES)
        assert all(isinstance(v, float) for v in params["weights"].values())
        assert 0.0 < params["threshold"] < 1.0
        assert "fit" in params  # the precision / recall it was chosen with
    assert "cosine" in data["semantic"]["weights"] and "cosine" not in data["lexical"]["weights"]


def test_a_changed_number_or_negation_lowers_the_probability() -> None:
    base = "The council will close 12 schools across the district next year"
    same = similarity(base, base)
    assert similarity(base, base.replace("12", "40")) < same
    assert similarity(base, base.replace("will close", "will not close")) < same


def test_the_semantic_model_trusts_a_higher_cosine() -> None:
    q, p = tokenize("The doctor prescribed new drugs"), tokenize("A physician gave medicine")
    low, high = features(q, p, cosine=0.2), features(q, p, cosine=0.9)
    assert probability(high) > probability(low)
    assert model(semantic=True)["weights"]["cosine"] > 0


words = st.lists(
    st.sampled_from("council voted close schools parks district rain not 12 40 the and".split()),
    min_size=1,
    max_size=15,
)


@settings(max_examples=200, deadline=None)
@given(words, words)
def test_signals_are_bounded_and_identity_is_perfect(a: list[str], b: list[str]) -> None:
    ta, tb = tokenize(" ".join(a)), tokenize(" ".join(b))
    signals = features(ta, tb)
    assert all(0.0 <= v <= 1.0 for v in signals.values())
    assert 0.0 <= probability(signals) <= 1.0
    same = features(ta, ta)
    assert same["ratio"] == same["token_set"] == same["length"] == 1.0
    assert same["numbers"] == same["negation"] == 0.0
    if any(w not in ("the", "and") for w in a):
        assert probability(same) > 0.9  # a sentence is a paraphrase of itself
