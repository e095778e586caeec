"""Memory of ``strip_boilerplate``'s corpus scan, on N and on 10N documents.

The scan counts, per folder, in how many documents each short non-prose line appears (a
table of 8-byte line hashes, ``TemplateCounts``). This script streams documents from
``benchmarks/corpus.py`` one at a time, never holding the corpus, folds each into the
step's scan state and reports, per corpus size:

* the peak of Python allocations during the scan (``tracemalloc``), the current document
  and its generation included;
* the entries of the final state's line table, the folders it counts, and how many of its
  lines pass the step's thresholds (``template_min_documents``, ``template_min_share``);
* the pickled size of the state: what each worker sends back after scanning a shard;
* the seconds spent in ``scan`` (documents built and scanned; generating them is not
  counted), from a second pass without ``tracemalloc``, whose bookkeeping slows Python
  several times over.

A last row scans the 10N corpus again with a small ``template_max_entries`` (``--bound``,
10000) to show that the table stays within its bound. Documents get their corpus paths
as ids, as ``cleankit run`` names them, so lines are counted per ``section/year/month``.

    .venv/bin/python benchmarks/scan_memory.py --docs 3000 --json scan.json
"""

from __future__ import annotations

import argparse
import gc
import json
import pickle
import platform
import sys
import time
import tracemalloc
from dataclasses import asdict, dataclass
from pathlib import Path

import cleankit
from cleankit import Document
from cleankit_plugins.strip_boilerplate import StripBoilerplate, TemplateCounts

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # the generator next to this file


@dataclass
class ScanRow:
    """One scan of a streamed corpus."""

    docs: int
    megabytes_in: float
    max_entries: int
    folders: int
    entries: int
    template_lines: int
    pickled_bytes: int
    peak_traced_bytes: int
    seconds: float


def make_step(max_entries: int | None) -> StripBoilerplate:
    """A ``strip_boilerplate`` step, warmed up: its patterns compiled, the modules a scan
    uses imported, so that one-time allocations stay out of the measurement."""
    step = (
        StripBoilerplate()
        if max_entries is None
        else StripBoilerplate(template_max_entries=max_entries)
    )
    first = corpus.make_document(0)
    step.scan(Document(first.text, id=first.path), step.new_scan_state())
    corpus.warm_up()  # the generator's lemmatiser data, loaded for normalised copies
    return step


def scan_stream(step: StripBoilerplate, docs: int, seed: int) -> tuple[TemplateCounts, int, float]:
    """Scan the first ``docs`` documents one by one; return the state, the input bytes and
    the seconds spent scanning (generating the documents excluded)."""
    state = step.new_scan_state()
    total_bytes, seconds = 0, 0.0
    for synthetic in corpus.iter_documents(docs, seed):
        total_bytes += len(synthetic.text.encode("utf-8"))
        started = time.perf_counter()
        state = step.scan(Document(synthetic.text, id=synthetic.path), state)
        seconds += time.perf_counter() - started
    return state, total_bytes, seconds


def template_lines(step: StripBoilerplate, state: TemplateCounts) -> int:
    """Entries of the table that pass the step's thresholds for template text."""
    o = step.options
    return sum(
        count >= o.template_min_documents
        and count >= o.template_min_share * state.documents[folder]
        for folder, _key, count in state.lines.items()
    )


def measure(docs: int, seed: int, max_entries: int | None) -> ScanRow:
    step = make_step(max_entries)
    gc.collect()
    tracemalloc.start()
    try:
        state, total_bytes, _ = scan_stream(step, docs, seed)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    row = ScanRow(
        docs=docs,
        megabytes_in=total_bytes / 1e6,
        max_entries=step.options.template_max_entries,
        folders=len(state.documents),
        entries=len(state.lines),
        template_lines=template_lines(step, state),
        pickled_bytes=len(pickle.dumps(state)),
        peak_traced_bytes=peak,
        seconds=0.0,
    )
    del state
    gc.collect()
    row.seconds = scan_stream(make_step(max_entries), docs, seed)[2]
    return row


def print_table(results: dict) -> None:
    env = results["environment"]
    print()
    print(
        f"strip_boilerplate scan phase, documents streamed from corpus.py (seed "
        f"{results['seed']}); cleankit {env['cleankit']}, Python {env['python']}"
    )
    print()
    header = (
        f"{'documents':>9}  {'MB in':>6}  {'max entries':>11}  {'folders':>7}  "
        f"{'entries':>8}  {'templates':>9}  {'pickled MB':>10}  {'peak MB':>7}  {'seconds':>7}"
    )
    print(header)
    print("-" * len(header))
    for r in results["rows"]:
        print(
            f"{r['docs']:>9}  {r['megabytes_in']:>6.1f}  {r['max_entries']:>11,}  "
            f"{r['folders']:>7}  {r['entries']:>8,}  {r['template_lines']:>9,}  "
            f"{r['pickled_bytes'] / 1e6:>10.2f}  {r['peak_traced_bytes'] / 1e6:>7.2f}  "
            f"{r['seconds']:>7.2f}"
        )
    print()
    print(
        "entries: line hashes in the state's table; templates: those that pass the step's "
        "thresholds;\npeak MB: tracemalloc peak during the scan; seconds: scan calls only, "
        "in a pass without tracemalloc"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=3000, help="N, the smaller corpus (3000)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (0)")
    parser.add_argument(
        "--bound",
        type=int,
        default=10_000,
        help="template_max_entries of the last, bounded run on 10N documents (10000)",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results here")
    args = parser.parse_args(argv)
    if args.docs < 1 or args.bound < 1:
        parser.error("--docs and --bound must be 1 or more")

    runs = [(args.docs, None), (10 * args.docs, None), (10 * args.docs, args.bound)]
    rows = []
    for docs, bound in runs:
        label = "default bound" if bound is None else f"template_max_entries={bound}"
        print(f"scanning {docs} documents ({label}) ...", flush=True)
        rows.append(measure(docs, args.seed, bound))
    results = {
        "seed": args.seed,
        "rows": [asdict(r) for r in rows],
        "environment": {
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "machine": platform.machine(),
            "system": platform.system(),
            "cleankit": cleankit.__version__,
        },
    }
    print_table(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
