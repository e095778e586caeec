"""The ``cleankit`` command line."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from typer.core import TyperGroup

from cleankit import __version__
from cleankit.config import RunConfig, load_config, parse_assignment
from cleankit.document import Document
from cleankit.errors import CleankitError
from cleankit.executors import make_executor
from cleankit.explain import explain_document
from cleankit.options import describe_options
from cleankit.pipeline import Pipeline
from cleankit.plugins import get_registry
from cleankit.progress import RunProgress
from cleankit.runner import DEFAULT_SHARD_SIZE, DEFAULT_WRITERS, run

console = Console()
err_console = Console(stderr=True, soft_wrap=True)


class _Group(TyperGroup):
    """Turns cleankit's own errors into one red line and exit code 2, not a traceback."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CleankitError as exc:
            # escape: messages may hold brackets, such as pip install 'cleankit[ray]'
            err_console.print(f"[bold red]Error:[/] {escape(str(exc))}", highlight=False)
            raise typer.Exit(2) from None


app = typer.Typer(
    cls=_Group,
    help="Clean scraped news and web text into an aligned corpus.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _fail(message: str, code: int = 2) -> None:
    err_console.print(f"[bold red]Error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def _split(values: list[str] | None) -> list[str] | None:
    """Accept both ``--steps a,b`` and ``--steps a --steps b``."""
    if values is None:
        return None
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _settings(
    assignments: list[str] | None, originals: Path | None = None
) -> dict[str, dict[str, Any]]:
    options: dict[str, dict[str, Any]] = {}
    for text in assignments or []:
        step, name, value = parse_assignment(text)
        options.setdefault(step, {})[name] = value
    if originals is not None:
        if not originals.is_dir():
            _fail(f"--originals {str(originals)!r} is not a folder")
        options.setdefault("restore_stopwords", {})["originals"] = str(originals)
    return options


def _config(config_file: Path | None, **flags: Any) -> RunConfig:
    base = load_config(config_file) if config_file else RunConfig()
    return base.merged(**flags)


def _pipeline(config: RunConfig) -> Pipeline:
    return Pipeline(config.steps, config.options)


ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="TOML file: cleankit.toml or pyproject.toml."),
]
StepsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--steps",
        "-s",
        metavar="STEPS",
        help="Steps to run, in order (comma-separated). Default: the built-in pipeline.",
    ),
]
OriginalsOption = Annotated[
    Path | None,
    typer.Option(
        "--originals",
        metavar="DIR",
        help="Folder of original texts where restore_stopwords also looks for the "
        "wording of normalised documents (same as --set restore_stopwords.originals=DIR).",
    ),
]
SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", metavar="STEP.OPTION=VALUE", help="Set a step option (repeatable)."),
]


