"""The example notebooks run top to bottom and show what they promise, so they never rot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pytest
from conftest import ARTICLE, OUTLET, REWRITE
from nbclient import NotebookClient

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))


def _run(path: Path) -> list[Any]:
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=120, resources={"metadata": {"path": str(EXAMPLES)}}).execute()
    return [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]


def _html(outputs: list[Any]) -> str:
    return "".join(o.get("data", {}).get("text/html", "") for o in outputs)


def _pictures(outputs: list[Any]) -> int:
    return sum("image/png" in o.get("data", {}) for o in outputs)


def test_every_example_runs() -> None:
    assert [p.name for p in NOTEBOOKS] == [
        "01_trace_a_quote.ipynb",
        "02_corpus_provenance.ipynb",
    ]


@pytest.fixture(scope="module")
def first() -> list[Any]:
    return _run(EXAMPLES / "01_trace_a_quote.ipynb")


def test_first_notebook_traces_the_statement(first: list[Any]) -> None:
    assert not [o for o in first if o.output_type == "error"]
    html = _html(first)
    # the statement across three outlets, origin first, the rewrite's changes marked
    trace = next(h for o in first if "<b>Query</b>" in (h := _html([o]))).split("<tbody>")[1]
    assert trace.count("★ origin") == 1 and trace.index("★ origin") < trace.index(ARTICLE)
    assert trace.index(ARTICLE) < trace.index(OUTLET) and trace.index(ARTICLE) < trace.index(
        REWRITE
    )
    assert ">confident</del>" in trace and ">convinced</span>" in trace
    assert "Provenance graph" in html and "derived from" in html
    assert _pictures(first) == 2  # the timeline and the graph
    streams = "".join(o.text for o in first if o.output_type == "stream")
    assert "seeds_graph.html" in streams and (EXAMPLES / "out" / "seeds.graphml").is_file()


def test_second_notebook_shows_families_timeline_and_graph() -> None:
    outputs = _run(EXAMPLES / "02_corpus_provenance.ipynb")
    assert not [o for o in outputs if o.output_type == "error"]
    html = _html(outputs)
    assert "Corpus</b>: 300 documents" in html and "7 quotation families" in html
    assert "⚠" in html  # the copy whose number was changed
    assert _pictures(outputs) == 3  # the timeline, the whole graph, one story
    assert (EXAMPLES / "out" / "newsroom_graph.html").is_file()
