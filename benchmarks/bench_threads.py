"""torch CPU threads for the embedded model: one thread, every core spinning, every core waiting passively.

Each configuration runs in a fresh process (the OpenMP runtime reads ``OMP_WAIT_POLICY`` once, when torch
loads it), first alone and then beside one process that keeps a core busy — the laptop with a browser,
a CI runner with a neighbour. Prints the median and worst time of a prompt-sized forward pass (prefill)
and of a 4-token pass (a decoding step), per configuration and load:

    .venv/bin/python benchmarks/bench_threads.py                 # the default rung, 300-token prompt
    .venv/bin/python benchmarks/bench_threads.py --model gemma-270m --tokens 600 --threads 4

The router's default (``gorilla_router._threads``) is the passive row with every usable core.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import time

_CHILD = r"""
import json, statistics, sys, time
import torch
from transformers import AutoModelForCausalLM
threads, folder, tokens = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
torch.set_num_threads(threads)
model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.bfloat16).eval()
generator = torch.Generator().manual_seed(0)
ids = torch.randint(100, 20000, (1, tokens), generator=generator)
with torch.inference_mode():
    model.model(input_ids=ids[:, :32])
    prefill, steps = [], []
    for times, width, repeats in ((prefill, tokens, 5), (steps, 4, 20)):
        for _ in range(repeats):
            start = time.perf_counter()
            model.model(input_ids=ids[:, :width])
            times.append(time.perf_counter() - start)
print(json.dumps({"prefill": [statistics.median(prefill), max(prefill)],
                  "step": [statistics.median(steps), max(steps)]}))
"""


def _busy() -> None:
    while True:
        pass


def run(threads: int, policy: str, folder: str, tokens: int) -> dict[str, list[float]]:
    env = {**os.environ, "OMP_WAIT_POLICY": policy}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(threads), folder, str(tokens)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=900,
    )
    result: dict[str, list[float]] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default="default", help="a ladder name or a model folder")
    parser.add_argument("--tokens", type=int, default=300, help="prompt length of the prefill pass")
    parser.add_argument("--threads", type=int, default=0, help="threads of the multi-thread rows (0: all)")
    args = parser.parse_args()

    from gorilla_router.errors import UnknownBackendError
    from gorilla_router.generation.ladder import ensure_model_folder, local_model_folder, resolve_rung

    try:
        folder = ensure_model_folder(resolve_rung(args.model))
    except UnknownBackendError:
        folder = local_model_folder(args.model)
    cores = args.threads or len(os.sched_getaffinity(0))
    configs = [(1, "ACTIVE"), (cores, "ACTIVE"), (cores, "PASSIVE")]
    print(f"{folder.name}, {args.tokens}-token prefill / 4-token step, {os.cpu_count()} CPUs; median / worst")
    print(f"{'threads, wait policy':24} {'load':10} {'prefill':>18} {'step':>18}")
    for load in ("alone", "one busy"):
        busy = multiprocessing.Process(target=_busy, daemon=True) if load == "one busy" else None
        if busy is not None:
            busy.start()
            time.sleep(0.5)
        try:
            for threads, policy in configs:
                got = run(threads, policy, str(folder), args.tokens)
                prefill, step = got["prefill"], got["step"]
                label = f"{threads}, {policy.lower()}"
                print(
                    f"{label:24} {load:10} {prefill[0]:7.2f} / {prefill[1]:5.2f} s "
                    f"{1000 * step[0]:6.0f} / {1000 * step[1]:4.0f} ms",
                    flush=True,
                )
        finally:
            if busy is not None:
                busy.terminate()
                busy.join()


if __name__ == "__main__":
    main()
