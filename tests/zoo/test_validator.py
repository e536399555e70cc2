"""The validator's messages: one line per problem naming file, entry and field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from gorilla_router.zoo import validate_paths

Factory = Callable[..., dict[str, Any]]


def lines_for(path: Path) -> list[str]:
    return validate_paths(path).lines()


def test_clean_fixture_zoo_has_no_problems(fixtures_dir: Path) -> None:
    report = validate_paths(fixtures_dir / "zoo_ok")
    assert report.ok, report.lines()
    assert report.entries == 3
    assert len(report.files) == 2


def test_malformed_entry(write_zoo: Callable[..., Path], make_python_entry: Factory) -> None:
    entry = make_python_entry()
    del entry["description"]
    path = write_zoo("p.json", [entry, "oops"])
    assert lines_for(path) == [
        f"{path}: math.sqrt: description: required field is missing",
        f"{path}: #1: <entry>: an entry must be a JSON object, not 'oops'",
    ]


def test_unknown_field(write_zoo: Callable[..., Path], make_python_entry: Factory) -> None:
    path = write_zoo(
        "p.json", [make_python_entry(examples=[{"query": "q", "call": "math.sqrt(x=1)", "answer": 1}])]
    )
    assert lines_for(path) == [
        f"{path}: math.sqrt: examples[0].answer: "
        "unknown field (not part of the ApiSpec format; check the spelling or remove it)"
    ]


def test_duplicate_id_across_files(write_zoo: Callable[..., Path], make_python_entry: Factory) -> None:
    first = write_zoo("a.json", [make_python_entry()])
    second = write_zoo("b.json", [make_python_entry()])
    assert lines_for(first.parent) == [f"{second}: math.sqrt: id: duplicate id: already defined in {first}"]


def test_callable_that_does_not_import(write_zoo: Callable[..., Path], make_python_entry: Factory) -> None:
    path = write_zoo(
        "p.json",
        [
            make_python_entry(callable="no_such_module_xyz:sqrt", requirements=["xyz"]),
            make_python_entry(id="math.cube", callable="math:cube", examples=[]),
            make_python_entry(id="math.pi", callable="math:pi", examples=[]),
        ],
    )
    lines = lines_for(path)
    assert lines[0].startswith(f"{path}: math.sqrt: callable: cannot import module 'no_such_module_xyz'")
    assert lines[0].endswith("(requirements: xyz)")
    assert lines[1] == f"{path}: math.cube: callable: module 'math' has no attribute 'cube' (missing 'cube')"
    assert lines[2] == f"{path}: math.pi: callable: math:pi is a float, not callable"
    assert validate_paths(path, import_callables=False).lines() == []


def test_undeclared_rest_path_parameter(write_zoo: Callable[..., Path], make_rest_entry: Factory) -> None:
    path = write_zoo("r.json", [make_rest_entry(path="/v1/shops/{shop_id}/orders/{order_id}")])
    assert lines_for(path) == [
        f"{path}: shop.orders.get: path: path parameters not declared in parameters: shop_id"
    ]


def test_rest_url_problems(write_zoo: Callable[..., Path], make_rest_entry: Factory) -> None:
    params = {"type": "object", "properties": {"order_id": {"type": "string"}}, "required": []}
    entry = make_rest_entry(
        base_url="https://user:pw@shop.example.com/api?key=1",
        path="/v1/orders/{order_id}/{bad-name}",
        parameters=params,
        headers={"Authorization": "Bearer abc"},
        method="DELETE",
        examples=[],
    )
    lines = lines_for(write_zoo("r.json", [entry]))
    fields = [line.split(": ")[2] for line in lines]
    assert fields == [
        "base_url",
        "base_url",
        "path",
        "parameters.required",
        "headers.Authorization",
        "side_effects",
    ]
    assert "must not contain credentials" in lines[0]
    assert "malformed placeholder" in lines[2]
    assert "use 'auth' with an environment variable" in lines[4]
    assert "mark it 'destructive'" in lines[5]


def test_examples_that_fail(write_zoo: Callable[..., Path], make_python_entry: Factory) -> None:
    params = {
        "type": "object",
        "properties": {"x": {"type": "number", "minimum": 0}, "mode": {"enum": ["a", "b"]}},
        "required": ["x"],
    }
    examples = [
        {"query": "q0", "call": "math.sqrt(x='nine')"},
        {"query": "q1", "call": "math.root(x=9)"},
        {"query": "q2", "call": "math.sqrt(9)"},
        {"query": "q3", "call": "math.sqrt(mode='c')"},
        {"query": "q4", "call": "math.sqrt(x=-1, y=2)"},
        {"query": "q5", "call": "math.sqrt(x=4, mode='a')"},
    ]
    path = write_zoo("p.json", [make_python_entry(parameters=params, examples=examples)])
    assert validate_paths(path, import_callables=False).lines() == [
        f"{path}: math.sqrt: examples[0].call: x: 'nine' is not of type 'number'",
        f"{path}: math.sqrt: examples[1].call: "
        "calls 'math.root', but an example must call this entry's id 'math.sqrt'",
        f"{path}: math.sqrt: examples[2].call: "
        "positional arguments are not allowed: write name=value for every argument",
        f"{path}: math.sqrt: examples[3].call: <arguments>: 'x' is a required property",
        f"{path}: math.sqrt: examples[3].call: mode: 'c' is not one of ['a', 'b']",
        f"{path}: math.sqrt: examples[4].call: argument 'y' is not declared in parameters",
        f"{path}: math.sqrt: examples[4].call: x: -1 is less than the minimum of 0",
    ]


def test_parameters_must_be_a_valid_json_schema(
    write_zoo: Callable[..., Path], make_python_entry: Factory
) -> None:
    params = {"type": "object", "properties": {"x": {"type": "decimal"}}, "required": ["x"]}
    path = write_zoo("p.json", [make_python_entry(parameters=params, examples=[])])
    lines = lines_for(path)
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}: math.sqrt: parameters.properties.x.type: not a valid JSON Schema:")


def test_bundled_zoo_validates_clean() -> None:
    report = validate_paths(Path(__file__).resolve().parents[2] / "apizoo")
    assert report.ok, "\n".join(report.lines())
    assert report.entries >= 60


def test_callable_signature_must_fit_parameters(
    write_zoo: Callable[..., Path], make_python_entry: Factory
) -> None:
    shorten = make_python_entry(
        id="text.shorten",
        callable="textwrap:shorten",
        parameters={"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]},
        examples=[],
    )
    loose = make_python_entry(
        id="stats.fmean",
        callable="statistics:fmean",
        parameters={"type": "object", "properties": {"data": {}, "colour": {}}, "required": []},
        examples=[],
    )
    path = write_zoo("p.json", [shorten, loose])
    assert lines_for(path) == [
        f"{path}: text.shorten: parameters.properties: "
        "textwrap:shorten needs 'width', which parameters does not declare",
        f"{path}: stats.fmean: parameters.properties.colour: statistics:fmean has no parameter 'colour' "
        "(it takes: data, weights)",
        f"{path}: stats.fmean: parameters.required: 'data' has no default in statistics:fmean; "
        "list it in parameters.required",
    ]
