"""Tests for quoteprov.corpus._corpus: the Corpus collection and its three loaders."""

from __future__ import annotations

import datetime as dt
import json
import os
import warnings
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quoteprov._errors import (
    CorpusError,
    DocumentFormatError,
    DuplicateDocumentError,
    EncodingError,
    InputError,
    QuoteprovError,
)
from quoteprov._models import Document
from quoteprov.corpus._corpus import Corpus

SEEDS = Path(__file__).resolve().parent.parent / "quoteprov" / "seeds"


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def write_json(folder: Path, name: str, data: Any) -> Path:
    return write(folder, name, json.dumps(data))


# -- the collection ----------------------------------------------------------------------


def doc(doc_id: str, text: str = "Some text.") -> Document:
    return Document(id=doc_id, text=text)


def test_collection_basics() -> None:
    corpus = Corpus([doc("b"), doc("a")])
    assert len(corpus) == 2
    assert corpus.ids == ("b", "a")
    assert [d.id for d in corpus] == ["b", "a"]
    assert "a" in corpus and "c" not in corpus and 3 not in corpus
    assert corpus["a"].id == "a"
    assert repr(corpus) == "Corpus(2 documents)"
    assert repr(Corpus([doc("a")])) == "Corpus(1 document)"
    assert corpus.skipped == []


def test_unknown_id_is_a_clear_key_error() -> None:
    corpus = Corpus([doc("001_abc")])
    with pytest.raises(KeyError, match=r"no document with id '001_abd'.*did you mean '001_abc'"):
        corpus["001_abd"]


def test_add_never_overwrites() -> None:
    corpus = Corpus([doc("a", "first")])
    with pytest.raises(DuplicateDocumentError, match="'a' is already in the corpus"):
        corpus.add(doc("a", "second"))
    assert corpus["a"].text == "first"


def test_extend_is_all_or_nothing() -> None:
    corpus = Corpus([doc("a")])
    version = corpus.version
    with pytest.raises(DuplicateDocumentError):
        corpus.extend([doc("b"), doc("a")])
    with pytest.raises(DuplicateDocumentError, match="appears twice"):
        corpus.extend([doc("c"), doc("c")])
    with pytest.raises(InputError, match="from_records"):
        corpus.extend([doc("d"), {"id": "e", "text": ""}])  # type: ignore[list-item]
    assert corpus.ids == ("a",)
    assert corpus.version == version


def test_version_grows_on_every_change() -> None:
    corpus = Corpus()
    versions = [corpus.version]
    corpus.add(doc("a"))
    versions.append(corpus.version)
    corpus.extend([doc("b"), doc("c")])
    versions.append(corpus.version)
    corpus.extend([])  # no change
    assert corpus.version == versions[-1]
    assert versions == sorted(set(versions))
    # versions are process-wide, so (id(corpus), version) never repeats across corpora
    assert Corpus([doc("a")]).version != Corpus([doc("a")]).version


def test_duplicate_error_message_is_not_repr_quoted() -> None:
    with pytest.raises(DuplicateDocumentError) as info:
        Corpus([doc("a"), doc("a")])
    assert str(info.value).startswith("document id 'a'")
    assert isinstance(info.value, KeyError)


# -- from_directory: decoding ------------------------------------------------------------


def test_latin1_bytes_raise_encoding_error_with_offset(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "Line one\nCaf\u00e9 society".encode("latin-1"))
    with pytest.raises(EncodingError) as info:
        Corpus.from_directory(tmp_path)
    message = str(info.value)
    assert "a.txt" in message
    assert "offset 12" in message and "line 2" in message and "0xe9" in message
    assert "encoding='cp1252'" in message
    assert isinstance(info.value, UnicodeError)


def test_encoding_argument_is_honoured(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "Caf\u00e9 \u201cquoted\u201d".encode("cp1252"))
    corpus = Corpus.from_directory(tmp_path, encoding="cp1252")
    assert corpus["a"].text == "Caf\u00e9 \u201cquoted\u201d"


def test_unknown_encoding_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown text encoding 'nope'"):
        Corpus.from_directory(tmp_path, encoding="nope")
    with pytest.raises(InputError, match="'base64'"):
        Corpus.from_directory(tmp_path, encoding="base64")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_byte_order_marks_decode_and_are_dropped(tmp_path: Path, codec: str) -> None:
    text = "He said \u201cyes\u201d.\r\nThen left."
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    write(tmp_path, "a.txt", data)
    assert Corpus.from_directory(tmp_path)["a"].text == text


