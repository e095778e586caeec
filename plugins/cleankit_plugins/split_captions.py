"""Step ``split_captions``: take photo and video captions out of the prose, keep them as data.

Each caption found (see :mod:`cleankit_plugins.caption_shapes` for the shapes) is
extracted from the text as a span labelled ``caption`` whose reason names the rule that
found it, and becomes a record in ``doc.captions``: ``{text, credit, date, start, end,
rule}`` with raw offsets (``date`` as ISO 8601 when it parses; video titles also carry
their ``duration``). A line that is only a credit (``Image copyright Reuters``) joins the
caption next to it, or goes as a ``credit`` span when there is none.

The scan phase remembers the captions found across the corpus by fingerprints of their
words, so a paragraph that is a caption elsewhere (same or nearly the same words) is a
caption here too, even without a credit. It keeps their words as well, which rule most
paragraphs out before any hashing.
"""

from __future__ import annotations

import hashlib
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, islice
from typing import Any

import numpy
import regex

from cleankit import ConfigError, Document, Step, hookimpl, option
from cleankit.lines import Line, Removal, delete_lines, line_pieces, split_lines
from cleankit.plugins import get_registry
from cleankit.prose import FUNCTION_WORDS
from cleankit_plugins.caption_shapes import AGENCIES, CaptionFinder, Credit, Found

RULES = (
    "dated_caption",
    "caption_line",
    "credit_line",
    "credited_paragraph",
    "video_title",
    "known_caption",
)

# The kinds of fingerprint of a caption, in the order they are looked up.
_KINDS = (b"all", b"head", b"tail")


@dataclass(frozen=True)
class SplitCaptionsOptions:
    """Options of ``split_captions``."""

    extra_agencies: tuple[str, ...] = option((), "more agency names that credit a picture")
    disabled_rules: tuple[str, ...] = option((), "rules to switch off: " + ", ".join(RULES))
    max_words: int = option(80, "longer paragraphs are never captions (dated caption runs aside)")
    known_min_words: int = option(
        5, "content words a caption needs to be recognised elsewhere in the corpus"
    )
    known_max_entries: int = option(
        1_000_000, "bound on the corpus table of caption fingerprints (memory)"
    )


class CaptionWords:
    """The content words of the captions behind a table of fingerprints, in UTF-8: all
    of them (``words``), and each caption's first two and last two joined by a space
    (``heads``, ``tails``). A line none of whose fingerprints can be made of these words
    is no known caption, and needs no hashing."""

    def __init__(self) -> None:
        self.words: set[bytes] = set()
        self.heads: set[bytes] = set()
        self.tails: set[bytes] = set()

    def add(self, words: list[bytes]) -> None:
        self.words.update(words)
        self.heads.add(b" ".join(words[:2]))
        self.tails.add(b" ".join(words[-2:]))

    def update(self, other: CaptionWords) -> None:
        self.words |= other.words
        self.heads |= other.heads
        self.tails |= other.tails

    def __len__(self) -> int:
        return len(self.words) + len(self.heads) + len(self.tails)


#: Fingerprints a :class:`KnownCaptions` table keeps in a dict before it folds them into
#: its sorted arrays: a few per cent of a large table, so folding stays cheap.
FOLD_EVERY = 1 << 14


