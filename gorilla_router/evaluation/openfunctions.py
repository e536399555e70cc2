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

import ast
import json
from pathlib import Path
from typing import Any

from gorilla_router.errors import ConfigError
from gorilla_router.evaluation.bfcl import BfclItem
from gorilla_router.evaluation.bfcl_rules import OMITTED
from gorilla_router.evaluation.function_docs import function_name

__all__ = ["gold_call", "load_openfunctions", "openfunctions_to_bfcl"]

_JSON_NAMES: dict[str, Any] = {"true": True, "false": False, "null": None}


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


def gold_call(text: str) -> tuple[str, dict[str, Any]]:
    """Parse a gold call string (``ast`` only) into its function name and keyword arguments."""
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as error:
        raise ConfigError(f"gold call is not valid Python: {text!r} ({error.msg})") from error
    if not isinstance(node, ast.Call) or node.args:
        raise ConfigError(f"gold call must be name(key=value, …): {text!r}")
    arguments = {k.arg: _gold_value(k.value, text) for k in node.keywords if k.arg is not None}
    return ast.unparse(node.func), arguments


def _gold_value(node: ast.expr, text: str) -> Any:
    if isinstance(node, ast.Name):
        return _JSON_NAMES.get(node.id, node.id)
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_gold_value(element, text) for element in node.elts]
    if isinstance(node, ast.Dict):
        return {
            _gold_value(key, text): _gold_value(value, text)
            for key, value in zip(node.keys, node.values, strict=True)
            if key
        }
    try:
        return ast.literal_eval(node)
    except ValueError as error:
        raise ConfigError(f"gold call has a non-literal value {ast.unparse(node)!r}: {text!r}") from error


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
