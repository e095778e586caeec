"""Shared fixtures. Tests see only built-in plugins unless a test registers more."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

# Plugins installed on this machine must not change test results.
os.environ["CLEANKIT_LOAD_PLUGINS"] = ""
os.environ.pop("CLEANKIT_DISABLE_PLUGINS", None)

from cleankit.plugins import reset_registry

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def load_benchmark(name: str) -> ModuleType:
    """The script ``benchmarks/NAME.py`` as a module (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location(
        f"cleankit_bench_{name}", REPO / "benchmarks" / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def _fresh_registry():
    """Each test starts from the built-in registry."""
    reset_registry()
    yield
    reset_registry()


@pytest.fixture
def corpus(tmp_path: Path):
    """Make an input folder from ``{relative path: str | bytes}``."""

    def make(files: dict[str, str | bytes], name: str = "in") -> Path:
        root = tmp_path / name
        root.mkdir(parents=True, exist_ok=True)
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", newline="")
        return root

    return make