def test_binary_file_is_a_format_error(tmp_path: Path) -> None:
    write(tmp_path, "img.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(DocumentFormatError, match=r"img\.txt looks like a binary file"):
        Corpus.from_directory(tmp_path)


def test_empty_files_are_kept_with_a_warning(tmp_path: Path) -> None:
    write(tmp_path, "empty.txt", b"")
    write(tmp_path, "blank.txt", " \n\t\n")
    with pytest.warns(UserWarning, match="empty or only whitespace") as record:
        corpus = Corpus.from_directory(tmp_path)
    assert corpus.ids == ("blank", "empty")
    assert corpus["blank"].text == " \n\t\n"
    assert len(record) == 2
    assert all(w.filename == __file__ for w in record)  # points at the caller


def test_text_is_kept_exactly_crlf_included(tmp_path: Path) -> None:
    text = "First line.\r\nSecond\rthird\n\u2028fourth  "
    write(tmp_path, "a.txt", text)
    assert Corpus.from_directory(tmp_path)["a"].text == text


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", b"\xef\xbb\xbfHello")
    assert Corpus.from_directory(tmp_path)["a"].text == "Hello"


# -- from_directory: files and metadata --------------------------------------------------


def test_files_are_sorted_filtered_and_not_recursive(tmp_path: Path) -> None:
    for name in ["b.txt", "a.txt", "c.md", ".hidden.txt", "a.json"]:
        write(tmp_path, name, "{}" if name.endswith(".json") else f"text of {name}")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "d.txt", "nested")
    assert Corpus.from_directory(tmp_path).ids == ("a", "b")
    assert Corpus.from_directory(tmp_path, pattern="*").ids == ("a", "b", "c")
    assert Corpus.from_directory(tmp_path, pattern="*.md").ids == ("c",)


def test_id_is_the_name_without_extension(tmp_path: Path) -> None:
    write(tmp_path, "2021.07.16 story.txt", "x")
    assert Corpus.from_directory(tmp_path).ids == ("2021.07.16 story",)


def test_same_stem_twice_is_a_duplicate(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "one")
    write(tmp_path, "a.txt", "two")
    with pytest.raises(DuplicateDocumentError, match=r"a\.md and .*a\.txt"):
        Corpus.from_directory(tmp_path, pattern="*")


