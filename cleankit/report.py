"""Run statistics that add up across documents, shards and workers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from cleankit.document import StepChange


@dataclass
class StepStats:
    """What one step did over many documents."""

    documents: int = 0
    documents_changed: int = 0
    edits: int = 0
    chars_removed: Counter[str] = field(default_factory=Counter)
    chars_replaced: Counter[str] = field(default_factory=Counter)
    chars_inserted: int = 0
    errors: int = 0
    seconds: float = 0.0

    def add(self, change: StepChange, seconds: float) -> None:
        self.documents += 1
        self.documents_changed += change.changed
        self.edits += change.edits
        self.chars_removed.update(change.chars_removed)
        self.chars_replaced.update(change.chars_replaced)
        self.chars_inserted += change.chars_inserted
        self.seconds += seconds

    def __add__(self, other: StepStats) -> StepStats:
        return StepStats(
            self.documents + other.documents,
            self.documents_changed + other.documents_changed,
            self.edits + other.edits,
            self.chars_removed + other.chars_removed,
            self.chars_replaced + other.chars_replaced,
            self.chars_inserted + other.chars_inserted,
            self.errors + other.errors,
            self.seconds + other.seconds,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "documents_changed": self.documents_changed,
            "edits": self.edits,
            "chars_removed": dict(sorted(self.chars_removed.items())),
            "chars_replaced": dict(sorted(self.chars_replaced.items())),
            "chars_inserted": self.chars_inserted,
            "errors": self.errors,
            "seconds": round(self.seconds, 4),
        }


@dataclass
class RunStats:
    """Counts for a whole run (or one shard of it); shards merge with ``+``."""

    documents_read: int = 0
    documents_written: int = 0
    skipped: int = 0
    failed: int = 0
    chars_in: int = 0
    chars_out: int = 0
    bytes_in: int = 0
    steps: dict[str, StepStats] = field(default_factory=dict)

    def step(self, name: str) -> StepStats:
        if name not in self.steps:
            self.steps[name] = StepStats()
        return self.steps[name]

    def __add__(self, other: RunStats) -> RunStats:
        steps = dict(self.steps)
        for name, stats in other.steps.items():
            steps[name] = steps[name] + stats if name in steps else stats
        return RunStats(
            self.documents_read + other.documents_read,
            self.documents_written + other.documents_written,
            self.skipped + other.skipped,
            self.failed + other.failed,
            self.chars_in + other.chars_in,
            self.chars_out + other.chars_out,
            self.bytes_in + other.bytes_in,
            steps,
        )

    def to_dict(self, step_order: list[str]) -> dict[str, Any]:
        return {
            "documents": {
                "read": self.documents_read,
                "written": self.documents_written,
                "skipped": self.skipped,
                "failed": self.failed,
            },
            "bytes_in": self.bytes_in,
            "chars_in": self.chars_in,
            "chars_out": self.chars_out,
            "steps": {name: self.step(name).to_dict() for name in step_order},
        }
