"""Profile ``cleankit.run`` (fix_mojibake + normalize_whitespace) on the synthetic corpus.

Prints the functions with the largest cumulative time, then the largest own time, as
``file:line(function)``, so a slowdown can be traced to its source line.

    .venv/bin/python benchmarks/profile_run.py --docs 500 --top 30
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import sys
import tempfile
from pathlib import Path

import cleankit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # the generator next to this file

STEPS = ["fix_mojibake", "normalize_whitespace"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=500, help="documents in the corpus (500)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (0)")
    parser.add_argument("--top", type=int, default=30, help="rows of each listing (30)")
    parser.add_argument(
        "--save", type=Path, metavar="FILE", help="also save the raw profile (for snakeviz, pstats)"
    )
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="cleankit-profile-"))
    try:
        size = corpus.generate(workdir / "corpus", args.docs, args.seed)
        print(f"profiling cleankit.run on {args.docs} documents, {size / 1e6:.2f} MB")
        pipeline = cleankit.Pipeline(STEPS)
        profiler = cProfile.Profile()
        profiler.enable()
        cleankit.run(workdir / "corpus", workdir / "out", pipeline, workers=1)
        profiler.disable()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if args.save:
        profiler.dump_stats(args.save)
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
