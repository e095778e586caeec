"""Lower-casing a long text a piece at a time gives what lower-casing it at once gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import cleankit.lines as lines_module
from cleankit.lines import lower_text

# Final sigma depends on its neighbours; combining marks and apostrophes are skipped when
# looking for them; dotted capital I lowers to two characters.
pieces = st.sampled_from(["Σ", "ΑΣ", "σ", "\u0301", "'", "’", ".", " ", "\n", "İ", "A", "ß", "é"])


@settings(max_examples=500, deadline=None)
@given(st.lists(pieces, max_size=40).map("".join), st.integers(1, 6))
def test_a_text_lowered_in_pieces_is_lowered_as_a_whole(text, piece):
    kept = lines_module.LOWER_PIECE
    lines_module.LOWER_PIECE = piece  # hypothesis runs examples inside one test call
    try:
        assert lower_text(text) == text.lower()
    finally:
        lines_module.LOWER_PIECE = kept
