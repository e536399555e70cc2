"""Each checker rule on its own, with accepted and rejected cases."""

from __future__ import annotations

from gorilla_router.evaluation.bfcl_rules import (
    check_function_name,
    check_omitted,
    check_required,
    check_type,
    check_unknown,
    check_value,
    mismatch,
    normalize_string,
)

SCHEMA = {
    "type": "dict",
    "properties": {"location": {"type": "string"}, "unit": {"type": "string"}},
    "required": ["location"],
}


def test_function_name_must_match_exactly():
    assert check_function_name("get_weather", "get_weather") is None
    assert (
        check_function_name("weather", "get_weather")
        == "function 'weather' is not the expected 'get_weather'"
    )


def test_required_parameters_present():
    assert check_required({"location": "x"}, SCHEMA) is None
    assert check_required({"unit": "c"}, SCHEMA) == "missing required param 'location'"


def test_no_parameter_outside_the_doc():
    assert check_unknown({"location": "x", "unit": "c"}, SCHEMA, "get_weather") is None
    problem = check_unknown({"location": "x", "city": "y"}, SCHEMA, "get_weather")
    assert problem is not None
    assert "'city'" in problem
    assert "location, unit" in problem


def test_int_accepted_for_float_but_not_float_for_int():
    assert check_type("r", 3, {"type": "float"}) is None
    assert check_type("r", 3.5, {"type": "number"}) is None
    assert check_type("n", 3.5, {"type": "integer"}) == "param 'n': got float 3.5, expected type integer"


def test_bool_is_not_a_number_and_strings_are_strict():
    assert check_type("n", True, {"type": "integer"}) is not None
    assert check_type("r", False, {"type": "float"}) is not None
    assert check_type("s", 5, {"type": "string"}) is not None
    assert check_type("b", "true", {"type": "boolean"}) is not None
    assert check_type("b", True, {"type": "boolean"}) is None


def test_tuple_accepted_as_list_and_list_as_tuple():
    assert check_type("xs", (1, 2), {"type": "array"}) is None
    assert check_type("xy", [1, 2], {"type": "tuple"}) is None
    assert check_type("xs", "1,2", {"type": "array"}) is not None


def test_array_items_are_type_checked():
    schema = {"type": "array", "items": {"type": "integer"}}
    assert check_type("xs", [1, 2], schema) is None
    assert check_type("xs", [1, "2"], schema) == "param 'xs[1]': got str '2', expected type integer"


def test_dict_and_any_types():
    assert check_type("d", {"a": 1}, {"type": "dict"}) is None
    assert check_type("d", [("a", 1)], {"type": "dict"}) is not None
    assert check_type("x", object(), {"type": "any"}) is None
    assert check_type("x", 1, {}) is None


def test_string_normalisation():
    assert normalize_string("San Francisco, CA") == "sanfranciscoca"
    assert normalize_string("A-b_c*d^e/f.g") == "abcdefg"
    assert check_value("city", "san francisco ca", ["San Francisco, CA"]) is None
    assert check_value("unit", "C", ["celsius", "c"]) is None
    assert check_value("unit", "kelvin", ["celsius", "c"]) == (
        "param 'unit': got 'kelvin', expected one of ['celsius', 'c']"
    )


def test_number_equality_accepts_int_for_float_value():
    assert check_value("r", 3, [3.0]) is None
    assert check_value("r", 3.5, [3.0]) == "param 'r': got 3.5, expected 3.0"
    assert check_value("flag", 1, [True]) is not None


def test_list_order_matters():
    assert check_value("xs", ["a", "b"], [["a", "b"]]) is None
    assert check_value("xs", ["b", "a"], [["a", "b"]]) == "param 'xs'[0]: got 'b', expected 'a'"
    assert check_value("xs", ["a"], [["a", "b"]]) is not None


def test_dicts_checked_key_by_key():
    expected = [{"name": ["Ann", "Anne"], "age": [30, ""]}]
    assert check_value("guest", {"name": "ANN", "age": 30}, expected) is None
    assert check_value("guest", {"name": "anne"}, expected) is None  # "" → key may be absent
    assert check_value("guest", {"name": "Bob"}, expected) == (
        "param 'guest'['name']: got 'Bob', expected one of ['Ann', 'Anne']"
    )
    assert check_value("guest", {"age": 30}, expected) == "param 'guest': missing key 'name'"
    assert check_value("guest", {"name": "Ann", "vip": True}, expected) == (
        "param 'guest': unexpected key 'vip'"
    )


def test_optional_parameter_may_be_omitted_only_with_empty_string():
    assert check_omitted("unit", ["celsius", ""]) is None
    assert check_omitted("unit", ["celsius"]) == "param 'unit' is missing; expected one of ['celsius']"


def test_value_given_where_answer_omits_it():
    assert (
        check_value("country", "us", [""])
        == "param 'country': got 'us', but the answer leaves it out (omit it)"
    )


def test_mismatch_of_other_types():
    assert mismatch(None, None, "x") is None
    assert mismatch("1", 1, "x") == "x: got '1', expected 1"
