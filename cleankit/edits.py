"""Edits against an unchanging raw string, and how a step's new edits compose with old ones.

A document's clean text is its raw text with one sorted, non-overlapping list of
:class:`Edit` applied. Steps never see raw offsets: they describe their changes against the
text as it stands when they run (:class:`PendingEdit`). :func:`compose` turns those into raw
edits, merging them with whatever earlier steps did, so that the edit list stays a single
non-overlapping list against ``raw`` and the alignment can always be derived from it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import starmap
from operator import itemgetter, le
from typing import Any

from cleankit.errors import EditError

#: The kinds of edit a step can make. ``extract`` removes text like ``delete`` but the
#: removed piece is kept as data of its own (a caption, say).
EDIT_KINDS = ("delete", "replace", "extract")
_KINDS = frozenset(EDIT_KINDS)
_END = float("inf")  # the text position of "no more earlier edits"

#: A pending edit as a document keeps it, the fields of :class:`PendingEdit` in order:
#: ``(start, end, replacement, kind, label, reason, data)``. Plain tuples, because a
#: step can make one edit per line of a long text.
Pending = tuple[int, int, str, str, str, str, "Mapping[str, Any] | None"]


@dataclass(frozen=True, slots=True)
class Edit:
    """One change to the raw text: ``raw[start:end]`` becomes ``replacement``.

    ``start == end`` is an insertion. ``absorbed`` holds earlier edits that this one
    overwrote (a repaired character inside a paragraph that a later step removed).
    """

    start: int
    end: int
    replacement: str
    kind: str
    step: str
    label: str
    reason: str = ""
    data: Mapping[str, Any] | None = None
    absorbed: tuple[Edit, ...] = ()

    def to_span(self) -> dict[str, Any]:
        """The edit as a record ``span``: raw offsets, step, label, kind and reason."""
        span: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "step": self.step,
            "kind": self.kind,
            "reason": self.reason,
        }
        if self.kind == "replace":
            span["replacement"] = self.replacement
        if self.data:
            span.update(self.data)
        return span


@dataclass(frozen=True, slots=True)
class PendingEdit:
    """A change a step asks for, in offsets of the text the step was given."""

    start: int
    end: int
    replacement: str
    kind: str
    label: str
    reason: str = ""
    data: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of the current text: either copied from raw or produced by an edit.

    Identity segments have ``edit is None`` and equal lengths in both strings; an edit's
    segment covers ``raw[r0:r1]`` and shows its replacement at ``text[t0:t1]`` (possibly
    empty). Segments tile both strings in order.
    """

    t0: int
    t1: int
    r0: int
    r1: int
    edit: Edit | None = None


@dataclass(slots=True)
class _Group:
    """New edits that must become one raw edit, because they share an earlier edit."""

    start: int
    end: int
    pending: list[PendingEdit] = field(default_factory=list)


def apply_edits(raw: str, edits: Sequence[Edit]) -> str:
    """Return ``raw`` with ``edits`` (sorted, non-overlapping) applied, in one pass."""
    parts: list[str] = []
    pos = 0
    for edit in edits:
        parts.append(raw[pos : edit.start])
        parts.append(edit.replacement)
        pos = edit.end
    parts.append(raw[pos:])
    return "".join(parts)


def segments(raw_length: int, edits: Sequence[Edit]) -> list[Segment]:
    """Split the current text into identity and edit segments, in order."""
    out: list[Segment] = []
    t = r = 0
    for edit in edits:
        if edit.start > r:
            n = edit.start - r
            out.append(Segment(t, t + n, r, edit.start))
            t += n
        n = len(edit.replacement)
        out.append(Segment(t, t + n, edit.start, edit.end, edit))
        t += n
        r = edit.end
    if r < raw_length:
        out.append(Segment(t, t + raw_length - r, r, raw_length))
    return out


