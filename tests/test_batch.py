"""`plancmp batch`: a collection compared on Dask, embedded or on a cluster, resumable, with its tables.

The manifest tests need nothing but plancmp. The runs need the `batch` extra (Dask, pyarrow, tqdm)
and skip, saying so, where it is missing. Each run is a real `plancmp batch` process, so that its
stderr is what a user sees when it is not a terminal (no progress bar).
"""

from __future__ import annotations

import csv
import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bench.synth import generate_pair, write_pair
from plancmp.cli import cli
from plancmp.errors import OutputError
from plancmp.parse.from_manifest import Manifest, PairSpec, load_manifest
from tests.conftest import needs_batch_extra
from tests.test_report_browser import browser  # noqa: F401 - the module's headless Chromium

DRAFTS = Path(__file__).resolve().parent.parent / "drafts"
NO_POINTS = "Minutes of the meeting\n\nThe parties met and agreed to meet again.\n"
NO_POINTS_ERROR = (
    "no numbered points found; plancmp looks for labels such as '1.', '2)', '(a)', 'Article 3' at the start "
    "of a line (is it a scanned PDF, or unnumbered prose?)"
)


needs_extra = needs_batch_extra()


def run_cli(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args))


def batch(cwd: Path, *args: str, **popen: Any) -> subprocess.CompletedProcess[str]:
    """`plancmp batch …` as its own process, in cwd; stderr is a pipe, as in a script or a log."""
    return subprocess.run(
        [sys.executable, "-m", "plancmp.cli", "batch", *args], cwd=cwd, capture_output=True, text=True, timeout=300,
        check=False, **popen,
    )


def _leftovers(out: Path) -> list[str]:
    """Temporary files under out: what a write stopped half-way would leave."""
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp")


# -- the manifests --------------------------------------------------------------------------------


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_paths_are_relative_to_the_manifest_and_ids_default_to_the_file_names(tmp_path: Path) -> None:
    _write(tmp_path / "c/a.txt", "1. One.\n")
    _write(tmp_path / "c/b.txt", "1. Two.\n")
    manifest = _write(tmp_path / "c/pairs.csv", "old,new,id\na.txt,b.txt,first\nb.txt,a.txt,\n")
    assert load_manifest(str(manifest)).pairs == (
        PairSpec("first", str(tmp_path / "c/a.txt"), str(tmp_path / "c/b.txt")),
        PairSpec("b--a", str(tmp_path / "c/b.txt"), str(tmp_path / "c/a.txt")),
    )


def test_toml_chains_become_one_pair_per_step(tmp_path: Path) -> None:
    for name in ("v1.txt", "v2.txt", "v3.txt"):
        _write(tmp_path / name, "1. One.\n")
    manifest = _write(
        tmp_path / "m.toml",
        '[[pair]]\nold = "v1.txt"\nnew = "v3.txt"\nid = "ends"\n\n[[chain]]\nid = "bill-7"\ndrafts = ["v1.txt", "v2.txt", "v3.txt"]\n',
    )
    v1, v2, v3 = (str(tmp_path / n) for n in ("v1.txt", "v2.txt", "v3.txt"))
    assert load_manifest(str(manifest)).pairs == (
        PairSpec("ends", v1, v3),
        PairSpec("bill-7.1", v1, v2, chain="bill-7", step=1),
        PairSpec("bill-7.2", v2, v3, chain="bill-7", step=2),
    )


def _folder(folder: Path, names: tuple[str, ...], pattern: str = r"(.+)-v\d+\.txt") -> Manifest:
    """The manifest of a folder of one-point drafts with these names, split into chains by pattern."""
    for name in names:
        _write(folder / name, "1. One.\n")
    return load_manifest(str(folder), pattern)


def test_a_folder_splits_into_chains_in_version_order(tmp_path: Path) -> None:
    folder = tmp_path / "bills"
    _write(folder / "README.md", "Notes\n")
    manifest = _folder(folder, ("bill-1-v1.txt", "bill-1-v2.txt", "bill-1-v10.txt", "bill-2-v1.txt", "bill-2-v2.txt", "bill-3-v1.txt"))
    assert [(p.id, Path(p.old).name, Path(p.new).name) for p in manifest.pairs] == [
        ("bill-1.1", "bill-1-v1.txt", "bill-1-v2.txt"),
        ("bill-1.2", "bill-1-v2.txt", "bill-1-v10.txt"),
        ("bill-2.1", "bill-2-v1.txt", "bill-2-v2.txt"),
    ]
    assert manifest.warnings == (
        f"{folder}: 1 files match no --chains-by pattern and are left out (README.md)",
        f"{folder}: 'bill-3' has one draft (bill-3-v1.txt); nothing to compare",
    )


