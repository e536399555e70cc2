"""Generation: model backends turn (query, candidate APIs) into ``ApiCall``s; parsing reads model output.

Light to import: backends that need heavy libraries (torch, transformers) are imported only when
``load_backend`` builds them.
"""

from __future__ import annotations

from gorilla_router.generation.base import ModelBackend
from gorilla_router.generation.parsing import parse_call, parse_call_expression, parse_calls, parse_tool_calls
from gorilla_router.generation.prompts import PromptFormat, default_prompt_format, get_prompt_format
from gorilla_router.generation.pycalls import literal_value
from gorilla_router.generation.registry import load_backend
from gorilla_router.generation.testing import TestModel
from gorilla_router.generation.toolnames import resolve_api_id, tool_name_for

__all__ = [
    "ModelBackend",
    "PromptFormat",
    "TestModel",
    "default_prompt_format",
    "get_prompt_format",
    "literal_value",
    "load_backend",
    "parse_call",
    "parse_call_expression",
    "parse_calls",
    "parse_tool_calls",
    "resolve_api_id",
    "tool_name_for",
]
