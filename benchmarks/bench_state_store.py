"""What the on-disk state store saves a fresh process: the same requests, the store off and on, side by side.

    .venv/bin/python benchmarks/bench_state_store.py [--requests 30] [--rounds 2]

Each measurement is a fresh process (as a command-line call is) that builds the tune split's router
(``bench_end_to_end.py``'s reduced zoo and index), answers one warm-up request, then times ``plan`` on a
fixed random sample of the tune split's requests. Rounds alternate: store off
(``GORILLA_ROUTER_STATE_CACHE=0``), store on (filled by an untimed run first, as any earlier process
fills it). Prints the mean and median per request of each, and which requests were answered differently.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def child(requests: int, out: Path) -> None:
    sys.path.insert(0, str(HERE))
    import bench_end_to_end as bench

    router, items = bench.sampled_router("tune", requests)
    router.warm_up()
    router.plan(bench.WARM_UP_QUERY)
    seconds, answers = [], []
    for item in items:
        started = time.perf_counter()
        plan = router.plan(item["query"])
        seconds.append(time.perf_counter() - started)
        answers.append([c.call.to_source() for c in plan.calls] + [m.describe() for m in plan.missing])
    out.write_text(json.dumps({"seconds": seconds, "answers": answers}), encoding="utf-8")


def measure(requests: int, store: bool) -> dict[str, list]:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "result.json"
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        env["GORILLA_ROUTER_STATE_CACHE"] = "1" if store else "0"
        command = [sys.executable, __file__, "--child", str(out), "--requests", str(requests)]
        subprocess.run(command, env=env, check=True)
        result: dict[str, list] = json.loads(out.read_text(encoding="utf-8"))
        return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.requests, Path(args.child))
        return
    measure(args.requests, store=True)  # fills the store (untimed), as any earlier process would
    runs: dict[bool, list[dict[str, list]]] = {False: [], True: []}
    for _ in range(args.rounds):
        for store in (False, True):
            runs[store].append(measure(args.requests, store))
    print(f"{args.requests} tune requests per fresh process, {args.rounds} rounds, {os.cpu_count()} CPUs")
    for store, label in ((False, "store off"), (True, "store on (filled)")):
        means = [statistics.mean(run["seconds"]) for run in runs[store]]
        medians = [statistics.median(run["seconds"]) for run in runs[store]]
        print(
            f"  {label:18s} mean per request "
            + " / ".join(f"{m:.2f}" for m in means)
            + " s, median "
            + " / ".join(f"{m:.2f}" for m in medians)
            + " s"
        )
    first = runs[False][0]["answers"]
    differ = {
        index
        for store in runs
        for run in runs[store]
        for index, answer in enumerate(run["answers"])
        if answer != first[index]
    }
    print(f"  requests answered differently in some run: {len(differ)} of {args.requests}")
    for index in sorted(differ):
        seen = {json.dumps(run["answers"][index]) for store in runs for run in runs[store]}
        print(f"    request {index}: " + " | ".join(sorted(seen)))


if __name__ == "__main__":
    main()
