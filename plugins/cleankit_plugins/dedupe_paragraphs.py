"""Step ``dedupe_paragraphs``: keep the first of repeated paragraphs, label the rest."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain, compress, count, pairwise, repeat
from operator import add, itemgetter, not_
from typing import Any

import numpy

from cleankit import ConfigError, Document, Step, hookimpl, option
from cleankit.lines import Removal, delete_lines, line_pieces, split_lines

_WORD = re.compile(r"[^\W_]+")
_LINE_BREAK = re.compile("\n")
#: Paragraphs one shingle points to, at most. A stock phrase that opens hundreds of
#: paragraphs of one very long document would otherwise make every later paragraph
#: compare with all of them (quadratic time); its repeats are still found through their
#: other shingles, and exact repeats always are.
_MAX_POSTING = 8
#: Up to this many paragraphs that share shingles with others, each is compared with
#: every earlier one (set work in C, no index); more go through the prefix index.
_ALL_PAIRS = 64
#: Texts of more lines than this go through the prefix index this many lines at a time.
_CHUNK = 512
#: ASCII letters and digits stay, every other ASCII byte but the line break becomes a
#: space; bytes of non-ASCII characters are left alone (see :class:`_Lines`).
_ASCII_WORDS = bytes(c if c >= 128 or c == 10 or chr(c).isalnum() else 32 for c in range(256))
#: Non-ASCII characters that are not part of words and are common in text: replaced by
#: spaces, so that lines holding them still split at whitespace, without the regex.
_PUNCTUATION = "’“”‘—–…«»„€£¥©®™°•·"
#: Bits of a paragraph's shingle signature (see :func:`_signatures`).
_SIGNATURE_BITS = 256
_SIGNATURE_WORDS = _SIGNATURE_BITS // 64
#: How the prefix index packs a kept paragraph's position.
_POSITION = numpy.dtype("<u4")
_FULL_ENTRY = _MAX_POSTING * _POSITION.itemsize


@dataclass(frozen=True)
class DedupeParagraphsOptions:
    """Options of ``dedupe_paragraphs``.

    A paragraph is a non-blank line. Two paragraphs are near-duplicates when their sets of
    word ``shingle``-grams overlap by at least ``similarity`` (Jaccard): a lede printed
    twice with a word or two changed scores about 0.7 to 0.9, two different sentences on
    one topic under 0.2.
    """

    similarity: float = option(0.6, "Jaccard overlap of word shingles that counts as a repeat")
    shingle: int = option(3, "words per shingle")
    min_words: int = option(6, "shorter paragraphs are never treated as repeats")


class DedupeParagraphs(Step):
    """Remove exact and near-duplicate paragraphs, keeping the first occurrence.

    Each removed paragraph is a span labelled ``duplicate`` whose ``duplicate_of`` gives
    the raw offsets of the paragraph it repeats, and ``similarity`` how closely.

    >>> rain = "Rain is due on Monday across the north."
    >>> DedupeParagraphs(min_words=3).clean(f"{rain}\\n\\nOther news.\\n\\n{rain}").text
    'Rain is due on Monday across the north.\\n\\nOther news.'
    """

    name = "dedupe_paragraphs"
    Options = DedupeParagraphsOptions
    default_order = 60
    rewrites = False

    def __init__(self, options: DedupeParagraphsOptions | None = None, **values: Any) -> None:
        super().__init__(options, **values)
        o = self.options
        if not 0 < o.similarity <= 1:
            raise ConfigError(
                f"step {self.name!r}: similarity must be in (0, 1], got {o.similarity}"
            )
        if o.shingle < 1 or o.min_words < 1:
            raise ConfigError(f"step {self.name!r}: shingle and min_words must be 1 or more")
        self._tails = [itemgetter(slice(i, None)) for i in range(o.shingle)]

    def apply(self, doc: Document) -> None:
        repeats = self._repeats(doc.text)
        if repeats:
            self._remove(doc, doc.text, repeats)

    def _repeats(self, text: str) -> dict[int, tuple[int, float]]:
        """The repeated lines of ``text``: line number -> (the number of the line it
        repeats, similarity)."""
        lines = _Lines(text)
        if len(lines) > _CHUNK:
            return self._repeats_by_index(lines)
        numbers, words = self._paragraphs(lines, 0, len(lines))
        if len(numbers) < 2:
            return {}
        sets = self._shingles(words)
        similarity = self.options.similarity
        if len(sets) <= _MAX_POSTING:  # too few to fill an index entry: compare all pairs
            keys = list(map(" ".join, words))
            return _repeats_by_all_pairs(numbers, keys, sets, similarity)
        # Only paragraphs sharing a shingle with another can repeat or be repeated: the
        # others overlap nothing, and their index entries are never looked up.
        shared = _shared(sets)
        linked = list(compress(count(), map(not_, map(shared.isdisjoint, sets))))
        numbers, words, sets = _pick(linked, numbers), _pick(linked, words), _pick(linked, sets)
        keys = list(map(" ".join, words))
        if _postings_stay_short(sets, shared):
            return _repeats_by_all_pairs(numbers, keys, sets, similarity)
        return _PrefixSearch(similarity, self._shingles).repeats(numbers, keys, sets)

    def _repeats_by_index(self, lines: _Lines) -> dict[int, tuple[int, float]]:
        """:meth:`_repeats` of a long text: through the prefix index, a stretch of lines
        at a time, so that each paragraph's words and shingles are still in the cache
        when it is searched, and only the kept paragraphs' summaries stay in memory."""
        search = _PrefixSearch(self.options.similarity, self._shingles)
        repeats: dict[int, tuple[int, float]] = {}
        for start in range(0, len(lines), _CHUNK):
            numbers, words = self._paragraphs(lines, start, start + _CHUNK)
            sets = self._shingles(words)
            repeats.update(search.repeats(numbers, list(map(" ".join, words)), sets))
        return repeats

    def _paragraphs(self, lines: _Lines, start: int, end: int) -> tuple[list[int], list[list[str]]]:
        """The numbers and words of the lines from ``start`` to ``end`` with at least
        ``min_words`` words."""
        by_line = lines.words(start, end)
        long_enough = list(map(self.options.min_words.__le__, map(len, by_line)))
        return list(compress(count(start), long_enough)), list(compress(by_line, long_enough))

    def _shingles(self, words: list[list[str]]) -> list[frozenset[str]]:
        """Each paragraph's word n-grams, each joined by spaces (C-level work only)."""
        n = self.options.shingle
        if n > self.options.min_words and any(len(w) < n for w in words):
            return [self._shingles_of(w) for w in words]
        tuples = map(zip, *(map(tail, words) for tail in self._tails))
        return list(map(frozenset, map(_joined, tuples)))

    def _shingles_of(self, words: list[str]) -> frozenset[str]:
        n = min(self.options.shingle, len(words))
        return frozenset(map(" ".join, zip(*(words[i:] for i in range(n)), strict=False)))

    @staticmethod
    def _remove(doc: Document, text: str, repeats: dict[int, tuple[int, float]]) -> None:
        """Delete the repeated lines, each pointing at the raw offsets of its original."""
        lines = split_lines(text)
        removals: dict[int, Removal] = {}
        for line, (original, score) in repeats.items():
            start, end = doc.raw_range(lines[original].start, lines[original].end)
            removals[line] = Removal(
                "duplicate",
                f"repeats the paragraph at raw offset {start} (similarity {score:.2f})",
                {"duplicate_of": [start, end], "similarity": round(score, 3)},
            )
        delete_lines(doc, lines, removals)


