"""The community Gorilla API Zoo importer: small fixtures, then the real ~4,500 entries."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from gorilla_router.specs import ApiSpec
from gorilla_router.zoo import ApiZoo, validate_specs
from gorilla_router.zoo.importers import ImportReport, import_gorilla_apizoo
from gorilla_router.zoo.importers.argument_schema import property_schema
from gorilla_router.zoo.importers.gorilla_apizoo import convert_entry, provider_for
from gorilla_router.zoo.importers.naming import IdAllocator


@pytest.fixture(scope="module")
def report() -> ImportReport:
    folder = Path(__file__).resolve().parent / "fixtures" / "gorilla"
    return import_gorilla_apizoo(folder)


def by_name(report: ImportReport) -> dict[str, ApiSpec]:
    return {spec.name: spec for spec in report.specs}


def test_counts_add_up_and_skips_name_file_index_reason(report: ImportReport, fixtures_dir: Path) -> None:
    assert report.seen == report.loaded + len(report.skipped) == 11
    strict = fixtures_dir / "gorilla" / "strict.json"
    broken = fixtures_dir / "gorilla" / "broken.json"
    skips = {str(s) for s in report.skipped}
    assert (
        f"{strict}: #4: api_call is neither 'METHOD /path' nor a Python call: "
        "'Acme.{methodName}({parameters})'" in skips
    )
    assert f"{strict}: #5: not an object: found a JSON str" in skips
    assert f"{strict}: #6: no api_name: an entry needs a name to get an id" in skips
    assert any(s.startswith(f"{broken}: #2: damaged JSON: not valid JSON even after repair") for s in skips)


def test_rest_entry_mapping(report: ImportReport) -> None:
    spec = by_name(report)["Acme API - Users: Get a user"]
    assert spec.id == "strict.acme_api_users_get_a_user"
    assert (spec.method, spec.path) == ("GET", "/api/v2/users/{user_id}")
    assert spec.base_url == "https://strict.example.invalid"
    assert spec.required == ["user_id"]
    assert spec.properties["page[size]"] == {"type": "integer", "description": "Page size."}
    assert spec.location_of("X-Request-Id") == "header"
    assert spec.source == "https://docs.acme.example/users"
    assert spec.side_effects == "read"
    assert "gorilla-apizoo" in spec.tags


def test_side_effects_questions_and_examples(report: ImportReport) -> None:
    specs = by_name(report)
    delete = specs["Acme API - Users: Delete a user"]
    assert delete.side_effects == "destructive"
    assert delete.examples == []
    assert delete.description.endswith("Example requests: Remove the user 42")
    status = specs["Acme API - Status"]
    assert [e.call for e in status.examples] == [f"{status.id}()"] * 2
    assert specs["Acme API - Items: Create item"].side_effects == "write"


def test_python_entry_mapping(report: ImportReport) -> None:
    spec = by_name(report)["Acme - Quotes download"]
    assert spec.kind == "python"
    assert spec.callable == "acme_quotes:download"  # alias from 'import acme_quotes as acme'
    assert spec.properties["mode"] == {"type": "string", "enum": ["fast", "slow"]}
    assert "python-sdk" in spec.tags


def test_repaired_entries_load_and_are_noted(report: ImportReport, fixtures_dir: Path) -> None:
    specs = by_name(report)
    assert specs["Acme API - Items: Create item"].description == "Create an item"
    assert specs["Acme API - Items: Get item"].path == "/items/{id}"
    broken = str(fixtures_dir / "gorilla" / "broken.json")
    notes = [str(n) for n in report.notes if n.file == broken]
    assert f"{broken}: #1: repaired: closed a string cut off at line 16" in notes
    assert f"{broken}: #1: repaired: inserted a missing comma at line 14" in notes


def test_imported_specs_validate_and_save(report: ImportReport, tmp_path: Path) -> None:
    pairs = [("imported", spec) for spec in report.specs]
    assert validate_specs(pairs, import_callables=False) == []
    saved = ApiZoo(report.specs).save(tmp_path / "imported.json")
    assert len(ApiZoo.load(saved)) == report.loaded


@pytest.mark.parametrize(
    ("value", "schema", "required"),
    [
        ("[REQUIRED] string: The ID.", {"type": "string", "description": "The ID."}, True),
        ("integer (Optional, page size)", {"type": "integer", "description": "page size"}, False),
        (
            " string (Identifier for a block.)",
            {"type": "string", "description": "Identifier for a block."},
            False,
        ),
        ("String", {"type": "string"}, False),
        ("Latitude, decimal (-90; 90)", {"description": "Latitude, decimal (-90; 90)"}, False),
        (
            {"description": "Max rows", "data_type": "integer"},
            {"type": "integer", "description": "Max rows"},
            False,
        ),
        ({"op": "Operator"}, {"type": "object", "properties": {"op": {"description": "Operator"}}}, False),
        (["a", "b"], {"type": "string", "enum": ["a", "b"]}, False),
        (True, {"type": "boolean", "default": True}, False),
        (None, {}, False),
    ],
)
def test_argument_shapes(value: object, schema: dict[str, object], required: bool) -> None:
    assert property_schema(value) == (schema, required)


def test_provider_from_file_or_contributor() -> None:
    assert provider_for("Datadog_API", {"user_name": "someone"}) == "datadog"
    assert provider_for("Salesforce API in REST Format", {}) == "salesforce"
    assert provider_for("KubernetesAPI", {}) == "kubernetes"
    assert (
        provider_for("jennifer818", {"user_name": "jennifer818", "api_name": "Notion - Append"}) == "notion"
    )


@pytest.mark.data
def test_imports_the_community_zoo(shared_data: Path) -> None:
    folder = shared_data / "gorilla-apizoo"
    result = import_gorilla_apizoo(folder)
    assert result.loaded >= 4000
    assert result.seen == result.loaded + len(result.skipped)
    assert all(note.file and note.entry and note.reason for note in result.skipped)
    assert len({spec.id for spec in result.specs}) == result.loaded
    kinds = Counter(spec.kind for spec in result.specs)
    assert kinds["rest"] > 3000
    assert kinds["python"] > 100
    yfinance = [spec for spec in result.specs if spec.provider == "yfinance"]
    assert yfinance
    assert all(spec.callable and spec.callable.startswith("yfinance:") for spec in yfinance)


def test_route_variants_are_read_and_noted() -> None:
    ids = IdAllocator()
    notes: list[str] = []
    entry = {
        "api_name": "Acme - Usage",
        "api_call": "GET api/usage/:account?start=s&end=e",
        "api_arguments": {},
    }
    spec = convert_entry(entry, "Acme_API", ids, notes)
    assert (spec.path, spec.required) == ("/api/usage/{account}", ["account"])
    assert set(spec.properties) == {"account", "start", "end"}
    assert spec.location_of("start") == "query"
    assert notes == [
        "path without a leading '/'; read as /api/usage/{account}",
        "query string 'start=s&end=e' moved out of the path into query parameters",
    ]
    bare = convert_entry({"api_name": "List tabs", "api_call": "/services/tabs"}, "Acme_API", ids, notes)
    assert (bare.method, bare.side_effects) == ("GET", "read")
    assert notes[-1].startswith("api_call is a bare path with no HTTP method; assumed GET")
    with pytest.raises(ValueError, match="neither 'METHOD /path' nor a Python call"):
        convert_entry({"api_name": "Drop tabs", "api_call": "/services/tabs"}, "Acme_API", ids, notes)
    again = convert_entry(entry, "Acme_API", ids, notes)
    assert again.id == f"{spec.id}_2"
