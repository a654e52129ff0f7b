"""Sphinx configuration for quoteprov's documentation.

Build (CI runs both, after the test suite, with warnings as errors)::

    pip install -e ".[docs]"
    sphinx-build -W -n --keep-going -b html docs docs/_build/html      # pages
    sphinx-build -W -n --keep-going -b doctest docs docs/_build/doctest  # docstring examples

``-n`` (nitpicky) makes every unresolved cross-reference a warning and ``-W`` makes a
warning an error, so a broken ``:func:`` in a public docstring breaks the build; the
doctest builder runs every ``>>>`` example of the pages and of the public docstrings.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import os
import re
from pathlib import Path
from typing import Any

import quoteprov

# The pages show what a default install gives: lexical matching (the semantic extra is not
# installed in CI); the notebooks' kernels inherit this.
os.environ.setdefault("QUOTEPROV_SEMANTIC", "0")

# -- project -------------------------------------------------------------------------------

project = "quoteprov"
author = "quoteprov developers"
copyright = "quoteprov developers"
release = importlib.metadata.version("quoteprov")  # the one version: pyproject.toml's
version = release

# -- extensions ----------------------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",  # the API reference from the docstrings
    "numpydoc",  # ... which are numpydoc
    "sphinx.ext.doctest",  # their examples, run by `-b doctest`
    "myst_nb",  # Markdown pages and the example notebooks, executed at build
    "matplotlib.sphinxext.plot_directive",  # the benchmark curves, drawn from their CSVs
]

exclude_patterns = ["_build", "**/.ipynb_checkpoints", "examples/out"]
nitpicky = True

# Types of other libraries: there is no network at build time for intersphinx, so their
# names stay plain text instead of links.  Only third-party and standard-library types
# are listed; quoteprov's own names must resolve (see _public_names below).
nitpick_ignore_regex = [
    (r"py:.*", r"(networkx|nx|pandas|pd|matplotlib|numpy|np|pydantic|scipy|tqdm)(\..*)?"),
    (r"py:.*", r"(pathlib|os|datetime|dt|collections\.abc|typing|types|enum|sqlite3)\..*"),
    # pydantic's field constraints, in the models' signatures (start: Annotated[int, Ge(0)])
    (r"py:class", r"annotated_types\..*"),
    (r"py:class", r"(Path|PathLike|DiGraph|DataFrame|Axes|Figure|BaseModel|Enum)"),
    (r"py:class", r"(Iterable|Iterator|Mapping|Sequence|Callable|Literal|Any)"),
    (r"py:class", r"(str|int|float|bool|None|dict|list|tuple|set|object)\b.*"),
    # private type aliases in public signatures, each spelled out in the parameter's text:
    # CorpusLike (a Corpus, documents or a path), Kind (a match kind), Backend, Progress
    (r"py:class", r"(CorpusLike|Kind|Backend|Progress)"),
]

# -- autodoc and numpydoc ------------------------------------------------------------------

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"members": True, "exclude-members": "model_config, model_post_init"}
numpydoc_show_class_members = False  # members are documented by autodoc, not listed twice
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# -- doctest -------------------------------------------------------------------------------

# `-b doctest` runs the `>>>` examples of the pages and of every documented docstring.  A
# docstring's examples run as pytest's --doctest-modules runs them: in a namespace of their
# own holding the globals of the module that defines the object (_doctest_groups below).
doctest_global_setup = "import quoteprov as qp"
# as pytest runs them (pyproject.toml: doctest_optionflags)
doctest_default_flags = (
    __import__("doctest").ELLIPSIS
    | __import__("doctest").NORMALIZE_WHITESPACE
    | __import__("doctest").IGNORE_EXCEPTION_DETAIL
)

# -- notebooks -----------------------------------------------------------------------------

# The examples are executed at every build (as tests/test_examples.py does), so the pages
# show what this version prints; an error in a cell fails the build.
nb_execution_mode = "force"
nb_execution_raise_on_error = True
nb_execution_timeout = 300
nb_execution_show_tb = True
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3

# -- pictures of the benchmarks ------------------------------------------------------------

plot_include_source = False
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 110)]

# -- HTML ----------------------------------------------------------------------------------

html_theme = "furo"
html_title = f"quoteprov {release}"
html_static_path = ["_static"]
html_css_files = ["quoteprov.css"]

# -- quoteprov's names ---------------------------------------------------------------------

_PUBLIC = set(quoteprov.__all__)
_PRIVATE = re.compile(r"quoteprov(?:\.\w+)*\._\w+(?:\.\w+)*")


def _private_object(target: str) -> bool:
    """Whether ``target`` (``quoteprov.view._frames.trace_frame``) names something that
    exists: the longest importable module, then attributes."""
    parts = target.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            value: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            if not hasattr(value, name):
                return False
            value = getattr(value, name)
        return True
    return False


def _public_names(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    """Only the public API has pages (``quoteprov.X``); references into the private modules
    behind it resolve thus:

    - to the public name, when quoteprov exports it (``quoteprov.corpus._corpus.Corpus`` in
      a signature is :class:`quoteprov.Corpus`);
    - to plain code with no link, when it names a private module or object that exists
      (``quoteprov.view._frames.trace_frame`` in :meth:`quoteprov.Trace.to_frame`);
    - otherwise not at all: a misspelt or removed name stays a warning, and breaks the build.
    """
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    if _PRIVATE.fullmatch(target) is None:
        return None
    public = next((p for p in target.split(".") if p in _PUBLIC), None)
    if public is not None:
        rest = target.split(public, 1)[1]
        return env.get_domain("py").resolve_xref(
            env,
            node.get("refdoc"),
            app.builder,
            node.get("reftype"),
            f"quoteprov.{public}{rest}",
            node,
            contnode,
        )
    return contnode if _private_object(target) else None


# -- docstring examples as tests ------------------------------------------------------------

_PACKAGE = Path(quoteprov.__file__).resolve().parent


def _defining_module(obj: Any) -> str | None:
    """The module whose file defines ``obj`` (exceptions say ``quoteprov`` in
    ``__module__``; their examples need ``quoteprov._errors``'s globals)."""
    obj = getattr(obj, "fget", obj)  # a property
    try:
        path = Path(inspect.getsourcefile(obj) or "").resolve()
    except TypeError:
        return None
    if _PACKAGE not in path.parents:
        return None
    parts = path.relative_to(_PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _doctest_groups(
    app: Any, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    """Turn a docstring's doctest blocks into ``.. doctest::`` blocks of a group named after
    the object, set up with its module's globals."""
    module = _defining_module(obj)
    if module is None or not any(line.lstrip().startswith(">>>") for line in lines):
        return
    out = [
        f".. testsetup:: {name}",
        "",
        "   import importlib",
        f"   globals().update(vars(importlib.import_module({module!r})))",
        "",
    ]
    block: list[str] = []
    for line in [*lines, ""]:
        if block and line.strip():
            block.append(line)
            continue
        if block:  # a blank line ends a doctest block
            indent = len(block[0]) - len(block[0].lstrip())
            out += [" " * indent + f".. doctest:: {name}", ""]
            out += [" " * indent + "   " + text[indent:] for text in block]
            out.append("")
            block = []
        if line.lstrip().startswith(">>>"):
            block = [line]
        else:
            out.append(line)
    lines[:] = out


def setup(app: Any) -> None:
    app.connect("missing-reference", _public_names)
    # after numpydoc (priority 500), on the reST it writes
    app.connect("autodoc-process-docstring", _doctest_groups, priority=600)
