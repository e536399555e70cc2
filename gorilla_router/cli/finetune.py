"""``gorilla-router finetune data | train | eval``: train your own router model on your zoo.

``data`` builds retriever-aware samples from the zoo (held-out examples left out) plus any xLAM-format or
APIBench TorchHub files; ``train`` fits LoRA adapters (needs ``pip install 'gorilla-router[train]'``) and
writes a merged model folder; ``eval`` compares the base and the fine-tuned model on the held-out split
through the router. Exit status: 0 done, 3 on a usage / data error, 1 on another failure.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from gorilla_router.config import RouterConfig
from gorilla_router.errors import RouterError, UsageError
from gorilla_router.paths import cache_dir

__all__ = ["register"]

finetune_app = typer.Typer(
    help="Fine-tune a local model for your zoo: build data, train LoRA adapters, evaluate before/after.",
    no_args_is_help=True,
)

ZooOption = Annotated[
    list[Path] | None, typer.Option("--zoo", help="Zoo files or folders (default: configured).")
]
EmbedderOption = Annotated[
    str | None,
    typer.Option("--embedder", help="Retrieval embedder: default MiniLM, 'hash' (fast fake), or a folder."),
]
TopKOption = Annotated[
    int, typer.Option("--k", "-k", min=1, help="Candidates shown to the model, as the router.")
]
DEFAULT_DATA = "finetune/data.jsonl"


def _fail(console: Console, error: RouterError) -> typer.Exit:
    console.print(f"[red]error:[/red] {error}")
    return typer.Exit(3 if isinstance(error, UsageError) else 1)


def _config(zoo: list[Path] | None, embedder: str | None, k: int, index: Path | None = None) -> RouterConfig:
    return RouterConfig.load(
        zoo=zoo or None,
        embedder=embedder,
        top_k=k,
        chroma_path=index or cache_dir() / "finetune" / "index",
        collection="finetune_heldout",
    )


def _counts_table(counts: Counter[str], total: int) -> Table:
    table = Table(title=f"Training samples: {total}", title_justify="left")
    table.add_column("kind")
    table.add_column("count", justify="right")
    for name, value in sorted(counts.items()):
        table.add_row(name, str(value))
    return table


@finetune_app.command("data")
def data_command(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Samples file (JSON Lines).")] = None,
    zoo: ZooOption = None,
    embedder: EmbedderOption = None,
    k: TopKOption = 5,
    folds: Annotated[int, typer.Option(min=1, help="Cross-fitting folds (1: index every example).")] = 4,
    seed: Annotated[int, typer.Option(help="Seed for folds and augmentations.")] = 0,
    irrelevance: Annotated[
        float, typer.Option(min=0, max=1, help="Share with the right API removed.")
    ] = 0.25,
    masked: Annotated[float, typer.Option(min=0, max=1, help="Share copied with random names.")] = 0.2,
    shuffled: Annotated[float, typer.Option(min=0, max=1, help="Share with candidates reordered.")] = 0.3,
    pair: Annotated[float, typer.Option(min=0, max=1, help="Two-call samples per example.")] = 0.1,
    missing: Annotated[float, typer.Option(min=0, max=1, help="Share with a required value removed.")] = 0.1,
    swapped: Annotated[
        float, typer.Option(min=0, max=1, help="Share copied with the request's values swapped for others.")
    ] = 0.0,
    optional: Annotated[
        float, typer.Option(min=0, max=1, help="Share copied with one more optional value stated.")
    ] = 0.0,
    not_retrieved: Annotated[
        float, typer.Option(min=0, max=1, help="Share of retriever misses kept as 'no call' samples.")
    ] = 1.0,
    grounded: Annotated[
        bool,
        typer.Option(
            "--grounded/--as-written",
            help="Leave out of each target the optional values its request does not state (grounding).",
        ),
    ] = False,
    xlam: Annotated[list[Path] | None, typer.Option("--xlam", help="xLAM-format file (repeatable).")] = None,
    torchhub: Annotated[
        list[Path] | None, typer.Option("--torchhub", help="APIBench torchhub_train.json (repeatable).")
    ] = None,
    skip_malformed: Annotated[
        bool, typer.Option("--skip-malformed", help="Use the good records of a file with malformed ones.")
    ] = False,
) -> None:
    """Retriever-aware samples from the zoo (its held-out examples left out) and optional external files."""
    from gorilla_router.components import build_embedder, load_zoo
    from gorilla_router.finetune.augment import AugmentOptions
    from gorilla_router.finetune.data import DataOptions, build_zoo_samples
    from gorilla_router.finetune.readers import read_external
    from gorilla_router.finetune.samples import write_samples
    from gorilla_router.finetune.split import held_out_split

    console = Console()
    try:
        config = _config(zoo, embedder, k)
        external = read_external(xlam or (), torchhub or (), k=k, seed=seed, skip_malformed=skip_malformed)
        for problem in external.problems:
            console.print(f"[yellow]skipped malformed:[/yellow] {problem}")
        train_zoo, held_out = held_out_split(load_zoo(None, config))
        options = DataOptions(
            k=k,
            folds=folds,
            seed=seed,
            min_score=config.min_score,
            augment=AugmentOptions(irrelevance, masked, shuffled, pair, missing, swapped, optional),
            not_retrieved=not_retrieved,
            grounded=grounded,
        )
        console.print(f"{len(train_zoo)} APIs, {len(held_out)} held-out examples kept out of the data")
        dataset = build_zoo_samples(train_zoo, build_embedder(config), options, progress=console.print)
        dataset.samples += external.samples
        for sample in external.samples:
            dataset.counts[sample.kind] += 1
        if external.skipped:
            dataset.counts["external_unusable"] += len(external.skipped)
        target = write_samples(dataset.samples, out or cache_dir() / DEFAULT_DATA)
    except RouterError as error:
        raise _fail(console, error) from error
    console.print(_counts_table(dataset.counts, len(dataset.samples)))
    console.print(f"written: {target}")


@finetune_app.command("train")
def train_command(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output folder (merged model, adapter, settings).")
    ],
    data: Annotated[
        Path | None, typer.Option("--data", "-d", help="Samples file from 'finetune data'.")
    ] = None,
    base: Annotated[
        str, typer.Option(help="Ladder name (qwen-0.5b, gemma-270m, qwen-1.5b) or a folder.")
    ] = "qwen-0.5b",
    epochs: Annotated[float, typer.Option(min=0.01)] = 1.0,
    max_steps: Annotated[
        int, typer.Option(min=0, help="Stop after this many optimizer steps (0: epochs).")
    ] = 0,
    batch_size: Annotated[int, typer.Option(min=1)] = 1,
    grad_accum: Annotated[int, typer.Option(min=1)] = 4,
    lr: Annotated[float, typer.Option(help="Learning rate.")] = 2e-4,
    lora_r: Annotated[int, typer.Option(min=1)] = 16,
    lora_alpha: Annotated[int, typer.Option(min=1)] = 32,
    last_layers: Annotated[int, typer.Option(min=0, help="Adapters on the last N layers only (0: all).")] = 0,
    max_length: Annotated[int, typer.Option(min=16, help="Longer samples are skipped.")] = 1024,
    name_weight: Annotated[
        float, typer.Option(min=0.01, help="Loss weight of the function-name tokens (1: plain mean).")
    ] = 1.0,
    seed: Annotated[int, typer.Option()] = 0,
    device: Annotated[str, typer.Option(help="auto, cpu or cuda.")] = "auto",
    dtype: Annotated[str, typer.Option(help="auto (bf16), bfloat16, float16 or float32.")] = "auto",
    qlora: Annotated[bool, typer.Option("--qlora", help="4-bit base through bitsandbytes (CUDA).")] = False,
    checkpoint_every: Annotated[int, typer.Option(min=1, help="Checkpoint every N steps (resumable).")] = 10,
    threads: Annotated[int, typer.Option(min=0, help="torch CPU threads (0: half the cores).")] = 0,
    limit: Annotated[int, typer.Option(min=0, help="Use only the first N samples (0: all).")] = 0,
    calibrate: Annotated[
        int,
        typer.Option(
            min=0,
            help="Keep N samples out of training (seeded) and choose the model's no-call bias on them "
            "(written to decoding.json; 0: keep the shipped bias).",
        ),
    ] = 0,
) -> None:
    """LoRA fine-tuning; run the same command again to resume an interrupted run."""
    from gorilla_router.finetune.calibrate import calibrate_no_call_bias, split_for_calibration
    from gorilla_router.finetune.samples import read_samples
    from gorilla_router.finetune.train import TrainSettings, train

    console = Console()
    settings = TrainSettings(
        base=base,
        epochs=epochs,
        max_steps=max_steps,
        batch_size=batch_size,
        grad_accum=grad_accum,
        learning_rate=lr,
        lora_r=lora_r,
        lora_alpha=lora_alpha,
        last_layers=last_layers,
        max_length=max_length,
        name_weight=name_weight,
        seed=seed,
        device=device,
        dtype=dtype,
        qlora=qlora,
        checkpoint_every=checkpoint_every,
        threads=threads,
    )
    try:
        samples = read_samples(data or cache_dir() / DEFAULT_DATA)
        samples = samples[:limit] if limit else samples
        samples, validation = split_for_calibration(samples, calibrate, seed)
        result = train(samples, out, settings, log=console.print)
        if validation:
            console.print(f"choosing the no-call bias on {len(validation)} samples kept out of training")
            chosen = calibrate_no_call_bias(out, validation)
            console.print(f"no-call bias {chosen['no_call_bias']} ({chosen['chosen_on']})")
    except RouterError as error:
        raise _fail(console, error) from error
    first, last = result.losses[0], sum(result.losses[-5:]) / len(result.losses[-5:])
    console.print(
        f"done: {result.steps} steps in {result.seconds:.0f} s, loss {first:.3f} → {last:.3f} (mean of the "
        f"last 5), peak RSS {result.peak_rss_mb:.0f} MB"
    )
    console.print(f"model: {result.output}  (backend 'embedded:{result.output}')")


@finetune_app.command("eval")
def eval_command(
    model: Annotated[Path, typer.Option("--model", "-m", help="The fine-tuned model folder.")],
    base: Annotated[
        str | None, typer.Option(help="The base to compare with (default: the one in finetune.json).")
    ] = None,
    zoo: ZooOption = None,
    embedder: EmbedderOption = None,
    k: TopKOption = 5,
    limit: Annotated[int, typer.Option(min=0, help="Only the first N held-out items (0: all).")] = 0,
    skip_before: Annotated[
        bool, typer.Option("--skip-before", help="Evaluate the fine-tuned model only.")
    ] = False,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Per-item results folder.")] = None,
) -> None:
    """Before/after on the held-out split through the router (retrieve → decode → validate)."""
    import json

    from gorilla_router.components import load_zoo
    from gorilla_router.evaluation.tables import categories_table, summary_table
    from gorilla_router.finetune.evaluate import comparison_table, evaluate_held_out, model_backend
    from gorilla_router.finetune.split import held_out_split
    from gorilla_router.finetune.train import SETTINGS_FILE, resolve_base

    console = Console()
    try:
        config = _config(zoo, embedder, k)
        train_zoo, items = held_out_split(load_zoo(None, config))
        items = items[:limit] if limit else items
        before = None
        if not skip_before:
            recorded = model / SETTINGS_FILE
            name = base or (
                json.loads(recorded.read_text(encoding="utf-8"))["settings"]["base"]
                if recorded.is_file()
                else "qwen-0.5b"
            )
            before = evaluate_held_out(
                train_zoo, items, model_backend(resolve_base(name)), config, name=f"before: {name}"
            )
            console.print(summary_table(before))
        after = evaluate_held_out(train_zoo, items, model_backend(model), config, name=f"after: {model}")
    except RouterError as error:
        raise _fail(console, error) from error
    console.print(summary_table(after))
    console.print(categories_table(after))
    console.print(comparison_table(before, after))
    folder = out or cache_dir() / "eval"
    for report, tag in ((before, "before"), (after, "after")):
        if report is not None:
            console.print(f"per-item results: {report.write_jsonl(folder / f'finetune-{tag}.jsonl')}")


def register(app: typer.Typer) -> None:
    app.add_typer(finetune_app, name="finetune")
