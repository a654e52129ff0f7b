"""Where a corpus' documents and their analysis are kept: the interface of the backends."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

__all__ = ["DocumentStore"]


@runtime_checkable
class DocumentStore(Protocol):
    """What the analysed documents of a corpus file offer beyond a sequence (the store's
    :class:`quoteprov.corpus._store.StoredDocuments`); later stages reach it through
    :attr:`CorpusIndex.stored`, None for a corpus held in memory."""

    def fetch(self, numbers: Iterable[int]) -> None:
        """Read these documents at once (a trace's candidates)."""

    def preload(self, progress: bool | None = None) -> None:
        """Read every document (a whole-corpus job)."""

    def word_table(self) -> np.ndarray:
        """The file's numbered words, which its documents' words index."""

    def read_vectors(self, model: str, width: int) -> dict[int, np.ndarray]:
        """The sentence vectors kept for ``model``, by document number."""

    def write_vectors(self, model: str, blocks: dict[int, np.ndarray], ids: Sequence[str]) -> bool:
        """Keep sentence vectors by document number, for the documents ``ids``; False when
        the file cannot take them now, or holds other documents."""
