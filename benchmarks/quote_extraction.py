"""Quick check of quotation and speaker extraction on PolNeAR's dev split.

Usage (from the repository root)::

    .venv/bin/python benchmarks/quote_extraction.py [--split dev] [--errors N]

PolNeAR (Newell, Margolin & Ruths, LREC 2018) annotates attributions in US political news
as brat standoff: ``Source``, ``Cue`` and ``Content`` spans with character offsets into
``text/*.txt``.  It is read from ``../shared/data/polnear`` (relative to the repository
root) or from ``$QUOTEPROV_DATA/polnear``; the script says so and stops when it is absent.
The data is research-only: it is read in place and never copied into the project.

Gold: every attribution whose Content is a direct quotation, i.e. the content (all its
fragments) starts and ends at a quotation mark (the mark inside the span or right beside
it) and has three words or more.  When an article was annotated by several annotators,
the first annotation file (by name) is used.

Figures, for :func:`quoteprov.extract_quotes` and for a plain regex baseline (``"…"`` and
``“…”`` within a line; its "speaker" is the first capitalised word or pronoun among the
four words after the closing mark):

- span precision / recall / F1: a predicted quotation (3+ words) and a gold content
  match when their characters overlap by at least 50% of the shorter one (interrupted
  quotations compare their parts with the gold fragments); precision counts predictions
  that match some gold direct quotation, "lenient" precision those that match any gold
  Content span (partial quotations inside indirect speech are Content there too);
- speaker accuracy over matched gold quotations that have a Source: the predicted
  speaker span overlaps the gold Source, or the predicted speaker's last word is a word
  of the gold Source text (a pronoun resolved to a name still counts through its span);
- cue accuracy over the same: the predicted cue's first word is in the gold Cue text.

A second table scores speakers over direct *and* partial quotations: every quotation of
3+ words that a gold attribution with a *named* Source holds (a capitalised word other
than a pronoun), the direct ones above and the spans inside quotation marks within the
Content of indirect speech ('X called it “…”', 'X said she is “…”').  Quote recall: the
share a predicted quotation overlaps; speaker accuracy: among those found, the share whose
predicted speaker is right (as above).  ``all quotes`` is quoteprov (every quotation it
finds: a partial quotation is no direct speech), beside the regex baseline.

Rows: ``quoteprov`` counts the quotations :func:`quoteprov.extract_quotes` marks as direct
speech (``Quote.direct``); ``all quotes`` counts every quotation it finds, scare quotes and
fragments inside indirect speech included.  Rules are tuned on ``--split train``; ``dev``
is the reported split (``benchmarks/quality.py``).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quoteprov.text._quotes import extract_quotes  # noqa: E402
from quoteprov.text._speakers import names_someone  # noqa: E402

Spans = list[tuple[int, int]]
QUOTE_MARKS = "\"'“”‘’«»„"
WORD = re.compile(r"[^\W_]+")


@dataclass
class Attribution:
    content: Spans
    source: Spans = field(default_factory=list)
    cue: Spans = field(default_factory=list)


@dataclass
class Prediction:
    parts: Spans
    speaker: str | None = None
    speaker_span: tuple[int, int] | None = None
    cue: str | None = None


@dataclass
class Doc:
    name: str
    text: str
    attributions: list[Attribution]


# --------------------------------------------------------------------------- gold data


def _spans(offsets: str) -> Spans:
    return [(int(a), int(b)) for a, b in (part.split() for part in offsets.split(";"))]


def read_ann(path: Path) -> list[Attribution]:
    """Attributions of one brat ``.ann`` file (Content, Source and Cue spans)."""
    spans: dict[str, tuple[str, Spans]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if line.startswith("T") and len(fields) >= 2:
            label, _, offsets = fields[1].partition(" ")
            spans[fields[0]] = (label, _spans(offsets))
        elif line.startswith("E") and len(fields) >= 2:
            events.append(dict(arg.split(":", 1) for arg in fields[1].split() if ":" in arg))
    found = []
    for args in events:
        role = {name: spans[ref][1] for name, ref in args.items() if ref in spans}
        if "Content" in role:
            found.append(Attribution(role["Content"], role.get("Source", []), role.get("Cue", [])))
    return found


def read_split(root: Path, split: str) -> list[Doc]:
    docs = []
    seen: set[str] = set()
    for ann in sorted((root / split / "attributions").glob("*.ann")):
        name = ann.stem.rsplit("_", 1)[0]
        txt = root / split / "text" / f"{name}.txt"
        if name in seen or not txt.exists():
            continue
        seen.add(name)
        docs.append(Doc(name, txt.read_text(encoding="utf-8"), read_ann(ann)))
    return docs


def is_direct(text: str, spans: Spans) -> bool:
    """Whether a Content span is a direct quotation of 3+ words (marks at both ends)."""
    start, end = spans[0][0], spans[-1][1]
    head = text[max(0, start - 2) : start] + text[start:end].lstrip()[:1]
    tail = text[start:end].rstrip().rstrip(".,;:!?")[-1:] + text[end : end + 3].lstrip(" .,")[:1]
    words = sum(len(WORD.findall(text[a:b])) for a, b in spans)
    return (
        words >= 3 and any(m in head for m in QUOTE_MARKS) and any(m in tail for m in QUOTE_MARKS)
    )


# --------------------------------------------------------------------------- systems


def ours(text: str) -> list[Prediction]:
    """quoteprov's direct quotations (``Quote.direct``)."""
    return [p for p, q in zip(everything(text), extract_quotes(text), strict=True) if q.direct]


