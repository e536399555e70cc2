"""The zoo's own example-call parser: ast only, keyword literals only."""

from __future__ import annotations

import pytest

from gorilla_router.zoo.example_calls import ExampleCallError, parse_example_call


def test_parses_dotted_name_and_literal_keywords() -> None:
    call = parse_example_call(
        "uber.eat.order(restaurants='McDonalds', items=['burger'], quantities=(5,), x=-1.5)"
    )
    assert call.function == "uber.eat.order"
    assert call.arguments == {"restaurants": "McDonalds", "items": ["burger"], "quantities": [5], "x": -1.5}


def test_no_arguments() -> None:
    assert parse_example_call("  status.get()  ").arguments == {}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("math.sqrt(x=", "not a Python call expression"),
        ("math.sqrt", "single call"),
        ("math.sqrt(9)", "positional arguments"),
        ("math.sqrt(**opts)", "**kwargs"),
        ("math.sqrt(x=__import__('os').getcwd())", "not a literal"),
        ("f()(x=1)", "dotted name"),
    ],
)
def test_rejects_what_is_not_a_plain_call(text: str, fragment: str) -> None:
    with pytest.raises(ExampleCallError, match=fragment.replace("*", r"\*")):
        parse_example_call(text)
