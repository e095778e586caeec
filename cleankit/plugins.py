"""Finding plugins, registering what they contribute, and refusing clashes.

Built-in plugins are the ``cleankit`` distribution's own entry points in the ``cleankit``
group; they are registered first, then every other distribution's, so a third-party
plugin can never silently take over a built-in step name.

Two environment variables control loading (tests use the first):

``CLEANKIT_LOAD_PLUGINS``
    Comma-separated names of third-party plugins to load. Set but empty: built-ins only.
``CLEANKIT_DISABLE_PLUGINS``
    Comma-separated plugin names (built-in or not) to skip.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import EntryPoint, entry_points
from typing import Any

import pluggy
import regex

from cleankit import hookspecs
from cleankit.errors import ConfigError, NameClashError, PluginError
from cleankit.formats import Reader, Writer
from cleankit.options import unknown_name_message
from cleankit.step import Step

GROUP = "cleankit"
BUILTIN_DISTRIBUTION = "cleankit"


class PluginWarning(UserWarning):
    """A plugin could not be loaded; the rest of cleankit still works."""


@dataclass
class PluginInfo:
    """One plugin as ``cleankit plugins`` shows it."""

    name: str
    distribution: str | None
    version: str | None
    module: str
    builtin: bool
    hooks: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    readers: list[str] = field(default_factory=list)
    writers: list[str] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def origin(self) -> str:
        if self.distribution:
            return f"plugin {self.name!r} (distribution {self.distribution} {self.version})"
        return f"plugin {self.name!r} (module {self.module})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "distribution": self.distribution,
            "version": self.version,
            "module": self.module,
            "builtin": self.builtin,
            "hooks": self.hooks,
            "steps": self.steps,
            "readers": self.readers,
            "writers": self.writers,
            "patterns": self.patterns,
            "error": self.error,
        }


@dataclass(frozen=True)
class ContributedPattern:
    """A pattern a plugin registered through ``cleankit_register_patterns``."""

    kind: str
    name: str
    pattern: str
    attributes: tuple[tuple[str, Any], ...]
    #: Which plugin registered it, for error messages.
    origin: str


class Registry:
    """The plugins that loaded and the steps, readers and writers they registered."""

    def __init__(self, manager: pluggy.PluginManager) -> None:
        self.manager = manager
        self.plugins: list[PluginInfo] = []
        self.steps: dict[str, type[Step]] = {}
        self.readers: dict[str, type[Reader]] = {}
        self.writers: dict[str, type[Writer]] = {}
        self.patterns: list[ContributedPattern] = []
        self._owner: dict[tuple[str, str], PluginInfo] = {}

    # -- lookups -------------------------------------------------------------------------

    def step(self, name: str) -> type[Step]:
        """The step class called ``name``; an unknown name lists the valid ones."""
        try:
            return self.steps[name]
        except KeyError:
            raise ConfigError(unknown_name_message("step", name, sorted(self.steps))) from None

    def reader(self, name: str) -> type[Reader]:
        try:
            return self.readers[name]
        except KeyError:
            raise ConfigError(unknown_name_message("reader", name, sorted(self.readers))) from None

    def writer(self, name: str) -> type[Writer]:
        try:
            return self.writers[name]
        except KeyError:
            raise ConfigError(unknown_name_message("writer", name, sorted(self.writers))) from None

    def patterns_of(self, kind: str) -> list[ContributedPattern]:
        """Patterns of one kind (e.g. ``"boilerplate"``), in registration order."""
        return [p for p in self.patterns if p.kind == kind]

    def owner(self, kind: str, name: str) -> PluginInfo:
        """The plugin that registered step/reader/writer ``name``."""
        return self._owner[(kind, name)]

    def default_steps(self) -> list[str]:
        """Built-in steps that belong to the default pipeline, in their order."""
        chosen = [
            (cls.default_order, name)
            for name, cls in self.steps.items()
            if cls.default_order is not None and self.owner("step", name).builtin
        ]
        return [name for _, name in sorted(chosen)]

    # -- registration --------------------------------------------------------------------

    def add_plugin(self, plugin: object, info: PluginInfo) -> None:
        """Register a plugin object (a module or any object with hook functions)."""
        if self.manager.has_plugin(info.name):
            first = next(p for p in self.plugins if p.name == info.name)
            raise NameClashError(
                f"plugin name {info.name!r} is used twice: by {first.origin} and by "
                f"{info.origin}. Uninstall one of them"
            )
        self.manager.register(plugin, name=info.name)
        info.hooks = sorted(caller.name for caller in self.manager.get_hookcallers(plugin) or [])
        self.plugins.append(info)
        self._collect(plugin, info)

    def _collect(self, plugin: object, info: PluginInfo) -> None:
        kinds: list[tuple[str, type, dict[str, Any], list[str]]] = [
            ("steps", Step, self.steps, info.steps),
            ("readers", Reader, self.readers, info.readers),
            ("writers", Writer, self.writers, info.writers),
        ]
        for kind, base, table, names in kinds:
            caller = getattr(self.manager.hook, f"cleankit_register_{kind}")
            for impl in caller.get_hookimpls():
                if impl.plugin is plugin:
                    impl.function(register=self._register_callback(kind, base, table, names, info))
        for impl in self.manager.hook.cleankit_register_patterns.get_hookimpls():
            if impl.plugin is plugin:
                impl.function(register=self._pattern_callback(info))

    def _pattern_callback(self, info: PluginInfo) -> Callable[..., None]:
        def register(kind: str, name: str, pattern: str, **attributes: Any) -> None:
            for label, value in (("kind", kind), ("name", name), ("pattern", pattern)):
                if not isinstance(value, str) or not value:
                    raise PluginError(
                        f"{info.origin} registered a pattern whose {label} is {value!r}; "
                        "kind, name and pattern must be non-empty strings"
                    )
            try:
                regex.compile(pattern)
            except regex.error as exc:
                raise PluginError(
                    f"{info.origin} registered {kind} pattern {name!r}, which does not "
                    f"compile: {exc}"
                ) from None
            self.patterns.append(
                ContributedPattern(
                    kind, name, pattern, tuple(sorted(attributes.items())), info.origin
                )
            )
            info.patterns.append(f"{kind}:{name}")

        return register

    def _register_callback(
        self, kind: str, base: type, table: dict[str, Any], names: list[str], info: PluginInfo
    ) -> Callable[[type], None]:
        singular = kind[:-1]

        def register(cls: type) -> None:
            if not (isinstance(cls, type) and issubclass(cls, base)):
                raise PluginError(
                    f"{info.origin} registered {cls!r} as a {singular}; "
                    f"it must be a subclass of {base.__module__}.{base.__qualname__}"
                )
            name = getattr(cls, "name", "")
            if not name or not isinstance(name, str):
                raise PluginError(f"{info.origin} registered {cls.__qualname__} without a name")
            if name in table:
                first = self._owner[(singular, name)]
                raise NameClashError(
                    f"{singular} name {name!r} is registered twice: by {first.origin} and by "
                    f"{info.origin}. Uninstall one of them, or skip one with "
                    f"CLEANKIT_DISABLE_PLUGINS={info.name}"
                )
            table[name] = cls
            names.append(name)
            self._owner[(singular, name)] = info

        return register


def _env_names(variable: str) -> set[str] | None:
    value = os.environ.get(variable)
    if value is None:
        return None
    return {n.strip() for n in value.split(",") if n.strip()}


def _ordered_entry_points() -> list[EntryPoint]:
    """Built-ins first, in the order they are declared; then others by distribution and name."""
    found = list(entry_points(group=GROUP))

    def dist_name(ep: EntryPoint) -> str:
        return ep.dist.name if ep.dist is not None else ""

    builtin = [ep for ep in found if dist_name(ep) == BUILTIN_DISTRIBUTION]
    others = sorted(
        (ep for ep in found if dist_name(ep) != BUILTIN_DISTRIBUTION),
        key=lambda ep: (dist_name(ep), ep.name),
    )
    # The same distribution can be visible twice (an editable install beside a wheel).
    seen: set[tuple[str, str]] = set()
    unique = []
    for ep in builtin + others:
        key = (dist_name(ep), ep.name)
        if key not in seen:
            seen.add(key)
            unique.append(ep)
    return unique


def load_registry(extra_plugins: Iterable[object] = ()) -> Registry:
    """Load built-in and installed plugins (honouring the environment), then ``extra_plugins``.

    A plugin that fails to import or to register gives a :class:`PluginWarning` and is
    left out; a name clash between two plugins raises :class:`NameClashError`.
    """
    manager = pluggy.PluginManager(GROUP)
    manager.add_hookspecs(hookspecs)
    registry = Registry(manager)
    allowed = _env_names("CLEANKIT_LOAD_PLUGINS")
    disabled = _env_names("CLEANKIT_DISABLE_PLUGINS") or set()
    for ep in _ordered_entry_points():
        dist = ep.dist
        builtin = dist is not None and dist.name == BUILTIN_DISTRIBUTION
        if ep.name in disabled or (not builtin and allowed is not None and ep.name not in allowed):
            continue
        info = PluginInfo(
            name=ep.name,
            distribution=dist.name if dist else None,
            version=dist.version if dist else None,
            module=ep.value,
            builtin=builtin,
        )
        try:
            plugin = ep.load()
        except Exception as exc:
            _broken(registry, info, f"failed to import: {type(exc).__name__}: {exc}")
            continue
        _add_guarded(registry, plugin, info)
    for plugin in extra_plugins:
        name = getattr(plugin, "__name__", None) or type(plugin).__name__
        info = PluginInfo(name=name, distribution=None, version=None, module=name, builtin=False)
        _add_guarded(registry, plugin, info)
    return registry


def _add_guarded(registry: Registry, plugin: object, info: PluginInfo) -> None:
    try:
        registry.add_plugin(plugin, info)
    except NameClashError:
        raise
    except PluginError as exc:
        _unregister(registry, plugin, info)
        _broken(registry, info, str(exc))
    except Exception as exc:
        _unregister(registry, plugin, info)
        _broken(registry, info, f"failed to register: {type(exc).__name__}: {exc}")


def _unregister(registry: Registry, plugin: object, info: PluginInfo) -> None:
    """Take back whatever a plugin registered before it failed."""
    for kind, table in (
        ("step", registry.steps),
        ("reader", registry.readers),
        ("writer", registry.writers),
    ):
        for name in [n for (k, n), owner in registry._owner.items() if k == kind and owner is info]:
            table.pop(name, None)
            registry._owner.pop((kind, name), None)
    registry.patterns = [p for p in registry.patterns if p.origin != info.origin]
    if info in registry.plugins:
        registry.plugins.remove(info)
    if registry.manager.get_plugin(info.name) is plugin:
        registry.manager.unregister(plugin)


def _broken(registry: Registry, info: PluginInfo, message: str) -> None:
    info.error = message
    info.steps, info.readers, info.writers, info.patterns = [], [], [], []
    registry.plugins.append(info)
    warnings.warn(f"cleankit: {info.origin} is skipped: {message}", PluginWarning, stacklevel=3)


@lru_cache(maxsize=1)
def _default_registry() -> Registry:
    return load_registry()


_building_with: ContextVar[Registry | None] = ContextVar("cleankit_building_with", default=None)


def get_registry() -> Registry:
    """The registry of this process (loaded once, on first use).

    While a :class:`~cleankit.Pipeline` built with its own ``registry=`` constructs its
    steps, this returns that registry, so a step reading contributed patterns sees the
    plugins of the pipeline it belongs to.
    """
    return _building_with.get() or _default_registry()


@contextmanager
def building_with(registry: Registry) -> Iterator[None]:
    """Make :func:`get_registry` return ``registry`` inside the ``with`` block."""
    token = _building_with.set(registry)
    try:
        yield
    finally:
        _building_with.reset(token)


def reset_registry() -> None:
    """Forget the loaded registry so the next :func:`get_registry` loads plugins again."""
    _default_registry.cache_clear()
