"""Before/after on the held-out split, through the router itself: retrieve → decode → validate.

Each held-out item (:mod:`.split`) goes through ``GorillaRouter.plan`` over the zoo *without* the held-out
examples (so a test request is not in the index), with the model under test as the backend. A call is
correct when its API id equals the gold one and its validated arguments (defaults applied, unambiguous
coercions done) equal the gold call's after the same validation — the rule of ``bench_end_to_end.py``.

The result is an :class:`~gorilla_router.evaluation.report.EvalReport` (printed with ``eval``'s tables);
categories: ``gold retrieved`` / ``gold not retrieved``; hallucination = a call to an API outside the
candidates (the constrained decoder makes it impossible; it is measured, not assumed). Also: no-call
precision — of the items answered "no call", the share where the right API really was not retrieved.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rich.table import Table

from gorilla_router.config import RouterConfig
from gorilla_router.errors import GenerationError, ValidationError
from gorilla_router.evaluation.report import EvalReport, ItemOutcome
from gorilla_router.generation.base import ModelBackend
from gorilla_router.router import GorillaRouter
from gorilla_router.specs import ApiCall
from gorilla_router.zoo import ApiZoo

from .split import HeldOutItem

__all__ = ["comparison_table", "evaluate_held_out", "model_backend", "no_call_precision"]


def model_backend(folder: str | Path) -> ModelBackend:
    """The router's backend for a model folder, exactly as ``backend="embedded:<folder>"`` builds it."""
    from gorilla_router.generation.registry import load_backend

    return load_backend(f"embedded:{Path(folder).resolve()}")


def _normalised(call: ApiCall, zoo: ApiZoo) -> tuple[str, dict[str, Any]]:
    from gorilla_router.execution import validate_arguments

    try:
        return call.api_id, validate_arguments(call, zoo.get(call.api_id)).arguments
    except (ValidationError, KeyError):
        return call.api_id, call.arguments


def _gold(item: HeldOutItem, zoo: ApiZoo) -> tuple[str, dict[str, Any]] | None:
    from gorilla_router.generation.parsing import parse_calls

    try:
        calls = parse_calls(item.call, [zoo.get(item.api_id)])
    except (GenerationError, KeyError):
        return None
    return _normalised(calls[0], zoo) if calls else None


def evaluate_held_out(
    zoo: ApiZoo,
    items: Sequence[HeldOutItem],
    backend: ModelBackend,
    config: RouterConfig,
    *,
    name: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> EvalReport:
    """Plan every item through a router over ``zoo`` with ``backend``; one outcome per item."""
    router = GorillaRouter(zoo=zoo, backend=backend, config=config)
    started = time.perf_counter()
    outcomes = []
    try:
        for number, item in enumerate(items, 1):
            t0 = time.perf_counter()
            plan = router.plan(item.query)
            latency = time.perf_counter() - t0
            offered = [c.spec.id for c in plan.candidates]
            calls = [planned.call for planned in plan.calls]
            gold = _gold(item, zoo)
            passed = bool(calls) and gold is not None and _normalised(calls[0], zoo) == gold
            outcomes.append(
                ItemOutcome(
                    id=f"{item.api_id}#heldout",
                    category="gold retrieved" if item.api_id in offered else "gold not retrieved",
                    question=item.query,
                    candidates=offered,
                    raw_output=calls[0].raw or "" if calls else "",
                    calls=[{"api_id": c.api_id, "arguments": c.arguments} for c in calls],
                    passed=passed,
                    reason="" if passed else (plan.no_call_reason or f"gold {item.call}"),
                    hallucination=any(c.api_id not in offered for c in calls),
                    latency_s=latency,
                    extra={"gold": item.call, "no_call": not calls, "gold_offered": item.api_id in offered},
                )
            )
            if progress is not None:
                progress(number, len(items))
    finally:
        router.close()
    return EvalReport(name or getattr(backend, "name", "model"), outcomes, time.perf_counter() - started)


def no_call_precision(report: EvalReport) -> float | None:
    """Of the items answered "no call", the share whose right API was not among the candidates."""
    declined = [o for o in report.items if o.extra.get("no_call")]
    if not declined:
        return None
    return sum(not o.extra.get("gold_offered") for o in declined) / len(declined)


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def comparison_table(before: EvalReport | None, after: EvalReport, title: str = "Held-out split") -> Table:
    """Exact-call accuracy (per category), no-call precision, outside candidates, latency: before → after."""
    table = Table(title=title, title_justify="left")
    for column in ("metric", "before", "after", "change"):
        table.add_column(column, justify="left" if column == "metric" else "right")

    def row(metric: str, pick: Callable[[EvalReport], float | None], points: bool = True) -> None:
        old = pick(before) if before is not None else None
        new = pick(after)
        if points:
            change = "" if old is None or new is None else f"{100 * (new - old):+.1f} pts"
            table.add_row(metric, _percent(old) if before else "-", _percent(new), change)
        else:
            change = "" if old is None or new is None else f"{new - old:+.2f} s"
            table.add_row(metric, f"{old:.2f} s" if old is not None else "-", f"{new or 0:.2f} s", change)

    table.add_row("items", str(before.total) if before else "-", str(after.total), "")
    row("exact-call accuracy", lambda r: r.accuracy)

    def category_accuracy(name: str) -> Callable[[EvalReport], float | None]:
        return lambda r: r.per_category()[name].accuracy if name in r.per_category() else None

    for category in sorted(after.per_category()):
        row(f"  {category} ({after.per_category()[category].total})", category_accuracy(category))
    row("no-call answers", lambda r: sum(bool(o.extra.get("no_call")) for o in r.items) / (r.total or 1))
    row("no-call precision", no_call_precision)
    row("API outside the candidates", lambda r: r.hallucination)
    row("mean latency per request", lambda r: r.mean_latency_s, points=False)
    return table