def test_missing_directory_or_file_path(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist") as info:
        Corpus.from_directory(tmp_path / "nowhere")
    assert "nowhere" in str(info.value)
    file = write(tmp_path, "a.txt", "x")
    with pytest.raises(CorpusError, match="is not a directory"):
        Corpus.from_directory(file)


def test_a_folder_without_text_files_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match=r"no files match '\*\.txt'"):
        Corpus.from_directory(tmp_path)
    write(tmp_path, "notes.md", "Not a text file by the pattern.")
    (tmp_path / "sub.txt").mkdir()  # a folder is never a document
    with pytest.raises(CorpusError, match="no files match"):
        Corpus.from_directory(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_links_and_pipes_are_named_not_dropped(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "Alpha.")
    (tmp_path / "broken.txt").symlink_to(tmp_path / "gone.txt")
    os.mkfifo(tmp_path / "pipe.txt")  # never opened: reading it would block
    (tmp_path / "link.txt").symlink_to(tmp_path / "a.txt")  # a good link is read through
    with pytest.raises(CorpusError, match=r"broken\.txt: it is a broken link"):
        Corpus.from_directory(tmp_path)
    with pytest.warns(UserWarning):
        corpus = Corpus.from_directory(tmp_path, errors="skip")
    assert corpus.ids == ("a", "link")
    assert [(Path(f).name, "plain file" in why) for f, why in corpus.skipped] == [
        ("broken.txt", False),
        ("pipe.txt", True),
    ]


def test_manifest_and_sidecar_precedence(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "Alpha.")
    write(tmp_path, "b.txt", "Beta.")
    write_json(
        tmp_path,
        "manifest.json",
        {
            "a": {
                "title": "Manifest title",
                "source": "Manifest source",
                "published": "2021-07-16",
                "metadata": {"lang": "en", "desk": "world"},
            },
            "b": {"title": "B title"},
        },
    )
    write_json(tmp_path, "a.json", {"title": "Sidecar title", "metadata": {"desk": "politics"}})
    corpus = Corpus.from_directory(tmp_path)
    a = corpus["a"]
    assert a.title == "Sidecar title"
    assert a.source == "Manifest source"
    assert a.published == dt.date(2021, 7, 16)
    assert a.metadata == {"lang": "en", "desk": "politics"}
    assert corpus["b"].title == "B title"


def test_manifest_entry_without_file_warns(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "Alpha.")
    write_json(tmp_path, "manifest.json", {"a": {}, "ghost": {"title": "Gone"}})
    with pytest.warns(UserWarning, match="entry for 'ghost'"):
        corpus = Corpus.from_directory(tmp_path)
    assert corpus.ids == ("a",)


@pytest.mark.parametrize("where", ["manifest.json", "a.json"])
def test_unknown_metadata_field_names_file_and_field(tmp_path: Path, where: str) -> None:
    write(tmp_path, "a.txt", "Alpha.")
    entry = {"title": "T", "author": "Jane"}
    write_json(tmp_path, where, {"a": entry} if where == "manifest.json" else entry)
    with pytest.raises(InputError) as info:
        Corpus.from_directory(tmp_path)
    message = str(info.value)
    assert where in message and "'author'" in message and '"metadata"' in message


def test_bad_date_in_sidecar_is_an_input_error(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "Alpha.")
    write_json(tmp_path, "a.json", {"published": "16/07/2021"})
    with pytest.raises(InputError, match=r"'published' \(from .*a\.json\).*16/07/2021") as info:
        Corpus.from_directory(tmp_path)
    assert info.value.__cause__ is not None


def test_malformed_sidecar_json(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "Alpha.")
    write(tmp_path, "a.json", '{"title": ')
    with pytest.raises(DocumentFormatError, match=r"a\.json is not valid JSON.*line 1"):
        Corpus.from_directory(tmp_path)
    write(tmp_path, "a.json", '["title"]')
    with pytest.raises(DocumentFormatError, match="one JSON object"):
        Corpus.from_directory(tmp_path)


def test_skip_keeps_good_files_and_lists_bad_ones(tmp_path: Path) -> None:
    write(tmp_path, "a_good.txt", "Fine.")
    write(tmp_path, "b_latin.txt", "Caf\u00e9".encode("latin-1"))
    write(tmp_path, "c_binary.txt", b"\x00\x01\x02")
    write(tmp_path, "d_good.txt", "Also fine.")
    write(tmp_path, "e_baddate.txt", "Dated.")
    write_json(tmp_path, "e_baddate.json", {"published": "yesterday"})
    with pytest.warns(UserWarning, match="skipped 3 of 5") as record:
        corpus = Corpus.from_directory(tmp_path, errors="skip")
    assert record[0].filename == __file__
    assert corpus.ids == ("a_good", "d_good")
    skipped = dict(corpus.skipped)
    assert [Path(p).name for p in skipped] == ["b_latin.txt", "c_binary.txt", "e_baddate.txt"]
    reasons = list(skipped.values())
    assert "offset 3" in reasons[0] and "binary" in reasons[1] and "yesterday" in reasons[2]


def test_skip_a_malformed_manifest(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "Fine.")
    write(tmp_path, "manifest.json", "{oops")
    with pytest.raises(DocumentFormatError, match=r"manifest\.json is not valid JSON"):
        Corpus.from_directory(tmp_path)
    with pytest.warns(UserWarning, match="skipped 1"):
        corpus = Corpus.from_directory(tmp_path, errors="skip")
    assert corpus.ids == ("a",)
    assert Path(corpus.skipped[0][0]).name == "manifest.json"


def test_bad_errors_mode(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="'raise' or 'skip'"):
        Corpus.from_directory(tmp_path, errors="ignore")  # type: ignore[arg-type]


# -- the seeds ---------------------------------------------------------------------------


def test_the_seeds_are_package_data() -> None:
    # the embedded default corpus: found through importlib.resources wherever quoteprov is
    # installed (the wheel test in .ci/run checks it outside the checkout)
    folder = resources.files("quoteprov") / "seeds"
    assert sorted(f.name for f in folder.iterdir() if f.name.endswith(".txt")) == [
        p.name for p in sorted(SEEDS.glob("*.txt"))
    ]
    corpus = Corpus.seeds()
    assert [(d.id, d.text, d.title) for d in corpus] == [
        (d.id, d.text, d.title) for d in Corpus.from_directory(SEEDS)
    ]
    assert Corpus.seeds() is not corpus  # a new corpus each time: adding to one is private


def test_seeds_load_with_their_manifest() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        corpus = Corpus.from_directory(SEEDS)
    manifest = json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))
    assert len(corpus) == 5
    assert corpus.ids == tuple(sorted(manifest))
    for document in corpus:
        entry = manifest[document.id]
        assert document.title == entry.get("title")
        assert document.metadata["metadata_from"]
        # every value is stated by the text itself
        if document.title:
            assert document.title in document.text
        if document.source:
            assert document.source.lower() in document.text.lower()
    assert corpus["001_f4155a337e30c35f"].published == dt.date(2021, 7, 16)
    assert [d.id for d in corpus if d.published] == ["001_f4155a337e30c35f"]
    assert corpus["002_2064495c9b7ae5fd"].title is None


