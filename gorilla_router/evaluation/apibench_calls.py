"""Find the function calls in a piece of APIBench code, tolerantly, as (function text, call text, arguments).

APIBench answers are model text: ``pipeline('text-classification', model='x')``, but also
``\\"model = torch.hub.load('a', 'b')`` with stray escapes, a trailing ``.``, or a positional argument after a
keyword one. Gorilla's original scripts parsed them with tree-sitter, whose error recovery still yields the
call sub-trees of broken code. We parse with Python's :mod:`ast` first (exact source segments); only when the
text is not valid Python do we fall back to a bracket- and string-aware scan that approximates the call
pieces tree-sitter recovers (function text, full call text, argument texts). The arguments of a parsed call
come from :mod:`gorilla_router.callsyntax`, the syntax core every call parser shares; this module keeps
its own policy — source text rather than values, since APIBench compares what was written. Measured with
``benchmarks/bench_apibench_matcher.py``: the published figures within 0.5 points, and the original
scripts' scores within one point on 21 of the 24 released response files (the other three are prose
answers, where tree-sitter's error recovery is not worth imitating further). Nothing is ever evaluated.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from gorilla_router.callsyntax import arguments_as_written

__all__ = ["CallArgument", "CodeCall", "find_calls"]

_CALL_START = re.compile(r"(?<![\w.])([A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*)\s*\(")
_KEYWORD = re.compile(r"^\s*([A-Za-z_]\w*)\s*=(?!=)")
_IMPORT = re.compile(r"(?:(?:^|\\n|\n|;)[ \t]*|\bfrom[ \t]+[\w.]+[ \t]+)import\b")


@dataclass(frozen=True)
class CallArgument:
    """One argument as written: ``keyword`` is None for a positional one; ``value`` is the value's text."""

    text: str
    value: str
    keyword: str | None = None


@dataclass(frozen=True)
class CodeCall:
    """A call found in code: ``function`` as written (``hub.KerasLayer``), the whole ``text``, its arguments.

    ``start``/``end`` locate it (UTF-8 byte offsets for parsed code, character offsets for recovered code;
    only used to order calls); ``recovered`` is True when the call came from the tolerant scan.
    """

    function: str
    text: str
    arguments: tuple[CallArgument, ...]
    start: int
    end: int
    recovered: bool = False


def find_calls(code: str) -> list[CodeCall]:
    """Every call in ``code``, outer before inner and later before earlier (the original scripts' order).

    That order (a right-to-left pre-order walk) matters: the matcher takes the first call whose function
    text fits, exactly as Gorilla's ``ast_check`` does.
    """
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        calls = _scan_calls(code)
    else:
        calls = _ast_calls(code, tree)
    return sorted(calls, key=lambda call: (-call.end, call.start))


def _ast_calls(code: str, tree: ast.AST) -> list[CodeCall]:
    offsets = _line_offsets(code)
    calls: list[CodeCall] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        function = ast.get_source_segment(code, node.func)
        text = ast.get_source_segment(code, node)
        if function is None or text is None or node.end_lineno is None or node.end_col_offset is None:
            continue
        arguments = [_ast_argument(code, argument) for argument in arguments_as_written(node)]
        start = offsets[node.lineno - 1] + node.col_offset
        end = offsets[node.end_lineno - 1] + node.end_col_offset
        calls.append(CodeCall(function, text, tuple(a for a in arguments if a is not None), start, end))
    return calls


def _ast_argument(code: str, node: ast.expr | ast.keyword) -> CallArgument | None:
    text = ast.get_source_segment(code, node)
    if text is None:
        return None
    if isinstance(node, ast.keyword):
        value = ast.get_source_segment(code, node.value) or ""
        return CallArgument(text, value, node.arg)
    return CallArgument(text, text)


def _line_offsets(code: str) -> list[int]:
    offsets = [0]
    for line in code.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line.encode("utf-8")))
    return offsets


def _scan_calls(code: str) -> list[CodeCall]:
    """Recover calls from text that is not valid Python: each ``name(`` to its matching ``)`` (or the end).

    Mimics what tree-sitter's error recovery keeps: nothing inside strings or ``#`` comments, and not the
    first call after an ``import`` statement on the same physical line (with ``\\n`` escapes instead of
    line breaks, the import swallows that call's dotted name as the module it imports).
    """
    masked = _mask_strings_and_comments(code)
    starts = list(_CALL_START.finditer(masked))
    swallowed = {_first_call_after(starts, masked, found.end()) for found in _IMPORT.finditer(masked)}
    calls: list[CodeCall] = []
    for number, match in enumerate(starts):
        if number in swallowed:
            continue
        open_at = match.end() - 1
        close_at = _matching_close(masked, open_at)
        end = len(code) if close_at is None else close_at + 1
        inner_end = close_at if close_at is not None else len(code)
        arguments = tuple(
            _scan_argument(code[a:b])
            for a, b in _split_top_level(masked, open_at + 1, inner_end)
            if code[a:b].strip()
        )
        calls.append(CodeCall(match.group(1), code[match.start() : end], arguments, match.start(), end, True))
    return calls


def _first_call_after(starts: list[re.Match[str]], masked: str, position: int) -> int | None:
    """Index in ``starts`` of the first call after ``position`` on the same physical line, if any."""
    for number, match in enumerate(starts):
        if match.start() >= position:
            return None if "\n" in masked[position : match.start()] else number
    return None


def _scan_argument(piece: str) -> CallArgument:
    text = piece.strip()
    keyword = _KEYWORD.match(text)
    if keyword:
        return CallArgument(text, text[keyword.end() :].strip(), keyword.group(1))
    return CallArgument(text, text)


def _mask_strings_and_comments(code: str) -> str:
    """``code`` with string contents and comments blanked (same length), so brackets can be matched.

    A quote opens a string only if it is closed on the same line and does not follow a backslash (a stray
    ``\\"`` outside a string) — how tree-sitter recovers from such text.
    """
    chars = list(code)
    index = 0
    while index < len(code):
        char = code[index]
        if char == "#":
            line_end = code.find("\n", index)
            line_end = len(code) if line_end == -1 else line_end
            chars[index:line_end] = " " * (line_end - index)
            index = line_end
            continue
        if char in "'\"" and (index == 0 or code[index - 1] != "\\"):
            end = _string_end(code, index)
            if end is not None:
                chars[index + 1 : end - 1] = "_" * (end - index - 2)
                index = end
                continue
        index += 1
    return "".join(chars)


def _string_end(code: str, start: int) -> int | None:
    """Index just past the string literal starting at ``start``; None when it is not closed on its line."""
    quote = code[start]
    index = start + 1
    while index < len(code):
        if code[index] == "\\":
            index += 2
            continue
        if code[index] == quote:
            return index + 1
        if code[index] == "\n":
            return None
        index += 1
    return None


def _matching_close(masked: str, open_at: int) -> int | None:
    """Index of the ``)`` closing ``masked[open_at]``, over nested brackets; None if it is never closed."""
    depth = 0
    for index in range(open_at, len(masked)):
        char = masked[index]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                return index if char == ")" else None
    return None


def _split_top_level(masked: str, start: int, end: int) -> list[tuple[int, int]]:
    """The (start, end) spans of the arguments between ``start`` and ``end``: split at top-level commas."""
    spans: list[tuple[int, int]] = []
    depth = 0
    current = start
    for index in range(start, end):
        char = masked[index]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(depth - 1, 0)
        elif char == "," and depth == 0:
            spans.append((current, index))
            current = index + 1
    spans.append((current, end))
    return spans
