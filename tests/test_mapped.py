"""The candidate index kept on disk beside a corpus file (quoteprov.search._mapped)."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import quoteprov as qp
from quoteprov.corpus._store import SQLiteStorage
from quoteprov.search import _mapped
from quoteprov.search._index import CorpusIndex

WORDS = "the minister said bridge rebuild tax vote city police court fire storm won lost".split()


def _index_pair(path: Path) -> tuple[CorpusIndex, CorpusIndex]:
    """The index read into memory and the one mapped from disk, of one file."""
    held = CorpusIndex.for_corpus(qp.Corpus.open(path))
    mapped = CorpusIndex.for_corpus(qp.Corpus.open(path, lazy=True))
    return held, mapped


def _same(held: CorpusIndex, mapped: CorpusIndex) -> None:
    assert held.vocab == mapped.vocab and held.by_id == mapped.by_id
    for name in ("unit_doc", "unit_sent", "unit_len", "unit_hash", "df", "idf", "doc_starts"):
        a, b = np.asarray(getattr(held, name)), np.asarray(getattr(mapped, name))
        # the same values and types: arithmetic on them must not overflow where the
        # index in memory does not (a document pair's key is a * documents + b)
        assert np.array_equal(a, b) and a.dtype == b.dtype, name
    for name in ("matrix", "postings"):
        a, b = getattr(held, name), getattr(mapped, name)
        assert a.shape == b.shape
        assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
        assert np.array_equal(a.data, b.data)  # the same numbers, computed the same way
    # a likely copy's words, read from the arrays, are those of its document
    rows = np.arange(len(held.unit_doc))
    for words in (WORDS[:3], ["minister", "absent", "the"], []):
        want, got = held.region_codes(rows, words), mapped.region_codes(rows, words)
        assert all(np.array_equal(a, b) for a, b in zip(want, got, strict=True)), words


@st.composite
def _texts(draw: st.DrawFn) -> list[str]:
    sentence = st.lists(st.sampled_from(WORDS), min_size=0, max_size=9).map(
        lambda ws: " ".join(ws).capitalize() + "."
    )
    document = st.lists(sentence, min_size=0, max_size=5).map(" ".join)
    return draw(st.lists(document, min_size=1, max_size=6))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=_texts(), block=st.integers(1, 7))
def test_the_mapped_index_holds_what_the_index_in_memory_does(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str], block: int
) -> None:
    path = tmp_path_factory.mktemp("c") / "c.qp"
    docs = [qp.Document(id=f"d{n}", text=t) for n, t in enumerate(texts)]
    qp.Corpus(docs).save(path)
    # the weights and the transpose written a few rows at a time, as for a big corpus
    before = _mapped.BLOCK_ROWS
    _mapped.BLOCK_ROWS = block
    try:
        _same(*_index_pair(path))
    finally:
        _mapped.BLOCK_ROWS = before


def test_a_lazy_corpus_traces_as_the_corpus_in_memory(seeds: qp.Corpus, tmp_path: Path) -> None:
    path = tmp_path / "seeds.qp"
    seeds.save(path)
    lazy = qp.Corpus.open(path, lazy=True)
    assert (path.parent / "seeds.qp.index").exists() is False  # written by the first search
    for query in (
        "We are confident that Cuba would smash",
        "they need to start with themselves, by lifting the blockade",
    ):
        want = qp.Tracer(seeds, semantic=False).trace(query)
        got = qp.Tracer(lazy, semantic=False).trace(query)
        assert [(m.doc_id, m.kind, m.start, m.end) for m in got.matches] == [
            (m.doc_id, m.kind, m.start, m.end) for m in want.matches
        ]
        assert got.matches and all(
            lazy[m.doc_id].text[m.start : m.end] == m.text for m in got.matches
        )
    assert _mapped.index_folder(path).is_dir()


def test_the_graph_of_a_lazy_corpus_is_the_graph_in_memory(
    seeds: qp.Corpus, tmp_path: Path
) -> None:
    path = tmp_path / "seeds.qp"
    seeds.save(path)
    want = qp.Tracer(qp.Corpus.open(path), semantic=False).build_graph(workers=1)
    got = qp.Tracer(qp.Corpus.open(path, lazy=True), semantic=False).build_graph(workers=1)
    assert sorted(got.edges(data=True)) == sorted(want.edges(data=True))


def test_an_index_of_another_state_of_the_file_is_built_again(tmp_path: Path) -> None:
    path = tmp_path / "c.qp"
    qp.Corpus([qp.Document(id="a", text="The storm hit the city.")]).save(path)
    lazy = qp.Corpus.open(path, lazy=True)
    tracer = qp.Tracer(lazy, semantic=False)
    assert [m.doc_id for m in tracer.trace("bridges rebuilt by the mayor").matches] == []
    lazy.add(qp.Document(id="b", text="Bridges were rebuilt by the mayor last year."))
    assert [m.doc_id for m in tracer.trace("bridges rebuilt by the mayor").matches] == ["b"]
    meta = json.loads((_mapped.index_folder(path) / "meta.json").read_text())
    assert meta["stamp"]["documents"] == 2 and meta["stamp"]["last"] == "b"


@pytest.mark.parametrize("damage", ["meta", "truncated", "missing"])
def test_a_damaged_index_is_not_used_but_built_again(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "c.qp"
    docs = [qp.Document(id="a", text="The storm hit the city on Monday night.")]
    qp.Corpus(docs).save(path)
    _ = qp.Tracer(qp.Corpus.open(path, lazy=True), semantic=False).index
    folder = _mapped.index_folder(path)
    if damage == "meta":
        (folder / "meta.json").write_text("{not json")
    elif damage == "truncated":
        with (folder / "post_data").open("r+b") as f:
            f.truncate(8)
    else:
        (folder / "indices").unlink()
    storage = qp.Corpus.open(path, lazy=True).storage
    assert isinstance(storage, SQLiteStorage)
    assert _mapped.open_mapped(storage, list(storage.ids)) is None
    trace = qp.Tracer(qp.Corpus.open(path, lazy=True), semantic=False).trace(
        "the storm hit the city"
    )
    assert [m.doc_id for m in trace.matches] == ["a"]
    assert _mapped.open_mapped(storage, list(storage.ids)) is not None


def test_a_build_that_fails_leaves_no_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.qp"
    qp.Corpus([qp.Document(id="a", text="The storm hit the city.")]).save(path)
    lazy = qp.Corpus.open(path, lazy=True)

    def killed(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(_mapped, "weigh_entries", killed)
    with pytest.raises(KeyboardInterrupt):
        _ = qp.Tracer(lazy, semantic=False).index
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.qp"]  # no index, no temporary


def test_a_folder_that_cannot_be_written_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.qp"
    qp.Corpus([qp.Document(id="a", text="The storm hit the city.")]).save(path)
    lazy = qp.Corpus.open(path, lazy=True)

    def refused(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", refused)  # as in a folder this user cannot write
    with pytest.raises(qp.CorpusError, match=r"Permission denied.*lazy=True"):
        _ = qp.Tracer(lazy, semantic=False).index


def test_a_lazy_corpus_reads_documents_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "c.qp"
    docs = [qp.Document(id=f"d{n}", text=f"Story number {n}.") for n in range(5)]
    qp.Corpus(docs).save(path)
    lazy = qp.Corpus.open(path, lazy=True)
    assert len(lazy) == 5 and lazy.ids == tuple(d.id for d in docs)
    assert lazy["d3"] == docs[3] and "d4" in lazy and "x" not in lazy
    assert list(lazy) == docs
    with pytest.raises(KeyError, match="did you mean 'd1'"):
        lazy["d1 "]
    lazy.add(qp.Document(id="d5", text="One more."))
    assert qp.Corpus.open(path, lazy=True).ids[-1] == "d5" and lazy["d5"].text == "One more."


def test_a_mapped_index_travels_as_its_folder(seeds: qp.Corpus, tmp_path: Path) -> None:
    path = tmp_path / "seeds.qp"
    seeds.save(path)
    index = qp.Tracer(qp.Corpus.open(path, lazy=True), semantic=False).index
    data = pickle.dumps(index)
    held = pickle.dumps(CorpusIndex.for_corpus(qp.Corpus.open(path)))
    assert len(data) < len(held) / 2  # the arrays stay on disk
    again = pickle.loads(data)
    assert again.mapped == index.mapped == _mapped.index_folder(path)
    _same(index, again)
