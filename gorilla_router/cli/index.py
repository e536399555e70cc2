"""``gorilla-router index`` and ``gorilla-router search``: build the API Zoo index, query it from a shell.

``index`` shows a progress bar while specs are embedded and reports what the incremental sync changed;
``--rebuild`` drops the collection first (the fix when the index was built with another embedding model).
``search`` prints the hybrid retriever's top-k as a table, so retrieval can be checked without a model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from gorilla_router.config import RouterConfig
from gorilla_router.errors import RouterError, SpecError
from gorilla_router.retrieval.base import SearchFilters
from gorilla_router.specs import Candidate

__all__ = ["index_command", "register", "search_command"]

ZooOption = Annotated[
    list[Path] | None,
    typer.Option("--zoo", help="API Zoo files or folders (repeatable; default: configured or bundled zoo)."),
]
HostOption = Annotated[str | None, typer.Option("--chroma-host", help="Use a Chroma server at this host.")]
PortOption = Annotated[int | None, typer.Option("--chroma-port", help="Port of the Chroma server.")]
ConfigOption = Annotated[Path | None, typer.Option("--config", help="A gorilla_router.toml file.")]


def _config(
    config_file: Path | None, zoo: list[Path] | None, host: str | None, port: int | None
) -> RouterConfig:
    if port is not None and host is None:
        host = "localhost"
    return RouterConfig.load(config_file, zoo=zoo or None, chroma_host=host, chroma_port=port)


def _fail(console: Console, error: RouterError) -> typer.Exit:
    console.print(f"[red]error:[/red] {error}", markup=True, highlight=False)
    if isinstance(error, SpecError):
        console.print("run 'gorilla-router zoo validate' to see every problem")
    return typer.Exit(code=1)


def index_command(
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Drop the index and embed every spec again.")
    ] = False,
    zoo: ZooOption = None,
    chroma_host: HostOption = None,
    chroma_port: PortOption = None,
    config_file: ConfigOption = None,
) -> None:
    """Embed the API Zoo into Chroma (incremental: only new or changed specs are embedded)."""
    from gorilla_router import components
    from gorilla_router.retrieval import sync_index

    console = Console(stderr=True)
    try:
        config = _config(config_file, zoo, chroma_host, chroma_port)
        api_zoo = components.load_zoo(None, config)
        embedder = components.build_embedder(config)
        location = components.index_location(config)
        index = location.open(embedder, rebuild=rebuild)
        columns = (TextColumn("embedding"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task("embedding", total=None)
            report = sync_index(  # always checks every spec, then marks the index fresh as a router would
                location,
                index,
                api_zoo.specs,
                lambda done, total: bar.update(task, completed=done, total=total),
            )
    except RouterError as error:
        raise _fail(console, error) from error
    Console().print(
        f"index {index.location} ({config.collection}, {embedder.name}): {index.count()} APIs — "
        f"added {report.added}, updated {report.updated}, removed {report.removed}, "
        f"unchanged {report.unchanged} in {report.seconds:.2f}s"
    )


def _results_table(query: str, candidates: list[Candidate]) -> Table:
    table = Table(title=f"Top {len(candidates)} APIs for: {query}", title_justify="left")
    table.add_column("rank", justify="right")
    table.add_column("id")
    table.add_column("score", justify="right")
    table.add_column("description", overflow="fold", max_width=70)
    for candidate in candidates:
        description = candidate.spec.description.strip().splitlines()[0]
        table.add_row(str(candidate.rank), candidate.spec.id, f"{candidate.score:.4f}", description)
    return table


def search_command(
    query: Annotated[str, typer.Argument(help="What you want to do, in words.")],
    k: Annotated[int, typer.Option("-k", "--k", min=1, help="How many APIs to show.")] = 5,
    kind: Annotated[str | None, typer.Option("--kind", help="Only 'python' or 'rest' APIs.")] = None,
    provider: Annotated[str | None, typer.Option("--provider", help="Only this provider's APIs.")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Only APIs with any of these tags.")] = None,
    zoo: ZooOption = None,
    chroma_host: HostOption = None,
    chroma_port: PortOption = None,
    config_file: ConfigOption = None,
) -> None:
    """Show the APIs the hybrid retriever finds for QUERY (the index is synced first if needed)."""
    from gorilla_router import components

    console = Console(stderr=True)
    if kind not in (None, "python", "rest"):
        console.print(f"[red]error:[/red] --kind must be 'python' or 'rest', got {kind!r}")
        raise typer.Exit(code=2)
    try:
        filters = SearchFilters(kind=kind, provider=provider, tags=tag or [])  # type: ignore[arg-type]
        config = _config(config_file, zoo, chroma_host, chroma_port)
        api_zoo = components.load_zoo(None, config)
        from gorilla_router.retrieval import build_retriever

        location = components.index_location(config)
        retriever = build_retriever(api_zoo.specs, components.build_embedder(config), location)
        candidates = retriever.search(query, k=k, filters=filters)
    except RouterError as error:
        raise _fail(console, error) from error
    if not candidates:
        Console().print("no API matches (check the filters)")
        return
    Console().print(_results_table(query, candidates))


def register(app: typer.Typer) -> None:
    app.command("index")(index_command)
    app.command("search")(search_command)
