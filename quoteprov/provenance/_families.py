"""Quotation families."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from .._models import KIND_RANK, Quote
from .._parallel import Backend, run_tasks
from .._settings import Settings
from ..search._candidates import candidate_rows
from ..search._index import CorpusIndex
from ..search._match import match_passage
from ..search._query import Query
from ..search._scorer import paraphrase_floor
from ..search._symbols import Symbols
from ..text._normalize import fold
from ..text._speakers import name_key, same_speaker
from ._reuse import _Shared

__all__ = []


@dataclass
class _Occurrence:
    doc: int
    start: int
    end: int
    content: str
    words: int
    quote: Quote | None
    speaker: str | None = None
    kind: str = "verbatim"
    score: float = 100.0


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _quote_occurrences(index: CorpusIndex, *, settings: Settings) -> list[_Occurrence]:
    occurrences = []
    for d, adoc in enumerate(index.docs):
        for quote in adoc.quotes:
            words = sum(len(range(*adoc.token_range(p.start, p.end))) for p in quote.parts)
            if words >= settings.graph.min_quote_words:
                occurrences.append(
                    _Occurrence(
                        d, quote.start, quote.end, quote.content, words, quote, quote.speaker
                    )
                )
    return occurrences


@dataclass(frozen=True)
class _Found:
    """One match of a traced quotation, as the family merge needs it."""

    doc: int
    kind: str
    score: float
    start: int
    end: int
    text: str
    speaker: str | None
    quote_start: int | None  # the quotation of the document holding the match, if any
    words: int


def _family_task(
    shared: _Shared, items: Sequence[tuple[str, frozenset[int]]]
) -> list[list[_Found]]:
    """Trace quotations ``(content, documents holding it)`` through the other documents."""
    index = shared.index
    queries = [
        Query.parse(content, clip=True, settings=shared.settings.match) for content, _ in items
    ]
    candidates = candidate_rows(
        queries,
        index,
        limit=shared.settings.graph.family_candidates,
        min_similarity=shared.settings.graph.family_similarity,
        always=shared.settings.match.copy_similarity,
        min_containment=shared.settings.graph.family_containment,
        probe_budget=shared.settings.graph.family_probe_budget,
        bigram_probe=True,
        exclude=[own for _, own in items],
        settings=shared.settings.match,
    )
    out = []
    first = shared.settings.graph.family_first
    for q, rows in zip(queries, candidates, strict=True):
        by_doc: dict[int, list[int]] = defaultdict(list)
        for u in rows.tolist():  # most similar first: so are the documents
            by_doc[int(index.unit_doc[u])].append(int(index.unit_sent[u]))
        docs = list(by_doc)
        # most quotations are quoted nowhere else: when the documents of the most similar
        # candidates hold nothing of it, the less similar ones are not aligned
        found = _found_in(shared, q, by_doc, docs[:first] if first else docs)
        if found and first:
            found += _found_in(shared, q, by_doc, docs[first:])
        out.append(sorted(found, key=lambda f: f.doc))
    return out


def _found_in(
    shared: _Shared, q: Query, rows: dict[int, list[int]], docs: Sequence[int]
) -> list[_Found]:
    """The matches of ``q`` in documents ``docs``, in their sentences ``rows[doc]``."""
    found = []
    for d in docs:
        adoc = shared.index.docs[d]
        for m in match_passage(
            q, adoc, rows[d], shared.index, shared.symbols, settings=shared.settings.match
        ):
            quote = adoc.quote_at(m.start, m.end)
            i, j = adoc.token_range(m.start, m.end)
            where = quote.start if quote is not None else None
            span = (m.start, m.end, m.text)
            found.append(_Found(d, m.kind, m.score, *span, m.speaker, where, j - i))
    return found


def _families(
    index: CorpusIndex,
    derived: set[tuple[int, int]],
    *,
    backend: Backend = "local",
    client: Any = None,
    workers: int | None = 1,
    progress: bool | None = False,
    symbols: Symbols,
    settings: Settings,
) -> list[list[_Occurrence]]:
    floor = paraphrase_floor()  # the family's queries are lexical (no sentence vector)
    occurrences = _quote_occurrences(index, settings=settings)
    by_quote = {(o.doc, o.start): n for n, o in enumerate(occurrences)}
    by_span: dict[tuple[int, int, int], int] = {}
    strong = _UnionFind()
    attach: list[tuple[int, int, float]] = []  # (fragment, container, score)
    # The same words quoted in several documents are one quotation: joined here exactly
    # (a traced quotation reaches only its most similar candidates) and traced once.
    first: dict[str, int] = {}
    holders: dict[int, set[int]] = defaultdict(set)
    for n, o in enumerate(occurrences):
        k = first.setdefault(fold(o.content), n)
        strong.union(k, n)
        holders[k].add(o.doc)
    if first:
        _ = index.bigrams  # built once here, before the tasks are forked

    def trace(numbers: list[int]) -> dict[int, list[_Found]]:
        items = [(occurrences[n].content, frozenset(holders[n])) for n in numbers]
        chunks = [
            items[lo : lo + settings.graph.family_chunk]
            for lo in range(0, len(items), settings.graph.family_chunk)
        ]
        traced = run_tasks(
            _family_task,
            _Shared(index, symbols, settings),
            chunks,
            backend=backend,
            client=client,
            workers=workers,
            progress=progress,
            desc="quotations",
        )
        return dict(zip(numbers, (found for part in traced for found in part), strict=True))

    # A statement quoted by a thousand outlets comes in hundreds of versions (each copy
    # desk's edit): each traced would align the other thousand copies.  One version of
    # each group is traced; a version it finds nearly word for word joins its family
    # then, and the versions no trace has reached are grouped and traced in turn.
    found_by: dict[int, list[_Found]] = {}
    reached: set[tuple[int, int]] = set()
    waiting = sorted(first.values())
    while waiting:
        found_by |= trace(_leaders([occurrences[n] for n in waiting], waiting, holders))
        reached.update(
            (m.doc, m.quote_start)
            for n in waiting
            for m in found_by.get(n, ())
            if m.quote_start is not None and m.kind in ("verbatim", "near_verbatim")
        )
        waiting = [
            n
            for n in waiting
            if n not in found_by and (occurrences[n].doc, occurrences[n].start) not in reached
        ]
    for n, found in sorted(found_by.items()):
        o = occurrences[n]  # occurrences found on the way are not traced again
        for m in found:
            d = m.doc
            whole = by_quote.get((d, m.quote_start)) if m.quote_start is not None else None
            speaker = occurrences[whole].speaker if whole is not None else m.speaker
            if whole is None and m.quote_start is not None:
                # inside a quotation too short to trace ('described it as a "failed
                # state"'): its speaker said two words, which corroborate no longer match
                speaker = None
            weak = (m.kind != "verbatim" and m.score < floor) or (
                m.kind == "paraphrase" and m.score < settings.graph.link_paraphrase_min
            )
            if weak and not _corroborated(o.doc, o.speaker, d, speaker, derived):
                continue  # before a passage found on the way becomes an occurrence
            if whole is not None:
                other = whole
            else:
                key = (d, m.start, m.end)
                if key not in by_span:
                    by_span[key] = len(occurrences)
                    occurrences.append(
                        _Occurrence(d, m.start, m.end, m.text, m.words, None, m.speaker)
                    )
                other = by_span[key]
            small, large = sorted((n, other), key=lambda x: occurrences[x].words)
            ratio = occurrences[small].words / max(1, occurrences[large].words)
            if (m.kind == "partial" or ratio < settings.match.near_coverage) and _said_by_another(
                occurrences[small], occurrences[large]
            ):
                continue
            if m.kind == "partial" or ratio < settings.graph.fragment_ratio:
                attach.append((small, large, m.score))
            else:
                strong.union(n, other)
    # a fragment joins its best container's family, never bridging two families
    groups: dict[int, list[int]] = defaultdict(list)
    for n in range(len(occurrences)):
        groups[strong.find(n)].append(n)
    best_container: dict[int, tuple[float, int]] = {}
    for small, large, score in attach:
        root_small, root_large = strong.find(small), strong.find(large)
        if root_small == root_large:
            continue
        if len(groups[root_small]) > len(groups[root_large]):
            continue  # the container is itself the fragment of a bigger family
        current = best_container.get(root_small)
        if current is None or (score, -root_large) > (current[0], -current[1]):
            best_container[root_small] = (score, root_large)
    merged = _UnionFind()
    for root_small, (_, root_large) in sorted(best_container.items()):
        if root_large not in best_container:  # one level only: no chains of fragments
            merged.union(root_large, root_small)
    families: dict[int, list[_Occurrence]] = defaultdict(list)
    for n, o in enumerate(occurrences):
        families[merged.find(strong.find(n))].append(o)
    return [sorted(f, key=lambda o: (o.doc, o.start)) for _, f in sorted(families.items())]


def _leaders(
    quotations: Sequence[_Occurrence], numbers: Sequence[int], holders: dict[int, set[int]]
) -> list[int]:
    """Which of ``quotations`` (occurrence ``numbers``) to trace: of each group that share
    five words in a row (the versions of one statement, each edited here or there), the
    one most documents hold.

    >>> texts = ["a b c d e f g h i j", "a b c d e f g x i j", "a y c d e f g h i j", "k l"]
    >>> found = [_Occurrence(n, 0, 1, t, len(t.split()), None) for n, t in enumerate(texts)]
    >>> _leaders(found, [0, 1, 2, 3], {0: {0}, 1: {1, 4, 5}, 2: {2}, 3: {3}})
    [1, 3]
    """
    group = _UnionFind()
    seen: dict[tuple[str, ...], int] = {}
    for n, o in zip(numbers, quotations, strict=True):
        words = fold(o.content).split()
        for k in range(max(1, len(words) - 4)):
            group.union(seen.setdefault(tuple(words[k : k + 5]), n), n)
    best: dict[int, int] = {}
    for n in numbers:
        root = group.find(n)
        if root not in best or len(holders[n]) > len(holders[best[root]]):
            best[root] = n
    return sorted(best.values())


def _corroborated(
    a: int,
    speaker_a: str | None,
    b: int,
    speaker_b: str | None,
    derived: AbstractSet[tuple[int, int]],
) -> bool:
    """Whether a weak link between passages of documents ``a`` and ``b`` has support:
    one person named as the speaker of both, or one document known to reuse the other.
    A description ("the official") names no one, so two of them support nothing."""
    if (a, b) in derived or (b, a) in derived:
        return True
    return (
        speaker_a is not None
        and speaker_b is not None
        and bool(name_key(speaker_a))
        and same_speaker(speaker_a, speaker_b)
    )


def _said_by_another(fragment: _Occurrence, container: _Occurrence) -> bool:
    """Whether ``fragment`` is a whole quotation of its own, attributed to someone named
    who is not ``container``'s named speaker: a statement of its own that shares some
    words, not a part of the container quoted again.  Asked only of a fragment (shorter
    than a near-verbatim copy of the container may be): a copy of a whole quotation that
    names another speaker is still linked, to show the misattribution."""
    a, b = fragment.speaker, container.speaker
    return (
        fragment.quote is not None
        and a is not None
        and b is not None
        and bool(name_key(a))
        and bool(name_key(b))
        and not same_speaker(a, b)
    )


def _annotate(
    index: CorpusIndex,
    reference: _Occurrence,
    family: Iterable[_Occurrence],
    symbols: Symbols,
    settings: Settings,
) -> None:
    """Each occurrence of ``family`` with its kind and score as a copy of ``reference``
    (whose query is parsed once for the whole family, however big)."""
    q = Query.parse(reference.content, clip=True, settings=settings.match)
    for o in family:
        o.kind, o.score = _relate(index, reference, q, o, symbols, settings=settings)


def _relate(
    index: CorpusIndex,
    reference: _Occurrence,
    q: Query,
    o: _Occurrence,
    symbols: Symbols,
    *,
    settings: Settings,
) -> tuple[str, float]:
    """Kind and score of occurrence ``o`` as a copy of ``reference`` (parsed as ``q``)."""
    if o is reference:
        return "verbatim", 100.0
    adoc = index.docs[o.doc]
    sentences = list(range(*adoc.sentence_range(o.start, o.end)))
    found = [
        m
        for m in match_passage(q, adoc, sentences, index, symbols, settings=settings.match)
        if m.start < o.end and o.start < m.end
    ]
    if not found:
        return "paraphrase", 0.0  # below any floor: left out of the family (see _apart)
    best = min(found, key=lambda m: (KIND_RANK[m.kind], -m.score))
    return best.kind, best.score


def _family_id(text: str, taken: dict[str, str]) -> str:
    """A short stable id from the quotation's text, unique among ``taken`` (id → digest).

    Ten hex digits of the folded text's SHA-1, more where another text shares them; two
    families can hold the same text (the same words quoted apart, never linked), and the
    later one in corpus order gets a numbered suffix.

    >>> taken: dict[str, str] = {}
    >>> [_family_id("Yes we can.", taken) for _ in range(3)]
    ['6e96e6c19b', '6e96e6c19b-2', '6e96e6c19b-3']
    """
    digest = hashlib.sha1(fold(text).encode("utf-8")).hexdigest()
    n = 10
    while taken.get(digest[:n], digest) != digest:
        n += 1
    ident, copy = digest[:n], 1
    while ident in taken:
        copy += 1
        ident = f"{digest[:n]}-{copy}"
    taken[ident] = digest
    return ident
