"""The sentence index's tokenising fast paths give what their plain definitions give."""

from __future__ import annotations

import importlib
import random
import sys

import pytest
import regex
import snowballstemmer
from hypothesis import given, settings
from hypothesis import strategies as st

from cleankit.prose import FUNCTION_WORDS
from cleankit_plugins.sentence_index import (
    WORD,
    SentenceIndex,
    index_keys,
    joined,
    keyed_sentences,
    sentence_words,
    split_sentences,
    stem,
    tokenize,
    tokenize_in_parts,
)
from cleankit_plugins.snowball import stem_function

# The definition: a sentence ends where . ! ? (and closing quotes or brackets) meet spaces
# followed by a capital, a digit or an opening quote; each line is split on its own.
_BREAK_AFTER_MARK = regex.compile(r"(?<=[.!?…][\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[\p{Lu}\p{N}])")


def sentences_by_definition(text: str) -> list[tuple[int, int]]:
    spans = []
    offset = 0
    for line in text.split("\n"):
        cuts = [0]
        for brk in _BREAK_AFTER_MARK.finditer(line):
            cuts += [brk.start(), brk.end()]
        cuts.append(len(line))
        for start, end in zip(cuts[::2], cuts[1::2], strict=True):
            piece = line[start:end]
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                spans.append((offset + start + lead, offset + start + lead + len(piece.strip())))
        offset += len(line) + 1
    return spans


pieces = st.sampled_from(
    [
        " ",
        "  ",
        "\n",
        "\t",
        "\u00a0",
        "\x1c",
        ".",
        "?!",
        "…",
        "”",
        ")",
        "“",
        "(",
        "'",
        "Rain",
        "fell",
        "The",
        "9",
        "ÉLAN",
        "élan",
        "Mr.",
        "al-Abadi's",
        "U.S.-led",
        "1,500",
        "don’t",
    ]
)
texts = st.lists(pieces, max_size=40).map("".join)


@settings(max_examples=500, deadline=None)
@given(texts)
def test_sentences_are_split_as_defined(text):
    assert list(split_sentences(text)) == sentences_by_definition(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, min_size=1, max_size=4))
def test_the_index_keys_each_sentence_by_its_content_stems(documents):
    index = SentenceIndex()
    expected: dict[str, list[int]] = {}
    sentence = 0
    for number, text in enumerate(documents):
        index.add(f"d{number}", text)
        for _, _, words in sentence_words(text):
            keys = index_keys([joined(w) for w in words])
            if keys:
                for key in keys:
                    expected.setdefault(key, []).append(sentence)
                sentence += 1
    assert len(index) == sentence
    assert {k: list(v) for k, v in index.postings.items()} == expected
    assert all(k not in FUNCTION_WORDS for k in expected)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_tokens_are_each_sentence_and_its_words(text):
    tokens = tokenize(text)
    by_sentence = [(a, b, WORD.findall(text, a, b)) for a, b in split_sentences(text)]
    assert tokens.sentence_words() == by_sentence
    assert tokens.words == [w for _, _, found in by_sentence for w in found]


def index_columns(index: SentenceIndex) -> tuple:
    columns = (index.doc, index.start, index.end, index.raw_start, index.raw_end)
    postings = {k: list(v) for k, v in index.postings.items()}
    return tuple(map(list, columns)), index.sources, index.texts, postings


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, min_size=1, max_size=3), st.integers(1, 3), st.integers(1, 30))
def test_a_text_indexed_part_by_part_is_indexed_as_a_whole(documents, sentences, limit):
    # A small limit: a document that does not fit is left out whole, either way.
    whole, in_parts = SentenceIndex(limit), SentenceIndex(limit)
    for number, text in enumerate(documents):
        parts = list(tokenize_in_parts(text, sentences))
        assert [s for part in parts for s in part.sentence_words()] == (
            tokenize(text).sentence_words()
        )
        whole.add(f"d{number}", text)  # one part: these texts are short
        found = [sentence for part in parts for sentence in keyed_sentences(part)]
        in_parts.add_keyed_sentences(f"d{number}", text, None, found)
    assert index_columns(in_parts) == index_columns(whole)
    assert in_parts.dropped == whole.dropped


def pure_python_stemmer(language: str):
    """snowballstemmer's own stemmer for ``language``, which it hands out only when
    PyStemmer is missing."""
    module = importlib.import_module(f"snowballstemmer.{language}_stemmer")
    (stemmer,) = [
        value
        for name, value in vars(module).items()
        if name.endswith("Stemmer") and name != "BaseStemmer"
    ]
    return stemmer()


# Words as a scraped text has them, and any other string a tokeniser could give.
stemmable = st.sampled_from(
    ["forces", "launched", "generously", "nationalisation", "warwhich", "underwent", "ÉLAN"]
) | st.text(st.characters(exclude_categories=["Cs"]), max_size=20)


@settings(max_examples=300, deadline=None)
@given(st.lists(stemmable, max_size=20))
def test_the_index_stems_as_the_pure_python_stemmer_does(words):
    # PyStemmer, compiled, is what the index stems with when it is installed. The
    # index's keys, and so every restoration, must not depend on which one a machine has.
    pytest.importorskip("Stemmer", reason="PyStemmer is not installed: nothing to compare")
    english = pure_python_stemmer("english")
    assert [stem(word) for word in words] == [english.stemWord(word) for word in words]


def test_every_snowball_language_stems_as_the_pure_python_stemmer_does():
    pytest.importorskip("Stemmer", reason="PyStemmer is not installed: nothing to compare")
    # Strings of letters from every script a Snowball algorithm reads, and words of some.
    letters = "aeiouyäöüßéèçñøåæœığşąęłőűțăšžčėųįabcdklmnrstvzабвгдеёжиклмнорстуыьэюя"
    letters += "αβγδεηικλμνοπρστυω" + "ابتسعلمنويه" + "աբգդեիկմնոռսվտր" + "अकगतनमरलसािीुे"
    letters += "அகதநமரலவாிு" + "אבגדהוילמנרשת"
    randomly = random.Random(6)
    words = ["forces", "launched", "Überraschung", "ведомство", "1,500", "nationalisation"]
    words += ["".join(randomly.choices(letters, k=randomly.randint(1, 14))) for _ in range(1000)]
    for language in snowballstemmer.algorithms():
        (compiled, is_compiled), pure = stem_function(language), pure_python_stemmer(language)
        assert is_compiled
        assert [compiled(w) for w in words] == [pure.stemWord(w) for w in words], language


def test_without_pystemmer_the_pure_python_stemmer_runs(monkeypatch):
    monkeypatch.setitem(sys.modules, "Stemmer", None)  # as if it were not installed
    stem_word, compiled = stem_function("english")
    assert not compiled
    assert stem_word("forces") == "forc"
    with pytest.raises(KeyError):
        stem_function("klingon")
