"""The execution seam: an ``Executor`` runs one validated ``ApiCall`` against its ``ApiSpec``.

Contract
--------
``execute(call, spec)`` returns a ``CallResult``: ``ok`` with the output, ``dry_run`` with the ``request``
that would be sent, ``denied`` when a guard refused, ``invalid`` when the arguments do not fit the schema,
``error`` when the dispatched call failed (the message names what failed; secrets never appear). It does
not raise for those outcomes: errors are data in the result so an agent can read them. It raises only for
misuse (``UsageError``, e.g. a spec of a kind it cannot run). Guards are thin wrappers that hold another
``Executor`` and override one method.

A stack that contains a guard is also a ``Decider``: it can say what ``execute`` would do without doing it.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from gorilla_router.specs import ApiCall, ApiSpec, CallResult
from gorilla_router.verdict import Verdict

__all__ = ["Decider", "Executor", "Previewer"]


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


@runtime_checkable
class Decider(Protocol):
    """An executor that can say what it would do with a call, without doing it (used by ``plan``).

    Contract: ``decide(call, spec)`` returns the very ``Verdict`` that ``execute(call, spec)`` acts on — the
    same validation, policy, dry-run and confirmation settings — and has no side effects: it never asks a
    confirm callback, never sends, never writes the audit log. ``plan`` and ``run`` agree because of it.
    """

    def decide(self, call: ApiCall, spec: ApiSpec) -> Verdict: ...
