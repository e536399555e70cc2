"""Backend strings → model backends, imported lazily so an unused backend costs nothing.

======================================  ======================================================================
``None`` or ``"embedded"``              the offline default, Qwen2.5-Coder-0.5B-Instruct (:mod:`~.ladder`)
``"embedded:<rung or path>"``           another rung of the ladder (``gemma-270m``, ``qwen-1.5b``) or a local
                                        ``.gguf`` file / Hugging Face folder
``"test"``                              :class:`~.generation.testing.TestModel`
``"transformers:<hub id or path>"``     a local Hugging Face model (:mod:`~.generation.transformers_backend`)
``"openai:<model>[@<base url>]"``       any OpenAI-compatible server (:mod:`~.generation.openai_backend`);
                                        base URL also from ``OPENAI_BASE_URL``, key from ``OPENAI_API_KEY``
                                        or the variable named by ``api_key_env=``
``"llamacpp:<gguf path>"``              a GGUF run in-process by llama.cpp, grammar-constrained
                                        (``llamacpp:embedded``: the packaged Gemma 3 270M GGUF)
``"langchain:<provider>:<model>"``     a LangChain chat model with tool calling, built by ``init_chat_model``
                                        (:mod:`~.generation.langchain_backend`); or pass
                                        ``LangChainBackend(chat_model)`` as the backend object
======================================  ======================================================================

Keyword options are passed to the backend's constructor, e.g.
``load_backend("openai:gorilla-openfunctions-v2@http://gpu-box:8000/v1", mode="gorilla", timeout=60)``.
Another backend is one line in ``BACKENDS``: its module, its factory and the ``pip install`` it needs.
"""

from __future__ import annotations

import difflib
import importlib
import re
from dataclasses import dataclass
from typing import Any

from gorilla_router.errors import ConfigError, MissingDependencyError, UnknownBackendError
from gorilla_router.generation.base import ModelBackend

__all__ = ["BACKENDS", "BackendEntry", "load_backend", "split_openai_target"]


@dataclass(frozen=True)
class BackendEntry:
    """Where a backend lives: ``module:factory``, whether it takes a target after ``:``, and its extra."""

    module: str
    factory: str
    target: str  # "none" | "required" | "optional"
    install: str = "pip install gorilla-router"
    example: str = ""


BACKENDS: dict[str, BackendEntry] = {
    "embedded": BackendEntry(
        "gorilla_router.generation.embedded", "embedded_backend", "optional", example="embedded:qwen-0.5b"
    ),
    "test": BackendEntry("gorilla_router.generation.testing", "TestModel", "none", example="test"),
    "transformers": BackendEntry(
        "gorilla_router.generation.transformers_backend",
        "TransformersBackend",
        "required",
        example="transformers:gorilla-llm/gorilla-openfunctions-v2",
    ),
    "openai": BackendEntry(
        "gorilla_router.generation.openai_backend",
        "OpenAIBackend",
        "required",
        example="openai:gpt-4o-mini@https://api.openai.com/v1",
    ),
    "langchain": BackendEntry(
        "gorilla_router.generation.langchain_backend",
        "LangChainBackend",
        "required",
        install="pip install 'gorilla-router[langchain]'",
        example="langchain:ollama:llama3.1",
    ),
    "llamacpp": BackendEntry(
        "gorilla_router.generation.llamacpp_backend",
        "LlamaCppBackend",
        "required",
        install="pip install 'gorilla-router[llamacpp]'",
        example="llamacpp:embedded",
    ),
}

_URL_SUFFIX = re.compile(r"^(?P<model>.+?)@(?P<url>https?://\S+)$")


def split_openai_target(target: str) -> tuple[str, str | None]:
    """``"model@http://host:port/v1"`` → ``("model", "http://host:port/v1")``; no ``@`` → no base URL."""
    match = _URL_SUFFIX.match(target)
    if match:
        return match["model"], match["url"]
    if "@" in target:
        raise ConfigError(
            f"cannot read the base URL in {target!r}: write 'openai:<model>@http(s)://host[:port]/v1'"
        )
    return target, None


def load_backend(spec: str | ModelBackend | None = None, **options: Any) -> ModelBackend:
    """Build the backend a string names (``None`` → the embedded default); a backend object passes through."""
    if spec is None:
        spec = "embedded"
    if not isinstance(spec, str):
        if isinstance(spec, ModelBackend):
            return spec
        raise UnknownBackendError(
            f"expected a backend string such as 'embedded' or 'openai:<model>', or an object with "
            f"name and generate(query, candidates); got {type(spec).__name__}"
        )
    kind, _, target = spec.strip().partition(":")
    kind = kind.strip().lower()
    entry = BACKENDS.get(kind)
    if entry is None:
        raise UnknownBackendError(_unknown_message(spec, kind))
    if entry.target == "none" and target:
        raise ConfigError(f"backend {kind!r} takes no target after ':'; write {entry.example!r}")
    if entry.target == "required" and not target.strip():
        raise ConfigError(f"backend {kind!r} needs a model after ':', e.g. {entry.example!r}")
    factory = _import_factory(kind, entry)
    args: list[Any] = []
    if kind == "openai":
        model, base_url = split_openai_target(target.strip())
        args = [model, base_url]
    elif target:
        args = [target.strip()]
    backend: ModelBackend = factory(*args, **options)
    return backend


def _import_factory(kind: str, entry: BackendEntry) -> Any:
    try:
        module = importlib.import_module(entry.module)
    except ModuleNotFoundError as exc:
        if exc.name and entry.module.startswith(exc.name):
            raise UnknownBackendError(
                f"backend {kind!r} is registered but its module {entry.module} is not part of this "
                "installation; upgrade gorilla-router"
            ) from exc
        raise MissingDependencyError(
            f"backend {kind!r} needs the package {exc.name!r}, which is not installed: {entry.install}"
        ) from exc
    return getattr(module, entry.factory)


def _unknown_message(spec: str, kind: str) -> str:
    close = difflib.get_close_matches(kind, list(BACKENDS), n=2, cutoff=0.5)
    if close:
        suggestion = " or ".join(repr(BACKENDS[c].example) for c in close)
        hint = f" Did you mean {suggestion}?"
    elif kind and ":" not in spec:
        hint = f" To use a model on an OpenAI-compatible server write 'openai:{spec}'."
    else:
        hint = ""
    examples = ", ".join(repr(entry.example) for entry in BACKENDS.values())
    return f"unknown model backend {spec!r}.{hint} Known backends: {examples}"
