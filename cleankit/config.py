"""Run configuration from a TOML file (``cleankit.toml`` or ``[tool.cleankit]``)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from cleankit.errors import ConfigError
from cleankit.options import coerce, unknown_name_message

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass
class RunConfig:
    """Everything ``cleankit run`` can take from a file; command-line flags override it.

    Example ``cleankit.toml``::

        steps = ["fix_mojibake", "normalize_whitespace"]
        workers = 2

        [options.normalize_whitespace]
        max_blank_lines = 0
    """

    steps: list[str] | None = None
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    workers: int | None = None
    shard_size: int | None = None
    include: list[str] | None = None
    exclude: list[str] | None = None
    writers: list[str] | None = None
    #: ``"local"`` or ``"ray"``; ``address`` names a Ray cluster (only with ``"ray"``).
    executor: str | None = None
    address: str | None = None

    def merged(self, **flags: Any) -> RunConfig:
        """A copy where every flag that was given (not ``None``) replaces the file's value."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        options = {name: dict(opts) for name, opts in self.options.items()}
        for step_name, step_options in (flags.pop("options", None) or {}).items():
            options.setdefault(step_name, {}).update(step_options)
        values.update({k: v for k, v in flags.items() if v is not None})
        values["options"] = options
        return RunConfig(**values)


_TYPES = {
    "steps": list[str],
    "workers": int,
    "shard_size": int,
    "include": list[str],
    "exclude": list[str],
    "writers": list[str],
    "executor": str,
    "address": str,
}


def load_config(path: str | Path) -> RunConfig:
    """Read and validate a config file; ``pyproject.toml`` is read from ``[tool.cleankit]``."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file {str(path)!r} does not exist") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {str(path)!r} is not valid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("cleankit")
        if data is None:
            raise ConfigError(f"{str(path)!r} has no [tool.cleankit] table")
    return config_from_dict(data, where=str(path))


def config_from_dict(data: dict[str, Any], where: str = "config") -> RunConfig:
    """Validate a config mapping (as read from TOML)."""
    valid = [*_TYPES, "options"]
    config = RunConfig()
    for key, value in data.items():
        if key not in valid:
            raise ConfigError(f"{where}: " + unknown_name_message("setting", key, valid))
        if key == "options":
            if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
                raise ConfigError(
                    f"{where}: [options] must hold one table per step, e.g. [options.fix_mojibake]"
                )
            config.options = {name: dict(opts) for name, opts in value.items()}
            continue
        try:
            converted = coerce(value, _TYPES[key])
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{where}: setting {key!r} got {value!r}: {exc}") from None
        setattr(config, key, list(converted) if isinstance(converted, tuple) else converted)
    return config


def parse_assignment(text: str) -> tuple[str, str, Any]:
    """Parse ``step.option=value`` from ``--set``; the value is read as TOML when it can be."""
    if "=" not in text or "." not in text.split("=", 1)[0]:
        raise ConfigError(f"--set expects STEP.OPTION=VALUE, got {text!r}")
    key, raw_value = text.split("=", 1)
    step, name = key.strip().split(".", 1)
    try:
        value = tomllib.loads(f"v = {raw_value}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw_value  # a bare word: keep it as a string
    return step, name.strip(), value
