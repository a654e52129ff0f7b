"""From matches to provenance: origins, document reuse, quotation families, the graph."""
