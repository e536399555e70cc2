"""Prompt blocks read once: the KV cache of a text that recurs between prompts, moved to where it is used.

A router's prompt is a fixed head, the candidates' tool descriptions, and the request. The head is cached
whole; the tools are not, because each request has its own five, in its own order — yet the zoo's tools
recur. So each tool's text is run once, right after the head, and its keys and values are kept
(:class:`BlockCache`). A later prompt with that tool at another place takes the kept cache and turns its
keys by the position difference (:func:`shift_keys`: rotary position embeddings compose, so a key at
position ``p`` turned by ``d`` is the key at ``p + d``). Only the request and the text after the tools run
through the model; they attend to every tool as before.

What is given up: a tool's tokens no longer attend to the tools before it (each was read after the head
alone), and they saw the head nearer than it now is (a turned key is exact in the first layer only). The
request, the answer and every decision still read all of them. Whether that costs accuracy is
measured, not assumed (``bench_end_to_end.py``, ``embedded@tool_blocks=true`` beside the default).

Only for models whose every layer is full attention with plain rotary embeddings (Qwen2.5); elsewhere
:func:`rotary_frequencies` says ``None`` and the prompt is read whole.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch

__all__ = ["BlockCache", "KeptBlock", "join_blocks", "rotary_frequencies", "shift_keys"]

KV = tuple[tuple[torch.Tensor, torch.Tensor], ...]


@dataclass(frozen=True)
class KeptBlock:
    """A block's keys and values (read right after the head, at ``start``) and the log-probs after it."""

    kv: KV
    start: int
    length: int
    next_logprobs: torch.Tensor


def rotary_frequencies(model: Any) -> torch.Tensor | None:
    """The model's rotary inverse frequencies, when moving cached keys is exact for it; else ``None``."""
    config = getattr(model, "config", None)
    layer_types = getattr(config, "layer_types", None) or []
    if any(kind != "full_attention" for kind in layer_types) or getattr(config, "use_sliding_window", False):
        return None
    rotary = getattr(getattr(model, "model", None), "rotary_emb", None)
    if rotary is None or getattr(rotary, "rope_type", "default") != "default":
        return None
    if float(getattr(rotary, "attention_scaling", 1.0)) != 1.0:
        return None
    frequencies = getattr(rotary, "inv_freq", None)
    return frequencies.detach().float().cpu() if isinstance(frequencies, torch.Tensor) else None


def shift_keys(keys: torch.Tensor, delta: int, frequencies: torch.Tensor) -> torch.Tensor:
    """``keys`` ([batch, heads, positions, head_dim], already rotated) as if each were ``delta`` later."""
    if delta == 0:
        return keys
    angle = float(delta) * frequencies.to(keys.device)
    angles = torch.cat((angle, angle))
    cos, sin = angles.cos(), angles.sin()
    values = keys.float()
    half = values.shape[-1] // 2
    turned = torch.cat((-values[..., half:], values[..., :half]), dim=-1)
    return (values * cos + turned * sin).to(keys.dtype)


class BlockCache:
    """Kept blocks by (head, text) within a memory budget, least recently used first out."""

    def __init__(self, budget_bytes: int) -> None:
        self.budget_bytes = budget_bytes
        self.used_bytes = 0
        self._kept: OrderedDict[tuple[str, str], KeptBlock] = OrderedDict()

    def get(self, head: str, text: str) -> KeptBlock | None:
        kept = self._kept.get((head, text))
        if kept is not None:
            self._kept.move_to_end((head, text))
        return kept

    def put(self, head: str, text: str, block: KeptBlock) -> None:
        if (head, text) in self._kept:
            return
        self._kept[(head, text)] = block
        self.used_bytes += _size(block)
        while self.used_bytes > self.budget_bytes and len(self._kept) > 1:
            _, dropped = self._kept.popitem(last=False)
            self.used_bytes -= _size(dropped)

    def __len__(self) -> int:
        return len(self._kept)


def _size(block: KeptBlock) -> int:
    return sum(t.element_size() * t.nelement() for pair in block.kv for t in pair)


def join_blocks(head: KV, blocks: Sequence[KeptBlock], frequencies: torch.Tensor) -> KV:
    """The head's cache followed by each block's, each block's keys moved to its place in the sequence."""
    position = head[0][0].shape[-2]
    keys_per_layer: list[list[torch.Tensor]] = [[keys] for keys, _ in head]
    values_per_layer: list[list[torch.Tensor]] = [[values] for _, values in head]
    for block in blocks:
        delta = position - block.start
        for layer, (keys, values) in enumerate(block.kv):
            keys_per_layer[layer].append(shift_keys(keys, delta, frequencies))
            values_per_layer[layer].append(values)
        position += block.length
    return tuple(
        (torch.cat(keys, dim=-2), torch.cat(values, dim=-2))
        for keys, values in zip(keys_per_layer, values_per_layer, strict=True)
    )