class KnownCaptions:
    """Scan state: fingerprints of captions seen in the corpus, each with its word count.

    Bounded by keeping the ``limit`` smallest fingerprints, which gives the same table
    whatever order shards are merged in; where a fingerprint is added twice, the later
    word count stands. The fingerprints are kept as a :class:`FingerprintTable` (12 bytes
    an entry), the latest ones in a dict (``recent``) until :data:`FOLD_EVERY` of them
    are folded in. ``words`` holds the captions' words (for a quick test of a line before
    hashing it); it is dropped (None) when it grows past ``limit`` or when fingerprints
    come without their words.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.table = FingerprintTable({})
        self.recent: dict[int, int] = {}
        self.words: CaptionWords | None = CaptionWords()

    def __setstate__(self, state: dict[str, Any]) -> None:
        # A table saved by an older version holds one dict of fingerprints, and the
        # oldest no words.
        if "fingerprints" in state:
            state["table"] = FingerprintTable(state.pop("fingerprints"))
            state["recent"] = {}
        state.setdefault("words", None)
        self.__dict__.update(state)

    @property
    def fingerprints(self) -> dict[int, int]:
        """Every fingerprint in the table with its word count, as a new dict."""
        return dict(self.fingerprint_table().items())

    def fingerprint_table(self) -> FingerprintTable:
        """The whole table, for lookups."""
        self._fold()
        return self.table

    def add(self, fingerprints: dict[int, int], words: list[bytes] | None = None) -> None:
        """Add one caption's fingerprints, with ``words``, its content words in UTF-8."""
        if fingerprints and self.words is not None:
            if words is None:
                self.words = None  # a test on the words would miss this caption
            else:
                self.words.add(words)
        self._add(fingerprints)

    def merge(self, other: KnownCaptions) -> None:
        """Add the captions of another table (taken as later than these)."""
        theirs = other.words
        if theirs is None and (other.table or other.recent):
            self.words = None
        elif self.words is not None and theirs is not None:
            self.words.update(theirs)
        if other.table:
            self._fold()
            self.table = self.table.updated(other.table, self.limit)
        self._add(other.recent)

    def _add(self, fingerprints: dict[int, int]) -> None:
        if self.words is not None and len(self.words) > self.limit:
            self.words = None
        self.recent.update(fingerprints)
        if len(self.recent) >= min(FOLD_EVERY, self.limit):
            self._fold()

    def _fold(self) -> None:
        if self.recent:
            self.table = self.table.updated(FingerprintTable(self.recent), self.limit)
            self.recent = {}


class FingerprintTable:
    """The known captions' fingerprints, for looking them up while cleaning: two sorted
    arrays, 12 bytes an entry where a dict of Python ints takes about 75 (a large corpus
    knows hundreds of thousands of captions), and pages that forked workers share.

    >>> table = FingerprintTable({7: 3, 2: 5})
    >>> table.get(7), table.get(4), len(table)
    (3, None, 2)
    """

    def __init__(self, fingerprints: dict[int, int]) -> None:
        ordered = sorted(fingerprints)
        self._fingerprints = array("Q", ordered)
        self._words = array("I", map(fingerprints.__getitem__, ordered))

    def get(self, fingerprint: int) -> int | None:
        """The word count of the caption with ``fingerprint``, or None."""
        at = bisect_left(self._fingerprints, fingerprint)
        if at < len(self._fingerprints) and self._fingerprints[at] == fingerprint:
            return self._words[at]
        return None

    def items(self) -> Iterator[tuple[int, int]]:
        """Each fingerprint with its word count, in order."""
        return zip(self._fingerprints, self._words, strict=True)

    def updated(self, newer: FingerprintTable, limit: int) -> FingerprintTable:
        """A table of this one's entries and ``newer``'s (whose word counts win where
        both hold a fingerprint), cut to the ``limit`` smallest fingerprints."""
        fingerprints = numpy.concatenate(
            [numpy.frombuffer(t._fingerprints, numpy.uint64) for t in (newer, self)]
        )
        words = numpy.concatenate([numpy.frombuffer(t._words, numpy.uint32) for t in (newer, self)])
        # Sorted, each fingerprint once: at its first place, which is newer's if it has it.
        kept, first = numpy.unique(fingerprints, return_index=True)
        table = FingerprintTable({})
        table._fingerprints.frombytes(kept[:limit].tobytes())
        table._words.frombytes(words[first[:limit]].tobytes())
        return table

    def __len__(self) -> int:
        return len(self._fingerprints)


