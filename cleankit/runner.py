"""``cleankit run``: read a corpus, clean it shard by shard, write the output folder."""

from __future__ import annotations

import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from cleankit import __version__
from cleankit.checkpoint import WORK_DIR, Checkpoint, fingerprint
from cleankit.collector import fewer_collections
from cleankit.errors import InputError
from cleankit.executors import Executor, make_executor
from cleankit.formats import AtomicFile, Reader, ReadFailure, Shard, remove_path, write_atomic
from cleankit.pipeline import Pipeline, StepFailed
from cleankit.plugins import Registry, get_registry
from cleankit.records import to_record
from cleankit.report import RunStats
from cleankit.scratch import scratch_in

DEFAULT_WRITERS = ("documents", "text", "captions", "pairs")
DEFAULT_SHARD_SIZE = 64
#: Files every run writes, whatever its writers.
CORE_OUTPUTS = ("errors.jsonl", "report.json")


@dataclass
class ShardResult:
    """What a worker sends back for one shard."""

    index: int
    records: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    stats: RunStats = field(default_factory=RunStats)


@dataclass
class RunResult:
    """The outcome of a run: the report (as written to ``report.json``) and where it is."""

    output_dir: Path
    report: dict[str, Any]
    #: Shards taken from the checkpoints of an interrupted run (``resume=True``).
    resumed_shards: int = 0

    @property
    def failed(self) -> int:
        return self.report["documents"]["failed"]

    @property
    def ok(self) -> bool:
        return self.failed == 0


def check_locations(
    input_path: Path,
    output_dir: Path,
    overwrite: bool,
    outputs: Sequence[str],
    *,
    resume: bool = False,
) -> None:
    """Refuse an output folder that is the input or inside it, or that already holds files
    (unless ``overwrite``, or ``resume`` and it holds an interrupted run), or where the run
    would replace the input itself."""
    if not input_path.exists():
        raise InputError(f"input {str(input_path)!r} does not exist")
    source = input_path.resolve()
    out = output_dir.resolve()
    if source.is_dir() and (out == source or source in out.parents):
        raise InputError(
            f"output folder {str(output_dir)!r} is inside the input folder {str(input_path)!r}; "
            "choose an output folder outside the input, so the run never reads its own output"
        )
    for name in outputs:
        if source == out / name or (out / name) in source.parents:
            raise InputError(
                f"input {str(input_path)!r} is inside {str(output_dir / name)!r}, which the run "
                "replaces; copy the input elsewhere or choose another output folder"
            )
    if out.exists() and not out.is_dir():
        raise InputError(f"output {str(output_dir)!r} exists and is not a folder")
    if not out.is_dir() or not any(out.iterdir()) or overwrite:
        return
    interrupted = (out / WORK_DIR).is_dir()
    if interrupted and not resume:
        raise InputError(
            f"output folder {str(output_dir)!r} holds a run that was interrupted; pass "
            "--resume to continue it, or --overwrite to start over (the files of an earlier "
            "finished run there are replaced only when the new run finishes)"
        )
    if not interrupted:
        nothing = " and holds no interrupted run to resume" if resume else ""
        raise InputError(
            f"output folder {str(output_dir)!r} is not empty{nothing}; choose a new folder, or "
            "pass --overwrite to replace the files of a previous run there (they are replaced "
            "only when the new run finishes)"
        )


@fewer_collections()  # wherever the shard runs: here, a worker, a Ray task
def _scan_shard(context: tuple[Pipeline, Reader, list[int]], shard: Shard) -> list[Any]:
    pipeline, reader, group = context
    states = [pipeline.steps[index].new_scan_state() for index in group]
    for item in reader.read(shard):
        if isinstance(item, ReadFailure):
            continue
        try:
            states = pipeline.scan_group(group, item, states)
        except Exception:  # the cleaning pass reports it, once, in errors.jsonl
            continue
    return states


