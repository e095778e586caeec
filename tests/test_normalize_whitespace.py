"""normalize_whitespace: golden cases, minimal edits, idempotence."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleankit import ConfigError
from cleankit.testing import check_alignment
from cleankit_plugins import normalize_whitespace as nw
from cleankit_plugins.normalize_whitespace import NormalizeWhitespace

CASES = [
    (
        "plain text untouched",
        "One line.\nTwo lines.\n\nNew paragraph.",
        "One line.\nTwo lines.\n\nNew paragraph.",
    ),
    ("crlf", "a\r\nb\r\n\r\nc", "a\nb\n\nc"),
    ("lone cr", "a\rb", "a\nb"),
    ("trailing spaces", "a  \nb\t\nc", "a\nb\nc"),
    ("leading spaces", "  a\n   b", "a\nb"),
    ("many blank lines", "a\n\n\n\n\nb", "a\n\nb"),
    ("blank lines with spaces", "a\n  \n \t \n\nb", "a\n\nb"),
    ("repeated spaces", "a    b\t\tc", "a b c"),
    ("nbsp", "100\u00a0km and\u00a0\u00a0more", "100 km and more"),
    ("zero width", "fo\u200bo bar\ufeff", "foo bar"),
    ("document edges", "\n\n  Title  \n\n", "Title"),
    ("only whitespace", " \n\t\r\n ", ""),
    ("empty", "", ""),
    ("zwj kept", "a\u200db", "a\u200db"),
]


@pytest.mark.parametrize(("label", "raw", "expected"), CASES, ids=[c[0] for c in CASES])
def test_golden(label, raw, expected):
    doc = NormalizeWhitespace().clean(raw)
    assert doc.text == expected
    check_alignment(doc)
    assert all(
        s["label"] == "whitespace" and s["step"] == "normalize_whitespace" for s in doc.spans()
    )


def test_edits_keep_most_text_identical():
    raw = "Word    word\r\nnext"
    doc = NormalizeWhitespace().clean(raw)
    # only the extra spaces and the carriage return are touched
    assert sum(n for _, _, n in doc.alignment()) == len(doc.text)


def test_options():
    raw = "a\n\n\n\nb  c"
    assert NormalizeWhitespace(max_blank_lines=0).clean(raw).text == "a\nb c"
    assert NormalizeWhitespace(max_blank_lines=2).clean(raw).text == "a\n\n\nb c"
    assert NormalizeWhitespace(collapse_spaces=False).clean(raw).text == "a\n\nb  c"
    assert NormalizeWhitespace(unicode_spaces=False).clean("a\u00a0b").text == "a\u00a0b"
    assert NormalizeWhitespace(strip_lines=False).clean("a  \n  b").text == "a  \n  b"


def test_bad_option():
    with pytest.raises(ConfigError, match="max_blank_lines"):
        NormalizeWhitespace(max_blank_lines=-1)
    with pytest.raises(ConfigError, match="expects int"):
        NormalizeWhitespace(max_blank_lines="many")


WS_TEXT = st.text(st.sampled_from(list("ab \t\n\r\u00a0\u200b\u3000.")), max_size=40)


@settings(max_examples=400, deadline=None)
@given(WS_TEXT, st.integers(0, 2), st.booleans(), st.booleans())
def test_idempotent_and_aligned(raw, blank, strip, collapse):
    step = NormalizeWhitespace(max_blank_lines=blank, strip_lines=strip, collapse_spaces=collapse)
    doc = step.clean(raw)
    check_alignment(doc)
    again = step.clean(doc.text)
    assert again.text == doc.text and not again.edits
    assert "\r" not in doc.text
    assert "\n" * (blank + 2) not in doc.text


def test_without_collapsing_each_odd_space_becomes_one_space():
    step = NormalizeWhitespace(collapse_spaces=False)
    assert step.clean("a\t\tb \t c\u00a0d").text == "a  b   c d"


#: The Unicode spaces as the step's pattern wrote them, as a character class.
UNICODE_SPACE_CLASS = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"


def _runs_the_full_pattern_finds(step: NormalizeWhitespace, text: str) -> list[tuple]:
    """The runs a pattern with one alternative for each kind of change matches, without
    those that need nothing: a single line break, or a paragraph break of the allowed
    size, inside the text. ``(start, end)``"""
    space = " \t\x0b\x0c" + (
        (UNICODE_SPACE_CLASS + nw._ZERO_WIDTH) if step.options.unicode_spaces else ""
    )
    h = f"[{space}]"
    odd = space.replace(" ", "", 1)
    pattern = re.compile(
        f"(?P<br>{h}*(?:{nw._NEWLINE})(?:{h}*(?:{nw._NEWLINE}))*{h}*)"
        f"|(?P<run>{h}{{2,}}|[{odd}])"
        f"|(?P<edge>\\A{h}+|{h}+\\Z)"
    )
    kept = {"\n" * n for n in range(1, step.options.max_blank_lines + 2)}
    found = []
    for m in pattern.finditer(text):
        inside = m.start() > 0 and m.end() < len(text)
        if not (m.group() in kept and inside):
            found.append(m.span())
    return found


@settings(max_examples=500, deadline=None)
@given(
    st.text(
        st.sampled_from(list("ab- \t\n\r\x0b\u00a0\u2005\u200b\u3000\u2028\u200d")), max_size=30
    ),
    st.booleans(),
    st.integers(0, 2),
)
def test_runs_are_those_the_full_pattern_finds(text, unicode_spaces, blank):
    step = NormalizeWhitespace(unicode_spaces=unicode_spaces, max_blank_lines=blank)
    assert step._runs(text) == _runs_the_full_pattern_finds(step, text)


def test_space_characters_one_by_one_are_the_class():
    in_class = re.compile(f"[{UNICODE_SPACE_CLASS}]")
    assert {c for c in map(chr, range(0x10000)) if in_class.match(c)} == set(
        nw._UNICODE_SPACE_CHARS
    )
