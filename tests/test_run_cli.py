"""End to end: `cleankit run` on folders, bad input, determinism across worker counts."""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO
from test_pipeline import TestPlugin
from typer.testing import CliRunner

import cleankit.plugins
from cleankit import Pipeline, run
from cleankit.cli import app
from cleankit.testing import registry_with

SHARED = REPO.parent / "shared"
runner = CliRunner()

MIXED = {
    "plain.txt": "A plain story.\n\nIt has two paragraphs.\n",
    "mojibake.txt": "The caf\u00c3\u00a9 re-opened \u00e2\u20ac\u201d finally.\r\n",
    "legacy.txt": "Caf\u00e9 society \u2013 na\u00efve and proud.".encode("cp1252"),
    "bom16.txt": "Wide \u00fcnicode text.".encode("utf-16"),
    "bom8.txt": codecs.BOM_UTF8 + b"With a mark.",
    "empty.txt": "",
    "picture.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    "nested/deeper/story.md": "Nested   story.",
    ".hidden.txt": "never read",
    "data.json": "{}",
}


def records(out: Path) -> dict[str, dict]:
    lines = (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    return {r["id"]: r for r in map(json.loads, lines)}


def errors(out: Path) -> dict[str, dict]:
    lines = (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()
    return {r["id"]: r for r in map(json.loads, lines)}


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_run_mixed_folder(corpus, tmp_path):
    src = corpus(MIXED)
    out = tmp_path / "out"
    result = invoke("run", src, "-o", out)
    assert result.exit_code == 0, result.output
    recs, errs = records(out), errors(out)
    expected_inputs = {k for k in MIXED if not k.startswith(".") and not k.endswith(".json")}
    assert set(recs) | set(errs) == expected_inputs  # nothing lost
    assert set(errs) == {"picture.txt"}
    assert errs["picture.txt"]["kind"] == "skipped" and "binary" in errs["picture.txt"]["error"]
    assert recs["mojibake.txt"]["text"] == "The caf\u00e9 re-opened \u2014 finally."
    assert recs["legacy.txt"]["meta"]["encoding"] == "cp1252"
    assert recs["legacy.txt"]["text"] == "Caf\u00e9 society \u2013 na\u00efve and proud."
    assert recs["bom16.txt"]["meta"]["encoding"] == "utf-16-bom"
    assert recs["empty.txt"]["text"] == ""
    assert recs["nested/deeper/story.md"]["text"] == "Nested story."
    assert (out / "text" / "nested" / "deeper" / "story.md").read_text() == "Nested story."
    for rec in recs.values():
        assert set(rec) == {
            "id",
            "source",
            "text",
            "meta",
            "spans",
            "alignment",
            "captions",
            "restored",
        }
        raw = Path(rec["source"]).read_bytes()
        assert Path(rec["source"]).name == Path(rec["id"]).name
        if rec["meta"]["encoding"] == "utf-8":
            raw_text = raw.decode("utf-8")
            for t, r, n in rec["alignment"]:
                assert rec["text"][t : t + n] == raw_text[r : r + n]
    report = json.loads((out / "report.json").read_text())
    assert report["documents"] == {"read": 7, "written": 7, "skipped": 1, "failed": 0}
    assert report["steps"]["fix_mojibake"]["documents_changed"] == 1
    assert report["steps"]["normalize_whitespace"]["chars_removed"]["whitespace"] > 0
    assert [s["name"] for s in report["pipeline"]] == Pipeline().names
    assert not list(out.rglob("*.partial"))


def test_inputs_are_never_modified(corpus, tmp_path):
    src = corpus(MIXED)
    before = {p: p.read_bytes() for p in src.rglob("*") if p.is_file()}
    assert invoke("run", src, "-o", tmp_path / "out").exit_code == 0
    assert {p: p.read_bytes() for p in src.rglob("*") if p.is_file()} == before


def test_output_identical_for_one_and_two_workers(corpus, tmp_path):
    files = {
        f"d{i:02d}/doc{i}.txt": f"Story {i}  caf\u00c3\u00a9\r\n\r\n\r\nend {i} " * (i % 5 + 1)
        for i in range(23)
    }
    files["bad.txt"] = b"\x00\x01binary"
    src = corpus(files)
    outputs = []
    for workers in (1, 2):
        out = tmp_path / f"out{workers}"
        result = invoke("run", src, "-o", out, "--workers", workers, "--shard-size", 4, "-q")
        assert result.exit_code == 0, result.output
        outputs.append(out)
    one, two = outputs
    for name in ("documents.jsonl", "errors.jsonl"):
        assert (one / name).read_bytes() == (two / name).read_bytes()
    texts = sorted(p.relative_to(one / "text") for p in (one / "text").rglob("*") if p.is_file())
    assert len(texts) == 23
    for rel in texts:
        assert (one / "text" / rel).read_bytes() == (two / "text" / rel).read_bytes()
    r1, r2 = (json.loads((o / "report.json").read_text()) for o in outputs)
    assert r1["documents"] == r2["documents"] and r1["shards"] == r2["shards"] == 6


def test_failing_step_is_recorded_and_run_goes_on(corpus, tmp_path):
    src = corpus({"a.txt": "fine", "b.txt": "boom here", "c.txt": "also fine"})
    registry = registry_with(TestPlugin)
    result = run(src, tmp_path / "out", Pipeline(["explode"], registry=registry), registry=registry)
    assert not result.ok and result.failed == 1
    assert set(records(tmp_path / "out")) == {"a.txt", "c.txt"}
    err = errors(tmp_path / "out")["b.txt"]
    assert err["step"] == "explode" and err["kind"] == "error" and "kaboom" in err["error"]
    assert "RuntimeError" in err["traceback"]


def test_failing_step_gives_exit_code_1(corpus, tmp_path, monkeypatch):
    registry = registry_with(TestPlugin)
    monkeypatch.setattr(cleankit.plugins, "get_registry", lambda: registry)
    monkeypatch.setattr(cleankit.pipeline, "get_registry", lambda: registry)
    monkeypatch.setattr(cleankit.cli, "get_registry", lambda: registry)
    src = corpus({"a.txt": "fine", "b.txt": "boom"})
    result = invoke("run", src, "-o", tmp_path / "out", "--steps", "explode")
    assert result.exit_code == 1
    assert "1 failed" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--steps", "fix_mojibak"], "did you mean 'fix_mojibake'"),
        (
            ["--set", "normalize_whitespace.max_blank=2"],
            "unknown option for step 'normalize_whitespace'",
        ),
        (["--set", "normalize_whitespace.max_blank_lines=lots"], "expects int"),
        (["--set", "nonsense"], "STEP.OPTION=VALUE"),
        (["--writers", "documents,pdf"], "unknown writer: 'pdf'"),
    ],
)
def test_bad_configuration_is_a_clear_error(corpus, tmp_path, args, message):
    src = corpus({"a.txt": "x"})
    result = invoke("run", src, "-o", tmp_path / "out", *args)
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_output_inside_input_is_refused(corpus):
    src = corpus({"a.txt": "x"})
    for out in (src, src / "out", src / "a" / "b"):
        result = invoke("run", src, "-o", out)
        assert result.exit_code == 2
        assert "inside the input folder" in " ".join(result.output.split())
    assert sorted(p.name for p in src.iterdir()) == ["a.txt"]