def everything(text: str) -> list[Prediction]:
    """Every quotation quoteprov finds, direct speech or not."""
    return [
        Prediction(
            [(p.start, p.end) for p in q.parts],
            q.speaker,
            (q.speaker_span.start, q.speaker_span.end) if q.speaker_span else None,
            q.cue,
        )
        for q in extract_quotes(text)
    ]


BASELINE = re.compile(r"\"([^\"\n]+)\"|“([^”\n]+)”")
NEXT_NAME = re.compile(r"\s*,?\s*(?:\S+\s+){0,3}?(he|she|they|[A-Z][\w’'.-]*)\b")


def baseline(text: str) -> list[Prediction]:
    found = []
    for m in BASELINE.finditer(text):
        group = 1 if m.group(1) is not None else 2
        name = NEXT_NAME.match(text, m.end())
        found.append(
            Prediction(
                [(m.start(group), m.end(group))],
                name.group(1) if name else None,
                (name.start(1), name.end(1)) if name else None,
            )
        )
    return found


# --------------------------------------------------------------------------- scoring


def overlap(a: Spans, b: Spans) -> bool:
    shared = sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)
    shorter = min(sum(e - s for s, e in a), sum(e - s for s, e in b))
    return shorter > 0 and shared >= 0.5 * shorter


def touches(a: tuple[int, int], spans: Spans) -> bool:
    return any(min(a[1], e) > max(a[0], s) for s, e in spans)


@dataclass
class Score:
    predicted: int = 0
    predicted_ok: int = 0
    predicted_lenient: int = 0
    gold: int = 0
    gold_found: int = 0
    with_source: int = 0
    speaker_given: int = 0
    speaker_ok: int = 0
    cue_ok: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def line(self, name: str) -> str:
        p = self.predicted_ok / self.predicted if self.predicted else 0.0
        lenient = self.predicted_lenient / self.predicted if self.predicted else 0.0
        r = self.gold_found / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        sp = self.speaker_ok / self.with_source if self.with_source else 0.0
        cue = self.cue_ok / self.with_source if self.with_source else 0.0
        return (
            f"{name:<10} {p:6.3f} {lenient:8.3f} {r:6.3f} {f:6.3f}   {sp:6.3f} "
            f"({self.speaker_ok}/{self.with_source}, {self.speaker_given} given) {cue:6.3f}"
            f"   {self.predicted:5d} {self.seconds * 1000:8.1f}"
        )


def speaker_right(doc: Doc, pred: Prediction, gold: Attribution) -> bool:
    if pred.speaker_span and touches(pred.speaker_span, gold.source):
        return True
    words = WORD.findall(pred.speaker or "")
    source = {w.lower() for a, b in gold.source for w in WORD.findall(doc.text[a:b])}
    return bool(words) and words[-1].lower() in source


