"""gorilla_router: turn a sentence into a safe, executed API call.

The public API is what ``__all__`` lists; everything else is an implementation detail.
"""

from __future__ import annotations

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
)

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
    "PolicyDenied",
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