def test_documents_of_a_folder_that_make_the_same_id_get_distinct_ones(tmp_path: Path) -> None:
    # 'bill 1' and 'bill_1' are both 'bill_1' as file names; 'Bill' and 'bill' are one on macOS and Windows
    # (in two subfolders here, so that this test makes the same files on those systems).
    folder = tmp_path / "bills"
    manifest = _folder(folder, ("x/bill 1-v1.txt", "x/bill 1-v2.txt", "x/bill_1-v1.txt", "x/bill_1-v2.txt",
                                "x/bill-v1.txt", "x/bill-v2.txt", "y/Bill-v1.txt", "y/Bill-v2.txt"), r"[xy]/(.+)-v\d+\.txt")
    # A name that is an id already keeps it; the other gets '-2', and a warning says which is which.
    assert [(p.id, p.chain, Path(p.old).name) for p in manifest.pairs] == [
        ("Bill.1", "Bill", "Bill-v1.txt"),
        ("bill-2.1", "bill-2", "bill-v1.txt"),
        ("bill_1-2.1", "bill_1-2", "bill 1-v1.txt"),
        ("bill_1.1", "bill_1", "bill_1-v1.txt"),
    ]
    assert manifest.warnings == (
        f"{folder}: 'bill' is named 'bill-2' in the outputs ('bill' names the files of 'Bill')",
        f"{folder}: 'bill 1' is named 'bill_1-2' in the outputs ('bill_1' names the files of 'bill_1')",
    )


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("pairs.csv", "old,neww\na.txt,b.txt\n",
         ("pairs.csv:1: has no 'new' column; the first line must name the columns old,new[,id] (found: old, neww); "
          "rename column 'neww' to 'new'")),
        ("pairs.csv", "id,old,newer\nx,a.txt,b.txt\n",
         ("pairs.csv:1: has no 'new' column; the first line must name the columns old,new[,id] (found: id, old, newer); "
          "rename column 'newer' to 'new'")),
        ("pairs.csv", "old,new\na.txt,missing.txt\n",
         ("pairs.csv:2: draft 'missing.txt' does not exist (looked for missing.txt); paths are relative to the "
          "manifest's folder")),
        ("pairs.csv", "old,new,id\na.txt,b.txt,x\nb.txt,a.txt,X\n",
         "pairs.csv:3: id 'X' is already used (line 2); ids name the output files and must differ"),
        ("pairs.csv", "old,new,id\na.txt,b.txt,../x\n",
         ("pairs.csv:2: id '../x' cannot name a file; use letters, digits, '_', '.', '+' and '-', starting with a "
          "letter or digit")),
        ("pairs.csv", "old,new\na.txt,b.doc\n",
         "pairs.csv:2: b.doc: is a legacy Word .doc; open it in Word and save it as .docx"),
        ("pairs.toml", '[[pairs]]\nold = "a.txt"\n',
         "pairs.toml:1: unknown table 'pairs'; a batch manifest has [[pair]] and [[chain]] tables (did you mean 'pair'?)"),
        ("pairs.toml", '[[chain]]\nid = "x"\ndrafts = ["a.txt"]\n', "pairs.toml:3: chain 'x' has one draft; a chain needs two or more"),
        # Refused even beside pairs that are fine: a chain of one is a mistake, not a collection to skip.
        ("pairs.toml", '[[pair]]\nold = "a.txt"\nnew = "b.txt"\n\n[[chain]]\ndrafts = []\n',
         "pairs.toml:6: chain 'chain-1' has no drafts; a chain needs two or more"),
        ("pairs.toml", '[[chain]]\ndrafts = ["a.txt", "b.txt"]\n\n[[chain]]\ndrafts = ["a.txt", "a.txt"]\n',
         "pairs.toml:4: id 'a.1' is already used (line 1); give each chain an id"),
        ("pairs.toml", '[[pair]]\nold = "a.txt"\nnewer = "b.txt"\n',
         "pairs.toml:3: unknown key 'newer' in a pair; keys are old, new, id (did you mean 'new'?)"),
        ("pairs.csv", "old,new\n", "pairs.csv: names no pairs; add a row old,new (CSV) or a [[pair]] or [[chain]] table (TOML)"),
    ],
)
def test_a_bad_manifest_is_one_line_and_exit_2_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "a.txt", "1. One.\n")
    _write(tmp_path / "b.txt", "1. Two.\n")
    _write(tmp_path / "b.doc", "\xd0\xcf\x11\xe0")
    _write(tmp_path / name, text)
    result = run_cli("batch", name, "-o", "out")
    assert result.exit_code == 2
    assert result.output == f"plancmp: {message}\n"
    assert not (tmp_path / "out").exists()


