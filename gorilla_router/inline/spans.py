"""Find Toolformer-style inline calls — ``[api(args)]`` — in free text, without evaluating anything.

What counts as a call span, and why:

* ``[`` + a dotted name + ``(`` … ``)`` + ``]``: the content must *end* with the closing parenthesis, so
  prose such as ``[sic]``, ``[1]`` or ``[Note(s) below]`` is never mistaken for a call.
* Inside the call, brackets, braces, parentheses and string literals are matched (``[f(xs=[1, 2])]``,
  ``[f(s="a]b")]``), so arguments may contain any literal; a mismatch is reported for that span.
* ``\\[`` is an escaped, literal bracket (as in Markdown); text in fenced code blocks (```` ``` ````,
  ``~~~``) and inline code (`` `…` ``) is code, not calls — both are left alone and not reported.
* A span that already carries a result (``[inc(1) → 2]``, or ``->``) was annotated before: it is skipped,
  so annotating twice executes nothing twice.
* Nested spans: the outer bracket of ``[see [inc(1)]]`` does not start a call (``see`` is not followed by
  ``(``), so the inner call is found; brackets inside a call's arguments belong to that call.

Cost is bounded for hostile text: only the first ``max_spans`` openers are scanned (each at most
``max_call_chars`` characters); later openers are reported as over the limit without being scanned, so
10,000 brackets cost one regex pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["ARROWS", "Span", "code_regions", "find_spans"]

ARROWS = ("→", "->")
_OPENER = re.compile(r"\[\s*([A-Za-z_][A-Za-z0-9_.\-]*)\s*\(")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]*\1[ \t]*$|\Z)", re.DOTALL | re.MULTILINE)
_INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_CLOSERS = {")": "(", "]": "[", "}": "{"}


@dataclass(frozen=True)
class Span:
    """One candidate call in the text: ``text[start:end]`` is the whole ``[…]``; ``call`` is inside it.

    ``error`` is set when the span cannot be a well-formed call (unbalanced brackets, an unterminated
    string, over a limit); such a span is reported and never parsed further, let alone executed.
    """

    start: int
    end: int
    call: str
    error: str | None = None
    over_limit: bool = False
    annotated: bool = False


def code_regions(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of fenced code blocks and inline code spans, in order; calls there are code."""
    regions = [(m.start(), m.end()) for m in _FENCE.finditer(text)]
    fenced = list(regions)
    for match in _INLINE_CODE.finditer(text):
        if not any(s <= match.start() < e for s, e in fenced):
            regions.append((match.start(), match.end()))
    return sorted(regions)


def _escaped(text: str, index: int) -> bool:
    """Whether ``text[index]`` is preceded by an odd number of backslashes."""
    count = 0
    while index - count - 1 >= 0 and text[index - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def find_spans(text: str, *, max_spans: int = 50, max_call_chars: int = 2000) -> list[Span]:
    """Every call span in ``text``, in order (see the module docstring for the rules and limits)."""
    regions = code_regions(text)
    spans: list[Span] = []
    scanned = 0
    resume = 0  # openers before this index lie inside a span already found
    region_index = 0
    for match in _OPENER.finditer(text):
        start = match.start()
        if start < resume or _escaped(text, start):
            continue
        while region_index < len(regions) and regions[region_index][1] <= start:
            region_index += 1
        if region_index < len(regions) and regions[region_index][0] <= start:
            continue
        if scanned >= max_spans:
            spans.append(
                Span(
                    start,
                    match.end(),
                    match.group(0)[1:],
                    error=f"more than {max_spans} inline calls in one text; this one was not parsed",
                    over_limit=True,
                )
            )
            continue
        scanned += 1
        span = _scan(text, start, match.end() - 1, max_call_chars)
        if span is None:
            continue
        if span.error is None:
            resume = span.end
        if not span.annotated:
            spans.append(span)
    return spans


def _scan(text: str, start: int, paren: int, limit: int) -> Span | None:
    """Match the call opened at ``text[start] == "["``; ``None`` when this bracket is not a call at all."""
    stack: list[str] = ["["]
    index = paren
    stop = min(len(text), start + limit)
    while index < stop:
        char = text[index]
        if char in "\"'":
            end = _string_end(text, index, stop)
            if end is None:
                return _broken(
                    text, start, index, f"unterminated string literal starting {text[index:][:20]!r}"
                )
            index = end + 1
            continue
        if char in "([{":
            stack.append(char)
        elif char in _CLOSERS:
            if stack[-1] != _CLOSERS[char]:
                return _broken(text, start, index + 1, f"unbalanced brackets: {char!r} closes {stack[-1]!r}")
            stack.pop()
            if not stack:
                return _finish(text, start, index)
        elif len(stack) == 1 and text.startswith(ARROWS, index):
            return _annotated(text, start, index, stop)
        index += 1
    if stop < len(text):
        return _broken(text, start, stop, f"the call is longer than {limit} characters")
    return _broken(text, start, len(text), "unbalanced brackets: the call is never closed with ']'")


def _string_end(text: str, quote_at: int, stop: int) -> int | None:
    quote = text[quote_at]
    index = quote_at + 1
    while index < stop:
        if text[index] == "\\":
            index += 2
            continue
        if text[index] == quote:
            return index
        if text[index] == "\n":
            return None
        index += 1
    return None


def _finish(text: str, start: int, close: int) -> Span | None:
    call = text[start + 1 : close].strip()
    if not call.endswith(")"):
        return None  # prose in brackets that happens to contain "word(": not a call
    return Span(start, close + 1, call)


def _annotated(text: str, start: int, arrow: int, stop: int) -> Span | None:
    """A span that already has ``→ result`` (results escape ``]`` as ``\\]``): skipped by the caller.

    Its call ran when the result was written, so it must not run again; openers inside the result are
    part of this span, not new calls.
    """
    index = arrow
    while index < stop:
        if text[index] == "\\":
            index += 2
            continue
        if text[index] == "]":
            return Span(start, index + 1, text[start + 1 : arrow].strip(), annotated=True)
        index += 1
    return None


def _broken(text: str, start: int, end: int, problem: str) -> Span:
    return Span(start, end, text[start + 1 : end].strip(), error=problem)
