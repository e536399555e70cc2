"""The ``gorilla-router`` command line.

Each command group lives in its own module of this package and exposes ``register(app)``; the list below
is the only place that knows them all, so adding a group is a one-line change.
"""

from __future__ import annotations

import importlib

import typer

__all__ = ["app", "main"]

app = typer.Typer(
    name="gorilla-router",
    help="Turn a sentence into a safe, executed API call.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

COMMAND_MODULES: list[str] = [
    "run",
    "doctor",
    "demo",
    "zoo",
    "eval",
    "index",
    "mcp",
    "annotate",
    "finetune",
]

for _module in COMMAND_MODULES:
    importlib.import_module(f"{__name__}.{_module}").register(app)


def main() -> None:
    """Console-script entry point."""
    app()
