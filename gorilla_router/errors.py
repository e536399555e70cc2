"""One exception hierarchy for the whole package.

Three families are kept apart on purpose, because callers react to them differently:

* **you misused the API** (``UsageError``) — fix the code or the configuration; retrying is pointless;
* **the model can retry this** (``ModelOutputError``) — the model wrote something unusable; feeding the
  message back to it (or sampling again) may succeed;
* **this failed** (``PolicyDenied``, ``ExecutionError``, ``RetrievalError``, ``BackendError``) — a real
  operation was refused or went wrong.

::

    RouterError
    ├── UsageError                  you misused the API (bad argument, bad configuration)
    │   ├── ConfigError             a configuration value or file is wrong
    │   ├── UnknownBackendError     a backend name that does not exist ("did you mean …")
    │   └── MissingDependencyError  an optional extra is not installed (also an ImportError)
    ├── SpecError                   a zoo entry or zoo file is invalid (carries ``problems``)
    ├── RetrievalError              the index cannot answer
    │   └── IndexMismatchError      the index was built with another embedding model / dimension
    ├── ModelOutputError            the model's output is unusable — the model can retry
    │   ├── GenerationError         unparseable output, or it names an API that is not a candidate
    │   └── ValidationError         the arguments do not fit the API's parameter schema
    ├── BackendError                a model backend / server failed (HTTP error, crash, time-out)
    ├── PolicyDenied                the guard refused the call (or the user declined it)
    └── ExecutionError              the call ran and failed
        ├── UnsafeTargetError       the REST target resolves to a refused address (SSRF defence)
        └── ExecutionTimeout        the call did not finish in time

Third-party exceptions are mapped to these in one place per seam and always raised ``from`` the original.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "BackendError",
    "ConfigError",
    "ExecutionError",
    "ExecutionTimeout",
    "GenerationError",
    "IndexMismatchError",
    "MissingDependencyError",
    "ModelOutputError",
    "PolicyDenied",
    "Problem",
    "RetrievalError",
    "RouterError",
    "SpecError",
    "UnknownBackendError",
    "UnsafeTargetError",
    "UsageError",
    "ValidationError",
]


class RouterError(Exception):
    """Root of every error this package raises on purpose."""


class UsageError(RouterError):
    """The caller misused the API or the configuration; retrying will not help."""


class ConfigError(UsageError):
    """A configuration value or file is wrong; the message names it and the fix."""


class UnknownBackendError(UsageError):
    """A backend string names nothing we know; the message suggests the closest names."""


class MissingDependencyError(UsageError, ImportError):
    """An optional dependency is missing; the message gives the exact ``pip install`` line."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a zoo entry: where it is and what is wrong, printable as one line."""

    file: str
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.entry}: {self.field}: {self.message}"


class SpecError(RouterError):
    """A zoo entry or file is invalid. ``problems`` lists every problem found, one line each."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        self.problems: list[Problem] = list(problems)
        if self.problems:
            message = message + "\n" + "\n".join(str(p) for p in self.problems)
        super().__init__(message)


class RetrievalError(RouterError):
    """The index or retriever cannot answer."""


class IndexMismatchError(RetrievalError):
    """The index was built with another embedding model or dimension than the one configured."""


class ModelOutputError(RouterError):
    """The model's output cannot be used as it is. The model can retry: the message says why.

    ``raw`` keeps the offending model text so it can be quoted back to the model or to a person.
    """

    def __init__(self, message: str, raw: str = "") -> None:
        self.raw = raw
        super().__init__(message)


class GenerationError(ModelOutputError):
    """The model output does not parse as calls, or names an API that is not among the candidates."""


class ValidationError(ModelOutputError):
    """A call's arguments do not fit the API's parameter schema. ``errors`` lists one message per issue."""

    def __init__(self, message: str, errors: Sequence[str] = (), raw: str = "") -> None:
        self.errors: list[str] = list(errors)
        super().__init__(message, raw=raw)


class BackendError(RouterError):
    """A model backend failed (server unreachable, HTTP error, crash): not the model's output's fault."""


class PolicyDenied(RouterError):
    """The guard refused the call, or a person declined to confirm it."""


class ExecutionError(RouterError):
    """The call was dispatched and failed. ``error_type`` names the remote/child exception type if known."""

    def __init__(self, message: str, error_type: str | None = None) -> None:
        self.error_type = error_type
        super().__init__(message)


class UnsafeTargetError(ExecutionError):
    """A REST target (or a redirect) resolves to an address the SSRF defence refuses."""


class ExecutionTimeout(ExecutionError):
    """The call did not finish within its time limit and was stopped."""
