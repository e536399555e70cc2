"""``gorilla-router annotate TEXT`` (run the ``[api(args)]`` calls written in a text) and
``gorilla-router augment TEXT`` (let the model insert calls, keep those Toolformer's filter keeps).

TEXT may be ``-`` to read standard input. The annotated text goes to standard output, one report line per
span to standard error (or everything as JSON with ``--json``), so ``annotate`` works in a pipe.
Exit status: 0 when every span ran (or was previewed with ``--dry-run``), 1 when a span was left in place
(unknown API, invalid arguments, denied, failed), 3 on a usage/configuration error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from gorilla_router.cli.routing import ask_on_terminal, cli_config
from gorilla_router.components import ConfirmCallback
from gorilla_router.config import RouterConfig
from gorilla_router.errors import RouterError, UsageError
from gorilla_router.router import GorillaRouter
from gorilla_router.specs import CallStatus
from gorilla_router.terminal.progress import prepared_router

__all__ = ["register"]

TextArgument = Annotated[str, typer.Argument(help="The text with [api(args)] calls, or - to read stdin.")]
ConfigOption = Annotated[Path | None, typer.Option("--config", help="TOML configuration file to read.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the full report as JSON.")]
ResultChars = Annotated[int, typer.Option("--max-result-chars", help="Shorten each spliced result to this.")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Show the requests instead of sending them.")]
Yes = Annotated[bool, typer.Option("--yes", "-y", help="Confirm calls with side effects.")]
_FINE = {CallStatus.OK, CallStatus.DRY_RUN}


def _text(text: str) -> str:
    return sys.stdin.read() if text == "-" else text


def _guarded(
    console: Console, config_file: Path | None, *, dry_run: bool, yes: bool
) -> tuple[RouterConfig, ConfirmCallback | None]:
    """The configuration with the guard flags, and the y/N prompt ``run`` uses (unless ``--yes``)."""
    config = cli_config(config_file, dry_run=dry_run or None, assume_yes=yes or None)
    return config, None if config.assume_yes else ask_on_terminal(console)


def _fail(console: Console, exc: RouterError | ValueError) -> typer.Exit:
    console.print(f"[red]error:[/red] {escape(str(exc))}")
    return typer.Exit(3 if isinstance(exc, (UsageError, ValueError)) else 1)


def annotate_command(
    text: TextArgument,
    dry_run: DryRun = False,
    yes: Yes = False,
    max_result_chars: ResultChars = 80,
    config_file: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Execute the [api(args)] calls written in TEXT under the guard and print it with [call → result]."""
    console = Console(stderr=True)
    try:
        config, confirm = _guarded(console, config_file, dry_run=dry_run, yes=yes)
        with GorillaRouter(config=config, confirm=confirm) as router:  # no model or index needed
            annotated = router.annotate(_text(text), max_result_chars=max_result_chars)
    except (RouterError, ValueError) as exc:
        raise _fail(console, exc) from exc
    if as_json:
        typer.echo(annotated.model_dump_json())
    else:
        typer.echo(annotated.text)
        for span in annotated.spans:
            detail = span.result_text if span.executed else (span.error or "")
            if span.request is not None:
                detail = f"would send {span.request}"
            console.print(
                f"{escape(span.source)} → {span.reason.value}: {escape(str(detail))}", soft_wrap=True
            )
    if any(span.status not in _FINE for span in annotated.spans):
        raise typer.Exit(1)


def augment_command(
    text: TextArgument,
    threshold: Annotated[
        float, typer.Option("--threshold", help="filter_threshold: the loss a result must save (nats).")
    ] = 1.0,
    max_calls: Annotated[int, typer.Option("--max-calls", help="Calls to try per text.")] = 3,
    dry_run: DryRun = False,
    yes: Yes = False,
    config_file: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Let the model insert [api(args) → result] calls into TEXT; keep those that pass the loss filter."""
    console = Console(stderr=True)
    try:
        config, confirm = _guarded(console, config_file, dry_run=dry_run, yes=yes)
        router = prepared_router(config, console, confirm=confirm, quiet=as_json)
        with router:
            augmented = router.augment(_text(text), filter_threshold=threshold, max_calls=max_calls)
    except (RouterError, ValueError) as exc:
        raise _fail(console, exc) from exc
    if as_json:
        typer.echo(augmented.model_dump_json())
        return
    typer.echo(augmented.text)
    for inserted in augmented.calls:
        score = inserted.score
        verdict = (
            ""
            if score is None
            else f" Δloss {score.improvement:+.2f} → {'kept' if score.kept else 'dropped'}"
        )
        line = f"{inserted.call_text or '(no call)'}: {inserted.reason.value}{verdict}"
        console.print(escape(line), soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("annotate")(annotate_command)
    app.command("augment")(augment_command)
