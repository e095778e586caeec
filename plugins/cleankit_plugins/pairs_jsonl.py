"""Writer ``pairs``: the restored lines of the run as a parallel corpus, ``pairs.jsonl``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cleankit import hookimpl
from cleankit.formats import JsonLinesWriter

_FIELDS = ("line", "normalized", "original", "source", "origin", "start", "end", "score")


class PairsJsonlWriter(JsonLinesWriter):
    """Write ``pairs.jsonl``: one line per normalised line whose original was found.

    Each line is ``{"id", "line", "normalized", "original", "source", "origin", "start",
    "end", "score", "alignment"}``: the document ``id`` and line number of the normalised
    line, the original, and where it is (raw offsets into document ``source``). Lines
    without an original (only a candidate, or surface forms) are not pairs and are left
    out; they stay in the ``restored`` list of ``documents.jsonl``.
    """

    name = "pairs"
    outputs = ("pairs.jsonl",)

    def lines(self, record: dict[str, Any]) -> Iterable[dict[str, Any]]:
        for entry in record.get("restored") or ():
            if entry.get("original") is not None:
                yield {
                    "id": record["id"],
                    **{k: entry[k] for k in _FIELDS},
                    "alignment": entry["alignment"],
                }


@hookimpl
def cleankit_register_writers(register):
    register(PairsJsonlWriter)
