"""Compare whole collections: the same comparison as `plancmp diff` over every pair of a manifest, on Dask.

A thin driver. Each pair goes to a worker as a `Job`; the worker runs `compare_job` (read, compare,
render the `diff --format json` contract, count) and sends back a `PairResult`; the driver writes
it at once, atomically, and forgets it, so its memory does not grow with the number of pairs.
Where the workers run is one small interface, `Engine`: `local_engine` starts a Dask cluster of
processes on this machine, on loopback, and `remote_engine` joins an existing one. A pair whose
result is on disk and whose inputs hash the same is not compared again, so a batch interrupted
(Ctrl-C, a crash, a reboot) is finished by running it again.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import hashlib
import io
import itertools
import json
import logging
import os
import signal
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from plancmp import __version__
from plancmp.atomic import atomic_file, write_atomic, writing
from plancmp.errors import OutputError, PlancmpError, UsageError
from plancmp.model import ChangeKind, Summary
from plancmp.parse import ReadOptions
from plancmp.parse.from_manifest import PairSpec

if TYPE_CHECKING:
    from distributed import Client, Future

    from plancmp.compare import CompareOptions
    from plancmp.model import Comparison, Document

EXTRA_MODULES = {"distributed": "Dask (distributed)", "pyarrow": "pyarrow", "tqdm": "tqdm"}
"""The modules of the `batch` extra, each with the name a user knows it by."""


def missing_extra() -> list[str]:
    """The names of the `batch` extra's modules that cannot be imported, in EXTRA_MODULES order."""
    import importlib

    missing = []
    for module, name in EXTRA_MODULES.items():
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(name)
    return missing


def require_extra() -> None:
    """Raise UsageError, one line naming what is missing and how to install it, when the `batch` extra is incomplete."""
    missing = missing_extra()
    if missing:
        names = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} and {missing[-1]}"
        raise UsageError(
            f"plancmp batch needs {names}, which {'is' if len(missing) == 1 else 'are'} not installed: "
            "in the plancmp source folder, run pip install '.[batch]'"
        )


@dataclass(frozen=True)
class BatchOptions:
    """What every pair of a batch is compared and written with."""

    compare: CompareOptions
    """As `plancmp diff` builds them: positions, topic rules (no pins: they name one pair's points)."""
    read: ReadOptions = field(default_factory=ReadOptions)
    """How drafts are read (--original, --bullets, --encoding), as `plancmp diff` reads them."""
    html: bool = False
    """Also render each pair's HTML report (pairs/<id>.html)."""
    ship: bool = False
    """Send the drafts' bytes with each task, for workers that cannot see the files."""


@dataclass(frozen=True)
class Job:
    """One pair as a worker receives it."""

    spec: PairSpec
    """Which pair, and how its paths are shown."""
    old_path: str
    """Where the worker reads the older draft (absolute: a worker's working folder is not ours)."""
    new_path: str
    """Where the worker reads the newer draft."""
    digest: str
    """Hash of the inputs and options; recorded with the result so a rerun can skip the pair."""
    old_bytes: bytes | None = None
    """The older draft itself, when shipped (--ship)."""
    new_bytes: bytes | None = None
    """The newer draft itself, when shipped."""


@dataclass(frozen=True)
class PairResult:
    """What a worker sends back for one pair: the rendered outputs and the rows for the tables."""

    id: str
    """The pair's id."""
    digest: str
    """The job's digest, passed through."""
    row: dict[str, Any]
    """Its summary row: counts, seconds, warnings, error (the id and paths are added by the driver)."""
    links: tuple[dict[str, Any], ...]
    """One row per link (group), at every depth."""
    json: str | None
    """`plancmp diff --format json` of the pair; None when it failed."""
    html: str | None = None
    """Its HTML report, when asked for and it did not fail."""

    @property
    def error(self) -> str | None:
        """The one-line error, or None."""
        return self.row.get("error")


class Outcome(str, Enum):
    """What became of a pair in this run."""

    COMPARED = "compared"
    """Compared now, its outputs written."""
    SKIPPED = "skipped"
    """Its outputs were already there, from the same inputs."""
    FAILED = "failed"
    """It could not be compared; its error is recorded."""


