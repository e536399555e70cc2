"""LoRA fine-tuning (peft) of a ladder model on samples: resumable, seeded, merged into a loadable folder.

Where it runs: a CUDA GPU in bf16 when one is present (``qlora=True``: the base in 4-bit NF4 through
bitsandbytes), else the CPU (bf16 base weights, fp32 adapters). ``last_layers`` puts the adapters on the
last N transformer layers only: the backward pass then stops there, which roughly halves a CPU step.

Deterministic: the sample order of each epoch is a permutation seeded by ``seed``, the adapters are
initialised after ``torch.manual_seed(seed)``, dropout is off by default — two runs with the same data and
settings give the same adapter. Resumable: every ``checkpoint_every`` optimizer steps the adapter, the
optimizer, the schedule and the step are written to ``<output>/checkpoint`` (a temporary folder renamed in);
a run started again with the same settings and data continues from there, and an interrupted-then-resumed
run ends with the same weights as an uninterrupted one.

Output (``<output>/``): the merged model (the base with the adapter folded in, in the base's dtype — a plain
Hugging Face folder with the chat template, loaded by ``embedded:<folder>`` / ``ToolCallBackend``), the
adapter alone in ``adapter/``, and ``finetune.json`` — the settings, the data fingerprint, the losses, wall
time and peak memory — written last, so its presence means the folder is complete.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from gorilla_router._threads import cpu_threads
from gorilla_router.errors import ConfigError, MissingDependencyError

from .render import IGNORE, Encoded, encode_sample
from .samples import Sample, data_fingerprint

__all__ = ["TrainResult", "TrainSettings", "peak_rss_mb", "resolve_base", "train"]

SETTINGS_FILE = "finetune.json"
CHECKPOINT = "checkpoint"
_STATE = "trainer_state.pt"
DEFAULT_TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")

StepHook = Callable[[int, float], None]
"""Called after every optimizer step with ``(step, loss)`` (1-based); raising from it stops training."""


@dataclass(frozen=True)
class TrainSettings:
    """Everything that decides the result (saved in ``finetune.json``; a resume must match it)."""

    base: str = "qwen-0.5b"
    epochs: float = 1.0
    max_steps: int = 0  # 0: as many as ``epochs`` gives
    batch_size: int = 1
    grad_accum: int = 4
    learning_rate: float = 2e-4
    warmup_steps: int = 2
    lora_r: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.0
    target_modules: tuple[str, ...] = DEFAULT_TARGETS
    last_layers: int = 0  # 0: every layer
    max_length: int = 1024
    name_weight: float = 1.0
    """Loss weight of the tokens that name the called function (or ``none``) against 1 for the rest of the
    answer: the choice of API is a few tokens among dozens of argument text, yet most of what goes wrong."""
    seed: int = 0
    device: str = "auto"  # auto | cpu | cuda
    dtype: str = "auto"  # auto (bf16) | bfloat16 | float32
    qlora: bool = False
    checkpoint_every: int = 10
    threads: int = 0  # CPU threads; 0: GORILLA_ROUTER_TORCH_THREADS, else half the cores

    def key(self, fingerprint: str) -> str:
        """What a checkpoint must match to be resumed (the logging-only fields left out)."""
        fixed = {k: v for k, v in asdict(self).items() if k not in ("checkpoint_every", "threads")}
        return hashlib.sha256(json.dumps([fixed, fingerprint], sort_keys=True).encode()).hexdigest()


@dataclass
class TrainResult:
    output: Path
    steps: int
    losses: list[float] = field(default_factory=list)
    seconds: float = 0.0
    resumed_from: int = 0
    skipped_too_long: int = 0
    peak_rss_mb: float = 0.0


def peak_rss_mb() -> float:
    """This process's peak resident memory (``VmHWM``), in MB; 0 where /proc is not available."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def resolve_base(base: str) -> Path:
    """A ladder name (``qwen-0.5b``, ``gemma-270m`` …) → its converted folder; a folder → itself."""
    path = Path(base).expanduser()
    if path.is_dir():
        return path
    from gorilla_router.generation.ladder import ensure_model_folder, resolve_rung

    return ensure_model_folder(resolve_rung(base))


