"""A corpus: documents in insertion order, looked up by id, and the loaders that build one.

Documents come from a folder of text files (with optional JSON metadata), a JSON Lines file,
or any iterable of dicts such as a pandas DataFrame's ``to_dict("records")``.  Texts are kept
exactly as decoded (only a byte-order mark is dropped), so every offset later stages report
points into the original text.

>>> corpus = Corpus.from_records([{"id": "a", "text": "One."}, {"id": "b", "text": "Two."}])
>>> corpus
Corpus(2 documents)
>>> corpus["b"].text
'Two.'
>>> corpus.ids
('a', 'b')
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import difflib
import itertools
import json
import numbers
import os
import reprlib
import warnings
from collections.abc import Iterable, Iterator, Mapping
from fnmatch import fnmatch
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from .._errors import (
    CorpusError,
    DocumentFormatError,
    DuplicateDocumentError,
    EncodingError,
    InputError,
    QuoteprovError,
    skippable,
)
from .._models import Document
from ._storage import MemoryStorage, Storage

__all__ = ["Corpus", "read_text", "reads"]

Errors = Literal["raise", "skip"]

_RECORD_FIELDS = ("id", "text", "title", "source", "url", "published", "metadata")
_METADATA_FIELDS = _RECORD_FIELDS[2:]
_MANIFEST = "manifest.json"
_BINARY_PROBE = 8192
# UTF-32 LE before UTF-16 LE: the first's BOM starts with the second's
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# One process-wide counter, so (id(corpus), version) is never reused even when a freed
# corpus's id() is recycled by a new one.
_VERSIONS = itertools.count()


class Corpus:
    """Documents in insertion order, each identified by its unique id.

    Parameters
    ----------
    documents
        The initial documents; their ids must be unique.
    storage
        Where the documents, their analysis and the sentence vectors of semantic searches
        are kept (a :class:`~quoteprov.corpus._storage.Storage`): by default a new
        :class:`~quoteprov.MemoryStorage`; :meth:`open` gives a corpus on a
        :class:`~quoteprov.SQLiteStorage`.  ``documents`` are added to it.

    Attributes
    ----------
    storage
        The storage (read-only; :meth:`save` moves the corpus to a file's).
    skipped
        ``(path or "path:line", reason)`` for every input a loader skipped with
        ``errors="skip"``; empty otherwise.
    counts
        For a loader that passes over part of its input by design (:meth:`from_warc`:
        request records, redirects, images...): records read, kept, and passed over by
        reason; empty otherwise.

    Examples
    --------
    >>> corpus = Corpus([Document(id="a", text="Hello.")])
    >>> "a" in corpus, len(corpus)
    (True, 1)
    """

    def __init__(
        self, documents: Iterable[Document] = (), *, storage: Storage | None = None
    ) -> None:
        if storage is not None and not isinstance(storage, Storage):
            raise InputError(
                f"storage must be a quoteprov Storage (MemoryStorage, SQLiteStorage), not "
                f"{type(storage).__name__}"
            )
        self._storage: Storage = storage if storage is not None else MemoryStorage()
        self._version = next(_VERSIONS)
        self.skipped: list[tuple[str, str]] = []
        self.counts: dict[str, int] = {}
        self.extend(documents)

    @property
    def storage(self) -> Storage:
        """Where the documents and their analysis are kept.

        >>> Corpus([Document(id="a", text="Hi.")]).storage
        MemoryStorage(1 document)
        """
        return self._storage

    # -- the corpus file -------------------------------------------------------------------

    def save(self, path: str | os.PathLike[str]) -> None:
        """Save the documents, their analysis and the index in one SQLite file.

        The file is written whole (to a temporary file, then renamed) and the corpus stays
        attached to it: later :meth:`add` and :meth:`extend` calls write the new documents
        there too, each call in one transaction.  See :mod:`quoteprov.corpus._store`.

        Raises
        ------
        CorpusError
            ``path`` exists already (open it with :meth:`open` and add to it), or cannot
            be written.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = pathlib.Path(folder, "news.qp")
        ...     Corpus([Document(id="a", text="Peace is near.")]).save(path)
        ...     again = Corpus.open(path)
        ...     again.add(Document(id="b", text="War is far."))
        ...     Corpus.open(path).ids
        ('a', 'b')
        """
        # the analysis and vectors already computed are written, not computed again; the
        # documents are the same, so the version (and any index built on it) stays
        self._storage = self._storage.save(Path(path))

    @classmethod
    def open(
        cls, path: str | os.PathLike[str], *, progress: bool | None = None, lazy: bool = False
    ) -> Corpus:
        """Open a corpus saved by :meth:`save`: documents, analysis and index, as stored.

        Nothing is re-segmented or re-indexed; documents added later go to the file.

        ``lazy=True`` is for corpora larger than memory: only the document ids are read
        now, each document when it is asked for, and searches use the candidate index
        kept on disk beside the file (``<path>.index``, memory-mapped), which the first
        search builds when it is missing or older than the file's documents.

        A file analysed by an earlier quoteprov's rules, or written in an older schema
        this version still reads, opens with a warning: its documents are analysed again
        in memory and the corpus is not attached to it (save it again to keep that).

        Raises
        ------
        CorpusError
            The file is missing, is not a quoteprov corpus (another SQLite file, or one
            with triggers or views), is damaged (also when what is damaged is read later),
            or has a schema this version cannot read (a newer one, or one too old).
        """
        from ._store import SQLiteStorage  # the file backend, loaded when a file is used

        return cls(storage=SQLiteStorage.open(Path(path), progress, lazy))

    # -- loaders -------------------------------------------------------------------------

    @classmethod
    def from_directory(
        cls,
        path: str | os.PathLike[str],
        *,
        pattern: str = "*.txt",
        encoding: str = "utf-8",
        errors: Errors = "raise",
    ) -> Corpus:
        """Load the text files of one folder (not its subfolders), sorted by file name.

        A document's id is its file name without the extension.  Metadata (``title``,
        ``source``, ``url``, ``published``, ``metadata``) comes from a ``manifest.json`` in
        the folder, an object mapping ids to metadata objects, and from a sidecar
        ``<id>.json`` beside a text file; the sidecar wins field by field, and the two
        ``metadata`` objects are merged key by key.  JSON files, hidden files and
        subfolders are never loaded as texts.

        Parameters
        ----------
        path
            The folder.
        pattern
            Shell-style pattern the file names must match.
        encoding
            The texts' encoding.  A byte-order mark overrides it (UTF-8, UTF-16, UTF-32).
        errors
            ``"raise"`` stops at the first bad file; ``"skip"`` records it in
            ``corpus.skipped``, warns once, and goes on.

        Returns
        -------
        Corpus

        Raises
        ------
        CorpusError
            The folder is missing or is not a folder.
        EncodingError
            A file is not valid text in ``encoding``.
        DocumentFormatError
            A file is binary, or a JSON metadata file is malformed.
        InputError
            A metadata field is unknown or has an unusable value.
        DuplicateDocumentError
            Two files share a name without extension (possible with ``pattern="*"``).

        Examples
        --------
        >>> import pathlib, tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     _ = pathlib.Path(folder, "a.txt").write_bytes(b"Line one.\\r\\nLine two.")
        ...     _ = pathlib.Path(folder, "a.json").write_text('{"title": "Lines"}')
        ...     corpus = Corpus.from_directory(folder)
        >>> corpus["a"].title, corpus["a"].text
        ('Lines', 'Line one.\\r\\nLine two.')
        """
        _check_errors_mode(errors)
        codec = _codec(encoding)
        folder = Path(path)
        if not folder.is_dir():
            state = "is not a directory" if folder.exists() else "does not exist"
            raise CorpusError(
                f"corpus directory {str(folder)!r} {state}; pass the folder that holds the text "
                "files (use Corpus.from_jsonl for a .jsonl file)"
            )
        files = sorted(
            (
                file
                for file in folder.iterdir()
                if fnmatch(file.name, pattern)
                and not file.name.startswith(".")
                and file.suffix.lower() != ".json"
                and not file.is_dir()
            ),
            key=lambda file: file.name,
        )
        if not files:
            # an empty corpus would answer every query with "no occurrence": say why instead
            raise CorpusError(
                f"no files match {pattern!r} in {folder}; point to the folder that holds the "
                "documents' text files"
            )

        skipped: list[tuple[str, str]] = []
        manifest_path = folder / _MANIFEST
        manifest: dict[str, Any] = {}
        if manifest_path.is_file():
            try:
                manifest = _read_json_object(manifest_path)
            except QuoteprovError as exc:
                if errors == "raise":
                    raise skippable(exc) from exc.__cause__
                skipped.append((str(manifest_path), str(exc)))

        documents: list[Document] = []
        seen: dict[str, str] = {}
        for file in files:
            try:
                document = _load_text_file(file, codec, manifest_path, manifest.get(file.stem))
                _claim(seen, document.id, str(file))
            except QuoteprovError as exc:
                if errors == "raise":
                    raise skippable(exc) from exc.__cause__
                skipped.append((str(file), str(exc)))
                continue
            if not document.text.strip():
                warnings.warn(
                    f"{file} is empty or only whitespace; it is kept as a document with no words",
                    stacklevel=2,
                )
            documents.append(document)

        for stem in sorted(manifest.keys() - {file.stem for file in files}):
            warnings.warn(
                f"{manifest_path} has an entry for {stem!r} but no file of that name matches "
                f"{pattern!r} in {folder}; the entry is ignored",
                stacklevel=2,
            )
        return cls._loaded(documents, skipped, len(files), str(folder))

    @classmethod
    def seeds(cls) -> Corpus:
        """The seed corpus that ships with quoteprov, its embedded default corpus.

        Five real news documents: an article on North Korea's statement about the July 2021
        protests in Cuba, its condensed paraphrased rewrite, a second outlet quoting the
        statement verbatim, and two older related pieces, with the metadata their texts
        state.  They are package data (read with ``importlib.resources``), so they are
        there wherever quoteprov is installed; ``quoteprov trace`` without ``--corpus``
        traces through them.

        Returns
        -------
        Corpus
            A new corpus of the five documents, loaded as :meth:`from_directory` loads a
            folder.

        Examples
        --------
        >>> corpus = Corpus.seeds()
        >>> len(corpus), corpus["000_6d2a861c4dda6642"].source
        (5, 'Newsweek')
        """
        with resources.as_file(resources.files("quoteprov") / "seeds") as folder:
            return cls.from_directory(folder)

    @classmethod
    def from_jsonl(cls, path: str | os.PathLike[str], *, errors: Errors = "raise") -> Corpus:
        """Load a JSON Lines file: one JSON object per line, blank lines ignored.

        Each object has ``id`` and ``text`` and optionally ``title``, ``source``, ``url``,
        ``published`` and ``metadata``; ``null`` means absent.  The file must be UTF-8.

        Parameters
        ----------
        path
            The ``.jsonl`` file.
        errors
            ``"raise"`` stops at the first bad line; ``"skip"`` records it as
            ``("path:line", reason)`` in ``corpus.skipped``, warns once, and goes on.

        Returns
        -------
        Corpus

        Raises
        ------
        CorpusError
            The file cannot be read.
        DocumentFormatError
            A line is not a JSON object, or lacks ``id`` or ``text``.
        InputError
            A field is unknown or has an unusable value.
        EncodingError
            A line is not valid UTF-8.
        DuplicateDocumentError
            Two lines share an id; the message names both lines.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     file = pathlib.Path(folder, "docs.jsonl")
        ...     _ = file.write_text('{"id": "a", "text": "Hi.", "published": "2021-07-16"}\\n')
        ...     corpus = Corpus.from_jsonl(file)
        >>> corpus["a"].published
        datetime.date(2021, 7, 16)
        """
        _check_errors_mode(errors)
        file = Path(path)
        try:
            raw_lines = file.read_bytes().split(b"\n")
        except OSError as exc:
            raise CorpusError(f"cannot read JSON Lines file {str(file)!r}: {_reason(exc)}") from exc

        documents: list[Document] = []
        seen: dict[str, str] = {}
        skipped: list[tuple[str, str]] = []
        for lineno, raw in enumerate(raw_lines, start=1):
            where = f"{file}:{lineno}"
            try:
                if lineno == 1:
                    raw = raw.removeprefix(codecs.BOM_UTF8)
                line = _decode_line(raw, where)
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise DocumentFormatError(
                        # json's own message may end with "at" ("Unterminated string
                        # starting at"): the column completes it rather than following it
                        f"{where}: not valid JSON ({exc.msg.removesuffix(' at')} at column "
                        f"{exc.colno}); each line "
                        "must hold one JSON object"
                    ) from exc
                named = _where(where, record)
                document = _document(_fields(record, _RECORD_FIELDS, named), named)
                _claim(seen, document.id, where)
            except QuoteprovError as exc:
                if errors == "raise":
                    raise skippable(exc) from exc.__cause__
                skipped.append((where, str(exc)))
                continue
            documents.append(document)
        _warn_empty(documents, str(file))
        return cls._loaded(documents, skipped, len(documents) + len(skipped), str(file))

    @classmethod
    def from_html(
        cls,
        paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
        *,
        encoding: str | None = None,
        errors: Errors = "raise",
    ) -> Corpus:
        """Load saved news web pages: the ``.html``/``.htm`` files of a folder, or given files.

        Each page's main text (without menus, adverts, comments, share buttons and "related
        stories") becomes a document's ``text``, exactly as extracted; its headline, outlet,
        URL, publication date (``metadata["date_source"]`` says where it was found) and
        language fill the other fields (see :mod:`quoteprov.corpus._web`).  A document's id is its
        file name without the extension.  Needs ``pip install 'quoteprov[web]'``.

        Parameters
        ----------
        paths
            A folder (its ``.html``/``.htm`` files, not its subfolders, sorted by name), a
            file, or several of either.
        encoding
            The pages' encoding when they do not say; a byte-order mark wins over it, and it
            wins over a page's ``<meta charset>``.  By default the page's own, else UTF-8.
        errors
            ``"raise"`` stops at the first bad page; ``"skip"`` records it in
            ``corpus.skipped``, warns once, and goes on.

        Raises
        ------
        CorpusError
            A path is missing, or a folder holds no page.
        EncodingError
            A page is not valid text in its encoding.
        DocumentFormatError
            A file is binary, or a page has no main text.
        DuplicateDocumentError
            Two files share a name without extension.
        MissingDependencyError
            The ``web`` extra is not installed.
        """
        from ._web import load_html  # the web extra, imported only when used

        return load_html(paths, encoding=encoding, errors=errors)

    @classmethod
    def from_warc(
        cls,
        paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
        *,
        errors: Errors = "raise",
        keep: Literal["earliest", "latest"] = "earliest",
        progress: bool | None = None,
    ) -> Corpus:
        """Load the news pages of web-archive crawls: ``.warc`` or ``.warc.gz`` files.

        The files are streamed record by record; only a page's extracted text is kept, so
        memory grows with the corpus, never with the crawl.  Only ``response`` records of
        HTTP 200 with an HTML content type become documents, made as :meth:`from_html`
        makes them (:mod:`quoteprov.corpus._web`), with the record's URL, WARC-Record-ID and date
        in ``url`` and ``metadata``.  Request, metadata and other records, redirects, HTTP
        errors and non-HTML responses are passed over and counted in ``corpus.counts``.  A
        URL crawled more than once (compared without scheme, ``www.`` or fragment) is kept
        once: its earliest capture by ``WARC-Date`` (the closest to what was first
        published; ``keep="latest"`` for the last), the first in file order on a tie.
        The document id is the URL without its scheme (:func:`quoteprov.corpus._web.url_id`).

        Parameters
        ----------
        paths
            A WARC file, a folder of them, or several of either.
        errors
            ``"raise"`` stops at the first bad record (undecodable, truncated, malformed,
            no main text); ``"skip"`` records it in ``corpus.skipped`` and goes on (after
            malformed WARC framing, with the next file).
        keep
            Which capture of a URL crawled twice to keep: ``"earliest"`` or ``"latest"``.
        progress
            A progress bar (bytes, records read, kept and skipped) on stderr; by default
            when stderr is a terminal or in a notebook.

        Raises
        ------
        CorpusError
            A path is missing, or a folder holds no WARC file.
        EncodingError, DocumentFormatError
            A record cannot be decoded or has no main text, or the file is damaged; the
            message names the file, the record's offset and URL.
        MissingDependencyError
            The ``web`` extra is not installed.
        """
        from ._web import load_warc  # the web extra, imported only when used

        return load_warc(paths, errors=errors, keep=keep, progress=progress)

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]]) -> Corpus:
        """Build a corpus from mappings, e.g. a pandas DataFrame's ``to_dict("records")``.

        Fields are those of :class:`~quoteprov.Document`.  ``None`` or a float NaN
        (as pandas fills empty cells) means the field is absent; integer ids become strings.

        Parameters
        ----------
        records
            Mappings with ``id`` and ``text`` and optional metadata fields.

        Returns
        -------
        Corpus

        Raises
        ------
        DocumentFormatError
            A record is not a mapping, or lacks ``id`` or ``text``.
        InputError
            A field is unknown or has an unusable value; the message names the record.
        DuplicateDocumentError
            Two records share an id; the message names both.

        Examples
        --------
        >>> rows = [{"id": 7, "text": "Hi.", "title": float("nan")}]
        >>> Corpus.from_records(rows)["7"].title is None
        True
        """
        documents: list[Document] = []
        seen: dict[str, str] = {}
        for index, record in enumerate(records):
            named = _where(f"record {index}", record)
            document = _document(_fields(record, _RECORD_FIELDS, named), named)
            _claim(seen, document.id, f"record {index}")
            documents.append(document)
        _warn_empty(documents, "records")
        return cls(documents)

    @classmethod
    def _loaded(
        cls, documents: list[Document], skipped: list[tuple[str, str]], total: int, source: str
    ) -> Corpus:
        corpus = cls(documents)
        corpus.skipped = skipped
        if skipped:
            warnings.warn(
                f"skipped {len(skipped)} of {total} inputs from {source}; the reasons are in "
                "corpus.skipped",
                stacklevel=3,
            )
        return corpus

    # -- changes -------------------------------------------------------------------------

    def add(self, document: Document) -> None:
        """Add one document; its id must be new.

        Raises
        ------
        DuplicateDocumentError
            The id is already in the corpus (documents are never overwritten).
        InputError
            ``document`` is not a :class:`~quoteprov.Document`.

        Examples
        --------
        >>> corpus = Corpus()
        >>> corpus.add(Document(id="a", text="Hello."))
        >>> corpus.add(Document(id="a", text="Again."))
        Traceback (most recent call last):
        ...
        quoteprov.DuplicateDocumentError: document id 'a' is already in the corpus; ...
        """
        self.extend((document,))

    def extend(self, documents: Iterable[Document]) -> None:
        """Add several documents, all or none: nothing is added if any of them is refused.

        Raises
        ------
        DuplicateDocumentError
            An id is already in the corpus or appears twice among ``documents``.
        InputError
            An item is not a :class:`~quoteprov.Document`.

        Examples
        --------
        >>> corpus = Corpus([Document(id="a", text="A.")])
        >>> corpus.extend([Document(id="b", text="B."), Document(id="a", text="A again.")])
        Traceback (most recent call last):
        ...
        quoteprov.DuplicateDocumentError: document id 'a' is already in the corpus; ...
        >>> corpus.ids
        ('a',)
        """
        new: dict[str, Document] = {}
        for position, document in enumerate(documents):
            if not isinstance(document, Document):
                raise InputError(
                    f"item {position} is a {type(document).__name__}, not a Document; "
                    "build dicts into a corpus with Corpus.from_records"
                )
            if document.id in self._storage:
                raise DuplicateDocumentError(
                    f"document id {document.id!r} is already in the corpus; nothing was added "
                    "(documents are never overwritten: give the new one another id)"
                )
            if document.id in new:
                raise DuplicateDocumentError(
                    f"document id {document.id!r} appears twice among the documents to add; "
                    "nothing was added"
                )
            new[document.id] = document
        if new:
            self._storage.add(list(new.values()))  # a refused add (a file's) adds nothing
            self._version = next(_VERSIONS)

    # -- access --------------------------------------------------------------------------

    @property
    def ids(self) -> tuple[str, ...]:
        """The document ids in insertion order.

        >>> Corpus([Document(id="b", text=""), Document(id="a", text="")]).ids
        ('b', 'a')
        """
        return self._storage.ids

    @property
    def version(self) -> int:
        """A number that grows with every change, for caches keyed on ``(id(corpus), version)``.

        >>> corpus = Corpus()
        >>> before = corpus.version
        >>> corpus.add(Document(id="a", text="Hello."))
        >>> corpus.version > before
        True
        """
        return self._version

    def __len__(self) -> int:
        return len(self._storage)

    def __iter__(self) -> Iterator[Document]:
        return iter(self._storage)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._storage

    def __getitem__(self, doc_id: str) -> Document:
        """The document with id ``doc_id``.

        >>> Corpus([Document(id="001", text="Hi.")])["01"]
        Traceback (most recent call last):
        ...
        KeyError: "no document with id '01' in Corpus(1 document); did you mean '001'?"
        """
        document = self._storage.get(doc_id) if isinstance(doc_id, str) else None
        if document is not None:
            return document
        close = difflib.get_close_matches(str(doc_id), self._storage.ids, n=3)
        hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
        raise KeyError(f"no document with id {doc_id!r} in {self!r}{hint}")

    def __repr__(self) -> str:
        return f"Corpus({len(self)} document{'' if len(self) == 1 else 's'})"

    def _repr_html_(self) -> str:
        from ..view._display import corpus_html  # a later stage, imported only when shown

        return corpus_html(self)


# -- helpers -----------------------------------------------------------------------------


def reads(
    source: str | os.PathLike[str], path: str | os.PathLike[str], pattern: str = "*.txt"
) -> bool:
    """Whether loading the corpus at ``source`` (a folder or a ``.jsonl`` file) reads ``path``:
    it is that file (through links too), or a file of that folder the loader takes (a text
    file matching ``pattern``, or a ``.json`` metadata file).

    >>> reads("news", "news/manifest.json"), reads("news", "news/graph.graphml")
    (True, False)
    """
    target, origin = Path(os.path.realpath(path)), Path(os.path.realpath(source))
    with contextlib.suppress(OSError):  # a hard link; either may not exist yet
        if target == origin or os.path.samefile(target, origin):
            return True
    in_folder = target.parent == origin and not target.name.startswith(".")
    return in_folder and (target.suffix.lower() == ".json" or fnmatch(target.name, pattern))


def read_text(path: str | os.PathLike[str], *, encoding: str = "utf-8") -> str:
    r"""The text of one file, decoded as :meth:`Corpus.from_directory` decodes it.

    A byte-order mark wins over ``encoding`` and is dropped; line ends are kept as they are.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     file = pathlib.Path(tmp, "a.txt")
    ...     _ = file.write_bytes("\ufeffSí\r\n".encode("utf-8"))
    ...     read_text(file)
    'Sí\r\n'
    """
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise CorpusError(f"cannot read {file}: {_reason(exc)}") from exc
    return _decode(data, str(file), _codec(encoding))


def _warn_empty(documents: list[Document], source: str) -> None:
    """One warning naming the documents with no words (they are kept)."""
    empty = [d.id for d in documents if not d.text.strip()]
    if empty:
        shown = ", ".join(map(repr, empty[:5])) + (
            f" and {len(empty) - 5} more" if len(empty) > 5 else ""
        )
        warnings.warn(
            f"{len(empty)} document(s) from {source} are empty or only whitespace ({shown}); "
            "they are kept as documents with no words",
            stacklevel=3,
        )


def _check_errors_mode(errors: str) -> None:
    if errors not in ("raise", "skip"):
        raise InputError(f"errors must be 'raise' or 'skip', not {errors!r}")


def _codec(encoding: str) -> str:
    """The canonical codec name for ``encoding``; refuses names that are not text codecs."""
    try:
        name = codecs.lookup(encoding).name
        with contextlib.suppress(UnicodeError):
            b"\n".decode(name)  # raises LookupError for bytes-to-bytes codecs such as base64
    except LookupError as exc:
        raise InputError(
            f"unknown text encoding {encoding!r}; use a Python codec name such as 'utf-8' or "
            "'cp1252'"
        ) from exc
    return name


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _decode(data: bytes, where: str, codec: str) -> str:
    """Decode a whole file: a byte-order mark wins over ``codec`` and is dropped."""
    skip = 0
    for bom, bom_codec in _BOMS:
        if data.startswith(bom):
            codec, skip = bom_codec, len(bom)
            break
    if not codec.startswith(("utf-16", "utf-32")):
        nul = data.find(b"\0", 0, _BINARY_PROBE)
        if nul != -1:
            raise DocumentFormatError(
                f"{where} looks like a binary file (NUL byte at offset {nul}); only plain text "
                "files can be loaded: convert it to text, or move it out of the folder"
            )
    try:
        return data[skip:].decode(codec)
    except UnicodeDecodeError as exc:
        offset = skip + exc.start
        line = data.count(b"\n", 0, offset) + 1
        raise EncodingError(
            f"{where}: byte 0x{data[offset]:02x} at offset {offset} (line {line}) is not valid "
            f"{codec}; re-save the file as UTF-8 (in Python, Corpus.from_directory can also "
            "read it in its real encoding, e.g. encoding='cp1252')"
        ) from exc


def _decode_line(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EncodingError(
            f"{where}: byte 0x{raw[exc.start]:02x} at column {exc.start + 1} is not valid "
            "UTF-8; JSON Lines files must be UTF-8, so re-save the file as UTF-8"
        ) from exc


def _read_json_object(file: Path) -> dict[str, Any]:
    try:
        data = json.loads(file.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise CorpusError(f"cannot read {file}: {_reason(exc)}") from exc
    except UnicodeDecodeError as exc:
        raise EncodingError(f"{file} is not valid UTF-8 JSON; re-save it as UTF-8") from exc
    except json.JSONDecodeError as exc:
        raise DocumentFormatError(
            f"{file} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from exc
    if not isinstance(data, dict):
        raise DocumentFormatError(f"{file} must hold one JSON object, not a {type(data).__name__}")
    return data


def _load_text_file(
    file: Path, codec: str, manifest_path: Path, manifest_entry: object
) -> Document:
    if not file.is_file():  # never opened: a pipe would block, a broken link cannot be read
        kind = "a broken link" if file.is_symlink() and not file.exists() else "not a plain file"
        raise CorpusError(
            f"cannot read {file}: it is {kind}; replace it with the text file or move it "
            "out of the folder"
        )
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise CorpusError(f"cannot read {file}: {_reason(exc)}") from exc
    fields: dict[str, Any] = {"id": file.stem, "text": _decode(data, str(file), codec)}
    origins: dict[str, str] = {}
    layers: list[tuple[str, object]] = []
    if manifest_entry is not None:
        layers.append((f"{manifest_path} (entry {file.stem!r})", manifest_entry))
    sidecar = file.with_suffix(".json")
    if sidecar.name != _MANIFEST and sidecar.is_file():
        layers.append((str(sidecar), _read_json_object(sidecar)))
    for where, entry in layers:
        for key, value in _fields(entry, _METADATA_FIELDS, where).items():
            previous = fields.get(key)
            if isinstance(previous, Mapping) and isinstance(value, Mapping):
                value = {**previous, **value}
            fields[key] = value
            origins[key] = where
    return _document(fields, str(file), origins)


def _is_missing(value: object) -> bool:
    # float NaN and pandas' NaT (a datetime) are the values unequal to themselves
    return value is None or (isinstance(value, (float, dt.date)) and value != value)


def _fields(record: object, allowed: tuple[str, ...], where: str) -> dict[str, Any]:
    """The present fields of ``record``; refuses non-mappings and unknown fields."""
    if not isinstance(record, Mapping):
        raise DocumentFormatError(
            f"{where}: expected an object with the fields {', '.join(allowed)}, "
            f"not a {type(record).__name__}"
        )
    for key in record:
        if key not in allowed:
            hint = (
                " (the id is the file name and the text the file's content)"
                if key in ("id", "text")
                else ""
            )
            raise InputError(
                f"{where}: unknown field {key!r}{hint}; the fields are {', '.join(allowed)}. "
                f'Put free fields under "metadata", e.g. {{"metadata": {{"{key}": ...}}}}'
            )
    return {key: value for key, value in record.items() if not _is_missing(value)}


def _where(where: str, record: object) -> str:
    """``where`` with the record's id when it has a usable one."""
    if isinstance(record, Mapping):
        doc_id = record.get("id")
        if isinstance(doc_id, (str, numbers.Integral)) and not isinstance(doc_id, bool):
            return f"{where} (id {str(doc_id)!r})"
    return where


