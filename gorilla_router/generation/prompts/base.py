"""The prompt-format seam: how one model family wants to be asked, and how its answer is read back.

Contract
--------
A ``PromptFormat`` has a short ``name`` and three methods:

* ``render(query, candidates) -> str`` — a completion-style prompt (the text a base or fine-tuned model
  continues);
* ``messages(query, candidates) -> list[dict]`` — the same request as OpenAI-style chat messages;
* ``parse(text, candidates) -> list[ApiCall]`` — read the model's answer; calls naming an API that is not
  a candidate, or text that does not parse, raise ``GenerationError``.

Candidates may be retrieval ``Candidate``s or bare ``ApiSpec``s. Formats hold no model state, so one
instance can serve every thread. Secrets never appear in a spec, so nothing rendered here can leak one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from gorilla_router.specs import ApiCall, ApiSpec, Candidate

__all__ = ["CandidateLike", "PromptFormat", "function_schema", "specs_of"]

CandidateLike = ApiSpec | Candidate


@runtime_checkable
class PromptFormat(Protocol):
    name: str

    def render(self, query: str, candidates: Sequence[CandidateLike]) -> str: ...

    def messages(self, query: str, candidates: Sequence[CandidateLike]) -> list[dict[str, Any]]: ...

    def parse(self, text: str, candidates: Sequence[CandidateLike]) -> list[ApiCall]: ...


def specs_of(candidates: Sequence[CandidateLike]) -> list[ApiSpec]:
    """The specs behind a mixed list of candidates and specs, in order."""
    return [c.spec if isinstance(c, Candidate) else c for c in candidates]


def function_schema(spec: ApiSpec) -> dict[str, Any]:
    """An OpenAI/Gorilla-style function description: the dotted id as name, description, JSON Schema."""
    description = spec.description if spec.name in spec.description else f"{spec.name}. {spec.description}"
    return {"name": spec.id, "description": description, "parameters": spec.parameters}
