"""The exceptions cleankit raises. Each message names the thing, what was expected and the fix."""


class CleankitError(Exception):
    """Base class of every error cleankit raises on purpose."""


class ConfigError(CleankitError, ValueError):
    """A configuration, step name or option is not valid."""


class PluginError(CleankitError):
    """A plugin could not be registered (for example, two plugins claim one step name)."""


class NameClashError(PluginError):
    """Two plugins claim the same name (of a plugin, step, reader or writer)."""


class EditError(CleankitError, ValueError):
    """A step asked for an edit that cannot be applied (out of range, overlapping)."""


class InputError(CleankitError):
    """The input or output location cannot be used."""


class ExecutorError(CleankitError):
    """An executor cannot run: its engine is not installed, or its cluster cannot be reached."""
