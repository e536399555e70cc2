"""Check a call's arguments against its spec's JSON Schema: coerce, apply defaults, report every problem.

The message for each problem names the parameter, what was expected and what was given, because the
reader is often a model that will retry: ``parameter 'x': expected a number, got 'sqrt of 3342398'``.
All missing required parameters and all unknown parameters are reported at once, not one per retry.
Unknown top-level parameters are refused unless the schema says ``additionalProperties``; nested objects
follow standard JSON Schema semantics.
"""

from __future__ import annotations

import copy
import difflib
import json
from functools import lru_cache
from typing import Any

import jsonschema
from jsonschema.protocols import Validator

from gorilla_router.errors import SpecError, UsageError, ValidationError
from gorilla_router.execution.coercion import coerce_value
from gorilla_router.schemas import (
    SchemaProblem,
    accepts_unknown_names,
    checked_schema,
    json_type_names,
    validator_for,
)
from gorilla_router.specs import ApiCall, ApiSpec

__all__ = ["validate_arguments"]

_ARTICLES = {"integer": "an integer", "array": "an array", "object": "an object", "null": "null"}


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _describe_types(schema: Any) -> str:
    names = json_type_names(schema) or ["a value"]
    return " or ".join(_ARTICLES.get(n, f"a {n}") for n in names)


def _location(path: Any) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@lru_cache(maxsize=512)
def _compiled(schema_json: str, api_id: str) -> tuple[dict[str, Any], Validator]:
    """The normalised schema and a validator for it; the same check ``zoo validate`` runs decides validity."""
    try:
        schema: dict[str, Any] = checked_schema(json.loads(schema_json))
    except SchemaProblem as exc:
        raise SpecError(
            f"API {api_id!r} has an invalid parameters schema: {exc.message} "
            f"(at {'/'.join(str(p) for p in exc.path) or 'the top level'}); fix the zoo entry"
        ) from exc
    relaxed = dict(schema)
    if not accepts_unknown_names(relaxed):
        relaxed["additionalProperties"] = True  # unknown names are reported by us, one message each
    relaxed.pop("required", None)  # missing names are reported by us, with their types
    cls = validator_for(schema)
    return schema, cls(relaxed, format_checker=cls.FORMAT_CHECKER)


def _apply_defaults(value: Any, schema: Any) -> Any:
    if not isinstance(value, dict) or not isinstance(schema, dict):
        return value
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return value
    out = dict(value)
    for name, sub in properties.items():
        if name in out:
            out[name] = _apply_defaults(out[name], sub)
        elif isinstance(sub, dict) and "default" in sub:
            out[name] = copy.deepcopy(sub["default"])
    return out


def _names(names: list[Any]) -> str:
    quoted = [repr(name) for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _required_only(branch: Any) -> list[Any] | None:
    """The names an ``anyOf``/``oneOf`` branch requires, when requiring names is all it does."""
    if isinstance(branch, dict) and set(branch) <= {"required", "description"}:
        required = branch.get("required")
        if isinstance(required, list) and required:
            return required
    return None


def _alternatives_message(error: jsonschema.ValidationError, where: str) -> str | None:
    """Name the alternatives of a failed ``anyOf``/``oneOf``: ``give 'q', or 'lat' and 'lon'``.

    jsonschema only says "is not valid under any of the given schemas", which tells neither a user nor a
    retrying model what to send. Branches that require names are spelled out, branches with a ``type`` are
    described by it; anything else keeps jsonschema's message (None here).
    """
    branches = error.validator_value if isinstance(error.validator_value, list) else []
    several_match = error.validator == "oneOf" and not error.context  # no branch failed: more than one fits
    groups = [_required_only(branch) for branch in branches]
    if branches and all(group is not None for group in groups):
        choices = ", or ".join(_names(group) for group in groups if group)
        named = {name for group in groups if group for name in group}
        present = error.instance if isinstance(error.instance, dict) else {}
        given = sorted(str(name) for name in present if name in named)
        got = f"given: {_names(given)}" if given else "none of them was given"
        verb = "give only one of" if several_match else "give"
        prefix = "arguments: " if where == "arguments" else f"parameter {where!r}: "
        return f"{prefix}{verb} {choices} ({got})"
    if branches and not several_match and all(isinstance(b, dict) and "type" in b for b in branches):
        choices = ", or ".join(_describe_types(branch) for branch in branches)
        return f"parameter {where!r}: expected {choices}, got {_short(error.instance)}"
    return None


def _message(error: jsonschema.ValidationError) -> str:
    where = _location(error.absolute_path) or "arguments"
    if error.validator in ("anyOf", "oneOf"):
        alternatives = _alternatives_message(error, where)
        if alternatives is not None:
            return alternatives
    if error.validator == "type":
        return f"parameter {where!r}: expected {_describe_types(error.schema)}, got {_short(error.instance)}"
    if error.validator == "enum" and isinstance(error.validator_value, list):
        allowed = ", ".join(_short(v, 40) for v in error.validator_value)
        return f"parameter {where!r}: expected one of {allowed}, got {_short(error.instance)}"
    return f"parameter {where!r}: {error.message}"


def _top_level_problems(arguments: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    properties: dict[str, Any] = schema.get("properties", {}) or {}
    problems = []
    for name in schema.get("required", []) or []:
        if name not in arguments:
            sub = properties.get(name, {})
            problems.append(f"missing required parameter {name!r} ({_describe_types(sub)})")
    if not accepts_unknown_names(schema):
        known = ", ".join(properties) or "none"
        for name in arguments:
            if name not in properties:
                close = difflib.get_close_matches(str(name), list(properties), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                problems.append(f"unknown parameter {name!r} (this API accepts: {known}){hint}")
    return problems


def validate_arguments(call: ApiCall, spec: ApiSpec) -> ApiCall:
    """Return a copy of ``call`` with coerced values and defaults, or raise ``ValidationError``.

    ``ValidationError.errors`` holds one message per problem. A schema that is itself invalid raises
    ``SpecError`` (the zoo entry is wrong, not the model), a call for another API raises ``UsageError``.
    """
    if call.api_id != spec.id:
        raise UsageError(
            f"call is for {call.api_id!r} but the spec given is {spec.id!r}; pass the call's own spec"
        )
    schema, validator = _compiled(json.dumps(spec.parameters, default=repr), spec.id)
    arguments = _apply_defaults(coerce_value(dict(call.arguments), schema), schema)
    problems = _top_level_problems(arguments, schema)
    for error in sorted(validator.iter_errors(arguments), key=lambda e: [str(p) for p in e.absolute_path]):
        problems.append(_message(error))
    if problems:
        summary = f"{len(problems)} problem(s) with the arguments of {spec.id}"
        raise ValidationError(summary + ": " + "; ".join(problems), errors=problems, raw=call.raw)
    return call.model_copy(update={"arguments": arguments})
