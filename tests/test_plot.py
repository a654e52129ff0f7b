"""Pictures and the interactive page, rendered to files and checked: real images, the right
marks in them, a self-contained page whose graph a real browser draws."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.image as mpimg
import matplotlib.pyplot as plt
import numpy as np
import pytest
from conftest import ARTICLE, OUTLET, REWRITE, STATEMENT
from matplotlib.axes import Axes
from matplotlib.patches import ConnectionPatch

import quoteprov as qp
from quoteprov.view._display import KIND_COLORS
from quoteprov.view._plot import NODE_STYLES

GOLD = "#e69f00"
RED = "#d55e00"  # vermillion


def _rgb(color: str) -> np.ndarray:
    return np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)]) / 255.0


def _pixels(image: np.ndarray, color: str, tolerance: float = 0.05) -> int:
    """How many pixels of ``image`` (RGB or RGBA floats) are ``color``."""
    return int((np.abs(image[..., :3] - _rgb(color)).max(axis=-1) <= tolerance).sum())


def _save(ax: Axes, path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Save the figure at its own dpi; return the image and the axes' part of it."""
    fig = ax.figure
    fig.savefig(path, dpi=fig.dpi)
    image = mpimg.imread(path)
    width, height = fig.get_size_inches() * fig.dpi
    assert image.shape[:2] == (round(height), round(width))
    box = ax.get_window_extent()
    inside = image[
        int(height - box.y1) : int(height - box.y0), int(box.x0) : int(box.x1)
    ]  # pixel rows run top-down
    plt.close(fig)
    return image, inside


@pytest.fixture(scope="module")
def graph(seeds: qp.Corpus) -> qp.ProvenanceGraph:
    return qp.build_graph(seeds)


def test_timeline_of_the_seeds(seeds: qp.Corpus, rendered: Path) -> None:
    trace = qp.trace_quote(STATEMENT[3], seeds)
    ax = trace.plot_timeline()
    (band,) = ax.child_axes  # the undated occurrences' own band, left of the time axis
    rows = [t.get_text() for t in band.get_yticklabels()]  # labelled left of the band
    # the origin's row first, then the copies (dated first); outlet, else title, else id
    assert rows == ["Newsweek", "North Korea claims that Cuba, a…", OUTLET]
    assert [t.get_text() for t in ax.get_yticklabels()] == []
    assert "undated" not in [t.get_text() for t in ax.get_xticklabels()]  # not a date
    assert [t.get_text() for t in band.get_xticklabels()] == ["undated"]
    assert band.get_position().x1 <= ax.get_position().x0
    on_time = np.concatenate([c.get_offsets() for c in ax.collections])
    undated = np.concatenate([c.get_offsets() for c in band.collections])
    assert len(on_time) == 1 and len(undated) == len(trace.matches)  # + the origin's star
    title = ax.get_title(loc="left")
    assert title.endswith("3 documents, 1 named outlet") and "3 outlets" not in title
    links = [a for a in ax.figure.artists if isinstance(a, ConnectionPatch)]
    assert len(links) == len(trace.matches) - 1  # each copy → the origin
    image, inside = _save(ax, rendered / "timeline_seeds.png")
    assert image.std() > 0.05
    assert _pixels(image, KIND_COLORS["verbatim"]) > 20  # in the undated band
    assert _pixels(inside, KIND_COLORS["paraphrase"]) > 20  # on the time axis
    assert _pixels(image, GOLD) > 30  # the origin's star


