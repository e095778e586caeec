"""Writer ``text``: a mirror folder of clean ``.txt`` files, one per input file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from cleankit import hookimpl
from cleankit.formats import StagedFolder, Writer


def safe_relative_parts(doc_id: str) -> list[str]:
    """The names of a relative path for ``doc_id`` that cannot leave the mirror folder.

    >>> safe_relative_parts("../news/./2024//a.txt"), safe_relative_parts("/")
    (['news', '2024', 'a.txt'], ['_'])
    """
    # Split by hand: pathlib interns every name it parses, for the life of the process.
    parts = [p for p in doc_id.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    return parts or ["_"]


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
        self._made: set[str] = set()

    def write(self, record: dict[str, Any]) -> None:
        target = os.path.join(self._folder.staging, *safe_relative_parts(str(record["id"])))
        parent = os.path.dirname(target)
        if parent not in self._made:
            os.makedirs(parent, exist_ok=True)
            self._made.add(parent)
        with open(target, "wb") as file:
            file.write(record["text"].encode("utf-8"))

    def close(self) -> None:
        self._folder.commit()

    def abort(self) -> None:
        self._folder.abort()


@hookimpl
def cleankit_register_writers(register):
    register(TextMirrorWriter)
