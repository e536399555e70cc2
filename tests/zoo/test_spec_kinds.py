"""``ApiSpec`` is a tagged union on ``kind``: every way a spec is made yields ``PythonSpec`` or ``RestSpec``.

The zoo format itself must not move: the bundled entries and the community zoo import load through the new
types, dump the same keys, hash as before (the index keys re-embedding on that hash) and validate against
the published schema.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from pydantic import ValidationError as PydanticValidationError

from gorilla_router.specs import SPEC_ADAPTER, ApiSpec, Candidate, PythonSpec, RestSpec
from gorilla_router.zoo.importers.gorilla_apizoo import import_gorilla_apizoo
from gorilla_router.zoo.schema import entry_schema

REPO_ZOO = Path(__file__).resolve().parents[2] / "apizoo"
KIND_CLASS: dict[str, type[ApiSpec]] = {"python": PythonSpec, "rest": RestSpec}

SQRT = {"id": "m.sqrt", "name": "sqrt", "description": "Root.", "kind": "python", "callable": "math:sqrt"}
ORDER = {
    "id": "shop.get",
    "name": "get",
    "description": "Get.",
    "kind": "rest",
    "method": "GET",
    "base_url": "https://x.test",
    "path": "/o/{id}",
    "parameters": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
}


def _check_round_trip(spec: ApiSpec) -> None:
    """The spec is its kind's class, dumps every format field, and its JSON reads back as the same spec."""
    assert type(spec) is KIND_CLASS[spec.kind], spec.id
    assert list(spec.model_dump()) == list(ApiSpec.model_fields), spec.id
    text = spec.model_dump_json()
    assert ApiSpec.model_validate_json(text) == spec, spec.id
    assert SPEC_ADAPTER.validate_json(text) == spec, spec.id


def test_constructing_an_api_spec_builds_its_kind() -> None:
    python, rest = ApiSpec(**SQRT), ApiSpec(**ORDER)
    assert (type(python), python.callable, python.provider) == (PythonSpec, "math:sqrt", "m")
    assert (type(rest), rest.method, rest.path_parameters) == (RestSpec, "GET", ["id"])
    assert type(PythonSpec(**SQRT)) is PythonSpec
    with pytest.raises(PydanticValidationError, match="Input should be 'python'"):
        PythonSpec(**ORDER)
    with pytest.raises(PydanticValidationError, match="Input should be 'python' or 'rest'"):
        ApiSpec(**{**SQRT, "kind": "soap"})
    with pytest.raises(PydanticValidationError, match="kind"):
        ApiSpec(**{k: v for k, v in SQRT.items() if k != "kind"})


def test_validating_and_copying_keep_the_kind() -> None:
    assert type(ApiSpec.model_validate(ORDER)) is RestSpec
    assert type(ApiSpec.model_validate_json(json.dumps(SQRT))) is PythonSpec
    candidate = Candidate.model_validate({"spec": SQRT, "score": 1.0, "rank": 1})
    assert type(candidate.spec) is PythonSpec
    rest = ApiSpec(**ORDER)
    assert type(rest.model_copy(update={"id": "shop.other"})) is RestSpec
    assert pickle.loads(pickle.dumps(rest)) == rest
    with pytest.raises(PydanticValidationError) as caught:
        Candidate.model_validate({"spec": {**SQRT, "callable": None}, "score": 1.0, "rank": 1})
    assert [e["loc"] for e in caught.value.errors()] == [("spec", "callable")]


def test_dump_and_hash_are_those_of_the_single_model() -> None:
    """Hashes recorded before the split (one ``ApiSpec`` class): an index built then stays fresh."""
    python, rest = ApiSpec(**SQRT), ApiSpec(**ORDER)
    assert python.content_hash() == "e312454165bd445ce4a16988fc2a81e441022be3c8a169eb881448b2eeba5ad1"
    assert rest.content_hash() == "b63ac21a3eac2e343680d76fe33616b5675185b21af2dfe51d099a8e62024455"
    dumped = python.model_dump()
    assert (dumped["method"], dumped["base_url"], dumped["path"], dumped["body_encoding"]) == (
        None,
        None,
        None,
        "json",
    )
    assert rest.model_dump()["callable"] is None


def _bundled_entries() -> list[dict[str, Any]]:
    files = sorted(p for p in REPO_ZOO.glob("*.json") if p.name != "schema.json")
    return [entry for path in files for entry in json.loads(path.read_text(encoding="utf-8"))]


def test_every_bundled_entry_loads_as_its_kind() -> None:
    entries = _bundled_entries()
    assert {entry["kind"] for entry in entries} == {"python", "rest"}
    schema = Draft202012Validator(entry_schema())
    for entry in entries:
        spec = ApiSpec.model_validate(entry)
        assert SPEC_ADAPTER.validate_python(entry) == spec
        _check_round_trip(spec)
        assert not list(schema.iter_errors(json.loads(spec.model_dump_json()))), spec.id


@pytest.mark.data
def test_the_community_zoo_imports_as_its_kinds(shared_data: Path) -> None:
    result = import_gorilla_apizoo(shared_data / "gorilla-apizoo")
    assert len(result.specs) >= 4000
    assert {type(spec) for spec in result.specs} == {PythonSpec, RestSpec}
    schema = Draft202012Validator(entry_schema())
    for spec in result.specs:
        _check_round_trip(spec)
        assert not list(schema.iter_errors(json.loads(spec.model_dump_json()))), spec.id
