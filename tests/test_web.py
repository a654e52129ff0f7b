"""quoteprov.corpus._web: news pages and WARC crawls built around the seeds (tests/web_pages.py)."""

from __future__ import annotations

import datetime as dt
import gzip
import html
import sys
import warnings
from pathlib import Path

import pytest
from conftest import ARTICLE, SEEDS, STATEMENT, MakeCorpus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import quoteprov as qp
from quoteprov._cli import main

pytest.importorskip("trafilatura", reason="the web extra is not installed")
pytest.importorskip("fastwarc", reason="the web extra is not installed")
pytest.importorskip("warcio", reason="the WARC fixtures are written with warcio (dev extra)")

import web_pages as wp

from quoteprov.corpus import _web as web


def _norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def pages() -> list[wp.Page]:
    return wp.all_pages()


@pytest.fixture(scope="module")
def html_corpus(pages: list[wp.Page], tmp_path_factory: pytest.TempPathFactory) -> qp.Corpus:
    folder = tmp_path_factory.mktemp("pages")
    wp.write_pages(pages, folder)
    return qp.Corpus.from_html(folder)


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds as one site's crawl, with the awkward records of a real one."""
    records = wp.crawl_records(wp.site_pages())
    for encoding, in_header in (("windows-1252", True), ("iso-8859-15", False)):
        _, body = wp.accented_page(encoding, in_header)
        records.append((f"https://lq.example/{encoding}", body, "2023-01-01T00:00:00Z"))
    return wp.write_warc(tmp_path_factory.mktemp("crawl") / "crawl.warc.gz", records)


# -- pages ---------------------------------------------------------------------------------


def test_seed_sentences_come_back_whole(pages: list[wp.Page], html_corpus: qp.Corpus) -> None:
    found = total = 0
    for p in pages:
        text = _norm(html_corpus[p.name].text)
        for paragraph in p.body:
            for sentence in qp.split_sentences(paragraph):
                total += 1
                found += _norm(sentence.text) in text
    assert found / total >= 0.98


def test_no_boilerplate_sentence_becomes_a_document_sentence(
    pages: list[wp.Page], html_corpus: qp.Corpus
) -> None:
    extracted = boiler = 0
    for p in pages:
        seed = _norm(p.seed_text)
        for sentence in qp.split_sentences(html_corpus[p.name].text):
            extracted += 1
            boiler += _norm(sentence.text) not in seed
        for phrase in wp.BOILERPLATE:
            assert phrase not in html_corpus[p.name].text, (p.name, phrase)
    assert boiler / extracted <= 0.02


def test_dates_outlets_titles_and_urls(pages: list[wp.Page], html_corpus: qp.Corpus) -> None:
    for p in pages:
        doc = html_corpus[p.name]
        # the day the page states (None on the undated pages), with the time of day where
        # its meta tag or JSON-LD gives one
        day = doc.published.date() if isinstance(doc.published, dt.datetime) else doc.published
        assert day == p.published, p.name
        if p.date_source in ("meta", "json-ld"):
            assert isinstance(doc.published, dt.datetime), p.name
        assert doc.metadata.get("date_source") == p.date_source, p.name
        assert doc.source == p.outlet, p.name
        assert doc.url == p.url, p.name
        assert doc.metadata["language"] == "en"
        if p.title is not None:
            assert doc.title == p.title, p.name


def test_same_day_pages_are_ordered_by_the_time_their_meta_tags_give(
    make_corpus: MakeCorpus,
) -> None:
    text = "<p>The minister said the old harbour bridge will reopen to traffic in the spring.</p>"

    def page(outlet: str, stamp: str) -> bytes:
        return (
            f'<html lang="en"><head><meta property="og:site_name" content="{outlet}">'
            f'<meta property="article:published_time" content="{stamp}"><title>Bridge'
            f"</title></head><body><article><h1>Bridge</h1>{text}</article></body></html>"
        ).encode()

    evening = web.page_document(page("Evening Post", "2021-07-16T18:30:00Z"), doc_id="a")
    morning = web.page_document(page("Morning Wire", "2021-07-16T08:00:00Z"), doc_id="b")
    assert morning.published == dt.datetime(2021, 7, 16, 8, 0, tzinfo=dt.timezone.utc)
    trace = qp.trace_quote("the old harbour bridge will reopen", make_corpus([evening, morning]))
    assert trace.origin is not None and trace.origin.doc_id == "b"
    assert trace.origin_basis is qp.OriginBasis.DATE


