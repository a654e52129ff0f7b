"""The Storage protocol, one suite run on every backend (memory, SQLite, and SQLite with
its documents read when asked: ``Corpus.open(path, lazy=True)``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import quoteprov as qp
from quoteprov.corpus._storage import SentenceArrays, sentence_arrays
from quoteprov.corpus._store import SQLiteStorage

DOCS = [
    qp.Document(id="a", text='"We will rebuild every bridge," the minister said. Work starts.'),
    qp.Document(id="b", text="The minister said they will rebuild every bridge."),
]


@pytest.fixture(params=["memory", "sqlite", "sqlite-lazy"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> qp.Storage:
    if request.param == "memory":
        return qp.MemoryStorage(DOCS)
    created = SQLiteStorage.create(tmp_path / "c.qp", DOCS)
    if request.param == "sqlite":
        return created
    created.close()
    opened = SQLiteStorage.open(tmp_path / "c.qp", lazy=True)
    assert isinstance(opened, SQLiteStorage) and opened.lazy
    return opened


def test_is_a_storage(storage: qp.Storage) -> None:
    assert isinstance(storage, qp.Storage)


def test_holds_documents_in_order(storage: qp.Storage) -> None:
    assert len(storage) == 2 and storage.ids == ("a", "b")
    assert [d.id for d in storage] == ["a", "b"]
    assert "a" in storage and "z" not in storage and 3 not in storage
    assert storage.get("b") == DOCS[1] and storage.get("z") is None


def test_add(storage: qp.Storage) -> None:
    storage.add([qp.Document(id="c", text="One more.")])
    assert storage.ids == ("a", "b", "c") and len(storage.analysis()) == 3
    assert storage.arrays().ids == ("a", "b", "c")


def test_analysis_as_in_memory(storage: qp.Storage) -> None:
    analysed = storage.analysis()
    expected = qp.MemoryStorage(DOCS).analysis()
    assert len(analysed) == 2
    analysed.fetch([0, 1])
    analysed.preload(False)
    for got, want in zip(analysed, expected, strict=True):
        assert got.doc == want.doc and list(got.sentence_tokens) == list(want.sentence_tokens)
        assert [q.text for q in got.quotes] == [q.text for q in want.quotes]


def test_arrays_as_computed_from_the_analysis(storage: qp.Storage) -> None:
    arrays = storage.arrays()
    assert isinstance(arrays, SentenceArrays)
    want = sentence_arrays(qp.MemoryStorage(DOCS).analysis())
    assert arrays.ids == want.ids and arrays.vocab == want.vocab
    for name in ("unit_doc", "unit_sent", "unit_len", "unit_hash"):
        assert np.array_equal(getattr(arrays, name), getattr(want, name))
    assert (arrays.counts != want.counts).nnz == 0


def test_vectors_round_trip(storage: qp.Storage) -> None:
    rows = len(storage.arrays().unit_doc)
    block = np.linspace(-1, 1, 4 * rows, dtype=np.float32).reshape(rows, 4)
    block = block.astype(np.float16).astype(np.float32)  # what a file keeps exactly
    sentences = np.bincount(storage.arrays().unit_doc)
    blocks = {0: block[: sentences[0]], 1: block[sentences[0] :]}
    assert storage.read_vectors("m", 4) == {}
    assert storage.write_vectors("m", blocks, list(storage.ids))
    back = storage.read_vectors("m", 4)
    assert set(back) == {0, 1}
    assert all(np.array_equal(back[d], blocks[d]) for d in blocks)
    assert not storage.write_vectors("m", blocks, ["x", "y"])  # other documents: refused


def test_save_keeps_documents_and_vectors(storage: qp.Storage, tmp_path: Path) -> None:
    rows = len(storage.arrays().unit_doc)
    sentences = np.bincount(storage.arrays().unit_doc)
    ones = np.ones((rows, 4), dtype=np.float32)
    storage.write_vectors("m", {0: ones[: sentences[0]]}, list(storage.ids))
    saved = storage.save(tmp_path / "saved.qp")
    assert isinstance(saved, SQLiteStorage) and saved.ids == storage.ids
    assert np.array_equal(saved.read_vectors("m", 4)[0], ones[: sentences[0]])
    assert saved.save(tmp_path / "saved.qp") is saved  # its own file: nothing to write


def test_a_corpus_on_a_storage(storage: qp.Storage) -> None:
    corpus = qp.Corpus(storage=storage)
    assert corpus.storage is storage and corpus.ids == ("a", "b")
    corpus.add(qp.Document(id="c", text="Three."))
    assert storage.ids == ("a", "b", "c")
    with pytest.raises(qp.DuplicateDocumentError):
        corpus.add(qp.Document(id="a", text="again"))


def test_a_corpus_refuses_what_is_not_a_storage() -> None:
    with pytest.raises(qp.InputError, match="Storage"):
        qp.Corpus(storage={})  # type: ignore[arg-type]


def test_sqlite_storage_takes_paths_as_strings(seeds: qp.Corpus, tmp_path: Path) -> None:
    path = str(tmp_path / "seeds.qp")
    created = qp.SQLiteStorage.create(path, list(seeds))
    assert len(created) == len(seeds)
    opened = qp.Corpus(storage=qp.SQLiteStorage.open(path))
    assert opened.ids == seeds.ids
    assert created.save(path) is created  # its own file: nothing is written again
