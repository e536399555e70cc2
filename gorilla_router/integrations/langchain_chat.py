"""``GorillaChatModel``: a Gorilla model backend as a LangChain tool-calling chat model.

A Gorilla model writes API calls, not prose. This adapter lets it be an agent's *own* model: the tools an
agent binds become the candidate ``ApiSpec``s, the backend (the embedded model, a transformers model, an
OpenAI-compatible Gorilla server, or the ``test`` fake) writes the calls, and they come back as
``AIMessage.tool_calls`` with fresh ids. The same guarantees hold as in the router: a backend can only
name an offered tool, arguments are parsed with ``ast``/JSON (never evaluated).

Conversation handling is deliberately simple, because a call-writing model has nothing else to say:

* the request is the text of the last human message;
* when the conversation ends with tool results (the agent ran the calls), the model answers with those
  results as its final message instead of calling again — so an agent loop terminates;
* no tool bound, ``tool_choice="none"``, or the model decides that no tool fits → a plain answer saying so;
* ``tool_choice="any"`` / ``"required"`` / a tool's name → a call is required: a backend that can be
  steered so (:class:`~gorilla_router.generation.base.CallForcing`, the embedded default) decodes without
  "no call" as an option;
* unusable model output (a ``ModelOutputError``) → a plain answer quoting the problem, so the agent can
  rephrase; backend failures (``BackendError``) propagate.

Decoding knobs (``temperature``, ``max_tokens``, ``stop``, ``timeout``, ``max_retries``, ``streaming``) are
accepted so the model drops into code written for any LangChain chat model and are reported in traces;
decoding itself follows the backend's own configuration.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from pydantic import ConfigDict, Field, PrivateAttr

from gorilla_router.errors import ModelOutputError, UsageError
from gorilla_router.generation.base import CallForcing, ModelBackend, ReportsUsage
from gorilla_router.generation.toolnames import api_id_from_tool_name
from gorilla_router.integrations._deps import LANGCHAIN_INSTALL, missing
from gorilla_router.specs import API_ID_PATTERN, ApiSpec, Candidate

try:
    from langchain_core.callbacks import CallbackManagerForLLMRun
    from langchain_core.language_models import BaseChatModel, LangSmithParams, LanguageModelInput
    from langchain_core.messages import (
        AIMessage,
        AIMessageChunk,
        BaseMessage,
        HumanMessage,
        ToolCall,
        ToolMessage,
        UsageMetadata,
    )
    from langchain_core.messages.tool import tool_call_chunk
    from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
    from langchain_core.runnables import Runnable
    from langchain_core.tools import BaseTool
    from langchain_core.utils.function_calling import convert_to_openai_tool
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise missing(exc, LANGCHAIN_INSTALL, "GorillaChatModel") from exc

__all__ = ["GorillaChatModel", "ToolSpecs", "tools_to_specs"]

_ID = re.compile(API_ID_PATTERN)
_NO_TOKENS = UsageMetadata(input_tokens=0, output_tokens=0, total_tokens=0)  # answered without the model
_NOT_WORD = re.compile(r"[^A-Za-z0-9_]+")
TOOL_CALLABLE_MODULE = "langchain_tools"
"""``callable`` of the specs made from tools: they are only offered to the model, never imported — the
agent runs the tool itself. The module name marks where such a spec came from."""


class ToolSpecs:
    """Bound tools as candidate specs, and the map back from API id to the tool's own name."""

    def __init__(self, tools: Sequence[dict[str, Any]]) -> None:
        self.candidates: list[Candidate] = []
        self.tool_names: dict[str, str] = {}
        for rank, tool in enumerate(tools, start=1):
            spec = self._spec_of(tool)
            self.tool_names[spec.id] = tool["function"]["name"]
            self.candidates.append(Candidate(spec=spec, score=1.0, rank=rank))

    def _api_id(self, name: str) -> str:
        api_id = name if _ID.match(name) else api_id_from_tool_name(name)
        if api_id is None:
            api_id = _NOT_WORD.sub("_", name).strip("_") or "tool"
            if not api_id[0].isalpha():
                api_id = f"tool_{api_id}"
        unique, n = api_id, 2
        while unique in self.tool_names:
            unique, n = f"{api_id}_{n}", n + 1
        return unique

    def _spec_of(self, tool: dict[str, Any]) -> ApiSpec:
        function = tool.get("function") or {}
        name = function.get("name")
        if not isinstance(name, str) or not name:
            raise UsageError(f"a bound tool has no name: {tool!r}")
        api_id = self._api_id(name)
        parameters = dict(function.get("parameters") or {"type": "object", "properties": {}})
        parameters.setdefault("type", "object")
        try:
            return ApiSpec(
                id=api_id,
                name=name,
                description=function.get("description") or name,
                kind="python",
                callable=f"{TOOL_CALLABLE_MODULE}:{api_id}",
                parameters=parameters,
                side_effects="none",
            )
        except ValueError as exc:
            raise UsageError(f"the tool {name!r} cannot be offered to a Gorilla model: {exc}") from exc


