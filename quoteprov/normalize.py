"""The comparison form of text, with an exact map back to the original.

quoteprov compares text in one canonical form: Unicode compatibility forms unified (NFKC),
curly and straight quotation marks and dashes unified, case folded, diacritics removed,
invisible format characters dropped and whitespace runs folded to one space.  Comparison
never changes what is reported: :func:`normalize` keeps, for every character of the folded
text, the offset of the original character it came from.

>>> n = normalize("Díaz-Canel  said “Yes”")
>>> n.text
'diaz-canel said "yes"'
>>> n.original_span(0, 10)
(0, 10)
>>> [t.norm for t in tokenize("The U.S. embargo’s 1,000 Díaz-Canel")]
['the', 'us', "embargo's", '1,000', 'diaz', 'canel']
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

__all__ = ["Normalized", "Token", "fold", "normalize", "tokenize"]

_TRANSLATE = str.maketrans(
    {
        **dict.fromkeys("“”„‟«»″〝〞＂", '"'),
        **dict.fromkeys("‘’‚‛‹›′`´＇", "'"),
        **dict.fromkeys("‐‑‒–—―−﹘﹣－", "-"),
    }
)


@lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    """Comparison form of one character ('' when it is dropped, ' ' for whitespace)."""
    if ch.isspace():
        return " "
    category = unicodedata.category(ch)
    if category in ("Cf", "Cc", "Cs", "Co", "Cn"):
        return ""  # zero-width joiners, BOMs, soft hyphens, controls, lone surrogates
    decomposed = unicodedata.normalize("NFKD", ch)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFKC", kept).casefold().translate(_TRANSLATE)


@dataclass(frozen=True)
class Normalized:
    """Folded text and, for each of its characters, the original offset it came from."""

    original: str
    text: str
    offsets: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of the folded text to the original text.

        The span returned covers every original character that produced the folded
        characters, so slicing the original with it never cuts a character in two.
        """
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"span ({start}, {end}) outside folded text of {len(self.text)}")
        if start == end:
            pos = self.offsets[start] if start < len(self.offsets) else len(self.original)
            return pos, pos
        last = self.offsets[end - 1]
        # one original character can fold to several (ligatures); take all of it
        return self.offsets[start], last + 1


def normalize(text: str) -> Normalized:
    """Fold ``text`` to its comparison form, keeping the offset map.

    >>> normalize("ﬁne\\u200b  day").text
    'fine day'
    """
    out: list[str] = []
    offsets: list[int] = []
    last_space = True  # drop leading whitespace
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        if folded == " ":
            if last_space:
                continue
            last_space = True
        elif folded:
            last_space = False
        for c in folded:
            out.append(c)
            offsets.append(i)
    while out and out[-1] == " ":
        out.pop()
        offsets.pop()
    return Normalized(original=text, text="".join(out), offsets=tuple(offsets))


def fold(text: str) -> str:
    """The comparison form of ``text`` alone (no offset map).

    >>> fold("  Cuba’s   “failed  State” ")
    'cuba\\'s "failed state"'
    """
    return normalize(text).text


class Token(NamedTuple):
    """A word of the original text: its span and its comparison form."""

    start: int
    end: int
    norm: str


# numbers keep their separators, dotted acronyms lose their dots (U.S. = US), words keep
# inner apostrophes; hyphens split words so "U.S.-aligned" and "US-aligned" agree
_TOKEN = re.compile(
    r"\d+(?:[.,:]\d+)*"
    r"|(?:[^\W\d_]\.){2,}(?![^\W_])"
    r"|[^\W_]+(?:['’ʼ][^\W_]+)*"
)


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into word tokens with original offsets and folded forms."""
    tokens: list[Token] = []
    for m in _TOKEN.finditer(text):
        raw = m.group()
        if raw[-1] == ".":
            raw = raw.replace(".", "")
        # an ASCII token (letters, digits, inner ' . , :) folds to its lower case: the fast path
        norm = raw.lower() if raw.isascii() else fold(raw)
        if norm:
            tokens.append(Token(m.start(), m.end(), norm))
    return tokens
