"""The published JSON Schema of one API Zoo entry, generated from ``ApiSpec`` and checked in.

Contributors (and their editors) validate entries against ``apizoo/schema.json``; generating it from the
model keeps the two from drifting, and a test fails when the checked-in copy is stale.
Regenerate with ``gorilla-router zoo schema --write``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gorilla_router.paths import bundled_zoo_dir
from gorilla_router.specs import ApiSpec

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
    """JSON Schema (draft 2020-12) for one entry of a provider file."""
    schema = ApiSpec.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "$comment": f"Generated from gorilla_router.specs.ApiSpec; do not edit; run: {REGENERATE_COMMAND}",
        **schema,
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
