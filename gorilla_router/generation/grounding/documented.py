"""Values the API's own documentation maps a request's words to: "deciles" → ``n=10``, "Fahrenheit" →
``units="imperial"``.

A parameter description often says which value means what — ``"Number of intervals: 4 for quartiles, 10 for
deciles, 100 for percentiles."``, ``"standard (Kelvin), metric (Celsius, m/s) or imperial (Fahrenheit,
mph)."`` A request that says "deciles" or "in fahrenheit" then states the value through the documentation,
and a model that writes ``n=10`` has converted, not invented: grounding used to drop that ``10`` as
unstated, so the call ran with the default 4. And where the model picks an enum value nothing supports
(``units="metric"`` for "in fahrenheit"), the documentation names the value the request asks for.

How a description is read: each mention of a value (an enum value, or for a number parameter any number)
starts a segment that runs to the next mention or the end of the sentence; the segment's content words are
what the value means. Only the words after a value count ("10 for deciles", "imperial (Fahrenheit)"), the
form these descriptions take. A word counts for one value only if no other value's segment has it
("population" is in the meaning of both ``"exclusive"`` and ``"inclusive"``, so it grounds neither).
"""

from __future__ import annotations

import re
from typing import Any

from gorilla_router.generation.grounding.evidence import RequestEvidence, words_of

__all__ = ["documented_choice", "documented_word"]

_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w])")
_SENTENCE_END = re.compile(r"[.;](?=\s|$)")
_FUNCTION_WORDS = frozenset(
    [
        "about",
        "also",
        "back",
        "been",
        "before",
        "each",
        "from",
        "have",
        "into",
        "more",
        "most",
        "only",
        "other",
        "over",
        "same",
        "some",
        "such",
        "than",
        "that",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "under",
        "very",
        "what",
        "when",
        "where",
        "which",
        "while",
        "with",
        "within",
        "your",
        "value",
        "values",
        "default",
        "given",
        "used",
        "uses",
        "return",
        "returns",
    ]
)  # fmt: skip


def _segments(description: str, values: list[Any]) -> list[tuple[Any, str]]:
    """(value, the text after its mention up to the next mention or the end of the sentence)."""
    mentions: list[tuple[int, int, Any]] = []
    for value in values:
        if isinstance(value, bool):
            continue
        if isinstance(value, (int, float)):
            pattern = rf"(?<![\w.-]){re.escape(_number_text(value))}(?![\w-]|\.\d)"  # not "3-hour"
        else:
            pattern = rf"(?<![\w-]){re.escape(str(value))}(?![\w-])"
        mentions.extend((m.start(), m.end(), value) for m in re.finditer(pattern, description, re.IGNORECASE))
    mentions.sort(key=lambda mention: mention[0])
    segments: list[tuple[Any, str]] = []
    for index, (_, end, value) in enumerate(mentions):
        stop = mentions[index + 1][0] if index + 1 < len(mentions) else len(description)
        text = description[end:stop]
        sentence_end = _SENTENCE_END.search(text)
        segments.append((value, text[: sentence_end.start()] if sentence_end else text))
    return segments


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _meaning(segment: str, value: Any) -> list[str]:
    own = set(words_of(str(value)))
    return [w for w in words_of(segment) if len(w) >= 4 and w not in _FUNCTION_WORDS and w not in own]


def _values_of(schema: dict[str, Any]) -> list[Any]:
    if isinstance(schema.get("enum"), list):
        return list(schema["enum"])
    if schema.get("type") in ("integer", "number"):
        return [float(number) for number in _NUMBER.findall(str(schema.get("description") or ""))]
    return []


def documented_word(value: Any, schema: dict[str, Any], evidence: RequestEvidence) -> str | None:
    """The request's word that the parameter's description gives ``value`` for, or ``None``."""
    description = str(schema.get("description") or "")
    if isinstance(value, bool) or not description:
        return None
    segments = _segments(description, _values_of(schema))

    def same(mentioned: Any) -> bool:
        return mentioned == value if not isinstance(value, str) else str(mentioned).lower() == value.lower()

    shared = {
        word for mentioned, text in segments if not same(mentioned) for word in _meaning(text, mentioned)
    }
    for mentioned, text in segments:
        if same(mentioned):
            for word in _meaning(text, mentioned):
                if word not in shared and evidence.has_word(word):
                    return word
    return None


def documented_choice(schema: dict[str, Any], evidence: RequestEvidence) -> tuple[Any, str] | None:
    """The one enum value whose documented meaning the request uses, with that word; ``None`` if not one."""
    enum = schema.get("enum")
    if not isinstance(enum, list):
        return None
    chosen = {}
    for value in enum:
        word = documented_word(value, schema, evidence)
        if word is not None:
            chosen[str(value)] = (value, word)
    return next(iter(chosen.values())) if len(chosen) == 1 else None
