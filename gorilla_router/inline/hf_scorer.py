"""A :class:`~gorilla_router.inline.scoring.Scorer` over any Hugging Face causal-LM folder or hub id.

The model is loaded through :func:`gorilla_router.generation.transformers_backend.load_model` — the same
per-process cache the ``transformers`` and ``embedded`` backends use — so scoring with the router's own
model does not load it twice, and scoring holds the model's lock like generation does.

Batches are left-padded with explicit position ids, so every row ends at the same column and only the
last few positions are projected onto the vocabulary (``logits_to_keep``): the projection onto Gemma's
262k words costs more than the transformer body per position, and the filter needs only the continuation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import torch

from gorilla_router.errors import BackendError
from gorilla_router.generation.transformers_backend import LoadedModel, load_model

if TYPE_CHECKING:
    from gorilla_router.generation.transformers_backend import TransformersBackend

__all__ = ["HfScorer"]


class HfScorer:
    """Token log-likelihoods from a causal LM; ``batch_size`` rows per forward pass."""

    def __init__(
        self,
        model: str,
        *,
        device: str | None = None,
        dtype: str | None = None,
        batch_size: int = 8,
        loader: Callable[[], LoadedModel] | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        self.model_name = model
        self.device = device
        self.dtype = dtype
        self.batch_size = batch_size
        self._loader = loader
        """Where the weights come from instead of loading them by name: a backend's own ``loaded``."""
        self.forward_passes = 0

    @classmethod
    def for_backend(cls, backend: TransformersBackend, **options: Any) -> HfScorer:
        """A scorer sharing ``backend``'s loaded weights: the very entry its ``loaded`` returns (folder,
        device, dtype and the int8 projection alike), so nothing is loaded twice."""
        options.setdefault("loader", backend.loaded)
        return cls(backend.model_name, device=backend.device, dtype=backend.dtype, **options)

    def loaded(self) -> LoadedModel:
        if self._loader is not None:
            return self._loader()
        return load_model(self.model_name, self.device, self.dtype)

    # -- Scorer ---------------------------------------------------------------------------------------
    def continuation_logprobs(self, pairs: Sequence[tuple[str, str]]) -> list[list[float]]:
        entry = self.loaded()
        rows = [
            (self._prefix_ids(entry, prefix), _ids(entry, continuation)) for prefix, continuation in pairs
        ]
        scored: list[list[float]] = []
        with entry.lock:
            for first in range(0, len(rows), self.batch_size):
                scored.extend(self._score_batch(entry, rows[first : first + self.batch_size]))
        return scored

    def marker_logprobs(self, prefix: str, text: str, marker: str) -> list[tuple[int, float]]:
        entry = self.loaded()
        marker_ids = _ids(entry, marker)
        if not marker_ids:
            raise ValueError(f"the marker {marker!r} has no tokens")
        encoded = entry.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        text_ids: list[int] = encoded["input_ids"]
        offsets: list[tuple[int, int]] = encoded["offset_mapping"]
        if len(text_ids) < 2:
            return []
        head = self._prefix_ids(entry, prefix)
        with entry.lock:
            logits = self._forward(entry, [head + text_ids[:-1]], keep=len(text_ids) - 1)
        logprobs = torch.log_softmax(logits[0].float(), dim=-1)[:, marker_ids[0]]
        # logits row k follows text token k, so it scores the marker at the start of token k + 1
        return [(offsets[k + 1][0], float(logprobs[k])) for k in range(len(text_ids) - 1)]

    # -- internals ------------------------------------------------------------------------------------
    def _prefix_ids(self, entry: LoadedModel, prefix: str) -> list[int]:
        """The prefix with the tokenizer's special start tokens; a lone BOS/EOS when both are missing.

        The first continuation token needs something to be predicted from, even after an empty prefix.
        """
        ids: list[int] = entry.tokenizer(prefix)["input_ids"]
        if ids:
            return ids
        tokenizer = entry.tokenizer
        start = tokenizer.bos_token_id if tokenizer.bos_token_id is not None else tokenizer.eos_token_id
        if start is None:
            raise BackendError(
                f"{self.model_name!r} has neither BOS nor EOS; cannot score after an empty prefix"
            )
        return [int(start)]

    def _score_batch(self, entry: LoadedModel, rows: list[tuple[list[int], list[int]]]) -> list[list[float]]:
        longest = max(len(continuation) for _, continuation in rows)
        if longest == 0:
            return [[] for _ in rows]
        logits = self._forward(
            entry, [prefix + continuation for prefix, continuation in rows], keep=longest + 1
        )
        scored: list[list[float]] = []
        for row, (_, continuation) in enumerate(rows):
            count = len(continuation)
            if count == 0:
                scored.append([])
                continue
            # kept column c predicts the token in column c + 1; the continuation fills the last ``count``
            window = logits[row, longest - count : longest].float()
            picked = torch.log_softmax(window, dim=-1).gather(1, torch.tensor(continuation).unsqueeze(1))
            scored.append([float(v) for v in picked.squeeze(1)])
        return scored

    def _forward(self, entry: LoadedModel, sequences: list[list[int]], keep: int) -> torch.Tensor:
        """Logits ``[rows, keep, vocab]`` for the last ``keep`` positions of left-padded ``sequences``."""
        width = max(len(s) for s in sequences)
        pad = int(entry.tokenizer.pad_token_id if entry.tokenizer.pad_token_id is not None else 0)
        ids = torch.tensor([[pad] * (width - len(s)) + s for s in sequences])
        mask = torch.tensor([[0] * (width - len(s)) + [1] * len(s) for s in sequences])
        positions = (mask.cumsum(-1) - 1).clamp(min=0)
        device = entry.model.device
        try:
            with torch.inference_mode():
                output = entry.model(
                    input_ids=ids.to(device),
                    attention_mask=mask.to(device),
                    position_ids=positions.to(device),
                    logits_to_keep=keep,
                    use_cache=False,
                )
        except RuntimeError as exc:
            raise BackendError(f"the model {self.model_name!r} failed while scoring: {exc}") from exc
        self.forward_passes += 1
        logits: torch.Tensor = output.logits[:, -keep:, :]
        return logits.cpu()


def _ids(entry: LoadedModel, text: str) -> list[int]:
    ids: list[int] = entry.tokenizer(text, add_special_tokens=False)["input_ids"]
    return ids
