"""Show results: HTML for Jupyter and plain text for terminals, after the export stage.

Every model's ``_repr_html_`` calls one function here, imported only when a notebook asks,
so earlier stages never import this module.  Two rules hold everywhere:

- **All document text is escaped** (documents are scraped web text): nothing from a
  document, a query or a graph attribute reaches the HTML unescaped.
- **Offsets are sacred**: a highlighted match is ``doc.text[m.start:m.end]`` exactly, cut
  at its :class:`~quoteprov.Change` offsets; :func:`change_pieces` joins back to it.

Styles are inline ``style`` attributes rather than a ``<style>`` block, so the markup
survives the sanitiser of an untrusted notebook.

>>> import quoteprov as qp
>>> text = '<script>alert(1)</script> "We will win," she said.'
>>> html = qp.trace_quote("we will win", [qp.Document(id="a", text=text)])._repr_html_()
>>> "&lt;script&gt;alert(1)" in html and "<script>" not in html
True
"""

from __future__ import annotations

import datetime as dt
import html
import re
import textwrap
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

import networkx as nx

from .._models import Document, Match
from ..corpus._corpus import Corpus
from ..provenance._trace import Trace
from ..text._segment import split_sentences

__all__ = [
    "CONFIDENCE_STYLES",
    "KIND_COLORS",
    "Piece",
    "change_pieces",
    "corpus_html",
    "graph_html",
    "marked_parts",
    "marked_text",
    "match_html",
    "printable",
    "related_note",
    "shorten",
    "trace_html",
    "trace_text",
]

KIND_COLORS = MappingProxyType(
    {
        "verbatim": "#0072b2",
        "near_verbatim": "#009e73",
        "partial": "#56b4e9",
        "paraphrase": "#cc79a7",
        "translation": "#f0e442",
    }
)
"""One colour per kind of occurrence, shared by the HTML, the CLI and the pictures: from
the Okabe–Ito palette, which readers with any common colour-vision deficiency tell
apart (blue, bluish green, sky blue, reddish purple, yellow; the pictures also vary the
marker and the line style)."""

_BADGE_TEXT = MappingProxyType(
    {"partial": "#000", "paraphrase": "#000", "translation": "#000"}
)  # dark text on the light colours

_FONT = "font: 13px system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 4px 0 14px 0"
_MATCH = "background: #e3ecfa; border-radius: 2px"
_STYLES = MappingProxyType(
    {
        "insert": "background: #c8f0c8; text-decoration: underline; text-decoration-color: #2e7d32",
        "delete": "background: #f6caca; color: #8e1b1b; text-decoration: line-through",
        "substitute": "background: #fff0a8",
        "warning": "background: #ff9f43; color: #000; font-weight: 600; outline: 1px solid #d35400",
    }
)
CONFIDENCE_STYLES = MappingProxyType(
    {
        "certain": "font-weight: 600",
        "likely": "",
        "possible": "color: #666; font-style: italic",
    }
)
"""How each confidence word is set in the HTML: the surer, the bolder."""

_CELL = "padding: 3px 8px; text-align: left; vertical-align: top; border-bottom: 1px solid #ddd"
_ORIGIN_ROW = "background: #fff8e1"
_MAX_ROWS = 30
_CONTEXT = 240  # characters of sentence context shown on each side of a match


def _e(value: object) -> str:
    """Escaped text for HTML element content and quoted attribute values."""
    return html.escape(str(value), quote=True)


@dataclass(frozen=True)
class Piece:
    """A stretch of a match as displayed.

    ``kind`` is ``"same"`` (text as in the query), ``"insert"`` (words the query lacks),
    ``"substitute"`` (``text`` replaced the query's ``query``) or ``"delete"`` (the query's
    ``query`` words are missing here; ``text`` is empty).  ``warning`` flags a number or a
    negation that differs.

    >>> Piece("substitute", "convinced", query="confident")
    Piece(kind='substitute', text='convinced', query='confident', warning=False, elided=False)
    """

    kind: Literal["same", "insert", "delete", "substitute"]
    text: str
    query: str = ""
    warning: bool = False
    elided: bool = False  # words the query leaves out at its ellipsis


