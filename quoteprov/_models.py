"""Data types shared by every stage: frozen pydantic models.

Every offset is a character offset into a document's *original* text, so
``doc.text[span.start:span.end] == span.text`` holds for every span quoteprov reports.

>>> doc = Document(id="a", text="Hello world.", published="2021-07-16")
>>> doc.published
datetime.date(2021, 7, 16)
>>> Span(start=0, end=5, text="Hello").text == doc.text[0:5]
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import Enum
from types import MappingProxyType
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator, model_validator

from ._settings import MATCH

__all__ = [
    "CONFIDENCE_WORDS",
    "Change",
    "Confidence",
    "Document",
    "Kind",
    "Match",
    "OriginBasis",
    "Quote",
    "Sentence",
    "Span",
    "parse_published",
    "published_key",
]

Kind = Literal["verbatim", "near_verbatim", "partial", "paraphrase", "translation"]
"""How an occurrence relates to the query, from closest to loosest: a ``translation`` is
the statement in another language (cross-lingual tracing, ``translations=True``)."""

KINDS: tuple[Kind, ...] = get_args(Kind)
"""The kinds of match, from closest to loosest (the one list the CLI and views use)."""
KIND_RANK: Mapping[str, int] = MappingProxyType({kind: rank for rank, kind in enumerate(KINDS)})

Confidence = Literal["certain", "likely", "possible"]
"""How sure quoteprov is that a document carries the quotation (:attr:`Match.confidence`)."""

CONFIDENCE_WORDS: tuple[Confidence, ...] = ("certain", "likely", "possible")
"""The confidence words, surest first."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(_Frozen):
    """A stretch of a document's original text."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} is before its start {self.start}")
        return self


class Sentence(Span):
    """One sentence; ``index`` is its position in the document."""

    index: int = Field(ge=0)


class Quote(Span):
    """A direct quotation found in one text.

    ``start``/``end``/``text`` cover the whole quotation, from the first quoted word to the
    last; when an attribution interrupts it (``"A," she said, "B."``) the interruption lies
    inside that stretch and ``parts`` holds the quoted pieces alone.  ``content`` is what was
    said: the parts joined by a space.

    ``direct`` tells direct speech (the quotation opens its sentence or paragraph, or
    follows a colon, a comma, a dash or a cue verb: ``She said: "…"``, ``"…," he said``)
    from a fragment quoted inside the writer's own sentence: scare quotes, titles, a
    partial quotation inside indirect speech (``He called the plan "a disaster"``,
    ``She said that it was "the worst deal ever"``).

    ``speaker`` is the name of who spoke, a pronoun's referent included, or the words of
    a description ("the statement", "the official"); ``speaker_span`` is where the text
    names or refers to the speaker.  ``named_speaker`` is the named source such a
    description stands for, where the text names it nearby (``North Korea's Foreign
    Ministry said … "…," the statement added.`` → ``Foreign Ministry``): a span of the
    text, None when the speaker is a name, or the description is ambiguous or names no
    one the text has named.
    """

    parts: tuple[Span, ...]
    content: str
    speaker: str | None = None
    cue: str | None = None
    speaker_span: Span | None = None
    direct: bool = True
    named_speaker: Span | None = None


class Change(_Frozen):
    """One word-level difference between the query and a matched text.

    ``query`` holds the query's words (empty for an insertion), ``found`` the document's
    words (empty for a deletion); ``start``/``end`` locate ``found`` in the document, or the
    point where deleted words would be for a deletion.  ``number``, ``negation`` and
    ``entity`` say that the change touches a number, a negation or a name; such a change
    alters what the quotation says (see ``Match.altered``).  ``elision`` marks words
    of the document that the query leaves out where it writes an ellipsis ("…", "[...]"):
    left out openly, yet a number or a negation left out there still alters the claim.

    >>> Change(op="substitute", query="20", found="25", start=0, end=2, number=True).reason
    "number: '20' → '25'"
    >>> Change(op="insert", query="", found="not", start=0, end=3, negation=True,
    ...        elision=True).reason
    "negation elided: 'not'"
    """

    op: Literal["substitute", "insert", "delete"]
    query: str
    found: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    number: bool = False
    negation: bool = False
    entity: bool = False
    elision: bool = False

    @property
    def reason(self) -> str | None:
        """Why the change alters the quotation ('number', 'negation' or 'name', with the
        words), or None for a change of wording only."""
        what = (
            "number"
            if self.number
            else ("negation" if self.negation else ("name" if self.entity else None))
        )
        if what is None:
            return None
        if self.elision:
            return f"{what} elided: {self.found if self.op == 'insert' else self.query!r}"
        if self.op == "insert":
            return f"{what} added: {self.found!r}"
        if self.op == "delete":
            return f"{what} dropped: {self.query!r}"
        return f"{what}: {self.query!r} → {self.found!r}"


class Match(_Frozen):
    """One occurrence of a query in one document.

    ``doc.text[match.start:match.end] == match.text``; ``changes`` lists the word-level
    differences from the query.  ``altered`` is True when a change touches a number, a
    negation or a name, however high the score: the words are close, but the claim
    differs.  ``alterations`` gives the reason for each such change, in text order.  Both
    follow from ``changes`` when not given.  In Jupyter a match shows its text with the
    changes marked.

    ``speaker`` and ``cue`` are those of the quotation holding the match; when that
    speaker is a description ("the statement"), ``named_speaker`` is the named source it
    stands for (``Quote.named_speaker``), the name a provenance graph's speaker
    node takes.

    ``elided`` is True for a query quoted with an ellipsis ("…", "...", "[…]") whose pieces
    all occur verbatim and in order: the match is the verbatim quotation with the words
    between the pieces left out, each stretch a change with ``elision`` set.
    ``coverage`` is the share of the query that the matched text holds, from 0 to 1: its
    content words, each weighed by its rarity in the corpus, and for a ``partial`` no more
    than the share of the query's words it aligns.  A trace reports a ``partial`` or
    ``paraphrase`` as an occurrence only from ``MatchSettings.occurrence_coverage`` on,
    and when it holds ``MatchSettings.occurrence_words`` of the query's words
    (``held_words``: each as often as both texts have it; None on a match made by hand).

    ``language`` is the ISO 639-1 code of a ``translation``'s document ("es"); None for
    a match in the query's own language.

    ``confidence`` says in a word how sure the match is that the document carries the
    quotation, from its kind, score, coverage and alterations (see :attr:`confidence`);
    it is derived, never stored, and shown beside the score everywhere.

    >>> m = Match(doc_id="a", start=0, end=11, text="We will win", score=100, kind="verbatim")
    >>> m
    <Match verbatim 100.0 (certain) in 'a'[0:11], speaker None: 'We will win'>
    >>> swap = Change(op="substitute", query="Clinton", found="Trump", start=0, end=5,
    ...               entity=True)
    >>> m = Match(doc_id="a", start=0, end=9, text="Trump won", score=90.0,
    ...           kind="near_verbatim", changes=(swap,))
    >>> m.altered, m.alterations, m.confidence
    (True, ("name: 'Clinton' → 'Trump'",), 'likely')
    """

    doc_id: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    score: float = Field(ge=0, le=100)
    kind: Kind
    speaker: str | None = None
    cue: str | None = None
    quoted: bool = False
    named_speaker: str | None = None
    changes: tuple[Change, ...] = ()
    altered: bool = False
    alterations: tuple[str, ...] = ()
    elided: bool = False
    coverage: float = Field(default=1.0, ge=0, le=1)
    held_words: int | None = Field(default=None, ge=0)
    language: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _derive_alterations(cls, data: Any) -> Any:
        if isinstance(data, dict) and "confidence" in data:
            # a match read back from JSON: the word follows from the other fields again
            data = {k: v for k, v in data.items() if k != "confidence"}
        if isinstance(data, dict) and "alterations" not in data and "altered" not in data:
            changes = [
                c if isinstance(c, Change) else Change.model_validate(c)
                for c in data.get("changes", ())
            ]
            reasons = tuple(r for r in (c.reason for c in changes) if r is not None)
            data = {**data, "changes": tuple(changes), "alterations": reasons}
            data["altered"] = bool(reasons)
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Match:
        if self.altered != bool(self.alterations):
            raise ValueError("altered must be True exactly when alterations are given")
        return self

    @computed_field  # type: ignore[prop-decorator]
    @property
    def confidence(self) -> Confidence:
        """How sure quoteprov is that the document carries the quotation, in a word.

        - ``certain``: the quotation verbatim (elided or not), or near-verbatim holding
          ``MatchSettings.certain_coverage`` of the query's weighted content; never an altered
          match.
        - ``likely``: any other verbatim or near-verbatim match (an altered one
          included), a score of ``MatchSettings.likely_score`` or more (the scorer's probability
          is at least one half), or a partial or paraphrase holding
          ``MatchSettings.likely_coverage`` of the query's content.
        - ``possible``: the rest: a rewording or fragment sharing less, whose score is
          low.

        The precision each word gives on the evaluation's report side is in README.md
        ("What the kinds mean").

        >>> Match(doc_id="a", start=0, end=5, text="rise", score=18.1, kind="paraphrase",
        ...       coverage=0.45).confidence
        'possible'
        >>> Match(doc_id="a", start=0, end=5, text="rise", score=18.1, kind="paraphrase",
        ...       coverage=0.62).confidence
        'likely'
        """
        if self.kind == "verbatim" or self.elided or self.kind == "near_verbatim":
            sure = self.kind == "verbatim" or self.elided or self.coverage >= MATCH.certain_coverage
            return "certain" if sure and not self.altered else "likely"
        if self.score >= MATCH.likely_score or self.coverage >= MATCH.likely_coverage:
            return "likely"
        return "possible"

    def __repr__(self) -> str:
        text = " ".join(self.text.split())
        short = text if len(text) <= 50 else text[:49] + "…"
        changes = f", {len(self.changes)} changes" if self.changes else ""
        altered = " (altered)" if self.altered else ""
        altered += " (elided)" if self.elided else ""
        return (
            f"<Match {self.kind} {self.score:.1f} ({self.confidence}) in "
            f"{self.doc_id!r}[{self.start}:{self.end}]"
            f", speaker {self.speaker!r}{changes}{altered}: {short!r}>"
        )

    def __str__(self) -> str:
        return repr(self)

    def _repr_html_(self) -> str:
        from .view._display import match_html  # a later stage, imported only when shown

        return match_html(self)


class OriginBasis(str, Enum):
    """The evidence that decided which occurrence of a quotation is its origin.

    The steps are tried in order (see ``README.md``, "How origins are decided"); the basis
    is the step that left one occurrence, and ``origin_reason`` says the same in words,
    naming the documents.

    >>> OriginBasis("date"), OriginBasis.DATE.value
    (<OriginBasis.DATE: 'date'>, 'date')
    """

    ONLY = "only_occurrence"
    """One document holds the quotation."""
    COMPLETENESS = "completeness"
    """The only occurrence that holds the whole quotation (others are rewordings or
    fragments)."""
    DATE = "date"
    """The earliest publication date."""
    CONTAINMENT = "containment"
    """The others are in documents that derive from another occurrence's document."""
    ATTRIBUTION = "attribution"
    """The only occurrence that says who spoke."""
    ORIGINAL_LANGUAGE = "original_language"
    """The statement in its original language, no later than the occurrences in the
    query's language, which translate it (cross-lingual tracing)."""
    CORPUS_ORDER = "corpus_order"
    """Nothing separated the occurrences left: the first in corpus order."""


