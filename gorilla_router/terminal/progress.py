"""Build a router with progress on the terminal for its slow first steps.

The first run converts the embedded model (tens of seconds) and builds the index; a silent terminal for that
long looks like a hang, so both are shown — a status line per conversion step and a bar while indexing.
Used by the CLI commands and by the demo tour alike.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from gorilla_router.components import ConfirmCallback
from gorilla_router.config import RouterConfig
from gorilla_router.router import GorillaRouter

__all__ = ["IndexingBar", "prepare", "prepared_router"]


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
