"""Work shared between this process and forked ones: long drafts' diffs, a chain's comparisons.

Forked processes start with every module imported, every pattern compiled and the drafts in
memory, so only a task's number goes to them and only its result comes back. Fork is used on
Linux only: elsewhere it is unsafe beside the system's threads (macOS) or missing (Windows),
and the caller does the work itself.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
import time
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


class _Tasks:
    """The task numbers not yet taken, shared by every process: workers take the lowest, the
    parent the highest, so each takes the next as soon as it is free and they finish together."""

    def __init__(self, n: int, context: Any) -> None:
        self._lock = context.Lock()
        self._bounds = context.RawArray("q", [0, n - 1])  # lowest and highest not taken

    def failed(self, k: int) -> None:
        """Task k failed: no task after it need run, but every one before it must, in case it fails too."""
        with self._lock:
            self._bounds[1] = min(self._bounds[1], k - 1)

    def take(self, lowest: bool) -> int | None:
        with self._lock:
            lo, hi = self._bounds[0], self._bounds[1]
            if lo > hi:
                return None
            if lowest:
                self._bounds[0] = lo + 1
                return int(lo)
            self._bounds[1] = hi - 1
            return int(hi)


def _work(tasks: _Tasks, results: Any) -> None:
    """A forked worker: tasks from the lowest up, each result (or error) sent as it is done."""
    # Ctrl-C is the parent's to handle (it stops the workers); a worker whose parent died
    # outright is stopped by the system.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - no prctl: the parent terminates it
        pass
    assert _TASK is not None
    while (k := tasks.take(lowest=True)) is not None:
        try:
            message: tuple[int, bool, Any] = (k, True, _TASK(k))
        except Exception as exc:  # noqa: BLE001 - sent to the parent, which raises it
            tasks.failed(k)
            message = (k, False, exc)
        try:
            results.put(message)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            tasks.failed(k)
            results.put((k, False, RuntimeError(f"task {k}: its result cannot be sent back ({exc})")))
    results.put(None)


def map_forked(task: Callable[[int], _T], n: int, workers: int) -> list[_T] | None:
    """[task(0), …, task(n - 1)], computed by this process and up to `workers` - 1 forked ones;
    None where that cannot be done here (the caller then runs the tasks itself).

    The workers take tasks from the lowest number up, this process from the highest down, each
    the next as soon as it is free: its own results need no sending, and it would otherwise
    only wait. A failing task stops the taking of those after it, not of those before: the error
    raised is that of the lowest-numbered failing task, as running them in order would raise.
    Ctrl-C stops the workers at once.
    """
    global _TASK
    if n < 1 or sys.platform != "linux" or not _ONE_AT_A_TIME.acquire(blocking=False):
        return None
    import multiprocessing

    context = multiprocessing.get_context("fork")
    tasks = _Tasks(n, context)
    results = context.SimpleQueue()
    _TASK = task
    processes = [context.Process(target=_work, args=(tasks, results), daemon=True) for _ in range(min(workers - 1, n))]
    done: dict[int, Any] = {}
    failed: dict[int, BaseException] = {}
    try:
        for process in processes:
            process.start()
        # The workers' results are read as they come, or a full pipe would stop them.
        reader = threading.Thread(target=_read, args=(results, processes, done, failed), daemon=True)
        reader.start()
        while (k := tasks.take(lowest=False)) is not None:
            try:
                done[k] = task(k)
            except Exception as exc:  # noqa: BLE001 - kept, to raise the lowest-numbered one
                tasks.failed(k)
                failed[k] = exc
        while reader.is_alive():
            reader.join(0.1)  # in steps: Ctrl-C is only seen between them
        for process in processes:
            process.join()
        if failed:
            raise failed[min(failed)]  # every task before it was run, and did not fail
        if len(done) < n:
            raise RuntimeError(f"a worker process stopped before finishing its tasks ({n - len(done)} of {n} not done)")
        return [done[k] for k in range(n)]
    except BaseException:
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join()
        raise
    finally:
        _TASK = None
        _ONE_AT_A_TIME.release()


def _read(results: Any, processes: list[Any], done: dict[int, Any], failed: dict[int, BaseException]) -> None:
    """Every worker's results into done (or failed), until each has said it is finished or none is left."""
    finished = 0
    while finished < len(processes):
        if results.empty():
            if not any(p.is_alive() for p in processes) and results.empty():
                return  # a worker stopped without a word: the parent finds its tasks missing
            time.sleep(0.005)
            continue
        message = results.get()
        if message is None:
            finished += 1
            continue
        k, ok, value = message
        (done if ok else failed)[k] = value
