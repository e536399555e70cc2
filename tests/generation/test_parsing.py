"""parse_calls: every accepted output form, the candidate check, and refusal of anything non-literal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gorilla_router.errors import GenerationError
from gorilla_router.generation import parse_call, parse_calls, parse_tool_calls
from gorilla_router.specs import ApiSpec, Candidate


def sources(text: str, candidates: list[Candidate] | list[ApiSpec] | None = None) -> list[str]:
    return [call.to_source() for call in parse_calls(text, candidates)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("f(a=1)", ["f(a=1)"]),
        ("a.b.c(x='y')", ["a.b.c(x='y')"]),
        ("[f(a=1), g(b=2)]", ["f(a=1)", "g(b=2)"]),
        ("f(a=1), g(b=2)", ["f(a=1)", "g(b=2)"]),
        ("f(a=1); g(b=2)", ["f(a=1)", "g(b=2)"]),
        ("f(a=1)\n\ng(b=2)\n", ["f(a=1)", "g(b=2)"]),
        ("<<function>>f(a=1)<<function>>g(b=2)", ["f(a=1)", "g(b=2)"]),
        ("<<function>>f(a=1)\n<<function>>g(b=2)", ["f(a=1)", "g(b=2)"]),
        ("```python\nf(a=1)\n```", ["f(a=1)"]),
        ("Here you go:\n```\nf(a=1)\n```\nand\n```py\ng(b=2)\n```", ["f(a=1)", "g(b=2)"]),
        ("`f(a=1)`", ["f(a=1)"]),
        ("f(text='use <<function>> and ``` here')", ["f(text='use <<function>> and ``` here')"]),
        (
            '<tool_call>\n{"name": "f", "arguments": {"a": 1}}\n</tool_call>\n<tool_call>g(b=2)</tool_call>',
            ["f(a=1)", "g(b=2)"],
        ),
        ("model = pipeline(task='x')", ["pipeline(task='x')"]),
        ("weather-current(city='x'), a.b-c(d=1)", ["weather.current(city='x')", "a.b.c(d=1)"]),
        ("", []),
        ("   \n", []),
        ("[]", []),
    ],
)
def test_python_call_forms(text: str, expected: list[str]) -> None:
    assert sources(text) == expected


@pytest.mark.parametrize(
    ("literal", "value"),
    [
        ("'x'", "x"),
        ('"San Francisco, CA"', "San Francisco, CA"),
        ("42", 42),
        ("-7", -7),
        ("+3", 3),
        ("-2.5", -2.5),
        ("1e3", 1000.0),
        ("True", True),
        ("False", False),
        ("None", None),
        ("true", True),
        ("null", None),
        ("[1, 'a', None]", [1, "a", None]),
        ("(1, 2)", [1, 2]),
        ("{3, 1, 3}", [3, 1]),
        ("{'k': [1, {'n': -1}]}", {"k": [1, {"n": -1}]}),
        ("[]", []),
        ("{}", {}),
    ],
)
def test_literal_values(literal: str, value: object) -> None:
    (call,) = parse_calls(f"f(v={literal})")
    assert call.arguments == {"v": value}


def test_apibench_api_call_field_is_extracted() -> None:
    text = (
        "<<<domain>>>: Natural Language Processing Text Classification\n"
        "<<<api_call>>>: pipeline(task='text-classification', model='distilbert-base-uncased')\n"
        "<<<api_provider>>>: Hugging Face Transformers\n<<<explanation>>>: 1. Import pipeline ..."
    )
    (call,) = parse_calls(text)
    assert call.api_id == "pipeline"
    assert call.arguments == {"task": "text-classification", "model": "distilbert-base-uncased"}


def test_gold_answer_with_parse_call(coffee_spec: ApiSpec) -> None:
    call = parse_call('coffee_shop.find_nearby(location="San Francisco, CA", amenities=["Wi-Fi"])')
    assert call.api_id == "coffee_shop.find_nearby"
    assert call.arguments == {"location": "San Francisco, CA", "amenities": ["Wi-Fi"]}
    with pytest.raises(GenerationError, match="exactly one call"):
        parse_call("[f(a=1), g(b=2)]")


def test_positional_arguments_follow_schema_order(candidates: list[Candidate]) -> None:
    (call,) = parse_calls("weather.current('Paris, France', 'celsius')", candidates)
    assert call.arguments == {"location": "Paris, France", "unit": "celsius"}
    (call,) = parse_calls("weather.current('Oslo', unit='fahrenheit')", candidates)
    assert call.arguments == {"location": "Oslo", "unit": "fahrenheit"}


def test_positional_errors(candidates: list[Candidate]) -> None:
    with pytest.raises(GenerationError, match=r"positional argument.*cannot be named"):
        parse_calls("weather.current('Paris')")
    with pytest.raises(GenerationError, match="has only 2 parameter"):
        parse_calls("weather.current('a', 'b', 'c')", candidates)
    with pytest.raises(GenerationError, match="both by position and by keyword"):
        parse_calls("weather.current('a', location='b')", candidates)


def test_candidate_check_rejects_hallucinated_api(candidates: list[Candidate]) -> None:
    with pytest.raises(GenerationError) as info:
        parse_calls("uber.ride(loc='Berkeley')", candidates)
    message = str(info.value)
    assert "'uber.ride'" in message
    assert "coffee_shop.find_nearby" in message
    assert "weather.current" in message
    assert info.value.raw == "uber.ride(loc='Berkeley')"


def test_candidate_check_accepts_specs_and_tool_names(coffee_spec: ApiSpec) -> None:
    assert sources("coffee_shop-find_nearby(location='SF')", [coffee_spec]) == [
        "coffee_shop.find_nearby(location='SF')"
    ]
    assert sources("coffee_shop_find_nearby(location='SF')", [coffee_spec]) == [
        "coffee_shop.find_nearby(location='SF')"
    ]
    with pytest.raises(GenerationError, match="it may only call: \\(none"):
        parse_calls("coffee_shop.find_nearby(location='SF')", [])


@pytest.mark.parametrize(
    "payload",
    [
        {"name": "weather.current", "arguments": {"location": "Paris"}},
        {"name": "weather.current", "arguments": '{"location": "Paris"}'},
        {"name": "weather.current", "parameters": {"location": "Paris"}},
        [{"name": "weather.current", "arguments": {"location": "Paris"}}],
        {"type": "function", "function": {"name": "weather-current", "arguments": '{"location": "Paris"}'}},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "weather-current", "arguments": '{"location": "Paris"}'},
                }
            ],
        },
        {
            "role": "assistant",
            "content": None,
            "function_call": {"name": "weather.current", "arguments": '{"location": "Paris"}'},
        },
        {
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": "weather.current(location='Paris')"}}
            ]
        },
    ],
)
def test_json_tool_call_forms(payload: object, candidates: list[Candidate]) -> None:
    for form in (json.dumps(payload), f"```json\n{json.dumps(payload, indent=2)}\n```"):
        (call,) = parse_calls(form, candidates)
        assert call.api_id == "weather.current"
        assert call.arguments == {"location": "Paris"}
    (call,) = parse_tool_calls(payload, candidates)
    assert call.to_source() == "weather.current(location='Paris')"


def test_python_dict_tool_call_with_single_quotes() -> None:
    assert sources("{'name': 'f', 'arguments': {'a': 1}}") == ["f(a=1)"]


def test_gorilla_message_prefers_structured_function_call() -> None:
    message = {
        "role": "assistant",
        "content": (
            "get_current_weather(location='Boston, MA'), get_current_weather(location='San Francisco, CA')"
        ),
        "function_call": [
            {"name": "get_current_weather", "arguments": {"location": "Boston, MA"}},
            {"name": "get_current_weather", "arguments": {"location": "San Francisco, CA"}},
        ],
    }
    calls = parse_tool_calls(message)
    assert [c.arguments["location"] for c in calls] == ["Boston, MA", "San Francisco, CA"]
    message["function_call"] = None
    assert [c.to_source() for c in parse_tool_calls(message)] == [
        "get_current_weather(location='Boston, MA')",
        "get_current_weather(location='San Francisco, CA')",
    ]
    assert parse_tool_calls({"role": "assistant", "content": ""}) == []


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("f(a=x)", "variable name 'x'"),
        ("f(a=1+2)", "BinOp"),
        ("f(a=f'{x}')", "JoinedStr"),
        ("f(a=b'x')", "bytes literal"),
        ("f(a=1j)", "complex literal"),
        ("f(a=...)", "ellipsis literal"),
        ("f(*args)", "unpacking"),
        ("f(**kw)", "unpacking"),
        ("f(a={**d})", "unpacking"),
        ("f(a={[1]: 2})", "unhashable|not a scalar"),
        ("f()()", "dotted name"),
        ("x[0](a=1)", "dotted name"),
        ("import os", "statement of type Import"),
        ("y = 3", "statement of type Assign"),
        ("for x in y: f(a=1)", "statement of type For"),
        ("f(a=1", "never closed"),
        ("I think you should call the weather API.", "syntax error"),
        ("42", "expected a function call"),
        ("[f(a=1), 3]", "expected a function call"),
        ('{"name": "f", "arguments": "{not json"}', "not valid JSON"),
        ('{"name": "f", "arguments": [1, 2]}', "must be an object"),
        ('{"unexpected": 1}', "expected a tool call object"),
        ("f-1(a=1)", "dotted name"),
    ],
)
def test_unparseable_output_is_a_clear_generation_error(text: str, fragment: str) -> None:
    with pytest.raises(GenerationError, match=fragment) as info:
        parse_calls(text)
    assert info.value.raw


def test_injected_code_is_rejected_and_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    payloads = [
        f"os.system(command=__import__('pathlib').Path({str(marker)!r}).touch())",
        f"f(a=[1, __import__('pathlib').Path({str(marker)!r}).touch()])",
        f"f(a={{'k': open({str(marker)!r}, 'w')}})",
        f"__import__('pathlib').Path({str(marker)!r}).touch()",
        f"f(a=(lambda: __import__('pathlib').Path({str(marker)!r}).touch())())",
    ]
    for payload in payloads:
        with pytest.raises(GenerationError) as info:
            parse_calls(payload)
        assert "not a literal" in str(info.value) or "dotted name" in str(info.value)
    assert not marker.exists()
    with pytest.raises(GenerationError, match="function call, not a literal"):
        parse_calls("os.system(command=__import__('os').system('echo hi'))")


def test_overlong_and_pathological_output() -> None:
    with pytest.raises(GenerationError, match="characters long"):
        parse_calls("f(a='" + "x" * 200_000 + "')")
    deep = "f(a=" + "[" * 5000 + "]" * 5000 + ")"
    with pytest.raises(GenerationError):
        parse_calls(deep)


def test_raw_keeps_model_text() -> None:
    (call,) = parse_calls("  weather.current(location='Paris')  ")
    assert call.raw == "weather.current(location='Paris')"
