"""extract_metadata: title, byline, dateline and date move to meta; prose stays."""

from __future__ import annotations

from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

import cleankit.lines as lines_module
from cleankit.lines import split_lines
from cleankit.testing import check_alignment
from cleankit_plugins import extract_metadata
from cleankit_plugins.extract_metadata import ExtractMetadata

PROSE_1 = (
    "The city council voted on Tuesday to turn the old dockyard into a public park, "
    "ending a long debate."
)
PROSE_2 = (
    "The work will be paid for by a state grant and a local bond, and the first paths "
    "open next summer."
)


def clean(text):
    doc = ExtractMetadata().clean(text)
    check_alignment(doc)
    return doc


def test_title_byline_and_date_line():
    head = "Subscribe now\nCouncil approves riverside park\nBy Ana Example and Tom Sample\n"
    raw = f"{head}March 3, 2024\n\n{PROSE_1}\n\n{PROSE_2}"
    doc = clean(raw)
    meta = doc.meta
    assert meta["title"]["text"] == "Council approves riverside park"
    assert raw[meta["title"]["start"] : meta["title"]["end"]] == "Council approves riverside park"
    assert meta["byline"]["authors"] == ["Ana Example", "Tom Sample"]
    assert meta["published"]["date"] == "2024-03-03"
    assert doc.text == f"Subscribe now\n\n{PROSE_1}\n\n{PROSE_2}"
    labels = {s["label"] for s in doc.spans()}
    assert {"title", "byline", "date"} <= labels


def test_dateline_line_and_prefix():
    head = "Bridge reopens after repairs\nRiverton (Example News) Nov 17, 2017"
    doc = clean(f"{head}\n\n{PROSE_1}\n{PROSE_2}")
    assert doc.meta["dateline"]["agency"] == "Example News"
    assert doc.meta["dateline"]["date"] == "2017-11-17"
    doc = clean(f"RIVERTON, Ore. (Example News) - {PROSE_1}\n{PROSE_2}")
    assert doc.meta["dateline"]["city"] == "RIVERTON, Ore."
    assert doc.text.startswith("The city council")


def test_prose_that_looks_like_metadata_stays():
    opening = "By the time the vote came, most of the public gallery had gone home."
    raw = f"{opening}\n{PROSE_1}\n{PROSE_2}"
    doc = clean(raw)
    assert "byline" not in doc.meta and doc.text == raw
    raw = f"WASHINGTON is a state with many parks, and {PROSE_1}\n{PROSE_2}"
    assert clean(raw).text == raw


def test_headings_are_labelled_not_removed():
    raw = f"{PROSE_1}\n\nFunding and timing\n\n{PROSE_2}"
    doc = clean(raw)
    assert doc.text == raw
    assert [s["label"] for s in doc.spans()] == ["heading"]


def test_no_article_no_change():
    raw = "Home\nNews\nSport"
    assert clean(raw).text == raw


def test_switches():
    raw = f"Council approves riverside park\nBy Ana Example\n\n{PROSE_1}\n{PROSE_2}"
    doc = ExtractMetadata(title=False, byline=False).clean(raw)
    assert doc.text == raw and "title" not in doc.meta


def test_byline_names_with_letters_beyond_ascii():
    doc = ExtractMetadata().clean(
        "Harbour wall to be rebuilt\n"
        "By Łukasz Øberg and Émile Şahin\n"
        "The harbour board agreed on Monday to rebuild the old sea wall before the winter storms.\n"
        "Work will start next month and should take about half a year, the board said."
    )
    assert doc.meta["byline"]["authors"] == ["Łukasz Øberg", "Émile Şahin"]
    assert doc.meta["title"]["text"] == "Harbour wall to be rebuilt"


# -- the lines the step hands to delete_lines ------------------------------------------

HEADS = st.sampled_from(
    [
        "Council approves riverside park",
        "By Ana Example and Tom Sample",
        "March 3, 2024",
        "Riverton (Example News) Nov 17, 2017",
        "Subscribe now",
        "Home",
        "",
        "   ",
    ]
)


@settings(max_examples=120, deadline=None)
@given(st.lists(HEADS, max_size=8), st.lists(HEADS, max_size=3), st.sampled_from(["\n", "\n\n"]))
def test_deleting_from_a_slice_of_the_lines_equals_deleting_from_all(head, middle, gap):
    """The step gives delete_lines only the lines around its removals: the result is what
    giving it every line of the text gives."""
    raw = "\n".join(head) + gap + PROSE_1 + gap + "\n".join(middle) + gap + PROSE_2
    fast = ExtractMetadata().clean(raw)
    every = []

    def delete_all_lines(doc, lines, removals):
        every.append(True)
        return lines_module.delete_lines(doc, split_lines(doc.text), removals)

    with patch.object(extract_metadata, "delete_lines", delete_all_lines):
        plain = ExtractMetadata().clean(raw)
    assert fast.text == plain.text
    assert fast.spans() == plain.spans()


def test_lines_match_split_lines():
    texts = ["", "a", "", "  bc ", "d"]
    lines = extract_metadata._Lines(texts)
    assert [lines[i] for i in range(len(texts))] == split_lines("\n".join(texts))
