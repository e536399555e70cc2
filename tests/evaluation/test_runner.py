"""The runner: a backend (TestModel) or saved responses over the fixture items → EvalReport and JSON Lines."""

from __future__ import annotations

import json

import pytest

from gorilla_router.errors import BackendError, ConfigError
from gorilla_router.evaluation import evaluate, evaluate_responses, load_responses
from gorilla_router.generation.testing import TestModel

ORDER = ["simple_0", "multiple_0", "parallel_0", "irrelevance_0", "simple_1"]


@pytest.fixture
def items(bfcl_items):
    return [bfcl_items[i] for i in ORDER]


def test_backend_outputs_are_parsed_checked_and_counted(items, tmp_path):
    model = TestModel(
        outputs=[
            'get_weather(location="San Francisco, CA", unit="celsius")',  # pass
            'stocks.quote(symbol="AAPL")',  # names an API that was not offered → hallucination
            '[get_weather(location="Paris"), get_weather(location="Boston, MA")]',  # pass, any order
            "[]",  # no call on the irrelevant question → pass
            BackendError("server down"),
        ]
    )
    seen = []
    report = evaluate(model, items, on_item=seen.append)
    assert [o.id for o in seen] == ORDER
    assert [o.passed for o in report.items] == [True, False, True, True, False]
    assert report.accuracy == pytest.approx(0.6)
    assert report.hallucination == pytest.approx(0.2)
    hallucinated = report.items[1]
    assert hallucinated.hallucination
    assert "stocks.quote" in hallucinated.reason
    assert hallucinated.candidates == ["get_weather", "stock.price"]
    assert report.items[4].reason == "backend error: server down"
    assert report.per_category()["simple"].total == 2
    assert model.requests[0] == ("What's the weather in San Francisco, CA in celsius?", ["get_weather"])

    path = report.write_jsonl(tmp_path / "out" / "r.jsonl")
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert len(lines) == 5
    assert set(lines[0]) >= {
        "id",
        "question",
        "candidates",
        "raw_output",
        "calls",
        "passed",
        "reason",
        "latency_s",
    }
    assert lines[2]["calls"][0] == {"api_id": "get_weather", "arguments": {"location": "Paris"}}
    assert report.summary()["per_category"]["parallel"] == {"total": 1, "passed": 1, "hallucinated": 0}


def test_unparseable_output_fails_with_the_parser_message(items):
    report = evaluate(TestModel(outputs=["the weather is nice"]), items[:1])
    outcome = report.items[0]
    assert not outcome.passed
    assert not outcome.hallucination
    assert outcome.reason.startswith("unusable output:")


def test_responses_mode_accepts_text_and_tool_call_objects(items):
    responses = {
        "simple_0": {"name": "get_weather", "arguments": '{"location": "San Francisco", "unit": "c"}'},
        "multiple_0": "stock.price(ticker='AAPL')",
        "parallel_0": "get_weather(location='Boston')",
        "irrelevance_0": "get_weather(location='x')",
        "simple_1": "calculate_triangle_area(base=10, height=5, unit='units')",
    }
    report = evaluate_responses(responses, items, name="saved")
    assert [o.passed for o in report.items] == [True, True, False, False, True]
    with pytest.raises(ConfigError, match="no answer for 1 item"):
        evaluate_responses({k: v for k, v in responses.items() if k != "simple_1"}, items)


def test_load_responses(tmp_path, fixtures_dir):
    loaded = load_responses(fixtures_dir / "bfcl_responses.jsonl")
    assert loaded["simple_2"] == "geometry.circle_area(radius=3)"
    bad = tmp_path / "r.jsonl"
    bad.write_text(json.dumps({"id": "x"}) + "\n")
    with pytest.raises(ConfigError, match="needs 'id' and one of result"):
        load_responses(bad)
