"""One exception tree for everything quoteprov refuses.

Every error the library raises on purpose is a :class:`QuoteprovError`; errors from
dependencies are translated at the boundary (``raise ... from exc``) so callers catch one
type.  "Nothing found" is never an error: it is an empty result.

>>> issubclass(DuplicateDocumentError, CorpusError)
True
"""

from __future__ import annotations

import logging
import sys

__all__ = [
    "CorpusError",
    "DocumentFormatError",
    "DuplicateDocumentError",
    "EncodingError",
    "ExportError",
    "InputError",
    "MissingDependencyError",
    "QuoteprovError",
    "notice",
    "skippable",
]

SKIP_HINT = 'errors="skip" loads past it'
"""How to get past an input a corpus loader cannot use, ending its error's message (the
command line says ``--skip-bad`` instead)."""

NOTE_PREFIX = "quoteprov: note: "


class QuoteprovError(Exception):
    """Base class of every error quoteprov raises on purpose.

    ``skippable`` is True for an error about one input of a corpus being loaded (a file,
    a line, a page) that ``errors="skip"`` would load past; its message says so.
    """

    skippable = False


def skippable(exc: QuoteprovError) -> QuoteprovError:
    """``exc``, about one input of a corpus being loaded, with :data:`SKIP_HINT` ending
    its message and ``skippable`` set: a folder stopped by one bad file says how to load
    the rest.

    >>> str(skippable(CorpusError("a.txt: a binary file")))
    'a.txt: a binary file; errors="skip" loads past it'
    """
    if not exc.skippable:
        exc.args = (f"{exc}; {SKIP_HINT}", *exc.args[1:])
        exc.skippable = True
    return exc


def notice(text: str) -> None:
    """Say something worth knowing, once, as one line: ``quoteprov: note: TEXT``.

    A notice is no warning (nothing is wrong, there is nothing to fix): it goes to the
    ``quoteprov`` logger when logging is set up (``logging.basicConfig``, a notebook's
    or an application's handlers), else straight to stderr, without the source line and
    category a :class:`UserWarning` shows.  The command line prints the same line.
    Callers say each thing once per process.

    >>> import io, logging
    >>> said = io.StringIO()
    >>> handler = logging.StreamHandler(said)
    >>> logging.getLogger("quoteprov").addHandler(handler)
    >>> notice("matching lexically")
    >>> logging.getLogger("quoteprov").removeHandler(handler)
    >>> print(said.getvalue(), end="")
    quoteprov: note: matching lexically
    """
    line = NOTE_PREFIX + " ".join(text.split())
    log = logging.getLogger("quoteprov")
    if log.hasHandlers():
        log.warning(line)
    else:  # what logging's last resort does, whatever its level: one plain line
        print(line, file=sys.stderr)


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
    quoteprov.MissingDependencyError: plot_graph needs matplotlib, ...[notebook]'
    >>> str(MissingDependencyError.of("rich", "colour", extra="cli"))
    "colour needs rich, which is not installed: pip install 'quoteprov[cli]'"
    """

    @classmethod
    def of(cls, package: str, feature: str, extra: str = "notebook") -> MissingDependencyError:
        """The error for ``feature`` needing ``package`` from the extra ``extra``."""
        return cls(
            f"{feature} needs {package}, which is not installed: pip install 'quoteprov[{extra}]'"
        )


# A traceback names the exception as users import it (quoteprov.CorpusError), not by the
# private module that defines it, as httpx does.  Doctests of these classes are collected
# from the package for the same reason: keep them in the class docstrings.
for _error in (
    QuoteprovError,
    InputError,
    CorpusError,
    DuplicateDocumentError,
    EncodingError,
    DocumentFormatError,
    ExportError,
    MissingDependencyError,
):
    _error.__module__ = "quoteprov"
del _error
