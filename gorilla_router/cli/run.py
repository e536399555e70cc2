"""``gorilla-router run "…"`` (route and execute) and ``gorilla-router plan "…"`` (route, execute nothing).

Exit status: 0 when the call ran (or was previewed with ``--dry-run``), 1 when it was denied, invalid or
failed, 2 when no API fits the request, 3 on a usage/configuration error, 4 when the request lacks a
required value (``needs_input``: the answer names it; ask the user and run again).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from gorilla_router.cli.routing import ask_on_terminal, cli_config
from gorilla_router.components import ConfirmCallback
from gorilla_router.errors import RouterError, UsageError
from gorilla_router.specs import CallStatus
from gorilla_router.terminal.progress import prepared_router
from gorilla_router.terminal.render import candidates_table, plan_panel, result_panel, timings_line

__all__ = ["register"]

BackendOption = Annotated[
    str | None,
    typer.Option("--backend", "-b", help="Model backend: embedded, test, openai:…, transformers:…."),
]
TopKOption = Annotated[int | None, typer.Option("--k", "-k", help="How many candidate APIs the model sees.")]
ConfigOption = Annotated[Path | None, typer.Option("--config", help="TOML configuration file to read.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON instead of panels.")]


def _fail(console: Console, exc: RouterError) -> typer.Exit:
    console.print(f"[red]error:[/red] {exc}")
    return typer.Exit(3 if isinstance(exc, UsageError) else 1)


def run_command(
    query: Annotated[str, typer.Argument(help="What you want done, in plain words.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the request instead of sending it.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Confirm calls with side effects.")] = False,
    every: Annotated[bool, typer.Option("--all", help="Execute every call the model wrote.")] = False,
    backend: BackendOption = None,
    k: TopKOption = None,
    config_file: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Route a request to an API from the zoo and execute it under the guard."""
    console = Console(stderr=as_json)
    try:
        config = cli_config(
            config_file, backend=backend, top_k=k, dry_run=dry_run or None, assume_yes=yes or None
        )
        confirm: ConfirmCallback | None = None if config.assume_yes else ask_on_terminal(console)
        router = prepared_router(config, console, confirm=confirm, quiet=as_json)
        results = router.run_all(query) if every else [router.run(query)]
    except RouterError as exc:
        raise _fail(console, exc) from exc
    if as_json:
        typer.echo(
            "[" + ",".join(r.model_dump_json() for r in results) + "]"
            if every
            else results[0].model_dump_json()
        )
    else:
        console.print(candidates_table(results[0].candidates))
        for result in results:
            console.print(result_panel(result))
            console.print(timings_line(result.timings))
    statuses = {r.status for r in results}
    if statuses == {CallStatus.NO_CALL}:
        raise typer.Exit(2)
    if CallStatus.NEEDS_INPUT in statuses:
        raise typer.Exit(4)
    if not statuses <= {CallStatus.OK, CallStatus.DRY_RUN}:
        raise typer.Exit(1)


def plan_command(
    query: Annotated[str, typer.Argument(help="What you want done, in plain words.")],
    backend: BackendOption = None,
    k: TopKOption = None,
    config_file: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show what `run` would do (retrieved APIs, generated calls, guard decisions) without executing."""
    console = Console(stderr=as_json)
    try:
        router = prepared_router(cli_config(config_file, backend=backend, top_k=k), console, quiet=as_json)
        plan = router.plan(query)
    except RouterError as exc:
        raise _fail(console, exc) from exc
    if as_json:
        typer.echo(plan.model_dump_json())
    else:
        console.print(candidates_table(plan.candidates))
        console.print(plan_panel(plan))
        console.print(timings_line(plan.timings))
    if plan.no_call:
        raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    app.command("run")(run_command)
    app.command("plan")(plan_command)
