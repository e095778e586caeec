"""Writer ``documents``: one JSON record per document in ``documents.jsonl``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from cleankit import hookimpl
from cleankit.formats import AtomicFile, Writer


class DocumentsJsonlWriter(Writer):
    """Write ``documents.jsonl``; it appears only when the run finishes."""

    name = "documents"
    outputs = ("documents.jsonl",)

    def __init__(self, out_dir: Path) -> None:
        super().__init__(out_dir)
        self._file = AtomicFile(out_dir / "documents.jsonl")

    def write(self, record: dict[str, Any]) -> None:
        self._file.file.write(orjson.dumps(record) + b"\n")

    def close(self) -> None:
        self._file.commit(sync=True)

    def abort(self) -> None:
        self._file.abort()


@hookimpl
def cleankit_register_writers(register):
    register(DocumentsJsonlWriter)
