"""Provenance: quotation families, their origins, and which document reused which.

Three questions, answered from the matches of the earlier stages:

* **Families** — every direct quotation of three or more words is traced through the
  corpus; occurrences of comparable length that match (verbatim, near-verbatim or
  paraphrased) join one family.  A short fragment found inside a longer quotation joins
  the family of its best container but never bridges two families, so "failed state"
  quoted by two people does not merge what each of them said.
* **Reuse** — sentences of different documents that match each other are counted per
  document pair.  Shared *quotations* alone show a common source, not copying, so a
  ``derived_from`` edge needs at least ``min_shared`` reused sentences outside quotation
  marks.  The copy is the later-published document when both are dated, otherwise the
  one made mostly of the other (containment).  Reuse is drawn as a star around its
  source: two reprints of one story reuse each other only through the story, so an edge
  between them is dropped when a third document they both derive from holds what they
  share (see :func:`_explained`); a copy of a copy keeps its edge to the copy it took an
  edit from.
* **Origin** — the earliest publication date decides when every occurrence is dated.
  Otherwise the evidence, in order: an occurrence in a document derived from another
  occurrence's document is not the origin; a more complete occurrence (verbatim before
  near-verbatim, partial, paraphrase) beats a less complete one; an attributed one beats
  an unattributed one; then the earliest date among the dated ones; then corpus order.
  The reason names the evidence that decided.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
from pydantic import ConfigDict, PrivateAttr

from .._models import KIND_RANK, Document, Match, OriginBasis, Quote, _Frozen, published_key
from .._parallel import Backend, run_tasks
from .._settings import GRAPH, MATCH
from ..corpus._corpus import Corpus
from ..search._candidates import candidate_rows
from ..search._index import CorpusIndex, distinct
from ..search._kinds import is_occurrence
from ..search._match import check_count, check_kinds, check_share, find_matches, match_passage
from ..search._query import Query
from ..search._scorer import paraphrase_floor
from ..search._symbols import Symbols
from ..text._analysis import AnalyzedDocument
from ..text._normalize import fold
from ..text._speakers import name_key, names_someone, same_speaker, speaker_aliases

__all__ = [
    "Progress",
    "ProvenanceGraph",
    "Reuse",
    "Trace",
    "build_graph",
    "choose_origin",
    "document_reuse",
    "speaker_id",
    "trace",
]


Progress = Callable[[str, int, int], None]
"""``progress(step, done, total)``: called before each step of :func:`build_graph`, and with
``done == total`` when it has finished."""

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from ..search._semantic import Encoder

    _DiGraph = nx.DiGraph[str]
else:
    _DiGraph = nx.DiGraph


class ProvenanceGraph(_DiGraph):
    """A :class:`networkx.DiGraph` that shows itself as a summary in Jupyter.

    Everything else is networkx's: the class only adds ``_repr_html_`` (quotation families,
    origins and derived-from edges, see :func:`quoteprov.view._display.graph_html`) and a short
    ``repr``.

    >>> graph = ProvenanceGraph()
    >>> graph.add_node("doc:a", type="document")
    >>> graph
    <ProvenanceGraph: 1 document, 0 quotation families, 0 speakers, 0 edges>
    """

    def __repr__(self) -> str:
        types = Counter(data.get("type") for _, data in self.nodes(data=True))
        families = types["quote"]
        return (
            f"<ProvenanceGraph: {types['document']} document{'s' * (types['document'] != 1)}, "
            f"{families} quotation famil{'y' if families == 1 else 'ies'}, "
            f"{types['speaker']} speaker{'s' * (types['speaker'] != 1)}, "
            f"{self.number_of_edges()} edge{'s' * (self.number_of_edges() != 1)}>"
        )

    def _repr_html_(self) -> str:
        from ..view._display import graph_html  # a later stage, imported only when shown

        return graph_html(self)


def speaker_id(name: str) -> str:
    """The graph node id of a speaker: ``speaker:`` and the folded name.

    >>> speaker_id("Miguel Díaz-Canel")
    'speaker:miguel diaz-canel'
    """
    return "speaker:" + fold(name)


# -- origin -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    doc: Document
    kind: str
    speaker: str | None
    position: int  # corpus order


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
_COMPLETENESS = {"verbatim": 0, "near_verbatim": 0, "paraphrase": 1, "partial": 2}


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


# -- document reuse ---------------------------------------------------------------------------


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
) -> dict[tuple[int, int], Reuse]:
    """Matching sentences between documents, keyed by ``(doc a, doc b)`` with ``a < b``.

    Only document pairs with ``min_shared`` sentence pairs sharing a key are compared (see
    :meth:`CorpusIndex.reuse_pair_blocks`): the work grows with the reuse, not with the
    square of the corpus.  The comparisons run where ``backend`` says
    (:func:`quoteprov._parallel.run_tasks`); the result is the same everywhere.
    ``symbols`` is the index's symbol table (:attr:`CorpusIndex.symbols` by default).
    """
    shared = _Shared(index, symbols if symbols is not None else index.symbols)
    pairs = index.candidate_document_pairs(
        min_similarity=GRAPH.sentence_similarity,
        min_words=GRAPH.min_sentence_words,
        min_pairs=max(1, min_shared),
        docs=docs,
    )
    chunks = _chunks_by_left(pairs, GRAPH.reuse_chunk)
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


def _reuse_task(shared: _Shared, pairs: np.ndarray) -> list[tuple[int, int, str, float, bool]]:
    """The linking sentence pairs of some document pairs: ``(u, v, kind, score, quoted)``."""
    index, symbols = shared.index, shared.symbols
    out = []
    blocks = index.document_pair_blocks(
        pairs, min_similarity=GRAPH.sentence_similarity, min_words=GRAPH.min_sentence_words
    )
    for us, vs, _ in blocks:
        same = index.unit_hash[us] == index.unit_hash[vs]
        for u, v, maybe_verbatim in zip(us.tolist(), vs.tolist(), same.tolist(), strict=True):
            found = _sentence_reuse(index, u, v, maybe_verbatim, symbols)
            if found is None:
                continue
            out.append((u, v, found[0], found[1], _quoted_pair(index, u, v)))
    return out


def _quoted_pair(index: CorpusIndex, u: int, v: int) -> bool:
    """Whether sentence rows ``u`` and ``v`` are a quotation's (half inside quotation
    marks in either document): a shared quotation shows a common source, not copying."""
    a, b = index.docs[int(index.unit_doc[u])], index.docs[int(index.unit_doc[v])]
    sa, sb = int(index.unit_sent[u]), int(index.unit_sent[v])
    return max(_quoted_share(a, sa), _quoted_share(b, sb)) >= 0.5


def _sentence_reuse(
    index: CorpusIndex, u: int, v: int, maybe_verbatim: bool, symbols: Symbols
) -> tuple[str, float] | None:
    """How sentence row ``v`` reuses row ``u``: the best linking match's kind and score.

    The same words (same hash, then compared) are verbatim without aligning anything,
    unless an attribution interrupts a quotation in the target sentence: the alignment
    skips the attribution there, so it decides.
    """
    da, sa = int(index.unit_doc[u]), int(index.unit_sent[u])
    db, sb = int(index.unit_doc[v]), int(index.unit_sent[v])
    a, b = index.docs[da], index.docs[db]
    if maybe_verbatim:
        (i, j), (k, m) = a.sentence_tokens[sa], b.sentence_tokens[sb]
        starts, ends = b.sentence_bounds
        if a.tokens.norms[i:j] == b.tokens.norms[k:m] and not b.interruptions(starts[sb], ends[sb]):
            return "verbatim", 100.0
    q = _sentence_query(index, a, sa)
    target = b.sentences[sb]
    found = [
        m
        for m in match_passage(q, b, [sb], index, symbols)
        if m.start < target.end
        and target.start < m.end
        and (
            m.kind in ("verbatim", "near_verbatim")
            or (m.kind == "paraphrase" and m.score >= GRAPH.link_paraphrase_min)
        )
    ]
    if not found:
        return None
    best = max(found, key=lambda m: m.score)
    return best.kind, best.score


def _sentence_query(index: CorpusIndex, adoc: AnalyzedDocument, sentence: int) -> Query:
    """The query of one sentence, parsed once per document and sentence (kept with it)."""
    key = ("query", sentence)
    q = adoc.cache.get(key)
    if not isinstance(q, Query):
        q = adoc.cache[key] = Query.parse(adoc.sentences[sentence].text, clip=True)
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
    for (da, db), r in sorted(reuse.items()):
        if len(r.narrative) < min_shared:
            continue
        a, b = index.docs[da], index.docs[db]
        pairs = r.narrative | r.quoted
        share_a = len({s for s, _ in pairs}) / max(1, len(a.sentences))
        share_b = len({s for _, s in pairs}) / max(1, len(b.sentences))
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
                f"sentences reuse {index.docs[source].doc.id}, "
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
        for pair, score in record.best.items():
            if score >= 100.0:
                verbatim[da].add(pair[0])
                verbatim[db].add(pair[1])
    out = []
    for d in derivations:
        if not d.determined:
            key = (min(d.copy, d.source), max(d.copy, d.source))
            votes = [0, 0]  # originals held by key[0], by key[1]
            for pair, score in reuse[key].best.items():
                if score < 100.0:
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
    index: CorpusIndex, reuse: Mapping[tuple[int, int], Reuse], derivations: Sequence[_Derivation]
) -> list[_Derivation]:
    """``derivations`` less those a third document explains: reuse drawn as a star.

    Reprints of one agency story share the story's sentences with each other as much as with
    the story, so every pair of them reuses the other; the story explains both. An edge ``A
    → B`` is dropped when a third document ``C`` that both ``A`` and ``B`` derive from (a
    determined edge ``A → C`` and ``B → C``: ``C`` is earlier, or contains what they share
    more completely) holds at least ``GRAPH.star_coverage`` of the sentences ``A`` and ``B`` share
    outside quotation marks, on each side, each at least as faithfully as the other of the
    two holds it (its link score no more than ``GRAPH.star_tolerance`` below; a sentence whose
    partner in the other document is word for word one of ``C``'s counts as held, though the
    comparison may not have paired it with ``C`` itself). The second
    condition keeps a copy of a copy: a sentence the middle document edited is held better
    by it than by the story, so the edge to the middle document stays.

    The same evidence draws a chain as a chain: an edge ``A → B`` is also dropped when ``A``
    derives from a ``C`` that itself derives from ``B``, and ``C`` holds what ``A`` shares
    with ``B`` as faithfully and one sentence of it more faithfully, and closely (at least
    ``GRAPH.star_close``; ``A`` carries an edit ``C`` made): ``A`` took ``B``'s words through
    ``C``. Without such an edit nothing tells a copy of the copy from a second copy of the
    source, and both edges stay.

    Only the ``GRAPH.star_sources`` best sources of each document are asked (those that copy
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
        if d.determined:
            sources[d.copy].append(d.source)
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

        best[copy] = sorted(found, key=rank)[: GRAPH.star_sources]
        cache.update({(copy, c): sizes[c] for c in best[copy]})
    chosen = {copy: set(found) for copy, found in best.items()}

    def holds(a_side: dict[int, float], c_side: dict[int, float]) -> bool:
        faithful = sum(
            c_side.get(s, -1.0) >= score - GRAPH.star_tolerance for s, score in a_side.items()
        )
        return faithful >= GRAPH.star_coverage * len(a_side)

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
            ok = ac.get(sa, -1.0) >= score - GRAPH.star_tolerance or bc.get(sb, -1.0) >= 100.0
            sentences[sa] = sentences.get(sa, False) or ok
        # one sentence the comparison never paired with C (cut differently there, its
        # neighbours differing) may stay unexplained once three or more are shared
        n = len(sentences)
        return sum(sentences.values()) >= min(GRAPH.star_coverage * n, n - 1 if n >= 3 else n)

    def closer(a_side: dict[int, float], c_side: dict[int, float]) -> bool:
        # the copy holds one of C's sentences (nearly) word for word that B holds edited:
        # scores between two heavily edited versions vary by a few points, no evidence
        return any(
            c_side.get(s, -1.0) >= max(GRAPH.star_close, score + GRAPH.star_tolerance + 0.01)
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
        min_similarity=GRAPH.sentence_similarity,
        min_words=GRAPH.min_sentence_words,
        min_pairs=max(1, min_shared),
        docs=docs,
    )
    sentences = _sentence_pairs(index, pairs)
    dates = {d: index.docs[d].doc.published for d in distinct(pairs).tolist()}
    sources: dict[int, int] = {}  # copy -> a source it derives from
    undated = []
    for a, b in pairs.tolist():
        order = _date_order(dates[a], dates[b])
        if order == 0:
            undated.append((a, b))
            continue
        copy, source = (a, b) if order > 0 else (b, a)
        if copy not in sources and _reuses_enough(index, *sentences[(a, b)], min_shared, symbols):
            sources[copy] = source
    for a, b in undated:
        if a in sources and b in sources:
            continue
        record = Reuse()
        for u, v, same in zip(*sentences[(a, b)], strict=True):
            found = _sentence_reuse(index, u, v, same, symbols)
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
    index: CorpusIndex, pairs: np.ndarray
) -> dict[tuple[int, int], tuple[list[int], list[int], list[bool]]]:
    """For each document pair ``(a, b)`` of ``pairs``: its sentence rows ``us`` (of ``a``)
    and ``vs`` (of ``b``) worth aligning (as :func:`document_reuse` aligns them), and
    whether each pair has the same words; those pairs first, then in row order."""
    out: dict[tuple[int, int], tuple[list[int], list[int], list[bool]]] = {
        (a, b): ([], [], []) for a, b in pairs.tolist()
    }
    blocks = list(
        index.document_pair_blocks(
            pairs, min_similarity=GRAPH.sentence_similarity, min_words=GRAPH.min_sentence_words
        )
    )
    if not blocks:
        return out
    us = np.concatenate([u for u, _, _ in blocks])
    vs = np.concatenate([v for _, v, _ in blocks])
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
        if _sentence_reuse(index, u, v, same[k], symbols) is not None:
            links += 1
            if links >= need:
                return True
    return False


