"""Places and documented values in grounding: coordinates from a gazetteer, values from the API's own docs."""

from __future__ import annotations

import pytest

from gorilla_router.generation.grounding import ground_call
from gorilla_router.generation.grounding.documented import documented_choice, documented_word
from gorilla_router.generation.grounding.evidence import RequestEvidence
from gorilla_router.generation.grounding.located import coordinate_axis, locate
from gorilla_router.generation.grounding.places import places_named
from gorilla_router.specs import ApiCall
from gorilla_router.zoo import ApiZoo

ZOO = ApiZoo.bundled()


def ground(query: str, api_id: str, **arguments):
    return ground_call(query, ApiCall(api_id=api_id, arguments=arguments), ZOO.get(api_id))


def named(query: str) -> list[tuple[str, str]]:
    return [(place.name, place.country) for place in places_named(query)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("hourly PM10 forecast for Milan", [("Milan", "IT")]),
        ("sunrise in New York tomorrow", [("New York City", "US")]),  # "City" may be left out
        ("from NYC to San Francisco", [("New York City", "US"), ("San Francisco", "US")]),
        ("weather in paris and rome", [("Paris", "FR"), ("Rome", "IT")]),  # no capitals at all
        ("weather in Madrid, Spain", [("Madrid", "ES")]),  # the largest Madrid
        ("weather in Madrid, Colombia", [("Madrid", "CO")]),  # the country named picks the smaller Madrid
        ("weather in Madrid,CO", [("Madrid", "CO")]),  # a code counts written in capitals
        ("weather in Hyderabad", [("Hyderabad", "IN")]),  # "in" is not India's code
        ("wie ist das Wetter in München", []),  # local spellings other than the table's name are not known
        ("what a nice day", []),  # lower case, not after "in": not the city of Nice
        ("simulate a temperature reading", []),
        ("what a nice day in Nice", [("Nice", "FR")]),
        ("Mexico population", []),  # a country, and "Mexico City" is not shortened to it
    ],
)
def test_places_a_request_names(query: str, expected: list[tuple[str, str]]) -> None:
    assert named(query) == expected


def test_a_country_named_picks_its_city_of_a_shared_name() -> None:
    (hyderabad,) = places_named("weather in Hyderabad")
    (in_pakistan,) = places_named("weather in Hyderabad, Pakistan")
    assert (hyderabad.country, in_pakistan.country) == ("IN", "PK")


@pytest.mark.parametrize(
    ("name", "schema", "axis"),
    [
        ("lat", {"type": "number"}, "latitude"),
        ("start_latitude", {"type": "number"}, "latitude"),
        ("lng", {"type": "number"}, "longitude"),
        ("y", {"type": "number", "description": "Latitude of the point."}, "latitude"),
        ("lat", {"type": "string"}, None),
        ("flat", {"type": "number"}, None),
        ("plan", {"type": "number"}, None),
    ],
)
def test_which_parameters_hold_coordinates(name: str, schema: dict, axis: str | None) -> None:
    assert coordinate_axis(name, schema) == axis


def test_a_named_citys_coordinates_replace_the_models_guess() -> None:
    grounded = ground(
        "hourly PM10 and PM2.5 forecast for Milan",
        "openmeteo.air_quality",
        latitude=-42.33,
        longitude=-71.07,
        hourly=["pm10", "pm2_5"],
    )
    assert grounded.call.arguments["latitude"] == 45.46
    assert grounded.call.arguments["longitude"] == 9.19
    assert "Milan" in grounded.call.conversions["latitude"]
    assert not grounded.missing


def test_stated_coordinates_are_kept() -> None:
    grounded = ground(
        "current weather at 35.68, 139.69 in Tokyo", "openweathermap.current", lat=35.68, lon=139.69
    )
    assert grounded.call.arguments == {"lat": 35.68, "lon": 139.69}
    assert "lat" not in grounded.call.conversions


def test_coordinates_snap_to_the_nearest_named_city() -> None:
    spec = ZOO.get("openweathermap.current")
    properties = spec.parameters["properties"]
    located = locate("weather in Paris and in Rome", {"lat": 41.8, "lon": 12.4}, properties)
    assert (located["lat"].value, located["lon"].value) == (41.89, 12.51)
    # two cities named, nothing near what the model wrote: no guess between them
    assert locate("weather in Paris and in Rome", {"lat": 10.0, "lon": 10.0}, properties) == {}


def test_a_ride_to_one_city_does_not_make_it_the_start() -> None:
    properties = ZOO.get("uber.ride.estimate_price").parameters["properties"]
    arguments = {"start_latitude": 0.0, "start_longitude": 0.0, "end_latitude": 35.7, "end_longitude": 139.7}
    located = locate("a ride to Tokyo", arguments, properties)
    assert set(located) == {"end_latitude", "end_longitude"}


def test_time_zones_of_named_cities() -> None:
    grounded = ground("current local time in New York", "zoneinfo.now", tz="America/New_York")
    assert grounded.call.arguments["tz"] == "America/New_York"
    assert "New York City" in grounded.call.conversions["tz"]
    guessed = ground("what's the time in Berlin", "zoneinfo.now", tz="GMT")
    assert guessed.call.arguments["tz"] == "Europe/Berlin"
    stated = ground("what's the time in UTC", "zoneinfo.now", tz="UTC")
    assert stated.call.arguments["tz"] == "UTC"
    assert "tz" not in stated.call.conversions


