"""Recognising text that another pipeline already normalised (lower-cased, stripped of
punctuation and stopwords, lemmatised), so that it can be restored.

Running English has about two function words in five and a capital or a punctuation mark
every few words; normalised text has none of them. A line is judged on those traits, and
a document is normalised when nearly all of its longer lines are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

import regex

from cleankit.prose import FUNCTION_WORDS

_WORD = regex.compile(r"[^\W_]+")
# Reporting verbs count as function words for prose, but normalised text keeps them.
_STOPWORDS = FUNCTION_WORDS - {"said", "says", "say", "told", "according"}
_MARKS = regex.compile(r"[^\p{Ll}\p{N}\s]")
# The same two patterns for ASCII lines.
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")
_ASCII_MARKS = re.compile(r"[^a-z0-9\s]")

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
    if line.isascii():  # most lines: the standard library's engine is faster
        words = _ASCII_WORD.findall(line.lower())
        if len(words) < MIN_WORDS:
            return None
        marks = len(_ASCII_MARKS.findall(line))
    else:
        words = _WORD.findall(line)
        if len(words) < MIN_WORDS:
            return None
        marks = len(_MARKS.findall(line))
        words = [w.lower() for w in words]
    function = sum(map(_STOPWORDS.__contains__, words)) / len(words)
    # Every function word and every capital or punctuation mark is evidence against.
    confidence = max(0.0, 1.0 - function * 4.0) * max(0.0, 1.0 - marks / max(len(words), 1) * 2)
    return LineVerdict(len(words), round(function, 3), marks, round(confidence, 3))


def detect(text: str, min_lines: int = 2, min_share: float = 0.8) -> Detection:
    """Whether ``text`` is normalised: at least ``min_lines`` lines long enough to judge,
    and at least ``min_share`` of them normalised.

    >>> detect("iraqi force launch attack drive islamic state last territory hold\\n"
    ...        "separate assault across frontier aim deal final blow caliphate").normalized
    True
    >>> detect("The council met on Monday.\\nIt voted to close the bridge.").normalized
    False
    """
    verdicts = tuple(judge_line(line) for line in text.split("\n"))
    judged = [v for v in verdicts if v is not None]
    if not judged:
        return Detection(False, 0.0, verdicts)
    words = sum(v.words for v in judged)
    confidence = sum(v.confidence * v.words for v in judged) / words
    share = sum(v.words for v in judged if v.normalized) / words
    normalized = len(judged) >= min_lines and share >= min_share
    return Detection(normalized, round(confidence, 3), verdicts)
