"""A sentence-transformers folder run by transformers alone: encoder, pooling, normalisation.

The default embedder, all-MiniLM-L6-v2, is a BERT encoder followed by mean pooling and L2 normalisation.
Importing the sentence-transformers library to run it pulls in scikit-learn, SciPy and peft — skipping
it took 1.7 s off the router's 16 s cold start and ~45 MB off its peak memory on this project's 2-core
machine (fresh-process runs of ``bench_end_to_end.py --cold``) — for what is, in that layout, three tensor
operations. :meth:`PooledEncoder.load` reads the folder's ``modules.json`` and
takes it only when every module is one it reproduces exactly (Transformer; Pooling by mean, CLS token or
max; Normalize) and no default prompt is set; for anything else it answers ``None`` and the caller uses
the library, so an unusual model is never embedded differently from how its authors meant.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["PooledEncoder"]

_TRANSFORMER = "sentence_transformers.models.Transformer"
_POOLING = "sentence_transformers.models.Pooling"
_NORMALIZE = "sentence_transformers.models.Normalize"
_POOLING_MODES = {
    "pooling_mode_mean_tokens": "mean",
    "pooling_mode_cls_token": "cls",
    "pooling_mode_max_tokens": "max",
}
_OTHER_POOLING_MODES = (
    "pooling_mode_mean_sqrt_len_tokens",
    "pooling_mode_weightedmean_tokens",
    "pooling_mode_lasttoken",
)


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _pooling_mode(folder: Path) -> str | None:
    """The one pooling this folder asks for, or None when it asks for another or several."""
    config = _read_json(folder / "config.json")
    if not isinstance(config, dict) or any(config.get(key) for key in _OTHER_POOLING_MODES):
        return None
    modes = [mode for key, mode in _POOLING_MODES.items() if config.get(key)]
    return modes[0] if len(modes) == 1 else None


class _Layout:
    """What ``modules.json`` and its neighbours say, when this module can run it exactly."""

    def __init__(self, pooling: str, normalize: bool, max_length: int | None, lower_case: bool) -> None:
        self.pooling = pooling
        self.normalize = normalize
        self.max_length = max_length
        self.lower_case = lower_case

    @classmethod
    def read(cls, folder: Path) -> _Layout | None:
        modules = _read_json(folder / "modules.json")
        if not isinstance(modules, list) or not modules:
            return None
        kinds = [module.get("type") if isinstance(module, dict) else None for module in modules]
        if kinds[:2] != [_TRANSFORMER, _POOLING] or kinds[2:] not in ([], [_NORMALIZE]):
            return None
        if modules[0].get("path", "") != "":
            return None
        pooling = _pooling_mode(folder / str(modules[1].get("path", "")))
        settings = _read_json(folder / "config_sentence_transformers.json") or {}
        if pooling is None or not isinstance(settings, dict) or settings.get("default_prompt_name"):
            return None
        bert = _read_json(folder / "sentence_bert_config.json") or {}
        if not isinstance(bert, dict):
            return None
        max_length = bert.get("max_seq_length")
        return cls(
            pooling,
            normalize=len(kinds) == 3,
            max_length=int(max_length) if isinstance(max_length, int) else None,
            lower_case=bool(bert.get("do_lower_case", False)),
        )


class PooledEncoder:
    """Embed texts the way sentence-transformers would for a folder whose layout :class:`_Layout` reads."""

    def __init__(self, model: Any, tokenizer: Any, layout: _Layout, device: str) -> None:
        self._model = model
        self._tokenizer = tokenizer
        self._layout = layout
        self._device = device
        self._dimension = int(model.config.hidden_size)
        limits = [n for n in (layout.max_length, getattr(tokenizer, "model_max_length", None)) if n]
        self._max_length = min(int(n) for n in limits) if limits else None

    @classmethod
    def load(cls, folder: str | Path, device: str) -> PooledEncoder | None:
        """The encoder for ``folder``, or None when its modules need the sentence-transformers library.

        Raises ``OSError`` / ``ValueError`` (as transformers does) when the folder's weights cannot be read.
        """
        path = Path(folder)
        layout = _Layout.read(path) if path.is_dir() else None
        if layout is None:
            return None
        import torch
        from transformers import AutoModel, AutoTokenizer

        from gorilla_router._hf import release_tokenizer_sources

        tokenizer = AutoTokenizer.from_pretrained(path)
        release_tokenizer_sources(tokenizer)
        model = AutoModel.from_pretrained(path, dtype=torch.float32).to(device)
        model.eval()
        return cls(model, tokenizer, layout, device)

    def get_embedding_dimension(self) -> int:
        """The vector size (the encoder's hidden size: pooling keeps it)."""
        return self._dimension

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> npt.NDArray[np.float32]:
        """``texts`` as float32 vectors, one row each, in batches of ``batch_size``."""
        rows = [text.lower() if self._layout.lower_case else text for text in texts]
        parts = [self._encode_batch(rows[i : i + batch_size]) for i in range(0, len(rows), batch_size)]
        if not parts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        return np.ascontiguousarray(np.concatenate(parts), dtype=np.float32)

    def _encode_batch(self, texts: list[str]) -> npt.NDArray[np.float32]:
        import torch

        batch = self._tokenizer(
            texts,
            padding=True,
            truncation=self._max_length is not None,
            max_length=self._max_length,
            return_tensors="pt",
        ).to(self._device)
        with torch.inference_mode():
            tokens = self._model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(tokens.dtype)
            if self._layout.pooling == "cls":
                pooled = tokens[:, 0]
            elif self._layout.pooling == "max":
                pooled = tokens.masked_fill(mask == 0, torch.finfo(tokens.dtype).min).max(dim=1).values
            else:
                pooled = (tokens * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            if self._layout.normalize:
                pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
            result: npt.NDArray[np.float32] = pooled.float().cpu().numpy()
            return result
