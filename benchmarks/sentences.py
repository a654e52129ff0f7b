"""Benchmark sentence splitters on gold sentence boundaries.

Usage (from the repository root)::

    .venv/bin/python benchmarks/sentences.py [--repeat N] [--errors N]

Gold data is read from ``../shared/data`` (relative to the repository root) or from the
directory in ``QUOTEPROV_DATA``:

- ``ud_gum_news/*.conllu``: 24 Wikinews documents (UD GUM).  Each document's raw text is
  rebuilt from its tokens and ``SpaceAfter=No``; ``# newpar`` paragraphs are joined with
  ``"\\n"``.  Gold boundaries are the sentence ends.  The documents are split once and
  for all into two halves by the parity of ``crc32`` of the document id
  (:func:`gum_half`): the splitter's rules may be tuned on the 12 *tune* documents (even),
  never on the 12 *report* documents (odd).  The report half is the figure to quote; the
  figure over all 24 is printed beside it and is partly tuned.
- ``ud_ewt/en_ewt-ud-test.conllu``: UD EWT test, documents at ``# newdoc`` (paragraphs as
  for GUM).
- ``pysbd_golden_rules/english_golden_rules.py``: pySBD's 48 Golden Rules; a case counts
  when the splitter returns exactly the expected sentences.

Rows: ``quoteprov`` is :func:`quoteprov.split_sentences` as the library uses it
(no break inside a quotation); ``quoteprov -quotes`` is the same with
``keep_quotations=False``, which shows what the quotation rule costs against treebank gold.
Boundary precision / recall / F1 count every sentence end except the end of a document
(which no splitter can miss); the notes under the table count the GUM misses that lie
inside a quotation and list the failed Golden Rules (``--errors N`` prints the first N
errors of each splitter on the GUM *tune* half and on EWT: errors on the report half are
never printed, so that nobody tunes on them).  Speed is the best of ``--repeat`` runs over
GUM + EWT, given as milliseconds per 1,000 gold sentences and as sentences per second.

Library splitters are run when installed (``pip install pysbd syntok sentencex nupunkt
blingfire``) and skipped with a note otherwise; those that return strings only are mapped
back onto the text in order.  NLTK's punkt is not compared: it needs a data download at run
time.
"""

from __future__ import annotations

import argparse
import ast
import os
import platform
import random
import re
import sys
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quoteprov.text._segment import split_sentences  # noqa: E402

Spans = list[tuple[int, int]]
Splitter = Callable[[str], Spans]


@dataclass
class Doc:
    """One gold document: its raw text and the end offset of every sentence."""

    name: str
    text: str
    ends: list[int] = field(default_factory=list)


# --------------------------------------------------------------------------- gold data


def gum_half(name: str) -> str:
    """``"tune"`` or ``"report"``: a fixed half of the GUM news documents, by document id.

    The rules of the splitter may be tuned on the tune half only; the report half is what
    is quoted.  The split is the parity of ``crc32`` of the id (``GUM_news_afghan``), as
    for MSRP's fit and report halves in ``quality.py``.
    """
    return "tune" if zlib.crc32(name.encode("utf-8")) % 2 == 0 else "report"


def read_conllu(path: Path) -> list[Doc]:
    """Rebuild documents from a CoNLL-U file (tokens, ``SpaceAfter=No``, ``# newpar``)."""
    docs: list[Doc] = []
    parts: list[str] = []
    doc: Doc | None = None
    pending_space = ""
    skip_until = 0

    def finish() -> None:
        if doc is not None:
            doc.text = "".join(parts)
            docs.append(doc)

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# newdoc"):
            finish()
            name = line.partition("=")[2].strip() or f"{path.stem}-{len(docs)}"
            doc, parts, pending_space = Doc(name, ""), [], ""
        elif line.startswith("# newpar"):
            if parts:
                pending_space = "\n"
        elif not line:
            if doc is not None and parts:
                doc.ends.append(len("".join(parts)))
        elif not line.startswith("#"):
            if doc is None:  # a file without "# newdoc" is one document
                doc, parts = Doc(path.stem, ""), []
            cols = line.split("\t")
            tid = cols[0]
            if "." in tid:
                continue  # empty node
            if "-" in tid:
                _, last = (int(x) for x in tid.split("-"))
                skip_until = last
            elif int(tid) <= skip_until:
                continue  # a word inside a multi-word token already written
            else:
                skip_until = 0
            if parts:
                parts.append(pending_space)
            parts.append(cols[1])
            misc = cols[9].split("|")
            pending_space = "" if "SpaceAfter=No" in misc else " "
            for item in misc:
                if item.startswith("SpacesAfter="):
                    pending_space = item.partition("=")[2].encode().decode("unicode_escape")
    finish()
    for d in docs:  # sentence ends were counted with the text as built so far: no spaces lost
        d.ends = sorted(set(d.ends))
    return docs


