"""Matching quality on public gold data: one table, quoteprov against plain baselines.

Usage (from the repository root)::

    .venv/bin/python benchmarks/quality.py [--only msrp,reuse,split,quotes,altered,speed]
                                           [--lexical] [--curve benchmarks/msrp_curve.csv]
                                           [--msrp-side fit]

Labelled data is read in place from ``../shared/data`` or ``$QUOTEPROV_DATA`` (see
``benchmarks/README.md``); a section whose data is absent prints a note and is skipped.
Research-only sets are never copied into the project.  ``--lexical`` runs quoteprov
without the semantic tier even when ``quoteprov[semantic]`` is installed.
``--msrp-side fit`` measures MSRP on the pairs the scorer was fitted on instead (for
diagnosing and for judging a change before looking at the reported side).

**Splits.** Everything quoteprov learned or was tuned on comes from the *fit* side of each
set; the table reports the other side only:

- MSRP train has no official dev split, so its pairs are split by a hash of the pair's ids
  (:func:`msrp_split`): ``fit`` (about half) trains the shipped scorer
  (``benchmarks/fit_scorer.py``), ``report`` is measured here.  The retrieval pool is
  always every distinct MSRP train sentence (7,814), whichever side the query is on.
- PolNeAR: rules are tuned on ``train``; ``dev`` is reported.
- STS-B: ``test`` news genres (MSRpar, headlines) are reported; nothing is fitted on STS-B.
- GUM news: the sentence splitter's rules are tuned on the *tune* half of its 24
  documents (``sentences.gum_half``: even ``crc32`` of the document id); the *report*
  half is the target figure, all 24 are shown beside it (partly tuned).
- Clough–Stevenson, Webis-CPC and the Golden Rules: reported only.

Figures
-------
MSRP retrieval
    Each paraphrase pair's sentence 1 is traced (:func:`quoteprov.search._match.find_matches`)
    through a corpus holding every other MSRP train sentence as its own document.
    ``recall@k``: sentence 2 is among the first k documents returned (any kind).
    ``linked@1``: it is first *and* reported as verbatim, near_verbatim or paraphrase.
    ``false-link``: on the non-paraphrase pairs, sentence 2 is reported as verbatim,
    near_verbatim or paraphrase.  ``any gold``: as recall@k, but any sentence that some
    pair of MSRP train labels a paraphrase of the query counts (a sentence of MSRP may be
    in several pairs; recall@k counts sentence 2 only).  ``ceiling``: the share of queries
    whose sentence 2 no other pool sentence dominates, i.e. is at least as close to the
    query on every signal of the combined scorer and closer on one (:func:`msrp_ceiling`):
    the highest recall@1 of any ranking that never puts a passage below one closer to the
    query on every signal.  Baselines rank the whole pool brute force with rapidfuzz
    ``ratio`` / ``token_set_ratio`` (and, when installed, MiniLM cosine and its sum with
    ``token_set_ratio`` / 100); their false-link rate is at the score threshold that
    keeps the same share of paraphrase pairs linked as quoteprov does, fixed on the fit
    side.
Reuse types
    Clough–Stevenson: each answer's sentences are traced through its task's source
    article; an answer is "detected" when one of its sentences is linked (verbatim,
    near_verbatim, paraphrase) or two are found as partial.  The row gives detection per
    category (for ``non``: the share *not* detected).  Webis-CPC: each paraphrase's
    sentences against its original; detected as for Clough.  STS-B: Spearman correlation
    of :func:`quoteprov.search._scorer.similarity` with the gold 0-5 score.
Sentence splitting, quotations, speakers
    As ``benchmarks/sentences.py`` and ``benchmarks/quote_extraction.py`` (their functions
    are reused).
Confidence words
    The precision of each word of ``Match.confidence``: on the PolNeAR families, the
    share of reported documents (each with its surest word) that hold the quotation; on
    MSRP, the share of sentence 2s reported as paraphrases that are labelled paraphrases.
    The cut points were chosen with ``--families-side tune --msrp-side fit``.
Altered quotations
    PolNeAR dev direct quotations of 6+ words (one fragment), each traced through the 84
    dev articles as is and altered four ways: one number changed, a negation added or
    dropped, one content word swapped for another quotation's, one name swapped for
    another article's.  ``found and flagged``: the match overlaps the quotation in its
    article and the change is reported (``Match.altered`` with the right reason for
    numbers, negations and names; a substitution of that word for the swap).
    ``clean``: the untouched quotation is found with no flag.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import itertools
import json
import os
import platform
import random
import re
import subprocess
import sys
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from rapidfuzz import fuzz, process  # noqa: E402

import quoteprov as qp  # noqa: E402
from quoteprov._models import CONFIDENCE_WORDS  # noqa: E402
from quoteprov.search._index import CorpusIndex  # noqa: E402
from quoteprov.search._match import find_matches  # noqa: E402
from quoteprov.search._scorer import features  # noqa: E402
from quoteprov.text._normalize import tokenize  # noqa: E402

DATA = Path(os.environ.get("QUOTEPROV_DATA") or ROOT.parent / "shared" / "data")
LINKS = ("verbatim", "near_verbatim", "paraphrase")


@dataclass
class Row:
    area: str
    metric: str
    ours: str
    baseline: str = ""
    target: str = ""
    n: str = ""


def _load(name: str) -> ModuleType:
    """A sibling benchmark script as a module, loaded once."""
    loaded = sys.modules.get(f"_bench_{name}")
    if loaded is not None:
        return loaded
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", ROOT / "benchmarks" / name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


VECTORS = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "quoteprov"


def load_vectors(encoder: Any) -> None:
    """Prime the encoder's cache with sentence vectors saved by an earlier run (outside
    the project: they are derived from research-only texts)."""
    path = VECTORS / "minilm_vectors.npz"
    if path.exists():
        data = np.load(path, allow_pickle=False)
        encoder.cache.update(zip(data["texts"].tolist(), data["vectors"], strict=True))


def save_vectors(encoder: Any) -> None:
    VECTORS.mkdir(parents=True, exist_ok=True)
    texts = list(encoder.cache)
    np.savez(
        VECTORS / "minilm_vectors.npz",
        texts=np.array(texts, dtype=str),
        vectors=np.stack([encoder.cache[t] for t in texts]),
    )


def _f(x: float) -> str:
    return f"{x:.3f}"


# --------------------------------------------------------------------------- MSRP


def read_msrp(path: Path) -> list[list[str]]:
    """MSRP rows ``[quality, id1, id2, s1, s2]`` (the file has no header)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [r for r in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE) if len(r) == 5]


def msrp_split(row: Sequence[str]) -> str:
    """``fit`` or ``report``, fixed by a hash of the pair's two ids."""
    return "fit" if zlib.crc32(f"{row[1]}-{row[2]}".encode()) % 2 == 0 else "report"


@dataclass
class MsrpPool:
    corpus: qp.Corpus
    texts: list[str]
    ids: list[str]
    canon: dict[str, str]  # sentence id -> id of the document holding that text


def msrp_pool(rows: Sequence[Sequence[str]]) -> MsrpPool:
    by_text: dict[str, str] = {}
    canon: dict[str, str] = {}
    for r in rows:
        for sid, text in ((r[1], r[3]), (r[2], r[4])):
            canon[sid] = by_text.setdefault(text, sid)
    ids = list(by_text.values())
    texts = list(by_text)
    corpus = qp.Corpus(qp.Document(id=i, text=t) for t, i in by_text.items())
    return MsrpPool(corpus, texts, ids, canon)


