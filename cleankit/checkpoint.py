"""Checkpoints of ``cleankit run``, so that ``--resume`` can continue an interrupted run.

A run keeps its checkpoints in the work folder ``OUTPUT/.cleankit-run/``:

``manifest.json``
    the fingerprint of everything that decides the output: the cleankit version, the
    pipeline (each step's class and options), the reader and its options, the shard size,
    and the input, as one digest per shard over its item names and, for items that are
    files, their size and modification time.
``scan-N.pickle``
    the merged scan states of the N-th pass of the scan phase (``Pipeline.scan_groups``).
``shard-IIIIIIII-DIGEST.pickle``
    the result (records, errors, statistics) of shard ``I``, whose input had ``DIGEST``.

Every file is written under a temporary name and renamed into place, so a run that is
killed leaves whole files only. A checkpoint that cannot be read is treated as missing.
The run removes the work folder when it finishes. The pickles are compressed (gzip at its
fastest level): the shards' records would otherwise take more room on disk than the
output itself until the run is over.

Writers are not part of the fingerprint: they only receive records, so a resumed run may
use other writers and still writes what an uninterrupted run with those writers writes.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import os
import pickle
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from cleankit import __version__
from cleankit.errors import InputError
from cleankit.formats import AtomicFile, Reader, item_path, remove_path, write_atomic
from cleankit.pipeline import Pipeline

#: The work folder of a run, inside its output folder.
WORK_DIR = ".cleankit-run"
MANIFEST = "manifest.json"
#: Increased when the layout of the work folder changes; a work folder of another format
#: is not resumed (the run starts from the beginning), so it is never misread.
FORMAT = 1

#: How the settings of the fingerprint are named in messages.
SETTING_NAMES = {
    "cleankit": "cleankit version",
    "pipeline": "steps or step options",
    "reader": "reader or its options (--include, --exclude)",
    "shard_size": "shard size",
}


@dataclasses.dataclass(frozen=True)
class Fingerprint:
    """What decides a run's output: its settings and one digest per input shard."""

    settings: dict[str, Any]
    shards: tuple[str, ...]

    @property
    def input(self) -> str:
        """One digest over the whole input."""
        return _digest(self.shards)

    def to_json(self) -> bytes:
        data = {
            "format": FORMAT,
            "settings": self.settings,
            "input": self.input,
            "shards": list(self.shards),
        }
        return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"

    @classmethod
    def from_json(cls, data: bytes) -> Fingerprint | None:
        """The fingerprint in ``data`` (a manifest), or ``None`` if of another format."""
        loaded = orjson.loads(data)
        if loaded.get("format") != FORMAT:
            return None
        return cls(dict(loaded["settings"]), tuple(loaded["shards"]))


def fingerprint(
    pipeline: Pipeline, reader: Reader, input_path: Path, shard_size: int
) -> Fingerprint:
    """The fingerprint of a run of ``pipeline`` over ``input_path`` (lists the input once)."""
    settings = {
        "cleankit": __version__,
        "pipeline": [
            {"class": _class_path(type(step)), **described}
            for step, described in zip(pipeline.steps, pipeline.describe(), strict=True)
        ],
        "reader": {
            "name": reader.name,
            "class": _class_path(type(reader)),
            "options": {
                k: v
                for k, v in sorted(getattr(reader, "__dict__", {}).items())
                if not k.startswith("_")
            },
        },
        "shard_size": shard_size,
    }
    # Through JSON and back, so it compares equal to the copy read from manifest.json.
    settings = orjson.loads(orjson.dumps(settings, default=_plain))
    shards = []
    for shard in reader.shards(input_path, shard_size):
        files = [_file_stat(item_path(shard.source, item)) for item in shard.items]
        shards.append(_digest([shard.source, list(shard.items), _file_stat(shard.source), files]))
    return Fingerprint(settings, tuple(shards))


