"""split_captions' quick tests rule out only what the full checks would rule out too.

The step looks for captions only in the lines :meth:`CaptionFinder.lines_to_search`
names, searches the credit marker part by part, and tests a line's words against the
known captions' words before hashing them; each must agree with the slower check it
stands in front of.
"""

from __future__ import annotations

import hashlib
import re
from itertools import chain
from pathlib import Path

import regex
from caption_fixtures import FIXTURES, load_case
from hypothesis import given, settings
from hypothesis import strategies as st

import cleankit.lines as lines_module
from cleankit.literals import tree_pattern
from cleankit.prose import FUNCTION_WORDS
from cleankit_plugins import caption_shapes, split_captions
from cleankit_plugins.caption_shapes import AGENCIES, CaptionFinder
from cleankit_plugins.split_captions import KnownCaptions, SplitCaptions

ROOT = Path(__file__).resolve().parent.parent
EVERY_CHARACTER = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)

# Pieces that credits, captions and prose are made of, in several cases and spellings.
PIECES = [
    *AGENCIES[:30],
    "PA",
    "REUTERS",
    "Photo",
    "photo",
    "PHOTO",
    "Photos",
    "Photograph",
    "Photography",
    "Picture",
    "IMAGE",
    "Image copyright",
    "Image caption",
    "Media caption",
    "Caption",
    "Credit",
    "Source",
    "copyright",
    "Copyright 2020",
    "courtesy of",
    "Courtesy",
    "via",
    "VIA",
    "İmage",
    "ſource",
    "\u212aelvin",
    "©",
    "/",
    "(",
    ")",
    "[",
    "]",
    ":",
    ": ",
    ".",
    ",",
    " - ",
    "—",
    "’",
    "“",
    "1:13",
    "(0:45)",
    "12:30",
    "3 November 2017: ",
    "Nov. 3, 2017 - ",
    "Jane Roe",
    "Amira el-Haddad",
    "smoke rises",
    "the",
    "police",
    "in this photo",
    "shows",
    "Kraków",
    "naïve",
    "de\u0301ja\u0300",
    "x",
    "Q",
    "7",
    "_",
    " ",
    "  ",
    "\t",
    "\xa0",
    "\u2003",
    "\x1c",
    "\n",
]
pieces_text = st.lists(st.sampled_from(PIECES), max_size=16).map("".join)


def _finders() -> list[CaptionFinder]:
    return [
        CaptionFinder(),
        CaptionFinder([*AGENCIES, "Harbour Watch", "ABC\nNews"]),
        CaptionFinder(extra_credit_patterns=[r"Harbour ?Watch"]),
    ]


FINDERS = _finders()
STEP = SplitCaptions()


def test_folding_reads_every_case_variant_of_an_ascii_letter_as_that_letter():
    for letter in "abcdefghijklmnopqrstuvwxyz":
        for variant in regex.findall(f"(?i:{letter})", EVERY_CHARACTER):
            assert caption_shapes._fold(variant) == letter, hex(ord(variant))


def test_any_case_classes_hold_every_case_variant():
    for letter in "abcdefghijklmnopqrstuvwxyz":
        variants = set(regex.findall(f"(?i:{letter})", EVERY_CHARACTER))
        assert variants <= set(re.findall(caption_shapes._any_case(letter), EVERY_CHARACTER))


def test_re_spaces_are_what_str_strip_strips():
    spaces = {c for c in EVERY_CHARACTER if c.isspace()}
    assert set(re.findall(r"\s", EVERY_CHARACTER)) == spaces
    assert all(not regex.match(r"[^\W\d_]", c) for c in spaces)


@settings(max_examples=300, deadline=None)
@given(pieces_text, st.integers(0, 40))
def test_marker_found_part_by_part_as_by_the_whole_pattern(text, pos):
    pos = min(pos, len(text))
    for finder in FINDERS:
        assert finder._has_marker(text, pos) == bool(finder._marker.search(text, pos))


@settings(max_examples=300, deadline=None)
@given(pieces_text)
def test_credits_found_with_the_quick_tests_as_without(piece):
    for finder in FINDERS:
        quick = finder.credit_at_end(piece)
        finder._strong_end_needs = ("",) * len(finder._strong_end_needs)
        try:
            assert quick == finder.credit_at_end(piece)
        finally:
            finder._strong_end_needs = ("", "", "via", "/")


