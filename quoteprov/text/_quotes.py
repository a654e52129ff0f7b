"""Direct quotations, their speakers and cue verbs (pipeline stage "quotes").

:func:`extract_quotes` finds the top-level quotations of one text in three steps:

1. **Marks.** One scan pairs quotation marks paragraph by paragraph with a stack:
   “…”, "…", ‘…’, '…', «…», „…“, „…”, 「…」, 『…』 and ASCII ``…'' / ''…''; straight and
   curly double marks may close each other ("…” typed by hand).  Straight marks are read
   by context (after a space, bracket or dash and before a word: opening; after a word
   and before a space or punctuation: closing), then by alternation.  A mark between two
   letters (``it's``, ``Kim Jong Un’s``) is an apostrophe; a closing single mark with
   no open single quotation (``the Castros’ regime``) is one too.  Quotations nested in
   another stay inside it.  A mark that reopens the same kind of quotation while one
   is open (``"A "B"``) drops the earlier, unclosed one.  Every line break ends a
   paragraph but a single one that hard-wraps a double-mark quotation: one that breaks
   off a line inside a sentence, not before a blank line, when the quotation closes
   within six more lines (``"We will build the new\\nbridge first,"``).
2. **Unbalanced marks.**  A paragraph ends every quotation.  An unclosed double-mark
   quotation still counts, running to the end of its paragraph, when its mark opens a
   paragraph or a clause (after ``:``, ``,``, a full stop or a dash) right before a word,
   and the rest of the paragraph has at least ``UNCLOSED_MIN_WORDS`` words
   (:mod:`quoteprov.text._marks`, which pairs the marks) and ends like a sentence (news
   convention: a quotation continued in the next paragraph is not closed).  Any other
   unclosed mark is ignored, as is a mark with no words after it.
3. **Joining and attribution.**  Two quotations of one paragraph are one interrupted
   quotation when the text between them is a short attribution (a cue verb and its
   speaker) ending with a comma or colon, and the first quotation ends with a comma
   or dash (or the attribution starts with a comma): ``"A," he said, "B."``.  The
   speaker and cue come from the words right after the quotation (``, said X``,
   ``, X said``, ``, according to X``), else from the cue verb at most ten words before
   it in its sentence (``X said that … "…"``, ``X, the minister, has acknowledged "…"``,
   ``…, asserting "…"`` → the sentence's subject), else from ``X:`` or a paragraph
   ending ``X said:`` right before it.  A role before a name keeps the name (``Foreign
   Ministry spokeswoman Maria Zakharova`` → ``Maria Zakharova``), and a sentence adverb
   before it is dropped (``Meanwhile Bob Lee told reporters`` → ``Bob Lee``).  A pronoun
   takes the person it refers to (:class:`_Pronouns`): he/she the most recent person
   named as an earlier quotation's speaker or as a sentence's subject just before
   (``"…," said Lee. Anna Kim disagreed. "…," she said.`` → Anna Kim), never one the
   text has already called by the other pronoun; a pronoun that refers to nobody named
   leaves the speaker None (the pronoun stays in ``speaker_span``: the quotation is
   attributed, to no one the text names).  A quotation standing alone as a sentence right after a
   quotation with a speaker inherits that speaker (cue None).

>>> quotes = extract_quotes('"We won," Ana Díaz said. "It is early," she added, "but we will."')
>>> [(q.content, q.speaker, q.cue) for q in quotes]
[('We won,', 'Ana Díaz', 'said'), ('It is early, but we will.', 'Ana Díaz', 'added')]
>>> quotes[1].speaker_span.text
'she'
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import NamedTuple

from .._models import Quote, Sentence, Span
from ._lexicon import (
    CUE_VERBS,
    DOCUMENT_NOUNS,
    IDIOM_CUES,
    NOUNISH_CUES,
    ORGANISATION_HEADS,
    ORGANISATION_NOUNS,
    POINT_FORMS,
    REPORTING_VERBS,
    ROLE_FORMS,
    ROLES,
    SENTENCE_ADVERBS,
    SPOKESPERSON_NOUNS,
    TITLES,
)
from ._marks import WORD, Segment, find_segments
from ._segment import split_sentences
from ._speakers import name_key, same_speaker

__all__ = ["extract_quotes"]

_GAP_MAX = 10  # words allowed between a cue verb and the quotation it introduces
_NP_MAX = 10  # words in a speaker's noun phrase
_CONTEXT = 300  # characters of context looked at on each side of a quotation

# ---------------------------------------------------------------------------- lexicons


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


_PARTICIPLE_AUX = _words("is was were are be been being")
_FILLERS = _words(
    """has have had will would could did does do may might can should must also further
    later then again once still even too already"""
)
_GO = _words("go goes went going")
_CONJUNCTIONS = _words("and but so then yet also still")
_PRONOUNS = _words("he she they it")
_SPEAKING_PRONOUNS = _PRONOUNS | _words("i we you")
_ARTICLES = _words("the a an this that these those his her its their our my your every each no")
_DETERMINERS = _words(
    """the a an this that these those his her its their our my your some many several both
    each every another other one two three four five most all no any"""
)
_TIME = _words(
    """monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december jan feb mar apr jun jul aug sep
    sept oct nov dec yesterday today tonight tomorrow now"""
)
_BOUNDARY = _TIME | _words(
    """that which who whom whose when where while because since but and or so if as after
    before though although than whether until unless nor yet"""
)
_PREPOSITIONS = _words(
    """in on at during after before while when as since about via through following amid
    ahead earlier later with without under over into onto by from to of for adding according"""
)
# words that end a speaker named after its cue: "said X in a statement on Friday"
_FORWARD_STOP = (_BOUNDARY | _PREPOSITIONS | _words("this last")) - _words("of for from")
_APPOSITIVE = _words("the a an who which whose one also himself herself")
_ADVERBIAL = (
    _PREPOSITIONS
    | _TIME
    | _words("however meanwhile still also then separately later earlier now but and so yet")
)
# sentence adverbs that open a sentence before its subject and are no part of a name:
# 'Meanwhile Bob Lee told reporters', 'Then John Roe answered'
# 'Secretary of State X': "state" is a title only here, where a name follows
_TITLES = TITLES | _words("state")
_ROLES = ROLES | _TITLES
_ORG_HEADS = ORGANISATION_HEADS
_LEADING = SENTENCE_ADVERBS | _words("monday tuesday wednesday thursday friday saturday sunday")
_NOT_LAST = _ORG_HEADS | _ROLES  # a run of capitals ending so names a body or a role
_PARTICLES = _words("de da del della der di du van von bin ibn al el la le y dos das")
_STRIP = "\"'“”‘’‛«»„‚「」『』‹›()[]{}<>.,;:!?—–―-…*•"


class _Tok(NamedTuple):
    start: int  # of the word itself, punctuation stripped
    end: int
    core: str
    low: str
    trail: str  # punctuation right after the word ("," "." ...)
    lead: str  # punctuation right before it


_TOKEN = re.compile(r"\S+")


def _tokens(text: str, lo: int, hi: int) -> list[_Tok]:
    """Words of ``text[lo:hi]`` with the punctuation around each; short parentheticals
    ('Sen. Alma Ruiz (D-Ore.) said') are left out."""
    toks: list[_Tok] = []
    paren = 0  # words left to skip inside a parenthesis
    for m in _TOKEN.finditer(text, lo, hi):
        raw = m.group()
        if raw.startswith("(") and ")" in text[m.start() : m.start() + 40]:
            paren = 6
        if paren:
            paren -= 1
            if ")" in raw:
                paren = 0
                after = raw[raw.rindex(")") + 1 :]
                if toks and after:  # 'Johnson (R-Wis.), said': keep the comma
                    toks[-1] = toks[-1]._replace(trail=toks[-1].trail + after)
            continue
        core = raw.strip(_STRIP)
        lead = len(raw) - len(raw.lstrip(_STRIP))
        if not core:
            # a lone dash or comma still separates clauses
            toks.append(_Tok(m.start(), m.start(), "", "", raw, ""))
            continue
        start = m.start() + lead
        end = start + len(core)
        toks.append(_Tok(start, end, core, core.lower(), raw[lead + len(core) :], raw[:lead]))
    return toks


def _cue_at(toks: list[_Tok], i: int) -> int:
    """Number of tokens of the cue starting at ``toks[i]`` (0 when there is none)."""
    tok = toks[i]
    nxt = toks[i + 1].low if i + 1 < len(toks) and not tok.trail else ""
    if tok.low == "according":
        return 2 if nxt == "to" else 0
    if tok.low in POINT_FORMS:
        return 2 if nxt == "out" else 0
    if tok.low in IDIOM_CUES:  # 'as Ana Ruiz put it, "…"', not 'put it on the table'
        ends = i + 1 < len(toks) and toks[i + 1].trail[:1] in {",", ":"}
        return 2 if nxt == IDIOM_CUES[tok.low] and ends else 0
    if tok.low in _GO:  # 'She went on: "…"' (not 'went on to')
        return 2 if nxt == "on" and toks[i + 1].trail[:1] in {":", ","} else 0
    if tok.low not in CUE_VERBS or tok.core.startswith("Q_"):
        return 0
    if tok.low in NOUNISH_CUES and not tok.core.islower():
        return 0
    return 1


def _is_cap(tok: _Tok) -> bool:
    return bool(tok.core) and tok.core[0].isupper()


def _np_ok(np: list[_Tok]) -> bool:
    """Whether tokens look like a noun phrase naming a speaker."""
    if not np or len(np) > _NP_MAX or any(not t.core or t.core.startswith("Q_") for t in np):
        return False
    first, last = np[0], np[-1]
    if first.low in _BOUNDARY or first.low in _PREPOSITIONS:
        return False
    if len(np) == 1 and not _is_cap(first) and first.low.endswith(("ing", "ed")):
        return False  # "dismissing claims by ..." is no speaker
    if last.low in _ARTICLES or last.low in _PREPOSITIONS or last.low in _FILLERS:
        return False
    return not any(c.isdigit() for c in first.core)


def _speaker_part(np: list[_Tok]) -> list[_Tok]:
    """The words that name the speaker: a person's name after a role, else the phrase."""
    for i, tok in enumerate(np[:-1]):
        if tok.trail.startswith((",", "—", "–", "―")):
            np = np[: i + 1]  # "Trump, the nominee, said": the head before the appositive
            break
    k = _capitals_from(np)
    while k < len(np) and np[k].low in _PARTICLES:
        k += 1
    run = np[k:]
    if not run or run[-1].low in _ORG_HEADS:
        return np
    titles = [i for i, tok in enumerate(run[:-1]) if tok.low in _TITLES]
    if titles:
        return run[titles[-1] + 1 :]
    if k > 0 and np[k - 1].low in _ROLES:
        return run
    if k >= 2 and np[0].low in _ARTICLES and all(_adjective(t) for t in np[1:k]):
        return run  # 'an angry Ana Ruiz': the name, not how the writer saw her
    return np


