"""LoRA adapters as models: an adapter folder merged into its base once, into the cache, without peft.

Why: a fine-tune (``gorilla-router finetune train``) is a few megabytes of LoRA weights beside a base model
of a gigabyte; that is what is worth keeping, copying and shipping. ``embedded:<adapter folder>`` names
one like any model: the first use adds ``scale · B·A`` to each adapted weight of the base (the ladder rung
or folder its ``finetune.json`` names, else the adapter's own ``base_model_name_or_path``) and saves a
complete bf16 folder under ``cache_dir()/models/``; later loads read that folder. The arithmetic is the
whole of peft's merge for plain LoRA, so the router needs no training dependency. An adapter of another
kind (DoRA, per-module ranks, bias training) is refused with what to do.

The merged folder is written beside its final place and renamed in, with a marker written last, as the
ladder's conversions are; its name carries the adapter file's hash, so a new adapter is a new folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from gorilla_router.errors import ConfigError, MissingDependencyError
from gorilla_router.paths import cache_dir

__all__ = ["ADAPTER_CONFIG", "ADAPTER_WEIGHTS", "is_adapter_folder", "merged_adapter_folder"]

ADAPTER_CONFIG = "adapter_config.json"
ADAPTER_WEIGHTS = "adapter_model.safetensors"
_MARKER = ".gorilla_router_merged"
_CARRIED = (  # the fine-tune's calibration, provenance and prompt format travel along
    "decoding.json",
    "finetune.json",
    "chat_template.jinja",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
)
_UNSUPPORTED = ("use_dora", "rank_pattern", "alpha_pattern", "modules_to_save", "layer_replication")


def is_adapter_folder(path: Path) -> bool:
    """True for a folder holding a LoRA adapter (peft's ``save_pretrained`` layout)."""
    return (path / ADAPTER_CONFIG).is_file() and (path / ADAPTER_WEIGHTS).is_file()


def merged_adapter_folder(adapter: Path, progress: Any = None) -> Path:
    """The cached folder of ``adapter`` merged into its base, merging first if needed (module docstring)."""
    config = _read_config(adapter)
    digest = hashlib.sha256((adapter / ADAPTER_WEIGHTS).read_bytes()).hexdigest()[:16]
    target = cache_dir() / "models" / f"adapted-{digest}-bf16"
    if (target / _MARKER).is_file():
        return target
    base = _base_folder(adapter, config)
    if progress is not None:
        progress(f"merging the LoRA adapter {adapter} into {base} (once)")
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        _merge(adapter, config, base, temporary)
        (temporary / _MARKER).write_text(digest, encoding="utf-8")
        shutil.rmtree(target, ignore_errors=True)
        os.replace(temporary, target)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    return target


def _read_config(adapter: Path) -> dict[str, Any]:
    try:
        config: dict[str, Any] = json.loads((adapter / ADAPTER_CONFIG).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{adapter / ADAPTER_CONFIG}: not a readable adapter config ({exc})") from exc
    if str(config.get("peft_type", "")).upper() != "LORA":
        raise ConfigError(f"{adapter}: a {config.get('peft_type')!r} adapter; only LoRA adapters load here")
    if not isinstance(config.get("r"), int) or config["r"] <= 0:
        raise ConfigError(f"{adapter / ADAPTER_CONFIG}: 'r' (the LoRA rank) must be a positive integer")
    used = [key for key in _UNSUPPORTED if config.get(key)]
    if used or config.get("bias", "none") != "none":
        raise ConfigError(
            f"{adapter}: this LoRA adapter uses {', '.join(used) or 'bias training'}, which the built-in "
            "merge does not apply; merge it with peft (merge_and_unload) and give the merged folder"
        )
    return config


def _base_folder(adapter: Path, config: dict[str, Any]) -> Path:
    """The base: ``finetune.json``'s ladder name or folder (beside or above the adapter), else peft's."""
    from gorilla_router.generation.ladder import ensure_model_folder, resolve_rung

    for record in (adapter / "finetune.json", adapter.parent / "finetune.json"):
        if record.is_file():
            try:
                base = str(json.loads(record.read_text(encoding="utf-8"))["settings"]["base"])
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise ConfigError(
                    f"{record}: not a fine-tune record with settings.base ({exc!r}); fix or remove it"
                ) from exc
            path = Path(base).expanduser()
            return path if path.is_dir() else ensure_model_folder(resolve_rung(base))
    path = Path(str(config.get("base_model_name_or_path") or "")).expanduser()
    if str(path) and path.is_dir():
        return path
    raise ConfigError(
        f"{adapter}: cannot find the base model (no finetune.json, and base_model_name_or_path "
        f"{config.get('base_model_name_or_path')!r} is not a folder here); merge it where the base is"
    )


def _merge(adapter: Path, config: dict[str, Any], base: Path, out: Path) -> None:
    try:
        import torch
        from safetensors.torch import load_file, save_file
    except ImportError as exc:  # pragma: no cover - core dependencies
        raise MissingDependencyError(
            f"merging an adapter needs {exc.name}: pip install torch safetensors"
        ) from exc
    weights_files = sorted(base.glob("*.safetensors"))
    if len(weights_files) != 1:
        raise ConfigError(f"{base}: expected one model.safetensors to merge into, found {len(weights_files)}")
    weights = load_file(str(weights_files[0]))
    lora = load_file(str(adapter / ADAPTER_WEIGHTS))
    rank = int(config["r"])
    alpha = float(config.get("lora_alpha", rank))
    scale = alpha / rank**0.5 if config.get("use_rslora") else alpha / rank
    merged = 0
    for key in [k for k in lora if k.endswith(".lora_A.weight")]:
        module = key[: -len(".lora_A.weight")].removeprefix("base_model.model.")
        target = f"{module}.weight"
        if target not in weights:
            raise ConfigError(f"{adapter}: the adapter changes {target}, which {base} does not have")
        down, up = lora[key].to(torch.float32), lora[key.replace(".lora_A.", ".lora_B.")].to(torch.float32)
        original = weights[target]
        weights[target] = (original.to(torch.float32) + scale * (up @ down)).to(original.dtype)
        merged += 1
    if not merged:
        raise ConfigError(f"{adapter}: the adapter holds no LoRA weights")
    for item in base.iterdir():
        if item.is_file() and item.suffix != ".safetensors" and not item.name.startswith("."):
            shutil.copy2(item, out / item.name)
    for name in _CARRIED:
        for source in (adapter / name, adapter.parent / name):
            if source.is_file():
                shutil.copy2(source, out / name)
                break
    save_file(weights, str(out / weights_files[0].name), metadata={"format": "pt"})
