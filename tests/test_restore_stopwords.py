"""restore_stopwords: detection, finding originals, alignment, surface forms, output."""

from __future__ import annotations

import json
import math
import pickle
from itertools import pairwise

import pytest
import simplemma
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cleankit import ConfigError, Document, Pipeline
from cleankit.cli import app
from cleankit_plugins import sentence_index, token_alignment
from cleankit_plugins.normalizer import Normalizer
from cleankit_plugins.restore_stopwords import (
    RestoreScan,
    RestoreStopwords,
    RestoreStopwordsOptions,
    _unpack_lines,
)
from cleankit_plugins.sentence_index import (
    Passage,
    SentenceIndex,
    index_keys,
    joined,
    split_sentences,
)
from cleankit_plugins.surface_forms import SurfaceForms
from cleankit_plugins.token_alignment import WordWeights, align, token_keys, word_keys

# Two articles in our own words, about invented places and people.
HARBOUR = (
    "Storm Brannoch closed the harbour at Port Velling on Tuesday, and the ferry to the "
    "islands was cancelled for a second day.\n\n"
    "Engineers from the Velling Water Board said the sea wall had held, although a "
    "200-metre stretch near the old fish market was damaged.\n\n"
    "The board's chief engineer, Mara al-Tessin, said repairs would cost about 1,500,000 "
    'euros and take most of the winter. "We were lucky this time," she told reporters.\n\n'
    "Residents of the low-lying Quay district were asked to stay with relatives until the "
    "pumps had cleared the flooded streets."
)
ORCHARD = (
    "Cider makers in the Harl valley expect their smallest harvest in a decade after a late "
    "frost destroyed the blossom on thousands of trees.\n\n"
    "The growers' co-operative in Emsby said prices for its apple juice would rise by a "
    "fifth next year.\n\n"
    "Several family farms have already sold their presses to larger producers in the south."
)
# A third outlet's rewording of one sentence of HARBOUR: an edited version, not the source.
REWORDED = (
    "Velling engineers reported that the sea defences survived the storm, but part of the "
    "wall close to the fish market needs rebuilding, according to a board statement.\n\n"
    "Meanwhile the city council will meet on Friday to discuss the budget for next year."
)


def normalised(text: str, stopwords: str = "cleankit", lemmatizer: str = "simplemma") -> str:
    """``text`` as another pipeline would leave it: one normalised line per paragraph."""
    normalizer = Normalizer(stopwords, lemmatizer)
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return "\n".join(normalizer.normalize(p) for p in paragraphs) + "\n"


def run(*docs: Document, **options) -> list[Document]:
    return list(Pipeline([RestoreStopwords(**options)]).clean_corpus(list(docs)))


@pytest.mark.parametrize(
    ("stopwords", "lemmatizer"),
    [("cleankit", "simplemma"), ("stop-words", "snowball"), ("iso", "none"), ("iso", "simplemma")],
)
def test_original_in_the_run_is_found_whatever_pipeline_made_the_copy(stopwords, lemmatizer):
    copy = normalised(HARBOUR, stopwords, lemmatizer)
    docs = run(
        Document(HARBOUR, id="harbour"),
        Document(ORCHARD, id="orchard"),
        Document(copy, id="flat"),
    )
    flat = docs[2]
    assert flat.meta["normalized"] is True
    paragraphs = [p for p in HARBOUR.split("\n\n") if p.strip()]
    assert [e["original"] for e in flat.restored] == paragraphs
    for entry in flat.restored:
        assert entry["source"] == "harbour"
        assert entry["score"] >= 0.85
        assert HARBOUR[entry["start"] : entry["end"]] == entry["original"]
        assert entry["candidate"] is None and entry["surface"] is None
    # The restored text is the originals, one per line.
    assert flat.text == "\n".join(paragraphs) + "\n"
    # The other documents are untouched.
    assert docs[0].text == HARBOUR and docs[0].meta["normalized"] is False
    assert docs[1].text == ORCHARD and not docs[1].restored


def test_a_long_document_scanned_a_few_sentences_at_a_time_gives_the_same_output(
    monkeypatch,
):
    vocabulary = (
        "Mara al-Tessin opened the new pumping station in Port Velling last spring.\n\n"
        "The Velling Water Board has 1,500,000 euros for low-lying streets."
    )
    docs = [
        Document(f"{HARBOUR}\n\n{vocabulary}", id="harbour"),
        Document(ORCHARD, id="orchard"),
        Document(normalised(HARBOUR), id="flat"),
        Document(normalised(ORCHARD + vocabulary), id="flat2"),
    ]

    def outputs() -> list:
        fresh = [Document(d.raw, id=d.id) for d in docs]
        return [(d.text, d.restored, d.spans()) for d in run(*fresh)]

    whole = outputs()
    monkeypatch.setattr(sentence_index, "PART_SENTENCES", 2)
    assert outputs() == whole


