"""Turn the free-form ``api_arguments`` of community zoo entries into JSON Schema properties.

The same field appears as ``"[REQUIRED] string: The ID"``, ``"integer (Optional, page size)"``,
``{"description": …, "data_type": "integer"}``, a nested dict of sub-fields, a list of allowed values,
a bare default such as ``true``, or nothing. Each shape maps to the closest honest schema; a type is
only stated when the text states one.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["json_type", "properties_from_arguments", "property_schema"]

_TYPE_WORDS: dict[str, str] = {
    **dict.fromkeys(["string", "str", "text", "uuid", "date", "datetime", "email", "url", "uri"], "string"),
    **dict.fromkeys(["integer", "int", "int32", "int64", "long"], "integer"),
    **dict.fromkeys(["number", "float", "double", "decimal"], "number"),
    **dict.fromkeys(["boolean", "bool"], "boolean"),
    **dict.fromkeys(["array", "list", "tuple"], "array"),
    **dict.fromkeys(["object", "dict", "json", "map"], "object"),
}
_LEADING_WORD = re.compile(r"^([A-Za-z][\w\[\]<>]*)\s*(:|\(|$)")
_REQUIRED_TEXT = re.compile(r"^\(?\s*required\b|\brequired (?:path |query |body )?parameter\b", re.IGNORECASE)
_OPTIONAL_PREFIX = re.compile(r"^\(?\s*optional\s*[,.:]?\s*", re.IGNORECASE)


def json_type(word: str) -> str | None:
    """The JSON Schema type a type word names (``int`` → ``integer``, ``list[str]`` → ``array``)."""
    base = re.split(r"[\[<]", word.strip().lower(), maxsplit=1)[0]
    return _TYPE_WORDS.get(base)


def _from_text(text: str) -> tuple[dict[str, Any], bool]:
    rest = text.strip()
    required = False
    if rest.upper().startswith("[REQUIRED]"):
        required, rest = True, rest[len("[REQUIRED]") :].strip()
    schema: dict[str, Any] = {}
    match = _LEADING_WORD.match(rest)
    if match and json_type(match.group(1)):
        schema["type"] = json_type(match.group(1))
        rest = rest[match.end(1) :].strip()
        if rest.startswith("(") and rest.endswith(")"):
            rest = rest[1:-1].strip()
    rest = rest.removeprefix(":").strip()
    if _REQUIRED_TEXT.search(rest):
        required = True
    rest = _OPTIONAL_PREFIX.sub("", rest)
    if rest:
        schema["description"] = rest
    return schema, required


def _scalar_type(value: Any) -> str | None:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return None


def property_schema(value: Any) -> tuple[dict[str, Any], bool]:
    """The JSON Schema for one argument description, and whether the description says it is required."""
    if value is None:
        return {}, False
    if isinstance(value, str):
        return _from_text(value)
    if isinstance(value, dict):
        if "description" in value or "data_type" in value or "type" in value:
            schema: dict[str, Any] = {}
            declared = value.get("data_type", value.get("type"))
            if isinstance(declared, str) and json_type(declared):
                schema["type"] = json_type(declared)
            if isinstance(value.get("description"), str) and value["description"].strip():
                schema["description"] = value["description"].strip()
            return schema, value.get("required") is True
        properties, required = properties_from_arguments(value)
        nested: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            nested["required"] = required
        return nested, False
    if isinstance(value, list):
        types = {_scalar_type(item) for item in value}
        if value and None not in types and len(types) == 1:
            return {"type": types.pop(), "enum": list(value)}, False
        return {"type": "array"}, False
    scalar = _scalar_type(value)
    return ({"type": scalar, "default": value} if scalar else {}), False


def properties_from_arguments(arguments: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """JSON Schema ``properties`` and ``required`` for a dict of argument descriptions (names kept)."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    for name, value in arguments.items():
        key = str(name).strip()
        if not key:
            continue
        schema, is_required = property_schema(value)
        properties[key] = schema
        if is_required:
            required.append(key)
    return properties, required
