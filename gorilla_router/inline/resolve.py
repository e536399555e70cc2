"""Resolve the name written in an inline call to one zoo id: the full dotted id, or a short name if unique.

Text written by people and small models says ``[sqrt(16)]`` as often as ``[math.sqrt(16)]``. A short name
(the last segments of an id: ``sqrt``, ``parse.quote``) is accepted only when exactly one id ends with it,
because guessing between ``math.log`` and ``logging.log`` would execute an API nobody named. Dashed tool
names (``math-sqrt``) and separator slips (``math_sqrt``) resolve through the same rules the model-output
parser uses. Everything else is an :class:`UnresolvedName` with the closest ids, never a guess.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from gorilla_router.errors import GenerationError
from gorilla_router.generation.toolnames import resolve_api_id

__all__ = ["UnresolvedName", "resolve_name"]

_SUGGESTIONS = 3


class UnresolvedName(LookupError):
    """The name matches no zoo id, or several (``ambiguous``); the message lists what it could have been."""

    def __init__(self, message: str, *, ambiguous: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.ambiguous = ambiguous

    def __str__(self) -> str:
        return str(self.args[0])


def resolve_name(name: str, ids: Sequence[str]) -> str:
    """The zoo id ``name`` stands for; ``UnresolvedName`` when it is unknown or ambiguous."""
    try:
        return resolve_api_id(name, ids)
    except GenerationError:
        pass
    suffix = "." + name.replace("-", ".")
    matches = tuple(api_id for api_id in ids if api_id.endswith(suffix))
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise UnresolvedName(
            f"{name!r} is ambiguous: it could be any of {', '.join(matches)}; write the full id",
            ambiguous=matches,
        )
    shorts = {api_id.rsplit(".", 1)[-1]: api_id for api_id in ids}
    close = difflib.get_close_matches(name, [*ids, *shorts], n=_SUGGESTIONS, cutoff=0.6)
    hint = f"; did you mean {', '.join(dict.fromkeys(shorts.get(c, c) for c in close))}?" if close else ""
    raise UnresolvedName(f"{name!r} is not an API in the zoo{hint}")