def test_missing_input(tmp_path):
    result = invoke("run", tmp_path / "nope", "-o", tmp_path / "out")
    assert result.exit_code == 2 and "does not exist" in result.output


def test_non_empty_output_needs_overwrite(corpus, tmp_path):
    src = corpus({"a.txt": "x", "b.txt": "y"})
    out = tmp_path / "out"
    assert invoke("run", src, "-o", out).exit_code == 0
    result = invoke("run", src, "-o", out)
    assert result.exit_code == 2 and "--overwrite" in result.output
    (src / "b.txt").unlink()
    (out / "notes.md").write_text("mine")
    assert invoke("run", src, "-o", out, "--overwrite").exit_code == 0
    assert set(records(out)) == {"a.txt"}
    assert not (out / "text" / "b.txt").exists()  # a previous run's file does not linger
    assert (out / "notes.md").read_text() == "mine"  # other files are left alone


def test_config_file_and_flags_override_it(corpus, tmp_path):
    src = corpus({"a.txt": "a\n\n\n\nb   c"})
    config = tmp_path / "cleankit.toml"
    config.write_text(
        'steps = ["normalize_whitespace"]\n[options.normalize_whitespace]\nmax_blank_lines = 0\n'
    )
    assert invoke("run", src, "-o", tmp_path / "o1", "-c", config).exit_code == 0
    assert records(tmp_path / "o1")["a.txt"]["text"] == "a\nb c"
    result = invoke(
        "run",
        src,
        "-o",
        tmp_path / "o2",
        "-c",
        config,
        "--set",
        "normalize_whitespace.max_blank_lines=2",
    )
    assert result.exit_code == 0
    assert records(tmp_path / "o2")["a.txt"]["text"] == "a\n\n\nb c"
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.cleankit]\nsteps = ["fix_mojibake"]\n')
    assert invoke("run", src, "-o", tmp_path / "o3", "-c", pyproject).exit_code == 0
    assert records(tmp_path / "o3")["a.txt"]["text"] == "a\n\n\n\nb   c"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("steps = [", "not valid TOML"),
        ("stepz = []", "unknown setting: 'stepz'; did you mean 'steps'?"),
        ("workers = 'two'", "setting 'workers'"),
        ("[options]\nfix_mojibake = 3", "one table per step"),
    ],
)
def test_bad_config_file(corpus, tmp_path, content, message):
    config = tmp_path / "bad.toml"
    config.write_text(content)
    result = invoke("run", corpus({"a.txt": "x"}), "-o", tmp_path / "out", "-c", config)
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())


