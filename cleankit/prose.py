"""How much a line of text reads like article prose: features steps can share.

Article paragraphs are long, end in sentence punctuation and are full of function words
("the", "of", "and"); menus, teasers, buttons and footers are short, title-cased, and
have few function words. :func:`line_features` measures those traits for one line and
:func:`prose_score` folds them into one number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

# Common English function words. Their share separates running prose from lists of
# names and headlines (the idea behind stopword-density boilerplate detectors).
FUNCTION_WORDS = frozenset(
    """
    a about above after again against all also although am among an and another any are
    around as at be because been before being below between both but by can could did do
    does doing down during each either even ever every few for from further had has have
    having he her here hers herself him himself his how however i if in into is it its
    itself just last least less like many may me might more most much must my myself neither
    never no nor not now of off often on once one only or other our ours ourselves out over
    own per rather same several she should since so some such than that the their theirs
    them themselves then there these they this those though through to too toward towards
    under until up upon us very was we were what when where whether which while who whom
    whose why will with within without would yet you your yours yourself yourselves said
    says say told according
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_ASCII_DIGITS = "0123456789"
_SENTENCE_END = re.compile(r"""[.!?…]["'”’)\]]*$|[.!?]\s*\(.*\)$""")


@dataclass(frozen=True, slots=True)
class LineFeatures:
    """Measured traits of one line."""

    chars: int
    words: int
    function_share: float
    capitalised_share: float
    sentence_end: bool
    digits_share: float
    #: The line is one piece of a hard-wrapped paragraph that reads as prose as a whole.
    in_prose_paragraph: bool = False

    @property
    def prose_like(self) -> bool:
        """Reads like a sentence of running text (alone, or with its wrapped paragraph)."""
        return self.in_prose_paragraph or (
            self.words >= 8
            and self.function_share >= 0.2
            and (self.sentence_end or self.words >= 20)
        )


@lru_cache(maxsize=4096)
def line_features(line: str) -> LineFeatures:
    """Measure one line (surrounding spaces are ignored).

    Cached (a few thousand lines: one document's, with room to spare): several steps
    measure the same lines of a document in turn.
    """
    text = line.strip()
    words = _WORD.findall(text)
    n = len(words)
    if not n:
        return LineFeatures(len(text), 0, 0.0, 0.0, bool(_SENTENCE_END.search(text)), 0.0)
    # map() over C methods: this runs for every line of every document, several times.
    function = sum(map(FUNCTION_WORDS.__contains__, map(str.lower, words)))
    capitalised = sum(map(str.isupper, [w[0] for w in words]))
    # For ASCII, ten C-level counts instead of a call per character.
    ascii_text = text.isascii()
    digits = sum(map(text.count, _ASCII_DIGITS)) if ascii_text else sum(map(str.isdigit, text))
    return LineFeatures(
        chars=len(text),
        words=n,
        function_share=function / n,
        capitalised_share=capitalised / n,
        sentence_end=bool(_SENTENCE_END.search(text)),
        digits_share=digits / max(len(text), 1),
    )


