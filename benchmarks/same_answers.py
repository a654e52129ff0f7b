"""Fingerprint every answer the library gives, to check a refactor changes none of them.

Run from the repository root, before and after a change, and compare the two files::

    python benchmarks/same_answers.py --out before.json
    python benchmarks/same_answers.py --out after.json
    cmp before.json after.json && echo same

It records, lexical tier:

- the SHA-256 of the GraphML and node-link JSON of the seeds' graph and of a generated
  1,000-document corpus (``generate.py``'s generator, seed 7);
- every trace ``benchmarks/quality.py`` makes in its ``reuse``, ``families``,
  ``confidence``, ``elided`` and ``altered`` sections (PolNeAR, Clough & Stevenson; skipped
  when ``../shared/data`` is absent): each query with every match's document, kind,
  offsets, score, coverage and changes, and each trace's origin and its basis;
- the printed rows of those sections and of ``msrp``, ``split`` and ``quotes``, timings
  left out.

Two runs of the same code give the same file; any difference is a changed answer.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.util
import io
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

os.environ["QUOTEPROV_SEMANTIC"] = "0"
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import quoteprov as qp  # noqa: E402


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _graph_hashes(corpus: qp.Corpus) -> dict[str, str]:
    graph = qp.build_graph(corpus)
    with tempfile.TemporaryDirectory() as tmp:
        qp.write_graphml(graph, Path(tmp) / "g.graphml")
        qp.write_json(graph, Path(tmp) / "g.json")
        return {
            "graphml": _digest(Path(tmp) / "g.graphml"),
            "json": _digest(Path(tmp) / "g.json"),
        }


def _match(m: qp.Match) -> list[Any]:
    return [
        m.doc_id,
        m.kind,
        m.start,
        m.end,
        round(m.score, 6),
        round(m.coverage, 6) if m.coverage is not None else None,
        [c.model_dump(mode="json") for c in m.changes],
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    answers: dict[str, Any] = {}
    answers["seeds"] = _graph_hashes(qp.Corpus.seeds())
    generate = _load("generate")
    with tempfile.TemporaryDirectory() as tmp:
        with contextlib.redirect_stdout(io.StringIO()):
            generate.main(["1000", "--seed", "7", "-o", tmp])
        answers["generated_1000"] = _graph_hashes(qp.Corpus.from_jsonl(Path(tmp) / "corpus.jsonl"))

    quality = _load("quality")
    traces: list[Any] = []
    trace_quote, find_matches = quality.qp.trace_quote, quality.find_matches

    def traced(query: str, corpus: Any, **kw: Any) -> qp.Trace:
        t = trace_quote(query, corpus, **kw)
        traces.append(
            [
                "trace",
                query,
                [_match(m) for m in t.matches],
                [_match(m) for m in t.related],
                t.origin.doc_id if t.origin else None,
                str(t.origin_basis),
            ]
        )
        return t

    def found(query: str, *a: Any, **kw: Any) -> list[qp.Match]:
        ms: list[qp.Match] = find_matches(query, *a, **kw)
        traces.append(["find", query, [_match(m) for m in ms]])
        return ms

    quality.qp = type("QP", (), {**vars(qp), "trace_quote": staticmethod(traced)})
    quality.find_matches = found
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        quality.main(
            ["--lexical", "--only", "msrp,reuse,split,quotes,families,confidence,elided,altered"]
        )
    answers["quality_rows"] = [
        line
        for line in printed.getvalue().splitlines()[4:-1]
        if line and line[0] != "-" and not re.search(r"\bms\b|/ s\b|seconds", line)  # timings
    ]
    answers["traces"] = len(traces)
    answers["traces_sha256"] = hashlib.sha256(json.dumps(traces).encode()).hexdigest()
    args.out.write_text(json.dumps(answers, indent=1) + "\n", encoding="utf-8")
    args.out.with_suffix(".traces.json").write_text(json.dumps(traces), encoding="utf-8")
    print(f"{answers['traces']} traces; seeds {answers['seeds']}; wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
