"""Coverage-guided fuzzing of the quote extractor and the sentence splitter (atheris).

Not part of CI (atheris is not in the ``dev`` extra). Install it and run through
``benchmarks/fuzz.sh``, or directly::

    pip install atheris
    python benchmarks/fuzz_atheris.py quotes -max_total_time=300 -rss_limit_mb=4096

The bytes libFuzzer mutates are decoded as UTF-8 with ``surrogateescape`` (so invalid
bytes become lone surrogates, as a careless decoder makes them) or, for one input in
four, as UTF-16 code units (any code point, surrogates included).  Each input must run
without an exception, and every span must slice the text exactly.  A crash leaves the
input in ``crash-*``: replay it with ``python benchmarks/fuzz_atheris.py quotes FILE``
and turn it into a regression test.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from quoteprov.text._normalize import normalize, tokenize
    from quoteprov.text._quotes import extract_quotes
    from quoteprov.text._segment import split_sentences


def _text(data: bytes) -> str:
    if data[:1] == b"\x00" and len(data) % 2 == 1:
        return data[1:].decode("utf-16-le", "surrogatepass")
    return data.decode("utf-8", "surrogateescape")


def quotes(data: bytes) -> None:
    text = _text(data)
    last = 0
    for q in extract_quotes(text):
        assert q.start >= last and text[q.start : q.end] == q.text, q
        last = q.end
        for p in q.parts:
            assert text[p.start : p.end] == p.text, p
        if q.speaker_span is not None:
            assert text[q.speaker_span.start : q.speaker_span.end] == q.speaker_span.text


def sentences(data: bytes) -> None:
    text = _text(data)
    for keep in (True, False):
        last = 0
        for s in split_sentences(text, keep_quotations=keep):
            assert s.start >= last and text[s.start : s.end] == s.text and s.text.strip()
            last = s.end
    folded = normalize(text)
    assert len(folded.offsets) == len(folded.text)
    for t in tokenize(text):
        assert 0 <= t.start < t.end <= len(text)


TARGETS = {"quotes": quotes, "sentences": sentences}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(TARGETS)}}} [libFuzzer options or files]")
    target = TARGETS[sys.argv.pop(1)]
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
