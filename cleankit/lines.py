"""Lines of a document's text, and removing whole lines without leaving gaps behind.

Steps that judge text line by line (boilerplate, duplicates, metadata, captions) use
:func:`split_lines` to get each line with its offsets, and :func:`delete_lines` to remove
some of them: the removal takes the line breaks with it, so that no run of blank lines or
trailing newline is left where the lines were, and paragraph breaks stay paragraph breaks.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from cleankit.document import Document


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the text: ``text[start:end]`` without its line break."""

    index: int
    start: int
    end: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def split_lines(text: str) -> list[Line]:
    """Every line of ``text`` (blank ones too), with offsets; ``\\n`` separates lines.

    >>> [(l.start, l.end, l.text) for l in split_lines("a\\n\\nbc")]
    [(0, 1, 'a'), (2, 2, ''), (3, 5, 'bc')]
    """
    lines = []
    start = 0
    for index, part in enumerate(text.split("\n")):
        end = start + len(part)
        lines.append(Line(index, start, end, part))
        start = end + 1
    return lines


@dataclass(frozen=True)
class Removal:
    """Why one line goes: the label and reason of its edit, and extra span data.

    With ``extract`` the line is kept aside (its text goes on the span) instead of
    simply deleted. A line that holds several things to remove (captions glued into one
    line) lists them in ``pieces``: ``(offset in the line where the piece starts, its
    removal)``, in order; the line then becomes one span per piece, and this removal
    stands for the line as a whole.
    """

    label: str
    reason: str
    data: Mapping[str, object] | None = None
    extract: bool = False
    pieces: tuple[tuple[int, Removal], ...] = ()


#: Characters of a piece of :func:`line_pieces`, at least (the rest of its last line is
#: added).
PIECE = 1 << 20


def line_pieces(text: str, size: int | None = None) -> Iterator[str]:
    """``text`` in pieces of whole lines, each of at least ``size`` characters (:data:`PIECE`
    by default) but the last, and without the line break that ends it: ``"\\n".join`` of the
    pieces is ``text``, and the lines of the pieces are its lines.

    A pass that copies the text (lower-casing, encoding, translating, splitting) can go a
    piece at a time, so that a long document is never copied whole several times over.

    >>> list(line_pieces("ab\\ncd\\nef\\n", 3))
    ['ab\\ncd', 'ef\\n']
    """
    size = PIECE if size is None else max(size, 0)
    start = 0
    while start + size < len(text):
        cut = text.find("\n", start + size)
        if cut < 0:
            break
        yield text[start:cut]
        start = cut + 1
    yield text[start:]


def delete_lines(doc: Document, lines: Sequence[Line], removals: Mapping[int, Removal]) -> None:
    """Delete the non-blank lines whose index is in ``removals``, each with its own reason.

    ``lines`` must come from :func:`split_lines` on ``doc.text`` as the step sees it. Each
    run of removed lines takes the blank lines on one side with it: the side whose
    paragraph break is smaller, so the break that remains between the kept neighbours is
    the larger of the two. At the ends of the text the surrounding line breaks go too.
    """
    content = [line for line in lines if not line.blank]
    position = {line.index: i for i, line in enumerate(content)}
    run: list[Line] = []
    for line in content:
        if line.index in removals:
            run.append(line)
            continue
        if run:
            _delete_run(doc, content, position, run, removals)
            run = []
    if run:
        _delete_run(doc, content, position, run, removals)


def _delete_run(
    doc: Document,
    content: list[Line],
    position: dict[int, int],
    run: list[Line],
    removals: Mapping[int, Removal],
) -> None:
    first, last = position[run[0].index], position[run[-1].index]
    before = content[first - 1] if first > 0 else None
    after = content[last + 1] if last + 1 < len(content) else None
    text = doc.text
    if after is None:
        start = before.end if before is not None else 0
        end = len(text)
    elif before is None:
        start, end = 0, after.start
    else:
        gap_before = text.count("\n", before.end, run[0].start)
        gap_after = text.count("\n", run[-1].end, after.start)
        if gap_after > gap_before:  # keep the larger break, the one after the run
            start, end = before.end, run[-1].end
        else:
            start, end = run[0].start, after.start
    # Split the range at line starts so every line keeps its own label and reason.
    cuts = [start] + [line.start for line in run[1:]] + [end]
    for line, lo, hi in zip(run, cuts, cuts[1:], strict=False):
        why = removals[line.index]
        if not why.pieces:
            _remove(doc, lo, hi, why)
            continue
        bounds = [lo] + [line.start + offset for offset, _ in why.pieces[1:]] + [hi]
        for (_, piece), a, b in zip(why.pieces, bounds, bounds[1:], strict=False):
            _remove(doc, a, b, piece)


def _remove(doc: Document, lo: int, hi: int, why: Removal) -> None:
    if hi > lo:
        data = dict(why.data or {})
        if why.extract:
            doc.extract(lo, hi, label=why.label, reason=why.reason, **data)
        else:
            doc.delete(lo, hi, label=why.label, reason=why.reason, **data)
