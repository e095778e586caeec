"""pytest-benchmark benchmarks of the two built-in steps, the pipeline and ftfy.

Each benchmark cleans a fixed in-memory corpus of 200 generated news documents
(~1.1 MB). Run them with::

    .venv/bin/python -m pytest benchmarks --benchmark-enable

The project's pytest settings pass ``--benchmark-disable``; then every benchmark runs
its function once, on the first few documents only, as a quick smoke test.
"""

from __future__ import annotations

import sys
from pathlib import Path

import ftfy
import pytest

import cleankit
from cleankit import Document

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # the generator next to this file

BENCH_DOCS = 200
SMOKE_DOCS = 12  # documents cleaned when benchmarks are disabled (one run each)
SEED = 7


@pytest.fixture(scope="module")
def all_texts() -> list[str]:
    return corpus.texts(BENCH_DOCS, seed=SEED)


@pytest.fixture
def texts(all_texts: list[str], benchmark) -> list[str]:
    """The whole corpus when benchmarking, a few documents in a smoke run."""
    chosen = all_texts if benchmark.enabled else all_texts[:SMOKE_DOCS]
    benchmark.extra_info["documents"] = len(chosen)
    benchmark.extra_info["megabytes"] = round(sum(len(t.encode()) for t in chosen) / 1e6, 3)
    return chosen


@pytest.fixture(scope="module")
def steps():
    from cleankit_plugins.fix_mojibake import FixMojibake
    from cleankit_plugins.normalize_whitespace import NormalizeWhitespace

    return FixMojibake(), NormalizeWhitespace()


def test_corpus_has_the_damage_it_promises(all_texts: list[str]) -> None:
    joined = "".join(all_texts)
    assert "\r\n" in joined  # CRLF line ends
    assert "\u00a0" in joined  # no-break spaces
    assert " \n" in joined or " \r\n" in joined  # trailing spaces
    assert "\n\n\n" in joined or "\r\n\r\n\r\n" in joined  # runs of blank lines
    assert "\u00c3" in joined  # mojibake of an accented letter ('Ã')
    assert "\u201c" in joined and "\u2014" in joined  # correct curly quotes and dashes
    assert corpus.texts(3, seed=SEED) == all_texts[:3]  # deterministic


@pytest.mark.benchmark(group="clean corpus")
def test_fix_mojibake(benchmark, texts: list[str], steps) -> None:
    fix, _ = steps
    out = benchmark(lambda: [fix.clean(t).text for t in texts])
    assert out == [ftfy.fix_text(t, fix.config) for t in texts]


@pytest.mark.benchmark(group="clean corpus")
def test_normalize_whitespace(benchmark, texts: list[str], steps) -> None:
    _, spaces = steps
    out = benchmark(lambda: [spaces.clean(t).text for t in texts])
    assert not any("\r" in t or "\u00a0" in t or "\n\n\n" in t for t in out)


@pytest.mark.benchmark(group="clean corpus")
def test_pipeline(benchmark, texts: list[str], steps) -> None:
    pipeline = cleankit.Pipeline(list(steps))
    out = benchmark(lambda: [pipeline.process(Document(t)).text for t in texts])
    assert len(out) == len(texts)
    assert not any("\u00c3\u00a9" in t for t in out)  # 'Ã©' (a mojibake é) repaired


@pytest.mark.benchmark(group="clean corpus")
def test_ftfy_fix_text_defaults(benchmark, texts: list[str]) -> None:
    out = benchmark(lambda: [ftfy.fix_text(t) for t in texts])
    assert len(out) == len(texts)


@pytest.mark.benchmark(group="clean corpus")
def test_ftfy_fix_text_step_config(benchmark, texts: list[str], steps) -> None:
    config = steps[0].config
    out = benchmark(lambda: [ftfy.fix_text(t, config) for t in texts])
    assert len(out) == len(texts)