def msrp_paraphrases(rows: Sequence[Sequence[str]], pool: MsrpPool) -> dict[str, set[str]]:
    """For each pool sentence, the pool sentences that some pair of ``rows`` labels its
    paraphrase (a sentence of MSRP may be in several pairs)."""
    out: dict[str, set[str]] = {}
    for r in rows:
        a, b = pool.canon[r[1]], pool.canon[r[2]]
        if r[0] == "1" and a != b:
            out.setdefault(a, set()).add(b)
            out.setdefault(b, set()).add(a)
    return out


# the scorer's signals, each with the direction in which a passage is closer to the query
_CLOSER = {"numbers": -1.0, "negation": -1.0}


def _dominated(better: dict[str, float], than: dict[str, float]) -> bool:
    """Whether ``better`` is at least as close to the query as ``than`` on every signal
    and closer on one."""
    diffs = [_CLOSER.get(k, 1.0) * (better[k] - than[k]) for k in than]
    return min(diffs) >= -1e-9 and max(diffs) > 1e-9


def msrp_ceiling(
    pos: Sequence[Sequence[str]],
    pool: MsrpPool,
    index: CorpusIndex,
    vectors: np.ndarray | None = None,
    queries: np.ndarray | None = None,
) -> float:
    """The share of paraphrase pairs whose sentence 2 no other pool sentence dominates.

    A sentence dominates sentence 2 when it is at least as close to the query on every
    signal of :func:`quoteprov.search._scorer.features` (ratio, token_set, token_sort, dice,
    q_cover, p_cover, length; numbers and negation agree at least as well; with
    ``vectors``, the pool's unit sentence embeddings, and ``queries``, the queries', the
    cosine too) and closer on one.  A ranking that never puts a passage below another
    that is closer to the query on every signal cannot put a dominated sentence 2 first:
    the share is the highest recall@1 such a ranking can reach.  ``ratio`` and
    ``token_set`` (and the cosine) are computed for the whole pool at once; the full
    signals only for the sentences that reach sentence 2 on those.
    """
    position = {i: n for n, i in enumerate(pool.ids)}
    tokens = [tokenize(t) for t in pool.texts]
    folded = [" ".join(t.norm for t in ts) for ts in tokens]
    q_tokens = [tokenize(r[3]) for r in pos]
    q_folded = [" ".join(t.norm for t in ts) for ts in q_tokens]
    ratio = process.cdist(q_folded, folded, scorer=fuzz.ratio, workers=-1)
    token_set = process.cdist(q_folded, folded, scorer=fuzz.token_set_ratio, workers=-1)
    cosine = None if vectors is None or queries is None else queries @ vectors.T
    free = 0
    for k, r in enumerate(pos):
        me, gold = position[pool.canon[r[1]]], position[pool.canon[r[2]]]
        reach = (ratio[k] >= ratio[k, gold]) & (token_set[k] >= token_set[k, gold])
        if cosine is not None:
            reach &= cosine[k] >= cosine[k, gold] - 1e-6

        def signals(j: int, k: int = k) -> dict[str, float]:
            cos = None if cosine is None else float(cosine[k, j])
            return features(q_tokens[k], tokens[j], index.weight, cos)

        reach[[me, gold]] = False
        target = signals(gold)
        free += not any(_dominated(signals(int(j)), target) for j in np.flatnonzero(reach))
    return free / len(pos) if pos else 0.0


_STATE: dict[int, tuple[CorpusIndex, dict[str, Any]]] = {}  # the index kept: its id stays its


def _semantic_state(index: CorpusIndex) -> dict[str, Any]:
    """What a Tracer keeps for the semantic tier, computed once per index (the corpus'
    whole-corpus vectors and their search), passed to every ``find_matches`` of it; empty
    when the tier is off."""
    if id(index) not in _STATE:
        from quoteprov.search import _semantic

        encoder = _semantic.get_encoder()
        state: dict[str, Any] = {}
        if encoder is not None:
            vectors = _semantic.sentence_vectors(index, encoder)
            state = {"vectors": vectors, "nearest": _semantic.NearestSentences(vectors)}
        _STATE[id(index)] = (index, state)
    return _STATE[id(index)][1]


def ranked(query: str, index: CorpusIndex, self_id: str) -> list[tuple[str, str, float]]:
    """Documents in the order quoteprov returns them: ``(doc id, kind, score)``, self
    excluded, one entry per document (its best match)."""
    out: list[tuple[str, str, float]] = []
    seen: set[str] = set()
    for m in find_matches(query, index, **_semantic_state(index)):
        if m.doc_id == self_id or m.doc_id in seen:
            continue
        seen.add(m.doc_id)
        out.append((m.doc_id, m.kind, m.score))
    return out


