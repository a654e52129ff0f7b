"""Finding a quotation: the candidate index, alignment, match kinds, scoring, the semantic tier."""
