"""The command line: thin, machine-clean with --json, one-line errors with exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from conftest import ARTICLE, OUTLET, REWRITE, SEEDS, STATEMENT

from quoteprov.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_trace_prints_every_occurrence_origin_first(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "trace", STATEMENT[3], "--corpus", str(SEEDS))
    assert code == 0 and err == ""
    assert "origin:" in out and "changes:" in out
    lines = [line for line in out.splitlines() if line.startswith("origin ")]
    assert len(lines) == 1
    for doc in (ARTICLE, OUTLET, REWRITE):
        assert doc in out


def test_trace_json_is_machine_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "trace", STATEMENT[0], "--corpus", str(SEEDS), "--json")
    data = json.loads(out)
    assert code == 0 and data["origin"]["doc_id"] in (ARTICLE, OUTLET)


def test_trace_nothing_found(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "trace", "penguins skiing in the sahara", "--corpus", str(SEEDS))
    assert code == 0 and "No occurrence found." in out


def test_graph_writes_graphml_and_summarises(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    output = tmp_path / "out.graphml"
    code, out, _ = run(capsys, "graph", str(SEEDS), "-o", str(output), "--json")
    summary = json.loads(out)
    assert code == 0 and summary["documents"] == 5
    assert summary["derived_from"] == [[REWRITE, ARTICLE]]
    graph = nx.read_graphml(output)
    assert (
        graph.number_of_nodes()
        == summary["documents"] + summary["quotation_families"] + (summary["speakers"])
    )


def test_graph_json_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    output = tmp_path / "out.json"
    code, out, _ = run(capsys, "graph", str(SEEDS), "-o", str(output))
    assert code == 0 and "derived from" in out
    assert {"nodes", "edges"} <= json.loads(output.read_text(encoding="utf-8")).keys()


def test_quotes_lists_speakers(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "quotes", str(SEEDS / f"{OUTLET}.txt"))
    assert code == 0 and "Maria Zakharova" in out
    code, out, _ = run(capsys, "quotes", str(SEEDS / f"{OUTLET}.txt"), "--json")
    quotes = json.loads(out)
    assert all(q["text"] for q in quotes) and any(q["speaker"] for q in quotes)


@pytest.mark.parametrize(
    "args, message",
    [
        (["trace", "x y z", "--corpus", "/nonexistent/dir"], "neither a directory"),
        (["trace", "...", "--corpus", str(SEEDS)], "no words"),
        (["quotes", "/nonexistent/file.txt"], "cannot read"),
        (["graph", str(SEEDS), "-o", "/nonexistent/dir/out.graphml"], "/nonexistent/dir"),
    ],
)
def test_errors_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("quoteprov: error: ") and message in err


def test_bad_encoding_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "latin.txt"
    bad.write_bytes("“Café” is closed, she said.".encode("cp1252"))
    code, _, err = run(capsys, "quotes", str(bad))
    assert code == 2 and "offset 0" in err and "Traceback" not in err


def test_console_script_runs_as_a_process() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "quoteprov.cli", "trace", STATEMENT[1], "--corpus", str(SEEDS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and ARTICLE in result.stdout
