"""Read a JSON list whose text is damaged in places, element by element, repairing what is local.

Community files contain trailing commas, missing commas between members and strings cut off at the end
of a line. A strict parser rejects the whole file for one such slip; here the text is tokenised, split
into the top-level list's elements, and each element is repaired and decoded on its own, so damage stays
local: every element comes back either as a value (with notes on what was repaired) or as an error.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Element", "LenientJsonError", "read_json_list"]

_LITERAL = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")
_STRUCTURAL = "{}[],:"
_VALUE_START = {"string", "literal", "{", "["}
_VALUE_END = {"string", "literal", "}", "]"}


class LenientJsonError(ValueError):
    """The text is not a JSON list at all (no top-level ``[``), so there are no elements to recover."""


@dataclass
class _Token:
    kind: str  # "string", "literal", a structural character, or "junk"
    text: str
    line: int


@dataclass
class Element:
    """One top-level element: ``index`` in the list, the decoded ``value`` or an ``error``, and repairs."""

    index: int
    line: int
    value: Any = None
    error: str | None = None
    repairs: list[str] = field(default_factory=list)


def _string_token(text: str, start: int, line: int) -> tuple[_Token, int, bool]:
    """Read a string starting at the opening quote; a raw newline ends (and closes) a cut-off string."""
    position = start + 1
    while position < len(text):
        char = text[position]
        if char == "\\":
            position += 2
            continue
        if char == '"':
            return _Token("string", text[start : position + 1], line), position + 1, False
        if char == "\n":
            return _Token("string", text[start:position] + '"', line), position, True
        position += 1
    return _Token("string", text[start:] + '"', line), len(text), True


def _tokenize(text: str) -> tuple[list[_Token], list[tuple[int, str]]]:
    tokens: list[_Token] = []
    notes: list[tuple[int, str]] = []
    position, line = 0, 1
    while position < len(text):
        char = text[position]
        if char == "\n":
            line += 1
        if char.isspace():
            position += 1
        elif char == '"':
            token, position, cut = _string_token(text, position, line)
            tokens.append(token)
            if cut:
                notes.append((line, f"closed a string cut off at line {line}"))
        elif char in _STRUCTURAL:
            tokens.append(_Token(char, char, line))
            position += 1
        else:
            match = _LITERAL.match(text, position)
            end = match.end() if match else position + 1
            tokens.append(_Token("literal" if match else "junk", text[position:end], line))
            position = end
    return tokens, notes


def _repair(tokens: list[_Token]) -> tuple[str, list[str]]:
    """Drop commas before a closing bracket and insert commas missing between two values."""
    pieces: list[str] = []
    repairs: list[str] = []
    previous: _Token | None = None
    for position, token in enumerate(tokens):
        following = tokens[position + 1] if position + 1 < len(tokens) else None
        if token.kind == "," and (following is None or following.kind in "}]"):
            repairs.append(f"removed a trailing comma at line {token.line}")
            continue
        if previous is not None and previous.kind in _VALUE_END and token.kind in _VALUE_START:
            repairs.append(f"inserted a missing comma at line {token.line}")
            pieces.append(",")
        pieces.append(token.text)
        previous = token
    return "".join(pieces), repairs


def _split_elements(tokens: list[_Token]) -> list[list[_Token]]:
    """The token runs of the top-level list's elements (split at depth-1 commas and value boundaries)."""
    elements: list[list[_Token]] = []
    current: list[_Token] = []
    depth = 0
    for token in tokens[1:]:  # tokens[0] is the opening "["
        if token.kind in "{[":
            if depth == 0 and current:  # a value starts where a comma was missing
                elements.append(current)
                current = []
            depth += 1
        elif token.kind in "}]":
            depth -= 1
            if depth < 0:  # the closing bracket of the list itself
                break
        elif token.kind == "," and depth == 0:
            if current:
                elements.append(current)
            current = []
            continue
        current.append(token)
    if current:
        elements.append(current)
    return elements


def _flatten(runs: list[list[_Token]], nested: bool = False) -> list[tuple[list[_Token], bool]]:
    """A list pasted inside the top-level list (a concatenation slip) contributes its own elements."""
    flat: list[tuple[list[_Token], bool]] = []
    for run in runs:
        if run[0].kind == "[" and any(token.kind == "{" for token in run[1:2]):
            flat.extend(_flatten(_split_elements(run), nested=True))
        else:
            flat.append((run, nested))
    return flat


def read_json_list(text: str) -> tuple[list[Element], list[str]]:
    """Decode a (possibly damaged) JSON list into elements; also return file-level notes.

    Strict JSON is decoded as it is. Otherwise each element is repaired and decoded independently;
    an element that still fails comes back with ``error`` set, never silently dropped.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = None
    else:
        if not isinstance(data, list):
            raise LenientJsonError(f"expected a JSON list of entries, found a JSON {type(data).__name__}")
        return [Element(index, 0, value) for index, value in enumerate(data)], []
    tokens, cut_strings = _tokenize(text)
    if not tokens or tokens[0].kind != "[":
        raise LenientJsonError("expected a JSON list of entries (the text does not start with '[')")
    elements: list[Element] = []
    for index, (run, flattened) in enumerate(_flatten(_split_elements(tokens))):
        first, last = run[0].line, run[-1].line
        repaired, repairs = _repair(run)
        repairs = [note for line, note in cut_strings if first <= line <= last] + repairs
        if flattened:
            repairs.insert(0, "taken from a list nested inside the top-level list (an unclosed '[')")
        element = Element(index, first, repairs=repairs)
        try:
            element.value = json.loads(repaired)
        except json.JSONDecodeError as error:
            element.error = f"not valid JSON even after repair (element at line {first}): {error.msg}"
        elements.append(element)
    notes = [f"not strict JSON; decoded element by element ({len(elements)} elements)"]
    return elements, notes
