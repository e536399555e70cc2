"""The ``llamacpp`` backend (packaged Gemma 3 270M Q4_K_M GGUF, GBNF-constrained) on OpenFunctions v1.

Prints one row per variant: AST accuracy (the evaluation package's BFCL checker, gold function offered),
share of outputs naming an API outside the candidates, items with no parsed call ("none()" or
unparseable), warm latency p50/p95 per call, plus model load time and peak RSS of the process.

    .venv/bin/python benchmarks/bench_llamacpp.py                 # 12 evenly spaced items
    .venv/bin/python benchmarks/bench_llamacpp.py --variants constrained,free_values,unconstrained --threads 2

Variants: ``constrained`` (GBNF: names, parameter names, types; strings = spans of the query, numbers =
those it states), ``free_values`` (same grammar, any string/number), ``unconstrained`` (greedy text, parsed).

Needs ``pip install 'gorilla-router[llamacpp]'`` and ../shared/data/openfunctions-v1-test.json (or --data).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

from gorilla_router.evaluation.candidates import gold_candidates
from gorilla_router.evaluation.openfunctions import load_openfunctions, openfunctions_to_bfcl
from gorilla_router.evaluation.runner import evaluate
from gorilla_router.generation.llamacpp_backend import LlamaCppBackend

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "openfunctions-v1-test.json"
VARIANTS = {
    "constrained": {"constrained": True},
    "free_values": {"constrained": True, "query_values": False},
    "unconstrained": {"constrained": False},
}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument(
        "--limit", type=int, default=12, help="evenly spaced subset of the 112 items (0: all; slow)"
    )
    parser.add_argument("--variants", default="constrained,unconstrained")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--prompt-format", default="fewshot")
    args = parser.parse_args()
    if not args.data.is_file():
        print(f"missing {args.data}; pass --data", file=sys.stderr)
        return 2
    items = openfunctions_to_bfcl(load_openfunctions(args.data))
    if args.limit and args.limit < len(items):
        step = len(items) / args.limit
        items = [items[int(i * step)] for i in range(args.limit)]
    started = time.perf_counter()
    LlamaCppBackend("embedded", n_threads=args.threads)  # load once; later instances share the model
    load_s = time.perf_counter() - started
    rows = []
    for variant in args.variants.split(","):
        backend = LlamaCppBackend(
            "embedded", n_threads=args.threads, prompt_format=args.prompt_format, **VARIANTS[variant]
        )
        backend.generate(items[0].question, gold_candidates(items[0]))  # warm-up
        report = evaluate(backend, items, gold_candidates)
        latencies = sorted(o.latency_s for o in report.items)
        no_call = sum(not o.calls for o in report.items)  # "none()" answers or unparseable text
        p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
        rows.append(
            (variant, report.accuracy, report.hallucination, no_call, statistics.median(latencies), p95)
        )
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"OpenFunctions v1, gold function, {len(items)} items, llama.cpp {args.threads} threads")
    print(f"model load {load_s:.2f} s, peak RSS {rss_mb:.0f} MB")
    print(f"{'variant':<14} {'AST acc':>8} {'halluc.':>8} {'no calls':>8} {'p50 s':>7} {'p95 s':>7}")
    for variant, accuracy, hallucination, no_call, p50, p95 in rows:
        print(f"{variant:<14} {accuracy:>8.1%} {hallucination:>8.1%} {no_call:>8} {p50:>7.3f} {p95:>7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