def test_offsets_point_into_the_extracted_text(html_corpus: qp.Corpus) -> None:
    trace = qp.trace_quote(STATEMENT[3], html_corpus)
    assert len({m.doc_id for m in trace.matches}) >= 15
    for m in trace.matches:
        assert html_corpus[m.doc_id].text[m.start : m.end] == m.text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=200),
        min_size=1,
        max_size=6,
    )
)
def test_any_text_wrapped_in_a_page_keeps_offsets(paragraphs: list[str]) -> None:
    markup = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    page = f"<html><head><title>T</title></head><body><article>{markup}</article></body></html>"
    try:
        doc = web.page_document(page, doc_id="p")
    except qp.DocumentFormatError:
        return  # nothing left to extract (whitespace, or what reads as furniture)
    for quote in qp.extract_quotes(doc.text):
        assert doc.text[quote.start : quote.end] == quote.text
    for sentence in qp.split_sentences(doc.text):
        assert doc.text[sentence.start : sentence.end] == sentence.text
        words = sentence.text.split()
        if len(words) >= 3:
            for m in qp.trace_quote(" ".join(words[:8]), [doc]).matches:
                assert doc.text[m.start : m.end] == m.text


def test_encodings_from_the_page_and_errors(tmp_path: Path) -> None:
    _, response = wp.accented_page("iso-8859-15", in_header=False)
    page = tmp_path / "fr.html"
    page.write_bytes(response.split(b"\r\n\r\n", 1)[1])
    doc = qp.Corpus.from_html(page)["fr"]
    assert "« Nous défendrons l’accord jusqu’au bout. »" in doc.text
    assert doc.metadata["language"] == "fr" and doc.source == "Le Quotidien"

    bad = tmp_path / "bad.html"
    bad.write_bytes(b'<meta charset="utf-8"><p>caf\xe9 au lait, said the minister.</p>')
    with pytest.raises(qp.EncodingError, match=r"bad\.html: byte 0xe9 at offset \d+.*skip"):
        qp.Corpus.from_html(bad)
    empty = tmp_path / "empty.html"
    empty.write_text("<html><head><script>var a = 1;</script></head><body> </body></html>")
    with pytest.raises(qp.DocumentFormatError, match=r"empty\.html: no article text"):
        qp.Corpus.from_html(empty)
    binary = tmp_path / "pic.htm"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = qp.Corpus.from_html([page, bad, empty, binary], errors="skip")
    assert corpus.ids == ("fr",)
    assert [Path(where).name for where, _ in corpus.skipped] == [
        "bad.html",
        "empty.html",
        "pic.htm",
    ]
    with pytest.raises(qp.CorpusError, match="no HTML files"):
        qp.Corpus.from_html(SEEDS)


def test_decode_page_prefers_bom_then_header_then_meta() -> None:
    page = '<meta charset="koi8-r"><p>Привет</p>'
    assert "Привет" in web.decode_page(page.encode("koi8-r"), "p")[0]
    assert web.decode_page(page.encode("cp1251"), "p", "windows-1251")[1] == "cp1251"
    assert web.decode_page(b"\xef\xbb\xbf" + page.encode(), "p", "cp1251")[0] == page


