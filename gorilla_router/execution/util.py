"""Small checks shared by the executors."""

from __future__ import annotations

from typing import TypeVar, get_args

from gorilla_router.errors import UsageError
from gorilla_router.specs import ApiCall, ApiSpec

__all__ = ["check_call_for_spec"]

SpecT = TypeVar("SpecT", bound=ApiSpec)


def check_call_for_spec(call: ApiCall, spec: ApiSpec, kind: type[SpecT]) -> SpecT:
    """Refuse a call paired with another API's spec, or a spec this executor cannot run (caller bugs).

    Returns the spec as the executor's own kind (``PythonSpec`` or ``RestSpec``), so the executor reads
    that kind's fields without re-checking them.
    """
    if call.api_id != spec.id:
        raise UsageError(
            f"call is for {call.api_id!r} but the spec given is {spec.id!r}; pass the call's own spec"
        )
    if not isinstance(spec, kind):
        runs = "/".join(get_args(kind.model_fields["kind"].annotation))
        raise UsageError(f"{spec.id!r} is a {spec.kind} API; this executor runs only {runs} APIs")
    return spec
