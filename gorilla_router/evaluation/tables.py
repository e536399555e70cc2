"""Rich tables for an ``EvalReport``: the headline figures and the per-category counts.

Shared by ``gorilla-router eval …`` and the benchmark scripts so every figure is printed the same way.
"""

from __future__ import annotations

from collections import Counter

from rich.table import Table

from gorilla_router.evaluation.report import EvalReport

__all__ = ["categories_table", "summary_table", "verdicts_table"]


def _percent(value: float) -> str:
    return f"{100 * value:.1f}%"


def summary_table(report: EvalReport, title: str = "") -> Table:
    """Items, accuracy, hallucination (where defined), latency and wall time."""
    table = Table(title=title or f"Evaluation: {report.name}", title_justify="left")
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_row("items", str(report.total))
    table.add_row("accuracy", _percent(report.accuracy))
    table.add_row("hallucination", _percent(report.hallucination) if report.hallucination_defined else "n/a")
    table.add_row("mean latency", f"{report.mean_latency_s * 1000:.1f} ms")
    table.add_row("wall time", f"{report.seconds:.2f} s")
    return table


def categories_table(report: EvalReport) -> Table:
    """Per-category items, passed, accuracy and hallucinations."""
    table = Table(title="Per category", title_justify="left")
    for column in ("category", "items", "passed", "accuracy", "hallucinated"):
        table.add_column(column, justify="left" if column == "category" else "right")
    for name, counts in report.per_category().items():
        table.add_row(
            name, str(counts.total), str(counts.passed), _percent(counts.accuracy), str(counts.hallucinated)
        )
    return table


def verdicts_table(report: EvalReport) -> Table:
    """APIBench verdict counts (correct / wrong / hallucination / no api_call)."""
    counts = Counter(str(o.extra.get("verdict", "")) for o in report.items)
    table = Table(title="APIBench verdicts", title_justify="left")
    table.add_column("verdict")
    table.add_column("items", justify="right")
    table.add_column("share", justify="right")
    for verdict in ("correct", "wrong", "hallucination", "no_api_call"):
        share = counts[verdict] / report.total if report.total else 0.0
        table.add_row(verdict, str(counts[verdict]), _percent(share))
    return table
