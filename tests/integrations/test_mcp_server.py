"""The MCP server, driven by the SDK's own client: in process, over stdio (spawned CLI), streamable HTTP."""

from __future__ import annotations

import json
import math
import os
import signal
import socket
import subprocess
import time
from typing import Any

import pytest
from mcp import Client, StdioServerParameters

from gorilla_router.demo import FoodService
from gorilla_router.errors import UsageError
from gorilla_router.integrations import build_mcp_server

from .conftest import CLI, free_port

pytestmark = pytest.mark.anyio

TOOLS = {"route", "search_apis", "call_api"}


def _payload(result: Any) -> Any:
    assert result.content, "the tool returned no content"
    return json.loads(result.content[0].text)


@pytest.fixture
def server(router):
    return build_mcp_server(router)


async def test_tools_are_listed_with_schemas(server) -> None:
    async with Client(server) as client:
        listed = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert set(listed) == TOOLS
    assert listed["route"].input_schema["required"] == ["query"]
    assert set(listed["call_api"].input_schema["properties"]) == {"api_id", "arguments"}
    assert listed["search_apis"].annotations.read_only_hint is True


async def test_route_search_and_call(server) -> None:
    async with Client(server) as client:
        routed = await client.call_tool("route", {"query": "what is the square root of 3342398"})
        found = await client.call_tool("search_apis", {"query": "current weather in a city", "k": 3})
        called = await client.call_tool("call_api", {"api_id": "math.sqrt", "arguments": {"x": 16}})
    assert not routed.is_error
    assert routed.structured_content["api_id"] == "math.sqrt"
    x = routed.structured_content["arguments"]["x"]
    assert routed.structured_content["output"] == pytest.approx(math.sqrt(x))
    hits = found.structured_content["result"]
    assert [hit["rank"] for hit in hits] == [1, 2, 3]
    assert any("weather" in hit["id"] for hit in hits)
    assert _payload(called) == {
        "status": "ok",
        "reason": "executed",
        "api_id": "math.sqrt",
        "call": "math.sqrt(x=16)",
        "arguments": {"x": 16},
        "output": 4.0,
    }


async def test_write_api_is_denied_with_how_to_allow_it(server) -> None:
    async with Client(server) as client:
        routed = await client.call_tool(
            "route", {"query": "order five burgers and six chicken wings from McDonald's"}
        )
        called = await client.call_tool(
            "call_api",
            {
                "api_id": "uber.eat.order",
                "arguments": {"restaurants": ["x"], "items": ["y"], "quantities": [1]},
            },
        )
    for result in (routed, called):
        assert result.is_error
        text = result.content[0].text
        assert "denied [needs_confirmation] (attempted uber.eat.order(" in text
        assert "--allow-writes" in text


async def test_call_api_only_for_ids_in_the_zoo_and_valid_arguments(server) -> None:
    async with Client(server) as client:
        unknown = await client.call_tool("call_api", {"api_id": "math.sqrtt", "arguments": {"x": 4}})
        malformed = await client.call_tool("call_api", {"api_id": "os.system; rm", "arguments": {}})
        invalid = await client.call_tool("call_api", {"api_id": "math.sqrt", "arguments": {"x": "four"}})
        bad_k = await client.call_tool("search_apis", {"query": "weather", "k": 0})
    assert unknown.is_error
    assert "did you mean 'math.sqrt'" in unknown.content[0].text
    assert malformed.is_error
    assert "no API with id 'os.system; rm'" in malformed.content[0].text
    assert invalid.is_error
    assert invalid.content[0].text.startswith("Error executing tool call_api: invalid")
    assert bad_k.is_error
    assert "k must be between 1 and 50" in bad_k.content[0].text


def test_a_given_router_keeps_its_own_confirmation(router) -> None:
    with pytest.raises(UsageError, match="as configured"):
        build_mcp_server(router, allow_writes=True)


# ------------------------------------------------------------------------------ real transports
@pytest.mark.slow
async def test_stdio_server_spawned_by_the_cli_with_writes_allowed(subprocess_env) -> None:
    """A host spawns ``gorilla-router mcp --allow-writes``; the order reaches the local food service."""
    with FoodService() as service:
        env = dict(
            subprocess_env,
            GORILLA_ROUTER_BASE_URL_OVERRIDES=f"uber={service.url}",
            GORILLA_ROUTER_ALLOW_PRIVATE="127.0.0.1",
        )
        params = StdioServerParameters(command=CLI[0], args=[*CLI[1:], "mcp", "--allow-writes"], env=env)
        async with Client(params, read_timeout_seconds=120) as client:
            assert {tool.name for tool in (await client.list_tools()).tools} == TOOLS
            math_result = await client.call_tool("route", {"query": "what is the square root of 3342398"})
            order = await client.call_tool(
                "route", {"query": "order five burgers and six chicken wings from McDonald's"}
            )
        assert not math_result.is_error
        assert _payload(math_result)["status"] == "ok"
        assert not order.is_error, order.content
        assert _payload(order)["api_id"] == "uber.eat.order"
        assert len(service.orders) == 1
        placed = service.orders[0]
        assert dict(zip(placed["items"], placed["quantities"], strict=False)) == {
            "burger": 5,
            "chicken wings": 6,
        }


def _wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the MCP server exited early: {process.stderr.read().decode()[-2000:]}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.25)
    raise AssertionError(f"the MCP server did not listen on 127.0.0.1:{port} within {timeout} s")


@pytest.mark.slow
async def test_streamable_http_server_on_loopback(subprocess_env) -> None:
    port = free_port()
    process = subprocess.Popen(
        [*CLI, "mcp", "--transport", "http", "--host", "127.0.0.1", "--port", str(port)],
        env=subprocess_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for_port(port, process)
        async with Client(f"http://127.0.0.1:{port}/mcp", read_timeout_seconds=120) as client:
            assert {tool.name for tool in (await client.list_tools()).tools} == TOOLS
            found = await client.call_tool("search_apis", {"query": "square root", "k": 2})
            denied = await client.call_tool(
                "route", {"query": "order five burgers and six chicken wings from McDonald's"}
            )
        assert "math.sqrt" in [hit["id"] for hit in found.structured_content["result"]]
        assert denied.is_error
        assert "--allow-writes" in denied.content[0].text
    finally:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()


@pytest.mark.slow
async def test_stdio_server_with_the_default_router(subprocess_env, tmp_path) -> None:
    """The offline default (MiniLM retrieval, embedded Gemma 3 270M) behind ``gorilla-router mcp``.

    Only the index goes to a temporary folder; the cache (with the converted model) is the user's, so the
    model is converted at most once per machine.
    """
    env = {k: v for k, v in subprocess_env.items() if not k.startswith("GORILLA_ROUTER_")}
    env["GORILLA_ROUTER_CHROMA_PATH"] = str(tmp_path / "default-index")
    params = StdioServerParameters(command=CLI[0], args=[*CLI[1:], "mcp"], env=env)
    async with Client(params, read_timeout_seconds=300) as client:
        routed = await client.call_tool("route", {"query": "what is the square root of 3342398"})
    assert not routed.is_error, routed.content
    assert routed.structured_content["call"] == "math.sqrt(x=3342398)"
    assert routed.structured_content["output"] == pytest.approx(1828.2226, abs=1e-4)
