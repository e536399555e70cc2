"""The ``transformers`` backend: a local Hugging Face causal LM, on the GPU when there is one.

``TransformersBackend("gorilla-llm/gorilla-openfunctions-v2")`` or a local folder. Weights are loaded once
per process (a module-level cache keyed by model, device and dtype, behind a lock) and shared by every
backend object and thread; ``generate`` holds a per-model lock, which costs nothing on a CPU that one
forward pass already saturates.

With ``constrained=True`` (the default) and a prompt format that says how a call starts
(``call_prefix``; the few-shot format does), the call is decoded by
:class:`~gorilla_router.generation.constrained.decoder.CallDecoder`: the function is a candidate or
"no call", arguments and values follow the schema and the query. Otherwise the model writes freely
(greedy) and the prompt format parses the text, which still rejects any API outside the candidates.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gorilla_router._hf import quiet_loading, release_tokenizer_sources
from gorilla_router._memory import release_freed_memory
from gorilla_router._threads import cpu_threads
from gorilla_router.errors import BackendError, ConfigError, MissingDependencyError
from gorilla_router.generation.constrained.decoder import CallDecoder, DecodeOptions
from gorilla_router.generation.prompts import default_prompt_format, get_prompt_format
from gorilla_router.generation.prompts.base import specs_of
from gorilla_router.specs import ApiCall, Candidate

__all__ = ["LoadedModel", "TransformersBackend", "load_model"]

_DTYPES = ("bfloat16", "float16", "float32")


@dataclass
class LoadedModel:
    """A model and tokenizer loaded once per process, with the lock that serializes their use."""

    model: Any
    tokenizer: Any
    device: str
    dtype: str
    load_seconds: float
    lock: threading.Lock = field(default_factory=threading.Lock)
    chooser: Any = None
    output_head: str = "same"
    """``"int8"`` where the vocabulary projection was quantized (:mod:`..output_head`), else ``"same"``."""
    math: str = ""
    """``"float32"`` (or ``"int8"``: int8 weights) where a bf16 model computes in float32 on this CPU
    (:mod:`..cpu_math`), else ``dtype``."""

    @property
    def state_variant(self) -> str:
        """What the stored prompt states depend on beyond the weights file (see ``StateStore.for_model``)."""
        return self.output_head if self.math in ("", self.dtype) else f"{self.output_head}+{self.math}"


_models: dict[tuple[str, str, str, bool, str], LoadedModel] = {}
_models_lock = threading.Lock()


def _default_device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def _limit_cpu_threads() -> None:
    """Lower torch's CPU threads to what :func:`gorilla_router._threads.cpu_threads` decides."""
    import torch

    threads = cpu_threads()
    if threads < torch.get_num_threads():
        torch.set_num_threads(threads)


def load_model(
    model: str, device: str | None = None, dtype: str | None = None, *, int8_output: bool = False
) -> LoadedModel:
    """Load (or return the already loaded) ``model`` on ``device`` in ``dtype``; bf16 by default.

    ``int8_output`` stores the vocabulary projection in int8 where that applies (bf16 on the CPU; see
    :mod:`gorilla_router.generation.output_head`); the model is then a separate entry of the cache.
    """
    try:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        from gorilla_router.generation.cpu_math import chosen_cpu_math, use_float32_math
        from gorilla_router.generation.output_head import quantize_output_head
    except ImportError as exc:  # pragma: no cover - core dependencies
        raise MissingDependencyError(
            "the transformers backend needs: pip install torch transformers"
        ) from exc
    device = device or _default_device()
    dtype = dtype or "bfloat16"
    if dtype not in _DTYPES:
        raise ConfigError(f"dtype must be one of {', '.join(_DTYPES)}, got {dtype!r}")
    int8_output = int8_output and device == "cpu" and dtype == "bfloat16"  # else it changes nothing
    math = chosen_cpu_math() if device == "cpu" and dtype == "bfloat16" else dtype
    key = (model, device, dtype, int8_output, math)
    with _models_lock:
        if key in _models:
            return _models[key]
        if os.path.isdir(model):
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
        if device == "cpu":
            _limit_cpu_threads()
        started = time.perf_counter()
        try:
            with quiet_loading():
                tokenizer = AutoTokenizer.from_pretrained(model)
                kwargs: dict[str, Any] = {"dtype": getattr(torch, dtype)}
                if device == "cuda":
                    kwargs["device_map"] = "auto"
                loaded_model: Any = AutoModelForCausalLM.from_pretrained(model, **kwargs)
            if device != "cuda":
                loaded_model = loaded_model.to(device)
            loaded_model.eval()
            head = "int8" if int8_output and quantize_output_head(loaded_model) else "same"
            if math != dtype and not use_float32_math(loaded_model, int8_weights=math == "int8"):
                math = dtype
            if release_tokenizer_sources(tokenizer) or head == "int8":
                release_freed_memory()
        except (OSError, ValueError) as exc:
            raise BackendError(
                f"could not load the model {model!r}: {exc}. Give a local folder, or a hub id that is "
                "in the Hugging Face cache (or reachable with network access)."
            ) from exc
        entry = LoadedModel(
            loaded_model,
            tokenizer,
            device,
            dtype,
            time.perf_counter() - started,
            output_head=head,
            math=math,
        )
        _models[key] = entry
        return entry


