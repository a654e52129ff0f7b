"""Word-level alignment of a query against a document.

The best chains of matching words, the edits between them (:class:`~quoteprov.Change`),
and how much of the query's rarity-weighted content they hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from rapidfuzz.distance import Levenshtein

from .._models import Change
from .._settings import MATCH, MatchSettings
from ..text._analysis import AnalyzedDocument
from ..text._lexicon import is_number, number_value
from ..text._normalize import Token
from ._index import CorpusIndex
from ._symbols import Symbols

if TYPE_CHECKING:
    pass
from ._query import Query, _elided, _is_name, _negations

__all__ = ["coverage"]


def _sentences_of(
    adoc: AnalyzedDocument, t0: int, t1: int, *, settings: MatchSettings
) -> tuple[int, int]:
    """Token range of the sentences holding tokens ``[t0, t1)``."""
    first, last = adoc.sentence_range(adoc.tokens[t0].start, adoc.tokens[t1 - 1].end)
    if last <= first:
        return t0, t1
    a, b = adoc.sentence_tokens[first][0], adoc.sentence_tokens[last - 1][1]
    return max(a, t0 - settings.region_words // 2), min(b, t1 + settings.region_words // 2)


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
    blocks: Sequence[tuple[int, int, int]],
    qs: str,
    text: str,
    *,
    settings: MatchSettings,
) -> list[tuple[int, int, int, int, int]]:
    """Runs of equal blocks ``(query start, text start, size)`` separated by short gaps:
    ``(q0, q1, r0, r1, matched)``."""
    runs: list[list[list[int]]] = []
    last: list[int] | None = None
    for q0, r0, size in blocks:
        if size == 0:
            continue
        if (
            last is not None
            and q0 - last[1] <= settings.max_gap
            and r0 - last[3] <= settings.max_gap
        ):
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


def _best_chain(
    qs: str, text: str, w0: int, w1: int, *, settings: MatchSettings = MATCH
) -> tuple[int, int, int, int, int] | None:
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
    options = _chains(blocks, qs, window, settings=settings)
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
