"""The instruct model's own tool-calling prompt, compact: the chat template with the candidates as tools.

Why compact: on a 2-core CPU prompt length *is* the latency (a 0.5B model reads ~300 tokens/s), and a full
JSON Schema per candidate costs 130–250 tokens. Each tool here keeps what the model needs to choose and
fill a call — the dotted id, the first sentence of the description, each parameter's type, a short
description, its enum and whether it is required — and drops the rest (long prose, defaults, formats).

Why a fixed head: everything before the first tool (system prompt and the template's tool preamble) is the
same for every request, so its KV cache is computed once and reused (``render_parts`` returns it apart).

The answer format is the JSON call object of the template, one per line, which this model writes without
the template's ``<tool_call>`` tags (measured: it never opens with the tag); ``{"name": "none"}`` means
"no call", so that choice is scored by the model like any function. :func:`render_answer` writes that
format (for fine-tuning targets) and :func:`parse_answer` reads it back, both here so data and decoding
agree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from gorilla_router.errors import GenerationError
from gorilla_router.generation.prompts.base import CandidateLike, specs_of
from gorilla_router.specs import ApiCall, ApiSpec, MissingInput

__all__ = [
    "CALL_START",
    "NO_CALL_NAME",
    "TOOL_SYSTEM_PROMPT",
    "ChatTemplate",
    "ToolPrompt",
    "compact_tool",
    "parse_answer",
    "render_answer",
]

CALL_START = '{"name": "'
NO_CALL_NAME = "none"
NEEDS_INPUT_PREFIX = "I need more information to make this call: "

TOOL_SYSTEM_PROMPT = (
    "You turn the user's request into calls of the given functions. Answer only with one JSON object per "
    'call, one per line: {"name": <function name>, "arguments": <arguments object>}. Fill arguments only '
    "with values the user gave (you may convert them, e.g. a country name to its code) and leave out "
    "optional parameters the user did not mention. If the request needs several calls, write several lines. "
    'If no function does what the user asks, answer {"name": "none", "arguments": {}}.'
)

_DESCRIPTION_CHARS = 120
_PARAMETER_CHARS = 60
_ENUM_VALUES = 16
_FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(?:\s|$)", re.DOTALL)


class ChatTemplate(Protocol):
    """What the prompt needs from a tokenizer: Hugging Face's ``apply_chat_template`` with ``tools``."""

    def apply_chat_template(self, conversation: Any, **kwargs: Any) -> Any: ...


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    match = _FIRST_SENTENCE.match(text)
    if match and len(match.group(1)) >= 24:
        text = match.group(1)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _compact_property(schema: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    kind = schema.get("type")
    if kind:
        out["type"] = kind
    if kind == "array" and isinstance(schema.get("items"), dict) and schema["items"].get("type"):
        out["items"] = {"type": schema["items"]["type"]}
    description = schema.get("description")
    if description:
        out["description"] = _shorten(str(description), _PARAMETER_CHARS)
    if isinstance(schema.get("enum"), list):
        out["enum"] = schema["enum"][:_ENUM_VALUES]
    return out


def compact_tool(spec: ApiSpec) -> dict[str, Any]:
    """One candidate as an OpenAI-style tool, trimmed to what choosing and filling a call needs."""
    properties = spec.parameters.get("properties", {}) or {}
    parameters: dict[str, Any] = {
        "type": "object",
        "properties": {name: _compact_property(dict(schema)) for name, schema in properties.items()},
    }
    required = [name for name in spec.parameters.get("required", []) or [] if name in properties]
    if required:
        parameters["required"] = required
    return {
        "name": spec.id,
        "description": _shorten(spec.description or spec.name, _DESCRIPTION_CHARS),
        "parameters": parameters,
    }


@dataclass(frozen=True)
class ToolPrompt:
    """Renders (query, candidates) through a tokenizer's chat template; see the module docstring."""

    template: ChatTemplate
    system: str = TOOL_SYSTEM_PROMPT

    def messages(self, query: str) -> list[dict[str, Any]]:
        return [{"role": "system", "content": self.system}, {"role": "user", "content": query}]

    def render(self, query: str, candidates: Sequence[CandidateLike]) -> str:
        tools = [compact_tool(spec) for spec in specs_of(candidates)]
        text = self.template.apply_chat_template(
            self.messages(query), tools=tools, add_generation_prompt=True, tokenize=False
        )
        return str(text)

    def render_parts(self, query: str, candidates: Sequence[CandidateLike]) -> tuple[str, str]:
        """``(head, tail)``: the fixed head (cacheable) ends right before the first tool's JSON."""
        text = self.render(query, candidates)
        if not candidates:
            return text, ""
        first = json.dumps(compact_tool(specs_of(candidates)[0]), ensure_ascii=False)
        cut = text.find(first[:12])
        if cut <= 0:
            return "", text
        return text[:cut], text[cut:]


def render_answer(calls: Sequence[ApiCall] | None, missing: Sequence[MissingInput] = ()) -> str:
    """The assistant turn a fine-tuned model should write: call lines, a needs-input ask, or ``none``."""
    if missing:
        names = ", ".join(f"{m.parameter} for {m.api_id}" for m in missing)
        return f"{NEEDS_INPUT_PREFIX}{names}."
    if not calls:
        return json.dumps({"name": NO_CALL_NAME, "arguments": {}})
    return "\n".join(
        json.dumps({"name": c.api_id, "arguments": c.arguments}, ensure_ascii=False) for c in calls
    )


def parse_answer(text: str, candidates: Sequence[CandidateLike]) -> list[ApiCall]:
    """Read call lines back (``none`` means no call); a non-candidate name raises ``GenerationError``."""
    offered = {spec.id for spec in specs_of(candidates)}
    calls: list[ApiCall] = []
    decoder = json.JSONDecoder()
    position = text.find("{")
    while position >= 0:
        try:
            payload, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            raise GenerationError(f"a call is not valid JSON: {exc}", raw=text) from exc
        name = payload.get("name") if isinstance(payload, dict) else None
        arguments = payload.get("arguments", {}) if isinstance(payload, dict) else None
        if not isinstance(name, str) or not isinstance(arguments, dict):
            raise GenerationError("a call needs a string 'name' and an object 'arguments'", raw=text)
        if name != NO_CALL_NAME:
            if name not in offered:
                raise GenerationError(
                    f"the model named {name!r}, which is not a candidate: {', '.join(sorted(offered))}",
                    raw=text,
                )
            calls.append(ApiCall(api_id=name, arguments=arguments, raw=text[position:end]))
        position = text.find("{", end)
    return calls
