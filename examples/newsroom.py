"""A synthetic news corpus for ``02_corpus_provenance.ipynb``, built from the seeds' quotations.

Seven statements quoted in the seed documents each start a story: a wire service publishes
the statement first, then a few dozen articles from other outlets over the following days
quote it verbatim, trimmed, lightly edited, or with a number or a negation changed, and some
copy whole sentences from an earlier article.  The rest of each article is fresh text from a
small random grammar.  Everything is reproducible from ``seed``.

>>> docs = make_corpus(40, seed=1)
>>> len(docs), sorted(docs[0])
(40, ['id', 'published', 'source', 'text', 'title'])
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import quoteprov as qp

WIRE = "Global Wire"
OUTLETS = [
    "Daily Ledger", "Harbor Times", "Evening Post", "Metro Herald", "North Star",
    "Civic Review", "Pacific Courier", "Morning Bulletin",
]  # fmt: skip
# (speaker, the first words of what they said in a seed document)
STATEMENTS = [
    ("North Korea's Foreign Ministry", "We are confident that Cuba would smash"),
    ("North Korea's Foreign Ministry", "We express our full support"),
    ("Joe Biden", "There are a number of things"),
    ("Miguel Díaz-Canel", "If President Joseph Biden had sincere"),
    ("Maria Zakharova", "And if Washington really is concerned"),
    ("Zhao Lijian", "China firmly opposes foreign interference"),
    ("Saeed Khatibzadeh", "In this situation, where the United States"),
]
EDITS = {
    "confident": "sure", "smash": "crush", "full": "complete", "sincere": "genuine",
    "firmly": "strongly", "really": "truly", "help": "assist", "start": "begin",
    "primarily": "mainly", "important": "key", "different": "new", "overcome": "surmount",
}  # fmt: skip
ALTER = {"243": "234", "11": "12", "is": "is not", "would": "would not", "can": "cannot"}
FIRST = "Ana Li Omar Sofia Carlos Yuna Tomas Amara Elena Kenji Lucia Ivan Nadia Pablo Mei Raul"
LAST = "Ruiz Wei Haddad Petrova Mena Park Novak Obi Duarte Sato Ferrer Sokolov Karim Ortega Chen"
PLACES = (
    "Havana, Santiago, Camagüey, Holguín, Matanzas, Cienfuegos, Trinidad, Pinar del Río, Bayamo,"
    " Guantánamo, Santa Clara, Varadero, Las Tunas, Baracoa, Manzanillo, Cárdenas, Morón,"
    " Jovellanos, Remedios, Gibara, Nuevitas, Colón, Sagua, Banes, Moa"
).split(", ")
ADJECTIVES = (
    "old new busy quiet crowded empty famous small large central northern southern coastal"
    " rural modern historic private public popular shabby elegant narrow tiny huge dusty"
    " bright gloomy colourful wooden stone"
)
NOUNS = (
    "bakery ferry clinic harbour library market orchard school stadium factory pharmacy"
    " railway bridge museum theatre warehouse garage hotel airport farm brewery cinema dairy"
    " laundry mill quarry sawmill shipyard vineyard workshop bookshop café canteen chapel"
    " foundry greenhouse hospital kiosk lighthouse nursery pier plaza pottery reservoir studio"
)
VERBS = (
    "reopened closed expanded repainted flooded sold renamed rebuilt inspected cleaned"
    " modernised abandoned restored extended relocated insured audited demolished rewired"
)
TIMES = (
    "last week, on Monday, on Tuesday, on Wednesday, on Thursday, on Friday, at the weekend,"
    " last month, in spring, in March, in April, in May, in June, overnight, this morning"
).split(", ")
GROUPS = "fishermen students pensioners shopkeepers doctors farmers drivers musicians nurses"


def _filler(rng: random.Random) -> str:
    """One sentence of fresh local news; its words rarely repeat another sentence's."""

    def pick(words: str | list[str]) -> str:
        return rng.choice(words.split() if isinstance(words, str) else words)

    name, n = f"{pick(FIRST)} {pick(LAST)}", rng.randint(12, 4000)
    adj, noun, place, verb, when = (pick(w) for w in (ADJECTIVES, NOUNS, PLACES, VERBS, TIMES))
    forms = [
        f"{name}, who runs the {adj} {noun} in {place}, said it was {verb} {when}.",
        f"The {adj} {noun} near the {pick(NOUNS)} in {place} was {verb} {when}, according to "
        f"{n} {pick(GROUPS)}.",
        f"Some {n} {pick(GROUPS)} gathered outside the {adj} {noun} of {place} {when}.",
        f"In {place}, the {noun} was {verb} after {n % 90 + 2} years, {name} said.",
    ]
    return rng.choice(forms)


def _statements() -> list[tuple[str, str]]:
    corpus = qp.Corpus.seeds()
    quotes = [q.content.rstrip(".,") for doc in corpus for q in qp.extract_quotes(doc.text)]
    return [(who, next(q for q in quotes if q.startswith(start))) for who, start in STATEMENTS]


def _variant(quote: str, rng: random.Random) -> str:
    words = quote.split()
    roll = rng.random()
    if roll < 0.15:  # trimmed
        words = words[: max(6, int(len(words) * rng.uniform(0.5, 0.8)))]
    elif roll < 0.35:  # lightly edited
        words = [EDITS.get(w, w) if rng.random() < 0.7 else w for w in words]
    elif roll < 0.42:  # a number or a negation changed
        n = next((i for i, w in enumerate(words) if w in ALTER), None)
        if n is not None:
            words[n] = ALTER[words[n]]
    return " ".join(words).rstrip(".,")


def _attributed(quote: str, speaker: str, rng: random.Random) -> str:
    form = rng.randrange(3)
    if form == 0:
        return f"“{quote},” {speaker} said."
    if form == 1:
        return f"{speaker} said: “{quote}.”"
    return f"According to {speaker}, “{quote}.”"


def make_corpus(n_docs: int = 300, *, seed: int = 7) -> list[dict[str, Any]]:
    """``n_docs`` article records (id, title, source, published, text), oldest story first."""
    rng = random.Random(seed)
    statements = _statements()
    start = dt.date(2021, 7, 12)
    docs: list[dict[str, Any]] = []
    per_story = max(2, n_docs // len(statements))
    for s, (speaker, quote) in enumerate(statements):
        day0 = start + dt.timedelta(days=2 * s)
        story: list[list[str]] = []
        for k in range(per_story if s < len(statements) - 1 else n_docs - len(docs)):
            origin = k == 0
            narrative = [_filler(rng) for _ in range(rng.randint(3, 6))]
            if story and rng.random() < 0.25:  # copy sentences from an earlier article
                narrative[:2] = rng.choice(story)[:2]
            story.append(narrative)
            said = _attributed(quote if origin else _variant(quote, rng), speaker, rng)
            body = [*narrative[:2], said, *narrative[2:]]
            published = day0 + dt.timedelta(days=0 if origin else 1 + 9 * k // per_story)
            docs.append(
                {
                    "id": f"s{s}-{k:03d}",
                    "title": f"{speaker}: “{' '.join(quote.split()[:6])}…”",
                    "source": WIRE if origin else rng.choice(OUTLETS),
                    "published": published.isoformat(),
                    "text": " ".join(body),
                }
            )
    return docs
