"""Writer ``text``: a mirror folder of clean ``.txt`` files, one per input file."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

from cleankit import hookimpl
from cleankit.formats import StagedFolder, Writer


def safe_relative_path(doc_id: str) -> PurePosixPath:
    """A relative path for ``doc_id`` that cannot leave the mirror folder."""
    parts = [
        p for p in PurePosixPath(doc_id.replace("\\", "/")).parts if p not in ("", ".", "..", "/")
    ]
    return PurePosixPath(*parts) if parts else PurePosixPath("_")


class TextMirrorWriter(Writer):
    """Write each document's clean text, exactly, to ``text/<input path>``.

    The folder is filled under a hidden name and swapped in when the run finishes, so
    ``text/`` always holds one complete run.
    """

    name = "text"
    outputs = ("text",)

    def __init__(self, out_dir: Path) -> None:
        super().__init__(out_dir)
        self._folder = StagedFolder(out_dir / "text")
        #: Folders made so far: most files share one (the main process writes them all).
        self._made: set[Path] = set()

    def write(self, record: dict[str, Any]) -> None:
        target = self._folder.staging / safe_relative_path(str(record["id"]))
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)
        target.write_bytes(record["text"].encode("utf-8"))

    def close(self) -> None:
        self._folder.commit()

    def abort(self) -> None:
        self._folder.abort()


@hookimpl
def cleankit_register_writers(register):
    register(TextMirrorWriter)
