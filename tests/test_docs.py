"""The documentation site's sources stay true: the API page documents exactly the public
names, the command line page is the commands' current --help, and the version is stated
once.  (.ci/run builds the site itself after the suite, warnings as errors, and runs its
doctests: see docs/conf.py.)"""

from __future__ import annotations

import importlib.metadata
import re
import sys
from pathlib import Path

import pytest

import quoteprov as qp

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def test_the_api_page_documents_every_public_name_once() -> None:
    page = (DOCS / "api.rst").read_text(encoding="utf-8")
    documented = re.findall(r"^\.\. (?:auto)?(?:class|function|exception|data):: (\S+)", page, re.M)
    names = [name.removeprefix("quoteprov.") for name in documented]
    assert sorted(names) == sorted(qp.__all__)  # a new public name needs its entry


@pytest.mark.skipif(
    sys.version_info >= (3, 13),
    reason="argparse lays out --help differently from Python 3.13; docs/cli.md is generated "
    "under CI's Python (3.11)",
)
def test_the_cli_page_is_the_current_help() -> None:
    cogapp = pytest.importorskip("cogapp", reason="cogapp is not installed (the dev extra)")
    status = cogapp.Cog().main(["cog", "--check", str(DOCS / "cli.md")])
    assert status == 0, "docs/cli.md is out of date: run `cog -r docs/cli.md`"


def test_the_cli_page_shows_every_command() -> None:
    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    for command in ("trace", "graph", "quotes"):
        assert f"$ quoteprov {command} --help\nusage: quoteprov {command} " in page


def test_the_version_is_stated_once() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert qp.__version__ == importlib.metadata.version("quoteprov") == project["version"]
    for path in [*ROOT.glob("quoteprov/**/*.py"), DOCS / "conf.py"]:
        assert project["version"] not in path.read_text(encoding="utf-8"), path
