"""The vocabulary projection in int8: half the memory of the largest matrix, and a faster decoding step.

A small model's output layer is its largest matrix: Qwen2.5-0.5B projects 896 hidden values onto 151,936
words (272 MB in bf16, a third of the weights), and every decoding step reads all of it to score one or
a few positions. Stored as int8 with one bf16 scale per word (absmax per row), it is 136 MB, and torch's
weight-only int8 kernel (``_weight_int8pack_mm``) scores one position in ~4 ms instead of ~10 ms on this
project's 2-core CPU. Its rounding is of the order of bf16's own: on 700 tokens of real text the
log-probability of each next token moved by 0.023 on average from float32 (bf16: 0.014), and the
next-token loss was the same (3.942 vs 3.943).

Only the output side changes. Qwen and Gemma tie the two embedding matrices; the input side keeps the
bf16 matrix, which is read a row per token, so once the int8 copy exists the bf16 pages are handed back to
the kernel (``madvise(MADV_DONTNEED)`` on the memory-mapped weights: they are re-read from the file for
the rows a prompt uses). The weights file itself is never changed.

CPU only, bf16 only, where torch has the kernel; elsewhere (a GPU, float32) :func:`quantize_output_head`
leaves the model alone and says so.
"""

from __future__ import annotations

import ctypes
import mmap
from collections.abc import Callable
from typing import Any

import torch

from gorilla_router._memory import libc

__all__ = ["Int8OutputHead", "hand_back_file_pages", "quantize_output_head", "quantize_rows"]

_ROWS_PER_CHUNK = 8192
"""Rows quantized at once: the float32 copy of a chunk is 29 MB for Qwen's 896 columns, not the matrix's
545 MB."""
_MADV_DONTNEED = 4


def quantize_rows(
    weight: torch.Tensor, after_chunk: Callable[[torch.Tensor], object] | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """``weight`` as int8 with one float32 scale per row (absmax / 127), a chunk of rows at a time;
    ``after_chunk`` gets each chunk of ``weight`` once it is done."""
    words, width = weight.shape
    quantized = torch.empty((words, width), dtype=torch.int8)
    scales = torch.empty(words, dtype=torch.float32)
    with torch.no_grad():
        for start in range(0, words, _ROWS_PER_CHUNK):
            rows = weight[start : start + _ROWS_PER_CHUNK].float()
            scale = (rows.abs().amax(dim=1) / 127.0).clamp_min(torch.finfo(torch.float32).tiny)
            quantized[start : start + len(rows)] = (
                torch.round(rows / scale[:, None]).clamp(-127, 127).to(torch.int8)
            )
            scales[start : start + len(rows)] = scale
            if after_chunk is not None:
                after_chunk(weight[start : start + _ROWS_PER_CHUNK])
    return quantized, scales


class Int8OutputHead(torch.nn.Module):
    """``x @ (scale · W_int8)ᵀ``: a bias-free linear layer with int8 weights and a bf16 scale per row."""

    weight_int8: torch.Tensor
    scales: torch.Tensor

    def __init__(
        self, weight: torch.Tensor, after_chunk: Callable[[torch.Tensor], object] | None = None
    ) -> None:
        """Quantize ``weight`` a chunk of rows at a time; ``after_chunk`` gets each chunk once it is done
        (:func:`quantize_output_head` hands its pages back there, so they are never all resident at once)."""
        super().__init__()
        words, width = weight.shape
        self.in_features = int(width)
        self.out_features = int(words)
        quantized, scales = quantize_rows(weight, after_chunk)
        self.register_buffer("weight_int8", quantized)
        self.register_buffer("scales", scales.to(weight.dtype))

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        shape = hidden.shape
        flat = hidden.reshape(-1, shape[-1]).to(self.scales.dtype).contiguous()
        out = torch._weight_int8pack_mm(flat, self.weight_int8, self.scales)
        return out.reshape(*shape[:-1], self.out_features)


def _hand_back(tensor: torch.Tensor) -> bool:
    """Drop ``tensor``'s whole pages from this process's memory (Linux); they are read again on use.

    Only for memory that can be read again: a memory-mapped, unmodified weights file (transformers maps
    safetensors files). Pages the tensor shares with its neighbours at either end are left alone.
    """
    library = libc()
    madvise = getattr(library, "madvise", None) if library is not None else None
    if madvise is None:
        return False
    madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    start = tensor.data_ptr()
    end = start + tensor.numel() * tensor.element_size()
    first = -(-start // mmap.PAGESIZE) * mmap.PAGESIZE
    last = end // mmap.PAGESIZE * mmap.PAGESIZE
    return last > first and madvise(first, last - first, _MADV_DONTNEED) == 0


def _unmodified_file_pages(tensor: torch.Tensor) -> bool:
    """Whether ``tensor`` lies in one mapping of a file none of whose pages this process has written
    (``/proc/self/smaps``: a path, and ``Anonymous: 0 kB``) — so every dropped page reads back the same."""
    start = tensor.data_ptr()
    end = start + tensor.numel() * tensor.element_size()
    try:
        with open("/proc/self/smaps", encoding="utf-8") as smaps:
            inside = False
            for line in smaps:
                fields = line.split()
                if "-" in fields[0] and len(fields) >= 5 and ":" not in fields[0]:
                    low, high = (int(part, 16) for part in fields[0].split("-"))
                    inside = low <= start and end <= high
                    if inside and not (len(fields) >= 6 and fields[5].startswith("/")):
                        return False
                elif inside and fields[0] == "Anonymous:":
                    return fields[1] == "0"
    except (OSError, ValueError, IndexError):
        return False
    return False


def hand_back_file_pages(tensor: torch.Tensor) -> bool:
    """Drop ``tensor``'s pages from memory where they lie in an unmodified file mapping (they read back
    the same); ``False`` where they do not, or the system cannot."""
    return _unmodified_file_pages(tensor) and _hand_back(tensor)


def quantize_output_head(model: Any) -> bool:
    """Replace ``model``'s output layer by :class:`Int8OutputHead`; ``False`` (unchanged) where it does
    not apply: not on the CPU, not bf16, a bias, already done, no int8 kernel in this torch — or where it
    would not save memory: a matrix tied to the input embeddings that is not an unmodified file mapping
    stays in memory for the inputs, and the int8 copy would only add to it. The bf16 pages are handed back
    chunk by chunk as they are quantized, so they are never all resident at once (Gemma 3 270M: a load
    peak of 1,069 MiB instead of 1,419 with the whole matrix read first)."""
    head = model.get_output_embeddings()
    if (
        not isinstance(head, torch.nn.Linear)
        or head.bias is not None
        or head.weight.dtype != torch.bfloat16
        or head.weight.device.type != "cpu"
        or not hasattr(torch, "_weight_int8pack_mm")
    ):
        return False
    weight = head.weight
    inputs = model.get_input_embeddings()
    tied = inputs is not None and inputs.weight.data_ptr() == weight.data_ptr()
    file_pages = _unmodified_file_pages(weight)
    if tied and not file_pages:
        return False
    model.set_output_embeddings(Int8OutputHead(weight, _hand_back if file_pages else None))
    model.config.tie_word_embeddings = False
    if file_pages:
        _hand_back(weight)  # the pages two chunks shared
    return True
