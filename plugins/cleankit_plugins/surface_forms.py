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
from functools import lru_cache
from itertools import chain, compress, pairwise
from operator import not_

import simplemma

from cleankit.prose import FUNCTION_WORDS
from cleankit_plugins.sentence_index import WORD_CACHE, joined, sentence_words

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


@lru_cache(maxsize=WORD_CACHE)
def _lemma(word: str) -> str:
    return simplemma.lemmatize(word, lang="en").lower()


def load_dictionary() -> None:
    """Load the lemmatiser's dictionary now (it loads on first use, which takes a fraction
    of a second): done before worker processes are forked, they share one copy."""
    _lemma("loaded")


def _bare(word: str) -> str:
    if len(word) > 2 and word[-2] in "'’" and word[-1] in "sS":
        return word[:-2]
    return word


def _headline_case(words: Sequence[str]) -> bool:
    long = [w for w in words if len(w) >= 4]
    upper = sum(w[0].isupper() for w in long)
    return len(long) >= 3 and upper >= 0.6 * len(long)


def _plain(word: str) -> bool:
    """Whether ``word`` is written plain lower-case (or in digits): most words are."""
    return word.isalnum() and (word.islower() or word.isdigit())


class _WordTraits:
    """What :meth:`SurfaceForms.add` asks of each word as written, looked up per word in C
    (``map`` over dictionaries) rather than computed in Python: whether it is plain
    (:func:`_plain`), long (four letters or more) and long with a capital. The tables are
    emptied when they reach ``limit`` words."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.plain: dict[str, bool] = {}
        self.long: dict[str, int] = {}
        self.long_capital: dict[str, int] = {}

    def learn(self, words: set[str]) -> None:
        """Make sure every word of ``words`` is in the tables."""
        if self.plain.keys() >= words:
            return
        if len(self.plain) + len(words) > self.limit:
            self.plain.clear()
            self.long.clear()
            self.long_capital.clear()
        for word in words.difference(self.plain):
            long = len(word) >= 4
            self.plain[word] = _plain(word)
            self.long[word] = int(long)
            self.long_capital[word] = int(long and word[0].isupper())

    def headline_case(self, words: Sequence[str]) -> bool:
        """:func:`_headline_case` of words the tables know."""
        long = sum(map(self.long.__getitem__, words))
        return long >= 3 and sum(map(self.long_capital.__getitem__, words)) >= 0.6 * long


_traits = _WordTraits(4 * WORD_CACHE)


class SurfaceForms:
    """Counts of the written forms of words (and of capitalised pairs), by joined form.

    >>> forms = SurfaceForms()
    >>> forms.add("Forces led by al-Abadi took the town. The US-led coalition said so.")
    >>> forms.restore("alabadi usled coalition force".split())
    ['al-Abadi', 'US-led', 'coalition', 'force']
    """

    def __init__(self, limit: int = 1_000_000) -> None:
        self.limit = limit
        #: Per joined word (or pair), its written forms other than plain lower-case.
        self.counts: dict[str, dict[str, int]] = {}
        #: Per joined word, how often it is written plain lower-case.
        self.plain: Counter[str] = Counter()

    def __len__(self) -> int:
        return len(self.counts) + len(self.plain)

    def add(self, text: str, sentences=None) -> None:
        """Count the forms of the words of ``text`` (``sentences``: its
        :func:`~cleankit_plugins.sentence_index.sentence_words`, when known already)."""
        counts, plain = self.counts, self.plain
        if sentences is None:
            sentences = sentence_words(text)
        traits = _traits
        traits.learn(set(chain.from_iterable(written for _, _, written in sentences)))
        is_plain = traits.plain.__getitem__
        for _, _, written in sentences:
            # Most words are plain lower-case: counted in one go; the rest one by one.
            flags = list(map(is_plain, written))
            if all(flags):
                plain.update(written)
                continue
            plain.update(compress(written, flags))
            if traits.headline_case(written):
                continue  # headline-case words say nothing of case
            special = list(compress(range(len(written)), map(not_, flags)))
            words = {i: _bare(written[i]) for i in special}
            keys = {i: joined(words[i]) for i in special}
            capital = {
                i for i in special if words[i][:1].isupper() and keys[i] not in FUNCTION_WORDS
            }
            for i in special:
                word, key = words[i], keys[i]
                if not key:
                    continue
                if word == key:
                    plain[key] += 1
                    continue
                if i == 0 and word[1:] == key[1:]:
                    continue  # a capital that starts a sentence says nothing
                form = word
                before, after = i - 1 in capital, i + 1 in capital
                if i in capital and (before or after):
                    form = IN_NAME + word  # evidence for the name, weak for the word
                if i in capital and before:
                    pair_text = f"{words[i - 1]} {word}"
                    first = keys[i - 1]
                    for pair_key in {f"{first} {key}", f"{_lemma(first)} {_lemma(key)}"}:
                        pair = counts.setdefault(pair_key, {})
                        pair[pair_text] = pair.get(pair_text, 0) + 1
                lemma = _lemma(key)
                if lemma != key:  # a lemmatiser turns names into odd lemmas too
                    forms = counts.setdefault(lemma, {})
                    forms[LEMMA + word] = forms.get(LEMMA + word, 0) + 1
                forms = counts.setdefault(key, {})
                forms[form] = forms.get(form, 0) + 1
        if len(counts) > self.limit or len(plain) > self.limit:
            self._shrink()

    def merge(self, other: SurfaceForms) -> SurfaceForms:
        """Add the counts of ``other`` to these."""
        for key, forms in other.counts.items():
            mine = self.counts.setdefault(key, {})
            for form, count in forms.items():
                mine[form] = mine.get(form, 0) + count
        self.plain.update(other.plain)
        if len(self.counts) > self.limit or len(self.plain) > self.limit:
            self._shrink()
        return self

    def subset(self, lines: Iterable[Sequence[str]]) -> SurfaceForms:
        """A copy holding only what :meth:`restore` needs for the token ``lines``."""
        wanted = set()
        for tokens in lines:
            wanted.update(tokens)
            for first, second in pairwise(tokens):
                wanted.add(f"{first} {second}")
                wanted.add(f"{_lemma(first)} {_lemma(second)}")
        kept = SurfaceForms(self.limit)
        kept.counts = {k: self.counts[k] for k in wanted if k in self.counts}
        kept.plain = Counter({k: self.plain[k] for k in wanted if k in self.plain})
        return kept

    def _shrink(self) -> None:
        # Forget the rarest words first, until each table is back under its bound.
        floor = 1
        while len(self.counts) > self.limit:
            self.counts = {k: f for k, f in self.counts.items() if sum(f.values()) > floor}
            floor += 1
        floor = 1
        while len(self.plain) > self.limit:
            self.plain = Counter({k: c for k, c in self.plain.items() if c > floor})
            floor += 1

    def form(self, key: str) -> str | None:
        """The written form of joined word ``key`` when the corpus prefers one to plain
        lower-case, else None."""
        forms = self.counts.get(key)
        if not forms:
            return None
        groups: dict[str, dict[str, int]] = {"": {}, IN_NAME: {}, LEMMA: {}}
        for written, count in forms.items():
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
                f"{_lemma(first)} {_lemma(second)}"
            )
            written = None
            if pair:
                text, count = max(pair.items(), key=lambda item: (item[1], item[0]))
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