def _adjective(tok: _Tok) -> bool:
    """Whether a word in lower case before a name may describe it ('an angry Ana Ruiz'),
    not make it the object of a role ('a spokesman for the Port Authority')."""
    return tok.core.islower() and tok.low not in _PREPOSITIONS and tok.low not in _ROLES


def _capitals_from(words: Sequence[_Tok]) -> int:
    """Where the run of capitalised words (and name particles inside it) ending
    ``words`` starts: 'the Foreign Minister Ana de la Cruz' → the index of 'Foreign'."""
    k = len(words)
    while k > 0 and (_is_cap(words[k - 1]) or (words[k - 1].low in _PARTICLES and k < len(words))):
        k -= 1
    return k


class _Attribution(NamedTuple):
    speaker: tuple[int, int]
    cue: str | None
    end: int  # where the attribution's words end (for joining)
    # found by a reporting clause around a partial quotation: not a later pronoun's referent
    # ('X wrote after Biden called Cuba a "failed state". "…," he added': X, not Biden)
    weak: bool = False


def _cue_text(text: str, toks: list[_Tok], i: int, n: int) -> str:
    return text[toks[i].start : toks[i + n - 1].end]


def _forward_np(toks: list[_Tok], i: int) -> list[_Tok]:
    """The noun phrase starting at ``toks[i]`` ('said X in a statement': X)."""
    np: list[_Tok] = []
    for tok in toks[i:]:
        if not tok.core or tok.low in _FORWARD_STOP or len(np) >= _NP_MAX:
            break
        np.append(tok)
        if (tok.trail and not _abbreviation(tok)) or tok.lead:
            break
    return np


def _make(np: list[_Tok], cue: str | None) -> _Attribution | None:
    """The attribution to a noun phrase, or None when it names no speaker."""
    while len(np) > 1 and np[0].low in _LEADING and not np[0].trail:
        np = np[1:]  # 'Meanwhile Bob Lee told reporters'
    if not _np_ok(np):
        return None
    part = _speaker_part(np)
    return _Attribution((part[0].start, part[-1].end), cue, np[-1].end)


def _breaks_clause(tok: _Tok) -> bool:
    return any(mark in tok.trail for mark in ",;:—–―")


def _abbreviation(tok: _Tok) -> bool:
    """'U.S.', 'Gen.', 'A.': a full stop that ends no sentence."""
    return tok.trail == "." and ("." in tok.core or len(tok.core) <= 2 or tok.low in _TITLES)


def _ends_sentence(tok: _Tok) -> bool:
    mark = tok.trail[:1]
    if mark == ".":
        return not (_abbreviation(tok) or tok.trail[1:2] == ",")  # 'R-Ky., said'
    return mark in {"!", "?", ";"}


def _skip_fillers(toks: list[_Tok], k: int, lo: int = 0) -> int:
    """Step back over auxiliaries and adverbs before a cue: 'has also', 'further', and
    over 'went on to' ('X went on to say'); never over a comma, which ends a
    parenthetical rather than a filler ('X, in a statement on Thursday, said')."""
    if k - 3 >= lo and [t.low for t in toks[k - 2 : k]] == ["on", "to"]:
        k -= 3 if toks[k - 3].low in _GO else 0
    while k > lo and _filler(toks[k - 1]):
        k -= 1
    return k


def _filler(tok: _Tok) -> bool:
    if _breaks_clause(tok):
        return False
    # an adverb in -ly, not a name: 'Kelly said'
    return tok.low in _FILLERS or tok.low in _TIME or (tok.low.endswith("ly") and not _is_cap(tok))


def _after(text: str, toks: list[_Tok]) -> _Attribution | None:
    """An attribution right after a quotation: ', said X', ', X said', ', according to X'."""
    i = 0
    while i < len(toks) and not toks[i].core and not toks[i].trail.strip(",—–―-:"):
        i += 1
    if i >= len(toks) or toks[i].lead.strip(",—–―-") or not toks[i].core:
        return None
    n = _cue_at(toks, i)
    if n and not toks[i].low.endswith("ing"):  # inverted: ', said a spokesperson in ...'
        found = _make(_forward_np(toks, i + n), _cue_text(text, toks, i, n))
        return found._replace(end=max(found.end, toks[i + n - 1].end)) if found else None
    for j in range(i + 1, min(len(toks), i + 2 * _NP_MAX + 4)):
        prev = toks[j - 1]
        if not prev.core or prev.core.startswith("Q_") or _ends_sentence(prev):
            return None
        n = _cue_at(toks, j)
        if not n or toks[j].low.endswith("ing"):
            continue
        k = _skip_fillers(toks, j, i)
        if k > i and toks[k - 1].low in _PARTICIPLE_AUX:
            return None  # passive: "he was told"
        np = toks[i:k]
        commas = [c for c in range(i, k - 1) if "," in toks[c].trail]
        if commas:  # only 'X, the spokesman, said' may hold commas
            if "," not in toks[k - 1].trail:
                continue  # a verb inside the appositive: 'X, who has proposed …, said'
            head, appositive = toks[i : commas[0] + 1], toks[commas[0] + 1 : k]
            named = all(_is_cap(t) or t.low in _PARTICLES for t in appositive)
            if len(commas) > 1 and not _plausible_subject(head):
                return None
            # 'his wife, Gabriela Lazar, wrote': the name; 'Ki Hong, 33, said': the head;
            # 'Ana Ruiz, 67, a nurse in Allentown, Pa., said': the name before it all
            np = appositive if named and len(commas) == 1 and not _is_cap(head[-1]) else head
        found = _make(np, _cue_text(text, toks, j, n))
        if found is None and toks[j].low in NOUNISH_CUES:
            continue  # '"…," several states said'
        return found._replace(end=toks[j + n - 1].end) if found else None
    return None


