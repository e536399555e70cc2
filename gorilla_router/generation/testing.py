"""``TestModel``: a fake model backend for tests and examples, like pydantic-ai's ``TestModel``.

It needs no weights and no network, yet goes through the same steps as a real backend: it renders the
prompt a real model would get (recorded in ``prompts``), turns scripted text into calls with the real
parser, and checks every call against the candidates, so a test exercising the router with it also
exercises parsing and the hallucination check.

* ``TestModel()`` answers with the top candidate's first example call (or, without examples, a call
  filling the required parameters from defaults, enums or typed placeholders);
* ``TestModel(outputs=[...])`` answers each request with the next scripted output: model text (parsed),
  an ``ApiCall`` or a list of them (checked), or an exception (raised);
* ``TestModel(function=f)`` answers with ``f(query, candidates)``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from gorilla_router.errors import BackendError
from gorilla_router.generation.parsing import parse_calls
from gorilla_router.generation.prompts import PromptFormat, get_prompt_format
from gorilla_router.generation.toolnames import resolve_api_id
from gorilla_router.specs import ApiCall, ApiSpec, Candidate

__all__ = ["ScriptedOutput", "TestModel", "placeholder_call"]

ScriptedOutput = str | ApiCall | Sequence[ApiCall] | BaseException
_PLACEHOLDERS: dict[str, Any] = {
    "string": "",
    "integer": 0,
    "number": 0.0,
    "boolean": False,
    "array": [],
    "object": {},
}


def placeholder_call(spec: ApiSpec) -> ApiCall:
    """A call setting each required parameter: its default, else its first enum value, else a typed blank."""
    arguments: dict[str, Any] = {}
    for name in spec.required:
        schema = spec.properties.get(name, {})
        if "default" in schema:
            arguments[name] = schema["default"]
        elif schema.get("enum"):
            arguments[name] = schema["enum"][0]
        else:
            arguments[name] = _PLACEHOLDERS.get(str(schema.get("type", "string")), "")
    call = ApiCall(api_id=spec.id, arguments=arguments)
    return call.model_copy(update={"raw": call.to_source()})


class TestModel:
    """A deterministic ``ModelBackend`` that records what it was asked. Thread-safe."""

    __test__ = False  # not a pytest test class

    def __init__(
        self,
        outputs: Sequence[ScriptedOutput] | None = None,
        *,
        function: Callable[[str, Sequence[Candidate]], ScriptedOutput] | None = None,
        prompt_format: str | PromptFormat = "openfunctions_v2",
        name: str = "test",
    ) -> None:
        if outputs is not None and function is not None:
            raise ValueError("give TestModel either scripted outputs or a function, not both")
        self.name = name
        self.prompt_format = get_prompt_format(prompt_format)
        self.prompts: list[str] = []
        self.requests: list[tuple[str, list[str]]] = []
        self._outputs = list(outputs) if outputs is not None else None
        self._function = function
        self._lock = threading.Lock()

    @property
    def remaining(self) -> int | None:
        """How many scripted outputs are left (``None`` when not scripted)."""
        return None if self._outputs is None else len(self._outputs)

    def generate(self, query: str, candidates: Sequence[Candidate]) -> list[ApiCall]:
        with self._lock:
            self.prompts.append(self.prompt_format.render(query, candidates))
            self.requests.append((query, [c.spec.id for c in candidates]))
            output = self._next_output(query, candidates)
        return self._to_calls(output, candidates)

    def _next_output(self, query: str, candidates: Sequence[Candidate]) -> ScriptedOutput:
        if self._function is not None:
            return self._function(query, candidates)
        if self._outputs is not None:
            if not self._outputs:
                raise BackendError(
                    f"TestModel ran out of scripted outputs (it was asked {len(self.prompts)} times)"
                )
            return self._outputs.pop(0)
        if not candidates:
            return []
        top = min(candidates, key=lambda c: c.rank).spec
        if top.examples:
            return parse_calls(top.examples[0].call, [top])
        return [placeholder_call(top)]

    def _to_calls(self, output: ScriptedOutput, candidates: Sequence[Candidate]) -> list[ApiCall]:
        if isinstance(output, BaseException):
            raise output
        if isinstance(output, str):
            return parse_calls(output, candidates)
        calls = [output] if isinstance(output, ApiCall) else list(output)
        allowed = [c.spec.id for c in candidates]
        checked = []
        for call in calls:
            api_id = resolve_api_id(call.api_id, allowed, call.raw or call.to_source())
            checked.append(call.model_copy(update={"api_id": api_id, "raw": call.raw or call.to_source()}))
        return checked