def alignment(raw_length: int, edits: Sequence[Edit]) -> list[tuple[int, int, int]]:
    """Identity pieces ``(text_start, raw_start, length)``: ``text[t:t+n] == raw[r:r+n]``.

    (The identity segments of :func:`segments`, without making every segment.)
    """
    out = []
    t = r = 0
    for edit in edits:
        if edit.start > r:
            out.append((t, r, edit.start - r))
            t += edit.start - r
        t += len(edit.replacement)
        r = edit.end
    if r < raw_length:
        out.append((t, r, raw_length - r))
    return out


def _touches(seg: Segment, a: int, b: int) -> bool:
    """Whether an edit over text ``[a, b)`` must absorb the earlier edit behind ``seg``."""
    if a < b:
        if seg.t0 == seg.t1:  # an earlier deletion: absorbed only when strictly inside
            return a < seg.t0 < b
        return seg.t0 < b and seg.t1 > a
    if seg.t0 == seg.t1:  # an insertion exactly where something was deleted: merge them
        return seg.t0 == a
    return seg.t0 < a < seg.t1


def validate_pending(
    pending: Sequence[PendingEdit], text_length: int, step: str
) -> list[PendingEdit]:
    """Sort a step's edits and check that they are in range and do not overlap."""
    ordered = sorted(pending, key=lambda p: (p.start, p.end))
    prev: PendingEdit | None = None
    for p in ordered:
        if p.kind not in EDIT_KINDS:
            raise EditError(
                f"step {step!r}: unknown edit kind {p.kind!r}; expected one of {EDIT_KINDS}"
            )
        if not 0 <= p.start <= p.end <= text_length:
            raise EditError(
                f"step {step!r}: edit [{p.start}, {p.end}) is outside the text "
                f"(length {text_length}); offsets are into the text the step was given"
            )
        if prev is not None and p.start < prev.end:
            raise EditError(
                f"step {step!r}: edits [{prev.start}, {prev.end}) and [{p.start}, {p.end}) "
                "overlap; a step's edits must not overlap each other"
            )
        prev = p
    return ordered


def _group(
    pending: Sequence[PendingEdit], segs: Sequence[Segment], starts: list[int]
) -> list[_Group]:
    """Group new edits; each group's range grows to cover earlier edits it partly overlaps."""
    groups: list[_Group] = []
    for p in pending:
        a, b = p.start, p.end
        # The segments a change over [a, b) can touch start at or before b.
        i = max(bisect_right(starts, a) - 1, 0)  # the segment holding position a
        while i < len(segs) and segs[i].t0 <= b:
            seg = segs[i]
            if seg.edit is not None and seg.t0 != seg.t1 and _touches(seg, p.start, p.end):
                a, b = min(a, seg.t0), max(b, seg.t1)
            i += 1
        last = groups[-1] if groups else None
        same_point = last is not None and last.start == last.end == a == b
        if last is not None and (a < last.end or same_point):
            last.end = max(last.end, b)
            last.pending.append(p)
        else:
            groups.append(_Group(a, b, [p]))
    return groups


def _segment_of_char(segs: Sequence[Segment], starts: Sequence[int], q: int) -> Segment:
    """The non-empty segment holding text character ``q``."""
    return segs[bisect_right(starts, q) - 1]


def _raw_of_boundary(segs: Sequence[Segment], starts: Sequence[int], p: int) -> int:
    """Raw position of text boundary ``p``, where no earlier edit's output straddles ``p``."""
    if not segs:
        return 0
    seg = segs[max(bisect_right(starts, p) - 1, 0)]
    if p == seg.t0:
        return seg.r0
    if p < seg.t1:  # inside an identity segment
        return seg.r0 + (p - seg.t0)
    return seg.r1  # the end of the text


