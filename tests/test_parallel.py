"""map_forked: work shared between this process and forked ones, in order, errors and Ctrl-C as one process would have them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from plancmp import parallel
from plancmp.parallel import map_forked

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="work is shared among forked processes on Linux only")


def _held_until_last(flag: Path, last: int):  # type: ignore[no-untyped-def]
    """A task whose runs wait, but for the last one, until the last one has run: so the worker
    sits on the first tasks while this process takes the rest from the end."""

    def task(k: int) -> tuple[int, int]:
        if k == last:
            flag.touch()
        else:
            for _ in range(3000):  # 30 s at most: a hang fails, it does not stop the suite
                if flag.exists():
                    break
                time.sleep(0.01)
        return k, os.getpid()

    return task


def test_results_come_in_order_with_the_first_tasks_from_a_worker_and_the_last_from_here(tmp_path: Path) -> None:
    done = map_forked(_held_until_last(tmp_path / "flag", 7), 8, workers=2)
    assert done is not None
    assert [k for k, _ in done] == list(range(8))
    by = [pid == os.getpid() for _, pid in done]
    # The worker took task 0 (and one more in reserve) before this process looked; this
    # process took every task from the end down to those.
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


def test_a_second_caller_meanwhile_is_told_to_do_its_work_itself() -> None:
    inner: list[list[int] | None] = []

    def task(k: int) -> int:
        if k == 3:  # runs here, in this process, while the first call holds the workers
            inner.append(map_forked(lambda j: j, 2, workers=2))
        return k

    assert map_forked(task, 4, workers=2) == [0, 1, 2, 3]
    assert inner == [None]


def test_ctrl_c_stops_the_workers_at_once(tmp_path: Path) -> None:
    # Tasks of ten minutes each on one worker and this process: Ctrl-C must stop the worker in
    # the middle of its task, not wait for it (nor hang at exit).
    script = tmp_path / "run.py"
    script.write_text(textwrap.dedent("""
        import os, time, sys
        from plancmp.parallel import map_forked
        def task(k):
            print(os.getpid(), flush=True)
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