class SplitCaptions(Step):
    """Move captions out of the prose into ``doc.captions``, each with credit and date.

    >>> doc = SplitCaptions().clean(
    ...     "2 May 2021: Crowds gather in the squareJane Roe/AFP\\n"
    ...     "The square was full by noon, and the police closed the roads around it."
    ... )
    >>> doc.text
    'The square was full by noon, and the police closed the roads around it.'
    >>> {k: doc.captions[0][k] for k in ("text", "credit", "date")}
    {'text': 'Crowds gather in the square', 'credit': 'Jane Roe/AFP', 'date': '2021-05-02'}
    """

    name = "split_captions"
    Options = SplitCaptionsOptions
    default_order = 20
    rewrites = False

    def __init__(self, options: SplitCaptionsOptions | None = None, **values: Any) -> None:
        super().__init__(options, **values)
        o = self.options
        unknown = sorted(set(o.disabled_rules) - set(RULES))
        if unknown:
            raise ConfigError(
                f"step {self.name!r}: unknown rule(s) in disabled_rules: {', '.join(unknown)}; "
                f"rules are: {', '.join(RULES)}"
            )
        if o.max_words < 1 or o.known_min_words < 1 or o.known_max_entries < 1:
            raise ConfigError(
                f"step {self.name!r}: max_words, known_min_words and known_max_entries "
                "must be 1 or more"
            )
        contributed = [p.pattern for p in get_registry().patterns_of("caption_credit")]
        try:
            self.finder = CaptionFinder(
                (*AGENCIES, *o.extra_agencies), contributed, max_words=o.max_words
            )
        except regex.error as exc:
            raise ConfigError(
                f"step {self.name!r}: an agency pattern does not compile: {exc}"
            ) from None
        self._rules = set(RULES) - set(o.disabled_rules)
        self._known = FingerprintTable({})
        self._vocabulary: _Vocabulary | None = None

    # -- the corpus scan -----------------------------------------------------------------

    def new_scan_state(self) -> KnownCaptions:
        return KnownCaptions(self.options.known_max_entries)

    def scan(self, doc: Document, state: KnownCaptions) -> KnownCaptions:
        if "known_caption" not in self._rules:
            return state
        lines = doc.text.split("\n")
        for index in self._lines_to_search(doc.text, len(lines)):
            for found in self._find(lines[index]):
                words = _content_words(found.text)
                state.add(self._fingerprints(words), words)
        return state

    def merge_scan_states(self, a: KnownCaptions, b: KnownCaptions) -> KnownCaptions:
        a.merge(b)
        return a

    def use_scan_state(self, state: KnownCaptions) -> None:
        self._known = state.fingerprint_table()
        self._vocabulary = None if state.words is None else _Vocabulary(state.words)

    # -- applying ------------------------------------------------------------------------

    def apply(self, doc: Document) -> None:
        text = doc.text
        texts = text.split("\n")
        # Lines that may hold a caption or a credit, in order; the others hold neither.
        search = self._lines_to_search(text, len(texts))
        credits = self._credit_lines(texts, search)
        found_in = self._captions_in(text, texts, set(search), credits)
        if not found_in and not credits:
            return  # most documents: no line objects needed
        lines = split_lines(text)
        content = [line for line in lines if not line.blank]
        whole: dict[int, tuple[Found, Removal]] = {}
        glued_lines: dict[int, list[Found]] = {}
        partial: list[tuple[Line, Found]] = []
        for index, found in found_in.items():
            line = lines[index]
            if len(found) == 1 and _covers(line.text, found):
                whole[index] = (found[0], _removal(found[0]))
            elif _covers(line.text, found):
                glued_lines[index] = found
            else:
                partial.extend((line, f) for f in found)
        records = self._records(doc, content, whole, credits)
        removals = {index: removal for index, (_, removal) in whole.items()}
        for index, found in glued_lines.items():  # a line of captions: a span each
            line = lines[index]
            pieces = tuple((f.start, _removal(f)) for f in found)
            removals[index] = Removal("caption", "captions", pieces=pieces)
            records.extend(
                _record(doc, line.start + f.start, line.start + f.end, f, f.credit) for f in found
            )
        for index, credit in credits.items():
            if index not in removals:
                data = {"credit": credit.text}
                removals[index] = Removal("credit", "rule credit_line", data, extract=True)
        for line, f in partial:
            records.append(self._extract_partial(doc, line, f))
        if removals:
            delete_lines(doc, lines, removals)
        records.sort(key=lambda r: r["start"])
        doc.captions.extend(records)

    def _credit_lines(self, texts: list[str], search: Iterable[int]) -> dict[int, Credit]:
        """The lines that are only a credit, by index, among ``texts[i] for i in search``."""
        credits: dict[int, Credit] = {}
        if "credit_line" in self._rules:
            for index in search:
                credit = self.finder.credit_line(texts[index])
                if credit is not None:
                    credits[index] = credit
        return credits

    def _captions_in(
        self, text: str, texts: list[str], searched: set[int], credits: dict[int, Credit]
    ) -> dict[int, list[Found]]:
        """The captions in each line of ``text`` (split into ``texts``) that has some and
        is not a credit line, by index, in order; only lines in ``searched`` can hold a
        caption of their own (the others can be captions seen elsewhere, or above a
        credit line)."""
        known = bool(self._known) and "known_caption" in self._rules
        # The words of every line at once, for the known captions' test.
        utf8 = _utf8_lines(text) if known else None
        found_in: dict[int, list[Found]] = {}
        for index, line in enumerate(texts):
            if index in credits:
                continue
            stripped = line.strip()
            if not stripped:
                continue
            found = self._find(line) if index in searched else []
            if not found and known:
                chunks = None if utf8 is None else utf8[index].split()
                found = self._known_caption(line, stripped, chunks)
            if not found:
                below = credits.get(index + 1)
                if below is None or not self._caption_of_credit(stripped, below, texts[index + 1]):
                    continue
                found = [self._caption_above_credit(line)]
            found_in[index] = found
        return found_in

    def _caption_of_credit(self, stripped: str, credit: Credit, credit_line: str) -> bool:
        """Whether the line ``stripped``, right above a credit-only line, is that
        credit's caption.

        A picture's credit (``Photo: …``, ``Name/Agency``) takes a short line that does
        not end like a sentence of prose; a bare agency name or ``© Name`` (which also
        sign teaser headlines and footers) takes only a line that speaks of a picture.
        """
        if not 4 <= len(stripped.split()) <= 50 or _NOT_A_CAPTION.match(stripped):
            return False
        if _CREDIT_ABOVE_CAPTION.match(credit_line):
            return False  # "Image copyright …" heads the caption below it
        if self.finder.speaks_of_picture(stripped):
            return True
        return credit.strong and not _ENDS_SENTENCE.search(stripped)

    def _caption_above_credit(self, line: str) -> Found:
        lead = _lead(line)
        text = line.strip()
        return Found(lead, lead + len(text), text, None, None, "credit_line")

    def _lines_to_search(self, text: str, count: int) -> list[int] | range:
        """Indices, in order, of the ``count`` lines of ``text`` that may hold a caption
        or a credit line."""
        indices = self.finder.lines_to_search(text)
        return range(count) if indices is None else sorted(indices)

    def _find(self, line: str) -> list[Found]:
        return [f for f in self.finder.find(line) if f.rule in self._rules]

    def _known_caption(self, line: str, stripped: str, chunks: list[bytes] | None) -> list[Found]:
        """The line (``stripped``: without its spaces; ``chunks``: its lower case UTF-8
        cut as by :func:`_utf8_chunks`, None if it does not encode) as a caption seen
        elsewhere in the corpus, or nothing."""
        kinds = _KINDS
        if chunks is not None and self._vocabulary is not None:
            kinds = self._vocabulary.kinds(chunks)
            if not kinds:
                return []  # no fingerprint of this line can be in the table
        if len(stripped.split()) > self.options.max_words:
            return []
        words = _content_words(stripped) if chunks is None else _chunks_words(chunks)
        # A caption with a picture's credit is found by the rules already; here the
        # whole line is the caption.
        for fingerprint, count in self._fingerprints(words, kinds).items():
            seen = self._known.get(fingerprint)
            if seen is not None and 0.75 <= count / seen <= 1.34:
                lead = _lead(line)
                return [Found(lead, lead + len(stripped), stripped, None, None, "known_caption")]
        return []

    def _fingerprints(
        self, words: list[bytes], kinds: tuple[bytes, ...] = _KINDS
    ) -> dict[int, int]:
        """Fingerprints of a caption's content words (:func:`_content_words`): all of them
        (as a set), its first six and its last six (or those of ``kinds``); each maps to
        the number of content words."""
        if len(words) < self.options.known_min_words:
            return {}
        n = len(words)
        keys = []
        for kind in kinds:
            if kind == b"all":
                keys.append(b"all " + b" ".join(sorted(set(words))))
            elif kind == b"head":
                keys.append(b"head " + b" ".join(words[:6]))
            else:
                keys.append(b"tail " + b" ".join(words[-6:]))
        return {_hash(key): n for key in keys}

    def _records(
        self,
        doc: Document,
        content: list[Line],
        whole: dict[int, tuple[Found, Removal]],
        credits: dict[int, str],
    ) -> list[dict[str, Any]]:
        """Caption records for whole-line captions; a credit line next to a caption
        without a credit becomes its credit (and part of its span)."""
        records = []
        neighbours = {line.index: i for i, line in enumerate(content)}
        used: set[int] = set()
        for line in content:
            if line.index not in whole or line.index in used:
                continue
            found, _ = whole[line.index]
            credit, first, last = found.credit, line, line
            if credit is None:
                i = neighbours[line.index]
                for j in (i - 1, i + 1):
                    other = content[j] if 0 <= j < len(content) else None
                    if other is not None and other.index in credits and other.index not in used:
                        credit = credits[other.index].text
                        used.add(other.index)
                        first, last = min(first, other, key=_pos), max(last, other, key=_pos)
                        whole[other.index] = (found, _removal(found, "credit of a caption"))
                        break
            start = first.start + (found.start if first is line else _lead(first.text))
            end = last.start + (found.end if last is line else len(last.text.rstrip()))
            records.append(_record(doc, start, end, found, credit))
        return records

    def _extract_partial(self, doc: Document, line: Line, f: Found) -> dict[str, Any]:
        """Extract a caption that shares its line with prose or other captions."""
        text = doc.text
        start, end = line.start + f.start, line.start + f.end
        record = _record(doc, start, end, f, f.credit)
        cut = end
        while cut < line.end and text[cut] in " \t":
            cut += 1
        doc.extract(start, cut, label="caption", reason=f"rule {f.rule}", **_span_data(f))
        glued = start > line.start and not text[start - 1].isspace() and cut < line.end
        if glued:  # prose on both sides: keep them apart
            doc.insert(cut, "\n", label="caption", reason="line break where a caption was")
        return record


