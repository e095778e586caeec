"""Memory of the per-word caches when a corpus's vocabulary fills them.

The steps remember what they worked out for a word (its joined form, stem, lemma, keys,
traits) in caches bounded by entries. A generated corpus has a small vocabulary and
never fills them; real text, with its names, numbers and typos, does, and then each
process holds every cache at its bound. This script fills each cache with as many
distinct English words as the largest bound (simplemma's dictionary, shuffled with a
fixed seed, one in five capitalised as a name), through the same calls the steps make,
and reports the entries each ends with and the memory they hold (``tracemalloc``: what
the cache keeps beyond the words themselves, which stay in lists of their own).

    .venv/bin/python benchmarks/cache_memory.py
    .venv/bin/python benchmarks/cache_memory.py --words 20000 --json caches.json
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import sys
import tracemalloc
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

from cleankit_plugins import sentence_index, split_captions, surface_forms, token_alignment

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchtools  # helpers next to this file


def english_words(count: int, seed: int) -> list[str]:
    """``count`` distinct alphabetic words of simplemma's English dictionary, shuffled."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    entries = DefaultDictionaryFactory().get_dictionary("en")
    words = sorted({k.decode() if isinstance(k, bytes) else k for k in entries})
    words = [w for w in words if w.isalpha()]
    random.Random(seed).shuffle(words)
    if len(words) < count:
        raise SystemExit(f"the dictionary has only {len(words)} such words")
    # One word in five written as a name, as a text would have it.
    return [w.capitalize() if i % 5 == 0 else w for i, w in enumerate(words[:count])]


def in_batches(fill: Callable[[list[str]], object], words: list[str], size: int = 1000):
    """Call ``fill`` on ``words`` a batch at a time, as a text's words arrive."""
    for start in range(0, len(words), size):
        fill(words[start : start + size])


#: How to fill a cache, and how many entries it then holds.
Filler = tuple[Callable[[], object], Callable[[], int]]

#: The functions with an ``lru_cache``, by the name the report gives them.
CACHED = benchtools.word_caches()


def through(cached, inputs: list) -> Filler:
    """Fill the ``lru_cache`` of ``cached`` by calling it on each of ``inputs``."""
    return (lambda: list(map(cached, inputs)), lambda: cached.cache_info().currsize)


def caches(words: list[str]) -> dict[str, Filler]:
    """Each cache, filled from ``words`` (and from their neighbouring pairs, and their
    UTF-8 bytes, for the caches that take those)."""
    lower = list(map(sentence_index.joined.__wrapped__, words))  # not through the cache
    pairs = [a + b for a, b in pairwise(lower)]
    traits = surface_forms._traits
    inputs = {
        "joined": words,
        "stem": lower,
        "lemma": lower,
        "token keys": lower,
        "word keys": lower,
        "glued pair keys": pairs,
        "caption chunk words": [w.encode() for w in lower],
    }
    found = {name: through(cached, inputs[name]) for name, cached in CACHED.items()}
    # Two tables that are plain dicts, emptied when full, and filled a text at a time.
    found["index keys of written words"] = (
        lambda: in_batches(lambda batch: sentence_index._learn_keys(set(batch)), words),
        lambda: len(sentence_index._written_keys),
    )
    found["written-form traits"] = (
        lambda: in_batches(traits.codes, words),
        lambda: len(traits.code),
    )
    return found


def warm_up() -> None:
    """Load the lemmatiser's dictionary and compile patterns outside the measurement,
    then empty every cache."""
    token_alignment.word_keys("warming")
    token_alignment.token_keys("warming")
    token_alignment.glued_pair_keys("warmingup")
    surface_forms._traits.codes(["Warming"])
    sentence_index._learn_keys({"Warming"})
    split_captions._chunk_words(b"warming")
    benchtools.empty_word_caches()


def measure(words: list[str]) -> list[dict]:
    """Fill each cache from empty with ``words``; one row per cache: its entries, the MB
    it holds and the bytes an entry."""
    warm_up()
    rows = []
    tracemalloc.start()
    for name, (fill, entries) in caches(words).items():
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        fill()
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
        count = entries()
        rows.append(
            {
                "cache": name,
                "entries": count,
                "megabytes": round(held / 1e6, 2),
                "bytes_per_entry": round(held / count) if count else None,
            }
        )
    tracemalloc.stop()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--words",
        type=int,
        default=sentence_index.WORD_CACHE,
        help=f"distinct words to fill the caches with ({sentence_index.WORD_CACHE}: their bound)",
    )
    parser.add_argument("--seed", type=int, default=0, help="shuffle seed (0)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results here")
    args = parser.parse_args(argv)
    if args.words < 2:
        parser.error("--words must be 2 or more")
    rows = measure(english_words(args.words, args.seed))
    print(f"{'cache':30s} {'entries':>8s} {'MB':>7s} {'B/entry':>8s}")
    for row in rows:
        print(
            f"{row['cache']:30s} {row['entries']:8d} {row['megabytes']:7.2f}"
            f" {row['bytes_per_entry'] or 0:8d}"
        )
    total = sum(row["megabytes"] for row in rows)
    print(f"{'all of them':30s} {'':8s} {total:7.2f}")
    if args.json:
        results = {"words": args.words, "seed": args.seed, "rows": rows, "megabytes": total}
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
