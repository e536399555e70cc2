"""The one place that decides whether a call goes out: validate → policy → dry-run → confirmation.

``Guard.decide(call, spec)`` returns a ``Verdict`` and has no side effects. ``GuardedExecutor`` acts on
exactly that verdict and ``GorillaRouter.plan`` reports it, so a plan cannot promise a preview while the
run sends the request (the bug this module exists to prevent: dry-run used to be read in two places).

Every setting that can make a call go out is read here and nowhere else:

* ``policy`` — allow / deny / only / side effects / HTTP methods, and ``dry_run``;
* ``restrictions`` — further policies that can only make the verdict stricter (the strictest action wins,
  deny > ask > execute; any of them in dry-run mode makes it a dry run). The router uses this to keep the
  configuration's ``deny``, ``only`` and ``dry_run`` in force when a ``policy=`` is passed explicitly;
* ``confirm`` — the callback asked for an ``ask`` verdict; ``assume_yes`` answers yes when there is none.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from gorilla_router.errors import SpecError, ValidationError
from gorilla_router.execution.policy import Decision, Policy, allow_hint, strictest
from gorilla_router.execution.validation import validate_arguments
from gorilla_router.specs import ApiCall, ApiSpec, CallReason
from gorilla_router.verdict import Verdict

__all__ = ["ConfirmCallback", "Guard", "checked_call"]

#: Asked before a call whose verdict is ``ask``: (call, spec, reason) → True to run it. It must not raise;
#: if it does, the call is treated as declined.
ConfirmCallback = Callable[[ApiCall, ApiSpec, str], bool]


def checked_call(call: ApiCall, spec: ApiSpec) -> ApiCall | Verdict:
    """The guard's first step: the validated call, or an ``invalid`` verdict listing every problem.

    One line per argument problem, headed by the API id, so a model can fix them all in one retry. A
    broken zoo entry (``SpecError``) is ``invalid`` too: no call to it can be checked, so none runs.
    """
    try:
        return validate_arguments(call, spec)
    except ValidationError as exc:
        errors = tuple(exc.errors)
        lines = [f"invalid arguments for {spec.id}:", *(f"- {e}" for e in errors)]
        message = "\n".join(lines) if errors else str(exc)
        return Verdict("invalid", CallReason.INVALID_ARGUMENTS, message, call, errors)
    except SpecError as exc:
        return Verdict("invalid", CallReason.INVALID_ARGUMENTS, str(exc), call, (str(exc),))


class Guard:
    """Decides per call; see the module docstring for which setting does what."""

    def __init__(
        self,
        policy: Policy | None = None,
        confirm: ConfirmCallback | None = None,
        *,
        assume_yes: bool = False,
        restrictions: Sequence[Policy] = (),
    ) -> None:
        self.policy = policy or Policy()
        self.restrictions = tuple(restrictions)
        self.confirm = confirm
        self.assume_yes = assume_yes

    @property
    def dry_run(self) -> bool:
        """Dry-run mode: on when the policy or any restriction says so."""
        return any(p.dry_run for p in (self.policy, *self.restrictions))

    def policy_decision(self, call: ApiCall, spec: ApiSpec) -> Decision:
        """The strictest decision of the policy and the restrictions (the policy's reason on a tie)."""
        return strictest([p.decide(call, spec) for p in (self.policy, *self.restrictions)])

    def decide(self, call: ApiCall, spec: ApiSpec) -> Verdict:
        """What executing ``call`` would do; never asks the confirm callback and never sends anything."""
        checked = checked_call(call, spec)
        if isinstance(checked, Verdict):
            return checked
        decision = self.policy_decision(checked, spec)
        if decision.action == "deny":
            return Verdict("deny", CallReason.DENIED_BY_POLICY, f"denied: {decision.reason}", checked)
        if self.dry_run:  # nothing is sent and nobody is asked to confirm a call that will not run
            return Verdict(
                "dry_run", CallReason.DRY_RUN, "dry-run mode: the request is previewed, not sent", checked
            )
        if decision.action == "execute":
            return Verdict("execute", CallReason.EXECUTED, decision.reason, checked)
        if self.confirm is not None:
            return Verdict("ask", CallReason.NEEDS_CONFIRMATION, decision.reason, checked, confirm_with=True)
        if self.assume_yes:
            return Verdict(
                "execute", CallReason.EXECUTED, f"{decision.reason}; confirmed by assume_yes", checked
            )
        return Verdict(
            "ask",
            CallReason.NEEDS_CONFIRMATION,
            f"confirmation required: {decision.reason}, and no confirm callback was given. "
            f"Pass confirm=… (the CLI asks y/N), run with dry_run=True to preview it, "
            f"or {allow_hint(spec.id)}",
            checked,
        )
