"""pandas tables: right rows and columns, and a clear error when pandas is missing."""

from __future__ import annotations

import sys
from collections import Counter

import pandas as pd
import pytest
from conftest import ARTICLE, OUTLET, REWRITE, STATEMENT, MakeCorpus

import quoteprov as qp


def test_trace_frame(corpus: qp.Corpus) -> None:
    frame = qp.trace_quote(STATEMENT[3], corpus).to_frame()
    assert list(frame["doc_id"]) == [ARTICLE, OUTLET, REWRITE]  # best first, as trace.matches
    assert frame["is_origin"].tolist() == [True, False, False]
    assert pd.api.types.is_datetime64_any_dtype(frame["published"])
    assert frame["published"].isna().tolist() == [True, True, False]
    rewrite = frame.set_index("doc_id").loc[REWRITE]
    assert rewrite["kind"] == "paraphrase" and "confident→convinced" in rewrite["changes"]
    assert frame["confidence"].tolist() == ["certain", "certain", "possible"]
    assert list(frame.columns).index("confidence") + 1 == list(frame.columns).index("score")
    assert "−the interference of" in rewrite["changes"] and not rewrite["altered"]
    for row in frame.itertuples():
        assert corpus[row.doc_id].text[row.start : row.end] == row.text


def test_quotes_frame(corpus: qp.Corpus) -> None:
    frame = qp.quotes_frame(corpus)
    assert set(frame["doc_id"]) <= set(corpus.ids) and len(frame) > 40
    assert "Maria Zakharova" in set(frame["speaker"].dropna())
    for row in frame.itertuples():
        assert corpus[row.doc_id].text[row.start : row.end] == row.text
    assert frame.loc[frame["doc_id"] == "003_11f08449810d1db8", "source"].eq("Havana Times").all()


def test_edges_and_nodes_frames(corpus: qp.Corpus) -> None:
    graph = qp.build_graph(corpus)
    edges = qp.edges_frame(graph)
    assert len(edges) == graph.number_of_edges()
    assert set(edges["type"]) == {"occurs_in", "derived_from", "said"}
    derived = edges[edges["type"] == "derived_from"]
    assert derived[["source", "target"]].values.tolist() == [[f"doc:{REWRITE}", f"doc:{ARTICLE}"]]
    assert {"kind", "score", "is_origin", "evidence"} <= set(edges.columns)
    nodes = qp.nodes_frame(graph)
    assert len(nodes) == graph.number_of_nodes()
    types = Counter(d["type"] for _, d in graph.nodes(data=True))
    assert nodes["type"].value_counts().to_dict() == types and types["document"] == 5
    assert pd.api.types.is_datetime64_any_dtype(nodes["published"])
    families = nodes[nodes["type"] == "quote"]
    assert str(nodes["documents"].dtype) == "Int64" and families["documents"].max() == 3


@pytest.mark.parametrize(
    "dates",
    [
        ["2024-03-01T10:00:00+05:00", "2024-03-03T08:00:00-04:00"],  # two offsets
        ["2024-03-01T10:00:00", "2024-03-03"],  # a time and a bare date
        ["2024-03-01T10:00:00+05:00", None],
    ],
)
def test_nodes_frame_reads_any_mix_of_dates_as_naive_utc(
    dates: list[str | None], make_corpus: MakeCorpus
) -> None:
    text = '"We will rebuild every bridge in this state," Ana Ruiz said.'
    records = [{"id": str(k), "text": text, "published": p} for k, p in enumerate(dates)]
    corpus = make_corpus(records)
    graph = qp.build_graph(corpus)
    for frame in (qp.nodes_frame(graph), qp.nodes_frame(qp.trace_quote(text, corpus).to_graph())):
        published = frame.set_index("id")["published"]
        assert pd.api.types.is_datetime64_dtype(published)  # naive, not tz-aware
        assert published["doc:0"] == pd.Timestamp(
            "2024-03-01 05:00" if "+" in dates[0] else "2024-03-01 10:00"
        )  # type: ignore[operator]
        assert pd.isna(published["doc:1"]) == (dates[1] is None)


def test_quotes_frame_tells_direct_speech_from_scare_quotes(make_corpus: MakeCorpus) -> None:
    text = 'The so-called "reform" failed, the mayor said. "We will win," Ana Ruiz said.'
    frame = qp.quotes_frame(make_corpus([{"id": "a", "text": text}]))
    assert frame[["content", "direct"]].values.tolist() == [
        ["reform", False],
        ["We will win,", True],
    ]


def test_missing_pandas_says_what_to_install(
    seeds: qp.Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    trace = qp.trace_quote(STATEMENT[3], seeds)
    for call in (trace.to_frame, lambda: qp.quotes_frame(seeds)):
        with pytest.raises(qp.MissingDependencyError, match=r"pip install 'quoteprov\[notebook\]'"):
            call()
    with pytest.raises(ImportError):  # still an ImportError for code that expects one
        qp.edges_frame(qp.build_graph(seeds))


def test_trace_frame_has_coverage_elisions_and_related_on_request(make_corpus: MakeCorpus) -> None:
    text = "The council will cut 300 jobs in the harbour and close two depots by May."
    docs = [
        {"id": "a", "text": text},
        {"id": "b", "text": 'Critics said "the harbour" would suffer.'},
    ]
    trace = qp.trace_quote(
        "The council will cut … jobs in the harbour and close two depots", make_corpus(docs)
    )
    frame = trace.to_frame()
    assert list(frame["doc_id"]) == ["a"]
    row = frame.iloc[0]
    assert bool(row["elided"]) and row["changes"] == "⚠…300" and row["coverage"] == 1.0
    assert row["alterations"] == "number elided: '300'" and not row["related"]
    both = trace.to_frame(related=True)
    assert list(both["related"]) == [False] * len(trace.matches) + [True] * len(trace.related)
