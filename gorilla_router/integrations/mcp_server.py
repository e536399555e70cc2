"""The router as an MCP server (official ``mcp`` SDK, v2 ``MCPServer``): how MCP hosts use the API Zoo.

Three tools, the same three ways a person uses the router:

``route(query)``
    A request in plain words → retrieve, generate, validate, guard, execute; returns the call and output.
``search_apis(query, k)``
    The top-``k`` APIs for a request (id, name, description, parameters, side effects, score, rank).
``call_api(api_id, arguments)``
    Execute a call the host wrote itself — only for ids in the zoo, validated and guarded like any other.

The guard decides as it does everywhere: ``write`` APIs need a confirmation, and an MCP tool call has no
person to ask, so they are denied with a message saying so — unless the server was started with
``allow_writes=True`` (``gorilla-router mcp --allow-writes``), which confirms them. ``destructive`` APIs
stay denied unless the configuration's ``allow`` patterns name them. A call that did not run (denied,
invalid, failed, no API fits, a value is missing) is an MCP tool error (``isError``) whose text starts
with the status and reason code and says why (``integrations/results.py``, shared with LangChain).
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from gorilla_router.config import RouterConfig
from gorilla_router.errors import RouterError, UsageError
from gorilla_router.integrations._deps import MCP_INSTALL, missing
from gorilla_router.integrations.results import failure_message, succeeded
from gorilla_router.router import GorillaRouter
from gorilla_router.specs import ApiCall, ApiSpec, CallReason, CallResult, CallStatus, Candidate

try:
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError
    from mcp.types import ToolAnnotations
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise missing(exc, MCP_INSTALL, "the MCP server") from exc

__all__ = ["SERVER_NAME", "build_mcp_server", "candidate_view", "result_view", "router_for_mcp"]

logger = logging.getLogger("gorilla_router.mcp")

SERVER_NAME = "gorilla-router"
INSTRUCTIONS = (
    "Routes requests in plain words to real APIs from an API Zoo and executes them under a safety guard. "
    "Use route(query) to get something done; search_apis(query, k) to see which APIs fit; "
    "call_api(api_id, arguments) to run a call you wrote yourself with an id from search_apis. "
    "APIs with side effects may be denied: the error says why."
)
_HINTS = {
    CallReason.NEEDS_CONFIRMATION: "An MCP tool call has no person to confirm it: start the server with "
    "--allow-writes (build_mcp_server(allow_writes=True)) to let it confirm such calls."
}


def candidate_view(candidate: Candidate) -> dict[str, Any]:
    """What a host needs to choose and call an API: identity, purpose, parameters, risk, score."""
    spec = candidate.spec
    return {
        "id": spec.id,
        "name": spec.name,
        "description": spec.description,
        "kind": spec.kind,
        "side_effects": spec.side_effects,
        "parameters": spec.parameters,
        "examples": [example.model_dump() for example in spec.examples[:2]],
        "score": candidate.score,
        "rank": candidate.rank,
    }


def result_view(result: CallResult) -> dict[str, Any]:
    """A JSON-ready result: status, the call as Python source, its arguments, output or request, timing."""
    view: dict[str, Any] = {"status": result.status.value}
    if result.reason is not None:
        view["reason"] = result.reason.value
    if result.call is not None:
        view.update(api_id=result.call.api_id, call=result.call.to_source(), arguments=result.call.arguments)
    if result.output is not None:
        view["output"] = result.output
    if result.request is not None and result.status is CallStatus.DRY_RUN:
        view["request"] = result.request
    if "total" in result.timings:
        view["seconds"] = round(result.timings["total"], 3)
    return view


def _approve_by_startup_option(call: ApiCall, spec: ApiSpec, reason: str) -> bool:
    """The confirmation of a server started with ``allow_writes``: logged, then approved."""
    logger.info("confirmed by --allow-writes: %s (%s)", call.to_source(), reason)
    return True


class _Tools:
    """The three tools' bodies, kept apart from the SDK registration so each reads as plain code."""

    def __init__(self, router: GorillaRouter) -> None:
        self.router = router

    def _finish(self, result: CallResult) -> dict[str, Any]:
        if succeeded(result):
            return result_view(result)
        raise ToolError(failure_message(result, _HINTS))

    async def route(self, query: str) -> dict[str, Any]:
        try:
            result = await self.router.arun(query)
        except RouterError as exc:
            raise ToolError(f"{type(exc).__name__}: {exc}") from exc
        return self._finish(result)

    async def search_apis(self, query: str, k: int = 5) -> list[dict[str, Any]]:
        if not 1 <= k <= 50:
            raise ToolError(f"k must be between 1 and 50, got {k}")
        try:
            candidates = await self.router.asearch(query, k)
        except RouterError as exc:
            raise ToolError(f"{type(exc).__name__}: {exc}") from exc
        return [candidate_view(candidate) for candidate in candidates]

    async def call_api(self, api_id: str, arguments: dict[str, Any] | None = None) -> dict[str, Any]:
        try:
            self.router.zoo.get(api_id)  # only ids in the zoo; the error suggests close ones
            call = ApiCall(api_id=api_id, arguments=dict(arguments or {}), raw="(written by the MCP client)")
        except PydanticValidationError as exc:
            raise ToolError(f"{api_id!r} is not a valid API id; take one from search_apis") from exc
        except RouterError as exc:
            raise ToolError(f"{exc}; take an id from search_apis") from exc
        return self._finish(await self.router.aexecute(call))


def router_for_mcp(config: RouterConfig | None = None, *, allow_writes: bool = False) -> GorillaRouter:
    """The router an MCP server runs by default: ``config``'s, confirming ``write`` calls iff allowed."""
    return GorillaRouter(config=config, confirm=_approve_by_startup_option if allow_writes else None)


def build_mcp_server(
    router: GorillaRouter | None = None,
    *,
    config: RouterConfig | None = None,
    allow_writes: bool = False,
    name: str = SERVER_NAME,
) -> MCPServer:
    """An ``MCPServer`` exposing ``route``, ``search_apis`` and ``call_api`` over ``router``.

    Without ``router`` one is built from ``config`` (default: ``RouterConfig.load()``), with a confirmation
    that approves ``write`` calls only when ``allow_writes`` is true. A router passed in keeps its own
    confirmation; combining it with ``allow_writes`` is refused as ambiguous.
    """
    if router is None:
        router = router_for_mcp(config, allow_writes=allow_writes)
    elif allow_writes or config is not None:
        raise UsageError(
            "build_mcp_server(router=…) uses the router as configured; give its confirm callback and config "
            "to GorillaRouter instead of allow_writes/config here"
        )
    tools = _Tools(router)
    server: MCPServer = MCPServer(name, instructions=INSTRUCTIONS, log_level="WARNING")
    server.add_tool(
        tools.route,
        name="route",
        description="Do what a request in plain words asks by calling the right API from the zoo; returns "
        "the call made and the API's output. Calls with side effects may be denied (the error says why).",
        annotations=ToolAnnotations(read_only_hint=False, open_world_hint=True),
    )
    server.add_tool(
        tools.search_apis,
        name="search_apis",
        description="Find the k APIs in the zoo that best fit a request (id, description, parameters, "
        "side effects, score). Use an id with call_api.",
        annotations=ToolAnnotations(read_only_hint=True, open_world_hint=False),
    )
    server.add_tool(
        tools.call_api,
        name="call_api",
        description="Execute one API from the zoo by id with the given arguments (a JSON object matching "
        "its parameters). The arguments are validated and the call is guarded like any other.",
        annotations=ToolAnnotations(read_only_hint=False, open_world_hint=True),
    )
    return server
