"""Which document reused which."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .._models import published_key
from .._parallel import Backend, run_tasks
from .._settings import SETTINGS, Settings
from ..search._index import CorpusIndex, distinct
from ..search._match import match_passage
from ..search._query import Query
from ..search._symbols import Symbols
from ..text._analysis import AnalyzedDocument
from ._origin import _date_order

__all__ = ["Derivations", "Reuse", "document_reuse"]


@dataclass
class Reuse:
    """Sentences one document shares with another (both directions counted once)."""

    narrative: set[tuple[int, int]] = field(default_factory=set)  # (sentence in a, in b)
    quoted: set[tuple[int, int]] = field(default_factory=set)
    kinds: Counter[str] = field(default_factory=Counter)
    scores: list[float] = field(default_factory=list)
    # the score of each linked sentence pair: how faithfully one holds the other, which
    # tells a common source from a copy of a copy (see _explained)
    best: dict[tuple[int, int], float] = field(default_factory=dict)


def _quoted_share(adoc: AnalyzedDocument, sentence: int) -> float:
    starts, ends = adoc.sentence_bounds
    start, end = starts[sentence], ends[sentence]
    inside = 0
    for k in range(*adoc.quote_range(start, end)):
        for a, b in adoc.quote_parts(k):
            inside += max(0, min(end, b) - max(start, a))
    return inside / max(1, end - start)


def document_reuse(
    index: CorpusIndex,
    docs: Sequence[int] | None = None,
    min_shared: int = 2,
    *,
    backend: Backend = "local",
    client: Any = None,
    workers: int | None = 1,
    progress: bool | None = False,
    symbols: Symbols | None = None,
    settings: Settings = SETTINGS,
) -> dict[tuple[int, int], Reuse]:
    """Matching sentences between documents, keyed by ``(doc a, doc b)`` with ``a < b``.

    Only document pairs with ``min_shared`` sentence pairs sharing a key are compared (see
    :meth:`CorpusIndex.reuse_pair_blocks`): the work grows with the reuse, not with the
    square of the corpus.  The comparisons run where ``backend`` says
    (:func:`quoteprov._parallel.run_tasks`); the result is the same everywhere.
    ``symbols`` is the index's symbol table (:attr:`CorpusIndex.symbols` by default).
    """
    shared = _Shared(index, symbols if symbols is not None else index.symbols, settings)
    pairs = index.candidate_document_pairs(
        min_similarity=settings.graph.sentence_similarity,
        min_words=settings.graph.min_sentence_words,
        min_pairs=max(1, min_shared),
        docs=docs,
        rarest=settings.graph.rarest_terms,
        max_group=settings.graph.max_key_group,
        max_pair_group=settings.graph.max_pair_group,
        max_clique=settings.graph.max_clique_group,
        anchors=settings.graph.group_anchors,
        counts=lambda rows: _narrative_rows(index, rows),
    )
    chunks = _chunks_by_left(pairs, settings.graph.reuse_chunk)
    found = run_tasks(
        _reuse_task,
        shared,
        chunks,
        backend=backend,
        client=client,
        workers=workers,
        progress=progress,
        desc="document reuse",
    )
    reuse: dict[tuple[int, int], Reuse] = defaultdict(Reuse)
    _collect_reuse(index, found, reuse)
    return dict(reuse)


def _collect_reuse(
    index: CorpusIndex,
    found: Iterable[list[tuple[int, int, str, float, bool]]],
    reuse: dict[tuple[int, int], Reuse],
) -> None:
    """Add the links of :func:`_reuse_task` results to ``reuse``, by document pair."""
    for u, v, kind, score, quoted in sorted(item for part in found for item in part):
        da, sa = int(index.unit_doc[u]), int(index.unit_sent[u])
        db, sb = int(index.unit_doc[v]), int(index.unit_sent[v])
        record = reuse[(da, db)]
        (record.quoted if quoted else record.narrative).add((sa, sb))
        record.kinds[kind] += 1
        record.scores.append(score)
        record.best[(sa, sb)] = max(score, record.best.get((sa, sb), score))


def _chunks_by_left(pairs: np.ndarray, size: int) -> list[np.ndarray]:
    """``pairs`` cut into chunks of about ``size`` rows, never splitting one left document."""
    chunks: list[np.ndarray] = []
    lo = 0
    while lo < len(pairs):
        hi = min(len(pairs), lo + size)
        while hi < len(pairs) and pairs[hi, 0] == pairs[hi - 1, 0]:
            hi += 1
        chunks.append(pairs[lo:hi])
        lo = hi
    return chunks


@dataclass(frozen=True)
class _Shared:
    """What every task of a whole-corpus job reads: the index and its symbol table (one
    object: Dask scatters a tuple element by element)."""

    index: CorpusIndex
    symbols: Symbols
    settings: Settings


def _reuse_task(shared: _Shared, pairs: np.ndarray) -> list[tuple[int, int, str, float, bool]]:
    """The linking sentence pairs of some document pairs: ``(u, v, kind, score, quoted)``."""
    index, symbols = shared.index, shared.symbols
    out = []
    # a task's pairs share their left document, and its sentence meets the same versions
    # of the same story sentence in many reprints: each pair of texts is aligned once
    memo: dict[tuple[str, str], tuple[str, float] | None] = {}
    blocks = index.document_pair_blocks(
        pairs,
        min_similarity=shared.settings.graph.sentence_similarity,
        min_words=shared.settings.graph.min_sentence_words,
    )
    for us, vs, _ in blocks:
        same = index.unit_hash[us] == index.unit_hash[vs]
        for u, v, maybe_verbatim in zip(us.tolist(), vs.tolist(), same.tolist(), strict=True):
            found = _sentence_reuse(
                index, u, v, maybe_verbatim, symbols, settings=shared.settings, memo=memo
            )
            if found is None:
                continue
            out.append((u, v, found[0], found[1], _quoted_pair(index, u, v)))
    return out


def _narrative(adoc: AnalyzedDocument, sentence: int) -> bool:
    """Whether a sentence is narrative: less than half of it inside quotation marks."""
    return _quoted_share(adoc, sentence) < 0.5


def _narrative_rows(index: CorpusIndex, rows: np.ndarray) -> np.ndarray:
    """:func:`_narrative` of each sentence row."""
    return np.array(
        [
            _narrative(index.docs[int(d)], int(s))
            for d, s in zip(index.unit_doc[rows], index.unit_sent[rows], strict=True)
        ],
        dtype=bool,
    )


def _quoted_pair(index: CorpusIndex, u: int, v: int) -> bool:
    """Whether sentence rows ``u`` and ``v`` are a quotation's (half inside quotation
    marks in either document): a shared quotation shows a common source, not copying."""
    a, b = index.docs[int(index.unit_doc[u])], index.docs[int(index.unit_doc[v])]
    sa, sb = int(index.unit_sent[u]), int(index.unit_sent[v])
    return not (_narrative(a, sa) and _narrative(b, sb))


def _sentence_reuse(
    index: CorpusIndex,
    u: int,
    v: int,
    maybe_verbatim: bool,
    symbols: Symbols,
    *,
    settings: Settings,
    memo: dict[tuple[str, str], tuple[str, float] | None] | None = None,
) -> tuple[str, float] | None:
    """How sentence row ``v`` reuses row ``u``: the best linking match's kind and score.

    The same words (same hash, then compared) are verbatim without aligning anything,
    unless an attribution interrupts a quotation in the target sentence: the alignment
    skips the attribution there, so it decides.  ``memo`` keeps the answer for each pair
    of sentence texts aligned: it depends on those texts alone.
    """
    da, sa = int(index.unit_doc[u]), int(index.unit_sent[u])
    db, sb = int(index.unit_doc[v]), int(index.unit_sent[v])
    a, b = index.docs[da], index.docs[db]
    if maybe_verbatim:
        (i, j), (k, m) = a.sentence_tokens[sa], b.sentence_tokens[sb]
        starts, ends = b.sentence_bounds
        if a.tokens.norms[i:j] == b.tokens.norms[k:m] and not b.interruptions(starts[sb], ends[sb]):
            return "verbatim", 100.0
    target = b.sentences[sb]
    key = (a.sentences[sa].text, target.text)
    if memo is not None and key in memo:
        return memo[key]
    q = _sentence_query(index, a, sa, settings)
    found = [
        m
        for m in match_passage(q, b, [sb], index, symbols, settings=settings.match)
        if m.start < target.end
        and target.start < m.end
        and (
            m.kind in ("verbatim", "near_verbatim")
            or (m.kind == "paraphrase" and m.score >= settings.graph.link_paraphrase_min)
        )
    ]
    best = max(found, key=lambda m: m.score, default=None)
    answer = (best.kind, best.score) if best is not None else None
    if memo is not None:
        memo[key] = answer
    return answer


def _sentence_query(
    index: CorpusIndex, adoc: AnalyzedDocument, sentence: int, settings: Settings
) -> Query:
    """The query of one sentence, parsed once per document and sentence (kept with it)."""
    # a parse depends on the words a query may hold: keyed by them, so tracers with other
    # settings never share a clipped query
    key = (sentence, settings.match.max_query_words)
    q = adoc.memo.queries.get(key)
    if not isinstance(q, Query):
        q = adoc.memo.queries[key] = Query.parse(
            adoc.sentences[sentence].text, clip=True, settings=settings.match
        )
    return q


@dataclass(frozen=True)
class _Derivation:
    copy: int
    source: int
    count: int
    quoted: int
    evidence: str
    kinds: dict[str, int]
    score: float
    determined: bool  # False when nothing told which document copied which


def _derivations(
    index: CorpusIndex, reuse: Mapping[tuple[int, int], Reuse], min_shared: int
) -> list[_Derivation]:
    out = []
    narrative: dict[int, int] = {}  # document -> its narrative sentences

    def told(d: int) -> int:
        if d not in narrative:
            adoc = index.docs[d]
            narrative[d] = sum(_narrative(adoc, s) for s in range(len(adoc.sentences)))
        return narrative[d]

    for (da, db), r in sorted(reuse.items()):
        if len(r.narrative) < min_shared:
            continue
        a, b = index.docs[da], index.docs[db]
        pairs = r.narrative | r.quoted
        # containment counts narrative sentences: the quotations a reprint adds (a
        # statement every outlet printed that day) make it no less a copy of its story
        share_a = len({s for s, _ in r.narrative}) / max(1, told(da))
        share_b = len({s for _, s in r.narrative}) / max(1, told(db))
        pa, pb = a.doc.published, b.doc.published
        determined = True
        order = _date_order(pa, pb)
        if order != 0:
            copy, source = (da, db) if order > 0 else (db, da)
            evidence = f"publication dates: {index.docs[copy].doc.published} after " + str(
                index.docs[source].doc.published
            )
        elif abs(share_a - share_b) >= 0.05:
            copy, source = (da, db) if share_a > share_b else (db, da)
            evidence = (
                f"containment: {max(share_a, share_b):.0%} of {index.docs[copy].doc.id}'s "
                f"narrative sentences reuse {index.docs[source].doc.id}, "
                f"{min(share_a, share_b):.0%} the other way"
            )
        else:
            determined = False
            copy, source = db, da
            evidence = (
                "undetermined: the two documents reuse each other equally; direction by "
                "corpus order"
            )
        out.append(
            _Derivation(
                copy=copy,
                source=source,
                count=len(pairs),
                quoted=len(r.quoted),
                evidence=evidence,
                kinds=dict(sorted(r.kinds.items())),
                score=round(sum(r.scores) / len(r.scores), 1),
                determined=determined,
            )
        )
    return out


def _oriented(
    index: CorpusIndex, reuse: Mapping[tuple[int, int], Reuse], derivations: Sequence[_Derivation]
) -> list[_Derivation]:
    """``derivations`` with the undetermined ones oriented where the corpus tells.

    An undated reprint that took nearly all of an undated (or same-day) story reuses it as
    much as it is reused: neither dates nor containment tell.  The other documents do:
    where the two hold one sentence in different versions, the original is the version
    that a third document holds word for word, and the edited one is the copy's own.  The
    document whose versions are the originals two or more times more often than the
    other's is the source; otherwise the pair stays undetermined.
    """
    if all(d.determined for d in derivations):
        return list(derivations)
    verbatim: dict[int, set[int]] = defaultdict(set)  # document -> sentences held word for word
    for (da, db), record in reuse.items():
        for pair in record.narrative:  # a quotation is printed as each outlet likes
            if record.best[pair] >= 100.0:
                verbatim[da].add(pair[0])
                verbatim[db].add(pair[1])
    out = []
    for d in derivations:
        if not d.determined:
            key = (min(d.copy, d.source), max(d.copy, d.source))
            votes = [0, 0]  # originals held by key[0], by key[1]
            record = reuse[key]
            for pair in record.narrative:
                if record.best[pair] < 100.0:
                    first, second = pair[0] in verbatim[key[0]], pair[1] in verbatim[key[1]]
                    votes[0] += first and not second
                    votes[1] += second and not first
            if abs(votes[0] - votes[1]) >= 2:
                source, copy = key if votes[0] > votes[1] else key[::-1]
                d = replace(
                    d,
                    copy=copy,
                    source=source,
                    determined=True,
                    evidence=(
                        f"versions: {max(votes)} sentences {index.docs[copy].doc.id} holds "
                        f"edited are held word for word elsewhere as "
                        f"{index.docs[source].doc.id} holds them, {min(votes)} the other way"
                    ),
                )
        out.append(d)
    return out


def _explained(
    index: CorpusIndex,
    reuse: Mapping[tuple[int, int], Reuse],
    derivations: Sequence[_Derivation],
    *,
    settings: Settings,
) -> list[_Derivation]:
    """``derivations`` less those a third document explains: reuse drawn as a star.

    Reprints of one agency story share the story's sentences with each other as much as with
    the story, so every pair of them reuses the other; the story explains both. An edge ``A
    → B`` is dropped when a third document ``C`` that both ``A`` and ``B`` derive from (a
    determined edge ``A → C`` and ``B → C``: ``C`` is earlier, or contains what they share
    more completely) holds at least ``settings.graph.star_coverage`` of the sentences ``A`` and
    ``B`` share outside quotation marks, on each side, each at least as faithfully as the
    other of the two holds it (its link score no more than ``settings.graph.star_tolerance``
    below; a sentence whose partner in the other document is word for word one of ``C``'s
    counts as held, though the comparison may not have paired it with ``C`` itself). The
    second condition keeps a copy of a copy: a sentence the middle document edited is held better
    by it than by the story, so the edge to the middle document stays.

    The same evidence draws a chain as a chain: an edge ``A → B`` is also dropped when ``A``
    derives from a ``C`` that itself derives from ``B``, and ``C`` holds what ``A`` shares
    with ``B`` as faithfully and one sentence of it more faithfully, and closely (at least
    ``settings.graph.star_close``; ``A`` carries an edit ``C`` made): ``A`` took ``B``'s words
    through ``C``. Without such an edit nothing tells a copy of the copy from a second copy of the
    source, and both edges stay.

    Only the ``GraphSettings.star_sources`` best sources of each document are asked (those that copy
    nothing first; then the most of its sentences held, the longest, the earliest, the first
    in corpus order), so the check adds a constant per edge. A document whose every edge would
    be explained away (a cycle of undated containments) keeps its best one: a copy never
    loses its source.
    """

    def held(copy: int, source: int) -> dict[int, float]:
        """The narrative sentences of ``copy`` linked to ``source``, each with its best
        score.  Quoted ones are left out: every outlet may print a quotation in its own
        way (the attribution first or last), and its words are the speaker's anyway."""
        key = (min(copy, source), max(copy, source))
        side = 0 if copy == key[0] else 1
        record = reuse[key]
        out: dict[int, float] = {}
        for pair in record.narrative:
            s, score = pair[side], record.best[pair]
            out[s] = max(score, out.get(s, score))
        return out

    derivations = _oriented(index, reuse, derivations)
    sources: dict[int, list[int]] = defaultdict(list)
    for d in derivations:
        sources[d.copy].append(d.source)
        if not d.determined:  # either may be the other's source: each may explain
            sources[d.source].append(d.copy)
    cache: dict[tuple[int, int], dict[int, float]] = {}
    best: dict[int, list[int]] = {}
    for copy, found in sources.items():
        sizes = {c: held(copy, c) for c in found}

        def rank(c: int, sizes: dict[int, dict[int, float]] = sizes) -> tuple[Any, ...]:
            # many reprints may hold as much of a copy as its story does, or more where
            # the comparison missed a pair: the story is the one that copies nothing
            published = index.docs[c].doc.published
            when = published_key(published) if published is not None else dt.datetime.max
            return (c in sources, -len(sizes[c]), -len(index.docs[c].sentences), when, c)

        best[copy] = sorted(found, key=rank)[: settings.graph.star_sources]
        cache.update({(copy, c): sizes[c] for c in best[copy]})
    chosen = {copy: set(found) for copy, found in best.items()}

    def holds(a_side: dict[int, float], c_side: dict[int, float]) -> bool:
        faithful = sum(
            c_side.get(s, -1.0) >= score - settings.graph.star_tolerance
            for s, score in a_side.items()
        )
        return faithful >= settings.graph.star_coverage * len(a_side)

    def holds_pair(a: int, b: int, c: int) -> bool:
        """Whether ``c`` holds what ``a`` shares with ``b``, on ``a``'s side.  A sentence of
        ``a`` whose partner in ``b`` is word for word one of ``c``'s is held as well as
        ``b`` holds it, even where the comparison did not pair it with ``c`` directly."""
        key = (min(a, b), max(a, b))
        record = reuse[key]
        mine = 0 if a == key[0] else 1
        ac, bc = cache[(a, c)], cache[(b, c)]
        sentences: dict[int, bool] = {}
        for pair in record.narrative:
            sa, sb, score = pair[mine], pair[1 - mine], record.best[pair]
            ok = (
                ac.get(sa, -1.0) >= score - settings.graph.star_tolerance
                or bc.get(sb, -1.0) >= 100.0
            )
            sentences[sa] = sentences.get(sa, False) or ok
        # one sentence the comparison never paired with C (cut differently there, its
        # neighbours differing) may stay unexplained once three or more are shared
        n = len(sentences)
        return sum(sentences.values()) >= min(
            settings.graph.star_coverage * n, n - 1 if n >= 3 else n
        )

    def closer(a_side: dict[int, float], c_side: dict[int, float]) -> bool:
        # the copy holds one of C's sentences (nearly) word for word that B holds edited:
        # scores between two heavily edited versions vary by a few points, no evidence
        return any(
            c_side.get(s, -1.0)
            >= max(settings.graph.star_close, score + settings.graph.star_tolerance + 0.01)
            for s, score in a_side.items()
        )

    edges = {(d.copy, d.source) for d in derivations if d.determined}
    dropped: dict[int, list[int]] = defaultdict(list)  # copy -> its explained edges
    for n, d in enumerate(derivations):
        a, b = d.copy, d.source
        third = [c for c in best.get(a, ()) if c != b and c in chosen.get(b, ())]
        between = [c for c in best.get(a, ()) if c != b and (c, b) in edges]
        if not (third or between):
            continue
        a_side = held(a, b)
        star = any(holds_pair(a, b, c) and holds_pair(b, a, c) for c in third)
        if star or any(
            holds(a_side, cache[(a, c)]) and closer(a_side, cache[(a, c)]) for c in between
        ):
            dropped[a].append(n)
    gone = {n for lost in dropped.values() for n in lost}
    copies = {d.copy for n, d in enumerate(derivations) if d.determined and n not in gone}
    for copy, lost in dropped.items():
        determined = [n for n in lost if derivations[n].determined]
        if copy not in copies and determined:
            order = best[copy]
            gone.discard(
                min(
                    determined,
                    key=lambda n: (
                        order.index(derivations[n].source)
                        if derivations[n].source in order
                        else len(order)
                    ),
                )
            )
    return [d for n, d in enumerate(derivations) if n not in gone]


