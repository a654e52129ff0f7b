"""The word lists that matching relies on, defined once: stopwords, negations, numbers.

Words are in comparison form (:func:`quoteprov.text._normalize.tokenize`'s ``norm``: folded,
straight apostrophes).

>>> is_negation("don't"), is_negation("know")
(True, False)
>>> is_number("ten"), has_digit("ten"), number_value("5,000")
(True, False, '5000')
"""

from __future__ import annotations

import re

__all__ = [
    "DOCUMENT_NOUNS",
    "IDIOM_CUES",
    "NEGATIONS",
    "NUMBER_WORDS",
    "ORGANISATION_NOUNS",
    "ROLE_FORMS",
    "SPOKESPERSON_NOUNS",
    "STOPWORDS",
    "has_digit",
    "is_negation",
    "is_number",
    "number_value",
]

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself now of off on once only or other our ours ourselves
    out over own same she should so some such than that the their theirs them themselves then
    there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours yourself yourselves also said says
    say told 's""".split()
)
"""Words that carry no content for the index.  Negations and numbers are content however
common: they change what a quotation says."""

DOCUMENT_NOUNS = frozenset(
    """statement release communique communiqué readout proclamation declaration
    announcement letter memo memorandum report editorial transcript""".split()
)
"""Nouns of a text someone issued: a speaker "the statement" stands for whoever issued
the statement the text introduced, and another of these nouns in between ("a
proclamation … the statement") is another text."""

ORGANISATION_NOUNS = frozenset(
    """ministry department agency office embassy campaign committee commission council
    government administration party company court bureau authority""".split()
)
"""Nouns that end a named organisation ("the Foreign Ministry", "the Clinton campaign"):
a speaker "the ministry" stands for the one ministry the text names nearby."""

SPOKESPERSON_NOUNS = frozenset(
    """spokesman spokeswoman spokesperson official representative diplomat aide adviser
    advisor""".split()
)
"""Roles of someone who speaks for an organisation: a speaker "the spokeswoman" stands
for the spokeswoman the text names nearby ("spokeswoman Maria Zakharova"), or for the
organisation when the text introduced her without a name ("a spokesperson for the
Foreign Ministry"); "the official" for any of these."""

ROLE_FORMS = {
    "president": ("president",),
    "senator": ("senator", "sen."),
    "governor": ("governor", "gov."),
    "representative": ("representative", "rep."),
    "congressman": ("congressman", "rep."),
    "congresswoman": ("congresswoman", "rep."),
    "mayor": ("mayor",),
    "minister": ("minister",),
    "secretary": ("secretary",),
    "ambassador": ("ambassador",),
    "candidate": ("candidate",),
    "nominee": ("nominee",),
    "chairman": ("chairman",),
    "chairwoman": ("chairwoman",),
    "judge": ("judge",),
}
"""Roles a description speaker may name ("the senator", "the Florida senator"), with the
forms a name may carry them in ("Sen. Marco Rubio"): the description stands for the one
person the text names nearby in that role."""

IDIOM_CUES = {"put": "it", "puts": "it"}
"""Verbs that report speech only with the word that follows them, and that word: 'as
Ana Ruiz put it, "…"' (the first word in lower case, the second as written)."""

NEGATIONS = frozenset(
    """not no never none nobody nothing neither nor nowhere without cannot n't can't won't
    don't doesn't didn't isn't aren't wasn't weren't hasn't haven't hadn't shouldn't wouldn't
    couldn't mustn't""".split()
)
"""Negating words; any word ending in "n't" negates too (:func:`is_negation`)."""

# spelled numbers with their value ('ten' and '10' agree), then words that make a number
_SPELLED = {
    w: str(n)
    for n, w in enumerate(
        """zero one two three four five six seven eight nine ten eleven twelve thirteen
        fourteen fifteen sixteen seventeen eighteen nineteen twenty""".split()
    )
} | {
    w: str(10 * n)
    for n, w in enumerate("thirty forty fifty sixty seventy eighty ninety".split(), 3)
}
NUMBER_WORDS = frozenset(_SPELLED) | frozenset(
    """hundred thousand million billion trillion dozen dozens half quarter first second
    third fourth fifth""".split()
)
"""Words that state a number."""

_DIGIT = re.compile(r"\d")


def is_negation(word: str) -> bool:
    """Whether ``word`` negates: a negation word or a contraction ending in "n't"."""
    return word in NEGATIONS or word.endswith("n't")


def has_digit(word: str) -> bool:
    """Whether ``word`` is written with a digit ('40%', '5,000', '2021-07-16')."""
    # a word of letters alone holds no digit (no character is both): the common case
    return not word.isalpha() and any(c.isdigit() for c in word)


def is_number(word: str) -> bool:
    """Whether ``word`` states a number, in digits or in words."""
    return bool(_DIGIT.search(word)) or word in NUMBER_WORDS


def number_value(word: str) -> str:
    """The number a word stands for, so that '10' and 'ten' or '5,000' and '5000' agree.

    >>> number_value("ten"), number_value("5,000"), number_value("million")
    ('10', '5000', 'million')
    """
    if _DIGIT.search(word):
        return word.replace(",", "")
    return _SPELLED.get(word, word)