def compose(
    raw_length: int,
    edits: Sequence[Edit],
    text: str,
    pending: Sequence[PendingEdit],
    step: str,
) -> list[Edit]:
    """Merge a step's ``pending`` edits (against ``text``) into ``edits`` (against raw).

    Returns the new sorted, non-overlapping edit list. An earlier edit that the new ones
    overlap is absorbed into the new raw edit, whose replacement then keeps whatever part
    of the earlier output survives.
    """
    pending = validate_pending(pending, len(text), step)
    if not pending:
        return list(edits)
    segs = segments(raw_length, edits)
    starts = [s.t0 for s in segs]
    out: list[Edit] = []
    si, n = 0, len(segs)
    for group in _group(pending, segs, starts):
        a, b = group.start, group.end
        # Segments wholly before the group: earlier edits there keep their place.
        while si < n and segs[si].t1 <= a and not _touches(segs[si], a, b):
            if segs[si].edit is not None:
                out.append(segs[si].edit)  # type: ignore[arg-type]
            si += 1
        # Segments inside the group: identity text maps to raw, earlier edits are absorbed.
        absorbed: list[Edit] = []
        raw_start: int | None = None
        raw_end = 0
        while si < n:
            seg = segs[si]
            if seg.edit is not None:
                if not _touches(seg, a, b):
                    break
                absorbed.append(seg.edit)
                raw_start = seg.r0 if raw_start is None else raw_start
                raw_end = seg.r1
            else:
                lo, hi = max(a, seg.t0), min(b, seg.t1)
                if lo < hi:
                    raw_start = seg.r0 + (lo - seg.t0) if raw_start is None else raw_start
                    raw_end = seg.r0 + (hi - seg.t0)
                if seg.t1 > b:  # the identity text goes on past the group
                    break
            si += 1
        if raw_start is None:  # a pure insertion that touches no earlier edit
            raw_start = raw_end = _raw_of_boundary(segs, starts, a)
        out.append(_group_edit(group, text, raw_start, raw_end, step, absorbed))
    out.extend(seg.edit for seg in segs[si:] if seg.edit is not None)
    return out


def _group_edit(
    group: _Group, text: str, raw_start: int, raw_end: int, step: str, absorbed: list[Edit]
) -> Edit:
    """Build the raw edit for a group: the group's text with its new edits applied."""
    parts: list[str] = []
    pos = group.start
    for p in group.pending:
        parts.append(text[pos : p.start])
        parts.append(p.replacement)
        pos = p.end
    parts.append(text[pos : group.end])
    replacement = "".join(parts)
    # The largest of the step's edits speaks for the group (groups of several are rare).
    lead = max(group.pending, key=lambda p: p.end - p.start + len(p.replacement))
    kind = lead.kind
    if replacement and kind != "replace":
        kind = "replace"
    elif not replacement and kind == "replace":
        kind = "delete"  # a replacement by nothing removes text
    data = dict(lead.data) if lead.data else None
    return Edit(
        raw_start,
        raw_end,
        replacement,
        kind,
        step,
        lead.label,
        lead.reason,
        data,
        tuple(absorbed),
    )


def commit_edits(
    raw: str, edits: Sequence[Edit], text: str, pending: Sequence[Pending], step: str
) -> tuple[list[Edit], str]:
    """:func:`compose` for edits kept as :data:`Pending` tuples; also returns the new text.

    Most steps' edits touch no earlier edit (they change text no other step changed):
    then each new edit maps to raw by the length change of the earlier edits before it,
    in one pass over both lists, and the new text is the old one with the new edits
    applied. Otherwise the general composition runs.
    """
    ordered = _checked(pending, len(text), step)
    if not ordered:
        return list(edits), text
    merged = _merge(edits, text, ordered, step)
    if merged is not None:
        return merged
    new_edits = compose(len(raw), edits, text, list(starmap(PendingEdit, ordered)), step)
    return new_edits, apply_edits(raw, new_edits)


def _checked(pending: Sequence[Pending], text_length: int, step: str) -> Sequence[Pending]:
    """``pending`` sorted (left as it is when it already is), after the checks of
    :func:`validate_pending`, which runs to raise its error when one fails."""
    if not pending:
        return pending
    ranges = list(map(itemgetter(0, 1), pending))
    if not all(map(le, ranges, ranges[1:])):
        pending = sorted(pending, key=itemgetter(0, 1))
        ranges = sorted(ranges)
    starts, ends = list(map(itemgetter(0), ranges)), list(map(itemgetter(1), ranges))
    valid = (
        _KINDS.issuperset(map(itemgetter(3), pending))
        and starts[0] >= 0
        and max(ends) <= text_length
        and all(map(le, starts, ends))
        and all(map(le, ends, starts[1:]))
    )
    if not valid:
        validate_pending(list(starmap(PendingEdit, pending)), text_length, step)
    return pending


