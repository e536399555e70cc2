"""Read an OpenAPI document (JSON or YAML) and resolve its local ``$ref`` pointers.

Only references inside the same document (``#/components/schemas/Pet``) are followed; anything else is
reported, never fetched — importing must not touch the network. A reference cycle (a tree of nodes
pointing at itself) is cut at the repeat with a described placeholder, so the result is always finite.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from gorilla_router.errors import UsageError

__all__ = ["RefResolver", "load_document"]


def load_document(source: str | Path | dict[str, Any]) -> dict[str, Any]:
    """The document as a dict, from a dict, or a ``.json`` / ``.yaml`` / ``.yml`` file."""
    if isinstance(source, dict):
        return source
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot read the OpenAPI document {path}: {error}") from error
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise UsageError(f"{path} is not valid JSON/YAML: {error}") from error
    if not isinstance(data, dict):
        raise UsageError(f"{path} is not an OpenAPI document (expected a mapping at the top level)")
    return data


class RefResolver:
    """Replaces local ``$ref`` objects by (copies of) their targets; records what it could not resolve."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.problems: list[str] = []

    def _target(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            raise KeyError(f"external reference {ref!r} is not supported (only '#/...' in the same document)")
        node: Any = self.document
        for raw in ref[2:].split("/"):
            key = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            elif isinstance(node, dict) and key in node:
                node = node[key]
            else:
                raise KeyError(f"reference {ref!r} points at nothing in the document")
        return node

    def resolve(self, node: Any, _active: tuple[str, ...] = ()) -> Any:
        """A copy of ``node`` with every local ``$ref`` replaced by its target (siblings merged over it)."""
        if isinstance(node, list):
            return [self.resolve(item, _active) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref in _active:
                return {"type": "object", "description": f"(recursive reference to {ref})"}
            try:
                target = self._target(ref)
            except KeyError as error:
                self.problems.append(str(error.args[0]))
                return {"description": f"(unresolved reference {ref})"}
            resolved = self.resolve(target, (*_active, ref))
            siblings = {k: self.resolve(v, _active) for k, v in node.items() if k != "$ref"}
            return {**resolved, **siblings} if isinstance(resolved, dict) else resolved
        return {key: self.resolve(value, _active) for key, value in node.items()}
