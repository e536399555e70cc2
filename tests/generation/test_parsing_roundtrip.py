"""Property tests: any call rendered by ``ApiCall.to_source()`` or as a JSON tool call parses back equal."""

from __future__ import annotations

import json
import keyword
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from gorilla_router.generation import parse_calls, tool_name_for
from gorilla_router.specs import ApiCall

identifiers = st.from_regex(r"\A[A-Za-z_][A-Za-z0-9_]{0,12}\Z").filter(lambda s: not keyword.iskeyword(s))
api_ids = st.lists(identifiers, min_size=1, max_size=4).map(".".join)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**12), max_value=10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
calls = st.builds(
    lambda api_id, arguments: ApiCall(api_id=api_id, arguments=arguments),
    api_ids,
    st.dictionaries(identifiers, values, max_size=5),
)


def same(left: list[ApiCall], right: list[ApiCall]) -> bool:
    return [(c.api_id, c.arguments) for c in left] == [(c.api_id, c.arguments) for c in right]


@settings(max_examples=80, deadline=None)
@given(st.lists(calls, min_size=1, max_size=3))
def test_python_source_round_trip(expected: list[ApiCall]) -> None:
    rendered = [call.to_source() for call in expected]
    assert same(parse_calls("\n".join(rendered)), expected)
    assert same(parse_calls("[" + ", ".join(rendered) + "]"), expected)
    assert same(parse_calls("".join("<<function>>" + r for r in rendered)), expected)


@settings(max_examples=50, deadline=None)
@given(st.lists(calls, min_size=1, max_size=3))
def test_json_tool_call_round_trip(expected: list[ApiCall]) -> None:
    payload: list[dict[str, Any]] = [
        {
            "type": "function",
            "function": {"name": tool_name_for(c.api_id), "arguments": json.dumps(c.arguments)},
        }
        for c in expected
    ]
    assert same(parse_calls(json.dumps({"role": "assistant", "tool_calls": payload})), expected)
