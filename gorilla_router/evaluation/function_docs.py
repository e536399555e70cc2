"""BFCL / OpenFunctions function docs → ``ApiSpec``s that any generator can be offered.

Benchmark docs use Python-flavoured type names (``integer, float, string, boolean, array, dict, tuple, any``);
specs use JSON Schema, so ``float`` → ``number``, ``dict`` → ``object``, ``tuple`` → ``array`` and ``any`` →
no ``type`` at all. The specs are ``kind="python"`` with a callable in
:mod:`gorilla_router.evaluation.unexecuted` — a module that exists only to refuse: benchmark functions are
scored on the call the model *wrote* and are never executed (there is nothing behind them to run).
"""

from __future__ import annotations

import re
from typing import Any

from gorilla_router.errors import ConfigError
from gorilla_router.specs import ApiSpec

__all__ = [
    "JSON_SCHEMA_TYPE",
    "UNEXECUTED_MODULE",
    "function_doc_to_spec",
    "function_name",
    "spec_id_for",
    "to_json_schema",
]

UNEXECUTED_MODULE = "gorilla_router.evaluation.unexecuted"
JSON_SCHEMA_TYPE = {
    "integer": "integer",
    "int": "integer",
    "float": "number",
    "number": "number",
    "string": "string",
    "str": "string",
    "boolean": "boolean",
    "bool": "boolean",
    "array": "array",
    "list": "array",
    "tuple": "array",
    "dict": "object",
    "object": "object",
}
"""Benchmark type names (Python-flavoured or JSON Schema, lower-cased) → JSON Schema; ``any`` has none."""
_NOT_ID_CHAR = re.compile(r"[^A-Za-z0-9_]")


def function_name(doc: dict[str, Any]) -> str:
    """The name a call must use: OpenFunctions' ``api_call`` (``name`` is a title there), else ``name``."""
    name = doc.get("api_call") or doc.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"a function doc needs a 'name' (or 'api_call'); got keys {sorted(doc)}")
    return name.strip()


def spec_id_for(name: str) -> str:
    """A valid dotted spec id for a benchmark function name (other characters become ``_``).

    BFCL names are almost always valid already (``math.factorial``, ``calc_area``); the mapping is
    deterministic so the checker compares ids on both sides.
    """
    segments = [_NOT_ID_CHAR.sub("_", part) or "_" for part in name.split(".")]
    return ".".join(f"_{part}" if part[0].isdigit() else part for part in segments)


def to_json_schema(schema: Any) -> Any:
    """Translate a benchmark parameter schema to JSON Schema, recursively (properties, items, …)."""
    if isinstance(schema, list):
        return [to_json_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    converted: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "type" and isinstance(value, str):
            mapped = JSON_SCHEMA_TYPE.get(value.lower())
            if mapped is not None:
                converted["type"] = mapped
            continue
        if key == "properties" and isinstance(value, dict):
            converted[key] = {name: to_json_schema(sub) for name, sub in value.items()}
        elif key in ("items", "additionalProperties", "anyOf", "oneOf"):
            converted[key] = to_json_schema(value)
        else:
            converted[key] = value
    return converted


def function_doc_to_spec(doc: dict[str, Any]) -> ApiSpec:
    """One benchmark function doc as an ``ApiSpec`` (never executable; see the module docstring)."""
    name = function_name(doc)
    spec_id = spec_id_for(name)
    parameters = to_json_schema(doc.get("parameters") or {})
    parameters["type"] = "object"
    properties = parameters.setdefault("properties", {})
    required = parameters.get("required", doc.get("required", []))
    parameters["required"] = [r for r in required if r in properties]
    description = str(doc.get("description") or doc.get("name") or name)
    return ApiSpec(
        id=spec_id,
        name=str(doc.get("name") or name),
        description=description,
        kind="python",
        callable=f"{UNEXECUTED_MODULE}:{spec_id}",
        parameters=parameters,
        side_effects="none",
        tags=["benchmark"],
    )
