"""The end-to-end benchmark's call matcher (``benchmarks/bench_end_to_end.py``): what counts as exact."""

from __future__ import annotations

from types import ModuleType

import pytest

from gorilla_router.specs import ApiCall
from gorilla_router.zoo import ApiZoo
from tests.evaluation.conftest import load_benchmark

ZOO = ApiZoo.bundled()


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_benchmark("bench_end_to_end")


def call(api_id: str, **arguments: object) -> ApiCall:
    return ApiCall(api_id=api_id, arguments=arguments)


def test_a_left_out_argument_whose_default_is_the_gold_value_is_the_same_call(bench: ModuleType) -> None:
    api = "googlecalendar.events.list"
    gold = call(api, calendarId="primary", q="budget review")
    exact, strict, extra = bench.compare(
        call(api, q="budget review"), gold, ZOO.get(api), "find my budget review"
    )
    assert (exact, strict, extra) == (True, True, 0)


def test_a_left_out_required_argument_with_another_gold_value_is_a_miss(bench: ModuleType) -> None:
    api = "googlecalendar.events.list"
    gold = call(api, calendarId="team@example.com", q="budget review")
    exact, _, _ = bench.compare(
        call(api, q="budget review"), gold, ZOO.get(api), "budget review in team@example.com"
    )
    assert not exact


def test_a_wrong_value_or_function_is_a_miss(bench: ModuleType) -> None:
    api = "math.sqrt"
    assert not bench.compare(call(api, x=4), call(api, x=9), ZOO.get(api), "square root of 9")[0]
    assert not bench.compare(call("math.pow", x=9), call(api, x=9), ZOO.get(api), "square root of 9")[0]


def test_a_citys_coordinates_agree_within_a_tenth_of_a_degree(bench: ModuleType) -> None:
    api = "openmeteo.archive"
    gold = call(api, latitude=41.88, longitude=-87.63, start_date="2022-12-22", end_date="2022-12-25")
    query = "temperatures for Chicago from 2022-12-22 to 2022-12-25"
    near = call(api, latitude=41.85, longitude=-87.65, start_date="2022-12-22", end_date="2022-12-25")
    far = call(api, latitude=41.6, longitude=-87.65, start_date="2022-12-22", end_date="2022-12-25")
    assert bench.compare(near, gold, ZOO.get(api), query)[:2] == (True, True)
    assert bench.compare(far, gold, ZOO.get(api), query)[0] is False
    # elsewhere numbers are compared exactly
    assert bench.same_value("amount", {"type": "number"}, 50.05, 50) is False


def test_a_relative_day_and_the_date_it_means_are_the_same_value(bench: ModuleType) -> None:
    import datetime

    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    schema = {"type": "string"}
    assert bench.same_value("date", schema, tomorrow, "tomorrow")
    assert bench.same_value("date", schema, "tomorrow", "tomorrow")
    assert not bench.same_value("date", schema, "2023-04-15", "tomorrow")


def test_a_left_out_optional_value_the_request_says_in_other_words_is_a_miss(bench: ModuleType) -> None:
    api = "frankfurter.latest"
    gold = call(api, base="USD", symbols="JPY", amount=100)
    request = "convert 100 US dollars to yen"
    exact, _, _ = bench.compare(call(api, base="USD", amount=100), gold, ZOO.get(api), request)
    assert not exact
    unstated = call(api, base="USD", symbols="JPY")
    exact, _, _ = bench.compare(call(api, base="USD"), unstated, ZOO.get(api), "latest rates of the dollar")
    assert exact
