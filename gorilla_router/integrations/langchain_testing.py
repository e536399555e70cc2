"""``FakeToolCallingModel``: a scripted LangChain chat model that supports ``bind_tools``, for offline agents.

LangChain's ``GenericFakeChatModel`` replays messages but has no ``bind_tools``, so
``langchain.agents.create_agent`` cannot use it. This fake adds exactly that: it replays the scripted
``AIMessage``s (tool calls included) in order and records the tools it was bound to, so tests and the
``examples/langchain_agent.py`` script run an agent loop without a model or a network.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pydantic import Field

from gorilla_router.integrations._deps import LANGCHAIN_INSTALL, missing

try:
    from langchain_core.callbacks import CallbackManagerForLLMRun
    from langchain_core.language_models import BaseChatModel, LanguageModelInput
    from langchain_core.messages import AIMessage, BaseMessage
    from langchain_core.outputs import ChatGeneration, ChatResult
    from langchain_core.runnables import Runnable
    from langchain_core.tools import BaseTool
    from langchain_core.utils.function_calling import convert_to_openai_tool
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise missing(exc, LANGCHAIN_INSTALL, "FakeToolCallingModel") from exc

__all__ = ["FakeToolCallingModel"]


class FakeToolCallingModel(BaseChatModel):
    """Answers with the scripted ``responses`` in order; ``bound_tools`` and ``received`` record each turn.

    Running out of responses is an error naming how many turns were scripted, not a silent repeat.
    """

    responses: list[AIMessage]
    bound_tools: list[list[str]] = Field(default_factory=list)
    received: list[list[BaseMessage]] = Field(default_factory=list)
    position: int = 0

    @property
    def _llm_type(self) -> str:
        return "fake-tool-calling"

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        formatted = [convert_to_openai_tool(tool) for tool in tools]
        self.bound_tools.append([tool["function"]["name"] for tool in formatted])
        return super().bind(tools=formatted, **kwargs)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.received.append(list(messages))
        if self.position >= len(self.responses):
            raise RuntimeError(
                f"FakeToolCallingModel ran out of scripted responses after {len(self.responses)} turns"
            )
        message = self.responses[self.position]
        self.position += 1
        return ChatResult(generations=[ChatGeneration(message=message)])
