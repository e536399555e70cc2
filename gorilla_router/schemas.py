"""What a ``parameters`` schema means, decided once for the zoo validator and the runtime validator.

Gorilla / BFCL function definitions use Python-flavoured type names (``float``, ``dict``, ``tuple``,
``any`` …) that jsonschema would reject as unknown types. Every schema is therefore rewritten once,
recursively, to standard JSON Schema before anything checks it, and then checked against the draft it
declares (2020-12 when it declares none). ``gorilla-router zoo validate`` (``zoo/checks.py``) and the
argument validator at run time (``execution/validation.py``) both go through :func:`checked_schema`, so an
entry the zoo accepts is one the runtime can validate, and an entry the runtime would refuse is reported
by ``zoo validate`` first, with the same message. This module sits next to ``specs.py`` so that every
layer may import it; it depends on nothing in the package.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jsonschema import Draft202012Validator, SchemaError, validators
from jsonschema.protocols import Validator

__all__ = [
    "JSON_TYPES",
    "TYPE_ALIASES",
    "SchemaProblem",
    "accepts_unknown_names",
    "checked_schema",
    "json_type_names",
    "normalise_schema",
    "validator_for",
]

#: The type names standard JSON Schema knows.
JSON_TYPES = ("array", "boolean", "integer", "null", "number", "object", "string")

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


class SchemaProblem(ValueError):
    """A parameters schema that is not valid JSON Schema even after normalisation.

    ``path`` locates the fault inside the schema (``("properties", "x", "type")``), so each caller can
    phrase it for its reader: a zoo field path for a contributor, a ``SpecError`` at run time.
    """

    def __init__(self, message: str, path: Sequence[int | str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = tuple(path)


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


def validator_for(schema: Any) -> type[Validator]:
    """The validator class for the draft ``schema`` declares in ``$schema`` (2020-12 when none)."""
    cls: type[Validator] = validators.validator_for(schema, default=Draft202012Validator)
    return cls


def _problem(error: SchemaError) -> SchemaProblem:
    path = [p for p in error.path if isinstance(p, (int, str))]
    if path and path[-1] == "type" and isinstance(error.instance, (str, list)):
        aliases = ", ".join(sorted(TYPE_ALIASES))
        message = (
            f"unknown type {error.instance!r}: use one of {', '.join(JSON_TYPES)} "
            f"(the Python-style names {aliases} are read as their JSON Schema equivalents)"
        )
        return SchemaProblem(message, path)
    return SchemaProblem(error.message, path)


def checked_schema(parameters: Any) -> Any:
    """``parameters`` normalised and checked against its draft; ``SchemaProblem`` says what is wrong."""
    schema = normalise_schema(parameters)
    try:
        validator_for(schema).check_schema(schema)
    except SchemaError as error:
        raise _problem(error) from error
    return schema


def accepts_unknown_names(schema: Any) -> bool:
    """Whether the top level of ``schema`` lets a call pass names it does not declare.

    Unknown top-level names are refused unless ``additionalProperties`` is given and not ``false``: a
    model that invents a parameter should hear about it rather than have it ignored.
    """
    return isinstance(schema, dict) and schema.get("additionalProperties") not in (None, False)
