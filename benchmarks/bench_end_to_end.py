"""End-to-end benchmark of the router on the zoo's own examples: correct calls, warm latency, cold start, RSS.

    .venv/bin/python benchmarks/bench_end_to_end.py [--limit N] [--quick] [--backend embedded] [--no-cold]

Held out, so the figure is not leaked: for every zoo entry with at least two examples, its LAST example is
the test item and is removed from the zoo the router uses — so it is neither in the index (retrieval
documents include example queries) nor in the few-shot prompt (built from the candidates' examples). The
reduced zoo is written to ``<cache dir>/bench_e2e/`` and indexed there (embedded Chroma; later runs reuse
it), never into the main index.

A call is correct when its API id equals the gold one and its arguments equal the gold arguments after both
went through the same validation (defaults applied, unambiguous coercions). Python APIs are executed for
real in the sandbox; REST APIs are validated and guarded, then previewed (dry run) — there is no network
here — so "latency" covers retrieve + generate + validate + guard + dispatch or preview.

Cold start: a fresh Python process (the model already converted, the index already built) is timed from
launch to its first result, as the parent sees it. Peak RSS: this process's maximum resident set (the
router, both models, Chroma) and the cold child's, read from ``VmHWM``; the Python sandbox worker is a
separate process and not counted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from gorilla_router import GorillaRouter, RouterConfig
from gorilla_router.errors import ValidationError
from gorilla_router.execution import DryRunExecutor, validate_arguments
from gorilla_router.generation.parsing import parse_calls
from gorilla_router.paths import cache_dir
from gorilla_router.zoo import ApiZoo

WARM_UP_QUERY = "what is 2 to the power of 10"


def held_out_split(zoo: ApiZoo) -> tuple[list[dict], list[tuple[str, str, str]]]:
    """(reduced zoo entries, test items (query, gold call, api id)): one held-out example per entry."""
    entries, items = [], []
    for spec in zoo:
        data = spec.model_dump(mode="json", exclude_none=True)
        if len(spec.examples) >= 2:
            test = spec.examples[-1]
            items.append((test.query, test.call, spec.id))
            data["examples"] = [e.model_dump() for e in spec.examples[:-1]]
        entries.append(data)
    return entries, items


def normalised(call_text_or_call, zoo: ApiZoo):
    calls = (
        parse_calls(call_text_or_call, zoo.specs)
        if isinstance(call_text_or_call, str)
        else [call_text_or_call]
    )
    call = calls[0]
    try:
        return call.api_id, validate_arguments(call, zoo.get(call.api_id)).arguments
    except ValidationError:
        return call.api_id, call.arguments


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def peak_rss_mb() -> float:
    """This process's peak resident set, from VmHWM (``ru_maxrss`` is inherited from the parent on Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def build_router(zoo_dir: Path, index_dir: Path, backend: str) -> GorillaRouter:
    config = RouterConfig.load(
        environ={}, zoo=[zoo_dir], chroma_path=index_dir, backend=backend, assume_yes=True
    )
    from gorilla_router.execution import RestExecutor

    offline_rest = DryRunExecutor(RestExecutor())  # the real request builder, previewed: no network here
    return GorillaRouter(config=config, transports={"rest": offline_rest})