def test_a_missing_library_names_the_extra(crawl: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fastwarc", None)  # import fastwarc now fails
    with pytest.raises(qp.MissingDependencyError, match=r"quoteprov\[web\]"):
        qp.Corpus.from_warc(crawl)
    assert main(["graph", str(crawl), "-o", "never.graphml"]) == 2


def test_url_ids_are_stable() -> None:
    assert web.url_id("https://www.ex.org/a/b.html") == web.url_id("http://ex.org/a/b.html#c")
    assert web.url_id("https://ex.org/s?id=1") != web.url_id("https://ex.org/s?id=2")


# -- crawls --------------------------------------------------------------------------------


def test_a_crawl_keeps_html_responses_and_counts_the_rest(crawl: Path) -> None:
    corpus = qp.Corpus.from_warc(crawl)
    assert len(corpus) == 7 and corpus.skipped == []
    assert corpus.counts == {
        "read": 18,
        "kept": 7,
        "errors": 0,
        "warcinfo records": 1,
        "request records": 5,
        "redirects": 1,
        "HTTP errors": 1,
        "not HTML": 2,
        "duplicate URLs": 1,
    }
    first = next(iter(corpus))
    assert "UPDATED" not in first.text  # the earliest capture of a URL crawled twice
    assert first.metadata["warc_date"] == "2023-05-01T10:00:00Z"
    assert first.metadata["warc_record_id"].startswith("urn:uuid:")
    latest = qp.Corpus.from_warc(crawl, keep="latest")
    assert "UPDATED" in latest[first.id].text
    for encoding in ("windows-1252", "iso-8859-15"):  # named by the header, by the meta
        doc = corpus[f"lq.example/{encoding}"]
        assert "« Nous défendrons l’accord jusqu’au bout. »" in doc.text
        assert doc.published == dt.date(2022, 2, 3) and doc.metadata["language"] == "fr"


def test_plain_and_gzipped_crawls_and_several_files_read_alike(crawl: Path, tmp_path: Path) -> None:
    plain = wp.gunzip(tmp_path / "crawl.warc", crawl)
    gz = qp.Corpus.from_warc(crawl)

    def fields(corpus: qp.Corpus) -> list[dict[str, object]]:
        return [d.model_dump() | {"metadata": d.metadata | {"warc_file": ""}} for d in corpus]

    assert fields(qp.Corpus.from_warc(plain)) == fields(gz)
    both = qp.Corpus.from_warc([crawl, plain])
    assert both.ids == gz.ids and both.counts["duplicate URLs"] == 2 + len(gz)  # each file has one


def test_seeds_traced_through_a_crawl_as_through_the_text_files(crawl: Path) -> None:
    from_crawl = qp.Corpus.from_warc(crawl)
    seeds = qp.Corpus.from_directory(SEEDS)
    by_seed = {}  # crawl document id → seed id, by the seed text each holds
    for doc in from_crawl:
        for seed in seeds:
            if _norm(doc.text)[:200] in _norm(seed.text):
                by_seed[doc.id] = seed.id
    assert len(by_seed) == 5
    for query in STATEMENT:
        crawled, plain = qp.trace_quote(query, from_crawl), qp.trace_quote(query, seeds)
        assert crawled.origin is not None and plain.origin is not None
        assert by_seed[crawled.origin.doc_id] == plain.origin.doc_id
        reason = crawled.origin_reason
        for crawl_id, seed_id in by_seed.items():
            reason = reason.replace(crawl_id, seed_id)
        assert reason == plain.origin_reason
        assert [(by_seed[m.doc_id], m.kind, m.text, m.speaker) for m in crawled.matches] == [
            (m.doc_id, m.kind, m.text, m.speaker) for m in plain.matches
        ]
        for m in crawled.matches:
            assert from_crawl[m.doc_id].text[m.start : m.end] == m.text
    assert by_seed[qp.trace_quote(STATEMENT[3], from_crawl).origin.doc_id] == ARTICLE  # type: ignore[union-attr]


def test_damaged_crawls_are_refused_by_name_or_skipped(crawl: Path, tmp_path: Path) -> None:
    cut = wp.truncated_gzip(tmp_path / "cut.warc.gz", crawl)
    with pytest.raises(
        qp.DocumentFormatError, match=r"cut\.warc\.gz record at offset \d+ .*truncated"
    ):
        qp.Corpus.from_warc(cut)
    with pytest.warns(UserWarning, match="skipped 1"):
        corpus = qp.Corpus.from_warc(cut, errors="skip")
    assert len(corpus) == 6 and "truncated" in corpus.skipped[0][1]

    data = crawl.read_bytes()
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(data[:3000] + b"\x00garbage" * 40 + data[3000:])
    with pytest.raises(qp.DocumentFormatError, match=r"broken\.warc\.gz: malformed WARC data"):
        qp.Corpus.from_warc(broken)
    with pytest.warns(UserWarning):
        corpus = qp.Corpus.from_warc([broken, crawl], errors="skip")
    assert len(corpus) == 7 and corpus.skipped[0][0] == str(broken)

    undecodable = wp.write_warc(
        tmp_path / "bad.warc.gz",
        [
            (
                "https://ex.org/a",
                wp._http("200 OK", "text/html; charset=utf-8", b"<p>caf\xe9</p>"),
                "2023-01-01T00:00:00Z",
            )
        ],
    )
    with pytest.raises(qp.EncodingError, match=r"https://ex.org/a\): byte 0xe9.*errors='skip'"):
        qp.Corpus.from_warc(undecodable)
    with pytest.raises(qp.CorpusError, match="does not exist"):
        qp.Corpus.from_warc(tmp_path / "nothing.warc.gz")


def test_a_gzipped_content_encoding_and_chunked_transfer_are_undone(tmp_path: Path) -> None:
    page = wp.site_pages()[2]
    body = gzip.compress(page.html.encode())
    chunked = (
        b"".join(
            f"{len(body[i : i + 500]):x}\r\n".encode() + body[i : i + 500] + b"\r\n"
            for i in range(0, len(body), 500)
        )
        + b"0\r\n\r\n"
    )
    response = wp._http(
        "200 OK",
        "text/html; charset=utf-8",
        chunked,
        ["Content-Encoding: gzip", "Transfer-Encoding: chunked"],
    )
    path = wp.write_warc(tmp_path / "enc.warc.gz", [(page.url, response, "2023-01-01T00:00:00Z")])
    doc = next(iter(qp.Corpus.from_warc(path)))
    assert page.body[0] in doc.text


# -- the command line ----------------------------------------------------------------------


def test_cli_takes_pages_and_crawls(
    crawl: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "pages"
    wp.write_pages(wp.site_pages(), folder)
    assert main(["trace", STATEMENT[3], "--corpus", str(folder), "--plain"]) == 0
    assert "origin: 000_6d2a861c4dda6642-undated" in capsys.readouterr().out
    out = tmp_path / "g.graphml"
    assert main(["graph", str(crawl), "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert out.exists() and "7 documents" in captured.out
    assert "read 18 WARC records: kept 7" in captured.err
    assert main(["graph", str(crawl), "-o", str(crawl)]) == 2  # never over the crawl


def test_cli_skip_bad_on_a_damaged_crawl(
    crawl: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cut = wp.truncated_gzip(tmp_path / "cut.warc.gz", crawl)
    assert main(["trace", STATEMENT[0], "--corpus", str(cut)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--skip-bad" in err
    assert main(["trace", STATEMENT[0], "--corpus", str(cut), "--skip-bad", "--json"]) == 0
    assert "quoteprov: skipped" in capsys.readouterr().err


@pytest.mark.parametrize(
    "page",
    [
        b"<html><body><nav>Home</nav></body></html>",
        b"<html><body><ul><li>Home</li><li>World</li><li>Subscribe for $1 a week</li></ul>",
    ],
)
def test_a_page_with_menus_only_is_no_document(page: bytes) -> None:
    with pytest.raises(qp.DocumentFormatError, match="no article text"):
        web.page_document(page, doc_id="menu")
