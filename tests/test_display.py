"""HTML and plain-text display: escaped, offset-exact, and showing what changed."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from conftest import ARTICLE, OUTLET, REWRITE, STATEMENT, MakeCorpus

import quoteprov as qp
from quoteprov.view._display import (
    change_pieces,
    corpus_html,
    graph_html,
    marked_text,
    match_html,
    printable,
    trace_html,
    trace_text,
)

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def confident(corpus: qp.Corpus) -> qp.Trace:
    """The statement's last sentence traced in the seeds, on each storage backend."""
    return qp.trace_quote(STATEMENT[3], corpus)


def test_pieces_join_back_to_the_original_text(corpus: qp.Corpus) -> None:
    for query in STATEMENT:
        for m in qp.trace_quote(query, corpus).matches:
            text = corpus[m.doc_id].text
            pieces = change_pieces(m, text)
            assert "".join(p.text for p in pieces) == text[m.start : m.end]
            assert "".join(p.text for p in change_pieces(m)) == m.text
            deleted = [p.query for p in pieces if p.kind == "delete"]
            assert deleted == [c.query for c in m.changes if c.op == "delete"]


class _Tags(HTMLParser):
    """Collects tags and text so tests can look at what a browser would build."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


def test_trace_html_shows_the_journey(confident: qp.Trace, corpus: qp.Corpus) -> None:
    html = trace_html(confident)
    parsed = _parse(html)
    text = "".join(parsed.text)
    assert STATEMENT[3] in text
    # origin first: the first data row holds the origin marker and the article
    rows = html.split("<tr")[2:]
    assert "★ origin" in rows[0] and ARTICLE in rows[0]
    assert html.count("★ origin") == 1
    for doc_id in (ARTICLE, OUTLET, REWRITE):
        assert doc_id in text
    assert "Newsweek" in text and "2021-07-16" in text and "the statement" in text
    rewrite = next(r for r in rows if REWRITE in r)
    # the rewrite's changes: substitutions show both words, the deletion is struck through
    assert re.search(r"<del[^>]*>confident</del>.{0,20}<span[^>]*>convinced</span>", rewrite)
    assert re.search(r"<del[^>]*>the interference of</del>", rewrite)
    assert re.search(r"<ins[^>]*>country’s</ins>", rewrite)
    # the matched span sits in its sentence context: the attribution around it is shown
    article = rows[0]
    m = next(m for m in confident.matches if m.doc_id == ARTICLE)
    after = corpus[ARTICLE].text[m.end : m.end + 12]
    assert after.split()[0].strip('.”"') in article


def test_each_row_reads_a_confidence_word_beside_its_score(confident: qp.Trace) -> None:
    html = trace_html(confident)
    head = html.split("<tbody>")[0]
    assert head.index(">confidence<") < head.index(">score<")
    rows = html.split("<tr")[2:]
    for m in confident.matches:
        row = next(r for r in rows if m.doc_id in r)
        assert re.search(rf">{m.confidence}</span></td><td[^>]*>{m.score:.1f}</td>", row)
    assert [m.confidence for m in confident.matches] == ["certain", "certain", "possible"]
    assert f"{confident.matches[0].confidence}</span> (score 100.0)" in match_html(
        confident.matches[0]
    )


def test_an_altered_match_is_never_certain() -> None:
    swap = qp.Change(op="substitute", query="45", found="40", start=9, end=11, number=True)
    for kind, score in (("near_verbatim", 97.0), ("paraphrase", 99.0), ("partial", 95.0)):
        m = qp.Match(doc_id="a", start=0, end=20, text="Taxes at 40 percent.", score=score,
                     kind=kind, changes=(swap,), coverage=1.0)  # fmt: skip
        assert m.altered and m.confidence == "likely"
    gap = swap.model_copy(update={"elision": True})
    elided = qp.Match(doc_id="a", start=0, end=20, text="x" * 20, score=100, kind="verbatim",
                      elided=True, changes=(gap,))  # fmt: skip
    assert elided.altered and elided.confidence == "likely"
    clean = qp.Match(doc_id="a", start=0, end=3, text="abc", score=100, kind="verbatim")
    assert clean.confidence == "certain"
    assert qp.Match.model_validate(clean.model_dump()) == clean  # JSON round trip
    assert clean.model_dump()["confidence"] == "certain"


def test_numbers_and_negations_are_flagged(make_corpus: MakeCorpus) -> None:
    docs = [{"id": "a", "text": "The minister said 12 bridges will not be rebuilt."}]
    m = qp.trace_quote("The minister said 10 bridges will be rebuilt", make_corpus(docs)).matches[0]
    assert m.altered
    html = match_html(m)
    assert html.count('title="number or negation changed') == 2 and "#ff9f43" in html
    assert "[⚠10→12]" in marked_text(m) and "[⚠+not]" in marked_text(m)


@pytest.mark.parametrize("field", ["text", "title", "source", "speaker"])
def test_document_text_is_always_escaped(field: str, make_corpus: MakeCorpus) -> None:
    text = f"“We will rebuild every bridge by spring,” {EVIL} said."
    record = {"id": "evil", "text": text, "title": "T", "source": "S", "published": "2024-01-01"}
    if field in ("title", "source"):
        record[field] = EVIL
    if field == "speaker":
        record["text"] = '"We will rebuild every bridge by spring," said Dr <b>Evil</b>.'
    corpus = make_corpus([record])
    trace = qp.trace_quote("We will rebuild every bridge by spring", corpus)
    graph = qp.build_graph(corpus)
    for html in (
        trace_html(trace),
        corpus_html(corpus),
        graph_html(graph),
        match_html(trace.matches[0], corpus["evil"]),
    ):
        tags = set(_parse(html).tags)
        assert not tags & {"script", "img"}
        assert "<script" not in html and "<img" not in html and "<b>Evil" not in html


def test_corpus_html_lists_documents(corpus: qp.Corpus, make_corpus: MakeCorpus) -> None:
    html = corpus_html(corpus)
    assert "5 documents" in html and "Havana Times" in html and "2021-07-16" in html
    assert html.count("<tr>") == 1 + 5  # the header, then one row per document
    many = make_corpus(qp.Document(id=f"d{n}", text="Hello.") for n in range(25))
    assert "… and 5 more" in corpus_html(many) and corpus_html(many).count("<tr>") == 1 + 20


def test_graph_html_summarises_families_and_reuse(corpus: qp.Corpus) -> None:
    graph = qp.build_graph(corpus)
    html = graph_html(graph)
    assert "5 documents" in html and "derived from" in html
    copy_row = next(r for r in html.split("<tr") if "derived from" in r)
    assert copy_row.index(REWRITE) < copy_row.index(ARTICLE)  # copy → source
    assert "We are confident that Cuba would smash" in html


def test_graph_html_reads_graphml_back(corpus: qp.Corpus, tmp_path: Path) -> None:
    path = qp.write_graphml(qp.build_graph(corpus), tmp_path / "g.graphml")
    back = qp.read_graphml(path)
    assert isinstance(back, qp.ProvenanceGraph)
    assert "Provenance graph" in back._repr_html_()


def test_reprs_are_short_and_useful(confident: qp.Trace, corpus: qp.Corpus) -> None:
    assert "\n" not in repr(confident) and len(repr(confident)) < 160
    assert "3 matches in 3 documents" in repr(confident) and ARTICLE in repr(confident)
    for m in confident.matches:
        assert "\n" not in repr(m) and len(repr(m)) < 200 and m.doc_id in repr(m)
        assert str(m) == repr(m)
    rewrite = next(m for m in confident.matches if m.doc_id == REWRITE)
    assert "8 changes" in repr(rewrite)
    text = str(confident)
    assert text == trace_text(confident)
    assert text.splitlines()[2].startswith("origin: " + ARTICLE)
    rows = [line for line in text.splitlines() if ARTICLE in line or REWRITE in line][1:]
    assert rows[0].startswith("origin  " + ARTICLE)
    assert "[confident→convinced]" in text and "[−the interference of]" in text
    graph = qp.build_graph(corpus)
    families = sum(1 for _, d in graph.nodes(data=True) if d["type"] == "quote")
    assert repr(graph).startswith(f"<ProvenanceGraph: 5 documents, {families} quotation families")


def test_jupyter_picks_the_html(confident: qp.Trace, corpus: qp.Corpus) -> None:
    from IPython.core.formatters import DisplayFormatter

    formatter = DisplayFormatter()
    graph = qp.build_graph(corpus)
    assert isinstance(graph, nx.DiGraph) and isinstance(graph, qp.ProvenanceGraph)
    for obj in (confident, confident.matches[0], corpus, graph, confident.to_graph()):
        data, _ = formatter.format(obj)
        assert "text/html" in data and data["text/html"].startswith("<div")
        assert "\n" not in data["text/plain"]


def test_empty_trace_shows_nothing_found(corpus: qp.Corpus) -> None:
    trace = qp.trace_quote("penguins skiing in the sahara", corpus)
    assert "No occurrence found." in trace_html(trace) and "No occurrence found." in str(trace)
    assert repr(trace).endswith(": 0 matches in 0 documents>")


LONG = (
    "The ministry said on Monday that the new programme for the northern provinces, which "
    "includes roads, schools, bridges and clinics in every district, will cost 500 million dollars"
)


def test_plain_text_shows_a_change_past_the_width(make_corpus: MakeCorpus) -> None:
    # regression: the matched text was cut at 100 characters, so a changed number beyond
    # that point (the rich table's [⚠500→5,000]) did not show at all
    docs = [{"id": "a", "text": f'"{LONG.replace("500", "5,000")}," the spokesman said.'}]
    trace = qp.trace_quote(LONG, make_corpus(docs))
    assert LONG.index("500") > 100 and trace.matches[0].altered
    text = trace_text(trace)
    assert "[⚠500→5,000] million dollars" in text and "…" not in text.split("\n", 1)[1]
    row = next(line for line in text.splitlines() if line.startswith("origin  a"))
    column = row.index("The ministry")
    more = text.splitlines()[text.splitlines().index(row) + 1]
    assert more[:column].isspace() and more[column:].startswith("schools")  # wrapped, aligned
    assert all(len(line) <= column + 100 for line in text.splitlines())


def test_plain_text_escapes_control_characters(make_corpus: MakeCorpus) -> None:
    # regression: an ESC or a BEL in a document reached the terminal raw
    text = f'"{LONG}," the \x1b]0;pwned\x07spokesman\x9b2J said. \x1b[31m'
    doc_id = "evil\x1b[2J\x00"
    trace = qp.trace_quote("\x1b[5m" + LONG, make_corpus([{"id": doc_id, "text": text}]))
    m = trace.matches[0]
    assert m.doc_id == doc_id and "\x1b]0;pwned\x07" in (m.speaker or "")  # the data is kept
    shown = trace_text(trace)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", shown)
    assert r"evil\x1b[2J\x00" in shown and r"the \x1b]0;pwned\x07spokesman\x9b2J" in shown
    assert shown.startswith("“\\x1b[5mThe ministry")


def test_printable_escapes_every_control_and_keeps_the_rest() -> None:
    controls = [chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]]
    escaped = printable("".join(controls))
    assert re.fullmatch(r"(\\x[0-9a-f]{2}|\\[tnr])+", escaped)
    assert escaped.count("\\") == len(controls)
    kept = "Díaz-Canel «¡no!» 😀 \u200f\ud800 \\x1b"
    assert printable(kept) == kept
