"""benchmarks/spy_summary.py sums py-spy's raw stacks by function."""

from __future__ import annotations

import pytest
from conftest import load_benchmark

RAW = """\
<module> (cleankit:8);run (/x/cleankit/runner.py:234);scan (/x/plugins/restore.py:160) 3
<module> (cleankit:8);run (/x/cleankit/runner.py:283);apply (/x/plugins/restore.py:270) 1
<module> (cleankit:8);import_all (/x/cleankit/plugins.py:20) 1
"""


@pytest.fixture(scope="module")
def spy_summary():
    return load_benchmark("spy_summary")


def test_stacks_are_summed_by_function_without_line_numbers(spy_summary):
    found = spy_summary.summarise(RAW.splitlines(), spy_summary.RUN)
    assert found["total"] == 5
    assert found["stack"]["run (runner.py)"] == 4  # two lines of one function
    assert found["own"] == {"scan (restore.py)": 3, "apply (restore.py)": 1,
                            "import_all (plugins.py)": 1}  # fmt: skip
    assert found["beneath_total"] == 4
    assert found["beneath"] == {"scan (restore.py)": 3, "apply (restore.py)": 1}


def test_the_command_prints_shares_and_refuses_an_empty_profile(spy_summary, tmp_path, capsys):
    profile = tmp_path / "run.txt"
    profile.write_text(RAW, encoding="utf-8")
    assert spy_summary.main([str(profile)]) == 0
    printed = capsys.readouterr().out
    assert "60.0%  scan (restore.py)" in printed and "(80.0%)" in printed
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    with pytest.raises(SystemExit):
        spy_summary.main([str(tmp_path / "empty.txt")])
    assert "holds no samples" in capsys.readouterr().err