def _imports() -> tuple[Any, Any]:
    try:
        import peft
        import torch
    except ImportError as exc:
        raise MissingDependencyError(
            f"fine-tuning needs the 'train' extra ({exc.name} is missing): "
            "pip install 'gorilla-router[train]'"
        ) from exc
    return torch, peft


def _device(settings: TrainSettings, torch: Any) -> str:
    if settings.device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if settings.device == "cuda" and not torch.cuda.is_available():
        raise ConfigError("device 'cuda' was asked for but torch sees no CUDA GPU")
    if settings.device not in ("cpu", "cuda"):
        raise ConfigError(f"device must be auto, cpu or cuda, got {settings.device!r}")
    return settings.device


def _dtype(settings: TrainSettings, torch: Any) -> Any:
    name = "bfloat16" if settings.dtype == "auto" else settings.dtype
    if name not in ("bfloat16", "float32", "float16"):
        raise ConfigError(f"dtype must be auto, bfloat16, float16 or float32, got {settings.dtype!r}")
    return getattr(torch, name)


def _chat_template_fallback(tokenizer: Any) -> None:
    """A base model without a chat template adopts the default rung's tool template (ChatML)."""
    if getattr(tokenizer, "chat_template", None):
        return
    from gorilla_router.generation.ladder import DEFAULT_RUNG, LADDER
    from gorilla_router.paths import cache_dir

    source = cache_dir() / "models" / LADDER[DEFAULT_RUNG].folder / "chat_template.jinja"
    if not source.is_file():
        raise ConfigError(
            "this base model has no chat template to show tools in, and the default model's template "
            f"is not prepared yet ({source}); run 'gorilla-router doctor' or pick an instruct base"
        )
    tokenizer.chat_template = source.read_text(encoding="utf-8")


def _load(folder: Path, settings: TrainSettings, device: str, torch: Any, for_training: bool) -> Any:
    from transformers import AutoModelForCausalLM

    from gorilla_router._hf import quiet_loading

    kwargs: dict[str, Any] = {"dtype": _dtype(settings, torch)}
    if for_training and settings.qlora:
        if device != "cuda":
            raise ConfigError("4-bit QLoRA needs a CUDA GPU (bitsandbytes); train without --qlora on the CPU")
        try:
            from transformers import BitsAndBytesConfig
        except ImportError as exc:  # pragma: no cover - transformers ships it
            raise MissingDependencyError("QLoRA needs: pip install bitsandbytes") from exc
        kwargs["quantization_config"] = BitsAndBytesConfig(  # type: ignore[no-untyped-call]
            load_in_4bit=True,
            bnb_4bit_quant_type="nf4",
            bnb_4bit_compute_dtype=torch.bfloat16,
            bnb_4bit_use_double_quant=True,
        )
    if device == "cuda":
        kwargs["device_map"] = {"": 0}
    with quiet_loading():
        model: Any = AutoModelForCausalLM.from_pretrained(str(folder), **kwargs)
    if device != "cuda":
        model = model.to(device)
    return model


def _layers(model: Any, last: int) -> list[int] | None:
    if last <= 0:
        return None
    count = int(model.config.num_hidden_layers)
    return list(range(max(0, count - last), count))


def _order(count: int, micro_batches: int, batch_size: int, seed: int) -> list[list[int]]:
    """The sample indices of every micro-batch: a seeded permutation per epoch, concatenated."""
    order: list[int] = []
    epoch = 0
    while len(order) < micro_batches * batch_size:
        permutation = list(range(count))
        random.Random(seed * 1_000_003 + epoch).shuffle(permutation)  # noqa: S311 - seeded order
        order += permutation
        epoch += 1
    return [order[i * batch_size : (i + 1) * batch_size] for i in range(micro_batches)]


def _batch(
    encoded: Sequence[Encoded], pad: int, torch: Any, device: str, name_weight: float = 1.0
) -> dict[str, Any]:
    """Left-padded, so every answer ends at the last position and only its logits need computing."""
    width = max(len(e.input_ids) for e in encoded)
    keep = max(e.target_tokens for e in encoded)
    ids = [[pad] * (width - len(e.input_ids)) + e.input_ids for e in encoded]
    labels = [([IGNORE] * (width - len(e.labels)) + e.labels)[-keep:] for e in encoded]
    weights = [
        [name_weight if i in e.name_tokens else 1.0 for i in range(len(e.labels))][-keep:] for e in encoded
    ]
    weights = [[1.0] * (keep - len(row)) + row for row in weights]
    mask = [[0] * (width - len(e.input_ids)) + [1] * len(e.input_ids) for e in encoded]
    return {
        "input_ids": torch.tensor(ids, device=device),
        "attention_mask": torch.tensor(mask, device=device),
        "labels": torch.tensor(labels, device=device),
        "weights": torch.tensor(weights, device=device, dtype=torch.float32),
        "keep": keep,
    }