def tools_to_specs(tools: Sequence[dict[str, Any]]) -> ToolSpecs:
    """OpenAI-format tools (as ``bind_tools`` stores them) → candidate specs for a ``ModelBackend``."""
    return ToolSpecs(tools)


def _usage_of(backend: ModelBackend) -> UsageMetadata | None:
    """The backend's count for the answer just made; ``None`` for a backend that does not count tokens."""
    usage = backend.last_usage() if isinstance(backend, ReportsUsage) else None
    if usage is None:
        return None
    return UsageMetadata(
        input_tokens=usage.input_tokens, output_tokens=usage.output_tokens, total_tokens=usage.total_tokens
    )


def _text(message: BaseMessage) -> str:
    return message.text if isinstance(message.text, str) else str(message.content)


def _tool_results(messages: Sequence[BaseMessage]) -> list[ToolMessage]:
    """The tool messages at the end of the conversation (the results of the model's last calls)."""
    results: list[ToolMessage] = []
    for message in reversed(messages):
        if not isinstance(message, ToolMessage):
            break
        results.append(message)
    return list(reversed(results))


def _requires_call(tool_choice: Any) -> bool:
    """``"any"``, ``"required"``, ``True`` or a tool's name: the agent wants a call, not an opinion."""
    return tool_choice not in (None, "auto", "none", False)


def _chosen(tool_choice: Any, specs: ToolSpecs) -> list[Candidate]:
    """Apply ``tool_choice``: ``"none"`` offers nothing, a tool name (or OpenAI dict) only that tool."""
    if tool_choice in (None, "auto", "any", "required", True):
        return specs.candidates
    if tool_choice == "none" or tool_choice is False:
        return []
    name = tool_choice
    if isinstance(tool_choice, dict):
        name = (tool_choice.get("function") or {}).get("name") or tool_choice.get("name")
    chosen = [c for c in specs.candidates if specs.tool_names[c.spec.id] == name]
    if not chosen:
        raise UsageError(
            f"tool_choice names {name!r}, which is not a bound tool: {list(specs.tool_names.values())}"
        )
    return chosen


