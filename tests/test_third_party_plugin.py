"""Third-party plugins: the rendered template installs and runs; bad plugins fail clearly.

The venv tests install the plugin made by ``cleankit new-plugin`` into a fresh virtual
environment (which sees this environment's packages through a ``.pth`` file, so no network
is needed) and drive it through ``python -m cleankit.cli`` as a user would.
"""

from __future__ import annotations

import importlib
import json
import os
import site
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cleankit import Pipeline
from cleankit.errors import PluginError
from cleankit.plugins import PluginWarning, load_registry
from cleankit.template import create_plugin

PLUGIN = "shout_test"
DIST = "cleankit-shout-test"
MODULE = "cleankit_shout_test"


# -- an installed plugin, in its own virtual environment ------------------------------------


@dataclass
class Venv:
    python: Path
    plugin_dir: Path

    def run(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        """Run the venv's python with CLEANKIT_LOAD_PLUGINS unset (load all plugins)."""
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("CLEANKIT_LOAD_PLUGINS", "CLEANKIT_DISABLE_PLUGINS", "PYTHONPATH")
        }
        return subprocess.run(
            [str(self.python), *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )


def _site_dirs() -> list[str]:
    """Every site-packages folder of this interpreter (the editable cleankit and its deps)."""
    dirs = [
        *site.getsitepackages(),
        *(p for p in sys.path if Path(p).name in ("site-packages", "dist-packages")),
    ]
    if site.ENABLE_USER_SITE:
        dirs.append(site.getusersitepackages())
    return [d for d in dict.fromkeys(dirs) if Path(d).is_dir()]


def _make_venv(root: Path, plugin_dir: Path) -> Venv:
    """A new venv under ``root`` that also sees this environment's site-packages."""
    env_dir = root / "venv"
    # No pip of its own: the pip of this environment is visible through the .pth file.
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True, timeout=120
    )
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    lines = "".join(f"import site; site.addsitedir({d!r})\n" for d in _site_dirs())
    (Path(purelib) / "_cleankit_outer_env.pth").write_text(lines, encoding="utf-8")
    return Venv(python, plugin_dir)


