"""Deep checks on one parsed ``ApiSpec``: things the pydantic model alone cannot know.

Each check returns ``Problem`` lines naming the field to edit. They are separate functions so the
importers can run the cheap ones (schema, examples) without importing any code.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from gorilla_router.errors import Problem
from gorilla_router.schemas import SchemaProblem, accepts_unknown_names, checked_schema, validator_for
from gorilla_router.specs import ApiSpec, RestSpec
from gorilla_router.zoo.callable_checks import check_callable
from gorilla_router.zoo.example_calls import ExampleCallError, parse_example_call
from gorilla_router.zoo.problems import field_path

__all__ = [
    "check_callable",
    "check_examples",
    "check_parameters_schema",
    "check_rest",
    "check_spec",
]

_SECRET_HEADER = re.compile(r"authorization|api[-_]?key|token|secret|password|cookie", re.IGNORECASE)


def check_parameters_schema(spec: ApiSpec, file: str) -> list[Problem]:
    """``parameters`` must be a valid JSON Schema once BFCL type names are read as the runtime reads them.

    The check is :func:`gorilla_router.schemas.checked_schema`, the one the runtime validator runs, so
    ``"type": "dict"`` passes here because it works at run time, and an unknown type fails in both.
    """
    try:
        checked_schema(spec.parameters)
    except SchemaProblem as problem:
        where = field_path(["parameters", *problem.path])
        return [Problem(file, spec.id, where, f"not a valid JSON Schema: {problem.message}")]
    return []


def check_rest(spec: ApiSpec, file: str) -> list[Problem]:
    """A REST spec's URL must be well formed, its placeholders declared and no secret written into it."""
    if not isinstance(spec, RestSpec):
        return []
    problems: list[Problem] = []
    parts = urlsplit(spec.base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        problems.append(Problem(file, spec.id, "base_url", "must be an absolute http(s) URL with a host"))
    if parts.username or parts.password:
        problems.append(Problem(file, spec.id, "base_url", "must not contain credentials; use 'auth'"))
    if parts.query or parts.fragment:
        message = "must not contain a query or fragment; declare query parameters in 'parameters'"
        problems.append(Problem(file, spec.id, "base_url", message))
    stripped = re.sub(r"\{[A-Za-z_][A-Za-z0-9_]*\}", "", spec.path)
    if "{" in stripped or "}" in stripped:
        message = "malformed placeholder: use {name} with a Python identifier inside the braces"
        problems.append(Problem(file, spec.id, "path", message))
    for name in spec.path_parameters:
        if name not in spec.required:
            message = f"path parameter {name!r} must be listed in parameters.required"
            problems.append(Problem(file, spec.id, "parameters.required", message))
    for header, value in spec.headers.items():
        if _SECRET_HEADER.search(header) and value.strip():
            message = "looks like a credential written into the spec; use 'auth' with an environment variable"
            problems.append(Problem(file, spec.id, f"headers.{header}", message))
    if spec.method == "DELETE" and spec.side_effects in ("none", "read"):
        message = f"a DELETE call cannot be {spec.side_effects!r}; mark it 'destructive'"
        problems.append(Problem(file, spec.id, "side_effects", message))
    return problems


def _undeclared_arguments(spec: ApiSpec, arguments: dict[str, Any]) -> list[str]:
    if accepts_unknown_names(spec.parameters):
        return []
    return [name for name in arguments if name not in spec.properties]


def check_examples(spec: ApiSpec, file: str) -> list[Problem]:
    """Every example call parses, names this spec and has arguments that fit ``parameters``.

    Arguments are checked as written, without the runtime's coercion: an example is documentation, so it
    should show values of the declared types.
    """
    problems: list[Problem] = []
    try:
        schema = checked_schema(spec.parameters)
    except SchemaProblem:  # reported by check_parameters_schema
        validator = None
    else:
        validator = validator_for(schema)(schema)
    for index, example in enumerate(spec.examples):
        where = f"examples[{index}].call"
        try:
            call = parse_example_call(example.call)
        except ExampleCallError as error:
            problems.append(Problem(file, spec.id, where, str(error)))
            continue
        if call.function != spec.id:
            message = f"calls {call.function!r}, but an example must call this entry's id {spec.id!r}"
            problems.append(Problem(file, spec.id, where, message))
        for name in _undeclared_arguments(spec, call.arguments):
            problems.append(Problem(file, spec.id, where, f"argument {name!r} is not declared in parameters"))
        if validator is None:
            continue
        for failure in sorted(validator.iter_errors(call.arguments), key=lambda e: list(map(str, e.path))):
            argument = ".".join(str(p) for p in failure.path) or "<arguments>"
            problems.append(Problem(file, spec.id, where, f"{argument}: {failure.message}"))
    return problems


def check_spec(spec: ApiSpec, file: str, *, import_callables: bool = True) -> list[Problem]:
    """All deep checks for one spec. ``import_callables=False`` skips importing python callables."""
    problems = check_parameters_schema(spec, file) + check_rest(spec, file) + check_examples(spec, file)
    if import_callables:
        problems += check_callable(spec, file)
    return problems
