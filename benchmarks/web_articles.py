"""Score cleankit's article extraction on real web pages with hand-checked bodies.

usage: python benchmarks/web_articles.py EVAL_DIR [--steps a,b] [--show] [--keep OUT]

EVAL_DIR holds ``text/<id>.txt`` (page text, every visible line) and ``gold.jsonl``
(``id``, ``body``). The metric is the article-extraction benchmark's own: precision,
recall and F1 over word 4-grams, macro-averaged over pages. Besides cleankit's default
pipeline the same run scores the page text as it is (the floor) and, when datatrove is
installed (``pip install 'cleankit[bench]'``), C4-style line filtering.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

import cleankit

TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter:
    tokens = TOKEN.findall(text or "")
    return (
        Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))
        if tokens
        else Counter()
    )


def counts(gold: str, pred: str) -> tuple[int, int, int]:
    g, p = shingles(gold), shingles(pred)
    tp = sum((g & p).values())
    return tp, sum(p.values()) - tp, sum(g.values()) - tp


def macro(rows: list[tuple[int, int, int]]) -> tuple[float, float, float]:
    def precision(tp, fp, fn):
        return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))

    def recall(tp, fp, fn):
        return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))

    p = statistics.mean([precision(*r) for r in rows if r[0] + r[1] > 0] or [0])
    r = statistics.mean([recall(*r) for r in rows if r[0] + r[2] > 0] or [0])
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def c4_filter(text: str) -> str | None:
    """datatrove's C4 line rules applied to one text, or None when datatrove is missing.

    Only the line-level rules run (terminal punctuation, words per line, javascript,
    policy lines, citations); the rules that reject a whole document (too few sentences,
    curly brackets, lorem ipsum) are off, so every page is scored on the lines C4 keeps.
    """
    try:
        from datatrove.data import Document as DatatroveDocument
        from datatrove.pipeline.filters import C4QualityFilter
    except ImportError:
        return None
    doc = DatatroveDocument(text=text, id="x")
    C4QualityFilter(
        filter_no_terminal_punct=True,
        min_num_sentences=-1,
        filter_curly_bracket=False,
        filter_lorem_ipsum=False,
    ).filter(doc)
    return doc.text


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("eval_dir", type=Path)
    ap.add_argument("--steps", help="comma-separated steps (default: the default pipeline)")
    ap.add_argument("--show", action="store_true", help="print per-page scores")
    ap.add_argument("--keep", type=Path, help="write cleankit's output here instead of a temp dir")
    a = ap.parse_args()
    gold = {
        g["id"]: g["body"]
        for g in map(json.loads, (a.eval_dir / "gold.jsonl").read_text().splitlines())
    }
    pipeline = cleankit.Pipeline(a.steps.split(",") if a.steps else None)
    out = a.keep or Path(tempfile.mkdtemp()) / "out"
    started = time.perf_counter()
    cleankit.run(a.eval_dir / "text", out, pipeline, overwrite=True)
    seconds = time.perf_counter() - started
    records = {
        r["id"].removesuffix(".txt"): r
        for r in map(json.loads, (out / "documents.jsonl").read_text().splitlines())
    }
    rows: dict[str, list] = {
        "input as is (floor)": [],
        "cleankit": [],
        "C4 line filter (datatrove)": [],
    }
    for page_id, body in sorted(gold.items()):
        raw = (a.eval_dir / "text" / f"{page_id}.txt").read_text(encoding="utf-8")
        ours = records[page_id]["text"] if page_id in records else ""
        rows["input as is (floor)"].append(counts(body, raw))
        rows["cleankit"].append(counts(body, ours))
        c4 = c4_filter(raw)
        if c4 is not None:
            rows["C4 line filter (datatrove)"].append(counts(body, c4))
        if a.show:
            print(page_id, "P={:.3f} R={:.3f} F1={:.3f}".format(*macro([rows["cleankit"][-1]])))
    print(f"pipeline: {', '.join(pipeline.names)}; {len(gold)} pages; cleankit run {seconds:.1f}s")
    for name, r in rows.items():
        if r:
            print(f"{name:28s} P=%.3f R=%.3f F1=%.3f" % macro(r))
        else:
            print(f"{name:28s} (not installed: pip install 'cleankit[bench]')")


if __name__ == "__main__":
    main()