def msrp_section(curve_path: Path | None, semantic: Any, side: str = "report") -> list[Row]:
    path = DATA / "msrp" / "msr_paraphrase_train.txt"
    if not path.exists():
        print(f"note: {path} absent; MSRP skipped")
        return []
    rows = read_msrp(path)
    pool = msrp_pool(rows)
    index = CorpusIndex.for_corpus(pool.corpus)
    report = [r for r in rows if msrp_split(r) == side and r[3] != r[4]]
    tag = "" if side == "report" else ", FIT"  # never mistaken for the reported figures
    fit = [r for r in rows if msrp_split(r) == "fit" and r[3] != r[4]]
    pos = [r for r in report if r[0] == "1"]
    neg = [r for r in report if r[0] == "0"]
    labelled = msrp_paraphrases(rows, pool)
    relevant = [
        (labelled.get(pool.canon[r[1]], set()) | {pool.canon[r[2]]}) - {pool.canon[r[1]]}
        for r in pos
    ]
    started = time.perf_counter()
    hits1 = hits10 = linked1 = any1 = any10 = 0
    curve_pos: list[tuple[int, str, float]] = []  # rank (0: absent), kind, score of s2
    for r, gold in zip(pos, relevant, strict=True):
        found = ranked(r[3], index, pool.canon[r[1]])
        target = pool.canon[r[2]]
        order = [d for d, _, _ in found]
        rank = order.index(target) + 1 if target in order else 0
        hits1 += rank == 1
        hits10 += 0 < rank <= 10
        any1 += bool(order) and order[0] in gold
        any10 += bool(gold.intersection(order[:10]))
        kind, score = (found[rank - 1][1], found[rank - 1][2]) if rank else ("", 0.0)
        linked1 += rank == 1 and kind in LINKS
        curve_pos.append((rank, kind, score))
    curve_neg: list[tuple[str, float]] = []
    false = 0
    for r in neg:
        target = pool.canon[r[2]]
        hit = next((x for x in ranked(r[3], index, pool.canon[r[1]]) if x[0] == target), None)
        kind, score = (hit[1], hit[2]) if hit else ("", 0.0)
        false += kind in LINKS
        curve_neg.append((kind, score))
    secs = time.perf_counter() - started
    n_pos, n_neg = len(pos), len(neg)
    link_share = sum(k in LINKS for _, k, _ in curve_pos) / n_pos

    # brute-force baselines: the whole pool scored against each query
    text_of = dict(zip(pool.ids, pool.texts, strict=True))
    position = {i: n for n, i in enumerate(pool.ids)}
    baselines: dict[str, Callable[[list[str]], np.ndarray]] = {
        "ratio": lambda qs: process.cdist(qs, pool.texts, scorer=fuzz.ratio, workers=-1),
        "token_set_ratio": lambda qs: process.cdist(
            qs, pool.texts, scorer=fuzz.token_set_ratio, workers=-1
        ),
    }
    vectors = queries = None
    if semantic is not None:
        load_vectors(semantic)
        vectors = semantic.encode(pool.texts)
        queries = semantic.encode([r[3] for r in pos])
        save_vectors(semantic)

        def cosine(qs: list[str]) -> np.ndarray:
            return np.asarray(semantic.encode(qs) @ vectors.T)

        baselines["MiniLM cosine"] = cosine

        def token_set(qs: list[str]) -> np.ndarray:
            return np.asarray(
                process.cdist(
                    qs, pool.texts, scorer=fuzz.token_set_ratio, processor=str.lower, workers=-1
                )
                / 100.0
            )

        # the obvious combination of the two best single signals: their plain sum (the
        # weight 1 was the best of 0.3-1.5 on the fit half, 0.898; a sum ranks a copy of
        # the query first, as quoteprov must)
        baselines["cos + token_set"] = lambda qs: cosine(qs) + token_set(qs)
        # the same with the cosine corrected for hubness (see _hubness)
        hub = _hubness(np.asarray(vectors), position={t: n for n, t in enumerate(pool.texts)})
        baselines["CSLS cosine"] = lambda qs: cosine(qs) - 0.5 * hub(qs)
        baselines["CSLS + token_set"] = lambda qs: cosine(qs) - 0.5 * hub(qs) + token_set(qs)
    ceiling = msrp_ceiling(pos, pool, index, vectors, queries)
    out = [
        Row(f"MSRP retrieval{tag}", "recall@1", _f(hits1 / n_pos), "", ">= 0.92", f"{n_pos} q"),
        Row(f"MSRP retrieval{tag}", "recall@10", _f(hits10 / n_pos), "", "", f"{n_pos} q"),
        Row(f"MSRP retrieval{tag}", "linked@1", _f(linked1 / n_pos), "", "", f"{n_pos} q"),
        Row(f"MSRP retrieval{tag}", "false-link", _f(false / n_neg), "", "<= 0.25", f"{n_neg} neg"),
        Row(f"MSRP retrieval{tag}", "recall@1 any gold", _f(any1 / n_pos), "", "", f"{n_pos} q"),
        Row(f"MSRP retrieval{tag}", "recall@10 any gold", _f(any10 / n_pos), "", "", f"{n_pos} q"),
        Row(f"MSRP ceiling{tag}", "recall@1, monotone ranking", _f(ceiling), "", "", f"{n_pos} q"),
    ]
    pos_gold = [np.array([position[g] for g in sorted(gold)]) for gold in relevant]
    for name, fn in baselines.items():
        r1, r10, fl, a1, a10, hit1 = _baseline(
            fn, pos, neg, fit, pool, position, text_of, link_share, pos_gold
        )
        out += [
            Row(f"MSRP baseline{tag}", f"{name} recall@1", "", _f(r1), "", f"{n_pos} q"),
            Row(f"MSRP baseline{tag}", f"{name} recall@10", "", _f(r10), "", f"{n_pos} q"),
            Row(f"MSRP baseline{tag}", f"{name} false-link", "", _f(fl), "", f"{n_neg} neg"),
            Row(f"MSRP baseline{tag}", f"{name} recall@1 any gold", "", _f(a1), "", f"{n_pos} q"),
            Row(f"MSRP baseline{tag}", f"{name} recall@10 any gold", "", _f(a10), "", f"{n_pos} q"),
        ]
        if name == "cos + token_set":
            # where its edge comes from: queries it ranks right and quoteprov does not,
            # and among them those whose sentence 2 quoteprov returns nowhere (under the floor)
            ranks = np.array([rank for rank, _, _ in curve_pos])
            wins = hit1 & (ranks != 1)
            out += [
                Row(f"MSRP baseline{tag}", f"{name} right, quoteprov not", "", str(wins.sum())),
                Row(
                    f"MSRP baseline{tag}",
                    "  of which s2 not returned",
                    "",
                    str((wins & (ranks == 0)).sum()),
                ),
            ]
    out.append(Row(f"MSRP retrieval{tag}", "ms / query", f"{1000 * secs / (n_pos + n_neg):.1f}"))
    if curve_path is not None:
        _write_curve(curve_path, curve_pos, curve_neg)
    return out


def _hubness(
    vectors: np.ndarray, position: dict[str, int], k: int = 3
) -> Callable[[list[str]], np.ndarray]:
    """Each pool sentence's mean cosine to its k nearest others, the query left out.

    The hubness correction of cross-lingual retrieval (CSLS, Conneau et al. 2018): a
    sentence close to many others is a weaker match for any one of them. The query is
    left out of every neighbourhood, or a near-copy of the query would be penalised for
    being near the query itself. k = 3 and the weight 0.5 were the best of k 1-10 and
    weights 0.25-1 on the fit half (0.900 against 0.898 for the plain sum).
    """
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -np.inf)
    near = np.argsort(-sims, axis=1)[:, : k + 1]
    top = np.take_along_axis(sims, near, axis=1)
    mean_k = top[:, :k].mean(axis=1)
    neighbours_of: dict[int, list[int]] = {}
    for c, row in enumerate(near[:, :k]):
        for p in row:
            neighbours_of.setdefault(int(p), []).append(c)

    def hub(qs: list[str]) -> np.ndarray:
        out = np.tile(mean_k, (len(qs), 1))
        for j, q in enumerate(qs):
            p = position[q]
            cs = np.array(neighbours_of.get(p, []), dtype=np.int64)
            if cs.size:  # q among c's k nearest: its (k + 1)-th takes q's place
                out[j, cs] = mean_k[cs] + (top[cs, k] - sims[cs, p]) / k
        return out

    return hub


