"""Guards as thin wrappers: each holds another executor and overrides ``execute`` only.

``WrapperExecutor`` forwards ``execute``, ``preview`` and ``decide`` to the wrapped executor, so a stack of
wrappers still previews exactly what the innermost executor would send, and still reports the verdict of
the guard inside it (``GorillaRouter.plan`` asks the outermost executor).
"""

from __future__ import annotations

import time
from typing import Any

from gorilla_router.errors import RouterError, UsageError
from gorilla_router.execution.base import Decider, Executor, Previewer
from gorilla_router.execution.guard import ConfirmCallback, Guard, checked_call
from gorilla_router.execution.policy import Policy
from gorilla_router.specs import ApiCall, ApiSpec, CallReason, CallResult, CallStatus
from gorilla_router.verdict import Verdict

__all__ = [
    "ConfirmCallback",
    "DryRunExecutor",
    "GuardedExecutor",
    "ValidatingExecutor",
    "WrapperExecutor",
    "verdict_of",
]


def verdict_of(executor: Executor, call: ApiCall, spec: ApiSpec) -> Verdict:
    """What ``executor`` would do with ``call``: its guard's verdict, or ``execute`` when it has no guard.

    An executor that is not a ``Decider`` runs whatever it is given, so ``execute`` is the truthful answer.
    """
    if isinstance(executor, Decider):
        return executor.decide(call, spec)
    return Verdict(
        "execute",
        CallReason.EXECUTED,
        f"{type(executor).__name__} has no guard: it runs the call as written",
        call,
    )


class WrapperExecutor:
    """Base of every guard: forwards to ``inner``. Subclasses override ``execute``."""

    def __init__(self, inner: Executor) -> None:
        self.inner = inner

    def execute(self, call: ApiCall, spec: ApiSpec) -> CallResult:
        return self.inner.execute(call, spec)

    def preview(self, call: ApiCall, spec: ApiSpec) -> dict[str, Any]:
        if not isinstance(self.inner, Previewer):
            raise UsageError(f"{type(self.inner).__name__} cannot preview calls (it has no preview method)")
        return self.inner.preview(call, spec)

    def decide(self, call: ApiCall, spec: ApiSpec) -> Verdict:
        return verdict_of(self.inner, call, spec)


class ValidatingExecutor(WrapperExecutor):
    """Validates and coerces arguments; an invalid call is returned as ``invalid`` and never dispatched.

    For use on its own: ``GuardedExecutor`` validates as the first step of its verdict already.
    """

    def execute(self, call: ApiCall, spec: ApiSpec) -> CallResult:
        started = time.perf_counter()
        checked = checked_call(call, spec)
        if isinstance(checked, Verdict):
            return _refused(checked, CallStatus.INVALID, started)
        result = self.inner.execute(checked, spec)
        result.timings.setdefault("validate_s", time.perf_counter() - started)
        return result


class GuardedExecutor(WrapperExecutor):
    """Acts on the ``Guard``'s verdict: runs, asks ``confirm``, previews (dry run), or refuses with why.

    ``decide`` returns that same verdict without acting, which is what ``plan`` shows. The arguments are
    the ``Guard``'s (see ``execution/guard.py``); ``guard=`` passes a ready one instead.
    """

    def __init__(
        self,
        inner: Executor,
        policy: Policy | None = None,
        confirm: ConfirmCallback | None = None,
        *,
        assume_yes: bool = False,
        restrictions: tuple[Policy, ...] = (),
        guard: Guard | None = None,
    ) -> None:
        super().__init__(inner)
        self.guard = guard or Guard(policy, confirm, assume_yes=assume_yes, restrictions=restrictions)

    def decide(self, call: ApiCall, spec: ApiSpec) -> Verdict:
        return self.guard.decide(call, spec)

    def execute(self, call: ApiCall, spec: ApiSpec) -> CallResult:
        started = time.perf_counter()
        verdict = self.guard.decide(call, spec)
        if verdict.action == "invalid":
            return _refused(verdict, CallStatus.INVALID, started)
        if verdict.action == "deny" or (verdict.action == "ask" and not verdict.confirm_with):
            return _refused(verdict, CallStatus.DENIED, started)
        if verdict.action == "dry_run":
            return preview_result(self, verdict.call, spec)
        if verdict.action == "ask":
            declined = self._declined(verdict, spec)
            if declined:
                return _refused(verdict, CallStatus.DENIED, started, declined)
        result = self.inner.execute(verdict.call, spec)
        result.timings.setdefault("guard_s", time.perf_counter() - started)
        return result

    def _declined(self, verdict: Verdict, spec: ApiSpec) -> str:
        """Ask the callback: "" when it approves, else why not (a callback that raises has declined)."""
        confirm = self.guard.confirm
        if confirm is None:  # unreachable: an ``ask`` verdict with confirm_with has a callback
            return "no confirm callback"
        try:
            approved = confirm(verdict.call, spec, verdict.message)
        except Exception as exc:  # a broken prompt must not approve the call
            return f"the confirm callback failed ({type(exc).__name__}: {exc})"
        return "" if approved is True else "declined by the user"


def _refused(verdict: Verdict, status: CallStatus, started: float, note: str = "") -> CallResult:
    """The result for a call the guard did not let out: the verdict's code, and its message as the error."""
    error = f"{note}: {verdict.message}" if note else verdict.message
    return CallResult(
        call=verdict.call,
        status=status,
        reason=verdict.code,
        error=error,
        timings={"validate_s": time.perf_counter() - started},
    )


class DryRunExecutor(WrapperExecutor):
    """Returns ``dry_run`` with the exact request the inner executor would send; sends nothing."""

    def __init__(self, inner: Executor) -> None:
        if not isinstance(inner, Previewer):
            raise UsageError(
                f"DryRunExecutor needs an executor with preview(); {type(inner).__name__} has none"
            )
        super().__init__(inner)

    def execute(self, call: ApiCall, spec: ApiSpec) -> CallResult:
        return preview_result(self, call, spec)


def preview_result(executor: WrapperExecutor, call: ApiCall, spec: ApiSpec) -> CallResult:
    """A ``dry_run`` result describing what ``executor`` would send (``error`` if it cannot be built)."""
    try:
        request = executor.preview(call, spec)
    except UsageError:
        raise
    except RouterError as exc:
        return CallResult(
            call=call,
            status=CallStatus.ERROR,
            reason=CallReason.EXECUTION_FAILED,
            error=f"{type(exc).__name__}: {exc}",
        )
    return CallResult(call=call, status=CallStatus.DRY_RUN, reason=CallReason.DRY_RUN, request=request)
