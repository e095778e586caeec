"""`cleankit run --resume`: an interrupted run continues, and its output is the same as an
uninterrupted run's; a changed configuration or input is refused unless forced."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import pickle
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleankit import InputError, Pipeline, Step, run
from cleankit.checkpoint import WORK_DIR
from cleankit.cli import app

SHARD_SIZE = 2
#: Documents in the corpus of the SIGKILL test: enough that a run lasts a second or two.
KILLED_DOCS = 240


def write_corpus(root: Path, count: int) -> Path:
    """``count`` small documents in seven folders, with mojibake, runs of spaces and blank
    lines, and a share line repeated in every document (for the boilerplate scan)."""
    for i in range(count):
        path = root / f"s{i % 7}" / f"doc{i:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        body = (
            f"Story {i}: the caf\u00c3\u00a9 on road {i % 13} re-opened  today.\r\n\r\n\r\n"
            f"Residents   said the {i % 5} bridges were   fine.\nShare this article\n"
        )
        path.write_text(body * (1 + i % 3), encoding="utf-8", newline="")
    return root


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (``None``) under ``folder``, hidden ones included."""
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None
        for p in sorted(folder.rglob("*"))
    }


def comparable_report(folder: Path) -> dict:
    """``report.json`` without what differs between two runs of the same work: timings,
    the output path, and whether a scan pass was taken from a checkpoint."""
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    del report["seconds"], report["output"]
    for stats in report["steps"].values():
        del stats["seconds"]
    for scan in report["scans"]:
        del scan["seconds"], scan["resumed"]
    return report


def assert_same_output(reference: Path, resumed: Path) -> None:
    expected, got = tree(reference), tree(resumed)
    assert sorted(got) == sorted(expected)  # no work folder or partial file left over
    for name, data in expected.items():
        if name != "report.json":
            assert got[name] == data, f"{name} differs"
    assert comparable_report(resumed) == comparable_report(reference)


# -- a real process killed with SIGKILL ------------------------------------------------------


def cli_command(src: Path, out: Path, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "cleankit.cli",
        "run",
        str(src),
        "-o",
        str(out),
        "--shard-size",
        str(SHARD_SIZE),
        *args,
    ]


def run_cli(src: Path, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cli_command(src, out, *args), capture_output=True, text=True, stdin=subprocess.DEVNULL
    )


def shard_checkpoints(out: Path) -> list[Path]:
    return list((out / WORK_DIR).glob("shard-*.pickle"))


