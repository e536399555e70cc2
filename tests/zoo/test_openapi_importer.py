"""OpenAPI 3 → ApiSpec: servers, $ref, parameters and body, auth, unsupported parts reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from gorilla_router.errors import UsageError
from gorilla_router.zoo import validate_specs
from gorilla_router.zoo.importers import ImportReport, import_openapi, openapi_operation


@pytest.fixture(scope="module")
def petstore() -> Path:
    return Path(__file__).resolve().parent / "fixtures" / "petstore.yaml"


@pytest.fixture(scope="module")
def report(petstore: Path) -> ImportReport:
    return import_openapi(petstore)


def test_one_spec_per_supported_operation(report: ImportReport) -> None:
    assert [spec.id for spec in report.specs] == [
        "pet_store.list_pets",
        "pet_store.create_pet",
        "pet_store.show_pet_by_id",
        "pet_store.delete_pet",
    ]
    assert report.seen == report.loaded + len(report.skipped) == 8
    assert validate_specs([("petstore", s) for s in report.specs], import_callables=False) == []


def test_servers_parameters_and_auth(report: ImportReport) -> None:
    listing = report.specs[0]
    assert listing.base_url == "https://eu.petstore.example.com/v1"
    assert (listing.method, listing.path, listing.side_effects) == ("GET", "/pets", "read")
    assert listing.properties["limit"] == {
        "type": "integer",
        "maximum": 100,
        "description": "How many items to return.",
    }
    assert listing.locations == {"limit": "query", "X-Trace": "header"}
    assert listing.required == []
    assert listing.auth is not None
    assert (listing.auth.env, listing.auth.location, listing.auth.name) == (
        "PET_STORE_API_KEY",
        "header",
        "X-Api-Key",
    )
    assert listing.returns is not None
    assert listing.returns["type"] == "array"
    assert listing.tags == ["pets"]


def test_request_body_and_refs(report: ImportReport) -> None:
    create = report.specs[1]
    assert create.side_effects == "write"
    assert create.required == ["name"]
    assert create.properties["tag"] == {"type": "string", "enum": ["dog", "cat", "bird"]}
    assert create.locations == {"name": "body", "tag": "body"}
    shown = report.specs[2]
    assert shown.path == "/pets/{petId}"
    assert shown.properties["petId"] == {"type": "integer", "description": "The pet's id."}
    assert shown.required == ["petId"]
    delete = report.specs[3]
    assert delete.side_effects == "destructive"
    assert delete.auth is None  # 'security: []' on the operation overrides the document's


def test_recursive_schema_is_cut(report: ImportReport) -> None:
    returns = report.specs[0].returns
    assert returns is not None
    friends = returns["items"]["properties"]["friends"]["items"]
    assert friends["description"] == "(recursive reference to #/components/schemas/Pet)"


def test_unsupported_parts_are_reported(report: ImportReport, petstore: Path) -> None:
    skips = {s.entry: s.reason for s in report.skipped}
    assert skips["OPTIONS /pets/{petId}"] == "HTTP method OPTIONS is not supported"
    assert skips["uploadPhoto"].startswith("request body media type(s) multipart/form-data not supported")
    assert skips["petOwner"] == "parameter 'session' in 'cookie' is not supported (path, query or header)"
    assert skips["listStores"].startswith("a parameter could not be read: (unresolved reference ./other.yaml")
    assert [n.reason for n in report.notes] == [
        "external reference './other.yaml#/components/parameters/Region' is not supported "
        "(only '#/...' in the same document)"
    ]


def test_json_document_and_overrides(petstore: Path, tmp_path: Path) -> None:
    document = yaml.safe_load(petstore.read_text(encoding="utf-8"))
    as_json = tmp_path / "petstore.json"
    as_json.write_text(json.dumps(document), encoding="utf-8")
    report = import_openapi(as_json, provider="pets", base_url="https://staging.example.com")
    assert report.specs[0].id == "pets.list_pets"
    assert {spec.base_url for spec in report.specs} == {"https://staging.example.com"}


def test_single_operation_and_errors(petstore: Path, tmp_path: Path) -> None:
    assert openapi_operation(petstore, "showPetById").id == "pet_store.show_pet_by_id"
    with pytest.raises(UsageError, match="no operation 'showPet' in the document; it has: create_pet"):
        openapi_operation(petstore, "showPet")
    with pytest.raises(UsageError, match="cannot be imported: request body media type"):
        openapi_operation(petstore, "uploadPhoto")
    swagger = tmp_path / "swagger.json"
    swagger.write_text('{"swagger": "2.0", "paths": {}}', encoding="utf-8")
    with pytest.raises(UsageError, match=r"only OpenAPI 3\.x is supported"):
        import_openapi(swagger)
    with pytest.raises(UsageError, match="cannot read the OpenAPI document"):
        import_openapi(tmp_path / "absent.yaml")
