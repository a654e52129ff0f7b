"""Pictures of traces and provenance graphs (optional: ``pip install 'quoteprov[notebook]'``).

- :func:`plot_timeline`: a trace's occurrences over publication time, one row per outlet,
  origin first, marker by kind, the origin starred, copies linked to it; undated
  occurrences sit in a band of their own, off the time axis.
- :func:`plot_graph`: a provenance graph in three columns, speakers → quotation families
  → documents (documents in publication order), node colour by type, edge style by kind,
  origin occurrences in gold (Okabe–Ito orange) and ``derived_from`` arcs in vermillion.
- :func:`to_html`: the same graph as one self-contained, interactive HTML file
  (vis-network from pyvis, inlined: it opens with no network).

matplotlib and pyvis are imported only when these functions run; without them they raise
:class:`~quoteprov.MissingDependencyError` naming the extra to install.

>>> import quoteprov as qp
>>> graph = qp.build_graph([{"id": "a", "text": '"Nothing is settled yet," Ana Ruiz said.'}])
>>> sorted(layered_positions(graph).values())
[(0.0, 0.5), (1.0, 0.5), (2.0, 0.5)]
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx

from .._errors import InputError, MissingDependencyError
from .._models import Document, published_key
from ..io._export import _atomic_write
from ..provenance._trace import Trace
from ._display import KIND_COLORS, shorten

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "EDGE_STYLES",
    "NODE_STYLES",
    "layered_positions",
    "plot_graph",
    "plot_timeline",
    "to_html",
]

NODE_STYLES: Mapping[str, dict[str, str]] = MappingProxyType(
    {
        "speaker": {"color": "#55a868", "marker": "^", "shape": "triangle", "column": "speakers"},
        "quote": {
            "color": "#dd8452",
            "marker": "o",
            "shape": "dot",
            "column": "quotation families",
        },
        "document": {"color": "#4c72b0", "marker": "s", "shape": "square", "column": "documents"},
    }
)
"""Colour, matplotlib marker, vis-network shape and column title of each node type."""

EDGE_STYLES: Mapping[str, dict[str, Any]] = MappingProxyType(
    {
        "said": {"color": "#9e9e9e", "style": "solid", "width": 0.8},
        "verbatim": {"color": KIND_COLORS["verbatim"], "style": "solid", "width": 1.2},
        "near_verbatim": {"color": KIND_COLORS["near_verbatim"], "style": "solid", "width": 1.2},
        "partial": {"color": KIND_COLORS["partial"], "style": "dashed", "width": 1.2},
        "paraphrase": {"color": KIND_COLORS["paraphrase"], "style": "dotted", "width": 1.5},
        "translation": {"color": KIND_COLORS["translation"], "style": "dashdot", "width": 1.5},
        "origin": {"color": "#e69f00", "style": "solid", "width": 3.0},
        "derived_from": {"color": "#d55e00", "style": "solid", "width": 2.2},
    }
)
"""How each edge is drawn: ``said``, ``occurs_in`` by kind (``origin`` when it is the
family's origin occurrence) and ``derived_from``."""

_COLUMNS = MappingProxyType({"speaker": 0, "quote": 1, "document": 2})
_MARKERS = MappingProxyType(
    {"verbatim": "o", "near_verbatim": "D", "partial": "^", "paraphrase": "s", "translation": "v"}
)
# Okabe–Ito orange and vermillion: the origin and derived_from stay apart from each other
# and from the kinds' colours whatever the reader's colour vision
_ORIGIN_GOLD = "#e69f00"


def _pyplot(feature: str) -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise MissingDependencyError.of("matplotlib", feature) from exc
    return plt


# -- timeline -----------------------------------------------------------------------------------


def _row_name(doc: Document | None, doc_id: str) -> str:
    """A timeline row's label: the outlet, else the title, else the document id."""
    if doc is not None and doc.source:
        return shorten(doc.source, 32)
    if doc is not None and doc.title:
        return shorten(doc.title, 32)
    return shorten(doc_id, 24)


_LINK = "#888888"
_BAND = "#f4f4f4"


def plot_timeline(trace: Trace, ax: Axes | None = None) -> Axes:
    """Draw a trace's occurrences over publication time, one row per outlet.

    Rows follow the provenance: the origin's row on top, then the copies' rows (dated
    ones in date order, then undated ones), each labelled with its outlet, else its
    document's title, else its id.  Each occurrence is a marker at its document's
    publication date; shape and colour give the kind, the origin is a gold star, and a
    grey arrow runs from each copy to the origin it was traced to.  Occurrences in
    undated documents are drawn in a band of their own on the left, off the time axis,
    so that no undated document seems to come before or after a dated one.

    Parameters
    ----------
    trace : Trace
        A result of :func:`quoteprov.trace_quote` (also ``trace.plot_timeline()``).
    ax : matplotlib.axes.Axes, optional
        Where to draw the time axis (the undated band, when needed, is an inset on its
        left); a new figure sized to the number of rows otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The time axis.

    Raises
    ------
    MissingDependencyError
        When matplotlib is not installed.

    Examples
    --------
    >>> import quoteprov as qp
    >>> docs = [{"id": "wire", "text": '"We will rebuild every bridge," she said.',
    ...          "source": "Wire", "published": "2024-03-01"},
    ...         {"id": "blog", "text": "She said we will rebuild every bridge.",
    ...          "source": "Blog", "published": "2024-03-04"}]
    >>> ax = plot_timeline(qp.trace_quote("we will rebuild every bridge", docs))
    >>> [label.get_text() for label in ax.get_yticklabels()]
    ['Wire', 'Blog']
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    plt = _pyplot("plot_timeline")
    from matplotlib.lines import Line2D
    from matplotlib.patches import ConnectionPatch

    docs = trace.documents
    matches = list(trace.matches)

    def when(doc_id: str) -> dt.datetime | None:
        doc = docs.get(doc_id)
        return published_key(doc.published) if doc and doc.published is not None else None

    dated = [when(m.doc_id) for m in matches]
    known = [d for d in dated if d is not None]
    names = [_row_name(docs.get(m.doc_id), m.doc_id) for m in matches]
    # rows, top to bottom: the origin's, then the copies' by their first dated
    # occurrence, then rows with undated occurrences only, in the trace's order
    first: dict[str, tuple[int, dt.datetime, int]] = {}
    for n, (name, d) in enumerate(zip(names, dated, strict=True)):
        key = (0, d, n) if d is not None else (1, dt.datetime.max, n)
        first[name] = min(first.get(name, key), key)
    origin = _row_name(docs.get(trace.origin.doc_id), trace.origin.doc_id) if trace.origin else None
    rows_named = sorted(first, key=lambda name: (name != origin, first[name]))
    row = {name: n for n, name in enumerate(rows_named)}
    undated = None in dated

    if ax is None:
        fig, ax = plt.subplots(
            figsize=(9.5, 1.7 + 0.42 * max(1, len(rows_named))), layout="constrained"
        )
        fig.get_layout_engine().set(w_pad=0.12)  # keeps the row labels off the edge
    band: Axes | None = None
    if undated:
        # a band of its own, left of the time axis: an undated document has no place on it
        band = ax.inset_axes((-0.13 if known else 0.0, 0.0, 0.1 if known else 1.0, 1.0))
        band.set_in_layout(True)  # its row labels count in a constrained layout
        band.set_facecolor(_BAND)
        band.set_xlim(-1.0, 1.0)
        band.set_xticks([0.0], labels=["undated"], fontsize=8)
        band.set_ylim(len(rows_named) - 0.5, -0.5)
        band.tick_params(left=False, labelleft=False)
        for side in ("top", "right", "left"):
            band.spines[side].set_visible(False)
    epoch = min(known).replace(hour=0, minute=0, second=0, microsecond=0) if known else None

    def day(d: dt.datetime) -> float:
        assert epoch is not None
        return (d - epoch).total_seconds() / 86400.0

    lo = hi = 0.0
    if known:
        lo, hi = day(min(known)), day(max(known))
    pad = max(1.0, (hi - lo) * 0.08)
    where: list[tuple[Axes, float]] = [
        (ax, day(d)) if d is not None else (band if band is not None else ax, 0.0) for d in dated
    ]
    crowd: Counter[tuple[int, int, float]] = Counter()
    seen: Counter[tuple[int, int, float]] = Counter()
    for name, (axes, x) in zip(names, where, strict=True):
        crowd[(id(axes), row[name], x)] += 1
    points: list[tuple[Axes, float, float]] = []
    for m, name, (axes, x) in zip(matches, names, where, strict=True):
        spot = (id(axes), row[name], x)
        n, total = seen[spot], crowd[spot]
        seen[spot] += 1
        y = row[name] + (n - (total - 1) / 2) * min(0.22, 0.6 / max(1, total))
        points.append((axes, x, y))
        if m is trace.origin:
            axes.scatter([x], [y], s=420, marker="*", color=_ORIGIN_GOLD, edgecolor="black",
                         linewidth=0.8, zorder=2)  # fmt: skip
            axes.annotate("origin", (x, y), xytext=(9, 7), textcoords="offset points",
                          fontsize=8, fontweight="bold", annotation_clip=False)  # fmt: skip
        axes.scatter([x], [y], s=46, marker=_MARKERS[m.kind], color=KIND_COLORS[m.kind],
                     edgecolor="white", linewidth=0.6, zorder=3)  # fmt: skip
    if trace.origin is not None and any(m is trace.origin for m in matches):
        o_axes, ox, oy = points[next(i for i, m in enumerate(matches) if m is trace.origin)]
        for m, (axes, x, y) in zip(matches, points, strict=True):
            if m is trace.origin or m.doc_id == trace.origin.doc_id:
                continue
            link = ConnectionPatch(
                (x, y), (ox, oy), coordsA=axes.transData, coordsB=o_axes.transData,
                arrowstyle="-|>", mutation_scale=9, color=_LINK, linewidth=0.8, alpha=0.7,
                shrinkA=5, shrinkB=9, connectionstyle="arc3,rad=0.15", zorder=1,
            )  # fmt: skip
            # on the figure, above both axes: an arrow into the band is not hidden by it
            link.set_zorder(5)
            ax.figure.add_artist(link)

    ax.set_yticks(range(len(rows_named)), labels=rows_named)
    ax.set_ylim(len(rows_named) - 0.5, -0.5)
    if band is not None and known:  # the rows are labelled left of the band
        band.set_yticks(range(len(rows_named)), labels=rows_named)
        band.tick_params(left=False, labelleft=True)
        ax.tick_params(axis="y", labelleft=False)
    ticks: list[float] = []
    labels: list[str] = []
    if epoch is not None:
        step = max(1, math.ceil((hi - lo) / 7))
        ticks = [float(t) for t in range(0, int(hi) + 1, step)]
        labels = [(epoch + dt.timedelta(days=t)).strftime("%Y-%m-%d") for t in ticks]
        crowded = len(ticks) > 6
        ax.set_xticks(ticks, labels=labels, rotation=30 if crowded else 0, fontsize=8)
        if crowded:
            plt.setp(ax.get_xticklabels(), ha="right", rotation_mode="anchor")
        ax.set_xlim(lo - pad, hi + pad)
        ax.set_xlabel("publication date")
    else:  # nothing dated: the band is the whole picture
        ax.set_xticks([])
        ax.set_xlim(-1.0, 1.0)
        if band is not None:
            ax.set_frame_on(False)
    ax.grid(axis="y", color="#eeeeee")
    ax.set_axisbelow(True)
    n_docs = len({m.doc_id for m in matches})
    outlets = {docs[m.doc_id].source for m in matches if m.doc_id in docs and docs[m.doc_id].source}
    named = (
        f"{len(outlets)} named outlet{'s' * (len(outlets) != 1)}" if outlets else "no outlet named"
    )
    ax.set_title(
        f"“{shorten(trace.query, 80)}”\n{len(matches)} occurrence{'s' * (len(matches) != 1)} "
        f"in {n_docs} document{'s' * (n_docs != 1)}, {named}",
        fontsize=10,
        loc="left",
        x=-0.13 if band is not None and known else 0.0,  # from the band's left edge
    )
    kinds = [k for k in _MARKERS if any(m.kind == k for m in matches)]
    handles = [
        Line2D([], [], linestyle="", marker=_MARKERS[k], color=KIND_COLORS[k], label=k)
        for k in kinds
    ]
    if trace.origin is not None:
        handles.append(
            Line2D(
                [],
                [],
                linestyle="",
                marker="*",
                markersize=13,
                color=_ORIGIN_GOLD,
                markeredgecolor="black",
                label="origin",
            )
        )
        if len({m.doc_id for m in matches}) > 1:
            handles.append(Line2D([], [], color=_LINK, linewidth=0.8, label="copy → origin"))
    if handles:
        ax.legend(
            handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False
        )
    return ax


# -- graph ------------------------------------------------------------------------------------


def _published(data: Mapping[str, Any]) -> str:
    return str(data.get("published", ""))


def _keep(graph: nx.DiGraph[str], min_documents: int) -> nx.DiGraph[str]:
    """The graph without quotation families in fewer than ``min_documents`` documents."""
    if min_documents <= 1:
        return graph
    drop = {
        n
        for n, d in graph.nodes(data=True)
        if d.get("type") == "quote" and int(d.get("documents", 0)) < min_documents
    }
    kept = set(graph) - drop
    lonely = {
        n
        for n in kept
        if graph.nodes[n].get("type") == "speaker" and not (set(graph.successors(n)) & kept)
    }
    return graph.subgraph(kept - lonely)


def layered_positions(graph: nx.DiGraph[str]) -> dict[str, tuple[float, float]]:
    """Positions for a three-column drawing: speakers (x=0), quotations (1), documents (2).

    Documents run top to bottom grouped by the first quotation family they hold (families
    in order of their earliest document), in publication order within a group (undated
    ones last); each family sits at the average height of its documents, each speaker at
    that of its quotations, which keeps edges short and crossings few.  Heights are spread evenly in
    each column between 0 (bottom) and 1 (top); nodes of another type go in a fourth column.

    Parameters
    ----------
    graph : networkx.DiGraph
        A provenance graph.

    Returns
    -------
    dict
        Node id → ``(x, y)``.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_node("doc:b", type="document", published="2024-03-02")
    >>> g.add_node("doc:a", type="document", published="2024-03-01")
    >>> layered_positions(g)
    {'doc:a': (2.0, 1.0), 'doc:b': (2.0, 0.0)}
    """
    nodes: dict[str, dict[str, Any]] = {n: d for n, d in graph.nodes(data=True)}
    by_type: dict[str, list[str]] = defaultdict(list)
    for n, d in nodes.items():
        by_type[str(d.get("type", "other"))].append(n)
    rank: dict[str, float] = {}

    def spread(column: list[str]) -> None:
        for i, n in enumerate(column):
            rank[n] = i / max(1, len(column) - 1) if len(column) > 1 else 0.5

    def when(n: str) -> tuple[bool, str, str, str]:
        return (
            _published(nodes[n]) == "",
            _published(nodes[n]),
            str(nodes[n].get("source", "")),
            n,
        )

    def docs_of(q: str) -> list[str]:
        return [v for v in graph.successors(q) if nodes[v].get("type") == "document"]

    # families in order of their earliest document; each document joins the group of the
    # first family it holds, so a family's documents sit together, in date order
    first = {q: min(map(when, docs_of(q)), default=(True, "~", "", "")) for q in by_type["quote"]}
    order = sorted(first, key=lambda q: (first[q], -int(nodes[q].get("documents", 0)), q))
    group: dict[str, int] = {}
    for i, q in enumerate(order):
        for doc in docs_of(q):
            group.setdefault(doc, i)
    documents = sorted(by_type["document"], key=lambda n: (group.get(n, len(order)), when(n)))
    spread(documents)

    def mean_rank(node: str, neighbours: Iterable[str]) -> float:
        ranks = [rank[v] for v in neighbours if v in rank]
        return sum(ranks) / len(ranks) if ranks else 2.0

    quotes = sorted(
        by_type["quote"],
        key=lambda n: (mean_rank(n, graph.successors(n)), -int(nodes[n].get("documents", 0)), n),
    )
    spread(quotes)
    speakers = sorted(by_type["speaker"], key=lambda n: (mean_rank(n, graph.successors(n)), n))
    spread(speakers)
    others = sorted(n for t, ns in by_type.items() if t not in _COLUMNS for n in ns)
    spread(others)
    return {
        n: (float(_COLUMNS.get(str(d.get("type")), 3)), round(1.0 - rank[n], 6))
        for n, d in sorted(nodes.items())
    }


def _node_label(node: str, data: Mapping[str, Any]) -> str:
    kind = data.get("type")
    if kind == "document":
        name = data.get("source") or shorten(
            str(data.get("title") or data.get("doc_id") or node), 32
        )
        date = data.get("published")
        return f"{name} · {str(date)[:10]}" if date else str(name)
    if kind == "quote":
        words = str(data.get("text", "")).split()
        text = " ".join(words[:6]) + ("…" if len(words) > 6 else "")
        text = shorten(text, 28)  # a label fits its lane (see to_html)
        docs = int(data.get("documents", 0))
        return f"“{text}”" + (f" ({docs} docs)" if docs > 1 else "")
    return shorten(str(data.get("name") or data.get("label") or node), 32)


def _edge_style(data: Mapping[str, Any], shared: bool = True) -> str:
    """The :data:`EDGE_STYLES` key of an edge; ``shared`` is False for an ``occurs_in`` edge
    of a family found in one document only (its origin is no news: drawn by kind)."""
    kind = data.get("type")
    if kind == "occurs_in":
        return "origin" if data.get("is_origin") and shared else str(data.get("kind", "verbatim"))
    return str(kind)


def _origins(nodes: Mapping[str, Mapping[str, Any]]) -> set[str]:
    """The documents that are the origin of a family found in several documents."""
    return {
        str(d.get("origin"))
        for d in nodes.values()
        if d.get("type") == "quote" and int(d.get("documents", 2)) > 1
    }


def _shared(graph: nx.DiGraph[str], u: str) -> bool:
    return int(graph.nodes[u].get("documents", 2)) > 1


def plot_graph(
    graph: nx.DiGraph[str],
    ax: Axes | None = None,
    *,
    min_documents: int = 1,
    labels: bool | None = None,
) -> Axes:
    """Draw a provenance graph: speakers → quotation families → documents.

    The layout is ``layered_positions()``; node colour and shape give the type
    (speakers green triangles, quotation families orange circles, documents blue
    squares, origin documents ringed in gold); ``occurs_in`` edges are coloured by kind
    (solid verbatim and near-verbatim, dashed partial, dotted paraphrase, gold for the
    origin occurrence), ``said`` edges grey, and ``derived_from`` edges vermillion arcs from the
    copy to its source.

    Parameters
    ----------
    graph : networkx.DiGraph
        A graph from :func:`quoteprov.build_graph`, :meth:`Trace.to_graph` or GraphML.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure sized to the graph otherwise.
    min_documents : int
        Leave out quotation families found in fewer documents (and speakers left with
        nothing said): ``2`` keeps what travelled.
    labels : bool, optional
        Label the nodes; by default, those of the columns holding at most 60 nodes.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    MissingDependencyError
        When matplotlib is not installed.

    Examples
    --------
    >>> import quoteprov as qp
    >>> graph = qp.build_graph([{"id": "a", "text": '"Nothing is settled yet," Ana Ruiz said.'}])
    >>> ax = plot_graph(graph)
    >>> sorted(t.get_text() for t in ax.texts if t.get_text().startswith(("a", "Ana")))
    ['Ana Ruiz', 'a']
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    plt = _pyplot("plot_graph")
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch

    sub = _keep(graph, min_documents)
    pos = layered_positions(sub)
    columns = Counter(x for x, _ in pos.values())
    tallest = max(columns.values(), default=1)
    labelled = {x for x, count in columns.items() if (count <= 60 if labels is None else labels)}
    if ax is None:
        height = min(16.0, max(5.0, 0.3 * tallest + 2.0))
        _, ax = plt.subplots(figsize=(13, height), layout="constrained")
    nodes: dict[str, dict[str, Any]] = {n: d for n, d in sub.nodes(data=True)}
    origins = _origins(nodes)
    small = tallest > 60

    for u, v, data in sub.edges(data=True):
        style = EDGE_STYLES.get(_edge_style(data, _shared(sub, u)), EDGE_STYLES["said"])
        derived = data.get("type") == "derived_from"
        (x1, y1), (x2, y2) = pos[u], pos[v]
        ax.add_patch(
            FancyArrowPatch(
                (x1, y1),
                (x2, y2),
                arrowstyle="-|>" if derived else "-",
                mutation_scale=12,
                # derived_from arcs bulge left, off the documents' labels
                connectionstyle=f"arc3,rad={0.5 if y2 < y1 else -0.5}" if derived else "arc3",
                color=style["color"],
                linestyle=style["style"],
                linewidth=style["width"] * (0.6 if small else 1.0),
                alpha=1.0 if derived else 0.85,
                zorder=3 if derived or data.get("is_origin") else 1,
                shrinkA=4,
                shrinkB=4,
            )
        )
    for kind, style in NODE_STYLES.items():
        members = [n for n, d in nodes.items() if d.get("type") == kind]
        if not members:
            continue
        ax.scatter(
            [pos[n][0] for n in members],
            [pos[n][1] for n in members],
            s=25 if small else 90,
            marker=style["marker"],
            color=style["color"],
            edgecolors=[_ORIGIN_GOLD if n in origins else "white" for n in members],
            linewidths=[2.2 if n in origins else 0.8 for n in members],
            zorder=4,
        )
    for n, (x, y) in pos.items():
        if x in labelled:
            node_type = nodes[n].get("type")
            side = {"speaker": (-0.05, "right"), "document": (0.05, "left")}.get(
                str(node_type), (0.0, "center")
            )
            ax.text(
                x + side[0],
                y + (0.0 if node_type != "quote" else 0.012),
                _node_label(n, nodes[n]),
                ha=side[1],
                va="center" if node_type != "quote" else "bottom",
                fontsize=7.5,
                zorder=5,
                # opaque, above every edge: a dotted edge never runs through a label
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 1.0},
            )
    for kind, x in _COLUMNS.items():
        if columns.get(float(x)):
            ax.text(
                x,
                1.07,
                f"{NODE_STYLES[kind]['column']} ({columns[float(x)]})",
                ha="center",
                va="bottom",
                fontsize=10,
                fontweight="bold",
            )
    ax.set_xlim(-0.85, 2.95)
    ax.set_ylim(-0.04, 1.1)
    ax.axis("off")
    present = Counter(_edge_style(d, _shared(sub, u)) for u, _, d in sub.edges(data=True))
    handles = [
        Line2D([], [], linestyle="", marker=s["marker"], color=s["color"], label=k)
        for k, s in NODE_STYLES.items()
        if any(d.get("type") == k for d in nodes.values())
    ]
    handles.append(
        Line2D(
            [],
            [],
            linestyle="",
            marker="s",
            color="white",
            markeredgecolor=_ORIGIN_GOLD,
            markeredgewidth=2,
            label="origin document",
        )
    )
    for name, s in EDGE_STYLES.items():
        if present.get(name):
            label = {"origin": "origin occurrence", "said": "said"}.get(name, name)
            handles.append(
                Line2D(
                    [],
                    [],
                    color=s["color"],
                    linestyle=s["style"],
                    linewidth=s["width"],
                    label=label,
                )
            )
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.0, -0.01),
        ncol=5,
        fontsize=8,
        frameon=False,
    )
    return ax


