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
    ("kind", "overrides", "fragment"),
    [
        ("rest", {"path": "/v1/orders/{order}"}, "path parameters not declared"),
        ("rest", {"base_url": "ftp://shop"}, "base_url must start"),
        ("rest", {"method": None}, "a rest spec needs method"),
        ("rest", {"locations": {"nope": "query"}}, "locations names undeclared"),
        ("rest", {"locations": {"order_id": "query"}}, "appears in the path"),
        ("python", {"callable": None}, "needs 'callable'"),
        ("python", {"path": "/x"}, "cannot have REST fields"),
        ("python", {"callable": "math.sqrt"}, "String should match pattern"),
        ("python", {"id": "Math Sqrt"}, "String should match pattern"),
        ("python", {"parameters": {"type": "array"}}, "type 'object'"),
        ("python", {"parameters": {"properties": {}, "required": ["x"]}}, "undeclared parameters: x"),
        ("python", {"side_effects": "maybe"}, "Input should be"),
        ("python", {"colour": "blue"}, "Extra inputs are not permitted"),
    ],
)
def test_invalid_entries_are_rejected_with_a_reason(
    kind: str, overrides: dict[str, Any], fragment: str, make_python_entry: Factory, make_rest_entry: Factory
) -> None:
    entry = (make_rest_entry if kind == "rest" else make_python_entry)(**overrides)
    with pytest.raises(PydanticValidationError, match=fragment):
        ApiSpec.model_validate(entry)


def test_content_hash_is_stable_and_sensitive(make_python_entry: Factory) -> None:
    first = ApiSpec.model_validate(make_python_entry())
    assert first.content_hash() == ApiSpec.model_validate(make_python_entry()).content_hash()
    assert (
        first.content_hash() != ApiSpec.model_validate(make_python_entry(description="Other.")).content_hash()
    )
