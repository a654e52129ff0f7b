"""Hostile runs of characters: the text stages must take linear time on each of them.

Run from the repository root::

    python benchmarks/pathological.py            # n = 20,000 and 80,000 repetitions
    python benchmarks/pathological.py --n 5000

Each case is a run of one hostile pattern (a run of dots, dotted letters, quotation
marks of every kind, unclosed quotations, attributions, names, control characters, lone
surrogates, RTL marks, emoji with joiners, ...).  For every case and every text stage
(normalize, tokens, sentences, quotations) it times the case at n and at 4n repetitions
and prints the ratio: about 4 is linear; a ratio above 7 (on a run of 0.2 s or more) is
flagged SUPERLINEAR.  Before issue 4, three cases were: a run of dots in the sentence
splitter, dotted letters in the tokenizer, many quotations in one paragraph.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

from quoteprov.text._normalize import normalize, tokens_of
from quoteprov.text._quotes import extract_quotes
from quoteprov.text._segment import split_sentences

CASES: dict[str, Callable[[int], str]] = {
    "dots+x": lambda N: "a" + "." * N + "x",
    "a.a.a": lambda N: "a." * N + "b",
    "quotes": lambda N: '"' * N,
    "curly": lambda N: "“" * N,
    "curly close": lambda N: "”" * N,
    "singles": lambda N: "'" * N,
    "guillemets": lambda N: "«" * N,
    "mixed marks": lambda N: '"“”‘’«»„' * (N // 8),
    "open quote words": lambda N: '"word ' * N,
    "open curly words": lambda N: "“word " * N,
    "close quote words": lambda N: 'word" ' * N,
    "q soup": lambda N: 'a "b" c “d” ‘e’ «f» ' * (N // 10),
    "spaces": lambda N: " " * N + "x",
    "newlines": lambda N: "\n" * N,
    "para lines": lambda N: "word word.\n" * (N // 5),
    "!?": lambda N: "!?" * N,
    "ellipsis spaced": lambda N: ". " * N,
    "long word": lambda N: "a" * N,
    "digits": lambda N: "1," * N,
    "Mr. ": lambda N: "Mr. " * N,
    "U.S. ": lambda N: "U.S. " * N,
    "said": lambda N: '"Hi," he said, ' * (N // 10),
    "said full": lambda N: '"Hi there now," he said. ' * (N // 10),
    "pron": lambda N: '"Hi there now," she said. ' * (N // 10),
    "dashes": lambda N: "—" * N,
    "- name": lambda N: '"x" — ' * (N // 5),
    "- Name": lambda N: '"x y z." — John Doe ' * (N // 10),
    "apostrophes": lambda N: "it's " * (N // 3),
    "1. items": lambda N: "1. a 2. b " * (N // 8),
    "1) items": lambda N: "1) a 2) b " * (N // 8),
    "paren": lambda N: "(" * N,
    "Caps": lambda N: "Abc " * N,
    "Names": lambda N: "John Smith " * (N // 5),
    "colons": lambda N: "A: " * N,
    "According": lambda N: "according to " * (N // 5) + '"hi there"',
    "cue chain": lambda N: "He said, adding, " * (N // 5) + '"hi there"',
    "unclosed long": lambda N: '"' + "word " * N + "end.",
    "unclosed many": lambda N: '"word word word word.\n' * (N // 10),
    "nested": lambda N: "“‘" * (N // 2),
    "backticks": lambda N: "``" * N,
    "two apos": lambda N: "''" * N,
    "a'b": lambda N: "a'" * N,
    "rtl": lambda N: "\u202e\u200f\u200d" * N,
    "emoji zwj": lambda N: "👩‍👩‍👧‍👦" * N,
    "combining": lambda N: "e" + "\u0301" * N,
    "cr": lambda N: "\r" * N,
    "ctrl": lambda N: "".join(chr(i % 32) for i in range(N)),
    "surrogates": lambda N: "\ud800a" * N,
    "fullwidth": lambda N: "ＡＢＣ．" * N,
    "ligature": lambda N: "ﬁ" * N,
    "bullets": lambda N: " • x" * N,
    "dot space cap": lambda N: "x. Y" * N,
    "number dots": lambda N: "1.2.3.4." * N,
    "I.": lambda N: "I. " * N,
    "inits": lambda N: "J. " * N,
    "quote then dots": lambda N: '"' + "." * N + '"',
    "closers": lambda N: "." + ")" * N + "x",
    "dq-run-x": lambda N: 'a."' + '"' * N + "x",
    "credits": lambda N: "a Photo: B " * (N // 5),
    "credit spaces": lambda N: "a" + " " * N + "Photo: b",
    "short lines": lambda N: "ab\ncd " * N,
    "long line lower": lambda N: "a " * N + "\nb",
    "line spaces": lambda N: "a" + " " * N + "\n" + " " * N + "b\nc",
    "elisions": lambda N: "a [...] B " * (N // 5),
    "! dashes": lambda N: "a! -- " * N,
}
STAGES: list[Callable[[str], object]] = [normalize, tokens_of, split_sentences, extract_quotes]


def _seconds(stage: Callable[[str], object], text: str) -> float:
    start = time.perf_counter()
    stage(text)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20000)
    args = parser.parse_args(argv)
    print("# pathological.py: time at n and 4n repetitions of hostile runs")
    print(f"# command: python benchmarks/{Path(__file__).name} {' '.join(sys.argv[1:])}")
    print(
        f"# machine: {platform.system()} {platform.release()}, Python {platform.python_version()}"
    )
    flagged = 0
    worst = (0.0, "")
    for name, make in CASES.items():
        small, big = make(args.n), make(4 * args.n)
        for stage in STAGES:
            a, b = _seconds(stage, small), _seconds(stage, big)
            ratio = b / max(a, 1e-4)
            bad = ratio > 7 and b > 0.2  # shorter runs are timer noise
            flagged += bad
            worst = max(worst, (b, f"{name} / {stage.__name__}"))
            if bad or b > 0.5:
                flag = "  SUPERLINEAR" if bad else ""
                print(
                    f"{name:<20} {stage.__name__:<16} {a:7.3f} s -> {b:7.3f} s x{ratio:4.1f}{flag}"
                )
    runs = len(CASES) * len(STAGES)
    print(
        f"# {len(CASES)} cases x {len(STAGES)} stages = {runs} pairs of runs; {flagged} superlinear"
    )
    print(f"# slowest at 4n: {worst[1]} {worst[0]:.3f} s")
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
