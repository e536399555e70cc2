"""After the model wrote its calls: grounding, then one bounded repair round — for every backend.

The router hands the model's calls here before anything is planned or executed, so ``plan`` and ``run``
see the same refined calls:

1. **Grounding** (:mod:`~gorilla_router.generation.grounding`) — invented optional values dropped,
   conversions recorded, required values the request does not give reported as ``missing``. A required
   parameter the model left out is such a value too (so it is not "repaired" into an invented one).
   Grounding comes first because an invented optional value is often what breaks a call
   (``forecast_days=-3`` for "the next 3 days"): dropped, the call is valid, and nothing invented is ever
   shown back to the model, the user or the validator's report.
2. **Repair** — a grounded call the validator still rejects (wrong type, value outside the enum) is shown
   back to the model once, with the validator's message, if the backend can take it (:class:`Repairable`);
   the new call, grounded in turn, replaces the old one if it validates. Once, because a model that
   cannot fix a call after being told what is wrong rarely fixes it on the third try, and every round
   costs a decode. A call still broken becomes ``needs_input`` when every problem concerns a required
   value the request does not give (the user must give it, whatever the model wrote there); otherwise the
   validator reports it as ``invalid``.

A call that, once grounded, equals an earlier call of the same answer is left out: the decoder already
ends a turn at a verbatim repeat, but two calls that differed only in invented values (dropped here) would
otherwise both run — three identical ``uber.ride.request`` calls were seen on the benchmark's test split.
So is a second or later call for which the request gives none of the required values (or, for a function
without required parameters, none of the values the model wrote): the model went
on writing calls of tools it was shown (``chat.delete(channel="C0123456789", ts="1634567890")`` after
the right ``conversations.list`` for "show public and private Slack channels"); asking the user for
values of a call they never asked for would only hide the right first call behind a question.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from gorilla_router.errors import BackendError, ModelOutputError
from gorilla_router.errors import ValidationError as ArgumentsError
from gorilla_router.generation.grounding import GroundedCall, ground_call
from gorilla_router.specs import ApiCall, Candidate, MissingInput

__all__ = ["Refined", "Repairable", "refine_calls"]

logger = logging.getLogger("gorilla_router.generation")


@runtime_checkable
class Repairable(Protocol):
    """A backend that can write a call again after being told why the last one was rejected."""

    def repair(
        self, query: str, candidates: Sequence[Candidate], call: ApiCall, problem: str
    ) -> list[ApiCall]: ...


@dataclass
class Refined:
    """The calls after repair and grounding, what the user must still supply, and what was done."""

    calls: list[ApiCall]
    missing: list[MissingInput] = field(default_factory=list)
    dropped: dict[str, dict[str, Any]] = field(default_factory=dict)
    repairs: int = 0
    repaired: int = 0
    duplicates: int = 0
    """Calls left out because, once grounded, they equal an earlier call of the same answer."""
    unsupported: int = 0
    """Later calls left out because the request gives none of their values (:func:`_unsupported`)."""


def _problems(call: ApiCall, candidates: Sequence[Candidate]) -> list[str]:
    from gorilla_router.execution import validate_arguments

    spec = next(c.spec for c in candidates if c.spec.id == call.api_id)
    try:
        validate_arguments(call, spec)
    except ArgumentsError as exc:
        return list(exc.errors) or [str(exc)]
    return []


_PARAMETER = re.compile(r"parameter '([^'\[.]+)")


def _all_about(problems: Sequence[str], parameters: set[str]) -> bool:
    """Every problem concerns one of ``parameters`` (the values the user has to give anyway)."""
    named = [_PARAMETER.search(problem) for problem in problems]
    return bool(parameters) and all(match is not None and match.group(1) in parameters for match in named)


def _same(call: ApiCall, other: ApiCall) -> bool:
    return call.api_id == other.api_id and call.arguments == other.arguments


def _unsupported(current: GroundedCall, written: Sequence[str], parameters: dict[str, Any]) -> bool:
    """A call whose required values the request gives none of (each left out, invented or the default);
    for a call without required parameters, one whose ``written`` values the request gives none of."""
    required = set(parameters.get("required", []) or [])
    if required:
        return not required & current.supported
    return bool(written) and not current.supported


def _only_missing(problems: Sequence[str]) -> bool:
    """Every problem is a required parameter left out — a question for the user, not a broken call."""
    return all(problem.startswith("missing required parameter") for problem in problems)


def refine_calls(
    query: str,
    calls: Sequence[ApiCall],
    candidates: Sequence[Candidate],
    backend: object,
    *,
    ground: bool = True,
) -> Refined:
    """Ground, then repair (once per call, when the backend can); see the module docstring."""
    refined = Refined(calls=[])
    offered = {c.spec.id for c in candidates}
    specs = {c.spec.id: c.spec for c in candidates}

    def grounded(call: ApiCall) -> GroundedCall:
        return ground_call(query, call, specs[call.api_id]) if ground else GroundedCall(call)

    for index, call in enumerate(calls):
        current = grounded(call)
        if any(_same(current.call, earlier) for earlier in refined.calls):
            refined.duplicates += 1
            continue
        if (
            ground
            and index > 0
            and _unsupported(current, list(call.arguments), specs[call.api_id].parameters)
        ):
            refined.unsupported += 1
            continue
        problems = _problems(current.call, candidates)
        if problems and not _only_missing(problems) and isinstance(backend, Repairable):
            refined.repairs += 1
            try:
                written = backend.repair(query, candidates, current.call, "; ".join(problems))
                again = [grounded(c) for c in written if c.api_id in offered]
            except (ModelOutputError, BackendError) as exc:
                logger.warning("the repair round failed: %s", exc)
                again = []
            if again and _only_missing(_problems(again[0].call, candidates)):
                refined.repaired += 1
                current = again[0]
                problems = _problems(current.call, candidates)
        refined.calls.append(current.call)
        if not _only_missing(problems) and not _all_about(problems, {m.parameter for m in current.missing}):
            continue  # broken beyond what the user must supply: the validator reports it
        refined.missing.extend(current.missing)
        if current.dropped:
            refined.dropped[current.call.api_id] = current.dropped
    return refined