def _past_verb(toks: list[_Tok], j: int) -> int:
    """Number of tokens of a verb of any meaning at ``toks[j]`` that may close a
    reporting clause after a quotation: a past form in lower case ('barked', 'fumed',
    'scoffed') or a verb with 'back' ('shot back', 'fired back'); 0 when there is none."""
    tok = toks[j]
    if not tok.core.islower() or not tok.core.isalpha() or tok.lead:
        return 0
    if j + 1 < len(toks) and toks[j + 1].low == "back" and not tok.trail:
        return 2
    if len(tok.low) > 4 and tok.low.endswith("ed") and tok.low not in _PARTICIPLE_AUX:
        return 1
    return 0


def _after_verb(text: str, toks: list[_Tok]) -> _Attribution | None:
    """A reporting clause with a verb no cue list holds, right after a quotation that
    ends open ('"…," Trump shot back.', '"…!" beamed Ana Ruiz.'): a quotation closed
    by a comma leaves its sentence to the clause that says who spoke, whatever its
    verb."""
    i = 0
    while i < len(toks) and not toks[i].core and not toks[i].trail.strip(",—–―-"):
        i += 1
    if i >= len(toks) or toks[i].lead.strip(",—–―-") or not toks[i].core:
        return None
    n = _past_verb(toks, i)
    if n:  # inverted: '"…!" beamed Ana Ruiz of Madison'
        np = _forward_np(toks, i + n)
        if not np or not _is_cap(np[0]):
            return None
        found = _make(np, _cue_text(text, toks, i, n))
        return found._replace(end=max(found.end, toks[i + n - 1].end)) if found else None
    for j in range(i + 1, min(len(toks), i + 7)):
        prev = toks[j - 1]
        if not prev.core or prev.core.startswith("Q_") or _ends_sentence(prev):
            return None
        if _breaks_clause(prev):
            return None
        n = _past_verb(toks, j)
        if not n:
            continue
        np = toks[i:j]
        if not (_is_cap(np[0]) or np[0].low in _ARTICLES or np[0].low in _SPEAKING_PRONOUNS):
            return None
        found = _make(np, _cue_text(text, toks, j, n))
        return found._replace(end=toks[j + n - 1].end) if found else None
    return None


def _backward_np(toks: list[_Tok], end: int, keep_last: bool = False) -> list[_Tok]:
    """The noun phrase ending at ``toks[end - 1]`` (whose own trailing comma is ignored
    when ``keep_last``)."""
    k = end
    while k > 0 and end - k < _NP_MAX:
        tok = toks[k - 1]
        if (
            not tok.core
            or (_breaks_clause(tok) and not (keep_last and k == end))
            or _ends_sentence(tok)
            or tok.low in _BOUNDARY
            or tok.core.startswith("Q_")
            or (k < end and any(c.isdigit() for c in tok.core))  # 'In 2015 Trump said'
        ):
            break
        k -= 1
        if tok.lead:
            break
    return toks[k:end]


def _plausible_subject(seg: list[_Tok]) -> bool:
    return (
        _np_ok(seg)
        and _is_cap(seg[0])
        and seg[0].low not in _ADVERBIAL
        and not seg[0].low.endswith("ly")
        and not _participial(seg)
    )


def _participial(seg: Sequence[_Tok]) -> bool:
    """Whether words open with a participle phrase, no name: 'Speaking at a rally',
    'Reached by phone' (but 'Irving Kristol')."""
    return len(seg) > 1 and seg[0].low.endswith(("ing", "ed")) and not _is_cap(seg[1])


def _clause_subject(toks: list[_Tok]) -> list[_Tok]:
    """The subject of the last clause of ``toks`` (a clause ends at a comma), when a verb
    in lower case follows it: 'Speaking in Salem, N.H., Trump went after Bush,' →
    Trump; [] when that clause opens with no such subject."""
    cut = max((c + 1 for c in range(len(toks) - 1) if _breaks_clause(toks[c])), default=0)
    subject = _subject(toks[cut:])
    k = cut + len(subject)
    if not subject or k >= len(toks) or subject[-1].trail.strip() or _participial(subject):
        return []
    verb = toks[k]
    if not verb.core.islower() or verb.low in _BOUNDARY or verb.low in _PREPOSITIONS:
        return []
    return subject


def _subject(toks: list[_Tok]) -> list[_Tok]:
    """The subject at the start of a sentence: a pronoun or a run of capitalised words,
    after an opening phrase such as 'At the debate,'."""
    while toks and (
        toks[0].low in _CONJUNCTIONS or (toks[0].low in _LEADING and not toks[0].trail)
    ):
        toks = toks[1:]  # 'And then Trump went on the attack, saying', 'Meanwhile Trump said'
    if toks and (toks[0].low in _ADVERBIAL or toks[0].low in _BOUNDARY):
        comma = next((i for i, t in enumerate(toks[:12]) if "," in t.trail), -1)
        toks = toks[comma + 1 :] if comma >= 0 else []
    if toks and toks[0].low in _SPEAKING_PRONOUNS:
        return toks[:1]
    run: list[_Tok] = []
    for tok in toks[:_NP_MAX]:
        if not _is_cap(tok) and not (run and tok.low in _PARTICLES):
            break
        run.append(tok)
        if tok.trail and not _abbreviation(tok):  # 'Mr. Hurt'
            break
    return run if run and run[0].low not in _ADVERBIAL else []


def _appositive_comma(toks: list[_Tok], end: int) -> int:
    """Index of the token ending the subject before an appositive that ends at
    ``toks[end - 1]`` ('Díaz-Canel, the first ... Party, has'), or -1."""
    for c in range(end - 2, max(-1, end - 40), -1):
        tok = toks[c]
        if not tok.core or tok.core.startswith("Q_") or _ends_sentence(tok):
            return -1
        if "," in tok.trail:
            return c
    return -1


def _noun_use(toks: list[_Tok], j: int) -> bool:
    """Whether a cue that is as often a noun ("claims", "post") is one here: it is a verb
    only right after a name or a pronoun, not in "a Twitter post", "dismissing claims"."""
    if toks[j].low not in NOUNISH_CUES:
        return False
    np = _backward_np(toks, _skip_fillers(toks, j))
    return not _np_ok(np) or len(np) > 4 or not (_is_cap(np[0]) or np[0].low in _SPEAKING_PRONOUNS)


def _before(text: str, toks: list[_Tok]) -> _Attribution | None:
    """An attribution before a quotation in its sentence: 'X said (that ...) "…"'."""
    j, n = -1, 0
    for idx in range(len(toks) - 1, max(-1, len(toks) - _GAP_MAX - 3), -1):
        n = _cue_at(toks, idx)
        if n and not _noun_use(toks, idx):
            j = idx
            break
        if _ends_sentence(toks[idx]):
            break
    if j < 0 or len(toks) - (j + n) > _GAP_MAX:
        return _colon(text, toks)
    return _clause(text, toks, j, n)


