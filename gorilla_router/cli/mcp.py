"""``gorilla-router mcp``: serve the router to MCP hosts (AutoGPT's MCP block, desktop assistants, IDEs).

``--transport stdio`` (the default) is what hosts that spawn their servers expect; ``--transport http``
serves streamable HTTP on ``--host``/``--port`` at ``--path`` (default ``/mcp``). The router is built and
warmed up before serving (model, index), so the first tool call is not the slow one and a configuration
error stops the command instead of failing every call. On stdio, stdout carries the protocol: everything
this command says goes to stderr.
"""

from __future__ import annotations

import ipaddress
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from gorilla_router.cli.routing import cli_config
from gorilla_router.errors import RouterError, UsageError
from gorilla_router.terminal.progress import prepare

__all__ = ["register"]


class Transport(str, Enum):
    stdio = "stdio"
    http = "http"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def mcp_command(
    transport: Annotated[
        Transport, typer.Option("--transport", "-t", help="stdio (spawned by the host) or streamable http.")
    ] = Transport.stdio,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (http only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", min=1, max=65535, help="Port (http only).")] = 8000,
    path: Annotated[str, typer.Option("--path", help="URL path of the MCP endpoint (http only).")] = "/mcp",
    allow_writes: Annotated[
        bool,
        typer.Option(
            "--allow-writes",
            help="Confirm calls of APIs with 'write' side effects (otherwise they are denied). "
            "Destructive APIs still need an allow pattern in the configuration.",
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Never send: every call returns the request it would make.")
    ] = False,
    backend: Annotated[
        str | None, typer.Option("--backend", "-b", help="Model backend: embedded, test, openai:…, …")
    ] = None,
    config_file: Annotated[Path | None, typer.Option("--config", help="TOML configuration file.")] = None,
) -> None:
    """Serve route / search_apis / call_api to MCP hosts over stdio or streamable HTTP."""
    console = Console(stderr=True)
    try:
        from gorilla_router.integrations.mcp_server import build_mcp_server, router_for_mcp

        router = router_for_mcp(
            cli_config(config_file, backend=backend, dry_run=dry_run or None), allow_writes=allow_writes
        )
        prepare(router, console)
        server = build_mcp_server(router)
    except RouterError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(3 if isinstance(exc, UsageError) else 1) from exc
    writes = "write APIs confirmed (--allow-writes)" if allow_writes else "write APIs denied"
    if transport is Transport.stdio:
        console.print(f"gorilla-router MCP server on stdio; {len(router.zoo)} APIs; {writes}")
        server.run("stdio")
        return
    if not _is_loopback(host):
        console.print(
            f"[yellow]warning:[/yellow] listening on {host}, not loopback: this server has no "
            "authentication; anyone who can reach it can run the APIs it allows"
        )
    console.print(
        f"gorilla-router MCP server on http://{host}:{port}{path}; {len(router.zoo)} APIs; {writes}"
    )
    server.run("streamable-http", host=host, port=port, streamable_http_path=path)


def register(app: typer.Typer) -> None:
    app.command("mcp")(mcp_command)
