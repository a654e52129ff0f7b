"""Where the heavy loops run: this process, forked worker processes, or a Dask cluster.

The provenance stage cuts its two heavy loops (tracing every quotation, aligning the
sentence pairs of candidate document pairs) into chunks of independent *tasks*: each
task reads the index and returns plain results, which the caller merges in chunk order.
So every backend gives the same results, bit for bit.

* ``"local"``: here, or in ``workers`` processes forked from this one (they share the
  index's memory; Linux and other systems where ``fork`` is available).
* ``"dask"``: on a ``dask.distributed`` cluster — ``client=`` an existing
  :class:`distributed.Client`, or a temporary local cluster.  The index is sent to every
  worker once (``client.scatter(..., broadcast=True)``).  Install ``quoteprov[dask]``.

Progress: a ``tqdm`` bar (``tqdm.auto``: a widget in notebooks, text in terminals) when
``progress`` is true, or, by default, when the work is long and someone is watching (a
terminal or a notebook).

>>> run_tasks(_double, None, [[1, 2], [3]], backend="local", progress=False)
[[2, 4], [6]]
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Literal, TypeVar

from ._errors import InputError, MissingDependencyError

__all__ = ["Backend", "progress_bar", "run_tasks", "show_progress"]

Backend = Literal["local", "dask"]
T = TypeVar("T")
R = TypeVar("R")

_LONG = 20  # chunks or more make a job worth a progress bar by default
# What a forked worker's tasks read, set in the worker only (by the pool's initializer):
# a task ships just its chunk, and the shared index reaches the worker through fork's
# copy of memory, never pickled (under fork the initializer's arguments are inherited
# with the process).  The parent process never sets it.
_WORKER_SHARED: Any = None


def _double(_: object, chunk: Sequence[int]) -> list[int]:
    return [2 * x for x in chunk]


def show_progress(progress: bool | None, total: int) -> bool:
    """Whether to show a bar: as asked, or by default for long jobs someone watches."""
    if progress is not None:
        return progress
    if total < _LONG:
        return False
    watched = "ipykernel" in sys.modules or (hasattr(sys.stderr, "isatty") and sys.stderr.isatty())
    return bool(watched)


def progress_bar(items: Iterator[T] | Sequence[T], *, total: int, desc: str, show: bool) -> Any:
    """``items`` wrapped in a tqdm bar when ``show`` (tqdm is imported only then)."""
    if not show:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, total=total, desc=desc, leave=False)


class _Wrapped:
    """A value Dask passes along as it is, without looking inside for task keys."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def _call_wrapped(function: Callable[[Any, Any], Any], shared: Any, chunk: _Wrapped) -> Any:
    return function(shared, chunk.value)


def _set_worker_shared(shared: Any) -> None:
    global _WORKER_SHARED
    _WORKER_SHARED = shared


def _call_shared(task: tuple[Callable[[Any, Any], Any], Any]) -> Any:
    function, chunk = task
    return function(_WORKER_SHARED, chunk)


def run_tasks(
    function: Callable[[Any, T], R],
    shared: Any,
    chunks: Sequence[T],
    *,
    backend: Backend = "local",
    client: Any = None,
    workers: int | None = 1,
    progress: bool | None = None,
    desc: str = "quoteprov",
) -> list[R]:
    """``[function(shared, chunk) for chunk in chunks]``, computed where ``backend`` says.

    ``function`` must be a module-level function (Dask and worker processes import it by
    name); ``shared`` is read-only data every task needs (the index).
    """
    show = show_progress(progress, len(chunks))
    if backend == "dask" or client is not None:
        return _run_dask(function, shared, chunks, client, show, desc)
    if backend != "local":
        raise InputError(f"unknown backend {backend!r}; use 'local' or 'dask'")
    count = workers if workers is not None else (os.cpu_count() or 1)
    if count > 1 and len(chunks) > 1 and "fork" in multiprocessing.get_all_start_methods():
        return _run_forked(function, shared, chunks, min(count, len(chunks)), show, desc)
    bar = progress_bar(chunks, total=len(chunks), desc=desc, show=show)
    return [function(shared, chunk) for chunk in bar]


def _run_forked(
    function: Callable[[Any, T], R],
    shared: Any,
    chunks: Sequence[T],
    count: int,
    show: bool,
    desc: str,
) -> list[R]:
    # the workers' garbage collector leaves the parent's objects alone: a collection that
    # visited them would write to their pages and copy them into every worker
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(count, initializer=_set_worker_shared, initargs=(shared,)) as pool:
            results = pool.imap(_call_shared, [(function, chunk) for chunk in chunks])
            return list(progress_bar(results, total=len(chunks), desc=desc, show=show))
    finally:
        gc.unfreeze()


def _run_dask(
    function: Callable[[Any, T], R],
    shared: Any,
    chunks: Sequence[T],
    client: Any,
    show: bool,
    desc: str,
) -> list[R]:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingDependencyError.of("dask.distributed", "backend='dask'", "dask") from exc
    own = None
    if client is None:
        own = Client(LocalCluster(processes=True, dashboard_address=None))
        client = own
    try:
        remote = client.scatter(shared, broadcast=True, hash=False)  # a key of its own
        # chunks travel wrapped: Dask would take a tuple such as ("text", 3) for a task key
        wrapped = [_Wrapped(chunk) for chunk in chunks]
        futures = client.map(
            _call_wrapped, [function] * len(chunks), [remote] * len(chunks), wrapped, pure=False
        )
        done = progress_bar(as_completed(futures), total=len(futures), desc=desc, show=show)
        for _ in done:
            pass
        return list(client.gather(futures))
    finally:
        if own is not None:
            cluster = own.cluster
            own.close()
            if cluster is not None:
                cluster.close()
