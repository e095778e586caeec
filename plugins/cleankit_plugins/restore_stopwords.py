"""Step ``restore_stopwords``: give normalised documents back their original wording.

Some documents of a corpus arrive already lower-cased, stripped of punctuation and
stopwords, and lemmatised by another pipeline. This step recognises them
(:mod:`cleankit_plugins.normalized_text`) and, line by line, looks for the sentence each
line was made from among the other documents of the run and, optionally, a folder of
originals (:mod:`cleankit_plugins.sentence_index`). It aligns the line with the best
candidates token by token (:mod:`cleankit_plugins.token_alignment`) and claims an
original only when the score reaches ``threshold``. Below it, the closest sentence is
offered as a ``candidate`` and the line gets back what the corpus vocabulary knows of
its words' written forms (:mod:`cleankit_plugins.surface_forms`), marked as partial.

Each line of a normalised document gets an entry in ``doc.restored``; the line is
replaced in the text by its original (label ``restored``) or its surface form (label
``surface``). Other documents are left alone; every document gets
``meta["normalized"]`` and ``meta["normalized_confidence"]``.
"""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from cleankit import ConfigError, Document, Step, hookimpl, option
from cleankit.edits import raw_mapper
from cleankit.formats import ReadFailure
from cleankit.lines import split_lines
from cleankit.plugins import get_registry
from cleankit_plugins.normalized_text import Detection, detect
from cleankit_plugins.sentence_index import (
    Passage,
    SentenceIndex,
    joined,
    keyed_sentences,
    pack_text,
    tokenize_in_parts,
    unpack_text,
)
from cleankit_plugins.surface_forms import SurfaceForms, load_dictionary
from cleankit_plugins.token_alignment import Match, WordWeights, best_match


@dataclass(frozen=True)
class RestoreStopwordsOptions:
    """Options of ``restore_stopwords``."""

    originals: str = option(
        "", "folder of original texts to search as well as the run's own documents"
    )
    threshold: float = option(
        0.85, "score (0-1) from which a match is claimed as the line's original"
    )
    candidate_threshold: float = option(
        0.3, "score (0-1) from which the closest sentence is shown as a candidate"
    )
    min_share: float = option(0.8, "share of a document's judged lines that must look normalised")
    min_tokens: int = option(
        4, "tokens a line needs before an original is claimed for it (shorter: candidate)"
    )
    candidates: int = option(6, "sentences found in the index that are aligned per line")
    surface_forms: bool = option(
        True, "give unrestored words the corpus's case, hyphens and apostrophes"
    )
    max_sentences: int = option(
        2_000_000, "bound on the sentences indexed (memory); later documents are left out"
    )
    max_vocabulary: int = option(1_000_000, "bound on the words counted for surface forms")
    max_lines: int = option(1_000_000, "bound on the normalised lines looked up in one run")


class RestoreScan:
    """Scan state: the sentence index, the surface forms, and the lines to look up."""

    def __init__(self, options: RestoreStopwordsOptions) -> None:
        self.index = SentenceIndex(options.max_sentences)
        self.surface = SurfaceForms(options.max_vocabulary)
        self.max_lines = options.max_lines
        #: The distinct lines of each normalised document, in order, packed
        #: (:func:`_pack_lines`): a large corpus has hundreds of thousands of them.
        self.lines: dict[str | None, bytes] = {}
        self.line_count = 0
        self.lines_dropped = 0

    def add_lines(self, doc_id: str | None, lines: Iterable[str]) -> None:
        """Add the lines of normalised document ``doc_id``, each once, as long as there is
        room (``max_lines``); the others are counted in ``lines_dropped``."""
        packed = self.lines.get(doc_id)
        kept = _unpack_lines(packed)
        seen = set(kept)
        added = 0
        for line in lines:
            if line in seen:
                continue
            if self.line_count < self.max_lines:
                kept.append(line)
                seen.add(line)
                self.line_count += 1
                added += 1
            else:
                self.lines_dropped += 1
        if added:
            self.lines[doc_id] = _pack_lines(kept)

    def merge(self, other: RestoreScan) -> RestoreScan:
        # The state others are merged into is the corpus's: its index grows with the
        # corpus, so it keeps its sentences on disk.
        self.index.keep_on_disk()
        self.index.merge(other.index)
        self.surface.merge(other.surface)
        for doc_id, packed in other.lines.items():
            self.add_lines(doc_id, _unpack_lines(packed))
        self.lines_dropped += other.lines_dropped
        return self

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update({"line_count": 0, **state})
        lines = self.lines
        if not lines or not isinstance(next(iter(lines)), tuple):
            return
        # Saved by an earlier version, one ``(document id, line)`` key per line.
        self.lines, self.line_count = {}, 0
        dropped = self.lines_dropped
        by_document: dict[str | None, list[str]] = {}
        for doc_id, line in lines:
            by_document.setdefault(doc_id, []).append(line)
        for doc_id, doc_lines in by_document.items():
            self.add_lines(doc_id, doc_lines)
        self.lines_dropped = dropped


