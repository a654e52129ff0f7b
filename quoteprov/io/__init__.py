"""Writing and reading graph files."""
