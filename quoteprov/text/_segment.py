"""Sentence splitting with character offsets into the original text.

A rule-based splitter tuned for news.  It breaks after ``.``, ``!``, ``?`` and ellipses
(with any closing quotation marks or brackets; an elision ``[...]`` before a capital) when
the next word can start a sentence, at line breaks that end a paragraph or a title (not
those of hard-wrapped prose), before bullets, before a caption's picture credit (``Photo:
Jane Roe``), and between the items of an inline numbered list.  It does not break on
abbreviations (U.S., Gen., Sept., Mr.), initials, decimals, or inside a quotation.  All the
work is regular-expression scans and bounded look-arounds, so the time is linear in the
length of the text.

>>> text = 'Gen. Smith met Mr. Lee in the U.S. capital. "It went well. We agreed," he said.'
>>> [s.text for s in split_sentences(text)]
['Gen. Smith met Mr. Lee in the U.S. capital.', '"It went well. We agreed," he said.']
"""

from __future__ import annotations

import re

from .._models import Sentence

__all__ = ["split_sentences"]


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())


# never end a sentence: they come before a name or a noun
_TITLES = _words(
    """mr mrs ms mx dr prof gen col lt sgt capt cmdr adm maj cpl pvt gov sen rep rev fr hon
    pres supt insp det amb atty messrs mme mlle mt jan feb mar apr jun jul aug sep sept oct
    nov dec vs v cf e.g i.e viz"""
)
# end a sentence unless a number follows: "No. 1", "p. 55", "pop. 256,000", "Rs. 500"
_BEFORE_NUMBER = _words(
    "no nos n° nº p pp vol vols fig figs art sec ch para op pop est tel ext ca approx rs"
)
# may end a sentence, or may not: decided by the next word
_MAYBE_END = _words(
    """etc inc ltd co corp llc plc bros am pm a.m p.m jr sr st ave blvd rd ft al ed eds
    dept univ assn"""
)
# the same, but only when capitalised: U.S. states (AP style), Canadian provinces, weekdays
_MAYBE_END_CAPITALISED = _words(
    """Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Ky La Md Mass Mich Minn Miss Mo
    Mont Neb Nev Okla Ore Pa Tenn Vt Va Wash Wis Wyo Alta Ont Que Sask Mon Tue Tues Wed
    Thu Thur Thurs Fri Sat"""
)
# words that start sentences after an ambiguous abbreviation ("in the U.S. He said ...")
_STARTERS = _words(
    """a an the he she it they we i you his her its their our my this that these those there
    but and or so yet however meanwhile then still also in on at for if when while after
    before as since because although though what who why how where which not no
    mr mrs ms dr according during both all some many most one each every with by from to
    now today yesterday earlier later is was are were will would can could should did do
    does i'm it's that's there's he's she's we're they're you're"""
)

