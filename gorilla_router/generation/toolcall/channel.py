"""Which candidate does the request read like? The noisy-channel prior of the function choice.

Asked directly ("which of these functions?"), a 0.5B model picks by surface words: ``base64.b64encode``
for "base stats of charizard", ``uber.eat.cancel_order`` for "cancel the meeting …". Turned around — how
likely is *this request* after a function's description (``log P(request | description)``, the "noisy
channel" direction of Min et al., 2022) — the same model judges the match of the whole request, word by
word, instead of the first tokens of a name. Measured on the end-to-end benchmark's tune split (134
single-call requests whose API was among the five candidates): the channel alone chose the right API for
118, the model's direct choice for 98, the retriever's first candidate for 83.

The decoder adds ``ToolDecodeOptions.channel_weight`` × this score to each candidate's direct score; the
call / no-call decision stays the model's own (its calibration is unchanged).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from gorilla_router.specs import ApiSpec

__all__ = ["ContinuationScorer", "channel_prefix", "channel_scores"]

_DESCRIPTION_CHARS = 200


class ContinuationScorer(Protocol):
    """Log-likelihood of one ``text`` after each of several independent ``prefixes`` (one batched pass)."""

    def continuation_logprobs(self, prefixes: Sequence[str], text: str) -> list[float]: ...


def channel_prefix(spec: ApiSpec) -> str:
    """The text the request is scored after: the function's id and the start of its description."""
    description = " ".join((spec.description or spec.name).split())[:_DESCRIPTION_CHARS]
    return f"Function {spec.id}: {description}\nA user request this function serves: "


def channel_scores(scorer: ContinuationScorer, request: str, specs: Sequence[ApiSpec]) -> list[float]:
    """``log P(request | channel_prefix(spec))`` for each of ``specs``, in their order."""
    if not specs or not request.strip():
        return [0.0] * len(specs)
    return scorer.continuation_logprobs([channel_prefix(spec) for spec in specs], request.strip())
