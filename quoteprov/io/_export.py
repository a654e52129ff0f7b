"""Write provenance graphs as GraphML and JSON: the pipeline's last stage.

Every node, edge and graph attribute goes through one rule, :func:`flatten`, so what
leaves this module is always a GraphML-safe scalar (``str``, ``int``, ``float``, ``bool``):

- ``None`` is dropped; dates and datetimes become ISO strings; lists, tuples, sets,
  dicts and pydantic models become compact JSON strings with sorted keys.
- Non-finite floats become the strings ``"NaN"``, ``"Infinity"`` and ``"-Infinity"``:
  GraphML readers in other languages and strict JSON have no common spelling for them,
  and Python's ``float()`` reads these strings back.
- Characters XML 1.0 cannot carry (NUL and the other C0 controls except tab, line feed
  and carriage return, lone surrogates U+D800–U+DFFF, U+FFFE, U+FFFF) are replaced with
  U+FFFD in values, attribute names and node ids.  The replacement is reproducible and
  loses only those characters; node ids or attribute names that it (or ``str()`` of a
  non-string id) would make equal are refused with :class:`~quoteprov.InputError`
  rather than silently merged.
- Output is deterministic: :func:`graphml_safe` rebuilds the graph with nodes sorted by
  id, edges by (source, target[, key]) and attributes by name, so two graphs with the
  same content give byte-identical files whatever order they were built in.
- Files are written atomically (a temporary file beside the target, then
  :func:`os.replace`): a failed write leaves the old file as it was.  A symlink is
  written through (its target is replaced, the link stays); a device, FIFO or socket is
  refused rather than replaced with a regular file.

GraphML is written by networkx, which uses lxml when it is installed.  Without lxml,
networkx falls back to the standard library writer, which writes carriage returns in
text raw, so they read back as line feeds.  The graph attributes ``node_default`` and
``edge_default`` are networkx's key defaults, not data, and are dropped; a graph
attribute ``id`` becomes the GraphML ``<graph id>``, which networkx does not read back.

>>> import networkx as nx, tempfile, pathlib
>>> g = nx.DiGraph()
>>> g.add_edge("doc:b", "doc:a", type="derived_from", evidence=["dates"], count=2)
>>> path = pathlib.Path(tempfile.mkdtemp()) / "provenance.graphml"
>>> back = read_graphml(write_graphml(g, path))
>>> back.edges["doc:b", "doc:a"]
{'count': 2, 'evidence': '["dates"]', 'type': 'derived_from'}
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import numbers
import os
import re
import secrets
import shutil
import stat
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any

import networkx as nx
from pydantic import BaseModel

from .._errors import ExportError, InputError
from .._models import OriginBasis
from ..provenance._graph import ProvenanceGraph

__all__ = [
    "GRAPH_FORMATS",
    "check_graph_path",
    "flatten",
    "graph_summary",
    "graph_to_dict",
    "graphml_safe",
    "read_graphml",
    "scalar",
    "write_graph",
    "write_graphml",
    "write_json",
]

Scalar = str | int | float | bool

_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NETWORKX_DEFAULTS = ("node_default", "edge_default")


def _clean(text: str) -> str:
    return _FORBIDDEN.sub("\ufffd", text)


def _text(value: object) -> str:
    return _clean(value if isinstance(value, str) else str(value))


def _finite(value: float) -> float | str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def _jsonable(value: Any) -> Any:
    """``value`` as plain JSON data (dict, list, str, int, float, bool, None)."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return _finite(float(value))
    if isinstance(value, dt.date):  # datetimes too
        return value.isoformat()
    if isinstance(value, BaseModel):
        return _jsonable(value.model_dump(mode="json", exclude_none=True))
    if isinstance(value, Mapping):
        return {k if isinstance(k, str) else str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_jsonable(v) for v in value), key=_dumps)
    try:
        return str(value)
    except Exception as exc:
        raise InputError(
            f"cannot write a {type(value).__name__} value as text ({exc}); "
            "convert it to a str, number or bool first"
        ) from exc


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def scalar(value: Any) -> Scalar | None:
    """Turn one attribute value into a GraphML-safe scalar.

    Parameters
    ----------
    value : Any
        An attribute value of any type.

    Returns
    -------
    str or int or float or bool or None
        ``None`` for ``None`` (callers drop it); bools, ints and finite floats unchanged;
        ``"NaN"``, ``"Infinity"`` or ``"-Infinity"`` for non-finite floats; ISO text for
        dates and datetimes; compact JSON with sorted keys for lists, tuples, sets, dicts
        and pydantic models (``model_dump(mode="json", exclude_none=True)``); ``str()``
        of anything else.  Characters XML 1.0 cannot carry become U+FFFD.

    Raises
    ------
    InputError
        When ``str()`` of an unknown object fails.

    Examples
    --------
    >>> import datetime as dt
    >>> scalar(dt.date(2021, 7, 16)), scalar(3), scalar(True), scalar(float("inf"))
    ('2021-07-16', 3, True, 'Infinity')
    >>> scalar({"b": [1, 2], "a": None}), scalar({"z", "y"})
    ('{"a":null,"b":[1,2]}', '["y","z"]')
    >>> scalar("nul\\x00here")
    'nul\\ufffdhere'
    """
    plain = _jsonable(value)
    if plain is None or isinstance(plain, (bool, int, float)):
        return plain
    return _clean(plain if isinstance(plain, str) else _dumps(plain))


