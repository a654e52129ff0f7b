"""What a match is: verbatim, near-verbatim, partial or paraphrase.

Each alignment becomes a scored :class:`~quoteprov.Match` of one kind, with its changes,
and :func:`is_occurrence` says whether it carries the query or is only related text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from .._models import Change, Kind, Match
from .._settings import MATCH, MatchSettings
from ..text._analysis import AnalyzedDocument
from ..text._lexicon import is_number, number_value
from ._index import CorpusIndex
from ._symbols import Symbols

if TYPE_CHECKING:
    pass
from ._align import _best_chain, _changes, _sentences_of, coverage
from ._query import Query, _negations
from ._scorer import (
    compare,
    paraphrase_floor,
    paraphrase_min,
    probability,
    side,
)

__all__ = ["is_occurrence", "new_symbols", "paraphrase_score"]


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
    *,
    floor: float | None = None,
) -> float:
    """The combined scorer's probability that document tokens ``[t0, t1)`` say what the
    query says (see :mod:`quoteprov.search._scorer`); ``terms`` are ``adoc.terms(t0, t1)``
    when at hand.

    With ``floor`` (the paraphrase path) and the semantic tier on, the semantic model scores
    with the transformer's cosine when the candidate sentence has one (the few nearest the
    query: :class:`~quoteprov.search._semantic.CandidateVectors`): the passage is a
    paraphrase candidate, which its words alone may not show.  Otherwise (an alignment of
    the query's words: near-verbatim, partial; or a candidate without a vector) the lexical
    model scores.
    """
    terms = adoc.terms(t0, t1) if terms is None else terms
    passage = side(adoc.tokens[t0:t1].words(), Counter(terms), index.weight)
    signals = compare(q.side(index), passage, index.weight, None)
    if q.vector is None or floor is None:
        return probability(signals)
    from ._semantic import sentence_cosine

    cosine = sentence_cosine(q.vector, q.vectors, index, adoc, adoc.tokens[t0].start)
    return probability(signals if cosine is None else {**signals, "cosine": cosine})


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
    q: Query,
    adoc: AnalyzedDocument,
    r0: int,
    r1: int,
    symbols: Symbols,
    index: CorpusIndex,
    *,
    settings: MatchSettings,
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
        if n > settings.long_query_words:
            w0, w1 = 0, len(text)  # a bounded window (see match_passage)
        else:
            al = fuzz.partial_ratio_alignment(qs, text)
            if al is None or al.score == 0:
                break
            # the window may be shorter than the query at the passage's edges: widen it
            # by what is missing plus some slack for inserted words
            slack = max(2, n // 3) + max(0, n - (al.dest_end - al.dest_start))
            w0, w1 = max(0, al.dest_start - slack), min(len(text), al.dest_end + slack)
        chain = _best_chain(qs, text, w0, w1, settings=settings)
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
        if local < settings.near_similarity:
            continue
        # near-verbatim: the query's span, most of its words the same ("I know" spans "I
        # don't know" but keeps two of its three words: no copy of it)
        if aligned >= settings.near_coverage and matched >= settings.near_similarity * n:
            changes = _changes(q, 0, n, adoc, t0, t1, symbols)
            score = 100.0 * _calibrated(q, adoc, t0, t1, index)
            share = coverage(q, adoc, t0, t1, index)
            found.append(_make_match(q, adoc, t0, t1, "near_verbatim", score, changes, share))
            continue
        shared = {t for t in q.stems[q0:q1] if t is not None} & set(adoc.terms(t0, t1))
        if matched < 3 or len(shared) < 2:
            continue  # one or two shared words are no evidence of a quotation
        if aligned >= settings.partial_coverage or _quoted_fragment(
            adoc, t0, t1, matched, settings=settings
        ):
            changes = _changes(q, q0, q1, adoc, t0, t1, symbols)
            # ranked by how much of what the query says its sentence carries
            score = 100.0 * _calibrated(
                q, adoc, *_sentences_of(adoc, t0, t1, settings=settings), index
            )
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


def _quoted_fragment(
    adoc: AnalyzedDocument, t0: int, t1: int, matched: int, *, settings: MatchSettings
) -> bool:
    """Whether tokens ``[t0, t1)`` are (nearly) all of a quotation of the document."""
    k = adoc.quote_index_at(adoc.tokens[t0].start, adoc.tokens[t1 - 1].end)
    if k is None:
        return False
    words = sum(len(range(*adoc.token_range(a, b))) for a, b in adoc.quote_parts(k))
    return matched >= settings.quoted_fragment * words


def _paraphrase(
    q: Query,
    adoc: AnalyzedDocument,
    sentence: int,
    index: CorpusIndex,
    symbols: Symbols,
    loose: bool = False,
    *,
    settings: MatchSettings,
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
    if j - i > max(settings.region_words, 3 * len(q.tokens)):
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
        if both - i <= max(settings.region_words, 3 * len(q.tokens)):
            options.append((i, both))
    semantic = q.vector is not None
    floor = paraphrase_floor(semantic)
    best: tuple[float, int, int] | None = None
    for a, b in options:
        if b <= a:
            continue
        terms = adoc.terms(a, b)
        if not _carries_enough(q, adoc, a, b, terms, settings=settings):
            continue
        score = 100.0 * _calibrated(q, adoc, a, b, index, terms, floor=floor)
        if best is None or score > best[0]:
            best = (score, a, b)
    if best is None or best[0] < floor:
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
    q: Query,
    adoc: AnalyzedDocument,
    t0: int,
    t1: int,
    terms: list[str] | None = None,
    *,
    settings: MatchSettings,
) -> bool:
    """Whether tokens ``[t0, t1)`` share enough of the query's content words to say it.

    At least ``settings.min_shared_share`` of them and two: a one-word scare quote
    ('Smash') in a headline carries none of what a whole sentence says, however it
    scores.  ``terms`` are ``adoc.terms(t0, t1)`` when at hand.
    """
    shared = len(q.terms.keys() & set(adoc.terms(t0, t1) if terms is None else terms))
    return shared >= max(2, settings.min_shared_share * len(q.terms))


def _attributed(adoc: AnalyzedDocument, t0: int, t1: int) -> bool:
    """Whether tokens ``[t0, t1)`` hold an attributed quotation (a pronoun will do)."""
    start, end = adoc.tokens[t0].start, adoc.tokens[t1 - 1].end
    return any(qt.speaker_span is not None for qt in adoc.quotes_in(start, end))


def is_occurrence(
    match: Match, least: float | None = None, *, settings: MatchSettings = MATCH
) -> bool:
    """Whether ``match`` carries the query or a substantial part of it: verbatim (elided
    or not), near-verbatim and translation matches always; a partial or a paraphrase that holds
    ``settings.occurrence_words`` of the query's words (``Match.held_words``), a partial
    from ``least`` of the query's content on (``Match.coverage``; by default
    ``settings.occurrence_coverage``), a paraphrase from ``settings.paraphrase_coverage``
    or ``least``, whichever is lower.  The rest is related text: a few words in common.

    >>> from quoteprov._models import Match
    >>> m = Match(doc_id="a", start=0, end=34, text="I don't know what the plan is here",
    ...           score=31.7, kind="partial", coverage=0.26, held_words=5)
    >>> is_occurrence(m), is_occurrence(m, least=0.2)
    (False, True)
    >>> is_occurrence(m.model_copy(update={"held_words": 3}), least=0.2)
    False
    """
    if match.kind in ("verbatim", "near_verbatim", "translation"):
        return True
    if least is None:
        least = settings.occurrence_coverage
    if match.held_words is not None and match.held_words < settings.occurrence_words:
        return False
    if match.kind == "paraphrase":
        return match.coverage >= min(least, settings.paraphrase_coverage)
    return match.coverage >= least
