"""The MSRP measures of ``benchmarks/quality.py`` on a small pool made here (no MSRP data)."""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from quoteprov.search._index import CorpusIndex
from quoteprov.search._scorer import FEATURES

ROOT = Path(__file__).resolve().parent.parent


@functools.cache
def quality() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "quality_benchmark", ROOT / "benchmarks" / "quality.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


QUERY = "The council voted on Monday to close twelve schools across the district."
REWORDING = "On Monday councillors decided that a dozen of the district's schools will shut."
COPY = "The council voted on Monday to shut twelve schools across the district."
OTHER = "Penguins huddle together through the long polar winter."

# MSRP rows: quality, id1, id2, sentence 1, sentence 2
ROWS = [
    ["1", "q", "r", QUERY, REWORDING],
    ["1", "q", "c", QUERY, COPY],  # the query's text is in a second pair
    ["0", "r", "o", REWORDING, OTHER],
    ["1", "q2", "r", QUERY, REWORDING],  # the same texts under other ids: one document each
]


def test_every_labelled_paraphrase_of_a_sentence_is_found() -> None:
    q = quality()
    pool = q.msrp_pool(ROWS)
    assert len(pool.ids) == 4  # four distinct texts
    assert pool.canon["q2"] == pool.canon["q"]
    labelled = q.msrp_paraphrases(ROWS, pool)
    assert labelled[pool.canon["q"]] == {pool.canon["r"], pool.canon["c"]}
    assert pool.canon["o"] not in labelled  # only in a non-paraphrase pair
    assert pool.canon["q"] in labelled[pool.canon["c"]]  # both ways


def test_a_near_copy_in_the_pool_caps_what_a_monotone_ranking_can_reach() -> None:
    q = quality()
    pool = q.msrp_pool(ROWS)
    index = CorpusIndex.for_corpus(pool.corpus)
    # the copy is closer to the query than the rewording on every signal: no ranking that
    # respects the signals puts the rewording first
    assert q.msrp_ceiling([ROWS[0]], pool, index) == 0.0
    # the copy itself is the closest sentence: nothing dominates it
    assert q.msrp_ceiling([ROWS[1]], pool, index) == 1.0
    assert q.msrp_ceiling([ROWS[0], ROWS[1]], pool, index) == pytest.approx(0.5)


def test_domination_needs_every_signal() -> None:
    q = quality()
    close = {"ratio": 0.9, "token_set": 0.9, "numbers": 0.0, "negation": 0.0}
    far = {"ratio": 0.6, "token_set": 0.7, "numbers": 0.0, "negation": 0.0}
    assert q._dominated(close, far)
    assert not q._dominated(far, close)
    assert not q._dominated(close, close)  # equal is not closer
    # a number that disagrees is farther, however similar the words
    assert not q._dominated({**close, "numbers": 1.0}, far)


@functools.cache
def rankers() -> ModuleType:
    quality()  # msrp_rankers imports it by name
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        spec = importlib.util.spec_from_file_location(
            "msrp_rankers_benchmark", ROOT / "benchmarks" / "msrp_rankers.py"
        )
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return module


def test_the_monotone_ranker_never_puts_a_passage_below_one_it_is_closer_than() -> None:
    r = rankers()
    names = list(FEATURES)
    design, bounds = r.designs(names)["monotone"]
    rng = np.random.default_rng(5)
    for _ in range(2000):
        w = np.array(
            [
                rng.uniform(-3.0 if lo is None else lo, 3.0 if hi is None else hi)
                for lo, hi in bounds
            ]
        )
        far = {k: float(rng.uniform(0, 1)) for k in names}
        far["numbers"], far["negation"] = float(rng.integers(0, 2)), float(rng.integers(0, 2))
        far["cosine"] = float(rng.uniform(-1, 1))
        close = dict(far)
        moved = [k for k in names if rng.uniform() < 0.5] or [names[rng.integers(len(names))]]
        for k in moved:  # these signals move toward the query, the others stay
            close[k] = 0.0 if k in r.CLOSER_LOWER else far[k] + (1 - far[k]) * rng.uniform(0, 1)
        assert r._closer_everywhere(close, far) or close == far
        assert design(close) @ w >= design(far) @ w - 1e-9
    # the free-signed ranker can: that is what the script measures
    shaped, _ = r.designs(names)["shaped"]
    w = np.zeros(len(shaped(dict.fromkeys(names, 0.5))))
    closer = [k for k in names if k not in r.CLOSER_LOWER]
    w[names.index("ratio")], w[len(names) + 2 + closer.index("ratio")] = 2.0, -2.0  # ratio²
    near = {**dict.fromkeys(names, 0.7), "ratio": 0.95, "numbers": 0.0, "negation": 0.0}
    reworded = {**near, "ratio": 0.5}
    assert shaped(near) @ w < shaped(reworded) @ w
