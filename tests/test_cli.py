"""The command line: thin, machine-clean with --json, one-line errors with exit 2."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from conftest import ARTICLE, OUTLET, REWRITE, SEEDS, STATEMENT

import quoteprov as qp
from quoteprov import _cli as cli
from quoteprov._cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _rows(out: str) -> list[str]:
    """The table's first line for each occurrence, in printed order."""
    return [
        line
        for line in out.splitlines()
        if any(d in line for d in (ARTICLE, OUTLET, REWRITE))
        and any(f" {kind} " in line for kind in ("verbatim", "paraphrase"))
    ]


def test_trace_prints_a_table_origin_first(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "trace", STATEMENT[3], "--corpus", str(SEEDS))
    assert code == 0 and err == ""
    origin_line = next(line for line in out.splitlines() if line.startswith("origin: "))
    assert origin_line.startswith(f"origin: {ARTICLE} — ")
    rows = _rows(out)
    assert [r.split()[0] for r in rows] == ["★", OUTLET, REWRITE]
    assert ARTICLE in rows[0] and "origin" in rows[0]
    assert rows[0].index("verbatim") == rows[1].index("verbatim")  # aligned columns
    assert "[confident→convinced]" in out and "[−the interference of]" in out
    assert "[+country’s]" in out and "changes: [query→found] substituted" in out
    assert "\x1b[" not in out  # no colour codes when the output is not a terminal


def test_trace_plain_table(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, plain, _ = run(capsys, "trace", STATEMENT[3], "--corpus", str(SEEDS), "--plain")
    assert code == 0
    rows = _rows(plain)
    assert rows[0].startswith(f"origin  {ARTICLE}  verbatim")
    header = next(line for line in plain.splitlines() if line.lstrip().startswith("document"))
    assert {r.index("verbatim") for r in rows[:2]} == {header.index("kind")}
    assert "[confident→convinced]" in plain
    monkeypatch.setattr(cli, "_has_rich", lambda: False)  # rich not installed: the same table
    code, out, _ = run(capsys, "trace", STATEMENT[3], "--corpus", str(SEEDS))
    assert code == 0 and out == plain


@pytest.mark.parametrize("lazy", [False, True])
def test_trace_through_a_corpus_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, lazy: bool
) -> None:
    path = tmp_path / "seeds.qp"
    qp.Corpus.from_directory(SEEDS).save(path)
    _, want, _ = run(capsys, "trace", STATEMENT[3], "--corpus", str(SEEDS), "--json")
    flags = ["--lazy"] if lazy else []
    code, got, err = run(capsys, "trace", STATEMENT[3], "--corpus", str(path), "--json", *flags)
    # a lazy corpus says once that it is matched lexically; nothing else is said
    said = ["quoteprov: note: matching lexically"] if lazy else []
    assert code == 0 and [line[:35] for line in err.splitlines()] == said
    assert json.loads(got)["matches"] == json.loads(want)["matches"]
    assert (tmp_path / "seeds.qp.index").is_dir() is lazy  # the index written beside it


