"""Model output → ``list[ApiCall]``: every form models write calls in, parsed without evaluating anything.

Accepted forms (mixed freely; an empty output, ``[]`` or a message without calls means "no call"):

* Python calls — ``f(a=1)``; several as ``[f(a=1), g(b=2)]``, ``f(a=1), g(b=2)`` (Gorilla's endpoint),
  ``f(a=1); g(b=2)`` or one per line; Gorilla OpenFunctions ``<<function>>f(a=1)<<function>>g(b=2)``;
  Gorilla APIBench ``<<<api_call>>>: f(...)`` (the other ``<<<…>>>`` fields are ignored); inside markdown
  code fences, single backticks or Hermes/Qwen ``<tool_call>…</tool_call>`` tags;
* JSON tool calls — ``{"name": …, "arguments": {…} or "<json string>"}`` (``parameters`` too), a list of
  them, OpenAI ``tool_calls`` / legacy ``function_call`` objects, whole assistant messages or responses.

Python text goes through :mod:`gorilla_router.generation.pycalls` (``ast`` only). With ``candidates``
every call must name one of them (``GenerationError`` listing the allowed ids otherwise) and positional
arguments are named from the candidate's schema.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from gorilla_router.errors import GenerationError
from gorilla_router.generation.pycalls import (
    call_name,
    literal_value,
    parse_call,
    parse_call_expression,
    quote,
)
from gorilla_router.generation.toolnames import resolve_api_id
from gorilla_router.specs import ApiCall, ApiSpec, Candidate

__all__ = ["parse_call", "parse_call_expression", "parse_calls", "parse_tool_calls", "spec_map"]

MAX_OUTPUT_CHARS = 100_000
_FENCE = re.compile(r"```[ \t]*[A-Za-z0-9_+-]*[ \t]*\n?(.*?)(?:```|\Z)", re.DOTALL)
_APIBENCH_CALL = re.compile(r"<<<api_call>>>\s*:?\s*(.*?)(?=<<<|\Z)", re.DOTALL)
_FUNCTION_MARK = "<<function>>"
_TOOL_CALL_TAG = re.compile(r"<tool_call>(.*?)(?:</tool_call>|\Z)", re.DOTALL)
_MARKERS = ("```", "<tool_call>", "<<<api_call>>>", _FUNCTION_MARK)


def spec_map(candidates: Sequence[ApiSpec | Candidate] | None) -> dict[str, ApiSpec] | None:
    """Candidates (specs or retrieval candidates) keyed by id, or ``None`` when no check is wanted."""
    if candidates is None:
        return None
    specs = [c.spec if isinstance(c, Candidate) else c for c in candidates]
    return {spec.id: spec for spec in specs}


def parse_calls(text: str, candidates: Sequence[ApiSpec | Candidate] | None = None) -> list[ApiCall]:
    """Parse every call in a model's output; ``GenerationError`` quoting the text when it cannot."""
    if len(text) > MAX_OUTPUT_CHARS:
        raise GenerationError(
            f"model output is {len(text)} characters long (limit {MAX_OUTPUT_CHARS}); refusing to parse it",
            raw=text[:1000],
        )
    return _parse_text(text, spec_map(candidates))


def _parse_text(text: str, specs: Mapping[str, ApiSpec] | None) -> list[ApiCall]:
    """Whole text first (so a marker inside a string argument is just text), then marker-split pieces."""
    stripped = text.strip()
    if not any(marker in stripped for marker in _MARKERS):
        return _parse_segment(stripped, specs)
    try:
        return _parse_segment(stripped, specs)
    except GenerationError:
        return [call for segment in _segments(stripped) for call in _parse_segment(segment, specs)]


def _segments(text: str) -> list[str]:
    """Split output into call-bearing pieces: code fences, APIBench fields, ``<<function>>`` marks."""
    stripped = text.strip()
    if "```" in stripped:
        blocks = [m.group(1) for m in _FENCE.finditer(stripped)]
        return [piece for block in blocks for piece in _segments(block)]
    if "<tool_call>" in stripped:
        return [m.group(1).strip() for m in _TOOL_CALL_TAG.finditer(stripped)]
    if "<<<api_call>>>" in stripped:
        return [m.group(1).strip() for m in _APIBENCH_CALL.finditer(stripped)]
    if _FUNCTION_MARK in stripped:
        return [piece.strip() for piece in stripped.split(_FUNCTION_MARK) if piece.strip()]
    return [stripped] if stripped else []


def _parse_segment(segment: str, specs: Mapping[str, ApiSpec] | None) -> list[ApiCall]:
    segment = segment.strip()
    if len(segment) >= 2 and segment[0] == segment[-1] == "`":
        segment = segment.strip("`").strip()
    if not segment:
        return []
    if segment[0] in "[{":
        try:
            decoded = json.loads(segment)
        except ValueError:
            pass
        else:
            return parse_tool_calls(decoded, specs, raw=segment)
    try:
        tree = ast.parse(segment, mode="exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        detail = exc.msg if isinstance(exc, SyntaxError) else type(exc).__name__
        raise GenerationError(
            f"the model output is not a function call (Python syntax error: {detail}): {quote(segment)}",
            raw=segment,
        ) from exc
    calls: list[ApiCall] = []
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call):
            # APIBench answers often read ``model = pipeline(...)``: the call is what matters.
            calls.append(_convert_call(statement.value, specs, segment))
            continue
        if not isinstance(statement, ast.Expr):
            raise GenerationError(
                "only function call expressions are accepted, found a statement of type "
                f"{type(statement).__name__}: "
                f"{quote(ast.get_source_segment(segment, statement) or segment)}",
                raw=segment,
            )
        calls.extend(_calls_in_expression(statement.value, specs, segment))
    return calls