def test_include_and_exclude(corpus, tmp_path):
    src = corpus({"a.txt": "a", "b.log": "b", "skip/c.txt": "c", "d.txt": "d"})
    result = invoke(
        "run",
        src,
        "-o",
        tmp_path / "out",
        "--include",
        "*.txt",
        "--include",
        "*.log",
        "--exclude",
        "skip",
        "--exclude",
        "d.txt",
    )
    assert result.exit_code == 0
    assert set(records(tmp_path / "out")) == {"a.txt", "b.log"}


def test_single_file_input(tmp_path):
    f = tmp_path / "one.txt"
    f.write_text("one  file")
    assert invoke("run", f, "-o", tmp_path / "out").exit_code == 0
    assert records(tmp_path / "out")["one.txt"]["text"] == "one file"


def test_steps_and_plugins_commands():
    result = invoke("steps", "--json")
    steps = {s["name"]: s for s in json.loads(result.output)}
    assert steps["fix_mojibake"]["default_pipeline"]
    assert {o["name"] for o in steps["normalize_whitespace"]["options"]} >= {"max_blank_lines"}
    plugins = json.loads(invoke("plugins", "--json").output)
    builtin = {p["name"]: p for p in plugins}
    assert builtin["fix_mojibake"]["distribution"] == "cleankit"
    assert builtin["fix_mojibake"]["steps"] == ["fix_mojibake"]
    assert builtin["text_folder"]["readers"] == ["text"]
    text = invoke("steps").output
    assert "fix_mojibake" in text and "max_blank_lines" in text
    assert "fix_mojibake" in invoke("plugins").output


def test_explain(tmp_path):
    f = tmp_path / "page.txt"
    f.write_text("The caf\u00c3\u00a9 is open.\n\n\n\nBye  now.")
    result = invoke("explain", f)
    assert result.exit_code == 0
    out = result.output
    assert "fix_mojibake" in out and "mojibake" in out and "decode" in out
    assert "normalize_whitespace" in out and "extra blank line" in out
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x00\x01\x02")
    assert invoke("explain", binary).exit_code == 2


