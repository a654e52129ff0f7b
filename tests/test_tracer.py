"""A Tracer owns what tracing a corpus builds, and reuses it until the corpus changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import STATEMENT, MakeCorpus

import quoteprov as qp
from quoteprov.search import _semantic as semantic


def test_index_is_kept_until_the_corpus_changes(make_corpus: MakeCorpus) -> None:
    corpus = make_corpus([qp.Document(id="a", text="Peace is near.")])
    tracer = qp.Tracer(corpus)
    first = tracer.index
    assert tracer.index is first
    symbols = tracer.symbols
    assert tracer.symbols is symbols
    corpus.add(qp.Document(id="b", text="War is far."))
    second = tracer.index
    assert second is not first and len(second.docs) == 2
    assert tracer.symbols is not symbols  # a new index, a new table


def test_a_tracer_rebuilds_after_extend_and_finds_the_new_documents(
    make_corpus: MakeCorpus,
) -> None:
    corpus = make_corpus([qp.Document(id="a", text="We will rebuild every bridge by spring.")])
    tracer = qp.Tracer(corpus, semantic=False)
    assert [m.doc_id for m in tracer.trace("rebuild every bridge").matches] == ["a"]
    corpus.extend([qp.Document(id="b", text="They said: we will rebuild every bridge.")])
    assert sorted(m.doc_id for m in tracer.trace("rebuild every bridge").matches) == ["a", "b"]


def test_same_results_as_trace_quote(corpus: qp.Corpus, seeds: qp.Corpus) -> None:
    tracer = qp.Tracer(corpus)
    for sentence in STATEMENT:
        assert tracer.trace(sentence).to_json() == qp.trace_quote(sentence, seeds).to_json()
    limited = tracer.trace(STATEMENT[0], kinds=["verbatim"], limit=1, min_coverage=0.9)
    expected = qp.trace_quote(STATEMENT[0], seeds, kinds=["verbatim"], limit=1, min_coverage=0.9)
    assert limited.to_json() == expected.to_json()


def test_same_graph_as_build_graph(corpus: qp.Corpus, seeds: qp.Corpus) -> None:
    graph = qp.Tracer(corpus).build_graph(min_shared=1, workers=1)
    expected = qp.build_graph(seeds, min_shared=1, workers=1)
    assert qp.graph_to_dict(graph) == qp.graph_to_dict(expected)


def test_semantic_false_never_loads_an_encoder(
    monkeypatch: pytest.MonkeyPatch, seeds: qp.Corpus
) -> None:
    monkeypatch.setenv("QUOTEPROV_SEMANTIC", "1")

    def refuse() -> None:
        raise AssertionError("an encoder was loaded")

    monkeypatch.setattr(semantic, "_shared_encoder", refuse)
    tracer = qp.Tracer(seeds, semantic=False)
    assert tracer.trace(STATEMENT[0]).matches
    assert tracer.encoder is None and tracer.vectors is None


def test_a_lazy_corpus_is_matched_lexically_unless_asked(
    monkeypatch: pytest.MonkeyPatch,
    seeds: qp.Corpus,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("QUOTEPROV_SEMANTIC", "1")

    def refuse() -> None:
        raise AssertionError("an encoder was loaded")

    monkeypatch.setattr(semantic, "_shared_encoder", refuse)
    seeds.save(tmp_path / "seeds.qp")
    tracer = qp.Tracer(qp.Corpus.open(tmp_path / "seeds.qp", lazy=True))
    assert tracer.trace(STATEMENT[0]).matches and tracer.encoder is None
    said = capsys.readouterr().err + caplog.text  # stderr, or the logger when one is set up
    assert said.count("pass semantic=True to use it anyway") == 1
    with pytest.raises(AssertionError, match="an encoder was loaded"):
        _ = qp.Tracer(qp.Corpus.open(tmp_path / "seeds.qp", lazy=True), semantic=True).encoder


def test_semantic_true_without_the_tier_is_refused(
    monkeypatch: pytest.MonkeyPatch, seeds: qp.Corpus
) -> None:
    monkeypatch.setenv("QUOTEPROV_SEMANTIC", "0")
    with pytest.raises(qp.MissingDependencyError):
        qp.Tracer(seeds, semantic=True).trace(STATEMENT[0])


def test_a_given_encoder_is_used_and_its_vectors_kept(corpus: qp.Corpus) -> None:
    class Fixed:
        device = "cpu"
        calls = 0

        def encode(self, texts: list[str]) -> object:
            import numpy as np

            self.calls += 1
            out = np.zeros((len(texts), semantic.DIMENSIONS), dtype=np.float32)
            out[:, 0] = 1.0
            return out

    encoder = Fixed()
    tracer = qp.Tracer(corpus, encoder=encoder)
    assert tracer.encoder is encoder
    vectors = tracer.vectors
    assert vectors is not None and tracer.vectors is vectors
    tracer.trace(STATEMENT[0])
    assert encoder.calls == 2  # the corpus once, then the query


def test_only_a_corpus_is_traced() -> None:
    with pytest.raises(qp.InputError, match="as_corpus"):
        qp.Tracer([{"id": "a", "text": "x"}])  # type: ignore[arg-type]