def test_alignment_points_each_token_at_its_word():
    copy = normalised(HARBOUR)
    flat = run(Document(HARBOUR, id="harbour"), Document(copy, id="flat"))[1]
    for entry in flat.restored:
        tokens = entry["normalized"].split()
        indexes = [i for i, _, _ in entry["alignment"]]
        assert indexes == sorted(set(indexes))
        assert len(indexes) >= 0.9 * len(tokens)
        for i, start, end in entry["alignment"]:
            word = joined(entry["original"][start:end])
            assert set(token_keys(tokens[i])).intersection(word_keys(word)), (tokens[i], word)


def test_absent_original_is_never_claimed_and_surface_forms_come_back():
    copy = normalised(HARBOUR)
    # The corpus knows how some of the words are written, but not the article.
    vocabulary = (
        "Mara al-Tessin opened the new pumping station in Port Velling last spring.\n\n"
        "The Velling Water Board has 1,500,000 euros for low-lying streets."
    )
    docs = run(
        Document(vocabulary, id="other"), Document(ORCHARD, id="orchard"), Document(copy, id="flat")
    )
    flat = docs[2]
    assert flat.meta["normalized"] is True
    assert all(e["original"] is None for e in flat.restored)
    assert flat.meta["restoration"]["restored"] == 0
    third = flat.restored[2]
    assert "al-Tessin" in third["surface"] and "1,500,000" in third["surface"]
    assert "Velling Water" in flat.restored[1]["surface"]
    assert "lowlying" not in flat.text and "low-lying" in flat.text
    # Surface forms are word-by-word replacements: the rest stays aligned with raw.
    spans = [s for s in flat.spans() if s["label"] == "surface"]
    assert spans and all(s["end"] - s["start"] < 20 for s in spans)


def test_an_edited_version_is_a_candidate_not_the_original():
    copy = normalised(HARBOUR)
    flat = run(Document(REWORDED, id="elsewhere"), Document(copy, id="flat"))[1]
    second = flat.restored[1]
    assert second["original"] is None
    candidate = second["candidate"]
    assert candidate is not None and candidate["source"] == "elsewhere"
    assert 0.3 <= candidate["score"] < 0.85
    assert candidate["text"].startswith("Velling engineers reported")
    assert REWORDED[candidate["start"] : candidate["end"]] == candidate["text"]


def test_ordinary_documents_are_left_alone():
    docs = run(Document(HARBOUR, id="a"), Document(ORCHARD, id="b"), Document(REWORDED, id="c"))
    for doc in docs:
        assert doc.meta["normalized"] is False
        assert doc.meta["normalized_confidence"] < 0.5
        assert doc.restored == [] and not doc.edits


def test_short_lines_get_no_original():
    flat = (
        "harbour velling\nstorm close harbour port velling tuesday ferry island cancel day\n"
        "resident lowlying quay district ask stay relative pump clear flood street\n"
    )
    docs = run(Document(HARBOUR, id="harbour"), Document(flat, id="flat"))
    entries = docs[1].restored
    assert entries[0]["original"] is None  # two tokens: too few to claim
    assert entries[1]["original"] is not None


def test_folder_of_originals(tmp_path):
    folder = tmp_path / "originals"
    folder.mkdir()
    (folder / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    docs = run(
        Document(ORCHARD, id="orchard"),
        Document(normalised(HARBOUR), id="flat"),
        originals=str(folder),
    )
    entry = docs[1].restored[0]
    assert entry["source"] == "harbour.txt" and entry["origin"] == "originals"
    assert entry["original"] == HARBOUR.split("\n\n")[0]


def test_bad_options():
    with pytest.raises(ConfigError, match="originals folder"):
        RestoreStopwords(originals="/no/such/folder")
    with pytest.raises(ConfigError, match="threshold must be between 0 and 1"):
        RestoreStopwords(threshold=1.5)
    with pytest.raises(ConfigError, match="candidates must be 1 or more"):
        RestoreStopwords(candidates=0)


def test_lines_beyond_the_bound_are_counted_not_looked_up():
    copy = normalised(HARBOUR)
    flat = run(Document(HARBOUR, id="harbour"), Document(copy, id="flat"), max_lines=2)[1]
    assert flat.meta["restoration"]["lines_not_looked_up"] == 2
    assert sum(e["original"] is not None for e in flat.restored) == 2


# -- the pieces -------------------------------------------------------------------------


def test_sentences_split_at_full_stops_and_lines():
    text = 'He left. "We stay," she said.\nNo. 5 is open. Dr. Ames is not'
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "He left.",
        '"We stay," she said.',
        "No.",
        "5 is open.",
        "Dr.",
        "Ames is not",
    ]