def _document(
    fields: dict[str, Any], where: str, origins: Mapping[str, str] | None = None
) -> Document:
    for required in ("id", "text"):
        if required not in fields:
            raise DocumentFormatError(f"{where}: missing the required field {required!r}")
    doc_id = fields["id"]
    if isinstance(doc_id, numbers.Integral) and not isinstance(doc_id, bool):
        fields["id"] = str(doc_id)
    try:
        return Document.model_validate(fields)
    except ValidationError as exc:
        raise InputError(f"{where}: {_explain(exc, origins or {})}") from exc


def _explain(exc: ValidationError, origins: Mapping[str, str]) -> str:
    """One line per pydantic error: the field, where its value came from, and what is wrong."""
    problems = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else "record"
        origin = f" (from {origins[field]})" if field in origins else ""
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] != "value_error":  # value errors already quote the value
            message += f", got {reprlib.repr(error['input'])}"
        problems.append(f"field {field!r}{origin}: {message}")
    return "; ".join(problems)


def _claim(seen: dict[str, str], doc_id: str, where: str) -> None:
    """Record that ``where`` holds ``doc_id``; refuses an id seen before."""
    if doc_id in seen:
        raise DuplicateDocumentError(
            f"document id {doc_id!r} is used by both {seen[doc_id]} and {where}; ids must be unique"
        )
    seen[doc_id] = where