def _calls_in_expression(node: ast.expr, specs: Mapping[str, ApiSpec] | None, source: str) -> list[ApiCall]:
    if isinstance(node, ast.Call):
        return [_convert_call(node, specs, source)]
    dashed = _dashed_call(node, source)
    if dashed is not None:
        return [_convert_call(dashed[1], specs, source, name=dashed[0])]
    if isinstance(node, (ast.List, ast.Tuple)) and any(_is_call(e, source) for e in node.elts):
        return [call for element in node.elts for call in _calls_in_expression(element, specs, source)]
    if isinstance(node, (ast.Dict, ast.List)):
        return parse_tool_calls(literal_value(node, source, "the output"), specs, raw=source)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _parse_text(node.value, specs)
    raise GenerationError(
        "expected a function call like 'api.name(arg=value)', got "
        f"{quote(ast.get_source_segment(source, node) or source)}",
        raw=source,
    )


def _is_call(node: ast.expr, source: str) -> bool:
    return isinstance(node, ast.Call) or _dashed_call(node, source) is not None


def _dashed_call(node: ast.expr, source: str) -> tuple[str, ast.Call] | None:
    """A tool name written as code, ``coffee_shop-find_nearby(x=1)``, parses as a subtraction: undo that."""
    if not (
        isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub) and isinstance(node.right, ast.Call)
    ):
        return None
    call = node.right
    parts = [call_name(call.func, source)]
    left = node.left
    while (
        isinstance(left, ast.BinOp)
        and isinstance(left.op, ast.Sub)
        and isinstance(left.right, (ast.Name, ast.Attribute))
    ):
        parts.append(call_name(left.right, source))
        left = left.left
    if not isinstance(left, (ast.Name, ast.Attribute)):
        return None
    parts.append(call_name(left, source))
    return "-".join(reversed(parts)), call


def _convert_call(
    node: ast.Call, specs: Mapping[str, ApiSpec] | None, source: str, name: str | None = None
) -> ApiCall:
    written = name or call_name(node.func, source)
    api_id = resolve_api_id(written, list(specs) if specs is not None else None, source)
    spec = specs.get(api_id) if specs is not None else None
    return parse_call_expression(node, spec, source, api_id=api_id)


def parse_tool_calls(
    value: Any,
    candidates: Mapping[str, ApiSpec] | Sequence[ApiSpec | Candidate] | None = None,
    raw: str = "",
) -> list[ApiCall]:
    """Calls from decoded JSON: tool-call objects, lists of them, assistant messages, whole responses."""
    specs = candidates if isinstance(candidates, Mapping) or candidates is None else spec_map(candidates)
    raw = raw or json.dumps(value, ensure_ascii=False, default=str)[:MAX_OUTPUT_CHARS]
    if isinstance(value, list):
        return [call for item in value for call in parse_tool_calls(item, specs, raw)]
    if isinstance(value, str):
        return _parse_text(value, specs)
    if not isinstance(value, dict):
        raise GenerationError(
            f"expected a tool call object, got {quote(json.dumps(value, default=str))}", raw=raw
        )
    if isinstance(value.get("choices"), list) and value["choices"]:
        return parse_tool_calls(value["choices"][0], specs, raw)
    if isinstance(value.get("message"), dict):
        return parse_tool_calls(value["message"], specs, raw)
    if "name" not in value and any(k in value for k in ("tool_calls", "function_call", "role", "content")):
        return _calls_in_message(value, specs, raw)
    if isinstance(value.get("function"), dict):
        return parse_tool_calls(value["function"], specs, raw)
    if isinstance(value.get("name"), str):
        return [_tool_call(value, specs, raw)]
    raise GenerationError(
        "expected a tool call object with 'name' and 'arguments' (or an OpenAI 'tool_calls' list), got "
        f"{quote(json.dumps(value, ensure_ascii=False, default=str))}",
        raw=raw,
    )


def _calls_in_message(
    message: Mapping[str, Any], specs: Mapping[str, ApiSpec] | None, raw: str
) -> list[ApiCall]:
    """An assistant message: structured calls first; the content string only when there are none."""
    structured: list[Any] = []
    for key in ("tool_calls", "function_call"):
        found = message.get(key)
        if found:
            structured.extend(found if isinstance(found, list) else [found])
    if structured:
        return parse_tool_calls(structured, specs, raw)
    content = message.get("content")
    if isinstance(content, str) and content.strip():
        return _parse_text(content, specs)
    return []


def _tool_call(obj: Mapping[str, Any], specs: Mapping[str, ApiSpec] | None, raw: str) -> ApiCall:
    name = str(obj["name"])
    arguments: Any = next((obj[k] for k in ("arguments", "parameters", "args") if k in obj), {})
    if arguments is None or arguments == "":
        arguments = {}
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments)
        except ValueError as exc:
            raise GenerationError(
                f"the arguments of tool call {name!r} are not valid JSON: {quote(arguments)}", raw=raw
            ) from exc
    if not isinstance(arguments, dict) or not all(isinstance(k, str) for k in arguments):
        raise GenerationError(
            f"the arguments of tool call {name!r} must be an object of name → value, "
            f"got {quote(str(arguments))}",
            raw=raw,
        )
    api_id = resolve_api_id(name, list(specs) if specs is not None else None, raw)
    return ApiCall(api_id=api_id, arguments=arguments, raw=raw)
