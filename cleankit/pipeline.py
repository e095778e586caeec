"""A pipeline: configured steps run in the order the user gave."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from cleankit.document import Document
from cleankit.errors import CleankitError, ConfigError
from cleankit.plugins import Registry, building_with, get_registry
from cleankit.report import RunStats
from cleankit.step import Step

StepSpec = str | Step | type[Step]


class StepFailed(CleankitError):
    """A step raised while cleaning one document."""

    def __init__(self, step: str, document_id: str | None, cause: BaseException) -> None:
        self.step = step
        self.document_id = document_id
        self.cause = cause
        super().__init__(
            f"step {step!r} failed on document {document_id!r}: {type(cause).__name__}: {cause}"
        )


class Pipeline:
    """Steps to run in order, each configured with validated options.

    Build it from step names (looked up among installed plugins), step classes or step
    objects; ``None`` means the default pipeline of built-in steps.

    >>> pipeline = Pipeline(["fix_mojibake", "normalize_whitespace"])
    >>> pipeline.clean("The cafÃ©   is open.  ").text
    'The café is open.'
    """

    def __init__(
        self,
        steps: Sequence[StepSpec] | None = None,
        options: Mapping[str, Mapping[str, Any]] | None = None,
        *,
        registry: Registry | None = None,
    ) -> None:
        registry = registry or get_registry()
        if steps is None:
            steps = registry.default_steps()
        if isinstance(steps, str):
            raise ConfigError(
                "steps must be a list of names, not one string; try [" + repr(steps) + "]"
            )
        options = dict(options or {})
        with building_with(registry):
            built = self._build(steps, options, registry)
        names = {s.name for s in built}
        stray = sorted(set(options) - names)
        if stray:
            raise ConfigError(
                f"options given for step(s) {', '.join(map(repr, stray))} that the pipeline does "
                f"not run; its steps are: {', '.join(s.name for s in built) or '(none)'}"
            )
        self.steps: list[Step] = built
        self.prepared = not self.needs_scan

    @staticmethod
    def _build(
        steps: Sequence[StepSpec], options: dict[str, Mapping[str, Any]], registry: Registry
    ) -> list[Step]:
        built: list[Step] = []
        for spec in steps:
            if isinstance(spec, Step):
                if spec.name in options:
                    raise ConfigError(
                        f"options given for step {spec.name!r}, which was passed as a configured "
                        "object; set its options on the object instead"
                    )
                built.append(spec)
            elif isinstance(spec, type) and issubclass(spec, Step):
                built.append(spec(**options.get(spec.name, {})))
            elif isinstance(spec, str):
                built.append(registry.step(spec)(**options.get(spec, {})))
            else:
                raise ConfigError(
                    f"a pipeline step must be a name, a Step class or a Step, got {spec!r}"
                )
        return built

    @property
    def names(self) -> list[str]:
        """Step names, in order."""
        return [s.name for s in self.steps]

    @property
    def needs_scan(self) -> bool:
        """Whether any step must see the corpus before cleaning it."""
        return any(s.has_scan() for s in self.steps)

    def describe(self) -> list[dict[str, Any]]:
        """Each step's name and options, as written to ``report.json``."""
        return [{"name": s.name, "options": dataclasses.asdict(s.options)} for s in self.steps]

    # -- running -------------------------------------------------------------------------

    def process(self, doc: Document, stats: RunStats | None = None) -> Document:
        """Run every step on ``doc``; a step's exception is raised as :class:`StepFailed`."""
        for step in self.steps:
            started = time.perf_counter()
            try:
                change = step(doc)
            except Exception as exc:
                if stats is not None:
                    stats.step(step.name).errors += 1
                raise StepFailed(step.name, doc.id, exc) from exc
            if stats is not None:
                stats.step(step.name).add(change, time.perf_counter() - started)
        return doc

    def clean(self, text: str | Document, *, id: str | None = None) -> Document:
        """Clean one text (or document) and return the document.

        Corpus-aware steps that were not prepared see this one document as the corpus.
        """
        doc = text if isinstance(text, Document) else Document(text, id=id)
        if self.prepared:
            return self.process(doc)
        self.prepare(lambda: [_fresh(doc)])
        try:
            return self.process(doc)
        finally:
            self.prepared = False  # that scan saw only this document; the next needs its own

    def clean_corpus(self, texts: Iterable[str | Document]) -> Iterator[Document]:
        """Clean many texts, yielding documents in order.

        When a step has a scan phase the corpus is read twice, so an iterator is first
        turned into a list; pass a list (or use ``cleankit run``) for large corpora.
        """
        if not self.prepared:
            items = list(texts)
            docs = [
                t if isinstance(t, Document) else Document(t, id=str(i))
                for i, t in enumerate(items)
            ]
            self.prepare(lambda: (_fresh(d) for d in docs))
            texts = docs
        for i, item in enumerate(texts):
            yield self.clean(item if isinstance(item, Document) else Document(item, id=str(i)))

    def prepare(self, corpus: Callable[[], Iterable[Document]]) -> None:
        """Run the scan phase of every corpus-aware step over fresh documents from ``corpus``
        (one pass over the corpus per group of :meth:`scan_groups`)."""
        for group in self.scan_groups():
            states = [self.steps[index].new_scan_state() for index in group]
            for doc in corpus():
                states = self.scan_group(group, doc, states)
            for index, state in zip(group, states, strict=True):
                self.steps[index].use_scan_state(state)
        self.prepared = True

    def scan_groups(self) -> list[list[int]]:
        """Indexes of the scanning steps, grouped by the pass over the corpus they share.

        A scanning step joins the group of the scanning step before it when its scan does
        not need the removals of the steps in between (``scan_needs_removals``) and none
        of the steps from that group's first one on both rewrites the text and waits for
        its own scan.
        """
        groups: list[list[int]] = []
        for index, step in enumerate(self.steps):
            if not step.has_scan():
                continue
            if groups and not step.scan_needs_removals:
                between = self.steps[groups[-1][0] : index]
                if not any(s.rewrites and s.has_scan() for s in between):
                    groups[-1].append(index)
                    continue
            groups.append([index])
        return groups

    def scan_group(self, group: list[int], doc: Document, states: list[Any]) -> list[Any]:
        """Fold ``doc`` into the scan states of one group of scanning steps.

        The document goes through every step before the group's first one; each later
        step of the group sees it after the rewriting steps in between as well.
        """
        first = group[0]
        for step in self.steps[:first]:
            step(doc)
        position = first
        folded = []
        for index, state in zip(group, states, strict=True):
            for step in self.steps[position:index]:
                if step.rewrites:
                    step(doc)
            position = index
            folded.append(self.steps[index].scan(doc, state))
        return folded

    def __repr__(self) -> str:
        return f"Pipeline({self.names!r})"


def _fresh(doc: Document) -> Document:
    return Document(doc.raw, id=doc.id, source=doc.source, meta=dict(doc.meta))