Derivations = dict[tuple[tuple[int, ...], int], frozenset[tuple[str, str]]]


def _known_derivations(
    index: CorpusIndex,
    docs: Sequence[int],
    min_shared: int,
    symbols: Symbols,
    known_before: Derivations | None = None,
    *,
    settings: Settings,
) -> frozenset[tuple[str, str]]:
    """Determined ``(copy id, source id)`` pairs among ``docs`` (see :func:`_derivations`),
    enough of them to tell which documents are copies: every document that derives from
    another of ``docs`` is the copy of one pair at least, which is what
    :func:`choose_origin` asks; pairs that would only name a known copy again are not
    looked for.  Kept in ``known_before`` (valid for this index), when given.

    Two documents dated differently need no containment (the later one is the copy), so
    only whether they reuse ``min_shared`` narrative sentences is in question: their
    sentences are aligned until they do, and their quoted sentences (which count for
    containment only) not at all.  Others are aligned whole, unless both are known copies.
    """
    key = (tuple(docs), min_shared)
    known = known_before.get(key) if known_before is not None else None
    if known is not None:
        return known
    pairs = index.candidate_document_pairs(
        min_similarity=settings.graph.sentence_similarity,
        min_words=settings.graph.min_sentence_words,
        min_pairs=max(1, min_shared),
        docs=docs,
        rarest=settings.graph.rarest_terms,
        max_group=settings.graph.max_key_group,
        max_pair_group=settings.graph.max_pair_group,
        max_clique=settings.graph.max_clique_group,
        anchors=settings.graph.group_anchors,
        counts=lambda rows: _narrative_rows(index, rows),
    )
    sentences = _sentence_pairs(index, pairs, settings=settings)
    dates = {d: index.docs[d].doc.published for d in distinct(pairs).tolist()}
    sources: dict[int, int] = {}  # copy -> a source it derives from
    undated = []
    for a, b in pairs.tolist():
        order = _date_order(dates[a], dates[b])
        if order == 0:
            undated.append((a, b))
            continue
        copy, source = (a, b) if order > 0 else (b, a)
        if copy not in sources and _reuses_enough(
            index, *sentences[(a, b)], min_shared, symbols, settings
        ):
            sources[copy] = source
    for a, b in undated:
        if a in sources and b in sources:
            continue
        record = Reuse()
        for u, v, same in zip(*sentences[(a, b)], strict=True):
            found = _sentence_reuse(index, u, v, same, symbols, settings=settings)
            if found is not None:
                sa, sb = int(index.unit_sent[u]), int(index.unit_sent[v])
                quoted = _quoted_pair(index, u, v)
                (record.quoted if quoted else record.narrative).add((sa, sb))
                record.kinds[found[0]] += 1
                record.scores.append(found[1])
        for d in _derivations(index, {(a, b): record} if record.scores else {}, min_shared):
            if d.determined:
                sources.setdefault(d.copy, d.source)
    known = frozenset(
        (index.docs[copy].doc.id, index.docs[source].doc.id) for copy, source in sources.items()
    )
    if known_before is not None:
        known_before[key] = known
    return known


