"""Python call expressions → ``ApiCall``, with Python's ``ast`` only — nothing is ever evaluated.

A model's output is untrusted text. ``ast.parse`` turns it into a tree without running it; this module
then accepts exactly one shape — ``dotted.name(literal, key=literal, …)`` — and converts literal nodes
(strings, numbers, booleans, None, lists, tuples, sets, dicts, negative numbers) by hand. Anything else
(a nested call such as ``__import__('os').system('…')``, a variable, an f-string, arithmetic) is a
``GenerationError`` that quotes it: the model can be told exactly what was wrong and try again.
"""

from __future__ import annotations

import ast
from typing import Any

from gorilla_router.errors import GenerationError
from gorilla_router.specs import ApiCall, ApiSpec

__all__ = ["call_name", "literal_value", "parse_call", "parse_call_expression"]

_JSON_NAMES: dict[str, Any] = {"true": True, "false": False, "null": None}
_QUOTE_LIMIT = 240


def quote(text: str) -> str:
    """A short, repr-quoted excerpt of model text for error messages."""
    text = text.strip()
    if len(text) > _QUOTE_LIMIT:
        text = text[: _QUOTE_LIMIT - 3] + "..."
    return repr(text)


def _segment(node: ast.AST, source: str) -> str:
    return ast.get_source_segment(source, node) or ast.unparse(node)


def call_name(func: ast.expr, source: str = "") -> str:
    """The dotted name of a call target (``a.b.c``); anything else (``f()()``, ``x[0]()``) is an error."""
    parts: list[str] = []
    node = func
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        raise GenerationError(
            "the called function must be a dotted name like 'weather.forecast', got "
            f"{quote(_segment(func, source))}",
            raw=source,
        )
    parts.append(node.id)
    return ".".join(reversed(parts))


def literal_value(node: ast.expr, source: str = "", where: str = "value") -> Any:
    """Convert a literal node to a JSON-like Python value; refuse everything that is not a literal.

    Tuples and sets become lists (sets keep source order, without duplicates). ``true``/``false``/``null``
    are read as JSON spells them, because models trained on JSON write them inside Python calls.
    """
    if isinstance(node, ast.Constant):
        if isinstance(node.value, (str, int, float, bool)) or node.value is None:
            return node.value
        raise GenerationError(
            f"{where} is a {type(node.value).__name__} literal {quote(_segment(node, source))}; "
            "only strings, numbers, booleans, None, lists and dicts are accepted",
            raw=source,
        )
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = literal_value(node.operand, source, where)
        if isinstance(operand, (int, float)) and not isinstance(operand, bool):
            return -operand if isinstance(node.op, ast.USub) else operand
    elif isinstance(node, (ast.List, ast.Tuple)):
        return [literal_value(item, source, where) for item in node.elts]
    elif isinstance(node, ast.Set):
        items: list[Any] = []
        for item in node.elts:
            value = literal_value(item, source, where)
            if value not in items:
                items.append(value)
        return items
    elif isinstance(node, ast.Dict):
        result: dict[Any, Any] = {}
        for key_node, value_node in zip(node.keys, node.values, strict=True):
            if key_node is None:
                raise GenerationError(f"{where} uses ** unpacking, which is not a literal", raw=source)
            key = literal_value(key_node, source, where)
            if isinstance(key, (list, dict)):
                raise GenerationError(
                    f"{where} has a dict key that is not a scalar: {quote(_segment(key_node, source))}",
                    raw=source,
                )
            result[key] = literal_value(value_node, source, where)
        return result
    elif isinstance(node, ast.Name) and node.id in _JSON_NAMES:
        return _JSON_NAMES[node.id]
    kind = "a function call" if isinstance(node, ast.Call) else f"a {type(node).__name__} expression"
    if isinstance(node, ast.Name):
        kind = f"the variable name {node.id!r}"
    raise GenerationError(
        f"{where} is {kind}, not a literal: {quote(_segment(node, source))}. Only literal values (strings, "
        "numbers, booleans, None, lists, tuples, dicts) are accepted; nothing in model output is evaluated",
        raw=source,
    )


def parse_call_expression(
    node: ast.Call, spec: ApiSpec | None = None, source: str = "", *, api_id: str | None = None
) -> ApiCall:
    """Convert one ``ast.Call`` into an ``ApiCall`` (name from the node unless ``api_id`` is given).

    Positional arguments are mapped to the spec's parameters in the order its schema declares them; without
    a spec they are an error, because their names cannot be known.
    """
    name = api_id or call_name(node.func, source)
    arguments: dict[str, Any] = {}
    if any(isinstance(arg, ast.Starred) for arg in node.args):
        raise GenerationError(f"{name}(...) uses *-unpacking, which is not a literal", raw=source)
    if node.args:
        if spec is None:
            raise GenerationError(
                f"{name}(...) passes {len(node.args)} positional argument(s) but the API is unknown, so they "
                f"cannot be named; write keyword arguments (name=value): {quote(_segment(node, source))}",
                raw=source,
            )
        order = list(spec.properties)
        if len(node.args) > len(order):
            raise GenerationError(
                f"{name}(...) passes {len(node.args)} positional arguments but {spec.id} has only "
                f"{len(order)} parameter(s) ({', '.join(order) or 'none'})",
                raw=source,
            )
        for param, arg in zip(order, node.args, strict=False):
            arguments[param] = literal_value(arg, source, f"argument {param!r} of {name}")
    for keyword in node.keywords:
        if keyword.arg is None:
            raise GenerationError(f"{name}(...) uses **-unpacking, which is not a literal", raw=source)
        if keyword.arg in arguments:
            raise GenerationError(
                f"{name}(...) gives argument {keyword.arg!r} both by position and by keyword", raw=source
            )
        arguments[keyword.arg] = literal_value(keyword.value, source, f"argument {keyword.arg!r} of {name}")
    try:
        return ApiCall(api_id=name, arguments=arguments, raw=source)
    except ValueError as exc:
        raise GenerationError(f"{name!r} is not a valid API id", raw=source) from exc


def parse_call(text: str, spec: ApiSpec | None = None) -> ApiCall:
    """Parse exactly one call string such as a gold answer ``coffee_shop.find_nearby(location="SF")``."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise GenerationError(f"not a Python call expression: {quote(text)} ({exc})", raw=text) from exc
    if not isinstance(tree.body, ast.Call):
        raise GenerationError(
            f"expected exactly one call like 'api.name(arg=value)', got {quote(text)}", raw=text
        )
    return parse_call_expression(tree.body, spec, text.strip())
