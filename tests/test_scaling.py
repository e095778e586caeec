"""benchmarks/scaling.py's scan check reports what the merged scan states hold."""

from __future__ import annotations

from conftest import REPO, load_benchmark


def test_the_scan_check_reports_what_the_states_hold():
    scaling = load_benchmark("scaling")
    row = scaling._scan_worker(str(REPO / "examples" / "sample"))
    held = row["state_mb"]
    for name in ("strip_boilerplate.lines", "restore_stopwords.index", "split_captions.words"):
        assert name in held
    assert all(size >= 0 for size in held.values())
    assert held["restore_stopwords.index"] > 0
    assert row["cache_entries"]["joined"] > 0
    assert row["state_pickled_mb"] > 0


def test_the_states_are_printed_side_by_side(capsys):
    scaling = load_benchmark("scaling")
    rows = [
        {
            "megabytes": 2.0,
            "state_mb": {"a.small": 0.01, "a.big": 1.5},
            "cache_entries": {"joined": 10},
        },
        {
            "megabytes": 20.0,
            "state_mb": {"a.small": 0.02, "a.big": 4.25},
            "cache_entries": {"joined": 70},
        },
    ]
    scaling._print_held(rows)
    printed = capsys.readouterr().out
    assert "2.0 MB -> 20.0 MB" in printed
    assert "a.big" in printed and "1.50 ->   4.25" in printed
    assert "a.small" not in printed  # under 0.05 MB at both sizes
    assert "10 ->     70" in printed
