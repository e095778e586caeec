"""The Snowball stemmers, compiled where that is possible.

PyStemmer builds the Snowball algorithms as a C extension, about 75 times faster than
snowballstemmer's pure-Python ones, which give the same stems (the tests compare the two
in every language). :func:`stem_function` hands out PyStemmer's where it is installed,
without PyStemmer's own cache: each caller decides what, if anything, is worth caching.
"""

from __future__ import annotations

from collections.abc import Callable

import snowballstemmer


def stem_function(algorithm: str) -> tuple[Callable[[str], str], bool]:
    """The ``stemWord`` of Snowball's ``algorithm`` ("english", "german", ...), and whether
    it is compiled (PyStemmer's) rather than pure Python. Raises KeyError for an
    algorithm Snowball does not have.

    >>> stem, _ = stem_function("english")
    >>> stem("forces")
    'forc'
    """
    try:
        import Stemmer
    except ImportError:
        return snowballstemmer.stemmer(algorithm).stemWord, False
    return Stemmer.Stemmer(algorithm, 0).stemWord, True  # 0: no cache of its own
