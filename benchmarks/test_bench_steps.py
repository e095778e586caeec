"""pytest-benchmark benchmarks of every default step, the default pipeline and ftfy.

Each benchmark cleans a fixed in-memory corpus of 200 generated news documents
(~1.1 MB, seed 7). Run them with::

    .venv/bin/python -m pytest benchmarks --benchmark-enable

The steps with a scan phase (``split_captions``, ``strip_boilerplate``,
``restore_stopwords``) scan the same documents first, outside the timing; the scan
phases are timed on their own in the ``scan corpus`` group. Documents are named by their
paths in the corpus, as ``cleankit run`` names them, since some steps count lines per
folder.

The project's pytest settings pass ``--benchmark-disable``; then every benchmark runs
its function once, on a few documents only (the first 12, the first with mojibake, the
first normalised copy and its original), as a quick smoke test.
"""

from __future__ import annotations

import sys
from pathlib import Path

import ftfy
import pytest

import cleankit
from cleankit import Document, Step

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # the generator next to this file

BENCH_DOCS = 200
SMOKE_DOCS = 12  # the first documents cleaned when benchmarks are disabled (one run each)
SEED = 7


@pytest.fixture(scope="module")
def all_docs() -> list[corpus.SyntheticDoc]:
    return list(corpus.iter_documents(BENCH_DOCS, seed=SEED))


def smoke_subset(docs: list[corpus.SyntheticDoc]) -> list[corpus.SyntheticDoc]:
    """The first documents, plus the first with mojibake and the first normalised copy
    with its original, in corpus order."""
    chosen = set(range(SMOKE_DOCS))
    by_path = {d.path: i for i, d in enumerate(docs)}
    mojibake = next(i for i, d in enumerate(docs) if "mojibake" in d.damage)
    copy = next(i for i, d in enumerate(docs) if d.original in by_path)
    chosen |= {mojibake, copy, by_path[docs[copy].original]}
    return [docs[i] for i in sorted(chosen)]


@pytest.fixture
def docs(all_docs: list[corpus.SyntheticDoc], benchmark) -> list[corpus.SyntheticDoc]:
    """The whole corpus when benchmarking, a few documents in a smoke run."""
    chosen = all_docs if benchmark.enabled else smoke_subset(all_docs)
    benchmark.extra_info["documents"] = len(chosen)
    benchmark.extra_info["megabytes"] = round(sum(len(d.text.encode()) for d in chosen) / 1e6, 3)
    return chosen


@pytest.fixture
def texts(docs: list[corpus.SyntheticDoc]) -> list[str]:
    return [d.text for d in docs]


def step(name: str) -> Step:
    """A fresh built-in step with its default options."""
    return cleankit.Pipeline([name]).steps[0]


def scanned(name: str, docs: list[corpus.SyntheticDoc]) -> Step:
    """A fresh step that has scanned ``docs`` (named by their paths)."""
    built = step(name)
    state = built.new_scan_state()
    for d in docs:
        state = built.scan(Document(d.text, id=d.path), state)
    built.use_scan_state(state)
    return built


def clean_all(built: Step, docs: list[corpus.SyntheticDoc]) -> list[Document]:
    """Run ``built`` alone on each document, named by its path."""
    out = []
    for d in docs:
        doc = Document(d.text, id=d.path)
        built(doc)
        out.append(doc)
    return out


def test_corpus_has_the_damage_it_promises(all_docs: list[corpus.SyntheticDoc]) -> None:
    joined = "".join(d.text for d in all_docs)
    assert "\r\n" in joined  # CRLF line ends
    assert "\u00a0" in joined  # no-break spaces
    assert " \n" in joined or " \r\n" in joined  # trailing spaces
    assert "\n\n\n" in joined or "\r\n\r\n\r\n" in joined  # runs of blank lines
    assert "\u00c3" in joined  # mojibake of an accented letter ('Ã')
    assert "\u201c" in joined and "\u2014" in joined  # correct curly quotes and dashes
    mojibake = sum("mojibake" in d.damage for d in all_docs)
    assert 0 < mojibake < 0.1 * len(all_docs)  # a few per cent
    copies = [d for d in all_docs if d.damage == ("normalized",)]
    assert copies and all(d.original for d in copies)
    assert corpus.texts(3, seed=SEED) == [d.text for d in all_docs[:3]]  # deterministic


@pytest.mark.benchmark(group="clean corpus")
def test_fix_mojibake(benchmark, texts: list[str]) -> None:
    fix = step("fix_mojibake")
    out = benchmark(lambda: [fix.clean(t).text for t in texts])
    assert out == [ftfy.fix_text(t, fix.config) for t in texts]
    assert not any("\u00c3\u00a9" in t for t in out)  # 'Ã©' (a mojibake é) repaired


