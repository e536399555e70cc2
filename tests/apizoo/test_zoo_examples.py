"""The bundled zoo's examples: each call parses (ast only, never eval), names its own API, validates against
the schema, and — for Python entries — actually runs in-process and returns JSON data matching ``returns``.

The call reader here is deliberately independent of ``gorilla_router.generation``/``zoo`` parsers: it checks
the data with the plainest reading of the documented format (keyword arguments, Python literals).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest


def dotted_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{dotted_name(node.value)}.{node.attr}"
    raise ValueError(f"function is not a dotted name: {ast.dump(node)}")


def parse_call(source: str) -> tuple[str, dict[str, Any]]:
    """Return (function name, keyword arguments) of one call string; raise ValueError when malformed."""
    tree = ast.parse(source, mode="eval")
    if not isinstance(tree.body, ast.Call):
        raise ValueError(f"not a single call: {source!r}")
    call = tree.body
    if call.args:
        raise ValueError(f"examples use keyword arguments only: {source!r}")
    arguments: dict[str, Any] = {}
    for keyword in call.keywords:
        if keyword.arg is None:
            raise ValueError(f"**kwargs is not allowed in an example: {source!r}")
        arguments[keyword.arg] = ast.literal_eval(keyword.value)
    return dotted_name(call.func), arguments


def import_callable(target: str) -> Callable[..., Any]:
    module_name, qualname = target.split(":", 1)
    obj: Any = importlib.import_module(module_name)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    if not callable(obj):
        raise TypeError(f"{target} is not callable")
    return obj  # type: ignore[no-any-return]


def invoke(func: Callable[..., Any], arguments: dict[str, Any]) -> Any:
    """Call like the Python executor does: positional-only parameters by position, the rest by keyword."""
    signature = inspect.signature(func)
    positional = []
    keywords = dict(arguments)
    for name, parameter in signature.parameters.items():
        if parameter.kind is inspect.Parameter.POSITIONAL_ONLY and name in keywords:
            positional.append(keywords.pop(name))
    return func(*positional, **keywords)


def _problems_report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_every_example_parses_names_its_api_and_validates(zoo_entries):
    problems = []
    for entry in zoo_entries:
        spec = entry.spec
        jsonschema.Draft202012Validator.check_schema(spec.parameters)
        validator = jsonschema.Draft202012Validator(spec.parameters)
        for number, example in enumerate(spec.examples):
            where = f"{entry} example {number} ({example.query!r})"
            try:
                name, arguments = parse_call(example.call)
            except (SyntaxError, ValueError) as exc:
                problems.append(f"{where}: call does not parse: {exc}")
                continue
            if name != spec.id:
                problems.append(f"{where}: calls {name!r}, expected the entry's id {spec.id!r}")
            undeclared = [a for a in arguments if a not in spec.properties]
            if undeclared:
                problems.append(f"{where}: arguments {undeclared} are not declared in parameters")
            problems.extend(f"{where}: {error.message}" for error in validator.iter_errors(arguments))
    assert not problems, _problems_report(problems)


def test_every_python_callable_imports_and_matches_its_schema(zoo_entries):
    problems = []
    for entry in (e for e in zoo_entries if e.spec.kind == "python"):
        spec = entry.spec
        assert spec.callable is not None
        try:
            func = import_callable(spec.callable)
            signature = inspect.signature(func)
        except (ImportError, AttributeError, TypeError, ValueError) as exc:
            problems.append(f"{entry}: callable {spec.callable!r}: {exc}")
            continue
        params = signature.parameters
        takes_kwargs = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
        unknown = [n for n in spec.properties if n not in params and not takes_kwargs]
        if unknown:
            problems.append(f"{entry}: parameters {unknown} are not parameters of {spec.callable}{signature}")
        mandatory = [
            n
            for n, p in params.items()
            if p.default is inspect.Parameter.empty
            and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
        ]
        not_required = [n for n in mandatory if n not in spec.required]
        if not_required:
            problems.append(
                f"{entry}: {spec.callable} needs {not_required} but the schema does not require them"
            )
    assert not problems, _problems_report(problems)


def test_every_python_example_runs_and_returns_json_matching_returns(zoo_entries):
    problems = []
    runs = 0
    for entry in (e for e in zoo_entries if e.spec.kind == "python"):
        spec = entry.spec
        assert spec.callable is not None
        func = import_callable(spec.callable)
        for number, example in enumerate(spec.examples):
            where = f"{entry} example {number} ({example.call})"
            _, arguments = parse_call(example.call)
            try:
                output = invoke(func, arguments)
                data = json.loads(json.dumps(output))
            except Exception as exc:  # every failure is reported with its entry
                problems.append(f"{where}: {type(exc).__name__}: {exc}")
                continue
            runs += 1
            if spec.returns is not None:
                problems.extend(
                    f"{where}: output {data!r} does not match returns: {error.message}"
                    for error in jsonschema.Draft202012Validator(spec.returns).iter_errors(data)
                )
    assert not problems, _problems_report(problems)
    assert runs >= 100


@pytest.mark.parametrize(
    ("api_id", "query", "call"),
    [
        ("math.sqrt", "what is the square root of 3342398", "math.sqrt(x=3342398)"),
        (
            "uber.eat.order",
            "order five burgers and six chicken wings from McDonald's",
            'uber.eat.order(restaurants=["McDonald\'s"], items=["burger", "chicken wings"], '
            "quantities=[5, 6])",
        ),
    ],
)
def test_examples_the_end_to_end_tests_rely_on(zoo_entries, api_id, query, call):
    spec = next(e.spec for e in zoo_entries if e.spec.id == api_id)
    matching = [ex for ex in spec.examples if ex.query == query]
    assert matching, f"{api_id} has no example with the query {query!r}"
    assert parse_call(matching[0].call) == parse_call(call)


def test_square_root_example_gives_the_documented_answer(zoo_entries):
    spec = next(e.spec for e in zoo_entries if e.spec.id == "math.sqrt")
    assert spec.callable is not None
    _, arguments = parse_call(spec.examples[0].call)
    assert invoke(import_callable(spec.callable), arguments) == pytest.approx(1828.2226, abs=1e-4)


def test_parse_call_rejects_what_the_format_forbids():
    with pytest.raises(ValueError, match="keyword arguments only"):
        parse_call("math.sqrt(4)")
    with pytest.raises(ValueError, match="malformed"):
        parse_call("math.sqrt(x=__import__('os').getcwd())")
    with pytest.raises(ValueError, match="not a single call"):
        parse_call("math.sqrt")
