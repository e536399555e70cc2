"""What the LangChain tool and the MCP server add on top of the router: warm latency per request, p50 / p95.

The same queries go through ``router.run`` directly, through ``GorillaRouterTool.run`` and through the MCP
``route`` tool (SDK client, in process — the JSON-RPC layers without a socket), and ``router.search``
against the MCP ``search_apis`` tool. The default configuration is the fast one (``test`` model backend,
``hash`` embedder) so the figures isolate the integration overhead; ``--default`` measures the offline
default router (MiniLM + embedded Gemma) instead.

    .venv/bin/python benchmarks/bench_integrations.py --repeat 5
    .venv/bin/python benchmarks/bench_integrations.py --default --repeat 1 --limit 5
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from mcp import Client

from gorilla_router import GorillaRouter, RouterConfig
from gorilla_router.integrations import GorillaRouterTool, build_mcp_server

QUERIES = [
    "what is the square root of 3342398",
    "base64 encode the text hello world",
    "how many days are there between 2024-01-01 and 2024-03-01",
    "generate a random uuid",
    "url-encode the string a b&c",
    "what is the sha256 hash of abc",
    "what is the greatest common divisor of 48 and 180",
    'convert the json text {"a": 1} into an object',
]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def timed(function: Callable[[str], object], queries: list[str], repeat: int) -> list[float]:
    """Seconds per call, after one untimed pass so every path is measured warm."""
    samples = []
    for query in queries:
        function(query)
    for _ in range(repeat):
        for query in queries:
            started = time.perf_counter()
            function(query)
            samples.append(time.perf_counter() - started)
    return samples


async def timed_async(
    call: Callable[[str], Awaitable[object]], queries: list[str], repeat: int
) -> list[float]:
    samples = []
    for _ in range(repeat):
        for query in queries:
            started = time.perf_counter()
            await call(query)
            samples.append(time.perf_counter() - started)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5, help="passes over the queries (default 5)")
    parser.add_argument("--limit", type=int, default=len(QUERIES), help="use the first N queries")
    parser.add_argument("--default", action="store_true", help="the offline default router, not the fast one")
    args = parser.parse_args()
    queries = QUERIES[: args.limit]
    folder = Path(tempfile.mkdtemp(prefix="bench-integrations-"))
    fast = {} if args.default else {"backend": "test", "embedder": "hash", "min_score": 0}
    router = GorillaRouter(config=RouterConfig(chroma_path=folder / "index", **fast))
    started = time.perf_counter()
    router.warm_up()
    warm_up = time.perf_counter() - started
    tool = GorillaRouterTool(router=router)
    server = build_mcp_server(router)
    rows: list[tuple[str, list[float]]] = []
    rows.append(("router.run", timed(router.run, queries, args.repeat)))
    rows.append(("GorillaRouterTool.run", timed(tool.run, queries, args.repeat)))
    rows.append(("router.search (k=5)", timed(router.search, queries, args.repeat)))

    async def over_mcp() -> None:
        async with Client(server) as client:
            rows.append(
                (
                    "MCP route (in process)",
                    await timed_async(
                        lambda q: client.call_tool("route", {"query": q}), queries, args.repeat
                    ),
                )
            )
            rows.append(
                (
                    "MCP search_apis (in process)",
                    await timed_async(
                        lambda q: client.call_tool("search_apis", {"query": q, "k": 5}), queries, args.repeat
                    ),
                )
            )

    asyncio.run(over_mcp())
    router.close()
    label = "default (MiniLM + embedded Gemma)" if args.default else "fast (test backend, hash embedder)"
    print(f"router: {label}; warm-up {warm_up:.1f} s; {len(queries)} queries x {args.repeat}")
    print(f"{'path':<30} {'n':>4} {'p50 ms':>9} {'p95 ms':>9}")
    for name, samples in rows:
        p50, p95 = percentiles(samples)
        print(f"{name:<30} {len(samples):>4} {p50 * 1000:>9.1f} {p95 * 1000:>9.1f}")


if __name__ == "__main__":
    main()
