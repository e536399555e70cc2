"""Map dotted API ids to tool names and back, and resolve a name the model wrote to a candidate id.

OpenAI-style ``tools`` require names matching ``^[a-zA-Z0-9_-]{1,64}$``, but zoo ids are dotted
(``coffee_shop.find_nearby``). Ids never contain ``-``, so ``.`` → ``-`` is a reversible mapping; ids too long
for 64 characters get a short hash suffix and are mapped back through the candidate list. Models also
"repair" names on their own (``coffee_shop_find_nearby``), so resolution against the candidates tolerates
``.``/``-``/``_`` swaps — but only ever resolves to an id that was offered, never to anything else.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from gorilla_router.errors import GenerationError

__all__ = ["api_id_from_tool_name", "resolve_api_id", "tool_name_for"]

MAX_TOOL_NAME = 64
_LISTED = 20  # ids quoted in an error; a whole zoo would drown the message
_API_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_SEPARATORS = re.compile(r"[.\-_]+")


def tool_name_for(api_id: str) -> str:
    """The OpenAI-compatible tool name of an API id: dots become dashes, long ids get a hash suffix."""
    name = api_id.replace(".", "-")
    if len(name) <= MAX_TOOL_NAME:
        return name
    digest = hashlib.sha1(api_id.encode("utf-8")).hexdigest()[:10]  # noqa: S324 - a name, not security
    return f"{name[: MAX_TOOL_NAME - 11]}_{digest}"


def api_id_from_tool_name(name: str) -> str | None:
    """Undo :func:`tool_name_for` without a candidate list (``None`` when the name is not a valid id)."""
    candidate = name.replace("-", ".")
    return candidate if _API_ID.match(candidate) else None


def _loose(name: str) -> str:
    return _SEPARATORS.sub("_", name).lower()


def resolve_api_id(name: str, allowed: Sequence[str] | None, raw: str = "") -> str:
    """Turn the function name a model wrote into an API id, checked against ``allowed`` when given.

    Without ``allowed`` any syntactically valid id (or dashed tool name) is accepted. With it, the name must
    be one of the ids, its tool name, or a unique separator-insensitive match; otherwise the model named an
    API it was not offered and ``GenerationError`` says which ones it may use.
    """
    name = name.strip()
    if allowed is None:
        if _API_ID.match(name):
            return name
        decoded = api_id_from_tool_name(name)
        if decoded is not None:
            return decoded
        raise GenerationError(
            f"the model wrote the function name {name!r}, which is not a valid API id "
            "(dotted Python identifiers such as 'weather.forecast')",
            raw=raw,
        )
    if name in allowed:
        return name
    for api_id in allowed:
        if tool_name_for(api_id) == name:
            return api_id
    loose = [api_id for api_id in allowed if _loose(api_id) == _loose(name)]
    if len(loose) == 1:
        return loose[0]
    listed = ", ".join(allowed[:_LISTED]) if allowed else "(none: no API was offered)"
    if len(allowed) > _LISTED:
        listed += f", … and {len(allowed) - _LISTED} more"
    raise GenerationError(
        f"the model called {name!r}, which is not one of the candidate APIs; it may only call: {listed}",
        raw=raw,
    )
