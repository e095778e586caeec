"""The document: raw text that never changes, plus the edits steps have made to it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from cleankit.edits import (
    Edit,
    Pending,
    Segment,
    alignment,
    commit_edits,
    raw_mapper,
    segments,
    text_range_to_raw,
)
from cleankit.errors import EditError


@dataclass(frozen=True, slots=True)
class Annotation:
    """A labelled raw span that stays in the text (a heading, say)."""

    start: int
    end: int
    label: str
    step: str
    reason: str = ""
    data: dict[str, Any] | None = None

    def to_span(self) -> dict[str, Any]:
        """The annotation as a record ``span`` (kind ``label``)."""
        span: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "step": self.step,
            "kind": "label",
            "reason": self.reason,
        }
        if self.data:
            span.update(self.data)
        return span


@dataclass(slots=True)
class StepChange:
    """What one step did to one document: counts that add up into run statistics."""

    edits: int = 0
    chars_removed: Counter[str] = field(default_factory=Counter)
    chars_replaced: Counter[str] = field(default_factory=Counter)
    chars_inserted: int = 0

    @property
    def changed(self) -> bool:
        return self.edits > 0


class Document:
    """A text to clean: ``raw`` (never changes), the current ``text``, and its edits.

    Steps change a document only through :meth:`delete`, :meth:`replace`,
    :meth:`insert` and :meth:`extract`, with offsets into :attr:`text` as it stood when
    the step began; the edits take effect together when the step finishes. The
    document keeps one sorted, non-overlapping edit list against ``raw``, from which
    the text and the alignment follow.

    >>> doc = Document("Hello,  world")
    >>> with doc.editing("demo"):
    ...     doc.delete(6, 7, label="whitespace")
    >>> doc.text
    'Hello, world'
    >>> doc.alignment()
    [(0, 0, 6), (6, 7, 6)]
    """

    __slots__ = (
        "_annotations",
        "_edits",
        "_pending",
        "_pending_labels",
        "_raw_map",
        "_step",
        "_text",
        "captions",
        "id",
        "meta",
        "raw",
        "restored",
        "source",
    )

    def __init__(
        self,
        raw: str,
        id: str | None = None,
        source: str | None = None,
        meta: dict[str, Any] | None = None,
    ) -> None:
        if not isinstance(raw, str):
            raise TypeError(f"Document needs the decoded text as str, got {type(raw).__name__}")
        self.raw = raw
        self.id = id
        self.source = source
        self.meta: dict[str, Any] = dict(meta or {})
        self.captions: list[dict[str, Any]] = []
        self.restored: list[dict[str, Any]] = []
        self._edits: list[Edit] = []
        self._raw_map: tuple[list[Segment], list[int]] | None = None
        self._annotations: list[Annotation] = []
        self._text = raw
        self._step: str | None = None
        self._pending: list[Pending] = []
        self._pending_labels: list[tuple[int, int, str, str, dict[str, Any] | None]] = []

    # -- reading -------------------------------------------------------------------------

    @property
    def text(self) -> str:
        """The clean text: ``raw`` with every committed edit applied."""
        return self._text

    @property
    def edits(self) -> tuple[Edit, ...]:
        """The committed edits against ``raw``, sorted and non-overlapping."""
        return tuple(self._edits)

    @property
    def annotations(self) -> tuple[Annotation, ...]:
        """Labelled raw spans that did not remove anything."""
        return tuple(self._annotations)

    def alignment(self) -> list[tuple[int, int, int]]:
        """Identity pieces ``(text_start, raw_start, length)`` mapping clean text to raw."""
        return alignment(len(self.raw), self._edits)

    def spans(self) -> list[dict[str, Any]]:
        """Every removed, replaced, extracted or labelled raw span, ordered by offset."""
        out = [e.to_span() for e in self._edits] + [a.to_span() for a in self._annotations]
        out.sort(key=lambda s: (s["start"], s["end"]))
        return out

    def raw_range(self, start: int, end: int) -> tuple[int, int]:
        """The smallest raw range behind ``text[start:end]``."""
        if not 0 <= start <= end <= len(self._text):
            raise EditError(
                f"range [{start}, {end}) is outside the text (length {len(self._text)})"
            )
        if self._raw_map is None:  # built once per commit: steps map many ranges
            segs = segments(len(self.raw), self._edits)
            self._raw_map = (segs, [s.t0 for s in segs])
        segs, starts = self._raw_map
        return text_range_to_raw(segs, start, end, starts)

    # -- editing -------------------------------------------------------------------------

    @contextmanager
    def editing(self, step: str) -> Iterator[Document]:
        """Collect the edits made inside the block as step ``step``; apply them at the end."""
        self.begin(step)
        try:
            yield self
        except BaseException:
            self._reset_pending()
            raise
        self.commit()

    def begin(self, step: str) -> None:
        """Start collecting edits for ``step`` (pipelines call this; see :meth:`editing`)."""
        if self._step is not None:
            raise EditError(f"step {step!r} started while step {self._step!r} is still editing")
        self._step = step

    def commit(self) -> StepChange:
        """Apply the edits collected since :meth:`begin`; return what changed."""
        step = self._require_step()
        change = StepChange()
        try:
            if self._pending_labels:  # labels point into the text as the step saw it
                self._commit_labels(step)
            if self._pending:
                pending = self._pending
                self._edits, self._text = commit_edits(
                    self.raw, self._edits, self._text, pending, step
                )
                self._raw_map = None
                change.edits = len(pending)
                _count_changes(change, pending)
        finally:
            self._reset_pending()
        return change

    def delete(self, start: int, end: int, *, label: str, reason: str = "", **data: Any) -> None:
        """Remove ``text[start:end]``, labelled (``boilerplate``, ``whitespace``, ...).

        ``data`` is added to the span record (say, which paragraph a duplicate repeats).
        """
        self._add(start, end, "", "delete", label, reason, data or None)

    def replace(
        self, start: int, end: int, replacement: str, *, label: str, reason: str = ""
    ) -> None:
        """Replace ``text[start:end]`` with ``replacement`` (a repair, say)."""
        self._add(start, end, replacement, "replace", label, reason, None)

    def insert(self, position: int, text: str, *, label: str, reason: str = "") -> None:
        """Insert ``text`` at ``position``."""
        self._add(position, position, text, "replace", label, reason, None)

    def extract(self, start: int, end: int, *, label: str, reason: str = "", **data: Any) -> None:
        """Remove ``text[start:end]`` and keep it, with ``data``, on the span record."""
        payload = {"text": self._text[start:end], **data}
        self._add(start, end, "", "extract", label, reason, payload)

    def annotate(self, start: int, end: int, *, label: str, reason: str = "", **data: Any) -> None:
        """Label ``text[start:end]`` without removing it."""
        self._require_step()
        if not 0 <= start <= end <= len(self._text):
            raise EditError(
                f"label [{start}, {end}) is outside the text (length {len(self._text)})"
            )
        self._pending_labels.append((start, end, label, reason, data or None))

    # -- internals -----------------------------------------------------------------------

    def _add(
        self,
        start: int,
        end: int,
        replacement: str,
        kind: str,
        label: str,
        reason: str,
        data: dict[str, Any] | None,
    ) -> None:
        if self._step is None:
            self._require_step()
        if not isinstance(replacement, str):
            raise EditError(f"replacement must be str, got {type(replacement).__name__}")
        if start == end and not replacement:
            return  # an empty deletion changes nothing
        self._pending.append((start, end, replacement, kind, label, reason, data))

    def _require_step(self) -> str:
        if self._step is None:
            raise EditError(
                "edits must be made by a step: wrap them in `with doc.editing('my_step'):` "
                "or run them through a Step or Pipeline"
            )
        return self._step

    def _commit_labels(self, step: str) -> None:
        to_raw = raw_mapper(len(self.raw), self._edits)
        for start, end, label, reason, data in self._pending_labels:
            r0, r1 = to_raw(start, end)
            self._annotations.append(Annotation(r0, r1, label, step, reason, data))

    def _reset_pending(self) -> None:
        self._step = None
        self._pending = []
        self._pending_labels = []

    def __repr__(self) -> str:
        preview = self._text[:40] + ("…" if len(self._text) > 40 else "")
        return f"Document(id={self.id!r}, edits={len(self._edits)}, text={preview!r})"


def _count_changes(change: StepChange, pending: list[Pending]) -> None:
    """Add the characters each pending edit removes, replaces and inserts to ``change``."""
    removed: dict[str, int] = {}
    replaced: dict[str, int] = {}
    inserted = 0
    for start, end, replacement, _kind, label, _reason, _data in pending:
        if replacement:
            if end > start:
                replaced[label] = replaced.get(label, 0) + end - start
            inserted += len(replacement)
        else:
            removed[label] = removed.get(label, 0) + end - start
    if removed:
        change.chars_removed.update(removed)
    if replaced:
        change.chars_replaced.update(replaced)
    change.chars_inserted += inserted