@dataclass(frozen=True)
class PairOutcome:
    """One pair done (or skipped), as the driver reports it."""

    id: str
    """The pair's id."""
    outcome: Outcome
    """Compared, skipped or failed."""
    error: str | None = None
    """The one-line error of a failed pair."""


# -- the worker's side ----------------------------------------------------------------------------


SUMMARY_COUNTS = tuple(f.name for f in fields(Summary))
"""The `summary` counts of `diff --format json`, one column each."""
CHANGE_COLUMNS = tuple(f"changes_{kind.value}" for kind in ChangeKind)
"""Substantive changes by kind, one column each."""


def _read(display: str, path: str, data: bytes | None, options: ReadOptions) -> Document:
    from plancmp.parse import document_from_bytes, read_draft_bytes

    if data is None:
        try:
            data = read_draft_bytes(path)
        except PlancmpError as exc:
            message = exc.message
            if not os.path.lexists(path):
                # The driver read it a moment ago, so this worker does not see the driver's files.
                message = (f"is not on the worker {socket.gethostname()} at {path}; "
                           "workers must see the drafts at the same path, or add --ship")
            # Name the file as the manifest does, not by the absolute path the worker used.
            raise type(exc)(message, display, exc.line) from None
    return document_from_bytes(data, display, options)


def compare_job(job: Job, options: BatchOptions) -> PairResult:
    """Run one pair on a worker: read both drafts, compare, render; a failure is recorded, not raised."""
    from plancmp.compare import compare
    from plancmp.render.to_json import comparison_data, dumps

    start = time.perf_counter()
    try:
        old = _read(job.spec.old, job.old_path, job.old_bytes, options.read)
        new = _read(job.spec.new, job.new_path, job.new_bytes, options.read)
        comparison = compare(old, new, options.compare)
        # render_diff_json, with its data kept: the links are read from the very entries written.
        data = comparison_data(comparison)
        text = dumps(data)
        html = None
        if options.html:
            from plancmp.render.to_html import render_report_html

            html = render_report_html(comparison)
        warnings = (*old.warnings, *new.warnings, *comparison.warnings)
        row = summary_counts(comparison, data["summary"]) | {"warnings": "; ".join(warnings) or None, "error": None}
        links = tuple(link_rows(data["alignment"]))
    except PlancmpError as exc:
        return _failed(job, str(exc), start)
    except Exception as exc:  # noqa: BLE001 - one pair that trips a bug must not stop thousands
        return _failed(job, f"plancmp failed on this pair ({type(exc).__name__}: {exc}); please report it", start)
    return PairResult(job.spec.id, job.digest, row | {"seconds": _seconds(start)}, links, text, html)


def _seconds(start: float | None) -> float | None:
    return None if start is None else round(time.perf_counter() - start, 3)


def _failed(job: Job, message: str, start: float | None) -> PairResult:
    row: dict[str, Any] = dict.fromkeys((*SUMMARY_COUNTS, *CHANGE_COLUMNS, "contested", "identical", "warnings"))
    one_line = " ".join(message.split())
    return PairResult(job.spec.id, job.digest, row | {"seconds": _seconds(start), "error": one_line}, (), None)


def summary_counts(comparison: Comparison, summary: dict[str, Any]) -> dict[str, Any]:
    """A pair's counts: the JSON summary, substantive changes by kind, contested groups."""
    from plancmp.compare import is_contested

    changes = dict.fromkeys(CHANGE_COLUMNS, 0)
    every_change = [c for top in comparison.groups for g in top.walk() for c in g.changes]
    for change in (*every_change, *comparison.outside_changes):
        if change.substantive:
            changes[f"changes_{change.kind.value}"] += 1
    contested = sum(1 for g in comparison.groups if is_contested(g, comparison))
    return summary | changes | {"contested": contested}


LINK_FIELDS = ("old", "new", "status", "renumbered", "moved", "similarity", "confidence", "uncertain")
"""The fields of each JSON alignment entry that links.parquet carries."""


