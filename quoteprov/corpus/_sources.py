"""A corpus from whatever a user holds: a Corpus, a path, or documents or dicts.

>>> as_corpus([{"id": "a", "text": "Hello."}])
Corpus(1 document)
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal, Union

from .._errors import CorpusError, InputError
from .._models import Document
from ._corpus import Corpus

__all__ = ["CorpusLike", "as_corpus"]

_HTML = (".html", ".htm")
_WARC = (".warc", ".warc.gz")

CorpusLike = Union[Corpus, str, "os.PathLike[str]", Iterable[Document | Mapping[str, Any]]]


def as_corpus(
    source: CorpusLike, *, errors: Literal["raise", "skip"] = "raise", lazy: bool = False
) -> Corpus:
    """A :class:`Corpus` from a corpus, a path or an iterable of documents or dicts.

    A path may name a corpus file (written by :meth:`Corpus.save`), opened with
    :meth:`Corpus.open`; ``lazy`` opens it with ``lazy=True`` (documents read when asked,
    the index kept on disk beside it: for a file larger than memory).

    ``errors="skip"`` loads a folder or a JSON Lines file past the files or lines it
    cannot use, listed in ``corpus.skipped`` (see :meth:`Corpus.from_directory`).

    >>> as_corpus([{"id": "a", "text": "Hello."}])
    Corpus(1 document)
    """
    if isinstance(source, Corpus):
        return source
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.exists():
            raise CorpusError(
                f"{path} does not exist; point to a directory of .txt files or a .jsonl file"
            )
        if path.is_dir():
            return _from_folder(path, errors)
        if _is_corpus_file(path):
            return Corpus.open(path, lazy=lazy)
        if path.suffix == ".jsonl" and path.is_file():
            return Corpus.from_jsonl(path, errors=errors)
        if path.name.lower().endswith(_WARC):
            return Corpus.from_warc(path, errors=errors)
        if path.suffix.lower() in _HTML:
            return Corpus.from_html(path, errors=errors)
        raise CorpusError(
            f"{path} is neither a directory of .txt or .html files, a .jsonl file, a "
            ".warc/.warc.gz crawl nor a corpus file; point to the folder holding the documents"
        )
    if isinstance(source, Iterable):
        items = list(source)
        if all(isinstance(item, Document) for item in items):
            return Corpus(item for item in items if isinstance(item, Document))
        if all(isinstance(item, Mapping) for item in items):
            return Corpus.from_records(item for item in items if isinstance(item, Mapping))
    raise InputError(
        f"cannot make a corpus from {type(source).__name__}: pass a Corpus, a directory, "
        "a .jsonl file, or a list of Documents or dicts"
    )


def _is_corpus_file(path: Path) -> bool:
    """Whether ``path`` is an SQLite file (a corpus file, or refused as another kind by
    :meth:`Corpus.open` with what to do)."""
    try:
        with path.open("rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _from_folder(path: Path, errors: Literal["raise", "skip"]) -> Corpus:
    """A folder of text files as ever; one with no ``.txt`` file but web pages or crawls
    is loaded as those."""
    names = [entry.name.lower() for entry in path.iterdir() if not entry.name.startswith(".")]
    if not any(name.endswith(".txt") for name in names):
        pages = any(name.endswith(_HTML) for name in names)
        crawls = any(name.endswith(_WARC) for name in names)
        if pages and crawls:
            raise CorpusError(
                f"{path} holds both web pages and WARC crawls; point to the pages' folder "
                "or to the crawl files"
            )
        if pages:
            return Corpus.from_html(path, errors=errors)
        if crawls:
            return Corpus.from_warc(path, errors=errors)
    return Corpus.from_directory(path, errors=errors)
