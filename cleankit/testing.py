"""Helpers for testing cleankit plugins (and cleankit itself).

::

    import cleankit_shout
    from cleankit import Pipeline
    from cleankit.testing import check_alignment, registry_with

    def test_in_a_pipeline():
        registry = registry_with(cleankit_shout)
        doc = Pipeline(["shout", "normalize_whitespace"], registry=registry).clean("...")
        check_alignment(doc)
"""

from __future__ import annotations

import os
from itertools import pairwise

from cleankit.document import Document
from cleankit.edits import apply_edits
from cleankit.plugins import Registry, load_registry

__all__ = ["check_alignment", "registry_with"]

_LOAD = "CLEANKIT_LOAD_PLUGINS"


def registry_with(*plugins: object) -> Registry:
    """A registry with the built-in plugins plus ``plugins``, and nothing else.

    Each plugin is a module (or any object) with ``@hookimpl`` functions. Installed
    third-party plugins are left out whatever ``CLEANKIT_LOAD_PLUGINS`` says, so results do
    not depend on the machine, and a plugin under test can be passed in even when it is
    also installed. ``CLEANKIT_DISABLE_PLUGINS`` is still honoured.
    """
    saved = os.environ.get(_LOAD)
    os.environ[_LOAD] = ""
    try:
        return load_registry(extra_plugins=plugins)
    finally:
        if saved is None:
            del os.environ[_LOAD]
        else:
            os.environ[_LOAD] = saved


def check_alignment(doc: Document) -> None:
    """Check that ``doc.text`` can be traced back to ``doc.raw``; raise AssertionError if not.

    The invariants: the edits are sorted and do not overlap, and applying them to ``raw``
    gives ``text``; every identity piece ``(t, r, n)`` of ``doc.alignment()`` has
    ``text[t:t+n] == raw[r:r+n]`` and starts after the previous piece in both strings;
    every span of ``doc.spans()`` lies inside ``raw``.
    """
    raw, text = doc.raw, doc.text
    edits = doc.edits
    for before, after in pairwise(edits):
        _require(
            before.start <= before.end <= after.start <= after.end,
            f"edits are not sorted or overlap: {before!r} then {after!r}",
        )
    rebuilt = apply_edits(raw, edits)
    _require(rebuilt == text, f"applying the edits to raw gives {rebuilt!r}, not the text {text!r}")
    t_end = r_end = 0
    for t, r, n in doc.alignment():
        piece = (t, r, n)
        _require(n >= 0, f"alignment piece {piece} has a negative length")
        _require(t >= t_end and r >= r_end, f"alignment piece {piece} goes backwards")
        _require(
            t + n <= len(text) and r + n <= len(raw), f"alignment piece {piece} is out of range"
        )
        _require(
            text[t : t + n] == raw[r : r + n],
            f"alignment piece {piece}: text has {text[t : t + n]!r} but raw has {raw[r : r + n]!r}",
        )
        t_end, r_end = t + n, r + n
    for span in doc.spans():
        _require(
            0 <= span["start"] <= span["end"] <= len(raw),
            f"span {span} is outside raw (length {len(raw)})",
        )


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)