_WORD = regex.compile(r"[^\W\d_]+")
# Credit lines that sit above their caption, not below it.
_CREDIT_ABOVE_CAPTION = regex.compile(r"\s*(?:image copyright|image source)\b", regex.IGNORECASE)
# Bylines and wire sign-offs sit above credits too, but they are not captions.
_NOT_A_CAPTION = regex.compile(r"\(?(?:by|reporting by|writing by|editing by)\b", regex.IGNORECASE)
_ENDS_SENTENCE = regex.compile(r"""[.!?…]["'”’)\]]*$""")


def _content_words(text: str) -> list[bytes]:
    """The words of ``text`` in lower case, function words left out, in UTF-8 (whose
    bytes sort as the characters do)."""
    chunks = _utf8_chunks(text.lower())
    if chunks is None:  # a lone surrogate (never part of a word)
        return [w.encode() for w in _WORD.findall(text.lower()) if w not in FUNCTION_WORDS]
    return _chunks_words(chunks)


# Function words and the bytes of UTF-8 text that are never part of a word (ASCII but
# letters): translated to spaces, these split the text into chunks that are either one
# ASCII word or hold other characters.
_FUNCTION_BYTES = frozenset(w.encode() for w in FUNCTION_WORDS)
_ASCII_FUNCTION_BYTES = frozenset(w for w in _FUNCTION_BYTES if w.isalpha())
_NON_LETTER_BYTES = bytes(b if b >= 128 or chr(b).isalpha() else 32 for b in range(256))
_NON_LETTER_BYTES_BUT_BREAKS = _NON_LETTER_BYTES[:10] + b"\n" + _NON_LETTER_BYTES[11:]


