"""How well restore_stopwords finds originals, and how fast it looks them up.

usage: python benchmarks/restoration.py EVAL_DIR [--distractors N] [--index-sentences N]

EVAL_DIR is ``../shared/eval/web-articles``: its ``gold.jsonl`` article bodies are real
text nobody on the project wrote. The bodies, in id order, are dealt into two halves:

* **present**: the body goes into the corpus as an original, and a normalised copy of
  it goes in as well;
* **absent**: only the normalised copy goes in, so nothing may be claimed for it.

Each normalised copy is made by one of several pipelines (stopword list x lemmatiser,
taken in turn), one sentence per line or one paragraph per line, again in turn. The
corpus also holds ``--distractors`` generated news documents (``benchmarks/corpus.py``).
The whole corpus goes through ``restore_stopwords`` as a run would, and the script
reports, over normalised lines of at least the step's ``min_tokens`` tokens:

* **top-1 accuracy** where the original is present: the line's claimed original is in
  the right document and covers the right sentence or paragraph;
* **false restorations** where it is absent: any original claimed at all;
* the spread of scores, to show the margin around the threshold.

Then **lookup speed**: an index of ``--index-sentences`` generated sentences (at least a
million by default) plus the present originals, and the time to look up and align each
normalised line of the present half against it (with top-1 accuracy there too).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "benchmarks")]

import corpus  # noqa: E402

from cleankit import Document, Pipeline  # noqa: E402
from cleankit_plugins.normalizer import Normalizer  # noqa: E402
from cleankit_plugins.restore_stopwords import RestoreStopwords  # noqa: E402
from cleankit_plugins.sentence_index import SentenceIndex, split_sentences  # noqa: E402
from cleankit_plugins.token_alignment import WordWeights, best_match  # noqa: E402

#: The pipelines that make the normalised copies: (stopword list, lemmatiser).
PIPELINES = [
    ("cleankit", "simplemma"),
    ("stop-words", "snowball"),
    ("iso", "simplemma"),
    ("cleankit", "snowball"),
    ("stop-words", "none"),
    ("iso", "snowball"),
]


def units(body: str, by_sentence: bool) -> list[tuple[int, int]]:
    """``(start, end)`` of the sentences, or of the paragraphs, of ``body``."""
    if by_sentence:
        return list(split_sentences(body))
    out, start = [], 0
    for line in body.split("\n"):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            out.append((start + lead, start + len(line.rstrip())))
        start += len(line) + 1
    return out


def build_cases(gold: list[dict], min_tokens: int):
    """The normalised documents, and for each line its truth: (source id, start, end)."""
    normalizers = [Normalizer(s, lem) for s, lem in PIPELINES]
    originals, normalised, truth = [], [], {}
    for number, article in enumerate(sorted(gold, key=lambda a: a["id"])):
        body = article["body"]
        present = number % 2 == 0
        normalizer = normalizers[(number // 2) % len(normalizers)]
        by_sentence = (number // 2) % 2 == 0
        lines, line_truth = [], []
        for start, end in units(body, by_sentence):
            line = normalizer.normalize(body[start:end])
            if line:
                lines.append(line)
                source = f"orig/{article['id']}" if present else None
                line_truth.append((source, start, end, len(line.split()) >= min_tokens))
        if len(lines) < 2:
            continue
        doc_id = f"norm/{article['id']}"
        normalised.append(Document("\n".join(lines) + "\n", id=doc_id))
        truth[doc_id] = line_truth
        if present:
            originals.append(Document(body, id=f"orig/{article['id']}"))
    return originals, normalised, truth


def correct(entry: dict, source: str, start: int, end: int) -> bool:
    """The claimed original is the unit's own sentence or paragraph (half of the union)."""
    if entry["source"] != source:
        return False
    overlap = min(end, entry["end"]) - max(start, entry["start"])
    union = max(end, entry["end"]) - min(start, entry["start"])
    return overlap > 0 and overlap / union >= 0.5


