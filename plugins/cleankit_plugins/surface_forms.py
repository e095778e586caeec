"""How the corpus writes the words that normalisation flattened.

Normalising a text loses case, hyphens and apostrophes (``al-Abadi`` -> ``alabadi``,
``US-led`` -> ``usled``, ``1,500`` -> ``1500``). Where a line has no original, its words
can still be given back the form the rest of the corpus uses for them: the form written
most often, when it is written that way more often than plain lower-case. The first
word of a sentence and headline-case lines are no evidence of case; pairs of
capitalised words (``Islamic State``) are counted too, so that ``state`` after
``islamic`` becomes ``State`` while ``state`` alone stays as it is: a word seen only
inside such names takes the name's form when it is not a dictionary word (``al-Abadi``
in ``Haider al-Abadi``, but not ``state``), and a word also seen on its own takes the
form it has on its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import chain, compress, pairwise
from typing import Any

import numpy
import simplemma

from cleankit.prose import FUNCTION_WORDS
from cleankit_plugins.sentence_index import (
    WORD_CACHE,
    Tokens,
    joined,
    lemma,
    tokenize_in_parts,
)

#: Key of the plain lower-case form in a word's counts.
PLAIN = ""
#: Prefix of a form seen inside a run of capitalised words (``State`` in ``Islamic
#: State``): it decides the word's form only when the word is never seen alone.
IN_NAME = "\x00"
#: Prefix of a form counted under its lemma (``Velling`` under ``vell``): used only when
#: the lemma is not seen otherwise and is not a dictionary word.
LEMMA = "\x01"
#: Times a pair of capitalised words must be seen to decide its form.
MIN_PAIR_COUNT = 1


def load_dictionary() -> None:
    """Load the lemmatiser's dictionary now (it loads on first use, which takes a fraction
    of a second): done before worker processes are forked, they share one copy."""
    lemma("loaded")


def _bare(word: str) -> str:
    if len(word) > 2 and word[-2] in "'’" and word[-1] in "sS":
        return word[:-2]
    return word


def _plain(word: str) -> bool:
    """Whether ``word`` is written plain lower-case (or in digits): most words are."""
    return word.isalnum() and (word.islower() or word.isdigit())


#: What a word that is not plain says of its key (:class:`_WordTraits`): nothing (it
#: joins to nothing), the plain form (it is written as its key), only a capital at the
#: start (no evidence at the start of a sentence), or a form of its own.
NOTHING, SAME, FIRST_CAPITAL, FORM = 0, 1, 2, 3


#: Bits of a word's code (:class:`_WordTraits`): plain, four letters or more, four
#: letters or more with a capital, a capitalised word that may be part of a name; the
#: kind is in the bits from :data:`KIND_SHIFT`.
PLAIN_BIT, LONG_BIT, LONG_CAPITAL_BIT, CAPITAL_BIT = 1, 2, 4, 8
KIND_SHIFT = 4


class _WordTraits:
    """What :meth:`SurfaceForms.add` asks of each word as written, worked out once per
    word and looked up in C for the words of a text: a code per word (its bits say
    whether it is plain (:func:`_plain`), long, long with a capital, a capitalised name
    word, and its kind: :data:`FORM` and the others) and, for words that are not plain,
    the word without a possessive and its key (joined). The tables are emptied when they
    reach ``limit`` words."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.code: dict[str, int] = {}
        self.bare: dict[str, str] = {}
        self.key: dict[str, str] = {}

    def codes(self, words: list[str]) -> numpy.ndarray:
        """The code of each of ``words``."""
        distinct = set(words)
        if not self.code.keys() >= distinct:
            self._learn(distinct)
        return numpy.fromiter(map(self.code.__getitem__, words), numpy.uint8, len(words))

    def _learn(self, words: set[str]) -> None:
        if len(self.code) + len(words) > self.limit:
            self.code.clear()
            self.bare.clear()
            self.key.clear()
        for word in words.difference(self.code):
            long = len(word) >= 4
            code = LONG_BIT * long + LONG_CAPITAL_BIT * (long and word[0].isupper())
            if _plain(word):
                self.code[word] = code | PLAIN_BIT
                continue
            bare = _bare(word)
            key = joined(bare)
            self.bare[word], self.key[word] = bare, key
            if bare[:1].isupper() and key not in FUNCTION_WORDS:
                code |= CAPITAL_BIT
            if not key:
                kind = NOTHING
            elif bare == key:
                kind = SAME
            elif bare[1:] == key[1:]:
                kind = FIRST_CAPITAL
            else:
                kind = FORM
            self.code[word] = code | kind << KIND_SHIFT


