"""Property tests of the alignment invariants, against a character-level reference model.

The reference model keeps, for every character of the current text, the raw index it came
from (or None for inserted text) and applies each step's edits directly. The real
document must agree with it after any sequence of steps, including steps that edit text
an earlier step already edited.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleankit import Document, EditError
from cleankit.edits import Edit, PendingEdit, apply_edits, commit_edits, compose, segments

ALPHABET = "ab \n\u00e9"


@st.composite
def step_edits(draw, length: int, max_cuts: int = 8):
    """Sorted, non-overlapping edits over a text of ``length`` characters."""
    cuts = sorted(draw(st.lists(st.integers(0, length), max_size=max_cuts)))
    edits = []
    i = 0
    while i + 1 < len(cuts):
        start, end = cuts[i], cuts[i + 1]
        kind = draw(st.sampled_from(["delete", "replace", "insert", "extract", "skip"]))
        if kind == "insert":
            edits.append((start, start, draw(st.text("XY\n", min_size=1, max_size=3)), kind))
            # A second insertion at the same point is allowed and keeps its order.
            if draw(st.booleans()):
                edits.append((start, start, draw(st.text("Z", min_size=1, max_size=2)), kind))
        elif kind != "skip":
            repl = draw(st.text("XY", max_size=4)) if kind == "replace" else ""
            edits.append((start, end, repl, kind))
        i += 2
    return edits


def apply_to_model(chars: list[tuple[str, int | None]], edits) -> list[tuple[str, int | None]]:
    out: list[tuple[str, int | None]] = []
    pos = 0
    for start, end, repl, _kind in edits:
        out.extend(chars[pos:start])
        out.extend((c, None) for c in repl)
        pos = end
    out.extend(chars[pos:])
    return out


def record(doc: Document, name: str, edits) -> None:
    with doc.editing(name):
        for start, end, repl, kind in edits:
            if kind == "delete":
                doc.delete(start, end, label="gone")
            elif kind == "extract":
                doc.extract(start, end, label="kept-aside")
            elif kind == "insert":
                doc.insert(start, repl, label="added")
            else:
                doc.replace(start, end, repl, label="fixed")


@st.composite
def scenario(draw, min_size: int = 0, max_size: int = 30, max_cuts: int = 8):
    raw = draw(st.text(ALPHABET, min_size=min_size, max_size=max_size))
    model = [(c, i) for i, c in enumerate(raw)]
    steps = []
    for _ in range(draw(st.integers(1, 4))):
        edits = draw(step_edits(len(model), max_cuts))
        steps.append(edits)
        model = apply_to_model(model, edits)
    return raw, steps, model


def build(raw: str, steps) -> Document:
    doc = Document(raw)
    for n, edits in enumerate(steps):
        record(doc, f"step{n}", edits)
    return doc


@settings(max_examples=400, deadline=None)
@given(scenario())
def test_document_agrees_with_reference_model(case):
    raw, steps, model = case
    doc = build(raw, steps)
    expected_text = "".join(c for c, _ in model)
    assert doc.raw == raw  # raw never changes
    # 1. applying the edit list to raw gives text
    assert doc.text == expected_text
    assert apply_edits(raw, doc.edits) == doc.text
    # 2. identity pieces match raw, are monotonic, and are exactly the surviving characters
    origins = [o for _, o in model]
    last_t = last_r = 0
    mapped = [None] * len(doc.text)
    for t, r, n in doc.alignment():
        assert n > 0
        assert t >= last_t and r >= last_r
        assert doc.text[t : t + n] == raw[r : r + n]
        for k in range(n):
            mapped[t + k] = r + k
        last_t, last_r = t + n, r + n
    assert mapped == origins
    # 3. edits are sorted, non-overlapping, inside raw, each with a step and label
    previous_end = 0
    for edit in doc.edits:
        assert previous_end <= edit.start <= edit.end <= len(raw)
        assert edit.step.startswith("step") and edit.label
        previous_end = edit.end
    # every raw character that did not survive is inside exactly one reported span
    removed = set(range(len(raw))) - {o for o in origins if o is not None}
    covered = [i for e in doc.edits for i in range(e.start, e.end)]
    assert sorted(covered) == sorted(set(covered))
    assert removed <= set(covered)
    for span in doc.spans():
        assert 0 <= span["start"] <= span["end"] <= len(raw)


@settings(max_examples=200, deadline=None)
@given(scenario())
def test_edits_are_deterministic(case):
    raw, steps, _ = case
    first, second = build(raw, steps), build(raw, steps)
    assert first.edits == second.edits
    assert first.spans() == second.spans()


@settings(max_examples=200, deadline=None)
@given(scenario(), st.data())
def test_raw_range_covers_text(case, data):
    raw, steps, model = case
    doc = build(raw, steps)
    n = len(doc.text)
    a = data.draw(st.integers(0, n))
    b = data.draw(st.integers(a, n))
    r0, r1 = doc.raw_range(a, b)
    assert 0 <= r0 <= r1 <= len(raw)
    # every surviving raw character of text[a:b] lies inside the raw range
    for origin in (o for _, o in model[a:b]):
        if origin is not None:
            assert r0 <= origin < r1


def _pending(edits) -> list[PendingEdit]:
    out = []
    for start, end, repl, kind in edits:
        if kind == "insert":
            out.append(PendingEdit(start, start, repl, "replace", "added"))
        elif kind == "replace":
            if start == end and not repl:
                continue  # the document drops an empty deletion
            out.append(PendingEdit(start, end, repl, "replace", "fixed"))
        else:
            label = "gone" if kind == "delete" else "kept-aside"
            if start < end:
                out.append(PendingEdit(start, end, "", kind, label))
    return out


@settings(max_examples=100, deadline=None)
@given(st.one_of(scenario(), scenario(40, 80, 4)), st.randoms(use_true_random=False))
def test_commit_path_equals_the_general_composition(case, rnd):
    """Each step's edits, committed the way documents commit them (one pass when they
    touch no earlier edit), give the same edits and text as :func:`compose`, in whatever
    order the step made them."""
    raw, steps, _ = case
    edits: list[Edit] = []
    text = raw
    for n, step_edits_ in enumerate(steps):
        pending = _pending(step_edits_)
        rnd.shuffle(pending)
        tuples = [
            (p.start, p.end, p.replacement, p.kind, p.label, p.reason, p.data) for p in pending
        ]
        expected = compose(len(raw), edits, text, pending, f"step{n}")
        new_edits, new_text = commit_edits(raw, edits, text, tuples, f"step{n}")
        assert new_edits == expected
        assert new_text == apply_edits(raw, expected)
        # Earlier edits that stay are the same objects (explain finds new ones by id).
        assert {id(e) for e in new_edits} & {id(e) for e in edits} == {id(e) for e in expected} & {
            id(e) for e in edits
        }
        edits, text = new_edits, new_text


@pytest.mark.parametrize(
    "pending",
    [
        [(0, 2, "", "delete", "x", "", None), (1, 3, "", "delete", "x", "", None)],
        [(0, 9, "", "delete", "x", "", None)],
        [(-1, 1, "", "delete", "x", "", None)],
        [(2, 1, "", "delete", "x", "", None)],
        [(0, 1, "", "erase", "x", "", None)],
    ],
)
def test_commit_path_raises_what_the_general_composition_raises(pending):
    with pytest.raises(EditError) as general:
        compose(5, [], "abcde", [PendingEdit(*p) for p in pending], "s")
    with pytest.raises(EditError) as fast:
        commit_edits("abcde", [], "abcde", pending, "s")
    assert str(fast.value) == str(general.value)


@settings(max_examples=100, deadline=None)
@given(scenario())
def test_alignment_is_the_identity_segments(case):
    raw, steps, _ = case
    doc = build(raw, steps)
    expected = [(s.t0, s.r0, s.t1 - s.t0) for s in segments(len(raw), doc.edits) if s.edit is None]
    assert doc.alignment() == expected
