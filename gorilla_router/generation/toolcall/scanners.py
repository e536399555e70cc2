"""Where a free JSON value ends, decided piece by piece while the model writes it greedily.

Each scanner is a small state machine fed the decoded text of one token at a time (see
:class:`~gorilla_router.generation.constrained.torch_chooser.TextScanner`): it returns ``None`` while the
value goes on, or the part of the last piece that still belongs to the value once it is complete. Its
``allows`` bounds which tokens may be written at all, so a number cannot turn into a word and no value
can run onto a new line. Pure Python, so the rules are tested without a model.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["JsonValueScanner", "NumberScanner", "OpeningScanner", "StringScanner"]

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
    """A JSON number; it ends at the first token that starts with ``,``, ``}`` or ``]`` (not kept), or once
    its fraction has ``max_decimals`` digits (``None``: no bound; an exponent after the fraction is not
    bounded)."""

    def __init__(self, max_decimals: int | None = None) -> None:
        self.max_decimals = max_decimals
        self._decimals: int | None = None  # digits after the point; None before it and in an exponent

    def allows(self, piece: str) -> bool:
        stripped = piece.lstrip(" ")
        if not stripped:
            return False
        return stripped[0] in _TERMINATORS or all(char in _NUMBER_CHARS for char in stripped)

    def feed(self, piece: str) -> str | None:
        stripped = piece.lstrip(" ")
        if stripped and stripped[0] in _TERMINATORS:
            return ""
        if self.max_decimals is None:
            return None
        for index, char in enumerate(piece):
            if char == ".":
                self._decimals = 0
            elif char in "eE":
                self._decimals = None  # the exponent's digits are not decimals
                return None
            elif char.isdigit() and self._decimals is not None:
                self._decimals += 1
                if self._decimals >= self.max_decimals:
                    return piece[: index + 1]
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


_ITEM_STARTS = {
    "string": '"',
    "number": "-0123456789.",
    "integer": "-0123456789",
    "boolean": "tf",
    "array": "[",
    "object": "{",
}


class OpeningScanner:
    """The first token of a string, array or object value: it must open with ``"``, ``[`` or ``{``.

    Why a token of its own and not the opener written for the model: the tokenizer merges the opener with
    what follows (`` "[``, `` "/``, `` "#``, `` "\\``, `` ["``, `` {"``), so a lone `` "`` is a token the
    model never saw before such a value — it then wrote ``"final.pdf"`` for ``"/files/my report
    (final).pdf"``, ``"general"`` for ``"#general"``, a word for a regular expression, ``[0, 1]`` for
    ``["heads", "tails"]`` and ``{}`` for an object. Here the model picks the merged token itself.
    A piece that would also complete the value (`` ""``, `` []``) is not allowed: the value goes on under
    its body scanner (:meth:`body`), which is fed the rest of the piece.
    """

    def __init__(self, opener: str, items: str | Sequence[str] | None = None) -> None:
        """``items``: an array's item type(s); what the opening token holds after ``[`` must start one (a
        `` [[`` made a list of numbers a list of lists). Unknown types constrain nothing."""
        if opener not in ('"', "[", "{"):
            raise ValueError(f"an opening is one of '\"', '[', '{{', not {opener!r}")
        self.opener = opener
        kinds = [items] if isinstance(items, str) else list(items or [])
        known = opener == "[" and bool(kinds) and all(kind in _ITEM_STARTS for kind in kinds)
        self.item_starts = (
            "".join(sorted({c for kind in kinds for c in _ITEM_STARTS[kind]})) if known else None
        )
        """The characters an item may start with; ``None``: any."""
        self.mask_key = f"OpeningScanner{opener}{self.item_starts or ''}"
        """Masks are cached per key: one per opener and item type."""

    def body(self, opening: str) -> StringScanner | JsonValueScanner:
        """The scanner for the rest of the value, already fed what ``opening`` holds after the opener."""
        scanner: StringScanner | JsonValueScanner = (
            StringScanner() if self.opener == '"' else JsonValueScanner(self.opener)
        )
        rest = opening.lstrip(" ")[1:]
        if rest:
            scanner.feed(rest)
        return scanner

    def allows(self, piece: str) -> bool:
        stripped = piece.lstrip(" ")
        if len(piece) - len(stripped) > 1 or not stripped.startswith(self.opener):
            return False
        if "\n" in piece or "\r" in piece:
            return False
        rest = stripped[1:]
        if not rest:
            return True
        first = rest.lstrip(" ")[:1]
        if first and self.item_starts is not None and first not in self.item_starts:
            return False
        return self.body(" " + self.opener).feed(rest) is None

    def feed(self, piece: str) -> str | None:
        return None  # one token: the caller asks for exactly one