@fewer_collections()  # wherever the shard runs: here, a worker, a Ray task
def _clean_shard(context: tuple[Pipeline, Reader, Any], shard: Shard) -> ShardResult:
    pipeline, reader, hook = context
    if hook is None:
        hook = get_registry().manager.hook
    result = ShardResult(shard.index)
    stats = result.stats
    for item in reader.read(shard):
        if isinstance(item, ReadFailure):
            result.errors.append(item.to_record())
            if item.kind == "skipped":
                stats.skipped += 1
            else:
                stats.failed += 1
            continue
        stats.documents_read += 1
        stats.chars_in += len(item.raw)
        stats.bytes_in += int(item.meta.get("bytes", 0))
        try:
            pipeline.process(item, stats)
        except StepFailed as exc:
            stats.failed += 1
            result.errors.append(
                {
                    "id": item.id,
                    "source": item.source,
                    "stage": "step",
                    "step": exc.step,
                    "kind": "error",
                    "error": f"{type(exc.cause).__name__}: {exc.cause}",
                    "traceback": "".join(traceback.format_exception(exc.cause)),
                }
            )
            continue
        record = to_record(item)
        hook.cleankit_document_finished(document=item, record=record)
        result.records.append(record)
        stats.documents_written += 1
        stats.chars_out += len(item.text)
    return result


def _counted(shards: Iterable[Shard], sizes: deque[int]) -> Iterator[Shard]:
    """``shards``, with the number of items of each appended to ``sizes`` as it is taken."""
    for shard in shards:
        sizes.append(len(shard.items))
        yield shard


def _replayed(checkpoint: Checkpoint, shard: Shard) -> ShardResult | None:
    """The result of ``shard`` saved by an interrupted run, or ``None`` if unusable."""
    result = checkpoint.load_shard(shard.index)
    if isinstance(result, ShardResult) and result.index == shard.index:
        return result
    return None


