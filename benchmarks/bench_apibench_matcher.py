"""Reproduce Gorilla's published APIBench accuracy / hallucination from the released responses.

Scores every responses file in ``../shared/data/apibench/responses`` (3 hubs x {FT, RT} x {0_shot, bm25,
gpt_index, oracle}) with ``gorilla_router.evaluation.ApiBenchMatcher`` and prints ours next to the published
figures (the seven the data README lists, recomputed there with the original ``ast_eval_*.py`` scripts).

    .venv/bin/python benchmarks/bench_apibench_matcher.py            # all 24 files, ~15 s
    .venv/bin/python benchmarks/bench_apibench_matcher.py --quick    # only the 7 published ones
    .venv/bin/python benchmarks/bench_apibench_matcher.py --hub torchhub --data /path/to/shared/data
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from gorilla_router.evaluation import HUBS, ApiBenchData, score_apibench_responses
from gorilla_router.evaluation.apibench import read_jsonl

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
MODELS = ("FT", "RT")
VARIANTS = ("0_shot", "bm25", "gpt_index", "oracle")
PUBLISHED = {
    ("tensorflowhub", "RT", "bm25"): (41.9, 2.8),
    ("tensorflowhub", "RT", "gpt_index"): (65.0, 2.3),
    ("tensorflowhub", "RT", "oracle"): (94.2, 2.0),
    ("huggingface", "RT", "bm25"): (15.7, 6.4),
    ("huggingface", "RT", "gpt_index"): (43.5, 8.2),
    ("huggingface", "RT", "oracle"): (89.3, 7.0),
    ("torchhub", "FT", "0_shot"): (75.8, 16.1),
}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument("--hub", choices=HUBS, action="append", help="only this hub (repeatable)")
    parser.add_argument("--quick", action="store_true", help="only the files with published figures")
    args = parser.parse_args()
    if not (args.data / "apibench").is_dir():
        print(f"APIBench data not found under {args.data}; pass --data", file=sys.stderr)
        return 2

    table = Table(title="APIBench AST sub-tree match: ours vs published (accuracy / hallucination, %)")
    for column in (
        "hub",
        "model",
        "retriever",
        "n",
        "ours acc",
        "ours hall",
        "pub acc",
        "pub hall",
        "within 1",
    ):
        table.add_column(column, justify="left" if column in ("hub", "model", "retriever") else "right")
    started = time.perf_counter()
    worst = 0.0
    for hub in args.hub or HUBS:
        data = ApiBenchData(args.data, hub)
        for model in MODELS:
            for variant in VARIANTS:
                published = PUBLISHED.get((hub, model, variant))
                if args.quick and published is None:
                    continue
                path = data.responses_file(model, variant)
                report = score_apibench_responses(data, read_jsonl(path), path.name)
                accuracy, hallucination = 100 * report.accuracy, 100 * report.hallucination
                verdict = ""
                if published is not None:
                    gap = max(abs(accuracy - published[0]), abs(hallucination - published[1]))
                    worst = max(worst, gap)
                    verdict = "yes" if gap <= 1.0 else f"NO ({gap:.1f})"
                table.add_row(
                    hub, model, variant, str(report.total), f"{accuracy:.1f}", f"{hallucination:.1f}",
                    f"{published[0]:.1f}" if published else "-", f"{published[1]:.1f}" if published else "-",
                    verdict,
                )  # fmt: skip
    console = Console(width=130)
    console.print(table)
    console.print(
        f"largest gap to a published figure: {worst:.1f} points; {time.perf_counter() - started:.1f} s"
    )
    return 0 if worst <= 1.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
