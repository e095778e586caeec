"""Precision and recall of split_captions' caption records, and its speed.

usage: python benchmarks/captions.py [--fixtures DIR] [--docs N] [--pages DIR]

Precision and recall are counted over caption records: a record is right when its text
and its credit are exactly the expected ones (the date is reported separately). The
labelled documents are ``tests/fixtures/captions/*.txt`` (format in that folder's
README) and ``benchmarks/caption_cases*/*.txt``, two held-out sets written from the
description of the feature alone. Speed is ``split_captions`` alone, in memory, on
``--docs`` generated news documents (``benchmarks/corpus.py``) and, with ``--pages``, on
a folder of real page texts such as ``../shared/eval/web-articles/text``;
``ftfy.fix_text`` on the same text is printed beside it as a yardstick.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import ftfy

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "benchmarks")]

import corpus  # noqa: E402
from caption_fixtures import FIXTURES, load_case  # noqa: E402

from cleankit_plugins.split_captions import SplitCaptions  # noqa: E402

# Two sets written from the feature's description alone, without looking at the
# implementation or at the test fixtures, by two different authors.
HELD_OUT = [
    Path(__file__).resolve().parent / "caption_cases",
    Path(__file__).resolve().parent / "caption_cases_b",
]


def score(fixtures: Path) -> None:
    step = SplitCaptions()
    tp = fp = fn = dates_right = dates_expected = prose_total = prose_lost = 0
    misses: list[str] = []  # reported after the totals
    for path in sorted(fixtures.glob("*.txt")):
        case = load_case(path)
        doc = step.clean(case.text)
        found = doc.captions
        kept = doc.text.split("\n")
        for prose in case.prose:
            prose_total += 1
            if prose not in kept:
                prose_lost += 1
                misses.append(f"{path.stem}: prose lost or split {prose[:70]!r}")
        got = Counter((c["text"], c["credit"]) for c in found)
        want = Counter((text, credit) for text, credit, _ in case.captions)
        hits = got & want
        tp += sum(hits.values())
        fp += sum((got - want).values())
        fn += sum((want - got).values())
        misses += [f"{path.stem}: missed {k}" for k in want - got]
        misses += [f"{path.stem}: spurious {k}" for k in got - want]
        dated = {(c["text"], c["date"]) for c in found}
        for text, _, date in case.captions:
            if date:
                dates_expected += 1
                dates_right += (text, date) in dated
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"caption records (exact text and credit) over {fixtures}:")
    print(
        f"  P={precision:.3f} R={recall:.3f} F1={f1:.3f}  ({tp} right, {fp} spurious, {fn} missed)"
    )
    print(f"  dates: {dates_right}/{dates_expected} right")
    print(f"  prose lines and pieces kept whole: {prose_total - prose_lost}/{prose_total}")
    for line in misses:
        print("   ", line)


def speed(name: str, texts: list[str], repeat: int = 3) -> None:
    step = SplitCaptions()
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    best = {}
    for label, fn in (
        ("split_captions", lambda t: step.clean(t)),
        ("ftfy.fix_text", ftfy.fix_text),
    ):
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            for text in texts:
                fn(text)
            times.append(time.perf_counter() - started)
        best[label] = min(times)
    ours, ftfy_seconds = best["split_captions"], best["ftfy.fix_text"]
    print(
        f"{name}: {len(texts)} documents, {megabytes:.1f} MB: split_captions "
        f"{megabytes / ours:.2f} MB/s, ftfy.fix_text {megabytes / ftfy_seconds:.2f} MB/s "
        f"({ftfy_seconds / ours:.1f}x ftfy; best of {repeat})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--fixtures",
        type=Path,
        action="append",
        help="folders of labelled documents (default: the test fixtures and caption_cases*/)",
    )
    parser.add_argument("--docs", type=int, default=1000, help="generated documents (1000)")
    parser.add_argument("--pages", type=Path, help="a folder of real page texts (*.txt)")
    args = parser.parse_args()
    for folder in args.fixtures or [FIXTURES, *HELD_OUT]:
        score(folder)
    speed("generated corpus", corpus.texts(args.docs))
    if args.pages:
        pages = [p.read_text(encoding="utf-8") for p in sorted(args.pages.glob("*.txt"))]
        speed(f"pages in {args.pages}", pages)


if __name__ == "__main__":
    main()
