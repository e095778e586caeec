"""The sentence index kept on disk: the same answers as in memory, stores that pickle by
reference and refuse to load when their files are gone, and scratch folders that go
with their owner or their run."""

from __future__ import annotations

import gc
import multiprocessing
import pickle
from array import array

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleankit import Document, Pipeline, run
from cleankit.checkpoint import WORK_DIR
from cleankit.scratch import scratch_folder, scratch_in
from cleankit_plugins import sentence_index
from cleankit_plugins.normalizer import Normalizer
from cleankit_plugins.sentence_index import SentenceIndex
from cleankit_plugins.sentence_store import SentenceStore

WORDS = st.sampled_from(
    [
        "harbour",
        "ferry",
        "storm",
        "engineers",
        "wall",
        "market",
        "repairs",
        "winter",
        "residents",
        "pumps",
        "cider",
        "valley",
        "frost",
        "growers",
        "council",
        "bridge",
    ]
)
SENTENCE = st.lists(WORDS, min_size=2, max_size=7).map(lambda w: " ".join(w).capitalize() + ".")
DOCUMENTS = st.lists(st.lists(SENTENCE, min_size=1, max_size=4).map(" ".join), max_size=12)


def store_with_two_batches() -> SentenceStore:
    store = SentenceStore()
    columns = [
        array("i", values) for values in ([0, 0, 1], [0, 6, 0], [5, 9, 4], [1, 7, 0], [6, 11, 4])
    ]
    store.append(
        columns,
        [("a.txt", "corpus", b"packed a"), ("b.txt", "corpus", b"b")],
        {
            "storm": array("i", [0, 2]),
            "road": array("i", [1]),
        },
    )
    store.append(
        [array("i", [value]) for value in (2, 0, 3, 0, 3)],
        [("c\udcff.txt", "originals", b"c")],
        {"storm": array("i", [3])},
    )
    return store


def test_a_store_reads_back_what_was_appended():
    store = store_with_two_batches()
    assert (store.sentences, store.documents, store.batches) == (4, 3, 2)
    assert store.rows(1, 3).tolist() == [[0, 6, 9, 7, 11], [1, 0, 4, 0, 4], [2, 0, 3, 0, 3]]
    assert store.document(0) == ("a.txt", "corpus", b"packed a")
    assert store.document(2) == ("c\udcff.txt", "originals", b"c")  # undecodable names too
    assert store.counts(["storm", "road", "absent"]) == {"storm": 3, "road": 1, "absent": 0}
    assert [p.tolist() for p in store.postings("storm")] == [[0, 2], [3]]
    assert store.postings("absent") == [] and store.counts([]) == {}


def test_counts_follow_what_is_appended():
    store = store_with_two_batches()
    assert store.counts(["storm"]) == {"storm": 3}
    assert store.counts(key for key in ("road", "storm")) == {"road": 1, "storm": 3}
    store.append(
        [array("i", [value]) for value in (3, 0, 1, 0, 1)],
        [("d", "corpus", b"d")],
        {"storm": array("i", [4])},
    )
    assert store.counts(["storm"]) == {"storm": 4}


def test_a_store_pickles_by_reference_and_refuses_missing_files():
    store = store_with_two_batches()
    data = pickle.dumps(store)
    assert len(data) < 1000  # the folder and the counts, not the data
    copy = pickle.loads(data)
    assert copy.document(1) == store.document(1)
    assert copy.rows(0, 3).tolist() == store.rows(0, 3).tolist()
    (store.folder / "texts.bin").write_bytes(b"short")
    with pytest.raises(FileNotFoundError, match=r"texts\.bin"):
        pickle.loads(data)
    (store.folder / "postings.sqlite").unlink()
    (store.folder / "texts.bin").write_bytes(b"packed abc")
    with pytest.raises(FileNotFoundError, match="postings"):
        pickle.loads(data)