# -- from_jsonl --------------------------------------------------------------------------


def test_jsonl_loads_fields_and_ignores_blank_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a", "text": "A.\r\nB.", "title": "T", "published": "2021-07-16"}),
        "",
        "   ",
        json.dumps({"id": "b", "text": "", "metadata": {"k": 1}, "url": None}),
    ]
    file = write(tmp_path, "docs.jsonl", "\r\n".join(lines) + "\n")
    with pytest.warns(UserWarning, match=r"empty or only whitespace \('b'\); they are kept"):
        corpus = Corpus.from_jsonl(file)
    assert corpus.ids == ("a", "b")
    assert corpus["a"].text == "A.\r\nB."
    assert corpus["a"].published == dt.date(2021, 7, 16)
    assert corpus["b"].metadata == {"k": 1} and corpus["b"].url is None


def test_jsonl_malformed_line_names_the_line(tmp_path: Path) -> None:
    file = write(tmp_path, "docs.jsonl", '{"id": "a", "text": "A"}\n\n{"id": "b", "text": \n')
    with pytest.raises(DocumentFormatError, match=r"docs\.jsonl:3: not valid JSON") as info:
        Corpus.from_jsonl(file)
    assert isinstance(info.value.__cause__, json.JSONDecodeError)
    assert str(info.value).endswith('; errors="skip" loads past it')  # the way past it
    assert info.value.skippable


def test_jsonl_error_says_where_without_a_doubled_word(tmp_path: Path) -> None:
    file = write(tmp_path, "docs.jsonl", '{"id": "a", "text": "unterminated\n')
    with pytest.raises(DocumentFormatError, match="string starting at column 21") as info:
        Corpus.from_jsonl(file)
    assert " at at " not in str(info.value)


@pytest.mark.parametrize(
    ("line", "error", "pattern"),
    [
        ('{"id": "a", "text": "A", "author": "X"}', InputError, "unknown field 'author'.*metadata"),
        ('{"id": "a", "text": 42}', InputError, "'text'.*valid string"),
        ('{"id": "a"}', DocumentFormatError, "missing the required field 'text'"),
        ('["a", "A"]', DocumentFormatError, "not a list"),
        ('{"id": "a", "text": "A", "published": "July"}', InputError, "'published'.*July"),
    ],
)
def test_jsonl_bad_records_name_the_line(
    tmp_path: Path, line: str, error: type[Exception], pattern: str
) -> None:
    file = write(tmp_path, "docs.jsonl", '{"id": "ok", "text": "Fine."}\n' + line + "\n")
    with pytest.raises(error, match=r"docs\.jsonl:2\b.*" + pattern):
        Corpus.from_jsonl(file)


def test_jsonl_duplicate_ids_name_both_lines(tmp_path: Path) -> None:
    lines = ['{"id": "a", "text": "1"}', '{"id": "b", "text": "2"}', '{"id": "a", "text": "3"}']
    file = write(tmp_path, "docs.jsonl", "\n".join(lines))
    with pytest.raises(DuplicateDocumentError, match=r"'a'.*docs\.jsonl:1 and .*docs\.jsonl:3"):
        Corpus.from_jsonl(file)


def test_jsonl_invalid_utf8(tmp_path: Path) -> None:
    file = write(tmp_path, "docs.jsonl", b'{"id": "a", "text": "Caf\xe9"}\n')
    with pytest.raises(EncodingError, match=r"docs\.jsonl:1: byte 0xe9 at column 25"):
        Corpus.from_jsonl(file)


