"""Python call expressions → ``ApiCall``; the syntax is :mod:`gorilla_router.callsyntax` (``ast`` only).

A model's output is untrusted text. The core accepts exactly one shape — ``dotted.name(literal,
key=literal, …)`` — and refuses anything else (a nested call such as ``__import__('os').system('…')``, a
variable, an f-string, arithmetic) with a message that quotes it. This module adds the generation
policy: every refusal is a ``GenerationError`` (the model can be told exactly what was wrong and try
again), ``true``/``false``/``null`` are read as JSON spells them, and positional arguments are named from
the spec's schema.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any, TypeVar

from gorilla_router import callsyntax
from gorilla_router.callsyntax import CallSyntaxError, quote, source_text
from gorilla_router.errors import GenerationError
from gorilla_router.specs import ApiCall, ApiSpec

__all__ = ["call_name", "literal_value", "parse_call", "parse_call_expression", "quote"]

_T = TypeVar("_T")


def _as_generation_error(read: Callable[[], _T], source: str) -> _T:
    """Run one core read; a ``CallSyntaxError`` becomes the ``GenerationError`` callers here expect."""
    try:
        return read()
    except CallSyntaxError as exc:
        raise GenerationError(str(exc), raw=source) from exc


def call_name(func: ast.expr, source: str = "") -> str:
    """The dotted name of a call target (``a.b.c``); anything else (``f()()``, ``x[0]()``) is an error."""
    return _as_generation_error(lambda: callsyntax.call_name(func, source), source)


def literal_value(node: ast.expr, source: str = "", where: str = "value") -> Any:
    """Convert a literal node to a JSON-like Python value; refuse everything that is not a literal."""
    return _as_generation_error(lambda: callsyntax.literal_value(node, source, where), source)


def _positional_names(node: ast.Call, name: str, spec: ApiSpec | None, source: str) -> list[str]:
    """The parameter each positional argument fills, in the order the spec's schema declares them."""
    if not node.args or any(isinstance(arg, ast.Starred) for arg in node.args):
        return []  # starred arguments are refused by the core, which says why
    if spec is None:
        raise GenerationError(
            f"{name}(...) passes {len(node.args)} positional argument(s) but the API is unknown, so they "
            f"cannot be named; write keyword arguments (name=value): {quote(source_text(node, source))}",
            raw=source,
        )
    order = list(spec.properties)
    if len(node.args) > len(order):
        raise GenerationError(
            f"{name}(...) passes {len(node.args)} positional arguments but {spec.id} has only "
            f"{len(order)} parameter(s) ({', '.join(order) or 'none'})",
            raw=source,
        )
    return order[: len(node.args)]


def parse_call_expression(
    node: ast.Call, spec: ApiSpec | None = None, source: str = "", *, api_id: str | None = None
) -> ApiCall:
    """Convert one ``ast.Call`` into an ``ApiCall`` (name from the node unless ``api_id`` is given).

    Positional arguments are mapped to the spec's parameters in the order its schema declares them; without
    a spec they are an error, because their names cannot be known.
    """
    name = api_id or call_name(node.func, source)
    order = _positional_names(node, name, spec, source)
    read = _as_generation_error(
        lambda: callsyntax.read_call(node, source, name=name, positional_names=order), source
    )
    arguments: dict[str, Any] = dict(zip(order, read.positional, strict=True))
    for keyword, value in read.keywords.items():
        if keyword in arguments:
            raise GenerationError(
                f"{name}(...) gives argument {keyword!r} both by position and by keyword", raw=source
            )
        arguments[keyword] = value
    try:
        return ApiCall(api_id=name, arguments=arguments, raw=source)
    except ValueError as exc:
        raise GenerationError(f"{name!r} is not a valid API id", raw=source) from exc


def parse_call(text: str, spec: ApiSpec | None = None) -> ApiCall:
    """Parse exactly one call string such as a gold answer ``coffee_shop.find_nearby(location="SF")``."""
    node = _as_generation_error(lambda: callsyntax.parse_single_call(text), text)
    return parse_call_expression(node, spec, text.strip())
