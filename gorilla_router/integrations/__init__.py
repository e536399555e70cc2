"""Integrations: LangChain (tool, retriever, chat-model adapter) and an MCP server.

Nothing here is imported eagerly: LangChain and the MCP SDK are optional extras. Names are resolved on
first access, so ``from gorilla_router.integrations import GorillaRouterTool`` works when the ``langchain``
extra is installed and raises ``MissingDependencyError`` with the ``pip install`` line when it is not.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "FakeToolCallingModel",
    "GorillaChatModel",
    "GorillaInlineRunnable",
    "GorillaRouterRetriever",
    "GorillaRouterTool",
    "build_mcp_server",
    "candidate_to_document",
    "format_result",
]

_WHERE = {
    "GorillaRouterTool": "langchain_tool",
    "format_result": "langchain_tool",
    "GorillaRouterRetriever": "langchain_retriever",
    "candidate_to_document": "langchain_retriever",
    "GorillaChatModel": "langchain_chat",
    "GorillaInlineRunnable": "langchain_inline",
    "FakeToolCallingModel": "langchain_testing",
    "build_mcp_server": "mcp_server",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
