"""Progress of a run: every scan pass and the cleaning are counted, shard by shard, and
shown as bars on a terminal or as plain lines anywhere else."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from test_run_cli import MIXED, invoke

from cleankit import Pipeline, run
from cleankit.progress import RunProgress
from cleankit_plugins.dedupe_paragraphs import DedupeParagraphs
from cleankit_plugins.split_captions import SplitCaptions
from cleankit_plugins.strip_boilerplate import StripBoilerplate

STORIES = {f"news/story-{i}.txt": f"Story {i} opens here.\n\nIt ends here.\n" for i in range(7)}


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def plain_console() -> tuple[Console, io.StringIO]:
    written = io.StringIO()
    return Console(file=written, force_terminal=False, width=100), written


def test_plain_lines_come_now_and_then_and_when_a_phase_ends():
    console, written = plain_console()
    clock = Clock()
    progress = RunProgress(console, 2, every=30.0, clock=clock)
    progress.start(10)
    progress.scanned(4)  # too soon after the start for a line
    clock.now += 31
    progress.scanned(6)
    progress.scanned(4)
    progress.scanned(6)  # both passes are done
    clock.now += 3600
    progress.cleaned(10)
    progress.stop()
    assert written.getvalue().splitlines() == [
        "scanning (2 passes): 10/20 inputs (50%), 0:00:31, about 0:00:31 left",
        "scanning (2 passes): 20/20 inputs (100%), 0:00:31",
        "cleaning: 10/10 inputs (100%), 1:00:31",
    ]


def test_the_time_left_goes_by_the_pace_of_the_phase_since_it_began():
    console, written = plain_console()
    clock = Clock()
    progress = RunProgress(console, 1, every=30.0, clock=clock)
    progress.start(100)
    clock.now += 600
    progress.scanned(100)  # the scans took ten minutes
    clock.now += 60
    progress.cleaned(25)  # a quarter cleaned in a minute: three more to go
    assert written.getvalue().splitlines()[-1] == (
        "cleaning: 25/100 inputs (25%), 0:11:00, about 0:03:00 left"
    )


def test_plain_lines_without_a_known_count_and_without_scans():
    console, written = plain_console()
    clock = Clock()
    progress = RunProgress(console, 0, every=30.0, clock=clock)
    progress.start(None)
    clock.now += 45
    progress.cleaned(3)
    assert written.getvalue() == "cleaning: 3 inputs, 0:00:45\n"


def test_bars_on_a_terminal_count_each_phase():
    written = io.StringIO()
    console = Console(file=written, force_terminal=True, width=100)
    progress = RunProgress(console, 1)
    progress.start(5)
    progress.scanned(5)
    progress.cleaned(2)
    progress.stop()
    shown = written.getvalue()
    assert "scanning" in shown and "5/5" in shown
    assert "cleaning" in shown and "2/5" in shown


@pytest.mark.parametrize("resume", [False, True])
def test_a_run_reports_every_shard_of_every_scan_pass(corpus, tmp_path, resume):
    src = corpus(STORIES)
    # A step that needs the removals of one before it scans in a pass of its own.
    pipeline = Pipeline([StripBoilerplate(), SplitCaptions(), DedupeParagraphs()])
    passes = len(pipeline.scan_groups())
    assert passes >= 1
    scanned, cleaned = [], []
    out = tmp_path / "out"
    if resume:  # stop after the scans and a shard, then resume: saved scans count too

        class Stop(Exception):
            pass

        def stop(_: int) -> None:
            raise Stop

        with pytest.raises(Stop):
            run(src, out, pipeline, shard_size=3, progress=stop)
    run(
        src, out, pipeline, shard_size=3, resume=resume,
        progress=cleaned.append, scanned=scanned.append,
    )  # fmt: skip
    assert scanned == [3, 3, 1] * passes
    assert sum(cleaned) == 7


def test_the_cli_prints_progress_lines_when_not_on_a_terminal(corpus, tmp_path):
    src = corpus(MIXED)
    result = invoke("run", src, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    inputs = sum(1 for k in MIXED if not k.startswith(".") and not k.endswith(".json"))
    assert f"scanning: {inputs}/{inputs} inputs (100%)" in result.output
    assert f"cleaning: {inputs}/{inputs} inputs (100%)" in result.output
    quiet = invoke("run", src, "-o", tmp_path / "quiet", "-q")
    assert quiet.exit_code == 0 and "inputs" not in quiet.output