# -- quotation families -----------------------------------------------------------------------


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


def _quote_occurrences(index: CorpusIndex) -> list[_Occurrence]:
    occurrences = []
    for d, adoc in enumerate(index.docs):
        for quote in adoc.quotes:
            words = sum(len(range(*adoc.token_range(p.start, p.end))) for p in quote.parts)
            if words >= GRAPH.min_quote_words:
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
    index, symbols = shared.index, shared.symbols
    queries = [Query.parse(content, clip=True) for content, _ in items]
    candidates = candidate_rows(
        queries,
        index,
        limit=GRAPH.family_candidates,
        min_similarity=GRAPH.family_similarity,
        always=MATCH.copy_similarity,
        min_containment=GRAPH.family_containment,
        probe_budget=GRAPH.family_probe_budget,
        bigram_probe=True,
        exclude=[own for _, own in items],
    )
    out = []
    for q, rows in zip(queries, candidates, strict=True):
        by_doc: dict[int, list[int]] = defaultdict(list)
        for u in rows.tolist():
            by_doc[int(index.unit_doc[u])].append(int(index.unit_sent[u]))
        found = []
        for d in sorted(by_doc):
            adoc = index.docs[d]
            for m in match_passage(q, adoc, by_doc[d], index, symbols):
                quote = adoc.quote_at(m.start, m.end)
                i, j = adoc.token_range(m.start, m.end)
                where = quote.start if quote is not None else None
                found.append(
                    _Found(d, m.kind, m.score, m.start, m.end, m.text, m.speaker, where, j - i)
                )
        out.append(found)
    return out