def _clause(text: str, toks: list[_Tok], j: int, n: int) -> _Attribution | None:
    """The speaker of the cue ``toks[j : j + n]`` of the words before a quotation: its
    subject, or the name after it ('Continued Stone:')."""
    cue = _cue_text(text, toks, j, n)
    if toks[j].low == "according":
        return _make(_forward_np(toks, j + 2), cue)
    k = _skip_fillers(toks, j)
    participle = toks[j].low.endswith("ing")
    if k > 0 and toks[k - 1].low in _PARTICIPLE_AUX and not participle:
        return None  # passive: "Cuba is said to ..."
    if participle and k > 0 and toks[k - 1].low in _PARTICIPLE_AUX:
        k = _skip_fillers(toks, k - 1)  # 'X is praising Y as "…"': X, not 'X is'
    np = _backward_np(toks, k)
    while np and np[0].low in _PREPOSITIONS:
        np = np[1:]  # 'with the mayor reportedly yelling'
    start = k - len(np)
    if participle and np and not (_is_cap(np[0]) or np[0].low in _DETERMINERS):
        np = []  # 'X issued a statement Tuesday saying': a verb phrase, not a speaker
    following = _forward_np(toks, j + n)
    if (
        not np
        and not participle  # 'telling reporters, "…"': an addressee; inversion takes a finite verb
        and following
        and j + n + len(following) == len(toks)
        and following[-1].trail[:1] in {",", ":"}
        and (k == 0 or ("," in toks[k - 1].trail and not _subject_before(toks, k)))
    ):
        # 'Continued Stone:', 'But, said Solovey,'; not 'X, who …, told POLITICO,'
        return _make(following, cue)
    if k == 0:
        return None
    if not np and participle and _cue_at(toks, k - 1):
        found = _before(text, toks[:k])  # 'Spicer said, adding, "…"'
        return found._replace(cue=cue) if found else None
    if not np and participle:
        # '..., asserting that "…"': the subject of the clause the participle hangs on
        return _make(_clause_subject(toks[:k]) or _subject(toks), cue)
    if not np and toks[k - 1].low in {"and", "but"}:  # 'he laughed and said, "…"'
        return _make(_subject(_backward_np(toks, k - 1)) or _subject(toks), cue)
    if not np and toks[k - 1].low == "who" and k > 1 and "," in toks[k - 2].trail:
        return _make(_backward_np(toks, k - 1, keep_last=True), cue)  # 'X, who said'
    comma = -1
    if np and np[0].low in _APPOSITIVE and start > 0 and "," in toks[start - 1].trail:
        comma = start - 1  # "In a statement, a spokesperson said": is the subject before?
    elif not np and k > 0 and "," in toks[k - 1].trail:
        comma = _appositive_comma(toks, k)
    if comma >= 0:
        prior = _backward_np(toks, comma + 1, keep_last=True)
        opens = comma + 1 - len(prior)  # the subject opens its sentence or clause, not
        free = opens == 0 or _breaks_clause(toks[opens - 1])  # 'with A and B, the host said'
        if _plausible_subject(prior) and (free or not np):
            return _make(prior, cue)
    return _make(np, cue)


def _subject_before(toks: list[_Tok], k: int) -> bool:
    """Whether a subject ends with an appositive right before ``toks[k]``: 'Dick Dever,
    who was on the slate, told …'."""
    comma = _appositive_comma(toks, k)
    return comma >= 0 and _plausible_subject(_backward_np(toks, comma + 1, keep_last=True))


def _colon(text: str, toks: list[_Tok]) -> _Attribution | None:
    """'Speaker: "…"': a short name right before a colon."""
    if not toks or not toks[-1].trail.startswith(":"):
        return None
    np = _backward_np(toks, len(toks), keep_last=True)
    start = len(toks) - len(np)
    if np and start > 0 and "," in toks[start - 1].trail and toks[start - 1].core:
        # 'Ana Ruiz, editor of a trade weekly: "…"': the name before the description
        prior = _backward_np(toks, start, keep_last=True)
        if prior and len(prior) <= 6 and _plausible_subject(prior):
            return _make(prior, None)
    if not np or len(np) > 6 or not (_is_cap(np[0]) or np[0].low in _SPEAKING_PRONOUNS):
        return None
    return _make(np, None)


def _sentence_subject(toks: list[_Tok]) -> _Attribution | None:
    """The subject of the sentence a partial quotation sits in, when a verb follows it
    ('Ruiz went further, endorsing candidates "…"'): what no reporting clause names is
    most often the sentence's subject's."""
    subject = _subject(toks)
    if not subject:
        return None
    k = next((i for i, t in enumerate(toks) if t is subject[-1]), -1) + 1
    if k <= 0 or k >= len(toks) or subject[-1].trail.strip():
        return None
    verb = toks[k]
    if not verb.core.islower() or verb.low in _BOUNDARY or verb.low in _PREPOSITIONS:
        return None
    if verb.low in _ARTICLES or verb.low in _DETERMINERS:
        return None
    if verb.low in _VERBS and not toks[-1].trail.startswith(":"):
        # 'Cuba is "ready"', 'Kim has "no plans"': words about the subject; after a
        # colon the quotation is no predicate ('Kim has since apologized: "…"')
        return None
    found = _make(subject, None)
    return found._replace(weak=True) if found is not None else None


def _naming(tok: _Tok) -> bool:
    """Whether a word is a reporting verb of indirect speech ('called', 'described')."""
    return tok.low in REPORTING_VERBS and tok.core.islower() and not tok.lead


def _reported(text: str, toks: list[_Tok]) -> _Attribution | None:
    """The reporting clause of a quotation inside indirect speech, further back than
    :func:`_before` looks: 'X said that the plan, which …, is "…"', 'X called it "…"',
    'X told reporters he would "…"'.  The last cue or reporting verb of the sentence
    before the quotation, and its subject as :func:`_before` finds it."""
    for j in range(len(toks) - 1, -1, -1):
        if _ends_sentence(toks[j]):
            return None
        naming = _naming(toks[j])
        if naming and j == len(toks) - 1:
            return None  # 'what the agency has long dubbed "…"': a name, not words said
        n = _cue_at(toks, j) or (1 if naming else 0)
        if not n or _noun_use(toks, j):
            continue
        # 'according to X' names its source after the cue, any other cue before it
        found = _clause(text, toks if toks[j].low == "according" else toks[: j + n], j, n)
        if found is not None:
            return found._replace(weak=True)
    return None


def _trailing(text: str, toks: list[_Tok]) -> _Attribution | None:
    """', X said.' ending the sentence after a partial quotation and more words
    ('The plan is "a waste" of money, Ruiz said.')."""
    for i in range(1, len(toks)):
        if _ends_sentence(toks[i - 1]):
            return None
        if "," not in toks[i - 1].trail:
            continue
        found = _after(text, toks[i:])
        if found is None:
            continue
        rest = [t for t in toks if t.start >= found.end]
        if not rest or _ends_sentence(toks[toks.index(rest[0]) - 1]):
            return found._replace(weak=True)
    return None


def _according_later(text: str, toks: list[_Tok]) -> _Attribution | None:
    """', according to X' anywhere later in the quotation's sentence."""
    for i, tok in enumerate(toks):
        if tok.low == "according" and _cue_at(toks, i) == 2:
            return _make(_forward_np(toks, i + 2), _cue_text(text, toks, i, 2))
    return None


# ---------------------------------------------------------------------------- assembly


def _bounds(sentences: Sequence[Sentence], starts: list[int], pos: int) -> tuple[int, int, int]:
    """(start, end, index) of the sentence holding ``pos``; (-1, -1, -1) if none does."""
    i = bisect_right(starts, pos) - 1
    if i >= 0 and pos < sentences[i].end:
        return sentences[i].start, sentences[i].end, i
    return -1, -1, -1


def _masked(text: str, segments: list[Segment]) -> str:
    """``text`` with every quotation replaced by one placeholder word of the same length."""
    pieces = []
    last = 0
    for seg in segments:
        length = seg.close - seg.open
        pieces += [text[last : seg.open], ("Q_" + "_" * length)[:length]]
        last = seg.close
    pieces.append(text[last:])
    return "".join(pieces)


def _joinable(text: str, first: Segment, second: Segment) -> _Attribution | None:
    """The attribution between two quotations when it interrupts one quotation."""
    between = text[first.close : second.open]
    if not between.strip() or first.para_lo != second.para_lo:
        return None  # a paragraph break between them
    lead_comma = between.lstrip()[:1] == ","
    if not (lead_comma or text[first.end - 1] in ",—–―-…:"):
        return None
    if between.rstrip()[-1:] not in {",", ":"} or len(between.split()) > 16:
        return None
    toks = _tokens(text, first.close, second.open)
    if any(_ends_sentence(t) for t in toks):
        return None  # '"A," X wrote. Still, she added, "B"' is two quotations
    found = _after(text, toks)
    if found is None:
        return None
    words_left = len([t for t in toks if t.end > found.end and t.core])
    return found if words_left <= 6 else None


def _named(speaker: str) -> bool:
    first = speaker.split()[0] if speaker.split() else ""
    return first[:1].isupper() and first.lower() not in _DETERMINERS | _SPEAKING_PRONOUNS


