"""Read BFCL-format files: a questions file and a possible-answers file, both JSON Lines, joined on ``id``.

Questions: ``id``, ``question`` (a string, a list of chat messages, or BFCL v3's list of turns of
messages — the user messages are joined), ``function`` (one doc or a list). Answers: ``id`` and
``ground_truth`` (a list of ``{function_name: {param: [acceptable values…]}}``). Irrelevance items need no
answer line. Every problem names the file, the line and what to fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gorilla_router.errors import ConfigError
from gorilla_router.evaluation.apibench import read_jsonl
from gorilla_router.evaluation.bfcl import BfclItem, category_of

__all__ = ["load_bfcl", "question_text"]


def question_text(question: Any) -> str:
    """The user's request from any of the question shapes (user messages joined by newlines)."""
    if isinstance(question, str):
        return question
    if isinstance(question, dict):
        if question.get("role", "user") == "user":
            return str(question.get("content", ""))
        return ""
    if isinstance(question, list):
        return "\n".join(text for text in (question_text(part) for part in question) if text)
    raise ConfigError(
        f"a question must be a string or a list of chat messages, got {type(question).__name__}"
    )


def load_bfcl(
    questions: str | Path, answers: str | Path | None = None, limit: int | None = None
) -> list[BfclItem]:
    """Load items (the first ``limit`` questions); answers are required except for irrelevance items."""
    rows = read_jsonl(questions)[: limit if limit is not None else None]
    truths: dict[str, Any] = {}
    if answers is not None:
        for row in read_jsonl(answers):
            if "id" not in row or "ground_truth" not in row:
                raise ConfigError(
                    f"{answers}: every line needs 'id' and 'ground_truth'; got keys {sorted(row)}"
                )
            truths[str(row["id"])] = row["ground_truth"]
    items: list[BfclItem] = []
    for number, row in enumerate(rows, start=1):
        where = f"{questions}:{number}"
        if "id" not in row or "question" not in row or "function" not in row:
            raise ConfigError(
                f"{where}: a question line needs 'id', 'question' and 'function'; got {sorted(row)}"
            )
        item_id = str(row["id"])
        category = category_of(item_id, row.get("category"))
        functions = row["function"] if isinstance(row["function"], list) else [row["function"]]
        truth = truths.get(item_id)
        if truth is None and category != "irrelevance":
            hint = "pass --answers" if answers is None else f"add it to {answers}"
            raise ConfigError(f"{where}: no ground truth for {item_id!r}; {hint}")
        items.append(
            BfclItem(
                item_id, question_text(row["question"]), functions, _ground_truth(truth, where), category
            )
        )
    return items


def _ground_truth(truth: Any, where: str) -> list[dict[str, dict[str, list[Any]]]]:
    if truth is None:
        return []
    entries = truth if isinstance(truth, list) else [truth]
    for entry in entries:
        if not (isinstance(entry, dict) and len(entry) == 1 and isinstance(next(iter(entry.values())), dict)):
            raise ConfigError(
                f"{where}: each ground truth entry must be {{function: {{param: [values]}}}}, got {entry!r}"
            )
    return entries