def test_a_folder_needs_a_pattern_with_a_group(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bills").mkdir()
    assert run_cli("batch", "bills", "-o", "out").output == (
        "plancmp: bills: is a folder: add --chains-by PATTERN, a regular expression whose first group names the "
        "document (e.g. --chains-by '(.+)-v\\d+\\.txt')\n"
    )
    result = run_cli("batch", "bills", "--chains-by", r".+\.txt", "-o", "out")
    assert result.exit_code == 2
    assert result.output == (
        "plancmp: bills: --chains-by '.+\\.txt' has no group; put the part that names the document in (…), "
        "e.g. '(.+)-v\\d+\\.txt'\n"
    )


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("bils/", "bils/: no such folder; check the path (--chains-by splits a folder of drafts into chains)"),
        ("a.txt", "a.txt: --chains-by splits a folder into chains; give a folder of drafts, or drop --chains-by"),
    ],
)
def test_chains_by_wants_a_folder_that_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "a.txt", "1. One.\n")
    result = run_cli("batch", given, "--chains-by", r"(.+)-v\d+\.txt", "-o", "out")
    assert result.exit_code == 2
    assert result.output == f"plancmp: {message}\n"
    assert not (tmp_path / "out").exists()


def test_a_manifest_that_does_not_exist_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("batch", "pairs.csv", "-o", "out")
    assert result.exit_code == 2
    assert result.output == "plancmp: pairs.csv: no such file or folder; give a .csv or .toml manifest, or a folder of drafts\n"
    assert not (tmp_path / "out").exists()


