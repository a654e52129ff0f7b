"""The corpus file: round trip, no re-analysis on open, incremental and transactional adds."""

from __future__ import annotations

import os
import pickle
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import quoteprov as qp
from quoteprov import index as index_module
from quoteprov import store as store_module
from quoteprov.index import CorpusIndex

QUERY = "We are confident that Cuba would smash the interference of foreign forces"


def _graphml(corpus: qp.Corpus, path: Path) -> bytes:
    return qp.write_graphml(qp.build_graph(corpus, workers=1), path).read_bytes()


def _extra(n: int) -> list[qp.Document]:
    return [
        qp.Document(
            id=f"extra{k}",
            text=f'"We are confident that Cuba would smash the interference," source {k} said.',
            published=f"2021-08-{k % 28 + 1:02d}",
            metadata={"k": k},
        )
        for k in range(n)
    ]


def test_round_trip_keeps_documents_graph_and_traces(seeds: qp.Corpus, tmp_path: Path) -> None:
    path = tmp_path / "seeds.qp"
    corpus = qp.Corpus(list(seeds))
    corpus.save(path)
    opened = qp.Corpus.open(path)
    assert opened.ids == seeds.ids
    for doc in seeds:
        assert opened[doc.id] == doc
    assert _graphml(opened, tmp_path / "a.graphml") == _graphml(seeds, tmp_path / "b.graphml")
    assert qp.trace_quote(QUERY, opened).to_json() == qp.trace_quote(QUERY, seeds).to_json()


def test_open_analyses_and_indexes_nothing(
    seeds: qp.Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "seeds.qp"
    qp.Corpus(list(seeds)).save(path)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a saved corpus was analysed again")

    monkeypatch.setattr(index_module, "analyze", refuse)
    monkeypatch.setattr(index_module, "split_sentences", refuse)
    monkeypatch.setattr(index_module, "extract_quotes", refuse)
    monkeypatch.setattr(index_module, "tokens_of", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)  # and nothing is unpickled
    opened = qp.Corpus.open(path)
    assert qp.trace_quote(QUERY, opened).matches
    assert qp.build_graph(opened, workers=1).number_of_edges() > 0


def test_adding_to_a_saved_corpus_analyses_only_the_new_documents(
    seeds: qp.Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "seeds.qp"
    qp.Corpus(list(seeds)).save(path)
    opened = qp.Corpus.open(path)
    analysed: list[str] = []
    real = store_module.analyze

    def counting(doc: qp.Document) -> object:
        analysed.append(doc.id)
        return real(doc)

    monkeypatch.setattr(store_module, "analyze", counting)
    extra = _extra(3)
    opened.extend(extra[:2])
    opened.add(extra[2])
    assert analysed == [d.id for d in extra]
    assert len(CorpusIndex.for_corpus(opened).docs) == len(seeds) + 3
    again = qp.Corpus.open(path)
    assert again.ids == (*seeds.ids, *(d.id for d in extra))
    in_memory = qp.Corpus([*seeds, *extra])
    assert _graphml(again, tmp_path / "a.graphml") == _graphml(in_memory, tmp_path / "b.graphml")


def test_a_refused_add_writes_nothing(seeds: qp.Corpus, tmp_path: Path) -> None:
    path = tmp_path / "seeds.qp"
    corpus = qp.Corpus(list(seeds))
    corpus.save(path)
    with pytest.raises(qp.DuplicateDocumentError):
        corpus.extend([*_extra(2), qp.Document(id=seeds.ids[0], text="again")])
    assert qp.Corpus.open(path).ids == seeds.ids


def test_a_failure_inside_the_transaction_rolls_back(
    seeds: qp.Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "seeds.qp"
    corpus = qp.Corpus(list(seeds))
    corpus.save(path)
    real = store_module.CorpusStore._analysis_row
    calls = 0

    def failing(self: store_module.CorpusStore, pos: int, a: object) -> object:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise KeyboardInterrupt  # Ctrl-C half-way through an add
        return real(self, pos, a)  # type: ignore[arg-type]

    monkeypatch.setattr(store_module.CorpusStore, "_analysis_row", failing)
    with pytest.raises(KeyboardInterrupt):
        corpus.extend(_extra(5))
    monkeypatch.undo()
    assert corpus.ids == seeds.ids
    assert qp.Corpus.open(path).ids == seeds.ids
    corpus.extend(_extra(2))  # the store is still usable: words and terms were rolled back
    assert qp.Corpus.open(path).ids == (*seeds.ids, "extra0", "extra1")
    assert qp.trace_quote(QUERY, qp.Corpus.open(path)).matches


_KILLED_ADD = textwrap.dedent(
    """
    import sys, time
    import quoteprov as qp
    from quoteprov import store

    corpus = qp.Corpus.open(sys.argv[1])
    corpus.add(qp.Document(id="committed", text="This add is committed before the crash."))
    real = store.CorpusStore._write

    def slow(self, documents, analysed):
        real(self, documents, analysed)  # rows written, transaction still open
        print("writing", flush=True)
        time.sleep(60)

    store.CorpusStore._write = slow
    corpus.extend(
        [qp.Document(id=f"lost{k}", text=f"Never committed number {k}.") for k in range(50)]
    )
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_process_killed_mid_add_leaves_the_committed_corpus(
    seeds: qp.Corpus, tmp_path: Path
) -> None:
    path = tmp_path / "seeds.qp"
    qp.Corpus(list(seeds)).save(path)
    script = tmp_path / "add.py"
    script.write_text(_KILLED_ADD)
    child = subprocess.Popen(
        [sys.executable, str(script), str(path)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "writing"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    opened = qp.Corpus.open(path)
    assert opened.ids == (*seeds.ids, "committed")
    assert {m.doc_id for m in qp.trace_quote(QUERY, opened).matches} >= {seeds.ids[0]}
    opened.add(qp.Document(id="after", text="Added after the crash."))
    assert qp.Corpus.open(path).ids[-1] == "after"


def test_saving_over_a_file_and_opening_a_stranger_are_refused(
    seeds: qp.Corpus, tmp_path: Path
) -> None:
    path = tmp_path / "seeds.qp"
    qp.Corpus(list(seeds)).save(path)
    with pytest.raises(qp.CorpusError, match="exists already"):
        qp.Corpus(list(seeds)).save(path)
    stranger = tmp_path / "notes.txt"
    stranger.write_text("not a database")
    with pytest.raises(qp.CorpusError, match="not a quoteprov corpus"):
        qp.Corpus.open(stranger)
    with pytest.raises(qp.CorpusError, match="no corpus file"):
        qp.Corpus.open(tmp_path / "missing.qp")
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema'")
    with pytest.raises(qp.CorpusError, match="schema 99"):
        qp.Corpus.open(path)


def test_stored_documents_travel_as_their_path(seeds: qp.Corpus, tmp_path: Path) -> None:
    path = tmp_path / "seeds.qp"
    qp.Corpus(list(seeds)).save(path)
    index = CorpusIndex.for_corpus(qp.Corpus.open(path))
    docs = pickle.loads(pickle.dumps(index.docs))
    assert len(docs) == len(seeds) and docs[1].doc.id == seeds.ids[1]
    assert docs[1].tokens == index.docs[1].tokens
    assert [s.text for s in docs[0].sentences] == [
        s.text for s in qp.split_sentences(seeds[seeds.ids[0]].text)
    ]
