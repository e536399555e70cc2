"""GorillaChatModel: a Gorilla backend as an agent's own tool-calling chat model, plus the standard suites."""

from __future__ import annotations

import functools
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import tool
from langchain_tests.integration_tests import ChatModelIntegrationTests
from langchain_tests.unit_tests import ChatModelUnitTests
from pydantic import BaseModel

from gorilla_router.errors import BackendError, GenerationError, UsageError
from gorilla_router.generation import TestModel
from gorilla_router.generation.base import CallForcing, ModelBackend, TokenUsage
from gorilla_router.integrations import GorillaChatModel, GorillaRouterTool
from gorilla_router.integrations.langchain_chat import tools_to_specs
from gorilla_router.specs import ApiCall

pytestmark = pytest.mark.anyio


@tool
def get_weather(city: str, unit: str = "celsius") -> str:
    """Current weather for a city."""
    return f"sunny in {city}"


@tool("order-food")
def order_food(restaurant: str, items: list[str]) -> str:
    """Order food for delivery from a restaurant."""
    return "ordered"


def _query_as_city(query: str, candidates: Any) -> list[ApiCall]:
    """A scripted model: calls the first offered tool with the last word of the request as the city."""
    return [ApiCall(api_id=candidates[0].spec.id, arguments={"city": query.rstrip("?.").split()[-1]})]


def test_bound_tools_become_candidates_and_calls_come_back_as_tool_calls() -> None:
    backend = TestModel(function=_query_as_city)
    model = GorillaChatModel(backend=backend).bind_tools([get_weather])
    message = model.invoke("What is the weather in Paris?")
    assert isinstance(message, AIMessage)
    assert message.tool_calls[0]["name"] == "get_weather"
    assert message.tool_calls[0]["args"] == {"city": "Paris"}
    assert message.tool_calls[0]["id"].startswith("call_")
    assert backend.requests == [("What is the weather in Paris?", ["get_weather"])]
    assert '"name": "get_weather"' in backend.prompts[0] or "get_weather" in backend.prompts[0]


class CountingBackend:
    """Reports made-up token counts for its answers (a :class:`ReportsUsage` backend)."""

    name = "counting"

    def generate(self, query: str, candidates: Any) -> list[ApiCall]:
        return _query_as_city(query, candidates)

    def last_usage(self) -> TokenUsage:
        return TokenUsage(input_tokens=321, output_tokens=17)


def test_usage_metadata_comes_from_a_backend_that_counts_tokens() -> None:
    model = GorillaChatModel(backend=CountingBackend()).bind_tools([get_weather])
    usage = {"input_tokens": 321, "output_tokens": 17, "total_tokens": 338}
    assert model.invoke("What is the weather in Paris?").usage_metadata == usage
    chunks = list(model.stream("What is the weather in Paris?"))
    assert chunks[-1].usage_metadata == usage
    # answered without running the model: nothing read, nothing written
    plain = GorillaChatModel(backend=CountingBackend()).invoke("Hello")
    assert plain.usage_metadata == {"input_tokens": 0, "output_tokens": 0, "total_tokens": 0}
    # a backend that does not count reports nothing rather than a made-up zero
    message = GorillaChatModel(backend=TestModel(function=_query_as_city)).bind_tools([get_weather])
    assert message.invoke("What is the weather in Paris?").usage_metadata is None


class DecliningUnlessForced:
    """Answers "no call" unless told a call is required (a :class:`CallForcing` backend)."""

    name = "declining"

    def __init__(self) -> None:
        self.forced: list[str] = []

    def generate(self, query: str, candidates: Any) -> list[ApiCall]:
        return []

    def generate_call(self, query: str, candidates: Any) -> list[ApiCall]:
        self.forced.append(query)
        return _query_as_city(query, candidates)


@pytest.mark.parametrize("choice", ["any", "required", "get_weather", True])
def test_a_required_tool_choice_asks_the_backend_for_a_call(choice) -> None:
    backend = DecliningUnlessForced()
    assert isinstance(backend, CallForcing)
    message = GorillaChatModel(backend=backend).bind_tools([get_weather], tool_choice=choice).invoke("Paris?")
    assert message.tool_calls[0]["args"] == {"city": "Paris"}
    assert backend.forced == ["Paris?"]


def test_auto_tool_choice_leaves_no_call_to_the_model() -> None:
    backend = DecliningUnlessForced()
    message = GorillaChatModel(backend=backend).bind_tools([get_weather], tool_choice="auto").invoke("Paris?")
    assert message.tool_calls == []
    assert backend.forced == []


def test_dashed_tool_names_map_to_ids_and_back() -> None:
    specs = tools_to_specs([{"type": "function", "function": {"name": "order-food", "parameters": {}}}])
    assert [c.spec.id for c in specs.candidates] == ["order.food"]
    backend = TestModel(outputs=['order.food(restaurant="Chipotle", items=["burrito"])'])
    message = GorillaChatModel(backend=backend).bind_tools([order_food]).invoke("a burrito from Chipotle")
    assert message.tool_calls[0]["name"] == "order-food"
    assert message.tool_calls[0]["args"] == {"restaurant": "Chipotle", "items": ["burrito"]}


def test_no_call_no_tools_and_bad_output_are_plain_answers() -> None:
    silent = GorillaChatModel(backend=TestModel(function=lambda q, c: [])).bind_tools([get_weather])
    assert "None of the tools fits" in silent.invoke("tell me a joke").content
    assert "no tools are bound" in GorillaChatModel(backend="test").invoke("hi").content
    garbled = GorillaChatModel(backend=TestModel(outputs=["launch(missiles=1)"])).bind_tools([get_weather])
    answer = garbled.invoke("weather in Rome")
    assert answer.tool_calls == []
    assert "could not be used" in answer.content
    assert "launch" in answer.content


