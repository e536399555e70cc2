"""Configuration and confirmation for a CLI command: flags on top of file/env, a prompt at the terminal.

Building the router with progress shown lives in :mod:`gorilla_router.terminal.progress`, which the demo
tour uses too; this module keeps what only a command line has (typer flags and prompts).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from gorilla_router.components import ConfirmCallback
from gorilla_router.config import RouterConfig
from gorilla_router.specs import ApiCall, ApiSpec

__all__ = ["ask_on_terminal", "cli_config"]


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
