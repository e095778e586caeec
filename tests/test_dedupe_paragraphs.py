"""dedupe_paragraphs: exact and near repeats go, first occurrences and distinct text stay."""

from __future__ import annotations

import math
import sys

import numpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cleankit.lines as lines_module
from cleankit import ConfigError
from cleankit.testing import check_alignment
from cleankit_plugins import dedupe_paragraphs as dedupe
from cleankit_plugins.dedupe_paragraphs import DedupeParagraphs

LEDE = (
    "Storm crews worked through the night on Sunday to restore power to the valley towns, "
    "where fallen trees had cut lines in more than forty places."
)
REWORDED = (
    "Storm crews worked through the night on Sunday to restore electricity to the valley "
    "towns, where fallen trees had cut lines in more than forty places."
)
OTHER = "The regional council said schools would open an hour late on Monday to let buses through."


def test_exact_repeat_points_at_the_first():
    raw = f"{LEDE}\n\n{OTHER}\n\n{LEDE}"
    doc = DedupeParagraphs().clean(raw)
    assert doc.text == f"{LEDE}\n\n{OTHER}"
    (span,) = doc.spans()
    assert span["label"] == "duplicate" and span["step"] == "dedupe_paragraphs"
    assert span["duplicate_of"] == [0, len(LEDE)]
    assert span["similarity"] == 1.0
    check_alignment(doc)


def test_reworded_lede_is_a_near_repeat():
    doc = DedupeParagraphs().clean(
        f"Headline here\n\n{LEDE}\n\n{OTHER}\n\n{REWORDED}\n\nMore text."
    )
    assert REWORDED not in doc.text and LEDE in doc.text and OTHER in doc.text
    assert 0.6 <= doc.spans()[0]["similarity"] < 1


def test_distinct_paragraphs_and_short_lines_stay():
    raw = f"{LEDE}\n\nAdvertisement\n\n{OTHER}\n\nAdvertisement"
    assert DedupeParagraphs().clean(raw).text == raw


def test_case_and_punctuation_do_not_hide_a_repeat():
    assert DedupeParagraphs().clean(f"{LEDE}\n{LEDE.upper().replace(',', '')}").text == LEDE


def test_idempotent():
    step = DedupeParagraphs()
    once = step.clean(f"{LEDE}\n\n{REWORDED}\n\n{LEDE}").text
    assert step.clean(once).text == once


@pytest.mark.parametrize("options", [{"similarity": 0}, {"similarity": 1.5}, {"shingle": 0}])
def test_bad_options(options):
    with pytest.raises(ConfigError):
        DedupeParagraphs(**options)


def _brute_force_repeats(text: str, step: DedupeParagraphs) -> list[int]:
    """Indexes of the lines a plain all-pairs comparison calls repeats."""
    o = step.options
    kept: list[frozenset] = []
    repeats = []
    for number, line in enumerate(text.split("\n")):
        words = line.lower().split()
        if len(words) < o.min_words:
            continue
        n = min(o.shingle, len(words))
        mine = frozenset(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
        if any(len(mine & k) / len(mine | k) >= o.similarity for k in kept):
            repeats.append(number)
        else:
            kept.append(mine)
    return repeats


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(list("abcdef")), min_size=1, max_size=14), max_size=8),
    st.sampled_from([0.3, 0.5, 0.6, 0.7, 0.9, 1.0]),
    st.integers(1, 3),
)
def test_prefix_filter_finds_every_repeat_an_all_pairs_search_finds(lines, similarity, shingle):
    step = DedupeParagraphs(similarity=similarity, shingle=shingle, min_words=1)
    text = "\n".join(" ".join(words) for words in lines)
    doc = step.clean(text)
    removed = [
        text[s["start"] : s["end"]].strip("\n") for s in doc.spans() if s["label"] == "duplicate"
    ]
    lines = text.split("\n")
    assert removed == [lines[i] for i in _brute_force_repeats(text, step)]


# -- the fast paths against the plain algorithm ----------------------------------------


