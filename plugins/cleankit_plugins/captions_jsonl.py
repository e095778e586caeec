"""Writer ``captions``: every caption of the run in ``captions.jsonl``, one per line."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cleankit import hookimpl
from cleankit.formats import JsonLinesWriter


class CaptionsJsonlWriter(JsonLinesWriter):
    """Write ``captions.jsonl``: the caption records of each document, with its ``id``.

    Each line is ``{"id", "text", "credit", "date", "start", "end", "rule"}`` (and
    ``duration`` for a video title); ``start`` and ``end`` are offsets into the raw text
    of document ``id``. The file appears only when the run finishes.
    """

    name = "captions"
    outputs = ("captions.jsonl",)

    def lines(self, record: dict[str, Any]) -> Iterable[dict[str, Any]]:
        return ({"id": record["id"], **caption} for caption in record.get("captions") or ())


@hookimpl
def cleankit_register_writers(register):
    register(CaptionsJsonlWriter)