def test_trace_json_is_machine_clean(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    code, out, err = run(capsys, "trace", STATEMENT[0], "--corpus", str(SEEDS), "--json")
    data = json.loads(out)
    assert code == 0 and err == "" and data["origin"]["doc_id"] in (ARTICLE, OUTLET)
    assert "\x1b" not in out


def test_trace_nothing_found(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "trace", "penguins skiing in the sahara", "--corpus", str(SEEDS))
    assert code == 0 and "No occurrence found." in out


SEEDS_NOTE = (
    "quoteprov: note: no --corpus given: tracing through the 5 seed documents that ship with "
    "quoteprov (quoteprov.Corpus.seeds())\n"
)


def test_trace_without_a_corpus_uses_the_seeds_and_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # an empty folder: the seeds come from the package
    code, out, err = run(capsys, "trace", STATEMENT[3], "--plain")
    assert code == 0 and err == SEEDS_NOTE
    _, given, err = run(capsys, "trace", STATEMENT[3], "--plain", "--corpus", str(SEEDS))
    assert out == given and err == ""  # the same answer; no note when a corpus is named
    code, out, err = run(capsys, "trace", STATEMENT[0], "--json")
    assert code == 0 and err == SEEDS_NOTE  # the note is on stderr: JSON stays clean
    assert json.loads(out)["origin"]["doc_id"] in (ARTICLE, OUTLET)


def test_console_script_without_a_corpus_in_an_empty_folder(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "quoteprov._cli", "trace", STATEMENT[3], "--plain"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={**os.environ, "QUOTEPROV_SEMANTIC": "0"},
    )
    assert result.returncode == 0 and result.stderr == SEEDS_NOTE
    assert REWRITE in result.stdout and "[confident→convinced]" in result.stdout


def test_graph_writes_graphml_and_summarises(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    output = tmp_path / "out.graphml"
    code, out, err = run(capsys, "graph", str(SEEDS), "-o", str(output), "--json")
    summary = json.loads(out)
    assert code == 0 and err == "" and summary["documents"] == 5
    assert summary["derived_from"] == [[REWRITE, ARTICLE]]
    assert summary["origins"] == {ARTICLE: 5, OUTLET: 1}
    graph = nx.read_graphml(output)
    assert (
        graph.number_of_nodes()
        == summary["documents"] + summary["quotation_families"] + (summary["speakers"])
    )


def test_graph_ends_with_one_paragraph(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    output = tmp_path / "out.json"
    code, out, err = run(capsys, "graph", str(SEEDS), "-o", str(output))
    assert code == 0 and err == ""  # no progress bar when stderr is not a terminal
    assert {"nodes", "edges"} <= json.loads(output.read_text(encoding="utf-8")).keys()
    assert "\n\n" not in out.strip() and " ".join(out.split()).endswith(f"Wrote {output}.")
    paragraph = " ".join(out.split())
    written = json.loads(output.read_text(encoding="utf-8"))
    families = [n for n in written["nodes"] if n["type"] == "quote"]
    shared = [n for n in families if n["documents"] > 1]
    assert paragraph.startswith(
        f"5 documents, {len(families)} quotation families ({len(shared)} found in several"
    )
    assert f"{REWRITE} derived from {ARTICLE} (Newsweek)" in paragraph
    assert "1 derived-from edge." in paragraph
    assert f"Origins found: the 6 shared families originate in 2 documents: {ARTICLE}" in paragraph


@pytest.mark.parametrize("with_rich", [True, False])
def test_graph_progress_on_a_terminal(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    with_rich: bool,
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.setattr(cli, "_has_rich", lambda: with_rich)
    code, out, err = run(capsys, "graph", str(SEEDS), "-o", str(tmp_path / "g.graphml"))
    assert code == 0 and out.startswith("5 documents")
    for step in ("analysing documents", "comparing sentences", "tracing quotations"):
        assert step in err
    assert ("4/4" in err) if with_rich else ("[4/4] done" in err)


def test_build_graph_reports_its_steps(corpus: qp.Corpus) -> None:
    steps: list[tuple[str, int, int]] = []
    qp.build_graph(corpus, progress=lambda *step: steps.append(step))
    assert [s[1] for s in steps] == [0, 1, 2, 3, 4] and {s[2] for s in steps} == {4}
    assert steps[0][0] == "analysing documents" and steps[-1][0] == "done"


def test_quotes_lists_speakers(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "quotes", str(SEEDS / f"{OUTLET}.txt"))
    assert code == 0 and "Maria Zakharova" in out
    code, out, _ = run(capsys, "quotes", str(SEEDS / f"{OUTLET}.txt"), "--json")
    quotes = json.loads(out)
    assert all(q["text"] for q in quotes) and any(q["speaker"] for q in quotes)


@pytest.mark.parametrize(
    "args, message",
    [
        (["trace", "x y z", "--corpus", "/nonexistent/dir"], "does not exist"),
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
        [sys.executable, "-m", "quoteprov._cli", "trace", STATEMENT[1], "--corpus", str(SEEDS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and ARTICLE in result.stdout


def _bad_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "scraped"
    folder.mkdir()
    for source in sorted(SEEDS.glob("*.txt")):
        (folder / source.name).write_bytes(source.read_bytes())
    (folder / "latin.txt").write_bytes("Café".encode("cp1252"))
    (folder / "blob.txt").write_bytes(b"\x89PNG\x00\x00")
    (folder / "empty.txt").write_text("   \n")
    (folder / f"{ARTICLE}.json").write_text('{"published": "16 July 2021"}')
    return folder


@pytest.mark.parametrize("command", ["graph", "trace"])
def test_bad_inputs_stop_with_one_line_or_are_skipped_and_named(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    folder = _bad_folder(tmp_path)
    base = (
        ["graph", str(folder), "-o", str(tmp_path / "g.graphml")]
        if command == "graph"
        else ["trace", STATEMENT[3], "--corpus", str(folder)]
    )
    code, out, err = run(capsys, *base)
    assert code == 2 and out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert err.rstrip().endswith("--skip-bad loads past it") and "errors=" not in err
    code, out, err = run(capsys, *base, "--skip-bad")
    assert code == 0
    skipped = [line for line in err.splitlines() if line.startswith("quoteprov: skipped ")]
    named = {Path(line.split()[2].rstrip(":")).name for line in skipped}
    assert named == {"latin.txt", "blob.txt", f"{ARTICLE}.txt"}
    assert "offset 3" in err and "NUL byte" in err and "16 July 2021" in err
    if command == "graph":  # every good file is there, the empty one too
        graph = qp.read_graphml(tmp_path / "g.graphml")
        docs = {d["doc_id"] for _, d in graph.nodes(data=True) if d["type"] == "document"}
        good = {p.stem for p in SEEDS.glob("*.txt")} - {ARTICLE}
        assert docs == good | {"empty"}


def test_trace_shows_a_confidence_word_beside_each_score(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for extra in ([], ["--plain"]):
        code, out, _ = run(capsys, "trace", STATEMENT[3], "--corpus", str(SEEDS), *extra)
        assert code == 0
        header = next(line for line in out.splitlines() if "confidence" in line)
        assert header.index("confidence") < header.index("score")
        rows = _rows(out)
        assert [(" certain " in r, " possible " in r) for r in rows] == [
            (True, False),
            (True, False),
            (False, True),  # the rewrite: paraphrase 18.1, holding 0.45 of the query
        ]
    code, out, _ = run(capsys, "trace", STATEMENT[3], "--corpus", str(SEEDS), "--json")
    words = {m["doc_id"]: m["confidence"] for m in json.loads(out)["matches"]}
    assert words == {ARTICLE: "certain", OUTLET: "certain", REWRITE: "possible"}


def test_lone_surrogates_from_json_escapes_are_printed_as_escapes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # regression (fuzzing, issue 4): a "\ud800" escape in a JSON Lines file reached
    # print() and crashed every output format with UnicodeEncodeError
    corpus = tmp_path / "docs.jsonl"
    corpus.write_text('{"id": "a", "text": "We will win \\ud800 the war, she said."}\n')
    for extra in (["--json"], ["--plain"], []):
        code, out, err = run(
            capsys, "trace", "We will win the war", "--corpus", str(corpus), *extra
        )
        assert code == 0 and "Traceback" not in err and "\\ud800" in out
    code, out, _ = run(capsys, "trace", "We will win the war", "--corpus", str(corpus), "--json")
    assert json.loads(out)["matches"][0]["text"] == "We will win \ud800 the war"


def _one_line_error(err: str, message: str) -> None:
    assert err.count("\n") == 1 and err.startswith("quoteprov: error: ") and message in err
    assert "Traceback" not in err and "usage:" not in err


@pytest.mark.parametrize(
    "output, message",
    [
        ("-", "cannot be written to standard output ('-')"),
        ("graph.txt", "the suffix '.txt' is not a format quoteprov graph writes"),
        ("graph", "the suffix '(none)' is not a format"),
        ("graph.gexf", "end the file name in .graphml (GraphML) or .json (node-link JSON)"),
    ],
)
def test_graph_refuses_a_format_it_does_not_write(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    output: str,
    message: str,
) -> None:
    # regression: any suffix but .json was written as GraphML, and `-o -` wrote a file
    # literally named "-"
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "graph", str(SEEDS), "-o", output)
    assert code == 2 and out == ""
    _one_line_error(err, message)
    assert list(tmp_path.iterdir()) == []


def _jsonl(path: Path, *records: dict[str, str]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_graph_refuses_to_write_over_its_corpus(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # regression: `graph h.jsonl -o h.jsonl` exited 0 and replaced the corpus with GraphML
    corpus = _jsonl(tmp_path / "h.jsonl", {"id": "a", "text": '"We will win," she said.'})
    before = corpus.read_bytes()
    (tmp_path / "link.graphml").symlink_to(corpus)
    os.link(corpus, tmp_path / "hard.json")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a.txt").write_text('"We will win," she said.')
    cases = [
        (corpus, tmp_path / "link.graphml", "(a link to"),
        (corpus, tmp_path / "hard.json", "it is the corpus file"),
        (folder, folder / "manifest.json", f"a file in the corpus folder {folder}"),
        (folder, folder / "a.json", "write it outside the corpus"),
    ]
    for source, output, message in cases:
        code, out, err = run(capsys, "graph", str(source), "-o", str(output))
        assert code == 2 and out == ""
        _one_line_error(err, message)
    assert corpus.read_bytes() == before and (tmp_path / "link.graphml").is_symlink()
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt"]
    code, _, err = run(capsys, "graph", str(corpus), "-o", str(tmp_path / "h.json"))
    assert code == 0 and err == ""  # beside the corpus is fine
    code, _, err = run(capsys, "graph", str(folder), "-o", str(folder / "provenance.graphml"))
    assert code == 0 and err == ""  # GraphML in the folder is never read back as a document


def test_graph_writes_through_a_symlink_and_refuses_a_fifo(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # regression: the rename replaced a symlink (and, as root, /dev/null) with a regular
    # file; a FIFO stands in for the device here
    real = tmp_path / "real.graphml"
    real.write_text("old")
    link = tmp_path / "link.graphml"
    link.symlink_to(real)
    code, out, err = run(capsys, "graph", str(SEEDS), "-o", str(link))
    assert code == 0 and err == "" and out.strip().endswith(f"Wrote {link}.")
    assert link.is_symlink() and qp.read_graphml(real).number_of_nodes() > 5
    fifo = tmp_path / "pipe.graphml"
    os.mkfifo(fifo)
    code, out, err = run(capsys, "graph", str(SEEDS), "-o", str(fifo))
    assert code == 2 and out == ""
    _one_line_error(err, "is a FIFO, not a regular file")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.parametrize(
    "args, message",
    [
        (["trace", "x y z", "--corpus", str(SEEDS), "--limit", "0"], "--limit: must be 1 or"),
        (["trace", "x y z", "--corpus", str(SEEDS), "--limit", "-1"], "not -1"),
        (["trace", "x y z", "--corpus", str(SEEDS), "--limit", "two"], "'two' is not a whole"),
        (["graph", str(SEEDS), "--min-shared", "0"], "--min-shared: must be 1 or more, not 0"),
        (["graph", str(SEEDS), "--min-shared", "-3"], "see quoteprov graph --help"),
        (["trace", "--corpus", str(SEEDS)], "required: sentence"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    # regression: --limit -1 silently dropped the last occurrence, --limit 0 and
    # --min-shared 0 were accepted
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    _one_line_error(err, message)


def test_limit_one_keeps_one(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "trace", STATEMENT[3], "--corpus", str(SEEDS), "--json", "--limit", "1"
    )
    assert code == 0 and len(json.loads(out)["matches"]) == 1


def test_loading_warnings_are_one_line_each(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # regression: the CLI hid every warning raised while loading
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text('"We will win the war," she said.')
    (folder / "empty.txt").write_text("  \n")
    (folder / "manifest.json").write_text('{"a": {"source": "S"}, "ghost": {"source": "G"}}')
    for args in (
        ["trace", "we will win the war", "--corpus", str(folder)],
        ["graph", str(folder), "-o", str(tmp_path / "g.graphml")],
    ):
        code, out, err = run(capsys, *args)
        assert code == 0 and out
        lines = err.splitlines()
        assert len(lines) == 2 and all(line.startswith("quoteprov: warning: ") for line in lines)
        assert any("empty.txt" in line and "empty" in line for line in lines)
        assert any("'ghost'" in line and "ignored" in line for line in lines)
        assert "Traceback" not in err and "UserWarning" not in err and "warnings.warn" not in err


def test_skip_bad_names_each_input_once(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = _bad_folder(tmp_path)
    code, _, err = run(
        capsys, "graph", str(folder), "-o", str(tmp_path / "g.graphml"), "--skip-bad"
    )
    assert code == 0
    lines = err.splitlines()
    assert len([line for line in lines if line.startswith("quoteprov: skipped ")]) == 3
    assert [line for line in lines if line.startswith("quoteprov: warning: ")] == [
        line for line in lines if "empty.txt" in line
    ]  # the empty file is said; the summary of what was skipped is not said twice
    jsonl = tmp_path / "h.jsonl"
    jsonl.write_text('{"id": "a", "text": "Peace is near."}\n{bad\n', encoding="utf-8")
    code, _, err = run(capsys, "trace", "Peace is near", "--corpus", str(jsonl), "--skip-bad")
    assert code == 0 and err.count(f"{jsonl}:2") == 1  # the line is named once


EVIL_ID = "evil\x1b]0;pwned\x07\x9b"
EVIL_TEXT = (
    '"We will rebuild every bridge \x1b by spring\x07," said Mr Bond\x1b[2J. '
    '"Peace is near\x9b," he added.'
)
_RAW = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


@pytest.mark.parametrize("mode", ["--plain", "rich", "--json"])
def test_trace_escapes_control_characters(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, mode: str
) -> None:
    # regression: an ESC, a BEL or a C1 CSI in a document reached the terminal raw
    corpus = _jsonl(tmp_path / "evil.jsonl", {"id": EVIL_ID, "text": EVIL_TEXT})
    extra = [] if mode == "rich" else [mode]
    code, out, err = run(
        capsys, "trace", "We will rebuild every bridge by spring", "--corpus", str(corpus), *extra
    )
    assert code == 0 and err == "" and not _RAW.search(out)
    if mode == "--json":  # the same data, escaped
        data = json.loads(out)
        match = data["matches"][0]
        assert (
            match["doc_id"] == EVIL_ID
            and match["text"] == "We will rebuild every bridge \x1b by spring"
        )
        assert match["speaker"] == "Bond\x1b[2J"
    else:
        assert r"evil\x1b]0;pwned\x07\x9b" in out and r"bridge \x1b by spring" in out
        assert r"Bond\x1b[2J" in out


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_quotes_and_graph_escape_control_characters(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, extra: list[str]
) -> None:
    file = tmp_path / "evil.txt"
    file.write_text(EVIL_TEXT, encoding="utf-8")
    code, out, err = run(capsys, "quotes", str(file), *extra)
    assert code == 0 and "Bond" in out and not _RAW.search(out + err)
    if extra:
        assert [q["content"] for q in json.loads(out)] == [
            q.content for q in qp.extract_quotes(EVIL_TEXT)
        ]
    else:
        assert r"Bond\x1b[2J" in out and r"bridge \x1b by spring\x07" in out
        assert r"Peace is near\x9b" in out
    corpus = _jsonl(tmp_path / "evil.jsonl", {"id": EVIL_ID, "text": EVIL_TEXT, "source": "S\x1b"})
    code, out, err = run(capsys, "graph", str(corpus), "-o", str(tmp_path / "g.json"), *extra)
    assert code == 0 and not _RAW.search(out + err)


def test_plain_table_shows_a_change_past_100_characters(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # regression: the plain table cut the matched text at about 100 characters, so the
    # rich table's [⚠500→5,000] did not show in it
    query = (
        "The ministry said on Monday that the new programme for the northern provinces, "
        "which includes roads, schools, bridges and clinics in every district, will cost "
        "500 million dollars"
    )
    text = f'"{query.replace("500", "5,000")}," the spokesman said.'
    corpus = _jsonl(tmp_path / "docs.jsonl", {"id": "a", "text": text})
    code, plain, _ = run(capsys, "trace", query, "--corpus", str(corpus), "--plain")
    assert code == 0 and "[⚠500→5,000] million dollars" in plain
    monkeypatch.setattr(cli, "_has_rich", lambda: False)
    code, out, _ = run(capsys, "trace", query, "--corpus", str(corpus))
    assert code == 0 and out == plain