def _lines_with_captions(finder: CaptionFinder, text: str) -> set[int]:
    return {
        index
        for index, line in enumerate(text.split("\n"))
        if finder.find(line) or finder.credit_line(line) is not None
    }


@settings(max_examples=200, deadline=None)
@given(pieces_text)
def test_lines_to_search_hold_every_line_with_a_caption_or_a_credit(text):
    for finder in FINDERS:
        search = finder.lines_to_search(text)
        if search is None:  # a credit pattern that is more than literal text
            assert finder._agency_literal is None
            continue
        assert _lines_with_captions(finder, text) <= search


def test_lines_to_search_hold_every_caption_of_the_labelled_cases():
    folders = [
        FIXTURES,
        ROOT / "benchmarks" / "caption_cases",
        ROOT / "benchmarks" / "caption_cases_b",
    ]
    finder = CaptionFinder()
    found = 0
    for path in sorted(chain.from_iterable(f.glob("*.txt") for f in folders)):
        text = load_case(path).text
        with_captions = _lines_with_captions(finder, text)
        assert with_captions <= finder.lines_to_search(text), path.name
        found += len(with_captions)
    assert found > 100


words_text = st.lists(
    st.sampled_from(
        [
            "Police",
            "the",
            "THE",
            "of",
            "crowd",
            "naïve",
            "Zürich",
            "“Quote",
            "end”",
            "it’s",
            "well-known",
            "x2y",
            "snake_case",
            "de\u0301ja\u0300",
            "ΟΔΟΣ",
            "İstanbul",
            "ßtraße",
            "42",
            "¾",
            "—",
            ",",
            ".",
            " ",
            "\xa0",
            "\u2003",
            "\t",
        ]
    ),
    max_size=20,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(words_text, st.text(max_size=30)))
def test_utf8_chunks_hold_the_content_words_in_order(text):
    expected = [w.encode() for w in _words(text)]
    assert split_captions._content_words(text) == expected
    chunks = split_captions._utf8_chunks(text.lower())
    if chunks is None:  # a lone surrogate
        return
    assert list(chain.from_iterable(map(split_captions._chunk_words, chunks))) == expected
    backwards = map(split_captions._chunk_words_backwards, reversed(chunks))
    assert list(chain.from_iterable(backwards)) == expected[::-1]
    assert split_captions._head_key(chunks) == b" ".join(expected[:2])
    assert split_captions._tail_key(chunks) == b" ".join(expected[-2:])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(words_text, st.text(max_size=12)), max_size=5).map("\n".join),
    st.sampled_from([None, 1, 4]),
)
def test_utf8_lines_hold_each_line_s_content_words(text, piece):
    kept = lines_module.PIECE
    lines_module.PIECE = piece or kept  # small pieces: a long text's path
    try:
        lines = split_captions._utf8_lines(text)
    finally:
        lines_module.PIECE = kept
    if lines is None:  # a lone surrogate
        assert any("\ud800" <= c <= "\udfff" for c in text)
        return
    assert len(lines) == len(text.split("\n"))
    for line, utf8 in zip(text.split("\n"), lines, strict=True):
        words = chain.from_iterable(map(split_captions._chunk_words, utf8.split()))
        assert list(words) == [w.encode() for w in _words(line.strip())]


def _words(text: str) -> list[str]:
    """The content words as the step has always defined them."""
    return [w for w in regex.findall(r"[^\W\d_]+", text.lower()) if w not in FUNCTION_WORDS]


def _fingerprints(text: str, least: int = 5) -> dict[int, int]:
    """The fingerprints as the step has always computed them (the scan state's table
    keeps the smallest, so their values must not change)."""
    words = _words(text)
    if len(words) < least:
        return {}
    keys = ("all " + " ".join(sorted(set(words))), "head " + " ".join(words[:6]))
    keys += ("tail " + " ".join(words[-6:]),)
    digests = (hashlib.blake2b(k.encode(), digest_size=8).digest() for k in keys)
    return {int.from_bytes(d, "big"): len(words) for d in digests}