def flatten(attrs: Mapping[str, Any] | BaseModel) -> dict[str, Scalar]:
    """Turn a node's, edge's or graph's attributes into GraphML-safe scalars.

    Parameters
    ----------
    attrs : Mapping[str, Any] or pydantic.BaseModel
        The attributes; a model is dumped with
        ``model_dump(mode="json", exclude_none=True)`` first.

    Returns
    -------
    dict[str, str | int | float | bool]
        Keys sorted, ``None`` values dropped, every value through ``scalar()``.

    Raises
    ------
    InputError
        When a key is not a string, or two keys are equal once the characters XML
        cannot carry are replaced.

    Examples
    --------
    >>> from quoteprov._models import Span
    >>> flatten({"speaker": None, "score": 97.5, "aliases": ("Díaz-Canel", "Miguel")})
    {'aliases': '["Díaz-Canel","Miguel"]', 'score': 97.5}
    >>> flatten(Span(start=0, end=5, text="Hello"))
    {'end': 5, 'start': 0, 'text': 'Hello'}
    """
    if isinstance(attrs, BaseModel):
        attrs = attrs.model_dump(mode="json", exclude_none=True)
    bad = [key for key in attrs if not isinstance(key, str)]
    if bad:
        raise InputError(f"attribute names must be strings, not {bad!r}; rename them")
    kept = {key: plain for key, value in attrs.items() if (plain := scalar(value)) is not None}
    names = _unique_text(kept, "attribute names")
    return dict(sorted((names[key], plain) for key, plain in kept.items()))


def _unique_text(originals: Iterable[Hashable], what: str) -> dict[Hashable, str]:
    """Map each original to its text, refusing two originals that share one."""
    texts: dict[Hashable, str] = {}
    seen: dict[str, Hashable] = {}
    for original in originals:
        text = _text(original)
        if text in seen:
            raise InputError(
                f"{what} {seen[text]!r} and {original!r} would both be written as {text!r} "
                "(str() of non-string ids; characters XML cannot carry become U+FFFD); "
                "make them distinct"
            )
        seen[text] = original
        texts[original] = text
    return texts


_Edge = tuple[str, str, str | None, Mapping[str, Any]]


