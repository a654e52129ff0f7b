"""Scoring and classifying candidate occurrences of a query, with word-level changes.

Alignment works on words: each word becomes one symbol, so rapidfuzz's C implementations
locate the query inside a candidate passage (``partial_ratio_alignment``) and list the
edits (``Levenshtein.opcodes``) at word level.  Punctuation, case, diacritics and quote
styles never count as changes.

``score`` (0-100) is 100 × the combined scorer's calibrated probability that the matched
text says what the query says (:mod:`quoteprov.scorer`: rapidfuzz scores, content-word
overlap weighted by rarity, number and negation agreement, the embedding cosine when the
semantic tier is on), so every kind ranks on one scale.  Kinds:

``verbatim``
    the same words in the same order (score 100).
``near_verbatim``
    the aligned passage covers at least ``NEAR_COVERAGE`` of the query's words and its
    word-level similarity to the query is at least ``NEAR_SIMILARITY``: light edits.
``partial``
    a faithful (``NEAR_SIMILARITY``) fragment of 3+ words sharing 2+ content words with
    the query: at least ``PARTIAL_COVERAGE`` of the query, or at least ``QUOTED_FRAGMENT``
    of a quotation in the document (the document quotes a fragment); its score is that of
    its sentence.  When tracing a query, also a sentence that carries part of what the
    query says: a score between the scorer's floor and its paraphrase threshold.
``paraphrase``
    no faithful alignment of most of the query, but the scorer calls the sentence (or its
    quotation) a paraphrase: score from :func:`paraphrase_min <quoteprov.scorer.
    paraphrase_min>` on (the floor for an attributed quotation, another rendering of a
    statement).  The thresholds and the precision and recall they give on MSRP are in
    ``quoteprov/scorer_params.json``; ``benchmarks/quality.py`` measures them on data no
    threshold was chosen on.

>>> from quoteprov.corpus import Corpus
>>> from quoteprov.models import Document
>>> corpus = Corpus([Document(id="a", text='"We will win," she said. Nothing else.')])
>>> found = find_matches("we will WIN", CorpusIndex.for_corpus(corpus))
>>> [(m.kind, m.text, m.speaker) for m in found]
[('verbatim', 'We will win', 'she')]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, Levenshtein

from .errors import InputError
from .index import AnalyzedDocument, CorpusIndex, content_terms
from .models import KIND_RANK, Change, Kind, Match
from .normalize import Token, tokenize
from .scorer import PARAPHRASE_MIN, features, paraphrase_floor, paraphrase_min, probability

__all__ = [
    "NEAR_COVERAGE",
    "NEAR_SIMILARITY",
    "PARAPHRASE_MIN",
    "PARTIAL_COVERAGE",
    "find_matches",
    "match_passage",
    "paraphrase_score",
]

NEAR_COVERAGE = 0.85
NEAR_SIMILARITY = 0.75
PARTIAL_COVERAGE = 0.3
QUOTED_FRAGMENT = 0.8
MIN_SHARED_SHARE = 0.25  # of the query's content words, for a paraphrase or a loose partial
MAX_GAP = 3  # words: a longer run of unmatched words breaks an alignment in two
MAX_QUERY_WORDS = 2000

NEGATIONS = frozenset(
    """not no never none nobody nothing neither nor nowhere without cannot n't can't won't
    don't doesn't didn't isn't aren't wasn't weren't hasn't haven't hadn't shouldn't wouldn't
    couldn't mustn't""".split()
)
_NUMBER_WORDS = frozenset(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
    ninety hundred thousand million billion trillion dozen dozens half quarter first second
    third fourth fifth percent""".split()
)
_DIGIT = re.compile(r"\d")


def _is_number(word: str) -> bool:
    return bool(_DIGIT.search(word)) or word in _NUMBER_WORDS


def _is_negation(word: str) -> bool:
    return word in NEGATIONS or word.endswith("n't")


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
    return k > 0 and text[k - 1] not in ".!?:;…\n"


