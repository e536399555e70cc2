"""The no-call bias of a fine-tuned model, chosen on samples it was not trained on, saved beside it.

Why: the shipped decoder adds ``no_call_bias`` to "none" because the *base* model under-uses it (the value
was chosen on the end-to-end tune split for that model). A fine-tune trained on irrelevance and
not-retrieved samples has learned to say "none" itself; the base model's bias on top of that makes it
decline far too often (measured: no-call answers 2 % → 26 % on the held-out split, precision 67 % → 27 %).
So after training, the model's own call-vs-none margins are measured on validation samples and the bias
that decides most of them right is written to ``decoding.json`` in the model folder; the embedded backend
reads it from there (:func:`gorilla_router.generation.embedded.embedded_backend`).

The margin of a sample is the model's log-likelihood of its best candidate id minus that of ``none``, in
the same single batched pass the decoder makes (``{"name": "`` then each id). A call sample is decided
right when its margin beats the bias *and* the best id is the target's; a no-call sample when it does not.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gorilla_router.errors import ConfigError
from gorilla_router.generation.decoding_file import DECODING_FILE
from gorilla_router.generation.toolcall.prompt import CALL_START, NO_CALL_NAME

from .render import render_prompt
from .samples import Sample

__all__ = [
    "Margin",
    "calibrate_no_call_bias",
    "choose_no_call_bias",
    "sample_margins",
    "split_for_calibration",
    "write_decoding",
]

BIAS_GRID = tuple(x / 2 for x in range(-8, 17))  # -4.0 … 8.0 nats


@dataclass(frozen=True)
class Margin:
    """One validation sample: best candidate minus ``none``; should it call; is the best id the target's."""

    margin: float
    should_call: bool
    right_function: bool


def split_for_calibration(
    samples: Sequence[Sample], count: int, seed: int = 0
) -> tuple[list[Sample], list[Sample]]:
    """``(training, validation)``: ``count`` samples drawn with ``seed`` kept out of training, order kept."""
    if count <= 0:
        return list(samples), []
    if count >= len(samples):
        raise ConfigError(f"cannot keep {count} of {len(samples)} samples out of training for calibration")
    chosen = set(random.Random(seed).sample(range(len(samples)), count))  # noqa: S311 - a seeded split
    training = [s for i, s in enumerate(samples) if i not in chosen]
    return training, [s for i, s in enumerate(samples) if i in chosen]


def _target_name(sample: Sample) -> str | None:
    return str(sample.calls[0]["name"]) if sample.calls else None


def sample_margins(
    model: Any, tokenizer: Any, samples: Sequence[Sample], progress: Callable[[int, int], None] | None = None
) -> list[Margin]:
    """Each sample's call-vs-none margin under ``model`` (see the module docstring)."""
    from gorilla_router.generation.constrained.torch_chooser import TorchChooser

    chooser = TorchChooser(model, tokenizer)
    margins = []
    for number, sample in enumerate(samples, 1):
        names = [str(tool["name"]) for tool in sample.tools]
        if not names or sample.kind == "missing":  # a needs-input answer is neither a call nor "none"
            continue
        state = chooser.extend(chooser.start("", render_prompt(tokenizer, sample)), CALL_START)
        choice = chooser.choose(state, [f'{name}"' for name in [*names, NO_CALL_NAME]])
        best = max(range(len(names)), key=choice.scores.__getitem__)
        target = _target_name(sample)
        margins.append(
            Margin(choice.scores[best] - choice.scores[-1], target is not None, names[best] == target)
        )
        if progress is not None:
            progress(number, len(samples))
    return margins


def choose_no_call_bias(margins: Sequence[Margin], grid: Sequence[float] = BIAS_GRID) -> tuple[float, int]:
    """The bias deciding most samples right (``(bias, right)``); ties go to the middle of the best run."""

    def right(bias: float) -> int:
        return sum(
            (m.margin > bias and m.right_function) if m.should_call else (m.margin <= bias) for m in margins
        )

    scores = [right(bias) for bias in grid]
    top = max(scores)
    best = [bias for bias, score in zip(grid, scores, strict=True) if score == top]
    return best[len(best) // 2], top


def write_decoding(folder: Path, settings: dict[str, Any]) -> Path:
    """Write ``decoding.json`` into the model folder (temporary file + rename)."""
    target = folder / DECODING_FILE
    temporary = folder / f".{DECODING_FILE}.tmp"
    temporary.write_text(json.dumps(settings, indent=2), encoding="utf-8")
    os.replace(temporary, target)
    return target


def calibrate_no_call_bias(
    folder: Path, samples: Sequence[Sample], progress: Callable[[int, int], None] | None = None
) -> dict[str, Any]:
    """Measure ``samples`` (never trained on) with the model in ``folder``; write and return the settings."""
    from gorilla_router.generation.transformers_backend import load_model

    entry = load_model(str(folder), "cpu", "bfloat16", int8_output=True)  # as the router will run it
    with entry.lock:
        margins = sample_margins(entry.model, entry.tokenizer, samples, progress)
    bias, right = choose_no_call_bias(margins)
    settings = {
        "no_call_bias": bias,
        "chosen_on": {
            "samples": len(margins),
            "no_call_samples": sum(not m.should_call for m in margins),
            "decided_right": right,
        },
    }
    write_decoding(folder, settings)
    return settings