class TransformersBackend:
    """A ``ModelBackend`` over a local causal LM; see the module docstring."""

    def __init__(
        self,
        model: str,
        *,
        device: str | None = None,
        dtype: str | None = None,
        prompt_format: str | None = None,
        constrained: bool = True,
        max_new_tokens: int = 128,
        decode_options: DecodeOptions | None = None,
        int8_output: bool = False,
    ) -> None:
        if not model.strip():
            raise ConfigError("TransformersBackend needs a model: a hub id or a local folder")
        self.model_name = model
        self.name = f"transformers:{model}"
        self.device = device
        self.dtype = dtype
        self.prompt_format = get_prompt_format(prompt_format or default_prompt_format(model))
        self.constrained = constrained
        self.max_new_tokens = max_new_tokens
        self.decode_options = decode_options
        self.int8_output = int8_output
        """The vocabulary projection in int8 on the CPU (:mod:`gorilla_router.generation.output_head`); off
        by default for a model the user names, on for the embedded Gemma rung."""
        self.last_function_scores: dict[str, float] = {}
        """Log-likelihood of each candidate id ("" for "no call") in the latest constrained decode."""
        self.last_stats: dict[str, float] = {}
        """Model steps, tokens run and seconds of the latest ``generate`` (for benchmarks)."""

    def loaded(self) -> LoadedModel:
        return load_model(self.model_name, self.device, self.dtype, int8_output=self.int8_output)

    def generate(self, query: str, candidates: Sequence[Candidate]) -> list[ApiCall]:
        if not candidates:
            return []
        entry = self.loaded()
        with entry.lock:
            started = time.perf_counter()
            try:
                if self.constrained and hasattr(self.prompt_format, "call_prefix"):
                    calls = self._constrained(entry, query, candidates)
                else:
                    calls = self._free(entry, query, candidates)
            except RuntimeError as exc:
                raise BackendError(f"the model {self.model_name!r} failed while generating: {exc}") from exc
            self.last_stats["seconds"] = time.perf_counter() - started
            return calls

    def _constrained(self, entry: LoadedModel, query: str, candidates: Sequence[Candidate]) -> list[ApiCall]:
        from gorilla_router.generation.constrained.state_store import StateStore
        from gorilla_router.generation.constrained.torch_chooser import TorchChooser

        if entry.chooser is None:
            store = StateStore.for_model(Path(self.model_name), variant=entry.state_variant)
            entry.chooser = TorchChooser(entry.model, entry.tokenizer, store)
        chooser: TorchChooser = entry.chooser
        fmt: Any = self.prompt_format
        options = self.decode_options or DecodeOptions(
            call_prefix=fmt.call_prefix, no_call_text=fmt.no_call_text
        )
        if hasattr(fmt, "render_parts"):
            head, tail = fmt.render_parts(query, candidates)
        else:
            head, tail = fmt.render(query, candidates), ""
        steps, tokens = chooser.steps, chooser.tokens
        state = chooser.start(head, tail)
        decoded = CallDecoder(chooser, options).decode(
            state, query, specs_of(candidates), [c.rank for c in candidates]
        )
        self.last_stats = {"steps": chooser.steps - steps, "tokens": chooser.tokens - tokens}
        self.last_function_scores = decoded.function_scores
        return [] if decoded.call is None else [decoded.call]

    def _free(self, entry: LoadedModel, query: str, candidates: Sequence[Candidate]) -> list[ApiCall]:
        import torch

        prompt = self.prompt_format.render(query, candidates)
        inputs = entry.tokenizer(prompt, return_tensors="pt").to(entry.model.device)
        with torch.inference_mode():
            output = entry.model.generate(
                **inputs,
                max_new_tokens=self.max_new_tokens,
                do_sample=False,
                pad_token_id=entry.tokenizer.pad_token_id,
                stop_strings=["\nRequest:", "\n\n"],
                tokenizer=entry.tokenizer,
            )
        new = output[0, inputs["input_ids"].shape[1] :]
        text = entry.tokenizer.decode(new, skip_special_tokens=True)
        self.last_stats = {"steps": float(len(new)), "tokens": float(inputs["input_ids"].shape[1] + len(new))}
        return self.prompt_format.parse(text, candidates)
