"""Step ``fix_mojibake``: repair encoding damage with ftfy, recording every repaired span."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

import ftfy
from ftfy.badness import BADNESS_RE, is_bad

from cleankit import Document, Step, hookimpl, option

# Characters an ftfy fixer acts on even in otherwise clean text: C0/C1 controls and
# escapes, surrogates, and the invisible formatting characters remove_control_chars drops.
_ALWAYS_RISKY = "\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\u206a-\u206f\ufeff\ufff9-\ufffc"
_HTML_RISKY = "&"
# ftfy's badness heuristic only matches two non-ASCII characters side by side, or one of
# a few characters (Ã or Â before a space, Œ/œ, C1 controls). A line with neither cannot
# look bad, so the costly heuristic is skipped; a test keeps this true against ftfy.
# (Non-ASCII is written as a positive range: re scans for it several times faster.)
_NON_ASCII = "\x80-\U0010ffff"
_BAD_ALONE = "\u00c3\u00c2\u0152\u0153\u00b0\x80-\x9f"
MAY_LOOK_BAD = re.compile(f"[{_NON_ASCII}]{{2}}|[{_BAD_ALONE}]")


def _badness_width() -> int | None:
    """The longest text one match of ftfy's badness pattern can span, if it can be read."""
    try:
        from re import _parser as parser  # type: ignore[attr-defined]
    except ImportError:  # Python 3.10
        import sre_parse as parser  # type: ignore[no-redef]
    try:
        width = parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags).getwidth()[1]
    except Exception:  # private API: without it, search whole segments
        return None
    return width if width < 64 else None


_BADNESS_WIDTH = _badness_width()


def looks_bad(text: str) -> bool:
    """The same answer as ftfy's ``is_bad(text)``, found without searching all of ``text``.

    Every match of ftfy's badness pattern holds a place where :data:`MAY_LOOK_BAD`
    matches, and is at most ``_BADNESS_WIDTH`` characters long, so it lies within that
    width of a match ``finditer`` reports (which starts at that place or one before it).
    Searching those small windows is many times faster than searching a whole paragraph.
    """
    if _BADNESS_WIDTH is None:
        return bool(MAY_LOOK_BAD.search(text)) and is_bad(text)
    search, width = BADNESS_RE.search, _BADNESS_WIDTH
    for match in MAY_LOOK_BAD.finditer(text):
        at = match.start()
        # With pos > 0 ftfy's '^' cannot match inside a window, just as in a whole search.
        if search(text, max(0, at - width + 1), at + width + 1):
            return True
    return False


# Above this length a changed stretch is one edit instead of a character-by-character diff.
_MAX_DIFF = 200


@dataclass(frozen=True)
class FixMojibakeOptions:
    """Options of ``fix_mojibake`` (ftfy's, with conservative defaults for corpora).

    Only encoding damage is repaired by default: quotes stay curly, ligatures and
    full-width characters stay as written, and Unicode normalisation is left alone,
    because those change correct text and break alignment with other tools' offsets.
    """

    fix_encoding: bool = option(True, "repair UTF-8 decoded with the wrong single-byte codec")
    unescape_html: Literal["auto", "always", "never"] = option(
        "auto", "decode HTML entities such as &amp; ('auto': unless the text has '<')"
    )
    remove_terminal_escapes: bool = option(True, "remove ANSI terminal escape codes")
    restore_byte_a0: bool = option(True, "allow a space where a no-break byte was lost")
    replace_lossy_sequences: bool = option(True, "repair mojibake that lost some bytes")
    decode_inconsistent_utf8: bool = option(True, "repair mojibake mixed with good text")
    fix_c1_controls: bool = option(True, "read stray C1 controls as Windows-1252")
    fix_surrogates: bool = option(True, "join UTF-16 surrogate pairs")
    remove_control_chars: bool = option(True, "drop invisible control characters")
    uncurl_quotes: bool = option(False, "turn curly quotes into straight ones (changes text)")
    fix_latin_ligatures: bool = option(False, "expand ligatures such as 'ﬁ' (changes text)")
    fix_character_width: bool = option(False, "turn full-width Latin into normal width")
    fix_line_breaks: bool = option(False, "turn every kind of line break into '\\n'")
    normalization: Literal["NFC", "NFKC", "NFD", "NFKD"] | None = option(
        None, "Unicode normalisation form to apply (none by default)"
    )
    fast_path: bool = option(True, "skip lines no fixer can change (same output, faster)")


