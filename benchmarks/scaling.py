"""Does the default pipeline's cost grow linearly? Corpora of N and 10N MB, one long
document of S/10 and S MB.

Three checks, each measured in fresh subprocesses so that one size's memory does not
carry over into the next:

1. **corpus**: ``cleankit run --workers 1`` (the default pipeline) on generated corpora of
   N and 10N MB (``--mb``): throughput, documents/s and peak resident memory, with the
   seconds of each step from ``report.json``. The N corpus runs before and after the 10N
   one, and its figures are the mean of both, so that drift in a shared machine's speed
   weighs on both sides. Throughput at 10N should be at least 0.9 of
   that at N, and peak memory should stay about flat: documents are streamed.
2. **scan**: the default pipeline's scan phases alone over the same corpora, shard by
   shard and merged as ``cleankit run --workers 1`` does: seconds, and the growth of peak
   resident memory during the scan. The scan states (``strip_boilerplate``'s line counts,
   ``split_captions``' fingerprints, ``restore_stopwords``' sentence index) are what
   grows with the corpus.
3. **one document**: the default pipeline (scan phases and every step) on one document
   of S/10 and of S MB (``--one-mb``, 50 by default: 5 and 50 MB; ``corpus.one_document``).
   Time per MB should stay flat; the seconds of each step show which one is not.

    .venv/bin/python benchmarks/scaling.py --mb 10 --one-mb 50 --json scaling.json
    .venv/bin/python benchmarks/scaling.py --mb 1 --one-mb 5     # quick look
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchtools  # helpers next to this file
import corpus  # the generator next to this file

PARTS = ("corpus", "scan", "one")
#: Throughput at the larger size over throughput at the smaller: at least this.
LINEAR_TARGET = 0.9


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return (peak if sys.platform == "darwin" else peak * 1024) / 1e6


# -- what the subprocesses do ---------------------------------------------------------------


def _scan_worker(folder: str) -> dict:
    """The default pipeline's scan phases over ``folder`` as ``cleankit run --workers 1``
    takes them: each shard of 64 documents scanned into its own states, which are merged
    into the corpus's in order (so the sentence index goes to disk as it grows)."""
    import tempfile

    import cleankit
    from cleankit.checkpoint import _save  # how the run saves its merged states
    from cleankit.plugins import get_registry
    from cleankit.runner import _scan_shard  # the runner's own per-shard scan
    from cleankit.scratch import scratch_in

    reader = get_registry().reader("text")()
    source = Path(folder)
    # Warm up: build the steps and scan one shard, so imports and compiled patterns are
    # in the baseline.
    first = next(iter(reader.shards(source, 1)))
    warm = cleankit.Pipeline()
    for group in warm.scan_groups():
        _scan_shard((warm, reader, group), first)
    pipeline = cleankit.Pipeline()
    benchtools.empty_word_caches()  # the warm-up's words are not the corpus's
    used = []  # (step name, merged state): measured once the run's figures are taken
    pickled = 0
    before = _peak_rss_mb()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as work, scratch_in(Path(work)):
        for number, group in enumerate(pipeline.scan_groups()):
            steps = [pipeline.steps[index] for index in group]
            merged = [step.new_scan_state() for step in steps]
            for shard in reader.shards(source, 64):
                states = _scan_shard((pipeline, reader, group), shard)
                merged = [
                    step.merge_scan_states(a, b)
                    for step, a, b in zip(steps, merged, states, strict=True)
                ]
            # Saved as the run saves them for a resume, which also puts some in their
            # compact form (line counts waiting to be sorted in).
            pickled += _save(Path(work) / f"scan-{number}.pickle", merged) or 0
            for step, state in zip(steps, merged, strict=True):
                step.use_scan_state(state)
                used.append((step.name, state))
        seconds = time.perf_counter() - started
    restore = next((s for s in pipeline.steps if s.name == "restore_stopwords"), None)
    info = getattr(restore, "_index_info", {})  # what the step reports in its records
    peak = _peak_rss_mb()
    # Measured last, as the cleaning finds them: walking the states takes time and
    # memory of its own, which the figures above must not include.
    held = {
        f"{step}.{name}": size / 1e6
        for step, state in used
        for name, size in benchtools.held_by(state).items()
    }
    return {
        "seconds": seconds,
        "peak_rss_mb": peak,
        "rss_growth_mb": peak - before,
        "index_sentences": info.get("index_sentences"),
        # What the merged states hold (their deep size) and how many entries the
        # per-word caches took during the scan.
        "state_mb": held,
        "state_pickled_mb": pickled / 1e6,
        "cache_entries": {
            name: cached.cache_info().currsize for name, cached in benchtools.word_caches().items()
        },
    }


