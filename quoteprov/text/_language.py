"""Which language a text is written in (``quoteprov[multilingual]``: lingua).

Cross-lingual tracing (:mod:`quoteprov.search._translate`) needs to know which documents
are in another language than the query.  `lingua <https://github.com/pemistahl/lingua-py>`_
does it offline from n-gram models in its wheel: on this project's cross-lingual
evaluation (``benchmarks/translation.py``) its fast mode names the language of all 120
original-language articles, and of 119 of their 120 English translations read alone.
Documents are read in that fast mode (an article is long enough); a query, a sentence,
in the accurate mode among the languages its corpus holds.

Without the extra every answer is None: nothing is guessed from the script.

>>> detect = LanguageDetector.load()
>>> said = "Il a dit que la réforme des retraites serait retirée."
>>> detect is None or detect.document(said) == "fr"
True
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ._normalize import without_surrogates

__all__ = ["DOCUMENT_CHARS", "LanguageDetector"]

DOCUMENT_CHARS = 2_000  # an article's opening says its language; the rest costs time


class LanguageDetector:
    """ISO 639-1 codes ("en", "es", …) of documents and queries, from lingua's models."""

    def __init__(self, lingua: Any) -> None:
        self._lingua = lingua
        self._fast = lingua.LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode()
        self._fast = self._fast.build()
        self._accurate: dict[frozenset[str], Any] = {}  # by the set of languages it tells apart

    @classmethod
    def load(cls) -> LanguageDetector | None:
        """A detector, or None when lingua is not installed."""
        try:
            import lingua
        except ImportError:
            return None
        return cls(lingua)

    def document(self, text: str) -> str | None:
        """The language of an article (its first :data:`DOCUMENT_CHARS` characters), or
        None when lingua cannot tell."""
        clean = without_surrogates(text[:DOCUMENT_CHARS])
        return self._code(self._fast.detect_language_of(clean))

    def query(self, text: str, among: Iterable[str]) -> str | None:
        """The language of a short text, told apart from the languages ``among`` (the
        corpus' languages) and English."""
        codes = frozenset({*among, "en"})
        detector = self._accurate.get(codes)
        if detector is None:
            iso = self._lingua.IsoCode639_1
            languages = [
                self._lingua.Language.from_iso_code_639_1(getattr(iso, c.upper()))
                for c in sorted(codes)
                if hasattr(iso, c.upper())
            ]
            builder = self._lingua.LanguageDetectorBuilder
            detector = (
                builder.from_languages(*languages).build() if len(languages) > 1 else self._fast
            )
            self._accurate[codes] = detector
        return self._code(detector.detect_language_of(without_surrogates(text)))

    @staticmethod
    def _code(language: Any) -> str | None:
        return None if language is None else str(language.iso_code_639_1.name).lower()