class FixMojibake(Step):
    """Repair mojibake and other Unicode damage with ftfy, line by line.

    Each changed stretch of a line becomes a ``replace`` edit labelled ``mojibake`` (or
    ``html_entity``, ``control_chars``, ``unicode``) whose reason is ftfy's explanation.
    The output text is exactly what ``ftfy.fix_text`` returns with the same settings.

    >>> FixMojibake().clean("The cafÃ© is open").text
    'The café is open'
    """

    name = "fix_mojibake"
    Options = FixMojibakeOptions
    default_order = 10

    def __init__(self, options: FixMojibakeOptions | None = None, **values) -> None:
        super().__init__(options, **values)
        o = self.options
        html = {"auto": "auto", "always": True, "never": False}[o.unescape_html]
        self.config = ftfy.TextFixerConfig(
            unescape_html=html,
            remove_terminal_escapes=o.remove_terminal_escapes,
            fix_encoding=o.fix_encoding,
            restore_byte_a0=o.restore_byte_a0,
            replace_lossy_sequences=o.replace_lossy_sequences,
            decode_inconsistent_utf8=o.decode_inconsistent_utf8,
            fix_c1_controls=o.fix_c1_controls,
            fix_latin_ligatures=o.fix_latin_ligatures,
            fix_character_width=o.fix_character_width,
            uncurl_quotes=o.uncurl_quotes,
            fix_line_breaks=o.fix_line_breaks,
            fix_surrogates=o.fix_surrogates,
            remove_control_chars=o.remove_control_chars,
            normalization=o.normalization,
            explain=True,
        )
        self._risky_ascii = self._risky_pattern(html_active=html is not False)
        self._risky_ascii_no_html = self._risky_pattern(html_active=False)
        # Anything that sends a segment to the exact check in unchanged().
        html_risky = _HTML_RISKY if html is not False else ""
        self._suspect = re.compile(f"[{_NON_ASCII}]{{2}}|[{_BAD_ALONE}{_ALWAYS_RISKY}{html_risky}]")
        # Options that change characters outside the risky set disable the fast path.
        self._fast = o.fast_path and not (
            o.uncurl_quotes
            or o.fix_latin_ligatures
            or o.fix_character_width
            or o.fix_line_breaks
            or o.normalization
        )

    def _risky_pattern(self, html_active: bool) -> re.Pattern[str]:
        return re.compile(f"[{_ALWAYS_RISKY}{_HTML_RISKY if html_active else ''}]")

    def unchanged(self, segment: str, html_active: bool) -> bool:
        """True when no fixer can change ``segment`` (so ftfy need not run on it)."""
        risky = self._risky_ascii if html_active else self._risky_ascii_no_html
        if risky.search(segment):
            return False
        # ftfy's encoding repair starts only on text its badness heuristic flags.
        if segment.isascii() or not self.options.fix_encoding:
            return True
        return not looks_bad(segment)

    def fix_segments(self, text: str) -> Iterator[tuple[int, str, str, list]]:
        """Yield ``(offset, segment, fixed, explanation)`` for each changed segment.

        Segments are split exactly as ``ftfy.fix_text`` splits them (at newlines, and
        every ``max_decode_length`` characters), with its rule that one segment holding
        '<' turns HTML unescaping off for the rest of the text.
        """
        segments = self._suspect_segments(text) if self._fast else self._all_segments(text)
        first_tag = text.find("<") if self.config.unescape_html == "auto" else -1
        for start, end in segments:
            config = self.config
            if first_tag != -1 and first_tag < end:  # a segment up to here held '<'
                config = config._replace(unescape_html=False)
            segment = text[start:end]
            if self._fast and self.unchanged(segment, config.unescape_html is not False):
                continue
            fixed, explanation = ftfy.fix_and_explain(segment, config)
            if fixed != segment:
                yield start, segment, fixed, list(explanation or [])

    def _all_segments(self, text: str) -> Iterator[tuple[int, int]]:
        pos, limit = 0, self.config.max_decode_length
        while pos < len(text):
            end = min(text.find("\n", pos) + 1 or len(text), pos + limit)
            yield pos, end
            pos = end

    def _suspect_segments(self, text: str) -> list[tuple[int, int]]:
        """The segments holding a character some fixer might act on, in text order.

        One regular-expression pass over the whole text finds them, so clean lines cost
        no Python work at all. Both ends of every match are marked, because a two-character
        match may straddle the boundary of two segments of an over-long line.
        """
        segments: list[tuple[int, int]] = []
        last_end = -1
        for match in self._suspect.finditer(text):
            for position in (match.start(), match.end() - 1):
                if position < last_end:
                    continue
                segment = self._segment_at(text, position)
                segments.append(segment)
                last_end = segment[1]
        return segments

    def _segment_at(self, text: str, position: int) -> tuple[int, int]:
        """The ftfy segment holding ``position``: its line, or a ``max_decode_length``
        piece of it when the line is longer than that."""
        limit = self.config.max_decode_length
        line_start = text.rfind("\n", 0, position) + 1
        line_end = text.find("\n", position) + 1 or len(text)
        start = line_start + (position - line_start) // limit * limit
        return start, min(start + limit, line_end)

    def apply(self, doc: Document) -> None:
        for offset, segment, fixed, explanation in self.fix_segments(doc.text):
            label, reason = _describe(explanation)
            for start, end, replacement in _diff(segment, fixed):
                doc.replace(offset + start, offset + end, replacement, label=label, reason=reason)


