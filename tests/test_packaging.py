"""The built wheel ships the right packages, the plugin template and the built-in plugins."""

from __future__ import annotations

import configparser
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[zipfile.ZipFile]:
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "-q",
            "-w",
            str(out),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    [path] = out.glob("cleankit-*.whl")
    with zipfile.ZipFile(path) as zf:
        yield zf


def _dist_info_file(wheel: zipfile.ZipFile, name: str) -> str:
    [member] = [
        n
        for n in wheel.namelist()
        if n.split("/")[0].endswith(".dist-info") and n.endswith("/" + name)
    ]
    return wheel.read(member).decode("utf-8")


def test_top_level_packages(wheel: zipfile.ZipFile) -> None:
    top = {n.split("/")[0] for n in wheel.namelist() if not n.split("/")[0].endswith(".dist-info")}
    assert top == {"cleankit", "cleankit_plugins"}
    assert "cleankit/__init__.py" in wheel.namelist()
    assert "cleankit_plugins/__init__.py" in wheel.namelist()
    assert not [n for n in wheel.namelist() if "__pycache__" in n or n.endswith(".pyc")]


def test_plugin_template_is_inside(wheel: zipfile.ZipFile) -> None:
    source = REPO / "cleankit" / "plugin_template"
    expected = {
        "cleankit/" + p.relative_to(REPO / "cleankit").as_posix()
        for p in source.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    shipped = {n for n in wheel.namelist() if n.startswith("cleankit/plugin_template/")}
    assert expected, "the plugin template is missing from the source tree"
    assert shipped == expected
    assert "cleankit/plugin_template/pyproject.toml.tmpl" in shipped


def test_entry_points_list_builtin_plugins(wheel: zipfile.ZipFile) -> None:
    parser = configparser.ConfigParser(delimiters=("=",))
    parser.optionxform = str  # keep names as written
    parser.read_string(_dist_info_file(wheel, "entry_points.txt"))
    shipped = {name: value.strip() for name, value in parser["cleankit"].items()}

    declared = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert shipped == declared["project"]["entry-points"]["cleankit"]
    builtins = {"fix_mojibake", "normalize_whitespace", "text_folder", "documents_jsonl"}
    assert builtins <= set(shipped)
    for module in shipped.values():  # every built-in plugin module is in the wheel
        assert module.replace(".", "/") + ".py" in wheel.namelist()
    assert parser["console_scripts"]["cleankit"].strip() == "cleankit.cli:main"