class RestoreStopwords(Step):
    """Find the original wording of normalised documents; restore surface forms elsewhere.

    >>> from cleankit import Pipeline
    >>> pipeline = Pipeline(["restore_stopwords"])
    >>> docs = list(pipeline.clean_corpus([
    ...     Document("The flood barrier on the Elbe was raised on Monday morning.\\n"
    ...              "Engineers from Dresden said the water would peak by Wednesday.", id="news"),
    ...     Document("flood barrier elbe raise monday morning\\n"
    ...              "engineer dresden say water peak wednesday", id="flat"),
    ... ]))
    >>> docs[1].meta["normalized"], docs[1].text.split("\\n")[0]
    (True, 'The flood barrier on the Elbe was raised on Monday morning.')
    >>> docs[1].restored[0]["source"], docs[1].restored[0]["score"]
    ('news', 1.0)
    """

    name = "restore_stopwords"
    Options = RestoreStopwordsOptions
    default_order = 80
    scan_needs_removals = False  # sentences are found whatever later steps remove

    def __init__(self, options: RestoreStopwordsOptions | None = None, **values: Any) -> None:
        super().__init__(options, **values)
        o = self.options
        for name in ("threshold", "candidate_threshold", "min_share"):
            if not 0.0 <= getattr(o, name) <= 1.0:
                raise ConfigError(f"step {self.name!r}: {name} must be between 0 and 1")
        for name in ("min_tokens", "candidates", "max_sentences", "max_vocabulary", "max_lines"):
            if getattr(o, name) < 1:
                raise ConfigError(f"step {self.name!r}: {name} must be 1 or more")
        if o.originals and not Path(o.originals).is_dir():
            raise ConfigError(
                f"step {self.name!r}: the originals folder {o.originals!r} is not a folder"
            )
        self._originals: tuple[SentenceIndex, SurfaceForms] | None = None
        #: The indexes the normalised lines are looked up in (the run's, the originals').
        self._indexes: list[SentenceIndex] = []
        #: Per normalised document, the lines the scan found in it, packed.
        self._lines: dict[str | None, bytes] = {}
        #: Per normalised document, the candidate passages of each of its lines, packed
        #: (:func:`_pack_passages`), once looked up ahead (:meth:`__getstate__`).
        self._passages: dict[str | None, bytes] = {}
        self._surface = SurfaceForms(o.max_vocabulary)
        self._index_info: dict[str, Any] = {}

    # -- the corpus scan -----------------------------------------------------------------

    def new_scan_state(self) -> RestoreScan:
        # Called first in the process that starts the scan's workers: load the dictionary
        # they all need here, once, rather than in each of them and then in this one.
        load_dictionary()
        return RestoreScan(self.options)

    def scan(self, doc: Document, state: RestoreScan) -> RestoreScan:
        text = doc.text
        if self._detect(text).normalized:
            state.add_lines(doc.id, (line for line in text.split("\n") if line.strip()))
            return state
        raw_offsets = raw_mapper(len(doc.raw), doc.edits) if doc.edits else None
        self._index_and_count(state.index, state.surface, doc.id or "", text, raw_offsets)
        return state

    def _index_and_count(
        self,
        index: SentenceIndex,
        forms: SurfaceForms,
        doc_id: str,
        text: str,
        raw_offsets: Callable[[int, int], tuple[int, int]] | None,
    ) -> None:
        """Add a text to the index and its words to the surface forms, tokenised once and
        a part at a time (so that a long document's words are never all held at once)."""
        found = []
        for part in tokenize_in_parts(text):
            found.extend(keyed_sentences(part))
            if self.options.surface_forms:
                forms.count(part)
        index.add_keyed_sentences(doc_id, text, raw_offsets, found)
        if self.options.surface_forms:
            forms.shrink_to_limit()

    def merge_scan_states(self, a: RestoreScan, b: RestoreScan) -> RestoreScan:
        return a.merge(b)

    def use_scan_state(self, state: RestoreScan) -> None:
        indexes = [state.index]
        surface = state.surface
        if self.options.originals:
            originals, original_forms = self._read_originals()
            indexes.append(originals)
            surface = SurfaceForms(self.options.max_vocabulary).merge(surface)
            surface.merge(original_forms)
        # The lines are looked up when their document is cleaned: in the worker processes
        # (forked, they share this process's index), or here with one worker. A step that
        # leaves this process instead (for Ray, or spawned workers) looks them all up
        # first, so that the index itself never travels (:meth:`__getstate__`).
        for index in indexes:
            index.ready_for_lookups()
        self._indexes = indexes
        self._lines = state.lines
        self._passages = {}
        # Only the words of the lines to restore travel on to the workers.
        self._surface = surface.subset(
            line.split() for packed in state.lines.values() for line in _unpack_lines(packed)
        )
        self._index_info = {
            "index_sentences": sum(len(i) for i in indexes),
            "index_full": any(i.full for i in indexes),
            "lines_not_looked_up": state.lines_dropped,
        }

    def _passages_of(self, doc_id: str | None) -> dict[str, tuple[Passage, ...]]:
        """The candidate passages of each normalised line of document ``doc_id``."""
        packed = self._passages.get(doc_id)
        return _unpack_passages(packed) if packed is not None else self._look_up(doc_id)

    def _look_up(self, doc_id: str | None) -> dict[str, tuple[Passage, ...]]:
        found = {}
        for line in _unpack_lines(self._lines.get(doc_id)):
            tokens = _tokens(line)
            passages: list[Passage] = []
            for index in self._indexes:
                passages.extend(index.lookup(tokens, self.options.candidates))
            found[line] = tuple(passages)
        return found

    def __getstate__(self) -> dict[str, Any]:
        # Leaving this process: the candidates of every line travel, not the indexes.
        if self._indexes:
            for doc_id in self._lines:
                if doc_id not in self._passages:
                    self._passages[doc_id] = _pack_passages(self._look_up(doc_id))
            self._indexes = []
        return {**self.__dict__, "_originals": None}

    def _read_originals(self) -> tuple[SentenceIndex, SurfaceForms]:
        if self._originals is None:
            o = self.options
            index = SentenceIndex(o.max_sentences, origin="originals")
            index.keep_on_disk()  # a folder of originals can be as large as a corpus
            forms = SurfaceForms(o.max_vocabulary)
            reader = get_registry().reader("text")()
            for shard in reader.shards(Path(o.originals), 1000):
                for item in reader.read(shard):
                    if isinstance(item, ReadFailure):
                        continue
                    self._index_and_count(index, forms, item.id or "", item.text, None)
            self._originals = (index, forms)
        return self._originals

    # -- applying ------------------------------------------------------------------------

    def _detect(self, text: str) -> Detection:
        return detect(text, min_share=self.options.min_share)

    def apply(self, doc: Document) -> None:
        detection = self._detect(doc.text)
        doc.meta["normalized"] = detection.normalized
        doc.meta["normalized_confidence"] = detection.confidence
        if not detection.normalized:
            return
        restored = candidates = 0
        lines = [line for line in split_lines(doc.text) if not line.blank]
        keys = [_tokens(line.text) for line in lines]
        weights = WordWeights([k for line_keys in keys for k in line_keys])
        passages = self._passages_of(doc.id)
        for line, line_keys in zip(lines, keys, strict=True):
            found = passages.get(line.text, ())
            entry = self._restore_line(line.index, line.text, line_keys, weights, found)
            doc.restored.append(entry)
            if entry["original"] is not None:
                restored += 1
                doc.replace(
                    line.start,
                    line.end,
                    entry["original"],
                    label="restored",
                    reason=f"original in {entry['source']} (score {entry['score']})",
                )
                continue
            candidates += entry["candidate"] is not None
            # Word by word, so that the words left as they were stay aligned with raw.
            pieces, position = [], 0
            for token, form in zip(_TOKEN.finditer(line.text), entry.pop("forms"), strict=True):
                pieces.append(line.text[position : token.start()])
                pieces.append(form)
                position = token.end()
                if form != token.group():
                    doc.replace(
                        line.start + token.start(),
                        line.start + token.end(),
                        form,
                        label="surface",
                        reason="written form from the corpus (partial restoration)",
                    )
            entry["surface"] = "".join(pieces) + line.text[position:]
        doc.meta["restoration"] = {
            "lines": len(doc.restored),
            "restored": restored,
            "candidates": candidates,
            "stopword_list": weights.list_name,
            **self._index_info,
        }

    def _restore_line(
        self,
        number: int,
        line: str,
        keys: list[str],
        weights: WordWeights,
        passages: tuple[Passage, ...],
    ) -> dict[str, Any]:
        tokens = line.split()
        match = best_match(keys, passages, weights)
        long_enough = sum(1 for k in keys if k) >= self.options.min_tokens
        entry: dict[str, Any] = {
            "line": number,
            "normalized": line,
            "original": None,
            "source": None,
            "origin": None,
            "start": None,
            "end": None,
            "score": match.score if match else 0.0,
            "alignment": [],
            "candidate": None,
            "surface": None,
        }
        if match is not None and long_enough and match.score >= self.options.threshold:
            entry.update(
                original=match.text,
                source=match.source,
                origin=match.origin,
                start=match.start,
                end=match.end,
                alignment=[list(a) for a in match.alignment],
            )
            return entry
        if match is not None and match.score >= self.options.candidate_threshold:
            entry["candidate"] = _candidate(match)
        entry["forms"] = self._surface.restore(tokens) if self.options.surface_forms else tokens
        return entry


