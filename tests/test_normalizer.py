"""The normaliser and the normalize_tokens step: forms, offsets, named lists, bad names."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleankit import ConfigError, Pipeline
from cleankit_plugins.normalize_tokens import NormalizeTokens
from cleankit_plugins.normalizer import Normalizer, stopword_list

SENTENCE = (
    "Iraqi Prime Minister Karim al-Hadidi said on Thursday that 1,500 fighters of the "
    "U.S.-led coalition's allies were driven out of al-Marsa."
)


def test_punctuation_inside_tokens_is_deleted_and_stopwords_dropped():
    assert Normalizer(lemmatizer="none").normalize(SENTENCE) == (
        "iraqi prime minister karim alhadidi said thursday 1500 fighters usled "
        "coalition allies driven almarsa"
    )


def test_lemmas():
    assert Normalizer().normalize(SENTENCE) == (
        "iraqi prime minister karim alhadidi say thursday 1500 fighter usled "
        "coalition ally drive almarsa"
    )


def test_every_token_points_at_its_word():
    normalizer = Normalizer(lemmatizer="none")
    for token in normalizer.tokens(SENTENCE):
        word = SENTENCE[token.start : token.end]
        assert normalizer.normalize(word) == token.text, word
    text = "al-Hadidi's men."
    assert [text[t.start : t.end] for t in normalizer.tokens(text)] == [
        "al-Hadidi",
        "men",
    ]


@pytest.mark.parametrize("name", ["cleankit", "stop-words", "iso", "none"])
def test_named_stopword_lists(name):
    words = stopword_list(name)
    assert ("the" in words) == (name != "none")
    assert "said" not in words or name != "cleankit"


def test_lists_differ_so_corpora_normalised_elsewhere_differ():
    small = Normalizer("cleankit").normalize(SENTENCE).split()
    large = Normalizer("iso").normalize(SENTENCE).split()
    assert set(large) < set(small)


def test_snowball_stems():
    assert Normalizer(lemmatizer="snowball").normalize("Iraqi forces launched") == (
        "iraqi forc launch"
    )


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"stopwords": "nltkish"}, "unknown stopword list 'nltkish'; the lists are"),
        ({"lemmatizer": "porter"}, "unknown lemmatizer 'porter'"),
        ({"stopwords": "cleankit", "language": "de"}, "English only"),
        ({"stopwords": "iso", "language": "xx-nowhere"}, "has no list for 'xx-nowhere'"),
        (
            {"stopwords": "none", "lemmatizer": "snowball", "language": "xx-nowhere"},
            "the snowball stemmer has no language 'xx-nowhere'",
        ),
    ],
)
def test_bad_names_are_configuration_errors(values, message):
    with pytest.raises(ConfigError, match=message):
        NormalizeTokens(**values)


def test_a_list_from_a_missing_package_says_what_to_install(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_spacy(name, *args, **kwargs):
        if name.startswith("spacy"):
            raise ModuleNotFoundError("No module named 'spacy'", name="spacy")
        return real_import(name, *args, **kwargs)

    real_find_spec = importlib.util.find_spec

    def no_spacy_spec(name, *args):
        return None if name.startswith("spacy") else real_find_spec(name, *args)

    monkeypatch.setattr(builtins, "__import__", no_spacy)
    monkeypatch.setattr(importlib.util, "find_spec", no_spacy_spec)
    stopword_list.cache_clear()
    with pytest.raises(ConfigError, match="pip install spacy"):
        stopword_list("spacy")
    stopword_list.cache_clear()


def test_step_gives_raw_offsets_after_earlier_repairs():
    raw = "The caf\u00c3\u00a9   owners were told to close."
    doc = Pipeline(["fix_mojibake", "normalize_whitespace", "normalize_tokens"]).clean(raw)
    tokens = doc.meta["tokens"]["tokens"]
    assert [t[0] for t in tokens] == ["café", "owner", "tell", "close"]
    assert raw[tokens[0][1] : tokens[0][2]] == "caf\u00c3\u00a9"
    assert raw[tokens[1][1] : tokens[1][2]] == "owners"
    assert doc.text == "The café owners were told to close."


def test_step_is_opt_in():
    assert "normalize_tokens" not in Pipeline().names


@given(st.text(alphabet=st.sampled_from("ab Ab-c.'’1,é \n"), max_size=60))
def test_tokens_are_inside_the_text_and_in_order(text):
    tokens = Normalizer(lemmatizer="none").tokens(text)
    previous_end = 0
    for token in tokens:
        assert previous_end <= token.start < token.end <= len(text)
        assert token.text and token.text == token.text.lower()
        assert " " not in token.text
        previous_end = token.end


@pytest.mark.skipif(
    importlib.util.find_spec("spacy") is None, reason="spaCy is not installed (the bench extra)"
)
def test_spacy_list_is_read_without_importing_spacy():
    script = (
        "import sys\n"
        "from cleankit_plugins.normalizer import stopword_list\n"
        "words = stopword_list('spacy')\n"
        "assert 'the' in words and len(words) > 300, len(words)\n"
        "assert 'spacy' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
