"""Choose the web extra's libraries by measurement: main-text extractors, date finders and
WARC readers on pages built around the seeds (tests/web_pages.py), and a 1 GB crawl streamed.

Run from the repository root:

    python benchmarks/web_extraction.py            # extractors, dates, WARC readers
    python benchmarks/web_extraction.py --big      # also write ~1 GB of WARC to /tmp and
                                                   # stream it through Corpus.from_warc
    python benchmarks/web_extraction.py --big --size-mb 250

Extraction: of the seed sentences set in the pages, the share found whole in the
extracted text ("recovered"); of the extracted sentences, the share that is not in the
seed's text at all, that is boilerplate ("boilerplate").  Dates: right on the pages that
state one, and dates given to pages that state none (a wrong date decides an origin).
Libraries that are not installed are left out of the table.
"""

from __future__ import annotations

import argparse
import base64
import copy
import datetime as dt
import io
import os
import platform
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import web_pages as wp  # noqa: E402  (the fixtures, shared with tests/test_web.py)

import quoteprov as qp  # noqa: E402


def _norm(text: str) -> str:
    return " ".join(text.split())


def extractors() -> dict[str, Callable[[wp.Page], str]]:
    """Each installed extractor as page → text."""
    out: dict[str, Callable[[wp.Page], str]] = {}
    from quoteprov.corpus._web import page_document

    out["quoteprov.corpus._web (trafilatura + furniture pruning)"] = lambda p: (
        page_document(p.html, doc_id="x", url=p.url).text
    )
    try:
        import trafilatura

        out["trafilatura 2 (defaults, no comments)"] = lambda p: (
            trafilatura.extract(p.html, url=p.url, include_comments=False) or ""
        )
    except ImportError:
        pass
    try:
        import lxml.html
        from readability import Document as Readable

        def readability(p: wp.Page) -> str:
            tree = lxml.html.fromstring(Readable(p.html).summary(html_partial=True))
            tags = ("p", "h1", "h2", "h3", "li", "figcaption")
            return "\n".join(_norm(e.text_content()) for e in tree.iter(*tags))

        out["readability-lxml"] = readability
    except ImportError:
        pass
    try:
        import justext

        stoplist = justext.get_stoplist("English")
        out["jusText"] = lambda p: "\n".join(
            x.text for x in justext.justext(p.html.encode(), stoplist) if not x.is_boilerplate
        )
    except ImportError:
        pass
    try:
        from resiliparse.extract.html2text import extract_plain_text
        from resiliparse.parse.html import HTMLTree

        out["resiliparse (main_content)"] = lambda p: extract_plain_text(
            HTMLTree.parse(p.html), main_content=True
        )
    except ImportError:
        pass
    return out


def measure_extraction(pages: list[wp.Page]) -> None:
    print(f"## Main text: {len(pages)} pages (5 seeds x 5 templates)\n")
    print(f"| {'extractor':48} | recovered | boilerplate | pages/s |")
    print(f"|{'-' * 50}|----------:|------------:|--------:|")
    for name, extract in extractors().items():
        found = total = boiler = extracted = 0
        start = time.perf_counter()
        texts = [extract(p) for p in pages]
        seconds = time.perf_counter() - start
        for p, text in zip(pages, texts, strict=True):
            have, seed = _norm(text), _norm(p.seed_text)
            for paragraph in p.body:
                for sentence in qp.split_sentences(paragraph):
                    total += 1
                    found += _norm(sentence.text) in have
            for sentence in qp.split_sentences(text):
                extracted += 1
                boiler += _norm(sentence.text) not in seed
        print(
            f"| {name:48} | {found / total:9.3f} | {boiler / max(extracted, 1):11.3f} "
            f"| {len(pages) / seconds:7.0f} |"
        )
    print()


def measure_dates(pages: list[wp.Page]) -> None:
    import lxml.html
    import trafilatura
    from htmldate import find_date

    from quoteprov.corpus._web import page_document

    def staged(p: wp.Page) -> tuple[str | None, str | None]:
        doc = page_document(p.html, doc_id="x", url=p.url)
        return (str(doc.published) if doc.published else None), doc.metadata.get("date_source")

    finders: dict[str, Callable[[wp.Page], tuple[str | None, str | None]]] = {
        "quoteprov.corpus._web (htmldate, by source)": staged,
        "htmldate find_date (extensive search)": lambda p: (
            find_date(lxml.html.fromstring(p.html), url=p.url, original_date=True),
            None,
        ),
        "trafilatura metadata (its defaults)": lambda p: (
            trafilatura.extract_metadata(copy.deepcopy(lxml.html.fromstring(p.html)), p.url).date,
            None,
        ),
    }
    dated = [p for p in pages if p.published is not None]
    undated = [p for p in pages if p.published is None]
    print(f"## Publication dates: {len(dated)} dated pages, {len(undated)} undated\n")
    print(f"| {'finder':40} | right on dated | source right | dates given to undated |")
    print(f"|{'-' * 42}|---------------:|-------------:|----------------------:|")
    for name, finder in finders.items():
        right = source_right = false = 0
        for p in dated:
            date, source = finder(p)
            right += date == str(p.published)
            source_right += source == p.date_source
        for p in undated:
            false += finder(p)[0] is not None
        sources = f"{source_right}/{len(dated)}" if name.startswith("quoteprov") else "—"
        print(
            f"| {name:40} | {right:>8}/{len(dated)} | {sources:>12} | {false:>17}/{len(undated)} |"
        )
    print()


