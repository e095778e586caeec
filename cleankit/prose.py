"""How much a line of text reads like article prose: features steps can share.

Article paragraphs are long, end in sentence punctuation and are full of function words
("the", "of", "and"); menus, teasers, buttons and footers are short, title-cased, and
have few function words. :func:`line_features` measures those traits for one line and
:func:`prose_score` folds them into one number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
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
_CLOSERS = "\"'”’)]"
_ENDERS = (".", "!", "?", "…")

# Counting words on UTF-8 bytes: ``bytes.translate`` and ``bytes.split`` run in C at a
# few nanoseconds a character, several times faster than the word pattern. A word is a
# run of letters and digits (``[^\W_]``, which is exactly ``str.isalnum``), so every other
# ASCII byte becomes a space; apostrophes stay, to be judged by their neighbours; bytes
# of other characters stay too (the non-ASCII characters that are not letters or digits
# are replaced beforehand).
_ASCII_BYTES = bytes(range(128))
_WORD_BYTES = bytes(
    b if b >= 128 or b == ord("'") or chr(b).isalnum() else ord(" ") for b in range(256)
)
# Then one byte class per character: U for an ASCII capital, D for an ASCII digit.
_CLASS_BYTES = bytes(
    ord("x") if b >= 128 else ord("U") if chr(b).isupper() else ord("D") if chr(b).isdigit() else b
    for b in range(256)
)
_FUNCTION_BYTES = frozenset(word.encode("ascii") for word in FUNCTION_WORDS)


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
    if not text:
        return _BLANK
    n, function, capitalised, digits = _byte_counts(text) or _pattern_counts(text)
    if not n:
        return LineFeatures(len(text), 0, 0.0, 0.0, _ends_sentence(text), 0.0)
    return LineFeatures(
        len(text), n, function / n, capitalised / n, _ends_sentence(text), digits / len(text)
    )


_BLANK = LineFeatures(0, 0, 0.0, 0.0, False, 0.0)


def could_be_prose(text: str) -> bool:
    """False when the stripped line ``text`` surely is not ``prose_like`` by itself, told
    from its length and end alone: n words take at least 2n - 1 characters, so it is too
    short for eight words, or for twenty without ending like a sentence."""
    n = len(text)
    return n >= 15 and (n >= 39 or _ends_sentence(text))


def _ends_sentence(text: str) -> bool:
    """``_SENTENCE_END.search(text)``: the first branch is a test of the last characters;
    only a line ending in ")" can need the second."""
    if text.rstrip(_CLOSERS).endswith(_ENDERS):
        return True
    return text.endswith(")") and _SENTENCE_END.search(text) is not None


def _pattern_counts(text: str) -> tuple[int, int, int, int]:
    """Words, function words, capitalised words and digits of ``text``, by the word
    pattern (the definition :func:`_byte_counts` must agree with)."""
    words = _WORD.findall(text)
    if not words:
        return 0, 0, 0, 0
    function = sum(map(FUNCTION_WORDS.__contains__, map(str.lower, words)))
    capitalised = sum(map(str.isupper, [w[0] for w in words]))
    # For ASCII, ten C-level counts instead of a call per character.
    ascii_text = text.isascii()
    digits = sum(map(text.count, _ASCII_DIGITS)) if ascii_text else sum(map(str.isdigit, text))
    return len(words), function, capitalised, digits


def _byte_counts(text: str) -> tuple[int, int, int, int] | None:
    """What :func:`_pattern_counts` gives, counted on UTF-8 bytes; None when ``text`` has
    a character the byte counts cannot judge (see :func:`_beyond_ascii`)."""
    if text.isascii():
        raw = text.encode("ascii")
        beyond = None
    else:
        try:
            raw = text.encode()
        except UnicodeEncodeError:
            return None  # a lone surrogate
        beyond = _beyond_ascii(raw.translate(None, _ASCII_BYTES))
        if beyond is None:
            return None
        for old, new in beyond[0]:
            raw = raw.replace(old, new)
    spaced = raw.translate(_WORD_BYTES)
    if b"'" in spaced:
        spaced = _drop_loose_apostrophes(spaced)
    words = spaced.lower().split()
    if not words:
        return 0, 0, 0, 0
    function = sum(map(_FUNCTION_BYTES.__contains__, words))
    # A word starts after a space: count the capitals and digits there.
    classes = b" " + spaced.translate(_CLASS_BYTES)
    capitalised = classes.count(b" U")
    digits = classes.count(b"D")
    if beyond is not None:
        _, capitals, more_digits = beyond
        digits += more_digits
        if capitals:
            padded = b" " + spaced
            capitalised += sum(map(padded.count, capitals))
    return len(words), function, capitalised, digits


_Beyond = tuple[tuple[tuple[bytes, bytes], ...], tuple[bytes, ...], int]
_beyond_seen: dict[bytes, _Beyond | None] = {}


def _beyond_ascii(raw: bytes) -> _Beyond | None:
    """How the byte counts treat a line whose characters beyond ASCII are ``raw`` (their
    UTF-8 bytes, in order; lines share few such sets, so answers are kept): the
    replacements that make the characters that are not letters or digits spaces (or, for
    a typographic apostrophe, an apostrophe), the capitals among them (each as " " + its
    bytes, to count words they start) and the number of digits. None when a character
    lowercases to ASCII (the Kelvin sign to "k"): only the pattern judges those words."""
    if raw in _beyond_seen:
        return _beyond_seen[raw]
    chars = raw.decode()
    replace: list[tuple[bytes, bytes]] = []
    capitals: list[bytes] = []
    digits = 0
    answer: _Beyond | None = None
    for char in set(chars):
        kind = _char_kinds.get(char) or _char_kind(char)
        if kind == _TO_ASCII:
            break
        if kind == _CAPITAL:
            capitals.append(b" " + char.encode())
        elif kind == _DIGIT:
            digits += chars.count(char)
        elif kind != _LETTER:
            replace.append((char.encode(), kind))
    else:
        answer = tuple(replace), tuple(capitals), digits
    if len(_beyond_seen) >= 4096:
        _beyond_seen.clear()
    _beyond_seen[raw] = answer
    return answer


# What a character beyond ASCII is to the byte counts: part of words (a capital, a digit
# or another letter), punctuation (the bytes it becomes) or one that lowercases to ASCII.
_TO_ASCII, _CAPITAL, _DIGIT, _LETTER = b"A", b"C", b"D", b"L"
_char_kinds: dict[str, bytes] = {}


def _char_kind(char: str) -> bytes:
    if char.lower().encode("ascii", "ignore"):
        kind = _TO_ASCII
    elif not char.isalnum():
        kind = b"'" if char == "’" else b" "
    elif char.isdigit():
        kind = _DIGIT
    elif char.isupper():
        kind = _CAPITAL
    else:
        kind = _LETTER
    if len(_char_kinds) >= 65536:
        _char_kinds.clear()
    _char_kinds[char] = kind
    return kind


def _drop_loose_apostrophes(spaced: bytes) -> bytes:
    """Blank every apostrophe that does not stand between two word characters: only those
    join the parts of a word ("don't"); the others are punctuation."""
    spaced = b" " + spaced + b" "
    while b"''" in spaced:
        spaced = spaced.replace(b"''", b"  ")
    return spaced.replace(b" '", b"  ").replace(b"' ", b"  ")


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
    return _wrap_width(list(map(len, lines)))


def _wrap_width(lengths: list[int]) -> int | None:
    """:func:`wrap_width` of lines of these lengths."""
    widths = [n for n in lengths if n >= _WRAP_MIN]
    if len(widths) < 4:
        return None
    widest = max(widths)
    if widest > _WRAP_MAX:
        return None
    near = sum(w >= widest - 15 for w in widths)
    content = len(lengths) - lengths.count(0)
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
    features = list(map(line_features, lines))
    for index in _wrapped_prose(lines, features):
        f = features[index]
        features[index] = LineFeatures(
            f.chars, f.words, f.function_share, f.capitalised_share, f.sentence_end,
            f.digits_share, in_prose_paragraph=True,
        )  # fmt: skip
    return features


def wrapped_prose_lines(lines: Sequence[str]) -> set[int]:
    """Indexes of the lines that are pieces of a hard-wrapped paragraph of prose (see
    :func:`paragraph_features`); cheap when nothing is wrapped."""
    return _wrapped_prose(lines, None)


def _wrapped_prose(lines: Sequence[str], features: list[LineFeatures] | None) -> set[int]:
    """:func:`wrapped_prose_lines`, given the lines' features if they are measured already.

    A joined paragraph reads as prose when it ends like a sentence (which only its end
    decides), has eight words or more and a fifth of them are function words. The join
    puts a space between lines, so its words are those of its lines: with the lines'
    features at hand, the paragraph is never measured as one string.
    """
    stripped = list(map(str.strip, lines))
    found: set[int] = set()
    for start, end in _wrapped_runs(stripped):
        last = stripped[end - 1]
        if not _ends_sentence(last) and not (
            last.endswith(")") and _SENTENCE_END.search(" ".join(stripped[start:end]))
        ):
            continue
        if features is None:
            joined = " ".join(stripped[start:end])
            words, function, _, _ = _byte_counts(joined) or _pattern_counts(joined)
        else:
            run = features[start:end]
            words = sum(f.words for f in run)
            # The share was function / words of each line: multiplying back is exact.
            function = sum(round(f.function_share * f.words) for f in run)
        if words >= 8 and function / words >= 0.2:
            found.update(range(start, end))
    return found


def _wrapped_runs(stripped: list[str]) -> list[tuple[int, int]]:
    """``(start, end)`` of every run of two or more stripped lines that each go on into the
    next (see :func:`paragraph_features`)."""
    lengths = list(map(len, stripped))
    width = _wrap_width(lengths)
    runs: list[tuple[int, int]] = []
    for i in range(1, len(stripped)):
        length = lengths[i - 1]
        if not lengths[i]:
            continue
        # In a wrapped text a line as wide as the column always runs on.
        if (width and length >= width - 15) or (
            _WRAP_MIN <= length <= _WRAP_MAX and _wraps_into(stripped[i - 1], stripped[i])
        ):
            if runs and runs[-1][1] == i:
                runs[-1] = (runs[-1][0], i + 1)
            else:
                runs.append((i - 1, i + 1))
    return runs


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
