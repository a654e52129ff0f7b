"""The one-call layer: corpora from anything, traces as data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ARTICLE, SEEDS, STATEMENT, MakeCorpus

import quoteprov as qp


def test_corpus_from_path_records_documents_and_jsonl(tmp_path: Path) -> None:
    assert len(qp.as_corpus(SEEDS)) == 5
    assert len(qp.as_corpus(str(SEEDS))) == 5
    records = [{"id": "a", "text": "One."}, {"id": "b", "text": "Two."}]
    assert qp.as_corpus(records).ids == ("a", "b")
    assert qp.as_corpus([qp.Document(id="a", text="One.")]).ids == ("a",)
    jsonl = tmp_path / "docs.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    assert qp.as_corpus(jsonl).ids == ("a", "b")


def test_unusable_corpus_arguments_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(qp.CorpusError, match=r"missing\.jsonl does not exist"):
        qp.as_corpus(tmp_path / "missing.jsonl")
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    with pytest.raises(qp.CorpusError, match="neither a directory"):
        qp.as_corpus(tmp_path / "notes.md")
    with pytest.raises(qp.InputError, match="cannot make a corpus"):
        qp.as_corpus(42)  # type: ignore[arg-type]
    with pytest.raises(qp.InputError, match="must be a string"):
        qp.trace_quote(None, SEEDS)  # type: ignore[arg-type]


def test_trace_serialises(corpus: qp.Corpus) -> None:
    trace = qp.trace_quote(STATEMENT[3], corpus)
    data = json.loads(trace.to_json())
    assert data["query"] == STATEMENT[3]
    assert {m["doc_id"] for m in data["matches"]} == set(data["documents"])
    assert data["documents"][ARTICLE]["title"].startswith("North Korea Says Cuba")
    assert "text" not in data["documents"][ARTICLE]  # documents' metadata, not their text
    assert data["origin"]["doc_id"] == trace.origin.doc_id  # type: ignore[union-attr]


def test_trace_graph_marks_the_origin(corpus: qp.Corpus) -> None:
    trace = qp.trace_quote(STATEMENT[0], corpus)
    graph = trace.to_graph()
    origins = [v for _, v, d in graph.out_edges("quote:query", data=True) if d["is_origin"]]
    assert origins == ["doc:" + trace.origin.doc_id]  # type: ignore[union-attr]
    assert graph.nodes["quote:query"]["origin"] == origins[0]


def test_kinds_and_limit_filter(corpus: qp.Corpus) -> None:
    trace = qp.trace_quote(STATEMENT[3], corpus, kinds=["verbatim"])
    assert {m.kind for m in trace.matches} == {"verbatim"}
    assert len(qp.trace_quote(STATEMENT[3], corpus, limit=1).matches) == 1


def test_repeated_queries_reuse_the_index(corpus: qp.Corpus) -> None:
    from quoteprov._api import tracer_for

    qp.trace_quote(STATEMENT[0], corpus)
    index = tracer_for(corpus).index
    qp.trace_quote(STATEMENT[1], corpus)
    assert tracer_for(corpus).index is index
    # the analysis is kept by the corpus' storage: a new index analyses nothing again
    assert qp.Tracer(corpus).index.docs is index.docs


def test_filters_trim_the_matches_not_the_origin(make_corpus: MakeCorpus) -> None:
    quote = "The new bridge will carry four lanes of traffic across the river by spring."
    docs = [
        {"id": "late", "text": quote, "published": "2024-05-01"},
        {"id": "mid", "text": quote, "published": "2024-03-01"},
        {"id": "early", "text": quote.replace("four", "the four"), "published": "2024-01-01"},
    ]
    corpus = make_corpus(docs)
    whole = qp.trace_quote(quote, corpus)
    assert whole.origin is not None and whole.origin.doc_id == "early"
    assert whole.origin.kind != "verbatim"
    for kwargs in ({"limit": 1}, {"limit": 2}, {"kinds": ["verbatim"]}):
        trace = qp.trace_quote(quote, corpus, **kwargs)  # type: ignore[arg-type]
        assert trace.origin == whole.origin
        assert trace.origin_reason == whole.origin_reason
    trace = qp.trace_quote(quote, corpus, kinds=["verbatim"])
    assert {m.doc_id for m in trace.matches} == {"late", "mid"}
    assert "early" in trace.documents  # the origin's document travels with the trace
    graph = trace.to_graph()
    assert graph.nodes["quote:query"]["origin"] == "doc:early"
    assert graph.edges["quote:query", "doc:early"]["is_origin"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"limit": 0}, "limit must be a whole number of at least 1"),
        ({"limit": -1}, "limit must be a whole number"),
        ({"limit": True}, "limit must be a whole number"),
        ({"kinds": ["bogus"]}, "unknown kind 'bogus'"),
        ({"kinds": "verbatim"}, "not a string"),
    ],
)
def test_bad_filters_are_clear_errors(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(qp.InputError, match=message):
        qp.trace_quote("Peace is near.", [{"id": "a", "text": "Peace is near."}], **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("key", ["min_shared", "min_documents", "workers"])
def test_bad_graph_counts_are_clear_errors(key: str) -> None:
    with pytest.raises(qp.InputError, match=f"{key} must be a whole number of at least 1"):
        qp.build_graph([{"id": "a", "text": "Peace is near."}], **{key: 0})  # type: ignore[arg-type]


def test_semantic_is_a_parameter(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = [{"id": "a", "text": '"Peace is near," Tom Lee said.'}]
    lexical = qp.trace_quote("peace is near", docs, semantic=False)
    assert [m.doc_id for m in lexical.matches] == ["a"]
    # asked for but switched off (or not installed): an error, not a silent lexical answer
    monkeypatch.setenv("QUOTEPROV_SEMANTIC", "0")
    with pytest.raises(qp.MissingDependencyError, match="semantic extra"):
        qp.trace_quote("peace is near", docs, semantic=True)
