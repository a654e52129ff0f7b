"""Tests for quoteprov.text._segment: gold rules, news cases, offset properties, UD gold data."""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import DATA
from hypothesis import given, settings
from hypothesis import strategies as st

from quoteprov.text._segment import split_sentences

ROOT = Path(__file__).resolve().parent.parent
# pySBD's Golden Rules (nipunsadvilkar/pySBD @ 5905f13b, MIT), read from the shared data
# folder (never copied here); the tests skip where it is absent
GOLDEN_FILE = DATA / "pysbd_golden_rules" / "english_golden_rules.py"
# expectations we do not meet, by rule number (1-based, as pySBD numbers them)
GOLDEN_XFAIL = {
    18: "'5 a.m. Mr. Smith' must not break but '6 P.M. Mr. Smith' must: the same context "
    "(pySBD marks it xfail too)",
}


def texts(text: str, **kwargs: Any) -> list[str]:
    return [s.text for s in split_sentences(text, **kwargs)]


@functools.cache
def sentences_benchmark() -> ModuleType:
    """``benchmarks/sentences.py``, which reads the gold data (the Golden Rules too)."""
    path = ROOT / "benchmarks" / "sentences.py"
    spec = importlib.util.spec_from_file_location("sentences_benchmark", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def golden_rules() -> list[tuple[str, list[str]]]:
    rules: list[tuple[str, list[str]]] = sentences_benchmark().load_golden_rules(GOLDEN_FILE)
    return rules


def golden_params() -> list[Any]:
    if not GOLDEN_FILE.is_file():
        skip = pytest.mark.skip(reason=f"{GOLDEN_FILE} is absent")
        return [pytest.param("", [], marks=skip, id="absent")]
    params = []
    for rule, (text, expected) in enumerate(golden_rules(), start=1):
        marks = []
        if rule in GOLDEN_XFAIL:
            marks.append(pytest.mark.xfail(strict=True, reason=GOLDEN_XFAIL[rule]))
        params.append(pytest.param(text, expected, marks=marks, id=f"{rule}"))
    return params


def test_all_48_golden_rules_are_read() -> None:
    if not GOLDEN_FILE.is_file():
        pytest.skip(f"{GOLDEN_FILE} is absent")
    assert len(golden_rules()) == 48


@pytest.mark.parametrize(("text", "expected"), golden_params())
def test_golden_rules(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


# ---------------------------------------------------------------------------- news cases


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Gen. Mark Milley met Sen. Ted Cruz on Sept. 4. Dr. Lee and Mrs. Ng stayed.",
            ["Gen. Mark Milley met Sen. Ted Cruz on Sept. 4.", "Dr. Lee and Mrs. Ng stayed."],
            id="titles-and-months",
        ),
        pytest.param(
            "The U.S. Senate voted. Aid went to the U.S. He said it was late.",
            ["The U.S. Senate voted.", "Aid went to the U.S.", "He said it was late."],
            id="us-before-name-and-at-end",
        ),
        pytest.param(
            "Apple Inc. said so. Profits at Acme Inc. The firm grew.",
            ["Apple Inc. said so.", "Profits at Acme Inc.", "The firm grew."],
            id="inc",
        ),
        pytest.param(
            "John F. Kennedy and J.R.R. Tolkien met George W. Bush. They talked.",
            ["John F. Kennedy and J.R.R. Tolkien met George W. Bush.", "They talked."],
            id="initials",
        ),
        pytest.param(
            "Growth was 3.5 percent. It cost $1.25 billion, or 0.3% of GDP.",
            ["Growth was 3.5 percent.", "It cost $1.25 billion, or 0.3% of GDP."],
            id="decimals",
        ),
        pytest.param(
            "He is ranked No. 1 in the world. The answer was no. Then he left.",
            ["He is ranked No. 1 in the world.", "The answer was no.", "Then he left."],
            id="no-before-number",
        ),
        pytest.param(
            "SPRINGFIELD, Ill. The mayor spoke. He lives in Springfield, Ill. since 2001.",
            ["SPRINGFIELD, Ill.", "The mayor spoke.", "He lives in Springfield, Ill. since 2001."],
            id="state-abbreviation",
        ),
        pytest.param(
            'She said, "It went well. We agreed on everything." Then she left.',
            ['She said, "It went well. We agreed on everything."', "Then she left."],
            id="quote-with-inner-full-stop",
        ),
        pytest.param(
            '"It went well. We agreed," he said. "Now we wait."',
            ['"It went well. We agreed," he said.', '"Now we wait."'],
            id="quote-then-attribution",
        ),
        pytest.param(
            '"We won," she said, "and it is over. Nobody doubts it." The crowd cheered.',
            ['"We won," she said, "and it is over. Nobody doubts it."', "The crowd cheered."],
            id="interrupted-quote",
        ),
        pytest.param(
            "“Vamos. Ya,” dijo. «Sí. Claro», respondió él. „Ja. Gut“, sagte sie.",
            ["“Vamos. Ya,” dijo.", "«Sí. Claro», respondió él.", "„Ja. Gut“, sagte sie."],
            id="curly-angle-and-low-quotes",
        ),
        pytest.param(
            'He is 6\'2" tall. "Yes. Really," she said. It rained.',
            ["He is 6'2\" tall.", '"Yes. Really," she said.', "It rained."],
            id="inch-mark-is-not-a-quote",
        ),
        pytest.param(
            'He said "we will win. Then we rest.\nThe next day came. It rained.',
            ['He said "we will win.', "Then we rest.", "The next day came.", "It rained."],
            id="unbalanced-quote-resets-at-line-break",
        ),
        pytest.param(
            'An "open quote never closes. The rest splits. As usual.',
            ['An "open quote never closes.', "The rest splits.", "As usual."],
            id="unclosed-quote-marks-nothing",
        ),
        pytest.param(
            "Storm hits coast\nFriday, July 21, 2017\nThe storm came ashore. It was strong.",
            [
                "Storm hits coast",
                "Friday, July 21, 2017",
                "The storm came ashore.",
                "It was strong.",
            ],
            id="title-and-dateline-lines",
        ),
        pytest.param(
            "The minister said the plan\nwould be ready by May.\nNew paragraph here.",
            ["The minister said the plan\nwould be ready by May.", "New paragraph here."],
            id="hard-wrapped-prose-joins",
        ),
        pytest.param(
            "The council voted on Tuesday to approve\nthe new budget, which raises spending on\n"
            "schools and roads by four percent.\nIt passed.",
            [
                "The council voted on Tuesday to approve\nthe new budget, which raises spending "
                "on\nschools and roads by four percent.",
                "It passed.",
            ],
            id="greedy-wrapped-lines-join",
        ),
        pytest.param(
            "Flood warning lifted\nresidents went back to their homes on Monday as the river fell.",
            [
                "Flood warning lifted",
                "residents went back to their homes on Monday as the river fell.",
            ],
            id="short-title-line-before-lower-case-line",
        ),
        pytest.param(
            "Tuesday, March 3, 2020\npolice said the bridge would reopen later in the week.",
            ["Tuesday, March 3, 2020", "police said the bridge would reopen later in the week."],
            id="date-line-before-lower-case-caption",
        ),
        pytest.param(
            "First line.\r\nSecond line\r\nThird. Fourth.\r\n",
            ["First line.", "Second line", "Third.", "Fourth."],
            id="crlf",
        ),
        pytest.param(
            "Wait... What happened? Nothing! Really?! He left . . . and came back…",
            ["Wait...", "What happened?", "Nothing!", "Really?!", "He left . . . and came back…"],
            id="ellipses-and-marks",
        ),
        pytest.param(
            "He wrote (see p. 55) about it. The end (really.) came later.",
            ["He wrote (see p. 55) about it.", "The end (really.) came later."],
            id="parentheses",
        ),
        pytest.param(
            "The fee is Rs. 2500 a year. He paid in Rs. The bank agreed.",
            ["The fee is Rs. 2500 a year.", "He paid in Rs.", "The bank agreed."],
            id="rupees-before-number",
        ),
        pytest.param(
            "The vote -- a surprise? -- passed. Then — at last! — it rained. Done! — Ann Lee",
            [
                "The vote -- a surprise? -- passed.",
                "Then — at last! — it rained.",
                "Done! — Ann Lee",
            ],
            id="question-or-exclamation-between-dashes",
        ),
        pytest.param(
            "The ferry left the harbour at dawn. Photo: Jane Roe / Reuters.",
            ["The ferry left the harbour at dawn.", "Photo: Jane Roe / Reuters."],
            id="credit-after-caption",
        ),
        pytest.param(
            "Volunteers clear the beach near Port Elm Image: Coast Guard.\nThe beach reopened.",
            [
                "Volunteers clear the beach near Port Elm",
                "Image: Coast Guard.",
                "The beach reopened.",
            ],
            id="credit-after-caption-without-full-stop",
        ),
        pytest.param(
            "Crews repair a bridge in Washington D.C. Images: City of Washington.",
            ["Crews repair a bridge in Washington D.C.", "Images: City of Washington."],
            id="credit-after-initialism",
        ),
        pytest.param(
            "He posted a photo: the crowd cheered. The Photo: a history is a book.",
            ["He posted a photo: the crowd cheered.", "The Photo: a history is a book."],
            id="no-credit-without-capital-label-and-word-after",
        ),
        pytest.param(
            "The Big Picture: What It Means For You\nConsumer Credit: The Fed said rates rise.",
            ["The Big Picture: What It Means For You", "Consumer Credit: The Fed said rates rise."],
            id="no-credit-in-a-title",
        ),
        pytest.param(
            "Crews worked all night on the bridge Credit: the city said the work would take "
            "until the end of the month.",
            [
                "Crews worked all night on the bridge Credit: the city said the work would take "
                "until the end of the month."
            ],
            id="no-credit-before-a-sentence",
        ),
        pytest.param(
            "Results:\n• Smith won. • Jones lost.",
            ["Results:", "• Smith won.", "• Jones lost."],
            id="bullets",
        ),
        pytest.param("", [], id="empty"),
        pytest.param(" \n\t\r\n ", [], id="whitespace-only"),
        pytest.param("  Hello.  ", ["Hello."], id="outer-whitespace"),
    ],
)
def test_news_cases(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_keep_quotations_false_breaks_inside_quotations() -> None:
    text = '"It went well. We agreed," he said.'
    assert texts(text) == [text]
    assert texts(text, keep_quotations=False) == ['"It went well.', 'We agreed," he said.']


def test_an_elision_before_a_capital_ends_a_sentence() -> None:
    text = '"Prices rose [...] Nobody expected it," she said. The study [...] found gaps.'
    assert texts(text, keep_quotations=False) == [
        '"Prices rose [...]',
        'Nobody expected it," she said.',
        "The study [...] found gaps.",
    ]
    assert texts(text) == [text[:49], text[50:]]  # the quotation stays whole
    # a citation after the quotation is no new sentence, nor a remark in brackets
    assert len(texts('"They rose [...]" (Lee 12). In 1920 (?) Lee wrote it.')) == 2


def test_a_credit_inside_a_quotation_stays_in_it() -> None:
    text = '"Look at the caption, Photo: Ann Lee, on page two," he said.'
    assert texts(text) == [text]


def test_offsets_and_indices() -> None:
    text = "  One. Two?\n\nThree!  "
    got = split_sentences(text)
    assert [(s.start, s.end, s.text, s.index) for s in got] == [
        (2, 6, "One.", 0),
        (7, 11, "Two?", 1),
        (13, 19, "Three!", 2),
    ]


# ---------------------------------------------------------------------------- properties

NEWSY = st.lists(
    st.sampled_from(
        [
            *"aZ .!?…,;:\"'“”‘’«»„()[]•1\n\r\t\u2028\u00a0-—",
            *["Mr.", "U.S.", " I ", " the ", "1. ", "b) ", ". . .", "...", "Ill."],
        ]
    ),
    max_size=80,
).map("".join)


def check_invariants(text: str, keep_quotations: bool = True) -> None:
    got = split_sentences(text, keep_quotations=keep_quotations)
    position = 0
    for i, s in enumerate(got):
        assert s.index == i
        assert text[s.start : s.end] == s.text
        assert s.text and s.text == s.text.strip()
        assert s.start >= position  # ordered, disjoint
        assert not text[position : s.start].strip()  # only whitespace between sentences
        position = s.end
    assert not text[position:].strip()


@settings(max_examples=300)
@given(st.text())
def test_any_text_keeps_exact_offsets(text: str) -> None:
    check_invariants(text)


@settings(max_examples=300)
@given(NEWSY, st.booleans())
def test_punctuation_heavy_text_keeps_exact_offsets(text: str, keep_quotations: bool) -> None:
    check_invariants(text, keep_quotations)


@given(st.text())
def test_covers_every_non_whitespace_character_once(text: str) -> None:
    covered = "".join(s.text for s in split_sentences(text))
    assert [c for c in covered if not c.isspace()] == [c for c in text if not c.isspace()]


# ---------------------------------------------------------------------------- UD gold data


def benchmark_module() -> ModuleType:
    if not (DATA / "ud_gum_news").is_dir():
        pytest.skip(f"UD gold data not found under {DATA}")
    return sentences_benchmark()


def test_gum_news_boundaries() -> None:
    bench = benchmark_module()
    docs = [
        d for p in sorted((DATA / "ud_gum_news").glob("*.conllu")) for d in bench.read_conllu(p)
    ]
    assert len(docs) == 24
    report = [d for d in docs if bench.gum_half(d.name) == "report"]
    assert len(report) == 12  # the half never tuned on (the other is the tune half)
    keep = bench.score_docs(docs, bench.quoteprov_spans)
    p, r, f = keep.prf()
    # regression floors a little under the measured figures (0.958 here; 0.971 and 0.981
    # below): one boundary more or less is no failure, a rule that breaks many is
    assert p >= 0.99 and f >= 0.95, (p, r, f)
    # with quotations kept whole, most misses are the quotations' inner sentences
    assert keep.misses_in_quote >= keep.fn // 2
    # in GUM's own convention (breaking inside quotations): issue 5's target is 0.98
    p, r, f = bench.score_docs(report, bench.quoteprov_split_quotes).prf()
    assert p >= 0.98 and f >= 0.96, (p, r, f)
    assert bench.score_docs(docs, bench.quoteprov_split_quotes).prf()[2] >= 0.97


def test_ewt_boundaries_are_precise() -> None:
    bench = benchmark_module()
    path = DATA / "ud_ewt" / "en_ewt-ud-test.conllu"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    p, r, f = bench.score_docs(bench.read_conllu(path), bench.quoteprov_spans).prf()
    assert p >= 0.99 and f >= 0.85, (p, r, f)


def test_a_run_of_full_stops_is_tried_from_its_start_only() -> None:
    # regression (fuzzing, issue 4): "a" + "." * n + "x" retried the run from every dot,
    # quadratic time (100,000 dots took minutes)
    from quoteprov.text._segment import _TERMINAL

    run = "a" + "." * 50 + "x"
    assert _TERMINAL.match(run, 2) is None and _TERMINAL.match(run, 1) is None
    assert _TERMINAL.match("a... B", 1) is not None
    text = "a" + "." * 100_000 + "x. Next one."
    assert texts(text) == [text[:-10], "Next one."]