def _headline_case(codes: numpy.ndarray, bounds: numpy.ndarray) -> numpy.ndarray:
    """Per sentence (``codes[bounds[i] : bounds[i + 1]]``: its words' codes), whether it
    is set in headline case: three or more long words, six in ten or more capitalised."""
    long = _running_sum((codes & LONG_BIT) > 0)
    capital = _running_sum((codes & LONG_CAPITAL_BIT) > 0)
    long_each = long[bounds[1:]] - long[bounds[:-1]]
    capital_each = capital[bounds[1:]] - capital[bounds[:-1]]
    return (long_each >= 3) & (capital_each >= 0.6 * long_each)


def _running_sum(flags: numpy.ndarray) -> numpy.ndarray:
    """0 followed by the running sums of ``flags``."""
    sums = numpy.zeros(len(flags) + 1, dtype=numpy.int64)
    numpy.cumsum(flags, out=sums[1:])
    return sums


_traits = _WordTraits(WORD_CACHE)

#: A word's written forms with their counts, side by side: ``(form, count, form, count,
#: ...)``. Most words have a single form, and a tuple of two takes a third of the memory
#: of a dict holding one entry; a large corpus counts hundreds of thousands of words.
Forms = tuple


def _counted(forms: Forms | None, form: str, count: int = 1) -> Forms:
    """``forms`` with ``count`` more of ``form``."""
    if forms is None:
        return (form, count)
    for at in range(0, len(forms), 2):
        if forms[at] == form:
            return (*forms[:at], form, forms[at + 1] + count, *forms[at + 2 :])
    return (*forms, form, count)


def _as_dict(forms: Forms) -> dict[str, int]:
    return dict(zip(forms[::2], forms[1::2], strict=True))


