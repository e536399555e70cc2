"""Python type hints → JSON Schema, for scaffolding specs from functions.

Only types a JSON value can carry are mapped; anything else raises ``TypeError`` naming the type, so the
caller can skip the parameter (or the function) and say why instead of emitting a schema that lies.
"""

from __future__ import annotations

import datetime
import enum
import inspect
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["schema_for_type"]

_SIMPLE: dict[Any, dict[str, Any]] = {
    int: {"type": "integer"},
    float: {"type": "number"},
    str: {"type": "string"},
    bool: {"type": "boolean"},
    bytes: {"type": "string", "contentEncoding": "base64"},
    dict: {"type": "object"},
    list: {"type": "array"},
    tuple: {"type": "array"},
    set: {"type": "array", "uniqueItems": True},
    frozenset: {"type": "array", "uniqueItems": True},
    datetime.datetime: {"type": "string", "format": "date-time"},
    datetime.date: {"type": "string", "format": "date"},
    datetime.time: {"type": "string", "format": "time"},
    type(None): {"type": "null"},
}


def _union(arguments: tuple[Any, ...]) -> dict[str, Any]:
    options = [schema_for_type(a) for a in arguments]
    non_null = [o for o in options if o != {"type": "null"}]
    if len(non_null) == 1 and len(options) == 2 and "type" in non_null[0]:
        base = dict(non_null[0])
        base["type"] = [base["type"], "null"] if isinstance(base["type"], str) else base["type"]
        return base
    return {"anyOf": options}


def schema_for_type(hint: Any) -> dict[str, Any]:
    """The JSON Schema for a type hint; ``{}`` for ``Any``/no hint; ``TypeError`` if not JSON-shaped."""
    if hint is inspect.Parameter.empty or hint is Any or hint is object:
        return {}
    if hint in _SIMPLE:
        return dict(_SIMPLE[hint])
    if inspect.isclass(hint) and issubclass(hint, enum.Enum):
        return {"enum": [member.value for member in hint]}
    origin, arguments = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Literal:
        return {"enum": list(arguments)}
    if origin is typing.Union or origin is types.UnionType:
        return _union(arguments)
    if origin is typing.Annotated:
        return schema_for_type(arguments[0])
    if origin in (list, set, frozenset) or (inspect.isclass(origin) and issubclass(origin, Sequence)):
        schema: dict[str, Any] = {"type": "array"}
        if origin is tuple or (arguments and arguments[-1] is Ellipsis):
            arguments = arguments[:1]
        if len(arguments) == 1:
            schema["items"] = schema_for_type(arguments[0])
        elif arguments:
            schema["prefixItems"] = [schema_for_type(a) for a in arguments]
        return schema
    if origin is dict or (inspect.isclass(origin) and issubclass(origin, Mapping)):
        schema = {"type": "object"}
        if len(arguments) == 2 and arguments[1] is not Any:
            schema["additionalProperties"] = schema_for_type(arguments[1])
        return schema
    if origin is tuple:
        return {"type": "array"}
    raise TypeError(f"type {getattr(hint, '__name__', hint)!s} has no JSON representation")
