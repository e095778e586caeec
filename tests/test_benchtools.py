"""The helpers the benchmark scripts share (benchmarks/benchtools.py)."""

from __future__ import annotations

import sys
from array import array
from dataclasses import dataclass

import pytest
from conftest import load_benchmark


@pytest.fixture(scope="module")
def benchtools():
    return load_benchmark("benchtools")


def test_deep_size_counts_each_object_once(benchtools):
    word = "harbour" * 10
    shared = [word, word]
    alone = sys.getsizeof(shared) + sys.getsizeof(word)
    assert benchtools.deep_size(shared) == alone
    # Objects an earlier call counted are not counted again.
    seen: set[int] = set()
    benchtools.deep_size(word, seen)
    assert benchtools.deep_size(shared, seen) == sys.getsizeof(shared)


def test_deep_size_leaves_out_classes_and_functions(benchtools):
    assert benchtools.deep_size([len, int, sys]) == sys.getsizeof([len, int, sys])


@dataclass(slots=True)
class _Slotted:
    numbers: array
    names: list


class _Plain:
    def __init__(self) -> None:
        self.numbers = array("i", range(1000))
        self.names = ["a" * 100]


@pytest.mark.parametrize("state", [_Plain(), _Slotted(array("i", range(1000)), ["a" * 100])])
def test_held_by_measures_each_attribute(benchtools, state):
    held = benchtools.held_by(state)
    assert set(held) == {"numbers", "names"}
    assert held["numbers"] >= 4000  # the array's buffer is its own
    assert held["names"] > 100


def test_held_by_counts_what_two_attributes_share_once(benchtools):
    state = _Plain()
    state.names = state.numbers
    held = benchtools.held_by(state)
    assert held["names"] == 0
