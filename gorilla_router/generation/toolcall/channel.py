"""Which candidate does the request read like? The noisy-channel prior of the function choice.

Asked directly ("which of these functions?"), a 0.5B model picks by surface words: ``base64.b64encode``
for "base stats of charizard", ``uber.eat.cancel_order`` for "cancel the meeting …". Turned around — how
likely is *this request* after a function's description (``log P(request | description)``, the "noisy
channel" direction of Min et al., 2022) — the same model judges the match of the whole request, word by
word, instead of the first tokens of a name. Measured on the end-to-end benchmark's tune split (134
single-call requests whose API was among the five candidates): the channel alone chose the right API for
118, the model's direct choice for 98, the retriever's first candidate for 83.

The decoder adds ``ToolDecodeOptions.channel_weight`` × this score to each candidate's direct score.

The same pass scores the request after a neutral prefix ("A user request: "). How much likelier the
request reads after the best description than after none (a pointwise mutual information) says whether any
candidate serves it at all: on the tune split every one of the 12 requests no API serves scored below 0
(−9.1 … −1.7), 7 of 142 single-call requests did. ``ToolDecodeOptions.relevance_weight`` × it is added to
the model's own call / no-call margin.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from gorilla_router.specs import ApiSpec

__all__ = [
    "NEUTRAL_PREFIX",
    "ChannelEvidence",
    "ContinuationScorer",
    "channel_evidence",
    "channel_prefix",
    "focus",
]

_DESCRIPTION_CHARS = 200
NEUTRAL_PREFIX = "A user request: "


class ContinuationScorer(Protocol):
    """Log-likelihood of one ``text`` after each of several independent ``prefixes`` (one batched pass)."""

    def continuation_logprobs(self, prefixes: Sequence[str], text: str) -> list[float]: ...


def channel_prefix(spec: ApiSpec) -> str:
    """The text the request is scored after: the function's id and the start of its description."""
    description = " ".join((spec.description or spec.name).split())[:_DESCRIPTION_CHARS]
    return f"Function {spec.id}: {description}\nA user request this function serves: "


@dataclass(frozen=True)
class ChannelEvidence:
    """``log P(request | description)`` per candidate (in the candidates' order) and after no description."""

    scores: tuple[float, ...]
    baseline: float

    def keep(self, indices: Sequence[int]) -> ChannelEvidence:
        """The evidence of the candidates at ``indices`` (in that order); the baseline is unchanged."""
        return ChannelEvidence(tuple(self.scores[i] for i in indices), self.baseline)

    @property
    def relevance(self) -> float:
        """How much likelier the request reads after the best candidate's description than after none."""
        return max(self.scores) - self.baseline if self.scores else 0.0


def channel_evidence(scorer: ContinuationScorer, request: str, specs: Sequence[ApiSpec]) -> ChannelEvidence:
    """The channel scores of ``specs`` for ``request`` and its neutral baseline, in one batched pass."""
    if not specs or not request.strip():
        return ChannelEvidence(tuple(0.0 for _ in specs), 0.0)
    prefixes = [channel_prefix(spec) for spec in specs] + [NEUTRAL_PREFIX]
    *scores, baseline = scorer.continuation_logprobs(prefixes, request.strip())
    return ChannelEvidence(tuple(scores), baseline)


def focus(evidence: ChannelEvidence, count: int) -> list[int]:
    """The indices of the ``count`` candidates the request reads most like, in their original order.

    The original (retrieval) order is kept because the prompt shows them in it; ties go to the earlier
    candidate. ``count`` of 0 or at least the number of candidates keeps them all. The best-scored
    candidate is always kept, so :attr:`ChannelEvidence.relevance` of the kept ones is the same.
    """
    total = len(evidence.scores)
    if count <= 0 or count >= total:
        return list(range(total))
    ranked = sorted(range(total), key=lambda i: (-evidence.scores[i], i))
    return sorted(ranked[:count])
