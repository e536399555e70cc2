"""Fixtures for the bundled API Zoo tests: every entry of ``apizoo/*.json`` read straight from the files.

The files are read here with plain ``json`` (not through ``gorilla_router.zoo``) so these content tests
check the curated data itself and keep working whatever the loader does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from gorilla_router.specs import ApiSpec

ZOO_DIR = Path(__file__).resolve().parents[2] / "apizoo"
NOT_ENTRIES = {"schema.json"}


@dataclass(frozen=True)
class ZooEntry:
    """One raw entry, where it came from, and its parsed spec."""

    file: str
    index: int
    raw: dict[str, Any]
    spec: ApiSpec

    def __str__(self) -> str:
        return f"{self.file}[{self.index}] {self.spec.id}"


def zoo_files() -> list[Path]:
    return sorted(p for p in ZOO_DIR.glob("*.json") if p.name not in NOT_ENTRIES)


def load_entries() -> list[ZooEntry]:
    entries = []
    for path in zoo_files():
        data = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(data, list), f"{path.name}: a zoo file must be a JSON list of entries"
        for index, raw in enumerate(data):
            entries.append(ZooEntry(path.name, index, raw, ApiSpec.model_validate(raw)))
    return entries


@pytest.fixture(scope="session")
def zoo_entries() -> list[ZooEntry]:
    return load_entries()
