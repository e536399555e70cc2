"""What the router has before executing anything: candidates, the model's calls, or why there are none.

Shared by ``run`` and ``plan`` so both make exactly the same decision about "no suitable API".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from gorilla_router.errors import BackendError, GenerationError, ModelOutputError, UsageError
from gorilla_router.specs import ApiCall, CallReason, CallResult, CallStatus, Candidate, MissingInput

__all__ = [
    "Proposal",
    "check_offered",
    "checked_query",
    "retrieval_no_call",
    "unexecuted_result",
]


@dataclass
class Proposal:
    """Candidates, calls, and either a ``no_call_reason`` (with its ``no_call_code``) or the ``failure``
    that stopped generation."""

    candidates: list[Candidate]
    timings: dict[str, float]
    calls: list[ApiCall] = field(default_factory=list)
    no_call_reason: str | None = None
    no_call_code: CallReason | None = None
    failure: ModelOutputError | BackendError | None = None
    missing: list[MissingInput] = field(default_factory=list)

    @property
    def code(self) -> CallReason | None:
        """Why there is nothing to execute, for programs; ``None`` when there are calls."""
        if self.failure is not None:
            return failure_code(self.failure)
        return None if self.calls else self.no_call_code


def failure_code(failure: ModelOutputError | BackendError) -> CallReason:
    """A server that failed is a ``backend_error``; an answer that could not be used is the model's fault."""
    return CallReason.BACKEND_ERROR if isinstance(failure, BackendError) else CallReason.MODEL_OUTPUT_INVALID


def checked_query(query: str) -> str:
    if not isinstance(query, str) or not query.strip():
        raise UsageError(f"a query must be a non-empty string, got {query!r}")
    return query.strip()


def retrieval_no_call(candidates: Sequence[Candidate], min_score: float) -> str | None:
    """A reason to answer "no call" before asking the model: nothing retrieved, or nothing similar enough.

    The threshold applies to the dense (cosine) similarity, the one score on a fixed scale; a retriever
    that reports no ``dense`` score is not thresholded.
    """
    if not candidates:
        return "no suitable API: nothing in the API Zoo matches this request"
    dense = [(c.scores["dense"], c.spec.id) for c in candidates if "dense" in c.scores]
    if not dense:
        return None
    similarity, closest = max(dense)
    if similarity < min_score:
        return (
            f"no suitable API: the closest one, {closest} (similarity {similarity:.2f}), is below "
            f"the threshold {min_score:.2f} (GORILLA_ROUTER_MIN_SCORE)"
        )
    return None


def check_offered(calls: Sequence[ApiCall], candidates: Sequence[Candidate]) -> None:
    """Defence in depth: a backend must only name offered APIs; anything else is refused, never executed."""
    offered = {c.spec.id for c in candidates}
    for call in calls:
        if call.api_id not in offered:
            raise GenerationError(
                f"the model named {call.api_id!r}, which is not a candidate: {', '.join(sorted(offered))}",
                raw=call.raw,
            )


def unexecuted_result(proposal: Proposal, total: float) -> CallResult:
    """The result when there is nothing to execute: the model failed (error/invalid) or no API fits."""
    timings = {**proposal.timings, "total": total}
    if proposal.missing:
        return CallResult(
            call=proposal.calls[0] if proposal.calls else None,
            status=CallStatus.NEEDS_INPUT,
            reason=CallReason.NEEDS_INPUT,
            missing=list(proposal.missing),
            error=needs_input_message(proposal.missing),
            candidates=proposal.candidates,
            timings=timings,
        )
    if proposal.failure is not None:
        status = CallStatus.ERROR if isinstance(proposal.failure, BackendError) else CallStatus.INVALID
        error = f"the model's answer could not be used: {proposal.failure}"
        return CallResult(
            status=status,
            reason=failure_code(proposal.failure),
            error=error,
            candidates=proposal.candidates,
            timings=timings,
        )
    return CallResult(
        status=CallStatus.NO_CALL,
        reason=proposal.no_call_code,
        error=proposal.no_call_reason,
        candidates=proposal.candidates,
        timings=timings,
    )


def needs_input_message(missing: Sequence[MissingInput]) -> str:
    """What to ask the user: each missing parameter with what is expected."""
    return "needs input: the request does not give " + "; ".join(m.describe() for m in missing)
