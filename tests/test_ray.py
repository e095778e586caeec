"""The Ray executor: shards as Ray tasks, with the same output bytes as the local executor.

One local Ray instance (2 CPUs) serves the whole module, since starting Ray takes seconds.
An executor starts it and stops it at the end; the executors under test find it running,
use it and leave it running.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, load_benchmark
from typer.testing import CliRunner

from cleankit import run
from cleankit.cli import app
from cleankit.executors import RayExecutor, make_executor

ray = pytest.importorskip(
    "ray", reason="Ray is not installed; pip install -e '.[test,ray]' (cleankit[ray]) to run these"
)

SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(scope="module", autouse=True)
def ray_instance():
    # Workers cannot import this test module: send its functions (slow_square) by value.
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    # Started the way `cleankit run --executor ray --workers 2` starts it, by an executor
    # that then owns it: closing that executor must stop it.
    owner = RayExecutor(workers=2)
    assert list(owner.map(slow_square, [3], 1)) == [9]
    assert ray.is_initialized()
    yield
    owner.close()
    assert not ray.is_initialized()
    ray.cloudpickle.unregister_pickle_by_value(sys.modules[__name__])


def slow_square(context, item):
    # Early items finish last, so completion order differs from input order.
    time.sleep(0.02 * (5 - item % 5))
    return context * item * item


def test_results_come_back_in_input_order():
    executor = RayExecutor(workers=2)
    assert list(executor.map(slow_square, range(12), 2)) == [2 * i * i for i in range(12)]


def test_items_are_taken_lazily():
    executor = RayExecutor(workers=2, window=3)
    taken = []

    def items():
        for i in range(100):
            taken.append(i)
            yield i

    results = executor.map(slow_square, items(), 1)
    assert next(results) == 0
    # Only the window (plus the one that filled it) has been read from the input.
    assert len(taken) <= 4
    results.close()


def test_workers_default_to_the_cpus_of_the_running_instance():
    assert RayExecutor().workers == 2
    assert make_executor(None, "ray", address="auto").workers == 2
    assert make_executor(None, "ray").workers == 1  # a local instance of one CPU, like --workers
    assert make_executor(None, "ray", "auto").address == "auto"


def outputs(folder: Path) -> dict[str, bytes]:
    """Every output file by relative path, report.json without what may differ."""
    files = {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
    report = json.loads(files.pop("report.json"))
    for name in ("seconds", "output", "workers", "executor"):
        del report[name]
    for step in report["steps"].values():
        del step["seconds"]
    for scan in report["scans"]:
        # The pickled size of a merged state depends on which of its equal strings are
        # one object, which the transport between processes decides.
        del scan["seconds"], scan["state_bytes"]
    files["report.json"] = json.dumps(report, sort_keys=True).encode()
    return files


def assert_same_output(local: Path, distributed: Path) -> None:
    expected, got = outputs(local), outputs(distributed)
    assert sorted(got) == sorted(expected)
    for name, content in expected.items():
        assert got[name] == content, f"{name} differs between the local and the Ray run"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """About 100 generated news documents, a folder per site, and their output from the
    local executor. Each site's repeated lines are template text: the merged scan states
    decide what is removed."""
    root = tmp_path_factory.mktemp("generated")
    load_benchmark("corpus").generate(root / "in", 100, seed=3, layout="section")
    run(root / "in", root / "local", shard_size=8)
    records = (root / "local" / "documents.jsonl").read_text(encoding="utf-8")
    assert "template line repeated across the corpus" in records
    return root / "in", root / "local"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seeds not beside the checkout")
def test_same_bytes_as_local_on_the_shared_seeds(tmp_path):
    local = run(SEEDS, tmp_path / "local", shard_size=2)
    distributed = run(SEEDS, tmp_path / "ray", shard_size=2, executor=RayExecutor(workers=2))
    assert distributed.report["shards"] == local.report["shards"] > 1
    assert_same_output(tmp_path / "local", tmp_path / "ray")


def test_same_bytes_as_local_on_a_generated_corpus(generated, tmp_path):
    source, local = generated
    result = run(source, tmp_path / "ray", shard_size=8, executor=RayExecutor(workers=2))
    assert result.ok and result.report["shards"] == 13
    assert result.report["documents"]["written"] == 100
    assert_same_output(local, tmp_path / "ray")


def test_cli_executor_ray(generated, tmp_path):
    source, local = generated
    out = tmp_path / "out"
    args = ["run", str(source), "-o", str(out), "-q", "--shard-size", "8"]
    result = CliRunner().invoke(app, [*args, "--executor", "ray", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert json.loads((out / "report.json").read_text())["workers"] == 2
    assert_same_output(local, out)
    # The executor found Ray running: it used that instance and left it running.
    assert ray.is_initialized()