def change_pieces(match: Match, text: str | None = None) -> list[Piece]:
    """Cut a match at its word-level changes, in document order.

    Parameters
    ----------
    match : Match
        The occurrence.
    text : str, optional
        The document's original text; without it, ``match.text`` is used (offsets are
        shifted by ``match.start``).

    Returns
    -------
    list of Piece
        The pieces' texts joined give ``text[match.start:match.end]`` exactly; deletions
        are empty pieces carrying the query's missing words.

    Examples
    --------
    >>> import quoteprov as qp
    >>> corpus = qp.Corpus([qp.Document(id="a", text="We will never win the war.")])
    >>> match = qp.trace_quote("we will win the war", corpus).matches[0]
    >>> [(p.kind, p.text) for p in change_pieces(match)]
    [('same', 'We will '), ('insert', 'never'), ('same', ' win the war')]
    >>> change_pieces(match)[1].warning
    True
    """
    if text is None:
        text, base = match.text, match.start
    else:
        base = 0
    start, end = match.start - base, match.end - base
    pieces: list[Piece] = []
    pos = start
    ordered = sorted(match.changes, key=lambda c: (c.start, c.op != "delete", c.end))
    for change in ordered:
        c_start = min(max(change.start - base, pos), end)
        c_end = min(max(change.end - base, c_start), end)
        if c_start > pos:
            pieces.append(Piece("same", text[pos:c_start]))
        warning = change.number or change.negation
        if change.op == "delete":
            pieces.append(Piece("delete", "", change.query, warning))
        elif c_end > c_start:
            piece = Piece(change.op, text[c_start:c_end], change.query, warning, change.elision)
            pieces.append(piece)
        pos = max(pos, c_end)
    if end > pos:
        pieces.append(Piece("same", text[pos:end]))
    return pieces


def _piece_html(piece: Piece) -> str:
    if piece.kind == "same":
        return _e(piece.text)
    flag = "⚠ " if piece.warning else ""
    warn = ("; " + _STYLES["warning"]) if piece.warning else ""
    what = "number or negation changed: " if piece.warning else ""
    if piece.kind == "delete":
        title = f"{what}deleted from the query: {piece.query}"
        return (  # thin spaces keep deleted words apart from their neighbours
            f'&#8201;<del style="{_STYLES["delete"]}{warn}" title="{_e(title)}">{flag}'
            f"{_e(piece.query)}</del>&#8201;"
        )
    if piece.kind == "insert":
        title = (
            f"{what}left out at the query's ellipsis" if piece.elided else f"{what}not in the query"
        )
        return (
            f'<ins style="{_STYLES["insert"]}{warn}" title="{_e(title)}">{flag}'
            f"{_e(piece.text)}</ins>"
        )
    title = f"{what}the query has: {piece.query}"
    return (
        f'<del style="{_STYLES["delete"]}" title="{_e("the query has this")}">'
        f"{_e(piece.query)}</del>&#8201;"
        f'<span style="{_STYLES["substitute"]}{warn}" title="{_e(title)}">{flag}'
        f"{_e(piece.text)}</span>"
    )


def _context(doc: Document, match: Match) -> tuple[str, str]:
    """The text of the sentences around a match, before and after it (trimmed)."""
    sentences = [
        s for s in split_sentences(doc.text) if s.start < match.end and match.start < s.end
    ]
    lo = min([match.start, *(s.start for s in sentences)])
    hi = max([match.end, *(s.end for s in sentences)])
    before, after = doc.text[lo : match.start], doc.text[match.end : hi]
    if len(before) > _CONTEXT:
        cut = before[-_CONTEXT:]
        before = "…" + cut[cut.find(" ") + 1 :] if " " in cut else "…" + cut
    if len(after) > _CONTEXT:
        cut = after[:_CONTEXT]
        after = (cut[: cut.rfind(" ")] if " " in cut else cut) + "…"
    return before, after


def _match_span_html(match: Match, doc: Document | None) -> str:
    text = doc.text if doc is not None else None
    inner = "".join(_piece_html(p) for p in change_pieces(match, text))
    marked = f'<span style="{_MATCH}">{inner}</span>'
    if doc is None:
        return marked
    before, after = _context(doc, match)
    grey = "color: #666"
    return (
        f'<span style="{grey}">{_e(before)}</span>{marked}<span style="{grey}">{_e(after)}</span>'
    )