def _families(
    index: CorpusIndex,
    derived: set[tuple[int, int]],
    *,
    backend: Backend = "local",
    client: Any = None,
    workers: int | None = 1,
    progress: bool | None = False,
    symbols: Symbols,
) -> list[list[_Occurrence]]:
    floor = paraphrase_floor()  # the family's queries are lexical (no sentence vector)
    occurrences = _quote_occurrences(index)
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
    traced_first = sorted(first.values())
    items = [(occurrences[n].content, frozenset(holders[n])) for n in traced_first]
    chunks = [
        items[lo : lo + GRAPH.family_chunk] for lo in range(0, len(items), GRAPH.family_chunk)
    ]
    if items:
        _ = index.bigrams  # built once here, before the tasks are forked
    traced = run_tasks(
        _family_task,
        _Shared(index, symbols),
        chunks,
        backend=backend,
        client=client,
        workers=workers,
        progress=progress,
        desc="quotations",
    )
    matches = [found for part in traced for found in part]
    for n, found in zip(traced_first, matches, strict=True):
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
                m.kind == "paraphrase" and m.score < GRAPH.link_paraphrase_min
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
            if (m.kind == "partial" or ratio < MATCH.near_coverage) and _said_by_another(
                occurrences[small], occurrences[large]
            ):
                continue
            if m.kind == "partial" or ratio < GRAPH.fragment_ratio:
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


