"""Documents and where they are kept: the corpus, its storage backends, web loaders."""
