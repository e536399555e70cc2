"""Dates and clock times a request states, and date-times composed from them (grounding.moments)."""

from __future__ import annotations

import ast
from datetime import date

import pytest

from gorilla_router.generation.grounding import Grounding, ground_call
from gorilla_router.generation.grounding.evidence import RequestEvidence
from gorilla_router.generation.grounding.moments import (
    clock_times,
    date_time_stated,
    dates_stated,
    holiday_dates,
)
from gorilla_router.generation.grounding.values import ground_value
from gorilla_router.specs import ApiCall
from gorilla_router.zoo import ApiZoo

ZOO = ApiZoo.bundled()


@pytest.mark.parametrize(
    ("request_text", "expected"),
    [
        ("if it's 9am on 2025-03-14 in London", {(9, 0)}),
        ("convert 2024-12-31 23:30 New York time", {(23, 30)}),
        ("at 9:30 pm and at 7 a.m.", {(21, 30), (7, 0)}),
        ("from 9 to 10am Berlin time", {(9, 0), (10, 0)}),
        ("from 11 to 1pm", {(11, 0), (13, 0)}),  # the range starts before noon
        ("at 14:00-15:00 New York time", {(14, 0), (15, 0)}),
        ("lunch at noon, home by midnight", {(12, 0), (0, 0)}),
        ("at 6 o'clock", {(6, 0)}),
        ("order 3 pizzas for 12 people", set()),  # numbers that are no times
        ("version 2.5 of 10 apps", set()),
        ("at 25:00 or 10:75", set()),  # not a time of day
    ],
)
def test_clock_times_are_read_as_people_write_them(request_text: str, expected: set[tuple[int, int]]) -> None:
    assert clock_times(request_text) == expected


def test_a_fixed_date_holiday_states_its_date_only_with_a_year() -> None:
    assert holiday_dates("which weekday is Christmas 2025") == {date(2025, 12, 25)}
    assert holiday_dates("new year's eve 1999 party") >= {date(1999, 12, 31)}
    assert holiday_dates("what day is christmas this year") == set()  # the model would pick the year
    assert dates_stated("2025-12-25", "which weekday is Christmas 2025")
    assert not dates_stated("2025-12-24", "which weekday is Christmas 2025")


@pytest.mark.parametrize(
    ("value", "request_text", "expected"),
    [
        ("2025-03-14T09:00", "if it's 9am on 2025-03-14 in London", True),
        ("2025-03-14T09:00:00", "if it's 9am on 2025-03-14 in London", True),
        ("2025-03-14 09:00", "if it's 9am on 2025-03-14 in London", True),
        ("2025-03-14T21:00", "if it's 9am on 2025-03-14 in London", False),  # another hour
        ("2025-03-16T09:00", "if it's 9am on 2025-03-14 in London", False),  # another day
        ("2025-03-14T09:00:30", "if it's 9am on 2025-03-14 in London", False),  # made-up seconds
        ("2025-03-14T09:00+01:00", "if it's 9am on 2025-03-14 in London", False),  # a made-up offset
        ("2025-03-14T09:00Z", "9am UTC on 2025-03-14", True),
        ("2025-03-14T09:00Z", "9am on 2025-03-14 in London", False),
        ("2025-03-14T12:00", "on 2025-03-14", False),  # a time the request never gave
        ("2025-03-14", "9am on 2025-03-14", False),  # a date alone is no date-time
    ],
)
def test_a_date_time_is_stated_when_its_date_and_its_clock_time_are(
    value: str, request_text: str, expected: bool
) -> None:
    assert date_time_stated(value, request_text) is expected


def test_a_date_time_from_a_stated_date_and_time_is_a_recorded_conversion() -> None:
    evidence = RequestEvidence.of("our call is at 15:00 Berlin time on 2025-07-01")
    assert ground_value("time", "2025-07-01T15:00", {"type": "string"}, evidence) is Grounding.CONVERTED
    assert ground_value("time", "2025-07-01T16:00", {"type": "string"}, evidence) is Grounding.INVENTED


def _gold(api_id: str, index: int) -> tuple[str, ApiCall]:
    spec = ZOO.get(api_id)
    example = spec.examples[index]
    tree = ast.parse(example.call, mode="eval").body
    assert isinstance(tree, ast.Call)
    arguments = {kw.arg: ast.literal_eval(kw.value) for kw in tree.keywords if kw.arg}
    return example.query, ApiCall(api_id=api_id, arguments=arguments)


@pytest.mark.parametrize(
    ("api_id", "index"),
    [
        ("zoneinfo.convert", 0),
        ("zoneinfo.convert", 1),
        ("zoneinfo.convert", 2),
        ("googlecalendar.events.insert", 0),
        ("googlecalendar.events.insert", 2),
        ("datetime.weekday", 1),
    ],
)
def test_the_zoo_s_own_date_time_examples_ground_as_calls(api_id: str, index: int) -> None:
    query, call = _gold(api_id, index)
    grounded = ground_call(query, call, ZOO.get(api_id))
    assert grounded.missing == []
    timed = {name for name in ("time", "day", "start", "end") if name in call.arguments}
    assert {name: grounded.call.arguments.get(name) for name in timed} == {
        name: call.arguments[name] for name in timed
    }
    assert grounded.call.conversions  # composed or derived values are recorded for review


@pytest.mark.parametrize(
    "changed",
    [
        {"dateTime": "2025-05-14T11:00:00"},  # a time nobody gave
        {"timeZone": "America/Chicago"},  # not the zone of the city named ("... Berlin time")
    ],
)
def test_an_event_start_the_request_does_not_state_is_asked_for(changed: dict[str, str]) -> None:
    query, call = _gold("googlecalendar.events.insert", 0)
    start = {**call.arguments["start"], **changed}
    grounded = ground_call(
        query,
        call.model_copy(update={"arguments": {**call.arguments, "start": start}}),
        ZOO.get("googlecalendar.events.insert"),
    )
    assert [missing.parameter for missing in grounded.missing] == ["start"]


def test_an_event_s_zone_of_the_named_city_is_recorded_as_derived() -> None:
    query, call = _gold("googlecalendar.events.insert", 0)
    kept = ground_call(query, call, ZOO.get("googlecalendar.events.insert"))
    assert "Berlin" in kept.call.conversions["start"]
