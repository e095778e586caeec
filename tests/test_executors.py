"""Executors: results in input order, a bounded number of shards in flight, and clear
errors for executors that cannot be used (the Ray executor itself: test_ray.py)."""

from __future__ import annotations

import socket
import sys
import time

import pytest
from typer.testing import CliRunner

from cleankit import run
from cleankit.checkpoint import WORK_DIR
from cleankit.cli import app
from cleankit.config import config_from_dict
from cleankit.errors import ConfigError, ExecutorError
from cleankit.executors import ProcessExecutor, SerialExecutor, _check_reachable, make_executor


def slow_square(context, item):
    # Early items finish last, so completion order differs from input order.
    time.sleep(0.02 * (5 - item % 5))
    return context * item * item


@pytest.mark.parametrize("executor", [SerialExecutor(), ProcessExecutor(2)])
def test_results_come_back_in_input_order(executor):
    assert list(executor.map(slow_square, range(12), 2)) == [2 * i * i for i in range(12)]


def test_items_are_taken_lazily():
    executor = ProcessExecutor(2, window=3)
    taken = []

    def items():
        for i in range(100):
            taken.append(i)
            yield i

    results = executor.map(slow_square, items(), 1)
    first = next(results)
    assert first == 0
    # Only the window (plus the one that filled it) has been read from the input.
    assert len(taken) <= 4
    results.close()


def test_make_executor():
    assert isinstance(make_executor(1), SerialExecutor)
    assert make_executor(3).workers == 3
    with pytest.raises(ValueError, match="workers"):
        make_executor(0)
    assert isinstance(make_executor(None), SerialExecutor)
    assert isinstance(make_executor(2, kind="local"), ProcessExecutor)


def test_unknown_executor():
    with pytest.raises(ConfigError, match="unknown executor: 'rey'; did you mean 'ray'"):
        make_executor(1, kind="rey")


def test_address_is_for_the_ray_executor_only():
    with pytest.raises(ConfigError, match="--executor ray"):
        make_executor(2, address="head:6379")


@pytest.fixture
def without_ray(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError


def test_ray_executor_without_ray_says_how_to_install_it(without_ray):
    with pytest.raises(ExecutorError, match=r"pip install 'cleankit\[ray\]'"):
        make_executor(2, kind="ray")


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_cli_executor_errors(without_ray, corpus, tmp_path):
    src = corpus({"a.txt": "A story."})
    out = tmp_path / "out"
    cases = [
        (["--executor", "ray"], "pip install 'cleankit[ray]'"),
        (["--address", "head:6379"], "only used by the ray executor; add --executor ray"),
        (["--executor", "dask"], "unknown executor: 'dask'"),
    ]
    for flags, message in cases:
        result = invoke("run", src, "-o", out, *flags)
        assert result.exit_code == 2, result.output
        assert message in " ".join(result.output.split())
        assert "Traceback" not in result.output
        assert not out.exists()  # refused before anything was written


def test_config_file_names_the_executor(tmp_path):
    config = config_from_dict({"executor": "ray", "address": "head:6379", "workers": 4})
    assert (config.executor, config.address, config.workers) == ("ray", "head:6379", 4)
    assert config.merged(executor="local", address=None).executor == "local"
    (tmp_path / "cleankit.toml").write_text('address = "head:6379"\n')
    src = tmp_path / "in"
    src.mkdir()
    result = invoke("run", src, "-o", tmp_path / "out", "-c", tmp_path / "cleankit.toml")
    assert result.exit_code == 2 and "--executor ray" in result.output


def test_a_cluster_address_where_nothing_listens_fails_at_once():
    # Ray itself would retry for minutes; the executor checks the port first.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # free once the socket is closed
    with pytest.raises(
        ExecutorError, match=f"cannot connect to the Ray cluster at '127.0.0.1:{port}'"
    ):
        _check_reachable(f"127.0.0.1:{port}", f"connect to the Ray cluster at '127.0.0.1:{port}'")
    _check_reachable("auto", "connect")  # left to Ray


class _Unreachable(SerialExecutor):
    """An executor whose cluster cannot be reached."""

    def start(self):
        raise ExecutorError("cannot connect to the cluster")


def test_an_executor_that_cannot_start_fails_the_run_before_anything_is_written(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("The council met on Monday to vote on the budget.\n")
    out = tmp_path / "out"
    with pytest.raises(ExecutorError, match="cannot connect"):
        run(src, out, executor=_Unreachable())
    assert not (out / WORK_DIR).exists()
    run(src, out)  # nothing to resume: the next run starts as usual
    assert (out / "report.json").exists()