class SurfaceForms:
    """Counts of the written forms of words (and of capitalised pairs), by joined form.

    >>> forms = SurfaceForms()
    >>> forms.add("Forces led by al-Abadi took the town. The US-led coalition said so.")
    >>> forms.restore("alabadi usled coalition force".split())
    ['al-Abadi', 'US-led', 'coalition', 'force']
    """

    def __init__(self, limit: int = 1_000_000) -> None:
        self.limit = limit
        #: Per joined word (or pair), its written forms other than plain lower-case, with
        #: their counts (:data:`Forms`).
        self.counts: dict[str, Forms] = {}
        #: Per joined word, how often it is written plain lower-case.
        self.plain: Counter[str] = Counter()

    def __len__(self) -> int:
        return len(self.counts) + len(self.plain)

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        # A scan state saved by an older version holds a dict of forms per word.
        if isinstance(next(iter(self.counts.values()), None), dict):
            self.counts = {
                key: tuple(chain.from_iterable(forms.items())) for key, forms in self.counts.items()
            }

    def forms_of(self, key: str) -> dict[str, int]:
        """The written forms counted for joined word (or pair) ``key``, other than plain
        lower-case, with their counts; forms seen in names start with :data:`IN_NAME`,
        forms counted under their lemma with :data:`LEMMA`."""
        forms = self.counts.get(key)
        return {} if forms is None else _as_dict(forms)

    def add(self, text: str) -> None:
        """Count the forms of the words of ``text``."""
        for part in tokenize_in_parts(text):
            self.count(part)
        self.shrink_to_limit()

    def count(self, tokens: Tokens) -> None:
        """Count the forms of the words of ``tokens`` (a text, or a part of one: forms are
        counted within sentences). Call :meth:`shrink_to_limit` once the text is counted.

        Plain words are counted in one go; of the others, those that can say something
        (not in a headline-case sentence, not a capital that only starts a sentence) are
        looked at one by one, with their neighbours in their sentence.
        """
        words = tokens.words
        if words:
            codes = _traits.codes(words)
            plain = (codes & PLAIN_BIT) > 0
            self.plain.update(compress(words, plain.tolist()))
            if not plain.all():
                self._add_special(words, codes, numpy.asarray(tokens.bounds))

    def shrink_to_limit(self) -> None:
        """Forget the rarest words while there are more than ``limit`` of them."""
        if len(self.counts) > self.limit or len(self.plain) > self.limit:
            self._shrink()

    def _add_special(self, words: list[str], codes: numpy.ndarray, bounds: numpy.ndarray) -> None:
        """Count the words that are not plain (``codes``: of every word; ``bounds``: of
        the sentences, as in :class:`~cleankit_plugins.sentence_index.Tokens`)."""
        at = numpy.flatnonzero((codes & PLAIN_BIT) == 0)
        sentence = numpy.searchsorted(bounds, at, side="right") - 1
        kind = codes[at] >> KIND_SHIFT
        first = at == bounds[sentence]
        # Headline-case sentences say nothing of case; nor does a word with no key, or
        # one whose only capital starts its sentence.
        kept = ~_headline_case(codes, bounds)[sentence]
        same = at[kept & (kind == SAME)].tolist()
        self.plain.update(map(_traits.key.__getitem__, map(words.__getitem__, same)))
        looked_at = kept & ((kind == FORM) | ((kind == FIRST_CAPITAL) & ~first))
        counts, bare, key_of = self.counts, _traits.bare, _traits.key
        capital = ((codes & CAPITAL_BIT) > 0).tolist()
        starts = bounds[sentence[looked_at]].tolist()
        ends = bounds[sentence[looked_at] + 1].tolist()
        for j, start, end in zip(at[looked_at].tolist(), starts, ends, strict=True):
            word, key = bare[words[j]], key_of[words[j]]
            before = capital[j] and j > start and capital[j - 1]
            after = j + 1 < end and capital[j + 1]
            form = word
            if capital[j] and (before or after):
                form = IN_NAME + word  # evidence for the name, weak for the word
            if before:
                previous = words[j - 1]
                pair_text = f"{bare[previous]} {word}"
                first_key = key_of[previous]
                for pair_key in {f"{first_key} {key}", f"{lemma(first_key)} {lemma(key)}"}:
                    counts[pair_key] = _counted(counts.get(pair_key), pair_text)
            lemma_of_key = lemma(key)
            if lemma_of_key != key:  # a lemmatiser turns names into odd lemmas too
                counts[lemma_of_key] = _counted(counts.get(lemma_of_key), LEMMA + word)
            counts[key] = _counted(counts.get(key), form)

    def merge(self, other: SurfaceForms) -> SurfaceForms:
        """Add the counts of ``other`` to these."""
        counts = self.counts
        for key, forms in other.counts.items():
            mine = counts.get(key)
            if mine is None:
                counts[key] = forms
                continue
            for at in range(0, len(forms), 2):
                mine = _counted(mine, forms[at], forms[at + 1])
            counts[key] = mine
        self.plain.update(other.plain)
        self.shrink_to_limit()
        return self

    def subset(self, lines: Iterable[Sequence[str]]) -> SurfaceForms:
        """A copy holding only what :meth:`restore` needs for the token ``lines``."""
        counts, plain = self.counts, self.plain
        kept = SurfaceForms(self.limit)
        kept_counts, kept_plain = kept.counts, kept.plain
        # Each word and pair is kept as soon as it is seen, rather than gathered into a
        # set first: the pairs of every line at once can be far larger than what is kept.
        for tokens in lines:
            for token in tokens:
                if token in counts:
                    kept_counts[token] = counts[token]
                if token in plain:
                    kept_plain[token] = plain[token]
            for first, second in pairwise(tokens):
                for pair in (f"{first} {second}", f"{lemma(first)} {lemma(second)}"):
                    if pair in counts:
                        kept_counts[pair] = counts[pair]
        return kept

    def _shrink(self) -> None:
        # Forget the rarest words first, until each table is back under its bound.
        floor = 1
        while len(self.counts) > self.limit:
            self.counts = {k: f for k, f in self.counts.items() if sum(f[1::2]) > floor}
            floor += 1
        floor = 1
        while len(self.plain) > self.limit:
            self.plain = Counter({k: c for k, c in self.plain.items() if c > floor})
            floor += 1

    def form(self, key: str) -> str | None:
        """The written form of joined word ``key`` when the corpus prefers one to plain
        lower-case, else None."""
        counted = self.counts.get(key)
        if not counted:
            return None
        groups: dict[str, dict[str, int]] = {"": {}, IN_NAME: {}, LEMMA: {}}
        for written, count in _as_dict(counted).items():
            mark = written[:1] if written[:1] in (IN_NAME, LEMMA) else ""
            groups[mark][written[len(mark) :]] = count
        plain = self.plain.get(key, 0)
        if groups[""] or plain:
            forms = {**groups[""], PLAIN: plain}
        elif simplemma.is_known(key, lang="en"):
            return None  # a dictionary word seen only in names ("state" in "Islamic State")
        else:
            forms = groups[IN_NAME] or groups[LEMMA]
        best = max(forms.items(), key=lambda item: (item[1], item[0] == PLAIN, item[0]))
        if best[0] == PLAIN or best[1] <= forms.get(PLAIN, 0):
            return None
        return best[0]

    def restore(self, tokens: Sequence[str]) -> list[str]:
        """``tokens`` of a normalised line, each in the corpus's form where it has one.

        A token inside a known pair of capitalised words takes its word from the pair
        (pairs may chain: ``joint operation command`` -> ``Joint Operations Command``);
        any other takes its own form, or stays as it is.
        """
        pairs: list[list[str] | None] = []
        for first, second in pairwise(tokens):
            pair = self.counts.get(f"{first} {second}") or self.counts.get(
                f"{lemma(first)} {lemma(second)}"
            )
            written = None
            if pair:
                text, count = max(_as_dict(pair).items(), key=lambda item: (item[1], item[0]))
                if count >= MIN_PAIR_COUNT:
                    written = text.split(" ")
            pairs.append(written)
        out = []
        for i, token in enumerate(tokens):
            if i > 0 and pairs[i - 1] is not None:
                out.append(pairs[i - 1][1])
            elif i < len(pairs) and pairs[i] is not None:
                out.append(pairs[i][0])
            else:
                out.append(self.form(token) or token)
        return out