def test_real_process_exit_codes_and_no_traceback(corpus, tmp_path):
    src = corpus({"a.txt": "x"})
    env = {k: v for k, v in os.environ.items()}
    cmd = [sys.executable, "-m", "cleankit.cli", "run", str(src), "-o", str(src / "out")]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
    assert proc.returncode == 2
    assert "inside the input folder" in proc.stderr and "Traceback" not in proc.stderr
    cmd = [sys.executable, "-m", "cleankit.cli", "run", str(src), "-o", str(tmp_path / "ok")]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr
    assert "1 written" in proc.stdout


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="shared seeds not beside the checkout")
def test_seeds_satisfy_the_record_contract(tmp_path):
    out = tmp_path / "out"
    assert invoke("run", SHARED / "seeds", "-o", out, "-q").exit_code == 0
    inputs = sorted(p.name for p in (SHARED / "seeds").iterdir())
    assert sorted(records(out)) == inputs
    checker = SHARED / "eval" / "check_output.py"
    if checker.exists():
        proc = subprocess.run(
            [sys.executable, str(checker), str(SHARED / "seeds"), str(out)],
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stdout


def test_input_inside_what_the_run_replaces_is_refused(corpus, tmp_path):
    out = tmp_path / "out"
    assert invoke("run", corpus({"a.txt": "x"}), "-o", out).exit_code == 0
    result = invoke("run", out / "text", "-o", out, "--overwrite")
    assert result.exit_code == 2 and "which the run replaces" in " ".join(result.output.split())
    assert (out / "text" / "a.txt").exists()


def test_overwrite_keeps_old_output_until_the_new_run_finishes(corpus, tmp_path):
    src = corpus({"a.txt": "first"})
    out = tmp_path / "out"
    assert invoke("run", src, "-o", out).exit_code == 0
    (out / ".documents.jsonl.x.partial").write_text("left by a killed run")
    assert invoke("run", src, "-o", out, "--overwrite", "--writers", "text").exit_code == 0
    # documents.jsonl came from the earlier run's writer, which this run did not use
    assert not (out / "documents.jsonl").exists()
    assert (out / "text" / "a.txt").read_text() == "first"
    report = json.loads((out / "report.json").read_text())
    assert report["files"] == ["text", "errors.jsonl", "report.json"]
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_patterns_with_a_slash_match_from_the_input_folder(corpus, tmp_path):
    src = corpus({"sub/a.txt": "a", "x/sub/b.txt": "b", "c.txt": "c", ".git/d.txt": "d"})
    assert invoke("run", src, "-o", tmp_path / "o1", "--include", "sub/*.txt").exit_code == 0
    assert set(records(tmp_path / "o1")) == {"sub/a.txt"}
    assert invoke("run", src, "-o", tmp_path / "o2", "--include", "**/sub/*.txt").exit_code == 0
    assert set(records(tmp_path / "o2")) == {"sub/a.txt", "x/sub/b.txt"}
    result = invoke("run", src, "-o", tmp_path / "o3", "--exclude", "x,c.txt")
    assert result.exit_code == 0
    assert set(records(tmp_path / "o3")) == {"sub/a.txt"}  # hidden .git stays out too


def test_report_separates_removed_and_replaced(corpus, tmp_path):
    src = corpus({"a.txt": "caf\u00c3\u00a9   bar"})
    assert invoke("run", src, "-o", tmp_path / "out", "-q").exit_code == 0
    steps = json.loads((tmp_path / "out" / "report.json").read_text())["steps"]
    assert steps["fix_mojibake"]["chars_replaced"] == {"mojibake": 2}
    assert steps["fix_mojibake"]["chars_removed"] == {}
    assert steps["normalize_whitespace"]["chars_removed"] == {"whitespace": 2}
