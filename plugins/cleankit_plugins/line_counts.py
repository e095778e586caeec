"""A compact, bounded table counting in how many documents of a folder each line hash appears.

``strip_boilerplate``'s corpus scan counts, per folder, the documents each short non-prose
line occurs in (a line is keyed by an 8-byte hash). On a large corpus the table holds
millions of entries; as a ``Counter`` of ``(folder, bytes)`` tuples each entry cost about
150 bytes. Here each folder keeps its keys as a sorted ``uint64`` array beside a ``uint32``
array of counts, 12 bytes an entry. Keys not yet in the arrays wait in a small dict per
folder and are folded in in batches, so adding a document or merging a shard costs a
binary search per key, never a copy of the whole table.

The table behaves exactly as the plain counter it replaces: the same counts, and
:meth:`LineCounts.prune` forgets the same entries (``tests/test_line_counts.py`` checks both
against a ``Counter``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

_KEY = np.dtype("<u8")
_COUNT = np.dtype("<u4")
#: Keys are folded into the arrays once this many wait, or a quarter of the table if more:
#: a fold rewrites a folder's arrays, so batches keep its cost per key constant.
FOLD_AT = 65_536


class _Folder:
    """One folder's counts: sorted keys and their counts, and the keys added since."""

    __slots__ = ("counts", "keys", "pending")

    def __init__(self) -> None:
        self.keys = np.empty(0, _KEY)
        self.counts = np.empty(0, _COUNT)
        #: Keys (as ints) not in :attr:`keys`, with their counts.
        self.pending: dict[int, int] = {}

    def add(self, keys: np.ndarray, counts: np.ndarray | None) -> int:
        """Add ``counts`` (1 each when None) to distinct ``keys``; how many keys are new."""
        if len(self.keys):
            where = np.searchsorted(self.keys, keys)
            found = where < len(self.keys)
            found[found] = self.keys[where[found]] == keys[found]
            # The keys are distinct, so no index repeats and ``+=`` adds each count once.
            self.counts[where[found]] += 1 if counts is None else counts[found]
            missing = ~found
            keys = keys[missing]
            if counts is not None:
                counts = counts[missing]
        pending = self.pending
        before = len(pending)
        if counts is None:
            for key in keys.tolist():
                pending[key] = pending.get(key, 0) + 1
        else:
            for key, count in zip(keys.tolist(), counts.tolist(), strict=True):
                pending[key] = pending.get(key, 0) + count
        return len(pending) - before

    def fold(self) -> None:
        """Move the pending keys into the sorted arrays."""
        if not self.pending:
            return
        new_keys = np.fromiter(self.pending.keys(), _KEY, len(self.pending))
        new_counts = np.fromiter(self.pending.values(), _COUNT, len(self.pending))
        keys = np.concatenate([self.keys, new_keys])
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.counts = np.concatenate([self.counts, new_counts])[order]
        self.pending = {}

    def keep_above(self, floor: int) -> None:
        """Forget the keys counted in ``floor`` documents or fewer."""
        kept = self.counts > floor
        if not kept.all():
            self.keys = self.keys[kept]
            self.counts = self.counts[kept]
        if self.pending:
            self.pending = {k: n for k, n in self.pending.items() if n > floor}

    def __len__(self) -> int:
        return len(self.keys) + len(self.pending)


class LineCounts:
    """Per folder, in how many documents each 8-byte line key appears.

    >>> table = LineCounts()
    >>> table.add_document("news", {b"12345678", b"abcdefgh"})
    >>> table.add_document("news", {b"12345678"})
    >>> len(table), table.count("news", b"12345678"), table.count("news", b"zzzzzzzz")
    (2, 2, 0)
    >>> table.prune(1)  # over its bound: the keys seen once go
    >>> sorted(table.items())
    [('news', b'12345678', 2)]
    """

    def __init__(self) -> None:
        self._folders: dict[str, _Folder] = {}
        self._pending = 0  # keys waiting in the folders' dicts
        self._size = 0  # entries in all, sorted and pending

    def __getstate__(self) -> dict[str, Any]:
        self._fold()  # a state arrives folded: its arrays are what a merge searches
        return {"folders": self._folders, "size": self._size}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._folders = state["folders"]
        self._size = state["size"]
        self._pending = 0

    def __len__(self) -> int:
        return self._size

    def add_document(self, folder: str, keys: Iterable[bytes]) -> None:
        """Count one document of ``folder`` holding each of the distinct ``keys``."""
        packed = b"".join(keys)
        if packed:
            self._add(folder, np.frombuffer(packed, _KEY), None)

    def update(self, other: LineCounts) -> None:
        """Add ``other``'s counts to this table's (``other``'s own counts stay as they were;
        a state that arrived pickled is folded already)."""
        other._fold()
        for folder, table in other._folders.items():
            if len(table.keys):
                self._add(folder, table.keys, table.counts)

    def prune(self, max_entries: int) -> None:
        """While over ``max_entries``, forget the keys seen in the fewest documents: those
        seen once, then twice, and so on."""
        floor = 1
        while self._size > max_entries:
            for table in self._folders.values():
                table.keep_above(floor)
            self._pending = sum(len(t.pending) for t in self._folders.values())
            self._size = sum(len(t) for t in self._folders.values())
            floor += 1

    def count(self, folder: str, key: bytes) -> int:
        """In how many documents of ``folder`` the line with ``key`` appears."""
        table = self._folders.get(folder)
        if table is None:
            return 0
        needle = np.frombuffer(key, _KEY)  # an array, so no conversion of a large int
        pending = table.pending.get(int(needle[0]))
        if pending is not None:
            return pending
        where = int(np.searchsorted(table.keys, needle)[0])
        if where < len(table.keys) and table.keys[where] == needle[0]:
            return int(table.counts[where])
        return 0

    def keys_at_least(self, floors: dict[str, float]) -> dict[str, set[bytes]]:
        """Per folder of ``floors``, the keys seen in at least its floor of documents
        (folders with none left out)."""
        self._fold()
        chosen: dict[str, set[bytes]] = {}
        for folder, floor in floors.items():
            table = self._folders.get(folder)
            if table is None:
                continue
            raw = table.keys[table.counts.astype(np.float64) >= floor].tobytes()
            if raw:
                chosen[folder] = {raw[i : i + 8] for i in range(0, len(raw), 8)}
        return chosen

    def items(self) -> Iterator[tuple[str, bytes, int]]:
        """Every ``(folder, key, count)``, folder by folder, keys in ascending order."""
        self._fold()
        for folder, table in self._folders.items():
            raw = table.keys.tobytes()
            for i, count in enumerate(table.counts.tolist()):
                yield folder, raw[8 * i : 8 * i + 8], count

    def _add(self, folder: str, keys: np.ndarray, counts: np.ndarray | None) -> None:
        table = self._folders.get(folder)
        if table is None:
            table = self._folders[folder] = _Folder()
        new = table.add(keys, counts)
        self._pending += new
        self._size += new
        if self._pending > max(FOLD_AT, self._size // 4):
            self._fold()

    def _fold(self) -> None:
        for table in self._folders.values():
            table.fold()
        self._pending = 0
