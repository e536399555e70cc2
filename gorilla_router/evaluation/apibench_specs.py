"""APIBench database records as ``ApiSpec``s — the one builder for ``eval apibench`` and the benchmarks.

A record (``api/<hub>_api.jsonl``) becomes a never-executed python spec: its callable points into
:mod:`gorilla_router.evaluation.unexecuted` (APIBench scores the call a model writes; there is nothing behind
it to run), its domain and functionality become tags, and — for retrieval measurements — its
``api_arguments`` can become declared string parameters, whose names and values then join the indexed text.
"""

from __future__ import annotations

import json
import re
from typing import Any

from gorilla_router.evaluation.function_docs import UNEXECUTED_MODULE
from gorilla_router.specs import ApiSpec

__all__ = ["identifier_slug", "record_parameters", "record_spec"]

_NOT_ID = re.compile(r"[^A-Za-z0-9_]+")


def identifier_slug(text: str) -> str:
    """``text`` as a valid identifier segment: other characters become ``_``; a leading digit gets ``m_``."""
    slug = _NOT_ID.sub("_", text).strip("_") or "api"
    return slug if not slug[0].isdigit() else f"m_{slug}"


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def record_parameters(record: dict[str, Any]) -> dict[str, Any]:
    """The record's ``api_arguments`` as a JSON Schema object of string parameters (described by value).

    APIBench gives arguments either as ``{name: value}`` or as a list of names; anything else declares none.
    """
    arguments = record.get("api_arguments")
    properties: dict[str, Any] = {}
    if isinstance(arguments, dict):
        properties = {
            identifier_slug(name): {"type": "string", "description": _as_text(value)}
            for name, value in arguments.items()
        }
    elif isinstance(arguments, list):
        properties = {identifier_slug(a)[:60]: {"type": "string"} for a in arguments if isinstance(a, str)}
    return {"type": "object", "properties": properties, "required": []}


def record_spec(
    hub: str,
    index: int,
    record: dict[str, Any],
    *,
    api_id: str | None = None,
    with_arguments: bool = False,
) -> ApiSpec:
    """Record ``index`` of ``hub``'s database as a spec offered to retrievers and backends.

    The id is ``<hub>.r<index>_<name>`` unless ``api_id`` is given (the provider is the id's first segment);
    ``with_arguments`` declares the record's arguments (see :func:`record_parameters`).
    """
    slug = _NOT_ID.sub("_", str(record.get("api_name", "")))[:60].strip("_") or "api"
    tags = [t for t in (str(record.get("domain", "")), str(record.get("functionality", ""))) if t]
    return ApiSpec(
        id=api_id or f"{hub}.r{index}_{slug}",
        name=str(record.get("api_name") or f"record {index}"),
        description=str(record.get("description") or record.get("functionality") or "APIBench API"),
        kind="python",
        callable=f"{UNEXECUTED_MODULE}:{hub}_r{index}",
        parameters=record_parameters(record) if with_arguments else {"type": "object", "properties": {}},
        tags=list(dict.fromkeys(tags)),
        side_effects="none",
    )
