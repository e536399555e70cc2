"""Small checks shared by the executors."""

from __future__ import annotations

from gorilla_router.errors import UsageError
from gorilla_router.specs import ApiCall, ApiSpec

__all__ = ["check_call_for_spec"]


def check_call_for_spec(call: ApiCall, spec: ApiSpec, kind: str) -> None:
    """Refuse a call paired with another API's spec, or a spec this executor cannot run (caller bugs)."""
    if call.api_id != spec.id:
        raise UsageError(
            f"call is for {call.api_id!r} but the spec given is {spec.id!r}; pass the call's own spec"
        )
    if spec.kind != kind:
        raise UsageError(f"{spec.id!r} is a {spec.kind} API; this executor runs only {kind} APIs")
