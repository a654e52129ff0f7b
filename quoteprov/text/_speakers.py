"""Speaker names: the forms of one person's name folded into one speaker.

News writes one person many ways: "Miguel Díaz-Canel", "Cuban President Miguel
Díaz-Canel", "Díaz-Canel", "Diaz-Canel".  :func:`speaker_aliases` groups the names of a
corpus' speakers so that each person gets one speaker node:

* names compare in the folded form (case, accents, dash styles and hyphens ignored), without
  titles and roles ("President", "Sen.", "Foreign Ministry spokeswoman") or a
  possessive;
* a shorter name joins a longer one when its words end the longer one ("Díaz-Canel" →
  "Miguel Díaz-Canel") and that longer name is the only one it could be: with both
  "Hillary Clinton" and "Bill Clinton" in the corpus, a bare "Clinton" stays on its own;
* descriptions and pronouns ("the statement", "a spokesperson", "he") are no names and
  stay as they are; a sentence adverb before a name ("Meanwhile Bob Lee") is no part of
  it.  A description that starts with a determiner names no one (:func:`names_someone`);
  a named organisation ("North Korea's Foreign Ministry") does.

The canonical name shown is the most complete form, spelled as most often written (a
form in capitals only when there is no other), with accents preferred ("Díaz-Canel"
over "Diaz-Canel").

>>> aliases = speaker_aliases(["Diaz-Canel", "Miguel Díaz-Canel", "Díaz-Canel",
...                            "President Miguel Díaz-Canel", "the statement"])
>>> aliases["Diaz-Canel"], aliases["President Miguel Díaz-Canel"], aliases["the statement"]
('Miguel Díaz-Canel', 'Miguel Díaz-Canel', 'the statement')
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from ._lexicon import SENTENCE_ADVERBS, TITLES
from ._normalize import fold

__all__ = [
    "name_key",
    "names_someone",
    "same_speaker",
    "speaker_aliases",
]

_NOT_NAMES = frozenset(
    """he she they it we i you the a an this that these those his her their its our my
    some several many officials sources source statement""".split()
)

# words that lead a speaker's name and are no part of it: 'Former President X', 'Sir X',
# 'Cuban President X'
_TITLES = TITLES | frozenset(
    "first former foreign ministry cuban supreme sir dame lord lady".split()
)


def name_key(name: str) -> tuple[str, ...]:
    """The words that name a person, folded, titles and possessive dropped; ``()`` when
    ``name`` is a description or a pronoun rather than a name.

    >>> name_key("Cuban President Miguel Díaz-Canel's")
    ('miguel', 'diaz', 'canel')
    >>> name_key("a spokesperson"), name_key("Meanwhile Bob Lee")
    ((), ('bob', 'lee'))
    """
    words = name.replace("’", "'").split()
    if not words or not all(w[:1].isupper() for w in words):
        return ()
    # a hyphen joins the parts of one name: "Díaz-Canel" is "Diaz Canel" without it
    folded = [
        part
        for w in words
        for part in fold(w).strip(".,;:'\"").removesuffix("'s").replace("-", " ").split()
    ]
    while len(folded) > 1 and folded[0] in SENTENCE_ADVERBS:
        folded = folded[1:]  # 'Meanwhile Bob Lee'
    if folded[0] in _NOT_NAMES:
        return ()
    while folded and folded[0] in _TITLES:
        folded = folded[1:]
    return tuple(w for w in folded if w)


_DETERMINERS = frozenset(
    """the a an this that these those some several many another one each every any no
    his her their its our my your""".split()
)


def names_someone(name: str) -> bool:
    """Whether a speaker's words name someone: not a pronoun, and no description that
    starts with a determiner ("the official", "a spokesperson for the ministry"), which
    may stand for a different person in every document.

    >>> names_someone("Ursula von der Leyen"), names_someone("North Korea's Foreign Ministry")
    (True, True)
    >>> names_someone("The official"), names_someone("a spokesperson for Exxon")
    (False, False)
    """
    words = [fold(w).strip(".,;:'\"") for w in name.replace("’", "'").split()]
    while len(words) > 1 and words[0] in SENTENCE_ADVERBS:
        words = words[1:]
    return bool(words) and words[0] not in _DETERMINERS and words[0] not in _NOT_NAMES


def _display(forms: Counter[str]) -> str:
    """The form to show: not in capitals (a headline's), most frequent, then with
    accents, then hyphenated ("Díaz-Canel" over "Díaz Canel"), then longest."""

    def rank(form: str) -> tuple[bool, int, int, int, int, str]:
        shouted = form.isupper()
        accents = fold(form) != form.lower()
        return (shouted, -forms[form], -accents, -form.count("-"), -len(form), form)

    return min(forms, key=rank)


def speaker_aliases(names: Iterable[str]) -> dict[str, str]:
    """Map every name in ``names`` to the canonical name of its speaker.

    Names that are not a person's name map to themselves.
    """
    names = list(names)
    keys = {n: name_key(n) for n in names}
    full: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for n in names:
        if keys[n]:
            full[keys[n]][n] += 1
    # a key joins the single longer key it ends
    target: dict[tuple[str, ...], tuple[str, ...]] = {}
    for key in full:
        longer = [other for other in full if len(other) > len(key) and other[-len(key) :] == key]
        maximal = [
            o for o in longer if not any(len(x) > len(o) and x[-len(o) :] == o for x in longer)
        ]
        target[key] = maximal[0] if len(maximal) == 1 else key
    groups: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for key, forms in full.items():
        groups[target[key]].update(forms)
    out: dict[str, str] = {}
    for n in names:
        key = keys[n]
        if not key:
            out[n] = n
            continue
        root = target[key]
        # show the most complete form: the names whose key is the group's own
        complete = Counter({f: c for f, c in groups[root].items() if keys[f] == root})
        out[n] = _display(Counter({" ".join(_strip_titles(f)): c for f, c in complete.items()}))
    return out


def _strip_titles(name: str) -> list[str]:
    words = name.split()
    while len(words) > 1 and fold(words[0]).strip(".") in _TITLES:
        words = words[1:]
    return words


def same_speaker(a: str | None, b: str | None) -> bool:
    """Whether two speaker names may name the same person: equal folded, or one name's
    words end the other's ("Díaz-Canel" / "Miguel Diaz-Canel").

    >>> same_speaker("Díaz-Canel", "Cuban President Miguel Diaz-Canel")
    True
    >>> same_speaker("Hillary Clinton", "Bill Clinton"), same_speaker("he", "Trump")
    (False, False)
    """
    if a is None or b is None:
        return False
    if fold(a) == fold(b):
        return True
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    short, long = sorted((ka, kb), key=len)
    return long[-len(short) :] == short
