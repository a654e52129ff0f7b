"""News web pages and web-archive (WARC) crawls as documents.

A page becomes a :class:`~quoteprov.Document` whose ``text`` is the page's main text
as `trafilatura <https://trafilatura.readthedocs.io>`_ extracts it: the story without its
menus, adverts, share buttons, comments, newsletter boxes and "related stories".  The text
is kept exactly as extracted, so every offset a later stage reports points into it; the
HTML is not kept.  What the page says about itself goes in the other fields:

* ``title``: the headline (trafilatura's title: ``og:title``, ``<h1>``, ``<title>``);
* ``source``: the outlet, from ``og:site_name`` or the JSON-LD publisher, else the URL's
  host (``www.`` dropped);
* ``url``: the record's URL (a crawl) or the page's canonical link or ``og:url`` (a file);
* ``published``: the publication date, found by `htmldate
  <https://htmldate.readthedocs.io>`_ in this order, the first that states one winning:
  a meta tag (``article:published_time``, Dublin Core, ...), JSON-LD (``datePublished``),
  the URL (``/2021/07/16/``), then the page's date markup (``<time>``, a byline's date);
  ``metadata["date_source"]`` says which (``"meta"``, ``"json-ld"``, ``"url"``,
  ``"text"``).  A date only mentioned somewhere in the prose is never taken: a wrong date
  would decide an origin, no date leaves it to other evidence;
* ``metadata["language"]``: the page's ``lang`` (or ``Content-Language``), as written;
* for a crawl, ``metadata["warc_record_id"]``, ``["warc_date"]`` (when it was crawled) and
  ``["warc_file"]``.

Document ids are stable: a file's name without its extension (as for text files); a
crawled page's URL without its scheme, ``www.`` and fragment, e.g.
``newsweek.com/world/north-korea-cuba`` (with ``~`` and 8 hex digits of the URL's SHA-1
when the URL has a query or is long), so the same page has the same id in every crawl.

Needs the ``web`` extra (``pip install 'quoteprov[web]'``): trafilatura (with htmldate) and
FastWARC; :meth:`Corpus.from_html <quoteprov.Corpus.from_html>` and
:meth:`Corpus.from_warc <quoteprov.Corpus.from_warc>` import this module only when
called.

>>> doc = page_document(
...     b'<html lang="en"><head><meta property="og:site_name" content="The Wire">'
...     b'<meta property="article:published_time" content="2021-07-16T09:00:00Z">'
...     b"<title>Talks resume</title></head><body><article><h1>Talks resume</h1>"
...     b"<p>The minister said the talks would resume on Monday after a long pause.</p>"
...     b"</article><footer>All rights reserved.</footer></body></html>",
...     doc_id="talks")
>>> doc.title, doc.source, doc.published.isoformat(), doc.metadata["date_source"]
('Talks resume', 'The Wire', '2021-07-16T09:00:00+00:00', 'meta')
>>> doc.text.splitlines()[-1]  # the footer is gone
'The minister said the talks would resume on Monday after a long pause.'
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from .._errors import (
    CorpusError,
    DocumentFormatError,
    EncodingError,
    InputError,
    MissingDependencyError,
    QuoteprovError,
    skippable,
)
from .._models import Document

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from ._corpus import Corpus

__all__ = [
    "HTML_SUFFIXES",
    "WarcCounts",
    "counts_text",
    "decode_page",
    "is_warc",
    "load_html",
    "load_warc",
    "page_document",
    "url_id",
    "url_key",
]

Errors = Literal["raise", "skip"]
Keep = Literal["earliest", "latest"]

HTML_SUFFIXES = (".html", ".htm")
"""The file suffixes :func:`load_html` reads from a folder."""
_WARC_SUFFIXES = (".warc", ".warc.gz")
_PRESCAN = 4096  # where a page's <meta charset> must be, as browsers look for it
_SKIP_HINT = "pass errors='skip' (--skip-bad on the command line) to load past it"
_HTML_TYPE = re.compile(r"^(text/html|application/xhtml\+xml)\b", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I | re.S)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# labels the web uses for windows-1252 (the WHATWG Encoding Standard maps them so:
# pages declared Latin-1 are nearly always windows-1252, curly quotes included)
_WINDOWS_1252 = frozenset(
    {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "ascii", "us-ascii"}
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Furniture that news sites put inside the story and that trafilatura keeps: inline
# "read more" links, newsletter and share boxes, promos.  Matched on whole class or id
# words, on small elements only, so an article whose container is named "story-share"
# is never removed whole.
_FURNITURE = (
    "related",
    "read-more",
    "readmore",
    "more-stories",
    "newsletter",
    "signup",
    "share",
    "sharing",
    "social",
    "promo",
    "recommended",
    "cookie",
    "consent",
    "subscribe",
    "paywall",
)
_PRUNE = (
    "//*[not(self::article or self::main or self::body)]"
    "[string-length(normalize-space(.)) < 600]["
    + " or ".join(
        f"contains(concat(' ', translate(normalize-space(@class), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',"
        f" 'abcdefghijklmnopqrstuvwxyz'), ' '), ' {word} ') or "
        f"contains(concat(' ', translate(normalize-space(@id), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',"
        f" 'abcdefghijklmnopqrstuvwxyz'), ' '), ' {word} ')"
        for word in _FURNITURE
    )
    + "]",
    # a paragraph that is a cue and a link: "Read more: <a>…</a>", "Related: <a>…</a>"
    "//p[a][string-length(normalize-space(.)) < 300][re:test(normalize-space(.), "
    "'^(read more|related|see also|also read|more on this|recommended)\\b', 'i')]",
)
_NAMESPACES = MappingProxyType({"re": "http://exslt.org/regular-expressions"})


def _require(feature: str, *, warc: bool = False) -> None:
    """Import the web extra's libraries (FastWARC only for crawls), or say what to install."""
    needed = ["trafilatura", "htmldate"] + (["fastwarc"] if warc else [])
    for package in needed:
        try:
            __import__(package)
        except ImportError as exc:
            raise MissingDependencyError.of(package, feature, extra="web") from exc


