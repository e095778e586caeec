"""Helpers shared by the benchmark scripts: timing, reading a corpus folder, the peak
memory of a command, what an object holds, and the versions of what was measured."""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path

TIME_BINARY = "/usr/bin/time"

# Runs a command and prints the peak RSS of its largest child process, for systems
# without GNU time. ru_maxrss is in KiB on Linux and in bytes on macOS.
_RUSAGE_WRAPPER = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(peak * 1024 if sys.platform != "darwin" else peak, code)
"""


def best_of(repeat: int, fn: Callable[[], object]) -> tuple[float, object]:
    """The shortest wall time of ``repeat`` calls of ``fn``, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def read_corpus(folder: Path) -> tuple[list[str], list[str]]:
    """Every ``.txt`` under ``folder``, in path order, decoded as UTF-8: the ids (paths
    relative to ``folder``, as ``cleankit run`` names documents) and the texts."""
    paths = sorted(Path(folder).rglob("*.txt"))
    ids = [p.relative_to(folder).as_posix() for p in paths]
    return ids, [p.read_bytes().decode("utf-8") for p in paths]


def cleankit_command() -> list[str]:
    """The ``cleankit`` script of this interpreter's environment."""
    script = Path(sys.executable).parent / "cleankit"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from cleankit.cli import main; main()"]


def run_command(
    command: Sequence[str], timeout: float | None = None
) -> tuple[float, float, str, str]:
    """Run ``command``; return (wall seconds, peak RSS in MB, how it was measured, its
    standard output). Raises ``RuntimeError`` when it fails and
    ``subprocess.TimeoutExpired`` after ``timeout`` seconds."""
    started = time.perf_counter()
    if Path(TIME_BINARY).exists():
        done = subprocess.run(
            [TIME_BINARY, "-v", *command], capture_output=True, text=True, timeout=timeout
        )
        seconds = time.perf_counter() - started
        found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
        if done.returncode != 0 or not found:
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
        return seconds, int(found.group(1)) * 1024 / 1e6, "/usr/bin/time -v", done.stdout
    # Without GNU time: the wrapper discards the command's output.
    done = subprocess.run(
        [sys.executable, "-c", _RUSAGE_WRAPPER, *command],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    seconds = time.perf_counter() - started
    fields = done.stdout.split()
    if done.returncode != 0 or len(fields) != 2 or fields[1] != "0":
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return seconds, int(fields[0]) / 1e6, "getrusage(RUSAGE_CHILDREN)", ""


def run_end_to_end(
    source: Path, out: Path, workers: int, steps: list[str] | None = None
) -> tuple[float, dict]:
    """Time ``cleankit.run`` on ``source`` into ``out`` (replaced), every per-word cache
    empty; ``steps=None`` runs the default pipeline. Returns the seconds and the run's
    report."""
    import cleankit

    pipeline = cleankit.Pipeline(steps)
    if out.exists():
        shutil.rmtree(out)
    empty_word_caches()  # workers are forked: they would inherit full ones
    gc.collect()
    started = time.perf_counter()
    result = cleankit.run(source, out, pipeline, workers=workers)
    seconds = time.perf_counter() - started
    if not result.ok:
        raise SystemExit(f"cleankit run failed on {result.failed} documents; see {out}")
    return seconds, result.report


def word_caches() -> dict[str, Callable]:
    """The steps' per-word functions with an ``lru_cache``, by the name reports give them.
    The stemmer has one only when it is snowballstemmer's pure-Python one."""
    from cleankit_plugins import sentence_index, split_captions, token_alignment

    functions = {
        "joined": sentence_index.joined,
        "stem": sentence_index.stem,
        "lemma": sentence_index.lemma,
        "token keys": token_alignment.token_keys,
        "word keys": token_alignment.word_keys,
        "glued pair keys": token_alignment.glued_pair_keys,
        "caption chunk words": split_captions._chunk_words,
    }
    return {name: f for name, f in functions.items() if hasattr(f, "cache_info")}


def empty_word_caches() -> None:
    """Empty what the steps remember per word and per line in this process, so that a
    timed run starts as cold as a fresh ``cleankit run`` does, however many runs came
    before it in this process (the dictionaries and compiled patterns stay loaded)."""
    from cleankit import prose
    from cleankit_plugins import sentence_index, surface_forms

    for cached in word_caches().values():
        cached.cache_clear()
    prose.line_features.cache_clear()
    sentence_index._written_keys.clear()
    traits = surface_forms._traits
    for table in (traits.code, traits.bare, traits.key):
        table.clear()


#: What :func:`deep_size` does not count: shared by everything, owned by nothing measured.
_NOT_HELD = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType)