def test_gathered_postings_read_as_the_batches_they_were_gathered_from(monkeypatch):
    store = store_with_two_batches()
    before = pickle.dumps(store)
    store.gather()
    assert store.gathered == 2
    assert [p.tolist() for p in store.postings("storm")] == [[0, 2, 3]]
    assert store.counts(["storm", "road", "absent"]) == {"storm": 3, "road": 1, "absent": 0}
    # A batch added after gathering is read from its rows, after the gathered ones.
    store.append(
        [array("i", [value]) for value in (3, 0, 1, 0, 1)],
        [("d", "corpus", b"d")],
        {"storm": array("i", [4]), "wall": array("i", [4])},
    )
    assert [p.tolist() for p in store.postings("storm")] == [[0, 2, 3], [4]]
    assert store.counts(["storm", "wall", "road"]) == {"storm": 4, "wall": 1, "road": 1}
    store.gather()
    assert store.gathered == 3 and [p.tolist() for p in store.postings("storm")] == [[0, 2, 3, 4]]
    assert store.counts(["storm", "wall"]) == {"storm": 4, "wall": 1}
    # A store saved before gathering (as a run saves its scan) finds the copy made for
    # its batches and does not make it again.
    monkeypatch.setattr(SentenceStore, "_write_gathered", lambda *args: pytest.fail("made again"))
    saved = pickle.loads(before)
    saved.gather()
    assert saved.gathered == 2 and [p.tolist() for p in saved.postings("storm")] == [[0, 2, 3]]


def test_a_gathering_cut_short_is_made_again():
    store = store_with_two_batches()
    # What a run killed while gathering leaves: part of the copy, and no table of places.
    (store.folder / "postings-2.i32").write_bytes(b"\0" * 3)
    (store.folder / "postings-2.sqlite.partial").write_bytes(b"not a database")
    store.gather()
    assert [p.tolist() for p in store.postings("storm")] == [[0, 2, 3]]
    assert not (store.folder / "postings-2.sqlite.partial").exists()


def test_a_gathered_store_pickles_and_refuses_a_missing_copy():
    store = store_with_two_batches()
    store.gather()
    data = pickle.dumps(store)
    assert [p.tolist() for p in pickle.loads(data).postings("storm")] == [[0, 2, 3]]
    (store.folder / "postings-2.i32").unlink()
    with pytest.raises(FileNotFoundError, match="gathered"):
        pickle.loads(data)


def _read_in_child(store: SentenceStore, answers) -> None:
    answers.put((store.document(1), store.counts(["storm"])))


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork")
@pytest.mark.parametrize("gathered", [False, True], ids=["rows", "gathered"])
def test_a_forked_process_opens_its_own_files(gathered):
    store = store_with_two_batches()
    if gathered:
        store.gather()
    store.counts(["storm"])  # this process's connections are open before the fork
    context = multiprocessing.get_context("fork")
    answers = context.Queue()
    child = context.Process(target=_read_in_child, args=(store, answers))
    child.start()
    assert answers.get(timeout=60) == (("b.txt", "corpus", b"b"), {"storm": 3})
    child.join()
    assert store.counts(["road"]) == {"road": 1}  # and this one's still works


def test_scratch_folders_go_with_their_owner_unless_a_run_holds_them(tmp_path):
    store = store_with_two_batches()
    folder = store.folder
    del store
    gc.collect()
    assert not folder.exists()
    with scratch_in(tmp_path / "run") as root:
        kept = SentenceStore()
        assert kept.folder.parent == root
        assert scratch_folder("other").parent == root
    folder = kept.folder
    del kept
    gc.collect()
    assert folder.exists()  # the run removes its own work folder


def index_of(documents: list[str], shard_size: int, *, on_disk: bool, limit: int) -> SentenceIndex:
    """An index of ``documents`` made as a run makes it: shard indexes merged in order."""
    merged = SentenceIndex(limit)
    if on_disk:
        merged.keep_on_disk()
    for first in range(0, len(documents), shard_size):
        shard = SentenceIndex(limit)
        for number, text in enumerate(documents[first : first + shard_size], first):
            shard.add(f"d{number}", text, None)
        merged.merge(shard)
    return merged


