"""cleankit beside its peers: one generated corpus, one process, ratios to ftfy.

On one corpus from ``benchmarks/corpus.py`` (``--mb`` or ``--docs``), this script times,
over the same texts held in memory (best of ``--repeat``):

* ``ftfy.fix_text(text)`` with ftfy's defaults: the reference, ratio 1.0;
* ``ftfy.fix_text(text, config)`` with ``fix_mojibake``'s configuration;
* ``clean(text)`` of the ``clean-text`` package, with its defaults;
* datatrove's Gopher repetition, Gopher quality and C4 line filters, the ``filter(doc)``
  of each on every document;
* one ``re`` substitution pass for the usual mojibake lead characters: the practical
  ceiling for a mojibake repair written in Python;
* cleankit's ``fix_mojibake`` alone, checked against ``ftfy.fix_text(text, config)`` on
  every document;
* cleankit's default pipeline: its scan phases, then every default step on each text;

then ``cleankit.run`` on the corpus folder end to end with 1 and ``--workers`` workers,
and the peak resident memory of ``cleankit run --workers 1`` in a subprocess on M and
10M MB. It prints one table (MB/s, documents/s, ratio to plain ``ftfy.fix_text`` and to
the datatrove filters), the issue's targets beside the measured ratios, and the seconds
of each step inside the run.

    .venv/bin/python benchmarks/peers.py --mb 10 --json peers.json
    .venv/bin/python benchmarks/peers.py --mb 1 --repeat 1 --skip memory   # quick look
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass
from importlib.util import find_spec
from pathlib import Path

import ftfy

import cleankit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchtools  # helpers next to this file
import corpus  # the generator next to this file

#: Parts of the benchmark that ``--skip`` may leave out.
SKIPPABLE = ("clean-text", "datatrove", "regex", "pipeline", "run", "memory")

#: Characters UTF-8 lead bytes become when read as Windows-1252 (Â Ã Å â ð and the
#: rest of U+00C2-U+00F4), followed by what a continuation byte becomes: one class
#: each, so the whole pass runs inside the regular-expression engine.
_CP1252_CONTINUATION = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a"
    "\u20ac\u2122\ufffd"
)
MOJIBAKE_LEAD = re.compile(f"[\u00c2-\u00f4][{_CP1252_CONTINUATION}]")

#: The issue's targets: (row, compared with, at least).
TARGETS = [
    ("fix_mojibake", "ftfy", 5.0),
    ("pipeline", "ftfy", 2.0),
    ("pipeline", "datatrove", 20.0),
    ("run_workers", "run_w1", 1.8),
]


@dataclass
class Row:
    """One line of the results table."""

    key: str
    name: str
    seconds: float
    megabytes: float
    documents: int
    workers: int = 1
    note: str = ""

    @property
    def mb_per_s(self) -> float:
        return self.megabytes / self.seconds

    @property
    def docs_per_s(self) -> float:
        return self.documents / self.seconds


@dataclass
class MemoryRow:
    """Peak memory of one ``cleankit run --workers 1`` subprocess."""

    documents: int
    megabytes_in: float
    seconds: float
    peak_rss_mb: float
    measured_with: str


# -- the peers ------------------------------------------------------------------------------


def datatrove_filters() -> list[tuple[str, object]] | str:
    """datatrove's Gopher repetition, Gopher quality and C4 filters, in the order of
    datatrove's FineWeb example (each with its defaults, C4 with the line-level rules
    only), or why they cannot run."""
    try:
        from datatrove.pipeline.filters import (
            C4QualityFilter,
            GopherQualityFilter,
            GopherRepetitionFilter,
        )
    except ImportError as exc:
        return f"datatrove not installed ({exc}); pip install -e '.[bench]'"
    if find_spec("spacy") is None:
        return "spacy not installed: datatrove's English word tokeniser needs it"
    c4 = C4QualityFilter(
        filter_no_terminal_punct=True,
        min_num_sentences=-1,  # the rules that drop a whole page are off (as in web_articles.py)
        filter_curly_bracket=False,
        filter_lorem_ipsum=False,
    )
    return [
        ("Gopher repetition", GopherRepetitionFilter()),
        ("Gopher quality", GopherQualityFilter()),
        ("C4 lines", c4),
    ]


def run_datatrove(filters: list[tuple[str, object]], texts: list[str]) -> dict:
    """Every filter's ``filter(doc)`` on every text (a fresh datatrove ``Document`` each,
    since the C4 filter rewrites ``doc.text``); seconds per filter and the verdicts."""
    from datatrove.data import Document as DatatroveDocument

    seconds = dict.fromkeys((name for name, _ in filters), 0.0)
    dropped: Counter[str] = Counter()
    clock = time.perf_counter
    for number, text in enumerate(texts):
        for name, f in filters:
            doc = DatatroveDocument(text=text, id=str(number))
            started = clock()
            verdict = f.filter(doc)  # type: ignore[attr-defined]
            seconds[name] += clock() - started
            kept = verdict[0] if isinstance(verdict, tuple) else verdict
            if not kept:
                dropped[f"{name}: {verdict[1] if isinstance(verdict, tuple) else 'dropped'}"] += 1
    return {"seconds": seconds, "dropped": dict(dropped)}


def clean_text_function():
    """clean-text's ``clean``, or why it cannot run."""
    # Without unidecode (clean-text's GPL extra) it warns on import, on the root logger;
    # the table's note says so instead.
    logging.disable(logging.WARNING)
    try:
        from cleantext import clean
    except ImportError as exc:
        return f"clean-text not installed ({exc}); pip install -e '.[bench]'"
    finally:
        logging.disable(logging.NOTSET)
    return clean