# Lines that can be the first part of a hard-wrapped paragraph are about as long as the
# column it was wrapped at.
_WRAP_MIN, _WRAP_MAX = 50, 120
_ENDS_JOINED = re.compile(r"[,\-–—(]$")
# Words a sentence (or a headline) hardly ever ends with: a line ending in one breaks off.
_NEVER_LAST = frozenset(
    """
    the a an of to and or but nor for with from that which who whose his her their its our
    your my this these those than into onto by at as is was were are be been being has have
    had will would could should can may might must not when while if because
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


def _wraps_into(line: str, following: str) -> bool:
    """Whether ``following`` continues the sentence that ``line`` breaks off: ``line`` is
    about a column wide and stops mid-sentence, and ``following`` is as wide or ends the
    paragraph (a teaser headline over "2h ago" is not a wrapped sentence)."""
    if not _WRAP_MIN <= len(line) <= _WRAP_MAX or not following or _SENTENCE_END.search(line):
        return False
    if line.endswith((";", ":")):
        return False  # an item of a list, or a label
    if len(following) < _WRAP_MIN and not _SENTENCE_END.search(following):
        return False
    first = following[0]
    if first.islower() or first.isdigit() or _ENDS_JOINED.search(line):
        return True
    last = _WORD.findall(line[-20:])
    return bool(last) and last[-1].lower() in _NEVER_LAST


def wrap_width(lines: Sequence[str]) -> int | None:
    """The column a text was hard-wrapped at, or None when it was not.

    A wrapped text has many lines just short of one width (the last line of each
    paragraph is shorter); text from web pages has lines of every length.
    """
    widths = [len(line) for line in lines if len(line) >= _WRAP_MIN]
    if len(widths) < 4:
        return None
    widest = max(widths)
    if widest > _WRAP_MAX:
        return None
    near = sum(w >= widest - 15 for w in widths)
    content = sum(1 for line in lines if line)
    return widest if near >= 4 and near >= 0.4 * content else None


def paragraph_features(lines: Sequence[str]) -> list[LineFeatures]:
    """:func:`line_features` of every line of a text, seeing hard-wrapped paragraphs whole.

    Text pasted from e-mail or PDF breaks paragraphs at a fixed column, so no line ends
    like a sentence. Consecutive lines where one breaks off a sentence the next goes on
    with are joined, and so, in a text wrapped at a column (:func:`wrap_width`), is every
    line as wide as that column with the next. When the joined paragraph reads as prose
    and ends like a sentence, each of its lines is marked ``in_prose_paragraph`` (and so
    is ``prose_like``). Blank lines get features too (no words), so the result lines up
    with ``lines``.

    >>> text = ["The council said on Monday that the old bridge over the river would",
    ...         "be closed for a year of repairs, and that drivers would be sent",
    ...         "through the town centre."]
    >>> [f.prose_like for f in map(line_features, text)]
    [False, False, False]
    >>> [f.prose_like for f in paragraph_features(text)]
    [True, True, True]
    """
    features = [line_features(line) for line in lines]
    for index in wrapped_prose_lines(lines):
        features[index] = replace(features[index], in_prose_paragraph=True)
    return features


def wrapped_prose_lines(lines: Sequence[str]) -> set[int]:
    """Indexes of the lines that are pieces of a hard-wrapped paragraph of prose (see
    :func:`paragraph_features`); cheap when nothing is wrapped."""
    stripped = [line.strip() for line in lines]
    width = wrap_width(stripped)
    found: set[int] = set()
    start = 0
    for i in range(1, len(stripped) + 1):
        if i < len(stripped) and stripped[i]:
            previous = stripped[i - 1]
            # In a wrapped text a line as wide as the column always runs on.
            if (width and len(previous) >= width - 15) or _wraps_into(previous, stripped[i]):
                continue
        if i - start > 1:
            joined = line_features(" ".join(stripped[start:i]))
            if joined.prose_like and joined.sentence_end:
                found.update(range(start, i))
        start = i
    return found


def prose_score(f: LineFeatures) -> float:
    """A signed weight: positive for article-like lines (about their word count), negative
    for lines that look like page furniture."""
    if f.words == 0:
        return -1.0
    if f.prose_like:
        return float(min(f.words, 80))
    if f.words >= 5 and f.sentence_end and f.function_share >= 0.15:
        return f.words * 0.5  # a short sentence
    if f.words >= 12 and f.function_share >= 0.3:
        return f.words * 0.5  # a long sentence without final punctuation
    return -(1.0 + min(f.words, 12) * 0.25)


# An isolated prose line (no prose line next to it) keeps this share of its weight: teaser
# summaries and comments sit alone between headlines and dates; article paragraphs don't.
ISOLATED_WEIGHT = 0.3


def weigh_isolated(scores: list[float], prose: list[bool]) -> list[float]:
    """Scale down the score of each prose line whose neighbours are not prose."""
    out = []
    for i, score in enumerate(scores):
        lonely = (
            prose[i] and not (i > 0 and prose[i - 1]) and not (i + 1 < len(prose) and prose[i + 1])
        )
        out.append(score * ISOLATED_WEIGHT if lonely else score)
    return out


def best_stretch(scores: list[float]) -> tuple[int, int, float]:
    """The contiguous run of lines with the largest total score: ``(first, last, total)``.

    ``last < first`` (and total 0) when no line scores above zero.

    >>> best_stretch([-1.0, 5.0, -2.0, 4.0, -9.0, 3.0])
    (1, 3, 7.0)
    """
    best = (0, -1, 0.0)
    start, total = 0, 0.0
    for i, score in enumerate(scores):
        if total <= 0:
            start, total = i, 0.0
        total += score
        if total > best[2]:
            best = (start, i, total)
    return best


def article_stretch(
    features: list[LineFeatures], min_weight: float = 40.0
) -> tuple[int, int] | None:
    """Indexes ``(first, last)`` of the stretch of lines (given by their measured
    ``features``) that reads as the article, or None when no stretch carries
    ``min_weight`` of prose."""
    scores = weigh_isolated([prose_score(f) for f in features], [f.prose_like for f in features])
    first, last, weight = best_stretch(scores)
    return (first, last) if weight >= min_weight else None