def link_rows(alignment: list[dict[str, Any]], level: int = 0) -> Iterator[dict[str, Any]]:
    """One row per group of the JSON alignment, at every depth (level 0 for the top)."""
    for group in alignment:
        yield {"level": level} | {name: group[name] for name in LINK_FIELDS}
        yield from link_rows(group["children"], level + 1)


# -- where the work runs --------------------------------------------------------------------------


class Engine(Protocol):
    """Where the comparisons run. Results come back as they finish, in any order."""

    def run(self, jobs: Iterable[Job], options: BatchOptions) -> Iterator[PairResult]:
        """Compare every job, keeping only a few in flight; stop them all if the caller stops."""
        ...  # pragma: no cover

    def close(self) -> None:
        """Let go of the workers (and stop them, if this engine started them)."""
        ...  # pragma: no cover


class DaskEngine:
    """A dask.distributed client: to a cluster it started on this machine, or to an existing one."""

    def __init__(self, connect: Callable[[], tuple[Client, Any]]) -> None:
        self._connect = connect
        _quiet_client()
        self._client: Client | None = None
        self._cluster: Any = None

    @property
    def client(self) -> Client:
        """The client, connected (and the cluster started) on first use: a rerun with nothing left starts nothing."""
        if self._client is None:
            self._client, self._cluster = self._connect()
        return self._client

    @property
    def slots(self) -> int:
        """Tasks the workers can run at once (threads across all workers)."""
        return sum(self.client.nthreads().values())

    def run(self, jobs: Iterable[Job], options: BatchOptions) -> Iterator[PairResult]:
        """Submit jobs a few at a time and yield each result as it arrives (dask's as_completed)."""
        from distributed import as_completed

        queue = iter(jobs)
        first = next(queue, None)
        if first is None:
            return
        queue = itertools.chain((first,), queue)
        # The options (positions, topic rules) go to every worker once, not with each task.
        shared = self.client.scatter(options, broadcast=True, hash=False)
        # Twice the slots, so that no worker waits for the driver; never the whole batch, so that
        # memory here and on the scheduler stays flat however many pairs there are.
        window = max(4, 2 * self.slots + 2)
        running: dict[Future, Job] = {}
        finished = as_completed()

        def submit_next() -> None:
            job = next(queue, None)
            if job is not None:
                future = self.client.submit(compare_job, job, shared, pure=False)
                running[future] = job
                finished.add(future)

        try:
            for _ in range(window):
                submit_next()
            for future in finished:
                job = running.pop(future)
                if future.status == "cancelled":
                    # Only the client cancels, and it does so when it loses the scheduler.
                    raise _dropped(job)
                result = _result_of(future, job)
                future.release()
                submit_next()
                yield result
        except (OSError, TimeoutError) as exc:
            # The scheduler went away (a remote cluster shut down, the network dropped).
            raise UsageError(
                f"lost the Dask scheduler ({exc}); the pairs written so far are kept: run the same command again to finish"
            ) from None
        finally:
            # Ctrl-C, or the caller stopped: what was queued must not go on running on the cluster.
            if self.client.status == "running":
                if running:
                    self.client.cancel(list(running))
                shared.release()

    def close(self) -> None:
        """Close the client, and the cluster if this engine started it."""
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def _dropped(job: Job) -> OSError:
    """The error of a pair the cluster lost with its scheduler (run() makes it the lost-scheduler line)."""
    return OSError(f"the cluster dropped pair '{job.spec.id}'")


def _result_of(future: Future, job: Job) -> PairResult:
    """The worker's result; a worker that died on the pair (memory, a crash) is that pair's error."""
    from concurrent.futures import CancelledError

    if future.status == "finished":
        try:
            result: PairResult = future.result()
        except CancelledError:
            # Finished, but its result was still on a worker when the client lost the scheduler.
            raise _dropped(job) from None
        return result
    try:
        future.result()
        reason = f"the task ended as {future.status}"
    except Exception as exc:  # noqa: BLE001 - whatever killed the worker, the batch goes on
        reason = f"{type(exc).__name__}: {exc}"
    return _failed(job, f"the worker comparing this pair failed ({reason})", None)


