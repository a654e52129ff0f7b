"""The comparison form of text, with an exact map back to the original.

quoteprov compares text in one canonical form: Unicode compatibility forms unified (NFKC),
curly and straight quotation marks and dashes unified, case folded, diacritics removed,
invisible format characters dropped and whitespace runs folded to one space.  Comparison
never changes what is reported: :func:`normalize` keeps, for every character of the folded
text, the offset of the original character it came from.

>>> n = normalize("Díaz-Canel  said “Yes”")
>>> n.text
'diaz-canel said "yes"'
>>> n.original_span(0, 10)
(0, 10)
>>> [t.norm for t in tokenize("The U.S. embargo’s 1,000 Díaz-Canel")]
['the', 'us', "embargo's", '1,000', 'diaz', 'canel']
"""

from __future__ import annotations

import re
import sys
import unicodedata
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar, NamedTuple, TypeVar, overload

import numpy as np

__all__ = [
    "Normalized",
    "NumberedWords",
    "SequenceView",
    "Token",
    "Tokens",
    "fold",
    "normalize",
    "tokenize",
    "tokens_of",
    "without_surrogates",
]

_TRANSLATE = str.maketrans(
    {
        **dict.fromkeys("“”„‟«»″〝〞＂", '"'),
        **dict.fromkeys("‘’‚‛‹›′`´＇", "'"),
        **dict.fromkeys("‐‑‒–—―−﹘﹣－", "-"),
    }
)


@lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    """Comparison form of one character ('' when it is dropped, ' ' for whitespace)."""
    if ch.isspace():
        return " "
    category = unicodedata.category(ch)
    if category in ("Cf", "Cc", "Cs", "Co", "Cn"):
        return ""  # zero-width joiners, BOMs, soft hyphens, controls, lone surrogates
    decomposed = unicodedata.normalize("NFKD", ch)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFKC", kept).casefold().translate(_TRANSLATE)


