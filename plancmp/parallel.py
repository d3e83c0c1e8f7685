"""Work shared between this process and forked ones: long drafts' diffs, a chain's comparisons, and
the topics of long drafts looked for while they are aligned.

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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
    if n < 1 or sys.platform != "linux" or not _ONE_AT_A_TIME.acquire(blocking=False):
        return None
    try:
        forked = _Forked(task, n, min(workers - 1, n))
        try:
            forked.take_own()
            return forked.finish()
        except BaseException:
            forked.stop()
            raise
    finally:
        _release()


@contextmanager
def aside(task: Callable[[], _T]) -> Iterator[Callable[[], _T] | None]:
    """task() run in a forked process while this one goes on with the block: yields a function
    that waits for its result (or raises its error), or None where that cannot be done here (the
    caller then runs it itself). Ctrl-C, or leaving the block early, stops it.

    Nothing else is shared meanwhile: map_forked called inside the block returns None, so the
    result is best fetched as soon as it is needed, and the block left.
    """
    if sys.platform != "linux" or not _ONE_AT_A_TIME.acquire(blocking=False):
        yield None
        return
    forked: _Forked | None = None
    try:
        forked = _Forked(lambda k: task(), 1, 1)
        yield lambda: forked.finish()[0]
    finally:
        if forked is not None:
            forked.stop()  # finished already, unless the block was left early
        _release()


def _release() -> None:
    global _TASK
    _TASK = None
    _ONE_AT_A_TIME.release()


class _Forked:
    """Tasks 0 … n - 1 shared with `processes` forked workers, started at once; this process may
    take its own share (take_own), then collects them all (finish), or stops the workers (stop)."""

    def __init__(self, task: Callable[[int], Any], n: int, processes: int) -> None:
        global _TASK
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.task, self.n = task, n
        self.tasks = _Tasks(n, context)
        results = context.SimpleQueue()
        _TASK = task
        self.processes = [context.Process(target=_work, args=(self.tasks, results), daemon=True) for _ in range(processes)]
        self.done: dict[int, Any] = {}
        self.failed: dict[int, BaseException] = {}
        try:
            for process in self.processes:
                process.start()
        except BaseException:
            self.stop()
            raise
        # The workers' results are read as they come, or a full pipe would stop them.
        self.reader = threading.Thread(target=_read, args=(results, self.processes, self.done, self.failed), daemon=True)
        self.reader.start()

    def take_own(self) -> None:
        """This process's share: tasks from the highest number down, until none is left."""
        while (k := self.tasks.take(lowest=False)) is not None:
            try:
                self.done[k] = self.task(k)
            except Exception as exc:  # noqa: BLE001 - kept, to raise the lowest-numbered one
                self.tasks.failed(k)
                self.failed[k] = exc

    def finish(self) -> list[Any]:
        """Every result in order, once the workers are done; or the lowest-numbered task's error."""
        while self.reader.is_alive():
            self.reader.join(0.1)  # in steps: Ctrl-C is only seen between them
        for process in self.processes:
            process.join()
        if self.failed:
            raise self.failed[min(self.failed)]  # every task before it was run, and did not fail
        if len(self.done) < self.n:
            raise RuntimeError(
                f"a worker process stopped before finishing its tasks ({self.n - len(self.done)} of {self.n} not done)"
            )
        return [self.done[k] for k in range(self.n)]

    def stop(self) -> None:
        """The workers still running stopped, and every worker waited for."""
        for process in self.processes:
            if process.is_alive():
                process.terminate()
        for process in self.processes:
            if process.pid is not None:
                process.join()


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