def _merge(
    edits: Sequence[Edit], text: str, pending: Sequence[Pending], step: str
) -> tuple[list[Edit], str] | None:
    """Compose sorted, valid ``pending`` edits that touch no earlier edit (in the sense
    of :func:`_touches`) with ``edits``; None when one does, or when insertions at one
    point have to become one edit."""
    out: list[Edit] = []
    parts: list[str] = []
    copied = 0  # text before this is in ``parts``
    point = -1  # where the previous new edit inserted text
    # The next earlier edit, ``edits[ei]``, covers text [t0, t1) (``size`` characters);
    # ``shift`` is text offset minus raw offset before it. Past the last, t0 = t1 = _END.
    ei, n_edits, shift = 0, len(edits), 0
    t0 = t1 = _END
    size = 1
    if n_edits:
        t0 = edits[0].start
        size = len(edits[0].replacement)
        t1 = t0 + size
    for a, b, replacement, kind, label, reason, data in pending:
        insertion = a == b
        if insertion:
            if a == point:
                return None
            point = a
        else:
            point = -1
        # Earlier edits wholly before this one keep their place (an insertion where an
        # earlier edit deleted text merges with it: not before).
        while t1 < a or (t1 == a and (size or not insertion)):
            edit = edits[ei]
            out.append(edit)
            shift += size - (edit.end - edit.start)
            ei += 1
            if ei < n_edits:
                edit = edits[ei]
                t0 = edit.start + shift
                size = len(edit.replacement)
                t1 = t0 + size
            else:
                t0 = t1 = _END
                size = 1
        # The next earlier edit: a change over [a, b) must not overlap its output (nor
        # hold an earlier deletion inside); an insertion must not fall inside its output,
        # nor where it deleted text.
        if ((t0 < a) if size else (t0 == a)) if insertion else t0 < b:
            return None
        if replacement:
            kind = "replace"
        elif kind == "replace":
            kind = "delete"  # a replacement by nothing removes text
        out.append(
            Edit(
                a - shift,
                b - shift,
                replacement,
                kind,
                step,
                label,
                reason,
                dict(data) if data else None,
            )
        )
        parts.append(text[copied:a])
        parts.append(replacement)
        copied = b
    out.extend(edits[ei:])
    parts.append(text[copied:])
    return out, "".join(parts)


def raw_mapper(raw_length: int, edits: Sequence[Edit]) -> Callable[[int, int], tuple[int, int]]:
    """``text_range_to_raw`` for many ranges of one text: the segments are found once, so
    each range costs a binary search, not a pass over every edit."""
    segs = segments(raw_length, edits)
    starts = [s.t0 for s in segs]

    def to_raw(a: int, b: int) -> tuple[int, int]:
        return text_range_to_raw(segs, a, b, starts)

    return to_raw


def text_range_to_raw(
    segs: Sequence[Segment], a: int, b: int, starts: Sequence[int] | None = None
) -> tuple[int, int]:
    """Smallest raw range whose current text covers ``text[a:b]`` (``starts``: the
    segments' text starts, when the caller maps many ranges; see :func:`raw_mapper`)."""
    if starts is None:
        starts = [s.t0 for s in segs]
    if a == b:
        seg = segs[max(bisect_right(starts, a) - 1, 0)] if segs else None
        if seg is not None and seg.edit is not None and seg.t0 < a < seg.t1:
            return seg.r0, seg.r1  # a point inside an edit's output: the edit's raw range
        pos = _raw_of_boundary(segs, starts, a)
        return pos, pos
    first = _segment_of_char(segs, starts, a)
    last = _segment_of_char(segs, starts, b - 1)
    start = first.r0 + (a - first.t0) if first.edit is None else first.r0
    end = last.r0 + (b - last.t0) if last.edit is None else last.r1
    return start, end
