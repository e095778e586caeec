"""Aligning a normalised line, token by token, with a sentence it may come from.

The pipeline that normalised the line is unknown, so two words are the same word when
they share a *key*: the Snowball stem of the word or of its simplemma lemma (``said``,
``say`` -> ``say``; ``forces``, ``forc`` -> ``forc``), or that stem less its last letter
(``waged`` -> ``wage`` also meets a lemmatiser's ``wag``). The alignment is the longest
common subsequence of keys, found from the matching pairs only (Hunt and Szymanski's
method), so a long passage costs little.

The score is the F1 of two shares: *recall*, the share of the line's tokens found in
order in the original, and *precision*, the share of the original's words that the line
kept, where a word the normalising pipeline would have dropped weighs nothing and any
other word weighs one. Which stopwords were dropped is read off the normalised document
itself (:class:`WordWeights`): the known list that (almost) none of its tokens belong
to. An original normalised by any pipeline scores near 1; a sentence another outlet
reworded scores lower, in proportion to the rewording.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import compress, repeat
from operator import not_, sub

from cleankit import ConfigError
from cleankit.prose import FUNCTION_WORDS
from cleankit_plugins.normalizer import stopword_list
from cleankit_plugins.sentence_index import WORD, WORD_CACHE, Passage, joined, lemma, stem

#: Weight of an unkept original word that only some stopword lists drop, when the
#: document's own list could not be told.
LIST_STOPWORD_WEIGHT = 0.5
#: Largest share of a document's tokens that may belong to the stopword list that made it
#: (lemmatising after removing stopwords can turn a kept word into a listed one).
LIST_TOLERANCE = 0.08
#: Named stopword lists the weights are inferred among (those installed).
KNOWN_LISTS = ("cleankit", "stop-words", "iso", "sklearn", "spacy")


@dataclass(frozen=True, slots=True)
class Match:
    """The best original found for a line, and how well it matches."""

    score: float
    recall: float
    precision: float
    source: str
    origin: str
    #: The original: one sentence or a run of neighbouring sentences, as written.
    text: str
    #: Raw offsets of :attr:`text` in document :attr:`source`.
    start: int
    end: int
    #: ``(token index, start, end)``: each matched token and its word in :attr:`text`.
    alignment: tuple[tuple[int, int, int], ...]


#: A word's keys, each once. A tuple: the caches below hold one per word, and a tuple
#: of two takes a quarter of a frozenset's memory; the keys are only ever iterated or
#: intersected with a set.
Keys = tuple[str, ...]

#: Glued pairs a cache keeps: a pair recurs while the passage it is in is aligned with
#: the lines of one document, and is rarely seen again after.
GLUED_PAIRS_CACHE = 1 << 14


@lru_cache(maxsize=WORD_CACHE)
def token_keys(token: str) -> Keys:
    """The keys of a normalised token.

    >>> token_keys("forces"), token_keys("said")
    (('forc',), ('said', 'say'))
    """
    return _two_stems(stem(token), stem(lemma(token)))


def _two_stems(of_word: str, of_lemma: str) -> Keys:
    """The stems of a word and of its lemma as :data:`Keys`: one key when they agree."""
    return (of_word,) if of_word == of_lemma else (of_word, of_lemma)


# Uncached: a glued pair is rarely a word of its own, and would only crowd the shared
# caches of stems (when the stemmer has one) and lemmas.
_stem_uncached = getattr(stem, "__wrapped__", stem)
_lemma_uncached = lemma.__wrapped__


@lru_cache(maxsize=GLUED_PAIRS_CACHE)
def glued_pair_keys(pair: str) -> Keys:
    """:func:`token_keys` of two neighbouring words joined ("war" + "which"), as a tuple.

    Passages hold many such pairs, most of them seen in a few passages only. Their own
    cache keeps them out of the caches of common words.

    >>> glued_pair_keys("warwhich"), glued_pair_keys("underwent")
    (('warwhich',), ('underw', 'undergo'))
    """
    return _two_stems(_stem_uncached(pair), _stem_uncached(_lemma_uncached(pair)))


@lru_cache(maxsize=WORD_CACHE)
def word_keys(word: str) -> Keys:
    """The keys of a joined original word (with each stem less its last letter).

    >>> sorted(word_keys("waged"))
    ['wag', 'wage']
    """
    stems = {stem(word), stem(lemma(word))}
    return tuple(stems | {s[:-1] for s in stems if len(s) >= 4})


@lru_cache(maxsize=1)
def _known_lists() -> dict[str, frozenset[str]]:
    lists = {}
    for name in KNOWN_LISTS:
        try:
            lists[name] = stopword_list(name)
        except ConfigError:  # a list whose package is not installed
            continue
    return lists


class WordWeights:
    """How much an original word that a normalised text lacks counts against a match.

    Nothing for a stopword of the list that made the text, one for any other word. The
    list is the longest known one to which hardly any of ``tokens`` belong (at most
    :data:`LIST_TOLERANCE` of them); when none fits, function
    words weigh nothing and the words of any list weigh :data:`LIST_STOPWORD_WEIGHT`.

    >>> WordWeights("council vote close bridge repair".split()).list_name
    'iso'
    >>> WordWeights("council vote new bridge year first".split()).list_name
    'cleankit'
    """

    def __init__(self, tokens: Sequence[str]) -> None:
        words = [t for t in tokens if t]
        self.list_name: str | None = None
        self.dropped = FUNCTION_WORDS
        self._listed: frozenset[str] = frozenset()
        self._known: dict[str, float] = {}
        shares = {
            name: sum(w in listed for w in words) / len(words)
            for name, listed in (_known_lists().items() if words else ())
        }
        fits = [name for name, share in shares.items() if share <= LIST_TOLERANCE]
        if fits:
            # Lists nest (a longer one holds most of a shorter one): the longest list
            # that is (almost) absent from the text is the one that was used.
            self.list_name = max(fits, key=lambda n: len(_known_lists()[n]))
            self.dropped = _known_lists()[self.list_name] | FUNCTION_WORDS
        else:
            self._listed = frozenset().union(*_known_lists().values())

    def __call__(self, word: str) -> float:
        if word in self.dropped:
            return 0.0
        return LIST_STOPWORD_WEIGHT if word in self._listed else 1.0

    def each(self, words: list[str]) -> list[float]:
        """The weight of each of ``words``, looked up in C once every word is known."""
        known = self._known
        new = set(words).difference(known)
        if new:
            if len(known) + len(new) > WORD_CACHE:
                known.clear()
                new = set(words)
            for word in new:
                known[word] = self(word)
        return list(map(known.__getitem__, words))


@lru_cache(maxsize=1)
def _default_weights() -> WordWeights:
    """The weights when the normalised document is not known: no list inferred."""
    return WordWeights([])


@dataclass(slots=True)
class _Words:
    """The words of a passage: offsets, weights, sentence of each, and key positions."""

    spans: list[tuple[int, int]]
    weights: list[float]
    sentence: list[int]
    positions: dict[str, list[int]]


def _words(passage: Passage, weigh: WordWeights, wanted: frozenset[str]) -> _Words:
    """The words of ``passage``, with the positions of the keys in ``wanted`` (the keys of
    the line being aligned: no other key is ever looked up).

    A key's positions are the words that have it, and the word before a pair of words
    glued by something other than spaces ("logic—that", "war, which") when the pair
    joined has it: a pipeline that split at spaces saw one token there. The words are
    found, joined, weighed and placed in their sentences by calls that run in C; Python
    visits a word only when it holds a wanted key.
    """
    text = passage.text
    matches = list(WORD.finditer(text))
    words = list(map(joined, map(re.Match.group, matches)))
    if not all(words):  # a word with nothing left once joined: rare, done one by one
        return _words_one_by_one(passage, weigh, wanted)
    spans = list(map(re.Match.span, matches))
    # The sentence a word is in: the last one starting at or before it (the passage
    # starts with its first sentence).
    starts = [start for start, _ in passage.sentences]
    places = map(partial(bisect_right, starts), map(re.Match.start, matches))
    sentence = list(map(sub, places, repeat(1)))
    positions: dict[str, list[int]] = {}
    hits = {w for w in set(words) if not wanted.isdisjoint(word_keys(w))}
    for index in compress(itertools.count(), map(hits.__contains__, words)):
        for key in wanted.intersection(word_keys(words[index])):
            positions.setdefault(key, []).append(index)
    # The text between neighbouring words; where it is not all spaces, the pair may match.
    gaps = WORD.split(text)[1:-1]
    for index in compress(range(len(gaps)), map(not_, map(str.isspace, gaps))):
        for key in wanted.intersection(glued_pair_keys(words[index] + words[index + 1])):
            positions.setdefault(key, []).append(index)
    for places in positions.values():
        places.sort()
    return _Words(spans, weigh.each(words), sentence, positions)


def _words_one_by_one(passage: Passage, weigh: WordWeights, wanted: frozenset[str]) -> _Words:
    """:func:`_words` for a passage where some word is left empty once joined: such a
    word is skipped, and the words on its two sides count as neighbours."""
    spans, weights, sentence_of, positions = [], [], [], {}
    bounds = passage.sentences
    text = passage.text
    current = 0
    previous = None  # (index, joined word, end) of the word before
    for match in WORD.finditer(text):
        while current + 1 < len(bounds) and match.start() >= bounds[current + 1][0]:
            current += 1
        word = joined(match.group())
        if not word:
            continue
        index = len(spans)
        spans.append(match.span())
        weights.append(weigh(word))
        sentence_of.append(current)
        for key in wanted.intersection(word_keys(word)):
            positions.setdefault(key, []).append(index)
        if previous is not None and not text[previous[2] : match.start()].isspace():
            for key in wanted.intersection(glued_pair_keys(previous[1] + word)):
                positions.setdefault(key, []).append(previous[0])
        previous = (index, word, match.end())
    for places in positions.values():
        places.sort()
    return _Words(spans, weights, sentence_of, positions)


def common_subsequence(
    keys: Sequence[Iterable[str]],
    positions: dict[str, list[int]],
    low: int = 0,
    high: int | None = None,
) -> list[tuple[int, int]]:
    """The longest in-order pairing ``(token index, word index)`` of tokens with words
    sharing a key, using only words ``low`` to ``high`` (inclusive; None: to the end).

    >>> pos = {"a": [0, 3], "b": [1], "c": [2]}
    >>> common_subsequence([("a",), ("c",), ("a",)], pos)
    [(0, 0), (1, 2), (2, 3)]
    """
    return _longest_pairing(_places(keys, positions), low, high)


def _places(keys: Sequence[Iterable[str]], positions: dict[str, list[int]]) -> list[list[int]]:
    """For each token, the words sharing a key with it, ascending."""
    places = []
    for token in keys:
        found: set[int] = set()
        for key in token:
            found.update(positions.get(key, ()))
        places.append(sorted(found))
    return places


def _longest_pairing(
    places: list[list[int]], low: int = 0, high: int | None = None
) -> list[tuple[int, int]]:
    """:func:`common_subsequence` from each token's words (:func:`_places`)."""
    tails: list[int] = []  # tails[k]: the smallest word ending a common run of k + 1
    ends: list[tuple[int, int, tuple | None]] = []
    for i, found in enumerate(places):
        if low > 0 or high is not None:
            found = found[
                bisect_left(found, low) : None if high is None else bisect_right(found, high)
            ]
        # Larger positions first, so one token never extends its own run.
        for j in reversed(found):
            k = bisect_left(tails, j)
            node = (i, j, ends[k - 1] if k else None)
            if k == len(tails):
                tails.append(j)
                ends.append(node)
            else:
                tails[k] = j
                ends[k] = node
    pairs = []
    node = ends[-1] if ends else None
    while node is not None:
        pairs.append((node[0], node[1]))
        node = node[2]
    pairs.reverse()
    return pairs


