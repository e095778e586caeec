"""fix_mojibake: same output as ftfy with the same settings, every repair recorded."""

from __future__ import annotations

import json
import os
from pathlib import Path

import ftfy
import pytest
from conftest import FIXTURES
from ftfy.badness import MOJIBAKE_CATEGORIES, is_bad
from hypothesis import given, settings
from hypothesis import strategies as st

from cleankit.testing import check_alignment
from cleankit_plugins.fix_mojibake import MAY_LOOK_BAD, FixMojibake, looks_bad

CASES = json.loads((FIXTURES / "mojibake_cases.json").read_text(encoding="utf-8"))


def plain_ftfy(step: FixMojibake, text: str) -> str:
    return ftfy.fix_text(text, step.config._replace(explain=False))


@pytest.mark.parametrize("case", CASES, ids=[c["label"] for c in CASES])
def test_golden_cases(case):
    step = FixMojibake()
    doc = step.clean(case["input"])
    assert doc.text == case["expected"]
    assert doc.text == plain_ftfy(step, case["input"])
    check_alignment(doc)
    if case["input"] != case["expected"]:
        assert doc.spans(), "every repair is recorded as a span"
        assert all(s["step"] == "fix_mojibake" and s["reason"] for s in doc.spans())


def test_repaired_span_points_at_the_damage():
    raw = "Le caf\u00c3\u00a9 ouvre."
    doc = FixMojibake().clean(raw)
    (span,) = doc.spans()
    assert raw[span["start"] : span["end"]] == "\u00c3\u00a9"
    assert span["replacement"] == "\u00e9"
    assert span["label"] == "mojibake"
    assert "decode" in span["reason"]


WORDS = st.sampled_from(
    [
        "the",
        "caf\u00e9",
        "na\u00efve",
        "it\u2019s",
        "\u201cquote\u201d",
        "\u2014",
        "S\u00e3o",
        "\u20ac5",
        "m\u00fcller",
        "\u00bd",
        "na\u00efvet\u00e9",
        "<b>",
        "&amp;",
        "stra\u00dfe",
        "\u2026",
        "\u00a0",
        "\t",
        "\u0416\u0443\u043a",
        "\U0001f600",
        "\u00c3",
        "\u00e2\u20ac",
        "&",
    ]
)
ENCODINGS = st.sampled_from(["cp1252", "latin-1", "mac_roman", "cp437", None, None, None])


@st.composite
def damaged_text(draw):
    lines = []
    for _ in range(draw(st.integers(1, 5))):
        line = " ".join(draw(st.lists(WORDS, max_size=10)))
        encoding = draw(ENCODINGS)
        if encoding:
            line = line.encode("utf-8").decode(encoding, errors="replace")
        lines.append(line)
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines)


@settings(max_examples=300, deadline=None)
@given(damaged_text())
def test_same_output_as_ftfy(text):
    step = FixMojibake()
    doc = step.clean(text)
    assert doc.text == plain_ftfy(step, text)
    check_alignment(doc)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60) | damaged_text())
def test_fast_path_changes_nothing(text):
    fast, slow = FixMojibake(), FixMojibake(fast_path=False)
    assert fast.clean(text).text == slow.clean(text).text == plain_ftfy(fast, text)


@settings(max_examples=200, deadline=None)
@given(damaged_text())
def test_idempotent(text):
    step = FixMojibake()
    once = step.clean(text).text
    again = step.clean(once)
    assert again.text == once and not again.edits


def test_options_reach_ftfy():
    text = "\u201cHello\u201d and the \ufb01rst"
    assert FixMojibake().clean(text).text == text
    changed = FixMojibake(uncurl_quotes=True, fix_latin_ligatures=True).clean(text).text
    assert changed == '"Hello" and the first'


def test_unescape_turns_off_after_a_tag_like_ftfy():
    text = "a &amp; b\n<p>\nc &amp; d"
    step = FixMojibake()
    assert step.clean(text).text == plain_ftfy(step, text) == "a & b\n<p>\nc &amp; d"
    assert FixMojibake(unescape_html="never").clean("a &amp; b").text == "a &amp; b"


def _badness_alphabet() -> list[str]:
    chars = set("".join(MOJIBAKE_CATEGORIES.values()))
    return sorted(chars) + list("aZ ,.\n\t") + ["\u00e9", "\u2019", "\u201c", "\u00e4"]


@settings(max_examples=3000, deadline=None)
@given(st.text(st.sampled_from(_badness_alphabet()), max_size=8))
def test_prefilter_never_hides_text_ftfy_calls_bad(text):
    if is_bad(text):
        assert MAY_LOOK_BAD.search(text)


@settings(max_examples=3000, deadline=None)
@given(st.text(st.sampled_from(_badness_alphabet()), max_size=40))
def test_window_search_agrees_with_ftfy_is_bad(text):
    assert looks_bad(text) == is_bad(text)


@settings(max_examples=300, deadline=None)
@given(damaged_text(), st.integers(1, 12))
def test_long_lines_split_like_ftfy(text, limit):
    """Lines longer than ftfy's max_decode_length are fixed piece by piece, as ftfy does."""
    step = FixMojibake()
    step.config = step.config._replace(max_decode_length=limit)
    slow = FixMojibake(fast_path=False)
    slow.config = step.config
    assert step.clean(text).text == slow.clean(text).text == plain_ftfy(step, text)


def _ftfy_cases() -> list[dict]:
    path = os.environ.get("CLEANKIT_FTFY_CASES")
    if not path or not Path(path).is_file():
        pytest.skip(
            "ftfy's own test cases are not here: set CLEANKIT_FTFY_CASES to the "
            "tests/test_cases.json of ftfy's source distribution (.ci/run fetches it)"
        )
    return json.loads(Path(path).read_text(encoding="utf-8"))


# ftfy's own defaults, spelled as this step's options (the fast path turns itself off).
FTFY_DEFAULTS = dict(
    uncurl_quotes=True,
    fix_latin_ligatures=True,
    fix_character_width=True,
    fix_line_breaks=True,
    normalization="NFC",
)


@pytest.mark.parametrize("options", [{}, FTFY_DEFAULTS], ids=["step defaults", "ftfy defaults"])
def test_same_output_as_ftfy_on_its_own_test_cases(options):
    step = FixMojibake(**options)
    cases = _ftfy_cases()
    assert len(cases) > 100
    for case in cases:
        for text in (case["original"], case["fixed"], case["original"] + "\n" + case["fixed"]):
            doc = step.clean(text)
            assert doc.text == plain_ftfy(step, text), case["label"]
            check_alignment(doc)
