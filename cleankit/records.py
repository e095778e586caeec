"""The output record of a document, in the shape the project commits to."""

from __future__ import annotations

from typing import Any

from cleankit.document import Document


def to_record(doc: Document) -> dict[str, Any]:
    """``{id, source, text, meta, spans, alignment, captions, restored}`` for one document."""
    return {
        "id": doc.id,
        "source": doc.source,
        "text": doc.text,
        "meta": doc.meta,
        "spans": doc.spans(),
        "alignment": [list(piece) for piece in doc.alignment()],
        "captions": doc.captions,
        "restored": doc.restored,
    }