def cold_child(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    router = build_router(Path(args.zoo), Path(args.index), args.backend)
    result = router.run(args.cold_child)
    print(
        json.dumps(
            {
                "status": result.status.value,
                "call": result.call.to_source() if result.call else None,
                "seconds_in_process": time.perf_counter() - started,
                "peak_rss_mb": peak_rss_mb(),
                "timings": result.timings,
            }
        )
    )
    router.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--limit", type=int, default=30, help="test items (default 30; 0: all held-out items)"
    )
    parser.add_argument("--quick", action="store_true", help="20 items, no cold start")
    parser.add_argument("--backend", default="embedded")
    parser.add_argument("--no-cold", action="store_true", help="skip the fresh-process cold start")
    parser.add_argument("--verbose", action="store_true", help="print every item")
    parser.add_argument("--cold-child", help=argparse.SUPPRESS)
    parser.add_argument("--zoo", help=argparse.SUPPRESS)
    parser.add_argument("--index", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cold_child:
        cold_child(args)
        return
    limit = 20 if args.quick else args.limit

    zoo = ApiZoo.bundled()
    entries, items = held_out_split(zoo)
    random.Random(0).shuffle(items)
    if limit:
        items = items[:limit]
    work = cache_dir() / "bench_e2e"
    zoo_dir, index_dir = work / "zoo", work / "index"
    zoo_dir.mkdir(parents=True, exist_ok=True)
    (zoo_dir / "heldout.json").write_text(json.dumps(entries), encoding="utf-8")
    reduced = ApiZoo.load(zoo_dir)

    started = time.perf_counter()
    router = build_router(zoo_dir, index_dir, args.backend)
    startup = router.warm_up()
    router.run(WARM_UP_QUERY)
    ready = time.perf_counter() - started

    latencies, correct, top1, top5, statuses, failures = [], 0, 0, 0, {}, []
    for query, gold_text, gold_id in items:
        t0 = time.perf_counter()
        result = router.run(query)
        latencies.append(time.perf_counter() - t0)
        statuses[result.status.value] = statuses.get(result.status.value, 0) + 1
        ranked = [c.spec.id for c in result.candidates]
        top1 += ranked[:1] == [gold_id]
        top5 += gold_id in ranked[:5]
        ok = result.call is not None and normalised(result.call, reduced) == normalised(gold_text, reduced)
        correct += ok
        if not ok:
            failures.append(
                (query, gold_text, result.call.to_source() if result.call else result.status.value)
            )
        if args.verbose:
            print(
                f"{'OK ' if ok else 'BAD'} {latencies[-1]:5.2f}s {query!r} -> "
                f"{result.call.to_source() if result.call else result.error}",
                flush=True,
            )
    router.close()

    cold = None
    if not (args.no_cold or args.quick):
        t0 = time.perf_counter()
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--cold-child",
                items[0][0],
                "--zoo",
                str(zoo_dir),
                "--index",
                str(index_dir),
                "--backend",
                args.backend,
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        wall = time.perf_counter() - t0
        lines = child.stdout.strip().splitlines()
        cold = {
            "wall": wall,
            **(json.loads(lines[-1]) if child.returncode == 0 and lines else {"error": child.stderr[-500:]}),
        }

    n = len(items)
    rows = [
        ("test items (held-out zoo examples)", f"{n} of {len(zoo)} APIs"),
        (
            "correct calls (id + validated arguments)",
            f"{correct}/{n} = {100 * correct / n:.1f}%  (target >= 90%)",
        ),
        ("retrieval: gold API ranked 1st / in top 5", f"{100 * top1 / n:.1f}% / {100 * top5 / n:.1f}%"),
        ("statuses", ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))),
        (
            "warm latency p50 / p95 / max",
            f"{statistics.median(latencies):.2f} s / {percentile(latencies, 95):.2f} s / "
            f"{max(latencies):.2f} s  (target p50 <= 2 s)",
        ),
        (
            "start-up in this process (load + index + 1st query)",
            f"{ready:.1f} s  ({', '.join(f'{k} {v:.1f}s' for k, v in startup.items())})",
        ),
    ]
    if cold is not None:
        if "error" in cold:
            rows.append(("cold start (fresh process)", f"failed: {cold['error']}"))
        else:
            rows.append(
                (
                    "cold start to first result (fresh process)",
                    f"{cold['wall']:.1f} s wall  (target <= 20 s; {cold['status']})",
                )
            )
            rows.append(("peak RSS cold child", f"{cold['peak_rss_mb']:.0f} MB"))
    rows.append(("peak RSS this process", f"{peak_rss_mb():.0f} MB  (target <= 2048 MB)"))
    width = max(len(r[0]) for r in rows)
    print(f"\nEnd to end, backend {args.backend!r}, {os.cpu_count()} CPUs")
    print("-" * (width + 60))
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    if failures:
        print("\nincorrect:")
        for query, gold, got in failures:
            print(f"  {query!r}\n    gold {gold}\n    got  {got}")


if __name__ == "__main__":
    main()