@dataclass(frozen=True)
class Query:
    """A query's words, ready to be aligned."""

    text: str
    tokens: list[Token]
    terms: Counter[str]
    vector: Any = None  # the query's sentence embedding when the semantic tier is on

    @classmethod
    def parse(cls, text: str) -> Query:
        tokens = tokenize(text)
        if not tokens:
            raise InputError(f"the query {text[:60]!r} has no words to look for")
        if len(tokens) > MAX_QUERY_WORDS:
            raise InputError(
                f"the query has {len(tokens)} words; trace at most {MAX_QUERY_WORDS} at a time "
                "(split a long passage into its sentences)"
            )
        return cls(text=text, tokens=tokens, terms=Counter(content_terms(tokens)))


class _Symbols:
    """One private symbol per distinct word, so strings of symbols align word by word."""

    def __init__(self) -> None:
        self.table: dict[str, str] = {}

    def encode(self, tokens: Sequence[Token]) -> str:
        table = self.table
        out = []
        for t in tokens:
            sym = table.get(t.norm)
            if sym is None:
                sym = table[t.norm] = chr(0x10000 + len(table) % 0xEFFFF)
            out.append(sym)
        return "".join(out)


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


def _calibrated(q: Query, adoc: AnalyzedDocument, t0: int, t1: int, index: CorpusIndex) -> float:
    """The combined scorer's probability that document tokens ``[t0, t1)`` say what the
    query says (see :mod:`quoteprov.scorer`); with the sentence embedding's cosine when
    the semantic tier is on."""
    cosine = None
    if q.vector is not None:
        from .semantic import sentence_cosine

        cosine = sentence_cosine(q.vector, index, adoc, adoc.tokens[t0].start)
    return probability(features(q.tokens, adoc.tokens[t0:t1], index.weight, cosine))


def _sentences_of(adoc: AnalyzedDocument, t0: int, t1: int) -> tuple[int, int]:
    """Token range of the sentences holding tokens ``[t0, t1)``."""
    start, end = adoc.tokens[t0].start, adoc.tokens[t1 - 1].end
    touched = [k for k, s in enumerate(adoc.sentences) if s.start < end and start < s.end]
    if not touched:
        return t0, t1
    return adoc.sentence_tokens[touched[0]][0], adoc.sentence_tokens[touched[-1]][1]


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
    opcodes: Sequence[tuple[str, int, int, int, int]], qs: str, text: str
) -> list[tuple[int, int, int, int, int]]:
    """Runs of equal blocks separated by short gaps: ``(q0, q1, r0, r1, matched)``."""
    runs: list[list[list[int]]] = []
    for tag, q0, q1, r0, r1 in opcodes:
        if tag != "equal":
            continue
        last = runs[-1][-1] if runs else None
        if last is not None and q0 - last[1] <= MAX_GAP and r0 - last[3] <= MAX_GAP:
            runs[-1].append([q0, q1, r0, r1])
        else:
            runs.append([[q0, q1, r0, r1]])
    chains = []
    for blocks in runs:
        _tighten(blocks, qs, text)
        matched = sum(b[1] - b[0] for b in blocks)
        chains.append((blocks[0][0], blocks[-1][1], blocks[0][2], blocks[-1][3], matched))
    return chains


def _best_chain(qs: str, text: str, w0: int, w1: int) -> tuple[int, int, int, int, int] | None:
    """The alignment chain of ``qs`` in ``text[w0:w1]`` with the most matched words."""
    window = text[w0:w1]
    ops = [
        (o.tag, o.src_start, o.src_end, o.dest_start, o.dest_end)
        for o in Levenshtein.opcodes(qs, window)
    ]
    options = _chains(ops, qs, window)
    if not options:
        return None
    q0, q1, a, b, matched = max(options, key=lambda c: (c[4], -(c[3] - c[2]), -c[2]))
    a, b = a + w0, b + w0
    # grow over exactly matching neighbours the window cut off
    while q0 > 0 and a > 0 and text[a - 1] == qs[q0 - 1]:
        q0, a, matched = q0 - 1, a - 1, matched + 1
    while q1 < len(qs) and b < len(text) and text[b] == qs[q1]:
        q1, b, matched = q1 + 1, b + 1, matched + 1
    return q0, q1, a, b, matched


