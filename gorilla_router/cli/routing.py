"""Build a router for a CLI command: configuration from file/env/flags, progress on the slow first steps.

The first run converts the embedded model (tens of seconds) and builds the index; a silent terminal for that
long looks like a hang, so both are shown — a status line per conversion step and a bar while indexing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from gorilla_router.components import ConfirmCallback
from gorilla_router.config import RouterConfig
from gorilla_router.router import GorillaRouter
from gorilla_router.specs import ApiCall, ApiSpec

__all__ = ["IndexingBar", "ask_on_terminal", "cli_config", "prepare", "prepared_router"]


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


class IndexingBar:
    """A progress bar that appears only if the index actually needs embedding work, and stops cleanly."""

    def __init__(self, console: Console) -> None:
        self._console = console
        self._progress: Progress | None = None
        self._task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self._progress is None:
            if total == 0:
                return
            self._progress = Progress(
                TextColumn("indexing the API Zoo"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self._console,
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("index", total=total)
        self._progress.update(self._task, completed=done, total=total)

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def prepare(router: GorillaRouter, console: Console, bar: IndexingBar | None = None) -> dict[str, float]:
    """Convert the embedded model if needed (a status line per step), then build every part of the router.

    The index sync shows a bar when ``router`` was built with ``progress=bar``.
    """
    from gorilla_router.generation.embedded import embedded_state, prepare_embedded

    state = embedded_state(router.backend_name)
    if state is not None and not state[2]:  # weights not converted yet: say what is happening, once
        with console.status("preparing the embedded model") as status:
            prepare_embedded(router.backend_name, progress=lambda line: status.update(line))
    try:
        return router.warm_up()
    finally:
        if bar is not None:
            bar.stop()


def prepared_router(
    config: RouterConfig, console: Console, *, confirm: ConfirmCallback | None = None, quiet: bool = False
) -> GorillaRouter:
    """A router whose parts are built now, with progress on the console (none when ``quiet``)."""
    if quiet:
        router = GorillaRouter(config=config, confirm=confirm)
        router.warm_up()
        return router
    bar = IndexingBar(console)
    router = GorillaRouter(config=config, confirm=confirm, progress=bar)
    prepare(router, console, bar)
    return router