def _sorted_edges(graph: nx.Graph[Any], ids: Mapping[Hashable, str]) -> list[_Edge]:
    """Edges as (source id, target id, key or None, data), sorted.

    Undirected edges are named with the smaller id first so that the order the graph
    was built in cannot change the output.
    """
    if isinstance(graph, nx.MultiGraph):
        raw: Iterable[tuple[Any, Any, Any, Mapping[str, Any]]] = graph.edges(keys=True, data=True)
    else:
        raw = ((u, v, None, data) for u, v, data in graph.edges(data=True))
    edges = []
    for u, v, key, data in raw:
        source, target = ids[u], ids[v]
        if not graph.is_directed() and target < source:
            source, target = target, source
        edges.append((source, target, None if key is None else _text(key), data))
    return sorted(edges, key=lambda edge: (edge[0], edge[1], edge[2] or ""))


def graphml_safe(graph: nx.Graph[Any]) -> nx.Graph[str]:
    """Return a copy of ``graph`` that any GraphML writer accepts.

    Parameters
    ----------
    graph : networkx.Graph
        Any networkx graph (directed or not, multigraph or not).

    Returns
    -------
    networkx.Graph
        A graph of the same class with string node ids, every attribute flattened
        with :func:`flatten`, nodes added in id order and edges in (source, target,
        key) order.

    Raises
    ------
    InputError
        When two node ids are equal once written as text.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph(name="demo")
    >>> g.add_node(2, tags={"b", "a"}, note=None)
    >>> g.add_edge(2, "doc:a", score=97.5)
    >>> safe = graphml_safe(g)
    >>> list(safe.nodes(data=True)), safe.graph
    ([('2', {'tags': '["a","b"]'}), ('doc:a', {})], {'name': 'demo'})
    """
    ids = _unique_text(graph, "node ids")
    safe: nx.Graph[str] = graph.__class__()
    safe.graph.update(
        flatten({k: v for k, v in graph.graph.items() if k not in _NETWORKX_DEFAULTS})
    )
    if "id" in safe.graph:  # networkx writes it as the <graph id> XML attribute
        safe.graph["id"] = str(safe.graph["id"])
    safe.add_nodes_from(sorted((ids[node], flatten(data)) for node, data in graph.nodes(data=True)))
    for source, target, key, data in _sorted_edges(graph, ids):
        if isinstance(safe, nx.MultiGraph):
            safe.add_edge(source, target, key, **flatten(data))
        else:
            safe.add_edge(source, target, **flatten(data))
    if safe.number_of_edges() < graph.number_of_edges():
        raise InputError("two parallel edges have keys that are equal once written as text")
    return safe


def _write_error(path: Path, target: Path, exc: Exception) -> ExportError:
    if not target.parent.is_dir():
        why = f"the folder {target.parent} does not exist; create it first"
    elif target.is_dir():
        why = "it is a folder; give a file name"
    elif isinstance(exc, PermissionError):
        why = "permission denied; choose a location you can write to"
    else:
        why = f"{type(exc).__name__}: {exc}"
    return ExportError(f"cannot write {path}: {why}")


def _regular_target(path: Path) -> Path:
    """The file a write to ``path`` must replace: the end of its symlinks, which must be a
    regular file or not exist yet.

    Replacing ``path`` itself would turn a symlink into a file of its own and a device or a
    FIFO (``/dev/null``) into a regular file, so links are followed and special files refused.
    """
    target = Path(os.path.realpath(path))
    try:
        mode = target.stat().st_mode
    except OSError:
        return target  # not there yet (or unreachable: opening the temporary file says why)
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "a device, socket or other special file"
        shown = f"{path} (a link to {target})" if path.is_symlink() else str(path)
        raise ExportError(
            f"cannot write {shown}: it is {kind}, not a regular file; give the name of a "
            "regular file"
        )
    return target


