"""Punctuation and white space a request names in words: "with an ellipsis" → ``"..."``, "by four spaces"
→ ``"    "``, "separated by semicolons" → ``";"``.

A value made only of symbols has no words, so the word-based rules in :mod:`.values` cannot see it: it
was judged invented — an optional ``placeholder="..."`` for "truncate … with an ellipsis" was dropped and
the API's own `` [...]`` ran instead. Such a value is stated when the request writes it as it is, and a
conversion when the request names every symbol in it.
"""

from __future__ import annotations

from gorilla_router.generation.grounding.evidence import RequestEvidence

__all__ = ["symbols_named"]

_NAMES: dict[str, tuple[str, ...]] = {
    ".": ("dot", "dots", "period", "full stop", "ellipsis"),
    "…": ("ellipsis",),
    ",": ("comma", "commas"),
    ";": ("semicolon", "semicolons"),
    ":": ("colon", "colons"),
    "-": ("dash", "dashes", "hyphen", "hyphens", "minus"),
    "_": ("underscore", "underscores"),
    "/": ("slash", "slashes"),
    "\\": ("backslash", "backslashes"),
    "|": ("pipe", "pipes", "vertical bar"),
    "*": ("asterisk", "asterisks", "star", "stars"),
    "#": ("hash", "hashes", "pound sign", "hashtag"),
    "!": ("exclamation", "exclamation mark", "bang"),
    "?": ("question mark",),
    "'": ("quote", "quotes", "apostrophe", "single quote"),
    '"': ("quote", "quotes", "double quote", "double quotes"),
    "=": ("equals", "equal sign"),
    "+": ("plus", "plus sign"),
    "&": ("ampersand",),
    "~": ("tilde",),
    "@": ("at sign",),
    "%": ("percent sign",),
    " ": ("space", "spaces", "blank", "blanks"),
    "\t": ("tab", "tabs"),
    "\n": ("newline", "newlines", "new line", "new lines", "line break", "line breaks"),
}


def symbols_named(value: str, evidence: RequestEvidence) -> bool:
    """Whether the request names, in words, every symbol ``value`` is made of (and it has one at all)."""
    symbols = set(value)
    if not symbols:
        return False
    text = f" {evidence.text} "
    return all(any(f" {name} " in text for name in _NAMES.get(symbol, ())) for symbol in symbols)
