"""News pages and WARC crawls built around the seed texts, for tests/test_web.py and
benchmarks/web_extraction.py.

Each seed's article body is set in a page of one of five templates with the boilerplate
real news sites carry (menus, a cookie banner, share buttons, a newsletter box, adverts,
comments, a "related stories" box, a footer) and its publication date in a different place
(a meta tag, JSON-LD, the URL, the byline's text, or nowhere).  Every boilerplate sentence
is one of :data:`BOILERPLATE`, none of which occurs in a seed, so a sentence extracted from a
page is boilerplate exactly when the seed's text does not contain it.

Nothing here is copied from elsewhere: the texts are the bundled seeds, the rest is written
below.
"""

from __future__ import annotations

import datetime as dt
import gzip
import html
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "quoteprov" / "seeds"

# where each seed's article body ends: what follows is the site's own furniture
# (a subscription box, a comments section, a copyright line)
_BODY_END = {"000_6d2a861c4dda6642": 40, "003_11f08449810d1db8": 29, "004_8a2fef8b8b172eb2": 22}

TEMPLATES = ("meta", "json-ld", "url", "text", "undated")

NAV = ["Home", "World", "U.S.", "Politics", "Business", "Opinion", "Sports", "Subscribe"]
BOILERPLATE = [
    "We use cookies to personalise content and ads and to analyse our traffic.",
    "By continuing to browse this site you agree to our use of cookies.",
    "Sign up for our morning briefing and get the top stories in your inbox every day.",
    "Share this article on Facebook.",
    "Share this article on Twitter.",
    "Copy the link to this article.",
    "Advertisement.",
    "Ferry timetables change again as storms hit the northern coast.",
    "Local bakery wins national prize for its sourdough loaf.",
    "Ten things to know before you renovate your kitchen this spring.",
    "Markets close higher after a quiet week of trading on Wall Street.",
    "I have read this site for years and this is the best piece so far.",
    "Totally disagree with the author, the facts are wrong here.",
    "Can someone explain why the comments section loads so slowly?",
    "All rights reserved by the publisher and its licensors.",
    "Contact the newsroom with tips and corrections at any time.",
    "Read our privacy policy and terms of service before commenting.",
    "Most read stories this week across all sections of the site.",
]
COOKIE, COOKIE2, NEWSLETTER, SHARE_FB, SHARE_TW, SHARE_LINK, ADVERT = BOILERPLATE[:7]
RELATED = BOILERPLATE[7:11]
COMMENTS = BOILERPLATE[11:14]
FOOTER = BOILERPLATE[14:18]


@dataclass
class Page:
    """One fixture page and what a loader should find in it."""

    seed: str
    template: str
    name: str  # the file name stem
    url: str
    html: str
    title: str | None
    outlet: str
    published: dt.date | None
    date_source: str | None
    body: list[str] = field(default_factory=list)  # the article's paragraphs
    captions: list[str] = field(default_factory=list)

    @property
    def seed_text(self) -> str:
        return (SEEDS / f"{self.seed}.txt").read_text(encoding="utf-8")


@dataclass
class Seed:
    """A seed text cut into what a page shows of it."""

    id: str
    title: str | None
    outlet: str | None
    published: dt.date | None
    body: list[str]
    captions: list[str]
    byline: str | None
    subheads: list[str]


def seeds() -> list[Seed]:
    """The five seeds, each as title, body paragraphs, captions and byline."""
    manifest = json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))
    out = []
    for file in sorted(SEEDS.glob("*.txt")):
        text = file.read_text(encoding="utf-8")
        meta = manifest.get(file.stem, {})
        published = meta.get("published")
        if file.stem.startswith("002"):  # no title: one paragraph a line
            paragraphs = [p for p in text.split("\n") if p.strip()]
            title = None
        else:
            paragraphs = text.split("\n\n")
            title = meta.get("title")
            paragraphs = paragraphs[1 : _BODY_END.get(file.stem, len(paragraphs))]
        body, captions, subheads, byline = [], [], [], None
        for paragraph in paragraphs:
            lines = paragraph.strip("\n").split("\n")
            if len(lines) == 2 and lines[0] == lines[1]:  # a picture's caption, twice
                captions.append(lines[0])
            elif paragraph.startswith("By "):
                byline = paragraph
            elif paragraph.startswith("Cuban VP"):
                subheads.append(paragraph)
            else:
                body.append(paragraph.strip())
        out.append(
            Seed(
                id=file.stem,
                title=title,
                outlet=meta.get("source"),
                published=dt.date.fromisoformat(published) if published else None,
                body=body,
                captions=captions,
                byline=byline,
                subheads=subheads,
            )
        )
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "story"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _paragraphs(seed: Seed) -> str:
    parts = []
    for i, paragraph in enumerate(seed.body):
        parts.append(f"<p>{_e(paragraph)}</p>")
        if i == 1 and seed.captions:
            parts.append(
                f'<figure><img src="/img/{i}.jpg" alt="">'
                f"<figcaption>{_e(seed.captions[0])}</figcaption></figure>"
            )
        if i == 3:
            parts.append(f'<div class="ad-slot"><span>{ADVERT}</span></div>')
        if i == 5:  # a "read more" link set inside the story, as many sites do
            parts.append(
                f'<p class="read-more"><strong>Read more:</strong> '
                f'<a href="/news/related-9">{_e(RELATED[2])}</a></p>'
            )
        if i == 7:
            parts.append(f'<div class="inline-newsletter"><p>{NEWSLETTER}</p></div>')
        if i == 4 and seed.subheads:
            parts.append(f"<h2>{_e(seed.subheads[0])}</h2>")
            if seed.byline:
                parts.append(f'<p class="author">{_e(seed.byline)}</p>')
    return "\n".join(parts)


