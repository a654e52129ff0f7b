"""The candidate index kept on disk beside a corpus file, memory-mapped when opened.

Read whole when a corpus file is opened, the index of a million documents (30 million
sentences, a third of a billion term entries) takes minutes and more memory than a laptop
has.  This one is written once into a folder beside the file (``<file>.index``) and
opened by mapping its arrays: opening reads a few kilobytes, and a search reads the pages
of the posting lists and sentence rows it touches, which the operating system keeps
cached between searches and shares between the processes that map them.

It holds what :class:`~quoteprov.search._index.CorpusIndex` derives from the file's
stored arrays, the same numbers computed the same way: each sentence's document, number,
words and hash, the document frequency of each term, the TF-IDF rows of unit length and
their transpose (the posting lists).  It also holds the documents' words (numbers of the
file's word table) and where each sentence's begin among them: a query with thousands
of candidate sentences reads their words there, not every candidate document from the
file (:meth:`~quoteprov.search._index.CorpusIndex.region_codes`).

:func:`write_mapped` builds it in bounded memory: the file's analysis is read a block of
documents at a time, appended to raw arrays, then weighed and transposed a block of
sentence rows at a time through memory maps (a counting sort: each term's posting list
has room for its document frequency).  It is written to a
temporary folder renamed into place when complete, so a build that is killed leaves no
index, and the next search builds it again from the file; the documents the file holds
are never at risk.

The folder holds ``meta.json`` (what the arrays are, and which state of the corpus file
they index: its number of documents, first and last id and analysis rules) and one raw
little-endian file per array.  An index that does not match the file is not used.
"""

from __future__ import annotations

import contextlib
import json
import mmap
import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
from scipy import sparse

from .._errors import CorpusError
from ..corpus._store import ANALYSIS_VERSION, SQLiteStorage

__all__ = [
    "MAPPED_VERSION",
    "MappedIndex",
    "idf_of",
    "index_folder",
    "open_mapped",
    "read_mapped",
    "write_mapped",
]

MAPPED_VERSION = 3  # raise when what the folder holds, or how it is computed, changes
# 2: the sentences' document, number and length as int64, as in memory (products of
#    document numbers overflowed int32 from 46,341 documents)
# 3: the documents' words, and where each sentence's begin
BLOCK_ROWS = 1_000_000  # sentence rows weighed and posted per step of a build


def index_folder(path: Path) -> Path:
    """Where the mapped index of the corpus file ``path`` is kept.

    >>> index_folder(Path("news/may.qp")).as_posix()
    'news/may.qp.index'
    """
    return path.with_name(path.name + ".index")


def idf_of(df: np.ndarray, rows: int) -> np.ndarray:
    """The IDF weight of terms held by ``df`` of ``rows`` sentences (smoothed: a term
    every sentence holds still weighs 1).

    >>> idf_of(np.array([0, 3]), 3).round(3).tolist()
    [2.386, 1.0]
    """
    n = max(rows, 1)
    return np.log((1 + n) / (1 + df)) + 1.0


def weigh_entries(
    counts: np.ndarray, terms: np.ndarray, row_of: np.ndarray, rows: int, idf: np.ndarray
) -> np.ndarray:
    """TF-IDF weights of unit length per row: ``(1 + log count) * idf``, each row divided
    by its norm (a row without terms keeps norm 1).  ``row_of`` numbers each entry's row
    from 0 to ``rows - 1``, the entries of a row consecutive.

    >>> weigh_entries(np.array([1.0, 1.0]), np.array([0, 1]), np.array([0, 0]), 1,
    ...               np.array([1.0, 1.0])).round(4).tolist()
    [0.7071, 0.7071]
    """
    weighted: np.ndarray = (1.0 + np.log(counts)) * idf[terms]
    norms = np.sqrt(np.bincount(row_of, weighted * weighted, minlength=rows))
    norms[norms == 0] = 1.0
    weighted *= (1.0 / norms)[row_of]
    return weighted