def extract_quotes(text: str, sentences: Sequence[Sentence] | None = None) -> list[Quote]:
    """Find the direct quotations of one text, with their speakers and cue verbs.

    Parameters
    ----------
    text : str
        The document's original text; every offset returned points into it.
    sentences : sequence of Sentence, optional
        ``split_sentences(text)`` when the caller already has it; computed otherwise.

    Returns
    -------
    list of Quote
        Top-level quotations in text order, never overlapping.  ``text`` runs from the
        first quoted character to the last (marks excluded); ``parts`` holds the quoted
        pieces (several when an attribution interrupts the quotation) and ``content``
        joins them with a space.  ``speaker``/``cue`` are None when nothing attributes
        the quotation (scare quotes, titles); ``speaker_span`` is where the text names
        or refers to the speaker (the pronoun itself when one was resolved, or when it
        refers to no one named and ``speaker`` is None).

    Examples
    --------
    >>> text = ('"If he cared," Díaz-Canel tweeted Friday, "he could act." '
    ...         'The ministry called it a "failed state". A "new era" began.')
    >>> [(q.content, q.speaker, q.cue, len(q.parts)) for q in extract_quotes(text)]
    [('If he cared, he could act.', 'Díaz-Canel', 'tweeted', 2),
     ('failed state', 'The ministry', 'called', 1), ('new era', None, None, 1)]
    """
    segments = find_segments(text)
    if not segments:
        return []
    if sentences is None:
        sentences = split_sentences(text)
    starts = [s.start for s in sentences]
    masked = _masked(text, segments)

    groups: list[tuple[list[Segment], _Attribution | None]] = []
    for seg in segments:
        joint = _joinable(text, groups[-1][0][-1], seg) if groups else None
        if joint is not None:
            groups[-1][0].append(seg)
            groups[-1] = (groups[-1][0], groups[-1][1] or joint)
        else:
            groups.append(([seg], None))

    quotes: list[Quote] = []
    resolver = _Pronouns(masked, sentences, starts)
    descriptions = _Descriptions(text, masked, sentences, starts)
    last_sentence = -2  # index of the sentence where the previous quotation ended
    for parts, joint in groups:
        found, alone, s_index, e_index = _attribute(text, masked, sentences, starts, parts)
        speaker: str | None = None
        span: Span | None = None
        cue: str | None = None
        named: Span | None = None
        attribution = joint or found
        if attribution is not None:
            a, b = attribution.speaker
            span = Span(start=a, end=b, text=text[a:b])
            speaker, cue = span.text, attribution.cue
            if speaker.lower() in _PRONOUNS:
                # an unresolved pronoun names no one; its words stay in speaker_span
                speaker = resolver.resolve(speaker.lower(), a)
            elif not attribution.weak:
                resolver.named(speaker, a)
            named = descriptions.resolve(span)
            descriptions.heard(span)
        elif (
            alone
            and quotes
            and quotes[-1].speaker_span is not None
            and 0 <= s_index - last_sentence <= 1
        ):
            # a quoted sentence right after a quotation with a speaker continues it
            speaker, span = quotes[-1].speaker, quotes[-1].speaker_span
            named = quotes[-1].named_speaker
        last_sentence = e_index if e_index >= 0 else -2
        spans = tuple(Span(start=p.start, end=p.end, text=text[p.start : p.end]) for p in parts)
        words = sum(len(WORD.findall(p.text)) for p in spans)
        quotes.append(
            Quote(
                start=parts[0].start,
                end=parts[-1].end,
                text=text[parts[0].start : parts[-1].end],
                parts=spans,
                content=" ".join(p.text for p in spans),
                speaker=speaker,
                cue=cue,
                speaker_span=span,
                direct=_direct(text, parts[0], words, span is not None),
                named_speaker=named,
            )
        )
    return quotes


_BEFORE_MARKS = frozenset("\"'“”‘’«»„‚`")
_DIRECT_MIN_WORDS = 8  # an unattributed quotation after a comma or a dash needs as many
_CUE_CHARS = 64  # a longer "word" before a quotation is no cue verb


def _direct(text: str, first: Segment, words: int, attributed: bool) -> bool:
    """Whether a quotation is direct speech rather than a fragment inside a sentence.

    Direct: it opens its paragraph or sentence, or follows a colon, or a comma or dash
    (when attributed or of ``_DIRECT_MIN_WORDS`` words or more), or a cue verb (``said
    "…"``).  Measured on PolNeAR train: quotations after any other word ('called it "…"',
    'said that "…"') are direct speech in 4 cases out of 100 to 20 out of 100.
    """
    # scanned backwards from the mark, never over the whole paragraph: a paragraph of
    # many quotations stays linear
    lo = first.para_lo
    k = first.open
    while k > lo and (text[k - 1].isspace() or text[k - 1] in _BEFORE_MARKS):
        k -= 1
    last = text[k - 1] if k > lo else ""
    if not last or last in ".!?:…":
        return True
    if last in ",—–―-":
        return attributed or words >= _DIRECT_MIN_WORDS
    start = k
    while start > lo and not text[start - 1].isspace():
        start -= 1
        if k - start > _CUE_CHARS:
            return False
    return text[start:k].strip(_STRIP).lower() in CUE_VERBS


def _attribute(
    text: str,
    masked: str,
    sentences: Sequence[Sentence],
    starts: list[int],
    parts: list[Segment],
) -> tuple[_Attribution | None, bool, int, int]:
    """Attribution of one quotation from its sentence, whether the quotation stands alone
    as a sentence, and the indexes of the sentences where it starts and ends (-1: none)."""
    first, last = parts[0], parts[-1]
    s_lo, _, s_index = _bounds(sentences, starts, first.open)
    _, s_hi, e_index = _bounds(sentences, starts, max(last.close - 1, last.start))
    lo = max(s_lo if s_lo >= 0 else first.para_lo, first.para_lo, first.open - _CONTEXT)
    hi = min(s_hi if s_hi >= 0 else first.para_hi, first.para_hi, last.close + _CONTEXT)
    lo, hi = min(lo, first.open), max(hi, last.close)
    before = _tokens(masked, lo, first.open)
    # '"…?" Borger asked.' may be split after the mark: look on to the paragraph's end
    after = _tokens(masked, last.close, min(first.para_hi, last.close + _CONTEXT))
    in_sentence = [t for t in after if t.start < hi]
    stop = _last_stop(before)
    starts_sentence = not any(t.core for t in before if t.end > stop)
    # an attribution follows a quotation that ends open ('"…," she said', '"…?" he asked')
    # or that is its sentence's start ('"…" Grubbs said.')
    open_end = text[last.end - 1] in ",?!…—–―-:" or masked[last.close : hi].lstrip()[:1] in {
        ",",
        "—",
        "–",
        "―",
        "(",
    }
    found = _after(masked, after) if open_end or starts_sentence else None
    if found is None and starts_sentence and text[last.end - 1] in ",?!":
        found = _after_verb(masked, after)  # not '"When X said "…," the crowd cheered'
    found = found or _before(masked, before) or _according_later(masked, in_sentence)
    if found is None and not starts_sentence:
        # a partial quotation inside reported speech: the reporting clause's subject
        # from the sentence's start: an earlier quotation in it ('X called Y "…" but
        # described Z as "…"') is no sentence end here
        cut = max((n + 1 for n, t in enumerate(before) if _ends_sentence(t)), default=0)
        inside = before[cut:]
        found = (
            _reported(masked, inside) or _trailing(masked, in_sentence) or _sentence_subject(inside)
        )
    if found is None and starts_sentence:
        # '"…" for the victory, Sanders said.': the clause ending the sentence
        found = _trailing(masked, in_sentence)
    if found is None and starts_sentence:
        found = _introduced(masked, sentences, starts, first.open)
    if found is None and starts_sentence:
        found = _dash_line(masked, last.close, min(len(masked), last.close + _CONTEXT))
    alone = starts_sentence and not any(t.core for t in in_sentence)
    return found, alone, s_index, e_index


def _introduced(
    masked: str, sentences: Sequence[Sentence], starts: list[int], pos: int
) -> _Attribution | None:
    """'He said:' ending the paragraph before a quotation that opens its paragraph."""
    lo = max(0, pos - _CONTEXT)
    prefix = masked[lo:pos]
    colon = len(prefix.rstrip()) - 1
    if colon < 0 or prefix[colon] != ":" or "\n" not in prefix[colon:]:
        return None
    s_lo, _, _ = _bounds(sentences, starts, lo + colon)
    return _before(masked, _tokens(masked, max(lo, s_lo), lo + colon + 1))


_NAME_WORD = r"(?:[A-Z][\w.'’-]*|de|da|del|van|von|bin|al)"
_DASH_LINE = re.compile(
    rf"[ \t]*(?:\n[ \t]*)?[—–―]+[ \t]*({_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,5}})"
)


