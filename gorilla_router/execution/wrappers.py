"""Guards as thin wrappers: each holds another executor and overrides ``execute`` only.

``WrapperExecutor`` forwards both ``execute`` and ``preview`` to the wrapped executor, so a stack of
wrappers still previews exactly what the innermost executor would send.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from gorilla_router.errors import RouterError, SpecError, UsageError, ValidationError
from gorilla_router.execution.base import Executor, Previewer
from gorilla_router.execution.policy import Policy, allow_hint
from gorilla_router.execution.validation import validate_arguments
from gorilla_router.specs import ApiCall, ApiSpec, CallResult, CallStatus

__all__ = ["ConfirmCallback", "DryRunExecutor", "GuardedExecutor", "ValidatingExecutor", "WrapperExecutor"]

#: Asked before a call whose policy decision is "ask": (call, spec, reason) → True to run it.
ConfirmCallback = Callable[[ApiCall, ApiSpec, str], bool]


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


class ValidatingExecutor(WrapperExecutor):
    """Validates and coerces arguments; an invalid call is returned as ``invalid`` and never dispatched."""

    def execute(self, call: ApiCall, spec: ApiSpec) -> CallResult:
        started = time.perf_counter()
        try:
            checked = validate_arguments(call, spec)
        except ValidationError as exc:
            lines = (
                [f"invalid arguments for {spec.id}:", *(f"- {e}" for e in exc.errors)]
                if exc.errors
                else [str(exc)]
            )
            return CallResult(
                call=call,
                status=CallStatus.INVALID,
                error="\n".join(lines),
                timings={"validate_s": time.perf_counter() - started},
            )
        except SpecError as exc:
            return CallResult(call=call, status=CallStatus.ERROR, error=str(exc))
        elapsed = time.perf_counter() - started
        result = self.inner.execute(checked, spec)
        result.timings.setdefault("validate_s", elapsed)
        return result


class GuardedExecutor(WrapperExecutor):
    """Applies a ``Policy``: runs, asks ``confirm`` (no callback → denied), or denies with the reason.

    With ``policy.dry_run`` it previews every call it does not deny instead of running it.
    """

    def __init__(
        self, inner: Executor, policy: Policy | None = None, confirm: ConfirmCallback | None = None
    ) -> None:
        super().__init__(inner)
        self.policy = policy or Policy()
        self.confirm = confirm

    def execute(self, call: ApiCall, spec: ApiSpec) -> CallResult:
        decision = self.policy.decide(call, spec)
        if decision.action == "deny":
            return CallResult(call=call, status=CallStatus.DENIED, error=f"denied: {decision.reason}")
        if self.policy.dry_run:  # never send in a dry run, whatever the wrapped executor is
            return preview_result(self, call, spec)
        if decision.action == "ask":
            if self.confirm is None:
                return CallResult(
                    call=call,
                    status=CallStatus.DENIED,
                    error=(
                        f"confirmation required: {decision.reason}, and no confirm callback was given. "
                        f"Pass confirm=… (the CLI asks y/N), run with dry_run=True to preview it, "
                        f"or {allow_hint(spec.id)}"
                    ),
                )
            started = time.perf_counter()
            try:
                approved = self.confirm(call, spec, decision.reason)
            except Exception as exc:  # a broken prompt must not approve the call
                approved = False
                decision_note = f"the confirm callback failed ({type(exc).__name__}: {exc})"
            else:
                decision_note = "declined by the user"
            if not approved:
                return CallResult(
                    call=call, status=CallStatus.DENIED, error=f"{decision_note}: {decision.reason}"
                )
            result = self.inner.execute(call, spec)
            result.timings.setdefault("confirm_s", time.perf_counter() - started)
            return result
        return self.inner.execute(call, spec)


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
        return CallResult(call=call, status=CallStatus.ERROR, error=f"{type(exc).__name__}: {exc}")
    return CallResult(call=call, status=CallStatus.DRY_RUN, request=request)
