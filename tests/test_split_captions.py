"""split_captions: every caption shape becomes a record, and prose stays whole."""

from __future__ import annotations

import json
import pickle

import pytest
from caption_fixtures import load_cases
from hypothesis import given, settings
from hypothesis import strategies as st

from cleankit import ConfigError, Pipeline, hookimpl
from cleankit.testing import check_alignment, registry_with
from cleankit_plugins import split_captions
from cleankit_plugins.split_captions import FingerprintTable, KnownCaptions, SplitCaptions

CASES = load_cases()


def test_there_are_fixtures_for_every_shape():
    assert len(CASES) >= 8
    rules = set()
    for case in CASES:
        rules |= {c["rule"] for c in SplitCaptions().clean(case.text).captions}
    assert {"dated_caption", "caption_line", "credited_paragraph", "video_title"} <= rules


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_captions_found_with_text_credit_and_date(case):
    doc = SplitCaptions().clean(case.text)
    found = [(c["text"], c["credit"], c["date"]) for c in doc.captions]
    assert found == case.captions


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_prose_is_kept_whole(case):
    doc = SplitCaptions().clean(case.text)
    kept = doc.text.split("\n")
    for prose in case.prose:
        assert prose in kept, f"lost or split: {prose!r}"
    for text, _, _ in case.captions:
        assert text not in doc.text
    check_alignment(doc)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_records_point_at_the_raw_caption(case):
    doc = SplitCaptions().clean(case.text)
    for caption in doc.captions:
        raw = doc.raw[caption["start"] : caption["end"]]
        assert caption["text"] in raw
        if caption["credit"]:
            assert caption["credit"].split("/")[0].strip() in raw
    spans = [s for s in doc.spans() if s["label"] == "caption"]
    assert {(s["start"], s["end"]) for s in spans} >= {
        (c["start"], c["end"]) for c in doc.captions if c["rule"] != "caption_line"
    } or spans


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_default_pipeline_keeps_the_prose_and_the_captions(case):
    doc = Pipeline().clean(case.text)
    assert [(c["text"], c["credit"], c["date"]) for c in doc.captions] == case.captions
    check_alignment(doc)


def test_every_span_names_its_rule():
    doc = SplitCaptions().clean(next(c for c in CASES if c.name == "dated_gallery_run").text)
    reasons = {s["reason"] for s in doc.spans() if s["step"] == "split_captions"}
    assert reasons == {"rule dated_caption"}


def test_glued_captions_get_one_span_each_and_prose_is_separated():
    text = (
        "1 June 2020: Boats in the harbourAFP2 June 2020: A crowd on the pierJo Park/Reuters\n"
        "The festival ended on Sunday."
    )
    doc = SplitCaptions().clean(text)
    assert doc.text == "The festival ended on Sunday."
    assert [s["reason"] for s in doc.spans()] == ["rule dated_caption"] * 2
    glued = "Talks resumed.3 May 2021: Delegates arriveAFPThe talks ended at noon."
    doc = SplitCaptions().clean(glued)
    assert doc.text.split("\n") == ["Talks resumed.", "The talks ended at noon."]


def test_caption_seen_elsewhere_in_the_corpus_is_a_caption_without_credit():
    caption = "Rescue workers search the rubble of the collapsed market hall in the town centre"
    first = f"The quake struck before dawn.\n{caption}. (AP Photo/Lee Min)\nMore later."
    second = f"Aid arrived on Monday.\n{caption}.\nThe roads were cleared."
    reworded = (
        "Aid arrived.\n"
        "Rescue workers search rubble of the collapsed market hall in the town centre.\nEnd."
    )
    docs = list(Pipeline(["split_captions"]).clean_corpus([first, second, reworded]))
    assert [c["rule"] for c in docs[1].captions] == ["known_caption"]
    assert docs[1].text == "Aid arrived on Monday.\nThe roads were cleared."
    assert [c["rule"] for c in docs[2].captions] == ["known_caption"]
    alone = SplitCaptions().clean(second)
    assert alone.captions == []


def test_known_captions_are_bounded_and_merge_in_any_order():
    step = SplitCaptions(known_max_entries=4)
    a, b = step.new_scan_state(), step.new_scan_state()
    a.add({1: 5, 9: 5, 4: 5})
    b.add({2: 5, 8: 5, 3: 5})
    left = step.merge_scan_states(a, b).fingerprints
    a2, b2 = step.new_scan_state(), step.new_scan_state()
    a2.add({2: 5, 8: 5, 3: 5})
    b2.add({1: 5, 9: 5, 4: 5})
    assert left == step.merge_scan_states(a2, b2).fingerprints == {1: 5, 2: 5, 3: 5, 4: 5}