def _baseline(
    fn: Callable[[list[str]], np.ndarray],
    pos: list[list[str]],
    neg: list[list[str]],
    fit: list[list[str]],
    pool: MsrpPool,
    position: dict[str, int],
    text_of: dict[str, str],
    link_share: float,
    pos_gold: list[np.ndarray],
) -> tuple[float, float, float, float, float, np.ndarray]:
    def scores(group: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
        sims = np.asarray(fn([r[3] for r in group]), dtype=np.float64)
        for k, r in enumerate(group):
            sims[k, position[pool.canon[r[1]]]] = -np.inf  # the query itself
        target = np.array([position[pool.canon[r[2]]] for r in group])
        return sims, target

    sims, target = scores(pos)
    mine = sims[np.arange(len(pos)), target]
    better = (sims > mine[:, None]).sum(axis=1)
    hit1 = better == 0
    r1 = float(np.mean(hit1))
    r10 = float(np.mean(better < 10))
    # any labelled paraphrase of the query: the best-scored one decides
    best = np.array([sims[k, cols].max() for k, cols in enumerate(pos_gold)])
    above = (sims > best[:, None]).sum(axis=1)
    a1, a10 = float(np.mean(above == 0)), float(np.mean(above < 10))
    # the link threshold that links the same share of the fit side's paraphrase pairs
    fit_pos = [r for r in fit if r[0] == "1"]
    fsims, ftarget = scores(fit_pos)
    fit_scores = np.sort(fsims[np.arange(len(fit_pos)), ftarget])
    cut = fit_scores[int((1 - link_share) * (len(fit_scores) - 1))]
    nsims, ntarget = scores(neg)
    fl = float(np.mean(nsims[np.arange(len(neg)), ntarget] >= cut))
    return r1, r10, fl, a1, a10, hit1


def _write_curve(
    path: Path, pos: list[tuple[int, str, float]], neg: list[tuple[str, float]]
) -> None:
    """Linked recall@1 and false-link rate as the paraphrase threshold moves.

    A passage returned as paraphrase or partial is counted as linked when its score
    reaches the threshold (what a lower threshold would report as a paraphrase; a
    faithful fragment's score is that of its sentence), verbatim and near-verbatim
    matches always.
    """
    lines = ["paraphrase_min,linked_recall_at_1,recall_at_1_any_kind,false_link_rate"]
    for floor in range(0, 101, 5):

        def linked(kind: str, score: float, floor: int = floor) -> bool:
            return kind in ("verbatim", "near_verbatim") or (
                kind in ("paraphrase", "partial") and score >= floor
            )

        rec = sum(rank == 1 and linked(k, s) for rank, k, s in pos) / len(pos)
        anyk = sum(rank == 1 for rank, _, _ in pos) / len(pos)
        fl = sum(linked(k, s) for k, s in neg) / len(neg)
        lines.append(f"{floor},{rec:.4f},{anyk:.4f},{fl:.4f}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"note: recall / false-link curve written to {path}")


# --------------------------------------------------------------------------- reuse


def _detected(sentences: Sequence[str], corpus: qp.Corpus) -> str | None:
    """The strongest kind linking any of ``sentences`` into ``corpus`` (two partials count
    as one link), or None."""
    index = CorpusIndex.for_corpus(corpus)
    kinds: list[str] = []
    for s in sentences:
        if len(s.split()) < 3:
            continue
        try:
            found = find_matches(s, index, **_semantic_state(index))
        except qp.InputError:
            continue
        kinds += [m.kind for m in found[:1]]
    for kind in LINKS:
        if kind in kinds:
            return kind
    return "partial" if kinds.count("partial") >= 2 else None


def reuse_section(semantic: Any) -> list[Row]:
    out: list[Row] = []
    clough = DATA / "clough_stevenson_short_answers"
    if (clough / "file_information.csv").exists():
        with (clough / "file_information.csv").open(encoding="utf-8") as f:
            info = list(csv.DictReader(f))
        sources = {
            t: qp.Corpus(
                [qp.Document(id=f"orig_task{t}", text=_read(clough / f"orig_task{t}.txt"))]
            )
            for t in "abcde"
        }
        by_cat: dict[str, list[bool]] = {}
        for row in info:
            if row["Category"] == "orig":
                continue
            text = _read(clough / row["File"])
            sents = [s.text for s in qp.split_sentences(text)]
            hit = _detected(sents, sources[row["Task"]]) is not None
            by_cat.setdefault(row["Category"], []).append(hit)
        for cat in ("cut", "light", "heavy", "non"):
            hits = by_cat.get(cat, [])
            share = sum(hits) / len(hits) if hits else 0.0
            metric = f"{cat}: detected" if cat != "non" else "non: not detected"
            value = share if cat != "non" else 1 - share
            out.append(Row("Clough-Stevenson", metric, _f(value), "", "", f"{len(hits)}"))
    else:
        print(f"note: {clough} absent; Clough-Stevenson skipped")
    webis = DATA / "webis_cpc11_sample" / "Webis-CPC-11_1000_sample.json"
    if webis.exists():
        items = json.loads(webis.read_text(encoding="utf-8"))
        hits_yes: list[bool] = []
        hits_no: list[bool] = []
        for item in items:
            original = " ".join(s["text"] for s in item["original"])
            corpus = qp.Corpus([qp.Document(id="original", text=original)])
            found = _detected([s["text"] for s in item["paraphrase"]], corpus) is not None
            (hits_yes if item["is_paraphrased"] == "Yes" else hits_no).append(found)
        out.append(
            Row(
                "Webis-CPC",
                "paraphrased: detected",
                _f(np.mean(hits_yes)),
                "",
                "",
                f"{len(hits_yes)}",
            )
        )
        out.append(
            Row(
                "Webis-CPC",
                "not paraphrased: detected",
                _f(np.mean(hits_no)),
                "",
                "",
                f"{len(hits_no)}",
            )
        )
    else:
        print(f"note: {webis} absent; Webis-CPC skipped")
    sts = DATA / "stsbenchmark" / "sts-test.csv"
    if sts.exists():
        from scipy.stats import spearmanr

        try:
            from quoteprov.search._scorer import similarity
        except ImportError:  # before the scorer existed: the rarity-weighted overlap
            similarity = _dice_similarity

        with sts.open(encoding="utf-8") as f:
            pairs = [
                r
                for r in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
                if len(r) >= 7 and r[0] == "main-news"
            ]
        gold = [float(r[4]) for r in pairs]
        if semantic is not None:
            va, vb = semantic.encode([r[5] for r in pairs]), semantic.encode([r[6] for r in pairs])
            cos = [float(x) for x in (va * vb).sum(axis=1)]
            ours = [similarity(r[5], r[6], c) for r, c in zip(pairs, cos, strict=True)]
        else:
            ours = [similarity(r[5], r[6]) for r in pairs]
        base = [fuzz.ratio(r[5], r[6]) for r in pairs]
        out.append(
            Row(
                "STS-B test news",
                "Spearman rho",
                _f(float(spearmanr(ours, gold)[0])),
                "ratio " + _f(float(spearmanr(base, gold)[0])),
                "",
                f"{len(pairs)}",
            )
        )
    else:
        print(f"note: {sts} absent; STS-B skipped")
    return out


def _dice_similarity(a: str, b: str) -> float:
    from collections import Counter

    from quoteprov.search._kinds import paraphrase_score
    from quoteprov.text._analysis import content_terms
    from quoteprov.text._normalize import tokenize

    global _STS_INDEX
    if _STS_INDEX is None:
        _STS_INDEX = CorpusIndex([])
    ta, tb = Counter(content_terms(tokenize(a))), Counter(content_terms(tokenize(b)))
    return paraphrase_score(ta, tb, _STS_INDEX)


_STS_INDEX: CorpusIndex | None = None


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


# --------------------------------------------------------------------------- splitting


def split_section() -> list[Row]:
    gum_dir = DATA / "ud_gum_news"
    golden_file = DATA / "pysbd_golden_rules" / "english_golden_rules.py"
    if not (gum_dir.is_dir() and golden_file.is_file()):
        print("note: GUM news or the Golden Rules absent; sentence splitting skipped")
        return []
    bench = _load("sentences.py")
    gum = [d for p in sorted(gum_dir.glob("*.conllu")) for d in bench.read_conllu(p)]
    report = [d for d in gum if bench.gum_half(d.name) == "report"]
    golden = bench.load_golden_rules(golden_file)
    print(
        "note: GUM news split: 'report' is the half the splitter was never tuned on, "
        "'all 24*' adds the tune half; 'UD style' is keep_quotations=False (breaking inside "
        "quotations, as GUM's gold does); 'as used' keeps quotations whole"
    )
    out = []
    for label, split, target in (
        ("as used", bench.quoteprov_spans, ""),
        ("UD style", bench.quoteprov_split_quotes, ">= 0.98 F1"),
    ):
        for docs, half in ((report, "report"), (gum, "all 24*")):
            p, r, f = bench.score_docs(docs, split).prf()
            out.append(
                Row(
                    "GUM news split",
                    f"P/R/F1 {half}, {label}",
                    f"{p:.3f}/{r:.3f}/{f:.3f}",
                    "",
                    target if docs is report else "",
                    f"{sum(len(d.ends) for d in docs)}",
                )
            )
        ok, _ = bench.score_golden(golden, split)
        out.append(Row("Golden Rules", f"passed ({label})", f"{ok}/{len(golden)}", "", ">= 45", ""))
    return out


# --------------------------------------------------------------------------- quotations


def quotes_section() -> list[Row]:
    root = DATA / "polnear" / "data"
    if not (root / "dev").is_dir():
        print(f"note: {root} absent; quotations skipped")
        return []
    bench = _load("quote_extraction.py")
    docs = bench.read_split(root, "dev")
    out = []
    ours = bench.score(docs, bench.ours, 0)
    base = bench.score(docs, bench.baseline, 0)

    def figures(s: Any) -> tuple[float, float, float, float, float]:
        p = s.predicted_ok / s.predicted if s.predicted else 0.0
        lenient = s.predicted_lenient / s.predicted if s.predicted else 0.0
        r = s.gold_found / s.gold if s.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        sp = s.speaker_ok / s.with_source if s.with_source else 0.0
        return p, lenient, r, f, sp

    p, lp, r, f, sp = figures(ours)
    bp, blp, br, bf, bsp = figures(base)
    n = f"{ours.gold} gold"
    out += [
        Row("PolNeAR dev quotes", "span precision", _f(p), "regex " + _f(bp), "", n),
        Row("PolNeAR dev quotes", "lenient precision", _f(lp), "regex " + _f(blp), "", n),
        Row("PolNeAR dev quotes", "span recall", _f(r), "regex " + _f(br), "", n),
        Row("PolNeAR dev quotes", "span F1", _f(f), "regex " + _f(bf), ">= 0.90", n),
        Row(
            "PolNeAR dev quotes",
            "speaker accuracy",
            _f(sp),
            "regex " + _f(bsp),
            ">= 0.85",
            f"{ours.with_source}",
        ),
    ]
    # speakers over direct and partial quotations ('X called it "…"') with a named gold
    # Source: every quotation quoteprov finds, beside the regex baseline
    both = bench.score_speakers(docs, bench.everything)
    regex = bench.score_speakers(docs, bench.baseline)
    out += [
        Row(
            "PolNeAR dev quotes",
            "direct+partial quote recall",
            _f(both.recall),
            "regex " + _f(regex.recall),
            ">= 0.95",
            f"{both.gold} gold ({both.partial} partial)",
        ),
        Row(
            "PolNeAR dev quotes",
            "direct+partial speaker accuracy",
            _f(both.accuracy),
            "regex " + _f(regex.accuracy),
            ">= 0.90",
            f"{both.found}",
        ),
    ]
    # description speakers ('the statement') resolved to a named source: PolNeAR's gold
    # Source is the description itself, so this is a count (checked by hand), no score
    described = bench.score_descriptions(docs)
    out.append(
        Row(
            "PolNeAR dev quotes",
            "description speakers named",
            f"{described.resolved}/{described.described}",
            "",
            "",
            "counted, not scored",
        )
    )
    return out


# --------------------------------------------------------------------------- quotation families


def direct_quotations(doc: Any) -> Iterator[tuple[int, int, str]]:
    """A PolNeAR article's direct quotations of one fragment (Content spans with quotation
    marks at both ends, ``quote_extraction.is_direct``): ``(start, end, text)`` without the
    marks, ``doc.text[start:end] == text``."""
    bench = _load("quote_extraction.py")
    for a in doc.attributions:
        if len(a.content) != 1 or not bench.is_direct(doc.text, a.content):
            continue
        s, e = a.content[0]
        body = doc.text[s:e].strip(" \"'“”‘’")
        start = doc.text.index(body, s)
        yield start, start + len(body), body


_FOLD_WORD = re.compile(r"[^\W_]+")
_FAMILY_MIN_WORDS = 8  # the definition of a traced quotation
# an article holds a quotation when it has at least half of its words in order, and 8 of
# them (half of a short quotation is a common phrase: "going to be a")
_HOLDS = 0.5
_WHOLE = 0.9  # ... that makes it hold the whole quotation (an origin candidate)
# the baseline's partial_ratio threshold, the best F1 of reported documents on the tune side
BASELINE_PARTIAL = 75.0


def _fold_words(text: str) -> list[str]:
    import unicodedata

    text = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return _FOLD_WORD.findall("".join(c for c in text if not unicodedata.combining(c)))


def _held(query: Sequence[str], words: Sequence[str]) -> float:
    """Share of ``query``'s words found in order in ``words`` around its longest common
    run, counting only runs of 3 words or more (a word or two in common is chance): the
    gold test of whether an article holds a quotation, independent of quoteprov."""
    from difflib import SequenceMatcher

    longest = SequenceMatcher(None, query, words, autojunk=False).find_longest_match(
        0, len(query), 0, len(words)
    )
    if longest.size < 3:
        return 0.0
    lo = max(0, longest.b - longest.a - 10)
    window = words[lo : longest.b + len(query) - longest.a + 10]
    blocks = SequenceMatcher(None, query, window, autojunk=False).get_matching_blocks()
    matched = sum(b.size for b in blocks if b.size >= 3)
    return matched / len(query) if matched >= _FAMILY_MIN_WORDS else 0.0


@dataclass
class Family:
    """A direct quotation of 8+ words held by two or more PolNeAR articles."""

    query: str  # as written in the first article (corpus order) that quotes it
    holders: dict[str, float]  # article -> share of the quotation it holds (>= _HOLDS)
    side: str  # "tune" or "report", by a hash of the folded quotation

    @property
    def whole(self) -> set[str]:
        return {d for d, share in self.holders.items() if share >= _WHOLE}


def polnear_corpus() -> tuple[qp.Corpus, list[Any]] | None:
    """PolNeAR train + dev as a corpus with outlets and dates, and the parsed articles."""
    root = DATA / "polnear" / "data"
    if not (root / "train").is_dir():
        return None
    bench = _load("quote_extraction.py")
    docs = bench.read_split(root, "train") + bench.read_split(root, "dev")
    with open(root / "metadata.tsv", encoding="utf-8") as f:
        meta = {r["filename"]: r for r in csv.DictReader(f, delimiter="\t")}
    corpus = qp.Corpus(
        qp.Document(
            id=d.name,
            text=d.text,
            title=meta[d.name]["title"] or None,
            source=meta[d.name]["publisher"],
            published=meta[d.name]["publication_date"],
        )
        for d in docs
    )
    return corpus, docs


def quotation_families(docs: Sequence[Any]) -> list[Family]:
    """Cross-article families: every direct quotation of 8+ words (PolNeAR Content spans
    with quotation marks at both ends) and the articles that hold at least half of it in
    order (:func:`_held`), kept where two or more do."""
    words = {d.name: _fold_words(d.text) for d in docs}
    grams: dict[tuple[str, ...], set[str]] = {}
    for name, w in words.items():
        for i in range(len(w) - 2):
            grams.setdefault(tuple(w[i : i + 3]), set()).add(name)
    seen: set[tuple[str, ...]] = set()
    out = []
    for d in docs:
        for _, _, raw in direct_quotations(d):
            body = " ".join(raw.split())
            q = tuple(_fold_words(body))
            if len(q) < _FAMILY_MIN_WORDS or q in seen:
                continue
            seen.add(q)
            # articles sharing a 3-word run with it (a holder shares many)
            near: dict[str, int] = {}
            for i in range(len(q) - 2):
                for name in grams.get(q[i : i + 3], ()):
                    near[name] = near.get(name, 0) + 1
            need = max(_FAMILY_MIN_WORDS, int(_HOLDS * len(q))) - 2
            holders = {}
            for name, n in near.items():
                if n >= need:
                    share = _held(q, words[name])
                    if share >= _HOLDS:
                        holders[name] = share
            if len(holders) >= 2:
                side = "report" if zlib.crc32(" ".join(q).encode()) % 2 else "tune"
                out.append(Family(body, holders, side))
    return out


def _earliest(corpus: qp.Corpus, ids: Sequence[str]) -> set[str]:
    """The articles of ``ids`` on the earliest publication date (all of them: a tie on
    the day is one the dates cannot break)."""
    dated = [(corpus[d].published, d) for d in ids if corpus[d].published is not None]
    if not dated:
        return set()
    first = min(p for p, _ in dated)
    return {d for p, d in dated if p == first}


def partial_ratio_scan(
    query: str, corpus: qp.Corpus, texts: dict[str, str], threshold: float
) -> tuple[list[str], str | None]:
    """The plain baseline: every article whose folded text ``rapidfuzz.partial_ratio``
    puts at ``threshold`` or more from the folded query; the origin is the earliest
    dated of them (corpus order breaks ties)."""
    folded = " ".join(_fold_words(query))
    found = [d for d, t in texts.items() if fuzz.partial_ratio(folded, t) >= threshold]
    dated = [d for d in found if corpus[d].published is not None]
    origin = min(dated, key=lambda d: corpus[d].published) if dated else None  # type: ignore[arg-type,return-value]
    return found, origin or (found[0] if found else None)


@dataclass
class FamilyScore:
    families: int = 0
    origin_ok: int = 0
    reported: int = 0
    reported_ok: int = 0
    gold: int = 0
    gold_found: int = 0

    def add(
        self, family: Family, corpus: qp.Corpus, found: Sequence[str], origin: str | None
    ) -> None:
        self.families += 1
        self.origin_ok += origin in _earliest(corpus, sorted(family.whole or family.holders))
        reported = set(found)
        self.reported += len(reported)
        self.reported_ok += len(reported & family.holders.keys())
        self.gold += len(family.holders)
        self.gold_found += len(reported & family.holders.keys())

    def figures(self) -> tuple[float, float, float]:
        return (
            self.origin_ok / max(1, self.families),
            self.reported_ok / max(1, self.reported),
            self.gold_found / max(1, self.gold),
        )


def families_section(side: str = "report", show: int = 0) -> list[Row]:
    """Origin accuracy and reported-document precision and recall on PolNeAR's
    cross-article quotation families, quoteprov beside the partial_ratio scan."""
    loaded = polnear_corpus()
    if loaded is None:
        print(f"note: {DATA / 'polnear'} absent; quotation families skipped")
        return []
    corpus, docs = loaded
    families = [f for f in quotation_families(docs) if f.side == side]
    texts = {d.name: " ".join(_fold_words(d.text)) for d in docs}
    ours, base = FamilyScore(), FamilyScore()
    for family in families:
        t = qp.trace_quote(family.query, corpus)
        found = [m.doc_id for m in t.matches]
        origin = t.origin.doc_id if t.origin is not None else None
        ours.add(family, corpus, found, origin)
        b_found, b_origin = partial_ratio_scan(family.query, corpus, texts, BASELINE_PARTIAL)
        base.add(family, corpus, b_found, b_origin)
        gold_origin = _earliest(corpus, sorted(family.whole or family.holders))
        if show and (origin not in gold_origin or set(found) ^ family.holders.keys()):
            show -= 1
            print(f"  query: {family.query[:100]!r}")
            print(f"    gold {sorted(family.holders.items())}, origin {sorted(gold_origin)}")
            print(f"    ours origin {origin} ({t.origin_reason})")
            for m in t.matches:
                mark = "+" if m.doc_id in family.holders else "-"
                print(f"    {mark} {m.doc_id} {m.kind} {m.score} {m.text[:70]!r}")
    o, p, r = ours.figures()
    bo, bp, br = base.figures()
    n = f"{ours.families} fam"
    area = f"PolNeAR families ({side})"
    return [
        Row(area, "origin accuracy", _f(o), "p_ratio " + _f(bo), ">= 0.95", n),
        Row(
            area,
            "reported-document precision",
            _f(p),
            "p_ratio " + _f(bp),
            ">= 0.95",
            f"{ours.reported}",
        ),
        Row(
            area, "reported-document recall", _f(r), "p_ratio " + _f(br), ">= 0.99", f"{ours.gold}"
        ),
    ]


# --------------------------------------------------------------------------- confidence words


def confidence_section(families_side: str = "report", msrp_side: str = "report") -> list[Row]:
    """The precision of each confidence word (:attr:`quoteprov.Match.confidence`).

    PolNeAR families: every document a trace reports, with the surest word of its
    matches; it is right when it holds the quotation (as the families section defines).
    MSRP: each pair's sentence 2 when sentence 1's trace reports it as a paraphrase; it
    is right when the pair is labelled a paraphrase.  The words' cut points were chosen
    on the tune families and the fit half: the report sides are measured here.
    """
    out: list[Row] = []
    loaded = polnear_corpus()
    if loaded is None:
        print(f"note: {DATA / 'polnear'} absent; confidence on families skipped")
    else:
        corpus, docs = loaded
        counts = {w: [0, 0] for w in CONFIDENCE_WORDS}
        for family in (f for f in quotation_families(docs) if f.side == families_side):
            surest: dict[str, int] = {}
            for m in qp.trace_quote(family.query, corpus).matches:
                rank = CONFIDENCE_WORDS.index(m.confidence)
                surest[m.doc_id] = min(rank, surest.get(m.doc_id, rank))
            for doc_id, rank in surest.items():
                counts[CONFIDENCE_WORDS[rank]][0] += 1
                counts[CONFIDENCE_WORDS[rank]][1] += doc_id in family.holders
        for word, (n, right) in counts.items():
            precision = _f(right / n) if n else "-"
            out.append(Row(f"confidence, families ({families_side})", word, precision, n=str(n)))
    path = DATA / "msrp" / "msr_paraphrase_train.txt"
    if not path.exists():
        print(f"note: {path} absent; confidence on MSRP skipped")
        return out
    rows = read_msrp(path)
    pool = msrp_pool(rows)
    index = CorpusIndex.for_corpus(pool.corpus)
    tally = {w: [0, 0] for w in CONFIDENCE_WORDS}
    for r in rows:
        if msrp_split(r) != msrp_side or r[3] == r[4]:
            continue
        target = pool.canon[r[2]]
        hit = next(
            (m for m in find_matches(r[3], index, **_semantic_state(index)) if m.doc_id == target),
            None,
        )
        if hit is not None and hit.kind == "paraphrase":
            tally[hit.confidence][0] += 1
            tally[hit.confidence][1] += r[0] == "1"
    for word, (n, right) in tally.items():
        precision = _f(right / n) if n else "-"
        out.append(
            Row(f"confidence, MSRP ({msrp_side})", f"{word} paraphrase", precision, n=str(n))
        )
    return out


# --------------------------------------------------------------------------- elided quotations

_STYLES = (" … ", " ... ", " […] ")
_NEGATION_WORDS = {"not", "no", "never", "nobody", "nothing", "none", "cannot", "nor"}


def _claim_words(words: Sequence[str]) -> list[bool]:
    """Which words are negations or numbers (what an elision must not drop silently)."""
    return [
        w.lower() in _NEGATION_WORDS
        or w.lower().endswith("n't")
        or w.lower().endswith("n’t")
        or any(c.isdigit() for c in w)
        or w.lower() in _NUMBER_WORDS
        for w in words
    ]


def _elide(
    words: list[str], rng: random.Random, cuts: int, style: str, must: int | None = None
) -> tuple[str, list[str]] | None:
    """The quotation with ``cuts`` stretches of 1-4 words replaced by ``style``, two words
    kept at each end and between cuts; ``must`` is a word index one cut must take.
    Returns the text and the words cut, or None when the quotation is too short."""
    n = len(words)
    for _ in range(50):
        spans = []
        if must is not None:
            size = rng.randint(1, 3)
            a = max(2, min(must - rng.randint(0, size - 1), n - 2 - size))
            if not (a <= must < a + size):
                continue
            spans.append((a, a + size))
        while len(spans) < cuts:
            size = rng.randint(1, 4)
            a = rng.randint(2, max(2, n - 2 - size))
            spans.append((a, a + size))
        spans.sort()
        ok = all(a >= 2 and b <= n - 2 for a, b in spans) and all(
            c - b >= 2 for (_, b), (c, _) in itertools.pairwise(spans)
        )
        if ok:
            out, cut, last = [], [], 0
            for a, b in spans:
                out.append(" ".join(words[last:a]))
                cut += words[a:b]
                last = b
            out.append(" ".join(words[last:]))
            return style.join(out), cut
    return None


def elided_section(sample: int = 400) -> list[Row]:
    """PolNeAR dev direct quotations of 8+ words, each with one to three stretches cut in
    each ellipsis style, traced through train + dev: recognised when the match in the
    quotation's own article is verbatim and elided; flagged when a cut that took a
    negation or a number makes the match altered.  Baseline: rapidfuzz partial_ratio of
    the query, ellipsis removed, against the quotation's sentence (>= 90 counts as found
    verbatim; it cannot tell an elision from an edit)."""
    loaded = polnear_corpus()
    if loaded is None:
        print(f"note: {DATA / 'polnear'} absent; elided quotations skipped")
        return []
    corpus, docs = loaded
    bench = _load("quote_extraction.py")
    dev = {d.name for d in bench.read_split(DATA / "polnear" / "data", "dev")}
    quotes = []
    for d in docs:
        if d.name not in dev:
            continue
        for start, end, body in direct_quotations(d):
            if len(body.split()) >= 8 and "\n" not in body:
                quotes.append((d.name, start, end, body.split()))
    rng = random.Random(11)
    quotes = rng.sample(quotes, min(sample, len(quotes)))
    index = CorpusIndex.for_corpus(corpus)
    tried = recognised = base_found = claim_tried = claim_flagged = 0
    for doc_id, start, end, words in quotes:
        claims = [k for k, c in enumerate(_claim_words(words)) if c and 2 <= k < len(words) - 2]
        for style in _STYLES:
            variants = [_elide(words, rng, rng.randint(1, 3), style)]
            if claims:
                variants.append(_elide(words, rng, 1, style, must=rng.choice(claims)))
            for k, variant in enumerate(variants):
                if variant is None:
                    continue
                text, cut = variant
                hits = [
                    m
                    for m in find_matches(text, index, **_semantic_state(index))
                    if m.doc_id == doc_id and m.start < end and start < m.end
                ]
                best = max(hits, key=lambda m: (m.elided, m.score), default=None)
                if k == 0:
                    tried += 1
                    recognised += best is not None and best.kind == "verbatim" and best.elided
                    plain = " ".join(text.replace(style.strip(), " ").split())
                    base_found += fuzz.partial_ratio(plain, corpus[doc_id].text[start:end]) >= 90
                if any(_claim_words(cut)):
                    claim_tried += 1
                    claim_flagged += best is not None and any(
                        "elided" in r for r in best.alterations
                    )
    area = "Elided quotations"
    return [
        Row(
            area,
            "recognised as elided verbatim",
            _f(recognised / max(1, tried)),
            "p_ratio>=90 " + _f(base_found / max(1, tried)),
            ">= 0.95",
            f"{tried}",
        ),
        Row(
            area,
            "dropped negation/number flagged",
            _f(claim_flagged / max(1, claim_tried)),
            "",
            "1.000",
            f"{claim_tried}",
        ),
    ]


# --------------------------------------------------------------------------- altered quotations

_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)*\b")
_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten hundred thousand million billion".split()
)
_AUX = re.compile(
    r"\b(is|are|was|were|will|would|can|could|should|has|have|had|does|do|did|must)\b(?! not)",
    re.I,
)
_NEG = re.compile(r"\s+not\b|\s+never\b|n't\b", re.I)
_STOP = set(
    """the a an and or but of to in on at for with by from that this these those is are was
    were be been being will would can could should has have had do does did not it its they
    them their he she his her we our you your i me my who what which when where why how all
    any some more most very just about there here than then so if as""".split()
)


