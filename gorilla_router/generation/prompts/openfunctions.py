"""Gorilla OpenFunctions v2: the prompt ``gorilla-llm/gorilla-openfunctions-v2`` was trained on.

The format is the one published in the Gorilla repository (``openfunctions/README.md``, ``get_prompt``):
``{system}\\n### Instruction: <<function>>{functions_json}\\n<<question>>{query}\\n### Response: `` and,
with no functions, ``{system}\\n### Instruction: <<question>> {query}\\n### Response: ``. The model answers
with calls such as ``<<function>>f(a=1)<<function>>g(b=2)`` or ``f(a=1), g(b=2)``. Function names are the
dotted zoo ids; the model reproduces them as given.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gorilla_router.generation.parsing import parse_calls
from gorilla_router.generation.prompts.base import CandidateLike, function_schema, specs_of
from gorilla_router.specs import ApiCall

__all__ = ["GORILLA_SYSTEM_PROMPT", "OpenFunctionsV2Format"]

GORILLA_SYSTEM_PROMPT = (
    "You are an AI programming assistant, utilizing the Gorilla LLM model, developed by Gorilla LLM, and you "
    "only answer questions related to computer science. For politically sensitive questions, security and "
    "privacy issues, and other non-computer science questions, you will refuse to answer."
)


@dataclass(frozen=True)
class OpenFunctionsV2Format:
    """Render the OpenFunctions v2 prompt; parse ``<<function>>``-separated or comma-separated calls."""

    system: str = GORILLA_SYSTEM_PROMPT
    name: str = "openfunctions_v2"

    def functions(self, candidates: Sequence[CandidateLike]) -> list[dict[str, Any]]:
        return [function_schema(spec) for spec in specs_of(candidates)]

    def render(self, query: str, candidates: Sequence[CandidateLike]) -> str:
        if not candidates:
            return f"{self.system}\n### Instruction: <<question>> {query}\n### Response: "
        functions_json = json.dumps(self.functions(candidates), ensure_ascii=False)
        return (
            f"{self.system}\n### Instruction: <<function>>{functions_json}\n"
            f"<<question>>{query}\n### Response: "
        )

    def messages(self, query: str, candidates: Sequence[CandidateLike]) -> list[dict[str, Any]]:
        return [{"role": "user", "content": self.render(query, candidates)}]

    def parse(self, text: str, candidates: Sequence[CandidateLike]) -> list[ApiCall]:
        return parse_calls(text, candidates)
