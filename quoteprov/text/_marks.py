"""Quotation marks paired into quotations, paragraph by paragraph."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from types import MappingProxyType
from typing import NamedTuple

__all__ = ["UNCLOSED_MIN_WORDS", "WORD", "Segment", "find_segments"]

UNCLOSED_MIN_WORDS = 4
"""Fewest words an unclosed quotation needs to count (it must also end like a sentence)."""

_MAX_DEPTH = 16  # deeper nesting is noise; further opening marks are ignored
_WRAPPED_LINES = 6  # lines after the first a hard-wrapped paragraph may take in
_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"

# two apostrophes and two backticks are double marks in ASCII text: ``so'' and ''so'';
# three right after a word close a single then a double quotation: ''He said, 'No,'''
_MARK = re.compile(f"(?<=[^\\s'])'(?='')|''|``|[\"'“”‘’‛«»„‚「」『』‹›{_BREAKS}]")
_QUOTE_CHARS = "\"'“”‘’‛«»„‚「」『』‹›`"
_CLOSERS = MappingProxyType(
    {
        '"': ('"', "”"),  # straight and curly marks get mixed: "…” and “…"
        "“": ("”", '"'),
        "``": ("''", "”", '"'),
        "''": ("''",),
        "„": ("“", "”"),
        "«": ("»",),
        "「": ("」",),
        "『": ("』",),
        "‹": ("›",),
        "‚": ("‘", "’"),
        "‘": ("’",),
        "‛": ("’",),
        "'": ("'",),
        "”": ("”",),  # ” typed for “
    }
)
_OPENS_ONLY = frozenset({"«", "„", "「", "『", "‹", "‚", "``"})
_CLOSES_ONLY = frozenset("»」』›")
_SINGLE = frozenset("'‘’‛‚‹›")  # single marks: closed only by the innermost quotation
_BEFORE_OPEN = frozenset("([{<—–―-/" + _QUOTE_CHARS)
_AFTER_CLOSE = frozenset(".,;:!?)]}>—–―-…/" + _QUOTE_CHARS)
_UNCLOSED_AFTER = frozenset(":,.!?;—–―-(" + _QUOTE_CHARS)  # an unclosed quotation starts a clause
_TERMINAL_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
WORD = re.compile(r"[^\W_]+")
"""A word: a run of letters or digits."""


_Found = tuple[int, int, int, int]  # open mark, first quoted char, closing mark (or end), after


class _Open(NamedTuple):
    pos: int
    mark: str
    children: list[_Found]  # quotations closed inside this one


class Segment(NamedTuple):
    """One top-level quoted stretch: marks at ``open`` and ``close - 1`` (when closed)."""

    open: int
    start: int
    end: int
    close: int
    para_lo: int  # the paragraph holding it
    para_hi: int


def _context(text: str, i: int, j: int, lo: int, hi: int) -> tuple[bool, bool]:
    """Whether the mark ``text[i:j]`` stands where a quotation opens and where one closes."""
    prev = text[i - 1] if i > lo else ""
    nxt = text[j] if j < hi else ""
    opening = (
        (not prev or prev.isspace() or prev in _BEFORE_OPEN) and bool(nxt) and (not nxt.isspace())
    )
    closing = (
        bool(prev) and not prev.isspace() and (not nxt or nxt.isspace() or nxt in _AFTER_CLOSE)
    )
    return opening, closing


def _inside_word(text: str, i: int, lo: int, hi: int) -> bool:
    return lo < i < hi - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()


def _close(stack: list[_Open], level: int, pos: int, end: int, out: list[_Found]) -> None:
    """Close ``stack[level]`` with the mark at ``pos:end``; quotations still open above it
    are dropped."""
    while len(stack) > level + 1:
        _drop(stack, out)
    entry = stack.pop()
    found = (entry.pos, entry.pos + len(entry.mark), pos, end)
    (stack[-1].children if stack else out).append(found)


def _drop(stack: list[_Open], out: list[_Found]) -> None:
    """Forget the innermost opening mark; quotations closed inside it move up a level."""
    entry = stack.pop()
    (stack[-1].children if stack else out).extend(entry.children)


def _find(stack: list[_Open], mark: str, top_only: bool = False) -> int:
    """Level of the innermost open quotation that ``mark`` closes, or -1."""
    levels = [len(stack) - 1] if top_only else range(len(stack) - 1, -1, -1)
    for level in levels:
        if level >= 0 and mark in _CLOSERS[stack[level].mark]:
            return level
    return -1


def _push(stack: list[_Open], pos: int, mark: str) -> None:
    if len(stack) < _MAX_DEPTH:
        stack.append(_Open(pos, mark, []))


def _paragraph(text: str, lo: int, hi: int, marks: list[tuple[int, str]]) -> list[_Found]:
    """Top-level quotations of one paragraph."""
    out, stack = _scan(text, lo, hi, marks)
    return _finish(text, lo, hi, out, stack)


def _scan(
    text: str, lo: int, hi: int, marks: list[tuple[int, str]]
) -> tuple[list[_Found], list[_Open]]:
    """The quotations that ``marks`` close in ``text[lo:hi]``, and those left open."""
    out: list[_Found] = []
    stack: list[_Open] = []
    for i, ch in marks:
        j = i + len(ch)
        opening, closing = _context(text, i, j, lo, hi)
        top = stack[-1] if stack else None
        if ch in _OPENS_ONLY:
            _push(stack, i, ch)
        elif ch in _CLOSES_ONLY:
            level = _find(stack, ch, top_only=ch in _SINGLE)
            if level >= 0:
                _close(stack, level, i, j, out)
        elif ch == "“":
            if top and ("“" in _CLOSERS[top.mark] or (top.mark == ch and closing and not opening)):
                _close(stack, len(stack) - 1, i, j, out)  # „…“, or “…“ typed for “…”
            else:
                if top and top.mark == ch:
                    _drop(stack, out)
                _push(stack, i, ch)
        elif ch == "”":
            level = _find(stack, ch)
            if level >= 0:
                _close(stack, level, i, j, out)
            elif opening and not closing and all(e.mark in _SINGLE for e in stack):
                _push(stack, i, ch)  # ” typed for “
        elif ch in ('"', "''"):
            level = _find(stack, ch)
            same = level >= 0 and stack[level].mark == ch
            if same and opening and not closing:  # a clear opening while one is open:
                while len(stack) > level:  # the open one was a stray mark
                    _drop(stack, out)
                _push(stack, i, ch)
            elif same or (level >= 0 and closing and not opening):
                _close(stack, level, i, j, out)
            elif opening or not closing:
                _push(stack, i, ch)
        elif _inside_word(text, i, lo, hi):
            continue  # apostrophe: it's, Kim Jong Un’s
        elif ch in "‘‛":
            if top and "‘" in _CLOSERS[top.mark]:  # ‚…‘
                _close(stack, len(stack) - 1, i, j, out)
            elif opening:
                if top and top.mark in "‘‛":
                    _drop(stack, out)
                _push(stack, i, ch)
        elif ch in "’'":
            if closing and _find(stack, ch, top_only=True) >= 0:
                _close(stack, len(stack) - 1, i, j, out)
            elif ch == "'" and opening and not closing:
                if top and top.mark == ch:
                    _drop(stack, out)
                _push(stack, i, ch)
    return out, stack


def _finish(text: str, lo: int, hi: int, out: list[_Found], stack: list[_Open]) -> list[_Found]:
    """A paragraph's quotations once its end has left ``stack`` open: an unclosed
    quotation counts when it opens a paragraph or clause and ends like a sentence."""
    while len(stack) > 1:
        _drop(stack, out)
    if stack:
        bottom = stack[0]
        first = bottom.pos + len(bottom.mark)
        body = text[first:hi].rstrip()
        prefix = text[lo : bottom.pos].rstrip()
        if (
            bottom.mark not in _SINGLE
            and body[:1] == text[first : first + 1]  # no space after the mark
            and (not prefix or prefix[-1] in _UNCLOSED_AFTER)
            and len(WORD.findall(body)) >= UNCLOSED_MIN_WORDS
            and _TERMINAL_END.search(body)
        ):
            out.append((bottom.pos, first, hi, hi))
        else:
            _drop(stack, out)
    return out


class _Line(NamedTuple):
    lo: int
    hi: int  # where its line break starts (or the text ends)
    marks: list[tuple[int, str]]
    newline: bool  # ends with a line break that may be a hard wrap (\n, \r\n or \r)


def _lines(text: str) -> Iterator[_Line]:
    """The lines of ``text`` with their quotation marks; ``\\r\\n`` is one break."""
    lo = 0
    skip = 0  # the \n of a \r\n
    marks: list[tuple[int, str]] = []
    for m in _MARK.finditer(text):
        ch = m.group()
        if ch not in _BREAKS:
            marks.append((m.start(), ch))
        elif m.start() >= skip:
            end = m.end() + (ch == "\r" and text.startswith("\n", m.end()))
            yield _Line(lo, m.start(), marks, ch in "\r\n")
            lo, skip, marks = end, end, []
    yield _Line(lo, len(text), marks, False)


def find_segments(text: str) -> list[Segment]:
    """Every top-level quotation of ``text`` with words in it, in text order.

    A line break ends a paragraph, except a single one (``\\n``, ``\\r\\n``, ``\\r``; not
    before a blank line) inside a double-mark quotation that closes within
    :data:`_WRAPPED_LINES` lines, when the line does not end like a sentence: a
    hard-wrapped quotation is one quotation.  (A quotation left open at the end of a
    sentence and of its line is the convention for one continued in the next
    paragraph, where single line breaks part paragraphs: step 2 reads it.)
    """
    segments: list[Segment] = []
    lines = _lines(text)
    ahead: deque[_Line] = deque()

    def peek(k: int) -> _Line | None:
        while len(ahead) <= k:
            line = next(lines, None)
            if line is None:
                return None
            ahead.append(line)
        return ahead[k]

    while (line := ahead.popleft() if ahead else next(lines, None)) is not None:
        if not line.marks:
            continue
        lo, hi, marks, newline = line
        found, stack = _scan(text, lo, hi, marks)
        taken = 0  # lines after this one joined to its paragraph
        while stack and newline and taken < _WRAPPED_LINES and _wraps(text, lo, hi):
            # the quotation open at this break may close on one of the next lines
            merged, closed = list(marks), False
            for k in range(taken, _WRAPPED_LINES):
                nxt = peek(k)
                if nxt is None or not text[nxt.lo : nxt.hi].strip():
                    break  # the text's end or a blank line: a paragraph break
                merged += nxt.marks
                tried, left = _scan(text, lo, nxt.hi, merged)
                if any(o < hi < c and text[o] not in _SINGLE for o, _, c, _ in tried):
                    taken, marks, hi, newline = k + 1, merged, nxt.hi, nxt.newline
                    found, stack, closed = tried, left, True
                    break
                if not nxt.newline:
                    break
            if not closed:
                break
        for _ in range(taken):
            ahead.popleft()
        segments += _trimmed(text, lo, hi, _finish(text, lo, hi, found, stack))
    return segments


def _wraps(text: str, lo: int, hi: int) -> bool:
    """Whether the line ``text[lo:hi]`` breaks off inside a sentence (a hard wrap)."""
    k = hi
    while k > lo and text[k - 1].isspace():
        k -= 1
    return k > lo and _TERMINAL_END.search(text, lo, k) is None


def _trimmed(text: str, lo: int, hi: int, found: list[_Found]) -> list[Segment]:
    """One paragraph's quotations with outer spaces trimmed; those without words dropped."""
    segments = []
    for open_pos, first, close_pos, after in sorted(found):
        body = text[first:close_pos]
        start = first + len(body) - len(body.lstrip())
        end = first + len(body.rstrip())
        if WORD.search(text, start, end):
            segments.append(Segment(open_pos, start, end, after, lo, hi))
    return segments
