"""BFCL / OpenFunctions docs → ApiSpecs: type translation, ids, and the never-executed callable."""

from __future__ import annotations

import importlib

import pytest

from gorilla_router.errors import ConfigError, ExecutionError
from gorilla_router.evaluation import function_doc_to_spec, spec_id_for, to_json_schema

DOC = {
    "name": "hotel.book",
    "description": "Book a room.",
    "parameters": {
        "type": "dict",
        "properties": {
            "guest": {"type": "dict", "properties": {"age": {"type": "integer"}}},
            "price": {"type": "float"},
            "where": {"type": "tuple", "items": {"type": "float"}},
            "extra": {"type": "any", "description": "Anything."},
            "tags": {"type": "array", "items": {"type": "string"}},
            "ok": {"type": "boolean"},
        },
        "required": ["guest", "price", "ghost"],
    },
}


def test_types_become_json_schema():
    schema = to_json_schema(DOC["parameters"])
    props = schema["properties"]
    assert schema["type"] == "object"
    assert props["guest"] == {"type": "object", "properties": {"age": {"type": "integer"}}}
    assert props["price"] == {"type": "number"}
    assert props["where"] == {"type": "array", "items": {"type": "number"}}
    assert props["extra"] == {"description": "Anything."}
    assert props["tags"]["type"] == "array"
    assert props["ok"]["type"] == "boolean"


def test_doc_becomes_a_python_spec_that_points_at_the_unexecuted_module():
    spec = function_doc_to_spec(DOC)
    assert spec.id == "hotel.book"
    assert spec.kind == "python"
    assert spec.callable == "gorilla_router.evaluation.unexecuted:hotel.book"
    assert spec.required == ["guest", "price"]  # undeclared 'ghost' dropped
    assert spec.side_effects == "none"
    assert "benchmark" in spec.tags


def test_openfunctions_api_call_is_the_name_and_titles_are_kept():
    spec = function_doc_to_spec(
        {
            "name": "Coffee Shop Locator",
            "api_call": "coffee_shop.find_nearby",
            "description": "Find coffee.",
            "parameters": {"type": "object", "properties": {}},
        }
    )
    assert spec.id == "coffee_shop.find_nearby"
    assert spec.name == "Coffee Shop Locator"


def test_ids_are_made_valid():
    assert spec_id_for("math.factorial") == "math.factorial"
    assert spec_id_for("get-weather v2") == "get_weather_v2"
    assert spec_id_for("3d.render") == "_3d.render"
    with pytest.raises(ConfigError, match="needs a 'name'"):
        function_doc_to_spec({"description": "nameless"})


def test_benchmark_callables_refuse_to_run():
    module = importlib.import_module("gorilla_router.evaluation.unexecuted")
    with pytest.raises(ExecutionError, match="never executes it"):
        module.hotel  # noqa: B018 - attribute access is the point
    with pytest.raises(AttributeError):
        module.__wrapped__  # noqa: B018
    assert not hasattr(module, "pytest_plugins")  # probes by tools see a missing attribute, not a crash


@pytest.mark.parametrize("in_process", [True, False])
def test_the_python_executor_reports_a_benchmark_function_as_not_executable(in_process):
    from gorilla_router.execution.python_exec import PythonExecutor
    from gorilla_router.specs import ApiCall, CallStatus

    spec = function_doc_to_spec(DOC)
    allow = ["gorilla_router.evaluation.unexecuted:*"] if in_process else []
    with PythonExecutor(in_process_allow=allow) as executor:
        result = executor.execute(ApiCall(api_id=spec.id, arguments={"guest": {}, "price": 1.0}), spec)
    assert result.status is CallStatus.ERROR
    assert "NotExecutableError" in (result.error or "")
    assert "never executes it" in (result.error or "")
