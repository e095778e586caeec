"""Step ``dedupe_paragraphs``: keep the first of repeated paragraphs, label the rest."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from cleankit import ConfigError, Document, Step, hookimpl, option
from cleankit.lines import Line, Removal, delete_lines, split_lines

_WORD = re.compile(r"[^\W_]+")
#: Paragraphs one shingle points to, at most. A stock phrase that opens hundreds of
#: paragraphs of one very long document would otherwise make every later paragraph
#: compare with all of them (quadratic time); its repeats are still found through their
#: other shingles, and exact repeats always are.
_MAX_POSTING = 8


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


@dataclass(frozen=True)
class _Paragraph:
    line: Line
    key: str
    shingles: frozenset[str]


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

    def apply(self, doc: Document) -> None:
        lines = split_lines(doc.text)
        kept: list[_Paragraph] = []
        by_key: dict[str, _Paragraph] = {}
        index: dict[str, list[int]] = defaultdict(list)
        removals: dict[int, Removal] = {}
        for line in lines:
            words = _WORD.findall(line.text.lower())
            if len(words) < self.options.min_words:
                continue
            paragraph = _Paragraph(line, " ".join(words), self._shingles(words))
            prefix = self._prefix(paragraph.shingles)
            original, score = by_key.get(paragraph.key), 1.0
            if original is None:
                original, score = self._nearest(paragraph, prefix, kept, index)
            if original is not None:
                start, end = doc.raw_range(original.line.start, original.line.end)
                removals[line.index] = Removal(
                    "duplicate",
                    f"repeats the paragraph at raw offset {start} (similarity {score:.2f})",
                    {"duplicate_of": [start, end], "similarity": round(score, 3)},
                )
                continue
            by_key[paragraph.key] = paragraph
            for shingle in prefix:
                posting = index[shingle]
                if len(posting) < _MAX_POSTING:
                    posting.append(len(kept))
            kept.append(paragraph)
        if removals:
            delete_lines(doc, lines, removals)

    def _shingles(self, words: list[str]) -> frozenset[str]:
        """The paragraph's word n-grams, each joined by spaces (C-level work only)."""
        n = min(self.options.shingle, len(words))
        return frozenset(map(" ".join, zip(*(words[i:] for i in range(n)), strict=False)))

    def _prefix(self, shingles: frozenset[str]) -> list[str]:
        """The first shingles of a paragraph in a fixed order, enough to find every near
        duplicate: two sets this similar share one of their prefixes' shingles.

        A repeat must share at least ``similarity`` of the paragraph's shingles, so it
        shares one of any ``len - ceil(similarity * len) + 1`` of them (prefix filtering).
        Indexing only those keeps the index and its lookups a fraction of the shingles.
        """
        # The fixed order puts the longest shingles first (long words are the rare ones,
        # so the prefix points to few other paragraphs), alphabetically among equals.
        ordered = sorted(sorted(shingles), key=len, reverse=True)
        size = len(ordered)
        needed = math.ceil(self.options.similarity * size - 1e-9)
        return ordered[: size - needed + 1]

    def _nearest(
        self,
        paragraph: _Paragraph,
        prefix: list[str],
        kept: list[_Paragraph],
        index: dict[str, list[int]],
    ) -> tuple[_Paragraph | None, float]:
        candidates: set[int] = set()
        for shingle in prefix:
            candidates.update(index.get(shingle, ()))
        best, best_score = None, 0.0
        mine = paragraph.shingles
        similarity = self.options.similarity
        # Sets this similar differ in size by at most that factor: skip the others unseen.
        low, high = similarity * len(mine) - 1e-9, len(mine) / similarity + 1e-9
        for i in sorted(candidates):  # the earliest paragraph wins a tie
            theirs = kept[i].shingles
            if not low <= len(theirs) <= high:
                continue
            common = len(mine & theirs)
            score = common / (len(mine) + len(theirs) - common)
            if score >= similarity and score > best_score:
                best, best_score = kept[i], score
        return best, best_score


@hookimpl
def cleankit_register_steps(register):
    register(DedupeParagraphs)
