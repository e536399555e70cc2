"""``Plan``: everything the router would do for a query, stopped before anything is dispatched.

A plan is what a careful user (or an agent that must ask a person first) looks at: which APIs were found,
which call the model wrote, whether its arguments fit the schema, and what the guard would decide.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from gorilla_router.specs import ApiCall, CallReason, Candidate, MissingInput
from gorilla_router.verdict import GuardAction, Verdict

__all__ = ["Plan", "PlannedCall", "PlannedDecision"]

PlannedDecision = GuardAction | Literal["needs_input"]
"""The guard's action, or ``needs_input``: the request lacks a required value, so nothing is guarded yet."""


class PlannedCall(BaseModel):
    """One call the model wrote and what would happen to it.

    ``call`` is the validated call (defaults applied, unambiguous coercions done) when the arguments fit,
    else the call as written. ``decision`` is the guard's verdict — ``execute``, ``ask`` (needs a
    confirmation), ``deny``, ``dry_run`` (dry-run mode: it would only be previewed) — or ``invalid`` when the
    arguments do not fit; ``reason`` says why and ``errors`` lists each argument problem. ``code`` is the
    machine-readable reason, the same ``CallResult.reason`` a run would return (for ``ask``: the one it
    returns when nobody confirms).

    It is the guard's ``Verdict`` as data: ``plan`` asks the executor stack, it does not decide itself.
    """

    call: ApiCall
    decision: PlannedDecision
    code: CallReason | None = None
    reason: str = ""
    errors: list[str] = Field(default_factory=list)

    @classmethod
    def from_verdict(cls, verdict: Verdict) -> PlannedCall:
        return cls(
            call=verdict.call,
            decision=verdict.action,
            code=verdict.code,
            reason=verdict.message,
            errors=list(verdict.errors),
        )


class Plan(BaseModel):
    """The query, the retrieved candidates, the planned calls, and why there are none when there are none.

    ``calls`` is empty exactly when ``no_call_reason`` is set (no API fits, or the model declined);
    ``no_call_code`` says which, as the ``CallResult.reason`` a run would return.
    ``timings`` holds seconds per stage (``retrieve``, ``generate``, ``validate``, ``total``).
    """

    query: str
    candidates: list[Candidate] = Field(default_factory=list)
    calls: list[PlannedCall] = Field(default_factory=list)
    no_call_reason: str | None = None
    missing: list[MissingInput] = Field(default_factory=list)
    no_call_code: CallReason | None = None
    timings: dict[str, float] = Field(default_factory=dict)

    @property
    def no_call(self) -> bool:
        return not self.calls

    @property
    def executable(self) -> bool:
        """True when every planned call would run without asking anyone (``execute`` or ``dry_run``)."""
        return bool(self.calls) and all(c.decision in ("execute", "dry_run") for c in self.calls)