# -- the benchmark --------------------------------------------------------------------------


def make_corpus(args: argparse.Namespace, workdir: Path) -> tuple[Path, dict]:
    if args.corpus:
        return args.corpus, {"folder": str(args.corpus), "generated": False}
    source = workdir / "corpus"
    max_bytes = round(args.mb * 1e6) if args.docs is None else None
    written = corpus.write_corpus(source, args.docs, args.seed, max_bytes=max_bytes, jobs=args.jobs)
    print(
        f"corpus: {written.documents} documents, {written.bytes / 1e6:.2f} MB, seed "
        f"{args.seed}, generated in {written.seconds:.1f} s ({written.mb_per_s:.2f} MB/s)",
        flush=True,
    )
    return source, {
        "generated": True,
        "seed": args.seed,
        "damage": dict(sorted(written.damage.items())),
        "generation_mb_per_s": round(written.mb_per_s, 3),
    }


def benchmark(args: argparse.Namespace, workdir: Path) -> dict:
    from cleankit_plugins.fix_mojibake import FixMojibake

    source, corpus_info = make_corpus(args, workdir)
    ids, texts = benchtools.read_corpus(source)
    if not texts:
        raise SystemExit(f"no .txt files under {source}")
    n_bytes = sum(len(t.encode("utf-8")) for t in texts)
    mb, n_docs = n_bytes / 1e6, len(texts)
    corpus_info.update(documents=n_docs, bytes=n_bytes)
    best = f"best of {args.repeat}"
    rows: list[Row] = []
    notes: list[str] = []

    def add(key: str, name: str, seconds: float, note: str = "", workers: int = 1) -> None:
        rows.append(Row(key, name, seconds, mb, n_docs, workers, note))
        print(f"  {name}: {seconds:.2f} s", flush=True)

    def timed(per_text):
        """Best of ``--repeat`` runs of ``per_text`` over every text, after one call."""
        per_text(texts[0])  # lazy imports and compiled patterns stay out of the timing
        return benchtools.best_of(args.repeat, lambda: [per_text(t) for t in texts])

    print("timing in memory ...", flush=True)
    seconds, _ = timed(ftfy.fix_text)
    add("ftfy", "ftfy.fix_text(text), ftfy's defaults", seconds, f"{best}; the reference")

    fix = FixMojibake()
    config = fix.config._replace(explain=False)
    seconds, reference = timed(lambda t: ftfy.fix_text(t, config))
    add("ftfy_config", "ftfy.fix_text(text, fix_mojibake's config)", seconds, best)

    if "clean-text" not in args.skip:
        clean = clean_text_function()
        if isinstance(clean, str):
            notes.append(f"clean-text row skipped: {clean}")
        else:
            seconds, _ = timed(clean)
            ascii_note = (
                "unidecode installed"
                if find_spec("unidecode")
                else "without unidecode: to_ascii is NFD + drop non-ASCII"
            )
            add(
                "clean_text",
                "clean-text clean(text), its defaults",
                seconds,
                f"{best}; {ascii_note}",
            )

    datatrove: dict | None = None
    if "datatrove" not in args.skip:
        filters = datatrove_filters()
        if isinstance(filters, str):
            notes.append(f"datatrove row skipped: {filters}")
        else:
            run_datatrove(filters, texts[:3])  # loads spaCy's tokeniser outside the timing
            runs = [run_datatrove(filters, texts) for _ in range(args.repeat)]
            datatrove = min(runs, key=lambda r: sum(r["seconds"].values()))
            parts = ", ".join(f"{k} {v:.2f} s" for k, v in datatrove["seconds"].items())
            dropped = sum(datatrove["dropped"].values())
            add(
                "datatrove",
                "datatrove Gopher + C4 filters, filter(doc)",
                sum(datatrove["seconds"].values()),
                f"{best}; {parts}; {dropped} 'drop' verdicts",
            )

    if "regex" not in args.skip:
        sub = MOJIBAKE_LEAD.sub
        seconds, _ = timed(lambda t: sub("\ufffd", t))
        add("regex", "one re.sub pass (mojibake lead + continuation)", seconds, f"{best}; ceiling")

    seconds, fixed = timed(lambda t: fix.clean(t).text)
    mismatches = [i for i, (a, b) in enumerate(zip(fixed, reference, strict=True)) if a != b]
    add(
        "fix_mojibake",
        "cleankit fix_mojibake",
        seconds,
        f"{best}; output == ftfy with its config on {n_docs - len(mismatches)}/{n_docs}",
    )

    if "pipeline" not in args.skip:
        benchtools.default_pipeline_in_memory(
            ids[:20], texts[:20]
        )  # warm-up: imports, data, patterns
        parts = [benchtools.default_pipeline_in_memory(ids, texts) for _ in range(args.repeat)]
        scan_s, clean_s = min(parts, key=sum)
        add("pipeline_scan", "cleankit default pipeline: scan phases", scan_s, best)
        add("pipeline_clean", "cleankit default pipeline: cleaning", clean_s, "after the scans")
        add(
            "pipeline",
            "cleankit default pipeline: scans + cleaning",
            scan_s + clean_s,
            f"{best}; {len(cleankit.Pipeline().steps)} steps",
        )

    run_steps: dict = {}
    if "run" not in args.skip:
        print("timing cleankit.run ...", flush=True)
        seconds, report = benchtools.run_end_to_end(source, workdir / "out-w1", workers=1)
        add("run_w1", "cleankit.run, default pipeline, workers=1", seconds, "one run; read+write")
        run_steps = {
            name: {
                "seconds": s["seconds"],
                "documents_changed": s["documents_changed"],
                "chars_removed": sum(s["chars_removed"].values()),
            }
            for name, s in report["steps"].items()
        }
        seconds, _ = benchtools.run_end_to_end(source, workdir / "out-wn", workers=args.workers)
        add(
            "run_workers",
            f"cleankit.run, default pipeline, workers={args.workers}",
            seconds,
            f"one run; {os.cpu_count()} CPUs",
            workers=args.workers,
        )
        for out in ("out-w1", "out-wn"):
            shutil.rmtree(workdir / out, ignore_errors=True)

    memory: list[MemoryRow] = []
    if "memory" not in args.skip:
        print("peak memory of the cleankit command ...", flush=True)
        base_mb = args.memory_mb if args.memory_mb is not None else mb
        for factor in (1, 10):
            if factor == 1 and args.memory_mb is None and corpus_info["generated"]:
                folder, docs_in, bytes_in = source, n_docs, n_bytes  # the corpus itself
            else:
                folder = workdir / f"memory-{factor}"
                max_bytes = round(base_mb * factor * 1e6)
                written = corpus.write_corpus(
                    folder, None, args.seed, max_bytes=max_bytes, jobs=args.jobs
                )
                docs_in, bytes_in = written.documents, written.bytes
            seconds, peak, how = benchtools.command_memory(folder, workdir / "out-memory")
            memory.append(MemoryRow(docs_in, bytes_in / 1e6, seconds, peak, how))
            print(f"  {bytes_in / 1e6:.1f} MB: {peak:.0f} MB peak RSS", flush=True)
            if folder != source and not args.keep:
                shutil.rmtree(folder, ignore_errors=True)

    by_key = {r.key: r for r in rows}
    return {
        "corpus": corpus_info,
        "rows": [
            {
                **asdict(r),
                "mb_per_s": r.mb_per_s,
                "mb_per_s_per_core": r.mb_per_s / r.workers,
                "docs_per_s": r.docs_per_s,
                "vs_ftfy": by_key["ftfy"].seconds / r.seconds,
                "vs_datatrove": by_key["datatrove"].seconds / r.seconds
                if "datatrove" in by_key
                else None,
            }
            for r in rows
        ],
        "targets": targets(by_key),
        "fix_mojibake_vs_regex_ceiling": by_key["regex"].seconds / by_key["fix_mojibake"].seconds
        if "regex" in by_key
        else None,
        "fix_mojibake_mismatches": {"documents": n_docs, "mismatched": mismatches[:50]},
        "datatrove": datatrove,
        "run_steps": run_steps,
        "memory": [asdict(m) for m in memory],
        "notes": notes,
        "environment": benchtools.environment("ftfy", "clean-text", "datatrove", "spacy", "regex"),
    }


