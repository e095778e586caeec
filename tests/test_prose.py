"""cleankit.prose: the fast measurements agree with their plain definitions."""

from __future__ import annotations

import re
import sys

from hypothesis import example, given, settings
from hypothesis import strategies as st

from cleankit import prose
from cleankit.prose import line_features, paragraph_features, wrap_width, wrapped_prose_lines

# Characters where counting on bytes could go wrong: apostrophes of both kinds and other
# quotes, the underscore, digits beyond ASCII, capitals and small letters beyond ASCII,
# letters whose lowercase is ASCII (Kelvin sign) or longer (dotted I), spaces beyond
# ASCII, dashes, combining marks, an emoji, a lone surrogate.
TRICKY = "'’‘“”_²٣Éé\u212aİ\xa0\u2003—–\u0301😀\udc80Ωσ."
CHARS = st.sampled_from("aAbTthe of  \t9" + TRICKY)
WORDS = st.sampled_from(
    """the The of and don't it’s 'tis dogs' x''y a'b'c Émile Łódź vis-à-vis 2024 U.S. e-mail
    said (AFP) end. why? —""".split()  # noqa: SIM905 (a word list reads better as text)
)
TEXT = st.one_of(
    st.text(CHARS, max_size=40),
    st.lists(WORDS, max_size=30).map(" ".join),
)


def _plain_sentence_end(text: str) -> bool:
    return prose._SENTENCE_END.search(text) is not None


@settings(max_examples=250, deadline=None)
@given(TEXT)
@example("It’s the 2nd—'quoted'—word of ²³ and \u212aelvin")
@example("''a'''b'' _x_ 'tis")
def test_byte_counts_equal_pattern_counts(text):
    counts = prose._byte_counts(text)
    assert counts is None or counts == prose._pattern_counts(text)


def test_byte_counts_decline_only_what_they_cannot_judge():
    assert prose._byte_counts("Émile and Zoë said ²") is not None
    assert prose._byte_counts("\u212aelvin") is None  # lowercases to ASCII
    assert prose._byte_counts("lone \udc80 surrogate") is None


def test_word_characters_are_alphanumerics():
    """The byte counts treat a character as part of a word exactly when ``str.isalnum``
    says so; the word pattern uses ``[^\\W_]``: both must agree on every code point."""
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    by_pattern = "".join(re.findall(r"[^\W_]", everything))
    assert by_pattern == "".join(filter(str.isalnum, everything))


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("ab .!?…\"'”’)](x"), max_size=12))
def test_sentence_end_equals_pattern(text):
    assert prose._ends_sentence(text) == _plain_sentence_end(text)


def _reference_wrapped(lines: list[str]) -> set[int]:
    """The definition: join each run of lines that go on into the next, and measure the
    joined paragraph as one line."""
    stripped = [line.strip() for line in lines]
    width = wrap_width(stripped)
    found: set[int] = set()
    start = 0
    for i in range(1, len(stripped) + 1):
        if i < len(stripped) and stripped[i]:
            previous = stripped[i - 1]
            if (width and len(previous) >= width - 15) or prose._wraps_into(previous, stripped[i]):
                continue
        if i - start > 1:
            joined = line_features(" ".join(stripped[start:i]))
            if joined.prose_like and joined.sentence_end:
                found.update(range(start, i))
        start = i
    return found


PIECES = st.sampled_from(
    [
        "The council said on Monday that the old bridge over the river would",
        "be closed for a year of repairs, and that drivers would be sent",
        "through the town centre.",
        "through the town centre (the mayor said.)",
        "and it was closed. (Reuters",
        "Home",
        "",
        "   ",
        "Share this article",
        "the city of the river and the bridge of the town and the state of the",
        "2h ago",
        "x" * 60,
        "Teaser headline about something that happened in the city today",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, max_size=14))
def test_wrapped_lines_equal_joined_measure(lines):
    expected = _reference_wrapped(lines)
    assert wrapped_prose_lines(lines) == expected
    features = paragraph_features(lines)
    assert {i for i, f in enumerate(features) if f.in_prose_paragraph} == expected
    for line, f in zip(lines, features, strict=True):
        assert f.words == line_features(line).words