def _alter(
    kind: str, text: str, rng: random.Random, words: list[str], names: list[str]
) -> tuple[str, str, str] | None:
    """``(altered text, the query's new word, the document's word)`` or None."""
    if kind == "number":
        m = _NUMBER.search(text)
        if m:
            old = m.group()
            digits = [i for i, c in enumerate(old) if c.isdigit()]
            i = digits[-1] if len(digits) == 1 else digits[0]
            new = old[:i] + str((int(old[i]) + rng.randint(1, 8)) % 10 or 1) + old[i + 1 :]
            if new == old:
                return None
            return text[: m.start()] + new + text[m.end() :], new, old
        for w in _NUMBER_WORDS:
            m = re.search(rf"\b{w}\b", text, re.I)
            if m:
                new = rng.choice([x for x in _NUMBER_WORDS[:10] if x != w])
                return text[: m.start()] + new + text[m.end() :], new, m.group()
        return None
    if kind == "negation":
        m = _NEG.search(text)
        if m:
            return text[: m.start()] + text[m.end() :], "", m.group().strip()
        m = _AUX.search(text)
        if m:
            return text[: m.end()] + " not" + text[m.end() :], "not", ""
        return None
    if kind == "word":
        toks = [m for m in re.finditer(r"\b[a-z]{4,}\b", text) if m.group() not in _STOP]
        if not toks:
            return None
        m = rng.choice(toks)
        new = rng.choice([w for w in words if w != m.group()])
        return text[: m.start()] + new + text[m.end() :], new, m.group()
    if kind == "entity":
        toks = [
            m
            for m in re.finditer(r"(?<=[a-z,;] )[A-Z][a-z]{2,}\b", text)
            if m.group().lower() not in _STOP
        ]
        if not toks:
            return None
        m = rng.choice(toks)
        new = rng.choice([w for w in names if w != m.group()])
        return text[: m.start()] + new + text[m.end() :], new, m.group()
    return text, "", ""


