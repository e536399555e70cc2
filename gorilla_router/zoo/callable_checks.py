"""Checks on a python spec's ``callable``: it imports, it is callable, and its signature fits ``parameters``.

The executor binds arguments by name (positional-only ones are passed by position), so a declared parameter
the function does not have, or a required function parameter the spec does not declare, makes every call
fail at run time; both are reported here instead, naming the parameter.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

from gorilla_router.errors import Problem
from gorilla_router.specs import ApiSpec, PythonSpec

__all__ = ["check_callable", "check_signature"]


def _resolve(spec: PythonSpec, file: str) -> tuple[Any, list[Problem]]:
    module_name, qualname = spec.callable.split(":", 1)
    try:
        target: Any = importlib.import_module(module_name)
    except Exception as error:  # any failure while importing user code is a problem to report
        hint = f" (requirements: {', '.join(spec.requirements)})" if spec.requirements else ""
        message = f"cannot import module {module_name!r}: {type(error).__name__}: {error}{hint}"
        return None, [Problem(file, spec.id, "callable", message)]
    for part in qualname.split("."):
        if not hasattr(target, part):
            message = f"module {module_name!r} has no attribute {qualname!r} (missing {part!r})"
            return None, [Problem(file, spec.id, "callable", message)]
        target = getattr(target, part)
    if not callable(target):
        message = f"{spec.callable} is a {type(target).__name__}, not callable"
        return None, [Problem(file, spec.id, "callable", message)]
    return target, []


def check_signature(spec: PythonSpec, file: str, target: Any) -> list[Problem]:
    """Declared parameters must exist on the callable; its parameters without defaults must be required."""
    try:
        parameters = list(inspect.signature(target).parameters.values())
    except (TypeError, ValueError):  # some builtins have no signature: nothing to compare
        return []
    variadic = {p.kind for p in parameters} & {
        inspect.Parameter.VAR_KEYWORD,
        inspect.Parameter.VAR_POSITIONAL,
    }
    named = {p.name: p for p in parameters if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)}
    problems: list[Problem] = []
    if not variadic:
        for name in spec.properties:
            if name not in named:
                message = (
                    f"{spec.callable} has no parameter {name!r} (it takes: {', '.join(named) or 'none'})"
                )
                problems.append(Problem(file, spec.id, f"parameters.properties.{name}", message))
    for name, parameter in named.items():
        if parameter.default is not parameter.empty:
            continue
        if name not in spec.properties:
            message = f"{spec.callable} needs {name!r}, which parameters does not declare"
            problems.append(Problem(file, spec.id, "parameters.properties", message))
        elif name not in spec.required:
            message = f"{name!r} has no default in {spec.callable}; list it in parameters.required"
            problems.append(Problem(file, spec.id, "parameters.required", message))
    return problems


def check_callable(spec: ApiSpec, file: str) -> list[Problem]:
    """A python spec's ``callable`` must import, resolve to something callable and fit ``parameters``."""
    if not isinstance(spec, PythonSpec):
        return []
    target, problems = _resolve(spec, file)
    return problems if target is None else check_signature(spec, file, target)