@pytest.fixture
def one_pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder, made the working folder, with pairs.csv naming one pair (a.txt with itself)."""
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "a.txt", "1. One.\n")
    _write(tmp_path / "pairs.csv", "old,new\na.txt,a.txt\n")
    return tmp_path


@pytest.mark.parametrize(
    ("absent", "needs"),
    [
        (["pyarrow"], "pyarrow, which is not installed"),
        (["tqdm"], "tqdm, which is not installed"),
        (["distributed", "tqdm"], "Dask (distributed) and tqdm, which are not installed"),
    ],
)
def test_without_the_extra_the_message_names_what_is_missing_and_what_to_install(
    one_pair: Path, monkeypatch: pytest.MonkeyPatch, absent: list[str], needs: str
) -> None:
    # A module set to None in sys.modules cannot be imported: as if it were not installed.
    for module in absent:
        monkeypatch.setitem(sys.modules, module, None)
    result = run_cli("batch", "pairs.csv", "-o", "out")
    assert result.exit_code == 2
    # plancmp is installed from its source folder (README, "pip install ."), not from PyPI.
    assert result.output == (
        f"plancmp: plancmp batch needs {needs}: in the plancmp source folder, run pip install '.[batch]'\n"
    )
    assert not (one_pair / "out").exists()


def test_the_options_hash_changes_with_positions_and_rules_and_not_otherwise() -> None:
    from plancmp.batch import BatchOptions, options_digest
    from plancmp.compare import CompareOptions
    from plancmp.parse import ReadOptions
    from plancmp.parse.from_toml import load_positions, load_rules

    def digest(positions: str | None = None, original: bool = False) -> str:
        options = CompareOptions(positions=load_positions(positions) if positions else None, rules=load_rules(None))
        return options_digest(BatchOptions(options, ReadOptions(original=original)))

    # Read twice, hashed alike: a rerun keeps what an earlier run wrote.
    assert digest(str(DRAFTS / "positions.toml")) == digest(str(DRAFTS / "positions.toml"))
    assert len({digest(), digest(str(DRAFTS / "positions.toml")), digest(original=True)}) == 3


def test_a_worker_that_cannot_see_a_draft_says_so_and_what_to_do(tmp_path: Path) -> None:
    import socket

    from plancmp.batch import BatchOptions, Job, compare_job
    from plancmp.compare import CompareOptions

    spec = PairSpec("p", "drafts/a.txt", "drafts/b.txt")
    # As on a worker of another machine: the driver's paths do not exist there.
    job = Job(spec, str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "digest")
    result = compare_job(job, BatchOptions(CompareOptions()))
    assert result.json is None and result.links == ()
    assert result.error == (
        f"drafts/a.txt: is not on the worker {socket.gethostname()} at {tmp_path / 'a.txt'}; "
        "workers must see the drafts at the same path, or add --ship"
    )


def test_workers_and_a_scheduler_do_not_go_together(tmp_path: Path) -> None:
    result = run_cli("batch", str(tmp_path), "--workers", "2", "--scheduler", "tcp://127.0.0.1:8786", "-o", "out")
    assert result.exit_code == 2
    assert result.output == (
        "plancmp: --workers sizes the cluster on this machine; the cluster at --scheduler has its own workers\n"
    )


@needs_extra
def test_a_scheduler_that_cannot_be_reached_is_one_line_and_nothing_is_written(one_pair: Path) -> None:
    result = run_cli("batch", "pairs.csv", "-o", "out", "--scheduler", "nowhere")
    assert result.exit_code == 2
    assert result.output == (
        "plancmp: cannot reach the Dask scheduler at nowhere (missing port number in address 'nowhere'); "
        "is it running, and is the address right?\n"
    )
    assert not (one_pair / "out").exists()


# -- runs ----------------------------------------------------------------------------------------


def _corpus(root: Path) -> Path:
    """The bundled drafts as a chain and a Word pair, three synthetic pairs, and a draft with no points."""
    for name in ("28-point.txt", "28-point-european.txt", "19-point-geneva.txt", "20-point.txt", "28-point.docx", "20-point.docx"):
        shutil.copy(DRAFTS / name, root / name)
    # A folder name with markup in it: a path is data, in the CSV, the index page and the JSON.
    for seed, n, folder in ((1, 30, "synth/s1"), (2, 40, "synth/s2"), (3, 35, "synth/<b>&amp")):
        write_pair(generate_pair(seed, n, "en", "hard"), root / folder)
    _write(root / "minutes.txt", NO_POINTS)
    return _write(
        root / "pairs.toml",
        '[[chain]]\nid = "plan"\ndrafts = ["28-point.txt", "28-point-european.txt", "19-point-geneva.txt", "20-point.txt"]\n\n'
        '[[pair]]\nold = "28-point.docx"\nnew = "20-point.docx"\nid = "word"\n\n'
        '[[pair]]\nold = "synth/s1/old.txt"\nnew = "synth/s1/new.txt"\nid = "s1"\n\n'
        '[[pair]]\nold = "synth/s2/old.txt"\nnew = "synth/s2/new.txt"\nid = "s2"\n\n'
        '[[pair]]\nold = "synth/<b>&amp/old.txt"\nnew = "synth/<b>&amp/new.txt"\nid = "s3"\n\n'
        '[[pair]]\nold = "28-point.txt"\nnew = "minutes.txt"\nid = "minutes"\n',
    )


IDS = ["plan.1", "plan.2", "plan.3", "word", "s1", "s2", "s3", "minutes"]
SUMMARY_LINE = "plancmp: 8 pairs in out: 7 compared, 0 kept from an earlier run, 1 failed\n"
BAD_LINE = f"plancmp: minutes: minutes.txt: {NO_POINTS_ERROR}\n"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    _corpus(root)
    return root


@pytest.fixture(scope="module")
def embedded(corpus: Path) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The corpus on the default engine: a Dask cluster of two processes on this machine."""
    result = batch(corpus, "pairs.toml", "-o", "out", "--workers", "2", "--html", "--report")
    return corpus / "out", result


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    """A Dask cluster on loopback, started here, as a user's existing cluster would be."""
    distributed = pytest.importorskip("distributed", reason="needs the batch extra: pip install -e '.[batch]'")
    local = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None,
        scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
    )
    yield local.scheduler_address
    local.close()


