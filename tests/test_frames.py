"""pandas tables: right rows and columns, and a clear error when pandas is missing."""

from __future__ import annotations

import sys
from collections import Counter

import pandas as pd
import pytest
from conftest import ARTICLE, OUTLET, REWRITE, STATEMENT

import quoteprov as qp


def test_trace_frame(seeds: qp.Corpus) -> None:
    frame = qp.trace_quote(STATEMENT[3], seeds).to_frame()
    assert list(frame["doc_id"]) == [ARTICLE, OUTLET, REWRITE]  # best first, as trace.matches
    assert frame["is_origin"].tolist() == [True, False, False]
    assert pd.api.types.is_datetime64_any_dtype(frame["published"])
    assert frame["published"].isna().tolist() == [True, True, False]
    rewrite = frame.set_index("doc_id").loc[REWRITE]
    assert rewrite["kind"] == "paraphrase" and "confident→convinced" in rewrite["changes"]
    assert "−the interference of" in rewrite["changes"] and not rewrite["altered"]
    for row in frame.itertuples():
        assert seeds[row.doc_id].text[row.start : row.end] == row.text


def test_quotes_frame(seeds: qp.Corpus) -> None:
    frame = qp.quotes_frame(seeds)
    assert set(frame["doc_id"]) <= set(seeds.ids) and len(frame) > 40
    assert "Maria Zakharova" in set(frame["speaker"].dropna())
    for row in frame.itertuples():
        assert seeds[row.doc_id].text[row.start : row.end] == row.text
    assert frame.loc[frame["doc_id"] == "003_11f08449810d1db8", "source"].eq("Havana Times").all()


def test_edges_and_nodes_frames(seeds: qp.Corpus) -> None:
    graph = qp.build_graph(seeds)
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
