"""Pipeline building, validation, the Python API and the scan phase."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest

import cleankit
from cleankit import ConfigError, Document, Pipeline, Step, StepFailed, hookimpl, option
from cleankit.testing import check_alignment, registry_with
from cleankit_plugins.fix_mojibake import FixMojibake
from cleankit_plugins.normalize_whitespace import NormalizeWhitespace


class DropRepeatedLines(Step):
    """Test step: drop lines seen in more than one document (a corpus scan)."""

    name = "drop_repeated_lines"

    def new_scan_state(self):
        return Counter()

    def scan(self, doc, state):
        state.update(set(doc.text.splitlines()))
        return state

    def merge_scan_states(self, a, b):
        return a + b

    def use_scan_state(self, state):
        self.seen = set(state)
        self.repeated = {line for line, n in state.items() if n > 1 and line}

    def apply(self, doc):
        pos = 0
        for line in doc.text.splitlines(keepends=True):
            if line.rstrip("\n") in self.repeated:
                doc.delete(pos, pos + len(line), label="template", reason="seen in other documents")
            pos += len(line)


class Explode(Step):
    """Test step that fails on documents containing 'boom'."""

    name = "explode"

    @dataclass(frozen=True)
    class Options:
        word: str = option("boom", "word that makes the step fail")

    def apply(self, doc):
        if self.options.word in doc.text:
            raise RuntimeError("kaboom")


class TestPlugin:
    @staticmethod
    @hookimpl
    def cleankit_register_steps(register):
        register(DropRepeatedLines)
        register(Explode)


def test_default_pipeline_is_the_builtins_in_order():
    assert Pipeline().names == [
        "fix_mojibake",
        "split_captions",
        "extract_metadata",
        "strip_boilerplate",
        "dedupe_paragraphs",
        "restore_stopwords",
        "normalize_whitespace",
    ]


def test_clean_one_string():
    doc = cleankit.clean("It\u00e2\u20ac\u2122s  here.\n\n\n\nThe rest follows.")
    assert doc.text == "It\u2019s here.\n\nThe rest follows."
    check_alignment(doc)
    assert {s["step"] for s in doc.spans()} == {"fix_mojibake", "normalize_whitespace"}


def test_options_by_name_and_step_objects():
    p = Pipeline(["normalize_whitespace"], {"normalize_whitespace": {"max_blank_lines": 0}})
    assert p.clean("a\n\n\nb").text == "a\nb"
    p = Pipeline([FixMojibake(), NormalizeWhitespace(max_blank_lines=0)])
    assert p.clean("caf\u00c3\u00a9\n\n\nb").text == "caf\u00e9\nb"
    assert Pipeline([NormalizeWhitespace]).names == ["normalize_whitespace"]


def test_step_used_directly():
    doc = Document("a  b")
    change = NormalizeWhitespace()(doc)
    assert doc.text == "a b" and change.edits == 1 and change.chars_removed["whitespace"] == 1


def test_unknown_step_lists_valid_ones():
    with pytest.raises(
        ConfigError,
        match=r"unknown step: 'fix_mojibak'; did you mean 'fix_mojibake'\?.*normalize_whitespace",
    ):
        Pipeline(["fix_mojibak"])


def test_unknown_option_lists_valid_ones():
    with pytest.raises(
        ConfigError,
        match=r"unknown option for step 'normalize_whitespace': 'max_blank'.*max_blank_lines",
    ):
        Pipeline(["normalize_whitespace"], {"normalize_whitespace": {"max_blank": 1}})


def test_bad_option_value():
    with pytest.raises(
        ConfigError, match="'unescape_html' expects 'auto' \\| 'always' \\| 'never'"
    ):
        FixMojibake(unescape_html="sometimes")


def test_options_for_a_step_not_in_the_pipeline():
    with pytest.raises(ConfigError, match="not run"):
        Pipeline(["fix_mojibake"], {"normalize_whitespace": {"max_blank_lines": 0}})


def test_steps_must_be_a_list():
    with pytest.raises(ConfigError, match="list"):
        Pipeline("fix_mojibake")


def test_scan_phase_sees_the_corpus():
    registry = registry_with(TestPlugin)
    pipeline = Pipeline(["normalize_whitespace", "drop_repeated_lines"], registry=registry)
    texts = ["Story one.\nShare this  article\n", "Story two.\nShare this article", "Story three."]
    docs = list(pipeline.clean_corpus(texts))
    assert [d.text for d in docs] == ["Story one.\n", "Story two.\n", "Story three."]
    span = next(s for s in docs[0].spans() if s["step"] == "drop_repeated_lines")
    assert span["label"] == "template"
    for d in docs:
        check_alignment(d)


def test_clean_scans_each_single_document_afresh():
    pipeline = Pipeline(["drop_repeated_lines"], registry=registry_with(TestPlugin))
    pipeline.clean("first\nshared")
    pipeline.clean("second\nshared")
    assert pipeline.steps[0].seen == {"second", "shared"}  # nothing left from the first
    assert not pipeline.prepared


def test_step_failure_names_step_and_document():
    pipeline = Pipeline(["explode"], registry=registry_with(TestPlugin))
    with pytest.raises(StepFailed, match=r"step 'explode' failed on document 'x'.*kaboom"):
        pipeline.clean("boom", id="x")


def test_cleaning_clean_output_changes_nothing():
    raw = "  A caf\u00c3\u00a9\r\n\r\n\r\nwith   spaces\u00a0here  "
    once = cleankit.clean(raw)
    again = cleankit.clean(once.text)
    assert again.text == once.text and again.edits == ()


def test_edits_outside_a_step_are_refused():
    doc = Document("abc")
    with pytest.raises(cleankit.EditError, match="editing"):
        doc.delete(0, 1, label="x")


def test_overlapping_edits_in_one_step_are_refused():
    doc = Document("abcdef")
    with pytest.raises(cleankit.EditError, match="overlap"), doc.editing("bad"):
        doc.delete(0, 3, label="x")
        doc.delete(2, 4, label="x")
    assert doc.text == "abcdef" and not doc.edits


def test_annotations_stay_in_text():
    doc = Document("Title\n\nBody")
    with doc.editing("mark"):
        doc.annotate(0, 5, label="heading")
        doc.delete(5, 6, label="whitespace")
    assert doc.text == "Title\nBody"
    assert {
        "start": 0,
        "end": 5,
        "label": "heading",
        "step": "mark",
        "kind": "label",
        "reason": "",
    } in doc.spans()


def test_replacing_with_nothing_is_a_deletion():
    doc = Document("abc")
    with doc.editing("s"):
        doc.replace(1, 2, "", label="x")
    assert doc.edits[0].kind == "delete"


class _Lines(Step):
    """Test step: remembers the lines its scan saw; removes nothing."""

    name = "lines_seen"
    rewrites = False

    def new_scan_state(self):
        return []

    def scan(self, doc, state):
        return [*state, *doc.text.split("\n")]

    def merge_scan_states(self, a, b):
        return a + b

    def use_scan_state(self, state):
        self.seen = state

    def apply(self, doc):
        pass


class _SharedLines(_Lines):
    name = "shared_lines_seen"
    scan_needs_removals = False


class _Upper(Step):
    name = "upper"

    def apply(self, doc):
        doc.replace(0, len(doc.text), doc.text.upper(), label="case")


class _DropFirstLine(Step):
    name = "drop_first_line"
    rewrites = False

    def apply(self, doc):
        doc.delete(0, doc.text.find("\n") + 1, label="test")


def test_default_scans_share_one_pass():
    pipeline = Pipeline()
    groups = pipeline.scan_groups()
    assert [[pipeline.names[i] for i in group] for group in groups] == [
        ["split_captions", "strip_boilerplate", "restore_stopwords"]
    ]


def test_a_shared_scan_sees_rewrites_but_not_removals_in_between():
    shared = _SharedLines()
    pipeline = Pipeline([_Lines(), _Upper(), _DropFirstLine(), shared])
    assert pipeline.scan_groups() == [[0, 3]]
    list(pipeline.clean_corpus(["title\nbody"]))
    assert shared.seen == ["TITLE", "BODY"]


def test_a_scan_that_needs_removals_gets_its_own_pass():
    own = _Lines()
    pipeline = Pipeline([_SharedLines(), _DropFirstLine(), own])
    assert pipeline.scan_groups() == [[0], [2]]
    list(pipeline.clean_corpus(["title\nbody"]))
    assert own.seen == ["body"]


def test_no_shared_pass_across_a_rewriting_step_that_waits_for_its_scan():
    class ScanningUpper(_Upper):
        name = "scanning_upper"

        def scan(self, doc, state):
            return state

    pipeline = Pipeline([_Lines(), ScanningUpper(), _SharedLines()])
    assert pipeline.scan_groups() == [[0], [1], [2]]
