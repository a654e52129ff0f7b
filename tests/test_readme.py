"""The README's notebook examples run as written (against the bundled seeds)."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import networkx as nx
import pytest
from conftest import ARTICLE, ROOT, SEEDS

import quoteprov as qp

matplotlib.use("Agg")


def test_notebook_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## In a notebook", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 2 and len(blocks[0].strip().splitlines()) <= 12
    monkeypatch.chdir(tmp_path)
    code = "\n".join(blocks).replace('"seeds/"', repr(str(SEEDS)))
    scope: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), scope)
    trace = scope["trace"]
    assert isinstance(trace, qp.Trace) and trace.origin is not None
    assert trace.origin.doc_id == ARTICLE
    assert nx.read_graphml(tmp_path / "provenance.graphml").number_of_nodes() > 5
    assert "vis.Network" in (tmp_path / "graph.html").read_text(encoding="utf-8")
