"""Parse an example's ``call`` string (``math.sqrt(x=3342398)``) into a function name and literal arguments.

Examples are data, so they are read by :mod:`gorilla_router.callsyntax` (``ast`` only, never executed), the
same core that reads model output. The zoo's policy on top of it: examples name every argument
(``name=value``, no positional arguments, no ``**kwargs``), values are plain Python literals (``true`` is
not one here — an example is documentation written in Python), and every refusal is an
``ExampleCallError`` that ``zoo validate`` reports against the example's field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gorilla_router.callsyntax import CallSyntaxError, parse_single_call, read_call

__all__ = ["ExampleCall", "ExampleCallError", "parse_example_call"]


class ExampleCallError(ValueError):
    """The call string is not one call with keyword arguments whose values are literals."""


@dataclass(frozen=True)
class ExampleCall:
    """A parsed example call: the dotted function name and its keyword arguments."""

    function: str
    arguments: dict[str, Any] = field(default_factory=dict)


def parse_example_call(text: str) -> ExampleCall:
    """Parse one call such as ``openmeteo.forecast(latitude=52.5, longitude=13.4)``.

    Raises ``ExampleCallError`` naming what is wrong: not Python, not a single call, positional
    arguments (examples must name their parameters), ``**kwargs``, or a value that is not a literal.
    """
    try:
        node = parse_single_call(text)
        if node.args:
            raise ExampleCallError(
                "positional arguments are not allowed: write name=value for every argument"
            )
        if any(keyword.arg is None for keyword in node.keywords):
            raise ExampleCallError("**kwargs is not allowed: write name=value for every argument")
        call = read_call(node, text.strip(), names={})
    except CallSyntaxError as error:
        raise ExampleCallError(str(error)) from error
    return ExampleCall(call.name, call.keywords)
