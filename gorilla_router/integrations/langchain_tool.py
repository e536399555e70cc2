"""``GorillaRouterTool``: the whole router as one LangChain tool, so an agent can call any API in the zoo.

``tool.run("order five burgers from McDonald's")`` is ``router.run(...)``: retrieve, generate, validate,
guard, execute. The agent gets a compact JSON string (status, the call in Python syntax, the output).
Every failure — denied by the guard, invalid arguments, an execution error, no API fits — is raised as
``ToolException`` and, with ``handle_tool_error=True`` (the default here), handed to the agent as the
tool's answer: an agent reasons about "denied: confirmation required …" instead of crashing on it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from gorilla_router.errors import RouterError
from gorilla_router.integrations._deps import LANGCHAIN_INSTALL, missing
from gorilla_router.integrations.results import failure_message, succeeded
from gorilla_router.specs import CallResult, CallStatus

try:
    from langchain_core.callbacks import AsyncCallbackManagerForToolRun, CallbackManagerForToolRun
    from langchain_core.tools import BaseTool, ToolException
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise missing(exc, LANGCHAIN_INSTALL, "GorillaRouterTool") from exc

if TYPE_CHECKING:
    from gorilla_router.router import GorillaRouter

__all__ = ["GorillaRouterInput", "GorillaRouterTool", "format_result"]

DEFAULT_DESCRIPTION = (
    "Do something in the real world through an API: describe the request in plain words (e.g. "
    "'what is the square root of 3342398', 'order five burgers from McDonald's'). The tool finds the "
    "right API in its API Zoo, writes the call, checks it against the API's schema and safety policy, "
    "executes it and returns JSON with the status, the call made and the API's output."
)


class GorillaRouterInput(BaseModel):
    """The tool's only argument: the request, in the user's words."""

    query: str = Field(
        description="The request in plain words, as specific as the user gave it (names, numbers, places)."
    )


def format_result(result: CallResult, max_output_chars: int = 4000) -> str:
    """A compact JSON view of a result for a model to read: status, call, output (or request, or error).

    Output longer than ``max_output_chars`` is cut and marked, so one large API response cannot flood an
    agent's context window.
    """
    view: dict[str, Any] = {"status": result.status.value}
    if result.reason is not None:
        view["reason"] = result.reason.value
    if result.call is not None:
        view["call"] = result.call.to_source()
    if result.status is CallStatus.DRY_RUN and result.request is not None:
        view["request"] = result.request
    if result.output is not None:
        view["output"] = result.output
    if result.error:
        view["error"] = result.error
    text = json.dumps(view, ensure_ascii=False, default=str)
    if len(text) <= max_output_chars:
        return text
    output = json.dumps(view.pop("output", None), ensure_ascii=False, default=str)
    view["output_truncated"] = output[: max(max_output_chars // 2, 200)] + f"… ({len(output)} characters)"
    return json.dumps(view, ensure_ascii=False, default=str)


class GorillaRouterTool(BaseTool):
    """A LangChain tool whose ``run(query)`` is ``GorillaRouter.run(query)``.

    ``router`` defaults to ``GorillaRouter()`` (offline defaults, built on first use). Pass a configured
    router to choose the zoo, model, policy or a confirmation callback; the guard decides exactly as it
    does for ``router.run`` — a ``write`` API without confirmation comes back as a ``ToolException``
    saying so, never as a silent success.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    name: str = "gorilla_router"
    description: str = DEFAULT_DESCRIPTION
    args_schema: type[BaseModel] = GorillaRouterInput
    handle_tool_error: bool = True
    router: Any = Field(default=None, exclude=True, description="A GorillaRouter (default: GorillaRouter()).")
    max_output_chars: int = Field(default=4000, ge=200)

    @property
    def gorilla_router(self) -> GorillaRouter:
        """The router, built with the defaults on first use when none was given."""
        if self.router is None:
            from gorilla_router.router import GorillaRouter

            self.router = GorillaRouter()
        router: GorillaRouter = self.router
        return router

    def _answer(self, result: CallResult) -> str:
        if not succeeded(result):
            raise ToolException(failure_message(result))
        return format_result(result, self.max_output_chars)

    def _run(self, query: str, run_manager: CallbackManagerForToolRun | None = None) -> str:
        try:
            result = self.gorilla_router.run(query)
        except RouterError as exc:
            raise ToolException(f"{type(exc).__name__}: {exc}") from exc
        return self._answer(result)

    async def _arun(self, query: str, run_manager: AsyncCallbackManagerForToolRun | None = None) -> str:
        try:
            result = await self.gorilla_router.arun(query)
        except RouterError as exc:
            raise ToolException(f"{type(exc).__name__}: {exc}") from exc
        return self._answer(result)
