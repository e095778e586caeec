"""Step ``normalize_tokens``: add the normalised token stream, with raw offsets, to ``meta``.

Topic models and keyword tools want lower-cased, stopword-free, lemmatised tokens, but
their results must point back at the text. This step leaves the text as it is and puts
``meta["tokens"]``: the settings used and every token as ``[token, start, end]``, where
``start`` and ``end`` are offsets into the raw input of the word the token came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cleankit import Document, Step, hookimpl, option
from cleankit.edits import raw_mapper
from cleankit_plugins.normalizer import LEMMATIZERS, STOPWORD_LISTS, Normalizer


@dataclass(frozen=True)
class NormalizeTokensOptions:
    """Options of ``normalize_tokens``."""

    stopwords: str = option("cleankit", "stopword list: " + ", ".join(STOPWORD_LISTS))
    lemmatizer: str = option("simplemma", "lemmatizer: " + ", ".join(LEMMATIZERS))
    language: str = option("en", "language code for the stopword list and the lemmatizer")


class NormalizeTokens(Step):
    """Add ``meta["tokens"]``: normalised tokens with the raw offsets of their words.

    >>> doc = NormalizeTokens().clean("The rebels were driven out of al-Marsa.")
    >>> doc.meta["tokens"]["tokens"]
    [['rebel', 4, 10], ['drive', 16, 22], ['almarsa', 30, 38]]
    """

    name = "normalize_tokens"
    Options = NormalizeTokensOptions
    default_order = None  # opt-in: it adds data, it cleans nothing
    rewrites = False

    def __init__(self, options: NormalizeTokensOptions | None = None, **values: Any) -> None:
        super().__init__(options, **values)
        o = self.options
        self.normalizer = Normalizer(o.stopwords, o.lemmatizer, o.language)

    def apply(self, doc: Document) -> None:
        to_raw = raw_mapper(len(doc.raw), doc.edits)
        tokens = []
        for token in self.normalizer.tokens(doc.text):
            start, end = to_raw(token.start, token.end)
            tokens.append([token.text, start, end])
        o = self.options
        doc.meta["tokens"] = {
            "stopwords": o.stopwords,
            "lemmatizer": o.lemmatizer,
            "language": o.language,
            "tokens": tokens,
        }


@hookimpl
def cleankit_register_steps(register):
    register(NormalizeTokens)