def live_processes_in_group(group: int) -> list[int]:
    """Processes of process group ``group`` that are still running (not zombies); empty
    where ``/proc`` cannot tell."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # ended meanwhile
            continue
        state, group_id = fields[0], int(fields[2])
        if group_id == group and state not in "ZX":
            found.append(int(stat.parent.name))
    return found


def kill_when(src: Path, out: Path, ready, *args: str) -> None:
    """Start a run and SIGKILL its main process as soon as ``ready(out)`` holds."""
    proc = subprocess.Popen(
        cli_command(src, out, "-q", *args),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its worker processes can be found and ended afterwards
    )
    try:
        deadline = time.monotonic() + 60
        while not ready(out):
            assert proc.poll() is None, f"the run ended (code {proc.returncode}) too soon"
            assert time.monotonic() < deadline, "the run never got far enough"
            time.sleep(0.002)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        # Its worker processes notice and exit on their own (they poll once a second).
        deadline = time.monotonic() + 15
        while live_processes_in_group(proc.pid):
            assert time.monotonic() < deadline, "workers outlived the killed run"
            time.sleep(0.05)
    finally:
        # the workers of the killed run (the main process's pid is the group's id)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert (out / WORK_DIR).is_dir() and not (out / "report.json").exists()


@pytest.fixture(scope="module")
def killed_corpus(tmp_path_factory):
    """The corpus, and a cache of reference (uninterrupted) outputs by worker count."""
    root = tmp_path_factory.mktemp("resume")
    return write_corpus(root / "in", KILLED_DOCS), {}


def reference_output(killed_corpus, workers: int) -> Path:
    """The output of an uninterrupted run (in this process: the same settings as the CLI's
    defaults, and quicker)."""
    src, references = killed_corpus
    if workers not in references:
        out = src.parent / f"reference-{workers}"
        run(src, out, shard_size=SHARD_SIZE, workers=workers)
        assert not (out / WORK_DIR).exists()  # a finished run leaves no work folder
        references[workers] = out
    return references[workers]


@pytest.mark.parametrize(
    ("workers", "moment"),
    [(1, "cleaning"), (2, "cleaning"), (1, "scan")],
    ids=["1-worker-cleaning", "2-workers-cleaning", "1-worker-scan"],
)
def test_resume_after_sigkill_gives_the_uninterrupted_output(
    killed_corpus, tmp_path, workers, moment
):
    src, _ = killed_corpus
    reference = reference_output(killed_corpus, workers)
    out = tmp_path / "out"
    if moment == "cleaning":
        kill_when(src, out, lambda o: len(shard_checkpoints(o)) >= 2, "--workers", str(workers))
    else:  # the manifest is written just before the scan starts (and the kill lands in
        # the scan in practice; if it landed later, the test still checks a resume)
        kill_when(src, out, lambda o: (o / WORK_DIR / "manifest.json").exists())
    finished_before = len(shard_checkpoints(out))
    proc = run_cli(src, out, "--resume", "--workers", str(workers))
    assert proc.returncode == 0, proc.stderr
    if moment == "cleaning":
        assert finished_before >= 2
        shards = f"{finished_before} of {KILLED_DOCS // SHARD_SIZE} shards"
        assert f"resumed: {shards}" in " ".join(proc.stdout.split())
    assert_same_output(reference, out)


# -- interruptions in this process -----------------------------------------------------------


class Stop(Exception):
    """Stands for an interruption of the run."""


def stop_after(shards: int):
    """A progress callback that interrupts the run after ``shards`` shards."""
    seen = []

    def progress(_: int) -> None:
        seen.append(1)
        if len(seen) == shards:
            raise Stop

    return progress


SCANNED: Counter[str] = Counter()


class CountScans(Step):
    """Test step with a corpus scan that counts the documents it scans (in ``SCANNED``)."""

    name = "count_scans"
    rewrites = False

    def new_scan_state(self):
        return 0

    def scan(self, doc, state):
        SCANNED["documents"] += 1
        return state + 1

    def merge_scan_states(self, a, b):
        return a + b

    def use_scan_state(self, state):
        self.total = state

    def apply(self, doc):
        doc.meta["corpus_size"] = self.total


def small_corpus(root: Path) -> Path:
    return write_corpus(root, 20)


def test_interrupted_run_resumes_without_scanning_again(tmp_path):
    src = small_corpus(tmp_path / "in")
    steps = [CountScans, "fix_mojibake", "normalize_whitespace"]
    run(src, tmp_path / "reference", Pipeline(steps), shard_size=SHARD_SIZE)
    out = tmp_path / "out"
    with pytest.raises(Stop):
        run(src, out, Pipeline(steps), shard_size=SHARD_SIZE, progress=stop_after(4))
    assert len(shard_checkpoints(out)) == 4 and (out / WORK_DIR / "scan-0.pickle").exists()
    assert not (out / "documents.jsonl").exists()
    SCANNED.clear()
    result = run(src, out, Pipeline(steps), shard_size=SHARD_SIZE, resume=True)
    assert SCANNED["documents"] == 0  # the saved scan state was used
    assert result.resumed_shards == 4
    assert_same_output(tmp_path / "reference", out)


def interrupted_after(tmp_path: Path, shards: int) -> tuple[Path, Path]:
    """The small corpus, its uninterrupted output in ``tmp_path / "reference"``, and the
    output folder of a run stopped after ``shards`` shards."""
    src = small_corpus(tmp_path / "in")
    run(src, tmp_path / "reference", shard_size=SHARD_SIZE)
    out = tmp_path / "out"
    with pytest.raises(Stop):
        run(src, out, shard_size=SHARD_SIZE, progress=stop_after(shards))
    return src, out


def test_a_damaged_checkpoint_is_cleaned_again(tmp_path):
    src, out = interrupted_after(tmp_path, 3)
    damaged = sorted(shard_checkpoints(out))[1]
    damaged.write_bytes(damaged.read_bytes()[:20])
    (out / WORK_DIR / "scan-0.pickle").write_bytes(b"")
    result = run(src, out, shard_size=SHARD_SIZE, resume=True)
    assert result.resumed_shards == 2
    assert_same_output(tmp_path / "reference", out)


def test_changed_configuration_is_refused_unless_forced(tmp_path):
    src = small_corpus(tmp_path / "in")
    out = tmp_path / "out"
    with pytest.raises(Stop):
        run(src, out, shard_size=SHARD_SIZE, progress=stop_after(3))
    runner = CliRunner()
    base = ["run", str(src), "-o", str(out), "--shard-size", str(SHARD_SIZE), "-q", "--resume"]
    for change, what in [
        (["--set", "normalize_whitespace.max_blank_lines=0"], "steps or step options"),
        (["--steps", "fix_mojibake,normalize_whitespace"], "steps or step options"),
        (["--exclude", "s1"], "reader or its options"),
    ]:
        result = runner.invoke(app, [*base, *change])
        message = " ".join(result.output.split())
        assert result.exit_code == 2, message
        assert "cannot resume" in message and f"configuration changed ({what}" in message
        assert "--force" in message and "--overwrite" in message
    result = runner.invoke(app, ["run", str(src), "-o", str(out), "--resume", "--shard-size", "3"])
    assert result.exit_code == 2 and "shard size" in result.output
    forced = runner.invoke(
        app, [*base, "--set", "normalize_whitespace.max_blank_lines=0", "--force"]
    )
    assert forced.exit_code == 0, forced.output
    assert not (out / WORK_DIR).exists()
    report = json.loads((out / "report.json").read_text())
    assert report["documents"]["written"] == 20
    options = {s["name"]: s["options"] for s in report["pipeline"]}
    assert options["normalize_whitespace"]["max_blank_lines"] == 0


def test_changed_input_is_refused_unless_forced(tmp_path):
    src = small_corpus(tmp_path / "in")
    out = tmp_path / "out"
    steps = ["fix_mojibake", "normalize_whitespace"]  # no corpus scan: forced output is exact
    with pytest.raises(Stop):
        run(src, out, Pipeline(steps), shard_size=SHARD_SIZE, progress=stop_after(5))
    (src / "s0" / "new.txt").write_text("A new  file.")
    with pytest.raises(InputError, match=r"the input changed: files were added, removed or"):
        run(src, out, Pipeline(steps), shard_size=SHARD_SIZE, resume=True)
    (src / "s0" / "new.txt").unlink()  # the input is as it was: the run resumes
    assert run(src, out, Pipeline(steps), shard_size=SHARD_SIZE, resume=True).resumed_shards == 5
    # another interrupted run, then a file read by a finished shard changes
    with pytest.raises(Stop):
        run(
            src,
            out,
            Pipeline(steps),
            shard_size=SHARD_SIZE,
            overwrite=True,
            progress=stop_after(5),
        )
    first = src / "s0" / "doc0000.txt"  # shard 0
    first.write_text("Rewritten   text.", encoding="utf-8")
    with pytest.raises(InputError, match=r"1 of 10 shards differ"):
        run(src, out, Pipeline(steps), shard_size=SHARD_SIZE, resume=True)
    result = run(src, out, Pipeline(steps), shard_size=SHARD_SIZE, resume=True, force=True)
    assert result.resumed_shards == 4  # the changed shard was cleaned again
    run(src, tmp_path / "reference", Pipeline(steps), shard_size=SHARD_SIZE)
    assert_same_output(tmp_path / "reference", out)


def test_interrupted_folder_needs_resume_or_overwrite(tmp_path):
    src = small_corpus(tmp_path / "in")
    out = tmp_path / "out"
    with pytest.raises(Stop):
        run(src, out, shard_size=SHARD_SIZE, progress=stop_after(3))
    with pytest.raises(InputError, match="interrupted; pass --resume to continue it"):
        run(src, out, shard_size=SHARD_SIZE)
    result = run(src, out, shard_size=SHARD_SIZE, overwrite=True)  # starts over
    assert result.resumed_shards == 0 and not (out / WORK_DIR).exists()
    # --resume where there is nothing to resume: a new folder starts afresh...
    result = run(src, tmp_path / "fresh", shard_size=SHARD_SIZE, resume=True)
    assert result.resumed_shards == 0 and not (tmp_path / "fresh" / WORK_DIR).exists()
    assert_same_output(out, tmp_path / "fresh")
    # ...and a finished run's folder still needs --overwrite
    with pytest.raises(InputError, match="holds no interrupted run to resume"):
        run(src, out, shard_size=SHARD_SIZE, resume=True)


def test_resumed_run_may_use_other_writers(tmp_path):
    src = small_corpus(tmp_path / "in")
    out = tmp_path / "out"
    with pytest.raises(Stop):
        run(src, out, shard_size=SHARD_SIZE, progress=stop_after(3))
    result = run(src, out, shard_size=SHARD_SIZE, resume=True, writers=["documents"])
    assert result.resumed_shards == 3
    run(src, tmp_path / "reference", shard_size=SHARD_SIZE, writers=["documents"])
    assert_same_output(tmp_path / "reference", out)


def test_report_gives_each_scan_pass_its_time_and_state_size(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    for number in range(3):
        (source / f"{number}.txt").write_text(f"Story {number}.\n\nRead more news\n")
    report = run(source, tmp_path / "out", Pipeline(), workers=1).report
    (scan,) = report["scans"]
    assert scan["steps"] == ["split_captions", "strip_boilerplate", "restore_stopwords"]
    assert scan["state_bytes"] > 0 and scan["seconds"] >= 0 and scan["resumed"] is False


def test_checkpoints_are_compressed_and_report_the_pickle_s_size(tmp_path):
    src = small_corpus(tmp_path / "in")
    out = tmp_path / "out"
    with pytest.raises(Stop):
        run(src, out, shard_size=SHARD_SIZE, progress=stop_after(2))
    state = out / WORK_DIR / "scan-0.pickle"
    saved = state.read_bytes()
    assert saved.startswith(b"CKZ\x01")
    pickled = gzip.decompress(saved[12:])
    assert isinstance(pickle.loads(pickled), list)
    assert int.from_bytes(saved[4:12], "little") == len(pickled) > len(saved)
    # A pass taken from its checkpoint reports what it reported when it was saved.
    report = run(src, out, shard_size=SHARD_SIZE, resume=True).report
    assert report["scans"][0]["resumed"] and report["scans"][0]["state_bytes"] == len(pickled)


def test_checkpoints_written_uncompressed_are_still_read(tmp_path):
    src, out = interrupted_after(tmp_path, 3)
    for path in [*shard_checkpoints(out), out / WORK_DIR / "scan-0.pickle"]:
        path.write_bytes(gzip.decompress(path.read_bytes()[12:]))  # as earlier versions did
    result = run(src, out, shard_size=SHARD_SIZE, resume=True)
    assert result.resumed_shards == 3
    assert result.report["scans"][0]["resumed"]
    assert_same_output(tmp_path / "reference", out)
