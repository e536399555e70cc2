"""Would escalating to a larger rung only when the default is unsure pay? An offline replay of two runs.

    .venv/bin/python benchmarks/bench_end_to_end.py --split tune --backends embedded --out small.jsonl
    .venv/bin/python benchmarks/bench_end_to_end.py --split tune --backends embedded:qwen-1.5b \\
        --out large.jsonl
    .venv/bin/python benchmarks/escalation_analysis.py small.jsonl large.jsonl \\
        ~/.cache/gorilla_router/bench_e2e/tune/margins-tune-embedded.json

A cascade answers with the small model and asks the large one only when a signal of the small model's turn
says it is unsure; its accuracy is the small run's answers where it does not escalate and the large run's
where it does, its time the small run's plus the large run's on the escalated requests. The signals are
what the small model's decoder records (the margins file ``bench_end_to_end.py`` writes): the gap between
the best and second function score (direct + ``channel_weight`` × channel, as the decoder fuses them),
whether the channel overruled the model's own pick, the call / no-call margin, and whether the answer asks
for a missing value. Run it on the tune split: a threshold chosen here and reported on the test split is
the only honest use.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

CHANNEL_WEIGHT = 1.5  # ToolDecodeOptions.channel_weight, the fusion the decoder uses for the first call


def _rows(small: Path, large: Path, margins: Path) -> list[dict[str, Any]]:
    first = {record["query"]: record for record in map(json.loads, small.read_text().splitlines())}
    second = {record["query"]: record for record in map(json.loads, large.read_text().splitlines())}
    rows = []
    try:
        turns = json.loads(margins.read_text())
    except json.JSONDecodeError as exc:
        raise SystemExit(f"{margins} is not a margins file (one JSON list): {exc}") from exc
    for turn in turns:
        query = turn.get("query")
        if query is None:
            raise SystemExit(f"{margins} has no queries: write it again with this version of the benchmark")
        if query not in first or query not in second:
            continue
        direct, channel = turn["functions"], turn.get("channel") or {}
        fused = sorted(
            (direct[k] + CHANNEL_WEIGHT * v for k, v in channel.items() if k in direct), reverse=True
        )
        named = [k for k in direct if k != "none"]
        own = max(named, key=direct.__getitem__) if named else None
        best = (
            max(channel, key=lambda k: direct.get(k, -1e9) + CHANNEL_WEIGHT * channel[k]) if channel else own
        )
        rows.append(
            {
                "category": first[query]["category"],
                "small_ok": bool(first[query]["ok"]),
                "large_ok": bool(second[query]["ok"]),
                "small_s": float(first[query]["seconds"]),
                "large_s": float(second[query]["seconds"]),
                "gap": fused[0] - fused[1] if len(fused) > 1 else float("inf"),
                "overruled": own != best,
                "margin": float(turn["margin"]),
                "asks": bool(first[query]["missing"]),
            }
        )
    return rows


def _line(name: str, rows: list[dict[str, Any]], escalate: Callable[[dict[str, Any]], bool]) -> str:
    chosen = [escalate(row) for row in rows]
    calls = [
        (row, up) for row, up in zip(rows, chosen, strict=True) if row["category"] in ("single", "parallel")
    ]
    right_calls = sum(row["large_ok"] if up else row["small_ok"] for row, up in calls)
    right = sum(row["large_ok"] if up else row["small_ok"] for row, up in zip(rows, chosen, strict=True))
    seconds = sum(
        row["small_s"] + (row["large_s"] if up else 0.0) for row, up in zip(rows, chosen, strict=True)
    )
    return (
        f"{name:<34} {sum(chosen):>4}/{len(rows):<4} {right_calls:>4}/{len(calls):<4} "
        f"{right:>4}/{len(rows):<4} {seconds / len(rows):>7.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("small", type=Path, help="the default rung's --out JSON Lines")
    parser.add_argument("large", type=Path, help="the larger rung's --out JSON Lines (same split)")
    parser.add_argument("margins", type=Path, help="the default rung's margins file of the same run")
    args = parser.parse_args()
    rows = _rows(args.small, args.large, args.margins)
    print(f"{'escalate when':<34} {'asked':>9} {'exact calls':>9} {'all right':>9} {'mean time':>9}")
    print(_line("never (the small rung alone)", rows, lambda row: False))
    print(_line("always (the large rung, after it)", rows, lambda row: True))
    print(_line("the channel overruled the model", rows, lambda row: row["overruled"]))
    for gap in (1.0, 2.0, 3.0, 5.0, 8.0):
        print(_line(f"function gap < {gap:g}", rows, lambda row, g=gap: row["gap"] < g))
        print(
            _line(
                f"function gap < {gap:g} or overruled",
                rows,
                lambda row, g=gap: row["gap"] < g or row["overruled"],
            )
        )
    for margin in (2.0, 5.0, 8.0):
        print(_line(f"call margin < {margin:g}", rows, lambda row, m=margin: row["margin"] < m))
    print(_line("the answer asks for a value", rows, lambda row: row["asks"]))


if __name__ == "__main__":
    main()
