"""``LangChainBackend``: any LangChain chat model with tool calling as the router's model.

Anthropic, OpenAI, Ollama, Bedrock… already have LangChain chat models; wrapping one here makes it a
``ModelBackend``: the candidates become tools (``bind_tools``, with the same dotted-id ↔ tool-name mapping
as the OpenAI backend), the model's ``AIMessage.tool_calls`` become ``ApiCall``s. A tool name that is not
one of the candidates is a ``GenerationError`` — the router never executes an API it did not offer.
A reply without tool calls means "no call".

``LangChainBackend(chat_model)`` takes the model object; ``load_backend("langchain:<provider>:<model>")``
builds one with ``langchain.chat_models.init_chat_model`` (e.g. ``"langchain:ollama:llama3.1"``; the
provider's LangChain package must be installed).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from gorilla_router.errors import (
    BackendError,
    GenerationError,
    MissingDependencyError,
    RouterError,
    UsageError,
)
from gorilla_router.generation.prompts.chat_tools import ROUTER_SYSTEM_PROMPT, ChatToolsFormat
from gorilla_router.generation.toolnames import resolve_api_id
from gorilla_router.specs import ApiCall, Candidate

__all__ = ["LangChainBackend"]

LANGCHAIN_INSTALL = "pip install 'gorilla-router[langchain]'"


def _init_chat_model(target: str) -> Any:
    try:
        from langchain.chat_models import init_chat_model
    except ImportError as exc:
        raise MissingDependencyError(
            f"the 'langchain' backend needs the package {exc.name or 'langchain'!r}: {LANGCHAIN_INSTALL}"
        ) from exc
    try:
        return init_chat_model(target)
    except ImportError as exc:
        raise MissingDependencyError(
            f"the LangChain chat model {target!r} needs the package {exc.name!r}; install it "
            f"(e.g. pip install langchain-{target.split(':', 1)[0]})"
        ) from exc
    except ValueError as exc:
        raise UsageError(
            f"LangChain cannot build a chat model from {target!r}: {exc}. "
            "Write 'langchain:<provider>:<model>', e.g. 'langchain:openai:gpt-4o-mini'"
        ) from exc


class LangChainBackend:
    """A ``ModelBackend`` over a LangChain ``BaseChatModel`` that implements ``bind_tools``.

    ``tool_choice`` is passed to ``bind_tools`` when given (e.g. ``"auto"``); ``system_prompt`` opens every
    conversation. Thread-safe as far as the wrapped chat model is (LangChain's are).
    """

    def __init__(
        self,
        chat_model: Any,
        *,
        system_prompt: str = ROUTER_SYSTEM_PROMPT,
        tool_choice: str | None = None,
        name: str | None = None,
    ) -> None:
        if isinstance(chat_model, str):
            chat_model = _init_chat_model(chat_model)
        if not callable(getattr(chat_model, "bind_tools", None)):
            raise UsageError(
                "LangChainBackend needs a LangChain chat model with bind_tools(); "
                f"got {type(chat_model).__name__}"
            )
        self.chat_model = chat_model
        self.format = ChatToolsFormat(system=system_prompt)
        self.tool_choice = tool_choice
        model_name = getattr(chat_model, "model_name", None) or getattr(chat_model, "model", None)
        self.name = name or f"langchain:{model_name or type(chat_model).__name__}"

    def generate(self, query: str, candidates: Sequence[Candidate]) -> list[ApiCall]:
        if not candidates:
            return []
        message = self._invoke(query, candidates)
        allowed = [candidate.spec.id for candidate in candidates]
        invalid = list(getattr(message, "invalid_tool_calls", None) or [])
        if invalid:
            raw = json.dumps(invalid, ensure_ascii=False, default=str)
            raise GenerationError(f"the chat model wrote tool calls that do not parse: {raw[:500]}", raw=raw)
        calls = []
        for tool_call in getattr(message, "tool_calls", None) or []:
            raw = json.dumps(
                {"name": tool_call.get("name"), "args": tool_call.get("args")},
                ensure_ascii=False,
                default=str,
            )
            api_id = resolve_api_id(str(tool_call.get("name", "")), allowed, raw)
            arguments = tool_call.get("args")
            if not isinstance(arguments, dict):
                raise GenerationError(f"tool call arguments must be an object, got {raw}", raw=raw)
            calls.append(ApiCall(api_id=api_id, arguments=arguments, raw=raw))
        return calls

    def _bound(self, candidates: Sequence[Candidate]) -> Any:
        options = {"tool_choice": self.tool_choice} if self.tool_choice is not None else {}
        try:
            return self.chat_model.bind_tools(self.format.tools(candidates), **options)
        except NotImplementedError as exc:
            raise UsageError(
                f"the chat model {type(self.chat_model).__name__} does not support tool calling "
                "(bind_tools); choose one that does"
            ) from exc

    def _invoke(self, query: str, candidates: Sequence[Candidate]) -> Any:
        bound = self._bound(candidates)
        messages = [("system", self.format.system), ("human", query)]
        try:
            return bound.invoke(messages)
        except RouterError:
            raise
        except Exception as exc:
            raise BackendError(
                f"the LangChain chat model {self.name} failed: {type(exc).__name__}: {exc}"
            ) from exc
