"""The combined, calibrated decision: how likely a passage says what the query says.

Each signal alone misleads.  Character similarity (rapidfuzz ``ratio``) ranks a
paraphrase below a same-story sentence that shares a long name; overlap of content words
cannot see that a number or a negation changed; sentence embeddings call most same-story
sentences similar.  :func:`probability` combines them in one logistic model:

=============  ===========================================================================
feature        meaning
=============  ===========================================================================
``ratio``      rapidfuzz ``ratio`` of the two texts' folded words (0-1)
``token_set``  rapidfuzz ``token_set_ratio`` (0-1): word overlap, order ignored
``token_sort`` rapidfuzz ``token_sort_ratio`` (0-1)
``dice``       rarity-weighted Dice overlap of content stems (0-1)
``q_cover``    rarity-weighted share of the query's content stems found in the passage
``p_cover``    rarity-weighted share of the passage's content stems found in the query
``length``     shorter / longer length in words
``numbers``    1 when a number of one text is missing from the other, else 0
``negation``   1 when one text is negated and the other is not, else 0
``cosine``     cosine of the two sentence embeddings (semantic tier only)
=============  ===========================================================================

The weights are plain numbers in ``scorer_params.json`` beside this module, fitted by
``benchmarks/fit_scorer.py`` on the *fit* half of MSRP train (never on the half that
``benchmarks/quality.py`` reports): one model without embeddings (``lexical``), one with
them (``semantic``).  The probability is that of an MSRP paraphrase; ``match`` reports it
as a 0-100 score and links a paraphrase from :data:`PARAPHRASE_MIN` on.

>>> round(similarity("The talks failed on Monday.", "On Monday the talks failed."), 2) > 0.8
True
>>> similarity("The talks failed on Monday.", "Penguins like cold water.") < 0.1
True
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from ..text._analysis import content_terms
from ..text._lexicon import has_digit, is_negation
from ..text._normalize import Token, tokenize

__all__ = [
    "FEATURES",
    "PARAPHRASE_MIN",
    "Side",
    "compare",
    "features",
    "model",
    "paraphrase_floor",
    "paraphrase_min",
    "probability",
    "side",
    "similarity",
    "translation_model",
]

FEATURES = (
    "ratio",
    "token_set",
    "token_sort",
    "dice",
    "q_cover",
    "p_cover",
    "length",
    "numbers",
    "negation",
    "cosine",
)
_PARAMS = Path(__file__).with_name("scorer_params.json")


def _content(tokens: Sequence[Token]) -> Counter[str]:
    return Counter(content_terms(tokens))


def _negated(words: Sequence[str]) -> bool:
    return sum(is_negation(w) for w in words) % 2 == 1


@dataclass(frozen=True)
class Side:
    """What :func:`features` needs of one of the two texts, computed once per text.

    A query compared with many passages keeps its side (see :func:`side`).
    """

    words: Sequence[str]
    joined: str
    content: Counter[str]
    total: float
    numbers: frozenset[str]
    negated: bool


def side(
    words: Sequence[str], content: Counter[str], weight: Callable[[str], float] | None = None
) -> Side:
    """One text's side of :func:`features`: its folded words and its content stems counted
    (``Counter(content_terms(tokens))``), weighed by ``weight`` (1 each without it).

    >>> side(["taxes", "rose", "3"], Counter(["tax", "rose", "3"])).numbers
    frozenset({'3'})
    """
    w = weight if weight is not None else (lambda _: 1.0)
    return Side(
        words=words,
        joined=" ".join(words),
        content=content,
        total=sum(n * w(t) for t, n in content.items()),
        numbers=frozenset(x for x in words if has_digit(x)),
        negated=_negated(words),
    )


def compare(
    q: Side, p: Side, weight: Callable[[str], float] | None = None, cosine: float | None = None
) -> dict[str, float]:
    """:func:`features` of two texts' sides (``weight`` as they were weighed with)."""
    w = weight if weight is not None else (lambda _: 1.0)
    pc = p.content
    shared = sum(min(n, pc[t]) * w(t) for t, n in q.content.items() if t in pc)
    q_total, p_total = q.total, p.total
    out = {
        "ratio": fuzz.ratio(q.joined, p.joined) / 100.0,
        "token_set": fuzz.token_set_ratio(q.joined, p.joined) / 100.0,
        "token_sort": fuzz.token_sort_ratio(q.joined, p.joined) / 100.0,
        "dice": 2.0 * shared / (q_total + p_total) if q_total + p_total else 0.0,
        "q_cover": shared / q_total if q_total else 0.0,
        "p_cover": shared / p_total if p_total else 0.0,
        "length": min(len(q.words), len(p.words)) / max(len(q.words), len(p.words), 1),
        "numbers": float(q.numbers != p.numbers),
        "negation": float(q.negated != p.negated),
    }
    if cosine is not None:
        out["cosine"] = float(cosine)
    return out


def features(
    query: Sequence[Token],
    passage: Sequence[Token],
    weight: Callable[[str], float] | None = None,
    cosine: float | None = None,
) -> dict[str, float]:
    """The signals comparing two token sequences (see the module's table).

    ``weight`` gives a content stem's rarity (``CorpusIndex.weight``); every stem weighs 1
    without it.  ``cosine`` is left out when None.

    >>> from quoteprov.text._normalize import tokenize
    >>> f = features(tokenize("Taxes rose 3%"), tokenize("Taxes rose 5%"))
    >>> f["numbers"], round(f["q_cover"], 2), "cosine" in f
    (1.0, 0.67, False)
    """
    q = side([t.norm for t in query], _content(query), weight)
    p = side([t.norm for t in passage], _content(passage), weight)
    return compare(q, p, weight, cosine)


@lru_cache(maxsize=1)
def _params() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_PARAMS.read_text(encoding="utf-8"))
    return data


def model(semantic: bool = False) -> dict[str, Any]:
    """The shipped parameters of one model: ``weights``, ``bias``, ``threshold`` and the
    precision/recall figures measured when it was fitted."""
    found: dict[str, Any] = _params()["semantic" if semantic else "lexical"]
    return found


def probability(signals: dict[str, float]) -> float:
    """The calibrated probability (0-1) that the passage says what the query says.

    Uses the semantic model when ``signals`` holds a ``cosine``, the lexical one
    otherwise.
    """
    params = model("cosine" in signals)
    z = float(params["bias"])
    for name, value in params["weights"].items():
        z += float(value) * signals[name]
    return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


def similarity(a: str, b: str, cosine: float | None = None) -> float:
    """:func:`probability` for two texts, every content word weighing the same."""
    return probability(features(tokenize(a), tokenize(b), None, cosine))


def translation_model() -> dict[str, Any]:
    """The shipped parameters of cross-lingual matching (``translation``: weights of the
    multilingual cosine and of differing figures, bias, threshold), fitted by
    ``benchmarks/translation.py`` on the fit side of its evaluation."""
    found: dict[str, Any] = _params()["translation"]
    return found


def paraphrase_min(semantic: bool = False) -> float:
    """Lowest score (100 × probability) at which a passage is a paraphrase of the query."""
    return 100.0 * float(model(semantic)["threshold"])


def paraphrase_floor(semantic: bool = False) -> float:
    """Lowest score at which a passage carries part of what the query says: reported as
    ``partial``, or as a paraphrase when it is an attributed quotation."""
    return 100.0 * float(model(semantic)["floor"])


PARAPHRASE_MIN = paraphrase_min(False)
"""The lexical model's paraphrase threshold (the semantic model has its own)."""
