"""Executor overhead per call: REST vs bare requests, sandboxed Python vs in-process, cold pool start.

Usage: ``python benchmarks/bench_execution.py [--iterations N] [--quick]``. Starts the test service
(``tests/execution/service.py``) on 127.0.0.1, measures, prints a table, and stops the service by PID.
Targets (issue 5): REST overhead <= 5 ms at p50; sandbox warm-pool overhead <= 50 ms at p50.
"""

from __future__ import annotations

import argparse
import math
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import requests

from gorilla_router.execution import build_executor
from gorilla_router.execution.python_exec import PythonExecutor
from gorilla_router.execution.rest import RestExecutor
from gorilla_router.specs import ApiCall, ApiSpec

SERVICE = Path(__file__).resolve().parent.parent / "tests" / "execution" / "service.py"


def timed(*fns: Callable[[], object], iterations: int, warmup: int = 10) -> list[list[float]]:
    """Per-call times in ms; several functions are interleaved so machine noise hits them alike."""
    for _ in range(warmup):
        for fn in fns:
            fn()
    samples: list[list[float]] = [[] for _ in fns]
    for _ in range(iterations):
        for fn, out in zip(fns, samples, strict=True):
            started = time.perf_counter()
            fn()
            out.append((time.perf_counter() - started) * 1000)
    return samples


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


def row(name: str, samples: list[float], baseline: list[float] | None = None) -> str:
    p50, p95 = statistics.median(samples), pct(samples, 0.95)
    added = f"{p50 - statistics.median(baseline):+8.3f}" if baseline else f"{'':>8}"
    return f"| {name:<48} | {p50:9.3f} | {p95:9.3f} | {added} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--quick", action="store_true", help="50 iterations, 2 cold starts")
    args = parser.parse_args()
    iterations = 50 if args.quick else args.iterations
    cold_runs = 2 if args.quick else 5

    proc = subprocess.Popen([sys.executable, str(SERVICE)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    port = int(proc.stdout.readline().split()[1])
    base = f"http://127.0.0.1:{port}"
    lines = []
    try:
        spec = ApiSpec(
            id="local.echo",
            name="echo",
            description="echo",
            kind="rest",
            method="GET",
            base_url=base,
            path="/echo/{item_id}",
            parameters={
                "type": "object",
                "properties": {"item_id": {"type": "string"}, "q": {"type": "string"}},
                "required": ["item_id"],
            },
        )
        call = ApiCall(api_id="local.echo", arguments={"item_id": "42", "q": "burgers"})
        session = requests.Session()
        session.trust_env = False  # a strict baseline: skip the proxy/.netrc lookups (RestExecutor does too)
        rest = RestExecutor(allow_private=["127.0.0.1"])
        stack = build_executor(rest=rest, python=PythonExecutor())
        bare, executor_only, full = timed(
            lambda: session.get(f"{base}/echo/42", params={"q": "burgers"}, timeout=5).json(),
            lambda: rest.execute(call, spec),
            lambda: stack.execute(call, spec),
            iterations=iterations,
        )
        lines += [
            row("REST: bare requests.Session GET (baseline)", bare),
            row("REST: RestExecutor.execute", executor_only, bare),
            row("REST: build_executor stack (validate+guard)", full, bare),
        ]

        sqrt = ApiSpec(
            id="math.sqrt",
            name="sqrt",
            description="sqrt",
            kind="python",
            callable="math:sqrt",
            parameters={"type": "object", "properties": {"x": {"type": "number"}}, "required": ["x"]},
        )
        sqrt_call = ApiCall(api_id="math.sqrt", arguments={"x": 3342398})
        with PythonExecutor(in_process_allow=["math:*"]) as in_process, PythonExecutor() as sandbox:
            sandbox.start()
            direct, trusted, warm = timed(
                lambda: math.sqrt(3342398),
                lambda: in_process.execute(sqrt_call, sqrt),
                lambda: sandbox.execute(sqrt_call, sqrt),
                iterations=iterations,
            )
        lines += [
            row("Python: math.sqrt called directly (baseline)", direct),
            row("Python: PythonExecutor in-process opt-in", trusted, direct),
            row("Python: PythonExecutor warm sandbox worker", warm, direct),
        ]

        cold = []
        for _ in range(cold_runs):
            started = time.perf_counter()
            with PythonExecutor() as fresh:
                fresh.start()
                cold.append((time.perf_counter() - started) * 1000)
        lines.append(row("Python: cold pool start (1 worker, incl. close)", cold))
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(timeout=5)

    print(f"bench_execution: {iterations} iterations per row, {os.cpu_count()} CPUs, times in ms")
    print(f"| {'measure':<48} | {'p50 ms':>9} | {'p95 ms':>9} | {'+p50 ms':>8} |")
    print(f"|{'-' * 50}|{'-' * 11}|{'-' * 11}|{'-' * 10}|")
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