def _loss(model: Any, batch: dict[str, Any], torch: Any) -> Any:
    """Weighted cross-entropy over the answer tokens only, from the logits of the last ``keep + 1`` positions.

    The full logits of a long prompt over a 150k vocabulary dominate a CPU step and its memory; the prompt's
    positions carry no label, so they are never computed. The mean is weighted (``TrainSettings.name_weight``
    on the function-name tokens, 1 elsewhere); with every weight 1 it is the plain mean.
    """
    keep = batch["keep"]
    logits = model(
        input_ids=batch["input_ids"], attention_mask=batch["attention_mask"], logits_to_keep=keep + 1
    ).logits[:, :-1, :]
    labels = batch["labels"].reshape(-1)
    per_token = torch.nn.functional.cross_entropy(
        logits.float().reshape(-1, logits.shape[-1]), labels, ignore_index=IGNORE, reduction="none"
    )
    weights = batch["weights"].reshape(-1) * (labels != IGNORE)
    return (per_token * weights).sum() / weights.sum().clamp(min=1e-6)


def _save_checkpoint(folder: Path, model: Any, state: dict[str, Any], torch: Any) -> None:
    temporary = folder.with_name(f".{folder.name}.tmp")
    shutil.rmtree(temporary, ignore_errors=True)
    model.save_pretrained(str(temporary))
    torch.save(state, temporary / _STATE)
    old = folder.with_name(f".{folder.name}.old")
    if folder.exists():
        shutil.rmtree(old, ignore_errors=True)
        os.replace(folder, old)
    os.replace(temporary, folder)
    shutil.rmtree(old, ignore_errors=True)


