"""The corpus file: round trip, no re-analysis on open, incremental and transactional adds."""

from __future__ import annotations

import os
import pickle
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import quoteprov as qp
from quoteprov.corpus import _storage as storage_module
from quoteprov.corpus import _store as store_module
from quoteprov.search._index import CorpusIndex
from quoteprov.search._kinds import new_symbols
from quoteprov.search._symbols import Symbols
from quoteprov.text import _analysis as analysis_module
from quoteprov.text._analysis import LazySpans

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
    seeds_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a saved corpus was analysed again")

    monkeypatch.setattr(storage_module, "analyze", refuse)
    monkeypatch.setattr(analysis_module, "split_sentences", refuse)
    monkeypatch.setattr(analysis_module, "extract_quotes", refuse)
    monkeypatch.setattr(analysis_module, "tokens_of", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)  # and nothing is unpickled
    opened = qp.Corpus.open(seeds_file)
    assert qp.trace_quote(QUERY, opened).matches
    assert qp.build_graph(opened, workers=1).number_of_edges() > 0


def test_adding_to_a_saved_corpus_analyses_only_the_new_documents(
    seeds: qp.Corpus, tmp_path: Path, seeds_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = qp.Corpus.open(seeds_file)
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
    again = qp.Corpus.open(seeds_file)
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
    real = store_module.SQLiteStorage._analysis_row
    calls = 0

    def failing(self: store_module.SQLiteStorage, pos: int, a: object) -> object:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise KeyboardInterrupt  # Ctrl-C half-way through an add
        return real(self, pos, a)  # type: ignore[arg-type]

    monkeypatch.setattr(store_module.SQLiteStorage, "_analysis_row", failing)
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
    from quoteprov.corpus import _store as store

    corpus = qp.Corpus.open(sys.argv[1])
    corpus.add(qp.Document(id="committed", text="This add is committed before the crash."))
    real = store.SQLiteStorage._write

    def slow(self, documents, analysed):
        real(self, documents, analysed)  # rows written, transaction still open
        print("writing", flush=True)
        time.sleep(60)

    store.SQLiteStorage._write = slow
    corpus.extend(
        [qp.Document(id=f"lost{k}", text=f"Never committed number {k}.") for k in range(50)]
    )
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_process_killed_mid_add_leaves_the_committed_corpus(
    seeds: qp.Corpus, tmp_path: Path, seeds_file: Path
) -> None:
    script = tmp_path / "add.py"
    script.write_text(_KILLED_ADD)
    child = subprocess.Popen(
        [sys.executable, str(script), str(seeds_file)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "writing"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    with sqlite3.connect(seeds_file) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    opened = qp.Corpus.open(seeds_file)
    assert opened.ids == (*seeds.ids, "committed")
    assert {m.doc_id for m in qp.trace_quote(QUERY, opened).matches} >= {seeds.ids[0]}
    opened.add(qp.Document(id="after", text="Added after the crash."))
    assert qp.Corpus.open(seeds_file).ids[-1] == "after"


def test_saving_over_a_file_and_opening_a_stranger_are_refused(
    seeds: qp.Corpus, tmp_path: Path, seeds_file: Path
) -> None:
    with pytest.raises(qp.CorpusError, match="exists already"):
        qp.Corpus(list(seeds)).save(seeds_file)
    stranger = tmp_path / "notes.txt"
    stranger.write_text("not a database")
    with pytest.raises(qp.CorpusError, match="not a quoteprov corpus"):
        qp.Corpus.open(stranger)
    with pytest.raises(qp.CorpusError, match="no corpus file"):
        qp.Corpus.open(tmp_path / "missing.qp")
    with sqlite3.connect(seeds_file) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema'")
    with pytest.raises(qp.CorpusError, match="schema 99"):
        qp.Corpus.open(seeds_file)


def test_saving_again_where_the_file_was_moved_away_writes_it_again(tmp_path: Path) -> None:
    path = tmp_path / "news.qp"
    corpus = qp.Corpus([qp.Document(id="a", text="Peace is near.")])
    corpus.save(path)
    corpus.save(path)  # the same file: nothing to do
    path.rename(tmp_path / "moved.qp")
    corpus.save(path)
    assert path.exists()
    corpus.add(qp.Document(id="b", text="War is far."))
    assert qp.Corpus.open(path).ids == ("a", "b")
    assert qp.Corpus.open(tmp_path / "moved.qp").ids == ("a",)


def test_a_saved_file_follows_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        qp.Corpus([qp.Document(id="a", text="Peace is near.")]).save(tmp_path / "news.qp")
    finally:
        os.umask(old)
    assert (tmp_path / "news.qp").stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["news.qp"]  # no temporary file left


def test_stored_corpus_traces_as_in_memory_building_few_spans(
    seeds: qp.Corpus, seeds_file: Path
) -> None:
    opened = qp.Corpus.open(seeds_file)
    stored = CorpusIndex.for_corpus(opened).docs
    memory = CorpusIndex.for_corpus(seeds).docs
    # read for a search, a stored document builds its sentences and quotations only when
    # they are read, and takes its text from the corpus rather than reading it again
    first = stored[0]
    assert isinstance(first.sentences, LazySpans) and isinstance(first.quotes, LazySpans)
    assert first.doc is opened[seeds.ids[0]]
    assert first.quotes_in(0, len(first.doc.text)) == memory[0].quotes_in(0, 10**9)
    assert first.sentence_range(0, 200) == memory[0].sentence_range(0, 200)
    assert all(item is None for item in first.sentences._items)
    assert stored[1].quotes._make.data is None  # its quotations' JSON: parsed when built
    for n, doc in enumerate(memory):
        assert stored[n].sentences == doc.sentences and stored[n].quotes == doc.quotes
        assert stored[n].sentence_tokens == doc.sentence_tokens
        # words looked up by number when read, as the analysed ones
        assert stored[n].tokens == doc.tokens and stored[n].tokens.words() == doc.tokens.words()
        i, j = doc.sentence_tokens[-1]
        assert stored[n].tokens[i:j].words() == doc.tokens[i:j].words()
        assert stored[n].tokens.norms[-1] == doc.tokens.norms[-1]
        # read from the stored arrays without building the quotations, as from the built ones
        assert [stored[n].quote_parts(k) for k in range(len(doc.quotes))] == [
            doc.quote_parts(k) for k in range(len(doc.quotes))
        ]
        end = len(doc.doc.text)
        for a, b in ((0, end), (0, end // 2), (end // 3, end), (end, end + 1)):
            assert stored[n].interruptions(a, b) == doc.interruptions(a, b)
    # read at once (a trace's candidate documents) as one by one
    together = CorpusIndex.for_corpus(qp.Corpus.open(seeds_file)).docs
    together.fetch([3, 1, 3])
    assert sorted(together._cache) == [1, 3]
    for n in (1, 3):
        assert together[n].tokens == memory[n].tokens and together[n].quotes == memory[n].quotes
    with pytest.raises(IndexError):
        together.fetch([len(seeds)])
    restored = pickle.loads(pickle.dumps(first))
    assert type(restored.sentences) is list and restored.sentences == memory[0].sentences
    # every third sentence of the seeds traced through the file and in memory: same result
    queries = [s.text for doc in seeds for s in qp.split_sentences(doc.text)][::3]
    for query in queries:
        assert qp.trace_quote(query, opened).to_json() == qp.trace_quote(query, seeds).to_json()
    # the rows of some documents, found by bisection, are those a scan finds
    index = CorpusIndex.for_corpus(opened)
    # a stored document is encoded from its word numbers: the symbols the word table gives
    symbols = new_symbols(index)
    assert symbols.numbered is not None
    words = Symbols().encode_words  # a table of its own, numbering words as they come
    for n in range(len(seeds)):
        adoc = index.docs[n]
        i, j = adoc.sentence_tokens[-1]
        assert symbols.encode_region(adoc, i, j) == symbols.encode_words(adoc.tokens[i:j].words())
        whole = symbols.encode_document(adoc)
        assert whole == symbols.encode_words(adoc.tokens.words())
        # same words, same symbols: equal where the words are equal, whatever the table
        other = words(adoc.tokens.words())
        assert [a == b for a in whole[:60] for b in whole[:60]] == [
            a == b for a in other[:60] for b in other[:60]
        ]
    for docs in ([], [3], [4, 0, 2, 2], [99]):
        scan = np.flatnonzero(np.isin(index.unit_doc, docs))
        assert index.rows_of(docs).tolist() == scan.tolist()


def test_stored_documents_travel_as_their_path(seeds: qp.Corpus, seeds_file: Path) -> None:
    index = CorpusIndex.for_corpus(qp.Corpus.open(seeds_file))
    docs = pickle.loads(pickle.dumps(index.docs))
    assert len(docs) == len(seeds) and docs[1].doc.id == seeds.ids[1]
    assert docs[1].tokens == index.docs[1].tokens
    assert [s.text for s in docs[0].sentences] == [
        s.text for s in qp.split_sentences(seeds[seeds.ids[0]].text)
    ]


# -- hardening (issue 4) --------------------------------------------------------------------


def test_lone_surrogates_round_trip(tmp_path: Path) -> None:
    # regression (fuzzing, issue 4): text decoded with errors="surrogateescape", or a JSON
    # "\ud800" escape, made Corpus.save raise UnicodeEncodeError
    doc = qp.Document(
        id="bad", text='Broken \ud800 "we will win," she said \udfff.', title="t\ud800"
    )
    path = tmp_path / "c.qp"
    qp.Corpus([doc]).save(path)
    opened = qp.Corpus.open(path)
    assert opened[doc.id] == doc
    index = CorpusIndex.for_corpus(opened)
    speaker = index.docs[0].quotes[0].speaker_span
    assert index.docs[0].doc == doc and speaker is not None and speaker.text == "she"


def _damaged(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset : offset + 512] = b"\xa5" * 512
    path.write_bytes(bytes(data))


def test_foreign_damaged_and_hostile_files_are_refused(
    seeds: qp.Corpus, tmp_path: Path, seeds_file: Path
) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE meta (key TEXT, value TEXT)")
        db.execute("INSERT INTO meta VALUES ('schema', '1'), ('analysis', '1')")
    with pytest.raises(qp.CorpusError, match="not a quoteprov corpus"):
        qp.Corpus.open(other)

    trapped = tmp_path / "trapped.qp"
    trapped.write_bytes(seeds_file.read_bytes())
    with sqlite3.connect(trapped) as db:  # SQL a file would run on the next add
        db.execute("CREATE TRIGGER t AFTER INSERT ON documents BEGIN DELETE FROM words; END")
    with pytest.raises(qp.CorpusError, match="not a quoteprov corpus"):
        qp.Corpus.open(trapped)

    size = seeds_file.stat().st_size
    for offset in (0, size // 3, size // 2, size - 1024):
        broken = tmp_path / f"broken{offset}.qp"
        broken.write_bytes(seeds_file.read_bytes())
        _damaged(broken, offset)
        try:  # refused on opening, or on reading what is damaged; never anything else
            corpus = qp.Corpus.open(broken)
            CorpusIndex.for_corpus(corpus).docs[len(corpus) - 1]
            qp.build_graph(corpus, workers=1)
        except qp.CorpusError as exc:
            assert "restore it from a backup" in str(exc) or "not a quoteprov" in str(exc)
    truncated = tmp_path / "truncated.qp"
    truncated.write_bytes(seeds_file.read_bytes()[: size // 2])
    with pytest.raises(qp.CorpusError):
        CorpusIndex.for_corpus(qp.Corpus.open(truncated)).docs[len(seeds) - 1]


def _widen_first_sentence(db: sqlite3.Connection) -> None:
    (blob,) = db.execute("SELECT sentences FROM analysis WHERE pos = 0").fetchone()
    table = np.frombuffer(blob, dtype="<i4").reshape(-1, 4).copy()
    table[0, 1] = 2**31 - 1  # the first sentence ends far past the text
    db.execute("UPDATE analysis SET sentences = ? WHERE pos = 0", (table.tobytes(),))


@pytest.mark.parametrize(
    "damage",
    [
        lambda db: db.execute("UPDATE analysis SET quote_parts = X''"),
        lambda db: db.execute("UPDATE analysis SET quote_bounds = X'FFFFFF7F00000000'"),
        _widen_first_sentence,
    ],
    ids=["quotations without parts", "a quotation past the text", "a sentence past the text"],
)
def test_spans_that_do_not_fit_their_document_are_refused(
    seeds_file: Path, damage: Callable[[sqlite3.Connection], object]
) -> None:
    with sqlite3.connect(seeds_file) as db:
        damage(db)
    corpus = qp.Corpus.open(seeds_file)
    with pytest.raises(qp.CorpusError, match="is damaged"):
        qp.trace_quote(QUERY, corpus)
        qp.build_graph(corpus, workers=1)


def test_a_file_of_another_version(seeds: qp.Corpus, seeds_file: Path) -> None:
    with sqlite3.connect(seeds_file) as db:
        db.execute("UPDATE meta SET value = '0' WHERE key = 'analysis'")
    with pytest.warns(UserWarning, match="analysed by other rules"):
        opened = qp.Corpus.open(seeds_file)  # opens: documents read, analysed again in memory
    assert opened.ids == seeds.ids and isinstance(opened.storage, qp.MemoryStorage)
    assert qp.trace_quote(QUERY, opened).to_json() == qp.trace_quote(QUERY, seeds).to_json()
    newer = str(store_module.SCHEMA_VERSION + 1)
    with sqlite3.connect(seeds_file) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (newer,))
    with pytest.raises(qp.CorpusError, match="upgrade quoteprov to open it"):
        qp.Corpus.open(seeds_file)
    with sqlite3.connect(seeds_file) as db:
        db.execute("UPDATE meta SET value = '0' WHERE key = 'schema'")
    with pytest.raises(qp.CorpusError, match="open it with that version"):
        qp.Corpus.open(seeds_file)


def test_a_file_of_schema_1_is_read_and_analysed_again(seeds: qp.Corpus, seeds_file: Path) -> None:
    # schema 1 stored the quotations as JSON only; its documents are read, analysed again
    with sqlite3.connect(seeds_file) as db:
        db.execute("ALTER TABLE analysis DROP COLUMN quote_parts")
        db.execute("ALTER TABLE analysis DROP COLUMN quote_bounds")
        db.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    with pytest.warns(UserWarning, match="corpus schema 1"):
        opened = qp.Corpus.open(seeds_file)
    assert opened.ids == seeds.ids and isinstance(opened.storage, qp.MemoryStorage)
    assert qp.trace_quote(QUERY, opened).to_json() == qp.trace_quote(QUERY, seeds).to_json()


def test_the_index_of_an_opened_corpus_reads_through_its_file(
    seeds: qp.Corpus, seeds_file: Path
) -> None:
    index = CorpusIndex.for_corpus(qp.Corpus.open(seeds_file))
    assert isinstance(index.docs, store_module.StoredDocuments)
    assert index.docs.word_table() is not None  # its words are numbered as in the file
    in_memory = CorpusIndex.for_corpus(qp.Corpus(list(seeds))).docs
    assert isinstance(in_memory, list) and in_memory.word_table() is None


def _schema(path: Path) -> str:
    with sqlite3.connect(path) as db:
        return str(db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0])


def test_a_file_is_saved_as_schema_2_until_it_keeps_vectors(
    seeds: qp.Corpus, seeds_file: Path
) -> None:
    assert _schema(seeds_file) == "2"  # readable by the quoteprov before vectors were kept
    docs = CorpusIndex.for_corpus(qp.Corpus.open(seeds_file)).docs
    assert docs.read_vectors("model", 4) == {}
    assert docs.write_vectors("model", {0: np.ones((2, 4)), 3: np.zeros((0, 4))}, seeds.ids)
    assert _schema(seeds_file) == "3"
    with sqlite3.connect(seeds_file) as db:  # written by this version now
        written_by = db.execute("SELECT value FROM meta WHERE key = 'quoteprov'").fetchone()
    assert written_by == (store_module._quoteprov_version(),)
    again = CorpusIndex.for_corpus(qp.Corpus.open(seeds_file)).docs  # opens as schema 3
    assert sorted(again.read_vectors("model", 4)) == [0, 3]
    assert again.read_vectors("model", 4)[0].tolist() == [[1.0] * 4] * 2
    assert again.read_vectors("another model", 4) == {}


def test_vectors_of_another_model_are_replaced_document_by_document(
    seeds: qp.Corpus, seeds_file: Path
) -> None:
    docs = CorpusIndex.for_corpus(qp.Corpus.open(seeds_file)).docs
    assert docs.write_vectors("a", {0: np.ones((2, 4)), 1: np.ones((1, 4))}, seeds.ids)
    assert docs.write_vectors("c", {2: np.ones((1, 4))}, seeds.ids)
    assert docs.write_vectors("b", {0: np.zeros((2, 4)), 2: np.zeros((1, 4))}, seeds.ids)
    assert sorted(docs.read_vectors("a", 4)) == [1]  # document 0's "a" rows replaced
    assert sorted(docs.read_vectors("b", 4)) == [0, 2]
    assert docs.read_vectors("c", 4) == {}  # a model sorting after "b" too


def test_a_newer_schema_with_more_tables_asks_for_a_newer_quoteprov(seeds_file: Path) -> None:
    with sqlite3.connect(seeds_file) as db:
        db.execute("CREATE TABLE later (x)")
        db.execute(
            "UPDATE meta SET value = ? WHERE key = 'schema'", (store_module.SCHEMA_VERSION + 1,)
        )
    with pytest.raises(qp.CorpusError, match="upgrade quoteprov to open it"):
        qp.Corpus.open(seeds_file)
    with sqlite3.connect(seeds_file) as db:  # the same table in a file of a schema this one reads
        db.execute("UPDATE meta SET value = '2' WHERE key = 'schema'")
    with pytest.raises(qp.CorpusError, match="not a quoteprov corpus file"):
        qp.Corpus.open(seeds_file)


def test_a_vectors_table_in_a_schema_2_file_is_refused(seeds_file: Path) -> None:
    with sqlite3.connect(seeds_file) as db:
        db.execute(store_module._VECTORS)
    with pytest.raises(qp.CorpusError, match="not a quoteprov corpus file"):
        qp.Corpus.open(seeds_file)


def test_bad_or_unfinished_vectors_are_left_out_and_not_kept(
    seeds: qp.Corpus, seeds_file: Path
) -> None:
    docs = CorpusIndex.for_corpus(qp.Corpus.open(seeds_file)).docs
    nan = np.full((1, 4), np.nan)
    assert docs.write_vectors("model", {0: np.ones((1, 4)), 1: nan}, seeds.ids)  # NaN: not kept
    assert sorted(docs.read_vectors("model", 4)) == [0]
    with sqlite3.connect(seeds_file) as db:
        db.executemany(
            "INSERT INTO vectors VALUES ('model', ?, ?)",
            [(1, b"\x00\x3c\x00"), (2, np.full(4, np.inf, dtype="<f2").tobytes())],
        )
    assert sorted(docs.read_vectors("model", 4)) == [0]  # cut and infinite rows: left out


def test_a_snapshot_reads_only_its_own_documents_vectors(
    seeds: qp.Corpus, seeds_file: Path
) -> None:
    old = CorpusIndex.for_corpus(qp.Corpus.open(seeds_file)).docs
    grown = qp.Corpus.open(seeds_file)
    grown.add(qp.Document(id="new", text="Added since."))
    n = len(seeds)
    assert CorpusIndex.for_corpus(grown).docs.write_vectors(
        "model", {n: np.ones((1, 4))}, grown.ids
    )
    assert old.read_vectors("model", 4) == {}  # document n is not in that snapshot


def test_keeping_vectors_gives_way_and_leaves_no_lock(seeds: qp.Corpus, seeds_file: Path) -> None:
    corpus = qp.Corpus.open(seeds_file)
    docs = CorpusIndex.for_corpus(corpus).docs
    one = {0: np.ones((1, 4))}
    writer = sqlite3.connect(seeds_file, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:  # another process writing: left for a later search
        assert docs.write_vectors("model", one, seeds.ids) is False
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert docs.read_vectors("model", 4) == {}
    assert docs.write_vectors("model", one, seeds.ids) is True
    with sqlite3.connect(seeds_file) as db:  # an error in the middle of a transaction
        db.execute(
            "CREATE TRIGGER no BEFORE INSERT ON vectors BEGIN SELECT RAISE(ABORT, 'no'); END"
        )
    with pytest.raises(qp.CorpusError, match="cannot keep vectors"):
        docs.write_vectors("model", {1: np.ones((1, 4))}, seeds.ids)
    corpus.add(qp.Document(id="after", text="The file takes an add at once."))  # no lock left


def test_vectors_are_kept_only_in_batches_of_their_own_corpus(
    monkeypatch: pytest.MonkeyPatch, seeds: qp.Corpus, tmp_path: Path, seeds_file: Path
) -> None:
    monkeypatch.setattr(store_module, "VECTORS_BATCH", 2)
    docs = CorpusIndex.for_corpus(qp.Corpus.open(seeds_file)).docs
    blocks = {d: np.full((1, 4), d) for d in range(len(seeds))}
    assert docs.write_vectors("model", blocks, seeds.ids)  # three transactions
    assert sorted(docs.read_vectors("model", 4)) == list(range(len(seeds)))
    other = tmp_path / "other.qp"  # the file replaced by a corpus of other documents
    qp.Corpus([qp.Document(id=f"x{k}", text="Another text.") for k in range(5)]).save(other)
    os.replace(other, seeds_file)
    assert docs.write_vectors("new model", blocks, seeds.ids) is False
    with sqlite3.connect(seeds_file) as db:
        assert db.execute("SELECT name FROM sqlite_master WHERE name = 'vectors'").fetchall() == []
    missing = tmp_path / "gone.qp"
    gone = store_module.StoredDocuments(missing, len(seeds))
    assert gone.write_vectors("model", blocks, seeds.ids) is False
    assert not missing.exists()  # a file that is gone is not created again


def test_an_add_from_a_stale_view_is_refused(seeds: qp.Corpus, seeds_file: Path) -> None:
    first, second = qp.Corpus.open(seeds_file), qp.Corpus.open(seeds_file)
    first.add(qp.Document(id="one", text="Added by the first process."))
    with pytest.raises(qp.CorpusError, match=r"has 1 more document\(s\) than when"):
        second.add(qp.Document(id="two", text="Added by the second."))
    assert second.ids == seeds.ids  # nothing changed, in memory or in the file
    assert qp.Corpus.open(seeds_file).ids == (*seeds.ids, "one")
    assert len(CorpusIndex.for_corpus(second).docs) == len(seeds)  # its own snapshot


_READER = textwrap.dedent(
    """
    import sys, time
    import quoteprov as qp
    from quoteprov.search._index import CorpusIndex
    from quoteprov.text._analysis import LazySpans

    path, query, until = sys.argv[1], sys.argv[2], float(sys.argv[3])
    seen = 0
    while time.time() < until:
        corpus = qp.Corpus.open(path)
        index = CorpusIndex.for_corpus(corpus)
        assert len(index.docs) == len(corpus) >= seen, (len(index.docs), len(corpus), seen)
        assert [a.doc.id for a in index.docs] == list(corpus.ids)
        for m in qp.trace_quote(query, corpus).matches:
            assert corpus[m.doc_id].text[m.start : m.end] == m.text
        seen = len(corpus)
    print(seen)
    """
)


def test_two_readers_see_consistent_corpora_while_a_third_process_adds(
    seeds: qp.Corpus, tmp_path: Path, seeds_file: Path
) -> None:
    import time

    script = tmp_path / "read.py"
    script.write_text(_READER)
    until = time.time() + 6
    readers = [
        subprocess.Popen(
            [sys.executable, str(script), str(seeds_file), QUERY, str(until)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    writer = qp.Corpus.open(seeds_file)
    added = 0
    while time.time() < until - 1:
        writer.add(_extra(added + 1)[added])
        added += 1
    results = [r.communicate(timeout=60) for r in readers]
    for reader, (out, err) in zip(readers, results, strict=True):
        assert reader.returncode == 0, err
        assert len(seeds) <= int(out) <= len(seeds) + added
    assert qp.Corpus.open(seeds_file).ids == (*seeds.ids, *(f"extra{k}" for k in range(added)))


def test_quotations_keep_whether_they_are_direct_speech(tmp_path: Path) -> None:
    # regression (fuzzing, issue 4): Quote.direct was not read back, so every quotation of
    # an opened corpus claimed to be direct speech
    doc = qp.Document(id="a", text='He called the plan "a disaster for every family" today.')
    path = tmp_path / "c.qp"
    qp.Corpus([doc]).save(path)
    [quote] = CorpusIndex.for_corpus(qp.Corpus.open(path)).docs[0].quotes
    assert quote == qp.extract_quotes(doc.text)[0] and quote.direct is False


def test_a_schema_that_is_no_plain_number_is_refused(seeds_file: Path) -> None:
    with sqlite3.connect(seeds_file) as db:
        db.execute("UPDATE meta SET value = '²' WHERE key = 'schema'")  # str.isdigit() says yes
    with pytest.raises(qp.CorpusError, match="not a quoteprov corpus file"):
        qp.Corpus.open(seeds_file)
