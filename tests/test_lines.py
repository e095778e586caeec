"""A text in pieces of whole lines: the same lines, the same text joined, lower-cased too."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cleankit.lines import line_pieces

# Final sigma depends on its neighbours (combining marks and apostrophes are skipped when
# looking for them), and dotted capital I lowers to two characters: lower-casing pieces
# must still give the text lower-cased.
pieces = st.sampled_from(["Σ", "ΑΣ", "σ", "\u0301", "'", "’", ".", " ", "\n", "İ", "A", "ß", "é"])
texts = st.lists(pieces, max_size=40).map("".join)


@settings(max_examples=500, deadline=None)
@given(texts, st.integers(0, 6))
def test_pieces_are_whole_lines_that_join_into_the_text(text, size):
    found = list(line_pieces(text, size))
    assert "\n".join(found) == text
    assert [line for piece in found for line in piece.split("\n")] == text.split("\n")
    assert all(len(piece) >= size for piece in found[:-1])
    assert "\n".join(piece.lower() for piece in found) == text.lower()