def _flagged(kind: str, m: qp.Match, new: str, old: str) -> bool:
    changes = m.changes
    if kind == "untouched":
        return not m.altered and not changes
    reasons = " ".join(getattr(m, "alterations", ()))
    if kind == "number":
        return m.altered and any(c.number for c in changes) and ("number" in reasons or not reasons)
    if kind == "negation":
        return m.altered and any(c.negation for c in changes)
    if kind == "entity":
        return m.altered and any(getattr(c, "entity", False) for c in changes)
    if kind == "word":
        return any(
            c.op == "substitute" and new in c.query.lower() and old in c.found.lower()
            for c in changes
        )
    return False


def altered_section() -> list[Row]:
    root = DATA / "polnear" / "data"
    if not (root / "dev").is_dir():
        print(f"note: {root} absent; altered quotations skipped")
        return []
    bench = _load("quote_extraction.py")
    docs = bench.read_split(root, "dev")
    corpus = qp.Corpus(qp.Document(id=d.name, text=d.text) for d in docs)
    index = CorpusIndex.for_corpus(corpus)
    quotes: list[tuple[str, int, int, str]] = []
    for d in docs:
        for start, end, body in direct_quotations(d):
            if len(body.split()) >= 6 and "\n" not in body:
                quotes.append((d.name, start, end, body))
    rng = random.Random(5)
    words = sorted({w for _, _, _, b in quotes for w in re.findall(r"[a-z]{5,}", b)} - _STOP)
    names = sorted({w for d in docs for w in re.findall(r"(?<=[a-z] )[A-Z][a-z]{3,}\b", d.text)})
    out = []
    for kind in ("untouched", "number", "negation", "word", "entity"):
        found = flagged = tried = 0
        for doc_id, start, end, body in quotes:
            variant = _alter(kind, body, rng, words, names)
            if variant is None:
                continue
            text, new, old = variant
            tried += 1
            hits = [
                m
                for m in find_matches(text, index, **_semantic_state(index))
                if m.doc_id == doc_id and m.start < end and start < m.end
            ]
            if not hits:
                continue
            found += 1
            best = max(hits, key=lambda m: min(end, m.end) - max(start, m.start))
            flagged += _flagged(kind, best, new.lower(), old.lower())
        label = "clean (found, no flag)" if kind == "untouched" else "found and flagged"
        target = ">= 0.98" if kind == "untouched" else ">= 0.95"
        out.append(
            Row(
                f"Altered: {kind}",
                label,
                _f(flagged / max(1, tried)),
                f"found {found / max(1, tried):.3f}",
                target,
                f"{tried}",
            )
        )
    return out


