"""The code stays ruff- and mypy --strict-clean (the dev extra installs both)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("check", [("check",), ("format", "--check")], ids=["lint", "format"])
def test_ruff(check: tuple[str, ...]) -> None:
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (pip install -e '.[dev]')")
    result = run(ruff, *check, "quoteprov", "tests", "benchmarks", "docs")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict() -> None:
    pytest.importorskip("mypy", reason="mypy is not installed (pip install -e '.[dev]')")
    result = run(sys.executable, "-m", "mypy", "quoteprov")
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_layers() -> None:
    """Each stage imports only the stages below it (the import-linter contract in
    pyproject.toml), lazily or not."""
    linter = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if linter is None:
        pytest.skip("import-linter is not installed (pip install -e '.[dev]')")
    result = run(linter, "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_module_is_in_a_layer() -> None:
    """A new module or folder must take its place in the layers, or the contract would not
    check it."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [contract] = config["tool"]["importlinter"]["contracts"]
    named = {name.strip() for layer in contract["layers"] for name in layer.split("|")}
    package = ROOT / "quoteprov"
    found = {
        f"quoteprov.{path.stem}"
        for path in package.iterdir()
        if (path.suffix == ".py" and path.stem != "__init__")
        or (path.is_dir() and (path / "__init__.py").exists())
    }
    assert found == named


# The module-level state that remains, each with why (issue 17): anything else a module
# binds at import is immutable (tuples, frozensets, MappingProxyType, frozen settings).
_STATE = {
    # the one-call trace_quote/build_graph reuse a corpus' Tracer (and so its index) from
    # call to call, as the README promises; weak, so the corpus is not kept alive by it
    ("_api.py", "_TRACERS"),
    # what forked workers read: set by the pool's initializer inside each worker only
    # (fork hands the index over without pickling it); the parent never writes it
    ("_parallel.py", "global _WORKER_SHARED"),
    # corpus versions are unique in the process, so an index built for one corpus'
    # version is never taken for another's
    ("corpus/_corpus.py", "_VERSIONS"),
    # one model load per process, shared by every Tracer (seconds and hundreds of MB)
    ("search/_semantic.py", "_LOADING"),
}
_MUTABLE_CALLS = {"dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "deque"}
_MUTABLE_CALLS |= {"WeakKeyDictionary", "WeakValueDictionary", "count", "Lock", "RLock"}


def _module_state(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in tree.body:
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        if value is None:
            continue
        mutable = isinstance(value, (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp))
        mutable |= isinstance(value, ast.SetComp)
        if isinstance(value, ast.Call):
            func = value.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            mutable |= name in _MUTABLE_CALLS
        names = [ast.unparse(t) for t in targets]
        found |= {n for n in names if mutable and n != "__all__"}
    found |= {f"global {n}" for g in ast.walk(tree) if isinstance(g, ast.Global) for n in g.names}
    return found


def test_module_level_state_is_only_what_is_listed() -> None:
    package = ROOT / "quoteprov"
    state = {
        (path.relative_to(package).as_posix(), name)
        for path in package.rglob("*.py")
        for name in _module_state(path)
    }
    assert state == _STATE
