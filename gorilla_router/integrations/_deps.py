"""The optional extras the integrations need, and the one message that says how to install them.

LangChain and the MCP SDK are optional: a user of the plain router should not pay for them. Each
integration module imports its framework at the top inside ``try``; a missing extra becomes a
``MissingDependencyError`` naming the exact ``pip install`` line instead of a bare ``ModuleNotFoundError``.
"""

from __future__ import annotations

from gorilla_router.errors import MissingDependencyError

__all__ = ["LANGCHAIN_INSTALL", "MCP_INSTALL", "missing"]

LANGCHAIN_INSTALL = "pip install 'gorilla-router[langchain]'"
MCP_INSTALL = "pip install 'gorilla-router[mcp]'"


def missing(exc: ImportError, install: str, feature: str) -> MissingDependencyError:
    """The error to raise ``from exc`` when ``feature``'s framework cannot be imported."""
    name = getattr(exc, "name", None) or "its framework"
    return MissingDependencyError(f"{feature} needs the package {name!r}, which is not installed: {install}")