@dataclass(frozen=True)
class Normalized:
    """Folded text and, for each of its characters, the original offset it came from."""

    original: str
    text: str
    offsets: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of the folded text to the original text.

        The span returned covers every original character that produced the folded
        characters, so slicing the original with it never cuts a character in two.
        """
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"span ({start}, {end}) outside folded text of {len(self.text)}")
        if start == end:
            pos = self.offsets[start] if start < len(self.offsets) else len(self.original)
            return pos, pos
        last = self.offsets[end - 1]
        # one original character can fold to several (ligatures); take all of it
        return self.offsets[start], last + 1


def normalize(text: str) -> Normalized:
    """Fold ``text`` to its comparison form, keeping the offset map.

    >>> normalize("ﬁne\\u200b  day").text
    'fine day'
    """
    out: list[str] = []
    offsets: list[int] = []
    last_space = True  # drop leading whitespace
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        if folded == " ":
            if last_space:
                continue
            last_space = True
        elif folded:
            last_space = False
        for c in folded:
            out.append(c)
            offsets.append(i)
    while out and out[-1] == " ":
        out.pop()
        offsets.pop()
    return Normalized(original=text, text="".join(out), offsets=tuple(offsets))


def fold(text: str) -> str:
    """The comparison form of ``text`` alone (no offset map).

    >>> fold("  Cuba’s   “failed  State” ")
    'cuba\\'s "failed state"'
    """
    return normalize(text).text


class Token(NamedTuple):
    """A word of the original text: its span and its comparison form."""

    start: int
    end: int
    norm: str


# numbers keep their separators, dotted acronyms lose their dots (U.S. = US), words keep
# inner apostrophes; hyphens split words so "U.S.-aligned" and "US-aligned" agree.  An
# acronym has at most 16 letters: the bound keeps "a.a.a.a…" (each try backtracks over
# the whole run) linear instead of quadratic.
_TOKEN = re.compile(
    r"\d+(?:[.,:]\d+)*"
    r"|(?:[^\W\d_]\.){2,16}(?![^\W_])"
    r"|[^\W_]+(?:['’ʼ][^\W_]+)*"
)


T = TypeVar("T")


class SequenceView(Sequence[T]):
    """A read-only sequence built on demand that equals, prints and pickles as the plain
    ``list`` (or, with ``_plain = tuple``, tuple) it stands for.

    The base of the compact views a stored document reads through: its words
    (:class:`NumberedWords`), sentence token ranges and lazily built spans
    (:mod:`quoteprov.search._index`).
    """

    __slots__ = ()
    _plain: ClassVar[type[list[Any]] | type[tuple[Any, ...]]] = list

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SequenceView | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self._plain(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return (self._plain, (self._plain(self),))


class NumberedWords(SequenceView[str]):
    """Words given by their numbers in a word table, each looked up when read.

    A document read from a corpus file keeps its words this way (the file numbers them):
    a search reads a few of its sentences, so building a tuple of all its words would
    cost more than the search.  A slice is a tuple.

    >>> words = NumberedWords(np.asarray(["we", "will", "win"], dtype=object), np.asarray([2, 0]))
    >>> words[0], words[-1], words[:], len(words), words == ("win", "we")
    ('win', 'we', ('win', 'we'), 2, True)
    """

    __slots__ = ("numbers", "table")
    _plain = tuple

    def __init__(self, table: np.ndarray, numbers: np.ndarray) -> None:
        self.table, self.numbers = table, numbers

    def __len__(self) -> int:
        return len(self.numbers)

    @overload
    def __getitem__(self, key: int) -> str: ...

    @overload
    def __getitem__(self, key: slice) -> tuple[str, ...]: ...

    def __getitem__(self, key: int | slice) -> str | tuple[str, ...]:
        if isinstance(key, slice):
            return tuple(self.table[self.numbers[key]].tolist())
        return self.table[self.numbers[key]]  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[str]:
        return iter(self.table[self.numbers].tolist())


class Tokens(Sequence[Token]):
    """A document's tokens, stored compactly: offsets in arrays, words interned.

    Reads like ``list[Token]`` (indexing, iteration, slicing — a slice is a view), at a
    tenth of the memory, which is what lets a million-sentence corpus stay in memory.
    The words are a tuple (the garbage collector stops tracking a tuple of strings, so a
    big corpus' words cost its collections nothing) or :class:`NumberedWords`.

    >>> tokens = tokens_of("We will win.")
    >>> tokens[1], [t.norm for t in tokens[1:]], len(tokens)
    (Token(start=3, end=7, norm='will'), ['will', 'win'], 3)
    """

    __slots__ = ("ends", "hi", "lo", "norms", "starts")

    def __init__(
        self,
        starts: array[int],
        ends: array[int],
        norms: Sequence[str],
        lo: int = 0,
        hi: int | None = None,
    ) -> None:
        self.starts, self.ends, self.norms = starts, ends, norms
        self.lo, self.hi = lo, len(norms) if hi is None else hi

    def __len__(self) -> int:
        return self.hi - self.lo

    @overload
    def __getitem__(self, key: int) -> Token: ...

    @overload
    def __getitem__(self, key: slice) -> Tokens: ...

    def __getitem__(self, key: int | slice) -> Token | Tokens:
        if isinstance(key, slice):
            a, b, step = key.indices(len(self))
            if step != 1:
                raise ValueError("Tokens slices take no step")
            return Tokens(self.starts, self.ends, self.norms, self.lo + a, self.lo + max(a, b))
        n = key + len(self) if key < 0 else key
        if not 0 <= n < len(self):
            raise IndexError("token index out of range")
        k = self.lo + n
        return Token(self.starts[k], self.ends[k], self.norms[k])

    def __iter__(self) -> Iterator[Token]:
        lo, hi = self.lo, self.hi
        return map(Token, self.starts[lo:hi], self.ends[lo:hi], self.norms[lo:hi])

    def words(self) -> Sequence[str]:
        """The tokens' folded forms (a tuple)."""
        return self.norms[self.lo : self.hi]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Tokens | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Tokens({list(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        lo, hi = self.lo, self.hi
        return (Tokens, (self.starts[lo:hi], self.ends[lo:hi], self.norms[lo:hi]))


def tokens_of(text: str) -> Tokens:
    """:func:`tokenize`, stored compactly (see :class:`Tokens`)."""
    starts, ends = array("q"), array("q")
    norms: list[str] = []
    intern = sys.intern
    for m in _TOKEN.finditer(text):
        raw = m.group()
        if raw[-1] == ".":
            raw = raw.replace(".", "")
        norm = raw.lower() if raw.isascii() else fold(raw)
        if norm:
            starts.append(m.start())
            ends.append(m.end())
            norms.append(intern(norm))
    return Tokens(starts, ends, tuple(norms))


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into word tokens with original offsets and folded forms."""
    tokens: list[Token] = []
    for m in _TOKEN.finditer(text):
        raw = m.group()
        if raw[-1] == ".":
            raw = raw.replace(".", "")
        # an ASCII token (letters, digits, inner ' . , :) folds to its lower case: the fast path
        norm = raw.lower() if raw.isascii() else fold(raw)
        if norm:
            tokens.append(Token(m.start(), m.end(), norm))
    return tokens


_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    r"""``text`` with each lone surrogate (left by decoding with errors, which every stage
    here accepts) replaced by U+FFFD: what a library that encodes text to UTF-8 (a
    tokenizer, a language model, a C engine) can take.  The length is kept.

    >>> without_surrogates("a\ud800b") == "a\ufffdb"
    True
    """
    return _SURROGATE.sub("\ufffd", text)
