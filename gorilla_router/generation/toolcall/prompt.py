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
from gorilla_router.generation.pycalls import parse_call
from gorilla_router.specs import ApiCall, ApiSpec, MissingInput

__all__ = [
    "CALL_START",
    "NO_CALL_NAME",
    "TOOL_SYSTEM_PROMPT",
    "ChatTemplate",
    "ToolPrompt",
    "compact_tool",
    "example_line",
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
_EXAMPLE_CHARS = 90
_PARAMETER_CHARS = 60
"""A parameter's first sentence up to 60 characters (56 of the bundled zoo's 338 are cut). Measured on the
tune split against 140 (~8 characters more per tool): item by item, the only change the longer form made
was a lost second call ("which countries use the yen and which use the rupee"), so the short form stays."""
_ENUM_VALUES = 16
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
_ABBREVIATION = re.compile(r"(?:\be\.g|\bi\.e|\betc|\bvs)\.$", re.IGNORECASE)


class ChatTemplate(Protocol):
    """What the prompt needs from a tokenizer: Hugging Face's ``apply_chat_template`` with ``tools``."""

    def apply_chat_template(self, conversation: Any, **kwargs: Any) -> Any: ...


def _shorten(text: str, limit: int) -> str:
    """The first sentence (at least 24 characters; "e.g." ends none), cut to ``limit`` with ``...``.

    ASCII dots, not "…": the chat template writes tools with ``tojson``, which escapes any non-ASCII
    character into a six-character ``\\u`` sequence the model pays for in tokens.
    """
    text = " ".join(text.split())
    for match in _SENTENCE_END.finditer(text):
        if match.end() >= 24 and not _ABBREVIATION.search(text[: match.end()]):
            text = text[: match.end()]
            break
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


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


def example_line(spec: ApiSpec) -> str:
    """The spec's first example as ``Example: request -> (name=value, …)``, or ``""`` if none is usable.

    One worked example says more to a small model than a paragraph of description: which requests the
    function serves (the choice between ``random.randint`` and ``random.uniform``) and how its values are
    written (a list, a code, a unit). Keyword form, not JSON: inside the tool's JSON every ``"`` would be
    escaped, and the example would cost a third more tokens.
    """
    for example in spec.examples[:1]:
        try:
            call = parse_call(example.call, spec)
        except GenerationError:
            return ""
        query = _shorten(example.query, _EXAMPLE_CHARS).replace('"', "'")
        arguments = ", ".join(f"{name}={value!r}" for name, value in call.arguments.items())
        return f" Example: {query} -> ({arguments})"
    return ""


def compact_tool(spec: ApiSpec, *, example: bool = False) -> dict[str, Any]:
    """One candidate as an OpenAI-style tool, trimmed to what choosing and filling a call needs.

    ``example`` appends the spec's first worked example to the description (:func:`example_line`).
    """
    properties = spec.parameters.get("properties", {}) or {}
    parameters: dict[str, Any] = {
        "type": "object",
        "properties": {name: _compact_property(dict(schema)) for name, schema in properties.items()},
    }
    required = [name for name in spec.parameters.get("required", []) or [] if name in properties]
    if required:
        parameters["required"] = required
    description = _shorten(spec.description or spec.name, _DESCRIPTION_CHARS)
    return {
        "name": spec.id,
        "description": description + (example_line(spec) if example else ""),
        "parameters": parameters,
    }


@dataclass(frozen=True)
class ToolPrompt:
    """Renders (query, candidates) through a tokenizer's chat template; see the module docstring."""

    template: ChatTemplate
    system: str = TOOL_SYSTEM_PROMPT
    examples: bool = False

    def messages(self, query: str) -> list[dict[str, Any]]:
        return [{"role": "system", "content": self.system}, {"role": "user", "content": query}]

    def render(self, query: str, candidates: Sequence[CandidateLike]) -> str:
        tools = [compact_tool(spec, example=self.examples) for spec in specs_of(candidates)]
        text = self.template.apply_chat_template(
            self.messages(query), tools=tools, add_generation_prompt=True, tokenize=False
        )
        return str(text)

    def render_parts(self, query: str, candidates: Sequence[CandidateLike]) -> tuple[str, str]:
        """``(head, tail)``: the fixed head (cacheable) ends right before the first tool's JSON."""
        text = self.render(query, candidates)
        if not candidates:
            return text, ""
        first = json.dumps(compact_tool(specs_of(candidates)[0], example=self.examples), ensure_ascii=False)
        cut = text.find(first[:12])
        if cut <= 0:
            return "", text
        return text[:cut], text[cut:]

    def render_blocks(self, query: str, candidates: Sequence[CandidateLike]) -> tuple[str, list[str], str]:
        """``(head, blocks, rest)``: the head, each tool's own line, and what follows the tools — for
        :meth:`~gorilla_router.generation.constrained.torch_chooser.TorchChooser.start_blocks`. A template
        that does not write the tools as one JSON line each gives no blocks (the tail is then ``rest``)."""
        head, tail = self.render_parts(query, candidates)
        blocks: list[str] = []
        position = 0
        for spec in specs_of(candidates):
            line = json.dumps(compact_tool(spec, example=self.examples), ensure_ascii=False) + "\n"
            if not tail.startswith(line, position):
                return head, [], tail
            blocks.append(line)
            position += len(line)
        return head, blocks, tail[position:]


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
