"""The published JSON Schema of one API Zoo entry, generated from the ``ApiSpec`` kinds and checked in.

Contributors (and their editors) validate entries against ``apizoo/schema.json``; generating it from the
model keeps the two from drifting, and a test fails when the checked-in copy is stale.
Regenerate with ``gorilla-router zoo schema --write``.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

from gorilla_router.paths import bundled_zoo_dir
from gorilla_router.specs import SPEC_ADAPTER, ApiSpec

__all__ = [
    "REGENERATE_COMMAND",
    "entry_schema",
    "entry_schema_text",
    "schema_is_current",
    "schema_path",
    "write_schema",
]

REGENERATE_COMMAND = "gorilla-router zoo schema --write"
SCHEMA_ID = "https://github.com/gorilla-router/gorilla-router/blob/main/apizoo/schema.json"


def entry_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) for one entry of a provider file: one of ``PythonSpec`` or ``RestSpec``.

    Generated from the tagged union rather than the ``ApiSpec`` base, so an editor already knows what each
    ``kind`` requires (``callable``; ``method``, ``base_url``, ``path``) and forbids.
    """
    union = SPEC_ADAPTER.json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "$comment": f"Generated from gorilla_router.specs.ApiSpec; do not edit; run: {REGENERATE_COMMAND}",
        "title": "ApiSpec",
        "description": inspect.cleandoc(ApiSpec.__doc__ or ""),
        "$defs": union["$defs"],
        **_each_kind_on_its_own(union["discriminator"]["mapping"]),
    }


def _each_kind_on_its_own(mapping: dict[str, str]) -> dict[str, Any]:
    """``if kind is K then K's schema``, one rule per kind, in place of pydantic's ``oneOf``.

    Plain JSON Schema validators ignore OpenAPI's ``discriminator``: under ``oneOf`` a typo in a python entry
    fails *both* branches and the report leads with RestSpec's complaints. With ``if``/``then`` an entry is
    checked against its own kind only, and a missing or unknown ``kind`` is reported as such.
    """
    return {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": list(mapping)}},
        "allOf": [
            {
                "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
                "then": {"$ref": reference},
            }
            for kind, reference in mapping.items()
        ],
    }


def entry_schema_text() -> str:
    """The schema as the checked-in file's exact text (2-space indent, sorted keys, trailing newline)."""
    return json.dumps(entry_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def schema_path() -> Path:
    """Where the schema lives: ``schema.json`` in the bundled zoo folder."""
    return bundled_zoo_dir() / "schema.json"


def schema_is_current(path: Path | None = None) -> bool:
    """Whether the file at ``path`` (default: the bundled one) equals what the model generates now."""
    target = path or schema_path()
    return target.is_file() and target.read_text(encoding="utf-8") == entry_schema_text()


def write_schema(path: Path | None = None) -> Path:
    """Write the schema (default: into the bundled zoo folder) and return where it went."""
    target = path or schema_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(entry_schema_text(), encoding="utf-8")
    return target
