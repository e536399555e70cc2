"""The plan panel shows an invalid call's problems once, and a denied call's errors when they add to it."""

from __future__ import annotations

from rich.console import Console

from gorilla_router.plan import Plan, PlannedCall
from gorilla_router.specs import ApiCall
from gorilla_router.terminal.render import plan_panel


def _rendered(planned: PlannedCall) -> str:
    console = Console(record=True, width=120)
    console.print(plan_panel(Plan(query="q", candidates=[], calls=[planned])))
    return console.export_text()


def test_an_invalid_calls_problems_are_listed_once() -> None:
    problem = "parameter 'base': 'euro' does not match '^[A-Z]{3}$'"
    planned = PlannedCall(
        call=ApiCall(api_id="frankfurter.latest", arguments={"base": "euro"}),
        decision="invalid",
        reason=f"invalid arguments for frankfurter.latest:\n- {problem}",
        errors=[problem],
    )
    assert _rendered(planned).count("does not match") == 1


def test_errors_the_reason_does_not_hold_are_shown() -> None:
    planned = PlannedCall(
        call=ApiCall(api_id="math.sqrt", arguments={"x": 1}),
        decision="invalid",
        reason="the repaired call is still invalid",
        errors=["parameter 'x': expected a number, got 'one'"],
    )
    assert "expected a number, got 'one'" in _rendered(planned)