_CLOSERS = "\"'”’»›)]}」』"
_BULLETS = "•‣⁃◦▪"
# the line breaks of str.splitlines(); a line break ends every quotation
_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_TERMINAL = re.compile(
    r"""(?:
        (?<!\S)\.(?:[ ]\.){2,}    # a spaced ellipsis ". . ." standing apart from the word
        | (?<![.!?…])[.!?…]+      # full stops, ! and ?, "..." and "…" (from a run's
                                  # start: a long run then costs one try, not one a dot)
    )[\"'”’»›)\]}」』]*(?=\s|$)""",
    re.VERBOSE,
)
_WORD_BEFORE = re.compile(r"[^\s\"“‘(\[]+$")
_PREVIOUS_WORD = re.compile(r"(\S+)\s+\S+$")
_INITIALISM = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")  # "U.S", "a.m", "J.R.R" before a "."
# the next word, after opening quotes or brackets and the dots of an ellipsis
_NEXT_WORD = re.compile(r"(?:[\s\"'“‘«(\[]|\.(?=[\s.]))*(\S*)")
_ITEM_ONLY = re.compile(rf"[{_BULLETS}]?\s*(?:\d{{1,3}}|[^\W\d_])")  # "1." "b." "• 9."
_ITEM = re.compile(r"(?<!\S)(\d{1,2}|[a-z])(\.\)|\)|\.)(?=\s)")  # "2.)" "2)" "2." "b."
_BULLET = re.compile(rf"(?<=\s)[{_BULLETS}]")
_QUOTE_OR_BREAK = re.compile(rf"(?P<q>[\"“”„«»])|(?P<br>{_LINE_BREAK.pattern})")
# a picture credit at the end of a caption: "... in 2019. Photo: Jane Roe" (group: its
# first word, which must not be lower case); it ends the caption's block, is a few words
# long, and follows a few words of caption ("The Big Picture: What It Means" is a title)
_CREDIT = re.compile(
    r"(?<=\S)\s+(?:(?:Image|Photo|Photograph|Picture|Illustration|Graphic)s?|Credit):\s+(\S)"
)
_CREDIT_WORDS = 8  # words of a credit at most, its label included
_CAPTION_WORDS = 3  # words of caption before it at least (titles: "The Big Picture: ...")
_FIRST_WORDS = re.compile(rf"(?:\S+\s+){{{_CAPTION_WORDS}}}")
_LINE_CONTINUES = re.compile(r"[ \t]*[^\W\d_]")  # the next line's first letter
_FIRST_WORD = re.compile(r"[ \t]*(\S*)")  # the next line's first word


def _skip_space(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos].isspace():
        pos += 1
    return pos