def test_jsonl_skip(tmp_path: Path) -> None:
    lines = [
        '{"id": "a", "text": "1"}',
        "{bad",
        '{"id": "a", "text": "2"}',
        '{"id": "b", "text": "3"}',
    ]
    file = write(tmp_path, "docs.jsonl", "\n".join(lines))
    with pytest.warns(UserWarning, match="skipped 2 of 4"):
        corpus = Corpus.from_jsonl(file, errors="skip")
    assert corpus.ids == ("a", "b") and corpus["a"].text == "1"
    assert [where for where, _ in corpus.skipped] == [f"{file}:2", f"{file}:3"]


def test_jsonl_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match=r"cannot read JSON Lines file .*nope\.jsonl"):
        Corpus.from_jsonl(tmp_path / "nope.jsonl")


# -- from_records ------------------------------------------------------------------------


def test_records_nan_and_none_mean_missing() -> None:
    nan = float("nan")
    rows = [
        {"id": "a", "text": "A.", "title": nan, "source": None, "published": nan, "metadata": nan},
        {"id": 2, "text": "B.", "title": "T", "source": "S", "published": "2021-07-16"},
    ]
    corpus = Corpus.from_records(rows)
    assert corpus.ids == ("a", "2")
    a = corpus["a"]
    assert (a.title, a.source, a.published, a.metadata) == (None, None, None, {})
    assert corpus["2"].published == dt.date(2021, 7, 16)


def test_records_missing_text_as_nan() -> None:
    with pytest.raises(DocumentFormatError, match=r"record 0 .*missing the required field 'text'"):
        Corpus.from_records([{"id": "a", "text": float("nan")}])


def test_records_validation_error_is_translated() -> None:
    rows = [{"id": "a", "text": "A."}, {"id": "b", "text": "B.", "published": "not a date"}]
    with pytest.raises(InputError, match=r"record 1 \(id 'b'\): field 'published'") as info:
        Corpus.from_records(rows)
    assert info.value.__cause__ is not None
    with pytest.raises(InputError, match=r"record 0: field 'id'.*valid string, got 1\.5"):
        Corpus.from_records([{"id": 1.5, "text": "x"}])
    with pytest.raises(InputError, match=r"field 'id'.*non-empty"):
        Corpus.from_records([{"id": " a ", "text": "x"}])


def test_records_unknown_field_and_duplicates() -> None:
    with pytest.raises(InputError, match=r"record 0 \(id 'a'\): unknown field 'lang'"):
        Corpus.from_records([{"id": "a", "text": "A.", "lang": "en"}])
    with pytest.raises(DuplicateDocumentError, match=r"record 0 .*and record 2"):
        Corpus.from_records(
            [{"id": "a", "text": ""}, {"id": "b", "text": ""}, {"id": "a", "text": ""}]
        )
    with pytest.raises(DocumentFormatError, match="record 0: expected an object"):
        Corpus.from_records(["a"])  # type: ignore[list-item]


def test_all_loader_errors_share_one_base(tmp_path: Path) -> None:
    with pytest.raises(QuoteprovError):
        Corpus.from_records([{"id": "a"}])


# -- round trips -------------------------------------------------------------------------

ids = st.text(min_size=1, max_size=20).filter(lambda s: s == s.strip())
records = st.lists(st.tuples(ids, st.text(max_size=200)), max_size=8, unique_by=lambda r: r[0])


@pytest.mark.filterwarnings("ignore:.*empty or only whitespace")
@given(records)
def test_records_round_trip(pairs: list[tuple[str, str]]) -> None:
    corpus = Corpus.from_records({"id": i, "text": t} for i, t in pairs)
    assert [(d.id, d.text) for d in corpus] == pairs


@pytest.mark.filterwarnings("ignore:.*empty or only whitespace")
@given(pairs=records, ensure_ascii=st.booleans())
def test_jsonl_round_trip(pairs: list[tuple[str, str]], ensure_ascii: bool) -> None:
    import tempfile

    lines = [json.dumps({"id": i, "text": t}, ensure_ascii=ensure_ascii) for i, t in pairs]
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder, "docs.jsonl")
        file.write_text("\n".join(lines), encoding="utf-8", newline="")
        corpus = Corpus.from_jsonl(file)
    assert [(d.id, d.text) for d in corpus] == pairs