def _dash_line(masked: str, pos: int, hi: int) -> _Attribution | None:
    """'"…" — Jane Doe, mayor of Springfield': a name after a dash that follows the
    quotation, on its line or opening the next one."""
    m = _DASH_LINE.match(masked, pos, hi)
    if m is None:
        return None
    words = [(w.start(), w.end(), w.group()) for w in re.finditer(r"\S+", m.group(1))]
    while words and words[-1][2].lower().rstrip(".,") in _PARTICLES:
        words.pop()
    if not words or words[0][2].lower() in _DETERMINERS | _SPEAKING_PRONOUNS:
        return None
    end = m.start(1) + words[-1][1] - (len(words[-1][2]) - len(words[-1][2].rstrip(".,")))
    return _Attribution((m.start(1), end), None, end)


class _Mention(NamedTuple):
    pos: int
    name: str


class _Pronouns:
    """Resolves the pronoun that attributes a quotation to the person it refers to.

    *he*/*she* refer to the most recent person among the named speakers of earlier
    quotations and the names that, in the two sentences before the pronoun or in its
    own sentence before it, are a sentence's or a clause's subject or a cue verb's
    source ('"…," said Lee. Anna Kim, his deputy, disagreed. "…," she said.' → Anna
    Kim; '…, Becerra said.').  A person once referred to as *she* is not referred to
    as *he* later in the text, and the other way round.  A name merely written before
    (an object, a place, a name inside a quotation) is no antecedent: on PolNeAR train
    such a fallback was right about half the time.  *it*/*they* take the last speaker,
    named or not.  None when there is nothing to refer to.  Each look is
    bounded (the last :data:`_MENTIONS_MAX` speakers, :data:`_WINDOW_CHARS` characters
    of text), so a text of many quotations stays linear.
    """

    def __init__(self, masked: str, sentences: Sequence[Sentence], starts: list[int]):
        self.masked = masked
        self.sentences = sentences
        self.starts = starts
        self.speakers: list[_Mention] = []  # speakers of earlier quotations, in order
        self.mentions: list[_Mention] = []  # named speakers and resolved pronouns
        self.gender: dict[tuple[str, ...], str] = {}  # a person's name key -> he / she
        self.by_surname: dict[str, set[str]] = {}  # last word of a key -> its genders
        self.surnames: dict[str, int] | None = None  # last word of a full name -> first pos

    def named(self, speaker: str, pos: int) -> None:
        self.speakers.append(_Mention(pos, speaker))
        if _named(speaker):
            self.mentions.append(_Mention(pos, speaker))

    def resolve(self, pronoun: str, pos: int) -> str | None:
        if pronoun not in {"he", "she"}:
            return self.speakers[-1].name if self.speakers else None
        recent = self.mentions[-_MENTIONS_MAX:]
        earlier = next((m for m in reversed(recent) if self._agrees(m.name, pronoun)), None)
        candidates = [m for m in self._subjects(pos) if self._agrees(m.name, pronoun)]
        best = max(candidates + ([earlier] if earlier else []), default=None)
        resolved = best.name if best else None
        if resolved is not None:
            key = _key(resolved)
            self.gender.setdefault(key, pronoun)
            self.by_surname.setdefault(key[-1], set()).add(self.gender[key])
            self.mentions.append(_Mention(pos, resolved))
        return resolved

    def _agrees(self, name: str, pronoun: str) -> bool:
        """Whether nothing said before makes ``name`` the other gender: a name referred
        to by the other pronoun, or a surname whose every known bearer was."""
        key = _key(name)
        if key in self.gender:
            return self.gender[key] == pronoun
        if len(key) == 1:
            return self.by_surname.get(key[0], set()) != {"he", "she"} - {pronoun}
        return True

    def _window(self, pos: int) -> list[int]:
        """Indexes of the sentence holding ``pos`` and of the two before it, in order;
        sentences inside a quotation do not count."""
        i = bisect_right(self.starts, pos) - 1
        found: list[int] = []
        while i >= 0 and len(found) < 3 and pos - self.sentences[i].start <= 4 * _WINDOW_CHARS:
            start = self.sentences[i].start
            if i == 0 or self.masked[start : start + 1] != "_":  # not inside a quotation
                found.append(i)
            i -= 1
        return found[::-1]

    def _subjects(self, pos: int) -> list[_Mention]:
        """Names in the window before ``pos`` that are a sentence's subject or the source
        of a cue verb ('Becerra said.', 'said Becerra')."""
        found = []
        for i in self._window(pos):
            s = self.sentences[i]
            lo = max(s.start, pos - _WINDOW_CHARS)
            toks = _tokens(self.masked, lo, min(s.end, pos))
            runs: list[tuple[list[_Tok], bool]] = []  # (run, followed by its verb)
            run = _subject(toks) if lo == s.start else []
            if run:
                after = toks[toks.index(run[-1]) + 1 :]
                if after and after[0].low in _REFLEXIVE:
                    after = after[1:]  # 'the senator herself also warned'
                verb = bool(after) and (after[0].low in _VERBISH or after[0].low.endswith("ed"))
                runs.append((run, verb or run[-1].trail.startswith(",")))
            for j in range(1, len(toks)):  # the first clause with a name before its verb
                if toks[j].low in _VERBS or (toks[j].low.endswith("ed") and toks[j].core.islower()):
                    named = self._person(_backward_np(toks, _skip_fillers(toks, j)), pos)
                    if named is not None:
                        found.append(named)  # '61-year-old Ana Ruiz also warned'
                        break
            for j in range(len(toks)):
                n = _cue_at(toks, j)
                if not n or _noun_use(toks, j) or toks[j].low == "according":
                    continue
                k = _skip_fillers(toks, j)
                if k > 1 and toks[k - 1].low == "who" and "," in toks[k - 2].trail:
                    runs.append((_backward_np(toks, k - 1, keep_last=True), True))  # 'X, who said'
                before = _backward_np(toks, k)
                # 'said Becerra' when nothing names a subject before the cue
                runs.append((before if before else _forward_np(toks, j + n), True))
            for run, verb in runs:
                name = self._person(run, pos) if verb else None
                if name is not None:
                    found.append(name)
        return found

    def _person(self, run: list[_Tok], pos: int) -> _Mention | None:
        """The person a run of words names: capitalised words, titles left out, at most
        four; one word only when written in full before ``pos``."""
        if not run or run[0].low in _SPEAKING_PRONOUNS or run[-1].core.endswith(_POSSESSIVE):
            return None  # 'Trump's son said': the son
        run = run[_capitals_from(run) :]
        titles = [i for i, tok in enumerate(run[:-1]) if tok.low.rstrip(".") in _TITLES]
        run = run[titles[-1] + 1 :] if titles else run  # 'Harbour Authority Chair Ana Ruiz'
        while run and run[0].low.rstrip(".") in _NOT_FIRST:
            run = run[1:]
        if not run or len(run) > 4 or any(t.core.startswith("Q_") for t in run):
            return None
        first, last = run[0], run[-1]
        if last.low in _ORG_HEADS or last.low in _ROLES:
            return None  # 'the White House', 'the former Attorney General'
        if len(run) == 1 and not titles and self._surnames().get(last.low, pos) >= first.start:
            return (
                None  # one word: a name after a title ('Justice Scalia') or written in full before
            )
        return _Mention(first.start, self.masked[first.start : last.end])

    def _surnames(self) -> dict[str, int]:
        """The last word of every name of two or more words, lowered, and where it is
        first written (computed once, when first needed)."""
        if self.surnames is None:
            self.surnames = {}
            for s in self.sentences:
                for name, start in _names(self.masked, s.start, s.end):
                    self.surnames.setdefault(name.split()[-1].lower().strip(_STRIP), start)
            for m in self.speakers:
                if _named(m.name):
                    self.surnames.setdefault(m.name.split()[-1].lower().strip(_STRIP), m.pos)
        return self.surnames


_MENTIONS_MAX = 64  # earlier speakers a pronoun may refer to, most recent first
_WINDOW_CHARS = 600  # characters before a pronoun searched for the names it may refer to
_POSSESSIVE = ("'s", "’s", "s'", "s’")
_REFLEXIVE = _words("himself herself")
_VERBISH = CUE_VERBS | _FILLERS | _PARTICIPLE_AUX  # after a subject: 'Kim has', 'Kim says'
_VERBS = (
    CUE_VERBS | _PARTICIPLE_AUX | _words("has have had will would could can did does might must")
)


def _key(name: str) -> tuple[str, ...]:
    return name_key(name) or (name.lower(),)


