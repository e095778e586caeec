"""Every hook a cleankit plugin can implement, in the order a run calls them.

Plugins implement hooks with :data:`cleankit.hookimpl`::

    from cleankit import hookimpl

    @hookimpl
    def cleankit_register_steps(register):
        register(MyStep)

Registration hooks hand the plugin a ``register`` callback instead of asking for a return
value, so the core can validate each contribution and say which plugin made it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("cleankit")
hookimpl = pluggy.HookimplMarker("cleankit")


@hookspec
def cleankit_register_steps(register: Callable[[type], None]) -> None:
    """Contribute cleaning steps.

    :param register: call it once per :class:`cleankit.Step` subclass; a step name already
        taken by another plugin is an error naming both plugins.
    """


@hookspec
def cleankit_register_readers(register: Callable[[type], None]) -> None:
    """Contribute input readers (:class:`cleankit.formats.Reader` subclasses).

    :param register: call it once per reader class; names must be unique.
    """


@hookspec
def cleankit_register_writers(register: Callable[[type], None]) -> None:
    """Contribute output writers (:class:`cleankit.formats.Writer` subclasses).

    :param register: call it once per writer class; names must be unique.
    """


@hookspec
def cleankit_register_patterns(register: Callable[..., None]) -> None:
    """Contribute named patterns that built-in steps read as data.

    :param register: call ``register(kind, name, pattern, **attributes)`` once per pattern.
        ``kind`` says which step reads it: ``"boilerplate"`` adds a
        :mod:`strip_boilerplate <cleankit_plugins.strip_boilerplate>` rule (attributes:
        ``max_words``, ``end``, ``final``, ``decisive``, ``inline``, ``appeal``). ``name``
        is the reason shown for each removal it causes. ``pattern`` must compile with the
        ``regex`` module (it is matched case-insensitively); a pattern that does not, or an
        attribute the step does not know, is an error naming the plugin.
    """


@hookspec
def cleankit_document_finished(document: Any, record: dict[str, Any]) -> None:
    """Observe one cleaned document (runs in the worker process that cleaned it).

    :param document: the :class:`cleankit.Document` after every step.
    :param record: the output record about to be written; treat it as read-only.
    """


@hookspec
def cleankit_run_finished(report: dict[str, Any], output_dir: Path) -> None:
    """Observe the end of ``cleankit run`` (runs once, in the main process).

    :param report: the content of ``report.json``.
    :param output_dir: the output folder, with every file in place.
    """
