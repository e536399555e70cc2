"""Normalise the JSON-Schema dialects found in the wild to standard JSON Schema.

Gorilla / BFCL function definitions use Python-flavoured type names (``float``, ``dict``, ``tuple``,
``any`` …). jsonschema would reject them as unknown types, so every schema is rewritten once, recursively,
before it is used: the validator then speaks only standard draft 2020-12.
"""

from __future__ import annotations

from typing import Any

__all__ = ["TYPE_ALIASES", "json_type_names", "normalise_schema"]

#: Python-ish or vendor type names → the JSON Schema type they mean (``None``: any type at all).
TYPE_ALIASES: dict[str, str | None] = {
    "float": "number",
    "double": "number",
    "int": "integer",
    "long": "integer",
    "dict": "object",
    "map": "object",
    "tuple": "array",
    "list": "array",
    "set": "array",
    "str": "string",
    "bool": "boolean",
    "none": "null",
    "any": None,
}

_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")
_SCHEMA_SINGLES = ("items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else")


def _normalise_type(value: Any) -> Any:
    """Map one ``type`` value (a name or a list of names) to standard names; ``None`` drops the keyword."""
    if isinstance(value, str):
        return TYPE_ALIASES.get(value.lower(), value)
    if isinstance(value, list):
        names = [_normalise_type(v) for v in value]
        if any(n is None for n in names):
            return None
        return list(dict.fromkeys(names))
    return value


def normalise_schema(schema: Any) -> Any:
    """Return a normalised deep copy of ``schema``; the input is never modified."""
    if isinstance(schema, list):  # draft-4 style tuple ``items``
        return [normalise_schema(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "type":
            normalised = _normalise_type(value)
            if normalised is not None:
                out[key] = normalised
        elif key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: normalise_schema(sub) for name, sub in value.items()}
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [normalise_schema(sub) for sub in value]
        elif key in _SCHEMA_SINGLES:
            out[key] = normalise_schema(value)
        else:
            out[key] = value
    return out


def json_type_names(schema: Any) -> list[str] | None:
    """The (normalised) type names a schema declares, or ``None`` when it accepts any type."""
    if not isinstance(schema, dict) or "type" not in schema:
        return None
    declared = schema["type"]
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list) and all(isinstance(t, str) for t in declared):
        return list(declared)
    return None
