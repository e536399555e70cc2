"""Fixtures for the router's fast tests: a small zoo, a word-overlap retriever, and recording executors.

The retriever here is a stand-in for the real hybrid retriever (tested in tests/retrieval): it scores by
shared words and reports that score as ``dense`` so the router's similarity threshold applies to it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest

from gorilla_router.config import RouterConfig
from gorilla_router.execution import RecordingExecutor
from gorilla_router.retrieval.base import SearchFilters
from gorilla_router.specs import ApiSpec, Candidate
from gorilla_router.zoo import ApiZoo

_WORD = re.compile(r"[a-z0-9]+")


_STOP = {
    "a",
    "an",
    "the",
    "me",
    "my",
    "of",
    "is",
    "in",
    "for",
    "from",
    "what",
    "and",
    "or",
    "to",
    "now",
    "please",
}


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower())) - _STOP


class WordOverlapRetriever:
    """Ranks specs by the share of query words found in the spec's name, description and example queries."""

    def __init__(self, specs: Sequence[ApiSpec]) -> None:
        self.specs = list(specs)
        self.queries: list[str] = []

    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None) -> list[Candidate]:
        self.queries.append(query)
        asked = _words(query)
        scored = []
        for spec in self.specs:
            if filters is not None and not filters.matches(spec):
                continue
            text = " ".join(
                [spec.id.replace(".", " "), spec.name, spec.description, *(e.query for e in spec.examples)]
            )
            overlap = len(asked & _words(text)) / max(len(asked), 1)
            if overlap > 0:
                scored.append((overlap, spec))
        scored.sort(key=lambda pair: -pair[0])
        return [
            Candidate(spec=spec, score=score, rank=rank, scores={"dense": score})
            for rank, (score, spec) in enumerate(scored[:k], start=1)
        ]


def _spec(**fields) -> ApiSpec:
    return ApiSpec.model_validate(fields)


SMALL_ZOO = [
    _spec(
        id="math.sqrt",
        name="Square root",
        description="Return the square root of a number.",
        kind="python",
        callable="math:sqrt",
        side_effects="none",
        parameters={"type": "object", "properties": {"x": {"type": "number"}}, "required": ["x"]},
        examples=[{"query": "what is the square root of 16", "call": "math.sqrt(x=16)"}],
    ),
    _spec(
        id="uber.eat.order",
        name="Order food",
        description="Order food for delivery from restaurants.",
        kind="rest",
        method="POST",
        base_url="https://api.uber.com",
        path="/v1/eats/orders",
        side_effects="write",
        parameters={
            "type": "object",
            "properties": {
                "restaurants": {"type": "array", "items": {"type": "string"}},
                "items": {"type": "array", "items": {"type": "string"}},
                "quantities": {"type": "array", "items": {"type": "integer"}},
            },
            "required": ["restaurants", "items", "quantities"],
        },
        examples=[
            {
                "query": "order two burgers from McDonald's",
                "call": 'uber.eat.order(restaurants=["McDonald\'s"], items=["burger"], quantities=[2])',
            }
        ],
    ),
    _spec(
        id="uber.eat.cancel_order",
        name="Cancel a food order",
        description="Cancel a food delivery order.",
        kind="rest",
        method="DELETE",
        base_url="https://api.uber.com",
        path="/v1/eats/orders/{order_id}",
        side_effects="destructive",
        parameters={
            "type": "object",
            "properties": {"order_id": {"type": "string"}},
            "required": ["order_id"],
        },
        examples=[{"query": "cancel food order 7f3c", "call": 'uber.eat.cancel_order(order_id="7f3c")'}],
    ),
    _spec(
        id="weather.current",
        name="Current weather",
        description="Current weather for a city.",
        kind="rest",
        method="GET",
        base_url="https://weather.example.com",
        path="/v1/current",
        parameters={"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
        examples=[{"query": "weather in Berlin now", "call": 'weather.current(city="Berlin")'}],
    ),
]


@pytest.fixture
def zoo() -> ApiZoo:
    return ApiZoo(SMALL_ZOO)


@pytest.fixture
def retriever(zoo: ApiZoo) -> WordOverlapRetriever:
    return WordOverlapRetriever(zoo.specs)


@pytest.fixture
def transport() -> dict[str, RecordingExecutor]:
    """What would have gone out: one recording executor per kind, under the real validate/guard stack."""
    return {"rest": RecordingExecutor(), "python": RecordingExecutor()}


@pytest.fixture
def config(tmp_path) -> RouterConfig:
    return RouterConfig(chroma_path=tmp_path / "index", min_score=0.2)