@settings(max_examples=80, deadline=None)
@given(DOCUMENTS, st.integers(1, 4), st.integers(1, 6), st.integers(5, 60), st.data())
def test_an_index_on_disk_answers_as_one_in_memory(documents, shard_size, spill, limit, data):
    in_memory = index_of(documents, shard_size, on_disk=False, limit=limit)
    old = sentence_index.SPILL_SENTENCES
    sentence_index.SPILL_SENTENCES = spill
    try:
        on_disk = index_of(documents, shard_size, on_disk=True, limit=limit)
    finally:
        sentence_index.SPILL_SENTENCES = old
    assert len(on_disk) == len(in_memory) and on_disk.dropped == in_memory.dropped
    assert on_disk.stored_sentences + len(on_disk.doc) == len(in_memory)
    travelled = pickle.loads(pickle.dumps(on_disk))
    gathered = pickle.loads(pickle.dumps(on_disk))
    gathered.ready_for_lookups()
    for _ in range(3):
        line = Normalizer().normalize(data.draw(SENTENCE)).split()
        expected = in_memory.lookup(line, count=4)
        assert on_disk.lookup(line, count=4) == expected
        assert travelled.lookup(line, count=4) == expected
        assert gathered.lookup(line, count=4) == expected
    for number in range(len(in_memory.sources)):
        assert on_disk.text(number) == in_memory.text(number)


def test_an_index_on_disk_is_merged_into_not_merged():
    on_disk = SentenceIndex()
    on_disk.keep_on_disk()
    old = sentence_index.SPILL_SENTENCES
    sentence_index.SPILL_SENTENCES = 1
    try:
        on_disk.add("a", "Storms closed the coast road. Officials expect repairs.")
    finally:
        sentence_index.SPILL_SENTENCES = old
    assert on_disk.store is not None and not on_disk.doc
    with pytest.raises(ValueError, match="merged into"):
        SentenceIndex().merge(on_disk)


def test_a_run_keeps_its_index_in_the_work_folder_and_resumes_from_it(tmp_path, monkeypatch):
    """A run whose index goes to disk after a few sentences, stopped after its scan,
    resumes from the saved scan state (which points into the work folder) to the output
    of a run that held its index in memory."""
    src = tmp_path / "in"
    src.mkdir()
    paragraphs = [
        "Storm Brannoch closed the harbour at Port Velling on {day}, and the ferry to the "
        "islands was cancelled for a second day.",
        "Engineers from the Velling Water Board said the sea wall had held, although a "
        "stretch near the old fish market was damaged.",
        "Residents of the low-lying Quay district were asked to stay with relatives until "
        "the pumps had cleared the flooded streets.",
    ]
    normalizer = Normalizer()
    for number in range(6):
        article = [p.format(day=f"day {number}") for p in paragraphs]
        (src / f"a{number}.txt").write_text("\n\n".join(article), encoding="utf-8")
        flat = "\n".join(normalizer.normalize(p) for p in article) + "\n"
        (src / f"flat{number}.txt").write_text(flat, encoding="utf-8")
    steps = ["restore_stopwords"]
    run(src, tmp_path / "reference", Pipeline(steps), shard_size=2)  # all in memory
    monkeypatch.setattr(sentence_index, "SPILL_SENTENCES", 3)

    class Stop(Exception):
        pass

    def stop_after_scan(_: int) -> None:  # called once the first shard is cleaned
        scratch = tmp_path / "out" / WORK_DIR / "scratch-0"
        assert any(scratch.rglob("sentences.i32"))
        assert any(scratch.rglob("postings-*.sqlite"))  # gathered for the lookups
        raise Stop

    with pytest.raises(Stop):
        run(src, tmp_path / "out", Pipeline(steps), shard_size=2, progress=stop_after_scan)
    run(src, tmp_path / "out", Pipeline(steps), shard_size=2, resume=True)
    assert not (tmp_path / "out" / WORK_DIR).exists()
    for name in ("documents.jsonl", "pairs.jsonl"):
        expected = (tmp_path / "reference" / name).read_bytes()
        assert (tmp_path / "out" / name).read_bytes() == expected
    restored = [
        line for line in (tmp_path / "out" / "pairs.jsonl").read_text().splitlines() if line
    ]
    assert restored  # the flat lines found their originals


def test_pipeline_prepare_still_holds_its_index_in_memory():
    # Outside a run the merged index is the pipeline's own, and small corpora stay fast.
    docs = [Document("Storms closed the coast road. Officials expect repairs.", id="a")]
    pipeline = Pipeline(["restore_stopwords"])
    pipeline.prepare(lambda: iter(docs))
    assert all(index.store is None for index in pipeline.steps[0]._indexes)
