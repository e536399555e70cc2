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
    assert [error.message for error in validator.iter_errors(typo)] == [
        "Additional properties are not allowed ('descripton' was unexpected)"
    ]


def test_schema_checks_each_entry_against_its_own_kind() -> None:
    """What each kind needs and forbids is in the schema itself, so an editor flags it as it is typed."""
    validator = Draft202012Validator(entry_schema())
    entries = {
        e["kind"]: e
        for f in sorted(REPO_ZOO.glob("*.json"))
        if f.name != "schema.json"
        for e in json.loads(f.read_text())
    }
    python, rest = entries["python"], entries["rest"]

    def messages(entry: dict[str, object]) -> list[str]:
        return [error.message for error in validator.iter_errors(entry)]

    assert messages({k: v for k, v in python.items() if k != "callable"}) == [
        "'callable' is a required property"
    ]
    assert messages(dict(python, path="/x")) == ["'/x' is not of type 'null'"]
    assert messages(dict(rest, callable="shop:orders")) == ["'shop:orders' is not of type 'null'"]
    assert messages({k: v for k, v in rest.items() if k != "method"}) == ["'method' is a required property"]
    assert messages(dict(rest, base_url="ftp://x")) == ["'ftp://x' does not match '^https?://'"]
    assert messages(dict(python, kind="soap")) == ["'soap' is not one of ['python', 'rest']"]
    assert messages({k: v for k, v in python.items() if k != "kind"}) == ["'kind' is a required property"]
