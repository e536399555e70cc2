"""Few-shot completion prompt for *base* models (the embedded Gemma 3 270M): show, don't instruct.

A 270M base model does not follow instructions; it continues patterns. So the prompt is a short document
of solved blocks — a list of functions, then ``Request:``/``Call:`` pairs — ending in the user's block:
the candidates' signatures, their own ``examples`` (or, for a candidate without any, one synthesized from
its schema), then ``Request: <query>`` and ``Call:``. Two fixed demonstration blocks come first; they
show values copied from the request (``"Lisbon, Portugal"``, ``6.5%`` → ``0.065``), optional arguments
left out when the request does not give them, and ``none()`` when no function fits. They never change,
so a backend can keep their KV cache between requests (:meth:`FewShotFormat.render_parts`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gorilla_router.generation.parsing import parse_calls
from gorilla_router.generation.prompts.base import CandidateLike, specs_of
from gorilla_router.specs import ApiCall, ApiSpec

__all__ = ["FewShotFormat", "signature", "synthesized_example"]

_DEMONSTRATIONS = """\
Functions:
hotel.search(location: str, stars: int = None, amenities: list[str] = None)  # Find hotels in a city.
currency.convert(amount: float, from_currency: str, to_currency: str)  # Convert money between currencies.
Request: Find a 4 star hotel in Lisbon, Portugal with a spa and free parking.
Call: hotel.search(location="Lisbon, Portugal", stars=4, amenities=["spa", "free parking"])
Request: Convert 250 euros to Japanese yen.
Call: currency.convert(amount=250, from_currency="euros", to_currency="Japanese yen")
Request: Tell me a joke about cats.
Call: none()

Functions:
loan.monthly_payment(principal: float, annual_rate: float, years: int)  # Monthly payment of a loan.
music.find_lyrics(song: str, artist: str = None)  # Lyrics of a song.
Request: What is the monthly payment on a $300,000 loan at 6.5% for thirty years?
Call: loan.monthly_payment(principal=300000, annual_rate=0.065, years=30)
Request: Show me the lyrics of 'Yesterday' by The Beatles.
Call: music.find_lyrics(song="Yesterday", artist="The Beatles")
Request: How tall is Mount Everest?
Call: none()

"""
_PY_TYPES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "object": "dict"}
_PLACEHOLDERS: dict[str, Any] = {"string": "text", "integer": 1, "number": 1.5, "boolean": True, "object": {}}
_MAX_EXAMPLES = 4


def _type_text(schema: dict[str, Any]) -> str:
    if schema.get("enum"):
        return " | ".join(json.dumps(v) for v in schema["enum"])
    kind = schema.get("type", "string")
    if kind == "array":
        return f"list[{_type_text(schema.get('items') or {})}]"
    return _PY_TYPES.get(str(kind), "str")


def signature(spec: ApiSpec) -> str:
    """``id(name: type, optional: type = None)  # description`` — one line per function."""
    params = []
    for name, schema in spec.properties.items():
        text = f"{name}: {_type_text(schema if isinstance(schema, dict) else {})}"
        params.append(text if name in spec.required else f"{text} = None")
    description = " ".join(spec.description.split())[:160]
    return f"{spec.id}({', '.join(params)})  # {description}"


def _placeholder(schema: dict[str, Any]) -> Any:
    for key in ("default", "example"):
        if key in schema:
            return schema[key]
    if schema.get("examples"):
        return schema["examples"][0]
    if schema.get("enum"):
        return schema["enum"][0]
    if schema.get("type") == "array":
        return [_placeholder(schema.get("items") or {})]
    return _PLACEHOLDERS.get(str(schema.get("type", "string")), "text")


def synthesized_example(spec: ApiSpec) -> tuple[str, str]:
    """A (request, call) pair for a spec without examples: its description and its required arguments."""
    args = ", ".join(f"{name}={_literal(_placeholder(spec.properties[name]))}" for name in spec.required)
    return " ".join(spec.description.split()), f"{spec.id}({args})"


def _literal(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


@dataclass(frozen=True)
class FewShotFormat:
    """The base-model prompt; ``call_prefix``/``no_call_text`` tell a constrained decoder what to write."""

    name: str = "fewshot"
    synthesize_examples: bool = True
    call_prefix: str = " "
    no_call_text: str = "none()"

    def examples(self, specs: Sequence[ApiSpec]) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        for spec in specs:
            own = [(e.query, e.call) for e in spec.examples[:2]]
            if own:
                pairs.extend(own)
            elif self.synthesize_examples:
                pairs.append(synthesized_example(spec))
        return pairs[:_MAX_EXAMPLES]

    def render_parts(self, query: str, candidates: Sequence[CandidateLike]) -> tuple[str, str]:
        """(fixed demonstrations, the user's block): the first part is the same for every request."""
        specs = specs_of(candidates)
        lines = ["Functions:", *(signature(spec) for spec in specs)]
        for request, call in self.examples(specs):
            lines += [f"Request: {' '.join(request.split())}", f"Call: {call}"]
        lines += [f"Request: {' '.join(query.split())}", "Call:"]
        return _DEMONSTRATIONS, "\n".join(lines)

    def render(self, query: str, candidates: Sequence[CandidateLike]) -> str:
        head, tail = self.render_parts(query, candidates)
        return head + tail

    def messages(self, query: str, candidates: Sequence[CandidateLike]) -> list[dict[str, Any]]:
        return [{"role": "user", "content": self.render(query, candidates)}]

    def parse(self, text: str, candidates: Sequence[CandidateLike]) -> list[ApiCall]:
        """Read the first line of the completion; ``none()`` (or nothing) is "no call"."""
        line = text.strip().split("\n", 1)[0].strip()
        if not line or line.startswith(self.no_call_text.split("(")[0]):
            return []
        return parse_calls(line, candidates)