def _trim_space(text: str, start: int, end: int) -> int:
    """``end`` moved back over the whitespace ending ``text[start:end]``."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _quotation_mask(text: str) -> bytearray:
    """Mark (with 1) every character inside a quotation that closes on its own line.

    ``«`` and ``„`` always open and ``»`` always closes.  ``“`` and ``”`` open after a
    space, a line start, an opening bracket or a dash and close elsewhere, so German
    ``„…“`` and Swedish ``”…”`` quotations are read right.  A straight ``"`` closes the
    open straight quotation if there is one; otherwise it opens one where ``“`` would,
    and is ignored elsewhere (an inch mark: ``6'2"``).  An unclosed quotation marks
    nothing.
    """
    mask = bytearray(len(text))
    curly = 0  # depth of open curly or angle quotations
    straight = False  # whether a straight quotation is open
    opened_at = 0
    for m in _QUOTE_OR_BREAK.finditer(text):
        pos, mark = m.start(), m.group()
        if m.lastgroup == "br":
            curly, straight = 0, False
            continue
        before = text[pos - 1] if pos else " "
        opens = before.isspace() or before in "([{<—–-/"
        was_open = curly or straight
        if mark == '"':
            if straight or opens:
                straight = not straight
        elif mark in "«„" or (mark != "»" and opens):
            curly += 1
        elif curly:
            curly -= 1
        if not was_open and (curly or straight):
            opened_at = pos
        elif was_open and not (curly or straight):
            mask[opened_at:pos] = b"\x01" * (pos - opened_at)
    return mask


def _wrapped(text: str, line_start: int, line_end: int, next_start: int, next_end: int) -> bool:
    """Whether the line ``[line_start, line_end)`` was wrapped into the next line.

    A hard-wrapped line continues when the next line starts in lower case, this one does
    not end with sentence-final punctuation, and the next line's first word did not fit
    on this one: wrapping is greedy, so a line that could have taken the next word, as
    long as the next line is, was ended on purpose (a headline, a date line, a caption, a
    review's title, the last line of a paragraph).
    """
    last = _trim_space(text, line_start, line_end)
    nxt = _LINE_CONTINUES.match(text, next_start, next_end)
    if not nxt or not nxt.group()[-1].islower() or last == line_start:
        return False
    if text[last - 1] in '.!?:;"”’»)':
        return False
    first_word = _FIRST_WORD.match(text, next_start, next_end)
    width = len(first_word.group(1)) if first_word else 0
    return (last - line_start) + 1 + width > _trim_space(text, next_start, next_end) - next_start


def _blocks(text: str) -> list[tuple[int, int]]:
    """Paragraph-level blocks: a line break ends a block unless prose continues after it.

    A hard-wrapped line continues into the next (:func:`_wrapped`).  Bullets standing
    after a space start a block of their own.
    """
    breaks = [(m.start(), m.end()) for m in _LINE_BREAK.finditer(text)]
    blocks: list[tuple[int, int]] = []
    start = line_start = 0
    for i, (end, after) in enumerate(breaks):
        next_end = breaks[i + 1][0] if i + 1 < len(breaks) else len(text)
        if _wrapped(text, line_start, end, after, next_end):
            line_start = after
            continue
        blocks.append((start, end))
        start = line_start = after
    blocks.append((start, len(text)))
    out: list[tuple[int, int]] = []
    for a, b in blocks:
        for bullet in _BULLET.finditer(text, a, b):
            out.append((a, bullet.start()))
            a = bullet.start()
        out.append((a, b))
    return out


def _is_boundary(text: str, punct_start: int, punct_end: int) -> bool:
    """Whether terminal punctuation at ``[punct_start, punct_end)`` ends a sentence."""
    nxt = _NEXT_WORD.match(text, punct_end, punct_end + 80)
    if nxt is None or not nxt.group(1):
        return True
    word_after = nxt.group(1)
    first = word_after[0]
    if first.islower() or first in ",;:":
        return False  # '"Yes," he said', "3 p.m. today"
    mark = text[punct_start:punct_end].rstrip(_CLOSERS)
    ellipsis = ".." in mark or "…" in mark or ". ." in mark
    if punct_start and text[punct_start - 1] in "[(":
        # a remark "(?)" goes on; an elision "[...]" ends a sentence only before a word
        # that follows it directly: "yields [...] Ozone is", not '[...]" (Smith 55).'
        elision = ellipsis and "]" in text[punct_start:punct_end]
        if not (elision and text[punct_end : nxt.start(1)].isspace()):
            return False
    if mark != ".":
        if ellipsis:
            # "I" is capitalised anywhere: after an ellipsis it does not start a sentence
            return re.match(r"I\b", word_after) is None
        # ! ? ?! followed by a capital; not an aside between dashes: "and -- voila! -- you"
        return word_after not in ("-", "--", "–", "—")
    window = text[max(0, punct_start - 64) : punct_start]
    before = _WORD_BEFORE.search(window)
    word = before.group().lstrip("'") if before else ""
    low = word.lower().rstrip(".")
    if low in _TITLES:
        return False
    if low in _BEFORE_NUMBER:
        return not word_after[0].isdigit()
    if len(word) == 1 and word.isalpha():
        if word == "I":  # the pronoun ("you and I. Did ...") or an initial ("Albert I. Jones")
            prev = _PREVIOUS_WORD.search(window)
            return not (prev and prev.group(1)[:1].isupper())
        return False  # an initial ("John F. Kennedy") or a letter abbreviation ("p. 55")
    bare = word_after.strip("\"'“”‘’,;:()").lower().replace("’", "'")
    if low in _MAYBE_END or word in _MAYBE_END_CAPITALISED or _INITIALISM.fullmatch(word):
        return bare in _STARTERS  # "the U.S. He said" ends; "the U.S. Senate" does not
    return True


def _list_cuts(text: str, start: int, end: int, cuts: list[int]) -> list[int]:
    """Add a cut before each item of an inline list that a sentence start opens.

    ``"1) The first item 2) The second item"``: a list starts with item ``1``/``a`` at
    the start of a sentence, and each following marker of the same style and the next
    number or letter starts a sentence.  A cut right after such a marker is dropped.
    """
    starts = {_skip_space(text, pos, end) for pos in (start, *cuts)}
    expected: tuple[str, str] | None = None
    out = set(cuts)
    for m in _ITEM.finditer(text, start, end):
        value, style = m.group(1), m.group(2)
        if value in ("1", "a") and m.start() in starts:
            expected = (str(int(value) + 1) if value.isdigit() else "b", style)
        elif expected == (value, style):
            out.add(m.start())
            out.discard(m.end())
            expected = (str(int(value) + 1) if value.isdigit() else chr(ord(value) + 1), style)
    return sorted(out)


def split_sentences(text: str, *, keep_quotations: bool = True) -> list[Sentence]:
    """Split ``text`` into sentences whose offsets slice the original exactly.

    Parameters
    ----------
    text : str
        Any text; line breaks end paragraphs and titles.
    keep_quotations : bool, default True
        Never break inside a quotation that closes on its own line, so that a quotation
        and its attribution stay in one sentence.  ``False`` breaks inside quotations as
        well, as treebanks such as Universal Dependencies do.

    Returns
    -------
    list of Sentence
        In order, stripped of outer whitespace, with ``text[s.start:s.end] == s.text``.
        Whitespace between sentences belongs to none; every other character belongs to
        exactly one sentence.

    Examples
    --------
    >>> [s.text for s in split_sentences("The deal is worth $3.5 billion. Sept. 4 was a Friday!")]
    ['The deal is worth $3.5 billion.', 'Sept. 4 was a Friday!']
    >>> [s.text for s in split_sentences('"We won. It is over," she said.', keep_quotations=False)]
    ['"We won.', 'It is over," she said.']
    """
    inside = _quotation_mask(text) if keep_quotations else None
    cuts: list[int] = []
    for block_start, block_end in _blocks(text):
        last_word = block_end  # nothing but punctuation after it: no cut there
        while last_word > block_start and not text[last_word - 1].isalnum():
            last_word -= 1
        block_cuts: list[int] = []
        start = _skip_space(text, block_start, block_end)  # of the current sentence
        for m in _TERMINAL.finditer(text, block_start, block_end):
            if m.start() >= last_word:
                break
            # a quotation's own full stop is no boundary while the quotation goes on
            if inside is not None and inside[m.start()] and inside[m.end() - 1]:
                continue
            if m.start() <= start:
                continue  # an ellipsis opening a sentence: ". . . The practice"
            if m.start() - start <= 6 and _ITEM_ONLY.fullmatch(text, start, m.start()):
                continue  # a list marker: "1. The first item"
            if _is_boundary(text, m.start(), m.end()):
                block_cuts.append(m.end())
                start = _skip_space(text, m.end(), block_end)
        # a credit ending a caption starts a sentence of its own, with or without a full
        # stop before it (only the block's last few words are looked at: linear time)
        caption = _FIRST_WORDS.match(text, block_start, block_end)
        tail = max(block_start, block_end - 40 * _CREDIT_WORDS)
        for credit in _CREDIT.finditer(text, tail, block_end):
            label = _skip_space(text, credit.start(), block_end)
            if (
                caption is not None
                and label >= caption.end()
                and not credit.group(1).islower()
                and len(text[label:block_end].split()) <= _CREDIT_WORDS
                and (inside is None or not inside[label])
            ):
                block_cuts.append(label)
                break
        block_cuts.sort()
        cuts.extend(_list_cuts(text, block_start, block_end, block_cuts))
        cuts.append(block_end)
    sentences: list[Sentence] = []
    start = 0
    for end in cuts:
        a = _skip_space(text, start, end)
        b = _trim_space(text, a, end)
        if b > a:
            sentences.append(Sentence(start=a, end=b, text=text[a:b], index=len(sentences)))
        start = max(start, end)
    return sentences