def score(docs: list[Doc], system: object, errors: int) -> Score:
    assert callable(system)
    out = Score()
    for doc in docs:
        started = time.perf_counter()
        preds = [
            p
            for p in system(doc.text)
            if sum(len(WORD.findall(doc.text[a:b])) for a, b in p.parts) >= 3
        ]
        out.seconds += time.perf_counter() - started
        direct = [a for a in doc.attributions if is_direct(doc.text, a.content)]
        out.predicted += len(preds)
        out.gold += len(direct)
        for p in preds:
            out.predicted_ok += any(overlap(p.parts, g.content) for g in direct)
            out.predicted_lenient += any(overlap(p.parts, g.content) for g in doc.attributions)
        for g in direct:
            hits = [p for p in preds if overlap(p.parts, g.content)]
            if not hits:
                if len(out.errors) < errors:
                    a, b = g.content[0][0], g.content[-1][1]
                    out.errors.append(f"  missed  {doc.name}: {doc.text[a:b][:90]!r}")
                continue
            out.gold_found += 1
            if not g.source:
                continue
            out.with_source += 1
            best = hits[0]
            out.speaker_given += best.speaker is not None
            if speaker_right(doc, best, g):
                out.speaker_ok += 1
            elif len(out.errors) < errors:
                source = " / ".join(doc.text[a:b] for a, b in g.source)
                out.errors.append(f"  speaker {doc.name}: ours {best.speaker!r}, gold {source!r}")
            cue_text = " ".join(doc.text[a:b] for a, b in g.cue).lower()
            out.cue_ok += bool(best.cue) and best.cue.split()[0].lower() in cue_text
    return out


# ------------------------------------------------- speakers of direct and partial quotations

QUOTED = re.compile(r"\"([^\"\n]+)\"|“([^”\n]+)”")
_PRONOUN_WORDS = frozenset("he she they it i we you his her their its him them us".split())


def named_source(doc: Doc, gold: Attribution) -> bool:
    """Whether a gold Source names someone: a capitalised word other than a pronoun
    ('Trump', 'the White House'); 'he' or 'the official' alone do not."""
    words = [w for a, b in gold.source for w in WORD.findall(doc.text[a:b])]
    return any(w[:1].isupper() and w.lower() not in _PRONOUN_WORDS for w in words)


def quoted_gold(doc: Doc) -> list[tuple[Spans, Attribution]]:
    """Every quotation of 3+ words a gold attribution with a named Source holds: a direct
    quotation (its Content, as :func:`is_direct`) or a partial one (a span inside
    quotation marks within a Content of indirect speech: 'X called it “…”')."""
    out: list[tuple[Spans, Attribution]] = []
    for g in doc.attributions:
        if not g.source or not named_source(doc, g):
            continue
        if is_direct(doc.text, g.content):
            out.append((g.content, g))
            continue
        for a, b in g.content:
            lo, hi = max(0, a - 1), min(len(doc.text), b + 1)
            for m in QUOTED.finditer(doc.text, lo, hi):
                group = 1 if m.group(1) is not None else 2
                span = (m.start(group), m.end(group))
                if len(WORD.findall(doc.text[span[0] : span[1]])) >= 3:
                    out.append(([span], g))
    return out


@dataclass
class SpeakerScore:
    gold: int = 0
    partial: int = 0
    found: int = 0
    speaker_ok: int = 0
    partial_ok: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def accuracy(self) -> float:
        """Right speakers among the quotations found."""
        return self.speaker_ok / self.found if self.found else 0.0

    def line(self, name: str) -> str:
        return (
            f"{name:<10} {self.recall:6.3f} ({self.found}/{self.gold})  {self.accuracy:6.3f} "
            f"({self.speaker_ok}/{self.found})  partial {self.partial_ok}/{self.partial}"
        )