def run(
    input_path: str | Path,
    output_dir: str | Path,
    pipeline: Pipeline | None = None,
    *,
    workers: int = 1,
    shard_size: int = DEFAULT_SHARD_SIZE,
    reader: Reader | None = None,
    writers: Sequence[str] = DEFAULT_WRITERS,
    overwrite: bool = False,
    resume: bool = False,
    force: bool = False,
    registry: Registry | None = None,
    executor: Executor | None = None,
    progress: Callable[[int], None] | None = None,
    total: Callable[[int | None], None] | None = None,
    scanned: Callable[[int], None] | None = None,
) -> RunResult:
    """Clean every document under ``input_path`` into ``output_dir``.

    Writes ``documents.jsonl``, the ``text/`` mirror (by default), ``errors.jsonl`` and
    ``report.json``; each file appears only when complete. ``progress`` is called with the
    number of inputs finished after each shard; ``total`` once with the input count
    (``None`` if unknown). Before cleaning, each scan pass of the pipeline
    (:meth:`Pipeline.scan_groups`) reads the corpus once: ``scanned`` is called with the
    number of inputs of each shard it has scanned (or taken from an interrupted run).

    While it runs, the run saves its progress in ``output_dir/.cleankit-run``
    (:mod:`cleankit.checkpoint`). ``resume`` continues a run that was interrupted there:
    finished shards are taken from their checkpoints, and the output is the same as an
    uninterrupted run's. A changed configuration or input raises :class:`InputError`,
    unless ``force``. Without an interrupted run to continue, ``resume`` starts afresh.
    """
    input_path, output_dir = Path(input_path), Path(output_dir)
    registry = registry or get_registry()
    pipeline = pipeline or Pipeline(registry=registry)
    if shard_size < 1:
        raise ValueError(f"shard_size must be 1 or more, got {shard_size}")
    reader = reader or registry.reader("text")()
    writer_classes = [registry.writer(name) for name in writers]
    executor = executor or make_executor(workers)
    every_output = [*CORE_OUTPUTS, *(o for cls in registry.writers.values() for o in cls.outputs)]
    check_locations(input_path, output_dir, overwrite, [*every_output, WORK_DIR], resume=resume)
    started = time.perf_counter()
    executor.start()  # a cluster out of reach fails the run before it writes anything
    if total is not None:
        total(reader.count(input_path))

    def shards() -> Any:
        return reader.shards(input_path, shard_size)

    checkpoint = Checkpoint.start(
        output_dir,
        fingerprint(pipeline, reader, input_path, shard_size),
        resume=resume,
        force=force,
    )
    scans = []
    for number, group in enumerate(pipeline.scan_groups()):
        steps = [pipeline.steps[index] for index in group]
        scan_started = time.perf_counter()
        merged = checkpoint.load_scan(number, len(steps))
        resumed = merged is not None
        with scratch_in(checkpoint.scratch(number, keep=resumed)):
            if merged is None:
                merged = [step.new_scan_state() for step in steps]
                # Results come in shard order: each one's size is the oldest one sent.
                sizes: deque[int] = deque()
                sent = _counted(shards(), sizes)
                for states in executor.map(_scan_shard, sent, (pipeline, reader, group)):
                    merged = [
                        step.merge_scan_states(a, b)
                        for step, a, b in zip(steps, merged, states, strict=True)
                    ]
                    if scanned is not None:
                        scanned(sizes.popleft())
                size = checkpoint.save_scan(number, merged)
            else:
                size = checkpoint.scan_size(number)
                if scanned is not None:
                    for shard in shards():
                        scanned(len(shard.items))
            for step, state in zip(steps, merged, strict=True):
                step.use_scan_state(state)
        scans.append(
            {
                "steps": [step.name for step in steps],
                "seconds": round(time.perf_counter() - scan_started, 3),
                # What the pass keeps of the corpus: its merged states, pickled.
                "state_bytes": size,
                "resumed": resumed,
            }
        )
        # A merged state can be large (a sentence index): free it before the workers of
        # the cleaning pass start, so they do not inherit it.
        del merged
    pipeline.prepared = True

    output_dir.mkdir(parents=True, exist_ok=True)
    for stale in output_dir.glob(".*.partial"):  # left by a run that was killed
        remove_path(stale)
    hook = registry.manager.hook
    worker_hook = hook if executor.local_plugins else None
    open_writers = [cls(output_dir) for cls in writer_classes]
    errors = AtomicFile(output_dir / "errors.jsonl")
    stats = RunStats()
    shard_count = 0
    # Shards finished by an interrupted run are replayed from their checkpoints; the rest
    # go to the executor, and both are taken in shard order, so the writers see the same
    # records as in an uninterrupted run.
    finished = checkpoint.finished
    cleaned = executor.map(
        _clean_shard,
        (shard for shard in shards() if shard.index not in finished),
        (pipeline, reader, worker_hook),
    )
    replayed = 0
    try:
        for shard in shards():
            result = _replayed(checkpoint, shard) if shard.index in finished else None
            from_checkpoint = result is not None
            if result is None and shard.index in finished:  # a damaged checkpoint
                result = _clean_shard((pipeline, reader, hook), shard)
            elif result is None:
                result = next(cleaned)
            replayed += from_checkpoint
            shard_count += 1
            for record in result.records:
                for writer in open_writers:
                    writer.write(record)
            for error in result.errors:
                errors.file.write(orjson.dumps(error) + b"\n")
            stats = stats + result.stats
            if not from_checkpoint:
                checkpoint.save_shard(shard.index, result)
            if progress is not None:
                progress(len(result.records) + len(result.errors))
    except BaseException:
        close = getattr(cleaned, "close", None)
        if close is not None:  # stop the workers of the executor
            close()
        for writer in open_writers:
            writer.abort()
        errors.abort()
        raise
    for writer in open_writers:
        writer.close()
    errors.commit(sync=True)
    # Outputs of writers this run did not use belong to an earlier run: remove them.
    this_run = {*CORE_OUTPUTS, *(o for cls in writer_classes for o in cls.outputs)}
    for name in set(every_output) - this_run:
        remove_path(output_dir / name)
    report = {
        "cleankit": __version__,
        "input": str(input_path),
        "output": str(output_dir),
        "pipeline": pipeline.describe(),
        "executor": executor.name,
        "workers": executor.workers,
        "shard_size": shard_size,
        "shards": shard_count,
        **stats.to_dict(pipeline.names),
        "scans": scans,
        "seconds": round(time.perf_counter() - started, 3),
        "files": [*(o for cls in writer_classes for o in cls.outputs), *CORE_OUTPUTS],
    }
    write_atomic(
        output_dir / "report.json", orjson.dumps(report, option=orjson.OPT_INDENT_2) + b"\n"
    )
    checkpoint.remove()
    hook.cleankit_run_finished(report=report, output_dir=output_dir)
    return RunResult(output_dir, report, replayed)
