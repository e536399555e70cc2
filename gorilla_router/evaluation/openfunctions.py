"""The Gorilla OpenFunctions v1 test set (112 items) as BFCL items, scored by the same checker.

Each record has ``question``, one ``function`` doc (``api_call`` is the name to call) and ``model_answer``,
the gold call as Python text. The gold call becomes a ground truth with a single acceptable value per
parameter it sets. Decisions, so scores are reproducible:

* parameters the gold call leaves out (optional ones) must be omitted — or set to the schema's ``default``;
* a gold value that does not fit its declared type in an obvious way is repaired once: a scalar given
  for an ``array`` becomes a one-item list; a bare name (``loc=Berkeley``) is read as the string it
  means; ``true``/``false``/``null`` as JSON spells them;
* nested dict values become lists of one acceptable value (the checker's dict rule).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from gorilla_router.callsyntax import JSON_NAMES, CallSyntaxError, parse_single_call, read_call
from gorilla_router.errors import ConfigError
from gorilla_router.evaluation.bfcl import BfclItem
from gorilla_router.evaluation.bfcl_rules import OMITTED
from gorilla_router.evaluation.function_docs import function_name

__all__ = ["gold_call", "load_openfunctions", "openfunctions_to_bfcl"]


def load_openfunctions(path: str | Path) -> list[dict[str, Any]]:
    """Read the test set (a JSON array); the error says what shape was expected."""
    try:
        records = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ConfigError(f"cannot read the OpenFunctions test set {path}: {error}") from error
    if not isinstance(records, list) or not all(
        isinstance(r, dict) and {"question", "function", "model_answer"} <= set(r) for r in records
    ):
        raise ConfigError(
            f"{path}: expected a JSON array of objects with question, function and model_answer"
        )
    return records


class _BareNamesAsText(Mapping[str, Any]):
    """Every bare name has a value: ``true``/``false``/``null`` as JSON spells them, any other its text."""

    def __getitem__(self, name: str) -> Any:
        return JSON_NAMES.get(name, name)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str)

    def __iter__(self) -> Iterator[str]:
        return iter(JSON_NAMES)

    def __len__(self) -> int:
        return len(JSON_NAMES)


def gold_call(text: str) -> tuple[str, dict[str, Any]]:
    """Parse a gold call string (the shared ``ast`` core) into its function name and keyword arguments."""
    try:
        node = parse_single_call(text)
    except CallSyntaxError as error:
        raise ConfigError(f"gold call is not valid Python call syntax: {error}") from error
    if node.args:
        raise ConfigError(f"gold call must be name(key=value, …): {text!r}")
    try:
        call = read_call(node, text.strip(), names=_BareNamesAsText())
    except CallSyntaxError as error:
        raise ConfigError(f"gold call has a non-literal value: {error}") from error
    return call.name, call.keywords


def _acceptable(value: Any, schema: dict[str, Any]) -> list[Any]:
    if schema.get("type") in ("array", "tuple") and not isinstance(value, list):
        value = [value]
    return [_nested(value)]


def _nested(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: [_nested(item)] for key, item in value.items()}
    return value


def openfunctions_to_bfcl(records: list[dict[str, Any]]) -> list[BfclItem]:
    """Each record as a ``simple`` BFCL item (id ``simple_<n>``) with its gold call as ground truth."""
    items: list[BfclItem] = []
    for number, record in enumerate(records):
        doc = record["function"]
        name, arguments = gold_call(str(record["model_answer"]))
        if name != function_name(doc):
            raise ConfigError(
                f"item {number}: gold call names {name!r} but the function is {function_name(doc)!r}"
            )
        properties: dict[str, Any] = (doc.get("parameters") or {}).get("properties", {})
        expected = {
            param: _acceptable(value, properties.get(param, {})) for param, value in arguments.items()
        }
        for param, schema in properties.items():
            if param not in expected:
                expected[param] = [OMITTED, *([schema["default"]] if "default" in schema else [])]
        items.append(
            BfclItem(f"simple_{number}", str(record["question"]), [doc], [{name: expected}], "simple")
        )
    return items