def test_no_place_named_changes_nothing() -> None:
    grounded = ground("sunrise at my location", "sunrisesunset.times", lat=12.5, lng=41.0)
    assert "GeoNames" not in " ".join(grounded.call.conversions.values())


QUANTILES = ZOO.get("statistics.quantiles").parameters["properties"]
UNITS = ZOO.get("openweathermap.current").parameters["properties"]["units"]


def test_a_value_the_description_gives_for_the_requests_word() -> None:
    evidence = RequestEvidence.of("deciles of these salaries")
    assert documented_word(10, QUANTILES["n"], evidence) == "deciles"
    assert documented_word(4, QUANTILES["n"], evidence) is None
    # "population" is in both methods' meanings: it grounds neither
    population = RequestEvidence.of("quartiles of the whole population")
    assert documented_word("exclusive", QUANTILES["method"], population) is None
    assert documented_word("inclusive", QUANTILES["method"], population) == "whole"


def test_a_number_in_a_compound_is_not_a_documented_value() -> None:
    count = ZOO.get("openweathermap.forecast").parameters["properties"]["cnt"]
    assert documented_word(3, count, RequestEvidence.of("the next hours in 3-hour steps")) is None


def test_the_one_enum_value_the_request_asks_for() -> None:
    assert documented_choice(UNITS, RequestEvidence.of("weather in fahrenheit")) == ("imperial", "fahrenheit")
    assert documented_choice(UNITS, RequestEvidence.of("weather in Rome")) is None
    assert documented_choice(UNITS, RequestEvidence.of("celsius or fahrenheit")) is None  # not one


def test_grounding_keeps_a_documented_value_and_corrects_an_unsupported_enum() -> None:
    deciles = ground("deciles of 1, 2, 3, 4, 5", "statistics.quantiles", data=[1, 2, 3, 4, 5], n=10)
    assert deciles.call.arguments["n"] == 10
    assert "deciles" in deciles.call.conversions["n"]
    units = ground(
        "current weather at 35.68, 139.69 in fahrenheit",
        "openweathermap.current",
        lat=35.68,
        lon=139.69,
        units="metric",
    )
    assert units.call.arguments["units"] == "imperial"
    assert "'metric' was written" in units.call.conversions["units"]
    unsupported = ground("weather in Rome", "openweathermap.current", q="Rome", units="metric")
    assert "units" not in unsupported.call.arguments
    assert unsupported.dropped == {"units": "metric"}


def test_optional_coordinates_far_from_the_named_city_are_left_to_be_dropped() -> None:
    grounded = ground("weather in Madrid", "openweathermap.current", q="Madrid", lat=-12.0, lon=77.0)
    assert grounded.call.arguments == {"q": "Madrid"}
    assert set(grounded.dropped) == {"lat", "lon"}
    near = ground("weather in Madrid", "openweathermap.current", q="Madrid", lat=40.4, lon=-3.7)
    assert (near.call.arguments["lat"], near.call.arguments["lon"]) == (40.42, -3.7)


def test_an_optional_time_zone_is_checked_not_filled_in() -> None:
    spec_id = "openmeteo.forecast"
    wrong = ground("rain in Paris", spec_id, latitude=48.85, longitude=2.35, timezone="GMT")
    assert "timezone" not in wrong.call.arguments
    right = ground("rain in Paris", spec_id, latitude=48.85, longitude=2.35, timezone="Europe/Paris")
    assert right.call.arguments["timezone"] == "Europe/Paris"
    assert "Paris" in right.call.conversions["timezone"]


@pytest.mark.parametrize(
    ("query", "written", "expected"),
    [
        (  # both zones the target's: a named city's zone each, yet Tokyo time converted to itself
            "convert 2024-12-31 23:30 New York time to Tokyo time",
            ("Asia/Tokyo", "Asia/Tokyo"),
            ("America/New_York", "Asia/Tokyo"),
        ),
        (  # the other way round
            "convert 9am on 2025-01-02 Berlin time into Los Angeles time",
            ("America/Los_Angeles", "Europe/Berlin"),
            ("Europe/Berlin", "America/Los_Angeles"),
        ),
        (  # no "to" between the cities: the order says nothing, the model's pair stands
            "what time is it in Tokyo when it's 9am on 2025-01-02 in London",
            ("Europe/London", "Asia/Tokyo"),
            ("Europe/London", "Asia/Tokyo"),
        ),
        (  # a zone the user wrote is theirs
            "convert 9am on 2025-01-02 Europe/London time to Tokyo time",
            ("Europe/London", "Asia/Tokyo"),
            ("Europe/London", "Asia/Tokyo"),
        ),
    ],
)
def test_a_conversion_from_one_named_city_to_another_follows_the_requests_order(
    query: str, written: tuple[str, str], expected: tuple[str, str]
) -> None:
    spec = ZOO.get("zoneinfo.convert")
    time = "2024-12-31T23:30" if "2024-12-31" in query else "2025-01-02T09:00"
    arguments = {"time": time, "from_tz": written[0], "to_tz": written[1]}
    grounded = ground_call(query, ApiCall(api_id=spec.id, arguments=arguments), spec)
    assert (grounded.call.arguments["from_tz"], grounded.call.arguments["to_tz"]) == expected
    assert not grounded.missing