@app.command("run")
def run_command(
    input_path: Annotated[
        Path, typer.Argument(metavar="INPUT", help="Folder (or file) of text to clean.")
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="Output folder (created; must not be inside the input)."
        ),
    ],
    config_file: ConfigOption = None,
    steps: StepsOption = None,
    set_options: SetOption = None,
    originals: OriginalsOption = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            "-w",
            min=1,
            help="Worker processes, or CPUs of the local Ray instance; with --address, shards "
            "in flight are twice it. \\[default: 1; with --address, the cluster's CPUs]",
        ),
    ] = None,
    executor: Annotated[
        str | None,
        typer.Option(
            metavar="[local|ray]",
            help="Where shards run: local processes, or Ray tasks "
            "(pip install 'cleankit\\[ray]'). \\[default: local]",
        ),
    ] = None,
    address: Annotated[
        str | None,
        typer.Option(
            metavar="HOST:PORT",
            help="The Ray cluster to run on (only with --executor ray); without it, a local "
            "Ray instance is started.",
        ),
    ] = None,
    shard_size: Annotated[
        int | None,
        typer.Option(min=1, help=f"Documents per shard. \\[default: {DEFAULT_SHARD_SIZE}]"),
    ] = None,
    include: Annotated[
        list[str] | None,
        typer.Option(
            metavar="GLOBS",
            help="Files to read (comma-separated or repeated). \\[default: *.txt,*.text,*.md]",
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            metavar="GLOBS",
            help="Files or folders to skip (comma-separated or repeated); hidden ones always are.",
        ),
    ] = None,
    writers: Annotated[
        list[str] | None,
        typer.Option(
            metavar="NAMES",
            help="Outputs to write (comma-separated). \\[default: documents,text,captions,pairs]",
        ),
    ] = None,
    overwrite: Annotated[
        bool, typer.Option(help="Replace a previous run's files in the output folder.")
    ] = False,
    resume: Annotated[
        bool,
        typer.Option(
            help="Continue a run into OUTPUT that was interrupted: finished shards are kept "
            "(starts afresh when there is none to continue).",
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option(help="With --resume: resume even if the configuration or input changed."),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")
    ] = False,
) -> None:
    """Clean every text file under INPUT into an output folder.

    Writes documents.jsonl (one record per document), text/ (clean .txt mirror),
    captions.jsonl (one line per caption found), pairs.jsonl (normalised lines with
    their restored originals), errors.jsonl (skipped and failed inputs) and
    report.json (per-step statistics).
    Exits 1 if any document failed.
    """
    config = _config(
        config_file,
        steps=_split(steps),
        options=_settings(set_options, originals),
        workers=workers,
        executor=executor,
        address=address,
        shard_size=shard_size,
        include=_split(include),
        exclude=_split(exclude),
        writers=_split(writers),
    )
    pipeline = _pipeline(config)
    engine = make_executor(config.workers or None, config.executor or "local", config.address)
    registry = get_registry()
    reader_options: dict[str, Any] = {}
    if config.include is not None:
        reader_options["include"] = tuple(config.include)
    if config.exclude is not None:
        reader_options["exclude"] = tuple(config.exclude)
    reader = registry.reader("text")(**reader_options)
    progress = RunProgress(err_console, len(pipeline.scan_groups()))

    def start(count: int | None) -> None:
        # Progress shows once the input is known to be good, never before an error.
        if not quiet:
            progress.start(count)

    try:
        result = run(
            input_path,
            output,
            pipeline,
            workers=config.workers or 1,
            executor=engine,
            shard_size=config.shard_size or DEFAULT_SHARD_SIZE,
            reader=reader,
            writers=config.writers or DEFAULT_WRITERS,
            overwrite=overwrite,
            resume=resume,
            force=force,
            registry=registry,
            progress=None if quiet else progress.cleaned,
            total=start,
            scanned=None if quiet else progress.scanned,
        )
    finally:
        progress.stop()
        engine.close()  # stops a Ray instance started for this run
    if not quiet:
        _print_summary(result.report)
        if result.resumed_shards:
            shards = f"{result.resumed_shards} of {result.report['shards']} shards"
            console.print(f"resumed: {shards} were taken from the interrupted run")
    if not result.ok:
        raise typer.Exit(1)


def _print_summary(report: dict[str, Any]) -> None:
    docs = report["documents"]
    seconds = max(report["seconds"], 1e-9)
    mb = report["bytes_in"] / 1e6
    console.print(
        f"[bold green]done[/] {docs['written']} written, {docs['skipped']} skipped, "
        f"[{'red' if docs['failed'] else 'green'}]{docs['failed']} failed[/] "
        f"in {report['seconds']:.2f}s ({mb / seconds:.2f} MB/s); "
        f"{report['chars_in']:,} → {report['chars_out']:,} characters",
        highlight=False,
    )
    table = Table(box=None, pad_edge=False)
    left = ("step", "removed (chars)", "replaced (chars)")
    for column in ("step", "changed", "edits", *left[1:], "seconds"):
        table.add_column(column, justify="left" if column in left else "right")
    for name, stats in report["steps"].items():
        table.add_row(
            name,
            f"{stats['documents_changed']}/{stats['documents']}",
            f"{stats['edits']:,}",
            _by_label(stats["chars_removed"]),
            _by_label(stats["chars_replaced"]),
            f"{stats['seconds']:.2f}",
        )
    console.print(table)
    out = report["output"]
    problems = docs["failed"] or docs["skipped"]
    shown = [
        f"[red]{out}/{name}[/]" if name == "errors.jsonl" and problems else f"{out}/{name}"
        for name in report["files"]
        if name != "errors.jsonl" or problems
    ]
    console.print("output: " + ", ".join(shown), highlight=False)


def _by_label(counts: dict[str, int]) -> str:
    return ", ".join(f"{label} {n:,}" for label, n in sorted(counts.items())) or "-"


