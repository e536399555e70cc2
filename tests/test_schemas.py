"""``zoo validate`` and the runtime validator read a parameters schema the same way (``schemas.py``)."""

from __future__ import annotations

from typing import Any

import pytest

from gorilla_router.errors import SpecError, ValidationError
from gorilla_router.execution.validation import validate_arguments
from gorilla_router.schemas import SchemaProblem, accepts_unknown_names, checked_schema
from gorilla_router.specs import ApiCall, ApiSpec, Example
from gorilla_router.zoo import validate_specs


def bfcl_spec(parameters: dict[str, Any], example: str | None = None) -> ApiSpec:
    return ApiSpec(
        id="t.api",
        name="api",
        description="a BFCL-typed function",
        kind="python",
        callable="math:hypot",
        parameters=parameters,
        examples=[Example(query="q", call=example)] if example else [],
    )


def zoo_problems(spec: ApiSpec) -> list[str]:
    return [problem.message for problem in validate_specs([("f.json", spec)], import_callables=False)]


BFCL = {  # the top level must say "object": ApiSpec itself refuses anything else
    "type": "object",
    "properties": {
        "x": {"type": "float"},
        "point": {"type": "tuple", "items": {"type": "integer"}},
        "options": {"type": "dict", "properties": {"verbose": {"type": "boolean"}}},
        "anything": {"type": "any"},
    },
    "required": ["x"],
}


def test_bfcl_types_are_accepted_by_zoo_validate_and_by_the_runtime() -> None:
    spec = bfcl_spec(BFCL, example="t.api(x=1.5, point=[1, 2], options={'verbose': True}, anything='a')")

    assert zoo_problems(spec) == []
    call = ApiCall(api_id="t.api", arguments={"x": "2.5", "point": (1, 2), "anything": None})
    assert validate_arguments(call, spec).arguments == {"x": 2.5, "point": [1, 2], "anything": None}


def test_a_bfcl_typed_example_of_the_wrong_type_fails_in_both() -> None:
    spec = bfcl_spec(BFCL, example="t.api(x='far')")

    assert zoo_problems(spec) == ["x: 'far' is not of type 'number'"]
    with pytest.raises(ValidationError, match="parameter 'x': expected a number, got 'far'"):
        validate_arguments(ApiCall(api_id="t.api", arguments={"x": "far"}), spec)


@pytest.mark.parametrize("declared", ["decimal", ["string", "banana"]])
def test_an_unknown_type_is_refused_by_both_with_the_same_clear_message(declared: Any) -> None:
    spec = bfcl_spec({"type": "object", "properties": {"x": {"type": declared}}})
    unknown = f"unknown type {declared!r}: use one of array, boolean, integer"

    (zoo_message,) = zoo_problems(spec)
    assert zoo_message.startswith(f"not a valid JSON Schema: {unknown}")
    with pytest.raises(SpecError) as info:
        validate_arguments(ApiCall(api_id="t.api", arguments={"x": 1}), spec)
    assert unknown in str(info.value)
    assert "properties/x/type" in str(info.value)


def test_a_schema_that_is_wrong_in_another_way_names_its_place() -> None:
    with pytest.raises(SchemaProblem) as info:
        checked_schema({"type": "object", "properties": {"x": {"type": "integer", "minimum": "zero"}}})
    assert info.value.path == ("properties", "x", "minimum")
    assert "'zero' is not of type 'number'" in info.value.message


def test_the_declared_draft_is_the_one_both_check_against() -> None:
    draft7_tuple = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "properties": {"pair": {"type": "array", "items": [{"type": "int"}, {"type": "str"}]}},
    }
    spec = bfcl_spec(draft7_tuple, example="t.api(pair=[1, 'a'])")

    assert zoo_problems(spec) == []
    call = ApiCall(api_id="t.api", arguments={"pair": ["7", 3]})
    assert validate_arguments(call, spec).arguments == {"pair": [7, "3"]}
    with pytest.raises(SchemaProblem, match="is not of type 'object', 'boolean'"):
        checked_schema({**draft7_tuple, "$schema": "https://json-schema.org/draft/2020-12/schema"})


@pytest.mark.parametrize(
    ("extra", "accepted"),
    [
        ({}, False),
        ({"additionalProperties": False}, False),
        ({"additionalProperties": True}, True),
        ({"additionalProperties": {"type": "string"}}, True),
    ],
)
def test_unknown_names_are_refused_unless_the_schema_allows_them(
    extra: dict[str, Any], accepted: bool
) -> None:
    parameters = {"type": "object", "properties": {"x": {"type": "integer"}}, **extra}
    spec = bfcl_spec(parameters, example="t.api(x=1, y='s')")

    assert accepts_unknown_names(parameters) is accepted
    assert (zoo_problems(spec) == []) is accepted
    call = ApiCall(api_id="t.api", arguments={"x": 1, "y": "s"})
    if accepted:
        assert validate_arguments(call, spec).arguments == {"x": 1, "y": "s"}
    else:
        with pytest.raises(ValidationError, match="unknown parameter 'y'"):
            validate_arguments(call, spec)