def local_engine(workers: int | None = None) -> DaskEngine:
    """A Dask cluster of `workers` single-threaded processes (default: one per core) on this machine, on loopback only."""
    import dask
    from dask.system import CPU_COUNT
    from distributed import Client, LocalCluster

    # Dask's count honours CPU affinity and a container's CPU quota, where os.cpu_count() does not.
    workers = workers or CPU_COUNT

    # Processes, not threads: comparing is pure Python and holds the GIL. One thread per process
    # so that `workers` is the number of pairs compared at once. No dashboard: nothing listens
    # beyond the scheduler's and workers' own loopback ports.
    def connect() -> tuple[Client, Any]:
        try:
            with dask.config.set(_LOCAL_CONFIG), _workers_ignore_ctrl_c():
                cluster = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    # The scheduler serves HTTP even without a dashboard, on port 8787 unless told
                    # otherwise (and warns when another cluster holds it): any free port on loopback.
                    scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
                    # A worker's own complaints (a heartbeat lost while the cluster closes) are not the
                    # user's to act on; a pair whose worker failed is recorded as that pair's error.
                    silence_logs=logging.CRITICAL,
                )
        except Exception as exc:  # noqa: BLE001 - Dask fails in many ways here (a nanny, a port, memory): all one to the user
            raise _cannot_start(exc) from None
        try:
            return Client(cluster), cluster
        except Exception as exc:  # noqa: BLE001 - as above
            cluster.close()
            raise _cannot_start(exc) from None

    return DaskEngine(connect)


def _cannot_start(exc: Exception) -> UsageError:
    what = " ".join(str(exc).split()) or "no reason given"
    return UsageError(
        f"a Dask cluster could not be started on this machine ({type(exc).__name__}: {what}); "
        "try --workers 1, or run on an existing cluster with --scheduler"
    )


_LOCAL_CONFIG = {
    # No one looks at the profile or the logs of a cluster that lives as long as one batch; the
    # profiler samples the running pair every 10 ms, and the logs grow with the number of pairs.
    "distributed.worker.profile.enabled": False,
    # The event-loop health check (every 20 ms), the memory monitors (100 ms) and the system
    # monitor (500 ms) cost the driver 3% of a core and each worker 2%, idle: measured, slowed.
    "distributed.admin.tick.interval": "1s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    # See dask_setup below.
    "distributed.worker.preload": ["plancmp.batch"],
    "distributed.admin.log-length": 100,
    "distributed.admin.low-level-log-length": 100,
    "distributed.admin.system-monitor.log-length": 10,
    # Their HTTP servers (metrics, health, scheduler state) serve no one here: no routes.
    "distributed.scheduler.http.routes": [],
    "distributed.worker.http.routes": [],
}
"""Dask settings for the cluster `local_engine` starts (the scheduler's, and its workers' through their nannies)."""


def dask_setup(worker: object) -> None:
    """Dask's preload hook, run in each worker `local_engine` starts: plancmp imported, its objects and
    Dask's frozen out of the garbage collector's way."""
    del worker
    # Imported before the freeze, so that their objects are frozen too, and no pair pays for the import.
    import plancmp.compare
    import plancmp.render.to_json  # noqa: F401

    # A worker holds twice the objects of a plain plancmp process (Dask's own), and every full
    # collection walks them all: a pair took 20% longer in a worker than in a loop. Frozen, they
    # are never walked again; they live as long as the worker anyway.
    gc.freeze()


@contextlib.contextmanager
def _workers_ignore_ctrl_c() -> Iterator[None]:
    """Worker processes started in here ignore SIGINT (they inherit it), as the terminal sends Ctrl-C to
    every process in its group: the driver alone stops, cancels what is queued and closes the cluster,
    instead of every worker dying with a traceback of its own."""
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: signals are not ours to change
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _worker_version() -> str:
    return __version__


