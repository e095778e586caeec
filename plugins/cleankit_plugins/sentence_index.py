"""An index of the corpus's sentences by their content words, for finding where a
normalised line came from.

A normalised line keeps the content words of its sentence in order, lower-cased, joined
and lemmatised by some pipeline we do not know. The index therefore keys each sentence
by a coarse form of its content words that most lemmatisers and stemmers agree on: the
Snowball stem of the word lower-cased, with its inner punctuation removed (``forces``,
``force`` and ``forc`` all give ``forc``). A lookup scores sentences by the rarity of
the keys they share with the line and hands back the best few, with their neighbours,
as :class:`Passage` objects for exact alignment (:mod:`cleankit_plugins.token_alignment`).

Postings are compact arrays (a lookup sums them with numpy), documents keep their text
once and compressed, and the index holds at most ``limit`` sentences: whole documents
beyond that are left out and counted, so a merge of shards in a fixed order gives the
same index however many workers made them. The index a corpus's shards are merged into
keeps all but its latest sentences on disk (:mod:`cleankit_plugins.sentence_store`), so
its memory does not grow with the corpus.
"""

from __future__ import annotations

import math
import re
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain, repeat
from operator import sub

import numpy
import regex
import simplemma

from cleankit.prose import FUNCTION_WORDS
from cleankit_plugins.sentence_store import SentenceStore
from cleankit_plugins.snowball import stem_function

#: Sentences with fewer distinct keys than this are not indexed (nothing to match).
MIN_KEYS = 1
#: Sentences on each side of a hit that a passage includes at least (a line may be a
#: run of sentences; long lines reach further).
NEIGHBOURS = 3

#: Entries of each per-word cache (joined forms, stems, lemmas, keys). Common words make
#: most of any text, so this many keeps nearly every hit while memory stays bounded on a
#: corpus with millions of distinct words (each entry costs a few hundred bytes, per worker).
WORD_CACHE = 1 << 16

# A word with its inner punctuation: al-Abadi, U.S.-led, 1,500, don't. (The standard
# library's engine runs this one half as fast again as ``regex``.)
WORD = re.compile(r"[^\W_]+(?:[-'’.,&/]+[^\W_]+)*")
_INSIDE = regex.compile(r"[^\p{L}\p{N}]+")
_POSSESSIVE = regex.compile(r"['’][sS]$")
# A sentence ends at . ! ? (and closing quotes or brackets) before a space and a capital,
# a digit or an opening quote; a line ends at a line break. The pattern starts at the
# mark, which the engine finds fast, and the break is the ``space`` group after it.
_BREAK = regex.compile(
    r"[.!?…][\"'”’)\]]*(?P<space>[^\S\n]+)(?=[\"'“‘(\[]?[\p{Lu}\p{N}])|(?P<line>\n)"
)


@lru_cache(maxsize=WORD_CACHE)
def joined(word: str) -> str:
    """``word`` lower-cased, without a possessive ``'s`` and without inner punctuation.

    >>> joined("al-Abadi's"), joined("U.S.-led"), joined("1,500")
    ('alabadi', 'usled', '1500')
    """
    if word.isalnum():  # most words: nothing to remove
        return word.lower()
    return _INSIDE.sub("", _POSSESSIVE.sub("", word).lower())


@dataclass(frozen=True, slots=True)
class Tokens:
    """A text's sentences and its words as written, found once for the index and the
    surface forms: sentence ``i`` holds ``words[bounds[i] : bounds[i + 1]]``."""

    sentences: list[tuple[int, int]]
    words: list[str]
    bounds: list[int]

    def sentence_words(self) -> list[tuple[int, int, list[str]]]:
        """Each sentence with its words (:func:`sentence_words`)."""
        words, bounds = self.words, self.bounds
        return [
            (start, end, words[bounds[i] : bounds[i + 1]])
            for i, (start, end) in enumerate(self.sentences)
        ]