def _nav() -> str:
    items = "".join(f'<li><a href="/{_slug(n)}/">{_e(n)}</a></li>' for n in NAV)
    return f'<nav class="main-menu"><ul>{items}</ul></nav>'


def _cookie() -> str:
    return (
        f'<div id="cookie-banner" class="cookie-consent"><p>{COOKIE} {COOKIE2}</p>'
        "<button>Accept</button><button>Settings</button></div>"
    )


def _share() -> str:
    return (
        '<div class="share-buttons">'
        f'<a href="#" class="share facebook">{SHARE_FB}</a> '
        f'<a href="#" class="share twitter">{SHARE_TW}</a> '
        f'<a href="#" class="share link">{SHARE_LINK}</a></div>'
    )


def _related(dated: bool) -> str:
    items = []
    for i, headline in enumerate(RELATED):
        when = f' <span class="date">March {i + 2}, 2019</span>' if dated else ""
        items.append(f'<li><a href="/news/related-{i}">{_e(headline)}</a>{when}</li>')
    return (
        f'<aside class="related-stories"><h3>Related stories</h3><ul>{"".join(items)}</ul></aside>'
    )


def _comments() -> str:
    items = "".join(
        f'<li class="comment"><span class="comment-author">reader{i}</span><p>{_e(text)}</p></li>'
        for i, text in enumerate(COMMENTS)
    )
    return f'<section id="comments" class="comments"><h3>3 comments</h3><ol>{items}</ol></section>'


def _footer(year: bool) -> str:
    copyright_line = "© 2020 the publisher" if year else "© the publisher"
    return (
        f'<footer class="site-footer"><p>{FOOTER[0]}</p><p>{FOOTER[1]}</p>'
        f"<p>{FOOTER[2]}</p><p>{copyright_line}</p></footer>"
    )


def _newsletter() -> str:
    return (
        f'<div class="newsletter-signup"><p>{NEWSLETTER}</p>'
        '<form><input type="email" placeholder="Email"><button>Sign up</button></form></div>'
    )


def _most_read() -> str:
    return (
        f'<div class="most-read widget"><h4>{FOOTER[3]}</h4><ol>'
        + "".join(f'<li><a href="/m/{i}">{_e(h)}</a></li>' for i, h in enumerate(RELATED[::-1]))
        + "</ol></div>"
    )


