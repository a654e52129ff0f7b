"""Provenance: quotation families, their origins, and which document reused which.

Three questions, answered from the matches of the earlier stages:

* **Families** — every direct quotation of three or more words is traced through the
  corpus; occurrences of comparable length that match (verbatim, near-verbatim or
  paraphrased) join one family.  A short fragment found inside a longer quotation joins
  the family of its best container but never bridges two families, so "failed state"
  quoted by two people does not merge what each of them said.
* **Reuse** — sentences of different documents that match each other are counted per
  document pair.  Shared *quotations* alone show a common source, not copying, so a
  ``derived_from`` edge needs at least ``min_shared`` reused sentences outside quotation
  marks.  The copy is the later-published document when both are dated, otherwise the
  one made mostly of the other (containment).  Reuse is drawn as a star around its
  source: two reprints of one story reuse each other only through the story, so an edge
  between them is dropped when a third document they both derive from holds what they
  share (see :func:`_explained`); a copy of a copy keeps its edge to the copy it took an
  edit from.
* **Origin** — the earliest publication date decides when every occurrence is dated.
  Otherwise the evidence, in order: an occurrence in a document derived from another
  occurrence's document is not the origin; a more complete occurrence (verbatim before
  near-verbatim, partial, paraphrase) beats a less complete one; an attributed one beats
  an unattributed one; then the earliest date among the dated ones; then corpus order.
  The reason names the evidence that decided.
"""
