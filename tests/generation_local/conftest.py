"""Specs shared by this area's tests, and one embedded model per session for the slow tests."""

from __future__ import annotations

from typing import Any

import pytest

from gorilla_router.specs import ApiSpec, Candidate, Example


def python_spec(
    api_id: str,
    description: str,
    properties: dict[str, Any],
    required: list[str],
    examples: list[Example] | None = None,
) -> ApiSpec:
    return ApiSpec(
        id=api_id,
        name=api_id.rsplit(".", 1)[-1],
        description=description,
        kind="python",
        callable="math:sqrt",
        parameters={"type": "object", "properties": properties, "required": required},
        examples=examples or [],
    )


SQRT = python_spec("math.sqrt", "Square root of a number.", {"x": {"type": "number"}}, ["x"])
WEATHER = python_spec(
    "weather.forecast",
    "Weather forecast for a place for the next days.",
    {
        "location": {"type": "string", "description": "City and country"},
        "days": {"type": "integer", "description": "How many days"},
        "units": {"type": "string", "enum": ["celsius", "fahrenheit"]},
    },
    ["location"],
    examples=[Example(query="weather in Rome for 3 days", call='weather.forecast(location="Rome", days=3)')],
)


def candidates(*specs: ApiSpec) -> list[Candidate]:
    return [Candidate(spec=s, score=1.0 / rank, rank=rank) for rank, s in enumerate(specs, start=1)]


@pytest.fixture(scope="session")
def embedded():
    """The ladder's Gemma 3 270M rung (few-shot + span decoder), converted once into the user cache."""
    from gorilla_router.generation.embedded import embedded_backend

    return embedded_backend("gemma-270m")
