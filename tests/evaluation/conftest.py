"""Fixtures for the evaluation tests: the BFCL-format fixture files and the items they hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from gorilla_router.evaluation import BfclItem, load_bfcl

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def bfcl_items() -> dict[str, BfclItem]:
    items = load_bfcl(FIXTURES / "bfcl_questions.jsonl", FIXTURES / "bfcl_answers.jsonl")
    return {item.id: item for item in items}