def _kind_badge(kind: str) -> str:
    color = KIND_COLORS.get(kind, "#555")
    text = _BADGE_TEXT.get(kind, "#fff")
    return (
        f'<span style="background: {color}; color: {text}; border-radius: 3px; '
        f'padding: 0 5px; white-space: nowrap">{_e(kind.replace("_", " "))}</span>'
    )


def _confidence(match: Match) -> str:
    word = match.confidence
    title = f"calibrated score {match.score:.1f}: {word} (see README, What the kinds mean)"
    return f'<span style="{CONFIDENCE_STYLES[word]}" title="{_e(title)}">{_e(word)}</span>'


def _legend() -> str:
    items = [
        f'<span style="{_MATCH}">matched span</span>',
        f'<ins style="{_STYLES["insert"]}">inserted</ins>',
        f'<del style="{_STYLES["delete"]}">deleted</del>',
        f'<del style="{_STYLES["delete"]}">query</del>&#8201;'
        f'<span style="{_STYLES["substitute"]}">substituted</span>',
        f'<span style="{_STYLES["warning"]}">⚠ number or negation changed</span>',
    ]
    return '<div style="color: #444; margin-top: 4px">' + " &nbsp; ".join(items) + "</div>"


def _date(value: dt.date | None) -> str:
    return value.isoformat()[:16].replace("T", " ") if value is not None else "—"