@settings(max_examples=300, deadline=None)
@given(st.one_of(words_text, st.text(max_size=60)))
def test_fingerprints_are_the_same_numbers_as_ever(text):
    assert STEP._fingerprints(split_captions._content_words(text)) == _fingerprints(text)


VOCABULARY = ["rescue", "workers", "market", "hall", "town", "centre", "rubble", "search"]
caption_words = st.lists(st.sampled_from(VOCABULARY), min_size=5, max_size=9)


def _as_line(words: list[str], fillers: list[str]) -> str:
    pieces = []
    for word, filler in zip(words, chain(fillers, [""] * len(words)), strict=False):
        pieces += [word.capitalize() if filler == "," else word, filler]
    return " ".join(p for p in pieces if p)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(caption_words, min_size=1, max_size=4),
    caption_words,
    st.lists(st.sampled_from(["", "the", "of", ",", "—", "’s", "42", "Zürich"]), max_size=9),
)
def test_word_test_never_rules_out_a_known_caption(captions, line_words, fillers):
    step = STEP
    state = step.new_scan_state()
    for caption in captions:
        words = split_captions._content_words(" ".join(caption))
        state.add(step._fingerprints(words), words)
    step.use_scan_state(state)
    line = _as_line(line_words, fillers)
    table = state.fingerprints
    expected = any(
        (seen := table.get(fingerprint)) is not None and 0.75 <= count / seen <= 1.34
        for fingerprint, count in _fingerprints(line).items()
    )
    chunks = split_captions._utf8_lines(f" {line} ")[0].split()
    assert bool(step._known_caption(line, line.strip(), chunks)) == expected
    assert bool(step._known_caption(line, line.strip(), None)) == expected


def test_known_captions_drop_their_words_when_unknown_or_too_many():
    table = KnownCaptions(limit=5)
    table.add({1: 5}, [b"a", b"b"])
    assert table.words is not None and table.words.words == {b"a", b"b"}
    other = KnownCaptions(limit=5)
    other.add({2: 5})  # fingerprints without their words
    assert other.words is None
    table.merge(other)
    assert table.words is None and table.fingerprints == {1: 5, 2: 5}
    small = KnownCaptions(limit=5)
    small.add({3: 5}, [b"a", b"b", b"c", b"d"])
    assert small.words is None  # four words, a head and a tail: more than five entries
    empty = KnownCaptions(limit=5)
    empty.add({}, None)  # a caption too short to fingerprint
    assert empty.words is not None


def _named_list_patterns(finder: CaptionFinder) -> list[regex.Pattern[str]]:
    """The finder's patterns that hold its named list of agency names."""
    found = []
    for value in vars(finder).values():
        for pattern in value if isinstance(value, list) else [value]:
            if isinstance(pattern, regex.Pattern) and pattern.named_lists:
                found.append(pattern)
    return found


def _spelt_out(pattern: regex.Pattern[str]) -> regex.Pattern[str]:
    """``pattern`` with its named lists written as alternations of their words."""
    text = pattern.pattern
    for name, words in pattern.named_lists.items():
        text = text.replace(rf"\L<{name}>", tree_pattern(words, regex.escape))
    return regex.compile(text, pattern.flags)


every_agency = [*AGENCIES, *(name.upper() for name in AGENCIES), "Harbour Watch", "ABC\nNews"]
credit_text = st.lists(st.sampled_from(PIECES + every_agency), max_size=12).map("".join)


#: Each finder's patterns with the named list, beside the same spelt out.
NAMED_AND_SPELT = [
    (pattern, _spelt_out(pattern)) for finder in FINDERS for pattern in _named_list_patterns(finder)
]


def test_every_finder_holds_its_agencies_as_a_named_list():
    for finder in FINDERS:
        assert len(_named_list_patterns(finder)) >= 10


@settings(max_examples=300, deadline=None)
@given(credit_text)
def test_a_named_list_of_agencies_matches_as_the_alternation_of_their_names(text):
    # regex matches a named list as a set of strings, longest first, and backtracks to
    # shorter ones: what an alternation of the names does, which it stands in for.
    for pattern, spelt_out in NAMED_AND_SPELT:
        found, expected = pattern.search(text), spelt_out.search(text)
        assert (found and found.span()) == (expected and expected.span()), pattern.pattern
        assert (found and found.groupdict()) == (expected and expected.groupdict())
