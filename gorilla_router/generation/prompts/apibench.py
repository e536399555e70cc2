"""Gorilla APIBench: the ``###USER: … ###ASSISTANT:`` prompt of the original Gorilla models (2023).

Those models (``gorilla-7b-hf-*``, ``gorilla-mpt-7b-hf-v0``, ``gorilla-falcon-7b-hf-v0``) were fine-tuned
with retrieval-augmented prompts (as the Gorilla repo's ``inference/gorilla_eval.py`` builds them): the
question, then ``Use this API documentation for reference:`` and the retrieved API record (as in
APIBench's ``eval_questions/*_bm25.jsonl``). They answer in labelled fields (``<<<domain>>>``,
``<<<api_call>>>``, ``<<<api_provider>>>``, ``<<<explanation>>>``, ``<<<code>>>``); only ``<<<api_call>>>``
is the call.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gorilla_router.generation.parsing import parse_calls
from gorilla_router.generation.prompts.base import CandidateLike, specs_of
from gorilla_router.specs import ApiCall, ApiSpec

__all__ = ["ApiBenchFormat", "api_record"]


def api_record(spec: ApiSpec) -> dict[str, Any]:
    """An APIBench-style API record for a spec (the fields the Gorilla models saw in training)."""
    arguments = ", ".join(f"{name}=..." for name in spec.properties)
    return {
        "domain": ", ".join(spec.tags) or spec.provider,
        "framework": spec.provider,
        "functionality": spec.name,
        "api_name": spec.id,
        "api_call": spec.examples[0].call if spec.examples else f"{spec.id}({arguments})",
        "api_arguments": spec.properties,
        "description": spec.description,
    }


@dataclass(frozen=True)
class ApiBenchFormat:
    """Render the retrieval-augmented APIBench prompt; parse the ``<<<api_call>>>`` field."""

    name: str = "apibench"

    def render(self, query: str, candidates: Sequence[CandidateLike]) -> str:
        text = query
        docs = [json.dumps(api_record(spec), ensure_ascii=False) for spec in specs_of(candidates)]
        if docs:
            text += "\nUse this API documentation for reference: " + "\n".join(docs)
        return f"###USER: {text}###ASSISTANT: "

    def messages(self, query: str, candidates: Sequence[CandidateLike]) -> list[dict[str, Any]]:
        return [{"role": "user", "content": self.render(query, candidates)}]

    def parse(self, text: str, candidates: Sequence[CandidateLike]) -> list[ApiCall]:
        return parse_calls(text, candidates)
