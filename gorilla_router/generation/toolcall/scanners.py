"""Where a free JSON value ends, decided piece by piece while the model writes it greedily.

Each scanner is a small state machine fed the decoded text of one token at a time (see
:class:`~gorilla_router.generation.constrained.torch_chooser.TextScanner`): it returns ``None`` while the
value goes on, or the part of the last piece that still belongs to the value once it is complete. Its
``allows`` bounds which tokens may be written at all, so a number cannot turn into a word and no value
can run onto a new line. Pure Python, so the rules are tested without a model.
"""

from __future__ import annotations

__all__ = ["JsonValueScanner", "NumberScanner", "StringScanner"]

_NUMBER_CHARS = frozenset("0123456789.-+eE")
_TERMINATORS = frozenset(",}]")


class StringScanner:
    """The inside of a JSON string (the opening quote already written) up to its closing quote."""

    def __init__(self) -> None:
        self._escaped = False

    def allows(self, piece: str) -> bool:
        return "\n" not in piece and "\r" not in piece

    def feed(self, piece: str) -> str | None:
        for index, char in enumerate(piece):
            if self._escaped:
                self._escaped = False
            elif char == "\\":
                self._escaped = True
            elif char == '"':
                return piece[:index]
        return None


class NumberScanner:
    """A JSON number; it ends at the first token that starts with ``,``, ``}`` or ``]`` (not kept)."""

    def allows(self, piece: str) -> bool:
        stripped = piece.lstrip(" ")
        if not stripped:
            return False
        return stripped[0] in _TERMINATORS or all(char in _NUMBER_CHARS for char in stripped)

    def feed(self, piece: str) -> str | None:
        stripped = piece.lstrip(" ")
        if stripped and stripped[0] in _TERMINATORS:
            return ""
        return None


class JsonValueScanner:
    """Any JSON value (array, object, string, literal): complete when brackets balance at depth 0.

    A bare literal (``true``, ``12``) ends at a ``,`` / ``}`` / ``]`` at depth 0, which is not kept.
    """

    def __init__(self, opened: str = "") -> None:
        """``opened``: a ``[`` or ``{`` already written for the value (an array or object parameter)."""
        self._depth = 1 if opened else 0
        self._in_string = False
        self._escaped = False
        self._started = bool(opened)

    def allows(self, piece: str) -> bool:
        return "\n" not in piece and "\r" not in piece

    def feed(self, piece: str) -> str | None:
        for index, char in enumerate(piece):
            if not self._started and char == " ":
                continue
            if self._in_string:
                if self._escaped:
                    self._escaped = False
                elif char == "\\":
                    self._escaped = True
                elif char == '"':
                    self._in_string = False
                    if self._depth == 0:
                        return piece[: index + 1]
                continue
            if char in ",}]" and self._depth == 0:
                return piece[:index]
            self._started = True
            if char == '"':
                self._in_string = True
            elif char in "[{":
                self._depth += 1
            elif char in "]}":
                self._depth -= 1
                if self._depth == 0:
                    return piece[: index + 1]
        return None
