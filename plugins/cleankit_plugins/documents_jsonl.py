"""Writer ``documents``: one JSON record per document in ``documents.jsonl``."""

from __future__ import annotations

from cleankit import hookimpl
from cleankit.formats import JsonLinesWriter


class DocumentsJsonlWriter(JsonLinesWriter):
    """Write ``documents.jsonl``; it appears only when the run finishes."""

    name = "documents"
    outputs = ("documents.jsonl",)


@hookimpl
def cleankit_register_writers(register):
    register(DocumentsJsonlWriter)
