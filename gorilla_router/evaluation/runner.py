"""Run a backend (or a file of responses produced elsewhere) over BFCL items and score every answer.

``evaluate(backend, items, candidates_fn)`` asks the backend for calls with the candidates each item offers
and checks them with the AST checker. ``evaluate_responses(responses, items, candidates_fn)`` does the same
for outputs written by another system (BFCL result files, a hosted model): the text is parsed with the
project's ``ast``-only parser and scored identically. Output that names a function that was not offered
counts as a hallucination (and fails); unparseable output fails with the parser's message.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from gorilla_router.errors import BackendError, ConfigError, GenerationError, ModelOutputError
from gorilla_router.evaluation.apibench import read_jsonl
from gorilla_router.evaluation.bfcl import BfclItem, check_item
from gorilla_router.evaluation.candidates import CandidatesFn, gold_candidates
from gorilla_router.evaluation.report import EvalReport, ItemOutcome
from gorilla_router.generation.base import ModelBackend
from gorilla_router.generation.parsing import parse_calls, parse_tool_calls
from gorilla_router.specs import ApiCall, Candidate

__all__ = ["evaluate", "evaluate_responses", "load_responses"]

Produce = Callable[[BfclItem, list[Candidate]], list[ApiCall]]
_RESPONSE_KEYS = ("result", "response", "output", "text", "model_answer")


def evaluate(
    backend: ModelBackend,
    items: Sequence[BfclItem],
    candidates_fn: CandidatesFn = gold_candidates,
    on_item: Callable[[ItemOutcome], None] | None = None,
) -> EvalReport:
    """Score ``backend`` on ``items``; ``on_item`` sees each outcome as it is made (progress display)."""

    def produce(item: BfclItem, candidates: list[Candidate]) -> list[ApiCall]:
        return backend.generate(item.question, candidates)

    return _run(getattr(backend, "name", type(backend).__name__), produce, items, candidates_fn, on_item)


def evaluate_responses(
    responses: Mapping[str, Any],
    items: Sequence[BfclItem],
    candidates_fn: CandidatesFn = gold_candidates,
    name: str = "responses",
) -> EvalReport:
    """Score outputs produced elsewhere: ``responses`` maps item id → model text (or decoded tool calls)."""
    missing = [item.id for item in items if item.id not in responses]
    if missing:
        raise ConfigError(f"the responses have no answer for {len(missing)} item(s), e.g. {missing[:3]}")

    def produce(item: BfclItem, candidates: list[Candidate]) -> list[ApiCall]:
        return _parse_response(responses[item.id], candidates)

    return _run(name, produce, items, candidates_fn, None)


def load_responses(path: str | Path) -> dict[str, Any]:
    """Read a responses file: JSON Lines with ``id`` and the output under ``result``/``response``/``text``."""
    responses: dict[str, Any] = {}
    for number, row in enumerate(read_jsonl(path), start=1):
        key = next((k for k in _RESPONSE_KEYS if k in row), None)
        if "id" not in row or key is None:
            raise ConfigError(f"{path}:{number}: each line needs 'id' and one of {', '.join(_RESPONSE_KEYS)}")
        responses[str(row["id"])] = row[key]
    return responses


def _parse_response(response: Any, candidates: list[Candidate]) -> list[ApiCall]:
    if isinstance(response, str):
        return parse_calls(response, candidates)
    return parse_tool_calls(response, candidates)


def _names_unoffered_function(raw: str, offered: set[str]) -> bool:
    """True when ``raw`` parses as calls of which at least one names a function that was not offered."""
    try:
        written = parse_calls(raw)
    except GenerationError:
        return False
    return any(call.api_id not in offered for call in written)


def _run(
    name: str,
    produce: Produce,
    items: Sequence[BfclItem],
    candidates_fn: CandidatesFn,
    on_item: Callable[[ItemOutcome], None] | None,
) -> EvalReport:
    started = time.perf_counter()
    outcomes: list[ItemOutcome] = []
    for item in items:
        searched = time.perf_counter()
        candidates = candidates_fn(item)
        offered = {c.spec.id for c in candidates}
        began = time.perf_counter()
        calls: list[ApiCall] = []
        hallucination = False
        try:
            calls = produce(item, candidates)
        except ModelOutputError as error:  # GenerationError, or a backend's own ValidationError
            raw, verdict = error.raw, (False, f"unusable output: {error}")
            hallucination = _names_unoffered_function(raw, offered)
        except BackendError as error:
            raw, verdict = "", (False, f"backend error: {error}")
        else:
            raw = "\n".join(dict.fromkeys(c.raw for c in calls if c.raw))
            hallucination = any(c.api_id not in offered for c in calls)
            result = check_item(item, calls)
            verdict = (result.passed and not hallucination, result.reason)
        outcome = ItemOutcome(
            id=item.id,
            category=item.category,
            question=item.question,
            candidates=[c.spec.id for c in candidates],
            raw_output=raw,
            calls=[{"api_id": c.api_id, "arguments": c.arguments} for c in calls],
            passed=verdict[0],
            reason=verdict[1],
            hallucination=hallucination,
            latency_s=time.perf_counter() - began,
            extra={"candidates_s": began - searched},
        )
        outcomes.append(outcome)
        if on_item is not None:
            on_item(outcome)
    return EvalReport(name, outcomes, time.perf_counter() - started)