def _quiet_client() -> None:
    """Silence this process's Dask log: its lines ("Batched Comm Closed" and a traceback, when a
    scheduler goes away) are not the user's to act on; what matters reaches them as plancmp's one line."""
    # Dask gives some of its loggers levels of their own ("distributed.client": errors on a lost
    # scheduler), and a record passes its own logger's level, then every handler above it: so the
    # handlers Dask put on "distributed" are the ones to raise.
    top = logging.getLogger("distributed")
    top.setLevel(logging.CRITICAL)
    for handler in top.handlers:
        handler.setLevel(logging.CRITICAL)


def remote_engine(address: str) -> DaskEngine:
    """A client of the Dask scheduler at address, checked to have workers that run this plancmp."""
    from distributed import Client

    _quiet_client()
    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address} ({exc}); is it running, and is the address right?") from None
    try:
        versions = client.run(_worker_version)
    except Exception as exc:  # noqa: BLE001 - a worker without plancmp fails to unpickle the call
        client.close()
        raise UsageError(
            f"the workers of {address} cannot run plancmp ({type(exc).__name__}: {exc}); "
            f"install plancmp {__version__} on every worker"
        ) from None
    other = sorted({v for v in versions.values() if v != __version__})
    if other:
        client.close()
        raise UsageError(f"the workers of {address} run plancmp {', '.join(other)}, not {__version__}; install the same version everywhere")
    engine = DaskEngine(lambda: (client, None))
    engine.client  # noqa: B018 - held from here, so that close() closes it even when nothing ran
    return engine


# -- the driver -----------------------------------------------------------------------------------


def options_digest(options: BatchOptions) -> str:
    """A hash of everything that shapes a comparison: the plancmp version and the options' contents."""
    # The options are frozen dataclasses of strings, numbers, enums and tuples: their repr is their content.
    text = f"{__version__}\n{options.compare!r}\n{options.read!r}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def job_for(spec: PairSpec, options: BatchOptions, salt: str) -> Job:
    """The job for a pair: its inputs hashed (and read into it, with --ship)."""
    from plancmp.parse import read_draft_bytes

    digest = hashlib.sha256(salt.encode("ascii"))
    contents = []
    for display in (spec.old, spec.new):
        data = read_draft_bytes(display)
        contents.append(data)
        for part in (display.encode("utf-8"), data):
            # Lengths first, so that no two different inputs hash alike by running into each other.
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
    return Job(
        spec=spec,
        old_path=os.path.abspath(spec.old),
        new_path=os.path.abspath(spec.new),
        digest=digest.hexdigest(),
        old_bytes=contents[0] if options.ship else None,
        new_bytes=contents[1] if options.ship else None,
    )


def run_batch(
    pairs: Iterable[PairSpec], options: BatchOptions, engine: Engine, folder: OutputFolder
) -> Iterator[PairOutcome]:
    """Compare every pair not already done, writing each result as it arrives; yield what became of each."""
    salt = options_digest(options)
    skipped: list[PairOutcome] = []

    def jobs() -> Iterator[Job]:
        for spec in pairs:
            try:
                job = job_for(spec, options, salt)
            except PlancmpError as exc:
                # A draft gone or unreadable since the manifest was read: that pair fails, the rest go on.
                job = Job(spec, spec.old, spec.new, "")
                folder.write(_failed(job, str(exc), None))
                skipped.append(PairOutcome(spec.id, Outcome.FAILED, str(exc)))
                continue
            if folder.is_current(job.spec.id, job.digest, options.html):
                skipped.append(PairOutcome(spec.id, Outcome.SKIPPED))
                continue
            yield job

    for result in engine.run(jobs(), options):
        yield from _drain(skipped)
        folder.write(result)
        yield PairOutcome(result.id, Outcome.FAILED if result.error else Outcome.COMPARED, result.error)
    yield from _drain(skipped)


def _drain(outcomes: list[PairOutcome]) -> Iterator[PairOutcome]:
    while outcomes:
        yield outcomes.pop(0)


# -- the output folder ----------------------------------------------------------------------------


