"""``cleankit new-plugin``: write a new plugin distribution from the bundled template."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from cleankit.errors import ConfigError, InputError

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def create_plugin(name: str, directory: Path) -> Path:
    """Render the template for plugin ``name`` into ``directory/cleankit-<name>``."""
    name = name.strip().lower().replace("-", "_")
    if not _NAME.match(name):
        raise ConfigError(
            f"plugin name {name!r} must start with a letter and use only a-z, 0-9 and _"
        )
    from cleankit.plugins import get_registry

    registry = get_registry()
    if name in registry.steps or name in {p.name for p in registry.plugins}:
        raise ConfigError(f"{name!r} is already a plugin or step name; choose a name of your own")
    target = directory / f"cleankit-{name.replace('_', '-')}"
    if target.exists():
        raise InputError(f"{str(target)!r} already exists; choose another name or folder")
    values = {
        "name": name,
        "dist": f"cleankit-{name.replace('_', '-')}",
        "module": f"cleankit_{name}",
        "class_name": "".join(part.capitalize() for part in name.split("_")),
    }
    root = resources.files("cleankit") / "plugin_template"
    _render(root, target, values)
    return target


def _render(source, target: Path, values: dict[str, str]) -> None:
    for entry in source.iterdir():
        name = entry.name
        if name == "__pycache__":
            continue
        rendered_name = name.removesuffix(".tmpl")
        for key, value in values.items():
            rendered_name = rendered_name.replace(f"__{key}__", value)
        if entry.is_dir():
            _render(entry, target / rendered_name, values)
            continue
        text = entry.read_text(encoding="utf-8")
        for key, value in values.items():
            text = text.replace("{{" + key + "}}", value)
        (target / rendered_name).parent.mkdir(parents=True, exist_ok=True)
        (target / rendered_name).write_text(text, encoding="utf-8")