def _crawl(path: Path, pages: list[wp.Page], copies: int) -> Path:
    records = []
    for c in range(copies):
        for i, (url, payload, date, kind) in enumerate(wp.crawl_records(pages)):
            records.append(
                (f"{url}?copy={c}", payload, date, kind)
                if i < 2 * len(pages)
                else (url, payload, date, kind)
            )
    return wp.write_warc(path, records)


def measure_readers(folder: Path, pages: list[wp.Page]) -> None:
    path = _crawl(folder / "readers.warc.gz", pages, 20)
    size = path.stat().st_size / 1e6
    print(f"## WARC readers: every record and payload of a {size:.1f} MB gzipped crawl\n")
    print("| reader | records | records/s | MB/s |")
    print("|---|---:|---:|---:|")

    def fastwarc() -> int:
        from fastwarc.warc import ArchiveIterator

        n = 0
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream, parse_http=False, fsspec_args=False):
                record.reader.read()
                n += 1
        return n

    def warcio() -> int:
        from warcio.archiveiterator import ArchiveIterator

        n = 0
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                record.content_stream().read()
                n += 1
        return n

    for name, read in (("FastWARC", fastwarc), ("warcio", warcio)):
        try:
            start = time.perf_counter()
            n = read()
            seconds = time.perf_counter() - start
        except ImportError:
            continue
        print(f"| {name} | {n} | {n / seconds:,.0f} | {size / seconds:.0f} |")
    start = time.perf_counter()
    corpus = qp.Corpus.from_warc(path, progress=False)
    seconds = time.perf_counter() - start
    n = corpus.counts["read"]
    print(
        f"| Corpus.from_warc (FastWARC + extraction) | {n} | {n / seconds:,.0f} "
        f"| {size / seconds:.1f} |\n\n{len(corpus)} documents kept; {corpus.counts}\n"
    )


def write_big(path: Path, size_mb: int) -> tuple[int, float]:
    """A gzipped crawl of about ``size_mb`` MB: seed pages under distinct URLs, each with
    ~60 KB of incompressible inline script (as real pages carry), and every tenth record a
    redirect, an error, a request or a 200 KB image."""
    from warcio.warcwriter import WARCWriter

    rng = random.Random(18)
    pages = wp.all_pages()
    start = time.perf_counter()
    n = 0
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        while out.tell() < size_mb * 1_000_000:
            p = pages[n % len(pages)]
            url = f"{p.url}-{n}"
            kind, status, content_type = "response", "200 OK", "text/html; charset=utf-8"
            padding = base64.b64encode(rng.randbytes(45_000)).decode()
            body = p.html.replace("</head>", f"<script>var s='{padding}';</script></head>")
            payload = body.encode()
            if n % 10 == 3:
                content_type, payload = "image/jpeg", rng.randbytes(200_000)
            elif n % 10 == 6:
                status = "404 Not Found"
            elif n % 10 == 8:
                kind = "request"
            http = (
                f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(payload)}\r\n\r\n"
            ).encode() + payload
            if kind == "request":
                http = f"GET /{n} HTTP/1.1\r\nHost: example\r\n\r\n".encode()
            record = writer.create_warc_record(
                url,
                kind,
                payload=io.BytesIO(http),
                length=len(http),
                warc_headers_dict={"WARC-Date": f"2023-05-01T10:{n % 60:02d}:00Z"},
                warc_content_type=f"application/http; msgtype={kind}",
            )
            writer.write_record(record)
            n += 1
    return n, time.perf_counter() - start


def stream(path: Path) -> None:
    """Load ``path`` in this (fresh) process and print records/s and peak memory."""
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    corpus = qp.Corpus.from_warc(path, progress=False)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    text_mb = sum(len(d.text) for d in corpus) / 1e6
    read = corpus.counts["read"]
    print(
        f"{path.stat().st_size / 1e6:,.0f} MB, {read} records in {seconds:.0f} s: "
        f"{read / seconds:.0f} records/s, {path.stat().st_size / 1e6 / seconds:.1f} MB/s; "
        f"{len(corpus)} documents ({text_mb:.0f} MB of text kept); peak RSS {peak:.0f} MB "
        f"(interpreter and libraries before loading: {base:.0f} MB)\ncounts: {corpus.counts}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--big", action="store_true", help="also stream a ~1 GB WARC")
    parser.add_argument("--size-mb", type=int, default=1000, help="the big WARC's size")
    parser.add_argument("--stream", type=Path, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.stream is not None:
        stream(args.stream)
        return
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; {dt.date.today()}"
    )
    print(f"command: python benchmarks/web_extraction.py {' '.join(sys.argv[1:])}\n")
    pages = wp.all_pages()
    measure_extraction(pages)
    measure_dates(pages)
    folder = Path(os.environ.get("TMPDIR", "/tmp")) / "quoteprov-web-bench"
    folder.mkdir(exist_ok=True)
    measure_readers(folder, pages)
    if args.big:
        path = folder / f"big-{args.size_mb}mb.warc.gz"
        records, seconds = write_big(path, args.size_mb)
        print(f"## A {args.size_mb} MB crawl ({records} records written in {seconds:.0f} s)\n")
        sys.stdout.flush()
        subprocess.run([sys.executable, __file__, "--stream", str(path)], check=True)
        path.unlink()


if __name__ == "__main__":
    main()
