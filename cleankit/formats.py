"""Base classes for readers (input formats) and writers (output formats)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import orjson

from cleankit.document import Document


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# mkstemp makes owner-only files; output should get the permissions any new file gets.
_FILE_MODE = 0o666 & ~_current_umask()


@dataclass(frozen=True)
class Shard:
    """A unit of work: some input items, cleaned together by one worker.

    Shards depend only on the input and the shard size, never on the number of workers,
    so output is the same however many workers run.
    """

    index: int
    source: str
    items: tuple[str, ...]


def item_path(source: str, item: str) -> str:
    """The path of ``item`` (a relative path with ``/`` between names, none of them empty
    or ``.``, as the text reader names its items) under the folder ``source``, as
    :class:`~pathlib.Path` would write it.

    A string, not a ``Path``: pathlib interns every name it parses, for the life of the
    process, so a run over millions of files would keep all their names.

    >>> item_path("corpus/", "news/a.txt") == os.path.join("corpus", "news", "a.txt")
    True
    """
    return os.path.join(os.fspath(Path(source)), *item.split("/"))


@dataclass(frozen=True)
class ReadFailure:
    """An input item that could not become a document (binary, unreadable, ...)."""

    id: str
    source: str
    kind: str  # "skipped" (by design, e.g. binary) or "error" (something went wrong)
    reason: str

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "stage": "read",
            "kind": self.kind,
            "error": self.reason,
        }


class Reader:
    """Turns an input location into shards, and a shard into documents."""

    name: ClassVar[str] = ""

    def shards(self, source: Path, shard_size: int) -> Iterator[Shard]:
        """Split the input into shards of at most ``shard_size`` items, in a stable order."""
        raise NotImplementedError

    def count(self, source: Path) -> int | None:
        """How many items the input holds, if cheap to know (for the progress bar)."""
        return None

    def read(self, shard: Shard) -> Iterator[Document | ReadFailure]:
        """Yield one document (or failure) per item of ``shard``, in order."""
        raise NotImplementedError


class Writer:
    """Receives finished records in input order and writes them under ``out_dir``.

    Files must appear atomically: write to a temporary name and rename in :meth:`close`.
    """

    name: ClassVar[str] = ""
    #: Names (files or folders) this writer puts in the output folder. A later run that
    #: does not use the writer removes them, so one folder never mixes two runs.
    outputs: ClassVar[tuple[str, ...]] = ()

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir

    def write(self, record: dict[str, Any]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Finish writing and put the files in place."""

    def abort(self) -> None:
        """Drop anything half-written."""


class JsonLinesWriter(Writer):
    """A writer of one JSON-lines file, named by ``outputs[0]``, that appears only when the
    run finishes. :meth:`lines` turns a record into the objects written, one per line
    (by default the record itself)."""

    def __init__(self, out_dir: Path) -> None:
        super().__init__(out_dir)
        self._file = AtomicFile(out_dir / self.outputs[0])

    def lines(self, record: dict[str, Any]) -> Iterable[dict[str, Any]]:
        """The objects to write for ``record``."""
        return (record,)

    def write(self, record: dict[str, Any]) -> None:
        for line in self.lines(record):
            self._file.file.write(orjson.dumps(line) + b"\n")

    def close(self) -> None:
        self._file.commit(sync=True)

    def abort(self) -> None:
        self._file.abort()


class AtomicFile:
    """A file written under a temporary name and renamed into place on :meth:`commit`."""

    def __init__(self, path: Path, mode: str = "wb") -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
        self._tmp = Path(tmp)
        os.chmod(tmp, _FILE_MODE)
        self.file = os.fdopen(fd, mode)

    def commit(self, sync: bool = False) -> None:
        """Rename into place; ``sync`` also forces the bytes to disk first (slower)."""
        self.file.flush()
        if sync:
            os.fsync(self.file.fileno())
        self.file.close()
        os.replace(self._tmp, self.path)

    def abort(self) -> None:
        self.file.close()
        self._tmp.unlink(missing_ok=True)


class StagedFolder:
    """A folder filled under a hidden name and swapped into place on :meth:`commit`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.staging = path.with_name(f".{path.name}.partial")
        remove_path(self.staging)  # left by a run that was killed
        self.staging.mkdir(parents=True)

    def commit(self) -> None:
        old = self.path.with_name(f".{self.path.name}.old.partial")
        remove_path(old)
        if self.path.exists():
            os.replace(self.path, old)
        os.replace(self.staging, self.path)
        remove_path(old)

    def abort(self) -> None:
        remove_path(self.staging)


def remove_path(path: Path) -> None:
    """Remove a file or a folder tree if it exists."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that no reader ever sees a half-written file."""
    f = AtomicFile(path)
    try:
        f.file.write(data)
    except BaseException:
        f.abort()
        raise
    f.commit()
