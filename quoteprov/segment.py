"""Sentence splitting with character offsets into the original text.

A rule-based splitter tuned for news: it breaks after ``.``, ``!``, ``?`` and ``…`` (with
any closing quotation marks or brackets) when the next word can start a sentence, and at
line breaks that end a paragraph or a title.  It does not break on abbreviations
(U.S., Gen., Sept., Mr.), initials, decimals, or inside a quotation.

>>> text = 'Gen. Smith met Mr. Lee in the U.S. capital. "It went well. We agreed," he said.'
>>> [s.text for s in split_sentences(text)]
['Gen. Smith met Mr. Lee in the U.S. capital.', '"It went well. We agreed," he said.']
"""

from __future__ import annotations

import re

from .models import Sentence

__all__ = ["split_sentences"]

# never end a sentence: they come before a name, a number or a noun
_TITLES = frozenset(
    """mr mrs ms mx dr prof gen col lt sgt capt cmdr adm maj cpl pvt gov sen rep rev fr st
    hon pres supt insp det amb messrs mme mlle sr jr jan feb mar apr jun jul aug sep sept oct
    nov dec no nos vs v approx ca cf al fig figs vol vols pp ed eds dept univ assn bros
    ave blvd rd mt ft op art sec ch para e.g i.e viz""".split()
)
# may end a sentence, or may not: decided by the next word
_MAYBE_END = frozenset("etc inc ltd co corp llc plc bros am pm a.m p.m".split())
# words that start sentences after an ambiguous abbreviation ("in the U.S. He said ...")
_STARTERS = frozenset(
    """a an the he she it they we i you his her its their our my this that these those there
    but and or so yet however meanwhile then still also in on at for if when while after
    before as since because although though what who why how where which not no
    mr mrs ms dr""".split()
)

_OPEN_QUOTES = "“«„‹「『"
_CLOSE_QUOTES = "”»‟›」』"
_CLOSERS = "\"'”’»›)]}」』"
_TERMINAL = re.compile(r"(?:[.!?…]+|\.{3,})[\"'”’»›)\]}」』]*(?=\s|$)")
_WORD_BEFORE = re.compile(r"([^\s\"'“‘(\[]+)$")


def _quote_depth_changes(text: str) -> list[tuple[int, int]]:
    """Positions where a quotation opens (+1) or closes (-1); straight quotes alternate."""
    events: list[tuple[int, int]] = []
    straight_open = False
    for i, ch in enumerate(text):
        if ch in _OPEN_QUOTES:
            events.append((i, +1))
        elif ch in _CLOSE_QUOTES:
            events.append((i, -1))
        elif ch == '"':
            events.append((i, -1 if straight_open else +1))
            straight_open = not straight_open
        elif ch == "\n":
            events.append((i, 0))  # a paragraph ends every quotation
            straight_open = False
    return events


def _inside_quote_mask(text: str) -> bytearray:
    """1 for every character inside an open quotation of the same paragraph."""
    mask = bytearray(len(text))
    depth = 0
    opened_at = 0
    events = _quote_depth_changes(text)
    for pos, delta in events:
        if delta == 0:
            depth = 0
            continue
        if delta > 0:
            if depth == 0:
                opened_at = pos
            depth += 1
        elif depth > 0:
            depth -= 1
            if depth == 0:
                mask[opened_at:pos] = b"\x01" * (pos - opened_at)
    return mask


def _next_word(text: str, pos: int) -> str:
    m = re.match(r"\s*[\"'“‘«(\[]*([^\s]*)", text[pos:pos + 80])
    return m.group(1) if m else ""


def _is_boundary(text: str, punct_start: int, punct_end: int) -> bool:
    """Whether terminal punctuation at ``[punct_start, punct_end)`` ends a sentence."""
    nxt = _next_word(text, punct_end)
    if not nxt:
        return True
    first = nxt[0]
    if first.islower():
        return False  # "... 3 p.m. yesterday", '"Yes," he said' never start a sentence
    mark = text[punct_start:punct_end].rstrip(_CLOSERS)
    if mark != ".":
        return True  # ! ? … and ellipses followed by a capital
    before = _WORD_BEFORE.search(text, 0, punct_start)
    word = before.group(1) if before else ""
    low = word.lower().rstrip(".")
    if low in _TITLES:
        return False
    if len(word) == 1 and word.isalpha() and word.isupper():
        return False  # an initial: "John F. Kennedy"
    bare = nxt.strip("\"'“”‘’,;:()").lower()
    if low in _MAYBE_END or re.fullmatch(r"(?:[^\W\d_]\.)+[^\W\d_]", word):
        return bare in _STARTERS  # "the U.S. He said" ends; "the U.S. Senate" does not
    return True


def _raw_spans(text: str) -> list[tuple[int, int]]:
    """Line-level blocks: a line break ends a block unless the next line continues it."""
    blocks: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(r"\n", text):
        line_end = m.start()
        rest = text[m.end():].lstrip(" \t")
        prev = text[start:line_end].rstrip()
        # hard-wrapped prose: the next line starts in lower case and this one is unfinished
        if rest[:1].islower() and prev and prev[-1] not in ".!?:;\"”’»)" and "\n" not in (
            text[line_end + 1:m.end() + 1]
        ):
            continue
        blocks.append((start, line_end))
        start = m.end()
    blocks.append((start, len(text)))
    return blocks


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences whose offsets slice the original exactly.

    Whitespace between sentences belongs to none; every other character belongs to exactly
    one sentence, in order.

    >>> [s.text for s in split_sentences("The deal is worth $3.5 billion. Sept. 4 was a Friday!")]
    ['The deal is worth $3.5 billion.', 'Sept. 4 was a Friday!']
    """
    inside = _inside_quote_mask(text)
    cuts: list[tuple[int, int]] = []
    for block_start, block_end in _raw_spans(text):
        start = block_start
        for m in _TERMINAL.finditer(text, block_start, block_end):
            # a quotation's own full stop before its closing mark is not a boundary
            # unless the quotation closed within this match (then the closers are in it)
            if inside[m.start()] and inside[m.end() - 1]:
                continue
            if _is_boundary(text, m.start(), m.end()):
                cuts.append((start, m.end()))
                start = m.end()
        cuts.append((start, block_end))
    sentences: list[Sentence] = []
    for a, b in cuts:
        chunk = text[a:b]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk.rstrip())
        if trail > lead:
            s, e = a + lead, a + trail
            sentences.append(Sentence(start=s, end=e, text=text[s:e], index=len(sentences)))
    return sentences