#: Sentences of each part :func:`tokenize_in_parts` gives: a long document's words are
#: then never all held at once (a news article is one part).
PART_SENTENCES = 2048


def tokenize(text: str) -> Tokens:
    """The sentences (:func:`split_sentences`) and words of ``text``.

    >>> tokens = tokenize("Rain fell. The U.S.-led effort failed.")
    >>> tokens.words, tokens.bounds
    (['Rain', 'fell', 'The', 'U.S.-led', 'effort', 'failed'], [0, 2, 6])
    """
    return _tokens(text, _sentence_spans(text))


def tokenize_in_parts(text: str, sentences: int | None = None) -> Iterator[Tokens]:
    """:func:`tokenize` of ``text``, a run of ``sentences`` sentences at a time
    (:data:`PART_SENTENCES` by default; offsets are still into the whole text).

    >>> [part.words for part in tokenize_in_parts("Rain fell. Roads closed.", 1)]
    [['Rain', 'fell'], ['Roads', 'closed']]
    """
    sentences = PART_SENTENCES if sentences is None else max(sentences, 1)
    spans = _sentence_spans(text)
    for first in range(0, len(spans), sentences):
        yield _tokens(text, spans[first : first + sentences])


def _tokens(text: str, sentences: list[tuple[int, int]]) -> Tokens:
    findall = WORD.findall
    each = [findall(text, start, end) for start, end in sentences]
    bounds = [0, *accumulate(map(len, each))]
    return Tokens(sentences, list(chain.from_iterable(each)), bounds)


def sentence_words(text: str) -> list[tuple[int, int, list[str]]]:
    """Each sentence of ``text`` (:func:`split_sentences`) with its words as written."""
    return tokenize(text).sentence_words()


def _english_stemmer() -> Callable[[str], str]:
    """The English Snowball stemmer (:func:`~cleankit_plugins.snowball.stem_function`)."""
    stem_word, compiled = stem_function("english")
    if compiled:
        # About 1 µs a word: stemming again costs less than a cache's memory (4.6 MB at
        # the bound, net).
        return stem_word
    # The pure-Python algorithms take about 80 µs a word: worth a cache.
    return lru_cache(maxsize=WORD_CACHE)(stem_word)


#: The Snowball stem of a joined word. Its callers cache what they make of it: the index
#: keys of written words, and the alignment's keys (:mod:`cleankit_plugins.token_alignment`).
stem: Callable[[str], str] = _english_stemmer()


#: simplemma's lemmatiser with the default dictionary and rules, as ``simplemma.lemmatize``
#: uses them, but without its own cache of results: :func:`lemma` keeps one, and a second
#: would hold every word twice (and the glued pairs of the alignment, which only need a
#: lemma once). From simplemma 2.0 it shares the one loaded dictionary with
#: ``simplemma.lemmatize`` and ``simplemma.is_known``.
_LEMMATIZER = simplemma.Lemmatizer(cache_max_size=0)


@lru_cache(maxsize=WORD_CACHE)
def lemma(word: str) -> str:
    """The English lemma of a word (simplemma's), lower-cased; cached, one cache for the
    surface forms and the alignment alike. Names get odd lemmas too.

    >>> lemma("forces"), lemma("Velling")
    ('force', 'vell')
    """
    return _LEMMATIZER.lemmatize(word, lang="en").lower()


#: Documents whose text a lookup keeps unpacked for the next ones.
UNPACKED_DOCUMENTS = 64

#: A lookup counts its hits per sentence of their range when the range is at most this
#: many times the number of hits, and sorts them otherwise.
DENSE_LOOKUP = 8

#: Postings one lookup reads, at most, beyond those of the line's two rarest keys.
LOOKUP_BUDGET = 20_000

#: Sentences an index kept on disk holds in memory before it moves them there (a few MB).
SPILL_SENTENCES = 50_000


