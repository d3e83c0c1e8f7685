"""Work shared between this process and forked ones: long drafts' diffs, a chain's comparisons.

Forked processes start with every module imported, every pattern compiled and the drafts in
memory, so only a task's number goes to them and only its result comes back. Fork is used on
Linux only: elsewhere it is unsafe beside the system's threads (macOS) or missing (Windows),
and the caller does the work itself.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

_T = TypeVar("_T")

_TASK: Callable[[int], Any] | None = None
"""The task the forked processes run: set before they are forked, so they inherit it."""
_ONE_AT_A_TIME = threading.Lock()
"""_TASK is one for the whole process: a second caller, meanwhile, does its work itself."""


def usable_cores() -> int:
    """The cores this process may run on (its affinity, which a container's limit narrows), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS and Windows have no affinity call
        return max(1, os.cpu_count() or 1)


def _start_worker() -> None:
    # Ctrl-C is the parent's to handle: it stops the workers itself, so a worker goes on with
    # nothing half-done, and one whose parent died outright is stopped by the system.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - no prctl: the pool's pipes closing stops it
        pass


def _run_task(k: int) -> Any:
    assert _TASK is not None
    return _TASK(k)


def map_forked(task: Callable[[int], _T], n: int, workers: int) -> list[_T] | None:
    """[task(0), …, task(n - 1)], computed by this process and up to `workers` - 1 forked ones;
    None where that cannot be done here (the caller then runs the tasks itself).

    The workers take tasks from the start (each holding one more in reserve), this process from
    the end: its own results need no sending, and it would otherwise only wait. An exception
    raised by tasks is the one of the lowest-numbered failing task, as running them in order
    would raise; Ctrl-C stops the workers at once.
    """
    global _TASK
    if sys.platform != "linux" or not _ONE_AT_A_TIME.acquire(blocking=False):
        return None
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _TASK = task
    pool = ProcessPoolExecutor(
        max_workers=max(1, min(workers - 1, n)), mp_context=multiprocessing.get_context("fork"), initializer=_start_worker
    )
    try:
        futures = [pool.submit(_run_task, k) for k in range(n)]
        mine: dict[int, _T] = {}
        failed: dict[int, BaseException] = {}
        for k in reversed(range(n)):
            if not futures[k].cancel():
                break  # a worker has it, and every task before it
            try:
                mine[k] = task(k)
            except Exception as exc:  # noqa: BLE001 - kept, to raise the lowest-numbered one
                failed[k] = exc
        out: list[_T] = []
        for k in range(n):
            if k in mine:
                out.append(mine[k])
            elif k in failed:
                raise failed[k]
            else:
                out.append(futures[k].result())
        pool.shutdown(wait=True)
        return out
    except BaseException:
        # Ctrl-C or a failed task: what is queued is dropped and the workers are stopped, not
        # waited for.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        _TASK = None
        _ONE_AT_A_TIME.release()
