"""``gorilla-router demo``: the whole product in one command, against a local food service of our own.

``demo serve`` runs only the service (for trying ``run`` by hand with ``GORILLA_ROUTER_BASE_URL_OVERRIDES``).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from gorilla_router.cli.routing import cli_config
from gorilla_router.errors import RouterError, UsageError
from gorilla_router.specs import CallStatus

__all__ = ["register"]

demo_app = typer.Typer(help="Order food from a local demo service through the router, end to end.")


@demo_app.callback(invoke_without_command=True)
def demo_command(
    ctx: typer.Context,
    query: Annotated[str | None, typer.Option("--query", "-q", help="Another request to try.")] = None,
    backend: Annotated[str | None, typer.Option("--backend", "-b", help="Model backend.")] = None,
    config_file: Annotated[Path | None, typer.Option("--config", help="TOML configuration file.")] = None,
) -> None:
    """Start the food service on 127.0.0.1 and order five burgers and six chicken wings through the router."""
    if ctx.invoked_subcommand is not None:
        return
    from gorilla_router.demo.tour import DEMO_QUERY, run_demo

    console = Console()
    try:
        outcome = run_demo(console, cli_config(config_file, backend=backend), query or DEMO_QUERY)
    except RouterError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(3 if isinstance(exc, UsageError) else 1) from exc
    if not outcome.results or any(r.status is not CallStatus.OK for r in outcome.results):
        raise typer.Exit(1)


@demo_app.command("serve")
def serve_command(
    port: Annotated[int, typer.Option("--port", "-p", help="Port on 127.0.0.1 (0: any free port).")] = 8765,
) -> None:
    """Serve the demo food service on 127.0.0.1 until Ctrl-C."""
    from gorilla_router.demo.food_service import FoodService

    with FoodService(port=port) as service:
        typer.echo(service.url)
        typer.echo(
            f"try: GORILLA_ROUTER_BASE_URL_OVERRIDES=uber={service.url} "
            "GORILLA_ROUTER_ALLOW_PRIVATE=127.0.0.1 "
            'gorilla-router run --yes "order two burgers from McDonald\'s"'
        )
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return


def register(app: typer.Typer) -> None:
    app.add_typer(demo_app, name="demo")