def _one_worker(n_bytes: str, seed: str) -> dict:
    """The default pipeline on one document of ``n_bytes``: its scans, then every step."""
    import cleankit
    from cleankit import Document
    from cleankit.collector import fewer_collections
    from cleankit.report import RunStats

    text = corpus.one_document(int(n_bytes), int(seed))
    cleankit.clean(corpus.make_document(0).text)  # warm up the steps
    before = _peak_rss_mb()
    pipeline = cleankit.Pipeline()
    doc_id = "one/document.txt"
    # With the garbage collector set as `cleankit run` sets it around each shard.
    with fewer_collections():
        started = time.perf_counter()
        pipeline.prepare(lambda: [Document(text, id=doc_id)])
        scanned = time.perf_counter()
        stats = RunStats()
        doc = pipeline.process(Document(text, id=doc_id), stats)
        done = time.perf_counter()
    return {
        "bytes": len(text.encode("utf-8")),
        "chars_out": len(doc.text),
        "scan_seconds": scanned - started,
        "clean_seconds": done - scanned,
        "steps": {name: s.seconds for name, s in stats.steps.items()},
        "peak_rss_mb": _peak_rss_mb(),
        "rss_growth_mb": _peak_rss_mb() - before,
    }


def _worker(argv: list[str]) -> int:
    kind, *rest = argv
    result = _scan_worker(*rest) if kind == "scan" else _one_worker(*rest)
    print(json.dumps(result))
    return 0


def in_subprocess(args: list[str], timeout: float) -> dict:
    """Run one of this script's workers in a fresh interpreter; its result, or an error."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", *args]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"did not finish in {timeout:.0f} s"}
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the checks -----------------------------------------------------------------------------


def corpus_run(folder: Path, out: Path, timeout: float) -> dict:
    """``cleankit run FOLDER --workers 1 -q`` (default pipeline) in a subprocess."""
    if out.exists():
        shutil.rmtree(out)
    command = [*benchtools.cleankit_command(), "run", str(folder), "-o", str(out)]
    try:
        seconds, peak, how, _ = benchtools.run_command(
            [*command, "--workers", "1", "-q"], timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {"error": f"did not finish in {timeout:.0f} s"}
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    shutil.rmtree(out, ignore_errors=True)
    return {
        "wall_seconds": seconds,
        "seconds": report["seconds"],  # inside cleankit.run: no interpreter start-up
        "peak_rss_mb": peak,
        "measured_with": how,
        "steps": {name: s["seconds"] for name, s in report["steps"].items()},
        "documents_read": report["documents"]["read"],
    }


def mean_of_runs(first: dict, again: dict) -> dict:
    """One row for two runs on the same corpus: mean seconds (each run's kept under
    ``runs_seconds``), the higher peak memory."""
    if "error" in first or "error" in again:
        return first if "error" in first else again
    row = dict(first)
    for key in ("wall_seconds", "seconds"):
        row[key] = (first[key] + again[key]) / 2
    row["runs_seconds"] = [first["seconds"], again["seconds"]]
    row["peak_rss_mb"] = max(first["peak_rss_mb"], again["peak_rss_mb"])
    row["steps"] = {
        name: (seconds + again["steps"].get(name, seconds)) / 2
        for name, seconds in first["steps"].items()
    }
    return row


def ratio(small: dict, big: dict, key: str = "mb_per_s") -> float | None:
    if "error" in small or "error" in big or not small[key]:
        return None
    return big[key] / small[key]


def step_ratios(small: dict, big: dict, mb_small: float, mb_big: float) -> dict[str, float]:
    """Each step's throughput at the larger size over that at the smaller."""
    out = {}
    for name, seconds in small.get("steps", {}).items():
        later = big.get("steps", {}).get(name)
        if seconds > 0 and later:
            out[name] = (mb_big / later) / (mb_small / seconds)
    return out


