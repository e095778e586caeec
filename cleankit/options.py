"""Typed step options: declared as a frozen dataclass, validated with clear errors.

A step declares its options as a frozen dataclass whose fields carry a type, a default and
a help text (:func:`option`). :func:`build_options` turns user input (TOML values, CLI
strings, keyword arguments) into that dataclass, refusing unknown names and wrong types.
"""

from __future__ import annotations

import dataclasses
import difflib
import types
import typing
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

from cleankit.errors import ConfigError

T = TypeVar("T")


def option(default: Any, help: str) -> Any:
    """Declare one option field: its default and a one-line help text for ``cleankit steps``."""
    if isinstance(default, (list, dict, set)):
        raise TypeError("option defaults must be immutable; use a tuple instead of a list")
    return dataclasses.field(default=default, metadata={"help": help})


@dataclasses.dataclass(frozen=True)
class NoOptions:
    """A step without options."""


@dataclasses.dataclass(frozen=True)
class OptionInfo:
    """One option as shown to users."""

    name: str
    type: str
    default: Any
    help: str


def describe_options(options_cls: type) -> list[OptionInfo]:
    """List a step's options with their types, defaults and help."""
    hints = typing.get_type_hints(options_cls)
    return [
        OptionInfo(f.name, type_name(hints[f.name]), f.default, f.metadata.get("help", ""))
        for f in dataclasses.fields(options_cls)
    ]


def build_options(options_cls: type[T], values: Mapping[str, Any], step: str) -> T:
    """Validate ``values`` against ``options_cls`` and return the options object."""
    hints = typing.get_type_hints(options_cls)
    known = [f.name for f in dataclasses.fields(options_cls)]
    converted: dict[str, Any] = {}
    for name, value in values.items():
        if name not in known:
            raise ConfigError(unknown_name_message(f"option for step {step!r}", name, known))
        try:
            converted[name] = coerce(value, hints[name])
        except (TypeError, ValueError) as exc:
            raise ConfigError(
                f"step {step!r}: option {name!r} expects {type_name(hints[name])}, "
                f"got {value!r} ({exc})"
            ) from None
    return options_cls(**converted)


def unknown_name_message(what: str, name: str, valid: list[str]) -> str:
    """``unknown X 'nme'; did you mean 'name'? valid: a, b, c``."""
    message = f"unknown {what}: {name!r}"
    close = difflib.get_close_matches(name, valid, n=1)
    if close:
        message += f"; did you mean {close[0]!r}?"
    return message + f" Valid: {', '.join(valid) if valid else '(none)'}"


def type_name(tp: Any) -> str:
    """A readable name for a type annotation (``bool``, ``'NFC' | 'NFKC' | None``)."""
    origin = get_origin(tp)
    if origin is Literal:
        return " | ".join(repr(a) for a in get_args(tp))
    if origin in (Union, types.UnionType):
        return " | ".join("None" if a is type(None) else type_name(a) for a in get_args(tp))
    if origin in (tuple, list):
        args = [a for a in get_args(tp) if a is not Ellipsis]
        return f"list of {type_name(args[0])}" if args else "list"
    return getattr(tp, "__name__", str(tp))


_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def coerce(value: Any, tp: Any) -> Any:
    """Convert ``value`` to type ``tp``; strings from the command line are parsed."""
    origin = get_origin(tp)
    if origin is Literal:
        choices = get_args(tp)
        if value in choices:
            return value
        if isinstance(value, str) and value.lower() in ("none", "null") and None in choices:
            return None
        raise ValueError(f"choose one of {', '.join(repr(c) for c in choices)}")
    if origin in (Union, types.UnionType):
        args = get_args(tp)
        is_none = value is None or (isinstance(value, str) and value.lower() in ("none", "null"))
        if is_none and type(None) in args:
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return coerce(value, arg)
            except (TypeError, ValueError) as exc:
                errors.append(str(exc))
        raise ValueError("; ".join(errors))
    if origin in (tuple, list):
        (item_type, *_) = get_args(tp) or (str,)
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, (list, tuple)):
            raise TypeError("a list is needed")
        return tuple(coerce(v, item_type) for v in value)
    if tp is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in _TRUE | _FALSE:
            return value.lower() in _TRUE
        raise TypeError("true or false is needed")
    if tp is int:
        if isinstance(value, bool):
            raise TypeError("a whole number is needed")
        if isinstance(value, int):
            return value
        if isinstance(value, str):
            return int(value)
        raise TypeError("a whole number is needed")
    if tp is float:
        if isinstance(value, bool):
            raise TypeError("a number is needed")
        if isinstance(value, (int, float)):
            return float(value)
        if isinstance(value, str):
            return float(value)
        raise TypeError("a number is needed")
    if tp is str:
        if isinstance(value, str):
            return value
        raise TypeError("a string is needed")
    if isinstance(tp, type) and isinstance(value, tp):
        return value
    raise TypeError(f"cannot convert to {type_name(tp)}")
