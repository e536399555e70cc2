"""Names and guesses shared by the importers: identifiers, unique ids, side effects from HTTP verbs.

Imported names come from prose ("Datadog API - Key Management: Get all API keys"); ids must be dotted
Python identifiers, stable from run to run, and unique, so the rules live in one place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from gorilla_router.specs import SideEffects

__all__ = [
    "IdAllocator",
    "identifier",
    "side_effects_for_method",
    "side_effects_for_words",
    "words",
]

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_DESTRUCTIVE_VERBS = {"delete", "remove", "destroy", "purge", "trash", "erase", "drop", "revoke", "wipe"}
_WRITE_VERBS = {
    "create", "update", "insert", "send", "post", "put", "patch", "modify", "add", "set", "move", "copy",
    "upload", "import", "publish", "unpublish", "stop", "watch", "append", "replace", "write", "cancel",
    "approve", "reject", "submit", "assign", "invite", "share", "rename", "restore", "start", "run",
    "execute", "trigger", "enable", "disable", "reset", "clear", "batch", "batchupdate", "order", "pay",
    "charge", "refund", "transfer", "empty", "untrash", "archive", "register", "subscribe", "unsubscribe",
}  # fmt: skip


def words(text: str) -> list[str]:
    """Lower-case words of a name, splitting camelCase: ``"variableUpdate v2"`` → ``variable update v2``."""
    return [w.lower() for w in re.findall(r"[A-Za-z0-9]+", _CAMEL_BOUNDARY.sub(" ", text))]


def identifier(text: str, *, drop_leading: Iterable[str] = (), limit: int = 80) -> str:
    """A Python identifier from prose: lower_snake_case, leading noise words dropped, never empty."""
    parts = words(text)
    noise = set(drop_leading)
    while len(parts) > 1 and parts[0] in noise:
        parts.pop(0)
    name = "_".join(parts)[:limit].strip("_") or "unnamed"
    return f"_{name}" if name[0].isdigit() else name


def side_effects_for_method(method: str) -> SideEffects:
    """GET/HEAD read; POST/PUT/PATCH write; DELETE destructive (the HTTP semantics, the safe side)."""
    upper = method.upper()
    if upper == "DELETE":
        return "destructive"
    if upper in ("GET", "HEAD"):
        return "read"
    return "write"


def side_effects_for_words(*texts: str) -> SideEffects:
    """A guess for non-HTTP calls from the verbs in their names: deleting beats writing beats reading."""
    seen = {w for text in texts for w in words(text)}
    if seen & _DESTRUCTIVE_VERBS:
        return "destructive"
    if seen & _WRITE_VERBS:
        return "write"
    return "read"


class IdAllocator:
    """Hands out unique ids: a taken id gets ``_2``, ``_3`` … appended to its last segment."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._taken = set(taken)

    def allocate(self, wanted: str) -> str:
        candidate, counter = wanted, 1
        while candidate in self._taken:
            counter += 1
            candidate = f"{wanted}_{counter}"
        self._taken.add(candidate)
        return candidate