def parse_published(value: Any) -> Any:
    """An ISO date or datetime string as a date or datetime (``Z`` read as UTC); other
    values pass unchanged, an empty string is None.

    >>> parse_published("2024-03-01"), parse_published("2024-03-01T10:00:00Z").tzinfo
    (datetime.date(2024, 3, 1), datetime.timezone.utc)
    """
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(
            f"published date {value!r} is not an ISO date (2021-07-16) or datetime "
            "(2021-07-16T09:30:00+00:00)"
        ) from exc


class Document(_Frozen):
    """A text and what is known about it.

    ``published`` accepts ISO dates and datetimes; metadata holds anything else.
    """

    id: str = Field(min_length=1)
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: dt.datetime | dt.date | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)

    @field_validator("id")
    @classmethod
    def _clean_id(cls, value: str) -> str:
        if value != value.strip() or not value:
            raise ValueError(f"document id {value!r} must be non-empty with no outer spaces")
        return value

    @field_validator("published", mode="before")
    @classmethod
    def _parse_date(cls, value: Any) -> Any:
        return parse_published(value)


def published_key(value: dt.date | dt.datetime) -> dt.datetime:
    """A sortable UTC-naive datetime for a date or datetime.

    >>> published_key(dt.date(2021, 7, 16))
    datetime.datetime(2021, 7, 16, 0, 0)
    """
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value
    return dt.datetime(value.year, value.month, value.day)
