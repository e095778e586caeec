"""Throughput and memory of ``cleankit run`` on a synthetic news corpus, next to ftfy.

One run of this script, in one process:

1. writes the corpus (``benchmarks/corpus.py``) into a temporary folder;
2. times ``cleankit.run`` end to end with ``fix_mojibake`` and ``normalize_whitespace``
   (reading, decoding, both steps, writing ``documents.jsonl`` and the ``text/`` mirror),
   once with ``workers=1`` and once with ``--workers`` (default 2); then with the default
   pipeline (every default step, after the scan phases of the steps that have one),
   ``workers=1``;
3. times, over the same texts held in memory (best of ``--repeat``): the two-step
   pipeline, each of its steps alone, plain ``ftfy.fix_text(text)`` (ftfy's defaults) and
   ``ftfy.fix_text(text, FixMojibake().config)`` (the step's conservative settings); then
   ``extract_metadata``, ``strip_boilerplate`` (its scan of the corpus, and the cleaning
   after it) and ``dedupe_paragraphs`` each alone, and the default pipeline (scan phases
   and cleaning);
4. runs the ``cleankit run`` command in a subprocess on N and on 4N documents and
   reports its peak resident memory, to show that memory does not grow with the corpus.

Throughput is input UTF-8 bytes divided by wall-clock seconds, in MB/s (1 MB = 10^6
bytes). Ratios compare each line with plain ``ftfy.fix_text``.

    .venv/bin/python benchmarks/throughput.py --docs 3000 --json results.json
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

import ftfy

import cleankit
from cleankit import Document, Step

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchtools  # helpers next to this file
import corpus  # the generator next to this file
from benchtools import best_of

STEPS = ["fix_mojibake", "normalize_whitespace"]


@dataclass
class Row:
    """One line of the results table."""

    name: str
    seconds: float
    mb_per_s: float
    vs_ftfy: float | None = None
    note: str = ""


@dataclass
class MemoryRow:
    """Peak memory of one ``cleankit run`` subprocess."""

    docs: int
    megabytes_in: float
    seconds: float
    peak_rss_mb: float
    measured_with: str


# -- timing helpers -------------------------------------------------------------------------


# -- the benchmark --------------------------------------------------------------------------


def scan_corpus(step: Step, ids: list[str], texts: list[str]) -> None:
    """Run ``step``'s corpus scan over the texts and hand it the state."""
    state = step.new_scan_state()
    for doc_id, text in zip(ids, texts, strict=True):
        state = step.scan(Document(text, id=doc_id), state)
    step.use_scan_state(state)


def clean_with_ids(step: Step, ids: list[str], texts: list[str]) -> list[str]:
    """Run ``step`` alone on each text, as a document with its id (its folder counts)."""
    out = []
    for doc_id, text in zip(ids, texts, strict=True):
        doc = Document(text, id=doc_id)
        step(doc)
        out.append(doc.text)
    return out


