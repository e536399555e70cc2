"""Free-text string values constrained to spans of the query, chosen word by word.

A 270M base model asked for a location writes a plausible one, not necessarily the user's. Offering only
spans of the query makes "Paris, France" reachable and "London" impossible when the user said Paris.
The span is chosen as a walk down a word trie (one model step per word), so the model decides where the
value starts and where it stops. Small models stop early ("Paris" for "Paris, France"); when the query
qualifies the chosen place with ", Capitalized Words" the qualifier is kept (``extend_places``).
"""

from __future__ import annotations

import json
import re
from typing import Generic

from gorilla_router.generation.constrained.chooser import Chooser, StateT
from gorilla_router.generation.constrained.values import query_spans

__all__ = ["SpanDecoder", "place_suffix"]

_MAX_FREE_TOKENS = 24
_QUALIFIER = re.compile(r"^,\s+((?:[A-Z][\w.'-]*)(?:\s+[A-Z][\w.'-]*){0,2})")


def _escaped(piece: str) -> str:
    return json.dumps(piece, ensure_ascii=False)[1:-1]


def place_suffix(query: str, value: str) -> str:
    """``", France"`` when the query says ``value`` followed by ``, France`` (capitalized words), else ``""``."""
    at = query.find(value)
    if at < 0 or not value[:1].isupper():
        return ""
    match = _QUALIFIER.match(query[at + len(value) :])
    return f", {match.group(1).rstrip('.')}" if match else ""


class SpanDecoder(Generic[StateT]):
    """Decode a string literal (quotes included) whose content is a span of ``query``."""

    def __init__(self, chooser: Chooser[StateT], query: str, *, extend_places: bool = True) -> None:
        self.chooser = chooser
        self.query = query
        self.extend_places = extend_places
        self.spans = [tuple(span.split(" ")) for span in query_spans(query)]
        self.whole = set(self.spans)
        self.used: set[tuple[str, ...]] = set()

    def decode(self, state: StateT) -> tuple[str, StateT]:
        if not self.spans:
            return self.decode_free(state)
        state = self.chooser.extend(state, '"')
        spans = [s for s in self.spans if s not in self.used] or self.spans  # another argument, another span
        whole = set(spans)
        words: tuple[str, ...] = ()
        while True:
            depth = len(words)
            following = sorted({s[depth] for s in spans if len(s) > depth and s[:depth] == words})
            glue = " " if words else ""
            options = [glue + _escaped(word) for word in following]
            can_close = words in whole
            if can_close:
                options.append('"')
            choice = self.chooser.choose(state, options)
            if can_close and choice.index == len(following):
                self.used.add(words)
                value = " ".join(words)
                suffix = place_suffix(self.query, value) if self.extend_places else ""
                if suffix:
                    return value + suffix, self.chooser.extend(state, _escaped(suffix) + '"')
                return value, choice.state
            words = (*words, following[choice.index])
            state = choice.state

    def decode_free(self, state: StateT) -> tuple[str, StateT]:
        """An unconstrained string literal: whatever the model writes up to its closing quote."""
        state = self.chooser.extend(state, '"')
        text, state = self.chooser.free_text(state, '"', _MAX_FREE_TOKENS)
        text = text.replace("\\", "")
        return text, self.chooser.extend(state, '"')