_SUMMARY_HEAD = ("id", "chain", "step", "old", "new")
SUMMARY_COLUMNS = (*_SUMMARY_HEAD, *SUMMARY_COUNTS, *CHANGE_COLUMNS, "contested", "identical", "seconds", "warnings", "error")
"""The columns of summary.csv and summary.parquet, in order."""
LINK_COLUMNS = ("pair", "level", *LINK_FIELDS)
"""The columns of links.parquet, in order."""
_ROWS_PER_GROUP = 1000
"""Summary rows buffered per Parquet row group."""
_LINKS_PER_GROUP = 10_000
"""Link rows buffered per Parquet row group: a pair of 2,000 points has a few thousand, a small one fifty."""


class OutputFolder:
    """OUTDIR: pairs/<id>.json (and .html), rows/<id>.json (the pair's row, links and input hash), the tables.

    Every file is written to a temporary name and renamed, and a pair's rows/<id>.json last of its
    files: a pair counts as done only once everything it wrote is complete. The folders are made at
    the first write, so that a batch stopped before it (no cluster, Ctrl-C) leaves nothing behind.
    """

    def __init__(self, root: str) -> None:
        self.root = Path(root)
        if self.root.exists() and not self.root.is_dir():
            raise OutputError("is a file; give a folder for the batch's outputs (-o OUTDIR)", root)
        self._made = False

    def _make(self) -> None:
        if self._made:
            return
        try:
            (self.root / "pairs").mkdir(parents=True, exist_ok=True)
            (self.root / "rows").mkdir(exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot be created ({exc.strerror or exc})", str(self.root)) from None
        self._made = True

    def path(self, kind: str, pair_id: str, ext: str = "json") -> Path:
        """Where a pair's file of this kind ("pairs" or "rows") goes."""
        return self.root / kind / f"{pair_id}.{ext}"

    def is_current(self, pair_id: str, digest: str, html: bool) -> bool:
        """Whether the pair's outputs are on disk, complete, from the same inputs and options, without error."""
        record = self.read_row(pair_id)
        if record is None or record.get("digest") != digest or record["row"].get("error"):
            return False
        return self.path("pairs", pair_id).is_file() and (not html or self.path("pairs", pair_id, "html").is_file())

    def read_row(self, pair_id: str) -> dict[str, Any] | None:
        """A pair's record (digest, row, links), or None if it has none or an unreadable one."""
        try:
            record: dict[str, Any] = json.loads(self.path("rows", pair_id).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return record

    def write(self, result: PairResult) -> None:
        """Write one pair's outputs; its record last."""
        self._make()
        for ext, text in (("json", result.json), ("html", result.html)):
            target = self.path("pairs", result.id, ext)
            if text is not None:
                write_atomic(target, text.encode("utf-8"))
            elif target.exists():
                # A pair that fails now leaves no output of an earlier run to be mistaken for its result.
                with writing(target):
                    target.unlink()
        record = {"digest": result.digest, "row": result.row, "links": list(result.links)}
        write_atomic(self.path("rows", result.id), json.dumps(record, ensure_ascii=False).encode("utf-8"))

    def records(self, pairs: Iterable[PairSpec]) -> Iterator[tuple[PairSpec, dict[str, Any]]]:
        """Each pair with its record, in manifest order; OutputError if one is missing."""
        for spec in pairs:
            record = self.read_row(spec.id)
            if record is None:
                raise OutputError(f"has no result for pair '{spec.id}'; run the batch again to finish it", str(self.root))
            yield spec, record

    def write_tables(self, pairs: Iterable[PairSpec]) -> Totals:
        """summary.csv, summary.parquet and links.parquet, streamed from the records in manifest order."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        summary_schema, links_schema = _schemas(pa)
        totals = Totals()
        self._make()
        csv_target, summary_target, links_target = (self.root / n for n in ("summary.csv", "summary.parquet", "links.parquet"))
        # Each file's writer is closed (its inner context) before the file is renamed (its atomic_file);
        # a write that fails is reported under the name of the file it was writing.
        with (
            atomic_file(csv_target) as csv_out,
            io.TextIOWrapper(csv_out, encoding="utf-8", newline="") as csv_file,
            atomic_file(summary_target) as summary_out,
            pq.ParquetWriter(summary_out, summary_schema) as summary_writer,
            atomic_file(links_target) as links_out,
            pq.ParquetWriter(links_out, links_schema) as links_writer,
        ):
            table = csv.writer(csv_file)

            def write_rows(rows: list[dict[str, Any]]) -> None:
                with writing(csv_target):
                    table.writerows([_csv_cell(row[c]) for c in SUMMARY_COLUMNS] for row in rows)
                with writing(summary_target):
                    summary_writer.write_table(pa.Table.from_pylist(rows, summary_schema))

            def write_links(links: list[dict[str, Any]]) -> None:
                with writing(links_target):
                    links_writer.write_table(pa.Table.from_pylist(links, links_schema))

            with writing(csv_target):
                table.writerow(SUMMARY_COLUMNS)
            rows: list[dict[str, Any]] = []
            links: list[dict[str, Any]] = []
            for spec, record in self.records(pairs):
                row = summary_row(spec, record["row"])
                totals.add(row)
                rows.append(row)
                links.extend({"pair": spec.id} | link for link in record["links"])
                if len(rows) >= _ROWS_PER_GROUP:
                    write_rows(rows)
                    rows = []
                if len(links) >= _LINKS_PER_GROUP:
                    write_links(links)
                    links = []
            if rows:
                write_rows(rows)
            if links:
                write_links(links)
        return totals


def summary_row(spec: PairSpec, counts: dict[str, Any]) -> dict[str, Any]:
    """A pair's full summary row: who it is, then its counts."""
    head = {"id": spec.id, "chain": spec.chain or None, "step": spec.step or None, "old": spec.old, "new": spec.new}
    return {c: (head | counts).get(c) for c in SUMMARY_COLUMNS}


@dataclass
class Totals:
    """Counts over a batch, gathered while its tables are written."""

    pairs: int = 0
    """Pairs in the manifest."""
    failed: int = 0
    """Pairs that failed."""
    identical: int = 0
    """Pairs whose drafts do not differ."""

    def add(self, row: dict[str, Any]) -> None:
        """Count one summary row."""
        self.pairs += 1
        self.failed += bool(row["error"])
        self.identical += bool(row["identical"])


def _schemas(pa: Any) -> tuple[Any, Any]:
    types: dict[str, Any] = {"id": pa.string(), "chain": pa.string(), "step": pa.int32(), "old": pa.string(),
                             "new": pa.string(), "contested": pa.int32(), "identical": pa.bool_(),
                             "seconds": pa.float64(), "warnings": pa.string(), "error": pa.string()}
    types |= {c: pa.int32() for c in (*SUMMARY_COUNTS, *CHANGE_COLUMNS)}
    summary = pa.schema([pa.field(c, types[c]) for c in SUMMARY_COLUMNS])
    links = pa.schema([
        pa.field("pair", pa.string()), pa.field("level", pa.int32()), pa.field("old", pa.list_(pa.string())),
        pa.field("new", pa.list_(pa.string())), pa.field("status", pa.string()), pa.field("renumbered", pa.bool_()),
        pa.field("moved", pa.bool_()), pa.field("similarity", pa.float64()), pa.field("confidence", pa.float64()),
        pa.field("uncertain", pa.bool_()),
    ])
    return summary, links


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_index(folder: OutputFolder, pairs: Iterable[PairSpec], totals: Totals, html: bool) -> Path:
    """OUTDIR/index.html: every pair with its summary, sortable, linking to its report or JSON."""
    from plancmp.render.to_html_batch import render_index_rows, render_index_shell

    head, tail = render_index_shell(totals.pairs, totals.failed, totals.identical)
    target = folder.root / "index.html"
    with atomic_file(target) as tmp, io.TextIOWrapper(tmp, encoding="utf-8") as out:
        out.write(head)
        # Row by row: the page for 100,000 pairs is large, the memory to write it is not.
        out.writelines(render_index_rows((summary_row(spec, record["row"]) for spec, record in folder.records(pairs)), html))
        out.write(tail)
    return target


__all__ = [
    "BatchOptions",
    "DaskEngine",
    "Engine",
    "Job",
    "Outcome",
    "OutputFolder",
    "PairOutcome",
    "PairResult",
    "compare_job",
    "local_engine",
    "remote_engine",
    "require_extra",
    "run_batch",
    "write_index",
]