def index_key(word: str) -> str | None:
    """The index key of a joined word: its stem, or None for a function word or an
    empty one."""
    return stem(word) if word and word not in FUNCTION_WORDS else None


def index_keys(words: Sequence[str]) -> set[str]:
    """The index keys of some joined words: the stems of the content words.

    >>> sorted(index_keys(["forces", "the", "launched"]))
    ['forc', 'launch']
    """
    keys = set(map(index_key, words))
    keys.discard(None)
    return keys  # type: ignore[return-value]


#: The index key of each word as written (None: a function word, or nothing left once
#: joined): a cache that is emptied when it reaches :data:`KEYED_WORDS` entries.
_written_keys: dict[str, str | None] = {}
KEYED_WORDS = WORD_CACHE


def _learn_keys(words: set[str]) -> None:
    """Add the index keys of ``words`` to :data:`_written_keys`."""
    if len(_written_keys) >= KEYED_WORDS:
        _written_keys.clear()
    for word in words.difference(_written_keys):
        _written_keys[word] = index_key(joined(word))


def keyed_sentences(tokens: Tokens) -> list[tuple[int, int, tuple[str, ...]]]:
    """``(start, end, keys)`` of each sentence of ``tokens`` that has index keys.

    >>> [sorted(keys) for _, _, keys in keyed_sentences(tokenize("Forces launched it. It."))]
    [['forc', 'launch']]
    """
    found = []
    key_of = _written_keys
    for start, end, words in tokens.sentence_words():
        distinct = set(words)
        if not key_of.keys() >= distinct:
            _learn_keys(distinct)
        # Set and map work in C: a sentence costs a few calls, not one per word.
        keys = set(map(key_of.__getitem__, distinct))
        keys.discard(None)
        if len(keys) >= MIN_KEYS:
            # A tuple in the set's order: the same postings, in a sixth of a set's
            # memory (a long document holds every sentence's keys here at once).
            found.append((start, end, tuple(keys)))
    return found