def deep_size(obj: object, seen: set[int] | None = None) -> int:
    """Bytes of ``obj`` and of everything it refers to (``sys.getsizeof``, each object
    once, classes, modules and functions left out). Objects already in ``seen`` are not
    counted again, so that one set shared by several calls counts each object once.

    >>> deep_size(["ab", "ab"]) == sys.getsizeof(["ab", "ab"]) + sys.getsizeof("ab")
    True
    """
    seen = set() if seen is None else seen
    total, pending = 0, [obj]
    while pending:
        item = pending.pop()
        if id(item) in seen or isinstance(item, _NOT_HELD):
            continue
        seen.add(id(item))
        total += sys.getsizeof(item)
        pending.extend(gc.get_referents(item))
    return total


def held_by(state: object) -> dict[str, int]:
    """Bytes each attribute of ``state`` holds (:func:`deep_size`), by name; what two
    attributes share is counted with the first."""
    attributes = getattr(state, "__dict__", None)
    if attributes is None:  # a class with __slots__
        slots = [getattr(k, "__slots__", ()) for k in type(state).__mro__]
        names = [n for k in slots for n in ([k] if isinstance(k, str) else k)]
        attributes = {n: getattr(state, n) for n in names if hasattr(state, n)}
    seen: set[int] = set()
    return {name: deep_size(value, seen) for name, value in attributes.items()}


def default_pipeline_in_memory(ids: list[str], texts: list[str]) -> tuple[float, float]:
    """A fresh default pipeline, with every per-word cache empty: seconds of its scan
    phases, and of cleaning every text."""
    import cleankit

    pipeline = cleankit.Pipeline()
    empty_word_caches()
    gc.collect()
    started = time.perf_counter()
    pipeline.prepare(lambda: (cleankit.Document(t, id=i) for i, t in zip(ids, texts, strict=True)))
    scanned = time.perf_counter()
    for doc_id, text in zip(ids, texts, strict=True):
        pipeline.process(cleankit.Document(text, id=doc_id))
    return scanned - started, time.perf_counter() - scanned


def command_memory(source: Path, out: Path, *options: str) -> tuple[float, float, str]:
    """Seconds, peak RSS (MB) and how it was measured, of
    ``cleankit run SOURCE -o OUT --workers 1 -q OPTIONS``; ``out`` is removed after."""
    if out.exists():
        shutil.rmtree(out)
    command = [*cleankit_command(), "run", str(source), "-o", str(out), "--workers", "1", "-q"]
    try:
        seconds, peak, how, _ = run_command([*command, *options])
    except RuntimeError as exc:
        raise SystemExit(str(exc)) from None
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return seconds, peak, how


def version(package: str) -> str | None:
    """The installed version of ``package``, or None."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def environment(*packages: str) -> dict[str, object]:
    """The machine, Python, and the versions of ``packages`` (None: not installed)."""
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "machine": platform.machine(),
        "system": platform.system(),
        "cpus": os.cpu_count(),
        "packages": {name: version(name) for name in ("cleankit", *packages)},
    }


def describe_environment(env: dict) -> str:
    """One line naming the machine, Python and package versions."""
    packages = ", ".join(f"{k} {v or 'not installed'}" for k, v in env["packages"].items())
    return (
        f"Python {env['python']} ({env['implementation']}), {env['system']} {env['machine']}, "
        f"{env['cpus']} CPUs; {packages}"
    )


def run_in_workdir(
    prefix: str,
    args: argparse.Namespace,
    benchmark: Callable[[argparse.Namespace, Path], dict],
    print_results: Callable[[dict], None],
) -> int:
    """Run ``benchmark(args, workdir)`` in a temporary folder (kept with ``args.keep``),
    print its results, and write them to ``args.json`` when given; the exit status."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        results = benchmark(args, workdir)
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print_results(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0
