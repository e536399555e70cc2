"""How a result is written back into the text: one short line that cannot break the span around it.

Toolformer splices ``[call → result]`` into running text that a model then reads (and a person may
re-annotate), so the result must stay on one line, must not close the bracket early (``]`` is written as
``\\]``, which the span scanner skips) and must not flood the passage: anything longer than
``max_chars`` is cut at a word boundary where possible and ends with ``…``.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["ELLIPSIS", "render_result", "shorten", "splice"]

ELLIPSIS = "…"


def render_result(output: Any, max_chars: int) -> str:
    """``output`` as one short line: strings as they are, numbers as Python writes them, the rest as JSON.

    A float with no fractional part is written as an integer (``math.sqrt(x=1521)`` → ``39``), as the
    text around it would write it: ``39.0`` in ``… is [… → 39.0] 39`` is noise a reader (or the model
    scoring the call) has to see past.
    """
    if isinstance(output, str):
        text = output
    elif isinstance(output, float) and output.is_integer() and abs(output) < 1e15:
        text = str(int(output))
    elif isinstance(output, bool) or output is None or isinstance(output, (int, float)):
        text = repr(output) if not isinstance(output, bool) else str(output)
    else:
        text = json.dumps(output, ensure_ascii=False, default=str, separators=(", ", ": "))
    text = " ".join(text.split())
    return shorten(text, max_chars).replace("]", "\\]")


def shorten(text: str, max_chars: int) -> str:
    """``text`` cut to at most ``max_chars`` characters (the ellipsis included)."""
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, got {max_chars}")
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1]
    space = cut.rfind(" ")
    if space >= max_chars // 2:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def splice(call_text: str, result: str, arrow: str = "→") -> str:
    """The annotated span: ``[call → result]``."""
    return f"[{call_text} {arrow} {result}]"
