"""dedupe_paragraphs: exact and near repeats go, first occurrences and distinct text stay."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleankit import ConfigError
from cleankit.testing import check_alignment
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