# Every subset of the kinds, in order, by bit mask (1 all, 2 head, 4 tail).
_KIND_SETS = [tuple(k for bit, k in enumerate(_KINDS) if mask >> bit & 1) for mask in range(8)]


class _Vocabulary:
    """A quick test of a line against :class:`CaptionWords`: C-level set operations on
    the line's ASCII words and, at each end, its first words."""

    def __init__(self, words: CaptionWords) -> None:
        self.words = frozenset(words.words) | _FUNCTION_BYTES
        self.heads = frozenset(words.heads)
        self.tails = frozenset(words.tails)

    def kinds(self, chunks: list[bytes]) -> tuple[bytes, ...]:
        """The kinds of fingerprint of the line cut into ``chunks`` (:func:`_utf8_chunks`)
        that can be one of the captions': "all" when its ASCII words are all theirs,
        "head" and "tail" when its first two or last two content words are a caption's."""
        mask = 0
        if self.words.issuperset(filter(bytes.isalpha, chunks)):
            mask = 1
        if _head_key(chunks) in self.heads:
            mask |= 2
        if _tail_key(chunks) in self.tails:
            mask |= 4
        return _KIND_SETS[mask]


def _utf8_lines(text: str) -> list[bytes] | None:
    """Each line of ``text`` in lower case and UTF-8, every ASCII character but letters
    made a space (as by :func:`_utf8_chunks`, spaces beyond ASCII left at the ends);
    None if it does not encode. (Lower case never crosses a line break.)"""
    lines: list[bytes] = []
    for piece in line_pieces(text):  # a long text is not copied whole several times over
        try:
            encoded = piece.lower().encode()
        except UnicodeEncodeError:
            return None
        lines.extend(encoded.translate(_NON_LETTER_BYTES_BUT_BREAKS).split(b"\n"))
    return lines


