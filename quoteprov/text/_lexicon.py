"""The word lists, defined once: stopwords, negations, numbers, titles, roles, reporting verbs.

Words are in comparison form (:func:`quoteprov.text._normalize.tokenize`'s ``norm``: folded,
straight apostrophes).

>>> is_negation("don't"), is_negation("know")
(True, False)
>>> is_number("ten"), has_digit("ten"), number_value("5,000")
(True, False, '5000')
"""

from __future__ import annotations

import re
from types import MappingProxyType

__all__ = [
    "CUE_VERBS",
    "DOCUMENT_NOUNS",
    "IDIOM_CUES",
    "NEGATIONS",
    "NOUNISH_CUES",
    "NUMBER_WORDS",
    "ORGANISATION_HEADS",
    "ORGANISATION_NOUNS",
    "POINT_FORMS",
    "REPORTING_VERBS",
    "ROLES",
    "ROLE_FORMS",
    "SENTENCE_ADVERBS",
    "SPOKESPERSON_NOUNS",
    "STOPWORDS",
    "TITLES",
    "has_digit",
    "inflect",
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

ROLE_FORMS = MappingProxyType(
    {
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
)
"""Roles a description speaker may name ("the senator", "the Florida senator"), with the
forms a name may carry them in ("Sen. Marco Rubio"): the description stands for the one
person the text names nearby in that role."""

IDIOM_CUES = MappingProxyType({"put": "it", "puts": "it"})
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


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# -- people and bodies ----------------------------------------------------------------------

TITLES = _words(
    """president vice prime minister secretary senator sen rep representative congressman
    congresswoman gov governor mayor chancellor premier ambassador director chairman
    chairwoman chair leader general gen col lt capt sgt adm dr mr mrs ms mx prof professor
    judge justice pope king queen prince princess sheikh chief ceo spokesman spokeswoman
    spokesperson commissioner deputy comrade rev"""
)
"""Titles and offices before a person's name ('President', 'Sen.', 'Dr'), folded."""

ROLES = TITLES | _words(
    """official officials adviser advisor aide analyst attorney lawyer candidate nominee
    economist strategist manager founder editor correspondent reporter envoy head member
    prosecutor activist researcher expert diplomat host author columnist anchor"""
)
"""What a speaker may be described as: a title, or a role ('an aide', 'the analyst')."""

ORGANISATION_HEADS = _words(
    """ministry department house office agency council committee party government
    commission court police army times post news network service bureau administration
    embassy campaign group union assembly foundation institute university association
    company corporation board senate congress parliament"""
)
"""Last words of a body's name ('the Foreign Ministry', 'the White House')."""

SENTENCE_ADVERBS = _words(
    """then meanwhile however but and also still now later earlier yesterday today tonight
    tomorrow so yet thus instead nevertheless nonetheless moreover furthermore besides
    separately afterwards afterward finally eventually again indeed likewise similarly"""
)
"""Sentence adverbs a name taken from the start of a sentence may still carry
('Meanwhile Bob Lee told reporters')."""


# -- reporting verbs --------------------------------------------------------------------------

_IRREGULAR = MappingProxyType(
    {
        "say": "says said saying",
        "tell": "tells told telling",
        "write": "writes wrote written writing",
        "speak": "speaks spoke spoken speaking",
        "read": "reads reading",
    }
)
_REGULAR = _words(
    """add argue assert declare tweet post note explain insist claim warn stress emphasize
    emphasise continue conclude reply respond ask announce acknowledge accuse denounce comment
    remark urge recall admit confirm deny reiterate vow report suggest predict caution complain
    counter concede contend observe maintain boast joke quip shout yell whisper scream exclaim
    testify promise pledge threaten allege agree lament wonder demand proclaim affirm reveal
    disclose retort muse recount interject advise propose recommend question condemn criticize
    criticise praise decry hail mock quote cite lambaste charge answer chant"""
)
_DOUBLED = _words("admit quip regret")  # admitted, quipped


def inflect(base: str) -> set[str]:
    """A regular verb's forms: base, third person, past and present participle.

    >>> sorted(inflect("deny")), sorted(inflect("quip"))
    (['denied', 'denies', 'deny', 'denying'], ['quip', 'quipped', 'quipping', 'quips'])
    """
    if base.endswith("e"):
        return {base, base + "s", base + "d", base[:-1] + "ing"}
    if base.endswith("y") and base[-2] not in "aeiou":
        return {base, base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    stem = base + base[-1] if base in _DOUBLED else base
    plural = base + ("es" if base.endswith(("s", "sh", "ch", "x", "z")) else "s")
    return {base, plural, stem + "ed", stem + "ing"}


CUE_VERBS = frozenset(
    {form for base in _REGULAR for form in inflect(base)}
    | {form for base, forms in _IRREGULAR.items() for form in [base, *forms.split()]}
    | _words("states stated stating")  # not "state": "a failed state"
)
"""Verbs that introduce direct speech ('said', 'tweeted', 'warns'), every form."""
POINT_FORMS = _words("point points pointed pointing")  # "pointed out"
# verbs of a reporting clause around a partial quotation, never cues of direct speech
# ('a group called "…"' names a group): 'X called it "…"', 'X described the plan as "…"'
REPORTING_VERBS = frozenset(
    {
        form
        for base in _words(
            """call describe refer label dub brand term characterize characterise think
            believe feel vow hope tout slam blast dismiss defend"""
        )
        for form in inflect(base)
    }
    | _words("dubbed labelled referred branded thought felt")
)
# forms as often nouns as verbs: cues only in lower case right after a name or a pronoun
NOUNISH_CUES = _words(
    """post posts report reports note notes comment comments remark remarks claim claims
    counter counters promise promises pledge pledges joke jokes stress demand demands
    reply replies vow vows tweet tweets charge charges point points states question
    questions quote quotes praise hail mock answer answers"""
)
