"""What ``cleankit run`` shows while it runs: the scan passes, then the cleaning.

On a terminal, a bar for each; anywhere else (a log file, a batch job's output), a plain
line now and then and when each phase ends, since bars that redraw themselves say nothing
in a file until the run is over.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

#: Seconds between two plain lines of one phase, at least.
LINE_EVERY = 30.0


class RunProgress:
    """Progress of one run over ``console``: ``scan_passes`` reads of the corpus for the
    scanning steps (0: none), then the cleaning.

    Call :meth:`start` once the input is known to be good (with the number of inputs, or
    None), then :meth:`scanned` and :meth:`cleaned` as shards finish, and :meth:`stop`.
    """

    def __init__(
        self,
        console: Console,
        scan_passes: int,
        *,
        every: float = LINE_EVERY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.console = console
        self.scan_passes = scan_passes
        self.every = every
        self.clock = clock
        self.bars = console.is_terminal
        self._total: int | None = None
        self._done = {"scanning": 0, "cleaning": 0}
        self._ended: set[str] = set()
        self._started = self._last_line = 0.0
        #: When each phase began: the scans at the start, the cleaning when they end.
        self._began: dict[str, float] = {}
        self._progress: Progress | None = None
        self._tasks: dict[str, int] = {}

    def start(self, count: int | None) -> None:
        """The run has begun, over ``count`` inputs (None: not known)."""
        self._total = count
        self._started = self._last_line = self.clock()
        self._began = dict.fromkeys(self._phases(), self._started)
        if not self.bars:
            return
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=self.console,
        )
        for position, phase in enumerate(self._phases()):
            # The cleaning's clock starts when the scans are over (see _advance).
            total = self._phase_total(phase)
            self._tasks[phase] = self._progress.add_task(phase, total=total, start=position == 0)
        self._progress.start()

    def scanned(self, inputs: int) -> None:
        """A shard of ``inputs`` inputs went through a scan pass."""
        self._advance("scanning", inputs)

    def cleaned(self, inputs: int) -> None:
        """A shard of ``inputs`` inputs is cleaned and written."""
        self._advance("cleaning", inputs)

    def stop(self) -> None:
        """The run is over (or failed): close the bars."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def _phases(self) -> list[str]:
        return ["scanning", "cleaning"] if self.scan_passes else ["cleaning"]

    def _phase_total(self, phase: str) -> int | None:
        if self._total is None:
            return None
        return self._total * self.scan_passes if phase == "scanning" else self._total

    def _advance(self, phase: str, inputs: int) -> None:
        self._done[phase] += inputs
        if self._progress is not None:
            if phase == "cleaning":  # the scans are over (a no-op once started)
                self._progress.start_task(self._tasks[phase])
            self._progress.advance(self._tasks[phase], inputs)
            if phase == "scanning" and self._done[phase] == self._phase_total(phase):
                self._progress.start_task(self._tasks["cleaning"])
            return
        now = self.clock()
        total = self._phase_total(phase)
        ended = total is not None and self._done[phase] >= total and phase not in self._ended
        if ended:
            self._ended.add(phase)
            if phase == "scanning":
                self._began["cleaning"] = now
        if ended or now - self._last_line >= self.every:
            self._last_line = now
            self.console.print(self._line(phase, total, now), highlight=False)

    def _line(self, phase: str, total: int | None, now: float) -> str:
        done = self._done[phase]
        elapsed = _clock_time(now - self._started)
        if total is None:
            return f"{phase}: {done:,} inputs, {elapsed}"
        share = done / total if total else 1.0
        passes = ""
        if phase == "scanning" and self.scan_passes > 1:
            passes = f" ({self.scan_passes} passes)"
        line = f"{phase}{passes}: {done:,}/{total:,} inputs ({share:.0%}), {elapsed}"
        if 0 < done < total:
            # At the phase's pace so far: shards are alike, so the rest goes as they went.
            left = (now - self._began[phase]) * (total - done) / done
            line += f", about {_clock_time(left)} left"
        return line


def _clock_time(seconds: float) -> str:
    """``seconds`` as ``h:mm:ss``.

    >>> _clock_time(3725.4)
    '1:02:05'
    """
    whole = round(seconds)
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"
