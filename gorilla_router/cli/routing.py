"""Build a router for a CLI command: configuration from file/env/flags, progress on the slow first steps.

The first run converts the embedded model (tens of seconds) and builds the index; a silent terminal for that
long looks like a hang, so both are shown — a status line per conversion step and a bar while indexing.
"""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from gorilla_router.components import ConfirmCallback
from gorilla_router.config import RouterConfig
from gorilla_router.errors import UsageError
from gorilla_router.router import GorillaRouter
from gorilla_router.specs import ApiCall, ApiSpec

__all__ = ["ask_on_terminal", "cli_config", "prepare", "prepared_router"]


def cli_config(config_file: Path | None = None, **flags: Any) -> RouterConfig:
    """The configuration with the command's flags on top (flags left at ``None`` do not override)."""
    return RouterConfig.load(config_file, **flags)


def ask_on_terminal(console: Console) -> ConfirmCallback | None:
    """A confirmation prompt when a person is at the terminal; ``None`` (so: deny and explain) otherwise."""
    if not sys.stdin.isatty():
        return None

    def confirm(call: ApiCall, spec: ApiSpec, reason: str) -> bool:
        console.print(f"[yellow]{reason}[/yellow]")
        return typer.confirm(f"Run {call.to_source()} ?", default=False)

    return confirm


def _indexing_progress(console: Console) -> tuple[AbstractContextManager[Any], Any]:
    progress = Progress(
        TextColumn("indexing the API Zoo"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    task = progress.add_task("index", total=None)

    def update(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    return progress, update


def prepare(router: GorillaRouter, console: Console) -> dict[str, float]:
    """Convert the embedded model (if it is the backend and not converted yet) and sync the index, visibly."""
    if router.backend_name == "embedded":
        from gorilla_router.generation.embedded import ensure_embedded_model

        with console.status("preparing the embedded model") as status:
            ensure_embedded_model(progress=lambda line: status.update(line))
    return router.warm_up()


def prepared_router(
    config: RouterConfig, console: Console, *, confirm: ConfirmCallback | None = None, quiet: bool = False
) -> GorillaRouter:
    """A router whose parts are built now, with progress on the console (none when ``quiet``)."""
    progress_cm, update = _indexing_progress(console) if not quiet else (nullcontext(), None)
    router = GorillaRouter(config=config, confirm=confirm, progress=update)
    try:
        with progress_cm:
            if quiet:
                router.warm_up()
            else:
                prepare(router, console)
    except UsageError:
        raise
    return router
