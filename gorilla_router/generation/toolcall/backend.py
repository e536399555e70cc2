"""``ToolCallBackend``: a local instruct model writing tool calls in its own format, constrained.

The model sees its chat template with the candidates as compact tools (:mod:`.prompt`); the fixed head of
that prompt is computed once and cached. Before it, one batched pass scores the request after each
candidate's description and after none (:mod:`.channel`): the evidence that corrects the model's choice of
function and of "no call". :class:`~.decoder.ToolCallDecoder` then decodes the turn under the candidates'
schemas. Grounding (no invented values, ``needs_input``) is not done here but by the router's
grounding stage, which applies to every backend alike.

``repair(query, candidates, call, problem)`` decodes once more with the validator's message in the
conversation (the rejected call as the assistant's turn, the problem as the tool's answer) — the one
bounded repair round of the router.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from gorilla_router._memory import release_freed_memory
from gorilla_router.errors import BackendError
from gorilla_router.generation.base import TokenUsage
from gorilla_router.generation.prompts.base import specs_of
from gorilla_router.generation.toolcall.channel import channel_evidence, focus
from gorilla_router.generation.toolcall.decoder import DecodedTurn, ToolCallDecoder, ToolDecodeOptions
from gorilla_router.generation.toolcall.prompt import TOOL_SYSTEM_PROMPT, ToolPrompt
from gorilla_router.specs import ApiCall, Candidate

__all__ = ["ToolCallBackend"]


class ToolCallBackend:
    """A ``ModelBackend`` over a local instruct causal LM with a tool-calling chat template."""

    def __init__(
        self,
        model: str,
        *,
        name: str | None = None,
        device: str | None = None,
        dtype: str | None = None,
        options: ToolDecodeOptions | None = None,
        system: str | None = None,
        examples: bool = False,
        tool_blocks: bool = False,
        int8_output: bool = True,
    ) -> None:
        self.model_name = model
        self.name = name or f"transformers:{model}"
        self.device = device
        self.dtype = dtype
        self.options = options or ToolDecodeOptions()
        self.system = system
        self.examples = examples
        """Show each candidate's first worked example in its description (:func:`.prompt.example_line`)."""
        self.int8_output = int8_output
        """The vocabulary projection in int8 on the CPU (:mod:`gorilla_router.generation.output_head`)."""
        self.tool_blocks = tool_blocks
        """Read each tool's description once and reuse its cache in later prompts
        (:mod:`gorilla_router.generation.constrained.blocks`)."""
        self.last_turn: DecodedTurn | None = None
        """The latest decoded turn: call margin over "none", function scores, text (for benchmarks)."""
        self.last_stats: dict[str, float] = {}
        self._usage = threading.local()

    def last_usage(self) -> TokenUsage | None:
        """This thread's latest answer: prompt tokens read, answer tokens written (:class:`ReportsUsage`).

        Counted when asked, not while decoding: the router never asks, so its requests pay nothing for it.
        """
        latest: tuple[Any, str, str] | None = getattr(self._usage, "latest", None)
        if latest is None:
            return None
        tokenizer, prompt, answer = latest

        def count(text: str) -> int:
            return len(tokenizer(text, add_special_tokens=False)["input_ids"]) if text else 0

        return TokenUsage(count(prompt), count(answer))

    def loaded(self) -> Any:
        from gorilla_router.generation.transformers_backend import load_model

        return load_model(self.model_name, self.device, self.dtype, int8_output=self.int8_output)

    def _prompt(self, tokenizer: Any) -> ToolPrompt:
        return ToolPrompt(tokenizer, self.system or TOOL_SYSTEM_PROMPT, self.examples)

    def _parts(
        self, prompt: ToolPrompt, query: str, candidates: Sequence[Candidate]
    ) -> tuple[str, list[str], str]:
        """``(head, tool blocks, rest)``; no blocks unless :attr:`tool_blocks` (then read whole)."""
        if self.tool_blocks:
            return prompt.render_blocks(query, candidates)
        head, tail = prompt.render_parts(query, candidates)
        return head, [], tail

    def generate(
        self, query: str, candidates: Sequence[Candidate], options: ToolDecodeOptions | None = None
    ) -> list[ApiCall]:
        """The calls for ``query`` among ``candidates`` (``options`` instead of the backend's, if given)."""
        if not candidates:
            return []
        entry = self.loaded()
        prompt = self._prompt(entry.tokenizer)
        return self._decode(
            entry, lambda shown: self._parts(prompt, query, shown), query, candidates, options
        )

    def generate_call(self, query: str, candidates: Sequence[Candidate]) -> list[ApiCall]:
        """As :meth:`generate`, but a complete call: no "none", every required argument written.

        For callers that must have a call (:class:`~gorilla_router.generation.base.CallForcing`, e.g.
        LangChain's structured output); the router never uses it.
        """
        return self.generate(
            query, candidates, replace(self.options, allow_no_call=False, complete_required=True)
        )

    def repair(
        self, query: str, candidates: Sequence[Candidate], call: ApiCall, problem: str
    ) -> list[ApiCall]:
        """Decode again after the validator rejected ``call`` with ``problem`` (one round, no threshold)."""
        entry = self.loaded()
        prompt = self._prompt(entry.tokenizer)
        rejected = json.dumps({"name": call.api_id, "arguments": call.arguments}, ensure_ascii=False)
        rejection = (
            f"{rejected}<|im_end|>\n<|im_start|>user\nThat call was rejected: {problem}. Write the call "
            "again with corrected arguments.<|im_end|>\n<|im_start|>assistant\n"
        )

        def render(shown: Sequence[Candidate]) -> tuple[str, list[str], str]:
            head, blocks, rest = self._parts(prompt, query, shown)
            return head, blocks, rest + rejection

        options = replace(self.options, allow_no_call=False)
        return self._decode(entry, render, query, candidates, options)

    def _decode(
        self,
        entry: Any,
        render: Callable[[Sequence[Candidate]], tuple[str, list[str], str]],
        query: str,
        candidates: Sequence[Candidate],
        options: ToolDecodeOptions | None = None,
    ) -> list[ApiCall]:
        """Score the channel, show the model the candidates it focuses on (``render``), decode the turn."""
        from gorilla_router.generation.constrained.state_store import StateStore
        from gorilla_router.generation.constrained.torch_chooser import TorchChooser

        with entry.lock:
            if entry.chooser is None:
                store = StateStore.for_model(Path(self.model_name), variant=entry.state_variant)
                entry.chooser = TorchChooser(entry.model, entry.tokenizer, store)
            chooser: TorchChooser = entry.chooser
            started, steps, tokens = time.perf_counter(), chooser.steps, chooser.tokens
            try:
                chosen = options or self.options
                specs = specs_of(candidates)
                use_channel = chosen.channel_weight or (chosen.relevance_weight and chosen.allow_no_call)
                prior = channel_evidence(chooser, query, specs) if use_channel else None
                shown = list(candidates)
                if prior is not None and chosen.prompt_candidates:
                    kept = focus(prior, chosen.prompt_candidates)
                    shown, specs, prior = (
                        [candidates[i] for i in kept],
                        [specs[i] for i in kept],
                        prior.keep(kept),
                    )
                head, blocks, rest = render(shown)
                state = chooser.start_blocks(head, blocks, rest)
                turn = ToolCallDecoder(chooser, chosen).decode(state, specs, query, prior)
            except RuntimeError as exc:
                raise BackendError(f"the model {self.model_name!r} failed while generating: {exc}") from exc
            self.last_turn = turn
            self._usage.latest = (entry.tokenizer, head + "".join(blocks) + rest, turn.text)
            self.last_stats = {
                "steps": chooser.steps - steps,
                "tokens": chooser.tokens - tokens,
                "seconds": time.perf_counter() - started,
                "shown": len(shown),
            }
            release_freed_memory()  # the turn's transient tensors: a long-running router keeps no peak
        return turn.calls
