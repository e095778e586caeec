"""Keep the docs honest: every hook, built-in step, option and CLI command is documented."""

from __future__ import annotations

import dataclasses
import inspect

import pytest
from conftest import REPO

from cleankit import hookspecs
from cleankit.cli import app
from cleankit.plugins import load_registry

DOCS = REPO / "docs"


def hook_names() -> list[str]:
    return [
        n for n, f in inspect.getmembers(hookspecs, inspect.isfunction) if n.startswith("cleankit_")
    ]


@pytest.mark.parametrize("hook", hook_names())
def test_every_hook_is_documented(hook):
    assert f"`{hook}" in (DOCS / "plugins.md").read_text(encoding="utf-8")


def builtin_steps():
    registry = load_registry()
    return [
        (name, cls) for name, cls in registry.steps.items() if registry.owner("step", name).builtin
    ]


@pytest.mark.parametrize(("name", "cls"), builtin_steps(), ids=[n for n, _ in builtin_steps()])
def test_every_builtin_step_and_option_is_documented(name, cls):
    text = (DOCS / "steps.md").read_text(encoding="utf-8")
    assert f"## `{name}`" in text
    for field in dataclasses.fields(cls.Options):
        assert f"`{field.name}`" in text, f"option {name}.{field.name} is not in docs/steps.md"


def test_every_command_is_documented():
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert f"cleankit {name}" in text
