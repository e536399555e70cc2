"""Turn the ways a zoo entry can be wrong into ``Problem`` lines (file, entry, field, message).

Both the loader (``ApiZoo.load``) and the validator need the same mapping from pydantic's errors to
field paths, so a contributor sees identical lines whichever command found the fault.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from gorilla_router.errors import Problem

__all__ = ["entry_label", "field_path", "problems_from_pydantic"]


def entry_label(raw: Any, index: int) -> str:
    """How an entry is named in messages: its ``id`` when it has a usable one, else ``#index`` (0-based)."""
    if isinstance(raw, dict):
        api_id = raw.get("id")
        if isinstance(api_id, str) and api_id.strip():
            return api_id
    return f"#{index}"


def field_path(location: Sequence[int | str]) -> str:
    """``("examples", 0, "call")`` → ``examples[0].call``; the empty path is the entry itself: ``<entry>``."""
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "<entry>"


def _message(error: Any) -> str:
    kind = error.get("type", "")
    message = str(error.get("msg", "invalid value"))
    if kind == "extra_forbidden":
        return "unknown field (not part of the ApiSpec format; check the spelling or remove it)"
    if kind == "missing":
        return "required field is missing"
    if kind == "none_required":  # a PythonSpec/RestSpec field typed None: it belongs to the other kind
        return "not part of this kind of spec; remove it or change 'kind'"
    # pydantic prefixes messages raised in our validators with "Value error, "; drop the noise.
    return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")


# RestSpec's whole-entry checks raise without a field location; these patterns point the line at the
# field a contributor has to edit instead of the unhelpful ``<entry>``.
_MODEL_LEVEL_FIELDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^path parameters not declared"), "path"),
    (re.compile(r"^locations names undeclared"), "locations"),
    (re.compile(r"^parameter '(?P<name>[^']+)' appears in the path"), "locations.{name}"),
]


def _model_level_field(message: str) -> str:
    for pattern, template in _MODEL_LEVEL_FIELDS:
        match = pattern.search(message)
        if match:
            return template.format(**match.groupdict())
    return "<entry>"


def problems_from_pydantic(file: str, entry: str, error: PydanticValidationError) -> list[Problem]:
    """One ``Problem`` per pydantic error, with the dotted field path that failed."""
    problems = []
    for item in error.errors():
        location = [part for part in item.get("loc", ()) if isinstance(part, (int, str))]
        message = _message(item)
        field = field_path(location) if location else _model_level_field(message)
        problems.append(Problem(file, entry, field, message))
    return problems
