"""The part of a sentence index kept on disk, so that its memory stays flat however
large the corpus grows.

:class:`~cleankit_plugins.sentence_index.SentenceIndex` moves its sentences, documents
and postings here in batches. Sentences and documents are rows of fixed size appended
to flat files, and texts and sources are appended to blobs: reading one back is a
``pread`` at a computed offset. Postings go to SQLite, one row per key and batch, so that
a key's postings come back in batch order (which is ascending sentence order) without
ever rewriting what was written. Once the index is complete, :meth:`SentenceStore.gather`
copies them into one flat file, key by key, so that a lookup reads a key's postings in one
``pread`` rather than a row per batch.

Nothing is ever changed once written, so a count of what the files held is a consistent
snapshot of the store. That is what pickling saves: the folder and the counts, never the
data (a saved scan state points at its store, which ``cleankit run`` keeps in its work
folder, :mod:`cleankit.scratch`). A store whose files are gone or shorter than the counts
cannot be unpickled.
"""

from __future__ import annotations

import os
import sqlite3
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy

from cleankit.scratch import remove_with, scratch_folder

#: Columns of a sentence row: its document's number, start and end in the document's
#: indexed text, and start and end in the document's raw input.
SENTENCE_COLUMNS = 5
#: Columns of a document row: where its packed text and its source are in their blobs,
#: and the number of its origin in :attr:`SentenceStore.origin_names`.
DOCUMENT_COLUMNS = 5

_SENTENCES, _DOCUMENTS, _TEXTS, _SOURCES, _POSTINGS = (
    "sentences.i32",
    "documents.i64",
    "texts.bin",
    "sources.bin",
    "postings.sqlite",
)
_INT32, _INT64 = numpy.dtype("<i4"), numpy.dtype("<i8")
#: Keys whose counts a store keeps at hand, at most.
COUNTS_KEPT = 1 << 16