def benchmark(args: argparse.Namespace, workdir: Path) -> dict:
    from cleankit_plugins.dedupe_paragraphs import DedupeParagraphs
    from cleankit_plugins.extract_metadata import ExtractMetadata
    from cleankit_plugins.fix_mojibake import FixMojibake
    from cleankit_plugins.normalize_whitespace import NormalizeWhitespace
    from cleankit_plugins.restore_stopwords import RestoreStopwords
    from cleankit_plugins.split_captions import SplitCaptions
    from cleankit_plugins.strip_boilerplate import StripBoilerplate

    source = workdir / "corpus"
    damage: Counter[str] = Counter()
    started = time.perf_counter()
    total_bytes = corpus.generate(source, args.docs, args.seed, damage)
    generated_in = time.perf_counter() - started
    mb = total_bytes / 1e6
    print(
        f"corpus: {args.docs} documents, {mb:.2f} MB UTF-8, seed {args.seed}, "
        f"written in {generated_in:.1f} s to {source}",
        flush=True,
    )
    print("damage: " + ", ".join(f"{k} {v}" for k, v in sorted(damage.items())), flush=True)

    rows: list[Row] = []

    def add(name: str, seconds: float, note: str = "") -> None:
        rows.append(Row(name, seconds, mb / seconds, note=note))
        print(f"  {name}: {seconds:.2f} s", flush=True)

    print("timing ...", flush=True)
    seconds, report = benchtools.run_end_to_end(source, workdir / "out-w1", 1, STEPS)
    add("cleankit.run, workers=1 (read, 2 steps, write)", seconds, "one run")
    step_seconds = {name: s["seconds"] for name, s in report["steps"].items()}
    seconds, _ = benchtools.run_end_to_end(
        source, workdir / f"out-w{args.workers}", workers=args.workers
    )
    add(f"cleankit.run, workers={args.workers}", seconds, f"one run; {os.cpu_count()} CPUs")
    seconds, default_report = benchtools.run_end_to_end(
        source, workdir / "out-default", 1, steps=None
    )
    default = cleankit.Pipeline()
    shape = f"{len(default.steps)} steps, {sum(s.has_scan() for s in default.steps)} scans"
    add("cleankit.run, default pipeline, workers=1", seconds, f"one run; {shape}")
    default_steps = {
        name: {
            "seconds": s["seconds"],
            "documents_changed": s["documents_changed"],
            "chars_removed": sum(s["chars_removed"].values()),
        }
        for name, s in default_report["steps"].items()
    }
    if not args.keep:
        for out in ("out-w1", f"out-w{args.workers}", "out-default"):
            shutil.rmtree(workdir / out, ignore_errors=True)

    ids, texts = benchtools.read_corpus(source)
    assert sum(len(t.encode("utf-8")) for t in texts) == total_bytes
    pipeline = cleankit.Pipeline(STEPS)
    fix, spaces = FixMojibake(), NormalizeWhitespace()
    config = fix.config
    best = f"best of {args.repeat}"

    seconds, _ = benchtools.best_of(
        args.repeat, lambda: [pipeline.process(Document(t)).text for t in texts]
    )
    add("pipeline in memory (both steps)", seconds, best)
    seconds, fixed = best_of(args.repeat, lambda: [fix.clean(t).text for t in texts])
    add("fix_mojibake step alone", seconds, best)
    seconds, _ = best_of(args.repeat, lambda: [spaces.clean(t).text for t in texts])
    add("normalize_whitespace step alone", seconds, best)
    seconds, _ = best_of(args.repeat, lambda: [ftfy.fix_text(t) for t in texts])
    add("ftfy.fix_text(text), ftfy defaults", seconds, best)
    ftfy_seconds = seconds
    seconds, reference = benchtools.best_of(
        args.repeat, lambda: [ftfy.fix_text(t, config) for t in texts]
    )
    add("ftfy.fix_text(text, FixMojibake().config)", seconds, best)

    captions, metadata, dedupe = SplitCaptions(), ExtractMetadata(), DedupeParagraphs()
    seconds, _ = best_of(args.repeat, lambda: scan_corpus(captions, ids, texts))
    add("split_captions scan phase alone", seconds, best)
    seconds, _ = best_of(args.repeat, lambda: clean_with_ids(captions, ids, texts))
    add("split_captions step alone (after its scan)", seconds, best)
    seconds, _ = best_of(args.repeat, lambda: [metadata.clean(t).text for t in texts])
    add("extract_metadata step alone", seconds, best)
    strip = StripBoilerplate()
    seconds, _ = best_of(args.repeat, lambda: scan_corpus(strip, ids, texts))
    add("strip_boilerplate scan phase alone", seconds, f"{best}; ids with folders")
    seconds, _ = best_of(args.repeat, lambda: clean_with_ids(strip, ids, texts))
    add("strip_boilerplate step alone (after its scan)", seconds, best)
    seconds, _ = best_of(args.repeat, lambda: [dedupe.clean(t).text for t in texts])
    add("dedupe_paragraphs step alone", seconds, best)
    restore = RestoreStopwords()
    seconds, _ = best_of(args.repeat, lambda: scan_corpus(restore, ids, texts))
    add("restore_stopwords scan phase alone", seconds, f"{best}; indexes every sentence")
    seconds, _ = best_of(args.repeat, lambda: clean_with_ids(restore, ids, texts))
    add("restore_stopwords step alone (after its scan)", seconds, best)
    parts = [benchtools.default_pipeline_in_memory(ids, texts) for _ in range(args.repeat)]
    scan_s, clean_s = min(parts, key=sum)
    add(
        "default pipeline in memory (scans + steps)",
        scan_s + clean_s,
        f"{best}; scan phases {scan_s:.2f} s + cleaning {clean_s:.2f} s",
    )
    for row in rows:
        row.vs_ftfy = ftfy_seconds / row.seconds
    mismatches = sum(a != b for a, b in zip(fixed, reference, strict=True))  # type: ignore[arg-type]

    memory: list[MemoryRow] = []
    if not args.no_memory:
        print("peak memory of the cleankit command ...", flush=True)
        big = workdir / "corpus-4x"
        sizes = [
            (args.docs, source, total_bytes),
            (4 * args.docs, big, corpus.generate(big, 4 * args.docs, args.seed)),
        ]
        for docs, folder, size in sizes:
            seconds, peak, how = benchtools.command_memory(
                folder, workdir / f"out-mem-{docs}", "--steps", ",".join(STEPS)
            )
            memory.append(MemoryRow(docs, size / 1e6, seconds, peak, how))
            print(f"  {docs} documents: {peak:.1f} MB peak RSS, {seconds:.1f} s", flush=True)
            if not args.keep:
                shutil.rmtree(workdir / f"out-mem-{docs}", ignore_errors=True)

    return {
        "corpus": {
            "documents": args.docs,
            "bytes": total_bytes,
            "seed": args.seed,
            "damage": dict(sorted(damage.items())),
        },
        "rows": [asdict(r) for r in rows],
        "step_seconds_in_run": step_seconds,
        "default_pipeline": default.names,
        "default_run_steps": default_steps,
        "fix_mojibake_matches_ftfy": {"documents": len(texts), "mismatches": mismatches},
        "memory": [asdict(m) for m in memory],
        "environment": {
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "machine": platform.machine(),
            "system": platform.system(),
            "cpus": os.cpu_count(),
            "cleankit": cleankit.__version__,
            "ftfy": ftfy.__version__,
        },
    }