def _joined(tuples: Any) -> Any:
    return map(" ".join, tuples)


class _Lines:
    """The lines of a text, split into words (``[^\\W_]+``, lowercased) on demand.

    Most lines split at whitespace once ASCII punctuation and common typographic marks
    are spaces: that is done a piece of lines at a time (:func:`line_pieces`) with C-level
    string methods, so that a long text is not copied whole several times over. A line
    where a piece between spaces is still not all letters and digits is split by the
    regex. (Lowercasing a piece, or a line, equals lowercasing the text: a line break ends
    the context of a final sigma.)
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.spaced: list[str] = []
        for piece in line_pieces(text):
            self.spaced.extend(_spaced(piece.lower()).split("\n"))
        self._starts: list[int] | None = None

    def __len__(self) -> int:
        return len(self.spaced)

    def words(self, start: int, end: int) -> list[list[str]]:
        """The words of each line from ``start`` to ``end``."""
        out = list(map(str.split, self.spaced[start:end]))
        # A line needs the regex when its pieces, joined, are not all letters and digits
        # (the "a" keeps an empty line from counting).
        joined = map(add, repeat("a"), map("".join, out))
        for i in compress(count(), map(not_, map(str.isalnum, joined))):
            out[i] = _WORD.findall(self._line(start + i).lower())
        return out

    def _line(self, number: int) -> str:
        """Line ``number`` of the text as written."""
        if self._starts is None:
            # Where each line starts, found once: cheaper than keeping the lines.
            self._starts = [0]
            for match in _LINE_BREAK.finditer(self.text):
                self._starts.append(match.end())
        start = self._starts[number]
        end = self._starts[number + 1] - 1 if number + 1 < len(self._starts) else len(self.text)
        return self.text[start:end]


def _spaced(lowered: str) -> str:
    """``lowered`` with each known character that is not part of a word (ASCII ones and
    :data:`_PUNCTUATION`) made a space, line breaks excepted; others are left as they are."""
    for mark in _PUNCTUATION:
        if mark in lowered:
            lowered = lowered.replace(mark, " ")
    # ASCII bytes never occur inside a multi-byte UTF-8 sequence, so mapping them keeps
    # the rest intact; surrogatepass carries lone surrogates through.
    return (
        lowered.encode("utf-8", "surrogatepass")
        .translate(_ASCII_WORDS)
        .decode("utf-8", "surrogatepass")
    )


def _words_by_line(text: str) -> list[list[str]]:
    """The words (``[^\\W_]+``, lowercased) of every line of ``text``."""
    lines = _Lines(text)
    return lines.words(0, len(lines))


def _shared(sets: list[frozenset[str]]) -> set[str]:
    """The elements that are in more than one of ``sets``."""
    seen: set[str] = set()
    shared: set[str] = set()
    for s in sets:
        shared.update(s.intersection(seen))
        seen.update(s)
    return shared


def _pick(positions: list[int], items: list[Any]) -> list[Any]:
    return list(map(items.__getitem__, positions))


def _postings_stay_short(sets: list[frozenset[str]], shared: set[str]) -> bool:
    """Whether no shingle is in more paragraphs than an index entry holds (then the capped
    prefix index finds every repeat, and comparing all pairs finds the same), with few
    enough paragraphs that comparing all pairs is cheap."""
    if len(sets) <= _MAX_POSTING:
        return True
    if len(sets) > _ALL_PAIRS:
        return False
    counts = Counter(chain.from_iterable(map(shared.intersection, sets)))
    return max(counts.values()) <= _MAX_POSTING


def _repeats_by_all_pairs(
    numbers: list[int], keys: list[str], sets: list[frozenset[str]], similarity: float
) -> dict[int, tuple[int, float]]:
    """Each repeated paragraph's line, with its original's and the similarity: the exact
    repeat if there is one, else the earliest kept paragraph of the highest similarity."""
    repeats: dict[int, tuple[int, float]] = {}
    by_key: dict[str, int] = {}
    kept: list[int] = []
    kept_sets: list[frozenset[str]] = []
    union: set[str] = set()
    for number, key, mine in zip(numbers, keys, sets, strict=True):
        original = by_key.get(key)
        if original is not None:
            repeats[number] = (original, 1.0)
            continue
        if not union.isdisjoint(mine):
            common = list(map(len, map(mine.intersection, kept_sets)))
            best, score = _best(mine, common, map(len, kept_sets), similarity)
            if best is not None:
                repeats[number] = (kept[best], score)
                continue
        by_key[key] = number
        kept.append(number)
        kept_sets.append(mine)
        union.update(mine)
    return repeats


def _best(
    mine: frozenset[str], common: list[int], sizes: Iterable[int], similarity: float
) -> tuple[int | None, float]:
    """The position and score of the best of some paragraphs (``common``: shingles each
    shares with ``mine``, ``sizes``: their sizes), or None when none reaches ``similarity``.

    A tie goes to the earliest. Paragraphs whose size alone rules them out are skipped.
    """
    n = len(mine)
    # A repeat shares at least ``similarity`` of this paragraph's shingles (the margin
    # covers rounding): when none does, there is nothing to score.
    if max(common, default=0) < similarity * n * (1 - 1e-12):
        return None, 0.0
    best, best_score = None, 0.0
    # Sets this similar differ in size by at most that factor: skip the others unseen.
    low, high = similarity * n - 1e-9, n / similarity + 1e-9
    for i, (shares, size) in enumerate(zip(common, sizes, strict=False)):
        if not low <= size <= high:
            continue
        score = shares / (n + size - shares)
        if score >= similarity and score > best_score:
            best, best_score = i, score
    return best, best_score


class _PrefixSearch:
    """Repeats found through an index of each kept paragraph's first shingles.

    Each index entry holds at most ``_MAX_POSTING`` paragraphs, so the search is linear
    in a very long document. Which paragraphs an entry holds depends on the prefix order,
    which is therefore fixed: the longest shingles first (long words are the rare ones,
    so the prefix points to few other paragraphs), alphabetically among equals.

    Paragraphs come a batch at a time. The candidates that paragraphs kept before the
    batch offer are checked for the whole batch at once (numpy); those kept within the
    batch, one by one. A candidate is read in full only when its size and signature
    leave it a chance (see :func:`_signatures`).
    """

    def __init__(
        self, similarity: float, shingles: Callable[[list[list[str]]], list[frozenset[str]]]
    ) -> None:
        self.similarity = similarity
        self.shingles = shingles
        # Entries are the positions of kept paragraphs packed as 32-bit integers: bytes
        # are out of the garbage collector's sight (a long text's index has millions of
        # entries), and a batch's entries make one numpy array without a Python loop.
        self.index: dict[str, bytes] = {}
        self.by_key: dict[str, int] = {}
        # Of each kept paragraph: its line, words joined, number of shingles and
        # signature. Its shingles are made again from its words in the rare case they are
        # needed: keeping them would take a few kilobytes a paragraph.
        self.kept: list[int] = []
        self.kept_keys: list[str] = []
        self.sizes = numpy.zeros(64, numpy.int64)
        self.signatures = numpy.zeros((64, _SIGNATURE_WORDS), numpy.uint64)

    def repeats(
        self, numbers: list[int], keys: list[str], sets: list[frozenset[str]]
    ) -> dict[int, tuple[int, float]]:
        """Each repeated paragraph's line, with its original's and the similarity; the
        others are kept, for the next batch to search too."""
        repeats: dict[int, tuple[int, float]] = {}
        if not sets:
            return repeats
        prefixes = list(map(self.prefix, sets))
        # The index entries of every prefix's shingles as the batch begins.
        entries = list(map(self.index.get, chain.from_iterable(prefixes), repeat(b"")))
        signatures, lost = _signatures(sets)
        earlier = self._checked_earlier(prefixes, entries, sets, signatures, lost)
        batch = _Batch(self, sets, signatures, lost)
        held = list(map(len, entries))
        end = 0  # of each paragraph's prefix in ``entries``
        for i, (number, key, mine) in enumerate(zip(numbers, keys, sets, strict=True)):
            end += len(prefixes[i])
            original = self.by_key.get(key)
            if original is not None:
                repeats[number] = (original, 1.0)
                continue
            candidates = earlier[i] + batch.candidates(i, prefixes[i])
            best, score = self.nearest(mine, candidates) if candidates else (None, 0.0)
            if best is not None:
                repeats[number] = (self.kept[best], score)
                continue
            self.by_key[key] = number
            self.kept.append(number)
            self.kept_keys.append(key)
            batch.keep(i, prefixes[i], held[end - len(prefixes[i]) : end])
        batch.close()
        return repeats

    def prefix(self, shingles: frozenset[str]) -> list[str]:
        """The first shingles of a paragraph in the fixed order, enough to find every near
        duplicate: two sets this similar share one of their prefixes' shingles.

        A repeat must share at least ``similarity`` of the paragraph's shingles, so it
        shares one of any ``len - ceil(similarity * len) + 1`` of them (prefix filtering).
        Indexing only those keeps the index and its lookups a fraction of the shingles.
        """
        ordered = sorted(sorted(shingles), key=len, reverse=True)
        size = len(ordered)
        needed = math.ceil(self.similarity * size - 1e-9)
        return ordered[: size - needed + 1]

    def _checked_earlier(
        self,
        prefixes: list[list[str]],
        entries: list[bytes],
        sets: list[frozenset[str]],
        signatures: numpy.ndarray,
        lost: numpy.ndarray,
    ) -> list[list[int]]:
        """For each paragraph of the batch, in order, the paragraphs kept before the batch
        that its prefix points to (``entries``: the index entries of all prefixes' shingles)
        and that pass the size and signature checks."""
        n = len(prefixes)
        found = numpy.frombuffer(b"".join(entries), _POSITION)
        if not len(found):
            return [[] for _ in range(n)]
        owners = numpy.repeat(numpy.arange(n), numpy.fromiter(map(len, prefixes), numpy.intp, n))
        lengths = numpy.fromiter(map(len, entries), numpy.intp, len(entries)) // _POSITION.itemsize
        # One pair per paragraph and candidate, sorted by both.
        pairs = numpy.repeat(owners, lengths) * len(self.kept) + found
        pairs.sort()
        pairs = pairs[numpy.concatenate(([True], pairs[1:] != pairs[:-1]))]
        owners, found = numpy.divmod(pairs, len(self.kept))
        sizes = numpy.fromiter(map(len, sets), numpy.int64, n)[owners]
        theirs = self.sizes[found]
        # The size band of :func:`_best`, and the signature bound.
        similarity = self.similarity
        plausible = (similarity * sizes - 1e-9 <= theirs) & (theirs <= sizes / similarity + 1e-9)
        common = _popcount(self.signatures[found] & signatures[owners])
        plausible &= similarity * sizes * (1 - 1e-12) - lost[owners] <= common
        owners, found = owners[plausible], found[plausible]
        bounds = numpy.searchsorted(owners, numpy.arange(n + 1)).tolist()
        found_list = found.tolist()
        return [found_list[a:b] for a, b in pairwise(bounds)]

    def nearest(self, mine: frozenset[str], candidates: list[int]) -> tuple[int | None, float]:
        """The best of the kept paragraphs at ``candidates`` (in order), and its score."""
        words = map(str.split, map(self.kept_keys.__getitem__, candidates), repeat(" "))
        sets = self.shingles(list(words))
        common = list(map(len, map(mine.intersection, sets)))
        best, score = _best(mine, common, map(len, sets), self.similarity)
        return (None, 0.0) if best is None else (candidates[best], score)

    def _store(self, sizes: numpy.ndarray, signatures: numpy.ndarray) -> None:
        """Keep the sizes and signatures of the paragraphs the batch kept."""
        start = len(self.kept) - len(sizes)
        if len(self.kept) > len(self.sizes):
            capacity = max(2 * len(self.sizes), len(self.kept))
            self.sizes = numpy.resize(self.sizes, capacity)
            self.signatures = numpy.resize(self.signatures, (capacity, _SIGNATURE_WORDS))
        self.sizes[start : len(self.kept)] = sizes
        self.signatures[start : len(self.kept)] = signatures


class _Batch:
    """The paragraphs one batch of :class:`_PrefixSearch` keeps, and what checking them
    as candidates takes."""

    def __init__(
        self,
        search: _PrefixSearch,
        sets: list[frozenset[str]],
        signatures: numpy.ndarray,
        lost: numpy.ndarray,
    ) -> None:
        self.search = search
        self.first = len(search.kept)  # the position of the batch's first kept paragraph
        self.sizes = list(map(len, sets))
        self.signatures = signatures
        words = signatures.view(numpy.uint8).reshape(len(sets), -1)
        self.bits = list(map(int.from_bytes, map(bytes, words), repeat("little")))
        self.lost = lost.tolist()
        self.kept: list[int] = []  # batch positions of the kept paragraphs
        self.added: dict[str, bytes] = {}  # what the batch added to index entries

    def candidates(self, i: int, prefix: list[str]) -> list[int]:
        """The paragraphs this batch kept that paragraph ``i``'s prefix points to and that
        pass the size and signature checks, in order."""
        if not any(map(self.added.__contains__, prefix)):
            return []
        packed = b"".join(map(self.added.get, prefix, repeat(b"")))
        found = set(numpy.frombuffer(packed, _POSITION).tolist())
        n = self.sizes[i]
        similarity = self.search.similarity
        low, high = similarity * n - 1e-9, n / similarity + 1e-9
        threshold = similarity * n * (1 - 1e-12) - self.lost[i]
        out = []
        for position in sorted(found):
            j = self.kept[position - self.first]
            if not low <= self.sizes[j] <= high:
                continue
            if threshold <= (self.bits[i] & self.bits[j]).bit_count():
                out.append(position)
        return out

    def keep(self, i: int, prefix: list[str], held: list[int]) -> None:
        """Paragraph ``i`` is kept: it joins the index entries of its prefix that have
        room (``held``: the size of each entry as the batch began; one full then is full
        still, and is not looked up again)."""
        position = self.first + len(self.kept)
        self.kept.append(i)
        packed = position.to_bytes(_POSITION.itemsize, "little")
        index, added = self.search.index, self.added
        shingles = list(compress(prefix, map(_FULL_ENTRY.__gt__, held)))
        entries = list(map(index.get, shingles, repeat(b"")))
        room = list(map(_FULL_ENTRY.__gt__, map(len, entries)))
        shingles = list(compress(shingles, room))
        grown = map(add, compress(entries, room), repeat(packed))
        index.update(zip(shingles, grown, strict=True))
        grown = map(add, map(added.get, shingles, repeat(b"")), repeat(packed))
        added.update(zip(shingles, grown, strict=True))

    def close(self) -> None:
        """Keep the sizes and signatures of the paragraphs the batch kept."""
        kept = numpy.array(self.kept, numpy.intp)
        sizes = numpy.array(self.sizes, numpy.int64)
        self.search._store(sizes[kept], self.signatures[kept])


def _signatures(sets: list[frozenset[str]]) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Each set's elements hashed into ``_SIGNATURE_BITS`` bits (as ``_SIGNATURE_WORDS``
    64-bit words), and how many of its elements collided with another's bit.

    Two sets share at most as many elements as bits, plus the elements one of them lost
    to collisions: the signature rules out most candidates without reading them.
    """
    sizes = numpy.fromiter(map(len, sets), numpy.intp, len(sets))
    hashes = numpy.fromiter(
        chain.from_iterable(map(map, repeat(hash), sets)), numpy.int64, int(sizes.sum())
    )
    bits = numpy.zeros((len(sets), _SIGNATURE_BITS), numpy.bool_)
    bits[numpy.repeat(numpy.arange(len(sets)), sizes), hashes & (_SIGNATURE_BITS - 1)] = True
    lost = sizes - bits.sum(axis=1)
    packed = numpy.packbits(bits, axis=1, bitorder="little")
    return packed.view(numpy.uint64), lost


def _popcount(words: numpy.ndarray) -> numpy.ndarray:
    """The number of bits set in each row of 64-bit words."""
    if hasattr(numpy, "bitwise_count"):  # numpy 2
        return numpy.bitwise_count(words).sum(axis=1, dtype=numpy.int64)
    return _BYTE_BITS[words.view(numpy.uint8)].sum(axis=1, dtype=numpy.int64)


_BYTE_BITS = numpy.array([bin(i).count("1") for i in range(256)], numpy.int64)


@hookimpl
def cleankit_register_steps(register):
    register(DedupeParagraphs)