def _names(masked: str, lo: int, hi: int) -> list[tuple[str, int]]:
    """Names of two or more capitalised words in ``masked[lo:hi]`` (titles, articles and
    opening adverbs left out; none across a quotation) with where each starts."""
    found = []
    for m in _NAME.finditer(masked, lo, hi):
        words = [(w.start(), w.group()) for w in re.finditer(r"\S+", m.group())]
        quoted = [i for i, (_, w) in enumerate(words) if w.startswith("Q_")]
        if quoted:
            words = words[quoted[-1] + 1 :]
        titled = False
        while words and words[0][1].lower().strip(".") in _NOT_FIRST:
            titled = titled or words[0][1].lower().strip(".") in _TITLES
            words = words[1:]
        if (2 if not titled else 1) <= len(words) <= 4 and words[-1][1].lower().strip(
            _STRIP
        ) not in _NOT_LAST:
            found.append((" ".join(w for _, w in words), m.start() + words[0][0]))
    return found


# words that open no name: 'On Monday Bob Lee', 'Was Szlachta satisfied?'
_NOT_FIRST = (
    _TITLES
    | _DETERMINERS
    | _LEADING
    | _PREPOSITIONS
    | _PARTICIPLE_AUX
    | _words("did does republican democrat democratic")
)
_NAME = re.compile(r"\b[A-Z][\w'’.-]*(?:[ ](?:[A-Z][\w'’.-]*|de|da|del|van|von)){1,4}\b")


def _last_stop(toks: list[_Tok]) -> int:
    """End of the last token that ends a sentence (merged sentences), or -1."""
    for tok in reversed(toks):
        if tok.trail[:1] in {".", "!", "?"} or tok.core.startswith("Q_"):
            return tok.end
    return -1


# ---------------------------------------------------------------------------- descriptions

_DESCRIPTION_SENTENCES = 4  # sentences before a description (or its last link) searched
_DEFINITE = _words("the this that")
_SOURCE_PREPOSITIONS = _words("for of from by at")
_CAPS = r"(?!Q_)[A-Z][\w'’.&-]*"  # a capitalised word, not a quotation's placeholder
_NAMED_RUN = re.compile(rf"{_CAPS}(?:[ ](?:{_CAPS}|of|for|de|del|von|van|al))*")


def _description(speaker: str) -> tuple[str, str] | None:
    """(head, kind) of a definite description standing for a source ('the statement',
    'The official', 'the Foreign Ministry spokesman'), or None."""
    words = speaker.replace("’", "'").split()
    if not 2 <= len(words) <= 5 or words[0].lower() not in _DEFINITE:
        return None
    head = words[-1].lower().strip(_STRIP)
    if head in DOCUMENT_NOUNS:
        return head, "document"
    if head in ORGANISATION_NOUNS:
        return head, "organisation"
    if head in SPOKESPERSON_NOUNS or head in ROLE_FORMS:
        return head, "person"
    return None


_ISSUED = _words("issue issues sent send sends put puts gave give gives wrote write writes")


def _article_name(speaker: str) -> bool:
    """Whether a speaker is a name after 'the': an organisation's ('the State
    Department', 'the New York Times') or an acronym ('the FBI'), not an epithet ('the
    Wisconsin Republican', 'the Texan')."""
    words = speaker.split()
    if len(words) < 2 or words[0].lower() != "the" or "'" in speaker or "’" in speaker:
        return False
    if not all(w[:1].isupper() or w in {"of", "for", "and", "on"} for w in words[1:]):
        return False
    last = words[-1].strip(_STRIP)
    return last.lower() in _ORG_HEADS | ORGANISATION_NOUNS or (len(last) > 1 and last.isupper())


def _person_name(words: str) -> bool:
    """Whether capitalised words may be a person's name: not a day or month ('Friday, a
    spokesperson said'), not an organisation ('the Foreign Ministry')."""
    low = [w.lower().strip(_STRIP) for w in words.split()]
    return (
        bool(low)
        and not words.endswith(_POSSESSIVE)  # 'President Bush's son
        and words[:1].isupper()
        and bool(name_key(words))
        and low[0] not in _TIME | _LEADING
        and low[-1] not in _NOT_LAST
        and not words.startswith("Q_")
    )


