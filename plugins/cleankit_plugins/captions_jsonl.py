"""Writer ``captions``: every caption of the run in ``captions.jsonl``, one per line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from cleankit import hookimpl
from cleankit.formats import AtomicFile, Writer


class CaptionsJsonlWriter(Writer):
    """Write ``captions.jsonl``: the caption records of each document, with its ``id``.

    Each line is ``{"id", "text", "credit", "date", "start", "end", "rule"}`` (and
    ``duration`` for a video title); ``start`` and ``end`` are offsets into the raw text
    of document ``id``. The file appears only when the run finishes.
    """

    name = "captions"
    outputs = ("captions.jsonl",)

    def __init__(self, out_dir: Path) -> None:
        super().__init__(out_dir)
        self._file = AtomicFile(out_dir / "captions.jsonl")

    def write(self, record: dict[str, Any]) -> None:
        for caption in record.get("captions") or ():
            self._file.file.write(orjson.dumps({"id": record["id"], **caption}) + b"\n")

    def close(self) -> None:
        self._file.commit(sync=True)

    def abort(self) -> None:
        self._file.abort()


@hookimpl
def cleankit_register_writers(register):
    register(CaptionsJsonlWriter)
