"""Prompt formats: exact Gorilla layouts, OpenAI tool names, format lookup and per-model defaults."""

from __future__ import annotations

import json
import re

import pytest

from gorilla_router.errors import GenerationError, UnknownBackendError
from gorilla_router.generation import default_prompt_format, get_prompt_format, tool_name_for
from gorilla_router.generation.prompts.apibench import ApiBenchFormat
from gorilla_router.generation.prompts.chat_tools import ChatToolsFormat
from gorilla_router.generation.prompts.openfunctions import GORILLA_SYSTEM_PROMPT, OpenFunctionsV2Format
from gorilla_router.generation.toolnames import api_id_from_tool_name, resolve_api_id
from gorilla_router.specs import ApiSpec, AuthSpec, Candidate

from .conftest import make_spec

TOOL_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


def test_openfunctions_v2_prompt_is_gorillas_layout(candidates: list[Candidate]) -> None:
    prompt = OpenFunctionsV2Format().render("Find coffee in Boston", candidates)
    functions = [
        {
            "name": c.spec.id,
            "description": f"{c.spec.name}. {c.spec.description}",
            "parameters": c.spec.parameters,
        }
        for c in candidates
    ]
    assert prompt == (
        f"{GORILLA_SYSTEM_PROMPT}\n### Instruction: <<function>>{json.dumps(functions)}\n"
        "<<question>>Find coffee in Boston\n### Response: "
    )
    assert OpenFunctionsV2Format().render("hi", []) == (
        f"{GORILLA_SYSTEM_PROMPT}\n### Instruction: <<question>> hi\n### Response: "
    )


def test_openfunctions_v2_parses_its_output(candidates: list[Candidate]) -> None:
    fmt = OpenFunctionsV2Format()
    calls = fmt.parse(
        "<<function>>weather.current(location='Paris, France')"
        "<<function>>coffee_shop.find_nearby(location='Oslo')",
        candidates,
    )
    assert [c.api_id for c in calls] == ["weather.current", "coffee_shop.find_nearby"]
    with pytest.raises(GenerationError, match="not one of the candidate APIs"):
        fmt.parse("<<function>>uber.ride(loc='x')", candidates)
    assert fmt.messages("q", candidates) == [{"role": "user", "content": fmt.render("q", candidates)}]


def test_apibench_prompt_and_answer(candidates: list[Candidate]) -> None:
    fmt = ApiBenchFormat()
    prompt = fmt.render("Find coffee", candidates[:1])
    assert prompt.startswith("###USER: Find coffee\nUse this API documentation for reference: {")
    assert prompt.endswith("###ASSISTANT: ")
    record = json.loads(prompt.split("reference: ", 1)[1].removesuffix("###ASSISTANT: "))
    assert record["api_name"] == "coffee_shop.find_nearby"
    assert record["api_call"] == candidates[0].spec.examples[0].call
    answer = (
        "<<<domain>>>: Maps\n<<<api_call>>>: coffee_shop.find_nearby(location='Boston, MA')\n"
        "<<<api_provider>>>: coffee_shop\n<<<explanation>>>: Use the locator.\n<<<code>>>: import x"
    )
    (call,) = fmt.parse(answer, candidates)
    assert call.arguments == {"location": "Boston, MA"}
    assert fmt.render("Just a question", []) == "###USER: Just a question###ASSISTANT: "


def test_chat_tools_names_are_valid_and_reversible(candidates: list[Candidate]) -> None:
    long_id = ".".join(["segment_with_a_long_name"] * 5)
    specs = [*(c.spec for c in candidates), make_spec(long_id, {"x": {"type": "integer"}})]
    fmt = ChatToolsFormat()
    tools = fmt.tools(specs)
    names = [t["function"]["name"] for t in tools]
    assert all(TOOL_NAME.match(n) for n in names)
    assert names[:2] == ["coffee_shop-find_nearby", "weather-current"]
    assert [resolve_api_id(n, [s.id for s in specs]) for n in names] == [s.id for s in specs]
    assert api_id_from_tool_name("coffee_shop-find_nearby") == "coffee_shop.find_nearby"
    assert tools[0]["function"]["parameters"] == specs[0].parameters
    assert fmt.messages("order burgers", specs)[-1] == {"role": "user", "content": "order burgers"}
    assert "Functions: [" in fmt.render("order burgers", specs)
    assert tool_name_for("a.b") == "a-b"


def test_rendered_prompts_carry_no_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDERS_TOKEN", "tok-very-secret-42")
    spec = ApiSpec(
        id="shop.order",
        name="Order",
        description="Order food.",
        kind="rest",
        method="POST",
        base_url="https://api.example.com",
        path="/orders",
        auth=AuthSpec(env="ORDERS_TOKEN", prefix="Bearer "),
        parameters={"type": "object", "properties": {"item": {"type": "string"}}, "required": ["item"]},
    )
    for name in ("openfunctions_v2", "apibench", "chat_tools"):
        fmt = get_prompt_format(name)
        assert "tok-very-secret-42" not in fmt.render("order", [spec])
        assert "tok-very-secret-42" not in json.dumps(fmt.messages("order", [spec]))


def test_get_prompt_format_names_and_did_you_mean() -> None:
    assert get_prompt_format("openfunctions_v2").name == "openfunctions_v2"
    assert get_prompt_format("gorilla").name == "openfunctions_v2"
    assert get_prompt_format("Chat_Tools").name == "chat_tools"
    ready = ChatToolsFormat(system="custom")
    assert get_prompt_format(ready) is ready
    with pytest.raises(UnknownBackendError, match="Did you mean 'openfunctions_v2'"):
        get_prompt_format("openfunction_v2")
    with pytest.raises(UnknownBackendError, match="Known formats"):
        get_prompt_format("zzz")


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("gorilla-llm/gorilla-openfunctions-v2", "openfunctions_v2"),
        ("gorilla-openfunctions-v1", "openfunctions_v2"),
        ("gorilla-llm/gorilla-7b-hf-delta-v1", "apibench"),
        ("gorilla-falcon-7b-hf-v0", "apibench"),
        ("embedded", "fewshot"),
        ("google/gemma-3-270m", "fewshot"),
        ("google/gemma-3-270m-it", "chat_tools"),
        ("gpt-4o-mini", "chat_tools"),
        ("Qwen/Qwen2.5-7B-Instruct", "chat_tools"),
    ],
)
def test_default_prompt_format(model: str, expected: str) -> None:
    assert default_prompt_format(model) == expected


@pytest.mark.parametrize("name", ["openfunctions_v2", "apibench", "chat_tools", "fewshot"])
def test_every_registered_format_loads_and_round_trips(name: str, candidates: list[Candidate]) -> None:
    from gorilla_router.generation import PromptFormat

    fmt = get_prompt_format(name)
    assert isinstance(fmt, PromptFormat)
    assert fmt.name == name
    assert "Weather in Paris" in fmt.render("Weather in Paris", candidates)
    (call,) = fmt.parse("weather.current(location='Paris, France')", candidates)
    assert call.arguments == {"location": "Paris, France"}
