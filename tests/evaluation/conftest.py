"""Fixtures for the evaluation tests: the BFCL-format fixture files and the items they hold, and the
benchmark scripts (``benchmarks/*.py``, not a package) loaded as modules."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from gorilla_router.evaluation import BfclItem, load_bfcl

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def load_benchmark(name: str) -> ModuleType:
    """``benchmarks/<name>.py`` as a module (registered under ``name``, as its own imports expect)."""
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def bfcl_items() -> dict[str, BfclItem]:
    items = load_bfcl(FIXTURES / "bfcl_questions.jsonl", FIXTURES / "bfcl_answers.jsonl")
    return {item.id: item for item in items}
