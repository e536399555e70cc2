"""The argument validator: coercion, defaults, messages that name the problem, and property tests."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gorilla_router.errors import SpecError, UsageError, ValidationError
from gorilla_router.execution.validation import validate_arguments
from gorilla_router.schemas import normalise_schema
from gorilla_router.specs import ApiCall, ApiSpec
from gorilla_router.zoo import ApiZoo


def make_spec(properties: dict[str, Any], required: list[str] | None = None, **schema: Any) -> ApiSpec:
    return ApiSpec(
        id="t.api",
        name="api",
        description="test",
        kind="python",
        callable="math:sqrt",
        parameters={"type": "object", "properties": properties, "required": required or [], **schema},
    )


def validate(spec: ApiSpec, **arguments: Any) -> dict[str, Any]:
    return validate_arguments(ApiCall(api_id="t.api", arguments=arguments), spec).arguments


def problems(spec: ApiSpec, **arguments: Any) -> list[str]:
    with pytest.raises(ValidationError) as info:
        validate(spec, **arguments)
    assert info.value.errors
    return info.value.errors


def test_number_that_is_a_sentence_is_rejected_with_name_type_and_value():
    spec = make_spec({"x": {"type": "number"}}, ["x"])
    assert problems(spec, x="sqrt of 3342398") == ["parameter 'x': expected a number, got 'sqrt of 3342398'"]


_ISO_T = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$"


@pytest.mark.parametrize(
    ("schema", "given", "expected"),
    [
        ({"type": "integer"}, "5", 5),
        ({"type": "integer"}, " -12 ", -12),
        ({"type": "integer"}, 5.0, 5),
        ({"type": "number"}, "2.5", 2.5),
        ({"type": "number"}, "1e3", 1000.0),
        ({"type": "number"}, "7", 7),
        ({"type": "boolean"}, "true", True),
        ({"type": "boolean"}, "FALSE", False),
        ({"type": "string"}, 12345, "12345"),
        ({"type": "array", "items": {"type": "string"}}, "cheese", ["cheese"]),
        ({"type": "array", "items": {"type": "integer"}}, "3", [3]),
        ({"type": "array", "items": {"type": "integer"}}, (1, "2"), [1, 2]),
        ({"type": ["integer", "string"]}, "5", "5"),  # already a declared type: kept as is
        ({"type": "float"}, "2.5", 2.5),
        ({"type": "tuple", "items": {"type": "int"}}, ["1", 2], [1, 2]),
        ({"type": "dict", "properties": {"n": {"type": "int"}}}, {"n": "4"}, {"n": 4}),
        ({"type": "any"}, {"free": "form"}, {"free": "form"}),
        ({"type": "string", "pattern": "^[A-Z]{3}$"}, "eur", "EUR"),
        ({"type": "string", "pattern": "^[a-z]{2}$"}, "DE", "de"),
        ({"type": "string", "enum": ["metric", "imperial"]}, "Metric", "metric"),
        (
            {"type": "array", "items": {"type": "string", "pattern": "^[A-Z]{3}$"}},
            ["usd", "GBP"],
            ["USD", "GBP"],
        ),
        ({"type": "string", "pattern": "^[A-Za-z]{3}$"}, "eur", "eur"),  # already matches: kept
        ({"type": "string", "pattern": _ISO_T}, "2024-12-31 23:30", "2024-12-31T23:30"),
        ({"type": "string", "pattern": _ISO_T}, "2024-12-31 23:30:05", "2024-12-31T23:30:05"),
        ({"type": "string"}, "2024-12-31 23:30", "2024-12-31 23:30"),  # no pattern asks for the T
    ],
)
def test_unambiguous_coercions(schema, given, expected):
    value = validate(make_spec({"v": schema}), v=given)["v"]
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("schema", "given"),
    [
        ({"type": "integer"}, "5.5"),
        ({"type": "integer"}, True),
        ({"type": "number"}, "nan"),
        ({"type": "number"}, "five"),
        ({"type": "boolean"}, "yes"),
        ({"type": "boolean"}, 1),
        ({"type": "string"}, 2.5),
        ({"type": "array", "items": {"type": "integer"}}, "x"),
        ({"type": "array"}, "untyped items are not wrapped"),
        ({"type": "object"}, "{}"),
        ({"type": "string", "pattern": "^[A-Z]{3}$"}, "euro"),  # no case of it matches
        ({"type": "string", "pattern": "^[A-Z][a-z]+$"}, "paris"),  # neither all upper nor all lower
        ({"type": "string", "enum": ["ID", "id"]}, "Id"),  # two members equal but for case: no guess
        ({"type": "string", "pattern": _ISO_T}, "2024-12-31 9:30"),  # not a date-time of the pattern's form
    ],
)
def test_ambiguous_values_are_rejected_not_guessed(schema, given):
    [message] = problems(make_spec({"v": schema}), v=given)
    assert message.startswith("parameter 'v")


def test_all_missing_and_all_unknown_parameters_are_listed():
    spec = make_spec(
        {"city": {"type": "string"}, "days": {"type": "integer"}, "unit": {"type": "string"}},
        ["city", "days"],
    )
    found = problems(spec, citty="Paris", colour="red")
    assert "missing required parameter 'city' (a string)" in found
    assert "missing required parameter 'days' (an integer)" in found
    assert any(m.startswith("unknown parameter 'citty'") and "did you mean 'city'" in m for m in found)
    assert any(m.startswith("unknown parameter 'colour'") for m in found)
    assert len(found) == 4


def test_additional_properties_true_accepts_unknown_names():
    assert validate(make_spec({}, additionalProperties=True), anything=1) == {"anything": 1}


def test_defaults_are_applied_including_nested_ones():
    spec = make_spec(
        {
            "n": {"type": "integer", "default": 3},
            "opts": {"type": "object", "properties": {"deep": {"type": "boolean", "default": False}}},
        }
    )
    assert validate(spec, opts={}) == {"opts": {"deep": False}, "n": 3}


def test_enum_range_format_and_nested_messages():
    spec = make_spec(
        {
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            "days": {"type": "integer", "minimum": 1, "maximum": 16},
            "email": {"type": "string", "format": "email"},
            "orders": {
                "type": "array",
                "items": {"type": "object", "properties": {"qty": {"type": "integer"}}, "required": ["qty"]},
            },
        }
    )
    found = problems(spec, unit="kelvin", days=40, email="not-an-email", orders=[{"qty": "x"}, {}])
    assert "parameter 'unit': expected one of 'celsius', 'fahrenheit', got 'kelvin'" in found
    assert any(m.startswith("parameter 'days':") and "16" in m for m in found)
    assert any(m.startswith("parameter 'email':") for m in found)
    assert "parameter 'orders[0].qty': expected an integer, got 'x'" in found
    assert any(m.startswith("parameter 'orders[1]':") and "qty" in m for m in found)


@pytest.mark.parametrize(
    ("api_id", "arguments", "expected"),
    [
        (
            "openweathermap.current",
            {"units": "metric"},
            "give 'q', or 'lat' and 'lon' (none of them was given)",
        ),
        ("openweathermap.forecast", {"lat": 48.8}, "give 'q', or 'lat' and 'lon' (given: 'lat')"),
        ("uber.ride.request", {"end_place_id": "home"}, "give 'start_latitude' and 'start_longitude', or "),
    ],
)
def test_any_of_failures_name_the_alternatives_for_bundled_entries(api_id, arguments, expected):
    spec = ApiZoo.bundled().get(api_id)
    with pytest.raises(ValidationError) as info:
        validate_arguments(ApiCall(api_id=api_id, arguments=arguments), spec)
    assert len(info.value.errors) == 1
    assert expected in info.value.errors[0]
    assert "not valid under any of the given schemas" not in str(info.value)


def test_nested_one_of_and_typed_any_of_messages():
    spec = make_spec(
        {
            "where": {"type": "object", "oneOf": [{"required": ["city"]}, {"required": ["zip"]}]},
            "size": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        }
    )
    assert problems(spec, where={"city": "Paris", "zip": "75001"}) == [
        "parameter 'where': give only one of 'city', or 'zip' (given: 'city' and 'zip')"
    ]
    assert problems(spec, where={}) == ["parameter 'where': give 'city', or 'zip' (none of them was given)"]
    assert problems(spec, size=[1]) == ["parameter 'size': expected a string, or an integer, got [1]"]
    assert validate(spec, where={"zip": "75001"}, size=3) == {"where": {"zip": "75001"}, "size": 3}


def test_the_input_call_is_not_modified():
    spec = make_spec({"n": {"type": "integer", "default": 1}, "x": {"type": "integer"}})
    call = ApiCall(api_id="t.api", arguments={"x": "2"})
    checked = validate_arguments(call, spec)
    assert call.arguments == {"x": "2"}
    assert checked.arguments == {"x": 2, "n": 1}


def test_invalid_schema_is_a_spec_error_and_wrong_spec_a_usage_error():
    with pytest.raises(SpecError, match="invalid parameters schema"):
        validate(make_spec({"x": {"type": "integer", "minimum": "zero"}}), x=1)
    with pytest.raises(UsageError):
        validate_arguments(ApiCall(api_id="other.api"), make_spec({}))


def test_bfcl_type_names_are_normalised():
    schema = normalise_schema(
        {
            "type": "dict",
            "properties": {"a": {"type": "float"}, "b": {"type": "any"}, "c": {"type": ["int", "any"]}},
        }
    )
    assert schema == {"type": "object", "properties": {"a": {"type": "number"}, "b": {}, "c": {}}}


# --- property-based: generated schemas and values -------------------------------------------------

_scalar_schemas = (
    st.sampled_from(
        [
            {"type": t}
            for t in (
                "integer",
                "number",
                "string",
                "boolean",
                "null",
                "float",
                "int",
                "dict",
                "tuple",
                "any",
            )
        ]
    )
    | st.builds(
        lambda lo, hi: {"type": "integer", "minimum": min(lo, hi), "maximum": max(lo, hi)},
        st.integers(-100, 100),
        st.integers(-100, 100),
    )
    | st.builds(
        lambda values: {"enum": values},
        st.lists(st.one_of(st.integers(), st.text(max_size=5)), min_size=1, max_size=4),
    )
)
_schemas = st.recursive(
    _scalar_schemas,
    lambda inner: (
        st.builds(lambda items: {"type": "array", "items": items}, inner)
        | st.builds(
            lambda props: {"type": "object", "properties": props},
            st.dictionaries(st.text("abcxyz", min_size=1, max_size=3), inner, max_size=3),
        )
    ),
    max_leaves=6,
)
_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.sampled_from(["5", "2.5", "true", "x", "nan", "1e3", ""]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text("abcxyz", max_size=3), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    properties=st.dictionaries(st.text("pqrs", min_size=1, max_size=2), _schemas, max_size=4),
    arguments=st.dictionaries(st.text("pqrst", min_size=1, max_size=2), _values, max_size=4),
    data=st.data(),
)
def test_validator_never_crashes_and_every_rejection_has_a_message(properties, arguments, data):
    required = data.draw(
        st.lists(st.sampled_from(sorted(properties)), unique=True) if properties else st.just([])
    )
    spec = make_spec(properties, required)
    try:
        checked = validate(spec, **arguments)
    except ValidationError as exc:
        rejection = exc
    else:
        rejection = None
    if rejection is not None:  # every rejection explains itself, one message per problem
        assert rejection.errors
        assert all(isinstance(m, str) and m for m in rejection.errors)
        assert all(("parameter" in m) for m in rejection.errors)
    else:
        assert set(required) <= set(checked)
        assert set(checked) <= set(properties)
        assert validate(spec, **checked) == checked  # valid output stays valid (idempotent)
