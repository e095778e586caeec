"""Executors: results in input order, and a bounded number of shards in flight."""

from __future__ import annotations

import time

import pytest

from cleankit.executors import ProcessExecutor, SerialExecutor, make_executor


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