class GorillaChatModel(BaseChatModel):
    """A ``BaseChatModel`` whose answers are tool calls written by a Gorilla ``ModelBackend``.

    ``backend`` is a backend string (``"embedded"`` — the default —, ``"test"``, ``"openai:…"``,
    ``"transformers:…"``) or a ``ModelBackend`` object; it is loaded on first use and shared.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    backend: Any = Field(default="embedded", exclude=True)
    model_name: str | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    stop: list[str] | None = None
    timeout: float | None = None
    max_retries: int = 2
    streaming: bool = False

    _loaded: ModelBackend | None = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "gorilla-router"

    @property
    def resolved_model_name(self) -> str:
        if self.model_name:
            return self.model_name
        return self.backend if isinstance(self.backend, str) else str(getattr(self.backend, "name", "custom"))

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.resolved_model_name}

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> LangSmithParams:
        params = LangSmithParams(
            ls_provider="gorilla_router",
            ls_model_name=str(kwargs.get("model") or self.resolved_model_name),
            ls_model_type="chat",
        )
        if self.temperature is not None:
            params["ls_temperature"] = self.temperature
        if self.max_tokens is not None:
            params["ls_max_tokens"] = self.max_tokens
        if stop or self.stop:
            params["ls_stop"] = stop or self.stop
        return params

    def model_backend(self) -> ModelBackend:
        """The backend, loaded from its string once and then shared by every call."""
        with self._lock:
            if self._loaded is None:
                from gorilla_router.generation.registry import load_backend

                self._loaded = load_backend(self.backend)
            return self._loaded

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | dict[str, Any] | bool | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Offer ``tools`` to the model; its answers then carry ``tool_calls`` for them."""
        formatted = [convert_to_openai_tool(tool) for tool in tools]
        tools_to_specs(formatted)  # reject tools that cannot be offered now, not at the first call
        if tool_choice is not None:
            kwargs["tool_choice"] = tool_choice
        return super().bind(tools=formatted, **kwargs)

    def with_structured_output(
        self,
        schema: dict[str, Any] | type,
        *,
        include_raw: bool = False,
        method: str = "function_calling",
        strict: bool | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, dict[str, Any] | Any]:
        """Structured output through tool calling — the one mechanism a call-writing model has.

        ``method`` (``function_calling``, ``json_schema``, ``json_mode``) and ``strict`` are accepted for
        compatibility and all mean the same here: the schema is bound as the only tool and its call parsed.
        """
        if method not in ("function_calling", "json_schema", "json_mode"):
            raise UsageError(f"unknown structured output method {method!r}; use 'function_calling'")
        return super().with_structured_output(schema, include_raw=include_raw, **kwargs)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._answer(messages, **kwargs))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        """The answer as one chunk: a call is written (and checked) whole before it can be shown."""
        message = self._answer(messages, **kwargs)
        chunk = AIMessageChunk(
            content=message.content,
            tool_call_chunks=[
                tool_call_chunk(name=c["name"], args=json.dumps(c["args"]), id=c["id"], index=i)
                for i, c in enumerate(message.tool_calls)
            ],
            response_metadata=message.response_metadata,
            usage_metadata=message.usage_metadata,
            chunk_position="last",
        )
        if run_manager is not None and isinstance(message.content, str):
            run_manager.on_llm_new_token(message.content, chunk=ChatGenerationChunk(message=chunk))
        yield ChatGenerationChunk(message=chunk)

    def _answer(
        self,
        messages: Sequence[BaseMessage],
        tools: Sequence[dict[str, Any]] = (),
        tool_choice: Any = None,
        **_: Any,
    ) -> AIMessage:
        metadata = {"model_name": self.resolved_model_name}
        results = _tool_results(messages)
        if results:
            content = "\n".join(_text(result) for result in results)
            return AIMessage(
                content=content,
                response_metadata={**metadata, "finish_reason": "stop"},
                usage_metadata=_NO_TOKENS,
            )
        query = next((_text(m) for m in reversed(messages) if isinstance(m, HumanMessage)), "").strip()
        if not query:
            raise UsageError(
                "GorillaChatModel needs a human message with the request to turn into a tool call"
            )
        specs = tools_to_specs(tools)
        candidates = _chosen(tool_choice, specs)
        if not candidates:
            reason = (
                "no tools are bound (use bind_tools)" if not specs.candidates else "tool_choice is 'none'"
            )
            return AIMessage(
                content=f"No tool call: {reason}.", response_metadata=metadata, usage_metadata=_NO_TOKENS
            )
        backend = self.model_backend()
        try:
            if _requires_call(tool_choice) and isinstance(backend, CallForcing):
                calls = backend.generate_call(query, candidates)
            else:
                calls = backend.generate(query, candidates)
        except ModelOutputError as exc:
            return AIMessage(
                content=f"The model's answer could not be used as a tool call: {exc}",
                response_metadata={**metadata, "finish_reason": "error"},
                usage_metadata=_usage_of(backend),
            )
        usage = _usage_of(backend)
        strays = [call.api_id for call in calls if call.api_id not in specs.tool_names]
        if strays:  # a backend breaking its contract; never pass an unoffered name on to the agent
            return AIMessage(
                content=f"The model named tools it was not offered: {', '.join(strays)}.",
                response_metadata={**metadata, "finish_reason": "error"},
                usage_metadata=usage,
            )
        if not calls:
            offered = ", ".join(specs.tool_names[c.spec.id] for c in candidates)
            return AIMessage(
                content=f"None of the tools fits this request (offered: {offered}).",
                response_metadata={**metadata, "finish_reason": "stop"},
                usage_metadata=usage,
            )
        tool_calls = [
            ToolCall(
                name=specs.tool_names[call.api_id],
                args=dict(call.arguments),
                id=f"call_{uuid.uuid4().hex[:24]}",
            )
            for call in calls
        ]
        raw = "\n".join(call.raw for call in calls if call.raw)
        return AIMessage(
            content="",
            tool_calls=tool_calls,
            response_metadata={**metadata, "finish_reason": "tool_calls", "raw": raw},
            usage_metadata=usage,
        )