@dataclass(frozen=True)
class MappedIndex:
    """The arrays of a mapped index (see the module documentation); all read-only."""

    folder: Path
    doc_starts: np.ndarray
    unit_doc: np.ndarray
    unit_sent: np.ndarray
    unit_len: np.ndarray
    unit_hash: np.ndarray
    unit_words: np.ndarray
    words: np.ndarray
    df: np.ndarray
    matrix: sparse.csr_matrix
    postings: sparse.csr_matrix


def _stamp(ids: list[str]) -> dict[str, Any]:
    """What identifies the state of the corpus file an index was built from."""
    return {
        "version": MAPPED_VERSION,
        "analysis": ANALYSIS_VERSION,
        "documents": len(ids),
        "first": ids[0] if ids else None,
        "last": ids[-1] if ids else None,
    }


def _array(folder: Path, meta: dict[str, Any], name: str) -> np.ndarray:
    dtype, size = np.dtype(meta["arrays"][name][0]), int(meta["arrays"][name][1])
    if size == 0:
        return np.zeros(0, dtype=dtype)
    path = folder / name
    if path.stat().st_size != size * dtype.itemsize:
        raise ValueError(f"{name} has {path.stat().st_size} bytes")
    return np.memmap(path, dtype=dtype, mode="r", shape=(size,))


def open_mapped(storage: SQLiteStorage, ids: list[str]) -> MappedIndex | None:
    """The mapped index of ``storage``'s file (whose documents' ids are ``ids``), or None
    when there is none or it indexes another state of the file."""
    folder = index_folder(storage.path)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if not isinstance(meta, dict) or meta.get("stamp") != _stamp(ids):
            return None
        if int(meta["terms"]) > len(storage.terms.items):
            return None
        return read_mapped(folder, meta)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing, partial or foreign: built again from the file


def read_mapped(folder: Path, meta: dict[str, Any] | None = None) -> MappedIndex:
    """The arrays of the mapped index in ``folder``, as they are (:func:`open_mapped`
    checks first which state of which file they index).

    Raises
    ------
    OSError, ValueError, KeyError, TypeError
        The folder does not hold a whole index.
    """
    if meta is None:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        assert meta is not None
    terms, rows = int(meta["terms"]), int(meta["rows"])
    get = {name: _array(folder, meta, name) for name in meta["arrays"]}
    matrix = sparse.csr_matrix(
        (get["data"], get["indices"], get["indptr"]), shape=(rows, terms), copy=False
    )
    postings = sparse.csr_matrix(
        (get["post_data"], get["post_indices"], get["post_indptr"]),
        shape=(terms, rows),
        copy=False,
    )
    return MappedIndex(
        folder,
        get["doc_starts"],
        get["unit_doc"],
        get["unit_sent"],
        get["unit_len"],
        get["unit_hash"],
        get["unit_words"],
        get["words"],
        np.asarray(get["df"], dtype=np.int64),
        matrix,
        postings,
    )


