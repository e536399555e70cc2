"""Hugging Face loading helpers: quiet loading, and a loaded tokenizer without its build material.

transformers draws a "Loading weights" bar on every load, which clutters the CLI (:func:`quiet_loading`).
And transformers 5's BPE tokenizers (Qwen2, Gemma, …) keep the Python vocabulary dict and merges list they
built their Rust tokenizer from, for the life of the object, though nothing reads them afterwards
(:func:`release_tokenizer_sources`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

__all__ = ["quiet_loading", "release_tokenizer_sources"]

_BUILD_MATERIAL = ("_vocab", "_merges")
"""Attributes a transformers 5 tokenizer's ``__init__`` fills to build its Rust ``_tokenizer`` and never
reads again: encoding, decoding, ``get_vocab`` and ``save_pretrained`` all go through ``_tokenizer``."""


@contextlib.contextmanager
def quiet_loading() -> Iterator[None]:
    """Hide transformers' progress bars while loading; restore the user's setting afterwards."""
    from transformers.utils import logging as hf_logging

    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()  # type: ignore[no-untyped-call]


def release_tokenizer_sources(tokenizer: Any) -> int:
    """Empty the vocabulary and merges a loaded tokenizer keeps only from its construction.

    Why: for Qwen's 151,936 tokens they are ~65 MB of Python objects in every process that loads the model
    (measured: the tokenizer's resident memory 104 → 39 MB with the freed heap trimmed), a tenth of the
    router's memory beyond the weights. Only a tokenizer whose Rust ``_tokenizer`` exists is touched, and
    each attribute keeps its type (emptied, not removed). Returns the number of entries released.
    """
    if getattr(tokenizer, "_tokenizer", None) is None:
        return 0
    released = 0
    for name in _BUILD_MATERIAL:
        value = tokenizer.__dict__.get(name)
        if isinstance(value, (dict, list)) and value:
            released += len(value)
            setattr(tokenizer, name, type(value)())
    return released
