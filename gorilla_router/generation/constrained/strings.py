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
from gorilla_router.generation.constrained.evidence import stems
from gorilla_router.generation.constrained.values import query_spans
from gorilla_router.generation.constrained.values import quoted_texts as _quoted

__all__ = ["SpanDecoder", "place_suffix"]

_MAX_FREE_TOKENS = 24
_MAX_ALTERNATIVES = 6
_CAPITALIZED = re.compile(r"[A-Z][\w'&.-]*(?:(?:,\s+|\s+)[A-Z][\w'&.-]*)*")


def _only(words: tuple[str, ...], avoid: frozenset[str]) -> bool:
    content = stems(" ".join(words))
    return bool(content) and content <= avoid


def _capitalized_runs(query: str) -> list[str]:
    """Names as the user capitalized them ("Los Angeles", "San Diego, California"), not the first word."""
    runs = []
    for match in _CAPITALIZED.finditer(query):
        text = match.group(0).rstrip(".,")
        if match.start() == 0:
            text = text.partition(" ")[2]
        if text:
            runs.append(text)
    return runs


_QUALIFIER = re.compile(r"^,\s+((?:[A-Z][\w.'-]*)(?:\s+[A-Z][\w.'-]*){0,2})")


def _escaped(piece: str) -> str:
    return json.dumps(piece, ensure_ascii=False)[1:-1]


def place_suffix(query: str, value: str) -> str:
    """``", France"`` if the query has ``value`` then ``, France`` (capitalized words), else ``""``."""
    at = query.find(value)
    if at < 0 or not value[:1].isupper():
        return ""
    match = _QUALIFIER.match(query[at + len(value) :])
    return f", {match.group(1).rstrip('.')}" if match else ""


class SpanDecoder(Generic[StateT]):
    """Decode a string literal (quotes included) whose content is a span of ``query``."""

    def __init__(
        self, chooser: Chooser[StateT], query: str, *, extend_places: bool = True, rerank: bool = True
    ) -> None:
        self.chooser = chooser
        self.query = query
        self.extend_places = extend_places
        self.rerank = rerank
        self.spans = [tuple(span.split(" ")) for span in query_spans(query)]
        self.used: set[tuple[str, ...]] = set()

    def decode(self, state: StateT, avoid: frozenset[str] = frozenset()) -> tuple[str, StateT]:
        """A span of the query; spans made only of ``avoid`` stems (the function's and the parameter's
        own names: "lyrics" for ``lyrics.find(song=…)``) and spans already used are not offered."""
        spans = [s for s in self.spans if s not in self.used and not _only(s, avoid)]
        if not spans:
            spans = [s for s in self.spans if not _only(s, avoid)] or self.spans
        if not spans:
            return self.decode_free(state)  # the query has no word that could be a value
        state = self.chooser.extend(state, '"')
        opened = state
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
                value = " ".join(words)
                value += place_suffix(self.query, value) if self.extend_places else ""
                alternatives = self.alternatives(value, avoid) if self.rerank else [value]
                if len(alternatives) > 1:
                    ranked = self.chooser.choose(opened, [_escaped(a) + '"' for a in alternatives])
                    means = [s / max(n, 1) for s, n in zip(ranked.scores, ranked.lengths, strict=True)]
                    best = max(range(len(alternatives)), key=means.__getitem__)
                    value = alternatives[best]
                    after = ranked.state if best == ranked.index else None
                else:
                    after = choice.state if value == " ".join(words) else None
                self.used.add(tuple(value.split(" ")))
                return value, after if after is not None else self.chooser.extend(
                    opened, _escaped(value) + '"'
                )
            words = (*words, following[choice.index])
            state = choice.state

    def alternatives(self, greedy: str, avoid: frozenset[str]) -> list[str]:
        """The word-by-word pick and the query's quoted texts and capitalized names, to be ranked by
        likelihood per token: a word-by-word walk favours short common words ("lyrics" over the quoted
        "Shape of You"), a per-token average over whole values does not."""
        found = [greedy]
        for text in [*_quoted(self.query), *_capitalized_runs(self.query)]:
            words = tuple(text.split(" "))
            if text not in found and words not in self.used and not _only(words, avoid):
                found.append(text)
        return found[:_MAX_ALTERNATIVES]

    def decode_free(self, state: StateT) -> tuple[str, StateT]:
        """An unconstrained string literal: whatever the model writes up to its closing quote."""
        state = self.chooser.extend(state, '"')
        text, state = self.chooser.free_text(state, '"', _MAX_FREE_TOKENS)
        text = text.replace("\\", "")
        return text, self.chooser.extend(state, '"')
