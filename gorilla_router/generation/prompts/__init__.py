"""Prompt formats, one module per model family, chosen by a short name.

* ``openfunctions_v2`` — ``openfunctions:OpenFunctionsV2Format``, gorilla-llm/gorilla-openfunctions-v2;
* ``apibench`` — ``apibench:ApiBenchFormat``, the 2023 Gorilla APIBench models;
* ``chat_tools`` — ``chat_tools:ChatToolsFormat``, instruct models and OpenAI-compatible servers;
* ``fewshot`` — ``fewshot:FewShotFormat`` (generation part A's module), base models such as the embedded
  Gemma 3 270M.

Modules are imported when a format is asked for, so an unused format costs nothing.
``default_prompt_format`` picks a format from a model name; every backend lets the caller override it.
"""

from __future__ import annotations

import difflib
import importlib

from gorilla_router.errors import UnknownBackendError
from gorilla_router.generation.prompts.base import PromptFormat, function_schema, specs_of

__all__ = [
    "PROMPT_FORMATS",
    "PromptFormat",
    "default_prompt_format",
    "function_schema",
    "get_prompt_format",
    "specs_of",
]

PROMPT_FORMATS: dict[str, tuple[str, str]] = {
    "openfunctions_v2": ("openfunctions", "OpenFunctionsV2Format"),
    "apibench": ("apibench", "ApiBenchFormat"),
    "chat_tools": ("chat_tools", "ChatToolsFormat"),
    "fewshot": ("fewshot", "FewShotFormat"),
}
_ALIASES = {
    "openfunctions": "openfunctions_v2",
    "gorilla": "openfunctions_v2",
    "tools": "chat_tools",
    "chat": "chat_tools",
    "few_shot": "fewshot",
    "few-shot": "fewshot",
}


def get_prompt_format(name: str | PromptFormat) -> PromptFormat:
    """The format called ``name`` (a ready ``PromptFormat`` is returned as is)."""
    if not isinstance(name, str):
        return name
    key = _ALIASES.get(name.strip().lower(), name.strip().lower())
    if key not in PROMPT_FORMATS:
        close = difflib.get_close_matches(key, [*PROMPT_FORMATS, *_ALIASES], n=3, cutoff=0.5)
        hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise UnknownBackendError(
            f"unknown prompt format {name!r}.{hint} Known formats: {', '.join(PROMPT_FORMATS)}"
        )
    module_name, class_name = PROMPT_FORMATS[key]
    module = importlib.import_module(f"{__name__}.{module_name}")
    prompt_format: PromptFormat = getattr(module, class_name)()
    return prompt_format


def default_prompt_format(model: str) -> str:
    """The format a model family was trained on, from its name (hub id, path or server model name)."""
    lowered = model.lower()
    if "openfunctions" in lowered:
        return "openfunctions_v2"
    if "gorilla" in lowered:
        return "apibench"
    if "embedded" in lowered or ("270m" in lowered and "-it" not in lowered):
        return "fewshot"
    return "chat_tools"
