"""The compact line table counts and prunes exactly as a plain ``Counter`` does."""

from __future__ import annotations

import pickle
import tracemalloc
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleankit_plugins import line_counts
from cleankit_plugins.line_counts import LineCounts

FOLDERS = ("news", "sport", "a/b/c")
# A few distinct 8-byte keys, so documents share lines and counts go above one.
# Half of them have the top bit set, which no signed 64-bit integer holds.
KEYS = [bytes([i]) * 4 + bytes([255 - i, 0, i, 7 + 128 * (i % 2)]) for i in range(24)]


class PlainCounts:
    """The definition: a Counter of (folder, key), pruned by dropping the rarest."""

    def __init__(self) -> None:
        self.lines: Counter[tuple[str, bytes]] = Counter()

    def add_document(self, folder: str, keys: set[bytes]) -> None:
        self.lines.update((folder, key) for key in keys)

    def update(self, other: PlainCounts) -> None:
        self.lines.update(other.lines)

    def prune(self, max_entries: int) -> None:
        floor = 1
        while len(self.lines) > max_entries:
            self.lines = Counter({k: n for k, n in self.lines.items() if n > floor})
            floor += 1


def as_counter(table: LineCounts) -> Counter[tuple[str, bytes]]:
    return Counter({(folder, key): n for folder, key, n in table.items()})


documents = st.tuples(st.sampled_from(FOLDERS), st.sets(st.sampled_from(KEYS), max_size=8))
#: A shard: the documents scanned into its own table, merged into the corpus's.
shards = st.lists(st.lists(documents, max_size=6), min_size=1, max_size=6)


@pytest.fixture(autouse=True)
def small_folds(monkeypatch):
    # Fold after a handful of new keys, so the tests go through the sorted arrays too.
    monkeypatch.setattr(line_counts, "FOLD_AT", 3)


@settings(max_examples=300, deadline=None)
@given(shards=shards, bound=st.integers(1, 40), pickled=st.booleans())
def test_counts_and_prunes_like_a_counter(shards, bound, pickled):
    table, plain = LineCounts(), PlainCounts()
    for shard in shards:
        part, plain_part = LineCounts(), PlainCounts()
        for folder, keys in shard:
            part.add_document(folder, keys)
            part.prune(bound)
            plain_part.add_document(folder, keys)
            plain_part.prune(bound)
        if pickled:  # as a shard's state comes back from a worker
            part = pickle.loads(pickle.dumps(part))
        table.update(part)
        table.prune(bound)
        plain.update(plain_part)
        plain.prune(bound)
        assert len(table) == len(plain.lines)
    assert as_counter(table) == plain.lines
    for (folder, key), n in plain.lines.items():
        assert table.count(folder, key) == n


@settings(max_examples=100, deadline=None)
@given(docs=st.lists(documents, max_size=30), floor=st.floats(0, 12))
def test_keys_at_least_matches_the_counts(docs, floor):
    table, plain = LineCounts(), PlainCounts()
    for folder, keys in docs:
        table.add_document(folder, keys)
        plain.add_document(folder, keys)
    floors = {folder: floor for folder in FOLDERS}
    expected: dict[str, set[bytes]] = {}
    for (folder, key), n in plain.lines.items():
        if n >= floor:
            expected.setdefault(folder, set()).add(key)
    assert table.keys_at_least(floors) == expected


def test_unknown_folder_and_key_count_zero():
    table = LineCounts()
    table.add_document("news", {KEYS[0]})
    assert table.count("news", KEYS[1]) == 0
    assert table.count("sport", KEYS[0]) == 0
    assert table.keys_at_least({"sport": 1}) == {}


def test_a_document_without_keys_adds_nothing():
    table = LineCounts()
    table.add_document("news", set())
    assert len(table) == 0 and list(table.items()) == []


def test_holds_its_entries_in_a_fraction_of_a_counters_memory():
    keys = [i.to_bytes(8, "little") for i in range(20_000)]

    def traced(build):
        tracemalloc.start()
        kept = build()
        size = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        del kept
        return size

    def compact():
        table = LineCounts()
        for start in range(0, len(keys), 20):  # documents of 20 lines
            table.add_document("news", keys[start : start + 20])
        return pickle.loads(pickle.dumps(table))  # folded, as a merged state is

    def plain():
        table = PlainCounts()
        for start in range(0, len(keys), 20):
            table.add_document("news", set(keys[start : start + 20]))
        return table

    assert traced(compact) * 5 < traced(plain)