def test_timeline_of_dated_occurrences(rendered: Path) -> None:
    docs = [
        {"id": f"d{n}", "text": f'"We will rebuild every bridge by spring," {who} said.',
         "source": outlet, "published": f"2024-03-{day:02d}"}
        for n, (who, outlet, day) in enumerate(
            [("she", "Wire", 1), ("the mayor", "Post", 3), ("she", "Post", 3), ("she", "Blog", 9)]
        )
    ]  # fmt: skip
    trace = qp.trace_quote("We will rebuild every bridge by spring", docs)
    _fig, ax = plt.subplots(figsize=(8, 3), dpi=100)
    assert trace.plot_timeline(ax=ax) is ax
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Wire", "Post", "Blog"]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "2024-03-01" and "undated" not in labels
    offsets = np.concatenate([c.get_offsets() for c in ax.collections])
    post = offsets[np.isclose(offsets[:, 1], 1, atol=0.3)]
    assert len(post) == 2 and post[0, 1] != post[1, 1]  # two on one day and row: side by side
    _, inside = _save(ax, rendered / "timeline_dated.png")
    assert _pixels(inside, GOLD) > 30


def test_graph_picture_of_the_seeds(graph: qp.ProvenanceGraph, rendered: Path) -> None:
    ax = qp.plot_graph(graph)
    texts = {t.get_text() for t in ax.texts}
    assert {"Newsweek", "Havana Times", "Minju Joson", "Maria Zakharova"} <= texts
    assert "the statement" not in texts  # a description names no one: no speaker node
    families = sum(1 for _, d in graph.nodes(data=True) if d["type"] == "quote")
    assert "documents (5)" in texts and f"quotation families ({families})" in texts
    assert len(ax.patches) == graph.number_of_edges()
    counts = sorted(len(c.get_offsets()) for c in ax.collections)
    assert counts == sorted(Counter(d["type"] for _, d in graph.nodes(data=True)).values())
    _image, inside = _save(ax, rendered / "graph_seeds.png")
    for style in NODE_STYLES.values():
        assert _pixels(inside, style["color"]) > 100
    assert _pixels(inside, RED) > 50  # the rewrite's derived_from arc


def test_graph_picture_of_shared_families(graph: qp.ProvenanceGraph, rendered: Path) -> None:
    ax = qp.plot_graph(graph, min_documents=2)
    texts = {t.get_text() for t in ax.texts}
    assert "quotation families (6)" in texts and "documents (5)" in texts
    assert any(t.startswith("“We are confident that Cuba") and "(3 docs)" in t for t in texts)
    _, inside = _save(ax, rendered / "graph_seeds_shared.png")
    assert _pixels(inside, GOLD) > 100  # origin occurrences and origin documents


# -- the interactive page -----------------------------------------------------------------------

_EXTERNAL = re.compile(
    r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//"
)


def _page_data(page: str) -> dict[str, object]:
    found = re.search(r"const DATA = (\{.*?\});\n", page)
    assert found is not None
    data: dict[str, object] = json.loads(found.group(1))
    return data


def test_html_page_is_self_contained(graph: qp.ProvenanceGraph, rendered: Path) -> None:
    path = qp.to_html(graph, rendered / "graph_seeds.html")
    page = path.read_text(encoding="utf-8")
    assert not _EXTERNAL.search(page)
    assert "vis.Network" in page and len(page) > 400_000  # vis-network itself is inlined
    data = _page_data(page)
    nodes = data["nodes"]
    assert isinstance(nodes, list)
    assert {n["id"] for n in nodes} == set(graph.nodes)
    edges = data["edges"]
    assert isinstance(edges, list) and len(edges) == graph.number_of_edges()
    derived = [e for e in edges if e["color"] == RED]
    assert [(e["from"], e["to"]) for e in derived] == [(f"doc:{REWRITE}", f"doc:{ARTICLE}")]


def test_html_page_escapes_document_text(tmp_path: Path) -> None:
    evil = "</script><script>alert(1)</script>"
    docs = [{"id": "a", "title": evil, "text": f'"We will rebuild every bridge," {evil} said.'}]
    page = qp.to_html(qp.build_graph(docs), tmp_path / "evil.html", title=evil)
    text = page.read_text(encoding="utf-8")
    assert "alert(1)</script>" not in text and "<script>alert" not in text
    assert "&lt;/script&gt;" in text  # the title, escaped for HTML
    assert evil in json.dumps(_page_data(text))  # the data still holds the text as text


