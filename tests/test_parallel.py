"""map_forked and run_aside: work shared between this process and forked ones, in order, errors and Ctrl-C as one process would have them."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from plancmp import parallel
from plancmp.parallel import WorkerLost, map_forked, run_aside

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="work is shared among forked processes on Linux only")


def _handed_over(folder: Path, last: int, then=None):  # type: ignore[no-untyped-def]
    """A task whose first run (the worker's) and last run (this process's, which takes tasks from
    the end) wait for each other: so the first is the worker's and the last this process's,
    however fast either starts. `then(k)` runs in the last task, while the worker is busy."""

    def wait_for(name: str) -> None:
        for _ in range(3000):  # 30 s at most: a hang fails, it does not stop the suite
            if (folder / name).exists():
                return
            time.sleep(0.01)

    def task(k: int) -> tuple[int, int, object]:
        extra = None
        if k == 0:
            (folder / "first").touch()
            wait_for("last")
        elif k == last:
            wait_for("first")
            extra = then(k) if then else None
            (folder / "last").touch()
        return k, os.getpid(), extra

    return task


def test_results_come_in_order_with_the_first_tasks_from_a_worker_and_the_last_from_here(tmp_path: Path) -> None:
    done = map_forked(_handed_over(tmp_path, 7), 8, workers=2)
    assert done is not None
    assert [k for k, _, _ in done] == list(range(8))
    by = [pid == os.getpid() for _, pid, _ in done]
    # The worker takes tasks from the first up, this process from the last down.
    assert by[0] is False and by[-1] is True
    assert by == sorted(by)


def _fails_at(k: int) -> int:
    if k in (1, 6):
        raise ValueError(f"task {k} failed")
    return k


def test_the_error_raised_is_the_lowest_numbered_task_s_and_nothing_is_left_running() -> None:
    import multiprocessing

    with pytest.raises(ValueError, match="^task 1 failed$"):
        map_forked(_fails_at, 8, workers=2)
    assert multiprocessing.active_children() == []
    assert parallel._TASK is None
    assert map_forked(lambda k: k * k, 4, workers=2) == [0, 1, 4, 9]  # usable again afterwards


def test_a_worker_that_dies_is_an_error_not_a_hang(tmp_path: Path) -> None:
    def task(k: int) -> int:
        if k == 0:
            (tmp_path / "first").touch()
            if os.getpid() != parent:
                os._exit(1)  # the worker dies outright in its first task
        if k == 5:  # this process's first task: it waits until the worker has taken task 0
            for _ in range(3000):
                if (tmp_path / "first").exists():
                    break
                time.sleep(0.01)
        return k

    parent = os.getpid()
    with pytest.raises(WorkerLost, match=r"^a worker process stopped before finishing its tasks \(1 of 6 not done\)$"):
        map_forked(task, 6, workers=2)


def test_a_second_caller_meanwhile_is_told_to_do_its_work_itself(tmp_path: Path) -> None:
    # The last task runs here, while the first holds the worker: a call from it gets None.
    done = map_forked(_handed_over(tmp_path, 3, then=lambda k: map_forked(lambda j: j, 2, workers=2)), 4, workers=2)
    assert done is not None
    assert [k for k, _, _ in done] == [0, 1, 2, 3]
    assert done[3][1] == os.getpid() and done[3][2] is None


def test_ctrl_c_stops_the_workers_at_once(tmp_path: Path) -> None:
    # Tasks of ten minutes each on one worker and this process: Ctrl-C must stop the worker in
    # the middle of its task, not wait for it (nor hang at exit).
    script = tmp_path / "run.py"
    script.write_text(textwrap.dedent("""
        import os, time, sys
        from plancmp.parallel import map_forked
        def task(k):
            # One write a line: with PYTHONUNBUFFERED, print writes the number and its line end
            # apart, and the two processes' lines could interleave.
            sys.stdout.write(f"{os.getpid()}\\n")
            sys.stdout.flush()
            time.sleep(600)
            return k
        try:
            map_forked(task, 20, workers=2)
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            sys.exit(130)
    """), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, start_new_session=True)
    assert proc.stdout is not None
    try:
        pids = {int(proc.stdout.readline()) for _ in range(2)}  # both processes are at work
        assert len(pids) == 2 and proc.pid in pids
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:  # the failure: nothing of it is left behind
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130 and out.strip().endswith("interrupted")
    time.sleep(0.5)
    for pid in pids - {proc.pid}:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]


def _wait_for(path: Path) -> None:
    for _ in range(3000):  # 30 s at most: a hang fails, it does not stop the suite
        if path.exists():
            return
        time.sleep(0.01)


def _nothing_left_running(threads_before: set[threading.Thread]) -> bool:
    import multiprocessing

    return multiprocessing.active_children() == [] and parallel._TASK is None and set(threading.enumerate()) <= threads_before


def test_run_aside_computes_in_another_process_while_this_one_goes_on() -> None:
    threads = set(threading.enumerate())
    with run_aside(lambda k: (os.getpid(), sum(range(1000 * k))), 3) as so_far:
        assert so_far is not None
        # Nothing else is shared meanwhile: these are done here.
        assert map_forked(lambda k: k, 3, workers=2) is None
        with run_aside(lambda k: 1, 1) as nested:
            assert nested is None
        done = so_far(3)
    assert sorted(done) == [0, 1, 2] and os.getpid() not in {pid for pid, _ in done.values()}
    assert [done[k][1] for k in range(3)] == [0, 499500, 1999000]
    assert _nothing_left_running(threads)
    assert map_forked(lambda k: k + 1, 3, workers=2) == [1, 2, 3]  # free again after the block
    with pytest.raises(RuntimeError, match="^the work shared out was stopped: its results were asked for after its block was left$"):
        so_far(0)


def test_run_aside_leaves_out_a_failed_step_and_those_after_it() -> None:
    threads = set(threading.enumerate())

    def task(k: int) -> int:
        if k == 1:
            raise ValueError("no topics for you")
        return k

    with run_aside(task, 3) as so_far:
        assert so_far is not None
        assert so_far(3) == {0: 0}
    assert _nothing_left_running(threads)


def test_run_aside_stopped_mid_step_gives_the_steps_done_before_it(tmp_path: Path) -> None:
    threads = set(threading.enumerate())

    def task(k: int) -> int:
        if k == 2:
            (tmp_path / "started").touch()
            time.sleep(30)  # unless stopped
            (tmp_path / "finished").touch()
        return k * 10

    with run_aside(task, 4) as so_far:
        assert so_far is not None
        _wait_for(tmp_path / "started")
        assert so_far(2) == {0: 0, 1: 10}
        assert multiprocessing.active_children() == []  # stopped now, not when the block is left
    assert not (tmp_path / "finished").exists()
    assert _nothing_left_running(threads)


def test_run_aside_waits_for_the_first_steps_it_is_asked_for_and_stops_the_rest() -> None:
    threads = set(threading.enumerate())

    def task(k: int) -> str:
        time.sleep(0.3 if k == 0 else 30)  # the topics, then a long step
        return f"step {k}"

    with run_aside(task, 3) as so_far:
        assert so_far is not None
        assert so_far(1) == {0: "step 0"}
    assert _nothing_left_running(threads)


@pytest.mark.parametrize("leaving", [KeyboardInterrupt, ValueError])
def test_leaving_the_block_early_stops_the_task_at_once(tmp_path: Path, leaving: type[BaseException]) -> None:
    threads = set(threading.enumerate())

    def task(k: int) -> None:
        (tmp_path / "started").touch()
        time.sleep(30)  # unless stopped
        (tmp_path / "finished").touch()

    with pytest.raises(leaving), run_aside(task, 1) as so_far:
        assert so_far is not None
        _wait_for(tmp_path / "started")
        raise leaving()
    assert (tmp_path / "started").exists() and not (tmp_path / "finished").exists()
    assert _nothing_left_running(threads)


def test_a_task_stopped_while_sending_its_result_leaves_no_reader_behind(tmp_path: Path) -> None:
    # The block is left while the other process sends 100 MB: the half-sent message must not keep
    # this process's reader waiting for the rest.
    threads = set(threading.enumerate())

    def task(k: int) -> bytes:
        (tmp_path / "sending").touch()
        return bytes(100_000_000)

    with pytest.raises(KeyboardInterrupt), run_aside(task, 1) as so_far:
        assert so_far is not None
        _wait_for(tmp_path / "sending")
        raise KeyboardInterrupt
    assert _nothing_left_running(threads)


def test_plancmp_workers_is_at_most_the_cores_this_process_may_use(monkeypatch: pytest.MonkeyPatch) -> None:
    from plancmp.cli import _workers
    from plancmp.errors import UsageError
    from plancmp.parallel import usable_cores

    cores = len(os.sched_getaffinity(0))
    assert usable_cores() == cores
    monkeypatch.setenv("PLANCMP_WORKERS", "999")
    assert _workers() == cores
    monkeypatch.setenv("PLANCMP_WORKERS", "1")
    assert _workers() == 1
    monkeypatch.delenv("PLANCMP_WORKERS")
    assert _workers() == cores
    monkeypatch.setenv("PLANCMP_WORKERS", "0")
    with pytest.raises(UsageError, match=r"^PLANCMP_WORKERS=0: give a whole number of processes, 1 or more"):
        _workers()


def _drafts(folder: Path, good: int, bad: str | None = None) -> list[str]:
    """good drafts of 40 long points each, and a bad one (named, holding `bad`) after them."""
    paths = []
    for k in range(good):
        path = folder / f"v{k}.txt"
        path.write_text("".join(f"{n}. Draft {k} keeps provision {n} {'of the plan ' * 30}.\n" for n in range(1, 41)))
        paths.append(str(path))
    if bad is not None:
        path = folder / "bad.txt"
        path.write_text(bad)
        paths.append(str(path))
    return paths


def _each_reads_one(folder: Path, paths: list[str], read):  # type: ignore[no-untyped-def]
    """A reader of two drafts whose first read (the worker's, which takes the first) and last (this
    process's, which takes the last) wait for each other, so that each process reads one, however
    fast either starts; the paths this process read are listed in .here."""

    def reading(path, options):  # type: ignore[no-untyped-def]
        mine, theirs = ("first", "last") if path == paths[0] else ("last", "first")
        (folder / mine).touch()
        for _ in range(3000):  # 30 s at most: a hang fails, it does not stop the suite
            if (folder / theirs).exists():
                break
            time.sleep(0.01)
        reading.here.append(path)
        return read(path, options)

    reading.here = []
    return reading


def test_long_drafts_are_read_in_several_processes_as_in_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import plancmp.parse
    from plancmp.parse import load_document, load_documents

    paths = _drafts(tmp_path, 2)
    monkeypatch.setattr(plancmp.parse, "PARALLEL_BYTES", 10_000)  # these drafts count as long
    reading = _each_reads_one(tmp_path, paths, load_document)
    monkeypatch.setattr(plancmp.parse, "load_document", reading)
    shared = load_documents(paths, workers=2)
    assert shared == tuple(load_document(p) for p in paths) and len(shared[0].points) == 40
    assert reading.here == [paths[1]]  # the first was read, and sent back, by the worker
    monkeypatch.setattr(plancmp.parse, "load_document", lambda p, o: reading.here.append(p) or load_document(p, o))
    reading.here.clear()
    load_documents(paths, workers=1)
    assert reading.here == paths


class _Unrebuilt(Exception):
    """An error of a kind some libraries raise: its pickle cannot rebuild it (two arguments, one kept)."""

    def __init__(self, path: str, why: str) -> None:
        super().__init__(f"{path}: {why}")


def test_a_draft_the_worker_cannot_read_gives_the_error_read_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    import plancmp.parse
    from plancmp.parse import load_document, load_documents

    paths = _drafts(tmp_path, 2)

    def read(path, options):  # type: ignore[no-untyped-def]
        if path == paths[0]:
            raise _Unrebuilt(path, "cannot be read")
        return load_document(path, options)

    monkeypatch.setattr(plancmp.parse, "PARALLEL_BYTES", 10_000)
    reading = _each_reads_one(tmp_path, paths, read)
    monkeypatch.setattr(plancmp.parse, "load_document", reading)
    died: list[object] = []  # a thread of this process that ended on an error (the results' reader)
    monkeypatch.setattr(threading, "excepthook", lambda args: died.append(args.exc_type))
    # The worker meets the bad draft; its error does not survive the way back, so both are read
    # again here and the error is this process's own.
    with pytest.raises(_Unrebuilt) as error:
        load_documents(paths, workers=2)
    assert str(error.value) == f"{paths[0]}: cannot be read"
    assert reading.here == [paths[1], paths[0]]
    assert died == [] and "Traceback" not in capfd.readouterr().err  # the message was let go quietly


def test_a_draft_that_is_no_file_is_read_here_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import plancmp.parse
    from plancmp.parse import load_document, load_documents

    paths = _drafts(tmp_path, 2)
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    monkeypatch.setattr(plancmp.parse, "PARALLEL_BYTES", 10_000)
    read: list[str] = []
    monkeypatch.setattr(plancmp.parse, "load_document", lambda p, o: read.append(p) or load_document(p, o))
    writer = threading.Thread(target=lambda: fifo.write_text(Path(paths[0]).read_text()))
    writer.start()
    docs = load_documents([str(fifo), paths[1]], workers=2)
    writer.join()
    assert read == [str(fifo), paths[1]] and len(docs[0].points) == 40


def test_a_step_whose_result_cannot_be_read_here_is_over_and_not_among_the_results() -> None:
    # Its number is still known: so_far does not wait for every step after it.
    threads = set(threading.enumerate())

    def task(k: int) -> object:
        if k == 0:
            return _Unrebuilt("draft.txt", "a result its pickle cannot rebuild")
        time.sleep(30)  # unless stopped
        return k

    with run_aside(task, 2) as so_far:
        assert so_far is not None
        assert so_far(1) == {}
    assert _nothing_left_running(threads)