def test_index_merge_matches_one_index_and_keeps_whole_documents():
    texts = {"a": HARBOUR, "b": ORCHARD, "c": REWORDED}
    whole = SentenceIndex()
    for name, text in texts.items():
        whole.add(name, text)
    left, right = SentenceIndex(), SentenceIndex()
    left.add("a", HARBOUR)
    right.add("b", ORCHARD)
    right.add("c", REWORDED)
    merged = left.merge(right)
    assert merged.sources == whole.sources and merged.texts == whole.texts
    assert merged.postings == whole.postings and list(merged.raw_end) == list(whole.raw_end)
    small = SentenceIndex(limit=len(whole) - 1)
    small.merge(whole)
    last_document = len(list(split_sentences(REWORDED)))
    assert small.sources == ["a", "b"] and small.dropped == last_document and small.full


def test_surface_forms_merge_and_shrink():
    a, b = SurfaceForms(), SurfaceForms()
    a.add("Talks in Emsby ended. The Emsby mayor left.")
    b.add("Rain hit Emsby again.")
    merged = a.merge(b)
    assert merged.form("emsby") == "Emsby"
    bounded = SurfaceForms(limit=3)
    bounded.add("Rain in Emsby. Wind in Emsby. Snow in Emsby. Quay and Velling were dry.")
    assert len(bounded) <= 3 and bounded.form("emsby") == "Emsby"


def test_headline_case_and_sentence_starts_say_nothing_about_case():
    forms = SurfaceForms()
    forms.add("Storm Closes Harbour For Second Day\nHarbour workers went home. The harbour shut.")
    assert forms.form("harbour") is None
    assert forms.form("closes") is None


def test_stopword_list_is_read_off_the_document(monkeypatch):
    # Only the lists that are always installed (spaCy's or scikit-learn's may be too).
    known = token_alignment._known_lists()
    always = {name: known[name] for name in ("cleankit", "stop-words", "iso")}
    monkeypatch.setattr(token_alignment, "_known_lists", lambda: always)
    flat_small = Normalizer("cleankit").normalize(HARBOUR + " " + ORCHARD).split()
    flat_large = Normalizer("iso").normalize(HARBOUR + " " + ORCHARD).split()
    assert WordWeights(flat_small).list_name == "cleankit"
    assert WordWeights(flat_large).list_name in ("iso", "stop-words")
    assert WordWeights(["x"] * 3).list_name is not None
    assert WordWeights([]).list_name is None


cli = CliRunner()


def invoke(*args) -> str:
    result = cli.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


WORDS = st.sampled_from(
    [
        "storm",
        "harbour",
        "ferry",
        "engineers",
        "wall",
        "market",
        "board",
        "repairs",
        "winter",
        "residents",
        "pumps",
        "streets",
        "frost",
        "blossom",
        "trees",
        "growers",
        "prices",
        "presses",
        "the",
        "a",
        "of",
        "in",
        "on",
        "was",
        "were",
        "and",
        "closed",
        "cancelled",
        "damaged",
        "said",
        "would",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(WORDS, min_size=3, max_size=12), min_size=1, max_size=4))
def test_alignment_invariants(sentences):
    text = " ".join(" ".join(s).capitalize() + "." for s in sentences)
    index = SentenceIndex()
    index.add("doc", text)
    tokens = Normalizer().normalize(text).split()
    passages = index.lookup(tokens)
    for passage in passages:
        match = align(tokens, passage)
        if match is None:
            continue
        assert 0.0 <= match.score <= 1.0
        assert text[match.start : match.end] == match.text  # raw offsets of the original
        previous = (-1, -1)
        for i, start, end in match.alignment:
            assert (i, start) > previous  # monotonic in both sequences
            previous = (i, start)
            assert 0 <= start < end <= len(match.text)
            assert set(token_keys(tokens[i])).intersection(word_keys(joined(match.text[start:end])))


