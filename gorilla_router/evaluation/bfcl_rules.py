"""The BFCL-style AST checker's rules, one small function each; every rule returns None or a reason.

Rules (the Berkeley Function-Calling Leaderboard's AST checker, as the evaluation issue states them):
the function name must match; required parameters are present; no parameter outside the doc; types are
strict except that an int is accepted for a float and a tuple for a list; strings are compared after
lower-casing and removing spaces and ``,./-_*^``; list order matters; dicts are checked key by key (each
expected key holds a list of acceptable values); ``""`` among the acceptable values means "may be omitted".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from gorilla_router.evaluation.function_docs import JSON_SCHEMA_TYPE

__all__ = [
    "OMITTED",
    "check_function_name",
    "check_omitted",
    "check_required",
    "check_type",
    "check_unknown",
    "check_value",
    "mismatch",
    "normalize_string",
]

OMITTED = ""
_IGNORED_IN_STRINGS = re.compile(r"[ ,./\-_*^]")


def normalize_string(text: str) -> str:
    """Lower-case and drop spaces and ``,./-_*^``: ``"San Francisco, CA"`` equals ``"sanfranciscoca"``."""
    return _IGNORED_IN_STRINGS.sub("", text.lower())


def check_function_name(written: str, expected: str) -> str | None:
    if written == expected:
        return None
    return f"function {written!r} is not the expected {expected!r}"


def check_required(arguments: Mapping[str, Any], schema: Mapping[str, Any]) -> str | None:
    missing = [name for name in schema.get("required", []) if name not in arguments]
    return f"missing required param {missing[0]!r}" if missing else None


def check_unknown(arguments: Mapping[str, Any], schema: Mapping[str, Any], function: str) -> str | None:
    properties = schema.get("properties", {})
    unknown = [name for name in arguments if name not in properties]
    if not unknown:
        return None
    return (
        f"param {unknown[0]!r} is not a parameter of {function} (it has: {', '.join(properties) or 'none'})"
    )


def _has_kind(value: Any, kind: str) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "array":
        return isinstance(value, (list, tuple))
    return isinstance(value, dict)


def check_type(param: str, value: Any, schema: Mapping[str, Any]) -> str | None:
    """Strict types, except int-for-float and tuple-for-list; array items are checked too."""
    declared = schema.get("type")
    kind = JSON_SCHEMA_TYPE.get(declared.lower()) if isinstance(declared, str) else None
    if kind is None:
        return None
    if not _has_kind(value, kind):
        return f"param {param!r}: got {type(value).__name__} {value!r}, expected type {declared}"
    items = schema.get("items")
    if kind == "array" and isinstance(items, Mapping):
        for position, element in enumerate(value):
            problem = check_type(f"{param}[{position}]", element, items)
            if problem:
                return problem
    return None


def mismatch(got: Any, expected: Any, where: str) -> str | None:
    """Why ``got`` is not ``expected`` (None when it is), under the string / list / dict rules."""
    if isinstance(expected, str) and isinstance(got, str):
        same = normalize_string(got) == normalize_string(expected)
    elif isinstance(expected, bool) or isinstance(got, bool):
        same = type(got) is type(expected) and got == expected
    elif isinstance(expected, (int, float)) and isinstance(got, (int, float)):
        same = got == expected
    elif isinstance(expected, (list, tuple)) and isinstance(got, (list, tuple)):
        if len(got) != len(expected):
            return (
                f"{where}: got {len(got)} items {list(got)!r}, expected {len(expected)}: {list(expected)!r}"
            )
        for position, (item, wanted) in enumerate(zip(got, expected, strict=True)):
            problem = mismatch(item, wanted, f"{where}[{position}]")
            if problem:
                return problem
        return None
    elif isinstance(expected, Mapping) and isinstance(got, Mapping):
        return _dict_mismatch(got, expected, where)
    else:
        same = got == expected
    return None if same else f"{where}: got {got!r}, expected {expected!r}"


def _dict_mismatch(got: Mapping[str, Any], expected: Mapping[str, Any], where: str) -> str | None:
    """Dicts key by key: each expected key holds its acceptable values (``""``: the key may be absent)."""
    for key in got:
        if key not in expected:
            return f"{where}: unexpected key {key!r}"
    for key, acceptable in expected.items():
        options = list(acceptable) if isinstance(acceptable, list) else [acceptable]
        if key not in got:
            if OMITTED in options:
                continue
            return f"{where}: missing key {key!r}"
        problem = check_value(f"{where}[{key!r}]", got[key], options, label=False)
        if problem:
            return problem
    return None


def check_value(param: str, value: Any, acceptable: Sequence[Any], label: bool = True) -> str | None:
    """The value must equal one of the acceptable ones (``""`` stands for omission, never a value)."""
    where = f"param {param!r}" if label else param
    options = [option for option in acceptable if not (isinstance(option, str) and option == OMITTED)]
    if not options:
        return f"{where}: got {value!r}, but the answer leaves it out (omit it)"
    problems = [mismatch(value, option, where) for option in options]
    if any(problem is None for problem in problems):
        return None
    if len(problems) == 1 and problems[0]:
        return problems[0]
    return f"{where}: got {value!r}, expected one of {options!r}"


def check_omitted(param: str, acceptable: Sequence[Any]) -> str | None:
    """An expected parameter the call left out is fine only when ``""`` is among its acceptable values."""
    if OMITTED in acceptable:
        return None
    return f"param {param!r} is missing; expected one of {list(acceptable)!r}"
