"""gorilla_router: turn a sentence into a safe, executed API call.

The public API is what ``__all__`` lists; everything else is an implementation detail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gorilla_router._memory import limit_kernel_caches
from gorilla_router._threads import prefer_passive_waiting
from gorilla_router.config import RouterConfig
from gorilla_router.errors import (
    BackendError,
    ConfigError,
    ExecutionError,
    ExecutionTimeout,
    GenerationError,
    IndexMismatchError,
    MissingDependencyError,
    ModelOutputError,
    PolicyDenied,
    RetrievalError,
    RouterError,
    SpecError,
    UnknownBackendError,
    UnsafeTargetError,
    UsageError,
    ValidationError,
)
from gorilla_router.plan import Plan, PlannedCall
from gorilla_router.router import GorillaRouter
from gorilla_router.specs import (
    ApiCall,
    ApiSpec,
    CallReason,
    CallResult,
    CallStatus,
    Candidate,
    Example,
    MissingInput,
    PythonSpec,
    RestSpec,
)

prefer_passive_waiting()  # before anything imports torch (none of the imports above does): _threads
limit_kernel_caches()  # likewise: oneDNN reads its cache size once (_memory)

if TYPE_CHECKING:
    from gorilla_router.execution.policy import Policy

__version__ = "0.1.0"

__all__ = [
    "ApiCall",
    "ApiSpec",
    "BackendError",
    "CallReason",
    "CallResult",
    "CallStatus",
    "Candidate",
    "ConfigError",
    "Example",
    "ExecutionError",
    "ExecutionTimeout",
    "GenerationError",
    "GorillaRouter",
    "IndexMismatchError",
    "MissingDependencyError",
    "MissingInput",
    "ModelOutputError",
    "Plan",
    "PlannedCall",
    "Policy",
    "PolicyDenied",
    "PythonSpec",
    "RestSpec",
    "RetrievalError",
    "RouterConfig",
    "RouterError",
    "SpecError",
    "UnknownBackendError",
    "UnsafeTargetError",
    "UsageError",
    "ValidationError",
    "__version__",
]


def __getattr__(name: str) -> Any:
    """``Policy`` loads on first use: it pulls in the execution package (jsonschema), which a CLI start-up
    or a search-only user does not need."""
    if name == "Policy":
        from gorilla_router.execution.policy import Policy

        return Policy
    raise AttributeError(f"module 'gorilla_router' has no attribute {name!r}")