class SentenceStore:
    """Sentences, documents and postings written once to a scratch folder and read back
    by position."""

    def __init__(self) -> None:
        self.folder = scratch_folder("sentences")
        remove_with(self, self.folder)
        self.sentences = 0
        self.documents = 0
        self.texts_size = 0
        self.sources_size = 0
        #: Batches of postings written; a key has at most one row per batch.
        self.batches = 0
        #: Batches whose postings :meth:`gather` copied into one file, key by key.
        self.gathered = 0
        self.origin_names: list[str] = []
        self._pid = 0
        self._files: dict[str, int] = {}
        self._db: sqlite3.Connection | None = None
        #: This process's connection to where the gathered postings are.
        self._places: sqlite3.Connection | None = None
        self._counts: dict[str, int] = {}
        with self._connect() as db:
            db.execute(
                "CREATE TABLE postings (key TEXT, batch INTEGER, count INTEGER, ids BLOB, "
                "PRIMARY KEY (key, batch)) WITHOUT ROWID"
            )

    # -- writing -------------------------------------------------------------------------

    def append(
        self,
        rows: Sequence[array],
        documents: Iterable[tuple[str, str, bytes]],
        postings: dict[str, array],
    ) -> None:
        """Add sentences (``rows``: one array per column of :data:`SENTENCE_COLUMNS`),
        the documents they belong to (``(source, origin, packed text)``) and their
        postings (sentence numbers by key, ascending, all above those stored before)."""
        table = numpy.column_stack([numpy.frombuffer(c, dtype=numpy.intc) for c in rows])
        self._write(_SENTENCES, table.astype(_INT32).tobytes())
        self.sentences += len(table)
        described, texts, sources = [], [], []
        for source, origin, packed in documents:
            if origin not in self.origin_names:
                self.origin_names.append(origin)
            name = source.encode("utf-8", "surrogatepass")
            described.append(
                (
                    self.texts_size,
                    len(packed),
                    self.sources_size,
                    len(name),
                    self.origin_names.index(origin),
                )
            )
            texts.append(packed)
            sources.append(name)
            self.texts_size += len(packed)
            self.sources_size += len(name)
        self._write(_TEXTS, b"".join(texts))
        self._write(_SOURCES, b"".join(sources))
        if described:
            self._write(_DOCUMENTS, numpy.array(described, dtype=_INT64).tobytes())
            self.documents += len(described)
        batch = self.batches
        with self._connect() as db:
            db.executemany(
                "INSERT INTO postings VALUES (?, ?, ?, ?)",
                ((key, batch, len(ids), ids.tobytes()) for key, ids in sorted(postings.items())),
            )
        self.batches += 1
        self._counts.clear()

    def _write(self, name: str, data: bytes) -> None:
        fd = self._file(name)
        os.lseek(fd, 0, os.SEEK_END)
        _write_all(fd, data)

    def gather(self) -> None:
        """Copy the postings of every batch written so far into one file, each key's
        together in batch order, and look them up there from now on.

        A lookup then reads a key's postings in one ``pread`` instead of a row per
        batch (a large corpus makes dozens of batches). Later batches are still read
        from their rows. The copy is made once for a given number of batches and never
        changed, so a saved store that points at it stays valid.
        """
        batches = self.batches
        if batches == self.gathered:
            return
        if not (Path(self.folder) / _gathered_places(batches)).exists():
            self._write_gathered(batches)
        self.gathered = batches
        if self._places is not None and self._pid == os.getpid():
            self._places.close()
        self._places = None
        self._counts.clear()

    def _write_gathered(self, batches: int) -> None:
        folder = Path(self.folder)
        data = os.open(
            folder / _gathered_file(batches),
            os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0),
            0o600,
        )
        # Where each key's postings are goes to a database of its own, made under a
        # temporary name and renamed when whole: if it exists, the copy is complete
        # (a run killed halfway leaves only the temporary one, which is made again).
        places_path = folder / _gathered_places(batches)
        partial = places_path.with_name(places_path.name + ".partial")
        partial.unlink(missing_ok=True)
        places = sqlite3.connect(partial)
        try:
            places.execute("PRAGMA journal_mode = OFF")
            places.execute("PRAGMA synchronous = OFF")
            places.execute(
                "CREATE TABLE places (key TEXT PRIMARY KEY, offset INTEGER, size INTEGER) "
                "WITHOUT ROWID"
            )
            rows = self._connect().execute(
                "SELECT key, ids FROM postings WHERE batch < ? ORDER BY key, batch", (batches,)
            )
            written = 0

            def placed() -> Iterator[tuple[str, int, int]]:
                nonlocal written
                for key, key_rows in groupby(rows, itemgetter(0)):
                    ids = b"".join(part for _, part in key_rows)
                    _write_all(data, ids)
                    yield key, written, len(ids)
                    written += len(ids)

            # Keys come in order, so the table is built as it is read, a key at a time.
            places.executemany("INSERT INTO places VALUES (?, ?, ?)", placed())
            places.commit()
            os.fsync(data)
        finally:
            places.close()
            os.close(data)
        os.replace(partial, places_path)

    # -- reading -------------------------------------------------------------------------

    def rows(self, first: int, last: int) -> numpy.ndarray:
        """Sentence rows ``first`` to ``last`` (both included, stored ones only), as an
        array of shape ``(n, SENTENCE_COLUMNS)``."""
        width = SENTENCE_COLUMNS * _INT32.itemsize
        data = self._read(_SENTENCES, first * width, (last - first + 1) * width)
        return numpy.frombuffer(data, dtype=_INT32).reshape(-1, SENTENCE_COLUMNS)

    def document(self, number: int) -> tuple[str, str, bytes]:
        """``(source, origin, packed text)`` of stored document ``number``."""
        width = DOCUMENT_COLUMNS * _INT64.itemsize
        row = numpy.frombuffer(self._read(_DOCUMENTS, number * width, width), dtype=_INT64)
        text_at, text_size, source_at, source_size, origin = row.tolist()
        source = self._read(_SOURCES, source_at, source_size).decode("utf-8", "surrogatepass")
        return source, self.origin_names[origin], self._read(_TEXTS, text_at, text_size)

    def counts(self, keys: Iterable[str]) -> dict[str, int]:
        """How many stored sentences hold each of ``keys`` (0 for keys held by none)."""
        keys = list(keys)  # read twice below
        known = self._counts
        if len(known) > COUNTS_KEPT:
            known.clear()
        missing = [key for key in keys if key not in known]
        if missing:
            # The lines of a document share most of their words: each is counted once.
            known.update(dict.fromkeys(missing, 0))
            marks = ",".join("?" * len(missing))
            if self.gathered:
                for key, size in self._gathered_db().execute(
                    f"SELECT key, size FROM places WHERE key IN ({marks})", missing
                ):
                    known[key] += size // _INT32.itemsize
            if self.gathered < self.batches:
                for key, count in self._connect().execute(
                    f"SELECT key, SUM(count) FROM postings WHERE key IN ({marks}) "
                    "AND batch >= ? AND batch < ? GROUP BY key",
                    (*missing, self.gathered, self.batches),
                ):
                    known[key] += count
        return {key: known[key] for key in keys}

    def postings(self, key: str) -> list[numpy.ndarray]:
        """The stored postings of ``key``, batch by batch (so ascending)."""
        parts = []
        if self.gathered:
            place = (
                self._gathered_db()
                .execute("SELECT offset, size FROM places WHERE key = ?", (key,))
                .fetchone()
            )
            if place is not None:
                offset, size = place
                parts.append(self._read(_gathered_file(self.gathered), offset, size))
        if self.gathered < self.batches:
            parts.extend(
                ids
                for (ids,) in self._connect().execute(
                    "SELECT ids FROM postings WHERE key = ? AND batch >= ? AND batch < ? "
                    "ORDER BY batch",
                    (key, self.gathered, self.batches),
                )
            )
        return [numpy.frombuffer(ids, dtype=numpy.intc) for ids in parts]

    def _read(self, name: str, offset: int, size: int) -> bytes:
        data = _read_at(self._file(name), offset, size)
        if len(data) != size:
            raise OSError(f"sentence store {self.folder}: {name} is shorter than recorded")
        return data

    # -- files, per process --------------------------------------------------------------

    def _own(self) -> None:
        # Descriptors and connections are this process's own: a forked worker opens its
        # own (SQLite connections must not cross a fork).
        if self._pid != os.getpid():
            self._pid = os.getpid()
            self._files = {}
            self._db = self._places = None

    def _file(self, name: str) -> int:
        self._own()
        fd = self._files.get(name)
        if fd is None:
            flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0)  # no newline changes
            fd = os.open(self.folder / name, flags, 0o600)
            self._files[name] = fd
        return fd

    def _connect(self) -> sqlite3.Connection:
        self._own()
        if self._db is None:
            # Scratch data: a crash loses the run's scan, which resume then redoes.
            db = sqlite3.connect(self.folder / _POSTINGS, check_same_thread=False)
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            self._db = db
        return self._db

    def _gathered_db(self) -> sqlite3.Connection:
        self._own()
        if self._places is None:
            path = Path(self.folder) / _gathered_places(self.gathered)
            self._places = sqlite3.connect(path, check_same_thread=False)
        return self._places

    def close(self) -> None:
        """Close this process's files (they are opened again when next needed)."""
        if self._pid == os.getpid():
            for fd in self._files.values():
                os.close(fd)
            for db in (self._db, self._places):
                if db is not None:
                    db.close()
        self._files, self._db, self._places, self._pid = {}, None, None, 0

    def __del__(self) -> None:
        self.close()

    # -- pickling: the folder and the counts -----------------------------------------------

    def __getstate__(self) -> dict[str, Any]:
        return {
            name: getattr(self, name)
            for name in (
                "folder",
                "sentences",
                "documents",
                "texts_size",
                "sources_size",
                "batches",
                "gathered",
                "origin_names",
            )
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._pid, self._files, self._db, self._places, self._counts = 0, {}, None, None, {}
        sizes = {
            _SENTENCES: self.sentences * SENTENCE_COLUMNS * _INT32.itemsize,
            _DOCUMENTS: self.documents * DOCUMENT_COLUMNS * _INT64.itemsize,
            _TEXTS: self.texts_size,
            _SOURCES: self.sources_size,
        }
        for name, size in sizes.items():
            path = Path(self.folder) / name
            if (path.stat().st_size if path.exists() else 0) < size:
                raise FileNotFoundError(f"sentence store {self.folder}: {name} is missing data")
        if not (Path(self.folder) / _POSTINGS).exists():
            raise FileNotFoundError(f"sentence store {self.folder}: no postings")
        self.gathered = state.get("gathered", 0)  # stores saved before gathering had none
        if self.gathered and not all(
            (Path(self.folder) / name(self.gathered)).exists()
            for name in (_gathered_file, _gathered_places)
        ):
            raise FileNotFoundError(f"sentence store {self.folder}: gathered postings missing")


def _gathered_file(batches: int) -> str:
    return f"postings-{batches}.i32"


def _gathered_places(batches: int) -> str:
    return f"postings-{batches}.sqlite"


def _write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` at ``fd``'s position (a write may take only part of it)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _read_at(fd: int, offset: int, size: int) -> bytes:
    """Up to ``size`` bytes of ``fd`` from ``offset`` (fewer only at the end of the file)."""
    parts = []
    while size > 0:
        if hasattr(os, "pread"):
            part = os.pread(fd, size, offset)
        else:  # no pread (Windows); a store is read from one thread at a time
            os.lseek(fd, offset, os.SEEK_SET)
            part = os.read(fd, size)
        if not part:
            break
        parts.append(part)
        offset += len(part)
        size -= len(part)
    return b"".join(parts)