# -- one page ------------------------------------------------------------------------------


def _charset_label(label: str | None) -> str | None:
    """The Python codec for a charset label, or None when the label names none."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    if name in _WINDOWS_1252:
        return "cp1252"
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec


def decode_page(data: bytes, where: str, charset: str | None = None) -> tuple[str, str]:
    """Decode a page's bytes: a byte-order mark, else ``charset`` (an HTTP header's), else
    the page's own ``<meta charset>``, else UTF-8.  Returns the text and the codec used.

    >>> decode_page("café".encode("cp1252"), "p", "iso-8859-1")
    ('café', 'cp1252')
    >>> decode_page(b'<meta charset="koi8-r">\\xf0\\xd2\\xc9', "p")[0][-3:]
    'При'

    Raises
    ------
    EncodingError
        The bytes are not valid in that encoding; the message names the byte and offset.
    DocumentFormatError
        The bytes hold a NUL in their first 8 KiB: a binary file, not a page.
    """
    codec = skip = None
    for bom, bom_codec in _BOMS:
        if data.startswith(bom):
            codec, skip = bom_codec, 0 if bom_codec == "utf-16" else len(bom)
            break
    if codec is None:
        nul = data.find(b"\0", 0, 8192)
        if nul != -1:
            raise DocumentFormatError(
                f"{where} looks binary (NUL byte at offset {nul}), not an HTML page; {_SKIP_HINT}"
            )
        found = _META_CHARSET.search(data, 0, _PRESCAN)
        codec = _charset_label(charset) or _charset_label(
            found.group(1).decode("ascii", "replace") if found else None
        )
        # a page that says UTF-16 in ASCII bytes cannot be UTF-16: browsers read UTF-8
        if codec is None or codec.startswith("utf-16"):
            codec = "utf-8"
    try:
        return data[skip or 0 :].decode(codec), codec
    except UnicodeDecodeError as exc:
        offset = (skip or 0) + exc.start
        raise EncodingError(
            f"{where}: byte 0x{data[offset]:02x} at offset {offset} is not valid {codec} "
            f"(the encoding its HTTP header, <meta charset> or UTF-8 default gives); "
            f"{_SKIP_HINT}"
        ) from exc


def _parse(text: str, where: str) -> HtmlElement:
    import lxml.html
    from lxml.etree import ParserError

    try:
        tree = lxml.html.document_fromstring(_XML_DECLARATION.sub("", text, count=1))
    except (ParserError, ValueError) as exc:
        raise DocumentFormatError(f"{where}: not an HTML page ({exc}); {_SKIP_HINT}") from exc
    return tree


def _meta(tree: HtmlElement, *names: str) -> str | None:
    """The content of the first ``<meta>`` whose property, name or itemprop is in ``names``."""
    for element in tree.iterfind(".//meta"):
        key = (
            element.get("property") or element.get("name") or element.get("itemprop") or ""
        ).lower()
        content = element.get("content")
        if key in names and content and content.strip():
            return " ".join(content.split())
    return None


def _json_ld_publisher(tree: HtmlElement) -> str | None:
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            publisher = item.get("publisher") if isinstance(item, dict) else None
            if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
                return " ".join(publisher["name"].split()) or None
    return None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def _language(tree: HtmlElement, header: str | None) -> str | None:
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not lang:
        for element in tree.iterfind(".//meta[@http-equiv]"):
            if (element.get("http-equiv") or "").lower() == "content-language":
                lang = element.get("content")
                break
    lang = lang or header or _meta(tree, "og:locale")
    if not lang:
        return None
    tag = lang.split(",")[0].strip().replace("_", "-")
    return tag or None


def _publication_date(
    tree: HtmlElement, urls: Iterable[str | None]
) -> tuple[dt.date | dt.datetime | None, str | None]:
    """The publication date and where it was found (meta, json-ld, url), or (None, None);
    the page's date markup is left to the extractor's own htmldate call."""
    from htmldate.core import examine_header
    from htmldate.extractors import extract_url_date, json_search
    from htmldate.utils import Extractor
    from htmldate.validators import get_max_date, get_min_date

    options = Extractor(False, get_max_date(None), get_min_date(None), True, "%Y-%m-%d")
    probes: list[tuple[str, Any]] = [
        ("meta", lambda: examine_header(tree, options)),
        ("json-ld", lambda: json_search(tree, options)),
        *(("url", lambda u=u: extract_url_date(u, options)) for u in urls if u),
    ]
    for source, probe in probes:
        found = probe()
        if found:
            day = dt.date.fromisoformat(found)
            timed = _time_of_day(tree, day) if source in ("meta", "json-ld") else None
            return (timed or day), source
    return None, None


# an ISO date with a time of day (and maybe an offset), as meta tags and JSON-LD write it
_TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
)


def _time_of_day(tree: HtmlElement, day: dt.date) -> dt.datetime | None:
    """The publication time the page's meta tags or JSON-LD give for ``day``, if any.

    htmldate finds the day only; two wire copies of one morning are told apart by the
    time (``article:published_time``, ``datePublished``).  The first timestamp on a tag
    that names a publication, then any, whose date (in its own offset) is ``day``.

    >>> import lxml.html
    >>> page = lxml.html.fromstring('<html><head><meta property="article:published_time" '
    ...     'content="2021-07-16T08:00:00+02:00"></head><body></body></html>')
    >>> _time_of_day(page, dt.date(2021, 7, 16))
    datetime.datetime(2021, 7, 16, 8, 0, tzinfo=datetime.timezone(datetime.timedelta(seconds=7200)))
    """
    found: list[tuple[int, str]] = []
    for meta in tree.iter("meta"):
        named = " ".join(str(meta.get(k) or "") for k in ("property", "name", "itemprop"))
        for stamp in _TIMESTAMP.findall(str(meta.get("content") or "")):
            found.append((0 if "publish" in named.lower() else 1, stamp))
    for script in tree.iter("script"):
        if "ld+json" in str(script.get("type") or ""):
            text = script.text or ""
            for key, stamp in re.findall(r'"(\w+)"\s*:\s*"([^"]{10,40})"', text):
                if _TIMESTAMP.fullmatch(stamp):
                    found.append((0 if key == "datePublished" else 1, stamp))
    for _, stamp in sorted(found, key=lambda f: f[0]):
        with contextlib.suppress(ValueError):
            when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00").replace(" ", "T"))
            if when.date() == day:
                return when
    return None


def page_document(
    data: bytes | str,
    *,
    doc_id: str | None = None,
    url: str | None = None,
    charset: str | None = None,
    language: str | None = None,
    where: str = "page",
    metadata: dict[str, Any] | None = None,
) -> Document:
    """One web page as a document: its main text, headline, outlet, URL, date and language.

    Parameters
    ----------
    data
        The page: bytes (decoded as :func:`decode_page` says) or text.
    doc_id
        The id; by default :func:`url_id` of the URL.
    url
        Where the page was fetched; by default its canonical link or ``og:url``.
    charset
        The HTTP header's charset, which wins over the page's ``<meta charset>``.
    language
        The HTTP ``Content-Language``, used when the page names no language.
    where
        How errors name the page (a file, or a WARC record).
    metadata
        More metadata to keep (the crawl's record id and date).

    Raises
    ------
    EncodingError, DocumentFormatError
        The page cannot be decoded, is binary, or has no main text.
    InputError
        No ``doc_id`` and no URL to derive one from.
    """
    _require("reading web pages")
    import trafilatura

    text = data if isinstance(data, str) else decode_page(data, where, charset)[0]
    tree = _parse(text, where)
    canonical = None
    for link in tree.iterfind(".//link[@rel]"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            canonical = link.get("href")
            break
    canonical = canonical or _meta(tree, "og:url")
    if canonical and not urlsplit(canonical).scheme.startswith("http"):
        canonical = None  # a relative link says nothing about where the page lives
    url = url or canonical
    if doc_id is None:
        if not url:
            raise InputError(f"{where}: no document id given and no URL to derive one from")
        doc_id = url_id(url)
    published, date_source = _publication_date(tree, (url, canonical))
    outlet = _meta(tree, "og:site_name") or _json_ld_publisher(tree) or _host(url)
    lang = _language(tree, language)
    _prune(tree)
    extracted = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
        # the date markup, not the prose: a year in the text is no publication date
        date_extraction_params={"extensive_search": False, "original_date": True, "url": url},
    )
    body = getattr(extracted, "text", None) or ""
    # a menu left over from a broken or empty page is short lines only: no article text
    if not any(len(_WORDS.findall(line)) >= _MIN_LINE_WORDS for line in body.splitlines()):
        raise DocumentFormatError(
            f"{where}: no article text found in the page (an index page, a gallery, or an "
            f"empty page); {_SKIP_HINT}"
        )
    found = getattr(extracted, "date", None)
    if published is None and isinstance(found, str) and found:
        published, date_source = dt.date.fromisoformat(found[:10]), "text"
    fields: dict[str, Any] = dict(metadata or {})
    if date_source is not None:
        fields["date_source"] = date_source
    if lang is not None:
        fields["language"] = lang
    return Document(
        id=doc_id,
        text=body,
        title=getattr(extracted, "title", None) or None,
        source=outlet,
        url=url,
        published=published,
        metadata=fields,
    )


@functools.cache
def _compiled() -> tuple[Any, ...]:
    """The pruning XPaths, compiled on first use (lxml is an optional extra)."""
    from lxml.etree import XPath

    return tuple(XPath(p, namespaces=_NAMESPACES) for p in _PRUNE)


def _prune(tree: HtmlElement) -> None:
    for xpath in _compiled():
        for element in xpath(tree):
            parent = element.getparent()
            if parent is not None:
                element.drop_tree()


def url_id(url: str) -> str:
    """A stable, readable document id for a URL: host and path without the scheme, ``www.``,
    a trailing slash or ``.html``, with a short hash when the URL has a query or is long.

    >>> url_id("https://www.Newsweek.com/north-korea-cuba-1610000.html#comments")
    'newsweek.com/north-korea-cuba-1610000'
    >>> url_id("http://example.org/story?id=7")
    'example.org/story~...'
    """
    key = url_key(url)
    parts = urlsplit("http://" + key)
    path = re.sub(r"(/index)?\.s?html?$", "", parts.path.rstrip("/"))
    readable = (parts.netloc + path) or key
    if parts.query or len(readable) > 100:
        digest = hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        readable = f"{readable[:100]}~{digest}"
    return readable


def url_key(url: str) -> str:
    """The URL as crawls are compared: no scheme, no fragment, lower-case host without
    ``www.`` and a default port.

    >>> url_key("HTTPS://www.Example.org:443/a/b?x=1#top")
    'example.org/a/b?x=1'
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = parts.port if parts.port not in (None, 80, 443) else None
    netloc = host + (f":{port}" if port else "")
    return netloc + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


# -- folders of pages ----------------------------------------------------------------------


def _paths(
    source: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    suffixes: tuple[str, ...],
    what: str,
) -> list[Path]:
    if isinstance(source, (str, os.PathLike)):
        items = [Path(source)]
    else:
        items = [Path(item) for item in source]
    files: list[Path] = []
    for item in items:
        if item.is_dir():
            found = sorted(
                file
                for file in item.iterdir()
                if file.name.lower().endswith(suffixes) and not file.name.startswith(".")
            )
            if not found:
                raise CorpusError(
                    f"no {what} files ({', '.join('*' + s for s in suffixes)}) in {item}; "
                    "point to the folder or the files that hold them"
                )
            files += found
        elif item.exists() or item.is_symlink():
            files.append(item)
        else:
            raise CorpusError(f"{item} does not exist; point to {what} files or their folder")
    if not files:
        raise CorpusError(f"no {what} files given")
    return files


def load_html(
    source: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    encoding: str | None = None,
    errors: Errors = "raise",
) -> Corpus:
    """Load saved web pages: the ``.html``/``.htm`` files of a folder, or given files.

    See :meth:`Corpus.from_html <quoteprov.Corpus.from_html>`.
    """
    from ._corpus import Corpus, _check_errors_mode, _claim, _codec

    _check_errors_mode(errors)
    _require("Corpus.from_html")
    codec = _codec(encoding) if encoding is not None else None
    files = _paths(source, HTML_SUFFIXES, "HTML")
    documents: list[Document] = []
    skipped: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    for file in files:
        try:
            if not file.is_file():
                raise CorpusError(f"cannot read {file}: it is not a plain file; {_SKIP_HINT}")
            try:
                data = file.read_bytes()
            except OSError as exc:
                raise CorpusError(f"cannot read {file}: {exc.strerror or exc}") from exc
            name = file.name
            stem = (
                name[: -len(next(s for s in HTML_SUFFIXES if name.lower().endswith(s)))]
                if name.lower().endswith(HTML_SUFFIXES)
                else file.stem
            )
            document = page_document(data, doc_id=stem, charset=codec, where=str(file))
            _claim(seen, document.id, str(file))
        except QuoteprovError as exc:
            if errors == "raise":
                raise skippable(exc) from exc.__cause__
            skipped.append((str(file), str(exc)))
            continue
        documents.append(document)
    # the warning names what was skipped (all of it is in corpus.skipped)
    bad = ", ".join(where for where, _ in skipped[:3]) + (" ..." if len(skipped) > 3 else "")
    return Corpus._loaded(documents, skipped, len(files), f"the pages ({bad})")


# -- crawls --------------------------------------------------------------------------------


def is_warc(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is named like a WARC file (``.warc``, ``.warc.gz``).

    >>> is_warc("crawl.warc.gz"), is_warc("crawl.gz")
    (True, False)
    """
    return str(path).lower().endswith(_WARC_SUFFIXES)


@dataclass
class WarcCounts:
    """How many records a crawl held, how many became documents, and why the others did not
    (``Corpus.counts`` holds :meth:`as_dict`)."""

    read: int = 0
    kept: int = 0
    passed: dict[str, int] = field(default_factory=dict)
    errors: int = 0

    def pass_over(self, reason: str) -> None:
        self.passed[reason] = self.passed.get(reason, 0) + 1

    def as_dict(self) -> dict[str, int]:
        return {"read": self.read, "kept": self.kept, "errors": self.errors, **self.passed}


def counts_text(counts: dict[str, int]) -> str:
    """A crawl's counts (``Corpus.counts``) in one line.

    >>> counts_text({"read": 5, "kept": 2, "errors": 1, "not HTML": 1, "redirects": 1})
    'read 5 WARC records: kept 2, passed over 2 (1 not HTML, 1 redirect), skipped 1 with errors'
    """
    passed = {k: n for k, n in counts.items() if k not in ("read", "kept", "errors")}
    # the reasons are plural nouns ("redirects", "HTTP errors"): one of them is singular
    why = ", ".join(
        f"{n} {reason[:-1] if n == 1 and reason.endswith('s') else reason}"
        for reason, n in passed.items()
    )
    text = f"read {counts.get('read', 0)} WARC records: kept {counts.get('kept', 0)}, "
    text += f"passed over {sum(passed.values())}" + (f" ({why})" if why else "")
    if counts.get("errors"):
        text += f", skipped {counts['errors']} with errors"
    return text


_MIN_LINE_WORDS = 6  # an article holds a line of this many words at least; a menu does not
_WORDS = re.compile(r"\w+")
_MAX_PAGE = 20_000_000  # bytes; a bigger "page" is a dump or a video, not an article
_MAX_HEAD = 65_536  # bytes of HTTP status line and headers
_CHUNK = 1 << 20


@dataclass
class _Kept:
    date: str
    order: int
    document: Document


@dataclass
class _Response:
    status: int
    headers: dict[str, str]

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for param in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset":
                return value.strip().strip("\"'") or None
        return None


def _read_head(reader: Any, where: str) -> tuple[_Response, bytes]:
    """The HTTP status and headers at the start of a response record's block, and the bytes
    of the body read with them."""
    data = b""
    while True:
        end = data.find(b"\r\n\r\n")
        if end == -1:
            end = data.find(b"\n\n")
            sep = 2
        else:
            sep = 4
        if end != -1:
            break
        chunk = reader.read(8192)
        if not chunk or len(data) > _MAX_HEAD:
            raise DocumentFormatError(
                f"{where}: malformed HTTP response (no end of headers in its first "
                f"{len(data)} bytes); {_SKIP_HINT}"
            )
        data += chunk
    lines = data[:end].decode("latin-1").replace("\r\n", "\n").split("\n")
    match = re.match(r"HTTP/\d(?:\.\d)?\s+(\d{3})", lines[0].strip())
    if match is None:
        raise DocumentFormatError(
            f"{where}: malformed HTTP response (status line {lines[0][:60]!r}); {_SKIP_HINT}"
        )
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if colon:
            key = name.strip().lower()
            headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
    return _Response(int(match.group(1)), headers), data[end + sep :]


def _dechunk(data: bytes, where: str) -> bytes:
    out, at = bytearray(), 0
    while True:
        line_end = data.find(b"\n", at)
        try:
            size = int(data[at:line_end].split(b";")[0].strip(), 16) if line_end != -1 else -1
        except ValueError as exc:
            raise DocumentFormatError(
                f"{where}: malformed chunked HTTP body; {_SKIP_HINT}"
            ) from exc
        start = line_end + 1
        if size < 0 or start + size > len(data):
            raise DocumentFormatError(f"{where}: truncated chunked HTTP body; {_SKIP_HINT}")
        if size == 0:
            return bytes(out)
        out += data[start : start + size]
        at = start + size
        at += 2 if data.startswith(b"\r\n", at) else 1 if data.startswith(b"\n", at) else 0


def _decoded(body: bytes, response: _Response, where: str) -> bytes:
    """The body as the server meant it: chunked transfer and gzip/deflate/br content
    encodings undone (crawlers store what came over the wire)."""
    import zlib

    if "chunked" in response.headers.get("transfer-encoding", "").lower():
        body = _dechunk(body, where)
    encoding = response.headers.get("content-encoding", "").strip().lower()
    try:
        if encoding in ("gzip", "x-gzip"):
            return zlib.decompress(body, wbits=47)
        if encoding == "deflate":
            try:
                return zlib.decompress(body)
            except zlib.error:
                return zlib.decompress(body, wbits=-15)
        if encoding == "br":
            import brotli

            return bytes(brotli.decompress(body))
    except ImportError as exc:
        raise MissingDependencyError.of("brotli", "reading brotli-encoded pages", "web") from exc
    except Exception as exc:  # zlib.error, brotli.error
        raise DocumentFormatError(
            f"{where}: its {encoding} content encoding cannot be undone ({exc}); {_SKIP_HINT}"
        ) from exc
    return body


def _records(file: Path, counts: WarcCounts) -> Iterator[tuple[Any, int]]:
    """Every record of one WARC file with its byte offset, streamed (FastWARC reads plain
    and gzipped files alike)."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    try:
        stream = file.open("rb")
    except OSError as exc:
        raise CorpusError(f"cannot read {file}: {exc.strerror or exc}") from exc
    with stream:
        iterator = ArchiveIterator(
            stream,
            record_types=WarcRecordType.any_type,
            parse_http=False,
            stream_detect=True,
            fsspec_args=False,
        )
        offset = 0
        try:
            for record in iterator:
                counts.read += 1
                offset = record.stream_pos
                yield record, offset
        except OSError as exc:
            raise _Malformed(
                f"{file}: malformed WARC data after the record at offset {offset} ({exc}); "
                f"the records before it were read; {_SKIP_HINT}"
            ) from exc


class _Malformed(DocumentFormatError):
    """A WARC file whose framing breaks: nothing after the break can be read."""


def _drain(reader: Any, length: int, have: int, where: str) -> None:
    """Read the rest of a record (bounded chunks) to check that it is whole."""
    while have < length:
        chunk = reader.read(min(_CHUNK, length - have))
        if not chunk:
            break
        have += len(chunk)
    if have < length:
        raise DocumentFormatError(
            f"{where}: truncated record ({have} of its {length} bytes; the file was cut "
            f"short); {_SKIP_HINT}"
        )


def load_warc(
    source: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    errors: Errors = "raise",
    keep: Keep = "earliest",
    progress: bool | None = None,
) -> Corpus:
    """Load the HTML pages of WARC files.  See :meth:`Corpus.from_warc
    <quoteprov.Corpus.from_warc>`."""
    from ._corpus import Corpus, _check_errors_mode

    _check_errors_mode(errors)
    if keep not in ("earliest", "latest"):
        raise InputError(f"keep must be 'earliest' or 'latest', not {keep!r}")
    _require("Corpus.from_warc", warc=True)
    files = _paths(source, _WARC_SUFFIXES, "WARC")
    counts = WarcCounts()
    kept: dict[str, _Kept] = {}
    skipped: list[tuple[str, str]] = []
    total = 0
    for file in files:
        with contextlib.suppress(OSError):
            total += file.stat().st_size
    bar = _bar(progress, total)
    try:
        for file in files:
            done = 0
            try:
                for record, offset in _records(file, counts):
                    where = f"{file} record at offset {offset}"
                    try:
                        _take(record, file, where, kept, counts, keep)
                    except QuoteprovError as exc:
                        counts.errors += 1
                        if isinstance(exc, MissingDependencyError):
                            raise
                        if errors == "raise":
                            raise skippable(exc) from exc.__cause__
                        skipped.append((where, str(exc)))
                    if bar is not None:
                        bar.update(max(0, offset - done))
                        done = offset
                        if counts.read % 50 == 0:
                            bar.set_postfix(_postfix(counts, kept), refresh=False)
            except _Malformed as exc:
                counts.errors += 1
                if errors == "raise":
                    raise skippable(exc) from exc.__cause__
                skipped.append((str(file), str(exc)))
            if bar is not None:
                with contextlib.suppress(OSError):
                    bar.update(max(0, file.stat().st_size - done))
    finally:
        if bar is not None:
            bar.set_postfix(_postfix(counts, kept))
            bar.close()
    counts.kept = len(kept)
    ordered = sorted(kept.values(), key=lambda k: k.order)
    corpus = Corpus._loaded(
        [k.document for k in ordered], skipped, counts.read, ", ".join(map(str, files[:3]))
    )
    corpus.counts = counts.as_dict()
    return corpus


def _postfix(counts: WarcCounts, kept: dict[str, _Kept]) -> dict[str, int]:
    passed = sum(counts.passed.values())
    return {"read": counts.read, "kept": len(kept), "skipped": passed + counts.errors}


def _bar(progress: bool | None, total: int) -> Any:
    """A tqdm bar over the files' bytes, shown as asked or when someone watches."""
    watched = "ipykernel" in sys.modules or (hasattr(sys.stderr, "isatty") and sys.stderr.isatty())
    if not (progress if progress is not None else watched):
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="B", unit_scale=True, desc="reading WARC", leave=False)


def _take(
    record: Any,
    file: Path,
    where: str,
    kept: dict[str, _Kept],
    counts: WarcCounts,
    keep: Keep,
) -> None:
    """Make one record a document, or count why not."""
    from fastwarc.warc import WarcRecordType

    length = record.content_length
    if record.record_type != WarcRecordType.response:
        _drain(record.reader, length, 0, where)
        counts.pass_over(f"{record.record_type} records")
        return
    url = (record.headers.get("WARC-Target-URI") or "").strip("<> ")
    where = f"{where} ({url})" if url else where
    if not url:
        raise DocumentFormatError(
            f"{where}: a response record with no WARC-Target-URI; {_SKIP_HINT}"
        )
    block_type = (record.headers.get("Content-Type") or "").lower()
    if not block_type.startswith("application/http"):
        _drain(record.reader, length, 0, where)
        counts.pass_over("not HTTP")
        return
    response, start = _read_head(record.reader, where)
    if 300 <= response.status < 400:
        reason = "redirects"
    elif response.status >= 400:
        reason = "HTTP errors"
    elif response.status != 200:
        reason = f"HTTP {response.status}"
    elif not _HTML_TYPE.match(response.content_type):
        reason = "not HTML"
    elif length > _MAX_PAGE:
        reason = "too large"
    else:
        reason = ""
    date = record.headers.get("WARC-Date") or ""
    key = url_key(url)
    previous = kept.get(key)
    if not reason and previous is not None:
        later = date > previous.date if keep == "earliest" else date < previous.date
        if later or date == previous.date:
            reason = "duplicate URLs"
    if reason:
        _drain(record.reader, length, record.reader.tell(), where)
        counts.pass_over(reason)
        return
    body = start + record.reader.read(length)
    if record.reader.tell() < length:
        raise DocumentFormatError(
            f"{where}: truncated record ({record.reader.tell()} of its {length} bytes; "
            f"the file was cut short); {_SKIP_HINT}"
        )
    metadata = {
        "warc_record_id": (record.headers.get("WARC-Record-ID") or "").strip("<>"),
        "warc_date": date,
        "warc_file": file.name,
    }
    document = page_document(
        _decoded(body, response, where),
        doc_id=url_id(url),
        url=url,
        charset=response.charset,
        language=response.headers.get("content-language"),
        where=where,
        metadata=metadata,
    )
    if previous is not None:
        counts.pass_over("duplicate URLs")  # the capture kept so far gives way to this one
    kept[key] = _Kept(date, previous.order if previous is not None else len(kept), document)
