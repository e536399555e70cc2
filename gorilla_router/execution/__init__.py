"""Execution: validate a call's arguments, apply the guard policy, and run it safely.

The router uses ``build_executor``; every piece is also usable alone (see each module's docstring).
Heavy pieces (``RestExecutor`` pulls in requests, ``PythonExecutor`` a process pool) are imported lazily.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gorilla_router.execution.audit import AuditLogExecutor
from gorilla_router.execution.base import Decider, Executor, Previewer
from gorilla_router.execution.dispatch import KindDispatcher, build_executor
from gorilla_router.execution.fakes import RecordingExecutor
from gorilla_router.execution.guard import Guard
from gorilla_router.execution.policy import Action, Decision, Policy
from gorilla_router.execution.validation import validate_arguments
from gorilla_router.execution.wrappers import (
    ConfirmCallback,
    DryRunExecutor,
    GuardedExecutor,
    ValidatingExecutor,
    WrapperExecutor,
    verdict_of,
)

if TYPE_CHECKING:
    from gorilla_router.execution.python_exec import PythonExecutor
    from gorilla_router.execution.request_builder import OutgoingRequest, build_request
    from gorilla_router.execution.rest import RestExecutor

__all__ = [
    "Action",
    "AuditLogExecutor",
    "ConfirmCallback",
    "Decider",
    "Decision",
    "DryRunExecutor",
    "Executor",
    "Guard",
    "GuardedExecutor",
    "KindDispatcher",
    "OutgoingRequest",
    "Policy",
    "Previewer",
    "PythonExecutor",
    "RecordingExecutor",
    "RestExecutor",
    "ValidatingExecutor",
    "WrapperExecutor",
    "build_executor",
    "build_request",
    "validate_arguments",
    "verdict_of",
]

_LAZY = {
    "RestExecutor": "gorilla_router.execution.rest",
    "PythonExecutor": "gorilla_router.execution.python_exec",
    "OutgoingRequest": "gorilla_router.execution.request_builder",
    "build_request": "gorilla_router.execution.request_builder",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'gorilla_router.execution' has no attribute {name!r}")
