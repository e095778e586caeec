"""strip_boilerplate's rule screens: they only skip patterns that cannot match a line."""

from __future__ import annotations

import re

import pytest
from conftest import FIXTURES
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cleankit.prose import line_features
from cleankit_plugins.strip_boilerplate import (
    _FRAME,
    DEFAULT_RULES,
    StripBoilerplate,
    _needed,
    _parse,
    _starts,
)

STEP = StripBoilerplate()


def plain_first(step: StripBoilerplate, line: str):
    """The definition: the first rule, in order, that allows the line's words and whose
    pattern finds the stripped line or its unframed core."""
    words = line_features(line).words
    stripped = line.strip()
    core = stripped.strip(_FRAME)
    for rule, pattern in step._compiled:
        if words <= rule.max_words and (
            pattern.search(stripped) or (core != stripped and pattern.search(core))
        ):
            return rule
    return None


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_lines_a_pattern_matches_pass_its_screen(data):
    rule = data.draw(st.sampled_from(DEFAULT_RULES))
    line = data.draw(st.from_regex(re.compile(rule.pattern, re.IGNORECASE)))
    line = data.draw(st.sampled_from(["", "• ", "[ ", " "])) + line.replace("\n", " ")
    assert STEP.furniture_rule(line, line_features(line)) is plain_first(STEP, line)


PIECES = st.sampled_from(
    [
        "Share",
        "share this article",
        "Subscribe",
        "newsletter",
        "cookies",
        "Privacy Policy",
        "©",
        "(c) 2024",
        "all rights reserved",
        "read more",
        "More",
        "Advertisement",
        "2h ago",
        "Jan 3, 2024",
        "12/01/2024",
        "ap/jk",
        "###",
        "the",
        "council",
        "said",
        "on Monday",
        "»",
        "|",
        "•",
        "[",
        "]",
        "SHARE",
        "\u212a",  # Kelvin sign: "k" when case is ignored
        "\u017f",  # long s: "s"
        "İ",
        "ı",
        "Ⓢ",
        "’",
        "—",
        "é",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=8), st.sampled_from([" ", "", "  "]))
@example(["\u017fhare"], " ")
@example(["[", "Share", "]"], " ")
@example(["\u212a", "ookies"], "")
def test_screened_rule_equals_plain_rule(pieces, joiner):
    line = joiner.join(pieces)
    assert STEP.furniture_rule(line, line_features(line)) is plain_first(STEP, line)


def test_extra_patterns_only_regex_reads_still_apply():
    step = StripBoilerplate(extra_patterns=(r"promo=^\p{Lu}{3} offer",))
    line = "ABC offer"
    assert step.furniture_rule(line, line_features(line)).name == "promo"
    assert step.furniture_rule(line, line_features(line)) is plain_first(step, line)


def test_most_default_rules_are_screened():
    checks = STEP._checks._by_words[0]
    screened = [c for c in checks if c.starts is not None or c.needs is not None]
    assert len(screened) >= len(checks) - 2


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"ad ?choices", {"choices"}),
        (r"\b(cookies?|terms (of|and) use)\b", {"cookie", "terms "}),
        (r"(©|copyright)", {"©", "copyright"}),
        (r"\d+ of \d+|x", {" of ", "x"}),
        (r"\d+|x", None),
    ],
)
def test_needed_strings(pattern, expected):
    assert _needed(_parse(pattern)) == expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"^(a|bc)?d", {"a", "bc", "d"}),
        (r"^[a-c]{2,}/", {"a", "b", "c"}),
        (r"^(\d+\s+)?comments?$", None),
        (r"^(?=x)y", None),
    ],
)
def test_start_strings(pattern, expected):
    assert _starts(_parse(pattern)) == expected


def test_patterns_with_their_own_flags_get_no_screen():
    assert _parse("(?-i:Share)") is None
    assert _parse("(?m)^share$") is None


def test_fixture_lines_get_the_plain_rule():
    for path in sorted((FIXTURES / "boilerplate").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").split("\n"):
            line = line[2:]  # the "+ " / "- " label
            assert STEP.furniture_rule(line, line_features(line)) is plain_first(STEP, line)


@pytest.mark.parametrize(
    "pattern",
    [
        r"[[:alpha:]]+ offer",  # a POSIX class to regex, a nested set to re
        r"(?:offer){e<=1}",  # fuzzy matching to regex, a literal brace to re
        r"\p{Lu}{3} offer",  # a property class re cannot read
    ],
)
def test_patterns_read_otherwise_by_regex_get_no_screen(pattern):
    assert _parse(pattern) is None
    step = StripBoilerplate(extra_patterns=(f"promo={pattern}",))
    for line in ["abc offer", "offxr", "ABC offer", "no deal"]:
        assert step.furniture_rule(line, line_features(line)) is plain_first(step, line)
