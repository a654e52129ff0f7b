"""Generate news-like corpora with known text reuse, for the scale benchmarks.

Run from the repository root::

    python benchmarks/generate.py 2000 -o /tmp/qp2k        # corpus.jsonl + truth.json
    python benchmarks/generate.py 2000 --wire 5 -o /tmp/w  # 2,000 reprints of 5 stories

Documents mix three kinds of sentence, in news order (dated, with an outlet):

* **fresh** sentences, written by a word-bigram model trained on real news text (PolNeAR,
  UD GUM news, MSRP, STS news and the seeds), so every corpus size has new, unique text
  with the vocabulary and word frequencies of news; some are real sentences that have a
  human paraphrase (MSRP / STS news pairs scored >= 4);
* **quotations**: some fresh sentences are said by a named speaker (``"...," X said.``);
  later documents quote earlier statements verbatim, as two outlets quoting one source do;
* **reused** sentences: a "copy" document takes 4+ sentences of one or two earlier
  documents, each verbatim (50 %), lightly edited (one or two word substitutions,
  deletions, insertions or changed numbers: 35 %) or replaced by its human paraphrase
  (15 %, while pairs last).  Copies may be copied in turn (wire -> outlet -> aggregator).

The labelled data is read from ``../shared/data`` or ``$QUOTEPROV_DATA`` and never
copied here; what the corpus holds is generated from it at run time.

Ground truth (``truth.json``): for every document its sentences' *lineage* (the id of the
original sentence they descend from), how each was made, and whether it sits inside
quotation marks; the direct derivations ``(copy, source, sentences taken)``; and the
queries for ``trace_quote`` with the documents that must be found.

:func:`wire_copy` makes another shape of corpus: a few agency stories and many reprints
of each (a random subset of the story's sentences, lightly edited, some undated), whose
true ``derived_from`` edges form a star around each story.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("QUOTEPROV_DATA", ROOT.parent / "shared" / "data"))

_WORD = re.compile(r"[^\W_]+(?:['’.,-][^\W_]+)*|[^\w\s\"“”‘’«»'`]")
_NO_SPACE_BEFORE = frozenset(",.;:?!%)")
_NO_SPACE_AFTER = frozenset("($")
_END = "\x00"
_FIRST = (
    "Anna Maria John David Sarah Ahmed Li Carlos Fatima Olga Peter Grace Yusuf Elena Tom "
    "Ines Raj Mei Omar Laura Jan Amara Diego Nadia Paul Hana Victor Leila Ken Rosa"
).split()
_LAST = (
    "Smith Garcia Chen Okafor Petrov Novak Kim Silva Haddad Müller Rossi Tanaka Dubois "
    "Kowalski Nguyen Hassan Jensen Moreau Costa Ivanova Brown Ortiz Yilmaz Adeyemi Singh"
).split()
_TITLES = (
    "Minister Senator Governor Mayor spokesperson President Dr. General Ambassador Commissioner"
).split()
_OUTLETS = [
    f"{a} {b}"
    for a in ("Daily", "Morning", "Evening", "Global", "City", "National", "Weekly", "Free")
    for b in ("Herald", "Tribune", "Post", "Wire", "Courier", "Observer")
]


def _words(text: str) -> list[str]:
    """Words and punctuation; a full stop inside a sentence stays with its word (U.S.)."""
    words: list[str] = []
    raw = _WORD.findall(text)
    for n, w in enumerate(raw):
        if w in ".?!" and n < len(raw) - 1:
            if words and w == ".":
                words[-1] += w
            continue
        words.append(w)
    return words


def _join(words: list[str]) -> str:
    out: list[str] = []
    for w in words:
        if out and w not in _NO_SPACE_BEFORE and out[-1] not in _NO_SPACE_AFTER:
            out.append(" ")
        out.append(w)
    text = "".join(out)
    return text[:1].upper() + text[1:]


# -- source material ---------------------------------------------------------------------


def _news_sentences() -> list[str]:
    """Real news sentences: PolNeAR articles, GUM news, MSRP, STS news, the seeds."""
    from quoteprov.text._segment import split_sentences  # the library's own splitter

    texts: list[str] = []
    for folder in sorted((DATA / "polnear" / "data").glob("*/text")):
        texts.extend(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt")))
    texts.extend(
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "quoteprov" / "seeds").glob("*.txt"))
    )
    sentences = [s.text for t in texts for s in split_sentences(t)]
    for path in sorted((DATA / "ud_gum_news").glob("*.conllu")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# text = "):
                sentences.append(line[9:])
    sentences.extend(a for pair in _paraphrase_pairs() for a in pair)
    return [s for s in sentences if 6 <= len(s.split()) <= 60]


def _paraphrase_pairs() -> list[tuple[str, str]]:
    """Human paraphrase pairs of news sentences: MSRP positives and STS news scored >= 4."""
    pairs: list[tuple[str, str]] = []
    msrp = DATA / "msrp" / "msr_paraphrase_train.txt"
    if msrp.exists():
        with msrp.open(encoding="utf-8-sig", newline="") as f:
            for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                if row and row[0] == "1":
                    pairs.append((row[3], row[4]))
    for path in sorted((DATA / "stsbenchmark").glob("sts-*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(row) >= 7 and row[0] == "main-news" and float(row[4]) >= 4.0:
                    pairs.append((row[5], row[6]))
    seen: set[str] = set()
    out = []
    for a, b in pairs:
        if a not in seen and b not in seen and a != b and min(len(a.split()), len(b.split())) >= 6:
            seen.update((a, b))
            out.append((a.strip(), b.strip()))
    return out


class Bigrams:
    """A word-bigram model of news sentences: fresh, unique text with news statistics."""

    def __init__(self, sentences: list[str]) -> None:
        follow: dict[str, list[str]] = defaultdict(list)
        for s in sentences:
            words = _words(s)
            if len(words) < 4:
                continue
            prev = ""
            for w in words:
                follow[prev].append(w)
                prev = w.lower()
            follow[prev].append(_END)
        self.follow = dict(follow)
        self.vocab = sorted({w for ws in follow.values() for w in ws if w.isalpha()})

    def sentence(self, rng: random.Random, lo: int = 8, hi: int = 40) -> str:
        while True:
            words: list[str] = []
            prev = ""
            while len(words) < hi:
                w = rng.choice(self.follow[prev])
                if w == _END:
                    break
                words.append(w)
                prev = w.lower()
            if lo <= len(words) < hi and words[-1] in (".", "?", "!"):
                return _join(words)


# -- the generator -------------------------------------------------------------------------


@dataclass
class Slot:
    """One sentence of a generated document."""

    text: str
    lineage: int
    op: str  # fresh | verbatim | edit | paraphrase | quote
    source: int | None = None  # the document it was taken from
    quoted: bool = False
    speaker: str | None = None
    edits: int = 0  # light edits along the chain from the original
    paraphrased: bool = False  # a paraphrase along the chain
    path: tuple[int, ...] = ()  # the versions from the original to this one
    form: str | None = None  # the sentence as printed, when fixed (a reprint keeps its story's)


def steps(a: Slot, b: Slot) -> int:
    """How many edits or paraphrases apart two versions of one lineage are."""
    common = 0
    for x, y in zip(a.path, b.path, strict=False):
        if x != y:
            break
        common += 1
    return len(a.path) + len(b.path) - 2 * common


@dataclass
class Generated:
    documents: list[dict[str, Any]]
    slots: list[list[Slot]]
    derivations: list[tuple[int, int, int]]  # (copy, source, sentences taken)
    params: dict[str, Any] = field(default_factory=dict)


def _edit(text: str, rng: random.Random, vocab: list[str]) -> str | None:
    """One or two word-level edits, or None when the sentence is too short to edit lightly."""
    words = text.split(" ")
    if len(words) < 10:
        return None
    for _ in range(1 if len(words) < 16 else 2):
        k = rng.randrange(1, len(words) - 1)
        numbers = [i for i, w in enumerate(words) if any(c.isdigit() for c in w)]
        op = rng.random()
        if numbers and op < 0.15:
            i = rng.choice(numbers)
            words[i] = re.sub(r"\d", lambda m: str((int(m.group()) + 3) % 10), words[i], count=1)
        elif op < 0.6:
            words[k] = rng.choice(vocab)
        elif op < 0.8:
            del words[k]
        else:
            words.insert(k, rng.choice(vocab))
    out = " ".join(words)
    return out if out != text else None


def _ended(text: str) -> str:
    return text if text[-1:] in ".?!" else text + "."


def _quote(text: str, speaker: str, rng: random.Random) -> str:
    body = text.rstrip(".!?")
    if rng.random() < 0.5:
        return f"“{body},” {speaker} said."
    return f"{speaker} said: “{body}.”"


def generate(
    n: int,
    *,
    seed: int = 0,
    sentences: float = 30.0,
    copy_rate: float = 0.6,
    quote_rate: float = 0.12,
    window: int = 2000,
    progress: bool = True,
) -> Generated:
    """``n`` documents with about ``sentences`` sentences each, and their ground truth."""
    documents: list[dict[str, Any]] = []
    slots: list[list[Slot]] = []
    derivations: list[tuple[int, int, int]] = []
    for record, doc_slots, taken in stream(
        n,
        seed=seed,
        sentences=sentences,
        copy_rate=copy_rate,
        quote_rate=quote_rate,
        window=window,
        progress=progress,
    ):
        documents.append(record)
        slots.append(doc_slots)
        derivations.extend(taken)
    params = {
        "n": n,
        "seed": seed,
        "sentences": sentences,
        "copy_rate": copy_rate,
        "quote_rate": quote_rate,
        "window": window,
    }
    return Generated(documents, slots, derivations, params)


def stream(
    n: int,
    *,
    seed: int = 0,
    sentences: float = 30.0,
    copy_rate: float = 0.6,
    quote_rate: float = 0.12,
    window: int = 2000,
    progress: bool = True,
) -> Iterator[tuple[dict[str, Any], list[Slot], list[tuple[int, int, int]]]]:
    """The documents of :func:`generate` one at a time, each with its sentences and the
    derivations ``(copy, source, sentences taken)`` that made it, in memory bounded by
    ``window`` documents and the statements said so far: a million documents stream."""
    rng = random.Random(seed)
    started = time.perf_counter()
    model = Bigrams(_news_sentences())
    pairs = _paraphrase_pairs()
    rng.shuffle(pairs)
    partner: dict[int, str] = {}  # lineage -> its human paraphrase
    statements: list[tuple[str, list[int], int]] = []  # (speaker, lineages, origin doc)
    said: dict[int, str] = {}  # the text of the lineages said in statements
    next_lineage = 0
    next_version = -1  # versions made by edits and paraphrases (negative: apart from lineages)
    slots: list[list[Slot] | None] = []  # the last ``window`` documents' sentences
    start = dt.datetime(2024, 3, 1, 6, 0, tzinfo=dt.timezone.utc)
    span = dt.timedelta(days=30)
    for i in range(n):
        length = max(6, round(rng.gauss(sentences, sentences / 3)))
        speakers = [
            f"{rng.choice(_TITLES)} {rng.choice(_FIRST)} {rng.choice(_LAST)}" for _ in range(3)
        ]
        reused: list[Slot] = []
        derivations: list[tuple[int, int, int]] = []
        if i >= 5 and rng.random() < copy_rate:
            sources = rng.sample(range(max(0, i - window), i), 2 if rng.random() < 0.2 else 1)
            for j in sorted(sources):
                pool = slots[j]
                assert pool is not None
                want = max(4, round(length * rng.uniform(0.35, 0.75) / len(sources)))
                taken = sorted(rng.sample(range(len(pool)), min(want, len(pool))))
                derivations.append((i, j, len(taken)))
                for t in taken:
                    s = pool[t]
                    op = rng.random()
                    new = Slot(s.text, s.lineage, "verbatim", j, s.quoted, s.speaker)
                    new.edits, new.paraphrased, new.path = s.edits, s.paraphrased, s.path
                    if op >= 0.5 and not s.quoted:
                        # a sentence with a human paraphrase is often rewritten with it
                        paraphrase = s.lineage in partner and rng.random() < 0.6
                        text = partner.pop(s.lineage) if paraphrase else None
                        if text is not None:
                            new.text, new.op, new.paraphrased = text, "paraphrase", True
                            new.path = (*s.path, next_version)
                            next_version -= 1
                        else:
                            edited = _edit(s.text, rng, model.vocab)
                            if edited is not None:
                                new.text, new.op, new.edits = edited, "edit", s.edits + 1
                                new.path = (*s.path, next_version)
                                next_version -= 1
                    reused.append(new)
        if statements and rng.random() < quote_rate:
            speaker, lineages, origin = rng.choice(statements)
            for lineage in lineages[: rng.randint(1, 2)]:
                quote = Slot(said[lineage], lineage, "quote", origin, True, speaker)
                quote.path = (lineage,)
                reused.append(quote)
        fresh: list[Slot] = []
        for _ in range(max(2, length - len(reused))):
            if pairs and rng.random() < 0.08:
                text, other = (_ended(t) for t in pairs.pop())
                partner[next_lineage] = other
            else:
                text = model.sentence(rng)
            slot = Slot(text, next_lineage, "fresh", path=(next_lineage,))
            next_lineage += 1
            if rng.random() < 0.15:
                slot.quoted, slot.speaker = True, rng.choice(speakers)
                if rng.random() < 0.5:
                    statements.append((slot.speaker, [slot.lineage], i))
                    said[slot.lineage] = text
            fresh.append(slot)
        # reused sentences keep their order, among the fresh ones
        doc_slots = fresh[:]
        positions = sorted(rng.randrange(len(doc_slots) + 1) for _ in reused)
        for offset, (pos, slot) in enumerate(zip(positions, reused, strict=True)):
            doc_slots.insert(pos + offset, slot)
        slots.append(doc_slots)
        if i >= window:
            slots[i - window] = None  # never a source again
        yield _document(i, doc_slots, rng, start + span * (i / max(1, n))), doc_slots, derivations
        if progress and (i + 1) % 10_000 == 0:
            print(f"  generated {i + 1} documents ({time.perf_counter() - started:.0f} s)")


def _document(
    i: int, doc_slots: list[Slot], rng: random.Random, when: dt.datetime
) -> dict[str, Any]:
    paragraphs: list[str] = []
    current: list[str] = []
    for slot in doc_slots:
        text = slot.form
        if text is None:
            text = _quote(slot.text, slot.speaker or "", rng) if slot.quoted else slot.text
        current.append(text)
        if len(current) >= rng.randint(2, 4):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    record: dict[str, Any] = {
        "id": f"d{i:06d}",
        "text": "\n\n".join(paragraphs),
        "source": rng.choice(_OUTLETS),
    }
    if rng.random() >= 0.05:  # a few documents are undated
        record["published"] = when.replace(microsecond=0).isoformat()
    return record


def wire_copy(
    sources: int = 5,
    reprints: int = 2000,
    *,
    seed: int = 0,
    sentences: float = 25.0,
    edit_rate: float = 0.3,
    local: float = 1.0,
    undated: float = 0.1,
    progress: bool = True,
) -> Generated:
    """Wire copy: ``sources`` agency stories, each reprinted by many outlets.

    Every reprint takes a random subset (30 to 90 %) of one source's sentences, in their
    order, each verbatim or lightly edited (``edit_rate``; quotations stay verbatim), and
    adds on average ``local`` sentences of its own (a local angle).  Reprints are
    published after their source (an hour to four days later); a share ``undated`` of all
    documents, sources included, carries no date.  Document order is shuffled, so corpus
    order tells nothing either.  The derivations are ``(reprint, its source, sentences
    taken)``: no reprint copies another, so an edge between two reprints is wrong.
    """
    rng = random.Random(seed)
    started = time.perf_counter()
    model = Bigrams(_news_sentences())

    def sentence() -> str:
        # a sentence that opens with a letter or digit: the bigram model sometimes starts
        # one with "(" or a dash, which no splitter separates from the sentence before, so
        # the story and its reprints would cut their sentences differently
        while True:
            text = model.sentence(rng)
            if text[:1].isalnum():
                return text

    start = dt.datetime(2024, 3, 1, 6, 0, tzinfo=dt.timezone.utc)
    next_lineage = 0
    next_version = -1
    story_slots: list[list[Slot]] = []
    when: list[dt.datetime] = []
    for k in range(sources):
        speakers = [f"{rng.choice(_TITLES)} {rng.choice(_FIRST)} {rng.choice(_LAST)}"]
        story: list[Slot] = []
        for _ in range(max(8, round(rng.gauss(sentences, sentences / 4)))):
            slot = Slot(sentence(), next_lineage, "fresh", path=(next_lineage,))
            next_lineage += 1
            if rng.random() < 0.15:
                slot.quoted, slot.speaker = True, speakers[0]
                slot.form = _quote(slot.text, speakers[0], rng)
            story.append(slot)
        story_slots.append(story)
        when.append(start + dt.timedelta(days=2 * k, hours=rng.randrange(12)))
    made: list[tuple[list[Slot], dt.datetime, int | None]] = [
        (story, when[k], None) for k, story in enumerate(story_slots)
    ]
    for _ in range(reprints):
        j = rng.randrange(sources)
        pool = story_slots[j]
        share = rng.uniform(0.3, 0.9)
        taken = sorted(rng.sample(range(len(pool)), max(3, round(len(pool) * share))))
        copied: list[Slot] = []
        for t in taken:
            s = pool[t]
            new = Slot(s.text, s.lineage, "verbatim", j, s.quoted, s.speaker, path=s.path)
            new.form = s.form  # a quotation is reprinted as the story prints it
            if not s.quoted and rng.random() < edit_rate:
                edited = _edit(s.text, rng, model.vocab)
                if edited is not None:
                    new.text, new.op, new.edits = edited, "edit", 1
                    new.path = (*s.path, next_version)
                    next_version -= 1
            copied.append(new)
        for _ in range(min(4, int(rng.expovariate(1 / local)) if local > 0 else 0)):
            own = Slot(sentence(), next_lineage, "fresh", path=(next_lineage,))
            next_lineage += 1
            copied.insert(rng.randrange(len(copied) + 1), own)
        later = dt.timedelta(minutes=rng.randrange(60, 4 * 24 * 60))
        made.append((copied, when[j] + later, j))
    order = list(range(len(made)))
    rng.shuffle(order)
    documents: list[dict[str, Any]] = []
    slots: list[list[Slot]] = []
    position = {old: new for new, old in enumerate(order)}
    derivations: list[tuple[int, int, int]] = []
    for new, old in enumerate(order):
        doc_slots, published, source = made[old]
        record = _document(new, doc_slots, rng, published)
        record.pop("published", None)
        if rng.random() >= undated:
            record["published"] = published.replace(microsecond=0).isoformat()
        documents.append(record)
        slots.append(doc_slots)
        if source is not None:
            taken_count = sum(s.op != "fresh" for s in doc_slots)
            derivations.append((new, position[source], taken_count))
    for doc_slots in slots:  # a reprint's sentences name the document they came from
        for s in doc_slots:
            if s.source is not None:
                s.source = position[s.source]
    if progress:
        print(f"  generated {len(documents)} documents ({time.perf_counter() - started:.0f} s)")
    params = {
        "wire": True,
        "sources": sources,
        "reprints": reprints,
        "seed": seed,
        "sentences": sentences,
        "edit_rate": edit_rate,
        "local": local,
        "undated": undated,
    }
    return Generated(documents, slots, sorted(derivations), params)


# -- ground truth --------------------------------------------------------------------------


def reuse_pairs(
    g: Generated, min_shared: int = 2, strict: bool = False, light: bool = False
) -> set[tuple[str, str]]:
    """Unordered document pairs sharing ``min_shared``+ narrative (unquoted) lineages.

    ``strict`` counts a shared lineage only where the two versions are at most one edit or
    paraphrase apart: a copy of a copy edited twice may no longer show the first's words.
    ``light`` only where they are at most one light edit apart, no human paraphrase
    between them (an MSRP "paraphrase" may share little more than a name and a topic).
    """
    holders: dict[int, list[tuple[int, Slot]]] = defaultdict(list)
    for d, doc_slots in enumerate(g.slots):
        seen: set[int] = set()
        for s in doc_slots:
            if not s.quoted and s.lineage not in seen:
                seen.add(s.lineage)
                holders[s.lineage].append((d, s))
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for docs in holders.values():
        for x in range(len(docs)):
            for y in range(x + 1, len(docs)):
                a, b = docs[x][1], docs[y][1]
                if strict and steps(a, b) > 1:
                    continue
                if light and (steps(a, b) > 1 or a.paraphrased != b.paraphrased):
                    continue
                shared[(docs[x][0], docs[y][0])] += 1
    ids = [doc["id"] for doc in g.documents]
    return {(ids[a], ids[b]) for (a, b), c in shared.items() if c >= min_shared}


def trace_queries(g: Generated, count: int, seed: int = 1) -> Iterator[tuple[str, set[str]]]:
    """Original sentences that were reused, and the documents holding them verbatim or with
    one light edit (outside or inside quotation marks): what ``trace_quote`` must find."""
    holders: dict[int, set[str]] = defaultdict(set)
    original: dict[int, str] = {}
    for doc, doc_slots in zip(g.documents, g.slots, strict=True):
        for s in doc_slots:
            if s.op == "fresh":
                original[s.lineage] = s.text
            if not s.paraphrased and s.edits <= 1:
                holders[s.lineage].add(doc["id"])
    reused = sorted(k for k, v in holders.items() if len(v) >= 2 and k in original)
    rng = random.Random(seed)
    for lineage in rng.sample(reused, min(count, len(reused))):
        yield original[lineage], holders[lineage]


def write(g: Generated, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "corpus.jsonl").open("w", encoding="utf-8") as f:
        for doc in g.documents:
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    truth = {
        "params": g.params,
        "derivations": [
            [g.documents[c]["id"], g.documents[s]["id"], k] for c, s, k in g.derivations
        ],
    }
    if not g.params.get("wire"):  # every two reprints of a story share lineages: quadratic
        truth["reuse_pairs"] = sorted(reuse_pairs(g))
        truth["reuse_pairs_strict"] = sorted(reuse_pairs(g, strict=True))
    (folder / "truth.json").write_text(json.dumps(truth), encoding="utf-8")


def summary(g: Generated) -> str:
    total = sum(len(s) for s in g.slots)
    reused = sum(1 for ss in g.slots for s in ss if s.op != "fresh")
    ops: dict[str, int] = defaultdict(int)
    for ss in g.slots:
        for s in ss:
            ops[s.op] += 1
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(ops.items()))
    return (
        f"{len(g.documents)} documents, {total} sentences ({total / max(1, len(g.documents)):.1f}"
        f" per document), {reused / max(1, total):.0%} reused; {kinds}; "
        f"{len(g.derivations)} derivations"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("documents", type=int)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sentences", type=float, default=30.0, help="mean per document")
    parser.add_argument(
        "--wire",
        type=int,
        metavar="SOURCES",
        default=0,
        help="wire copy instead: DOCUMENTS reprints of this many source stories (wire_copy)",
    )
    args = parser.parse_args(argv)
    if not (DATA / "polnear").exists():
        print(f"skipped: {DATA} is absent")
        return 0
    if args.wire:
        g = wire_copy(args.wire, args.documents, seed=args.seed)
    else:
        g = generate(args.documents, seed=args.seed, sentences=args.sentences)
    write(g, args.output)
    print(summary(g))
    return 0


if __name__ == "__main__":
    sys.exit(main())
