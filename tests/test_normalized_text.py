"""Detecting text that was already normalised: never ordinary text, whatever list made it."""

from __future__ import annotations

import re

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

import cleankit.lines as lines_module
from cleankit.prose import FUNCTION_WORDS
from cleankit_plugins.normalized_text import detect, judge_line
from cleankit_plugins.normalizer import Normalizer

ARTICLE = """The harbour board approved a new ferry timetable on Monday after a long meeting.
Crossings will run every forty minutes in summer and every hour in the winter months.
Residents said the early boats would help people who work on the mainland, although two
councillors warned that the extra sailings could cost more than the board expects.
"""


@pytest.mark.parametrize("stopwords", ["cleankit", "stop-words", "iso"])
@pytest.mark.parametrize("lemmatizer", ["simplemma", "snowball", "none"])
def test_text_normalised_by_any_convention_is_detected(stopwords, lemmatizer):
    normalizer = Normalizer(stopwords, lemmatizer)
    text = "\n".join(normalizer.normalize(line) for line in ARTICLE.splitlines())
    found = detect(text)
    assert found.normalized
    assert found.confidence > 0.5


@pytest.mark.parametrize(
    "text",
    [
        ARTICLE,
        ARTICLE.lower(),  # lower-cased but with its stopwords: a transcript, not normalised
        "".join(c for c in ARTICLE.lower() if c.isalnum() or c.isspace()),
        "Home\nNews\nSport\npolitics economy election budget",  # too short to judge
        "",
    ],
)
def test_ordinary_text_is_never_normalised(text):
    assert not detect(text).normalized


def test_a_tag_line_alone_is_not_enough():
    text = "politics economy election budget minister parliament vote tax reform"
    assert judge_line(text).normalized
    assert not detect(text).normalized  # one line: too little to call the document


def test_short_lines_are_not_judged():
    assert judge_line("council vote bridge") is None


def counts_by_definition(line: str):
    """A line's words, function-word share and marks as the patterns define them: the
    standard library's for an ASCII line, ``regex``'s for any other."""
    if line.isascii():
        words = re.findall(r"[a-z0-9]+", line.lower())
        marks = len(re.findall(r"[^a-z0-9\s]", line))
    else:
        words = [w.lower() for w in regex.findall(r"[^\W_]+", line)]
        marks = len(regex.findall(r"[^\p{Ll}\p{N}\s]", line))
    if len(words) < 6:
        return None
    stop = FUNCTION_WORDS - {"said", "says", "say", "told", "according"}
    return len(words), round(sum(w in stop for w in words) / len(words), 3), marks


ascii_lines = st.lists(
    st.one_of(
        st.sampled_from(["The", "the", "of", "AND", "vote", "U.S.", "don't", "1,500", "said"]),
        st.text(alphabet=st.characters(max_codepoint=127, exclude_characters="\n"), max_size=8),
    ),
    max_size=30,
).map(" ".join)


typeset_lines = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "The",
                "of",
                "“Vote”",
                "it’s",
                "—",
                "café",
                "Ünder",
                "\u00a0",
                "²",
                "\x1c",
                "\u212anow",
                "ǅ",
                "İ",
                "É",
            ]
        ),
        st.text(alphabet=st.characters(exclude_characters="\n"), max_size=6),
    ),
    max_size=30,
).map(" ".join)


@settings(max_examples=800, deadline=None)
@given(st.one_of(ascii_lines, typeset_lines))
def test_lines_are_counted_as_the_patterns_count_them(line):
    verdict = judge_line(line)
    expected = counts_by_definition(line)
    if expected is None:
        assert verdict is None
    else:
        assert (verdict.words, verdict.function_share, verdict.marks) == expected


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(ascii_lines, typeset_lines), max_size=8), st.sampled_from([None, 1, 40]))
def test_a_text_is_judged_as_its_lines_are_one_by_one(lines, piece):
    text = "\n".join(lines)
    kept = lines_module.PIECE
    lines_module.PIECE = piece or kept  # small pieces: a long text's path
    try:
        assert detect(text).lines == tuple(map(judge_line, text.split("\n")))
    finally:
        lines_module.PIECE = kept
