"""Toolformer inline calls: how many calls ``router.augment`` inserts that are well formed, executed, kept
by the loss filter and correct — on passages answered by the zoo's Python APIs (no network) — and how long
each passage takes on this machine.

    .venv/bin/python benchmarks/bench_inline.py [--threshold 1.0] [--backend embedded] [--json]

The router is the default one (bundled zoo, hybrid retriever, embedded Gemma 3 270M backend with
constrained decoding); the scorer is the same model, shared, not loaded twice. Each passage states a fact
that one zoo API computes; the gold API and the value the text states are listed with it.

* **positions** — calls proposed (the likeliest position per sentence above τ_s, at most ``max_calls``);
* **well formed** — the model wrote a call naming an offered zoo API whose arguments validate;
* **executed** — it ran in the sandbox (``ok``);
* **kept** — Toolformer's filter kept it (loss on the following tokens lowered by ≥ ``filter_threshold``);
* **correct** — an executed call (before the filter) or a kept call is the gold API and its result
  equals the value the passage states (numbers compared as numbers); **kept, wrong** counts the others.

Latency is wall time per passage (positions, retrieval, generation, execution, filter, annotation), the
model already loaded and the index built; the first passage's load time is reported separately.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from gorilla_router import CallStatus, GorillaRouter, RouterConfig
from gorilla_router.inline import AugmentedText

# (passage, gold api id, the value the passage states) — dates, arithmetic, conversions, lookups
PASSAGES: list[tuple[str, str, str]] = [
    ("The square root of 1521 is 39.", "math.sqrt", "39"),
    ("7 factorial is 5040, the number of ways to order seven books.", "math.factorial", "5040"),
    ("2 to the power of 10 is 1024, which is why a kibibyte has 1024 bytes.", "math.pow", "1024"),
    ("Choosing 2 players out of 10 gives 45 possible pairs.", "math.comb", "45"),
    ("The mean of 3, 5 and 10 is 6.", "statistics.mean", "6"),
    ("The median of 1, 9 and 4 is 4.", "statistics.median", "4"),
    ("Thirty days after 2024-01-15 it was 2024-02-14, a Wednesday.", "datetime.add_days", "2024-02-14"),
    ("From 2024-01-01 to 2024-03-01 there are 60 days.", "datetime.days_between", "60"),
    ("The date 2024-07-04 fell on a Thursday.", "datetime.weekday", "Thursday"),
    ("Converted to radians, 180 degrees is 3.141592653589793.", "math.radians", "3.141592653589793"),
    ("One radian is 57.29577951308232 degrees.", "math.degrees", "57.29577951308232"),
    ("The base64 encoding of hello is aGVsbG8=.", "base64.b64encode", "aGVsbG8="),
    (
        "The Unicode name of the character é is LATIN SMALL LETTER E WITH ACUTE.",
        "unicodedata.name",
        "LATIN SMALL LETTER E WITH ACUTE",
    ),
    ("The SHA-256 of abc starts with ba7816bf.", "hashlib.sha256", "ba7816bf"),
    ("The harbour was quiet and grey all morning, and nobody came.", "", ""),
]


def same_value(result: str, stated: str) -> bool:
    result, stated = result.strip(), stated.strip()
    try:
        return abs(float(result) - float(stated)) <= 1e-9 * max(1.0, abs(float(stated)))
    except ValueError:
        return result.lower() == stated.lower() or (
            len(stated) >= 8 and result.lower().startswith(stated.lower())
        )


def tally(augmented: AugmentedText, gold: str, stated: str) -> dict[str, int]:
    counts = {"positions": len(augmented.calls), "well_formed": 0, "executed": 0, "executed_correct": 0}
    counts |= {"kept": 0, "correct": 0}
    for inserted in augmented.calls:
        if inserted.call is not None and inserted.status not in (None, CallStatus.INVALID):
            counts["well_formed"] += 1
        if inserted.status is not CallStatus.OK:
            continue
        assert inserted.call is not None
        right = inserted.call.api_id == gold and same_value(inserted.result_text or "", stated)
        counts["executed"] += 1
        counts["executed_correct"] += right
        counts["kept"] += inserted.kept
        counts["correct"] += inserted.kept and right
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threshold", type=float, default=1.0, help="filter_threshold (default 1.0)")
    parser.add_argument("--backend", default=None, help="backend string (default: the configured one)")
    parser.add_argument("--json", action="store_true", help="also print every passage's result as JSON")
    args = parser.parse_args()

    config = RouterConfig.load(**({"backend": args.backend} if args.backend else {}))
    with GorillaRouter(config=config) as router:
        started = time.perf_counter()
        router.warm_up()
        router.augment("Warm-up: the square root of 4 is 2.", filter_threshold=args.threshold)
        print(f"warm-up (index, model load, first passage): {time.perf_counter() - started:.1f} s")
        totals: dict[str, int] = {}
        latencies: list[float] = []
        for passage, gold, stated in PASSAGES:
            begun = time.perf_counter()
            augmented = router.augment(passage, filter_threshold=args.threshold)
            latencies.append(time.perf_counter() - begun)
            counts = tally(augmented, gold, stated)
            for key, value in counts.items():
                totals[key] = totals.get(key, 0) + value
            shown = "; ".join(
                f"{c.call_text or '-'} [{c.reason.value}"
                + (f", Δ={c.score.improvement:+.2f}" if c.score else "")
                + (", kept" if c.kept else "")
                + "]"
                for c in augmented.calls
            )
            print(f"{latencies[-1]:5.2f}s  {passage[:58]:58}  {shown or '(no position)'}")
            if args.json:
                print(augmented.model_dump_json())

    answerable = sum(1 for _, gold, _ in PASSAGES if gold)
    kept = totals["kept"]
    print()
    print(f"passages: {len(PASSAGES)} ({answerable} answerable by a zoo API, 1 with nothing to compute)")
    print(f"filter_threshold: {args.threshold}, backend: {router.backend_name}")
    print("| measure | count |")
    print("|---|---|")
    for key, label in [
        ("positions", "calls proposed (positions)"),
        ("well_formed", "well formed (offered zoo API, valid arguments)"),
        ("executed", "executed (sandbox, ok)"),
        ("executed_correct", "executed and correct, before the filter"),
        ("kept", "kept by the loss filter"),
        ("correct", "kept and correct (gold API, stated value)"),
    ]:
        print(f"| {label} | {totals[key]} |")
    print(f"| kept, wrong | {kept - totals['correct']} |")
    p95 = sorted(latencies)[max(0, round(0.95 * len(latencies)) - 1)]
    print(
        f"| latency per passage p50 / p95 / mean | {statistics.median(latencies):.2f} s / {p95:.2f} s / "
        f"{statistics.mean(latencies):.2f} s |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