_TOKEN = regex.compile(r"\S+")


def _tokens(line: str) -> list[str]:
    """The tokens of a normalised line, stray punctuation removed (empty ones kept, so
    indexes still count the line's tokens)."""
    return [joined(t) for t in line.split()]


def _pack_lines(lines: list[str]) -> bytes:
    """Lines (none holding a line break) packed into one compressed string."""
    return pack_text("\n".join(lines))


def _unpack_lines(packed: bytes | None) -> list[str]:
    """The lines :func:`_pack_lines` packed (none for None)."""
    return unpack_text(packed).split("\n") if packed is not None else []


def _pack_passages(lines: dict[str, tuple[Passage, ...]]) -> bytes:
    """The passages of a document's lines, compressed: lines of neighbouring sentences
    share most of their passages' text, and every worker holds the passages of every
    normalised document."""
    return zlib.compress(pickle.dumps(lines, pickle.HIGHEST_PROTOCOL), 1)


def _unpack_passages(packed: bytes | None) -> dict[str, tuple[Passage, ...]]:
    return pickle.loads(zlib.decompress(packed)) if packed else {}


def _candidate(match: Match) -> dict[str, Any]:
    return {
        "text": match.text,
        "source": match.source,
        "origin": match.origin,
        "start": match.start,
        "end": match.end,
        "score": match.score,
        "recall": match.recall,
        "precision": match.precision,
        "alignment": [list(a) for a in match.alignment],
    }


@hookimpl
def cleankit_register_steps(register):
    register(RestoreStopwords)
