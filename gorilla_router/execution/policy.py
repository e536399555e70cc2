"""The guard's policy: for each call, execute, ask a person, or deny — and why.

Rules, strongest first:

1. ``deny`` patterns (globs on API ids, e.g. ``"payments.*"``) always deny;
2. ``only`` patterns, when given, deny every API id that matches none of them;
3. ``allow`` patterns pre-approve matching ids: they execute without asking, even ``write`` and
   ``destructive`` ones (this is how a destructive API is "explicitly allowed");
4. otherwise the spec's ``side_effects`` decides (default: ``none``/``read`` execute, ``write`` asks,
   ``destructive`` is denied) and, for REST APIs, the HTTP ``methods`` rules may make it stricter
   (the stricter of the two wins: deny > ask > execute).

``dry_run`` does not change the decision; the guard (``execution/guard.py``) reads it and returns a preview
(``dry_run`` status) for every call it does not deny — nothing is sent and nobody is asked to confirm a
call that will not run.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from gorilla_router.specs import ApiCall, ApiSpec, HttpMethod, SideEffects

__all__ = ["Action", "Decision", "Policy", "allow_hint", "strictest"]

Action = Literal["execute", "ask", "deny"]
_STRICTNESS: dict[Action, int] = {"execute": 0, "ask": 1, "deny": 2}


@dataclass(frozen=True)
class Decision:
    """What the guard does with one call, and a reason a person (or a model) can read."""

    action: Action
    reason: str


def strictest(decisions: Sequence[Decision]) -> Decision:
    """The strictest of several decisions (deny > ask > execute); the earliest one wins a tie."""
    if not decisions:
        raise ValueError("strictest() needs at least one decision")
    return max(decisions, key=lambda d: _STRICTNESS[d.action])


def allow_hint(api_id: str) -> str:
    """How to pre-approve ``api_id``, for every kind of user: the config file, the environment, Python.

    CLI and MCP users never write ``Policy(…)``, so a denial that only named the Python spelling would
    leave them stuck.
    """
    return (
        f"allow it explicitly with allow = [{json.dumps(api_id)}] in gorilla_router.toml, "
        f"GORILLA_ROUTER_ALLOW={api_id} in the environment, or Policy(allow=[{api_id!r}]) in Python"
    )


def _default_side_effects() -> dict[SideEffects, Action]:
    return {"none": "execute", "read": "execute", "write": "ask", "destructive": "deny"}


class Policy(BaseModel):
    """Configuration of the guard; loadable from a config file (unknown keys are an error)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    allow: tuple[str, ...] = Field(default=(), description="Globs of API ids that run without asking.")
    deny: tuple[str, ...] = Field(default=(), description="Globs of API ids that are always refused.")
    only: tuple[str, ...] = Field(default=(), description="If set, every API id matching none is refused.")
    dry_run: bool = Field(default=False, description="Preview what would be sent instead of sending it.")
    side_effects: dict[SideEffects, Action] = Field(default_factory=_default_side_effects)
    methods: dict[HttpMethod, Action] = Field(
        default_factory=dict, description="HTTP method rules for REST APIs, e.g. {'DELETE': 'deny'}."
    )

    def decide(self, call: ApiCall, spec: ApiSpec) -> Decision:
        """Decide for one call; the reason names the rule that decided."""
        api_id = spec.id
        hit = _first_match(api_id, self.deny)
        if hit:
            return Decision("deny", f"{api_id} is denied by the policy's deny pattern {hit!r}")
        if self.only and not _first_match(api_id, self.only):
            return Decision(
                "deny", f"{api_id} matches none of the policy's 'only' patterns {list(self.only)}"
            )
        hit = _first_match(api_id, self.allow)
        if hit:
            return Decision("execute", f"{api_id} is allowed by the policy's allow pattern {hit!r}")
        action = self.side_effects.get(spec.side_effects, "ask")
        reason = f"{api_id} has side effects {spec.side_effects!r}, which the policy maps to {action!r}"
        if spec.kind == "rest" and spec.method in self.methods:
            by_method = self.methods[spec.method]
            if _STRICTNESS[by_method] > _STRICTNESS[action]:
                action = by_method
                reason = f"{api_id} uses HTTP {spec.method}, which the policy maps to {by_method!r}"
        if action == "deny":
            reason = f"{reason}; {allow_hint(api_id)}"
        return Decision(action, reason)


def _first_match(api_id: str, patterns: tuple[str, ...]) -> str | None:
    return next((p for p in patterns if fnmatchcase(api_id, p)), None)