def _atomic_write(path: str | os.PathLike[str], write: Callable[[IO[bytes]], object]) -> Path:
    """Write a file through ``write`` so that readers see the old file or the whole new one.

    A symlink is written through (its target is replaced, the link kept); a target that
    exists and is neither a regular file nor a folder is refused with :class:`ExportError`.
    """
    given = Path(path)
    target = _regular_target(given)
    temp = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
    try:
        with open(temp, "xb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):  # keep an existing file's permissions
            shutil.copymode(target, temp)
        os.replace(temp, target)
    except Exception as exc:
        raise _write_error(given, target, exc) from exc
    finally:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)  # nothing left to remove after os.replace
    return given


def write_graphml(graph: nx.Graph[Any], path: str | os.PathLike[str]) -> Path:
    """Write ``graph`` as GraphML, atomically and deterministically.

    Parameters
    ----------
    graph : networkx.Graph
        Any networkx graph; it is flattened with ``graphml_safe()`` and not changed.
    path : str or os.PathLike
        The file to write; an existing file is replaced only once the new one is whole,
        a symlink is written through, and anything but a regular file is refused.

    Returns
    -------
    pathlib.Path
        ``path`` as a :class:`~pathlib.Path`.

    Raises
    ------
    ExportError
        When the file cannot be written (missing folder, no permission, full disk, a
        device or FIFO in the way).
    InputError
        When two node ids are equal once written as text.

    Examples
    --------
    >>> import networkx as nx, tempfile, pathlib
    >>> g = nx.DiGraph()
    >>> g.add_node("doc:a", type="document", published=dt.date(2021, 7, 16))
    >>> path = write_graphml(g, pathlib.Path(tempfile.mkdtemp()) / "g.graphml")
    >>> nx.read_graphml(path).nodes["doc:a"]
    {'published': '2021-07-16', 'type': 'document'}
    """
    safe = graphml_safe(graph)
    return _atomic_write(path, lambda handle: nx.write_graphml(safe, handle))


def read_graphml(path: str | os.PathLike[str]) -> nx.DiGraph[str]:
    """Read a directed GraphML file, such as one :func:`write_graphml` wrote.

    A thin wrapper over :func:`networkx.read_graphml` that drops the empty
    ``node_default``/``edge_default`` graph attributes networkx adds.

    Parameters
    ----------
    path : str or os.PathLike
        The GraphML file.

    Returns
    -------
    networkx.DiGraph
        The graph, as a :class:`~quoteprov.ProvenanceGraph` (a ``DiGraph``),
        or a ``MultiDiGraph`` when the file has parallel edges.

    Raises
    ------
    ExportError
        When the file cannot be read, is not GraphML, or holds an undirected graph.

    Examples
    --------
    >>> read_graphml("no/such/file.graphml")
    Traceback (most recent call last):
    ...
    quoteprov.ExportError: cannot read GraphML from no/such/file.graphml: ...
    """
    try:
        graph = nx.read_graphml(path)
    except (OSError, SyntaxError, ValueError, LookupError, nx.NetworkXException) as exc:
        raise ExportError(f"cannot read GraphML from {path}: {exc}") from exc
    if not isinstance(graph, nx.DiGraph):
        raise ExportError(
            f"{path} holds an undirected graph; read it with networkx.read_graphml instead"
        )
    for name in _NETWORKX_DEFAULTS:
        if not graph.graph.get(name):
            graph.graph.pop(name, None)
    if type(graph) is nx.DiGraph:  # shows itself in Jupyter like the graph that was written
        graph = ProvenanceGraph(graph)
    return graph


