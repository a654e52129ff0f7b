"""The installed wheel as a user gets it (run by .ci/run with the fresh environment's Python,
from an empty folder outside the checkout): the package data, the console script, and
``import quoteprov`` with none of the extras installed."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import quoteprov as qp

checkout = Path(sys.argv[1]).resolve()
here = Path(qp.__file__).resolve()
assert checkout not in here.parents, f"quoteprov was imported from the checkout: {here}"
assert "site-packages" in here.parts, here

# no extra came with it: the library imports and traces without them
for extra in ("pytest", "hypothesis", "pandas", "matplotlib", "pyvis", "rich", "trafilatura"):
    assert importlib.util.find_spec(extra) is None, f"{extra} is installed"

# the seeds are package data, in the wheel's record and read through importlib.resources
seeds = resources.files("quoteprov") / "seeds"
names = sorted(entry.name for entry in seeds.iterdir())
assert len(names) == 6, names
assert sum(name.endswith(".txt") for name in names) == 5 and "manifest.json" in names
recorded = {str(f) for f in importlib.metadata.files("quoteprov") or ()}
assert {f"quoteprov/seeds/{name}" for name in names} <= recorded
corpus = qp.Corpus.seeds()
trace = qp.trace_quote("We are confident that Cuba would smash the interference", corpus)
assert trace.origin is not None and trace.origin.doc_id == "000_6d2a861c4dda6642"

# one version, from the metadata; the console script is on PATH and says it
version = importlib.metadata.version("quoteprov")
assert qp.__version__ == version, (qp.__version__, version)
script = shutil.which("quoteprov")
assert script is not None and Path(script).parent == Path(sys.executable).parent, script
shown = subprocess.run([script, "--version"], capture_output=True, text=True, check=True)
assert shown.stdout.strip() == f"quoteprov {version}", shown.stdout

print(
    f"smoke: quoteprov {version} from {here.parent}; {len(names)} seed files as package "
    f"data; console script {script}; no extras installed"
)
