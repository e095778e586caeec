"""The step base class: a named, configurable unit of cleaning that records edits."""

from __future__ import annotations

import time
from typing import Any, ClassVar

from cleankit.document import Document, StepChange
from cleankit.errors import ConfigError
from cleankit.options import NoOptions, build_options


class Step:
    """Base class for cleaning steps.

    A subclass sets :attr:`name`, optionally an ``Options`` frozen dataclass (fields
    declared with :func:`cleankit.option`), and implements :meth:`apply`, which records
    edits on the document through ``doc.delete`` / ``doc.replace`` / ``doc.extract``.

    Corpus-aware steps also implement the scan phase: :meth:`new_scan_state`,
    :meth:`scan` (one document), :meth:`merge_scan_states` (combine two partial states,
    so shards can be scanned in parallel) and :meth:`use_scan_state` (keep the merged
    result for :meth:`apply`).

    >>> from cleankit_plugins.normalize_whitespace import NormalizeWhitespace
    >>> NormalizeWhitespace().clean("two  spaces ").text
    'two spaces'
    """

    #: Unique step name used in configs, on the command line and in every span.
    name: ClassVar[str] = ""
    #: The frozen dataclass of this step's options.
    Options: ClassVar[type] = NoOptions
    #: Position in the default pipeline; ``None`` keeps the step out of it.
    default_order: ClassVar[float | None] = None
    #: Whether the step changes the wording of the text it keeps (repairs, replacements).
    #: A step that only removes or extracts pieces says ``False``.
    rewrites: ClassVar[bool] = True
    #: Whether the scan must see the text after the removals of the steps before it.
    #: ``False`` (a scan that counts lines, say, where a line that an earlier step removes
    #: is simply never looked up) lets the scan share a pass over the corpus with the
    #: scan of an earlier step: it then sees the text after the earlier steps that
    #: rewrite, and the removals of those before that earlier scanning step.
    scan_needs_removals: ClassVar[bool] = True

    def __init__(self, options: Any = None, **values: Any) -> None:
        if not self.name:
            raise ConfigError(f"{type(self).__name__} has no `name`; every step needs one")
        if options is None:
            options = build_options(self.Options, values, self.name)
        elif values:
            raise ConfigError(f"step {self.name!r}: pass either an Options object or keywords")
        elif not isinstance(options, self.Options):
            raise ConfigError(
                f"step {self.name!r}: options must be {self.Options.__qualname__}, "
                f"got {type(options).__name__}"
            )
        self.options = options

    # -- the scan phase (optional) -------------------------------------------------------

    @classmethod
    def has_scan(cls) -> bool:
        """Whether this step looks at the whole corpus before applying."""
        return cls.scan is not Step.scan

    def new_scan_state(self) -> Any:
        """An empty scan state for one shard of the corpus."""
        return None

    def scan(self, doc: Document, state: Any) -> Any:
        """Fold one document into ``state`` and return the state."""
        return state

    def merge_scan_states(self, a: Any, b: Any) -> Any:
        """Combine two scan states (order-independent where possible)."""
        return a

    def use_scan_state(self, state: Any) -> None:
        """Keep the merged scan state for :meth:`apply`."""

    # -- the apply phase -----------------------------------------------------------------

    def apply(self, doc: Document) -> None:
        """Record this step's edits on ``doc`` (offsets into ``doc.text``)."""
        raise NotImplementedError(f"step {self.name!r} does not implement apply()")

    def __call__(self, doc: Document) -> StepChange:
        """Apply the step to ``doc`` and commit its edits; return what changed."""
        doc.begin(self.name)
        try:
            self.apply(doc)
        except BaseException:
            doc._reset_pending()
            raise
        return doc.commit()

    def clean(self, text: str) -> Document:
        """Run this step alone on ``text`` and return the document."""
        doc = Document(text)
        self(doc)
        return doc

    def timed(self, doc: Document) -> tuple[StepChange, float]:
        """Apply the step and measure the seconds it took."""
        started = time.perf_counter()
        change = self(doc)
        return change, time.perf_counter() - started

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.options!r})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.options == self.options  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self), self.options))