def accuracy(eval_dir: Path, distractors: int) -> dict:
    gold = [json.loads(line) for line in (eval_dir / "gold.jsonl").open(encoding="utf-8")]
    step = RestoreStopwords()
    originals, normalised, truth = build_cases(gold, step.options.min_tokens)
    noise = [
        Document(doc.text, id=f"gen/{doc.path}")
        for doc in corpus.iter_documents(distractors, seed=7)
    ]
    docs = originals + noise + normalised
    started = time.perf_counter()
    cleaned = list(Pipeline([step]).clean_corpus(docs))
    seconds = time.perf_counter() - started
    counts = dict.fromkeys(
        [
            "present",
            "right",
            "wrong",
            "wrong but word for word",
            "unrestored",
            "absent",
            "false",
            "short",
        ],
        0,
    )
    scores = {"right": [], "absent": [], "unrestored": []}
    undetected = 0
    for doc in cleaned:
        if doc.id not in truth:
            continue
        if not doc.meta.get("normalized"):
            undetected += 1
            continue
        for entry, (source, start, end, long_enough) in zip(
            doc.restored, truth[doc.id], strict=True
        ):
            if not long_enough:
                counts["short"] += 1
                continue
            if source is None:
                counts["absent"] += 1
                counts["false"] += entry["original"] is not None
                scores["absent"].append(entry["score"])
                continue
            counts["present"] += 1
            if entry["original"] is None:
                counts["unrestored"] += 1
                scores["unrestored"].append(entry["score"])
            elif correct(entry, source, start, end):
                counts["right"] += 1
                scores["right"].append(entry["score"])
            else:
                counts["wrong"] += 1
                # A repeated line, or the same sentence in another article: not the unit
                # the copy was made from, but the same words.
                counts["wrong but word for word"] += entry["score"] == 1.0
    return {
        "documents": len(docs),
        "normalised documents": len(normalised),
        "not detected": undetected,
        "seconds": round(seconds, 2),
        **counts,
        "top-1 accuracy": round(counts["right"] / max(counts["present"], 1), 4),
        "false restorations": round(counts["false"] / max(counts["absent"], 1), 4),
        "score quartiles": {
            k: [round(q, 3) for q in statistics.quantiles(v, n=4)] if len(v) > 1 else v
            for k, v in scores.items()
        },
        "highest score where absent": max(scores["absent"], default=None),
        "threshold": step.options.threshold,
    }


def lookup_speed(eval_dir: Path, n_sentences: int, count: int) -> dict:
    gold = [json.loads(line) for line in (eval_dir / "gold.jsonl").open(encoding="utf-8")]
    originals, normalised, truth = build_cases(gold, RestoreStopwords().options.min_tokens)
    index = SentenceIndex(limit=n_sentences + 100_000)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    made = 0
    for number, paragraph in enumerate(corpus.paragraphs(n_sentences, seed=11)):
        index.add(f"gen/{number}", paragraph)
        made = len(index)
        if made >= n_sentences:
            break
    for doc in originals:
        index.add(doc.id, doc.text)
    build = time.perf_counter() - started
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    lookups, aligns, right, total = [], [], 0, 0
    threshold = RestoreStopwords().options.threshold
    for doc in normalised:
        weights = WordWeights(doc.text.split())
        for line, (source, start, end, long_enough) in zip(
            doc.text.splitlines(), truth[doc.id], strict=True
        ):
            if source is None or not long_enough:
                continue
            tokens = line.split()
            t0 = time.perf_counter()
            passages = index.lookup(tokens, count)
            t1 = time.perf_counter()
            match = best_match(tokens, passages, weights)
            t2 = time.perf_counter()
            lookups.append(t1 - t0)
            aligns.append(t2 - t1)
            total += 1
            if match and match.score >= threshold:
                entry = {"source": match.source, "start": match.start, "end": match.end}
                right += correct(entry, source, start, end)
    ms = 1000
    return {
        "index sentences": len(index),
        "distinct keys": len(index.postings),
        "build seconds": round(build, 1),
        "build sentences/s": round(len(index) / build),
        "memory grown MB (max RSS)": round(grown),
        "lines looked up": total,
        "lookup ms median": round(statistics.median(lookups) * ms, 2),
        "lookup ms p95": round(statistics.quantiles(lookups, n=20)[-1] * ms, 2),
        "align ms median": round(statistics.median(aligns) * ms, 2),
        "top-1 accuracy in this index": round(right / max(total, 1), 4),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("eval_dir", type=Path, help="folder with gold.jsonl")
    parser.add_argument("--distractors", type=int, default=2000)
    parser.add_argument("--index-sentences", type=int, default=1_000_000)
    parser.add_argument("--no-speed", action="store_true", help="skip the big index")
    args = parser.parse_args(argv)
    result = {"accuracy": accuracy(args.eval_dir, args.distractors)}
    print(json.dumps(result["accuracy"], indent=2), flush=True)
    if not args.no_speed:
        speed = lookup_speed(
            args.eval_dir, args.index_sentences, RestoreStopwords().options.candidates
        )
        print(json.dumps(speed, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