def test_missing_optional_packages_say_what_to_install(
    graph: qp.ProvenanceGraph, seeds: qp.Corpus, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    monkeypatch.setitem(sys.modules, "pyvis.network", None)
    trace = qp.trace_quote(STATEMENT[3], seeds)
    calls = [trace.plot_timeline, lambda: qp.plot_graph(graph)]
    calls.append(lambda: qp.to_html(graph, tmp_path / "g.html"))
    for call in calls:
        with pytest.raises(qp.MissingDependencyError, match=r"quoteprov\[notebook\]"):
            call()


# -- in a real browser ----------------------------------------------------------------------------

CHROMIUM = next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)


def _chromium(tmp_path: Path, *args: str) -> str:
    """Run headless Chromium with every network lookup failing; return its stdout."""
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--host-resolver-rules=MAP * ~NOTFOUND",  # a page that needs the network breaks
        f"--user-data-dir={tmp_path / 'profile'}",
        "--virtual-time-budget=10000",
        *args,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (.ci/run installs it)")
def test_browser_draws_the_graph(
    graph: qp.ProvenanceGraph, seeds: qp.Corpus, rendered: Path, tmp_path: Path
) -> None:
    page = qp.to_html(graph, rendered / "graph_seeds_browser.html")
    for width, height in ((1280, 800), (1920, 1080)):
        dom = _chromium(tmp_path, f"--window-size={width},{height}", "--dump-dom", page.as_uri())
        found = re.search(r'<div id="qp-status"[^>]*>', dom)
        assert found is not None
        status = {k: html.unescape(v) for k, v in re.findall(r'data-([\w-]+)="([^"]*)"', found[0])}
        assert int(status["drawn"]) == graph.number_of_nodes()
        # the page's viewport: the window less the headless browser's own bars
        view_w, view_h = json.loads(status["viewport"])
        assert view_w == width and 0.75 * height < view_h <= height
        left, top, right, bottom = json.loads(status["canvas"])
        boxes = json.loads(status["boxes"])
        assert set(boxes) == set(graph.nodes)
        for node, (x0, y0, x1, y1) in boxes.items():  # every node and its label, in view
            assert left <= x0 < x1 <= right and top <= y0 < y1 <= bottom, (width, node)
            assert x0 >= 0 and x1 <= view_w and y0 >= 0 and y1 <= view_h
        assert float(status["font-px"]) >= 12.0  # labels drawn big enough to read
        if width == 1280:
            canvas_box = (left, top, right)

    shot = rendered / "graph_seeds_browser.png"  # looked at by eye once (see the PR note)
    _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,800", page.as_uri())
    image = mpimg.imread(shot)
    assert image.shape[:2] == (800, 1280)
    left, top, right = canvas_box
    canvas = image[top + 2 : 790, left : right - 2]  # below the legend, left of the panel
    for style in NODE_STYLES.values():
        assert _pixels(canvas, style["color"], 0.03) > 40, style
    assert _pixels(canvas, RED, 0.05) > 20
    edge = np.concatenate([canvas[:, :6], canvas[:, -6:]], axis=1)  # nothing drawn at the sides
    assert _pixels(edge, "#ffffff", 0.02) == edge.shape[0] * edge.shape[1]

    # the notebook HTML of a trace, a corpus and the graph, as a browser shows them
    trace = qp.trace_quote(STATEMENT[3], seeds)
    reprs = rendered / "reprs_seeds.html"
    body = trace._repr_html_() + seeds._repr_html_() + graph._repr_html_()
    reprs.write_text(f"<!DOCTYPE html><meta charset='utf-8'><body>{body}</body>", "utf-8")
    shot = rendered / "reprs_seeds_browser.png"
    _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,1400", reprs.as_uri())
    image = mpimg.imread(shot)
    assert _pixels(image, "#fff8e1", 0.01) > 5000  # the origin row's background
    assert _pixels(image, "#fff0a8", 0.01) > 500  # substituted words
    assert _pixels(image, "#f6caca", 0.01) > 500  # deleted words