@app.command("plugins")
def plugins_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List installed plugins: distribution, version, module, hooks and what they register."""
    registry = get_registry()
    if as_json:
        print(json.dumps([p.to_dict() for p in registry.plugins], indent=2))
        return
    table = Table(title=f"cleankit {__version__} plugins")
    for column in ("plugin", "distribution", "module", "registers", "hooks"):
        table.add_column(column)
    for p in registry.plugins:
        registers = ", ".join(
            [f"step {s}" for s in p.steps]
            + [f"reader {r}" for r in p.readers]
            + [f"writer {w}" for w in p.writers]
            + [f"pattern {pattern}" for pattern in p.patterns]
        )
        if p.error:
            registers = f"[red]not loaded: {p.error}[/]"
        dist = f"{p.distribution} {p.version}" if p.distribution else "-"
        table.add_row(
            p.name + (" (built-in)" if p.builtin else ""),
            dist,
            p.module,
            registers,
            ", ".join(p.hooks),
        )
    console.print(table)


@app.command("steps")
def steps_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List every available step with its options and their defaults."""
    registry = get_registry()
    default = registry.default_steps()
    entries = []
    for name in sorted(
        registry.steps, key=lambda n: (n not in default, default.index(n) if n in default else 0, n)
    ):
        cls = registry.steps[name]
        doc = (cls.__doc__ or "").strip().splitlines()
        entries.append(
            {
                "name": name,
                "summary": doc[0] if doc else "",
                "plugin": registry.owner("step", name).name,
                "default_pipeline": name in default,
                "corpus_scan": cls.has_scan(),
                "options": [dataclasses.asdict(o) for o in describe_options(cls.Options)],
            }
        )
    if as_json:
        print(json.dumps(entries, indent=2, default=repr))
        return
    console.print(
        f"[bold]default pipeline:[/] {' → '.join(default) or '(empty)'}\n", highlight=False
    )
    for entry in entries:
        flags = " [dim](default pipeline)[/]" if entry["default_pipeline"] else ""
        console.print(f"[bold cyan]{entry['name']}[/]{flags}  {entry['summary']}", highlight=False)
        for o in entry["options"]:
            console.print(
                f"    {o['name']}: {o['type']} = {o['default']!r}  [dim]{o['help']}[/]",
                highlight=False,
            )
        console.print()


@app.command("explain")
def explain_command(
    file: Annotated[Path, typer.Argument(help="A text file to clean and explain.")],
    config_file: ConfigOption = None,
    steps: StepsOption = None,
    set_options: SetOption = None,
    originals: OriginalsOption = None,
    corpus: Annotated[
        Path | None,
        typer.Option(
            metavar="DIR",
            help="Folder whose documents the corpus-aware steps see as the rest of the "
            "corpus (repeated furniture, known captions, originals to restore from).",
        ),
    ] = None,
    context: Annotated[
        int, typer.Option(help="Characters of context shown around each change.")
    ] = 30,
    limit: Annotated[int, typer.Option(help="Changes shown per step (0: all).")] = 50,
) -> None:
    """Show what each step changes in FILE, and why."""
    from cleankit.decoding import decode_bytes

    if not file.is_file():
        _fail(f"{str(file)!r} is not a file")
    decoded = decode_bytes(file.read_bytes())
    if decoded.text is None:
        _fail(f"{str(file)!r} was skipped: {decoded.skipped}")
    if corpus is not None and not corpus.is_dir():
        _fail(f"--corpus {str(corpus)!r} is not a folder")
    config = _config(config_file, steps=_split(steps), options=_settings(set_options, originals))
    pipeline = _pipeline(config)
    text = decoded.text or ""
    if corpus is not None:
        pipeline.prepare(lambda: _corpus_with(corpus, file, text))
    explain_document(console, pipeline, text, str(file), context, limit)


def _corpus_with(folder: Path, file: Path, text: str) -> Iterator[Document]:
    """The documents of ``folder`` (without ``file`` itself), then ``file``."""
    reader = get_registry().reader("text")()
    target = file.resolve()
    for shard in reader.shards(folder, DEFAULT_SHARD_SIZE):
        for item in reader.read(shard):
            if isinstance(item, Document) and (folder / (item.id or "")).resolve() != target:
                yield item
    yield Document(text, id=str(file), source=str(file))


@app.command("new-plugin")
def new_plugin_command(
    name: Annotated[
        str, typer.Argument(help="Plugin name, e.g. 'shout' (distribution cleankit-shout).")
    ],
    directory: Annotated[Path, typer.Option("--dir", "-d", help="Where to create it.")] = Path("."),
) -> None:
    """Start a new plugin distribution from the template (with its own tests)."""
    from cleankit.template import create_plugin

    target = create_plugin(name, directory)
    console.print(
        f"created {target}\nnext: pip install -e {target} && cleankit plugins", highlight=False
    )


@app.callback(invoke_without_command=True)
def _main(
    version: Annotated[bool, typer.Option("--version", help="Show the version and exit.")] = False,
) -> None:
    if version:
        console.print(f"cleankit {__version__}")
        raise typer.Exit()


def main() -> None:
    """Entry point of the ``cleankit`` script: clean errors instead of tracebacks."""
    try:
        app()
    except KeyboardInterrupt:
        err_console.print("[red]interrupted; no partial output files were left in place[/]")
        sys.exit(130)


if __name__ == "__main__":
    main()
