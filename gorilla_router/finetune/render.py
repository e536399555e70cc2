"""A sample as the model sees it: the router's exact prompt, then the target turn; token ids and labels.

The prompt is :class:`~gorilla_router.generation.toolcall.prompt.ToolPrompt`'s: the tokenizer's chat template
with the system prompt, the compact tools and the request, ending with the assistant header (a test checks
it is byte-identical to ``ToolPrompt.render`` for zoo samples). The target is what the template writes for
the assistant's answer up to its end-of-turn marker, so the model also learns to stop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from gorilla_router.generation.toolcall.prompt import TOOL_SYSTEM_PROMPT, ToolPrompt

from .samples import Sample

__all__ = ["Encoded", "encode_sample", "render_prompt", "render_target"]

IGNORE = -100
_NAME = re.compile(r'"name": "([^"]+)"')


def render_prompt(tokenizer: Any, sample: Sample, system: str = TOOL_SYSTEM_PROMPT) -> str:
    """The router's prompt for ``sample.query`` with ``sample.tools`` (ends with the assistant header)."""
    messages = ToolPrompt(tokenizer, system).messages(sample.query)
    return str(
        tokenizer.apply_chat_template(
            messages, tools=sample.tools, add_generation_prompt=True, tokenize=False
        )
    )


def render_target(tokenizer: Any, sample: Sample, prompt: str, system: str = TOOL_SYSTEM_PROMPT) -> str:
    """The assistant turn after ``prompt``: the answer and the template's end-of-turn marker."""
    messages = [
        *ToolPrompt(tokenizer, system).messages(sample.query),
        {"role": "assistant", "content": sample.answer},
    ]
    full = str(tokenizer.apply_chat_template(messages, tools=sample.tools, tokenize=False))
    if full.startswith(prompt) and sample.answer in full[len(prompt) :]:
        return full[len(prompt) :].rstrip()
    return sample.answer + str(tokenizer.eos_token or "")


@dataclass(frozen=True)
class Encoded:
    """Token ids of prompt + target and the labels (``-100`` over the prompt: only the answer is learned).

    ``name_tokens``: the positions (in ``labels``) of the tokens that spell a called function's name or
    ``none`` — the decision a training run can weight above the argument text (``TrainSettings.name_weight``).
    """

    input_ids: list[int]
    labels: list[int]
    name_tokens: frozenset[int] = field(default_factory=frozenset)

    @property
    def target_tokens(self) -> int:
        return sum(label != IGNORE for label in self.labels)


def _name_tokens(offsets: list[tuple[int, int]], target: str) -> set[int]:
    """Indices of the target's tokens overlapping a ``"name": "<here>"`` span."""
    spans = [match.span(1) for match in _NAME.finditer(target)]
    return {
        index
        for index, (start, end) in enumerate(offsets)
        if any(start < span_end and end > span_start for span_start, span_end in spans)
    }


def encode_sample(tokenizer: Any, sample: Sample, system: str = TOOL_SYSTEM_PROMPT) -> Encoded:
    prompt = render_prompt(tokenizer, sample, system)
    target = render_target(tokenizer, sample, prompt, system)
    prompt_ids = list(tokenizer(prompt, add_special_tokens=False)["input_ids"])
    names: set[int] = set()
    try:
        encoded = tokenizer(target, add_special_tokens=False, return_offsets_mapping=True)
        target_ids = list(encoded["input_ids"])
        names = _name_tokens([tuple(pair) for pair in encoded["offset_mapping"]], target)
    except (NotImplementedError, KeyError, TypeError):  # a slow tokenizer: no offsets, no name weighting
        target_ids = list(tokenizer(target, add_special_tokens=False)["input_ids"])
    return Encoded(
        prompt_ids + target_ids,
        [IGNORE] * len(prompt_ids) + target_ids,
        frozenset(len(prompt_ids) + index for index in names),
    )
