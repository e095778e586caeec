"""Step ``normalize_whitespace``: tidy spaces, line ends and blank lines, minimally."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cleankit import Document, Step, hookimpl, option

_NEWLINE = r"\r\n|\r|\n"
#: Unicode spaces: no-break, ogham, the typographic spaces U+2000-U+200A, narrow
#: no-break, medium mathematical and ideographic.
_UNICODE_SPACE_CHARS = (
    "\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
)
# Zero-width space, word joiner and a byte-order mark inside the text are invisible;
# the zero-width joiners (U+200C, U+200D) carry meaning in scripts and emoji, so stay.
_ZERO_WIDTH = "\u200b\u2060\ufeff"
_ZERO_WIDTH_SET = frozenset(_ZERO_WIDTH)


@dataclass(frozen=True)
class NormalizeWhitespaceOptions:
    """Options of ``normalize_whitespace``.

    Line ends always become ``\\n``. Each change is its own small edit, so that as much
    of the text as possible stays identical to the raw input in the alignment.
    """

    max_blank_lines: int = option(1, "blank lines kept between paragraphs (more are removed)")
    strip_lines: bool = option(True, "remove spaces at the start and end of every line")
    collapse_spaces: bool = option(True, "turn runs of spaces and tabs inside a line into one")
    unicode_spaces: bool = option(
        True, "treat no-break and other Unicode spaces as spaces; drop zero-width ones"
    )


class NormalizeWhitespace(Step):
    """Normalise line ends, spaces and blank lines; strip the document's ends.

    >>> NormalizeWhitespace().clean("  Title\\r\\n\\r\\n\\r\\nBody  text\\u00a0 here.\\n").text
    'Title\\n\\nBody text here.'
    """

    name = "normalize_whitespace"
    Options = NormalizeWhitespaceOptions
    default_order = 90

    def __init__(self, options: NormalizeWhitespaceOptions | None = None, **values) -> None:
        super().__init__(options, **values)
        if self.options.max_blank_lines < 0:
            from cleankit.errors import ConfigError

            raise ConfigError(
                f"step {self.name!r}: option 'max_blank_lines' must be 0 or more, "
                f"got {self.options.max_blank_lines}"
            )
        space = " \t\x0b\x0c" + (
            (_UNICODE_SPACE_CHARS + _ZERO_WIDTH) if self.options.unicode_spaces else ""
        )
        # Every change is inside a run of spaces and line breaks, and covers the whole
        # run: a run holding a line break is handled as one (the breaks, the spaces
        # around them, blank lines), a run of spaces alone is collapsed. Most runs need
        # nothing: a single plain space, or a paragraph break of the allowed size,
        # inside the text. Every other run holds one of these marks (or is at an edge of
        # the text), which str.find finds far faster than a regex visits every space.
        self._run_chars = frozenset(space + "\r\n")
        self._run = re.compile(f"[{space}\r\n]*")
        kept = self.options.max_blank_lines + 1
        self._marks = (*space[1:], "\r", "  ", " \n", "\n ", "\n" * (kept + 1))
        self._newline = re.compile(_NEWLINE)

    def apply(self, doc: Document) -> None:
        text = doc.text
        length = len(text)
        for start, end in self._runs(text):
            at_start, at_end = start == 0, end == length
            found = text[start:end]
            if "\n" in found or "\r" in found:
                self._line_break(doc, text, start, end, at_start, at_end)
            else:
                self._space_run(doc, text, start, end, at_start or at_end)

    def _runs(self, text: str) -> list[tuple[int, int]]:
        """The runs of spaces and line breaks that need a change, as (start, end), in
        order: those holding a mark, and those at the text's edges."""
        chars, run = self._run_chars, self._run.match
        runs: dict[int, int] = {}

        def run_start(i: int) -> int:  # where the run holding text[i] begins
            while i and text[i - 1] in chars:
                i -= 1
            return i

        for mark in self._marks:
            i = text.find(mark)
            while i >= 0:
                end = run(text, i).end()
                runs[run_start(i)] = end
                i = text.find(mark, max(end, i + 1))
        if text and text[0] in chars:
            runs[0] = run(text).end()
        if text and text[-1] in chars:
            runs[run_start(len(text) - 1)] = len(text)
        return sorted(runs.items())

    def _space_run(self, doc: Document, text: str, start: int, end: int, at_edge: bool) -> None:
        if at_edge:
            if self.options.strip_lines:
                doc.delete(start, end, label="whitespace", reason="space at the document's edge")
            return
        run = text[start:end]
        if not self.options.collapse_spaces:  # only make each odd character a plain space
            for i, char in enumerate(run, start):
                if char in _ZERO_WIDTH_SET:
                    doc.delete(i, i + 1, label="whitespace", reason="zero-width character")
                elif char != " ":
                    doc.replace(i, i + 1, " ", label="whitespace", reason="unusual space character")
        elif all(c in _ZERO_WIDTH_SET for c in run):
            doc.delete(start, end, label="whitespace", reason="zero-width character")
        elif " " in run:
            keep = start + run.index(" ")
            doc.delete(start, keep, label="whitespace", reason="repeated spaces")
            doc.delete(keep + 1, end, label="whitespace", reason="repeated spaces")
        else:
            doc.replace(start, end, " ", label="whitespace", reason="unusual space character")

    def _line_break(
        self, doc: Document, text: str, start: int, end: int, at_start: bool, at_end: bool
    ) -> None:
        keep_lines = 0 if (at_start or at_end) else self.options.max_blank_lines + 1
        strip = self.options.strip_lines
        pos = start
        kept = 0
        breaks = list(self._newline.finditer(text, start, end))
        for i, br in enumerate(breaks):
            b0, b1 = br.span()
            if b0 > pos:  # spaces before this break
                trailing = i == 0
                if strip or not trailing or kept >= keep_lines:
                    doc.delete(pos, b0, label="whitespace", reason="space at a line end")
            if kept < keep_lines:
                kept += 1
                if br.group() == "\r\n":
                    doc.delete(b0, b0 + 1, label="whitespace", reason="carriage return")
                elif br.group() == "\r":
                    doc.replace(b0, b1, "\n", label="whitespace", reason="carriage return")
            else:
                reason = (
                    "line break at the document's edge" if keep_lines == 0 else "extra blank line"
                )
                doc.delete(b0, b1, label="whitespace", reason=reason)
            pos = b1
        if end > pos and (strip or at_start or at_end):  # indentation of the next line
            doc.delete(pos, end, label="whitespace", reason="space at a line start")


@hookimpl
def cleankit_register_steps(register):
    register(NormalizeWhitespace)
