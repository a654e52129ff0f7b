"""One gigantic document: time and peak memory must grow linearly with its size.

Run from the repository root (each size runs in a fresh process, so its peak memory is
its own)::

    python benchmarks/big_document.py                 # 1, 3, 10, 30 and 100 MB
    python benchmarks/big_document.py 1 10 --steps load,analyse,trace

For every size it writes a folder holding one generated document of that many megabytes
of UTF-8 text plus three short articles quoting it, then, in a new process: loads the
folder (``Corpus.from_directory``), analyses and indexes it (``CorpusIndex.for_corpus``),
traces one of the document's quotations and an 1,800-word passage of it
(``trace_quote``), builds the provenance graph (``build_graph``, one worker) and writes it
as GraphML.  It prints the seconds of each step, the peak resident memory, and per
megabyte of text the seconds and the memory above the interpreter's own: the figures
that must stay flat for the growth to be linear.

The document is news-like text from a word-bigram model of the bundled seed articles,
with quotations and speakers, and every 40th paragraph hostile: control characters,
mojibake and U+FFFD from bad decoding, RTL marks, zero-width joiners, emoji, runs of
quotation marks, unbalanced quotes, and a 100,000-character line with no sentence end
(lone surrogates cannot be written to a UTF-8 file: the fuzz tests feed them directly).
Nothing is read from outside the repository.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "quoteprov" / "seeds"
STEPS = ("load", "analyse", "trace", "graph", "graphml")
_WORD = re.compile(r"[^\W_]+(?:['’.,-][^\W_]+)*|[.,;:?!]")
_NAMES = (
    "Anna Smith",
    "Carlos Garcia",
    "Li Chen",
    "Fatima Haddad",
    "Olga Petrov",
    "Yusuf Okafor",
    "Elena Rossi",
    "Raj Singh",
)


class Bigrams:
    """A word-bigram model of the seed articles: fresh, unique news-like sentences."""

    def __init__(self) -> None:
        self.next: dict[str, list[str]] = {}
        for path in sorted(SEEDS.glob("*.txt")):
            for line in path.read_text(encoding="utf-8").splitlines():
                words = ["<s>", *_WORD.findall(line.replace("“", "").replace("”", ""))]
                for a, b in itertools.pairwise(words):
                    self.next.setdefault(a, []).append(b)
        self.starts = [w for w in self.next["<s>"] if w[:1].isupper()]

    def sentence(self, rng: random.Random) -> str:
        words = [rng.choice(self.starts)]
        while len(words) < 40:
            options = [w for w in self.next.get(words[-1], ()) if w not in ".?!"]
            if not options or (len(words) >= 6 and rng.random() < 0.08):
                break
            words.append(rng.choice(options))
        text = " ".join(words)
        return re.sub(r" ([,;:])", r"\1", text).rstrip(",;:") + "."


def _hostile(rng: random.Random, n: int) -> str:
    kinds = [
        lambda: "".join(chr(rng.randrange(0, 32)) for _ in range(200)),
        lambda: "broken decoding: CafÃ© Ã¼ber \ufffd\ufffd â€œquotedâ€\x9d " * 20,
        lambda: "\u202eRTL\u202c mark\u200f and \u200djoiner\u200d " * 20,
        lambda: "👩‍👩‍👧‍👦 🇨🇺 emoji ✊🏽 " * 30,
        lambda: '"' * 500 + "“" * 500 + "«" * 200,
        lambda: '"an unbalanced quotation that never closes and goes on ' * 30,
        lambda: "a " * 50_000,  # 100,000 characters, no sentence end
        lambda: "." * 20_000 + "a." * 5_000,
    ]
    return kinds[n % len(kinds)]()


def _rare_word(rng: random.Random) -> str:
    """A name from a Zipf-like law over millions: a vocabulary that grows with the text."""
    rank = min(int(1000 * rng.paretovariate(0.9)), 10**9)
    digits = "abcdefghijklmnopqrstuvwxyz"
    name = ""
    while rank:
        rank, k = divmod(rank, 26)
        name += digits[k]
    return "Zo" + name


def make_text(size: int, seed: int = 0, growing: bool = False) -> tuple[str, list[str]]:
    """About ``size`` characters of news-like text, and some of its quotations.

    ``growing`` puts two names from a Zipf-like law in each sentence, so that the
    vocabulary grows with the text as a real archive's does (Heaps' law); without it the
    vocabulary is the seeds' few thousand words whatever the size.
    """
    rng = random.Random(seed)
    model = Bigrams()
    paragraphs: list[str] = []
    quoted: list[str] = []
    total = 0
    n = 0
    while total < size:
        n += 1
        if n % 40 == 0:
            paragraph = _hostile(rng, n // 40)
        else:
            sentences = []
            for _ in range(rng.randint(2, 5)):
                sentence = model.sentence(rng)
                if growing:
                    words = sentence[:-1].split()
                    for _ in range(2):
                        words.insert(rng.randrange(1, len(words) + 1), _rare_word(rng))
                    sentence = " ".join(words) + "."
                if rng.random() < 0.3:
                    said = sentence[:-1] + ","
                    sentence = f"“{said}” {rng.choice(_NAMES)} said."
                    if len(quoted) < 50:
                        quoted.append(said[:-1])
                sentences.append(sentence)
            paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        total += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:size], quoted


def prepare(megabytes: float, folder: Path, seed: int, growing: bool = False) -> dict[str, Any]:
    """Write the document and three articles quoting it; returns what to trace."""
    text, quoted = make_text(int(megabytes * 1_000_000), seed, growing)
    (folder / "big.txt").write_text(text, encoding="utf-8")
    rng = random.Random(seed + 1)
    for k in range(3):
        lines = [f"“{q},” {rng.choice(_NAMES)} told reporters." for q in rng.sample(quoted, 5)]
        (folder / f"article{k}.txt").write_text("\n\n".join(lines), encoding="utf-8")
    from quoteprov.text._normalize import tokenize

    lo = 200_000 if len(text) > 600_000 else 0
    tokens = tokenize(text[lo : lo + 400_000])[:1800]
    passage = text[lo + tokens[0].start : lo + tokens[-1].end]
    return {"quote": quoted[0], "passage": passage}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(folder: Path, queries: dict[str, str], steps: list[str]) -> dict[str, Any]:
    """Run the steps on the folder in this process; seconds and peak memory of each."""
    import quoteprov as qp
    from quoteprov.search._index import CorpusIndex

    base = _peak_mb()
    out: dict[str, Any] = {"base_mb": base, "steps": {}}

    def timed(name: str, run: Any) -> Any:
        start = time.perf_counter()
        result = run()
        out["steps"][name] = {"s": time.perf_counter() - start, "peak_mb": _peak_mb()}
        return result

    corpus = timed("load", lambda: qp.Corpus.from_directory(folder, encoding="utf-8"))
    out["characters"] = len(corpus["big"].text)
    if "analyse" in steps:
        index = timed("analyse", lambda: CorpusIndex.for_corpus(corpus, progress=False))
        out["sentences"] = int(index.unit_doc.size)
        out["stems"] = len(index.vocab)
        out["quotations"] = len(index.docs[index.by_id["big"]].quotes)
    if "trace" in steps:

        def trace() -> int:
            found = qp.trace_quote(queries["quote"], corpus).matches
            found += qp.trace_quote(queries["passage"], corpus).matches
            for m in found:  # offsets are sacred, whatever the input
                assert corpus[m.doc_id].text[m.start : m.end] == m.text
            return len(found)

        out["matches"] = timed("trace", trace)
    if "graph" in steps:
        graph = timed("graph", lambda: qp.build_graph(corpus, workers=1, progress=False))
        out["nodes"], out["edges"] = graph.number_of_nodes(), graph.number_of_edges()
        if "graphml" in steps:
            timed("graphml", lambda: qp.write_graphml(graph, folder / "big.graphml"))
    return out


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs, "
        f"{memory:.0f} GiB RAM, Python {platform.python_version()}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=float, default=[1, 3, 10, 30, 100])
    parser.add_argument("--steps", default=",".join(STEPS), help="comma-separated steps")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--growing-vocabulary",
        action="store_true",
        help="two Zipf-distributed names per sentence: a vocabulary that grows like news",
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    steps = [s for s in args.steps.split(",") if s]
    if args.child:  # one size, in a process of its own
        folder = Path(args.child[0])
        result = measure(folder, json.loads(args.child[1]), steps)
        print(json.dumps(result))
        return 0

    print("# big_document.py: one gigantic document, time and peak memory by size")
    vocabulary = "growing (Zipf names)" if args.growing_vocabulary else "the seeds' (fixed)"
    print(f"# vocabulary: {vocabulary}; steps: {args.steps}")
    print(f"# command: python benchmarks/{Path(__file__).name} {' '.join(sys.argv[1:])}")
    print(f"# machine: {_machine()}")
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            queries = prepare(size, Path(tmp), args.seed, args.growing_vocabulary)
            command = [sys.executable, __file__, "--steps", args.steps, "--child", tmp]
            done = subprocess.run(
                [*command, json.dumps(queries)], capture_output=True, text=True, check=False
            )
            if done.returncode != 0:
                print(f"{size} MB: failed\n{done.stderr}", file=sys.stderr)
                return 1
            result = json.loads(done.stdout.strip().splitlines()[-1])
        result["mb"] = size
        rows.append(result)
        _print_row(result, steps, header=len(rows) == 1)
    if len(rows) >= 2:
        first, last = rows[0], rows[-1]
        growth = last["mb"] / first["mb"]
        t0, t1 = _total(first, steps), _total(last, steps)
        m0, m1 = _above(first), _above(last)
        print(
            f"# {first['mb']:g} MB -> {last['mb']:g} MB (x{growth:g}): time x{t1 / t0:.1f}, "
            f"memory above the interpreter x{m1 / max(m0, 1e-9):.1f}"
        )
    return 0


def _total(row: dict[str, Any], steps: list[str]) -> float:
    return sum(row["steps"][s]["s"] for s in steps if s in row["steps"])


def _above(row: dict[str, Any]) -> float:
    return max(v["peak_mb"] for v in row["steps"].values()) - row["base_mb"]


def _print_row(row: dict[str, Any], steps: list[str], header: bool) -> None:
    if header:
        cols = " ".join(f"{s + ' s':>10}" for s in steps)
        print(f"{'MB':>6} {cols} {'total s':>9} {'s/MB':>6} {'peak MB':>8} {'MB/MB':>6}  detail")
    times = " ".join(f"{row['steps'][s]['s']:>10.2f}" for s in steps if s in row["steps"])
    total = _total(row, steps)
    peak = max(v["peak_mb"] for v in row["steps"].values())
    detail = ", ".join(
        f"{k} {row[k]}"
        for k in ("sentences", "stems", "quotations", "matches", "nodes", "edges")
        if k in row
    )
    detail += "; peak MB after " + ", ".join(
        f"{s} {row['steps'][s]['peak_mb']:.0f}" for s in steps if s in row["steps"]
    )
    print(
        f"{row['mb']:>6g} {times} {total:>9.2f} {total / row['mb']:>6.2f} {peak:>8.0f} "
        f"{_above(row) / row['mb']:>6.1f}  {detail}",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
