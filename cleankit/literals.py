"""Patterns that find any of a set of literal strings."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable


def tree_pattern(words: Iterable[str], escape: Callable[[str], str] = re.escape) -> str:
    """One regular expression for a set of literal words, shaped as a prefix tree
    (``A(?:FP|P)``), so the engine tries one branch per character instead of every word.
    ``escape`` is the escaping of the engine that will compile it.

    >>> tree_pattern(["AP", "AFP", "AFPTV"])
    'A(?:FP(?:TV)?|P)'
    """
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        branches = [escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" not in node:
            return body
        return f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else f"{body}?"

    return build(tree)
