"""Item-level checking: categories, parallel any-order all-or-nothing, irrelevance, wrong names, loading."""

from __future__ import annotations

import json

import pytest

from gorilla_router.errors import ConfigError
from gorilla_router.evaluation import BfclItem, category_of, check_item, load_bfcl, question_text
from gorilla_router.specs import ApiCall


def call(api_id: str, **arguments: object) -> ApiCall:
    return ApiCall(api_id=api_id, arguments=arguments)


def test_categories_from_id_prefix_and_field():
    assert category_of("simple_3") == "simple"
    assert category_of("parallel_multiple_12") == "parallel_multiple"
    assert category_of("parallel_2") == "parallel"
    assert category_of("live_irrelevance_7") == "irrelevance"
    assert category_of("x1", "multiple") == "multiple"
    with pytest.raises(ConfigError, match="cannot tell its category"):
        category_of("weird_1")
    with pytest.raises(ConfigError, match="unknown category 'odd'"):
        category_of("x", "odd")


def test_fixture_loads_with_categories_and_user_text(bfcl_items):
    assert len(bfcl_items) == 10
    assert bfcl_items["simple_0"].question == "What's the weather in San Francisco, CA in celsius?"
    assert bfcl_items["parallel_multiple_0"].category == "parallel_multiple"
    assert bfcl_items["irrelevance_0"].ground_truth == []


def test_simple_pass_and_failure_reason(bfcl_items):
    item = bfcl_items["simple_0"]
    assert check_item(item, [call("get_weather", location="San Francisco", unit="C")]).passed
    result = check_item(item, [call("get_weather", location="San Francisco", unit="kelvin")])
    assert not result.passed
    assert result.reason == "param 'unit': got 'kelvin', expected one of ['celsius', 'c']"


def test_optional_param_omitted_is_accepted_only_when_answer_allows(bfcl_items):
    assert check_item(bfcl_items["simple_1"], [call("calculate_triangle_area", base=10, height=5)]).passed
    result = check_item(bfcl_items["simple_0"], [call("get_weather", location="San Francisco")])
    assert result.reason == "param 'unit' is missing; expected one of ['celsius', 'c']"


def test_int_for_float_and_tuple_as_list_at_item_level(bfcl_items):
    assert check_item(bfcl_items["simple_2"], [call("geometry.circle_area", radius=3)]).passed
    assert check_item(bfcl_items["simple_3"], [call("plot.point", coords=(1, 2))]).passed
    failed = check_item(bfcl_items["simple_2"], [call("geometry.circle_area", radius="3")])
    assert failed.reason == "param 'radius': got str '3', expected type float"


def test_unknown_and_missing_required_params(bfcl_items):
    item = bfcl_items["simple_1"]
    assert (
        "is not a parameter"
        in check_item(item, [call("calculate_triangle_area", base=10, height=5, depth=1)]).reason
    )
    assert (
        check_item(item, [call("calculate_triangle_area", base=10)]).reason
        == "missing required param 'height'"
    )


def test_wrong_function_name(bfcl_items):
    result = check_item(bfcl_items["multiple_0"], [call("get_weather", location="AAPL")])
    assert result.reason == "function 'get_weather' is not the expected 'stock.price'"
    assert check_item(bfcl_items["multiple_0"], [call("stock.price", ticker="aapl", flag=False)]).passed


def test_parallel_any_order_all_or_nothing(bfcl_items):
    item = bfcl_items["parallel_0"]
    boston, paris = call("get_weather", location="Boston"), call("get_weather", location="Paris")
    assert check_item(item, [boston, paris]).passed
    assert check_item(item, [paris, boston]).passed
    assert check_item(item, [boston]).reason == "expected 2 call(s), got 1: ['get_weather']"
    assert check_item(item, [boston, boston]).reason == (
        "expected call #2 (get_weather): param 'location': got 'Boston', expected 'Paris'"
    )
    wrong = call("get_weather", location="Rome")
    assert not check_item(item, [paris, wrong]).passed


def test_parallel_multiple_pairs_each_function(bfcl_items):
    item = bfcl_items["parallel_multiple_0"]
    area = call("calculate_triangle_area", base=3, height=4)
    assert check_item(item, [area, call("get_weather", location="boston")]).passed
    assert not check_item(item, [area, call("calculate_triangle_area", base=3, height=4)]).passed


def test_irrelevance_passes_only_without_calls(bfcl_items):
    item = bfcl_items["irrelevance_0"]
    assert check_item(item, []).passed
    result = check_item(item, [call("get_weather", location="x")])
    assert result.reason == "expected no call (irrelevant question), got ['get_weather']"


def test_ground_truth_naming_an_unknown_function_is_a_data_error():
    item = BfclItem("simple_9", "q", [{"name": "f", "parameters": {"properties": {}}}], [{"g": {}}])
    with pytest.raises(ConfigError, match="'g', which is not among its functions"):
        check_item(item, [call("f")])


def test_question_shapes():
    assert question_text("hi") == "hi"
    turns = [
        [{"role": "system", "content": "be nice"}, {"role": "user", "content": "a"}],
        [{"role": "user", "content": "b"}],
    ]
    assert question_text(turns) == "a\nb"
    with pytest.raises(ConfigError):
        question_text(42)


def test_loading_errors_name_the_problem(tmp_path, fixtures_dir):
    questions = fixtures_dir / "bfcl_questions.jsonl"
    with pytest.raises(ConfigError, match="no ground truth for 'simple_0'; pass --answers"):
        load_bfcl(questions)
    bad = tmp_path / "q.jsonl"
    bad.write_text(json.dumps({"id": "simple_0", "question": "x"}) + "\n")
    with pytest.raises(ConfigError, match="needs 'id', 'question' and 'function'"):
        load_bfcl(bad)
    broken = tmp_path / "b.jsonl"
    broken.write_text("{not json\n")
    with pytest.raises(ConfigError, match=r"b.jsonl:1: not valid JSON"):
        load_bfcl(broken)
    assert len(load_bfcl(questions, fixtures_dir / "bfcl_answers.jsonl", limit=3)) == 3
