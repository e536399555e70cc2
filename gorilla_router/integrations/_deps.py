"""The optional extras the integrations need, and the one message that says how to install them.

LangChain and the MCP SDK are optional: a user of the plain router should not pay for them. Each
integration module imports its framework at the top inside ``try``; a missing extra becomes a
``MissingDependencyError`` naming the exact ``pip install`` line instead of a bare ``ModuleNotFoundError``.
"""

from __future__ import annotations

import importlib.util

from gorilla_router.errors import MissingDependencyError

__all__ = ["LANGCHAIN_INSTALL", "MCP_INSTALL", "missing"]

LANGCHAIN_INSTALL = "pip install 'gorilla-router[langchain]'"
MCP_INSTALL = "pip install 'gorilla-router[mcp]'"


def missing(exc: ImportError, install: str, feature: str) -> MissingDependencyError:
    """The error to raise ``from exc`` when ``feature``'s framework cannot be imported."""
    name = getattr(exc, "name", None) or "its framework"
    if isinstance(exc, ModuleNotFoundError) and "." in name and _importable(name.split(".", 1)[0]):
        return MissingDependencyError(
            f"{feature} cannot use the installed {name.split('.', 1)[0]!r}: it has no module {name!r} "
            f"(too old or too new); install a supported version: {install}"
        )
    if isinstance(exc, ModuleNotFoundError):
        return MissingDependencyError(
            f"{feature} needs the package {name!r}, which is not installed: {install}"
        )
    return MissingDependencyError(
        f"{feature} cannot use the installed {name!r} ({exc}); install a supported version: {install}"
    )


def _importable(package: str) -> bool:
    try:
        return importlib.util.find_spec(package) is not None
    except (ImportError, ValueError):
        return False