def _changes(
    q: Query, q0: int, q1: int, adoc: AnalyzedDocument, t0: int, t1: int, symbols: _Symbols
) -> tuple[Change, ...]:
    """Word-level edits turning query words ``[q0, q1)`` into document tokens ``[t0, t1)``.

    A change is flagged ``number`` or ``entity`` when a number or a name in it is absent
    from the other side (a moved word is no alteration), ``negation`` when a negation is
    added, dropped or replaced.
    """
    qtok, dtok = q.tokens[q0:q1], adoc.tokens[t0:t1]
    text = adoc.doc.text
    gaps = _interruptions(adoc, dtok[0].start if dtok else 0, dtok[-1].end if dtok else 0)
    q_words = {t.norm for t in qtok}
    d_words = {t.norm for t in dtok}
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
        changes.append(
            Change(
                op="substitute"
                if tag == "replace"
                else ("insert" if tag == "insert" else "delete"),
                query=q.text[query_tokens[0].start : query_tokens[-1].end] if query_tokens else "",
                found=text[start:end],
                start=start,
                end=end,
                number=any(_is_number(t.norm) for t in (*lost, *new)),
                negation=any(map(_is_negation, words)),
                entity=_name_changed(q, qtok, a0, a1, lost, adoc, dtok, b0, b1, new),
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


def _interruptions(adoc: AnalyzedDocument, start: int, end: int) -> list[tuple[int, int]]:
    """Gaps between the parts of interrupted quotations overlapping ``[start, end)``."""
    gaps: list[tuple[int, int]] = []
    for quote in adoc.quotes:
        if quote.end <= start or quote.start >= end:
            continue
        gaps.extend((a.end, b.start) for a, b in zip(quote.parts, quote.parts[1:], strict=False))
    return gaps


def _make_match(
    adoc: AnalyzedDocument,
    t0: int,
    t1: int,
    kind: Kind,
    score: float,
    changes: tuple[Change, ...],
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
        changes=changes,
    )


def _lexical(
    q: Query, adoc: AnalyzedDocument, r0: int, r1: int, symbols: _Symbols, index: CorpusIndex
) -> list[Match]:
    """Faithful alignments of the query inside document tokens ``[r0, r1)``."""
    qs = symbols.encode(q.tokens)
    # the attribution inside an interrupted quotation is invisible to the alignment
    gaps = _interruptions(adoc, adoc.tokens[r0].start, adoc.tokens[r1 - 1].end) if r1 > r0 else []
    positions = [
        k
        for k in range(r0, r1)
        if not any(g0 <= adoc.tokens[k].start and adoc.tokens[k].end <= g1 for g0, g1 in gaps)
    ]
    region = list(symbols.encode([adoc.tokens[k] for k in positions]))
    n = len(q.tokens)
    found: list[Match] = []
    for _ in range(3):  # a passage may hold the query more than once, or in pieces
        if len(region) == 0:
            break
        text = "".join(region)
        al = fuzz.partial_ratio_alignment(qs, text)
        if al is None or al.score == 0:
            break
        # the window may be shorter than the query at the passage's edges: widen it by
        # what is missing plus some slack for inserted words
        slack = max(2, n // 3) + max(0, n - (al.dest_end - al.dest_start))
        w0, w1 = max(0, al.dest_start - slack), min(len(text), al.dest_end + slack)
        chain = _best_chain(qs, text, w0, w1)
        if chain is None:
            break
        q0, q1, a, b, matched = chain
        q0, q1, a, b = _extend_edges(q, adoc, positions, region, q0, q1, a, b)
        local = Indel.normalized_similarity(qs[q0:q1], text[a:b])
        coverage = (q1 - q0) / n
        t0, t1 = positions[a], positions[b - 1] + 1
        for k in range(a, b):  # never match these words again
            region[k] = "\uffff"
        span_words = [adoc.tokens[positions[k]].norm for k in range(a, b)]
        if span_words == [t.norm for t in q.tokens]:
            found.append(_make_match(adoc, t0, t1, "verbatim", 100.0, ()))
            continue
        if local < NEAR_SIMILARITY:
            continue
        if coverage >= NEAR_COVERAGE:
            changes = _changes(q, 0, n, adoc, t0, t1, symbols)
            score = 100.0 * _calibrated(q, adoc, t0, t1, index)
            found.append(_make_match(adoc, t0, t1, "near_verbatim", score, changes))
            continue
        shared = set(content_terms(q.tokens[q0:q1])) & set(content_terms(adoc.tokens[t0:t1]))
        if matched < 3 or len(shared) < 2:
            continue  # one or two shared words are no evidence of a quotation
        if coverage >= PARTIAL_COVERAGE or _quoted_fragment(adoc, t0, t1, matched):
            changes = _changes(q, q0, q1, adoc, t0, t1, symbols)
            # ranked by how much of what the query says its sentence carries
            score = 100.0 * _calibrated(q, adoc, *_sentences_of(adoc, t0, t1), index)
            found.append(_make_match(adoc, t0, t1, "partial", score, changes))
    return found


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

    ``"… put the Oval Office up for sale"`` against a query ending ``"… up for rent"``
    aligns up to ``"for"``; the query's last word then faces the document's next word,
    which is its substitution, not a deletion.  Only when at most ``most`` words are left
    out at that end, and both texts run on with nothing but spaces between the words (no
    sentence end, quotation mark or comma in between).
    """
    doc = adoc.doc.text
    tokens = adoc.tokens

    def seamless(text: str, left: Token, right: Token) -> bool:
        return text[left.end : right.start].isspace()

    def runs_on(qa: int, da: int, count: int) -> bool:
        """Query words ``[qa, qa + count]`` and region words ``[da, da + count]`` are
        free and follow each other with only spaces between them."""
        return all(
            region[da + k] != "\uffff"
            and region[da + k + 1] != "\uffff"
            and seamless(q.text, q.tokens[qa + k], q.tokens[qa + k + 1])
            and seamless(doc, tokens[positions[da + k]], tokens[positions[da + k + 1]])
            for k in range(count)
        )

    left, right = q0, len(q.tokens) - q1
    if 0 < left <= most and a >= left and runs_on(0, a - left, left):
        q0, a = 0, a - left
    if 0 < right <= most and b + right <= len(region) and runs_on(q1 - 1, b - 1, right):
        q1, b = len(q.tokens), b + right
    return q0, q1, a, b


def _quoted_fragment(adoc: AnalyzedDocument, t0: int, t1: int, matched: int) -> bool:
    """Whether tokens ``[t0, t1)`` are (nearly) all of a quotation of the document."""
    quote = adoc.quote_at(adoc.tokens[t0].start, adoc.tokens[t1 - 1].end)
    if quote is None:
        return False
    words = sum(len(range(*adoc.token_range(p.start, p.end))) for p in quote.parts)
    return matched >= QUOTED_FRAGMENT * words


def _paraphrase(
    q: Query,
    adoc: AnalyzedDocument,
    sentence: int,
    index: CorpusIndex,
    symbols: _Symbols,
    loose: bool = False,
) -> Match | None:
    """The sentence (or its quotation, or it and the next) as a paraphrase, if it is one.

    The combined scorer decides (thresholds in :mod:`quoteprov.scorer`): a paraphrase
    from the model's link threshold on, or from its lower floor when the passage is an
    attributed quotation (a rewording of someone's statement, such as another
    translation, shares fewer words than a rewrite of narrative).  With ``loose``, a
    passage between the floor and the link threshold that is no attributed quotation is
    returned as ``partial``: it carries part of what the query says, not all of it.
    """
    i, j = adoc.sentence_tokens[sentence]
    options = [(i, j)]
    sent = adoc.sentences[sentence]
    for qt in adoc.quotes:
        if qt.start < sent.end and qt.end > sent.start:
            a, _ = adoc.token_range(qt.parts[0].start, qt.parts[0].end)
            _, b = adoc.token_range(qt.parts[-1].start, qt.parts[-1].end)
            if j > a and b > i:
                options.append((max(a, i), min(b, j)))
    if sentence + 1 < len(adoc.sentences) and len(q.tokens) > 1.5 * (j - i):
        options.append((i, adoc.sentence_tokens[sentence + 1][1]))
    best: tuple[float, int, int] | None = None
    for a, b in options:
        if b <= a or not _carries_enough(q, adoc, a, b):
            continue
        score = 100.0 * _calibrated(q, adoc, a, b, index)
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
    return _make_match(adoc, a, b, kind, score, changes)


def _carries_enough(q: Query, adoc: AnalyzedDocument, t0: int, t1: int) -> bool:
    """Whether tokens ``[t0, t1)`` share enough of the query's content words to say it.

    At least ``MIN_SHARED_SHARE`` of them and two: a one-word scare quote ('Smash') in a
    headline carries none of what a whole sentence says, however it scores.
    """
    shared = len(q.terms.keys() & set(content_terms(adoc.tokens[t0:t1])))
    return shared >= max(2, MIN_SHARED_SHARE * len(q.terms))


def _attributed(adoc: AnalyzedDocument, t0: int, t1: int) -> bool:
    """Whether tokens ``[t0, t1)`` hold a quotation that has a speaker."""
    start, end = adoc.tokens[t0].start, adoc.tokens[t1 - 1].end
    return any(qt.speaker is not None and qt.start < end and start < qt.end for qt in adoc.quotes)


def match_passage(
    q: Query,
    adoc: AnalyzedDocument,
    sentences: Sequence[int],
    index: CorpusIndex,
    symbols: _Symbols | None = None,
    loose: bool = False,
) -> list[Match]:
    """Every occurrence of ``q`` around the given sentences of one document.

    ``loose`` also returns sentences that carry part of what the query says (between the
    scorer's floor and its paraphrase threshold) as ``partial``; tracing a query does,
    the provenance stage's linking does not.
    """
    symbols = symbols if symbols is not None else _Symbols()
    matches: list[Match] = []
    covered: set[int] = set()
    for lo, hi in _regions(sentences, len(adoc.sentences)):
        r0 = adoc.sentence_tokens[lo][0]
        r1 = adoc.sentence_tokens[hi - 1][1]
        for m in _lexical(q, adoc, r0, r1, symbols, index):
            touched = [s for s in range(lo, hi) if _overlaps(adoc, s, m)]
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
    return len(q.terms.keys() & set(content_terms(adoc.tokens[i:j])))


def _overlaps(adoc: AnalyzedDocument, sentence: int, m: Match) -> bool:
    s = adoc.sentences[sentence]
    return s.start < m.end and m.start < s.end


def _spans_overlap(a: Match, b: Match) -> bool:
    return a.doc_id == b.doc_id and a.start < b.end and b.start < a.end


def find_matches(
    query: str,
    index: CorpusIndex,
    *,
    kinds: Sequence[Kind] | None = None,
    limit: int | None = None,
    candidates: int = 200,
    semantic: bool | None = None,
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
        How many index candidates to align; more finds looser paraphrases in big corpora.
    semantic : bool, optional
        Use the semantic tier (:mod:`quoteprov.semantic`): None (default) when it is
        installed, False never.
    """
    q = Query.parse(query)
    by_doc: dict[int, list[int]] = {}
    for d, s, _ in index.candidates(q.tokens, limit=candidates):
        by_doc.setdefault(d, []).append(s)
    if semantic is not False:
        from . import semantic as tier  # imports no torch until an encoder is loaded

        encoder = tier.get_encoder()
        if encoder is not None:
            tier.sentence_vectors(index, encoder)
            q = replace(q, vector=encoder.encode([query])[0])
            for d, s, _ in tier.neighbours(q.vector, index, encoder):
                if s not in by_doc.setdefault(d, []):
                    by_doc[d].append(s)
    symbols = _Symbols()
    matches: list[Match] = []
    for d in sorted(by_doc):
        matches.extend(match_passage(q, index.docs[d], by_doc[d], index, symbols, loose=True))
    if kinds is not None:
        matches = [m for m in matches if m.kind in kinds]
    matches.sort(key=lambda m: (-m.score, KIND_RANK[m.kind], m.doc_id, m.start))
    return matches[:limit] if limit is not None else matches