def _table(header: Iterable[str], rows: Iterable[str]) -> str:
    head = "".join(f'<th style="{_CELL}; background: #f3f3f3">{_e(h)}</th>' for h in header)
    return (
        '<table style="border-collapse: collapse; margin: 4px 0">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _td(content: str, extra: str = "") -> str:
    return f'<td style="{_CELL}{extra}">{content}</td>'


def _ordered(trace: Trace) -> list[Match]:
    """Origin first, then the rest best first."""
    return sorted(trace.matches, key=lambda m: m is not trace.origin)


def trace_html(trace: Trace) -> str:
    """A trace as an HTML table: the query, then every occurrence in context, origin first.

    Each row shows the document (title, outlet, date), the kind, score and speaker, and the
    matched span highlighted in its sentences with the word-level changes from the query
    marked; numbers and negations that changed are flagged in a warning colour.

    Parameters
    ----------
    trace : Trace
        A result of :func:`quoteprov.trace_quote`.

    Returns
    -------
    str
        Self-contained HTML (inline styles, all text escaped).

    Examples
    --------
    >>> import quoteprov as qp
    >>> corpus = qp.Corpus([qp.Document(id="a", text='"Peace is near," Tom Lee said.')])
    >>> html = trace_html(qp.trace_quote("peace is near", corpus))
    >>> "origin" in html and "Peace is near" in html
    True
    """
    docs = trace.documents
    n_docs = len({m.doc_id for m in trace.matches})
    parts = [
        f'<div style="{_FONT}">',
        f'<div style="font-size: 14px"><b>Query</b>: “{_e(trace.query)}”</div>',
    ]
    if not trace.matches:
        parts.append("<div><i>No occurrence found.</i></div></div>")
        return "".join(parts)
    summary = (
        f"{len(trace.matches)} occurrence{'s' * (len(trace.matches) != 1)} in {n_docs} "
        f"document{'s' * (n_docs != 1)}"
    )
    if trace.origin is not None:
        origin_doc = docs.get(trace.origin.doc_id)
        name = _doc_name(origin_doc) if origin_doc is not None else trace.origin.doc_id
        summary += (
            f" · <b>origin</b>: {_e(name)} <span style='color: #666'>"
            f"({_e(trace.origin_reason or '')})</span>"
        )
    parts.append(f"<div>{summary}</div>")
    if note := related_note(trace):
        parts.append(f"<div style='color: #666'>{_e(note)}</div>")
    rows = []
    ordered = _ordered(trace)
    for m in ordered[:_MAX_ROWS]:
        doc = docs.get(m.doc_id)
        is_origin = m is trace.origin
        mark = "<b>★ origin</b>" if is_origin else ""
        title = _e(doc.title) if doc is not None and doc.title else ""
        where = f"<b>{_e(m.doc_id)}</b>" + (f"<br><span>{title}</span>" if title else "")
        rows.append(
            f'<tr style="{_ORIGIN_ROW if is_origin else ""}">'
            + _td(mark)
            + _td(where, "; max-width: 220px")
            + _td(_e(doc.source) if doc is not None and doc.source else "—")
            + _td(_e(_date(doc.published if doc is not None else None)), "; white-space: nowrap")
            + _td(_kind_badge(m.kind))
            + _td(_confidence(m))
            + _td(f"{m.score:.1f}", "; text-align: right")
            + _td(_e(m.speaker) if m.speaker is not None else "—")
            + _td(_match_span_html(m, doc), "; max-width: 640px")
            + "</tr>"
        )
    header = ["", "document", "outlet", "date", "kind", "confidence", "score", "speaker"]
    header.append("in context")
    parts.append(_table(header, rows))
    if len(ordered) > _MAX_ROWS:
        parts.append(f"<div>… and {len(ordered) - _MAX_ROWS} more (see trace.to_frame())</div>")
    parts.append(_legend())
    parts.append("</div>")
    return "".join(parts)


def match_html(match: Match, document: Document | None = None) -> str:
    """One match as HTML: kind, score, speaker and the matched text with its changes marked.

    Parameters
    ----------
    match : Match
        The occurrence.
    document : Document, optional
        Its document: when given, the match is shown in its sentence context.

    Returns
    -------
    str
        Self-contained HTML (inline styles, all text escaped).

    Examples
    --------
    >>> import quoteprov as qp
    >>> corpus = qp.Corpus([qp.Document(id="a", text="We will not win.")])
    >>> html = match_html(qp.trace_quote("we will win", corpus).matches[0])
    >>> "⚠" in html
    True
    """
    speaker = _e(match.speaker) if match.speaker is not None else "unattributed"
    head = (
        f"<b>{_e(match.doc_id)}</b> [{match.start}:{match.end}] {_kind_badge(match.kind)} "
        f"{_confidence(match)} (score {match.score:.1f}) · {speaker}"
    )
    changes = (
        f" · {len(match.changes)} change{'s' * (len(match.changes) != 1)}" if match.changes else ""
    )
    return (
        f'<div style="{_FONT}"><div>{head}{changes}</div>'
        f'<div style="margin: 3px 0">{_match_span_html(match, document)}</div>'
        f"{_legend() if match.changes else ''}</div>"
    )


def _doc_name(doc: Document) -> str:
    return doc.source or doc.title or doc.id


def corpus_html(corpus: Corpus, *, limit: int = 20) -> str:
    """A corpus as an HTML table of its documents: id, title, outlet, date, size, opening.

    Parameters
    ----------
    corpus : Corpus
        The documents.
    limit : int
        Show at most this many rows; the rest are counted.

    Returns
    -------
    str
        Self-contained HTML (inline styles, all text escaped).

    Examples
    --------
    >>> import quoteprov as qp
    >>> corpus = qp.Corpus([qp.Document(id="a", text="<script>alert(1)</script>")])
    >>> "&lt;script&gt;" in corpus_html(corpus) and "<script>" not in corpus_html(corpus)
    True
    """
    docs = list(corpus)
    outlets = {d.source for d in docs if d.source}
    dated = sorted(d.published for d in docs if d.published is not None)
    head = f"<b>Corpus</b>: {len(docs)} document{'s' * (len(docs) != 1)}"
    head += f" · {len(outlets)} outlet{'s' * (len(outlets) != 1)}"
    head += f" · {len(dated)} dated"
    if dated:
        head += f" ({_e(_date(dated[0]))} to {_e(_date(dated[-1]))})"
    rows = []
    for doc in docs[:limit]:
        opening = " ".join(doc.text[:200].split())
        opening = opening[:110] + ("…" if len(opening) > 110 or len(doc.text) > 200 else "")
        rows.append(
            "<tr>"
            + _td(f"<b>{_e(doc.id)}</b>")
            + _td(_e(doc.title or "—"), "; max-width: 280px")
            + _td(_e(doc.source or "—"))
            + _td(_e(_date(doc.published)), "; white-space: nowrap")
            + _td(f"{len(doc.text.split()):,}", "; text-align: right")
            + _td(f'<span style="color: #555">{_e(opening)}</span>', "; max-width: 420px")
            + "</tr>"
        )
    more = f"<div>… and {len(docs) - limit} more</div>" if len(docs) > limit else ""
    table = _table(["id", "title", "outlet", "published", "words", "opening"], rows)
    return f'<div style="{_FONT}"><div>{head}</div>{table}{more}</div>'


def graph_html(graph: nx.DiGraph[str], *, limit: int = 15) -> str:
    """A provenance graph as HTML: counts, the most widespread quotation families with their
    origin, and the derived-from edges.

    Works on any graph following the schema, including one read back from GraphML.

    Parameters
    ----------
    graph : networkx.DiGraph
        A graph from :func:`quoteprov.build_graph` or :meth:`Trace.to_graph`.
    limit : int
        Show at most this many families and this many derived-from edges.

    Returns
    -------
    str
        Self-contained HTML (inline styles, all text escaped).

    Examples
    --------
    >>> import quoteprov as qp
    >>> graph = qp.build_graph([{"id": "a", "text": '"Nothing is settled yet," she said.'}])
    >>> "1 quotation family" in graph_html(graph)
    True
    """
    nodes: dict[str, dict[str, Any]] = {n: d for n, d in graph.nodes(data=True)}
    types = Counter(data.get("type", "?") for data in nodes.values())
    edge_types = Counter(data.get("type", "?") for _, _, data in graph.edges(data=True))
    families = sorted(
        (n for n, d in nodes.items() if d.get("type") == "quote"),
        key=lambda n: (-int(nodes[n].get("documents", 0)), n),
    )
    derived = [(u, v, d) for u, v, d in graph.edges(data=True) if d.get("type") == "derived_from"]
    n_fam = types["quote"]
    head = (
        f"<b>Provenance graph</b>: {types['document']} documents, {n_fam} quotation "
        f"famil{'y' if n_fam == 1 else 'ies'} "
        f"({sum(1 for n in families if int(nodes[n].get('documents', 0)) > 1)} in several "
        f"documents), {types['speaker']} speakers; edges: "
        + ", ".join(f"{count} {_e(t)}" for t, count in sorted(edge_types.items()))
    )

    def name(node: str) -> str:
        data = nodes.get(node, {})
        return str(data.get("source") or data.get("title") or data.get("doc_id") or node)

    rows = []
    for n in families[:limit]:
        d = nodes[n]
        origin = str(d.get("origin", ""))
        rows.append(
            "<tr>"
            + _td(f"“{_e(shorten(str(d.get('text', '')), 160))}”", "; max-width: 460px")
            + _td(_e(d.get("speaker", "—")))
            + _td(str(d.get("documents", "")), "; text-align: right")
            + _td(
                f"<b>{_e(name(origin))}</b><br><span style='color: #666'>"
                f"{_e(d.get('origin_reason', ''))}</span>",
                "; max-width: 360px",
            )
            + "</tr>"
        )
    parts = [f'<div style="{_FONT}"><div>{head}</div>']
    if rows:
        parts.append(
            _table(["quotation (origin's wording)", "speaker", "documents", "origin"], rows)
        )
        if len(families) > limit:
            parts.append(f"<div>… and {len(families) - limit} more families</div>")
    if derived:
        drows = [
            "<tr>"
            + _td(f"<b>{_e(name(u))}</b> <span style='color: #666'>{_e(u)}</span>")
            + _td("→ derived from →")
            + _td(f"<b>{_e(name(v))}</b> <span style='color: #666'>{_e(v)}</span>")
            + _td(str(d.get("count", "")), "; text-align: right")
            + _td(_e(d.get("evidence", "")), "; max-width: 360px")
            + "</tr>"
            for u, v, d in derived[:limit]
        ]
        parts.append(_table(["copy", "", "source", "sentences", "evidence"], drows))
        if len(derived) > limit:
            parts.append(f"<div>… and {len(derived) - limit} more derived-from edges</div>")
    parts.append("</div>")
    return "".join(parts)


def shorten(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis.

    >>> shorten("We will  rebuild every bridge", 12)
    'We will reb…'
    """
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


# -- plain text ---------------------------------------------------------------------------------


Role = Literal["same", "insert", "delete", "query", "found"]


def marked_parts(match: Match, text: str | None = None) -> list[tuple[str, Role, bool]]:
    """A match's text with its changes marked, as ``(text, role, warning)`` parts.

    ``[query→found]`` marks a substitution (role ``query`` for the replaced words,
    ``found`` for the brackets and the new words), ``[+found]`` an insertion (``insert``),
    ``[−query]`` a deletion (``delete``); ``⚠`` opens the marker of a number or a negation
    that changed, and ``warning`` is True for all its parts.  Whitespace runs become one
    space.  Terminals colour the roles; :func:`marked_text` joins the parts.

    Parameters
    ----------
    match : Match
        The occurrence.
    text : str, optional
        The document's original text (see :func:`change_pieces`).

    Returns
    -------
    list of (str, str, bool)

    Examples
    --------
    >>> import quoteprov as qp
    >>> corpus = qp.Corpus([qp.Document(id="a", text="We will surely win.")])
    >>> marked_parts(qp.trace_quote("we will win", corpus).matches[0])
    [('We will ', 'same', False), ('[+surely]', 'insert', False), (' win', 'same', False)]
    """
    parts: list[tuple[str, Role, bool]] = []
    pieces = change_pieces(match, text)
    for n, piece in enumerate(pieces):
        flag, warn = ("⚠" if piece.warning else ""), piece.warning
        if piece.kind == "same":
            parts.append((piece.text, "same", False))
        elif piece.kind == "insert":
            mark = "…" if piece.elided else "+"
            parts.append((f"[{flag}{mark}{piece.text}]", "insert", warn))
        elif piece.kind == "substitute":
            parts += [(f"[{flag}", "found", warn), (piece.query, "query", warn)]
            parts.append((f"→{piece.text}]", "found", warn))
        else:  # deleted words take no room in the text: keep them apart from their neighbours
            if parts and not parts[-1][0][-1:].isspace():
                parts.append((" ", "same", False))
            parts.append((f"[{flag}−{piece.query}]", "delete", warn))
            after = pieces[n + 1].text[:1] if n + 1 < len(pieces) else ""
            if after and not after.isspace():
                parts.append((" ", "same", False))
    merged: list[tuple[str, Role, bool]] = []
    for value, role, warn in parts:
        if role == "same":  # fold whitespace, also across part boundaries
            folded = " ".join(value.split())
            if value[:1].isspace() and not (merged and merged[-1][0].endswith(" ")):
                folded = " " + folded
            if value[-1:].isspace() and folded.strip():
                folded += " "
            value = folded
        if value:
            merged.append((value, role, warn))
    return merged


def marked_text(match: Match, text: str | None = None, *, width: int | None = None) -> str:
    """A match's text with its changes marked in plain text (see :func:`marked_parts`).

    Parameters
    ----------
    match : Match
        The occurrence.
    text : str, optional
        The document's original text (see :func:`change_pieces`).
    width : int, optional
        Cut the result to about this many characters, ending with ``…``.

    Returns
    -------
    str

    Examples
    --------
    >>> import quoteprov as qp
    >>> corpus = qp.Corpus([qp.Document(id="a", text="We will never win the last war.")])
    >>> marked_text(qp.trace_quote("we will win the first war", corpus).matches[0])
    'We will [⚠+never] win the [⚠first→last] war'
    """
    joined = "".join(part for part, _, _ in marked_parts(match, text)).strip()
    if width is not None and len(joined) > width:
        joined = joined[: width - 1] + "…"
    return joined


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_NAMED = MappingProxyType({"\t": "\\t", "\n": "\\n", "\r": "\\r"})


def printable(text: str) -> str:
    r"""``text`` made safe to print on a terminal: control characters written as escapes.

    Document text is scraped and untrusted: an ESC (``\\x1b``) could recolour, retitle or
    clear a terminal, a BEL ring it.  Every C0 control (tab and line feed too: a printed
    value stays on its line), DEL and every C1 control is written as its backslash escape;
    everything else is kept.  For display only: the data and its offsets never change.

    Parameters
    ----------
    text : str
        Text about to be printed.

    Returns
    -------
    str

    Examples
    --------
    >>> print(printable("red\x1b[31m alert\x07\tnext\x9b"))
    red\x1b[31m alert\x07\tnext\x9b
    """
    return _CONTROL.sub(lambda m: _NAMED.get(m[0]) or f"\\x{ord(m[0]):02x}", text)


def related_note(trace: Trace, where: str = "trace.related") -> str | None:
    """One line on the weaker matches a trace keeps apart (``trace.related``, which the
    line calls ``where``), or None.

    >>> from quoteprov import Trace
    >>> from quoteprov._models import Match
    >>> weak = Match(doc_id="b", start=0, end=12, text="I don't know", score=31.7,
    ...              kind="partial", coverage=0.26)
    >>> print(related_note(Trace(query="q", matches=(), origin=None, origin_reason=None,
    ...                          related=(weak,))))
    1 weaker match in 1 document, a few of the query's words in common, is kept apart in
    trace.related.
    """
    if not trace.related:
        return None
    n, docs = len(trace.related), len({m.doc_id for m in trace.related})
    return (
        f"{n} weaker match{'es' * (n != 1)} in {docs} document{'s' * (docs != 1)}, a few of "
        f"the query's words in common, {'is' if n == 1 else 'are'} kept apart in {where}."
    )


def trace_text(trace: Trace, *, width: int = 100, related_in: str = "trace.related") -> str:
    """A trace as plain text: the query, the origin and one aligned row per match
    (``related_in`` names where the weaker matches are, for the line that counts them).

    Used by ``str(trace)`` and by the command line when ``rich`` is not installed.  A
    matched text is never cut, so every change (and every ``⚠``) shows: a long one wraps
    onto lines of its own under its column.  Control characters are written as escapes
    (see :func:`printable`).

    Parameters
    ----------
    trace : Trace
        A result of :func:`quoteprov.trace_quote`.
    width : int
        Cut the query to about this many characters, and wrap each matched text at it.

    Returns
    -------
    str

    Examples
    --------
    >>> import quoteprov as qp
    >>> corpus = qp.Corpus([qp.Document(id="a", text='"Peace is near," Tom Lee said.')])
    >>> print(trace_text(qp.trace_quote("peace is near", corpus)))
    “peace is near”
    1 occurrence in 1 document
    origin: a — only occurrence
    <BLANKLINE>
            document  kind      confidence  score  speaker  matched text (changes marked)
    origin  a         verbatim  certain     100.0  Tom Lee  Peace is near
    """
    lines = [f"“{printable(shorten(trace.query, width))}”"]
    if not trace.matches:
        lines.append("No occurrence found.")
        lines += [note] if (note := related_note(trace, related_in)) else []
        return "\n".join(lines)
    docs = len({m.doc_id for m in trace.matches})
    lines.append(
        f"{len(trace.matches)} occurrence{'s' * (len(trace.matches) != 1)} in {docs} "
        f"document{'s' * (docs != 1)}"
    )
    lines += [note] if (note := related_note(trace, related_in)) else []
    if trace.origin is not None:
        origin = f"{trace.origin.doc_id} — {trace.origin_reason}"
        lines.append(f"origin: {printable(origin)}")
    ordered = _ordered(trace)
    rows = [
        (
            "origin" if m is trace.origin else "",
            printable(m.doc_id),
            m.kind,
            m.confidence,
            f"{m.score:.1f}",
            printable(m.speaker) if m.speaker is not None else "—",
        )
        for m in ordered
    ]
    texts = [
        textwrap.wrap(printable(marked_text(m)), max(width, 20), break_on_hyphens=False) or [""]
        for m in ordered
    ]
    header = ("", "document", "kind", "confidence", "score", "speaker")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    indent = " " * (sum(widths) + 2 * len(widths))
    lines.append("")
    for row, text in [
        (header, ["matched text (changes marked)"]),
        *zip(rows, texts, strict=True),
    ]:
        cells = [cell.ljust(w) for cell, w in zip(row, widths, strict=True)]
        lines.append("  ".join([*cells, text[0]]).rstrip())
        lines += [indent + more for more in text[1:]]
    if any(m.changes for m in ordered):
        lines.append("")
        elided = ", […x] left out at the query's …" if any(m.elided for m in ordered) else ""
        lines.append(
            "changes: [query→found] substituted, [+x] inserted, [−x] deleted"
            f"{elided}, ⚠ number or negation"
        )
    return "\n".join(lines)