passage_words = st.sampled_from(
    [
        "Rain",
        "fell",
        "the",
        "river's",
        "al-Abadi",
        "U.S.-led",
        "1,500",
        "logic",
        "that",
        "war",
        "which",
        "forces",
        "Mosul",
        "said",
        "é",
        "x\u0301",
    ]
)
glue = st.sampled_from([" ", "  ", ", ", "—", "/", ". ", "\n", " (", "’s "])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(passage_words, glue), min_size=1, max_size=40), st.data())
def test_passage_words_found_in_bulk_equal_those_found_one_by_one(pairs, data):
    text = "".join(w + g for w, g in pairs).strip()
    if not text:
        return
    sentences = tuple(split_sentences(text))
    passage = Passage("doc", text, sentences, sentences)
    tokens = data.draw(st.lists(passage_words.map(joined), min_size=1, max_size=8))
    wanted = frozenset().union(*(token_keys(t) for t in tokens))
    weights = WordWeights(tokens)
    bulk = token_alignment._words(passage, weights, wanted)
    one_by_one = token_alignment._words_one_by_one(passage, weights, wanted)
    assert bulk == one_by_one


@settings(max_examples=200, deadline=None)
@given(st.one_of(passage_words, st.text(st.characters(categories=["L"]), min_size=1)))
def test_the_lemma_is_simplemmas_without_its_cache(word):
    # The step keeps its own lemmatiser so as not to cache each lemma twice.
    sentence_index.lemma.cache_clear()
    assert sentence_index.lemma(word) == simplemma.lemmatize(word, lang="en").lower()


@settings(max_examples=200, deadline=None)
@given(st.lists(passage_words.map(joined), min_size=2, max_size=2))
def test_a_glued_pair_has_the_keys_of_a_token_written_the_same(pair):
    glued = "".join(pair)
    assert set(token_alignment.glued_pair_keys(glued)) == set(token_keys(glued))


@settings(max_examples=300, deadline=None)
@given(st.one_of(passage_words.map(joined), st.text(st.characters(categories=["L"]), min_size=1)))
def test_a_words_keys_are_a_tuple_of_the_keys_by_definition(word):
    # Tuples, to keep the caches small; each key once, as in the sets they replace.
    stems = {sentence_index.stem(word), sentence_index.stem(sentence_index.lemma(word))}
    expected_word_keys = stems | {s[:-1] for s in stems if len(s) >= 4}
    for keys, expected in ((token_keys(word), stems), (word_keys(word), expected_word_keys)):
        assert isinstance(keys, tuple)
        assert len(keys) == len(set(keys))
        assert set(keys) == expected


def _reference_best_sentences(index, weighted, needed, count):
    """The lookup's ranking written plainly: a score per sentence, summed key by key."""
    scores, shared = {}, {}
    for df, key in weighted:
        weight = math.log(1 + len(index) / df)
        for sentence in index.postings[key]:
            scores[sentence] = scores.get(sentence, 0.0) + weight
            shared[sentence] = shared.get(sentence, 0) + 1
    ranked = sorted((-score, s) for s, score in scores.items() if shared[s] >= needed)
    return [s for _, s in ranked[:count]]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.lists(WORDS, min_size=1, max_size=8), min_size=1, max_size=30),
    st.lists(WORDS, min_size=1, max_size=12, unique=True),
    st.integers(1, 3),
)
def test_lookup_ranks_sentences_like_a_plain_score_table(sentences, line, needed):
    index = SentenceIndex()
    for number, words in enumerate(sentences):
        index.add(f"d{number % 3}", " ".join(words).capitalize() + ".")
    weighted = sorted((len(index.postings[k]), k) for k in index_keys(line) if k in index.postings)
    if not weighted:
        return
    needed = min(needed, len(weighted))
    expected = _reference_best_sentences(index, weighted, needed, 6)
    assert index._best_sentences(weighted, needed, 6) == expected
    # Hits counted per sentence of their range, or sorted: the same ranking.
    dense = sentence_index.DENSE_LOOKUP
    try:
        sentence_index.DENSE_LOOKUP = 0
        assert index._best_sentences(weighted, needed, 6) == expected
    finally:
        sentence_index.DENSE_LOOKUP = dense


