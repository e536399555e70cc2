"""The checked-in apizoo/schema.json must match what ApiSpec generates now."""

from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft202012Validator

from gorilla_router.zoo.schema import (
    REGENERATE_COMMAND,
    entry_schema,
    entry_schema_text,
    schema_is_current,
    schema_path,
)

REPO_ZOO = Path(__file__).resolve().parents[2] / "apizoo"


def test_checked_in_schema_is_current() -> None:
    assert schema_path() == REPO_ZOO / "schema.json"
    assert schema_is_current(), f"apizoo/schema.json is stale; regenerate it with: {REGENERATE_COMMAND}"


def test_stale_file_is_detected(tmp_path: Path) -> None:
    stale = tmp_path / "schema.json"
    stale.write_text(entry_schema_text().replace('"kind"', '"sort"', 1), encoding="utf-8")
    assert not schema_is_current(stale)
    assert not schema_is_current(tmp_path / "absent.json")


def test_schema_accepts_the_bundled_entries_and_rejects_typos() -> None:
    validator = Draft202012Validator(entry_schema())
    Draft202012Validator.check_schema(entry_schema())
    entries = [
        e
        for f in sorted(REPO_ZOO.glob("*.json"))
        if f.name != "schema.json"
        for e in json.loads(f.read_text())
    ]
    assert entries
    for entry in entries:
        assert not list(validator.iter_errors(entry)), entry["id"]
    typo = dict(entries[0], descripton="typo")
    assert any("descripton" in error.message for error in validator.iter_errors(typo))