class _Descriptions:
    """Resolves a description speaker to the named source it stands for (see
    :attr:`~quoteprov.Quote.named_speaker`), from the sentences just before it.

    * a text ("the statement", "the report") stands for whoever issued the last text of
      that kind the sentences name: 'X's statement', 'a statement from X', 'X issued a
      statement', or the speaker of the sentence that introduced it ('In a statement, a
      spokesperson for the Foreign Ministry argued …' → Foreign Ministry); a definite
      mention before ('the statement did not mention …') passes the search further
      back; another kind of text in between ('a proclamation') leaves it unresolved;
    * an organisation ("the ministry") stands for the one organisation of that noun the
      sentences name ("North Korea's Foreign Ministry");
    * a spokesperson ("the spokeswoman", "the official") stands for the one person the
      sentences name in that role ("spokeswoman Maria Zakharova", "Maria Zakharova, a
      spokeswoman"), else for the one organisation someone of that role was said to
      speak for ("a spokesperson for the Foreign Ministry").

    Two different candidates leave the description unresolved: it names no one then.
    """

    def __init__(
        self, text: str, masked: str, sentences: Sequence[Sentence], starts: list[int]
    ) -> None:
        self.text = text
        self.masked = masked
        self.sentences = sentences
        self.starts = starts
        self.speakers: list[Span] = []  # speaker spans of earlier quotations

    def heard(self, span: Span | None) -> None:
        if span is not None:
            self.speakers.append(span)

    def resolve(self, span: Span) -> Span | None:
        if _article_name(span.text):
            # 'the State Department', 'the New York Times', 'the FBI': a name after its article
            return self._span(span.start + len(span.text) - len(span.text[3:].lstrip()), span.end)
        found = _description(span.text)
        if found is None:
            return self._inside(span)
        head, kind = found
        modifiers = span.text.split()[1:-1]
        if any(w.lower() in {"vice", "deputy"} or w.endswith(_POSSESSIVE) for w in modifiers):
            return None  # 'the vice president', "the campaign's statement": another's
        if kind == "document":
            return self._document(head, span.start)
        lo = self._window(span.start)
        if kind == "organisation":
            return self._single(self._organisations(head, lo, span.start))
        # 'the Florida senator': one named where the text says Florida
        places = [w for w in modifiers if w[:1].isupper()]
        people = [
            p
            for p in self._people(head, lo, span.start)
            if all(
                w in self.masked[max(0, p.start - 60) : min(p.end + 30, span.start)] for w in places
            )
        ]
        unnamed = re.compile(
            rf"\b(?:[Aa]n?|[Oo]ne)[ ](?:[\w-]+[ ]){{0,4}}(?i:{self._roles(head)})\b"
        )
        later = [m.start() for m in unnamed.finditer(self.masked, lo, span.start)]
        if people and later and later[-1] > people[-1].end:
            return None  # '… Adam Schiff said … A senior official said "…," the official said'
        if people or head not in SPOKESPERSON_NOUNS:
            return self._single(people)
        return self._single(self._represented(head, lo, span.start))

    def _inside(self, span: Span) -> Span | None:
        """The organisation an indefinite spokesperson speaks for, named in the same words
        ('a spokesperson for the Foreign Ministry', 'a Foreign Ministry spokesman')."""
        words = [w.lower().strip(_STRIP) for w in span.text.split()]
        if len(words) < 3 or words[0] not in {"a", "an"}:
            return None
        if not any(w in SPOKESPERSON_NOUNS for w in words):
            return None
        runs = self._named_runs(span.start, span.end)
        if not runs or runs[0].text.split()[-1].lower() not in ORGANISATION_NOUNS | _ORG_HEADS:
            return None
        return runs[0]

    def _window(self, pos: int) -> int:
        """Where the search before ``pos`` starts: :data:`_DESCRIPTION_SENTENCES`
        sentences back."""
        i = bisect_right(self.starts, pos) - 1
        return self.sentences[max(0, i - _DESCRIPTION_SENTENCES)].start if i >= 0 else 0

    def _single(self, found: list[Span]) -> Span | None:
        """The last candidate when all candidates may name one source ('President
        Barack Obama' … 'President Obama'), else None."""
        if not found:
            return None
        last = found[-1].text
        same = all(same_speaker(s.text, last) or _key(s.text) == _key(last) for s in found)
        return found[-1] if same else None

    def _span(self, start: int, end: int) -> Span:
        last = self.text[start:end].split()[-1:] or [""]
        if last[0].endswith(".") and "." not in last[0][:-1] and len(last[0]) > 3:
            end -= 1  # a full stop, not an abbreviation's ('U.S.', 'Jr.')
        return Span(start=start, end=end, text=self.text[start:end])

    def _named_runs(self, lo: int, hi: int) -> list[Span]:
        """Runs of capitalised words in ``masked[lo:hi]`` that may name someone, without
        a leading article or a trailing possessive."""
        runs = []
        for m in _NAMED_RUN.finditer(self.masked, lo, hi):
            a, b = m.start(), m.end()
            words = m.group().split()
            while words and (words[0].lower() in _DETERMINERS or words[0].lower() in _LEADING):
                a += len(words[0]) + 1
                words = words[1:]
            while words and words[-1].lower() in _SOURCE_PREPOSITIONS:
                b -= len(words[-1]) + 1
                words = words[:-1]
            if words and words[-1].endswith(".") and "." not in words[-1][:-1]:
                b -= 1  # a full stop, not an abbreviation's ('U.S.')
            if words and not words[0].startswith("Q_"):
                runs.append(self._span(a, b))
        return runs

    def _organisations(self, head: str, lo: int, hi: int) -> list[Span]:
        """Named organisations of noun ``head`` ('Foreign Ministry', 'Clinton campaign')."""
        found = []
        for m in re.finditer(rf"\b{head}\b", self.masked[lo:hi], re.IGNORECASE):
            end = lo + m.end()
            before = [r for r in self._named_runs(max(lo, end - 80), end) if r.end >= end - 1]
            if before and before[-1].end == end:  # 'the Foreign Ministry'
                found.append(before[-1])
            elif before and self.masked[before[-1].end : lo + m.start()].strip() == "":
                found.append(self._span(before[-1].start, end))  # 'the Clinton campaign'
        return [s for s in found if name_key(s.text) or s.text[:1].isupper()]

    def _roles(self, head: str) -> str:
        """A pattern of the words that give someone role ``head``: 'the official' any
        spokesperson's, 'the senator' 'Sen.' too; never 'Vice President' for 'the
        president'."""
        roles: set[str] = set(ROLE_FORMS.get(head, (head,)))
        if head.startswith("official"):
            roles = set(SPOKESPERSON_NOUNS)
        elif head.startswith("spokes"):
            roles = {r for r in SPOKESPERSON_NOUNS if r.startswith("spokes")}
        return r"(?<![Vv]ice[ -])(?:" + "|".join(re.escape(r) for r in sorted(roles)) + ")"

    def _people(self, head: str, lo: int, hi: int) -> list[Span]:
        """People named in role ``head``: 'spokeswoman Maria Zakharova', 'Maria Zakharova,
        a spokeswoman …'."""
        roles = self._roles(head)
        found = []
        after = re.compile(rf"\b(?i:{roles})s?[ ]+({_CAPS}(?:[ ]{_CAPS}){{0,3}})")
        for m in after.finditer(self.masked, lo, hi):
            if _person_name(m.group(1)):
                found.append(self._span(m.start(1), m.end(1)))
        before = re.compile(
            rf"({_CAPS}(?:[ ]{_CAPS}){{0,3}}),[ ](?:a|an|the)[ ](?:[\w-]+[ ]){{0,4}}(?i:{roles})\b"
        )
        for m in before.finditer(self.masked, lo, hi):
            if _person_name(m.group(1)):
                found.append(self._span(m.start(1), m.end(1)))
        return sorted(found, key=lambda s: s.start)

    def _represented(self, head: str, lo: int, hi: int) -> list[Span]:
        """Organisations someone in role ``head`` was said to speak for: 'a spokesperson
        for the North Korean Foreign Ministry' → North Korean Foreign Ministry."""
        roles = self._roles(head)
        pattern = re.compile(
            rf"\b(?i:{roles})s?[ ](?:for|of|at|from)[ ](?:the[ ])?({_CAPS}(?:[ ]{_CAPS}){{0,5}})"
        )
        return [
            self._span(m.start(1), m.end(1))
            for m in pattern.finditer(self.masked, lo, hi)
            if m.group(1)[:1].isupper() and not m.group(1).startswith("Q_")
        ]

    def _document(self, head: str, pos: int) -> Span | None:
        """Whoever issued the last text of kind ``head`` named before ``pos``."""
        nouns = "|".join(sorted(DOCUMENT_NOUNS))
        while True:
            lo = self._window(pos)
            mentions = list(re.finditer(rf"\b({nouns})s?\b", self.masked[lo:pos], re.IGNORECASE))
            if not mentions:
                return None
            m = mentions[-1]
            if m.group(1).lower() != head:
                return None  # another text in between: 'a proclamation … the statement'
            start = lo + m.start()
            issuer = self._issuer(start, lo + m.end())
            if issuer is not None:
                return issuer
            words = [w.lower() for w in self.masked[max(0, start - 40) : start].split()]
            if not any(w in _DEFINITE for w in words[-2:]):
                return None  # 'a statement' with no issuer is a text of no one named
            pos = start  # 'the statement did not mention …': further back

    def _issuer(self, start: int, end: int) -> Span | None:
        """The named source of the text mentioned at ``masked[start:end]``, from its
        sentence: 'X's statement', 'a statement from X', 'X issued a statement', or the
        speaker of the clause the mention is an adjunct of ('X said in a statement', 'In
        a statement, X said')."""
        s_lo, s_hi, _ = _bounds(self.sentences, self.starts, start)
        if s_lo < 0:
            return None
        words = self.masked[max(s_lo, start - 60) : start].split()[-3:]
        owner = [i for i, w in enumerate(words) if w.endswith(_POSSESSIVE)]
        if owner and all(w.islower() for w in words[owner[-1] + 1 :]):
            # "North Korea's statement", "Trump's written statement"; "the campaign's
            # statement" is no one's named
            runs = self._named_runs(max(s_lo, start - 60), start)
            if runs and self.masked[runs[-1].end : runs[-1].end + 2] in {"'s", "’s"}:
                return runs[-1]
            return None
        m = re.match(r"\s+(?:from|by|of)\s+(?:the\s+)?", self.masked[end : end + 20])
        if m:
            after = self._named_runs(end + m.end(), min(s_hi, end + m.end() + 80))
            if after and after[0].start == end + m.end():
                return after[0]  # 'a statement from the Foreign Ministry'
        before = _tokens(self.masked, s_lo, start)
        k = len(before)
        while k > 0 and before[k - 1].core.islower() and not _breaks_clause(before[k - 1]):
            k -= 1
            if before[k].low.endswith("ed") or before[k].low in _ISSUED:
                # 'Cook provided a written statement', 'X issued the following statement'
                verb = _skip_fillers(before, k)
                subject = before[_capitals_from(before[:verb]) : verb]  # 'The Times said Cook'
                cut = [i + 1 for i, t in enumerate(subject[:-1]) if _breaks_clause(t)]
                subject = subject[cut[-1] :] if cut else subject  # 'In Washington, Obama'
                if subject and _named(" ".join(t.core for t in subject)):
                    return self._source_of(self._span(subject[0].start, subject[-1].end))
                break
        for span in reversed(self.speakers):
            if s_lo <= span.start < s_hi:
                return self._source_of(span)
        toks = _tokens(self.masked, s_lo, s_hi)
        adjunct = bool(before) and before[0].low in _PREPOSITIONS  # 'In a statement, X said'
        for j in range(len(toks)):
            n = _cue_at(toks, j)
            if n and not _noun_use(toks, j) and (adjunct or toks[j].end <= start):
                clause = toks if toks[j].low == "according" else toks[: j + n]
                said = _clause(self.masked, clause, j, n)
                if said is not None:  # not 'a written statement'
                    return self._source_of(self._span(*said.speaker))
        return None

    def _source_of(self, span: Span) -> Span | None:
        """The named source in a speaker's words: the name itself, or the organisation of
        a description ('a spokesperson for the Foreign Ministry')."""
        if _named(span.text):
            return span
        # 'a spokesperson for the Foreign Ministry', 'a Foreign Ministry spokesperson'
        runs = self._named_runs(span.start, span.end)
        return runs[0] if runs else None
