"""Runs collect garbage less often while they clean, and leave the collector as it was."""

from __future__ import annotations

import gc

import pytest

import cleankit
from cleankit import Pipeline, Step
from cleankit.collector import YOUNG_THRESHOLD, fewer_collections


def test_thresholds_come_back_after_an_error():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections():
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD
        raise RuntimeError("a step failed")
    assert gc.get_threshold() == before


def test_higher_thresholds_of_the_caller_are_kept():
    before = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD * 2, 50, 10)
    try:
        with fewer_collections():
            assert gc.get_threshold() == (YOUNG_THRESHOLD * 2, 50, 10)
    finally:
        gc.set_threshold(*before)


class _Thresholds(Step):
    """Notes the collector's young threshold in its scan and as it cleans."""

    name = "note_thresholds"
    seen: list[tuple[str, int]] = []

    def new_scan_state(self):
        return None

    def scan(self, doc, state):
        self.seen.append(("scan", gc.get_threshold()[0]))
        return state

    def apply(self, doc):
        self.seen.append(("apply", gc.get_threshold()[0]))


def test_a_run_scans_and_cleans_with_fewer_collections_and_restores_them(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("The river rose overnight.\n", encoding="utf-8")
    before = gc.get_threshold()
    _Thresholds.seen = []
    cleankit.run(tmp_path / "in", tmp_path / "out", Pipeline([_Thresholds()]))
    assert _Thresholds.seen == [("scan", YOUNG_THRESHOLD), ("apply", YOUNG_THRESHOLD)]
    assert gc.get_threshold() == before