@pytest.fixture(scope="module")
def on_cluster(corpus: Path, cluster: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The same corpus sent to the cluster, with the drafts shipped in the tasks (--ship)."""
    here = tmp_path_factory.mktemp("cluster-run")
    result = batch(corpus, "pairs.toml", "-o", str(here / "out"), "--scheduler", cluster, "--ship", "--html")
    return here / "out", result


def _summary(out: Path) -> list[dict[str, str]]:
    with open(out / "summary.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _without_seconds(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    # Wall time is the one column that may differ from run to run.
    return [{k: v for k, v in row.items() if k != "seconds"} for row in rows]


@needs_extra
def test_embedded_run_reports_every_pair_and_the_bad_one(embedded: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    out, result = embedded
    assert result.returncode == 1, result.stderr
    # No progress bar: stderr is not a terminal. The failed pair, then the count.
    assert result.stderr == BAD_LINE + SUMMARY_LINE
    rows = _summary(out)
    assert [r["id"] for r in rows] == IDS
    by_id = {r["id"]: r for r in rows}
    assert by_id["minutes"]["error"] == f"minutes.txt: {NO_POINTS_ERROR}"
    assert by_id["minutes"]["old_points"] == "" and by_id["minutes"]["identical"] == ""
    assert not (out / "pairs/minutes.json").exists()
    # What the README says of the bundled 28- and 20-point drafts, read in Word this time.
    word = by_id["word"]
    assert (word["old_points"], word["new_points"], word["kept"], word["split"], word["dropped"], word["added"],
            word["renumbered"], word["moved"], word["error"]) == ("28", "20", "17", "1", "10", "1", "16", "1", "")
    assert (by_id["plan.2"]["chain"], by_id["plan.2"]["step"], by_id["plan.2"]["old"], by_id["plan.2"]["new"]) == (
        "plan", "2", "28-point-european.txt", "19-point-geneva.txt")
    assert by_id["s3"]["old"] == "synth/<b>&amp/old.txt"


@needs_extra
def test_each_pair_is_what_diff_prints_as_json(
    embedded: tuple[Path, subprocess.CompletedProcess[str]], corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, _ = embedded
    monkeypatch.chdir(corpus)
    for row in _summary(out):
        if row["error"]:
            continue
        expected = run_cli("diff", row["old"], row["new"], "--format", "json")
        assert expected.exit_code == 1, row["id"]
        assert (out / "pairs" / f"{row['id']}.json").read_text(encoding="utf-8") == expected.output, row["id"]
        data = json.loads(expected.output)
        summary = data["summary"]
        assert {k: row[k] for k in summary if k in row} == {
            k: ("true" if v is True else "false" if v is False else str(v)) for k, v in summary.items() if k in row
        }


@needs_extra
def test_a_cluster_run_writes_what_the_embedded_one_writes(
    embedded: tuple[Path, subprocess.CompletedProcess[str]], on_cluster: tuple[Path, subprocess.CompletedProcess[str]]
) -> None:
    import pyarrow.parquet as pq

    (here, _), (there, result) = embedded, on_cluster
    assert result.returncode == 1, result.stderr
    assert result.stderr == BAD_LINE + SUMMARY_LINE.replace("in out", f"in {there}")
    assert _without_seconds(_summary(there)) == _without_seconds(_summary(here))
    for pair in IDS[:-1]:
        assert (there / "pairs" / f"{pair}.json").read_bytes() == (here / "pairs" / f"{pair}.json").read_bytes(), pair
    assert pq.read_table(there / "links.parquet").equals(pq.read_table(here / "links.parquet"))
    assert pq.read_table(there / "summary.parquet").drop(["seconds"]).equals(
        pq.read_table(here / "summary.parquet").drop(["seconds"]))


@needs_extra
def test_links_parquet_holds_every_group_with_its_confidence(embedded: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    import pyarrow.parquet as pq

    out, _ = embedded
    links = [r for r in pq.read_table(out / "links.parquet").to_pylist() if r["pair"] == "word"]

    def flatten(groups: list[dict], level: int) -> list[dict]:  # type: ignore[type-arg]
        rows = []
        for g in groups:
            rows.append({"pair": "word", "level": level, "old": g["old"], "new": g["new"], "status": g["status"],
                         "renumbered": g["renumbered"], "moved": g["moved"], "similarity": g["similarity"],
                         "confidence": g["confidence"], "uncertain": g["uncertain"]})
            rows.extend(flatten(g["children"], level + 1))
        return rows

    alignment = json.loads((out / "pairs/word.json").read_text(encoding="utf-8"))["alignment"]
    assert links == flatten(alignment, 0)
    dropped = [r for r in links if r["status"] == "dropped"]
    assert len([r for r in dropped if r["level"] == 0]) == 10 and all(r["confidence"] is None and r["new"] == [] for r in dropped)
    assert {"status": "split", "old": ["12"], "new": ["8", "9"]}.items() <= next(
        r for r in links if r["status"] == "split").items()


@needs_extra
def test_the_index_page_lists_every_pair_and_links_its_report(embedded: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    out, _ = embedded
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<title>plancmp batch · 8 pairs</title>" in page
    assert "<h1>7 of 8 pairs compared</h1>" in page and "7 with differences, 0 identical, 1 failed." in page
    for pair in IDS[:-1]:
        assert f'<th scope="row"><a href="pairs/{pair}.html">{pair}</a></th>' in page
        assert (out / "pairs" / f"{pair}.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert '<tr class="failed"><th scope="row">minutes</th>' in page
    # The folder named "<b>&amp" is shown as text, never as markup.
    assert "<td>synth/&lt;b&gt;&amp;amp/old.txt</td>" in page and "<b>" not in page
    assert "default-src &#39;none&#39;" in page and "http://" not in page and "https://" not in page


def test_the_index_page_headline_counts_what_was_compared() -> None:
    from plancmp.render.to_html_batch import render_index_shell

    assert [re.search(r"<h1>(.*)</h1>", render_index_shell(pairs, failed, 0)[0]).group(1) for pairs, failed in
            ((1, 0), (1, 1), (3, 0), (3, 2))] == [
        "1 pair compared", "0 of 1 pair compared", "3 pairs compared", "1 of 3 pairs compared",
    ]


@needs_extra
def test_a_rerun_compares_only_what_is_missing_or_changed(cluster: str, tmp_path: Path) -> None:
    _corpus(tmp_path)
    first = batch(tmp_path, "pairs.toml", "-o", "out", "--scheduler", cluster)
    assert first.stderr == BAD_LINE + SUMMARY_LINE
    out = tmp_path / "out"
    before = {p: p.stat().st_mtime_ns for p in (out / "pairs").iterdir()}
    # As an interruption leaves it: one pair's JSON gone, another's record gone; and one input edited.
    (out / "pairs/s1.json").unlink()
    (out / "rows/s2.json").unlink()
    with open(tmp_path / "synth/<b>&amp/new.txt", "a", encoding="utf-8") as handle:
        handle.write("99. A point added since.\n")
    second = batch(tmp_path, "pairs.toml", "-o", "out", "--scheduler", cluster)
    # s1, s2 and s3 again, and the pair that failed (it may have been a passing fault); four kept.
    assert second.returncode == 1
    assert second.stderr == BAD_LINE + "plancmp: 8 pairs in out: 3 compared, 4 kept from an earlier run, 1 failed\n"
    after = {p: p.stat().st_mtime_ns for p in (out / "pairs").iterdir()}
    kept = {p.name for p in after if p in before and after[p] == before[p]}
    assert kept == {"plan.1.json", "plan.2.json", "plan.3.json", "word.json"}
    assert json.loads((out / "pairs/s3.json").read_text(encoding="utf-8"))["new"]["points"][-1]["id"] == "99"
    assert [r["id"] for r in _summary(out)] == IDS
    third = batch(tmp_path, "pairs.toml", "-o", "out", "--scheduler", cluster)
    assert third.stderr == BAD_LINE + "plancmp: 8 pairs in out: 0 compared, 7 kept from an earlier run, 1 failed\n"


@needs_extra
def test_ctrl_c_loses_only_the_pairs_in_flight(cluster: str, tmp_path: Path) -> None:
    for name in ("28-point.txt", "20-point.txt"):
        shutil.copy(DRAFTS / name, tmp_path / name)
    total = 40
    _write(tmp_path / "pairs.csv", "old,new,id\n" + "".join(f"28-point.txt,20-point.txt,p{k}\n" for k in range(total)))
    process = subprocess.Popen(
        [sys.executable, "-m", "plancmp.cli", "batch", "pairs.csv", "-o", "out", "--scheduler", cluster],
        cwd=tmp_path, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    rows = tmp_path / "out/rows"
    while not (rows.is_dir() and any(rows.iterdir())) and process.poll() is None:
        time.sleep(0.02)
    # Ctrl-C on a terminal: SIGINT to the whole process group.
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    # Whatever was written is whole: no temporary file left, every JSON complete, no tables yet.
    assert _leftovers(tmp_path / "out") == []
    done = sorted(p.name for p in rows.iterdir())
    assert stderr == (
        f"plancmp: interrupted with {total - len(done)} of {total} pairs not done: run the same command again to finish them\n"
    )
    assert 1 <= len(done) < total
    written = sorted(p.name for p in (tmp_path / "out/pairs").iterdir())
    # A pair's JSON is written before its record: Ctrl-C between the two leaves one JSON more.
    assert set(done) <= set(written) and len(written) <= len(done) + 1
    for name in written:
        assert json.loads((tmp_path / "out/pairs" / name).read_text(encoding="utf-8"))["summary"]["old_points"] == 28
    assert not (tmp_path / "out/summary.csv").exists()


@needs_extra
def test_the_index_page_sorts_by_a_column_in_a_browser(
    embedded: tuple[Path, subprocess.CompletedProcess[str]], request: pytest.FixtureRequest
) -> None:
    out, _ = embedded
    page = request.getfixturevalue("browser").new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((out / "index.html").as_uri())
    rows = _summary(out)

    def shown() -> list[str]:
        return page.eval_on_selector_all("#pairs tbody tr", "rows => rows.map(r => r.cells[0].textContent)")

    def expected(descending: bool) -> list[str]:
        counted = [r for r in rows if r["dropped"]]
        # Equal counts keep the manifest's order; the failed pair, with no count, goes last.
        ordered = sorted(counted, key=lambda r: -int(r["dropped"]) if descending else int(r["dropped"]))
        return [r["id"] for r in ordered] + ["✗ minutes"]

    page.click("button:text('Dropped')")
    assert [s.removeprefix("✗ ") for s in shown()] == [s.removeprefix("✗ ") for s in expected(False)]
    assert page.get_attribute("th:has(button:text('Dropped'))", "aria-sort") == "ascending"
    page.click("button:text('Dropped')")
    assert [s.removeprefix("✗ ") for s in shown()] == [s.removeprefix("✗ ") for s in expected(True)]
    assert page.get_attribute("th:has(button:text('Dropped'))", "aria-sort") == "descending"
    assert errors == []
    page.close()


@needs_extra
def test_a_cluster_that_goes_away_stops_the_batch_with_one_line(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    for name in ("28-point.txt", "20-point.txt"):
        shutil.copy(DRAFTS / name, tmp_path / name)
    _write(tmp_path / "pairs.csv", "old,new,id\n" + "".join(f"28-point.txt,20-point.txt,p{k}\n" for k in range(40)))
    local = distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, protocol="tcp://", host="127.0.0.1",
        dashboard_address=None, scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "plancmp.cli", "batch", "pairs.csv", "-o", "out", "--scheduler", local.scheduler_address],
        cwd=tmp_path, stderr=subprocess.PIPE, text=True,
    )
    rows = tmp_path / "out/rows"
    while not (rows.is_dir() and any(rows.iterdir())) and process.poll() is None:
        time.sleep(0.02)
    local.close()
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 2
    assert stderr.startswith("plancmp: lost the Dask scheduler (the cluster dropped pair 'p"), stderr
    assert stderr.endswith("); the pairs written so far are kept: run the same command again to finish\n")
    assert stderr.count("\n") == 1


def test_a_pair_finished_on_a_cluster_lost_before_its_result_came_back_is_the_lost_cluster() -> None:
    # The race the test above can meet: the pair finished, but its result was still on a worker
    # when the scheduler went; asking for it is a cancellation, which is the lost cluster, not a bug.
    from concurrent.futures import CancelledError

    from plancmp.batch import Job, _result_of

    class Finished:
        status = "finished"

        def result(self) -> None:
            raise CancelledError("compare_job-1 cancelled for reason: unknown.")

    job = Job(PairSpec("p7", "a.txt", "b.txt"), "/a.txt", "/b.txt", "digest")
    with pytest.raises(OSError, match=r"^the cluster dropped pair 'p7'$"):
        _result_of(Finished(), job)  # type: ignore[arg-type]


@needs_extra
def test_a_temporary_record_left_by_a_crash_is_not_a_finished_pair(cluster: str, tmp_path: Path) -> None:
    for name in ("28-point.txt", "20-point.txt"):
        shutil.copy(DRAFTS / name, tmp_path / name)
    _write(tmp_path / "pairs.csv", "old,new,id\n28-point.txt,20-point.txt,p\n")
    first = batch(tmp_path, "pairs.csv", "-o", "out", "--scheduler", cluster)
    assert (first.returncode, first.stderr) == (0, "plancmp: 1 pair in out: 1 compared, 0 kept from an earlier run, 0 failed\n")
    record = tmp_path / "out/rows/p.json"
    # A crash (power cut, kill -9) after the record was written and before its rename.
    record.rename(record.with_name(".p.json.k2x9qz1w.tmp"))
    second = batch(tmp_path, "pairs.csv", "-o", "out", "--scheduler", cluster)
    assert (second.returncode, second.stderr) == (0, "plancmp: 1 pair in out: 1 compared, 0 kept from an earlier run, 0 failed\n")
    assert json.loads(record.read_text(encoding="utf-8"))["row"]["old_points"] == 28


@needs_extra
def test_a_file_that_cannot_be_written_stops_the_batch_with_one_line(cluster: str, tmp_path: Path) -> None:
    import resource

    for name in ("28-point.txt", "20-point.txt"):
        shutil.copy(DRAFTS / name, tmp_path / name)
    _write(tmp_path / "pairs.csv", "old,new,id\n28-point.txt,20-point.txt,p\n")

    def small_files() -> None:
        # No file over 4 KB: the pair's JSON (some 60 KB) fails half-way, as on a full disk.
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))

    result = batch(tmp_path, "pairs.csv", "-o", "out", "--scheduler", cluster, preexec_fn=small_files)
    assert (result.returncode, result.stderr) == (2, "plancmp: out/pairs/p.json: cannot be written (File too large)\n")
    out = tmp_path / "out"
    assert _leftovers(out) == [] and list((out / "pairs").iterdir()) == [] and list((out / "rows").iterdir()) == []


def _full_disk_for(name: str) -> Any:
    """atomic._create, whose writes fail as on a full disk, for the temporary file of `name` only."""
    from plancmp import atomic
    from tests.test_corpus import _FailingFile

    real = atomic._create

    def create(tmp: str) -> Any:
        if Path(tmp).name.startswith(f".{name}."):
            return _FailingFile(tmp, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), half=False)
        return real(tmp)

    return create


@needs_extra
@pytest.mark.parametrize("name", ["summary.csv", "summary.parquet", "links.parquet", "index.html"])
def test_a_full_disk_while_writing_the_tables_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    from plancmp.batch import BatchOptions, Job, OutputFolder, compare_job, write_index
    from plancmp.compare import CompareOptions

    spec = PairSpec("p", str(DRAFTS / "28-point.txt"), str(DRAFTS / "20-point.txt"))
    out = tmp_path / "out"
    folder = OutputFolder(str(out))
    folder.write(compare_job(Job(spec, spec.old, spec.new, "digest"), BatchOptions(CompareOptions())))
    monkeypatch.setattr("plancmp.atomic._create", _full_disk_for(name))
    with pytest.raises(OutputError) as info:
        write_index(folder, [spec], folder.write_tables([spec]), html=False)
    # What the user sees, after "plancmp: ": the file that could not be written, and why.
    assert str(info.value) == f"{out / name}: cannot be written (No space left on device)"
    assert not (out / name).exists() and _leftovers(out) == []


@needs_extra
def test_a_cluster_that_cannot_start_here_is_one_line_and_nothing_is_written(
    one_pair: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plancmp import batch as batch_module

    # A worker that cannot start: Dask's own failure, as when a worker process cannot import what it needs.
    monkeypatch.setitem(batch_module._LOCAL_CONFIG, "distributed.worker.preload", ["plancmp_no_such_module"])
    result = run_cli("batch", "pairs.csv", "-o", "out", "--workers", "1")
    assert result.exit_code == 2
    assert result.output == (
        "plancmp: a Dask cluster could not be started on this machine (RuntimeError: Nanny failed to start.); "
        "try --workers 1, or run on an existing cluster with --scheduler\n"
    )
    assert not (one_pair / "out").exists()


@needs_extra
def test_the_drivers_own_dask_log_never_reaches_stderr() -> None:
    # Dask puts a stderr handler on "distributed" and levels of their own on some of its loggers:
    # "distributed.client" logs an ERROR with a traceback when it cannot reconnect to a scheduler
    # that went away, which came out before plancmp's one line. A fresh process, as a batch is.
    script = (
        "import logging, distributed\n"
        "from plancmp.batch import DaskEngine\n"
        "DaskEngine(lambda: (None, None))  # quiets the log on creation; never connected\n"
        "logging.getLogger('distributed.client').error('Failed to reconnect to scheduler, closing client')\n"
        "logging.getLogger('distributed.batched').info('Batched Comm Closed')\n"
        "print('done')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "done\n", "")


@needs_extra
def test_encoding_and_bullets_read_every_pair_as_diff_reads_them(cluster: str, tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_bytes("1. Le cessez-le-feu est immédiat.\n2. Échange de prisonniers.\n".encode("latin-1"))
    (tmp_path / "new.txt").write_bytes("1. Le cessez-le-feu est immédiat.\n2. Échange de tous les prisonniers.\n".encode("latin-1"))
    _write(tmp_path / "latin.csv", "old,new,id\nold.txt,new.txt,latin\n")
    assert batch(tmp_path, "latin.csv", "-o", "plain", "--scheduler", cluster).returncode == 1
    assert batch(tmp_path, "latin.csv", "-o", "read", "--scheduler", cluster, "--encoding", "latin-1").returncode == 0
    latin = json.loads((tmp_path / "read/pairs/latin.json").read_text(encoding="utf-8"))
    assert [p["text"] for p in latin["new"]["points"]] == ["Le cessez-le-feu est immédiat.", "Échange de tous les prisonniers."]
    # A numbered section over bullets: --bullets makes the bullets the points, on the workers too.
    (tmp_path / "a.md").write_text("1. Measures\n\n- Ceasefire.\n- Prisoners.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("1. Measures\n\n- Ceasefire.\n- All prisoners.\n", encoding="utf-8")
    _write(tmp_path / "bullets.csv", "old,new,id\na.md,b.md,bullets\n")
    assert batch(tmp_path, "bullets.csv", "-o", "bullets", "--scheduler", cluster, "--bullets").returncode == 0
    read = json.loads((tmp_path / "bullets/pairs/bullets.json").read_text(encoding="utf-8"))
    assert [p["text"] for p in read["new"]["points"]] == ["Ceasefire.", "All prisoners."]
