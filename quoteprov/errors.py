"""One exception tree for everything quoteprov refuses.

Every error the library raises on purpose is a :class:`QuoteprovError`; errors from
dependencies are translated at the boundary (``raise ... from exc``) so callers catch one
type.  "Nothing found" is never an error: it is an empty result.

>>> issubclass(DuplicateDocumentError, CorpusError)
True
"""

from __future__ import annotations

__all__ = [
    "CorpusError",
    "DocumentFormatError",
    "DuplicateDocumentError",
    "EncodingError",
    "ExportError",
    "InputError",
    "MissingDependencyError",
    "QuoteprovError",
]


class QuoteprovError(Exception):
    """Base class of every error quoteprov raises on purpose."""


class InputError(QuoteprovError, ValueError):
    """An argument or a record is not usable as given (empty query, bad date, bad field)."""


class CorpusError(QuoteprovError):
    """A corpus cannot be loaded or changed as asked."""


class DuplicateDocumentError(CorpusError, KeyError):
    """Two documents share one id; ids identify documents and are never overwritten."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class EncodingError(CorpusError, UnicodeError):
    """A file is not valid text in the expected encoding."""


class DocumentFormatError(CorpusError):
    """A file or record is malformed (bad JSON line, binary file, missing text)."""


class ExportError(QuoteprovError):
    """A graph or result cannot be written where or as asked."""


class MissingDependencyError(QuoteprovError, ImportError):
    """An optional dependency a feature needs is not installed; the message says what to install.

    >>> raise MissingDependencyError.of("matplotlib", "plot_graph")
    Traceback (most recent call last):
    ...
    quoteprov.errors.MissingDependencyError: plot_graph needs matplotlib, ...[notebook]'
    """

    @classmethod
    def of(cls, package: str, feature: str, extra: str = "notebook") -> MissingDependencyError:
        """The error for ``feature`` needing ``package`` from the extra ``extra``.

        >>> str(MissingDependencyError.of("rich", "colour", extra="cli"))
        "colour needs rich, which is not installed: pip install 'quoteprov[cli]'"
        """
        return cls(
            f"{feature} needs {package}, which is not installed: pip install 'quoteprov[{extra}]'"
        )
