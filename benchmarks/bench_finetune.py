"""Fine-tuning benchmark: held-out exact-call accuracy of the base model and of its LoRA fine-tune.

    .venv/bin/python benchmarks/bench_finetune.py [--base qwen-0.5b] [--k 3]
        [--max-steps 48 | --max-steps 0 --epochs E] [--irrelevance 0.25] [--not-retrieved 1]
        [--name-weight 1] [--last-layers 8] [--swapped 0] [--optional 0] [--grounded]
        [--lr 3e-4] [--limit N] [--calibrate 60] [--model DIR]

Steps (the same code as ``gorilla-router finetune data | train | eval``):

1. held-out split of the bundled zoo (each entry's last example; ``bench_end_to_end.py``'s convention);
2. retriever-aware training data from the rest (MiniLM + BM25 hybrid, top ``k``, 4 cross-fitting folds,
   augmentations at their default rates, missing-value samples off: the tool-call decoder asks for missing
   values through the router's grounding stage, not through the model's text);
3. LoRA training (``--model DIR`` skips 2–3 and evaluates an existing fine-tuned folder), then the
   fine-tune's own no-call bias chosen on ``--calibrate`` samples kept out of training (``decoding.json``);
4. both models on the held-out split through ``GorillaRouter.plan`` with the same retriever and ``k``.

Prints the before/after table, the training wall time and peak RSS (from ``finetune.json``), the CPU count.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from rich.console import Console

from gorilla_router.components import build_embedder
from gorilla_router.config import RouterConfig
from gorilla_router.evaluation.report import EvalReport
from gorilla_router.finetune import AugmentOptions, DataOptions, TrainSettings, build_zoo_samples, train
from gorilla_router.finetune.calibrate import calibrate_no_call_bias, split_for_calibration
from gorilla_router.finetune.evaluate import comparison_table, evaluate_held_out, model_backend
from gorilla_router.finetune.split import held_out_split
from gorilla_router.finetune.train import SETTINGS_FILE, resolve_base
from gorilla_router.paths import cache_dir
from gorilla_router.zoo import ApiZoo


def heldout_config(k: int, out: Path) -> RouterConfig:
    """The router settings of the benchmark: top ``k``, its own index under ``out``."""
    return RouterConfig.load(environ={}, top_k=k, chroma_path=out / "index", collection="finetune_heldout")


def data_options(
    config: RouterConfig,
    irrelevance: float,
    not_retrieved: float = 1.0,
    swapped: float = 0.0,
    optional: float = 0.0,
    grounded: bool = False,
) -> DataOptions:
    """The training data's options (they also decide which samples are kept out for calibration)."""
    return DataOptions(
        k=config.top_k,
        min_score=config.min_score,
        augment=AugmentOptions(missing=0, irrelevance=irrelevance, swapped=swapped, optional=optional),
        not_retrieved=not_retrieved,
        grounded=grounded,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base", default="qwen-0.5b")
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--max-steps", type=int, default=48, help="0: as many as --epochs gives")
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument(
        "--irrelevance", type=float, default=AugmentOptions().irrelevance, help="share of irrelevance samples"
    )
    parser.add_argument(
        "--not-retrieved", type=float, default=1.0, help="share of retriever misses kept as no-call samples"
    )
    parser.add_argument(
        "--swapped", type=float, default=0.0, help="share of call samples copied with their values swapped"
    )
    parser.add_argument(
        "--optional",
        type=float,
        default=0.0,
        help="share of call samples copied with an optional value stated",
    )
    parser.add_argument(
        "--grounded",
        action="store_true",
        help="targets without the optional values their request does not state (DataOptions.grounded)",
    )
    parser.add_argument(
        "--name-weight", type=float, default=1.0, help="loss weight of the function-name tokens"
    )
    parser.add_argument("--grad-accum", type=int, default=4)
    parser.add_argument("--last-layers", type=int, default=8)
    parser.add_argument("--lr", type=float, default=3e-4)
    parser.add_argument("--limit", type=int, default=0, help="held-out items (0: all)")
    parser.add_argument(
        "--calibrate", type=int, default=60, help="samples kept out of training to choose the no-call bias"
    )
    parser.add_argument("--model", type=Path, help="evaluate this fine-tuned folder (no training)")
    parser.add_argument("--out", type=Path, default=cache_dir() / "bench_finetune")
    parser.add_argument(
        "--items", type=Path, help="write each held-out item's answer before and after here (JSON lines)"
    )
    args = parser.parse_args()
    console = Console()

    config = heldout_config(args.k, args.out)
    zoo, items = held_out_split(ApiZoo.bundled())
    items = items[: args.limit] if args.limit else items
    model = args.model
    if model is None:
        started = time.perf_counter()
        data = build_zoo_samples(
            zoo,
            build_embedder(config),
            data_options(
                config, args.irrelevance, args.not_retrieved, args.swapped, args.optional, args.grounded
            ),
            progress=console.print,
        )
        console.print(
            f"data: {len(data.samples)} samples in {time.perf_counter() - started:.0f} s, {dict(data.counts)}"
        )
        model = args.out / f"{args.base}-ft"
        settings = TrainSettings(
            base=args.base,
            max_steps=args.max_steps,
            epochs=args.epochs,
            grad_accum=args.grad_accum,
            learning_rate=args.lr,
            last_layers=args.last_layers,
            name_weight=args.name_weight,
        )
        samples, validation = split_for_calibration(data.samples, args.calibrate, settings.seed)
        train(samples, model, settings, log=console.print)
        if validation:
            chosen = calibrate_no_call_bias(model, validation)
            console.print(f"no-call bias of the fine-tune: {chosen['no_call_bias']} ({chosen['chosen_on']})")
    record = json.loads((model / SETTINGS_FILE).read_text(encoding="utf-8"))
    base = record["settings"]["base"]

    def progress(tag: str):
        return lambda n, total: console.print(f"{tag}: {n}/{total}") if n % 20 == 0 or n == total else None

    backend = model_backend(resolve_base(base))
    before = evaluate_held_out(
        zoo, items, backend, config, name=f"before: {base}", progress=progress("before")
    )
    after = evaluate_held_out(
        zoo, items, model_backend(model), config, name=f"after: {model.name}", progress=progress("after")
    )
    console.print(comparison_table(before, after, title=f"Held-out split, top {args.k}, {base} → fine-tuned"))
    if args.items:
        write_items(args.items, before, after)
        turned = sum(old.passed != new.passed for old, new in zip(before.items, after.items, strict=True))
        console.print(f"{turned} answers turned (right ↔ wrong); every item's answers: {args.items}")
    s = record["settings"]
    console.print(
        f"training: {record['steps']} steps × {s['batch_size'] * s['grad_accum']} samples of "
        f"{record['data']['samples']} (LoRA r={s['lora_r']}, last {s['last_layers'] or 'all'} layers, lr "
        f"{s['learning_rate']}), {record['seconds'] / 60:.1f} min wall, peak RSS {record['peak_rss_mb']} MB, "
        f"loss {record['losses'][0]:.3f} → {sum(record['losses'][-5:]) / 5:.3f}; {os.cpu_count()} CPUs"
    )


def write_items(path: Path, before: EvalReport, after: EvalReport) -> None:
    """One line per held-out item: the request, the gold call, and each model's calls and verdict."""
    with path.open("w", encoding="utf-8") as out:
        for old, new in zip(before.items, after.items, strict=True):
            line = {
                "question": old.question,
                "gold": old.extra.get("gold"),
                "candidates": old.candidates,
                "before": {"passed": old.passed, "calls": old.calls, "reason": old.reason},
                "after": {"passed": new.passed, "calls": new.calls, "reason": new.reason},
            }
            out.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")


if __name__ == "__main__":
    main()
