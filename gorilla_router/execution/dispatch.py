"""Route each call to the executor for its kind, and compose the full guarded executor.

``build_executor`` is what the router calls. The stack, outermost first::

    AuditLogExecutor → GuardedExecutor (validate → policy → dry-run → confirm) → KindDispatcher

The audit log is outermost (a deviation from the design's arrow order, on purpose) so that invalid and
denied calls are logged too, not only the ones that were dispatched. Dry-run is the guard's verdict, not a
layer of its own: one place decides whether anything is sent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gorilla_router.errors import UsageError
from gorilla_router.execution.audit import AuditLogExecutor
from gorilla_router.execution.base import Executor, Previewer
from gorilla_router.execution.guard import ConfirmCallback
from gorilla_router.execution.policy import Policy
from gorilla_router.execution.wrappers import GuardedExecutor
from gorilla_router.specs import ApiCall, ApiSpec, CallResult

__all__ = ["KindDispatcher", "build_executor"]


class KindDispatcher:
    """Sends ``rest`` specs to ``rest`` and ``python`` specs to ``python``."""

    def __init__(self, rest: Executor, python: Executor) -> None:
        self.by_kind: dict[str, Executor] = {"rest": rest, "python": python}

    def _for(self, spec: ApiSpec) -> Executor:
        try:
            return self.by_kind[spec.kind]
        except KeyError:
            raise UsageError(f"no executor for API kind {spec.kind!r} (known: rest, python)") from None

    def execute(self, call: ApiCall, spec: ApiSpec) -> CallResult:
        return self._for(spec).execute(call, spec)

    def preview(self, call: ApiCall, spec: ApiSpec) -> dict[str, Any]:
        executor = self._for(spec)
        if not isinstance(executor, Previewer):
            raise UsageError(f"the {spec.kind} executor {type(executor).__name__} cannot preview calls")
        return executor.preview(call, spec)


def build_executor(
    policy: Policy | None = None,
    confirm: ConfirmCallback | None = None,
    audit_log: Path | str | None = None,
    rest: Executor | None = None,
    python: Executor | None = None,
    *,
    assume_yes: bool = False,
    restrictions: tuple[Policy, ...] = (),
) -> Executor:
    """The executor the router uses: guard (validate, policy, dry-run, confirm), dispatch — audited when
    ``audit_log`` is set. ``policy``, ``confirm``, ``assume_yes`` and ``restrictions`` go to the ``Guard``.

    ``rest``/``python`` default to ``RestExecutor()`` (no private addresses) and ``PythonExecutor()``
    (one sandbox worker, started on first use). Pass configured ones to allow private hosts, override base
    URLs or change limits.
    """
    if rest is None:
        from gorilla_router.execution.rest import RestExecutor

        rest = RestExecutor()
    if python is None:
        from gorilla_router.execution.python_exec import PythonExecutor

        python = PythonExecutor()
    executor: Executor = GuardedExecutor(
        KindDispatcher(rest, python), policy, confirm, assume_yes=assume_yes, restrictions=restrictions
    )
    if audit_log is not None:
        executor = AuditLogExecutor(executor, audit_log)
    return executor
