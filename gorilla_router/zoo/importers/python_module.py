"""Scaffold ``ApiSpec``s from Python callables: a module's public functions, or one ``module:qualname``.

The signature gives the parameters (defaults kept, no default → required), type hints give their JSON
Schema types, and the docstring gives the description (first paragraph) and the parameter descriptions
(Google, NumPy or Sphinx sections). A parameter that JSON cannot carry is left out when optional and
makes the function unrepresentable when required; either way the report says so.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import json
import re
import sys
import typing
from typing import Any

from gorilla_router.errors import UsageError
from gorilla_router.specs import CALLABLE_PATTERN, ApiSpec
from gorilla_router.zoo.importers.docstrings import parse_docstring
from gorilla_router.zoo.importers.naming import side_effects_for_words
from gorilla_router.zoo.importers.python_types import schema_for_type
from gorilla_router.zoo.importers.report import ImportReport

__all__ = ["import_python_module", "resolve_callable", "spec_from_callable"]


def resolve_callable(target: str) -> tuple[str, str, Any]:
    """``"module:qualname"`` → (module name, qualname, the object); ``UsageError`` saying what failed."""
    if not re.match(CALLABLE_PATTERN, target):
        raise UsageError(f"{target!r} is not 'package.module:qualname' (e.g. 'statistics:mean')")
    module_name, qualname = target.split(":", 1)
    try:
        obj: Any = importlib.import_module(module_name)
    except ImportError as error:
        raise UsageError(f"cannot import module {module_name!r}: {error}") from error
    for part in qualname.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError as error:
            raise UsageError(f"module {module_name!r} has no attribute {qualname!r}") from error
    if not callable(obj):
        raise UsageError(f"{target} is a {type(obj).__name__}, not a callable")
    return module_name, qualname, obj


def _requirements(module_name: str) -> list[str]:
    """The distributions that provide a module (none for the standard library or a local module)."""
    top = module_name.split(".", 1)[0]
    if top in sys.stdlib_module_names:
        return []
    return sorted(set(importlib.metadata.packages_distributions().get(top, [])))


def _hints(function: Any) -> dict[str, Any]:
    try:
        return typing.get_type_hints(function, include_extras=True)
    except Exception:  # unresolvable forward references: fall back to no hints rather than fail
        return {}


def _jsonable(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def _type_of_default(value: Any) -> dict[str, Any]:
    for python_type, json_type in ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string")):
        if isinstance(value, python_type):
            return {"type": json_type}
    return {}


def spec_from_callable(target: str, *, api_id: str | None = None, notes: list[str] | None = None) -> ApiSpec:
    """Scaffold a python ``ApiSpec`` for ``module:qualname``; guesses and omissions go to ``notes``."""
    notes = [] if notes is None else notes
    module_name, qualname, function = resolve_callable(target)
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError) as error:
        raise UsageError(f"{target}: no inspectable signature ({error})") from error
    summary, described = parse_docstring(inspect.getdoc(function))
    hints = _hints(function)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for name, parameter in signature.parameters.items():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            stars = "*" if parameter.kind is parameter.VAR_POSITIONAL else "**"
            notes.append(f"{stars}{name} cannot be described as named parameters; left out")
            continue
        if parameter.kind is parameter.POSITIONAL_ONLY:
            notes.append(f"parameter {name!r} is positional-only; a caller must pass it by position")
        try:
            schema = schema_for_type(hints.get(name, parameter.annotation))
        except TypeError as error:
            if parameter.default is parameter.empty:
                raise UsageError(f"{target}: required parameter {name!r}: {error}") from error
            notes.append(f"optional parameter {name!r} left out: {error}")
            continue
        if described.get(name):
            schema["description"] = described[name]
        if parameter.default is parameter.empty:
            required.append(name)
        elif _jsonable(parameter.default):
            if "type" not in schema and "anyOf" not in schema and "enum" not in schema:
                schema.update(_type_of_default(parameter.default))  # no hint: the default shows the type
            schema["default"] = parameter.default
        properties[name] = schema
    guessed = side_effects_for_words(qualname)
    return ApiSpec.model_validate(
        {
            "id": api_id or f"{module_name}.{qualname}",
            "name": qualname,
            "description": summary or f"{qualname} from the Python module {module_name}.",
            "kind": "python",
            "callable": f"{module_name}:{qualname}",
            "parameters": {"type": "object", "properties": properties, "required": required},
            "side_effects": "none" if guessed == "read" else guessed,
            "requirements": _requirements(module_name),
        }
    )


def _public_functions(module: Any) -> list[str]:
    """Public functions defined in the module itself (re-exports belong to their own module)."""
    names = getattr(module, "__all__", None) or [n for n in dir(module) if not n.startswith("_")]
    chosen = []
    for name in names:
        obj = getattr(module, name, None)
        is_function = inspect.isfunction(obj) or inspect.isbuiltin(obj)
        if is_function and getattr(obj, "__module__", None) in (module.__name__, None):
            chosen.append(name)
    return sorted(chosen)


def import_python_module(target: str) -> ImportReport:
    """Specs for a module's public functions (``"statistics"``) or one callable (``"statistics:mean"``)."""
    report = ImportReport()
    if ":" in target:
        targets = [target]
    else:
        try:
            module = importlib.import_module(target)
        except ImportError as error:
            raise UsageError(f"cannot import module {target!r}: {error}") from error
        targets = [f"{target}:{name}" for name in _public_functions(module)]
    for item in targets:
        report.seen += 1
        notes: list[str] = []
        try:
            report.specs.append(spec_from_callable(item, notes=notes))
        except (UsageError, ValueError) as error:
            report.skip(target, item.split(":", 1)[1], str(error).replace("\n", " "))
        for note in notes:
            report.note(target, item.split(":", 1)[1], note)
    return report
