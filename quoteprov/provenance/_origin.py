"""Which occurrence of a quotation is its origin, and on what evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from types import MappingProxyType

from .._models import KIND_RANK, Document, OriginBasis, published_key

__all__ = ["choose_origin"]


@dataclass(frozen=True)
class _Candidate:
    doc: Document
    kind: str
    speaker: str | None
    position: int  # corpus order
    language: str | None = None  # a translation's


def _date_order(a: dt.date | dt.datetime | None, b: dt.date | dt.datetime | None) -> int:
    """-1 when ``a`` is surely before ``b``, 1 when surely after, 0 when the dates do not
    tell (one missing, or the same day and one of them without a time of day)."""
    if a is None or b is None:
        return 0
    x: dt.date = published_key(a)
    y: dt.date = published_key(b)
    if not (isinstance(a, dt.datetime) and isinstance(b, dt.datetime)):
        x, y = published_key(a).date(), published_key(b).date()
    return (x > y) - (x < y)


def _earliest(dates: Sequence[dt.date | dt.datetime | None], ids: Sequence[int]) -> set[int]:
    """The ``ids`` whose date no other date is surely before (:func:`_date_order`), in one
    pass: a date is surely before another when its day is earlier, or when both have a
    time of day and its time is earlier.

    >>> day, morning = dt.date(2024, 3, 4), dt.datetime(2024, 3, 4, 8)
    >>> sorted(_earliest([day, dt.datetime(2024, 3, 4, 12), morning], [0, 1, 2]))
    [0, 2]
    """
    keys = [published_key(d) for d in dates if d is not None]
    if not keys:
        return set()
    first_day = min(k.date() for k in keys)
    timed = [k for d, k in zip(dates, keys, strict=True) if isinstance(d, dt.datetime)]
    first_time = min(timed) if timed else None
    return {
        n
        for n, d, k in zip(ids, dates, keys, strict=True)
        if k.date() == first_day
        and not (isinstance(d, dt.datetime) and first_time is not None and first_time < k)
    }


# how completely an occurrence carries the quotation: a fragment or a rewording never
# becomes the origin by being earlier than a document that holds the quotation itself
_COMPLETENESS = MappingProxyType(
    {"verbatim": 0, "near_verbatim": 0, "paraphrase": 1, "translation": 1, "partial": 2}
)


def _names(ids: Iterable[str], most: int = 5) -> str:
    """Document ids for a sentence: sorted, at most ``most`` named."""
    ids = sorted(set(ids))
    more = f" and {len(ids) - most} more" if len(ids) > most else ""
    return ", ".join(ids[:most]) + more


def choose_origin(
    candidates: Sequence[_Candidate],
    derived: AbstractSet[tuple[str, str]]
    | Callable[[Sequence[_Candidate]], AbstractSet[tuple[str, str]]],
) -> tuple[int, OriginBasis, str]:
    """Index of the origin among ``candidates``, the evidence that decided it, and that
    evidence in words, naming the documents.

    The steps, each keeping the candidates it cannot tell apart:

    0. the original language: when the statement was found in another language than the
       query's (``translation`` candidates) in a document no later than every dated
       occurrence in the query's language (or when none is dated), those are the
       statement as it was first made, and the rest translate it;
    1. completeness: those that hold the whole quotation (verbatim or near-verbatim)
       before rewordings, rewordings before fragments;
    2. dates: a dated candidate later than another dated one is set aside (undated ones
       stay: they may be earlier); a date without a time covers its whole day;
    3. copies: a candidate in a document derived from another candidate's document is set
       aside (``derived`` holds ``(copy id, source id)`` pairs of documents, or is a
       function of the candidates left that returns them, called only when needed);
    4. the exact words before edited ones (verbatim before near-verbatim);
    5. an attributed candidate before unattributed ones;
    6. a dated candidate before undated ones;
    7. corpus order.
    """
    if len(candidates) == 1:
        return 0, OriginBasis.ONLY, "only occurrence"
    pool = list(range(len(candidates)))
    reasons: list[str] = []

    def doc(n: int) -> str:
        return candidates[n].doc.id

    def step(
        kept: list[int], basis: OriginBasis, reason: str
    ) -> tuple[int, OriginBasis, str] | None:
        nonlocal pool
        if kept and len(kept) < len(pool):
            reasons.append(reason)
            pool = kept
        return (pool[0], basis, "; ".join(reasons)) if len(pool) == 1 else None

    translated = [n for n in pool if candidates[n].kind == "translation"]
    if translated and len(translated) < len(pool):
        own = [
            when
            for n in pool
            if n not in translated and (when := candidates[n].doc.published) is not None
        ]

        def first_said(n: int) -> bool:
            when = candidates[n].doc.published
            if when is None:
                return not own
            return all(_date_order(when, other) <= 0 for other in own)

        kept = [n for n in translated if first_said(n)]
        languages = sorted({str(candidates[n].language) for n in kept})
        dates = "none dated" if not own else f"the first dated {min(own, key=published_key)}"
        decided = step(
            kept,
            OriginBasis.ORIGINAL_LANGUAGE,
            f"the statement in its original language ({', '.join(languages)}: "
            f"{_names(doc(n) for n in kept)}), not later than the occurrences in the "
            f"query's language, which translate it ({dates})",
        )
        if decided is not None:
            return decided

    tier = min(_COMPLETENESS[candidates[n].kind] for n in pool)
    kept = [n for n in pool if _COMPLETENESS[candidates[n].kind] == tier]
    what = ("holding the whole quotation", "rewording it")[min(tier, 1)]
    aside = _names(f"{doc(n)} ({candidates[n].kind})" for n in pool if n not in kept)
    decided = step(kept, OriginBasis.COMPLETENESS, f"the occurrences {what} (set aside: {aside})")
    if decided is not None:
        return decided

    dated = [n for n in pool if candidates[n].doc.published is not None]
    first = _earliest([candidates[n].doc.published for n in dated], dated)
    if len(first) < len(dated):
        when = candidates[min(first)].doc.published
        later = _names(doc(n) for n in dated if n not in first)
        kept = [n for n in pool if n in first or candidates[n].doc.published is None]
        undated = [n for n in kept if candidates[n].doc.published is None]
        if len(kept) == 1:
            reason = f"earliest publication date ({when}; later: {later})"
        elif undated:
            reason = (
                f"later publications set aside ({later}: after {when}); undated ones kept, "
                f"since they may be earlier ({_names(doc(n) for n in undated)})"
            )
        else:
            reason = f"later publications set aside ({later}: after {when})"
        decided = step(kept, OriginBasis.DATE, reason)
        if decided is not None:
            return decided

    found = derived(tuple(candidates[n] for n in pool)) if callable(derived) else derived
    ids = {doc(n) for n in pool}
    copies = [n for n in pool if any((doc(n), other) in found for other in ids - {doc(n)})]
    decided = step(
        [n for n in pool if n not in copies],
        OriginBasis.CONTAINMENT,
        f"copies set aside ({_names(doc(n) for n in copies)}: "
        "derived from another occurrence's document)",
    )
    if decided is not None:
        return decided

    exact = min(KIND_RANK[candidates[n].kind] for n in pool)
    kept = [n for n in pool if KIND_RANK[candidates[n].kind] == exact]
    edited = _names(f"{doc(n)} ({candidates[n].kind})" for n in pool if n not in kept)
    decided = step(
        kept,
        OriginBasis.COMPLETENESS,
        f"the occurrence in the query's exact words (others edited: {edited})",
    )
    if decided is not None:
        return decided

    named = [n for n in pool if candidates[n].speaker is not None]
    unnamed = _names(doc(n) for n in pool if n not in named)
    decided = step(
        named, OriginBasis.ATTRIBUTION, f"an attributed occurrence (unattributed: {unnamed})"
    )
    if decided is not None:
        return decided

    dated = [n for n in pool if candidates[n].doc.published is not None]
    others = _names(doc(n) for n in pool if n not in dated)
    decided = step(dated, OriginBasis.DATE, f"the dated occurrence (undated: {others})")
    if decided is not None:
        return decided

    n = min(pool, key=lambda n: candidates[n].position)
    tie = "no evidence separates " + " and ".join(doc(m) for m in pool)
    return n, OriginBasis.CORPUS_ORDER, "; ".join([*reasons, tie + ": the first in corpus order"])
