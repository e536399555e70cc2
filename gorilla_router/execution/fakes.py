"""``RecordingExecutor``: a fake of the execution seam for fast tests of other stages.

It records every ``(call, spec)`` it receives and returns a scripted result per API id: a ``CallResult``
(returned with ``call`` filled in), a callable ``(call, spec) -> CallResult``, or any other value used
as the ``ok`` output. Unscripted APIs return ``ok`` with ``{"api_id": ..., "arguments": ...}``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from gorilla_router.specs import ApiCall, ApiSpec, CallReason, CallResult, CallStatus

__all__ = ["RecordingExecutor"]


class RecordingExecutor:
    """Records calls; returns scripted results. Also previews, so it can sit under a ``DryRunExecutor``."""

    def __init__(self, script: Mapping[str, Any] | None = None) -> None:
        self.script: dict[str, Any] = dict(script or {})
        self.calls: list[tuple[ApiCall, ApiSpec]] = []

    def execute(self, call: ApiCall, spec: ApiSpec) -> CallResult:
        self.calls.append((call, spec))
        scripted = self.script.get(call.api_id, _UNSCRIPTED)
        if scripted is _UNSCRIPTED:
            return CallResult(
                call=call,
                status=CallStatus.OK,
                reason=CallReason.EXECUTED,
                output={"api_id": call.api_id, "arguments": dict(call.arguments)},
            )
        if isinstance(scripted, CallResult):
            return scripted.model_copy(update={"call": call})
        if callable(scripted):
            result: CallResult = _as_factory(scripted)(call, spec)
            return result
        return CallResult(call=call, status=CallStatus.OK, reason=CallReason.EXECUTED, output=scripted)

    def preview(self, call: ApiCall, spec: ApiSpec) -> dict[str, Any]:
        return {"kind": spec.kind, "api_id": call.api_id, "arguments": dict(call.arguments)}

    @property
    def api_ids(self) -> list[str]:
        return [call.api_id for call, _ in self.calls]


_UNSCRIPTED = object()


def _as_factory(value: Any) -> Callable[[ApiCall, ApiSpec], CallResult]:
    return value  # type: ignore[no-any-return]