def print_table(results: dict) -> None:
    rows = results["rows"]
    width = max(len(r["name"]) for r in rows)
    c = results["corpus"]
    env = results["environment"]
    print()
    print(
        f"cleankit {env['cleankit']}, ftfy {env['ftfy']}, Python {env['python']} "
        f"({env['implementation']}), {env['system']} {env['machine']}, {env['cpus']} CPUs"
    )
    print(
        f"corpus: {c['documents']} documents, {c['bytes'] / 1e6:.2f} MB (UTF-8), seed {c['seed']}"
    )
    print()
    print(f"{'measurement':<{width}}  {'seconds':>8}  {'MB/s':>7}  {'vs ftfy':>7}  note")
    print("-" * (width + 40))
    for r in rows:
        print(
            f"{r['name']:<{width}}  {r['seconds']:>8.2f}  {r['mb_per_s']:>7.2f}  "
            f"{r['vs_ftfy']:>6.2f}x  {r['note']}"
        )
    print()
    steps = results["step_seconds_in_run"]
    print(
        "step time inside cleankit.run, workers=1 (report.json): "
        + ", ".join(f"{k} {v:.2f} s" for k, v in steps.items())
    )
    print(
        "default pipeline inside cleankit.run, workers=1 (report.json; scan phases not included):"
    )
    for name, s in results["default_run_steps"].items():
        print(
            f"  {name:<22} {s['seconds']:7.2f} s  {s['documents_changed']:>6} documents changed  "
            f"{s['chars_removed']:>10,} characters removed"
        )
    check = results["fix_mojibake_matches_ftfy"]
    print(
        f"fix_mojibake output == ftfy.fix_text(text, config): "
        f"{check['documents'] - check['mismatches']}/{check['documents']} documents"
    )
    if results["memory"]:
        print()
        print("peak RSS of `cleankit run --workers 1 -q` (subprocess):")
        for m in results["memory"]:
            print(
                f"  {m['docs']:>6} documents, {m['megabytes_in']:7.1f} MB in: "
                f"{m['peak_rss_mb']:6.1f} MB peak RSS, {m['seconds']:6.1f} s "
                f"({m['megabytes_in'] / m['seconds']:.2f} MB/s)  [{m['measured_with']}]"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=3000, help="documents in the corpus (3000)")
    parser.add_argument(
        "--workers", type=int, default=2, help="workers for the second end-to-end run (2)"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of each in-memory measurement; the best counts (3)",
    )
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (0)")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the temporary folder (corpus and outputs) and print its path",
    )
    parser.add_argument(
        "--no-memory", action="store_true", help="skip the peak-memory runs on N and 4N documents"
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results here")
    args = parser.parse_args(argv)
    if args.docs < 1 or args.workers < 1 or args.repeat < 1:
        parser.error("--docs, --workers and --repeat must be 1 or more")

    return benchtools.run_in_workdir("cleankit-bench-", args, benchmark, print_table)


if __name__ == "__main__":
    sys.exit(main())