class _Raw:
    """Raw arrays appended to files of a folder, then mapped.

    The maps are this object's own, so that :meth:`release` can write back what was
    written and drop every mapped page from the process (``MADV_DONTNEED``): the pages
    stay in the system's file cache, and the build's memory stays that of one block
    however big the index.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.arrays: dict[str, tuple[str, int]] = {}
        self._files: dict[str, BinaryIO] = {}
        self._maps: list[mmap.mmap] = []

    def append(self, name: str, values: np.ndarray, dtype: np.dtype[Any]) -> None:
        if name not in self._files:
            self._files[name] = (self.folder / name).open("wb")
            self.arrays[name] = (dtype.str, 0)
        self._files[name].write(np.ascontiguousarray(values, dtype=dtype).tobytes())
        self.arrays[name] = (dtype.str, self.arrays[name][1] + len(values))

    def close(self) -> None:
        for handle in self._files.values():
            handle.close()
        self._files.clear()

    def _mapped(self, name: str, writable: bool) -> np.ndarray:
        dtype, size = np.dtype(self.arrays[name][0]), self.arrays[name][1]
        if size == 0:
            if writable:
                (self.folder / name).touch()
            return np.zeros(0, dtype=dtype)
        with (self.folder / name).open("r+b" if writable else "rb") as handle:
            if writable:
                handle.truncate(size * dtype.itemsize)
            access = mmap.ACCESS_WRITE if writable else mmap.ACCESS_READ
            mapped = mmap.mmap(handle.fileno(), size * dtype.itemsize, access=access)
        self._maps.append(mapped)
        return np.frombuffer(mapped, dtype=dtype)

    def map(self, name: str) -> np.ndarray:
        """The array appended as ``name``, read-only."""
        return self._mapped(name, writable=False)

    def create(self, name: str, dtype: np.dtype[Any], size: int) -> np.ndarray:
        """A new writable array of ``size`` zeros, kept as ``name``."""
        self.arrays[name] = (dtype.str, size)
        (self.folder / name).touch()
        return self._mapped(name, writable=True)

    def release(self) -> None:
        """Write back every map and drop its pages from this process."""
        for mapped in self._maps:
            if mapped.closed:
                continue
            if hasattr(mmap, "MADV_DONTNEED"):  # POSIX; elsewhere the pages stay
                mapped.flush()
                mapped.madvise(mmap.MADV_DONTNEED)

    def flush(self) -> None:
        """Write back every map."""
        for mapped in self._maps:
            mapped.flush()

    def close_maps(self) -> None:
        """Close every map (their arrays must be gone)."""
        for mapped in self._maps:
            with contextlib.suppress(BufferError):  # a view left: closed when it goes
                mapped.close()
        self._maps.clear()


def _steps(total: int, size: int) -> Iterator[tuple[int, int]]:
    for lo in range(0, total, size):
        yield lo, min(total, lo + size)


def write_mapped(storage: SQLiteStorage, ids: list[str], progress: bool | None = None) -> Path:
    """Build the mapped index of ``storage``'s file (whose documents' ids are ``ids``) in
    bounded memory, replacing any other one, and return its folder.

    Raises
    ------
    CorpusError
        The folder beside the file cannot be written.
    """
    folder = index_folder(storage.path)
    temporary = folder.with_name(f".{folder.name}.{secrets.token_hex(6)}")
    try:
        temporary.mkdir()
    except OSError as exc:
        raise CorpusError(
            f"cannot write the index beside {storage.path} ({exc.strerror or exc}); open it "
            "without lazy=True, or copy it to a folder you can write"
        ) from exc
    try:
        meta = _build(storage, temporary, progress) | {"stamp": _stamp(ids)}
        (temporary / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(temporary, folder)
    except BaseException:
        with contextlib.suppress(OSError):
            shutil.rmtree(temporary)
        raise
    return folder


def _build(storage: SQLiteStorage, folder: Path, progress: bool | None) -> dict[str, Any]:
    """Write the arrays into ``folder``; what they are (``meta.json`` less the stamp)."""
    raw = _Raw(folder)
    i4, i8, f8 = np.dtype("<i4"), np.dtype("<i8"), np.dtype("<f8")
    df = np.zeros(0, dtype=np.int64)
    docs = 0
    columns: dict[str, np.dtype[Any]] = {
        "sentences": i8,
        "unit_len": i8,
        "unit_hash": i8,
        "unit_words": i8,
        "words": i4,
        "term_rows": i4,
        "term_ids": i4,
        "term_counts": i4,
    }
    try:
        for name, dtype in columns.items():  # an empty corpus has empty arrays
            raw.append(name, np.zeros(0, dtype=dtype), dtype)
        for block in storage.blocks(progress=progress, words=True):
            raw.append("sentences", block.sentences, i8)
            raw.append("unit_len", block.lengths, i8)
            raw.append("unit_hash", block.hashes, i8)
            # each sentence's first word among all the documents' words
            first_word = np.cumsum(block.tokens) - block.tokens + raw.arrays["words"][1]
            raw.append("unit_words", np.repeat(first_word, block.sentences) + block.firsts, i8)
            raw.append("words", block.words, i4)
            raw.append("term_rows", block.term_rows, i4)
            raw.append("term_ids", block.term_ids, i4)
            raw.append("term_counts", block.term_counts, i4)
            seen = np.bincount(block.term_ids, minlength=df.size)
            seen[: df.size] += df
            df = seen
            docs += len(block.sentences)
    finally:
        raw.close()
    if docs != storage.count:
        raise CorpusError(f"{storage.path} is damaged (its index is incomplete)")
    sentences = np.asarray(raw.map("sentences"), dtype=np.int64)
    rows = int(sentences.sum())
    term_rows, term_ids, term_counts = (
        raw.map("term_rows"),
        raw.map("term_ids"),
        raw.map("term_counts"),
    )
    entries = term_ids.size
    terms = df.size
    idx = i4 if max(rows, entries, terms) < 2**31 - 1 else i8
    raw.create("df", i8, terms)[:] = df
    doc_starts = np.concatenate([[0], np.cumsum(sentences)]).astype(np.int64)
    raw.create("doc_starts", i8, doc_starts.size)[:] = doc_starts
    # int64 as in memory: the graph multiplies document numbers (a pair's key)
    unit_doc, unit_sent = raw.create("unit_doc", i8, rows), raw.create("unit_sent", i8, rows)
    for lo, hi in _steps(docs, BLOCK_ROWS // 32 + 1):
        a, b = int(doc_starts[lo]), int(doc_starts[hi])
        unit_doc[a:b] = np.repeat(np.arange(lo, hi), sentences[lo:hi])
        unit_sent[a:b] = np.arange(b - a) - np.repeat(doc_starts[lo:hi] - a, sentences[lo:hi])
        raw.release()
    indptr = raw.create("indptr", idx, rows + 1)
    if rows:
        indptr[0] = 0
        running = 0
        for lo, hi in _steps(rows, BLOCK_ROWS):
            sums = np.cumsum(term_rows[lo:hi], dtype=np.int64) + running
            indptr[lo + 1 : hi + 1] = sums
            running = int(sums[-1]) if sums.size else running
            raw.release()
    indices, data = raw.create("indices", idx, entries), raw.create("data", f8, entries)
    post_indptr = raw.create("post_indptr", idx, terms + 1)
    if terms:
        post_indptr[0] = 0
        post_indptr[1:] = np.cumsum(df)
    post_indices, post_data = (
        raw.create("post_indices", idx, entries),
        raw.create("post_data", f8, entries),
    )
    idf = idf_of(df, rows)
    free = np.asarray(post_indptr[:-1], dtype=np.int64).copy()  # each posting list's next slot
    for lo, hi in _steps(rows, BLOCK_ROWS):
        a, b = int(indptr[lo]), int(indptr[hi])
        row_of = np.repeat(np.arange(hi - lo), np.asarray(term_rows[lo:hi], dtype=np.int64))
        term = np.asarray(term_ids[a:b], dtype=np.int64)
        weights = weigh_entries(
            np.asarray(term_counts[a:b], dtype=np.float64), term, row_of, hi - lo, idf
        )
        indices[a:b] = term
        data[a:b] = weights
        # rows grow through the blocks, so each posting list stays sorted by row
        order = np.argsort(term, kind="stable")
        by_term = term[order]
        firsts = np.r_[0, np.flatnonzero(by_term[1:] != by_term[:-1]) + 1]
        rank = np.arange(by_term.size) - np.repeat(firsts, np.diff(np.r_[firsts, by_term.size]))
        slots = free[by_term] + rank
        post_indices[slots] = (row_of[order] + lo).astype(idx)
        post_data[slots] = weights[order]
        free += np.bincount(term, minlength=terms)
        raw.release()
    raw.flush()
    for name in ("sentences", "term_rows", "term_ids", "term_counts"):
        del raw.arrays[name]
    meta = {"rows": rows, "terms": terms, "arrays": raw.arrays}
    del sentences, term_rows, term_ids, term_counts, indptr, indices, data
    del post_indptr, post_indices, post_data, unit_doc, unit_sent
    raw.close_maps()  # no view of them is left: a map of a file to delete is closed first
    for name in ("sentences", "term_rows", "term_ids", "term_counts"):
        (folder / name).unlink()
    return meta
