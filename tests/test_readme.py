"""The README's notebook examples run as written (against the bundled seeds)."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import networkx as nx
import pytest
from conftest import ARTICLE, ROOT

import quoteprov as qp

matplotlib.use("Agg")


def test_notebook_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## In a notebook", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 2 and len(blocks[0].strip().splitlines()) <= 12
    monkeypatch.chdir(tmp_path)
    code = "\n".join(blocks)
    scope: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), scope)
    trace = scope["trace"]
    assert isinstance(trace, qp.Trace) and trace.origin is not None
    assert trace.origin.doc_id == ARTICLE
    assert nx.read_graphml(tmp_path / "provenance.graphml").number_of_nodes() > 5
    assert "vis.Network" in (tmp_path / "graph.html").read_text(encoding="utf-8")


def test_quick_start_is_install_and_run_then_the_ci_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = [
        line
        for line in re.findall(r"```bash\n(.*?)```", quick, flags=re.S)[0].splitlines()
        if line and not line.startswith("#")
    ]
    assert len(commands) == 2
    assert commands[0].startswith("pip install -e") and "quoteprov trace" in commands[0]
    # no --corpus: the seeds ship in the package, so the trace works from a wheel in any folder
    assert "--corpus" not in commands[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert commands[1] in ci  # CI runs exactly the README's test command, then the docs ...
    # ... and, with the built wheel installed in an empty folder, the quick start's trace
    trace = commands[0].split(" && ", 1)[1]
    assert trace.startswith("quoteprov trace ")
    assert any(line.strip().startswith(trace) for line in ci[ci.index(commands[1]) + 1 :])