def benchmark(args: argparse.Namespace, workdir: Path) -> dict:
    results: dict = {"mb": args.mb, "one_mb": args.one_mb, "seed": args.seed}
    results["layout"] = args.layout
    if "corpus" not in args.skip or "scan" not in args.skip:
        sizes = []
        for factor in (1, 10):
            folder = workdir / f"corpus-{factor}"
            max_bytes = round(args.mb * factor * 1e6)
            print(f"generating {max_bytes / 1e6:.1f} MB ...", flush=True)
            written = corpus.write_corpus(
                folder, None, args.seed, max_bytes=max_bytes, jobs=args.jobs, layout=args.layout
            )
            sizes.append((folder, written))
        if "corpus" not in args.skip:
            rows = []
            # The small corpus runs before and after the large one, and its figures are
            # the mean of both: a shared machine's speed drifts over minutes, and the
            # large run should be compared with the small one at the same time.
            for folder, written in [*sizes, sizes[0]]:
                print(f"cleankit run on {written.bytes / 1e6:.1f} MB ...", flush=True)
                row = corpus_run(folder, workdir / "out", args.timeout)
                row.update(documents=written.documents, megabytes=written.bytes / 1e6)
                rows.append(row)
            rows = [mean_of_runs(rows[0], rows[2]), rows[1]]
            for row in rows:
                if "error" not in row:
                    row["mb_per_s"] = row["megabytes"] / row["seconds"]
                    row["docs_per_s"] = row["documents"] / row["seconds"]
            results["corpus"] = {
                "rows": rows,
                "throughput_ratio": ratio(*rows),
                "peak_rss_ratio": ratio(*rows, key="peak_rss_mb"),
                "step_throughput_ratios": step_ratios(
                    rows[0], rows[1], rows[0]["megabytes"], rows[1]["megabytes"]
                ),
            }
        if "scan" not in args.skip:
            rows = []
            for folder, written in sizes:
                print(f"scan phases on {written.bytes / 1e6:.1f} MB ...", flush=True)
                row = in_subprocess(["scan", str(folder)], args.timeout)
                row.update(documents=written.documents, megabytes=written.bytes / 1e6)
                if "error" not in row:
                    row["mb_per_s"] = row["megabytes"] / row["seconds"]
                rows.append(row)
            results["scan"] = {
                "rows": rows,
                "throughput_ratio": ratio(*rows),
                "peak_rss_ratio": ratio(*rows, key="peak_rss_mb"),
                "rss_growth_ratio": ratio(*rows, key="rss_growth_mb"),
            }
        if not args.keep:
            for folder, _ in sizes:
                shutil.rmtree(folder, ignore_errors=True)
    if "one" not in args.skip:
        rows = []
        for mb in (args.one_mb / 10, args.one_mb):
            print(f"one document of {mb:g} MB ...", flush=True)
            row = in_subprocess(["one", str(round(mb * 1e6)), str(args.seed)], args.timeout)
            row["megabytes"] = row.get("bytes", mb * 1e6) / 1e6
            if "error" not in row:
                row["seconds"] = row["scan_seconds"] + row["clean_seconds"]
                row["mb_per_s"] = row["megabytes"] / row["seconds"]
                row["seconds_per_mb"] = row["seconds"] / row["megabytes"]
            rows.append(row)
        results["one_document"] = {
            "rows": rows,
            "throughput_ratio": ratio(*rows),
            "step_throughput_ratios": step_ratios(
                rows[0], rows[1], rows[0]["megabytes"], rows[1]["megabytes"]
            ),
        }
    results["environment"] = benchtools.environment("ftfy", "regex")
    return results


# -- printing -------------------------------------------------------------------------------


def _verdict(value: float | None) -> str:
    if value is None:
        return "not measured"
    return f"{value:.2f}  ({'met' if value >= LINEAR_TARGET else 'NOT met'}: >= {LINEAR_TARGET})"


def _steps(ratios: dict[str, float]) -> str:
    return ", ".join(f"{name} {value:.2f}" for name, value in ratios.items())


def _print_held(rows: list[dict]) -> None:
    """What the merged scan states hold, and the per-word caches' entries, N beside 10N."""
    measured = [r for r in rows if "error" not in r and "state_mb" in r]
    if not measured:
        return
    sizes = " -> ".join(f"{r['megabytes']:.1f} MB" for r in measured)
    pickled = " -> ".join(f"{r.get('state_pickled_mb', 0):.2f}" for r in measured)
    print(f"  merged states pickled, as a run saves them: {pickled} MB")
    print(f"  what the merged states hold, MB ({sizes}; 0.05 MB and up):")
    for name in measured[-1]["state_mb"]:
        values = [r["state_mb"].get(name, 0.0) for r in measured]
        if max(values) >= 0.05:
            print(f"    {name:36} " + " -> ".join(f"{v:6.2f}" for v in values))
    print("  per-word cache entries after the scan:")
    for name in measured[-1]["cache_entries"]:
        values = [r["cache_entries"].get(name, 0) for r in measured]
        print(f"    {name:36} " + " -> ".join(f"{v:6,}" for v in values))