def train(
    samples: Sequence[Sample],
    output: str | Path,
    settings: TrainSettings | None = None,
    *,
    progress: bool = True,
    on_step: StepHook | None = None,
    log: Callable[[str], None] | None = None,
) -> TrainResult:
    """Train LoRA adapters on ``samples`` and write the merged model to ``output`` (module docstring)."""
    settings = settings or TrainSettings()
    say = log or (lambda _line: None)
    torch, peft = _imports()
    from transformers import AutoTokenizer, get_linear_schedule_with_warmup

    if not samples:
        raise ConfigError("no training samples; build them with 'gorilla-router finetune data'")
    started = time.perf_counter()
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    device = _device(settings, torch)
    if device == "cpu":
        torch.set_num_threads(settings.threads or cpu_threads(every_core=False))
    base = resolve_base(settings.base)
    tokenizer = AutoTokenizer.from_pretrained(str(base))
    _chat_template_fallback(tokenizer)
    fingerprint = data_fingerprint(samples)
    key = settings.key(fingerprint)

    encoded_all = [encode_sample(tokenizer, s) for s in samples]
    encoded = [e for e in encoded_all if len(e.input_ids) <= settings.max_length and e.target_tokens]
    skipped = len(encoded_all) - len(encoded)
    if not encoded:
        raise ConfigError(f"every sample is longer than max_length={settings.max_length} tokens")
    per_step = settings.batch_size * settings.grad_accum
    steps = settings.max_steps or max(1, math.ceil(settings.epochs * len(encoded) / per_step))
    batches = _order(len(encoded), steps * settings.grad_accum, settings.batch_size, settings.seed)
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id

    random.seed(settings.seed)
    torch.manual_seed(settings.seed)
    model = _load(base, settings, device, torch, for_training=True)
    if settings.qlora:
        model = peft.prepare_model_for_kbit_training(model)
    config = peft.LoraConfig(
        r=settings.lora_r,
        lora_alpha=settings.lora_alpha,
        lora_dropout=settings.lora_dropout,
        target_modules=list(settings.target_modules),
        layers_to_transform=_layers(model, settings.last_layers),
        task_type="CAUSAL_LM",
    )
    model = peft.get_peft_model(model, config)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=settings.learning_rate, weight_decay=0.0)
    schedule = get_linear_schedule_with_warmup(  # type: ignore[no-untyped-call]
        optimizer, min(settings.warmup_steps, steps), steps
    )

    checkpoint = out / CHECKPOINT
    start, losses = 0, []
    state_file = checkpoint / _STATE
    if state_file.is_file():
        state = torch.load(state_file, map_location="cpu", weights_only=False)
        if state.get("key") != key:
            raise ConfigError(
                f"{checkpoint} was written with other settings or data; delete it or use another "
                "output folder"
            )
        from safetensors.torch import load_file

        peft.set_peft_model_state_dict(model, load_file(str(checkpoint / "adapter_model.safetensors")))
        optimizer.load_state_dict(state["optimizer"])
        schedule.load_state_dict(state["schedule"])
        torch.set_rng_state(state["torch_rng"])
        random.setstate(state["python_rng"])
        start, losses = int(state["step"]), list(state["losses"])
        say(f"resuming from step {start}/{steps} ({checkpoint})")
    trained = sum(p.numel() for p in trainable)
    say(
        f"{len(encoded)} samples ({skipped} longer than {settings.max_length} tokens skipped), {steps} steps "
        f"of {per_step}, {trained:,} trainable parameters, on {device}"
    )

    from tqdm.auto import tqdm

    bar = tqdm(
        total=steps, initial=start, desc="training", unit="step", disable=not progress, dynamic_ncols=True
    )
    model.train()
    try:
        for step in range(start, steps):
            total = 0.0
            for micro in range(settings.grad_accum):
                rows = batches[step * settings.grad_accum + micro]
                batch = _batch([encoded[i] for i in rows], pad, torch, device, settings.name_weight)
                loss = _loss(model, batch, torch) / settings.grad_accum
                loss.backward()
                total += float(loss.detach())
            torch.nn.utils.clip_grad_norm_(trainable, 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad(set_to_none=True)
            losses.append(total)
            bar.update(1)
            bar.set_postfix(loss=f"{total:.4f}", refresh=False)
            done = step + 1
            if done % settings.checkpoint_every == 0 and done < steps:
                _save_checkpoint(
                    checkpoint,
                    model,
                    {
                        "key": key,
                        "step": done,
                        "losses": losses,
                        "optimizer": optimizer.state_dict(),
                        "schedule": schedule.state_dict(),
                        "torch_rng": torch.get_rng_state(),
                        "python_rng": random.getstate(),
                    },
                    torch,
                )
            if on_step is not None:
                on_step(done, total)
    finally:
        bar.close()

    say("saving the adapter and the merged model")
    adapter = out / "adapter"
    model.save_pretrained(str(adapter))
    del model, optimizer
    merged = peft.PeftModel.from_pretrained(
        _load(base, TrainSettings(dtype=settings.dtype, device="cpu"), "cpu", torch, for_training=False),
        str(adapter),
    ).merge_and_unload()
    merged.save_pretrained(str(out))
    tokenizer.save_pretrained(str(out))
    shutil.rmtree(checkpoint, ignore_errors=True)
    result = TrainResult(out, steps, losses, time.perf_counter() - started, start, skipped, peak_rss_mb())
    _write_settings(out, settings, fingerprint, len(samples), base, result, torch, peft)
    return result


def _write_settings(
    out: Path,
    settings: TrainSettings,
    fingerprint: str,
    count: int,
    base: Path,
    result: TrainResult,
    torch: Any,
    peft: Any,
) -> None:
    import transformers

    record = {
        "settings": asdict(settings),
        "base_folder": str(base),
        "data": {"fingerprint": fingerprint, "samples": count, "skipped_too_long": result.skipped_too_long},
        "steps": result.steps,
        "resumed_from": result.resumed_from,
        "losses": result.losses,
        "seconds": round(result.seconds, 1),
        "peak_rss_mb": round(result.peak_rss_mb),
        "versions": {
            "torch": torch.__version__,
            "transformers": transformers.__version__,
            "peft": peft.__version__,
        },
    }
    temporary = out / f".{SETTINGS_FILE}.tmp"
    temporary.write_text(json.dumps(record, indent=2), encoding="utf-8")
    os.replace(temporary, out / SETTINGS_FILE)
