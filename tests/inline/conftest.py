"""Fixtures for inline-call tests: a zoo of tiny Python tools, and routers over real or recording executors.

``inline_toolbox`` must be importable by the sandbox's child process, which inherits this process's
``sys.path``; pytest's importlib mode does not add test folders to it, so this file does.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from gorilla_router import ApiSpec, Candidate, GorillaRouter, RouterConfig
from gorilla_router.execution import RecordingExecutor
from gorilla_router.retrieval.base import SearchFilters

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)


def python_tool(api_id: str, callable_: str, param: str = "x", kind: str = "integer", **extra) -> ApiSpec:
    return ApiSpec.model_validate(
        {
            "id": api_id,
            "name": api_id,
            "description": f"The {api_id} tool.",
            "kind": "python",
            "callable": callable_,
            "side_effects": "none",
            "parameters": {"type": "object", "properties": {param: {"type": kind}}, "required": [param]},
            **extra,
        }
    )


def rest_tool(api_id: str, method: str, side_effects: str) -> ApiSpec:
    return ApiSpec.model_validate(
        {
            "id": api_id,
            "name": api_id,
            "description": f"The {api_id} endpoint.",
            "kind": "rest",
            "method": method,
            "base_url": "https://shop.example.com",
            "path": "/v1/orders",
            "side_effects": side_effects,
            "parameters": {
                "type": "object",
                "properties": {"item": {"type": "string"}},
                "required": ["item"],
            },
        }
    )


INC = python_tool("inc", "inline_toolbox:inc")
DEC = python_tool("dec", "inline_toolbox:dec")


class EveryApi:
    """A retriever that offers every spec, ranked as given, with a perfect dense score."""

    def __init__(self, specs: Sequence[ApiSpec]) -> None:
        self.specs = list(specs)
        self.queries: list[str] = []

    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None) -> list[Candidate]:
        self.queries.append(query)
        return [
            Candidate(spec=spec, score=1.0, rank=rank, scores={"dense": 1.0})
            for rank, spec in enumerate(self.specs[:k], start=1)
        ]


@pytest.fixture
def config(tmp_path: Path) -> RouterConfig:
    return RouterConfig(backend="test", embedder="hash", chroma_path=tmp_path / "index")


@pytest.fixture
def sandbox_router(config: RouterConfig) -> Iterator[GorillaRouter]:
    """``inc`` and ``dec`` run for real in the sandboxed Python executor."""
    with GorillaRouter(zoo=[INC, DEC], config=config) as router:
        yield router


@pytest.fixture
def recording() -> dict[str, RecordingExecutor]:
    return {"rest": RecordingExecutor(), "python": RecordingExecutor({"inc": 2, "dec": 1})}
