"""Parsing a query: its words, the pieces around its elisions, its names.

A :class:`Query` holds what every alignment of it needs, computed once.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from .._errors import InputError
from .._settings import MATCH, MatchSettings
from ..text._analysis import content_stems, content_terms
from ..text._lexicon import is_negation
from ..text._normalize import Token, tokenize
from ._index import CorpusIndex
from ._symbols import Symbols

if TYPE_CHECKING:
    pass
from ._scorer import (
    Side,
    side,
)

__all__ = ["Query"]


def _negations(words: Iterable[str]) -> Counter[str]:
    """The negations among ``words``, a contraction counted as its 'not'.

    >>> sorted(_negations(["don't", "cannot", "never", "go"]).items())
    [('never', 1), ('not', 2)]
    """
    found: Counter[str] = Counter()
    for w in words:
        if w == "cannot" or w.endswith("n't"):
            found["not"] += 1
        elif is_negation(w):
            found[w] += 1
    return found


# an ellipsis: "…", "...", ". . .", each also in brackets ("[…]", "[...]")
_ELISION = re.compile(r"\[\s*(?:…|\.(?:\s?\.){2})\s*\]|…|\.(?:\s?\.){2}")


def _elided(text: str, at: int, before: Sequence[Token]) -> bool:
    """Whether an ellipsis marks an elision between the last of ``before`` and ``at``."""
    start = before[-1].end if before else max(0, at - 8)
    return _ELISION.search(text, start, max(start, at)) is not None


# capitalised words that name no one
_NOT_NAMES = frozenset(
    """i i'm i've i'll i'd mr mrs ms dr mx sir madam the a an he she they we you it this that
    these those his her their our my your its""".split()
)


_OPENERS = "\"'“”‘’«»„([{—–-"


def _is_name(text: str, token: Token) -> bool:
    """Whether ``token`` of ``text`` looks like (part of) a name: capitalised where a
    sentence does not start, or an acronym ('NATO', 'Díaz-Canel', 'McCain')."""
    word = text[token.start : token.end]
    if not word[:1].isupper() or token.norm in _NOT_NAMES:
        return False
    if sum(c.isupper() for c in word) >= 2:
        return True  # 'NATO', 'McCain', 'U.S.'
    k = token.start
    while k > 0 and (text[k - 1].isspace() or text[k - 1] in _OPENERS):
        k -= 1
    if k == 0 or text[k - 1] in ".!?:;…\n":
        return False
    if _in_title_case(text, token.start):
        # a headline capitalises every word: 'Can' is a name only if the text never
        # writes it in lower case
        return word.lower() not in _lower_case_words(text)
    return True


@functools.lru_cache(maxsize=8)
def _lower_case_words(text: str) -> frozenset[str]:
    """The words ``text`` writes in lower case (computed once per text)."""
    return frozenset(w for w in re.findall(r"\w+", text) if w.islower())


_MINOR_WORDS = frozenset(
    "a an and as at but by for from in into nor of on or so the to up with".split()
)


_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def _in_title_case(text: str, at: int, longest: int = 200) -> bool:
    """Whether the line around ``at`` is a short line in title case (a headline).

    >>> _in_title_case("Cuba Can 'Smash' U.S. Interference, Joining Russia", 5)
    True
    >>> _in_title_case("North Korea said Cuba can win.", 12)
    False
    """
    # no line break within reach: a long line (and no scan of a whole unbroken document)
    start = text.rfind("\n", max(0, at - longest), at) + 1
    if start == 0 and at > longest:
        return False
    end = text.find("\n", at, at + longest + 1)
    end = len(text) if end == -1 and len(text) - at <= longest else end
    if end == -1 or end - start > longest:
        return False
    words = [w for w in _WORD.findall(text, start, end) if w.lower() not in _MINOR_WORDS]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


@dataclass
class QueryMemo:
    """What a query derives for the index (or symbol table) it was last used with."""

    symbols: tuple[Symbols, str] | None = None
    side: tuple[CorpusIndex, Side] | None = None
    weights: tuple[CorpusIndex, dict[str, float], float] | None = None


@dataclass(frozen=True)
class Query:
    """A query's words, ready to be aligned."""

    text: str
    tokens: list[Token]
    terms: Counter[str]
    vector: Any = None  # the query's sentence embedding when the semantic tier is on
    # the sentence embeddings of the corpus it is matched in (rows of its index), with it
    vectors: Any = None
    # where the query writes an ellipsis between two words: the index of the word after it
    breaks: tuple[int, ...] = ()
    memo: QueryMemo = field(default_factory=lambda: QueryMemo(), repr=False, compare=False)

    # the query is frozen: what is derived from its words alone is computed once
    # (functools.cached_property writes the instance's __dict__ directly)
    @cached_property
    def norms(self) -> list[str]:
        """The query's words in comparison form."""
        return [t.norm for t in self.tokens]

    @cached_property
    def word_counts(self) -> Counter[str]:
        """The query's words in comparison form, counted."""
        return Counter(self.norms)

    @cached_property
    def joined(self) -> str:
        """The query's words in comparison form, joined by spaces."""
        return " ".join(self.norms)

    @cached_property
    def stems(self) -> list[str | None]:
        """Each word's content stem, None for a stopword (see :func:`content_stems`)."""
        return content_stems(self.norms)

    def encoded(self, symbols: Symbols) -> str:
        """The query's words as symbols of ``symbols`` (kept for the last table asked)."""
        memo = self.memo
        if memo.symbols is None or memo.symbols[0] is not symbols:
            memo.symbols = (symbols, symbols.encode(self.tokens))
        return memo.symbols[1]

    def side(self, index: CorpusIndex) -> Side:
        """The query's side of the combined scorer's features in ``index`` (kept for the
        last index asked)."""
        memo = self.memo
        if memo.side is None or memo.side[0] is not index:
            memo.side = (index, side(self.norms, self.terms, index.weight))
        return memo.side[1]

    def weights(self, index: CorpusIndex) -> tuple[dict[str, float], float]:
        """Each content term's weight in ``index``, and their total over the query."""
        memo = self.memo
        if memo.weights is None or memo.weights[0] is not index:
            weights = {t: index.weight(t) for t in self.terms}
            total = sum(n * weights[t] for t, n in self.terms.items())
            memo.weights = (index, weights, total)
        return memo.weights[1], memo.weights[2]

    @classmethod
    def parse(cls, text: str, *, clip: bool = False, settings: MatchSettings = MATCH) -> Query:
        """The query of ``text``; ``clip`` keeps the first ``settings.max_query_words`` words of a
        longer text instead of refusing it (the graph traces every quotation and
        sentence of a corpus, however long).

        >>> len(Query.parse("word " * 2500, clip=True).tokens)
        2000
        """
        tokens = tokenize(text)
        if not tokens:
            raise InputError(f"the query {text[:60]!r} has no words to look for")
        if len(tokens) > settings.max_query_words and clip:
            tokens = tokens[: settings.max_query_words]
        elif len(tokens) > settings.max_query_words:
            raise InputError(
                f"the query has {len(tokens)} words; trace at most "
                f"{settings.max_query_words} at a time (split a long passage into its sentences)"
            )
        starts = [t.start for t in tokens]
        breaks = sorted(
            {
                k
                for m in _ELISION.finditer(text)
                if 0 < (k := bisect_left(starts, m.start())) < len(tokens)
            }
        )
        return cls(
            text=text, tokens=tokens, terms=Counter(content_terms(tokens)), breaks=tuple(breaks)
        )

    @property
    def pieces(self) -> list[tuple[int, int]]:
        """The query's words as runs ``[a, b)`` between its ellipses (one run without).

        >>> Query.parse("We will win … every vote [...] in May").pieces
        [(0, 3), (3, 5), (5, 7)]
        """
        bounds = [0, *self.breaks, len(self.tokens)]
        return list(pairwise(bounds))