# --------------------------------------------------------------------------- speed


def speed_section(semantic: Any, lexical: bool = False, batches: Sequence[int] = ()) -> list[Row]:
    """Sentences per second of the semantic tier as shipped, then with each batch size of
    ``batches`` (the same texts, the same process) to compare."""
    if semantic is None:
        return [
            Row("Semantic tier", "sentences/s", "off (--lexical)" if lexical else "not installed")
        ]
    path = DATA / "msrp" / "msr_paraphrase_train.txt"
    texts = [r[3] for r in read_msrp(path)][:2000] if path.exists() else ["A sentence."] * 2000
    kept, shipped = semantic.cache, semantic.batch_size
    out: list[Row] = []
    try:
        semantic.cache = {}  # time the model, not the cache
        semantic.encode(texts[:64])  # warm up
        for batch in (shipped, *batches):
            semantic.cache = {}
            semantic.batch_size = batch
            t0 = time.perf_counter()
            semantic.encode(texts)
            rate = f"{len(texts) / (time.perf_counter() - t0):.0f}"
            if not out:
                metric, target = f"sentences/s ({semantic.device})", ">= 20k/s on an H100"
                out.append(Row("Semantic tier", metric, rate, "", target, f"{len(texts)}"))
            else:
                out.append(Row("Semantic tier", f"  batch {batch}", rate, "", "", ""))
    finally:
        semantic.cache, semantic.batch_size = kept, shipped
    return out


