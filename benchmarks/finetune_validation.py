"""Base vs fine-tuned on the fine-tune's validation samples: the set a default may be chosen on.

    .venv/bin/python benchmarks/finetune_validation.py --model DIR [--base qwen-0.5b] [--k 3]
        [--irrelevance 0.1] [--not-retrieved 1] [--swapped 0] [--optional 0] [--grounded] [--calibrate 60]

The held-out split that ``bench_finetune.py`` reports is the end-to-end benchmark's test split, so no
choice may be made on it. The ``--calibrate`` samples drawn out of the training data (same data options
and seed as the training run) were never trained on and are not reported anywhere else: on them, each
model's call-vs-``none`` margins (one batched pass per sample, ``finetune/calibrate.py``) say how often it
names the right function, and how many samples it decides right at the shipped no-call bias and at its own
best bias. The data options must be the ones the model was trained with (they decide the split).
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from bench_finetune import data_options, heldout_config  # sets the offline environment first

from gorilla_router.components import build_embedder
from gorilla_router.finetune import AugmentOptions, build_zoo_samples
from gorilla_router.finetune.calibrate import choose_no_call_bias, sample_margins, split_for_calibration
from gorilla_router.finetune.split import held_out_split
from gorilla_router.finetune.train import resolve_base
from gorilla_router.generation.toolcall.decoder import ToolDecodeOptions
from gorilla_router.generation.transformers_backend import load_model
from gorilla_router.paths import cache_dir
from gorilla_router.zoo import ApiZoo


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--base", default="qwen-0.5b")
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--irrelevance", type=float, default=AugmentOptions().irrelevance)
    parser.add_argument("--not-retrieved", type=float, default=1.0)
    parser.add_argument("--swapped", type=float, default=0.0)
    parser.add_argument("--optional", type=float, default=0.0)
    parser.add_argument("--grounded", action="store_true")
    parser.add_argument("--calibrate", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=cache_dir() / "bench_finetune")
    args = parser.parse_args()
    config = heldout_config(args.k, args.out)
    zoo, _ = held_out_split(ApiZoo.bundled())
    data = build_zoo_samples(
        zoo,
        build_embedder(config),
        data_options(
            config, args.irrelevance, args.not_retrieved, args.swapped, args.optional, args.grounded
        ),
    )
    _, validation = split_for_calibration(data.samples, args.calibrate, args.seed)
    shipped = ToolDecodeOptions().no_call_bias
    kinds = Counter(sample.kind for sample in validation)
    no_call = sum(not sample.calls for sample in validation)
    print(f"{len(validation)} validation samples ({no_call} no-call): {dict(kinds)}")
    for name, folder in (("base", resolve_base(args.base)), ("fine-tuned", args.model)):
        entry = load_model(str(folder), "cpu", "bfloat16")
        with entry.lock:
            margins = sample_margins(entry.model, entry.tokenizer, validation)
        calls = [m for m in margins if m.should_call]
        bias, right = choose_no_call_bias(margins)
        at_shipped = choose_no_call_bias(margins, grid=[shipped])[1]
        print(
            f"{name:>10}: right function {sum(m.right_function for m in calls)}/{len(calls)} call samples; "
            f"decided right {at_shipped}/{len(margins)} at the shipped bias {shipped}, "
            f"{right}/{len(margins)} at its best bias {bias}"
        )


if __name__ == "__main__":
    main()