def _install(venv: Venv, *args: str) -> None:
    installed = venv.run(
        "-m",
        "pip",
        "install",
        "--no-deps",
        "--no-build-isolation",
        "--disable-pip-version-check",
        "-q",
        *args,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    root = tmp_path_factory.mktemp("third_party")
    venv = _make_venv(root, create_plugin(PLUGIN, root))
    _install(venv, str(venv.plugin_dir))
    # The plugin went into the new venv, not into this environment.
    assert not any((Path(d) / f"{MODULE}.py").exists() for d in _site_dirs())
    return venv


@pytest.mark.slow
def test_template_renders_a_distribution(venv: Venv) -> None:
    paths = [p for p in venv.plugin_dir.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    files = {p.relative_to(venv.plugin_dir).as_posix() for p in paths}
    assert files == {"pyproject.toml", "README.md", f"{MODULE}.py", f"tests/test_{PLUGIN}.py"}
    text = "\n".join(p.read_text(encoding="utf-8") for p in paths)
    assert "{{" not in text and "__module__" not in text
    assert f'{PLUGIN} = "{MODULE}"' in (venv.plugin_dir / "pyproject.toml").read_text("utf-8")


@pytest.mark.slow
def test_plugins_command_lists_it(venv: Venv) -> None:
    result = venv.run("-m", "cleankit.cli", "plugins", "--json")
    assert result.returncode == 0, result.stderr
    [plugin] = [p for p in json.loads(result.stdout) if p["name"] == PLUGIN]
    assert plugin["distribution"] == DIST
    assert plugin["version"] == "0.1.0"
    assert plugin["module"] == MODULE
    assert plugin["builtin"] is False
    assert plugin["steps"] == [PLUGIN]
    assert plugin["error"] is None
    assert "PluginWarning" not in result.stderr


@pytest.mark.slow
def test_steps_command_lists_it(venv: Venv) -> None:
    result = venv.run("-m", "cleankit.cli", "steps")
    assert result.returncode == 0, result.stderr
    assert PLUGIN in result.stdout
    assert "markers" in result.stdout


@pytest.mark.slow
def test_run_command_uses_it(venv: Venv, tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_text(
        "Headline\n***\nFirst   paragraph.\n\nAdvertisement\n\nEnd.\n", encoding="utf-8"
    )
    (source / "b.txt").write_text("Nothing to remove here.", encoding="utf-8")
    out = tmp_path / "out"
    result = venv.run(
        "-m",
        "cleankit.cli",
        "run",
        str(source),
        "-o",
        str(out),
        "-q",
        "--steps",
        f"{PLUGIN},normalize_whitespace",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    records = {r["id"]: r for r in map(json.loads, lines)}
    a = records["a.txt"]
    assert a["text"] == "Headline\nFirst paragraph.\n\nEnd."
    raw = (source / "a.txt").read_text(encoding="utf-8")
    removed = [raw[s["start"] : s["end"]] for s in a["spans"] if s["step"] == PLUGIN]
    assert removed == ["***\n", "Advertisement\n"]
    assert records["b.txt"]["text"] == "Nothing to remove here."


@pytest.mark.slow
def test_template_tests_pass(venv: Venv) -> None:
    tests = str(venv.plugin_dir / "tests")
    result = venv.run("-m", "pytest", "-q", "-p", "no:cacheprovider", tests, cwd=venv.plugin_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 passed" in result.stdout


@pytest.mark.slow
def test_editable_install_follows_edits(tmp_path: Path) -> None:
    """The README's ``pip install -e .``: edits to the module apply without reinstalling."""
    venv = _make_venv(tmp_path, create_plugin("shout_edit", tmp_path))
    _install(venv, "-e", str(venv.plugin_dir))
    result = venv.run("-m", "cleankit.cli", "plugins", "--json")
    assert result.returncode == 0, result.stderr
    [plugin] = [p for p in json.loads(result.stdout) if p["name"] == "shout_edit"]
    assert (plugin["distribution"], plugin["steps"]) == ("cleankit-shout-edit", ["shout_edit"])

    module = venv.plugin_dir / "cleankit_shout_edit.py"
    source = module.read_text(encoding="utf-8")
    summary = "Remove lines that consist only of a marker"
    assert summary in source
    module.write_text(source.replace(summary, "Edited summary: drop marker lines"), "utf-8")
    result = venv.run("-m", "cleankit.cli", "steps", "--json")
    assert result.returncode == 0, result.stderr
    [step] = [s for s in json.loads(result.stdout) if s["name"] == "shout_edit"]
    assert step["summary"].startswith("Edited summary")


# -- fake installed distributions, without a venv -------------------------------------------


@pytest.fixture
def fake_dist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator:
    """Install a one-module distribution on sys.path and load only it among third parties."""
    modules: list[str] = []
    monkeypatch.syspath_prepend(str(tmp_path))

    def make(dist: str, entry_point: str, source: str) -> None:
        module = dist.replace("-", "_")
        info = tmp_path / f"{module}-1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n", encoding="utf-8"
        )
        (info / "entry_points.txt").write_text(
            f"[cleankit]\n{entry_point} = {module}\n", encoding="utf-8"
        )
        (tmp_path / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        modules.append(module)
        monkeypatch.setenv("CLEANKIT_LOAD_PLUGINS", entry_point)
        importlib.invalidate_caches()

    yield make
    for module in modules:
        sys.modules.pop(module, None)
    importlib.invalidate_caches()


def test_broken_plugin_warns_and_the_rest_works(fake_dist) -> None:
    fake_dist("cleankit-broken-demo", "broken_demo", "raise RuntimeError('boom on import')\n")
    with pytest.warns(PluginWarning, match="broken_demo") as caught:
        registry = load_registry()
    [warning] = [w for w in caught if issubclass(w.category, PluginWarning)]
    message = str(warning.message)
    assert "cleankit-broken-demo" in message
    assert "RuntimeError: boom on import" in message

    [info] = [p for p in registry.plugins if p.name == "broken_demo"]
    assert info.error and "boom on import" in info.error
    assert info.steps == []
    assert "normalize_whitespace" in registry.steps
    doc = Pipeline(["fix_mojibake", "normalize_whitespace"], registry=registry).clean("a  b ")
    assert doc.text == "a b"


def test_step_name_clash_with_builtin_names_both_distributions(fake_dist) -> None:
    fake_dist(
        "cleankit-clash-demo",
        "clash_demo",
        """
        from cleankit import Step, hookimpl


        class NotWhitespace(Step):
            name = "normalize_whitespace"

            def apply(self, doc):
                pass


        @hookimpl
        def cleankit_register_steps(register):
            register(NotWhitespace)
        """,
    )
    with pytest.raises(PluginError, match="normalize_whitespace") as raised:
        load_registry()
    message = str(raised.value)
    assert "distribution cleankit 0" in message  # the built-in owner comes first
    assert "distribution cleankit-clash-demo 1.0" in message
    assert message.index("distribution cleankit ") < message.index("cleankit-clash-demo")
