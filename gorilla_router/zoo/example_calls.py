"""Parse an example's ``call`` string (``math.sqrt(x=3342398)``) into a function name and literal arguments.

Examples are data, so they are read with Python's ``ast`` and ``ast.literal_eval`` only — never executed.
The zoo keeps its own small parser (the generation area has a general one for model output) so that
validating the zoo depends on nothing but the zoo.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ExampleCall", "ExampleCallError", "dotted_name", "parse_example_call"]


class ExampleCallError(ValueError):
    """The call string is not one call with keyword arguments whose values are literals."""


@dataclass(frozen=True)
class ExampleCall:
    """A parsed example call: the dotted function name and its keyword arguments."""

    function: str
    arguments: dict[str, Any] = field(default_factory=dict)


def dotted_name(node: ast.expr) -> str | None:
    """``a.b.c`` for a chain of attribute accesses on a name; ``None`` for anything else."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _json_like(value: Any) -> Any:
    """Tuples become lists so that JSON Schema's ``array`` accepts ``(1, 2)`` as it accepts ``[1, 2]``."""
    if isinstance(value, (list, tuple)):
        return [_json_like(item) for item in value]
    if isinstance(value, dict):
        return {key: _json_like(item) for key, item in value.items()}
    return value


def parse_example_call(text: str) -> ExampleCall:
    """Parse one call such as ``openmeteo.forecast(latitude=52.5, longitude=13.4)``.

    Raises ``ExampleCallError`` naming what is wrong: not Python, not a single call, positional
    arguments (examples must name their parameters), ``**kwargs``, or a value that is not a literal.
    """
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        raise ExampleCallError(
            f"not a Python call expression: {error.msg} (column {error.offset})"
        ) from error
    call = tree.body
    if not isinstance(call, ast.Call):
        raise ExampleCallError("must be a single call such as api.id(name=value)")
    function = dotted_name(call.func)
    if function is None:
        raise ExampleCallError("the called function must be a dotted name such as provider.api")
    if call.args:
        raise ExampleCallError("positional arguments are not allowed: write name=value for every argument")
    arguments: dict[str, Any] = {}
    for keyword in call.keywords:
        if keyword.arg is None:
            raise ExampleCallError("**kwargs is not allowed: write name=value for every argument")
        try:
            arguments[keyword.arg] = _json_like(ast.literal_eval(keyword.value))
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError) as error:
            raise ExampleCallError(
                f"argument {keyword.arg!r} is not a literal value (use strings, numbers, lists, dicts, "
                "True/False/None)"
            ) from error
    return ExampleCall(function, arguments)