# -- interactive HTML -------------------------------------------------------------------------

_VIS = "templates/lib/vis-9.1.2"
_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>{vis_css}</style>
<style>
body {{ margin: 0; font: 13px system-ui, -apple-system, 'Segoe UI', sans-serif; }}
header {{ padding: 8px 12px; border-bottom: 1px solid #ddd; }}
header h1 {{ font-size: 16px; margin: 0 0 4px 0; }}
.legend span {{ margin-right: 14px; white-space: nowrap; }}
.swatch {{ display: inline-block; width: 11px; height: 11px; margin-right: 4px; }}
.line {{ display: inline-block; width: 22px; margin-right: 4px; vertical-align: 3px; }}
main {{ display: flex; height: calc(100vh - 74px); }}
#graph {{ flex: 1; min-width: 0; }}
#details {{ width: 260px; padding: 8px 12px; border-left: 1px solid #ddd; overflow: auto; }}
#details dt {{ font-weight: 600; margin-top: 6px; }}
#details dd {{ margin: 0; white-space: pre-wrap; word-break: break-word; }}
div.vis-tooltip {{ white-space: pre-wrap; max-width: 420px; }}
</style>
</head>
<body>
<header>
<h1>{title}</h1>
<div class="legend">{legend}</div>
</header>
<main>
<div id="graph"></div>
<aside id="details"><p>Click a node to see its attributes. Drag to move, scroll to zoom.</p></aside>
</main>
<div id="qp-status" data-nodes="{n_nodes}" data-edges="{n_edges}" data-drawn="0" hidden></div>
<script>{vis_js}</script>
<script>
const DATA = {data};
const nodes = new vis.DataSet(DATA.nodes);
const edges = new vis.DataSet(DATA.edges);
const network = new vis.Network(document.getElementById("graph"), {{nodes, edges}}, DATA.options);
// Fit the whole graph, labels and curved edges included, inside the canvas with a margin
// (vis-network's own fit() leaves labels at the edges cut and ignores curved edges), then
// say where everything was drawn, for tests and for anyone checking the page.
const MARGIN = 28;  // pixels on every side of the canvas
function extent() {{
  const box = {{left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity}};
  const grow = (l, t, r, b) => {{
    box.left = Math.min(box.left, l); box.top = Math.min(box.top, t);
    box.right = Math.max(box.right, r); box.bottom = Math.max(box.bottom, b);
  }};
  for (const id of nodes.getIds()) {{
    const b = network.getBoundingBox(id);  // the node and its label, in canvas units
    if (b) grow(b.left, b.top, b.right, b.bottom);
  }}
  const at = network.getPositions();
  for (const edge of edges.get()) {{
    if (!edge.smooth || !edge.smooth.type) continue;
    const a = at[edge.from], b = at[edge.to];
    if (!a || !b) continue;
    // a curved edge bulges at most roundness x its length off the straight line
    const r = edge.smooth.roundness || 0.5, dx = b.x - a.x, dy = b.y - a.y;
    const mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2;
    for (const s of [-1, 1]) {{
      grow(mx + s * r * dy, my - s * r * dx, mx + s * r * dy, my - s * r * dx);
    }}
  }}
  return box;
}}
function fitAll() {{
  const box = extent(), el = document.getElementById("graph");
  const w = Math.max(1, box.right - box.left), h = Math.max(1, box.bottom - box.top);
  const scale = Math.min(
    (el.clientWidth - 2 * MARGIN) / w, (el.clientHeight - 2 * MARGIN) / h, 1.6);
  const position = {{x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2}};
  network.moveTo({{position, scale, animation: false}});
}}
function report() {{
  const status = document.getElementById("qp-status");
  const rect = document.getElementById("graph").getBoundingClientRect();
  const boxes = {{}};
  for (const id of nodes.getIds()) {{
    const b = network.getBoundingBox(id);
    const p = network.canvasToDOM({{x: b.left, y: b.top}});
    const q = network.canvasToDOM({{x: b.right, y: b.bottom}});
    boxes[id] = [p.x + rect.left, p.y + rect.top, q.x + rect.left, q.y + rect.top].map(Math.round);
  }}
  status.dataset.boxes = JSON.stringify(boxes);
  const canvas = [rect.left, rect.top, rect.right, rect.bottom];
  status.dataset.canvas = JSON.stringify(canvas.map(Math.round));
  status.dataset.viewport = JSON.stringify([window.innerWidth, window.innerHeight]);
  const font = DATA.options.nodes.font.size * network.getScale();
  status.dataset.fontPx = String(Math.round(10 * font) / 10);
  status.dataset.drawn = String(Object.keys(network.getPositions()).length);
}}
// fit whenever the canvas has a size it was not fitted to: on opening, and after the
// window changes (vis-network redraws then); a stabilised force layout fits again
let fittedTo = "";
network.on("afterDrawing", () => {{
  const el = document.getElementById("graph");
  const size = `${{el.clientWidth}}x${{el.clientHeight}}`;
  if (size === fittedTo) return;
  fittedTo = size;
  fitAll();
  network.once("afterDrawing", report);
  network.redraw();
}});
network.on("stabilizationIterationsDone", () => {{
  network.setOptions({{physics: false}});
  fittedTo = "";
  network.redraw();
}});
window.addEventListener("resize", () => network.redraw());
network.on("click", (params) => {{
  if (!params.nodes.length) return;
  const attrs = DATA.attributes[params.nodes[0]] || {{}};
  const panel = document.getElementById("details");
  panel.replaceChildren();
  const heading = document.createElement("h3");
  heading.textContent = params.nodes[0];
  const list = document.createElement("dl");
  for (const [key, value] of Object.entries(attrs)) {{
    const dt = document.createElement("dt");
    dt.textContent = key;
    const dd = document.createElement("dd");
    dd.textContent = String(value);
    list.append(dt, dd);
  }}
  panel.append(heading, list);
}});
</script>
</body>
</html>
"""


_SCRIPT_END = re.compile(r"</script", re.IGNORECASE)
_FONT = 15  # label size in canvas units
_ROW = 15.0  # canvas units between rows of the tallest column (two lanes: 30 per lane)
_COLUMN = 420.0  # canvas units between columns
_LANE = 120.0  # a quotation's offset from its column's centre, in a tall column


def _script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element, whatever strings it holds."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _tooltip(node: str, data: Mapping[str, Any]) -> str:
    keys = (
        "type",
        "title",
        "source",
        "published",
        "text",
        "speaker",
        "name",
        "documents",
        "origin",
        "origin_reason",
    )
    lines = [node] + [f"{k}: {shorten(str(data[k]), 300)}" for k in keys if k in data]
    return "\n".join(lines)


def _legend_html() -> str:
    items = [
        f'<span><i class="swatch" style="background:{s["color"]}"></i>{html.escape(k)}</span>'
        for k, s in NODE_STYLES.items()
    ]
    items.append(
        f'<span><i class="swatch" style="border:2px solid {_ORIGIN_GOLD}"></i>'
        "origin document</span>"
    )
    for name, s in EDGE_STYLES.items():
        label = {"origin": "origin occurrence"}.get(name, name)
        border = f"border-top:{max(1, round(s['width']))}px {s['style']} {s['color']}"
        items.append(f'<span><i class="line" style="{border}"></i>{html.escape(label)}</span>')
    return "".join(items)


def to_html(
    graph: nx.DiGraph[str],
    path: str | os.PathLike[str],
    *,
    title: str = "quoteprov provenance graph",
    min_documents: int = 1,
    layout: Literal["layered", "force"] = "layered",
) -> Path:
    """Write a provenance graph as one self-contained, interactive HTML file.

    The page holds vis-network (shipped with pyvis) and its stylesheet inline, so it opens
    with no network and nothing is fetched; node colour and shape follow the type, edge
    colour and dashes the kind, as in :func:`plot_graph`.  Hover a node for its summary,
    click it for all its attributes; every text is shown as text, never as HTML.

    Parameters
    ----------
    graph : networkx.DiGraph
        A graph from :func:`quoteprov.build_graph`, :meth:`Trace.to_graph` or GraphML.
    path : str or os.PathLike
        The ``.html`` file to write (atomically).
    title : str
        The page's title and heading.
    min_documents : int
        Leave out quotation families found in fewer documents (see :func:`plot_graph`).
    layout : {"layered", "force"}
        ``"layered"`` places nodes as ``layered_positions()`` (stable, readable);
        ``"force"`` lets vis-network's physics arrange them, then freezes them.

    Returns
    -------
    pathlib.Path
        ``path`` as a :class:`~pathlib.Path`.

    Raises
    ------
    MissingDependencyError
        When pyvis is not installed.
    ExportError
        When the file cannot be written.

    Examples
    --------
    >>> import quoteprov as qp, tempfile, pathlib
    >>> graph = qp.build_graph([{"id": "a", "text": '"Nothing is settled yet," Ana Ruiz said.'}])
    >>> page = to_html(graph, pathlib.Path(tempfile.mkdtemp()) / "graph.html").read_text("utf-8")
    >>> '"doc:a"' in page and 'src="http' not in page
    True
    """
    try:
        from pyvis.network import Network
    except ImportError as exc:
        raise MissingDependencyError.of("pyvis", "to_html") from exc
    if layout not in ("layered", "force"):
        raise InputError(f"layout must be 'layered' or 'force', not {layout!r}")
    sub = _keep(graph, min_documents)
    pos = layered_positions(sub)
    # canvas units; labels are _FONT units high.  A tall quotation column is drawn in two
    # staggered lanes, so that a label below one dot never meets its neighbours': the
    # page then fits a corpus' families at a readable size (13 px or more on 1280x800
    # for the seeds' 40 families)
    tallest = max(2, *Counter(x for x, _ in pos.values()).values())
    spacing = _ROW * tallest
    net = Network(directed=True)
    nodes: dict[str, dict[str, Any]] = {n: d for n, d in sub.nodes(data=True)}
    origins = _origins(nodes)
    for n, data in nodes.items():
        style = NODE_STYLES.get(str(data.get("type")), {"color": "#999999", "shape": "dot"})
        extra: dict[str, Any] = {}
        if layout == "layered":
            x, y = pos[n]
            lane = 0.0
            if data.get("type") == "quote" and tallest > 12:
                lane = _LANE if round((1.0 - y) * (tallest - 1)) % 2 else -_LANE
            extra = {"x": x * _COLUMN + lane, "y": (1.0 - y) * spacing, "physics": False}
        border = _ORIGIN_GOLD if n in origins else style["color"]
        net.add_node(
            n,
            label=_node_label(n, data),
            title=_tooltip(n, data),
            shape=style["shape"],
            size=9 if data.get("type") != "quote" else 7,
            color={"background": style["color"], "border": border},
            borderWidth=4 if n in origins else 1,
            **extra,
        )
    for u, v, data in sub.edges(data=True):
        style = EDGE_STYLES.get(_edge_style(data, _shared(sub, u)), EDGE_STYLES["said"])
        info = {k: data[k] for k in ("type", "kind", "score", "count", "evidence") if k in data}
        net.add_edge(
            u,
            v,
            color=style["color"],
            width=style["width"],
            dashes=style["style"] != "solid",
            arrows="to",
            title="\n".join(f"{k}: {value}" for k, value in info.items()),
            smooth={"type": "curvedCW", "roundness": 0.4}
            if data.get("type") == "derived_from"
            else False,
        )
    options = {
        "physics": {"enabled": layout == "force", "stabilization": {"iterations": 300}},
        "interaction": {"hover": True, "tooltipDelay": 120},
        "nodes": {"font": {"size": _FONT, "background": "rgba(255,255,255,0.85)"}},
        "edges": {"arrows": {"to": {"scaleFactor": 0.5}}},
    }
    data = {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": options,
        "attributes": {n: dict(d) for n, d in nodes.items()},
    }
    vis = resources.files("pyvis") / _VIS
    page = _TEMPLATE.format(
        title=html.escape(title),
        legend=_legend_html(),
        n_nodes=sub.number_of_nodes(),
        n_edges=sub.number_of_edges(),
        vis_css=(vis / "vis-network.css").read_text(encoding="utf-8"),
        vis_js=_SCRIPT_END.sub(
            r"<\\/script", (vis / "vis-network.min.js").read_text(encoding="utf-8")
        ),
        data=_script_json(data),
    )
    encoded = page.encode("utf-8")
    return _atomic_write(path, lambda handle: handle.write(encoded))
