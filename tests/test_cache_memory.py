"""benchmarks/cache_memory.py fills the per-word caches and measures what they hold."""

from __future__ import annotations

import pytest
from conftest import load_benchmark

from cleankit import Document, Pipeline, prose
from cleankit_plugins import sentence_index, surface_forms


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


def test_a_timed_run_can_start_with_every_cache_empty():
    # The benchmarks time each run as cold as a fresh process: nothing a previous run
    # remembered may make it faster.
    benchtools = load_benchmark("benchtools")
    text = "Rain fell on the harbour.\nForces launched it, officials said.\n"
    list(Pipeline().clean_corpus([Document(text, id="a"), Document(text.lower(), id="b")]))
    caches = benchtools.word_caches()
    assert any(cached.cache_info().currsize for cached in caches.values())
    benchtools.empty_word_caches()
    assert all(cached.cache_info().currsize == 0 for cached in caches.values())
    assert prose.line_features.cache_info().currsize == 0
    assert not sentence_index._written_keys
    traits = surface_forms._traits
    assert not (traits.code or traits.bare or traits.key)
