"""Recognising text that another pipeline already normalised (lower-cased, stripped of
punctuation and stopwords, lemmatised), so that it can be restored.

Running English has about two function words in five and a capital or a punctuation mark
every few words; normalised text has none of them. A line is judged on those traits, and
a document is normalised when nearly all of its longer lines are.
"""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass
from typing import NamedTuple

import regex

from cleankit.lines import line_pieces
from cleankit.prose import FUNCTION_WORDS

_WORD = regex.compile(r"[^\W_]+")
# Reporting verbs count as function words for prose, but normalised text keeps them.
_STOPWORDS = FUNCTION_WORDS - {"said", "says", "say", "told", "according"}
_MARKS = regex.compile(r"[^\p{Ll}\p{N}\s]")

# Lines are judged on their bytes, with translation tables that run in C without making
# a string per word or mark. In an ASCII line, words are runs of [a-z0-9] once
# lower-cased, and marks are the characters other than [a-z0-9] and whitespace (what
# ``str.isspace`` accepts, as the standard library's engine sees it).
_ASCII_WORD_CHARS = b"abcdefghijklmnopqrstuvwxyz0123456789"
_ASCII_WORDS_ONLY = bytes(c if c in _ASCII_WORD_CHARS else 32 for c in range(256))
_ASCII_NOT_MARKS = _ASCII_WORD_CHARS + bytes(c for c in range(128) if chr(c).isspace())
_ASCII_STOPWORDS = frozenset(w.encode("ascii") for w in _STOPWORDS if w.isascii())
# A line beyond ASCII is encoded with an ASCII stand-in for each other character that
# plays its part: "0" for a word character that is no mark (a lower-case letter), a
# capital that occurs in no stopword for one that is both (an upper-case letter), "?"
# for a mark between words, a space for a space. The stand-ins never make a stopword,
# and ``regex``'s whitespace (the marks' table below) leaves out U+001C-U+001F.
_UPPER_STAND_IN = next((c for c in "QZXJ" if not any(c.lower() in w for w in _STOPWORDS)), None)
_LINE_NOT_MARKS = _ASCII_WORD_CHARS + b" \t\n\x0b\x0c\r"
_SPACE_CHAR = regex.compile(r"\s")
_stand_ins: dict[str, str | None] = {}


class _NoStandIn(Exception):
    """A character the byte tables cannot stand for (``²``, say): use the patterns."""


def _stand_in(char: str) -> str | None:
    """The ASCII character that words and marks count as ``char`` (beyond ASCII)."""
    if char in _stand_ins:
        return _stand_ins[char]
    word, mark = bool(_WORD.match(char)), bool(_MARKS.match(char))
    if char.lower().isascii():
        found = None  # lower-casing makes it ASCII (the Kelvin sign): maybe a stopword
    elif word:
        found = _UPPER_STAND_IN if mark else "0"
    elif mark:
        found = "?"
    else:
        found = " " if _SPACE_CHAR.match(char) else None
    _stand_ins[char] = found
    return found


# Typeset punctuation that is a mark between words, as "?" is: most characters beyond
# ASCII in running text. Encoding with "?" for every character beyond ASCII and then
# correcting the few others (found by one search for what is not in this list) costs
# far less than a call per character.
_COMMON_MARKS = "".join(c for c in "‘’‚‛“”„‟–—―…•·′″«»‹›€£¥¢§¶©®™°×÷†‡‰¡¿" if _stand_in(c) == "?")
_NOT_COMMON_MARK = re.compile(f"[^\\x00-\\x7f{_COMMON_MARKS}]")


def _encode(text: str) -> bytes:
    """``text`` in ASCII, each character beyond it replaced by its stand-in; raises
    :class:`_NoStandIn` for a character that has none."""
    written = text.encode("ascii", "replace")  # one byte for each character
    fixed = None
    for match in _NOT_COMMON_MARK.finditer(text):
        found = _stand_in(match.group())
        if found is None:
            raise _NoStandIn(match.group())
        if fixed is None:
            fixed = bytearray(written)
        fixed[match.start()] = ord(found)
    return written if fixed is None else bytes(fixed)


def _counts(written: bytes, not_marks: bytes) -> tuple[list[bytes], int]:
    """The lower-cased words and the number of marks of a line encoded as ASCII."""
    words = written.lower().translate(_ASCII_WORDS_ONLY).split()
    return words, len(written.translate(None, not_marks))


#: Lines shorter than this say too little to judge.
MIN_WORDS = 6


class LineVerdict(NamedTuple):
    """How much one line looks normalised: ``confidence`` in [0, 1].

    (A named tuple: every line of every document gets one, twice.)
    """

    words: int
    function_share: float
    marks: int
    confidence: float

    @property
    def normalized(self) -> bool:
        return self.confidence >= 0.5


