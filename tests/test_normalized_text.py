"""Detecting text that was already normalised: never ordinary text, whatever list made it."""

from __future__ import annotations

import pytest

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