class Checkpoint:
    """The work folder of one run: its manifest, saved scan states and finished shards.

    Build it with :meth:`start`. :attr:`finished` holds the shards that were finished
    before this run began; it does not change while the run saves more.
    """

    def __init__(self, folder: Path, fingerprint: Fingerprint, finished: frozenset[int]) -> None:
        self.folder = folder
        self.fingerprint = fingerprint
        self.finished = finished

    @classmethod
    def start(
        cls, output_dir: Path, fingerprint: Fingerprint, *, resume: bool, force: bool
    ) -> Checkpoint:
        """Open the work folder of a run into ``output_dir``.

        Without ``resume``, or when there is nothing to resume, any old work folder is
        cleared and the run starts from the beginning. With ``resume``, the interrupted
        run's manifest must match ``fingerprint``; if it does not, :class:`InputError`
        names what changed, unless ``force`` is given. A forced resume keeps the shards
        whose input is unchanged (even if the settings changed) and scans again.
        """
        folder = output_dir / WORK_DIR
        previous = _read_manifest(folder / MANIFEST) if resume else None
        if previous is None:
            remove_path(folder)
            folder.mkdir(parents=True)
            write_atomic(folder / MANIFEST, fingerprint.to_json())
            return cls(folder, fingerprint, frozenset())
        for stale in folder.glob(".*.partial"):  # a checkpoint being written when killed
            remove_path(stale)
        if previous != fingerprint:
            if not force:
                raise InputError(_mismatch_message(output_dir, previous, fingerprint))
            for scan in folder.glob("scan-*.pickle"):  # they belong to other settings or input
                scan.unlink()
            write_atomic(folder / MANIFEST, fingerprint.to_json())
        finished = set()
        for path in folder.glob("shard-*.pickle"):
            index, digest = _parse_shard_name(path.name)
            if 0 <= index < len(fingerprint.shards) and fingerprint.shards[index] == digest:
                finished.add(index)
            else:  # its input changed (a forced resume): it is cleaned again
                path.unlink()
        return cls(folder, fingerprint, frozenset(finished))

    # -- shards --------------------------------------------------------------------------

    def _shard_path(self, index: int) -> Path:
        return self.folder / f"shard-{index:08d}-{self.fingerprint.shards[index]}.pickle"

    def load_shard(self, index: int) -> Any | None:
        """The saved result of shard ``index``, or ``None`` if it cannot be read."""
        return _load(self._shard_path(index))

    def save_shard(self, index: int, result: Any) -> None:
        """Save the result of shard ``index`` (skipped if it cannot be pickled)."""
        _save(self._shard_path(index), result)

    # -- scan states ---------------------------------------------------------------------

    def load_scan(self, number: int, size: int) -> list[Any] | None:
        """The saved states of scan pass ``number`` (``size`` of them), or ``None``."""
        states = _load(self.folder / f"scan-{number}.pickle")
        if not isinstance(states, list) or len(states) != size:
            return None
        return states

    def save_scan(self, number: int, states: list[Any]) -> int | None:
        """Save the merged states of scan pass ``number``; return their size in bytes
        (None when they cannot be pickled, and are not saved)."""
        return _save(self.folder / f"scan-{number}.pickle", states)

    def scratch(self, number: int, *, keep: bool) -> Path:
        """The folder where the steps of scan pass ``number`` keep what they hold on disk
        (:mod:`cleankit.scratch`); emptied first unless ``keep`` (the pass's saved states
        may point into it)."""
        folder = self.folder / f"scratch-{number}"
        if not keep:
            remove_path(folder)
        return folder

    def scan_size(self, number: int) -> int | None:
        """The size in bytes of the saved states of scan pass ``number`` pickled, if saved."""
        try:
            return _pickled_size(self.folder / f"scan-{number}.pickle")
        except OSError:
            return None

    def remove(self) -> None:
        """Delete the work folder (the run finished)."""
        remove_path(self.folder)


# -- helpers -------------------------------------------------------------------------------


def _class_path(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _plain(value: Any) -> Any:
    """Turn an option value that JSON lacks into a stable JSON value."""
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, Mapping):
        return dict(value)
    return repr(value)


