"""The execution seam: an ``Executor`` runs one validated ``ApiCall`` against its ``ApiSpec``.

Contract
--------
``execute(call, spec)`` returns a ``CallResult``: ``ok`` with the output, ``dry_run`` with the ``request``
that would be sent, ``denied`` when a guard refused, ``invalid`` when the arguments do not fit the schema,
``error`` when the dispatched call failed (the message names what failed; secrets never appear). It does
not raise for those outcomes: errors are data in the result so an agent can read them. It raises only for
misuse (``UsageError``, e.g. a spec of a kind it cannot run). Guards are thin wrappers that hold another
``Executor`` and override one method.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from gorilla_router.specs import ApiCall, ApiSpec, CallResult

__all__ = ["Executor", "Previewer"]


@runtime_checkable
class Executor(Protocol):
    def execute(self, call: ApiCall, spec: ApiSpec) -> CallResult: ...


@runtime_checkable
class Previewer(Protocol):
    """An executor that can say exactly what it would send, without sending it (used by dry runs).

    ``preview(call, spec)`` returns the ``CallResult.request`` description: for REST ``method``, ``url``,
    ``headers`` (secrets masked) and ``body``; for Python ``callable`` and ``arguments``. It raises
    ``RouterError`` subclasses when the request cannot be built (e.g. a missing credential).
    """

    def preview(self, call: ApiCall, spec: ApiSpec) -> dict[str, Any]: ...
