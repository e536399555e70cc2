"""Shared specs for the generation tests: small, real ``ApiSpec``s (no fakes needed to describe an API)."""

from __future__ import annotations

import pytest

from gorilla_router.specs import ApiSpec, Candidate, Example


def make_spec(
    api_id: str,
    properties: dict[str, dict[str, object]],
    required: list[str] | None = None,
    examples: list[tuple[str, str]] | None = None,
) -> ApiSpec:
    return ApiSpec(
        id=api_id,
        name=api_id.replace(".", " "),
        description=f"Test API {api_id}.",
        kind="python",
        callable="json:dumps",
        parameters={"type": "object", "properties": properties, "required": required or []},
        examples=[Example(query=q, call=c) for q, c in (examples or [])],
    )


@pytest.fixture
def coffee_spec() -> ApiSpec:
    return make_spec(
        "coffee_shop.find_nearby",
        {
            "location": {"type": "string", "description": "The city and state, e.g. San Francisco, CA"},
            "amenities": {"type": "array", "items": {"type": "string", "enum": ["Wi-Fi", "Bakery"]}},
        },
        ["location"],
        [
            (
                "Find a coffee shop with Wi-Fi in Boston",
                'coffee_shop.find_nearby(location="Boston, MA", amenities=["Wi-Fi"])',
            )
        ],
    )


@pytest.fixture
def weather_spec() -> ApiSpec:
    return make_spec(
        "weather.current",
        {
            "location": {"type": "string"},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
        },
        ["location"],
        [("Weather in Paris in celsius", "weather.current(location='Paris, France', unit='celsius')")],
    )


@pytest.fixture
def candidates(coffee_spec: ApiSpec, weather_spec: ApiSpec) -> list[Candidate]:
    return [
        Candidate(spec=coffee_spec, score=0.9, rank=1),
        Candidate(spec=weather_spec, score=0.5, rank=2),
    ]


@pytest.fixture
def weather_candidates() -> list[Candidate]:
    """The candidates of Gorilla's documented example (get_current_weather) plus a second API."""
    weather = make_spec(
        "get_current_weather",
        {
            "location": {"type": "string", "description": "The city and state, e.g. San Francisco, CA"},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
        },
        ["location"],
    )
    coffee = make_spec(
        "coffee_shop.find_nearby",
        {"location": {"type": "string"}, "amenities": {"type": "array", "items": {"type": "string"}}},
        ["location"],
    )
    return [Candidate(spec=weather, score=0.9, rank=1), Candidate(spec=coffee, score=0.4, rank=2)]