def page(seed: Seed, template: str, published: dt.date | None = None) -> Page:
    """``seed`` set in ``template`` (one of :data:`TEMPLATES`), dated ``published`` (a date
    of its own for each seed and template when not given; none for ``"undated"``)."""
    index = int(seed.id[:3])
    if published is None and template != "undated":
        published = dt.date(2021, 7, 10 + index) + dt.timedelta(days=TEMPLATES.index(template))
    if template == "undated":
        published = None
    outlet = seed.outlet or f"The {['Daily', 'Herald', 'Courier', 'Ledger', 'Post'][index]} Wire"
    host = f"www.{_slug(outlet).replace('-', '')}.example"
    title = seed.title or seed.body[0][:70]
    slug = _slug(title)
    if template == "url" and published is not None:
        path = f"/{published:%Y/%m/%d}/{slug}"
    else:
        path = f"/news/{template}/{slug}-{index}"
    url = f"https://{host}{path}"
    head = [
        '<meta charset="utf-8">',
        f"<title>{_e(title)} | {_e(outlet)}</title>",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<link rel="canonical" href="{_e(url)}">',
    ]
    byline_date = ""
    expected_outlet = outlet
    if template == "meta":
        assert published is not None
        head += [
            f'<meta property="og:site_name" content="{_e(outlet)}">',
            f'<meta property="og:title" content="{_e(title)}">',
            f'<meta property="article:published_time" content="{published}T08:15:00+00:00">',
            # a later edit: the publication date is the first one, not this
            f'<meta property="article:modified_time" content="{published + dt.timedelta(days=3)}'
            'T17:40:00+00:00">',
        ]
    elif template == "json-ld":
        assert published is not None
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": f"{published}T06:00:00Z",
            "dateModified": f"{published + dt.timedelta(days=1)}T10:00:00Z",
            "publisher": {"@type": "Organization", "name": outlet},
        }
        head.append(f'<script type="application/ld+json">{json.dumps(data)}</script>')
        head.append(f'<meta property="og:site_name" content="{_e(outlet)}">')
    elif template == "url":
        expected_outlet = host.removeprefix("www.")  # no outlet named: the host stands in
    elif template == "text":
        assert published is not None
        head.append(f'<meta property="og:site_name" content="{_e(outlet)}">')
        byline_date = (
            f'<p class="byline">By Staff Reporter · <span class="date">'
            f"{published:%B} {published.day}, {published.year}</span></p>"
        )
    else:
        head.append(f'<meta property="og:site_name" content="{_e(outlet)}">')
    h1 = f"<h1>{_e(title)}</h1>" if seed.title else ""
    body = f"""<body>
<header class="site-header"><a class="logo" href="/">{_e(outlet)}</a>{_nav()}</header>
{_cookie() if template in ("meta", "url", "undated") else ""}
<main>
<article class="story">
{h1}
{byline_date}
{_share() if template != "text" else ""}
<div class="article-body">
{_paragraphs(seed)}
</div>
{_share() if template == "text" else ""}
</article>
{_newsletter() if template in ("json-ld", "undated") else ""}
{_related(dated=template in ("text", "meta"))}
{_comments() if template in ("json-ld", "url", "undated") else ""}
</main>
{_most_read() if template in ("text", "url") else ""}
{_cookie() if template in ("text", "json-ld") else ""}
{_footer(year=template != "undated")}
</body>"""
    head_html = "\n".join(head)
    document = f'<!DOCTYPE html>\n<html lang="en">\n<head>\n{head_html}\n</head>\n{body}\n</html>\n'
    date_source = {"meta": "meta", "json-ld": "json-ld", "url": "url", "text": "text"}.get(template)
    return Page(
        seed=seed.id,
        template=template,
        name=f"{seed.id}-{template}",
        url=url,
        html=document,
        title=title if seed.title else None,
        outlet=expected_outlet,
        published=published,
        date_source=date_source,
        body=seed.body,
        captions=seed.captions,
    )


def all_pages() -> list[Page]:
    """Every seed in every template: 25 pages."""
    return [page(seed, template) for seed in seeds() for template in TEMPLATES]


def site_pages() -> list[Page]:
    """The seeds as one crawl would find them, dated as their ``manifest.json`` dates them:
    the dated rewrite in JSON-LD, the others stating no date (so a trace through them
    decides its origins on the same evidence as through ``Corpus.seeds()``)."""
    out = []
    for seed in seeds():
        if seed.published is not None:
            out.append(page(seed, "json-ld", seed.published))
        else:
            out.append(page(seed, "undated"))
    return out