def targets(by_key: dict[str, Row]) -> list[dict]:
    """Each target with the measured ratio (None when a row was skipped)."""
    out = []
    for key, other, least in TARGETS:
        measured = (
            by_key[other].seconds / by_key[key].seconds
            if key in by_key and other in by_key
            else None
        )
        out.append(
            {
                "row": key,
                "compared_with": other,
                "target": least,
                "measured": measured,
                "met": None if measured is None else measured >= least,
            }
        )
    return out


# -- printing -------------------------------------------------------------------------------

_LABELS = {
    "fix_mojibake": "fix_mojibake",
    "pipeline": "default pipeline (scans + cleaning, in memory)",
    "run_workers": "cleankit.run with more workers",
    "run_w1": "cleankit.run, workers=1",
    "ftfy": "plain ftfy.fix_text",
    "datatrove": "datatrove Gopher + C4 filters",
}


def print_results(results: dict) -> None:
    rows = results["rows"]
    c = results["corpus"]
    width = max(len(r["name"]) for r in rows)
    print()
    print(benchtools.describe_environment(results["environment"]))
    print(f"corpus: {c['documents']} documents, {c['bytes'] / 1e6:.2f} MB (UTF-8)")
    print()
    header = (
        f"{'measurement':<{width}}  {'seconds':>8}  {'MB/s':>7}  {'MB/s/core':>9}  "
        f"{'docs/s':>8}  {'vs ftfy':>8}  {'vs datatrove':>12}  note"
    )
    print(header)
    print("-" * (len(header) + 30))
    for r in rows:
        vs_dt = f"{r['vs_datatrove']:.2f}x" if r["vs_datatrove"] is not None else "-"
        print(
            f"{r['name']:<{width}}  {r['seconds']:>8.2f}  {r['mb_per_s']:>7.3f}  "
            f"{r['mb_per_s_per_core']:>9.3f}  {r['docs_per_s']:>8.1f}  "
            f"{r['vs_ftfy']:>7.2f}x  {vs_dt:>12}  {r['note']}"
        )
    print()
    print("targets (speed ratios, above 1 is faster):")
    labels = [f"{_LABELS[t['row']]} vs {_LABELS[t['compared_with']]}" for t in results["targets"]]
    width = max(map(len, labels))
    for label, t in zip(labels, results["targets"], strict=True):
        if t["measured"] is None:
            print(f"  {label:<{width}}  target >= {t['target']:>4.1f}x  measured: skipped")
        else:
            verdict = "met" if t["met"] else "NOT met"
            print(
                f"  {label:<{width}}  target >= {t['target']:>4.1f}x  "
                f"measured {t['measured']:6.2f}x  {verdict}"
            )
    ceiling = results["fix_mojibake_vs_regex_ceiling"]
    if ceiling is not None:
        print(
            f"  fix_mojibake runs at {ceiling:.2f} of the speed of one re.sub pass "
            "(the practical ceiling; 1.0 would match it)"
        )
    mismatched = results["fix_mojibake_mismatches"]["mismatched"]
    print(
        "fix_mojibake output == ftfy.fix_text(text, config): "
        + ("every document" if not mismatched else f"{len(mismatched)}+ MISMATCHES")
    )
    if results["run_steps"]:
        print()
        print("default pipeline inside cleankit.run, workers=1 (report.json; scans not included):")
        total = sum(s["seconds"] for s in results["run_steps"].values()) or 1.0
        for name, s in results["run_steps"].items():
            print(
                f"  {name:<22} {s['seconds']:8.2f} s  {s['seconds'] / total:6.1%}  "
                f"{s['documents_changed']:>7} documents changed  "
                f"{s['chars_removed']:>11,} characters removed"
            )
    if results["memory"]:
        print()
        print("peak RSS of `cleankit run --workers 1 -q` (default pipeline, subprocess):")
        for m in results["memory"]:
            print(
                f"  {m['documents']:>7} documents, {m['megabytes_in']:8.1f} MB in: "
                f"{m['peak_rss_mb']:7.1f} MB peak RSS, {m['seconds']:7.1f} s "
                f"({m['megabytes_in'] / m['seconds']:.3f} MB/s)  [{m['measured_with']}]"
            )
    for note in results["notes"]:
        print(f"note: {note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--mb", type=float, default=10.0, help="corpus size in MB (10)")
    size.add_argument("--docs", type=int, help="number of documents instead of --mb")
    size.add_argument("--corpus", type=Path, help="an existing folder of .txt files instead")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (0)")
    parser.add_argument("--repeat", type=int, default=3, help="runs in memory; best counts (3)")
    parser.add_argument("--workers", type=int, default=2, help="workers of the second run (2)")
    parser.add_argument(
        "--memory-mb", type=float, help="M for the memory runs on M and 10M MB (the corpus's size)"
    )
    parser.add_argument("--jobs", type=int, default=1, help="processes generating corpora (1)")
    parser.add_argument(
        "--skip",
        default="",
        help=f"comma-separated parts to leave out: {', '.join(SKIPPABLE)}",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results here")
    args = parser.parse_args(argv)
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = args.skip - set(SKIPPABLE)
    if unknown:
        parser.error(f"unknown --skip part(s): {', '.join(sorted(unknown))}")
    if args.repeat < 1 or args.workers < 1 or args.jobs < 1 or (args.docs or 1) < 1:
        parser.error("--repeat, --workers, --jobs and --docs must be 1 or more")
    if args.mb <= 0 or (args.memory_mb is not None and args.memory_mb <= 0):
        parser.error("sizes must be above 0")

    return benchtools.run_in_workdir("cleankit-peers-", args, benchmark, print_results)


if __name__ == "__main__":
    sys.exit(main())