def test_disabled_rule_and_extra_agency():
    text = "Ships wait outside the harbour in this photo from the coastguardHarbourWatch\nMore."
    assert SplitCaptions().clean(text).captions == []
    doc = SplitCaptions(extra_agencies=["HarbourWatch"]).clean(text)
    assert doc.captions[0]["credit"] == "HarbourWatch"
    off = SplitCaptions(disabled_rules=["credited_paragraph"], extra_agencies=["HarbourWatch"])
    assert off.clean(text).captions == []


def test_plugin_adds_a_credit_pattern():
    class Plugin:
        @staticmethod
        @hookimpl
        def cleankit_register_patterns(register):
            register("caption_credit", "harbour_watch", r"Harbour ?Watch")

    registry = registry_with(Plugin)
    text = "Ships wait outside the harbour in this photo from the coastguardHarbour Watch\nMore."
    doc = Pipeline(["split_captions"], registry=registry).clean(text)
    assert doc.captions[0]["credit"] == "Harbour Watch"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"disabled_rules": ["photos"]}, "unknown rule"),
        ({"max_words": 0}, "must be 1 or more"),
        ({"extra_agencies": ["(unclosed"]}, None),
    ],
)
def test_bad_options(options, message):
    if message is None:  # agency names are literal text, so any string is fine
        SplitCaptions(**options)
        return
    with pytest.raises(ConfigError, match=message):
        SplitCaptions(**options)


def test_captions_jsonl_beside_documents(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    case = next(c for c in CASES if c.name == "parenthesised_credits")
    (source / "strike.txt").write_text(case.text, encoding="utf-8")
    from cleankit import run

    result = run(source, tmp_path / "out")
    assert result.ok
    lines = (tmp_path / "out" / "captions.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == ["strike.txt"] * len(case.captions)
    assert [(r["text"], r["credit"]) for r in records] == [(t, c) for t, c, _ in case.captions]
    raw = (source / "strike.txt").read_text(encoding="utf-8")
    assert all(r["text"] in raw[r["start"] : r["end"]] for r in records)


FINGERPRINTS = st.integers(0, 2**64 - 1)


@given(st.dictionaries(FINGERPRINTS, st.integers(1, 400)), st.lists(FINGERPRINTS))
def test_the_table_of_known_captions_answers_as_its_dict(fingerprints, probes):
    table = FingerprintTable(fingerprints)
    assert len(table) == len(fingerprints)
    for fingerprint in [*fingerprints, *probes, 0, 2**64 - 1]:
        assert table.get(fingerprint) == fingerprints.get(fingerprint)


class TableByDefinition:
    """The known captions' table as a plain dict: every fingerprint added, the later word
    count standing, then the ``limit`` smallest kept."""

    def __init__(self, limit: int) -> None:
        self.limit, self.fingerprints = limit, {}

    def add(self, fingerprints: dict[int, int]) -> None:
        self.fingerprints.update(fingerprints)
        self.fingerprints = {
            k: self.fingerprints[k] for k in sorted(self.fingerprints)[: self.limit]
        }


SMALL_FINGERPRINTS = st.dictionaries(st.integers(0, 40), st.integers(1, 9), max_size=6)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 12),
    st.integers(1, 5),
    st.lists(st.lists(SMALL_FINGERPRINTS, max_size=5), min_size=1, max_size=5),
)
def test_known_captions_fold_and_merge_as_one_dict_would(limit, fold, shards):
    # Shards' tables merged in order, folding into arrays every few fingerprints, hold
    # what one dict of every fingerprint added in that order holds.
    merged, expected = KnownCaptions(limit), TableByDefinition(limit)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(split_captions, "FOLD_EVERY", fold)
        for captions in shards:
            shard = KnownCaptions(limit)
            for fingerprints in captions:
                shard.add(fingerprints)
                expected.add(fingerprints)
            merged.merge(pickle.loads(pickle.dumps(shard)))  # as a worker sends it back
    assert merged.fingerprints == expected.fingerprints
    table = merged.fingerprint_table()
    assert [table.get(k) for k in range(42)] == [expected.fingerprints.get(k) for k in range(42)]


def test_a_table_of_known_captions_saved_as_one_dict_still_loads():
    old = KnownCaptions(10)
    del old.table, old.recent
    old.__dict__["fingerprints"] = {5: 7, 3: 6}  # the older layout, with no words either
    del old.words
    loaded = pickle.loads(pickle.dumps(old))
    assert loaded.fingerprints == {3: 6, 5: 7} and loaded.words is None
    loaded.merge(KnownCaptions(10))
    assert loaded.fingerprint_table().get(5) == 7