@pytest.mark.benchmark(group="clean corpus")
def test_split_captions(benchmark, docs: list[corpus.SyntheticDoc]) -> None:
    captions = scanned("split_captions", docs)
    out = benchmark(lambda: clean_all(captions, docs))
    with_captions = [o for d, o in zip(docs, out, strict=True) if "captions" in d.damage]
    assert with_captions and any(o.captions for o in with_captions)


@pytest.mark.benchmark(group="clean corpus")
def test_extract_metadata(benchmark, docs: list[corpus.SyntheticDoc]) -> None:
    metadata = step("extract_metadata")
    out = benchmark(lambda: clean_all(metadata, docs))
    assert sum("title" in o.meta for o in out) > len(out) // 2


@pytest.mark.benchmark(group="clean corpus")
def test_strip_boilerplate(benchmark, docs: list[corpus.SyntheticDoc]) -> None:
    strip = scanned("strip_boilerplate", docs)
    out = benchmark(lambda: clean_all(strip, docs))
    furnished = [o for d, o in zip(docs, out, strict=True) if "furniture" in d.damage]
    assert any(len(o.text) < len(o.raw) for o in furnished)
    assert all(len(o.text) <= len(o.raw) for o in out)


@pytest.mark.benchmark(group="clean corpus")
def test_dedupe_paragraphs(benchmark, docs: list[corpus.SyntheticDoc]) -> None:
    dedupe = step("dedupe_paragraphs")
    out = benchmark(lambda: clean_all(dedupe, docs))
    assert all(len(o.text) <= len(o.raw) for o in out)


@pytest.mark.benchmark(group="clean corpus")
def test_restore_stopwords(benchmark, docs: list[corpus.SyntheticDoc]) -> None:
    restore = scanned("restore_stopwords", docs)
    out = benchmark(lambda: clean_all(restore, docs))
    paths = {d.path for d in docs}
    for d, o in zip(docs, out, strict=True):
        assert o.meta["normalized"] == (d.damage == ("normalized",))
        if d.original in paths:  # its original is in the corpus: most lines restored
            sources = [e["source"] for e in o.restored if e["original"] is not None]
            assert len(sources) > len(o.restored) // 2
            assert set(sources) == {d.original}


@pytest.mark.benchmark(group="clean corpus")
def test_normalize_whitespace(benchmark, texts: list[str]) -> None:
    spaces = step("normalize_whitespace")
    out = benchmark(lambda: [spaces.clean(t).text for t in texts])
    assert not any("\r" in t or "\u00a0" in t or "\n\n\n" in t for t in out)


@pytest.mark.benchmark(group="clean corpus")
def test_two_step_pipeline(benchmark, texts: list[str]) -> None:
    pipeline = cleankit.Pipeline(["fix_mojibake", "normalize_whitespace"])
    out = benchmark(lambda: [pipeline.process(Document(t)).text for t in texts])
    assert len(out) == len(texts)
    assert not any("\u00c3\u00a9" in t for t in out)  # 'Ã©' (a mojibake é) repaired


@pytest.mark.benchmark(group="clean corpus")
def test_default_pipeline(benchmark, docs: list[corpus.SyntheticDoc]) -> None:
    """Every default step, after the scan phases (a fresh pipeline each round)."""

    def run() -> list[Document]:
        pipeline = cleankit.Pipeline()
        pipeline.prepare(lambda: (Document(d.text, id=d.path) for d in docs))
        return [pipeline.process(Document(d.text, id=d.path)) for d in docs]

    out = benchmark(run)
    assert len(out) == len(docs)
    assert not any("\u00c3\u00a9" in o.text or "\r" in o.text for o in out)
    assert any(o.meta.get("restoration", {}).get("restored") for o in out)


@pytest.mark.benchmark(group="clean corpus")
def test_ftfy_fix_text_defaults(benchmark, texts: list[str]) -> None:
    out = benchmark(lambda: [ftfy.fix_text(t) for t in texts])
    assert len(out) == len(texts)


@pytest.mark.benchmark(group="clean corpus")
def test_ftfy_fix_text_step_config(benchmark, texts: list[str]) -> None:
    config = step("fix_mojibake").config._replace(explain=False)
    out = benchmark(lambda: [ftfy.fix_text(t, config) for t in texts])
    assert len(out) == len(texts)


@pytest.mark.benchmark(group="scan corpus")
@pytest.mark.parametrize("name", ["split_captions", "strip_boilerplate", "restore_stopwords"])
def test_scan(benchmark, docs: list[corpus.SyntheticDoc], name: str) -> None:
    """One step's scan phase over the corpus, as raw text (no step runs before it)."""
    built = step(name)

    def scan() -> object:
        state = built.new_scan_state()
        for d in docs:
            state = built.scan(Document(d.text, id=d.path), state)
        return state

    assert benchmark(scan) is not None