def graph_to_dict(graph: nx.Graph[Any]) -> dict[str, Any]:
    """Return ``graph`` as a JSON-ready node-link dict.

    Parameters
    ----------
    graph : networkx.Graph
        Any networkx graph; values are flattened as for GraphML.

    Returns
    -------
    dict[str, Any]
        ``{"directed", "multigraph", "graph", "nodes", "edges"}``; each node is
        ``{"id": ..., **attrs}`` in id order, each edge ``{"source", "target",
        **attrs}`` (plus ``"key"`` in a multigraph) in (source, target, key) order.

    Raises
    ------
    InputError
        When two node ids are equal once written as text, or a node attribute is named
        ``id`` or an edge attribute ``source``, ``target`` or ``key``.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_edge("speaker:diaz-canel", "quote:1", type="said")
    >>> graph_to_dict(g)["edges"]
    [{'source': 'speaker:diaz-canel', 'target': 'quote:1', 'type': 'said'}]
    """
    safe = graphml_safe(graph)
    nodes = []
    for node, attrs in safe.nodes(data=True):
        _refuse_reserved(attrs, ("id",), f"node {node!r}")
        nodes.append({"id": node, **attrs})
    edges = []
    for source, target, key, data in _sorted_edges(safe, {node: node for node in safe}):
        ends = {"source": source, "target": target}
        if key is not None:
            ends["key"] = key
        _refuse_reserved(data, ("source", "target", "key"), f"edge {source!r} -> {target!r}")
        edges.append({**ends, **data})
    return {
        "directed": safe.is_directed(),
        "multigraph": safe.is_multigraph(),
        "graph": dict(safe.graph),
        "nodes": nodes,
        "edges": edges,
    }


def _refuse_reserved(data: Mapping[str, Any], reserved: tuple[str, ...], where: str) -> None:
    clash = sorted(set(data) & set(reserved))
    if clash:
        raise InputError(f"{where} has attributes {clash!r}, which node-link JSON reserves")


def write_json(obj: Mapping[str, Any], path: str | os.PathLike[str]) -> Path:
    """Write ``obj`` as UTF-8 JSON, atomically and deterministically.

    Keys are sorted and the text indented by 2; values that are not JSON (dates, sets,
    models, non-finite floats) are converted as ``scalar()`` converts them, and lone
    surrogates, U+FFFE and U+FFFF (which UTF-8 or XML cannot carry) become U+FFFD.

    Parameters
    ----------
    obj : Mapping[str, Any]
        The data, e.g. from :func:`graph_to_dict`.
    path : str or os.PathLike
        The file to write; an existing file is replaced only once the new one is whole,
        a symlink is written through, and anything but a regular file is refused.

    Returns
    -------
    pathlib.Path
        ``path`` as a :class:`~pathlib.Path`.

    Raises
    ------
    ExportError
        When the file cannot be written (as for :func:`write_graphml`).
    InputError
        When ``str()`` of a value that is not JSON fails.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "g.json"
    >>> json.loads(write_json({"b": {1, 2}, "a": float("nan")}, path).read_text("utf-8"))
    {'a': 'NaN', 'b': [1, 2]}
    """
    text = _clean(
        json.dumps(_jsonable(obj), ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False)
    )
    data = (text + "\n").encode("utf-8")
    return _atomic_write(path, lambda handle: handle.write(data))


GRAPH_FORMATS = MappingProxyType({".graphml": "GraphML", ".json": "node-link JSON"})
"""The graph file formats :func:`write_graph` writes, by file suffix."""


def check_graph_path(path: str | os.PathLike[str]) -> Path:
    """``path`` as a :class:`~pathlib.Path` if :func:`write_graph` can write its format.

    >>> check_graph_path("graph.txt")
    Traceback (most recent call last):
    ...
    quoteprov.ExportError: cannot write graph.txt: the suffix '.txt' is not a format ...
    """
    given = Path(path)
    if given.suffix.lower() not in GRAPH_FORMATS:
        formats = " or ".join(f"{suffix} ({name})" for suffix, name in GRAPH_FORMATS.items())
        raise ExportError(
            f"cannot write {given}: the suffix {given.suffix or '(none)'!r} is not a format "
            f"quoteprov graph writes; end the file name in {formats}"
        )
    return given


