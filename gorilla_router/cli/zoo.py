"""``gorilla-router zoo …``: validate, list, scaffold and import API Zoo entries; publish the entry schema.

Problem and skip lines are printed plainly, one per line (``file: entry: field: message``), so they can
be grepped and read in CI logs; tables are for people.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError as PydanticValidationError
from rich.console import Console
from rich.table import Table

from gorilla_router.errors import RouterError, SpecError
from gorilla_router.paths import bundled_zoo_dir
from gorilla_router.specs import ApiSpec
from gorilla_router.zoo.importers.report import ImportReport
from gorilla_router.zoo.registry import ApiZoo

__all__ = ["register", "zoo_app"]

zoo_app = typer.Typer(help="Validate, list, add and import API Zoo entries.", no_args_is_help=True)
import_app = typer.Typer(
    help="Import APIs from other formats into this project's zoo format.", no_args_is_help=True
)
zoo_app.add_typer(import_app, name="import")

PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(help="Provider files or folders (default: the bundled apizoo/).", show_default=False),
]
OutOption = Annotated[Path | None, typer.Option("--out", help="Write the imported entries to this file.")]
NotesOption = Annotated[bool, typer.Option("--notes", help="Also print every repair and guess.")]


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=1)


def _load(paths: list[Path] | None) -> ApiZoo:
    try:
        return ApiZoo.load(*(paths or [bundled_zoo_dir()]))
    except SpecError as error:
        for problem in error.problems:
            typer.echo(str(problem))
        message = (
            f"the zoo does not load ({len(error.problems)} problem(s)); run 'gorilla-router zoo validate'"
        )
        raise _fail(message) from error


@zoo_app.command("validate")
def validate_command(
    paths: PathsArgument = None,
    no_import: Annotated[bool, typer.Option("--no-import", help="Do not import python callables.")] = False,
) -> None:
    """Check every entry: format, unique ids, JSON Schemas, callables, REST URLs, examples."""
    from gorilla_router.zoo.validate import validate_paths

    report = validate_paths(*(paths or [bundled_zoo_dir()]), import_callables=not no_import)
    for line in report.lines():
        typer.echo(line)
    if not report.ok:
        raise _fail(f"{len(report.problems)} problem(s) in {report.entries} entries")
    typer.echo(f"OK: {report.entries} entries in {len(report.files)} file(s), no problems")


@zoo_app.command("list")
def list_command(
    paths: PathsArgument = None,
    provider: Annotated[str | None, typer.Option(help="Only this provider.")] = None,
    kind: Annotated[str | None, typer.Option(help="Only 'python' or 'rest'.")] = None,
) -> None:
    """A table of the zoo's APIs."""
    zoo = _load(paths)
    if kind is not None and kind not in ("python", "rest"):
        raise _fail(f"--kind must be 'python' or 'rest', not {kind!r}")
    providers = sorted({spec.provider for spec in zoo})
    if provider is not None and provider not in providers:
        close = difflib.get_close_matches(provider, providers, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; providers: {', '.join(providers[:20])}"
        raise _fail(f"no provider {provider!r} in the zoo{hint}")
    specs = [
        s for s in zoo if (provider is None or s.provider == provider) and (kind is None or s.kind == kind)
    ]
    table = Table(title=f"{len(specs)} of {len(zoo)} APIs", title_justify="left")
    for column in ("id", "kind", "effects", "description"):
        table.add_column(column, overflow="fold", max_width=70 if column == "description" else None)
    for spec in specs:
        table.add_row(spec.id, spec.kind, spec.side_effects, spec.description.split("\n", 1)[0])
    Console().print(table)


def _write_or_print(specs: list[ApiSpec], to: Path | None) -> None:
    if to is None:
        entries = [s.model_dump(mode="json", exclude_defaults=True) for s in specs]
        typer.echo(json.dumps(entries[0] if len(entries) == 1 else entries, indent=2, ensure_ascii=False))
        return
    try:
        existing = ApiZoo.load(to) if to.exists() else ApiZoo([])
        existing.with_specs(specs).save(to)
    except SpecError as error:
        raise _fail(f"{to} is left unchanged: {error}") from error
    total = len(existing) + len(specs)
    typer.echo(f"wrote {len(specs)} entr{'y' if len(specs) == 1 else 'ies'} to {to} ({total} in all)")


@zoo_app.command("add")
def add_command(
    target: Annotated[str | None, typer.Argument(help="A callable as 'module:qualname'.")] = None,
    api_id: Annotated[
        str | None, typer.Option("--id", help="The entry's id (default: module.qualname).")
    ] = None,
    to: Annotated[
        Path | None, typer.Option("--to", help="Add to this provider file (else print JSON).")
    ] = None,
    openapi: Annotated[Path | None, typer.Option("--openapi", help="An OpenAPI 3 document.")] = None,
    operation: Annotated[str | None, typer.Option("--operation", help="The operationId to take.")] = None,
) -> None:
    """Scaffold an entry from a Python callable or one OpenAPI operation; then add examples and validate."""
    notes: list[str] = []
    try:
        if openapi is not None:
            if not operation or target:
                raise _fail("with --openapi give --operation OPERATION_ID (and no callable)")
            from gorilla_router.zoo.importers.openapi import openapi_operation

            spec = openapi_operation(openapi, operation)
            if api_id:
                spec = ApiSpec.model_validate({**spec.model_dump(), "id": api_id, "provider": ""})
        elif target:
            from gorilla_router.zoo.importers.python_module import spec_from_callable

            spec = spec_from_callable(target, api_id=api_id, notes=notes)
        else:
            raise _fail("give a callable 'module:qualname', or --openapi FILE --operation ID")
    except (RouterError, PydanticValidationError) as error:
        raise _fail(str(error)) from error
    _write_or_print([spec], to)
    for note in notes:
        typer.echo(f"note: {note}", err=True)
    typer.echo(
        "next: add at least two examples (query + call), then run 'gorilla-router zoo validate'", err=True
    )


def _print_report(report: ImportReport, out: Path | None, show_notes: bool) -> None:
    for skipped in report.skipped:
        typer.echo(f"skipped {skipped}")
    if show_notes:
        for note in report.notes:
            typer.echo(f"note {note}")
    reasons = ", ".join(f"{count} × {reason}" for reason, count in report.skip_reasons().most_common())
    typer.echo(report.summary() + (f"; skip reasons: {reasons}" if reasons else ""))
    if out is not None:
        try:
            ApiZoo(report.specs).save(out)
        except SpecError as error:
            raise _fail(str(error)) from error
        typer.echo(f"wrote {report.loaded} entries to {out}")


@import_app.command("gorilla")
def import_gorilla(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders in the Gorilla API Zoo format.")],
    out: OutOption = None,
    notes: NotesOption = False,
) -> None:
    """Import the community Gorilla API Zoo format, leniently; every skip is listed."""
    from gorilla_router.zoo.importers.gorilla_apizoo import import_gorilla_apizoo

    _print_report(import_gorilla_apizoo(*paths), out, notes)


@import_app.command("openapi")
def import_openapi_command(
    document: Annotated[Path, typer.Argument(help="An OpenAPI 3 document (.json, .yaml).")],
    out: OutOption = None,
    notes: NotesOption = False,
    provider: Annotated[str | None, typer.Option(help="Id prefix (default: from info.title).")] = None,
    base_url: Annotated[str | None, typer.Option(help="Override servers[0].url.")] = None,
) -> None:
    """Import every operation of an OpenAPI 3 document."""
    from gorilla_router.zoo.importers.openapi import import_openapi

    try:
        report = import_openapi(document, provider=provider, base_url=base_url)
    except RouterError as error:
        raise _fail(str(error)) from error
    _print_report(report, out, notes)


@import_app.command("module")
def import_module_command(
    name: Annotated[str, typer.Argument(help="A module ('statistics') or one callable ('statistics:mean').")],
    out: OutOption = None,
    notes: NotesOption = False,
) -> None:
    """Import a Python module's public functions."""
    from gorilla_router.zoo.importers.python_module import import_python_module

    try:
        report = import_python_module(name)
    except RouterError as error:
        raise _fail(str(error)) from error
    _print_report(report, out, notes)


@zoo_app.command("schema")
def schema_command(
    write: Annotated[
        bool, typer.Option("--write", help="Write apizoo/schema.json instead of printing.")
    ] = False,
    check: Annotated[bool, typer.Option("--check", help="Exit 1 if apizoo/schema.json is stale.")] = False,
) -> None:
    """Print (or write, or check) the JSON Schema of one zoo entry, generated from ApiSpec."""
    from gorilla_router.zoo.schema import (
        REGENERATE_COMMAND,
        entry_schema_text,
        schema_is_current,
        write_schema,
    )

    if write:
        typer.echo(f"wrote {write_schema()}")
    elif check:
        if not schema_is_current():
            raise _fail(f"apizoo/schema.json is stale; run: {REGENERATE_COMMAND}")
        typer.echo("apizoo/schema.json is up to date")
    else:
        typer.echo(entry_schema_text(), nl=False)


def register(app: typer.Typer) -> None:
    """Add the ``zoo`` command group to the root CLI."""
    app.add_typer(zoo_app, name="zoo")
