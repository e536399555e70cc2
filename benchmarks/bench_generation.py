"""Generation accuracy and speed of a local model (default: the embedded Gemma 3 270M) on OpenFunctions v1.

Prints one table row per variant: AST accuracy (the evaluation package's BFCL checker), the share of
calls naming an API outside the candidates (must be 0), "no call" answers, warm latency p50/p95 per call,
model steps and tokens per call, tokens/s, plus model load times and peak RSS.

    .venv/bin/python benchmarks/bench_generation.py --limit 40                    # quick, evenly spaced items
    .venv/bin/python benchmarks/bench_generation.py --mode retrieve --retriever hybrid
    .venv/bin/python benchmarks/bench_generation.py --variants default,free_strings,unconstrained
    .venv/bin/python benchmarks/bench_generation.py --cold                        # also time the conversion

Variants: ``default`` (all constraints), ``free_strings`` (strings written freely), ``free_numbers``
(numbers digit by digit, not from the query), ``no_place_suffix``, ``no_call_option`` (the "none()"
choice removed), ``no_synth_examples`` (no example synthesized from the schema), ``names_only`` (only
function/argument names constrained: free strings and numbers), ``unconstrained`` (greedy text, parsed).
Needs ../shared/data/openfunctions-v1-test.json (or --data).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from gorilla_router.errors import GenerationError
from gorilla_router.evaluation.bfcl import check_item
from gorilla_router.evaluation.candidates import gold_candidates, retrieved_candidates, unique_specs
from gorilla_router.evaluation.openfunctions import load_openfunctions, openfunctions_to_bfcl
from gorilla_router.evaluation.retrievers import make_retriever
from gorilla_router.generation.constrained.decoder import DecodeOptions
from gorilla_router.generation.constrained.values import query_numbers
from gorilla_router.generation.prompts.fewshot import FewShotFormat

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "openfunctions-v1-test.json"
VARIANTS = {
    "default": {},
    "free_strings": {"query_strings": False},
    "free_numbers": {"query_numbers": False},
    "no_place_suffix": {"place_suffix": False},
    "no_call_option": {"allow_no_call": False},
    "names_only": {"query_strings": False, "query_numbers": False, "place_suffix": False},
    "no_synth_examples": {},
    "no_rerank": {"rerank_strings": False},
    "optional_bonus": {"optional_bonus": 2.0},
    "no_number_context": {"number_context": False},
    "no_optional_evidence": {"optional_evidence": False},
    "unconstrained": {},
}


def evenly_spaced(count: int, limit: int | None) -> list[int]:
    if not limit or limit >= count:
        return list(range(count))
    return [round(i * (count - 1) / (limit - 1)) for i in range(limit)] if limit > 1 else [0]


def derivable(item, record) -> bool:
    """Whether every gold value can be read off the question: a string it contains (ignoring case), a
    number it states (5% may be 0.05), a boolean, or an enum value. About a third of this set's gold
    values are invented (game_id=123, date='2023-10-24'); no reading of the question can produce them."""
    from gorilla_router.evaluation.openfunctions import gold_call

    question = item.question.lower()
    numbers = {n.value for n in query_numbers(item.question)} | {
        n.value / 100 for n in query_numbers(item.question) if n.percent
    }
    properties = record["function"].get("parameters", {}).get("properties", {})

    def ok(value, schema) -> bool:
        if isinstance(value, list):
            return all(ok(v, (schema.get("items") or {})) for v in value)
        if isinstance(value, bool) or value in (schema.get("enum") or []):
            return True
        if isinstance(value, (int, float)):
            return float(value) in numbers
        return str(value).lower() in question

    _, arguments = gold_call(record["model_answer"])
    return all(ok(v, properties.get(k, {})) for k, v in arguments.items())


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--limit", type=int, default=None, help="evenly spaced subset of this many items")
    parser.add_argument("--items", default=None, help="comma-separated item indices (overrides --limit)")
    parser.add_argument("--mode", choices=["gold", "retrieve"], default="gold")
    parser.add_argument("--retriever", default="lexical", help="retrieve mode: lexical or hybrid")
    parser.add_argument("--k", type=int, default=3, help="retrieve mode: candidates per query")
    parser.add_argument("--model", default=None, help="a model folder or hub id (default: embedded Gemma)")
    parser.add_argument("--variants", default="default")
    parser.add_argument("--cold", action="store_true", help="time the GGUF → bf16 conversion in a temp cache")
    parser.add_argument("--failures", action="store_true", help="print every failed item and why")
    args = parser.parse_args()
    if not args.data.is_file():
        print(f"OpenFunctions data not found at {args.data}; pass --data", file=sys.stderr)
        return 2

    from gorilla_router.generation import embedded
    from gorilla_router.generation.transformers_backend import TransformersBackend, load_model

    rows = []
    if args.cold:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["GORILLA_ROUTER_CACHE_DIR"] = tmp
            started = time.perf_counter()
            embedded.ensure_embedded_model()
            rows.append(("cold: GGUF → bf16 conversion", f"{time.perf_counter() - started:.1f} s"))
            del os.environ["GORILLA_ROUTER_CACHE_DIR"]
    started = time.perf_counter()
    model_path = args.model or str(embedded.ensure_embedded_model())
    rows.append(("convert-or-find model folder", f"{time.perf_counter() - started:.1f} s"))
    entry = load_model(model_path)
    rows.append(("load from cache (tokenizer + weights)", f"{entry.load_seconds:.1f} s"))

    records = load_openfunctions(args.data)
    items = openfunctions_to_bfcl(records)
    indices = [int(i) for i in args.items.split(",")] if args.items else evenly_spaced(len(items), args.limit)
    chosen = [items[i] for i in indices]
    readable = {items[i].id for i in indices if derivable(items[i], records[i])}
    if args.mode == "gold":
        candidates_of = gold_candidates
        retriever_note = "gold function given"
    else:
        retriever = make_retriever(args.retriever, unique_specs(items), collection="bench-generation")
        candidates_of = retrieved_candidates(retriever, k=args.k)
        retriever_note = f"{args.retriever} retriever, top-{args.k} of {len(unique_specs(items))}"

    print(f"# {len(chosen)} items, {retriever_note}, model {model_path}, device {entry.device}/{entry.dtype}")
    table = []
    for variant in args.variants.split(","):
        if variant not in VARIANTS:
            print(f"unknown variant {variant!r}; known: {', '.join(VARIANTS)}", file=sys.stderr)
            return 2
        fmt = FewShotFormat(synthesize_examples=variant != "no_synth_examples")
        options = replace(DecodeOptions(), **VARIANTS[variant])
        backend = TransformersBackend(
            model_path,
            prompt_format="fewshot",
            constrained=variant != "unconstrained",
            decode_options=options,
        )
        backend.prompt_format = fmt
        backend.generate("warm up", gold_candidates(chosen[0]))
        passed = outside = no_call = errors = passed_readable = 0
        latencies, steps, tokens = [], [], []
        for item in chosen:
            candidates = candidates_of(item)
            offered = {c.spec.id for c in candidates}
            started = time.perf_counter()
            reason = "no call"
            try:
                calls = backend.generate(item.question, candidates)
            except GenerationError as exc:
                calls, errors = [], errors + 1
                reason = f"unparseable: {exc}"[:200]
            latencies.append(time.perf_counter() - started)
            steps.append(backend.last_stats.get("steps", 0))
            tokens.append(backend.last_stats.get("tokens", 0))
            outside += any(c.api_id not in offered for c in calls)
            no_call += not calls
            verdict = check_item(item, calls)
            passed += verdict.passed
            passed_readable += verdict.passed and item.id in readable
            if args.failures and not verdict.passed:
                got = [c.to_source() for c in calls] or reason
                print(f"  FAIL {item.id}: {item.question}\n       got {got}\n       {verdict.reason[:240]}")
        n = len(chosen)
        q = statistics.quantiles(latencies, n=20) if n > 1 else latencies * 19
        table.append(
            (
                variant,
                f"{100 * passed / n:.1f}% ({passed}/{n})",
                f"{100 * passed_readable / max(len(readable), 1):.1f}% ({passed_readable}/{len(readable)})",
                f"{100 * outside / n:.1f}%",
                f"{no_call}",
                f"{errors}",
                f"{statistics.median(latencies):.2f}",
                f"{q[18]:.2f}",
                f"{statistics.mean(steps):.1f}",
                f"{statistics.mean(tokens):.0f}",
                f"{sum(tokens) / sum(latencies):.0f}",
            )
        )
        print("  done:", "  ".join(table[-1]), flush=True)
    header = (
        "variant",
        "AST acc",
        "on derivable",
        "outside",
        "no call",
        "unparsed",
        "p50 s",
        "p95 s",
        "steps",
        "tokens",
        "tok/s",
    )
    widths = [max(len(str(r[i])) for r in [header, *table]) for i in range(len(header))]
    for row in [header, *table]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=False)))
    rows.append(("peak RSS", f"{peak_rss_mb():.0f} MB"))
    for name, value in rows:
        print(f"{name}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
