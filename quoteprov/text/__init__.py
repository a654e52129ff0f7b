"""Text processing: normalisation, sentences, quotations and their speakers, document analysis."""
