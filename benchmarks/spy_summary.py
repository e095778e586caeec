"""Sum a py-spy profile by function: the share of samples each function was on the stack.

py-spy samples a whole ``cleankit run`` (workers too, with ``--subprocesses``) without
slowing it; ``-f raw`` writes one line per distinct stack, its frames joined by ``;`` and
its sample count last. This script adds the counts up per function (its line numbers
dropped): first where each function runs its own code, then which functions are on the
stack beneath the run (or beneath another function, ``--under NAME``):

    .venv/bin/py-spy record -r 40 -f raw -o run.txt -- \\
        .venv/bin/python .venv/bin/cleankit run /tmp/c100 -o /tmp/c100-out -w 1 -q
    .venv/bin/python benchmarks/spy_summary.py run.txt --under RestoreStopwords.apply
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

#: What ``--under`` looks for unless told: ``cleankit.runner.run``, the whole run.
RUN = "run (runner.py)"

# "name (path/to/module.py:123)" -> "name (module.py)"
_FRAME = re.compile(r"^(?P<name>.*?) \((?:.*/)?(?P<file>[^/:]+?)(?::\d+)?\)$")


def function_of(frame: str) -> str:
    """A frame of py-spy's raw output without its folders and line number.

    >>> function_of("run (/work/cleankit/runner.py:234)")
    'run (runner.py)'
    """
    found = _FRAME.match(frame)
    return f"{found['name']} ({found['file']})" if found else frame


def summarise(lines: list[str], under: str) -> dict[str, Counter[str] | int]:
    """Samples in all (``total``), per function on the stack (``stack``) and at its top
    (``own``), and those beneath the first function holding ``under`` in its name
    (``beneath_total``, and per function ``beneath``)."""
    total = beneath_total = 0
    stack_counts: Counter[str] = Counter()
    own: Counter[str] = Counter()
    beneath: Counter[str] = Counter()
    for line in lines:
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack or not count.isdigit():
            continue
        samples = int(count)
        frames = [function_of(f) for f in stack.split(";")]
        total += samples
        stack_counts.update(dict.fromkeys(frames, samples))  # a recursive call counts once
        own[frames[-1]] += samples
        at = next((i for i, f in enumerate(frames) if under in f), None)
        if at is not None:
            beneath_total += samples
            beneath.update(dict.fromkeys(frames[at + 1 :], samples))
    return {
        "total": total,
        "stack": stack_counts,
        "own": own,
        "beneath_total": beneath_total,
        "beneath": beneath,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("profile", type=Path, help="py-spy record -f raw output")
    parser.add_argument(
        "--under",
        metavar="NAME",
        default=RUN,
        help=f"list what runs beneath the function whose name holds NAME ({RUN!r}: the run)",
    )
    parser.add_argument("--top", type=int, default=30, help="rows of each listing (30)")
    args = parser.parse_args(argv)
    try:
        lines = args.profile.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        parser.error(f"cannot read {args.profile}: {exc.strerror}")
    found = summarise(lines, args.under)
    total = found["total"]
    if not total:
        parser.error(f"{args.profile} holds no samples (was it written with -f raw?)")

    def listing(title: str, counts: Counter[str]) -> None:
        print(title)
        for name, samples in counts.most_common(args.top):
            print(f"  {samples / total:6.1%}  {name}")

    listing(f"{total} samples; share with each function running its own code:", found["own"])
    share = found["beneath_total"] / total
    listing(
        f"\nshare with each function on the stack beneath {args.under!r} ({share:.1%}):",
        found["beneath"],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
