"""Tests for quoteprov.io._export: flattening, atomic writes, GraphML and JSON round trips."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from pathlib import Path
from typing import Any

import lxml.etree
import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import quoteprov as qp
from quoteprov._errors import ExportError, InputError
from quoteprov._models import Change, Document, Match
from quoteprov.io import _export as export
from quoteprov.io._export import (
    flatten,
    graph_summary,
    graph_to_dict,
    graphml_safe,
    read_graphml,
    scalar,
    write_graphml,
    write_json,
)

FORBIDDEN = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1f", "\ud800", "\udfff"]
FORBIDDEN += ["\ufffe", "\uffff"]


def xml_forbidden(ch: str) -> bool:
    code = ord(ch)
    return (
        (code < 0x20 and ch not in "\t\n\r") or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF)
    )


def clean(text: str) -> str:
    """The documented replacement: characters XML 1.0 cannot carry become U+FFFD."""
    return "".join("\ufffd" if xml_forbidden(ch) else ch for ch in text)


class Unprintable:
    def __str__(self) -> str:
        raise RuntimeError("no text for you")


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- scalar -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("text", "text"),
        (0, 0),
        (-(2**60), -(2**60)),
        (2.5, 2.5),
        (float("nan"), "NaN"),
        (float("inf"), "Infinity"),
        (float("-inf"), "-Infinity"),
        (dt.date(2021, 7, 16), "2021-07-16"),
        (dt.datetime(2021, 7, 16, 9, 30, tzinfo=dt.timezone.utc), "2021-07-16T09:30:00+00:00"),
        ([1, "a", None], '[1,"a",null]'),
        ((1, 2), "[1,2]"),
        (
            {"b": 1, "a": {"d": [], "c": dt.date(2020, 1, 2)}},
            '{"a":{"c":"2020-01-02","d":[]},"b":1}',
        ),
        ({3, 1, 2}, "[1,2,3]"),
        (frozenset({"b", "a"}), '["a","b"]'),
        ({1: "x"}, '{"1":"x"}'),
        (["é", "😀"], '["é","😀"]'),
        ([float("nan")], '["NaN"]'),
        (Path("a/b"), "a/b"),
        (np.int64(7), 7),
        (np.float64(0.25), 0.25),
        ("a\x00b\ud800c\uffff", "a\ufffdb\ufffdc\ufffd"),
        ("tab\tnew\nret\r", "tab\tnew\nret\r"),
    ],
)
def test_scalar(value: Any, expected: Any) -> None:
    result = scalar(value)
    assert result == expected
    assert type(result) is type(expected)


def test_scalar_keeps_bools_as_bools() -> None:
    assert scalar(True) is True
    assert scalar(False) is False


def test_scalar_dumps_models_without_none() -> None:
    change = Change(op="substitute", query="smash", found="crush", start=3, end=8)
    match = Match(
        doc_id="a", start=0, end=5, text="Hello", score=97.5, kind="verbatim", changes=(change,)
    )
    data = json.loads(str(scalar(match)))
    assert "speaker" not in data
    assert data["changes"][0]["found"] == "crush"
    assert data["score"] == 97.5


def test_scalar_replaces_forbidden_characters_inside_json() -> None:
    assert scalar(["\ud83d", "\x00"]) == '["\ufffd","\\u0000"]'


def test_scalar_reports_objects_without_text() -> None:
    with pytest.raises(InputError, match="Unprintable"):
        scalar(Unprintable())


# --- flatten ------------------------------------------------------------------------------


def test_flatten_drops_none_and_sorts_keys() -> None:
    flat = flatten({"z": 1, "speaker": None, "a": [1], "when": dt.date(2021, 7, 16)})
    assert flat == {"a": "[1]", "when": "2021-07-16", "z": 1}
    assert list(flat) == ["a", "when", "z"]


def test_flatten_dumps_models_first() -> None:
    doc = Document(id="a", text="Hi.", published="2021-07-16", metadata={"tags": ["x"]})
    assert flatten(doc) == {
        "id": "a",
        "metadata": '{"tags":["x"]}',
        "published": "2021-07-16",
        "text": "Hi.",
    }


def test_flatten_cleans_keys() -> None:
    assert flatten({"a\x00": 1}) == {"a\ufffd": 1}


def test_flatten_refuses_non_string_keys() -> None:
    with pytest.raises(InputError, match="strings"):
        flatten({1: "x"})  # type: ignore[dict-item]


def test_flatten_refuses_keys_that_clash_after_cleaning() -> None:
    with pytest.raises(InputError, match="distinct"):
        flatten({"a\x00": 1, "a\x01": 2})
    assert flatten({"a\x00": 1, "a\x01": None}) == {"a\ufffd": 1}


# --- graphml_safe -------------------------------------------------------------------------


def test_graphml_safe_copies_with_string_ids() -> None:
    g = nx.DiGraph(node_default={"x": 1}, id=5, made=dt.date(2021, 1, 1))
    g.add_node(1, tags=["a"])
    g.add_edge(1, ("doc", "a"), evidence={"dates": True})
    safe = graphml_safe(g)
    assert set(safe) == {"1", "('doc', 'a')"}
    assert safe.graph == {"id": "5", "made": "2021-01-01"}
    assert safe.edges["1", "('doc', 'a')"] == {"evidence": '{"dates":true}'}
    assert g.nodes[1] == {"tags": ["a"]}  # the input is not changed


def test_graphml_safe_refuses_ids_that_clash() -> None:
    g = nx.DiGraph()
    g.add_nodes_from([1, "1"])
    with pytest.raises(InputError, match="distinct"):
        graphml_safe(g)
    g = nx.DiGraph()
    g.add_nodes_from(["x\x00", "x\x01"])
    with pytest.raises(InputError, match="distinct"):
        graphml_safe(g)


def test_graphml_safe_keeps_the_graph_class() -> None:
    for cls in (nx.Graph, nx.DiGraph, nx.MultiGraph, nx.MultiDiGraph):
        assert type(graphml_safe(cls())) is cls


# --- GraphML ------------------------------------------------------------------------------


def test_graphml_round_trip_keeps_types_and_partial_keys(tmp_path: Path) -> None:
    g = nx.DiGraph()
    g.add_node("doc:a", type="document", published=dt.date(2021, 7, 16), title=None)
    g.add_node("quote:1", type="quote", speaker="Díaz-Canel")
    g.add_edge("quote:1", "doc:a", type="occurs_in", is_origin=True, score=97.5, start=0)
    g.add_edge("doc:b", "doc:a", type="derived_from", count=2, is_origin=False)
    back = read_graphml(write_graphml(g, tmp_path / "g.graphml"))
    assert isinstance(back, nx.DiGraph)
    assert back.graph == {}
    assert dict(back.nodes(data=True)) == {
        "doc:a": {"type": "document", "published": "2021-07-16"},
        "quote:1": {"type": "quote", "speaker": "Díaz-Canel"},
        "doc:b": {},
    }
    origin = back.edges["quote:1", "doc:a"]
    assert origin == {"type": "occurs_in", "is_origin": True, "score": 97.5, "start": 0}
    assert origin["is_origin"] is True
    assert back.edges["doc:b", "doc:a"]["is_origin"] is False


def test_graphml_same_key_with_different_types(tmp_path: Path) -> None:
    g = nx.DiGraph()
    g.add_node("a", x=1)
    g.add_node("b", x="1")
    g.add_node("c", x=True)
    g.add_node("d", x=1.0)
    back = read_graphml(write_graphml(g, tmp_path / "g.graphml"))
    for node in g:
        assert back.nodes[node]["x"] == g.nodes[node]["x"]
        assert type(back.nodes[node]["x"]) is type(g.nodes[node]["x"])


def test_graphml_is_valid_xml_with_forbidden_characters(tmp_path: Path) -> None:
    g = nx.DiGraph(note="graph\x00")
    g.add_node("n\x00\ud800", **{"k\x1f": "v\ufffe\x0b"})
    g.add_edge("n\x00\ud800", "m\uffff", w="\x08")
    path = write_graphml(g, tmp_path / "g.graphml")
    lxml.etree.parse(str(path))
    back = read_graphml(path)
    assert back.graph == {"note": "graph\ufffd"}
    assert back.nodes["n\ufffd\ufffd"] == {"k\ufffd": "v\ufffd\ufffd"}
    assert back.edges["n\ufffd\ufffd", "m\ufffd"] == {"w": "\ufffd"}


def test_graphml_is_deterministic(tmp_path: Path) -> None:
    a = nx.DiGraph(b=1, a=2)
    a.add_node("x", p=1, q="s")
    a.add_node("y", r=True)
    a.add_edge("x", "y", w=1.5, t="e")
    a.add_edge("y", "z")
    b = nx.DiGraph(a=2, b=1)
    b.add_edge("y", "z")
    b.add_node("y", r=True)
    b.add_edge("x", "y", t="e", w=1.5)
    b.add_node("x", q="s", p=1)
    one = write_graphml(a, tmp_path / "a.graphml").read_bytes()
    assert one == write_graphml(a, tmp_path / "a2.graphml").read_bytes()
    assert one == write_graphml(b, tmp_path / "b.graphml").read_bytes()


@pytest.mark.parametrize("cls", [nx.Graph, nx.MultiGraph, nx.MultiDiGraph])
def test_graphml_is_deterministic_for_other_classes(
    cls: type[nx.Graph[Any]], tmp_path: Path
) -> None:
    edges = [("a", "b", {"w": 1}), ("c", "a", {"w": 2})]
    a, b = cls(), cls()
    a.add_edges_from(edges)
    directed = a.is_directed()
    b.add_edges_from((u, v, d) if directed else (v, u, d) for u, v, d in reversed(edges))
    one = write_graphml(a, tmp_path / "a").read_bytes()
    assert one == write_graphml(b, tmp_path / "b").read_bytes()


def test_read_graphml_multidigraph(tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    g.add_edge("a", "b", w=1)
    g.add_edge("a", "b", w=2)
    back = read_graphml(write_graphml(g, tmp_path / "g.graphml"))
    assert isinstance(back, nx.MultiDiGraph)
    assert sorted(d["w"] for _, _, d in back.edges(data=True)) == [1, 2]


# --- atomic writes and errors -------------------------------------------------------------


def test_failed_flatten_leaves_old_file(tmp_path: Path) -> None:
    path = tmp_path / "g.graphml"
    path.write_text("old")
    g = nx.DiGraph()
    g.add_node("a", bad=Unprintable())
    with pytest.raises(InputError):
        write_graphml(g, path)
    assert path.read_text() == "old"
    assert listing(tmp_path) == ["g.graphml"]


@pytest.mark.parametrize("error", [RuntimeError("disk on fire"), OSError(28, "No space left")])
def test_failure_midway_leaves_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    path = tmp_path / "g.graphml"
    path.write_text("old")

    def half_write(graph: nx.Graph[Any], handle: Any) -> None:
        handle.write(b"<?xml version='1.0'?><graphml>")
        raise error

    monkeypatch.setattr(nx, "write_graphml", half_write)
    with pytest.raises(ExportError, match=r"g\.graphml") as info:
        write_graphml(nx.DiGraph([("a", "b")]), path)
    assert info.value.__cause__ is error
    assert path.read_text() == "old"
    assert listing(tmp_path) == ["g.graphml"]


def test_interrupt_midway_removes_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(graph: nx.Graph[Any], handle: Any) -> None:
        handle.write(b"<")
        raise KeyboardInterrupt

    monkeypatch.setattr(nx, "write_graphml", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_graphml(nx.DiGraph(), tmp_path / "g.graphml")
    assert listing(tmp_path) == []


def test_missing_folder(tmp_path: Path) -> None:
    path = tmp_path / "nope" / "g.graphml"
    with pytest.raises(ExportError, match=r"nope.*does not exist; create it"):
        write_graphml(nx.DiGraph(), path)
    with pytest.raises(ExportError, match="does not exist"):
        write_json({}, path.with_suffix(".json"))


def test_target_is_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="is a folder"):
        write_graphml(nx.DiGraph(), tmp_path)
    assert tmp_path.is_dir()
    assert listing(tmp_path) == []


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(export, "open", refuse, raising=False)  # root ignores chmod
    with pytest.raises(ExportError, match="permission denied; choose a location"):
        write_graphml(nx.DiGraph(), tmp_path / "g.graphml")
    assert listing(tmp_path) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_replacing_keeps_permissions(tmp_path: Path) -> None:
    path = tmp_path / "g.graphml"
    path.write_text("old")
    path.chmod(0o640)
    write_graphml(nx.DiGraph(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symlinks")
@pytest.mark.parametrize("write", [write_graphml, write_json])
def test_a_symlink_is_written_through(tmp_path: Path, write: Any) -> None:
    # regression: the rename replaced the link itself with a regular file
    real = tmp_path / "data" / "real.out"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "link.out"
    link.symlink_to(real)
    assert write(nx.DiGraph([("a", "b")]) if write is write_graphml else {"a": 1}, link) == link
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() != "old" and link.read_text() == real.read_text()
    assert listing(tmp_path) == ["data", "link.out"] and listing(real.parent) == ["real.out"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symlinks")
def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.graphml"
    link.symlink_to(tmp_path / "new.graphml")
    write_graphml(nx.DiGraph([("a", "b")]), link)
    assert link.is_symlink() and read_graphml(tmp_path / "new.graphml").has_edge("a", "b")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
@pytest.mark.parametrize("through_a_link", [False, True])
def test_a_fifo_is_refused_not_replaced(tmp_path: Path, through_a_link: bool) -> None:
    # regression: `-o /dev/null` (as root) replaced the device with a regular file; a FIFO
    # stands in for it here, real /dev files are never touched
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    path = tmp_path / "link" if through_a_link else fifo
    if through_a_link:
        path.symlink_to(fifo)
    with pytest.raises(ExportError, match="is a FIFO, not a regular file") as info:
        write_graphml(nx.DiGraph(), path)
    assert str(path) in str(info.value) and ("a link to" in str(info.value)) == through_a_link
    with pytest.raises(ExportError, match="not a regular file"):
        write_json({}, path)
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and path.is_symlink() == through_a_link
    assert listing(tmp_path) == sorted(["pipe", *(["link"] if through_a_link else [])])


def test_write_returns_a_path(tmp_path: Path) -> None:
    assert write_graphml(nx.DiGraph(), str(tmp_path / "g")) == tmp_path / "g"
    assert write_json({}, str(tmp_path / "j")) == tmp_path / "j"


def test_read_graphml_errors(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="cannot read"):
        read_graphml(tmp_path / "missing.graphml")
    (tmp_path / "bad.graphml").write_text("<graphml><node")
    with pytest.raises(ExportError, match="cannot read"):
        read_graphml(tmp_path / "bad.graphml")
    (tmp_path / "none.graphml").write_text("<x/>")
    with pytest.raises(ExportError, match="cannot read"):
        read_graphml(tmp_path / "none.graphml")
    nx.write_graphml(nx.Graph([("a", "b")]), tmp_path / "undirected.graphml")
    with pytest.raises(ExportError, match="undirected"):
        read_graphml(tmp_path / "undirected.graphml")


# --- JSON ---------------------------------------------------------------------------------


def sample_graph() -> nx.DiGraph[str]:
    g = nx.DiGraph(built=dt.date(2024, 1, 1))
    g.add_node("quote:1", type="quote", text="We are confident\x00", speaker=None)
    g.add_node("doc:a", type="document", published=dt.datetime(2021, 7, 16, 9, 30))
    g.add_edge("quote:1", "doc:a", type="occurs_in", score=float("nan"), is_origin=True)
    g.add_edge("doc:b", "doc:a", type="derived_from", evidence=["dates", "containment"])
    return g


def test_graph_to_dict() -> None:
    data = graph_to_dict(sample_graph())
    assert data["directed"] is True
    assert data["multigraph"] is False
    assert data["graph"] == {"built": "2024-01-01"}
    assert data["nodes"] == [
        {"id": "doc:a", "published": "2021-07-16T09:30:00", "type": "document"},
        {"id": "doc:b"},
        {"id": "quote:1", "text": "We are confident\ufffd", "type": "quote"},
    ]
    assert data["edges"] == [
        {
            "source": "doc:b",
            "target": "doc:a",
            "evidence": '["dates","containment"]',
            "type": "derived_from",
        },
        {
            "source": "quote:1",
            "target": "doc:a",
            "is_origin": True,
            "score": "NaN",
            "type": "occurs_in",
        },
    ]


def test_graph_to_dict_multigraph_and_undirected() -> None:
    g = nx.MultiGraph()
    g.add_edge("b", "a", key="k2", w=2)
    g.add_edge("a", "b", key="k1", w=1)
    assert graph_to_dict(g)["edges"] == [
        {"source": "a", "target": "b", "key": "k1", "w": 1},
        {"source": "a", "target": "b", "key": "k2", "w": 2},
    ]


@pytest.mark.parametrize(("node", "edge"), [({"id": "x"}, {}), ({}, {"source": "x"})])
def test_graph_to_dict_refuses_reserved_names(node: dict[str, Any], edge: dict[str, Any]) -> None:
    g = nx.DiGraph()
    g.add_node("a", **node)
    g.add_edge("a", "b", **edge)
    with pytest.raises(InputError, match="reserves"):
        graph_to_dict(g)


def test_write_json_round_trip(tmp_path: Path) -> None:
    data = graph_to_dict(sample_graph())
    path = write_json(data, tmp_path / "g.json")
    with path.open(encoding="utf-8") as handle:
        assert json.load(handle) == data
    text = path.read_text("utf-8")
    assert text.endswith("}\n")
    assert '\n  "directed": true' in text  # indent=2, sorted keys
    assert write_json(data, tmp_path / "again.json").read_bytes() == path.read_bytes()


def test_write_json_converts_what_json_cannot_carry(tmp_path: Path) -> None:
    path = write_json(
        {"when": dt.date(2021, 7, 16), "s": {2, 1}, "x": float("-inf"), "t": "a\ud800\x00é"},
        tmp_path / "j.json",
    )
    assert json.loads(path.read_bytes()) == {
        "when": "2021-07-16",
        "s": [1, 2],
        "x": "-Infinity",
        "t": "a\ufffd\x00é",
    }
    assert "é" in path.read_text("utf-8")  # ensure_ascii=False


def test_write_json_failure_leaves_old_file(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    path.write_text("old")
    with pytest.raises(InputError):
        write_json({"a": [Unprintable()]}, path)
    assert path.read_text() == "old"
    assert listing(tmp_path) == ["g.json"]


# --- property: any DiGraph survives GraphML -----------------------------------------------

CHARS = st.one_of(
    st.characters(codec=None, exclude_categories=()),  # every code point, surrogates too
    st.sampled_from([*FORBIDDEN, "\t", "\n", "\r", " ", "&", "<", ">", "]", "😀", "\u0085"]),
)
TEXT = st.text(CHARS, max_size=8)
NAMES = st.one_of(TEXT, st.sampled_from(["id", "key", "type", "source", "target", "name"]))
VALUES = st.one_of(
    TEXT,
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
)
ATTRS = st.lists(st.tuples(NAMES, VALUES), max_size=4, unique_by=lambda kv: clean(kv[0])).map(dict)
GRAPH_NAMES = NAMES.filter(lambda name: name not in ("id", "node_default", "edge_default"))
GRAPH_ATTRS = st.lists(
    st.tuples(GRAPH_NAMES, VALUES), max_size=3, unique_by=lambda kv: clean(kv[0])
).map(dict)


@st.composite
def digraphs(draw: st.DrawFn) -> tuple[dict[str, Any], list[Any], list[Any]]:
    ids = draw(st.lists(TEXT, max_size=8, unique_by=clean))
    nodes = [(node, draw(ATTRS)) for node in ids]
    pairs = st.tuples(st.sampled_from(ids), st.sampled_from(ids))
    ends = draw(st.lists(pairs, max_size=12, unique=True)) if ids else []
    edges = [(u, v, draw(ATTRS)) for u, v in ends]
    return draw(GRAPH_ATTRS), nodes, edges


def expected(value: Any) -> Any:
    return clean(value) if isinstance(value, str) else value


def same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a == b and all(type(a[k]) is type(b[k]) for k in a)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(digraphs())
def test_any_digraph_round_trips(
    tmp_path_factory: pytest.TempPathFactory, spec: tuple[dict[str, Any], list[Any], list[Any]]
) -> None:
    graph_attrs, nodes, edges = spec
    folder = tmp_path_factory.mktemp("prop")
    g = nx.DiGraph(**graph_attrs)
    g.add_nodes_from(nodes)
    g.add_edges_from(edges)
    path = write_graphml(g, folder / "g.graphml")

    lxml.etree.parse(str(path))  # strict parser: raises on anything XML 1.0 forbids
    back = read_graphml(path)
    assert same(back.graph, {clean(k): expected(v) for k, v in graph_attrs.items()})
    assert set(back) == {clean(node) for node, _ in nodes}
    for node, attrs in nodes:
        assert same(back.nodes[clean(node)], {clean(k): expected(v) for k, v in attrs.items()})
    assert set(back.edges) == {(clean(u), clean(v)) for u, v, _ in edges}
    for source, target, attrs in edges:
        assert same(
            back.edges[clean(source), clean(target)],
            {clean(k): expected(v) for k, v in attrs.items()},
        )

    # the same content built in another order gives the same bytes
    h = nx.DiGraph(**dict(reversed(graph_attrs.items())))
    h.add_edges_from((u, v, dict(reversed(a.items()))) for u, v, a in reversed(edges))
    h.add_nodes_from((n, dict(reversed(a.items()))) for n, a in reversed(nodes))
    assert write_graphml(h, folder / "h.graphml").read_bytes() == path.read_bytes()


def test_each_graphml_attribute_name_has_one_type(tmp_path: Path) -> None:
    # igraph refuses a file declaring one name twice (occurs_in's bool `quoted` beside a
    # count on derived_from), and Gephi and Cytoscape key their columns by name
    import quoteprov as qp

    seeds = qp.Corpus.seeds()
    graph = qp.build_graph(seeds)
    assert {d["type"] for _, _, d in graph.edges(data=True)} >= {"occurs_in", "derived_from"}
    path = export.write_graphml(graph, tmp_path / "g.graphml")
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    keys = [(k.get("for"), k.get("attr.name")) for k in lxml.etree.parse(path).iter(ns + "key")]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)


def test_one_shared_family_is_one_family_in_the_summary() -> None:
    docs = [
        {"id": "wire", "text": '"We will rebuild every bridge by spring," she said.'},
        {"id": "blog", "text": 'She said: "We will rebuild every bridge by spring."'},
    ]
    data, text = graph_summary(qp.build_graph(docs))
    assert "Origins found: the shared family originates in 1 document: " in text
    assert "the 1 " not in text
    assert data["families_in_several_documents"] == 1 and "output" not in data
