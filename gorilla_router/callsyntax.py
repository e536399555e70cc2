"""Python call syntax read with :mod:`ast` only — the one core behind every call-string parser.

Call strings arrive from models, zoo examples, benchmark answers and community zoo files; none of them is
trusted, so none is ever evaluated. ``ast.parse`` turns text into a tree without running it, and this module
accepts exactly one shape, ``dotted.name(literal, key=literal, …)``, converting literal nodes (strings,
numbers, booleans, None, lists, tuples, sets, dicts, negative numbers) by hand. Anything else is a
:class:`CallSyntaxError` that names what was wrong and quotes it.

The parsers built on it — ``generation/pycalls.py`` (model output), ``zoo/example_calls.py`` (zoo
examples), ``evaluation/apibench_calls.py`` (APIBench answers), ``zoo/importers/gorilla_calls.py``
(community ``api_call`` fields), ``evaluation/openfunctions.py`` (gold answers) and
``finetune/readers.py`` (TorchHub training calls) — keep their own policy (whether positional arguments
are allowed and how they are named, what error type their callers expect) and leave the syntax to this
module. It sits next to ``specs.py`` so every layer may import it, and it imports nothing from the package.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "JSON_NAMES",
    "CallSyntax",
    "CallSyntaxError",
    "arguments_as_written",
    "call_name",
    "dotted_name",
    "literal_value",
    "parse_single_call",
    "quote",
    "read_call",
    "source_text",
]

#: ``true``/``false``/``null`` as JSON spells them: models trained on JSON write them inside Python calls.
JSON_NAMES: Mapping[str, Any] = {"true": True, "false": False, "null": None}
_QUOTE_LIMIT = 240
_PARSE_FAILURES = (SyntaxError, ValueError, RecursionError, MemoryError)


class CallSyntaxError(ValueError):
    """The text is not one call with literal arguments; the message says what was wrong and quotes it.

    ``source`` is the text being read, so a caller can attach it to its own error type.
    """

    def __init__(self, message: str, source: str = "") -> None:
        super().__init__(message)
        self.source = source


@dataclass(frozen=True)
class CallSyntax:
    """One call as written: its dotted ``name``, positional values in order, keyword values by name."""

    name: str
    positional: tuple[Any, ...] = ()
    keywords: dict[str, Any] = field(default_factory=dict)


def quote(text: str) -> str:
    """A short, repr-quoted excerpt of untrusted text for error messages."""
    text = text.strip()
    if len(text) > _QUOTE_LIMIT:
        text = text[: _QUOTE_LIMIT - 3] + "..."
    return repr(text)


def source_text(node: ast.AST, source: str) -> str:
    """The text ``node`` was parsed from (re-rendered when ``source`` does not hold it), for messages."""
    return ast.get_source_segment(source, node) or ast.unparse(node)


def parse_single_call(text: str) -> ast.Call:
    """The ``ast.Call`` of ``text`` when it is exactly one call expression; ``CallSyntaxError`` otherwise."""
    source = text.strip()
    try:
        tree = ast.parse(source, mode="eval")
    except _PARSE_FAILURES as exc:
        raise CallSyntaxError(f"not a Python call expression: {quote(text)} ({exc})", source) from exc
    if not isinstance(tree.body, ast.Call):
        raise CallSyntaxError(
            f"not a single call: expected exactly one call like 'api.name(arg=value)', got {quote(text)}",
            source,
        )
    return tree.body


def dotted_name(node: ast.expr, *, through_calls: bool = False) -> str | None:
    """``a.b.c`` for a chain of attribute accesses on a name; ``None`` for anything else.

    With ``through_calls`` the chain may pass through calls, as SDK code does:
    ``svc.users().stop(x=1).execute`` is ``svc.users.stop.execute``.
    """
    parts: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif through_calls and isinstance(node, ast.Call):
            node = node.func
        else:
            break
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def call_name(func: ast.expr, source: str = "") -> str:
    """The dotted name of a call target; anything else (``f()()``, ``x[0]()``) is a ``CallSyntaxError``."""
    name = dotted_name(func)
    if name is None:
        raise CallSyntaxError(
            "the called function must be a dotted name like 'weather.forecast', got "
            f"{quote(source_text(func, source))}",
            source,
        )
    return name


def literal_value(
    node: ast.expr, source: str = "", where: str = "value", *, names: Mapping[str, Any] = JSON_NAMES
) -> Any:
    """Convert a literal node to a JSON-like Python value; refuse everything that is not a literal.

    Tuples and sets become lists (sets keep source order, without duplicates), so JSON Schema's ``array``
    accepts them. A bare name is read through ``names`` (by default ``true``/``false``/``null``); any other
    name is refused. ``where`` says which value this is in messages (``argument 'x' of f``).
    """
    if isinstance(node, ast.Constant):
        if isinstance(node.value, (str, int, float, bool)) or node.value is None:
            return node.value
        raise CallSyntaxError(
            f"{where} is a {type(node.value).__name__} literal {quote(source_text(node, source))}; "
            "only strings, numbers, booleans, None, lists and dicts are accepted",
            source,
        )
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = literal_value(node.operand, source, where, names=names)
        if isinstance(operand, (int, float)) and not isinstance(operand, bool):
            return -operand if isinstance(node.op, ast.USub) else operand
    elif isinstance(node, (ast.List, ast.Tuple)):
        return [literal_value(item, source, where, names=names) for item in node.elts]
    elif isinstance(node, ast.Set):
        items: list[Any] = []
        for item in node.elts:
            value = literal_value(item, source, where, names=names)
            if value not in items:
                items.append(value)
        return items
    elif isinstance(node, ast.Dict):
        return _dict_value(node, source, where, names)
    elif isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    kind = "a function call" if isinstance(node, ast.Call) else f"a {type(node).__name__} expression"
    if isinstance(node, ast.Name):
        kind = f"the variable name {node.id!r}"
    raise CallSyntaxError(
        f"{where} is {kind}, not a literal: {quote(source_text(node, source))}. Only literal values "
        "(strings, numbers, booleans, None, lists, tuples, dicts) are accepted; nothing is evaluated",
        source,
    )


def _dict_value(node: ast.Dict, source: str, where: str, names: Mapping[str, Any]) -> dict[Any, Any]:
    result: dict[Any, Any] = {}
    for key_node, value_node in zip(node.keys, node.values, strict=True):
        if key_node is None:
            raise CallSyntaxError(f"{where} uses ** unpacking, which is not a literal", source)
        key = literal_value(key_node, source, where, names=names)
        if isinstance(key, (list, dict)):
            raise CallSyntaxError(
                f"{where} has a dict key that is not a scalar: {quote(source_text(key_node, source))}", source
            )
        result[key] = literal_value(value_node, source, where, names=names)
    return result


def arguments_as_written(node: ast.Call) -> list[ast.expr | ast.keyword]:
    """The arguments of a call in source order, positional (``ast.expr``) and keyword (``ast.keyword``)."""
    parts: list[ast.expr | ast.keyword] = [*node.args, *node.keywords]
    return sorted(parts, key=lambda part: (part.lineno, part.col_offset))


def read_call(
    node: ast.Call,
    source: str = "",
    *,
    name: str | None = None,
    positional_names: Sequence[str] = (),
    names: Mapping[str, Any] = JSON_NAMES,
) -> CallSyntax:
    """Read a call's name (``name`` overrides it) and literal argument values.

    ``*``/``**`` unpacking is refused: it is not a literal. ``positional_names`` only labels positional
    values in messages (``argument 'x' of f``), because naming them is the caller's policy.
    """
    called = name or call_name(node.func, source)
    positional: list[Any] = []
    for index, argument in enumerate(node.args):
        if isinstance(argument, ast.Starred):
            raise CallSyntaxError(f"{called}(...) uses *-unpacking, which is not a literal", source)
        label = repr(positional_names[index]) if index < len(positional_names) else f"#{index + 1}"
        where = f"argument {label} of {called}"
        positional.append(literal_value(argument, source, where, names=names))
    keywords: dict[str, Any] = {}
    for keyword in node.keywords:
        if keyword.arg is None:
            raise CallSyntaxError(f"{called}(...) uses **-unpacking, which is not a literal", source)
        where = f"argument {keyword.arg!r} of {called}"
        keywords[keyword.arg] = literal_value(keyword.value, source, where, names=names)
    return CallSyntax(called, tuple(positional), keywords)
