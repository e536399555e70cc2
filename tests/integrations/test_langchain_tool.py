"""GorillaRouterTool: the router as a LangChain tool — results, ToolException failures, agents, suites."""

from __future__ import annotations

import json
import math

import pytest
from langchain.agents import create_agent
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import ToolException
from langchain_tests.integration_tests import ToolsIntegrationTests
from langchain_tests.unit_tests import ToolsUnitTests

from gorilla_router.execution import RecordingExecutor
from gorilla_router.generation import TestModel
from gorilla_router.integrations import FakeToolCallingModel, GorillaRouterTool, format_result
from gorilla_router.router import GorillaRouter
from gorilla_router.specs import ApiCall, CallResult, CallStatus

from .conftest import shared_router

pytestmark = pytest.mark.anyio


def _router_with(backend: TestModel, tmp_path, **kwargs) -> GorillaRouter:
    """A router over the same zoo and index as the shared one, with another model or transports."""
    shared = shared_router()
    return GorillaRouter(
        zoo=shared.zoo, retriever=shared.retriever, backend=backend, config=shared.config, **kwargs
    )


def test_run_is_the_routers_run_and_returns_compact_json(router) -> None:
    tool = GorillaRouterTool(router=router)
    answer = json.loads(tool.run("what is the square root of 3342398"))
    assert answer["status"] == "ok"
    assert answer["call"].startswith("math.sqrt(")
    x = float(answer["call"].split("=", 1)[1].rstrip(")"))
    assert answer["output"] == pytest.approx(math.sqrt(x))


def test_write_api_without_confirmation_is_a_tool_error_message(router) -> None:
    tool = GorillaRouterTool(router=router)
    message = tool.run("order five burgers and six chicken wings from McDonald's")
    assert message.startswith("denied [needs_confirmation] (attempted uber.eat.order(")
    assert "confirmation required" in message
    assert "Traceback" not in message


def test_tool_error_reaches_the_agent_as_an_error_tool_message(router) -> None:
    tool = GorillaRouterTool(router=router)
    call = {
        "name": tool.name,
        "args": {"query": "order five burgers and six chicken wings from McDonald's"},
        "id": "c1",
        "type": "tool_call",
    }
    reply = tool.invoke(call)
    assert isinstance(reply, ToolMessage)
    assert reply.status == "error"
    assert "denied" in reply.content


def test_without_handle_tool_error_the_exception_propagates(router) -> None:
    tool = GorillaRouterTool(router=router, handle_tool_error=False)
    with pytest.raises(ToolException, match="confirmation required"):
        tool.run("order five burgers and six chicken wings from McDonald's")


def test_no_call_and_invalid_arguments_are_tool_errors(tmp_path) -> None:
    no_call = GorillaRouterTool(router=_router_with(TestModel(function=lambda q, c: []), tmp_path))
    declined = no_call.run("tell me a joke")
    assert declined.startswith(("no_call [no_suitable_api]: ", "no_call [model_declined]: "))
    assert "no suitable API" in declined
    invalid = GorillaRouterTool(router=_router_with(TestModel(outputs=['math.sqrt(x="many")']), tmp_path))
    message = invalid.run("square root of many")
    assert message.startswith("invalid [invalid_arguments] (attempted math.sqrt(x='many'))")
    assert "x" in message


def test_bad_query_is_reported_not_raised(router) -> None:
    assert "UsageError" in GorillaRouterTool(router=router).run("   ")


def test_confirmed_write_goes_through_the_guard_to_the_transport(tmp_path) -> None:
    rest = RecordingExecutor()
    router = _router_with(
        TestModel(), tmp_path, confirm=lambda call, spec, reason: True, transports={"rest": rest}
    )
    answer = json.loads(
        GorillaRouterTool(router=router).run("order five burgers and six chicken wings from McDonald's")
    )
    assert answer["status"] == "ok"
    assert rest.api_ids == ["uber.eat.order"]


async def test_async_run(router) -> None:
    answer = json.loads(await GorillaRouterTool(router=router).arun("what is the square root of 3342398"))
    assert answer["status"] == "ok"


def test_large_outputs_are_cut_for_the_agent() -> None:
    result = CallResult(call=ApiCall(api_id="a.b"), status=CallStatus.OK, output="x" * 10_000)
    text = format_result(result, max_output_chars=1000)
    assert len(text) < 1000
    assert json.loads(text)["output_truncated"].endswith("(10002 characters)")


def test_router_as_tool_convenience(router) -> None:
    tool = router.as_tool(name="apis")
    assert isinstance(tool, GorillaRouterTool)
    assert tool.name == "apis"
    assert tool.router is router


def test_agent_calls_the_tool_and_reads_its_result(router) -> None:
    model = FakeToolCallingModel(
        responses=[
            AIMessage(
                content="",
                tool_calls=[
                    {"name": "gorilla_router", "args": {"query": "square root of 3342398"}, "id": "call_1"}
                ],
            ),
            AIMessage(content="The square root is about 1828.22."),
        ]
    )
    agent = create_agent(model, tools=[GorillaRouterTool(router=router)])
    state = agent.invoke({"messages": [HumanMessage("What is the square root of 3342398?")]})
    tool_messages = [m for m in state["messages"] if isinstance(m, ToolMessage)]
    assert len(tool_messages) == 1
    assert json.loads(tool_messages[0].content)["status"] == "ok"
    assert state["messages"][-1].content == "The square root is about 1828.22."
    assert model.bound_tools[0] == ["gorilla_router"]


def test_agent_survives_a_denied_call(router) -> None:
    model = FakeToolCallingModel(
        responses=[
            AIMessage(
                content="",
                tool_calls=[
                    {
                        "name": "gorilla_router",
                        "args": {"query": "order five burgers and six chicken wings from McDonald's"},
                        "id": "c",
                    }
                ],
            ),
            AIMessage(content="I could not place the order: it needs confirmation."),
        ]
    )
    agent = create_agent(model, tools=[GorillaRouterTool(router=router)])
    state = agent.invoke(
        {"messages": [HumanMessage("Order five burgers and six chicken wings from McDonald's")]}
    )
    denied = next(m for m in state["messages"] if isinstance(m, ToolMessage))
    assert denied.status == "error"
    assert "confirmation required" in denied.content
    # the model's second turn saw the error message as the tool's answer
    assert any(isinstance(m, ToolMessage) and "denied" in m.content for m in model.received[1])


def test_unconfigured_tool_builds_the_default_router_lazily() -> None:
    tool = GorillaRouterTool()
    assert tool.router is None  # nothing is loaded until the first run


class _GorillaRouterToolParams:
    """What LangChain's standard tool suites need to build and call the tool (shared by both suites)."""

    @property
    def tool_constructor(self) -> type[GorillaRouterTool]:
        return GorillaRouterTool

    @property
    def tool_constructor_params(self) -> dict:
        return {"router": shared_router()}

    @property
    def tool_invoke_params_example(self) -> dict:
        return {"query": "what is the square root of 3342398"}


class TestGorillaRouterToolUnit(_GorillaRouterToolParams, ToolsUnitTests):
    pass


class TestGorillaRouterToolIntegration(_GorillaRouterToolParams, ToolsIntegrationTests):
    pass
