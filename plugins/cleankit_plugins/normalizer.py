"""Turning clean text into the normalised form topic models and keyword tools use.

Token by token: lower-case, punctuation deleted inside the token (``al-Hadidi`` ->
``alhadidi``, ``1,500`` -> ``1500``, ``U.S.-led`` -> ``usled``), stopwords dropped,
lemmatised. Every token keeps the offsets of the word it came from, so a normalised
stream can always point back at the text.

Stopword lists and lemmatisers are named, because corpora were normalised by many
different pipelines:

========== ===============================================================================
stopwords  ``cleankit`` (the English function words of :mod:`cleankit.prose`, ~180),
           ``stop-words`` (the ``stop-words`` package), ``iso`` (``stopwordsiso``),
           ``spacy`` and ``sklearn`` (when those are installed), ``none``
lemmatizer ``simplemma`` (dictionary lemmas, data in the wheel), ``snowball`` (Snowball
           stems, not lemmas), ``none``
========== ===============================================================================
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex

from cleankit import ConfigError
from cleankit.prose import FUNCTION_WORDS

STOPWORD_LISTS = ("cleankit", "stop-words", "iso", "spacy", "sklearn", "none")
LEMMATIZERS = ("simplemma", "snowball", "none")

# A word: anything between spaces; its edges lose their punctuation.
_WORD = regex.compile(r"\S+")
_EDGE = regex.compile(r"^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$")
_POSSESSIVE = regex.compile(r"['’]s$", regex.IGNORECASE)
_INSIDE = regex.compile(r"[^\p{L}\p{N}]+")
# Words of reporting that the prose module counts as function words but that no
# stopword list drops.
_NOT_STOPWORDS = frozenset({"said", "says", "say", "told", "according"})


@dataclass(frozen=True, slots=True)
class Token:
    """One normalised token and the offsets of the word it came from."""

    text: str
    start: int
    end: int


class Normalizer:
    """Normalise text token by token, keeping offsets.

    >>> n = Normalizer()
    >>> n.normalize("Iraqi forces, backed by the U.S.-led coalition, said 1,500 fighters remained.")
    'iraqi force back usled coalition say 1500 fighter remain'
    >>> n.tokens("al-Hadidi's troops")[0]
    Token(text='alhadidi', start=0, end=9)
    """

    def __init__(
        self, stopwords: str = "cleankit", lemmatizer: str = "simplemma", language: str = "en"
    ) -> None:
        self.stopwords_name = stopwords
        self.lemmatizer_name = lemmatizer
        self.language = language
        self.stopwords = stopword_list(stopwords, language)
        self._lemma = lemmatizer_function(lemmatizer, language)

    def tokens(self, text: str) -> list[Token]:
        """The normalised tokens of ``text`` with the offsets of their words."""
        out = []
        stopwords, lemma = self.stopwords, self._lemma
        for match in _WORD.finditer(text):
            word = match.group()
            edge = _EDGE.match(word)
            left = edge.end() if edge else 0
            trimmed = _EDGE.sub("", word)
            if not trimmed:
                continue
            bare = _POSSESSIVE.sub("", trimmed)
            lower = bare.lower()
            if lower in stopwords or trimmed.lower() in stopwords:
                continue
            joined = _INSIDE.sub("", lower)
            if not joined or joined in stopwords:
                continue
            start = match.start() + left
            out.append(Token(lemma(joined), start, start + len(bare)))
        return out

    def normalize(self, text: str) -> str:
        """``text`` in normalised form, tokens joined by single spaces."""
        return " ".join(t.text for t in self.tokens(text))

    def __repr__(self) -> str:
        return (
            f"Normalizer(stopwords={self.stopwords_name!r}, lemmatizer={self.lemmatizer_name!r}, "
            f"language={self.language!r})"
        )


@lru_cache(maxsize=32)
def stopword_list(name: str, language: str = "en") -> frozenset[str]:
    """The stopword list called ``name`` for ``language``, lower-cased."""
    if name == "none":
        return frozenset()
    if name == "cleankit":
        if language != "en":
            raise ConfigError("the 'cleankit' stopword list is English only; try 'iso'")
        return FUNCTION_WORDS - _NOT_STOPWORDS
    try:
        if name == "stop-words":
            from stop_words import get_stop_words

            return frozenset(w.lower() for w in get_stop_words(language))
        if name == "iso":
            import stopwordsiso

            if not stopwordsiso.has_lang(language):
                raise ValueError("unknown language")
            return frozenset(w.lower() for w in stopwordsiso.stopwords(language))
        if name == "spacy":
            return frozenset(w.lower() for w in _spacy_stop_words(language))
        if name == "sklearn":
            from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

            return frozenset(ENGLISH_STOP_WORDS)
    except ImportError as exc:
        raise ConfigError(
            f"stopword list {name!r} needs the package {exc.name!r}: pip install {exc.name}"
        ) from None
    except Exception as exc:  # an unknown language in a list package
        raise ConfigError(f"stopword list {name!r} has no list for {language!r}: {exc}") from None
    raise ConfigError(f"unknown stopword list {name!r}; the lists are: {', '.join(STOPWORD_LISTS)}")


def lemmatizer_function(name: str, language: str = "en") -> Callable[[str], str]:
    """A function from a lower-cased word to its lemma (or stem) under ``name``."""
    if name == "none":
        return _same
    if name == "simplemma":
        import simplemma

        lemmatize = simplemma.lemmatize

        @lru_cache(maxsize=200_000)
        def lemma(word: str) -> str:
            return lemmatize(word, lang=language).lower()

        return lemma
    if name == "snowball":
        from cleankit_plugins.snowball import stem_function

        try:
            stem_word, _ = stem_function(_SNOWBALL_NAMES.get(language, language))
        except KeyError:
            raise ConfigError(f"the snowball stemmer has no language {language!r}") from None
        # Cached even when compiled: every token of a text comes through here.
        return lru_cache(maxsize=200_000)(stem_word)
    raise ConfigError(f"unknown lemmatizer {name!r}; the lemmatizers are: {', '.join(LEMMATIZERS)}")


_SNOWBALL_NAMES = {"en": "english", "de": "german", "fr": "french", "es": "spanish"}


def _same(word: str) -> str:
    return word


def _spacy_stop_words(language: str) -> set[str]:
    """spaCy's list for ``language``. Its module is a plain file, read on its own when
    it can be: importing spaCy itself takes seconds, in every worker."""
    spec = importlib.util.find_spec("spacy")
    if spec is None:
        raise ImportError("spaCy is not installed", name="spacy")
    if not language.isalpha():
        raise ValueError(f"not a language code: {language!r}")
    module_name = f"spacy.lang.{language}.stop_words"
    folders = list(spec.submodule_search_locations or ())
    path = Path(folders[0], "lang", language, "stop_words.py") if folders else None
    if path is not None:
        if not path.is_file():
            raise ValueError("spaCy has no stopword list for this language")
        file_spec = importlib.util.spec_from_file_location(f"_{module_name}", path)
        module = importlib.util.module_from_spec(file_spec)
        try:
            file_spec.loader.exec_module(module)
            return module.STOP_WORDS
        except Exception:  # the file needs spaCy after all: import it the usual way
            pass
    return importlib.import_module(module_name).STOP_WORDS
