"""Fixtures for the zoo tests: paths to the small fixture files and a writer for throw-away zoo files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def python_entry(**overrides: Any) -> dict[str, Any]:
    """A valid python entry (math.sqrt) with fields replaced by ``overrides``."""
    entry: dict[str, Any] = {
        "id": "math.sqrt",
        "name": "Square root",
        "description": "Square root of a number.",
        "kind": "python",
        "callable": "math:sqrt",
        "side_effects": "none",
        "parameters": {"type": "object", "properties": {"x": {"type": "number"}}, "required": ["x"]},
        "examples": [{"query": "root of 9", "call": "math.sqrt(x=9)"}],
    }
    entry.update(overrides)
    return entry


def rest_entry(**overrides: Any) -> dict[str, Any]:
    """A valid REST entry (GET /v1/orders/{order_id}) with fields replaced by ``overrides``."""
    entry: dict[str, Any] = {
        "id": "shop.orders.get",
        "name": "Get an order",
        "description": "Fetch one order.",
        "kind": "rest",
        "method": "GET",
        "base_url": "https://shop.example.com/api",
        "path": "/v1/orders/{order_id}",
        "parameters": {
            "type": "object",
            "properties": {"order_id": {"type": "string"}, "expand": {"type": "boolean"}},
            "required": ["order_id"],
        },
        "examples": [{"query": "order 7", "call": "shop.orders.get(order_id='7')"}],
    }
    entry.update(overrides)
    return entry


EntryFactory = Callable[..., dict[str, Any]]


@pytest.fixture
def make_python_entry() -> EntryFactory:
    return python_entry


@pytest.fixture
def make_rest_entry() -> EntryFactory:
    return rest_entry


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def write_zoo(tmp_path: Path) -> Callable[..., Path]:
    """``write_zoo("name.json", [entries…])`` writes a provider file into a fresh folder; returns its path."""
    folder = tmp_path / "zoo"
    folder.mkdir()

    def write(name: str, entries: Any) -> Path:
        path = folder / name
        path.write_text(
            entries if isinstance(entries, str) else json.dumps(entries, indent=2), encoding="utf-8"
        )
        return path

    return write