def test_tool_choice_restricts_or_disables_the_offer() -> None:
    backend = TestModel(function=lambda q, c: [])
    model = GorillaChatModel(backend=backend)
    model.bind_tools([get_weather, order_food], tool_choice="order-food").invoke("lunch")
    assert backend.requests[-1][1] == ["order.food"]
    assert "tool_choice is 'none'" in model.bind_tools([get_weather], tool_choice="none").invoke("x").content
    with pytest.raises(UsageError, match="not a bound tool"):
        model.bind_tools([get_weather], tool_choice="nope").invoke("x")


def test_backend_failures_propagate() -> None:
    model = GorillaChatModel(backend=TestModel(outputs=[BackendError("server down")])).bind_tools(
        [get_weather]
    )
    with pytest.raises(BackendError, match="server down"):
        model.invoke("weather in Oslo")


def test_structured_output_goes_through_tool_calling() -> None:
    class Person(BaseModel):
        """A person."""

        name: str
        age: int

    backend = TestModel(outputs=['Person(name="Ada", age=36)'])
    structured = GorillaChatModel(backend=backend).with_structured_output(Person, method="json_schema")
    assert structured.invoke("Ada is 36") == Person(name="Ada", age=36)


def test_agent_runs_with_a_gorilla_model_calling_the_router_tool(router) -> None:
    """The Gorilla model writes the tool call, the tool runs the router, the model ends with the result."""

    def pass_request_on(query: str, candidates: Any) -> list[ApiCall]:
        return [ApiCall(api_id=candidates[0].spec.id, arguments={"query": query})]

    model = GorillaChatModel(backend=TestModel(function=pass_request_on))
    agent = create_agent(model, tools=[GorillaRouterTool(router=router)])
    state = agent.invoke({"messages": [HumanMessage("what is the square root of 3342398")]})
    kinds = [type(m).__name__ for m in state["messages"]]
    assert kinds == ["HumanMessage", "AIMessage", "ToolMessage", "AIMessage"]
    assert '"status": "ok"' in state["messages"][-1].content
    assert state["messages"][-1].content == state["messages"][2].content


def test_conversation_ending_in_tool_results_is_answered_with_them() -> None:
    model = GorillaChatModel(backend=TestModel(outputs=[]))  # any model call would fail: none is made
    history = [
        HumanMessage("weather in Paris"),
        AIMessage(content="", tool_calls=[{"name": "get_weather", "args": {"city": "Paris"}, "id": "1"}]),
        ToolMessage("sunny in Paris", tool_call_id="1"),
    ]
    assert model.bind_tools([get_weather]).invoke(history).content == "sunny in Paris"


# ------------------------------------------------------------------------------ LangChainBackend
def test_langchain_backend_over_a_gorilla_chat_model_routes_in_the_router(router) -> None:
    """LangChainBackend(chat model) as the router's backend: candidates → tools → tool_calls → ApiCalls."""
    from gorilla_router.generation.langchain_backend import LangChainBackend
    from gorilla_router.router import GorillaRouter

    backend = LangChainBackend(GorillaChatModel(backend=TestModel()))
    assert isinstance(backend, ModelBackend)
    routed = GorillaRouter(zoo=router.zoo, retriever=router.retriever, backend=backend, config=router.config)
    result = routed.run("what is the square root of 3342398")
    assert result.ok
    assert result.call is not None
    assert result.call.api_id == "math.sqrt"


def test_langchain_backend_rejects_names_it_did_not_offer(router) -> None:
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

    from gorilla_router.generation.langchain_backend import LangChainBackend
    from gorilla_router.integrations import FakeToolCallingModel

    stray = AIMessage(content="", tool_calls=[{"name": "os-system", "args": {"cmd": "rm"}, "id": "1"}])
    backend = LangChainBackend(FakeToolCallingModel(responses=[stray, AIMessage(content="no idea")]))
    candidates = router.search("square root", k=3)
    with pytest.raises(GenerationError, match="'os-system', which is not one of the candidate APIs"):
        backend.generate("square root of 9", candidates)
    assert backend.generate("square root of 9", candidates) == []  # a reply without tool calls: no call
    with pytest.raises(UsageError, match="bind_tools"):
        LangChainBackend(object())
    no_tools = LangChainBackend(GenericFakeChatModel(messages=iter([AIMessage(content="x")])))
    with pytest.raises(UsageError, match="does not support tool calling"):
        no_tools.generate("square root of 9", candidates)


def test_langchain_backend_string_is_registered() -> None:
    from gorilla_router.generation import load_backend

    with pytest.raises(UsageError, match="langchain:<provider>:<model>"):
        load_backend("langchain:no-such-provider-xyz:model")


# ------------------------------------------------------------------------------ standard suites
class TestGorillaChatModelUnit(ChatModelUnitTests):
    @property
    def chat_model_class(self) -> type[GorillaChatModel]:
        return GorillaChatModel

    @property
    def chat_model_params(self) -> dict:
        return {"backend": "test"}


@functools.lru_cache(maxsize=1)
def embedded_backend() -> ModelBackend:
    """The real offline default (Qwen2.5-Coder-0.5B-Instruct), loaded once for the whole standard suite."""
    from gorilla_router.generation import load_backend

    return load_backend("embedded")


@pytest.mark.slow
class TestGorillaChatModelIntegration(ChatModelIntegrationTests):
    """The standard suite against the embedded default model: it really writes ``magic_function(input=3)``."""

    @property
    def chat_model_class(self) -> type[GorillaChatModel]:
        return GorillaChatModel

    @property
    def chat_model_params(self) -> dict:
        return {"backend": embedded_backend()}