def _sentence_pairs(
    index: CorpusIndex,
    pairs: np.ndarray,
    *,
    settings: Settings,
) -> dict[tuple[int, int], tuple[list[int], list[int], list[bool]]]:
    """For each document pair ``(a, b)`` of ``pairs``: its sentence rows ``us`` (of ``a``)
    and ``vs`` (of ``b``) worth aligning (as :func:`document_reuse` aligns them), and
    whether each pair has the same words; those pairs first, then in row order."""
    out: dict[tuple[int, int], tuple[list[int], list[int], list[bool]]] = {
        (a, b): ([], [], []) for a, b in pairs.tolist()
    }
    blocks = list(
        index.document_pair_blocks(
            pairs,
            min_similarity=settings.graph.sentence_similarity,
            min_words=settings.graph.min_sentence_words,
        )
    )
    if not blocks:
        return out
    us = np.concatenate([u for u, _, _ in blocks])
    vs = np.concatenate([v for _, v, _ in blocks])
    if us.size == 0:  # no sentence pair similar enough in any of the documents
        return out
    same = index.unit_hash[us] == index.unit_hash[vs]
    order = np.lexsort((vs, us, ~same, index.unit_doc[vs], index.unit_doc[us]))
    us, vs, same = us[order], vs[order], same[order]
    da, db = index.unit_doc[us], index.unit_doc[vs]
    cut = np.flatnonzero((da[1:] != da[:-1]) | (db[1:] != db[:-1])) + 1
    for lo, hi in zip(np.r_[0, cut].tolist(), np.r_[cut, us.size].tolist(), strict=True):
        out[(int(da[lo]), int(db[lo]))] = (
            us[lo:hi].tolist(),
            vs[lo:hi].tolist(),
            same[lo:hi].tolist(),
        )
    return out


def _reuses_enough(
    index: CorpusIndex,
    us: list[int],
    vs: list[int],
    same: list[bool],
    min_shared: int,
    symbols: Symbols,
    settings: Settings,
) -> bool:
    """Whether the sentence pairs ``(us[k], vs[k])`` of two documents hold ``min_shared``
    narrative links, as :func:`document_reuse` counts them (one link of any kind when
    ``min_shared`` is 0 or less); aligned only until the answer is known."""
    need = max(1, min_shared)
    links = 0
    for k, (u, v) in enumerate(zip(us, vs, strict=True)):
        if links + len(us) - k < need:
            return False  # too few pairs left
        if min_shared > 0 and _quoted_pair(index, u, v):
            continue  # counts only for containment, which the dates make moot
        if _sentence_reuse(index, u, v, same[k], symbols, settings=settings) is not None:
            links += 1
            if links >= need:
                return True
    return False