def split_sentences(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text``; lines never share a sentence.

    >>> t = "Rain fell. The river rose.\\nRoads closed"
    >>> [t[a:b] for a, b in split_sentences(t)]
    ['Rain fell.', 'The river rose.', 'Roads closed']
    """
    return iter(_sentence_spans(text))


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for brk in _BREAK.finditer(text):
        cut, after = brk.span("space") if brk.lastgroup == "space" else brk.span()
        piece = text[start:cut]
        stripped = piece.strip()
        if stripped:
            lead = start + len(piece) - len(piece.lstrip())
            spans.append((lead, lead + len(stripped)))
        start = after
    piece = text[start:]
    stripped = piece.strip()
    if stripped:
        lead = start + len(piece) - len(piece.lstrip())
        spans.append((lead, lead + len(stripped)))
    return spans


def pack_text(text: str) -> bytes:
    """``text`` compressed: a fast zlib level, since every document of the corpus is
    packed once and few are read back."""
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


def unpack_text(packed: bytes) -> str:
    """The text :func:`pack_text` packed."""
    return zlib.decompress(packed).decode("utf-8", "surrogatepass")


def _shifted(numbers: array, shift: int) -> array:
    """``numbers`` (an ``array("i")``) with ``shift`` added to each, computed as a whole."""
    if not shift:
        return array("i", numbers)
    moved = numpy.frombuffer(numbers, dtype=numpy.intc) + shift
    return array("i", moved.astype(numpy.intc).tobytes())


def _sorted_scores(
    arrays: list[numpy.ndarray], key_weights: list[float], needed: int
) -> tuple[numpy.ndarray, numpy.ndarray]:
    """The sentences found in at least ``needed`` of ``arrays`` (ascending postings, one
    per key) and each one's sum of ``key_weights``, added in key order.

    Each hit is packed into one number, its sentence above the number of its key, and the
    hits are sorted as numbers: each key's run is already in order, so the sort merges
    runs, a sentence's hits end up together in key order, and no argsort is needed. A
    sentence found once is dropped before its score is summed (most are, when
    ``needed`` is 2 or more).
    """
    shift = max(len(arrays) - 1, 1).bit_length()
    hits = numpy.concatenate(
        [(a.astype(numpy.int64) << shift) | key for key, a in enumerate(arrays)]
    )
    hits.sort(kind="stable")
    sentence = hits >> shift
    repeated = sentence[1:] == sentence[:-1]
    if needed >= 2:
        twice = numpy.zeros(len(hits), dtype=bool)
        twice[:-1] = repeated
        twice[1:] |= repeated
        hits, sentence = hits[twice], sentence[twice]
        repeated = sentence[1:] == sentence[:-1]
    if not len(hits):
        return sentence, numpy.zeros(0)
    first = numpy.empty(len(hits), dtype=bool)
    first[0] = True
    numpy.logical_not(repeated, out=first[1:])
    group = numpy.cumsum(first) - 1
    kept = numpy.bincount(group) >= needed
    weights = numpy.asarray(key_weights)[hits & ((1 << shift) - 1)]
    # bincount adds in input order, so each score is summed in key order.
    return sentence[first][kept], numpy.bincount(group, weights)[kept]


@dataclass(frozen=True, slots=True)
class Passage:
    """A stretch of one document around sentences that may hold a line's original.

    ``sentences`` are ``(start, end)`` offsets into ``text``; ``raw`` holds the matching
    raw offsets in document ``source``.
    """

    source: str
    text: str
    sentences: tuple[tuple[int, int], ...]
    raw: tuple[tuple[int, int], ...]
    origin: str = "run"


class SentenceIndex:
    """Sentences of many documents, looked up by the content words they share with a line.

    Sentences and documents are numbered in the order they were added. The latest ones
    are held in memory (the attributes below); once :meth:`keep_on_disk` is called, the
    earlier ones are in :attr:`store`, which holds the first :attr:`stored_sentences`
    sentences and :attr:`stored_documents` documents.

    >>> index = SentenceIndex()
    >>> index.add("a.txt", "Storms closed the coast road. Officials expect repairs to take weeks.")
    >>> [p.source for p in index.lookup("official expect repair take week".split())]
    ['a.txt']
    """

    def __init__(self, limit: int = 2_000_000, origin: str = "run") -> None:
        self.limit = limit
        self.origin = origin
        self.sources: list[str] = []
        #: Per document: where it came from (``run``, or ``originals`` for a folder).
        self.origins: list[str] = []
        #: Per document: the text from its first indexed sentence to its last, packed
        #: (:func:`pack_text`): the index holds a copy of the corpus.
        self.texts: list[bytes] = []
        self.doc = array("i")
        self.start = array("i")
        self.end = array("i")
        self.raw_start = array("i")
        self.raw_end = array("i")
        self.postings: dict[str, array] = {}
        #: Sentences left out because the index was full.
        self.dropped = 0
        #: Where earlier sentences went, once the index keeps them on disk.
        self.store: SentenceStore | None = None
        self._on_disk = False
        self._unpacked: dict[int, tuple[str, str, str]] = {}

    def __len__(self) -> int:
        return self.stored_sentences + len(self.doc)

    @property
    def stored_sentences(self) -> int:
        return self.store.sentences if self.store else 0

    @property
    def stored_documents(self) -> int:
        return self.store.documents if self.store else 0

    def keep_on_disk(self) -> None:
        """From now on, move the sentences held in memory to disk whenever there are
        :data:`SPILL_SENTENCES` of them. Lookups give the same answers either way."""
        self._on_disk = True
        self._spill_if_full()

    def _spill_if_full(self) -> None:
        if not self._on_disk or len(self.doc) < SPILL_SENTENCES:
            return
        if self.store is None:
            self.store = SentenceStore()
        columns = (self.doc, self.start, self.end, self.raw_start, self.raw_end)
        self.store.append(
            columns, zip(self.sources, self.origins, self.texts, strict=True), self.postings
        )
        for column in columns:
            del column[:]
        self.sources, self.origins, self.texts, self.postings = [], [], [], {}

    def ready_for_lookups(self) -> None:
        """Call once the index is complete: the postings kept on disk are then gathered
        key by key (:meth:`SentenceStore.gather`), so each lookup reads a key's postings
        at once. Adding to the index afterwards still works."""
        if self.store is not None:
            self.store.gather()

    @property
    def full(self) -> bool:
        return self.dropped > 0

    def add(
        self,
        source: str,
        text: str,
        raw_offsets: Callable[[int, int], tuple[int, int]] | None = None,
    ) -> None:
        """Index the sentences of one document's ``text``.

        ``raw_offsets(start, end)`` maps a range of ``text`` to the raw input; without it
        the text is the raw input.
        """
        parts = tokenize_in_parts(text)
        found = list(chain.from_iterable(map(keyed_sentences, parts)))
        self.add_keyed_sentences(source, text, raw_offsets, found)

    def add_keyed_sentences(
        self,
        source: str,
        text: str,
        raw_offsets: Callable[[int, int], tuple[int, int]] | None,
        found: list[tuple[int, int, tuple[str, ...]]],
    ) -> None:
        """:meth:`add`, given :func:`keyed_sentences` of the text's sentences (of all its
        parts, in order): all of them are indexed, or none when the index has no room."""
        if not found:
            return
        if len(self) + len(found) > self.limit:
            self.dropped += len(found)
            return
        base = found[0][0]
        number = self.stored_documents + len(self.sources)
        self.sources.append(source)
        self.origins.append(self.origin)
        self.texts.append(pack_text(text[base : found[-1][1]]))
        first = len(self)
        starts = [start for start, _, _ in found]
        ends = [end for _, end, _ in found]
        self.doc.extend(array("i", [number]) * len(found))
        self.start.extend(array("i", map(sub, starts, repeat(base))))
        self.end.extend(array("i", map(sub, ends, repeat(base))))
        if raw_offsets is None:
            self.raw_start.extend(starts)
            self.raw_end.extend(ends)
        else:
            raw = list(map(raw_offsets, starts, ends))
            self.raw_start.extend(a for a, _ in raw)
            self.raw_end.extend(b for _, b in raw)
        postings = self.postings
        for sentence, (_, _, keys) in enumerate(found, first):
            for key in keys:
                posting = postings.get(key)
                if posting is None:
                    postings[key] = array("i", (sentence,))
                else:
                    posting.append(sentence)
        self._spill_if_full()

    def merge(self, other: SentenceIndex) -> SentenceIndex:
        """Add the documents of ``other`` after this index's own (as far as they fit).

        ``other`` must hold all its sentences in memory (as the index of one shard does).
        """
        if other.store is not None:
            raise ValueError("an index kept on disk can be merged into, not merged")
        self.dropped += other.dropped
        room = self.limit - len(self)
        count = len(other.doc)
        if count > room:
            # Keep whole documents: cut before the first sentence of the document that
            # does not fit.
            cut = room
            while cut > 0 and other.doc[cut - 1] == other.doc[cut]:
                cut -= 1
            self.dropped += count - cut
            count = cut
        if not count:
            return self
        doc_shift, sentence_shift = self.stored_documents + len(self.sources), len(self)
        documents = other.doc[count - 1] + 1
        self.sources.extend(other.sources[:documents])
        self.origins.extend(other.origins[:documents])
        self.texts.extend(other.texts[:documents])
        self.doc.extend(_shifted(other.doc[:count], doc_shift))
        for name in ("start", "end", "raw_start", "raw_end"):
            getattr(self, name).extend(getattr(other, name)[:count])
        for key, ids in other.postings.items():
            # Postings ascend, so the sentences that fit are a prefix.
            kept = bisect_left(ids, count) if ids[-1] >= count else len(ids)
            if not kept:
                continue
            shifted = _shifted(ids[:kept], sentence_shift)
            mine = self.postings.get(key)
            if mine is None:
                self.postings[key] = shifted
            else:
                mine.extend(shifted)
        self._spill_if_full()
        return self

    def lookup(self, tokens: Sequence[str], count: int = 6, max_keys: int = 12) -> list[Passage]:
        """The passages holding the ``count`` sentences that share the rarest content
        words with the normalised ``tokens``, each with its neighbours, best first.

        A sentence must share at least two keys (or the line's only one).
        """
        if not len(self):
            return []
        keys = index_keys(tokens)
        stored = self.store.counts(keys) if self.store else {}
        weighted = []
        for key in keys:
            df = stored.get(key, 0) + len(self.postings.get(key, ()))
            if df:
                weighted.append((df, key))
        # The rarest keys find the sentence; the commonest only add work. Keys beyond the
        # two rarest stop once their postings pass a budget, so a lookup costs the same
        # however large the index grows (common words would make it grow with the corpus).
        weighted.sort()
        weighted = weighted[:max_keys]
        visits = 0
        for position, (df, _) in enumerate(weighted):
            visits += df
            if position >= 2 and visits > LOOKUP_BUDGET:
                weighted = weighted[:position]
                break
        needed = 2 if len(weighted) > 1 else 1
        hits = self._best_sentences(weighted, needed, count)
        # A long line may be a paragraph: reach far enough for its every sentence.
        reach = max(NEIGHBOURS, len(tokens) // 5)
        return self._passages(hits, reach)

    def _best_sentences(
        self, weighted: list[tuple[int, str]], needed: int, count: int
    ) -> list[int]:
        """The ``count`` sentences with the highest sum of key weights among those holding
        at least ``needed`` of the ``weighted`` keys, best first (the earlier on a tie).

        Postings are counted and summed as arrays: a lookup visits thousands of them.
        Each sentence's weights are added in key order, so scores (and ties) come out the
        same on every run.
        """
        arrays = [self._posting(key) for _, key in weighted]
        if not arrays:
            return []
        if len(arrays) == 1:
            # One key: every sentence holding it scores the same, and the earliest win.
            return arrays[0][:count].tolist() if needed <= 1 else []
        total = len(self)
        key_weights = [math.log(1 + total / df) for df, _ in weighted]
        # Postings ascend: their ends give the range of the hits.
        low = min(int(a[0]) for a in arrays if len(a))
        high = max(int(a[-1]) for a in arrays if len(a))
        if high - low < DENSE_LOOKUP * sum(map(len, arrays)):
            # The hits are dense in their range: count them per sentence of the range,
            # which is cheaper than sorting them.
            ids = numpy.concatenate(arrays)
            weights = numpy.repeat(key_weights, [len(a) for a in arrays])
            offsets = ids - low
            kept = numpy.flatnonzero(numpy.bincount(offsets) >= needed)
            # bincount adds in input order, so each score is summed in key order.
            scores = numpy.bincount(offsets, weights)[kept]
            sentences = kept + low
        else:
            sentences, scores = _sorted_scores(arrays, key_weights, needed)
        best = numpy.lexsort((sentences, -scores))[:count]
        return sentences[best].tolist()

    def _posting(self, key: str) -> numpy.ndarray:
        """The sentences holding ``key``, ascending (those on disk first)."""
        parts = self.store.postings(key) if self.store else []
        held = self.postings.get(key)
        if held:
            parts.append(numpy.frombuffer(held, dtype=numpy.intc))
        return parts[0] if len(parts) == 1 else numpy.concatenate(parts)

    def _columns(self, first: int, last: int) -> list[Sequence[int]]:
        """The document, start, end, raw start and raw end of sentences ``first`` to
        ``last`` (both included), one sequence per column."""
        stored = self.stored_sentences
        held = (self.doc, self.start, self.end, self.raw_start, self.raw_end)
        if first >= stored:
            return [column[first - stored : last + 1 - stored] for column in held]
        rows = self.store.rows(first, min(last, stored - 1))  # type: ignore[union-attr]
        if last >= stored:
            rest = [numpy.frombuffer(c, dtype=numpy.intc)[: last + 1 - stored] for c in held]
            rows = numpy.concatenate([rows, numpy.column_stack(rest)])
        return rows.T.tolist()

    def _document(self, number: int) -> tuple[str, str, bytes]:
        """``(source, origin, packed text)`` of document ``number``."""
        stored = self.stored_documents
        if number >= stored:
            held = number - stored
            return self.sources[held], self.origins[held], self.texts[held]
        return self.store.document(number)  # type: ignore[union-attr]

    def _passages(self, hits: list[int], reach: int) -> list[Passage]:
        """Passages around ``hits`` (best first): ``reach`` sentences on each side, and
        hits of one document close enough to share a passage merged into one."""
        by_doc: dict[int, list[int]] = {}
        for hit in hits:
            by_doc.setdefault(self._columns(hit, hit)[0][0], []).append(hit)
        ranges = []  # (rank of the best hit, first sentence, its columns)
        # Documents come in the order of their best hit, which is the passages' rank.
        for rank, (number, found) in enumerate(by_doc.items()):
            found.sort()
            first, last = found[0], found[0]
            for hit in found[1:]:
                if hit - last > 2 * reach:
                    ranges.append((rank, *self._widen(number, first, last, reach)))
                    first = hit
                last = hit
            ranges.append((rank, *self._widen(number, first, last, reach)))
        ranges.sort(key=lambda found: found[:2])
        return [self._passage(columns) for _, _, columns in ranges]

    def _widen(
        self, number: int, first: int, last: int, reach: int
    ) -> tuple[int, list[Sequence[int]]]:
        """Sentences ``first`` to ``last`` of document ``number`` and up to ``reach`` more
        of it on each side: the first one's number and their columns (:meth:`_columns`)."""
        low = max(first - reach, 0)
        high = min(last + reach, len(self) - 1)
        columns = self._columns(low, high)
        doc = columns[0]
        start, end = 0, high - low
        while doc[start] != number:
            start += 1
        while doc[end] != number:
            end -= 1
        return low + start, [column[start : end + 1] for column in columns]

    def text(self, number: int) -> str:
        """The indexed text of document ``number``."""
        return self._unpacked_document(number)[2]

    def _unpacked_document(self, number: int) -> tuple[str, str, str]:
        """``(source, origin, text)`` of document ``number``."""
        # The lines of one normalised document find their originals in the same few
        # documents: keep the last ones read unpacked.
        cache = self._unpacked
        found = cache.pop(number, None)
        if found is None:
            source, origin, packed = self._document(number)
            found = (source, origin, unpack_text(packed))
            if len(cache) >= UNPACKED_DOCUMENTS:
                del cache[next(iter(cache))]  # the one used longest ago
        cache[number] = found
        return found

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_unpacked": {}}  # a cache: not worth sending

    def _passage(self, columns: list[Sequence[int]]) -> Passage:
        """The passage of some neighbouring sentences of one document, given their
        columns (:meth:`_columns`)."""
        doc, start, end, raw_start, raw_end = columns
        number, base = doc[0], start[0]
        source, origin, text = self._unpacked_document(number)
        return Passage(
            source=source,
            text=text[base : end[-1]],
            sentences=tuple(
                zip(map(sub, start, repeat(base)), map(sub, end, repeat(base)), strict=True)
            ),
            raw=tuple(zip(raw_start, raw_end, strict=True)),
            origin=origin,
        )
