"""The demo tour: start the food service, point provider ``uber`` at it, order burgers through the router.

The service's address reaches the router only through configuration (a base-url override and a private
allow-list entry for 127.0.0.1) — never through the model, which cannot choose hosts. Confirmation of the
order (a ``write`` call) is given automatically, for the demo only, and the panel says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.syntax import Syntax

from gorilla_router.config import RouterConfig
from gorilla_router.demo.food_service import LOOPBACK, FoodService
from gorilla_router.plan import Plan
from gorilla_router.router import GorillaRouter
from gorilla_router.specs import ApiCall, ApiSpec, CallResult
from gorilla_router.terminal.progress import IndexingBar, prepare
from gorilla_router.terminal.render import candidates_table, plan_panel, result_panel, timings_line

__all__ = ["DEMO_PROVIDER", "DEMO_QUERY", "DemoOutcome", "demo_config", "run_demo"]

DEMO_QUERY = "order five burgers and six chicken wings from McDonald's"
DEMO_PROVIDER = "uber"


def demo_config(base: RouterConfig, service_url: str) -> RouterConfig:
    """``base`` with provider ``uber`` pointed at the local service and 127.0.0.1 allowed for it."""
    overrides = {**base.base_url_overrides, DEMO_PROVIDER: service_url}
    allow_private = (
        [*base.allow_private, LOOPBACK] if LOOPBACK not in base.allow_private else base.allow_private
    )
    return base.model_copy(update={"base_url_overrides": overrides, "allow_private": allow_private})


@dataclass
class DemoOutcome:
    """What the tour did: the plan, the executed results, and the orders the service recorded."""

    plan: Plan
    results: list[CallResult] = field(default_factory=list)
    orders: list[dict[str, Any]] = field(default_factory=list)


def run_demo(console: Console, config: RouterConfig | None = None, query: str = DEMO_QUERY) -> DemoOutcome:
    """Run the tour end to end, printing each stage; the service is stopped before returning.

    Models are cached per process, so building this tour's own router after another one costs little.
    """
    base = config if config is not None else RouterConfig.load()
    with FoodService() as service:
        console.print(
            f"[bold]food service[/bold] listening on {service.url} (provider '{DEMO_PROVIDER}' → here)"
        )

        def auto_confirm(call: ApiCall, spec: ApiSpec, reason: str) -> bool:
            console.print(f"[yellow]{reason}[/yellow] → [bold]confirmed automatically for the demo[/bold]")
            return True

        bar = IndexingBar(console)
        router = GorillaRouter(config=demo_config(base, service.url), confirm=auto_confirm, progress=bar)
        prepare(router, console, bar)
        console.print(Panel(query, title="Request"))
        plan = router.plan(query)
        console.print(candidates_table(plan.candidates))
        console.print(plan_panel(plan))
        outcome = DemoOutcome(plan=plan)
        for planned in plan.calls:
            if planned.decision in ("invalid", "deny"):
                continue
            result = router.execute(planned.call)
            outcome.results.append(result)
            console.print(result_panel(result, title="Service reply"))
            console.print(timings_line({**plan.timings, **result.timings}))
        outcome.orders = service.orders
        recorded = Syntax(_as_json(outcome.orders), "json", word_wrap=True)
        console.print(
            Panel(recorded, title=f"Orders recorded by the service (GET {service.url}/v1/eats/orders)")
        )
    return outcome


def _as_json(value: Any) -> str:
    import json

    return json.dumps(value, indent=2, ensure_ascii=False)