def write_pages(pages: Iterable[Page], folder: Path) -> list[Path]:
    """Each page saved as ``<name>.html`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for p in pages:
        path = folder / f"{p.name}.html"
        path.write_text(p.html, encoding="utf-8")
        paths.append(path)
    return paths


# -- WARC ----------------------------------------------------------------------------------


def _http(status: str, content_type: str | None, body: bytes, extra: Sequence[str] = ()) -> bytes:
    lines = [f"HTTP/1.1 {status}"]
    if content_type is not None:
        lines.append(f"Content-Type: {content_type}")
    lines += [*extra, f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def write_warc(
    path: Path,
    records: Iterable[tuple[str, bytes, str] | tuple[str, bytes, str, str]],
    *,
    gzipped: bool | None = None,
    warcinfo: bool = True,
) -> Path:
    """Write a WARC with warcio's writer.

    ``records`` are ``(url, http_response_bytes, warc_date)`` (optionally a fourth item,
    the WARC record type, ``"response"`` by default; a ``"request"`` record gets its bytes
    as an HTTP request).  Gzipped per record when ``gzipped`` or the name ends in ``.gz``.
    """
    from warcio.statusandheaders import StatusAndHeaders  # noqa: F401  (warcio present)
    from warcio.warcwriter import WARCWriter

    gz = path.name.endswith(".gz") if gzipped is None else gzipped
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gz)
        if warcinfo:
            writer.write_record(
                writer.create_warcinfo_record(path.name, {"software": "quoteprov tests"})
            )
        for item in records:
            url, payload, date = item[0], item[1], item[2]
            kind = item[3] if len(item) > 3 else "response"
            record = writer.create_warc_record(
                url,
                kind,
                payload=io.BytesIO(payload),
                length=len(payload),
                warc_headers_dict={"WARC-Date": date},
                warc_content_type=(
                    "application/http; msgtype=request"
                    if kind == "request"
                    else "application/http; msgtype=response"
                    if kind == "response"
                    else "application/warc-fields"
                ),
            )
            writer.write_record(record)
    return path


def page_response(p: Page, charset: str | None = "utf-8", body: bytes | None = None) -> bytes:
    """The HTTP response that serves ``p``."""
    content_type = "text/html" + (f"; charset={charset}" if charset else "")
    return _http("200 OK", content_type, body if body is not None else p.html.encode("utf-8"))


def crawl_records(pages: Sequence[Page]) -> list[tuple[str, bytes, str, str]]:
    """``pages`` as a crawl records them, with the awkward records a real crawl holds:
    request records, a redirect, a 404, an image, a CSS file, a second capture of one URL
    (later, edited), a page in windows-1252 named only by its HTTP header and one in
    ISO-8859-15 named only by its ``<meta>``."""
    out: list[tuple[str, bytes, str, str]] = []
    for i, p in enumerate(pages):
        date = f"2023-05-0{1 + i % 9}T10:00:00Z"
        out.append((p.url, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", date, "request"))
        out.append((p.url, page_response(p), date, "response"))
    first = pages[0]
    out += [
        (
            first.url.rsplit("/", 1)[0] + "/old-address",
            _http(
                "301 Moved Permanently", "text/html", b"<a>moved</a>", [f"Location: {first.url}"]
            ),
            "2023-05-01T09:00:00Z",
            "response",
        ),
        (
            "https://www.example.org/missing",
            _http(
                "404 Not Found", "text/html", b"<html><body><p>Page not found.</p></body></html>"
            ),
            "2023-05-01T09:01:00Z",
            "response",
        ),
        (
            "https://www.example.org/logo.png",
            _http("200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(range(256))),
            "2023-05-01T09:02:00Z",
            "response",
        ),
        (
            "https://www.example.org/site.css",
            _http("200 OK", "text/css", b"body { color: black; }"),
            "2023-05-01T09:03:00Z",
            "response",
        ),
        # the same URL crawled again later, with the story edited: the first capture is kept
        (
            first.url,
            page_response(
                first,
                body=first.html.replace(
                    '<div class="article-body">\n<p>', '<div class="article-body">\n<p>UPDATED. ', 1
                ).encode(),
            ),
            "2023-06-30T10:00:00Z",
            "response",
        ),
    ]
    return out


ACCENTED_TEXT = (
    "Le ministre a déclaré : « Nous défendrons l’accord jusqu’au bout. » "
    "Les députés ont voté à 312 voix contre 95."
)


def accented_page(encoding: str, in_header: bool) -> tuple[str, bytes]:
    """A small French page encoded in ``encoding``, named by the HTTP header or by its meta."""
    meta = "" if in_header else f'<meta charset="{encoding}">'
    markup = (
        f'<html lang="fr"><head>{meta}<title>Vote à l’Assemblée</title>'
        '<meta property="og:site_name" content="Le Quotidien">'
        '<meta property="article:published_time" content="2022-02-03"></head><body>'
        f"<article><h1>Vote à l’Assemblée</h1><p>{html.escape(ACCENTED_TEXT)}</p>"
        f"<p>{html.escape(ACCENTED_TEXT.replace('312', '313'))}</p></article></body></html>"
    )
    body = markup.encode(encoding, errors="xmlcharrefreplace")
    content_type = "text/html" + (f"; charset={encoding}" if in_header else "")
    return content_type, _http("200 OK", content_type, body)


def truncated_gzip(path: Path, source: Path) -> Path:
    """``source`` (a gzipped WARC) cut in the middle of its last record."""
    data = source.read_bytes()
    path.write_bytes(data[: len(data) - 200])
    return path


def gunzip(path: Path, source: Path) -> Path:
    """An uncompressed copy of ``source``."""
    path.write_bytes(gzip.decompress(source.read_bytes()))
    return path