# --------------------------------------------------------------------------- main


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "quoteprov"], cwd=ROOT, capture_output=True, text=True
        )
        return out.stdout.strip() + (" (+ uncommitted changes)" if dirty.stdout.strip() else "")
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--only", default="msrp,reuse,split,quotes,families,confidence,elided,altered,speed"
    )
    ap.add_argument("--lexical", action="store_true", help="do not use the semantic tier")
    ap.add_argument("--curve", type=Path, default=None, help="write the MSRP curve (CSV)")
    ap.add_argument(
        "--msrp-side",
        choices=("report", "fit"),
        default="report",
        help="MSRP pairs to measure: the reported side (default) or the fit side",
    )
    ap.add_argument(
        "--families-side",
        choices=("report", "tune"),
        default="report",
        help="PolNeAR families to measure: the reported side (default) or the tune side",
    )
    ap.add_argument("--show", type=int, default=0, help="families: print this many misses")
    ap.add_argument(
        "--batches",
        default="",
        help="speed: also time these batch sizes of the semantic tier (comma-separated)",
    )
    args = ap.parse_args(argv)
    sections = set(args.only.split(","))
    semantic = None
    if args.lexical:
        os.environ["QUOTEPROV_SEMANTIC"] = "0"
    else:
        try:
            from quoteprov.search import _semantic as sem_module

            semantic = sem_module.get_encoder()
        except ImportError:
            semantic = None
        if semantic is not None:
            load_vectors(semantic)
    print("command: " + " ".join([os.path.relpath(sys.executable), *sys.argv]))
    print(
        f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}; quoteprov {_commit()}"
    )
    print(f"semantic tier: {'on, ' + semantic.device if semantic is not None else 'off (lexical)'}")
    print(f"data: {DATA}; MSRP side: {args.msrp_side}\n")
    rows: list[Row] = []
    t0 = time.perf_counter()
    if "msrp" in sections:
        rows += msrp_section(args.curve, semantic, args.msrp_side)
    if "reuse" in sections:
        rows += reuse_section(semantic)
    if "split" in sections:
        rows += split_section()
    if "quotes" in sections:
        rows += quotes_section()
    if "families" in sections:
        rows += families_section(args.families_side, args.show)
    if "confidence" in sections:
        rows += confidence_section(args.families_side, args.msrp_side)
    if "elided" in sections:
        rows += elided_section()
    if "altered" in sections:
        rows += altered_section()
    if "speed" in sections:
        batches = [int(b) for b in args.batches.split(",") if b.strip()]
        rows += speed_section(semantic, args.lexical, batches)
    head = f"{'area':<22} {'metric':<34} {'quoteprov':>17} {'baseline':>16} {'target':>18} {'n':>8}"
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r.area:<22} {r.metric:<34} {r.ours:>17} {r.baseline:>16} {r.target:>18} {r.n:>8}")
    print(f"\n{time.perf_counter() - t0:.0f} s")
    if semantic is not None:
        save_vectors(semantic)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
