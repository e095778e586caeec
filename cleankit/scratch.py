"""Scratch folders: where a step keeps on disk what would not fit in memory.

A step whose scan state grows with the corpus (a sentence index, say) can move its bulk
into a scratch folder. ``cleankit run`` puts scratch folders inside its work folder
(:mod:`cleankit.checkpoint`), so that a saved scan state can point at them on resume and
they go when the run finishes. Elsewhere (the Python API) they are made in the system's
temporary folder (``TMPDIR``) and removed when the process ends.

>>> with tempfile.TemporaryDirectory() as work, scratch_in(Path(work)) as root:
...     scratch_folder("example").parent == root
True
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

_root: ContextVar[Path | None] = ContextVar("cleankit_scratch_root", default=None)


@contextmanager
def scratch_in(root: Path) -> Iterator[Path]:
    """Make the scratch folders asked for inside this block in ``root`` (created if
    missing); whoever owns ``root`` removes them."""
    root.mkdir(parents=True, exist_ok=True)
    token = _root.set(root)
    try:
        yield root
    finally:
        _root.reset(token)


def scratch_folder(prefix: str) -> Path:
    """A new, empty folder for scratch files (see the module's doc for where)."""
    return Path(tempfile.mkdtemp(prefix=f"cleankit-{prefix}-", dir=_root.get()))


def remove_with(owner: object, folder: Path) -> None:
    """Remove ``folder`` when ``owner`` is collected or this process ends, unless a run's
    work folder holds it (the run removes that, and a resumed run may still need it)."""
    if _root.get() is None:
        weakref.finalize(owner, _remove, folder, os.getpid())


def _remove(folder: Path, pid: int) -> None:
    # A forked worker inherits the owner, but not the folder: only its maker removes it.
    if os.getpid() == pid:
        shutil.rmtree(folder, ignore_errors=True)