def score_speakers(docs: list[Doc], system: object, errors: int = 0) -> SpeakerScore:
    """Quote recall and speaker accuracy over :func:`quoted_gold`."""
    assert callable(system)
    out = SpeakerScore()
    for doc in docs:
        preds = system(doc.text)
        for spans, g in quoted_gold(doc):
            partial = not is_direct(doc.text, g.content)
            out.gold += 1
            out.partial += partial
            hits = [p for p in preds if overlap(p.parts, spans)]
            if not hits:
                if len(out.errors) < errors:
                    a, b = spans[0][0], spans[-1][1]
                    out.errors.append(f"  missed  {doc.name}: {doc.text[a:b][:90]!r}")
                continue
            out.found += 1
            if speaker_right(doc, hits[0], g):
                out.speaker_ok += 1
                out.partial_ok += partial
            elif len(out.errors) < errors:
                source = " / ".join(doc.text[a:b] for a, b in g.source)
                a = max(0, spans[0][0] - 100)
                b = min(len(doc.text), spans[-1][1] + 60)
                context = " ".join(doc.text[a:b].split())
                out.errors.append(
                    f"  speaker {doc.name}: ours {hits[0].speaker!r}, gold {source!r}"
                    f"{' (partial)' if partial else ''}\n      {context!r}"
                )
    return out


# ------------------------------------------------------------ descriptions resolved to a name


@dataclass
class DescriptionScore:
    """Quotations whose speaker is a description ('the statement', 'the official', 'a
    spokesperson for the ministry'), and how many :attr:`Quote.named_speaker` resolves.
    PolNeAR's gold Source of such a quotation is the description itself, so this is
    counted, not scored: ``--descriptions N`` prints N resolutions to check by hand."""

    described: int = 0
    resolved: int = 0
    sample: list[str] = field(default_factory=list)

    def line(self) -> str:
        share = self.resolved / self.described if self.described else 0.0
        return (
            f"description speakers: {self.described} quotations, {self.resolved} resolved"
            f" to a named source ({share:.3f})"
        )


def score_descriptions(docs: list[Doc], sample: int = 0) -> DescriptionScore:
    out = DescriptionScore()
    for doc in docs:
        for q in extract_quotes(doc.text):
            if q.speaker is None or q.speaker_span is None or names_someone(q.speaker):
                continue
            if q.speaker_span.text.lower() in _PRONOUN_WORDS:
                continue  # a pronoun, resolved or not, is no description
            out.described += 1
            if q.named_speaker is None:
                continue
            out.resolved += 1
            if len(out.sample) < sample:
                named = q.named_speaker
                a, b = max(0, named.start - 60), min(len(doc.text), named.end + 40)
                out.sample.append(
                    f"  {doc.name}: {q.speaker!r} -> {named.text!r} "
                    f"({q.speaker_span.start - named.start:+d} chars)\n"
                    f"      near the name: {' '.join(doc.text[a:b].split())!r}\n"
                    f"      quotation: {' '.join(q.content.split())[:90]!r}"
                )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="dev", choices=["dev", "train"])
    parser.add_argument("--errors", type=int, default=0, help="print the first N errors")
    parser.add_argument(
        "--descriptions", type=int, default=0, help="print N descriptions resolved to a name"
    )
    args = parser.parse_args()
    data = Path(os.environ.get("QUOTEPROV_DATA") or ROOT.parent / "shared" / "data")
    root = data / "polnear" / "data"
    if not (root / args.split).is_dir():
        print(f"PolNeAR not found under {root} (set QUOTEPROV_DATA); skipping benchmark")
        return
    docs = read_split(root, args.split)
    n_attr = sum(len(d.attributions) for d in docs)
    n_direct = sum(is_direct(d.text, a.content) for d in docs for a in d.attributions)
    print(f"command: {sys.executable} {' '.join(sys.argv)}")
    print(
        f"machine: {platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}"
    )
    print(
        f"PolNeAR {args.split}: {len(docs)} articles, {n_attr} attributions, "
        f"{n_direct} with a direct-quotation Content (3+ words)\n"
    )
    print(
        "system       prec  lenient    rec     F1   speaker acc                     cue acc"
        "  preds     ms"
    )
    for name, system in (("quoteprov", ours), ("all quotes", everything), ("regex", baseline)):
        result = score(docs, system, args.errors)
        print(result.line(name))
        for error in result.errors:
            print(error)
    print(
        "\ndirect and partial quotations (3+ words) with a named gold Source:\n"
        "system     quote recall         speaker accuracy"
    )
    for name, system in (("all quotes", everything), ("regex", baseline)):
        found = score_speakers(docs, system, args.errors)
        print(found.line(name))
        for error in found.errors:
            print(error)
    described = score_descriptions(docs, args.descriptions)
    print("\n" + described.line())
    for line in described.sample:
        print(line)


if __name__ == "__main__":
    main()
