"""Surface forms counted in bulk equal the counts of their sentence-by-sentence definition."""

from __future__ import annotations

import pickle
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from cleankit.prose import FUNCTION_WORDS
from cleankit_plugins.sentence_index import (
    joined,
    lemma,
    sentence_words,
    tokenize_in_parts,
)
from cleankit_plugins.surface_forms import IN_NAME, LEMMA, SurfaceForms, _bare


def counts_by_definition(text: str) -> tuple[dict, Counter]:
    """Every sentence on its own: plain words count as plain; in a sentence that is not
    headline case, every other word counts under its key as written, marked as part of
    a name beside another capitalised word (and the pair counted), and under its lemma;
    a capital that only starts a sentence counts for nothing."""
    counts: dict[str, dict[str, int]] = {}
    plain: Counter[str] = Counter()
    for _, _, written in sentence_words(text):
        special = []
        for i, w in enumerate(written):
            if w.isalnum() and (w.islower() or w.isdigit()):
                plain[w] += 1
            else:
                special.append(i)
        long = [w for w in written if len(w) >= 4]
        if not special or (len(long) >= 3 and sum(w[0].isupper() for w in long) >= 0.6 * len(long)):
            continue
        words = {i: _bare(written[i]) for i in special}
        keys = {i: joined(words[i]) for i in special}
        capital = {i for i in special if words[i][:1].isupper() and keys[i] not in FUNCTION_WORDS}
        for i in special:
            word, key = words[i], keys[i]
            if not key:
                continue
            if word == key:
                plain[key] += 1
                continue
            if i == 0 and word[1:] == key[1:]:
                continue
            named = i in capital and (i - 1 in capital or i + 1 in capital)
            form = IN_NAME + word if named else word
            if i in capital and i - 1 in capital:
                first = keys[i - 1]
                for pair_key in {f"{first} {key}", f"{lemma(first)} {lemma(key)}"}:
                    pair = counts.setdefault(pair_key, {})
                    text_of_pair = f"{words[i - 1]} {word}"
                    pair[text_of_pair] = pair.get(text_of_pair, 0) + 1
            if lemma(key) != key:
                forms = counts.setdefault(lemma(key), {})
                forms[LEMMA + word] = forms.get(LEMMA + word, 0) + 1
            forms = counts.setdefault(key, {})
            forms[form] = forms.get(form, 0) + 1
    return counts, plain


def forms_by_key(forms: SurfaceForms) -> dict[str, dict[str, int]]:
    return {key: forms.forms_of(key) for key in forms.counts}


words = st.sampled_from(
    [
        "The",
        "the",
        "Islamic",
        "State",
        "state",
        "al-Abadi",
        "Haider",
        "al-Abadi's",
        "US-led",
        "1,500",
        "forces",
        "Forces",
        "said",
        "Mosul",
        "ÉLAN",
        "élan",
        "CEO",
        "iPhone",
        "2017",
        "²",
    ]
)
glue = st.sampled_from([" ", ". ", ".\n", ", ", "\n\n", " — ", "? "])
texts = st.lists(st.tuples(words, glue), max_size=40).map(lambda p: "".join(w + g for w, g in p))


@settings(max_examples=400, deadline=None)
@given(texts)
def test_forms_counted_in_bulk_equal_the_definition(text):
    forms = SurfaceForms()
    forms.add(text)
    counts, plain = counts_by_definition(text)
    assert forms_by_key(forms) == counts
    assert forms.plain == plain


@settings(max_examples=300, deadline=None)
@given(texts, st.integers(1, 3), st.integers(1, 40))
def test_forms_counted_part_by_part_equal_those_of_the_whole_text(text, sentences, limit):
    # A small limit: the rarest forms are forgotten once the text is counted, either way.
    forms = SurfaceForms(limit)
    for part in tokenize_in_parts(text, sentences):
        forms.count(part)
    forms.shrink_to_limit()
    whole = SurfaceForms(limit)
    whole.add(text)  # one part: these texts are short
    assert forms_by_key(forms) == forms_by_key(whole)
    assert forms.plain == whole.plain


@settings(max_examples=200, deadline=None)
@given(st.lists(texts, min_size=1, max_size=4))
def test_merged_forms_equal_those_counted_in_one_table(shard_texts):
    # Each shard's table is counted apart and merged, as a run's scan does.
    merged = SurfaceForms()
    for text in shard_texts:
        shard = SurfaceForms()
        shard.add(text)
        merged.merge(shard)
    together = SurfaceForms()
    for text in shard_texts:
        together.add(text)
    assert forms_by_key(merged) == forms_by_key(together)
    assert merged.plain == together.plain


def test_a_table_saved_with_a_dict_of_forms_per_word_still_loads():
    forms = SurfaceForms()
    forms.add("Forces led by al-Abadi took the town. The US-led coalition said so.")
    old = SurfaceForms()
    old.__dict__.update(forms.__dict__, counts=forms_by_key(forms))  # the older layout
    loaded = pickle.loads(pickle.dumps(old))
    assert forms_by_key(loaded) == forms_by_key(forms)
    assert loaded.restore(["alabadi", "usled"]) == ["al-Abadi", "US-led"]
