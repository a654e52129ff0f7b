"""The symbol tables the aligner compares words with: one private character per word.

>>> Symbols().encode_words(["we", "will", "we"]) == "\U00010000\U00010001\U00010000"
True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..text._analysis import AnalyzedDocument
from ..text._normalize import NumberedWords, Token

__all__ = ["Symbols", "is_full", "symbols_of"]


class Symbols:
    """One private symbol per distinct word, so strings of symbols align word by word.

    One table may serve many queries (the index keeps one): a document's symbols are then
    encoded once and kept with the document.  A table may start from a corpus file's
    numbered words (``words``, see :class:`~quoteprov.corpus._store.StoredDocuments`): word ``k``
    is then symbol ``chr(0x10000 + k)``, and a document read from that file, which keeps
    its words' numbers (:class:`~quoteprov.text._normalize.NumberedWords`), is encoded from
    them in one step.
    Only which symbols are equal matters to the alignment, never their values.
    """

    def __init__(self, words: np.ndarray | None = None) -> None:
        self.table: dict[str, str] = {}
        self.numbered: np.ndarray | None = None  # the word table the symbols number
        if words is not None and len(words) < 0xEFFFF:
            self.table = {w: chr(0x10000 + k) for k, w in enumerate(words.tolist())}
            self.numbered = words

    def encode(self, tokens: Sequence[Token]) -> str:
        return self.encode_words([t.norm for t in tokens])

    def encode_words(self, words: Sequence[str]) -> str:
        table = self.table
        out = []
        for w in words:
            sym = table.get(w)
            if sym is None:
                sym = table[w] = chr(0x10000 + len(table) % 0xEFFFF)
            out.append(sym)
        return "".join(out)

    def _numbered(self, adoc: AnalyzedDocument) -> np.ndarray | None:
        """The document's word numbers, when they number this table's words."""
        words = adoc.tokens.norms
        if isinstance(words, NumberedWords) and words.table is self.numbered:
            return words.numbers
        return None

    def encode_region(self, adoc: AnalyzedDocument, i: int, j: int) -> str:
        """A document's tokens ``[i, j)``: the whole document is encoded (and kept) from
        its second use on, so a document read once for one query costs only its region."""
        ids = self._numbered(adoc)
        if ids is not None:
            return symbols_of(ids[i:j])
        memo = adoc.memo
        if memo.symbols is not None and memo.symbols[0] is self:
            return memo.symbols[1][i:j]
        if not memo.region_read and (j - i) * 4 < len(adoc.tokens):
            memo.region_read = True
            return self.encode_words(adoc.tokens[i:j].words())
        return self.encode_document(adoc)[i:j]

    def encode_document(self, adoc: AnalyzedDocument) -> str:
        """All of a document's tokens, encoded once per table while the table has room."""
        ids = self._numbered(adoc)
        if ids is not None:
            return symbols_of(ids)
        memo = adoc.memo
        if memo.symbols is not None and memo.symbols[0] is self:
            return memo.symbols[1]
        encoded = self.encode_words(adoc.tokens.words())
        if len(self.table) < 0xEFFFF:  # symbols stay distinct: safe to keep
            memo.symbols = (self, encoded)
        return encoded


def symbols_of(ids: np.ndarray) -> str:
    """Word numbers as symbols: ``chr(0x10000 + k)`` for each number ``k``."""
    return (ids.astype(np.uint32) + 0x10000).astype("<u4").tobytes().decode("utf-32-le")


def is_full(symbols: Symbols) -> bool:
    """Whether ``symbols`` numbers all the symbols it can (a new table is then needed).

    >>> is_full(Symbols())
    False
    """
    return len(symbols.table) >= 0xEFFFF
