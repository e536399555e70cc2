"""Rich renderings shared by ``run``, ``plan`` and the demo tour: candidates, calls, guard decisions, results.

One place decides how a router value looks on a terminal, so the commands and the tour read the same way.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from rich.console import Group
from rich.panel import Panel
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from gorilla_router.plan import Plan
from gorilla_router.specs import CallResult, CallStatus, Candidate

__all__ = ["candidates_table", "plan_panel", "result_panel", "timings_line"]

_STATUS_STYLE = {
    CallStatus.OK: "green",
    CallStatus.DRY_RUN: "cyan",
    CallStatus.DENIED: "yellow",
    CallStatus.INVALID: "red",
    CallStatus.ERROR: "red",
    CallStatus.NO_CALL: "yellow",
    CallStatus.NEEDS_INPUT: "magenta",
}
_DECISION_STYLE = {
    "execute": "green",
    "dry_run": "cyan",
    "ask": "yellow",
    "deny": "red",
    "invalid": "red",
    "needs_input": "magenta",
}


def candidates_table(candidates: Sequence[Candidate], title: str = "Retrieved APIs") -> Table:
    table = Table(title=title, title_justify="left", expand=False)
    table.add_column("#", justify="right")
    table.add_column("API")
    table.add_column("score", justify="right")
    table.add_column("effects")
    table.add_column("description", overflow="fold", max_width=60)
    for candidate in candidates:
        spec = candidate.spec
        table.add_row(
            str(candidate.rank), spec.id, f"{candidate.score:.3f}", spec.side_effects, spec.description
        )
    return table


def _pretty(value: Any) -> str:
    try:
        return json.dumps(value, indent=2, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(value)


def plan_panel(plan: Plan) -> Panel:
    """The model's calls with the guard's decision for each (or why there is no call)."""
    if plan.no_call:
        return Panel(Text(plan.no_call_reason or "no call", style="yellow"), title="Generated call")
    parts: list[Any] = []
    for planned in plan.calls:
        style = _DECISION_STYLE.get(planned.decision, "white")
        parts.append(Syntax(planned.call.to_source(), "python", word_wrap=True))
        parts.append(
            Text.assemble(("guard: ", "bold"), (planned.decision, f"bold {style}"), f"  {planned.reason}")
        )
        # an invalid call's reason already lists its problems (one line each): show them once
        parts.extend(
            Text(f"  - {error}", style="red") for error in planned.errors if error not in planned.reason
        )
    return Panel(Group(*parts), title="Generated call and guard decision")


def result_panel(result: CallResult, title: str = "Result") -> Panel:
    """Status, the request (as sent or previewed) and the output or error."""
    style = _STATUS_STYLE.get(result.status, "white")
    parts: list[Any] = [Text.assemble(("status: ", "bold"), (result.status.value, f"bold {style}"))]
    if result.call is not None:
        parts.append(Syntax(result.call.to_source(), "python", word_wrap=True))
    if result.request:
        parts.append(Text("request:", style="bold"))
        parts.append(Syntax(_pretty(result.request), "json", word_wrap=True))
    if result.error:
        parts.append(Text(result.error, style=style))
    for missing in result.missing:
        parts.append(Text(f"  - please give {missing.describe()}", style=style))
    if result.output is not None:
        parts.append(Text("output:", style="bold"))
        parts.append(Syntax(_pretty(result.output), "json", word_wrap=True))
    return Panel(Group(*parts), title=title, border_style=style)


def timings_line(timings: dict[str, float]) -> Text:
    shown = ", ".join(f"{stage} {seconds * 1000:.0f} ms" for stage, seconds in timings.items())
    return Text(f"timings: {shown}", style="dim")
