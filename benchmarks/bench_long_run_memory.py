"""Resident memory of one long-running router: after every ten requests, side by side across settings.

    .venv/bin/python benchmarks/bench_long_run_memory.py [--requests 40]

Each configuration is a fresh process that builds the tune split's router (``bench_end_to_end.py``'s
reduced zoo and index) and answers a fixed random sample of the tune split's requests with ``plan``,
printing the resident memory (VmRSS) after each ten and the total time. Configurations:

* ``default`` — the package's settings (heap trimmed after each turn, oneDNN's kernel cache at 64);
* ``no trim`` — without the heap trim (``gorilla_router._memory.release_freed_memory`` made a no-op);
* ``kernel cache 1024`` — oneDNN's own default cache size;
* ``neither`` — both of the above, the settings before they were introduced;
* ``bf16 head`` — the vocabulary projection kept in bf16 (``ToolCallBackend.int8_output`` off).

The cold-start figure of ``bench_end_to_end.py --cold`` is one request in a fresh process; this is the
figure for a router that keeps running (the MCP server, a notebook).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

CONFIGURATIONS = {
    "default": {},
    "no trim": {"BENCH_NO_TRIM": "1"},
    "kernel cache 1024": {"ONEDNN_PRIMITIVE_CACHE_CAPACITY": "1024"},
    "neither": {"BENCH_NO_TRIM": "1", "ONEDNN_PRIMITIVE_CACHE_CAPACITY": "1024"},
    "bf16 head": {"BENCH_BF16_HEAD": "1"},
}


def resident_mb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    return 0


def child(requests: int) -> None:
    sys.path.insert(0, str(HERE))
    import bench_end_to_end as bench

    if os.environ.get("BENCH_NO_TRIM") == "1":
        import gorilla_router.generation.toolcall.backend as toolcall_backend

        toolcall_backend.release_freed_memory = lambda: False  # type: ignore[attr-defined]
    backend = "embedded@int8_output=false" if os.environ.get("BENCH_BF16_HEAD") == "1" else "embedded"
    router, items = bench.sampled_router("tune", requests, backend)
    started = time.perf_counter()
    marks = []
    for number, item in enumerate(items, start=1):
        router.plan(item["query"])
        if number % 10 == 0:
            marks.append(resident_mb())
    print(json.dumps({"marks": marks, "seconds": time.perf_counter() - started}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--only", help=f"comma-separated configurations (of: {', '.join(CONFIGURATIONS)})")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    chosen = [name.strip() for name in args.only.split(",")] if args.only else list(CONFIGURATIONS)
    unknown = [name for name in chosen if name not in CONFIGURATIONS]
    if unknown:
        parser.error(f"unknown configuration(s) {unknown}; known: {', '.join(CONFIGURATIONS)}")
    if args.child:
        child(args.requests)
        return
    if not Path("/proc/self/status").exists():
        sys.exit("this benchmark reads /proc (Linux)")
    print(f"resident MB after every 10 of {args.requests} tune requests, one process per configuration")
    for name in chosen:
        settings = CONFIGURATIONS[name]
        environment = {k: v for k, v in os.environ.items() if k not in ("ONEDNN_PRIMITIVE_CACHE_CAPACITY",)}
        environment.update(settings)
        done = subprocess.run(
            [sys.executable, __file__, "--child", "--requests", str(args.requests)],
            capture_output=True,
            text=True,
            env=environment,
            check=False,
        )
        lines = done.stdout.strip().splitlines()
        if done.returncode != 0 or not lines:
            print(f"{name:18s} failed: {done.stderr[-300:]}")
            continue
        result = json.loads(lines[-1])
        marks = " / ".join(f"{mark:,}" for mark in result["marks"])
        print(f"{name:18s} {marks} MB   {result['seconds']:.1f} s")


if __name__ == "__main__":
    main()
