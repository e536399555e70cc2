"""Relative days in grounding: a date written for "tomorrow" is checked against the calendar, not trusted."""

from __future__ import annotations

from datetime import date

import pytest

from gorilla_router.generation.grounding import ground_call
from gorilla_router.generation.grounding.dates import date_for_days, relative_days
from gorilla_router.specs import ApiCall
from gorilla_router.zoo import ApiZoo

ZOO = ApiZoo.bundled()
SUNDAY = date(2026, 12, 6)


def days(query: str) -> list[tuple[str, str, bool]]:
    return [(words, day.isoformat(), first) for words, day, first in relative_days(query, SUNDAY)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sunrise tomorrow", [("tomorrow", "2026-12-07", True)]),
        ("the day after tomorrow in Paris", [("day after tomorrow", "2026-12-08", True)]),
        ("price today and yesterday", [("today", "2026-12-06", True), ("yesterday", "2026-12-05", True)]),
        ("rates 3 days ago", [("3 days ago", "2026-12-03", True)]),
        ("remind me in two days", [("in two days", "2026-12-08", True)]),
        ("what happened last monday", [("last monday", "2026-11-30", True)]),
        ("a flight next friday", [("next friday", "2026-12-11", True), ("next friday", "2026-12-18", False)]),
        ("on tuesday", [("on tuesday", "2026-12-08", True)]),
        ("on sunday", [("on sunday", "2026-12-13", True), ("on sunday", "2026-12-06", False)]),
        ("the history of the week", []),
    ],
)
def test_days_a_request_names(query: str, expected: list[tuple[str, str, bool]]) -> None:
    assert days(query) == expected


def test_a_date_for_the_named_day_is_kept_and_another_corrected() -> None:
    tomorrow = relative_days("sunrise tomorrow", SUNDAY)
    assert date_for_days("2026-12-07", tomorrow) == ("2026-12-07", "2026-12-07 is 'tomorrow'")
    corrected, note = date_for_days("2023-04-15T10:00", tomorrow) or (None, "")
    assert corrected == "2026-12-07T10:00"
    assert "2023-04-15 was written" in note
    assert date_for_days({"date": "2023-01-01"}, tomorrow) == (
        {"date": "2026-12-07"},
        "2026-12-07 is 'tomorrow' (2023-01-01 was written)",
    )
    assert date_for_days("tomorrow", tomorrow) is None  # no date in it: the rest of grounding decides
    assert date_for_days("2023-13-45", tomorrow) is None  # not a date


def test_two_days_named_leave_a_wrong_date_unresolved() -> None:
    both = relative_days("price today and yesterday", SUNDAY)
    assert date_for_days("2023-04-15", both) is None
    assert date_for_days("2026-12-05", both) == ("2026-12-05", "2026-12-05 is 'yesterday'")


def test_grounding_corrects_a_models_date_for_tomorrow() -> None:
    call = ApiCall(
        api_id="sunrisesunset.times", arguments={"lat": 40.71, "lng": -74.01, "date": "2023-04-15"}
    )
    grounded = ground_call(
        "what time does the sun rise in New York tomorrow", call, ZOO.get(call.api_id), SUNDAY
    )
    assert grounded.call.arguments["date"] == "2026-12-07"
    assert "tomorrow" in grounded.call.conversions["date"]


def test_a_request_with_an_explicit_date_is_left_to_the_other_rules() -> None:
    call = ApiCall(api_id="frankfurter.historical", arguments={"date": "2020-03-23", "base": "GBP"})
    grounded = ground_call("pounds on 2020-03-23, a day before yesterday", call, ZOO.get(call.api_id), SUNDAY)
    assert grounded.call.arguments["date"] == "2020-03-23"
