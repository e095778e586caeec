"""cleankit: clean scraped news and web text into an aligned corpus.

>>> import cleankit
>>> cleankit.clean("Caf\\u00c3\\u00a9  society\\n\\n\\n\\nreturns.").text
'Café society\\n\\nreturns.'
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cleankit")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

from cleankit.document import Annotation, Document, StepChange
from cleankit.edits import Edit
from cleankit.errors import CleankitError, ConfigError, EditError, InputError, PluginError
from cleankit.hookspecs import hookimpl
from cleankit.options import option

# The pipeline imports the plugin loader, which imports the names above.
from cleankit.pipeline import Pipeline, StepFailed
from cleankit.runner import RunResult, run
from cleankit.step import Step

__all__ = [
    "Annotation",
    "CleankitError",
    "ConfigError",
    "Document",
    "Edit",
    "EditError",
    "InputError",
    "Pipeline",
    "PluginError",
    "RunResult",
    "Step",
    "StepChange",
    "StepFailed",
    "__version__",
    "clean",
    "hookimpl",
    "option",
    "run",
]


def clean(text: str, steps: list[str] | None = None, **options: dict) -> Document:
    """Clean one string with the default pipeline (or ``steps``) and return the document.

    ``options`` maps a step name to its options, e.g.
    ``clean(text, normalize_whitespace={"max_blank_lines": 0})``.
    """
    return Pipeline(steps, options).clean(text)
