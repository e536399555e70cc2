"""Two end-to-end runs compared item by item: what changed, and whether it is more than noise.

    .venv/bin/python benchmarks/compare_runs.py BEFORE.jsonl AFTER.jsonl [--backends A,B] [--seed 0]

Each file is ``bench_end_to_end.py --out``'s per-item JSON Lines; ``--backends`` picks one backend's rows
from each (a run of several backends side by side is one file: ``--backends "embedded@x=0,embedded"``
against the same file twice). Items are paired by request. Printed: each item whose answer turned right
or wrong, the right answers of both, the exact two-sided McNemar test of the turned items (a binomial
test of "turned right" against "turned wrong" at one half: the chance of a split at least that uneven if
the change did nothing), a paired bootstrap 95 % interval of the difference in right answers and of the
median latency ratio.

Why: a small model's answers move with any change of its numerics or prompt layout (near-ties fall the
other way), so "+1 of 172" is not a finding; this says how uneven the turned items must be before one is.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
from pathlib import Path
from typing import Any

BOOTSTRAP_ROUNDS = 2000


def read_run(path: Path, backend: str | None = None) -> dict[str, dict[str, Any]]:
    """Per-item records by request (of ``backend`` only, if given). A request met twice is an error:
    pairing would be ambiguous."""
    rows: dict[str, dict[str, Any]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SystemExit(f"{path}:{number}: not JSON ({exc.msg})") from exc
        if backend is not None and record.get("backend") != backend:
            continue
        query = record["query"]
        if query in rows:
            raise SystemExit(f"{path}:{number}: the request {query!r} is in the file twice; pick a backend")
        rows[query] = record
    if not rows:
        raise SystemExit(f"{path}: no rows{f' of backend {backend!r}' if backend else ''}")
    return rows


def mcnemar_p(turned_right: int, turned_wrong: int) -> float:
    """Exact two-sided McNemar p-value: binomial(n, 1/2) tail of the more uneven split, doubled."""
    turned = turned_right + turned_wrong
    if turned == 0:
        return 1.0
    fewer = min(turned_right, turned_wrong)
    tail = sum(math.comb(turned, k) for k in range(fewer + 1)) / 2**turned
    return min(1.0, 2 * tail)


def bootstrap_interval(values: list[float], statistic: Any, seed: int) -> tuple[float, float]:
    """The 2.5 and 97.5 percentiles of ``statistic`` over resamples of ``values`` (with replacement)."""
    generator = random.Random(seed)
    draws = sorted(
        statistic([values[generator.randrange(len(values))] for _ in values]) for _ in range(BOOTSTRAP_ROUNDS)
    )
    return draws[int(0.025 * len(draws))], draws[int(0.975 * len(draws)) - 1]


def compare(
    before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]], seed: int = 0
) -> dict[str, Any]:
    """The paired comparison of two runs over the requests both contain."""
    shared = [query for query in before if query in after]
    if not shared:
        raise SystemExit("the two runs share no request")
    right_before = sum(bool(before[q]["ok"]) for q in shared)
    right_after = sum(bool(after[q]["ok"]) for q in shared)
    turned_right = [q for q in shared if after[q]["ok"] and not before[q]["ok"]]
    turned_wrong = [q for q in shared if before[q]["ok"] and not after[q]["ok"]]
    differences = [float(bool(after[q]["ok"])) - float(bool(before[q]["ok"])) for q in shared]
    ratios = [after[q]["seconds"] / before[q]["seconds"] for q in shared if before[q]["seconds"] > 0]
    return {
        "items": len(shared),
        "right_before": right_before,
        "right_after": right_after,
        "turned_right": turned_right,
        "turned_wrong": turned_wrong,
        "p_value": mcnemar_p(len(turned_right), len(turned_wrong)),
        "difference_interval": bootstrap_interval(differences, lambda xs: sum(xs), seed),
        "median_before": statistics.median(before[q]["seconds"] for q in shared),
        "median_after": statistics.median(after[q]["seconds"] for q in shared),
        "median_ratio": statistics.median(ratios) if ratios else math.nan,
        "ratio_interval": bootstrap_interval(ratios, statistics.median, seed) if ratios else (math.nan,) * 2,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--backends", help="BEFORE_BACKEND,AFTER_BACKEND: one backend's rows from each file")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    names: list[str | None] = [None, None]
    if args.backends:
        names = [name.strip() for name in args.backends.split(",")]
        if len(names) != 2:
            raise SystemExit("--backends takes two names: BEFORE,AFTER")
    before, after = read_run(args.before, names[0]), read_run(args.after, names[1])
    result = compare(before, after, args.seed)
    for query in result["turned_right"]:
        print(f"+ {query!r}: {before[query]['got']} -> {after[query]['got']}")
    for query in result["turned_wrong"]:
        print(f"- {query!r}: {before[query]['got']} -> {after[query]['got']}")
    low, high = result["difference_interval"]
    ratio_low, ratio_high = result["ratio_interval"]
    n = result["items"]
    print(
        f"\n{n} requests in both: right {result['right_before']} -> {result['right_after']} "
        f"({len(result['turned_right'])} turned right, {len(result['turned_wrong'])} turned wrong; "
        f"McNemar exact p = {result['p_value']:.3f}); difference 95 % interval [{low:+.0f}, {high:+.0f}] "
        f"requests ([{100 * low / n:+.1f}, {100 * high / n:+.1f}] points)"
    )
    print(
        f"median latency {result['median_before']:.2f} -> {result['median_after']:.2f} s; median per-request "
        f"ratio {result['median_ratio']:.3f} (95 % interval {ratio_low:.3f}-{ratio_high:.3f})"
    )


if __name__ == "__main__":
    main()
