"""Unambiguous coercion of model-written argument values towards their declared JSON Schema types.

Models write ``"5"`` where an integer is meant, or one string where a list of strings is expected. We repair
only what has exactly one reasonable reading, and leave everything else for the validator to reject with a
clear message:

* integer ← a string of digits (``"5"``, ``"-3"``) or an integral float (``5.0``);
* number ← a decimal string (``"2.5"``, ``"1e3"``; never ``"nan"``/``"inf"``);
* boolean ← ``"true"`` / ``"false"`` (any case) — not ``"yes"``, ``1`` or ``"1"``, which are ambiguous;
* string ← an integer (``12345`` → ``"12345"``, e.g. a zip code) — never a float or a bool;
* array ← a tuple (Python call syntax) as a list; a single value as ``[value]`` only when the array's
  ``items`` declares a type and the value (after coercion) has that type;
* nested objects and arrays are coerced element by element;
* a string's letter case, when its schema settles it: the one ``enum`` member that equals the value but
  for case (``"Metric"`` → ``"metric"``), or the value upper- or lower-cased when exactly one of the two
  matches the schema's ``pattern`` and the value does not (``"eur"`` → ``"EUR"`` for ``^[A-Z]{3}$``: a
  model, or a user, writes codes in either case; the API accepts one);
* a date and time written with a space (``"2024-12-31 23:30"``) as ``"2024-12-31T23:30"`` when the
  schema's ``pattern`` wants the ``T`` and the value does not match it (RFC 3339 allows the space for
  readability; an API that declares the ``T`` form accepts that one).

When a schema allows several types, a value already of one of them is kept; otherwise it is converted
only if exactly one of the declared types accepts a conversion.
"""

from __future__ import annotations

import math
import re
from typing import Any

from gorilla_router.schemas import json_type_names

__all__ = ["coerce_value", "matches_type"]

_INTEGER = re.compile(r"^\s*[+-]?\d+\s*$")
_NUMBER = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$")
_NO_CONVERSION = object()
_DATE_SPACE_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$")


def matches_type(value: Any, type_name: str) -> bool:
    """Whether ``value`` already is a ``type_name`` in the strict Python sense (bool is not a number)."""
    if type_name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    checks: dict[str, type | tuple[type, ...]] = {
        "string": str,
        "boolean": bool,
        "array": list,
        "object": dict,
        "null": type(None),
    }
    expected = checks.get(type_name)
    return expected is not None and isinstance(value, expected)


def _convert(value: Any, type_name: str, schema: dict[str, Any]) -> Any:
    """One conversion towards ``type_name``, or ``_NO_CONVERSION`` when none is unambiguous."""
    if isinstance(value, bool):
        return _NO_CONVERSION
    if type_name == "integer":
        if isinstance(value, str) and _INTEGER.match(value):
            return int(value)
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            return int(value)
    elif type_name == "number":
        if isinstance(value, str) and _NUMBER.match(value):
            return int(value) if _INTEGER.match(value) else float(value)
    elif type_name == "boolean":
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
    elif type_name == "string":
        if isinstance(value, int):
            return str(value)
    elif type_name == "array":
        return _wrap_single(value, schema.get("items"))
    return _NO_CONVERSION


def _recase(value: str, schema: dict[str, Any]) -> str:
    """``value`` in the letter case (or date-time form) its schema's ``enum`` or ``pattern`` settles, if
    just one; else as is."""
    enum = schema.get("enum")
    if isinstance(enum, list) and value not in enum:
        same = [
            member for member in enum if isinstance(member, str) and member.casefold() == value.casefold()
        ]
        return same[0] if len(same) == 1 else value
    pattern = schema.get("pattern")
    if not isinstance(pattern, str):
        return value
    try:
        compiled = re.compile(pattern)
    except re.error:
        return value
    if compiled.search(value):
        return value
    forms = (value.upper(), value.lower(), _DATE_SPACE_TIME.sub(r"\1T\2", value))
    matching = {form for form in forms if form != value and compiled.search(form)}
    return matching.pop() if len(matching) == 1 else value


def _wrap_single(value: Any, items: Any) -> Any:
    item_types = json_type_names(items)
    if value is None or isinstance(value, list) or not item_types:
        return _NO_CONVERSION
    item = coerce_value(value, items)
    if any(matches_type(item, t) for t in item_types):
        return [item]
    return _NO_CONVERSION


def _coerce_children(value: Any, schema: dict[str, Any]) -> Any:
    if isinstance(value, dict):
        properties = schema.get("properties")
        extra = schema.get("additionalProperties")
        out: dict[Any, Any] = {}
        for key, item in value.items():
            if isinstance(properties, dict) and key in properties:
                out[key] = coerce_value(item, properties[key])
            elif isinstance(extra, dict):
                out[key] = coerce_value(item, extra)
            else:
                out[key] = item
        return out
    if isinstance(value, list):
        prefix = schema.get("prefixItems")
        items = schema.get("items")
        result = []
        for index, item in enumerate(value):
            if isinstance(prefix, list) and index < len(prefix):
                result.append(coerce_value(item, prefix[index]))
            elif isinstance(items, list) and index < len(items):
                result.append(coerce_value(item, items[index]))
            elif isinstance(items, dict):
                result.append(coerce_value(item, items))
            else:
                result.append(item)
        return result
    return value


def coerce_value(value: Any, schema: Any) -> Any:
    """Return ``value`` coerced towards ``schema`` where unambiguous; never raises, never mutates input."""
    if not isinstance(schema, dict):
        return value
    if isinstance(value, tuple):
        value = list(value)
    types = json_type_names(schema)
    if isinstance(value, str) and (types is None or "string" in types):
        value = _recase(value, schema)
    if types is None or any(matches_type(value, t) for t in types):
        return _coerce_children(value, schema)
    conversions = [c for c in (_convert(value, t, schema) for t in types) if c is not _NO_CONVERSION]
    if len(conversions) == 1:
        return _coerce_children(conversions[0], schema)
    return value
