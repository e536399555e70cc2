"""What the router has before executing anything: candidates, the model's calls, or why there are none.

Shared by ``run`` and ``plan`` so both make exactly the same decision about "no suitable API".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gorilla_router.errors import BackendError, ModelOutputError
from gorilla_router.plan import PlannedDecision
from gorilla_router.specs import ApiCall, Candidate

__all__ = ["Proposal", "decision_of"]


@dataclass
class Proposal:
    """Candidates, calls, and either a ``no_call_reason`` or the ``failure`` that stopped generation."""

    candidates: list[Candidate]
    timings: dict[str, float]
    calls: list[ApiCall] = field(default_factory=list)
    no_call_reason: str | None = None
    failure: ModelOutputError | BackendError | None = None


_ACTIONS: dict[str, PlannedDecision] = {
    "execute": "execute",
    "allow": "execute",
    "allowed": "execute",
    "ask": "ask",
    "confirm": "ask",
    "deny": "deny",
    "denied": "deny",
    "dry_run": "dry_run",
}


def decision_of(decision: Any) -> tuple[PlannedDecision, str]:
    """Read the guard's ``Decision`` (action + reason) into the plan's vocabulary."""
    action = getattr(decision, "action", decision)
    action = getattr(action, "value", action)
    reason = str(getattr(decision, "reason", "") or "")
    planned = _ACTIONS.get(str(action).lower())
    if planned is None:
        raise TypeError(f"unrecognised guard decision {decision!r}; expected execute, ask or deny")
    return planned, reason
