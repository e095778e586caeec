"""Writer ``text``: a mirror folder of clean ``.txt`` files, one per input file."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

from cleankit import hookimpl
from cleankit.formats import Writer, write_atomic


def safe_relative_path(doc_id: str) -> PurePosixPath:
    """A relative path for ``doc_id`` that cannot leave the mirror folder."""
    parts = [
        p for p in PurePosixPath(doc_id.replace("\\", "/")).parts if p not in ("", ".", "..", "/")
    ]
    return PurePosixPath(*parts) if parts else PurePosixPath("_")


class TextMirrorWriter(Writer):
    """Write each document's clean text to ``text/<input path>``."""

    name = "text"

    def __init__(self, out_dir: Path) -> None:
        super().__init__(out_dir)
        self.root = out_dir / "text"

    def write(self, record: dict[str, Any]) -> None:
        target = self.root / safe_relative_path(str(record["id"]))
        write_atomic(target, record["text"].encode("utf-8"))


@hookimpl
def cleankit_register_writers(register):
    register(TextMirrorWriter)
