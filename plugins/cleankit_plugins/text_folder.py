"""Reader ``text``: a folder of text files (recursive), or a single file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

from cleankit import hookimpl
from cleankit.decoding import decode_bytes
from cleankit.document import Document
from cleankit.errors import InputError
from cleankit.formats import Reader, ReadFailure, Shard, item_path

DEFAULT_INCLUDE = ("*.txt", "*.text", "*.md")


def glob_match(rel: str, pattern: str) -> bool:
    """Match a relative POSIX path against a glob.

    A pattern without ``/`` matches the last part (a file or folder name) anywhere; one
    with ``/`` matches the whole path from the input folder, where ``**/`` at its start
    stands for any number of leading folders.
    """
    path = PurePosixPath(rel)
    if "/" not in pattern:
        return fnmatchcase(path.name, pattern)
    if pattern.startswith("**/"):
        rest = pattern[3:]
        return any(glob_match("/".join(path.parts[i:]), rest) for i in range(len(path.parts)))
    parts = PurePosixPath(pattern).parts
    return len(parts) == len(path.parts) and all(map(fnmatchcase, path.parts, parts))


class TextFolderReader(Reader):
    """Read every matching file under a folder, in sorted path order.

    :param include: globs a file must match (one of them); see :func:`glob_match`.
    :param exclude: globs that leave a file, or a whole folder, out.
    :param skip_hidden: leave out files and folders whose name starts with ``.``
        (``.git``, ``.DS_Store``, editor backups), whatever ``exclude`` says.
    """

    name = "text"

    def __init__(
        self,
        include: tuple[str, ...] = DEFAULT_INCLUDE,
        exclude: tuple[str, ...] = (),
        skip_hidden: bool = True,
    ) -> None:
        self.include = tuple(include)
        self.exclude = tuple(exclude)
        self.skip_hidden = skip_hidden

    def _excluded(self, rel: str) -> bool:
        if self.skip_hidden and rel.rsplit("/", 1)[-1].startswith("."):
            return True
        return any(glob_match(rel, p) for p in self.exclude)

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
            dirs[:] = sorted(d for d in dirs if not self._excluded(rel_root + d))
            for name in sorted(files):
                rel = rel_root + name
                if any(glob_match(rel, p) for p in self.include) and not self._excluded(rel):
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
        for rel in shard.items:
            source = item_path(shard.source, rel)
            try:
                with open(source, "rb") as file:
                    data = file.read()
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