def write_graph(graph: nx.Graph[Any], path: str | os.PathLike[str]) -> Path:
    """Write ``graph`` in the format its file suffix names: GraphML or node-link JSON.

    Raises
    ------
    ExportError
        For another suffix (see :func:`check_graph_path`), or as :func:`write_graphml`.

    >>> import tempfile, pathlib, networkx as nx
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "g.json"
    >>> write_graph(nx.DiGraph([("a", "b")]), path).suffix
    '.json'
    """
    given = check_graph_path(path)
    if given.suffix.lower() == ".json":
        return write_json(graph_to_dict(graph), given)
    return write_graphml(graph, given)


# -- a summary ---------------------------------------------------------------------------------


def _name(graph: nx.DiGraph[str], node: str) -> str:
    data = graph.nodes[node] if node in graph else {}
    doc_id = str(data.get("doc_id", node.removeprefix("doc:")))
    return f"{doc_id} ({data['source']})" if data.get("source") else doc_id


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def graph_summary(graph: nx.DiGraph[str]) -> tuple[dict[str, Any], str]:
    """A provenance graph's summary as JSON-ready data and as one paragraph of text: its
    documents, families, speakers and reuse edges, and where the shared families' origins
    were found and on what evidence (``origin_basis``).

    >>> from quoteprov._api import build_graph
    >>> graph = build_graph([{"id": "a", "text": '"Nothing is settled yet," Ana Ruiz said.'}])
    >>> data, text = graph_summary(graph)
    >>> print(data["quotation_families"], text)  # doctest: +NORMALIZE_WHITESPACE
    1 1 document, 1 quotation family (0 found in several documents), 1 speaker and
    0 derived-from edges. No quotation was found in more than one document: no origin to
    decide.
    """
    nodes: dict[str, dict[str, Any]] = {n: d for n, d in graph.nodes(data=True)}
    types = Counter(d["type"] for d in nodes.values())
    derived = [(u, v) for u, v, d in graph.edges(data=True) if d["type"] == "derived_from"]
    shared = [n for n, d in nodes.items() if d["type"] == "quote" and d["documents"] > 1]
    origins = Counter(str(nodes[n]["origin"]) for n in shared)
    bases = Counter(str(nodes[n].get("origin_basis", "")) for n in shared)
    by_date = bases[OriginBasis.DATE.value]
    by_order = bases[OriginBasis.CORPUS_ORDER.value]
    summary: dict[str, Any] = {
        "documents": types["document"],
        "quotation_families": types["quote"],
        "families_in_several_documents": len(shared),
        "speakers": types["speaker"],
        "derived_from": [[u.removeprefix("doc:"), v.removeprefix("doc:")] for u, v in derived],
        "origins": {o.removeprefix("doc:"): n for o, n in sorted(origins.items())},
    }
    text = (
        f"{_count(types['document'], 'document')}, "
        f"{_count(types['quote'], 'quotation family', 'quotation families')} "
        f"({len(shared)} found in several documents), {_count(types['speaker'], 'speaker')} "
        f"and {_count(len(derived), 'derived-from edge')}."
    )
    if derived:
        pairs = "; ".join(
            f"{_name(graph, u)} derived from {_name(graph, v)}" for u, v in derived[:3]
        )
        more = f"; and {len(derived) - 3} more" if len(derived) > 3 else ""
        text += f" Reuse: {pairs}{more}."
    if shared:
        top = ", ".join(f"{_name(graph, o)} ×{n}" for o, n in origins.most_common(4))
        others = f", and {len(origins) - 4} more" if len(origins) > 4 else ""
        fallback = f" ({by_order} of them only by corpus order)" if by_order else ""
        families = (
            "the shared family originates"
            if len(shared) == 1
            else f"the {len(shared)} shared families originate"
        )
        text += (
            f" Origins found: {families} in {_count(len(origins), 'document')}: {top}{others};"
            f" decided by publication date for {by_date}, by other evidence for "
            f"{len(shared) - by_date}{fallback}."
        )
    else:
        text += " No quotation was found in more than one document: no origin to decide."
    return summary, text