def _corroborated(
    a: int, speaker_a: str | None, b: int, speaker_b: str | None, derived: set[tuple[int, int]]
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


def _relate(
    index: CorpusIndex, reference: _Occurrence, o: _Occurrence, symbols: Symbols
) -> tuple[str, float]:
    """Kind and score of occurrence ``o`` as a copy of ``reference``."""
    if o is reference:
        return "verbatim", 100.0
    adoc = index.docs[o.doc]
    sentences = list(range(*adoc.sentence_range(o.start, o.end)))
    found = [
        m
        for m in match_passage(
            Query.parse(reference.content, clip=True), adoc, sentences, index, symbols
        )
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


# -- the graph --------------------------------------------------------------------------------


def _present(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """The attributes that have a value: GraphML has no null."""
    return {key: value for key, value in attrs.items() if value is not None}


def _document_node(doc: Document) -> dict[str, Any]:
    return _present(
        {
            "type": "document",
            "doc_id": doc.id,
            "title": doc.title,
            "source": doc.source,
            "url": doc.url,
            "published": doc.published.isoformat() if doc.published is not None else None,
            "label": doc.title if doc.title is not None else doc.id,
        }
    )


def _add_speaker(graph: nx.DiGraph[str], name: str, quote_node: str, alias: str) -> None:
    """Link speaker ``name`` (canonical) to a quote node; ``alias`` is how it was written."""
    node = speaker_id(name)
    if node not in graph:
        graph.add_node(node, type="speaker", name=name, label=name, aliases="[]")
    if alias != graph.nodes[node]["name"]:
        aliases = set(json.loads(graph.nodes[node]["aliases"]))
        aliases.add(alias)
        graph.nodes[node]["aliases"] = json.dumps(sorted(aliases), ensure_ascii=False)
    graph.add_edge(node, quote_node, type="said")


def _add_quote(graph: nx.DiGraph[str], node: str, text: str, **attrs: Any) -> None:
    """A ``quote`` node: its text, a short label and the attributes that have a value."""
    graph.add_node(node, **_present({"type": "quote", "text": text, "label": text[:80], **attrs}))


def _add_occurrence(graph: nx.DiGraph[str], quote: str, doc: str, **attrs: Any) -> bool:
    """An ``occurs_in`` edge from ``quote`` to ``doc``, or one more on its ``count`` (a
    document may hold a quotation more than once); whether the edge is new."""
    if graph.has_edge(quote, doc):
        graph.edges[quote, doc]["count"] += 1
        return False
    graph.add_edge(quote, doc, **_present({"type": "occurs_in", **attrs, "count": 1}))
    return True


def build_graph(
    corpus: Corpus,
    *,
    min_shared: int = 2,
    min_documents: int = 1,
    backend: Backend = "local",
    client: Any = None,
    workers: int | None = None,
    progress: bool | Progress | None = None,
    index: CorpusIndex | None = None,
    symbols: Symbols | None = None,
) -> ProvenanceGraph:
    """The provenance graph of a whole corpus.

    Nodes are ``doc:<id>`` documents, ``quote:<family id>`` quotation families and
    ``speaker:<folded name>`` speakers; edges are ``occurs_in`` (quote → document),
    ``derived_from`` (copy → source document) and ``said`` (speaker → quote).  Every
    attribute value is a GraphML-safe scalar.

    Parameters
    ----------
    corpus : Corpus
        The documents.
    min_shared : int
        Reused sentences outside quotation marks needed for a ``derived_from`` edge.
    min_documents : int
        Keep quotation families found in at least this many documents.
    backend : {"local", "dask"}
        Where the heavy work runs (tracing the quotations, comparing candidate document
        pairs): here, or on a Dask cluster.  The graph is the same either way.
    client : distributed.Client, optional
        The Dask cluster to use (implies ``backend="dask"``); without one, ``"dask"``
        starts a temporary local cluster.
    workers : int, optional
        Local processes to use (forked; Linux only, one elsewhere).  Default: one per CPU
        when the corpus is big enough to split, one otherwise.
    progress : bool or callable, optional
        Show progress bars (by default, for long jobs in a terminal or notebook); or a
        callable told ``progress(step, done, total)`` before each of the four steps
        (analysing documents, comparing sentences, tracing quotations, building the graph)
        and once with ``done == total`` at the end, which the command line draws its
        progress bar from (the bars are then off).
    index : CorpusIndex, optional
        The corpus' index, when one is at hand (a :class:`~quoteprov.Tracer`'s); built
        from the corpus' storage otherwise.
    symbols : Symbols, optional
        The index's symbol table; :attr:`CorpusIndex.symbols` by default.

    Examples
    --------
    >>> from quoteprov._models import Document
    >>> text = 'The minister said: "We will rebuild every bridge by spring."'
    >>> corpus = Corpus([Document(id="a", text=text), Document(id="b", text=text + " Yes.")])
    >>> graph = build_graph(corpus)
    >>> sorted(n for n in graph if n.startswith("doc:"))
    ['doc:a', 'doc:b']
    >>> [graph.nodes[n]["text"] for n in graph if n.startswith("quote:")]
    ['We will rebuild every bridge by spring.']
    """
    check_count("min_shared", min_shared)
    check_count("min_documents", min_documents)
    check_count("workers", workers)
    if callable(progress):
        step: Progress = progress
        bars: bool | None = False
    else:
        step, bars = (lambda _step, _done, _total: None), progress
    step("analysing documents", 0, 4)
    if index is None:
        index = CorpusIndex.for_corpus(corpus, progress=bars)
    index.docs.preload(bars)  # the whole corpus will be read: a corpus file reads it once
    if symbols is None:
        symbols = index.symbols
    if workers is None:
        workers = (os.cpu_count() or 1) if sys.platform.startswith("linux") else 1
    run = {"backend": backend, "client": client, "workers": workers, "progress": bars}
    graph = ProvenanceGraph()
    for adoc in index.docs:
        node = "doc:" + adoc.doc.id
        graph.add_node(node, **_document_node(adoc.doc))
        graph.nodes[node].update(sentences=len(adoc.sentences), quotes=len(adoc.quotes))
    step("comparing sentences", 1, 4)
    reuse = document_reuse(index, min_shared=min_shared, symbols=symbols, **run)
    found = _derivations(index, reuse, min_shared)
    derivations = _explained(index, reuse, found)
    derived = {
        (index.docs[d.copy].doc.id, index.docs[d.source].doc.id)
        for d in derivations
        if d.determined
    }
    for d in derivations:
        graph.add_edge(
            "doc:" + index.docs[d.copy].doc.id,
            "doc:" + index.docs[d.source].doc.id,
            type="derived_from",
            count=d.count,
            quoted_sentences=d.quoted,
            evidence=d.evidence,
            kinds=json.dumps(d.kinds, sort_keys=True),
            score=d.score,
        )
    taken: dict[str, str] = {}
    step("tracing quotations", 2, 4)
    # two reprints of one story do reuse each other's words, though neither is the other's
    # source: every pair found corroborates a weak match between them
    links = {(d.copy, d.source) for d in found}
    families = list(_families(index, links, symbols=symbols, **run))
    aliases = speaker_aliases(
        who for f in families for o in f if (who := _source_name(o)) is not None
    )
    step("building the graph", 3, 4)
    floor = paraphrase_floor()
    for family in families:  # the list grows: see _apart
        if len({o.doc for o in family}) < min_documents:
            continue
        reference = max(family, key=lambda o: (o.quote is not None, o.words, -o.doc))
        _annotate(index, reference, family, symbols)
        candidates = [_Candidate(index.docs[o.doc].doc, o.kind, o.speaker, o.doc) for o in family]
        n, basis, reason = choose_origin(candidates, derived)
        origin = family[n]
        if origin is not reference:
            _annotate(index, origin, family, symbols)
        weak = {
            id(o)
            for o in family
            if o.score <= 0.0  # nothing of the origin's quotation found in it
            or (
                o.score < floor
                and not _corroborated(o.doc, o.speaker, origin.doc, origin.speaker, links)
            )
        }
        if weak:
            families.extend(_apart([o for o in family if id(o) in weak]))
            family = [o for o in family if id(o) not in weak]
            if len({o.doc for o in family}) < min_documents:
                continue
        # the graph names a description's named source ('the statement' → the ministry)
        speakers = Counter(who for o in family if (who := _source_name(o)) is not None)
        speaker = (
            _source_name(origin)
            if origin.speaker is not None
            else (speakers.most_common(1)[0][0] if speakers else None)
        )
        node = "quote:" + _family_id(origin.content, taken)
        _add_quote(
            graph,
            node,
            origin.content,
            speaker=aliases[speaker] if speaker is not None else None,
            origin="doc:" + index.docs[origin.doc].doc.id,
            origin_basis=basis.value,
            origin_reason=reason,
            occurrences=len(family),
            documents=len({o.doc for o in family}),
        )
        for o in sorted(family, key=lambda o: (o is not origin, KIND_RANK[o.kind], -o.score)):
            _add_occurrence(
                graph,
                node,
                "doc:" + index.docs[o.doc].doc.id,
                kind=o.kind,
                score=o.score,
                start=o.start,
                end=o.end,
                text=index.docs[o.doc].doc.text[o.start : o.end],
                speaker=o.speaker,
                quoted=o.quote is not None,
                is_origin=o is origin,
            )
        if speaker is not None and names_someone(speaker):  # "the official" merges strangers
            _add_speaker(graph, aliases[speaker], node, speaker)
    step("done", 4, 4)
    return graph


def _source_name(o: _Occurrence) -> str | None:
    """The speaker a graph names for an occurrence: the named source its quotation's
    description stands for (:attr:`~quoteprov.Quote.named_speaker`), else its
    speaker."""
    quote = o.quote
    if quote is not None and quote.named_speaker is not None and o.speaker == quote.speaker:
        return quote.named_speaker.text
    return o.speaker


def _annotate(
    index: CorpusIndex, reference: _Occurrence, family: Iterable[_Occurrence], symbols: Symbols
) -> None:
    for o in family:
        o.kind, o.score = _relate(index, reference, o, symbols)


def _apart(left_out: Sequence[_Occurrence]) -> list[list[_Occurrence]]:
    """The family, if any, of the occurrences of a family that say too little of its
    origin's quotation to be its occurrences (joined through another member, such as a
    quotation that ran on past its end): the whole quotations among them, a family of
    their own that :func:`build_graph` splits again in the same way (it always keeps
    its origin, so this ends); passages found on the way, no quotations, are left out."""
    quotations = [o for o in left_out if o.quote is not None]
    return [quotations] if quotations else []


# -- tracing one quotation ------------------------------------------------------------------


class Trace(_Frozen):
    """Every occurrence of one query in a corpus, and the one judged to be the origin.

    ``matches`` holds the documents that carry the quotation or a substantial part of it,
    best first; ``related`` holds weaker matches (a few of its words in common), never
    mixed into the answer.  ``origin`` is chosen among the occurrences;
    ``origin_basis`` names the evidence that decided (:class:`OriginBasis`) and
    ``origin_reason`` says it in words, naming the documents.

    In Jupyter a trace shows itself as a table, origin first, each match highlighted in
    its sentence with the changes from the query marked; ``print(trace)`` gives the same
    as plain text.

    >>> from quoteprov._models import Document
    >>> corpus = Corpus([Document(id="a", text='"Peace is near," Tom Lee said.')])
    >>> result = trace("peace is near", corpus)
    >>> result
    <Trace 'peace is near': 1 match in 1 document, origin 'a'>
    >>> result.origin.speaker, result.origin_reason
    ('Tom Lee', 'only occurrence')
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    query: str
    matches: tuple[Match, ...]
    origin: Match | None
    origin_basis: OriginBasis | None = None
    origin_reason: str | None
    related: tuple[Match, ...] = ()
    _documents: dict[str, Document] = PrivateAttr(default_factory=dict)

    def __len__(self) -> int:
        return len(self.matches)

    def __repr__(self) -> str:
        query = " ".join(self.query.split())
        short = query if len(query) <= 60 else query[:59] + "…"
        docs = len({m.doc_id for m in self.matches})
        found = f"{len(self.matches)} match{'es' * (len(self.matches) != 1)}"
        found += f" in {docs} document{'s' * (docs != 1)}"
        origin = f", origin {self.origin.doc_id!r}" if self.origin is not None else ""
        return f"<Trace {short!r}: {found}{origin}>"

    def __str__(self) -> str:
        from ..view._display import trace_text  # later stages are imported only when used

        return trace_text(self)

    def _repr_html_(self) -> str:
        from ..view._display import trace_html

        return trace_html(self)

    @property
    def documents(self) -> Mapping[str, Document]:
        """The documents the matches point into, by id (read-only).

        >>> from quoteprov._models import Document
        >>> corpus = Corpus([Document(id="a", text="Peace is near.", title="Hope")])
        >>> trace("peace is near", corpus).documents["a"].title
        'Hope'
        """
        return MappingProxyType(self._documents)

    def to_frame(self, related: bool = False) -> pd.DataFrame:
        """One row per match, origin flagged (``related``: the weaker matches too, after
        them): see :func:`quoteprov.view._frames.trace_frame`.

        >>> from quoteprov._models import Document
        >>> corpus = Corpus([Document(id="a", text="Peace is near.")])
        >>> trace("peace is near", corpus).to_frame()[["doc_id", "kind", "is_origin"]]
          doc_id      kind  is_origin
        0      a  verbatim       True
        """
        from ..view._frames import trace_frame

        return trace_frame(self, related)

    def plot_timeline(self, ax: Axes | None = None) -> Axes:
        """Occurrences over publication time by outlet: see :func:`quoteprov.plot_timeline`.

        >>> from quoteprov._models import Document
        >>> corpus = Corpus([Document(id="a", text="Peace is near.", source="Wire")])
        >>> ax = trace("peace is near", corpus).plot_timeline()
        >>> [label.get_text() for label in ax.get_yticklabels()]
        ['Wire']
        >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
        """
        from ..view._plot import plot_timeline

        return plot_timeline(self, ax=ax)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the query, the matches (with their documents' metadata).

        >>> from quoteprov._models import Document
        >>> corpus = Corpus([Document(id="a", text="Peace is near.", published="2024-03-01")])
        >>> data = trace("peace is near", corpus).to_dict()
        >>> data["origin"]["doc_id"], data["documents"]["a"]["published"]
        ('a', '2024-03-01')
        """
        data = self.model_dump(mode="json", exclude_none=True)
        data["documents"] = {
            doc_id: doc.model_dump(mode="json", exclude_none=True, exclude={"text"})
            for doc_id, doc in sorted(self._documents.items())
        }
        return data

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as a JSON string (keyword arguments go to ``json.dumps``).

        >>> from quoteprov._models import Document
        >>> corpus = Corpus([Document(id="a", text="Peace is near.")])
        >>> trace("peace is near", corpus).to_json(indent=None)[:26]
        '{"query": "peace is near",'
        """
        kwargs.setdefault("ensure_ascii", False)
        kwargs.setdefault("indent", 2)
        return json.dumps(self.to_dict(), **kwargs)

    def to_graph(self) -> ProvenanceGraph:
        """The trace as a provenance graph: one quote node, its documents and speakers.

        >>> from quoteprov._models import Document
        >>> corpus = Corpus([Document(id="a", text='"Peace is near," Tom Lee said.')])
        >>> sorted(trace("peace is near", corpus).to_graph())
        ['doc:a', 'quote:query', 'speaker:tom lee']
        """
        graph = ProvenanceGraph()
        node = "quote:query"
        shown = list(self.matches)
        if self.origin is not None and all(m is not self.origin for m in shown):
            shown.append(self.origin)  # left out by a kinds or limit filter
        # the graph names a description's named source ('the statement' → the ministry)
        aliases = speaker_aliases(
            who for m in shown if (who := m.named_speaker or m.speaker) is not None
        )
        origin_doc = "doc:" + self.origin.doc_id if self.origin is not None else None
        _add_quote(
            graph,
            node,
            self.query,
            speaker=(
                aliases[self.origin.named_speaker or self.origin.speaker]
                if self.origin is not None and self.origin.speaker is not None
                else None
            ),
            origin=origin_doc,
            origin_reason=self.origin_reason,
            occurrences=len(self.matches),
            documents=len({m.doc_id for m in self.matches}),
        )
        for m in shown:
            target = "doc:" + m.doc_id
            if target not in graph:
                graph.add_node(target, **_document_node(self._documents[m.doc_id]))
            new = _add_occurrence(
                graph,
                node,
                target,
                kind=m.kind,
                score=m.score,
                start=m.start,
                end=m.end,
                text=m.text,
                speaker=m.speaker,
                quoted=m.quoted,
                is_origin=m is self.origin,
            )
            who = m.named_speaker or m.speaker
            if new and who is not None and names_someone(who):
                _add_speaker(graph, aliases[who], node, who)
        return graph


def trace(
    query: str,
    corpus: Corpus,
    *,
    kinds: Sequence[str] | None = None,
    limit: int | None = None,
    min_shared: int = 2,
    min_coverage: float = MATCH.occurrence_coverage,
    semantic: bool | None = None,
    index: CorpusIndex | None = None,
    symbols: Symbols | None = None,
    encoder: Encoder | None = None,
    vectors: np.ndarray | None = None,
    derivations: Derivations | None = None,
) -> Trace:
    """Trace ``query`` through ``corpus``: every occurrence, best first, and its origin.

    Occurrences carry the quotation or a substantial part of it (:func:`is_occurrence`
    with ``min_coverage``); weaker matches, a few words in common, are kept apart as
    ``related``.  The origin is chosen among all occurrences; ``kinds`` and ``limit``
    only trim the matches returned, so the origin may be one of those left out.

    What a :class:`~quoteprov.Tracer` keeps between traces is passed in: the corpus'
    ``index`` and its ``symbols``, the semantic ``encoder`` and the corpus' sentence
    ``vectors`` (see :func:`~quoteprov.search._match.find_matches`), and the
    ``derivations`` found so far on that index; each is built for this trace when absent.
    """
    check_kinds(kinds)
    check_count("limit", limit)
    check_count("min_shared", min_shared)
    check_share("min_coverage", min_coverage)
    if index is None:
        index = CorpusIndex.for_corpus(corpus)
    if symbols is None:
        symbols = index.symbols
    found = find_matches(
        query, index, semantic=semantic, symbols=symbols, encoder=encoder, vectors=vectors
    )
    occurrences = [m for m in found if is_occurrence(m, min_coverage)]
    related = tuple(m for m in found if not is_occurrence(m, min_coverage))
    origin: Match | None = None
    basis: OriginBasis | None = None
    reason: str | None = None
    if occurrences:
        # one candidate per document: its most complete occurrence, then its best
        best: dict[str, Match] = {}
        for m in sorted(occurrences, key=lambda m: _COMPLETENESS[m.kind]):
            best.setdefault(m.doc_id, m)
        pool = list(best.values())
        candidates = [
            _Candidate(corpus[m.doc_id], m.kind, m.speaker, index.by_id[m.doc_id]) for m in pool
        ]
        n, basis, reason = choose_origin(
            candidates,
            lambda left: _known_derivations(
                index, sorted(c.position for c in left), min_shared, symbols, derivations
            ),
        )
        origin = pool[n]
    matches = [m for m in occurrences if kinds is None or m.kind in kinds][:limit]
    result = Trace(
        query=query,
        matches=tuple(matches),
        origin=origin,
        origin_basis=basis,
        origin_reason=reason,
        related=related,
    )
    shown = [*matches, *related] if origin is None else [*matches, *related, origin]
    result._documents.update({m.doc_id: corpus[m.doc_id] for m in shown})
    return result
