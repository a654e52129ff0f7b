"""Shared fixtures: the bundled seed corpus and the optional shared data directory."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest

import quoteprov as qp

# The suite checks the lexical engine, as CI (which never installs the semantic extra)
# runs it; tests/test_semantic.py turns the semantic tier on where it is installed.
os.environ["QUOTEPROV_SEMANTIC"] = "0"

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "quoteprov" / "seeds"  # the package data Corpus.seeds() reads
DATA = Path(os.environ.get("QUOTEPROV_DATA", ROOT.parent / "shared" / "data"))

ARTICLE = "000_6d2a861c4dda6642"  # the news article
REWRITE = "001_f4155a337e30c35f"  # its condensed, paraphrased rewrite (dated)
OUTLET = "002_2064495c9b7ae5fd"  # a second outlet quoting the same statement verbatim
HAVANA = "003_11f08449810d1db8"  # an older related piece
MINJU = "004_8a2fef8b8b172eb2"  # another older related piece

# the North Korean Foreign Ministry statement's four quoted sentences, as the article has them
STATEMENT = [
    "the anti-government protests that occurred in Cuba are an outcome of behind-the-scene "
    "manipulation by the outside forces coupled with their persistent anti-Cuba blockade "
    "scheming to obliterate socialism and the revolution.",
    "condemns and rejects the attempt at interfering in the internal affairs by the outside "
    "forces scheming to overthrow the socialist system of Cuba by taking advantage of the "
    "recent anti-government protests.",
    "We express our full support to and solidarity with all efforts and measures taken by the "
    "government and people of Cuba for safeguarding the dignity and sovereignty of the country "
    "and defending to the end their fatherland, revolution and gains of socialism,",
    "We are confident that Cuba would smash the interference of foreign forces, creditably "
    "overcome the present situation, and firmly safeguard the political stability of the "
    "country.",
]


@pytest.fixture(scope="session")
def seeds() -> qp.Corpus:
    return qp.Corpus.seeds()


Records = Iterable[qp.Document] | Iterable[Mapping[str, Any]]
MakeCorpus = Callable[[Records], qp.Corpus]


@pytest.fixture(params=["memory", "sqlite", "sqlite-lazy"])
def make_corpus(request: pytest.FixtureRequest, tmp_path: Path) -> MakeCorpus:
    """Builds a corpus from documents on each storage backend in turn: every test using
    it runs on a :class:`~quoteprov.MemoryStorage` and on a :class:`~quoteprov.SQLiteStorage`
    (saved to a file of its own, then opened: a search reads it through the file), also
    opened with ``lazy=True`` (documents read when asked, the index mapped from disk).

    It takes :class:`~quoteprov.Document` objects or records (dicts, as
    :meth:`~quoteprov.Corpus.from_records` reads them), so a test that hands records to
    ``trace_quote`` or ``build_graph`` can hand them to it instead."""
    files = itertools.count()

    def make(documents: Records) -> qp.Corpus:
        corpus = qp.as_corpus(list(documents))
        if request.param == "memory":
            return corpus
        path = tmp_path / f"corpus-{next(files)}.qp"
        corpus.save(path)
        return qp.Corpus.open(path, lazy=request.param == "sqlite-lazy")

    return make


@pytest.fixture
def corpus(make_corpus: MakeCorpus, seeds: qp.Corpus) -> qp.Corpus:
    """The seed corpus on each storage backend (see :func:`make_corpus`)."""
    return make_corpus(list(seeds))


@pytest.fixture
def seeds_file(seeds: qp.Corpus, tmp_path: Path) -> Path:
    """The seed corpus saved to a corpus file of its own (a new one for each test)."""
    path = tmp_path / "seeds.qp"
    qp.Corpus(list(seeds)).save(path)
    return path


def data_dir(name: str) -> Path:
    """A folder of ../shared/data, or skip the test when it is absent (a user's clone)."""
    path = DATA / name
    if not path.exists():
        pytest.skip(f"{path} is absent: labelled data lives beside the project, not in it")
    return path


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where tests write the pictures and pages they render; QUOTEPROV_RENDERED keeps them."""
    keep = os.environ.get("QUOTEPROV_RENDERED")
    if keep:
        path = Path(keep)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("rendered")
