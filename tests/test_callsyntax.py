"""The shared call-syntax core: one call, dotted name, literal values, clear refusals, nothing evaluated."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from gorilla_router.callsyntax import (
    CallSyntax,
    CallSyntaxError,
    arguments_as_written,
    dotted_name,
    literal_value,
    parse_single_call,
    read_call,
)


def read(text: str, **options: object) -> CallSyntax:
    return read_call(parse_single_call(text), text, **options)  # type: ignore[arg-type]


def value(text: str) -> object:
    return literal_value(ast.parse(text, mode="eval").body, text)


def test_reads_name_positional_and_keyword_values() -> None:
    call = read('a.b.c(1, "two", x=1, y="s", z=[1, 2], w={"k": -2.5}, t=(1, 2), n=None)')

    assert call.name == "a.b.c"
    assert call.positional == (1, "two")
    assert call.keywords == {"x": 1, "y": "s", "z": [1, 2], "w": {"k": -2.5}, "t": [1, 2], "n": None}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{3, 1, 3}", [3, 1]),
        ("-(5)", -5),
        ("+2.5", 2.5),
        ("[true, false, null]", [True, False, None]),
        ("{1: 'a', 'b': [()]}", {1: "a", "b": [[]]}),
    ],
)
def test_literal_values_become_json_like(text: str, expected: object) -> None:
    assert value(text) == expected


def test_bare_names_are_read_only_through_the_given_table() -> None:
    node = ast.parse("true", mode="eval").body
    with pytest.raises(CallSyntaxError, match="the variable name 'true'"):
        literal_value(node, "true", names={})
    assert literal_value(node, "true", names={"true": "yes"}) == "yes"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("f(x=", "not a Python call expression"),
        ("f(x=1); g()", "not a Python call expression"),
        ("42", "not a single call: expected exactly one call"),
        ("f()(x=1)", "must be a dotted name"),
        ("x[0](a=1)", "must be a dotted name"),
        ("f(x=y)", "argument 'x' of f is the variable name 'y', not a literal"),
        ("f(x=1 + 2)", "BinOp expression, not a literal"),
        ("f(x=-'a')", "UnaryOp expression"),
        ("f(b'raw')", "argument #1 of f is a bytes literal"),
        ("f(x=1j)", "complex literal"),
        ("f(*args)", r"f\(...\) uses \*-unpacking"),
        ("f(**kw)", r"f\(...\) uses \*\*-unpacking"),
        ("f(x={**d})", "uses \\*\\* unpacking"),
        ("f(x={(1, [2]): 3})", "has a dict key that is not a scalar"),
        ("f(x=__import__('os').getcwd())", "is a function call, not a literal"),
    ],
)
def test_refusals_name_what_is_wrong(text: str, fragment: str) -> None:
    with pytest.raises(CallSyntaxError, match=fragment) as info:
        read(text)
    assert info.value.source == text.strip()


def test_positional_labels_come_from_the_caller() -> None:
    with pytest.raises(CallSyntaxError, match="argument 'radius' of f is the variable name 'r'"):
        read("f(r)", positional_names=["radius"])
    assert read("g(1)", name="other.name").name == "other.name"


def test_dotted_name_through_calls_only_when_asked() -> None:
    func = parse_single_call("svc.users().stop(userId='me').execute()").func

    assert dotted_name(func) is None
    assert dotted_name(func, through_calls=True) == "svc.users.stop.execute"
    assert dotted_name(parse_single_call("x[0].f()").func, through_calls=True) is None


def test_arguments_as_written_keep_source_order() -> None:
    node = parse_single_call("f(a, b=1, *rest, c=2)")
    written = arguments_as_written(node)
    labels = [part.arg if isinstance(part, ast.keyword) else ast.unparse(part) for part in written]
    assert labels == ["a", "b", "*rest", "c"]


def test_nothing_is_ever_evaluated(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    payload = f"__import__('pathlib').Path({str(marker)!r}).touch()"
    for text in (payload, f"f(x={payload})", f"f([{payload}])", f"f(x=(lambda: {payload})())"):
        with pytest.raises(CallSyntaxError):
            read(text)
    assert not marker.exists()