@dataclass(frozen=True)
class Detection:
    """The verdict on a whole text."""

    normalized: bool
    confidence: float
    lines: tuple[LineVerdict | None, ...]  #: None for lines too short to judge


def judge_line(line: str) -> LineVerdict | None:
    """The verdict on one line, or None when it has fewer than :data:`MIN_WORDS` words.

    >>> judge_line("iraqi force launch attack drive islamic state last territory").normalized
    True
    >>> judge_line("Iraqi forces launched an attack to drive out the last fighters.").normalized
    False
    """
    if line.isascii():  # most lines
        words, marks = _counts(line.encode("ascii"), _ASCII_NOT_MARKS)
        stopwords: frozenset = _ASCII_STOPWORDS
    else:
        try:
            if _UPPER_STAND_IN is None:
                raise _NoStandIn
            words, marks = _counts(_encode(line), _LINE_NOT_MARKS)
            stopwords = _ASCII_STOPWORDS
        except _NoStandIn:
            words = [w.lower() for w in _WORD.findall(line)]
            marks = len(_MARKS.findall(line))
            stopwords = _STOPWORDS
    if len(words) < MIN_WORDS:
        return None
    return _verdict(len(words), sum(map(stopwords.__contains__, words)), marks)


def _verdict(words: int, stopwords: int, marks: int) -> LineVerdict:
    """The verdict on a line of ``words`` words, ``stopwords`` of them function words, and
    ``marks`` capitals and punctuation marks."""
    function = stopwords / words
    # Every function word and every capital or punctuation mark is evidence against.
    confidence = max(0.0, 1.0 - function * 4.0) * max(0.0, 1.0 - marks / max(words, 1) * 2)
    return LineVerdict(words, round(function, 3), marks, round(confidence, 3))


# The whole-text tables keep line breaks, so that one pass of each serves every line.
_TEXT_WORDS_ONLY = _ASCII_WORDS_ONLY[:10] + b"\n" + _ASCII_WORDS_ONLY[11:]
_TEXT_NOT_MARKS = _LINE_NOT_MARKS.replace(b"\n", b"")
# ASCII lines count these as spaces and other lines as marks (``_LINE_NOT_MARKS`` leaves
# them out): a text holding one is judged line by line.
_SEPARATORS = ("\x1c", "\x1d", "\x1e", "\x1f")


def _judge_lines(text: str) -> tuple[LineVerdict | None, ...]:
    """:func:`judge_line` of every line of ``text``, with the counting done by C-level byte
    methods over a piece of lines at a time (a call per line is most of the cost)."""
    verdicts: list[LineVerdict | None] = []
    for piece in line_pieces(text):
        verdicts.extend(_judge_piece(piece))
    return tuple(verdicts)


def _judge_piece(text: str) -> list[LineVerdict | None]:
    """:func:`_judge_lines` of a piece of whole lines."""
    written = None
    if _UPPER_STAND_IN is not None and not any(map(text.__contains__, _SEPARATORS)):
        # A character only the patterns can count leaves ``written`` None.
        with suppress(_NoStandIn):
            written = text.encode("ascii") if text.isascii() else _encode(text)
    if written is None:
        return list(map(judge_line, text.split("\n")))
    by_line = map(bytes.split, written.lower().translate(_TEXT_WORDS_ONLY).split(b"\n"))
    marks = map(len, written.translate(None, _TEXT_NOT_MARKS).split(b"\n"))
    verdicts: list[LineVerdict | None] = []
    for words, line_marks in zip(by_line, marks, strict=True):
        if len(words) < MIN_WORDS:
            verdicts.append(None)
        else:
            stopwords = len(list(filter(_ASCII_STOPWORDS.__contains__, words)))
            verdicts.append(_verdict(len(words), stopwords, line_marks))
    return verdicts


def detect(text: str, min_lines: int = 2, min_share: float = 0.8) -> Detection:
    """Whether ``text`` is normalised: at least ``min_lines`` lines long enough to judge,
    and at least ``min_share`` of them normalised.

    >>> detect("iraqi force launch attack drive islamic state last territory hold\\n"
    ...        "separate assault across frontier aim deal final blow caliphate").normalized
    True
    >>> detect("The council met on Monday.\\nIt voted to close the bridge.").normalized
    False
    """
    verdicts = _judge_lines(text)
    judged = [v for v in verdicts if v is not None]
    if not judged:
        return Detection(False, 0.0, verdicts)
    words = sum(v.words for v in judged)
    confidence = sum(v.confidence * v.words for v in judged) / words
    share = sum(v.words for v in judged if v.normalized) / words
    normalized = len(judged) >= min_lines and share >= min_share
    return Detection(normalized, round(confidence, 3), verdicts)
