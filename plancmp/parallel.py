"""Work shared between this process and forked ones: reading long drafts, their diffs, a chain's
comparisons, and the work done beside the alignment of long drafts (their topics, and the diffs
of the points it will likely pair), taken as far as it got when the alignment ends.

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


class WorkerLost(RuntimeError):
    """A forked worker stopped before sending all its results (killed, say, for want of memory)."""


class _Results:
    """What the workers send back: one pipe, each message written whole under a lock, read here.

    This process closes its own copy of the pipe's write end once the workers are forked, so the
    reader meets the pipe's end as soon as every worker has ended, however it ended.
    """

    def __init__(self, context: Any) -> None:
        self._in, self._out = context.Pipe(duplex=False)
        self._lock = context.Lock()

    def put(self, k: int, ok: bool, value: Any) -> None:
        """Send task k's result or error (in a worker); pickled first, so one that cannot be pickled
        sends nothing (and raises)."""
        # The task's number and the value apart, one message after the other: the value is read
        # back by itself, and is not copied into a pickle of both.
        head = pickle.dumps((k, ok), protocol=pickle.HIGHEST_PROTOCOL)
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        with self._lock:
            self._out.send_bytes(head)
            self._out.send_bytes(data)

    def get(self) -> tuple[int, bool, bytes]:
        """The next task number, whether it succeeded, and its value still pickled (it may not
        unpickle here: the task's number is known whatever it holds); EOFError or OSError once
        every worker has ended (mid-message, too)."""
        k, ok = pickle.loads(self._in.recv_bytes())
        return k, ok, self._in.recv_bytes()

    def forked(self) -> None:
        """Every worker has its copy of the write end: this process lets go of its own."""
        self._out.close()

    def close(self) -> None:
        """Let go of both ends (the reader is done)."""
        self._out.close()
        self._in.close()


def _work(tasks: _Tasks, results: _Results) -> None:
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
            ok, value = True, _TASK(k)
        except Exception as exc:  # noqa: BLE001 - sent to the parent, which raises it
            tasks.failed(k)
            ok, value = False, exc
        try:
            results.put(k, ok, value)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            tasks.failed(k)
            results.put(k, False, RuntimeError(f"task {k}: its result cannot be sent back ({exc})"))


def map_forked(task: Callable[[int], _T], n: int, workers: int) -> list[_T] | None:
    """[task(0), …, task(n - 1)], computed by this process and up to `workers` - 1 forked ones;
    None where that cannot be done here (the caller then runs the tasks itself).

    The workers take tasks from the lowest number up, this process from the highest down, each
    the next as soon as it is free: its own results need no sending, and it would otherwise
    only wait. A failing task stops the taking of those after it, not of those before: the error
    raised is that of the lowest-numbered failing task, as running them in order would raise.
    Ctrl-C stops the workers at once. A worker that dies is a WorkerLost error, not a hang.
    """
    forked = _Forked.start(task, n, min(workers - 1, n)) if n >= 1 else None
    if forked is None:
        return None
    try:
        forked.take_own()
        return forked.finish()
    finally:
        forked.close()


@contextmanager
def run_aside(task: Callable[[int], _T], steps: int) -> Iterator[Callable[[int], dict[int, _T]] | None]:
    """task(0), task(1), … task(steps - 1), in that order, in a forked process while this one goes on
    with the block. Yields a function that stops it, once the first steps it is given a number of
    are over (all of them: steps), and returns the results of the steps it finished, by number;
    or None where that cannot be done here (the caller then does them all itself).

    A step that fails, and those after it, are not among the results: the caller does them itself
    and meets the error there. Ctrl-C, or leaving the block early, stops the process. Nothing else
    is shared meanwhile: map_forked called inside the block returns None, so the results are best
    taken as soon as they are needed, and the block left.
    """
    forked = _Forked.start(task, steps, 1)
    if forked is None:
        yield None
        return
    try:
        yield forked.so_far
    finally:
        forked.close()


class _Forked:
    """Tasks 0 … n - 1 shared with forked workers: started (start), this process's own share taken
    if it wants one (take_own), all results collected (finish) or those done so far (so_far);
    closed in every case (close)."""

    @classmethod
    def start(cls, task: Callable[[int], Any], n: int, processes: int) -> _Forked | None:
        """The workers forked and at work; None where that cannot be done here: not Linux, or
        work already shared (by a caller further up, or in a worker itself)."""
        if sys.platform != "linux" or not _ONE_AT_A_TIME.acquire(blocking=False):
            return None
        try:
            return cls(task, n, processes)
        except BaseException:
            _release()
            raise

    def __init__(self, task: Callable[[int], Any], n: int, processes: int) -> None:
        global _TASK
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.task, self.n, self.closed = task, n, False
        self.tasks = _Tasks(n, context)
        self.results = _Results(context)
        self.done: dict[int, Any] = {}
        self.failed: dict[int, BaseException] = {}
        self.reader: threading.Thread | None = None
        self.arrived = threading.Event()
        """Set by the reader each time a result comes (so_far waits on it)."""
        _TASK = task
        self.processes = [context.Process(target=_work, args=(self.tasks, self.results), daemon=True)
                          for _ in range(processes)]
        try:
            for process in self.processes:
                process.start()
            self.results.forked()
            # The workers' results are read as they come, or a full pipe would stop them.
            self.reader = threading.Thread(target=self._read, daemon=True)
            self.reader.start()
        except BaseException:
            self._stop()
            raise

    def _read(self) -> None:
        """Every worker's results into done (or failed), until every worker has ended. A result or
        error that cannot be unpickled here (an object whose class cannot be rebuilt) fails its
        task as WorkerLost, rather than this thread ending and a worker waiting on a full pipe."""
        while True:
            try:
                k, ok, inner = self.results.get()
            except (EOFError, OSError):
                return
            try:
                (self.done if ok else self.failed)[k] = pickle.loads(inner)
            except Exception as exc:  # noqa: BLE001 - whatever the unpickling raised
                # As a task that failed: those after it need not run.
                self.tasks.failed(k)
                self.failed[k] = WorkerLost(f"task {k}: its result could not be read back here ({exc!r})")
            self.arrived.set()

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
        if self.closed:
            raise RuntimeError("the work shared out was stopped: its results were asked for after its block was left")
        assert self.reader is not None
        while self.reader.is_alive():
            self.reader.join(0.1)  # in steps: Ctrl-C is only seen between them
            if any(p.exitcode not in (None, 0) for p in self.processes):
                # A worker killed while sending may have left the pipe's lock taken: the
                # others would wait for it for ever.
                self._stop()
        for process in self.processes:
            process.join()
        if self.failed:
            raise self.failed[min(self.failed)]  # every task before it was run, and did not fail
        if len(self.done) < self.n:
            raise WorkerLost(
                f"a worker process stopped before finishing its tasks ({self.n - len(self.done)} of {self.n} not done)"
            )
        return [self.done[k] for k in range(self.n)]

    def so_far(self, first: int = 0) -> dict[int, Any]:
        """The results come back, by task number, once tasks 0 … first - 1 are over (done, failed,
        or lost with their worker); whatever still runs then is stopped, and its task left out."""
        if self.closed:
            raise RuntimeError("the work shared out was stopped: its results were asked for after its block was left")
        assert self.reader is not None
        while self.reader.is_alive() and not all(k in self.done or k in self.failed for k in range(first)):
            self.arrived.wait(0.1)  # in steps: Ctrl-C is only seen between them
            self.arrived.clear()
        self._stop()
        return dict(self.done)

    def _stop(self) -> None:
        """The workers still running stopped, every worker waited for, and the reader with them."""
        for process in self.processes:
            if process.is_alive():
                process.terminate()
        for process in self.processes:
            if process.pid is not None:
                process.join()
        if self.reader is not None:
            self.reader.join()  # the workers are gone, and with them the pipe's write ends
        self.results.close()

    def close(self) -> None:
        """Stop whatever still runs and let the next caller share work."""
        if self.closed:
            return
        try:
            self._stop()
        finally:
            self.closed = True
            _release()


def _release() -> None:
    global _TASK
    _TASK = None
    _ONE_AT_A_TIME.release()
