"""Pull a summary and per-parameter descriptions out of Google-, NumPy- or Sphinx-style docstrings."""

from __future__ import annotations

import inspect
import re

__all__ = ["parse_docstring"]

_SECTION = re.compile(r"^(Args|Arguments|Parameters|Params|Keyword Args|Keyword Arguments)\s*:?\s*$")
_ANY_SECTION = re.compile(r"^[A-Z][A-Za-z ]+:?\s*$")
_UNDERLINE = re.compile(r"^-{3,}\s*$")
_GOOGLE_ITEM = re.compile(r"^(\*{0,2}[A-Za-z_]\w*)\s*(?:\(([^)]*)\))?\s*:\s*(.*)$")
_NUMPY_ITEM = re.compile(r"^([A-Za-z_]\w*)\s*(?::\s*(.*))?$")
_SPHINX_ITEM = re.compile(r"^:param\s+(?:[^:]*\s)?([A-Za-z_]\w*)\s*:\s*(.*)$")


def _summary(text: str) -> str:
    paragraph = text.strip().split("\n\n", 1)[0]
    return " ".join(line.strip() for line in paragraph.splitlines()).strip()


def parse_docstring(doc: str | None) -> tuple[str, dict[str, str]]:
    """``(first paragraph, {parameter: description})``; empty values when there is no docstring."""
    if not doc:
        return "", {}
    lines = inspect.cleandoc(doc).splitlines()
    params: dict[str, str] = {}
    for line in lines:
        match = _SPHINX_ITEM.match(line.strip())
        if match:
            params[match.group(1)] = match.group(2).strip()
    current: str | None = None
    style: str | None = None  # "google" or "numpy" while inside a parameters section
    base_indent = 0
    for index, line in enumerate(lines):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if _SECTION.match(stripped):
            numpy = index + 1 < len(lines) and bool(_UNDERLINE.match(lines[index + 1].strip()))
            style, current, base_indent = ("numpy" if numpy else "google"), None, -1
            continue
        if style is None or not stripped or _UNDERLINE.match(stripped):
            continue
        if base_indent < 0:
            base_indent = indent
        if indent < base_indent or (
            indent == base_indent and _ANY_SECTION.match(stripped) and ":" not in stripped[:-1]
        ):
            style = None
            continue
        item = (
            (_NUMPY_ITEM if style == "numpy" else _GOOGLE_ITEM).match(stripped)
            if indent == base_indent
            else None
        )
        if item is not None:
            current = item.group(1).lstrip("*")
            params[current] = item.group(3).strip() if style == "google" else ""
        elif current is not None:
            params[current] = (params[current] + " " + stripped).strip()
    return _summary(doc), params