def test_best_match_stops_at_a_perfect_score(monkeypatch):
    index = SentenceIndex()
    index.add("first", HARBOUR)
    index.add("second", HARBOUR)
    tokens = Normalizer().normalize(HARBOUR.split("\n")[0]).split()
    passages = index.lookup(tokens)
    assert len(passages) >= 2
    aligned = []
    real_align = token_alignment.align
    monkeypatch.setattr(
        token_alignment, "align", lambda *a: aligned.append(a[1].source) or real_align(*a)
    )
    match = token_alignment.best_match(tokens, passages)
    assert match.score == 1.0 and match.source == "first" and aligned == ["first"]


# -- the command line --------------------------------------------------------------------


def test_cli_run_writes_pairs_and_the_same_output_with_two_workers(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    (folder / "orchard.txt").write_text(ORCHARD, encoding="utf-8")
    (folder / "flat.txt").write_text(normalised(HARBOUR, "iso", "snowball"), encoding="utf-8")
    outputs = []
    for workers in (1, 2):
        out = tmp_path / f"out{workers}"
        invoke("run", folder, "-o", out, "-w", workers, "--shard-size", 1, "-q")
        outputs.append(((out / "documents.jsonl").read_bytes(), (out / "pairs.jsonl").read_bytes()))
    assert outputs[0] == outputs[1]
    pairs = [json.loads(line) for line in outputs[0][1].splitlines()]
    assert len(pairs) == 4 and {p["id"] for p in pairs} == {"flat.txt"}
    assert all(p["source"] == "harbour.txt" for p in pairs)
    records = {json.loads(line)["id"]: json.loads(line) for line in outputs[0][0].splitlines()}
    assert records["flat.txt"]["meta"]["normalized"] is True
    assert records["harbour.txt"]["restored"] == []


def test_cli_originals_flag(tmp_path):
    folder, originals = tmp_path / "in", tmp_path / "originals"
    folder.mkdir()
    originals.mkdir()
    (originals / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    (folder / "flat.txt").write_text(normalised(HARBOUR), encoding="utf-8")
    out = tmp_path / "out"
    invoke("run", folder, "-o", out, "--originals", originals, "-q")
    pairs = (out / "pairs.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(pairs) == 4 and json.loads(pairs[0])["origin"] == "originals"
    bad = cli.invoke(
        app,
        ["run", str(folder), "-o", str(tmp_path / "x"), "--originals", str(tmp_path / "missing")],
    )
    assert bad.exit_code != 0 and "is not a folder" in bad.output


def test_cli_explain_shows_restored_lines(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    (folder / "flat.txt").write_text(normalised(HARBOUR), encoding="utf-8")
    shown = invoke(
        "explain", folder / "flat.txt", "--corpus", folder, "--steps", "restore_stopwords"
    )
    assert "meta normalized = True" in shown
    assert "line 1 restored from harbour.txt" in shown
    bad = cli.invoke(app, ["explain", str(folder / "flat.txt"), "--corpus", str(tmp_path / "no")])
    assert bad.exit_code != 0 and "is not a folder" in bad.output


SEEDS = REPO.parent / "shared" / "seeds"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seeds not beside the checkout")
def test_on_the_shared_seeds(tmp_path):
    out = tmp_path / "out"
    invoke("run", SEEDS, "-o", out, "-q")
    records = [json.loads(line) for line in (out / "documents.jsonl").read_text().splitlines()]
    normalised = [r for r in records if r["meta"]["normalized"]]
    assert len(normalised) == 1  # the one normalised seed, and no other
    record = normalised[0]
    # None of its originals is among the seeds: nothing is claimed.
    assert all(e["original"] is None for e in record["restored"])
    assert (out / "pairs.jsonl").read_text() == ""
    # Edited versions of some of its sentences are in other seeds: candidates, partial.
    scores = [e["candidate"]["score"] for e in record["restored"] if e["candidate"]]
    assert scores and all(0.3 <= s < 0.85 for s in scores)
    # Surface forms come back: capitals and hyphens the normalised text had lost.
    surface = " ".join(e["surface"] for e in record["restored"])
    normal = " ".join(e["normalized"] for e in record["restored"])
    assert surface.lower() != surface and "-" in surface and "-" not in normal


def _longest_by_table(keys, positions, low, high):
    """The length of the longest in-order pairing, by the textbook table."""
    words = sorted({j for places in positions.values() for j in places if low <= j <= high})
    match = {(i, j) for i, token in enumerate(keys) for k in token for j in positions.get(k, ())}
    best = [[0] * (len(words) + 1) for _ in range(len(keys) + 1)]
    for i in range(len(keys)):
        for w, j in enumerate(words):
            best[i + 1][w + 1] = max(best[i][w + 1], best[i + 1][w], best[i][w] + ((i, j) in match))
    return best[-1][-1]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.frozensets(st.sampled_from("abcde"), min_size=1, max_size=2), max_size=8),
    st.dictionaries(
        st.sampled_from("abcde"), st.lists(st.integers(0, 12), unique=True).map(sorted)
    ),
    st.integers(0, 12),
    st.integers(0, 12),
)
def test_common_subsequence_is_a_longest_pairing(keys, positions, low, high):
    pairs = token_alignment.common_subsequence(keys, positions, low, high)
    assert len(pairs) == _longest_by_table(keys, positions, low, high)
    for (i, j), (i2, j2) in pairwise(pairs):
        assert i < i2 and j < j2
    for i, j in pairs:
        assert low <= j <= high and any(j in positions.get(k, ()) for k in keys[i])


def test_a_step_sent_to_another_process_takes_the_candidates_not_the_index():
    docs = [
        Document(HARBOUR, id="harbour"),
        Document(ORCHARD, id="orchard"),
        Document(normalised(HARBOUR), id="flat"),
        Document(normalised(ORCHARD, "iso", "none"), id="flat2"),
    ]
    step = RestoreStopwords()
    pipeline = Pipeline([step])
    pipeline.prepare(lambda: [Document(d.raw, id=d.id) for d in docs])
    assert step._indexes  # here, lines are looked up as their document is cleaned
    here = [pipeline.process(Document(d.raw, id=d.id)) for d in docs]
    travelled = pickle.loads(pickle.dumps(step))
    assert not travelled._indexes and not step._indexes and not travelled._originals
    assert set(travelled._passages) == {"flat", "flat2"}
    there = [Pipeline([travelled]).process(Document(d.raw, id=d.id)) for d in docs]
    assert [d.restored for d in there] == [d.restored for d in here]
    assert [d.text for d in there] == [d.text for d in here]


class _LinesOneByOne:
    """The scan's lines as a table of ``(document, line)`` keys filled line by line."""

    def __init__(self, limit):
        self.limit, self.keys, self.dropped = limit, {}, 0

    def add(self, key):
        if key in self.keys:
            return
        if len(self.keys) < self.limit:
            self.keys[key] = None
        else:
            self.dropped += 1

    def merge(self, other):
        for key in other.keys:
            self.add(key)
        self.dropped += other.dropped

    def by_document(self):
        found = {}
        for doc_id, line in self.keys:
            found.setdefault(doc_id, []).append(line)
        return found


LINES = st.lists(st.sampled_from(["flood barrier raise", "engineer say", "water peak", "é ü"]))


@settings(max_examples=150, deadline=None)
@given(
    # Documents of a run have distinct ids (their paths).
    st.lists(
        st.tuples(st.sampled_from([*"abcdefgh", None]), LINES), max_size=8, unique_by=lambda d: d[0]
    ),
    st.integers(1, 12),
    st.integers(1, 4),
)
def test_the_scan_keeps_normalised_lines_packed_as_it_would_one_by_one(documents, limit, shards):
    """Packed per document, in one table or merged shard by shard, or saved in the older
    form of one key per line: the same lines in the same order, and the same count of
    lines left out, as a table of one key per line."""
    options = RestoreStopwordsOptions(max_lines=limit)
    size = max(1, len(documents) // shards)
    whole, merged = RestoreScan(options), RestoreScan(options)
    plain_whole, plain_merged = _LinesOneByOne(limit), _LinesOneByOne(limit)
    for first in range(0, len(documents), size):
        shard, plain_shard = RestoreScan(options), _LinesOneByOne(limit)
        for doc_id, lines in documents[first : first + size]:
            whole.add_lines(doc_id, lines)
            shard.add_lines(doc_id, lines)
            for line in lines:
                plain_whole.add((doc_id, line))
                plain_shard.add((doc_id, line))
        merged.merge(shard)
        plain_merged.merge(plain_shard)
    older = RestoreScan.__new__(RestoreScan)
    older.__dict__.update(
        vars(RestoreScan(options)), lines=plain_whole.keys, lines_dropped=plain_whole.dropped
    )
    del older.line_count  # which the earlier version did not have
    loaded = pickle.loads(pickle.dumps(older))
    for state, plain in ((whole, plain_whole), (merged, plain_merged), (loaded, plain_whole)):
        assert {d: _unpack_lines(p) for d, p in state.lines.items()} == plain.by_document()
        assert state.line_count == len(plain.keys)
        assert state.lines_dropped == plain.dropped