def _utf8_chunks(text: str) -> list[bytes] | None:
    """``text`` in UTF-8 cut at every ASCII character but letters: each chunk holds one
    or more words (:func:`_chunk_words`), or none; None if it does not encode."""
    try:
        return text.encode().translate(_NON_LETTER_BYTES).split()
    except UnicodeEncodeError:
        return None


@lru_cache(maxsize=1 << 15)
def _chunk_words(chunk: bytes) -> tuple[bytes, ...]:
    """The content words of one chunk (see ``_NON_LETTER_BYTES``), in UTF-8. Cached:
    the same words and names come back line after line."""
    if chunk.isalpha():  # ASCII letters between non-letters: one word
        return () if chunk in _FUNCTION_BYTES else (chunk,)
    words = (w.encode() for w in _WORD.findall(chunk.decode()))
    return tuple(w for w in words if w not in _FUNCTION_BYTES)


def _chunk_words_backwards(chunk: bytes) -> tuple[bytes, ...]:
    # Not cached: reversing a few words costs less than a second cache of chunks.
    return _chunk_words(chunk)[::-1]


def _chunks_words(chunks: list[bytes]) -> list[bytes]:
    """The content words of ``chunks`` (:func:`_utf8_chunks`), in order."""
    return list(chain.from_iterable(map(_chunk_words, chunks)))


def _head_key(chunks: list[bytes]) -> bytes:
    """The first two content words of ``chunks`` (:func:`_utf8_chunks`), joined."""
    return b" ".join(_edge_words(chunks, _chunk_words))


def _tail_key(chunks: list[bytes]) -> bytes:
    """The last two content words of ``chunks`` (:func:`_utf8_chunks`), joined."""
    return b" ".join(reversed(_edge_words(chunks[::-1], _chunk_words_backwards)))


def _edge_words(chunks: list[bytes], words_of: Callable[[bytes], tuple[bytes, ...]]) -> list[bytes]:
    """The first two content words of ``chunks``, in the order given (``words_of``
    gives a chunk's words in that order)."""
    # Mostly the first two chunks that are not ASCII function words are ASCII words,
    # and then they are those words (the chunks before them being one word each).
    edge: list[bytes] = []
    for chunk in chunks:
        if chunk in _ASCII_FUNCTION_BYTES:
            continue
        if not chunk.isalpha():  # a chunk of other characters: cut it into its words
            return list(islice(chain.from_iterable(map(words_of, chunks)), 2))
        edge.append(chunk)
        if len(edge) == 2:
            break
    return edge


def _hash(key: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big")


def _lead(text: str) -> int:
    return len(text) - len(text.lstrip())


def _covers(line: str, found: list[Found]) -> bool:
    """Whether the captions fill the line (nothing but spaces between them)."""
    position = _lead(line)
    for f in found:
        if line[position : f.start].strip():
            return False
        position = f.end
    return not line[position:].strip()


def _pos(line: Line) -> int:
    return line.start


def _span_data(f: Found) -> dict[str, Any]:
    data: dict[str, Any] = {"credit": f.credit, "date": f.date}
    if f.duration:
        data["duration"] = f.duration
    return data


def _removal(f: Found, reason: str | None = None) -> Removal:
    return Removal("caption", reason or f"rule {f.rule}", _span_data(f), extract=True)


def _record(doc: Document, start: int, end: int, f: Found, credit: str | None) -> dict[str, Any]:
    raw_start, raw_end = doc.raw_range(start, end)
    record: dict[str, Any] = {
        "text": f.text,
        "credit": credit,
        "date": f.date,
        "start": raw_start,
        "end": raw_end,
        "rule": f.rule,
    }
    if f.duration:
        record["duration"] = f.duration
    return record


@hookimpl
def cleankit_register_steps(register):
    register(SplitCaptions)
