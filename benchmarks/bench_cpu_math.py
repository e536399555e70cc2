"""bf16 arithmetic against float32 arithmetic over the same bf16 weights, on this CPU, side by side.

Each setting of ``GORILLA_ROUTER_CPU_MATH`` runs in a fresh process: the default rung loaded as the router
loads it (int8 vocabulary projection), a 300-token prompt through the model body and a 4-token step
(median of 3 and of 10), then the router on a fixed random sample of tune-split requests (the first one
is a warm-up and not counted), each request's time and calls, and the process's peak memory:

    .venv/bin/python benchmarks/bench_cpu_math.py [--requests 8] [--math bfloat16,float32,int8]

It prints whether this CPU has bf16 instructions (``auto`` takes bf16 math there, float32 elsewhere) and,
per setting, the figures and how many requests got the same calls as the first setting.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

_CHILD = r"""
import json, resource, statistics, sys, time
sys.path.insert(0, sys.argv[2])
import torch
from bench_end_to_end import sampled_router

requests = int(sys.argv[1])
router, sample = sampled_router("tune", requests + 1)
router.warm_up()
entry = router.backend.loaded()
ids = torch.randint(100, 20000, (1, 300), generator=torch.Generator().manual_seed(0))
with torch.inference_mode():
    entry.model.model(input_ids=ids[:, :32])
    prefill, steps = [], []
    for times, width, repeats in ((prefill, 300, 3), (steps, 4, 10)):
        for _ in range(repeats):
            start = time.perf_counter()
            entry.model.model(input_ids=ids[:, :width])
            times.append(time.perf_counter() - start)
router.plan(sample[0]["query"])
seconds, calls = [], []
for item in sample[1:]:
    start = time.perf_counter()
    plan = router.plan(item["query"])
    seconds.append(time.perf_counter() - start)
    calls.append([str(planned.call) for planned in plan.calls] + [str(plan.no_call_code)])
print(json.dumps({
    "math": entry.math,
    "prefill": statistics.median(prefill),
    "step": statistics.median(steps),
    "seconds": seconds,
    "calls": calls,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def run(math: str, requests: int) -> dict[str, object]:
    env = {**os.environ, "GORILLA_ROUTER_CPU_MATH": math, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(requests), str(Path(__file__).resolve().parent)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=3600,
    )
    if done.returncode != 0:
        raise SystemExit(f"{math}: the child failed:\n{done.stderr[-3000:]}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=8)
    parser.add_argument("--math", default="bfloat16,float32,int8")
    args = parser.parse_args()
    from gorilla_router.generation.cpu_math import chosen_cpu_math, cpu_has_bf16

    os.environ.pop("GORILLA_ROUTER_CPU_MATH", None)
    print(f"bf16 instructions on this CPU: {cpu_has_bf16()}; 'auto' takes {chosen_cpu_math()} math")
    print("| math | 300-token prompt | 4-token step | request median / mean | same calls | peak RSS |")
    print("|---|---|---|---|---|---|")
    first: list[object] | None = None
    for math in args.math.split(","):
        result = run(math, args.requests)
        seconds = [float(s) for s in result["seconds"]]  # type: ignore[attr-defined]
        calls = list(result["calls"])  # type: ignore[call-overload]
        first = calls if first is None else first
        same = sum(a == b for a, b in zip(first, calls, strict=True))
        print(
            f"| {result['math']} | {float(result['prefill']):.2f} s | {float(result['step']) * 1000:.0f} ms "  # type: ignore[arg-type]
            f"| {statistics.median(seconds):.2f} / {statistics.mean(seconds):.2f} s | {same}/{len(calls)} "
            f"| {float(result['peak_rss_mb']):,.0f} MB |",  # type: ignore[arg-type]
            flush=True,
        )


if __name__ == "__main__":
    main()
