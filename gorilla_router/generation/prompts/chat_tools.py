"""Chat messages with OpenAI ``tools``: the format for instruct models and OpenAI-compatible servers.

Tool names must match ``^[a-zA-Z0-9_-]{1,64}$``, so dotted ids are mapped reversibly (``.`` → ``-``, see
:mod:`gorilla_router.generation.toolnames`) and mapped back when the answer is parsed. ``render`` gives a
plain-text version for completion endpoints and chat templates without tool support: the same system
prompt, the functions as JSON, and a request to answer with Python calls.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gorilla_router.generation.parsing import parse_calls
from gorilla_router.generation.prompts.base import CandidateLike, specs_of
from gorilla_router.generation.toolnames import tool_name_for
from gorilla_router.specs import ApiCall

__all__ = ["ROUTER_SYSTEM_PROMPT", "ChatToolsFormat"]

ROUTER_SYSTEM_PROMPT = (
    "You turn a user's request into a call of one of the given functions. Choose the function that does "
    "what the user asks and fill its arguments with the values the request states, exactly as specific as "
    "the user wrote them. If the request needs several calls, make several. If no function fits, do not "
    "call any and say so briefly."
)


@dataclass(frozen=True)
class ChatToolsFormat:
    """OpenAI chat messages plus a ``tools`` list built from the candidates' JSON Schema parameters."""

    system: str = ROUTER_SYSTEM_PROMPT
    name: str = "chat_tools"

    def tools(self, candidates: Sequence[CandidateLike]) -> list[dict[str, Any]]:
        return [
            {
                "type": "function",
                "function": {
                    "name": tool_name_for(spec.id),
                    "description": spec.description,
                    "parameters": spec.parameters,
                },
            }
            for spec in specs_of(candidates)
        ]

    def functions(self, candidates: Sequence[CandidateLike]) -> list[dict[str, Any]]:
        """The legacy ``functions`` request field (pre-``tools`` OpenAI API)."""
        return [tool["function"] for tool in self.tools(candidates)]

    def messages(self, query: str, candidates: Sequence[CandidateLike]) -> list[dict[str, Any]]:
        return [{"role": "system", "content": self.system}, {"role": "user", "content": query}]

    def render(self, query: str, candidates: Sequence[CandidateLike]) -> str:
        functions = json.dumps(self.functions(candidates), ensure_ascii=False)
        return (
            f"{self.system}\nAnswer only with the call(s) as Python, e.g. [name(arg=value)], using the "
            f"function names as given.\nFunctions: {functions}\nRequest: {query}\nCalls: "
        )

    def parse(self, text: str, candidates: Sequence[CandidateLike]) -> list[ApiCall]:
        return parse_calls(text, candidates)
