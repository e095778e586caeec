"""benchmarks/cache_memory.py fills the per-word caches and measures what they hold."""

from __future__ import annotations

import pytest
from conftest import load_benchmark


@pytest.fixture(scope="module")
def cache_memory():
    return load_benchmark("cache_memory")


def test_every_cache_is_filled_from_empty_and_measured(cache_memory):
    words = cache_memory.english_words(400, seed=1)
    assert len(set(words)) == 400
    rows = cache_memory.measure(words)
    assert {row["cache"] for row in rows} == set(cache_memory.caches(words))
    for row in rows:
        # Every cache started empty and took each distinct word (or pair) once.
        assert row["entries"] in (399, 400), row
        assert row["megabytes"] > 0, row


def test_the_script_prints_a_table_and_writes_json(cache_memory, tmp_path, capsys):
    out = tmp_path / "caches.json"
    assert cache_memory.main(["--words", "200", "--json", str(out)]) == 0
    assert "glued pair keys" in capsys.readouterr().out
    written = out.read_text(encoding="utf-8").count('"cache"')
    assert written == len(cache_memory.caches(["a", "b"]))


def test_too_few_words_is_refused(cache_memory):
    with pytest.raises(SystemExit):
        cache_memory.main(["--words", "1"])