def _reference_repeats(text: str, step: DedupeParagraphs) -> dict[int, tuple[int, float]]:
    """The step's result by the plain algorithm: every line lowercased and split by the
    word regex, shingles joined by spaces, and every kept paragraph's prefix in the index,
    each entry capped at ``_MAX_POSTING``."""
    o = step.options
    kept: list[tuple[int, frozenset[str]]] = []
    by_key: dict[str, int] = {}
    index: dict[str, list[int]] = {}
    repeats: dict[int, tuple[int, float]] = {}
    for number, line in enumerate(text.split("\n")):
        words = dedupe._WORD.findall(line.lower())
        if len(words) < o.min_words:
            continue
        n = min(o.shingle, len(words))
        mine = frozenset(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
        ordered = sorted(sorted(mine), key=len, reverse=True)
        prefix = ordered[: len(mine) - math.ceil(o.similarity * len(mine) - 1e-9) + 1]
        key = " ".join(words)
        if key in by_key:
            repeats[number] = (by_key[key], 1.0)
            continue
        best, best_score = None, 0.0
        for i in sorted({i for s in prefix for i in index.get(s, ())}):
            theirs = kept[i][1]
            if (
                not o.similarity * len(mine) - 1e-9
                <= len(theirs)
                <= len(mine) / o.similarity + 1e-9
            ):
                continue
            common = len(mine & theirs)
            score = common / (len(mine) + len(theirs) - common)
            if score >= o.similarity and score > best_score:
                best, best_score = kept[i][0], score
        if best is not None:
            repeats[number] = (best, best_score)
            continue
        by_key[key] = number
        for s in prefix:
            posting = index.setdefault(s, [])
            if len(posting) < dedupe._MAX_POSTING:
                posting.append(len(kept))
        kept.append((number, mine))
    return repeats


# Few words, so that shingles recur in many lines and index entries fill up.
_LINES = st.lists(
    st.lists(st.sampled_from(["a", "b", "c", "dd", "e", "ff", "A,", "é", "g_h"]), max_size=12),
    max_size=40,
).map(lambda lines: "\n".join(" ".join(words) for words in lines))


@pytest.mark.parametrize(("chunk", "all_pairs"), [(512, 64), (512, 0), (512, 12), (1, 64), (7, 64)])
@settings(max_examples=100, deadline=None)
@given(
    text=_LINES,
    similarity=st.sampled_from([0.3, 0.5, 0.6, 0.8, 1.0]),
    shingle=st.integers(1, 3),
    min_words=st.integers(1, 6),
)
def test_fast_paths_equal_the_plain_algorithm(
    chunk, all_pairs, text, similarity, shingle, min_words
):
    # Lowering the limits sends small documents through the prefix index too, the
    # whole text or a few lines at a time.
    step = DedupeParagraphs(similarity=similarity, shingle=shingle, min_words=min_words)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dedupe, "_CHUNK", chunk)
        patch.setattr(dedupe, "_ALL_PAIRS", all_pairs)
        assert step._repeats(text) == _reference_repeats(text, step)


def test_a_stock_phrase_in_many_paragraphs_fills_the_index():
    # Every line opens with the same words, so their index entries overflow.
    lines = [f"the council said on monday that item {i} of {i * 7} was late" for i in range(40)]
    lines += [lines[3].replace("late", "early"), lines[5]]
    text = "\n".join(lines)
    step = DedupeParagraphs()
    assert step._repeats(text) == _reference_repeats(text, step)
    assert step._repeats(text)


_WORDY = st.text(
    st.sampled_from(list("aZ9_ -,.’“—\u03a3\u03c3\u0301'İ\u00a0\u2009\t\x1c\u2028é€�\n")),
    max_size=60,
)


@settings(max_examples=400, deadline=None)
@given(_WORDY, st.sampled_from([None, 1, 3, 8]))
def test_words_by_line_equal_the_regex_on_each_lowered_line(text, piece):
    expected = [dedupe._WORD.findall(line.lower()) for line in text.split("\n")]
    kept = lines_module.PIECE
    lines_module.PIECE = piece or kept  # small pieces: a long text's path
    try:
        assert dedupe._words_by_line(text) == expected
    finally:
        lines_module.PIECE = kept


def test_words_by_line_with_a_lone_surrogate():
    text = "Ab\udcff cd\nx\ud800y, z"
    assert dedupe._words_by_line(text) == [["ab", "cd"], ["x", "y", "z"]]


def test_splitting_at_whitespace_never_splits_a_word():
    # _words_by_line splits at whitespace and the marks it blanks out: none of them may
    # be a word character, and no whitespace character may be one either.
    assert all(not dedupe._WORD.match(mark) for mark in dedupe._PUNCTUATION)
    spaces = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()]
    assert spaces and not any(dedupe._WORD.match(c) for c in spaces)
    for byte in range(128):
        kept = bool(dedupe._WORD.match(chr(byte))) or byte == 10
        assert dedupe._ASCII_WORDS[byte] == (byte if kept else 32)


@settings(max_examples=150, deadline=None)
@given(
    st.frozensets(st.text("abc", max_size=4), max_size=60),
    st.frozensets(st.text("abc", max_size=4), max_size=60),
)
def test_signatures_never_undercount_shared_shingles(mine, theirs):
    signatures, lost = dedupe._signatures([mine, theirs])
    common = dedupe._popcount(signatures[:1] & signatures[1:])[0]
    assert common + lost[0] >= len(mine & theirs)
    assert lost[0] == len(mine) - dedupe._popcount(signatures[:1])[0]


def test_popcount_without_numpy_2(monkeypatch):
    words = numpy.array([[0, 1, 2**64 - 1, 5]], numpy.uint64)
    assert dedupe._popcount(words)[0] == 0 + 1 + 64 + 2
    monkeypatch.delattr(numpy, "bitwise_count", raising=False)
    assert dedupe._popcount(words)[0] == 67