def print_results(results: dict) -> None:
    print()
    print(benchtools.describe_environment(results["environment"]))
    if "corpus" in results:
        part = results["corpus"]
        print()
        print("cleankit run --workers 1 (default pipeline), subprocess:")
        for r in part["rows"]:
            if "error" in r:
                print(f"  {r['megabytes']:8.1f} MB: {r['error']}")
                continue
            print(
                f"  {r['megabytes']:8.1f} MB, {r['documents']:>7} documents: {r['seconds']:8.1f} s"
                f" ({r['wall_seconds']:.1f} s with start-up)  {r['mb_per_s']:7.3f} MB/s  "
                f"{r['docs_per_s']:7.1f} docs/s  {r['peak_rss_mb']:7.1f} MB peak RSS"
            )
            if "runs_seconds" in r:
                first, again = r["runs_seconds"]
                print(f"    mean of a run before 10N ({first:.1f} s) and one after ({again:.1f} s)")
            print("    step seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in r["steps"].items()))
        print(f"  throughput 10N / N: {_verdict(part['throughput_ratio'])}")
        peak = part["peak_rss_ratio"]
        print(f"  peak RSS 10N / N: {peak:.2f} (flat is 1)" if peak else "  peak RSS: -")
        print(f"  per step, throughput 10N / N: {_steps(part['step_throughput_ratios'])}")
    if "scan" in results:
        part = results["scan"]
        print()
        print("scan phases alone (shards merged as `cleankit run` merges them), subprocess:")
        for r in part["rows"]:
            if "error" in r:
                print(f"  {r['megabytes']:8.1f} MB: {r['error']}")
                continue
            sentences = r.get("index_sentences")
            print(
                f"  {r['megabytes']:8.1f} MB: {r['seconds']:8.1f} s  {r['mb_per_s']:7.3f} MB/s  "
                f"peak RSS {r['peak_rss_mb']:7.1f} MB, grown {r['rss_growth_mb']:7.1f} MB during "
                f"the scan" + (f"; {sentences:,} sentences indexed" if sentences else "")
            )
        print(f"  throughput 10N / N: {_verdict(part['throughput_ratio'])}")
        peak, growth = part["peak_rss_ratio"], part["rss_growth_ratio"]
        print(
            f"  peak RSS 10N / N: {peak:.2f}" if peak else "  peak RSS 10N / N: -",
            f"memory grown during the scan 10N / N: {growth:.2f}" if growth else "",
            sep="; ",
        )
        _print_held(part["rows"])
    if "one_document" in results:
        part = results["one_document"]
        print()
        print("one document, default pipeline (scans + every step), subprocess:")
        for r in part["rows"]:
            if "error" in r:
                print(f"  {r['megabytes']:8.1f} MB: {r['error']}")
                continue
            print(
                f"  {r['megabytes']:8.1f} MB: scans {r['scan_seconds']:8.1f} s + cleaning "
                f"{r['clean_seconds']:8.1f} s = {r['seconds_per_mb']:7.2f} s/MB  "
                f"{r['peak_rss_mb']:7.1f} MB peak RSS"
            )
            print("    step seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in r["steps"].items()))
        print(f"  throughput S / (S/10): {_verdict(part['throughput_ratio'])}")
        print(f"  per step, throughput S / (S/10): {_steps(part['step_throughput_ratios'])}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        return _worker(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=10.0, help="N: corpora of N and 10N MB (10)")
    parser.add_argument(
        "--one-mb", type=float, default=50.0, help="S: one document of S/10 and S MB (50)"
    )
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (0)")
    parser.add_argument("--jobs", type=int, default=1, help="processes generating corpora (1)")
    parser.add_argument(
        "--layout",
        choices=corpus.LAYOUTS,
        default="month",
        help="the corpora's folders (benchmarks/corpus.py --layout; month)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=3600,
        help="seconds after which one measurement is given up (3600)",
    )
    parser.add_argument(
        "--skip", default="", help=f"comma-separated checks to leave out: {', '.join(PARTS)}"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder (the corpora)"
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results here")
    args = parser.parse_args(argv)
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if args.skip - set(PARTS):
        parser.error(f"unknown --skip part(s): {', '.join(sorted(args.skip - set(PARTS)))}")
    if args.mb <= 0 or args.one_mb <= 0 or args.jobs < 1 or args.timeout <= 0:
        parser.error("sizes, --jobs and --timeout must be above 0")

    return benchtools.run_in_workdir("cleankit-scaling-", args, benchmark, print_results)


if __name__ == "__main__":
    sys.exit(main())