def _describe(explanation: list) -> tuple[str, str]:
    """A label and a readable reason from ftfy's explanation steps."""
    actions = [step for step, _ in explanation]
    if "decode" in actions or "transcode" in actions:
        label = "mojibake"
    elif any(fixer == "unescape_html" for _, fixer in explanation):
        label = "html_entity"
    elif any(
        fixer in ("remove_control_chars", "remove_terminal_escapes") for _, fixer in explanation
    ):
        label = "control_chars"
    else:
        label = "unicode"
    reason = ", ".join(f"{step} {detail}" for step, detail in explanation) or "ftfy"
    return label, reason


def _diff(old: str, new: str) -> list[tuple[int, int, str]]:
    """Small ``(start, end, replacement)`` edits turning ``old`` into ``new``.

    Encoding repairs change only non-ASCII stretches, so when both lines have the same
    ASCII runs the non-ASCII stretches between them are paired directly, in one pass.
    Other repairs (entities, control characters) fall back to matching token by token,
    then character by character inside the tokens that differ.
    """
    paired = _diff_between_ascii(old, new)
    if paired is not None:
        return paired
    old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
    old_starts = _starts(old_tokens)
    new_starts = _starts(new_tokens)
    edits: list[tuple[int, int, str]] = []
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        start, end = old_starts[i1], old_starts[i2]
        a, b = old[start:end], new[new_starts[j1] : new_starts[j2]]
        edits.extend((start + s, start + e, r) for s, e, r in _char_diff(a, b))
    return edits


_ASCII_RUN = re.compile(r"[\x00-\x7f]+")


def _diff_between_ascii(old: str, new: str) -> list[tuple[int, int, str]] | None:
    old_runs = list(_ASCII_RUN.finditer(old))
    new_runs = list(_ASCII_RUN.finditer(new))
    if [m.group() for m in old_runs] != [m.group() for m in new_runs]:
        return None
    edits: list[tuple[int, int, str]] = []
    old_pos = new_pos = 0
    for old_run, new_run in [*zip(old_runs, new_runs, strict=True), (None, None)]:
        old_end = old_run.start() if old_run else len(old)
        new_end = new_run.start() if new_run else len(new)
        a, b = old[old_pos:old_end], new[new_pos:new_end]
        if a != b:
            edits.extend((old_pos + s, old_pos + e, r) for s, e, r in _char_diff(a, b))
        if old_run and new_run:
            old_pos, new_pos = old_run.end(), new_run.end()
    return edits


# Words, runs of spaces, and single other characters: a repair rarely crosses a space.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def _starts(tokens: list[str]) -> list[int]:
    starts = [0]
    for token in tokens:
        starts.append(starts[-1] + len(token))
    return starts


def _char_diff(old: str, new: str) -> list[tuple[int, int, str]]:
    """Character-level edits between two short strings (one block when they are long)."""
    head = 0
    limit = min(len(old), len(new))
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    a, b = old[head : len(old) - tail], new[head : len(new) - tail]
    if len(a) + len(b) > _MAX_DIFF:
        return [(head, head + len(a), b)]
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return [
        (head + i1, head + i2, b[j1:j2])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


@hookimpl
def cleankit_register_steps(register):
    register(FixMojibake)
