"""Edge cases of the ApiSpec model as zoo entries meet it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError as PydanticValidationError

from gorilla_router.specs import ApiSpec

Factory = Callable[..., dict[str, Any]]


def test_provider_defaults_to_first_id_segment(make_rest_entry: Factory) -> None:
    assert ApiSpec.model_validate(make_rest_entry()).provider == "shop"
    assert ApiSpec.model_validate(make_rest_entry(provider="acme")).provider == "acme"


def test_location_of_follows_convention_unless_declared(make_rest_entry: Factory) -> None:
    spec = ApiSpec.model_validate(make_rest_entry(locations={"expand": "header"}))
    assert spec.location_of("order_id") == "path"
    assert spec.location_of("expand") == "header"
    post = ApiSpec.model_validate(make_rest_entry(method="POST"))
    assert post.location_of("expand") == "body"


@pytest.mark.parametrize(
    ("kind", "overrides", "field", "fragment"),
    [
        ("rest", {"path": "/v1/orders/{order}"}, None, "path parameters not declared"),
        ("rest", {"base_url": "ftp://shop"}, "base_url", "should match pattern"),
        ("rest", {"path": "v1/orders/{order_id}"}, "path", "should match pattern"),
        ("rest", {"method": None}, "method", "Input should be 'GET'"),
        ("rest", {"callable": "shop:orders"}, "callable", "Input should be None"),
        ("rest", {"locations": {"nope": "query"}}, None, "locations names undeclared"),
        ("rest", {"locations": {"order_id": "query"}}, None, "appears in the path"),
        ("python", {"callable": None}, "callable", "Input should be a valid string"),
        ("python", {"path": "/x"}, "path", "Input should be None"),
        ("python", {"kind": "soap"}, "kind", "Input should be 'python' or 'rest'"),
        ("python", {"callable": "math.sqrt"}, "callable", "String should match pattern"),
        ("python", {"id": "Math Sqrt"}, "id", "String should match pattern"),
        ("python", {"parameters": {"type": "array"}}, "parameters", "type 'object'"),
        (
            "python",
            {"parameters": {"properties": {}, "required": ["x"]}},
            "parameters",
            "undeclared parameters: x",
        ),
        ("python", {"side_effects": "maybe"}, "side_effects", "Input should be"),
        ("python", {"colour": "blue"}, "colour", "Extra inputs are not permitted"),
    ],
)
def test_invalid_entries_are_rejected_on_the_field_at_fault(
    kind: str,
    overrides: dict[str, Any],
    field: str | None,
    fragment: str,
    make_python_entry: Factory,
    make_rest_entry: Factory,
) -> None:
    """Kind rules are field types now, so the error names the field; only RestSpec's path check has none."""
    entry = (make_rest_entry if kind == "rest" else make_python_entry)(**overrides)
    with pytest.raises(PydanticValidationError, match=fragment) as caught:
        ApiSpec.model_validate(entry)
    assert [error["loc"] for error in caught.value.errors()] == [(field,) if field else ()]


def test_python_entry_without_callable_names_the_field(make_python_entry: Factory) -> None:
    entry = make_python_entry()
    del entry["callable"]
    with pytest.raises(PydanticValidationError) as caught:
        ApiSpec.model_validate(entry)
    assert [(e["type"], e["loc"]) for e in caught.value.errors()] == [("missing", ("callable",))]


def test_content_hash_is_stable_and_sensitive(make_python_entry: Factory) -> None:
    first = ApiSpec.model_validate(make_python_entry())
    assert first.content_hash() == ApiSpec.model_validate(make_python_entry()).content_hash()
    assert (
        first.content_hash() != ApiSpec.model_validate(make_python_entry(description="Other.")).content_hash()
    )
