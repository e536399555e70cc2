"""Toolformer's filter: keep an inserted call only if its result makes the text that follows more likely.

For a call ``c`` inserted at position ``i`` of a text ``x`` with result ``r`` (Schick et al., 2023, §2):

    L(z)  = − Σ_j w_j · log p(x_{i+j} | z, x_{<i+j})     (the loss on the tokens following position i)
    L⁺    = L("[c → r]")                     with the call and its result
    L⁻    = min(L(ε), L("[c →]"))            without any call, or with the call but no result
    keep  ⇔  L⁻ − L⁺ ≥ filter_threshold

The weights ``w_j ∝ max(0, 1 − 0.2·j)`` (normalized to sum to 1) make the next few tokens count most: a
result helps if it predicts what is said right after it. Comparing with the call *without* its result
rules out calls that help only because their arguments repeat the answer. All three variants share one
tokenization of the following text, and every filtered call costs one batched scorer request.
The scores are kept (:class:`FilterScore`) so a fine-tuning set can be built from the kept calls.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel, computed_field

from gorilla_router.inline.scoring import Scorer

__all__ = ["FilterItem", "FilterScore", "LossFilter", "toolformer_weights"]

DEFAULT_THRESHOLD = 1.0  # toolformer-pytorch's filter_threshold and the paper's τ_f for most tools


@dataclass(frozen=True)
class FilterItem:
    """One candidate call in context: ``prefix`` + ``[call → result]`` + ``following``."""

    prefix: str
    call_text: str
    result_text: str
    following: str


class FilterScore(BaseModel):
    """The three losses (mean nats per weighted token) and the decision; plain data for training sets."""

    loss_with_result: float
    loss_without_call: float
    loss_call_only: float
    threshold: float
    tokens: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def improvement(self) -> float:
        """``L⁻ − L⁺``: how much the result lowered the loss against the better of the two baselines."""
        return min(self.loss_without_call, self.loss_call_only) - self.loss_with_result

    @computed_field  # type: ignore[prop-decorator]
    @property
    def kept(self) -> bool:
        return self.tokens > 0 and self.improvement >= self.threshold


def toolformer_weights(count: int, decay: float = 0.2) -> list[float]:
    """``max(0, 1 − decay·j)`` for ``j = 0..count-1``, normalized to sum to 1 (empty when nothing is left)."""
    raw = [max(0.0, 1.0 - decay * j) for j in range(count)]
    total = sum(raw)
    return [w / total for w in raw] if total > 0 else []


def weighted_loss(logprobs: Sequence[float], decay: float = 0.2) -> float:
    weights = toolformer_weights(len(logprobs), decay)
    return -sum(w * lp for w, lp in zip(weights, logprobs, strict=False))


class LossFilter:
    """Score inserted calls with a :class:`~gorilla_router.inline.scoring.Scorer`; see the module docstring.

    ``following_chars`` bounds the text scored after the call: with the default decay only the next five
    tokens carry weight, so scoring a whole page after every call would only cost time.
    """

    def __init__(
        self,
        scorer: Scorer,
        threshold: float = DEFAULT_THRESHOLD,
        *,
        decay: float = 0.2,
        following_chars: int = 120,
        arrow: str = "→",
    ) -> None:
        if decay <= 0:
            raise ValueError(f"decay must be positive, got {decay}")
        self.scorer = scorer
        self.threshold = threshold
        self.decay = decay
        self.following_chars = following_chars
        self.arrow = arrow

    def variants(self, item: FilterItem) -> list[tuple[str, str]]:
        """The three ``(prefix, continuation)`` pairs: with result, without call, call without result.

        As in the paper, the call is put *in front of* the text rather than at position ``i``: a model not
        yet fine-tuned on calls reads ``… is [f(x) → 39] 39`` as broken text (measured on Gemma 3 270M, the
        token after ``]`` alone cost 3 nats), which would hide exactly the help the filter looks for.
        """
        following = item.following[: self.following_chars]
        return [
            (f"[{item.call_text} {self.arrow} {item.result_text}]\n{item.prefix}", following),
            (item.prefix, following),
            (f"[{item.call_text} {self.arrow}]\n{item.prefix}", following),
        ]

    def score(self, items: Sequence[FilterItem]) -> list[FilterScore]:
        """One :class:`FilterScore` per item, from a single batched scorer request."""
        if not items:
            return []
        pairs = [pair for item in items for pair in self.variants(item)]
        logprobs = self.scorer.continuation_logprobs(pairs)
        if len(logprobs) != len(pairs):
            raise RuntimeError(f"the scorer returned {len(logprobs)} rows for {len(pairs)} pairs")
        scores = []
        for index in range(len(items)):
            with_result, without, call_only = logprobs[3 * index : 3 * index + 3]
            scores.append(
                FilterScore(
                    loss_with_result=weighted_loss(with_result, self.decay),
                    loss_without_call=weighted_loss(without, self.decay),
                    loss_call_only=weighted_loss(call_only, self.decay),
                    threshold=self.threshold,
                    tokens=min(len(with_result), len(without), len(call_only)),
                )
            )
        return scores
