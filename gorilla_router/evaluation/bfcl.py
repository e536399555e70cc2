"""BFCL-style items and the AST checker that scores a model's calls against the possible answers.

An item is a question, the function docs offered with it, and its ground truth: a list of
``{function_name: {param: [acceptable values…]}}``, one entry per expected call. The category (``simple``,
``multiple``, ``parallel``, ``parallel_multiple``, ``irrelevance``) comes from a ``category`` field or the
id's prefix (``parallel_multiple_12``; a ``live_`` prefix is ignored). Parallel answers match in any order,
all or nothing; for ``irrelevance`` passing means producing no call at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gorilla_router.errors import ConfigError
from gorilla_router.evaluation.bfcl_rules import (
    check_function_name,
    check_omitted,
    check_required,
    check_type,
    check_unknown,
    check_value,
)
from gorilla_router.evaluation.function_docs import function_doc_to_spec, function_name, spec_id_for
from gorilla_router.specs import ApiCall, ApiSpec

__all__ = ["CATEGORIES", "BfclItem", "CheckResult", "category_of", "check_call", "check_item"]

CATEGORIES = ("simple", "multiple", "parallel", "parallel_multiple", "irrelevance")
GroundTruth = list[dict[str, dict[str, list[Any]]]]


@dataclass(frozen=True)
class CheckResult:
    """The checker's verdict on one item; ``reason`` says what was wrong when ``passed`` is False."""

    passed: bool
    reason: str = ""


@dataclass
class BfclItem:
    """One benchmark question with its function docs and ground truth (empty for irrelevance)."""

    id: str
    question: str
    functions: list[dict[str, Any]]
    ground_truth: GroundTruth = field(default_factory=list)
    category: str = "simple"

    def specs(self) -> list[ApiSpec]:
        """The offered functions as ``ApiSpec``s (ids from :func:`spec_id_for`)."""
        return [function_doc_to_spec(doc) for doc in self.functions]

    def doc_for(self, spec_id: str) -> dict[str, Any] | None:
        return next((d for d in self.functions if spec_id_for(function_name(d)) == spec_id), None)


def category_of(item_id: str, explicit: str | None = None) -> str:
    """The category from an explicit field, else from the id's prefix; a clear error when neither fits."""
    if explicit:
        if explicit not in CATEGORIES:
            raise ConfigError(
                f"item {item_id!r}: unknown category {explicit!r}; use one of {', '.join(CATEGORIES)}"
            )
        return explicit
    stem = item_id.removeprefix("live_")
    for category in sorted(CATEGORIES, key=len, reverse=True):
        if stem.startswith(category):
            return category
    raise ConfigError(
        f"item {item_id!r}: cannot tell its category; give it a 'category' field or an id starting with "
        f"one of {', '.join(CATEGORIES)} (e.g. 'simple_0')"
    )


def check_call(
    call: ApiCall, expected_name: str, expected: Mapping[str, Sequence[Any]], doc: Mapping[str, Any]
) -> str | None:
    """One call against one ground-truth entry: name, required, unknown, types, values, omissions."""
    wanted_id = spec_id_for(expected_name)
    schema = doc.get("parameters") or {}
    required = {"required": schema.get("required", doc.get("required", []))}
    problem = (
        check_function_name(call.api_id, wanted_id)
        or check_required(call.arguments, required)
        or check_unknown(call.arguments, schema, expected_name)
    )
    if problem:
        return problem
    properties = schema.get("properties", {})
    for param, value in call.arguments.items():
        problem = check_type(param, value, properties.get(param, {}))
        if problem:
            return problem
        if param not in expected:
            return f"param {param!r} was given but the answer leaves it out"
        problem = check_value(param, value, _options(expected[param]))
        if problem:
            return problem
    for param, acceptable in expected.items():
        if param not in call.arguments:
            problem = check_omitted(param, _options(acceptable))
            if problem:
                return problem
    return None


def _options(acceptable: Any) -> list[Any]:
    """A ground truth's acceptable values; a bare value (not in a list) is read as the only one."""
    return list(acceptable) if isinstance(acceptable, list) else [acceptable]


def check_item(item: BfclItem, calls: Sequence[ApiCall]) -> CheckResult:
    """Score the calls a model made for ``item``; all or nothing, in any order for several calls."""
    if item.category == "irrelevance":
        if calls:
            return CheckResult(
                False, f"expected no call (irrelevant question), got {[c.api_id for c in calls]}"
            )
        return CheckResult(True)
    expected = [next(iter(entry.items())) for entry in item.ground_truth]
    if len(calls) != len(expected):
        got = [c.api_id for c in calls] or "none"
        return CheckResult(False, f"expected {len(expected)} call(s), got {len(calls)}: {got}")
    problems = [[_check_against(item, call, name, params) for call in calls] for name, params in expected]
    if _perfect_matching(problems):
        return CheckResult(True)
    return CheckResult(False, _explain(problems, expected, calls))


def _check_against(
    item: BfclItem, call: ApiCall, name: str, params: Mapping[str, Sequence[Any]]
) -> str | None:
    doc = item.doc_for(spec_id_for(name))
    if doc is None:
        raise ConfigError(f"item {item.id!r}: the answer names {name!r}, which is not among its functions")
    return check_call(call, name, params, doc)


def _perfect_matching(problems: list[list[str | None]]) -> bool:
    """Whether each expected call pairs with a distinct written call that passes it (augmenting paths)."""
    owner: dict[int, int] = {}

    def assign(expected: int, seen: set[int]) -> bool:
        for written, problem in enumerate(problems[expected]):
            if problem is None and written not in seen:
                seen.add(written)
                if written not in owner or assign(owner[written], seen):
                    owner[written] = expected
                    return True
        return False

    return all(assign(index, set()) for index in range(len(problems)))


def _explain(
    problems: list[list[str | None]], expected: list[tuple[str, Any]], calls: Sequence[ApiCall]
) -> str:
    """The reason of the first expected call nobody satisfies, compared with its most alike written call."""
    for index, row in enumerate(problems):
        if all(problem is not None for problem in row):
            name = expected[index][0]
            same_name = [i for i, call in enumerate(calls) if call.api_id == spec_id_for(name)]
            closest = same_name[0] if same_name else 0
            prefix = f"expected call #{index + 1} ({name}): " if len(expected) > 1 else ""
            return f"{prefix}{row[closest]}"
    return "the calls cannot be paired one-to-one with the expected calls"