def load_golden_rules(path: Path) -> list[tuple[str, list[str]]]:
    """The Golden Rules list, read without importing the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "GOLDEN_EN_RULES" for t in node.targets
        ):
            cases: list[tuple[str, list[str]]] = ast.literal_eval(node.value)
            return cases
    raise ValueError(f"no GOLDEN_EN_RULES in {path}")


# --------------------------------------------------------------------------- splitters


def align(text: str, pieces: Iterable[str]) -> Spans:
    """Map sentence strings back onto ``text`` in order; pieces not found are dropped."""
    spans: Spans = []
    cursor = 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        at = text.find(piece, cursor)
        if at < 0:
            continue
        spans.append((at, at + len(piece)))
        cursor = at + len(piece)
    return spans


def quoteprov_spans(text: str) -> Spans:
    return [(s.start, s.end) for s in split_sentences(text)]


def quoteprov_split_quotes(text: str) -> Spans:
    return [(s.start, s.end) for s in split_sentences(text, keep_quotations=False)]


def library_splitters() -> tuple[dict[str, Splitter], list[str]]:
    """Installed library splitters, and a note for each one that is missing."""
    found: dict[str, Splitter] = {}
    missing: list[str] = []
    try:
        import pysbd

        seg = pysbd.Segmenter(language="en", clean=False)
        found["pysbd " + _version("pysbd")] = lambda t: align(t, seg.segment(t))
    except ImportError:
        missing.append("pysbd")
    try:
        from syntok import segmenter as syn

        def syntok_spans(text: str) -> Spans:
            return [
                (s[0].offset, s[-1].offset + len(s[-1].value))
                for para in syn.analyze(text)
                for s in para
                if s
            ]

        found["syntok " + _version("syntok")] = syntok_spans
    except ImportError:
        missing.append("syntok")
    try:
        import sentencex

        found["sentencex " + _version("sentencex")] = lambda t: align(t, sentencex.segment("en", t))
    except ImportError:
        missing.append("sentencex")
    try:
        import nupunkt

        found["nupunkt " + _version("nupunkt")] = lambda t: align(t, nupunkt.sent_tokenize(t))
    except ImportError:
        missing.append("nupunkt")
    try:
        import blingfire

        def blingfire_spans(text: str) -> Spans:
            return [(a, b) for a, b in blingfire.text_to_sentences_and_offsets(text)[1]]

        found["blingfire " + _version("blingfire")] = blingfire_spans
    except ImportError:
        missing.append("blingfire")
    return found, missing


def _version(dist: str) -> str:
    from importlib.metadata import version

    return version(dist)


# --------------------------------------------------------------------------- scoring


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses_in_quote: int = 0
    errors: list[str] = field(default_factory=list)

    def __add__(self, other: Score) -> Score:
        return Score(
            self.tp + other.tp,
            self.fp + other.fp,
            self.fn + other.fn,
            self.misses_in_quote + other.misses_in_quote,
            self.errors + other.errors,
        )

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


_QUOTE = re.compile(r"[\"“”«»]")


def inside_quotation(text: str, pos: int) -> bool:
    """Whether ``pos`` lies inside an open double quotation of its own line."""
    line_start = text.rfind("\n", 0, pos) + 1
    depth = 0
    for m in _QUOTE.finditer(text, line_start, pos):
        ch = m.group()
        if ch in "“«":
            depth += 1
        elif ch in "”»":
            depth = max(depth - 1, 0)
        else:
            depth = 0 if depth else 1
    return depth > 0


def score_docs(docs: list[Doc], split: Splitter, keep_errors: int = 0) -> Score:
    sc = Score()
    for doc in docs:
        last = len(doc.text.rstrip())
        gold = {e for e in doc.ends if e < last}
        pred = {b for _, b in split(doc.text) if b < last}
        sc.tp += len(gold & pred)
        sc.fp += len(pred - gold)
        misses = gold - pred
        sc.fn += len(misses)
        sc.misses_in_quote += sum(inside_quotation(doc.text, e) for e in misses)
        for kind, positions in (("miss", misses), ("extra", pred - gold)):
            for e in sorted(positions):
                if len(sc.errors) < keep_errors:
                    if kind == "miss" and inside_quotation(doc.text, e):
                        kind = "missQ"
                    ctx = doc.text[max(0, e - 60) : e] + " ‖ " + doc.text[e : e + 40]
                    sc.errors.append(f"{kind:5} {doc.name}: {ctx!r}")
    return sc


def f1_interval(per_doc: list[Score], runs: int = 2000) -> tuple[float, float]:
    """95 % bootstrap interval of boundary F1 from each document's score, resampling whole
    documents (boundaries within a document are not independent).  Fixed seed."""
    counts = [(sc.tp, sc.fp, sc.fn) for sc in per_doc]
    rng = random.Random(0)
    f1s = []
    for _ in range(runs):
        tp, fp, fn = map(sum, zip(*rng.choices(counts, k=len(counts)), strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    f1s.sort()
    return f1s[int(0.025 * runs)], f1s[int(0.975 * runs) - 1]


def score_golden(cases: list[tuple[str, list[str]]], split: Splitter) -> tuple[int, list[int]]:
    failed = [
        i for i, (text, want) in enumerate(cases, 1) if [text[a:b] for a, b in split(text)] != want
    ]
    return len(cases) - len(failed), failed


def best_time(docs: list[Doc], split: Splitter, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for doc in docs:
            split(doc.text)
        best = min(best, time.perf_counter() - t0)
    return best


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="timing runs (best is kept)")
    ap.add_argument(
        "--errors", type=int, default=0, help="print N errors per splitter (GUM tune half, EWT)"
    )
    ap.add_argument("--only", default="", help="run only splitters whose name has this text")
    args = ap.parse_args(argv)

    data = Path(os.environ.get("QUOTEPROV_DATA") or ROOT.parent / "shared" / "data")
    gum_dir = data / "ud_gum_news"
    ewt_file = data / "ud_ewt" / "en_ewt-ud-test.conllu"
    golden_file = data / "pysbd_golden_rules" / "english_golden_rules.py"
    if not (gum_dir.is_dir() and ewt_file.is_file() and golden_file.is_file()):
        print(f"gold data not found under {data} (set QUOTEPROV_DATA); skipping benchmark")
        return 0

    gum = [d for p in sorted(gum_dir.glob("*.conllu")) for d in read_conllu(p)]
    tune = [d for d in gum if gum_half(d.name) == "tune"]
    report = [d for d in gum if gum_half(d.name) == "report"]
    ewt = read_conllu(ewt_file)
    golden = load_golden_rules(golden_file)
    n_gum = sum(len(d.ends) for d in gum)
    n_ewt = sum(len(d.ends) for d in ewt)

    splitters: dict[str, Splitter] = {
        "quoteprov": quoteprov_spans,
        "quoteprov -quotes": quoteprov_split_quotes,  # keep_quotations=False
    }
    libs, missing = library_splitters()
    splitters.update(libs)
    if args.only:
        splitters = {k: v for k, v in splitters.items() if args.only in k}

    print("command:  " + " ".join([os.path.relpath(sys.executable), *sys.argv]))
    print(
        f"machine:  {platform.platform()}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(
        f"data:     GUM news {len(gum)} docs / {n_gum} sentences (report half "
        f"{len(report)} docs / {sum(len(d.ends) for d in report)}, tune half {len(tune)} "
        f"docs / {sum(len(d.ends) for d in tune)}); EWT test {len(ewt)} docs / {n_ewt} "
        f"sentences; Golden Rules {len(golden)} cases"
    )
    print(
        "          GUM report: never tuned on (the figure to quote); tune: the rules were "
        "tuned on it; all 24: partly tuned"
    )
    if missing:
        print("not installed (skipped): " + ", ".join(missing))
    print()
    head = (
        f"{'splitter':<18} {'report P':>8} {'R':>6} {'F1':>6}  {'tune F1':>7} {'all F1':>6}"
        f"  {'EWT P':>6} {'R':>6} {'F1':>6}  {'golden':>6}  {'ms/1k sent':>10} {'sent/s':>8}"
    )
    print(head)
    print("-" * len(head))
    notes: list[str] = []
    for name, split in splitters.items():
        per_doc = [score_docs([d], split) for d in report]  # errors never printed
        r = sum(per_doc, Score())
        t = score_docs(tune, split, keep_errors=args.errors)
        e = score_docs(ewt, split, keep_errors=args.errors)
        a = r + t
        ok, failed = score_golden(golden, split)
        secs = best_time(gum + ewt, split, args.repeat)
        rp, rr, rf = r.prf()
        ep, er, ef = e.prf()
        print(
            f"{name:<18} {rp:8.3f} {rr:6.3f} {rf:6.3f}  {t.prf()[2]:7.3f} {a.prf()[2]:6.3f}"
            f"  {ep:6.3f} {er:6.3f} {ef:6.3f}  {ok:>3}/{len(golden)}"
            f"  {1000 * secs * 1000 / (n_gum + n_ewt):10.1f} {(n_gum + n_ewt) / secs:8.0f}"
        )
        low, high = f1_interval(per_doc)
        notes.append(
            f"{name}: GUM report F1 95% interval (documents resampled) {low:.3f}-{high:.3f}; "
            f"misses report {r.fn} ({r.misses_in_quote} inside a quotation), "
            f"tune {t.fn} ({t.misses_in_quote}); extra report {r.fp}, tune {t.fp}; "
            f"golden failed: {failed}"
        )
        notes.extend("    " + err for err in t.errors + e.errors)
    print("\n".join(notes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
