"""The plugin registry: clashes, disabling, broken plugins, observer hooks."""

from __future__ import annotations

import pytest

from cleankit import Pipeline, Step, hookimpl, run
from cleankit.errors import NameClashError, PluginError
from cleankit.plugins import PluginWarning, load_registry
from cleankit.testing import registry_with


class Shout(Step):
    """Test step: upper-case everything."""

    name = "shout"

    def apply(self, doc):
        doc.replace(0, len(doc.text), doc.text.upper(), label="case")


def plugin(step_cls, name):
    class Plugin:
        @staticmethod
        @hookimpl
        def cleankit_register_steps(register):
            register(step_cls)

    Plugin.__name__ = name
    return Plugin


def test_builtins_come_from_the_cleankit_distribution():
    registry = load_registry()
    owners = {registry.owner("step", n).distribution for n in registry.default_steps()}
    assert owners == {"cleankit"}
    assert registry.plugins[0].builtin


def test_step_name_clash_names_both_plugins():
    class Whitespace(Step):
        name = "normalize_whitespace"

    with pytest.raises(NameClashError) as raised:
        registry_with(plugin(Whitespace, "impostor"))
    message = str(raised.value)
    assert "distribution cleankit" in message and "'impostor'" in message
    assert "CLEANKIT_DISABLE_PLUGINS=impostor" in message


def test_plugin_name_clash_is_refused_without_harming_the_first():
    with pytest.raises(NameClashError, match="plugin name 'fix_mojibake' is used twice"):
        registry_with(plugin(Shout, "fix_mojibake"))


def test_invalid_registration_warns_and_the_rest_works():
    class NotAStep:
        name = "nope"

    with pytest.warns(PluginWarning, match="'wrong'.*must be a subclass"):
        registry = registry_with(plugin(NotAStep, "wrong"), plugin(Shout, "good"))
    assert "nope" not in registry.steps and "shout" in registry.steps
    assert next(p for p in registry.plugins if p.name == "wrong").error


def test_disable_a_builtin_by_name(monkeypatch):
    monkeypatch.setenv("CLEANKIT_DISABLE_PLUGINS", "normalize_whitespace")
    registry = load_registry()
    assert "normalize_whitespace" not in registry.steps
    assert "normalize_whitespace" not in registry.default_steps()
    assert "fix_mojibake" in registry.default_steps()


def test_third_party_steps_stay_out_of_the_default_pipeline():
    class Eager(Shout):
        name = "eager"
        default_order = 1

    registry = registry_with(plugin(Eager, "eager_plugin"))
    assert "eager" in registry.steps and "eager" not in registry.default_steps()


class Observer:
    documents: list[str] = []
    reports: list[dict] = []

    @staticmethod
    @hookimpl
    def cleankit_document_finished(document, record):
        Observer.documents.append(record["id"])

    @staticmethod
    @hookimpl
    def cleankit_run_finished(report, output_dir):
        Observer.reports.append(report)


def test_observer_hooks(corpus, tmp_path):
    Observer.documents, Observer.reports = [], []
    registry = registry_with(Observer)
    src = corpus({"a.txt": "a", "b.txt": "b"})
    run(src, tmp_path / "out", Pipeline(registry=registry), registry=registry)
    assert Observer.documents == ["a.txt", "b.txt"]
    assert Observer.reports[0]["documents"]["written"] == 2


def patterns_plugin(name, *registrations):
    class Plugin:
        @staticmethod
        @hookimpl
        def cleankit_register_patterns(register):
            for args, attributes in registrations:
                register(*args, **attributes)

    Plugin.__name__ = name
    return Plugin


PAGE = "\n".join(
    [
        "The harbour board approved the new ferry timetable after a long meeting on Monday.",
        "Listen to our harbour podcast",
        "Crossings will run every forty minutes in summer and every hour in the winter months.",
        "Residents said the early boats would help people who work on the mainland.",
    ]
)


def test_contributed_boilerplate_rule_removes_lines_with_its_name_as_reason():
    rule = (("boilerplate", "podcast_promo", r"^listen to our \w+ podcast$"), {"max_words": 8})
    registry = registry_with(patterns_plugin("podcasts", rule))
    assert registry.plugins[-1].patterns == ["boilerplate:podcast_promo"]
    doc = Pipeline(["strip_boilerplate"], registry=registry).clean(PAGE)
    assert "podcast" not in doc.text
    removed = [s for s in doc.spans() if "podcast" in PAGE[s["start"] : s["end"]]]
    assert [s["reason"] for s in removed] == ["rule podcast_promo"]
    # Without the plugin the line is kept: the pipeline reads its own registry's patterns.
    assert "podcast" in Pipeline(["strip_boilerplate"], registry=registry_with()).clean(PAGE).text


def test_contributed_rule_can_be_disabled_by_name():
    rule = (("boilerplate", "podcast_promo", r"^listen to our \w+ podcast$"), {})
    registry = registry_with(patterns_plugin("podcasts", rule))
    pipeline = Pipeline(
        ["strip_boilerplate"],
        {"strip_boilerplate": {"disabled_rules": ["podcast_promo"]}},
        registry=registry,
    )
    assert "podcast" in pipeline.clean(PAGE).text


def test_pattern_that_does_not_compile_warns_and_the_plugin_is_skipped():
    broken = (("boilerplate", "bad", r"(unclosed"), {})
    with pytest.warns(PluginWarning, match=r"'broken'.*'bad', which does not compile"):
        registry = registry_with(patterns_plugin("broken", broken))
    assert registry.patterns_of("boilerplate") == []


def test_pattern_with_empty_name_warns():
    with pytest.warns(PluginWarning, match="name is ''"):
        registry_with(patterns_plugin("nameless", (("boilerplate", "", "x"), {})))


def test_unknown_rule_attribute_is_an_error_naming_the_plugin():
    odd = (("boilerplate", "odd", r"^odd$"), {"max_lines": 3})
    registry = registry_with(patterns_plugin("oddities", odd))
    with pytest.raises(PluginError, match=r"'oddities'.*max_lines.*max_words"):
        Pipeline(["strip_boilerplate"], registry=registry)