def _f1(recall: float, precision: float) -> float:
    return 2 * recall * precision / (recall + precision) if recall + precision else 0.0


def _word_bounds(sentence_of: list[int], count: int) -> list[tuple[int, int]]:
    """For each sentence, the first and last index of its words (an empty range,
    ``(i, i - 1)``, for a sentence without words)."""
    first: list[int | None] = [None] * count
    last = [0] * count
    for j, sentence in enumerate(sentence_of):
        if first[sentence] is None:
            first[sentence] = j
        last[sentence] = j
    bounds, position = [], 0
    for s in range(count):
        if first[s] is None:
            bounds.append((position, position - 1))
        else:
            bounds.append((first[s], last[s]))
            position = last[s] + 1
    return bounds


def align(
    tokens: Sequence[str], passage: Passage, weights: WordWeights | None = None
) -> Match | None:
    """The best run of ``passage``'s sentences for the normalised ``tokens``, aligned.

    >>> p = Passage("d1", "Heavy rain fell overnight. The river burst its banks.",
    ...             ((0, 26), (27, 53)), ((0, 26), (27, 53)))
    >>> m = align("river burst bank".split(), p)
    >>> m.text, m.score, m.alignment[0]
    ('The river burst its banks.', 1.0, (0, 4, 9))
    """
    if not tokens:
        return None
    keys = [token_keys(t) for t in tokens]
    words = _words(passage, weights or _default_weights(), frozenset().union(*keys))
    places = _places(keys, words.positions)  # the same in every run tried below
    pairs = _longest_pairing(places)
    if not pairs:
        return None
    count = len(passage.sentences)
    matched = [0] * count
    unmatched = [0.0] * count
    paired = {j for _, j in pairs}
    for j, sentence in enumerate(words.sentence):
        if j in paired:
            matched[sentence] += 1
        else:
            unmatched[sentence] += words.weights[j]
    with_matches = [s for s in range(count) if matched[s]]
    best, best_run = -1.0, (0, 0)
    for a_pos, a in enumerate(with_matches):
        for b in with_matches[a_pos:]:
            kept = sum(matched[a : b + 1])
            lost = sum(unmatched[a : b + 1])
            score = _f1(kept / len(tokens), kept / (kept + lost))
            if score > best + 1e-9:
                best, best_run = score, (a, b)
    # Each run is aligned afresh (the first pass may have spent tokens outside it), and
    # the best one grows or shrinks by a sentence at a time while its score improves.
    bounds = _word_bounds(words.sentence, count)

    def scored(run: tuple[int, int]) -> tuple[float, tuple[int, int], list[tuple[int, int]]]:
        low, high = bounds[run[0]][0], bounds[run[1]][1]
        found = _longest_pairing(places, low, high)
        kept = len(found)
        lost = sum(words.weights[low : high + 1]) - sum(words.weights[j] for _, j in found)
        precision = kept / (kept + lost) if kept else 0.0
        return _f1(kept / len(tokens), precision), run, found

    best_found = scored(best_run)
    tried = {best_run}
    while True:
        a, b = best_found[1]
        steps = [(a - 1, b), (a, b + 1), (a + 1, b), (a, b - 1)]
        runs = [r for r in steps if 0 <= r[0] <= r[1] < count and r not in tried]
        tried.update(runs)
        better = max((scored(r) for r in runs), default=None, key=lambda f: f[0])
        if better is None or better[0] <= best_found[0] + 1e-9:
            break
        best_found = better
    _, (a, b), pairs = best_found
    low, high = bounds[a][0], bounds[b][1]
    lost = sum(words.weights[low : high + 1]) - sum(words.weights[j] for _, j in pairs)
    recall = len(pairs) / len(tokens)
    precision = len(pairs) / (len(pairs) + lost) if pairs else 0.0
    offset = passage.sentences[a][0]
    return Match(
        score=round(_f1(recall, precision), 3),
        recall=round(recall, 3),
        precision=round(precision, 3),
        source=passage.source,
        origin=passage.origin,
        text=passage.text[offset : passage.sentences[b][1]],
        start=passage.raw[a][0],
        end=passage.raw[b][1],
        alignment=tuple(
            (i, words.spans[j][0] - offset, words.spans[j][1] - offset) for i, j in pairs
        ),
    )


def best_match(
    tokens: Sequence[str], passages: Sequence[Passage], weights: WordWeights | None = None
) -> Match | None:
    """The best-scoring :func:`align` over ``passages`` (the earlier one on a tie)."""
    best = None
    for passage in passages:
        match = align(tokens, passage, weights)
        if match is not None and (best is None or match.score > best.score):
            best = match
            if best.score >= 1.0:
                break  # nothing later can score higher, and a tie keeps the earlier one
    return best
