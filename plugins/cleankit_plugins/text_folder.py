"""Reader ``text``: a folder of text files (recursive), or a single file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from cleankit import hookimpl
from cleankit.decoding import decode_bytes
from cleankit.document import Document
from cleankit.errors import InputError
from cleankit.formats import Reader, ReadFailure, Shard

DEFAULT_INCLUDE = ("*.txt", "*.text", "*.md")
DEFAULT_EXCLUDE = (".*",)  # hidden files and folders (.git, .DS_Store, editor backups)


class TextFolderReader(Reader):
    """Read every matching file under a folder, in sorted path order.

    :param include: glob patterns a file's path must match (one of them); a pattern
        without ``/`` matches the file name, one with ``/`` the path from the input folder.
    :param exclude: glob patterns that leave a file (or, for a folder name, a whole
        folder) out; checked after ``include``.
    """

    name = "text"

    def __init__(
        self,
        include: tuple[str, ...] = DEFAULT_INCLUDE,
        exclude: tuple[str, ...] = DEFAULT_EXCLUDE,
    ) -> None:
        self.include = tuple(include)
        self.exclude = tuple(exclude)

    def _matches(self, rel: str, patterns: tuple[str, ...]) -> bool:
        path = PurePosixPath(rel)
        return any(path.match(p) for p in patterns)

    def paths(self, source: Path) -> Iterator[str]:
        """Relative paths of the files to read, sorted, as POSIX strings."""
        if source.is_file():
            yield source.name
            return
        if not source.is_dir():
            raise InputError(f"input {str(source)!r} does not exist; give a folder or a file")
        for root, dirs, files in os.walk(source):
            rel_root = os.path.relpath(root, source)
            rel_root = "" if rel_root == "." else rel_root.replace(os.sep, "/") + "/"
            dirs[:] = sorted(d for d in dirs if not self._matches(rel_root + d, self.exclude))
            for name in sorted(files):
                rel = rel_root + name
                if self._matches(rel, self.include) and not self._matches(rel, self.exclude):
                    yield rel

    def count(self, source: Path) -> int:
        return sum(1 for _ in self.paths(source))

    def shards(self, source: Path, shard_size: int) -> Iterator[Shard]:
        base = source.parent if source.is_file() else source
        batch: list[str] = []
        index = 0
        for rel in self.paths(source):
            batch.append(rel)
            if len(batch) >= shard_size:
                yield Shard(index, str(base), tuple(batch))
                index, batch = index + 1, []
        if batch:
            yield Shard(index, str(base), tuple(batch))

    def read(self, shard: Shard) -> Iterator[Document | ReadFailure]:
        base = Path(shard.source)
        for rel in shard.items:
            path = base / rel
            source = str(path)
            try:
                data = path.read_bytes()
            except OSError as exc:
                yield ReadFailure(rel, source, "error", f"cannot read: {exc.strerror or exc}")
                continue
            decoded = decode_bytes(data)
            if decoded.text is None:
                yield ReadFailure(rel, source, "skipped", decoded.skipped or "not text")
                continue
            meta = {"encoding": decoded.encoding, "bytes": len(data)}
            yield Document(decoded.text, id=rel, source=source, meta=meta)


@hookimpl
def cleankit_register_readers(register):
    register(TextFolderReader)
