"""Document analysis: every document read once into word tokens, sentences and quotations.

What later stages need of a document, computed once and kept (in memory or in a corpus
file): its tokens, its sentences and their token ranges, its quotations, and each
sentence's content-word stems (the candidate index's terms) and words' hash (its exact-copy
key).

>>> from quoteprov._models import Document
>>> a = analyze(Document(id="a", text='"We will win," she said. Rain fell.'))
>>> [s.text for s in a.sentences]
['"We will win," she said.', 'Rain fell.']
>>> a.terms(*a.sentence_tokens[1])
['rain', 'fell']
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, overload

from .._models import Document, Quote, Sentence, Span
from ._lexicon import STOPWORDS
from ._normalize import SequenceView, Token, Tokens, tokens_of
from ._quotes import extract_quotes
from ._segment import split_sentences

__all__ = [
    "AnalyzedDocument",
    "DocumentMemo",
    "LazySpans",
    "SpanPairs",
    "analyze",
    "content_stems",
    "content_terms",
    "stem",
    "words_hash",
]

_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ness", "ment", "ed", "es", "ly", "s")


@functools.lru_cache(maxsize=1 << 20)
def stem(word: str) -> str:
    """A crude suffix stripper, enough to let 'protests' meet 'protest' in the index.

    >>> [stem(w) for w in ("protests", "demonstrations", "governing", "cuba")]
    ['protest', 'demonstr', 'govern', 'cuba']
    """
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_stems(words: Iterable[str]) -> list[str | None]:
    """Each folded word's content stem, None for a stopword: :func:`content_terms` word by
    word, for callers that keep positions.

    >>> content_stems(["the", "protests", "rose"])
    [None, 'protest', 'rose']
    """
    return [None if w in STOPWORDS else stem(w) for w in words]


def content_terms(tokens: Sequence[Token]) -> list[str]:
    """Stems of the tokens that carry content (stopwords dropped)."""
    return [stem(t.norm) for t in tokens if t.norm not in STOPWORDS]


def words_hash(tokens: Sequence[Token]) -> int:
    """A stable 63-bit hash of the tokens' folded words: equal for verbatim repeats.

    >>> from quoteprov.text._normalize import tokenize
    >>> words_hash(tokenize("We will WIN!")) == words_hash(tokenize("we will win"))
    True
    """
    words = tokens.words() if isinstance(tokens, Tokens) else [t.norm for t in tokens]
    digest = hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=8)
    return int.from_bytes(digest.digest(), "little") >> 1


S = TypeVar("S", bound=Span)


class LazySpans(SequenceView[S]):
    """A document's sentences or quotations, each built when first read.

    A stored document read for one query (:mod:`quoteprov.corpus._store`) is bisected by the
    bounds of all its spans, but only the few spans the query reaches are ever read:
    building the others (pydantic objects) cost more than the alignment.  Reads like a
    list of the spans, equals one holding the same spans, and pickles as one.

    Parameters
    ----------
    starts, ends : sequence of int
        Each span's character offsets, in text order.
    make : callable
        Builds span ``k``; called at most once for each.

    Examples
    --------
    >>> spans = LazySpans([0, 4], [3, 7], lambda k: Span(start=4 * k, end=4 * k + 3, text="ab"))
    >>> len(spans), spans[-1].start, spans == [spans[0], spans[1]]
    (2, 4, True)
    """

    __slots__ = ("_items", "_make", "ends", "starts")

    def __init__(
        self, starts: Sequence[int], ends: Sequence[int], make: Callable[[int], S]
    ) -> None:
        self.starts, self.ends, self._make = starts, ends, make
        self._items: list[S | None] = [None] * len(starts)

    def __len__(self) -> int:
        return len(self.starts)

    @overload
    def __getitem__(self, key: int) -> S: ...

    @overload
    def __getitem__(self, key: slice) -> list[S]: ...

    def __getitem__(self, key: int | slice) -> S | list[S]:
        if isinstance(key, slice):
            return [self[k] for k in range(*key.indices(len(self)))]
        k = key + len(self) if key < 0 else key
        if not 0 <= k < len(self):
            raise IndexError("span index out of range")
        item = self._items[k]
        if item is None:
            item = self._items[k] = self._make(k)
        return item


class SpanPairs(SequenceView[tuple[int, int]]):
    """Pairs ``(starts[k], ends[k])`` of two sequences, each made when read.

    A stored document's sentences' token ranges: a list of tuples would be dozens of
    objects per document for the garbage collector to count and traverse while the
    document stays cached.  Reads like the list of pairs, equals one, pickles as one.

    >>> pairs = SpanPairs((0, 4), (3, 9))
    >>> pairs[1], list(pairs), pairs == [(0, 3), (4, 9)]
    ((4, 9), [(0, 3), (4, 9)], True)
    """

    __slots__ = ("ends", "starts")

    def __init__(self, starts: Sequence[int], ends: Sequence[int]) -> None:
        self.starts, self.ends = starts, ends

    def __len__(self) -> int:
        return len(self.starts)

    @overload
    def __getitem__(self, key: int) -> tuple[int, int]: ...

    @overload
    def __getitem__(self, key: slice) -> list[tuple[int, int]]: ...

    def __getitem__(self, key: int | slice) -> tuple[int, int] | list[tuple[int, int]]:
        if isinstance(key, slice):
            return list(zip(self.starts[key], self.ends[key], strict=True))
        return self.starts[key], self.ends[key]

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self.starts, self.ends, strict=True)


@dataclass
class DocumentMemo:
    """What is derived from an analysed document when first asked, kept with it for its
    life and never pickled (a worker derives its own).  The search stage's entries are
    typed ``object`` here, below it: it checks what it reads back."""

    stems: list[str | None] | None = None
    bags: dict[tuple[int, int], Counter[str]] = field(default_factory=dict)  # by token span
    sentence_bounds: tuple[Sequence[int], Sequence[int]] | None = None
    quote_bounds: tuple[Sequence[int], Sequence[int]] | None = None
    # the first part of each quotation (and one past the last), the parts' starts and ends
    quote_parts: tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]] | None = None
    region_read: bool = False  # a region was encoded once: the next use encodes it all
    symbols: tuple[object, str] | None = None  # (a symbol table, the words as its symbols)
    # (sentence, longest query) -> the sentence parsed as a query
    queries: dict[tuple[int, int], object] = field(default_factory=dict)


@dataclass(frozen=True)
class AnalyzedDocument:
    """A document with its tokens, sentences and quotations, computed once."""

    doc: Document
    tokens: Tokens
    sentences: Sequence[Sentence]  # a list, or LazySpans for a stored document
    quotes: Sequence[Quote]
    token_starts: Sequence[int] = field(repr=False)
    sentence_tokens: Sequence[tuple[int, int]] = field(repr=False)  # a list, or SpanPairs
    memo: DocumentMemo = field(default_factory=lambda: DocumentMemo(), repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the memo (sent to workers: they derive what they need)."""
        state = dict(self.__dict__)
        state["memo"] = DocumentMemo()
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for key, value in state.items():
            object.__setattr__(self, key, value)

    @property
    def stems(self) -> list[str | None]:
        """Each token's content stem, or None for a stopword (computed once)."""
        memo = self.memo
        if memo.stems is None:
            memo.stems = content_stems(self.tokens.words())
        return memo.stems

    def terms(self, i: int, j: int) -> list[str]:
        """``content_terms`` of tokens ``[i, j)``."""
        if self.memo.stems is None and (j - i) * 4 < len(self.tokens):
            # a few sentences of a document read once (a trace through a corpus file):
            # stemming the whole document would cost more than the alignment
            words = self.tokens[i:j].words()
            return [stem(w) for w in words if w not in STOPWORDS]
        return [s for s in self.stems[i:j] if s is not None]

    def bag(self, i: int, j: int) -> Counter[str]:
        """The content terms of tokens ``[i, j)`` counted (kept for each span asked)."""
        bags = self.memo.bags
        bag = bags.get((i, j))
        if bag is None:
            bag = bags[(i, j)] = Counter(self.terms(i, j))
        return bag

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """Indices ``[i, j)`` of the tokens lying within characters ``[start, end)``."""
        i = bisect.bisect_left(self.token_starts, start)
        j = bisect.bisect_left(self.token_starts, end)
        while j > i and self.tokens[j - 1].end > end:
            j -= 1
        return i, j

    @staticmethod
    def _bounds(spans: Sequence[Span]) -> tuple[Sequence[int], Sequence[int]]:
        if isinstance(spans, LazySpans):  # known without building the spans
            return spans.starts, spans.ends
        return [s.start for s in spans], [s.end for s in spans]

    def sentence_range(self, start: int, end: int) -> tuple[int, int]:
        """Indices ``[a, b)`` of the sentences overlapping characters ``[start, end)``.

        Sentences are in text order and never overlap, so two bisections find them: the
        cost does not grow with the document (a per-call scan made whole-document jobs
        quadratic in its length).

        >>> from quoteprov._models import Document
        >>> a = analyze(Document(id="a", text="One here. Two there. Three."))
        >>> a.sentence_range(4, 14), a.sentence_range(9, 10)
        ((0, 2), (1, 1))
        """
        memo = self.memo
        if memo.sentence_bounds is None:
            memo.sentence_bounds = self._bounds(self.sentences)
        starts, ends = memo.sentence_bounds
        a = bisect.bisect_right(ends, start)
        return a, max(a, bisect.bisect_left(starts, end))

    def quote_range(self, start: int, end: int) -> tuple[int, int]:
        """Indices ``[a, b)`` of the quotations overlapping characters ``[start, end)``.

        Top-level quotations never overlap each other, so this bisects as
        :meth:`sentence_range` does (a stored document's bounds are known without
        building its quotations).
        """
        memo = self.memo
        if memo.quote_bounds is None:
            memo.quote_bounds = self._bounds(self.quotes)
        starts, ends = memo.quote_bounds
        a = bisect.bisect_right(ends, start)
        return a, max(a, bisect.bisect_left(starts, end))

    def quotes_in(self, start: int, end: int) -> list[Quote]:
        """The quotations overlapping characters ``[start, end)``, in text order.

        >>> from quoteprov._models import Document
        >>> a = analyze(Document(id="a", text='"Yes," she said. "No," he said.'))
        >>> [q.text for q in a.quotes_in(0, 3)], [q.text for q in a.quotes_in(8, 40)]
        (['Yes,'], ['No,'])
        """
        a, b = self.quote_range(start, end)
        return list(self.quotes[a:b])

    def quote_parts(self, k: int) -> tuple[tuple[int, int], ...]:
        """The ``(start, end)`` offsets of quotation ``k``'s parts (its quoted pieces; more
        than one when an attribution interrupts it), without building the quotation.

        >>> from quoteprov._models import Document
        >>> a = analyze(Document(id="a", text='"We will," she said, "win." Then "no."'))
        >>> a.quote_parts(0), a.quote_parts(1)
        (((1, 9), (22, 26)), ((34, 37),))
        """
        parts = self.memo.quote_parts
        if parts is None:  # (first part of each quotation, and one past the last; parts)
            counts = [0]
            for q in self.quotes:
                counts.append(counts[-1] + len(q.parts))
            parts = self.memo.quote_parts = (
                tuple(counts),
                tuple(p.start for q in self.quotes for p in q.parts),
                tuple(p.end for q in self.quotes for p in q.parts),
            )
        first, starts, ends = parts
        a, b = first[k], first[k + 1]
        return tuple(zip(starts[a:b], ends[a:b], strict=True))

    @property
    def sentence_bounds(self) -> tuple[Sequence[int], Sequence[int]]:
        """The sentences' start and end offsets, in text order (a stored document's are
        known without building its sentences)."""
        memo = self.memo
        if memo.sentence_bounds is None:
            memo.sentence_bounds = self._bounds(self.sentences)
        return memo.sentence_bounds

    def interruptions(self, start: int, end: int) -> list[tuple[int, int]]:
        """The gaps ``(end of a part, start of the next)`` of the quotations overlapping
        characters ``[start, end)`` that an attribution interrupts (``"A," she said,
        "B."``), in text order.

        >>> from quoteprov._models import Document
        >>> a = analyze(Document(id="a", text='"We will," she said, "win." Then "no."'))
        >>> a.interruptions(0, 5), a.interruptions(30, 40)
        ([(9, 22)], [])
        """
        gaps: list[tuple[int, int]] = []
        for k in range(*self.quote_range(start, end)):
            parts = self.quote_parts(k)
            gaps.extend((a[1], b[0]) for a, b in itertools.pairwise(parts))
        return gaps

    def quote_index_at(self, start: int, end: int) -> int | None:
        """The index of the quotation holding most of ``[start, end)``, if it holds at
        least half (see :meth:`quote_at`)."""
        best: int | None = None
        best_overlap = 0
        for k in range(*self.quote_range(start, end)):
            overlap = sum(max(0, min(end, pe) - max(start, ps)) for ps, pe in self.quote_parts(k))
            if overlap > best_overlap:
                best, best_overlap = k, overlap
        return best if best_overlap * 2 >= end - start else None

    def quote_at(self, start: int, end: int) -> Quote | None:
        """The quotation holding most of ``[start, end)``, if it holds at least half."""
        k = self.quote_index_at(start, end)
        return None if k is None else self.quotes[k]


def analyze(doc: Document) -> AnalyzedDocument:
    """Tokens, sentences and quotations of one document."""
    tokens = tokens_of(doc.text)
    sentences = split_sentences(doc.text)
    starts = tokens.starts
    spans = []
    for s in sentences:
        i = bisect.bisect_left(starts, s.start)
        j = bisect.bisect_left(starts, s.end)
        spans.append((i, j))
    return AnalyzedDocument(
        doc=doc,
        tokens=tokens,
        sentences=sentences,
        quotes=extract_quotes(doc.text, sentences),
        token_starts=starts,
        sentence_tokens=spans,
    )