def _digest(value: Any) -> str:
    return hashlib.blake2b(orjson.dumps(value, default=_plain), digest_size=16).hexdigest()


def _file_stat(path: str) -> list[int] | None:
    """Size and modification time of ``path`` if it is a file, else ``None``."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return [info.st_size, info.st_mtime_ns] if stat.S_ISREG(info.st_mode) else None


def _parse_shard_name(name: str) -> tuple[int, str]:
    """``shard-00000012-abc.pickle`` → ``(12, "abc")``; ``(-1, "")`` for other names."""
    parts = name.removesuffix(".pickle").split("-")
    if len(parts) != 3 or not parts[1].isdigit():
        return -1, ""
    return int(parts[1]), parts[2]


def _read_manifest(path: Path) -> Fingerprint | None:
    try:
        return Fingerprint.from_json(path.read_bytes())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):  # start over
        return None


def _mismatch_message(output_dir: Path, before: Fingerprint, now: Fingerprint) -> str:
    changed = [
        SETTING_NAMES.get(key, key)
        for key in sorted(set(before.settings) | set(now.settings))
        if before.settings.get(key) != now.settings.get(key)
    ]
    differ = sum(a != b for a, b in zip(before.shards, now.shards, strict=False))
    differ += abs(len(before.shards) - len(now.shards))
    what = []
    if changed:
        what.append(f"the configuration changed ({', '.join(changed)})")
    if differ:
        what.append(
            "the input changed: files were added, removed or modified "
            f"({differ} of {len(now.shards)} shards differ)"
        )
    return (
        f"cannot resume the interrupted run in {str(output_dir)!r}: {' and '.join(what)}. "
        "Resume with the configuration and input it started with; or pass --force to resume "
        "anyway (finished shards whose files did not change are kept, even under another "
        "configuration); or start over with --overwrite or in a new output folder"
    )


#: How a compressed checkpoint starts: this, then the size of the pickle (8 bytes, little
#: endian), then the pickle in gzip's format. Files without it are plain pickles.
_COMPRESSED = b"CKZ\x01"
_SIZE = 8


def _read_header(f: BinaryIO) -> int | None:
    """The pickle's size from the header of an open checkpoint, which is left just past
    it; None for a plain pickle, which is left at its start."""
    if f.read(len(_COMPRESSED)) != _COMPRESSED:
        f.seek(0)
        return None
    return int.from_bytes(f.read(_SIZE), "little")


def _load(path: Path) -> Any | None:
    try:
        with path.open("rb") as f:
            if _read_header(f) is None:  # written uncompressed
                return pickle.load(f)
            with gzip.GzipFile(fileobj=f, mode="rb") as unpacked:
                return pickle.load(unpacked)
    except Exception:  # missing, or damaged (a crash of the machine): redo it
        return None


def _pickled_size(path: Path) -> int:
    """The size of the pickle a checkpoint holds (compressed or not)."""
    with path.open("rb") as f:
        size = _read_header(f)
    return path.stat().st_size if size is None else size


def _save(path: Path, value: Any) -> int | None:
    """Save ``value`` pickled and compressed; return the size of the pickle, or None when
    it cannot be pickled."""
    # Streamed into the file: a merged scan state can be large, and a copy of it as
    # bytes would raise the run's peak memory.
    f = AtomicFile(path)
    try:
        f.file.write(_COMPRESSED + bytes(_SIZE))  # the size is known once it is written
        with gzip.GzipFile(fileobj=f.file, mode="wb", compresslevel=1, mtime=0) as packed:
            pickle.dump(value, packed, protocol=pickle.HIGHEST_PROTOCOL)
            size = packed.tell()
        f.file.seek(len(_COMPRESSED))
        f.file.write(size.to_bytes(_SIZE, "little"))
    except OSError:  # the disk, not the value: say so
        f.abort()
        raise
    except Exception:  # a plugin's unpicklable state: the work is redone on resume
        f.abort()
        return None
    except BaseException:
        f.abort()
        raise
    f.commit()
    return size
